/* test_checkin.c - consented check-ins through the app API (src/app/
 * consent.c, checkin.c, outcome.c, access_log.c) on a fresh SQLite
 * database per test: the consent rules (purposes need taking part, asked
 * once, withdrawal), the due rule, every refusal of a check-in with nothing
 * stored, a withdrawn member leaving the group's figures, and the group's
 * figures hidden under the network's threshold. */
#include <criterion/criterion.h>

#include "app/access_log.h"
#include "app/checkin.h"
#include "app/consent.h"
#include "app/outcome.h"
#include "app/tag.h"
#include "base/arena.h"
#include "base/ids.h"
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RSE "rosenberg-self-esteem"
#define ONS "ons-personal-wellbeing"
#define WEEK_MS (7 * DAY_MS)

static db *g_db;
static arena *g_arena;
static struct fixture_circle net;
static int64_t third;   /* a third member of net.group_id */

static void setup(void)
{
	herr e;
	herr_clear(&e);
	cr_assert_eq(instrument_registry_load(NULL, &e), 0, "%s", e.message);
	g_db = fixture_open_db("checkin");
	g_arena = arena_new(16384);
	net = fixture_add_circle(g_db);
	third = fixture_add_person(g_db, "ash@example.org", "Ash", false);
	fixture_add_membership(g_db, net.group_id, third, "member", "active");
}

static void teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
}

TestSuite(checkin, .init = setup, .fini = teardown);

static struct actor as(int64_t person_id)
{
	return (struct actor){ person_id, false, false };
}

static struct standing standing_in(int64_t group_id, struct actor a)
{
	struct standing st;
	herr e;
	herr_clear(&e);
	cr_assert_eq(membership_standing(g_db, group_id, &a, &st, &e), 0, "%s", e.message);
	return st;
}

static struct standing standing_of(int64_t person_id)
{
	return standing_in(net.group_id, as(person_id));
}

