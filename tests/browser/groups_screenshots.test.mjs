// groups_screenshots.test.mjs - the screenshots the guides in docs/ use
// (members.md, facilitators.md, coordinators.md), taken from the world of
// world.mjs: 1000 px wide desktop views and a few 390 px phone views, each
// cropped to the part of the page the guide talks about and saved as a
// palette PNG, so the committed images stay small.
//
// By default they go to tests/browser/screenshots/groups/ (not committed);
// with HEARTH_DOC_SCREENSHOTS=1 they go to docs/images/, replacing the
// guides' images:
//
//     HEARTH_DOC_SCREENSHOTS=1 node --test tests/browser/groups_screenshots.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launchBrowser, newContext, logIn, REPO, SCREENSHOTS, ADMIN, MEMBER } from './lib.mjs';
import { buildWorld } from './world.mjs';

const FOR_DOCS = process.env.HEARTH_DOC_SCREENSHOTS === '1';
const OUT = FOR_DOCS ? path.join(REPO, 'docs', 'images') : path.join(SCREENSHOTS, 'groups');
const BUDGET = 1.5 * 1024 * 1024;   // all the guides' images together

const DESKTOP = { width: 1000, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * The screenshots: file (without .png), who looks (anon, member, admin),
 * the viewport, the page, and the part of it: from the top of `from` (the
 * page's top if absent) to the bottom of `to` or the top of `until` (the
 * bottom of main if neither), at most `max` pixels tall. prepare(page, w)
 * may fill in a form first.
 */
const SHOTS = [
	// members.md
	{ file: 'directory-search', role: 'anon', go: () => '/groups?q=anxiety&day=thu', to: '#day', max: 1000 },
	{ file: 'directory-results', role: 'anon', go: () => '/groups', from: '#results-heading', max: 1000 },
	{ file: 'group-page', role: 'member', go: (w) => `/groups/${w.groups.women}`, from: 'main h1', max: 1400 },
	{ file: 'group-page-phone', role: 'anon', viewport: PHONE, go: (w) => `/groups/${w.groups.dropIn}`, max: 1300 },
	{ file: 'ask-to-join', role: 'member', go: (w) => `/groups/${w.groups.women}/join`, prepare: (p) => p.fill('#message', 'I am a new mum and would love to meet others who understand.') },
	{ file: 'join-invite', role: 'member', go: (w) => w.onlineInvitePath },
	{ file: 'your-groups', role: 'member', go: () => '/me' },
	{ file: 'your-account', role: 'member', go: () => '/account', to: 'main form.stack' },
	{ file: 'meeting-member', role: 'member', go: (w) => `/meetings/${w.meetings.coffee}`, from: 'main h1', until: 'main h2#actions', max: 1100 },
	// facilitators.md
	{ file: 'members-requests', role: 'member', go: (w) => `/groups/${w.groups.dropIn}/members`, until: 'main h2:text("Add someone without an account")', max: 1100 },
	{ file: 'members-add', role: 'member', go: (w) => `/groups/${w.groups.dropIn}/members`, from: 'main h2:text("Add someone without an account")', until: 'main h2:text("Invite links")', max: 1100 },
	{ file: 'invite-link', role: 'member', go: (w) => `/groups/${w.groups.dropIn}/members`, from: 'main h1', to: 'main .notice', max: 500, async prepare(p) {
		await p.fill('#expires_days', '14');
		await p.fill('#max_uses', '5');
		await Promise.all([p.waitForEvent('load'), p.click('main form[action$="/invites"] button[type=submit]')]);
	} },
	{ file: 'meetings', role: 'member', go: (w) => `/groups/${w.groups.dropIn}/meetings`, from: 'main h1', until: '#add-meeting', max: 560 },
	{ file: 'meetings-past', role: 'member', go: (w) => `/groups/${w.groups.dropIn}/meetings`, from: 'main h2#past', max: 400 },
	{ file: 'attendance', role: 'member', go: (w) => `/meetings/${w.meetings.fresh}/attendance`, async prepare(p, w) {
		await p.check(`#status_${w.people.sam}`);
		await p.check(`#status_${w.people.jo}`);
		await p.check(`#newcomer_${w.people.jo}`);
		await p.check(`#status_${w.people.alex}_apologies`);
	} },
	{ file: 'attendance-phone', role: 'member', viewport: PHONE, go: (w) => `/meetings/${w.meetings.fresh}/attendance`, from: 'main h1', max: 1100 },
	{ file: 'roles', role: 'member', go: (w) => `/meetings/${w.meetings.held}/roles`, from: 'main h1' },
	{ file: 'minutes', role: 'member', go: (w) => `/meetings/${w.meetings.held}/minutes`, from: 'main h1', max: 1500 },
	{ file: 'meeting-records', role: 'member', go: (w) => `/meetings/${w.meetings.held}`, from: 'main h1', until: 'main h2#actions', max: 1500 },
	{ file: 'meeting-actions', role: 'member', go: (w) => `/meetings/${w.meetings.held}`, from: 'main h2#actions', max: 1200 },
	{ file: 'meeting-change', role: 'member', go: (w) => `/meetings/${w.meetings.next}`, from: 'main h2#change', max: 1000 },
	// coordinators.md
	{ file: 'group-form', role: 'admin', go: () => '/groups/new', from: 'main h1', to: 'main #status', max: 1400 },
	{ file: 'group-form-schedule', role: 'admin', go: (w) => `/groups/${w.groups.dropIn}/edit`, from: 'main legend:text("When it meets")', until: 'main #tags', max: 1300 },
	{ file: 'group-status', role: 'admin', go: (w) => `/groups/${w.groups.coffee}`, from: 'main h2:text("Status")', max: 500 },
	{ file: 'group-manage', role: 'member', go: (w) => `/groups/${w.groups.dropIn}`, from: 'main h1', to: 'main .group-manage', max: 500 },
	{ file: 'tags', role: 'admin', go: () => '/tags' },
	{ file: 'organisations', role: 'admin', go: () => '/organisations', max: 1100 },
	{ file: 'network', role: 'admin', go: () => '/network' },
	{ file: 'people', role: 'admin', go: () => '/admin/people', max: 700 },
];

let server, browser, w;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	w = await buildWorld(server.url, { admin: ADMIN, member: MEMBER });
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

/** The rectangle of the page a shot shows, in page coordinates. */
async function region(page, shot) {
	return page.evaluate(({ from, to, until, max }) => {
		const pick = (sel) => {
			// :text("...") is Playwright's; do it by hand for headings and legends.
			const m = /^(.*):text\("(.*)"\)$/.exec(sel);
			const list = [...document.querySelectorAll(m ? m[1] : sel)];
			const el = m ? list.find((e) => e.textContent.trim() === m[2]) : list[0];
			if (!el)
				throw new Error(`no ${sel} on ${location.pathname}`);
			return el.getBoundingClientRect();
		};
		const top = from ? Math.max(0, pick(from).top + window.scrollY - 16) : 0;
		const bottom = until ? pick(until).top + window.scrollY - 8 : pick(to || 'main').bottom + window.scrollY + 16;
		const full = document.documentElement.scrollHeight;
		const height = Math.min(bottom, full) - top;
		return { x: 0, y: top, width: document.documentElement.clientWidth, height: Math.min(height, max || 1200) };
	}, { from: shot.from, to: shot.to, until: shot.until, max: shot.max });
}

test('screenshots for the guides', async (t) => {
	mkdirSync(OUT, { recursive: true });
	const contexts = {};
	const pageFor = async (role, viewport) => {
		const key = `${role} ${viewport.width}`;
		if (!contexts[key]) {
			const context = await newContext(browser, server, {
				viewport, deviceScaleFactor: 1, colorScheme: 'light', timezoneId: 'Europe/London',
			});
			const page = await context.newPage();
			if (role !== 'anon')
				await logIn(page, role === 'admin' ? ADMIN : MEMBER);
			contexts[key] = { context, page };
		}
		return contexts[key].page;
	};
	let total = 0;
	try {
		for (const shot of SHOTS) {
			const page = await pageFor(shot.role, shot.viewport || DESKTOP);
			const res = await page.goto(shot.go(w));
			assert.equal(res.status(), 200, `${shot.file}: ${page.url()}`);
			if (shot.prepare)
				await shot.prepare(page, w);
			await page.evaluate(() => document.activeElement?.blur());
			const clip = await region(page, shot);
			assert.ok(clip.height > 50, `${shot.file}: a region to show (${JSON.stringify(clip)})`);
			const png = await page.screenshot({ clip, fullPage: true, animations: 'disabled', caret: 'hide' });
			const file = path.join(OUT, `${shot.file}.png`);
			writeFileSync(file, palettePng(png));
			const size = statSync(file).size;
			total += size;
			t.diagnostic(`${path.relative(REPO, file)}: ${clip.width}x${Math.round(clip.height)}, ${Math.round(size / 1024)} KB`);
		}
	} finally {
		for (const { context } of Object.values(contexts))
			await context.close();
	}
	t.diagnostic(`${SHOTS.length} screenshots, ${Math.round(total / 1024)} KB in all`);
	assert.ok(total < BUDGET, `the guides' screenshots come to ${Math.round(total / 1024)} KB, over the ${BUDGET / 1024} KB budget`);
	// Each guide's images exist (a renamed shot would leave a guide's link
	// dangling), and each image is used (none is committed for nothing).
	if (FOR_DOCS) {
		const used = new Set();
		for (const guide of ['members', 'facilitators', 'coordinators']) {
			const text = readFileSync(path.join(REPO, 'docs', `${guide}.md`), 'utf8');
			for (const [, name] of text.matchAll(/\]\(images\/([a-z0-9-]+)\.png\)/g)) {
				assert.ok(SHOTS.some((s) => s.file === name), `docs/${guide}.md uses images/${name}.png, which no shot makes`);
				used.add(name);
			}
		}
		for (const shot of SHOTS)
			assert.ok(used.has(shot.file), `images/${shot.file}.png is in no guide`);
	}
});

