// permissions.test.mjs - the permission matrix: every route the server
// answers (as `hearth routes` prints them) called by every kind of caller,
// with the status each must get written out in one table, on SQLite and on
// PostgreSQL. A route with no row in the table fails the test, and so does a
// row for a route that no longer exists: a new route cannot arrive without a
// rule. Writes are sent as an allowed caller would send them (JSON from this
// origin), so a refusal is the permission's doing; after each refusal the
// test checks, where it is cheap, that nothing changed.
//
// The callers, all about group A:
//   anon         not signed in
//   nonmember    signed in, in no group
//   member       a member of A
//   otherfac     the facilitator of another group, B
//   facilitator  a facilitator of A
//   peer         a peer support worker in A
//   coordinator  a network coordinator (`hearth user add --role coordinator`)
//   admin        an instance administrator
//
// The matrix goes through the JSON API (/api/v1/...), where an anonymous
// caller of a signed-in route gets 401; a browser instead gets 303 to
// /login, which the last test checks for every signed-in page.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, uniqueEmail, logIn, account, hearth,
  GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { unsubscribeToken } from './lib/smtp_sink.mjs';

const CALLERS = ['anon', 'nonmember', 'member', 'otherfac', 'facilitator', 'peer', 'coordinator', 'admin'];

/** A row of the matrix: the status each caller gets, in CALLERS order. */
const R = (...statuses) => {
  assert.equal(statuses.length, CALLERS.length);
  return Object.fromEntries(CALLERS.map((c, i) => [c, statuses[i]]));
};

// ---- the matrix --------------------------------------------------------
//
//                                              anon nonmem member othfac  fac  peer coord admin
const MATRIX = {
  // the directory and other public pages
  'GET /':                                      R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /groups':                                R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /groups/{id}':                           R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /groups/{id}/join':                      R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /organisations':                         R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /tags':                                  R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /openapi.json':                          R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /healthz':                               R(200, 200, 200, 200, 200, 200, 200, 200),
  'GET /metrics':                               R(200, 200, 200, 200, 200, 200, 200, 200),

  // accounts: a signed-in person's own things
  'GET /signup':                                R(200, 200, 200, 200, 200, 200, 200, 200),
  'POST /signup':                               R(201, 201, 201, 201, 201, 201, 201, 201),
  'GET /login':                                 R(200, 200, 200, 200, 200, 200, 200, 200),
  'POST /login':                                R(200, 200, 200, 200, 200, 200, 200, 200),
  'POST /logout':                               R(401, 200, 200, 200, 200, 200, 200, 200),
  'GET /account':                               R(401, 200, 200, 200, 200, 200, 200, 200),
  'POST /account':                              R(401, 200, 200, 200, 200, 200, 200, 200),
  'GET /account/sessions':                      R(401, 200, 200, 200, 200, 200, 200, 200),
  // the session is the member's: nobody else may end it, not even an admin
  'POST /account/sessions/{id}/end':            R(401, 404, 200, 404, 404, 404, 404, 404),
  'GET /account/password':                      R(401, 200, 200, 200, 200, 200, 200, 200),
  'POST /account/password':                     R(401, 200, 200, 200, 200, 200, 200, 200),
  'GET /me':                                    R(401, 200, 200, 200, 200, 200, 200, 200),
  'GET /account/notifications':                 R(401, 200, 200, 200, 200, 200, 200, 200),
  'POST /account/notifications':                R(401, 200, 200, 200, 200, 200, 200, 200),
  // public: the HMAC token in the link is the proof (here the target's)
  'GET /unsubscribe':                           R(200, 200, 200, 200, 200, 200, 200, 200),
  'POST /unsubscribe':                          R(200, 200, 200, 200, 200, 200, 200, 200),

  // administrators only
  'GET /admin/invitations':                     R(401, 403, 403, 403, 403, 403, 403, 200),
  'POST /admin/invitations':                    R(401, 403, 403, 403, 403, 403, 403, 201),
  'GET /admin/people':                          R(401, 403, 403, 403, 403, 403, 403, 200),
  'POST /admin/people/{id}/roles':              R(401, 403, 403, 403, 403, 403, 403, 200),

  // groups: coordinators create and change status; A's managers edit A
  'GET /groups/new':                            R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /groups':                               R(401, 403, 403, 403, 403, 403, 201, 201),
  'GET /groups/{id}/edit':                      R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/edit':                     R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/status':                   R(401, 403, 403, 403, 403, 403, 200, 200),
  'GET /groups/{id}/organisations':             R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/organisations':            R(401, 403, 403, 403, 200, 200, 200, 200),

  // membership of A (which needs approval); 409: already in it, or not in it
  'POST /groups/{id}/join':                     R(401, 201, 409, 201, 409, 409, 201, 201),
  'POST /groups/{id}/leave':                    R(401, 409, 200, 409, 200, 200, 409, 409),
  'GET /groups/{id}/members':                   R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /groups/{id}/members':                  R(401, 403, 403, 403, 201, 201, 201, 201),
  'POST /groups/{id}/members/{person_id}/role': R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/requests/{person_id}/approve': R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/requests/{person_id}/decline': R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/invites':                  R(401, 403, 403, 403, 201, 201, 201, 201),
  'POST /groups/{id}/invites/{invite_id}/revoke': R(401, 403, 403, 403, 200, 200, 200, 200),

  // meetings of A: members read, managers write
  'GET /groups/{id}/meetings':                  R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /groups/{id}/meetings':                 R(401, 403, 403, 403, 201, 201, 201, 201),
  'GET /meetings/{id}':                         R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/cancel':                 R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/restore':                R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/move':                   R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /meetings/{id}/attendance':              R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/attendance':             R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /meetings/{id}/roles':                   R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/roles':                  R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /meetings/{id}/minutes':                 R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/minutes':                R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/actions':                R(401, 403, 403, 403, 201, 201, 201, 201),
  'POST /meetings/{id}/close':                  R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /actions/{id}/done':                    R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /actions/{id}/undo':                    R(401, 403, 403, 403, 200, 200, 200, 200),

  // agendas of A's meetings: members propose and support, the proposer
  // withdraws (each allowed caller their own item), managers shape
  'GET /meetings/{id}/agenda':                  R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /meetings/{id}/agenda/items':           R(401, 403, 201, 403, 201, 201, 201, 201),
  'POST /meetings/{id}/agenda/agree':           R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/support':            R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/unsupport':          R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/withdraw':           R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/move':               R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/time':               R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/merge':              R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/defer':              R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /agenda-items/{id}/outcome':            R(401, 403, 403, 403, 200, 200, 200, 200),

  // the conversation of A: members and managers read and write; managers
  // moderate; coordinators see the network's queue
  'GET /groups/{id}/stream':                    R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /groups/{id}/posts':                    R(401, 403, 201, 403, 201, 201, 201, 201),
  'GET /posts/{id}':                            R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /posts/{id}/replies':                   R(401, 403, 201, 403, 201, 201, 201, 201),
  'POST /posts/{id}/mute':                      R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /posts/{id}/unmute':                    R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /posts/{id}/report':                    R(401, 403, 201, 403, 201, 201, 201, 201),
  'POST /posts/{id}/moderate':                  R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /groups/{id}/moderation':                R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /moderation':                            R(401, 403, 403, 403, 403, 403, 200, 200),

  // the agreement of A: members read and suggest, managers ratify and set
  // it up; only a suggestion's author withdraws it; the values are public
  'GET /groups/{id}/agreement':                 R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /groups/{id}/agreement/suggestions':    R(401, 403, 201, 403, 201, 201, 403, 403),
  'POST /groups/{id}/agreement/settings':       R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/agreement/start':          R(401, 403, 403, 403, 201, 201, 201, 201),
  'POST /agreement-suggestions/{id}/agree':     R(401, 403, 200, 403, 200, 200, 403, 403),
  'POST /agreement-suggestions/{id}/ratify':    R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /agreement-suggestions/{id}/withdraw':  R(401, 403, 200, 403, 403, 403, 403, 403),
  'POST /agreement-suggestions/{id}/decline':   R(401, 403, 403, 403, 200, 200, 200, 200),

  // decisions of A: members and managers open, read and vote; the opener
  // (here the admin) or a manager closes and writes the outcome
  'GET /groups/{id}/decisions':                 R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /groups/{id}/decisions':                R(401, 403, 201, 403, 201, 201, 201, 201),
  'GET /decisions/{id}':                        R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /decisions/{id}/vote':                  R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /decisions/{id}/close':                 R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /decisions/{id}/outcome':               R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /values':                                R(200, 200, 200, 200, 200, 200, 200, 200),
  'POST /values':                               R(401, 403, 403, 403, 403, 403, 201, 201),
  'GET /network/agreement-template':             R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /network/agreement-template':            R(401, 403, 403, 403, 403, 403, 200, 200),

  // the network: coordinators
  'POST /organisations':                        R(401, 403, 403, 403, 403, 403, 201, 201),
  'GET /organisations/new':                     R(401, 403, 403, 403, 403, 403, 200, 200),
  'GET /organisations/{id}/edit':               R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /organisations/{id}/edit':              R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /tags':                                 R(401, 403, 403, 403, 403, 403, 201, 201),
  'POST /tags/{id}/delete':                     R(401, 403, 403, 403, 403, 403, 200, 200),
  'GET /resources':                             R(200, 200, 200, 200, 200, 200, 200, 200),
  'POST /resources':                            R(401, 403, 403, 403, 403, 403, 201, 201),
  'GET /resources/new':                         R(401, 403, 403, 403, 403, 403, 200, 200),
  'GET /resources/{id}/edit':                   R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /resources/{id}/edit':                  R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /resources/{id}/delete':                R(401, 403, 403, 403, 403, 403, 200, 200),
  'GET /groups/{id}/community':                 R(401, 403, 200, 403, 200, 200, 200, 200),
  'POST /groups/{id}/events':                   R(401, 403, 403, 403, 201, 201, 201, 201),
  'POST /groups/{id}/connections':              R(401, 403, 403, 403, 201, 201, 201, 201),
  'POST /groups/{id}/signposting':              R(401, 403, 403, 403, 201, 201, 201, 201),
  'GET /network':                               R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /network':                              R(401, 403, 403, 403, 403, 403, 200, 200),

  // check-ins: each person's own choices and scores; A's members answer
  // (when they take part), A's managers choose its offerings and read its
  // figures and the answers a member chose to share; coordinators the
  // network's figures. Coordinators and admins are not members of A.
  'GET /me/check-ins':                          R(401, 200, 200, 200, 200, 200, 200, 200),
  'GET /me/check-ins/consent':                  R(401, 200, 200, 200, 200, 200, 200, 200),
  'POST /me/check-ins/consent':                 R(401, 200, 200, 200, 200, 200, 200, 200),
  'POST /me/check-ins/withdraw':                R(401, 200, 200, 200, 200, 200, 200, 200),
  'GET /groups/{id}/check-ins':                 R(401, 403, 200, 403, 200, 200, 200, 200),
  'GET /groups/{id}/check-in-settings':         R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/check-in-settings':        R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/check-in-settings/remove': R(401, 403, 403, 403, 200, 200, 200, 200),
  'POST /groups/{id}/check-in-settings/meetings': R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /groups/{id}/check-ins/people/{person_id}': R(401, 403, 403, 403, 200, 200, 200, 200),
  'GET /groups/{id}/check-ins/{instrument}':    R(401, 403, 200, 403, 200, 200, 403, 403),
  'POST /groups/{id}/check-ins/{instrument}':   R(401, 403, 200, 403, 200, 200, 403, 403),
  'GET /network/outcomes':                      R(401, 403, 403, 403, 403, 403, 200, 200),
  'POST /network/outcomes':                     R(401, 403, 403, 403, 403, 403, 200, 200),
};

