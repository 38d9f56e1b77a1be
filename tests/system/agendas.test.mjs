// agendas.test.mjs - negotiated agendas (capability C4, issue 4) over real
// HTTP, on SQLite and on PostgreSQL: members propose items for an upcoming
// meeting and support them; the proposer withdraws; managers order, time,
// merge and defer items and agree the agenda; after the meeting starts they
// mark items discussed, deferred or dropped, and deferred items (and items
// left open when a meeting is closed) carry over to the next meeting. Every
// refusal gets a clear 4xx and changes nothing.
//
// Choices the API documents: supporting twice (or taking back support not
// given) is 200 and changes nothing; a proposer may support their own item;
// any change to the items takes back the agreement.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, itStopsCleanly } from './lib/server.mjs';
import { localDate, sql, assertPageShape, jsonApi, signInCast, castGroup } from './lib/fixtures.mjs';

describe('negotiated agendas', () => {
  let srv, admin, fac, mem, mem2, out, anon;
  const id = {};
  let groupId, F1, F2, F3, C;

  const api = jsonApi(() => srv);
  const { post, ok, refused } = api;
  const agenda = async (mid, c = mem) => ok(c.get(`/api/v1/meetings/${mid}/agenda`));
  const propose = async (mid, title, c = mem, why = 'We keep coming back to it.') =>
    (await ok(post(c, `/meetings/${mid}/agenda/items`, { title, why }), 201)).item;
  const meetingAt = async (days, start = '10:00', end = '11:00') =>
    (await ok(post(admin, `/groups/${groupId}/meetings`, { date: localDate(days), start_time: start, end_time: end }), 201)).meeting.id;
  /** Makes a meeting have started an hour ago (time passing, by SQL). */
  const start = (mid) => sql(srv, `UPDATE meeting SET starts_at = ${Date.now() - 3600000}, ends_at = ${Date.now() + 3600000} WHERE id = ${mid}`);

  before(async () => {
    srv = await startServer();
    const cast = await signInCast(srv);
    ({ admin, fac, mem, mem2, out, anon } = cast);
    Object.assign(id, cast.id);
    groupId = await castGroup(api, cast, 'Agenda Circle');
    F1 = await meetingAt(7);
    F2 = await meetingAt(14);
    F3 = await meetingAt(21);
    C = await meetingAt(10);
    await ok(post(admin, `/meetings/${C}/cancel`, { notice: 'The hall is closed.' }));
  });
  after(() => srv?.stop());

  it('lets a member propose an item with why, shown with its proposer and no support', async () => {
    const item = await propose(F1, 'Meeting somewhere quieter');
    assert.equal(item.title, 'Meeting somewhere quieter');
    assert.equal(item.why, 'We keep coming back to it.');
    assert.equal(item.proposer_name, 'Mo');
    assert.equal(item.is_mine, true);
    assert.equal(item.supporters, 0);
    assert.equal(item.state, 'open');
    assert.equal(typeof item.id, 'string');
    const a = await agenda(F1, mem2);
    assert.deepEqual(a.items.map((i) => i.title), ['Meeting somewhere quieter']);
    assert.equal(a.items[0].is_mine, false);
    assert.equal(a.can.propose, true);
    assert.equal(a.can.manage, false);
    assert.equal(a.agreed, null);
  });

  it('takes a proposal from an HTML form and answers 303 back to the agenda', async () => {
    await mem2.get(`/meetings/${F1}/agenda`);
    const res = await mem2.postForm(`/meetings/${F1}/agenda/items`, { title: 'Snacks', why: 'Blood sugar.' });
    assert.equal(res.status, 303, res.text);
    assert.match(res.location, new RegExp(`^/meetings/${F1}/agenda#item-\\d+$`));
    assert.ok((await agenda(F1)).items.some((i) => i.title === 'Snacks' && i.proposer_name === 'Kit'));
  });

  it('refuses empty and oversized text with 422 naming the field, and changes nothing', async () => {
    const before = (await agenda(F1)).items.length;
    assert.equal((await refused(post(mem, `/meetings/${F1}/agenda/items`, { title: '', why: 'x' }), 422)).field, 'title');
    assert.equal((await refused(post(mem, `/meetings/${F1}/agenda/items`, { title: 'x', why: '   ' }), 422)).field, 'why');
    assert.equal((await refused(post(mem, `/meetings/${F1}/agenda/items`, { title: 'x'.repeat(121), why: 'y' }), 422)).field, 'title');
    assert.equal((await refused(post(mem, `/meetings/${F1}/agenda/items`, { title: 'x', why: 'y'.repeat(501) }), 422)).field, 'why');
    assert.equal((await agenda(F1)).items.length, before);
    // the HTML form shows the error tied to its field, keeping what was typed
    await mem.get(`/meetings/${F1}/agenda`);
    const res = await mem.postForm(`/meetings/${F1}/agenda/items`, { title: '', why: 'Kept text' });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="title"[^>]*aria-invalid="true"/);
    assert.match(res.text, /aria-describedby="title-hint title-error"/);
    assert.match(res.text, />Kept text<\/textarea>/);
    assertPageShape(res.text);
  });

  it('refuses items for cancelled and past meetings with 409 naming the meeting', async () => {
    await refused(post(mem, `/meetings/${C}/agenda/items`, { title: 'A', why: 'B' }), 409, /the meeting on .* is cancelled/);
    const P = await meetingAt(0, '00:00', '00:30');
    await refused(post(mem, `/meetings/${P}/agenda/items`, { title: 'A', why: 'B' }), 409, /the meeting on .* has already started/);
    assert.equal((await agenda(P)).items.length, 0);
  });

  it('refuses outsiders (403) and anonymous callers (401, or login for a browser)', async () => {
    await refused(out.get(`/api/v1/meetings/${F1}/agenda`), 403);
    await refused(post(out, `/meetings/${F1}/agenda/items`, { title: 'A', why: 'B' }), 403);
    await refused(anon.get(`/api/v1/meetings/${F1}/agenda`), 401);
    const res = await anon.get(`/meetings/${F1}/agenda`, { headers: { accept: 'text/html' } });
    assert.equal(res.status, 303);
    assert.match(res.location, /^\/login\?next=/);
    const item = (await agenda(F1)).items[0];
    await refused(post(out, `/agenda-items/${item.id}/support`), 403);
    await refused(post(mem2, '/agenda-items/123/support'), 404);
  });

  it('counts support once per person: again is 200 and changes nothing; proposers may support their own', async () => {
    const item = (await agenda(F1)).items.find((i) => i.title === 'Meeting somewhere quieter');
    let j = await ok(post(mem2, `/agenda-items/${item.id}/support`));
    assert.equal(j.item.supporters, 1);
    assert.equal(j.item.i_support, true);
    j = await ok(post(mem2, `/agenda-items/${item.id}/support`));
    assert.equal(j.item.supporters, 1);
    j = await ok(post(mem, `/agenda-items/${item.id}/support`));
    assert.equal(j.item.supporters, 2);
    j = await ok(post(mem2, `/agenda-items/${item.id}/unsupport`));
    assert.equal(j.item.supporters, 1);
    assert.equal(j.item.i_support, false);
    j = await ok(post(mem2, `/agenda-items/${item.id}/unsupport`));
    assert.equal(j.item.supporters, 1);
  });

  it('lets only the proposer withdraw an item', async () => {
    const item = await propose(F1, 'To be withdrawn');
    await refused(post(mem2, `/agenda-items/${item.id}/withdraw`), 403, /Only the person who proposed/);
    await refused(post(fac, `/agenda-items/${item.id}/withdraw`), 403);
    assert.ok((await agenda(F1)).items.some((i) => i.id === item.id));
    await ok(post(mem, `/agenda-items/${item.id}/withdraw`));
    assert.ok(!(await agenda(F1)).items.some((i) => i.id === item.id));
    await refused(post(mem, `/agenda-items/${item.id}/withdraw`), 409);
  });

  it('lets managers order and time items; members may not', async () => {
    const third = await propose(F1, 'Third thing', mem2);
    const titles = async () => (await agenda(F1)).items.map((i) => i.title);
    assert.deepEqual(await titles(), ['Meeting somewhere quieter', 'Snacks', 'Third thing']);
    await refused(post(mem, `/agenda-items/${third.id}/move`, { direction: 'up' }), 403, /facilitators/);
    await refused(post(mem, `/agenda-items/${third.id}/time`, { minutes: 10 }), 403);
    await ok(post(fac, `/agenda-items/${third.id}/move`, { direction: 'up' }));
    assert.deepEqual(await titles(), ['Meeting somewhere quieter', 'Third thing', 'Snacks']);
    await ok(post(fac, `/agenda-items/${third.id}/move`, { position: 1 }));
    assert.deepEqual(await titles(), ['Third thing', 'Meeting somewhere quieter', 'Snacks']);
    await ok(post(fac, `/agenda-items/${third.id}/move`, { direction: 'up' }));   // already first
    assert.deepEqual(await titles(), ['Third thing', 'Meeting somewhere quieter', 'Snacks']);
    assert.equal((await refused(post(fac, `/agenda-items/${third.id}/move`, { direction: 'sideways' }), 422)).field, 'direction');
    assert.equal((await refused(post(fac, `/agenda-items/${third.id}/time`, { minutes: 0 }), 422)).field, 'minutes');
    assert.equal((await refused(post(fac, `/agenda-items/${third.id}/time`, { minutes: 181 }), 422)).field, 'minutes');
    assert.equal((await refused(post(fac, `/agenda-items/${third.id}/time`, { minutes: 'ten' }), 422)).field, 'minutes');
    const j = await ok(post(fac, `/agenda-items/${third.id}/time`, { minutes: 15 }));
    assert.equal(j.item.minutes, 15);
    assert.deepEqual((await agenda(F1)).items.map((i) => i.position), [1, 2, 3]);
    assert.equal((await agenda(F1)).total_minutes, 15);
  });

  it('merges one item into another: supporters and proposer join it', async () => {
    const a = await propose(F1, 'Parking', mem);
    const b = await propose(F1, 'Car park costs', mem2);
    await ok(post(fac, `/agenda-items/${b.id}/support`));
    await refused(post(mem, `/agenda-items/${b.id}/merge`, { into: a.id }), 403);
    assert.equal((await refused(post(fac, `/agenda-items/${b.id}/merge`, { into: b.id }), 422)).field, 'into');
    assert.equal((await refused(post(fac, `/agenda-items/${b.id}/merge`, { into: '999' }), 422)).field, 'into');
    const j = await ok(post(fac, `/agenda-items/${b.id}/merge`, { into: a.id }));
    assert.equal(j.item.id, a.id);
    assert.equal(j.item.supporters, 2);   // the facilitator and Kit, B's proposer
    const items = (await agenda(F1)).items;
    assert.ok(!items.some((i) => i.id === b.id));
    await refused(post(mem2, `/agenda-items/${b.id}/support`), 409);
  });

  it('defers an item to a later upcoming meeting of the group, and no other', async () => {
    const item = await propose(F1, 'Summer outing', mem);
    await ok(post(mem2, `/agenda-items/${item.id}/support`));
    await refused(post(mem, `/agenda-items/${item.id}/defer`, { to_meeting: F2 }), 403);
    await refused(post(fac, `/agenda-items/${item.id}/defer`, { to_meeting: C }), 409, /cancelled/);
    const P = await meetingAt(0, '00:00', '00:30');
    assert.equal((await refused(post(fac, `/agenda-items/${item.id}/defer`, { to_meeting: P }), 422)).field, 'to_meeting');
    assert.equal((await refused(post(fac, `/agenda-items/${item.id}/defer`, { to_meeting: F1 }), 422)).field, 'to_meeting');
    const j = await ok(post(fac, `/agenda-items/${item.id}/defer`, { to_meeting: F2 }));
    assert.equal(j.item.meeting_id, F2);
    assert.equal(j.item.supporters, 1);
    assert.ok(!(await agenda(F1)).items.some((i) => i.id === item.id));
    assert.ok((await agenda(F2)).items.some((i) => i.id === item.id));
  });

  it('records who agreed the agenda and when; a later change takes it back', async () => {
    await refused(post(mem, `/meetings/${F1}/agenda/agree`), 403);
    let a = await ok(post(fac, `/meetings/${F1}/agenda/agree`));
    assert.equal(a.agreed.by, 'Fran');
    a = await agenda(F1, mem);
    assert.equal(a.agreed.by, 'Fran');
    assert.match(a.agreed.at, /^\d{4}-\d\d-\d\dT/);
    const page = await mem.get(`/meetings/${F1}/agenda`);
    assert.match(page.text, /Agenda agreed<\/strong> by Fran/);
    await ok(post(mem2, `/agenda-items/${a.items[0].id}/support`));   // support is not a change to the items
    assert.ok((await agenda(F1)).agreed);
    await propose(F1, 'Late idea', mem2);
    assert.equal((await agenda(F1)).agreed, null);
    await ok(post(fac, `/meetings/${F1}/agenda/agree`));
    await refused(post(fac, `/meetings/${C}/agenda/agree`), 409);
  });

  it('shows an accessible page with forms by role', async () => {
    const m = await mem.get(`/meetings/${F1}/agenda`);
    assert.equal(m.status, 200);
    assertPageShape(m.text);
    assert.match(m.text, /Support<span class="visually-hidden"> “Snacks”<\/span>/);
    assert.doesNotMatch(m.text, /Move up/);
    const f = await fac.get(`/meetings/${F1}/agenda`);
    assertPageShape(f.text);
    assert.match(f.text, /Move down<span class="visually-hidden"> “Third thing”<\/span>/);
    assert.match(f.text, /<label for="minutes-\d+">Minutes for “Snacks”<\/label>/);
    const meetingPage = await mem.get(`/meetings/${F1}`);
    assert.match(meetingPage.text, new RegExp(`href="/meetings/${F1}/agenda"`));
    // a refused change shows the page again with the error tied to the item's field
    const item = (await agenda(F1)).items[0];
    const res = await fac.postForm(`/agenda-items/${item.id}/time`, { minutes: '999' });
    assert.equal(res.status, 422);
    assert.match(res.text, new RegExp(`id="minutes-${item.id}"[^>]*aria-invalid="true" aria-describedby="minutes-${item.id}-error"`));
    assert.match(res.text, new RegExp(`href="#minutes-${item.id}"`));
  });

  it('after the meeting starts: no new items; managers mark outcomes; deferred items carry over with support', async () => {
    const S = await meetingAt(3);
    const talk = await propose(S, 'Talk about it', mem);
    const later = await propose(S, 'Later', mem);
    const drop = await propose(S, 'Drop it', mem2);
    await ok(post(mem2, `/agenda-items/${later.id}/support`));
    await refused(post(fac, `/agenda-items/${talk.id}/outcome`, { outcome: 'discussed' }), 409, /not started/);
    await start(S);
    await refused(post(mem, `/meetings/${S}/agenda/items`, { title: 'x', why: 'y' }), 409, /already started/);
    await refused(post(mem2, `/agenda-items/${talk.id}/support`), 409);
    await refused(post(fac, `/agenda-items/${talk.id}/move`, { direction: 'down' }), 409);
    await refused(post(mem, `/agenda-items/${talk.id}/outcome`, { outcome: 'discussed' }), 403);
    assert.equal((await refused(post(fac, `/agenda-items/${talk.id}/outcome`, { outcome: 'maybe' }), 422)).field, 'outcome');
    assert.equal((await ok(post(fac, `/agenda-items/${talk.id}/outcome`, { outcome: 'discussed' }))).item.state, 'discussed');
    await refused(post(fac, `/agenda-items/${talk.id}/outcome`, { outcome: 'dropped' }), 409);
    assert.equal((await ok(post(fac, `/agenda-items/${drop.id}/outcome`, { outcome: 'dropped' }))).item.state, 'dropped');
    const d = (await ok(post(fac, `/agenda-items/${later.id}/outcome`, { outcome: 'deferred' }))).item;
    assert.equal(d.state, 'deferred');
    assert.ok(d.carried_to, 'carried to the next meeting');
    const next = await agenda(F1);   // the next upcoming meeting after S
    const copy = next.items.find((i) => i.id === d.carried_to);
    assert.ok(copy, 'the copy is on the next upcoming meeting');
    assert.equal(copy.carried_from, later.id);
    assert.equal(copy.supporters, 1);
    assert.equal(copy.proposer_name, 'Mo');
    assert.equal(copy.state, 'open');
    assert.equal(next.agreed, null, 'a carried item takes the agreement back');
    const s = await agenda(S, fac);
    assert.equal(s.can.mark, true);
    assert.deepEqual(s.items.map((i) => i.state), ['discussed', 'deferred', 'dropped']);
  });

  it('carries over items still open when a meeting is closed', async () => {
    const S = await meetingAt(4);
    const left = await propose(S, 'Left open', mem2);
    await start(S);
    await ok(post(fac, `/meetings/${S}/close`, { attendance_count: 4 }));
    const s = await agenda(S, fac);
    const item = s.items.find((i) => i.id === left.id);
    assert.equal(item.state, 'deferred');
    assert.ok(item.carried_to);
    assert.ok((await agenda(F1)).items.some((i) => i.carried_from === left.id));
    // and only once
    await agenda(S, fac);
    assert.equal((await agenda(F1)).items.filter((i) => i.carried_from === left.id).length, 1);
  });

  it('refuses every change in a closed group with 409', async () => {
    const item = (await agenda(F2)).items[0];
    await ok(post(admin, `/groups/${groupId}/status`, { status: 'closed' }));
    try {
      await refused(post(mem, `/meetings/${F2}/agenda/items`, { title: 'A', why: 'B' }), 409, /closed/);
      await refused(post(mem2, `/agenda-items/${item.id}/unsupport`), 409);
      await refused(post(admin, `/agenda-items/${item.id}/time`, { minutes: 5 }), 409);
      assert.equal((await agenda(F2)).items[0].supporters, item.supporters);
    } finally {
      await ok(post(admin, `/groups/${groupId}/status`, { status: 'active' }));
    }
  });

  itStopsCleanly(() => srv);
});
