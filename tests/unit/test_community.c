/* test_community.c - the wider community (src/app/resource.c and
 * community.c): which phone numbers, email addresses and dates are
 * accepted, the checks on a resource's fields, the kinds of connection;
 * and on a fresh SQLite database that the categories are seeded, that only
 * coordinators add resources, that an unknown category or organisation is
 * refused naming the field and changes nothing, that the list filters by
 * category, and that a group's events must lie ahead, connections behind,
 * and signposting adds up by category at a meeting that has started. */
#include <criterion/criterion.h>

#include "app/community.h"
#include "app/resource.h"
#include "base/arena.h"
#include "base/ids.h"
#include "fixture.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

Test(resource_contact, phone_numbers)
{
	cr_assert(resource_phone_ok("0800 123 4567"));
	cr_assert(resource_phone_ok("+44 (0)20 7946-0000"));
	cr_assert(resource_phone_ok("116 123"));
	cr_assert(resource_phone_ok("999"));
	cr_assert(!resource_phone_ok("12"), "too few digits");
	cr_assert(!resource_phone_ok("call us"));
	cr_assert(!resource_phone_ok("0800+123"), "a + only at the start");
	cr_assert(!resource_phone_ok("123456789012345678901"), "too many digits");
	cr_assert(!resource_phone_ok(NULL));
}

Test(resource_contact, email_addresses)
{
	cr_assert(resource_email_ok("help@example.org"));
	cr_assert(resource_email_ok("first.last+tag@mail.example.co.uk"));
	cr_assert(!resource_email_ok("example.org"));
	cr_assert(!resource_email_ok("@example.org"));
	cr_assert(!resource_email_ok("a@b"));
	cr_assert(!resource_email_ok("a@b."));
	cr_assert(!resource_email_ok("a@@b.org"));
	cr_assert(!resource_email_ok("a b@c.org"));
	cr_assert(!resource_email_ok("<a@b.org>"));
	cr_assert(!resource_email_ok(NULL));
}

Test(resource_check, names_the_field)
{
	herr e = { 0 };
	struct resource_input ok = { .name = "Food Bank", .category = "food" };
	cr_assert_eq(resource_check(&ok, &e), 0);
	struct resource_input in = ok;
	in.name = "";
	cr_assert_eq(resource_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "name");
	in = ok;
	in.category = "";
	cr_assert_eq(resource_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "category");
	in = ok;
	in.website = "javascript:alert(1)";
	cr_assert_eq(resource_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "website");
	in = ok;
	in.email = "nobody";
	cr_assert_eq(resource_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "email");
	in = ok;
	in.phone = "ring";
	cr_assert_eq(resource_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "phone");
	char long_text[260];
	memset(long_text, 'x', 201);
	long_text[201] = '\0';
	in = ok;
	in.opening_times = long_text;
	cr_assert_eq(resource_check(&in, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "opening_times");
}

Test(community_rules, dates_and_kinds)
{
	cr_assert(community_date_ok("2026-11-26"));
	cr_assert(community_date_ok("2024-02-29"));
	cr_assert(!community_date_ok("2026-02-29"));
	cr_assert(!community_date_ok("2026-13-01"));
	cr_assert(!community_date_ok("2026-1-01"));
	cr_assert(!community_date_ok("26-11-2026"));
	cr_assert(!community_date_ok(NULL));
	cr_assert_str_eq(community_connection_kind_label("joint_activity"), "Joint activity");
	cr_assert_null(community_connection_kind_label("party"));
}

/* ---- on a database ------------------------------------------------------------ */

static db *g_db;
static arena *g_arena;

static void db_setup(void)
{
	g_db = fixture_open_db("community");
	g_arena = arena_new(0);
}

static void db_teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
}

static int64_t count_all(void)
{
	struct resource *list;
	size_t n;
	int64_t total = -1;
	herr e = { 0 };
	cr_assert_eq(resource_list(g_db, g_arena, NULL, 1, &list, &n, &total, &e), 0, "%s", e.message);
	return total;
}

