/* distributions.h - the probability distributions the statistics engine
 * needs, in one place: Student's t (its tails from GSL's incomplete beta, as
 * R's pt; its quantile from GSL) and the normal (GSL), the noncentral t
 * (a port of R's pnt, which GSL lacks), the inversion of the noncentral t for
 * a standardised effect's confidence interval, and the exact distribution of
 * the Wilcoxon signed-rank statistic (as R's psignrank).
 *
 * Every function here is pure and thread-safe. GSL's default error handler
 * aborts the process; the first call into this file switches it off once for
 * the whole program (stats_gsl_quiet), so a bad value becomes a NaN that the
 * caller turns into a "cannot be computed" reason instead of a crash. */
#ifndef HEARTH_STATS_DISTRIBUTIONS_H
#define HEARTH_STATS_DISTRIBUTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Exact signed-rank probabilities are offered below this many non-zero
 * differences, as R's wilcox.test chooses by default. */
#define STATS_SIGNRANK_EXACT_MAX 50

/* Turns GSL's abort-on-error handler off, once per process. */
void stats_gsl_quiet(void);

/* P(T <= t) for Student's t with df degrees of freedom, or P(T > t) when
 * lower is false; relative error near 1e-15 even for p near 1e-100. */
double stats_pt(double t, double df, bool lower);
/* The p-quantile of Student's t. */
double stats_qt(double p, double df);
/* P(Z <= z) for the standard normal, or P(Z > z) when lower is false. */
double stats_pnorm(double z, bool lower);

/* P(T <= t) for the noncentral t with df degrees of freedom and
 * noncentrality ncp: R's pnt (Lenth's AS 243 twin series with R's changes,
 * absolute error below 1e-12), so results agree with R's pt(t, df, ncp). */
double stats_pnt(double t, double df, double ncp);

/* The confidence interval for the noncentrality of a t statistic t with df
 * degrees of freedom at the given level (0.95): the ncp values where
 * pt(t, df, ncp) is 1 - alpha/2 and alpha/2 (Steiger and Fouladi's
 * inversion), found by Brent's method to 1e-12. Returns 0, or -1 when no
 * interval could be found (non-finite t, or no bracket). */
int stats_ncp_interval(double t, double df, double level,
		       double *ret_lo, double *ret_hi);

/* The exact tails of the signed-rank statistic V for n non-zero differences
 * without ties (n < STATS_SIGNRANK_EXACT_MAX): P(V <= v) and P(V >= v),
 * counting the 2^n equally likely sign patterns by dynamic programming.
 * Returns 0, or -1 when n is out of range. */
int stats_signrank_tails(size_t n, double v, double *ret_lower, double *ret_upper);

#endif
