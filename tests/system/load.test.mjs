// load.test.mjs - behaviour under load (issue 6): over the connection limit
// (and the limit per address) surplus connections are closed at once rather
// than left waiting, and the server recovers when the load stops; a client
// that sends its request too slowly is cut off after the timeout, while one
// worker thread keeps serving everyone else. Raw TCP sockets play the
// clients. Time limits below are hang guards only, never measurements.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, sleep, itStopsCleanly } from './lib/server.mjs';

const HANG_GUARD_MS = 15_000;

/** A raw connection to the server: {socket, data, ended (a promise of how
 * it ended: "eof" or an error code), open()}. */
function connect(srv, { localAddress } = {}) {
  const socket = net.connect({ host: '127.0.0.1', port: srv.port, localAddress });
  const conn = { socket, data: '', how: null };
  conn.connected = new Promise((resolve) => socket.once('connect', resolve));
  conn.ended = new Promise((resolve) => {
    socket.on('data', (d) => { conn.data += d; });
    socket.on('error', (err) => { conn.how ??= err.code; });
    socket.on('close', () => { conn.how ??= 'eof'; resolve(conn.how); });
  });
  conn.open = () => conn.how === null;
  return conn;
}

/** Resolves when test() holds, or fails the test after the hang guard. */
async function waitUntil(what, test) {
  const deadline = Date.now() + HANG_GUARD_MS;
  while (!test()) {
    assert.ok(Date.now() < deadline, `still waiting after ${HANG_GUARD_MS} ms: ${what}`);
    await sleep(20);
  }
}

/** How a connection ended, with a hang guard. */
async function endOf(conn) {
  let timer;
  const guard = new Promise((resolve) => { timer = setTimeout(() => resolve('still open'), HANG_GUARD_MS); });
  const how = await Promise.race([conn.ended, guard]);
  clearTimeout(timer);
  if (how === 'still open')
    conn.socket.destroy();
  return how;
}

/** What the server answered on a connection must be nothing or a whole
 * HTTP status line: never garbage. */
function assertNotGarbled(conn) {
  assert.ok(conn.data === '' || /^HTTP\/1\.[01] [1-5][0-9][0-9] /.test(conn.data),
    `garbled answer: ${JSON.stringify(conn.data.slice(0, 80))}`);
}

/** GET path on a connection of its own that the server closes after the
 * answer (fetch() would reuse a kept-alive one, which the short timeouts
 * here may close just as it is reused); returns the raw answer. */
async function rawGet(srv, path) {
  const conn = connect(srv);
  await conn.connected;
  conn.socket.write(`GET ${path} HTTP/1.1\r\nHost: hearth.test\r\nConnection: close\r\n\r\n`);
  await endOf(conn);
  return conn.data;
}

/** Waits until no connection but the asking one is open: fetch() keeps
 * the connection of the server's start-up check alive for a few seconds,
 * and it would take one of the places counted below. */
async function waitForNoConnections(srv) {
  const deadline = Date.now() + HANG_GUARD_MS;
  for (;;) {
    const metrics = await rawGet(srv, '/metrics');
    if (/^hearth_http_open_connections 1$/m.test(metrics))
      return;
    assert.ok(Date.now() < deadline, `connections stay open:\n${metrics}`);
    await sleep(200);
  }
}

/** Opens n connections at once, each holding an unfinished request. */
async function holdConnections(srv, n, opts) {
  const conns = Array.from({ length: n }, () => connect(srv, opts));
  await Promise.all(conns.map(async (c) => {
    await Promise.race([c.connected, c.ended]);
    if (c.open())
      c.socket.write('GET /healthz HTTP/1.1\r\nHost: hearth.test\r\n');
  }));
  return conns;
}

const CLOSED = ['eof', 'ECONNRESET', 'EPIPE'];

/** Waits until at least n of conns are closed: the hang guard fails the
 * test if the server leaves the surplus waiting. */
async function surplusClosed(conns, n) {
  await waitUntil(`${n} surplus connections to be closed`,
    () => conns.filter((c) => !c.open()).length >= n);
}

/** Finishes the held request on each connection still open, and sorts
 * them: answered 200 (held) or closed without an answer (refused); any
 * other ending fails the test. */
