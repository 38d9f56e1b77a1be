// checkin_journey.test.mjs - a member takes part in check-ins with the
// keyboard alone (Tab, Space, arrow keys and Enter; no clicks, no fills):
// they choose to take part on the consent page, follow the invitation from
// their check-ins page, answer three questions and save the rest for later,
// come back, answer the others and finish, and see their score. axe-core
// runs on every page they visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, logIn, settle, checkA11y, ADMIN, MEMBER } from './lib.mjs';
import { world, ApiClient } from './world.mjs';

const RSE = 'rosenberg-self-esteem';
const REVERSED = new Set([2, 5, 6, 8, 9]);

let server, browser, context, page, groupId;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	context = await newContext(browser, server, { viewport: { width: 1280, height: 800 } });
	page = await context.newPage();
	const w = await world(page, { admin: ADMIN, member: MEMBER });
	groupId = w.groups.dropIn;
	const admin = new ApiClient(server.url);
	await admin.logIn(ADMIN.email, ADMIN.password);
	await admin.post(`/groups/${groupId}/check-in-settings`, { instrument: RSE, at_joining: true, every_weeks: 6 });
	await logIn(page, MEMBER);
});

after(async () => {
	await context?.close();
	await browser?.close();
	await server?.stop();
});

async function focused() {
	await settle(page);
	return page.evaluate(() => {
		const el = document.activeElement;
		return {
			tag: el?.tagName.toLowerCase(), id: el?.id, name: el?.getAttribute('name'), value: el?.getAttribute('value'),
			type: el?.getAttribute('type'), href: el?.getAttribute('href'), checked: !!el?.checked,
			text: (el?.textContent || '').trim().replace(/\s+/g, ' '),
		};
	});
}

/** Presses Tab until what has focus matches; fails after `max` stops. */
async function tabTo(matches, what, max = 80) {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		const f = await focused();
		if (matches(f))
			return f;
	}
	assert.fail(`Tab never reached ${what}`);
}

/** Presses Enter on what has focus and waits for the next page. */
async function enter() {
	await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

async function axe(label) {
	const lesser = await checkA11y(page, label);
	assert.ok(Array.isArray(lesser));
}

test('a member chooses to take part and completes a check-in by keyboard, axe-clean on every page', async () => {
	await page.goto('/me/check-ins');
	await axe('your check-ins, before choosing');
	await tabTo((f) => f.href === '/me/check-ins/consent', 'the link to the choices');
	await enter();
	assert.equal(new URL(page.url()).pathname, '/me/check-ins/consent');
	await axe('the consent page');

	await tabTo((f) => f.id === 'take_part-yes', 'the "yes" choice');
	await page.keyboard.press('Space');
	assert.equal((await focused()).checked, true);
	await tabTo((f) => f.id === 'group_learning', "the group's learning");
	await page.keyboard.press('Space');
	await tabTo((f) => f.tag === 'button' && /Save my choices/.test(f.text), 'the save button');
	await enter();
	assert.equal(new URL(page.url()).search, '?chosen=1');
	await axe('your check-ins, with one ready');

	await tabTo((f) => f.href === `/groups/${groupId}/check-ins/${RSE}`, 'the invitation');
	await enter();
	await axe('the check-in form');

	// Three questions: Space picks "Strongly agree" (3), ArrowDown moves to "Agree" (2).
	const values = {};
	const answer = async (n) => {
		const f = await tabTo((x) => x.type === 'radio' && x.name === `rse${n}`, `question ${n}`);
		await page.keyboard.press('Space');
		values[n] = 3;
		if (n % 2 === 0) {
			await page.keyboard.press('ArrowDown');
			values[n] = 2;
		}
		assert.equal((await focused()).checked, true, `question ${n} (${f.id}) answered`);
	};
	for (const n of [1, 2, 3])
		await answer(n);
	await tabTo((f) => f.tag === 'button' && f.value === 'save', 'save and finish later');
	await enter();
	assert.equal(new URL(page.url()).search, '?saved=1');
	await axe('your check-ins, one saved for later');

	await tabTo((f) => f.href === `/groups/${groupId}/check-ins/${RSE}`, 'the invitation to carry on');
	await enter();
	assert.equal(await page.isChecked('#rse2-1'), true, 'the saved answer is there');
	for (let n = 4; n <= 10; n++)
		await answer(n);
	await tabTo((f) => f.tag === 'button' && f.value === 'finish', 'finish');
	await enter();
	assert.equal(new URL(page.url()).search, '?finished=1');
	await axe('your check-ins, with a score');

	const total = Object.entries(values).reduce((s, [n, v]) => s + (REVERSED.has(Number(n)) ? 3 - v : v), 0);
	const cells = await page.locator('main table.data td').allTextContents();
	assert.ok(cells.includes(String(total)), `the score ${total} in the table (${cells.join(', ')})`);
	assert.equal(await page.locator('main svg[role=img] title').count(), 1);
	assert.match(await page.locator('main').textContent(), new RegExp(`Your first self-esteem score was ${total}`));
});
