/* sqlite.c - the SQLite backend of the storage interface (see db.h and
 * db_internal.h).
 *
 * Each connection is used by one thread, so it is opened without SQLite's
 * own mutex, in WAL mode (readers never block the writer) with foreign keys
 * on, a 5 s busy timeout and synchronous=FULL (a committed transaction
 * survives power loss). Writers start with BEGIN IMMEDIATE so they wait for
 * the write lock up front instead of failing half-way through. SQLite's
 * memory statistics are off: they take one process-wide mutex on every
 * allocation, which the worker threads then queue for. */
#include "db_internal.h"
#include "search_rank.h"

#include <ctype.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 5000

struct sqlite_db {
	db base;
	sqlite3 *conn;
	sqlite3_stmt *begin, *commit;   /* the snapshot's, prepared on first use */
};

struct sqlite_stmt {
	db_stmt base;
	sqlite3_stmt *stmt;
};

static sqlite3 *conn_of(db *d)
{
	return ((struct sqlite_db *)d)->conn;
}

static sqlite3_stmt *stmt_of(db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->stmt;
}

/* Unique, primary-key and foreign-key violations are conflicts with the
 * state of the data (409); other constraints (NOT NULL, CHECK) are bugs. */
static bool is_conflict(int extended)
{
	switch (extended) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_ROWID:
		return true;
	default:
		return false;
	}
}

/* Records the connection's last error and returns its ERR_* code. */
static int fail(db *d, const char *detail)
{
	sqlite3 *conn = conn_of(d);
	int extended = sqlite3_extended_errcode(conn);
	const char *msg = detail ? detail : sqlite3_errmsg(conn);
	if (is_conflict(extended))
		return db_set_error(d, ERR_CONFLICT, "%s", msg);
	if ((extended & 0xff) == SQLITE_BUSY)
		return db_set_error(d, ERR_DB, "%s: another connection held the lock for longer "
				    "than the busy timeout", msg);
	return db_set_error(d, ERR_DB, "%s", msg);
}

/* Each connection keeps up to 8 MiB of pages (SQLite's default is 2 MiB):
 * at a million members a directory search touches a few hundred group rows
 * spread over the file, and reading them again from the kernel cost a third
 * of the search (bench/RESULTS.md). With two workers and the mailer that is
 * at most 24 MiB, inside the 64 MB budget for `hearth serve`. */
