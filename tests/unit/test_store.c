/* test_store.c - the storage interface (src/store/db.h) on both backends.
 *
 * Each STORE_TEST is written once, as a function of a db *, and runs twice:
 * in suite "sqlite" on a fresh database file in a temporary directory, and in
 * suite "postgres" on the server named by HEARTH_TEST_PG_URL, inside a schema
 * of its own (tests run in parallel processes). Without HEARTH_TEST_PG_URL the
 * postgres variants are reported as skipped. Tests of one backend only are in
 * suites "sqlite_only" and "postgres_only"; "rewrite" needs no database. */
#include <criterion/criterion.h>

#include "base/buf.h"
#include "base/embedded.h"
#include "store/db.h"
#include "store/db_internal.h"
#include "store/stamp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixtures --------------------------------------------------------------- */

static enum db_backend g_backend;
static db *g_db;
static db *g_second;
static char g_dir[64];
static char g_path[128];
static char g_schema[64];

static db *open_or_fail(const char *url)
{
	herr e = { 0 };
	db *d = db_open(url, &e);
	cr_assert_not_null(d, "db_open: %s", e.message);
	return d;
}

static db *setup_sqlite(void)
{
	g_backend = DB_SQLITE;
	snprintf(g_dir, sizeof g_dir, "/tmp/hearth-test-store-XXXXXX");
	cr_assert_not_null(mkdtemp(g_dir));
	snprintf(g_path, sizeof g_path, "%s/test.db", g_dir);
	g_db = open_or_fail(g_path);
	return g_db;
}

static void use_test_schema(db *d)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SET search_path TO %s", g_schema);
	cr_assert_eq(db_exec_script(d, sql), 0, "%s", db_errmsg(d));
}

static db *setup_postgres(void)
{
	const char *url = getenv("HEARTH_TEST_PG_URL");
	if (!url || !*url)
		cr_skip_test("HEARTH_TEST_PG_URL is not set");
	g_backend = DB_POSTGRES;
	g_db = open_or_fail(url);
	snprintf(g_schema, sizeof g_schema, "hearth_test_%ld_%u", (long)getpid(),
		 (unsigned)rand());
	char sql[160];
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", g_schema);
	cr_assert_eq(db_exec_script(g_db, sql), 0, "%s", db_errmsg(g_db));
	use_test_schema(g_db);
	return g_db;
}

/* Another connection to the same database, closed by teardown. */
static db *open_second(void)
{
	cr_assert_null(g_second);
	if (g_backend == DB_SQLITE) {
		g_second = open_or_fail(g_path);
	} else {
		g_second = open_or_fail(getenv("HEARTH_TEST_PG_URL"));
		use_test_schema(g_second);
	}
	return g_second;
}

static void remove_sqlite_files(void)
{
	static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
	char path[160];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(path, sizeof path, "%s%s", g_path, suffixes[i]);
		unlink(path);
	}
	rmdir(g_dir);
}

static void teardown(void)
{
	db_close(g_second);
	g_second = NULL;
	if (!g_db)
		return;
	db_rollback(g_db);
	if (g_backend == DB_POSTGRES) {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", g_schema);
		db_exec_script(g_db, sql);
	}
	db_close(g_db);
	g_db = NULL;
	if (g_backend == DB_SQLITE)
		remove_sqlite_files();
}

#define STORE_TEST(name)                                                   \
	static void name(db *d);                                           \
	Test(sqlite, name, .fini = teardown) { name(setup_sqlite()); }     \
	Test(postgres, name, .fini = teardown) { name(setup_postgres()); } \
	static void name(db *d)

/* ---- helpers ---------------------------------------------------------------- */

static void make_items(db *d)
{
	int rc = db_exec_script(d, "CREATE TABLE item (id BIGINT PRIMARY KEY, n BIGINT, s TEXT, "
				   "x DOUBLE PRECISION, flag INTEGER)");
	cr_assert_eq(rc, 0, "%s", db_errmsg(d));
}

static int insert_item(db *d, int64_t id, const char *s)
{
	db_stmt *st = db_prepare(d, "INSERT INTO item (id, s) VALUES (?, ?)");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, s);
	int rc = db_step(st);
	db_reset(st);
	return rc;
}

static int64_t count_rows(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	cr_assert_not_null(st, "%s", db_errmsg(d));
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	int64_t n = db_col_int64(st, 0);
	cr_assert_eq(db_step(st), DB_DONE);
	db_reset(st);
	return n;
}

static int64_t count_items(db *d)
{
	return count_rows(d, "SELECT COUNT(*) FROM item");
}

static void migrate_or_fail(db *d)
{
	herr e = { 0 };
	int rc = db_migrate(d, &e);
	cr_assert_geq(rc, 0, "db_migrate: %s", e.message);
}

