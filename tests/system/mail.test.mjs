// mail.test.mjs - email end to end, on SQLite and PostgreSQL: how a person
// chooses to hear (page and API, with a 422 naming the field for a choice
// that does not exist), an email for every post arriving at an SMTP sink
// on loopback with its plain and HTML parts and the RFC 8058 unsubscribe
// headers, never to the author, the unsubscribe link (GET changes nothing,
// the one-click POST stops further mail, a forged token is refused), a
// daily digest grouping posts by thread, a relay that refuses (451, then
// 550) and then accepts, with the failures in the server log naming only
// the outbox id and the reply code, and a network with no relay, where
// nothing is queued at all.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, uniqueEmail, logIn, account, hearth, jsonError, sleep, writeConfig,
  ADMIN_EMAIL, ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { startSmtpSink, decodeHeader, unsubscribeToken } from './lib/smtp_sink.mjs';

const PUBLIC_URL = 'https://hearth.example.org';

/** The outbox by status, from `hearth mail status`. */
async function outbox(srv) {
  const r = await hearth([...(srv.configFile ? ['--config', srv.configFile] : []),
    '--database', srv.database.url, 'mail', 'status']);
  assert.equal(r.code, 0, r.stderr);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => {
    const [k, v] = l.split(' ');
    return [k, Number(v)];
  }));
}

/** Waits until nothing is pending in the outbox. */
async function outboxSettled(srv) {
  for (let i = 0; i < 300; i++) {
    const o = await outbox(srv);
    if (o.pending === 0)
      return o;
    await sleep(50);
  }
  assert.fail('the outbox did not empty');
}

