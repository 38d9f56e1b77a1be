// login.test.mjs - logging in and out: the redirect to ?next= (local paths
// only), one message for a wrong password and an unknown email, a new
// session token at every login (old tokens stop working), logout ending the
// session on the server, and no state change through GET /logout.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, account, jsonError, GOOD_PASSWORD, itStopsCleanly } from './lib/server.mjs';

describe('login and logout', () => {
  const email = uniqueEmail('lou');
  let srv;
  before(async () => { srv = await startServer({ users: [{ email, name: 'Lou' }] }); });
  after(() => srv?.stop());

  /** A client holding only the given session token. */
  function clientWithToken(token) {
    const c = srv.client();
    c.cookies.set('hearth_session', token);
    return c;
  }

  describe('the redirect after login', () => {
    it('goes to the local path in next, carried by the login form', async () => {
      const c = srv.client();
      const form = await c.get('/login?next=/account/sessions');
      assert.equal(form.status, 200);
      assert.ok(form.text.includes('<input type="hidden" name="next" value="/account/sessions">'));
      const res = await c.postForm('/login', { email, password: GOOD_PASSWORD, next: '/account/sessions' });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/account/sessions');
    });

    it('goes to /account without next', async () => {
      const res = await logIn(srv.client(), email);
      assert.equal(res.location, '/account');
    });

    it('takes the email address in any letter case', async () => {
      const res = await logIn(srv.client(), email.toUpperCase());
      assert.equal(res.location, '/account');
    });

    for (const next of ['//evil.example', '//evil.example/account', 'https://evil.example/', '/\\evil.example', 'account']) {
      it(`goes to /account, not elsewhere, for next=${next}`, async () => {
        const c = srv.client();
        await c.get('/login');
        const res = await c.postForm('/login', { email, password: GOOD_PASSWORD, next });
        assert.equal(res.status, 303);
        assert.equal(res.location, '/account');
      });
    }

    it('escapes next when it is put back into the form', async () => {
      const evil = '/"><script>alert(1)</script>';
      const form = await srv.client().get(`/login?next=${encodeURIComponent(evil)}`);
      assert.equal(form.status, 200);
      assert.ok(!form.text.includes('<script>alert(1)'), 'next is not inserted raw');
      assert.ok(form.text.includes('value="/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
    });

    it('never puts a line break from next into the Location header', async () => {
      const c = srv.client();
      await c.get('/login');
      const res = await c.postForm('/login', { email, password: GOOD_PASSWORD, next: '/account\r\nSet-Cookie: x=1' });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/account');
    });

    it('sends someone already logged in from /login straight to next (local only)', async () => {
      const c = srv.client();
      await logIn(c, email);
      assert.equal((await c.get('/login?next=/account/password')).location, '/account/password');
      assert.equal((await c.get('/login?next=//evil.example')).location, '/account');
    });
  });

  describe('a failed login', () => {
    it('answers 401 with the same message for a wrong password and an unknown email (JSON)', async () => {
      const wrong = await srv.client().postJson('/api/v1/login', { email, password: 'not the password' });
      const unknown = await srv.client().postJson('/api/v1/login', { email: uniqueEmail('nobody'), password: 'not the password' });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(jsonError(wrong).code, 'unauthorized');
      assert.deepEqual(jsonError(wrong), jsonError(unknown));
    });

    it('shows the form again with 401 and the same message (HTML), and sets no session', async () => {
      const texts = [];
      for (const who of [email, uniqueEmail('nobody')]) {
        const c = srv.client();
        await c.get('/login');
        const res = await c.postForm('/login', { email: who, password: 'not the password' });
        assert.equal(res.status, 401);
        assert.equal(c.sessionToken, null);
        assert.ok(res.text.includes(`value="${who}"`), 'the email is kept in the form');
        texts.push(/<div class="error-summary"[\s\S]*?<\/div>/.exec(res.text)[0]);
      }
      assert.match(texts[0], /do not match an account/);
      assert.equal(texts[0], texts[1]);
    });
  });

  describe('session rotation', () => {
    it('sets a new session token at login and ends the one the browser held', async () => {
      const c = srv.client();
      await logIn(c, email);
      const first = c.sessionToken;
      assert.match(first, /^[0-9a-f]{64}$/);

      // Logging in again from the same browser (form on /account for the token).
      await c.get('/account');
      const res = await c.postForm('/login', { email, password: GOOD_PASSWORD });
      assert.equal(res.status, 303);
      const second = c.sessionToken;
      assert.match(second, /^[0-9a-f]{64}$/);
      assert.notEqual(second, first);

      assert.equal((await clientWithToken(first).get('/api/v1/account')).status, 401);
      assert.equal((await clientWithToken(second).get('/api/v1/account')).status, 200);
    });

    it('never adopts a session token planted in the browser before login', async () => {
      const planted = 'ab'.repeat(32);
      const c = clientWithToken(planted);
      await logIn(c, email);
      assert.notEqual(c.sessionToken, planted);
      assert.equal((await clientWithToken(planted).get('/api/v1/account')).status, 401);
    });
  });

  describe('logout', () => {
    it('ends the session on the server and clears the cookie', async () => {
      const c = srv.client();
      await logIn(c, email);
      const token = c.sessionToken;
      await c.get('/account');
      const res = await c.postForm('/logout', {});
      assert.equal(res.status, 303);
      assert.equal(res.location, '/?logged_out=1');
      assert.ok(res.setCookies.some((s) => /^hearth_session=;.*Max-Age=0/i.test(s)), 'the cookie is cleared');

      const reused = await clientWithToken(token).get('/api/v1/account');
      assert.equal(reused.status, 401);
      assert.equal(jsonError(reused).code, 'unauthorized');
      const home = await c.get('/?logged_out=1');
      assert.match(home.text, /You have logged out\./);
    });

    it('works through the JSON API too', async () => {
      const c = srv.client();
      const login = await c.postJson('/api/v1/login', { email, password: GOOD_PASSWORD });
      assert.equal(login.status, 200);
      assert.equal(login.json.person.email, email);
      const token = c.sessionToken;
      const out = await c.postJson('/api/v1/logout', {});
      assert.equal(out.status, 200);
      assert.equal((await clientWithToken(token).get('/api/v1/account')).status, 401);
    });

    it('answers GET /logout with 405 and Allow: POST, and stays logged in', async () => {
      const c = srv.client();
      await logIn(c, email);
      const res = await c.get('/logout');
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'POST');
      assert.equal((await account(c)).email, email);
    });

    it('refuses POST /logout without a CSRF token (403), and stays logged in', async () => {
      const c = srv.client();
      await logIn(c, email);
      const res = await c.postForm('/logout', {}, { csrf: null });
      assert.equal(res.status, 403);
      assert.equal((await account(c)).email, email);
    });
  });

  itStopsCleanly(() => srv);
});
