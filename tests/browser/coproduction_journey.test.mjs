// coproduction_journey.test.mjs - three journeys of a co-produced group
// (capability C4), in Chromium, done by clicking and typing in the pages;
// the API only builds the world (world.mjs) and lets Priya into Riverside
// Peer Support. axe-core runs on every page the journeys see.
//
//   a. Alex proposes an agenda item, with why, for the group's next
//      meeting; Priya signs in and supports it; the agenda shows it with
//      its support.
//   b. Priya suggests a change to the group's agreement with a reason; Alex
//      agrees; Sam, who facilitates, tries to ratify too early and is told
//      how many more must agree; Sam agrees and ratifies; the history shows
//      version 2 with what changed and who suggested it.
//   c. Sam opens a proposal; Alex agrees and Priya blocks, with a reason;
//      Sam closes it and writes the outcome with a review date, which
//      everyone sees.
//
// Each step waits for the page it leads to; nothing sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, logIn, checkA11y, ADMIN, MEMBER } from './lib.mjs';
import { buildWorld, localDate, PEOPLE, PASSWORD, ApiClient } from './world.mjs';

let server, browser, w;
const contexts = [];

const ALEX = { email: PEOPLE.alex.email, password: PASSWORD };
const PRIYA = { email: PEOPLE.priya.email, password: PASSWORD };

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	w = await buildWorld(server.url, { admin: ADMIN, member: MEMBER });
	// Priya asked to join Riverside Peer Support; Sam lets her in.
	const sam = new ApiClient(server.url);
	await sam.logIn(MEMBER.email, MEMBER.password);
	await sam.post(`/groups/${w.groups.dropIn}/requests/${w.people.priya}/approve`);
});

after(async () => {
	for (const c of contexts)
		await c.close();
	await browser?.close();
	await server?.stop();
});

/** A page in a context of its own, signed in as who through the login form. */
async function signedIn(who) {
	const context = await newContext(browser, server, { viewport: { width: 1280, height: 800 } });
	contexts.push(context);
	const page = await context.newPage();
	await logIn(page, who);
	return page;
}

/** Clicks what locator finds and waits for the page it leads to. */
async function clickAndLoad(page, locator) {
	await Promise.all([page.waitForEvent('load'), locator.click()]);
}

const pathname = (p) => new URL(p.url()).pathname;

/** The text of the page's notice, or null. */
const noticeText = async (p) => (await p.locator('.notice[role=status]').count())
	? (await p.textContent('.notice[role=status]')).trim() : null;

// ---- a. a negotiated agenda ------------------------------------------------------

test('a member proposes an agenda item and another member supports it', async () => {
	const TITLE = 'Getting to the centre in the dark';
	const WHY = 'The lane has no lights; could we walk up together after the meeting?';

	// Alex: from the meeting's page to its agenda, and proposes an item.
	const alex = await signedIn(ALEX);
	await alex.goto(`/meetings/${w.meetings.next}`);
	await checkA11y(alex, 'the next meeting (member)');
	await clickAndLoad(alex, alex.getByRole('link', { name: 'The agenda for this meeting' }));
	assert.equal(pathname(alex), `/meetings/${w.meetings.next}/agenda`);
	await checkA11y(alex, 'the agenda before proposing');
	await alex.fill('#title', TITLE);
	await alex.fill('#why', WHY);
	await clickAndLoad(alex, alex.getByRole('button', { name: 'Propose the item' }));
	assert.equal(pathname(alex), `/meetings/${w.meetings.next}/agenda`);
	const mine = alex.locator('li.agenda-item', { has: alex.locator('h3', { hasText: TITLE }) });
	assert.equal(await mine.count(), 1, 'the item is on the agenda');
	assert.match(await mine.textContent(), /Proposed by\s*Alex \(you\)/);
	assert.match(await mine.locator('dd.meeting-text').textContent(), /no lights/);
	await checkA11y(alex, 'the agenda with Alex\'s item');

	// Priya signs in, finds the item and supports it.
	const priya = await signedIn(PRIYA);
	await priya.goto(`/meetings/${w.meetings.next}/agenda`);
	const item = priya.locator('li.agenda-item', { has: priya.locator('h3', { hasText: TITLE }) });
	assert.equal(await item.count(), 1);
	assert.match(await item.textContent(), /Proposed by\s*Alex/);
	assert.match(await item.textContent(), /Support\s*0/);
	await clickAndLoad(priya, item.getByRole('button', { name: `Support “${TITLE}”` }));
	const supported = priya.locator('li.agenda-item', { has: priya.locator('h3', { hasText: TITLE }) });
	assert.match(await supported.textContent(), /Support\s*1 \(including you\)/);
	assert.equal(await supported.getByRole('button', { name: `Take back my support for “${TITLE}”` }).count(), 1);
	await checkA11y(priya, 'the agenda after supporting');

	// Alex sees the support too.
	await alex.reload();
	assert.match(await mine.textContent(), /Support\s*1(?! \(including you\))/);
});

