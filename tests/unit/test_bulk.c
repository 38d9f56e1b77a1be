/* test_bulk.c - bulk loading (db_bulk in src/store/db.h) on both backends.
 *
 * Each BULK_TEST is written once, as a function of a db *, and runs in suite
 * "sqlite" (prepared INSERTs) on a fresh migrated file (fixture.c) and in
 * suite "postgres" (COPY) on the server named by HEARTH_TEST_PG_URL, inside
 * a schema of its own; without HEARTH_TEST_PG_URL those are skipped. */
#include <criterion/criterion.h>

#include "fixture.h"
#include "store/db.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixtures --------------------------------------------------------------- */

static db *g_db;
static char g_schema[64];

static void exec_ok(db *d, const char *sql)
{
	cr_assert_eq(db_exec_script(d, sql), 0, "%s: %s", sql, db_errmsg(d));
}

/* The tables every test uses: items, and notes that refer to them. */
static db *with_tables(db *d)
{
	exec_ok(d, "CREATE TABLE item (id BIGINT PRIMARY KEY, n BIGINT, s TEXT, "
		   "x DOUBLE PRECISION, flag INTEGER)");
	exec_ok(d, "CREATE TABLE note (item_id BIGINT NOT NULL REFERENCES item (id), body TEXT)");
	return d;
}

static db *setup_sqlite(void)
{
	g_db = fixture_open_db("bulk");
	return with_tables(g_db);
}

static db *setup_postgres(void)
{
	const char *url = getenv("HEARTH_TEST_PG_URL");
	if (!url || !*url)
		cr_skip_test("HEARTH_TEST_PG_URL is not set");
	herr e = { 0 };
	g_db = db_open(url, &e);
	cr_assert_not_null(g_db, "db_open: %s", e.message);
	snprintf(g_schema, sizeof g_schema, "hearth_test_bulk_%ld_%u", (long)getpid(),
		 (unsigned)rand());
	char sql[200];
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s; SET search_path TO %s", g_schema, g_schema);
	exec_ok(g_db, sql);
	return with_tables(g_db);
}

static void teardown(void)
{
	if (!g_db)
		return;
	db_rollback(g_db);
	if (db_backend_of(g_db) == DB_SQLITE) {
		fixture_close_db(g_db);
	} else {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", g_schema);
		db_exec_script(g_db, sql);
		db_close(g_db);
	}
	g_db = NULL;
}

#define BULK_TEST(name)                                                    \
	static void name(db *d);                                           \
	Test(sqlite, name, .fini = teardown) { name(setup_sqlite()); }     \
	Test(postgres, name, .fini = teardown) { name(setup_postgres()); } \
	static void name(db *d)

/* ---- helpers ---------------------------------------------------------------- */

static int64_t count_of(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	cr_assert_not_null(st, "%s", db_errmsg(d));
	int rc = db_step(st);
	cr_assert_eq(rc, DB_ROW, "%s: %s", sql, db_errmsg(d));
	int64_t n = db_col_int64(st, 0);
	db_reset(st);
	return n;
}

static db_bulk *items_bulk(db *d)
{
	db_bulk *b = db_bulk_begin(d, "item", "id, n, s, x, flag");
	cr_assert_not_null(b, "%s", db_errmsg(d));
	return b;
}

/* One item row; returns db_bulk_row_end's answer. */
static int add_item(db_bulk *b, int64_t id, const char *s)
{
	db_bulk_int64(b, id);
	db_bulk_int64(b, id * 10);
	db_bulk_text(b, s);
	db_bulk_double(b, (double)id / 4);
	db_bulk_bool(b, id % 2);
	return db_bulk_row_end(b);
}

static void assert_contains(const char *text, const char *part)
{
	cr_assert_not_null(strstr(text, part), "\"%s\" in \"%s\"", part, text);
}

/* ---- values ----------------------------------------------------------------- */

static const char *const awkward[] = {
	"tab\there", "two\nlines", "back\\slash", "carriage\rreturn", "\\N", "\\.", "",
	"caf\xc3\xa9 \xe2\x98\x95 \xe6\x97\xa5\xe6\x9c\xac", "ends with a backslash\\",
	"\t\n\\\r",
};
#define N_AWKWARD (sizeof awkward / sizeof awkward[0])

