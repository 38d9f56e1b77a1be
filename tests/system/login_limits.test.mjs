// login_limits.test.mjs - failed-login limits: per account ([login]
// account_failures) and per address ([login] address_failures). A locked
// login gets 429 with Retry-After, even with the right password, and works
// again once that time has passed. Each limit has its own server.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, jsonError, sleep, GOOD_PASSWORD, itStopsCleanly } from './lib/server.mjs';

function login(srv, email, password) {
  return srv.client().postJson('/api/v1/login', { email, password });
}

/** Asserts a 429 with an integer Retry-After; returns its seconds. */
function assertLimited(res) {
  assert.equal(res.status, 429, res.text);
  const retry = res.headers.get('retry-after');
  assert.match(retry ?? '', /^[1-9][0-9]*$/, `Retry-After: ${retry}`);
  if (res.json) {
    assert.equal(jsonError(res).code, 'too_many_requests');
    assert.match(jsonError(res).message, /wait/);
  }
  return Number(retry);
}

describe('login limits per account ([login] account_failures = 3)', () => {
  const email = uniqueEmail('locked');
  const other = uniqueEmail('free');
  let srv;
  before(async () => {
    srv = await startServer({ config: { login: { account_failures: 3 } }, users: [{ email }, { email: other }] });
  });
  after(() => srv?.stop());

  it('after 3 wrong passwords, refuses even the right one with 429 and Retry-After, then lets it in after waiting', async () => {
    for (let i = 1; i <= 3; i++)
      assert.equal((await login(srv, email, `wrong password ${i}`)).status, 401, `attempt ${i}`);

    const locked = await login(srv, email, GOOD_PASSWORD);
    const seconds = assertLimited(locked);

    // The HTML form says the same, with the header.
    const c = srv.client();
    await c.get('/login');
    const page = await c.postForm('/login', { email, password: GOOD_PASSWORD });
    assertLimited(page);
    assert.match(page.text, /unsuccessful attempts to log in/);
    assert.equal(c.sessionToken, null);

    // Another account from the same address is not locked.
    assert.equal((await login(srv, other, GOOD_PASSWORD)).status, 200);

    await sleep(seconds * 1000);
    const ok = await login(srv, email, GOOD_PASSWORD);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.person.email, email);
  });

  it('counts an email in any letter case as the same account', async () => {
    const who = uniqueEmail('cased');
    for (const variant of [who, who.toUpperCase(), who])
      assert.equal((await login(srv, variant, 'wrong password')).status, 401);
    assertLimited(await login(srv, who.toUpperCase(), 'wrong password'));
  });

  itStopsCleanly(() => srv);
});

describe('login limits per address ([login] address_failures = 5)', () => {
  const email = uniqueEmail('victim');
  let srv;
  before(async () => {
    srv = await startServer({ config: { login: { address_failures: 5 } }, users: [{ email }] });
  });
  after(() => srv?.stop());

  it('after 5 failures with different emails, answers the 6th attempt with 429', async () => {
    for (let i = 1; i <= 5; i++)
      assert.equal((await login(srv, uniqueEmail(`guess${i}`), 'some password')).status, 401, `attempt ${i}`);
    assertLimited(await login(srv, uniqueEmail('guess6'), 'some password'));
    // The lock is on the address, so it holds for a real account too.
    assertLimited(await login(srv, email, GOOD_PASSWORD));
    // X-Forwarded-For is not trusted by default ([server] trust_proxy), so
    // it cannot be used to get round the lock.
    const spoofed = await srv.client().postJson('/api/v1/login', { email, password: GOOD_PASSWORD },
      { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assertLimited(spoofed);
  });

  itStopsCleanly(() => srv);
});
