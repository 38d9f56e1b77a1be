// keyboard.test.mjs - logging in with the keyboard alone: the skip link is
// the first stop, it moves focus to main, every stop shows a focus
// indicator, and Tab / Shift+Tab / typing / Enter are enough to log in.
// No clicks and no page.fill: text is typed into what Tab has focused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, settle, MEMBER } from './lib.mjs';

let server, browser, context, page;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	context = await newContext(browser, server, { viewport: { width: 1280, height: 800 } });
	page = await context.newPage();
});

after(async () => {
	await context?.close();
	await browser?.close();
	await server?.stop();
});

/** What has focus: tag, id, text, href, and how its focus is drawn. */
async function focused() {
	await settle(page);
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el || el === document.body)
			return { tag: 'body' };
		const cs = getComputedStyle(el);
		const r = el.getBoundingClientRect();
		return {
			tag: el.tagName.toLowerCase(),
			id: el.id,
			type: el.getAttribute('type'),
			text: (el.textContent || '').trim().replace(/\s+/g, ' '),
			href: el.getAttribute('href'),
			inMain: !!el.closest('main'),
			inNav: !!el.closest('nav'),
			outlineStyle: cs.outlineStyle,
			outlineWidth: parseFloat(cs.outlineWidth) || 0,
			outlineColor: cs.outlineColor,
			boxShadow: cs.boxShadow,
			focusVisible: el.matches(':focus-visible'),
			rect: { x: r.x, y: r.y, width: r.width, height: r.height, top: cs.top },
			onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
				r.top < window.innerHeight && r.left < window.innerWidth,
		};
	});
}

function describe(f) {
	return `${f.tag}${f.id ? `#${f.id}` : ''}${f.text ? ` "${f.text}"` : ''}`;
}

/** A visible focus indicator: an outline that is drawn, or a box shadow. */
function assertFocusIndicator(f) {
	const outline = f.outlineStyle !== 'none' && f.outlineWidth > 0;
	const shadow = f.boxShadow && f.boxShadow !== 'none';
	assert.ok(outline || shadow,
		`${describe(f)} shows no focus indicator (outline ${f.outlineStyle} ${f.outlineWidth}px, box-shadow ${f.boxShadow})`);
	assert.ok(f.focusVisible, `${describe(f)} does not match :focus-visible after a Tab`);
	assert.ok(f.onScreen, `${describe(f)} has focus but is not on screen (${JSON.stringify(f.rect)})`);
}

/** Presses Tab until `want(f)` holds; returns the stops passed on the way. */
async function tabUntil(want, what, max = 25) {
	const stops = [];
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		const f = await focused();
		stops.push(f);
		if (f.tag !== 'body')
			assertFocusIndicator(f);
		if (want(f))
			return stops;
	}
	assert.fail(`${what} not reached in ${max} Tab presses; stops: ${stops.map(describe).join(', ')}`);
}

async function pressAndWaitForNavigation(key) {
	await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)]);
}

test('keyboard: the skip link is the first Tab stop and moves focus to main', async () => {
	await page.goto('/');
	await page.keyboard.press('Tab');
	const skip = await focused();
	assert.equal(skip.tag, 'a');
	assert.equal(skip.text, 'Skip to main content');
	assert.equal(skip.href, '#main');
	assertFocusIndicator(skip);
	const box = await page.locator('a.skip-link').boundingBox();
	assert.ok(box && box.y >= 0 && box.height >= 24, `the focused skip link is shown (box ${JSON.stringify(box)})`);

	await page.keyboard.press('Enter');
	const main = await focused();
	assert.equal(main.tag, 'main', `Enter on the skip link focuses main, not ${describe(main)}`);
	assert.equal(main.id, 'main');
	assert.ok(await page.evaluate(() => document.querySelector('a.skip-link').getBoundingClientRect().bottom <= 0),
		'the skip link hides again once focus leaves it');

	// The next Tab goes into the content, not back to the header.
	await page.keyboard.press('Tab');
	const next = await focused();
	assert.ok(next.inMain, `after the skip link, Tab stays in main (got ${describe(next)})`);
});

