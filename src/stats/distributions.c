/* distributions.c - Student's t, the normal, the noncentral t and the exact
 * signed-rank distribution for the statistics engine. See distributions.h. */
#include "distributions.h"

#include <float.h>
#include <math.h>
#include <pthread.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>

static pthread_once_t gsl_quiet_once = PTHREAD_ONCE_INIT;

static void gsl_handler_off(void)
{
	gsl_set_error_handler_off();
}

void stats_gsl_quiet(void)
{
	pthread_once(&gsl_quiet_once, gsl_handler_off);
}

/* P(|T| > |t|) from the incomplete beta, as R's pt does. GSL's own
 * gsl_cdf_tdist_Q switches to a Cornish-Fisher expansion above 30 df, which
 * is off by up to 1e-7 relative for p below 1e-12; this is not. */
static double t_both_tails(double t, double df)
{
	double nx = 1 + (t / df) * t;
	if (nx > 1e100) {    /* the beta would underflow: its leading term */
		double lval = -0.5 * df * (2 * log(fabs(t)) - log(df))
			- gsl_sf_lnbeta(0.5 * df, 0.5) - log(0.5 * df);
		return exp(lval);
	}
	return df > t * t ? gsl_cdf_beta_Q(t * t / (df + t * t), 0.5, df / 2.)
			  : gsl_cdf_beta_P(1. / nx, df / 2., 0.5);
}

double stats_pt(double t, double df, bool lower)
{
	stats_gsl_quiet();
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return (t < 0) == lower ? 0.0 : 1.0;
	double tail = t_both_tails(t, df) / 2;   /* P(T > |t|) */
	bool want_far_side = lower ? t <= 0 : t > 0;
	return want_far_side ? tail : 0.5 - tail + 0.5;
}

double stats_qt(double p, double df)
{
	stats_gsl_quiet();
	return gsl_cdf_tdist_Pinv(p, df);
}

double stats_pnorm(double z, bool lower)
{
	stats_gsl_quiet();
	return lower ? gsl_cdf_ugaussian_P(z) : gsl_cdf_ugaussian_Q(z);
}

/* The regularised incomplete beta I_x(a, b), as R's pbeta(x, a, b). */
static double pbeta_lower(double x, double a, double b)
{
	gsl_sf_result r;
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	if (gsl_sf_beta_inc_e(a, b, x, &r) != GSL_SUCCESS)
		return NAN;
	return r.val;
}

/* A far-out noncentral t, from Abramowitz and Stegun 26.7.10, as R uses when
 * the series would underflow or df is huge. */
static double pnt_normal_approx(double tt, double df, double del, bool lower)
{
	double s = 1. / (4. * df);
	double z = (tt * (1. - s) - del) / sqrt(1. + tt * tt * 2. * s);
	return stats_pnorm(z, lower);
}

/* R's pnt (nmath/pnt.c, lower tail, not logged), line for line so the
 * series stops where R's does. */
double stats_pnt(double t, double df, double ncp)
{
	const int itrmax = 1000;
	const double errmax = 1.e-12;
	double albeta, a, b, del, errbd, lambda, rxb, tt, x;
	long double geven, godd, p, q, s, tnc, xeven, xodd;
	bool negdel, lower;

	stats_gsl_quiet();
	if (!(df > 0.0) || isnan(t) || isnan(ncp))
		return NAN;
	if (ncp == 0.0)
		return stats_pt(t, df, true);
	if (!isfinite(t))
		return t < 0 ? 0.0 : 1.0;
	if (t >= 0.) {
		negdel = false; tt = t; del = ncp;
	} else {
		if (ncp > 40)
			return 0.0;
		negdel = true; tt = -t; del = -ncp;
	}
	if (df > 4e5 || del * del > 2 * M_LN2 * (-(DBL_MIN_EXP)))
		return pnt_normal_approx(tt, df, del, !negdel);

	x = t * t;
	x = x / (x + df);
	if (x > 0.) {
		lambda = del * del;
		p = .5 * exp(-.5 * lambda);
		if (p == 0.)
			return 0.0;   /* underflow: R gives 0 too */
		q = sqrt(2 / M_PI) * p * del;
		s = .5 - p;
		if (s < 1e-7)
			s = -0.5 * expm1(-0.5 * lambda);
		a = .5;
		b = .5 * df;
		rxb = pow(df / (t * t + df), b);
		albeta = 0.572364942924700087071713675677 /* log(sqrt(pi)) */
			+ gsl_sf_lngamma(b) - gsl_sf_lngamma(.5 + b);
		xodd = pbeta_lower(x, a, b);
		godd = 2. * rxb * exp(a * log(x) - albeta);
		tnc = b * x;
		xeven = (tnc < DBL_EPSILON) ? tnc : 1. - rxb;
		geven = tnc * rxb;
		tnc = p * xodd + q * xeven;
		for (int it = 1; it <= itrmax; it++) {
			a += 1.;
			xodd -= godd;
			xeven -= geven;
			godd *= x * (a + b - 1.) / a;
			geven *= x * (a + b - .5) / (a + .5);
			p *= lambda / (2 * it);
			q *= lambda / (2 * it + 1);
			tnc += p * xodd + q * xeven;
			s -= p;
			if (s < -1.e-10)
				break;             /* rounding, as R */
			if (s <= 0 && it > 1)
				break;
			errbd = (double)(2. * s * (xodd - godd));
			if (fabs(errbd) < errmax)
				break;
		}
	} else {
		tnc = 0.;
	}
	tnc += stats_pnorm(-del, true);
	lower = !negdel;
	if (tnc > 1.)
		tnc = 1.;
	return lower ? (double)tnc : 0.5 - (double)tnc + 0.5;
}

