/* analysis.c - an instrument's answers over time checked, scored and
 * summarised with the statistics engine (see analysis.h). */
#include "analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COL_PERSON (-1)
#define COL_TIME (-2)

static int nomem(herr *e)
{
	return herr_set(e, ERR_NOMEM, NULL, "Out of memory");
}

/* ---- reading -------------------------------------------------------- */

struct reader {
	const struct instrument *in;
	const char *name;
	long *cols;              /* per column: an item index, COL_PERSON or COL_TIME */
	size_t n_cols;
	arena *a;
	herr *e;
};

static int read_header(struct reader *r, const struct csv_record *h)
{
	long person = -1, time_col = -1;
	if (!(r->cols = arena_alloc(r->a, h->n_fields * sizeof *r->cols)))
		return nomem(r->e);
	r->n_cols = h->n_fields;
	for (size_t j = 0; j < h->n_fields; j++) {
		const char *f = h->fields[j];
		long col = -3;
		if (!strcmp(f, "person"))
			col = COL_PERSON;
		else if (!strcmp(f, "time"))
			col = COL_TIME;
		else
			for (size_t i = 0; i < r->in->n_items; i++)
				if (!strcmp(r->in->items[i].id, f))
					col = (long)i;
		if (col == -3)
			return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"%.60s\": not an "
					"item of %s (the columns are person, time and item ids)",
					r->name, h->line, f, r->in->id);
		for (size_t k = 0; k < j; k++)
			if (r->cols[k] == col)
				return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"%.60s\": "
						"appears twice (also column %zu)", r->name, h->line, f, k + 1);
		r->cols[j] = col;
		if (col == COL_PERSON)
			person = (long)j;
		if (col == COL_TIME)
			time_col = (long)j;
	}
	if (person < 0 || time_col < 0)
		return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu: there is no \"%s\" column (the "
				"header must name person, time and the item ids)", r->name, h->line,
				person < 0 ? "person" : "time");
	return 0;
}

static bool parse_whole(const char *s, int64_t *ret)
{
	char *end;
	if (!*s || strspn(s, "-0123456789") != strlen(s))
		return false;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return false;
	*ret = v;
	return true;
}

/* "2026-03-01" as days since 1970-01-01; false unless a real date. */
static bool parse_date(const char *s, int64_t *ret)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-')
		return false;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	time_t t = timegm(&tm);
	if (tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return false;   /* 2026-02-30 was normalised */
	*ret = (int64_t)(t / 86400);
	return true;
}

/* The item's values, "0, 1, 2, 3", for a message. */
static const char *values_text(const struct instrument_item *it, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < it->n_options && k + 16 < size; i++)
		k += (size_t)snprintf(out + k, size - k, "%s%d", i ? ", " : "", it->options[i].value);
	return out;
}

static int read_answer(struct reader *r, size_t line, const struct instrument_item *it,
		       const char *cell, int *ret)
{
	if (!*cell) {
		*ret = INSTRUMENT_MISSING;
		return 0;
	}
	char *end;
	double v = strtod(cell, &end);
	if (*end || !isfinite(v))
		return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"%s\": \"%.40s\" is not a "
				"number (leave the cell empty for an unanswered item)", r->name, line,
				it->id, cell);
	char values[128];
	if (v != floor(v) || fabs(v) > 1e6 || !instrument_value_allowed(it, (int)v))
		return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"%s\": %.40s is not one "
				"of the item's values (%s)", r->name, line, it->id, cell,
				values_text(it, values, sizeof values));
	*ret = (int)v;
	return 0;
}

static int read_time(struct reader *r, size_t line, const char *cell, int kind_so_far,
		     bool *is_date, int64_t *ret)
{
	bool date = false;
	if (parse_whole(cell, ret))
		date = false;
	else if (parse_date(cell, ret))
		date = true;
	else
		return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"time\": \"%.40s\" is "
				"neither a whole number nor a date (YYYY-MM-DD)", r->name, line, cell);
	if (kind_so_far >= 0 && (bool)kind_so_far != date)
		return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"time\": \"%.40s\" is a "
				"%s but the rows above give %s", r->name, line, cell,
				date ? "date" : "number", date ? "numbers" : "dates");
	*is_date = date;
	return 0;
}

