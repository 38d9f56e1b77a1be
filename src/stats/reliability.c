/* reliability.c - Cronbach's alpha, alpha if dropped, corrected item-total
 * correlations and McDonald's omega total, computed the way R's psych package
 * computes them (see reliability.h for the treatment of missing answers and
 * constant items, docs/statistics.md for the formulas).
 *
 * Omega comes from psych's minimum-residual ("minres") one-factor solution.
 * Psych finds it with optim(method = "L-BFGS-B") over the uniquenesses Psi,
 * bounded to [0.005, 1], starting from 1 - SMC, minimising the sum of squared
 * off-diagonal residuals of R - L L', where L is the first eigenvector of R
 * with 1 - Psi on its diagonal scaled by the root of its eigenvalue; the
 * gradient psych gives optim is diag(L L') + Psi - 1. That gradient is zero
 * exactly where the communalities reproduce themselves, so the same minimum is
 * reached here by iterating h <- diag(L L') (iterated principal axes) from the
 * same start, within the same bounds, to a tight tolerance. psych's optimiser
 * stops earlier (relative change in the fit under 2.2e-9), so its loadings
 * differ from this exact minimum by up to about 1e-5.
 *
 * When a uniqueness reaches its bound of 0.005 (a Heywood case, common with
 * very few people: with two, every correlation is +1 or -1), the bounded
 * fixed point is no longer a minimum of psych's criterion, and psych's answer
 * depends on where its optimiser gives up. No omega is given then: the
 * one-factor model does not fit, which is what the reason says. */
#include "stats/reliability.h"

#include "base/err.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define NO_ITEM SIZE_MAX
#define MINRES_TOLERANCE 1e-13      /* largest change in a communality */
#define MINRES_MAX_ITERATIONS 20000
#define DEGENERATE 1e-10            /* a sum this small against its terms is 0 */

static const char FEW_ITEMS[] =
	"cannot be computed: fewer than two items have answers that vary";
static const char FEW_PAIRS[] =
	"cannot be computed: two of the items were answered together by fewer than two people";
static const char SUM_ZERO[] =
	"cannot be computed: the items' covariances or correlations add up to zero";
static const char DROP_FEW[] =
	"cannot be computed: alpha if an item is dropped needs at least three items";
static const char DROP_REST_FLAT[] =
	"cannot be computed: the total of the other items does not vary";
static const char ITEM_FLAT[] =
	"cannot be computed: the item was left out because its answers do not vary";
static const char ITEM_FEW[] =
	"cannot be computed: the item was left out because fewer than two people answered it";
static const char OMEGA_FEW[] =
	"cannot be computed: a one-factor model needs at least three items that vary";
static const char OMEGA_HEYWOOD[] =
	"cannot be computed: an item's uniqueness fell to its lower bound (a Heywood case), so "
	"one factor does not describe these answers; usually there are too few people";
static const char NO_MEMORY[] = "cannot be computed: out of memory";
static const char OMEGA_NOT_SETTLED[] =
	"cannot be computed: the factor analysis did not settle on a solution";

/* ---- the covariance matrix ------------------------------------------------ */

/* Why item i must be left out (psych::alpha drops items whose standard
 * deviation is 0 or NA), or NULL when it varies. */
static const char *item_unusable(const double *x, size_t people, size_t items, size_t i)
{
	size_t answered = 0;
	double first = NAN;
	bool varies = false;
	for (size_t p = 0; p < people; p++) {
		double v = x[p * items + i];
		if (!isfinite(v))
			continue;
		if (answered++ == 0)
			first = v;
		else if (v != first)
			varies = true;
	}
	if (answered < 2)
		return ITEM_FEW;
	return varies ? NULL : ITEM_FLAT;
}

/* The covariance of items i and j over the people who answered both (R's
 * cov(use = "pairwise")); false when fewer than two did. */