// ---- dates in the network's zone ------------------------------------------

const ZONE = 'Europe/London';
const DAY = 24 * 60 * 60 * 1000;

/** The date in London n days from now: "YYYY-MM-DD". */
function localDate(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + days * DAY));
}

let counter = 0;
const unique = (what) => `${what} ${++counter}`;

// ---- the world ---------------------------------------------------------------

const NEW_PASSWORD = 'orchard lantern kettle 43';

/**
 * One world for every row: groups A (needs approval) and B (open), the
 * cast, a held meeting H (today from 00:00, with the member present and an
 * action X), a future meeting F and a cancelled future meeting C, a pending
 * request from R, people T (a member of A) and a tag, an organisation and
 * an invite link for refusals to aim at.
 */
async function buildWorld(w) {
  const { srv } = w;
  const addUser = async (who, roles = []) => {
    const email = uniqueEmail(who);
    const args = ['--database', srv.database.url, 'user', 'add', email, '--name', who, '--password-stdin'];
    for (const r of roles)
      args.push('--role', r);
    const res = await hearth(args, { input: `${GOOD_PASSWORD}\n` });
    assert.equal(res.code, 0, res.stderr);
    w.email[who] = email;
    w.password[who] = GOOD_PASSWORD;
  };
  for (const who of ['nonmember', 'member', 'otherfac', 'facilitator', 'peer', 'requester', 'target'])
    await addUser(who);
  await addUser('coordinator', ['coordinator']);
  w.email.admin = ADMIN_EMAIL;
  w.password.admin = ADMIN_PASSWORD;

  w.c.anon = srv.client();
  for (const who of [...CALLERS.slice(1), 'requester', 'target']) {
    w.c[who] = srv.client();
    await logIn(w.c[who], w.email[who], w.password[who]);
    w.id[who] = (await account(w.c[who])).id;
  }
  const admin = w.c.admin;
  w.admin = admin;

  const group = async (name, access) => {
    const res = await admin.postJson('/api/v1/groups', {
      name, purpose: 'To meet, talk and support each other.', format: 'hybrid',
      venue_name: 'Community Hall', venue_address: '1 High Street',
      online_link: 'https://meet.example.org/a', link_visibility: 'members',
      access, facilitation: 'peer_led', status: 'active',
      rrule: 'FREQ=WEEKLY;BYDAY=TU', schedule_start: '2026-01-06T18:30', duration_minutes: 90,
    });
    assert.equal(res.status, 201, res.text);
    return res.json.group.id;
  };
  w.A = await group('Group A', 'approval');
  w.B = await group('Group B', 'open');

  const invite = await admin.postJson(`/api/v1/groups/${w.A}/invites`, { max_uses: 100 });
  assert.equal(invite.status, 201, invite.text);
  w.inviteToken = new URL(invite.json.invite.path, srv.origin).searchParams.get('invite');
  for (const who of ['member', 'facilitator', 'peer', 'target'])
    await w.enrol(who);
  await w.setRole('facilitator', 'facilitator');
  await w.setRole('peer', 'peer_worker');
  const joinB = await w.c.otherfac.postJson(`/api/v1/groups/${w.B}/join`, {});
  assert.equal(joinB.status, 201, joinB.text);
  const roleB = await admin.postJson(`/api/v1/groups/${w.B}/members/${w.id.otherfac}/role`, { role: 'facilitator' });
  assert.equal(roleB.status, 200, roleB.text);
  await w.ask('requester');
  const needs = await w.c.target.postJson('/api/v1/account',
    { display_name: 'target', access_needs: 'A seat near the door' });
  assert.equal(needs.status, 200, needs.text);

  w.H = await w.meeting(0, '00:00', '00:30');
  const present = await admin.postJson(`/api/v1/meetings/${w.H}/attendance`,
    { attendance: [{ person_id: w.id.member, status: 'present' }, { person_id: w.id.target, status: 'apologies' }] });
  assert.equal(present.status, 200, present.text);
  w.X = await w.action(w.H);
  w.F = await w.meeting(7, '10:00', '11:00');
  w.C = await w.meeting(8, '10:00', '11:00');
  await w.cancel(w.C);
  w.tag = await w.newTag();
  const org = await admin.postJson('/api/v1/organisations', { name: 'Harbour Trust', is_host: true });
  assert.equal(org.status, 201, org.text);
  w.org = org.json.organisation;
  w.invite = await w.newInvite();
  const roles = await admin.postJson(`/api/v1/admin/people/${w.id.target}/roles`, { roles: ['peer_researcher'] });
  assert.equal(roles.status, 200, roles.text);
  return w;
}