static bool blank_record(const struct csv_record *rec)
{
	return rec->n_fields == 1 && !*rec->fields[0];
}

static int read_row(struct reader *r, const struct csv_record *rec, int *kind,
		    struct analysis_row *row)
{
	if (rec->n_fields != r->n_cols)
		return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu: has %zu fields but the header "
				"has %zu", r->name, rec->line, rec->n_fields, r->n_cols);
	int *answers = arena_alloc(r->a, (r->in->n_items ? r->in->n_items : 1) * sizeof *answers);
	if (!answers)
		return nomem(r->e);
	for (size_t i = 0; i < r->in->n_items; i++)
		answers[i] = INSTRUMENT_MISSING;
	row->line = rec->line;
	row->answers = answers;
	for (size_t j = 0; j < r->n_cols; j++) {
		const char *cell = rec->fields[j];
		int rc = 0;
		bool is_date = false;
		if (r->cols[j] == COL_PERSON) {
			row->person = cell;
			if (!*cell)
				rc = herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, column \"person\": "
					      "empty (every row needs the person's code)", r->name, rec->line);
		} else if (r->cols[j] == COL_TIME) {
			if (!(rc = read_time(r, rec->line, cell, *kind, &is_date, &row->time)))
				*kind = is_date;
		} else
			rc = read_answer(r, rec->line, &r->in->items[r->cols[j]], cell,
					 &answers[r->cols[j]]);
		if (rc)
			return rc;
	}
	return 0;
}

static int by_person_time(const void *x, const void *y)
{
	const struct analysis_row *a = x, *b = y;
	int c = strcmp(a->person, b->person);
	if (c)
		return c;
	return (a->time > b->time) - (a->time < b->time);
}

int analysis_read(const struct instrument *in, const struct csv_record *recs, size_t n,
		  const char *name, arena *a, struct analysis_data *ret, herr *e)
{
	struct reader r = { in, name, NULL, 0, a, e };
	if (n == 0)
		return herr_set(e, ERR_INVALID, NULL, "%s: the file is empty (it needs a header line: "
				"person,time and the item ids)", name);
	int rc = read_header(&r, &recs[0]);
	if (rc)
		return rc;
	struct analysis_row *rows = arena_alloc(a, n * sizeof *rows);
	if (!rows)
		return nomem(e);
	size_t m = 0;
	int kind = -1;   /* not yet known; then 0 numbers, 1 dates */
	for (size_t i = 1; i < n; i++) {
		if (blank_record(&recs[i]))
			continue;
		if ((rc = read_row(&r, &recs[i], &kind, &rows[m])))
			return rc;
		m++;
	}
	qsort(rows, m, sizeof *rows, by_person_time);
	for (size_t i = 1; i < m; i++)
		if (!by_person_time(&rows[i - 1], &rows[i]))
			return herr_set(e, ERR_INVALID, NULL, "%s: line %zu: person \"%.40s\" already has a "
					"row for this time (line %zu)", name,
					rows[i].line > rows[i - 1].line ? rows[i].line : rows[i - 1].line,
					rows[i].person,
					rows[i].line > rows[i - 1].line ? rows[i - 1].line : rows[i].line);
	*ret = (struct analysis_data){ in, rows, m, kind == 1 };
	return 0;
}

/* ---- analysing ------------------------------------------------------ */

/* Each person's first and last rows (rows are sorted by person and time). */
struct person_span {
	const struct analysis_row *first, *last;   /* last == first: one time point */
};

