/* search_rank.c - the directory's relevance rank on SQLite (see
 * search_rank.h): FTS5's bm25(), with each group's length in tokens kept
 * by the connection instead of looked up for every match.
 *
 * bm25() scores a row, for each phrase i of the query, as
 *
 *     idf(i) * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgD))
 *
 * with f the phrase's hits in the row, each counting its column's weight,
 * D the row's length in tokens and avgD the average length. FTS5 reads D
 * from its docsize table with one statement per matching row: on a
 * million-member network three quarters of a search by words went there
 * (bench/RESULTS.md, 2026-11-27). hearth_bm25 computes the same number,
 * operation for operation, taking D from a table of every group's length
 * that the connection reads once and again only after the index changed:
 * the store counts each change in search_index_state
 * (migrations/0018_search_lengths.sql). A row the table does not know
 * (written behind the store's back) has its length looked up as bm25()
 * does. Like bm25(), smaller is better. */
#include "search_rank.h"

#include "../base/idmap.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#define K1 1.2
#define B 0.75
#define IDF_LEAST 1e-6

/* What a connection keeps: every row's length, as of an index version. */
struct lengths {
	sqlite3 *conn;
	sqlite3_int64 version;      /* search_index_state's, 0 before a read */
	struct idmap rows;          /* rowid -> number */
	int *tokens;                /* by number: the row's length in tokens */
	size_t cap;
};

static void lengths_free(void *p)
{
	struct lengths *l = p;
	if (!l)
		return;
	idmap_free(&l->rows);
	free(l->tokens);
	free(l);
}

/* The varint at *p (SQLite's format, which FTS5's docsize uses), at most
 * `end - p` bytes; moves p past it. */
static unsigned read_varint(const unsigned char **p, const unsigned char *end)
{
	unsigned v = 0;
	for (int i = 0; *p < end && i < 5; i++) {
		unsigned char c = *(*p)++;
		v = (v << 7) | (c & 0x7f);
		if (!(c & 0x80))
			break;
	}
	return v;
}

static int remember(struct lengths *l, sqlite3_int64 rowid, int tokens)
{
	uint32_t k;
	if (idmap_number(&l->rows, rowid, &k))
		return SQLITE_NOMEM;
	if (k >= l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		int *t = realloc(l->tokens, cap * sizeof *t);
		if (!t)
			return SQLITE_NOMEM;
		l->tokens = t;
		l->cap = cap;
	}
	l->tokens[k] = tokens;
	return SQLITE_OK;
}

/* Reads every row's length (the sum of its columns' sizes). */
static int read_lengths(struct lengths *l)
{
	idmap_free(&l->rows);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(l->conn, "SELECT id, sz FROM group_fts_docsize", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 1);
		const unsigned char *end = p + sqlite3_column_bytes(st, 1);
		int tokens = 0;
		while (p && p < end)
			tokens += (int)read_varint(&p, end);
		rc = remember(l, sqlite3_column_int64(st, 0), tokens);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Reads the lengths again when the index changed since they were read.
 * The version's statement is prepared each time (a few microseconds, once
 * per search): one kept would stop the connection from closing, which
 * destroys this function's data only after every statement is finalised.
 * A database without the counter (before migration 0018) keeps no lengths:
 * each is looked up, as bm25() does. */
static int lengths_fresh(struct lengths *l)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(l->conn, "SELECT version FROM search_index_state", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		idmap_free(&l->rows);
		l->version = 0;
		return SQLITE_OK;
	}
	sqlite3_int64 version = 0;
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (version == l->version && l->version)
		return SQLITE_OK;
	l->version = 0;
	if ((rc = read_lengths(l)) == SQLITE_OK)
		l->version = version;
	return rc;
}

/* What one statement works out once: each phrase's idf (NAN until a row
 * holds the phrase: the phrases of "NOT status : (paused OR closed)" never
 * do, and counting their rows was a tenth of a search), the average
 * length, and room for the phrases' hits in a row. */
struct statement {
	int n_phrases;
	sqlite3_int64 rows;
	double avgdl;
	double *idf, *freq;
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *count)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)count)++;
	return SQLITE_OK;
}

