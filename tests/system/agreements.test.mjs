// agreements.test.mjs - shared aims (capability C4): a group's agreement
// over real HTTP, on SQLite and on PostgreSQL. The network's values (seeded
// with the six peer support values; coordinators add their own), starting
// from the template, suggesting a change, agreeing (once), ratifying only
// with enough agreement, versions and history, the threshold and review
// date, withdrawal, the welcome notice, the HTML pages and their forms, the
// network's agreement template that coordinators edit (and that groups
// starting afterwards get), and every refusal with a check that nothing
// changed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, uniqueEmail, logIn, account, jsonError, hearth,
  GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';

async function addUser(srv, name, roles = []) {
  const email = uniqueEmail(name.toLowerCase());
  const args = ['--database', srv.database.url, 'user', 'add', email, '--name', name, '--password-stdin'];
  for (const r of roles)
    args.push('--role', r);
  const res = await hearth(args, { input: `${GOOD_PASSWORD}\n` });
  assert.equal(res.code, 0, res.stderr);
  return email;
}

async function createGroup(admin, name) {
  const res = await admin.postJson('/api/v1/groups', {
    name, purpose: 'To walk, talk and support each other.', format: 'in_person',
    venue_name: 'Community Hall', venue_address: '1 High Street',
    access: 'open', facilitation: 'peer_led', status: 'active',
  });
  assert.equal(res.status, 201, res.text);
  return res.json.group.id;
}

