// checkins.test.mjs - consented check-ins (capability C5) over real HTTP, on
// SQLite and on PostgreSQL: consent asked once, changed and withdrawn; a
// group's offerings (managers only); a check-in started, saved half-done,
// finished and skipped; what is due; the member's own scores as a chart, a
// table and words; the facilitator's figures for their group, hidden below
// the network's threshold and shown above it; the coordinator's network
// figures, following each change of consent; the access log (a facilitator
// reading answers a member chose to share is logged, the member reading
// their own is not); and every refusal the issue names, each with its
// status and nothing stored.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, logIn, account, itStopsCleanly } from './lib/server.mjs';
import { addUser, sql, jsonApi, assertPageShape } from './lib/fixtures.mjs';

const RSE = 'rosenberg-self-esteem';
const ONS = 'ons-personal-wellbeing';
const REVERSED = new Set(['rse2', 'rse5', 'rse6', 'rse8', 'rse9']);
const WEEK = 7 * 24 * 60 * 60 * 1000;

/** Rosenberg answers giving each item the raw value v (0-3). */
const allAt = (v) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`rse${i + 1}`, v]));
/** The Rosenberg total of a full set of answers (reverse items 3 - v). */
const total = (answers) => Object.entries(answers)
  .reduce((s, [id, v]) => s + (REVERSED.has(id) ? 3 - v : v), 0);

