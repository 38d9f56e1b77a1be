/* db.h - the one storage interface the rest of Hearth uses.
 *
 * A db is one connection to SQLite (a file path) or PostgreSQL (a
 * "postgresql://" or "postgres://" URL). It is used by one thread at a time:
 * each HTTP worker thread owns one.
 *
 * SQL is written once, for both backends:
 *   - placeholders are "?" (positional, numbered from 1 when binding); the
 *     PostgreSQL backend rewrites them to $1, $2, ... outside string literals;
 *   - ids are BIGINT made by the program (ids.h), times are BIGINT Unix ms,
 *     flags are INTEGER 0/1, text is TEXT; no dialect-only functions;
 *   - in migrations, "BIGINT PRIMARY KEY" becomes SQLite's rowid alias
 *     "INTEGER PRIMARY KEY" (same values, faster lookups).
 *
 * Statements are prepared once per connection and cached, keyed by the SQL
 * text: pass string literals, never SQL built from user text.
 *
 *   db_stmt *st = db_prepare(db, "SELECT name FROM person WHERE id = ?");
 *   db_bind_int64(st, 1, id);
 *   while ((rc = db_step(st)) == DB_ROW) use(db_col_text(st, 0));
 *   db_reset(st);          // always, also after an error; clears bindings
 *
 * Text returned by db_col_text() belongs to the statement and is valid until
 * the next db_step() or db_reset() on it: copy it (arena_strdup) to keep it.
 *
 * Errors are ERR_* codes from err.h: a unique or foreign-key violation is
 * ERR_CONFLICT, anything else ERR_DB; db_errmsg() says what the database said
 * (for the log, not for people). */
#ifndef HEARTH_DB_H
#define HEARTH_DB_H

#include "../base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };
enum db_backend { DB_SQLITE, DB_POSTGRES };

/* Opens a connection. url is a file path (or "file:" URI) for SQLite, or a
 * postgresql:// URL. On failure returns NULL and fills e. The caller owns the
 * connection and closes it with db_close(). */
db *db_open(const char *url, herr *e);
void db_close(db *d);                       /* accepts NULL */
enum db_backend db_backend_of(const db *d);
const char *db_backend_name(const db *d);   /* "sqlite" or "postgres" */
bool db_url_is_postgres(const char *url);
const char *db_errmsg(const db *d);
/* A cheap round trip ("SELECT 1"), for /healthz. */
int db_ping(db *d);

/* Transactions. Writes: SQLite BEGIN IMMEDIATE, so a writer waits for the lock
 * up front (busy timeout) instead of failing half-way. Nesting is an error. */
int db_begin_read(db *d);
int db_begin_write(db *d);
int db_commit(db *d);
int db_rollback(db *d);   /* safe to call when no transaction is open */
/* Ends the caller's transaction by how its work went: when rc is 0, commits
 * and returns what db_commit() returns (a failed commit is rolled back);
 * otherwise rolls back and returns rc. For the one way out of a function
 * that began a transaction:  return db_finish(d, rc); */
int db_finish(db *d, int rc);
bool db_in_transaction(const db *d);

/* A read snapshot around a whole request that may only read (a GET), on
 * SQLite: one read transaction instead of one for each statement, which
 * takes and drops WAL locks every time and makes the worker threads queue
 * for SQLite's lock on the shared memory. Inside it db_begin_read and its
 * commit cost nothing, and the reads see one state of the data. The first
 * write (db_begin_write, or a statement that may write) ends the snapshot,
 * so writes behave as they do without one, and the rest of the request
 * reads as it would without one. db_snapshot_end closes whatever is left;
 * both do nothing on PostgreSQL, where a transaction costs round trips. */
int db_snapshot_begin(db *d);
void db_snapshot_end(db *d);

/* Runs SQL that takes no parameters and returns no rows; may hold several
 * statements separated by ";" (migrations, PRAGMAs). */
int db_exec_script(db *d, const char *sql);

/* Returns the cached prepared statement for sql (prepared on first use), or
 * NULL on error (see db_errmsg). sql must stay valid for the connection's
 * life: a string literal. */
db_stmt *db_prepare(db *d, const char *sql);
int db_bind_int64(db_stmt *st, int idx, int64_t v);
int db_bind_double(db_stmt *st, int idx, double v);
int db_bind_text(db_stmt *st, int idx, const char *s);  /* NULL binds NULL; copied */
int db_bind_textn(db_stmt *st, int idx, const char *s, size_t n);
int db_bind_null(db_stmt *st, int idx);
int db_bind_bool(db_stmt *st, int idx, bool v);         /* 0 or 1 */

