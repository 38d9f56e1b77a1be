/* outcome.c - group and network figures from consented check-ins, under
 * disclosure control (see outcome.h). */
#include "outcome.h"

#include "checkin.h"
#include "settings.h"
#include "tag.h"

#include "../stats/change.h"
#include "../stats/disclosure.h"
#include "../stats/paired.h"
#include "../stats/sort.h"
#include "../base/idmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

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

/* The calendar quarter (year * 4 + 0..3, UTC) of a time in Unix ms, by
 * Howard Hinnant's days-to-civil arithmetic: gmtime_r for each of a
 * million pairs would cost more than their statistics. */
static int quarter_of(int64_t ms)
{
	int64_t day = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	int64_t z = day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                   /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* from 1 March */
	int64_t mp = (5 * doy + 2) / 153;                                 /* 0 = March */
	int64_t month = mp < 10 ? mp + 3 : mp - 9;                        /* 1..12 */
	int64_t year = yoe + era * 400 + (month <= 2);
	return (int)(year * 4 + (month - 1) / 3);
}

/* One instrument's pairs, column by column: pair i is a person in a group
 * with, per scale, a baseline (first) and a latest (last) score. A scale
 * counts for the pair when it has both, from different check-ins. The
 * columns are malloc'd and freed as soon as the figures are worked out: a
 * million-member network's pairs would otherwise stay in the request's
 * arena until the page is sent (pairs_free). */
enum { HAS_FIRST = 1, HAS_LAST = 2 };

struct pairs {
	size_t n, cap, ns;             /* pairs, room, scales per pair */
	int64_t last_person, last_group;   /* the newest pair's (pair_for) */
	uint32_t *group;               /* the group's number in *groups */
	int *quarter;                  /* the calendar quarter (year * 4 + 0..3)
					* of their latest check-in of the
					* instrument */
	double *first, *last;          /* pair i's scale s at [i * ns + s] */
	unsigned char *has;            /* the same: HAS_FIRST | HAS_LAST */
	struct idmap *groups;          /* numbers the groups; the caller's */
	int *quarters;                 /* the pairs' quarters, each once, in
					* order (list_quarters) */
	size_t n_quarters;
};

static void pairs_init(struct pairs *p, const struct instrument *in, struct idmap *groups)
{
	*p = (struct pairs){ .ns = in->n_scales ? in->n_scales : 1, .groups = groups };
}

static void pairs_free(struct pairs *p)
{
	free(p->group);
	free(p->quarter);
	free(p->first);
	free(p->last);
	free(p->has);
	free(p->quarters);
	*p = (struct pairs){ 0 };
}

/* old grown to cap elements of size bytes, or old itself with *ok cleared. */
static void *resized(void *old, size_t cap, size_t size, bool *ok)
{
	void *v = cap <= SIZE_MAX / size ? realloc(old, cap * size) : NULL;
	if (!v)
		*ok = false;
	return v ? v : old;
}

static int pairs_grow(struct pairs *p)
{
	/* Half as much again, not twice: a network's pairs are tens of MB. */
	size_t cap = p->cap ? p->cap + p->cap / 2 : 1024, ns = p->ns;
	if (cap > SIZE_MAX / ns)
		return ERR_NOMEM;
	bool ok = true;
	p->group = resized(p->group, cap, sizeof *p->group, &ok);
	p->quarter = resized(p->quarter, cap, sizeof *p->quarter, &ok);
	p->first = resized(p->first, cap * ns, sizeof *p->first, &ok);
	p->last = resized(p->last, cap * ns, sizeof *p->last, &ok);
	p->has = resized(p->has, cap * ns, sizeof *p->has, &ok);
	if (!ok)
		return ERR_NOMEM;
	p->cap = cap;
	return 0;
}

/* The pair of person_id in group_id: the newest pair when it is theirs
 * (rows come in person and group order), otherwise a new one with nothing
 * scored. Returns its index, or -1 when out of memory. */
