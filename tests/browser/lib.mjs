// lib.mjs - shared helpers for Hearth's browser tests: a fresh server on a
// temporary SQLite database, Debian's Chromium driven by playwright-core,
// an axe-core check, and the list of pages every suite walks through.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { world, localDate } from './world.mjs';
import { checkinWorld, RSE } from './checkin_world.mjs';

const require = createRequire(import.meta.url);

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const HEARTH_BIN = process.env.HEARTH_BIN
	? path.resolve(process.env.HEARTH_BIN)
	: path.join(REPO, 'build', 'hearth');
export const SCREENSHOTS = path.join(HERE, 'screenshots');

export const ADMIN = { email: 'admin@example.org', password: 'admin hearth kettle 42', name: 'Administrator' };
export const MEMBER = { email: 'sam@example.org', password: 'member lantern river 7', name: 'Sam Rivers' };

// ---- the server -------------------------------------------------------

function hearth(args, input) {
	const r = spawnSync(HEARTH_BIN, args, { input, encoding: 'utf8', timeout: 30_000 });
	if (r.error)
		throw new Error(`cannot run ${HEARTH_BIN}: ${r.error.message} (build it with: ninja -C build, or set HEARTH_BIN)`);
	if (r.status !== 0)
		throw new Error(`hearth ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
	return r.stdout;
}

/** A TCP port that was free a moment ago: listen on 0, note it, close. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `hearth serve` on a free port and waits for /healthz. */
async function serve(db) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(HEARTH_BIN, ['--database', db, 'serve', '--listen', `127.0.0.1:${port}`, '--quiet'],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (d) => { output += d; });
	child.stderr.on('data', (d) => { output += d; });
	let exited = null;
	const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
		exited = { code, signal };
		resolve(exited);
	}));
	const kill = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
	process.on('exit', kill);

	const deadline = Date.now() + 10_000;
	for (;;) {
		if (exited) {
			process.off('exit', kill);
			return { failed: `hearth serve on port ${port} exited early (${JSON.stringify(exited)}):\n${output}` };
		}
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok)
				return { url, child, exit, kill, output: () => output, exited: () => exited };
		} catch { /* not listening yet */ }
		if (Date.now() > deadline) {
			kill();
			process.off('exit', kill);
			return { failed: `hearth serve on port ${port} did not answer /healthz within 10 s:\n${output}` };
		}
		await sleep(50);
	}
}

/**
 * Starts `hearth serve` on a fresh database holding an administrator
 * (ADMIN) and a member (MEMBER). Returns { url, stop(), log() }; stop()
 * sends SIGTERM and resolves to how the server exited.
 */
let serverDatabase = null;   // the database of the server startServer made

/** The member's one-click unsubscribe link, made as the server makes it (an
 * HMAC of "unsubscribe|<id>" under the server secret, read from the
 * database with the sqlite3 command). */
function memberUnsubscribePath() {
	const read = (sql) => {
		const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', serverDatabase, sql], { encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`sqlite3: ${r.stderr}`);
		return r.stdout.trim();
	};
	const id = read(`SELECT id FROM person WHERE email = '${MEMBER.email}'`);
	const secret = Buffer.from(read("SELECT value FROM settings WHERE key = 'server_secret'"), 'hex');
	const mac = createHmac('sha256', secret).update(`unsubscribe|${id}`).digest('hex');
	return `/unsubscribe?t=${id}.${mac}`;
}

export async function startServer() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-browser-'));
	const db = path.join(dir, 'hearth.db');
	serverDatabase = db;
	hearth(['--database', db, 'init', '--admin-email', ADMIN.email,
		'--admin-password-file', '-'], ADMIN.password + '\n');
	hearth(['--database', db, 'user', 'add', MEMBER.email, '--name', MEMBER.name,
		'--password-stdin'], MEMBER.password + '\n');

	// The port was free a moment ago; if something took it since, try another.
	let s;
	const failures = [];
	for (let attempt = 0; attempt < 3; attempt++) {
		s = await serve(db);
		if (!s.failed)
			break;
		failures.push(s.failed);
	}
	if (s.failed) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(failures.join('\n'));
	}

	return {
		url: s.url,
		log: s.output,
		async stop() {
			if (!s.exited()) {
				s.child.kill('SIGTERM');
				const timer = setTimeout(s.kill, 5_000);
				await s.exit;
				clearTimeout(timer);
			}
			process.off('exit', s.kill);
			rmSync(dir, { recursive: true, force: true });
			const how = s.exited();
			if (how.code !== 0)
				process.stderr.write(`# hearth serve did not exit cleanly on SIGTERM: ${JSON.stringify(how)}\n${s.output()}`);
			return how;
		},
	};
}