// ---- b. ratifying a change to the agreement ------------------------------------

test('a group ratifies a change to its agreement once enough members agree', async () => {
	const AIMS = 'To listen, share how the week has been, and walk home together.';
	const RULE = 'We walk up from the bus stop together.';
	const REASON = 'Some of us feel unsafe on the lane after dark.';
	const agreementPath = `/groups/${w.groups.dropIn}/agreement`;
	/** The section of Priya's suggestion on page p. */
	const priyasSuggestion = (p) => p.locator('section.agreement-suggestion', { hasText: REASON });

	// Priya: from the group's page to its agreement; she suggests a change.
	const priya = await signedIn(PRIYA);
	await priya.goto(`/groups/${w.groups.dropIn}`);
	await clickAndLoad(priya, priya.locator('main').getByRole('link', { name: 'The group agreement', exact: true }));
	assert.equal(pathname(priya), agreementPath);
	await checkA11y(priya, 'the agreement (member)');
	const rules = (await priya.inputValue('#rules')).split('\n');
	assert.equal(rules.length, 5, 'the form starts from the agreement as it stands');
	await priya.fill('#aims', AIMS);
	await priya.fill('#rules', [...rules, RULE].join('\n'));
	await priya.check(`#value-1`);
	await priya.fill('#reason', REASON);
	await clickAndLoad(priya, priya.getByRole('button', { name: 'Suggest this change' }));
	assert.equal(await noticeText(priya), 'Your suggestion is saved. You count as agreeing with it; the group can now agree with it too.');
	assert.match(await priyasSuggestion(priya).textContent(), /Members agreeing: 1; 2 more needed before it can be ratified/);
	await checkA11y(priya, 'the agreement with Priya\'s suggestion');

	// Alex agrees.
	const alex = await signedIn(ALEX);
	await alex.goto(agreementPath);
	await clickAndLoad(alex, priyasSuggestion(alex).getByRole('button', { name: /^I agree/ }));
	assert.equal(await noticeText(alex), 'Your agreement is recorded.');
	assert.match(await priyasSuggestion(alex).textContent(), /Members agreeing: 2; 1 more needed/);
	assert.match(await priyasSuggestion(alex).textContent(), /You agree with it\./);

	// Sam tries to ratify with two of three: refused, and told why.
	const sam = await signedIn(MEMBER);
	await sam.goto(agreementPath);
	await checkA11y(sam, 'the agreement (facilitator)');
	await clickAndLoad(sam, priyasSuggestion(sam).getByRole('button', { name: /^Ratify/ }));
	const summary = sam.locator('.error-summary[role=alert]');
	assert.equal(await summary.count(), 1, 'the refusal is shown at the top of the page');
	assert.match(await summary.textContent(), /needs 1 more member to agree before it can be ratified \(2 of 3 so far\)/);
	assert.match(await sam.locator('main').textContent(), /Version 1\./, 'the agreement is unchanged');
	await checkA11y(sam, 'the agreement after ratifying too early');

	// Sam, a member too, agrees; now it can be ratified.
	await sam.goto(agreementPath);
	await clickAndLoad(sam, priyasSuggestion(sam).getByRole('button', { name: /^I agree/ }));
	assert.match(await priyasSuggestion(sam).textContent(), /Members agreeing: 3\./);
	await clickAndLoad(sam, priyasSuggestion(sam).getByRole('button', { name: /^Ratify/ }));
	assert.equal(await noticeText(sam), 'The suggestion is ratified: it is now the group\'s agreement.');
	assert.equal(pathname(sam), agreementPath);

	// The agreement as it stands, and its history.
	assert.match(await sam.locator('main').textContent(), /Version 2\./);
	assert.equal((await sam.textContent('.agreement-aims')).trim(), AIMS);
	assert.equal((await sam.locator('ol.agreement-rules li').last().textContent()).trim(), RULE);
	assert.match(await sam.locator('main dl.facts').first().textContent(), /Experience in common/);
	const history = sam.locator('table.data tbody tr');
	assert.equal(await history.count(), 2);
	const v2 = (await history.first().locator('th, td').allTextContents()).map((s) => s.trim());
	assert.equal(v2[0], '2');
	assert.equal(v2[1], REASON, 'what changed');
	assert.equal(v2[2], 'Priya', 'who suggested it');
	assert.match(v2[3], /by Sam Rivers$/);
	assert.match((await history.last().locator('td').allTextContents()).join(' '), /The template/);
	await checkA11y(sam, 'the agreement after ratifying');
});

