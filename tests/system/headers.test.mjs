// headers.test.mjs - response headers: the security headers on every kind
// of response (pages, JSON, errors, redirects, static files), no-store on
// personal pages, and caching of static files (ETag, max-age, 304).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, itStopsCleanly } from './lib/server.mjs';

function assertSecurityHeaders(res, what) {
  const csp = res.headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
    assert.ok(csp.split(';').map((d) => d.trim()).includes(directive), `${what}: CSP has ${directive} (got "${csp}")`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.ok(res.headers.get('referrer-policy'), `${what}: Referrer-Policy`);
}

describe('response headers', () => {
  const email = uniqueEmail('hdr');
  let srv;
  let anon;
  let me;
  before(async () => {
    srv = await startServer({ users: [{ email, name: 'Hal' }] });
    anon = srv.client();
    me = srv.client();
    await logIn(me, email);
  });
  after(() => srv?.stop());

  describe('security headers on every response', () => {
    const cases = [
      ['an HTML page', 'anon', 'GET', '/', 200],
      ['the login page', 'anon', 'GET', '/login', 200],
      ['a JSON answer', 'anon', 'GET', '/healthz', 200],
      ['a personal HTML page', 'me', 'GET', '/account', 200],
      ['a personal JSON answer', 'me', 'GET', '/api/v1/account', 200],
      ['a 404 page', 'anon', 'GET', '/nope', 404],
      ['a 404 in JSON', 'anon', 'GET', '/api/v1/nope', 404],
      ['a 401 in JSON', 'anon', 'GET', '/api/v1/account', 401],
      ['a redirect to login', 'anon', 'GET', '/account', 303],
      ['a 405', 'anon', 'GET', '/logout', 405],
      ['a 400 for a broken path', 'anon', 'GET', '/%FF', 400],
      ['the metrics text', 'anon', 'GET', '/metrics', 200],
      ['a static file', 'anon', 'GET', '/static/style.css', 200],
      ['an unknown static file', 'anon', 'GET', '/static/nope.css', 404],
    ];
    for (const [what, who, method, urlPath, status] of cases) {
      it(`${what} (${method} ${urlPath} → ${status})`, async () => {
        const res = await (who === 'me' ? me : anon).request(method, urlPath);
        assert.equal(res.status, status);
        assertSecurityHeaders(res, what);
      });
    }

    it('a 403 for a form without a csrf token', async () => {
      const res = await anon.postForm('/login', { email, password: 'x' }, { csrf: null });
      assert.equal(res.status, 403);
      assertSecurityHeaders(res, 'a 403');
    });

    it('a 413 answered before the body is read', async () => {
      const res = await anon.postJson('/api/v1/login', JSON.stringify({ email: 'x'.repeat(70 * 1024) }));
      assert.equal(res.status, 413);
      assertSecurityHeaders(res, 'a 413');
    });
  });

  describe('caching', () => {
    for (const urlPath of ['/account', '/account/sessions', '/account/password', '/api/v1/account', '/api/v1/account/sessions']) {
      it(`personal ${urlPath} has Cache-Control: no-store`, async () => {
        const res = await me.get(urlPath);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('cache-control') ?? '', /\bno-store\b/);
      });
    }

    it('static files have an ETag and a max-age, and If-None-Match gives 304', async () => {
      const res = await anon.get('/static/style.css');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/css/);
      const etag = res.headers.get('etag');
      assert.match(etag ?? '', /^"[^"]+"$/);
      assert.match(res.headers.get('cache-control') ?? '', /\bmax-age=[1-9][0-9]*\b/);
      assert.ok(res.text.length > 0);

      const again = await anon.get('/static/style.css', { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      assert.equal(again.headers.get('etag'), etag);
      assertSecurityHeaders(again, 'a 304');

      const changed = await anon.get('/static/style.css', { headers: { 'if-none-match': '"0000000000000000"' } });
      assert.equal(changed.status, 200);
    });

    it('the favicon is served as SVG with nosniff', async () => {
      const res = await anon.get('/static/favicon.svg');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^image\/svg\+xml/);
      assertSecurityHeaders(res, 'favicon');
    });
  });

  itStopsCleanly(() => srv);
});
