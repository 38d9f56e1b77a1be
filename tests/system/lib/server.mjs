// server.mjs - helpers for the system tests: a fresh database (SQLite file,
// or a PostgreSQL database when HEARTH_TEST_PG=1), running the `hearth`
// binary, starting and stopping a real `hearth serve`, and a small
// cookie-keeping HTTP client that reads the CSRF token from HTML pages.
//
// Environment:
//   HEARTH_BIN      the binary to test (default: <repo>/build/hearth)
//   HEARTH_TEST_PG  "1" to use PostgreSQL (PGHOST, PGPORT, PGUSER,
//                   PGPASSWORD and PGDATABASE say where; pg_virtualenv sets them)

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { it } from 'node:test';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');
export const HEARTH_BIN = process.env.HEARTH_BIN || path.join(REPO, 'build/hearth');
export const USE_PG = process.env.HEARTH_TEST_PG === '1';

/** A password that passes every rule; tests use it unless they test rules. */
export const GOOD_PASSWORD = 'kettle orchard lantern 42';
export const ADMIN_EMAIL = 'admin@example.org';
export const ADMIN_PASSWORD = 'admin quiet harbour 7';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let emailCounter = 0;
/** A unique address per call: "who-<random>-<n>@example.org". */
export function uniqueEmail(who = 'person') {
  emailCounter += 1;
  return `${who}-${randomBytes(3).toString('hex')}-${emailCounter}@example.org`;
}

// ---- running commands ------------------------------------------------

/** The environment for child processes, without HEARTH_* settings from
 * the caller's shell (the tests say explicitly what they want). */
export function childEnv(extra = {}) {
  const env = { ...process.env };
  delete env.HEARTH_DATABASE;
  delete env.HEARTH_LISTEN;
  return { ...env, ...extra };
}

/** Runs a program to the end: {code, stdout, stderr}. */
export function run(cmd, args, { input, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const stdin = input === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd, args, { env: env ?? childEnv(), cwd, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (child.stdin) {
      child.stdin.on('error', () => {}); // EPIPE: it exited without reading
      child.stdin.end(input);
    }
  });
}

/** Runs `hearth ARGS...`. */
export function hearth(args, opts = {}) {
  return run(HEARTH_BIN, args, opts);
}

