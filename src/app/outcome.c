/* outcome.c - group and network figures from consented check-ins, under
 * disclosure control (see outcome.h). */
#include "outcome.h"

#include "checkin.h"
#include "settings.h"
#include "tag.h"

#include "../stats/change.h"
#include "../stats/disclosure.h"
#include "../stats/paired.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the threshold --------------------------------------------------------- */

long outcome_threshold(db *d)
{
	arena *a = arena_new(128);
	const char *v = a ? settings_get(d, a, "disclosure_threshold") : NULL;
	long t = v ? strtol(v, NULL, 10) : 0;
	arena_free(a);
	return t >= OUTCOME_THRESHOLD_MIN && t <= OUTCOME_THRESHOLD_MAX ? t : DISCLOSURE_DEFAULT_THRESHOLD;
}

int outcome_set_threshold(db *d, const struct actor *actor, long threshold, herr *e)
{
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "Only the network's coordinators can change this.");
	if (threshold < OUTCOME_THRESHOLD_MIN || threshold > OUTCOME_THRESHOLD_MAX)
		return herr_set(e, ERR_INVALID, "threshold",
				"Enter the smallest number of people a figure may come from, a whole "
				"number from %d to %d.", OUTCOME_THRESHOLD_MIN, OUTCOME_THRESHOLD_MAX);
	char text[24];
	snprintf(text, sizeof text, "%ld", threshold);
	int rc = db_begin_write(d);
	if (!rc)
		rc = settings_set(d, "disclosure_threshold", text);
	rc = db_finish(d, rc);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the threshold.");
	return 0;
}

/* ---- reliable change (Jacobson and Truax) ----------------------------------- */

static struct stats_rc_scale rc_scale(const struct instrument_scale *s)
{
	return (struct stats_rc_scale){ s->ref_sd, s->reliability, s->higher_is_better,
					s->has_cutoff, s->cutoff };
}

double outcome_reliable_change_size(const struct instrument_scale *s)
{
	struct stats_rc_scale k = rc_scale(s);
	if (!(s->ref_sd > 0) || stats_rc_scale_problem(&k))
		return 0;
	double x = 0;
	struct stats_rc_summary sum;
	stats_reliable_change(&k, &x, &x, 1, NULL, &sum);
	return sum.cannot ? 0 : sum.smallest_reliable_change;
}

/* As outcome_reliable_change, with the scale's reliable change size already
 * worked out (so a table of many people works it out once). */
static enum outcome_rc classify_change(const struct instrument_scale *s, double size, double x1,
				       double x2)
{
	if (!size)
		return RC_NONE;
	struct stats_rc_scale k = rc_scale(s);
	struct stats_rc_person one = stats_rc_classify(&k, size / STATS_RC_Z, x1, x2);
	return one.class == STATS_RC_IMPROVED ? RC_IMPROVED
	       : one.class == STATS_RC_WORSE  ? RC_WORSE
					      : RC_NONE;
}

enum outcome_rc outcome_reliable_change(const struct instrument_scale *s, double x1, double x2)
{
	return classify_change(s, outcome_reliable_change_size(s), x1, x2);
}

/* ---- baseline and latest per person ------------------------------------------- */

/* One person's first and latest scores in one group, per scale; a scale
 * counts when both exist and come from different check-ins. */
struct pair {
	int64_t person_id, group_id;
	int64_t latest_at;          /* their latest check-in of the instrument */
	int quarter;                /* latest_at's calendar quarter (year * 4 + 0..3) */
	size_t group_index;         /* the group's number (index_groups) */
	double *first, *last;
	int64_t *first_id, *last_id;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
	int64_t *groups;            /* the pairs' groups, sorted (index_groups) */
	size_t n_groups;
};