// ---- the browser ------------------------------------------------------

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
	});
}

/** A browser context whose relative URLs go to the server. */
export async function newContext(browser, server, options = {}) {
	const context = await browser.newContext({ baseURL: server.url, reducedMotion: 'reduce', ...options });
	context.setDefaultTimeout(10_000);
	return context;
}

/** Logs in through the login form (a helper for set-up, not a keyboard test). */
export async function logIn(page, who) {
	await page.goto('/login');
	await page.fill('#email', who.email);
	await page.fill('#password', who.password);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('main button[type=submit]')]);
}

/**
 * Waits for two animation frames. Right after a Tab, Chromium can report
 * styles a frame old (seen: a focused skip link still at its unfocused
 * top: -10rem), so measure after this. (A colour scheme changed with
 * emulateMedia takes longer still, hence one context per scheme.)
 */
export function settle(page) {
	return page.evaluate(() => new Promise((resolve) =>
		requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

// ---- axe-core ---------------------------------------------------------

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe-core on the page; returns every violation found. The script goes
 * in through the DevTools protocol (page.evaluate), so the page's CSP
 * (default-src 'self') stays in force for the page itself. */
export async function axeViolations(page) {
	await settle(page);
	// A fresh axe for every run, so nothing is answered from an earlier
	// run's caches.
	await page.evaluate(`${AXE_SOURCE}\n;undefined`);
	return page.evaluate(async (tags) => {
		const results = await window.axe.run(document, {
			runOnly: { type: 'tag', values: tags },
			resultTypes: ['violations'],
		});
		return results.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map((n) => ({ target: n.target.join(' '), impact: n.impact, summary: n.failureSummary })),
		}));
	}, AXE_TAGS);
}

export function formatViolations(violations) {
	return violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n` +
		v.nodes.map((n) => `      at ${n.target}${n.summary ? `\n        ${n.summary.replace(/\n/g, '\n        ')}` : ''}`).join('\n'))
		.join('\n');
}

/**
 * Fails (throws) if axe finds a serious or critical violation on the page;
 * returns the lesser ones so the caller can report them.
 */
export async function checkA11y(page, label) {
	const violations = await axeViolations(page);
	const blocking = violations.filter((v) => BLOCKING.has(v.impact));
	if (blocking.length)
		throw new Error(`axe found ${blocking.length} serious or critical violation(s) on ${label} (${page.url()}):\n${formatViolations(blocking)}`);
	return violations;
}

// ---- reflow ------------------------------------------------------------

/** The page's horizontal overflow in CSS pixels (0 when it fits). */
export function horizontalOverflow(page) {
	return page.evaluate(() => {
		const el = document.documentElement;
		return Math.max(0, el.scrollWidth - el.clientWidth);
	});
}

/**
 * Elements that stick out past the viewport's right edge and are not
 * clipped by a scrolling ancestor (for messages: these widen the page).
 */
export function overflowingElements(page) {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		// Whether an ancestor with overflow other than visible clips el: an
		// absolutely positioned element is clipped only from its containing
		// block (its nearest positioned ancestor) outwards.
		function clipped(el) {
			const pos = getComputedStyle(el).position;
			if (pos === 'fixed')
				return false;
			let needPositioned = pos === 'absolute';
			for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
				const cs = getComputedStyle(n);
				if (needPositioned && cs.position === 'static')
					continue;
				needPositioned = false;
				if (cs.overflowX !== 'visible')
					return n.getBoundingClientRect().right <= width + 1;
			}
			return false;
		}
		const out = [];
		for (const el of document.body.querySelectorAll('*')) {
			const r = el.getBoundingClientRect();
			if (r.right > width + 1 && r.width > 0 && !clipped(el)) {
				let name = el.tagName.toLowerCase();
				if (el.id) name += `#${el.id}`;
				if (el.classList.length) name += `.${[...el.classList].join('.')}`;
				const pos = getComputedStyle(el).position;
				out.push(`${name}${pos !== 'static' ? ` (position: ${pos})` : ''} right edge at ${Math.round(r.right)}px`);
			}
		}
		return out.slice(0, 10);
	});
}

