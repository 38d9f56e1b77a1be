/* test_membership.c - people and membership through the app API
 * (src/app/membership.c, group_invite.c, person_role.c) on a fresh SQLite
 * database per test: the standing of every kind of actor, the states a
 * membership moves through (join, ask, approve, decline, leave, rejoin),
 * members without accounts, roles in a group, invite token rules, and the
 * network roles. Every refusal is checked to change nothing. */
#include <criterion/criterion.h>

#include "app/group.h"
#include "app/group_invite.h"
#include "app/membership.h"
#include "app/person.h"
#include "app/person_role.h"
#include "base/arena.h"
#include "base/ids.h"
#include "fixture.h"

#include <stdio.h>
#include <string.h>

static db *g_db;
static arena *g_arena;

/* People of the fixture: an admin, a coordinator, a facilitator, a peer
 * support worker and a member of the "open" group, and an outsider. */
static int64_t admin_id, coord_id, fac_id, pw_id, member_id, outsider_id;
/* Groups, by their access and status. */
static int64_t open_g, approval_g, invite_g, paused_g, closed_g;

static void setup(void)
{
	g_db = fixture_open_db("membership");
	g_arena = arena_new(8192);
	admin_id = fixture_add_person(g_db, "admin@example.org", "Ada", true);
	coord_id = fixture_add_person(g_db, "coord@example.org", "Cole", false);
	cr_assert_eq(person_role_grant(g_db, coord_id, "coordinator", NULL), 0);
	fac_id = fixture_add_person(g_db, "fac@example.org", "Fran", false);
	pw_id = fixture_add_person(g_db, "pw@example.org", "Pat", false);
	member_id = fixture_add_person(g_db, "member@example.org", "Mo", false);
	outsider_id = fixture_add_person(g_db, "out@example.org", "Olu", false);
	open_g = fixture_add_group(g_db, "Open Door", "open", "active");
	approval_g = fixture_add_group(g_db, "Women's Circle", "approval", "active");
	invite_g = fixture_add_group(g_db, "Hearing Voices", "invite", "forming");
	paused_g = fixture_add_group(g_db, "Paused Walkers", "open", "paused");
	closed_g = fixture_add_group(g_db, "Old Group", "open", "closed");
	int64_t all[] = { open_g, approval_g, invite_g, paused_g, closed_g };
	for (size_t i = 0; i < 5; i++) {
		fixture_add_membership(g_db, all[i], fac_id, "facilitator", "active");
		fixture_add_membership(g_db, all[i], pw_id, "peer_worker", "active");
	}
	fixture_add_membership(g_db, open_g, member_id, "member", "active");
}

static void teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
}

TestSuite(standing, .init = setup, .fini = teardown);
TestSuite(join, .init = setup, .fini = teardown);
TestSuite(requests, .init = setup, .fini = teardown);
TestSuite(leave, .init = setup, .fini = teardown);
TestSuite(manage, .init = setup, .fini = teardown);
TestSuite(invite, .init = setup, .fini = teardown);
TestSuite(person_role, .init = setup, .fini = teardown);

static struct actor person(int64_t id)
{
	return (struct actor){ .person_id = id };
}

static struct actor coordinator(void)
{
	return (struct actor){ .person_id = coord_id, .is_coordinator = true };
}

static struct actor administrator(void)
{
	return (struct actor){ .person_id = admin_id, .is_admin = true };
}

/* The standing from membership_standing, checked to be the one the group
 * page reads together with the group (group_get_with_standing). */
static struct standing standing_of(int64_t group, struct actor a)
{
	struct standing st, with_group;
	struct group g;
	herr e;
	herr_clear(&e);
	cr_assert_eq(membership_standing(g_db, group, &a, &st, &e), 0, "%s", e.message);
	cr_assert_eq(group_get_with_standing(g_db, g_arena, group, &a, &g, &with_group, &e), 0,
		     "%s", e.message);
	cr_expect_eq(g.id, group);
	cr_expect_eq(with_group.group_id, st.group_id);
	cr_expect_str_eq(with_group.group_status, st.group_status);
	cr_expect_eq(with_group.status, st.status);
	cr_expect_eq(with_group.role, st.role);
	cr_expect_eq(with_group.is_member, st.is_member);
	cr_expect_eq(with_group.can_manage, st.can_manage);
	cr_expect_eq(with_group.can_see_members, st.can_see_members);
	cr_expect_eq(with_group.is_closed, st.is_closed);
	return st;
}

