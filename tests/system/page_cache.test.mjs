// page_cache.test.mjs - the anonymous page cache (src/http/page_cache.c) over
// real HTTP, on SQLite and on PostgreSQL: a second visitor gets the same
// bytes from the cache; a change through the server, or straight in the
// database by another process, is seen by the very next request; signed-in
// people and pages holding a form are never served from it; the JSON face
// is kept apart; and with page_cache_kib = 0 nothing is kept. Members'
// directory searches share their answers (src/app/search_cache.c) under the
// same rule: a change shows on the very next search.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, logIn, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly, USE_PG, sleep } from './lib/server.mjs';
import { sql } from './lib/fixtures.mjs';

// The page cache's counters from /metrics.
async function counters(srv) {
  const text = (await srv.client().get('/metrics')).text;
  const read = (name) => Number((text.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
  return { hits: read('hearth_page_cache_hits_total'), misses: read('hearth_page_cache_misses_total') };
}

async function makeGroup(admin, name) {
  const res = await admin.postJson('/api/v1/groups', {
    name, purpose: 'To talk things through.', format: 'online', access: 'open',
    facilitation: 'peer_led', status: 'active', online_link: 'https://meet.example.org/c',
    link_visibility: 'members',
  });
  assert.equal(res.status, 201, res.text);
  return res.json.group.id;
}

describe('the page cache', () => {
  let srv, admin, groupId;

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    groupId = await makeGroup(admin, 'Cached Conversations');
  });
  after(() => srv?.stop());

  it('serves a second visitor the same bytes from the cache, without a cookie', async () => {
    // A page is kept for the minute it was made in and until the next write.
    // On PostgreSQL that is a write anywhere in the cluster (other test
    // files share it), so the pair is tried until nothing came between.
    let first, second, hit = false;
    for (let attempt = 0; attempt < 30 && !hit; attempt++) {
      first = await srv.client().get(`/groups/${groupId}`);
      const before = await counters(srv);
      second = await srv.client().get(`/groups/${groupId}`);
      hit = (await counters(srv)).hits === before.hits + 1;
    }
    assert.ok(hit, 'the second visit was a hit');
    assert.equal(second.status, 200);
    assert.equal(second.text, first.text);
    assert.match(second.text, /Cached Conversations/);
    assert.equal(second.headers.get('set-cookie'), null, 'a shared page sets no cookie');
    assert.equal(second.headers.get('cache-control'), 'no-cache');
    assert.match(second.headers.get('content-type'), /^text\/html/);
  });

  it('shows a change made through the server on the very next request', async () => {
    await srv.client().get(`/groups/${groupId}`);
    const res = await admin.postJson(`/api/v1/groups/${groupId}/edit`, { name: 'Renamed Conversations' });
    assert.equal(res.status, 200, res.text);
    const page = await srv.client().get(`/groups/${groupId}`);
    assert.match(page.text, /Renamed Conversations/);
    assert.doesNotMatch(page.text, /Cached Conversations/);
  });

  it('shows a change made in the database by another process (SQLite: the next request; PostgreSQL: within 100 ms)', async () => {
    await srv.client().get(`/groups/${groupId}`);
    await srv.client().get(`/groups/${groupId}`);
    await sql(srv, `UPDATE peer_group SET purpose = 'Changed behind the server''s back.' WHERE id = ${groupId}`);
    // On PostgreSQL a worker asks the database's stamp at most every 100 ms
    // (STAMP_PG_RECHECK_MS): wait that long, then the next request
    // must show it.
    if (USE_PG) await sleep(150);
    const page = await srv.client().get(`/groups/${groupId}`);
    assert.match(page.text, /Changed behind the server(&#39;|')s back\./);
  });

  it('keeps the JSON face apart from the page', async () => {
    const html = await srv.client().get(`/groups/${groupId}`);
    const json = await srv.client().get(`/api/v1/groups/${groupId}`);
    const again = await srv.client().get(`/api/v1/groups/${groupId}`);
    assert.match(html.headers.get('content-type'), /^text\/html/);
    assert.match(again.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(again.json, json.json);
    assert.equal(again.json.group.id, groupId);
  });

  it('never serves a signed-in person from it, and never keeps their page', async () => {
    const member = srv.client();
    await logIn(member, ADMIN_EMAIL, ADMIN_PASSWORD);
    await srv.client().get(`/groups/${groupId}`);
    const before = await counters(srv);
    const signedIn = await member.get(`/groups/${groupId}`);
    const afterwards = await counters(srv);
    assert.equal(afterwards.hits, before.hits, 'no hit for a signed-in person');
    assert.equal(afterwards.misses, before.misses, 'not even looked up');
    assert.match(signedIn.text, /meet\.example\.org\/c/, 'the admin sees the members-only link');
    const anon = await srv.client().get(`/groups/${groupId}`);
    assert.doesNotMatch(anon.text, /meet\.example\.org\/c/, 'the link never reaches a visitor');
  });

  it('keeps the query string in the address: two searches are two pages', async () => {
    const a = await srv.client().get('/groups?q=renamed');
    const b = await srv.client().get('/groups?q=nothingmatchesthis');
    const a2 = await srv.client().get('/groups?q=renamed');
    assert.match(a.text, /Renamed Conversations/);
    assert.doesNotMatch(b.text, /Renamed Conversations/);
    assert.equal(a2.text, a.text);
  });

  it('answers a member\'s repeated search from the search cache, and shows a change at once', async () => {
    const member = srv.client();
    await logIn(member, ADMIN_EMAIL, ADMIN_PASSWORD);
    const search = async () => (await member.get('/api/v1/groups?q=lighthouse')).json;
    const searchHits = async () => Number(((await srv.client().get('/metrics')).text
      .match(/^hearth_search_cache_hits_total (\d+)$/m) || [])[1]);
    assert.equal((await search()).total, 0);
    // On PostgreSQL a write anywhere in the cluster outdates the answer, so
    // the pair is tried until nothing came between.
    let hit = false;
    for (let attempt = 0; attempt < 30 && !hit; attempt++) {
      await search();
      const before = await searchHits();
      await search();
      hit = (await searchHits()) === before + 1;
    }
    assert.ok(hit, 'the second search was answered from the cache');

    const id = await makeGroup(admin, 'Lighthouse Circle');
    const found = await search();
    assert.equal(found.total, 1, 'a new group is found by the very next search');
    assert.equal(found.groups[0].id, id);
    const page = await member.get('/groups?q=lighthouse');
    assert.match(page.text, /Lighthouse Circle/);

    await sql(srv, `UPDATE peer_group SET status = 'paused' WHERE id = ${id}`);
    if (USE_PG) await sleep(150);   // STAMP_PG_RECHECK_MS
    assert.equal((await search()).total, 0, 'a change made behind the server is seen too');
  });

  it('never keeps a page holding a form: the login page is made afresh each time', async () => {
    const before = await counters(srv);
    const one = await srv.client().get('/login');
    const two = await srv.client().get('/login');
    const afterwards = await counters(srv);
    assert.equal(afterwards.hits + afterwards.misses, before.hits + before.misses, 'not a shared route');
    const token = (t) => (t.match(/name="csrf" value="([^"]+)"/) || [])[1];
    assert.ok(token(one.text) && token(two.text));
    assert.notEqual(token(one.text), token(two.text), 'each visitor gets their own form token');
  });

  itStopsCleanly(() => srv);
});

describe('the page cache and the search cache turned off', () => {
  let srv, groupId;

  before(async () => {
    srv = await startServer({ config: { server: { page_cache_kib: 0, search_cache: false } } });
    const admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    groupId = await makeGroup(admin, 'Uncached Conversations');
  });
  after(() => srv?.stop());

  it('makes every page afresh and counts nothing', async () => {
    for (let i = 0; i < 3; i++)
      assert.match((await srv.client().get(`/groups/${groupId}`)).text, /Uncached Conversations/);
    assert.deepEqual(await counters(srv), { hits: 0, misses: 0 });
  });

  it('works every member\'s search out afresh and counts nothing', async () => {
    const member = srv.client();
    await logIn(member, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (let i = 0; i < 3; i++)
      assert.equal((await member.get('/api/v1/groups?q=uncached')).json.total, 1);
    const text = (await srv.client().get('/metrics')).text;
    assert.match(text, /^hearth_search_cache_hits_total 0$/m);
    assert.match(text, /^hearth_search_cache_misses_total 0$/m);
  });
});
