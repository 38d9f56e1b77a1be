/* test_reliability.c - the reliability figures of src/stats/reliability.c on
 * data small enough to check by hand: alpha raw and standardised, alpha if
 * dropped, r.drop, perfect and zero correlation, a constant item (dropped, as
 * psych::alpha drops it), missing answers (pairwise), two people, and the
 * minres loadings and omega of a correlation matrix made from known
 * loadings. tests/stats/reliability.sh compares the same code with R. */
#include <criterion/criterion.h>

#include "base/err.h"
#include "stats/reliability.h"

#include <math.h>
#include <string.h>

#define EPS 1e-12

static arena *a;

static void setup(void)
{
	a = arena_new(1 << 14);
}

static void teardown(void)
{
	arena_free(a);
}

TestSuite(reliability, .init = setup, .fini = teardown);

static struct stats_reliability compute(const double *x, size_t people, size_t items)
{
	struct stats_reliability r;
	cr_assert_eq(stats_reliability(x, people, items, a, &r), 0);
	return r;
}

/* Every figure that is NaN carries its reason. */
static void assert_no_bare_nan(const struct stats_reliability *r)
{
	cr_assert(!isnan(r->alpha_raw) || r->alpha_cannot);
	cr_assert(!isnan(r->alpha_std) || r->alpha_cannot);
	cr_assert(!isnan(r->omega_total) || r->omega_cannot);
	for (size_t i = 0; i < r->items; i++) {
		const struct stats_reliability_item *it = &r->item[i];
		cr_assert(!isnan(it->r_drop) || it->r_drop_cannot, "item %zu", i);
		cr_assert(!isnan(it->alpha_raw_if_dropped) || it->if_dropped_cannot, "item %zu", i);
		cr_assert(!isnan(it->loading) || it->dropped || r->omega_cannot, "item %zu", i);
	}
}

static bool cannot(const char *why, const char *words)
{
	return why && strncmp(why, "cannot be computed: ", 20) == 0 && strstr(why, words);
}

/* Items a = 0 1 2 3 and b = 0 2 1 3: variances 5/3, covariance 4/3, r = 0.8.
 * Alpha = (1 - (10/3) / (18/3)) * 2 = 8/9, and standardised (1 - 2/3.6) * 2
 * = 8/9 too. */
Test(reliability, two_items_by_hand)
{
	const double x[] = { 0, 0, 1, 2, 2, 1, 3, 3 };
	struct stats_reliability r = compute(x, 4, 2);
	cr_assert_null(r.alpha_cannot);
	cr_assert_float_eq(r.alpha_raw, 8.0 / 9, EPS);
	cr_assert_float_eq(r.alpha_std, 8.0 / 9, EPS);
	cr_assert_float_eq(r.item[0].r_drop, 0.8, EPS);
	cr_assert_float_eq(r.item[1].r_drop, 0.8, EPS);
	cr_assert(cannot(r.item[0].if_dropped_cannot, "three items"));
	cr_assert(cannot(r.omega_cannot, "three items"));
	assert_no_bare_nan(&r);
}

/* Adding c = a: the covariances sum to 41/3 with trace 5, so alpha =
 * (1 - 15/41) * 3/2 = 39/41; dropping a or c leaves a and b (8/9), dropping
 * b leaves two identical items (1). */
Test(reliability, three_items_and_alpha_if_dropped)
{
	const double x[] = { 0, 0, 0, 1, 2, 1, 2, 1, 2, 3, 3, 3 };
	struct stats_reliability r = compute(x, 4, 3);
	cr_assert_float_eq(r.alpha_raw, 39.0 / 41, EPS);
	cr_assert_float_eq(r.item[0].alpha_raw_if_dropped, 8.0 / 9, EPS);
	cr_assert_float_eq(r.item[1].alpha_raw_if_dropped, 1, EPS);
	cr_assert_float_eq(r.item[2].alpha_raw_if_dropped, 8.0 / 9, EPS);
	cr_assert_float_eq(r.item[1].alpha_std_if_dropped, 1, EPS);
	/* b against a + c: cov 8/3 over sqrt(5/3 * 20/3) = 0.8 */
	cr_assert_float_eq(r.item[1].r_drop, 0.8, EPS);
	assert_no_bare_nan(&r);
}

