/* test_agenda.c - negotiated agendas through the app API (src/app/agenda.c)
 * on a fresh SQLite database per test: the order of items (move, set
 * position, renumbering after a withdrawal), support (once each,
 * idempotent), merging (supporters and proposer join), deferring to a later
 * upcoming meeting, outcomes once a meeting has started, the agreement
 * taken back by changes, and carry-over: deferred items and items left open
 * at a closed or cancelled meeting go to the next upcoming meeting, once.
 * Every refusal is checked to change nothing. */
#include <criterion/criterion.h>

#include "app/agenda.h"
#include "base/arena.h"
#include "base/ids.h"
#include "fixture.h"

#include <string.h>

static db *g_db;
static arena *g_arena;
/* The people and groups of fixture_add_circle (fixture.h). */
static struct fixture_circle net;
/* past (started), next (in a day), later (in a week), cancelled (in 3 days) */
static int64_t past_m, next_m, later_m, cancelled_m;

static void set_meeting(int64_t id, const char *status, int64_t starts)
{
	db_stmt *st = db_prepare(g_db, "UPDATE meeting SET status = ?, starts_at = ? WHERE id = ?");
	db_bind_text(st, 1, status);
	db_bind_int64(st, 2, starts);
	db_bind_int64(st, 3, id);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
}

static void setup(void)
{
	g_db = fixture_open_db("agenda");
	g_arena = arena_new(8192);
	net = fixture_add_circle(g_db);
	int64_t now = time_now_ms();
	past_m = fixture_add_meeting(g_db, net.group_id, "scheduled", now - HOUR_MS / 2);
	next_m = fixture_add_meeting(g_db, net.group_id, "scheduled", now + DAY_MS);
	later_m = fixture_add_meeting(g_db, net.group_id, "scheduled", now + 7 * DAY_MS);
	cancelled_m = fixture_add_meeting(g_db, net.group_id, "cancelled", now + 3 * DAY_MS);
}

static void teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
}

TestSuite(order, .init = setup, .fini = teardown);
TestSuite(support, .init = setup, .fini = teardown);
TestSuite(merge, .init = setup, .fini = teardown);
TestSuite(defer, .init = setup, .fini = teardown);
TestSuite(carry, .init = setup, .fini = teardown);
TestSuite(refuse, .init = setup, .fini = teardown);

static struct actor who(int64_t id)
{
	return (struct actor){ .person_id = id };
}

static int64_t propose_on(int64_t meeting, int64_t by, const char *title)
{
	struct actor a = who(by);
	int64_t id = 0;
	herr e;
	herr_clear(&e);
	cr_assert_eq(agenda_propose(g_db, &a, meeting, title, "Because.", &id, &e), 0, "%s", e.message);
	return id;
}

static struct agenda agenda_of(int64_t meeting, int64_t as)
{
	struct actor a = who(as);
	struct agenda ag;
	herr e;
	herr_clear(&e);
	cr_assert_eq(agenda_get(g_db, g_arena, &a, meeting, &ag, &e), 0, "%s", e.message);
	return ag;
}

/* The titles of a meeting's agenda joined by ",". */
static const char *titles(int64_t meeting)
{
	static char out[512];
	struct agenda ag = agenda_of(meeting, net.fac_id);
	out[0] = '\0';
	for (size_t i = 0; i < ag.n_items; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, ag.items[i].title);
	}
	return out;
}

static struct agenda_item item_of(int64_t item, int64_t as)
{
	struct actor a = who(as);
	struct agenda_item it;
	herr e;
	herr_clear(&e);
	cr_assert_eq(agenda_item_get(g_db, g_arena, &a, item, &it, &e), 0, "%s", e.message);
	return it;
}

/* ---- order -------------------------------------------------------------- */

