// group_organisations.test.mjs - a group's host and partner organisations on
// their own page (/groups/{id}/organisations), over real HTTP on SQLite and
// on PostgreSQL: who may see and use it; finding organisations by part of
// their name (any case, with % and _ taken as themselves); making one the
// host, adding partners and removing each, through the HTML forms (with
// the CSRF token) and the JSON API; refusals that name the field and change
// nothing; and the group's edit form, which lists the organisations while
// the network has 30 or fewer, and past that shows the current ones as text
// with a link here, stays under 30 KB and keeps them when saved.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, signUpJson, assertRefused, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';

const FORM_LISTS_AT_MOST = 30;   /* GROUP_FORM_ORGS_LISTED_MAX in src/web/group_pages.c */

const GROUP = {
  name: 'Riverside Peer Support', purpose: 'Talking things through together.',
  format: 'in_person', access: 'open', facilitation: 'peer_led', status: 'active',
  venue_name: 'Riverside Hall', rrule: 'FREQ=WEEKLY;BYDAY=WE', schedule_start: '2026-01-07T18:00',
};

/** The fields the edit form sends when it does not list organisations. */
const FORM_FIELDS = {
  name: GROUP.name, purpose: GROUP.purpose, who_for: '', format: 'in_person', access: 'open',
  facilitation: 'peer_led', venue_name: GROUP.venue_name, venue_address: '', venue_access: '',
  latitude: '', longitude: '', online_link: '', link_visibility: 'members',
  frequency: 'weekly', weekday: 'WE', first_date: '2026-01-07', start_time: '18:00', duration_minutes: '90',
};