/* As bm25() works them out, on the statement's first row. */
static int statement_start(const Fts5ExtensionApi *api, Fts5Context *fts, struct lengths *l,
			   struct statement **ret)
{
	if ((*ret = api->xGetAuxdata(fts, 0)) != NULL)
		return SQLITE_OK;
	int n = api->xPhraseCount(fts), rc = lengths_fresh(l);
	struct statement *s = rc == SQLITE_OK
		? sqlite3_malloc64(sizeof *s + 2 * sizeof(double) * (sqlite3_uint64)(n ? n : 1)) : NULL;
	if (rc == SQLITE_OK && !s)
		rc = SQLITE_NOMEM;
	sqlite3_int64 tokens = 0;
	if (rc == SQLITE_OK) {
		*s = (struct statement){ .n_phrases = n, .idf = (double *)(s + 1) };
		s->freq = s->idf + n;
		for (int i = 0; i < n; i++)
			s->idf[i] = NAN;
		rc = api->xRowCount(fts, &s->rows);
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	if (rc == SQLITE_OK)
		s->avgdl = (double)tokens / (double)s->rows;
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, s, sqlite3_free);
	else
		sqlite3_free(s);
	*ret = rc == SQLITE_OK ? s : NULL;
	return rc;
}

/* Phrase i's idf, counting the rows that hold it the first time. */
static int phrase_idf(const Fts5ExtensionApi *api, Fts5Context *fts, struct statement *s, int i)
{
	if (!isnan(s->idf[i]))
		return SQLITE_OK;
	sqlite3_int64 hits = 0;
	int rc = api->xQueryPhrase(fts, i, &hits, count_row);
	if (rc == SQLITE_OK) {
		double idf = log((s->rows - hits + 0.5) / (hits + 0.5));
		s->idf[i] = idf <= 0.0 ? IDF_LEAST : idf;
	}
	return rc;
}

/* The row's length: from the connection's table, or looked up. */
static int row_length(const Fts5ExtensionApi *api, Fts5Context *fts, const struct lengths *l,
		      double *ret)
{
	long k = idmap_find(&l->rows, api->xRowid(fts));
	if (k >= 0) {
		*ret = (double)l->tokens[k];
		return SQLITE_OK;
	}
	int tokens = 0;
	int rc = api->xColumnSize(fts, -1, &tokens);
	*ret = (double)tokens;
	return rc;
}

/* hearth_bm25(table, weight of column 0, weight of column 1, ...): a
 * column without a weight weighs 1. */
static void hearth_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			int n_weights, sqlite3_value **weights)
{
	struct lengths *l = api->xUserData(fts);
	struct statement *s;
	double D = 0, score = 0;
	int rc = statement_start(api, fts, l, &s);
	for (int i = 0; rc == SQLITE_OK && i < s->n_phrases; i++) {
		Fts5PhraseIter it;
		int col, offset;
		s->freq[i] = 0;
		for (api->xPhraseFirst(fts, i, &it, &col, &offset); col >= 0;
		     api->xPhraseNext(fts, &it, &col, &offset))
			s->freq[i] += col < n_weights ? sqlite3_value_double(weights[col]) : 1.0;
	}
	if (rc == SQLITE_OK)
		rc = row_length(api, fts, l, &D);
	/* A phrase the row does not hold adds idf * 0 = 0 to bm25()'s sum. */
	for (int i = 0; rc == SQLITE_OK && i < s->n_phrases; i++)
		if (s->freq[i] != 0 && (rc = phrase_idf(api, fts, s, i)) == SQLITE_OK)
			score += s->idf[i] * ((s->freq[i] * (K1 + 1.0)) /
					      (s->freq[i] + K1 * (1 - B + B * D / s->avgdl)));
	if (rc == SQLITE_OK)
		sqlite3_result_double(ctx, -1.0 * score);
	else
		sqlite3_result_error_code(ctx, rc);
}

/* FTS5's API, asked of the connection as its documentation shows. */
static fts5_api *fts5_of(sqlite3 *conn)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int search_rank_register(sqlite3 *conn)
{
	fts5_api *api = fts5_of(conn);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	struct lengths *l = calloc(1, sizeof *l);
	if (!l)
		return SQLITE_NOMEM;
	l->conn = conn;
	/* FTS5 frees l with lengths_free when the connection closes. */
	int rc = api->xCreateFunction(api, SEARCH_RANK_FUNCTION, l, hearth_bm25, lengths_free);
	if (rc != SQLITE_OK)
		lengths_free(l);
	return rc;
}
