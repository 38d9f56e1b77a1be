/* paired.h - change from a first score x1 to a later score x2 for the same
 * people: the mean difference x2 - x1 with its 95% confidence interval and
 * the paired t-test (R's t.test(x2, x1, paired = TRUE)), the Wilcoxon
 * signed-rank test (R's wilcox.test(x2, x1, paired = TRUE) with its
 * defaults), and standardised effect sizes with 95% intervals.
 *
 * Only complete pairs count: a pair with either score missing (NaN or
 * infinite) is left out and counted in n_incomplete.
 *
 * Wilcoxon: zero differences are dropped; with fewer than 50 non-zero
 * differences, no ties among their absolute values and no zeros, p is exact
 * (the distribution of V over all sign patterns, as psignrank): two-sided
 * p = min(1, 2 min(P(V <= v), P(V >= v))). Otherwise the normal
 * approximation with continuity correction and the tie-corrected variance
 * n(n+1)(2n+1)/24 - sum(t^3 - t)/48.
 *
 * Effect sizes (the sign follows x2 - x1):
 *   d_z  = mean difference / SD of the differences. Its interval inverts the
 *          noncentral t: the paired t statistic t = d_z sqrt(n) has the
 *          noncentral t distribution with n - 1 df and ncp = delta sqrt(n);
 *          the ncp values putting t at the 97.5th and 2.5th percentiles,
 *          divided by sqrt(n), bound d_z (exact under normality; matches R's
 *          uniroot over pt(t, n - 1, ncp) to 1e-9).
 *   d_av = mean difference / ((SD1 + SD2) / 2). Its interval is d_z's
 *          rescaled by SD_diff / ((SD1 + SD2) / 2), treating that ratio as
 *          known: an approximation that ignores the ratio's own sampling
 *          error.
 *   g_z, g_av = Hedges' small-sample correction J = 1 - 3/(4 df - 1) with
 *          df = n - 1 (the paired design's degrees of freedom), applied to
 *          the estimate and both ends of its interval; needs n >= 3 (J is 0
 *          at df = 1).
 *
 * Every part that cannot be computed (fewer than 2 pairs, no spread, all
 * differences zero) says so in its own cannot field ("cannot be computed:
 * ..."), and its numbers are then NaN, never to be shown. */
#ifndef HEARTH_STATS_PAIRED_H
#define HEARTH_STATS_PAIRED_H

#include "../base/arena.h"

#include "describe.h"
#include "sort.h"

#include <stdbool.h>
#include <stddef.h>

struct stats_paired_t {
	double mean;           /* mean difference x2 - x1 */
	double sd;             /* SD of the differences */
	double se;             /* sd / sqrt(n) */
	double ci_lo, ci_hi;   /* 95% CI of the mean difference, from t */
	double t, df, p;       /* paired t-test, two-sided */
	const char *cannot;
};

struct stats_signed_rank {
	double v;              /* sum of the ranks of the positive differences */
	double p;              /* two-sided */
	bool exact;            /* exact p, or the normal approximation */
	bool ties;             /* tied absolute differences among the non-zero */
	size_t n_nonzero;      /* differences used */
	size_t n_zero;         /* zero differences dropped */
	const char *cannot;
};

struct stats_effect {
	double estimate;
	double ci_lo, ci_hi;   /* 95% */
	const char *cannot;    /* the estimate (and so the interval) */
	const char *ci_cannot; /* the interval alone */
};

struct stats_paired {
	size_t n;              /* complete pairs */
	size_t n_incomplete;   /* pairs left out for a missing score */
	struct stats_describe before, after, diff;   /* over complete pairs */
	struct stats_paired_t t;
	struct stats_signed_rank wilcoxon;
	double hedges_j;       /* NaN when n < 3 */
	struct stats_effect d_z, d_av, g_z, g_av;
};

/* Compares x1[i] with x2[i] for i < len, taking scratch memory (at most
 * about 56 bytes a pair) from the caller's arena and rewinding it before
 * returning; ret owns nothing. Returns 0, or
 * ERR_NOMEM (ret then untouched). */
int stats_paired(const double *x1, const double *x2, size_t len, arena *scratch,
		 struct stats_paired *ret);

/* A paired sample of whole numbers already counted (sort.h): n pairs,
 * their baselines, latest scores and changes (latest - baseline). */
struct stats_paired_counts {
	size_t n;
	struct stats_counts before, after, change;
};

/* stats_paired of such a sample, with the same figures stats_paired gives
 * the pairs themselves (their scores being whole numbers), in time that
 * does not grow with n: a table of many rows from the same people counts
 * each row's people instead of copying them. */
void stats_paired_counted(const struct stats_paired_counts *c, struct stats_paired *ret);

/* The signed-rank test of n differences d (zeros allowed), as above, with
 * scratch from the arena (rewound before returning). Returns 0, or ERR_NOMEM. */
int stats_signed_rank_test(const double *d, size_t n, arena *scratch,
			   struct stats_signed_rank *ret);

/* Hedges' J for df degrees of freedom: 1 - 3 / (4 df - 1). */
double stats_hedges_j(double df);

#endif