BULK_TEST(text_numbers_and_nulls_arrive_unchanged)
{
	db_bulk *b = items_bulk(d);
	for (size_t i = 0; i < N_AWKWARD; i++)
		cr_assert_eq(add_item(b, (int64_t)i + 1, awkward[i]), 0, "%s", db_errmsg(d));
	db_bulk_int64(b, INT64_MAX);
	db_bulk_int64(b, INT64_MIN);
	db_bulk_null(b);
	db_bulk_double(b, -1.0e300);
	db_bulk_null(b);
	cr_assert_eq(db_bulk_row_end(b), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_bulk_finish(b), 0, "%s", db_errmsg(d));

	db_stmt *st = db_prepare(d, "SELECT id, n, s, x, flag FROM item ORDER BY id");
	for (size_t i = 0; i < N_AWKWARD; i++) {
		cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
		int64_t id = (int64_t)i + 1;
		cr_assert_eq(db_col_int64(st, 0), id);
		cr_assert_eq(db_col_int64(st, 1), id * 10);
		cr_assert_str_eq(db_col_text(st, 2), awkward[i]);
		cr_assert_eq(db_col_double(st, 3), (double)id / 4);
		cr_assert_eq(db_col_int64(st, 4), id % 2);
	}
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), INT64_MAX);
	cr_assert_eq(db_col_int64(st, 1), INT64_MIN);
	cr_assert(db_col_is_null(st, 2));
	cr_assert_eq(db_col_double(st, 3), -1.0e300);
	cr_assert(db_col_is_null(st, 4));
	cr_assert_eq(db_step(st), DB_DONE);
	db_reset(st);
}

/* More rows than one send holds (about a megabyte): all arrive, in order. */
BULK_TEST(many_rows_arrive_in_several_sends)
{
	char text[120];
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	db_bulk *b = items_bulk(d);
	for (int64_t id = 1; id <= 20000; id++)
		cr_assert_eq(add_item(b, id, text), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_bulk_finish(b), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 20000);
	cr_assert_eq(count_of(d, "SELECT SUM(n) FROM item"), 10LL * 20000 * 20001 / 2);
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item WHERE LENGTH(s) = 119"), 20000);
}

/* ---- order and visibility ------------------------------------------------------ */

