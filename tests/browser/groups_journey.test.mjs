// groups_journey.test.mjs - the two journeys at the heart of Hearth, in
// Chromium. A newcomer finds a group and asks to join it with the keyboard
// alone (Tab, Shift+Tab, typing and Enter; no clicks, no page.fill), with a
// visible focus indicator at every stop. Then the group's facilitator
// approves the request on the members page, records attendance for a
// meeting that has taken place (the radios by keyboard), writes minutes in
// Markdown and sees them rendered, and adds an action; the newcomer sees
// their own record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, settle, logIn, checkA11y, ADMIN, MEMBER } from './lib.mjs';
import { buildWorld, localDate, PEOPLE, PASSWORD } from './world.mjs';

let server, browser, w;
let newcomer, newcomerPage;
const ROBIN = PEOPLE.robin;
const MESSAGE = 'Hello, I am Robin. I have had a hard year and would like to meet people who understand.';

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	w = await buildWorld(server.url, { admin: ADMIN, member: MEMBER });
	newcomer = await newContext(browser, server, { viewport: { width: 1280, height: 800 } });
	newcomerPage = await newcomer.newPage();
});

after(async () => {
	await newcomer?.close();
	await browser?.close();
	await server?.stop();
});

// ---- the keyboard ----------------------------------------------------------

/** What has focus on page p: tag, id, text, and how its focus is drawn. */
async function focused(p) {
	await settle(p);
	return p.evaluate(() => {
		const el = document.activeElement;
		if (!el || el === document.body)
			return { tag: 'body' };
		const cs = getComputedStyle(el);
		const r = el.getBoundingClientRect();
		return {
			tag: el.tagName.toLowerCase(),
			id: el.id,
			type: el.getAttribute('type'),
			name: el.getAttribute('name'),
			checked: el.checked,
			text: (el.textContent || '').trim().replace(/\s+/g, ' '),
			href: el.getAttribute('href'),
			inMain: !!el.closest('main'),
			outline: cs.outlineStyle !== 'none' && (parseFloat(cs.outlineWidth) || 0) > 0,
			shadow: !!cs.boxShadow && cs.boxShadow !== 'none',
			focusVisible: el.matches(':focus-visible'),
			onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
				r.top < window.innerHeight && r.left < window.innerWidth,
		};
	});
}

const describe = (f) => `${f.tag}${f.id ? `#${f.id}` : ''}${f.text ? ` "${f.text.slice(0, 60)}"` : ''}`;

function assertFocusShown(f) {
	assert.ok(f.outline || f.shadow, `${describe(f)} shows no focus indicator`);
	assert.ok(f.focusVisible, `${describe(f)} does not match :focus-visible`);
	assert.ok(f.onScreen, `${describe(f)} has focus but is not scrolled into view`);
}

/** Presses Tab until want(f) holds, checking the focus indicator of every
 * stop on the way; returns the stops. */
async function tabUntil(p, want, what, max = 60) {
	const stops = [];
	for (let i = 0; i < max; i++) {
		await p.keyboard.press('Tab');
		const f = await focused(p);
		stops.push(f);
		if (f.tag !== 'body')
			assertFocusShown(f);
		if (want(f))
			return stops;
	}
	assert.fail(`${what} not reached in ${max} Tab presses; stops: ${stops.map(describe).join(', ')}`);
}

/** Presses key and waits for the page it leads to. */
async function pressAndLoad(p, key) {
	await Promise.all([p.waitForEvent('load'), p.keyboard.press(key)]);
}

const pathname = (p) => new URL(p.url()).pathname;

// ---- the newcomer ------------------------------------------------------------

