// world.mjs - a small, believable network built through the JSON API, for
// the browser tests of groups, membership and meetings: tags, a host charity
// and a partner, five groups (open, ask-to-join, invite-only, a second
// ask-to-join, and one still forming), people with and without accounts, a
// request waiting for an answer, invite links, and meetings today that have
// already started, so attendance can say "present".
//
// The member the browser suites sign in as (MEMBER in lib.mjs) facilitates
// the ask-to-join group, belongs to the open group, and is in neither the
// invite-only group nor the second ask-to-join group: so one signed-in
// context sees a group as its facilitator, as a member and as an outsider.
//
// world(page) builds the world once per server (found from the page's base
// URL) and resolves to its ids; every later call gets the same world.
import assert from 'node:assert/strict';

const ZONE = 'Europe/London';
const DAY = 24 * 60 * 60 * 1000;

/** The local date in the network's zone n days from now: "YYYY-MM-DD". */
export function localDate(days = 0) {
	return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
		.format(new Date(Date.now() + days * DAY));
}

export const PASSWORD = 'willow harbour candle 31';

/** The people of the world other than the suites' ADMIN and MEMBER. */
export const PEOPLE = {
	alex: { email: 'alex@example.org', name: 'Alex', pronouns: 'she/her', needs: 'A seat near the door, please.' },
	priya: { email: 'priya@example.org', name: 'Priya', pronouns: 'she/they' },
	dee: { email: 'dee@example.org', name: 'Dee', pronouns: 'he/him' },
	robin: { email: 'robin@example.org', name: 'Robin', pronouns: 'they/them' },
};

export const MINUTES = [
	'# Check-in',
	'',
	'Everyone said how their week had been. Jo came for the *first time*: welcome, Jo!',
	'',
	'# Planning the summer',
	'',
	'- a walk by the river in June',
	'- a picnic if the weather is kind',
	'',
	'We agreed to ask the centre about the **hearing loop**.',
	'',
].join('\n');

/**
 * A tiny HTTP client for the JSON API with its own cookie jar. It sends no
 * Origin header (it is not a browser), so JSON writes need no CSRF token.
 */
export class ApiClient {
	constructor(origin) {
		this.origin = origin;
		this.cookies = new Map();
	}

	async request(method, path, body) {
		const headers = { accept: 'application/json' };
		if (body !== undefined)
			headers['content-type'] = 'application/json';
		if (this.cookies.size)
			headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		const res = await fetch(this.origin + path, {
			method, headers, redirect: 'manual', body: body === undefined ? undefined : JSON.stringify(body),
		});
		for (const line of res.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			const value = pair.slice(eq + 1).trim();
			if (value)
				this.cookies.set(pair.slice(0, eq).trim(), value);
			else
				this.cookies.delete(pair.slice(0, eq).trim());
		}
		const text = await res.text();
		let json = null;
		try { json = JSON.parse(text); } catch { /* not JSON */ }
		return { status: res.status, json, text };
	}

	get(path) {
		return this.request('GET', `/api/v1${path}`);
	}

	/** POSTs JSON; asserts the status is one of `want` (default: 2xx). */
	async post(path, body = {}, want = null) {
		const res = await this.request('POST', `/api/v1${path}`, body);
		const ok = want ? [].concat(want).includes(res.status) : res.status >= 200 && res.status < 300;
		assert.ok(ok, `POST /api/v1${path} ${JSON.stringify(body).slice(0, 200)}: ${res.status} ${res.text.slice(0, 400)}`);
		return res.json;
	}

	async logIn(email, password) {
		const res = await this.request('POST', '/api/v1/login', { email, password });
		assert.equal(res.status, 200, `log in as ${email}: ${res.status} ${res.text}`);
		return res.json.person;
	}
}

/** Signs someone up through the API (pronouns, then access needs on the
 * account); resolves to { client, id }. */
