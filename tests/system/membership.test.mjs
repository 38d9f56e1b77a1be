// membership.test.mjs - people and membership (capability C2) over real
// HTTP, on SQLite and on PostgreSQL: joining open, approval and invite-only
// groups, requests and their answers, invite links, members without an
// account, roles in a group, leaving, what members and facilitators see of
// each other, network roles on /admin/people and `hearth user add --role`,
// and every refusal with a check that nothing changed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, uniqueEmail, logIn, account, jsonError, hearth, GOOD_PASSWORD, ADMIN_EMAIL,
  ADMIN_PASSWORD, itStopsCleanly,
} from './lib/server.mjs';
import { addUser, sql } from './lib/fixtures.mjs';

/** Creates a group as an admin through the groups API; returns its id. */
async function createGroup(admin, name, access, status = 'active') {
  const res = await admin.postJson('/api/v1/groups', {
    name, purpose: 'To meet, talk and support each other.', format: 'in_person',
    venue_name: 'Community Hall', venue_address: '1 High Street',
    access, facilitation: 'peer_led', status,
  });
  assert.equal(res.status, 201, `creating ${name}: ${res.status} ${res.text}`);
  const g = res.json.group ?? res.json;
  assert.match(g.id, /^[1-9][0-9]*$/);
  return g.id;
}

/** Closes a group as a coordinator through the groups API. */
async function closeGroup(admin, id) {
  const res = await admin.postJson(`/api/v1/groups/${id}/status`, { status: 'closed' });
  assert.ok(res.status === 200 || res.status === 201, `closing: ${res.status} ${res.text}`);
}

const join = (c, gid, body = {}) => c.postJson(`/api/v1/groups/${gid}/join`, body);
const members = (c, gid) => c.get(`/api/v1/groups/${gid}/members`);