struct ncp_target {
	double t, df, p;
};

static double ncp_gap(double ncp, void *arg)
{
	const struct ncp_target *g = arg;
	return stats_pnt(g->t, g->df, ncp) - g->p;
}

/* Widens [lo, hi] around t until the gap changes sign (pnt falls as ncp
 * grows, so the gap is positive at lo and negative at hi). */
static int ncp_bracket(struct ncp_target *g, double *ret_lo, double *ret_hi)
{
	double step = 1 + fabs(g->t) / 4;
	for (int i = 0; i < 60; i++, step *= 2) {
		double lo = g->t - step, hi = g->t + step;
		double flo = ncp_gap(lo, g), fhi = ncp_gap(hi, g);
		if (isnan(flo) || isnan(fhi))
			return -1;
		if (flo > 0 && fhi < 0) {
			*ret_lo = lo;
			*ret_hi = hi;
			return 0;
		}
	}
	return -1;
}

/* The ncp where pt(t, df, ncp) equals p, by Brent's method. */
static int ncp_solve(double t, double df, double p, double *ret)
{
	struct ncp_target g = { t, df, p };
	gsl_function fn = { ncp_gap, &g };
	double lo, hi;
	int rc = -1;

	if (ncp_bracket(&g, &lo, &hi) < 0)
		return -1;
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s)
		return -1;
	if (gsl_root_fsolver_set(s, &fn, lo, hi) == GSL_SUCCESS) {
		for (int i = 0; i < 200; i++) {
			if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
				break;
			lo = gsl_root_fsolver_x_lower(s);
			hi = gsl_root_fsolver_x_upper(s);
			if (gsl_root_test_interval(lo, hi, 1e-12, 1e-14) == GSL_SUCCESS) {
				*ret = gsl_root_fsolver_root(s);
				rc = 0;
				break;
			}
		}
	}
	gsl_root_fsolver_free(s);
	return rc;
}

int stats_ncp_interval(double t, double df, double level,
		       double *ret_lo, double *ret_hi)
{
	double alpha = 1 - level, lo, hi;
	stats_gsl_quiet();
	if (!isfinite(t) || !(df > 0) || !(alpha > 0 && alpha < 1))
		return -1;
	if (ncp_solve(t, df, 1 - alpha / 2, &lo) < 0 ||
	    ncp_solve(t, df, alpha / 2, &hi) < 0)
		return -1;
	*ret_lo = lo;
	*ret_hi = hi;
	return 0;
}

int stats_signrank_tails(size_t n, double v, double *ret_lower, double *ret_upper)
{
	enum { MAXSUM = STATS_SIGNRANK_EXACT_MAX * (STATS_SIGNRANK_EXACT_MAX + 1) / 2 };
	double count[MAXSUM + 1] = { 0 };
	size_t total = n * (n + 1) / 2;
	long double below = 0, above = 0;

	if (n >= STATS_SIGNRANK_EXACT_MAX || isnan(v))
		return -1;
	/* count[s]: how many subsets of the ranks 1..n sum to s (exact in a
	 * double: at most 2^49 < 2^53) */
	count[0] = 1;
	for (size_t k = 1; k <= n; k++)
		for (size_t s = total; s >= k; s--)
			count[s] += count[s - k];
	double vr = floor(v + 1e-7);   /* V is a whole number here, as in R */
	for (size_t s = 0; s <= total; s++) {
		if ((double)s <= vr)
			below += count[s];
		if ((double)s >= vr)
			above += count[s];
	}
	*ret_lower = ldexp((double)below, -(int)n);
	*ret_upper = ldexp((double)above, -(int)n);
	return 0;
}
