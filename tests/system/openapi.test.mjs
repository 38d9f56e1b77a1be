// openapi.test.mjs - the OpenAPI 3.1 description at /api/v1/openapi.json,
// on SQLite and on PostgreSQL: it is a well-formed OpenAPI 3.1 document; it
// lists exactly the routes `hearth routes` prints (so no route can be
// missing from it), with their access levels; and it is kept true by
// calling every operation it lists, with a suitable caller and real ids,
// checking that the answer's status is the one the document gives for
// success, that the answer fits the documented schema, and that the body
// sent fits the documented request schema. An operation this file does not
// know yet is still called (as an administrator, with the ids it can guess)
// and must answer with a status the document lists: never a 5xx, never a
// 404 or 405 from the router.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, uniqueEmail, logIn, account, hearth, signUpJson,
  GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { unsubscribeToken } from './lib/smtp_sink.mjs';

const ZONE = 'Europe/London';
const DAY = 24 * 60 * 60 * 1000;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The date in London n days from now: "YYYY-MM-DD". */
function localDate(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + days * DAY));
}

let counter = 0;
const unique = (what) => `${what} ${++counter}`;

// ---- a small JSON Schema checker ----------------------------------------
// Enough of JSON Schema for what the document uses: type, enum, pattern,
// properties, required, additionalProperties: false, items, anyOf,
// maxItems, minLength, maxLength. Returns a list of problems.

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

function checkSchema(schema, value, where = '$') {
  const problems = [];
  if (schema.anyOf) {
    if (!schema.anyOf.some((s) => checkSchema(s, value, where).length === 0))
      problems.push(`${where}: fits none of anyOf`);
    return problems;
  }
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return [`${where}: ${JSON.stringify(value)?.slice(0, 60)} is not ${types.join(' or ')}`];
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${where}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      problems.push(`${where}: "${value}" does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && [...value].length < schema.minLength)
      problems.push(`${where}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength)
      problems.push(`${where}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      problems.push(`${where}: more than ${schema.maxItems} items`);
    if (schema.items)
      value.forEach((v, i) => problems.push(...checkSchema(schema.items, v, `${where}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    for (const r of schema.required ?? [])
      if (!(r in value))
        problems.push(`${where}: "${r}" is missing`);
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties?.[k];
      if (sub)
        problems.push(...checkSchema(sub, v, `${where}.${k}`));
      else if (schema.additionalProperties === false)
        problems.push(`${where}: "${k}" is not a documented field`);
    }
  }
  return problems;
}

// ---- the world -----------------------------------------------------------

/** Admin, a facilitator and a member of group A (which needs approval),
 * an open group B, a held meeting H (today from 00:00) with an action X,
 * a tag and an organisation. */
async function buildWorld(srv) {
  const w = { srv, c: {}, id: {}, email: {} };
  for (const who of ['facilitator', 'member']) {
    w.email[who] = uniqueEmail(who);
    const res = await hearth(['--database', srv.database.url, 'user', 'add', w.email[who], '--name', who,
      '--password-stdin'], { input: `${GOOD_PASSWORD}\n` });
    assert.equal(res.code, 0, res.stderr);
    w.c[who] = srv.client();
    await logIn(w.c[who], w.email[who]);
    w.id[who] = (await account(w.c[who])).id;
  }
  w.anon = srv.client();
  w.admin = srv.client();
  await logIn(w.admin, ADMIN_EMAIL, ADMIN_PASSWORD);
  const ok = async (promise, status = 200) => {
    const res = await promise;
    assert.equal(res.status, status, `${res.status} ${res.text}`);
    return res.json;
  };
  w.ok = ok;
  const group = async (name, access) => (await ok(w.admin.postJson('/api/v1/groups', {
    name, purpose: 'To meet, talk and support each other.', format: 'hybrid',
    venue_name: 'Community Hall', venue_address: '1 High Street', online_link: 'https://meet.example.org/a',
    access, facilitation: 'peer_led', status: 'active',
    rrule: 'FREQ=WEEKLY;BYDAY=TU', schedule_start: '2026-01-06T18:30', duration_minutes: 90,
  }), 201)).group.id;
  w.A = await group('Group A', 'approval');
  w.B = await group('Group B', 'open');
  w.newInvite = async () => (await ok(w.admin.postJson(`/api/v1/groups/${w.A}/invites`, {}), 201)).invite;
  const { path } = await w.newInvite();
  const token = new URL(path, srv.origin).searchParams.get('invite');
  for (const who of ['facilitator', 'member'])
    await ok(w.c[who].postJson(`/api/v1/groups/${w.A}/join`, { invite: token }), 201);
  await ok(w.admin.postJson(`/api/v1/groups/${w.A}/members/${w.id.facilitator}/role`, { role: 'facilitator' }));

  w.meeting = async (days, start, end) => (await ok(w.admin.postJson(`/api/v1/groups/${w.A}/meetings`,
    { date: localDate(days), start_time: start, end_time: end }), 201)).meeting.id;
  w.cancel = (mid) => ok(w.admin.postJson(`/api/v1/meetings/${mid}/cancel`, { notice: 'The hall is closed.' }));
  w.action = async () => {
    await ok(w.admin.postJson(`/api/v1/meetings/${w.H}/actions`,
      { description: unique('Book the hall'), owner_id: w.id.member }), 201);
    return (await ok(w.admin.get(`/api/v1/meetings/${w.H}`))).meeting.actions.at(-1).id;
  };
  w.newTag = async () => (await ok(w.admin.postJson('/api/v1/tags', { name: unique('Tag') }), 201)).tag;
  /** A new person, signed in on their own client: {c, id, email}. */
  w.person = async () => {
    const c = srv.client();
    const email = uniqueEmail('person');
    const p = await signUpJson(c, { email, name: 'Pat' });
    return { c, id: p.id, email };
  };
  w.H = await w.meeting(0, '00:00', '00:30');
  await ok(w.admin.postJson(`/api/v1/meetings/${w.H}/attendance`,
    { attendance: [{ person_id: w.id.member, status: 'present' }] }));
  w.X = await w.action();
  w.tag = await w.newTag();
  w.org = (await ok(w.admin.postJson('/api/v1/organisations', { name: 'Harbour Trust' }), 201)).organisation;
  return w;
}

