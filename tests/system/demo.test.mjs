// demo.test.mjs - `hearth demo`: it makes a fresh demo network and prints a
// login for each role; each login works and sees what its role should see
// (the directory, a group needing approval, four upcoming meetings, past
// meetings with attendance, the member's groups on /me; a group's
// agreement, agenda, decisions, stream and community life; the community
// resources); it refuses a
// database that is not empty and changes nothing, unless --force; and the
// same seed gives the same network.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  hearth, run, childEnv, createDatabase, logIn, serveDatabase, USE_PG,
} from './lib/server.mjs';

const ROLES = ['admin', 'coordinator', 'facilitator', 'peer support worker', 'member'];
const LOGIN_LINE = /^ {2}(admin|coordinator|facilitator|peer support worker|member) +(\S+@demo\.hearth\.example) +password: (\S+)$/gm;

// Commands run in an empty directory, so nothing lands in the repository.
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-demo-'));

function demo(url, args = []) {
  return hearth(['--database', url, 'demo', ...args], { cwd, env: childEnv() });
}

/** {role: {email, password}} from the output of `hearth demo`. */
function loginsOf(stdout) {
  const logins = {};
  for (const [, role, email, password] of stdout.matchAll(LOGIN_LINE))
    logins[role] = { email, password };
  return logins;
}

/** The count lines of the output, without the database's name or the time taken. */
function countsOf(stdout) {
  return stdout.split('\n').filter((l) => /^ {2}\d/.test(l)).join('\n');
}

