// checkin_world.mjs - check-ins on top of the groups world (world.mjs) for
// the browser suites: the drop-in group (which MEMBER facilitates) offers
// the Rosenberg self-esteem scale, and MEMBER takes part (sharing with the
// facilitators) and has finished one check-in, so their own page has a
// chart and the group's page has figures to hide. Built once per server.
import { world, ApiClient } from './world.mjs';

export const RSE = 'rosenberg-self-esteem';
const built = new Map();

export async function checkinWorld(page, { admin, member }) {
	const origin = new URL((await page.context().request.get('/healthz')).url()).origin;
	if (!built.has(origin))
		built.set(origin, (async () => {
			const w = await world(page, { admin, member });
			const sam = new ApiClient(origin);
			await sam.logIn(member.email, member.password);
			await sam.post(`/groups/${w.groups.dropIn}/check-in-settings`, { instrument: RSE, at_joining: true, every_weeks: 6 });
			await sam.post('/me/check-ins/consent', { take_part: true, group_learning: true, share_with_facilitator: true });
			const answers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`rse${i + 1}`, i % 2 ? 1 : 2]));
			await sam.post(`/groups/${w.groups.dropIn}/check-ins/${RSE}`, { ...answers, action: 'finish' });
			return w;
		})());
	return built.get(origin);
}