/* The membership row of person in group as "status/role", or "none". */
static const char *row_of(int64_t group, int64_t person_id)
{
	static char out[64];
	db_stmt *st = db_prepare(g_db,
		"SELECT status, role FROM membership WHERE group_id = ? AND person_id = ?");
	db_bind_int64(st, 1, group);
	db_bind_int64(st, 2, person_id);
	if (db_step(st) == DB_ROW)
		snprintf(out, sizeof out, "%s/%s", db_col_text(st, 0), db_col_text(st, 1));
	else
		snprintf(out, sizeof out, "none");
	db_reset(st);
	return out;
}

static int64_t count_rows(const char *sql)
{
	return fixture_count(g_db, sql);
}

static int join(int64_t group, int64_t who, const char *message, const char *invite,
		enum member_status *status, herr *e)
{
	struct actor a = person(who);
	herr_clear(e);
	return membership_join(g_db, g_arena, group, &a, message, invite, status, e);
}

/* ---- standing --------------------------------------------------------- */

Test(standing, anonymous_may_do_nothing)
{
	struct standing st = standing_of(open_g, person(0));
	cr_expect_not(st.is_member);
	cr_expect_not(st.can_manage);
	cr_expect_not(st.can_see_members);
	cr_expect_eq(st.status, MEMBER_NONE);
	herr e;
	cr_expect_eq(membership_require_member(&st, &e), ERR_DENIED);
	cr_expect_eq(membership_require_manager(&st, &e), ERR_DENIED);
}

Test(standing, non_member_may_not_see_members)
{
	struct standing st = standing_of(open_g, person(outsider_id));
	cr_expect_not(st.is_member);
	cr_expect_not(st.can_see_members);
	herr e;
	cr_expect_eq(membership_require_member(&st, &e), ERR_DENIED);
	cr_expect_neq(e.message[0], '\0');
}

Test(standing, member_sees_members_but_does_not_manage)
{
	struct standing st = standing_of(open_g, person(member_id));
	cr_expect(st.is_member);
	cr_expect_eq(st.role, ROLE_MEMBER);
	cr_expect(st.can_see_members);
	cr_expect_not(st.can_manage);
	herr e;
	cr_expect_eq(membership_require_member(&st, &e), 0);
	cr_expect_eq(membership_require_manager(&st, &e), ERR_DENIED);
}

Test(standing, facilitator_and_peer_worker_manage)
{
	struct standing f = standing_of(open_g, person(fac_id));
	struct standing p = standing_of(open_g, person(pw_id));
	cr_expect_eq(f.role, ROLE_FACILITATOR);
	cr_expect_eq(p.role, ROLE_PEER_WORKER);
	cr_expect(f.can_manage);
	cr_expect(p.can_manage);
	herr e;
	cr_expect_eq(membership_require_manager(&f, &e), 0);
	cr_expect_eq(membership_require_manager(&p, &e), 0);
}

Test(standing, facilitator_of_another_group_does_not_manage_this_one)
{
	int64_t other = fixture_add_group(g_db, "Other", "open", "active");
	struct standing st = standing_of(other, person(fac_id));
	cr_expect_not(st.can_manage);
	cr_expect_not(st.can_see_members);
}

Test(standing, coordinator_and_admin_manage_any_group)
{
	struct standing c = standing_of(approval_g, coordinator());
	struct standing a = standing_of(approval_g, administrator());
	cr_expect(c.can_manage);
	cr_expect(a.can_manage);
	cr_expect(c.can_see_members);
	cr_expect_not(c.is_member);
}

Test(standing, requested_declined_and_left_are_not_members)
{
	fixture_add_membership(g_db, approval_g, outsider_id, "member", "requested");
	fixture_add_membership(g_db, approval_g, member_id, "member", "declined");
	fixture_add_membership(g_db, invite_g, member_id, "member", "left");
	struct standing r = standing_of(approval_g, person(outsider_id));
	struct standing d = standing_of(approval_g, person(member_id));
	struct standing l = standing_of(invite_g, person(member_id));
	cr_expect_eq(r.status, MEMBER_REQUESTED);
	cr_expect_eq(d.status, MEMBER_DECLINED);
	cr_expect_eq(l.status, MEMBER_LEFT);
	cr_expect_not(r.is_member || d.is_member || l.is_member);
	cr_expect_eq(r.role, ROLE_NONE);
}

Test(standing, closed_group_cannot_be_managed)
{
	struct standing st = standing_of(closed_g, person(fac_id));
	cr_expect(st.is_closed);
	herr e;
	cr_expect_eq(membership_require_manager(&st, &e), ERR_CONFLICT);
}