/* Identical items: alpha is 1; every loading is 1, a Heywood case. */
Test(reliability, perfect_correlation)
{
	const double x[] = { 0, 0, 0, 1, 1, 1, 3, 3, 3, 2, 2, 2 };
	struct stats_reliability r = compute(x, 4, 3);
	cr_assert_float_eq(r.alpha_raw, 1, EPS);
	cr_assert_float_eq(r.alpha_std, 1, EPS);
	cr_assert(cannot(r.omega_cannot, "Heywood"));
	assert_no_bare_nan(&r);
}

/* a = 0 0 1 1, b = 0 1 0 1: covariance 0, so alpha is (1 - 1) * 2 = 0. */
Test(reliability, zero_correlation)
{
	const double x[] = { 0, 0, 0, 1, 1, 0, 1, 1 };
	struct stats_reliability r = compute(x, 4, 2);
	cr_assert_float_eq(r.alpha_raw, 0, EPS);
	cr_assert_float_eq(r.alpha_std, 0, EPS);
	cr_assert_float_eq(r.item[0].r_drop, 0, EPS);
}

/* A constant item is dropped (psych::alpha deletes it with a warning); the
 * rest give the same figures as without it. */
Test(reliability, constant_item_is_dropped)
{
	const double with[] = { 0, 2, 0, 1, 2, 2, 2, 2, 1, 3, 2, 3 };
	const double without[] = { 0, 0, 1, 2, 2, 1, 3, 3 };
	struct stats_reliability r = compute(with, 4, 3), s = compute(without, 4, 2);
	cr_assert(r.item[1].dropped);
	cr_assert(cannot(r.item[1].r_drop_cannot, "do not vary"));
	cr_assert_eq(r.items_used, 2);
	cr_assert_float_eq(r.alpha_raw, s.alpha_raw, EPS);
	cr_assert_float_eq(r.alpha_std, s.alpha_std, EPS);
	cr_assert_float_eq(r.item[2].r_drop, s.item[1].r_drop, EPS);
	assert_no_bare_nan(&r);
}

Test(reliability, all_constant_cannot)
{
	const double x[] = { 1, 2, 1, 2, 1, 2 };
	struct stats_reliability r = compute(x, 3, 2);
	cr_assert_eq(r.items_used, 0);
	cr_assert(cannot(r.alpha_cannot, "two items"));
	cr_assert(cannot(r.omega_cannot, "three items"));
	assert_no_bare_nan(&r);
}

/* Two people: a = 0 1, b = 1 3: variances 1/2 and 2, covariance 1; alpha =
 * (1 - 2.5 / 4.5) * 2 = 8/9, r = 1 so standardised alpha is 1. */
Test(reliability, two_people)
{
	const double x[] = { 0, 1, 1, 3 };
	struct stats_reliability r = compute(x, 2, 2);
	cr_assert_float_eq(r.alpha_raw, 8.0 / 9, EPS);
	cr_assert_float_eq(r.alpha_std, 1, EPS);
}

Test(reliability, one_person_or_nobody_cannot)
{
	const double x[] = { 0, 1, 1 };
	struct stats_reliability r = compute(x, 1, 3);
	cr_assert(cannot(r.alpha_cannot, "two items"));
	cr_assert(cannot(r.item[0].r_drop_cannot, "fewer than two people"));
	r = compute(x, 0, 3);
	cr_assert(cannot(r.alpha_cannot, "two items"));
	r = compute(x, 0, 0);
	cr_assert(cannot(r.alpha_cannot, "two items"));
	assert_no_bare_nan(&r);
}

/* Missing answers are handled pairwise: the person who skipped b still counts
 * for a's variance. a = 0 1 2 3 4 (variance 2.5); a and b over the first four
 * people are 0 1 2 3 and 0 2 1 3 (covariance 4/3); b's variance 5/3. */