static struct pair *pair_for(arena *a, struct pairs *p, const struct instrument *in,
			     int64_t person_id, int64_t group_id)
{
	if (p->n && p->v[p->n - 1].person_id == person_id && p->v[p->n - 1].group_id == group_id)
		return &p->v[p->n - 1];
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct pair *v = arena_alloc(a, cap * sizeof *v);
		if (!v)
			return NULL;
		if (p->n)
			memcpy(v, p->v, p->n * sizeof *v);
		p->v = v;
		p->cap = cap;
	}
	struct pair *q = &p->v[p->n];
	size_t ns = in->n_scales ? in->n_scales : 1;
	*q = (struct pair){ .person_id = person_id, .group_id = group_id };
	q->first = arena_alloc(a, ns * sizeof *q->first);
	q->last = arena_alloc(a, ns * sizeof *q->last);
	q->first_id = arena_alloc(a, ns * sizeof *q->first_id);
	q->last_id = arena_alloc(a, ns * sizeof *q->last_id);
	if (!q->first || !q->last || !q->first_id || !q->last_id)
		return NULL;
	p->n++;
	return q;
}

/* Reads stored scores, rows (checkin id, person, group, finished_at,
 * scale_id, score or NULL) ordered by person, group, time and check-in,
 * into pairs: a person's first scored check-in on a scale is their
 * baseline, the last later one their latest. Resets st. */
static int collect_pairs(db_stmt *st, arena *a, const struct instrument *in, struct pairs *p)
{
	int64_t cur = 0;
	struct pair *q = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		if (id != cur || !q) {
			if (!(q = pair_for(a, p, in, db_col_int64(st, 1), db_col_int64(st, 2)))) {
				rc = ERR_NOMEM;
				break;
			}
			q->latest_at = db_col_int64(st, 3);
			cur = id;
		}
		size_t s = checkin_scale_index(in, db_col_text(st, 4));
		if (s == (size_t)-1 || db_col_is_null(st, 5))
			continue;
		if (!q->first_id[s]) {
			q->first[s] = db_col_double(st, 5);
			q->first_id[s] = id;
		} else {
			q->last[s] = db_col_double(st, 5);
			q->last_id[s] = id;
		}
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- one row of figures ----------------------------------------------------------- */

/* The pairs with both scores on one scale, side by side, each person's
 * reliable change classed once, for the rows' filters. */
struct complete {
	const struct instrument_scale *scale;
	double *x1, *x2;
	unsigned char *rc;          /* enum outcome_rc */
	size_t *group_index;        /* the pair's group_index and quarter */
	int *quarter;
	size_t n;
};

static int complete_pairs(arena *a, const struct pairs *p, const struct instrument *in, size_t s,
			  struct complete *ret)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].first_id[s] && p->v[i].last_id[s];
	*ret = (struct complete){ .scale = &in->scales[s] };
	ret->x1 = arena_alloc(a, (n + 1) * sizeof *ret->x1);
	ret->x2 = arena_alloc(a, (n + 1) * sizeof *ret->x2);
	ret->rc = arena_alloc(a, n + 1);
	ret->group_index = arena_alloc(a, (n + 1) * sizeof *ret->group_index);
	ret->quarter = arena_alloc(a, (n + 1) * sizeof *ret->quarter);
	if (!ret->x1 || !ret->x2 || !ret->rc || !ret->group_index || !ret->quarter)
		return ERR_NOMEM;
	double size = outcome_reliable_change_size(ret->scale);
	for (size_t i = 0; i < p->n; i++) {
		const struct pair *q = &p->v[i];
		if (!q->first_id[s] || !q->last_id[s])
			continue;
		size_t k = ret->n++;
		ret->x1[k] = q->first[s];
		ret->x2[k] = q->last[s];
		ret->rc[k] = (unsigned char)classify_change(ret->scale, size, q->first[s], q->last[s]);
		ret->group_index[k] = q->group_index;
		ret->quarter[k] = q->quarter;
	}
	return 0;
}

/* Whether the complete pair c[i] belongs in a row. */
typedef bool (*pair_filter)(const struct complete *c, size_t i, const void *ctx);

