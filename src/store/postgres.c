/* postgres.c - the PostgreSQL backend of the storage interface (see db.h and
 * db_internal.h), over libpq.
 *
 * Statements are written with "?" placeholders for both backends; here they
 * are rewritten to $1, $2, ... and prepared on the server once per connection
 * under a generated name ("s1", "s2", ...). Parameters travel as text and
 * results come back as text, which db_col_* parse: the server infers each
 * parameter's type from the statement, so the same bindings work for BIGINT,
 * INTEGER and TEXT columns.
 *
 * Bulk loads (bulk.c) arrive as whole rows in COPY's text format and go
 * to the server with COPY ... FROM STDIN, one command per batch.
 *
 * If the connection is lost, it is re-established at the next use outside a
 * transaction and statements are prepared again on first use; a statement
 * that failed because of the loss is never re-run, since it may have been
 * applied. */
#include "db_internal.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOLOID 16   /* pg_type.oid of boolean, from catalog/pg_type.h */

struct pg_db {
	db base;
	PGconn *conn;
	unsigned generation;     /* bumped on every reconnection */
	unsigned next_name;      /* for statement names s1, s2, ... */
	int64_t changes;
};

struct pg_stmt {
	db_stmt base;
	char name[16];
	char *pg_sql;            /* the rewritten text, kept to prepare again */
	unsigned generation;     /* of the connection it was prepared on */
	int nparams;
	buf params;              /* bound values, NUL-separated */
	long *offsets;           /* into params; -1 for NULL */
	const char **values;     /* built from offsets when executing */
	PGresult *res;           /* NULL until executed */
	int row, nrows;
	PGresult *desc;          /* from PQdescribePrepared, when asked before running */
};

static struct pg_db *pg_of(db *d)
{
	return (struct pg_db *)d;
}

static struct pg_stmt *pst_of(db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* ---- placeholder rewriting ---------------------------------------------- */

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' || (c & 0x80);
}

/* Length of a dollar-quote tag ("$$" or "$tag$") starting at s, or 0. */
static size_t dollar_tag_len(const char *s)
{
	size_t i = 1;
	if (s[i] != '$' && !(isalpha((unsigned char)s[i]) || s[i] == '_' || (s[i] & 0x80)))
		return 0;
	while (s[i] && s[i] != '$') {
		if (!is_ident_char(s[i]))
			return 0;
		i++;
	}
	return s[i] == '$' ? i + 1 : 0;
}

/* Index just past the quoted text that starts at sql[i] (a string, quoted
 * identifier, comment or dollar-quoted string; n is strlen(sql)), or i when
 * nothing quoted starts there. Unterminated text runs to the end of sql; the
 * server will report it. */
static size_t skip_quoted(const char *sql, size_t n, size_t i)
{
	char c = sql[i];
	if (c == '\'') {
		/* E'...' strings take backslash escapes; '' is a quote in both. */
		bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
			       (i == 1 || !is_ident_char(sql[i - 2]));
		for (i++; i < n; i++) {
			if (escapes && sql[i] == '\\' && i + 1 < n)
				i++;
			else if (sql[i] == '\'')
				return i + 1;
		}
		return n;
	}
	if (c == '"') {
		const char *end = strchr(sql + i + 1, '"');
		return end ? (size_t)(end - sql) + 1 : n;
	}
	if (c == '-' && sql[i + 1] == '-') {
		const char *end = strchr(sql + i, '\n');
		return end ? (size_t)(end - sql) + 1 : n;
	}
	if (c == '/' && sql[i + 1] == '*') {
		int depth = 0;   /* PostgreSQL block comments nest */
		for (; i < n; i++) {
			if (sql[i] == '/' && sql[i + 1] == '*') {
				depth++;
				i++;
			} else if (sql[i] == '*' && sql[i + 1] == '/') {
				i++;
				if (--depth == 0)
					return i + 1;
			}
		}
		return n;
	}
	if (c == '$' && (i == 0 || !is_ident_char(sql[i - 1]))) {
		size_t tag = dollar_tag_len(sql + i);
		if (!tag)
			return i;
		for (size_t j = i + tag; j + tag <= n; j++)
			if (sql[j] == '$' && strncmp(sql + j, sql + i, tag) == 0)
				return j + tag;
		return n;
	}
	return i;
}

