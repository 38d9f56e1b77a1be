// accounts.test.mjs - creating accounts: sign-up through the HTML form and
// the JSON API, the validation rules (email, password length, common
// passwords), escaping of hostile display names, and invitation-only
// sign-up when [network] open_signup = false.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, uniqueEmail, logIn, signUpJson, account, jsonError,
  GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';

const HOSTILE_NAME = "<script>{{x}}</script>' OR 1=1 --";

describe('accounts (open sign-up)', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(() => srv?.stop());

  describe('sign-up through the HTML form', () => {
    it('redirects to /account?welcome=1 and sets an HttpOnly, SameSite=Lax session cookie without Secure', async () => {
      const c = srv.client();
      const form = await c.get('/signup');
      assert.equal(form.status, 200);
      assert.match(form.text, /<form[^>]*action="\/signup"/);
      const res = await c.postForm('/signup', {
        email: uniqueEmail('form'), display_name: 'Robin', password: GOOD_PASSWORD,
      });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/account?welcome=1');
      const cookie = res.setCookies.find((s) => s.startsWith('hearth_session='));
      assert.ok(cookie, `no session cookie in ${res.setCookies}`);
      assert.match(cookie, /^hearth_session=[0-9a-f]{64};/);
      assert.match(cookie, /;\s*HttpOnly(;|$)/i);
      assert.match(cookie, /;\s*SameSite=Lax(;|$)/i);
      assert.match(cookie, /;\s*Path=\/(;|$)/);
      assert.doesNotMatch(cookie, /;\s*Secure(;|$)/i, 'no Secure flag on plain http');
    });

    it('shows the display name and a welcome on the account page', async () => {
      const c = srv.client();
      const email = uniqueEmail('form');
      await c.get('/signup');
      await c.postForm('/signup', { email, display_name: 'Robin Redbreast', password: GOOD_PASSWORD });
      const page = await c.get('/account?welcome=1');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type'), /^text\/html/);
      assert.match(page.text, /value="Robin Redbreast"/);
      assert.ok(page.text.includes(email), 'the account page shows the email address');
      assert.match(page.text, /Welcome! Your account is ready\./);
    });
  });

  describe('sign-up through the JSON API', () => {
    it('answers 201 with the person, the id as a string, and signs the person in', async () => {
      const c = srv.client();
      const email = uniqueEmail('json');
      const res = await c.postJson('/api/v1/signup', { email, display_name: 'Ash', pronouns: 'they/them', password: GOOD_PASSWORD });
      assert.equal(res.status, 201);
      const p = res.json.person;
      assert.equal(typeof p.id, 'string');
      assert.match(p.id, /^[1-9][0-9]*$/);
      assert.equal(p.email, email);
      assert.equal(p.display_name, 'Ash');
      assert.equal(p.pronouns, 'they/them');
      assert.equal(p.is_admin, false);
      assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(c.sessionToken, 'a session cookie was set');
      assert.deepEqual(await account(c), p);
    });

    it('refuses an email address that already has an account (409), whatever its case', async () => {
      const email = uniqueEmail('dup');
      await signUpJson(srv.client(), { email });
      for (const again of [email, email.toUpperCase()]) {
        const res = await srv.client().postJson('/api/v1/signup', { email: again, display_name: 'Other', password: GOOD_PASSWORD });
        assert.equal(res.status, 409, again);
        assert.equal(jsonError(res).code, 'conflict');
        assert.equal(jsonError(res).field, 'email');
      }
    });

    it('lets only one of two simultaneous sign-ups with the same email through (201 and 409)', async () => {
      const email = uniqueEmail('race');
      const results = await Promise.all([1, 2].map((n) =>
        srv.client().postJson('/api/v1/signup', { email, display_name: `Racer ${n}`, password: GOOD_PASSWORD })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409], results.map((r) => r.text).join(''));
    });

    it('refuses an invalid email address (422, field "email")', async () => {
      for (const email of ['not-an-email', 'a@b', '@example.org', 'two@@example.org', 'sp ace@example.org']) {
        const res = await srv.client().postJson('/api/v1/signup', { email, display_name: 'X', password: GOOD_PASSWORD });
        assert.equal(res.status, 422, email);
        assert.equal(jsonError(res).code, 'invalid');
        assert.equal(jsonError(res).field, 'email');
      }
    });

    it('refuses a password shorter than 8 characters (422, field "password") and stores nothing', async () => {
      const email = uniqueEmail('short');
      const res = await srv.client().postJson('/api/v1/signup', { email, display_name: 'X', password: 'abc1234' });
      assert.equal(res.status, 422);
      assert.equal(jsonError(res).field, 'password');
      // Nothing was stored: the same address can still sign up.
      await signUpJson(srv.client(), { email });
    });

    it('refuses a common password with a kind message', async () => {
      for (const password of ['password123', 'iloveyou1', 'PASSWORD123']) {
        const res = await srv.client().postJson('/api/v1/signup', { email: uniqueEmail('common'), display_name: 'X', password });
        assert.equal(res.status, 422, password);
        const err = jsonError(res);
        assert.equal(err.field, 'password');
        assert.match(err.message, /common/i);
        assert.match(err.message, /please/i, 'the message is kind and says what to do');
      }
    });

    it('refuses a 129-character password but takes one of 128', async () => {
      const tooLong = await srv.client().postJson('/api/v1/signup', { email: uniqueEmail('long'), display_name: 'X', password: 'k'.repeat(120) + 'abcdefghi' });
      assert.equal(tooLong.status, 422);
      assert.equal(jsonError(tooLong).field, 'password');
      await signUpJson(srv.client(), { password: 'k'.repeat(120) + 'abcdefgh' });
    });

    it('refuses a missing display name (422, field "display_name")', async () => {
      const res = await srv.client().postJson('/api/v1/signup', { email: uniqueEmail('noname'), display_name: '', password: GOOD_PASSWORD });
      assert.equal(res.status, 422);
      assert.equal(jsonError(res).field, 'display_name');
    });
  });

  describe('a display name with HTML and template syntax', () => {
    it('is returned exactly by the JSON API', async () => {
      const c = srv.client();
      const p = await signUpJson(c, { name: HOSTILE_NAME });
      assert.equal(p.display_name, HOSTILE_NAME);
      assert.equal((await account(c)).display_name, HOSTILE_NAME);
    });

    it('is shown escaped on HTML pages, with the template syntax left as text', async () => {
      const c = srv.client();
      await c.get('/signup');
      const res = await c.postForm('/signup', { email: uniqueEmail('xss'), display_name: HOSTILE_NAME, password: GOOD_PASSWORD });
      assert.equal(res.status, 303);
      for (const pagePath of ['/account', '/']) {
        const page = await c.get(pagePath);
        assert.equal(page.status, 200);
        assert.ok(page.text.includes('&lt;script&gt;{{x}}&lt;/script&gt;&#39; OR 1=1 --'),
          `${pagePath} shows the name escaped`);
        assert.ok(!page.text.includes('<script>'), `${pagePath} has no raw <script>`);
      }
    });

    it('is kept and escaped when the form is shown again after an error', async () => {
      const c = srv.client();
      await c.get('/signup');
      const res = await c.postForm('/signup', { email: uniqueEmail('xss'), display_name: HOSTILE_NAME, password: 'short' });
      assert.equal(res.status, 422);
      assert.ok(res.text.includes('value="&lt;script&gt;{{x}}&lt;/script&gt;&#39; OR 1=1 --"'));
      assert.ok(!res.text.includes('<script>'));
    });
  });

  itStopsCleanly(() => srv);
});