// ---- how to call each operation ---------------------------------------------
// Each gives {client, path, body} for one call that should succeed; async
// ones make what the call needs first.

/** Agendas: a new upcoming meeting of A with an item the member proposed;
 * with started, the meeting is then made to have started (time passing,
 * by SQL on the test database). */
async function agendaItem(w, { started = false } = {}) {
  const mid = await w.meeting(7, '10:00', '11:00');
  const res = await w.c.member.postJson(`/api/v1/meetings/${mid}/agenda/items`,
    { title: unique('Item'), why: 'It matters to us.' });
  assert.equal(res.status, 201, res.text);
  if (started) {
    const { run, USE_PG } = await import('./lib/server.mjs');
    const q = `UPDATE meeting SET starts_at = ${Date.now() - 3600000} WHERE id = ${mid}`;
    const r = USE_PG
      ? await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', w.srv.database.name, '-c', q])
      : await run('sqlite3', ['-cmd', '.timeout 5000', w.srv.database.url, q]);
    assert.equal(r.code, 0, r.stderr);
  }
  return { mid, item: res.json.item.id };
}

/** Conversation: a new thread in A started by its member; its id. */
async function threadOfA(w) {
  return (await w.ok(w.c.member.postJson(`/api/v1/groups/${w.A}/posts`,
    { kind: 'discussion', title: unique('Thread'), body: 'Hello *all*.' }), 201)).thread.id;
}