test('a newcomer finds a group and asks to join it, by keyboard only', async () => {
	const p = newcomerPage;
	await p.goto('/');

	// The search field is reached with Tab; Enter submits the search.
	await tabUntil(p, (f) => f.id === 'q', 'the search field');
	assert.equal(await p.evaluate(() => document.querySelector('label[for=q]').textContent), 'Words to search for');
	await p.keyboard.type('anxiety');
	await pressAndLoad(p, 'Enter');
	const url = new URL(p.url());
	assert.equal(url.pathname, '/groups');
	assert.equal(url.searchParams.get('q'), 'anxiety');
	assert.equal(await p.textContent('#results-heading'), '1 group found');

	// Tab past the search form to the result, and open it with Enter.
	await tabUntil(p, (f) => f.tag === 'a' && f.text === 'Riverside Peer Support', 'the result "Riverside Peer Support"');
	await pressAndLoad(p, 'Enter');
	assert.equal(pathname(p), `/groups/${w.groups.dropIn}`);
	assert.equal(await p.textContent('h1'), 'Riverside Peer Support');
	assert.match(await p.textContent('main'), /Step-free entrance/, 'the venue\'s accessibility notes are shown');

	// Signed out, the page offers to log in first, and brings them back.
	await tabUntil(p, (f) => f.tag === 'a' && f.text === 'Log in to join this group', 'the "Log in to join this group" link');
	await pressAndLoad(p, 'Enter');
	assert.equal(pathname(p), '/login');
	await tabUntil(p, (f) => f.id === 'email', 'the email field');
	await p.keyboard.type(ROBIN.email);
	await p.keyboard.press('Tab');
	assert.equal((await focused(p)).id, 'password');
	await p.keyboard.type(PASSWORD);
	await pressAndLoad(p, 'Enter');
	assert.equal(pathname(p), `/groups/${w.groups.dropIn}`, 'logging in comes back to the group');

	// Signed in: a message for the facilitators, then "Ask to join".
	await tabUntil(p, (f) => f.id === 'message', 'the message for the facilitators');
	await p.keyboard.type(MESSAGE);
	await p.keyboard.press('Tab');
	const button = await focused(p);
	assert.equal(button.tag, 'button');
	assert.equal(button.text, 'Ask to join');
	assertFocusShown(button);
	await pressAndLoad(p, 'Enter');

	assert.equal(pathname(p), '/me');
	assert.equal(await p.textContent('.notice[role=status]'),
		'Your request to join is sent. The group\'s facilitators will answer soon.');
	const waiting = p.locator('main h2:text("Waiting for an answer") + ul li');
	assert.equal(await waiting.count(), 1);
	assert.match(await waiting.textContent(), /^Riverside Peer Support: you asked on /);

	await checkA11y(p, 'your groups with a request waiting');

	// The group's page now says so too.
	await p.goto(`/groups/${w.groups.dropIn}`);
	assert.match(await p.textContent('main'), /Your request is waiting for a facilitator\./);
	await checkA11y(p, 'a group page with your request waiting');
});

// ---- the facilitator -----------------------------------------------------------

