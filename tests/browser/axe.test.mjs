// axe.test.mjs - axe-core (WCAG 2.0/2.1/2.2 A and AA, best practice) on
// every page and state, in the light and the dark colour scheme. Serious
// or critical violations fail; lesser ones are reported as diagnostics.
// Each scheme has its own browser contexts, made with that scheme: turning
// the scheme over on a loaded page leaves Chromium reporting old text
// colours for a few hundred milliseconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, launchBrowser, openRoles, openPage, PAGES, checkA11y, checkExpectations,
	formatViolations,
} from './lib.mjs';

const SCHEMES = ['light', 'dark'];
let server, browser;
const roles = {};

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	for (const colorScheme of SCHEMES)
		roles[colorScheme] = await openRoles(browser, server, { viewport: { width: 1280, height: 800 }, colorScheme });
});

after(async () => {
	for (const colorScheme of SCHEMES)
		await roles[colorScheme]?.close();
	await browser?.close();
	await server?.stop();
});

for (const entry of PAGES) {
	test(`axe: ${entry.name}`, async (t) => {
		for (const colorScheme of SCHEMES) {
			const { page, res } = await openPage(roles[colorScheme], entry);
			await checkExpectations(page, entry, res, assert);
			for (const v of await checkA11y(page, `${entry.name} (${colorScheme} scheme)`))
				t.diagnostic(`${colorScheme} scheme, minor or moderate:\n${formatViolations([v])}`);
		}
	});
}
