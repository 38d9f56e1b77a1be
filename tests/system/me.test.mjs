// me.test.mjs - a person's own page, /me: the groups they belong to with
// their role, the requests they wait on (and withdrawing one), their next
// meetings across all their groups, the "Your groups" link in the
// navigation, and that it shows nothing of anyone else.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, account, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { addUser } from './lib/fixtures.mjs';

/** "YYYY-MM-DD" of today + days (UTC). */
function dayAhead(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

/** Creates a group as an admin; with a weekly schedule when start is given. */
async function createGroup(admin, name, access, start) {
  const body = {
    name, purpose: 'To meet and support each other.', format: 'in_person',
    venue_name: 'Community Hall', venue_address: '1 High Street',
    access, facilitation: 'peer_led', status: 'active',
  };
  if (start) {
    const day = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][new Date(`${start.slice(0, 10)}T12:00:00Z`).getUTCDay()];
    body.rrule = `FREQ=WEEKLY;BYDAY=${day}`;
    body.schedule_start = start;
  }
  const res = await admin.postJson('/api/v1/groups', body);
  assert.equal(res.status, 201, `creating ${name}: ${res.status} ${res.text}`);
  return (res.json.group ?? res.json).id;
}

const me = async (c) => {
  const res = await c.get('/api/v1/me');
  assert.equal(res.status, 200, res.text);
  return res.json;
};

describe('/me', () => {
  let srv, admin, mo, fran;
  let mondayG, thursdayG, circleG;
  const moName = 'Mo Pseudonym';

  before(async () => {
    srv = await startServer();
    const moEmail = await addUser(srv, moName);
    const franEmail = await addUser(srv, 'Fran');
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    mo = srv.client();
    await logIn(mo, moEmail);
    fran = srv.client();
    await logIn(fran, franEmail);
    mondayG = await createGroup(admin, 'Drop-in A', 'open', `${dayAhead(2)}T18:30`);
    thursdayG = await createGroup(admin, 'Drop-in B', 'open', `${dayAhead(4)}T10:00`);
    circleG = await createGroup(admin, 'Circle', 'approval');
  });
  after(() => srv?.stop());

  it('sends anonymous people to log in (HTML) or answers 401 (JSON)', async () => {
    const anon = srv.client();
    const res = await anon.get('/me');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/login?next=/me');
    assert.equal((await anon.get('/api/v1/me')).status, 401);
    const home = await anon.get('/login');
    assert.doesNotMatch(home.text, /href="\/me"/, 'no "Your groups" link when signed out');
  });

  it('shows a newcomer an empty page that points to the directory', async () => {
    const res = await mo.get('/me');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control'), /no-store/);
    assert.match(res.text, /<h1>Your groups<\/h1>/);
    assert.match(res.text, /<a href="\/me">Your groups<\/a>/, 'the navigation links here');
    assert.match(res.text, /You are not in a group yet/);
    assert.match(res.text, /href="\/groups"/);
    const json = await me(mo);
    assert.deepEqual(json.groups, []);
    assert.deepEqual(json.requests, []);
    assert.deepEqual(json.meetings, []);
  });

  it('lists the groups I joined with my role, and my request waiting for an answer', async () => {
    for (const g of [mondayG, thursdayG])
      assert.equal((await mo.postJson(`/api/v1/groups/${g}/join`, {})).status, 201);
    assert.equal((await fran.postJson(`/api/v1/groups/${mondayG}/join`, {})).status, 201);
    const franId = (await account(fran)).id;
    const role = await admin.postJson(`/api/v1/groups/${mondayG}/members/${franId}/role`, { role: 'facilitator' });
    assert.equal(role.status, 200, role.text);
    const ask = await mo.postJson(`/api/v1/groups/${circleG}/join`, { message: 'Hello' });
    assert.equal(ask.status, 201);

    const json = await me(mo);
    assert.deepEqual(json.groups.map((g) => [g.group_id, g.name, g.role]),
      [[mondayG, 'Drop-in A', 'member'], [thursdayG, 'Drop-in B', 'member']]);
    for (const g of json.groups) {
      assert.match(g.joined_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(g.path, `/groups/${g.group_id}`);
    }
    assert.equal(json.requests.length, 1);
    assert.equal(json.requests[0].group_id, circleG);
    assert.match(json.requests[0].asked_at, /Z$/);
    const franJson = await me(fran);
    assert.equal(franJson.groups[0].role, 'facilitator');
    assert.equal(franJson.groups[0].role_text, 'Facilitator');

    const page = await mo.get('/me');
    assert.match(page.text, new RegExp(`<a href="/groups/${mondayG}">Drop-in A</a>: Member`));
    assert.match(page.text, /Waiting for an answer/);
    assert.ok(page.text.includes(`action="/groups/${circleG}/leave"`));
  });

  it('shows my next meetings across my groups, soonest first', async () => {
    const json = await me(mo);
    assert.ok(json.meetings.length >= 2, JSON.stringify(json.meetings));
    const groups = new Set(json.meetings.map((m) => m.group_id));
    assert.ok(groups.has(mondayG) && groups.has(thursdayG));
    assert.ok(!groups.has(circleG), 'not the meetings of a group I only asked to join');
    const starts = json.meetings.map((m) => Date.parse(m.starts_at));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
    assert.ok(starts[0] > Date.now());
    for (const m of json.meetings) {
      assert.match(m.id, /^[1-9][0-9]*$/);
      assert.equal(typeof m.starts_text, 'string');
    }
    const page = await mo.get('/me');
    assert.match(page.text, /Your next meetings/);
    assert.ok(page.text.includes(`<a href="/groups/${thursdayG}">Drop-in B</a>`));
  });

  it('withdraws a request from the page: it is gone and the group is not joined', async () => {
    await mo.get('/me');
    const res = await mo.postForm(`/groups/${circleG}/leave`, {});
    assert.equal(res.status, 303);
    assert.equal(res.location, '/me?left=1');
    const page = await mo.get(res.location);
    assert.match(page.text, /You have left the group/);
    assert.match(page.text, /You have no requests to join waiting/);
    const json = await me(mo);
    assert.deepEqual(json.requests, []);
    assert.ok(!json.groups.some((g) => g.group_id === circleG));
  });

  it('after a request, /me?requested=1 says it is sent', async () => {
    await mo.get(`/groups/${circleG}/join`);
    const res = await mo.postForm(`/groups/${circleG}/join`, { message: '' });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/me?requested=1');
    const page = await mo.get(res.location);
    assert.match(page.text, /Your request to join is sent/);
  });

  it('a group I leave disappears from my page, with its meetings', async () => {
    const res = await mo.postJson(`/api/v1/groups/${thursdayG}/leave`, {});
    assert.equal(res.status, 200);
    const json = await me(mo);
    assert.deepEqual(json.groups.map((g) => g.group_id), [mondayG]);
    assert.ok(!json.meetings.some((m) => m.group_id === thursdayG));
  });

  it('shows nothing about anyone else: no emails, no other members', async () => {
    const res = await mo.get('/api/v1/me');
    assert.doesNotMatch(res.text, /@example\.org/);
    assert.doesNotMatch(res.text, /Fran/);
    const page = await mo.get('/me');
    assert.doesNotMatch(page.text, /Fran/);
    assert.equal((page.text.match(/<h1>/g) ?? []).length, 1);
  });

  itStopsCleanly(() => srv);
});
