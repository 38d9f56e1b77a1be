/* paired.c - change between two scores of the same people: the paired
 * t-test, the Wilcoxon signed-rank test and effect sizes. See paired.h. */
#include "paired.h"
#include "sort.h"

#include "distributions.h"

#include "../base/err.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

static const char too_few_pairs[] =
	"cannot be computed: needs at least 2 complete pairs";
static const char no_spread[] =
	"cannot be computed: everyone changed by the same amount, so the changes have no spread";
static const char all_zero[] =
	"cannot be computed: every difference is zero";
static const char no_pairs[] =
	"cannot be computed: there are no complete pairs";
static const char no_spread_either_time[] =
	"cannot be computed: the scores have no spread at either time";
static const char too_few_for_hedges[] =
	"cannot be computed: Hedges' correction needs at least 3 complete pairs";
static const char exact_out_of_range[] =
	"cannot be computed: too many differences for the exact distribution";
static const char no_interval[] =
	"cannot be computed: the noncentral t interval did not converge";

double stats_hedges_j(double df)
{
	return 1 - 3 / (4 * df - 1);
}

/* ---- paired t-test ------------------------------------------------------ */

static void t_not_computed(struct stats_paired_t *t, const char *why)
{
	t->se = t->ci_lo = t->ci_hi = t->t = t->df = t->p = NAN;
	t->cannot = why;
}

/* As R's t.test, from the differences' mean and SD: refuses n < 2 and,
 * like R's "data are essentially constant", a standard error below
 * 10 DBL_EPSILON |mean|. */
static void paired_t_from(double mean, double sd, size_t n, struct stats_paired_t *t)
{
	t->mean = mean;
	t->sd = sd;
	if (n < 2) {
		t_not_computed(t, n ? too_few_pairs : no_pairs);
		return;
	}
	t->se = t->sd / sqrt((double)n);
	if (t->se == 0 || t->se < 10 * DBL_EPSILON * fabs(t->mean)) {
		t_not_computed(t, no_spread);
		return;
	}
	t->df = (double)(n - 1);
	t->t = t->mean / t->se;
	t->p = 2 * stats_pt(fabs(t->t), t->df, false);
	double q = stats_qt(0.975, t->df);
	t->ci_lo = (t->t - q) * t->se;   /* R's order of operations */
	t->ci_hi = (t->t + q) * t->se;
}

static void paired_t(const double *d, size_t n, struct stats_paired_t *t)
{
	double mean = n ? stats_mean(d, n) : NAN;
	paired_t_from(mean, stats_sd(d, n, mean), n, t);
}

/* ---- Wilcoxon signed-rank ----------------------------------------------- */

/* Ranks the differences, sorted by size (ties get their average rank), and
 * sums the ranks of the positive ones into ret->v; records whether there were
 * ties and returns sum(t^3 - t) over the groups of ties. */
static double rank_sum_positive(const double *s, size_t n, struct stats_signed_rank *ret)
{
	double tie_term = 0;
	long double v = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && fabs(s[j + 1]) == fabs(s[i]))
			j++;
		double rank = ((double)(i + 1) + (double)(j + 1)) / 2;
		double t = (double)(j - i + 1);
		if (t > 1) {
			ret->ties = true;
			tie_term += t * t * t - t;
		}
		for (size_t k = i; k <= j; k++)
			if (s[k] > 0)
				v += rank;
		i = j + 1;
	}
	ret->v = (double)v;
	return tie_term;
}

/* rank_sum_positive from the differences' counts, with the same sums in
 * the same order (each size's ranks are half-integers, so count times the
 * rank is the repeated sum exactly). */
static long count_of(const struct stats_counts *c, long value)
{
	long k = value - c->lo;
	return k >= 0 && (size_t)k < c->span ? (long)c->count[k] : 0;
}