test('keyboard: log in with Tab, Shift+Tab, typing and Enter only', async () => {
	await page.goto('/');
	// Skip link, then straight to the content's "Log in" link.
	await page.keyboard.press('Tab');
	assert.equal((await focused()).text, 'Skip to main content');
	await page.keyboard.press('Enter');
	const stops = await tabUntil((f) => f.tag === 'a' && f.text === 'Log in', 'the "Log in" link');
	const login = stops.at(-1);
	assert.equal(login.href, '/login');
	assert.ok(login.outlineStyle !== 'none' || login.outlineWidth > 0,
		`the focused "Log in" link has a visible outline (${login.outlineStyle} ${login.outlineWidth}px)`);
	await pressAndWaitForNavigation('Enter');
	assert.equal(new URL(page.url()).pathname, '/login');

	// On the login page the header comes first: skip link, brand, nav.
	const order = await tabUntil((f) => f.id === 'email', 'the email field');
	assert.equal(order[0].text, 'Skip to main content', 'the skip link is the first stop on /login too');
	assert.ok(order.slice(0, -1).every((f) => !f.inMain), `only header links before the email field: ${order.map(describe).join(', ')}`);
	await page.keyboard.type(MEMBER.email);

	await page.keyboard.press('Tab');
	assert.equal((await focused()).id, 'password', 'Tab from email goes to password');
	// Shift+Tab goes back, and the email typed is still there.
	await page.keyboard.press('Shift+Tab');
	assert.equal((await focused()).id, 'email', 'Shift+Tab from password goes back to email');
	assert.equal(await page.inputValue('#email'), MEMBER.email);
	await page.keyboard.press('Tab');
	await page.keyboard.type(MEMBER.password);

	await pressAndWaitForNavigation('Enter');
	const url = new URL(page.url());
	assert.equal(url.pathname, '/account', `Enter in the password field logs in (now at ${url.href})`);
	assert.equal(await page.textContent('h1'), 'Your account');
	assert.equal(await page.inputValue('#display_name'), MEMBER.name, 'the display name is shown');
	assert.ok(await page.locator('nav[aria-label=Main] button', { hasText: 'Log out' }).isVisible());
});

test('keyboard: every Tab stop on the signed-in pages shows focus', async () => {
	for (const path of ['/', '/account', '/account/sessions', '/account/password']) {
		await page.goto(path);
		const stops = [];
		for (let i = 0; i < 30; i++) {
			await page.keyboard.press('Tab');
			const f = await focused();
			if (f.tag === 'body' || (stops.length && f.text === 'Skip to main content'))
				break;
			assertFocusIndicator(f);
			stops.push(describe(f));
		}
		assert.ok(stops.length >= 4, `${path}: a few Tab stops (${stops.join(', ')})`);
	}
});

test('keyboard: error summary links take focus to the field', async () => {
	const ctx = await newContext(browser, server);
	const p = await ctx.newPage();
	try {
		await p.goto('/signup');
		// Submit the empty form from the keyboard: Tab to email, Enter.
		for (let i = 0; i < 20; i++) {
			await p.keyboard.press('Tab');
			if (await p.evaluate(() => document.activeElement?.id === 'email'))
				break;
		}
		await Promise.all([p.waitForEvent('load'), p.keyboard.press('Enter')]);
		const summary = p.locator('.error-summary[role=alert]');
		assert.ok(await summary.isVisible(), 'the error summary is shown');
		const link = summary.locator('a[href="#email"]');
		assert.equal(await link.count(), 1, 'the summary links to the email field');
		for (let i = 0; i < 20; i++) {
			await p.keyboard.press('Tab');
			if (await p.evaluate(() => document.activeElement?.getAttribute('href') === '#email'))
				break;
		}
		await p.keyboard.press('Enter');
		await p.waitForFunction(() => document.activeElement?.id === 'email');
		assert.equal(await p.evaluate(() => document.activeElement.getAttribute('aria-invalid')), 'true');
	} finally {
		await ctx.close();
	}
});