void pg_rewrite_placeholders(const char *sql, buf *out, int *ret_nparams)
{
	int nparams = 0;
	size_t n = strlen(sql), i = 0;
	while (i < n) {
		size_t end = skip_quoted(sql, n, i);
		if (end > i) {
			buf_append(out, sql + i, end - i);
			i = end;
		} else if (sql[i] == '?') {
			buf_printf(out, "$%d", ++nparams);
			i++;
		} else {
			buf_putc(out, sql[i]);
			i++;
		}
	}
	if (!out->data)
		buf_reserve(out, 0);
	*ret_nparams = nparams;
}

/* ---- errors ---------------------------------------------------------------- */

/* Copies libpq's message without its trailing newline. */
static int set_pg_error(db *d, int code, const char *msg)
{
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return db_set_error(d, code, "%.*s", (int)n, msg);
}

/* Unique (23505) and foreign-key (23503) violations are conflicts with the
 * state of the data; other errors, other constraints included, are ERR_DB. */
static int result_error(db *d, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int code = state && (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0)
		? ERR_CONFLICT : ERR_DB;
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!*msg)
		msg = PQerrorMessage(pg_of(d)->conn);
	if (!*msg)
		msg = "PostgreSQL returned no result";
	return set_pg_error(d, code, msg);
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	return res && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY);
}

/* Runs sql without parameters; 0 or a negative ERR_*. */
static int exec_simple(db *d, const char *sql)
{
	PGresult *res = PQexec(pg_of(d)->conn, sql);
	int rc = result_ok(res) ? 0 : result_error(d, res);
	PQclear(res);
	return rc;
}

/* ---- connection ------------------------------------------------------------ */

/* Notices and warnings are for a log, and library code does not log. */
static void ignore_notice(void *arg, const char *message)
{
}

static int setup_session(db *d)
{
	PGconn *conn = pg_of(d)->conn;
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	if (PQsetClientEncoding(conn, "UTF8") != 0)
		return set_pg_error(d, ERR_DB, PQerrorMessage(conn));
	return exec_simple(d, "SET client_min_messages = warning");
}

/* Re-establishes a lost connection, but never inside a transaction: its
 * work is gone and the caller must hear about it. */
static int ensure_connected(db *d)
{
	struct pg_db *pd = pg_of(d);
	if (PQstatus(pd->conn) == CONNECTION_OK)
		return 0;
	if (d->in_tx)
		return set_pg_error(d, ERR_DB, "connection to PostgreSQL lost during a transaction");
	PQreset(pd->conn);
	if (PQstatus(pd->conn) != CONNECTION_OK)
		return set_pg_error(d, ERR_DB, PQerrorMessage(pd->conn));
	pd->generation++;
	return setup_session(d);
}

static db *pg_open(const char *url, herr *e)
{
	struct pg_db *pd = calloc(1, sizeof *pd);
	if (!pd) {
		herr_set(e, ERR_NOMEM, NULL, "Out of memory opening the database.");
		return NULL;
	}
	pd->conn = PQconnectdb(url);
	if (!pd->conn) {
		herr_set(e, ERR_NOMEM, NULL, "Out of memory connecting to PostgreSQL.");
		free(pd);
		return NULL;
	}
	int rc = PQstatus(pd->conn) == CONNECTION_OK
		? setup_session(&pd->base)
		: set_pg_error(&pd->base, ERR_DB, PQerrorMessage(pd->conn));
	if (rc < 0) {
		/* The URL may hold a password, so it is not repeated here. */
		herr_set(e, ERR_DB, "database", "Could not connect to PostgreSQL: %s",
			 pd->base.errmsg);
		PQfinish(pd->conn);
		free(pd);
		return NULL;
	}
	return &pd->base;
}