static void offer(const char *instrument, int every_weeks)
{
	struct standing st = standing_of(net.fac_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(checkin_offering_set(g_db, &st, instrument, true, every_weeks, &e), 0, "%s", e.message);
}

static void take_part(int64_t person, bool group_learning)
{
	herr e;
	herr_clear(&e);
	struct consent_choice c = { .take_part = true, .group_learning = group_learning };
	cr_assert_eq(consent_set(g_db, person, &c, &e), 0, "%s", e.message);
}

/* Every Rosenberg item answered with raw value v. */
static void all_at(int *answers, int v)
{
	for (int i = 0; i < 10; i++)
		answers[i] = v;
}

static int submit_in(int64_t group, int64_t person, const char *instrument, const int *answers,
		     size_t n, enum checkin_action action, herr *e)
{
	struct standing st = standing_in(group, as(person));
	struct actor a = as(person);
	int64_t id;
	herr_clear(e);
	return checkin_submit(g_db, &st, &a, instrument, answers, n, action, &id, e);
}

static int submit(int64_t person, const char *instrument, const int *answers, size_t n,
		  enum checkin_action action, herr *e)
{
	return submit_in(net.group_id, person, instrument, answers, n, action, e);
}

/* A finished check-in with the forward-worded items at v and the reversed
 * ones at 1 (total 5 v + 10), then made `weeks_ago` old. */
static void finished_in(int64_t group, int64_t person, int v, int weeks_ago)
{
	static const bool reversed[10] = { 0, 1, 0, 0, 1, 1, 0, 1, 1, 0 };
	int answers[10];
	herr e;
	for (int i = 0; i < 10; i++)
		answers[i] = reversed[i] ? 1 : v;
	cr_assert_eq(submit_in(group, person, RSE, answers, 10, CHECKIN_FINISH, &e), 0, "%s", e.message);
	if (weeks_ago) {
		char sql[200];
		snprintf(sql, sizeof sql, "UPDATE checkin SET finished_at = finished_at - %lld, started_at = "
			 "started_at - %lld WHERE person_id = %lld AND finished_at > %lld",
			 (long long)weeks_ago * WEEK_MS, (long long)weeks_ago * WEEK_MS, (long long)person,
			 (long long)(time_now_ms() - DAY_MS));
		cr_assert_eq(db_exec(g_db, arena_strdup(g_arena, sql)), 0);
	}
}

static void finished(int64_t person, int v, int weeks_ago)
{
	finished_in(net.group_id, person, v, weeks_ago);
}

/* ---- consent ------------------------------------------------------------ */

Test(checkin, consent_is_asked_once_and_purposes_need_taking_part)
{
	struct consent c;
	herr e;
	herr_clear(&e);
	cr_assert_eq(consent_get(g_db, net.member_id, &c, &e), 0);
	cr_assert(!c.asked);
	struct consent_choice bad = { .take_part = false, .network_reports = true };
	cr_assert_eq(consent_set(g_db, net.member_id, &bad, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "take_part");
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin_consent"), 0);
	struct consent_choice no = { 0 };
	cr_assert_eq(consent_set(g_db, net.member_id, &no, &e), 0);
	cr_assert_eq(consent_get(g_db, net.member_id, &c, &e), 0);
	cr_assert(c.asked, "saying no is an answer: not asked again");
	cr_assert(!c.take_part);
	cr_assert_eq(consent_withdraw(g_db, net.member_id, &e), ERR_CONFLICT);
}

Test(checkin, withdrawing_clears_every_purpose_and_stops_asks)
{
	take_part(net.member_id, true);
	offer(RSE, 4);
	struct checkin_due *due;
	size_t n;
	herr e;
	herr_clear(&e);
	cr_assert_eq(checkin_due_for_person(g_db, g_arena, net.member_id, time_now_ms(), &due, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(due[0].why, CHECKIN_DUE_BASELINE);
	/* /me's way, with the memberships it has read already: the same. */
	struct my_membership *mine;
	size_t nm;
	struct checkin_due *in_groups;
	size_t ng;
	cr_assert_eq(membership_list_mine(g_db, g_arena, net.member_id, &mine, &nm, &e), 0);
	cr_assert_eq(checkin_due_in_groups(g_db, g_arena, net.member_id, time_now_ms(), mine, nm,
					   &in_groups, &ng, &e), 0, "%s", e.message);
	cr_assert_eq(ng, 1);
	cr_assert_eq(in_groups[0].group_id, due[0].group_id);
	cr_assert_eq(in_groups[0].in, due[0].in);
	cr_assert_eq(in_groups[0].why, due[0].why);
	cr_assert_eq(consent_withdraw(g_db, net.member_id, &e), 0, "%s", e.message);
	struct consent c;
	cr_assert_eq(consent_get(g_db, net.member_id, &c, &e), 0);
	cr_assert(!c.take_part && !c.group_learning && c.withdrawn_at > 0);
	cr_assert_eq(checkin_due_for_person(g_db, g_arena, net.member_id, time_now_ms(), &due, &n, &e), 0);
	cr_assert_eq(n, 0, "no asks after withdrawing");
	int answers[10];
	all_at(answers, 2);
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_FINISH, &e), ERR_CONFLICT);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin"), 0);
}

/* ---- what is due ------------------------------------------------------------ */

Test(checkin, due_rule)
{
	int64_t now = 1000 * WEEK_MS;
	int64_t meetings[] = { now - 2 * DAY_MS, now + DAY_MS };
	cr_assert_eq(checkin_due_rule(true, 0, 0, false, NULL, 0, now), CHECKIN_DUE_BASELINE);
	cr_assert_eq(checkin_due_rule(false, 4, 0, false, NULL, 0, now), CHECKIN_NOT_DUE);
	cr_assert_eq(checkin_due_rule(true, 4, now - WEEK_MS, true, NULL, 0, now), CHECKIN_DUE_CONTINUE);
	cr_assert_eq(checkin_due_rule(true, 4, now - 3 * WEEK_MS, false, NULL, 0, now), CHECKIN_NOT_DUE);
	cr_assert_eq(checkin_due_rule(true, 4, now - 4 * WEEK_MS, false, NULL, 0, now), CHECKIN_DUE_INTERVAL);
	cr_assert_eq(checkin_due_rule(true, 0, now - 3 * WEEK_MS, false, NULL, 0, now), CHECKIN_NOT_DUE);
	cr_assert_eq(checkin_due_rule(true, 0, now - 3 * WEEK_MS, false, meetings, 2, now), CHECKIN_DUE_MEETING);
	cr_assert_eq(checkin_due_rule(true, 0, now - DAY_MS, false, meetings, 2, now), CHECKIN_NOT_DUE,
		     "answered since the meeting");
	cr_assert_eq(checkin_due_rule(true, 0, now - 3 * WEEK_MS, false, meetings, 2, now + 9 * DAY_MS),
		     CHECKIN_NOT_DUE, "a week after the meeting the ask lapses");
}

/* ---- refusals ------------------------------------------------------------------ */

Test(checkin, refuses_without_consent_unoffered_and_outside_the_options_storing_nothing)
{
	offer(RSE, 0);
	int answers[10];
	all_at(answers, 2);
	herr e;
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_FINISH, &e), ERR_CONFLICT);
	take_part(net.member_id, false);
	int ons[4] = { 5, 5, 5, 5 };
	cr_assert_eq(submit(net.member_id, ONS, ons, 4, CHECKIN_FINISH, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "instrument");
	answers[2] = 4;
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_SAVE, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "rse3");
	answers[2] = -7;
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_FINISH, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "rse3");
	all_at(answers, INSTRUMENT_MISSING);
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_FINISH, &e), ERR_INVALID);
	cr_assert_eq(submit(net.outsider_id, RSE, answers, 10, CHECKIN_SKIP, &e), ERR_DENIED);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin"), 0);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin_answer"), 0);
}

