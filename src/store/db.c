/* db.c - the storage interface (db.h) in front of the two backends.
 *
 * Chooses the backend from the URL, keeps the per-connection cache of
 * prepared statements, and owns the behaviour both backends must share:
 * transaction bookkeeping (no nesting; any failure inside a transaction makes
 * db_commit() roll back, as PostgreSQL does, so code that only works on
 * SQLite cannot be written), statement states, and argument checks. The
 * backends in sqlite.c and postgres.c only translate operations. */
#include "db_internal.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CACHE_FIRST_CAP 64

int db_set_error(db *d, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->errmsg, sizeof d->errmsg, fmt, ap);
	va_end(ap);
	return code;
}

bool db_url_is_postgres(const char *url)
{
	return url && (strncmp(url, "postgresql://", 13) == 0 ||
		       strncmp(url, "postgres://", 11) == 0);
}

db *db_open(const char *url, herr *e)
{
	if (!url || !*url) {
		herr_set(e, ERR_INVALID, "database", "No database was given.");
		return NULL;
	}
	const struct db_ops *ops = db_url_is_postgres(url) ? &db_postgres_ops : &db_sqlite_ops;
	db *d = ops->open(url, e);
	if (!d)
		return NULL;
	d->ops = ops;   /* the rest of the shared part starts zeroed */
	return d;
}

static void cache_free_all(db *d)
{
	for (size_t i = 0; i < d->slot_cap; i++) {
		db_stmt *st = d->slots[i].st;
		if (!st)
			continue;
		free(st->sql);
		d->ops->finalize(st, true);
	}
	free(d->slots);
	d->slots = NULL;
	d->slot_cap = d->slot_used = 0;
}

void db_close(db *d)
{
	if (!d)
		return;
	db_bulk_close_all(d);
	cache_free_all(d);
	d->ops->close(d);
}

enum db_backend db_backend_of(const db *d)
{
	return d->ops->backend;
}

const char *db_backend_name(const db *d)
{
	return d->ops->name;
}

const char *db_errmsg(const db *d)
{
	return d ? d->errmsg : "no database connection";
}

/* Every failure inside a transaction is remembered, so db_commit() can refuse
 * it. Returns rc unchanged. */
int db_note_failure(db *d, int rc)
{
	if (rc < 0 && d->in_tx && d->tx_error == 0)
		d->tx_error = rc;
	return rc;
}

/* ---- statement cache ----------------------------------------------------- */

/* Fibonacci hashing of the pointer; string literals are at least byte
 * aligned, so all bits count. */
static size_t slot_of(const char *key, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 32) & (cap - 1);
}

/* The slot holding key, or the empty slot where it would go. */
static struct db_stmt_slot *cache_find(db *d, const char *key)
{
	size_t i = slot_of(key, d->slot_cap);
	while (d->slots[i].key && d->slots[i].key != key)
		i = (i + 1) & (d->slot_cap - 1);
	return &d->slots[i];
}

/* Keeps the load under 3/4 so probes stay short. */
static int cache_make_room(db *d)
{
	if (d->slot_cap && (d->slot_used + 1) * 4 <= d->slot_cap * 3)
		return 0;
	size_t cap = d->slot_cap ? d->slot_cap * 2 : CACHE_FIRST_CAP;
	struct db_stmt_slot *old = d->slots;
	size_t old_cap = d->slot_cap;
	d->slots = calloc(cap, sizeof *d->slots);
	if (!d->slots) {
		d->slots = old;
		return db_set_error(d, ERR_NOMEM, "out of memory growing the statement cache");
	}
	d->slot_cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*cache_find(d, old[i].key) = old[i];
	free(old);
	return 0;
}

static void stmt_drop(db_stmt *st)
{
	free(st->sql);
	st->d->ops->finalize(st, false);
}

/* ---- statement log --------------------------------------------------------
 * With HEARTH_SQL_LOG=FILE in the environment, the text of every statement a
 * connection prepares is appended to FILE, each ended by a NUL byte, so that
 * tests/plans can ask SQLite for the plan of every statement the suites ran
 * (DESIGN: every query uses an index). Off, it costs one branch per prepare
 * (statements are prepared once per connection). */

static int statement_log_fd = -1;
static pthread_once_t statement_log_once = PTHREAD_ONCE_INIT;

