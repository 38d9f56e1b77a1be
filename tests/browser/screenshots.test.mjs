// screenshots.test.mjs - full-page screenshots of the main pages for the
// docs, at desktop width and phone width, into tests/browser/screenshots/
// (not committed). Set SCREENSHOTS_DARK=1 to add the dark colour scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, openRoles, openPage, PAGES, ensureScreenshotDir } from './lib.mjs';

const SIZES = [
	{ suffix: 'desktop', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
	{ suffix: 'phone', viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, colorScheme: 'light' },
];
if (process.env.SCREENSHOTS_DARK)
	SIZES.push({ suffix: 'desktop-dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });

const MAIN = ['front', 'login', 'signup', 'account', 'sessions'];

let server, browser;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

test('screenshots of the main pages', async (t) => {
	const dir = ensureScreenshotDir();
	const entries = PAGES.filter((e) => e.shot && MAIN.includes(e.shot));
	assert.deepEqual(entries.map((e) => e.shot).sort(), [...MAIN].sort(), 'every main page has an entry');
	for (const size of SIZES) {
		const roles = await openRoles(browser, server, {
			viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor ?? 1, colorScheme: size.colorScheme,
		});
		try {
			for (const entry of entries) {
				const { page } = await openPage(roles, entry);
				const file = path.join(dir, `${entry.shot}-${size.suffix}.png`);
				await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
				assert.ok(statSync(file).size > 1000, `${file} was written`);
				t.diagnostic(`wrote ${path.relative(process.cwd(), file)}`);
			}
		} finally {
			await roles.close();
		}
	}
});