// ---- the pages ----------------------------------------------------------

/** Submits the form that holds `selector` and waits for the answer. */
export async function submit(page, selector = 'main button[type=submit]') {
	await Promise.all([page.waitForEvent('load'), page.click(selector)]);
}

/** The groups world (world.mjs) of the server a page talks to. */
const groupsWorld = (p) => world(p, { admin: ADMIN, member: MEMBER });
/** An open() that goes to a path made from the groups world. */
const goTo = (pathOf) => async (p) => p.goto(pathOf(await groupsWorld(p)));

/**
 * Every page state the suites check, in an order that works on one server.
 * Each has a name, the role whose context opens it (anon, member or admin;
 * see openRoles), the status the page must come with, an open(page) that
 * brings it up and resolves to the main response, and what the page must
 * show: an error summary, the field marked aria-invalid, a notice.
 */
export const PAGES = [
	{ name: 'front page (signed out)', shot: 'front', role: 'anon', status: 200, open: (p) => p.goto('/') },
	{ name: 'front page after logging out', role: 'anon', status: 200, open: (p) => p.goto('/?logged_out=1'), expect: { notice: true } },
	{ name: 'login', shot: 'login', role: 'anon', status: 200, open: (p) => p.goto('/login') },
	{
		name: 'login after a failed attempt (wrong password)', role: 'anon', status: 401,
		async open(p) {
			await p.goto('/login');
			await p.fill('#email', MEMBER.email);
			await p.fill('#password', 'not the password');
			return postForm(p);
		},
		expect: { summary: true },
	},
	{
		name: 'login after a failed attempt (no password)', role: 'anon', status: 422,
		async open(p) {
			await p.goto('/login');
			await p.fill('#email', MEMBER.email);
			return postForm(p);
		},
		expect: { summary: true, invalid: 'password' },
	},
	{ name: 'signup', shot: 'signup', role: 'anon', status: 200, open: (p) => p.goto('/signup') },
	{
		name: 'signup with errors (empty form)', role: 'anon', status: 422,
		async open(p) {
			await p.goto('/signup');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'email' },
	},
	{ name: '404 error page', role: 'anon', status: 404, open: (p) => p.goto('/does-not-exist') },
	{ name: 'front page (signed in)', role: 'member', status: 200, open: (p) => p.goto('/') },
	{ name: 'account', shot: 'account', role: 'member', status: 200, open: (p) => p.goto('/account') },
	{ name: 'account with a notice', role: 'member', status: 200, open: (p) => p.goto('/account?saved=1'), expect: { notice: true } },
	{
		name: 'account with a form error', role: 'member', status: 422,
		async open(p) {
			await p.goto('/account');
			await p.fill('#display_name', '');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'display_name' },
	},
	{ name: 'sessions', shot: 'sessions', role: 'member', status: 200, open: (p) => p.goto('/account/sessions') },
	{ name: 'email notifications', shot: 'notifications', role: 'member', status: 200, open: (p) => p.goto('/account/notifications') },
	{ name: 'unsubscribe with a broken link', role: 'anon', status: 400, open: (p) => p.goto('/unsubscribe?t=not-a-token') },
	{ name: 'unsubscribe: confirm (from an email)', role: 'anon', status: 200, open: (p) => p.goto(memberUnsubscribePath()) },
	{ name: 'password', shot: 'password', role: 'member', status: 200, open: (p) => p.goto('/account/password') },
	{
		name: 'password with an error', role: 'member', status: 422,
		async open(p) {
			await p.goto('/account/password');
			await p.fill('#current_password', 'not the password');
			await p.fill('#new_password', 'a brand new pass phrase');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'current_password' },
	},
	{ name: '403 error page (member at /admin/invitations)', role: 'member', status: 403, open: (p) => p.goto('/admin/invitations') },
	{ name: 'invitations (admin)', shot: 'invitations', role: 'admin', status: 200, open: (p) => p.goto('/admin/invitations') },
	{
		name: 'invitations after making one', role: 'admin', status: 201,
		async open(p) {
			await p.goto('/admin/invitations');
			await p.fill('#email', 'new.member@example.org');
			return postForm(p);
		},
		expect: { notice: true },
	},
	{
		name: 'invitations with an error', role: 'admin', status: 422,
		async open(p) {
			await p.goto('/admin/invitations');
			await p.fill('#email', 'not an email address');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'email' },
	},
	// ---- groups, membership and meetings (the world of world.mjs) ----
	// The member (MEMBER) facilitates Riverside Peer Support (ask to join),
	// belongs to Carers' Coffee Morning (open), and is in neither the Evening
	// Online Circle (invite only) nor the Women's Wellbeing Circle (ask to
	// join). The administrator can do anything a coordinator can.
	{ name: 'directory: all groups', shot: 'directory', role: 'anon', status: 200, open: goTo(() => '/groups') },
	{
		name: 'directory: words, a day, a format and a status', shot: 'directory-search', role: 'anon', status: 200,
		open: goTo(() => '/groups?q=peer+support&day=thu&format=in_person&status=active'),
	},
	{ name: 'directory: near a place, nearest first', role: 'anon', status: 200, open: goTo(() => '/groups?near=53.48,-2.24&radius_km=5&sort=distance') },
	{ name: 'directory: by tag, nothing found', role: 'anon', status: 200, open: goTo(() => '/groups?tag=walking&format=online') },
	{
		name: 'directory with an error (latitude out of range)', role: 'anon', status: 422,
		open: goTo(() => '/groups?near=91,0'), expect: { summary: true, invalid: 'near' },
	},
	{ name: 'directory (coordinator)', role: 'admin', status: 200, open: goTo(() => '/groups') },
	{ name: 'front page with groups (signed in)', shot: 'front-groups', role: 'member', status: 200, open: goTo(() => '/') },
	{ name: 'group page: open, signed out', shot: 'group-open', role: 'anon', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}`) },
	{ name: 'group page: open, member view', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}`) },
	{ name: 'group page: open, coordinator view', shot: 'group-coordinator', role: 'admin', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}`) },
	{ name: 'group page: ask to join, non-member', shot: 'group-approval', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.women}`) },
	{ name: 'group page: ask to join, facilitator view', shot: 'group-facilitator', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}`) },
	{ name: 'group page: invite only, non-member', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.online}`) },
	{ name: 'group page: invite only, signed out', role: 'anon', status: 200, open: goTo((w) => `/groups/${w.groups.online}`) },
	{ name: 'group page: invite only, coordinator view', role: 'admin', status: 200, open: goTo((w) => `/groups/${w.groups.online}`) },
	{ name: 'group page: forming, signed out', role: 'anon', status: 200, open: goTo((w) => `/groups/${w.groups.walk}`) },
	{ name: 'group page after a change (notice)', role: 'admin', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}?saved=1`), expect: { notice: true } },
	{ name: '403 error page (member at /groups/new)', role: 'member', status: 403, open: goTo(() => '/groups/new') },
	{ name: 'group form: new', shot: 'group-new', role: 'admin', status: 200, open: goTo(() => '/groups/new') },
	{
		name: 'group form: new, with errors (empty form)', role: 'admin', status: 422,
		async open(p) {
			await groupsWorld(p);
			await p.goto('/groups/new');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'name' },
	},
	{ name: 'group form: edit (facilitator)', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/edit`) },
	{ name: 'group organisations (facilitator)', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/organisations?find=a&host=1`), expect: { notice: true } },
	{
		name: 'group form: edit, with an error (no name)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.dropIn}/edit`);
			await p.fill('#name', '');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'name' },
	},
	{ name: 'organisations (signed out)', role: 'anon', status: 200, open: goTo(() => '/organisations') },
	{ name: 'organisations (coordinator)', shot: 'organisations', role: 'admin', status: 200, open: goTo(() => '/organisations') },
	{ name: 'organisation form: new', role: 'admin', status: 200, open: goTo(() => '/organisations/new') },
	{ name: 'organisation form: edit', role: 'admin', status: 200, open: goTo((w) => `/organisations/${w.host}/edit`) },
	{
		name: 'organisation form with an error (no name)', role: 'admin', status: 422,
		async open(p) {
			await groupsWorld(p);
			await p.goto('/organisations/new');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'name' },
	},
	{ name: 'tags (signed out)', role: 'anon', status: 200, open: goTo(() => '/tags') },
	{ name: 'tags (coordinator)', shot: 'tags', role: 'admin', status: 200, open: goTo(() => '/tags') },
	{
		name: 'tags with an error (no name)', role: 'admin', status: 422,
		async open(p) {
			await groupsWorld(p);
			await p.goto('/tags');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'name' },
	},
	{ name: 'network settings', shot: 'network', role: 'admin', status: 200, open: goTo(() => '/network') },
	{
		name: 'network settings with an error (unknown time zone)', role: 'admin', status: 422,
		async open(p) {
			await groupsWorld(p);
			await p.goto('/network');
			await p.fill('#time_zone', 'Europe/Atlantis');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'time_zone' },
	},
	{ name: 'people and roles (admin)', shot: 'people', role: 'admin', status: 200, open: goTo(() => '/admin/people') },
	{ name: 'people and roles after saving (notice)', role: 'admin', status: 200, open: goTo(() => '/admin/people?saved=1'), expect: { notice: true } },
	{ name: 'members page: member view', shot: 'members-member', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}/members`) },
	{ name: 'members page: facilitator view, a request waiting', shot: 'members', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/members`) },
	{ name: 'members page: coordinator view', role: 'admin', status: 200, open: goTo((w) => `/groups/${w.groups.online}/members`) },
	{ name: 'members page: found by name', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/members?find=a`) },
	{
		name: 'members page after making an invite link', shot: 'members-invite', role: 'member', status: 201,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.dropIn}/members`);
			await p.fill('#expires_days', '14');
			return postForm(p, 'main form[action$="/invites"] button[type=submit]');
		},
		expect: { notice: true },
	},
	{
		name: 'members page with an error (adding someone without a name)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.dropIn}/members`);
			await p.fill('#pronouns', 'he/him');
			return postForm(p, 'main form[action$="/members"] button[type=submit]');
		},
		expect: { summary: true, invalid: 'display_name' },
	},
	{ name: 'join page: signed out', role: 'anon', status: 200, open: goTo((w) => `/groups/${w.groups.women}/join`) },
	{ name: 'join page: ask to join', shot: 'join-approval', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.women}/join`) },
	{ name: 'join page: with an invite link', shot: 'join-invite', role: 'member', status: 200, open: goTo((w) => w.onlineInvitePath) },
	{ name: 'join page: invite only, no link', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.online}/join`) },
	{ name: 'join page: already a member', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}/join`) },
	{
		name: 'join page with an error (message too long)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.women}/join`);
			// The browser would stop at maxlength; a client that ignores it
			// gets the server's answer.
			await p.evaluate(() => document.getElementById('message').removeAttribute('maxlength'));
			await p.fill('#message', 'x'.repeat(501));
			return postForm(p);
		},
		expect: { summary: true, invalid: 'message' },
	},
	{ name: 'your groups (/me)', shot: 'me', role: 'member', status: 200, open: goTo(() => '/me') },
	{ name: 'your groups after asking to join (notice)', role: 'member', status: 200, open: goTo(() => '/me?requested=1'), expect: { notice: true } },
	{ name: 'your groups, none yet (admin)', role: 'admin', status: 200, open: goTo(() => '/me') },
	{ name: 'meetings list: member view', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}/meetings`) },
	{ name: 'meetings list: facilitator view', shot: 'meetings', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/meetings`) },
	{
		name: 'meetings list with an error (one-off ending before it starts)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.dropIn}/meetings`);
			await p.fill('#date', localDate(5));
			await p.fill('#start_time', '16:00');
			await p.fill('#end_time', '14:00');
			return postForm(p, 'main form[action$="/meetings"] button[type=submit]');
		},
		expect: { summary: true, invalid: 'end_time' },
	},
	{ name: 'meeting page: held, facilitator view', shot: 'meeting', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.held}`) },
	{ name: 'meeting page: held, member view', shot: 'meeting-member', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.coffee}`) },
	{ name: 'meeting page: coming up, facilitator view', shot: 'meeting-upcoming', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.next}`) },
	{ name: 'meeting page: cancelled', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.cancelled}`) },
	{ name: 'meeting page with a notice', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.held}?minutes=1`), expect: { notice: true } },
	{
		name: 'meeting page with an error (cancelling without a reason)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/meetings/${w.meetings.next}`);
			return postForm(p, 'main form[action$="/cancel"] button[type=submit]');
		},
		expect: { summary: true, invalid: 'cancel_notice' },
	},
	{ name: 'attendance form', shot: 'attendance', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.fresh}/attendance`) },
	{ name: 'attendance form, recorded', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.held}/attendance`) },
	{ name: 'attendance form before the meeting (apologies only)', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.next}/attendance`) },
	{ name: 'attendance form, found by name', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.fresh}/attendance?find=sa`) },
	{ name: 'roles form', shot: 'roles', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.held}/roles`) },
	{ name: 'roles form, no one present yet', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.fresh}/roles`) },
	{ name: 'minutes form', shot: 'minutes', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.held}/minutes`) },
	{ name: 'minutes (member, read only)', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.coffee}/minutes`) },
	{
		name: 'minutes form with an error (too long)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/meetings/${w.meetings.fresh}/minutes`);
			await p.fill('#minutes', 'm'.repeat(20001));
			return postForm(p);
		},
		expect: { summary: true, invalid: 'minutes' },
	},
	// ---- agreements, agendas, decisions, conversations, resources ----
	// Riverside Peer Support has an agreement started from the template with
	// Alex's suggestion open; the Evening Online Circle has the template
	// only; Carers' Coffee Morning has none yet (see buildCommunity).
	{ name: 'agreement: none yet (member)', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.coffee}/agreement`) },
	{ name: 'agreement: started from the template (coordinator)', role: 'admin', status: 200, open: goTo((w) => `/groups/${w.groups.online}/agreement`) },
	{ name: 'agreement: with an open suggestion (facilitator)', shot: 'agreement', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/agreement`) },
	{
		name: 'agreement with an error (a suggestion without a reason)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.dropIn}/agreement`);
			await p.fill('#aims', 'To listen, to share and to support each other.');
			await p.fill('#reason', '');
			return postForm(p, 'main form[action$="/agreement/suggestions"] button[type=submit]');
		},
		expect: { summary: true, invalid: 'reason' },
	},
	{ name: 'values (signed out)', role: 'anon', status: 200, open: goTo(() => '/values') },
	{ name: 'values (coordinator)', shot: 'values', role: 'admin', status: 200, open: goTo(() => '/values') },
	{
		name: 'agreement with a refusal (ratifying with too few agreeing)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/groups/${w.groups.dropIn}/agreement`);
			return postForm(p, 'main form[action$="/ratify"] button[type=submit]');
		},
		expect: { summary: true },
	},
	{ name: 'agreement template (coordinator)', shot: 'agreement-template', role: 'admin', status: 200, open: goTo(() => '/network/agreement-template') },
	{
		name: 'agreement template with an error (no aims)', role: 'admin', status: 422,
		async open(p) {
			await groupsWorld(p);
			await p.goto('/network/agreement-template');
			await p.fill('#aims', '');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'aims' },
	},
	{ name: 'agenda: member view, with items', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.coffeeNext}/agenda`) },
	{ name: 'agenda: facilitator view, with items', shot: 'agenda', role: 'member', status: 200, open: goTo((w) => `/meetings/${w.meetings.next}/agenda`) },
	{ name: 'decisions list', shot: 'decisions', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/decisions`) },
	{ name: 'decision: proposal, open', shot: 'decision', role: 'member', status: 200, open: goTo((w) => `/decisions/${w.decisions.proposal}`) },
	{ name: 'decision: sense check, open', role: 'member', status: 200, open: goTo((w) => `/decisions/${w.decisions.sense}`) },
	{ name: 'decision: time poll, open', role: 'member', status: 200, open: goTo((w) => `/decisions/${w.decisions.poll}`) },
	{ name: 'decision: dot vote, open', role: 'member', status: 200, open: goTo((w) => `/decisions/${w.decisions.dots}`) },
	{ name: 'decision: closed, with an outcome', role: 'member', status: 200, open: goTo((w) => `/decisions/${w.decisions.closed}`) },
	{
		name: 'decision with a vote error (a block without a reason)', role: 'member', status: 422,
		async open(p) {
			const w = await groupsWorld(p);
			await p.goto(`/decisions/${w.decisions.proposal}`);
			await p.check('#answer-block');
			return postForm(p, 'main form[action$="/vote"] button[type=submit]');
		},
		expect: { summary: true, invalid: 'reason' },
	},
	{ name: 'conversation stream', shot: 'stream', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/stream`) },
	{ name: 'thread page with replies', shot: 'thread', role: 'member', status: 200, open: goTo((w) => `/posts/${w.posts.thread}`) },
	{ name: 'moderation queue: group (facilitator)', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/moderation`) },
	{ name: 'moderation queue: network (coordinator)', shot: 'moderation', role: 'admin', status: 200, open: goTo(() => '/moderation') },
	{ name: 'resources (signed out)', shot: 'resources', role: 'anon', status: 200, open: goTo(() => '/resources') },
	{ name: 'resource form: new', role: 'admin', status: 200, open: goTo(() => '/resources/new') },
	{
		name: 'resource form with an error (no category)', role: 'admin', status: 422,
		async open(p) {
			await groupsWorld(p);
			await p.goto('/resources/new');
			await p.fill('#name', 'Riverside Food Bank');
			return postForm(p);
		},
		expect: { summary: true, invalid: 'category' },
	},
	{ name: 'community page', shot: 'community', role: 'member', status: 200, open: goTo((w) => `/groups/${w.groups.dropIn}/community`) },
	{ name: 'check-ins: your choices', role: 'member', status: 200, open: (p) => p.goto('/me/check-ins/consent') },
	{
		name: 'check-ins: your choices with an error (a purpose without taking part)', role: 'member', status: 422,
		async open(p) {
			await p.goto('/me/check-ins/consent');
			await p.check('#take_part-no');
			await p.check('#network_reports');
			return postForm(p);
		},
		expect: { summary: true },
	},
	{ name: 'check-ins: your scores', shot: 'checkins', role: 'member', status: 200, open: async (p) => { await checkinWorld(p, { admin: ADMIN, member: MEMBER }); return p.goto('/me/check-ins'); } },
	{ name: 'check-in form', shot: 'checkin-form', role: 'member', status: 200, open: async (p) => p.goto(`/groups/${(await checkinWorld(p, { admin: ADMIN, member: MEMBER })).groups.dropIn}/check-ins/${RSE}`) },
	{ name: "check-ins: a group's page (facilitator)", role: 'member', status: 200, open: async (p) => p.goto(`/groups/${(await checkinWorld(p, { admin: ADMIN, member: MEMBER })).groups.dropIn}/check-ins`) },
	{ name: "check-ins: a group's offerings (facilitator)", role: 'member', status: 200, open: async (p) => p.goto(`/groups/${(await checkinWorld(p, { admin: ADMIN, member: MEMBER })).groups.dropIn}/check-in-settings`) },
	{ name: "check-ins: the network's figures (coordinator)", role: 'admin', status: 200, open: async (p) => { await checkinWorld(p, { admin: ADMIN, member: MEMBER }); return p.goto('/network/outcomes?by=period'); } },
];