Test(standing, unknown_group_is_not_found)
{
	struct standing st;
	struct actor a = person(member_id);
	herr e;
	cr_expect_eq(membership_standing(g_db, 12345, &a, &st, &e), ERR_NOTFOUND);
	struct group g;
	cr_expect_eq(group_get_with_standing(g_db, g_arena, 12345, &a, &g, &st, &e), ERR_NOTFOUND);
}

/* ---- joining ---------------------------------------------------------- */

Test(join, open_group_makes_an_active_member)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(open_g, outsider_id, NULL, NULL, &s, &e), 0, "%s", e.message);
	cr_expect_eq(s, MEMBER_ACTIVE);
	cr_expect_str_eq(row_of(open_g, outsider_id), "active/member");
	cr_expect(standing_of(open_g, person(outsider_id)).is_member);
}

Test(join, twice_is_a_conflict_and_changes_nothing)
{
	enum member_status s;
	herr e;
	cr_expect_eq(join(open_g, member_id, NULL, NULL, &s, &e), ERR_CONFLICT);
	cr_expect_str_eq(e.message, "You are already a member of this group.");
	cr_expect_eq(join(open_g, fac_id, NULL, NULL, &s, &e), ERR_CONFLICT);
	cr_expect_str_eq(row_of(open_g, fac_id), "active/facilitator");
}

Test(join, approval_group_makes_a_request_with_its_message)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, "I would like to come.", NULL, &s, &e), 0);
	cr_expect_eq(s, MEMBER_REQUESTED);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "requested/member");
	struct standing st = standing_of(approval_g, person(fac_id));
	struct member *list;
	size_t n;
	cr_assert_eq(membership_list(g_db, g_arena, &st, MEMBER_REQUESTED, &list, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(list[0].message, "I would like to come.");
	cr_expect_not(standing_of(approval_g, person(outsider_id)).is_member);
}

Test(join, asking_twice_is_a_conflict)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, "first", NULL, &s, &e), 0);
	cr_expect_eq(join(approval_g, outsider_id, "second", NULL, &s, &e), ERR_CONFLICT);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM membership WHERE message = 'second'"), 0);
}

Test(join, message_over_500_characters_is_refused)
{
	char msg[520];
	memset(msg, 'a', 501);
	msg[501] = '\0';
	enum member_status s;
	herr e;
	cr_expect_eq(join(approval_g, outsider_id, msg, NULL, &s, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "message");
	cr_expect_str_eq(row_of(approval_g, outsider_id), "none");
	msg[500] = '\0';
	cr_expect_eq(join(approval_g, outsider_id, msg, NULL, &s, &e), 0);
}

Test(join, paused_or_closed_group_takes_no_one)
{
	enum member_status s;
	herr e;
	cr_expect_eq(join(paused_g, outsider_id, NULL, NULL, &s, &e), ERR_CONFLICT);
	cr_expect(strstr(e.message, "Paused Walkers is not taking new members just now"), "%s", e.message);
	cr_expect_eq(join(closed_g, outsider_id, NULL, NULL, &s, &e), ERR_CONFLICT);
	cr_expect_str_eq(row_of(paused_g, outsider_id), "none");
	cr_expect_str_eq(row_of(closed_g, outsider_id), "none");
}

Test(join, invite_group_needs_an_invite)
{
	enum member_status s;
	herr e;
	cr_expect_eq(join(invite_g, outsider_id, NULL, NULL, &s, &e), ERR_DENIED);
	cr_expect_str_eq(e.field, "invite");
	cr_expect(strstr(e.message, "by invitation"));
	cr_expect_str_eq(row_of(invite_g, outsider_id), "none");
}

Test(join, anonymous_cannot_join)
{
	enum member_status s;
	herr e;
	cr_expect_eq(join(open_g, 0, NULL, NULL, &s, &e), ERR_UNAUTH);
}

Test(join, unknown_group_is_not_found)
{
	enum member_status s;
	herr e;
	cr_expect_eq(join(777, outsider_id, NULL, NULL, &s, &e), ERR_NOTFOUND);
}

/* ---- requests ----------------------------------------------------------- */

static int approve(int64_t group, struct actor a, int64_t who, herr *e)
{
	herr_clear(e);
	return membership_approve(g_db, group, &a, who, e);
}

static int decline(int64_t group, struct actor a, int64_t who, herr *e)
{
	herr_clear(e);
	return membership_decline(g_db, group, &a, who, e);
}

Test(requests, approve_makes_a_member_once)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, "hello", NULL, &s, &e), 0);
	cr_assert_eq(approve(approval_g, person(fac_id), outsider_id, &e), 0, "%s", e.message);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "active/member");
	cr_expect_eq(approve(approval_g, person(fac_id), outsider_id, &e), ERR_CONFLICT);
	cr_expect_eq(decline(approval_g, person(fac_id), outsider_id, &e), ERR_CONFLICT);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "active/member");
}

