// groups_nojs.test.mjs - groups work with JavaScript turned off: searching
// the directory, joining an open group, asking to join and being approved,
// joining with an invite link, leaving; and for a facilitator adding someone
// without an account, setting a role, recording attendance, who facilitated
// and roles, minutes, an action, closing the meeting, and cancelling and
// restoring a meeting. Every step is a plain HTML form or link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, logIn, ADMIN, MEMBER } from './lib.mjs';
import { buildWorld, localDate, PEOPLE, PASSWORD } from './world.mjs';

let server, browser, w;
const contexts = [];

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	w = await buildWorld(server.url, { admin: ADMIN, member: MEMBER });
});

after(async () => {
	for (const c of contexts)
		await c.close();
	await browser?.close();
	await server?.stop();
});

/** A page in a fresh context with JavaScript off, signed in as who (if
 * given). */
async function pageFor(who) {
	const context = await newContext(browser, server, { javaScriptEnabled: false, viewport: { width: 1000, height: 800 } });
	contexts.push(context);
	const page = await context.newPage();
	if (who)
		await logIn(page, who);
	return page;
}

/** Clicks (a link or a submit button) and waits for the page it leads to;
 * resolves to the response of the navigation. */
async function clickAndLoad(page, locator) {
	const [res] = await Promise.all([
		page.waitForResponse((r) => r.request().isNavigationRequest()),
		locator.click(),
	]);
	await page.waitForLoadState('load');
	return res;
}

const pathname = (p) => new URL(p.url()).pathname;
const notice = (p) => p.locator('.notice[role=status]').textContent();
const robin = { email: PEOPLE.robin.email, password: PASSWORD };
let robinPage;

test('no JavaScript: scripts are off, and the group pages carry none', async () => {
	const p = await pageFor(null);
	await p.goto('/');
	await p.setContent('<title>off</title><script>document.title = "on"</script>');
	assert.equal(await p.title(), 'off');
	for (const path of [`/groups/${w.groups.coffee}`, '/groups', `/groups/${w.groups.women}/join`]) {
		await p.goto(path);
		assert.equal(await p.locator('script').count(), 0, `${path} has no scripts`);
	}
});

