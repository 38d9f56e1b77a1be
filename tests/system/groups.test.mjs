// groups.test.mjs - groups, organisations, tags and network settings
// (capability C1) over real HTTP, on SQLite and on PostgreSQL: coordinators
// create and change groups through the HTML forms and the JSON API, change
// their status, keep the lists of tags and organisations and the network's
// time zone; facilitators edit their own group; the public group page shows
// what it should to each kind of visitor (and no one's personal data); and
// every bad input and every caller who may not call a route is refused with
// a clear status naming the field, with a check that nothing changed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, signUpJson, assertRefused, hearth, uniqueEmail,
  GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly, sleep,
} from './lib/server.mjs';
import { sql } from './lib/fixtures.mjs';

// ---- helpers -----------------------------------------------------------

/** POSTs an urlencoded form from [key, value] pairs (keys may repeat),
 * with the client's CSRF token. */
function postPairs(c, path, pairs, opts = {}) {
  const form = new URLSearchParams();
  form.append('csrf', c.csrf);
  for (const [k, v] of pairs)
    form.append(k, v);
  return c.request('POST', path, { ...opts, body: form.toString(), type: 'application/x-www-form-urlencoded' });
}

/** A signed-in client for a new account; returns {c, person}. */
async function newPerson(srv, name) {
  const c = srv.client();
  const person = await signUpJson(c, { name });
  return { c, person };
}

const BASE = {
  purpose: 'A gentle walk and a chat, at our own pace.',
  who_for: 'Anyone who finds it hard to get out of the house.',
  format: 'in_person', access: 'open', facilitation: 'peer_led',
  venue_name: 'Heaton Park Cafe', venue_address: 'Middleton Road, Manchester',
  venue_access: 'Step-free entrance; accessible toilet.',
  latitude: 53.5333, longitude: -2.25,
  rrule: 'FREQ=WEEKLY;BYDAY=TH', schedule_start: '2026-01-08T18:30', duration_minutes: 90,
  status: 'active',
};

async function createGroup(admin, over = {}) {
  const res = await admin.postJson('/api/v1/groups', { ...BASE, ...over });
  assert.equal(res.status, 201, `create: ${res.status} ${res.text}`);
  return res.json.group;
}

async function getGroup(c, id) {
  const res = await c.get(`/api/v1/groups/${id}`);
  assert.equal(res.status, 200, `${res.status} ${res.text}`);
  return res.json.group;
}

/** Every group the directory lists, whatever its status (not closed). */
async function listedCount(c) {
  const res = await c.get('/api/v1/groups?status=forming,active,paused');
  assert.equal(res.status, 200, res.text);
  return res.json.total;
}

/** The stored group as an admin sees it, for "nothing changed" checks. */
async function snapshot(admin, id) {
  const g = await getGroup(admin, id);
  delete g.next_meetings;
  return g;
}


// ---- the suite -----------------------------------------------------------