Test(requests, approving_someone_who_never_asked_is_a_conflict)
{
	herr e;
	cr_expect_eq(approve(approval_g, person(fac_id), outsider_id, &e), ERR_CONFLICT);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "none");
}

Test(requests, non_manager_cannot_answer)
{
	enum member_status s;
	herr e;
	fixture_add_membership(g_db, approval_g, member_id, "member", "active");
	cr_assert_eq(join(approval_g, outsider_id, NULL, NULL, &s, &e), 0);
	cr_expect_eq(approve(approval_g, person(member_id), outsider_id, &e), ERR_DENIED);
	cr_expect_eq(approve(approval_g, person(outsider_id), outsider_id, &e), ERR_DENIED);
	cr_expect_eq(decline(approval_g, person(0), outsider_id, &e), ERR_DENIED);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "requested/member");
}

Test(requests, coordinator_can_answer)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, NULL, NULL, &s, &e), 0);
	cr_expect_eq(approve(approval_g, coordinator(), outsider_id, &e), 0);
}

Test(requests, declined_may_ask_again)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, "one", NULL, &s, &e), 0);
	cr_assert_eq(decline(approval_g, person(pw_id), outsider_id, &e), 0);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "declined/member");
	cr_expect_eq(standing_of(approval_g, person(outsider_id)).status, MEMBER_DECLINED);
	cr_assert_eq(join(approval_g, outsider_id, "two", NULL, &s, &e), 0, "%s", e.message);
	cr_expect_eq(s, MEMBER_REQUESTED);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "requested/member");
}

Test(requests, member_list_hides_requests_and_access_needs_from_members)
{
	enum member_status s;
	herr e;
	db_exec(g_db, "UPDATE person SET access_needs = 'Step-free access' WHERE email = 'member@example.org'");
	cr_assert_eq(join(open_g, outsider_id, NULL, NULL, &s, &e), 0);
	struct standing st = standing_of(open_g, person(outsider_id));
	struct member *list;
	size_t n;
	cr_assert_eq(membership_list(g_db, g_arena, &st, MEMBER_ACTIVE, &list, &n, &e), 0);
	cr_assert_eq(n, 4);
	for (size_t i = 0; i < n; i++)
		cr_expect_null(list[i].access_needs);
	cr_expect_eq(membership_list(g_db, g_arena, &st, MEMBER_REQUESTED, &list, &n, &e), ERR_DENIED);

	struct standing mgr = standing_of(open_g, person(fac_id));
	cr_assert_eq(membership_list(g_db, g_arena, &mgr, MEMBER_ACTIVE, &list, &n, &e), 0);
	bool seen = false;
	for (size_t i = 0; i < n; i++)
		if (list[i].person_id == member_id)
			seen = list[i].access_needs && !strcmp(list[i].access_needs, "Step-free access");
	cr_expect(seen, "a facilitator sees access needs");
	struct standing outsider = standing_of(approval_g, person(outsider_id));
	cr_expect_eq(membership_list(g_db, g_arena, &outsider, MEMBER_ACTIVE, &list, &n, &e), ERR_DENIED);
}

/* ---- leaving ---------------------------------------------------------- */

static int leave(int64_t group, int64_t who, bool *last, herr *e)
{
	struct actor a = person(who);
	herr_clear(e);
	return membership_leave(g_db, group, &a, last, e);
}

Test(leave, member_leaves_and_may_rejoin_as_a_member)
{
	bool last = true;
	herr e;
	cr_assert_eq(leave(open_g, member_id, &last, &e), 0, "%s", e.message);
	cr_expect_not(last);
	cr_expect_str_eq(row_of(open_g, member_id), "left/member");
	cr_expect_eq(leave(open_g, member_id, &last, &e), ERR_CONFLICT);
	enum member_status s;
	cr_assert_eq(join(open_g, member_id, NULL, NULL, &s, &e), 0);
	cr_expect_str_eq(row_of(open_g, member_id), "active/member");
}

