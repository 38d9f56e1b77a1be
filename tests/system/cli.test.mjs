// cli.test.mjs - the `hearth` command line: version and help (exit 0),
// wrong usage (exit 2), failures (exit 1 with a message), HEARTH_DATABASE
// and --database (the flag wins), and --config files with unknown keys.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  hearth, childEnv, createDatabase, writeConfig, uniqueEmail, GOOD_PASSWORD, ADMIN_PASSWORD, USE_PG,
} from './lib/server.mjs';
import { sql } from './lib/fixtures.mjs';

// Commands run in an empty directory, so a default "hearth.db" would land
// there and not in the repository.
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cli-'));
const databases = [];
after(async () => {
  for (const d of databases) await d.drop();
  fs.rmSync(cwd, { recursive: true, force: true });
});

async function newDatabase() {
  const d = await createDatabase();
  databases.push(d);
  return d;
}

function run(args, { env = {}, input } = {}) {
  return hearth(args, { cwd, env: childEnv(env), input });
}

async function initDatabase(url) {
  const r = await run(['--database', url, 'init', '--admin-password-file', '-'], { input: `${ADMIN_PASSWORD}\n` });
  assert.equal(r.code, 0, r.stderr);
  return r;
}

describe('command line', () => {
  describe('version and help', () => {
    it('`hearth version` and `hearth --version` print the version and exit 0', async () => {
      for (const args of [['version'], ['--version']]) {
        const r = await run(args);
        assert.equal(r.code, 0, args.join(' '));
        assert.match(r.stdout, /^hearth \S+ \(schema \d+, SQLite and PostgreSQL\)\n$/);
      }
    });

    it('`hearth help` and `hearth --help` print the usage and the commands, exit 0', async () => {
      for (const args of [['help'], ['--help'], ['-h']]) {
        const r = await run(args);
        assert.equal(r.code, 0, args.join(' '));
        assert.match(r.stdout, /^Usage: hearth \[--config FILE\] \[--database PATH\|URL\] COMMAND/m);
        for (const cmd of ['init', 'serve', 'user', 'migrate', 'version', 'help'])
          assert.match(r.stdout, new RegExp(`^  ${cmd} `, 'm'), `lists ${cmd}`);
      }
    });

    it('`hearth serve --help` prints its usage and exits 0 without serving', async () => {
      const r = await run(['serve', '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: hearth serve \[--listen HOST:PORT\]/);
      assert.equal(r.stderr, '');
    });

    it('`hearth help user` prints the usage of one command', async () => {
      const r = await run(['help', 'user']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: hearth user add EMAIL/);
    });
  });

  describe('wrong usage exits 2', () => {
    const cases = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /Usage: hearth/],
      [['--frobnicate', 'version'], /unknown option "--frobnicate"/],
      [['help', 'frobnicate'], /unknown command "frobnicate"/],
      [['serve', '--bogus'], /unknown argument "--bogus"/],
      [['user'], /say what to do/],
      [['user', 'add'], /give the person's email address/],
    ];
    for (const [args, message] of cases) {
      it(`\`hearth ${args.join(' ')}\``, async () => {
        const r = await run(args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      });
    }
  });

  describe('failures exit 1 with a message', () => {
    it('`hearth user add` with a bad email address', async () => {
      const db = await newDatabase();
      await initDatabase(db.url);
      const r = await run(['--database', db.url, 'user', 'add', 'not-an-email', '--password-stdin'], { input: `${GOOD_PASSWORD}\n` });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^hearth user add: Enter an email address like name@example\.org\.$/m);
      assert.equal(r.stdout, '');
    });

    it('`hearth user add` with a common password, or an email already taken', async () => {
      const db = await newDatabase();
      await initDatabase(db.url);
      const email = uniqueEmail('cli');
      const common = await run(['--database', db.url, 'user', 'add', email, '--password-stdin'], { input: 'password123\n' });
      assert.equal(common.code, 1);
      assert.match(common.stderr, /common/);
      const ok = await run(['--database', db.url, 'user', 'add', email, '--name', 'Cli', '--password-stdin'], { input: `${GOOD_PASSWORD}\n` });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, new RegExp(`^Added ${email} \\(id \\d+\\)\\.`));
      assert.ok(!ok.stdout.includes(GOOD_PASSWORD), 'a password from stdin is not printed');
      const again = await run(['--database', db.url, 'user', 'add', email, '--password-stdin'], { input: `${GOOD_PASSWORD}\n` });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already an account/);
    });

    it('a --config file with an unknown key names the key', async () => {
      const file = writeConfig('[network]\nopen_sigup = false\n');
      const r = await run(['--config', file, 'version']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /unknown setting "open_sigup" in \[network\]/);
      assert.ok(r.stderr.includes(file), 'names the file');
      fs.rmSync(path.dirname(file), { recursive: true });
    });

    it('a --config file with a bad value names the key and value', async () => {
      const file = writeConfig('[session]\nidle_seconds = soon\n');
      const r = await run(['--config', file, 'version']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /\[session\] idle_seconds = "soon" is not a valid value/);
      fs.rmSync(path.dirname(file), { recursive: true });
    });

    it('the limits of serving refuse values out of range, naming the key', async () => {
      for (const [key, value] of [['page_cache_kib', '-1'], ['page_cache_kib', 'lots'],
        ['connection_memory_kib', '4'], ['connection_memory_kib', '2048'],
        ['password_hash_concurrency', '1000'], ['search_cache', 'sometimes']]) {
        const file = writeConfig(`[server]\n${key} = ${value}\n`);
        const r = await run(['--config', file, 'version']);
        assert.equal(r.code, 1, `${key} = ${value}`);
        assert.ok(r.stderr.includes(`[server] ${key} = "${value}" is not a valid value`), r.stderr);
        fs.rmSync(path.dirname(file), { recursive: true });
      }
    });

    it('a --config file that does not exist', async () => {
      const r = await run(['--config', path.join(cwd, 'missing.ini'), 'version']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Cannot open the configuration file/);
    });
  });

  describe('choosing the database', () => {
    it('honours HEARTH_DATABASE, and --database overrides it', async () => {
      const fromEnv = await newDatabase();
      const fromFlag = await newDatabase();
      const env = { HEARTH_DATABASE: fromEnv.url };

      // init with only the environment: it creates the accounts in fromEnv.
      const first = await run(['init', '--admin-password-file', '-'], { env, input: `${ADMIN_PASSWORD}\n` });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^Created the database/);
      const again = await run(['init', '--admin-password-file', '-'], { env, input: `${ADMIN_PASSWORD}\n` });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /already has accounts/, 'the second init found the same database');

      // The flag wins: fromFlag is still empty, so init creates an account there.
      const flagged = await run(['--database', fromFlag.url, 'init', '--admin-password-file', '-'], { env, input: `${ADMIN_PASSWORD}\n` });
      assert.equal(flagged.code, 0, flagged.stderr);
      assert.match(flagged.stdout, /^Created the database/);

      if (!USE_PG) {
        assert.ok(fs.existsSync(fromEnv.url) && fs.existsSync(fromFlag.url));
        assert.ok(!fs.existsSync(path.join(cwd, 'hearth.db')), 'the default hearth.db was not used');
      }
    });

    it('serve refuses a database behind the newest schema, naming both versions', async () => {
      const db = await newDatabase();
      await initDatabase(db.url);
      const latest = Number(/schema (\d+)/.exec((await run(['--version'])).stdout)[1]);
      await sql({ database: db }, `DELETE FROM schema_migration WHERE version = ${latest}`);
      const r = await run(['--database', db.url, 'serve', '--listen', '127.0.0.1:0']);
      assert.equal(r.code, 1, r.stderr);
      const m = /schema version (\d+) but this program needs (\d+)\. Run `hearth migrate` first/.exec(r.stderr);
      assert.ok(m, r.stderr);
      assert.ok(Number(m[1]) < latest, r.stderr);
      assert.equal(Number(m[2]), latest);
    });

    it('never prints a PostgreSQL URL (it may hold a password)', async () => {
      const r = await run(['--database', 'postgresql://someone:s3cret-pw@127.0.0.1:1/nodb', 'migrate']);
      assert.equal(r.code, 1);
      assert.ok(!(r.stdout + r.stderr).includes('s3cret-pw'), r.stderr);
    });
  });
});
