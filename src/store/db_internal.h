/* db_internal.h - what db.c shares with the backends (sqlite.c, postgres.c),
 * bulk.c and migrate.c: the connection and statement structs and the table of
 * backend operations. Code outside src/store uses db.h only; unit tests may
 * include this to reach the pieces listed at the bottom.
 *
 * A backend allocates its own connection and statement structs with the
 * public struct as the first member (struct sqlite_db { db base; ... }), so a
 * db * or db_stmt * converts to the backend's struct by a cast. db.c owns
 * everything that is the same for both: the statement cache, transaction
 * bookkeeping, statement states and argument checks. */
#ifndef HEARTH_DB_INTERNAL_H
#define HEARTH_DB_INTERNAL_H

#include "db.h"

#include "../base/buf.h"
#include "../base/embedded.h"

/* Where a statement is between db_reset() calls. db.c keeps this so both
 * backends behave the same: binding is only allowed before the first step,
 * and once a statement has finished (DB_DONE or an error) further steps
 * return the same result without running it again. */
enum db_stmt_state {
	DB_STMT_READY,      /* reset (or new): bindings may be set */
	DB_STMT_STEPPING,   /* stepped at least once, rows may remain */
	DB_STMT_FINISHED,   /* DB_DONE or an error was returned: last_rc */
};

struct db_stmt {
	db *d;
	const char *key;      /* the caller's SQL pointer: the cache key */
	char *sql;            /* owned copy of the text, to verify cache hits */
	enum db_stmt_state state;
	int n_cols;           /* the current row's columns (on_row), read once
			       * per row rather than once per column */
	int last_rc;
	bool may_write;       /* not a SELECT: counted as a local write (stamp.h) */
};

/* Backend operations. Functions returning int return 0 (or DB_ROW/DB_DONE
 * for step) or a negative ERR_*, and describe failures with db_set_error(). */
struct db_ops {
	enum db_backend backend;
	const char *name;
	const char *begin_read_sql;
	const char *begin_write_sql;

	/* Returns a new, zero-allocated connection with only the backend's
	 * part filled in, or NULL with e filled. */
	db *(*open)(const char *url, herr *e);
	/* Closes the connection and frees it; statements are already gone. */
	void (*close)(db *d);
	int (*exec_script)(db *d, const char *sql);
	int (*commit)(db *d);
	/* Whether the server side holds an open transaction right now. */
	bool (*in_transaction)(db *d);
	/* Begins (a deferred BEGIN) or commits db_snapshot_begin's read
	 * transaction from statements kept prepared; NULL when the backend
	 * keeps no snapshot. */
	int (*snapshot)(db *d, bool begin);

	/* Returns a new, zero-allocated statement with only the backend's part
	 * filled in, or NULL (error in db_errmsg). */
	db_stmt *(*prepare)(db *d, const char *sql);
	/* Frees the statement; closing says the connection is going away too,
	 * so server-side cleanup can be skipped. */
	void (*finalize)(db_stmt *st, bool closing);

	int (*bind_int64)(db_stmt *st, int idx, int64_t v);
	int (*bind_double)(db_stmt *st, int idx, double v);
	int (*bind_textn)(db_stmt *st, int idx, const char *s, size_t n);
	int (*bind_null)(db_stmt *st, int idx);
	int (*step)(db_stmt *st);
	/* Forgets results and clears every binding to NULL. */
	void (*reset)(db_stmt *st);

	int (*column_count)(db_stmt *st);
	bool (*col_is_null)(db_stmt *st, int col);
	int64_t (*col_int64)(db_stmt *st, int col);
	double (*col_double)(db_stmt *st, int col);
	const char *(*col_text)(db_stmt *st, int col);
	bool (*col_bool)(db_stmt *st, int col);
	int64_t (*changes)(db *d);

	/* Runs copy_sql (a COPY ... FROM STDIN) and sends data, n bytes of
	 * whole rows in COPY's text format. NULL when the backend has no
	 * COPY: bulk.c then inserts each row with a prepared INSERT. */
	int (*copy_in)(db *d, const char *copy_sql, const char *data, size_t n);
};

/* One slot of the statement cache: an open-addressing hash table keyed by
 * the SQL pointer. key NULL marks an empty slot; slots are never removed one
 * by one, only replaced, so there are no tombstones. */
struct db_stmt_slot {
	const char *key;
	db_stmt *st;
};

struct db {
	const struct db_ops *ops;
	bool in_tx;               /* between db_begin_* and db_commit/db_rollback */
	bool tx_writes;           /* the open transaction began as, or has made, a write */
	int tx_error;             /* first failure inside the open transaction */
	bool snapshot;            /* a read snapshot is open (db_snapshot_begin) */
	bool tx_on_snapshot;      /* the open read transaction is the snapshot's */
	struct db_stmt_slot *slots;
	size_t slot_cap;          /* a power of two, or 0 before the first prepare */
	size_t slot_used;
	struct db_bulk *bulks;    /* open bulks, oldest first (bulk.c) */
	int64_t bulk_unsent;      /* rows gathered in them, not yet sent */
	char errmsg[512];
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_postgres_ops;

/* Records the database's complaint for db_errmsg() and returns code. */
int db_set_error(db *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* stamp.c: counts a write this process has committed (db_local_writes). */
void stamp_note_local_write(void);

/* Remembers a failure inside the open transaction, so db_commit() rolls
 * back; returns rc unchanged. */
int db_note_failure(db *d, int rc);

/* bulk.c; db.c also calls db_bulk_send_unsent() (db.h) before anything
 * else runs on the connection. At a rollback: forgets unsent rows and
 * half-made ones. */
void db_bulk_forget_unsent(db *d);
/* At db_close(): frees the bulks left open. */
void db_bulk_close_all(db *d);

/* db_migrate() over an explicit list (ending with a NULL name), so tests can
 * feed broken or out-of-order migrations. */
int db_migrate_files(db *d, const struct embedded_file *files, herr *e);

/* Rewrites "?" placeholders to $1, $2, ... outside string literals, quoted
 * identifiers and comments, appending the result to out. Sets *ret_nparams to
 * the number of placeholders. Used by postgres.c; here for tests. */
void pg_rewrite_placeholders(const char *sql, buf *out, int *ret_nparams);

#endif