/** Helpers that make fresh fixtures (as the admin) and read state back. */
function worldHelpers(w) {
  const ok = (res, status = 200) => {
    assert.equal(res.status, status, `${res.status} ${res.text}`);
    return res.json;
  };
  Object.assign(w, {
    async enrol(who) {
      ok(await w.c[who].postJson(`/api/v1/groups/${w.A}/join`, { invite: w.inviteToken }), 201);
    },
    async setRole(who, role) {
      ok(await w.admin.postJson(`/api/v1/groups/${w.A}/members/${w.id[who]}/role`, { role }));
    },
    async ask(who) {
      const j = ok(await w.c[who].postJson(`/api/v1/groups/${w.A}/join`, { message: 'May I come?' }), 201);
      assert.equal(j.membership.status, 'requested');
    },
    async leave(who, gid = w.A) {
      ok(await w.c[who].postJson(`/api/v1/groups/${gid}/leave`, {}));
    },
    /** A one-off meeting of A, days from today (London), HH:MM to HH:MM. */
    async meeting(days, start, end) {
      const j = ok(await w.admin.postJson(`/api/v1/groups/${w.A}/meetings`,
        { date: localDate(days), start_time: start, end_time: end, notice: 'Extra session' }), 201);
      return j.meeting.id;
    },
    async cancel(mid) {
      ok(await w.admin.postJson(`/api/v1/meetings/${mid}/cancel`, { notice: 'The hall is closed.' }));
    },
    async action(mid) {
      ok(await w.admin.postJson(`/api/v1/meetings/${mid}/actions`,
        { description: unique('Book the hall'), owner_id: w.id.member }), 201);
      const m = await w.meetingOf(mid);
      return m.actions.at(-1).id;
    },
    async newTag() {
      return ok(await w.admin.postJson('/api/v1/tags', { name: unique('Tag') }), 201).tag;
    },
    async newInvite() {
      return ok(await w.admin.postJson(`/api/v1/groups/${w.A}/invites`, {}), 201).invite;
    },
    async meetingOf(mid) {
      return ok(await w.admin.get(`/api/v1/meetings/${mid}`)).meeting;
    },
    async membersOfA() {
      return ok(await w.admin.get(`/api/v1/groups/${w.A}/members`));
    },
    async groupA() {
      const g = ok(await w.admin.get(`/api/v1/groups/${w.A}`)).group;
      delete g.next_meetings;
      return g;
    },
    /** A second, fresh session for who (anon: a client with none). */
    async side(who) {
      const c = w.srv.client();
      if (who !== 'anon')
        await logIn(c, w.email[who], w.password[who]);
      return c;
    },
  });
  return w;
}

// ---- how to call each route ------------------------------------------------
//
// call(w, who, allowed) gives {path, body, client} for one attempt (making
// fresh fixtures as needed: allowed says the caller should succeed);
// after(w, who, res, call) puts the world back after an attempt that
// changed it; snapshot(w, call) reads the state a refusal must leave alone;
// check(w, who, res) says what an allowed caller was shown that they should
// not see (or should have seen); setup and teardown run around a row.

const memberState = async (w, who) => {
  const list = await w.membersOfA();
  const find = (l) => l.find((m) => m.person_id === w.id[who]);
  return { member: find(list.members) ?? null, request: find(list.requests) ?? null };
};