Test(reliability, missing_answers_pairwise)
{
	const double x[] = { 0, 0, 1, 2, 2, 1, 3, 3, 4, NAN };
	struct stats_reliability r = compute(x, 5, 2);
	double sum = 2.5 + 5.0 / 3 + 8.0 / 3, tr = 2.5 + 5.0 / 3;
	cr_assert_float_eq(r.alpha_raw, (1 - tr / sum) * 2, EPS);
	double rho = (4.0 / 3) / sqrt(2.5 * 5.0 / 3);
	cr_assert_float_eq(r.alpha_std, (1 - 2 / (2 + 2 * rho)) * 2, EPS);
	const double inf[] = { 0, 0, 1, 2, 2, 1, 3, 3, 4, INFINITY };
	struct stats_reliability s = compute(inf, 5, 2);
	cr_assert_float_eq(s.alpha_raw, r.alpha_raw, EPS, "an infinity is a missing answer");
}

Test(reliability, items_never_answered_together_cannot)
{
	const double x[] = { 0, NAN, 1, NAN, NAN, 1, NAN, 3 };
	struct stats_reliability r = compute(x, 4, 2);
	cr_assert(cannot(r.alpha_cannot, "answered together"));
	cr_assert(cannot(r.omega_cannot, "answered together"));
	assert_no_bare_nan(&r);
}

/* A correlation matrix made from known loadings, R = L L' off the diagonal:
 * minres recovers L exactly (its criterion is then 0), and omega is
 * (sum L)^2 / ((sum L)^2 + sum (1 - L^2)). */
static void check_known_loadings(const double *l, size_t k)
{
	double r[36], scratch[2 * 36 + 18], got[6];
	int it = 0;
	cr_assert_leq(stats_minres_scratch(k), sizeof scratch / sizeof *scratch);
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			r[i * k + j] = i == j ? 1 : l[i] * l[j];
	cr_assert_null(stats_minres(r, k, scratch, got, &it));
	for (size_t i = 0; i < k; i++)
		cr_assert_float_eq(got[i], l[i], 1e-9, "loading %zu: %g", i, got[i]);
}

Test(reliability, minres_recovers_known_loadings)
{
	const double l[] = { 0.8, 0.7, 0.6, 0.5 };
	check_known_loadings(l, 4);
	const double mixed[] = { 0.8, -0.7, 0.6, 0.5, 0.3, 0.9 };
	check_known_loadings(mixed, 6);
}

Test(reliability, omega_from_the_loadings)
{
	/* Eight people's answers (0-3) to four items: omega follows from the
	 * loadings minres returned, their sum is positive, and each uniqueness
	 * is 1 - loading^2. */
	const double x[] = { 1, 2, 1, 3, 2, 2, 3, 3, 0, 1, 0, 1, 3, 3, 2, 3,
			     2, 1, 2, 2, 0, 0, 1, 0, 2, 3, 3, 2, 1, 1, 2, 0 };
	struct stats_reliability r = compute(x, 8, 4);
	cr_assert_null(r.omega_cannot, "%s", r.omega_cannot);
	double sum = 0, unique = 0;
	for (size_t i = 0; i < 4; i++) {
		sum += r.item[i].loading;
		unique += 1 - r.item[i].loading * r.item[i].loading;
		cr_assert_float_eq(r.item[i].uniqueness,
				   1 - r.item[i].loading * r.item[i].loading, EPS);
	}
	cr_assert_gt(sum, 0);
	cr_assert_float_eq(r.omega_total, sum * sum / (sum * sum + unique), EPS);
	assert_no_bare_nan(&r);
}

Test(reliability, minres_needs_three_items)
{
	const double r[] = { 1, 0.5, 0.5, 1 };
	double scratch[16], l[2];
	int it;
	cr_assert(cannot(stats_minres(r, 2, scratch, l, &it), "three items"));
}