Test(leave, rejoining_facilitator_comes_back_as_a_member)
{
	bool last;
	herr e;
	enum member_status s;
	cr_assert_eq(leave(open_g, fac_id, &last, &e), 0);
	cr_expect_not(last, "the peer support worker is still there");
	cr_assert_eq(join(open_g, fac_id, NULL, NULL, &s, &e), 0);
	cr_expect_str_eq(row_of(open_g, fac_id), "active/member");
}

Test(leave, last_facilitator_may_leave_and_is_told)
{
	bool last = false;
	herr e;
	cr_assert_eq(leave(open_g, pw_id, &last, &e), 0);
	cr_expect_not(last);
	cr_assert_eq(leave(open_g, fac_id, &last, &e), 0);
	cr_expect(last);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM membership WHERE status = 'active' "
				"AND role <> 'member'") , 8);
}

Test(leave, withdrawing_a_request)
{
	enum member_status s;
	bool last;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, NULL, NULL, &s, &e), 0);
	cr_assert_eq(leave(approval_g, outsider_id, &last, &e), 0);
	cr_expect_str_eq(row_of(approval_g, outsider_id), "left/member");
	cr_expect_eq(approve(approval_g, person(fac_id), outsider_id, &e), ERR_CONFLICT);
}

Test(leave, non_member_and_closed_group_refused)
{
	bool last;
	herr e;
	cr_expect_eq(leave(open_g, outsider_id, &last, &e), ERR_CONFLICT);
	cr_expect_eq(leave(closed_g, fac_id, &last, &e), ERR_CONFLICT);
	cr_expect_str_eq(row_of(closed_g, fac_id), "active/facilitator");
}

/* ---- managing members ------------------------------------------------- */

Test(manage, add_someone_without_an_account)
{
	struct actor a = person(fac_id);
	int64_t id = 0;
	herr e;
	herr_clear(&e);
	cr_assert_eq(membership_add_without_account(g_db, open_g, &a, "Sam", "he/him",
						    "Needs a quiet seat", &id, &e), 0, "%s", e.message);
	cr_expect_str_eq(row_of(open_g, id), "active/member");
	struct person p;
	cr_assert_eq(person_get(g_db, g_arena, id, &p, &e), 0);
	cr_expect_null(p.email);
	cr_expect_str_eq(p.display_name, "Sam");
	cr_expect_str_eq(p.access_needs, "Needs a quiet seat");
	db_stmt *st = db_prepare(g_db, "SELECT added_by, password_hash FROM person WHERE id = ?");
	db_bind_int64(st, 1, id);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_expect_eq(db_col_int64(st, 0), fac_id);
	cr_expect(db_col_is_null(st, 1));
	db_reset(st);
}