static void statement_log_open(void)
{
	const char *path = getenv("HEARTH_SQL_LOG");
	if (path && *path)
		statement_log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

static void statement_log_record(const char *sql)
{
	pthread_once(&statement_log_once, statement_log_open);
	if (statement_log_fd < 0)
		return;
	/* One write per statement: O_APPEND keeps records from several threads
	 * and processes whole. A short write only loses a log record. */
	size_t n = strlen(sql) + 1;
	if (write(statement_log_fd, sql, n) != (ssize_t)n)
		return;
}

/* Whether a statement may change data: anything but a SELECT, VALUES,
 * EXPLAIN or PRAGMA (a WITH may hold an INSERT, so it counts). Leading
 * spaces and -- comments are skipped. */
static bool sql_may_write(const char *sql)
{
	for (;;) {
		while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r' || *sql == '(')
			sql++;
		if (sql[0] != '-' || sql[1] != '-')
			break;
		while (*sql && *sql != '\n')
			sql++;
	}
	static const char *const reads[] = { "SELECT", "VALUES", "EXPLAIN", "PRAGMA" };
	for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
		size_t n = strlen(reads[i]);
		if (strncasecmp(sql, reads[i], n) == 0 && !isalnum((unsigned char)sql[n]) &&
		    sql[n] != '_')
			return false;
	}
	return true;
}

/* A statement that may write, done: part of the open transaction, or a
 * write of its own committed at once. */
static void note_write(db *d)
{
	/* Inside the snapshot a write ended it and committed at once. */
	if (d->in_tx && !d->tx_on_snapshot)
		d->tx_writes = true;
	else
		stamp_note_local_write();
}

static db_stmt *stmt_new(db *d, const char *sql)
{
	char *copy = strdup(sql);
	if (!copy) {
		db_set_error(d, ERR_NOMEM, "out of memory preparing a statement");
		return NULL;
	}
	db_stmt *st = d->ops->prepare(d, sql);
	if (!st) {
		free(copy);
		return NULL;
	}
	st->d = d;
	st->key = sql;
	st->sql = copy;
	st->state = DB_STMT_READY;
	st->last_rc = DB_DONE;
	st->may_write = sql_may_write(sql);
	statement_log_record(sql);
	return st;
}

db_stmt *db_prepare(db *d, const char *sql)
{
	if (!sql) {
		db_set_error(d, ERR_DB, "db_prepare: no SQL");
		return NULL;
	}
	if (cache_make_room(d) < 0)
		return NULL;
	struct db_stmt_slot *slot = cache_find(d, sql);
	if (slot->st && strcmp(slot->st->sql, sql) == 0) {
		/* A caller that forgot db_reset() must not leak its rows or
		 * bindings into this use. */
		if (slot->st->state != DB_STMT_READY)
			db_reset(slot->st);
		return slot->st;
	}
	db_stmt *st = stmt_new(d, sql);
	if (!st) {
		db_note_failure(d, ERR_DB);
		return NULL;
	}
	if (slot->st) {
		/* Same pointer, different text: the caller reused a buffer. */
		stmt_drop(slot->st);
	} else {
		slot->key = sql;
		d->slot_used++;
	}
	slot->st = st;
	return st;
}

/* ---- binding -------------------------------------------------------------- */

/* Bindings belong before the first step; SQLite refuses them later and
 * PostgreSQL would silently use them only after the next reset. */
static int check_bindable(db_stmt *st, int idx)
{
	if (!st)
		return ERR_DB;
	if (st->state != DB_STMT_READY)
		return db_set_error(st->d, ERR_DB,
				    "bind after step without db_reset: %s", st->sql);
	if (idx < 1)
		return db_set_error(st->d, ERR_DB,
				    "bind index %d out of range: %s", idx, st->sql);
	return 0;
}

int db_bind_int64(db_stmt *st, int idx, int64_t v)
{
	int rc = check_bindable(st, idx);
	return rc < 0 ? rc : st->d->ops->bind_int64(st, idx, v);
}

int db_bind_double(db_stmt *st, int idx, double v)
{
	int rc = check_bindable(st, idx);
	return rc < 0 ? rc : st->d->ops->bind_double(st, idx, v);
}

int db_bind_bool(db_stmt *st, int idx, bool v)
{
	return db_bind_int64(st, idx, v ? 1 : 0);
}

int db_bind_null(db_stmt *st, int idx)
{
	int rc = check_bindable(st, idx);
	return rc < 0 ? rc : st->d->ops->bind_null(st, idx);
}

/* Text with a NUL byte inside is refused on both backends: PostgreSQL cannot
 * store it and C strings read back from SQLite would be cut short. */
int db_bind_textn(db_stmt *st, int idx, const char *s, size_t n)
{
	int rc = check_bindable(st, idx);
	if (rc < 0)
		return rc;
	if (!s)
		return st->d->ops->bind_null(st, idx);
	if (memchr(s, '\0', n))
		return db_set_error(st->d, ERR_INVALID, "text with a NUL byte bound to %s",
				    st->sql);
	return st->d->ops->bind_textn(st, idx, s, n);
}

int db_bind_text(db_stmt *st, int idx, const char *s)
{
	return db_bind_textn(st, idx, s, s ? strlen(s) : 0);
}

/* ---- the read snapshot ------------------------------------------------------- */

static void end_transaction(db *d);

int db_snapshot_begin(db *d)
{
	if (d->snapshot || d->in_tx || !d->ops->snapshot)
		return 0;
	/* A deferred BEGIN: the read lock is taken by the first read. */
	int rc = d->ops->snapshot(d, true);
	if (rc < 0)
		return rc;
	d->snapshot = true;
	return 0;
}

/* Ends the snapshot's transaction: a COMMIT of reads, or, should that be
 * refused, a ROLLBACK (which also stops any statement still reading), so
 * the connection never keeps an old view into the next request. */
static void snapshot_close(db *d)
{
	if (!d->snapshot)
		return;
	d->snapshot = false;
	if (d->ops->snapshot(d, false) < 0 && d->ops->in_transaction(d))
		d->ops->exec_script(d, "ROLLBACK");
}

void db_snapshot_end(db *d)
{
	snapshot_close(d);
	if (d->tx_on_snapshot)
		end_transaction(d);
}

/* ---- stepping and columns ------------------------------------------------ */

int db_step(db_stmt *st)
{
	if (!st)
		return ERR_DB;
	if (st->state == DB_STMT_FINISHED)
		return st->last_rc;
	/* A write ends the read snapshot first, to run as it would without. */
	if (st->state == DB_STMT_READY && st->may_write && st->d->snapshot)
		snapshot_close(st->d);
	/* Bulk rows not yet sent come first, so the statement sees them. */
	int rc = st->state == DB_STMT_READY ? db_bulk_send_unsent(st->d) : 0;
	if (rc == 0)
		rc = st->d->ops->step(st);
	if (rc == DB_ROW) {
		st->state = DB_STMT_STEPPING;
		st->n_cols = st->d->ops->column_count(st);
		return rc;
	}
	st->state = DB_STMT_FINISHED;
	st->last_rc = rc;
	if (rc == DB_DONE && st->may_write)
		note_write(st->d);
	return db_note_failure(st->d, rc);
}

int db_reset(db_stmt *st)
{
	if (!st)
		return 0;
	st->d->ops->reset(st);
	st->state = DB_STMT_READY;
	st->last_rc = DB_DONE;
	return 0;
}

/* Column reads are only meaningful on a row; elsewhere they read as NULL. */
static bool on_row(db_stmt *st, int col)
{
	return st && st->state == DB_STMT_STEPPING && col >= 0 && col < st->n_cols;
}

int db_column_count(db_stmt *st)
{
	return st ? st->d->ops->column_count(st) : 0;
}

bool db_col_is_null(db_stmt *st, int col)
{
	return !on_row(st, col) || st->d->ops->col_is_null(st, col);
}

int64_t db_col_int64(db_stmt *st, int col)
{
	return on_row(st, col) ? st->d->ops->col_int64(st, col) : 0;
}

double db_col_double(db_stmt *st, int col)
{
	return on_row(st, col) ? st->d->ops->col_double(st, col) : 0.0;
}

const char *db_col_text(db_stmt *st, int col)
{
	return on_row(st, col) ? st->d->ops->col_text(st, col) : NULL;
}

bool db_col_bool(db_stmt *st, int col)
{
	return on_row(st, col) ? st->d->ops->col_bool(st, col) : false;
}

int64_t db_changes(db *d)
{
	return d->ops->changes(d);
}

int db_exec(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int db_exec_script(db *d, const char *sql)
{
	snapshot_close(d);
	int rc = db_bulk_send_unsent(d);
	if (rc >= 0)
		rc = d->ops->exec_script(d, sql);
	if (rc >= 0)
		note_write(d);   /* scripts are migrations and the like */
	return db_note_failure(d, rc);
}

int db_ping(db *d)
{
	db_stmt *st = db_prepare(d, "SELECT 1");
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	bool ok = rc == DB_ROW && db_col_int64(st, 0) == 1;
	db_reset(st);
	if (rc < 0)
		return rc;
	return ok ? 0 : db_set_error(d, ERR_DB, "SELECT 1 did not return 1");
}

/* ---- transactions ---------------------------------------------------------- */

static int begin_with(db *d, const char *sql)
{
	if (d->in_tx)
		return db_set_error(d, ERR_DB, "a transaction is already open (nesting is not allowed)");
	int rc = db_bulk_send_unsent(d);
	if (rc == 0)
		rc = d->ops->exec_script(d, sql);
	if (rc < 0)
		return rc;
	d->in_tx = true;
	d->tx_error = 0;
	return 0;
}

int db_begin_read(db *d)
{
	if (d->snapshot && !d->in_tx) {
		d->in_tx = d->tx_on_snapshot = true;
		d->tx_error = 0;
		return 0;
	}
	return begin_with(d, d->ops->begin_read_sql);
}

int db_begin_write(db *d)
{
	if (!d->in_tx)
		snapshot_close(d);
	int rc = begin_with(d, d->ops->begin_write_sql);
	d->tx_writes = rc == 0;
	return rc;
}

static void end_transaction(db *d)
{
	d->in_tx = false;
	d->tx_writes = false;
	d->tx_error = 0;
	d->tx_on_snapshot = false;
}

/* A read transaction inside the snapshot has nothing of its own to end. */
static int end_on_snapshot(db *d)
{
	int rc = d->tx_error;
	end_transaction(d);
	return rc < 0 ? rc : 0;
}

int db_rollback(db *d)
{
	if (!d->in_tx)
		return 0;
	if (d->tx_on_snapshot) {
		end_on_snapshot(d);
		return 0;
	}
	int rc = 0;
	db_bulk_forget_unsent(d);
	/* SQLite rolls back by itself on some errors, and a lost PostgreSQL
	 * connection has nothing left to roll back. */
	if (d->ops->in_transaction(d))
		rc = d->ops->exec_script(d, "ROLLBACK");
	end_transaction(d);
	return rc;
}

/* Failed commits are rolled back, so the connection is always left without
 * a transaction and the caller has nothing to clean up. */
int db_commit(db *d)
{
	if (!d->in_tx)
		return db_set_error(d, ERR_DB, "commit without an open transaction");
	if (d->tx_on_snapshot)
		return end_on_snapshot(d);
	db_note_failure(d, db_bulk_send_unsent(d));
	int rc = d->tx_error;
	if (rc < 0) {
		char earlier[sizeof d->errmsg];
		memcpy(earlier, d->errmsg, sizeof earlier);
		db_rollback(d);
		return db_set_error(d, rc, "transaction rolled back after an earlier error: %s",
				    earlier);
	}
	rc = d->ops->commit(d);
	if (rc < 0) {
		char why[sizeof d->errmsg];
		memcpy(why, d->errmsg, sizeof why);
		db_rollback(d);
		memcpy(d->errmsg, why, sizeof why);
		return rc;
	}
	if (d->tx_writes)
		stamp_note_local_write();
	end_transaction(d);
	return 0;
}

int db_finish(db *d, int rc)
{
	if (rc == 0)
		return db_commit(d);
	db_rollback(d);
	return rc;
}

bool db_in_transaction(const db *d)
{
	return d->in_tx;
}

/* ---- interned SQL ---------------------------------------------------------- */

struct interned {
	struct interned *next;
	char sql[];
};

static struct interned *interned_head;
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

const char *db_sql_intern(const char *sql)
{
	pthread_mutex_lock(&intern_lock);
	struct interned *i = interned_head;
	while (i && strcmp(i->sql, sql) != 0)
		i = i->next;
	if (!i) {
		size_t n = strlen(sql) + 1;
		i = malloc(sizeof *i + n);
		if (i) {
			memcpy(i->sql, sql, n);
			i->next = interned_head;
			interned_head = i;
		}
	}
	pthread_mutex_unlock(&intern_lock);
	return i ? i->sql : NULL;
}