async function settle(conns) {
  for (const c of conns.filter((c) => c.open())) {
    c.socket.write('\r\n');
    await waitUntil('an answer to a held request', () => /\r\n\r\n/.test(c.data) || !c.open());
  }
  const held = conns.filter((c) => c.data !== '');
  const refused = conns.filter((c) => c.data === '');
  for (const c of held)
    assert.match(c.data, /^HTTP\/1\.1 200 /, `a held connection got: ${JSON.stringify(c.data.slice(0, 80))}`);
  for (const c of refused) {
    await waitUntil('a refused connection to end', () => !c.open());
    assert.ok(CLOSED.includes(c.how), `ended by ${c.how}`);
  }
  return { held, refused };
}

/** The server may still count the connection of waitForNoConnections for
 * a moment after its answer, so one place fewer may be free. */
function assertHeldUpTo(held, limit) {
  assert.ok(held.length <= limit && held.length >= limit - 1,
    `${held.length} connections held, with a limit of ${limit}`);
}

/** The server's log lines for one event. */
function logLines(srv, event) {
  return srv.stderr.split('\n').filter((l) => l.includes(` event=${event}`));
}

/** Waits until the refusals logged for reason add up to n (they are
 * logged once a second at most, with a count); returns their lines. */
async function refusalLines(srv, reason, n) {
  const lines = () => logLines(srv, 'connection_refused');
  const total = () => lines().reduce((sum, l) => sum + Number(/ count=(\d+)$/.exec(l)?.[1] ?? 0), 0);
  await srv.waitForLog(() => total() >= n, HANG_GUARD_MS);
  assert.equal(total(), n, srv.stderr);
  for (const line of lines())
    assert.match(line, new RegExp(`^ts=\\S+ level=warning event=connection_refused reason=${reason} count=[1-9][0-9]*$`));
  return lines();
}

/** GET /groups until it answers 200 (the server may take a moment to see
 * the released connections close), with the hang guard. */
async function getUntilOk(srv) {
  const deadline = Date.now() + HANG_GUARD_MS;
  for (;;) {
    try {
      const res = await srv.client().get('/groups');
      if (res.status === 200)
        return res;
    } catch { /* refused while the old connections close */ }
    assert.ok(Date.now() < deadline, 'the server did not recover after the load stopped');
    await sleep(50);
  }
}

describe('at twice the connection limit ([server] connection_limit = 8)', () => {
  const LIMIT = 8;
  let srv;
  before(async () => {
    // A long timeout, so the held connections stay held until released:
    // the surplus must be closed while they are.
    srv = await startServer({
      config: { server: { connection_limit: LIMIT, per_address_limit: 64, timeout_seconds: 60, threads: 2 } },
    });
  });
  after(() => srv?.stop());

  it('closes the surplus connections at once, answers the held ones, and recovers when they go', async () => {
    await waitForNoConnections(srv);
    const conns = await holdConnections(srv, 2 * LIMIT);
    await surplusClosed(conns, LIMIT);
    // While the limit is reached, one more is refused too.
    assert.ok(CLOSED.includes(await endOf(connect(srv))));
    const { held, refused } = await settle(conns);
    assertHeldUpTo(held, LIMIT);
    // The first refusal is logged at once, the rest in one line a second.
    // (Counted before the release: a first GET after it may be refused too.)
    const lines = await refusalLines(srv, 'connection_limit', refused.length + 1);
    assert.ok(lines.length <= 3, `one line a second at most:\n${lines.join('\n')}`);

    for (const c of held)
      c.socket.destroy();
    const res = await getUntilOk(srv);
    assert.match(res.text, /<html/);
  });

  itStopsCleanly(() => srv);
});

describe('over the limit per address ([server] per_address_limit = 4)', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      config: { server: { connection_limit: 64, per_address_limit: 4, timeout_seconds: 60, threads: 2 } },
    });
  });
  after(() => srv?.stop());

  it('closes the surplus from one address at once, still takes another address, and recovers', async () => {
    await waitForNoConnections(srv);
    const conns = await holdConnections(srv, 8);
    await surplusClosed(conns, 4);
    // Another loopback address is another client.
    const [other] = await holdConnections(srv, 1, { localAddress: '127.0.0.2' });
    assert.ok(other.open(), 'a connection from another address was refused');
    const { held, refused } = await settle([...conns, other]);
    assertHeldUpTo(held.filter((c) => c !== other), 4);
    assert.ok(held.includes(other));
    await refusalLines(srv, 'per_address_limit', refused.length);

    for (const c of held)
      c.socket.destroy();
    await getUntilOk(srv);
  });

  itStopsCleanly(() => srv);
});

