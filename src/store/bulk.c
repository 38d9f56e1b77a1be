/* bulk.c - bulk loading (db_bulk in db.h): many rows into one table.
 *
 * A backend with COPY (PostgreSQL: ops->copy_in) gets the rows in COPY's
 * text format, gathered in a buffer per bulk and sent a few thousand at a
 * time; the others (SQLite) insert each row when it ends through one
 * prepared INSERT, which costs no round trip there.
 *
 * Gathered rows must never be overtaken by other work on the connection, so
 * db.c calls db_bulk_send_unsent() before every statement, script, begin and
 * commit, and that sends every bulk's rows, oldest bulk first: a child
 * table's rows never reach the server before the parent rows they refer
 * to, when the parent's bulk was begun first. Only whole rows are sent. */
#include "db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows are sent once a bulk has gathered this much: large enough that the
 * round trip is a small part of the work, small enough not to matter in
 * memory. */
#define SEND_AT_BYTES (1 << 20)

struct db_bulk {
	db *d;
	struct db_bulk *next;      /* the connection's open bulks, oldest first */
	int ncols;
	int col;                   /* values given so far in the current row */
	int error;                 /* the first failure, returned from then on */
	db_stmt *insert;           /* without COPY: the prepared INSERT */
	char *copy_sql;            /* with COPY: "COPY table (columns) FROM STDIN" */
	buf rows;                  /* with COPY: rows in its text format */
	size_t whole;              /* bytes of rows that are whole rows */
	int64_t unsent;            /* whole rows in rows */
};

/* ---- names ------------------------------------------------------------------ */

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Length of the identifier at s, or 0 when none starts there. */
static size_t ident_len(const char *s)
{
	if (!is_ident_start(*s))
		return 0;
	size_t n = 1;
	while (is_ident_char(s[n]))
		n++;
	return n;
}

/* Number of identifiers in a list like "a, b,c", or -1 when it is anything
 * else. The names go into SQL text unquoted, so nothing else may pass. */
static int count_columns(const char *columns)
{
	int n = 0;
	const char *s = columns;
	for (;;) {
		while (*s == ' ')
			s++;
		size_t len = ident_len(s);
		if (!len)
			return -1;
		n++;
		s += len;
		while (*s == ' ')
			s++;
		if (!*s)
			return n;
		if (*s++ != ',')
			return -1;
	}
}

/* ---- the two ways in -------------------------------------------------------- */

/* Without COPY: "INSERT INTO table (columns) VALUES (?, ?, ...)", interned
 * so that the statement cache keeps it for the connection's life. */
