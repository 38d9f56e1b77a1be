/* test_search.c - the directory's full-text query building for both
 * dialects (src/store/search.c): typed text becomes quoted words, all must
 * match, the last also as a prefix, and nothing typed is ever query syntax;
 * the same hostile text run against a real FTS5 index never errors; the
 * relevance rank (src/store/search_rank.c) exactly as FTS5's bm25() as the
 * index changes; the distance arithmetic: haversine distances between known
 * city pairs and the bounding box that prefilters "near" searches; and the
 * cache of answers shared between members (src/app/search_cache.c). */
#include <criterion/criterion.h>

#include "base/ids.h"
#include "fixture.h"
#include "store/db.h"
#include "store/search.h"
#include "store/search_rank.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static char out[SEARCH_QUERY_MAX];

static int fts(const char *typed)
{
	return db_search_query(SEARCH_FTS5, typed, out, sizeof out);
}

static int tsq(const char *typed)
{
	return db_search_query(SEARCH_TSQUERY, typed, out, sizeof out);
}

/* Typed words match the text columns only, never the status column. */
#define COLS "{name purpose who_for place} : ("

/* ---- FTS5 ------------------------------------------------------------------- */

Test(query_fts5, quotes_each_word_and_prefixes_the_last)
{
	cr_assert_eq(fts("men walking"), 2);
	cr_assert_str_eq(out, COLS "\"men\" \"walking\"*" ")");
	cr_assert_eq(fts("walk"), 1);
	cr_assert_str_eq(out, COLS "\"walk\"*" ")");
}

Test(query_fts5, lowercases_ascii_and_splits_on_punctuation)
{
	cr_assert_eq(fts("  Men's   WALK!! "), 3);
	cr_assert_str_eq(out, COLS "\"men\" \"s\" \"walk\"*" ")");
	cr_assert_eq(fts("self-esteem"), 2);
	cr_assert_str_eq(out, COLS "\"self\" \"esteem\"*" ")");
}

Test(query_fts5, operators_become_plain_words)
{
	cr_assert_eq(fts("AND OR NOT NEAR"), 4);
	cr_assert_str_eq(out, COLS "\"and\" \"or\" \"not\" \"near\"*" ")");
}

Test(query_fts5, syntax_characters_never_pass_through)
{
	cr_assert_eq(fts("name:foo -bar (baz)* ^qux \"a b\" {c} +d"), 8);
	cr_assert_str_eq(out, COLS "\"name\" \"foo\" \"bar\" \"baz\" \"qux\" \"a\" \"b\" \"c\"*" ")");
	const char *words = out + strlen(COLS);   /* the columns' filter is ours */
	cr_assert_null(strchr(words, ':'));
	cr_assert_null(strchr(words, '('));
}