// The agreement of A, as the admin reads it; a fresh suggestion in A by
// `by` (a member of A); a fresh open group that `who` manages, with no
// agreement yet (coordinators and admins manage every group).
const agreementOfA = async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/agreement`)).json;
async function newSuggestion(w, by = 'member') {
  const res = await w.c[by].postJson(`/api/v1/groups/${w.A}/agreement/suggestions`,
    { aims: unique('To meet and support each other'), rules: ['Be kind'], reason: 'A clearer aim' });
  assert.equal(res.status, 201, res.text);
  return res.json.suggestion.id;
}
async function groupManagedBy(w, who) {
  const res = await w.admin.postJson('/api/v1/groups', {
    name: unique('Agreement group'), purpose: 'To meet.', format: 'online', access: 'open', status: 'active',
  });
  assert.equal(res.status, 201, res.text);
  const gid = res.json.group.id;
  if (['facilitator', 'peer'].includes(who)) {
    assert.equal((await w.c[who].postJson(`/api/v1/groups/${gid}/join`, {})).status, 201);
    assert.equal((await w.admin.postJson(`/api/v1/groups/${gid}/members/${w.id[who]}/role`,
      { role: who === 'peer' ? 'peer_worker' : 'facilitator' })).status, 200);
  }
  return gid;
}

/** Agendas: an item `who` proposed for a new upcoming meeting of A; with
 * started, the meeting is then made to have started (time passing, by SQL
 * on the test database). Returns {mid, item}. */
async function agendaItem(w, who = 'member', { started = false } = {}) {
  const mid = await w.meeting(7, '10:00', '11:00');
  const res = await w.c[who].postJson(`/api/v1/meetings/${mid}/agenda/items`,
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

/** A second item on meeting mid, proposed by the member; its id. */
async function agendaItemOn(w, mid) {
  const res = await w.c.member.postJson(`/api/v1/meetings/${mid}/agenda/items`,
    { title: unique('Other item'), why: 'Also.' });
  assert.equal(res.status, 201, res.text);
  return res.json.item.id;
}

/** What a refused agenda change must leave alone: the meeting's agenda. */
const agendaOf = async (w, call) => {
  const a = (await w.admin.get(`/api/v1/meetings/${call.mid}/agenda`)).json;
  return [a.items, a.agreed];
};

/** Conversation: a new thread in A started by its member; its id. */
async function threadOfA(w) {
  const res = await w.c.member.postJson(`/api/v1/groups/${w.A}/posts`,
    { kind: 'discussion', title: unique('Thread'), body: 'Hello all.' });
  assert.equal(res.status, 201, res.text);
  return res.json.thread.id;
}
/** What a refused change to thread pid must leave alone. */
const threadOf = async (w, call) => {
  const t = (await w.admin.get(`/api/v1/posts/${call.pid}`)).json;
  return [t.thread, t.replies.length];
};

/** Decisions: a fresh proposal in A opened by the admin, closed at once
 * with closed; its id. */
async function decisionInA(w, { closed = false } = {}) {
  const res = await w.admin.postJson(`/api/v1/groups/${w.A}/decisions`,
    { kind: 'proposal', title: unique('Decision'), closes_at: '2099-01-01T10:00' });
  assert.equal(res.status, 201, res.text);
  const did = res.json.decision.id;
  if (closed)
    assert.equal((await w.admin.postJson(`/api/v1/decisions/${did}/close`, {})).status, 200);
  return did;
}

const PLANS = {
  'GET /': { call: () => ({ path: '/' }) },
  'GET /groups': { call: () => ({ path: '/groups?q=group' }) },
  // The online link is for members (as A chose); the page shows no one's
  // personal data.
  'GET /groups/{id}': {
    call: (w) => ({ path: `/groups/${w.A}` }),
    check: (w, who, res) => {
      const sees = ['member', 'facilitator', 'peer', 'coordinator', 'admin'].includes(who);
      const link = res.json.group.online.link;
      if (sees !== (link === 'https://meet.example.org/a'))
        return `the online link is ${link}`;
      if (/target|requester|@example/.test(JSON.stringify(res.json)))
        return 'the group page names a person';
    },
  },
  'GET /groups/{id}/join': { call: (w) => ({ path: `/groups/${w.A}/join` }) },
  'GET /organisations': { call: () => ({ path: '/organisations' }) },
  'GET /tags': { call: () => ({ path: '/tags' }) },
  'GET /openapi.json': { call: () => ({ path: '/openapi.json' }) },
  'GET /healthz': { call: () => ({ path: '/healthz' }) },
  'GET /metrics': { call: () => ({ path: '/metrics' }) },

  'GET /signup': { call: () => ({ path: '/signup' }) },
  // Signing up or in changes the session the request carries: a side one.
  'POST /signup': {
    call: async (w, who) => ({
      client: await w.side(who), path: '/signup',
      body: { email: uniqueEmail('new'), display_name: 'Newcomer', password: GOOD_PASSWORD },
    }),
  },
  'GET /login': { call: () => ({ path: '/login' }) },
  'POST /login': {
    call: async (w, who) => {
      const as = who === 'anon' ? 'nonmember' : who;
      return { client: await w.side(who), path: '/login', body: { email: w.email[as], password: w.password[as] } };
    },
  },
  'POST /logout': { call: async (w, who) => ({ client: await w.side(who), path: '/logout', body: {} }) },
  'GET /account': { call: () => ({ path: '/account' }) },
  'POST /account': {
    call: (w, who) => ({ path: '/account', body: { display_name: who, pronouns: 'they/them' } }),
  },
  'GET /account/sessions': { call: () => ({ path: '/account/sessions' }) },
  'POST /account/sessions/{id}/end': {
    call: async (w) => {
      const side = await w.side('member');
      const list = await side.get('/api/v1/account/sessions');
      const id = list.json.sessions.find((s) => s.current).id;
      return { path: `/account/sessions/${id}/end`, body: {}, side };
    },
    snapshot: async (w, call) => (await call.side.get('/api/v1/account')).status,
  },
  'GET /account/password': { call: () => ({ path: '/account/password' }) },
  // Changing the password ends the person's other sessions: change it and
  // back from a side session, then log the main client in again.
  'POST /account/password': {
    call: async (w, who) => ({
      client: await w.side(who), path: '/account/password',
      body: { current_password: w.password[who === 'anon' ? 'nonmember' : who], new_password: NEW_PASSWORD },
    }),
    after: async (w, who, res, call) => {
      if (res.status !== 200)
        return;
      const back = await call.client.postJson('/api/v1/account/password',
        { current_password: NEW_PASSWORD, new_password: w.password[who] });
      assert.equal(back.status, 200, back.text);
      w.c[who] = w.srv.client();
      await logIn(w.c[who], w.email[who], w.password[who]);
      if (who === 'admin')
        w.admin = w.c.admin;
    },
  },
  'GET /me': { call: () => ({ path: '/me' }) },
  'GET /account/notifications': { call: () => ({ path: '/account/notifications' }) },
  'POST /account/notifications': { call: () => ({ path: '/account/notifications', body: { choice: 'weekly' } }) },
  'GET /unsubscribe': {
    call: async (w) => ({ path: `/unsubscribe?t=${await unsubscribeToken(w.srv, w.id.target)}` }),
  },
  'POST /unsubscribe': {
    call: async (w) => ({ path: `/unsubscribe?t=${await unsubscribeToken(w.srv, w.id.target)}`,
      body: { 'List-Unsubscribe': 'One-Click' } }),
  },

  'GET /admin/invitations': { call: () => ({ path: '/admin/invitations' }) },
  'POST /admin/invitations': {
    call: () => ({ path: '/admin/invitations', body: { email: uniqueEmail('invited') } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/admin/invitations')).json.invitations.length,
  },
  'GET /admin/people': { call: () => ({ path: '/admin/people' }) },
  'POST /admin/people/{id}/roles': {
    call: (w) => ({ path: `/admin/people/${w.id.target}/roles`, body: { roles: ['peer_researcher'] } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/admin/people')).json.people
      .find((p) => p.id === w.id.target).roles,
  },

  'GET /groups/new': { call: () => ({ path: '/groups/new' }) },
  'POST /groups': {
    call: () => ({
      path: '/groups',
      body: { name: unique('New group'), purpose: 'To walk together.', format: 'online', access: 'open' },
    }),
  },
  'GET /groups/{id}/edit': { call: (w) => ({ path: `/groups/${w.A}/edit` }) },
  'POST /groups/{id}/edit': {
    call: (w, who) => ({ path: `/groups/${w.A}/edit`, body: { purpose: `To meet and talk (said ${who}).` } }),
    snapshot: (w) => w.groupA(),
  },
  'GET /groups/{id}/organisations': { call: (w) => ({ path: `/groups/${w.A}/organisations` }) },
  'POST /groups/{id}/organisations': {
    call: (w) => ({ path: `/groups/${w.A}/organisations`, body: { action: 'partner', organisation_id: w.org.id } }),
    after: async (w, who, res) => {
      if (res.status === 200)
        assert.equal((await w.admin.postJson(`/api/v1/groups/${w.A}/organisations`,
          { action: 'remove_partner', organisation_id: w.org.id })).status, 200);
    },
    snapshot: async (w) => (await w.groupA()).partners,
  },
  'POST /groups/{id}/status': {
    call: (w) => ({ path: `/groups/${w.A}/status`, body: { status: 'paused' } }),
    after: async (w, who, res) => {
      if (res.status === 200)
        assert.equal((await w.admin.postJson(`/api/v1/groups/${w.A}/status`, { status: 'active' })).status, 200);
    },
    snapshot: async (w) => (await w.groupA()).status,
  },

  'POST /groups/{id}/join': {
    call: (w) => ({ path: `/groups/${w.A}/join`, body: { message: 'Hello' } }),
    after: async (w, who, res) => {
      if (res.status === 201)
        await w.leave(who);   // withdraw the request
    },
    snapshot: (w) => w.membersOfA(),
  },
  'POST /groups/{id}/leave': {
    call: (w) => ({ path: `/groups/${w.A}/leave`, body: {} }),
    after: async (w, who, res) => {
      if (res.status !== 200)
        return;
      await w.enrol(who);
      const role = { facilitator: 'facilitator', peer: 'peer_worker' }[who];
      if (role)
        await w.setRole(who, role);
    },
    snapshot: (w) => w.membersOfA(),
  },
  // Access needs, requests and invite links are for the group's managers.
  'GET /groups/{id}/members': {
    call: (w) => ({ path: `/groups/${w.A}/members` }),
    check: (w, who, res) => {
      const manager = who !== 'member';
      const target = res.json.members.find((m) => m.person_id === w.id.target);
      if (manager !== (target.access_needs === 'A seat near the door'))
        return `access needs: ${JSON.stringify(target.access_needs)}`;
      if (manager !== Array.isArray(res.json.requests) || manager !== Array.isArray(res.json.invites))
        return 'requests and invite links are for managers';
      if (JSON.stringify(res.json).includes('@'))
        return 'an email address is shown';
    },
  },
  'POST /groups/{id}/members': {
    call: (w) => ({ path: `/groups/${w.A}/members`, body: { display_name: unique('Sam') } }),
    snapshot: async (w) => (await w.membersOfA()).member_count,
  },
  'POST /groups/{id}/members/{person_id}/role': {
    call: (w) => ({ path: `/groups/${w.A}/members/${w.id.target}/role`, body: { role: 'facilitator' } }),
    after: async (w, who, res) => {
      if (res.status === 200)
        await w.setRole('target', 'member');
    },
    snapshot: (w) => memberState(w, 'target'),
  },
  'POST /groups/{id}/requests/{person_id}/approve': {
    call: (w) => ({ path: `/groups/${w.A}/requests/${w.id.requester}/approve`, body: {} }),
    after: async (w, who, res) => {
      if (res.status === 200) {
        await w.leave('requester');
        await w.ask('requester');
      }
    },
    snapshot: (w) => memberState(w, 'requester'),
  },
  'POST /groups/{id}/requests/{person_id}/decline': {
    call: (w) => ({ path: `/groups/${w.A}/requests/${w.id.requester}/decline`, body: {} }),
    after: async (w, who, res) => {
      if (res.status === 200)
        await w.ask('requester');   // a declined request may be made again
    },
    snapshot: (w) => memberState(w, 'requester'),
  },
  'POST /groups/{id}/invites': {
    call: (w) => ({ path: `/groups/${w.A}/invites`, body: { expires_days: 7, max_uses: 1 } }),
    snapshot: async (w) => (await w.membersOfA()).invites.length,
  },
  'POST /groups/{id}/invites/{invite_id}/revoke': {
    call: async (w, who, allowed) => ({
      path: `/groups/${w.A}/invites/${allowed ? (await w.newInvite()).id : w.invite.id}/revoke`, body: {},
    }),
    snapshot: async (w) => (await w.membersOfA()).invites.find((v) => v.id === w.invite.id).state,
  },

  'GET /groups/{id}/meetings': { call: (w) => ({ path: `/groups/${w.A}/meetings` }) },
  'POST /groups/{id}/meetings': {
    call: (w) => ({
      path: `/groups/${w.A}/meetings`,
      body: { date: localDate(14), start_time: '10:00', end_time: '11:00', notice: 'A walk' },
    }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/meetings`)).json.upcoming.length,
  },
  // Members see their own attendance and the counts; managers see everyone's.
  'GET /meetings/{id}': {
    call: (w) => ({ path: `/meetings/${w.H}` }),
    check: (w, who, res) => {
      const ids = res.json.meeting.attendance.map((a) => a.person_id).sort();
      const want = who === 'member' ? [w.id.member] : [w.id.member, w.id.target].sort();
      if (JSON.stringify(ids) !== JSON.stringify(want))
        return `attendance shown for ${ids.join(', ')}`;
    },
  },
  'POST /meetings/{id}/cancel': {
    call: async (w, who, allowed) => ({
      path: `/meetings/${allowed ? await w.meeting(9, '10:00', '11:00') : w.F}/cancel`,
      body: { notice: 'The hall is closed.' },
    }),
    snapshot: (w) => w.meetingOf(w.F),
  },
  'POST /meetings/{id}/restore': {
    call: async (w, who, allowed) => {
      let mid = w.C;
      if (allowed) {
        mid = await w.meeting(10, '10:00', '11:00');
        await w.cancel(mid);
      }
      return { path: `/meetings/${mid}/restore`, body: { notice: 'It is on after all.' } };
    },
    snapshot: (w) => w.meetingOf(w.C),
  },
  'POST /meetings/{id}/move': {
    call: async (w, who, allowed) => ({
      path: `/meetings/${allowed ? await w.meeting(11, '10:00', '11:00') : w.F}/move`,
      body: { date: localDate(12), time: '14:00', notice: 'Moved to the afternoon.' },
    }),
    snapshot: (w) => w.meetingOf(w.F),
  },
  'GET /meetings/{id}/attendance': { call: (w) => ({ path: `/meetings/${w.H}/attendance` }) },
  'POST /meetings/{id}/attendance': {
    call: (w) => ({
      path: `/meetings/${w.H}/attendance`,
      body: { attendance: [{ person_id: w.id.member, status: 'present' }, { person_id: w.id.target, status: 'apologies' }] },
    }),
    after: async (w, who, res) => {
      if (res.status === 200)   // back to the member alone
        assert.equal((await w.admin.postJson(`/api/v1/meetings/${w.H}/attendance`,
          { attendance: [{ person_id: w.id.target, status: 'absent' }] })).status, 200);
    },
    snapshot: async (w) => (await w.meetingOf(w.H)).attendance_summary,
  },
  'GET /meetings/{id}/roles': { call: (w) => ({ path: `/meetings/${w.H}/roles` }) },
  'POST /meetings/{id}/roles': {
    call: (w) => ({
      path: `/meetings/${w.H}/roles`,
      body: { facilitators: [w.id.facilitator], facilitated_by_peer: true,
              roles: [{ person_id: w.id.member, role: 'welcomer' }] },
    }),
    snapshot: async (w) => {
      const m = await w.meetingOf(w.H);
      return [m.roles, m.facilitators, m.facilitated_by_peer];
    },
  },
  'GET /meetings/{id}/minutes': { call: (w) => ({ path: `/meetings/${w.H}/minutes` }) },
  'POST /meetings/{id}/minutes': {
    call: (w, who) => ({ path: `/meetings/${w.H}/minutes`, body: { minutes: `We talked. (${who})` } }),
    snapshot: async (w) => (await w.meetingOf(w.H)).minutes_md,
  },
  'POST /meetings/{id}/actions': {
    call: (w) => ({
      path: `/meetings/${w.H}/actions`,
      body: { description: unique('Bring biscuits'), owner_id: w.id.member, due_date: localDate(7) },
    }),
    snapshot: async (w) => (await w.meetingOf(w.H)).actions.length,
  },
  'POST /meetings/{id}/close': {
    call: (w) => ({ path: `/meetings/${w.H}/close`, body: { attendance_count: 5, themes: 'Hope' } }),
    snapshot: async (w) => {
      const m = await w.meetingOf(w.H);
      return [m.status, m.attendance_count, m.themes, m.closed_at];
    },
  },
  'POST /actions/{id}/done': {
    call: (w) => ({ path: `/actions/${w.X}/done`, body: {} }),
    after: async (w, who, res) => {
      if (res.status === 200)
        assert.equal((await w.admin.postJson(`/api/v1/actions/${w.X}/undo`, {})).status, 200);
    },
    snapshot: async (w) => (await w.meetingOf(w.H)).actions.find((x) => x.id === w.X).done,
  },
  'POST /actions/{id}/undo': {
    call: async (w, who, allowed) => {
      if (allowed)
        assert.equal((await w.admin.postJson(`/api/v1/actions/${w.X}/done`, {})).status, 200);
      return { path: `/actions/${w.X}/undo`, body: {} };
    },
    setup: async (w) => {   // refusals aim at a ticked action
      assert.equal((await w.admin.postJson(`/api/v1/actions/${w.X}/done`, {})).status, 200);
    },
    snapshot: async (w) => (await w.meetingOf(w.H)).actions.find((x) => x.id === w.X).done,
    teardown: async (w) => {
      const x = (await w.meetingOf(w.H)).actions.find((a) => a.id === w.X);
      if (x.done)
        assert.equal((await w.admin.postJson(`/api/v1/actions/${w.X}/undo`, {})).status, 200);
    },
  },

  'GET /meetings/{id}/agenda': { call: async (w) => ({ path: `/meetings/${w.F}/agenda` }) },
  'POST /meetings/{id}/agenda/items': {
    call: (w) => ({ mid: w.F, path: `/meetings/${w.F}/agenda/items`, body: { title: unique('Item'), why: 'Because.' } }),
    snapshot: agendaOf,
  },
  'POST /meetings/{id}/agenda/agree': {
    call: async (w) => {
      const { mid } = await agendaItem(w);
      return { mid, path: `/meetings/${mid}/agenda/agree`, body: {} };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/support': {
    call: async (w) => {
      const { mid, item } = await agendaItem(w);
      return { mid, path: `/agenda-items/${item}/support`, body: {} };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/unsupport': {
    call: async (w, who, allowed) => {
      const { mid, item } = await agendaItem(w);
      assert.equal((await w.admin.postJson(`/api/v1/agenda-items/${item}/support`, {})).status, 200);
      if (allowed && who !== 'admin')
        assert.equal((await w.c[who].postJson(`/api/v1/agenda-items/${item}/support`, {})).status, 200);
      return { mid, path: `/agenda-items/${item}/unsupport`, body: {} };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/withdraw': {
    call: async (w, who, allowed) => {
      const { mid, item } = await agendaItem(w, allowed ? who : 'member');
      return { mid, path: `/agenda-items/${item}/withdraw`, body: {} };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/move': {
    call: async (w) => {
      const { mid, item } = await agendaItem(w);
      await agendaItemOn(w, mid);
      return { mid, path: `/agenda-items/${item}/move`, body: { direction: 'down' } };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/time': {
    call: async (w) => {
      const { mid, item } = await agendaItem(w);
      return { mid, path: `/agenda-items/${item}/time`, body: { minutes: 20 } };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/merge': {
    call: async (w) => {
      const { mid, item } = await agendaItem(w);
      const into = await agendaItemOn(w, mid);
      return { mid, path: `/agenda-items/${item}/merge`, body: { into } };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/defer': {
    call: async (w) => {
      const { mid, item } = await agendaItem(w);
      return { mid, path: `/agenda-items/${item}/defer`, body: { to_meeting: await w.meeting(14, '10:00', '11:00') } };
    },
    snapshot: agendaOf,
  },
  'POST /agenda-items/{id}/outcome': {
    call: async (w) => {
      const { mid, item } = await agendaItem(w, 'member', { started: true });
      return { mid, path: `/agenda-items/${item}/outcome`, body: { outcome: 'discussed' } };
    },
    snapshot: agendaOf,
  },

  'GET /groups/{id}/stream': { call: (w) => ({ path: `/groups/${w.A}/stream` }) },
  'POST /groups/{id}/posts': {
    call: (w) => ({ path: `/groups/${w.A}/posts`, body: { kind: 'ask', title: unique('Walk with me?'), body: 'To the venue.' } }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/stream`)).json.threads.length,
  },
  'GET /posts/{id}': { call: async (w) => ({ path: `/posts/${await threadOfA(w)}` }) },
  'POST /posts/{id}/replies': {
    call: async (w) => {
      const pid = await threadOfA(w);
      return { pid, path: `/posts/${pid}/replies`, body: { body: 'Me too.' } };
    },
    snapshot: threadOf,
  },
  'POST /posts/{id}/mute': {
    call: async (w) => ({ path: `/posts/${await threadOfA(w)}/mute`, body: {} }),
  },
  'POST /posts/{id}/unmute': {
    call: async (w) => ({ path: `/posts/${await threadOfA(w)}/unmute`, body: {} }),
  },
  'POST /posts/{id}/report': {
    call: async (w) => {
      const pid = await threadOfA(w);
      return { pid, path: `/posts/${pid}/report`, body: { reason: 'It upset me.' } };
    },
    snapshot: async (w, call) => (await w.admin.get(`/api/v1/groups/${w.A}/moderation`)).json.reports
      .filter((r) => r.post.id === call.pid).length,
  },
  'POST /posts/{id}/moderate': {
    call: async (w) => {
      const pid = await threadOfA(w);
      return { pid, path: `/posts/${pid}/moderate`, body: { action: 'hide', reason: 'Against the ground rules.' } };
    },
    snapshot: threadOf,
  },
  'GET /groups/{id}/moderation': { call: (w) => ({ path: `/groups/${w.A}/moderation` }) },
  'GET /moderation': { call: () => ({ path: '/moderation' }) },

  'POST /organisations': {
    call: () => ({ path: '/organisations', body: { name: unique('Partner'), description: 'A partner.' } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/organisations')).json.organisations.length,
  },
  'GET /organisations/new': { call: () => ({ path: '/organisations/new' }) },
  'GET /organisations/{id}/edit': { call: (w) => ({ path: `/organisations/${w.org.id}/edit` }) },
  'POST /organisations/{id}/edit': {
    call: (w, who) => ({
      path: `/organisations/${w.org.id}/edit`,
      body: { name: w.org.name, description: `Our host (${who}).`, is_host: true },
    }),
    snapshot: async (w) => (await w.admin.get('/api/v1/organisations')).json.organisations
      .find((o) => o.id === w.org.id),
  },
  'POST /tags': {
    call: () => ({ path: '/tags', body: { name: unique('Tag') } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/tags')).json.tags.length,
  },
  'POST /tags/{id}/delete': {
    call: async (w, who, allowed) => ({ path: `/tags/${allowed ? (await w.newTag()).id : w.tag.id}/delete`, body: {} }),
    snapshot: async (w) => (await w.admin.get('/api/v1/tags')).json.tags.some((t) => t.id === w.tag.id),
  },
  'GET /resources': { call: () => ({ path: '/resources' }) },
  'POST /resources': {
    call: () => ({ path: '/resources', body: { name: unique('Resource'), category: 'food' } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/resources')).json.total,
  },
  'GET /resources/new': { call: () => ({ path: '/resources/new' }) },
  'GET /resources/{id}/edit': {
    call: async (w) => {
      w.resource ??= (await w.admin.postJson('/api/v1/resources', { name: 'Food Bank', category: 'food' })).json.resource;
      return { path: `/resources/${w.resource.id}/edit` };
    },
  },
  'POST /resources/{id}/edit': {
    call: async (w, who) => {
      w.resource ??= (await w.admin.postJson('/api/v1/resources', { name: 'Food Bank', category: 'food' })).json.resource;
      return { path: `/resources/${w.resource.id}/edit`, body: { name: 'Food Bank', category: 'food', description: `Checked (${who}).` } };
    },
    snapshot: async (w) => (await w.admin.get('/api/v1/resources?category=food')).json.resources
      .find((x) => x.id === w.resource?.id)?.description ?? null,
  },
  'POST /resources/{id}/delete': {
    call: async (w, who, allowed) => {
      w.resource ??= (await w.admin.postJson('/api/v1/resources', { name: 'Food Bank', category: 'food' })).json.resource;
      const id = allowed
        ? (await w.admin.postJson('/api/v1/resources', { name: unique('Gone'), category: 'debt' })).json.resource.id
        : w.resource.id;
      return { path: `/resources/${id}/delete`, body: {} };
    },
    snapshot: async (w) => (await w.admin.get('/api/v1/resources')).json.total,
  },
  'GET /groups/{id}/community': { call: (w) => ({ path: `/groups/${w.A}/community` }) },
  'POST /groups/{id}/events': {
    call: (w) => ({ path: `/groups/${w.A}/events`, body: { title: unique('Outing'), date: localDate(9), time: '14:00' } }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/community`)).json.events.length,
  },
  'POST /groups/{id}/connections': {
    call: (w) => ({ path: `/groups/${w.A}/connections`, body: { with: unique('Library'), kind: 'visit', connected_on: localDate(-1) } }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/community`)).json.connections.length,
  },
  'POST /groups/{id}/signposting': {
    call: async (w) => {
      w.startedMeeting ??= (await agendaItem(w, 'member', { started: true })).mid;
      return { path: `/groups/${w.A}/signposting`, body: { meeting_id: w.startedMeeting, category: 'food', count: 2 } };
    },
    snapshot: async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/community`)).json.signposting.people,
  },
  'GET /groups/{id}/agreement': { call: (w) => ({ path: `/groups/${w.A}/agreement` }) },
  'POST /groups/{id}/agreement/suggestions': {
    call: (w, who) => ({
      path: `/groups/${w.A}/agreement/suggestions`,
      body: { aims: unique('Our aims'), rules: ['Be kind'], reason: `Suggested by ${who}` },
    }),
    snapshot: async (w) => (await agreementOfA(w)).suggestions.length,
  },
  'POST /groups/{id}/agreement/settings': {
    call: (w) => ({ path: `/groups/${w.A}/agreement/settings`, body: { threshold: 3, review_date: '2027-01-31' } }),
    snapshot: async (w) => (await agreementOfA(w)).agreement,
  },
  'POST /groups/{id}/agreement/start': {
    call: async (w, who, allowed) => ({ path: `/groups/${allowed ? await groupManagedBy(w, who) : w.A}/agreement/start`, body: {} }),
    snapshot: async (w) => (await agreementOfA(w)).agreement,
  },
  'POST /agreement-suggestions/{id}/agree': {
    call: async (w) => ({ path: `/agreement-suggestions/${w.S ??= await newSuggestion(w)}/agree`, body: {} }),
    snapshot: async (w) => (await agreementOfA(w)).suggestions.find((s) => s.id === w.S).agree_count,
  },
  // With a threshold of 1 the author's own agreement is enough: a refusal is
  // the permission's doing. Each allowed caller ratifies a fresh suggestion
  // (ratifying makes the older ones stale).
  'POST /agreement-suggestions/{id}/ratify': {
    setup: async (w) => {
      assert.equal((await w.admin.postJson(`/api/v1/groups/${w.A}/agreement/settings`, { threshold: 1 })).status, 200);
      w.S = await newSuggestion(w);
    },
    call: async (w, who, allowed) => ({ path: `/agreement-suggestions/${allowed ? await newSuggestion(w) : w.S}/ratify`, body: {} }),
    snapshot: async (w) => (await agreementOfA(w)).agreement.version,
    teardown: async (w) => {
      assert.equal((await w.admin.postJson(`/api/v1/groups/${w.A}/agreement/settings`, { threshold: 3 })).status, 200);
    },
  },
  // Decisions: a fresh proposal in A opened by the admin (closed first
  // with closed); what a refusal must leave alone is read back as the admin.
  'GET /groups/{id}/decisions': { call: (w) => ({ path: `/groups/${w.A}/decisions` }) },
  'POST /groups/{id}/decisions': {
    call: (w, who) => ({
      path: `/groups/${w.A}/decisions`,
      body: { kind: 'proposal', title: unique(`Decision by ${who}`), closes_at: '2099-01-01T10:00' },
    }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/decisions`)).json.open.length,
  },
  'GET /decisions/{id}': {
    call: async (w) => ({ path: `/decisions/${w.D ??= await decisionInA(w)}` }),
  },
  'POST /decisions/{id}/vote': {
    call: async (w) => ({ path: `/decisions/${w.D ??= await decisionInA(w)}/vote`, body: { answer: 'agree' } }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/decisions/${w.D}`)).json.tally.voters,
  },
  'POST /decisions/{id}/close': {
    setup: async (w) => { w.DC = await decisionInA(w); },
    call: async (w, who, allowed) => ({ path: `/decisions/${allowed ? await decisionInA(w) : w.DC}/close`, body: {} }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/decisions/${w.DC}`)).json.decision.is_closed,
  },
  'POST /decisions/{id}/outcome': {
    setup: async (w) => { w.DO = await decisionInA(w, { closed: true }); },
    call: async (w, who, allowed) => ({
      path: `/decisions/${allowed ? await decisionInA(w, { closed: true }) : w.DO}/outcome`,
      body: { outcome: `Decided (${who}).`, review_date: '2027-01-31' },
    }),
    snapshot: async (w) => (await w.admin.get(`/api/v1/decisions/${w.DO}`)).json.decision.outcome,
  },
  'POST /agreement-suggestions/{id}/decline': {
    setup: async (w) => { w.S = await newSuggestion(w); },
    call: async (w, who, allowed) => ({ path: `/agreement-suggestions/${allowed ? await newSuggestion(w) : w.S}/decline`, body: {} }),
    snapshot: async (w) => (await agreementOfA(w)).suggestions.find((s) => s.id === w.S).status,
  },
  'POST /agreement-suggestions/{id}/withdraw': {
    setup: async (w) => { w.S = await newSuggestion(w); },
    call: async (w, who, allowed) => ({ path: `/agreement-suggestions/${allowed ? await newSuggestion(w, who) : w.S}/withdraw`, body: {} }),
    snapshot: async (w) => (await agreementOfA(w)).suggestions.find((s) => s.id === w.S).status,
  },
  'GET /values': { call: () => ({ path: '/values' }) },
  'POST /values': {
    call: () => ({ path: '/values', body: { name: unique('Value'), description: 'What it means.' } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/values')).json.values.length,
  },
  'GET /network/agreement-template': { call: () => ({ path: '/network/agreement-template' }) },
  'POST /network/agreement-template': {
    call: (w, who) => ({ path: '/network/agreement-template', body: { aims: `To meet and support each other (${who}).`, rules: ['Be kind'], values: ['2'] } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/network/agreement-template')).json.template.aims,
  },
  'GET /network': { call: () => ({ path: '/network' }) },
  'POST /network': {
    call: () => ({ path: '/network', body: { time_zone: ZONE } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/network')).json.time_zone,
  },

  'GET /me/check-ins': {
    call: () => ({ path: '/me/check-ins' }),
    check: (w, who, res) => (res.json.access_log.some((l) => l.reason === undefined) ? 'a log entry without why' : undefined),
  },
  'GET /me/check-ins/consent': { call: () => ({ path: '/me/check-ins/consent' }) },
  'POST /me/check-ins/consent': {
    call: () => ({ path: '/me/check-ins/consent', body: { take_part: true, group_learning: true } }),
  },
  'POST /me/check-ins/withdraw': {
    call: async (w, who) => {
      if (who !== 'anon')
        await takePart(w, who);
      return { path: '/me/check-ins/withdraw', body: {} };
    },
  },
  'GET /groups/{id}/check-ins': {
    call: (w) => ({ path: `/groups/${w.A}/check-ins` }),
    check: (w, who, res) => {
      const manager = who !== 'member';
      if (manager !== (res.json.figures !== undefined) || manager !== Array.isArray(res.json.sharers))
        return 'figures and sharers are for managers only';
    },
  },
  'GET /groups/{id}/check-in-settings': { call: (w) => ({ path: `/groups/${w.A}/check-in-settings` }) },
  'POST /groups/{id}/check-in-settings': {
    call: (w) => ({ path: `/groups/${w.A}/check-in-settings`, body: { instrument: RSE, at_joining: true, every_weeks: 4 } }),
    snapshot: (w) => offeringsOfA(w),
  },
  'POST /groups/{id}/check-in-settings/remove': {
    call: async (w) => {
      await offerInA(w, ONS);
      return { path: `/groups/${w.A}/check-in-settings/remove`, body: { instrument: ONS } };
    },
    snapshot: (w) => offeringsOfA(w),
  },
  'POST /groups/{id}/check-in-settings/meetings': {
    call: async (w) => {
      await offerInA(w, RSE);
      return { path: `/groups/${w.A}/check-in-settings/meetings`, body: { instrument: RSE, meeting_id: w.F, chosen: true } };
    },
    snapshot: (w) => offeringsOfA(w),
  },
  // target shares their answers with A's facilitators
  'GET /groups/{id}/check-ins/people/{person_id}': {
    setup: async (w) => {
      await offerInA(w, RSE);
      const res = await w.c.target.postJson('/api/v1/me/check-ins/consent', { take_part: true, share_with_facilitator: true });
      assert.equal(res.status, 200, res.text);
    },
    call: (w) => ({ path: `/groups/${w.A}/check-ins/people/${w.id.target}` }),
  },
  'GET /groups/{id}/check-ins/{instrument}': {
    call: async (w, who) => {
      await offerInA(w, RSE);
      if (who !== 'anon')
        await takePart(w, who);
      return { path: `/groups/${w.A}/check-ins/${RSE}` };
    },
  },
  'POST /groups/{id}/check-ins/{instrument}': {
    call: async (w, who) => {
      await offerInA(w, RSE);
      if (who !== 'anon')
        await takePart(w, who);
      const body = { action: 'finish' };
      for (let i = 1; i <= 10; i++)
        body[`rse${i}`] = 2;
      return { path: `/groups/${w.A}/check-ins/${RSE}`, body };
    },
  },
  'GET /network/outcomes': { call: () => ({ path: '/network/outcomes' }) },
  'POST /network/outcomes': {
    call: () => ({ path: '/network/outcomes', body: { threshold: 10 } }),
    snapshot: async (w) => (await w.admin.get('/api/v1/network/outcomes')).json.threshold,
  },
};

// Check-ins: the instruments, a caller choosing to take part, and A's offerings.
const RSE = 'rosenberg-self-esteem';
const ONS = 'ons-personal-wellbeing';
async function takePart(w, who) {
  const res = await w.c[who].postJson('/api/v1/me/check-ins/consent', { take_part: true });
  assert.equal(res.status, 200, res.text);
}
async function offerInA(w, instrument) {
  const res = await w.admin.postJson(`/api/v1/groups/${w.A}/check-in-settings`, { instrument, at_joining: true });
  assert.equal(res.status, 200, res.text);
}
const offeringsOfA = async (w) => (await w.admin.get(`/api/v1/groups/${w.A}/check-in-settings`)).json.offerings;

/** The routes `hearth routes` prints, as "METHOD PATH" -> access. */
async function printedRoutes() {
  const res = await hearth(['routes']);
  assert.equal(res.code, 0, res.stderr);
  const routes = new Map();
  for (const line of res.stdout.trim().split('\n')) {
    const [method, path, access] = line.split(' ');
    routes.set(`${method} ${path}`, access);
  }
  return routes;
}

/** Sends one attempt through the JSON API; writes carry this origin. */
function send(client, origin, method, path, body) {
  if (method === 'GET')
    return client.get(`/api/v1${path}`);
  return client.postJson(`/api/v1${path}`, body ?? {}, { headers: { origin } });
}

/** Answers that must leave everything as it was. */
const isRefusal = (status) => [401, 403, 404, 409].includes(status);

describe('the permission matrix', () => {
  let srv, w, routes;

  before(async () => {
    srv = await startServer();
    w = await buildWorld(worldHelpers({ srv, email: {}, password: {}, id: {}, c: {} }));
  });
  after(() => srv?.stop());

  it('has one row for every route `hearth routes` prints, and none for routes that are gone', async () => {
    routes = await printedRoutes();
    const missing = [...routes.keys()].filter((k) => !(k in MATRIX));
    const stale = Object.keys(MATRIX).filter((k) => !routes.has(k));
    assert.deepEqual(missing, [], `routes without a rule in MATRIX: ${missing.join(', ')}`);
    assert.deepEqual(stale, [], `rules for routes that no longer exist: ${stale.join(', ')}`);
    const unplanned = Object.keys(MATRIX).filter((k) => !(k in PLANS));
    assert.deepEqual(unplanned, [], `rows without a way to call them in PLANS: ${unplanned.join(', ')}`);
  });

  it("agrees with each route's declared access level", async () => {
    routes ??= await printedRoutes();
    for (const [key, access] of routes) {
      const row = MATRIX[key];
      if (!row)
        continue;
      if (access === 'public')
        assert.notEqual(row.anon, 401, `${key} is public but the matrix refuses anon`);
      else
        assert.equal(row.anon, 401, `${key} is ${access}: anonymous callers get 401`);
      if (access === 'admin')
        assert.deepEqual(CALLERS.filter((c) => row[c] < 300), ['admin'], `${key} is for admins only`);
      if (access === 'coordinator')
        for (const c of ['nonmember', 'member', 'otherfac', 'facilitator', 'peer'])
          assert.equal(row[c], 403, `${key} is for coordinators: ${c} gets 403`);
    }
  });

  // The rows run one after another: they share group A, and each puts it
  // back as it found it. (The two system test files run side by side.)
  for (const [key, row] of Object.entries(MATRIX)) {
    it(`${key}: ${CALLERS.map((c) => `${c} ${row[c]}`).join(', ')}`, async () => {
      const plan = PLANS[key];
      assert.ok(plan, `no plan to call ${key}`);
      const method = key.split(' ')[0];
      const failures = [];
      if (plan.setup)
        await plan.setup(w);
      try {
        for (const who of CALLERS) {
          const expected = row[who];
          const call = await plan.call(w, who, expected < 300);
          const client = call.client ?? w.c[who];
          const before = isRefusal(expected) && plan.snapshot ? await plan.snapshot(w, call) : undefined;
          const res = await send(client, srv.origin, method, call.path, call.body);
          if (res.status !== expected)
            failures.push(`${who}: expected ${expected}, got ${res.status} ${res.text.slice(0, 200)}`);
          else if (plan.check && res.status < 300) {
            const wrong = plan.check(w, who, res);
            if (wrong)
              failures.push(`${who}: ${wrong}`);
          }
          if (before !== undefined) {
            const now = await plan.snapshot(w, call);
            try {
              assert.deepEqual(now, before);
            } catch {
              failures.push(`${who}: should have been refused (got ${res.status}) and changed nothing, but: ` +
                `${JSON.stringify(before).slice(0, 200)} -> ${JSON.stringify(now).slice(0, 200)}`);
            }
          }
          if (plan.after)
            await plan.after(w, who, res, call);
        }
      } finally {
        if (plan.teardown)
          await plan.teardown(w);
      }
      assert.deepEqual(failures, [], `${key}:\n  ${failures.join('\n  ')}`);
    });
  }

  it("refuses a manager of B who reaches for A's things through B's addresses, changing nothing", async () => {
    const fac = w.c.otherfac;
    const before = await w.membersOfA();
    const tries = [
      [`/groups/${w.B}/invites/${w.invite.id}/revoke`, {}, 404],
      [`/groups/${w.B}/requests/${w.id.requester}/approve`, {}, 409],
      [`/groups/${w.B}/requests/${w.id.requester}/decline`, {}, 409],
      [`/groups/${w.B}/members/${w.id.member}/role`, { role: 'facilitator' }, 404],
    ];
    for (const [path, body, status] of tries) {
      const res = await fac.postJson(`/api/v1${path}`, body, { headers: { origin: srv.origin } });
      assert.equal(res.status, status, `${path}: ${res.status} ${res.text}`);
    }
    assert.deepEqual(await w.membersOfA(), before);
  });

  // A closed group's page is 404 for all but its managers, so its name and
  // existence should not be readable from its join page either (a group may
  // close for its members' safety). When this test was written, join_form
  // in web/membership_pages.c still answered 200 with the group's name to
  // anyone, so the test fails until that is put right.
  it("keeps a closed group's join page as gone as its page, for all but its managers", async () => {
    const res = await w.admin.postJson('/api/v1/groups', {
      name: 'Closed Circle', purpose: 'To meet.', format: 'online', access: 'open', status: 'active',
    });
    assert.equal(res.status, 201, res.text);
    const gid = res.json.group.id;
    assert.equal((await w.c.nonmember.postJson(`/api/v1/groups/${gid}/join`, {})).status, 201);
    assert.equal((await w.admin.postJson(`/api/v1/groups/${gid}/status`, { status: 'closed' })).status, 200);
    for (const who of ['anon', 'nonmember', 'member', 'coordinator', 'admin']) {
      const want = ['coordinator', 'admin'].includes(who) ? 200 : 404;
      const page = await w.c[who].get(`/api/v1/groups/${gid}`);
      assert.equal(page.status, want, `GET /groups/{id} of a closed group as ${who}`);
      const join = await w.c[who].get(`/api/v1/groups/${gid}/join`);
      assert.equal(join.status, want,
        `GET /groups/{id}/join of a closed group as ${who}: ${join.status} ${join.text.slice(0, 160)}`);
    }
  });

  it('sends an anonymous browser asking for a signed-in page to /login, and back after', async () => {
    routes ??= await printedRoutes();
    const anon = srv.client();
    for (const [key, access] of routes) {
      const [method] = key.split(' ');
      if (method !== 'GET' || access === 'public' || !PLANS[key])
        continue;
      const { path } = await PLANS[key].call(w, 'anon', false);
      const res = await anon.get(path, { headers: { accept: 'text/html' } });
      assert.equal(res.status, 303, `${key}: ${res.status}`);
      assert.equal(res.location, `/login?next=${path.replace(/[^A-Za-z0-9/_.-]/g,
        (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`, key);
    }
  });

  itStopsCleanly(() => srv);
});