static int insert_person(db *d, int64_t id, const char *email, const char *name)
{
	db_stmt *st = db_prepare(d, "INSERT INTO person (id, email, display_name, created_at, "
				    "updated_at) VALUES (?, ?, ?, ?, ?)");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, name);
	db_bind_int64(st, 4, 1700000000000);
	db_bind_int64(st, 5, 1700000000000);
	int rc = db_step(st);
	db_reset(st);
	return rc;
}

static int newest_migration_number(void)
{
	cr_assert_gt(hearth_migrations_count, 0);
	return atoi(hearth_migrations[hearth_migrations_count - 1].name);
}

/* ---- connection ---------------------------------------------------------------- */

Test(rewrite, url_decides_backend)
{
	cr_assert(db_url_is_postgres("postgresql://u@h/db"));
	cr_assert(db_url_is_postgres("postgres://u@h/db"));
	cr_assert(db_url_is_postgres("postgresql:///db?host=/run/postgresql"));
	cr_assert_not(db_url_is_postgres("/var/lib/hearth/hearth.db"));
	cr_assert_not(db_url_is_postgres("file:hearth.db?mode=rwc"));
	cr_assert_not(db_url_is_postgres("postgresql.db"));
	cr_assert_not(db_url_is_postgres(NULL));
}

Test(rewrite, bad_sqlite_path_fails_with_message)
{
	herr e = { 0 };
	db *d = db_open("/nonexistent-dir/for/sure/hearth.db", &e);
	cr_assert_null(d);
	cr_assert_eq(e.code, ERR_DB);
	cr_assert_neq(e.message[0], '\0');
}

STORE_TEST(open_ping_close)
{
	cr_assert_eq(db_backend_of(d), g_backend);
	cr_assert_str_eq(db_backend_name(d), g_backend == DB_SQLITE ? "sqlite" : "postgres");
	cr_assert_eq(db_ping(d), 0, "%s", db_errmsg(d));
	cr_assert_not(db_in_transaction(d));
	cr_assert_not_null(db_errmsg(d));
}

/* ---- migrations ---------------------------------------------------------------- */

STORE_TEST(migrate_applies_once)
{
	cr_assert_eq(db_schema_version(d), 0);
	herr e = { 0 };
	int applied = db_migrate(d, &e);
	cr_assert_eq(applied, db_migrations_known(), "db_migrate: %d %s", applied, e.message);
	cr_assert_geq(applied, 1);
	cr_assert_eq(db_schema_version(d), newest_migration_number());

	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.message);
	cr_assert_eq(db_schema_version(d), newest_migration_number());
	cr_assert_eq(db_migrate(open_second(), &e), 0, "%s", e.message);

	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM schema_migration"), applied);
	cr_assert_eq(insert_person(d, 1, "a@example.org", "A"), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(db_exec(d, "INSERT INTO settings (key, value) VALUES ('k', 'v')"), 0,
		     "%s", db_errmsg(d));
}

struct migrator {
	db *d;
	int applied;
	herr e;
};

static void *migrate_in_thread(void *arg)
{
	struct migrator *m = arg;
	m->applied = db_migrate(m->d, &m->e);
	return NULL;
}

/* Two processes starting at once (web nodes sharing one PostgreSQL) must
 * apply each migration exactly once between them. */
