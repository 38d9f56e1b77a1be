/* test_group.c - the rules of groups (src/app/group.c) and their lists
 * (tag.c, organisation.c): every validation rule names its field, the
 * schedule form's simple choices map to RRULEs and back, the directory's
 * question is read strictly (malformed is 400, out of range 422), words
 * for people, tag slugs, web addresses; and, on a fresh SQLite database,
 * that refused changes change nothing and that directory searches use
 * indexes rather than scanning every group. */
#include <criterion/criterion.h>

#include "app/group.h"
#include "app/search_cache.h"
#include "app/organisation.h"
#include "app/tag.h"
#include "base/arena.h"
#include "base/ids.h"
#include "base/utf8.h"
#include "fixture.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *ZONE = "Europe/London";

static struct group_input valid(void)
{
	return (struct group_input){
		.name = "Thursday Walk and Talk", .purpose = "A gentle walk and a chat.",
		.who_for = "Men", .format = "in_person", .access = "open",
		.facilitation = "peer_led", .link_visibility = "members",
		.venue_name = "Park cafe", .venue_address = "1 Park Road",
		.has_latitude = true, .has_longitude = true, .latitude = 53.48, .longitude = -2.24,
		.rrule = "FREQ=WEEKLY;BYDAY=TH", .schedule_start = "2026-01-08T18:30",
		.duration_minutes = 90,
	};
}

/* Asserts that in is refused with code, naming field. */
static void assert_refused(const struct group_input *in, int code, const char *field)
{
	herr e = { 0 };
	int rc = group_check(in, ZONE, &e);
	cr_assert_eq(rc, code, "expected %d naming %s, got %d (%s: %s)", code, field, rc,
		     e.field ? e.field : "-", e.message);
	cr_assert_not_null(e.field, "no field named: %s", e.message);
	cr_assert_str_eq(e.field, field, "%s", e.message);
	cr_assert_gt(strlen(e.message), 10);
}

Test(group_check, a_complete_group_passes)
{
	struct group_input in = valid();
	herr e = { 0 };
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "%s", e.message);
	in.format = "hybrid";
	in.online_link = "https://meet.example.org/room";
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "%s", e.message);
}

Test(group_check, a_forming_group_needs_no_schedule_or_venue)
{
	struct group_input in = { .name = "New group", .purpose = "To be decided together.",
		.format = "in_person", .access = "approval", .facilitation = "co_facilitated",
		.link_visibility = "everyone" };
	herr e = { 0 };
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "%s", e.message);
}

Test(group_check, name_and_purpose)
{
	struct group_input in = valid();
	in.name = "";
	assert_refused(&in, ERR_INVALID, "name");
	in.name = "Two\nlines";
	assert_refused(&in, ERR_INVALID, "name");
	char long_name[200];
	memset(long_name, 'x', 121);
	long_name[121] = '\0';
	in.name = long_name;
	assert_refused(&in, ERR_INVALID, "name");
	long_name[120] = '\0';
	herr e = { 0 };
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "120 characters are fine");
	in = valid();
	in.purpose = "";
	assert_refused(&in, ERR_INVALID, "purpose");
}

Test(group_check, choices)
{
	struct group_input in = valid();
	in.format = "zoom";
	assert_refused(&in, ERR_INVALID, "format");
	in = valid();
	in.access = "secret";
	assert_refused(&in, ERR_INVALID, "access");
	in = valid();
	in.facilitation = "nobody";
	assert_refused(&in, ERR_INVALID, "facilitation");
	in = valid();
	in.link_visibility = "friends";
	assert_refused(&in, ERR_INVALID, "link_visibility");
	in = valid();
	in.status = "closed";
	assert_refused(&in, ERR_INVALID, "status");
}

Test(group_check, an_online_group_has_no_venue)
{
	struct group_input in = valid();
	in.format = "online";
	in.venue_name = "";
	in.has_latitude = in.has_longitude = false;
	assert_refused(&in, ERR_INVALID, "venue_address");
	in.venue_address = "";
	in.venue_name = "Somewhere";
	assert_refused(&in, ERR_INVALID, "venue_name");
	in.venue_name = "";
	in.has_latitude = in.has_longitude = true;
	assert_refused(&in, ERR_INVALID, "latitude");
	in.has_latitude = in.has_longitude = false;
	herr e = { 0 };
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "%s", e.message);
}