static void pg_close(db *d)
{
	PQfinish(pg_of(d)->conn);
	free(d);
}

static int pg_exec_script(db *d, const char *sql)
{
	int rc = ensure_connected(d);
	return rc < 0 ? rc : exec_simple(d, sql);
}

/* A COMMIT of a transaction the server had already aborted succeeds but
 * reports "ROLLBACK": that is a failure to the caller. */
static int pg_commit(db *d)
{
	PGresult *res = PQexec(pg_of(d)->conn, "COMMIT");
	int rc = 0;
	if (!result_ok(res))
		rc = result_error(d, res);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		rc = set_pg_error(d, ERR_DB, "the server rolled the transaction back");
	PQclear(res);
	return rc;
}

static bool pg_in_transaction(db *d)
{
	PGTransactionStatusType s = PQtransactionStatus(pg_of(d)->conn);
	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

/* ---- statements ------------------------------------------------------------ */

static int prepare_on_server(db *d, struct pg_stmt *ps)
{
	struct pg_db *pd = pg_of(d);
	PGresult *res = PQprepare(pd->conn, ps->name, ps->pg_sql, ps->nparams, NULL);
	int rc = result_ok(res) ? 0 : result_error(d, res);
	PQclear(res);
	if (rc == 0)
		ps->generation = pd->generation;
	return rc;
}

static void pg_stmt_free(struct pg_stmt *ps)
{
	PQclear(ps->res);
	PQclear(ps->desc);
	buf_free(&ps->params);
	free(ps->pg_sql);
	free(ps->offsets);
	free(ps->values);
	free(ps);
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
	struct pg_db *pd = pg_of(d);
	if (ensure_connected(d) < 0)
		return NULL;
	struct pg_stmt *ps = calloc(1, sizeof *ps);
	if (!ps) {
		db_set_error(d, ERR_NOMEM, "out of memory preparing a statement");
		return NULL;
	}
	buf text = BUF_INIT;
	pg_rewrite_placeholders(sql, &text, &ps->nparams);
	ps->pg_sql = buf_take(&text);
	size_t slots = ps->nparams ? (size_t)ps->nparams : 1;
	ps->offsets = malloc(slots * sizeof *ps->offsets);
	ps->values = calloc(slots, sizeof *ps->values);
	if (!ps->pg_sql || !ps->offsets || !ps->values) {
		db_set_error(d, ERR_NOMEM, "out of memory preparing a statement");
		pg_stmt_free(ps);
		return NULL;
	}
	for (int i = 0; i < ps->nparams; i++)
		ps->offsets[i] = -1;
	snprintf(ps->name, sizeof ps->name, "s%u", ++pd->next_name);
	if (prepare_on_server(d, ps) < 0) {
		pg_stmt_free(ps);
		return NULL;
	}
	return &ps->base;
}

/* Statements replaced in the cache are dropped on the server too; when the
 * whole connection closes, the server forgets them anyway. */
static void pg_finalize(db_stmt *st, bool closing)
{
	struct pg_stmt *ps = pst_of(st);
	struct pg_db *pd = pg_of(st->d);
	if (!closing && ps->generation == pd->generation &&
	    PQstatus(pd->conn) == CONNECTION_OK &&
	    PQtransactionStatus(pd->conn) != PQTRANS_INERROR) {
		char sql[32];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", ps->name);
		PQclear(PQexec(pd->conn, sql));
	}
	pg_stmt_free(ps);
}

/* Appends the text value of parameter idx (1-based) to the statement. */
static int bind_value(db_stmt *st, int idx, const char *s, size_t n)
{
	struct pg_stmt *ps = pst_of(st);
	if (idx > ps->nparams)
		return db_set_error(st->d, ERR_DB, "bind index %d out of range (%d parameters): %s",
				    idx, ps->nparams, st->sql);
	long at = (long)ps->params.len;
	buf_append(&ps->params, s, n);
	buf_putc(&ps->params, '\0');
	if (ps->params.oom)
		return db_set_error(st->d, ERR_NOMEM, "out of memory binding a parameter");
	ps->offsets[idx - 1] = at;
	return 0;
}

static int pg_bind_int64(db_stmt *st, int idx, int64_t v)
{
	char text[24];
	int n = snprintf(text, sizeof text, "%lld", (long long)v);
	return bind_value(st, idx, text, (size_t)n);
}

static int pg_bind_double(db_stmt *st, int idx, double v)
{
	char text[40];
	int n = snprintf(text, sizeof text, "%.17g", v);
	return bind_value(st, idx, text, (size_t)n);
}

static int pg_bind_textn(db_stmt *st, int idx, const char *s, size_t n)
{
	return bind_value(st, idx, s, n);
}

static int pg_bind_null(db_stmt *st, int idx)
{
	struct pg_stmt *ps = pst_of(st);
	if (idx > ps->nparams)
		return db_set_error(st->d, ERR_DB, "bind index %d out of range (%d parameters): %s",
				    idx, ps->nparams, st->sql);
	ps->offsets[idx - 1] = -1;
	return 0;
}

/* Only writes count as changes, as in SQLite: a SELECT leaves the count. */
static void note_changes(struct pg_db *pd, PGresult *res)
{
	const char *status = PQcmdStatus(res);
	if (strncmp(status, "INSERT", 6) == 0 || strncmp(status, "UPDATE", 6) == 0 ||
	    strncmp(status, "DELETE", 6) == 0 || strncmp(status, "MERGE", 5) == 0)
		pd->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

static int execute(db_stmt *st)
{
	struct pg_stmt *ps = pst_of(st);
	struct pg_db *pd = pg_of(st->d);
	int rc = ensure_connected(st->d);
	if (rc == 0 && ps->generation != pd->generation)
		rc = prepare_on_server(st->d, ps);
	if (rc < 0)
		return rc;
	for (int i = 0; i < ps->nparams; i++)
		ps->values[i] = ps->offsets[i] < 0 ? NULL : ps->params.data + ps->offsets[i];
	PGresult *res = PQexecPrepared(pd->conn, ps->name, ps->nparams, ps->values, NULL, NULL, 0);
	if (!result_ok(res)) {
		rc = result_error(st->d, res);
		PQclear(res);
		return rc;
	}
	note_changes(pd, res);
	ps->res = res;
	ps->row = 0;
	ps->nrows = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
	return 0;
}

static int pg_step(db_stmt *st)
{
	struct pg_stmt *ps = pst_of(st);
	if (!ps->res) {
		int rc = execute(st);
		if (rc < 0)
			return rc;
	} else {
		ps->row++;
	}
	return ps->row < ps->nrows ? DB_ROW : DB_DONE;
}

static void pg_reset(db_stmt *st)
{
	struct pg_stmt *ps = pst_of(st);
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = ps->nrows = 0;
	buf_reset(&ps->params);
	for (int i = 0; i < ps->nparams; i++)
		ps->offsets[i] = -1;
}

/* Before the first step there is no result yet; the column count then comes
 * from describing the prepared statement (one round trip, remembered). */
static int pg_column_count(db_stmt *st)
{
	struct pg_stmt *ps = pst_of(st);
	if (ps->res)
		return PQnfields(ps->res);
	if (!ps->desc && ps->generation == pg_of(st->d)->generation) {
		PGresult *res = PQdescribePrepared(pg_of(st->d)->conn, ps->name);
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			ps->desc = res;
		else
			PQclear(res);
	}
	return ps->desc ? PQnfields(ps->desc) : 0;
}

/* The text of column col on the current row; NULL for SQL NULL. db.c has
 * checked that there is a row and that col is in range. */
static const char *value_of(db_stmt *st, int col)
{
	struct pg_stmt *ps = pst_of(st);
	if (!ps->res || ps->row >= ps->nrows || PQgetisnull(ps->res, ps->row, col))
		return NULL;
	return PQgetvalue(ps->res, ps->row, col);
}

static bool is_bool_column(db_stmt *st, int col)
{
	return PQftype(pst_of(st)->res, col) == BOOLOID;
}

static bool pg_col_is_null(db_stmt *st, int col)
{
	return value_of(st, col) == NULL;
}

static int64_t pg_col_int64(db_stmt *st, int col)
{
	const char *v = value_of(st, col);
	if (!v)
		return 0;
	if (is_bool_column(st, col))
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static double pg_col_double(db_stmt *st, int col)
{
	const char *v = value_of(st, col);
	if (!v)
		return 0.0;
	if (is_bool_column(st, col))
		return v[0] == 't';
	return strtod(v, NULL);
}

static const char *pg_col_text(db_stmt *st, int col)
{
	return value_of(st, col);
}

static bool pg_col_bool(db_stmt *st, int col)
{
	const char *v = value_of(st, col);
	if (!v)
		return false;
	if (is_bool_column(st, col))
		return v[0] == 't';
	return strtoll(v, NULL, 10) != 0;
}

static int64_t pg_changes(db *d)
{
	return pg_of(d)->changes;
}

/* ---- COPY ------------------------------------------------------------------ */

/* libpq takes copy data in pieces of at most INT_MAX bytes; bulk.c sends
 * about a megabyte at a time, so one piece is the rule. */
#define COPY_PIECE_BYTES (1 << 24)

/* Sends the data and says it is complete, or, after a failure to send, asks
 * the server to abandon the COPY. Returns 0 or the failure. */
static int copy_send(db *d, const char *data, size_t n)
{
	PGconn *conn = pg_of(d)->conn;
	int rc = 0;
	for (size_t at = 0; rc == 0 && at < n;) {
		size_t piece = n - at < COPY_PIECE_BYTES ? n - at : COPY_PIECE_BYTES;
		if (PQputCopyData(conn, data + at, (int)piece) != 1)
			rc = set_pg_error(d, ERR_DB, PQerrorMessage(conn));
		at += piece;
	}
	if (PQputCopyEnd(conn, rc ? "the client could not send the rows" : NULL) != 1 && rc == 0)
		rc = set_pg_error(d, ERR_DB, PQerrorMessage(conn));
	return rc;
}

/* The COPY's outcome: every result is read, so the connection is ready for
 * the next command; the first failure is kept, with the server's message. */
static int copy_outcome(db *d, int rc)
{
	PGresult *res;
	while ((res = PQgetResult(pg_of(d)->conn))) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = result_error(d, res);
		PQclear(res);
	}
	return rc;
}

static int pg_copy_in(db *d, const char *copy_sql, const char *data, size_t n)
{
	int rc = ensure_connected(d);
	if (rc < 0)
		return rc;
	PGresult *res = PQexec(pg_of(d)->conn, copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = result_ok(res) ? set_pg_error(d, ERR_DB, "COPY did not start")
				    : result_error(d, res);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	return copy_outcome(d, copy_send(d, data, n));
}

const struct db_ops db_postgres_ops = {
	.backend = DB_POSTGRES,
	.name = "postgres",
	/* A read transaction sees one snapshot, as SQLite's does, and refuses
	 * writes, which SQLite can only take by upgrading its lock. */
	.begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	.begin_write_sql = "BEGIN",
	.open = pg_open,
	.close = pg_close,
	.exec_script = pg_exec_script,
	.commit = pg_commit,
	.in_transaction = pg_in_transaction,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_textn = pg_bind_textn,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.column_count = pg_column_count,
	.col_is_null = pg_col_is_null,
	.col_int64 = pg_col_int64,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_bool = pg_col_bool,
	.changes = pg_changes,
	.copy_in = pg_copy_in,
};