STORE_TEST(concurrent_migrations_apply_once)
{
	struct migrator a = { .d = d }, b = { .d = open_second() };
	pthread_t ta, tb;
	cr_assert_eq(pthread_create(&ta, NULL, migrate_in_thread, &a), 0);
	cr_assert_eq(pthread_create(&tb, NULL, migrate_in_thread, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	cr_assert_geq(a.applied, 0, "%s", a.e.message);
	cr_assert_geq(b.applied, 0, "%s", b.e.message);
	cr_assert_eq(a.applied + b.applied, db_migrations_known());
	cr_assert_eq(db_schema_version(d), newest_migration_number());
}

STORE_TEST(migrate_refuses_newer_schema)
{
	migrate_or_fail(d);
	cr_assert_eq(db_exec(d, "INSERT INTO schema_migration (version, name, applied_at) "
				"VALUES (9999, '9999_future.sql', 0)"), 0, "%s", db_errmsg(d));
	herr e = { 0 };
	cr_assert_lt(db_migrate(d, &e), 0);
	cr_assert(strstr(e.message, "9999"), "%s", e.message);
}

#define FILE_OF(name, sql) { name, (const unsigned char *)(sql), sizeof(sql) - 1 }

STORE_TEST(failed_migration_rolls_back_and_names_file)
{
	static const struct embedded_file broken[] = {
		FILE_OF("0001_first.sql", "CREATE TABLE first (id BIGINT PRIMARY KEY);"),
		FILE_OF("0002_broken.sql", "CREATE TABLE second (id BIGINT PRIMARY KEY);\n"
					   "CREATE TABLE oops this is not sql;"),
		{ 0, 0, 0 },
	};
	static const struct embedded_file fixed[] = {
		FILE_OF("0001_first.sql", "CREATE TABLE first (id BIGINT PRIMARY KEY);"),
		FILE_OF("0002_fixed.sql", "CREATE TABLE second (id BIGINT PRIMARY KEY);"),
		{ 0, 0, 0 },
	};
	herr e = { 0 };
	int rc = db_migrate_files(d, broken, &e);
	cr_assert_eq(rc, ERR_DB, "rc %d", rc);
	cr_assert(strstr(e.message, "0002_broken.sql"), "%s", e.message);
	cr_assert_eq(db_schema_version(d), 1);
	cr_assert_not(db_in_transaction(d));
	cr_assert_null(db_prepare(d, "SELECT id FROM second"));

	cr_assert_eq(db_migrate_files(d, fixed, &e), 1, "%s", e.message);
	cr_assert_eq(db_schema_version(d), 2);
	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM second"), 0);
}

STORE_TEST(migration_names_must_be_numbered_in_order)
{
	static const struct embedded_file unnumbered[] = {
		FILE_OF("accounts.sql", "SELECT 1;"), { 0, 0, 0 },
	};
	static const struct embedded_file unordered[] = {
		FILE_OF("0002_b.sql", "SELECT 1;"), FILE_OF("0001_a.sql", "SELECT 1;"), { 0, 0, 0 },
	};
	herr e = { 0 };
	cr_assert_eq(db_migrate_files(d, unnumbered, &e), ERR_INTERNAL);
	cr_assert(strstr(e.message, "accounts.sql"), "%s", e.message);
	cr_assert_eq(db_migrate_files(d, unordered, &e), ERR_INTERNAL);
	cr_assert_eq(db_schema_version(d), 0);
}

/* ---- values ---------------------------------------------------------------------- */

/* The count of writes this process committed, which lets a cache ask the
 * database's change stamp less often (store/stamp.h). */
STORE_TEST(local_writes_count_committed_writes_only)
{
	make_items(d);
	uint64_t n = db_local_writes();
	cr_assert_eq(insert_item(d, 1, "one"), DB_DONE, "%s", db_errmsg(d));
	cr_expect_eq(db_local_writes(), n + 1, "a write outside a transaction counts at once");

	n = db_local_writes();
	cr_expect_eq(count_items(d), 1);
	cr_expect_eq(db_local_writes(), n, "a SELECT is not a write");
	cr_assert_eq(db_begin_read(d), 0, "%s", db_errmsg(d));
	cr_expect_eq(count_items(d), 1);
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_expect_eq(db_local_writes(), n, "nor is a read transaction");

	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(insert_item(d, 2, "two"), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(insert_item(d, 3, "three"), DB_DONE, "%s", db_errmsg(d));
	cr_expect_eq(db_local_writes(), n, "not until the commit");
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_expect_eq(db_local_writes(), n + 1, "a write transaction counts once, at its commit");

	n = db_local_writes();
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(insert_item(d, 4, "four"), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(db_rollback(d), 0, "%s", db_errmsg(d));
	cr_expect_eq(db_local_writes(), n, "a rolled-back one does not");
	cr_expect_eq(count_items(d), 3);
}

STORE_TEST(int64_round_trip)
{
	static const int64_t values[] = {
		0, 1, -1, (INT64_C(1) << 53) + 1, -(INT64_C(1) << 53) - 3,
		INT64_C(1) << 62, INT64_MAX, INT64_MIN,
	};
	make_items(d);
	size_t n = sizeof values / sizeof values[0];
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(d, "INSERT INTO item (id, n) VALUES (?, ?)");
		cr_assert_eq(db_bind_int64(st, 1, values[i] ^ 0x5555), 0);
		cr_assert_eq(db_bind_int64(st, 2, values[i]), 0);
		cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
		db_reset(st);
	}
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(d, "SELECT id, n FROM item WHERE id = ?");
		db_bind_int64(st, 1, values[i] ^ 0x5555);
		cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
		cr_assert_eq(db_col_int64(st, 0), values[i] ^ 0x5555);
		cr_assert_eq(db_col_int64(st, 1), values[i], "%lld", (long long)values[i]);
		db_reset(st);
	}
	db_stmt *st = db_prepare(d, "SELECT ?");
	db_bind_int64(st, 1, (INT64_C(1) << 53) + 1);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert_eq(db_col_int64(st, 0), (INT64_C(1) << 53) + 1);
	db_reset(st);
}

STORE_TEST(text_round_trip)
{
	static const char *texts[] = {
		"plain", "it's \"quoted\" ''", "Zoë — 日本語 🔥", "what? ?? ?1 $1", "",
		"-- not a comment", "/* nor this */", "back\\slash \\'", "semi; colon",
	};
	make_items(d);
	size_t n = sizeof texts / sizeof texts[0];
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(insert_item(d, (int64_t)i, texts[i]), DB_DONE, "%s", db_errmsg(d));
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(d, "SELECT s, id FROM item WHERE s = ?");
		db_bind_text(st, 1, texts[i]);
		cr_assert_eq(db_step(st), DB_ROW, "%s: %s", texts[i], db_errmsg(d));
		cr_assert_not(db_col_is_null(st, 0));
		cr_assert_str_eq(db_col_text(st, 0), texts[i]);
		cr_assert_eq(db_col_int64(st, 1), (int64_t)i);
		cr_assert_eq(db_step(st), DB_DONE);
		db_reset(st);
	}

	db_stmt *st = db_prepare(d, "INSERT INTO item (id, s) VALUES (?, 'why? it''s ?')");
	db_bind_int64(st, 1, 100);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);
	st = db_prepare(d, "SELECT id FROM item WHERE s = 'why? it''s ?' AND id = ?");
	db_bind_int64(st, 1, 100);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	db_reset(st);

	st = db_prepare(d, "SELECT ?");
	cr_assert_eq(db_bind_textn(st, 1, "abcdef", 3), 0);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert_str_eq(db_col_text(st, 0), "abc");
	db_reset(st);
}

