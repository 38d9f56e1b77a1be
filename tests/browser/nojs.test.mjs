// nojs.test.mjs - everything works with JavaScript turned off: signing up,
// logging out, logging in, saving the profile, ending a session and
// changing the password are plain HTML forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, logIn, ADMIN } from './lib.mjs';

let server, browser, context, page;
const person = { email: 'River.Nojs@Example.org', name: 'River', password: 'quiet meadow lantern 19' };

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	context = await newContext(browser, server, { javaScriptEnabled: false });
	page = await context.newPage();
});

after(async () => {
	await context?.close();
	await browser?.close();
	await server?.stop();
});

/** Clicks a submit button and waits for the page it leads to. */
async function clickAndLoad(locator) {
	const [res] = await Promise.all([
		page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
		locator.click(),
	]);
	await page.waitForLoadState('load');
	return res;
}

const pathname = () => new URL(page.url()).pathname;
const notice = () => page.locator('.notice[role=status]').textContent();
const logOutButton = () => page.locator('nav[aria-label=Main] button', { hasText: 'Log out' });

test('no JavaScript: scripts really are off', async () => {
	const probe = await context.newPage();
	await probe.goto('/');
	await probe.setContent('<title>off</title><script>document.title = "on"</script>');
	assert.equal(await probe.title(), 'off', 'inline scripts do not run in this context');
	await probe.close();
	await page.goto('/');
	assert.equal(await page.locator('script').count(), 0, 'the pages carry no scripts at all');
});

test('no JavaScript: sign up, log out, log in', async () => {
	await page.goto('/');
	await Promise.all([page.waitForURL('**/signup'), page.locator('main').getByRole('link', { name: 'create an account', exact: true }).click()]);
	await page.fill('#email', person.email);
	await page.fill('#display_name', person.name);
	await page.fill('#pronouns', 'they/them');
	await page.fill('#password', person.password);
	const res = await clickAndLoad(page.getByRole('button', { name: 'Create account' }));
	assert.equal(res.status(), 303, 'sign-up answers with a redirect');
	assert.equal(pathname(), '/account');
	assert.equal(await notice(), 'Welcome! Your account is ready.');
	assert.equal(await page.inputValue('#display_name'), person.name);
	assert.equal(await page.inputValue('#pronouns'), 'they/them');
	assert.match(await page.textContent('dl.facts'), /river\.nojs@example\.org/i);

	await clickAndLoad(logOutButton());
	assert.equal(pathname(), '/');
	assert.equal(await notice(), 'You have logged out.');
	assert.equal(await logOutButton().count(), 0, 'no Log out button once logged out');
	const back = await page.goto('/account');
	assert.equal(pathname(), '/login', 'the account page sends a logged-out visitor to log in');
	assert.equal(back.status(), 200);

	// Logging in from there comes back to the account page (?next=).
	await page.fill('#email', person.email.toLowerCase());
	await page.fill('#password', person.password);
	await clickAndLoad(page.locator('main').getByRole('button', { name: 'Log in' }));
	assert.equal(pathname(), '/account');
	assert.equal(await page.inputValue('#display_name'), person.name);
});

test('no JavaScript: a wrong password shows the error, not a log-in', async () => {
	await clickAndLoad(logOutButton());
	await page.goto('/login');
	await page.fill('#email', person.email);
	await page.fill('#password', 'wrong wrong wrong');
	const res = await clickAndLoad(page.locator('main').getByRole('button', { name: 'Log in' }));
	assert.equal(res.status(), 401);
	assert.ok(await page.locator('.error-summary[role=alert]').isVisible());
	assert.equal(await page.inputValue('#email'), person.email, 'the email typed is kept');
	assert.equal(await page.inputValue('#password'), '', 'the password is not sent back');

	await page.fill('#password', person.password);
	await clickAndLoad(page.locator('main').getByRole('button', { name: 'Log in' }));
	assert.equal(pathname(), '/account');
});

