/* plan_check.c - asks SQLite for the plan of every statement Hearth prepared
 * while the test suites ran, and fails any that reads a large table in full.
 *
 * DESIGN §8: the cost of a request must stay flat from a thousand members to
 * a million, so every query must reach large tables through an index. The
 * statements come from a statement log (HEARTH_SQL_LOG, see src/store/db.c:
 * NUL-terminated SQL texts); the plans come from EXPLAIN QUERY PLAN against a
 * database with the full schema. SQLite chooses plans from the schema (this
 * database holds no ANALYZE statistics), so a demo database gives the same
 * plans as a generated national one.
 *
 *   plan_check DATABASE STATEMENT_LOG RULES
 *
 * RULES lists, one a line, "small TABLE  # why" for tables whose size is set
 * by the network's configuration rather than its members (a full read of
 * those is fine) and "allow TEXT  # why" for a statement containing TEXT whose
 * scan is understood and accepted. Prints TAP: one line per distinct
 * statement, then "# pass N" and "# fail N". Exit status 1 on any failure. */
#include "store/search_rank.h"

#include <ctype.h>
#include <regex.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rules {
	char **small, **allow;
	size_t n_small, n_allow;
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = realloc(buf, (cap *= 2) + 1);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static void push(char ***list, size_t *n, const char *s, size_t len)
{
	*list = realloc(*list, (*n + 1) * sizeof **list);
	(*list)[*n] = strndup(s, len);
	(*n)++;
}

/* "small TABLE # why" and "allow TEXT # why"; blank lines and comments skip. */
static int read_rules(const char *path, struct rules *r)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return -1;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *hash = strstr(line, " #");
		if (hash)
			*hash = '\0';
		size_t end = strlen(line);
		while (end && isspace((unsigned char)line[end - 1]))
			line[--end] = '\0';
		if (!strncmp(line, "small ", 6))
			push(&r->small, &r->n_small, line + 6, strlen(line + 6));
		else if (!strncmp(line, "allow ", 6))
			push(&r->allow, &r->n_allow, line + 6, strlen(line + 6));
	}
	free(text);
	return 0;
}

static bool in_list(char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static bool is_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	bool found = false;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* The table an alias in sql stands for ("FROM person p", "JOIN person AS p"),
 * or the name itself when it is a table. Empty when neither. */
static void resolve_alias(sqlite3 *db, const char *sql, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	if (is_table(db, name)) {
		snprintf(out, size, "%s", name);
		return;
	}
	regex_t re;
	char pattern[256];
	snprintf(pattern, sizeof pattern,
		 "(FROM|JOIN|,)[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]+(AS[[:space:]]+)?%s([^A-Za-z0-9_]|$)",
		 name);
	if (regcomp(&re, pattern, REG_EXTENDED | REG_ICASE))
		return;
	regmatch_t m[3];
	if (regexec(&re, sql, 3, m, 0) == 0)
		snprintf(out, size, "%.*s", (int)(m[2].rm_eo - m[2].rm_so), sql + m[2].rm_so);
	regfree(&re);
}

/* A virtual table walked whole: an R*Tree (group_place) answers a lookup by
 * id as "INDEX 1:" and a box as "INDEX 2:" with one letter and column per
 * constrained edge ("INDEX 2:D3D1B2B0"); "INDEX 2:" with nothing after it
 * reads every point. */
static bool unconstrained_virtual(const char *detail)
{
	static const char walk[] = "VIRTUAL TABLE INDEX 2:";
	const char *p = strstr(detail, walk);
	return p && p[sizeof walk - 1] == '\0';
}

/* A plan step that reads a whole table ("SCAN t", "SCAN t USING INDEX i"
 * without a constraint) rather than searching it. Virtual tables searched
 * through their own index (FTS5 MATCH, an R*Tree box) and subqueries, CTEs
 * and constant rows are not table reads. */
static bool full_scan_of(sqlite3 *db, const char *sql, const char *detail, char *table, size_t size)
{
	if (strncmp(detail, "SCAN ", 5) != 0 ||
	    (strstr(detail, "VIRTUAL TABLE") && !unconstrained_virtual(detail)))
		return false;
	char name[128];
	if (sscanf(detail + 5, "%127[A-Za-z0-9_]", name) != 1)
		return false;
	resolve_alias(db, sql, name, table, size);
	return table[0] != '\0';
}

static bool skip_statement(const char *sql)
{
	static const char *const prefixes[] = {
		"BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "CREATE", "DROP", "ALTER", "SAVEPOINT",
		"RELEASE", "ANALYZE", "VACUUM",
	};
	while (isspace((unsigned char)*sql))
		sql++;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (!strncasecmp(sql, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static bool allowed(const struct rules *r, const char *sql)
{
	for (size_t i = 0; i < r->n_allow; i++)
		if (strstr(sql, r->allow[i]))
			return true;
	return false;
}

/* Checks one statement; returns 0 pass, 1 fail, -1 when it is not checked. */
static int check_statement(sqlite3 *db, const struct rules *r, const char *sql, int number)
{
	if (skip_statement(sql))
		return -1;
	size_t n = strlen(sql);
	char *eqp = malloc(n + 32);
	snprintf(eqp, n + 32, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, eqp, -1, &st, NULL);
	free(eqp);
	char oneline[120];
	snprintf(oneline, sizeof oneline, "%.110s", sql);
	for (char *c = oneline; *c; c++)
		if (*c == '\n' || *c == '\t' || *c == '#')
			*c = ' ';
	if (rc != SQLITE_OK) {
		printf("not ok %d - %s\n  # cannot plan: %s\n", number, oneline, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return 1;
	}
	char bad[512] = "";
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		char table[128];
		if (detail && full_scan_of(db, sql, detail, table, sizeof table) &&
		    !in_list(r->small, r->n_small, table) && !bad[0])
			snprintf(bad, sizeof bad, "%s (table %s)", detail, table);
	}
	sqlite3_finalize(st);
	if (bad[0] && !allowed(r, sql)) {
		printf("not ok %d - %s\n  # full scan: %s\n  # SQL: ", number, oneline, bad);
		for (const char *c = sql; *c; c++)
			putchar(*c == '\n' ? ' ' : *c);
		putchar('\n');
		return 1;
	}
	printf("ok %d - %s\n", number, oneline);
	return 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: plan_check DATABASE STATEMENT_LOG RULES\n");
		return 2;
	}
	struct rules r = { 0 };
	if (read_rules(argv[3], &r)) {
		fprintf(stderr, "plan_check: cannot read %s\n", argv[3]);
		return 2;
	}
	size_t len;
	char *log = read_file(argv[2], &len);
	if (!log) {
		fprintf(stderr, "plan_check: cannot read %s\n", argv[2]);
		return 2;
	}
	char **sqls = NULL;
	size_t n = 0;
	for (size_t at = 0; at < len; at += strlen(log + at) + 1)
		if (log[at])
			push(&sqls, &n, log + at, strlen(log + at));
	qsort(sqls, n, sizeof *sqls, compare_strings);
	sqlite3 *db;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    search_rank_register(db) != SQLITE_OK) {
		fprintf(stderr, "plan_check: cannot open %s\n", argv[1]);
		return 2;
	}
	int number = 0, pass = 0, fail = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(sqls[i], sqls[i - 1]))
			continue;
		int rc = check_statement(db, &r, sqls[i], number + 1);
		if (rc < 0)
			continue;
		number++;
		rc ? fail++ : pass++;
	}
	printf("1..%d\n# pass %d\n# fail %d\n", number, pass, fail);
	sqlite3_close(db);
	return fail ? 1 : 0;
}
