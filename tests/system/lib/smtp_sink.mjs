// smtp_sink.mjs - a small SMTP server for the mail tests, on loopback: it
// speaks enough SMTP for libcurl (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET,
// NOOP, QUIT), keeps every message it accepts, and can be told to refuse a
// recipient the first few times (a 4xx or 5xx on RCPT TO), as a relay that
// refuses and then accepts. Also: parsing a message into headers and its
// decoded MIME parts, and making an unsubscribe token the way the server
// does (for tests that have no email to take one from).

import net from 'node:net';
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { run, USE_PG, sleep } from './server.mjs';

/** Headers (lower-case names, folded lines joined) and decoded parts. */
export function parseMail(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const parts = {};
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    for (const chunk of raw.slice(split + 4).split(`--${boundary}`)) {
      const end = chunk.indexOf('\r\n\r\n');
      if (end < 0)
        continue;
      const type = /content-type:\s*([^;\r\n]+)/i.exec(chunk.slice(0, end))?.[1];
      const b64 = /content-transfer-encoding:\s*base64/i.test(chunk.slice(0, end));
      const body = chunk.slice(end + 4);
      parts[type] = b64 ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
    }
  }
  return { headers, parts, raw };
}

/** Decodes RFC 2047 encoded-words (UTF-8, B) in a header value. */
export function decodeHeader(value) {
  // white space between two encoded-words is not part of the text (RFC 2047)
  return value.replace(/\?=\s+(?==\?UTF-8\?B\?)/gi, '?=')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

/**
 * Starts the sink on a free loopback port: {port, url, messages, refuse(),
 * waitFor(), close()}. Each message is {from, to: [...], ...parseMail()}.
 */
export async function startSmtpSink() {
  const messages = [];
  const refusals = new Map();   // address -> [codes still to answer with]
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buffer = '';
    let data = null;        // lines of DATA while reading it
    let env = { from: null, to: [] };
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 sink.test ESMTP ready');
    sock.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let nl;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (data) {
          if (line === '.') {
            const raw = Buffer.from(data.join('\r\n') + '\r\n', 'latin1').toString('utf8');
            messages.push({ from: env.from, to: env.to, ...parseMail(raw) });
            data = null;
            env = { from: null, to: [] };
            say('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO')
          say('250 sink.test');
        else if (verb === 'MAIL') {
          env = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [] };
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          const to = /<([^>]*)>/.exec(line)?.[1] ?? '';
          const codes = refusals.get(to);
          if (codes?.length) {
            const code = codes.shift();
            say(`${code} ${code >= 500 ? '5.7.1 refused' : '4.3.0 try again later'}`);
          } else {
            env.to.push(to);
            say('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          if (!env.to.length)
            say('503 5.5.1 no recipients');
          else {
            data = [];
            say('354 end with <CRLF>.<CRLF>');
          }
        } else if (verb === 'RSET') {
          env = { from: null, to: [] };
          say('250 2.0.0 ok');
        } else if (verb === 'NOOP')
          say('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          sock.end();
        } else
          say('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Refuses RCPT TO address with each of codes in turn, then accepts. */
    refuse(address, codes) {
      refusals.set(address, [...codes]);
    },
    /** The messages to address. */
    to(address) {
      return messages.filter((m) => m.to.includes(address));
    },
    /** Waits until test() finds a message (returns it), or fails. */
    async waitFor(test, what = 'a message', timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(test);
        if (found)
          return found;
        assert.ok(Date.now() < deadline, `the sink did not receive ${what}; it has ${messages.length}`);
        await sleep(25);
      }
    },
    close() {
      for (const s of sockets)
        s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The server secret of a test server's database (hex), read with sqlite3
 * or psql. */
async function serverSecret(srv) {
  const q = "SELECT value FROM settings WHERE key = 'server_secret'";
  const r = USE_PG
    ? await run('psql', ['-X', '-q', '-t', '-A', '-d', srv.database.name, '-c', q])
    : await run('sqlite3', ['-cmd', '.timeout 5000', srv.database.url, q]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** An unsubscribe token for personId, as the server makes them (an HMAC
 * of "unsubscribe|<id>" under the server secret). */
export async function unsubscribeToken(srv, personId) {
  const secret = Buffer.from(await serverSecret(srv), 'hex');
  const mac = createHmac('sha256', secret).update(`unsubscribe|${personId}`).digest('hex');
  return `${personId}.${mac}`;
}