/** Runs hearth and fails the test with its output if it does not exit 0. */
async function hearthOk(args, opts) {
  const r = await hearth(args, opts);
  assert.equal(r.code, 0, `hearth ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r;
}

// ---- databases -------------------------------------------------------

function pgUrl(name) {
  const user = encodeURIComponent(process.env.PGUSER || os.userInfo().username);
  const password = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
  const host = process.env.PGHOST || 'localhost';
  const port = process.env.PGPORT || '5432';
  if (host.startsWith('/')) // a socket directory
    return `postgresql://${user}${password}@/${name}?host=${encodeURIComponent(host)}&port=${port}`;
  const h = host.includes(':') ? `[${host}]` : host; // an IPv6 address
  return `postgresql://${user}${password}@${h}:${port}/${name}`;
}

async function psql(sql) {
  const r = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  assert.equal(r.code, 0, `psql -c "${sql}" failed:\n${r.stderr}`);
}

/**
 * A new, empty database: {url, drop()}. SQLite: a file in a fresh temporary
 * directory. PostgreSQL: CREATE DATABASE with a unique name.
 */
export async function createDatabase() {
  if (USE_PG) {
    const name = `hearth_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await psql(`CREATE DATABASE ${name}`);
    return {
      url: pgUrl(name),
      name,
      drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-test-'));
  return {
    url: path.join(dir, 'hearth.db'),
    dir,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** INI text from {section: {key: value | [values]}}. */
export function iniText(settings) {
  const lines = [];
  for (const [section, keys] of Object.entries(settings)) {
    lines.push(`[${section}]`);
    for (const [key, value] of Object.entries(keys))
      for (const v of [].concat(value))
        lines.push(`${key} = ${v}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes an INI file into a fresh temporary directory; returns its path. */
export function writeConfig(settings) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-conf-'));
  const file = path.join(dir, 'hearth.ini');
  fs.writeFileSync(file, typeof settings === 'string' ? settings : iniText(settings));
  return file;
}

// ---- the server ------------------------------------------------------

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh server: new database, `hearth init` with an administrator
 * (ADMIN_EMAIL / ADMIN_PASSWORD), the given users, then `hearth serve`.
 *
 * options:
 *   config  settings for an INI file ({section: {key: value}}), optional
 *   users   [{email, name, password}] added with `hearth user add`
 *   quiet   pass --quiet to serve (default true); stderr is captured anyway
 *
 * Returns a Server; call stop() at the end (it asserts a clean exit).
 */
export async function startServer({ config, users = [], quiet = true } = {}) {
  const database = await createDatabase();
  const configFile = config ? writeConfig(config) : null;
  const base = [...(configFile ? ['--config', configFile] : []), '--database', database.url];
  await hearthOk([...base, 'init', '--admin-email', ADMIN_EMAIL, '--admin-password-file', '-'],
    { input: `${ADMIN_PASSWORD}\n` });
  for (const u of users)
    await hearthOk([...base, 'user', 'add', u.email, '--name', u.name ?? u.email, '--password-stdin'],
      { input: `${u.password ?? GOOD_PASSWORD}\n` });

  try {
    return await listenOnFreePort({ base, quiet, database, configFile });
  } catch (err) {
    await database.drop();
    if (configFile)
      fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    throw err;
  }
}

/** Serves an existing database (made by `hearth demo` or `hearth gen`); the
 * caller stops the Server, which drops the database. */
export async function serveDatabase(database) {
  return listenOnFreePort({ base: ['--database', database.url], quiet: true, database });
}

/** Starts a Server on a free port. The port may be taken between
 * freePort() and listen, so it tries a few times. */
async function listenOnFreePort(options) {
  for (let attempt = 1; ; attempt++) {
    const server = new Server({ ...options, port: await freePort() });
    try {
      await server.start();
      return server;
    } catch (err) {
      if (attempt < 3 && /Could not listen/.test(server.stderr))
        continue;
      throw err;
    }
  }
}

export class Server {
  constructor({ base, port, quiet, database, configFile }) {
    this.args = [...base, 'serve', '--listen', `127.0.0.1:${port}`, ...(quiet ? ['--quiet'] : [])];
    this.port = port;
    this.origin = `http://127.0.0.1:${port}`;
    this.database = database;
    this.configFile = configFile;
    this.stderr = '';
    this.stdout = '';
    this.exited = null; // a promise of {code, signal}
  }

  async start() {
    const child = spawn(HEARTH_BIN, this.args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.on('data', (d) => { this.stdout += d; });
    child.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let gone = null;
    this.exited.then((r) => { gone = r; });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (gone)
        throw new Error(`hearth serve exited early (${JSON.stringify(gone)}):\n${this.stderr}`);
      try {
        const res = await fetch(`${this.origin}/healthz`, { redirect: 'manual' });
        await res.arrayBuffer();
        if (res.status === 200)
          return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`hearth serve did not become healthy:\n${this.stderr}`);
      }
      await sleep(25);
    }
  }

  /** A new client with an empty cookie jar. */
  client() {
    return new Client(this.origin);
  }

  /** Waits until the captured stderr satisfies test(text), or times out. */
  async waitForLog(test, timeoutMs = 2000) {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.stderr) && Date.now() < deadline)
      await sleep(20);
    return this.stderr;
  }

  /** Sends a signal to the server (SIGTERM by default) without waiting. */
  kill(signal = 'SIGTERM') {
    this.child?.kill(signal);
  }

  /** SIGTERM (or the given signal), then asserts a clean exit (code 0);
   * drops the database. Safe to call again (then it does nothing). */
  async stop(signal = 'SIGTERM') {
    const child = this.child;
    if (!child)
      return;
    this.child = null;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const exit = await this.exited;
    clearTimeout(timer);
    await this.database.drop();
    if (this.configFile)
      fs.rmSync(path.dirname(this.configFile), { recursive: true, force: true });
    assert.equal(exit.signal, null, `hearth serve was killed by ${exit.signal}:\n${this.stderr}`);
    assert.equal(exit.code, 0, `hearth serve did not stop cleanly on ${signal}:\n${this.stderr}`);
  }
}

/**
 * The last test of a suite: the server stops on SIGTERM with exit code 0.
 * (Suites also call stop() in after(), which does nothing once stopped.)
 */
export function itStopsCleanly(getServer) {
  it('stops cleanly on SIGTERM (exit code 0)', () => getServer().stop());
}