describe('email', () => {
  let sink;
  let srv;
  const who = {};
  const people = ['ash', 'bo', 'cy', 'di', 'ed'];
  let gid;

  before(async () => {
    sink = await startSmtpSink();
    for (const p of people)
      who[p] = { email: uniqueEmail(p), name: p === 'ash' ? 'Ash Zoë' : p[0].toUpperCase() + p.slice(1) };
    srv = await startServer({
      config: {
        network: { name: 'Hearth Tests' },
        mail: {
          smtp_url: sink.url, smtp_from: 'hearth@example.org', public_url: PUBLIC_URL,
          poll_ms: 100, retry_base_ms: 200, max_attempts: 5,
        },
      },
      users: people.map((p) => ({ email: who[p].email, name: who[p].name })),
    });
    const admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    const g = await admin.postJson('/api/v1/groups', {
      name: 'Café Walkers', purpose: 'To walk and talk.', format: 'online', access: 'open', status: 'active',
    });
    assert.equal(g.status, 201, g.text);
    gid = g.json.group.id;
    for (const p of people) {
      who[p].c = srv.client();
      await logIn(who[p].c, who[p].email);
      who[p].id = (await account(who[p].c)).id;
      const j = await who[p].c.postJson(`/api/v1/groups/${gid}/join`, {});
      assert.equal(j.status, 201, j.text);
    }
  });
  after(async () => {
    await srv?.stop();
    await sink?.close();
  });

  const choose = async (p, choice, extra = {}) => {
    const res = await who[p].c.postJson('/api/v1/account/notifications', { choice, ...extra });
    assert.equal(res.status, 200, res.text);
    return res.json.notifications;
  };
  const post = async (p, title, body = 'Shall we meet at the café? ☕') => {
    const res = await who[p].c.postJson(`/api/v1/groups/${gid}/posts`, { kind: 'discussion', title, body });
    assert.equal(res.status, 201, res.text);
    return res.json.thread.id;
  };

  it('sends nothing until a person chooses, and says so', async () => {
    const res = await who.ash.c.get('/api/v1/account/notifications');
    assert.equal(res.status, 200, res.text);
    const n = res.json.notifications;
    assert.equal(n.choice, 'none');
    assert.equal(n.chosen, false);
    assert.equal(n.email_on, true);
    assert.deepEqual(n.groups.map((g) => [g.name, g.choice]), [['Café Walkers', 'default']]);
    const page = await who.ash.c.get('/account/notifications');
    assert.equal(page.status, 200);
    assert.match(page.text, /Nothing is sent until you choose/);
    assert.match(page.text, /name="choice" value="every"/);
    const acct = await who.ash.c.get('/account');
    assert.match(acct.text, /href="\/account\/notifications"/);
  });

  it('refuses a choice that does not exist (422 naming the field), changing nothing', async () => {
    const res = await who.ash.c.postJson('/api/v1/account/notifications', { choice: 'hourly' });
    assert.equal(res.status, 422);
    assert.equal(jsonError(res).field, 'choice');
    const other = await who.ash.c.postJson('/api/v1/account/notifications', { choice: 'every', colour: 'red' });
    assert.equal(other.status, 400);
    const form = await who.ash.c.postForm('/account/notifications', { choice: 'sometimes' });
    assert.equal(form.status, 422);
    assert.match(form.text, /Choose every post, a daily digest, a weekly digest or nothing/);
    const now = (await who.ash.c.get('/api/v1/account/notifications')).json.notifications;
    assert.equal(now.chosen, false);
  });

  it('emails every post to those who chose it, never to its author', async () => {
    await choose('ash', 'every');
    // Bo chooses nothing for all groups but every post in this one, from the page's form
    await who.bo.c.get('/account/notifications');
    const f = await who.bo.c.postForm('/account/notifications', { choice: 'every', group_id: gid });
    assert.equal(f.status, 303);
    assert.equal(f.location, '/account/notifications?saved=1');
    await choose('cy', 'every');
    const title = `Saturday walk ${Date.now()}`;
    const tid = await post('cy', title);

    const m = await sink.waitFor((x) => x.to.includes(who.ash.email), 'the post for Ash');
    assert.equal(m.from, 'hearth@example.org');
    assert.equal(decodeHeader(m.headers.subject), `[Café Walkers] ${title}`);
    assert.match(m.headers.from, /<hearth@example\.org>$/);
    assert.match(decodeHeader(m.headers.to), new RegExp(`^Ash Zoë <${who.ash.email}>$`));
    assert.match(m.headers['content-type'], /^multipart\/alternative; boundary=/);
    assert.ok(m.headers['message-id'] && m.headers.date);
    const unsub = /^<(https:\/\/hearth\.example\.org\/unsubscribe\?t=[0-9]+\.[0-9a-f]{64})>$/.exec(m.headers['list-unsubscribe']);
    assert.ok(unsub, m.headers['list-unsubscribe']);
    assert.equal(m.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    assert.match(m.parts['text/plain'], /Shall we meet at the café\? ☕/);
    assert.match(m.parts['text/plain'], new RegExp(`${PUBLIC_URL}/posts/${tid}`));
    assert.match(m.parts['text/html'], /<p>Shall we meet at the café\? ☕<\/p>/);
    assert.match(m.parts['text/html'], /Stop all email from us/);
    await sink.waitFor((x) => x.to.includes(who.bo.email), 'the post for Bo (by the group choice)');
    await outboxSettled(srv);
    assert.equal(sink.to(who.cy.email).length, 0, 'the author hears nothing of their own post');
    assert.equal(sink.to(who.di.email).length, 0, 'Di never chose');
    assert.ok(!srv.stderr.includes(who.ash.email), 'no address in the log');
  });

  it('emails a reply to those in the thread, but not to one who muted it', async () => {
    const tid = await post('ash', `Muted thread ${Date.now()}`);
    await sink.waitFor((x) => x.to.includes(who.bo.email) && /Muted thread/.test(decodeHeader(x.headers.subject)));
    const mute = await who.bo.c.postJson(`/api/v1/posts/${tid}/mute`, {});
    assert.equal(mute.status, 200, mute.text);
    const before = sink.to(who.bo.email).length;
    const r = await who.cy.c.postJson(`/api/v1/posts/${tid}/replies`, { body: 'Count me in.' });
    assert.equal(r.status, 201, r.text);
    const m = await sink.waitFor((x) => x.to.includes(who.ash.email) && /Count me in/.test(x.parts['text/plain'] ?? ''));
    assert.match(decodeHeader(m.headers.subject), /^\[Café Walkers\] Re: Muted thread/);
    await outboxSettled(srv);
    assert.equal(sink.to(who.bo.email).length, before, 'Bo muted the thread');
  });

  it('unsubscribes with one click: GET shows a button and changes nothing, POST stops mail', async () => {
    const m = sink.to(who.ash.email)[0];
    const url = new URL(/^<([^>]+)>$/.exec(m.headers['list-unsubscribe'])[1]);
    const anon = srv.client();
    const page = await anon.get(url.pathname + url.search);
    assert.equal(page.status, 200);
    assert.match(page.text, /<button type="submit">Stop all email<\/button>/);
    assert.equal((await choose('ash', 'every')).choice, 'every', 'GET changed nothing');

    // what a mail client sends (RFC 8058): no cookie, no form token
    const res = await fetch(srv.origin + url.pathname + url.search, {
      method: 'POST', body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
    });
    assert.equal(res.status, 200, await res.text());
    const n = (await who.ash.c.get('/api/v1/account/notifications')).json.notifications;
    assert.equal(n.choice, 'none');
    assert.ok(n.groups.every((g) => g.choice === 'default'));

    const had = sink.to(who.ash.email).length;
    const title = `After unsubscribing ${Date.now()}`;
    await post('cy', title);
    await sink.waitFor((x) => x.to.includes(who.bo.email) && decodeHeader(x.headers.subject).includes(title));
    await outboxSettled(srv);
    assert.equal(sink.to(who.ash.email).length, had, 'no more mail for Ash');
  });

  it('unsubscribes from the confirm page form too', async () => {
    const token = await unsubscribeToken(srv, who.bo.id);
    const anon = srv.client();
    const page = await anon.get(`/unsubscribe?t=${token}`);
    assert.equal(page.status, 200);
    const res = await anon.postForm(`/unsubscribe?t=${token}`, { t: token });
    assert.equal(res.status, 200);
    assert.match(res.text, /We will send you no more email/);
    const n = (await who.bo.c.get('/api/v1/account/notifications')).json.notifications;
    assert.equal(n.choice, 'none');
    assert.equal(n.groups[0].choice, 'default', 'the group choice is gone too');
  });

  it('refuses a forged or broken unsubscribe token (400), changing nothing', async () => {
    await choose('di', 'weekly');
    const good = await unsubscribeToken(srv, who.di.id);
    const forged = `${who.di.id}.${'0'.repeat(64)}`;
    const otherPerson = `${who.ed.id}.${good.split('.')[1]}`;
    const anon = srv.client();
    for (const t of [forged, otherPerson, 'nonsense', '']) {
      const page = await anon.get(`/unsubscribe?t=${encodeURIComponent(t)}`);
      assert.equal(page.status, 400, t);
      assert.match(page.text, /This unsubscribe link is not complete or not one of ours/);
      const res = await fetch(`${srv.origin}/unsubscribe?t=${encodeURIComponent(t)}`, {
        method: 'POST', body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
      });
      assert.equal(res.status, 400, t);
      await res.arrayBuffer();
    }
    const json = await anon.get('/api/v1/unsubscribe?t=nonsense');
    assert.equal(json.status, 400);
    assert.equal(jsonError(json).field, 't');
    assert.equal((await who.di.c.get('/api/v1/account/notifications')).json.notifications.choice, 'weekly');
  });

  it('sends a daily digest grouping the posts by thread', async () => {
    await choose('di', 'daily');
    const t1 = `Digest one ${Date.now()}`;
    const t2 = `Digest two ${Date.now()}`;
    const id1 = await post('cy', t1, 'First of the day.');
    await post('ed', t2, 'Second thread.');
    const r = await who.ed.c.postJson(`/api/v1/posts/${id1}/replies`, { body: 'A reply in thread one.' });
    assert.equal(r.status, 201, r.text);
    await post('di', `Di's own ${Date.now()}`, 'Not in Di\'s digest.');
    const run = await hearth(['--config', srv.configFile, '--database', srv.database.url, 'mail', 'digest', '--now']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^1 digest queued/);
    const m = await sink.waitFor((x) => x.to.includes(who.di.email) && /digest/.test(decodeHeader(x.headers.subject)),
      'the digest for Di');
    assert.equal(decodeHeader(m.headers.subject), 'Your daily digest: 3 new posts in 1 group');
    const text = m.parts['text/plain'];
    assert.match(text, /== Café Walkers ==/);
    assert.match(text, new RegExp(`\\* ${t1} \\(2 new\\)`));
    assert.match(text, new RegExp(`\\* ${t2} \\(1 new\\)`));
    assert.ok(text.indexOf(t1) < text.indexOf(t2), 'threads in order of first activity');
    assert.match(text, /A reply in thread one\./);
    assert.doesNotMatch(text, /Not in Di's digest/);
    assert.match(m.parts['text/html'], /<h2>Café Walkers<\/h2>/);
    assert.ok(m.headers['list-unsubscribe']);
    const again = await hearth(['--config', srv.configFile, '--database', srv.database.url, 'mail', 'digest', '--now']);
    assert.match(again.stdout, /^0 digests queued/, 'the window moved on');
  });

  it('retries a message the relay refuses (451, then 550) and delivers it, logging the failures', async () => {
    await choose('ed', 'every');
    sink.refuse(who.ed.email, [451, 550]);
    const title = `Refused at first ${Date.now()}`;
    await post('cy', title);
    const m = await sink.waitFor((x) => x.to.includes(who.ed.email) && decodeHeader(x.headers.subject).includes(title),
      'the message on a later attempt');
    assert.ok(m);
    const log = await srv.waitForLog((s) => /event=mail_failed .*reply=550/.test(s), 5000);
    assert.match(log, /level=warning event=mail_failed outbox_id=[0-9]+ reply=451 attempt=1 retry_in_ms=200/);
    assert.match(log, /level=warning event=mail_failed outbox_id=[0-9]+ reply=550 attempt=2 retry_in_ms=400/);
    assert.ok(!log.includes(who.ed.email), 'no address in the log');
    assert.ok(!log.includes(title), 'no content in the log');
    const o = await outboxSettled(srv);
    assert.equal(o.failed, 0);
  });

  it('gives a message up after max_attempts refusals, with an error in the log', async () => {
    await choose('di', 'every');
    sink.refuse(who.di.email, [451, 451, 451, 451, 451]);
    const title = `Never delivered ${Date.now()}`;
    await post('cy', title);
    const log = await srv.waitForLog((s) => /event=mail_gave_up/.test(s), 15000);
    assert.match(log, /level=error event=mail_gave_up outbox_id=[0-9]+ reply=451 attempts=5/);
    const o = await outboxSettled(srv);
    assert.equal(o.failed, 1);
    assert.ok(!sink.to(who.di.email).some((m) => decodeHeader(m.headers.subject).includes(title)));
    assert.ok(sink.to(who.ed.email).some((m) => decodeHeader(m.headers.subject).includes(title)),
      "the others still hear");
  });

  itStopsCleanly(() => srv);
});

describe('email with no relay configured', () => {
  let srv;
  const email = uniqueEmail('nora');
  before(async () => {
    srv = await startServer({ users: [{ email, name: 'Nora' }] });
  });
  after(() => srv?.stop());

  it('says so on the page and queues nothing', async () => {
    const c = srv.client();
    await logIn(c, email);
    const admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    const g = await admin.postJson('/api/v1/groups', {
      name: 'Quiet group', purpose: 'To meet.', format: 'online', access: 'open', status: 'active',
    });
    assert.equal(g.status, 201, g.text);
    assert.equal((await c.postJson(`/api/v1/groups/${g.json.group.id}/join`, {})).status, 201);
    const res = await c.postJson('/api/v1/account/notifications', { choice: 'every' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.notifications.email_on, false);
    assert.match((await c.get('/account/notifications')).text, /has not set up email yet/);
    const p = await admin.postJson(`/api/v1/groups/${g.json.group.id}/posts`,
      { kind: 'announcement', title: 'Hello', body: 'Welcome.' });
    assert.equal(p.status, 201, p.text);
    assert.deepEqual(await outbox(srv), { pending: 0, sent: 0, skipped: 0, failed: 0 });
    const d = await hearth(['--database', srv.database.url, 'mail', 'digest', '--now']);
    assert.match(d.stdout, /No relay is configured/);
  });

  it('will not serve with a relay but no sender or public address, naming the setting', async () => {
    for (const [mail, setting] of [
      [{ smtp_url: 'smtp://127.0.0.1:1' }, /smtp_from/],
      [{ smtp_url: 'smtp://127.0.0.1:1', smtp_from: 'hearth@example.org' }, /public_url/],
      [{ smtp_url: 'smtp://127.0.0.1:1', smtp_from: 'bad\taddress', public_url: 'https://x.example' }, /smtp_from/],
    ]) {
      const cfg = writeConfig({ mail });
      const r = await hearth(['--config', cfg, '--database', srv.database.url, 'serve', '--listen', '127.0.0.1:0']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, setting);
    }
    const bad = writeConfig({ mail: { digest_hour: 24 } });
    const r = await hearth(['--config', bad, '--database', srv.database.url, 'mail', 'status']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[mail\] digest_hour = "24" is not a valid value/);
  });

  itStopsCleanly(() => srv);
});

describe('email with a slow poll', () => {
  let srv;
  let sink;
  const a = { email: uniqueEmail('wren'), name: 'Wren' };
  const b = { email: uniqueEmail('yan'), name: 'Yan' };
  before(async () => {
    sink = await startSmtpSink();
    srv = await startServer({
      config: { mail: { smtp_url: sink.url, smtp_from: 'hearth@example.org', public_url: PUBLIC_URL, poll_ms: 600000 } },
      users: [a, b],
    });
  });
  after(async () => {
    await srv?.stop();
    await sink?.close();
  });

  it('a new post wakes the mailer at once, without waiting for its next poll', async () => {
    const admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    const g = await admin.postJson('/api/v1/groups', {
      name: 'Wake group', purpose: 'To meet.', format: 'online', access: 'open', status: 'active',
    });
    assert.equal(g.status, 201, g.text);
    for (const p of [a, b]) {
      p.c = srv.client();
      await logIn(p.c, p.email);
      assert.equal((await p.c.postJson(`/api/v1/groups/${g.json.group.id}/join`, {})).status, 201);
    }
    assert.equal((await a.c.postJson('/api/v1/account/notifications', { choice: 'every' })).status, 200);
    const res = await b.c.postJson(`/api/v1/groups/${g.json.group.id}/posts`,
      { kind: 'offer', title: 'A lift to the hall', body: 'I can drive two people.' });
    assert.equal(res.status, 201, res.text);
    const m = await sink.waitFor((x) => x.to.includes(a.email), 'the post, well before the 10-minute poll');
    assert.equal(decodeHeader(m.headers.subject), '[Wake group] A lift to the hall');
  });

  itStopsCleanly(() => srv);
});