describe('slow clients ([server] timeout_seconds = 2, threads = 1)', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      config: { server: { connection_limit: 8, per_address_limit: 8, timeout_seconds: 2, threads: 1 } },
    });
  });
  after(() => srv?.stop());

  /** Writes one byte of text every 500 ms (well inside the timeout)
   * until the connection ends. */
  function trickle(conn, text) {
    let i = 0;
    const timer = setInterval(() => {
      if (!conn.open() || i >= text.length)
        return clearInterval(timer);
      conn.socket.write(text[i++]);
    }, 500);
    conn.ended.then(() => clearInterval(timer));
  }

  /** While conn stalls or trickles, the one worker serves others. */
  async function othersAreServed() {
    for (const path of ['/healthz', '/groups'])
      assert.match(await rawGet(srv, path), /^HTTP\/1\.1 200 /, path);
  }

  it('closes a connection that sent half a request line and stalled, serving others meanwhile', async () => {
    const conn = connect(srv);
    await conn.connected;
    conn.socket.write('GET /grou');
    await othersAreServed();
    assert.ok(['eof', 'ECONNRESET'].includes(await endOf(conn)), 'the stalled connection was never closed');
    assertNotGarbled(conn);
  });

  it('cuts off headers sent a byte at a time (each byte inside the timeout, the whole too slow)', async () => {
    const before = logLines(srv, 'slow_request_closed').length;
    const conn = connect(srv);
    await conn.connected;
    conn.socket.write('GET /groups HTTP/1.1\r\nHost: hearth.test\r\nX-Slow: ');
    trickle(conn, 'a'.repeat(1000));
    await othersAreServed();
    assert.ok(['eof', 'ECONNRESET'].includes(await endOf(conn)), 'the trickling connection was never closed');
    assertNotGarbled(conn);
    await srv.waitForLog(() => logLines(srv, 'slow_request_closed').length > before);
    const lines = logLines(srv, 'slow_request_closed').slice(before);
    assert.equal(lines.length, 1, srv.stderr);
    assert.match(lines[0], /^ts=\S+ level=notice event=slow_request_closed phase=headers$/);
  });

  it('cuts off a body sent slower than the timeout allows, and logs in no one', async () => {
    const before = logLines(srv, 'slow_request_closed').length;
    const body = JSON.stringify({ email: 'admin@example.org', password: 'admin quiet harbour 7' });
    const conn = connect(srv);
    await conn.connected;
    conn.socket.write('POST /api/v1/login HTTP/1.1\r\nHost: hearth.test\r\n'
      + `Origin: ${srv.origin}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    trickle(conn, body);
    await othersAreServed();
    assert.ok(['eof', 'ECONNRESET'].includes(await endOf(conn)), 'the slow body was never cut off');
    assertNotGarbled(conn);
    assert.doesNotMatch(conn.data, /hearth_session=/);
    await srv.waitForLog(() => logLines(srv, 'slow_request_closed').length > before);
    const lines = logLines(srv, 'slow_request_closed').slice(before);
    assert.equal(lines.length, 1, srv.stderr);
    assert.match(lines[0], /^ts=\S+ level=notice event=slow_request_closed phase=body$/);
  });

  it('answers a header larger than a connection may hold with an error, not a hang', async () => {
    const conn = connect(srv);
    await conn.connected;
    conn.socket.write(`GET /groups HTTP/1.1\r\nHost: hearth.test\r\nX-Huge: ${'a'.repeat(200 * 1024)}\r\n\r\n`);
    assert.ok(CLOSED.includes(await endOf(conn)), 'the huge header hung');
    assertNotGarbled(conn);
    if (conn.data)
      assert.match(conn.data, /^HTTP\/1\.1 4[0-9][0-9] /);
    await othersAreServed();
  });

  it('logs these events without an address, a path or a header value', () => {
    for (const line of srv.stderr.split('\n').filter((l) => /event=(slow_request_closed|connection_refused|http_library)/.test(l)))
      assert.doesNotMatch(line, /127\.0\.0\.1|\/groups|\/login|X-Slow|aaaa|admin@/, line);
  });

  itStopsCleanly(() => srv);
});