BULK_TEST(other_statements_see_rows_not_yet_finished)
{
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	db_bulk *b = items_bulk(d);
	for (int64_t id = 1; id <= 3; id++)
		cr_assert_eq(add_item(b, id, "seen"), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item WHERE s = 'seen'"), 3);
	cr_assert_eq(add_item(b, 4, "seen"), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 4, "the commit sent the last row");
	cr_assert_eq(db_bulk_finish(b), 0, "%s", db_errmsg(d));
}

/* Children added before their parents were sent still find them, when the
 * parents' bulk was begun first. */
BULK_TEST(parents_bulk_begun_first_goes_first)
{
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	db_bulk *items = items_bulk(d);
	db_bulk *notes = db_bulk_begin(d, "note", "item_id, body");
	cr_assert_not_null(notes, "%s", db_errmsg(d));
	for (int64_t id = 1; id <= 50; id++) {
		cr_assert_eq(add_item(items, id, "parent"), 0, "%s", db_errmsg(d));
		db_bulk_int64(notes, id);
		db_bulk_text(notes, "child");
		cr_assert_eq(db_bulk_row_end(notes), 0, "%s", db_errmsg(d));
	}
	cr_assert_eq(db_bulk_finish(notes), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_bulk_finish(items), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM note"), 50);
}

BULK_TEST(rollback_forgets_unsent_rows_and_the_bulk_goes_on)
{
	db_bulk *b = items_bulk(d);
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(add_item(b, 1, "gone"), 0, "%s", db_errmsg(d));
	db_bulk_int64(b, 2);   /* half a row */
	cr_assert_eq(db_rollback(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 0);
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(add_item(b, 3, "kept"), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_bulk_finish(b), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item WHERE id = 3 AND s = 'kept'"), 1);
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 1);
}

/* ---- refusals ------------------------------------------------------------------ */

/* A duplicate key is refused with the database's own words, and the
 * transaction, rows before the bad one included, is rolled back. */
BULK_TEST(refused_row_fails_the_transaction_with_the_database_message)
{
	exec_ok(d, "INSERT INTO item (id, s) VALUES (7, 'already here')");
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	db_bulk *b = items_bulk(d);
	int rc = 0;
	for (int64_t id = 1; id <= 10 && rc == 0; id++)
		rc = add_item(b, id, "new");
	if (rc == 0)
		rc = db_bulk_finish(b);   /* PostgreSQL hears of it here */
	else
		db_bulk_finish(b);
	cr_assert_eq(rc, ERR_CONFLICT, "rc %d: %s", rc, db_errmsg(d));
	const char *why = db_errmsg(d);
	cr_assert(strstr(why, "UNIQUE") || strstr(why, "duplicate key"), "%s", why);
	cr_assert_lt(db_commit(d), 0, "the commit refuses a failed transaction");
	cr_assert_not(db_in_transaction(d));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 1, "nothing changed");
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item WHERE s = 'already here'"), 1);
}

/* A refusal found when a later statement sends the rows fails that
 * statement, with the database's message. */
BULK_TEST(refusal_reported_by_the_next_statement)
{
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	db_bulk *notes = db_bulk_begin(d, "note", "item_id, body");
	cr_assert_not_null(notes, "%s", db_errmsg(d));
	db_bulk_int64(notes, 404);
	db_bulk_text(notes, "no such item");
	int rc = db_bulk_row_end(notes);
	if (rc == 0) {
		db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM note");
		rc = db_step(st);
		db_reset(st);
	}
	cr_assert_eq(rc, ERR_CONFLICT, "rc %d: %s", rc, db_errmsg(d));
	assert_contains(db_errmsg(d), db_backend_of(d) == DB_SQLITE ? "FOREIGN KEY" : "note");
	db_bulk_finish(notes);
	cr_assert_lt(db_commit(d), 0);
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM note"), 0);
}

BULK_TEST(rows_must_have_one_value_per_column)
{
	db_bulk *b = items_bulk(d);
	db_bulk_int64(b, 1);
	db_bulk_int64(b, 2);
	cr_assert_eq(db_bulk_row_end(b), ERR_DB);
	assert_contains(db_errmsg(d), "2 of 5 values");
	cr_assert_eq(db_bulk_finish(b), ERR_DB, "the bulk stays failed");

	b = items_bulk(d);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(db_bulk_int64(b, i), 0);
	cr_assert_eq(db_bulk_text(b, "sixth"), ERR_DB);
	assert_contains(db_errmsg(d), "more than 5 values");
	cr_assert_eq(db_bulk_row_end(b), ERR_DB);
	db_bulk_finish(b);
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 0);
}

BULK_TEST(only_plain_names_are_taken)
{
	cr_assert_null(db_bulk_begin(d, "item; DROP TABLE item", "id"));
	assert_contains(db_errmsg(d), "table name");
	cr_assert_null(db_bulk_begin(d, "", "id"));
	cr_assert_null(db_bulk_begin(d, "item", "id) VALUES (1); --"));
	cr_assert_null(db_bulk_begin(d, "item", ""));
	cr_assert_null(db_bulk_begin(d, "item", "id,,n"));
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 0);
}

/* SQLite knows an unknown table when the INSERT is prepared; PostgreSQL
 * when the rows are sent. Either way it is an error naming it. */
BULK_TEST(unknown_table_is_an_error)
{
	db_bulk *b = db_bulk_begin(d, "nothing_here", "id");
	int rc = ERR_DB;
	if (b) {
		db_bulk_int64(b, 1);
		rc = db_bulk_row_end(b);
		if (rc == 0)
			rc = db_bulk_finish(b);
		else
			db_bulk_finish(b);
	}
	cr_assert_eq(rc, ERR_DB);
	assert_contains(db_errmsg(d), "nothing_here");
}

/* PostgreSQL checks types: text in a BIGINT column is refused by COPY. */
Test(postgres_only, value_that_does_not_fit_its_column_is_refused, .fini = teardown)
{
	db *d = setup_postgres();
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	db_bulk *b = db_bulk_begin(d, "item", "id, n");
	db_bulk_int64(b, 1);
	db_bulk_text(b, "eleven");
	cr_assert_eq(db_bulk_row_end(b), 0, "gathered, not yet sent");
	cr_assert_eq(db_bulk_finish(b), ERR_DB);
	assert_contains(db_errmsg(d), "bigint");
	cr_assert_lt(db_commit(d), 0);
	cr_assert_eq(count_of(d, "SELECT COUNT(*) FROM item"), 0);
}