Test(manage, adding_is_refused_for_members_bad_names_and_closed_groups)
{
	int64_t before = count_rows("SELECT COUNT(*) FROM person");
	struct actor m = person(member_id), f = person(fac_id);
	int64_t id;
	herr e;
	cr_expect_eq(membership_add_without_account(g_db, open_g, &m, "Sam", NULL, NULL, &id, &e), ERR_DENIED);
	cr_expect_eq(membership_add_without_account(g_db, open_g, &f, "", NULL, NULL, &id, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "display_name");
	cr_expect_eq(membership_add_without_account(g_db, closed_g, &f, "Sam", NULL, NULL, &id, &e), ERR_CONFLICT);
	char needs[1100];
	memset(needs, 'x', 1001);
	needs[1001] = '\0';
	cr_expect_eq(membership_add_without_account(g_db, open_g, &f, "Sam", NULL, needs, &id, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "access_needs");
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM person"), before);
}

Test(manage, set_role)
{
	struct actor f = person(fac_id), m = person(member_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(membership_set_role(g_db, open_g, &f, member_id, "peer_worker", &e), 0);
	cr_expect_str_eq(row_of(open_g, member_id), "active/peer_worker");
	struct actor c = coordinator();
	cr_assert_eq(membership_set_role(g_db, open_g, &c, member_id, "facilitator", &e), 0);
	cr_expect_str_eq(row_of(open_g, member_id), "active/facilitator");
	cr_expect(standing_of(open_g, m).can_manage);
}

Test(manage, set_role_refusals_change_nothing)
{
	struct actor f = person(fac_id), m = person(member_id);
	herr e;
	cr_expect_eq(membership_set_role(g_db, open_g, &f, member_id, "boss", &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "role");
	cr_expect_eq(membership_set_role(g_db, open_g, &f, outsider_id, "member", &e), ERR_NOTFOUND);
	cr_expect_eq(membership_set_role(g_db, open_g, &m, fac_id, "member", &e), ERR_DENIED);
	cr_expect_eq(membership_set_role(g_db, closed_g, &f, pw_id, "member", &e), ERR_CONFLICT);
	cr_expect_str_eq(row_of(open_g, member_id), "active/member");
	cr_expect_str_eq(row_of(open_g, fac_id), "active/facilitator");
	cr_expect_str_eq(row_of(open_g, outsider_id), "none");
}

Test(manage, my_groups_and_requests)
{
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, member_id, NULL, NULL, &s, &e), 0);
	struct my_membership *mine;
	size_t n;
	cr_assert_eq(membership_list_mine(g_db, g_arena, member_id, &mine, &n, &e), 0);
	cr_assert_eq(n, 2);
	/* By group name: "Open Door" before "Women's Circle". */
	cr_expect_eq(mine[0].group_id, open_g);
	cr_expect_eq(mine[0].status, MEMBER_ACTIVE);
	cr_expect_eq(mine[0].role, ROLE_MEMBER);
	cr_expect_eq(mine[1].group_id, approval_g);
	cr_expect_eq(mine[1].status, MEMBER_REQUESTED);
	cr_expect_gt(mine[1].asked_at, 0);
}

/* ---- invite links ----------------------------------------------------- */

static int64_t make_invite(int64_t group, int days, int max_uses, char token[GROUP_INVITE_TOKEN_CHARS + 1])
{
	struct standing st = standing_of(group, person(fac_id));
	int64_t id;
	herr e;
	herr_clear(&e);
	cr_assert_eq(group_invite_create(g_db, &st, fac_id, days, max_uses, token, &id, &e), 0,
		     "%s", e.message);
	return id;
}

Test(invite, token_is_random_hex_and_stored_hashed)
{
	char a[GROUP_INVITE_TOKEN_CHARS + 1], b[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(invite_g, 0, 0, a);
	make_invite(invite_g, 0, 0, b);
	cr_expect_eq(strlen(a), GROUP_INVITE_TOKEN_CHARS);
	cr_expect(group_invite_token_well_formed(a));
	cr_expect_str_neq(a, b);
	db_stmt *st = db_prepare(g_db, "SELECT COUNT(*) FROM group_invite WHERE token_hash = ?");
	db_bind_text(st, 1, a);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_expect_eq(db_col_int64(st, 0), 0, "the token itself is not stored");
	db_reset(st);
	int64_t days = count_rows("SELECT MAX(expires_at - created_at) / 86400000 FROM group_invite");
	cr_expect_eq(days, GROUP_INVITE_DAYS);
}

Test(invite, valid_token_lets_someone_join_and_counts_a_use)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(invite_g, 7, 0, token);
	enum member_status s;
	herr e;
	cr_assert_eq(join(invite_g, outsider_id, NULL, token, &s, &e), 0, "%s", e.message);
	cr_expect_eq(s, MEMBER_ACTIVE);
	cr_expect_eq(count_rows("SELECT uses FROM group_invite"), 1);
}

Test(invite, token_skips_approval)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(approval_g, 0, 0, token);
	enum member_status s;
	herr e;
	cr_assert_eq(join(approval_g, outsider_id, NULL, token, &s, &e), 0);
	cr_expect_eq(s, MEMBER_ACTIVE);
}

Test(invite, unknown_malformed_or_other_groups_token_is_not_found)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(approval_g, 0, 0, token);
	enum member_status s;
	herr e;
	cr_expect_eq(join(invite_g, outsider_id, NULL, token, &s, &e), ERR_NOTFOUND);
	cr_expect_str_eq(e.field, "invite");
	cr_expect_eq(join(invite_g, outsider_id, NULL, "0123456789abcdef0123456789abcdef", &s, &e), ERR_NOTFOUND);
	cr_expect_eq(join(invite_g, outsider_id, NULL, "not a token", &s, &e), ERR_NOTFOUND);
	cr_expect_eq(join(invite_g, outsider_id, NULL, "0123456789ABCDEF0123456789ABCDEF", &s, &e), ERR_NOTFOUND);
	cr_expect_str_eq(row_of(invite_g, outsider_id), "none");
	cr_expect_eq(count_rows("SELECT uses FROM group_invite"), 0);
}

