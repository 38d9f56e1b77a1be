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

enum outcome_rc outcome_reliable_change(const struct instrument_scale *s, double x1, double x2)
{
	double size = outcome_reliable_change_size(s);
	if (!size)
		return RC_NONE;
	struct stats_rc_scale k = rc_scale(s);
	struct stats_rc_person one = stats_rc_classify(&k, size / STATS_RC_Z, x1, x2);
	return one.class == STATS_RC_IMPROVED ? RC_IMPROVED
	       : one.class == STATS_RC_WORSE  ? RC_WORSE
					      : RC_NONE;
}

/* ---- baseline and latest per person ------------------------------------------- */

/* One person's first and latest scores in one group, per scale; a scale
 * counts when both exist and come from different check-ins. */
struct pair {
	int64_t person_id, group_id;
	int64_t latest_at;
	double *first, *last;
	int64_t *first_id, *last_id;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
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

struct scoring {
	const struct instrument *in;
	int *answers;
	double *scores;
	bool *scored;
};

static int absorb(arena *a, struct pairs *p, struct scoring *sc, int64_t checkin_id,
		  int64_t person_id, int64_t group_id, int64_t at)
{
	struct pair *q = pair_for(a, p, sc->in, person_id, group_id);
	if (!q)
		return ERR_NOMEM;
	instrument_score(sc->in, sc->answers, sc->scores, sc->scored);
	for (size_t s = 0; s < sc->in->n_scales; s++) {
		if (!sc->scored[s])
			continue;
		if (!q->first_id[s]) {
			q->first[s] = sc->scores[s];
			q->first_id[s] = checkin_id;
		} else {
			q->last[s] = sc->scores[s];
			q->last_id[s] = checkin_id;
		}
	}
	q->latest_at = at;
	for (size_t i = 0; i < sc->in->n_items; i++)
		sc->answers[i] = INSTRUMENT_MISSING;
	return 0;
}

/* Reads rows (checkin id, person, group, finished_at, item_id, value),
 * ordered by person, group, time, into pairs. Resets st. */
static int collect_pairs(db_stmt *st, arena *a, const struct instrument *in, struct pairs *p)
{
	struct scoring sc = { in, arena_alloc(a, (in->n_items + 1) * sizeof(int)),
			      arena_alloc(a, (in->n_scales + 1) * sizeof(double)),
			      arena_alloc(a, (in->n_scales + 1) * sizeof(bool)) };
	if (!sc.answers || !sc.scores || !sc.scored) {
		db_reset(st);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < in->n_items; i++)
		sc.answers[i] = INSTRUMENT_MISSING;
	int64_t cur = 0, person = 0, group = 0, at = 0;
	int rc, bad = 0;
	while (!bad && (rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		if (id != cur && cur)
			bad = absorb(a, p, &sc, cur, person, group, at);
		cur = id;
		person = db_col_int64(st, 1);
		group = db_col_int64(st, 2);
		at = db_col_int64(st, 3);
		size_t k = checkin_item_index(in, db_col_text(st, 4));
		if (k != (size_t)-1)
			sc.answers[k] = (int)db_col_int64(st, 5);
	}
	db_reset(st);
	if (bad)
		return bad;
	if (rc < 0)
		return rc;
	return cur ? absorb(a, p, &sc, cur, person, group, at) : 0;
}

/* ---- one row of figures ----------------------------------------------------------- */

typedef bool (*pair_filter)(const struct pair *q, const void *ctx);

static int change_over(arena *a, const struct pairs *p, const struct instrument *in, size_t s,
		       pair_filter keep, const void *ctx, long threshold, struct outcome_change *ret)
{
	const struct instrument_scale *scale = &in->scales[s];
	double *x1 = arena_alloc(a, (p->n + 1) * sizeof *x1), *x2 = arena_alloc(a, (p->n + 1) * sizeof *x2);
	if (!x1 || !x2)
		return ERR_NOMEM;
	size_t n = 0;
	long rc[3] = { 0, 0, 0 };
	for (size_t i = 0; i < p->n; i++) {
		const struct pair *q = &p->v[i];
		if (!q->first_id[s] || !q->last_id[s] || (keep && !keep(q, ctx)))
			continue;
		x1[n] = q->first[s];
		x2[n] = q->last[s];
		rc[outcome_reliable_change(scale, x1[n], x2[n])]++;
		n++;
	}
	ret->n = (long)n;
	ret->n_hidden = disclosure_count_hidden(ret->n, threshold);
	ret->figure_hidden = disclosure_figure_hidden(n, threshold);
	ret->has_rc = outcome_reliable_change_size(scale) > 0;
	memcpy(ret->rc, rc, sizeof rc);
	if (ret->figure_hidden) {
		for (int k = 0; k < 3; k++)
			ret->rc_hidden[k] = true;
		return 0;
	}
	struct stats_paired sp;
	if (stats_paired(x1, x2, n, a, &sp))
		return ERR_NOMEM;
	ret->baseline_mean = sp.before.mean;
	ret->latest_mean = sp.after.mean;
	ret->mean_change = sp.t.mean;
	ret->ci_lo = sp.t.ci_lo;
	ret->ci_hi = sp.t.ci_hi;
	ret->cannot = sp.t.cannot;
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
		q = db_prepare(d, "SELECT c.id, c.person_id, c.group_id, c.finished_at, a.item_id, a.value "
				  "FROM checkin c JOIN checkin_consent k ON k.person_id = c.person_id "
				  "JOIN checkin_answer a ON a.checkin_id = c.id WHERE c.group_id = ? AND "
				  "c.instrument_id = ? AND c.finished_at IS NOT NULL AND k.take_part = 1 AND "
				  "k.group_learning = 1 ORDER BY c.person_id, c.group_id, c.finished_at, c.id");
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
			if ((rc = change_over(a, &p, in, s, NULL, NULL, ret->threshold, &os->all)))
				return herr_set(e, rc, NULL, "Could not work out the group's figures.");
		}
	}
	return 0;
}

