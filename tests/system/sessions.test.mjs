// sessions.test.mjs - the list of a person's sessions, ending one of them
// (and not someone else's), and idle expiry with [session] idle_seconds.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, account, jsonError, sleep, itStopsCleanly } from './lib/server.mjs';

describe('sessions', () => {
  const alice = uniqueEmail('alice');
  const bob = uniqueEmail('bob');
  let srv;
  before(async () => {
    srv = await startServer({ users: [{ email: alice, name: 'Alice' }, { email: bob, name: 'Bob' }] });
  });
  after(() => srv?.stop());

  async function sessionsOf(client) {
    const res = await client.get('/api/v1/account/sessions');
    assert.equal(res.status, 200);
    return res.json.sessions;
  }

  it('lists both sessions of a person logged in twice, exactly one of them current', async () => {
    const laptop = srv.client();
    const phone = srv.client();
    await logIn(laptop, alice);
    await logIn(phone, alice);
    const fromLaptop = await sessionsOf(laptop);
    const fromPhone = await sessionsOf(phone);
    assert.ok(fromLaptop.length >= 2);
    assert.equal(fromLaptop.filter((s) => s.current === true).length, 1);
    assert.equal(fromPhone.filter((s) => s.current === true).length, 1);
    const laptopId = fromLaptop.find((s) => s.current).id;
    const phoneId = fromPhone.find((s) => s.current).id;
    assert.notEqual(laptopId, phoneId);
    for (const s of fromLaptop) {
      assert.match(s.id, /^[0-9]+$/);
      assert.equal(typeof s.current, 'boolean');
    }
    // The HTML page marks this browser.
    const page = await laptop.get('/account/sessions');
    assert.equal(page.status, 200);
    assert.match(page.text, /\(this browser\)/);
    assert.ok(page.text.includes(`action="/account/sessions/${phoneId}/end"`));
  });

  it('lists exactly two sessions for a fresh person logged in twice', async () => {
    const email = uniqueEmail('carol');
    const c1 = srv.client();
    await c1.postJson('/api/v1/signup', { email, display_name: 'Carol', password: 'kettle orchard lantern 42' });
    const c2 = srv.client();
    await logIn(c2, email);
    const list = await sessionsOf(c1);
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((s) => s.current).sort(), [false, true]);
  });

  it('ends another session of yours: that browser is logged out, this one is not', async () => {
    const mine = srv.client();
    const other = srv.client();
    await logIn(other, alice);
    await logIn(mine, alice);
    const otherId = (await sessionsOf(other)).find((s) => s.current).id;

    await mine.get('/account/sessions');
    const res = await mine.postForm(`/account/sessions/${otherId}/end`, {});
    assert.equal(res.status, 303);
    assert.equal(res.location, '/account/sessions?ended=1');

    const shut = await other.get('/api/v1/account');
    assert.equal(shut.status, 401);
    assert.equal((await account(mine)).email, alice);
    assert.ok(!(await sessionsOf(mine)).some((s) => s.id === otherId), 'the ended session is not listed');
    // Ending it again: it is gone.
    await mine.get('/account/sessions');
    assert.equal((await mine.postForm(`/account/sessions/${otherId}/end`, {})).status, 404);
  });

  it('refuses to end a session that is not yours (404), which keeps working', async () => {
    const a = srv.client();
    const b = srv.client();
    await logIn(a, alice);
    await logIn(b, bob);
    const bobsId = (await sessionsOf(b)).find((s) => s.current).id;
    await a.get('/account/sessions');
    const res = await a.postForm(`/account/sessions/${bobsId}/end`, {});
    assert.equal(res.status, 404);
    assert.equal((await account(b)).email, bob);

    const viaJson = await a.postJson(`/api/v1/account/sessions/${bobsId}/end`, {});
    assert.equal(viaJson.status, 404);
    assert.equal(jsonError(viaJson).code, 'not_found');
    assert.equal((await account(b)).email, bob);

    for (const id of ['12345', 'abc', '-1']) {
      await a.get('/account/sessions');
      assert.equal((await a.postForm(`/account/sessions/${id}/end`, {})).status, 404, id);
    }
  });

  it('ends the current session like a logout, and sends you to /login', async () => {
    const c = srv.client();
    await logIn(c, alice);
    const token = c.sessionToken;
    const id = (await sessionsOf(c)).find((s) => s.current).id;
    await c.get('/account/sessions');
    const res = await c.postForm(`/account/sessions/${id}/end`, {});
    assert.equal(res.status, 303);
    assert.equal(res.location, '/login');
    assert.equal(c.sessionToken, null, 'the cookie is cleared');
    const again = srv.client();
    again.cookies.set('hearth_session', token);
    assert.equal((await again.get('/api/v1/account')).status, 401);
  });

  itStopsCleanly(() => srv);
});

describe('sessions: idle expiry ([session] idle_seconds = 2)', () => {
  const email = uniqueEmail('idle');
  let srv;
  before(async () => {
    srv = await startServer({ config: { session: { idle_seconds: 2 } }, users: [{ email, name: 'Idle' }] });
  });
  after(() => srv?.stop());

  // Both tests wait for the idle limit; they run side by side.
  describe('after the idle limit', { concurrency: true }, () => {
    it('rejects a session after 3 s without requests: 401 for the API, 303 to /login for pages', async () => {
      const api = srv.client();
      const browser = srv.client();
      await logIn(api, email);
      await logIn(browser, email);
      assert.equal((await api.get('/api/v1/account')).status, 200);

      await sleep(3000);

      const res = await api.get('/api/v1/account');
      assert.equal(res.status, 401);
      assert.equal(jsonError(res).code, 'unauthorized');
      assert.match(jsonError(res).message, /log in/i);
      const page = await browser.get('/account');
      assert.equal(page.status, 303);
      assert.match(page.location, /^\/login\?next=\/account$/);
      assert.equal(browser.sessionToken, null, 'the expired cookie is cleared');
    });

    // KNOWN SERVER BUG (src/app/session.c, session_resolve): last_seen_at is
    // only updated when it is at least TOUCH_INTERVAL_MS (60 s) old, so with an
    // idle limit below 60 s (idle_seconds, or idle_minutes = 1) a session in
    // constant use still expires idle_seconds after it started. This test
    // asserts the correct behaviour and fails until that is fixed.
    it('keeps a session alive while it is in use, past idle_seconds', async () => {
      const c = srv.client();
      await logIn(c, email);
      for (let i = 0; i < 5; i++) {
        await sleep(800);
        const res = await c.get('/api/v1/account');
        assert.equal(res.status, 200, `request ${i + 1}, ${((i + 1) * 0.8).toFixed(1)} s after login, ` +
          'with a request every 0.8 s: the session should not be idle');
      }
    });
  });

  itStopsCleanly(() => srv);
});