STORE_TEST(placeholders_in_literals_are_not_parameters)
{
	db_stmt *st = db_prepare(d,
		"SELECT '?' AS a, ? AS b, 'it''s ?' AS c, \"q?\" /* ? */ -- what?\n"
		"FROM (SELECT ? AS \"q?\") AS sub");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	cr_assert_eq(db_bind_text(st, 1, "one"), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_bind_text(st, 2, "two"), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert_eq(db_column_count(st), 4);
	cr_assert_str_eq(db_col_text(st, 0), "?");
	cr_assert_str_eq(db_col_text(st, 1), "one");
	cr_assert_str_eq(db_col_text(st, 2), "it's ?");
	cr_assert_str_eq(db_col_text(st, 3), "two");
	db_reset(st);
}

STORE_TEST(nulls_read_as_null_zero_or_false)
{
	make_items(d);
	db_stmt *st = db_prepare(d, "INSERT INTO item (id, n, s, x, flag) VALUES (?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, 1);
	cr_assert_eq(db_bind_null(st, 2), 0);
	cr_assert_eq(db_bind_text(st, 3, NULL), 0);
	/* 4 and 5 are left unbound: NULL too */
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);

	st = db_prepare(d, "SELECT n, s, x, flag FROM item WHERE id = 1");
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	for (int col = 0; col < 4; col++)
		cr_assert(db_col_is_null(st, col), "column %d", col);
	cr_assert_eq(db_col_int64(st, 0), 0);
	cr_assert_null(db_col_text(st, 1));
	cr_assert_eq(db_col_double(st, 2), 0.0);
	cr_assert_not(db_col_bool(st, 3));
	db_reset(st);
	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM item WHERE s IS NULL"), 1);
}

STORE_TEST(doubles_round_trip_exactly)
{
	static const double values[] = {
		0.0, 0.1, -2.5, 1.0 / 3.0, 3.141592653589793, 1e300, -1e-300, 123456789.123456789,
	};
	make_items(d);
	size_t n = sizeof values / sizeof values[0];
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(d, "INSERT INTO item (id, x) VALUES (?, ?)");
		db_bind_int64(st, 1, (int64_t)i);
		cr_assert_eq(db_bind_double(st, 2, values[i]), 0);
		cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
		db_reset(st);
	}
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(d, "SELECT x FROM item WHERE id = ?");
		db_bind_int64(st, 1, (int64_t)i);
		cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
		cr_assert_eq(db_col_double(st, 0), values[i], "%.17g != %.17g",
			     db_col_double(st, 0), values[i]);
		db_reset(st);
	}
	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM item WHERE x > 0.5"), 3);
}

STORE_TEST(bools_as_integers)
{
	make_items(d);
	for (int i = 0; i < 2; i++) {
		db_stmt *st = db_prepare(d, "INSERT INTO item (id, flag) VALUES (?, ?)");
		db_bind_int64(st, 1, i);
		cr_assert_eq(db_bind_bool(st, 2, i == 1), 0);
		cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
		db_reset(st);
	}
	db_stmt *st = db_prepare(d, "SELECT flag FROM item ORDER BY id");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_not(db_col_bool(st, 0));
	cr_assert_eq(db_col_int64(st, 0), 0);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert(db_col_bool(st, 0));
	cr_assert_eq(db_col_int64(st, 0), 1);
	db_reset(st);

	st = db_prepare(d, "SELECT id FROM item WHERE flag = ?");
	db_bind_bool(st, 1, true);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert_eq(db_col_int64(st, 0), 1);
	db_reset(st);

	/* A comparison is boolean on PostgreSQL and an integer on SQLite. */
	st = db_prepare(d, "SELECT 1 = 1, 1 = 0");
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert(db_col_bool(st, 0));
	cr_assert_not(db_col_bool(st, 1));
	cr_assert_eq(db_col_int64(st, 0), 1);
	db_reset(st);
}

