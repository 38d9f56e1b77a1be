/* migrate.c - brings a database's schema up to date from the numbered SQL
 * files built into the program (migrations/NNNN_name.sql, embedded as
 * hearth_migrations).
 *
 * Each migration runs in its own write transaction together with its row in
 * schema_migration, so it is either wholly applied and recorded or not at
 * all. Several processes may start at once (web nodes sharing PostgreSQL):
 * inside the transaction, under a lock that only one migrator holds, the
 * record is checked again, so each migration is applied exactly once. */
#define _GNU_SOURCE  /* memmem */
#include "db_internal.h"

#include "../base/ids.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Any constant shared by all Hearth processes: "Hearth" in ASCII. */
#define MIGRATION_LOCK_KEY "79600263787624"

static const char create_table_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migration ("
	"version INTEGER PRIMARY KEY, "
	"name TEXT NOT NULL, "
	"applied_at BIGINT NOT NULL)";

/* Opens a write transaction in which no other process migrates. SQLite's
 * BEGIN IMMEDIATE already holds the database's write lock; on PostgreSQL an
 * advisory lock, released at commit or rollback, makes migrators wait for
 * each other (even CREATE TABLE IF NOT EXISTS fails when two run at once). */
static int begin_migrating(db *d)
{
	int rc = db_begin_write(d);
	if (rc == 0 && db_backend_of(d) == DB_POSTGRES)
		rc = db_exec_script(d, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")");
	return rc;
}

static int create_record_table(db *d)
{
	int rc = begin_migrating(d);
	if (rc == 0)
		rc = db_exec_script(d, create_table_sql);
	if (rc == 0)
		rc = db_commit(d);
	if (rc < 0)
		db_rollback(d);
	return rc;
}

/* The number a migration's name starts with ("0007_x.sql" is 7), or -1. */
static int migration_number(const char *name)
{
	if (!isdigit((unsigned char)name[0]))
		return -1;
	long n = 0;
	for (const char *p = name; isdigit((unsigned char)*p); p++) {
		n = n * 10 + (*p - '0');
		if (n > 1000000)
			return -1;
	}
	return n > 0 ? (int)n : -1;
}

/* Refuses a list whose names do not carry strictly increasing numbers: two
 * files with one number would make the record ambiguous. */
static int check_list(const struct embedded_file *files, herr *e)
{
	int last = 0;
	for (const struct embedded_file *f = files; f->name; f++) {
		int n = migration_number(f->name);
		if (n < 0)
			return herr_set(e, ERR_INTERNAL, NULL,
					"Migration %s does not start with its number.", f->name);
		if (n <= last)
			return herr_set(e, ERR_INTERNAL, NULL,
					"Migration %s is out of order or repeats number %d.", f->name, n);
		last = n;
	}
	return last;
}

/* 1 when schema_migration exists, 0 when not, or a negative ERR_*. */
static int table_exists(db *d)
{
	const char *sql = db_backend_of(d) == DB_POSTGRES
		? "SELECT 1 WHERE to_regclass('schema_migration') IS NOT NULL"
		: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'";
	db_stmt *st = db_prepare(d, sql);
	int rc = db_step(st);
	db_reset(st);
	return rc;
}

int db_schema_version(db *d)
{
	int exists = table_exists(d);
	if (exists <= 0)
		return exists;
	db_stmt *st = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migration");
	int rc = db_step(st);
	int version = rc == DB_ROW ? (int)db_col_int64(st, 0) : rc;
	db_reset(st);
	return version;
}

int db_migrations_known(void)
{
	return (int)hearth_migrations_count;
}

int db_schema_latest(void)
{
	return hearth_migrations_count
		       ? migration_number(hearth_migrations[hearth_migrations_count - 1].name)
		       : 0;
}

/* 1 when the migration is recorded, 0 when not, or a negative ERR_*. */
static int is_applied(db *d, int version)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM schema_migration WHERE version = ?");
	db_bind_int64(st, 1, version);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc;
}

