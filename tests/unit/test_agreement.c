/* test_agreement.c - group agreements (src/app/agreement.c, value.c): how
 * many more agreements a suggestion needs, the review date, the text rules
 * and ground rules one a line; and on a fresh SQLite database, that a
 * suggestion is ratified only with enough active members agreeing (a
 * refusal changes nothing), that versions number 1, 2, ..., that agreeing
 * twice counts once, that the template starts version 1 and only once,
 * that the built-in template serves until a coordinator edits it (and a
 * refused edit changes nothing), and that the network's values are seeded
 * and refuse duplicates. */
#include <criterion/criterion.h>

#include "fixture.h"

#include "app/agreement.h"
#include "app/value.h"
#include "base/arena.h"
#include "base/ids.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Test(agreement_rules, needed_counts_down_to_zero)
{
	cr_assert_eq(agreement_needed(3, 0), 3);
	cr_assert_eq(agreement_needed(3, 1), 2);
	cr_assert_eq(agreement_needed(3, 3), 0);
	cr_assert_eq(agreement_needed(3, 7), 0);
	cr_assert_eq(agreement_needed(1, 1), 0);
	cr_assert_eq(agreement_needed(0, 0), 1, "a threshold below 1 counts as 1");
}

Test(agreement_rules, review_due_on_and_after_the_date)
{
	cr_assert(!agreement_review_due(NULL, "2026-11-26"));
	cr_assert(!agreement_review_due("", "2026-11-26"));
	cr_assert(!agreement_review_due("2026-11-27", "2026-11-26"));
	cr_assert(agreement_review_due("2026-11-26", "2026-11-26"));
	cr_assert(agreement_review_due("2026-01-01", "2026-11-26"));
}

Test(agreement_rules, version_numbers)
{
	cr_assert_eq(agreement_next_version(0), 1);
	cr_assert_eq(agreement_next_version(1), 2);
	cr_assert_eq(agreement_next_version(-3), 1);
}