static int configure(sqlite3 *conn)
{
	int rc = sqlite3_busy_timeout(conn, BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(conn, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
				  "PRAGMA synchronous=FULL; PRAGMA cache_size=-8192;", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = search_rank_register(conn);
	return rc;
}

/* Before SQLite initialises itself (on the first open): hearth never asks
 * for sqlite3_memory_used(), so counting costs a global lock for nothing. */
static void configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static db *sqlite_open(const char *url, herr *e)
{
	static pthread_once_t library_once = PTHREAD_ONCE_INIT;
	pthread_once(&library_once, configure_library);
	struct sqlite_db *sd = calloc(1, sizeof *sd);
	if (!sd) {
		herr_set(e, ERR_NOMEM, NULL, "Out of memory opening the database.");
		return NULL;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
		    SQLITE_OPEN_URI;
	int rc = sqlite3_open_v2(url, &sd->conn, flags, NULL);
	if (rc == SQLITE_OK)
		rc = configure(sd->conn);
	if (rc != SQLITE_OK) {
		herr_set(e, ERR_DB, "database", "Could not open the SQLite database %s: %s", url,
			 sd->conn ? sqlite3_errmsg(sd->conn) : sqlite3_errstr(rc));
		sqlite3_close(sd->conn);
		free(sd);
		return NULL;
	}
	return &sd->base;
}

static void sqlite_close(db *d)
{
	struct sqlite_db *sd = (struct sqlite_db *)d;
	sqlite3_finalize(sd->begin);
	sqlite3_finalize(sd->commit);
	sqlite3_close(sd->conn);
	free(d);
}

static int sqlite_exec_script(db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn_of(d), sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return 0;
	rc = fail(d, msg);
	sqlite3_free(msg);
	return rc;
}

static int sqlite_commit(db *d)
{
	return sqlite_exec_script(d, "COMMIT");
}

static bool sqlite_in_transaction(db *d)
{
	return !sqlite3_get_autocommit(conn_of(d));
}

/* A GET's BEGIN and COMMIT, parsed once per connection rather than by
 * sqlite3_exec on every request. */
static int sqlite_snapshot(db *d, bool begin)
{
	struct sqlite_db *sd = (struct sqlite_db *)d;
	sqlite3_stmt **st = begin ? &sd->begin : &sd->commit;
	int rc = *st ? SQLITE_OK : sqlite3_prepare_v2(sd->conn, begin ? "BEGIN" : "COMMIT", -1, st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(*st);
		sqlite3_reset(*st);
	}
	return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : fail(d, NULL);
}

/* Whether only spaces, semicolons and comments follow the first statement.
 * PostgreSQL refuses a prepared statement holding several; SQLite would
 * silently ignore all but the first, so it is refused here too. */
static bool only_one_statement(const char *tail)
{
	const char *s = tail;
	while (s && *s) {
		if (isspace((unsigned char)*s) || *s == ';') {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			s = strchr(s, '\n');
		} else if (s[0] == '/' && s[1] == '*') {
			s = strstr(s + 2, "*/");
			if (s)
				s += 2;
		} else {
			return false;
		}
	}
	return true;
}

static db_stmt *sqlite_prepare(db *d, const char *sql)
{
	struct sqlite_stmt *ss = calloc(1, sizeof *ss);
	if (!ss) {
		db_set_error(d, ERR_NOMEM, "out of memory preparing a statement");
		return NULL;
	}
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(conn_of(d), sql, -1, SQLITE_PREPARE_PERSISTENT, &ss->stmt,
				    &tail);
	if (rc != SQLITE_OK || !ss->stmt || !only_one_statement(tail)) {
		if (rc != SQLITE_OK)
			fail(d, NULL);
		else if (!ss->stmt)
			db_set_error(d, ERR_DB, "no SQL statement in: %s", sql);
		else
			db_set_error(d, ERR_DB, "more than one statement in: %s", sql);
		sqlite3_finalize(ss->stmt);
		free(ss);
		return NULL;
	}
	return &ss->base;
}

static void sqlite_finalize(db_stmt *st, bool closing)
{
	sqlite3_finalize(stmt_of(st));
	free(st);
}

static int bind_result(db_stmt *st, int rc)
{
	return rc == SQLITE_OK ? 0 : fail(st->d, NULL);
}

static int sqlite_bind_int64(db_stmt *st, int idx, int64_t v)
{
	return bind_result(st, sqlite3_bind_int64(stmt_of(st), idx, v));
}

static int sqlite_bind_double(db_stmt *st, int idx, double v)
{
	return bind_result(st, sqlite3_bind_double(stmt_of(st), idx, v));
}

static int sqlite_bind_textn(db_stmt *st, int idx, const char *s, size_t n)
{
	return bind_result(st, sqlite3_bind_text64(stmt_of(st), idx, s, n, SQLITE_TRANSIENT,
						   SQLITE_UTF8));
}

static int sqlite_bind_null(db_stmt *st, int idx)
{
	return bind_result(st, sqlite3_bind_null(stmt_of(st), idx));
}

static int sqlite_step(db_stmt *st)
{
	int rc = sqlite3_step(stmt_of(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return fail(st->d, NULL);
}

/* sqlite3_reset() repeats the last step's error, which was already
 * reported; it is not a failure of the reset. */
static void sqlite_reset(db_stmt *st)
{
	sqlite3_reset(stmt_of(st));
	sqlite3_clear_bindings(stmt_of(st));
}

static int sqlite_column_count(db_stmt *st)
{
	return sqlite3_column_count(stmt_of(st));
}

static bool sqlite_col_is_null(db_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

static int64_t sqlite_col_int64(db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col);
}

static double sqlite_col_double(db_stmt *st, int col)
{
	return sqlite3_column_double(stmt_of(st), col);
}

static const char *sqlite_col_text(db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static bool sqlite_col_bool(db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col) != 0;
}

static int64_t sqlite_changes(db *d)
{
	return sqlite3_changes64(conn_of(d));
}

const struct db_ops db_sqlite_ops = {
	.backend = DB_SQLITE,
	.name = "sqlite",
	.begin_read_sql = "BEGIN",
	.begin_write_sql = "BEGIN IMMEDIATE",
	.open = sqlite_open,
	.close = sqlite_close,
	.exec_script = sqlite_exec_script,
	.commit = sqlite_commit,
	.in_transaction = sqlite_in_transaction,
	.snapshot = sqlite_snapshot,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.bind_int64 = sqlite_bind_int64,
	.bind_double = sqlite_bind_double,
	.bind_textn = sqlite_bind_textn,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.reset = sqlite_reset,
	.column_count = sqlite_column_count,
	.col_is_null = sqlite_col_is_null,
	.col_int64 = sqlite_col_int64,
	.col_double = sqlite_col_double,
	.col_text = sqlite_col_text,
	.col_bool = sqlite_col_bool,
	.changes = sqlite_changes,
};