test('no JavaScript: search the directory, log in from a group and join it', async () => {
	const p = await pageFor(null);
	robinPage = p;
	await p.goto('/');
	await p.fill('#q', 'coffee');
	await p.check('#format-hybrid');
	await clickAndLoad(p, p.getByRole('button', { name: 'Search' }));
	assert.equal(pathname(p), '/groups');
	assert.equal(await p.textContent('#results-heading'), '1 group found');
	assert.ok(await p.isChecked('#format-hybrid'), 'the choices stay ticked');
	await clickAndLoad(p, p.getByRole('link', { name: "Carers' Coffee Morning" }));
	assert.equal(pathname(p), `/groups/${w.groups.coffee}`);
	assert.match(await p.textContent('main'), /The link for joining online is shared with the group's members\./);

	await clickAndLoad(p, p.getByRole('link', { name: 'Log in to join this group' }));
	await p.fill('#email', robin.email);
	await p.fill('#password', robin.password);
	await clickAndLoad(p, p.locator('main').getByRole('button', { name: 'Log in' }));
	assert.equal(pathname(p), `/groups/${w.groups.coffee}`);
	const res = await clickAndLoad(p, p.getByRole('button', { name: 'Join this group' }));
	assert.equal(pathname(p), `/groups/${w.groups.coffee}`);
	assert.equal(res.status(), 303, 'joining answers with a redirect to the group');
	assert.match(await p.textContent('main'), /You are a member of this group\./);
	assert.equal(await p.getAttribute('main a:text("Join the meeting online")', 'href'), 'https://meet.example.org/carers-coffee',
		'members see the online link');
	await p.goto('/me');
	assert.match(await p.textContent('main'), /Carers' Coffee Morning: Member/);
});

test('no JavaScript: ask to join with a message; a coordinator approves', async () => {
	const p = robinPage;
	await p.goto(`/groups/${w.groups.women}/join`);
	assert.equal(await p.textContent('h1'), "Join Women's Wellbeing Circle");
	await p.fill('#message', 'I am a new mum and would love to meet others.');
	await clickAndLoad(p, p.getByRole('button', { name: 'Ask to join' }));
	assert.equal(pathname(p), '/me');
	assert.match(await notice(p), /Your request to join is sent/);
	assert.match(await p.textContent('main'), /Women's Wellbeing Circle: you asked on/);

	const a = await pageFor(ADMIN);
	await a.goto(`/groups/${w.groups.women}/members`);
	const row = a.locator('table.data tbody tr', { hasText: 'Robin' });
	assert.match(await row.textContent(), /I am a new mum/);
	await clickAndLoad(a, row.getByRole('button', { name: 'Approve Robin' }));
	assert.equal(await notice(a), 'The request is approved: they are a member now.');
	assert.match(await a.textContent('main'), /No one is waiting for an answer\./);

	await p.goto('/me');
	assert.match(await p.textContent('main'), /Women's Wellbeing Circle: Member/);
	assert.match(await p.textContent('main'), /You have no requests to join waiting\./);
});

test('no JavaScript: a facilitator makes an invite link; the newcomer joins with it', async () => {
	const dee = await pageFor({ email: PEOPLE.dee.email, password: PASSWORD });
	await dee.goto(`/groups/${w.groups.online}/members`);
	await dee.fill('#expires_days', '3');
	await dee.fill('#max_uses', '1');
	const made = await clickAndLoad(dee, dee.getByRole('button', { name: 'Make an invite link' }));
	assert.equal(made.status(), 201);
	const link = (await dee.locator('.notice[role=status] code').textContent()).trim();
	assert.match(link, new RegExp(`^/groups/${w.groups.online}/join\\?invite=[0-9a-f]+$`));

	const p = robinPage;
	await p.goto(`/groups/${w.groups.online}`);
	assert.match(await p.textContent('main'), /welcomes new members by invitation/);
	await p.goto(link);
	assert.match(await p.textContent('main'), /You have been invited to join Evening Online Circle\./);
	await clickAndLoad(p, p.getByRole('button', { name: 'Join Evening Online Circle' }));
	assert.equal(pathname(p), `/groups/${w.groups.online}`);
	assert.match(await p.textContent('main'), /You are a member of this group\./);

	// The link was for one person: it is used up now.
	await dee.goto(`/groups/${w.groups.online}/members`);
	assert.match(await dee.locator('table.data', { hasText: 'Made' }).textContent(), /Used up/);
});

test('no JavaScript: leave a group', async () => {
	const p = robinPage;
	await p.goto(`/groups/${w.groups.women}/members`);
	await clickAndLoad(p, p.getByRole('button', { name: "Leave Women's Wellbeing Circle" }));
	assert.equal(pathname(p), '/me');
	assert.equal(await notice(p), 'You have left the group.');
	assert.doesNotMatch(await p.textContent('main'), /Women's Wellbeing Circle/);
});

test('no JavaScript: a facilitator adds someone without an account and changes a role', async () => {
	const p = await pageFor(MEMBER);
	await p.goto(`/groups/${w.groups.dropIn}/members`);
	await p.fill('#display_name', 'Kit');
	await p.fill('#access_needs', 'Uses a wheelchair.');
	await clickAndLoad(p, p.getByRole('button', { name: 'Add to the group' }));
	assert.equal(await notice(p), 'They are added to the group.');
	const kit = p.locator('table.data tbody tr', { hasText: 'Kit' });
	assert.match(await kit.textContent(), /No account/);
	assert.match(await kit.textContent(), /Uses a wheelchair\./);

	const alex = p.locator('table.data tbody tr', { hasText: 'Alex' });
	await alex.locator('select').selectOption('peer_worker');
	await clickAndLoad(p, alex.getByRole('button', { name: 'Save the role of Alex' }));
	assert.equal(await notice(p), 'Their role is saved.');
	assert.match(await p.locator('table.data tbody tr', { hasText: 'Alex' }).locator('td').nth(1).textContent(), /Peer support worker/);
});

test('no JavaScript: attendance, who facilitated, minutes, an action and the closing record', async () => {
	const p = await pageFor(MEMBER);
	const id = w.people;
	await p.goto(`/meetings/${w.meetings.fresh}/attendance`);
	await p.check(`#status_${id.sam}`);
	await p.check(`#status_${id.jo}`);
	await p.check(`#newcomer_${id.jo}`);
	await p.check(`#status_${id.alex}_absent`);
	await clickAndLoad(p, p.getByRole('button', { name: 'Save attendance' }));
	assert.equal(pathname(p), `/meetings/${w.meetings.fresh}`);
	assert.equal(await notice(p), 'Attendance is saved.');
	assert.match(await p.textContent('main'), /2 present \(1 for the first time\), 0 sent apologies, 1 absent\./);

	await clickAndLoad(p, p.getByRole('link', { name: 'Record who facilitated and roles' }));
	await p.check(`#facilitator_${id.sam}`);
	await p.check('#peer_yes');
	await p.fill(`#role_${id.jo}`, 'welcomer, tea maker');
	await clickAndLoad(p, p.getByRole('button', { name: 'Save' }));
	assert.equal(await notice(p), 'Who facilitated and the roles taken are saved.');
	const roles = await p.locator('main h3:text("Roles taken") + ul').textContent();
	assert.match(roles, /Jo: tea maker/);
	assert.match(roles, /Jo: welcomer/);
	assert.match(await p.textContent('main'), /Facilitated by a peer: yes/i);

	await clickAndLoad(p, p.getByRole('link', { name: 'Write the minutes' }));
	await p.fill('#minutes', 'A quiet week.\n\n1. Check-in\n2. *Sleep* and how it helps\n');
	await clickAndLoad(p, p.getByRole('button', { name: 'Save the minutes' }));
	assert.equal(await notice(p), 'The minutes are saved.');
	assert.equal(await p.locator('.meeting-minutes ol li').count(), 2);
	assert.equal(await p.locator('.meeting-minutes em').textContent(), 'Sleep');

	await p.fill('#action_description', 'Bring the leaflets about sleep');
	await p.selectOption('#action_owner_id', { label: 'Jo' });
	await clickAndLoad(p, p.getByRole('button', { name: 'Add the action' }));
	assert.equal(await notice(p), 'The action is added.');
	const row = p.locator('table.data tbody tr', { hasText: 'Bring the leaflets' });
	await clickAndLoad(p, row.getByRole('button', { name: /^Mark done/ }));
	assert.equal(await notice(p), 'The action is ticked off.');
	assert.match(await p.locator('table.data tbody tr', { hasText: 'Bring the leaflets' }).textContent(), /Done /);

	await p.fill('#close_themes', 'Sleep; looking after ourselves');
	await clickAndLoad(p, p.getByRole('button', { name: 'Close the meeting' }));
	assert.equal(await notice(p), "The meeting's record is saved.");
	assert.match(await p.textContent('main'), /Closed \(record written\)/);
	assert.equal(await p.textContent('main dt:text-is("How many came") + dd'), '2');
	assert.equal(await p.inputValue('#close_attendance_count'), '2', 'the count starts as the number present');
});

test('no JavaScript: cancel a meeting with a note members see, then restore it', async () => {
	const p = await pageFor(MEMBER);
	await p.goto(`/meetings/${w.meetings.next}`);
	await p.fill('#cancel_notice', 'The heating has broken; sorry!');
	await clickAndLoad(p, p.getByRole('button', { name: 'Cancel this meeting' }));
	assert.equal(await notice(p), 'The meeting is cancelled. Members see your note.');
	assert.match(await p.textContent('main'), /This meeting is cancelled\./);

	const alex = await pageFor({ email: PEOPLE.alex.email, password: PASSWORD });
	await alex.goto(`/groups/${w.groups.dropIn}`);
	assert.match(await alex.locator('.meeting-list').textContent(), /Cancelled:.*The heating has broken; sorry!/s);

	await clickAndLoad(p, p.getByRole('button', { name: 'Restore the meeting' }));
	assert.equal(await notice(p), 'The meeting is back on.');
	await alex.goto(`/groups/${w.groups.dropIn}`);
	assert.doesNotMatch(await alex.locator('.meeting-list').textContent(), /The heating has broken/);

	// A one-off meeting, added from the list of meetings.
	await p.goto(`/groups/${w.groups.dropIn}/meetings`);
	await p.fill('#date', localDate(10));
	await p.fill('#start_time', '14:00');
	await p.fill('#end_time', '16:00');
	await p.fill('#notice', 'Summer picnic in the park');
	await clickAndLoad(p, p.getByRole('button', { name: 'Add the meeting' }));
	assert.equal(await notice(p), 'The meeting is added.');
	assert.match(await p.textContent('main'), /a one-off meeting/);
});