/* One row of figures over the complete pairs that keep keeps (all: NULL). */
static int change_over(arena *a, const struct complete *c, pair_filter keep, const void *ctx,
		       long threshold, struct outcome_change *ret)
{
	double *x1 = c->x1, *x2 = c->x2;
	size_t n = 0;
	long rc[3] = { 0, 0, 0 };
	if (keep) {
		for (size_t i = 0; i < c->n; i++)
			n += keep(c, i, ctx);
		x1 = arena_alloc(a, (n + 1) * sizeof *x1);
		x2 = arena_alloc(a, (n + 1) * sizeof *x2);
		if (!x1 || !x2)
			return ERR_NOMEM;
	}
	n = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (keep && !keep(c, i, ctx))
			continue;
		x1[n] = c->x1[i];
		x2[n] = c->x2[i];
		rc[c->rc[i]]++;
		n++;
	}
	double size = outcome_reliable_change_size(c->scale);
	ret->n = (long)n;
	ret->n_hidden = disclosure_count_hidden(ret->n, threshold);
	ret->figure_hidden = disclosure_figure_hidden(n, threshold);
	ret->has_rc = size > 0;
	memcpy(ret->rc, rc, sizeof rc);
	if (ret->figure_hidden) {
		for (int k = 0; k < 3; k++)
			ret->rc_hidden[k] = true;
		return 0;
	}
	struct stats_paired *sp = &ret->test;
	if (stats_paired(x1, x2, n, a, sp))
		return ERR_NOMEM;
	ret->baseline_mean = sp->before.mean;
	ret->latest_mean = sp->after.mean;
	ret->mean_change = sp->t.mean;
	ret->ci_lo = sp->t.ci_lo;
	ret->ci_hi = sp->t.ci_hi;
	ret->cannot = sp->t.cannot;
	return disclosure_suppress(ret->rc, 1, 3, threshold, a, ret->rc_hidden);
}

/* Secondary suppression over a table of rows x (improved, none, worse). */
static int suppress_rows(arena *a, struct outcome_change *rows, size_t n, long threshold)
{
	if (!n)
		return 0;
	long *counts = arena_alloc(a, n * 3 * sizeof *counts);
	bool *hidden = arena_alloc(a, n * 3 * sizeof *hidden);
	if (!counts || !hidden)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 3; k++)
			counts[i * 3 + k] = rows[i].rc[k];
	int rc = disclosure_suppress(counts, n, 3, threshold, a, hidden);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 3; k++)
			rows[i].rc_hidden[k] = hidden[i * 3 + k] || rows[i].figure_hidden;
	return rc;
}

/* ---- a group -------------------------------------------------------------------- */

static long count_people(db_stmt *st)
{
	long n = st && db_step(st) == DB_ROW ? (long)db_col_int64(st, 0) : 0;
	if (st)
		db_reset(st);
	return n;
}