/* ---- the network ----------------------------------------------------------------- */

struct group_set {
	int64_t *ids;
	size_t n;
};

static bool in_group_set(const struct pair *q, const void *ctx)
{
	const struct group_set *g = ctx;
	for (size_t i = 0; i < g->n; i++)
		if (g->ids[i] == q->group_id)
			return true;
	return false;
}

static int quarter_of(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 4 + tm.tm_mon / 3;
}

static bool in_quarter(const struct pair *q, const void *ctx)
{
	return quarter_of(q->latest_at) == *(const int *)ctx;
}

static int tag_groups(db *d, arena *a, int64_t tag_id, struct group_set *ret)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM group_tag WHERE tag_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, tag_id);
	size_t cap = db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	db_reset(st);
	ret->ids = arena_alloc(a, (cap + 1) * sizeof *ret->ids);
	ret->n = 0;
	st = db_prepare(d, "SELECT group_id FROM group_tag WHERE tag_id = ?");
	if (!st || !ret->ids)
		return ERR_DB;
	db_bind_int64(st, 1, tag_id);
	while (ret->n < cap && db_step(st) == DB_ROW)
		ret->ids[ret->n++] = db_col_int64(st, 0);
	db_reset(st);
	return 0;
}

static int rows_by_tag(db *d, arena *a, const struct pairs *p, struct outcome_scale *os, long thr)
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
		struct group_set g;
		int rc = tag_groups(d, a, tags[i].id, &g);
		if (!rc) rc = change_over(a, p, os->in, os->scale, in_group_set, &g, thr, &os->rows[i]);
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

static int rows_by_period(arena *a, const struct pairs *p, struct outcome_scale *os, long thr)
{
	int *keys = arena_alloc(a, (p->n + 1) * sizeof *keys);
	os->rows = arena_alloc(a, (p->n + 1) * sizeof *os->rows);
	if (!keys || !os->rows)
		return ERR_NOMEM;
	size_t nk = 0;
	for (size_t i = 0; i < p->n; i++)
		keys[nk++] = quarter_of(p->v[i].latest_at);
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
		int rc = change_over(a, p, os->in, os->scale, in_quarter, key, thr, row);
		if (rc)
			return rc;
		row->label = arena_printf(a, "%d Q%d", keys[i] / 4, keys[i] % 4 + 1);
	}
	os->n_rows = nrows;
	return suppress_rows(a, os->rows, nrows, thr);
}

int outcome_for_network(db *d, arena *a, const struct actor *actor, enum outcome_split split,
			struct outcome_network *ret, herr *e)
{
	*ret = (struct outcome_network){ .threshold = outcome_threshold(d) };
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "The network's figures are for its coordinators.");
	ret->participants = count_people(db_prepare(d,
		"SELECT COUNT(DISTINCT c.person_id) FROM checkin c JOIN checkin_consent k ON "
		"k.person_id = c.person_id WHERE c.finished_at IS NOT NULL AND k.take_part = 1 AND "
		"k.network_reports = 1"));
	ret->participants_hidden = disclosure_count_hidden(ret->participants, ret->threshold);
	size_t ni;
	const struct instrument *const *all = instrument_all(&ni);
	size_t cap = 0;
	for (size_t i = 0; i < ni; i++)
		cap += all[i]->n_scales;
	ret->scales = arena_alloc(a, (cap + 1) * sizeof *ret->scales);
	if (!ret->scales)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < ni; i++) {
		const struct instrument *in = all[i];
		db_stmt *q = db_prepare(d,
			"SELECT c.id, c.person_id, c.group_id, c.finished_at, a.item_id, a.value "
			"FROM checkin c JOIN checkin_consent k ON k.person_id = c.person_id "
			"JOIN checkin_answer a ON a.checkin_id = c.id WHERE c.instrument_id = ? AND "
			"c.finished_at IS NOT NULL AND k.take_part = 1 AND k.network_reports = 1 "
			"ORDER BY c.person_id, c.group_id, c.finished_at, c.id");
		if (!q)
			return herr_set(e, ERR_DB, NULL, "Could not read the network's check-ins.");
		db_bind_text(q, 1, in->id);
		struct pairs p = { 0 };
		int rc = collect_pairs(q, a, in, &p);
		for (size_t s = 0; !rc && s < in->n_scales; s++) {
			struct outcome_scale *os = &ret->scales[ret->n_scales++];
			*os = (struct outcome_scale){ .in = in, .scale = s };
			os->all.label = "All groups";
			rc = change_over(a, &p, in, s, NULL, NULL, ret->threshold, &os->all);
			if (!rc)
				rc = split == OUTCOME_BY_TAG ? rows_by_tag(d, a, &p, os, ret->threshold)
							     : rows_by_period(a, &p, os, ret->threshold);
		}
		if (rc)
			return herr_set(e, rc, NULL, "Could not work out the network's figures.");
	}
	return 0;
}