/* DB_ROW when a row is ready, DB_DONE at the end, or a negative ERR_*. */
int db_step(db_stmt *st);
int db_reset(db_stmt *st);
int db_column_count(db_stmt *st);
bool db_col_is_null(db_stmt *st, int col);
int64_t db_col_int64(db_stmt *st, int col);      /* NULL reads as 0 */
double db_col_double(db_stmt *st, int col);
const char *db_col_text(db_stmt *st, int col);   /* NULL reads as NULL */
bool db_col_bool(db_stmt *st, int col);
/* Rows changed by the last completed write statement on this connection. */
int64_t db_changes(db *d);

/* For SQL assembled from constant fragments (a search with optional
 * filters): returns a copy that lives as long as the process and is the same
 * pointer for the same text, so the statement cache keeps working. The set
 * of distinct texts must be small and fixed by the program's fragments, never
 * by user input. NULL when out of memory. Thread-safe. */
const char *db_sql_intern(const char *sql);

/* Convenience for a statement that returns nothing: binds nothing, steps to
 * the end, resets. For statements with parameters use db_prepare/db_bind. */
int db_exec(db *d, const char *sql);

/* Bulk loading, for writing very many rows to one table (hearth gen). On
 * PostgreSQL the rows are gathered in memory and sent with COPY ... FROM
 * STDIN, a few thousand per round trip; on SQLite each row is inserted at
 * once through a cached prepared INSERT.
 *
 *   db_bulk *b = db_bulk_begin(d, "attendance", "meeting_id, person_id, status");
 *   for (...) {
 *       db_bulk_int64(b, meeting_id);
 *       db_bulk_int64(b, person_id);
 *       db_bulk_text(b, "present");
 *       if ((rc = db_bulk_row_end(b))) break;
 *   }
 *   rc = db_bulk_finish(b);   // sends what is left and frees b
 *
 * table and columns are string literals of plain identifiers (columns
 * separated by commas). A row gets exactly one value per column, in order.
 * Rows gathered and not yet sent go to the server, oldest bulk first, when
 * a bulk's buffer fills, at db_bulk_finish(), and before the connection runs
 * anything else (a statement, a script, a commit): other statements always
 * see them, and a bulk begun for a parent table before the bulk of its
 * children keeps foreign keys satisfied. A rollback forgets unsent rows.
 *
 * A row the database refuses (a constraint, a value that does not fit its
 * column, an unknown column on PostgreSQL) is reported with the database's
 * message (db_errmsg) by the call that sent it: db_bulk_row_end(),
 * db_bulk_finish(), or the db_step()/db_commit() that went next; like any
 * failure inside a transaction, it makes the commit roll back. Each
 * db_bulk_* value call returns the bulk's first error (0 if none), so
 * checking db_bulk_row_end() is enough. */
typedef struct db_bulk db_bulk;
/* NULL on error (see db_errmsg). The bulk belongs to the caller until
 * db_bulk_finish(); db_close() frees any still open. */
db_bulk *db_bulk_begin(db *d, const char *table, const char *columns);
int db_bulk_int64(db_bulk *b, int64_t v);
int db_bulk_double(db_bulk *b, double v);
int db_bulk_text(db_bulk *b, const char *s);   /* NULL adds NULL; copied */
int db_bulk_null(db_bulk *b);
int db_bulk_bool(db_bulk *b, bool v);          /* 0 or 1 */
int db_bulk_row_end(db_bulk *b);
/* Sends every unsent row of the connection and frees b (NULL is accepted).
 * Returns the first error the bulk met, or 0. */
int db_bulk_finish(db_bulk *b);
/* Sends the rows every open bulk of the connection has gathered, now (0 at
 * once when there are none): for a caller about to hand the connection to
 * code that would report a refused row in its own words. */
int db_bulk_send_unsent(db *d);

/* Migrations: applies, in order and each in its own transaction, every
 * migration in the built-in list not yet recorded in schema_migration, and
 * records it. Returns the number applied (>= 0) or a negative ERR_*. */
int db_migrate(db *d, herr *e);
/* Highest applied migration number, 0 for an empty database. */
int db_schema_version(db *d);
/* Number of migrations built into this program. */
int db_migrations_known(void);
/* The schema version this program brings a database to: its newest
 * migration's number (numbers may skip, so not the count above). */
int db_schema_latest(void);

#endif