// ---- c. a proposal, voted on and closed with an outcome --------------------

test('a proposal is opened, voted on with a block, closed and given an outcome', async () => {
	const TITLE = 'Meet at the library while the centre is closed';
	const BLOCK = 'The library has no step-free entrance, so I could not come.';
	const OUTCOME = 'We stay at the centre and ask the library about a ramp for the future.';
	const review = localDate(60);

	// Sam opens the proposal from the group's decisions page.
	const sam = await signedIn(MEMBER);
	await sam.goto(`/groups/${w.groups.dropIn}/decisions`);
	await checkA11y(sam, 'the decisions of the group');
	await sam.check('#kind-proposal');
	await sam.fill('#title', TITLE);
	await sam.fill('#description', 'The centre closes for repairs in the spring. The library has a free room on Thursdays.');
	await sam.fill('#closes_at', `${localDate(7)}T18:00`);
	assert.ok(await sam.isChecked('#block_needs_reason'), 'a block needs a reason unless the opener says otherwise');
	await clickAndLoad(sam, sam.getByRole('button', { name: 'Open the decision' }));
	assert.match(pathname(sam), /^\/decisions\/[0-9]+$/);
	assert.equal(await sam.textContent('h1'), TITLE);
	const decisionPath = pathname(sam);
	await checkA11y(sam, 'a proposal just opened');

	// Alex agrees.
	const alex = await signedIn(ALEX);
	await alex.goto(`/groups/${w.groups.dropIn}/decisions`);
	await clickAndLoad(alex, alex.locator('main').getByRole('link', { name: TITLE }));
	assert.equal(pathname(alex), decisionPath);
	await alex.check('#answer-agree');
	await clickAndLoad(alex, alex.getByRole('button', { name: 'Save my vote' }));
	assert.match(await alex.locator('main').textContent(), /1 voted so far\./);
	await checkA11y(alex, 'a proposal after voting');

	// Priya blocks: first without a reason (refused), then with one.
	const priya = await signedIn(PRIYA);
	await priya.goto(decisionPath);
	await priya.check('#answer-block');
	await clickAndLoad(priya, priya.getByRole('button', { name: 'Save my vote' }));
	assert.equal(await priya.getAttribute('#reason', 'aria-invalid'), 'true', 'a block without a reason is refused');
	assert.match(await priya.locator('main').textContent(), /1 voted so far\./, 'and not counted');
	await checkA11y(priya, 'a proposal with a vote error');
	await priya.check('#answer-block');
	await priya.fill('#reason', BLOCK);
	await clickAndLoad(priya, priya.getByRole('button', { name: 'Save my vote' }));
	const main = await priya.locator('main').textContent();
	assert.match(main, /2 voted so far\./);
	assert.match(main, /Blocked:\s*at least one member blocks this proposal\./);
	assert.match(await priya.locator('main h3:text("Reasons given") + ul').textContent(), /no step-free entrance/);

	// Sam closes it and writes the outcome with a review date.
	await sam.reload();
	await clickAndLoad(sam, sam.getByRole('button', { name: 'Close this decision now' }));
	assert.equal(pathname(sam), decisionPath);
	assert.match(await sam.locator('main').textContent(), /No outcome has been written yet\./);
	assert.equal(await sam.getByRole('button', { name: 'Save my vote' }).count(), 0, 'no more votes once closed');
	await checkA11y(sam, 'a closed proposal before its outcome');
	await sam.fill('#outcome', OUTCOME);
	await sam.fill('#review_date', review);
	await clickAndLoad(sam, sam.getByRole('button', { name: 'Save the outcome' }));
	assert.equal((await sam.textContent('.decision-outcome')).trim(), OUTCOME);
	assert.match(await sam.locator('main').textContent(), new RegExp(`Written by Sam Rivers on .*To be reviewed on ${review}\\.`));
	await checkA11y(sam, 'a closed proposal with its outcome');

	// The members see the outcome, and the list files it under closed.
	await alex.goto(decisionPath);
	assert.equal((await alex.textContent('.decision-outcome')).trim(), OUTCOME);
	assert.match(await alex.locator('main').textContent(), new RegExp(`To be reviewed on ${review}`));
	await alex.goto(`/groups/${w.groups.dropIn}/decisions`);
	const closed = alex.locator('table.data:has(caption:text("Closed decisions")) tbody tr', { hasText: TITLE });
	assert.equal(await closed.count(), 1, 'the decision is listed as closed');
	assert.deepEqual((await closed.locator('td').allTextContents()).slice(1).map((s) => s.trim()), [OUTCOME, review]);
	await checkA11y(alex, 'the decisions of the group after closing');
});