describe('groups, tags, organisations and network settings', () => {
  let srv, admin, anon, member, fac, otherFac, outsider, coordEmail;
  let walk, other, hostOrg, partnerOrg;

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    anon = srv.client();
    ({ c: member } = await newPerson(srv, 'Mo'));
    ({ c: fac } = await newPerson(srv, 'Fran'));
    ({ c: otherFac } = await newPerson(srv, 'Olu'));
    ({ c: outsider } = await newPerson(srv, 'Pat'));
    coordEmail = uniqueEmail('coord');
    const added = await hearth(['--database', srv.database.url, 'user', 'add', coordEmail,
      '--name', 'Cory', '--password-stdin', '--admin'], { input: `${GOOD_PASSWORD}\n` });
    assert.equal(added.code, 0, added.stderr);
  });
  after(() => srv?.stop());

  describe('tags', () => {
    it('a coordinator adds a tag through the JSON API (201) and its slug is made from its name', async () => {
      const res = await admin.postJson('/api/v1/tags', { name: 'Mental health' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.tag.slug, 'mental-health');
      assert.equal(res.json.tag.name, 'Mental health');
      assert.match(res.json.tag.id, /^[1-9][0-9]*$/);
    });

    it('a coordinator adds a tag through the HTML form (303 to /tags?added=1)', async () => {
      const page = await admin.get('/tags');
      assert.equal(page.status, 200);
      assert.match(page.text, /<label for="name">/);
      const res = await admin.postForm('/tags', { name: 'Carers' });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, '/tags?added=1');
      const after = await admin.get('/tags?added=1');
      assert.match(after.text, /The tag is added\./);
      assert.match(after.text, /<th scope="row"><a href="\/groups\?tag=carers">Carers<\/a><\/th>/);
    });

    it('refuses a tag written almost like another (409, field name) and adds nothing', async () => {
      const before = (await anon.get('/api/v1/tags')).json.tags.length;
      const err = assertRefused(await admin.postJson('/api/v1/tags', { name: 'MENTAL  health!' }), 409, 'name');
      assert.match(err.message, /already a tag/);
      assertRefused(await admin.postJson('/api/v1/tags', { name: '' }), 422, 'name');
      assertRefused(await admin.postJson('/api/v1/tags', { name: '?!' }), 422, 'name');
      assertRefused(await admin.postJson('/api/v1/tags', { name: 'x'.repeat(41) }), 422, 'name');
      assertRefused(await admin.postJson('/api/v1/tags', { name: 'Ok', colour: 'red' }), 400);
      assert.equal((await anon.get('/api/v1/tags')).json.tags.length, before);
    });

    it('the HTML form shows a duplicate tag error tied to the field (409)', async () => {
      await admin.get('/tags');
      const res = await admin.postForm('/tags', { name: 'carers' });
      assert.equal(res.status, 409);
      assert.match(res.text, /aria-invalid="true"/);
      assert.match(res.text, /<p class="field-error" id="name-error">/);
      assert.match(res.text, /aria-describedby="name-hint name-error"/);
    });

    it('lists tags publicly, as HTML and JSON', async () => {
      const html = await anon.get('/tags');
      assert.equal(html.status, 200);
      assert.match(html.text, /<th scope="col">Tag<\/th>/);
      assert.doesNotMatch(html.text, /action="\/tags"/, 'no form for visitors');
      const json = await anon.get('/api/v1/tags');
      const slugs = json.json.tags.map((t) => t.slug);
      assert.ok(slugs.includes('carers') && slugs.includes('mental-health'), slugs.join());
    });

    it('refuses tag changes to anyone but coordinators (401 anonymous, 403 member)', async () => {
      assertRefused(await anon.postJson('/api/v1/tags', { name: 'Sneaky' }), 401);
      assertRefused(await member.postJson('/api/v1/tags', { name: 'Sneaky' }), 403);
      const tags = (await anon.get('/api/v1/tags')).json.tags;
      assert.ok(!tags.some((t) => t.slug === 'sneaky'));
      const carers = tags.find((t) => t.slug === 'carers');
      assertRefused(await member.postJson(`/api/v1/tags/${carers.id}/delete`, {}), 403);
    });

    it('a coordinator removes a tag; removing it again is 404', async () => {
      const t = (await admin.postJson('/api/v1/tags', { name: 'Temporary' })).json.tag;
      const res = await admin.postJson(`/api/v1/tags/${t.id}/delete`, {});
      assert.equal(res.status, 200, res.text);
      assertRefused(await admin.postJson(`/api/v1/tags/${t.id}/delete`, {}), 404);
      assert.ok(!(await anon.get('/api/v1/tags')).json.tags.some((x) => x.id === t.id));
    });
  });

  describe('organisations', () => {
    it('a coordinator adds the host through the JSON API (201)', async () => {
      const res = await admin.postJson('/api/v1/organisations', {
        name: 'Hearth Community Trust', description: 'The host charity.',
        website: 'https://trust.example.org', is_host: true,
      });
      assert.equal(res.status, 201, res.text);
      hostOrg = res.json.organisation;
      assert.equal(hostOrg.is_host, true);
      assert.equal(hostOrg.website, 'https://trust.example.org');
    });

    it('a coordinator adds a partner through the HTML form', async () => {
      const form = await admin.get('/organisations/new');
      assert.equal(form.status, 200);
      assert.match(form.text, /<h1>Add an organisation<\/h1>/);
      const res = await admin.postForm('/organisations', { name: 'Parkside Library', description: 'Rooms and books.', website: '' });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, '/organisations?added=1');
      partnerOrg = (await anon.get('/api/v1/organisations')).json.organisations.find((o) => o.name === 'Parkside Library');
      assert.ok(partnerOrg);
      assert.equal(partnerOrg.is_host, false);
      assert.equal(partnerOrg.website, null);
    });

    it('refuses a repeated name (409) and a website that is not http(s) (422), changing nothing', async () => {
      const before = (await anon.get('/api/v1/organisations')).json.organisations;
      assertRefused(await admin.postJson('/api/v1/organisations', { name: 'Parkside Library' }), 409, 'name');
      for (const website of ['ftp://files.example.org', 'javascript:alert(1)', 'example.org'])
        assertRefused(await admin.postJson('/api/v1/organisations', { name: 'New Org', website }), 422, 'website');
      assertRefused(await admin.postJson('/api/v1/organisations', { name: '' }), 422, 'name');
      assertRefused(await admin.postJson('/api/v1/organisations', { name: 'X', is_host: 'maybe' }), 400, 'is_host');
      assert.deepEqual((await anon.get('/api/v1/organisations')).json.organisations, before);
    });

    it('a coordinator edits an organisation (form and JSON); renaming onto another is 409', async () => {
      const form = await admin.get(`/organisations/${partnerOrg.id}/edit`);
      assert.equal(form.status, 200);
      assert.match(form.text, /value="Parkside Library"/);
      const res = await admin.postForm(`/organisations/${partnerOrg.id}/edit`, {
        name: 'Parkside Library', description: 'Rooms, books and tea.', website: 'https://library.example.org',
      });
      assert.equal(res.status, 303, res.text);
      const j = await admin.postJson(`/api/v1/organisations/${partnerOrg.id}/edit`, {
        name: 'Parkside Library', description: 'Rooms, books and tea.', website: 'https://library.example.org', is_host: false,
      });
      assert.equal(j.status, 200, j.text);
      assert.equal(j.json.organisation.description, 'Rooms, books and tea.');
      assertRefused(await admin.postJson(`/api/v1/organisations/${partnerOrg.id}/edit`, { name: 'Hearth Community Trust' }), 409, 'name');
      assertRefused(await admin.postJson('/api/v1/organisations/999/edit', { name: 'Nobody' }), 404);
      const still = (await anon.get('/api/v1/organisations')).json.organisations.find((o) => o.id === partnerOrg.id);
      assert.equal(still.name, 'Parkside Library');
    });

    it('refuses organisation changes to anyone but coordinators', async () => {
      assertRefused(await anon.postJson('/api/v1/organisations', { name: 'Anon Org' }), 401);
      assertRefused(await member.postJson('/api/v1/organisations', { name: 'Member Org' }), 403);
      assertRefused(await member.postJson(`/api/v1/organisations/${partnerOrg.id}/edit`, { name: 'Taken over' }), 403);
      assert.equal((await member.get('/organisations/new')).status, 403);
      const redirect = await anon.get('/organisations/new');
      assert.equal(redirect.status, 303);
      assert.equal(redirect.location, '/login?next=/organisations/new');
    });
  });

  describe('creating groups', () => {
    it('a coordinator creates a group through the HTML form, with the simple schedule choices', async () => {
      const page = await admin.get('/groups/new');
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Add a group<\/h1>/);
      assert.match(page.text, /<legend>How it meets<\/legend>/);
      assert.match(page.text, /<label for="frequency">How often<\/label>/);
      const res = await postPairs(admin, '/groups', [
        ['name', 'Thursday Walk and Talk'], ['purpose', BASE.purpose], ['who_for', BASE.who_for],
        ['format', 'in_person'], ['access', 'open'], ['facilitation', 'peer_led'], ['status', 'active'],
        ['venue_name', BASE.venue_name], ['venue_address', BASE.venue_address],
        ['venue_access', BASE.venue_access], ['latitude', '53.5333'], ['longitude', '-2.25'],
        ['online_link', ''], ['link_visibility', 'members'],
        ['frequency', 'every_2_weeks'], ['weekday', 'TU'], ['first_date', '2026-01-06'],
        ['start_time', '18:30'], ['duration_minutes', '90'],
        ['tags', 'mental-health'], ['tags', 'carers'],
        ['host_org_id', hostOrg.id], ['partner_ids', partnerOrg.id],
      ]);
      assert.equal(res.status, 303, res.text);
      const m = /^\/groups\/([1-9][0-9]*)\?created=1$/.exec(res.location);
      assert.ok(m, res.location);
      walk = await getGroup(admin, m[1]);
      assert.equal(walk.name, 'Thursday Walk and Talk');
      assert.equal(walk.schedule.rrule, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU');
      assert.equal(walk.schedule.schedule_start, '2026-01-06T18:30');
      assert.match(walk.schedule.text, /Tuesday/);
      assert.deepEqual(walk.tags.map((t) => t.slug).sort(), ['carers', 'mental-health']);
      assert.equal(walk.host.id, hostOrg.id);
      assert.deepEqual(walk.partners.map((p) => p.id), [partnerOrg.id]);
      assert.equal(walk.meeting_days, 2, 'Tuesday is bit 2');
      assert.match(walk.next_meeting_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const shown = await admin.get(`/groups/${walk.id}?created=1`);
      assert.match(shown.text, /The group is created\./);
    });

    it('a coordinator creates a group through the JSON API (201) with the rrule directly', async () => {
      const res = await admin.postJson('/api/v1/groups', {
        ...BASE, name: 'Evening Online Circle', format: 'online', venue_name: '', venue_address: '',
        venue_access: '', latitude: null, longitude: null, online_link: 'https://meet.example.org/circle',
        link_visibility: 'everyone', rrule: 'FREQ=MONTHLY;BYDAY=-1FR', schedule_start: '2026-01-30T19:00',
        tags: ['mental-health'], access: 'approval', facilitation: 'co_facilitated',
      });
      assert.equal(res.status, 201, res.text);
      other = res.json.group;
      assert.match(other.id, /^[1-9][0-9]*$/);
      assert.equal(other.format, 'online');
      assert.equal(other.venue, null, 'an online group has no venue');
      assert.equal(other.online.link, 'https://meet.example.org/circle');
      assert.equal(other.schedule.rrule, 'FREQ=MONTHLY;BYDAY=-1FR');
      assert.equal(other.meeting_days, 16, 'Friday is bit 16');
      assert.match(other.created_at, /Z$/);
    });

    it('a real coordinator (not only an admin) may create groups', async () => {
      const c = srv.client();
      await logIn(c, coordEmail);
      const g = await createGroup(c, { name: 'Made by Cory', status: 'forming' });
      assert.equal(g.status, 'forming');
    });

    it('refuses every kind of bad input with the field named, creating nothing', async () => {
      const before = await listedCount(admin);
      const cases = [
        [{ name: '' }, 422, 'name'],
        [{ name: 'Two\nlines' }, 422, 'name'],
        [{ purpose: '' }, 422, 'purpose'],
        [{ format: 'zoom' }, 422, 'format'],
        [{ access: 'secret' }, 422, 'access'],
        [{ facilitation: 'robots' }, 422, 'facilitation'],
        [{ link_visibility: 'friends' }, 422, 'link_visibility'],
        [{ status: 'closed' }, 422, 'status'],
        [{ tags: ['no-such-tag'] }, 422, 'tags'],
        [{ latitude: 91 }, 422, 'latitude'],
        [{ longitude: -181 }, 422, 'longitude'],
        [{ latitude: 'north' }, 422, 'latitude'],
        [{ longitude: '' }, 422, 'longitude'],
        [{ format: 'online', latitude: null, longitude: null, venue_name: '' }, 422, 'venue_address'],
        [{ format: 'hybrid', online_link: 'javascript:alert(1)' }, 422, 'online_link'],
        [{ online_link: 'https://meet.example.org' }, 422, 'online_link'],
        [{ rrule: 'FREQ=SECONDLY' }, 422, 'rrule'],
        [{ schedule_start: '' }, 422, 'schedule_start'],
        [{ schedule_start: '2026-02-30T18:30' }, 422, 'schedule_start'],
        [{ duration_minutes: 5 }, 422, 'duration_minutes'],
        [{ duration_minutes: 'long' }, 422, 'duration_minutes'],
        [{ host_org_id: '12345' }, 422, 'host_org_id'],
        [{ host_org_id: 'abc' }, 422, 'host_org_id'],
        [{ partner_ids: ['12345'] }, 422, 'partner_ids'],
        [{ tags: 7 }, 400, 'tags'],
        [{ name: 42 }, 400, 'name'],
        [{ colour: 'red' }, 400, undefined],
      ];
      for (const [over, status, field] of cases) {
        const res = await admin.postJson('/api/v1/groups', { ...BASE, name: 'Should not exist', ...over });
        const err = assertRefused(res, status, field);
        if (field === 'tags' && status === 422)
          assert.match(err.message, /There is no tag called "no-such-tag"/);
      }
      assert.equal(await listedCount(admin), before, 'nothing was created');
      const search = await admin.get('/api/v1/groups?q=exist');
      assert.equal(search.json.total, 0);
    });

    it('the HTML form shows errors tied to the field the person sees', async () => {
      await admin.get('/groups/new');
      const noDay = await postPairs(admin, '/groups', [
        ['name', 'Missing day'], ['purpose', 'p'], ['format', 'in_person'], ['access', 'open'],
        ['facilitation', 'peer_led'], ['link_visibility', 'members'], ['frequency', 'weekly'],
        ['weekday', ''], ['first_date', '2026-01-06'], ['start_time', '18:30'], ['duration_minutes', '90'],
      ]);
      assert.equal(noDay.status, 422);
      assert.match(noDay.text, /<select id="weekday" name="weekday" aria-invalid="true" aria-describedby="weekday-error">/);
      assert.match(noDay.text, /<a href="#weekday">/, 'the error summary links to the field');
      assert.match(noDay.text, /value="Missing day"/, 'what was typed is kept');
      const badDate = await postPairs(admin, '/groups', [
        ['name', 'Bad date'], ['purpose', 'p'], ['format', 'in_person'], ['access', 'open'],
        ['facilitation', 'peer_led'], ['link_visibility', 'members'], ['frequency', 'weekly'],
        ['weekday', 'MO'], ['first_date', '2026-02-31'], ['start_time', '18:30'], ['duration_minutes', '90'],
      ]);
      assert.equal(badDate.status, 422);
      assert.match(badDate.text, /id="first_date-error"/);
      const unknownTag = await postPairs(admin, '/groups', [
        ['name', 'Bad tag'], ['purpose', 'p'], ['format', 'in_person'], ['access', 'open'],
        ['facilitation', 'peer_led'], ['link_visibility', 'members'], ['frequency', ''],
        ['duration_minutes', '90'], ['tags', 'nonsense'],
      ]);
      assert.equal(unknownTag.status, 422);
      assert.match(unknownTag.text, /There is no tag called &quot;nonsense&quot;/);
      assert.equal((await admin.get('/api/v1/groups?q=missing%20day')).json.total, 0);
    });

    it('refuses creating to anyone but coordinators (303 login, 401, 403)', async () => {
      const redirect = await anon.get('/groups/new');
      assert.equal(redirect.status, 303);
      assert.equal(redirect.location, '/login?next=/groups/new');
      assertRefused(await anon.postJson('/api/v1/groups', { ...BASE, name: 'Anon group' }), 401);
      assert.equal((await member.get('/groups/new')).status, 403);
      assertRefused(await member.postJson('/api/v1/groups', { ...BASE, name: 'Member group' }), 403);
      await member.get('/');
      const form = await member.postForm('/groups', { name: 'Member form group' });
      assert.equal(form.status, 403);
      assert.equal((await admin.get('/api/v1/groups?q=anon%20member')).json.total, 0);
    });

    it('refuses a form without its CSRF token (403)', async () => {
      const res = await admin.postForm('/groups', { name: 'No token' }, { csrf: null });
      assert.equal(res.status, 403);
    });
  });

  describe('editing groups', () => {
    before(async () => {
      // Fran facilitates the walk; Olu facilitates the other group; Mo is a member.
      for (const [c, g] of [[fac, walk], [otherFac, other], [member, walk]]) {
        const res = await c.postJson(`/api/v1/groups/${g.id}/join`, { message: 'Hello' });
        assert.equal(res.status, 201, res.text);
      }
      const pending = (await admin.get(`/api/v1/groups/${other.id}/members`)).json;
      const reqs = pending.requests ?? [];
      for (const r of reqs) {
        const ok = await admin.postJson(`/api/v1/groups/${other.id}/requests/${r.person_id ?? r.id}/approve`, {});
        assert.ok(ok.status === 200 || ok.status === 201, ok.text);
      }
      for (const [c, g] of [[fac, walk], [otherFac, other]]) {
        const me = (await c.get('/api/v1/account')).json.person;
        const res = await admin.postJson(`/api/v1/groups/${g.id}/members/${me.id}/role`, { role: 'facilitator' });
        assert.equal(res.status, 200, res.text);
      }
    });

    it('shows the edit form with the saved values and the schedule as simple choices', async () => {
      const page = await admin.get(`/groups/${walk.id}/edit`);
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Change the group<\/h1>/);
      assert.match(page.text, /value="Thursday Walk and Talk"/);
      assert.match(page.text, /<option value="every_2_weeks" selected>/);
      assert.match(page.text, /<option value="TU" selected>/);
      assert.match(page.text, /name="tags" id="[^"]*" value="carers" checked/);
      assert.match(page.text, /value="2026-01-06"/);
    });

    it('a coordinator edits through the form; the search index follows in the same change', async () => {
      await admin.get(`/groups/${walk.id}/edit`);
      const res = await postPairs(admin, `/groups/${walk.id}/edit`, [
        ['name', 'Tuesday Walk and Talk'], ['purpose', BASE.purpose], ['who_for', BASE.who_for],
        ['format', 'in_person'], ['access', 'open'], ['facilitation', 'peer_led'],
        ['venue_name', BASE.venue_name], ['venue_address', BASE.venue_address],
        ['venue_access', BASE.venue_access], ['latitude', '53.5333'], ['longitude', '-2.25'],
        ['online_link', ''], ['link_visibility', 'members'],
        ['frequency', 'every_2_weeks'], ['weekday', 'TU'], ['first_date', '2026-01-06'],
        ['start_time', '18:30'], ['duration_minutes', '120'],
        ['tags', 'mental-health'], ['host_org_id', hostOrg.id],
      ]);
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/groups/${walk.id}?saved=1`);
      const g = await getGroup(admin, walk.id);
      assert.equal(g.name, 'Tuesday Walk and Talk');
      assert.equal(g.schedule.duration_minutes, 120);
      assert.deepEqual(g.tags.map((t) => t.slug), ['mental-health'], 'an unticked tag is removed');
      assert.deepEqual(g.partners, [], 'unticked partners are removed');
      assert.equal((await anon.get('/api/v1/groups?q=tuesday')).json.total, 1);
      assert.equal((await anon.get('/api/v1/groups?q=thursday')).json.total, 0);
    });

    it('the JSON API changes only the fields it is sent', async () => {
      const res = await admin.postJson(`/api/v1/groups/${walk.id}/edit`, { who_for: 'Men and women who like to walk.' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.group.who_for, 'Men and women who like to walk.');
      assert.equal(res.json.group.name, 'Tuesday Walk and Talk');
      assert.deepEqual(res.json.group.tags.map((t) => t.slug), ['mental-health']);
      assert.equal(res.json.group.schedule.rrule, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU');
    });

    it("the group's facilitator may edit it", async () => {
      const page = await fac.get(`/groups/${walk.id}/edit`);
      assert.equal(page.status, 200);
      const res = await fac.postJson(`/api/v1/groups/${walk.id}/edit`, { venue_access: 'Step-free; quiet room.' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.group.venue.access_notes, 'Step-free; quiet room.');
    });

    it('refuses bad edits with the field named and changes nothing', async () => {
      const before = await snapshot(admin, walk.id);
      const cases = [
        [{ name: '' }, 422, 'name'],
        [{ format: 'online' }, 422, 'venue_name'],
        [{ latitude: 100 }, 422, 'latitude'],
        [{ latitude: '' }, 422, 'latitude'],
        [{ rrule: 'not a rule' }, 422, 'rrule'],
        [{ tags: ['mental-health', 'nope'] }, 422, 'tags'],
        [{ status: 'paused' }, 422, 'status'],
        [{ online_link: 'https://x.example.org' }, 422, 'online_link'],
        [{ surprise: true }, 400, undefined],
      ];
      for (const [body, status, field] of cases)
        assertRefused(await admin.postJson(`/api/v1/groups/${walk.id}/edit`, body), status, field);
      assert.deepEqual(await snapshot(admin, walk.id), before);
    });

    it('refuses edits by a facilitator of another group, a member, a non-member and anonymous', async () => {
      const before = await snapshot(admin, walk.id);
      assertRefused(await otherFac.postJson(`/api/v1/groups/${walk.id}/edit`, { name: 'Olu was here' }), 403);
      assert.equal((await otherFac.get(`/groups/${walk.id}/edit`)).status, 403);
      assertRefused(await member.postJson(`/api/v1/groups/${walk.id}/edit`, { name: 'Mo was here' }), 403);
      assertRefused(await outsider.postJson(`/api/v1/groups/${walk.id}/edit`, { name: 'Pat was here' }), 403);
      assertRefused(await anon.postJson(`/api/v1/groups/${walk.id}/edit`, { name: 'Anon was here' }), 401);
      const redirect = await anon.get(`/groups/${walk.id}/edit`);
      assert.equal(redirect.status, 303);
      assert.equal(redirect.location, `/login?next=/groups/${walk.id}/edit`);
      assertRefused(await admin.postJson('/api/v1/groups/424242/edit', { name: 'Ghost' }), 404);
      assert.equal((await admin.get('/groups/not-a-number/edit')).status, 404);
      assert.deepEqual(await snapshot(admin, walk.id), before);
    });
  });

  describe('status', () => {
    it('a coordinator pauses a group: it leaves the default directory and shows a label', async () => {
      const res = await admin.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'paused' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.group.status, 'paused');
      assert.ok(!(await anon.get('/api/v1/groups')).json.groups.some((g) => g.id === walk.id));
      const paused = await anon.get('/api/v1/groups?status=paused');
      const hit = paused.json.groups.find((g) => g.id === walk.id);
      assert.equal(hit.paused, true);
      assert.equal(hit.status_text, 'Paused');
      const page = await anon.get(`/groups/${walk.id}`);
      assert.match(page.text, /<strong>Paused:<\/strong>/);
    });

    it('the status form works from the group page (303)', async () => {
      const page = await admin.get(`/groups/${walk.id}`);
      assert.match(page.text, /action="\/groups\/\d+\/status"/);
      assert.match(page.text, /<label for="status">Change the status to<\/label>/);
      const res = await admin.postForm(`/groups/${walk.id}/status`, { status: 'active' });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/groups/${walk.id}?status_changed=1`);
      assert.equal((await getGroup(anon, walk.id)).status, 'active');
    });

    it('refuses an unknown status (422) and anyone but coordinators (401, 403)', async () => {
      assertRefused(await admin.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'sleeping' }), 422, 'status');
      assertRefused(await admin.postJson(`/api/v1/groups/${walk.id}/status`, {}), 422, 'status');
      assertRefused(await fac.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'closed' }), 403);
      assertRefused(await member.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'closed' }), 403);
      assertRefused(await anon.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'closed' }), 401);
      assertRefused(await admin.postJson('/api/v1/groups/424242/status', { status: 'closed' }), 404);
      assert.equal((await getGroup(anon, walk.id)).status, 'active');
    });

    it('a closed group is gone from the directory and its page (404) except for its managers, and cannot be changed (409)', async () => {
      const res = await admin.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'closed' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await anon.get(`/groups/${walk.id}`)).status, 404);
      assert.equal((await member.get(`/api/v1/groups/${walk.id}`)).status, 404);
      assert.equal((await anon.get('/api/v1/groups?q=tuesday&status=forming,active,paused')).json.total, 0);
      const seen = await admin.get(`/groups/${walk.id}`);
      assert.equal(seen.status, 200);
      assert.match(seen.text, /<strong>Closed:<\/strong>/);
      assert.equal((await fac.get(`/api/v1/groups/${walk.id}`)).status, 200, 'its facilitator still sees it');
      const before = await snapshot(admin, walk.id);
      assertRefused(await admin.postJson(`/api/v1/groups/${walk.id}/edit`, { name: 'Changed' }), 409);
      assertRefused(await fac.postJson(`/api/v1/groups/${walk.id}/edit`, { name: 'Changed' }), 409);
      assert.equal((await fac.get(`/groups/${walk.id}/edit`)).status, 409);
      assert.deepEqual(await snapshot(admin, walk.id), before);
    });

    it('a coordinator reopens a closed group and it is found again', async () => {
      const res = await admin.postJson(`/api/v1/groups/${walk.id}/status`, { status: 'active' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await anon.get(`/groups/${walk.id}`)).status, 200);
      assert.equal((await anon.get('/api/v1/groups?q=tuesday')).json.total, 1);
    });
  });

  describe('the group page', () => {
    it('shows what the group is, where and when, in words, with the next four meetings', async () => {
      const page = await anon.get(`/groups/${walk.id}`);
      assert.equal(page.status, 200);
      assert.equal((page.text.match(/<h1[ >]/g) || []).length, 1, 'one h1');
      assert.match(page.text, /<h1>Tuesday Walk and Talk<\/h1>/);
      assert.match(page.text, /Peer-led/);
      assert.match(page.text, /Heaton Park Cafe/);
      assert.match(page.text, /Step-free; quiet room\./);
      assert.match(page.text, /Every (other|2nd|second)? ?.*Tuesday/i);
      assert.match(page.text, /Hearth Community Trust/);
      const g = await getGroup(anon, walk.id);
      assert.equal(g.next_meetings.length, 4);
      for (const m of g.next_meetings) {
        assert.match(m.starts_at, /Z$/);
        assert.match(m.starts_text, /Tuesday .* 18:30/);
        assert.equal(m.cancelled, false);
      }
      assert.match(page.text, /Times are in the network's time zone \(Europe\/London\)/);
    });

    it("shows nobody's personal data: no member names, no emails", async () => {
      for (const c of [anon, outsider, member]) {
        const page = await c.get(`/groups/${walk.id}`);
        for (const name of ['Fran', 'Olu', '@example.org'])
          assert.ok(!page.text.replace(/<header[\s\S]*?<\/header>/, '').includes(name), `${name} appears`);
        const json = JSON.stringify((await c.get(`/api/v1/groups/${walk.id}`)).json);
        assert.ok(!json.includes('Fran') && !json.includes('@example.org'));
      }
    });

    it('tells each visitor how they can join', async () => {
      const anonPage = await anon.get(`/groups/${walk.id}`);
      assert.match(anonPage.text, new RegExp(`<a href="/login\\?next=/groups/${walk.id}">Log in to join this group</a>`));
      const outsiderPage = await outsider.get(`/groups/${walk.id}`);
      assert.match(outsiderPage.text, new RegExp(`<form class="stack" method="post" action="/groups/${walk.id}/join">`));
      assert.match(outsiderPage.text, /<button type="submit">Join this group<\/button>/);
      assert.match(outsiderPage.text, /<input type="hidden" name="csrf" value="[0-9a-f]+">/);
      const memberPage = await member.get(`/groups/${walk.id}`);
      assert.match(memberPage.text, /You are a member of this group\./);
      assert.match(memberPage.text, new RegExp(`action="/groups/${walk.id}/leave"`));
      const approval = await outsider.get(`/groups/${other.id}`);
      assert.match(approval.text, /<textarea id="message" name="message"/);
      assert.match(approval.text, /Ask to join/);
      const asked = await outsider.postJson(`/api/v1/groups/${other.id}/join`, { message: 'Hi' });
      assert.equal(asked.status, 201, asked.text);
      const waiting = await outsider.get(`/groups/${other.id}`);
      assert.match(waiting.text, /Your request is waiting for a facilitator/);
      const invite = await createGroup(admin, { name: 'Invite Only Circle', access: 'invite' });
      for (const c of [anon, outsider]) {
        const p = await c.get(`/groups/${invite.id}`);
        assert.match(p.text, /This group welcomes new members by invitation from its facilitators\./);
        assert.doesNotMatch(p.text, /action="\/groups\/\d+\/join"/);
      }
    });

    it('shows the links for looking after the group only to its managers', async () => {
      const re = new RegExp(`href="/groups/${walk.id}/edit"`);
      assert.match((await admin.get(`/groups/${walk.id}`)).text, re);
      assert.match((await fac.get(`/groups/${walk.id}`)).text, re);
      assert.match((await fac.get(`/groups/${walk.id}`)).text, new RegExp(`href="/groups/${walk.id}/members"`));
      assert.match((await fac.get(`/groups/${walk.id}`)).text, new RegExp(`href="/groups/${walk.id}/meetings"`));
      for (const c of [anon, member, otherFac])
        assert.doesNotMatch((await c.get(`/groups/${walk.id}`)).text, re);
      assert.doesNotMatch((await fac.get(`/groups/${walk.id}`)).text, /action="\/groups\/\d+\/status"/,
        'facilitators do not change status');
    });

    it('an online group says it meets online, never shows an address, and shows the link as chosen', async () => {
      const page = await anon.get(`/groups/${other.id}`);
      assert.match(page.text, /Meets online\./);
      assert.doesNotMatch(page.text, /<dt>Address<\/dt>/);
      assert.match(page.text, /href="https:\/\/meet\.example\.org\/circle"/, 'visible to everyone');
      let res = await admin.postJson(`/api/v1/groups/${other.id}/edit`, { link_visibility: 'signed_in' });
      assert.equal(res.status, 200, res.text);
      const anonG = await getGroup(anon, other.id);
      assert.equal(anonG.online.link, null);
      assert.match(anonG.online.note, /Log in/);
      assert.equal((await getGroup(outsider, other.id)).online.link, 'https://meet.example.org/circle');
      res = await admin.postJson(`/api/v1/groups/${other.id}/edit`, { link_visibility: 'members' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await getGroup(outsider, other.id)).online.link, null, 'a requester is not a member');
      assert.match((await getGroup(outsider, other.id)).online.note, /members/);
      assert.equal((await getGroup(otherFac, other.id)).online.link, 'https://meet.example.org/circle');
      assert.equal((await getGroup(admin, other.id)).online.link, 'https://meet.example.org/circle');
      assert.doesNotMatch((await anon.get(`/groups/${other.id}`)).text, /meet\.example\.org/);
    });

    it('shows a cancelled meeting with its notice, and a moved one with where it moved from', async () => {
      const g = await getGroup(anon, walk.id);
      const [first, second] = g.next_meetings;
      let res = await admin.postJson(`/api/v1/meetings/${first.id}/cancel`, { notice: 'The park is closed for a festival.' });
      assert.ok(res.status === 200 || res.status === 201, res.text);
      const day = new Date(Date.parse(second.starts_at) + 86400000).toISOString().slice(0, 10);
      res = await admin.postJson(`/api/v1/meetings/${second.id}/move`, { date: day, time: '19:00', notice: 'One day later this time.' });
      assert.ok(res.status === 200 || res.status === 201, res.text);
      const after = await getGroup(anon, walk.id);
      const cancelled = after.next_meetings.find((m) => m.id === first.id);
      assert.equal(cancelled.cancelled, true);
      assert.equal(cancelled.notice, 'The park is closed for a festival.');
      const moved = after.next_meetings.find((m) => m.id === second.id);
      assert.equal(moved.moved, true);
      assert.match(moved.moved_from_text, /Tuesday .* 18:30/);
      assert.match(moved.starts_text, /Wednesday .* 19:00/);
      const page = await anon.get(`/groups/${walk.id}`);
      assert.match(page.text, /<strong>Cancelled:<\/strong> Tuesday/);
      assert.match(page.text, /The park is closed for a festival\./);
      assert.match(page.text, /\(moved from Tuesday [^)]*18:30\)/);
    });

    it('answers 404 for an unknown or malformed group', async () => {
      assert.equal((await anon.get('/groups/424242')).status, 404);
      assert.equal((await anon.get('/groups/abc')).status, 404);
      assert.equal((await anon.get('/api/v1/groups/424242')).status, 404);
    });
  });

  describe('network settings', () => {
    it('shows the time zone to coordinators only', async () => {
      const page = await admin.get('/network');
      assert.equal(page.status, 200);
      assert.match(page.text, /<label for="time_zone">Time zone<\/label>/);
      assert.match(page.text, /value="Europe\/London"/);
      assert.equal((await member.get('/network')).status, 403);
      const redirect = await anon.get('/network');
      assert.equal(redirect.status, 303);
      assert.equal(redirect.location, '/login?next=/network');
      assertRefused(await member.postJson('/api/v1/network', { time_zone: 'UTC' }), 403);
      assertRefused(await anon.postJson('/api/v1/network', { time_zone: 'UTC' }), 401);
    });

    it('refuses an unknown time zone (422) and keeps the old one', async () => {
      for (const time_zone of ['Mars/Olympus_Mons', '', '../etc/passwd'])
        assertRefused(await admin.postJson('/api/v1/network', { time_zone }), 422, 'time_zone');
      assert.equal((await admin.get('/api/v1/network')).json.time_zone, 'Europe/London');
    });

    it('a zone stored behind the server shows within NETWORK_ZONE_RECHECK_MS (100 ms)', async () => {
      // Pages keep the zone they read for up to 100 ms (network.h); a
      // change made elsewhere (another node, psql) shows after that.
      const zone = async () => (await admin.get('/api/v1/network')).json.time_zone;
      assert.equal(await zone(), 'Europe/London');
      await sql(srv, "INSERT INTO settings (key, value) VALUES ('time_zone', 'Asia/Tokyo') " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      await sleep(150);
      assert.equal(await zone(), 'Asia/Tokyo');
      await sql(srv, "UPDATE settings SET value = 'Europe/London' WHERE key = 'time_zone'");
      await sleep(150);
      assert.equal(await zone(), 'Europe/London');
    });

    it('changing the zone moves future meetings so they keep their local time', async () => {
      const before = await getGroup(anon, walk.id);
      let res = await admin.postJson('/api/v1/network', { time_zone: 'America/New_York' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await admin.get('/api/v1/network')).json.time_zone, 'America/New_York');
      const after = await getGroup(anon, walk.id);
      // Meetings with a change recorded (cancelled, moved) keep their time.
      const plain = (list) => list.filter((m) => !m.cancelled && !m.moved);
      const was = plain(before.next_meetings).at(-1), now = plain(after.next_meetings).at(-1);
      assert.ok(was && now);
      assert.notEqual(now.starts_at, was.starts_at);
      assert.match(now.starts_text, /18:30/, 'still 18:30 local');
      const hours = (Date.parse(now.starts_at) - Date.parse(was.starts_at)) / 3600000;
      assert.ok([4, 5].includes(hours), `moved by ${hours} hours`);
      await admin.get('/network');
      res = await admin.postForm('/network', { time_zone: 'Europe/London' });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, '/network?saved=1');
      assert.deepEqual((await getGroup(anon, walk.id)).next_meetings.map((m) => m.starts_at),
        before.next_meetings.map((m) => m.starts_at));
    });
  });

  describe('organisations page', () => {
    it('shows each organisation with the groups it hosts and partners', async () => {
      const res = await admin.postJson(`/api/v1/groups/${other.id}/edit`, { partner_ids: [partnerOrg.id] });
      assert.equal(res.status, 200, res.text);
      const json = (await anon.get('/api/v1/organisations')).json.organisations;
      const host = json.find((o) => o.id === hostOrg.id);
      assert.ok(host.hosts.some((g) => g.id === walk.id));
      const partner = json.find((o) => o.id === partnerOrg.id);
      assert.ok(partner.partners.some((g) => g.id === other.id));
      const page = await anon.get('/organisations');
      assert.equal(page.status, 200);
      assert.match(page.text, /Hearth Community Trust <span class="org-role">\(host\)<\/span>/);
      assert.match(page.text, new RegExp(`<a href="/groups/${walk.id}">Tuesday Walk and Talk</a>`));
      assert.doesNotMatch(page.text, /href="\/organisations\/new"/, 'no add link for visitors');
    });
  });

  itStopsCleanly(() => srv);
});