int outcome_for_group(db *d, arena *a, const struct standing *st, struct outcome_group *ret,
		      herr *e)
{
	*ret = (struct outcome_group){ .threshold = outcome_threshold(d) };
	if (!st->can_manage)
		return herr_set(e, ERR_DENIED, NULL, "The group's figures are for its facilitators.");
	struct checkin_offering *offers;
	size_t no;
	int rc = checkin_offerings(d, a, st->group_id, &offers, &no, e);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d, "SELECT COUNT(DISTINCT c.person_id) FROM checkin c JOIN checkin_consent k "
				   "ON k.person_id = c.person_id WHERE c.group_id = ? AND c.finished_at IS NOT NULL "
				   "AND k.take_part = 1 AND k.group_learning = 1");
	if (q)
		db_bind_int64(q, 1, st->group_id);
	ret->participants = count_people(q);
	ret->participants_hidden = disclosure_count_hidden(ret->participants, ret->threshold);
	size_t cap = 0;
	for (size_t i = 0; i < no; i++)
		cap += offers[i].in ? offers[i].in->n_scales : 0;
	ret->scales = arena_alloc(a, (cap + 1) * sizeof *ret->scales);
	if (!ret->scales)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < no; i++) {
		const struct instrument *in = offers[i].in;
		if (!in)
			continue;
		q = db_prepare(d, "SELECT s.checkin_id, s.person_id, s.group_id, s.finished_at, s.scale_id, "
				  "s.score FROM checkin_score s JOIN checkin_consent k ON k.person_id = "
				  "s.person_id WHERE s.group_id = ? AND s.instrument_id = ? AND k.take_part = 1 "
				  "AND k.group_learning = 1 ORDER BY s.group_id, s.instrument_id, s.person_id, "
				  "s.finished_at, s.checkin_id, s.scale_id");
		if (!q)
			return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
		db_bind_int64(q, 1, st->group_id);
		db_bind_text(q, 2, in->id);
		struct pairs p = { 0 };
		if ((rc = collect_pairs(q, a, in, &p)))
			return herr_set(e, rc, NULL, "Could not read the group's check-ins.");
		for (size_t s = 0; s < in->n_scales; s++) {
			struct outcome_scale *os = &ret->scales[ret->n_scales++];
			*os = (struct outcome_scale){ .in = in, .scale = s };
			os->all.label = "All";
			struct complete c;
			if ((rc = complete_pairs(a, &p, in, s, &c)) ||
			    (rc = change_over(a, &c, NULL, NULL, ret->threshold, &os->all)))
				return herr_set(e, rc, NULL, "Could not work out the group's figures.");
		}
	}
	return 0;
}

/* ---- the network ----------------------------------------------------------------- */

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Numbers the pairs' groups 0..n_groups-1 (p->groups sorted), so a set of
 * groups is a flag per number and testing a pair costs one look-up. */
static int index_groups(arena *a, struct pairs *p)
{
	p->groups = arena_alloc(a, (p->n + 1) * sizeof *p->groups);
	if (!p->groups)
		return ERR_NOMEM;
	for (size_t i = 0; i < p->n; i++)
		p->groups[i] = p->v[i].group_id;
	qsort(p->groups, p->n, sizeof *p->groups, cmp_id);
	p->n_groups = 0;
	for (size_t i = 0; i < p->n; i++)
		if (!p->n_groups || p->groups[i] != p->groups[p->n_groups - 1])
			p->groups[p->n_groups++] = p->groups[i];
	for (size_t i = 0; i < p->n; i++) {
		const int64_t *at = bsearch(&p->v[i].group_id, p->groups, p->n_groups, sizeof *p->groups, cmp_id);
		p->v[i].group_index = (size_t)(at - p->groups);
	}
	return 0;
}

/* ctx: a flag per group number (index_groups). */
static bool in_group_set(const struct complete *c, size_t i, const void *ctx)
{
	return ((const bool *)ctx)[c->group_index[i]];
}

static int quarter_of(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 4 + tm.tm_mon / 3;
}

static bool in_quarter(const struct complete *c, size_t i, const void *ctx)
{
	return c->quarter[i] == *(const int *)ctx;
}

/* Flags the pairs' groups that carry tag_id (index_groups), in ret. */
static int tag_groups(db *d, arena *a, const struct pairs *p, int64_t tag_id, bool **ret)
{
	bool *in_tag = arena_alloc(a, (p->n_groups + 1) * sizeof *in_tag);
	db_stmt *st = db_prepare(d, "SELECT group_id FROM group_tag WHERE tag_id = ?");
	if (!st || !in_tag)
		return ERR_DB;
	db_bind_int64(st, 1, tag_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		const int64_t *at = bsearch(&id, p->groups, p->n_groups, sizeof *p->groups, cmp_id);
		if (at)
			in_tag[at - p->groups] = true;
	}
	db_reset(st);
	*ret = in_tag;
	return rc < 0 ? rc : 0;
}

