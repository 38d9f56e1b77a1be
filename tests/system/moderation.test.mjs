// moderation.test.mjs - safety in conversation (issue 4) over real HTTP, on
// SQLite and on PostgreSQL: anyone who can see a post reports it with a
// reason; reported posts appear in the group's moderation queue (its
// managers) and the network's (coordinators); hide, restore, lock and
// unlock are reversible, need a reason and are recorded with who, when and
// why; a hidden post reads "This post was hidden by the group's
// facilitators" to members; a locked thread refuses replies with 409.
// Refusals change nothing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, itStopsCleanly } from './lib/server.mjs';
import { assertPageShape, jsonApi, signInCast, castGroup } from './lib/fixtures.mjs';

describe('moderation', () => {
  let srv, admin, fac, mem, mem2, out;
  const id = {};
  let groupId;

  const api = jsonApi(() => srv);
  const { post, ok, refused } = api;
  const start = async (title, c = mem) =>
    (await ok(post(c, `/groups/${groupId}/posts`, { title, body: `Body of ${title}` }), 201)).thread;
  const thread = (pid, c = mem) => ok(c.get(`/api/v1/posts/${pid}`));
  const queue = (c = fac) => ok(c.get(`/api/v1/groups/${groupId}/moderation`));

  before(async () => {
    srv = await startServer();
    const cast = await signInCast(srv);
    ({ admin, fac, mem, mem2, out } = cast);
    Object.assign(id, cast.id);
    groupId = await castGroup(api, cast, 'Safe Circle');
  });
  after(() => srv?.stop());

  it('takes a report with a reason into the group queue and the network queue, without the reporter', async () => {
    const t = await start('Reported thread');
    const rep = await ok(post(mem2, `/posts/${t.id}/report`, { reason: 'It names someone outside the group.' }), 201);
    assert.equal(rep.report.state, 'open');
    const q = await queue();
    const row = q.reports.find((r) => r.post.id === t.id);
    assert.equal(row.reason, 'It names someone outside the group.');
    assert.doesNotMatch(JSON.stringify(q), /Kit/);
    const nq = await ok(admin.get('/api/v1/moderation'));
    assert.ok(nq.reports.some((r) => r.post.id === t.id && r.group.name === 'Safe Circle'));
    assertPageShape((await fac.get(`/groups/${groupId}/moderation`)).text);
    assertPageShape((await admin.get('/moderation')).text);
  });

  it('refuses reports without a reason (422) or from someone who cannot see the post (403)', async () => {
    const t = await start('Another');
    assert.equal((await refused(post(mem2, `/posts/${t.id}/report`, { reason: ' ' }), 422)).field, 'reason');
    assert.equal((await refused(post(mem2, `/posts/${t.id}/report`, { reason: 'r'.repeat(501) }), 422)).field, 'reason');
    await refused(post(out, `/posts/${t.id}/report`, { reason: 'x' }), 403);
    assert.ok(!(await queue()).reports.some((r) => r.post.id === t.id));
  });

  it('hides and restores a post with reasons, recorded with who and why, and closes its reports', async () => {
    const t = await start('To hide');
    const reply = (await ok(post(mem2, `/posts/${t.id}/replies`, { body: 'A hurtful reply' }), 201)).reply;
    await ok(post(mem, `/posts/${reply.id}/report`, { reason: 'Hurtful' }), 201);
    await refused(post(fac, `/posts/${reply.id}/moderate`, { action: 'hide', reason: '' }), 422);
    assert.equal((await thread(t.id)).replies[0].is_hidden, false);
    const h = await ok(post(fac, `/posts/${reply.id}/moderate`, { action: 'hide', reason: 'Against our ground rules' }));
    assert.equal(h.post.is_hidden, true);
    const seen = await thread(t.id);
    assert.equal(seen.replies[0].is_hidden, true);
    assert.equal(seen.replies[0].body_md, null);
    const html = (await mem.get(`/posts/${t.id}`)).text;
    assert.match(html, /This post was hidden by the group(&#39;|'|&#x27;)s facilitators/);
    assert.doesNotMatch(html, /A hurtful reply/);
    assert.equal((await thread(t.id, fac)).replies[0].body_md, 'A hurtful reply');
    const q = await queue();
    assert.ok(!q.reports.some((r) => r.post.id === reply.id), 'the report is closed');
    const entry = q.log.find((l) => l.post_id === reply.id);
    assert.equal(entry.action, 'hide');
    assert.equal(entry.by, 'Fran');
    assert.equal(entry.reason, 'Against our ground rules');
    assert.match(entry.at, /^\d{4}-\d\d-\d\dT/);
    await refused(post(fac, `/posts/${reply.id}/moderate`, { action: 'hide', reason: 'again' }), 409);
    await ok(post(fac, `/posts/${reply.id}/moderate`, { action: 'restore', reason: 'Talked it through' }));
    assert.equal((await thread(t.id)).replies[0].body_md, 'A hurtful reply');
    assert.equal((await queue()).log.filter((l) => l.post_id === reply.id).length, 2);
  });

  it('locks a thread (replies 409) and unlocks it', async () => {
    const t = await start('Heated');
    await ok(post(fac, `/posts/${t.id}/moderate`, { action: 'lock', reason: 'Cooling off' }));
    await refused(post(mem, `/posts/${t.id}/replies`, { body: 'More' }), 409, /locked/);
    assert.equal((await thread(t.id)).replies.length, 0);
    assert.equal((await thread(t.id)).can.reply, false);
    await ok(post(fac, `/posts/${t.id}/moderate`, { action: 'unlock', reason: 'Calmer now' }));
    await ok(post(mem, `/posts/${t.id}/replies`, { body: 'More' }), 201);
  });

  it('refuses moderation by non-managers (403) and network queue to non-coordinators', async () => {
    const t = await start('Not yours');
    await refused(post(mem, `/posts/${t.id}/moderate`, { action: 'hide', reason: 'I dislike it' }), 403);
    await refused(post(out, `/posts/${t.id}/moderate`, { action: 'hide', reason: 'x' }), 403);
    await refused(mem.get(`/api/v1/groups/${groupId}/moderation`), 403);
    await refused(fac.get('/api/v1/moderation'), 403);
    assert.equal((await thread(t.id)).thread.is_hidden, false);
    await refused(post(fac, `/posts/${t.id}/moderate`, { action: 'delete', reason: 'x' }), 422);
  });

  it('lets a coordinator moderate any group', async () => {
    const t = await start('Coordinator case');
    await ok(post(admin, `/posts/${t.id}/moderate`, { action: 'hide', reason: 'Safeguarding' }));
    assert.equal((await thread(t.id)).thread.is_hidden, true);
  });

  itStopsCleanly(() => srv);
});