static long pair_for(struct pairs *p, int64_t person_id, int64_t group_id)
{
	size_t i = p->n - 1, ns = p->ns;
	if (p->n && p->last_person == person_id && p->last_group == group_id)
		return (long)i;
	uint32_t g;
	if ((p->n == p->cap && pairs_grow(p)) || idmap_number(p->groups, group_id, &g))
		return -1;
	i = p->n++;
	p->last_person = person_id;
	p->last_group = group_id;
	p->group[i] = g;
	p->quarter[i] = INT_MIN;
	memset(&p->first[i * ns], 0, ns * sizeof *p->first);
	memset(&p->last[i * ns], 0, ns * sizeof *p->last);
	memset(&p->has[i * ns], 0, ns);
	return (long)i;
}

/* Reads stored scores, rows (checkin id, person, group, finished_at,
 * scale_id, score or NULL) ordered by person, group, time and check-in,
 * into pairs: a person's first scored check-in on a scale is their
 * baseline, the last later one their latest. Resets st. */
static int collect_pairs(db_stmt *st, const struct instrument *in, struct pairs *p)
{
	int64_t cur = 0;
	long q = -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		if (id != cur || q < 0) {
			if ((q = pair_for(p, db_col_int64(st, 1), db_col_int64(st, 2))) < 0) {
				rc = ERR_NOMEM;
				break;
			}
			p->quarter[q] = quarter_of(db_col_int64(st, 3));
			cur = id;
		}
		size_t s = checkin_scale_index(in, db_col_text(st, 4));
		if (s == (size_t)-1 || db_col_is_null(st, 5))
			continue;
		size_t k = (size_t)q * p->ns + s;
		if (!(p->has[k] & HAS_FIRST)) {
			p->first[k] = db_col_double(st, 5);
			p->has[k] = HAS_FIRST;
		} else {
			p->last[k] = db_col_double(st, 5);
			p->has[k] |= HAS_LAST;
		}
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- one row of figures ----------------------------------------------------------- */

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* The index of quarter in p->quarters (list_quarters); 0 before they are
 * listed (a group's figures have no periods). */
static uint32_t period_of(const struct pairs *p, int quarter)
{
	const int *at = p->n_quarters ? bsearch(&quarter, p->quarters, p->n_quarters,
						sizeof quarter, cmp_int)
				      : NULL;
	return at ? (uint32_t)(at - p->quarters) : 0;
}


/* The pairs with both scores on one scale, side by side, each person's
 * reliable change classed once, for the rows (malloc'd; complete_free).
 * They are in group order, so that a row of groups (a tag's) copies each
 * of its groups' people as one run instead of gathering them one by one
 * from all over the columns. */
struct complete {
	const struct instrument_scale *scale;
	size_t n;
	double *x1, *x2;
	unsigned char *rc;          /* enum outcome_rc */
	uint32_t *period;           /* its quarter's index in the pairs' quarters */
	size_t *group_start;        /* group g's pairs are [group_start[g],
				     * group_start[g + 1]), for the pairs'
				     * n_groups groups */
	size_t n_groups;
};

static void complete_free(struct complete *c)
{
	free(c->x1);
	free(c->x2);
	free(c->rc);
	free(c->period);
	free(c->group_start);
	*c = (struct complete){ 0 };
}

static bool is_complete(const struct pairs *p, size_t i, size_t s)
{
	return p->has[i * p->ns + s] == (HAS_FIRST | HAS_LAST);
}

/* Where each group's complete pairs on scale s start, in ret->group_start
 * (a counting sort's first pass); sets ret->n. */
static int start_groups(const struct pairs *p, size_t s, struct complete *ret)
{
	size_t n_groups = p->groups->n;
	size_t *start = calloc(n_groups + 2, sizeof *start);
	if (!start)
		return ERR_NOMEM;
	for (size_t i = 0; i < p->n; i++)
		if (is_complete(p, i, s))
			start[p->group[i] + 1]++;
	for (size_t g = 0; g < n_groups; g++)
		start[g + 1] += start[g];
	ret->group_start = start;
	ret->n_groups = n_groups;
	ret->n = start[n_groups];
	return 0;
}

static int complete_pairs(const struct pairs *p, const struct instrument *in, size_t s,
			  struct complete *ret)
{
	*ret = (struct complete){ .scale = &in->scales[s] };
	if (start_groups(p, s, ret))
		return ERR_NOMEM;
	size_t room = ret->n ? ret->n : 1;
	ret->x1 = malloc(room * sizeof *ret->x1);
	ret->x2 = malloc(room * sizeof *ret->x2);
	ret->rc = malloc(room);
	ret->period = malloc(room * sizeof *ret->period);
	size_t *next = malloc((ret->n_groups + 1) * sizeof *next);
	if (!ret->x1 || !ret->x2 || !ret->rc || !ret->period || !next) {
		free(next);
		complete_free(ret);
		return ERR_NOMEM;
	}
	memcpy(next, ret->group_start, (ret->n_groups + 1) * sizeof *next);
	double size = outcome_reliable_change_size(ret->scale);
	for (size_t i = 0; i < p->n; i++) {
		if (!is_complete(p, i, s))
			continue;
		size_t k = i * p->ns + s, j = next[p->group[i]]++;
		ret->x1[j] = p->first[k];
		ret->x2[j] = p->last[k];
		ret->rc[j] = (unsigned char)classify_change(ret->scale, size, p->first[k], p->last[k]);
		ret->period[j] = period_of(p, p->quarter[i]);
	}
	free(next);
	return 0;
}

/* A row's count, and what disclosure control hides of it; true when its
 * figures are to be worked out. */
static bool figures_begin(const struct instrument_scale *scale, size_t n, const long rc[3],
			  long threshold, struct outcome_change *ret)
{
	ret->n = (long)n;
	ret->n_hidden = disclosure_count_hidden(ret->n, threshold);
	ret->figure_hidden = disclosure_figure_hidden(n, threshold);
	ret->has_rc = outcome_reliable_change_size(scale) > 0;
	memcpy(ret->rc, rc, sizeof ret->rc);
	if (ret->figure_hidden)
		for (int k = 0; k < 3; k++)
			ret->rc_hidden[k] = true;
	return !ret->figure_hidden;
}

/* The row's figures from its test (ret->test), its reliable-change counts
 * under disclosure control. */
static int figures_end(arena *a, long threshold, struct outcome_change *ret)
{
	const struct stats_paired *sp = &ret->test;
	ret->baseline_mean = sp->before.mean;
	ret->latest_mean = sp->after.mean;
	ret->mean_change = sp->t.mean;
	ret->ci_lo = sp->t.ci_lo;
	ret->ci_hi = sp->t.ci_hi;
	ret->cannot = sp->t.cannot;
	return disclosure_suppress(ret->rc, 1, 3, threshold, a, ret->rc_hidden);
}

/* One row of figures: n people's baseline x1 and latest x2, rc of them
 * changing reliably (by enum outcome_rc). */
static int figures_of(arena *a, const struct instrument_scale *scale, const double *x1,
		      const double *x2, size_t n, const long rc[3], long threshold,
		      struct outcome_change *ret)
{
	if (!figures_begin(scale, n, rc, threshold, ret))
		return 0;
	if (stats_paired(x1, x2, n, a, &ret->test))
		return ERR_NOMEM;
	return figures_end(a, threshold, ret);
}

/* The row of every complete pair. */
static int change_all(arena *a, const struct complete *c, long threshold, struct outcome_change *ret)
{
	long rc[3] = { 0, 0, 0 };
	for (size_t i = 0; i < c->n; i++)
		rc[c->rc[i]]++;
	return figures_of(a, c->scale, c->x1, c->x2, c->n, rc, threshold, ret);
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

/* One instrument's scales for the group of st, into ret->scales. */
static int group_scales(db *d, arena *a, const struct standing *st, const struct instrument *in,
			struct outcome_group *ret)
{
	db_stmt *q = db_prepare(d, "SELECT s.checkin_id, s.person_id, s.group_id, s.finished_at, s.scale_id, "
				   "s.score FROM checkin_score s JOIN checkin_consent k ON k.person_id = "
				   "s.person_id WHERE s.group_id = ? AND s.instrument_id = ? AND k.take_part = 1 "
				   "AND k.group_learning = 1 ORDER BY s.group_id, s.instrument_id, s.person_id, "
				   "s.finished_at, s.checkin_id, s.scale_id");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, st->group_id);
	db_bind_text(q, 2, in->id);
	struct idmap groups = { 0 };
	struct pairs p;
	pairs_init(&p, in, &groups);
	int rc = collect_pairs(q, in, &p);
	for (size_t s = 0; !rc && s < in->n_scales; s++) {
		struct outcome_scale *os = &ret->scales[ret->n_scales++];
		*os = (struct outcome_scale){ .in = in, .scale = s };
		os->all.label = "All";
		struct complete c;
		if (!(rc = complete_pairs(&p, in, s, &c)))
			rc = change_all(a, &c, ret->threshold, &os->all);
		complete_free(&c);
	}
	pairs_free(&p);
	idmap_free(&groups);
	return rc;
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
		if (offers[i].in && (rc = group_scales(d, a, st, offers[i].in, ret)))
			return herr_set(e, rc, NULL, "Could not work out the group's figures.");
	}
	return 0;
}

/* ---- the network ----------------------------------------------------------------- */

/* Lists the pairs' quarters, each once, in order, in p->quarters: a few
 * dozen at most, against a million pairs. */
static int list_quarters(struct pairs *p)
{
	size_t cap = 0;
	int last = 0;
	for (size_t i = 0; i < p->n; i++) {
		int q = p->quarter[i];
		if (i && q == last)
			continue;
		last = q;
		if (p->n_quarters && bsearch(&q, p->quarters, p->n_quarters, sizeof q, cmp_int))
			continue;
		if (p->n_quarters == cap) {
			bool ok = true;
			cap = cap ? 2 * cap : 16;
			p->quarters = resized(p->quarters, cap, sizeof q, &ok);
			if (!ok)
				return ERR_NOMEM;
		}
		size_t at = p->n_quarters++;
		while (at && p->quarters[at - 1] > q) {
			p->quarters[at] = p->quarters[at - 1];
			at--;
		}
		p->quarters[at] = q;
	}
	return 0;
}

/* A row's people. When every complete pair's scores on the scale are
 * whole numbers close together (a questionnaire's totals), the row counts
 * its people's baselines, latest scores and changes (stats_paired_counted),
 * so a row costs the same whatever its size and a person in many rows is
 * counted, not copied, into each; otherwise their scores are copied side by
 * side (stats_paired), into room for every complete pair (a pair is in one
 * group and one period, so no row holds more). */
struct row {
	bool counted;
	long lo1, lo2;              /* counted: the scale's least baseline and latest */
	size_t span1, span2;
	struct stats_paired_counts pc;
	double *x1, *x2;            /* copied */
	size_t n;
	long rc[3];
};

static void row_free(struct row *r)
{
	free(r->x1);
	free(r->x2);
}

/* How the scale's rows will hold their people: counted when
 * stats_count_whole can count both columns of the complete pairs. */
static int row_init(arena *a, const struct complete *c, struct row *ret)
{
	*ret = (struct row){ 0 };
	struct stats_counts first, last;
	struct arena_mark mark = arena_mark(a);
	int whole = c->n ? stats_count_whole(c->x1, c->n, a, &first) : 1;
	if (whole == 0)
		whole = stats_count_whole(c->x2, c->n, a, &last);
	arena_rewind(a, mark);
	if (whole < 0)
		return whole;
	if (whole == 0) {
		*ret = (struct row){ .counted = true, .lo1 = first.lo, .span1 = first.span,
				     .lo2 = last.lo, .span2 = last.span };
		ret->pc.before.count = arena_alloc(a, ret->span1 * sizeof(size_t));
		ret->pc.after.count = arena_alloc(a, ret->span2 * sizeof(size_t));
		ret->pc.change.count = arena_alloc(a, (ret->span1 + ret->span2) * sizeof(size_t));
		return ret->pc.before.count && ret->pc.after.count && ret->pc.change.count ? 0
											    : ERR_NOMEM;
	}
	ret->x1 = malloc((c->n + 1) * sizeof *ret->x1);
	ret->x2 = malloc((c->n + 1) * sizeof *ret->x2);
	return ret->x1 && ret->x2 ? 0 : ERR_NOMEM;
}

/* Empties the row for its next people. */
static void row_reset(struct row *r)
{
	r->n = 0;
	memset(r->rc, 0, sizeof r->rc);
	if (!r->counted)
		return;
	struct stats_paired_counts *pc = &r->pc;
	memset(pc->before.count, 0, r->span1 * sizeof(size_t));
	memset(pc->after.count, 0, r->span2 * sizeof(size_t));
	memset(pc->change.count, 0, (r->span1 + r->span2) * sizeof(size_t));
	pc->before.lo = r->lo1;
	pc->before.span = r->span1;
	pc->after.lo = r->lo2;
	pc->after.span = r->span2;
	pc->change.lo = r->lo2 - (r->lo1 + (long)r->span1 - 1);
	pc->change.span = r->span1 + r->span2 - 1;
}

/* Adds the people [from, to) of the columns x1, x2 and rc to the row. */
static void row_add(struct row *r, const double *x1, const double *x2, const unsigned char *rc,
		    size_t from, size_t to)
{
	for (size_t j = from; j < to; j++)
		r->rc[rc[j]]++;
	if (!r->counted) {
		memcpy(r->x1 + r->n, x1 + from, (to - from) * sizeof *x1);
		memcpy(r->x2 + r->n, x2 + from, (to - from) * sizeof *x2);
		r->n += to - from;
		return;
	}
	size_t *before = r->pc.before.count, *after = r->pc.after.count, *change = r->pc.change.count;
	for (size_t j = from; j < to; j++) {
		long a = (long)x1[j], b = (long)x2[j];
		before[a - r->lo1]++;
		after[b - r->lo2]++;
		change[b - a - r->pc.change.lo]++;
	}
	r->n += to - from;
}

/* The row's figures, into ret (labelled by the caller). */
static int row_figures(arena *a, const struct instrument_scale *scale, struct row *r,
		       long threshold, struct outcome_change *ret)
{
	if (!r->counted)
		return figures_of(a, scale, r->x1, r->x2, r->n, r->rc, threshold, ret);
	if (!figures_begin(scale, r->n, r->rc, threshold, ret))
		return 0;
	r->pc.n = r->n;
	stats_paired_counted(&r->pc, &ret->test);
	return figures_end(a, threshold, ret);
}

/* Each tag's groups by their numbers in the network's pairs (groups
 * without a consented check-in left out), read once for every scale. */
struct tag_groups {
	struct tag *tags;
	size_t n_tags;
	uint32_t **group;           /* per tag, n_group[t] group numbers */
	size_t *n_group;
};

static int read_tag_groups(db *d, arena *a, const struct idmap *groups, struct tag_groups *ret)
{
	herr ignored;
	if (tag_list_names(d, a, &ret->tags, &ret->n_tags, &ignored))
		return ERR_DB;
	ret->group = arena_alloc(a, (ret->n_tags + 1) * sizeof *ret->group);
	ret->n_group = arena_alloc(a, (ret->n_tags + 1) * sizeof *ret->n_group);
	db_stmt *st = db_prepare(d, "SELECT group_id FROM group_tag WHERE tag_id = ?");
	if (!ret->group || !ret->n_group || !st)
		return ERR_DB;
	int rc = 0;
	for (size_t t = 0; !rc && t < ret->n_tags; t++) {
		size_t cap = 0;
		db_bind_int64(st, 1, ret->tags[t].id);
		while ((rc = db_step(st)) == DB_ROW) {
			long k = idmap_find(groups, db_col_int64(st, 0));
			if (k < 0)
				continue;
			uint32_t *v = arena_grow(a, ret->group[t], ret->n_group[t], &cap, sizeof *v);
			if (!v) {
				rc = ERR_NOMEM;
				break;
			}
			ret->group[t] = v;
			v[ret->n_group[t]++] = (uint32_t)k;
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

static int rows_by_tag(arena *a, const struct tag_groups *tg, const struct complete *c,
		       struct row *r, struct outcome_scale *os, long thr)
{
	os->rows = arena_alloc(a, (tg->n_tags + 1) * sizeof *os->rows);
	if (!os->rows)
		return ERR_NOMEM;
	int rc = 0;
	for (size_t t = 0; !rc && t < tg->n_tags; t++) {
		row_reset(r);
		for (size_t j = 0; j < tg->n_group[t]; j++) {
			uint32_t k = tg->group[t][j];
			if (k < c->n_groups)
				row_add(r, c->x1, c->x2, c->rc, c->group_start[k], c->group_start[k + 1]);
		}
		os->rows[t].label = tg->tags[t].name;
		rc = row_figures(a, c->scale, r, thr, &os->rows[t]);
	}
	os->n_rows = tg->n_tags;
	return rc ? rc : suppress_rows(a, os->rows, os->n_rows, thr);
}

/* The complete pairs in quarter order (a counting sort), each quarter's
 * people a run [start[k], start[k + 1]) (malloc'd; by_period_free). */
struct by_period {
	double *x1, *x2;
	unsigned char *rc;
	size_t *start;
};

static void by_period_free(struct by_period *b)
{
	free(b->x1);
	free(b->x2);
	free(b->rc);
	free(b->start);
}

static int sort_by_period(const struct complete *c, size_t n_quarters, struct by_period *ret)
{
	size_t room = c->n ? c->n : 1;
	*ret = (struct by_period){ malloc(room * sizeof *ret->x1), malloc(room * sizeof *ret->x2),
				   malloc(room), calloc(n_quarters + 2, sizeof *ret->start) };
	size_t *next = malloc((n_quarters + 1) * sizeof *next);
	if (!ret->x1 || !ret->x2 || !ret->rc || !ret->start || !next) {
		free(next);
		by_period_free(ret);
		return ERR_NOMEM;
	}
	for (size_t j = 0; j < c->n; j++)
		ret->start[c->period[j] + 1]++;
	for (size_t k = 0; k < n_quarters; k++)
		ret->start[k + 1] += ret->start[k];
	memcpy(next, ret->start, (n_quarters + 1) * sizeof *next);
	for (size_t j = 0; j < c->n; j++) {
		size_t at = next[c->period[j]]++;
		ret->x1[at] = c->x1[j];
		ret->x2[at] = c->x2[j];
		ret->rc[at] = c->rc[j];
	}
	free(next);
	return 0;
}

/* A row for each quarter in which someone's latest check-in falls (with or
 * without both scores on this scale). */
static int rows_by_period(arena *a, const struct pairs *p, const struct complete *c,
			  struct row *r, struct outcome_scale *os, long thr)
{
	size_t nq = p->n_quarters;
	struct by_period b;
	os->rows = arena_alloc(a, (nq + 1) * sizeof *os->rows);
	if (!os->rows || sort_by_period(c, nq, &b))
		return ERR_NOMEM;
	int rc = 0;
	for (size_t k = 0; !rc && k < nq; k++) {
		row_reset(r);
		row_add(r, b.x1, b.x2, b.rc, b.start[k], b.start[k + 1]);
		int q = p->quarters[k];
		os->rows[k].label = arena_printf(a, "%d Q%d", q / 4, q % 4 + 1);
		rc = row_figures(a, c->scale, r, thr, &os->rows[k]);
	}
	by_period_free(&b);
	os->n_rows = nq;
	return rc ? rc : suppress_rows(a, os->rows, os->n_rows, thr);
}

/* The people whose pairs count in the network's figures, each instrument's
 * in person order (as its pairs are read), for counting them once over
 * every instrument (count_people). */
struct people {
	int64_t *ids;
	size_t n, cap;
	size_t next;                /* people_distinct's place in ids */
};

static int people_add(struct people *p, int64_t person)
{
	if (p->n && p->ids[p->n - 1] == person)
		return 0;
	if (p->n == p->cap) {
		bool ok = true;
		p->cap = p->cap ? p->cap + p->cap / 2 : 4096;
		p->ids = resized(p->ids, p->cap, sizeof *p->ids, &ok);
		if (!ok)
			return ERR_NOMEM;
	}
	p->ids[p->n++] = person;
	return 0;
}

/* How many distinct people the n lists (each sorted, without repeats)
 * hold between them: a merge, taking the smallest head each time. */
static long people_distinct(struct people *lists, size_t n)
{
	long count = 0;
	for (;;) {
		bool any = false;
		int64_t least = 0;
		for (size_t i = 0; i < n; i++) {
			struct people *l = &lists[i];
			if (l->next < l->n && (!any || l->ids[l->next] < least)) {
				least = l->ids[l->next];
				any = true;
			}
		}
		if (!any)
			return count;
		count++;
		for (size_t i = 0; i < n; i++)
			if (lists[i].next < lists[i].n && lists[i].ids[lists[i].next] == least)
				lists[i].next++;
	}
}

/* Reads stored pairs, rows (person, group, scale_id, first score, last
 * score, latest_at; a score is null when its check-in is, note_pair
 * keeping the two together) ordered by person and group, into pairs,
 * and their people into *people. Resets st. */
static int collect_stored_pairs(db_stmt *st, const struct instrument *in, struct pairs *p,
				struct people *people)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t person = db_col_int64(st, 0);
		long q = people_add(people, person) ? -1 : pair_for(p, person, db_col_int64(st, 1));
		if (q < 0) {
			rc = ERR_NOMEM;
			break;
		}
		int quarter = quarter_of(db_col_int64(st, 5));
		if (quarter > p->quarter[q])
			p->quarter[q] = quarter;
		size_t s = checkin_scale_index(in, db_col_text(st, 2));
		if (s == (size_t)-1)
			continue;
		size_t k = (size_t)q * p->ns + s;
		p->has[k] = 0;
		if (!db_col_is_null(st, 3)) {
			p->first[k] = db_col_double(st, 3);
			p->has[k] |= HAS_FIRST;
		}
		if (!db_col_is_null(st, 4)) {
			p->last[k] = db_col_double(st, 4);
			p->has[k] |= HAS_LAST;
		}
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The baseline and latest scores on in's scales of every person whose
 * consent lets them count (counts_in_network, kept by the consent's
 * triggers: migration 0017). */
static int network_pairs(db *d, const struct instrument *in, struct pairs *ret,
			 struct people *people)
{
	db_stmt *q = db_prepare(d,
		"SELECT person_id, group_id, scale_id, first_score, last_score, latest_at "
		"FROM checkin_pair WHERE instrument_id = ? AND counts_in_network = 1 "
		"ORDER BY instrument_id, person_id, group_id, scale_id");
	if (!q)
		return ERR_DB;
	db_bind_text(q, 1, in->id);
	int rc = collect_stored_pairs(q, in, ret, people);
	return rc ? rc : list_quarters(ret);
}

/* One instrument's scales: the row of all groups, worked out once, and
 * the rows of each split, into rets[k].scales for splits[k]. */
static int network_scales(arena *a, const struct pairs *p, const struct instrument *in,
			  const enum outcome_split *splits, const struct tag_groups *tg,
			  size_t n_splits, struct outcome_network *rets)
{
	int rc = 0;
	for (size_t s = 0; !rc && s < in->n_scales; s++) {
		struct complete c;
		if ((rc = complete_pairs(p, in, s, &c)))
			break;
		struct outcome_scale first = { .in = in, .scale = s, .all.label = "All groups" };
		struct row r;
		rc = row_init(a, &c, &r);
		if (!rc) {
			row_reset(&r);
			row_add(&r, c.x1, c.x2, c.rc, 0, c.n);
			rc = row_figures(a, c.scale, &r, rets[0].threshold, &first.all);
		}
		for (size_t k = 0; !rc && k < n_splits; k++) {
			struct outcome_scale *os = &rets[k].scales[rets[k].n_scales++];
			*os = first;
			rc = splits[k] == OUTCOME_BY_TAG
				? rows_by_tag(a, tg, &c, &r, os, rets[k].threshold)
				: rows_by_period(a, p, &c, &r, os, rets[k].threshold);
		}
		row_free(&r);
		complete_free(&c);
	}
	return rc;
}

static bool splits_include(const enum outcome_split *splits, size_t n, enum outcome_split which)
{
	for (size_t k = 0; k < n; k++)
		if (splits[k] == which)
			return true;
	return false;
}

/* The network's figures from the pairs of every instrument, read first
 * (so that the tags know every group's number). */
static int network_figures(db *d, arena *a, const enum outcome_split *splits, size_t n_splits,
			   struct pairs *pairs, struct idmap *groups, struct outcome_network *rets)
{
	size_t ni;
	const struct instrument *const *all = instrument_all(&ni);
	struct people *people = calloc(ni + 1, sizeof *people);
	int rc = people ? 0 : ERR_NOMEM;
	for (size_t i = 0; i < ni; i++)
		pairs_init(&pairs[i], all[i], groups);
	for (size_t i = 0; !rc && i < ni; i++)
		rc = network_pairs(d, all[i], &pairs[i], &people[i]);
	long participants = rc ? 0 : people_distinct(people, ni);
	for (size_t k = 0; k < n_splits; k++)
		rets[k].participants = participants;
	for (size_t i = 0; people && i < ni; i++)
		free(people[i].ids);   /* done with; a few MB at a million members */
	free(people);
	struct tag_groups tg = { 0 };
	if (!rc && splits_include(splits, n_splits, OUTCOME_BY_TAG))
		rc = read_tag_groups(d, a, groups, &tg);
	for (size_t i = 0; !rc && i < ni; i++)
		rc = network_scales(a, &pairs[i], all[i], splits, &tg, n_splits, rets);
	return rc;
}

static int network_begin(arena *a, const enum outcome_split *splits, size_t n_splits, long threshold,
			 struct outcome_network *rets)
{
	size_t ni;
	const struct instrument *const *all = instrument_all(&ni);
	size_t cap = 0;
	for (size_t i = 0; i < ni; i++)
		cap += all[i]->n_scales;
	for (size_t k = 0; k < n_splits; k++) {
		rets[k] = (struct outcome_network){ .split = splits[k], .threshold = threshold };
		if (!(rets[k].scales = arena_alloc(a, (cap + 1) * sizeof *rets[k].scales)))
			return ERR_NOMEM;
	}
	return 0;
}

int outcome_for_network_splits(db *d, arena *a, const struct actor *actor,
			       const enum outcome_split *splits, size_t n_splits,
			       struct outcome_network *rets, herr *e)
{
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "The network's figures are for its coordinators.");
	if (!n_splits)
		return 0;
	size_t ni;
	instrument_all(&ni);
	struct pairs *pairs = arena_alloc(a, (ni + 1) * sizeof *pairs);
	if (!pairs || network_begin(a, splits, n_splits, outcome_threshold(d), rets))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct idmap groups = { 0 };
	int rc = network_figures(d, a, splits, n_splits, pairs, &groups, rets);
	for (size_t i = 0; i < ni; i++)
		pairs_free(&pairs[i]);
	idmap_free(&groups);
	if (rc)
		return herr_set(e, rc, NULL, "Could not work out the network's figures.");
	for (size_t k = 0; k < n_splits; k++)
		rets[k].participants_hidden = disclosure_count_hidden(rets[k].participants,
								      rets[k].threshold);
	return 0;
}

int outcome_for_network(db *d, arena *a, const struct actor *actor, enum outcome_split split,
			struct outcome_network *ret, herr *e)
{
	return outcome_for_network_splits(d, a, actor, &split, 1, ret, e);
}