Test(checkin, half_done_is_continued_then_finished)
{
	offer(RSE, 0);
	take_part(net.member_id, false);
	int answers[10];
	all_at(answers, INSTRUMENT_MISSING);
	answers[0] = 3;
	herr e;
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_SAVE, &e), 0, "%s", e.message);
	int back[10];
	int64_t open_id;
	cr_assert_eq(checkin_open_answers(g_db, net.member_id, net.group_id, instrument_find(RSE), back,
					  &open_id, &e), 0);
	cr_assert(open_id > 0);
	cr_assert_eq(back[0], 3);
	cr_assert_eq(back[1], INSTRUMENT_MISSING);
	all_at(answers, 1);
	cr_assert_eq(submit(net.member_id, RSE, answers, 10, CHECKIN_FINISH, &e), 0);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin"), 1, "the same check-in");
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin_answer"), 10);
}

/* ---- the group's figures ---------------------------------------------------------- */

static void set_threshold(long t)
{
	struct actor admin = { net.fac_id, true, false };
	herr e;
	herr_clear(&e);
	cr_assert_eq(outcome_set_threshold(g_db, &admin, t, &e), 0, "%s", e.message);
}

Test(checkin, group_figures_hidden_under_the_threshold_and_without_the_withdrawn)
{
	offer(RSE, 4);
	int64_t people[3] = { net.member_id, net.member2_id, third };
	for (int i = 0; i < 3; i++) {
		take_part(people[i], true);
		finished(people[i], 1, 6);
		finished(people[i], 2 + (i == 2), 0);
	}
	struct standing st = standing_of(net.fac_id);
	struct outcome_group g;
	herr e;
	herr_clear(&e);
	cr_assert_eq(outcome_for_group(g_db, g_arena, &st, &g, &e), 0, "%s", e.message);
	cr_assert_eq(g.threshold, 10);
	cr_assert(g.participants_hidden);
	cr_assert(g.scales[0].all.figure_hidden);

	set_threshold(3);
	cr_assert_eq(outcome_for_group(g_db, g_arena, &st, &g, &e), 0, "%s", e.message);
	cr_assert_eq(g.participants, 3);
	cr_assert(!g.participants_hidden);
	const struct outcome_change *all = &g.scales[0].all;
	cr_assert_eq(all->n, 3);
	cr_assert(!all->figure_hidden);
	/* totals 15 -> 20, 15 -> 20, 15 -> 25 */
	cr_assert_float_eq(all->baseline_mean, 15.0, 1e-9);
	cr_assert_float_eq(all->latest_mean, 65.0 / 3, 1e-9);
	cr_assert_float_eq(all->mean_change, 20.0 / 3, 1e-9);
	cr_assert(all->ci_lo < all->mean_change && all->mean_change < all->ci_hi);

	cr_assert_eq(consent_withdraw(g_db, third, &e), 0);
	cr_assert_eq(outcome_for_group(g_db, g_arena, &st, &g, &e), 0);
	cr_assert_eq(g.participants, 2);
	cr_assert(g.participants_hidden);
	cr_assert(g.scales[0].all.figure_hidden);

	struct standing member = standing_of(net.member_id);
	cr_assert_eq(outcome_for_group(g_db, g_arena, &member, &g, &e), ERR_DENIED);
}