STORE_TEST(nul_byte_in_text_is_refused)
{
	db_stmt *st = db_prepare(d, "SELECT ?");
	cr_assert_eq(db_bind_textn(st, 1, "a\0b", 3), ERR_INVALID);
	db_reset(st);
}

STORE_TEST(columns_outside_a_row_read_as_null)
{
	db_stmt *st = db_prepare(d, "SELECT 42, 'x'");
	cr_assert_eq(db_column_count(st), 2);
	cr_assert_null(db_col_text(st, 0));
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "42");
	cr_assert_str_eq(db_col_text(st, 1), "x");
	cr_assert_null(db_col_text(st, 2));
	cr_assert_null(db_col_text(st, -1));
	cr_assert_eq(db_col_int64(st, 7), 0);
	cr_assert_eq(db_step(st), DB_DONE);
	cr_assert_null(db_col_text(st, 0));
	db_reset(st);
}

/* ---- statements -------------------------------------------------------------------- */

#define MANY 300

STORE_TEST(statement_cache_returns_the_same_statement)
{
	const char *sql = "SELECT 7";
	db_stmt *a = db_prepare(d, sql);
	cr_assert_not_null(a, "%s", db_errmsg(d));
	cr_assert_eq(db_prepare(d, sql), a);
	cr_assert_neq(db_prepare(d, "SELECT 8"), a);

	/* Enough statements to grow the table several times. */
	static char texts[MANY][32];
	static db_stmt *first[MANY];
	for (int i = 0; i < MANY; i++) {
		snprintf(texts[i], sizeof texts[i], "SELECT %d", i);
		first[i] = db_prepare(d, texts[i]);
		cr_assert_not_null(first[i], "%s", db_errmsg(d));
	}
	for (int i = 0; i < MANY; i++) {
		db_stmt *st = db_prepare(d, texts[i]);
		cr_assert_eq(st, first[i], "statement %d", i);
		cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
		cr_assert_eq(db_col_int64(st, 0), i);
		db_reset(st);
	}
	cr_assert_eq(db_prepare(d, sql), a);

	/* The same pointer with different text is a different statement. */
	static char reused[32];
	strcpy(reused, "SELECT 1");
	db_stmt *st = db_prepare(d, reused);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), 1);
	db_reset(st);
	strcpy(reused, "SELECT 2");
	st = db_prepare(d, reused);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), 2);
	db_reset(st);
}

STORE_TEST(reset_clears_bindings_and_rows)
{
	db_stmt *st = db_prepare(d, "SELECT ?");
	db_bind_int64(st, 1, 5);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int64(st, 0), 5);
	cr_assert_lt(db_bind_int64(st, 1, 6), 0, "binding mid-statement must fail");
	db_reset(st);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert(db_col_is_null(st, 0));
	db_reset(st);

	/* Preparing again after a forgotten reset starts afresh. */
	db_bind_int64(st, 1, 9);
	cr_assert_eq(db_step(st), DB_ROW);
	st = db_prepare(d, "SELECT ?");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert(db_col_is_null(st, 0));
	db_reset(st);
}

STORE_TEST(finished_statement_is_not_run_again)
{
	make_items(d);
	db_stmt *st = db_prepare(d, "INSERT INTO item (id) VALUES (?)");
	db_bind_int64(st, 1, 1);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(db_step(st), DB_DONE);
	db_reset(st);
	cr_assert_eq(count_items(d), 1);
}

STORE_TEST(bad_sql_fails_at_prepare)
{
	cr_assert_null(db_prepare(d, "SELEC nonsense FROM"));
	cr_assert_neq(db_errmsg(d)[0], '\0');
	cr_assert_null(db_prepare(d, "SELECT * FROM no_such_table"));
	cr_assert(strstr(db_errmsg(d), "no_such_table"), "%s", db_errmsg(d));
	cr_assert_null(db_prepare(d, "SELECT 1; SELECT 2"), "one statement at a time");
	cr_assert_neq(db_errmsg(d)[0], '\0');
	cr_assert_not_null(db_prepare(d, "SELECT 1; -- trailing ? comment\n"), "%s", db_errmsg(d));
	cr_assert_eq(db_step(NULL), ERR_DB);
	cr_assert_eq(db_reset(NULL), 0);
	cr_assert_lt(db_bind_int64(NULL, 1, 1), 0);
	cr_assert_eq(db_ping(d), 0, "%s", db_errmsg(d));

	db_stmt *st = db_prepare(d, "SELECT ?");
	cr_assert_lt(db_bind_int64(st, 2, 1), 0);
	cr_assert_lt(db_bind_int64(st, 0, 1), 0);
	db_reset(st);
}