static size_t person_spans(const struct analysis_data *d, struct person_span *out)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_rows; i++) {
		if (i == 0 || strcmp(d->rows[i].person, d->rows[i - 1].person))
			out[n++] = (struct person_span){ &d->rows[i], &d->rows[i] };
		else
			out[n - 1].last = &d->rows[i];
	}
	return n;
}

static double row_score(const struct instrument *in, size_t s, const struct analysis_row *row,
			double *scores, bool *scored)
{
	instrument_score(in, row->answers, scores, scored);
	return scored[s] ? scores[s] : NAN;
}

/* The baseline answers to the scale's items, people x items, reversed items
 * reversed, NaN when unanswered. */
static double *baseline_matrix(const struct instrument *in, const struct instrument_scale *sc,
			       const struct person_span *spans, size_t people, arena *a)
{
	double *x = arena_alloc(a, (people ? people : 1) * sc->n_items * sizeof *x);
	if (!x)
		return NULL;
	for (size_t p = 0; p < people; p++)
		for (size_t i = 0; i < sc->n_items; i++) {
			const struct instrument_item *it = &in->items[sc->items[i]];
			int v = spans[p].first->answers[sc->items[i]];
			x[p * sc->n_items + i] = v == INSTRUMENT_MISSING ? NAN :
				it->reverse ? (double)(it->min + it->max - v) : (double)v;
		}
	return x;
}

static int analyse_scale(const struct analysis_data *d, size_t s, const struct person_span *spans,
			 size_t people, arena *a, struct analysis_scale *out)
{
	const struct instrument *in = d->in;
	const struct instrument_scale *sc = &in->scales[s];
	double *x1 = arena_alloc(a, (people ? people : 1) * sizeof *x1);
	double *f1 = arena_alloc(a, (people ? people : 1) * sizeof *f1);
	double *f2 = arena_alloc(a, (people ? people : 1) * sizeof *f2);
	double *scores = arena_alloc(a, in->n_scales * sizeof *scores);
	bool *scored = arena_alloc(a, in->n_scales * sizeof *scored);
	if (!x1 || !f1 || !f2 || !scores || !scored)
		return ERR_NOMEM;
	size_t followed = 0;
	for (size_t p = 0; p < people; p++) {
		x1[p] = row_score(in, s, spans[p].first, scores, scored);
		if (spans[p].last == spans[p].first)
			continue;
		f1[followed] = x1[p];
		f2[followed++] = row_score(in, s, spans[p].last, scores, scored);
	}
	out->scale = sc;
	out->people = people;
	out->people_followed = followed;
	if (stats_describe(x1, people, a, &out->baseline) ||
	    stats_describe(f2, followed, a, &out->latest) ||
	    stats_paired(f1, f2, followed, a, &out->change))
		return ERR_NOMEM;
	out->has_rc = sc->ref_sd > 0;
	if (out->has_rc) {
		struct stats_rc_scale k = { sc->ref_sd, sc->reliability, sc->higher_is_better,
					    sc->has_cutoff, sc->cutoff };
		stats_reliable_change(&k, f1, f2, followed, NULL, &out->rc);
	}
	out->has_reliability = sc->n_items >= 2;
	if (out->has_reliability) {
		double *x = baseline_matrix(in, sc, spans, people, a);
		if (!x || stats_reliability(x, people, sc->n_items, a, &out->reliability))
			return ERR_NOMEM;
	}
	return 0;
}

int analysis_run(const struct analysis_data *d, arena *a, struct analysis_result *ret, herr *e)
{
	struct person_span *spans = arena_alloc(a, (d->n_rows ? d->n_rows : 1) * sizeof *spans);
	struct analysis_scale *scales = arena_alloc(a, d->in->n_scales * sizeof *scales);
	if (!spans || !scales)
		return nomem(e);
	size_t people = person_spans(d, spans);
	for (size_t s = 0; s < d->in->n_scales; s++)
		if (analyse_scale(d, s, spans, people, a, &scales[s]))
			return nomem(e);
	*ret = (struct analysis_result){ d->in, d->n_rows, people, scales };
	return 0;
}
