// ops.test.mjs - what operators see: /healthz, /metrics (Prometheus text
// with request counters, a latency histogram and open connections), and the
// server's log on stderr: logfmt lines that never hold a password, a session
// or CSRF token, an invitation token or an email address. The server runs
// without --quiet here so every request is logged. Also a clean stop on
// SIGTERM and SIGINT, letting a request in flight finish.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, uniqueEmail, logIn, sleep, GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, USE_PG, itStopsCleanly,
} from './lib/server.mjs';

// key=value pairs separated by single spaces; a value is bare or a quoted
// string with \-escapes.
const LOGFMT_LINE = /^[a-z_]+=(?:"(?:[^"\\]|\\.)*"|[^\s"=]+)(?: [a-z_]+=(?:"(?:[^"\\]|\\.)*"|[^\s"=]+))*$/;

describe('operations', () => {
  const email = uniqueEmail('ops');
  let srv;
  before(async () => {
    srv = await startServer({ users: [{ email, name: 'Otto', password: GOOD_PASSWORD }], quiet: false });
  });
  after(() => srv?.stop());

  it('GET /healthz reports {status: "ok", database: "ok"} on the backend under test', async () => {
    const res = await srv.client().get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.database, 'ok');
    assert.equal(res.json.backend, USE_PG ? 'postgres' : 'sqlite');
  });

  it('GET /metrics is Prometheus text with counters, a histogram and open connections', async () => {
    const c = srv.client();
    await c.get('/healthz');
    await c.get('/nope');
    const res = await c.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain/);
    const text = res.text;

    assert.match(text, /^# TYPE hearth_http_requests_total counter$/m);
    const healthz = /^hearth_http_requests_total\{route="\/healthz",status="200"\} (\d+)$/m.exec(text);
    assert.ok(healthz && Number(healthz[1]) >= 2, 'healthz requests are counted');
    assert.match(text, /^hearth_http_requests_total\{route="unmatched",status="404"\} [1-9]\d*$/m);

    assert.match(text, /^# TYPE hearth_http_request_duration_seconds histogram$/m);
    const buckets = [...text.matchAll(/^hearth_http_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)];
    assert.ok(buckets.length >= 2, 'several buckets');
    assert.equal(buckets.at(-1)[1], '+Inf');
    const counts = buckets.map((m) => Number(m[2]));
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'buckets are cumulative');
    const count = Number(/^hearth_http_request_duration_seconds_count (\d+)$/m.exec(text)?.[1]);
    assert.equal(count, counts.at(-1), '_count equals the +Inf bucket');
    assert.match(text, /^hearth_http_request_duration_seconds_sum \d+(\.\d+)?$/m);

    assert.match(text, /^# TYPE hearth_http_open_connections gauge$/m);
    const open = /^hearth_http_open_connections (-?\d+)$/m.exec(text);
    assert.ok(open, 'hearth_http_open_connections is there');
    assert.ok(Number(open[1]) >= 1, 'this request\'s connection is open');
  });

  it('logs logfmt lines that hold no password, token or email address', async () => {
    // Things a log must never show, gathered while using the site.
    const secrets = new Set([email, GOOD_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD]);
    const keep = (c) => {
      for (const v of c.cookies.values()) secrets.add(v);
      if (c.csrf) secrets.add(c.csrf);
    };

    // Log in through the form, and fail once with another password.
    const wrong = 'wrong-password-for-the-log';
    secrets.add(wrong);
    const c = srv.client();
    await c.get('/login');
    keep(c);
    assert.equal((await c.postForm('/login', { email, password: wrong })).status, 401);
    await logIn(c, email);
    keep(c);
    await c.get('/account/sessions');
    await c.get(`/account?note=${encodeURIComponent(email)}`);
    keep(c);

    // Sign up through the API; change the password; log out.
    const newEmail = uniqueEmail('logged');
    const newPassword = 'log test pebble 88';
    secrets.add(newEmail).add(newPassword);
    const d = srv.client();
    assert.equal((await d.postJson('/api/v1/signup', { email: newEmail, display_name: 'Lo', password: GOOD_PASSWORD })).status, 201);
    keep(d);
    assert.equal((await d.postJson('/api/v1/account/password', { current_password: GOOD_PASSWORD, new_password: newPassword })).status, 200);
    await d.get('/account');
    keep(d);
    assert.equal((await d.postForm('/logout', {})).status, 303);

    // An administrator makes an invitation, which is then used.
    const admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    keep(admin);
    const inv = await admin.postJson('/api/v1/admin/invitations', { email: uniqueEmail('invitee') });
    assert.equal(inv.status, 201);
    const token = new URL(inv.json.created.path, srv.origin).searchParams.get('invite');
    secrets.add(token).add(inv.json.created.email);
    await srv.client().get(inv.json.created.path);

    // A few refused requests too.
    await srv.client().postJson('/api/v1/login', `{"email": "${email}", "password": `);
    await srv.client().get(`/%FF${email}`);
    await srv.client().postJson('/api/v1/login', { email, password: 'x'.repeat(70 * 1024) });

    const marker = await srv.client().get('/healthz?end-of-log-test=1');
    assert.equal(marker.status, 200);
    const log = await srv.waitForLog((t) => (t.match(/route=\/healthz/g) ?? []).length >= 3);

    const lines = log.split('\n').filter((l) => l !== '');
    assert.ok(lines.length >= 15, `only ${lines.length} log lines:\n${log}`);
    for (const line of lines) {
      assert.match(line, LOGFMT_LINE, `not logfmt: ${line}`);
      assert.match(line, /^ts=\S+ level=(info|notice|warning|error) event=\S+/, `no ts/level/event: ${line}`);
    }
    assert.match(log, /event=request method=POST route=\/login status=401/);
    assert.match(log, /event=request method=POST route=\/signup status=201/);
    for (const secret of secrets)
      assert.ok(!log.includes(secret), `the log contains a secret: ${secret.slice(0, 12)}...`);
    assert.doesNotMatch(log, /@example\.org/, 'no email address at all');
    assert.doesNotMatch(log, /[0-9a-f]{64}/, 'no session-sized token at all');
    assert.doesNotMatch(log, /invite=/, 'no query strings');
  });

  itStopsCleanly(() => srv);
});

describe('stopping the server', () => {
  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const email = uniqueEmail('late');
    const srv = await startServer({ users: [{ email }] });
    const body = Buffer.from(JSON.stringify({ email, password: GOOD_PASSWORD }));
    const half = Math.floor(body.length / 2);

    // Send the headers and half the body, so the request is under way...
    const answer = new Promise((resolve, reject) => {
      const req = http.request(`${srv.origin}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' },
      }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, half));
      sleep(300).then(() => srv.kill('SIGTERM'))
        .then(() => sleep(300))
        .then(() => req.end(body.subarray(half)));
    });

    // ...and it is still answered, before the server exits cleanly.
    const res = await answer;
    assert.equal(res.status, 200, res.text);
    assert.equal(JSON.parse(res.text).person.email, email);
    await srv.stop();
    assert.match(srv.stderr, /event=stopping signal=TERM/);
    assert.match(srv.stderr, /event=stopped/);
  });

  it('stops cleanly on SIGINT too (exit code 0)', async () => {
    const srv = await startServer();
    assert.equal((await srv.client().get('/healthz')).status, 200);
    await srv.stop('SIGINT');
    assert.match(srv.stderr, /event=stopping signal=INT/);
  });
});