Test(checkin, shared_reads_are_logged_and_unshared_refused)
{
	offer(RSE, 0);
	take_part(net.member_id, false);
	finished(net.member_id, 2, 0);
	struct standing fac = standing_of(net.fac_id);
	struct actor fac_actor = as(net.fac_id);
	struct checkin_record *recs;
	size_t n;
	herr e;
	herr_clear(&e);
	cr_assert_eq(checkin_read_shared(g_db, g_arena, &fac, &fac_actor, net.member_id, &recs, &n, &e),
		     ERR_DENIED);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM access_log"), 0);
	struct consent_choice share = { .take_part = true, .share_with_facilitator = true };
	cr_assert_eq(consent_set(g_db, net.member_id, &share, &e), 0);
	cr_assert_eq(checkin_read_shared(g_db, g_arena, &fac, &fac_actor, net.member_id, &recs, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM access_log"), 1);
	struct access_entry *log;
	cr_assert_eq(access_log_for_subject(g_db, g_arena, net.member_id, 10, &log, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(log[0].reader_id, net.fac_id);
	cr_assert_eq(access_log_record(g_db, net.member_id, net.member_id, ACCESS_WHAT_CHECKINS, "own", &e), 0);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM access_log"), 1, "one's own reads are not logged");
}

Test(checkin, reliable_change_size_follows_jacobson_truax)
{
	const struct instrument *in = instrument_find(RSE);
	cr_assert_not_null(in);
	const struct instrument_scale *s = &in->scales[0];
	double size = outcome_reliable_change_size(s);
	if (s->ref_sd > 0 && s->reliability > 0 && s->reliability < 1) {
		cr_assert_float_eq(size, 1.96 * sqrt(2) * s->ref_sd * sqrt(1 - s->reliability), 1e-9);
		cr_assert_eq(outcome_reliable_change(s, 10, 10 + size + 0.5), s->higher_is_better ? RC_IMPROVED : RC_WORSE);
		cr_assert_eq(outcome_reliable_change(s, 10, 10 + size - 0.5), RC_NONE);
	} else {
		cr_assert_eq(size, 0);
	}
}

/* ---- the network's figures ----------------------------------------------------------- */

static void tag_group(int64_t group, int64_t tag_id)
{
	db_stmt *st = db_prepare(g_db, "INSERT INTO group_tag (group_id, tag_id) VALUES (?, ?)");
	cr_assert_not_null(st);
	db_bind_int64(st, 1, group);
	db_bind_int64(st, 2, tag_id);
	cr_assert_eq(db_step(st), DB_DONE);
	db_reset(st);
}

static int64_t new_tag(const char *name)
{
	struct actor admin = { net.fac_id, true, false };
	struct tag t;
	herr e;
	herr_clear(&e);
	cr_assert_eq(tag_create(g_db, g_arena, &admin, name, &t, &e), 0, "%s", e.message);
	return t.id;
}

static const struct outcome_change *row_named(const struct outcome_scale *s, const char *label)
{
	for (size_t i = 0; i < s->n_rows; i++)
		if (!strcmp(s->rows[i].label, label))
			return &s->rows[i];
	cr_assert_fail("no row %s", label);
	return NULL;
}

Test(checkin, network_figures_by_tag_hide_small_rows)
{
	int64_t other = fixture_add_group(g_db, "Other group", "open", "active");
	fixture_add_membership(g_db, other, net.outsider_id, "member", "active");
	int64_t alpha = new_tag("Alpha"), beta = new_tag("Beta"), both = new_tag("Both");
	tag_group(net.group_id, alpha);
	tag_group(net.group_id, both);
	tag_group(other, beta);
	tag_group(other, both);
	offer(RSE, 4);
	struct standing other_st = standing_in(other, (struct actor){ net.fac_id, true, false });
	herr e;
	herr_clear(&e);
	cr_assert_eq(checkin_offering_set(g_db, &other_st, RSE, true, 4, &e), 0, "%s", e.message);
	int64_t people[4] = { net.member_id, net.member2_id, third, net.outsider_id };
	for (int i = 0; i < 4; i++) {
		struct consent_choice c = { .take_part = true, .network_reports = true };
		cr_assert_eq(consent_set(g_db, people[i], &c, &e), 0);
		finished_in(i == 3 ? other : net.group_id, people[i], 1, 6);
		finished_in(i == 3 ? other : net.group_id, people[i], 2 + (i == 2), 0);
	}
	set_threshold(3);
	struct actor coordinator = { net.fac_id, false, true };
	struct outcome_network n;
	cr_assert_eq(outcome_for_network(g_db, g_arena, &coordinator, OUTCOME_BY_TAG, &n, &e), 0, "%s", e.message);
	cr_assert_eq(n.participants, 4);
	const struct outcome_scale *rse = NULL;
	for (size_t i = 0; i < n.n_scales; i++)
		if (!strcmp(n.scales[i].in->id, RSE))
			rse = &n.scales[i];
	cr_assert_not_null(rse);
	cr_assert_eq(rse->all.n, 4);
	const struct outcome_change *a = row_named(rse, "Alpha"), *b = row_named(rse, "Beta"),
				    *ab = row_named(rse, "Both");
	cr_assert_eq(a->n, 3);
	cr_assert(!a->figure_hidden);
	cr_assert_float_eq(a->mean_change, 20.0 / 3, 1e-9);
	cr_assert_eq(b->n, 1);
	cr_assert(b->n_hidden && b->figure_hidden);
	for (int k = 0; k < 3; k++)
		cr_assert(b->rc_hidden[k], "a hidden row hides its reliable-change counts");
	cr_assert_eq(ab->n, 4);
	cr_assert(!ab->figure_hidden);

	cr_assert_eq(outcome_for_network(g_db, g_arena, &coordinator, OUTCOME_BY_PERIOD, &n, &e), 0);
	for (size_t i = 0; i < n.n_scales; i++)
		if (!strcmp(n.scales[i].in->id, RSE)) {
			cr_assert_eq(n.scales[i].n_rows, 1, "everyone's latest is this quarter");
			cr_assert_eq(n.scales[i].rows[0].n, 4);
		}
	struct actor member = as(net.member_id);
	cr_assert_eq(outcome_for_network(g_db, g_arena, &member, OUTCOME_BY_TAG, &n, &e), ERR_DENIED);
}

/* The network's figures split by period as a coordinator sees them, and
 * their Rosenberg scale. */
static const struct outcome_scale *network_rse(struct outcome_network *n)
{
	struct actor coordinator = { net.fac_id, false, true };
	herr e;
	herr_clear(&e);
	cr_assert_eq(outcome_for_network(g_db, g_arena, &coordinator, OUTCOME_BY_PERIOD, n, &e), 0,
		     "%s", e.message);
	for (size_t i = 0; i < n->n_scales; i++)
		if (!strcmp(n->scales[i].in->id, RSE))
			return &n->scales[i];
	return NULL;
}

/* Scores that are not whole numbers (a scale that averages its items
 * would give them) take the figures' other path: the people's scores are
 * copied into each row rather than counted. */
Test(checkin, network_figures_of_scores_that_are_not_whole_numbers)
{
	int64_t people[4] = { net.member_id, net.member2_id, third, net.fac_id };
	static const double first[4] = { 10.5, 12.25, 8, 20 }, last[4] = { 12, 12.75, 9.5, 21 };
	for (int i = 0; i < 4; i++) {
		char sql[400];
		snprintf(sql, sizeof sql, "INSERT INTO checkin_pair (person_id, group_id, instrument_id, "
			 "scale_id, first_checkin_id, first_score, last_checkin_id, last_score, latest_at, "
			 "counts_in_network) VALUES (%lld, %lld, '" RSE "', 'total', 1, %.17g, 2, %.17g, %lld, 1)",
			 (long long)people[i], (long long)net.group_id, first[i], last[i],
			 (long long)time_now_ms());
		cr_assert_eq(db_exec(g_db, arena_strdup(g_arena, sql)), 0, "%s", db_errmsg(g_db));
	}
	set_threshold(3);
	struct outcome_network n;
	const struct outcome_scale *rse = network_rse(&n);
	cr_assert_not_null(rse);
	cr_assert_eq(rse->all.n, 4);
	cr_assert_float_eq(rse->all.baseline_mean, (10.5 + 12.25 + 8 + 20) / 4, 1e-12);
	cr_assert_float_eq(rse->all.mean_change, (1.5 + 0.5 + 1.5 + 1) / 4, 1e-12);
	cr_assert_eq(rse->n_rows, 1);
	cr_assert_eq(rse->rows[0].n, 4);
	cr_assert_float_eq(rse->rows[0].latest_mean, (12 + 12.75 + 9.5 + 21) / 4, 1e-12);
}

/* The network's Rosenberg figures as a coordinator sees them: who takes
 * part, and how many people's change is in the row of all groups. */
static void network_counts(long *participants, long *n_all)
{
	struct outcome_network n;
	const struct outcome_scale *rse = network_rse(&n);
	*participants = n.participants;
	*n_all = rse ? rse->all.n : -1;
}

/* Checks the figures count `expected` people, and that every stored pair
 * counts in them exactly when its person's consent says so. */
static void counted_in_network(long expected, const char *after)
{
	long participants, n_all;
	network_counts(&participants, &n_all);
	cr_assert_eq(participants, expected, "after %s: %ld taking part", after, participants);
	cr_assert_eq(n_all, expected, "after %s: %ld in the row of all groups", after, n_all);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin_pair p WHERE counts_in_network <> "
					 "(SELECT COUNT(*) FROM checkin_consent k WHERE k.person_id = "
					 "p.person_id AND k.take_part = 1 AND k.network_reports = 1)"),
		     0, "after %s: a pair counts against its person's consent", after);
}

static void consent_to(int64_t person, bool network_reports)
{
	struct consent_choice c = { .take_part = true, .network_reports = network_reports };
	herr e;
	herr_clear(&e);
	cr_assert_eq(consent_set(g_db, person, &c, &e), 0, "%s", e.message);
}

Test(checkin, network_figures_follow_every_change_of_consent)
{
	offer(RSE, 4);
	set_threshold(3);
	int64_t people[3] = { net.member_id, net.member2_id, third };
	for (int i = 0; i < 3; i++) {
		consent_to(people[i], i != 1);   /* the second only for the group at first */
		finished(people[i], 1, 6);
		finished(people[i], 2 + (i == 2), 0);
	}
	counted_in_network(2, "check-ins with two of three counting");
	consent_to(net.member2_id, true);
	counted_in_network(3, "the second letting the network count them");
	consent_to(net.member_id, false);
	counted_in_network(2, "the first keeping their answers to the group");
	herr e;
	herr_clear(&e);
	cr_assert_eq(consent_withdraw(g_db, third, &e), 0, "%s", e.message);
	counted_in_network(1, "the third withdrawing");
	consent_to(net.member_id, true);
	counted_in_network(2, "the first letting the network count them again");
	char sql[120];
	snprintf(sql, sizeof sql, "DELETE FROM checkin_consent WHERE person_id = %lld",
		 (long long)net.member2_id);
	cr_assert_eq(db_exec(g_db, arena_strdup(g_arena, sql)), 0);
	counted_in_network(1, "the second's consent deleted by hand");

	/* Made afresh from the stored scores, the pairs count as before. */
	cr_assert_eq(db_exec(g_db, "DELETE FROM settings WHERE key = '" CHECKIN_SCORES_FILLED "'"), 0);
	cr_assert_eq(checkin_scores_fill(g_db, &e), 0, "%s", e.message);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM checkin_pair"), 3, "the pairs are made again");
	counted_in_network(1, "the pairs made again");
}