/** Checks what an entry of PAGES says its page must show. */
export async function checkExpectations(page, entry, res, assert) {
	if (entry.status != null)
		assert.equal(res?.status(), entry.status, `${entry.name}: HTTP status`);
	const state = await page.evaluate(() => ({
		summary: !!document.querySelector('.error-summary[role=alert]'),
		invalid: [...document.querySelectorAll('[aria-invalid=true]')].map((el) => ({
			id: el.id,
			describedBy: (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
				.map((id) => document.getElementById(id)?.textContent.trim() ?? `(missing #${id})`),
		})),
		notice: !!document.querySelector('.notice[role=status]'),
		h1: document.querySelectorAll('h1').length,
		title: document.title,
	}));
	assert.equal(state.h1, 1, `${entry.name}: exactly one h1`);
	assert.ok(state.title.trim().length > 3, `${entry.name}: a page title`);
	const want = entry.expect || {};
	assert.equal(state.summary, !!want.summary, `${entry.name}: error summary shown`);
	assert.equal(state.notice, !!want.notice, `${entry.name}: notice shown`);
	if (want.invalid) {
		assert.deepEqual(state.invalid.map((f) => f.id), [want.invalid], `${entry.name}: aria-invalid field`);
		assert.ok(state.invalid[0].describedBy.some((t) => t.startsWith('Error:')),
			`${entry.name}: the invalid field is described by its error message (got ${JSON.stringify(state.invalid[0].describedBy)})`);
	} else {
		assert.deepEqual(state.invalid, [], `${entry.name}: no aria-invalid field`);
	}
}

/** Clicks the main form's submit button; resolves to the POST's response. */
export async function postForm(page, selector = 'main form.stack button[type=submit]') {
	const [res] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
		page.click(selector),
	]);
	await page.waitForLoadState('load');
	return res;
}

/**
 * Makes one context per role (anon, member, admin) with the given options,
 * signing in the member and the administrator. Returns { anon, member,
 * admin, close() }, each role being { context, page }.
 */
export async function openRoles(browser, server, options = {}) {
	const roles = {};
	await Promise.all([['anon', null], ['member', MEMBER], ['admin', ADMIN]].map(async ([role, who]) => {
		const context = await newContext(browser, server, options);
		const page = await context.newPage();
		if (who)
			await logIn(page, who);
		roles[role] = { context, page };
	}));
	roles.close = () => Promise.all(['anon', 'member', 'admin'].map((role) => roles[role].context.close()));
	return roles;
}

/** Opens one entry of PAGES in its role's page; returns the response. */
export async function openPage(roles, entry) {
	const { page } = roles[entry.role];
	const res = await entry.open(page);
	return { page, res };
}

export function ensureScreenshotDir() {
	if (!existsSync(SCREENSHOTS))
		mkdirSync(SCREENSHOTS, { recursive: true });
	return SCREENSHOTS;
}