static double rank_sum_counted(const struct stats_counts *c, struct stats_signed_rank *ret)
{
	double tie_term = 0;
	long double v = 0;
	long top = labs(c->lo) > labs(c->lo + (long)c->span - 1) ? labs(c->lo)
								   : labs(c->lo + (long)c->span - 1);
	size_t i = 0;   /* differences ranked so far */
	for (long m = 1; m <= top; m++) {
		long pos = count_of(c, m), t = pos + count_of(c, -m);
		if (!t)
			continue;
		double rank = ((double)(i + 1) + (double)(i + (size_t)t)) / 2;
		if (t > 1) {
			ret->ties = true;
			tie_term += (double)t * (double)t * (double)t - (double)t;
		}
		v += (long double)pos * rank;
		i += (size_t)t;
	}
	ret->v = (double)v;
	return tie_term;
}

static void signed_rank_exact(struct stats_signed_rank *r)
{
	double lower, upper;
	if (stats_signrank_tails(r->n_nonzero, r->v, &lower, &upper) < 0) {
		r->p = NAN;
		r->cannot = exact_out_of_range;
		return;
	}
	r->exact = true;
	r->p = fmin(1, 2 * fmin(lower, upper));
}

static void signed_rank_normal(struct stats_signed_rank *r, double tie_term)
{
	double n = (double)r->n_nonzero;
	double z = r->v - n * (n + 1) / 4;
	double sigma = sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_term / 48);
	double correction = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
	z = (z - correction) / sigma;
	r->exact = false;
	r->p = 2 * fmin(stats_pnorm(z, true), stats_pnorm(z, false));
}

/* The p value once the ranks are summed: exact, normal, or none. */
static void signed_rank_p(struct stats_signed_rank *r, size_t n, double tie_term)
{
	if (r->n_nonzero == 0) {
		r->v = r->p = NAN;
		r->cannot = n ? all_zero : no_pairs;
	} else if (r->n_nonzero < STATS_SIGNRANK_EXACT_MAX && !r->ties && r->n_zero == 0) {
		signed_rank_exact(r);
	} else {
		signed_rank_normal(r, tie_term);
	}
}

int stats_signed_rank_test(const double *d, size_t n, arena *scratch,
			   struct stats_signed_rank *ret)
{
	struct stats_signed_rank r = { 0 };
	struct arena_mark mark = arena_mark(scratch);
	double *s = arena_alloc_uninit(scratch, (n ? n : 1) * sizeof *s);
	if (!s)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (d[i] == 0)
			r.n_zero++;
		else
			s[r.n_nonzero++] = d[i];
	}
	struct stats_counts counts;
	int counted = r.n_nonzero ? stats_count_whole(s, r.n_nonzero, scratch, &counts) : 1;
	int rc = counted > 0 ? stats_sort(s, r.n_nonzero, STATS_BY_MAGNITUDE, scratch) : counted;
	double tie_term = rc < 0 ? 0
			: counted == 0 ? rank_sum_counted(&counts, &r)
				       : rank_sum_positive(s, r.n_nonzero, &r);
	arena_rewind(scratch, mark);
	if (rc < 0)
		return rc;
	signed_rank_p(&r, n, tie_term);
	*ret = r;
	return 0;
}

/* The test from the counts of n differences (zeros among them). */
static void signed_rank_counted(const struct stats_counts *d, size_t n, struct stats_signed_rank *ret)
{
	struct stats_signed_rank r = { .n_zero = (size_t)count_of(d, 0) };
	r.n_nonzero = n - r.n_zero;
	double tie_term = r.n_nonzero ? rank_sum_counted(d, &r) : 0;
	signed_rank_p(&r, n, tie_term);
	*ret = r;
}

/* ---- effect sizes ------------------------------------------------------- */

static void effect_not_computed(struct stats_effect *e, const char *why)
{
	e->estimate = e->ci_lo = e->ci_hi = NAN;
	e->cannot = e->ci_cannot = why;
}

/* d_z with the interval from inverting the noncentral t of the paired t. */
static void effect_d_z(const struct stats_paired_t *t, size_t n, struct stats_effect *e)
{
	double lo, hi, root_n = sqrt((double)n);
	if (t->cannot) {
		effect_not_computed(e, t->cannot);
		return;
	}
	e->estimate = t->mean / t->sd;
	if (stats_ncp_interval(t->t, t->df, 0.95, &lo, &hi) < 0) {
		e->ci_lo = e->ci_hi = NAN;
		e->ci_cannot = no_interval;
		return;
	}
	e->ci_lo = lo / root_n;
	e->ci_hi = hi / root_n;
}