test('no JavaScript: save the profile and end another session', async () => {
	await page.fill('#display_name', 'River S.');
	await clickAndLoad(page.getByRole('button', { name: 'Save profile' }));
	assert.equal(pathname(), '/account');
	assert.equal(await notice(), 'Your profile is saved.');
	assert.equal(await page.inputValue('#display_name'), 'River S.');

	// The earlier sessions were ended by logging out; start one elsewhere.
	const other = await newContext(browser, server, { javaScriptEnabled: false });
	const otherPage = await other.newPage();
	await otherPage.goto('/login');
	await otherPage.fill('#email', person.email);
	await otherPage.fill('#password', person.password);
	await Promise.all([otherPage.waitForURL('**/account'), otherPage.locator('main button[type=submit]').click()]);

	await page.goto('/account/sessions');
	const rows = page.locator('table.data tbody tr');
	assert.equal(await rows.count(), 2, 'two sessions listed');
	const others = rows.filter({ hasNotText: '(this browser)' });
	assert.equal(await others.count(), 1);
	await clickAndLoad(others.getByRole('button', { name: /^End/ }));
	assert.equal(pathname(), '/account/sessions');
	assert.equal(await notice(), 'That session has ended.');
	assert.equal(await rows.count(), 1);

	await otherPage.goto('/account');
	assert.equal(new URL(otherPage.url()).pathname, '/login', 'the ended session is logged out');
	await other.close();
});

test('no JavaScript: change the password', async () => {
	await page.goto('/account/password');
	await page.fill('#current_password', person.password);
	await page.fill('#new_password', 'new kettle harbour 33');
	const res = await clickAndLoad(page.getByRole('button', { name: 'Change password' }));
	if (res.status() !== 303) {
		const summary = await page.locator('.error-summary').textContent({ timeout: 1000 }).catch(() => '');
		assert.fail(`changing the password answers with a redirect, not ${res.status()}: ${summary.trim()}`);
	}
	assert.equal(pathname(), '/account');
	assert.match(await notice(), /password is changed/);
	person.password = 'new kettle harbour 33';
});

test('no JavaScript: log out at the end', async () => {
	await page.goto('/account');
	await clickAndLoad(logOutButton());
	assert.equal(pathname(), '/');
	assert.equal(await notice(), 'You have logged out.');
});

test('no JavaScript: an administrator invites someone, who signs up with the link', async () => {
	const admin = await newContext(browser, server, { javaScriptEnabled: false });
	const guest = await newContext(browser, server, { javaScriptEnabled: false });
	try {
		const a = await admin.newPage();
		await logIn(a, ADMIN);
		await a.goto('/admin/invitations');
		await a.fill('#email', 'invited@example.org');
		await Promise.all([a.waitForEvent('load'), a.getByRole('button', { name: 'Make an invitation' }).click()]);
		const link = (await a.locator('.notice[role=status] code').textContent()).trim();
		assert.match(link, /^\/signup\?invite=[0-9a-f]+$/);
		const row = a.locator('table.data tbody tr', { hasText: 'invited@example.org' });
		assert.equal(await row.count(), 1, 'the new invitation is listed');
		assert.match(await row.textContent(), /Not used yet/);

		const g = await guest.newPage();
		await g.goto(link);
		assert.equal(await g.inputValue('#email'), 'invited@example.org', 'the invited address is filled in');
		await g.fill('#display_name', 'Ash');
		await g.fill('#password', 'invited garden trellis 8');
		await Promise.all([g.waitForURL('**/account?welcome=1'), g.getByRole('button', { name: 'Create account' }).click()]);
		assert.equal(await g.inputValue('#display_name'), 'Ash');

		await a.goto('/admin/invitations');
		assert.match(await row.textContent(), /Used/);
		assert.doesNotMatch(await row.textContent(), /Not used yet/);
	} finally {
		await admin.close();
		await guest.close();
	}
});

test('no JavaScript: an invitation form error keeps the list of invitations', async () => {
	const admin = await newContext(browser, server, { javaScriptEnabled: false });
	try {
		const a = await admin.newPage();
		await logIn(a, ADMIN);
		await a.goto('/admin/invitations');
		const before = await a.locator('table.data tbody tr').allTextContents();
		assert.ok(before.some((r) => r.includes('invited@example.org')));
		await a.fill('#email', 'not an email address');
		await Promise.all([a.waitForEvent('load'), a.getByRole('button', { name: 'Make an invitation' }).click()]);
		assert.ok(await a.locator('.error-summary[role=alert]').isVisible());
		assert.equal(await a.inputValue('#email'), 'not an email address', 'what was typed is kept');
		assert.deepEqual(await a.locator('table.data tbody tr').allTextContents(), before,
			'the invitations are still listed after the error');
	} finally {
		await admin.close();
	}
});