test('the facilitator approves, records attendance, writes minutes and adds an action', async () => {
	const context = await newContext(browser, server, { viewport: { width: 1280, height: 800 } });
	const p = await context.newPage();
	try {
		await logIn(p, MEMBER);

		// From their page to the group's members page.
		await p.goto('/me');
		await Promise.all([p.waitForEvent('load'), p.locator('main .me-list a', { hasText: 'Riverside Peer Support' }).first().click()]);
		await Promise.all([p.waitForEvent('load'), p.getByRole('link', { name: 'Members and requests' }).click()]);
		assert.equal(pathname(p), `/groups/${w.groups.dropIn}/members`);

		// The request, with Robin's message, answered with "Approve".
		const row = p.locator('table.data tbody tr', { hasText: 'Robin' });
		assert.equal(await row.count(), 1, 'Robin\'s request is listed');
		assert.match(await row.textContent(), /had a hard year/);
		await Promise.all([p.waitForEvent('load'), row.getByRole('button', { name: 'Approve Robin' }).click()]);
		assert.equal(await p.textContent('.notice[role=status]'), 'The request is approved: they are a member now.');
		const member = p.locator('table.data tbody tr', { hasText: 'Robin' });
		assert.equal(await member.count(), 1);
		assert.match(await member.textContent(), /they\/them/);
		assert.match(await member.locator('td').nth(1).textContent(), /^Member$/);

		// The meetings page lists the meeting held today; open it.
		await p.goto(`/groups/${w.groups.dropIn}`);
		await Promise.all([p.waitForEvent('load'), p.locator('nav.group-manage').getByRole('link', { name: 'Meetings' }).click()]);
		await Promise.all([p.waitForEvent('load'), p.locator(`main a[href="/meetings/${w.meetings.fresh}"]`).click()]);
		assert.equal(pathname(p), `/meetings/${w.meetings.fresh}`);
		assert.match(await p.textContent('main'), /No attendance has been recorded\./);
		await Promise.all([p.waitForEvent('load'), p.getByRole('link', { name: 'Record attendance' }).click()]);
		assert.equal(await p.textContent('h1'), 'Attendance');

		// Radios by keyboard: Space chooses, the arrow keys move within a
		// person's choices, Tab goes on to "first time".
		const id = w.people;
		await p.focus(`#status_${id.robin}`);
		await p.keyboard.press('Space');
		await p.keyboard.press('Tab');
		assert.equal((await focused(p)).id, `newcomer_${id.robin}`, 'Tab goes from Robin\'s choices to "first time"');
		await p.keyboard.press('Space');
		await p.focus(`#status_${id.sam}`);
		await p.keyboard.press('Space');
		await p.focus(`#status_${id.alex}`);
		await p.keyboard.press('ArrowRight');
		const alex = await focused(p);
		assert.equal(alex.id, `status_${id.alex}_apologies`, 'the right arrow moves to "Apologies"');
		assert.ok(alex.checked, 'and chooses it');
		await p.check(`#status_${id.jo}`);   // and one by a click
		assert.deepEqual(await p.evaluate(() => [...document.querySelectorAll('input[type=radio]:checked')].map((r) => r.id)).then((ids) => ids.sort()),
			[`status_${id.alex}_apologies`, `status_${id.jo}`, `status_${id.robin}`, `status_${id.sam}`].sort());
		await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Save attendance' }).click()]);
		assert.equal(pathname(p), `/meetings/${w.meetings.fresh}`);
		assert.equal(await p.textContent('.notice[role=status]'), 'Attendance is saved.');
		assert.match(await p.textContent('main'), /3 present \(1 for the first time\), 1 sent apologies, 0 absent\./);
		const robinRow = p.locator('table.data tbody tr', { hasText: 'Robin' });
		assert.equal(await robinRow.locator('td').textContent(), 'present, first time');

		// Minutes in Markdown, shown rendered.
		await Promise.all([p.waitForEvent('load'), p.getByRole('link', { name: 'Write the minutes' }).click()]);
		await p.fill('#minutes', '# Welcome\n\nWe welcomed **Robin** to the group.\n\n- tea and biscuits\n- a plan for *next week*\n');
		await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Save the minutes' }).click()]);
		assert.equal(await p.textContent('.notice[role=status]'), 'The minutes are saved.');
		const minutes = p.locator('.meeting-minutes');
		assert.equal(await minutes.locator('h3').textContent(), 'Welcome');
		assert.equal(await minutes.locator('strong').textContent(), 'Robin');
		assert.equal(await minutes.locator('em').textContent(), 'next week');
		assert.equal(await minutes.locator('li').count(), 2);
		assert.doesNotMatch(await minutes.innerHTML(), /\*\*|# /, 'no Markdown left unrendered');
		assert.match(await p.textContent('main'), /Written by Sam Rivers/);

		// An action with an owner and a due date.
		const due = localDate(7);
		await p.fill('#action_description', 'Send Robin the dates of the summer walks');
		await p.selectOption('#action_owner_id', { label: 'Sam Rivers' });
		await p.fill('#action_due_date', due);
		await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Add the action' }).click()]);
		assert.equal(await p.textContent('.notice[role=status]'), 'The action is added.');
		const action = p.locator('table.data tbody tr', { hasText: 'Send Robin the dates' });
		assert.equal(await action.count(), 1);
		assert.deepEqual((await action.locator('td').allTextContents()).slice(0, 3).map((s) => s.trim()),
			['Sam Rivers', due, 'Not yet']);
	} finally {
		await context.close();
	}

	// Robin is a member now and sees their own record, not the others'.
	const p2 = newcomerPage;
	await p2.goto('/me');
	assert.match(await p2.locator('main h2:text("Groups you belong to") + ul').textContent(), /Riverside Peer Support: Member/);
	await p2.goto(`/meetings/${w.meetings.fresh}`);
	assert.match(await p2.textContent('main'), /You are recorded as: present, your first time\./);
	assert.equal(await p2.locator('main table.data caption', { hasText: 'Who came' }).count(), 0, 'members do not see who came by name');
	assert.equal(await p2.locator('.meeting-minutes h3').textContent(), 'Welcome');
});