static int prepare_insert(db_bulk *b, const char *table, const char *columns)
{
	buf sql = BUF_INIT;
	buf_printf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
	for (int i = 0; i < b->ncols; i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_putc(&sql, ')');
	const char *text = sql.oom ? NULL : db_sql_intern(sql.data);
	buf_free(&sql);
	if (!text)
		return db_set_error(b->d, ERR_NOMEM, "out of memory beginning a bulk load");
	b->insert = db_prepare(b->d, text);
	return b->insert ? 0 : ERR_DB;
}

static int prepare_copy(db_bulk *b, const char *table, const char *columns)
{
	buf sql = BUF_INIT;
	buf_printf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
	b->copy_sql = sql.oom ? NULL : buf_take(&sql);
	buf_free(&sql);
	return b->copy_sql ? 0 : db_set_error(b->d, ERR_NOMEM, "out of memory beginning a bulk load");
}

static void bulk_free(db_bulk *b)
{
	if (b->insert)
		db_reset(b->insert);
	free(b->copy_sql);
	buf_free(&b->rows);
	free(b);
}

db_bulk *db_bulk_begin(db *d, const char *table, const char *columns)
{
	int ncols = count_columns(columns);
	size_t table_len = ident_len(table);
	if (!table_len || table[table_len] || ncols < 1) {
		db_set_error(d, ERR_DB, "db_bulk_begin: a table name and a list of column names "
			     "are needed, not \"%s\" and \"%s\"", table, columns);
		return NULL;
	}
	db_bulk *b = calloc(1, sizeof *b);
	if (!b) {
		db_set_error(d, ERR_NOMEM, "out of memory beginning a bulk load");
		return NULL;
	}
	b->d = d;
	b->ncols = ncols;
	int rc = d->ops->copy_in ? prepare_copy(b, table, columns)
				 : prepare_insert(b, table, columns);
	if (rc < 0) {
		bulk_free(b);
		return NULL;
	}
	db_bulk **end = &d->bulks;
	while (*end)
		end = &(*end)->next;
	*end = b;
	return b;
}

/* ---- sending ---------------------------------------------------------------- */

/* Drops the whole rows from the buffer, keeping a half-made row. */
static void drop_whole_rows(db_bulk *b)
{
	size_t rest = b->rows.len - b->whole;
	if (rest)
		memmove(b->rows.data, b->rows.data + b->whole, rest);
	b->rows.len = rest;
	if (b->rows.data)
		b->rows.data[rest] = '\0';
	b->whole = 0;
	b->d->bulk_unsent -= b->unsent;
	b->unsent = 0;
}

static int send_rows(db_bulk *b)
{
	if (!b->unsent)
		return 0;
	int rc = b->d->ops->copy_in(b->d, b->copy_sql, b->rows.data, b->whole);
	drop_whole_rows(b);
	if (rc < 0 && !b->error)
		b->error = rc;
	return rc;
}

int db_bulk_send_unsent(db *d)
{
	if (!d->bulk_unsent)
		return 0;
	/* A transaction that has failed takes nothing more: the rows go
	 * with it when it is rolled back. */
	if (d->in_tx && d->tx_error) {
		for (db_bulk *b = d->bulks; b; b = b->next)
			drop_whole_rows(b);
		return 0;
	}
	int rc = 0;
	for (db_bulk *b = d->bulks; b; b = b->next) {
		if (rc == 0)
			rc = send_rows(b);
		else
			drop_whole_rows(b);   /* after a failure the server refuses all */
	}
	return db_note_failure(d, rc);
}

void db_bulk_forget_unsent(db *d)
{
	for (db_bulk *b = d->bulks; b; b = b->next) {
		b->whole = b->rows.len;
		drop_whole_rows(b);
		if (b->insert)
			db_reset(b->insert);
		b->col = 0;
		b->error = 0;
	}
}

static void unlink_bulk(db_bulk *b)
{
	db_bulk **at = &b->d->bulks;
	while (*at && *at != b)
		at = &(*at)->next;
	if (*at)
		*at = b->next;
}

void db_bulk_close_all(db *d)
{
	while (d->bulks) {
		db_bulk *b = d->bulks;
		drop_whole_rows(b);
		d->bulks = b->next;
		bulk_free(b);
	}
}

int db_bulk_finish(db_bulk *b)
{
	if (!b)
		return 0;
	int rc = b->error;
	if (rc == 0 && b->col)
		rc = db_set_error(b->d, ERR_DB, "db_bulk_finish: the last row has %d of %d values",
				  b->col, b->ncols);
	db *d = b->d;
	if (rc == 0)
		rc = db_bulk_send_unsent(d);
	drop_whole_rows(b);
	unlink_bulk(b);
	bulk_free(b);
	return db_note_failure(d, rc);
}

/* ---- values ----------------------------------------------------------------- */

/* Makes the bulk fail from now on with rc (and a message already set). */
static int bulk_fail(db_bulk *b, int rc)
{
	if (!b->error)
		b->error = rc;
	return db_note_failure(b->d, rc);
}

/* Before a value: 0 when one more fits the row (the bulk fails when not),
 * and with COPY the tab that separates it from the one before, so that a
 * row is "v1\tv2\t...\tvn\n". */
static int value_begin(db_bulk *b)
{
	if (b->error)
		return b->error;
	if (b->col >= b->ncols)
		return bulk_fail(b, db_set_error(b->d, ERR_DB, "bulk load: more than %d values in "
						 "a row (%s)", b->ncols,
						 b->copy_sql ? b->copy_sql : b->insert->sql));
	if (!b->insert && b->col)
		buf_putc(&b->rows, '\t');
	return 0;
}

/* Counts a value given; rc is the bind's result without COPY, else 0. */
static int value_added(db_bulk *b, int rc)
{
	b->col++;
	return rc < 0 ? bulk_fail(b, rc) : 0;
}

/* COPY's text format: backslash, newline, carriage return and tab are
 * written as backslash escapes; everything else, UTF-8 included, as is. */
static void copy_text(buf *out, const char *s)
{
	for (;;) {
		size_t plain = strcspn(s, "\\\n\r\t");
		buf_append(out, s, plain);
		s += plain;
		switch (*s++) {
		case '\0': return;
		case '\\': buf_append(out, "\\\\", 2); break;
		case '\n': buf_append(out, "\\n", 2); break;
		case '\r': buf_append(out, "\\r", 2); break;
		case '\t': buf_append(out, "\\t", 2); break;
		}
	}
}

int db_bulk_int64(db_bulk *b, int64_t v)
{
	int rc = value_begin(b);
	if (rc < 0)
		return rc;
	if (b->insert)
		rc = db_bind_int64(b->insert, b->col + 1, v);
	else
		buf_printf(&b->rows, "%lld", (long long)v);
	return value_added(b, rc);
}

int db_bulk_double(db_bulk *b, double v)
{
	int rc = value_begin(b);
	if (rc < 0)
		return rc;
	if (b->insert)
		rc = db_bind_double(b->insert, b->col + 1, v);
	else
		buf_printf(&b->rows, "%.17g", v);
	return value_added(b, rc);
}

int db_bulk_bool(db_bulk *b, bool v)
{
	return db_bulk_int64(b, v ? 1 : 0);
}

int db_bulk_null(db_bulk *b)
{
	int rc = value_begin(b);
	if (rc < 0)
		return rc;
	if (b->insert)
		rc = db_bind_null(b->insert, b->col + 1);
	else
		buf_append(&b->rows, "\\N", 2);
	return value_added(b, rc);
}

int db_bulk_text(db_bulk *b, const char *s)
{
	if (!s)
		return db_bulk_null(b);
	int rc = value_begin(b);
	if (rc < 0)
		return rc;
	if (b->insert)
		rc = db_bind_text(b->insert, b->col + 1, s);
	else
		copy_text(&b->rows, s);
	return value_added(b, rc);
}

/* ---- rows ------------------------------------------------------------------- */

static int insert_row(db_bulk *b)
{
	int rc = db_step(b->insert);
	db_reset(b->insert);
	return rc < 0 ? bulk_fail(b, rc) : 0;
}

static int gather_row(db_bulk *b)
{
	buf_putc(&b->rows, '\n');
	if (b->rows.oom)
		return bulk_fail(b, db_set_error(b->d, ERR_NOMEM, "out of memory in a bulk load"));
	b->whole = b->rows.len;
	b->unsent++;
	b->d->bulk_unsent++;
	return b->rows.len >= SEND_AT_BYTES ? db_bulk_send_unsent(b->d) : 0;
}

int db_bulk_row_end(db_bulk *b)
{
	if (b->error)
		return b->error;
	int given = b->col;
	b->col = 0;
	if (given != b->ncols)
		return bulk_fail(b, db_set_error(b->d, ERR_DB, "bulk load: a row has %d of %d values "
						 "(%s)", given, b->ncols,
						 b->copy_sql ? b->copy_sql : b->insert->sql));
	return b->insert ? insert_row(b) : gather_row(b);
}