Test(invite, expired_token_is_refused)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(invite_g, 1, 0, token);
	db_exec(g_db, "UPDATE group_invite SET expires_at = 1");
	enum member_status s;
	herr e;
	cr_expect_eq(join(invite_g, outsider_id, NULL, token, &s, &e), ERR_DENIED);
	cr_expect(strstr(e.message, "expired"), "%s", e.message);
	cr_expect_str_eq(row_of(invite_g, outsider_id), "none");
}

Test(invite, revoked_token_is_refused_and_revoking_twice_conflicts)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	int64_t id = make_invite(invite_g, 0, 0, token);
	struct standing st = standing_of(invite_g, person(fac_id));
	herr e;
	herr_clear(&e);
	cr_assert_eq(group_invite_revoke(g_db, &st, id, &e), 0);
	cr_expect_eq(group_invite_revoke(g_db, &st, id, &e), ERR_CONFLICT);
	enum member_status s;
	cr_expect_eq(join(invite_g, outsider_id, NULL, token, &s, &e), ERR_DENIED);
	cr_expect(strstr(e.message, "withdrawn"), "%s", e.message);
	cr_expect_str_eq(row_of(invite_g, outsider_id), "none");
}

Test(invite, max_uses_is_enforced)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(invite_g, 0, 1, token);
	enum member_status s;
	herr e;
	cr_assert_eq(join(invite_g, outsider_id, NULL, token, &s, &e), 0);
	cr_expect_eq(join(invite_g, member_id, NULL, token, &s, &e), ERR_DENIED);
	cr_expect_str_eq(row_of(invite_g, member_id), "none");
	cr_expect_eq(count_rows("SELECT uses FROM group_invite"), 1);
}

Test(invite, open_group_ignores_the_token)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	make_invite(open_g, 0, 1, token);
	enum member_status s;
	herr e;
	cr_assert_eq(join(open_g, outsider_id, NULL, "junk", &s, &e), 0);
	cr_expect_eq(count_rows("SELECT uses FROM group_invite"), 0);
}