/** Something that changes whenever the database does. */
async function fingerprint(db) {
  if (!USE_PG) {
    const h = createHash('sha256');
    for (const suffix of ['', '-wal'])
      if (fs.existsSync(db.url + suffix))
        h.update(fs.readFileSync(db.url + suffix));
    return h.digest('hex');
  }
  const sql = 'SELECT (SELECT COUNT(*) FROM person) || \',\' || (SELECT COUNT(*) FROM meeting) || \',\' || '
    + '(SELECT COUNT(*) FROM attendance) || \',\' || (SELECT MAX(updated_at) FROM person) || \',\' || '
    + '(SELECT MAX(id) FROM meeting)';
  const r = await run('psql', ['-X', '-At', '-d', db.name, '-c', sql]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

async function getJson(client, urlPath) {
  const res = await client.get(urlPath, { json: true });
  assert.equal(res.status, 200, `GET ${urlPath}: ${res.status} ${res.text}`);
  return res.json;
}

async function directory(client) {
  return getJson(client, '/api/v1/groups');
}

function groupNamed(dir, name) {
  const g = dir.groups.find((x) => x.name === name);
  assert.ok(g, `the directory lists ${name}`);
  return g;
}

describe('hearth demo', () => {
  let db, srv, out, logins;
  const extra = [];

  before(async () => {
    db = await createDatabase();
    out = await demo(db.url);
    logins = loginsOf(out.stdout);
  });
  after(async () => {
    if (srv)
      await srv.stop();
    else if (db)
      await db.drop();
    for (const d of extra) await d.drop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('makes the network on a fresh database, exits 0 and prints a login for each role', () => {
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stderr, '');
    assert.match(out.stdout, /^Created the demo network in .* \(seed 1\):$/m);
    assert.match(out.stdout, /\b14 groups, 200 people \(\d+ without an account\)/);
    assert.deepEqual(Object.keys(logins).sort(), [...ROLES].sort());
    const passwords = new Set(Object.values(logins).map((l) => l.password));
    assert.equal(passwords.size, 5, 'each login has its own password');
    const seconds = Number(/It took ([\d.]+) seconds/.exec(out.stdout)[1]);
    assert.ok(seconds < 30, `it is quick (${seconds} s)`);
  });

  it('refuses to run again on the same database without --force, and changes nothing', async () => {
    const before_ = await fingerprint(db);
    const again = await demo(db.url);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /is not empty, so no demo was made and nothing was\s+changed/);
    assert.match(again.stderr, /--force/);
    assert.equal(again.stdout, '');
    assert.equal(await fingerprint(db), before_, 'the database is as it was');
  });

  describe('served', () => {
    const clients = {};

    before(async () => {
      srv = await serveDatabase(db);
      for (const role of ROLES) {
        clients[role] = srv.client();
        await logIn(clients[role], logins[role].email, logins[role].password);
      }
    });

    it('each login works, as the person and role it says', async () => {
      const names = {
        admin: 'Alex (admin)', coordinator: 'Jo (coordinator)', facilitator: 'Helen',
        'peer support worker': 'Marcus', member: 'Priya',
      };
      for (const role of ROLES) {
        const { person } = await getJson(clients[role], '/api/v1/account');
        assert.equal(person.email, logins[role].email);
        assert.equal(person.display_name, names[role]);
        assert.equal(person.is_admin, role === 'admin', `${role} is_admin`);
      }
      assert.equal((await clients.admin.get('/api/v1/admin/people')).status, 200, 'the admin administers');
      assert.equal((await clients.coordinator.get('/api/v1/network')).status, 200, 'the coordinator runs the network');
      assert.equal((await clients.member.get('/api/v1/network')).status, 403, 'the member does not');
    });

    it('the directory lists the groups (at least 12 visible), with venues and next meetings', async () => {
      const dir = await directory(srv.client());
      assert.ok(dir.total >= 12, `${dir.total} groups in the directory`);
      assert.ok(dir.groups.length >= 12);
      for (const name of ['Thursday Drop-in', "Women's Circle", 'Bumps and Beyond', "Men's Walk and Talk",
        'Hearing Voices Group', 'Evening Online Peer Support', "Carers' Cuppa", 'Rainbow Peer Group'])
        groupNamed(dir, name);
      assert.ok(dir.groups.every((g) => g.next_meeting_at), 'every listed group has a next meeting');
      assert.ok(dir.groups.some((g) => g.status === 'forming'), 'a forming group is listed');
      const paused = await getJson(srv.client(), '/api/v1/groups?status=paused');
      assert.equal(paused.total, 1, 'one group is paused');
      const online = groupNamed(dir, 'Evening Online Peer Support');
      assert.equal(online.format, 'online');
      const near = await getJson(srv.client(), '/api/v1/groups?near=53.3811,-1.4701&radius_km=10&sort=distance');
      assert.ok(near.total >= 10, 'groups have venues spread over the city');
    });

    it('the women-only group needs approval, and requests wait for its facilitator', async () => {
      const dir = await directory(srv.client());
      const women = groupNamed(dir, "Women's Circle");
      assert.equal(women.access, 'approval');
      const { group } = await getJson(srv.client(), `/api/v1/groups/${women.id}`);
      assert.equal(group.access, 'approval');
      assert.ok(group.tags.some((t) => t.slug === 'women-only'), 'tagged women only');
      const members = await getJson(clients.facilitator, `/api/v1/groups/${women.id}/members`);
      assert.ok(members.requests.length >= 1, 'requests wait');
      assert.ok(members.requests.some((r) => r.display_name === 'Priya'), "the member's request is there");
    });

    it('a group page shows its next four meetings, with venue and accessibility notes', async () => {
      const dir = await directory(srv.client());
      const dropIn = groupNamed(dir, 'Thursday Drop-in');
      const { group } = await getJson(srv.client(), `/api/v1/groups/${dropIn.id}`);
      assert.equal(group.next_meetings.length, 4);
      assert.match(group.venue.access_notes, /step-free/i);
      assert.ok(group.venue.location, "the venue is on the map");
      assert.equal(group.facilitation, 'peer_led');
      assert.equal(group.host.name, 'Steel City Peer Support');
      const html = await srv.client().get(`/groups/${dropIn.id}`);
      assert.equal(html.status, 200);
      assert.match(html.text, /<h1[^>]*>Thursday Drop-in<\/h1>/);
    });

    it('a facilitator sees past meetings with attendance, roles, minutes and actions', async () => {
      const me = await getJson(clients.facilitator, '/api/v1/me');
      const dropIn = me.groups.find((g) => g.name === 'Thursday Drop-in');
      assert.equal(dropIn.role, 'facilitator');
      const list = await getJson(clients.facilitator, `/api/v1/groups/${dropIn.group_id}/meetings`);
      assert.ok(list.past.length >= 10, `${list.past.length} past meetings on the first page`);
      const closed = list.past.filter((m) => m.is_closed);
      assert.ok(closed.length >= 8, 'most past meetings are closed');
      let withMinutes = 0, withActions = 0, withRoles = 0;
      for (const m of closed.slice(0, 8)) {
        const { meeting } = await getJson(clients.facilitator, `/api/v1/meetings/${m.id}`);
        const s = meeting.attendance_summary;
        assert.ok(meeting.attendance.length > 0, 'attendance is recorded');
        assert.equal(s.present + s.apologies + s.absent, meeting.attendance.length);
        assert.ok(s.present >= 2, 'people came');
        assert.equal(meeting.attendance_count, s.present, 'the closing record counts them');
        assert.ok(meeting.themes, 'the closing record has themes');
        assert.ok(meeting.facilitators.length >= 1, 'someone facilitated');
        withMinutes += meeting.minutes_md ? 1 : 0;
        withActions += meeting.actions.length ? 1 : 0;
        withRoles += meeting.roles.length ? 1 : 0;
      }
      assert.ok(withMinutes >= 4, 'most have minutes');
      assert.ok(withActions >= 1, 'some agreed actions');
      assert.ok(withRoles >= 2, 'members took on roles');
      const page = await clients.facilitator.get(`/meetings/${closed[0].id}`);
      assert.equal(page.status, 200);
    });

    it('a member sees their groups on /me, and their next meetings', async () => {
      const me = await getJson(clients.member, '/api/v1/me');
      const names = me.groups.map((g) => g.name).sort();
      assert.deepEqual(names, ['Evening Online Peer Support', 'Thursday Drop-in', 'Write Here: creative writing for wellbeing']);
      assert.ok(me.requests.some((r) => r.name === "Women's Circle"),
        'the request to the Women\'s Circle waits');
      assert.ok(me.meetings.length >= 3, 'upcoming meetings across their groups');
      const html = await clients.member.get('/me');
      assert.equal(html.status, 200);
    });

    describe('co-production in the Thursday Drop-in', () => {
      let gid;
      before(async () => {
        gid = groupNamed(await directory(srv.client()), 'Thursday Drop-in').id;
      });

      it('has an agreement with a history and an open suggestion', async () => {
        const a = await getJson(clients.member, `/api/v1/groups/${gid}/agreement`);
        assert.ok(a.agreement.version >= 2, `version ${a.agreement.version}`);
        assert.ok(a.versions.length >= 2, 'earlier versions are kept');
        const open = a.suggestions.filter((x) => x.status === 'open');
        assert.equal(open.length, 1, 'one suggestion is open');
        assert.ok(open[0].agree_count >= 1, 'with some agreement');
      });

      it('has items on an upcoming agenda, proposed by members and supported', async () => {
        const { group } = await getJson(srv.client(), `/api/v1/groups/${gid}`);
        let items = [];
        for (const m of group.next_meetings) {
          items = (await getJson(clients.member, `/api/v1/meetings/${m.id}/agenda`)).items;
          if (items.length) break;
        }
        assert.ok(items.length >= 2, `${items.length} items on the next agenda`);
        assert.ok(items.some((i) => i.supporters >= 1), 'items have support');
      });

      it('has decisions: an open proposal, a closed dot vote with an outcome, an anonymous sense check', async () => {
        const list = await getJson(clients.member, `/api/v1/groups/${gid}/decisions`);
        assert.ok(list.open.some((d) => d.kind === 'proposal'), 'an open proposal');
        assert.ok(list.open.some((d) => d.kind === 'sense_check' && d.anonymous), 'an anonymous sense check');
        const vote = list.closed.find((d) => d.kind === 'dot_vote');
        assert.ok(vote, 'a closed dot vote');
        const { decision } = await getJson(clients.member, `/api/v1/decisions/${vote.id}`);
        assert.match(decision.outcome, /Botanical Gardens/);
      });

      it('has a stream with an announcement and threads with replies', async () => {
        const s = await getJson(clients.member, `/api/v1/groups/${gid}/stream`);
        assert.ok(s.announcements.length >= 1, 'an announcement');
        assert.ok(s.threads.length >= 3, `${s.threads.length} threads`);
        const kinds = new Set(s.threads.map((t) => t.kind));
        for (const k of ['discussion', 'ask', 'offer'])
          assert.ok(kinds.has(k), `a thread of kind ${k}`);
        const html = await clients.member.get(`/groups/${gid}/stream`);
        assert.equal(html.status, 200);
      });

      it('has upcoming community events and connections', async () => {
        const res = await clients.facilitator.get(`/groups/${gid}/community`);
        assert.equal(res.status, 200);
        assert.match(res.text, /Summer picnic/);
      });
    });

    it('/resources lists ten community resources across categories', async () => {
      const res = await getJson(srv.client(), '/api/v1/resources');
      assert.equal(res.total, 10);
      assert.ok(new Set(res.resources.map((r) => r.category.slug)).size >= 8, 'across categories');
      const page = await srv.client().get('/resources');
      assert.equal(page.status, 200);
      assert.match(page.text, /Sheffield Housing Advice Line/);
    });

    it('the peer support worker supports three groups', async () => {
      const me = await getJson(clients['peer support worker'], '/api/v1/me');
      assert.equal(me.groups.length, 3);
      assert.ok(me.groups.every((g) => g.role === 'peer_worker'));
    });
  });

  describe('seeds', () => {
    /** Names of the groups and the drop-in's members, as the network shows them. */
    async function networkOf(database, stdout) {
      const server = await serveDatabase(database);
      try {
        const dir = await directory(server.client());
        const fac = server.client();
        const l = loginsOf(stdout).facilitator;
        await logIn(fac, l.email, l.password);
        const dropIn = groupNamed(dir, 'Thursday Drop-in');
        const members = await getJson(fac, `/api/v1/groups/${dropIn.id}/members`);
        return {
          groups: dir.groups.map((g) => g.name).sort(),
          members: members.members.map((m) => `${m.display_name}:${m.role}`).sort(),
        };
      } finally {
        await server.stop();
      }
    }

    it('the same seed twice gives the same group names and counts; another seed another network', async () => {
      const a = await createDatabase();
      const b = await createDatabase();
      const c = await createDatabase();
      const ra = await demo(a.url, ['--seed', '42']);
      const rb = await demo(b.url, ['--seed=42']);
      const rc = await demo(c.url, ['--seed', '43']);
      for (const r of [ra, rb, rc])
        assert.equal(r.code, 0, r.stderr);
      extra.push(c);
      assert.match(ra.stdout, /\(seed 42\)/);
      assert.equal(countsOf(ra.stdout), countsOf(rb.stdout));
      assert.notEqual(countsOf(ra.stdout), countsOf(rc.stdout));
      const na = await networkOf(a, ra.stdout);
      const nb = await networkOf(b, rb.stdout);
      assert.deepEqual(na, nb);
      assert.ok(na.groups.length >= 12);
    });
  });

  describe('--force and wrong usage', () => {
    it('--force replaces a database that is not empty', async () => {
      const d = await createDatabase();
      extra.push(d);
      const first = await demo(d.url, ['--seed', '5']);
      assert.equal(first.code, 0, first.stderr);
      const second = await demo(d.url, ['--seed', '5', '--force']);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(countsOf(second.stdout), countsOf(first.stdout), 'one network, not two');
      assert.notDeepEqual(loginsOf(second.stdout), loginsOf(first.stdout), 'new passwords');
    });

    it('takes one password for every login from --password-file', async () => {
      const d = await createDatabase();
      extra.push(d);
      const r = await hearth(['--database', d.url, 'demo', '--password-file', '-'],
        { cwd, env: childEnv(), input: 'kettle orchard lantern 42\n' });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /kettle orchard/, 'a password from a file is not printed');
      const weak = await createDatabase();
      extra.push(weak);
      const w = await hearth(['--database', weak.url, 'demo', '--password-file', '-'],
        { cwd, env: childEnv(), input: 'short\n' });
      assert.equal(w.code, 1);
      assert.match(w.stderr, /will not do: Choose a password of at least 8 characters/);
    });

    it('wrong usage exits 2', async () => {
      for (const args of [['--seed', 'many'], ['--seed', '-1'], ['--frobnicate']]) {
        const r = await demo(path.join(cwd, 'never.db'), args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      }
      assert.ok(!fs.existsSync(path.join(cwd, 'never.db')), 'nothing was made');
    });

    it('--force will not delete a file that is not a SQLite database', { skip: USE_PG }, async () => {
      const file = path.join(cwd, 'notes.txt');
      fs.writeFileSync(file, 'my notes\n');
      const r = await demo(file, ['--force']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not a SQLite database/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'my notes\n');
    });
  });
});