/* d_av, its interval d_z's rescaled by SD_diff / SD_av. */
static void effect_d_av(const struct stats_paired *p, struct stats_effect *e)
{
	double sd_av = (p->before.sd + p->after.sd) / 2;
	if (p->n < 2) {
		effect_not_computed(e, p->t.cannot);
		return;
	}
	if (!(sd_av > 0)) {
		effect_not_computed(e, no_spread_either_time);
		return;
	}
	e->estimate = p->t.mean / sd_av;
	if (p->d_z.ci_cannot) {
		e->ci_lo = e->ci_hi = NAN;
		e->ci_cannot = p->d_z.ci_cannot;
		return;
	}
	double scale = p->t.sd / sd_av;
	e->ci_lo = p->d_z.ci_lo * scale;
	e->ci_hi = p->d_z.ci_hi * scale;
}

/* g = J d, on the estimate and both ends of the interval. */
static void effect_hedges(const struct stats_effect *d, size_t n, double j,
			  struct stats_effect *g)
{
	if (n < 3 && !d->cannot) {
		effect_not_computed(g, too_few_for_hedges);
		return;
	}
	*g = *d;
	if (g->cannot)
		return;
	g->estimate = j * d->estimate;
	if (!g->ci_cannot) {
		g->ci_lo = j * d->ci_lo;
		g->ci_hi = j * d->ci_hi;
	}
}

/* ---- the whole comparison ----------------------------------------------- */

/* Copies the complete pairs into a, b and their differences into d. */
static size_t complete_pairs(const double *x1, const double *x2, size_t len,
			     double *a, double *b, double *d)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isfinite(x1[i]) || !isfinite(x2[i]))
			continue;
		a[n] = x1[i];
		b[n] = x2[i];
		d[n++] = x2[i] - x1[i];
	}
	return n;
}

/* The effect sizes, once the describes and the t-test are done. */
static void paired_effects(struct stats_paired *p)
{
	effect_d_z(&p->t, p->n, &p->d_z);
	effect_d_av(p, &p->d_av);
	p->hedges_j = p->n >= 3 ? stats_hedges_j((double)(p->n - 1)) : NAN;
	effect_hedges(&p->d_z, p->n, p->hedges_j, &p->g_z);
	effect_hedges(&p->d_av, p->n, p->hedges_j, &p->g_av);
}

int stats_paired(const double *x1, const double *x2, size_t len, arena *scratch,
		 struct stats_paired *ret)
{
	struct stats_paired p = { 0 };
	struct arena_mark mark = arena_mark(scratch);
	double *a = arena_alloc_uninit(scratch, (len ? len : 1) * 3 * sizeof *a);
	if (!a)
		return ERR_NOMEM;
	double *b = a + len, *d = b + len;
	p.n = complete_pairs(x1, x2, len, a, b, d);
	p.n_incomplete = len - p.n;
	int rc = stats_describe(a, p.n, scratch, &p.before);
	if (!rc)
		rc = stats_describe(b, p.n, scratch, &p.after);
	if (!rc)
		rc = stats_describe(d, p.n, scratch, &p.diff);
	if (!rc)
		rc = stats_signed_rank_test(d, p.n, scratch, &p.wilcoxon);
	if (!rc)
		paired_t(d, p.n, &p.t);
	arena_rewind(scratch, mark);
	if (rc)
		return rc;
	paired_effects(&p);
	*ret = p;
	return 0;
}

void stats_paired_counted(const struct stats_paired_counts *c, struct stats_paired *ret)
{
	struct stats_paired p = { .n = c->n };
	stats_describe_counts(&c->before, c->n, &p.before);
	stats_describe_counts(&c->after, c->n, &p.after);
	stats_describe_counts(&c->change, c->n, &p.diff);
	signed_rank_counted(&c->change, c->n, &p.wilcoxon);
	paired_t_from(p.diff.mean, p.diff.sd, c->n, &p.t);
	paired_effects(&p);
	*ret = p;
}