async function signUp(origin, who) {
	const client = new ApiClient(origin);
	const person = (await client.post('/signup', {
		email: who.email, display_name: who.name, password: PASSWORD, ...(who.pronouns ? { pronouns: who.pronouns } : {}),
	}, 201)).person;
	if (who.needs)
		await client.post('/account', { display_name: who.name, pronouns: who.pronouns ?? '', access_needs: who.needs });
	return { client, id: person.id };
}

const groupId = (json) => (json.group ?? json).id;

/** A one-off meeting today from midnight, local time: it has started
 * whatever the hour, so people can be recorded as present. */
async function heldMeeting(client, gid, start, end, notice) {
	const res = await client.post(`/groups/${gid}/meetings`,
		{ date: localDate(0), start_time: start, end_time: end, notice }, 201);
	return res.meeting.id;
}

/**
 * Builds the world on the server at `origin`, signing in as `admin` and
 * `member` ({email, password}). Resolves to the ids the tests need.
 */
export async function buildWorld(origin, { admin, member }) {
	const a = new ApiClient(origin);
	await a.logIn(admin.email, admin.password);
	const sam = new ApiClient(origin);
	const samId = (await sam.logIn(member.email, member.password)).id;
	const people = {};
	for (const [key, who] of Object.entries(PEOPLE))
		people[key] = await signUp(origin, who);

	// The network: tags, a host charity and a partner.
	const tags = {};
	for (const name of ['Mental health', 'Carers', 'Women', 'Young adults', 'Walking'])
		tags[name] = (await a.post('/tags', { name }, 201)).tag;
	const host = (await a.post('/organisations', {
		name: 'Riverside Mind', description: 'The local mental health charity that hosts the network.',
		website: 'https://riverside-mind.example.org', is_host: true,
	}, 201)).organisation;
	const partner = (await a.post('/organisations', {
		name: 'City Carers Centre', description: 'Support and advice for unpaid carers.',
		website: 'https://carers.example.org',
	}, 201)).organisation;

	const groups = {};
	groups.dropIn = groupId(await a.post('/groups', {
		name: 'Riverside Peer Support', status: 'active', access: 'approval', facilitation: 'peer_led',
		purpose: 'A friendly evening group for anyone living with anxiety or low mood. We share how the week has been, listen, and support each other.',
		who_for: 'Adults who live with anxiety or depression, or think they might.',
		format: 'in_person', venue_name: 'Riverside Community Centre', venue_address: '12 Mill Lane\nRiverside',
		venue_access: 'Step-free entrance and an accessible toilet. The room is on the ground floor; a quiet room is next door.',
		latitude: 53.4808, longitude: -2.2426,
		rrule: 'FREQ=WEEKLY;BYDAY=TH', schedule_start: '2026-01-08T18:30', duration_minutes: 90,
		tags: [tags['Mental health'].slug], host_org_id: host.id, partner_ids: [partner.id],
	}, 201));
	groups.coffee = groupId(await a.post('/groups', {
		name: "Carers' Coffee Morning", status: 'active', access: 'open', facilitation: 'co_facilitated',
		purpose: 'Coffee, cake and company for people who look after someone. Come in person or join online.',
		format: 'hybrid', venue_name: 'The Old Library Café', venue_address: '3 Church Street',
		venue_access: 'Level access from the car park; hearing loop at the counter.',
		online_link: 'https://meet.example.org/carers-coffee', link_visibility: 'members',
		latitude: 53.4794, longitude: -2.2453,
		rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', schedule_start: '2026-01-06T10:30', duration_minutes: 90,
		tags: [tags.Carers.slug], host_org_id: host.id, partner_ids: [partner.id],
	}, 201));
	groups.online = groupId(await a.post('/groups', {
		name: 'Evening Online Circle', status: 'active', access: 'invite', facilitation: 'peer_led',
		purpose: 'A small online group on the last Wednesday of the month, for people who find it hard to get out.',
		format: 'online', online_link: 'https://meet.example.org/evening-circle', link_visibility: 'members',
		rrule: 'FREQ=MONTHLY;BYDAY=-1WE', schedule_start: '2026-01-28T19:00', duration_minutes: 60,
		tags: [tags['Mental health'].slug], host_org_id: host.id,
	}, 201));
	groups.women = groupId(await a.post('/groups', {
		name: "Women's Wellbeing Circle", status: 'active', access: 'approval', facilitation: 'peer_led',
		purpose: 'A women-only space to talk about wellbeing, motherhood and everything in between.',
		who_for: 'Women, including trans women, and non-binary people comfortable in a women-centred space.',
		format: 'in_person', venue_name: 'St Anne’s Hall', venue_address: '40 Park Road',
		venue_access: 'Two steps at the entrance with a handrail; a portable ramp is available on request.',
		rrule: 'FREQ=MONTHLY;BYDAY=1MO', schedule_start: '2026-01-05T13:00', duration_minutes: 120,
		tags: [tags.Women.slug, tags['Mental health'].slug], host_org_id: host.id,
	}, 201));
	groups.walk = groupId(await a.post('/groups', {
		name: 'Young Adults Walk and Talk', status: 'forming', access: 'open', facilitation: 'staff_led',
		purpose: 'A walking group for 18 to 25 year olds, starting in the spring. Walk, talk, and a hot drink at the end.',
		format: 'in_person', venue_name: 'Meet at the park gates', venue_address: 'Riverside Park, Park Road entrance',
		tags: [tags['Young adults'].slug, tags.Walking.slug],
	}, 201));

	// Riverside Peer Support: Sam facilitates; Alex belongs; Jo has no
	// account; Priya is waiting for an answer.
	await sam.post(`/groups/${groups.dropIn}/join`, {});
	await a.post(`/groups/${groups.dropIn}/requests/${samId}/approve`);
	await a.post(`/groups/${groups.dropIn}/members/${samId}/role`, { role: 'facilitator' });
	await people.alex.client.post(`/groups/${groups.dropIn}/join`, { message: 'Hello! A friend told me about the group.' });
	await sam.post(`/groups/${groups.dropIn}/requests/${people.alex.id}/approve`);
	const jo = (await sam.post(`/groups/${groups.dropIn}/members`, { display_name: 'Jo', pronouns: 'she/her' }, 201)).member.person_id;
	await people.priya.client.post(`/groups/${groups.dropIn}/join`,
		{ message: 'I have been feeling low since I moved here, and a bit nervous about groups. Could I come along?' });
	const invite = (await sam.post(`/groups/${groups.dropIn}/invites`, { expires_days: 14, max_uses: 5 }, 201)).invite;

	// Carers' Coffee Morning: Alex facilitates, Sam and Dee are members.
	await people.alex.client.post(`/groups/${groups.coffee}/join`, {});
	await a.post(`/groups/${groups.coffee}/members/${people.alex.id}/role`, { role: 'facilitator' });
	await sam.post(`/groups/${groups.coffee}/join`, {});
	await people.dee.client.post(`/groups/${groups.coffee}/join`, {});

	// Evening Online Circle (invite only): Dee joined through a link and
	// facilitates; a fresh link is left for the join page.
	const first = (await a.post(`/groups/${groups.online}/invites`, {}, 201)).invite;
	await people.dee.client.post(`/groups/${groups.online}/join`, { invite: new URL(first.path, origin).searchParams.get('invite') });
	await a.post(`/groups/${groups.online}/members/${people.dee.id}/role`, { role: 'facilitator' });
	const onlineInvite = (await a.post(`/groups/${groups.online}/invites`, { expires_days: 7 }, 201)).invite;

	// Meetings of Riverside Peer Support: one held today with everything
	// recorded, one held today with nothing recorded yet, and the next
	// scheduled one cancelled with a notice.
	const meetings = {};
	meetings.fresh = await heldMeeting(sam, groups.dropIn, '00:00', '00:20', 'A short extra session');
	meetings.held = await heldMeeting(sam, groups.dropIn, '00:00', '00:30', 'Planning the summer');
	await sam.post(`/meetings/${meetings.held}/attendance`, { attendance: [
		{ person_id: samId, status: 'present' },
		{ person_id: people.alex.id, status: 'present' },
		{ person_id: jo, status: 'present', newcomer: true },
	] });
	await sam.post(`/meetings/${meetings.held}/roles`, {
		facilitators: [samId], facilitated_by_peer: true,
		roles: [{ person_id: people.alex.id, role: 'welcomer' }, { person_id: jo, role: 'timekeeper' }],
	});
	await sam.post(`/meetings/${meetings.held}/minutes`, { minutes: MINUTES });
	await sam.post(`/meetings/${meetings.held}/actions`,
		{ description: 'Ask the centre about the hearing loop', owner_id: people.alex.id, due_date: localDate(7) }, 201);
	await sam.post(`/meetings/${meetings.held}/actions`,
		{ description: 'Find a date for the river walk', owner_id: samId }, 201);
	const upcoming = (await sam.get(`/groups/${groups.dropIn}/meetings`)).json.upcoming
		.filter((m) => m.kind === 'scheduled' && m.status === 'scheduled' && Date.parse(m.starts_at) > Date.now());
	assert.ok(upcoming.length >= 2, 'Riverside Peer Support has meetings coming up');
	meetings.cancelled = upcoming[1].id;
	await sam.post(`/meetings/${meetings.cancelled}/cancel`, { notice: 'The centre is closed for a staff training day. See you the week after!' });
	meetings.next = upcoming[0].id;

	// Carers' Coffee Morning: a meeting held today, with Sam present.
	meetings.coffee = await heldMeeting(people.alex.client, groups.coffee, '00:00', '00:30', 'An extra catch-up');
	await people.alex.client.post(`/meetings/${meetings.coffee}/attendance`, { attendance: [
		{ person_id: people.alex.id, status: 'present' }, { person_id: samId, status: 'present' },
		{ person_id: people.dee.id, status: 'apologies' },
	] });
	await people.alex.client.post(`/meetings/${meetings.coffee}/minutes`,
		{ minutes: 'We talked about **respite breaks** and shared the numbers that help.\n\n- Carers line: 0800 000 000\n' });

	const extra = await buildCommunity(origin, { a, sam, people, groups, meetings, samId, partner });

	return {
		origin, groups, meetings, tags, host: host.id, partner: partner.id, ...extra,
		people: { sam: samId, jo, alex: people.alex.id, priya: people.priya.id, dee: people.dee.id, robin: people.robin.id },
		invitePath: invite.path, onlineInvitePath: onlineInvite.path,
	};
}

