// bad_input.test.mjs - requests the server must refuse, and refuse without
// changing anything: bodies over 64 KiB (413), broken UTF-8 in forms and
// addresses (400), malformed or mistyped JSON (400), unknown fields (400),
// unknown paths (404), wrong methods (405) and content types (415).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniqueEmail, logIn, account, jsonError, GOOD_PASSWORD, itStopsCleanly } from './lib/server.mjs';

const FORM = 'application/x-www-form-urlencoded';
const BIG = 65 * 1024; // just over the 64 KiB limit

describe('bad input', () => {
  const email = uniqueEmail('bea');
  let srv;
  let me;
  let before_; // the profile before each refused request
  before(async () => {
    srv = await startServer({ users: [{ email, name: 'Bea' }] });
    me = srv.client();
    await logIn(me, email);
    await me.get('/account'); // for the csrf token
    before_ = await account(me);
  });
  after(() => srv?.stop());

  /** Asserts the profile (name, pronouns, admin flag...) is as it was. */
  async function assertUnchanged() {
    assert.deepEqual(await account(me), before_);
  }

  /** Asserts nobody signed up with this email: signing up now works. */
  async function assertNoAccount(newEmail) {
    const res = await srv.client().postJson('/api/v1/signup', { email: newEmail, display_name: 'Later', password: GOOD_PASSWORD });
    assert.equal(res.status, 201, `an account for ${newEmail} exists already`);
  }

  /** A body sent in chunks, with no Content-Length. */
  function chunked(text, chunkSize = 8192) {
    const bytes = Buffer.from(text);
    let at = 0;
    return new ReadableStream({
      pull(controller) {
        if (at >= bytes.length)
          return controller.close();
        controller.enqueue(bytes.subarray(at, at + chunkSize));
        at += chunkSize;
      },
    });
  }

  describe('too large (413)', () => {
    it('refuses a form body over 64 KiB', async () => {
      const res = await me.postForm('/account', { display_name: 'x'.repeat(BIG) });
      assert.equal(res.status, 413);
      await assertUnchanged();
    });

    it('refuses a JSON body over 64 KiB', async () => {
      const res = await me.postJson('/api/v1/account', { display_name: 'x'.repeat(BIG) });
      assert.equal(res.status, 413);
      assert.equal(jsonError(res).code, 'too_large');
      await assertUnchanged();
    });

    it('refuses an oversized body sent in chunks without Content-Length', async () => {
      const json = await me.request('POST', '/api/v1/account', {
        body: chunked(JSON.stringify({ display_name: 'y'.repeat(BIG) })), type: 'application/json', json: true, duplex: 'half',
      });
      assert.equal(json.status, 413);
      const form = await me.request('POST', '/account', {
        body: chunked(`csrf=${me.csrf}&display_name=${'y'.repeat(BIG)}`), type: FORM, duplex: 'half',
      });
      assert.equal(form.status, 413);
      await assertUnchanged();
    });

    it('refuses an oversized sign-up, creating no account', async () => {
      const newEmail = uniqueEmail('big');
      const res = await srv.client().postJson('/api/v1/signup', { email: newEmail, display_name: 'Big', password: GOOD_PASSWORD, pronouns: 'z'.repeat(BIG) });
      assert.equal(res.status, 413);
      await assertNoAccount(newEmail);
    });
  });

  describe('broken text (400)', () => {
    it('refuses a form field with broken UTF-8 sent as %FF', async () => {
      const body = Buffer.from(`csrf=${me.csrf}&display_name=Bad%FFName`);
      const res = await me.request('POST', '/account', { body, type: FORM });
      assert.equal(res.status, 400);
      await assertUnchanged();
    });

    it('refuses a form field with a raw 0xFF byte', async () => {
      const body = Buffer.concat([Buffer.from(`csrf=${me.csrf}&display_name=Bad`), Buffer.from([0xff]), Buffer.from('Name')]);
      const res = await me.request('POST', '/account', { body, type: FORM });
      assert.equal(res.status, 400);
      await assertUnchanged();
    });

    it('refuses a form field with a NUL or other control character', async () => {
      for (const bad of ['Bad%00Name', 'Bad%01Name']) {
        const res = await me.request('POST', '/account', { body: `csrf=${me.csrf}&display_name=${bad}`, type: FORM });
        assert.equal(res.status, 400, bad);
      }
      await assertUnchanged();
    });

    it('refuses broken UTF-8 in a sign-up form, creating no account', async () => {
      const c = srv.client();
      await c.get('/signup');
      const newEmail = uniqueEmail('utf');
      const res = await c.request('POST', '/signup', {
        body: `csrf=${c.csrf}&email=${encodeURIComponent(newEmail)}&display_name=%C3%28&password=${encodeURIComponent(GOOD_PASSWORD)}`,
        type: FORM,
      });
      assert.equal(res.status, 400);
      await assertNoAccount(newEmail);
    });

    it('refuses broken UTF-8 or broken escapes in the address', async () => {
      for (const urlPath of ['/%FF', '/account%FF', '/api/v1/account%C3%28', '/?x=%FF', '/%zz', '/account%00']) {
        const res = await me.get(urlPath);
        assert.equal(res.status, 400, urlPath);
      }
      const json = await me.get('/api/v1/%FF');
      assert.equal(json.status, 400);
    });

    it('refuses a JSON string with a NUL character (400)', async () => {
      const res = await me.postJson('/api/v1/account', '{"display_name": "Bad\\u0000Name"}');
      assert.equal(res.status, 400);
      await assertUnchanged();
    });
  });

  describe('malformed JSON (400)', () => {
    const cases = [
      ['not JSON at all', '{"display_name": "Unclosed'],
      ['an array, not an object', '["display_name", "X"]'],
      ['a number for a text field', { display_name: 5 }],
      ['an object for a text field', { display_name: { first: 'X' } }],
      ['an unknown field', { display_name: 'X', is_admin: true }],
      ['a duplicate key', '{"display_name": "A", "display_name": "B"}'],
      ['a csrf field (forms only)', { display_name: 'X', csrf: 'abc' }],
      ['an empty body', ''],
    ];
    for (const [what, body] of cases) {
      it(`refuses ${what}`, async () => {
        const res = await me.postJson('/api/v1/account', body);
        assert.equal(res.status, 400);
        assert.equal(jsonError(res).code, 'bad_request');
        await assertUnchanged();
      });
    }

    it('refuses an unknown field at sign-up (no making oneself an administrator)', async () => {
      const newEmail = uniqueEmail('admin-wannabe');
      const res = await srv.client().postJson('/api/v1/signup', { email: newEmail, display_name: 'X', password: GOOD_PASSWORD, is_admin: true });
      assert.equal(res.status, 400);
      await assertNoAccount(newEmail);
    });

    it('refuses an unknown form field', async () => {
      const res = await me.postForm('/account', { display_name: 'X', is_admin: '1' });
      assert.equal(res.status, 400);
      await assertUnchanged();
    });
  });

  describe('wrong address, method or content type', () => {
    it('answers an unknown path with 404', async () => {
      for (const urlPath of ['/nope', '/account/nope', '/api/v1/nope', '/static/nope.css', '/account/sessions/1/end/more'])
        assert.equal((await me.get(urlPath)).status, 404, urlPath);
    });

    it('answers PUT /account with 405 and Allow, changing nothing', async () => {
      const res = await me.request('PUT', '/account', { body: JSON.stringify({ display_name: 'Put' }), type: 'application/json' });
      assert.equal(res.status, 405);
      const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
      assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${allow}`);
      assert.ok(!allow.includes('PUT'));
      await assertUnchanged();
    });

    it('answers DELETE /api/v1/account with 405 in JSON', async () => {
      const res = await me.request('DELETE', '/api/v1/account');
      assert.equal(res.status, 405);
      assert.equal(jsonError(res).code, 'method_not_allowed');
      assert.ok(res.headers.get('allow'));
      await assertUnchanged();
    });

    it('answers a text/plain body on POST /login with 415', async () => {
      const c = srv.client();
      await c.get('/login');
      const res = await c.request('POST', '/login', {
        body: `csrf=${c.csrf}&email=${encodeURIComponent(email)}&password=${encodeURIComponent(GOOD_PASSWORD)}`,
        type: 'text/plain',
      });
      assert.equal(res.status, 415);
      assert.equal(c.sessionToken, null, 'not logged in');
    });

    it('answers a text/plain body on POST /account with 415, changing nothing', async () => {
      const res = await me.request('POST', '/account', { body: `csrf=${me.csrf}&display_name=Plain`, type: 'text/plain' });
      assert.equal(res.status, 415);
      await assertUnchanged();
    });

    it('refuses a file upload in a multipart form (415) but takes a plain multipart form', async () => {
      const withFile = new FormData();
      withFile.append('csrf', me.csrf);
      withFile.append('display_name', new Blob(['Filed']), 'name.txt');
      const res = await me.request('POST', '/account', { body: withFile });
      assert.equal(res.status, 415);
      await assertUnchanged();

      const plain = new FormData();
      plain.append('csrf', me.csrf);
      plain.append('display_name', before_.display_name);
      assert.equal((await me.request('POST', '/account', { body: plain })).status, 303);
    });
  });

  itStopsCleanly(() => srv);
});