Test(agreement_rules, rules_one_a_line)
{
	arena *a = arena_new(0);
	const char **rules;
	size_t n;
	cr_assert_eq(agreement_rules_split(a, "  Be kind \r\n\n\tListen\n", &rules, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(rules[0], "Be kind");
	cr_assert_str_eq(rules[1], "Listen");
	cr_assert_str_eq(agreement_rules_join(a, rules, n), "Be kind\nListen");
	cr_assert_str_eq(agreement_rules_join(a, rules, 0), "");
	cr_assert_eq(agreement_rules_split(a, "", &rules, &n), 0);
	cr_assert_eq(n, 0);
	arena_free(a);
}

Test(agreement_rules, text_checks_name_their_field)
{
	const char *rules[] = { "Be kind", "" };
	struct agreement_text t = { .aims = "", .rules = rules, .n_rules = 1 };
	herr e = { 0 };
	cr_assert_eq(agreement_check_text(&t, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "aims");
	t.aims = "To support each other";
	cr_assert_eq(agreement_check_text(&t, &e), 0, "%s", e.message);
	t.n_rules = 2;
	cr_assert_eq(agreement_check_text(&t, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "rules");
	char big[AGREEMENT_AIMS_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	t.n_rules = 1;
	t.aims = big;
	cr_assert_eq(agreement_check_text(&t, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "aims");
	cr_assert(strstr(e.message, "2000"), "%s", e.message);
	const char *two_lines[] = { "One\nTwo" };
	t.aims = "Aims";
	t.rules = two_lines;
	cr_assert_eq(agreement_check_text(&t, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "rules");
}

/* ---- on a database ------------------------------------------------------------ */

static db *g_db;
static arena *g_arena;
static int64_t group_id;
static struct actor fac, m1, m2, m3, outsider;

static int64_t add_person(const char *name)
{
	char email[64];
	snprintf(email, sizeof email, "%s@example.org", name);
	return fixture_add_person(g_db, email, name, false);
}

static void add_membership(int64_t person, const char *role)
{
	fixture_add_membership(g_db, group_id, person, role, "active");
}

static void db_setup(void)
{
	g_db = fixture_open_db("agreement");
	g_arena = arena_new(0);
	group_id = fixture_add_group(g_db, "Walkers", "open", "active");
	fac = (struct actor){ add_person("fac") };
	m1 = (struct actor){ add_person("m1") };
	m2 = (struct actor){ add_person("m2") };
	m3 = (struct actor){ add_person("m3") };
	outsider = (struct actor){ add_person("outsider") };
	add_membership(fac.person_id, "facilitator");
	add_membership(m1.person_id, "member");
	add_membership(m2.person_id, "member");
	add_membership(m3.person_id, "member");
}

static void db_teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
}

TestSuite(agreement_db, .init = db_setup, .fini = db_teardown);

static int64_t count(const char *sql)
{
	return fixture_count(g_db, sql);
}

static int64_t suggest(const struct actor *who, const char *aims)
{
	const char *rules[] = { "Be kind", "Listen" };
	int64_t values[] = { 1, 2 };
	struct agreement_text t = { aims, rules, 2, values, 2 };
	int64_t id = 0;
	herr e = { 0 };
	cr_assert_eq(agreement_suggest(g_db, who, group_id, &t, "A first draft", &id, &e), 0,
		     "%s", e.message);
	return id;
}

static struct agreement current(void)
{
	struct standing st;
	struct agreement a;
	herr e = { 0 };
	cr_assert_eq(membership_standing(g_db, group_id, &fac, &st, &e), 0);
	cr_assert_eq(agreement_get(g_db, g_arena, &st, &a, &e), 0, "%s", e.message);
	return a;
}

Test(agreement_db, ratified_only_with_enough_agreement)
{
	herr e = { 0 };
	int64_t s = suggest(&m1, "To walk together");
	int64_t gid = 0;
	int version = 0;
	cr_assert_eq(agreement_ratify(g_db, &fac, s, &gid, &version, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "needs 2 more"), "%s", e.message);
	cr_assert_eq(current().version, 0, "a refusal changes nothing");
	cr_assert_eq(count("SELECT COUNT(*) FROM agreement_version"), 0);

	bool already = true;
	cr_assert_eq(agreement_agree(g_db, &m2, s, &gid, &already, &e), 0, "%s", e.message);
	cr_assert(!already);
	cr_assert_eq(agreement_agree(g_db, &m2, s, &gid, &already, &e), 0, "%s", e.message);
	cr_assert(already, "agreeing twice counts once");
	cr_assert_eq(agreement_ratify(g_db, &fac, s, &gid, &version, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "needs 1 more"), "%s", e.message);

	cr_assert_eq(agreement_agree(g_db, &outsider, s, &gid, &already, &e), ERR_DENIED);
	cr_assert_eq(agreement_ratify(g_db, &m1, s, &gid, &version, &e), ERR_DENIED,
		     "members do not ratify");
	cr_assert_eq(agreement_agree(g_db, &m3, s, &gid, &already, &e), 0, "%s", e.message);
	cr_assert_eq(agreement_ratify(g_db, &fac, s, &gid, &version, &e), 0, "%s", e.message);
	cr_assert_eq(version, 1);
	cr_assert_eq(gid, group_id);
	struct agreement a = current();
	cr_assert_eq(a.version, 1);
	cr_assert_str_eq(a.text.aims, "To walk together");
	cr_assert_eq(a.text.n_rules, 2);
	cr_assert_eq(a.text.n_values, 2);
	cr_assert_eq(agreement_ratify(g_db, &fac, s, &gid, &version, &e), ERR_CONFLICT,
		     "a ratified suggestion is no longer open");
}

Test(agreement_db, versions_number_on_and_stale_suggestions_are_refused)
{
	herr e = { 0 };
	cr_assert_eq(agreement_set_settings(g_db, &fac, group_id, 1, "2026-01-01", &e), 0, "%s",
		     e.message);
	cr_assert(current().due_for_review);
	int64_t a = suggest(&m1, "Version one");
	int64_t stale = suggest(&m2, "Built on nothing");
	int version = 0;
	cr_assert_eq(agreement_ratify(g_db, &fac, a, NULL, &version, &e), 0, "%s", e.message);
	cr_assert_eq(version, 1);
	cr_assert_eq(agreement_ratify(g_db, &fac, stale, NULL, &version, &e), ERR_CONFLICT);
	int64_t b = suggest(&m3, "Version two");
	cr_assert_eq(agreement_ratify(g_db, &fac, b, NULL, &version, &e), 0, "%s", e.message);
	cr_assert_eq(version, 2);
	struct agreement_version *v;
	size_t n;
	cr_assert_eq(agreement_versions(g_db, g_arena, group_id, &v, &n, &e), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[0].version, 2);
	cr_assert_str_eq(v[0].suggested_by, "m3");
	cr_assert_str_eq(v[0].ratified_by, "fac");
	cr_assert_str_eq(v[1].text.aims, "Version one");
	cr_assert_eq(agreement_set_settings(g_db, &fac, group_id, 0, NULL, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "threshold");
	cr_assert_eq(agreement_set_settings(g_db, &fac, group_id, 2, "2026-02-30", &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "review_date");
	cr_assert_eq(agreement_set_settings(g_db, &m1, group_id, 2, NULL, &e), ERR_DENIED);
	cr_assert_eq(current().threshold, 1, "refusals change nothing");
}

Test(agreement_db, template_starts_version_one_once)
{
	herr e = { 0 };
	struct agreement_template t;
	cr_assert_eq(agreement_template_get(g_db, g_arena, &t, &e), 0, "%s", e.message);
	cr_assert(!t.edited);
	cr_assert_str_eq(t.text.aims, AGREEMENT_TEMPLATE_AIMS);
	cr_assert_eq(t.text.n_rules, 5);
	cr_assert_eq(t.text.n_values, 0);
	cr_assert(strstr(t.text.rules[1], "keep others' stories in the room"), "%s", t.text.rules[1]);
	cr_assert_eq(agreement_start(g_db, &m1, group_id, &e), ERR_DENIED);
	cr_assert_eq(agreement_start(g_db, &fac, group_id, &e), 0, "%s", e.message);
	struct agreement a = current();
	cr_assert_eq(a.version, 1);
	cr_assert_str_eq(a.text.aims, AGREEMENT_TEMPLATE_AIMS);
	cr_assert_eq(a.text.n_rules, 5);
	cr_assert_eq(agreement_start(g_db, &fac, group_id, &e), ERR_CONFLICT);
	cr_assert_eq(count("SELECT COUNT(*) FROM agreement_version"), 1);
}

Test(agreement_db, edited_template_is_what_groups_start_with)
{
	herr e = { 0 };
	struct actor coord = { add_person("coord"), false, true };
	const char *rules[] = { "We listen.", "We take turns." };
	int64_t values[] = { 2, 5 };
	struct agreement_text in = { "To share and support", rules, 2, values, 2 };

	/* Refusals name their field and change nothing. */
	cr_assert_eq(agreement_template_set(g_db, &fac, &in, &e), ERR_DENIED,
		     "a group's facilitator does not edit the network's template");
	in.aims = "";
	cr_assert_eq(agreement_template_set(g_db, &coord, &in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "aims");
	in.aims = "To share and support";
	int64_t unknown[] = { 2, 999 };
	in.value_ids = unknown;
	cr_assert_eq(agreement_template_set(g_db, &coord, &in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "values");
	int64_t twice[] = { 5, 5 };
	in.value_ids = twice;
	cr_assert_eq(agreement_template_set(g_db, &coord, &in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "values");
	cr_assert_eq(count("SELECT COUNT(*) FROM network_agreement_template"), 0);

	/* Saved, read back, saved again over it. */
	in.value_ids = values;
	cr_assert_eq(agreement_template_set(g_db, &coord, &in, &e), 0, "%s", e.message);
	in.n_rules = 1;
	cr_assert_eq(agreement_template_set(g_db, &coord, &in, &e), 0, "%s", e.message);
	cr_assert_eq(count("SELECT COUNT(*) FROM network_agreement_template"), 1);
	struct agreement_template t;
	cr_assert_eq(agreement_template_get(g_db, g_arena, &t, &e), 0, "%s", e.message);
	cr_assert(t.edited);
	cr_assert_str_eq(t.updated_by, "coord");
	cr_assert_str_eq(t.text.aims, "To share and support");
	cr_assert_eq(t.text.n_rules, 1);
	cr_assert_str_eq(t.text.rules[0], "We listen.");
	cr_assert_eq(t.text.n_values, 2);
	cr_assert_eq(t.text.value_ids[1], 5);

	/* A group starting now gets it. */
	cr_assert_eq(agreement_start(g_db, &fac, group_id, &e), 0, "%s", e.message);
	struct agreement a = current();
	cr_assert_str_eq(a.text.aims, "To share and support");
	cr_assert_eq(a.text.n_rules, 1);
	cr_assert_eq(a.text.n_values, 2);
	cr_assert_eq(a.text.value_ids[0], 2);
}

Test(agreement_db, unknown_values_and_withdrawal)
{
	herr e = { 0 };
	const char *rules[] = { "Be kind" };
	int64_t values[] = { 999 };
	struct agreement_text t = { "Aims", rules, 1, values, 1 };
	int64_t id = 0;
	cr_assert_eq(agreement_suggest(g_db, &m1, group_id, &t, "Why not", &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "values");
	cr_assert_eq(agreement_suggest(g_db, &outsider, group_id, &t, "Why not", &id, &e), ERR_DENIED);
	t.n_values = 0;
	cr_assert_eq(agreement_suggest(g_db, &m1, group_id, &t, "", &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "reason");
	cr_assert_eq(count("SELECT COUNT(*) FROM agreement_suggestion"), 0);
	int64_t s = suggest(&m1, "Mine");
	cr_assert_eq(agreement_withdraw(g_db, &m2, s, NULL, &e), ERR_DENIED);
	cr_assert_eq(agreement_withdraw(g_db, &m1, s, NULL, &e), 0, "%s", e.message);
	cr_assert_eq(agreement_withdraw(g_db, &m1, s, NULL, &e), ERR_CONFLICT);
	int64_t d = suggest(&m2, "Declined");
	cr_assert_eq(agreement_decline(g_db, &m1, d, NULL, &e), ERR_DENIED);
	cr_assert_eq(agreement_decline(g_db, &fac, d, NULL, &e), 0, "%s", e.message);
	cr_assert_eq(agreement_decline(g_db, &fac, d, NULL, &e), ERR_CONFLICT);
	cr_assert_eq(current().version, 0, "declining changes nothing in the agreement");
}

Test(agreement_db, values_seeded_and_added_by_coordinators)
{
	herr e = { 0 };
	struct value *v;
	size_t n;
	cr_assert_eq(value_list(g_db, g_arena, &v, &n, &e), 0);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(v[0].name, "Experience in common");
	cr_assert_str_eq(v[5].name, "Freedom to be yourself");
	struct actor coordinator = { fac.person_id, false, true };
	int64_t id;
	cr_assert_eq(value_add(g_db, &m1, "Trust", "", &id, &e), ERR_DENIED);
	cr_assert_eq(value_add(g_db, &coordinator, "", "", &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "name");
	cr_assert_eq(value_add(g_db, &coordinator, "Trust", "We trust each other.", &id, &e), 0,
		     "%s", e.message);
	cr_assert_eq(value_add(g_db, &coordinator, "trust", "", &id, &e), ERR_CONFLICT);
	cr_assert_eq(value_list(g_db, g_arena, &v, &n, &e), 0);
	cr_assert_eq(n, 7);
	cr_assert_str_eq(v[6].name, "Trust");
}