Test(query_fts5, nothing_searchable_gives_zero_and_empty)
{
	cr_assert_eq(fts(""), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(fts("  !!! ** -- \"\" "), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(fts(NULL), 0);
	cr_assert_str_eq(out, "");
}

Test(query_fts5, keeps_letters_of_other_scripts)
{
	cr_assert_eq(fts("Café über Ελλάδα"), 3);
	cr_assert_str_eq(out, COLS "\"café\" \"über\" \"Ελλάδα\"*" ")");
}

Test(query_fts5, unicode_punctuation_and_spaces_separate)
{
	/* U+2019 right quote, U+00A0 no-break space, U+201C/D curly quotes. */
	cr_assert_eq(fts("don\u2019t\u00a0\u201cpanic\u201d"), 3);
	cr_assert_str_eq(out, COLS "\"don\" \"t\" \"panic\"*" ")");
}

Test(query_fts5, at_most_eight_words)
{
	cr_assert_eq(fts("one two three four five six seven eight nine ten"), SEARCH_MAX_WORDS);
	cr_assert_str_eq(out, COLS "\"one\" \"two\" \"three\" \"four\" \"five\" \"six\" \"seven\" \"eight\"*" ")");
}

Test(query_fts5, long_words_are_cut_on_a_character_boundary)
{
	char typed[200];
	memset(typed, 'a', 100);
	typed[100] = '\0';
	cr_assert_eq(fts(typed), 1);
	cr_assert_eq(strlen(out), strlen(COLS) + SEARCH_MAX_WORD_BYTES + 4);   /* quotes, star, ")" */
	/* 40 two-byte letters: the cut falls between characters. */
	typed[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(typed, "é");
	cr_assert_eq(fts(typed), 1);
	cr_assert_eq(strlen(out), strlen(COLS) + 2 * 32 + 4);
}

Test(query_fts5, broken_utf8_separates)
{
	cr_assert_eq(fts("ab\xff" "cd"), 2);
	cr_assert_str_eq(out, COLS "\"ab\" \"cd\"*" ")");
}

/* ---- PostgreSQL tsquery ----------------------------------------------------- */

Test(query_tsquery, ands_quoted_lexemes_and_prefixes_the_last)
{
	cr_assert_eq(tsq("men walking"), 2);
	cr_assert_str_eq(out, "'men' & 'walking':*");
	cr_assert_eq(tsq("Walk"), 1);
	cr_assert_str_eq(out, "'walk':*");
}

Test(query_tsquery, operators_and_quotes_never_pass_through)
{
	cr_assert_eq(tsq("a & b | !c <-> d:* 'e' \\f"), 6);
	cr_assert_str_eq(out, "'a' & 'b' & 'c' & 'd' & 'e' & 'f':*");
	cr_assert_eq(tsq("it's"), 2);
	cr_assert_str_eq(out, "'it' & 's':*");
}

Test(query_tsquery, sql_looking_text_is_only_words)
{
	cr_assert_eq(tsq("'); DROP TABLE peer_group; --"), 4);
	cr_assert_str_eq(out, "'drop' & 'table' & 'peer' & 'group':*");
}

Test(query_tsquery, nothing_searchable_gives_zero)
{
	cr_assert_eq(tsq("&|!():*"), 0);
	cr_assert_str_eq(out, "");
}

Test(query_tsquery, small_buffers_are_never_overrun)
{
	char tiny[8];
	memset(tiny, 'x', sizeof tiny);
	db_search_query(SEARCH_TSQUERY, "walking together", tiny, sizeof tiny);
	cr_assert_lt(strlen(tiny), sizeof tiny);
}

/* ---- against a real FTS5 index ---------------------------------------------- */

static db *g_db;

static void open_db(void)
{
	g_db = fixture_open_db("search");
}

static void close_db(void)
{
	fixture_close_db(g_db);
}

TestSuite(fts5_index, .init = open_db, .fini = close_db);

static int matches(const char *typed)
{
	char q[SEARCH_QUERY_MAX];
	if (db_search_query(SEARCH_FTS5, typed, q, sizeof q) == 0)
		return -1;
	db_stmt *st = db_prepare(g_db, "SELECT COUNT(*) FROM group_fts WHERE group_fts MATCH ?");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_text(st, 1, q);
	int rc = db_step(st);
	cr_assert_eq(rc, DB_ROW, "MATCH %s failed: %s", q, db_errmsg(g_db));
	int n = (int)db_col_int64(st, 0);
	db_reset(st);
	return n;
}

Test(fts5_index, finds_by_words_and_prefix_and_never_errors)
{
	cr_assert_eq(db_search_index_group(g_db, 1, "Thursday Walk and Talk",
		"A gentle walk for men", "Men who want company", "Heaton Park cafe"), 0);
	cr_assert_eq(db_search_index_group(g_db, 2, "Hearing Voices", "Peer support for voice "
		"hearers", "", "online"), 0);
	cr_assert_eq(matches("walk"), 1);
	cr_assert_eq(matches("wal"), 1);          /* prefix of the last word */
	cr_assert_eq(matches("men heaton"), 1);   /* words from different columns */
	cr_assert_eq(matches("voices online"), 1);
	cr_assert_eq(matches("walk voices"), 0);  /* every word must match */
	cr_assert_eq(matches("Café"), 1);         /* diacritics fold: "cafe" */
	cr_assert_eq(matches("garden"), 0);
	static const char *const hostile[] = {
		"\"", "name:walk", "walk*", "NEAR(walk talk)", "-walk", "^walk", "a AND", "OR",
		"(", "{name}: walk", "walk\"", "' OR 1=1 --", "*", "NOT walk",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		matches(hostile[i]);   /* each asserts the MATCH ran */
}

Test(fts5_index, reindexing_replaces_and_removing_forgets)
{
	cr_assert_eq(db_search_index_group(g_db, 7, "Old name", "purpose", "", ""), 0);
	cr_assert_eq(db_search_index_group(g_db, 7, "New name", "purpose", "", ""), 0);
	cr_assert_eq(matches("old"), 0);
	cr_assert_eq(matches("new"), 1);
	cr_assert_eq(db_search_remove_group(g_db, 7), 0);
	cr_assert_eq(matches("new"), 0);
}

/* Checks that hearth_bm25 gives, for every match of typed words, exactly
 * what FTS5's own bm25() gives (the same weights, the directory's query
 * shape); returns how many matched. */
static int ranks_as_bm25(const char *typed)
{
	char q[SEARCH_QUERY_MAX], match[SEARCH_QUERY_MAX + 64];
	cr_assert_gt(db_search_query(SEARCH_FTS5, typed, q, sizeof q), 0);
	snprintf(match, sizeof match, "(%s) NOT status : (paused OR closed)", q);
	db_stmt *st = db_prepare(g_db, "SELECT rowid, " SEARCH_RANK_FUNCTION "(group_fts, 10.0, 4.0, "
				       "4.0, 2.0, 0.0), bm25(group_fts, 10.0, 4.0, 4.0, 2.0, 0.0) "
				       "FROM group_fts WHERE group_fts MATCH ?");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_text(st, 1, match);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		double ours = db_col_double(st, 1), theirs = db_col_double(st, 2);
		cr_assert(ours == theirs, "\"%s\", group %lld: %.17g, bm25() %.17g", typed,
			  (long long)db_col_int64(st, 0), ours, theirs);
		n++;
	}
	cr_assert_eq(rc, DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return n;
}

static void index_group(int64_t id, const char *name, const char *purpose, const char *who_for)
{
	cr_assert_eq(db_search_index_group(g_db, id, name, purpose, who_for, "Leeds"), 0, "%s",
		     db_errmsg(g_db));
}

Test(fts5_index, rank_is_bm25_with_the_lengths_kept)
{
	int64_t walkers = fixture_add_group(g_db, "Walkers", "open", "active");
	index_group(walkers, "Walk and talk", "A walk", "");
	index_group(101, "Walking group", "We walk, we talk, we walk again along the canal "
		    "and back to the cafe for tea", "Anyone who likes to walk");
	index_group(102, "Parents together", "Support for parents", "Parents of young children");
	index_group(103, "Talk it through", "A talking group; no walk", "Men");
	index_group(104, "Quiet garden", "Gardening and a walk round the park", "");
	cr_assert_eq(ranks_as_bm25("walk"), 4);
	cr_assert_eq(ranks_as_bm25("walk talk"), 3);
	cr_assert_eq(ranks_as_bm25("parents"), 1);
	cr_assert_eq(ranks_as_bm25("wal"), 4);    /* the last word as a prefix */

	/* The index changes: the lengths are read again. */
	index_group(102, "Parents and walkers", "Support for parents, with a walk every week, "
		    "whatever the weather, and a long talk after it", "Parents");
	cr_assert_eq(ranks_as_bm25("walk"), 5);
	cr_assert_eq(db_search_remove_group(g_db, 101), 0);
	cr_assert_eq(ranks_as_bm25("walk"), 4);
	cr_assert_eq(ranks_as_bm25("walk talk"), 3);

	/* A group's status changed by hand: the trigger counts it too. (Its
	 * row first loses its status, a change counted by hand, so that the
	 * new status changes the row's length.) */
	cr_assert_eq(db_exec(g_db, "UPDATE group_fts SET status = NULL"), 0);
	cr_assert_eq(db_exec(g_db, "UPDATE search_index_state SET version = version + 1"), 0);
	cr_assert_eq(ranks_as_bm25("walk"), 4);
	cr_assert_eq(db_exec(g_db, "UPDATE peer_group SET status = 'forming'"), 0);
	cr_assert_eq(ranks_as_bm25("walk"), 4);

	/* A row written behind the store's back has its length looked up. */
	cr_assert_eq(db_exec(g_db, "INSERT INTO group_fts (rowid, name, purpose, who_for, place, status) "
				   "VALUES (105, 'Walk', 'walk walk', '', '', 'active')"), 0);
	cr_assert_eq(ranks_as_bm25("walk"), 5);
}

/* ---- distances ------------------------------------------------------------- */

struct city { const char *name; double lat, lon; };
static const struct city london = { "London", 51.5074, -0.1278 };
static const struct city paris = { "Paris", 48.8566, 2.3522 };
static const struct city manchester = { "Manchester", 53.4808, -2.2426 };
static const struct city liverpool = { "Liverpool", 53.4084, -2.9916 };
static const struct city new_york = { "New York", 40.7128, -74.0060 };
static const struct city sydney = { "Sydney", -33.8688, 151.2093 };
static const struct city melbourne = { "Melbourne", -37.8136, 144.9631 };

static void assert_km(const struct city *a, const struct city *b, double expected)
{
	double km = search_distance_km(a->lat, a->lon, b->lat, b->lon);
	cr_assert(fabs(km - expected) <= expected * 0.005,
		  "%s to %s: %.1f km, expected about %.1f", a->name, b->name, km, expected);
	double back = search_distance_km(b->lat, b->lon, a->lat, a->lon);
	cr_assert_float_eq(km, back, 1e-9, "distance is symmetric");
}

Test(distance, known_city_pairs)
{
	assert_km(&london, &paris, 343.5);
	assert_km(&manchester, &liverpool, 50.1);
	assert_km(&london, &manchester, 262.0);
	assert_km(&london, &new_york, 5570.2);
	assert_km(&sydney, &melbourne, 713.4);
}

Test(distance, same_point_and_antipodes)
{
	cr_assert_float_eq(search_distance_km(10, 20, 10, 20), 0.0, 1e-9);
	double half = M_PI * SEARCH_EARTH_RADIUS_KM;
	cr_assert_float_eq(search_distance_km(0, 0, 0, 180), half, 1e-6);
	cr_assert_float_eq(search_distance_km(90, 0, -90, 0), half, 1e-6);
}

Test(distance, across_the_180th_meridian)
{
	/* 179.5 E to 179.5 W on the equator: one degree, about 111.2 km. */
	cr_assert(fabs(search_distance_km(0, 179.5, 0, -179.5) - 111.2) < 0.2);
}

/* The point at distance km along bearing (degrees) from (lat, lon). */
static void destination(double lat, double lon, double bearing, double km, double *rlat, double *rlon)
{
	double d = km / SEARCH_EARTH_RADIUS_KM, b = bearing * M_PI / 180;
	double p1 = lat * M_PI / 180, l1 = lon * M_PI / 180;
	double p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(b));
	double l2 = l1 + atan2(sin(b) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2));
	*rlat = p2 * 180 / M_PI;
	*rlon = fmod(l2 * 180 / M_PI + 540, 360) - 180;
}

/* Every point just inside the circle is inside the box. */
static void assert_box_holds_circle(double lat, double lon, double km)
{
	struct search_box box;
	search_box_around(lat, lon, km, &box);
	for (int bearing = 0; bearing < 360; bearing += 3) {
		double plat, plon;
		destination(lat, lon, bearing, km * 0.999, &plat, &plon);
		cr_assert(search_box_holds(&box, plat, plon),
			  "(%g, %g) r=%g: point at bearing %d (%g, %g) is outside the box "
			  "[%g..%g] x [%g..%g]%s", lat, lon, km, bearing, plat, plon, box.min_lat,
			  box.max_lat, box.min_lon, box.max_lon, box.all_longitudes ? " (all lon)" : "");
	}
}

Test(bounding_box, holds_every_point_of_the_circle)
{
	assert_box_holds_circle(manchester.lat, manchester.lon, 10);
	assert_box_holds_circle(manchester.lat, manchester.lon, 500);
	assert_box_holds_circle(0, 0, 100);
	assert_box_holds_circle(-33.8688, 151.2093, 250);
	assert_box_holds_circle(70, 25, 400);       /* far north: wide in longitude */
	assert_box_holds_circle(0, 179.9, 50);      /* at the 180th meridian */
	assert_box_holds_circle(89.5, 0, 100);      /* the pole is inside */
}

Test(bounding_box, is_tight_where_it_can_be)
{
	struct search_box box;
	search_box_around(manchester.lat, manchester.lon, 10, &box);
	cr_assert(!box.all_longitudes);
	double dlat = (box.max_lat - box.min_lat) / 2;
	cr_assert(fabs(dlat - 10 / 111.195) < 0.001, "half height %g degrees", dlat);
	/* Longitude degrees are shorter at 53 N: the box is wider than tall. */
	cr_assert_gt(box.max_lon - box.min_lon, box.max_lat - box.min_lat);
	/* Liverpool is 50 km away: outside a 10 km box, inside a 60 km one. */
	cr_assert(!search_box_holds(&box, liverpool.lat, liverpool.lon));
	search_box_around(manchester.lat, manchester.lon, 60, &box);
	cr_assert(search_box_holds(&box, liverpool.lat, liverpool.lon));
}

Test(bounding_box, pole_and_meridian_fall_back_to_latitude_only)
{
	struct search_box box;
	search_box_around(89.9, 10, 50, &box);
	cr_assert(box.all_longitudes);
	cr_assert_float_eq(box.max_lat, 90.0, 1e-9);
	search_box_around(0, -179.95, 20, &box);
	cr_assert(box.all_longitudes);
	cr_assert(search_box_holds(&box, 0, 179.99));
}

/* ---- the search cache (src/app/search_cache.c) ---------------------------------- */

#include "app/search_cache.h"

static struct search_answer answer_of(int64_t first, size_t n, int64_t total)
{
	struct search_answer a = { .n = n, .total = total };
	for (size_t i = 0; i < n; i++) {
		a.ids[i] = first + (int64_t)i;
		a.km[i] = (double)i / 2;
	}
	return a;
}

Test(search_cache, answers_the_same_question_at_the_same_generation)
{
	search_cache_clear();
	struct search_answer kept = answer_of(100, 3, 42), got;
	cr_assert_not(search_cache_get("text5:group", 7, &got), "nothing kept yet");
	search_cache_put("text5:group", 7, &kept);
	cr_assert(search_cache_get("text5:group", 7, &got));
	cr_assert_eq(got.n, 3);
	cr_assert_eq(got.total, 42);
	cr_assert_eq(got.ids[2], 102);
	cr_assert(got.km[1] == 0.5);
	cr_assert_not(search_cache_get("text5:group", 8, &got), "a change outdates it");
	cr_assert_not(search_cache_get("text5:grouq", 7, &got), "another question");
}

Test(search_cache, an_older_answer_never_replaces_a_newer_one)
{
	search_cache_clear();
	struct search_answer newer = answer_of(1, 1, 1), older = answer_of(9, 2, 2), got;
	search_cache_put("page=1", 5, &newer);
	search_cache_put("page=1", 4, &older);   /* a slower worker's, from before a change */
	cr_assert(search_cache_get("page=1", 5, &got));
	cr_assert_eq(got.ids[0], 1);
	cr_assert_not(search_cache_get("page=1", 4, &got));
	search_cache_put("page=1", 6, &older);
	cr_assert(search_cache_get("page=1", 6, &got));
	cr_assert_eq(got.total, 2);
}

Test(search_cache, does_not_keep_overlong_questions)
{
	search_cache_clear();
	char question[SEARCH_CACHE_KEY_MAX + 10];
	memset(question, 'q', sizeof question - 1);
	question[sizeof question - 1] = '\0';
	struct search_answer a = answer_of(1, 1, 1), got;
	search_cache_put(question, 1, &a);
	cr_assert_not(search_cache_get(question, 1, &got));
	uint64_t hits, misses;
	search_cache_counts(&hits, &misses);
	cr_assert_geq(misses, 1);
}
