// password.test.mjs - changing the password at /account/password: the
// current password is checked, the new one follows the rules, and a change
// ends every other session but keeps this one; the new password then works
// at login and the old one no longer does.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, account, jsonError, GOOD_PASSWORD, itStopsCleanly } from './lib/server.mjs';

describe('password change', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(() => srv?.stop());

  /** A new person, signed in on a fresh client. */
  async function newPerson() {
    const email = uniqueEmail('pw');
    const c = srv.client();
    const res = await c.postJson('/api/v1/signup', { email, display_name: 'Pat', password: GOOD_PASSWORD });
    assert.equal(res.status, 201);
    return { email, c };
  }

  it('refuses a wrong current password (422, field current_password)', async () => {
    const { c } = await newPerson();
    const res = await c.postJson('/api/v1/account/password', {
      current_password: 'not my password', new_password: 'a brand new secret 9',
    });
    assert.equal(res.status, 422);
    assert.equal(jsonError(res).field, 'current_password');

    await c.get('/account/password');
    const form = await c.postForm('/account/password', {
      current_password: 'not my password', new_password: 'a brand new secret 9',
    });
    assert.equal(form.status, 422);
    assert.match(form.text, /That is not your current password\./);
    assert.match(form.text, /id="current_password"[^>]*aria-invalid="true"/);
  });

  it('refuses a new password that breaks the rules (422, field new_password)', async () => {
    const { c, email } = await newPerson();
    for (const new_password of ['short', 'password123', email]) {
      const res = await c.postJson('/api/v1/account/password', { current_password: GOOD_PASSWORD, new_password });
      assert.equal(res.status, 422, new_password);
      assert.equal(jsonError(res).field, 'new_password');
    }
    // Nothing changed: the old password still works.
    assert.equal((await srv.client().postJson('/api/v1/login', { email, password: GOOD_PASSWORD })).status, 200);
  });

  it('ends the other sessions, keeps this one, and swaps which password works', async () => {
    const { email, c: here } = await newPerson();
    const elsewhere = srv.client();
    await logIn(elsewhere, email);
    const fresh = 'violet canal sparrow 31';

    await here.get('/account/password');
    const res = await here.postForm('/account/password', { current_password: GOOD_PASSWORD, new_password: fresh });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/account?password_changed=1');

    assert.equal((await account(here)).email, email, 'this session goes on');
    assert.equal((await elsewhere.get('/api/v1/account')).status, 401, 'the other session has ended');
    const page = await here.get('/account?password_changed=1');
    assert.match(page.text, /Your password is changed, and your other sessions have ended\./);
    const sessions = await here.get('/api/v1/account/sessions');
    assert.equal(sessions.json.sessions.length, 1);

    const oldLogin = await srv.client().postJson('/api/v1/login', { email, password: GOOD_PASSWORD });
    assert.equal(oldLogin.status, 401);
    const newLogin = await srv.client().postJson('/api/v1/login', { email, password: fresh });
    assert.equal(newLogin.status, 200);
    assert.equal(newLogin.json.person.email, email);
  });

  it('needs a login (401 for the API, 303 to /login for the page)', async () => {
    const anon = srv.client();
    assert.equal((await anon.postJson('/api/v1/account/password', { current_password: 'x', new_password: 'y' })).status, 401);
    const page = await anon.get('/account/password');
    assert.equal(page.status, 303);
    assert.equal(page.location, '/login?next=/account/password');
  });

  itStopsCleanly(() => srv);
});