// ---- small PNGs ------------------------------------------------------------
// Chromium writes 24-bit PNGs; screenshots of pages (flat colours and
// anti-aliased text) lose nothing visible with a 256-colour palette, and
// shrink to about a third. No image tool is needed: the few lines below
// decode Chromium's PNG, pick a palette by median cut and write it again.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++)
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** An 8-bit RGB or RGBA, non-interlaced PNG as { width, height, rgb }
 * (three bytes a pixel; alpha is dropped, screenshots are opaque). */
function decodePng(buf) {
	let pos = 8, width = 0, height = 0, bpp = 3;
	const idat = [];
	while (pos < buf.length) {
		const len = buf.readUInt32BE(pos);
		const type = buf.toString('latin1', pos + 4, pos + 8);
		const data = buf.subarray(pos + 8, pos + 8 + len);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			if (data[8] !== 8 || (data[9] !== 2 && data[9] !== 6) || data[12] !== 0)
				throw new Error('expected an 8-bit RGB or RGBA, non-interlaced PNG');
			bpp = data[9] === 6 ? 4 : 3;
		} else if (type === 'IDAT') {
			idat.push(data);
		}
		pos += 12 + len;
	}
	const raw = zlib.inflateSync(Buffer.concat(idat));
	const stride = width * bpp;
	const rgb = new Uint8Array(width * height * 3);
	let prev = new Uint8Array(stride), cur = new Uint8Array(stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let i = 0; i < stride; i++) {
			const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
			let p = 0;
			if (filter === 1) p = a;
			else if (filter === 2) p = b;
			else if (filter === 3) p = (a + b) >> 1;
			else if (filter === 4) {
				const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
				p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			} else if (filter !== 0) {
				throw new Error(`unknown PNG filter ${filter}`);
			}
			cur[i] = (row[i] + p) & 0xff;
		}
		for (let x = 0; x < width; x++)
			for (let k = 0; k < 3; k++)
				rgb[(y * width + x) * 3 + k] = cur[x * bpp + k];
		[prev, cur] = [cur, prev];
	}
	return { width, height, rgb };
}