static int record(db *d, int version, const char *name)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)");
	db_bind_int64(st, 1, version);
	db_bind_text(st, 2, name);
	db_bind_int64(st, 3, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Appends line to out, on SQLite with "BIGINT PRIMARY KEY" made the rowid
 * alias "INTEGER PRIMARY KEY". */
static void append_line(db *d, const char *line, size_t n, buf *out)
{
	static const char from[] = "BIGINT PRIMARY KEY", to[] = "INTEGER PRIMARY KEY";
	const size_t flen = sizeof from - 1;
	while (db_backend_of(d) == DB_SQLITE && n >= flen) {
		const char *p = memmem(line, n, from, flen);
		if (!p)
			break;
		buf_append(out, line, (size_t)(p - line));
		buf_puts(out, to);
		n -= (size_t)(p - line) + flen;
		line = p + flen;
	}
	buf_append(out, line, n);
}

/* The migration's SQL as this backend runs it, in out. Where the dialects
 * must differ (full-text search), a file marks its parts with a line
 * "-- @sqlite", "-- @postgres" or "-- @both"; everything else is shared. */
static void dialect_sql(db *d, const char *sql, buf *out)
{
	const char *mine = db_backend_of(d) == DB_SQLITE ? "-- @sqlite" : "-- @postgres";
	bool keep = true;
	while (*sql) {
		size_t n = strcspn(sql, "\n");
		size_t len = n;
		while (len > 0 && (sql[len - 1] == ' ' || sql[len - 1] == '\r'))
			len--;
		if (len >= 5 && strncmp(sql, "-- @", 4) == 0) {
			if (len == 8 && strncmp(sql, "-- @both", 8) == 0)
				keep = true;
			else
				keep = len == strlen(mine) && strncmp(sql, mine, len) == 0;
		} else if (keep)
			append_line(d, sql, n, out);
		sql += n;
		if (*sql == '\n') {
			if (keep)
				buf_putc(out, '\n');
			sql++;
		}
	}
}

/* Applies one migration in its own transaction. Returns 1 when applied, 0
 * when another process got there first, or a negative ERR_* with e filled. */
static int apply_one(db *d, const struct embedded_file *f, int version, herr *e)
{
	buf sql = BUF_INIT;
	dialect_sql(d, (const char *)f->data, &sql);
	if (sql.oom) {
		buf_free(&sql);
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory reading migration %s.", f->name);
	}
	int rc = begin_migrating(d);
	int applied = rc < 0 ? rc : is_applied(d, version);
	if (applied == 0) {
		rc = db_exec_script(d, sql.data);
		if (rc == 0)
			rc = record(d, version, f->name);
	} else {
		rc = applied < 0 ? applied : 0;
	}
	if (rc == 0)
		rc = db_commit(d);
	buf_free(&sql);
	if (rc < 0) {
		char why[sizeof d->errmsg];
		memcpy(why, d->errmsg, sizeof why);
		db_rollback(d);
		return herr_set(e, rc, NULL, "Migration %s failed: %s", f->name, why);
	}
	return applied == 0 ? 1 : 0;
}

int db_migrate_files(db *d, const struct embedded_file *files, herr *e)
{
	int newest_known = check_list(files, e);
	if (newest_known < 0)
		return newest_known;
	if (db_in_transaction(d))
		return herr_set(e, ERR_INTERNAL, NULL, "Migrations cannot run inside a transaction.");
	if (create_record_table(d) < 0)
		return herr_set(e, ERR_DB, NULL, "Could not create the schema_migration table: %s",
				db_errmsg(d));
	int current = db_schema_version(d);
	if (current < 0)
		return herr_set(e, current, NULL, "Could not read the schema version: %s",
				db_errmsg(d));
	if (current > newest_known)
		return herr_set(e, ERR_DB, NULL,
				"The database has schema version %d but this program knows only up "
				"to %d: run a newer hearth.", current, newest_known);
	int count = 0;
	for (const struct embedded_file *f = files; f->name; f++) {
		int version = migration_number(f->name);
		int rc = is_applied(d, version);
		if (rc == 0)
			rc = apply_one(d, f, version, e);
		else if (rc < 0)
			herr_set(e, rc, NULL, "Could not read the record of migration %s: %s",
				 f->name, db_errmsg(d));
		else
			rc = 0;
		if (rc < 0)
			return rc;
		count += rc;
	}
	return count;
}

int db_migrate(db *d, herr *e)
{
	return db_migrate_files(d, hearth_migrations, e);
}