describe('check-ins', () => {
  let srv, G;
  const api = jsonApi(() => srv);
  const { post, ok, refused } = api;
  const c = {};
  const id = {};
  const checkinRows = async (who) =>
    Number((await sql(srv, `SELECT COUNT(*) FROM checkin WHERE person_id = ${id[who]}`)).trim());
  const answerRows = async () => Number((await sql(srv, 'SELECT COUNT(*) FROM checkin_answer')).trim());
  const logRows = async (who) =>
    Number((await sql(srv, `SELECT COUNT(*) FROM access_log WHERE subject_id = ${id[who]}`)).trim());
  /** Makes every finished check-in of who look `weeks` older. */
  const age = (who, weeks) => sql(srv, `UPDATE checkin SET finished_at = finished_at - ${weeks * WEEK}, `
    + `started_at = started_at - ${weeks * WEEK} WHERE person_id = ${id[who]}`);
  const consent = (who, choice) => ok(post(c[who], '/me/check-ins/consent', choice));
  const answer = (who, answers, action = 'finish', inst = RSE) =>
    post(c[who], `/groups/${G}/check-ins/${inst}`, { ...answers, action });

  before(async () => {
    srv = await startServer({ quiet: false });
    c.admin = srv.client();
    await logIn(c.admin, 'admin@example.org', 'admin quiet harbour 7');
    for (const [who, roles] of [['fac', []], ['m1', []], ['m2', []], ['m3', []], ['m4', []], ['coord', ['coordinator']]]) {
      c[who] = srv.client();
      await logIn(c[who], await addUser(srv, `${who[0].toUpperCase()}${who.slice(1)} Person`, roles));
      id[who] = (await account(c[who])).id;
    }
    G = (await ok(post(c.admin, '/groups', {
      name: 'Check-in group', purpose: 'To meet.', format: 'online', access: 'open', status: 'active',
    }), 201)).group.id;
    for (const who of ['fac', 'm1', 'm2', 'm3', 'm4'])
      await ok(post(c[who], `/groups/${G}/join`), 201);
    await ok(post(c.admin, `/groups/${G}/members/${id.fac}/role`, { role: 'facilitator' }));
  });
  after(() => srv?.stop());

  it('asks once, refuses purposes without taking part (nothing stored), and records the choice', async () => {
    const first = await ok(c.m1.get('/api/v1/me/check-ins/consent'));
    assert.equal(first.consent.asked, false);
    const e = await refused(post(c.m1, '/me/check-ins/consent', { take_part: false, group_learning: true }), 422);
    assert.equal(e.field, 'take_part');
    assert.equal((await ok(c.m1.get('/api/v1/me/check-ins/consent'))).consent.asked, false);
    await refused(post(c.m1, '/me/check-ins/consent', { take_part: 'maybe' }), 400);
    assert.equal((await refused(post(c.m1, '/me/check-ins/consent', { group_learning: false }), 422)).field, 'take_part');
    await refused(post(c.m1, '/me/check-ins/consent', { take_part: true, colour: 'red' }), 400);
    const saved = await consent('m1', { take_part: true, group_learning: true, share_with_facilitator: true });
    assert.equal(saved.consent.asked, true);
    assert.equal(saved.consent.take_part, true);
    assert.equal(saved.consent.network_reports, false);
    assert.match(saved.consent.asked_at, /^\d{4}-/);
    const page = await c.m1.get('/me/check-ins/consent');
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /optional/i);
    assert.match(page.text, /withdraw/i);
    assert.match(page.text, /<legend>Would you like to take part in check-ins\?<\/legend>/);
  });

  it("lets only the group's managers choose its offerings, refusing bad ones unchanged", async () => {
    await refused(post(c.m1, `/groups/${G}/check-in-settings`, { instrument: RSE, at_joining: true }), 403);
    let e = await refused(post(c.fac, `/groups/${G}/check-in-settings`, { instrument: 'no-such-scale' }), 422);
    assert.equal(e.field, 'instrument');
    e = await refused(post(c.fac, `/groups/${G}/check-in-settings`, { instrument: RSE, every_weeks: 99 }), 422);
    assert.equal(e.field, 'every_weeks');
    assert.equal((await ok(c.fac.get(`/api/v1/groups/${G}/check-in-settings`))).offerings.length, 0);
    await ok(post(c.fac, `/groups/${G}/check-in-settings`, { instrument: RSE, at_joining: true, every_weeks: 4 }));
    await ok(post(c.coord, `/groups/${G}/check-in-settings`, { instrument: ONS, at_joining: true, every_weeks: 0 }));
    const s = await ok(c.fac.get(`/api/v1/groups/${G}/check-in-settings`));
    assert.deepEqual(s.offerings.map((o) => [o.instrument_id, o.every_weeks]), [[ONS, 0], [RSE, 4]]);
    const page = await c.fac.get(`/groups/${G}/check-in-settings`);
    assert.equal(page.status, 200);
    assertPageShape(page.text);
  });

  it('refuses a check-in without consent, for an instrument not offered, and answers outside the options; nothing stored', async () => {
    const before = await answerRows();
    let e = await refused(answer('m4', allAt(2)), 409, /take part/);
    assert.equal(await checkinRows('m4'), 0);
    assert.equal((await c.m4.get(`/groups/${G}/check-ins/${RSE}`)).status, 409);
    e = await refused(answer('m1', { 'happiness': 5 }, 'finish', 'swemwbs'), 422);
    assert.equal(e.field, 'instrument');
    await ok(post(c.fac, `/groups/${G}/check-in-settings/remove`, { instrument: ONS }));
    e = await refused(answer('m1', { happiness: 5 }, 'finish', ONS), 422);
    assert.equal(e.field, 'instrument');
    e = await refused(answer('m1', { ...allAt(2), rse4: 7 }), 422, /Question 4/);
    assert.equal(e.field, 'rse4');
    e = await refused(answer('m1', { ...allAt(2), rse7: 'lots' }), 422);
    assert.equal(e.field, 'rse7');
    await refused(answer('m1', { ...allAt(2), rse11: 1 }), 400);
    await refused(answer('m1', allAt(2), 'later'), 422);
    await refused(answer('m1', {}, 'finish'), 422, /at least one/);
    assert.equal(await checkinRows('m1'), 0);
    assert.equal(await answerRows(), before);
    // a non-member of the group
    const outsider = srv.client();
    await logIn(outsider, await addUser(srv, 'Out Sider'));
    await ok(post(outsider, '/me/check-ins/consent', { take_part: true }));
    await refused(post(outsider, `/groups/${G}/check-ins/${RSE}`, allAt(1)), 403);
    await ok(post(c.fac, `/groups/${G}/check-in-settings`, { instrument: ONS, at_joining: true }));
  });

  it('invites when due, saves a half-done check-in, finishes it and skips another', async () => {
    let me = await ok(c.m1.get('/api/v1/me/check-ins'));
    assert.deepEqual(me.due.map((d) => d.instrument_id).sort(), [ONS, RSE]);
    const invitations = (await c.m1.get('/me/check-ins')).text.match(new RegExp(`<li><a href="/groups/${G}/check-ins/`, 'g'));
    assert.equal(invitations?.length, 2, 'one invitation for each check-in that is due');
    const half = await ok(answer('m1', { rse1: 1, rse2: 2, rse3: 1 }, 'save'));
    assert.equal(half.checkin.state, 'saved');
    const form = await ok(c.m1.get(`/api/v1/groups/${G}/check-ins/${RSE}`));
    assert.equal(form.open_checkin_id, half.checkin.id);
    assert.deepEqual(form.items.slice(0, 4).map((i) => i.answer), [1, 2, 1, null]);
    me = await ok(c.m1.get('/api/v1/me/check-ins'));
    assert.match(me.due.find((d) => d.instrument_id === RSE).why, /started/);
    const done = await ok(answer('m1', { ...allAt(1), rse1: 1, rse2: 2, rse3: 1 }));
    assert.equal(done.checkin.id, half.checkin.id);
    assert.equal(done.checkin.state, 'finished');
    await ok(answer('m1', {}, 'skip', ONS));
    me = await ok(c.m1.get('/api/v1/me/check-ins'));
    assert.deepEqual(me.due, []);
    const rse = me.instruments.find((i) => i.id === RSE);
    assert.equal(rse.scales[0].points.length, 1);
    assert.equal(rse.scales[0].points[0].score, total({ ...allAt(1), rse1: 1, rse2: 2, rse3: 1 }));
    assert.match(rse.scales[0].words, /Your first/);
    assert.equal(me.instruments.some((i) => i.id === ONS), false, 'a skip has no scores');
    const rows = await sql(srv, `SELECT finished_at IS NULL, skipped_at IS NULL FROM checkin WHERE person_id = ${id.m1} ORDER BY instrument_id`);
    assert.deepEqual(rows.trim().split('\n').map((l) => l.replace(/\s/g, '')), USE_PG_ROWS(['t|f', 'f|t'], ['1|0', '0|1']));
  });

  it('asks again after n weeks, and tells the member their change in words, a chart and a table', async () => {
    await age('m1', 5);
    const me = await ok(c.m1.get('/api/v1/me/check-ins'));
    assert.match(me.due.find((d) => d.instrument_id === RSE).why, /regular/);
    const before = total({ ...allAt(1), rse1: 1, rse2: 2, rse3: 1 });
    const later = { ...allAt(3), rse2: 0, rse5: 0, rse6: 0, rse8: 0, rse9: 0 };
    await ok(answer('m1', later));
    const now = await ok(c.m1.get('/api/v1/me/check-ins'));
    const s = now.instruments.find((i) => i.id === RSE).scales[0];
    assert.deepEqual(s.points.map((p) => p.score), [before, total(later)]);
    assert.match(s.words, new RegExp(`went from ${before} to ${total(later)}`));
    if (s.reliable_change !== null)
      assert.match(s.words, /bigger than the measurement's own wobble/);
    else
      assert.match(s.words, /does not publish/);
    const page = await c.m1.get('/me/check-ins');
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /<svg role="img" aria-labelledby="[^"]+"/);
    assert.match(page.text, /<polyline points="[\d., ]+"/);
    assert.match(page.text, new RegExp(`<td>${total(later)}</td>`));
    assert.match(page.text, /Nobody else has read your answers/);
  });

  it("shows the facilitator only the group's figures, hidden under the threshold, shown above it", async () => {
    // m2 and m3 take part for the group's learning, two check-ins each
    const sets = { m2: [allAt(1), allAt(2)], m3: [allAt(2), { ...allAt(2), rse1: 3 }] };
    for (const who of ['m2', 'm3']) {
      await consent(who, { take_part: true, group_learning: true, network_reports: true });
      await ok(answer(who, sets[who][0]));
      await age(who, 5);
      await ok(answer(who, sets[who][1]));
    }
    await consent('m1', { take_part: true, group_learning: true, network_reports: true, share_with_facilitator: true });
    const asMember = await ok(c.m1.get(`/api/v1/groups/${G}/check-ins`));
    assert.equal(asMember.figures, undefined, 'members see no figures');
    let g = await ok(c.fac.get(`/api/v1/groups/${G}/check-ins`));
    assert.equal(g.figures.threshold, 10);
    assert.equal(g.figures.participants, null);
    assert.equal(g.figures.participants_hidden, true);
    const hidden = g.figures.scales.find((s) => s.instrument_id === RSE).all;
    assert.equal(hidden.hidden, true);
    assert.equal(hidden.mean_change, null);
    assert.equal(hidden.n, null);
    const page = await c.fac.get(`/groups/${G}/check-ins`);
    assert.match(page.text, /fewer than the threshold/);
    assert.match(page.text, /hidden/);
    assertPageShape(page.text);

    await refused(post(c.fac, '/network/outcomes', { threshold: 3 }), 403);
    const bad = await refused(post(c.coord, '/network/outcomes', { threshold: 1 }), 422);
    assert.equal(bad.field, 'threshold');
    await ok(post(c.coord, '/network/outcomes', { threshold: 3 }));
    g = await ok(c.fac.get(`/api/v1/groups/${G}/check-ins`));
    assert.equal(g.figures.participants, 3);
    const all = g.figures.scales.find((s) => s.instrument_id === RSE).all;
    assert.equal(all.n, 3);
    const pairs = [[total({ ...allAt(1), rse1: 1, rse2: 2, rse3: 1 }),
      total({ ...allAt(3), rse2: 0, rse5: 0, rse6: 0, rse8: 0, rse9: 0 })],
    [total(sets.m2[0]), total(sets.m2[1])], [total(sets.m3[0]), total(sets.m3[1])]];
    const mean = pairs.reduce((s, [a, b]) => s + (b - a), 0) / 3;
    assert.ok(Math.abs(all.mean_change - mean) < 1e-9, `${all.mean_change} vs ${mean}`);
    assert.ok(all.ci_lo < mean && mean < all.ci_hi);
    assert.equal(JSON.stringify(g).includes('"answers"'), false);
  });

  it('takes a withdrawn member out of the figures, stops asking, and refuses their check-ins', async () => {
    await ok(post(c.m3, '/me/check-ins/withdraw'));
    const me = await ok(c.m3.get('/api/v1/me/check-ins'));
    assert.equal(me.consent.withdrawn, true);
    assert.deepEqual(me.due, []);
    assert.equal(me.instruments.length, 1, 'they still see their own scores');
    const before = await checkinRows('m3');
    await refused(answer('m3', allAt(2)), 409, /withdrew/);
    assert.equal(await checkinRows('m3'), before);
    await refused(post(c.m3, '/me/check-ins/withdraw'), 409);
    const g = await ok(c.fac.get(`/api/v1/groups/${G}/check-ins`));
    assert.equal(g.figures.participants, null, 'two people: under the threshold of 3');
    assert.equal(g.figures.scales.find((s) => s.instrument_id === RSE).all.hidden, true);
  });

  it('gives coordinators the network figures by tag and by period, suppressed, and nobody else', async () => {
    await refused(c.fac.get('/api/v1/network/outcomes'), 403);
    const byTag = await ok(c.coord.get('/api/v1/network/outcomes'));
    assert.equal(byTag.by, 'tag');
    assert.equal(byTag.threshold, 3);
    assert.equal(byTag.participants, null, 'm1 and m2 consent to network reports: 2 < 3');
    const byPeriod = await ok(c.coord.get('/api/v1/network/outcomes?by=period'));
    assert.equal(byPeriod.by, 'period');
    for (const s of byPeriod.scales)
      for (const row of s.rows)
        assert.equal(row.mean_change, null, 'no row from fewer than 3 people is shown');
    await refused(c.coord.get('/api/v1/network/outcomes?by=colour'), 422);
    const page = await c.coord.get('/network/outcomes?by=period');
    assert.equal(page.status, 200);
    assertPageShape(page.text);
  });

  it('counts a member in the network figures exactly while their consent lets it', async () => {
    const network = async () => {
      const n = await ok(c.coord.get('/api/v1/network/outcomes'));
      return [n.participants, n.scales.find((s) => s.instrument_id === RSE).all.n];
    };
    await consent('m3', { take_part: true, network_reports: true });
    assert.deepEqual(await network(), [3, 3], "m3's earlier check-ins count again");
    await consent('m2', { take_part: true, group_learning: true });
    assert.deepEqual(await network(), [null, null], 'm2 keeps their answers to the group: 2 < 3');
    await consent('m2', { take_part: true, group_learning: true, network_reports: true });
    assert.deepEqual(await network(), [3, 3]);
    await ok(post(c.m3, '/me/check-ins/withdraw'));
    assert.deepEqual(await network(), [null, null], 'm3 withdrew again');
  });

  it('logs a facilitator reading shared answers, never the member reading their own, and refuses unshared reads', async () => {
    assert.equal(await logRows('m1'), 0);
    await ok(c.m1.get('/api/v1/me/check-ins'));
    assert.equal(await logRows('m1'), 0);
    const g = await ok(c.fac.get(`/api/v1/groups/${G}/check-ins`));
    assert.deepEqual(g.sharers.map((s) => s.person_id), [id.m1]);
    const listed = (await c.fac.get(`/groups/${G}/check-ins`)).text.match(new RegExp(`/check-ins/people/${id.m1}"`, 'g'));
    assert.equal(listed?.length, 1, 'the member who shares is listed once');
    const shared = await ok(c.fac.get(`/api/v1/groups/${G}/check-ins/people/${id.m1}`));
    assert.equal(shared.instruments.find((i) => i.id === RSE).scales[0].points.length, 2);
    assert.equal(await logRows('m1'), 1);
    const me = await ok(c.m1.get('/api/v1/me/check-ins'));
    assert.equal(me.access_log.length, 1);
    assert.equal(me.access_log[0].reader_id, id.fac);
    assert.match(me.access_log[0].reason, /facilitator/);
    const stored = await sql(srv, `SELECT what, reason FROM access_log WHERE subject_id = ${id.m1}`);
    assert.doesNotMatch(stored, /\d\|\d/, 'the log holds no answers');
    // m2 did not choose to share; a member is not a facilitator
    await refused(c.fac.get(`/api/v1/groups/${G}/check-ins/people/${id.m2}`), 403, /not chosen to share/);
    assert.equal(await logRows('m2'), 0);
    await refused(c.m2.get(`/api/v1/groups/${G}/check-ins/people/${id.m1}`), 403);
    assert.equal(await logRows('m1'), 1);
    const page = await c.m1.get('/me/check-ins');
    assert.match(page.text, /F Person|Fac Person/);
  });

  it('invites on /me: the one question while it is unanswered, then each check-in that is due', async () => {
    assert.equal((await ok(c.coord.get('/api/v1/me'))).check_ins.ask, false, 'not asked without a group offering check-ins');
    const before_ = await ok(c.m4.get('/api/v1/me'));
    assert.equal(before_.check_ins.ask, true);
    assert.deepEqual(before_.check_ins.due, []);
    const page = await c.m4.get('/me');
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /href="\/me\/check-ins\/consent">Tell us whether you would like to take part/);
    await consent('m4', { take_part: true });
    const after_ = await ok(c.m4.get('/api/v1/me'));
    assert.equal(after_.check_ins.ask, false, 'asked once');
    const due = after_.check_ins.due.find((d) => d.path === `/groups/${G}/check-ins/${RSE}`);
    assert.ok(due, `the Rosenberg check-in is due: ${JSON.stringify(after_.check_ins.due)}`);
    assert.equal(due.group_name, 'Check-in group');
    const shown = await c.m4.get('/me');
    assert.match(shown.text, /A check-in is ready for you/);
    assert.ok(shown.text.includes(`href="/groups/${G}/check-ins/${RSE}"`));
  });

  it('takes a check-in from the HTML form, redirecting to the member\'s page', async () => {
    await consent('m4', { take_part: true });
    const page = await c.m4.get(`/groups/${G}/check-ins/${RSE}`);
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.equal((page.text.match(/<fieldset/g) || []).length, 10);
    assert.match(page.text, /<legend>1\. On the whole, I am satisfied with myself\.<\/legend>/);
    assert.match(page.text, /value="save"[^>]*>Save and finish later/);
    assert.match(page.text, /value="skip"[^>]*>Skip this time/);
    const bad = await c.m4.postForm(`/groups/${G}/check-ins/${RSE}`, { ...allAt('2'), rse3: '9', action: 'finish' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Question 3/);
    assert.equal(await checkinRows('m4'), 0);
    const res = await c.m4.postForm(`/groups/${G}/check-ins/${RSE}`, { ...allAt('2'), action: 'finish' });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/me/check-ins?finished=1');
    assert.equal(await checkinRows('m4'), 1);
    const group = await c.m4.get(`/groups/${G}/check-ins`);
    assert.equal(group.status, 200);
    assertPageShape(group.text);
  });

  it('lets a facilitator ask a check-in at a chosen meeting, from the settings page', async () => {
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(new Date(Date.now() + 9 * 24 * 3600 * 1000));
    const mid = (await ok(post(c.fac, `/groups/${G}/meetings`, { date, start_time: '10:00', end_time: '11:00' }), 201)).meeting.id;
    const page = await c.fac.get(`/groups/${G}/check-in-settings`);
    assertPageShape(page.text);
    assert.match(page.text, new RegExp(`name="meeting_id" value="${mid}"`));
    const res = await c.fac.postForm(`/groups/${G}/check-in-settings/meetings`, { instrument: RSE, meeting_id: mid, chosen: 'yes' });
    assert.equal(res.status, 303);
    const s = await ok(c.fac.get(`/api/v1/groups/${G}/check-in-settings`));
    assert.deepEqual(s.offerings.find((o) => o.instrument_id === RSE).meeting_ids, [mid]);
    const other = (await ok(post(c.admin, '/groups', { name: 'Other group', purpose: 'To meet.', format: 'online', access: 'open', status: 'active' }), 201)).group.id;
    const theirs = (await ok(post(c.admin, `/groups/${other}/meetings`, { date, start_time: '10:00', end_time: '11:00' }), 201)).meeting.id;
    const e = await refused(post(c.fac, `/groups/${G}/check-in-settings/meetings`, { instrument: RSE, meeting_id: theirs, chosen: true }), 422);
    assert.equal(e.field, 'meeting_id');
    await ok(post(c.fac, `/groups/${G}/check-in-settings/meetings`, { instrument: RSE, meeting_id: mid, chosen: false }));
    assert.deepEqual((await ok(c.fac.get(`/api/v1/groups/${G}/check-in-settings`))).offerings.find((o) => o.instrument_id === RSE).meeting_ids, []);
  });

  it("never writes answers, or the check-in routes' item values, to the server's log", async () => {
    const log = await srv.waitForLog((t) => /check-ins/.test(t));
    assert.match(log, /route="?\/groups\/\{id\}\/check-ins\/\{instrument\}/, 'the check-in requests are logged by route');
    assert.doesNotMatch(log, /rse\d+|Strongly agree|rosenberg-self-esteem/, 'no item, answer or instrument in the log');
  });

  itStopsCleanly(() => srv);
});

/** Booleans as each backend's command-line client prints them. */
function USE_PG_ROWS(pg, sqlite) {
  return process.env.HEARTH_TEST_PG === '1' ? pg : sqlite;
}