Test(group_check, coordinates_both_or_neither_and_in_range)
{
	struct group_input in = valid();
	in.has_longitude = false;
	assert_refused(&in, ERR_INVALID, "longitude");
	in = valid();
	in.has_latitude = false;
	assert_refused(&in, ERR_INVALID, "latitude");
	in = valid();
	in.latitude = 90.5;
	assert_refused(&in, ERR_INVALID, "latitude");
	in = valid();
	in.longitude = -180.01;
	assert_refused(&in, ERR_INVALID, "longitude");
	in = valid();
	in.latitude = NAN;
	assert_refused(&in, ERR_INVALID, "latitude");
	in = valid();
	in.latitude = -90;
	in.longitude = 180;
	herr e = { 0 };
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "the edges are in range");
}

Test(group_check, online_link)
{
	static const char *const bad[] = { "javascript:alert(1)", "ftp://example.org", "https://",
		"example.org", "https://exa mple.org", "http://\"x\"", "https://@evil" };
	struct group_input in = valid();
	in.format = "hybrid";
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		in.online_link = bad[i];
		assert_refused(&in, ERR_INVALID, "online_link");
	}
	in.online_link = "http://meet.example.org:8080/x?y=1#z";
	herr e = { 0 };
	cr_assert_eq(group_check(&in, ZONE, &e), 0, "%s", e.message);
	in.format = "in_person";
	assert_refused(&in, ERR_INVALID, "online_link");
}

Test(group_check, schedule)
{
	struct group_input in = valid();
	in.schedule_start = "";
	assert_refused(&in, ERR_INVALID, "schedule_start");
	in = valid();
	in.rrule = "";
	assert_refused(&in, ERR_INVALID, "rrule");
	in = valid();
	in.rrule = "FREQ=SECONDLY";
	assert_refused(&in, ERR_INVALID, "rrule");
	in = valid();
	in.schedule_start = "2026-13-45T25:61";
	assert_refused(&in, ERR_INVALID, "schedule_start");
	in = valid();
	in.duration_minutes = 5;
	assert_refused(&in, ERR_INVALID, "duration_minutes");
	in.rrule = in.schedule_start = "";
	assert_refused(&in, ERR_INVALID, "duration_minutes");
}

Test(group_check, at_most_twenty_tags_and_partners)
{
	const char *tags[21];
	int64_t partners[21];
	for (int i = 0; i < 21; i++) {
		tags[i] = "t";
		partners[i] = i + 1;
	}
	struct group_input in = valid();
	in.tags = tags;
	in.n_tags = 21;
	assert_refused(&in, ERR_INVALID, "tags");
	in.n_tags = 20;
	in.partner_ids = partners;
	in.n_partners = 21;
	assert_refused(&in, ERR_INVALID, "partner_ids");
}

/* ---- the schedule form's choices ------------------------------------------- */

Test(schedule_choices, map_to_rrules_and_back)
{
	static const struct { const char *f, *w, *rule; } cases[] = {
		{ "weekly", "TU", "FREQ=WEEKLY;BYDAY=TU" },
		{ "every_2_weeks", "MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" },
		{ "every_3_weeks", "SU", "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU" },
		{ "every_4_weeks", "WE", "FREQ=WEEKLY;INTERVAL=4;BYDAY=WE" },
		{ "monthly_1", "TH", "FREQ=MONTHLY;BYDAY=1TH" },
		{ "monthly_4", "SA", "FREQ=MONTHLY;BYDAY=4SA" },
		{ "monthly_last", "FR", "FREQ=MONTHLY;BYDAY=-1FR" },
	};
	arena *a = arena_new(0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *rule = NULL;
		herr e = { 0 };
		cr_assert_eq(group_rrule_from_choice(a, cases[i].f, cases[i].w, &rule, &e), 0);
		cr_assert_str_eq(rule, cases[i].rule);
		char f[16], w[3];
		cr_assert(group_choice_from_rrule(rule, f, w));
		cr_assert_str_eq(f, cases[i].f);
		cr_assert_str_eq(w, cases[i].w);
	}
	arena_free(a);
}