/** A local date-time n days from now: "YYYY-MM-DDTHH:MM". */
function localDateTime(days, time = '18:00') {
	return `${localDate(days)}T${time}`;
}

/**
 * The community side of the world: Riverside Peer Support's agreement
 * (started from the template, with an open suggestion), agendas, decisions
 * of each kind, a conversation with replies and a report, and a resource.
 * Carers' Coffee Morning is left with no agreement.
 */
async function buildCommunity(origin, { a, sam, people, groups, meetings, samId, partner }) {
	const alex = people.alex.client;

	// The agreement: started from the template, then a suggestion from Alex.
	await sam.post(`/groups/${groups.dropIn}/agreement/start`);
	const suggestion = await alex.post(`/groups/${groups.dropIn}/agreement/suggestions`, {
		aims: 'To listen to each other, share how the week has been, and support each other.',
		rules: ['What is said in the group stays in the group.', 'One person speaks at a time.', 'Phones on silent, please.'],
		reason: 'Phones ringing made it hard to listen last week.',
	}, 201);

	// The Evening Online Circle's agreement: the template, nothing more.
	await a.post(`/groups/${groups.online}/agreement/start`);

	// The agenda of the next meeting of each group.
	const addItem = (client, m, title, why) => client.post(`/meetings/${m}/agenda/items`, { title, why }, 201);
	await addItem(sam, meetings.next, 'The summer walk', 'We need a date and a route.');
	await addItem(alex, meetings.next, 'A hearing loop for the room', 'Two of us find it hard to hear in the big room.');
	const coffeeNext = (await sam.get(`/groups/${groups.coffee}/meetings`)).json.upcoming
		.filter((m) => m.status === 'scheduled' && Date.parse(m.starts_at) > Date.now());
	assert.ok(coffeeNext.length >= 1, "Carers' Coffee Morning has a meeting coming up");
	meetings.coffeeNext = coffeeNext[0].id;
	await addItem(alex, meetings.coffeeNext, 'Respite breaks', 'Sharing what has helped.');

	// Decisions of Riverside Peer Support.
	const decide = async (body) => {
		const res = await sam.post(`/groups/${groups.dropIn}/decisions`, { closes_at: localDateTime(7), ...body }, 201);
		return (res.decision ?? res).id;
	};
	const decisions = {};
	decisions.proposal = await decide({ kind: 'proposal', title: 'Move to the quiet room', description: 'The quiet room is warmer and has a hearing loop.' });
	decisions.sense = await decide({ kind: 'sense_check', title: 'Tea and biscuits every week' });
	decisions.poll = await decide({ kind: 'time_poll', title: 'When shall we walk by the river?',
		options: [localDateTime(10, '10:00'), localDateTime(11, '14:00'), localDateTime(17, '10:00')] });
	decisions.dots = await decide({ kind: 'dot_vote', title: 'What shall we talk about next month?',
		options: ['Sleep', 'Work and money', 'Family'], dots: 3 });
	decisions.closed = await decide({ kind: 'proposal', title: 'Start at half past six' });
	await alex.post(`/decisions/${decisions.proposal}/vote`, { answer: 'agree' });
	await alex.post(`/decisions/${decisions.closed}/vote`, { answer: 'agree' });
	await sam.post(`/decisions/${decisions.closed}/vote`, { answer: 'abstain', reason: 'Either time suits me.' });
	await sam.post(`/decisions/${decisions.closed}/close`);
	await sam.post(`/decisions/${decisions.closed}/outcome`, { outcome: 'We start at half past six from next month.', review_date: localDate(90) });

	// A conversation with replies, and a reported post.
	const post = (client, body) => client.post(`/groups/${groups.dropIn}/posts`, body, 201).then((r) => { const id = (r.post ?? r.thread ?? r).id; assert.ok(id, `a post id in ${JSON.stringify(r).slice(0, 300)}`); return id; });
	const posts = {};
	posts.thread = await post(sam, { kind: 'discussion', title: 'Ideas for the summer', body: 'What would you like to do together this summer?' });
	await alex.post(`/posts/${posts.thread}/replies`, { body: 'A picnic by the river, if the weather is kind.' }, 201);
	await sam.post(`/posts/${posts.thread}/replies`, { body: 'Lovely idea. I will ask about the park.' }, 201);
	posts.announcement = await post(sam, { kind: 'announcement', title: 'No meeting on the 14th', body: 'The centre is closed for training.' });
	posts.reported = await post(alex, { kind: 'offer', title: 'Spare tickets', body: 'I have two spare tickets for the concert.' });
	await sam.post(`/posts/${posts.reported}/report`, { reason: 'This looks like selling, which the group agreed not to do.' }, [200, 201]);

	// A resource in the directory.
	const resource = (await a.post('/resources', {
		name: 'Samaritans', category: 'crisis-lines', description: 'Someone to talk to, day or night.',
		phone: '116 123', website: 'https://www.samaritans.org', opening_times: 'Every day, all day',
	}, 201));

	return { decisions, posts, suggestion: (suggestion.suggestion ?? suggestion).id, resource: (resource.resource ?? resource).id };
}

const worlds = new Map();

/**
 * The world of the server `page` talks to, built on first use. The server
 * is found from the page's context (its baseURL) with a request that
 * leaves no cookies behind.
 */
export async function world(page, creds) {
	const res = await page.context().request.get('/healthz');
	const origin = new URL(res.url()).origin;
	if (!worlds.has(origin))
		worlds.set(origin, buildWorld(origin, creds));
	return worlds.get(origin);
}