describe("a group's organisations page", () => {
  let srv, admin, anon, fac, outsider, group;
  const orgs = {};   // name -> organisation

  const page = (c, query = '') => c.get(`/groups/${group.id}/organisations${query}`);
  const api = (c, query = '') => c.get(`/api/v1/groups/${group.id}/organisations${query}`);
  const change = (c, action, id) =>
    c.postJson(`/api/v1/groups/${group.id}/organisations`, { action, organisation_id: id });
  /** The host's and partners' names as the group's own page gives them. */
  async function current() {
    const g = (await admin.get(`/api/v1/groups/${group.id}`)).json.group;
    return { host: g.host?.name ?? null, partners: g.partners.map((p) => p.name).sort() };
  }
  async function addOrg(name) {
    const res = await admin.postJson('/api/v1/organisations', { name });
    assert.equal(res.status, 201, res.text);
    orgs[name] = res.json.organisation;
  }

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    anon = srv.client();
    fac = srv.client();
    const facPerson = await signUpJson(fac, { name: 'Fran' });
    outsider = srv.client();
    await signUpJson(outsider, { name: 'Pat' });
    const res = await admin.postJson('/api/v1/groups', GROUP);
    assert.equal(res.status, 201, res.text);
    group = res.json.group;
    assert.equal((await fac.postJson(`/api/v1/groups/${group.id}/join`, {})).status, 201);
    const role = await admin.postJson(`/api/v1/groups/${group.id}/members/${facPerson.id}/role`, { role: 'facilitator' });
    assert.equal(role.status, 200, role.text);
    for (const name of ['100% Kind', '100 Kinder Days', 'Under_Score Trust', 'UnderXScore Trust'])
      await addOrg(name);
  });
  after(() => srv?.stop());

  it('with few organisations the edit form lists them as before, and links to the page', async () => {
    const form = await fac.get(`/groups/${group.id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.text, /<select id="host_org_id" name="host_org_id"/);
    assert.match(form.text, /name="partner_ids" id="partner_ids-\d+" value="\d+"/);
    assert.match(form.text, new RegExp(`<a href="/groups/${group.id}/organisations">Change the host and partner organisations</a>`));
  });

  it("shows the group's facilitator the page, and refuses a non-member and an anonymous visitor", async () => {
    const html = await page(fac);
    assert.equal(html.status, 200, html.text);
    assert.match(html.text, /<h1>Organisations of Riverside Peer Support<\/h1>/);
    assert.match(html.text, /<label for="find">Part of its name<\/label>/);
    assert.match(html.text, /The group has no host organisation\./);
    assert.match(html.text, /The group has no partner organisations\./);
    assertRefused(await api(outsider), 403);
    assert.equal((await page(outsider)).status, 403);
    assertRefused(await api(anon), 401);
    const browser = await page(anon);
    assert.equal(browser.status, 303);
    assert.match(browser.location, /^\/login\?next=/);
    assert.doesNotMatch(browser.text, /100% Kind/);
  });

  it('finds organisations by part of the name in any case, with % and _ taken as themselves', async () => {
    const names = async (find) => (await api(fac, `?find=${encodeURIComponent(find)}`)).json.organisations.map((o) => o.name).sort();
    assert.deepEqual(await names('under_score'), ['Under_Score Trust']);
    assert.deepEqual(await names('UNDER'), ['Under_Score Trust', 'UnderXScore Trust'].sort());
    assert.deepEqual(await names('100%'), ['100% Kind']);
    assert.deepEqual(await names('100'), ['100 Kinder Days', '100% Kind'].sort());
    assert.deepEqual(await names('nothing like it'), []);
    const html = await page(fac, '?find=under_score');
    assert.match(html.text, /Organisations whose name holds "under_score"/);
    assert.match(html.text, /Under_Score Trust/);
    assert.doesNotMatch(html.text, /UnderXScore Trust/);
    assertRefused(await api(fac, `?find=${'x'.repeat(101)}`), 400, 'find');
  });

  it('makes a host, adds a partner and removes each through the HTML forms', async () => {
    const kind = orgs['100% Kind'], trust = orgs['Under_Score Trust'];
    const post = async (action, id, notice) => {
      await page(fac, '?find=100');
      const res = await fac.postForm(`/groups/${group.id}/organisations`, { action, organisation_id: id });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/groups/${group.id}/organisations?${notice}=1`);
      return (await fac.get(res.location)).text;
    };
    let html = await post('host', kind.id, 'host');
    assert.match(html, /The host organisation is changed\./);
    assert.match(html, /Remove<span class="visually-hidden"> 100% Kind<\/span> as host/);
    html = await post('partner', trust.id, 'partner');
    assert.match(html, /The partner organisation is added\./);
    assert.deepEqual(await current(), { host: '100% Kind', partners: ['Under_Score Trust'] });
    html = await post('partner', trust.id, 'unchanged');
    assert.match(html, /Nothing needed changing/);
    assert.deepEqual((await current()).partners, ['Under_Score Trust'], 'a partner is added once');
    await post('remove_partner', trust.id, 'remove_partner');
    await post('remove_host', kind.id, 'remove_host');
    assert.deepEqual(await current(), { host: null, partners: [] });
  });

  it('refuses a form without its CSRF token (403) and changes nothing', async () => {
    const res = await fac.postForm(`/groups/${group.id}/organisations`,
      { action: 'host', organisation_id: orgs['100% Kind'].id }, { csrf: null });
    assert.equal(res.status, 403);
    assert.deepEqual(await current(), { host: null, partners: [] });
  });

  it('does the same through the JSON API', async () => {
    const days = orgs['100 Kinder Days'], trust = orgs['UnderXScore Trust'];
    let res = await change(fac, 'host', days.id);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.changed, true);
    assert.equal(res.json.host.name, '100 Kinder Days');
    res = await change(fac, 'partner', trust.id);
    assert.deepEqual(res.json.partners.map((p) => p.name), ['UnderXScore Trust']);
    res = await change(fac, 'partner', trust.id);
    assert.equal(res.status, 200);
    assert.equal(res.json.changed, false, 'adding a partner twice changes nothing');
    const got = (await api(fac, '?find=kinder')).json;
    assert.equal(got.host.name, '100 Kinder Days');
    assert.deepEqual(got.partners.map((p) => p.name), ['UnderXScore Trust']);
    assert.deepEqual(got.organisations.map((o) => o.name), ['100 Kinder Days']);
    res = await change(fac, 'remove_partner', trust.id);
    assert.deepEqual(res.json.partners, []);
    res = await change(fac, 'remove_host', days.id);
    assert.equal(res.json.host, null);
    assert.deepEqual(await current(), { host: null, partners: [] });
  });

  it('refuses an unknown organisation or action, naming the field, and changes nothing', async () => {
    assert.equal((await change(fac, 'host', orgs['100% Kind'].id)).status, 200);
    const before = await current();
    const err = assertRefused(await change(fac, 'partner', '123456789'), 422, 'organisation_id');
    assert.match(err.message, /no such organisation/);
    assertRefused(await change(fac, 'host', 'not-an-id'), 422, 'organisation_id');
    assertRefused(await change(fac, 'host', ''), 422, 'organisation_id');
    assertRefused(await change(fac, 'adopt', orgs['100% Kind'].id), 422, 'action');
    assertRefused(await fac.postJson(`/api/v1/groups/${group.id}/organisations`,
      { action: 'host', organisation_id: orgs['100% Kind'].id, extra: 1 }), 400);
    assertRefused(await change(outsider, 'partner', orgs['100% Kind'].id), 403);
    assertRefused(await change(anon, 'partner', orgs['100% Kind'].id), 401);
    await page(fac);
    const html = await fac.postForm(`/groups/${group.id}/organisations`, { action: 'partner', organisation_id: '99' });
    assert.equal(html.status, 422);
    assert.match(html.text, /<a href="#organisation_id">There is no such organisation/);
    assert.deepEqual(await current(), before);
  });

  it('past 30 organisations the edit form does not list them, stays under 30 KB and keeps them when saved', async () => {
    assert.equal((await change(fac, 'partner', orgs['Under_Score Trust'].id)).status, 200);
    const have = (await anon.get('/api/v1/organisations')).json.organisations.length;
    for (let i = have; i <= FORM_LISTS_AT_MOST; i++)
      await addOrg(`Community Partner ${String(i).padStart(3, '0')} with a longer name than most`);
    const form = await fac.get(`/groups/${group.id}/edit`);
    assert.equal(form.status, 200);
    assert.ok(Buffer.byteLength(form.text) < 30 * 1024, `${Buffer.byteLength(form.text)} bytes`);
    assert.doesNotMatch(form.text, /name="host_org_id"|name="partner_ids"/);
    assert.doesNotMatch(form.text, /Community Partner/);
    assert.match(form.text, /Host organisation: 100% Kind\./);
    assert.match(form.text, /<li>Under_Score Trust<\/li>/);
    assert.match(form.text, /Change the host and partner organisations/);
    const saved = await fac.postForm(`/groups/${group.id}/edit`, { ...FORM_FIELDS, purpose: 'Talking, and listening.' });
    assert.equal(saved.status, 303, saved.text);
    const g = (await admin.get(`/api/v1/groups/${group.id}`)).json.group;
    assert.equal(g.purpose, 'Talking, and listening.');
    assert.deepEqual(await current(), { host: '100% Kind', partners: ['Under_Score Trust'] });
    const blank = await admin.get('/groups/new');
    assert.equal(blank.status, 200);
    assert.doesNotMatch(blank.text, /name="host_org_id"|name="partner_ids"|Community Partner/);
    assert.match(blank.text, /once the group is added, choose its host and partner organisations/);
    const first = (await api(fac)).json.organisations;
    assert.equal(first.length, 20, 'without find text, the first 20 by name');
    assert.match((await page(fac)).text, /To find others, search for part of a name\./);
  });

  itStopsCleanly(() => srv);
});