describe('accounts (sign-up by invitation: open_signup = false)', () => {
  let srv;
  before(async () => { srv = await startServer({ config: { network: { open_signup: 'false' } } }); });
  after(() => srv?.stop());

  async function adminClient() {
    const c = srv.client();
    await logIn(c, ADMIN_EMAIL, ADMIN_PASSWORD);
    return c;
  }

  it('answers GET /signup with 403 and a helpful message', async () => {
    const res = await srv.client().get('/signup');
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.text, /by invitation/);
    assert.match(res.text, /Ask a facilitator or coordinator for an invitation link/);
  });

  it('refuses sign-up without an invitation (403) on the form and the API', async () => {
    const json = await srv.client().postJson('/api/v1/signup', { email: uniqueEmail(), display_name: 'X', password: GOOD_PASSWORD });
    assert.equal(json.status, 403);
    assert.equal(jsonError(json).code, 'forbidden');
    const c = srv.client();
    await c.get('/login'); // any page, for the CSRF token
    const form = await c.postForm('/signup', { email: uniqueEmail(), display_name: 'X', password: GOOD_PASSWORD });
    assert.equal(form.status, 403);
  });

  it('lets only administrators make invitations', async () => {
    const anonymous = srv.client();
    assert.equal((await anonymous.postJson('/api/v1/admin/invitations', {})).status, 401);
    // A member (who joined through an invitation) is not an administrator.
    const admin = await adminClient();
    const inv = await admin.postJson('/api/v1/admin/invitations', {});
    const member = srv.client();
    const joined = await member.postJson('/api/v1/signup', {
      email: uniqueEmail('member'), display_name: 'Member', password: GOOD_PASSWORD,
      invite: new URLSearchParams(inv.json.created.path.split('?')[1]).get('invite'),
    });
    assert.equal(joined.status, 201);
    const res = await member.postJson('/api/v1/admin/invitations', {});
    assert.equal(res.status, 403);
    assert.equal((await member.get('/admin/invitations')).status, 403);
  });

  it('makes an invitation through the JSON API whose link works exactly once', async () => {
    const admin = await adminClient();
    const res = await admin.postJson('/api/v1/admin/invitations', {});
    assert.equal(res.status, 201);
    const { path: link, id } = res.json.created;
    assert.match(id, /^[0-9]+$/);
    assert.match(link, /^\/signup\?invite=[0-9a-f]{32}$/);
    const token = new URL(link, srv.origin).searchParams.get('invite');

    // First use, in a browser: the form carries the invitation along.
    const c = srv.client();
    const form = await c.get(link);
    assert.equal(form.status, 200);
    assert.ok(form.text.includes(`<input type="hidden" name="invite" value="${token}">`));
    const done = await c.postForm('/signup', {
      invite: token, email: uniqueEmail('invited'), display_name: 'Invited', password: GOOD_PASSWORD,
    });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/account?welcome=1');
    assert.equal((await account(c)).display_name, 'Invited');

    // Second use: the link is gone.
    const again = srv.client();
    assert.equal((await again.get(link)).status, 404);
    await again.get('/login');
    const second = await again.postForm('/signup', {
      invite: token, email: uniqueEmail('second'), display_name: 'Second', password: GOOD_PASSWORD,
    });
    assert.equal(second.status, 404);
    const secondJson = await srv.client().postJson('/api/v1/signup', {
      invite: token, email: uniqueEmail('second'), display_name: 'Second', password: GOOD_PASSWORD,
    });
    assert.equal(secondJson.status, 404);
    assert.equal(jsonError(secondJson).field, 'invite');

    // The administrator sees it as used.
    const list = await admin.get('/api/v1/admin/invitations');
    assert.equal(list.json.invitations.find((v) => v.id === id).used, true);
  });

  it('makes an invitation through the HTML form, shown once on the page', async () => {
    const admin = await adminClient();
    await admin.get('/admin/invitations');
    const email = uniqueEmail('guest');
    const res = await admin.postForm('/admin/invitations', { email });
    assert.equal(res.status, 201);
    const m = /<code>(\/signup\?invite=([0-9a-f]{32}))<\/code>/.exec(res.text);
    assert.ok(m, 'the page shows the invitation link');
    const [, , token] = m;

    // The invitation is for that address only.
    const other = await srv.client().postJson('/api/v1/signup', {
      invite: token, email: uniqueEmail('someone-else'), display_name: 'X', password: GOOD_PASSWORD,
    });
    assert.equal(other.status, 422);
    assert.equal(jsonError(other).field, 'email');

    const c = srv.client();
    await c.get(m[1]);
    const ok = await c.postForm('/signup', { invite: token, email, display_name: 'Guest', password: GOOD_PASSWORD });
    assert.equal(ok.status, 303);
    assert.equal((await srv.client().get(m[1])).status, 404);
  });

  it('lets only one of two simultaneous sign-ups use the same invitation', async () => {
    const admin = await adminClient();
    const inv = await admin.postJson('/api/v1/admin/invitations', {});
    const token = new URL(inv.json.created.path, srv.origin).searchParams.get('invite');
    const results = await Promise.all([1, 2].map((n) => srv.client().postJson('/api/v1/signup', {
      invite: token, email: uniqueEmail(`race${n}`), display_name: `Racer ${n}`, password: GOOD_PASSWORD,
    })));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses[0], 201, results.map((r) => r.text).join(''));
    assert.ok([404, 409].includes(statuses[1]), `the second gets 404 or 409, not ${statuses[1]}`);
  });

  it('refuses a made-up invitation token (404)', async () => {
    assert.equal((await srv.client().get(`/signup?invite=${'0'.repeat(32)}`)).status, 404);
    assert.equal((await srv.client().get('/signup?invite=nonsense')).status, 404);
  });

  itStopsCleanly(() => srv);
});
