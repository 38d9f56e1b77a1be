// axe.test.mjs - axe-core (WCAG 2.0/2.1/2.2 A and AA, best practice) on
// every page and state, in the light and the dark colour scheme. Serious
// or critical violations fail; lesser ones are reported as diagnostics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, launchBrowser, openRoles, openPage, PAGES, checkA11y, checkExpectations,
	formatViolations, knownIssueFor,
} from './lib.mjs';

let server, browser, roles;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	roles = await openRoles(browser, server, { viewport: { width: 1280, height: 800 } });
});

after(async () => {
	await roles?.close();
	await browser?.close();
	await server?.stop();
});

for (const entry of PAGES) {
	test(`axe: ${entry.name}`, { todo: knownIssueFor(entry) }, async (t) => {
		const { page, res } = await openPage(roles, entry);
		await checkExpectations(page, entry, res, assert);
		const lesser = [];
		for (const colorScheme of ['light', 'dark']) {
			await page.emulateMedia({ colorScheme });
			try {
				lesser.push(...(await checkA11y(page, `${entry.name} (${colorScheme} scheme)`))
					.map((v) => ({ ...v, scheme: colorScheme })));
			} finally {
				await page.emulateMedia({ colorScheme: 'light' });
			}
		}
		for (const v of lesser)
			t.diagnostic(`${v.scheme} scheme, minor/moderate:\n${formatViolations([v])}`);
	});
}