STORE_TEST(exec_script_runs_every_statement)
{
	int rc = db_exec_script(d, "CREATE TABLE a (x INTEGER);\n"
				   "INSERT INTO a VALUES (1);\n"
				   "-- a comment; with a semicolon\n"
				   "INSERT INTO a VALUES (2); INSERT INTO a VALUES (3);");
	cr_assert_eq(rc, 0, "%s", db_errmsg(d));
	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM a"), 3);
	cr_assert_eq(count_rows(d, "SELECT SUM(x) FROM a"), 6);
	cr_assert_eq(db_exec_script(d, "INSERT INTO a VALUES (4); NOT SQL;"), ERR_DB);
	cr_assert_neq(db_errmsg(d)[0], '\0');
}

STORE_TEST(changes_counts_rows_of_the_last_write)
{
	make_items(d);
	for (int i = 1; i <= 3; i++) {
		cr_assert_eq(insert_item(d, i, "x"), DB_DONE);
		cr_assert_eq(db_changes(d), 1);
	}
	cr_assert_eq(db_exec(d, "UPDATE item SET s = 'y' WHERE id <= 2"), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_changes(d), 2);
	cr_assert_eq(count_items(d), 3);
	cr_assert_eq(db_changes(d), 2, "a SELECT is not a change");
	cr_assert_eq(db_exec(d, "UPDATE item SET s = 'z' WHERE id > 100"), 0);
	cr_assert_eq(db_changes(d), 0);
	cr_assert_eq(db_exec(d, "DELETE FROM item"), 0);
	cr_assert_eq(db_changes(d), 3);
}

/* ---- transactions and errors ---------------------------------------------------------- */

STORE_TEST(rollback_discards_and_commit_keeps)
{
	make_items(d);
	cr_assert_eq(db_rollback(d), 0, "rollback without a transaction is harmless");

	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	cr_assert(db_in_transaction(d));
	cr_assert_eq(insert_item(d, 1, "gone"), DB_DONE);
	cr_assert_eq(db_rollback(d), 0, "%s", db_errmsg(d));
	cr_assert_not(db_in_transaction(d));
	cr_assert_eq(count_items(d), 0);

	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(insert_item(d, 2, "kept"), DB_DONE);
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_not(db_in_transaction(d));
	cr_assert_eq(count_items(d), 1);
	cr_assert_eq(count_items(open_second()), 1);

	cr_assert_eq(db_begin_read(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_items(d), 1);
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));

	cr_assert_lt(db_commit(d), 0, "commit without a transaction");
}

STORE_TEST(transactions_do_not_nest)
{
	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(db_begin_write(d), ERR_DB);
	cr_assert_eq(db_begin_read(d), ERR_DB);
	cr_assert(db_in_transaction(d));
	cr_assert_eq(db_rollback(d), 0);
}

