// meetings.test.mjs - meetings (capability C3) over real HTTP, on SQLite and
// on PostgreSQL: a group's schedule made into meetings, the list of a
// group's meetings, a meeting's page, cancelling, restoring and moving one,
// one-off meetings, attendance, who facilitated and roles, minutes in safe
// Markdown, actions with owners and due dates, the closing record; who may
// read (members) and write (facilitators, coordinators, admins); and every
// refusal with a clear 4xx and a check that nothing changed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, account, jsonError, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { ZONE, DAY, localDate, addUser, sql, assertPageShape } from './lib/fixtures.mjs';

/** The local time of day in London of an ISO time: "HH:MM". */
function localClock(iso) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(iso));
}

describe('meetings', () => {
  let srv, admin, fac, mem, out, anon;
  const id = {};
  let groupId, otherGroupId;

  const getJson = async (c, path, status = 200) => {
    const res = await c.get(`/api/v1${path}`);
    assert.equal(res.status, status, `${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  const meeting = async (mid, c = fac) => (await getJson(c, `/meetings/${mid}`)).meeting;
  const meetingsOf = (c, gid, query = '') => getJson(c, `/groups/${gid}/meetings${query}`);

  /** A one-off meeting today from 00:00: it has started, whatever the hour. */
  async function heldMeeting(notice = 'Extra session') {
    const res = await fac.postJson(`/api/v1/groups/${groupId}/meetings`, {
      date: localDate(0), start_time: '00:00', end_time: '00:30', notice,
    });
    assert.equal(res.status, 201, res.text);
    return res.json.meeting;
  }

  /** The next scheduled meeting still to start, from the list. */
  async function nextScheduled(skip = 0) {
    const list = await meetingsOf(mem, groupId);
    const future = list.upcoming.filter((m) => Date.parse(m.starts_at) > Date.now() && m.kind === 'scheduled'
      && m.status === 'scheduled' && !m.moved_from);
    assert.ok(future.length > skip, 'enough upcoming meetings');
    return future[skip];
  }

  before(async () => {
    srv = await startServer();
    const emails = {
      fac: await addUser(srv, 'Fran'), mem: await addUser(srv, 'Mo'), out: await addUser(srv, 'Olu'),
    };
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    fac = srv.client();
    mem = srv.client();
    out = srv.client();
    anon = srv.client();
    await logIn(fac, emails.fac);
    await logIn(mem, emails.mem);
    await logIn(out, emails.out);
    id.fac = (await account(fac)).id;
    id.mem = (await account(mem)).id;
    id.out = (await account(out)).id;

    const res = await admin.postJson('/api/v1/groups', {
      name: 'Tuesday Circle', purpose: 'To meet, talk and support each other.', format: 'hybrid',
      venue_name: 'Community Hall', venue_address: '1 High Street', venue_access: 'Step-free',
      online_link: 'https://meet.example.org/tuesday', link_visibility: 'members',
      access: 'open', facilitation: 'peer_led', status: 'active',
      rrule: 'FREQ=WEEKLY;BYDAY=TU', schedule_start: '2026-01-06T18:30', duration_minutes: 90,
    });
    assert.equal(res.status, 201, res.text);
    groupId = (res.json.group ?? res.json).id;
    const other = await admin.postJson('/api/v1/groups', {
      name: 'Other Group', purpose: 'Elsewhere.', format: 'in_person', venue_name: 'Library',
      venue_address: '2 Low Road', access: 'open', facilitation: 'peer_led', status: 'active',
    });
    assert.equal(other.status, 201, other.text);
    otherGroupId = (other.json.group ?? other.json).id;

    for (const c of [fac, mem])
      assert.equal((await c.postJson(`/api/v1/groups/${groupId}/join`, {})).status < 300, true);
    assert.equal((await out.postJson(`/api/v1/groups/${otherGroupId}/join`, {})).status < 300, true);
    const role = await admin.postJson(`/api/v1/groups/${groupId}/members/${id.fac}/role`, { role: 'facilitator' });
    assert.ok(role.status < 300, role.text);
    const sam = await fac.postJson(`/api/v1/groups/${groupId}/members`, { display_name: 'Sam' });
    assert.equal(sam.status, 201, sam.text);
    id.sam = sam.json.member.person_id;
  });
  after(() => srv?.stop());

  // ---- the schedule and the list ---------------------------------------

  it('lists the schedule as Tuesdays at 18:30 London time, for members', async () => {
    const list = await meetingsOf(mem, groupId);
    assert.equal(list.group.id, groupId);
    assert.equal(list.can_manage, false);
    assert.ok(list.upcoming.length >= 11 && list.upcoming.length <= 13, `${list.upcoming.length} upcoming`);
    for (const m of list.upcoming) {
      assert.match(m.id, /^[1-9][0-9]*$/);
      assert.match(m.when_text, /^Tuesday \d+ \w+ \d{4}, 18:30 to 20:00$/);
      assert.equal(m.status, 'scheduled');
      assert.equal(m.kind, 'scheduled');
      assert.equal(Date.parse(m.ends_at) - Date.parse(m.starts_at), 90 * 60000);
      assert.equal(localClock(m.starts_at), '18:30', m.starts_at);
    }
    // In winter London is on UTC: 18:30 local is 18:30Z (the unit tests
    // cover the changes of clock in March and October).
    const jan = list.upcoming.find((m) => m.starts_at.startsWith('2027-01-05'));
    if (jan)
      assert.equal(jan.starts_at, '2027-01-05T18:30:00Z');
    assert.deepEqual(list.past, []);
    // Asking again makes no new meetings.
    const again = await meetingsOf(mem, groupId);
    assert.deepEqual(again.upcoming.map((m) => m.id), list.upcoming.map((m) => m.id));
  });

  it('shows the list page to members without the form, and to facilitators with it', async () => {
    const page = await mem.get(`/groups/${groupId}/meetings`);
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /<h1>Meetings of Tuesday Circle<\/h1>/);
    assert.doesNotMatch(page.text, /Add a one-off meeting/);
    const fpage = await fac.get(`/groups/${groupId}/meetings`);
    assert.equal(fpage.status, 200);
    assertPageShape(fpage.text);
    assert.match(fpage.text, /Add a one-off meeting/);
    assert.match(fpage.text, /<label for="date">Date<\/label>/);
  });

  it('refuses the list to non-members (403) and sends anonymous browsers to log in', async () => {
    const res = await out.get(`/api/v1/groups/${groupId}/meetings`);
    assert.equal(res.status, 403);
    assert.match(jsonError(res).message, /members/);
    assert.equal((await out.get(`/groups/${groupId}/meetings`)).status, 403);
    const html = await anon.get(`/groups/${groupId}/meetings`);
    assert.equal(html.status, 303);
    assert.equal(html.location, `/login?next=/groups/${groupId}/meetings`);
    assert.equal((await anon.get(`/api/v1/groups/${groupId}/meetings`)).status, 401);
    assert.equal((await anon.get(`/api/v1/meetings/1`)).status, 401);
    assert.equal((await mem.get(`/api/v1/groups/999999/meetings`)).status, 404);
    assert.equal((await mem.get(`/api/v1/groups/abc/meetings`)).status, 404);
  });

  it('checks the page number of past meetings', async () => {
    for (const bad of ['0', '-1', 'abc', '1.5', '10001'])
      assert.equal((await mem.get(`/api/v1/groups/${groupId}/meetings?page=${bad}`)).status, 400, bad);
    const p2 = await meetingsOf(mem, groupId, '?page=2');
    assert.equal(p2.page, 2);
    assert.deepEqual(p2.past, []);
  });

  // ---- one meeting ------------------------------------------------------

  it('shows a meeting to members with where and the online link, and no forms', async () => {
    const next = await nextScheduled();
    const m = await meeting(next.id);
    assert.equal(m.id, next.id);
    assert.equal(m.group_name, 'Tuesday Circle');
    assert.equal(m.place.online_link, 'https://meet.example.org/tuesday');
    assert.equal(m.place.venue_name, 'Community Hall');
    assert.equal(m.place.venue_access, 'Step-free');
    assert.match(m.occurrence_key, /^\d{4}-\d\d-\d\dT18:30$/);
    assert.deepEqual(m.attendance, []);
    const body = await getJson(mem, `/meetings/${next.id}`);
    assert.equal(body.can.manage, false);
    assert.equal(body.can.record, false);
    const page = await mem.get(`/meetings/${next.id}`);
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /href="https:\/\/meet\.example\.org\/tuesday"/);
    assert.doesNotMatch(page.text, /Cancel this meeting/);
    const fpage = await fac.get(`/meetings/${next.id}`);
    assertPageShape(fpage.text);
    assert.match(fpage.text, /Cancel this meeting/);
    assert.match(fpage.text, /<label for="move_date">New date<\/label>/);
    assert.equal((await out.get(`/api/v1/meetings/${next.id}`)).status, 403);
    assert.equal((await out.get(`/meetings/${next.id}`)).status, 403);
    assert.equal((await mem.get(`/api/v1/meetings/424242`)).status, 404);
    const anonPage = await anon.get(`/meetings/${next.id}`);
    assert.equal(anonPage.status, 303);
    assert.match(anonPage.location, /^\/login\?next=\/meetings\//);
  });

  // ---- cancel, restore, move ----------------------------------------------

  it('cancels a meeting with a notice members see, and restores it', async () => {
    const next = await nextScheduled();
    let res = await mem.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'Not me' });
    assert.equal(res.status, 403);
    res = await out.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'Not me' });
    assert.equal(res.status, 403);
    res = await anon.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'Not me' });
    assert.equal(res.status, 401);
    res = await fac.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: '' });
    assert.equal(res.status, 422);
    assert.equal(jsonError(res).field, 'notice');
    res = await fac.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'x', extra: 1 });
    assert.equal(res.status, 400);
    assert.equal((await meeting(next.id)).status, 'scheduled');

    res = await fac.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'The hall is closed for repairs.' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.meeting.status, 'cancelled');
    const list = await meetingsOf(mem, groupId);
    const shown = list.upcoming.find((m) => m.id === next.id);
    assert.equal(shown.status, 'cancelled');
    assert.equal(shown.notice, 'The hall is closed for repairs.');
    const page = await mem.get(`/meetings/${next.id}`);
    assert.match(page.text, /This meeting is cancelled/);
    assert.match(page.text, /The hall is closed for repairs\./);
    res = await fac.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'Again' });
    assert.equal(res.status, 409);
    res = await fac.postJson(`/api/v1/meetings/${next.id}/attendance`, { attendance: [{ person_id: id.mem, status: 'apologies' }] });
    assert.equal(res.status, 409);
    assert.match(jsonError(res).message, /cancelled/);

    // Restore through the HTML form.
    await fac.get(`/meetings/${next.id}`);
    res = await fac.postForm(`/meetings/${next.id}/restore`, { notice: '' });
    assert.equal(res.status, 303);
    assert.equal(res.location, `/meetings/${next.id}?restored=1`);
    const back = await meeting(next.id);
    assert.equal(back.status, 'scheduled');
    assert.equal(back.notice, null);
    res = await fac.postJson(`/api/v1/meetings/${next.id}/restore`, {});
    assert.equal(res.status, 409);
  });

  it('re-shows the meeting page with the error beside the field when a form is wrong', async () => {
    const next = await nextScheduled();
    await fac.get(`/meetings/${next.id}`);
    const res = await fac.postForm(`/meetings/${next.id}/cancel`, { notice: '' });
    assert.equal(res.status, 422);
    assertPageShape(res.text);
    assert.match(res.text, /<a href="#cancel_notice">/);
    assert.match(res.text, /id="cancel_notice"[^>]*aria-invalid="true" aria-describedby="cancel_notice-error"/);
    assert.match(res.text, /<p class="field-error" id="cancel_notice-error">/);
    const move = await fac.postForm(`/meetings/${next.id}/move`, { date: localDate(-2), time: '19:00', notice: 'Moved' });
    assert.equal(move.status, 422);
    assert.match(move.text, /id="move_date-error"/);
    assert.match(move.text, /still to come/);
    assert.equal((await meeting(next.id)).status, 'scheduled');
  });

  it('moves a meeting, keeping its occurrence and length, with a notice', async () => {
    const next = await nextScheduled(1);
    const before = await meeting(next.id);
    const date = before.starts_at.slice(0, 10);
    for (const [body, field] of [
      [{ date: localDate(-1), time: '19:00', notice: 'Moved' }, 'date'],
      [{ date: '2026-02-30', time: '19:00', notice: 'Moved' }, 'date'],
      [{ date: localDate(20), time: '7pm', notice: 'Moved' }, 'time'],
      [{ date: localDate(20), time: '19:00', notice: '' }, 'notice'],
      [{ date: localDate(20), time: '19:00' }, 'notice'],
    ]) {
      const res = await fac.postJson(`/api/v1/meetings/${next.id}/move`, body);
      assert.ok(res.status === 422 || res.status === 400, `${JSON.stringify(body)}: ${res.status}`);
      assert.equal(jsonError(res).field, field, JSON.stringify(body));
    }
    assert.equal((await mem.postJson(`/api/v1/meetings/${next.id}/move`, { date: localDate(20), time: '19:00', notice: 'x' })).status, 403);
    assert.equal((await meeting(next.id)).starts_at, before.starts_at);

    await fac.get(`/meetings/${next.id}`);
    const res = await fac.postForm(`/meetings/${next.id}/move`, { date, time: '19:15', notice: 'Starting later this week.' });
    assert.equal(res.status, 303, res.text);
    assert.equal(res.location, `/meetings/${next.id}?moved=1`);
    const moved = await meeting(next.id);
    assert.equal(moved.moved_from, before.starts_at);
    assert.equal(moved.occurrence_key, before.occurrence_key);
    assert.equal(Date.parse(moved.starts_at) - Date.parse(before.starts_at), 45 * 60000);
    assert.equal(Date.parse(moved.ends_at) - Date.parse(moved.starts_at), 90 * 60000);
    assert.match(moved.when_text, /19:15 to 20:45$/);
    assert.equal(moved.notice, 'Starting later this week.');
    const page = await mem.get(`/meetings/${next.id}`);
    assert.match(page.text, /It was planned for Tuesday \d+ \w+ \d{4}, 18:30\./);
    // The list does not bring the old slot back.
    const list = await meetingsOf(mem, groupId);
    assert.equal(list.upcoming.filter((m) => m.starts_at === before.starts_at).length, 0);
  });

  // ---- one-off meetings -----------------------------------------------------

  it('adds one-off meetings, refusing the past and an end before the start', async () => {
    const count = async () => (await meetingsOf(fac, groupId)).upcoming.length;
    const n0 = await count();
    for (const [body, field, status] of [
      [{ date: localDate(-1), start_time: '14:00', end_time: '16:00' }, 'date', 422],
      [{ date: localDate(5), start_time: '16:00', end_time: '14:00' }, 'end_time', 422],
      [{ date: localDate(5), start_time: '16:00', end_time: '16:00' }, 'end_time', 422],
      [{ date: localDate(5), start_time: '25:00', end_time: '26:00' }, 'start_time', 422],
      [{ date: 'soon', start_time: '14:00', end_time: '16:00' }, 'date', 422],
      [{ date: localDate(5), start_time: '14:00' }, 'end_time', 422],
      [{ date: localDate(5), start_time: '14:00', end_time: '16:00', notice: 'n'.repeat(501) }, 'notice', 422],
      [{ date: localDate(5), start_time: 1400, end_time: '16:00' }, 'start_time', 400],
    ]) {
      const res = await fac.postJson(`/api/v1/groups/${groupId}/meetings`, body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(jsonError(res).field, field, JSON.stringify(body));
    }
    assert.equal((await mem.postJson(`/api/v1/groups/${groupId}/meetings`,
      { date: localDate(5), start_time: '14:00', end_time: '16:00' })).status, 403);
    assert.equal((await out.postJson(`/api/v1/groups/${groupId}/meetings`,
      { date: localDate(5), start_time: '14:00', end_time: '16:00' })).status, 403);
    assert.equal(await count(), n0);

    // The HTML form: an error re-shows the form with what was typed.
    await fac.get(`/groups/${groupId}/meetings`);
    let res = await fac.postForm(`/groups/${groupId}/meetings`, { date: localDate(5), start_time: '16:00', end_time: '14:00', notice: 'Picnic' });
    assert.equal(res.status, 422);
    assertPageShape(res.text);
    assert.match(res.text, /id="end_time-error"/);
    assert.match(res.text, /Picnic<\/textarea>/);
    res = await fac.postForm(`/groups/${groupId}/meetings`, { date: localDate(5), start_time: '14:00', end_time: '16:00', notice: 'Summer picnic in the park' });
    assert.equal(res.status, 303);
    assert.match(res.location, /^\/meetings\/[0-9]+\?added=1$/);
    const mid = res.location.match(/\/meetings\/([0-9]+)/)[1];
    const m = await meeting(mid);
    assert.equal(m.kind, 'one_off');
    assert.equal(m.occurrence_key, null);
    assert.equal(m.notice, 'Summer picnic in the park');
    assert.match(m.when_text, /, 14:00 to 16:00$/);
    assert.equal(await count(), n0 + 1);
  });

  // ---- attendance -------------------------------------------------------------

  it('records attendance from the form: present, apologies, absent and newcomers', async () => {
    const held = await heldMeeting();
    const page = await fac.get(`/meetings/${held.id}/attendance`);
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /<legend class="visually-hidden">Attendance of Mo<\/legend>/);
    assert.match(page.text, new RegExp(`<input type="radio" id="status_${id.mem}" name="status_${id.mem}" value="present">`));
    assert.match(page.text, new RegExp(`href="/groups/${groupId}/members"`));
    assert.equal((await mem.get(`/meetings/${held.id}/attendance`)).status, 403);
    assert.equal((await out.get(`/meetings/${held.id}/attendance`)).status, 403);

    const res = await fac.postForm(`/meetings/${held.id}/attendance`, {
      [`status_${id.fac}`]: 'present', [`status_${id.mem}`]: 'present', [`newcomer_${id.mem}`]: '1',
      [`status_${id.sam}`]: 'apologies',
    });
    assert.equal(res.status, 303, res.text);
    assert.equal(res.location, `/meetings/${held.id}?attendance=1`);
    const m = await meeting(held.id);
    assert.deepEqual(m.attendance_summary, { present: 2, apologies: 1, absent: 0, newcomers: 1 });
    const byId = Object.fromEntries(m.attendance.map((a) => [a.person_id, a]));
    assert.equal(byId[id.mem].status, 'present');
    assert.equal(byId[id.mem].newcomer, true);
    assert.equal(byId[id.sam].status, 'apologies');
    const again = await fac.get(`/meetings/${held.id}/attendance`);
    assert.match(again.text, new RegExp(`id="status_${id.mem}" name="status_${id.mem}" value="present" checked`));
    // Members see the counts and their own record, not who else came.
    const theirs = await meeting(held.id, mem);
    assert.deepEqual(theirs.attendance_summary, m.attendance_summary);
    assert.deepEqual(theirs.attendance.map((a) => a.person_id), [id.mem]);
    const view = await mem.get(`/meetings/${held.id}`);
    assert.match(view.text, /2 present \(1 for the first time\), 1 sent apologies, 0 absent/);
    assert.match(view.text, /You are recorded as: present, your first time\./);
    assert.doesNotMatch(view.text, /<th scope="row">Sam</);
    const facView = await fac.get(`/meetings/${held.id}`);
    assert.match(facView.text, /<tr><th scope="row">Sam<\/th><td>apologies<\/td><\/tr>/);
  });

  it('refuses attendance for someone not in the group, naming them, and changes nothing', async () => {
    const held = await heldMeeting();
    let res = await fac.postJson(`/api/v1/meetings/${held.id}/attendance`, { attendance: [
      { person_id: id.mem, status: 'present', newcomer: false },
      { person_id: id.out, status: 'present' },
    ] });
    assert.equal(res.status, 422);
    assert.match(jsonError(res).message, /Olu is not a member of this group/);
    assert.equal(jsonError(res).field, 'attendance');
    assert.deepEqual((await meeting(held.id)).attendance, []);

    // The form shows the error on Olu's... no: Olu is not on the form; a made-up row.
    await fac.get(`/meetings/${held.id}/attendance`);
    res = await fac.postForm(`/meetings/${held.id}/attendance`, {
      [`status_${id.mem}`]: 'present', [`status_${id.out}`]: 'present',
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /Olu is not a member of this group/);
    assert.match(res.text, new RegExp(`<a href="#status_${id.out}">`));

    for (const [body, status] of [
      [{ attendance: [{ person_id: id.mem, status: 'asleep' }] }, 422],
      [{ attendance: [{ person_id: id.mem, status: 'apologies', newcomer: true }] }, 422],
      [{ attendance: [{ person_id: '999999', status: 'present' }] }, 422],
      [{ attendance: [{ person_id: Number(1), status: 'present' }] }, 400],
      [{ attendance: [{ person_id: id.mem, status: 'present', extra: 1 }] }, 400],
      [{ attendance: [{ person_id: id.mem, status: 'present' }, { person_id: id.mem, status: 'absent' }] }, 422],
      [{ attendance: 'everyone' }, 400],
      [{ attendance: [] }, 422],
      [{ people: [] }, 400],
    ]) {
      res = await fac.postJson(`/api/v1/meetings/${held.id}/attendance`, body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
    }
    await fac.get(`/meetings/${held.id}/attendance`);
    res = await fac.postForm(`/meetings/${held.id}/attendance`, { [`status_${id.mem}`]: 'present', surprise: 'x' });
    assert.equal(res.status, 400);
    res = await fac.postForm(`/meetings/${held.id}/attendance`, { [`newcomer_${id.mem}`]: '1' });
    assert.equal(res.status, 422);
    assert.deepEqual((await meeting(held.id)).attendance, []);
    res = await mem.postJson(`/api/v1/meetings/${held.id}/attendance`, { attendance: [{ person_id: id.mem, status: 'present' }] });
    assert.equal(res.status, 403);
    assert.deepEqual((await meeting(held.id)).attendance, []);
  });

  it('takes only apologies before a meeting starts', async () => {
    const next = await nextScheduled();
    let res = await fac.postJson(`/api/v1/meetings/${next.id}/attendance`, { attendance: [{ person_id: id.mem, status: 'present' }] });
    assert.equal(res.status, 409);
    assert.match(jsonError(res).message, /apologies/);
    res = await fac.postJson(`/api/v1/meetings/${next.id}/attendance`, { attendance: [{ person_id: id.mem, status: 'apologies' }] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.meeting.attendance_summary, { present: 0, apologies: 1, absent: 0, newcomers: 0 });
  });

  // ---- facilitation and roles --------------------------------------------------

  it('records who facilitated and the roles people took, for people present', async () => {
    const held = await heldMeeting();
    await fac.postJson(`/api/v1/meetings/${held.id}/attendance`, { attendance: [
      { person_id: id.fac, status: 'present' }, { person_id: id.mem, status: 'present' },
      { person_id: id.sam, status: 'apologies' },
    ] });
    let res = await fac.postJson(`/api/v1/meetings/${held.id}/roles`, {
      facilitators: [id.fac], facilitated_by_peer: true,
      roles: [{ person_id: id.mem, role: 'welcomer' }, { person_id: id.fac, role: 'Tea maker' }],
    });
    assert.equal(res.status, 200, res.text);
    let m = res.json.meeting;
    assert.equal(m.facilitated_by_peer, true);
    assert.deepEqual(m.facilitators.map((f) => f.person_id), [id.fac]);
    assert.deepEqual(m.roles.map((r) => `${r.display_name}: ${r.role}`).sort(), ['Fran: Tea maker', 'Mo: welcomer']);

    for (const [body, status, words] of [
      [{ roles: [{ person_id: id.sam, role: 'welcomer' }] }, 422, /Sam is not recorded as present/],
      [{ roles: [{ person_id: id.mem, role: 'r'.repeat(41) }] }, 422, /40 characters/],
      [{ roles: [{ person_id: id.mem, role: '' }] }, 422, /name of the role/],
      [{ facilitators: [id.out], facilitated_by_peer: false }, 422, /Olu is not a member/],
      [{ facilitators: 'Fran' }, 400, /list/],
      [{ facilitated_by_peer: 'yes', facilitators: [] }, 400, /true, false or null/],
      [{}, 400, /facilitators/],
    ]) {
      res = await fac.postJson(`/api/v1/meetings/${held.id}/roles`, body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      assert.match(jsonError(res).message, words);
    }
    res = await mem.postJson(`/api/v1/meetings/${held.id}/roles`, { roles: [] });
    assert.equal(res.status, 403);
    m = await meeting(held.id);
    assert.equal(m.roles.length, 2);
    assert.equal(m.facilitators.length, 1);

    // The form: checkboxes, a radio group with a legend, a text field per person present.
    const page = await fac.get(`/meetings/${held.id}/roles`);
    assert.equal(page.status, 200);
    assertPageShape(page.text);
    assert.match(page.text, /<legend>Who facilitated<\/legend>/);
    assert.match(page.text, /<input type="radio" id="peer_yes" name="facilitated_by_peer" value="yes" checked>/);
    assert.match(page.text, new RegExp(`<label for="role_${id.mem}">Roles Mo took</label>`));
    assert.doesNotMatch(page.text, new RegExp(`for="role_${id.sam}"`));
    res = await fac.postForm(`/meetings/${held.id}/roles`, {
      facilitator: id.mem, facilitated_by_peer: 'no', [`role_${id.mem}`]: 'welcomer, note-taker , ',
    });
    assert.equal(res.status, 303, res.text);
    m = await meeting(held.id);
    assert.equal(m.facilitated_by_peer, false);
    assert.deepEqual(m.facilitators.map((f) => f.display_name), ['Mo']);
    assert.deepEqual(m.roles.map((r) => r.role).sort(), ['note-taker', 'welcomer']);
    res = await fac.postForm(`/meetings/${held.id}/roles`, { [`role_${id.mem}`]: 'x'.repeat(41) });
    assert.equal(res.status, 422);
    assert.match(res.text, new RegExp(`id="role_${id.mem}-error"`));
    assert.equal((await meeting(held.id)).roles.length, 2);
    const later = await nextScheduled();
    res = await fac.postJson(`/api/v1/meetings/${later.id}/roles`, { roles: [] });
    assert.equal(res.status, 409);
    assert.match(jsonError(res).message, /not started/);
  });

  // ---- minutes ----------------------------------------------------------------

  it('saves minutes in Markdown and shows them rendered safely to members', async () => {
    const held = await heldMeeting();
    const md = '# Check-in\n\nWe talked about *sleep*.\n\n- tea\n- biscuits\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [good](https://www.mind.org.uk/)\n';
    const editor = await fac.get(`/meetings/${held.id}/minutes`);
    assert.equal(editor.status, 200);
    assertPageShape(editor.text);
    assert.match(editor.text, /Markdown/);
    assert.match(editor.text, /<textarea id="minutes" name="minutes"/);
    let res = await fac.postForm(`/meetings/${held.id}/minutes`, { minutes: md });
    assert.equal(res.status, 303);
    const m = await meeting(held.id);
    assert.equal(m.minutes_md, md);
    assert.equal(m.minutes_by, 'Fran');
    assert.match(m.minutes_html, /<h3>Check-in<\/h3>/);
    assert.doesNotMatch(m.minutes_html, /<script|javascript:/);
    assert.match(m.minutes_html, /<a href="https:\/\/www\.mind\.org\.uk\/">good<\/a>/);
    const view = await mem.get(`/meetings/${held.id}`);
    assertPageShape(view.text);
    assert.match(view.text, /<h3>Check-in<\/h3>/);
    assert.match(view.text, /<em>sleep<\/em>/);
    assert.doesNotMatch(view.text, /<script>alert/);
    const readOnly = await mem.get(`/meetings/${held.id}/minutes`);
    assert.equal(readOnly.status, 200);
    assert.doesNotMatch(readOnly.text, /<textarea/);
    assert.equal((await out.get(`/api/v1/meetings/${held.id}/minutes`)).status, 403);

    res = await fac.postJson(`/api/v1/meetings/${held.id}/minutes`, { minutes: 'm'.repeat(20001) });
    assert.equal(res.status, 422);
    assert.equal(jsonError(res).field, 'minutes');
    assert.match(jsonError(res).message, /20000/);
    await fac.get(`/meetings/${held.id}/minutes`);
    res = await fac.postForm(`/meetings/${held.id}/minutes`, { minutes: 'm'.repeat(20001) });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="minutes-error"/);
    // Characters, not bytes, count: 20,000 two-byte letters fit.
    res = await fac.postJson(`/api/v1/meetings/${held.id}/minutes`, { minutes: 'é'.repeat(20000) });
    assert.equal(res.status, 200, res.text);
    res = await fac.postJson(`/api/v1/meetings/${held.id}/minutes`, { minutes: md });
    assert.equal(res.status, 200, res.text);
    res = await mem.postJson(`/api/v1/meetings/${held.id}/minutes`, { minutes: 'mine' });
    assert.equal(res.status, 403);
    res = await fac.postJson(`/api/v1/meetings/${held.id}/minutes`, { minutes: 5 });
    assert.equal(res.status, 400);
    assert.equal((await meeting(held.id)).minutes_md, md);
  });

  // ---- actions ------------------------------------------------------------------

  it('adds actions with an owner and a due date, and ticks them off', async () => {
    const held = await heldMeeting();
    for (const [body, field] of [
      [{ description: '', owner_id: id.mem }, 'description'],
      [{ description: 'Book the room', owner_id: id.out }, 'owner_id'],
      [{ description: 'Book the room' }, 'owner_id'],
      [{ description: 'Book the room', owner_id: id.mem, due_date: localDate(-3) }, 'due_date'],
      [{ description: 'Book the room', owner_id: id.mem, due_date: '31/12/2026' }, 'due_date'],
      [{ description: 'Book the room', owner_id: 'Mo' }, 'owner_id'],
    ]) {
      const res = await fac.postJson(`/api/v1/meetings/${held.id}/actions`, body);
      assert.ok(res.status === 422 || res.status === 400, `${JSON.stringify(body)}: ${res.status} ${res.text}`);
      assert.equal(jsonError(res).field, field, JSON.stringify(body));
    }
    assert.equal((await mem.postJson(`/api/v1/meetings/${held.id}/actions`,
      { description: 'Mine', owner_id: id.mem })).status, 403);
    assert.deepEqual((await meeting(held.id)).actions, []);

    let res = await fac.postJson(`/api/v1/meetings/${held.id}/actions`,
      { description: 'Book the room for June', owner_id: id.mem, due_date: localDate(7) });
    assert.equal(res.status, 201, res.text);
    let actions = res.json.meeting.actions;
    assert.equal(actions.length, 1);
    assert.equal(actions[0].owner_name, 'Mo');
    assert.equal(actions[0].due_date, localDate(7));
    assert.equal(actions[0].done, false);
    const actionId = actions[0].id;

    await fac.get(`/meetings/${held.id}`);
    res = await fac.postForm(`/meetings/${held.id}/actions`, { description: 'Ask about a ramp', owner_id: id.sam, due_date: '' });
    assert.equal(res.status, 303);
    res = await fac.postForm(`/meetings/${held.id}/actions`, { description: 'x', owner_id: id.out });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="action_owner_id-error"/);
    assert.match(res.text, /<a href="#action_owner_id">/);

    res = await mem.postForm(`/actions/${actionId}/done`, {}, { csrf: (await mem.get(`/meetings/${held.id}`), mem.csrf) });
    assert.equal(res.status, 403);
    await fac.get(`/meetings/${held.id}`);
    res = await fac.postForm(`/actions/${actionId}/done`, {});
    assert.equal(res.status, 303);
    assert.equal(res.location, `/meetings/${held.id}?action_done=1`);
    actions = (await meeting(held.id)).actions;
    assert.equal(actions.length, 2);
    assert.equal(actions[0].description, 'Ask about a ramp');
    assert.equal(actions[1].done, true);
    const page = await mem.get(`/meetings/${held.id}`);
    assert.match(page.text, /Book the room for June/);
    assert.doesNotMatch(page.text, /Mark done/);
    res = await fac.postJson(`/api/v1/actions/${actionId}/undo`, {});
    assert.equal(res.status, 200);
    assert.equal(res.json.meeting.actions.every((a) => !a.done), true);
    assert.equal((await fac.postJson(`/api/v1/actions/999999/done`, {})).status, 404);
  });

  // ---- closing ---------------------------------------------------------------------

  it('closes a meeting with a short record; the count defaults to those present', async () => {
    const held = await heldMeeting();
    await fac.postJson(`/api/v1/meetings/${held.id}/attendance`, { attendance: [
      { person_id: id.fac, status: 'present' }, { person_id: id.mem, status: 'present' },
    ] });
    for (const [body, field] of [
      [{ themes: 't'.repeat(501) }, 'themes'],
      [{ attendance_count: -1 }, 'attendance_count'],
      [{ attendance_count: 'many' }, 'attendance_count'],
      [{ attendance_count: 10001 }, 'attendance_count'],
    ]) {
      const res = await fac.postJson(`/api/v1/meetings/${held.id}/close`, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(jsonError(res).field, field);
    }
    assert.equal((await mem.postJson(`/api/v1/meetings/${held.id}/close`, {})).status, 403);
    assert.equal((await meeting(held.id)).status, 'scheduled');
    let res = await fac.postJson(`/api/v1/meetings/${held.id}/close`, { themes: 'Sleep; winter; peer support' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.meeting.status, 'closed');
    assert.equal(res.json.meeting.attendance_count, 2);
    assert.equal(res.json.meeting.themes, 'Sleep; winter; peer support');
    // Corrections to a closed meeting are allowed within the 30 days.
    await fac.get(`/meetings/${held.id}`);
    res = await fac.postForm(`/meetings/${held.id}/close`, { attendance_count: '5', themes: '' });
    assert.equal(res.status, 303);
    const m = await meeting(held.id);
    assert.equal(m.attendance_count, 5);
    assert.equal(m.themes, null);
    res = await fac.postForm(`/meetings/${held.id}/close`, { attendance_count: 'lots', themes: 'Kept' });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="close_attendance_count-error"/);
    assert.match(res.text, /Kept<\/textarea>/);
    const later = await nextScheduled();
    res = await fac.postJson(`/api/v1/meetings/${later.id}/close`, {});
    assert.equal(res.status, 409);
    const view = await mem.get(`/meetings/${held.id}`);
    assert.match(view.text, /Closed \(record written\)/);
  });

  // ---- time limits and closed groups -------------------------------------------------

  it('refuses records on a meeting long past (409) and changes nothing', async () => {
    const held = await heldMeeting('Old one');
    await fac.postJson(`/api/v1/meetings/${held.id}/minutes`, { minutes: 'Original' });
    await sql(srv, `UPDATE meeting SET starts_at = starts_at - ${40 * DAY}, ends_at = ends_at - ${40 * DAY} WHERE id = ${held.id}`);
    for (const [path, body] of [
      ['attendance', { attendance: [{ person_id: id.mem, status: 'present' }] }],
      ['minutes', { minutes: 'Changed' }],
      ['roles', { roles: [] }],
      ['actions', { description: 'Late', owner_id: id.mem }],
      ['close', {}],
      ['cancel', { notice: 'Too late' }],
      ['move', { date: localDate(3), time: '10:00', notice: 'Too late' }],
    ]) {
      const res = await fac.postJson(`/api/v1/meetings/${held.id}/${path}`, body);
      assert.equal(res.status, 409, `${path}: ${res.text}`);
      if (['attendance', 'minutes', 'roles', 'actions', 'close'].includes(path))
        assert.match(jsonError(res).message, /30 days after/);
    }
    const m = await meeting(held.id);
    assert.equal(m.minutes_md, 'Original');
    assert.deepEqual(m.attendance, []);
    assert.equal(m.status, 'scheduled');
    const past = await meetingsOf(mem, groupId);
    assert.ok(past.past.some((p) => p.id === held.id));
    const page = await fac.get(`/meetings/${held.id}/attendance`);
    assert.equal(page.status, 200);
    assert.match(page.text, /can no longer be changed/);
    assert.doesNotMatch(page.text, /Save attendance/);
  });

  it('refuses a form without its CSRF token', async () => {
    const next = await nextScheduled();
    const res = await fac.postForm(`/meetings/${next.id}/cancel`, { notice: 'x' }, { csrf: null });
    assert.equal(res.status, 403);
    assert.equal((await meeting(next.id)).status, 'scheduled');
  });

  it('lets coordinators and admins manage any group', async () => {
    const next = await nextScheduled();
    const res = await admin.postJson(`/api/v1/meetings/${next.id}/cancel`, { notice: 'By the coordinator' });
    assert.equal(res.status, 200, res.text);
    assert.equal((await admin.postJson(`/api/v1/meetings/${next.id}/restore`, {})).status, 200);
    const page = await admin.get(`/meetings/${next.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Cancel this meeting/);
  });

  it('lists upcoming meetings on /me', async () => {
    const me = await getJson(mem, '/me');
    assert.ok(me.meetings.length > 0);
    assert.ok(me.meetings.every((m) => m.group_name === 'Tuesday Circle'));
    const theirs = await getJson(out, '/me');
    assert.ok(theirs.meetings.every((m) => m.group_name !== 'Tuesday Circle'));
  });

  it('changes nothing in a closed group (409), which members can still read', async () => {
    const next = await nextScheduled();
    const held = await heldMeeting();
    const res = await admin.postJson(`/api/v1/groups/${groupId}/status`, { status: 'closed' });
    assert.ok(res.status < 300, res.text);
    for (const [path, body] of [
      [`/meetings/${next.id}/cancel`, { notice: 'Closed' }],
      [`/meetings/${held.id}/attendance`, { attendance: [{ person_id: id.mem, status: 'present' }] }],
      [`/meetings/${held.id}/minutes`, { minutes: 'x' }],
      [`/groups/${groupId}/meetings`, { date: localDate(3), start_time: '10:00', end_time: '11:00' }],
    ]) {
      for (const c of [fac, admin]) {
        const r = await c.postJson(`/api/v1${path}`, body);
        assert.equal(r.status, 409, `${path}: ${r.text}`);
        assert.match(jsonError(r).message, /closed/);
      }
    }
    assert.equal((await meeting(held.id)).minutes_md, null);
    const list = await meetingsOf(mem, groupId);
    assert.equal(list.can_manage, false);
    const page = await fac.get(`/meetings/${held.id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /Record attendance/);
  });

  // ---- a large group: the attendance form a page at a time --------------------

  describe('a group of 121: attendance in pages of 20', () => {
    const BUDGET = 30 * 1024;
    let big, held;
    const byName = {};
    const ids = (people) => people.map((p) => p.person_id);
    const rollPage = (query) => getJson(fac, `/meetings/${held.id}/attendance${query}`);

    before(async () => {
      const res = await admin.postJson('/api/v1/groups', {
        name: 'Big Circle', purpose: 'Many people.', format: 'online', online_link: 'https://meet.example.org/big',
        link_visibility: 'members', access: 'open', facilitation: 'peer_led', status: 'active',
      });
      assert.equal(res.status, 201, res.text);
      big = (res.json.group ?? res.json).id;
      assert.ok((await fac.postJson(`/api/v1/groups/${big}/join`, {})).status < 300);
      const role = await admin.postJson(`/api/v1/groups/${big}/members/${id.fac}/role`, { role: 'facilitator' });
      assert.ok(role.status < 300, role.text);
      for (let i = 1; i <= 120; i++) {
        const name = `Rollcall ${String(i).padStart(3, '0')}`;
        const r = await fac.postJson(`/api/v1/groups/${big}/members`, { display_name: name });
        assert.equal(r.status, 201, r.text);
        byName[name] = r.json.member.person_id;
      }
      const m = await fac.postJson(`/api/v1/groups/${big}/meetings`, {
        date: localDate(0), start_time: '00:00', end_time: '00:30', notice: 'Everyone',
      });
      assert.equal(m.status, 201, m.text);
      held = m.json.meeting;
    });

    it('shows the first 20 by name, with the whole count and links to the next page, under 30 KB', async () => {
      const page = await fac.get(`/meetings/${held.id}/attendance`);
      assert.equal(page.status, 200);
      assertPageShape(page.text);
      assert.ok(Buffer.byteLength(page.text) < BUDGET, `${Buffer.byteLength(page.text)} bytes`);
      assert.equal((page.text.match(/<legend class="visually-hidden">Attendance of /g) || []).length, 20);
      assert.match(page.text, /<li>Page 1 of 7<\/li>/);
      assert.match(page.text, new RegExp(`<a href="/meetings/${held.id}/attendance\\?page=2" rel="next">Next page</a>`));
      assert.doesNotMatch(page.text, /rel="prev"/);
      assert.match(page.text, new RegExp(`<form method="post" action="/meetings/${held.id}/attendance\\?page=1"`));
      assert.match(page.text, /<label for="find">Find a member<\/label>/);

      const one = await rollPage('');
      assert.deepEqual({ ...one.paging, prev_path: undefined, next_path: undefined },
        { page: 1, pages: 7, per_page: 20, total: 121, find: '', prev_path: undefined, next_path: undefined });
      assert.equal(one.people[0].display_name, 'Fran');
      assert.deepEqual(one.people.slice(1).map((p) => p.display_name),
        Array.from({ length: 19 }, (_, i) => `Rollcall ${String(i + 1).padStart(3, '0')}`));
      const two = await rollPage('?page=2');
      assert.equal(two.paging.prev_path, `/meetings/${held.id}/attendance?page=1`);
      assert.equal(two.people.length, 20);
      assert.equal(two.people[0].display_name, 'Rollcall 020');
      const last = await rollPage('?page=7');
      assert.equal(last.people.length, 1);
      assert.equal(last.paging.next_path, null);
    });

    it('saving page 2 keeps what page 1 recorded, and shows the counts of the whole meeting', async () => {
      const one = await rollPage('');
      await fac.get(`/meetings/${held.id}/attendance`);
      let res = await fac.postForm(`/meetings/${held.id}/attendance?page=1`,
        Object.fromEntries(ids(one.people).map((p) => [`status_${p}`, 'present'])));
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/meetings/${held.id}/attendance?page=1&attendance=1`);

      const two = await rollPage('?page=2');
      const page2 = await fac.get(`/meetings/${held.id}/attendance?page=2`);
      assert.match(page2.text, /Recorded so far: 20 present \(0 for the first time\), 0 sent apologies, 0 absent\./);
      res = await fac.postForm(`/meetings/${held.id}/attendance?page=2`, {
        ...Object.fromEntries(ids(two.people).map((p) => [`status_${p}`, 'absent'])),
        [`status_${two.people[0].person_id}`]: 'present', [`newcomer_${two.people[0].person_id}`]: '1',
      });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/meetings/${held.id}/attendance?page=2&attendance=1`);
      const back = await fac.get(res.location);
      assert.match(back.text, /<p class="notice" role="status">Attendance is saved\.<\/p>/);
      assert.match(back.text, /Recorded so far: 21 present \(1 for the first time\), 0 sent apologies, 19 absent\./);

      const m = await meeting(held.id);
      assert.deepEqual(m.attendance_summary, { present: 21, apologies: 0, absent: 19, newcomers: 1 });
      const status = Object.fromEntries(m.attendance.map((a) => [a.person_id, a.status]));
      for (const p of one.people)
        assert.equal(status[p.person_id], 'present', `${p.display_name} kept from page 1`);
      for (const p of two.people.slice(1))
        assert.equal(status[p.person_id], 'absent', p.display_name);
      assert.equal(Object.keys(status).length, 40, 'nobody beyond pages 1 and 2 is recorded');
      const again = await rollPage('');
      assert.ok(again.people.every((p) => p.status === 'present'));

      // The meeting's page gives the counts and sends managers to the pages
      // for the names, within the budget; its action form offers owners found by name.
      const view = await fac.get(`/meetings/${held.id}`);
      assert.ok(Buffer.byteLength(view.text) < BUDGET, `${Buffer.byteLength(view.text)} bytes`);
      assert.match(view.text, /21 present \(1 for the first time\), 0 sent apologies, 19 absent/);
      assert.match(view.text, /See who came, by name, on the attendance pages/);
      assert.match(view.text, /shows 25 of 121 people\./);
      const found = await fac.get(`/meetings/${held.id}?owner_find=rollcall+11`);
      const options = [...found.text.matchAll(/<option value="(\d+)">([^<]*)<\/option>/g)].map((o) => o[2]);
      assert.deepEqual(options, Array.from({ length: 10 }, (_, i) => `Rollcall ${110 + i}`));
      assertPageShape(found.text);
    });

    it('finds members by part of their name, in any case, with wildcards taken literally', async () => {
      const found = await rollPage('?find=ROLLCALL%2011');
      assert.equal(found.paging.total, 10);
      assert.equal(found.paging.pages, 1);
      assert.deepEqual(found.people.map((p) => p.display_name), Array.from({ length: 10 }, (_, i) => `Rollcall ${110 + i}`));
      const page = await fac.get(`/meetings/${held.id}/attendance?find=rollcall+11`);
      assert.match(page.text, /10 found whose name holds "rollcall 11"\./);
      assert.match(page.text, /<input id="find" name="find" type="search" maxlength="100" value="rollcall 11"/);
      assert.match(page.text, new RegExp(`action="/meetings/${held.id}/attendance\\?page=1&amp;find=rollcall\\+11"`));
      assert.doesNotMatch(page.text, /rel="next"/);
      for (const literal of ['%', '_', '!', 'Rollcall_0'])
        assert.equal((await rollPage(`?find=${encodeURIComponent(literal)}`)).paging.total, 0, literal);
      assert.equal((await rollPage('?find=')).paging.total, 121);

      // Saving a filtered page changes only those shown, and comes back to it.
      const person = byName['Rollcall 115'];
      await fac.get(`/meetings/${held.id}/attendance?find=rollcall+11`);
      const res = await fac.postForm(`/meetings/${held.id}/attendance?page=1&find=rollcall+11`, { [`status_${person}`]: 'apologies' });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/meetings/${held.id}/attendance?page=1&find=rollcall+11&attendance=1`);
      const m = await meeting(held.id);
      assert.equal(m.attendance.find((a) => a.person_id === person).status, 'apologies');
      assert.equal(m.attendance.length, 41);
    });

    it('records who facilitated and roles a page at a time, keeping the other pages', async () => {
      // Repeated fields ("shown", "facilitator") as a browser sends them.
      const postPairs = (path, pairs) => fac.request('POST', path, {
        body: new URLSearchParams([['csrf', fac.csrf], ...pairs]).toString(),
        type: 'application/x-www-form-urlencoded',
      });
      const page1 = await getJson(fac, `/meetings/${held.id}/roles`);
      assert.deepEqual([page1.paging.page, page1.paging.pages, page1.paging.total, page1.people.length], [1, 7, 121, 20]);
      const page = await fac.get(`/meetings/${held.id}/roles`);
      assert.equal(page.status, 200);
      assertPageShape(page.text);
      assert.ok(Buffer.byteLength(page.text) < BUDGET, `${Buffer.byteLength(page.text)} bytes`);
      assert.equal((page.text.match(/<input type="hidden" name="shown" value="\d+">/g) || []).length, 20);
      assert.match(page.text, new RegExp(`<form class="meeting-roles" method="post" action="/meetings/${held.id}/roles\\?page=1"`));
      assert.match(page.text, /<li>Page 1 of 7<\/li>/);
      const shown1 = page1.people.map((p) => ['shown', p.person_id]);
      const r001 = byName['Rollcall 001'], r020 = byName['Rollcall 020'], r021 = byName['Rollcall 021'];
      let res = await postPairs(`/meetings/${held.id}/roles?page=1`, [...shown1,
        ['facilitator', id.fac], ['facilitated_by_peer', 'yes'], [`role_${r001}`, 'welcomer']]);
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/meetings/${held.id}/roles?page=1&roles=1`);

      const page2 = await getJson(fac, `/meetings/${held.id}/roles?page=2`);
      const shown2 = page2.people.map((p) => ['shown', p.person_id]);
      await fac.get(`/meetings/${held.id}/roles?page=2`);
      res = await postPairs(`/meetings/${held.id}/roles?page=2`, [...shown2,
        ['facilitator', r020], ['facilitator', r021], ['facilitated_by_peer', 'yes'], [`role_${r020}`, 'note-taker']]);
      assert.equal(res.status, 303, res.text);
      let m = await meeting(held.id);
      assert.deepEqual(m.facilitators.map((f) => f.person_id).sort(), [id.fac, r020, r021].sort());
      assert.deepEqual(m.roles.map((r) => `${r.person_id}:${r.role}`).sort(), [`${r001}:welcomer`, `${r020}:note-taker`].sort());
      assert.equal(m.facilitated_by_peer, true);

      // Clearing page 2 leaves page 1 as it was.
      res = await postPairs(`/meetings/${held.id}/roles?page=2`, [...shown2, ['facilitated_by_peer', 'yes']]);
      assert.equal(res.status, 303, res.text);
      m = await meeting(held.id);
      assert.deepEqual(m.facilitators.map((f) => f.person_id), [id.fac]);
      assert.deepEqual(m.roles.map((r) => `${r.person_id}:${r.role}`), [`${r001}:welcomer`]);

      // Someone not on the page is refused, and nothing changes.
      for (const pairs of [[...shown2, ['facilitator', id.fac]], [...shown2, [`role_${r001}`, 'timekeeper']],
        [...shown2, ['shown', 'nobody']]]) {
        res = await postPairs(`/meetings/${held.id}/roles?page=2`, [...pairs, ['facilitated_by_peer', 'no']]);
        assert.equal(res.status, 400, res.text);
      }
      m = await meeting(held.id);
      assert.deepEqual(m.facilitators.map((f) => f.person_id), [id.fac]);
      assert.deepEqual(m.roles.map((r) => `${r.person_id}:${r.role}`), [`${r001}:welcomer`]);
      assert.equal(m.facilitated_by_peer, true);
      assert.equal((await fac.get(`/api/v1/meetings/${held.id}/roles?page=8`)).status, 400);
      // A page where nobody came says so, and finding narrows the list.
      const last = await fac.get(`/meetings/${held.id}/roles?page=7`);
      assert.match(last.text, /No one on this page is recorded as present\./);
      const found = await getJson(fac, `/meetings/${held.id}/roles?find=rollcall+00`);
      assert.equal(found.paging.total, 9);
    });

    it('refuses bad paging with a clear 400, naming the field, and saves nothing', async () => {
      for (const [query, field, re] of [
        ['?page=0', 'page', /whole number from 1/], ['?page=abc', 'page', /whole number from 1/],
        ['?page=-1', 'page', /whole number from 1/], ['?page=8', 'page', /no page 8: the list has 7 pages/],
        ['?find=rollcall+11&page=2', 'page', /no page 2: the list has 1 page\./],
        [`?find=${'x'.repeat(101)}`, 'find', /100 characters/],
      ]) {
        const res = await fac.get(`/api/v1/meetings/${held.id}/attendance${query}`);
        assert.equal(res.status, 400, `${query}: ${res.text}`);
        assert.equal(jsonError(res).field, field, query);
        assert.match(jsonError(res).message, re, query);
        assert.equal((await fac.get(`/meetings/${held.id}/attendance${query}`)).status, 400, query);
      }
      const before = (await meeting(held.id)).attendance_summary;
      const person = byName['Rollcall 120'];
      await fac.get(`/meetings/${held.id}/attendance?page=7`);
      const res = await fac.postForm(`/meetings/${held.id}/attendance?page=zero`, { [`status_${person}`]: 'present' });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual((await meeting(held.id)).attendance_summary, before);
      assert.equal((await fac.get(`/meetings/${held.id}?owner_find=${'y'.repeat(101)}`)).status, 400);
      // Members still may not see the form, paged or not.
      assert.equal((await mem.get(`/meetings/${held.id}/attendance?page=2`)).status, 403);
    });
  });

  itStopsCleanly(() => srv);
});