const expectStatus = (res, status) => assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 300)}`);

describe('group agreements', () => {
  let srv, admin, coord, fac, m1, m2, m3, outsider, anon;
  let gid, closedGid;
  const id = {};

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    anon = srv.client();
    const cast = { coord: ['coordinator'], fac: [], m1: [], m2: [], m3: [], outsider: [] };
    const clients = {};
    for (const [who, roles] of Object.entries(cast)) {
      const email = await addUser(srv, who, roles);
      clients[who] = srv.client();
      await logIn(clients[who], email);
      id[who] = (await account(clients[who])).id;
    }
    ({ coord, fac, m1, m2, m3, outsider } = clients);
    gid = await createGroup(admin, 'Walkers');
    closedGid = await createGroup(admin, 'Old Circle');
    for (const c of [fac, m1, m2, m3]) {
      expectStatus(await c.postJson(`/api/v1/groups/${gid}/join`, {}), 201);
      expectStatus(await c.postJson(`/api/v1/groups/${closedGid}/join`, {}), 201);
    }
    for (const g of [gid, closedGid])
      expectStatus(await admin.postJson(`/api/v1/groups/${g}/members/${id.fac}/role`, { role: 'facilitator' }), 200);
  });
  after(() => srv?.stop());

  const agreement = async (c = m1, g = gid) => {
    const res = await c.get(`/api/v1/groups/${g}/agreement`);
    expectStatus(res, 200);
    return res.json;
  };
  const suggest = (c, body, g = gid) => c.postJson(`/api/v1/groups/${g}/agreement/suggestions`, body);
  const valuesList = async () => (await anon.get('/api/v1/values')).json.values;

  it('lists the six peer support values for anyone, and lets coordinators add their own', async () => {
    const values = await valuesList();
    assert.deepEqual(values.map((v) => v.name), ['Experience in common', 'Safety', 'Choice and control',
      'Two-way interactions', 'Human connection', 'Freedom to be yourself']);
    assert.ok(values.every((v) => /^[0-9]+$/.test(v.id) && v.description.length > 10));
    const page = await anon.get('/values');
    expectStatus(page, 200);
    assert.match(page.text, /<h1>The network&#39;s values<\/h1>|<h1>The network's values<\/h1>/);
    assert.doesNotMatch(page.text, /Add a value/);

    expectStatus(await anon.postJson('/api/v1/values', { name: 'Trust' }), 401);
    expectStatus(await m1.postJson('/api/v1/values', { name: 'Trust' }), 403);
    const empty = await coord.postJson('/api/v1/values', { name: '' });
    expectStatus(empty, 422);
    assert.equal(jsonError(empty).field, 'name');
    const long = await coord.postJson('/api/v1/values', { name: 'x'.repeat(61) });
    expectStatus(long, 422);
    const added = await coord.postJson('/api/v1/values', { name: 'Trust', description: 'We trust each other.' });
    expectStatus(added, 201);
    assert.equal(added.json.value.name, 'Trust');
    expectStatus(await coord.postJson('/api/v1/values', { name: 'trust' }), 409);
    assert.equal((await valuesList()).length, 7);
    // the browser form, with an error tied to its field
    const form = await coord.get('/values');
    assert.match(form.text, /<label for="name">/);
    const bad = await coord.postForm('/values', { name: '' });
    expectStatus(bad, 422);
    assert.match(bad.text, /aria-invalid="true"/);
    assert.match(bad.text, /id="name-error"/);
    const ok = await coord.postForm('/values', { name: 'Hope', description: 'Things can get better.' });
    expectStatus(ok, 303);
    assert.equal(ok.location, '/values?added=1');
  });

  it('is for members and managers only', async () => {
    expectStatus(await anon.get(`/api/v1/groups/${gid}/agreement`), 401);
    const page = await anon.get(`/groups/${gid}/agreement`);
    expectStatus(page, 303);
    assert.match(page.location, /^\/login\?next=/);
    expectStatus(await outsider.get(`/api/v1/groups/${gid}/agreement`), 403);
    const a = await agreement(coord);
    assert.equal(a.agreement.version, 0);
    assert.equal(a.agreement.exists, false);
    assert.equal(a.agreement.threshold, 3);
    assert.equal(a.can_manage, true);
    assert.equal(a.can_suggest, false, 'a coordinator who is not a member does not suggest');
    const mine = await agreement(m1);
    assert.equal(mine.can_suggest, true);
    assert.equal(mine.can_manage, false);
    assert.equal(mine.can_start, false);
  });

  it('starts from the template (managers only, and only once)', async () => {
    expectStatus(await m1.postJson(`/api/v1/groups/${gid}/agreement/start`, {}), 403);
    expectStatus(await outsider.postJson(`/api/v1/groups/${gid}/agreement/start`, {}), 403);
    expectStatus(await anon.postJson(`/api/v1/groups/${gid}/agreement/start`, {}), 401);
    assert.equal((await agreement()).agreement.version, 0);
    const page = await fac.get(`/groups/${gid}/agreement`);
    assert.match(page.text, /Start from the template/);
    assert.match(page.text, /keep others&#39;? ?stories in the room|keep others' stories in the room|keep others&#x27;s? ?stories/);
    const builtIn = (await coord.get('/api/v1/network/agreement-template')).json.template;
    assert.equal(builtIn.edited, false);
    const res = await fac.postJson(`/api/v1/groups/${gid}/agreement/start`, {});
    expectStatus(res, 201);
    assert.equal(res.json.version, 1);
    const a = await agreement();
    assert.equal(a.agreement.version, 1);
    assert.equal(a.agreement.aims, builtIn.aims);
    assert.deepEqual(a.agreement.rules, builtIn.rules);
    assert.equal(a.agreement.rules.length, 5);
    assert.match(a.agreement.rules[0], /space for everyone to speak/);
    assert.equal(a.versions.length, 1);
    assert.equal(a.versions[0].suggested_by, null);
    assert.equal(a.versions[0].ratified_by, 'fac');
    expectStatus(await fac.postJson(`/api/v1/groups/${gid}/agreement/start`, {}), 409);
  });

  it('refuses bad suggestions with 422, naming the field, and changes nothing', async () => {
    const before = await agreement();
    const safety = (await valuesList()).find((v) => v.name === 'Safety').id;
    const cases = [
      [{ aims: '', rules: ['Be kind'], reason: 'Why' }, 'aims'],
      [{ aims: 'x'.repeat(2001), rules: [], reason: 'Why' }, 'aims'],
      [{ aims: 'Aims', rules: ['x'.repeat(201)], reason: 'Why' }, 'rules'],
      [{ aims: 'Aims', rules: ['Be kind'], reason: '' }, 'reason'],
      [{ aims: 'Aims', rules: ['Be kind'], values: ['12345'], reason: 'Why' }, 'values'],
      [{ aims: 'Aims', rules: ['Be kind'], values: ['safety'], reason: 'Why' }, 'values'],
      [{ aims: 'Aims', rules: ['Be kind'], values: [safety, safety], reason: 'Why' }, 'values'],
    ];
    for (const [body, field] of cases) {
      const res = await suggest(m1, body);
      expectStatus(res, 422);
      assert.equal(jsonError(res).field, field, JSON.stringify(body).slice(0, 80));
    }
    expectStatus(await suggest(m1, { aims: 'A', reason: 'B', colour: 'red' }), 400);
    expectStatus(await suggest(outsider, { aims: 'Aims', reason: 'Why' }), 403);
    expectStatus(await suggest(anon, { aims: 'Aims', reason: 'Why' }), 401);
    expectStatus(await suggest(coord, { aims: 'Aims', reason: 'Why' }), 403);
    assert.deepEqual(await agreement(), before);
  });

  let sid;
  it('lets a member suggest a change, members agree once each, and a manager ratify only with enough', async () => {
    const values = await valuesList();
    const pick = ['Safety', 'Human connection', 'Trust'].map((n) => values.find((v) => v.name === n).id);
    const res = await suggest(m1, {
      aims: 'To walk together and look out for each other.',
      rules: ['There is space for everyone to speak.', 'Challenge the view, not the person.'],
      values: pick, reason: 'Shorter rules, and the values we talked about.',
    });
    expectStatus(res, 201);
    sid = res.json.suggestion.id;
    let a = await agreement(m2);
    const s = a.suggestions.find((x) => x.id === sid);
    assert.equal(s.status, 'open');
    assert.equal(s.agree_count, 1, 'the author counts as agreeing');
    assert.equal(s.needed, 2);
    assert.equal(s.author, 'm1');
    assert.deepEqual(s.values.map((v) => v.name).sort(), ['Human connection', 'Safety', 'Trust']);

    const few = await fac.postJson(`/api/v1/agreement-suggestions/${sid}/ratify`, {});
    expectStatus(few, 422);
    assert.match(jsonError(few).message, /needs 2 more/);
    assert.equal((await agreement()).agreement.version, 1, 'ratifying with too few changes nothing');

    expectStatus(await outsider.postJson(`/api/v1/agreement-suggestions/${sid}/agree`, {}), 403);
    expectStatus(await anon.postJson(`/api/v1/agreement-suggestions/${sid}/agree`, {}), 401);
    expectStatus(await m2.postJson('/api/v1/agreement-suggestions/99999/agree', {}), 404);
    const agreed = await m2.postJson(`/api/v1/agreement-suggestions/${sid}/agree`, {});
    expectStatus(agreed, 200);
    assert.equal(agreed.json.already, false);
    const again = await m2.postJson(`/api/v1/agreement-suggestions/${sid}/agree`, {});
    expectStatus(again, 200);
    assert.equal(again.json.already, true, 'a second agreement is idempotent');
    a = await agreement(m2);
    assert.equal(a.suggestions.find((x) => x.id === sid).agree_count, 2);
    assert.equal(a.suggestions.find((x) => x.id === sid).i_agree, true);
    const one = await fac.postJson(`/api/v1/agreement-suggestions/${sid}/ratify`, {});
    expectStatus(one, 422);
    assert.match(jsonError(one).message, /needs 1 more/);

    expectStatus(await m1.postJson(`/api/v1/agreement-suggestions/${sid}/ratify`, {}), 403);
    // a member agrees through the browser form
    const page = await m3.get(`/groups/${gid}/agreement`);
    assert.match(page.text, /I agree/);
    const form = await m3.postForm(`/agreement-suggestions/${sid}/agree`, {});
    expectStatus(form, 303);
    assert.equal(form.location, `/groups/${gid}/agreement?agreed=1`);

    const done = await fac.postJson(`/api/v1/agreement-suggestions/${sid}/ratify`, {});
    expectStatus(done, 200);
    assert.equal(done.json.version, 2);
    a = await agreement();
    assert.equal(a.agreement.version, 2);
    assert.equal(a.agreement.aims, 'To walk together and look out for each other.');
    assert.equal(a.agreement.rules.length, 2);
    assert.equal(a.versions.length, 2);
    assert.equal(a.versions[0].version, 2);
    assert.equal(a.versions[0].suggested_by, 'm1');
    assert.equal(a.versions[0].ratified_by, 'fac');
    assert.equal(a.versions[0].change_note, 'Shorter rules, and the values we talked about.');
    assert.match(a.versions[0].ratified_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(a.suggestions.find((x) => x.id === sid).status, 'ratified');
    expectStatus(await fac.postJson(`/api/v1/agreement-suggestions/${sid}/ratify`, {}), 409);
    expectStatus(await m2.postJson(`/api/v1/agreement-suggestions/${sid}/agree`, {}), 409);
  });

  it('sets the threshold and the review date, and says when it is due for review', async () => {
    expectStatus(await m1.postJson(`/api/v1/groups/${gid}/agreement/settings`, { threshold: 1 }), 403);
    for (const [body, field] of [[{ threshold: 0 }, 'threshold'], [{ threshold: 'many' }, 'threshold'],
      [{ threshold: 2, review_date: '2026-02-30' }, 'review_date']]) {
      const res = await fac.postJson(`/api/v1/groups/${gid}/agreement/settings`, body);
      expectStatus(res, 422);
      assert.equal(jsonError(res).field, field);
    }
    assert.equal((await agreement()).agreement.threshold, 3);
    const res = await fac.postJson(`/api/v1/groups/${gid}/agreement/settings`, { threshold: 2, review_date: '2026-01-15' });
    expectStatus(res, 200);
    const a = await agreement();
    assert.equal(a.agreement.threshold, 2);
    assert.equal(a.agreement.review_date, '2026-01-15');
    assert.equal(a.agreement.due_for_review, true);
    const page = await m1.get(`/groups/${gid}/agreement`);
    assert.match(page.text, /Due for review/);
    const later = await fac.postForm(`/groups/${gid}/agreement/settings`, { threshold: '2', review_date: '2099-01-01' });
    expectStatus(later, 303);
    assert.equal((await agreement()).agreement.due_for_review, false);
    const bad = await fac.postForm(`/groups/${gid}/agreement/settings`, { threshold: '0', review_date: '' });
    expectStatus(bad, 422);
    assert.match(bad.text, /id="threshold-error"/);
  });

  it('lets only the author withdraw, managers decline, and refuses a stale suggestion', async () => {
    const stale = (await suggest(m2, { aims: 'Old idea', reason: 'Just because' })).json.suggestion.id;
    const newer = await suggest(m3, { aims: 'New idea', rules: ['Be kind'], reason: 'Simpler' });
    expectStatus(newer, 201);
    const nid = newer.json.suggestion.id;
    expectStatus(await m1.postJson(`/api/v1/agreement-suggestions/${nid}/agree`, {}), 200);
    expectStatus(await fac.postJson(`/api/v1/agreement-suggestions/${nid}/ratify`, {}), 200);
    expectStatus(await m3.postJson(`/api/v1/agreement-suggestions/${stale}/agree`, {}), 200);
    const res = await fac.postJson(`/api/v1/agreement-suggestions/${stale}/ratify`, {});
    expectStatus(res, 409);
    assert.match(jsonError(res).message, /changed since/);
    assert.equal((await agreement()).agreement.version, 3);
    expectStatus(await m1.postJson(`/api/v1/agreement-suggestions/${stale}/withdraw`, {}), 403);
    expectStatus(await m2.postJson(`/api/v1/agreement-suggestions/${stale}/withdraw`, {}), 200);
    expectStatus(await m2.postJson(`/api/v1/agreement-suggestions/${stale}/withdraw`, {}), 409);
    assert.equal((await agreement()).suggestions.find((x) => x.id === stale).status, 'withdrawn');
    const declined = (await suggest(m2, { aims: 'Declined idea', reason: 'Why not' })).json.suggestion.id;
    expectStatus(await m1.postJson(`/api/v1/agreement-suggestions/${declined}/decline`, {}), 403);
    expectStatus(await outsider.postJson(`/api/v1/agreement-suggestions/${declined}/decline`, {}), 403);
    const form = await fac.postForm(`/agreement-suggestions/${declined}/decline`, {});
    expectStatus(form, 303);
    assert.equal(form.location, `/groups/${gid}/agreement?declined=1`);
    expectStatus(await fac.postJson(`/api/v1/agreement-suggestions/${declined}/decline`, {}), 409);
    const a = await agreement();
    assert.equal(a.suggestions.find((x) => x.id === declined).status, 'declined');
    assert.equal(a.agreement.version, 3);
  });

  it('shows the page with accessible forms, a welcome notice, and errors tied to fields', async () => {
    const page = await m1.get(`/groups/${gid}/agreement?welcome=1`);
    expectStatus(page, 200);
    assert.equal((page.text.match(/<h1>/g) ?? []).length, 1);
    assert.match(page.text, /Welcome to the group/);
    assert.match(page.text, /<label for="aims">/);
    assert.match(page.text, /<legend>The values we hold<\/legend>/);
    assert.match(page.text, /<th scope="col">Version<\/th>/);
    assert.ok((page.text.match(/name="csrf"/g) ?? []).length >= 1);
    assert.equal((await m1.get(`/api/v1/groups/${gid}/agreement?welcome=1`)).json.welcome, true);
    const bad = await m1.postForm(`/groups/${gid}/agreement/suggestions`,
      { aims: '', rules: 'Be kind\nListen', reason: 'Why not' });
    expectStatus(bad, 422);
    assert.match(bad.text, /id="aims-error"/);
    assert.match(bad.text, /aria-invalid="true"/);
    assert.match(bad.text, /Be kind\nListen/);
    const good = await m1.postForm(`/groups/${gid}/agreement/suggestions`,
      { aims: 'Our aims <b>bold</b>', rules: 'Be kind\n\nListen well', reason: 'Two rules' });
    expectStatus(good, 303);
    assert.equal(good.location, `/groups/${gid}/agreement?suggested=1`);
    const after = await m1.get(`/groups/${gid}/agreement`);
    assert.match(after.text, /Our aims &lt;b&gt;bold&lt;\/b&gt;/);
    const s = (await agreement()).suggestions.find((x) => x.aims === 'Our aims <b>bold</b>');
    assert.deepEqual(s.rules, ['Be kind', 'Listen well']);
  });

  it('changes nothing in a closed group (409)', async () => {
    const open = await suggest(m1, { aims: 'Before closing', reason: 'Why' }, closedGid);
    expectStatus(open, 201);
    const s = open.json.suggestion.id;
    expectStatus(await admin.postJson(`/api/v1/groups/${closedGid}/status`, { status: 'closed' }), 200);
    expectStatus(await suggest(m1, { aims: 'Aims', reason: 'Why' }, closedGid), 409);
    expectStatus(await m2.postJson(`/api/v1/agreement-suggestions/${s}/agree`, {}), 409);
    expectStatus(await fac.postJson(`/api/v1/agreement-suggestions/${s}/ratify`, {}), 409);
    expectStatus(await m1.postJson(`/api/v1/agreement-suggestions/${s}/withdraw`, {}), 409);
    expectStatus(await fac.postJson(`/api/v1/agreement-suggestions/${s}/decline`, {}), 409);
    expectStatus(await fac.postJson(`/api/v1/groups/${closedGid}/agreement/start`, {}), 409);
    expectStatus(await fac.postJson(`/api/v1/groups/${closedGid}/agreement/settings`, { threshold: 1 }), 409);
    const a = await agreement(m1, closedGid);
    assert.equal(a.is_closed, true);
    assert.equal(a.agreement.version, 0);
    assert.equal(a.suggestions[0].agree_count, 1);
  });

  it('keeps the network\'s template, which coordinators edit and new agreements start from', async () => {
    const path = '/api/v1/network/agreement-template';
    const template = async () => {
      const res = await coord.get(path);
      expectStatus(res, 200);
      return res.json.template;
    };
    const builtIn = await template();
    assert.equal(builtIn.edited, false);
    assert.ok(builtIn.aims.length > 10);
    assert.equal(builtIn.rules.length, 5);
    assert.match(builtIn.rules[1], /keep others' stories in the room/);
    assert.deepEqual(builtIn.values, []);
    assert.equal(builtIn.updated_at, null);

    // Only coordinators and admins.
    const body = { aims: 'To meet as carers and look after each other.', rules: ['We listen.', 'We take turns.'] };
    expectStatus(await anon.get(path), 401);
    expectStatus(await m1.get(path), 403);
    expectStatus(await fac.get(path), 403);
    expectStatus(await anon.postJson(path, body), 401);
    expectStatus(await m1.postJson(path, body), 403);
    expectStatus(await fac.postJson(path, body), 403);

    // Refusals name their field and change nothing.
    const safety = (await valuesList()).find((v) => v.name === 'Safety').id;
    const cases = [
      [{ ...body, aims: '' }, 'aims'],
      [{ ...body, aims: '   ' }, 'aims'],
      [{ ...body, aims: 'x'.repeat(2001) }, 'aims'],
      [{ ...body, rules: ['x'.repeat(201)] }, 'rules'],
      [{ ...body, rules: Array.from({ length: 31 }, (_, i) => `Rule ${i}`) }, 'rules'],
      [{ ...body, values: ['12345'] }, 'values'],
      [{ ...body, values: ['safety'] }, 'values'],
      [{ ...body, values: [safety, safety] }, 'values'],
    ];
    for (const [bad, field] of cases) {
      const res = await coord.postJson(path, bad);
      expectStatus(res, 422);
      assert.equal(jsonError(res).field, field, JSON.stringify(bad).slice(0, 80));
    }
    expectStatus(await coord.postJson(path, { ...body, colour: 'red' }), 400);
    assert.deepEqual(await template(), builtIn, 'refusals change nothing');

    // A coordinator saves it; the admin reads it back.
    const saved = await coord.postJson(path, { ...body, values: [safety] });
    expectStatus(saved, 200);
    assert.equal(saved.json.template.aims, body.aims);
    const now = (await admin.get(path)).json.template;
    assert.equal(now.edited, true);
    assert.equal(now.updated_by, 'coord');
    assert.deepEqual(now.rules, body.rules);
    assert.deepEqual(now.values.map((v) => v.name), ['Safety']);

    // A group that starts its agreement now gets it; one that started
    // before keeps its own.
    const fresh = await createGroup(admin, 'Carers Together');
    const page = await admin.get(`/groups/${fresh}/agreement`);
    assert.match(page.text, /To meet as carers and look after each other\./);
    expectStatus(await admin.postJson(`/api/v1/groups/${fresh}/agreement/start`, {}), 201);
    const started = (await agreement(admin, fresh)).agreement;
    assert.equal(started.aims, body.aims);
    assert.deepEqual(started.rules, body.rules);
    assert.deepEqual(started.values.map((v) => v.name), ['Safety']);
    assert.notEqual((await agreement()).agreement.aims, body.aims);

    // The page: a form that shows what was sent with the error tied to
    // its field, and a notice once saved; the network page links to it.
    const form = await coord.get('/network/agreement-template');
    expectStatus(form, 200);
    assert.match(form.text, /<h1>The agreement template<\/h1>/);
    assert.match(form.text, /We listen\.\nWe take turns\./);
    assert.match(form.text, new RegExp(`id="value-${safety}" name="values" value="${safety}" checked`));
    const bad = await coord.postForm('/network/agreement-template', { aims: '', rules: 'Be kind\nListen' });
    expectStatus(bad, 422);
    assert.match(bad.text, /id="aims-error"/);
    assert.match(bad.text, /aria-invalid="true"/);
    assert.match(bad.text, /Be kind\nListen/);
    assert.equal((await template()).aims, body.aims, 'a refused form changes nothing');
    const good = await coord.postForm('/network/agreement-template',
      { aims: 'Our <b>aims</b>', rules: 'Be kind\n\nListen well' });
    expectStatus(good, 303);
    assert.equal(good.location, '/network/agreement-template?saved=1');
    const after = await coord.get('/network/agreement-template?saved=1');
    assert.match(after.text, /Our &lt;b&gt;aims&lt;\/b&gt;/);
    assert.match(after.text, /class="notice" role="status"/);
    assert.deepEqual((await template()).rules, ['Be kind', 'Listen well']);
    assert.deepEqual((await template()).values, [], 'no values ticked, none kept');
    assert.match((await coord.get('/network')).text, /href="\/network\/agreement-template"/);
  });

  itStopsCleanly(() => srv);
});
