// gen.test.mjs - `hearth gen`, the synthetic network for the benchmarks: it
// fills a fresh database with the sizes asked for, the same seed gives the
// same network, every generated person can sign in with the password and
// sees their groups, the directory finds generated groups by text and by
// distance, and wrong sizes or a database in use are refused with nothing
// changed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hearth, childEnv, createDatabase, logIn, serveDatabase } from './lib/server.mjs';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-gen-'));
const PASSWORD = 'generated network 9';
const SUMMARY = /^Generated in [\d.]+ s \(seed (\d+)\): (\d+) groups, (\d+) people, (\d+) memberships,\n(\d+) meetings, (\d+) attendance records, (\d+) posts, (\d+) agenda items, (\d+) agreements,\n(\d+) check-ins with (\d+) answers\.$/m;

function gen(url, args) {
  return hearth(['--database', url, 'gen', ...args], { cwd, env: childEnv() });
}

function countsOf(stdout) {
  const m = SUMMARY.exec(stdout);
  assert.ok(m, `a summary line in:\n${stdout}`);
  return m.slice(1).map(Number);
}


describe('hearth gen', () => {
  const databases = [];
  let srv, first;
  const SIZE = ['--groups', '30', '--members', '400', '--months', '3', '--password', PASSWORD];

  async function fresh() {
    const d = await createDatabase();
    databases.push(d);
    return d;
  }

  before(async () => {
    const d = await fresh();
    first = { db: d, out: await gen(d.url, [...SIZE, '--seed', '7']) };
  });
  after(async () => {
    if (srv)
      await srv.stop();
    for (const d of databases) await d.drop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('makes the network asked for and says what it made', () => {
    assert.equal(first.out.code, 0, first.out.stderr);
    const [seed, groups, people, memberships, meetings, attendance, , , agreements, checkins, answers] =
      countsOf(first.out.stdout);
    assert.equal(seed, 7);
    assert.equal(groups, 30);
    assert.equal(people, 401, 'the members and one coordinator');
    assert.ok(memberships >= 400 && memberships <= 1200, `each member is in one to three groups (${memberships})`);
    assert.ok(meetings >= 30 * 3, `three months of meetings (${meetings})`);
    assert.ok(attendance > meetings, `people came to them (${attendance})`);
    assert.equal(agreements, 30);
    assert.ok(checkins > 0, `some people check in (${checkins})`);
    assert.equal(answers, checkins * 10, 'ten Rosenberg answers each');
  });

  it('gives the same network for the same seed, and another for another seed', async () => {
    const same = await gen((await fresh()).url, [...SIZE, '--seed=7']);
    const other = await gen((await fresh()).url, [...SIZE, '--seed', '8']);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(other.code, 0, other.stderr);
    assert.deepEqual(countsOf(same.stdout).slice(1), countsOf(first.out.stdout).slice(1));
    assert.notDeepEqual(countsOf(other.stdout).slice(1), countsOf(first.out.stdout).slice(1));
  });

  it('refuses a database in use, and wrong sizes, changing nothing', async () => {
    const again = await gen(first.db.url, [...SIZE, '--seed', '7']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds people or groups/);
    for (const [args, message] of [
      [['--groups', '0'], /--groups must be between 1 and 100000/],
      [['--members', 'many'], /unexpected or malformed argument "many"|malformed/],
      [['--months', '99'], /--months must be between 0 and 36/],
      [['--password', 'short'], /at least 8 characters/],
      [['--colour', 'blue'], /unexpected or malformed argument "--colour"/],
    ]) {
      const d = await fresh();
      const r = await gen(d.url, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('serves it: a generated person signs in and sees their groups; the directory finds groups', async () => {
    srv = await serveDatabase(first.db);
    const c = srv.client();
    await logIn(c, 'person1@gen.hearth.example', PASSWORD);
    const me = await c.get('/api/v1/me', { json: true });
    assert.equal(me.status, 200, me.text);
    assert.ok(me.json.groups.length >= 1, 'person1 belongs to a group');
    const found = await c.get('/api/v1/groups?q=group', { json: true });
    assert.equal(found.status, 200, found.text);
    assert.ok(found.json.groups.length > 0, 'text search finds generated groups');
    const group = await c.get(`/api/v1${me.json.groups[0].path}`, { json: true });
    assert.equal(group.status, 200, group.text);
    const coordinator = srv.client();
    await logIn(coordinator, 'gen@gen.hearth.example', PASSWORD);
    const outcomes = await coordinator.get('/api/v1/network/outcomes', { json: true });
    assert.equal(outcomes.status, 200, outcomes.text);
    const selfEsteem = outcomes.json.scales.find((s) => s.scale_id === 'total' || /esteem/i.test(s.scale_name));
    assert.ok(selfEsteem, 'the network figures hold the self-esteem scale');
    assert.ok(outcomes.json.participants > 0, 'generated check-ins count in the network figures');
  });
});