static bool pairwise_cov(const double *x, size_t people, size_t items, size_t i, size_t j,
			 double *ret)
{
	size_t m = 0;
	double mi = 0, mj = 0;
	for (size_t p = 0; p < people; p++) {
		double a = x[p * items + i], b = x[p * items + j];
		if (!isfinite(a) || !isfinite(b))
			continue;
		m++;
		mi += a;
		mj += b;
	}
	if (m < 2)
		return false;
	mi /= (double)m;
	mj /= (double)m;
	double s = 0;
	for (size_t p = 0; p < people; p++) {
		double a = x[p * items + i], b = x[p * items + j];
		if (isfinite(a) && isfinite(b))
			s += (a - mi) * (b - mj);
	}
	*ret = s / (double)(m - 1);
	return true;
}

/* Fills the k x k covariance matrix c of the kept items (use[0..k-1] are
 * their columns in x) and its correlation matrix r = cov2cor(c). */
static bool covariances(const double *x, size_t people, size_t items, const size_t *use,
			size_t k, double *c, double *r)
{
	for (size_t a = 0; a < k; a++)
		for (size_t b = a; b < k; b++) {
			double v;
			if (!pairwise_cov(x, people, items, use[a], use[b], &v))
				return false;
			c[a * k + b] = c[b * k + a] = v;
		}
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < k; b++)
			r[a * k + b] = c[a * k + b] / sqrt(c[a * k + a] * c[b * k + b]);
	for (size_t a = 0; a < k; a++)
		r[a * k + a] = 1;
	return true;
}

/* ---- alpha ---------------------------------------------------------------- */

/* Whether a sum of terms whose absolute values add up to size is zero but for
 * rounding: alpha from such a sum would be rounding noise (psych then reports
 * figures such as 6e15). */
static bool nearly_zero(double sum, double size)
{
	return fabs(sum) <= DEGENERATE * size;
}

/* The sum of the k x k matrix m without row and column skip (NO_ITEM for
 * none), and in ret_size the sum of those entries' absolute values. */
static double sum_without(const double *m, size_t k, size_t skip, double *ret_size)
{
	double sum = 0, size = 0;
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < k; b++)
			if (a != skip && b != skip) {
				sum += m[a * k + b];
				size += fabs(m[a * k + b]);
			}
	*ret_size = size;
	return sum;
}

/* psych's alpha.1 over the k x k matrices c and r without item skip (NO_ITEM
 * for all of them): raw = (1 - tr C / sum C) n/(n-1), std = (1 - n / sum R)
 * n/(n-1). Returns NULL or why it cannot be computed. */
static const char *alpha_of(const double *c, const double *r, size_t k, size_t skip,
			    double *ret_raw, double *ret_std)
{
	double n = (double)(skip == NO_ITEM ? k : k - 1);
	double tr = 0, abs_c, abs_r;
	for (size_t a = 0; a < k; a++)
		if (a != skip)
			tr += c[a * k + a];
	double sum_c = sum_without(c, k, skip, &abs_c), sum_r = sum_without(r, k, skip, &abs_r);
	if (n < 2)
		return FEW_ITEMS;
	if (nearly_zero(sum_c, abs_c) || nearly_zero(sum_r, abs_r))
		return SUM_ZERO;
	*ret_raw = (1 - tr / sum_c) * n / (n - 1);
	*ret_std = (1 - n / sum_r) * n / (n - 1);
	return NULL;
}

/* psych's r.drop: the covariance of item i with the sum of the others over
 * the root of their variances' product. */
static const char *r_drop_of(const double *c, size_t k, size_t i, double *ret)
{
	double c_rest = 0, size;
	for (size_t a = 0; a < k; a++)
		if (a != i)
			c_rest += c[a * k + i];
	double v_rest = sum_without(c, k, i, &size);
	if (!(v_rest > 0) || nearly_zero(v_rest, size))
		return DROP_REST_FLAT;
	*ret = c_rest / sqrt(c[i * k + i] * v_rest);
	return NULL;
}

/* ---- minres --------------------------------------------------------------- */

size_t stats_minres_scratch(size_t k)
{
	return 2 * k * k + 3 * k;
}

/* Eigen-decomposes the symmetric k x k matrix a (destroyed): eigenvalues in
 * eval, largest first, eigenvectors as the columns of evec. */
