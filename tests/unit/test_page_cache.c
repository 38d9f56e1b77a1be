/* test_page_cache.c - the anonymous page cache (src/http/page_cache.c) and
 * the change stamp under it (src/store/stamp.c): a page is served only for
 * the same address, generation and minute; any committed write, by this
 * connection or another, moves the stamp and so the generation; the cache
 * keeps to its byte budget. */
#include "fixture.h"

#include "http/page_cache.h"
#include "store/stamp.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static const char *HTML = "text/html; charset=utf-8";

static void stop(void)
{
	page_cache_stop();
}

TestSuite(page_cache, .fini = stop);

/* The cached body for key, or NULL on a miss (in a's memory). */
static const char *get(arena *a, const char *key, uint64_t gen, int64_t minute)
{
	buf body = BUF_INIT;
	const char *ct = NULL;
	if (!page_cache_get(key, gen, minute, a, &body, &ct)) {
		buf_free(&body);
		return NULL;
	}
	cr_assert_str_eq(ct, HTML);
	const char *copy = arena_strdup(a, body.data);
	buf_free(&body);
	return copy;
}

Test(page_cache, a_kept_page_comes_back_for_the_same_address_generation_and_minute)
{
	page_cache_start(1 << 20);
	arena *a = arena_new(0);
	page_cache_put("h/groups/1", 7, 100, HTML, "<p>group one</p>", 16);
	cr_assert_str_eq(get(a, "h/groups/1", 7, 100), "<p>group one</p>");
	cr_assert_null(get(a, "h/groups/2", 7, 100), "another address");
	cr_assert_null(get(a, "j/groups/1", 7, 100), "the JSON face is another page");
	cr_assert_null(get(a, "h/groups/1", 8, 100), "the database changed since");
	cr_assert_null(get(a, "h/groups/1", 7, 101), "the minute moved on");
	arena_free(a);
}

Test(page_cache, nothing_is_kept_while_the_cache_is_off)
{
	page_cache_start(0);
	arena *a = arena_new(0);
	cr_assert_not(page_cache_on());
	page_cache_put("h/", 1, 1, HTML, "x", 1);
	cr_assert_null(get(a, "h/", 1, 1));
	arena_free(a);
}

Test(page_cache, a_newer_page_replaces_the_old_one)
{
	page_cache_start(1 << 20);
	arena *a = arena_new(0);
	page_cache_put("h/tags", 1, 5, HTML, "old", 3);
	page_cache_put("h/tags", 2, 5, HTML, "new", 3);
	cr_assert_null(get(a, "h/tags", 1, 5));
	cr_assert_str_eq(get(a, "h/tags", 2, 5), "new");
	arena_free(a);
}

Test(page_cache, it_keeps_to_its_byte_budget)
{
	page_cache_start(64 * 1024);
	arena *a = arena_new(0);
	static char big[16 * 1024];
	memset(big, 'b', sizeof big - 1);
	page_cache_put("h/big", 1, 1, HTML, big, sizeof big - 1);
	cr_assert_null(get(a, "h/big", 1, 1), "one page may take at most an eighth");
	static char page[6 * 1024];
	memset(page, 'p', sizeof page - 1);
	int kept = 0;
	for (int i = 0; i < 40; i++) {
		char key[32];
		snprintf(key, sizeof key, "h/groups/%d", i);
		page_cache_put(key, 1, 1, HTML, page, sizeof page - 1);
		kept += get(a, key, 1, 1) != NULL;
	}
	cr_assert_gt(kept, 5);
	cr_assert_lt(kept, 11, "%d pages of 6 KiB in 64 KiB", kept);
	buf m = BUF_INIT;
	page_cache_metrics(&m);
	cr_assert(strstr(m.data, "hearth_page_cache_pages 10\n") ||
		  strstr(m.data, "hearth_page_cache_pages 9\n"), "%s", m.data);
	buf_free(&m);
	arena_free(a);
}

Test(page_cache, a_very_long_address_is_not_kept)
{
	page_cache_start(1 << 20);
	arena *a = arena_new(0);
	char key[PAGE_CACHE_KEY_MAX + 8];
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	page_cache_put(key, 1, 1, HTML, "x", 1);
	cr_assert_null(get(a, key, 1, 1));
	arena_free(a);
}

/* ---- the change stamp ------------------------------------------------------ */

static uint64_t stamp(db *d)
{
	uint64_t s = 0;
	cr_assert_eq(db_change_stamp(d, &s), 0, "%s", db_errmsg(d));
	return s;
}

Test(page_cache, the_stamp_moves_with_every_write_by_anyone_and_only_then)
{
	db *d = fixture_open_db("stamp");
	herr e;
	herr_clear(&e);
	db *other = db_open(fixture_db_path(), &e);
	cr_assert_not_null(other, "%s", e.message);

	uint64_t s0 = stamp(d);
	cr_assert_eq(stamp(d), s0, "reading changes nothing");
	fixture_add_person(other, "a@example.org", "A", false);
	uint64_t s1 = stamp(d);
	cr_assert_neq(s1, s0, "another connection's commit");
	fixture_add_person(d, "b@example.org", "B", false);
	uint64_t s2 = stamp(d);
	cr_assert_neq(s2, s1, "this connection's own write");
	cr_assert_eq(stamp(d), s2);

	db_close(other);
	fixture_close_db(d);
}

Test(page_cache, a_write_outdates_every_kept_page)
{
	page_cache_start(1 << 20);
	db *d = fixture_open_db("generation");
	arena *a = arena_new(0);
	uint64_t g1, g2, g3;
	cr_assert_eq(page_cache_generation(d, &g1), 0);
	page_cache_put("h/", g1, 1, HTML, "home", 4);
	cr_assert_eq(page_cache_generation(d, &g2), 0);
	cr_assert_eq(g2, g1, "no write: the same generation");
	cr_assert_str_eq(get(a, "h/", g2, 1), "home");
	fixture_add_group(d, "New group", "open", "active");
	cr_assert_eq(page_cache_generation(d, &g3), 0);
	cr_assert_neq(g3, g2);
	cr_assert_null(get(a, "h/", g3, 1));
	arena_free(a);
	fixture_close_db(d);
}