Test(schedule_choices, unknown_choices_name_their_field)
{
	arena *a = arena_new(0);
	const char *rule = NULL;
	herr e = { 0 };
	cr_assert_eq(group_rrule_from_choice(a, "daily", "MO", &rule, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "frequency");
	cr_assert_eq(group_rrule_from_choice(a, "weekly", "XX", &rule, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "weekday");
	cr_assert_eq(group_rrule_from_choice(a, "weekly", "", &rule, &e), ERR_INVALID);
	char f[16], w[3];
	cr_assert(!group_choice_from_rrule("FREQ=WEEKLY;BYDAY=MO,TH", f, w));
	cr_assert(!group_choice_from_rrule(NULL, f, w));
	arena_free(a);
}

/* ---- the directory's question ----------------------------------------------- */

static arena *qa;
static void q_setup(void) { qa = arena_new(0); }
static void q_teardown(void) { arena_free(qa); }
TestSuite(query_parse, .init = q_setup, .fini = q_teardown);

static int parse(const struct group_query_text *in, struct group_query *q, herr *e)
{
	herr_clear(e);
	return group_query_parse(qa, in, q, e);
}

static void assert_query_refused(const struct group_query_text *in, int code, const char *field)
{
	struct group_query q;
	herr e;
	int rc = parse(in, &q, &e);
	cr_assert_eq(rc, code, "expected %d naming %s, got %d: %s", code, field, rc, e.message);
	cr_assert_str_eq(e.field, field, "%s", e.message);
}

Test(query_parse, defaults)
{
	struct group_query_text in = { 0 };
	struct group_query q;
	herr e;
	cr_assert_eq(parse(&in, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.statuses, GROUP_STATUS_FORMING | GROUP_STATUS_ACTIVE);
	cr_assert_eq(q.sort, GROUP_SORT_NEXT);
	cr_assert_eq(q.page, 1);
	cr_assert_null(q.text);
	cr_assert(!q.near);
}

Test(query_parse, words_sort_by_relevance_and_near_by_distance)
{
	struct group_query_text in = { .q = "  walking  " };
	struct group_query q;
	herr e;
	cr_assert_eq(parse(&in, &q, &e), 0);
	cr_assert_str_eq(q.text, "walking");
	cr_assert_eq(q.sort, GROUP_SORT_RELEVANCE);
	in.near = "53.48, -2.24";
	cr_assert_eq(parse(&in, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.sort, GROUP_SORT_DISTANCE);
	cr_assert_float_eq(q.latitude, 53.48, 1e-9);
	cr_assert_float_eq(q.longitude, -2.24, 1e-9);
	cr_assert_float_eq(q.radius_km, GROUP_RADIUS_DEFAULT_KM, 1e-9);
	in.sort = "name";
	cr_assert_eq(parse(&in, &q, &e), 0);
	cr_assert_eq(q.sort, GROUP_SORT_NAME);
}

Test(query_parse, repeated_and_comma_lists)
{
	const char *days[] = { "mon,Thu", " sun " };
	const char *formats[] = { "online", "hybrid" };
	const char *statuses[] = { "paused" };
	const char *tags[] = { "carers,women-only", "carers" };
	struct group_query_text in = { .days = days, .n_days = 2, .formats = formats,
		.n_formats = 2, .statuses = statuses, .n_statuses = 1, .tags = tags, .n_tags = 2 };
	struct group_query q;
	herr e;
	cr_assert_eq(parse(&in, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.days, 1 | 8 | 64);
	cr_assert_eq(q.formats, GROUP_FORMAT_ONLINE | GROUP_FORMAT_HYBRID);
	cr_assert_eq(q.statuses, GROUP_STATUS_PAUSED);
	cr_assert_eq(q.n_tags, 2, "repeats are dropped");
	cr_assert_str_eq(q.tags[0], "carers");
	cr_assert_str_eq(q.tags[1], "women-only");
}

Test(query_parse, unknown_choices_are_422_naming_the_field)
{
	const char *day[] = { "funday" };
	const char *format[] = { "zoom" };
	const char *closed[] = { "closed" };
	const char *other[] = { "sleeping" };
	assert_query_refused(&(struct group_query_text){ .days = day, .n_days = 1 }, ERR_INVALID, "day");
	assert_query_refused(&(struct group_query_text){ .formats = format, .n_formats = 1 }, ERR_INVALID, "format");
	assert_query_refused(&(struct group_query_text){ .statuses = closed, .n_statuses = 1 }, ERR_INVALID, "status");
	assert_query_refused(&(struct group_query_text){ .statuses = other, .n_statuses = 1 }, ERR_INVALID, "status");
	assert_query_refused(&(struct group_query_text){ .sort = "random" }, ERR_INVALID, "sort");
	assert_query_refused(&(struct group_query_text){ .sort = "distance" }, ERR_INVALID, "sort");
	assert_query_refused(&(struct group_query_text){ .sort = "relevance" }, ERR_INVALID, "sort");
}

Test(query_parse, near_is_strict)
{
	static const char *const malformed[] = { "abc", "53.4", "53.4,", ",2", "1,2,3",
		"nan,0", "inf,0", "1e2,0", "0x10,0", "53.4;-2.2", "53..4,1" };
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
		assert_query_refused(&(struct group_query_text){ .near = malformed[i] }, ERR_BADREQ, "near");
	assert_query_refused(&(struct group_query_text){ .near = "91,0" }, ERR_INVALID, "near");
	assert_query_refused(&(struct group_query_text){ .near = "-90.1,0" }, ERR_INVALID, "near");
	assert_query_refused(&(struct group_query_text){ .near = "0,180.5" }, ERR_INVALID, "near");
	struct group_query q;
	herr e;
	cr_assert_eq(parse(&(struct group_query_text){ .near = "-90,180" }, &q, &e), 0);
}

Test(query_parse, radius_is_a_positive_number_up_to_500)
{
	static const char *const bad[] = { "0", "-5", "500.1", "abc", "1e3", "10km", "nan" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_query_refused(&(struct group_query_text){ .near = "53,-2", .radius_km = bad[i] },
				     ERR_INVALID, "radius_km");
	struct group_query q;
	herr e;
	cr_assert_eq(parse(&(struct group_query_text){ .near = "53,-2", .radius_km = "500" }, &q, &e), 0);
	cr_assert_float_eq(q.radius_km, 500, 1e-9);
	cr_assert_eq(parse(&(struct group_query_text){ .near = "53,-2", .radius_km = "0.5" }, &q, &e), 0);
	/* Without near the radius is not used (the form always sends it). */
	cr_assert_eq(parse(&(struct group_query_text){ .radius_km = "" }, &q, &e), 0);
}

Test(query_parse, page)
{
	assert_query_refused(&(struct group_query_text){ .page = "0" }, ERR_INVALID, "page");
	assert_query_refused(&(struct group_query_text){ .page = "-1" }, ERR_INVALID, "page");
	assert_query_refused(&(struct group_query_text){ .page = "two" }, ERR_BADREQ, "page");
	assert_query_refused(&(struct group_query_text){ .page = "1.5" }, ERR_BADREQ, "page");
	assert_query_refused(&(struct group_query_text){ .page = "99999999999999" }, ERR_BADREQ, "page");
	assert_query_refused(&(struct group_query_text){ .page = "100001" }, ERR_INVALID, "page");
	struct group_query q;
	herr e;
	cr_assert_eq(parse(&(struct group_query_text){ .page = "3" }, &q, &e), 0);
	cr_assert_eq(q.page, 3);
}

Test(query_parse, limits)
{
	const char *tags[] = { "a,b,c,d,e,f,g,h,i,j,k" };
	assert_query_refused(&(struct group_query_text){ .tags = tags, .n_tags = 1 }, ERR_INVALID, "tag");
	char long_q[300];
	memset(long_q, 'w', 201);
	long_q[201] = '\0';
	assert_query_refused(&(struct group_query_text){ .q = long_q }, ERR_INVALID, "q");
}

/* ---- words, slugs, addresses ------------------------------------------------ */

Test(words, for_people)
{
	cr_assert_str_eq(group_format_text("online"), "Online");
	cr_assert_str_eq(group_status_text("paused"), "Paused");
	cr_assert_str_eq(group_format_text("bogus"), "");
	cr_assert(strstr(group_facilitation_text("peer_led"), "Peer-led"));
	arena *a = arena_new(0);
	cr_assert_str_eq(group_short_purpose(a, "Short."), "Short.");
	char longer[600] = "";
	for (int i = 0; i < 60; i++)
		strcat(longer, "support ");
	const char *s = group_short_purpose(a, longer);
	cr_assert_leq(utf8_length(s, strlen(s)), GROUP_SHORT_PURPOSE + 1);
	cr_assert(strstr(s, "…"));
	cr_assert_neq(s[strlen(s) - strlen("…") - 1], ' ');
	arena_free(a);
}

Test(words, decimals)
{
	double v;
	cr_assert(group_parse_decimal("53.4808", &v));
	cr_assert_float_eq(v, 53.4808, 1e-12);
	cr_assert(group_parse_decimal(" -2.5 ", &v));
	cr_assert(group_parse_decimal("+7", &v));
	cr_assert(!group_parse_decimal("", &v));
	cr_assert(!group_parse_decimal("-", &v));
	cr_assert(!group_parse_decimal("1e5", &v));
	cr_assert(!group_parse_decimal("nan", &v));
	cr_assert(!group_parse_decimal("1.2.3", &v));
	cr_assert(!group_parse_decimal("1 2", &v));
}

Test(tags, slugs)
{
	char slug[TAG_SLUG_MAX + 1];
	herr e = { 0 };
	cr_assert_eq(tag_slug_of("LGBTQ+ & allies", slug, sizeof slug, &e), 0);
	cr_assert_str_eq(slug, "lgbtq-allies");
	cr_assert_eq(tag_slug_of("  Women-only  ", slug, sizeof slug, &e), 0);
	cr_assert_str_eq(slug, "women-only");
	cr_assert_eq(tag_slug_of("Café \u2013 Crème", slug, sizeof slug, &e), 0);
	cr_assert_str_eq(slug, "café-crème");
	cr_assert_eq(tag_slug_of("!!! ???", slug, sizeof slug, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "name");
	char name[200] = "";
	for (int i = 0; i < 50; i++)
		strcat(name, "é");
	cr_assert_eq(tag_slug_of(name, slug, sizeof slug, &e), 0);
	cr_assert_leq(strlen(slug), TAG_SLUG_MAX);
	cr_assert(utf8_valid(slug, strlen(slug)), "cut on a character boundary");
}

Test(organisations, web_addresses_and_fields)
{
	cr_assert(organisation_web_address_ok("https://example.org"));
	cr_assert(organisation_web_address_ok("HTTP://example.org/a?b#c"));
	cr_assert(!organisation_web_address_ok("javascript:alert(1)"));
	cr_assert(!organisation_web_address_ok("//example.org"));
	cr_assert(!organisation_web_address_ok("https:///path"));
	cr_assert(!organisation_web_address_ok("https://a b"));
	cr_assert(!organisation_web_address_ok("https://a<b"));
	herr e = { 0 };
	struct organisation_input in = { .name = "" };
	cr_assert_eq(organisation_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "name");
	in = (struct organisation_input){ .name = "Mind", .website = "mind.org.uk" };
	cr_assert_eq(organisation_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "website");
	in.website = "";
	cr_assert_eq(organisation_check(&in, &e), 0);
}

/* ---- on a database ------------------------------------------------------------ */

static db *g_db;
static arena *g_arena;
static const struct actor coordinator = { 1, true, false };
static const struct actor nobody = { 0, false, false };

static void db_setup(void)
{
	g_db = fixture_open_db("group");
	g_arena = arena_new(0);
}

static void db_teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
}

TestSuite(on_db, .init = db_setup, .fini = db_teardown);

static int64_t count(const char *sql)
{
	return fixture_count(g_db, sql);
}

Test(on_db, refusals_change_nothing)
{
	struct group_input in = valid();
	const char *unknown[] = { "no-such-tag" };
	in.tags = unknown;
	in.n_tags = 1;
	int64_t id = 0;
	herr e = { 0 };
	cr_assert_eq(group_create(g_db, g_arena, &coordinator, &in, &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "tags");
	cr_assert(strstr(e.message, "There is no tag called \"no-such-tag\""), "%s", e.message);
	cr_assert_eq(count("SELECT COUNT(*) FROM peer_group"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM group_fts"), 0);
	in = valid();
	in.host_org_id = 12345;
	cr_assert_eq(group_create(g_db, g_arena, &coordinator, &in, &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "host_org_id");
	in = valid();
	cr_assert_eq(group_create(g_db, g_arena, &nobody, &in, &id, &e), ERR_DENIED);
	cr_assert_eq(count("SELECT COUNT(*) FROM peer_group"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM meeting"), 0);
}

Test(on_db, create_then_close_takes_it_out_of_search)
{
	struct tag t;
	herr e = { 0 };
	cr_assert_eq(tag_create(g_db, g_arena, &coordinator, "Men", &t, &e), 0, "%s", e.message);
	cr_assert_eq(tag_create(g_db, g_arena, &coordinator, "MEN!", &t, &e), ERR_CONFLICT);
	cr_assert_str_eq(e.field, "name");
	struct group_input in = valid();
	const char *tags[] = { "men", "men" };
	in.tags = tags;
	in.n_tags = 2;
	int64_t id = 0;
	cr_assert_eq(group_create(g_db, g_arena, &coordinator, &in, &id, &e), 0, "%s", e.message);
	cr_assert_eq(count("SELECT COUNT(*) FROM group_tag"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM group_fts WHERE group_fts MATCH 'walk'"), 1);
	cr_assert_eq(count("SELECT meeting_days FROM peer_group"), 8, "Thursday is bit 8");
	cr_assert_eq(group_set_status(g_db, g_arena, &coordinator, id, "closed", &e), 0, "%s", e.message);
	cr_assert_eq(count("SELECT COUNT(*) FROM group_fts"), 0);
	struct group_input change = valid();
	change.name = "Renamed";
	struct actor facilitatorless = { 99, false, false };
	cr_assert_eq(group_update(g_db, g_arena, &facilitatorless, id, &change, &e), ERR_DENIED);
	cr_assert_eq(group_update(g_db, g_arena, &coordinator, id, &change, &e), ERR_CONFLICT,
		     "a closed group cannot be changed");
	cr_assert_eq(group_set_status(g_db, g_arena, &coordinator, id, "active", &e), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM group_fts"), 1, "reopening indexes it again");
	cr_assert_eq(group_set_status(g_db, g_arena, &coordinator, id, "asleep", &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "status");
}

Test(on_db, a_group_comes_with_its_partners_and_tags_by_name)
{
	herr e = { 0 };
	const char *names[] = { "Zest Trust", "Able Org", "Mind Hub" };
	int64_t orgs[3];
	for (int i = 0; i < 3; i++) {
		struct organisation_input o = { .name = names[i], .website = "https://example.org" };
		cr_assert_eq(organisation_create(g_db, &coordinator, &o, &orgs[i], &e), 0, "%s", e.message);
	}
	struct tag t;
	const char *tag_names[] = { "Women", "Carers", "Men" };
	for (int i = 0; i < 3; i++)
		cr_assert_eq(tag_create(g_db, g_arena, &coordinator, tag_names[i], &t, &e), 0, "%s",
			     e.message);
	struct group_input in = valid();
	const char *tags[] = { "women", "carers" };
	in.tags = tags;
	in.n_tags = 2;
	in.partner_ids = orgs;
	in.n_partners = 3;
	int64_t id, bare;
	cr_assert_eq(group_create(g_db, g_arena, &coordinator, &in, &id, &e), 0, "%s", e.message);
	in = valid();
	cr_assert_eq(group_create(g_db, g_arena, &coordinator, &in, &bare, &e), 0, "%s", e.message);
	struct group g;
	cr_assert_eq(group_get(g_db, g_arena, id, &g, &e), 0, "%s", e.message);
	cr_assert_eq(g.n_partners, 3);
	cr_expect_str_eq(g.partners[0].name, "Able Org");
	cr_expect_str_eq(g.partners[1].name, "Mind Hub");
	cr_expect_str_eq(g.partners[2].name, "Zest Trust");
	cr_expect_eq(g.partners[2].id, orgs[0]);
	cr_expect_str_eq(g.partners[0].website, "https://example.org");
	cr_assert_eq(g.n_tags, 2);
	cr_expect_str_eq(g.tags[0].name, "Carers");
	cr_expect_str_eq(g.tags[0].slug, "carers");
	cr_expect_str_eq(g.tags[1].name, "Women");
	cr_expect_str_eq(g.tags[1].slug, "women");
	cr_assert_eq(group_get(g_db, g_arena, bare, &g, &e), 0, "%s", e.message);
	cr_expect_eq(g.n_partners, 0);
	cr_expect_eq(g.n_tags, 0);
	cr_expect_not_null(g.tags, "an empty list, not NULL");
}

/* The page's ids of a search, and its total, worked out afresh. */
static size_t search_ids(const char *words, const char *const *formats, size_t n_formats,
			 const char *const *statuses, size_t n_statuses, int page, int64_t *ids,
			 int64_t *total)
{
	char page_text[16];
	snprintf(page_text, sizeof page_text, "%d", page);
	struct group_query_text in = { .q = words, .formats = formats, .n_formats = n_formats,
				       .statuses = statuses, .n_statuses = n_statuses,
				       .page = page_text };
	struct group_query q;
	struct group_results res;
	herr e = { 0 };
	cr_assert_eq(group_query_parse(g_arena, &in, &q, &e), 0, "%s", e.message);
	search_cache_use(false);
	cr_assert_eq(group_search(g_db, g_arena, &q, &res, &e), 0, "%s", e.message);
	search_cache_use(true);
	for (size_t i = 0; i < res.n; i++)
		ids[i] = res.hits[i].id;
	*total = res.total;
	return res.n;
}

/* A search by words alone is ranked in the index (db_search_rank_listed);
 * with every format asked for, the same question goes through the
 * composed statement. Both must give the same pages. */
static void assert_index_ranks_as_sql(const char *words, const char *const *statuses,
				      size_t n_statuses, int64_t want_total)
{
	static const char *const every_format[] = { "in_person", "online", "hybrid" };
	int64_t seen = 0;
	for (int page = 1; page <= 4; page++) {
		int64_t a[GROUP_PAGE_SIZE], b[GROUP_PAGE_SIZE], ta, tb;
		size_t na = search_ids(words, NULL, 0, statuses, n_statuses, page, a, &ta);
		size_t nb = search_ids(words, every_format, 3, statuses, n_statuses, page, b, &tb);
		cr_assert_eq(ta, want_total, "%s: total %lld", words, (long long)ta);
		cr_assert_eq(tb, want_total);
		cr_assert_eq(na, nb, "%s page %d: %zu against %zu", words, page, na, nb);
		for (size_t i = 0; i < na; i++)
			cr_assert_eq(a[i], b[i], "%s page %d, place %zu", words, page, i);
		seen += (int64_t)na;
	}
	cr_assert_eq(seen, want_total < 80 ? want_total : 80);
}

Test(on_db, words_are_ranked_in_the_index_as_the_statement_ranks_them)
{
	herr e = { 0 };
	int64_t ids[48];
	/* 45 groups with the same words (ranks tie), named so that name order
	 * is the reverse of id order; 3 with the word in the name rank first. */
	for (int i = 0; i < 48; i++) {
		struct group_input in = valid();
		in.name = i < 45 ? arena_printf(g_arena, "Circle %02d", 44 - i)
				 : arena_printf(g_arena, "Wellbeing Walkers %d", i);
		in.purpose = "A wellbeing walk and a chat.";
		cr_assert_eq(group_create(g_db, g_arena, &coordinator, &in, &ids[i], &e), 0, "%s",
			     e.message);
	}
	int64_t page[GROUP_PAGE_SIZE], total;
	cr_assert_eq(search_ids("wellbeing", NULL, 0, NULL, 0, 1, page, &total), GROUP_PAGE_SIZE);
	cr_assert_eq(page[0], ids[45], "the word in the name ranks first");
	cr_assert_eq(page[3], ids[44], "then the ties by name: Circle 00");
	assert_index_ranks_as_sql("wellbeing", NULL, 0, 48);
	assert_index_ranks_as_sql("walk", NULL, 0, 48);
	/* Paused: out of the default statuses, in when asked for. */
	cr_assert_eq(group_set_status(g_db, g_arena, &coordinator, ids[10], "paused", &e), 0);
	static const char *const with_paused[] = { "forming", "active", "paused" };
	assert_index_ranks_as_sql("wellbeing", NULL, 0, 47);
	assert_index_ranks_as_sql("wellbeing", with_paused, 3, 48);
	/* Closed: out of both. Paused by hand in the database: the index
	 * follows (migrations/0016_search_status.sql). */
	cr_assert_eq(group_set_status(g_db, g_arena, &coordinator, ids[11], "closed", &e), 0);
	char sql[96];
	snprintf(sql, sizeof sql, "UPDATE peer_group SET status = 'paused' WHERE id = %lld",
		 (long long)ids[12]);
	cr_assert_eq(db_exec_script(g_db, sql), 0, "%s", db_errmsg(g_db));
	assert_index_ranks_as_sql("wellbeing", NULL, 0, 45);
	assert_index_ranks_as_sql("wellbeing", with_paused, 3, 47);
	/* Typed words never match the status. */
	cr_assert_eq(search_ids("forming", NULL, 0, NULL, 0, 1, page, &total), 0);
	cr_assert_eq(total, 0);
}

/* The plan of the search's main query for a question. */
static const char *plan_of(const struct group_query_text *in)
{
	struct group_query q;
	herr e = { 0 };
	cr_assert_eq(group_query_parse(g_arena, in, &q, &e), 0, "%s", e.message);
	const char *plan = NULL;
	cr_assert_eq(group_search_plan(g_db, g_arena, &q, &plan, &e), 0, "%s", e.message);
	return plan;
}

/* No step reads the whole of peer_group: a "SCAN g" step must go through
 * an index ("SCAN g USING INDEX ..."). */
static void assert_no_full_scan(const char *plan)
{
	char line[256];
	for (const char *p = plan; *p;) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		bool scans_groups = !strcmp(line, "SCAN g") || !strncmp(line, "SCAN g ", 7);
		cr_assert(!scans_groups || strstr(line, "USING"), "a full scan of peer_group:\n%s", plan);
		p += n + (p[n] == '\n');
	}
}

Test(on_db, searches_use_indexes)
{
	struct tag t;
	herr e = { 0 };
	cr_assert_eq(tag_create(g_db, g_arena, &coordinator, "Carers", &t, &e), 0);
	const char *plan = plan_of(&(struct group_query_text){ 0 });
	cr_assert(strstr(plan, "peer_group_status_next"), "default listing:\n%s", plan);
	assert_no_full_scan(plan);
	const char *tags[] = { "carers" };
	const char *days[] = { "tue" };
	assert_no_full_scan(plan_of(&(struct group_query_text){ .q = "walk" }));
	assert_no_full_scan(plan_of(&(struct group_query_text){ .tags = tags, .n_tags = 1 }));
	assert_no_full_scan(plan_of(&(struct group_query_text){ .days = days, .n_days = 1,
								 .sort = "name" }));
	plan = plan_of(&(struct group_query_text){ .near = "53.48,-2.24", .radius_km = "5" });
	assert_no_full_scan(plan);
}
