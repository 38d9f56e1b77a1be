// negotiation.test.mjs - one address, two faces: HTML by default, JSON for
// Accept: application/json or under /api/v1/, with the same data; errors as
// {"error": {"code", "message"}} in JSON and as an HTML page otherwise.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, jsonError, itStopsCleanly } from './lib/server.mjs';

describe('content negotiation', () => {
  const email = uniqueEmail('neg');
  let srv;
  let me;
  before(async () => {
    srv = await startServer({ users: [{ email, name: 'Nia' }] });
    me = srv.client();
    await logIn(me, email);
  });
  after(() => srv?.stop());

  it('answers GET /account with Accept: application/json in JSON, the same as /api/v1/account', async () => {
    const viaAccept = await me.get('/account', { json: true });
    assert.equal(viaAccept.status, 200);
    assert.match(viaAccept.headers.get('content-type'), /^application\/json/);
    const viaApi = await me.get('/api/v1/account');
    assert.match(viaApi.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(viaAccept.json, viaApi.json);
    assert.equal(viaApi.json.person.email, email);
    assert.equal(viaApi.json.person.display_name, 'Nia');
    assert.ok(!('notice' in viaApi.json), 'no page notices in JSON');
    assert.match(viaApi.headers.get('vary') ?? '', /Accept/);
  });

  it('answers GET /account in HTML by default, and when the browser accepts both', async () => {
    for (const accept of [undefined, '*/*', 'text/html,application/xhtml+xml,application/json;q=0.9']) {
      const res = await me.get('/account', { headers: accept ? { accept } : {} });
      assert.equal(res.status, 200, accept);
      assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
      assert.match(res.text, /^<!doctype html>/);
      assert.match(res.text, /<h1>Your account<\/h1>/);
    }
  });

  it('gives the same sessions in JSON under /api/v1/ and through Accept', async () => {
    const a = await me.get('/account/sessions', { json: true });
    const b = await me.get('/api/v1/account/sessions');
    assert.equal(a.status, 200);
    assert.deepEqual(a.json.sessions.map((s) => s.id), b.json.sessions.map((s) => s.id));
  });

  describe('errors', () => {
    it('shows a 404 as an HTML page with a heading', async () => {
      const res = await srv.client().get('/nope');
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.match(res.text, /<h1>Page not found<\/h1>/);
    });

    it('gives a 404 as {"error": {"code": "not_found", "message"}} in JSON', async () => {
      for (const [urlPath, opts] of [['/nope', { json: true }], ['/api/v1/nope', {}]]) {
        const res = await srv.client().get(urlPath, opts);
        assert.equal(res.status, 404, urlPath);
        assert.match(res.headers.get('content-type'), /^application\/json/);
        const err = jsonError(res);
        assert.equal(err.code, 'not_found');
        assert.equal(typeof err.message, 'string');
        assert.ok(err.message.length > 0);
        assert.deepEqual(Object.keys(res.json), ['error']);
      }
    });

    it('gives "log in" as a 401 JSON error, and as a redirect to /login for pages', async () => {
      const anon = srv.client();
      const json = await anon.get('/api/v1/account');
      assert.equal(json.status, 401);
      assert.equal(jsonError(json).code, 'unauthorized');
      const accept = await anon.get('/account', { json: true });
      assert.equal(accept.status, 401);
      const page = await anon.get('/account');
      assert.equal(page.status, 303);
      assert.equal(page.location, '/login?next=/account');
    });

    it('gives a 405 in both forms', async () => {
      const html = await srv.client().get('/logout');
      assert.equal(html.status, 405);
      assert.match(html.text, /<h1>That action is not available here<\/h1>/);
      const json = await srv.client().get('/api/v1/logout');
      assert.equal(json.status, 405);
      assert.equal(jsonError(json).code, 'method_not_allowed');
    });
  });

  itStopsCleanly(() => srv);
});