Test(resource_store, categories_are_seeded, .init = db_setup, .fini = db_teardown)
{
	struct resource_category *list;
	size_t n;
	herr e = { 0 };
	cr_assert_eq(resource_categories(g_db, g_arena, &list, &n, &e), 0, "%s", e.message);
	cr_assert_geq(n, 12);
	cr_assert_str_eq(list[0].slug, "housing-advice");
	struct resource_category c;
	cr_assert_eq(resource_category_find(g_db, g_arena, "crisis-lines", &c, &e), 0);
	cr_assert_str_eq(c.name, "Crisis lines");
	cr_assert_eq(resource_category_find(g_db, g_arena, "astrology", &c, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "category");
	cr_assert(strstr(e.message, "astrology"));
}

Test(resource_store, only_coordinators_and_known_categories, .init = db_setup, .fini = db_teardown)
{
	struct actor coord = { id_new(), false, true }, someone = { id_new(), false, false };
	struct resource_input in = { .name = "Food Bank", .category = "food", .phone = "0800 111 222" };
	int64_t id = 0;
	herr e = { 0 };
	cr_assert_eq(resource_create(g_db, &someone, &in, &id, &e), ERR_DENIED);
	in.category = "astrology";
	cr_assert_eq(resource_create(g_db, &coord, &in, &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "category");
	in.category = "food";
	in.organisation_id = 12345;
	cr_assert_eq(resource_create(g_db, &coord, &in, &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "organisation_id");
	cr_assert_eq(count_all(), 0, "a refusal changes nothing");
	in.organisation_id = 0;
	cr_assert_eq(resource_create(g_db, &coord, &in, &id, &e), 0, "%s", e.message);
	struct resource_input sport = { .name = "Park Run", .category = "sport" };
	int64_t id2;
	cr_assert_eq(resource_create(g_db, &coord, &sport, &id2, &e), 0, "%s", e.message);
	cr_assert_eq(count_all(), 2);

	struct resource *list;
	size_t n;
	int64_t total;
	cr_assert_eq(resource_list(g_db, g_arena, "sport", 1, &list, &n, &total, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(list[0].name, "Park Run");
	cr_assert_eq(resource_list(g_db, g_arena, "nope", 1, &list, &n, &total, &e), ERR_INVALID);

	struct resource got;
	cr_assert_eq(resource_get(g_db, g_arena, id, &got, &e), 0);
	cr_assert_str_eq(got.phone, "0800 111 222");
	cr_assert_null(got.email);
	in.category = "debt";
	cr_assert_eq(resource_update(g_db, &someone, id, &in, &e), ERR_DENIED);
	cr_assert_eq(resource_update(g_db, &coord, id, &in, &e), 0, "%s", e.message);
	cr_assert_eq(resource_get(g_db, g_arena, id, &got, &e), 0);
	cr_assert_str_eq(got.category_slug, "debt");
	cr_assert_eq(resource_delete(g_db, &someone, id, &e), ERR_DENIED);
	cr_assert_eq(resource_delete(g_db, &coord, id, &e), 0);
	cr_assert_eq(resource_delete(g_db, &coord, id, &e), ERR_NOTFOUND);
	cr_assert_eq(count_all(), 1);
}

static int64_t add_row(const char *sql, int64_t a, int64_t b)
{
	db_stmt *st = db_prepare(g_db, sql);
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	int64_t id = id_new();
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, a);
	if (b)
		db_bind_int64(st, 3, b);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return id;
}

Test(community_store, events_connections_and_signposting, .init = db_setup, .fini = db_teardown)
{
	int64_t gid = add_row("INSERT INTO peer_group (id, name, purpose, format, access, facilitation, "
		"status, created_at, updated_at) VALUES (?, 'Walkers', 'To walk', 'in_person', 'open', "
		"'peer_led', 'active', ?, 1)", 1, 0);
	db_stmt *ps = db_prepare(g_db, "INSERT INTO person (id, email, display_name, is_admin, "
		"created_at, updated_at) VALUES (1, 'fac@example.org', 'Fac', 0, 1, 1)");
	cr_assert_not_null(ps, "%s", db_errmsg(g_db));
	cr_assert_eq(db_step(ps), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(ps);
	/* a meeting long past (1970) */
	int64_t past = add_row("INSERT INTO meeting (id, group_id, kind, status, starts_at, ends_at, "
		"created_at, updated_at) VALUES (?, ?, 'one_off', 'scheduled', 1000, 2000, 1, 1)", gid, 0);
	struct standing manager = { .group_id = gid, .group_status = "active", .status = MEMBER_ACTIVE,
		.role = ROLE_FACILITATOR, .is_member = true, .can_manage = true, .can_see_members = true };
	struct standing member = manager;
	member.role = ROLE_MEMBER;
	member.can_manage = false;
	herr e = { 0 };
	int64_t id;

	struct community_event_input ev = { .title = "Picnic", .date = "2099-06-01", .time = "12:00" };
	cr_assert_eq(community_event_add(g_db, &member, 1, &ev, &id, &e), ERR_DENIED);
	cr_assert_eq(community_event_add(g_db, &manager, 1, &ev, &id, &e), 0, "%s", e.message);
	ev.date = "2001-06-01";
	cr_assert_eq(community_event_add(g_db, &manager, 1, &ev, &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "date");

	struct community_connection_input c = { .with = "Library", .kind = "visit", .date = "2020-01-01" };
	cr_assert_eq(community_connection_add(g_db, &manager, 1, &c, &id, &e), 0, "%s", e.message);
	c.date = "2199-01-01";
	cr_assert_eq(community_connection_add(g_db, &manager, 1, &c, &id, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "connected_on");

	struct signpost_input sp = { .meeting_id = past, .category = "debt", .count = 4 };
	cr_assert_eq(community_signpost_add(g_db, &member, 1, &sp, &e), ERR_DENIED);
	cr_assert_eq(community_signpost_add(g_db, &manager, 1, &sp, &e), 0, "%s", e.message);
	sp.count = 2;
	cr_assert_eq(community_signpost_add(g_db, &manager, 1, &sp, &e), 0, "%s", e.message);
	sp.count = 101;
	cr_assert_eq(community_signpost_add(g_db, &manager, 1, &sp, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "count");
	sp.count = 1;
	sp.category = "astrology";
	cr_assert_eq(community_signpost_add(g_db, &manager, 1, &sp, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "category");

	struct community_overview o;
	cr_assert_eq(community_overview_get(g_db, g_arena, &member, &o, &e), 0, "%s", e.message);
	cr_assert_eq(o.n_events, 1);
	cr_assert_eq(o.n_connections, 1);
	cr_assert_eq(o.n_totals, 1);
	cr_assert_str_eq(o.totals[0].category_slug, "debt");
	cr_assert_eq(o.totals[0].people, 6);
	cr_assert_eq(o.people_signposted, 6);
	struct standing outsider = { .group_id = gid, .group_status = "active" };
	cr_assert_eq(community_overview_get(g_db, g_arena, &outsider, &o, &e), ERR_DENIED);
}