const CALLS = {
  'GET /': (w) => ({ client: w.anon, path: '/?q=group' }),
  'GET /signup': (w) => ({ client: w.anon, path: '/signup' }),
  'POST /signup': (w) => ({
    client: w.srv.client(), path: '/signup',
    body: { email: uniqueEmail('new'), display_name: 'Newcomer', pronouns: 'she/her', password: GOOD_PASSWORD },
  }),
  'GET /login': (w) => ({ client: w.anon, path: '/login?next=/me' }),
  'POST /login': (w) => ({ client: w.srv.client(), path: '/login', body: { email: w.email.member, password: GOOD_PASSWORD } }),
  'POST /logout': async (w) => ({ client: (await w.person()).c, path: '/logout', body: {} }),
  'GET /account': (w) => ({ client: w.c.member, path: '/account' }),
  'POST /account': (w) => ({
    client: w.c.member, path: '/account', body: { display_name: 'member', pronouns: 'they/them', access_needs: 'Step-free' },
  }),
  'GET /account/sessions': (w) => ({ client: w.c.member, path: '/account/sessions' }),
  'POST /account/sessions/{id}/end': async (w) => {
    const side = w.srv.client();
    await logIn(side, w.email.member);
    const id = (await w.ok(side.get('/api/v1/account/sessions'))).sessions.find((s) => s.current).id;
    return { client: w.c.member, path: `/account/sessions/${id}/end`, body: {} };
  },
  'GET /account/password': (w) => ({ client: w.c.member, path: '/account/password' }),
  'POST /account/password': async (w) => ({
    client: (await w.person()).c, path: '/account/password',
    body: { current_password: GOOD_PASSWORD, new_password: 'orchard lantern kettle 43' },
  }),
  'GET /me': (w) => ({ client: w.c.member, path: '/me' }),
  'GET /account/notifications': (w) => ({ client: w.c.member, path: '/account/notifications' }),
  'POST /account/notifications': (w) => ({
    client: w.c.member, path: '/account/notifications', body: { choice: 'daily' },
  }),
  'GET /unsubscribe': async (w) => ({
    client: w.anon, path: `/unsubscribe?t=${await unsubscribeToken(w.srv, w.id.member)}`,
  }),
  'POST /unsubscribe': async (w) => ({
    client: w.anon, path: `/unsubscribe?t=${await unsubscribeToken(w.srv, w.id.member)}`,
    body: { 'List-Unsubscribe': 'One-Click' },
  }),

  'GET /admin/invitations': (w) => ({ client: w.admin, path: '/admin/invitations' }),
  'POST /admin/invitations': (w) => ({ client: w.admin, path: '/admin/invitations', body: { email: uniqueEmail('invited') } }),
  'GET /admin/people': (w) => ({ client: w.admin, path: '/admin/people?page=1' }),
  'POST /admin/people/{id}/roles': (w) => ({
    client: w.admin, path: `/admin/people/${w.id.member}/roles`, body: { roles: ['peer_researcher'] },
  }),

  'GET /groups': (w) => ({ client: w.anon, path: '/groups?q=group&format=hybrid&sort=name&page=1' }),
  'GET /groups/new': (w) => ({ client: w.admin, path: '/groups/new' }),
  'POST /groups': (w) => ({
    client: w.admin, path: '/groups',
    body: {
      name: unique('Walkers'), purpose: 'To walk together.', format: 'in_person', access: 'open',
      facilitation: 'peer_led', status: 'forming', venue_name: 'Park Gate', latitude: 53.48, longitude: -2.24,
      tags: [w.tag.slug], host_org_id: w.org.id, partner_ids: [],
      frequency: 'weekly', weekday: 'TH', first_date: '2026-01-08', start_time: '10:00', duration_minutes: '60',
    },
  }),
  'GET /groups/{id}': (w) => ({ client: w.anon, path: `/groups/${w.A}` }),
  'GET /groups/{id}/edit': (w) => ({ client: w.c.facilitator, path: `/groups/${w.A}/edit` }),
  'POST /groups/{id}/edit': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/edit`, body: { purpose: 'To meet and talk.', link_visibility: 'members' },
  }),
  'POST /groups/{id}/status': (w) => ({ client: w.admin, path: `/groups/${w.B}/status`, body: { status: 'paused' } }),
  'GET /groups/{id}/organisations': (w) => ({ client: w.c.facilitator, path: `/groups/${w.A}/organisations?find=harbour` }),
  'POST /groups/{id}/organisations': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/organisations`, body: { action: 'partner', organisation_id: w.org.id },
  }),

  'GET /groups/{id}/join': (w) => ({ client: w.anon, path: `/groups/${w.A}/join` }),
  'POST /groups/{id}/join': async (w) => ({
    client: (await w.person()).c, path: `/groups/${w.A}/join`, body: { message: 'May I come along?' },
  }),
  'POST /groups/{id}/leave': async (w) => {
    const p = await w.person();
    await w.ok(p.c.postJson(`/api/v1/groups/${w.A}/join`, {}), 201);
    return { client: p.c, path: `/groups/${w.A}/leave`, body: {} };
  },
  'GET /groups/{id}/members': (w) => ({ client: w.c.facilitator, path: `/groups/${w.A}/members` }),
  'POST /groups/{id}/members': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/members`, body: { display_name: 'Sam', pronouns: 'he/him' },
  }),
  'POST /groups/{id}/members/{person_id}/role': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/members/${w.id.member}/role`, body: { role: 'member' },
  }),
  'POST /groups/{id}/requests/{person_id}/approve': async (w) => {
    const p = await w.person();
    await w.ok(p.c.postJson(`/api/v1/groups/${w.A}/join`, {}), 201);
    return { client: w.c.facilitator, path: `/groups/${w.A}/requests/${p.id}/approve`, body: {} };
  },
  'POST /groups/{id}/requests/{person_id}/decline': async (w) => {
    const p = await w.person();
    await w.ok(p.c.postJson(`/api/v1/groups/${w.A}/join`, {}), 201);
    return { client: w.c.facilitator, path: `/groups/${w.A}/requests/${p.id}/decline`, body: {} };
  },
  'POST /groups/{id}/invites': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/invites`, body: { expires_days: 7, max_uses: 3 },
  }),
  'POST /groups/{id}/invites/{invite_id}/revoke': async (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/invites/${(await w.newInvite()).id}/revoke`, body: {},
  }),

  'GET /groups/{id}/meetings': (w) => ({ client: w.c.member, path: `/groups/${w.A}/meetings?page=1` }),
  'POST /groups/{id}/meetings': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/meetings`,
    body: { date: localDate(14), start_time: '10:00', end_time: '11:30', notice: 'A walk in the park' },
  }),
  'GET /meetings/{id}': (w) => ({ client: w.c.member, path: `/meetings/${w.H}` }),
  'POST /meetings/{id}/cancel': async (w) => ({
    client: w.c.facilitator, path: `/meetings/${await w.meeting(9, '10:00', '11:00')}/cancel`,
    body: { notice: 'The hall is closed.' },
  }),
  'POST /meetings/{id}/restore': async (w) => {
    const mid = await w.meeting(10, '10:00', '11:00');
    await w.cancel(mid);
    return { client: w.c.facilitator, path: `/meetings/${mid}/restore`, body: { notice: 'It is on after all.' } };
  },
  'POST /meetings/{id}/move': async (w) => ({
    client: w.c.facilitator, path: `/meetings/${await w.meeting(11, '10:00', '11:00')}/move`,
    body: { date: localDate(12), time: '14:00', notice: 'Moved to the afternoon.' },
  }),
  'GET /meetings/{id}/attendance': (w) => ({ client: w.c.facilitator, path: `/meetings/${w.H}/attendance` }),
  'POST /meetings/{id}/attendance': (w) => ({
    client: w.c.facilitator, path: `/meetings/${w.H}/attendance`,
    body: { attendance: [{ person_id: w.id.member, status: 'present', newcomer: true },
                         { person_id: w.id.facilitator, status: 'present' }] },
  }),
  'GET /meetings/{id}/roles': (w) => ({ client: w.c.facilitator, path: `/meetings/${w.H}/roles` }),
  'POST /meetings/{id}/roles': (w) => ({
    client: w.c.facilitator, path: `/meetings/${w.H}/roles`,
    body: { facilitators: [w.id.facilitator], facilitated_by_peer: true,
            roles: [{ person_id: w.id.member, role: 'welcomer' }] },
  }),
  'GET /meetings/{id}/minutes': (w) => ({ client: w.c.member, path: `/meetings/${w.H}/minutes` }),
  'POST /meetings/{id}/minutes': (w) => ({
    client: w.c.facilitator, path: `/meetings/${w.H}/minutes`, body: { minutes: '# Notes\n\nWe *talked*.' },
  }),
  'POST /meetings/{id}/actions': (w) => ({
    client: w.c.facilitator, path: `/meetings/${w.H}/actions`,
    body: { description: 'Bring biscuits', owner_id: w.id.member, due_date: localDate(7) },
  }),
  'POST /meetings/{id}/close': (w) => ({
    client: w.c.facilitator, path: `/meetings/${w.H}/close`, body: { attendance_count: 6, themes: 'Hope, sleep' },
  }),
  'POST /actions/{id}/done': async (w) => ({ client: w.c.facilitator, path: `/actions/${await w.action()}/done`, body: {} }),
  'POST /actions/{id}/undo': async (w) => {
    const x = await w.action();
    await w.ok(w.admin.postJson(`/api/v1/actions/${x}/done`, {}));
    return { client: w.c.facilitator, path: `/actions/${x}/undo`, body: {} };
  },

  'GET /meetings/{id}/agenda': async (w) => ({ client: w.c.member, path: `/meetings/${(await agendaItem(w)).mid}/agenda` }),
  'POST /meetings/{id}/agenda/items': async (w) => ({
    client: w.c.member, path: `/meetings/${await w.meeting(7, '10:00', '11:00')}/agenda/items`,
    body: { title: 'Quieter venue', why: 'The caf\u00e9 is loud.' },
  }),
  'POST /meetings/{id}/agenda/agree': async (w) => ({
    client: w.c.facilitator, path: `/meetings/${(await agendaItem(w)).mid}/agenda/agree`, body: {},
  }),
  'POST /agenda-items/{id}/support': async (w) => ({ client: w.c.facilitator, path: `/agenda-items/${(await agendaItem(w)).item}/support`, body: {} }),
  'POST /agenda-items/{id}/unsupport': async (w) => ({ client: w.c.facilitator, path: `/agenda-items/${(await agendaItem(w)).item}/unsupport`, body: {} }),
  'POST /agenda-items/{id}/withdraw': async (w) => ({ client: w.c.member, path: `/agenda-items/${(await agendaItem(w)).item}/withdraw`, body: {} }),
  'POST /agenda-items/{id}/move': async (w) => ({ client: w.c.facilitator, path: `/agenda-items/${(await agendaItem(w)).item}/move`, body: { direction: 'down' } }),
  'POST /agenda-items/{id}/time': async (w) => ({ client: w.c.facilitator, path: `/agenda-items/${(await agendaItem(w)).item}/time`, body: { minutes: 20 } }),
  'POST /agenda-items/{id}/merge': async (w) => {
    const { mid, item } = await agendaItem(w);
    const into = await w.ok(w.c.member.postJson(`/api/v1/meetings/${mid}/agenda/items`, { title: 'Into', why: 'Same thing.' }), 201);
    return { client: w.c.facilitator, path: `/agenda-items/${item}/merge`, body: { into: into.item.id } };
  },
  'POST /agenda-items/{id}/defer': async (w) => {
    const { item } = await agendaItem(w);
    return { client: w.c.facilitator, path: `/agenda-items/${item}/defer`, body: { to_meeting: await w.meeting(14, '10:00', '11:00') } };
  },
  'POST /agenda-items/{id}/outcome': async (w) => ({
    client: w.c.facilitator, path: `/agenda-items/${(await agendaItem(w, { started: true })).item}/outcome`, body: { outcome: 'deferred' },
  }),

  'GET /groups/{id}/stream': async (w) => {
    await threadOfA(w);
    return { client: w.c.member, path: `/groups/${w.A}/stream` };
  },
  'POST /groups/{id}/posts': (w) => ({
    client: w.c.member, path: `/groups/${w.A}/posts`,
    body: { kind: 'ask', title: unique('Walk with me?'), body: 'Can anyone walk with me to the venue?' },
  }),
  'GET /posts/{id}': async (w) => {
    const pid = await threadOfA(w);
    await w.ok(w.c.facilitator.postJson(`/api/v1/posts/${pid}/replies`, { body: 'I can.' }), 201);
    return { client: w.c.member, path: `/posts/${pid}` };
  },
  'POST /posts/{id}/replies': async (w) => ({ client: w.c.facilitator, path: `/posts/${await threadOfA(w)}/replies`, body: { body: 'Me too.' } }),
  'POST /posts/{id}/mute': async (w) => ({ client: w.c.facilitator, path: `/posts/${await threadOfA(w)}/mute`, body: {} }),
  'POST /posts/{id}/unmute': async (w) => ({ client: w.c.facilitator, path: `/posts/${await threadOfA(w)}/unmute`, body: {} }),
  'POST /posts/{id}/report': async (w) => ({ client: w.c.facilitator, path: `/posts/${await threadOfA(w)}/report`, body: { reason: 'It upset me.' } }),
  'POST /posts/{id}/moderate': async (w) => ({
    client: w.c.facilitator, path: `/posts/${await threadOfA(w)}/moderate`, body: { action: 'lock', reason: 'Cooling off.' },
  }),
  'GET /groups/{id}/moderation': async (w) => {
    const pid = await threadOfA(w);
    await w.ok(w.c.member.postJson(`/api/v1/posts/${pid}/report`, { reason: 'Check this.' }), 201);
    await w.ok(w.c.facilitator.postJson(`/api/v1/posts/${pid}/moderate`, { action: 'hide', reason: 'Rules.' }));
    await w.ok(w.c.member.postJson(`/api/v1/posts/${await threadOfA(w)}/report`, { reason: 'And this.' }), 201);
    return { client: w.c.facilitator, path: `/groups/${w.A}/moderation` };
  },
  'GET /moderation': (w) => ({ client: w.admin, path: '/moderation' }),

  'GET /organisations': (w) => ({ client: w.anon, path: '/organisations' }),
  'POST /organisations': (w) => ({
    client: w.admin, path: '/organisations',
    body: { name: unique('Partner'), description: 'A partner.', website: 'https://partner.example.org/', is_host: false },
  }),
  'GET /organisations/new': (w) => ({ client: w.admin, path: '/organisations/new' }),
  'GET /organisations/{id}/edit': (w) => ({ client: w.admin, path: `/organisations/${w.org.id}/edit` }),
  'POST /organisations/{id}/edit': (w) => ({
    client: w.admin, path: `/organisations/${w.org.id}/edit`, body: { name: w.org.name, is_host: true },
  }),
  'GET /tags': (w) => ({ client: w.anon, path: '/tags' }),
  'POST /tags': (w) => ({ client: w.admin, path: '/tags', body: { name: unique('Tag') } }),
  'POST /tags/{id}/delete': async (w) => ({ client: w.admin, path: `/tags/${(await w.newTag()).id}/delete`, body: {} }),
  'GET /resources': (w) => ({ client: w.anon, path: '/resources' }),
  'POST /resources': (w) => ({
    client: w.admin, path: '/resources',
    body: { name: unique('Resource'), category: 'housing-advice', phone: '0800 123 4567', email: 'help@example.org',
      website: 'https://help.example.org/', opening_times: 'Weekdays', address: 'High Street' },
  }),
  'GET /resources/new': (w) => ({ client: w.admin, path: '/resources/new' }),
  'GET /resources/{id}/edit': async (w) => ({
    client: w.admin,
    path: `/resources/${(await w.admin.postJson('/api/v1/resources', { name: unique('Res'), category: 'food', organisation_id: w.org.id })).json.resource.id}/edit`,
  }),
  'POST /resources/{id}/edit': async (w) => ({
    client: w.admin,
    path: `/resources/${(await w.admin.postJson('/api/v1/resources', { name: unique('Res'), category: 'food' })).json.resource.id}/edit`,
    body: { name: unique('Res'), category: 'sport' },
  }),
  'POST /resources/{id}/delete': async (w) => ({
    client: w.admin,
    path: `/resources/${(await w.admin.postJson('/api/v1/resources', { name: unique('Res'), category: 'food' })).json.resource.id}/delete`,
    body: {},
  }),
  'GET /groups/{id}/community': (w) => ({ client: w.c.member, path: `/groups/${w.A}/community` }),
  'POST /groups/{id}/events': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/events`,
    body: { title: unique('Outing'), date: localDate(9), time: '14:00', place: 'The park', description: 'A walk.' },
  }),
  'POST /groups/{id}/connections': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/connections`,
    body: { organisation_id: w.org.id, kind: 'referral', connected_on: localDate(-1), note: 'A referral.' },
  }),
  'POST /groups/{id}/signposting': async (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/signposting`,
    body: { meeting_id: (await agendaItem(w, { started: true })).mid, category: 'benefits', count: 3 },
  }),
  'GET /groups/{id}/agreement': (w) => ({ client: w.c.member, path: `/groups/${w.A}/agreement?welcome=1` }),
  'POST /groups/{id}/agreement/suggestions': (w) => ({
    client: w.c.member, path: `/groups/${w.A}/agreement/suggestions`,
    body: { aims: unique('To meet and support each other'), rules: ['Be kind', 'Listen'], values: ['1', '2'],
            reason: 'A first draft' },
  }),
  'POST /groups/{id}/agreement/settings': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/agreement/settings`, body: { threshold: 1, review_date: '2027-01-31' },
  }),
  'POST /groups/{id}/agreement/start': async (w) => {
    const gid = (await w.ok(w.admin.postJson('/api/v1/groups', {
      name: unique('Agreement group'), purpose: 'To meet.', format: 'online', access: 'open', status: 'active',
    }), 201)).group.id;
    return { client: w.admin, path: `/groups/${gid}/agreement/start`, body: {} };
  },
  'POST /agreement-suggestions/{id}/agree': async (w) => ({
    client: w.c.facilitator, path: `/agreement-suggestions/${await agreementSuggestion(w)}/agree`, body: {},
  }),
  'POST /agreement-suggestions/{id}/ratify': async (w) => {
    await w.ok(w.admin.postJson(`/api/v1/groups/${w.A}/agreement/settings`, { threshold: 1 }));
    return { client: w.c.facilitator, path: `/agreement-suggestions/${await agreementSuggestion(w)}/ratify`, body: {} };
  },
  'POST /agreement-suggestions/{id}/decline': async (w) => ({
    client: w.c.facilitator, path: `/agreement-suggestions/${await agreementSuggestion(w)}/decline`, body: {},
  }),
  'GET /groups/{id}/decisions': (w) => ({ client: w.c.member, path: `/groups/${w.A}/decisions` }),
  'POST /groups/{id}/decisions': (w) => ({
    client: w.c.member, path: `/groups/${w.A}/decisions`,
    body: { kind: 'dot_vote', title: unique('Outing'), options: ['Park', 'Museum'], dots: 3, closes_at: '2099-01-01T10:00' },
  }),
  'GET /decisions/{id}': async (w) => ({ client: w.c.member, path: `/decisions/${await decisionInA(w)}` }),
  'POST /decisions/{id}/vote': async (w) => ({
    client: w.c.member, path: `/decisions/${await decisionInA(w)}/vote`, body: { answer: 'block', reason: 'Not safe yet' },
  }),
  'POST /decisions/{id}/close': async (w) => ({
    client: w.c.member, path: `/decisions/${await decisionInA(w)}/close`, body: {},
  }),
  'POST /decisions/{id}/outcome': async (w) => {
    const did = await decisionInA(w);
    await w.ok(w.c.member.postJson(`/api/v1/decisions/${did}/close`, {}));
    return { client: w.c.member, path: `/decisions/${did}/outcome`, body: { outcome: 'We agreed.', review_date: '2027-01-31' } };
  },
  'POST /agreement-suggestions/{id}/withdraw': async (w) => ({
    client: w.c.member, path: `/agreement-suggestions/${await agreementSuggestion(w)}/withdraw`, body: {},
  }),
  'GET /values': (w) => ({ client: w.anon, path: '/values' }),
  'POST /values': (w) => ({
    client: w.admin, path: '/values', body: { name: unique('Value'), description: 'What it means.' },
  }),
  'GET /network/agreement-template': (w) => ({ client: w.admin, path: '/network/agreement-template' }),
  'POST /network/agreement-template': (w) => ({
    client: w.admin, path: '/network/agreement-template',
    body: { aims: unique('To meet and support each other'), rules: ['Be kind', 'Listen'], values: ['1', '2'] },
  }),
  'GET /network': (w) => ({ client: w.admin, path: '/network' }),
  'POST /network': (w) => ({ client: w.admin, path: '/network', body: { time_zone: ZONE } }),
  'GET /me/check-ins': async (w) => {
    await checkinDone(w);
    return { client: w.c.member, path: '/me/check-ins' };
  },
  'GET /me/check-ins/consent': (w) => ({ client: w.c.member, path: '/me/check-ins/consent' }),
  'POST /me/check-ins/consent': (w) => ({
    client: w.c.member, path: '/me/check-ins/consent',
    body: { take_part: true, group_learning: true, network_reports: true, share_with_facilitator: true },
  }),
  'POST /me/check-ins/withdraw': async (w) => {
    const p = await w.person();
    await w.ok(p.c.postJson('/api/v1/me/check-ins/consent', { take_part: true }));
    return { client: p.c, path: '/me/check-ins/withdraw', body: {} };
  },
  'GET /groups/{id}/check-ins': async (w) => {
    await checkinDone(w);
    return { client: w.c.facilitator, path: `/groups/${w.A}/check-ins` };
  },
  'GET /groups/{id}/check-in-settings': (w) => ({ client: w.c.facilitator, path: `/groups/${w.A}/check-in-settings` }),
  'POST /groups/{id}/check-in-settings': (w) => ({
    client: w.c.facilitator, path: `/groups/${w.A}/check-in-settings`,
    body: { instrument: 'ons-personal-wellbeing', at_joining: true, every_weeks: 6 },
  }),
  'POST /groups/{id}/check-in-settings/remove': async (w) => {
    await w.ok(w.admin.postJson(`/api/v1/groups/${w.A}/check-in-settings`, { instrument: 'ons-personal-wellbeing' }));
    return { client: w.c.facilitator, path: `/groups/${w.A}/check-in-settings/remove`, body: { instrument: 'ons-personal-wellbeing' } };
  },
  'POST /groups/{id}/check-in-settings/meetings': async (w) => {
    await checkinOffered(w);
    return { client: w.c.facilitator, path: `/groups/${w.A}/check-in-settings/meetings`,
      body: { instrument: 'rosenberg-self-esteem', meeting_id: w.H, chosen: true } };
  },
  'GET /groups/{id}/check-ins/people/{person_id}': async (w) => {
    await checkinDone(w);
    return { client: w.c.facilitator, path: `/groups/${w.A}/check-ins/people/${w.id.member}` };
  },
  'GET /groups/{id}/check-ins/{instrument}': async (w) => {
    await checkinOffered(w);
    return { client: w.c.member, path: `/groups/${w.A}/check-ins/rosenberg-self-esteem` };
  },
  'POST /groups/{id}/check-ins/{instrument}': async (w) => {
    await checkinOffered(w);
    return { client: w.c.member, path: `/groups/${w.A}/check-ins/rosenberg-self-esteem`, body: { ...RSE_ANSWERS, action: 'save' } };
  },
  'GET /network/outcomes': async (w) => {
    await checkinDone(w);
    return { client: w.admin, path: '/network/outcomes?by=tag' };
  },
  'POST /network/outcomes': (w) => ({ client: w.admin, path: '/network/outcomes', body: { threshold: 10 } }),

  'GET /openapi.json': (w) => ({ client: w.anon, path: '/openapi.json' }),
  'GET /healthz': (w) => ({ client: w.anon, path: '/healthz' }),
  'GET /metrics': (w) => ({ client: w.anon, path: '/metrics' }),
};

/** Check-ins: A offers the Rosenberg scale and its member takes part
 * (sharing with the facilitators); with checkinDone, they have finished one. */
const RSE_ANSWERS = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`rse${i + 1}`, 2]));
async function checkinOffered(w) {
  await w.ok(w.admin.postJson(`/api/v1/groups/${w.A}/check-in-settings`, { instrument: 'rosenberg-self-esteem', at_joining: true }));
  await w.ok(w.c.member.postJson('/api/v1/me/check-ins/consent', { take_part: true, group_learning: true, share_with_facilitator: true }));
}
async function checkinDone(w) {
  await checkinOffered(w);
  await w.ok(w.c.member.postJson(`/api/v1/groups/${w.A}/check-ins/rosenberg-self-esteem`, { ...RSE_ANSWERS, action: 'finish' }));
}

/** A fresh open proposal in group A opened by its member; returns its id. */
async function decisionInA(w) {
  return (await w.ok(w.c.member.postJson(`/api/v1/groups/${w.A}/decisions`,
    { kind: 'proposal', title: unique('Proposal'), closes_at: '2099-01-01T10:00' }), 201)).decision.id;
}

/** A fresh open suggestion in group A by its member; returns its id. */
async function agreementSuggestion(w) {
  return (await w.ok(w.c.member.postJson(`/api/v1/groups/${w.A}/agreement/suggestions`,
    { aims: unique('To meet'), rules: ['Be kind'], reason: 'Clearer' }), 201)).suggestion.id;
}

/** For an operation not in CALLS: the admin, with ids guessed from the
 * path's first segment and the parameter's name. */
function guessedCall(w, path) {
  const first = path.split('/')[1];
  const ids = { groups: w.A, meetings: w.H, actions: w.X, organisations: w.org.id, tags: w.tag.id };
  const concrete = path.replace(/\{([a-z_]+)\}/g, (_, name) => {
    if (name === 'person_id')
      return w.id.member;
    return ids[first] ?? '1';
  });
  return { client: w.admin, path: concrete, body: {} };
}

/** The JSON answer's documented schema, or null when it is not JSON. */
function responseSchema(op, status) {
  const r = op.responses[status];
  return r?.content?.['application/json']?.schema ?? null;
}

function resolve(doc, ref) {
  assert.match(ref, /^#\//, `only local $refs: ${ref}`);
  let node = doc;
  for (const part of ref.slice(2).split('/'))
    node = node?.[part];
  assert.ok(node, `${ref} resolves`);
  return node;
}

describe('the OpenAPI description', () => {
  let srv, w, doc;
  const operations = [];   // [{key, method, path, op}]

  before(async () => {
    srv = await startServer();
    const res = await srv.client().get('/api/v1/openapi.json');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    doc = res.json;
    for (const [path, item] of Object.entries(doc.paths ?? {}))
      for (const method of METHODS)
        if (item[method])
          operations.push({ key: `${method.toUpperCase()} ${path}`, method, path, op: item[method] });
    w = await buildWorld(srv);
  });
  after(() => srv?.stop());

  it('is an OpenAPI 3.1 document: openapi, info, servers, paths, components', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.ok(doc.info.title.length > 0 && doc.info.version.length > 0);
    assert.deepEqual(doc.servers.map((s) => s.url), ['/api/v1']);
    assert.equal(typeof doc.paths, 'object');
    assert.ok(operations.length > 50, `${operations.length} operations`);
    assert.equal(doc.components.securitySchemes.session.in, 'cookie');
    // The same document is at /openapi.json, and `hearth routes --openapi`
    // prints it too.
    const plain = await srv.client().get('/openapi.json', { headers: { accept: 'text/html' } });
    assert.equal(plain.status, 200);
    assert.deepEqual(JSON.parse(plain.text), doc);
    const cli = await hearth(['routes', '--openapi']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), doc);
  });

  it('gives every operation an id, a summary, a declared tag, security and responses', () => {
    const tags = new Set(doc.tags.map((t) => t.name));
    const ids = new Set();
    for (const { key, method, op } of operations) {
      assert.equal(typeof op.operationId, 'string', key);
      assert.ok(!ids.has(op.operationId), `${key}: operationId ${op.operationId} is used twice`);
      ids.add(op.operationId);
      assert.ok(op.summary?.length > 3, `${key}: a summary`);
      assert.ok(op.tags?.length && op.tags.every((t) => tags.has(t)), `${key}: tags ${op.tags} are declared`);
      assert.ok(['public', 'signed_in', 'coordinator', 'admin', 'nobody'].includes(op['x-hearth-access']), key);
      for (const req of op.security)
        for (const name of Object.keys(req))
          assert.ok(doc.components.securitySchemes[name], `${key}: security scheme ${name}`);
      const statuses = Object.keys(op.responses ?? {});
      assert.ok(statuses.length > 0, `${key}: responses`);
      assert.equal(statuses.filter((s) => /^2/.test(s)).length, 1, `${key}: one success status`);
      for (const s of statuses) {
        assert.match(s, /^[1-5][0-9]{2}$/, `${key}: status ${s}`);
        const r = op.responses[s].$ref ? resolve(doc, op.responses[s].$ref) : op.responses[s];
        assert.equal(typeof r.description, 'string', `${key} ${s}: a description`);
        for (const [type, media] of Object.entries(r.content ?? {})) {
          assert.ok(media.schema, `${key} ${s} ${type}: a schema`);
          if (media.schema.$ref)
            resolve(doc, media.schema.$ref);
        }
      }
      if (method === 'get')
        assert.equal(op.requestBody, undefined, `${key}: no body`);
      else
        assert.ok(op.requestBody?.content?.['application/json']?.schema, `${key}: a JSON body schema`);
    }
  });

  it('declares every {parameter} of every path, and no others', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const named = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const method of METHODS) {
        if (!item[method])
          continue;
        const declared = [...(item.parameters ?? []), ...(item[method].parameters ?? [])]
          .filter((p) => p.in === 'path');
        assert.deepEqual(declared.map((p) => p.name).sort(), [...named].sort(), `${method} ${path}`);
        for (const p of declared) {
          assert.equal(p.required, true, `${method} ${path}: {${p.name}} is required`);
          assert.ok(p.schema, `${method} ${path}: {${p.name}} has a schema`);
        }
      }
    }
  });

  it('lists exactly the routes `hearth routes` prints, with their access', async () => {
    const res = await hearth(['routes']);
    assert.equal(res.code, 0, res.stderr);
    const printed = new Map(res.stdout.trim().split('\n').map((line) => {
      const [method, path, access] = line.split(' ');
      return [`${method} ${path}`, access];
    }));
    const listed = new Map(operations.map(({ key, op }) => [key, op['x-hearth-access']]));
    assert.deepEqual([...listed.keys()].sort(), [...printed.keys()].sort());
    for (const [key, access] of printed)
      assert.equal(listed.get(key), access, `${key}: access`);
  });

  it('is kept true: every operation it lists answers as it says', async () => {
    const failures = [];
    for (const { key, method, path, op } of operations) {
      const known = CALLS[key];
      const call = known ? await known(w) : guessedCall(w, path);
      const documented = Object.keys(op.responses);
      const success = documented.find((s) => /^2/.test(s));
      if (call.body !== undefined) {
        const schema = op.requestBody.content['application/json'].schema;
        for (const p of checkSchema(schema, call.body))
          failures.push(`${key}: the body sent does not fit the documented request: ${p}`);
      }
      const res = method === 'get'
        ? await call.client.get(`/api/v1${call.path}`)
        : await call.client.postJson(`/api/v1${call.path}`, call.body, { headers: { origin: srv.origin } });
      const routerMiss = res.status === 405 ||
        (res.status === 404 && /may have moved/.test(res.json?.error?.message ?? ''));
      if (res.status >= 500 || routerMiss || !documented.includes(String(res.status))) {
        failures.push(`${key}: ${res.status} is not a status the document lists (${documented.join(' ')}): ` +
          res.text.slice(0, 200));
        continue;
      }
      if (!/^2/.test(String(res.status))) {
        for (const p of checkSchema(doc.components.schemas.Error, res.json ?? null))
          failures.push(`${key}: the ${res.status} answer is not the documented error: ${p}`);
      }
      if (!known)
        continue;
      if (String(res.status) !== success) {
        failures.push(`${key}: expected the documented success ${success}, got ${res.status}: ${res.text.slice(0, 200)}`);
        continue;
      }
      const schema = responseSchema(op, success);
      if (schema) {
        assert.ok(res.json !== undefined, `${key}: a JSON answer`);
        for (const p of checkSchema(schema, res.json))
          failures.push(`${key}: the answer does not fit the documented schema: ${p}`);
      } else {
        const type = Object.keys(op.responses[success].content ?? {})[0];
        assert.ok(res.headers.get('content-type').startsWith(type), `${key}: answered as ${type}`);
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    const unknown = operations.filter(({ key }) => !CALLS[key]).map(({ key }) => key);
    if (unknown.length)
      console.log(`# called with guessed ids (add them to CALLS): ${unknown.join(', ')}`);
  });

  it('`hearth routes` prints one route a line, and refuses arguments it does not know', async () => {
    const res = await hearth(['routes']);
    assert.equal(res.code, 0);
    for (const line of res.stdout.trim().split('\n'))
      assert.match(line, /^(GET|POST|PUT|PATCH|DELETE) \/\S* (public|signed_in|coordinator|admin|nobody)$/);
    const wrong = await hearth(['routes', '--nonsense']);
    assert.equal(wrong.code, 2);
  });

  itStopsCleanly(() => srv);
});
