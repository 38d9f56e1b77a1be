// csrf.test.mjs - protection against cross-site requests: HTML forms need
// the csrf token bound to this browser's session, and JSON requests from a
// browser must come from this origin. A refused request changes nothing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, account, jsonError, GOOD_PASSWORD, itStopsCleanly } from './lib/server.mjs';

describe('CSRF protection', () => {
  const email = uniqueEmail('mo');
  const otherEmail = uniqueEmail('nel');
  let srv;
  let me;
  before(async () => {
    srv = await startServer({ users: [{ email, name: 'Mo' }, { email: otherEmail, name: 'Nel' }] });
    me = srv.client();
    await logIn(me, email);
  });
  after(() => srv?.stop());

  /** Asserts a refused form POST to /account: 403 and the name still "Mo". */
  async function assertProfileRefused(res) {
    assert.equal(res.status, 403);
    assert.match(res.text, /This form has expired or did not come from this site/);
    assert.equal((await account(me)).display_name, 'Mo', 'the profile is unchanged');
  }

  describe('HTML forms', () => {
    it('refuses a form without a csrf field (403), changing nothing', async () => {
      await me.get('/account');
      await assertProfileRefused(await me.postForm('/account', { display_name: 'Changed' }, { csrf: null }));
    });

    it('refuses a form with a wrong csrf token (403)', async () => {
      await assertProfileRefused(await me.postForm('/account', { display_name: 'Changed' }, { csrf: 'ab'.repeat(32) }));
      await assertProfileRefused(await me.postForm('/account', { display_name: 'Changed' }, { csrf: '' }));
      await assertProfileRefused(await me.postForm('/account', { display_name: 'Changed' }, { csrf: 'x' }));
    });

    it('refuses a csrf token from another session (403)', async () => {
      const other = srv.client();
      await logIn(other, otherEmail);
      await other.get('/account');
      await assertProfileRefused(await me.postForm('/account', { display_name: 'Changed' }, { csrf: other.csrf }));
    });

    it('refuses the token from before login once logged in (it is bound to the session)', async () => {
      const c = srv.client();
      await c.get('/login');
      const before = c.csrf;
      await c.postForm('/login', { email, password: GOOD_PASSWORD });
      const res = await c.postForm('/account', { display_name: 'Changed' }, { csrf: before });
      await assertProfileRefused(res);
    });

    it('refuses a login form without a token (login CSRF)', async () => {
      const c = srv.client();
      await c.get('/login');
      const res = await c.postForm('/login', { email, password: GOOD_PASSWORD }, { csrf: null });
      assert.equal(res.status, 403);
      assert.equal(c.sessionToken, null);
    });

    it('takes the form with the right token', async () => {
      await me.get('/account');
      const res = await me.postForm('/account', { display_name: 'Mo Too', pronouns: '' });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/account?saved=1');
      assert.equal((await account(me)).display_name, 'Mo Too');
      await me.get('/account');
      assert.equal((await me.postForm('/account', { display_name: 'Mo' })).status, 303);
    });
  });

  describe('JSON requests', () => {
    it('refuses a foreign Origin (403), changing nothing', async () => {
      const res = await me.postJson('/api/v1/account', { display_name: 'Evil' }, { headers: { origin: 'https://evil.example' } });
      assert.equal(res.status, 403);
      assert.equal(jsonError(res).code, 'forbidden');
      assert.equal((await account(me)).display_name, 'Mo');
    });

    it('refuses the same host on another port, or no port (403)', async () => {
      const port = Number(new URL(srv.origin).port);
      for (const origin of ['http://127.0.0.1', `http://127.0.0.1:${port + 1}`, `http://localhost:${port}`, 'null']) {
        const res = await me.postJson('/api/v1/account', { display_name: 'Evil' }, { headers: { origin } });
        assert.equal(res.status, 403, origin);
      }
      assert.equal((await account(me)).display_name, 'Mo');
    });

    // KNOWN SERVER BUG (src/http/request.c, check_origin): only the part of
    // Origin after "://" is compared with the Host header, so the scheme is
    // ignored and https://HOST:PORT (or, behind TLS, a plain-http page on
    // the same host) passes as this origin. It asserts the correct
    // behaviour and fails until that is fixed. It uses its own person, so a
    // wrongly accepted change cannot disturb the other tests.
    it('refuses the same host and port with another scheme (403)', async () => {
      const c = srv.client();
      const p = await c.postJson('/api/v1/signup', { email: uniqueEmail('scheme'), display_name: 'Sol', password: GOOD_PASSWORD });
      assert.equal(p.status, 201);
      const origin = srv.origin.replace(/^http:/, 'https:');
      const res = await c.postJson('/api/v1/account', { display_name: 'Evil' }, { headers: { origin } });
      assert.equal(res.status, 403, `Origin ${origin} for a server at ${srv.origin}`);
      assert.equal((await account(c)).display_name, 'Sol');
    });

    it('refuses Sec-Fetch-Site: cross-site (403)', async () => {
      const res = await me.postJson('/api/v1/account', { display_name: 'Evil' }, { headers: { 'sec-fetch-site': 'cross-site' } });
      assert.equal(res.status, 403);
      assert.equal((await account(me)).display_name, 'Mo');
    });

    it('takes a request with the same-origin Origin', async () => {
      const res = await me.postJson('/api/v1/account', { display_name: 'Mo Json' }, { headers: { origin: srv.origin, 'sec-fetch-site': 'same-origin' } });
      assert.equal(res.status, 200);
      assert.equal(res.json.person.display_name, 'Mo Json');
      assert.equal((await account(me)).display_name, 'Mo Json');
      assert.equal((await me.postJson('/api/v1/account', { display_name: 'Mo' }, { headers: { origin: srv.origin } })).status, 200);
    });

    it('refuses a sign-up from a foreign Origin, creating no account', async () => {
      const newEmail = uniqueEmail('evil');
      const res = await srv.client().postJson('/api/v1/signup', { email: newEmail, display_name: 'X', password: GOOD_PASSWORD },
        { headers: { origin: 'https://evil.example' } });
      assert.equal(res.status, 403);
      assert.equal((await srv.client().postJson('/api/v1/signup', { email: newEmail, display_name: 'X', password: GOOD_PASSWORD })).status, 201);
    });
  });

  itStopsCleanly(() => srv);
});