static int rows_by_tag(db *d, arena *a, const struct pairs *p, const struct complete *c,
		       struct outcome_scale *os, long thr)
{
	struct tag *tags;
	size_t nt;
	herr ignored;
	if (tag_list_names(d, a, &tags, &nt, &ignored))
		return ERR_DB;
	os->rows = arena_alloc(a, (nt + 1) * sizeof *os->rows);
	if (!os->rows)
		return ERR_NOMEM;
	for (size_t i = 0; i < nt; i++) {
		bool *in_tag;
		int rc = tag_groups(d, a, p, tags[i].id, &in_tag);
		if (!rc) rc = change_over(a, c, in_group_set, in_tag, thr, &os->rows[i]);
		if (rc)
			return rc;
		os->rows[i].label = tags[i].name;
	}
	os->n_rows = nt;
	return suppress_rows(a, os->rows, nt, thr);
}

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* A row for each quarter in which someone's latest check-in falls (with or
 * without both scores on this scale). */
static int rows_by_period(arena *a, const struct pairs *p, const struct complete *c,
			  struct outcome_scale *os, long thr)
{
	int *keys = arena_alloc(a, (p->n + 1) * sizeof *keys);
	os->rows = arena_alloc(a, (p->n + 1) * sizeof *os->rows);
	if (!keys || !os->rows)
		return ERR_NOMEM;
	size_t nk = 0;
	for (size_t i = 0; i < p->n; i++)
		keys[nk++] = p->v[i].quarter;
	qsort(keys, nk, sizeof *keys, cmp_int);
	size_t nrows = 0;
	for (size_t i = 0; i < nk; i++) {
		if (i && keys[i] == keys[i - 1])
			continue;
		int *key = arena_alloc(a, sizeof *key);
		if (!key)
			return ERR_NOMEM;
		*key = keys[i];
		struct outcome_change *row = &os->rows[nrows++];
		int rc = change_over(a, c, in_quarter, key, thr, row);
		if (rc)
			return rc;
		row->label = arena_printf(a, "%d Q%d", keys[i] / 4, keys[i] % 4 + 1);
	}
	os->n_rows = nrows;
	return suppress_rows(a, os->rows, nrows, thr);
}

/* How many different people the pairs of every instrument hold. */
static long distinct_people(arena *a, const struct pairs *per_instrument, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += per_instrument[i].n;
	int64_t *ids = arena_alloc(a, (total + 1) * sizeof *ids);
	if (!ids)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < per_instrument[i].n; j++)
			ids[k++] = per_instrument[i].v[j].person_id;
	qsort(ids, k, sizeof *ids, cmp_id);
	long people = 0;
	for (size_t j = 0; j < k; j++)
		people += !j || ids[j] != ids[j - 1];
	return people;
}

/* The people whose consent today lets their check-ins count in the
 * network's figures, sorted by id. */
struct consenters {
	int64_t *ids;
	size_t n;
};

static int network_consenters(db *d, arena *a, struct consenters *ret)
{
	*ret = (struct consenters){ 0 };
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM checkin_consent WHERE network_reports = 1 "
				    "AND take_part = 1");
	if (!st)
		return ERR_DB;
	size_t cap = db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	db_reset(st);
	if (!(ret->ids = arena_alloc(a, (cap + 1) * sizeof *ret->ids)))
		return ERR_NOMEM;
	st = db_prepare(d, "SELECT person_id FROM checkin_consent WHERE network_reports = 1 AND "
			   "take_part = 1 ORDER BY network_reports, take_part, person_id");
	if (!st)
		return ERR_DB;
	int rc = DB_DONE;
	while (ret->n < cap && (rc = db_step(st)) == DB_ROW)
		ret->ids[ret->n++] = db_col_int64(st, 0);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Reads stored pairs, rows (person, group, scale_id, first check-in id and
 * score, last check-in id and score, latest_at) ordered by person and
 * group, into pairs, keeping the people among the consenters (whom it walks
 * alongside, both being in person order). Resets st. */
