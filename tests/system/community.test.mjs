// community.test.mjs - the wider community (capability C4): the network's
// directory of community resources over real HTTP, on SQLite and on
// PostgreSQL. The seeded categories, adding, changing and removing a
// resource (coordinators only), the public list filtered by category and
// paged, the HTML pages and their forms, and each refusal (an unknown
// category, bad contact details, an unknown organisation, people without
// the right) with a check that nothing changed. Then a group in the
// community: events (future only) shown on the group's public page,
// connections (today or before), signposting counts at a meeting that has
// started, and refusals: non-members 403, closed group 409, anonymous 401
// or the login page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, account, jsonError, run, USE_PG, ADMIN_EMAIL, ADMIN_PASSWORD,
  itStopsCleanly,
} from './lib/server.mjs';
import { ZONE, DAY, localDate, addUser } from './lib/fixtures.mjs';

const expectStatus = (res, status) => assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 300)}`);

describe('community resources', () => {
  let srv, admin, coord, person, anon, orgId;

  const count = async () => (await anon.get('/api/v1/resources')).json.total;

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    anon = srv.client();
    coord = srv.client();
    await logIn(coord, await addUser(srv, 'Coord', ['coordinator']));
    person = srv.client();
    await logIn(person, await addUser(srv, 'Pat'));
    const org = await admin.postJson('/api/v1/organisations', { name: 'Shelter Partners' });
    expectStatus(org, 201);
    orgId = org.json.organisation.id;
  });
  after(() => srv?.stop());

  it('lists the seeded categories and an empty directory to anyone', async () => {
    const res = await anon.get('/api/v1/resources');
    expectStatus(res, 200);
    const slugs = res.json.categories.map((c) => c.slug);
    for (const s of ['housing-advice', 'benefits', 'employment', 'arts', 'sport', 'crisis-lines',
      'food', 'debt', 'carers', 'parenting', 'lgbtq', 'domestic-abuse'])
      assert.ok(slugs.includes(s), s);
    assert.equal(res.json.total, 0);
    const page = await anon.get('/resources');
    expectStatus(page, 200);
    assert.match(page.text, /<h1>Community resources<\/h1>/);
    assert.match(page.text, /<label for="category">Category<\/label>/);
  });

  it('lets a coordinator add a resource with contact details and an organisation', async () => {
    const res = await coord.postJson('/api/v1/resources', {
      name: 'Town Housing Advice', category: 'housing-advice', description: 'Free advice on tenancies.',
      phone: '+44 (0)1234 567 890', email: 'help@housing.example.org', website: 'https://housing.example.org',
      opening_times: 'Mon-Fri 9am-5pm', address: 'Market Square', organisation_id: orgId,
    });
    expectStatus(res, 201);
    const r = res.json.resource;
    assert.equal(typeof r.id, 'string');
    assert.equal(r.category.slug, 'housing-advice');
    assert.equal(r.category.name, 'Housing advice');
    assert.equal(r.organisation.id, orgId);
    assert.equal(r.phone, '+44 (0)1234 567 890');
    assert.match(r.created_at, /^\d{4}-\d\d-\d\dT/);
    expectStatus(await admin.postJson('/api/v1/resources', { name: 'Sport for All', category: 'sport' }), 201);
    expectStatus(await coord.get('/resources/new'), 200);
    const form = await coord.postForm('/resources', { name: 'Crisis Line', category: 'crisis-lines', phone: '116 123' });
    expectStatus(form, 303);
    assert.equal(form.location, '/resources?added=1');
    assert.equal(await count(), 3);
  });

  it('filters by category and pages', async () => {
    const sport = await anon.get('/api/v1/resources?category=sport');
    expectStatus(sport, 200);
    assert.deepEqual(sport.json.resources.map((r) => r.name), ['Sport for All']);
    assert.equal(sport.json.category, 'sport');
    const page2 = await anon.get('/api/v1/resources?page=2');
    expectStatus(page2, 200);
    assert.equal(page2.json.resources.length, 0);
    assert.equal(page2.json.total, 3);
    const html = await anon.get('/resources?category=housing-advice');
    assert.match(html.text, /Town Housing Advice/);
    assert.doesNotMatch(html.text, /Sport for All/);
    assert.match(html.text, /<option value="housing-advice" selected>/);
  });

  it('refuses an unknown category, naming it, and changes nothing', async () => {
    const res = await coord.postJson('/api/v1/resources', { name: 'Mystery', category: 'astrology' });
    expectStatus(res, 422);
    assert.equal(jsonError(res).field, 'category');
    assert.match(jsonError(res).message, /astrology/);
    const list = await anon.get('/api/v1/resources?category=astrology');
    expectStatus(list, 422);
    assert.match(jsonError(list).message, /astrology/);
    assert.equal(await count(), 3);
  });

  it('refuses bad contact details and an unknown organisation', async () => {
    const bad = [
      [{ phone: 'call us' }, 'phone'], [{ phone: '12' }, 'phone'],
      [{ email: 'not-an-email' }, 'email'], [{ email: 'a@b' }, 'email'],
      [{ website: 'javascript:alert(1)' }, 'website'], [{ website: 'example.org' }, 'website'],
      [{ opening_times: 'x'.repeat(201) }, 'opening_times'],
      [{ organisation_id: '123456789' }, 'organisation_id'],
      [{ name: '' }, 'name'], [{ category: '' }, 'category'],
    ];
    for (const [change, field] of bad) {
      const res = await coord.postJson('/api/v1/resources', { name: 'Bad', category: 'food', ...change });
      assert.ok(res.status === 422 || res.status === 400, `${JSON.stringify(change)}: ${res.status}`);
      assert.equal(jsonError(res).field, field, JSON.stringify(change));
    }
    const form = await coord.postForm('/resources', { name: 'Bad', category: 'astrology' });
    expectStatus(form, 422);
    assert.match(form.text, /aria-invalid="true" aria-describedby="category-error"/);
    assert.match(form.text, /id="category-error"/);
    assert.equal(await count(), 3);
  });

  it('refuses people without the right', async () => {
    expectStatus(await anon.postJson('/api/v1/resources', { name: 'X', category: 'food' }), 401);
    expectStatus(await person.postJson('/api/v1/resources', { name: 'X', category: 'food' }), 403);
    const login = await anon.get('/resources/new');
    expectStatus(login, 303);
    assert.match(login.location, /\/login/);
    expectStatus(await person.get('/resources/new'), 403);
    assert.equal(await count(), 3);
  });

  it('changes and removes a resource', async () => {
    const list = (await anon.get('/api/v1/resources?category=sport')).json.resources;
    const rid = list[0].id;
    const edit = await coord.get(`/resources/${rid}/edit`);
    expectStatus(edit, 200);
    assert.match(edit.text, /value="Sport for All"/);
    assert.match(edit.text, /name="csrf"/);
    const saved = await coord.postJson(`/api/v1/resources/${rid}/edit`, { name: 'Sport for Everyone', category: 'arts' });
    expectStatus(saved, 200);
    assert.equal(saved.json.resource.category.slug, 'arts');
    const badEdit = await coord.postJson(`/api/v1/resources/${rid}/edit`, { name: 'Y', category: 'nope' });
    expectStatus(badEdit, 422);
    assert.equal((await anon.get('/api/v1/resources?category=arts')).json.resources[0].name, 'Sport for Everyone');
    expectStatus(await person.postJson(`/api/v1/resources/${rid}/delete`, {}), 403);
    expectStatus(await coord.postJson('/api/v1/resources/123456789/delete', {}), 404);
    const del = await coord.postForm(`/resources/${rid}/delete`, {});
    expectStatus(del, 303);
    assert.equal(await count(), 2);
    expectStatus(await coord.get(`/resources/${rid}/edit`), 404);
  });

  itStopsCleanly(() => srv);
});

async function createGroup(admin, name) {
  const res = await admin.postJson('/api/v1/groups', {
    name, purpose: 'To walk, talk and support each other.', format: 'in_person',
    venue_name: 'Community Hall', venue_address: '1 High Street',
    access: 'open', facilitation: 'peer_led', status: 'active',
  });
  expectStatus(res, 201);
  return res.json.group.id;
}

describe('a group in the community', () => {
  let srv, admin, fac, member, outsider, anon, gid, closedGid, pastMeeting, futureMeeting, orgId;

  async function sql(q) {
    const r = USE_PG
      ? await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', srv.database.name, '-c', q])
      : await run('sqlite3', ['-cmd', '.timeout 5000', srv.database.url, q]);
    assert.equal(r.code, 0, r.stderr);
  }
  const overview = async (c = member, g = gid) => {
    const res = await c.get(`/api/v1/groups/${g}/community`);
    expectStatus(res, 200);
    return res.json;
  };

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    anon = srv.client();
    const ids = {};
    const clients = {};
    for (const who of ['fac', 'member', 'outsider']) {
      clients[who] = srv.client();
      await logIn(clients[who], await addUser(srv, who));
      ids[who] = (await account(clients[who])).id;
    }
    ({ fac, member, outsider } = clients);
    gid = await createGroup(admin, 'Walkers');
    closedGid = await createGroup(admin, 'Old Circle');
    for (const g of [gid, closedGid]) {
      for (const c of [fac, member])
        expectStatus(await c.postJson(`/api/v1/groups/${g}/join`, {}), 201);
      expectStatus(await admin.postJson(`/api/v1/groups/${g}/members/${ids.fac}/role`, { role: 'facilitator' }), 200);
    }
    const m1 = await admin.postJson(`/api/v1/groups/${gid}/meetings`,
      { date: localDate(3), start_time: '10:00', end_time: '11:00', notice: 'Extra session' });
    expectStatus(m1, 201);
    pastMeeting = m1.json.meeting.id;
    await sql(`UPDATE meeting SET starts_at = ${Date.now() - 3600000} WHERE id = ${pastMeeting}`);
    const m2 = await admin.postJson(`/api/v1/groups/${gid}/meetings`,
      { date: localDate(5), start_time: '10:00', end_time: '11:00', notice: 'Later' });
    expectStatus(m2, 201);
    futureMeeting = m2.json.meeting.id;
    orgId = (await admin.postJson('/api/v1/organisations', { name: 'Parks Trust' })).json.organisation.id;
  });
  after(() => srv?.stop());

  it('starts empty for members and refuses others', async () => {
    const o = await overview();
    assert.deepEqual(o.events, []);
    assert.deepEqual(o.connections, []);
    assert.equal(o.signposting.people, 0);
    assert.equal(o.can_manage, false);
    assert.equal((await overview(fac)).can_manage, true);
    expectStatus(await outsider.get(`/api/v1/groups/${gid}/community`), 403);
    expectStatus(await anon.get(`/api/v1/groups/${gid}/community`), 401);
    const login = await anon.get(`/groups/${gid}/community`);
    expectStatus(login, 303);
    assert.match(login.location, /\/login/);
    const page = await member.get(`/groups/${gid}/community`);
    expectStatus(page, 200);
    assert.match(page.text, /<h1>The group in the community<\/h1>/);
    assert.doesNotMatch(page.text, /Add a community event/);
  });

  it('adds an upcoming event that shows on the public group page', async () => {
    const res = await fac.postJson(`/api/v1/groups/${gid}/events`, {
      title: 'Picnic in the park', date: localDate(10), time: '12:30', place: 'Victoria Park',
      description: 'Bring something to share.',
    });
    expectStatus(res, 201);
    assert.equal(typeof res.json.event.id, 'string');
    const o = await overview();
    assert.equal(o.events.length, 1);
    assert.equal(o.events[0].title, 'Picnic in the park');
    assert.match(o.events[0].starts_at, /^\d{4}-\d\d-\d\dT/);
    const pub = await anon.get(`/api/v1/groups/${gid}`);
    expectStatus(pub, 200);
    assert.equal(pub.json.group.community_events[0].title, 'Picnic in the park');
    const html = await anon.get(`/groups/${gid}`);
    assert.match(html.text, /Coming up in the community/);
    assert.match(html.text, /Picnic in the park/);
    const memberHtml = await member.get(`/groups/${gid}`);
    assert.match(memberHtml.text, new RegExp(`href="/groups/${gid}/community">Community</a>`));
  });

  it('refuses a past event, bad dates and times, and changes nothing', async () => {
    const bad = [
      [{ date: localDate(-1), time: '10:00' }, 'date'],
      [{ date: '2026-02-30', time: '10:00' }, 'date'],
      [{ date: localDate(2), time: '25:00' }, 'time'],
      [{ date: localDate(2), time: '10:00', title: '' }, 'title'],
    ];
    for (const [change, field] of bad) {
      const res = await fac.postJson(`/api/v1/groups/${gid}/events`, { title: 'Trip', ...change });
      expectStatus(res, 422);
      assert.equal(jsonError(res).field, field, JSON.stringify(change));
    }
    await member.get(`/groups/${gid}/community`);
    expectStatus(await member.postForm(`/groups/${gid}/events`, { title: 'Trip', date: localDate(2), time: '10:00' }), 403);
    expectStatus(await outsider.postJson(`/api/v1/groups/${gid}/events`, { title: 'Trip', date: localDate(2), time: '10:00' }), 403);
    expectStatus(await anon.postJson(`/api/v1/groups/${gid}/events`, { title: 'Trip', date: localDate(2), time: '10:00' }), 401);
    await fac.get(`/groups/${gid}/community`);
    const form = await fac.postForm(`/groups/${gid}/events`, { title: 'Trip', date: localDate(-2), time: '10:00' });
    expectStatus(form, 422);
    assert.match(form.text, /aria-invalid="true"/);
    assert.match(form.text, /id="date-error"/);
    assert.equal((await overview()).events.length, 1);
  });

  it('records connections with an organisation or someone named', async () => {
    expectStatus(await fac.postJson(`/api/v1/groups/${gid}/connections`,
      { organisation_id: orgId, kind: 'joint_activity', connected_on: localDate(-3), note: 'A shared walk.' }), 201);
    await fac.get(`/groups/${gid}/community`);
    const form = await fac.postForm(`/groups/${gid}/connections`,
      { organisation_id: '', with: 'Local library', kind: 'speaker', connected_on: localDate(0) });
    expectStatus(form, 303);
    const o = await overview();
    assert.deepEqual(o.connections.map((c) => [c.with, c.kind]).sort(),
      [['Local library', 'speaker'], ['Parks Trust', 'joint_activity']]);
    const bad = [
      [{ kind: 'party', connected_on: localDate(-1), with: 'X' }, 'kind'],
      [{ kind: 'visit', connected_on: localDate(5), with: 'X' }, 'connected_on'],
      [{ kind: 'visit', connected_on: localDate(-1) }, 'with'],
      [{ kind: 'visit', connected_on: localDate(-1), organisation_id: '987654321' }, 'organisation_id'],
    ];
    for (const [body, field] of bad) {
      const res = await fac.postJson(`/api/v1/groups/${gid}/connections`, body);
      expectStatus(res, 422);
      assert.equal(jsonError(res).field, field, JSON.stringify(body));
    }
    expectStatus(await member.postJson(`/api/v1/groups/${gid}/connections`,
      { with: 'X', kind: 'visit', connected_on: localDate(-1) }), 403);
    assert.equal((await overview()).connections.length, 2);
  });

  it('records signposting as counts by category, never names', async () => {
    expectStatus(await fac.postJson(`/api/v1/groups/${gid}/signposting`,
      { meeting_id: pastMeeting, category: 'housing-advice', count: 3 }), 201);
    expectStatus(await fac.postJson(`/api/v1/groups/${gid}/signposting`,
      { meeting_id: pastMeeting, category: 'housing-advice', count: 2 }), 201);
    await fac.get(`/groups/${gid}/community`);
    expectStatus(await fac.postForm(`/groups/${gid}/signposting`,
      { meeting_id: pastMeeting, category: 'food', count: '1' }), 303);
    const o = await overview();
    assert.equal(o.signposting.people, 6);
    assert.deepEqual(o.signposting.by_category.map((c) => [c.category.slug, c.people]),
      [['housing-advice', 5], ['food', 1]]);
    const bad = [
      [{ meeting_id: pastMeeting, category: 'astrology', count: 1 }, 'category'],
      [{ meeting_id: pastMeeting, category: 'food', count: 0 }, 'count'],
      [{ meeting_id: pastMeeting, category: 'food', count: 101 }, 'count'],
      [{ meeting_id: futureMeeting, category: 'food', count: 1 }, 'meeting_id'],
      [{ meeting_id: '987654321', category: 'food', count: 1 }, 'meeting_id'],
    ];
    for (const [body, field] of bad) {
      const res = await fac.postJson(`/api/v1/groups/${gid}/signposting`, body);
      expectStatus(res, 422);
      assert.equal(jsonError(res).field, field, JSON.stringify(body));
      if (field === 'category')
        assert.match(jsonError(res).message, /astrology/);
    }
    expectStatus(await fac.postJson(`/api/v1/groups/${gid}/signposting`,
      { meeting_id: pastMeeting, category: 'food', count: 1, name: 'Sam' }), 400);
    expectStatus(await member.postJson(`/api/v1/groups/${gid}/signposting`,
      { meeting_id: pastMeeting, category: 'food', count: 1 }), 403);
    assert.equal((await overview()).signposting.people, 6);
    const page = await member.get(`/groups/${gid}/community`);
    assert.match(page.text, /<th scope="row">Housing advice<\/th><td>5<\/td>/);
  });

  it('changes nothing in a closed group (409)', async () => {
    expectStatus(await admin.postJson(`/api/v1/groups/${closedGid}/status`, { status: 'closed' }), 200);
    expectStatus(await fac.postJson(`/api/v1/groups/${closedGid}/events`,
      { title: 'Trip', date: localDate(4), time: '10:00' }), 409);
    expectStatus(await fac.postJson(`/api/v1/groups/${closedGid}/connections`,
      { with: 'X', kind: 'visit', connected_on: localDate(-1) }), 409);
    expectStatus(await fac.postJson(`/api/v1/groups/${closedGid}/signposting`,
      { meeting_id: pastMeeting, category: 'food', count: 1 }), 409);
    const o = await overview(fac, closedGid);
    assert.equal(o.is_closed, true);
    assert.equal(o.events.length + o.connections.length, 0);
  });

  itStopsCleanly(() => srv);
});