Test(order, items_are_listed_in_the_order_proposed)
{
	propose_on(next_m, net.member_id, "A");
	propose_on(next_m, net.member2_id, "B");
	propose_on(next_m, net.fac_id, "C");
	cr_expect_str_eq(titles(next_m), "A,B,C");
	struct agenda ag = agenda_of(next_m, net.member_id);
	for (size_t i = 0; i < ag.n_items; i++)
		cr_expect_eq(ag.items[i].position, (int)i + 1);
	cr_expect(ag.items[0].is_mine);
	cr_expect_not(ag.items[1].is_mine);
}

Test(order, move_up_and_down_stops_at_the_ends)
{
	struct actor f = who(net.fac_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	int64_t b = propose_on(next_m, net.member_id, "B");
	propose_on(next_m, net.member_id, "C");
	cr_assert_eq(agenda_move(g_db, &f, b, "up", &e), 0, "%s", e.message);
	cr_expect_str_eq(titles(next_m), "B,A,C");
	cr_assert_eq(agenda_move(g_db, &f, b, "up", &e), 0);
	cr_expect_str_eq(titles(next_m), "B,A,C");
	cr_assert_eq(agenda_move(g_db, &f, a, "down", &e), 0);
	cr_expect_str_eq(titles(next_m), "B,C,A");
	cr_assert_eq(agenda_move(g_db, &f, a, "down", &e), 0);
	cr_expect_str_eq(titles(next_m), "B,C,A");
	cr_expect_eq(agenda_move(g_db, &f, a, "left", &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "direction");
}

Test(order, set_position_clamps_and_renumbers)
{
	struct actor f = who(net.fac_id);
	herr e;
	propose_on(next_m, net.member_id, "A");
	propose_on(next_m, net.member_id, "B");
	int64_t c = propose_on(next_m, net.member_id, "C");
	cr_assert_eq(agenda_set_position(g_db, &f, c, 1, &e), 0, "%s", e.message);
	cr_expect_str_eq(titles(next_m), "C,A,B");
	cr_assert_eq(agenda_set_position(g_db, &f, c, 99, &e), 0);
	cr_expect_str_eq(titles(next_m), "A,B,C");
	cr_expect_eq(agenda_set_position(g_db, &f, c, 0, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "position");
}

Test(order, withdrawing_renumbers_the_rest)
{
	struct actor m = who(net.member_id);
	herr e;
	propose_on(next_m, net.member_id, "A");
	int64_t b = propose_on(next_m, net.member_id, "B");
	propose_on(next_m, net.member_id, "C");
	cr_assert_eq(agenda_withdraw(g_db, &m, b, &e), 0, "%s", e.message);
	struct agenda ag = agenda_of(next_m, net.member_id);
	cr_assert_eq(ag.n_items, 2);
	cr_expect_eq(ag.items[1].position, 2);
	cr_expect_str_eq(ag.items[1].title, "C");
}

Test(order, time_is_one_to_180_minutes_and_totals)
{
	struct actor f = who(net.fac_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	int64_t b = propose_on(next_m, net.member_id, "B");
	cr_expect_eq(agenda_set_time(g_db, &f, a, 0, &e), ERR_INVALID);
	cr_expect_eq(agenda_set_time(g_db, &f, a, 181, &e), ERR_INVALID);
	cr_assert_eq(agenda_set_time(g_db, &f, a, 180, &e), 0);
	cr_assert_eq(agenda_set_time(g_db, &f, b, 1, &e), 0);
	cr_expect_eq(agenda_of(next_m, net.member_id).total_minutes, 181);
}

/* ---- support ------------------------------------------------------------- */

Test(support, is_once_each_and_idempotent_both_ways)
{
	struct actor m = who(net.member2_id), p = who(net.member_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	cr_assert_eq(agenda_support(g_db, &m, a, true, &e), 0, "%s", e.message);
	cr_assert_eq(agenda_support(g_db, &m, a, true, &e), 0);
	cr_expect_eq(item_of(a, net.member2_id).supporters, 1);
	cr_expect(item_of(a, net.member2_id).i_support);
	cr_assert_eq(agenda_support(g_db, &p, a, true, &e), 0);   /* the proposer may */
	cr_expect_eq(item_of(a, net.member2_id).supporters, 2);
	cr_assert_eq(agenda_support(g_db, &m, a, false, &e), 0);
	cr_assert_eq(agenda_support(g_db, &m, a, false, &e), 0);
	cr_expect_eq(item_of(a, net.member2_id).supporters, 1);
	cr_expect_not(item_of(a, net.member2_id).i_support);
}

Test(support, does_not_take_back_the_agreement)
{
	struct actor f = who(net.fac_id), m = who(net.member2_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	cr_assert_eq(agenda_agree(g_db, &f, next_m, &e), 0, "%s", e.message);
	cr_assert_eq(agenda_support(g_db, &m, a, true, &e), 0);
	struct agenda ag = agenda_of(next_m, net.member_id);
	cr_expect_neq(ag.agreed_at, 0);
	cr_expect_str_eq(ag.agreed_by_name, "Fran");
	propose_on(next_m, net.member_id, "B");
	cr_expect_eq(agenda_of(next_m, net.member_id).agreed_at, 0);
}

/* ---- merge --------------------------------------------------------------- */

Test(merge, supporters_and_proposer_join_the_item_it_joins)
{
	struct actor f = who(net.fac_id), m2 = who(net.member2_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	int64_t b = propose_on(next_m, net.member2_id, "B");
	propose_on(next_m, net.member_id, "C");
	cr_assert_eq(agenda_support(g_db, &f, b, true, &e), 0);
	cr_assert_eq(agenda_support(g_db, &m2, a, true, &e), 0);
	cr_assert_eq(agenda_merge(g_db, &f, b, a, &e), 0, "%s", e.message);
	cr_expect_eq(item_of(a, net.fac_id).supporters, 2);   /* Fran and Kit, once */
	cr_expect_str_eq(titles(next_m), "A,C");
	struct agenda ag = agenda_of(next_m, net.fac_id);
	cr_expect_eq(ag.items[1].position, 2);
}

Test(merge, refuses_itself_other_meetings_and_closed_items)
{
	struct actor f = who(net.fac_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	int64_t b = propose_on(next_m, net.member_id, "B");
	int64_t x = propose_on(later_m, net.member_id, "X");
	cr_expect_eq(agenda_merge(g_db, &f, a, a, &e), ERR_INVALID);
	cr_expect_eq(agenda_merge(g_db, &f, a, x, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "into");
	cr_assert_eq(agenda_merge(g_db, &f, b, a, &e), 0);
	cr_expect_eq(agenda_merge(g_db, &f, a, b, &e), ERR_INVALID);
	cr_expect_eq(agenda_merge(g_db, &f, b, a, &e), ERR_CONFLICT);
	cr_expect_str_eq(titles(next_m), "A");
}

/* ---- defer --------------------------------------------------------------- */

Test(defer, moves_the_item_to_the_end_of_a_later_upcoming_meeting)
{
	struct actor f = who(net.fac_id), m2 = who(net.member2_id);
	herr e;
	propose_on(later_m, net.member_id, "Z");
	int64_t a = propose_on(next_m, net.member_id, "A");
	cr_assert_eq(agenda_support(g_db, &m2, a, true, &e), 0);
	cr_assert_eq(agenda_defer(g_db, &f, a, later_m, &e), 0, "%s", e.message);
	cr_expect_str_eq(titles(next_m), "");
	cr_expect_str_eq(titles(later_m), "Z,A");
	cr_expect_eq(item_of(a, net.fac_id).supporters, 1);
}

Test(defer, refuses_earlier_cancelled_past_and_other_groups_meetings)
{
	struct actor f = who(net.fac_id);
	herr e;
	int64_t other = fixture_add_meeting(g_db, net.closed_group, "scheduled", time_now_ms() + 2 * DAY_MS);
	int64_t a = propose_on(later_m, net.member_id, "A");
	cr_expect_eq(agenda_defer(g_db, &f, a, next_m, &e), ERR_INVALID);   /* earlier */
	cr_expect_eq(agenda_defer(g_db, &f, a, past_m, &e), ERR_INVALID);
	cr_expect_eq(agenda_defer(g_db, &f, a, other, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "to_meeting");
	int64_t b = propose_on(next_m, net.member_id, "B");
	cr_expect_eq(agenda_defer(g_db, &f, b, cancelled_m, &e), ERR_CONFLICT);
	cr_expect_str_eq(titles(next_m), "B");
}

/* ---- carry-over ----------------------------------------------------------- */

Test(carry, deferred_at_a_meeting_copies_to_the_next_upcoming_with_support)
{
	struct actor f = who(net.fac_id), m2 = who(net.member2_id);
	herr e;
	propose_on(next_m, net.member_id, "Already there");
	int64_t a = propose_on(later_m, net.member_id, "Carry me");
	cr_assert_eq(agenda_support(g_db, &m2, a, true, &e), 0);
	cr_assert_eq(agenda_agree(g_db, &f, next_m, &e), 0);
	/* later_m's meeting happens first: move it into the past */
	set_meeting(later_m, "scheduled", time_now_ms() - HOUR_MS);
	cr_assert_eq(agenda_set_outcome(g_db, &f, a, "deferred", &e), 0, "%s", e.message);
	struct agenda_item it = item_of(a, net.fac_id);
	cr_expect_str_eq(it.state, "deferred");
	cr_assert_neq(it.carried_to, 0);
	struct agenda_item copy = item_of(it.carried_to, net.member2_id);
	cr_expect_eq(copy.meeting_id, next_m);
	cr_expect_eq(copy.carried_from, a);
	cr_expect_str_eq(copy.state, "open");
	cr_expect_eq(copy.supporters, 1);
	cr_expect(copy.i_support);
	cr_expect_eq(copy.proposer_id, net.member_id);
	cr_expect_str_eq(titles(next_m), "Already there,Carry me");
	cr_expect_eq(agenda_of(next_m, net.fac_id).agreed_at, 0);
}

Test(carry, open_items_of_a_closed_meeting_carry_once)
{
	int64_t a = propose_on(next_m, net.member_id, "Left open");
	set_meeting(next_m, "closed", time_now_ms() - HOUR_MS);
	herr e;
	cr_assert_eq(agenda_carry_over(g_db, net.group_id, time_now_ms(), &e), 0, "%s", e.message);
	cr_assert_eq(agenda_carry_over(g_db, net.group_id, time_now_ms(), &e), 0);
	struct agenda_item it = item_of(a, net.fac_id);
	cr_expect_str_eq(it.state, "deferred");
	cr_expect_str_eq(titles(later_m), "Left open");
}

Test(carry, open_items_of_a_cancelled_meeting_carry_to_the_next_after_it)
{
	set_meeting(cancelled_m, "scheduled", time_now_ms() + 3 * DAY_MS);
	propose_on(cancelled_m, net.member_id, "Was for the 3rd");
	set_meeting(cancelled_m, "cancelled", time_now_ms() + 3 * DAY_MS);
	herr e;
	cr_assert_eq(agenda_carry_over(g_db, net.group_id, time_now_ms(), &e), 0, "%s", e.message);
	cr_expect_str_eq(titles(later_m), "Was for the 3rd");
	cr_expect_str_eq(titles(next_m), "");
}

Test(carry, waits_without_an_upcoming_meeting_then_carries)
{
	struct actor f = who(net.fac_id);
	herr e;
	int64_t a = propose_on(later_m, net.member_id, "Wait");
	set_meeting(next_m, "cancelled", time_now_ms() + DAY_MS);
	set_meeting(later_m, "scheduled", time_now_ms() - HOUR_MS);
	cr_assert_eq(agenda_set_outcome(g_db, &f, a, "deferred", &e), 0, "%s", e.message);
	cr_expect_eq(item_of(a, net.fac_id).carried_to, 0);
	int64_t fresh = fixture_add_meeting(g_db, net.group_id, "scheduled", time_now_ms() + 14 * DAY_MS);
	cr_assert_eq(agenda_carry_over(g_db, net.group_id, time_now_ms(), &e), 0);
	cr_expect_str_eq(titles(fresh), "Wait");
}

Test(carry, ended_but_not_closed_meetings_keep_their_open_items)
{
	int64_t a = propose_on(next_m, net.member_id, "Still open");
	set_meeting(next_m, "scheduled", time_now_ms() - 3 * HOUR_MS);
	herr e;
	cr_assert_eq(agenda_carry_over(g_db, net.group_id, time_now_ms(), &e), 0);
	cr_expect_str_eq(item_of(a, net.fac_id).state, "open");
	cr_expect(agenda_of(next_m, net.fac_id).can_mark);
}

/* ---- refusals -------------------------------------------------------------- */

Test(refuse, proposals_for_meetings_not_upcoming_name_them)
{
	struct actor m = who(net.member_id);
	int64_t id;
	herr e;
	cr_expect_eq(agenda_propose(g_db, &m, past_m, "A", "B", &id, &e), ERR_CONFLICT);
	cr_expect(strstr(e.message, "has already started") != NULL, "%s", e.message);
	cr_expect(strstr(e.message, "the meeting on ") != NULL, "%s", e.message);
	cr_expect_eq(agenda_propose(g_db, &m, cancelled_m, "A", "B", &id, &e), ERR_CONFLICT);
	cr_expect(strstr(e.message, "is cancelled") != NULL, "%s", e.message);
}

Test(refuse, bad_text_outsiders_and_closed_groups)
{
	struct actor m = who(net.member_id), o = who(net.outsider_id), anon = who(0);
	int64_t id;
	herr e;
	char big[130];
	memset(big, 'x', 121);
	big[121] = '\0';
	cr_expect_eq(agenda_propose(g_db, &m, next_m, " ", "B", &id, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "title");
	cr_expect_eq(agenda_propose(g_db, &m, next_m, big, "B", &id, &e), ERR_INVALID);
	cr_expect_eq(agenda_propose(g_db, &m, next_m, "A", "", &id, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "why");
	cr_expect_eq(agenda_propose(g_db, &o, next_m, "A", "B", &id, &e), ERR_DENIED);
	cr_expect_eq(agenda_propose(g_db, &anon, next_m, "A", "B", &id, &e), ERR_DENIED);
	int64_t cm = fixture_add_meeting(g_db, net.closed_group, "scheduled", time_now_ms() + DAY_MS);
	cr_expect_eq(agenda_propose(g_db, &m, cm, "A", "B", &id, &e), ERR_CONFLICT);
	cr_expect_str_eq(titles(next_m), "");
}

Test(refuse, members_do_not_shape_and_outcomes_wait_for_the_start)
{
	struct actor m = who(net.member_id), f = who(net.fac_id);
	herr e;
	int64_t a = propose_on(next_m, net.member_id, "A");
	cr_expect_eq(agenda_move(g_db, &m, a, "down", &e), ERR_DENIED);
	cr_expect_eq(agenda_set_time(g_db, &m, a, 5, &e), ERR_DENIED);
	cr_expect_eq(agenda_agree(g_db, &m, next_m, &e), ERR_DENIED);
	cr_expect_eq(agenda_set_outcome(g_db, &f, a, "discussed", &e), ERR_CONFLICT);
	cr_expect_eq(agenda_withdraw(g_db, &f, a, &e), ERR_DENIED);
	set_meeting(next_m, "scheduled", time_now_ms() - HOUR_MS);
	cr_expect_eq(agenda_set_outcome(g_db, &m, a, "discussed", &e), ERR_DENIED);
	cr_expect_eq(agenda_set_outcome(g_db, &f, a, "later", &e), ERR_INVALID);
	cr_assert_eq(agenda_set_outcome(g_db, &f, a, "discussed", &e), 0, "%s", e.message);
	cr_expect_eq(agenda_set_outcome(g_db, &f, a, "dropped", &e), ERR_CONFLICT);
	cr_expect_str_eq(item_of(a, net.fac_id).state, "discussed");
	cr_expect_eq(agenda_move(g_db, &f, a, "down", &e), ERR_CONFLICT);
}
