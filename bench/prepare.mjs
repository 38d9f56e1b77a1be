// prepare.mjs - finds the pages a benchmark run measures on a generated
// network and signs in for the pages that need it. Prints shell variable
// assignments for bench/run.sh:
//   node bench/prepare.mjs ORIGIN PASSWORD
// GROUP_PATH (the group person1 facilitates), MEETING_PATH (one of its held
// meetings), PERSON_ID (person1), COOKIE (person1's session cookie) and
// LOGIN_BODY (another generated person's credentials).
const [origin, password] = process.argv.slice(2);

async function signIn(email) {
  const res = await fetch(`${origin}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200)
    throw new Error(`login as ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('hearth_session='));
  return { cookie, person: (await res.json()).person };
}

async function getJson(path, cookie) {
  const res = await fetch(`${origin}/api/v1${path}`, { headers: { Cookie: cookie } });
  if (res.status !== 200)
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const member = await signIn('person1@gen.hearth.example');
const me = await getJson('/me', member.cookie);
const mine = me.groups.find((g) => g.role === 'facilitator');
if (!mine)
  throw new Error('person1 facilitates no group: was the database made by `hearth gen`?');
const meetings = await getJson(`${mine.path}/meetings`, member.cookie);
const held = meetings.past?.find((m) => m.status === 'closed');
if (!held)
  throw new Error(`no held meeting found for ${mine.path}`);
const q = (s) => `'${String(s).replace(/'/g, "'\\''")}'`;
// A point with groups around it for the distance search: the place of
// the first group in the directory that meets somewhere (a fixed point
// such as Sheffield has no group within 10 km on the small networks).
async function nearPoint() {
  const list = await getJson('/groups', member.cookie);
  for (const g of list.groups) {
    const one = await getJson(`/groups/${g.id}`, member.cookie);
    const at = one.group.venue?.location;
    if (at) return `${at.latitude.toFixed(4)},${at.longitude.toFixed(4)}`;
  }
  throw new Error('no group in the first page of the directory has a place');
}

console.log(`GROUP_PATH=${q(mine.path)}`);
console.log(`MEETING_PATH=${q(held.path)}`);
console.log(`PERSON_ID=${q(member.person.id)}`);
console.log(`NEAR=${q(await nearPoint())}`);
console.log(`COOKIE=${q(member.cookie)}`);
console.log(`LOGIN_BODY=${q(JSON.stringify({ email: 'person2@gen.hearth.example', password }))}`);
// The network's coordinator, for the network's check-in figures.
const coordinator = await signIn('gen@gen.hearth.example');
console.log(`COORDINATOR_COOKIE=${q(coordinator.cookie)}`);
