// posts.test.mjs - a group's conversation (issue 4, clear communication)
// over real HTTP, on SQLite and on PostgreSQL: the stream (announcements
// pinned on top, threads by latest activity, shared minutes), threads of
// three kinds, Markdown replies shown safely, no status hierarchy in
// replies, muting per person, and every refusal: empty or oversized text
// 422, a plain member's announcement 403, a non-member 403, anonymous 401
// (or the login page), a closed group 409. Refusals change nothing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, itStopsCleanly } from './lib/server.mjs';
import { assertPageShape, jsonApi, signInCast, castGroup } from './lib/fixtures.mjs';

describe('group conversation', () => {
  let srv, admin, fac, mem, mem2, out, anon;
  const id = {};
  let groupId, closedId;

  const api = jsonApi(() => srv);
  const { post, ok, refused } = api;
  const stream = (c = mem, gid = groupId) => ok(c.get(`/api/v1/groups/${gid}/stream`));
  const thread = (pid, c = mem) => ok(c.get(`/api/v1/posts/${pid}`));
  const start = async (body, c = mem, gid = groupId) => (await ok(post(c, `/groups/${gid}/posts`, body), 201)).thread;

  before(async () => {
    srv = await startServer();
    const cast = await signInCast(srv);
    ({ admin, fac, mem, mem2, out, anon } = cast);
    Object.assign(id, cast.id);
    groupId = await castGroup(api, cast, 'Talking Circle');
    closedId = await castGroup(api, cast, 'Old Circle', { facilitator: false });
  });
  after(() => srv?.stop());

  it('lets a member start threads of each kind, newest activity first', async () => {
    const d = await start({ kind: 'discussion', title: 'Sleep', body: 'How do you all *sleep*?' });
    const o = await start({ kind: 'offer', title: 'Lifts on Tuesdays', body: 'I can drive two people.' }, mem2);
    const a = await start({ kind: 'ask', title: 'Walk with me?', body: 'Can anyone walk with me to the venue?' });
    assert.equal(typeof d.id, 'string');
    assert.equal(d.kind, 'discussion');
    assert.equal(o.kind_text, 'Offer of help');
    assert.equal(a.kind_text, 'Ask for help');
    assert.equal(d.author.display_name, 'Mo');
    assert.match(d.body_html, /<em>sleep<\/em>/);
    const s = await stream(mem2);
    const titles = s.threads.map((t) => t.title);
    assert.deepEqual(titles.slice(0, 3), ['Walk with me?', 'Lifts on Tuesdays', 'Sleep']);
    assert.equal(s.can.announce, false);
  });

  it('pins announcements by managers on top, and refuses them from plain members with 403', async () => {
    const before = (await stream()).threads.length;
    await refused(post(mem, `/groups/${groupId}/posts`, { kind: 'announcement', title: 'Hi', body: 'x' }), 403);
    assert.equal((await stream()).threads.length, before);
    const ann = await start({ kind: 'announcement', title: 'New venue', body: 'We move to the library.' }, fac);
    assert.equal(ann.is_announcement, true);
    await start({ title: 'Later thread', body: 'Newer than the announcement.' });
    const s = await stream();
    assert.equal(s.announcements[0].id, ann.id);
    assert.ok(!s.threads.some((t) => t.id === ann.id));
    const html = (await mem.get(`/groups/${groupId}/stream`)).text;
    assert.ok(html.indexOf('New venue') < html.indexOf('Later thread'));
    assert.match(html, /<strong>Announcement<\/strong>/);
    assertPageShape(html);
  });

  it('refuses empty and oversized text with 422 naming the field, and changes nothing', async () => {
    const before = (await stream()).threads.length;
    assert.equal((await refused(post(mem, `/groups/${groupId}/posts`, { title: '', body: 'x' }), 422)).field, 'title');
    assert.equal((await refused(post(mem, `/groups/${groupId}/posts`, { title: 'x', body: '  ' }), 422)).field, 'body');
    assert.equal((await refused(post(mem, `/groups/${groupId}/posts`, { title: 'x'.repeat(121), body: 'y' }), 422)).field, 'title');
    assert.equal((await refused(post(mem, `/groups/${groupId}/posts`, { title: 'x', body: 'y'.repeat(10001) }), 422)).field, 'body');
    assert.equal((await refused(post(mem, `/groups/${groupId}/posts`, { kind: 'rant', title: 'x', body: 'y' }), 422)).field, 'kind');
    assert.equal((await stream()).threads.length, before);
    const t = await start({ title: 'Replies', body: 'Go on.' });
    assert.equal((await refused(post(mem, `/posts/${t.id}/replies`, { body: '' }), 422)).field, 'body');
    assert.equal((await refused(post(mem, `/posts/${t.id}/replies`, { body: 'z'.repeat(5001) }), 422)).field, 'body');
    assert.equal((await thread(t.id)).replies.length, 0);
  });

  it('shows a facilitator reply exactly like a member reply, and raw HTML as text', async () => {
    const t = await start({ title: 'Equal voices', body: 'Hello' });
    const r1 = (await ok(post(fac, `/posts/${t.id}/replies`, { body: 'From **Fran**' }), 201)).reply;
    const r2 = (await ok(post(mem2, `/posts/${t.id}/replies`, { body: '<script>alert(1)</script> and [x](javascript:alert(1))' }), 201)).reply;
    assert.deepEqual(Object.keys(r1).sort(), Object.keys(r2).sort());
    assert.doesNotMatch(JSON.stringify(r1), /facilitator/i);
    const html = (await mem.get(`/posts/${t.id}`)).text;
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /href="javascript:/);
    assert.match(html, /<strong>Fran<\/strong>/);
    assertPageShape(html);
    const th = await thread(t.id);
    assert.equal(th.replies.length, 2);
    assert.equal(th.thread.reply_count, 2);
    // the thread's replies come through the reply's id too
    assert.equal((await thread(r1.id)).thread.id, t.id);
  });

  it('takes HTML forms with 303 and shows a refused form again with the error tied to its field', async () => {
    await mem.get(`/groups/${groupId}/stream`);
    const res = await mem.postForm(`/groups/${groupId}/posts`, { kind: 'ask', title: 'Form thread', body: 'By form.' });
    assert.equal(res.status, 303, res.text);
    assert.match(res.location, /^\/posts\/\d+$/);
    const bad = await mem.postForm(`/groups/${groupId}/posts`, { kind: 'ask', title: '', body: 'Kept' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /aria-invalid="true"/);
    assert.match(bad.text, /id="title-error"/);
    assert.match(bad.text, />Kept<\/textarea>/);
    assertPageShape(bad.text);
  });

  it('mutes a thread for one person only, collapsed in their stream', async () => {
    const t = await start({ title: 'Noisy', body: 'Lots of replies.' });
    const m = await ok(post(mem2, `/posts/${t.id}/mute`));
    assert.equal(m.thread.is_muted, true);
    await ok(post(mem2, `/posts/${t.id}/mute`));   // again: no change
    assert.equal((await stream(mem2)).threads.find((x) => x.id === t.id).is_muted, true);
    assert.equal((await stream(mem)).threads.find((x) => x.id === t.id).is_muted, false);
    const html = (await mem2.get(`/groups/${groupId}/stream`)).text;
    assert.match(html, /<summary>Muted: Noisy/);
    await ok(post(mem2, `/posts/${t.id}/unmute`));
    assert.equal((await stream(mem2)).threads.find((x) => x.id === t.id).is_muted, false);
  });

  it('lists the group\'s minuted meetings in the stream', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const mid = (await ok(post(admin, `/groups/${groupId}/meetings`, { date: today, start_time: '00:00', end_time: '00:30' }), 201)).meeting.id;
    await ok(post(fac, `/meetings/${mid}/minutes`, { minutes: 'We talked about sleep.' }));
    const s = await stream();
    assert.ok(s.minutes.some((m) => m.meeting_id === mid && m.path === `/meetings/${mid}/minutes`));
  });

  it('refuses non-members (403), anonymous callers (401 or the login page)', async () => {
    const t = await start({ title: 'Private', body: 'Members only.' });
    await refused(out.get(`/api/v1/groups/${groupId}/stream`), 403);
    await refused(out.get(`/api/v1/posts/${t.id}`), 403);
    await refused(post(out, `/groups/${groupId}/posts`, { title: 'x', body: 'y' }), 403);
    await refused(post(out, `/posts/${t.id}/replies`, { body: 'y' }), 403);
    assert.equal((await anon.get(`/api/v1/groups/${groupId}/stream`)).status, 401);
    const page = await anon.get(`/groups/${groupId}/stream`);
    assert.equal(page.status, 303);
    assert.match(page.location, /^\/login/);
    assert.equal((await thread(t.id)).replies.length, 0);
  });

  it('links the conversation from the group page for members', async () => {
    const html = (await mem.get(`/groups/${groupId}`)).text;
    assert.match(html, new RegExp(`href="/groups/${groupId}/stream">Conversation<`));
  });

  it('refuses writing in a closed group with 409 but still lets members read', async () => {
    const t = await start({ title: 'Before closing', body: 'x' }, mem, closedId);
    await ok(post(admin, `/groups/${closedId}/status`, { status: 'closed' }));
    await refused(post(mem, `/groups/${closedId}/posts`, { title: 'x', body: 'y' }), 409);
    await refused(post(mem, `/posts/${t.id}/replies`, { body: 'y' }), 409);
    const s = await stream(mem, closedId);
    assert.equal(s.can.post, false);
    assert.equal((await thread(t.id)).replies.length, 0);
  });

  itStopsCleanly(() => srv);
});