static int collect_stored_pairs(db_stmt *st, arena *a, const struct instrument *in,
				const struct consenters *c, struct pairs *p)
{
	size_t j = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t person = db_col_int64(st, 0);
		while (j < c->n && c->ids[j] < person)
			j++;
		if (j == c->n || c->ids[j] != person)
			continue;
		struct pair *q = pair_for(a, p, in, person, db_col_int64(st, 1));
		if (!q) {
			rc = ERR_NOMEM;
			break;
		}
		int64_t at = db_col_int64(st, 7);
		if (at > q->latest_at)
			q->latest_at = at;
		size_t s = checkin_scale_index(in, db_col_text(st, 2));
		if (s == (size_t)-1)
			continue;
		q->first_id[s] = db_col_int64(st, 3);
		q->first[s] = db_col_double(st, 4);
		q->last_id[s] = db_col_int64(st, 5);
		q->last[s] = db_col_double(st, 6);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Every consenting person's baseline and latest scores on in's scales. */
static int network_pairs(db *d, arena *a, const struct instrument *in, const struct consenters *c,
			 struct pairs *ret)
{
	db_stmt *q = db_prepare(d,
		"SELECT person_id, group_id, scale_id, first_checkin_id, first_score, last_checkin_id, "
		"last_score, latest_at FROM checkin_pair WHERE instrument_id = ? "
		"ORDER BY instrument_id, person_id, group_id, scale_id");
	if (!q)
		return ERR_DB;
	db_bind_text(q, 1, in->id);
	*ret = (struct pairs){ 0 };
	int rc = collect_stored_pairs(q, a, in, c, ret);
	for (size_t i = 0; !rc && i < ret->n; i++)
		ret->v[i].quarter = quarter_of(ret->v[i].latest_at);
	return rc ? rc : index_groups(a, ret);
}

int outcome_for_network(db *d, arena *a, const struct actor *actor, enum outcome_split split,
			struct outcome_network *ret, herr *e)
{
	*ret = (struct outcome_network){ .threshold = outcome_threshold(d) };
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "The network's figures are for its coordinators.");
	size_t ni;
	const struct instrument *const *all = instrument_all(&ni);
	size_t cap = 0;
	for (size_t i = 0; i < ni; i++)
		cap += all[i]->n_scales;
	ret->scales = arena_alloc(a, (cap + 1) * sizeof *ret->scales);
	struct pairs *pairs = arena_alloc(a, (ni + 1) * sizeof *pairs);
	if (!ret->scales || !pairs)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct consenters consenting;
	int rc = network_consenters(d, a, &consenting);
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the network's check-ins.");
	for (size_t i = 0; i < ni; i++) {
		const struct instrument *in = all[i];
		rc = network_pairs(d, a, in, &consenting, &pairs[i]);
		if (rc)
			return herr_set(e, rc, NULL, "Could not read the network's check-ins.");
		for (size_t s = 0; !rc && s < in->n_scales; s++) {
			struct outcome_scale *os = &ret->scales[ret->n_scales++];
			*os = (struct outcome_scale){ .in = in, .scale = s };
			os->all.label = "All groups";
			struct complete c;
			rc = complete_pairs(a, &pairs[i], in, s, &c);
			if (!rc)
				rc = change_over(a, &c, NULL, NULL, ret->threshold, &os->all);
			if (!rc)
				rc = split == OUTCOME_BY_TAG ? rows_by_tag(d, a, &pairs[i], &c, os, ret->threshold)
							     : rows_by_period(a, &pairs[i], &c, os, ret->threshold);
		}
		if (rc)
			return herr_set(e, rc, NULL, "Could not work out the network's figures.");
	}
	ret->participants = distinct_people(a, pairs, ni);
	ret->participants_hidden = disclosure_count_hidden(ret->participants, ret->threshold);
	return 0;
}