STORE_TEST(unique_violation_is_a_conflict)
{
	migrate_or_fail(d);
	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(insert_person(d, 1, "sam@example.org", "Sam"), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(insert_person(d, 2, "sam@example.org", "Sam again"), ERR_CONFLICT);
	cr_assert_neq(db_errmsg(d)[0], '\0');
	cr_assert_eq(db_rollback(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM person"), 0);

	/* Outside a transaction too, and for a primary key. */
	cr_assert_eq(insert_person(d, 1, "sam@example.org", "Sam"), DB_DONE);
	cr_assert_eq(insert_person(d, 1, "other@example.org", "Other"), ERR_CONFLICT);
	cr_assert_eq(insert_person(d, 3, NULL, "No account"), DB_DONE);
	cr_assert_eq(insert_person(d, 4, NULL, "No account either"), DB_DONE);
}

STORE_TEST(foreign_key_violation_is_a_conflict)
{
	migrate_or_fail(d);
	db_stmt *st = db_prepare(d, "INSERT INTO session (id, person_id, token_hash, created_at, "
				    "last_seen_at) VALUES (?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, 10);
	db_bind_int64(st, 2, 12345);
	db_bind_text(st, 3, "hash");
	db_bind_int64(st, 4, 1);
	db_bind_int64(st, 5, 1);
	cr_assert_eq(db_step(st), ERR_CONFLICT, "%s", db_errmsg(d));
	db_reset(st);

	/* Deleting a person ends their sessions. */
	cr_assert_eq(insert_person(d, 12345, "p@example.org", "P"), DB_DONE);
	db_bind_int64(st, 1, 10);
	db_bind_int64(st, 2, 12345);
	db_bind_text(st, 3, "hash");
	db_bind_int64(st, 4, 1);
	db_bind_int64(st, 5, 1);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);
	cr_assert_eq(db_exec(d, "DELETE FROM person"), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_rows(d, "SELECT COUNT(*) FROM session"), 0);
}

STORE_TEST(other_constraints_are_database_errors)
{
	migrate_or_fail(d);
	cr_assert_eq(insert_person(d, 1, "x@example.org", NULL), ERR_DB);
}

/* PostgreSQL aborts a transaction at its first error; SQLite would carry on.
 * db.c makes both refuse the commit, so code cannot depend on the difference. */
STORE_TEST(commit_after_an_error_rolls_back)
{
	make_items(d);
	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(insert_item(d, 1, "a"), DB_DONE);
	cr_assert_eq(insert_item(d, 1, "a"), ERR_CONFLICT);
	cr_assert_eq(db_commit(d), ERR_CONFLICT);
	cr_assert(strstr(db_errmsg(d), "rolled back"), "%s", db_errmsg(d));
	cr_assert_not(db_in_transaction(d));
	cr_assert_eq(count_items(d), 0);
	cr_assert_eq(db_ping(d), 0, "%s", db_errmsg(d));
}

/* ---- one backend only -------------------------------------------------------------------- */

static int64_t pragma_int(db *d, const char *sql)
{
	return count_rows(d, sql);
}

Test(sqlite_only, pragmas_are_set, .fini = teardown)
{
	db *d = setup_sqlite();
	db_stmt *st = db_prepare(d, "PRAGMA journal_mode");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "wal");
	db_reset(st);
	cr_assert_eq(pragma_int(d, "PRAGMA foreign_keys"), 1);
	cr_assert_eq(pragma_int(d, "PRAGMA synchronous"), 2);
	cr_assert_eq(pragma_int(d, "PRAGMA busy_timeout"), 5000);
}

Test(sqlite_only, bigint_primary_key_becomes_rowid_alias, .fini = teardown)
{
	db *d = setup_sqlite();
	migrate_or_fail(d);
	db_stmt *st = db_prepare(d, "SELECT sql FROM sqlite_master WHERE name = 'person'");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert(strstr(db_col_text(st, 0), "id INTEGER PRIMARY KEY"), "%s", db_col_text(st, 0));
	db_reset(st);
	cr_assert_eq(insert_person(d, INT64_MAX, "big@example.org", "Big"), DB_DONE);
	cr_assert_eq(count_rows(d, "SELECT MAX(rowid) = 9223372036854775807 FROM person"), 1);
}

Test(sqlite_only, busy_writer_gets_a_database_error, .fini = teardown)
{
	db *d = setup_sqlite();
	db *other = open_second();
	cr_assert_eq(db_exec_script(other, "PRAGMA busy_timeout = 50"), 0);
	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(db_begin_write(other), ERR_DB);
	cr_assert(strstr(db_errmsg(other), "locked"), "%s", db_errmsg(other));
	cr_assert_not(db_in_transaction(other));
	cr_assert_eq(db_rollback(d), 0);
	cr_assert_eq(db_begin_write(other), 0, "%s", db_errmsg(other));
	cr_assert_eq(db_commit(other), 0);
}

/* A snapshot begun on an empty item table, then a row committed behind
 * it by a second connection, which it returns. */
static db *snapshot_then_a_row_behind(db *d)
{
	make_items(d);
	db *other = open_second();
	cr_assert_eq(db_snapshot_begin(d), 0);
	cr_assert_eq(count_items(d), 0);
	cr_assert_eq(insert_item(other, 1, "a"), DB_DONE);
	return other;
}

/* A GET's snapshot: one view of the data until it ends, read transactions
 * inside it free, and the first write ending it first, so that a write
 * after another connection's commit neither fails (a stale snapshot cannot
 * be made a write transaction) nor waits for the request's end. */
Test(sqlite_only, snapshot_reads_one_state_until_it_ends, .fini = teardown)
{
	db *d = setup_sqlite();
	make_items(d);
	db *other = open_second();
	cr_assert_eq(insert_item(other, 1, "a"), DB_DONE);
	cr_assert_eq(db_snapshot_begin(d), 0, "%s", db_errmsg(d));
	cr_assert_not(db_in_transaction(d), "the snapshot is not the caller's transaction");
	cr_assert_eq(count_items(d), 1);
	cr_assert_eq(insert_item(other, 2, "b"), DB_DONE, "readers never block the writer");
	cr_assert_eq(count_items(d), 1, "the snapshot's view");
	cr_assert_eq(db_begin_read(d), 0, "%s", db_errmsg(d));
	cr_assert(db_in_transaction(d));
	cr_assert_eq(count_items(d), 1);
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_not(db_in_transaction(d));
	cr_assert_eq(count_items(d), 1, "a read transaction inside does not end the snapshot");
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_eq(db_rollback(d), 0);
	cr_assert_eq(count_items(d), 1);
	db_snapshot_end(d);
	cr_assert_eq(count_items(d), 2, "after the snapshot, the latest data");
	db_snapshot_end(d);   /* twice is harmless */
}

Test(sqlite_only, snapshot_ends_at_a_statement_that_writes, .fini = teardown)
{
	db *d = setup_sqlite();
	db *other = snapshot_then_a_row_behind(d);
	cr_assert_eq(insert_item(d, 2, "b"), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(count_items(other), 2, "committed at once, not at the snapshot's end");
	cr_assert_eq(count_items(d), 2, "the rest of the request reads the latest data");
	cr_assert_eq(insert_item(other, 3, "c"), DB_DONE);
	cr_assert_eq(count_items(d), 3);
	db_snapshot_end(d);
	cr_assert_eq(count_items(d), 3);
}

Test(sqlite_only, snapshot_ends_at_a_write_transaction, .fini = teardown)
{
	db *d = setup_sqlite();
	db *other = snapshot_then_a_row_behind(d);
	cr_assert_eq(db_begin_write(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_items(d), 1, "the write transaction sees the latest data");
	cr_assert_eq(insert_item(d, 2, "b"), DB_DONE, "%s", db_errmsg(d));
	cr_assert_eq(db_commit(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(count_items(other), 2);
	/* A failed statement inside a read transaction on the snapshot still
	 * fails its commit, as it would in a transaction of its own. */
	db_snapshot_end(d);
	cr_assert_eq(db_snapshot_begin(d), 0);
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_lt(db_exec(d, "SELECT no_such_column FROM item"), 0);
	cr_assert_lt(db_commit(d), 0);
	cr_assert_not(db_in_transaction(d));
	db_snapshot_end(d);
}

Test(sqlite_only, snapshot_end_closes_even_with_a_statement_still_reading, .fini = teardown)
{
	db *d = setup_sqlite();
	make_items(d);
	db *other = open_second();
	cr_assert_eq(insert_item(d, 1, "a"), DB_DONE);
	cr_assert_eq(insert_item(d, 2, "b"), DB_DONE);
	cr_assert_eq(db_snapshot_begin(d), 0);
	db_stmt *st = db_prepare(d, "SELECT id FROM item ORDER BY id");
	cr_assert_eq(db_step(st), DB_ROW);   /* left part-way */
	db_snapshot_end(d);
	db_reset(st);
	cr_assert_eq(insert_item(other, 3, "c"), DB_DONE);
	cr_assert_eq(count_items(d), 3, "no old view kept into the next request");
}

Test(postgres_only, snapshot_is_left_to_each_statement, .fini = teardown)
{
	db *d = setup_postgres();
	snapshot_then_a_row_behind(d);
	cr_assert_eq(count_items(d), 1, "no transaction held on PostgreSQL");
	cr_assert_eq(db_begin_read(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(db_commit(d), 0);
	db_snapshot_end(d);
}

Test(postgres_only, read_transaction_refuses_writes, .fini = teardown)
{
	db *d = setup_postgres();
	make_items(d);
	cr_assert_eq(db_begin_read(d), 0, "%s", db_errmsg(d));
	cr_assert_eq(insert_item(d, 1, "x"), ERR_DB);
	cr_assert_lt(db_commit(d), 0);
	cr_assert_eq(count_items(d), 0);
}

Test(postgres_only, connection_is_reestablished_outside_transactions, .fini = teardown)
{
	db *d = setup_postgres();
	db_stmt *st = db_prepare(d, "SELECT ?");
	cr_assert_not_null(st);
	cr_assert_eq(db_ping(d), 0, "%s", db_errmsg(d));
	/* End our own backend process from the server side. */
	int rc = db_exec(d, "SELECT pg_terminate_backend(pg_backend_pid())");
	cr_assert_lt(rc, 0);
	cr_assert_eq(db_ping(d), 0, "%s", db_errmsg(d));
	use_test_schema(d);
	db_bind_int64(st, 1, 3);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	cr_assert_eq(db_col_int64(st, 0), 3);
	db_reset(st);
}

/* ---- placeholder rewriting (no database needed) -------------------------------------------- */

static void expect_rewrite(const char *sql, const char *want, int want_n)
{
	buf out = BUF_INIT;
	int n = -1;
	pg_rewrite_placeholders(sql, &out, &n);
	cr_assert_str_eq(out.data, want);
	cr_assert_eq(n, want_n, "%s", sql);
	buf_free(&out);
}

Test(rewrite, placeholders_become_numbered)
{
	expect_rewrite("", "", 0);
	expect_rewrite("SELECT 1", "SELECT 1", 0);
	expect_rewrite("SELECT ?, ?", "SELECT $1, $2", 2);
	expect_rewrite("WHERE a=? AND b IN (?,?)", "WHERE a=$1 AND b IN ($2,$3)", 3);
	expect_rewrite("SELECT '?', ?", "SELECT '?', $1", 1);
	expect_rewrite("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1);
	expect_rewrite("SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1", 1);
	expect_rewrite("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2);
	expect_rewrite("SELECT ? -- why?", "SELECT $1 -- why?", 1);
	expect_rewrite("SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1", 1);
	expect_rewrite("SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1);
	expect_rewrite("SELECT 'a\\', ?", "SELECT 'a\\', $1", 1);
	expect_rewrite("SELECT $$ ? $$, $t$ ?$$ $t$, ?", "SELECT $$ ? $$, $t$ ?$$ $t$, $1", 1);
	expect_rewrite("SELECT 'unterminated ?", "SELECT 'unterminated ?", 0);
}
