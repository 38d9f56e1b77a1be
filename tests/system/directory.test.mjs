// directory.test.mjs - the group directory at / and /groups over real
// HTTP, on SQLite and on PostgreSQL: finding groups by words (full text,
// prefix of the last word, hostile input), tag, day, format, distance and
// status, alone and combined; sorting by relevance, distance, next meeting
// and name; paging with previous/next links and a total; the JSON shape;
// the accessible HTML search form; and every bad input refused with a
// status naming the field.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, assertRefused, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { sql } from './lib/fixtures.mjs';

const MANCHESTER = '53.4808,-2.2426';

// name, format, place [lat, lon] or null, rrule + start, tags, status, access
const GROUPS = [
  { name: 'Walk and Talk', purpose: 'A gentle walk and a chat for men.', who_for: 'Men of any age',
    format: 'in_person', venue_name: 'Piccadilly Gardens', venue_address: 'Manchester',
    at: [53.4809, -2.2369], rrule: 'FREQ=WEEKLY;BYDAY=TH', start: '2026-01-08T18:30', tags: ['mental-health'] },
  { name: 'Carers Circle', purpose: 'Time for people who care for someone.', format: 'hybrid',
    venue_name: 'Salford Lads Club', venue_address: 'Coronation Street, Salford', at: [53.4875, -2.2901],
    online_link: 'https://meet.example.org/carers', rrule: 'FREQ=MONTHLY;BYDAY=1TU',
    start: '2026-01-06T10:00', tags: ['carers', 'mental-health'] },
  { name: 'Evening Online Group', purpose: 'An evening space to talk, from home.', format: 'online',
    rrule: 'FREQ=WEEKLY;BYDAY=WE', start: '2026-01-07T19:00', tags: ['mental-health'] },
  { name: 'Liverpool Hearing Voices', purpose: 'For people who hear voices.', format: 'in_person',
    venue_name: 'Bluecoat', venue_address: 'School Lane, Liverpool', at: [53.4013, -2.9836],
    rrule: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-01-05T14:00', tags: ['mental-health'] },
  { name: "Women's Space", purpose: 'A women-only peer group.', format: 'in_person',
    venue_name: 'Levenshulme Library', venue_address: 'Manchester', at: [53.4440, -2.1920],
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR', start: '2026-01-09T11:00', tags: ['women-only'], access: 'approval' },
  { name: 'Paused Poetry', purpose: 'Writing poems together.', format: 'in_person',
    venue_name: 'Central Library', venue_address: 'Manchester', at: [53.4780, -2.2445],
    rrule: 'FREQ=WEEKLY;BYDAY=TU', start: '2026-01-06T18:00', tags: [], status: 'paused' },
  { name: 'Closed Club', purpose: 'Nobody should find this walk.', format: 'in_person',
    venue_name: 'Old Hall', venue_address: 'Manchester', at: [53.4808, -2.2426],
    rrule: 'FREQ=WEEKLY;BYDAY=TH', start: '2026-01-08T18:30', tags: ['mental-health'], status: 'closed' },
  { name: 'Forming Garden Group', purpose: 'Growing vegetables; starting soon.', format: 'in_person',
    venue_name: 'Allotments', venue_address: 'Chorlton', at: [53.4420, -2.2770], tags: [], status: 'forming' },
  { name: 'London Listening', purpose: 'Listening to each other.', format: 'in_person',
    venue_name: 'Hall', venue_address: 'London', at: [51.5074, -0.1278],
    rrule: 'FREQ=WEEKLY;BYDAY=SA', start: '2026-01-10T10:00', tags: [] },
];
// Enough online groups meeting on Sundays to need more than one page.
for (let i = 1; i <= 16; i++)
  GROUPS.push({ name: `Sunday Filler ${String(i).padStart(2, '0')}`, purpose: 'A Sunday group online.',
    format: 'online', rrule: 'FREQ=WEEKLY;BYDAY=SU', start: `2026-01-04T${String(8 + (i % 10)).padStart(2, '0')}:00`, tags: [] });

const LISTED = GROUPS.filter((g) => !['paused', 'closed'].includes(g.status ?? 'active'));

function names(res) {
  return res.json.groups.map((g) => g.name);
}


describe('the group directory', () => {
  let srv, anon;
  const ids = {};

  before(async () => {
    srv = await startServer();
    const admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const name of ['Mental health', 'Carers', 'Women only']) {
      const res = await admin.postJson('/api/v1/tags', { name });
      assert.equal(res.status, 201, res.text);
    }
    for (const g of GROUPS) {
      const body = {
        name: g.name, purpose: g.purpose, who_for: g.who_for ?? '', format: g.format,
        access: g.access ?? 'open', facilitation: 'peer_led', link_visibility: 'everyone',
        venue_name: g.venue_name ?? '', venue_address: g.venue_address ?? '',
        online_link: g.online_link ?? '', tags: g.tags,
        status: g.status === 'closed' ? 'active' : (g.status ?? 'active'),
      };
      if (g.at) {
        body.latitude = g.at[0];
        body.longitude = g.at[1];
      }
      if (g.rrule) {
        body.rrule = g.rrule;
        body.schedule_start = g.start;
      }
      const res = await admin.postJson('/api/v1/groups', body);
      assert.equal(res.status, 201, `${g.name}: ${res.text}`);
      ids[g.name] = res.json.group.id;
      if (g.status === 'closed') {
        const closed = await admin.postJson(`/api/v1/groups/${res.json.group.id}/status`, { status: 'closed' });
        assert.equal(closed.status, 200, closed.text);
      }
    }
    anon = srv.client();
  });
  after(() => srv?.stop());

  describe('the front page and /groups', () => {
    it('the front page welcomes, then offers the search form and results (HTML)', async () => {
      const res = await anon.get('/');
      assert.equal(res.status, 200);
      assert.equal((res.text.match(/<h1[ >]/g) || []).length, 1, 'one h1');
      assert.match(res.text, /<h1>Welcome to [^<]+<\/h1>/);
      assert.match(res.text, /<form class="stack directory-search" method="get" action="\/groups" role="search"/);
      assert.match(res.text, /<label for="q">Words to search for<\/label>/);
      assert.match(res.text, /<fieldset class="field choices" id="day">\s*<legend>Day of the week<\/legend>/);
      assert.match(res.text, /<fieldset class="field choices" id="format">\s*<legend>How it meets<\/legend>/);
      assert.match(res.text, /<input type="checkbox" name="day" id="day-mon" value="mon"><label for="day-mon">Monday<\/label>/);
      assert.match(res.text, /<label for="near">/);
      assert.match(res.text, /<label for="radius_km">/);
      assert.match(res.text, /<label for="sort">Sort by<\/label>/);
      // The first page by next meeting: which groups depends on the day it runs.
      const listed = (await anon.get('/api/v1/')).json.groups.length;
      assert.equal(listed, 20);
      assert.equal((res.text.match(/<h3><a href="\/groups\/\d+">[^<]+<\/a><\/h3>/g) || []).length, listed);
      assert.doesNotMatch(res.text, /name="csrf"[^>]*>\s*<div class="field">\s*<label for="q">/, 'a GET form carries no token');
    });

    it('keeps the logged-out notice on the front page', async () => {
      const res = await anon.get('/?logged_out=1');
      assert.match(res.text, /<p class="notice" role="status">You have logged out\.<\/p>/);
    });

    it('/groups has its own h1 and the same results; / and /groups agree as JSON', async () => {
      const html = await anon.get('/groups');
      assert.equal(html.status, 200);
      assert.match(html.text, /<h1 id="find-heading">Find a group<\/h1>/);
      const a = await anon.get('/api/v1/');
      const b = await anon.get('/api/v1/groups');
      assert.equal(a.json.front_page, true);
      assert.equal(b.json.front_page, false);
      assert.deepEqual(names(a), names(b));
    });

    it('answers with the JSON shape: ids as strings, ISO times, words for people, paging', async () => {
      const res = await anon.get('/api/v1/groups');
      assert.equal(res.status, 200);
      const j = res.json;
      assert.equal(j.total, LISTED.length);
      assert.equal(j.page, 1);
      assert.equal(j.per_page, 20);
      assert.equal(j.pages, Math.ceil(LISTED.length / 20));
      assert.equal(j.prev_url, null);
      assert.equal(j.next_url, '/groups?page=2');
      assert.equal(j.groups.length, 20);
      assert.deepEqual(j.query, { q: null, tags: [], days: [], formats: [], statuses: ['forming', 'active'],
        sort: 'next', page: 1, near: null, radius_km: null });
      // Walk and Talk may be on the first page or not, by the day and hour it runs.
      const walk = (await anon.get('/api/v1/groups?q=walk')).json.groups[0];
      assert.equal(walk.id, ids['Walk and Talk']);
      assert.equal(walk.url, `/groups/${walk.id}`);
      assert.equal(walk.format, 'in_person');
      assert.equal(walk.format_text, 'In person');
      assert.equal(walk.place, 'Piccadilly Gardens, Manchester');
      assert.deepEqual(walk.tags.map((t) => [t.slug, t.name]), [['mental-health', 'Mental health']]);
      assert.match(walk.next_meeting_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(walk.next_meeting_text, /^Thu \d+ \w+ \d{4}, 18:30$/, 'in the network time zone');
      assert.equal(walk.status, 'active');
      assert.equal(walk.paused, false);
      const carers = (await anon.get('/api/v1/groups?q=carers')).json.groups[0];
      assert.equal(carers.place, 'Salford Lads Club, Coronation Street, Salford, and online');
    });

    it('never lists closed groups; lists forming ones; paused ones only when asked, labelled', async () => {
      const all = [];
      for (let p = 1; p <= 2; p++)
        all.push(...names(await anon.get(`/api/v1/groups?page=${p}`)));
      assert.ok(!all.includes('Closed Club'));
      assert.ok(!all.includes('Paused Poetry'));
      assert.ok(all.includes('Forming Garden Group'));
      const paused = await anon.get('/api/v1/groups?status=paused');
      assert.deepEqual(names(paused), ['Paused Poetry']);
      assert.equal(paused.json.groups[0].paused, true);
      const html = await anon.get('/groups?status=paused');
      assert.match(html.text, /<strong>Paused:<\/strong> this group is taking a break\./);
      const every = await anon.get('/api/v1/groups?status=forming&status=active&status=paused&q=walk');
      assert.deepEqual(names(every), ['Walk and Talk'], 'the closed walk group is never found');
      assertRefused(await anon.get('/api/v1/groups?status=closed'), 422, 'status');
      assertRefused(await anon.get('/api/v1/groups?status=asleep'), 422, 'status');
    });
  });

  describe('finding by words', () => {
    it('searches name, purpose, who it is for and place, with the last word as a prefix', async () => {
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=walk')), ['Walk and Talk']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=wal')), ['Walk and Talk']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=men%20of%20any')), ['Walk and Talk']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=salford')), ['Carers Circle']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=HEAR%20VOICES')), ['Liverpool Hearing Voices']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=voices%20walk')), [], 'every word must match');
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=hear')), ['Liverpool Hearing Voices']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=Women%27s')), ["Women's Space"]);
    });

    it('sorts by relevance when words are given: a name match first', async () => {
      const res = await anon.get('/api/v1/groups?q=group');
      assert.equal(res.json.query.sort, 'relevance');
      assert.ok(res.json.total >= 3);
      assert.ok(names(res).slice(0, 2).every((n) => /group/i.test(n)), names(res).join());
    });

    it('treats hostile or odd text as plain words, never as query syntax', async () => {
      const hostile = ['"', 'name:walk', 'walk*', 'NEAR(walk talk)', '-walk', "' OR 1=1 --", 'a & b | !c',
        '(((', 'walk) OR (1', '{{x}}', '<script>', '\\', ':*', 'AND', 'NOT walk', '%', '_', '   '];
      for (const q of hostile) {
        const res = await anon.get(`/api/v1/groups?q=${encodeURIComponent(q)}`);
        assert.equal(res.status, 200, `${q}: ${res.status} ${res.text}`);
      }
      assert.deepEqual(names(await anon.get(`/api/v1/groups?q=${encodeURIComponent('name:walk')}`)), []);
      assert.deepEqual(names(await anon.get(`/api/v1/groups?q=${encodeURIComponent('NOT walk')}`)), []);
      const page = await anon.get(`/groups?q=${encodeURIComponent('<script>{{x}}')}`);
      assert.equal(page.status, 200);
      assert.ok(!page.text.includes('<script>{{x}}'));
      assert.match(page.text, /value="&lt;script&gt;\{\{x\}\}"/);
    });

    it('pages a search by words with its total, also past the last page', async () => {
      const one = await anon.get('/api/v1/groups?q=a');
      const two = await anon.get('/api/v1/groups?q=a&page=2');
      assert.ok(one.json.total >= 20, `q=a finds ${one.json.total}`);
      assert.equal(one.json.groups.length, 20);
      assert.equal(two.json.total, one.json.total);
      assert.equal(two.json.groups.length, one.json.total - 20);
      assert.equal(new Set([...names(one), ...names(two)]).size, one.json.total, 'no overlap');
      const beyond = await anon.get('/api/v1/groups?q=a&page=9');
      assert.deepEqual(beyond.json.groups, []);
      assert.equal(beyond.json.total, one.json.total);
      const walk = await anon.get('/api/v1/groups?q=walk&page=2');
      assert.deepEqual([walk.json.total, walk.json.groups], [1, []]);
    });

    it('refuses too many words (422, field q)', async () => {
      assertRefused(await anon.get(`/api/v1/groups?q=${'w'.repeat(201)}`), 422, 'q');
    });
  });

  describe('finding by tag, day and format', () => {
    it('tag=slug, repeated or as a comma list, finds groups with every tag', async () => {
      const mh = names(await anon.get('/api/v1/groups?tag=mental-health&sort=name'));
      assert.deepEqual(mh, ['Carers Circle', 'Evening Online Group', 'Liverpool Hearing Voices', 'Walk and Talk']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?tag=carers&tag=mental-health')), ['Carers Circle']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?tag=carers,mental-health')), ['Carers Circle']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?tag=women-only&tag=carers')), []);
    });

    it('refuses an unknown tag (422 naming the field and the tag)', async () => {
      const err = assertRefused(await anon.get('/api/v1/groups?tag=nope'), 422, 'tag');
      assert.match(err.message, /There is no tag called "nope"/);
      assertRefused(await anon.get('/api/v1/groups?tag=a,b,c,d,e,f,g,h,i,j,k'), 422, 'tag');
    });

    it('day=mon..sun matches the days groups meet on, any of several', async () => {
      assert.deepEqual(names(await anon.get('/api/v1/groups?day=thu')), ['Walk and Talk']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?day=mon,fri&sort=name')),
        ['Liverpool Hearing Voices', "Women's Space"]);
      assert.deepEqual(names(await anon.get('/api/v1/groups?day=tue&day=wed&sort=name')),
        ['Carers Circle', 'Evening Online Group']);
      assertRefused(await anon.get('/api/v1/groups?day=th'), 422, 'day');
      assertRefused(await anon.get('/api/v1/groups?day=funday'), 422, 'day');
    });

    it('format=in_person|online|hybrid', async () => {
      assert.deepEqual(names(await anon.get('/api/v1/groups?format=hybrid')), ['Carers Circle']);
      const online = await anon.get('/api/v1/groups?format=online');
      assert.equal(online.json.total, 17);
      assert.ok(online.json.groups.every((g) => g.format === 'online' && g.place === 'Online'));
      const both = await anon.get('/api/v1/groups?format=hybrid,in_person');
      assert.ok(both.json.groups.every((g) => g.format !== 'online'));
      assertRefused(await anon.get('/api/v1/groups?format=zoom'), 422, 'format');
    });
  });

  describe('finding by distance', () => {
    it('finds in-person and hybrid groups within the radius, nearest first, with distances', async () => {
      const res = await anon.get(`/api/v1/groups?near=${MANCHESTER}&radius_km=10`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(names(res), ['Walk and Talk', 'Carers Circle', 'Forming Garden Group', "Women's Space"]);
      assert.equal(res.json.query.sort, 'distance');
      const km = res.json.groups.map((g) => g.distance_km);
      assert.deepEqual([...km].sort((a, b) => a - b), km);
      assert.ok(km[0] < 1 && km[1] > 3 && km[1] < 4, km.join());
      assert.ok(res.json.groups.every((g) => g.format !== 'online'), 'online-only groups are left out');
    });

    it('a bigger radius reaches Liverpool; a small one only the centre', async () => {
      const wide = names(await anon.get(`/api/v1/groups?near=${MANCHESTER}&radius_km=60`));
      assert.ok(wide.includes('Liverpool Hearing Voices'));
      assert.ok(!wide.includes('London Listening'));
      assert.deepEqual(names(await anon.get(`/api/v1/groups?near=${MANCHESTER}&radius_km=0.5`)), ['Walk and Talk']);
      const far = names(await anon.get('/api/v1/groups?near=51.5,-0.12&radius_km=500'));
      assert.ok(far.includes('London Listening') && far.includes('Walk and Talk'));
    });

    it('defaults to 10 km, and sorts by name when asked', async () => {
      const res = await anon.get(`/api/v1/groups?near=${MANCHESTER}&sort=name`);
      assert.equal(res.json.query.radius_km, 10);
      assert.deepEqual(names(res), ['Carers Circle', 'Forming Garden Group', 'Walk and Talk', "Women's Space"]);
    });

    it('keeps the index of places in step: a group moves, goes online-only, pauses and closes', async () => {
      const admin = srv.client();
      await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
      const SHEFFIELD = '53.3811,-1.4701', YORK = '53.9600,-1.0873';
      const body = { name: 'Moving Meetup', purpose: 'A group that moves about.', who_for: '',
        format: 'in_person', access: 'open', facilitation: 'peer_led', link_visibility: 'everyone',
        venue_name: 'Winter Garden', venue_address: 'Sheffield', online_link: '', tags: [],
        latitude: 53.3806, longitude: -1.4690 };
      const created = await admin.postJson('/api/v1/groups', { ...body, status: 'active' });
      assert.equal(created.status, 201, created.text);
      const id = created.json.group.id;
      const near = async (place, more = '') =>
        names(await anon.get(`/api/v1/groups?near=${place}&radius_km=10${more}`));
      const edit = async (over) => {
        const res = await admin.postJson(`/api/v1/groups/${id}/edit`, { ...body, ...over });
        assert.equal(res.status, 200, res.text);
      };
      const setStatus = async (status) => {
        const res = await admin.postJson(`/api/v1/groups/${id}/status`, { status });
        assert.equal(res.status, 200, res.text);
      };
      const inYork = { venue_name: 'Museum Gardens', venue_address: 'York', latitude: 53.9617, longitude: -1.0886 };
      assert.deepEqual(await near(SHEFFIELD), ['Moving Meetup']);
      assert.deepEqual(await near(YORK), []);

      await edit(inYork);
      assert.deepEqual(await near(SHEFFIELD), [], 'not found at its old venue');
      const york = await anon.get(`/api/v1/groups?near=${YORK}&radius_km=10`);
      assert.deepEqual(names(york), ['Moving Meetup']);
      assert.ok(york.json.groups[0].distance_km < 1, york.text);
      assert.deepEqual(await near(YORK, '&q=moving'), ['Moving Meetup'], 'words and place together');

      await edit({ format: 'online', venue_name: '', venue_address: '', latitude: '', longitude: '',
        online_link: 'https://meet.example.org/moving' });
      assert.deepEqual(await near(YORK), [], 'an online-only group has no place');
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=moving')), ['Moving Meetup'], 'still listed');

      await edit({ ...inYork, format: 'hybrid', online_link: 'https://meet.example.org/moving' });
      assert.deepEqual(await near(YORK), ['Moving Meetup'], 'back in the index when it meets in person again');

      await setStatus('paused');
      assert.deepEqual(await near(YORK), [], 'paused groups only when asked');
      assert.deepEqual(await near(YORK, '&status=paused'), ['Moving Meetup']);
      await setStatus('closed');
      assert.deepEqual(await near(YORK, '&status=forming,active,paused'), [], 'a closed group never appears');
      assert.deepEqual(await near(SHEFFIELD, '&status=forming,active,paused'), []);
      await setStatus('active');
      assert.deepEqual(await near(YORK), ['Moving Meetup'], 'reopened, it is found again');
      await setStatus('closed');
    });

    it('refuses a malformed place (400), one out of range (422) and a bad radius (422)', async () => {
      for (const near of ['abc', '53.4', '53.4,-2.2,1', 'nan,0', '1e1,2', '53.4;-2.2'])
        assertRefused(await anon.get(`/api/v1/groups?near=${encodeURIComponent(near)}`), 400, 'near');
      for (const near of ['91,0', '-91,0', '0,181', '0,-180.5'])
        assertRefused(await anon.get(`/api/v1/groups?near=${encodeURIComponent(near)}`), 422, 'near');
      for (const radius of ['0', '-3', '501', 'far', '1e2'])
        assertRefused(await anon.get(`/api/v1/groups?near=${MANCHESTER}&radius_km=${radius}`), 422, 'radius_km');
    });
  });

  describe('combined, sorted and paged', () => {
    it('combines filters', async () => {
      assert.deepEqual(names(await anon.get(`/api/v1/groups?tag=mental-health&near=${MANCHESTER}&radius_km=10`)),
        ['Walk and Talk', 'Carers Circle']);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=sunday&format=online&day=sun&page=2')).length, 0);
      const sunday = await anon.get('/api/v1/groups?q=sunday&format=online&day=sun');
      assert.equal(sunday.json.total, 16);
      assert.deepEqual(names(await anon.get('/api/v1/groups?q=group&format=in_person&day=mon')), []);
      assert.deepEqual(names(await anon.get('/api/v1/groups?tag=mental-health&day=mon&format=in_person')),
        ['Liverpool Hearing Voices']);
    });

    it('sort=name is alphabetical; the default sorts by next meeting with unscheduled groups last', async () => {
      const byName = [];
      for (let p = 1; p <= 2; p++)
        byName.push(...names(await anon.get(`/api/v1/groups?sort=name&page=${p}`)));
      assert.deepEqual(byName, [...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      assert.equal(byName.length, LISTED.length);
      const next = [];
      for (let p = 1; p <= 2; p++)
        next.push(...(await anon.get(`/api/v1/groups?page=${p}`)).json.groups);
      const times = next.map((g) => g.next_meeting_at);
      assert.equal(times.at(-1), null, 'the forming group with no meetings comes last');
      assert.equal(next.at(-1).name, 'Forming Garden Group');
      const known = times.filter((t) => t !== null);
      assert.deepEqual(known, [...known].sort());
    });

    it('refuses sorts that cannot apply and unknown ones (422, field sort)', async () => {
      assertRefused(await anon.get('/api/v1/groups?sort=relevance'), 422, 'sort');
      assertRefused(await anon.get('/api/v1/groups?sort=distance'), 422, 'sort');
      assertRefused(await anon.get('/api/v1/groups?sort=random'), 422, 'sort');
    });

    it('pages by 20 with a total, previous and next links, and no overlap', async () => {
      const one = await anon.get('/api/v1/groups?format=online,in_person,hybrid&sort=name');
      const two = await anon.get('/api/v1/groups?format=online,in_person,hybrid&sort=name&page=2');
      assert.equal(one.json.groups.length, 20);
      assert.equal(two.json.groups.length, LISTED.length - 20);
      assert.equal(one.json.total, LISTED.length);
      assert.equal(two.json.page, 2);
      assert.equal(one.json.next_url, '/groups?format=online,in_person,hybrid&sort=name&page=2');
      assert.equal(two.json.prev_url, '/groups?format=online,in_person,hybrid&sort=name&page=1');
      assert.equal(two.json.next_url, null);
      const seen = new Set([...names(one), ...names(two)]);
      assert.equal(seen.size, LISTED.length);
      const beyond = await anon.get('/api/v1/groups?page=9');
      assert.equal(beyond.status, 200);
      assert.deepEqual(beyond.json.groups, []);
      assert.equal(beyond.json.total, LISTED.length);
    });

    it('paging links in HTML keep the question', async () => {
      const res = await anon.get('/groups?format=online,in_person,hybrid&sort=name&q=');
      assert.match(res.text, /<nav class="pager" aria-label="Pages of results">/);
      assert.match(res.text, /<a href="\/groups\?format=online,in_person,hybrid&amp;sort=name&amp;page=2" rel="next">Next page<\/a>/);
      assert.match(res.text, /Page 1 of 2/);
      assert.match(res.text, new RegExp(`${LISTED.length} groups found`));
      assert.match(res.text, /<input type="checkbox" name="format" id="format-online" value="online" checked>/);
      assert.match(res.text, /<option value="name" selected>/);
      const two = await anon.get('/groups?format=online,in_person,hybrid&sort=name&page=2');
      assert.match(two.text, /<a href="\/groups\?format=online,in_person,hybrid&amp;sort=name&amp;page=1" rel="prev">Previous page<\/a>/);
      assert.doesNotMatch(two.text, /rel="next"/);
      const sunday = await anon.get('/groups?q=sunday&day=sun');
      assert.match(sunday.text, /16 groups found/);
      assert.match(sunday.text, /<input type="checkbox" name="day" id="day-sun" value="sun" checked>/);
      assert.doesNotMatch(sunday.text, /class="pager"/, 'one page needs no pager');
    });

    it('refuses a bad page (400 malformed, 422 below 1)', async () => {
      assertRefused(await anon.get('/api/v1/groups?page=0'), 422, 'page');
      assertRefused(await anon.get('/api/v1/groups?page=-2'), 422, 'page');
      assertRefused(await anon.get('/api/v1/groups?page=two'), 400, 'page');
      assertRefused(await anon.get('/api/v1/groups?page=1.5'), 400, 'page');
    });
  });

  describe('bad input in the HTML form', () => {
    it('shows the search form again with the error tied to its field', async () => {
      const res = await anon.get('/groups?day=funday&q=walk');
      assert.equal(res.status, 422);
      assert.match(res.text, /<div class="error-summary" role="alert"/);
      assert.match(res.text, /<a href="#day">There is no day called &quot;funday&quot;/);
      assert.match(res.text, /<fieldset class="field choices" id="day" aria-describedby="day-error">/);
      assert.match(res.text, /value="walk"/, 'the words typed are kept');
      const near = await anon.get('/groups?near=somewhere');
      assert.equal(near.status, 400);
      assert.match(near.text, /<input id="near" name="near" type="text"[^>]*aria-invalid="true"/);
      assert.match(near.text, /id="near-error"/);
      const tag = await anon.get('/?tag=nope');
      assert.equal(tag.status, 422);
      assert.match(tag.text, /There is no tag called &quot;nope&quot;/);
      assert.match(tag.text, /<h1>Welcome to/);
    });
  });

  describe('keeping "next meeting" true', () => {
    it('a group whose next meeting has gone by shows its following one', async () => {
      const id = ids['Walk and Talk'];
      const before = (await anon.get('/api/v1/groups?q=walk')).json.groups[0].next_meeting_at;
      // As if the stored next meeting were a week ago and none had been made since.
      await sql(srv, `UPDATE peer_group SET next_meeting_at = ${Date.parse(before) - 7 * 86400000} WHERE id = ${id}`);
      const res = await anon.get('/api/v1/groups?q=walk');
      const hit = res.json.groups[0];
      assert.equal(hit.next_meeting_at, before);
      assert.ok(Date.parse(hit.next_meeting_at) > Date.now());
    });
  });

  itStopsCleanly(() => srv);
});
