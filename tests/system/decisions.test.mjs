// decisions.test.mjs - a group's decisions (capability C4) over real HTTP,
// on SQLite and on PostgreSQL: opening each of the four kinds, voting
// (again replaces; after closing 409; a block without a reason where
// required 422; answers and marks out of range 422), hidden results,
// anonymous ballots that no page or API links to a person, closing early
// and lazily at the closing time, the outcome with a review date, the list
// of decisions due for review, the HTML pages and forms, and refusals for
// people without the right.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, logIn, account, jsonError, ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { addUser, sql } from './lib/fixtures.mjs';

async function createGroup(admin, name) {
  const res = await admin.postJson('/api/v1/groups', {
    name, purpose: 'To meet and support each other.', format: 'online', access: 'open', status: 'active',
  });
  assert.equal(res.status, 201, res.text);
  return res.json.group.id;
}

const expectStatus = (res, status) => assert.equal(res.status, status, `${res.status} ${res.text.slice(0, 300)}`);
const LATER = '2099-01-01T10:00';

describe('decisions', () => {
  let srv, admin, fac, m1, m2, outsider, anon, gid, closedGid;
  const id = {};

  before(async () => {
    srv = await startServer();
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    anon = srv.client();
    const clients = {};
    for (const who of ['fac', 'm1', 'm2', 'outsider']) {
      const email = await addUser(srv, who);
      clients[who] = srv.client();
      await logIn(clients[who], email);
      id[who] = (await account(clients[who])).id;
    }
    ({ fac, m1, m2, outsider } = clients);
    gid = await createGroup(admin, 'Deciders');
    closedGid = await createGroup(admin, 'Closed Deciders');
    for (const c of [fac, m1, m2])
      for (const g of [gid, closedGid])
        expectStatus(await c.postJson(`/api/v1/groups/${g}/join`, {}), 201);
    expectStatus(await admin.postJson(`/api/v1/groups/${gid}/members/${id.fac}/role`, { role: 'facilitator' }), 200);
  });
  after(() => srv?.stop());

  const open = (c, body, g = gid) => c.postJson(`/api/v1/groups/${g}/decisions`, { closes_at: LATER, ...body });
  const opened = async (c, body) => {
    const res = await open(c, body);
    expectStatus(res, 201);
    return res.json.decision.id;
  };
  const show = async (c, did) => {
    const res = await c.get(`/api/v1/decisions/${did}`);
    expectStatus(res, 200);
    return res.json;
  };
  const vote = (c, did, body) => c.postJson(`/api/v1/decisions/${did}/vote`, body);

  it('runs a proposal: votes, a replaced vote, a block needing a reason, close and outcome', async () => {
    const did = await opened(m1, { kind: 'proposal', title: 'Meet fortnightly', description: 'Less *often*.' });
    expectStatus(await vote(m1, did, { answer: 'agree' }), 200);
    expectStatus(await vote(m2, did, { answer: 'disagree', reason: 'Too rare' }), 200);
    // a block without a reason where required: 422, nothing changes
    const block = await vote(fac, did, { answer: 'block' });
    expectStatus(block, 422);
    assert.equal(jsonError(block).field, 'reason');
    expectStatus(await vote(fac, did, { answer: 'maybe' }), 422);
    let d = await show(m1, did);
    assert.equal(d.tally.voters, 2);
    // voting again replaces
    expectStatus(await vote(m2, did, { answer: 'agree', reason: 'Changed my mind' }), 200);
    d = await show(m2, did);
    assert.equal(d.tally.voters, 2);
    assert.equal(d.tally.rows.find((r) => r.answer === 'agree').count, 2);
    assert.equal(d.tally.rows.find((r) => r.answer === 'disagree').count, 0);
    assert.equal(d.my_vote.answer, 'agree');
    assert.deepEqual(d.tally.reasons, [{ answer: 'Agree', reason: 'Changed my mind', voter: 'm2' }]);
    // only the opener or a manager closes; the outcome waits for closing
    expectStatus(await m2.postJson(`/api/v1/decisions/${did}/close`, {}), 403);
    expectStatus(await m1.postJson(`/api/v1/decisions/${did}/outcome`, { outcome: 'Early' }), 409);
    expectStatus(await m1.postJson(`/api/v1/decisions/${did}/close`, {}), 200);
    expectStatus(await m1.postJson(`/api/v1/decisions/${did}/close`, {}), 409);
    expectStatus(await m1.postJson(`/api/v1/decisions/${did}/vote`, { answer: 'agree' }), 409);
    const badDate = await fac.postJson(`/api/v1/decisions/${did}/outcome`, { outcome: 'We meet fortnightly.', review_date: '2027-02-30' });
    expectStatus(badDate, 422);
    expectStatus(await fac.postJson(`/api/v1/decisions/${did}/outcome`, { outcome: '' }), 422);
    expectStatus(await fac.postJson(`/api/v1/decisions/${did}/outcome`, { outcome: 'We meet fortnightly.', review_date: '2020-01-01' }), 200);
    d = await show(m1, did);
    assert.equal(d.decision.is_closed, true);
    assert.equal(d.decision.outcome, 'We meet fortnightly.');
    assert.equal(d.decision.due_for_review, true);
    const list = (await m1.get(`/api/v1/groups/${gid}/decisions`)).json;
    assert.ok(list.due_for_review.some((x) => x.id === did));
    assert.ok(list.closed.some((x) => x.id === did));
  });

  it('runs a sense check with hidden results until it closes', async () => {
    const did = await opened(fac, { kind: 'sense_check', title: 'New venue?', hide_results: true });
    expectStatus(await vote(m1, did, { answer: 'happy' }), 200);
    expectStatus(await vote(m2, did, { answer: 'cant', reason: 'Stairs' }), 200);
    let d = await show(fac, did);
    assert.equal(d.tally.hidden, true);
    assert.equal(d.tally.voters, 2);
    assert.deepEqual(d.tally.rows, []);
    assert.deepEqual(d.tally.reasons, []);
    expectStatus(await fac.postJson(`/api/v1/decisions/${did}/close`, {}), 200);
    d = await show(m1, did);
    assert.equal(d.tally.hidden, false);
    assert.deepEqual(d.tally.rows.map((r) => r.count), [1, 0, 1]);
  });

  it('runs a time poll and a dot vote, refusing marks out of range', async () => {
    const poll = await opened(m1, { kind: 'time_poll', title: 'When?', options: ['2027-03-01T18:00', '2027-03-02T18:00'] });
    expectStatus(await open(m1, { kind: 'time_poll', title: 'Bad', options: ['tomorrow', '2027-03-02T18:00'] }), 422);
    expectStatus(await open(m1, { kind: 'time_poll', title: 'One', options: ['2027-03-02T18:00'] }), 422);
    expectStatus(await vote(m1, poll, { marks: ['yes', 'if_need_be'] }), 200);
    expectStatus(await vote(m2, poll, { marks: ['no', 'yes'] }), 200);
    expectStatus(await vote(m2, poll, { marks: ['yes'] }), 422);
    expectStatus(await vote(m2, poll, { marks: ['yes', 'perhaps'] }), 422);
    const p = await show(m1, poll);
    assert.deepEqual(p.tally.rows.map((r) => [r.yes, r.if_need_be, r.no]), [[1, 0, 1], [1, 1, 0]]);
    assert.equal(p.tally.rows[1].leading, true);

    const dots = await opened(m2, { kind: 'dot_vote', title: 'Outing', options: ['Park', 'Museum', 'Beach'], dots: 3 });
    expectStatus(await vote(m1, dots, { marks: [2, 0, 1] }), 200);
    const many = await vote(m2, dots, { marks: [2, 2, 0] });
    expectStatus(many, 422);
    assert.equal(jsonError(many).field, 'marks');
    expectStatus(await vote(m2, dots, { marks: [0, -1, 0] }), 422);
    expectStatus(await vote(m2, dots, { marks: [0, 3, 0] }), 200);
    const t = (await show(m1, dots)).tally;
    assert.deepEqual(t.rows.map((r) => r.dots), [2, 3, 1]);
  });

  it('never links an anonymous ballot to a person, and closes lazily at its time', async () => {
    const did = await opened(m1, { kind: 'proposal', title: 'Secret', anonymous: true });
    expectStatus(await vote(m1, did, { answer: 'disagree', reason: 'Not now' }), 200);
    expectStatus(await vote(m2, did, { answer: 'agree' }), 200);
    expectStatus(await vote(m2, did, { answer: 'abstain' }), 200);
    const d = await show(admin, did);
    assert.equal(d.tally.voters, 2);
    assert.deepEqual(d.tally.reasons, [{ answer: 'Disagree', reason: 'Not now', voter: null }]);
    assert.equal((await show(m2, did)).my_vote.answer, 'abstain');
    const stored = await sql(srv, `SELECT voter, person_id, cast_at FROM decision_ballot WHERE decision_id = ${did}`);
    assert.ok(!stored.includes(String(id.m1)) && !stored.includes(String(id.m2)));
    // time passes: the next read closes it and deletes the key
    await sql(srv, `UPDATE decision SET closes_at = ${Date.now() - 1000} WHERE id = ${did}`);
    const closed = await show(m1, did);
    assert.equal(closed.decision.is_closed, true);
    assert.equal(closed.my_vote, null);
    assert.equal((await sql(srv, `SELECT COUNT(*) FROM decision WHERE id = ${did} AND voter_key IS NULL`)).trim(), '1');
    expectStatus(await vote(m1, did, { answer: 'agree' }), 409);
    const page = await admin.get(`/decisions/${did}`);
    assert.ok(!/\bm1\b|\bm2\b/.test(page.text.replace(/Opened by<\/dt><dd>m1/, '')));
  });

  it('refuses bad input when opening, and changes nothing', async () => {
    const before = (await m1.get(`/api/v1/groups/${gid}/decisions`)).json.open.length;
    for (const body of [
      { kind: 'vote', title: 'x' },
      { kind: 'proposal', title: '' },
      { kind: 'proposal', title: 'x'.repeat(201) },
      { kind: 'proposal', title: 'Past', closes_at: '2020-01-01T10:00' },
      { kind: 'proposal', title: 'When', closes_at: 'soon' },
      { kind: 'proposal', title: 'Options', options: ['a', 'b'] },
      { kind: 'dot_vote', title: 'Dots', options: ['a', 'b'], dots: 0 },
      { kind: 'dot_vote', title: 'Same', options: ['a', 'a'] },
    ])
      expectStatus(await open(m1, body), 422);
    expectStatus(await open(m1, { kind: 'proposal', title: 'x', colour: 'red' }), 400);
    assert.equal((await m1.get(`/api/v1/groups/${gid}/decisions`)).json.open.length, before);
  });

  it('is for members and managers only; a closed group changes nothing', async () => {
    const did = await opened(m1, { kind: 'proposal', title: 'Members only' });
    expectStatus(await anon.get(`/api/v1/groups/${gid}/decisions`), 401);
    expectStatus(await outsider.get(`/api/v1/groups/${gid}/decisions`), 403);
    expectStatus(await outsider.get(`/api/v1/decisions/${did}`), 403);
    expectStatus(await vote(outsider, did, { answer: 'agree' }), 403);
    expectStatus(await open(outsider, { kind: 'proposal', title: 'Nope' }), 403);
    expectStatus(await anon.get(`/api/v1/decisions/999`), 401);
    expectStatus(await m1.get(`/api/v1/decisions/999`), 404);
    const inClosed = (await open(m1, { kind: 'proposal', title: 'Before' }, closedGid)).json.decision.id;
    expectStatus(await admin.postJson(`/api/v1/groups/${closedGid}/status`, { status: 'closed' }), 200);
    expectStatus(await open(m1, { kind: 'proposal', title: 'After' }, closedGid), 409);
    expectStatus(await vote(m1, inClosed, { answer: 'agree' }), 409);
    expectStatus(await m1.postJson(`/api/v1/decisions/${inClosed}/close`, {}), 409);
  });

  it('works in the browser without JavaScript, with errors tied to fields', async () => {
    const list = await m1.get(`/groups/${gid}/decisions`);
    expectStatus(list, 200);
    assert.equal((list.text.match(/<h1>/g) ?? []).length, 1);
    assert.match(list.text, /<legend>Kind of decision<\/legend>/);
    assert.match(list.text, /<label for="title">/);
    assert.match(list.text, /name="csrf"/);
    assert.match((await m1.get(`/groups/${gid}`)).text, new RegExp(`href="/groups/${gid}/decisions"`));
    const bad = await m1.postForm(`/groups/${gid}/decisions`, { kind: 'proposal', title: '', closes_at: LATER, block_needs_reason: '1' });
    expectStatus(bad, 422);
    assert.match(bad.text, /id="title-error"/);
    assert.match(bad.text, /aria-invalid="true"/);
    const good = await m1.postForm(`/groups/${gid}/decisions`,
      { kind: 'time_poll', title: 'Pick <b>a</b> date', options: '2027-04-01T18:00\n2027-04-08T18:00', closes_at: LATER });
    expectStatus(good, 303);
    const did = good.location.match(/\/decisions\/(\d+)\?opened=1/)[1];
    const page = await m1.get(`/decisions/${did}`);
    expectStatus(page, 200);
    assert.match(page.text, /Pick &lt;b&gt;a&lt;\/b&gt; date/);
    assert.match(page.text, /<legend>2027-04-01T18:00<\/legend>/);
    assert.equal((page.text.match(/<h1>/g) ?? []).length, 1);
    const voted = await m1.postForm(`/decisions/${did}/vote`, { option1: 'yes', option2: 'no' });
    expectStatus(voted, 303);
    const badVote = await m1.postForm(`/decisions/${did}/vote`, { option1: 'yes' });
    expectStatus(badVote, 422);
    assert.match(badVote.text, /id="marks-error"/);
    const prop = await opened(m1, { kind: 'proposal', title: 'Form proposal' });
    await m2.get(`/decisions/${prop}`);
    const blk = await m2.postForm(`/decisions/${prop}/vote`, { answer: 'block', reason: '' });
    expectStatus(blk, 422);
    assert.match(blk.text, /id="reason-error"/);
    await m1.get(`/decisions/${prop}`);
    expectStatus(await m1.postForm(`/decisions/${prop}/close`, {}), 303);
    expectStatus(await m1.postForm(`/decisions/${prop}/outcome`, { outcome: 'Agreed.', review_date: '' }), 303);
    assert.match((await m1.get(`/decisions/${prop}`)).text, /Agreed\./);
  });

  itStopsCleanly(() => srv);
});
