// reflow.test.mjs - WCAG 1.4.10 Reflow and 1.4.4 Resize text: no page
// scrolls sideways on a 320 px wide phone, nor at 200% zoom of a 1280 px
// window (a 640 px viewport at device scale factor 1). axe-core runs at
// 320 px too, since some rules (scrollable regions, target size) depend on
// the layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, launchBrowser, openRoles, openPage, PAGES, checkA11y, checkExpectations,
	horizontalOverflow, overflowingElements, formatViolations,
} from './lib.mjs';

const VIEWPORTS = [
	{ name: 'phone 320x640', width: 'phone', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1, axe: true },
	{ name: '200% zoom (1280x800 at 2x = 640x400)', width: 'zoom', viewport: { width: 640, height: 400 }, deviceScaleFactor: 1 },
];

let server, browser;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

for (const vp of VIEWPORTS) {
	test(`reflow: ${vp.name}`, async (t) => {
		const roles = await openRoles(browser, server, { viewport: vp.viewport, deviceScaleFactor: vp.deviceScaleFactor });
		try {
			for (const entry of PAGES) {
				await t.test(`${vp.name}: ${entry.name}`, async (st) => {
					const { page, res } = await openPage(roles, entry);
					await checkExpectations(page, entry, res, assert);
					const width = await page.evaluate(() => document.documentElement.clientWidth);
					assert.equal(width, vp.viewport.width, 'layout viewport width');
					const overflow = await horizontalOverflow(page);
					assert.ok(overflow <= 1,
						`${entry.name} scrolls sideways by ${overflow}px at ${vp.name}; sticking out: ` +
						(await overflowingElements(page)).join(', '));
					// Tables may scroll inside their own wrapper (WCAG allows it
					// for data tables); say so, so it is seen.
					const scrollers = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')]
						.filter((el) => el.scrollWidth > el.clientWidth + 1)
						.map((el) => `${el.querySelector('caption')?.textContent.trim() || 'table'} (${el.scrollWidth}px in ${el.clientWidth}px)`));
					for (const s of scrollers)
						st.diagnostic(`scrolls inside its wrapper: ${s}`);
					if (vp.axe) {
						for (const v of await checkA11y(page, `${entry.name} at ${vp.name}`))
							st.diagnostic(`minor or moderate:\n${formatViolations([v])}`);
					}
				});
			}
		} finally {
			await roles.close();
		}
	});
}