/** Median cut: at most `max` boxes of the colours (weighted by how many
 * pixels have each); a box's colour is its weighted mean. Returns the
 * palette and each colour's index in it. */
function medianCut(counts, max) {
	const channel = (c, k) => (c >> (16 - 8 * k)) & 0xff;
	const weight = (box) => box.reduce((n, c) => n + counts.get(c), 0);
	const widest = (box) => {
		let range = -1, k = 0;
		for (let ch = 0; ch < 3; ch++) {
			let lo = 255, hi = 0;
			for (const c of box) {
				const v = channel(c, ch);
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
			if (hi - lo > range) {
				range = hi - lo;
				k = ch;
			}
		}
		return { range, k };
	};
	const boxes = [[...counts.keys()]];
	while (boxes.length < max) {
		let pick = -1, best = 0, k = 0;
		boxes.forEach((box, i) => {
			if (box.length < 2)
				return;
			const s = widest(box);
			const score = s.range * Math.sqrt(weight(box));
			if (score > best) {
				best = score;
				pick = i;
				k = s.k;
			}
		});
		if (pick < 0)
			break;
		const box = boxes[pick].sort((a, b) => channel(a, k) - channel(b, k));
		const half = weight(box) / 2;
		let seen = 0, cut = 1;
		for (let i = 0; i < box.length - 1; i++) {
			seen += counts.get(box[i]);
			cut = i + 1;
			if (seen >= half)
				break;
		}
		boxes.splice(pick, 1, box.slice(0, cut), box.slice(cut));
	}
	const palette = [], index = new Map();
	boxes.forEach((box, i) => {
		const sum = [0, 0, 0];
		let n = 0;
		for (const c of box) {
			const m = counts.get(c);
			for (let ch = 0; ch < 3; ch++)
				sum[ch] += channel(c, ch) * m;
			n += m;
			index.set(c, i);
		}
		palette.push(...sum.map((s) => Math.round(s / n)));
	});
	return { palette, index };
}

function chunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'latin1');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

/** Chromium's PNG again, with a palette of at most 256 colours. */
function palettePng(buf) {
	const { width, height, rgb } = decodePng(buf);
	const counts = new Map();
	for (let i = 0; i < rgb.length; i += 3) {
		const c = (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2];
		counts.set(c, (counts.get(c) || 0) + 1);
	}
	const { palette, index } = medianCut(counts, 256);
	const raw = Buffer.alloc(height * (width + 1));   // filter 0 (none) on every row
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 3;
			raw[y * (width + 1) + 1 + x] = index.get((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
		}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;   // bits per index
	header[9] = 3;   // indexed colour
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('PLTE', Buffer.from(palette)),
		chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