/** The members page as JSON, asserting 200. */
async function membersOk(c, gid) {
  const res = await members(c, gid);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** An invite link made through the API; returns {id, token, path}. */
async function makeInvite(c, gid, body = {}) {
  const res = await c.postJson(`/api/v1/groups/${gid}/invites`, body);
  assert.equal(res.status, 201, res.text);
  const inv = res.json.invite;
  const token = new URL(inv.path, 'http://x').searchParams.get('invite');
  assert.match(token, /^[0-9a-f]{32}$/);
  return { id: inv.id, token, path: inv.path };
}

describe('membership', () => {
  let srv;
  // Clients and person ids of the cast.
  let admin, coord, fran, pat, mo, olu, fiona;
  const id = {};
  // Groups.
  let openG, approvalG, inviteG, pausedG, closedG, otherG;

  /** Makes person (a client) a member of gid through an invite link, then
   * gives them role, as the admin. */
  async function enrol(c, gid, role) {
    const { token } = await makeInvite(admin, gid);
    const res = await join(c, gid, { invite: token });
    assert.equal(res.status, 201, res.text);
    const me = await account(c);
    if (role !== 'member') {
      const r = await admin.postJson(`/api/v1/groups/${gid}/members/${me.id}/role`, { role });
      assert.equal(r.status, 200, r.text);
    }
  }

  before(async () => {
    srv = await startServer();
    const names = ['Fran', 'Pat', 'Mo', 'Olu', 'Fiona'];
    const emails = {};
    for (const n of names)
      emails[n] = await addUser(srv, n);
    emails.Cole = await addUser(srv, 'Cole', ['coordinator']);
    admin = srv.client();
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    [fran, pat, mo, olu, fiona, coord] = names.concat('Cole').map(() => srv.client());
    const byName = { Fran: fran, Pat: pat, Mo: mo, Olu: olu, Fiona: fiona, Cole: coord };
    for (const [n, c] of Object.entries(byName)) {
      await logIn(c, emails[n]);
      id[n] = (await account(c)).id;
    }
    openG = await createGroup(admin, 'Open Door Drop-in', 'open');
    approvalG = await createGroup(admin, "Women's Circle", 'approval');
    inviteG = await createGroup(admin, 'Hearing Voices', 'invite');
    pausedG = await createGroup(admin, 'Paused Walkers', 'open', 'paused');
    closedG = await createGroup(admin, 'Old Group', 'open');
    otherG = await createGroup(admin, 'Other Group', 'open');
    for (const g of [openG, approvalG, inviteG, closedG])
      await enrol(fran, g, 'facilitator');
    await enrol(pat, openG, 'peer_worker');
    await enrol(fiona, otherG, 'facilitator');
    await enrol(mo, closedG, 'member');
    await closeGroup(admin, closedG);
  });
  after(() => srv?.stop());

  describe('joining an open group', () => {
    it('joins through the HTML form: 303 to the group page with ?joined=1', async () => {
      const page = await mo.get(`/groups/${openG}/join`);
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Join Open Door Drop-in<\/h1>/);
      assert.match(page.text, new RegExp(`<form[^>]*method="post" action="/groups/${openG}/join"`));
      assert.match(page.text, /<input type="hidden" name="csrf" value="[0-9a-f]+">/);
      const res = await mo.postForm(`/groups/${openG}/join`, {});
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/groups/${openG}?joined=1`);
      const list = await membersOk(fran, openG);
      const m = list.members.find((x) => x.person_id === id.Mo);
      assert.equal(m.role, 'member');
      assert.equal(m.status, 'active');
    });

    it('refuses to join twice (409, "You are already a member") and changes nothing', async () => {
      const before = await membersOk(fran, openG);
      const res = await join(mo, openG);
      assert.equal(res.status, 409);
      assert.match(jsonError(res).message, /You are already a member/);
      const html = await mo.postForm(`/groups/${openG}/join`, {});
      assert.equal(html.status, 409);
      assert.match(html.text, /You are already a member/);
      assert.deepEqual(await membersOk(fran, openG), before);
    });

    it('answers JSON with 201 and the membership', async () => {
      const res = await join(olu, otherG);
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.membership.person_id, id.Olu);
      assert.equal(res.json.membership.status, 'active');
      assert.equal(res.json.membership.role, 'member');
      assert.equal(res.json.group.id, otherG);
    });

    it('refuses a paused group and a closed group (409, not taking new members)', async () => {
      for (const [gid, name] of [[pausedG, 'Paused Walkers'], [closedG, 'Old Group']]) {
        const res = await join(olu, gid);
        assert.equal(res.status, 409, res.text);
        assert.match(jsonError(res).message, new RegExp(`${name} is not taking new members just now`));
      }
      assert.ok(!(await membersOk(admin, pausedG)).members.some((m) => m.person_id === id.Olu));
      assert.ok(!(await membersOk(admin, closedG)).members.some((m) => m.person_id === id.Olu));
    });

    it('sends anonymous people to log in (HTML) or answers 401 (JSON)', async () => {
      const anon = srv.client();
      await anon.get('/login');
      const res = await anon.postForm(`/groups/${openG}/join`, {});
      assert.equal(res.status, 401);
      const json = await anon.postJson(`/api/v1/groups/${openG}/join`, {});
      assert.equal(json.status, 401);
    });

    it('answers 404 for a group that does not exist', async () => {
      assert.equal((await join(olu, '123456789')).status, 404);
      assert.equal((await join(olu, 'abc')).status, 404);
    });
  });

  describe('asking to join a group that needs approval', () => {
    it('makes a request with a message; the facilitator sees it, members do not', async () => {
      const res = await join(olu, approvalG, { message: 'I found you through my GP.\nI am nervous.' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.membership.status, 'requested');
      const list = await membersOk(fran, approvalG);
      const req = list.requests.find((r) => r.person_id === id.Olu);
      assert.equal(req.message, 'I found you through my GP.\nI am nervous.');
      assert.ok(!list.members.some((m) => m.person_id === id.Olu));
      const page = await fran.get(`/groups/${approvalG}/members`);
      assert.match(page.text, /I found you through my GP\./);
      assert.ok(page.text.includes(`action="/groups/${approvalG}/requests/${id.Olu}/approve"`));
      // The person asking is not a member yet: they cannot see the members.
      assert.equal((await members(olu, approvalG)).status, 403);
    });

    it('refuses to ask twice (409) and keeps the first message', async () => {
      const res = await join(olu, approvalG, { message: 'again' });
      assert.equal(res.status, 409);
      const list = await membersOk(fran, approvalG);
      assert.equal(list.requests.filter((r) => r.person_id === id.Olu).length, 1);
      assert.match(list.requests.find((r) => r.person_id === id.Olu).message, /GP/);
    });

    it('refuses a message over 500 characters (422, field message), changing nothing', async () => {
      const before = await membersOk(fran, approvalG);
      const res = await join(mo, approvalG, { message: 'x'.repeat(501) });
      assert.equal(res.status, 422);
      assert.equal(jsonError(res).field, 'message');
      await mo.get(`/groups/${approvalG}/join`);
      const html = await mo.postForm(`/groups/${approvalG}/join`, { message: 'y'.repeat(501) });
      assert.equal(html.status, 422);
      assert.match(html.text, /aria-invalid="true"/);
      assert.match(html.text, /id="message-error"/);
      assert.deepEqual(await membersOk(fran, approvalG), before);
    });

    it('the HTML form asks for an optional message and goes to /me?requested=1', async () => {
      const page = await mo.get(`/groups/${approvalG}/join`);
      assert.match(page.text, /<label for="message">/);
      assert.match(page.text, /Ask to join/);
      const res = await mo.postForm(`/groups/${approvalG}/join`, { message: '' });
      assert.equal(res.status, 303);
      assert.equal(res.location, '/me?requested=1');
    });

    it('lets a facilitator approve a request once (then 409)', async () => {
      const res = await fran.postJson(`/api/v1/groups/${approvalG}/requests/${id.Olu}/approve`, {});
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.member.status, 'active');
      const again = await fran.postJson(`/api/v1/groups/${approvalG}/requests/${id.Olu}/approve`, {});
      assert.equal(again.status, 409);
      const decline = await fran.postJson(`/api/v1/groups/${approvalG}/requests/${id.Olu}/decline`, {});
      assert.equal(decline.status, 409);
      const list = await membersOk(fran, approvalG);
      assert.equal(list.members.find((m) => m.person_id === id.Olu).status, 'active');
    });

    it('refuses approval from a member who is not a manager (403) and from a non-member (403)', async () => {
      // Mo's request is waiting; Olu (a member now) and Fiona (facilitator elsewhere) try to approve it.
      for (const c of [olu, fiona]) {
        const res = await c.postJson(`/api/v1/groups/${approvalG}/requests/${id.Mo}/approve`, {});
        assert.equal(res.status, 403, res.text);
      }
      const list = await membersOk(fran, approvalG);
      assert.ok(list.requests.some((r) => r.person_id === id.Mo));
    });

    it('approving someone who never asked is a conflict (409)', async () => {
      const res = await fran.postJson(`/api/v1/groups/${approvalG}/requests/${id.Fiona}/approve`, {});
      assert.equal(res.status, 409);
      assert.ok(!(await membersOk(fran, approvalG)).members.some((m) => m.person_id === id.Fiona));
    });

    it('declines through the HTML form; a declined person may ask again', async () => {
      await fran.get(`/groups/${approvalG}/members`);
      const res = await fran.postForm(`/groups/${approvalG}/requests/${id.Mo}/decline`, {});
      assert.equal(res.status, 303);
      assert.equal(res.location, `/groups/${approvalG}/members?done=declined`);
      const page = await fran.get(res.location);
      assert.match(page.text, /The request is declined/);
      assert.ok(!(await membersOk(fran, approvalG)).requests.some((r) => r.person_id === id.Mo));
      const again = await join(mo, approvalG, { message: 'May I try again?' });
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json.membership.status, 'requested');
    });

    it('a coordinator who is not in the group can approve', async () => {
      const res = await coord.postJson(`/api/v1/groups/${approvalG}/requests/${id.Mo}/approve`, {});
      assert.equal(res.status, 200, res.text);
    });
  });

  describe('invite-only groups and invite links', () => {
    it('refuses to join without an invite (403, a kind message), changing nothing', async () => {
      const before = await membersOk(fran, inviteG);
      const res = await join(olu, inviteG);
      assert.equal(res.status, 403);
      assert.match(jsonError(res).message, /welcomes new members by invitation/);
      const page = await olu.get(`/groups/${inviteG}/join`);
      assert.equal(page.status, 200);
      assert.match(page.text, /ask one of its facilitators for an invite link/);
      assert.doesNotMatch(page.text, new RegExp(`action="/groups/${inviteG}/join"`));
      assert.deepEqual(await membersOk(fran, inviteG), before);
    });

    it('shows a signed-out visitor the group name and a login link that keeps the invite', async () => {
      const { token } = await makeInvite(fran, inviteG);
      const anon = srv.client();
      const page = await anon.get(`/groups/${inviteG}/join?invite=${token}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Join Hearing Voices<\/h1>/);
      const next = `/groups/${inviteG}/join?invite=${token}`;
      assert.ok(page.text.includes(`href="/login?next=${encodeURIComponent(next)}"`), page.text);
      // Logging in from there comes back to the invite.
      const email = await addUser(srv, 'Nia');
      const login = await anon.get(`/login?next=${encodeURIComponent(next)}`);
      assert.equal(login.status, 200);
      const res = await anon.postForm('/login', { email, password: GOOD_PASSWORD, next });
      assert.equal(res.status, 303);
      assert.equal(res.location, next);
    });

    it('joins with a link through the confirmation page: 303 to ?joined=1, one use counted', async () => {
      const { token, id: inviteId } = await makeInvite(fran, inviteG, { expires_days: 7, max_uses: 5 });
      const page = await olu.get(`/groups/${inviteG}/join?invite=${token}`);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(`<input type="hidden" name="invite" value="${token}">`));
      const res = await olu.postForm(`/groups/${inviteG}/join`, { invite: token });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/groups/${inviteG}?joined=1`);
      const list = await membersOk(fran, inviteG);
      const inv = list.invites.find((v) => v.id === inviteId);
      assert.equal(inv.uses, 1);
      assert.equal(inv.max_uses, 5);
      assert.equal(inv.state, 'usable');
      assert.ok(!('token' in inv) && !('path' in inv), 'the token is shown only once');
    });

    it('refuses an unknown or malformed token (404) and a token of another group (404)', async () => {
      const { token: otherToken } = await makeInvite(fran, approvalG);
      for (const invite of ['0123456789abcdef0123456789abcdef', 'nonsense', otherToken]) {
        const res = await join(mo, inviteG, { invite });
        assert.equal(res.status, 404, `${invite}: ${res.text}`);
        assert.equal(jsonError(res).field, 'invite');
        assert.equal((await mo.get(`/groups/${inviteG}/join?invite=${invite}`)).status, 404);
      }
      assert.ok(!(await membersOk(fran, inviteG)).members.some((m) => m.person_id === id.Mo));
    });

    it('refuses a revoked token (403); revoking twice is 409', async () => {
      const { token, id: inviteId } = await makeInvite(fran, inviteG);
      await fran.get(`/groups/${inviteG}/members`);
      const res = await fran.postForm(`/groups/${inviteG}/invites/${inviteId}/revoke`, {});
      assert.equal(res.status, 303);
      assert.equal(res.location, `/groups/${inviteG}/members?done=revoked`);
      const again = await fran.postJson(`/api/v1/groups/${inviteG}/invites/${inviteId}/revoke`, {});
      assert.equal(again.status, 409);
      const joinRes = await join(mo, inviteG, { invite: token });
      assert.equal(joinRes.status, 403);
      assert.match(jsonError(joinRes).message, /withdrawn/);
      assert.equal((await mo.get(`/groups/${inviteG}/join?invite=${token}`)).status, 403);
      const list = await membersOk(fran, inviteG);
      assert.equal(list.invites.find((v) => v.id === inviteId).state, 'revoked');
      assert.ok(!list.members.some((m) => m.person_id === id.Mo));
    });

    it('refuses an expired token (403) and a used-up token (403)', async () => {
      const expired = await makeInvite(fran, inviteG, { expires_days: 1 });
      await sql(srv, `UPDATE group_invite SET expires_at = 1000 WHERE id = ${expired.id}`);
      const res = await join(mo, inviteG, { invite: expired.token });
      assert.equal(res.status, 403);
      assert.match(jsonError(res).message, /expired/);

      const once = await makeInvite(fran, inviteG, { max_uses: 1 });
      assert.equal((await join(fiona, inviteG, { invite: once.token })).status, 201);
      const used = await join(mo, inviteG, { invite: once.token });
      assert.equal(used.status, 403);
      assert.match(jsonError(used).message, /used as many times/);
      assert.ok(!(await membersOk(fran, inviteG)).members.some((m) => m.person_id === id.Mo));
    });

    it('shows the link once on the HTML page (201) and lists it after without the token', async () => {
      await fran.get(`/groups/${inviteG}/members`);
      const res = await fran.postForm(`/groups/${inviteG}/invites`, { expires_days: '', max_uses: '' });
      assert.equal(res.status, 201);
      const m = /<code class="members-link">(\/groups\/\d+\/join\?invite=([0-9a-f]{32}))<\/code>/.exec(res.text);
      assert.ok(m, 'the new link is on the page');
      const later = await fran.get(`/groups/${inviteG}/members`);
      assert.ok(!later.text.includes(m[2]), 'the token is not shown again');
      const list = await membersOk(fran, inviteG);
      const newest = list.invites[0];
      const days = (Date.parse(newest.expires_at) - Date.parse(newest.created_at)) / 86400000;
      assert.equal(Math.round(days), 30, 'the default is 30 days');
      assert.equal(newest.max_uses, 0);
    });

    it('refuses bad link settings (422 naming the field) and non-managers (403), making no link', async () => {
      const before = (await membersOk(fran, inviteG)).invites.length;
      for (const [body, field] of [[{ expires_days: 0 }, 'expires_days'], [{ expires_days: 366 }, 'expires_days'],
        [{ expires_days: 'soon' }, 'expires_days'], [{ max_uses: 1001 }, 'max_uses'], [{ max_uses: -1 }, 'max_uses']]) {
        const res = await fran.postJson(`/api/v1/groups/${inviteG}/invites`, body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(jsonError(res).field, field);
      }
      await fran.get(`/groups/${inviteG}/members`);
      const html = await fran.postForm(`/groups/${inviteG}/invites`, { expires_days: '999', max_uses: '' });
      assert.equal(html.status, 422);
      assert.match(html.text, /id="expires_days-error"/);
      assert.match(html.text, /value="999"/);
      assert.equal((await olu.postJson(`/api/v1/groups/${inviteG}/invites`, {})).status, 403);
      assert.equal((await fiona.postJson(`/api/v1/groups/${openG}/invites`, {})).status, 403);
      assert.equal((await membersOk(fran, inviteG)).invites.length, before);
    });

    it('revoking a link of another group is 404; a member cannot revoke (403)', async () => {
      const { id: inviteId } = await makeInvite(fran, inviteG);
      assert.equal((await fran.postJson(`/api/v1/groups/${openG}/invites/${inviteId}/revoke`, {})).status, 404);
      assert.equal((await olu.postJson(`/api/v1/groups/${inviteG}/invites/${inviteId}/revoke`, {})).status, 403);
      const list = await membersOk(fran, inviteG);
      assert.equal(list.invites.find((v) => v.id === inviteId).state, 'usable');
    });
  });

  describe('the members list and privacy', () => {
    before(async () => {
      // Mo gives pronouns and access needs on the account page.
      await mo.get('/account');
      const res = await mo.postForm('/account', {
        display_name: 'Mo', pronouns: 'she/her', access_needs: 'I use a wheelchair.',
      });
      assert.equal(res.status, 303, res.text);
    });

    it('the account page has the access needs field with its hint', async () => {
      const page = await mo.get('/account');
      assert.match(page.text, /<label for="access_needs">Access needs \(optional\)<\/label>/);
      assert.match(page.text, /Only the facilitators of your groups see this/);
      assert.match(page.text, /I use a wheelchair\./);
      assert.equal((await account(mo)).access_needs, 'I use a wheelchair.');
    });

    it('a member sees display names and pronouns, never emails or access needs', async () => {
      const list = await membersOk(olu, approvalG);
      const moSeen = list.members.find((m) => m.person_id === id.Mo);
      assert.equal(moSeen.display_name, 'Mo');
      assert.equal(moSeen.pronouns, 'she/her');
      for (const m of list.members) {
        assert.ok(!('access_needs' in m), 'no access needs');
        assert.ok(!('email' in m), 'no email');
        assert.ok(!('has_account' in m));
      }
      assert.ok(!('requests' in list) && !('invites' in list));
      const page = await olu.get(`/groups/${approvalG}/members`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /wheelchair/);
      assert.doesNotMatch(page.text, /@example\.org/);
      assert.doesNotMatch(page.text, /Access needs/);
      assert.doesNotMatch(page.text, /\/invites"/);
    });

    it('a facilitator and a coordinator see access needs', async () => {
      for (const c of [fran, coord, admin]) {
        const list = await membersOk(c, approvalG);
        assert.equal(list.members.find((m) => m.person_id === id.Mo).access_needs, 'I use a wheelchair.');
      }
      const page = await fran.get(`/groups/${approvalG}/members`);
      assert.match(page.text, /I use a wheelchair\./);
      assert.doesNotMatch(page.text, /@example\.org/, 'not even facilitators see emails here');
    });

    it('refuses non-members (403) and sends anonymous people to log in', async () => {
      assert.equal((await members(fiona, approvalG)).status, 403);
      const html = await fiona.get(`/groups/${approvalG}/members`);
      assert.equal(html.status, 403);
      const anon = srv.client();
      const res = await anon.get(`/groups/${approvalG}/members`);
      assert.equal(res.status, 303);
      assert.equal(res.location, `/login?next=/groups/${approvalG}/members`);
      assert.equal((await anon.get(`/api/v1/groups/${approvalG}/members`)).status, 401);
    });

    it('every form on the manager page carries the CSRF token, and fields have labels', async () => {
      const page = await fran.get(`/groups/${approvalG}/members`);
      const forms = page.text.match(/<form[\s\S]*?<\/form>/g);
      assert.ok(forms.length >= 3);
      for (const f of forms)
        assert.match(f, /<input type="hidden" name="csrf" value="[0-9a-f]+">/);
      for (const idAttr of page.text.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g))
        assert.ok(page.text.includes(`<label for="${idAttr[1]}"`) || page.text.includes(`for="${idAttr[1]}">`),
          `a label for ${idAttr[1]}`);
      assert.equal((page.text.match(/<h1>/g) ?? []).length, 1);
    });
  });

  describe('members without an account', () => {
    it('a facilitator adds "Sam" with no email: 201, in the list like anyone', async () => {
      const res = await fran.postJson(`/api/v1/groups/${openG}/members`, {
        display_name: 'Sam', pronouns: 'he/him', access_needs: 'Hard of hearing',
      });
      assert.equal(res.status, 201, res.text);
      const sam = res.json.member;
      assert.equal(sam.display_name, 'Sam');
      assert.equal(sam.has_account, false);
      assert.equal(sam.access_needs, 'Hard of hearing');
      assert.equal(sam.status, 'active');
      const seen = (await membersOk(mo, openG)).members.find((m) => m.person_id === sam.person_id);
      assert.equal(seen.display_name, 'Sam');
      assert.ok(!('access_needs' in seen));
    });

    it('the HTML form redirects to the members page with a notice', async () => {
      await pat.get(`/groups/${openG}/members`);
      const res = await pat.postForm(`/groups/${openG}/members`, { display_name: 'Jo', pronouns: '', access_needs: '' });
      assert.equal(res.status, 303);
      assert.equal(res.location, `/groups/${openG}/members?done=added`);
      const page = await pat.get(res.location);
      assert.match(page.text, /They are added to the group/);
      assert.match(page.text, /<th scope="row">Jo<\/th>/);
      assert.match(page.text, /No account/);
    });

    it('refuses an empty name (422 on display_name), a member (403) and a closed group (409)', async () => {
      const before = await membersOk(fran, openG);
      const res = await fran.postJson(`/api/v1/groups/${openG}/members`, { display_name: '' });
      assert.equal(res.status, 422);
      assert.equal(jsonError(res).field, 'display_name');
      await fran.get(`/groups/${openG}/members`);
      const html = await fran.postForm(`/groups/${openG}/members`, { display_name: '', pronouns: 'they', access_needs: '' });
      assert.equal(html.status, 422);
      assert.match(html.text, /id="display_name-error"/);
      assert.match(html.text, /aria-invalid="true"/);
      assert.match(html.text, /value="they"/);
      assert.equal((await mo.postJson(`/api/v1/groups/${openG}/members`, { display_name: 'X' })).status, 403);
      assert.equal((await fiona.postJson(`/api/v1/groups/${openG}/members`, { display_name: 'X' })).status, 403);
      assert.equal((await fran.postJson(`/api/v1/groups/${closedG}/members`, { display_name: 'X' })).status, 409);
      assert.equal((await fran.postJson(`/api/v1/groups/${openG}/members`, { display_name: 'X', email: 'x@example.org' })).status, 400);
      assert.deepEqual(await membersOk(fran, openG), before);
    });
  });

  describe('roles in a group', () => {
    it('a facilitator makes a member a peer support worker, then a member again', async () => {
      const res = await fran.postJson(`/api/v1/groups/${openG}/members/${id.Mo}/role`, { role: 'peer_worker' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.member.role, 'peer_worker');
      assert.equal((await membersOk(mo, openG)).members.find((m) => m.person_id === id.Mo).role_text, 'Peer support worker');
      // Now Mo manages: she sees access needs.
      assert.ok('access_needs' in (await membersOk(mo, openG)).members[0]);
      await fran.get(`/groups/${openG}/members`);
      const html = await fran.postForm(`/groups/${openG}/members/${id.Mo}/role`, { role: 'member' });
      assert.equal(html.status, 303);
      assert.equal(html.location, `/groups/${openG}/members?done=role`);
      assert.equal((await membersOk(fran, openG)).members.find((m) => m.person_id === id.Mo).role, 'member');
    });

    it('a coordinator assigns a facilitator', async () => {
      const res = await coord.postJson(`/api/v1/groups/${otherG}/members/${id.Olu}/role`, { role: 'facilitator' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.member.role, 'facilitator');
    });

    it('refuses an unknown role (422), a non-member (404), a member (403), a closed group (409)', async () => {
      const before = await membersOk(fran, openG);
      const bad = await fran.postJson(`/api/v1/groups/${openG}/members/${id.Mo}/role`, { role: 'boss' });
      assert.equal(bad.status, 422);
      assert.equal(jsonError(bad).field, 'role');
      await fran.get(`/groups/${openG}/members`);
      const badHtml = await fran.postForm(`/groups/${openG}/members/${id.Mo}/role`, { role: 'admin' });
      assert.equal(badHtml.status, 422);
      const nonMember = await fran.postJson(`/api/v1/groups/${openG}/members/${id.Fiona}/role`, { role: 'facilitator' });
      assert.equal(nonMember.status, 404);
      const nobody = await fran.postJson(`/api/v1/groups/${openG}/members/999999/role`, { role: 'member' });
      assert.equal(nobody.status, 404);
      const byMember = await mo.postJson(`/api/v1/groups/${openG}/members/${id.Mo}/role`, { role: 'facilitator' });
      assert.equal(byMember.status, 403);
      const closed = await fran.postJson(`/api/v1/groups/${closedG}/members/${id.Mo}/role`, { role: 'facilitator' });
      assert.equal(closed.status, 409);
      assert.deepEqual(await membersOk(fran, openG), before);
    });
  });

  describe('leaving', () => {
    it('a member leaves through the form: 303 to /me?left=1; leaving again is 409', async () => {
      await olu.get(`/groups/${approvalG}/members`);
      const res = await olu.postForm(`/groups/${approvalG}/leave`, {});
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, '/me?left=1');
      assert.ok(!(await membersOk(fran, approvalG)).members.some((m) => m.person_id === id.Olu));
      const again = await olu.postJson(`/api/v1/groups/${approvalG}/leave`, {});
      assert.equal(again.status, 409);
      assert.equal((await members(olu, approvalG)).status, 403, 'no longer sees the members');
    });

    it('someone who left may come back (as a member)', async () => {
      const res = await join(olu, openG);
      assert.equal(res.status, 201);
      const left = await olu.postJson(`/api/v1/groups/${openG}/leave`, {});
      assert.equal(left.status, 200);
      assert.equal(left.json.status, 'left');
      assert.equal(left.json.no_facilitator_left, false);
      assert.equal((await join(olu, openG)).json.membership.role, 'member');
    });

    it('the last facilitator may leave; the answer says the group has none now', async () => {
      const res = await fiona.postJson(`/api/v1/groups/${otherG}/leave`, {});
      assert.equal(res.status, 200);
      assert.equal(res.json.no_facilitator_left, false, 'Olu is still a facilitator');
      const last = await olu.postJson(`/api/v1/groups/${otherG}/leave`, {});
      assert.equal(last.status, 200);
      assert.equal(last.json.no_facilitator_left, true);
      assert.match(last.json.note, /last facilitator/);
    });

    it('leaving a group you are not in is 409; leaving a closed group is 409', async () => {
      assert.equal((await fiona.postJson(`/api/v1/groups/${approvalG}/leave`, {})).status, 409);
      assert.equal((await mo.postJson(`/api/v1/groups/${closedG}/leave`, {})).status, 409);
      assert.ok((await membersOk(admin, closedG)).members.some((m) => m.person_id === id.Mo));
    });
  });

  describe('network roles (/admin/people)', () => {
    it('lists people with accounts, their emails and roles, to administrators only', async () => {
      const res = await admin.get('/api/v1/admin/people');
      assert.equal(res.status, 200, res.text);
      const cole = res.json.people.find((p) => p.id === id.Cole);
      assert.deepEqual(cole.roles, ['coordinator']);
      assert.match(cole.email, /@example\.org$/);
      assert.equal(res.json.page, 1);
      assert.equal(res.json.has_next, false);
      assert.ok(!res.json.people.some((p) => p.display_name === 'Sam'), 'people without accounts are not listed');
      assert.equal((await coord.get('/api/v1/admin/people')).status, 403);
      assert.equal((await mo.get('/admin/people')).status, 403);
      const anon = await srv.client().get('/admin/people');
      assert.equal(anon.status, 303);
      assert.equal((await admin.get('/api/v1/admin/people?page=0')).status, 422);
      assert.equal((await admin.get('/api/v1/admin/people?page=x')).status, 422);
    });

    it('the page has a fieldset of role checkboxes per person and no admin flag', async () => {
      const page = await admin.get('/admin/people');
      assert.equal(page.status, 200);
      assert.match(page.text, /<legend class="visually-hidden">Network roles of Cole<\/legend>/);
      assert.ok(page.text.includes(`id="role-${id.Cole}-coordinator" name="roles" value="coordinator" checked>`));
      assert.doesNotMatch(page.text, /name="is_admin"|name="admin"/);
    });

    it('sets roles with the form (several boxes) and through JSON; the new coordinator can manage groups', async () => {
      await admin.get('/admin/people');
      const form = new URLSearchParams();
      form.append('csrf', admin.csrf);
      form.append('roles', 'coordinator');
      form.append('roles', 'safeguarding_lead');
      const res = await admin.request('POST', `/admin/people/${id.Fiona}/roles`, {
        body: form.toString(), type: 'application/x-www-form-urlencoded',
      });
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, '/admin/people?saved=1');
      const list = await admin.get('/api/v1/admin/people');
      assert.deepEqual(list.json.people.find((p) => p.id === id.Fiona).roles, ['coordinator', 'safeguarding_lead']);
      assert.equal((await members(fiona, approvalG)).status, 200, 'a coordinator sees any group');
      const json = await admin.postJson(`/api/v1/admin/people/${id.Fiona}/roles`, { roles: ['peer_researcher'] });
      assert.equal(json.status, 200);
      assert.deepEqual(json.json.person.roles, ['peer_researcher']);
      assert.equal((await members(fiona, approvalG)).status, 403, 'no longer a coordinator');
      const none = await admin.postJson(`/api/v1/admin/people/${id.Fiona}/roles`, {});
      assert.deepEqual(none.json.person.roles, []);
    });

    it('refuses unknown roles (422), other callers (403) and unknown people (404), changing nothing', async () => {
      const bad = await admin.postJson(`/api/v1/admin/people/${id.Cole}/roles`, { roles: ['coordinator', 'admin'] });
      assert.equal(bad.status, 422);
      assert.equal(jsonError(bad).field, 'roles');
      assert.equal((await admin.postJson(`/api/v1/admin/people/${id.Cole}/roles`, { is_admin: true })).status, 400);
      assert.equal((await coord.postJson(`/api/v1/admin/people/${id.Cole}/roles`, { roles: [] })).status, 403);
      assert.equal((await admin.postJson('/api/v1/admin/people/999999/roles', { roles: [] })).status, 404);
      const list = await admin.get('/api/v1/admin/people');
      assert.deepEqual(list.json.people.find((p) => p.id === id.Cole).roles, ['coordinator']);
    });

    it('`hearth user add --role` refuses an unknown role (exit 2) and adds nothing', async () => {
      const email = uniqueEmail('bad-role');
      const r = await hearth(['--database', srv.database.url, 'user', 'add', email, '--role', 'boss', '--password-stdin'],
        { input: `${GOOD_PASSWORD}\n` });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown role "boss"/);
      const list = await admin.get('/api/v1/admin/people');
      assert.ok(!list.json.people.some((p) => p.email === email));
    });
  });

  describe('a large group: the members list a page at a time', () => {
    let bigG;
    before(async () => {
      bigG = await createGroup(admin, 'Big Members Circle', 'open');
      await enrol(fran, bigG, 'facilitator');
      for (let i = 1; i <= 60; i++) {
        const r = await fran.postJson(`/api/v1/groups/${bigG}/members`, { display_name: `Paged ${String(i).padStart(2, '0')}` });
        assert.equal(r.status, 201, r.text);
      }
      assert.equal((await join(olu, bigG)).status, 201);
    });

    it('lists 25 a page by name, with the whole count and links between pages', async () => {
      const one = await membersOk(fran, bigG);
      assert.equal(one.member_count, 62);
      assert.deepEqual({ ...one.paging, prev_path: null },
        { page: 1, pages: 3, per_page: 25, total: 62, find: '', prev_path: null,
          next_path: `/groups/${bigG}/members?page=2` });
      assert.deepEqual(one.members.map((m) => m.display_name),
        ['Fran', 'Olu', ...Array.from({ length: 23 }, (_, i) => `Paged ${String(i + 1).padStart(2, '0')}`)].sort());
      const three = (await fran.get(`/api/v1/groups/${bigG}/members?page=3`)).json;
      assert.equal(three.members.length, 12);
      assert.equal(three.paging.next_path, null);
      assert.equal(three.paging.prev_path, `/groups/${bigG}/members?page=2`);
      const seen = new Set();
      for (const p of [1, 2, 3])
        for (const m of (await fran.get(`/api/v1/groups/${bigG}/members?page=${p}`)).json.members)
          seen.add(m.person_id);
      assert.equal(seen.size, 62, 'every member on exactly one page');

      const page = await fran.get(`/groups/${bigG}/members?page=2`);
      assert.equal(page.status, 200);
      assert.ok(Buffer.byteLength(page.text) < 30 * 1024, `${Buffer.byteLength(page.text)} bytes`);
      assert.match(page.text, /<h2 id="members">Members \(62\)<\/h2>/);
      assert.match(page.text, /<li>Page 2 of 3<\/li>/);
      assert.match(page.text, new RegExp(`<a href="/groups/${bigG}/members\\?page=1" rel="prev">Previous page</a>`));
      assert.match(page.text, new RegExp(`<a href="/groups/${bigG}/members\\?page=3" rel="next">Next page</a>`));
      assert.equal((page.text.match(/<select id="role-/g) || []).length, 25);
      // Members see the same pages, without the managers' forms.
      const theirs = await olu.get(`/groups/${bigG}/members?page=3`);
      assert.equal(theirs.status, 200);
      assert.match(theirs.text, /<li>Page 3 of 3<\/li>/);
      assert.doesNotMatch(theirs.text, /<select id="role-/);
    });

    it('finds members by part of their name, and refuses bad paging with a clear 400', async () => {
      const found = (await fran.get(`/api/v1/groups/${bigG}/members?find=PAGED+0`)).json;
      assert.equal(found.paging.total, 9);
      assert.deepEqual(found.members.map((m) => m.display_name), Array.from({ length: 9 }, (_, i) => `Paged 0${i + 1}`));
      const page = await olu.get(`/groups/${bigG}/members?find=paged+0`);
      assert.match(page.text, /9 found whose name holds "paged 0"\./);
      assert.doesNotMatch(page.text, /rel="next"/);
      assert.equal((await fran.get(`/api/v1/groups/${bigG}/members?find=%25`)).json.paging.total, 0);
      for (const [query, field, re] of [
        ['?page=0', 'page', /whole number from 1/], ['?page=two', 'page', /whole number from 1/],
        ['?page=4', 'page', /no page 4: the list has 3 pages/], [`?find=${'z'.repeat(101)}`, 'find', /100 characters/],
      ]) {
        const res = await fran.get(`/api/v1/groups/${bigG}/members${query}`);
        assert.equal(res.status, 400, `${query}: ${res.text}`);
        assert.equal(jsonError(res).field, field);
        assert.match(jsonError(res).message, re);
        assert.equal((await olu.get(`/groups/${bigG}/members${query}`)).status, 400, query);
      }
    });
  });

  itStopsCleanly(() => srv);
});