Test(invite, only_managers_make_list_or_revoke_and_within_limits)
{
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	int64_t id = make_invite(invite_g, 0, 0, token);
	fixture_add_membership(g_db, invite_g, member_id, "member", "active");
	struct standing m = standing_of(invite_g, person(member_id));
	struct standing f = standing_of(invite_g, person(fac_id));
	struct standing other = standing_of(open_g, person(fac_id));
	int64_t new_id;
	herr e;
	cr_expect_eq(group_invite_create(g_db, &m, member_id, 0, 0, token, &new_id, &e), ERR_DENIED);
	cr_expect_eq(group_invite_revoke(g_db, &m, id, &e), ERR_DENIED);
	struct group_invite *list;
	size_t n;
	cr_expect_eq(group_invite_list(g_db, g_arena, &m, &list, &n, &e), ERR_DENIED);
	cr_expect_eq(group_invite_revoke(g_db, &other, id, &e), ERR_NOTFOUND);
	cr_expect_eq(group_invite_create(g_db, &f, fac_id, 366, 0, token, &new_id, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "expires_days");
	cr_expect_eq(group_invite_create(g_db, &f, fac_id, -1, 0, token, &new_id, &e), ERR_INVALID);
	cr_expect_eq(group_invite_create(g_db, &f, fac_id, 10, 1001, token, &new_id, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "max_uses");
	struct standing closed = standing_of(closed_g, person(fac_id));
	cr_expect_eq(group_invite_create(g_db, &closed, fac_id, 0, 0, token, &new_id, &e), ERR_CONFLICT);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM group_invite"), 1);
	cr_assert_eq(group_invite_list(g_db, g_arena, &f, &list, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(list[0].created_by_name, "Fran");
	cr_expect(group_invite_usable(&list[0], time_now_ms()));
}

/* ---- network roles ---------------------------------------------------- */

Test(person_role, grant_revoke_and_get)
{
	unsigned roles = 99;
	herr e;
	cr_assert_eq(person_role_get(g_db, member_id, &roles, &e), 0);
	cr_expect_eq(roles, 0);
	cr_assert_eq(person_role_grant(g_db, member_id, "peer_researcher", &e), 0);
	cr_assert_eq(person_role_grant(g_db, member_id, "peer_researcher", &e), 0, "twice is fine");
	cr_assert_eq(person_role_grant(g_db, member_id, "commissioner", &e), 0);
	cr_assert_eq(person_role_get(g_db, member_id, &roles, &e), 0);
	cr_expect_eq(roles, PERSON_ROLE_PEER_RESEARCHER | PERSON_ROLE_COMMISSIONER);
	cr_assert_eq(person_role_revoke(g_db, member_id, "commissioner", &e), 0);
	cr_assert_eq(person_role_get(g_db, member_id, &roles, &e), 0);
	cr_expect_eq(roles, PERSON_ROLE_PEER_RESEARCHER);
	cr_expect_eq(person_role_grant(g_db, member_id, "admin", &e), ERR_INVALID);
	cr_expect_eq(person_role_grant(g_db, 4242, "coordinator", &e), ERR_NOTFOUND);
}

Test(person_role, set_is_for_admins_only_and_exact)
{
	struct actor admin = administrator(), coord = coordinator();
	herr e;
	unsigned roles;
	cr_expect_eq(person_role_set(g_db, &coord, member_id, PERSON_ROLE_COORDINATOR, &e), ERR_DENIED);
	cr_assert_eq(person_role_get(g_db, member_id, &roles, &e), 0);
	cr_expect_eq(roles, 0);
	cr_assert_eq(person_role_set(g_db, &admin, member_id,
				     PERSON_ROLE_COORDINATOR | PERSON_ROLE_SAFEGUARDING_LEAD, &e), 0);
	cr_assert_eq(person_role_get(g_db, member_id, &roles, &e), 0);
	cr_expect_eq(roles, PERSON_ROLE_COORDINATOR | PERSON_ROLE_SAFEGUARDING_LEAD);
	cr_assert_eq(person_role_set(g_db, &admin, member_id, PERSON_ROLE_COMMISSIONER, &e), 0);
	cr_assert_eq(person_role_get(g_db, member_id, &roles, &e), 0);
	cr_expect_eq(roles, PERSON_ROLE_COMMISSIONER);
	cr_expect_eq(person_role_set(g_db, &admin, member_id, 64, &e), ERR_INVALID);
	cr_expect_eq(person_role_set(g_db, &admin, 4242, 0, &e), ERR_NOTFOUND);
	/* Someone without an account cannot hold a network role. */
	struct actor f = person(fac_id);
	int64_t sam;
	cr_assert_eq(membership_add_without_account(g_db, open_g, &f, "Sam", NULL, NULL, &sam, &e), 0);
	cr_expect_eq(person_role_set(g_db, &admin, sam, PERSON_ROLE_COORDINATOR, &e), ERR_NOTFOUND);
	cr_assert_eq(person_role_get(g_db, sam, &roles, &e), 0);
	cr_expect_eq(roles, 0);
}

Test(person_role, names_parse_both_ways)
{
	for (int i = 0; i < PERSON_ROLE_COUNT; i++)
		cr_expect_eq(person_role_parse(person_role_names[i]), 1u << i);
	cr_expect_eq(person_role_parse("Coordinator"), 0);
	cr_expect_eq(person_role_parse(NULL), 0);
	cr_expect_str_eq(person_role_label(PERSON_ROLE_SAFEGUARDING_LEAD), "Safeguarding lead");
}

Test(person_role, people_list_pages_and_roles)
{
	struct actor admin = administrator(), coord = coordinator();
	struct person_listing *list;
	size_t n;
	bool more;
	herr e;
	cr_expect_eq(person_role_list_people(g_db, g_arena, &coord, 1, &list, &n, &more, &e), ERR_DENIED);
	char email[64];
	for (int i = 0; i < 60; i++) {
		snprintf(email, sizeof email, "p%d@example.org", i);
		fixture_add_person(g_db, email, "P", false);
	}
	struct actor f = person(fac_id);
	int64_t sam;
	cr_assert_eq(membership_add_without_account(g_db, open_g, &f, "Sam", NULL, NULL, &sam, &e), 0);
	cr_assert_eq(person_role_list_people(g_db, g_arena, &admin, 1, &list, &n, &more, &e), 0);
	cr_expect_eq(n, PEOPLE_PAGE_SIZE);
	cr_expect(more);
	cr_expect_eq(list[0].id, admin_id);
	cr_expect(list[0].is_admin);
	cr_expect_eq(list[1].id, coord_id);
	cr_expect_eq(list[1].roles, PERSON_ROLE_COORDINATOR);
	cr_assert_eq(person_role_list_people(g_db, g_arena, &admin, 2, &list, &n, &more, &e), 0);
	cr_expect_eq(n, 66 - PEOPLE_PAGE_SIZE, "people without accounts are not listed");
	cr_expect_not(more);
	cr_expect_eq(person_role_list_people(g_db, g_arena, &admin, 0, &list, &n, &more, &e), ERR_INVALID);
}