static void eigen(double *a, size_t k, double *eval, double *evec, gsl_eigen_symmv_workspace *w)
{
	gsl_matrix_view m = gsl_matrix_view_array(a, k, k);
	gsl_vector_view val = gsl_vector_view_array(eval, k);
	gsl_matrix_view vec = gsl_matrix_view_array(evec, k, k);
	gsl_eigen_symmv(&m.matrix, &val.vector, &vec.matrix, w);
	gsl_eigen_symmv_sort(&val.vector, &vec.matrix, GSL_EIGEN_SORT_VAL_DESC);
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* psych::smc: 1 - 1/diag(Pinv(r)), the pseudo-inverse keeping eigenvalues
 * above sqrt(machine epsilon) times the largest (as psych::Pinv's SVD does),
 * clamped to [0, 1]. These are the starting communalities. */
static void smc_start(const double *r, size_t k, double *s, double *evec, double *eval,
		      double *ret_h, gsl_eigen_symmv_workspace *w)
{
	memcpy(s, r, k * k * sizeof *s);
	eigen(s, k, eval, evec, w);
	double largest = 0;
	for (size_t j = 0; j < k; j++)
		largest = fmax(largest, fabs(eval[j]));
	double tol = sqrt(2.220446049250313e-16) * largest;
	for (size_t i = 0; i < k; i++) {
		double d = 0;
		for (size_t j = 0; j < k; j++)
			if (fabs(eval[j]) > tol)
				d += evec[i * k + j] * evec[i * k + j] / eval[j];
		ret_h[i] = clamp(1 - 1 / d, 0, 1);
	}
}

/* The first principal axis of r with communalities h on its diagonal:
 * loadings = first eigenvector times the root of its eigenvalue (0 when the
 * eigenvalue is negative), as psych's FAout.wls. */
static void principal_axis(const double *r, size_t k, const double *h, double *s,
			   double *evec, double *eval, double *ret_l, gsl_eigen_symmv_workspace *w)
{
	memcpy(s, r, k * k * sizeof *s);
	for (size_t i = 0; i < k; i++)
		s[i * k + i] = h[i];
	eigen(s, k, eval, evec, w);
	double root = sqrt(fmax(eval[0], 0));
	for (size_t i = 0; i < k; i++)
		ret_l[i] = evec[i * k] * root;
}

const char *stats_minres(const double *r, size_t k, double *scratch, double *ret_loadings,
			 int *ret_iterations)
{
	*ret_iterations = 0;
	if (k < 3)
		return OMEGA_FEW;
	double *s = scratch, *evec = s + k * k, *eval = evec + k * k, *h = eval + k;
	double *l = h + k;
	gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
	if (!w)
		return NO_MEMORY;
	smc_start(r, k, s, evec, eval, h, w);
	double hi = 1 - STATS_MIN_UNIQUENESS;
	for (size_t i = 0; i < k; i++)
		h[i] = clamp(h[i], 0, hi);
	int it = 0;
	double change = INFINITY;
	while (change > MINRES_TOLERANCE && it < MINRES_MAX_ITERATIONS) {
		principal_axis(r, k, h, s, evec, eval, l, w);
		change = 0;
		for (size_t i = 0; i < k; i++) {
			double next = clamp(l[i] * l[i], 0, hi);
			change = fmax(change, fabs(next - h[i]));
			h[i] = next;
		}
		it++;
	}
	principal_axis(r, k, h, s, evec, eval, l, w);
	gsl_eigen_symmv_free(w);
	*ret_iterations = it;
	if (change > MINRES_TOLERANCE)
		return OMEGA_NOT_SETTLED;
	for (size_t i = 0; i < k; i++)
		if (h[i] >= hi)
			return OMEGA_HEYWOOD;
	double sum = 0;
	for (size_t i = 0; i < k; i++)
		sum += l[i];
	for (size_t i = 0; i < k; i++)
		ret_loadings[i] = sum < 0 ? -l[i] : l[i];
	return NULL;
}

/* omega total = (sum L)^2 / ((sum L)^2 + sum (1 - L^2)), from the loadings
 * of the k kept items; fills each kept item's loading and uniqueness. */
static void omega_of(struct stats_reliability *rel, const size_t *use, size_t k, const double *l)
{
	double sum = 0, unique = 0;
	for (size_t a = 0; a < k; a++) {
		struct stats_reliability_item *it = &rel->item[use[a]];
		it->loading = l[a];
		it->uniqueness = 1 - l[a] * l[a];
		sum += l[a];
		unique += it->uniqueness;
	}
	rel->omega_total = sum * sum / (sum * sum + unique);
}

/* ---- everything ----------------------------------------------------------- */

static void start_result(struct stats_reliability *rel, const double *x, size_t people,
			 size_t items, size_t *use)
{
	rel->people = people;
	rel->items = items;
	rel->items_used = 0;
	rel->alpha_raw = rel->alpha_std = rel->omega_total = NAN;
	rel->alpha_cannot = rel->omega_cannot = NULL;
	rel->omega_iterations = 0;
	for (size_t i = 0; i < items; i++) {
		struct stats_reliability_item *it = &rel->item[i];
		const char *why = item_unusable(x, people, items, i);
		*it = (struct stats_reliability_item){ .dropped = why != NULL, .r_drop_cannot = why,
			.if_dropped_cannot = why };
		it->r_drop = it->alpha_raw_if_dropped = it->alpha_std_if_dropped = NAN;
		it->loading = it->uniqueness = NAN;
		if (!why)
			use[rel->items_used++] = i;
	}
}

/* Alpha, alpha if dropped and r.drop for the k kept items. */
static void alpha_all(struct stats_reliability *rel, const double *c, const double *r,
		      const size_t *use, size_t k)
{
	rel->alpha_cannot = alpha_of(c, r, k, NO_ITEM, &rel->alpha_raw, &rel->alpha_std);
	if (rel->alpha_cannot)
		rel->alpha_raw = rel->alpha_std = NAN;
	for (size_t a = 0; a < k; a++) {
		struct stats_reliability_item *it = &rel->item[use[a]];
		it->r_drop_cannot = r_drop_of(c, k, a, &it->r_drop);
		it->if_dropped_cannot = k < 3 ? DROP_FEW
			: alpha_of(c, r, k, a, &it->alpha_raw_if_dropped, &it->alpha_std_if_dropped);
		if (it->if_dropped_cannot)
			it->alpha_raw_if_dropped = it->alpha_std_if_dropped = NAN;
	}
}

static void every_item_fails(struct stats_reliability *rel, const size_t *use, size_t k,
			     const char *why)
{
	for (size_t a = 0; a < k; a++) {
		struct stats_reliability_item *it = &rel->item[use[a]];
		it->r_drop_cannot = it->if_dropped_cannot = why;
	}
}

int stats_reliability(const double *x, size_t people, size_t items, arena *a,
			struct stats_reliability *ret)
{
	struct stats_reliability rel = { 0 };
	rel.item = arena_alloc(a, (items ? items : 1) * sizeof *rel.item);
	size_t *use = arena_alloc(a, (items ? items : 1) * sizeof *use);
	if (!rel.item || !use)
		return ERR_NOMEM;
	start_result(&rel, x, people, items, use);
	size_t k = rel.items_used;
	if (k < 2) {
		rel.alpha_cannot = FEW_ITEMS;
		rel.omega_cannot = OMEGA_FEW;
		every_item_fails(&rel, use, k, FEW_ITEMS);
		*ret = rel;
		return 0;
	}
	double *c = arena_alloc(a, k * k * sizeof *c), *r = arena_alloc(a, k * k * sizeof *r);
	double *scratch = arena_alloc(a, stats_minres_scratch(k) * sizeof *scratch);
	double *l = arena_alloc(a, k * sizeof *l);
	if (!c || !r || !scratch || !l)
		return ERR_NOMEM;
	if (!covariances(x, people, items, use, k, c, r)) {
		rel.alpha_cannot = rel.omega_cannot = FEW_PAIRS;
		every_item_fails(&rel, use, k, FEW_PAIRS);
		*ret = rel;
		return 0;
	}
	alpha_all(&rel, c, r, use, k);
	rel.omega_cannot = stats_minres(r, k, scratch, l, &rel.omega_iterations);
	if (!rel.omega_cannot)
		omega_of(&rel, use, k, l);
	*ret = rel;
	return 0;
}
