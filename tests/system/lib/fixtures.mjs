// fixtures.mjs - what the system tests share on top of server.mjs: accounts
// made with the CLI, SQL run straight on the test database (only to let
// time pass or to look at what was stored), local dates in the network's
// zone, the JSON API's call-and-check helpers, a page's shape, and the
// people and group that the group-conversation tests start from.

import assert from 'node:assert/strict';
import {
  uniqueEmail, logIn, account, jsonError, hearth, run, USE_PG,
  GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD,
} from './server.mjs';

/** The network's time zone in the tests (the server's default). */
export const ZONE = 'Europe/London';
export const DAY = 24 * 60 * 60 * 1000;

/** The local date in London n days from now: "YYYY-MM-DD". */
export function localDate(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + days * DAY));
}

/** Adds an account with the CLI, with network roles; returns its email. */
export async function addUser(srv, name, roles = []) {
  const email = uniqueEmail(name.split(' ')[0].toLowerCase());
  const args = ['--database', srv.database.url, 'user', 'add', email, '--name', name, '--password-stdin'];
  for (const r of roles)
    args.push('--role', r);
  const res = await hearth(args, { input: `${GOOD_PASSWORD}\n` });
  assert.equal(res.code, 0, res.stderr);
  return email;
}

/** Runs SQL straight on the test database; its rows as text, one a line,
 * columns separated by "|". */
export async function sql(srv, text) {
  const r = USE_PG
    ? await run('psql', ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-d', srv.database.name, '-c', text])
    : await run('sqlite3', ['-cmd', '.timeout 5000', srv.database.url, text]);
  assert.equal(r.code, 0, `${text}: ${r.stderr}`);
  return r.stdout;
}

/** One h1 on a page, the CSRF field in every POST form, and a label for
 * every field. */
export function assertPageShape(html) {
  assert.equal((html.match(/<h1[\s>]/g) || []).length, 1, 'one h1 per page');
  const forms = html.match(/<form[^>]*method="post"[^>]*>[\s\S]*?<\/form>/g) || [];
  for (const f of forms)
    assert.match(f, /<input type="hidden" name="csrf" value="[^"]+">/, `form without csrf: ${f.slice(0, 120)}`);
  for (const [, id] of html.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g))
    assert.match(html, new RegExp(`<label for="${id}"`), `a label for #${id}`);
}

/** The JSON API's helpers for the server getServer() returns (called when
 * a helper is used, so it may be started later, in before()):
 *   post(client, path, body)      POST /api/v1<path> from the server's origin
 *   ok(promise, status = 200)     asserts the status; the JSON body
 *   refused(promise, status, re)  asserts the status and that the error's
 *                                 message matches re; the error */
export function jsonApi(getServer) {
  const post = (c, path, body = {}) =>
    c.postJson(`/api/v1${path}`, body, { headers: { origin: getServer().origin } });
  const ok = async (p, status = 200) => {
    const res = await p;
    assert.equal(res.status, status, `${res.status} ${res.text}`);
    return res.json;
  };
  const refused = async (p, status, re) => {
    const res = await p;
    assert.equal(res.status, status, `${res.status} ${res.text}`);
    const e = jsonError(res);
    if (re)
      assert.match(e.message, re);
    return e;
  };
  return { post, ok, refused };
}

/** The people the group tests start from, signed in: admin, and accounts
 * made with the CLI for Fran (fac), Mo (mem), Kit (mem2) and Olu (out),
 * and anon, a client that never signs in. id maps those names to the
 * accounts' ids. */
export async function signInCast(srv) {
  const emails = { fac: await addUser(srv, 'Fran'), mem: await addUser(srv, 'Mo'),
    mem2: await addUser(srv, 'Kit'), out: await addUser(srv, 'Olu') };
  const cast = { admin: srv.client(), anon: srv.client(), id: {} };
  await logIn(cast.admin, ADMIN_EMAIL, ADMIN_PASSWORD);
  for (const who of ['fac', 'mem', 'mem2', 'out']) {
    cast[who] = srv.client();
    await logIn(cast[who], emails[who]);
    cast.id[who] = (await account(cast[who])).id;
  }
  return cast;
}

/** An open, active, peer-led online group made by the admin, which fac,
 * mem and mem2 of the cast join; fac becomes its facilitator unless
 * { facilitator: false }. Returns its id. */
export async function castGroup(api, cast, name, { facilitator = true } = {}) {
  const { post, ok } = api;
  const groupId = (await ok(post(cast.admin, '/groups', {
    name, purpose: 'To meet and talk.', format: 'online',
    online_link: 'https://meet.example.org/a', access: 'open', facilitation: 'peer_led', status: 'active',
  }), 201)).group.id;
  for (const c of [cast.fac, cast.mem, cast.mem2])
    await ok(post(c, `/groups/${groupId}/join`), 201);
  if (facilitator)
    await ok(post(cast.admin, `/groups/${groupId}/members/${cast.id.fac}/role`, { role: 'facilitator' }));
  return groupId;
}