// ---- the client ------------------------------------------------------

const CSRF_INPUT = /<input type="hidden" name="csrf" value="([^"]*)">/;

/**
 * A browser-like client: keeps cookies (hearth_session, hearth_pre), and
 * remembers the CSRF token of the last HTML page that carried one. Never
 * follows redirects, so tests see the 303s.
 */
export class Client {
  constructor(origin) {
    this.origin = origin;
    this.cookies = new Map();
    this.csrf = null;
  }

  get sessionToken() {
    return this.cookies.get('hearth_session') ?? null;
  }

  /** Any request. body: string | Buffer | stream; type: its Content-Type. */
  async request(method, urlPath, { body, type, headers = {}, json = false, duplex } = {}) {
    const h = { ...headers };
    if (json && !h.accept)
      h.accept = 'application/json';
    if (type)
      h['content-type'] = type;
    if (this.cookies.size && !('cookie' in h))
      h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.origin + urlPath, {
      method, headers: h, body, redirect: 'manual', ...(duplex ? { duplex } : {}),
    });
    return this.#read(res);
  }

  /** GET; {json: true} asks for JSON with an Accept header. */
  get(urlPath, opts = {}) {
    return this.request('GET', urlPath, opts);
  }

  /**
   * POST an urlencoded form. The csrf field is added from the last HTML
   * page unless opts.csrf says otherwise: a string to send instead, or
   * null to send none.
   */
  postForm(urlPath, fields = {}, opts = {}) {
    const form = new URLSearchParams();
    const csrf = 'csrf' in opts ? opts.csrf : this.csrf;
    if (csrf !== null && csrf !== undefined)
      form.append('csrf', csrf);
    for (const [k, v] of Object.entries(fields))
      form.append(k, v);
    return this.request('POST', urlPath, {
      ...opts, body: form.toString(), type: 'application/x-www-form-urlencoded',
    });
  }

  /** POST a JSON body (answers come back as JSON). */
  postJson(urlPath, obj, opts = {}) {
    return this.request('POST', urlPath, {
      ...opts, body: typeof obj === 'string' ? obj : JSON.stringify(obj), type: 'application/json', json: true,
    });
  }

  async #read(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || attrs.some((a) => /^max-age=0$/i.test(a)))
        this.cookies.delete(name);
      else
        this.cookies.set(name, value);
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let json;
    if (type.startsWith('application/json'))
      json = JSON.parse(text);
    if (type.startsWith('text/html')) {
      const m = CSRF_INPUT.exec(text);
      if (m)
        this.csrf = m[1];
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json,
      location: res.headers.get('location'),
      setCookies: res.headers.getSetCookie(),
    };
  }
}

// ---- common flows ----------------------------------------------------

/** Logs the client in through the HTML form; asserts the 303. */
export async function logIn(client, email, password = GOOD_PASSWORD) {
  await client.get('/login');
  const res = await client.postForm('/login', { email, password });
  assert.equal(res.status, 303, `login as ${email} failed: ${res.status}\n${res.text}`);
  return res;
}

/** Signs up through the JSON API; asserts 201 and returns the person. */
export async function signUpJson(client, { email = uniqueEmail(), name = 'Sam', password = GOOD_PASSWORD } = {}) {
  const res = await client.postJson('/api/v1/signup', { email, display_name: name, password });
  assert.equal(res.status, 201, `sign-up of ${email} failed: ${res.status} ${res.text}`);
  return { ...res.json.person, password };
}

/** The signed-in person's account as JSON (asserts 200). */
export async function account(client) {
  const res = await client.get('/api/v1/account');
  assert.equal(res.status, 200, `GET /api/v1/account: ${res.status} ${res.text}`);
  return res.json.person;
}

/** Error body of a JSON answer: {code, message, field?}. */
export function jsonError(res) {
  assert.ok(res.json && res.json.error, `expected a JSON error, got ${res.status} ${res.text}`);
  return res.json.error;
}

/** A refusal: the status, a JSON error naming field (when given) and a
 * message that says what to do. Returns the error. */
export function assertRefused(res, status, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  const err = jsonError(res);
  if (field !== undefined)
    assert.equal(err.field, field, JSON.stringify(err));
  assert.ok(err.message.length > 10, 'the message says what to do');
  return err;
}
