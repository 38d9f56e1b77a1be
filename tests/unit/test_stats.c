/* test_stats.c - unit tests for the statistics engine's descriptives
 * (src/stats/describe.c), paired change (paired.c), reliable change
 * (change.c) and distributions (distributions.c): small cases that can be
 * checked by hand, degenerate input ("cannot be computed"), ties, zeros,
 * n = 2 and the switch between the exact and the approximate Wilcoxon test;
 * and paired change from counts (stats_paired_counted) against the pairs.
 * tests/stats/paired.sh compares the same code with R on generated data. */
#include <criterion/criterion.h>

#include "stats/change.h"
#include "stats/describe.h"
#include "stats/distributions.h"
#include "stats/paired.h"
#include "stats/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEAR(a, b) cr_expect_float_eq((a), (b), 1e-12 * (1 + fabs((double)(b))), \
	"%s = %.17g, expected %.17g", #a, (double)(a), (double)(b))

/* Scratch memory for the engine; the test process frees it when it ends. */
static arena *scratch(void)
{
	static arena *a;
	if (!a)
		a = arena_new(64 * 1024);
	return a;
}

static bool says_cannot(const char *why)
{
	return why && strncmp(why, "cannot be computed: ", 20) == 0;
}

/* ---- descriptives ------------------------------------------------------- */

/* ---- sorting ------------------------------------------------------------- */

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* n values of the kinds scores take: whole numbers with ties, halves and
 * thirds, negatives, zeros of both signs, and a few wide magnitudes. */
static void fill_scores(double *x, size_t n, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++) {
		int kind = rand() % 6;
		double v = (double)(rand() % 61 - 30);
		x[i] = kind == 0 ? v / 2 : kind == 1 ? v / 3 : kind == 2 ? (rand() % 2 ? 0.0 : -0.0)
		     : kind == 3 ? v * 1e6 + (double)rand() / RAND_MAX : v;
	}
}

Test(sort, orders_values_as_qsort_does_at_every_size)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 63, 64, 65, 1000, 100000 };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		size_t n = sizes[s];
		double *x = malloc((n + 1) * sizeof *x), *want = malloc((n + 1) * sizeof *want);
		fill_scores(x, n, (unsigned)s + 1);
		memcpy(want, x, n * sizeof *x);
		qsort(want, n, sizeof *want, by_value);
		arena *a = arena_new(0);
		cr_assert_eq(stats_sort(x, n, STATS_BY_VALUE, a), 0);
		for (size_t i = 0; i < n; i++)
			cr_assert(x[i] == want[i], "n=%zu at %zu: %g, want %g", n, i, x[i], want[i]);
		arena_free(a);
		free(x);
		free(want);
	}
}

/* Whole numbers within span of lo (the counting sort's kind), with ties. */
static void fill_whole(double *x, size_t n, long lo, long span, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)(lo + rand() % span);
}

Test(sort, counts_whole_numbers_into_the_order_qsort_gives)
{
	/* Spans either side of the counting sort's limit, and a negative zero,
	 * which only the radix sort places (before +0). */
	static const long spans[] = { 1, 31, 61, 4095, 4096, 4097, 100000 };
	size_t n = 20000;
	double *x = malloc(n * sizeof *x), *want = malloc(n * sizeof *want);
	arena *a = arena_new(0);
	for (size_t s = 0; s < sizeof spans / sizeof spans[0]; s++) {
		fill_whole(x, n, -spans[s] / 2, spans[s], (unsigned)s + 7);
		if (s == 2)
			x[n / 2] = -0.0;
		memcpy(want, x, n * sizeof *x);
		qsort(want, n, sizeof *want, by_value);
		cr_assert_eq(stats_sort(x, n, STATS_BY_VALUE, a), 0);
		for (size_t i = 0; i < n; i++)
			cr_assert(x[i] == want[i], "span %ld at %zu: %g, want %g", spans[s], i, x[i], want[i]);
		if (s == 2)
			for (size_t i = 0; i < n; i++)
				if (x[i] == 0) {
					cr_assert(signbit(x[i]), "-0 comes first among the zeros");
					break;
				}
	}
	arena_free(a);
	free(x);
	free(want);
}

Test(sort, counts_magnitudes_keeping_the_order_of_ties)
{
	/* -3 and 3 tie by magnitude; the sort is stable, as the radix sort is,
	 * so each magnitude's values keep the order they came in. */
	size_t n = 6000;
	double *x = malloc(n * sizeof *x), *before = malloc(n * sizeof *before);
	fill_whole(x, n, -30, 61, 5);
	memcpy(before, x, n * sizeof *x);
	arena *a = arena_new(0);
	cr_assert_eq(stats_sort(x, n, STATS_BY_MAGNITUDE, a), 0);
	size_t i = 0;
	for (int m = 0; m <= 30; m++)
		for (size_t j = 0; j < n; j++)
			if (fabs(before[j]) == m) {
				cr_assert(i < n && x[i] == before[j], "magnitude %d: at %zu %g, want %g", m, i,
					  x[i], before[j]);
				i++;
			}
	cr_assert_eq(i, n);
	arena_free(a);
	free(x);
	free(before);
}

Test(sort, orders_by_magnitude_keeping_each_value)
{
	size_t n = 5000;
	double *x = malloc(n * sizeof *x), *before = malloc(n * sizeof *before);
	fill_scores(x, n, 99);
	memcpy(before, x, n * sizeof *x);
	arena *a = arena_new(0);
	cr_assert_eq(stats_sort(x, n, STATS_BY_MAGNITUDE, a), 0);
	double sum_before = 0, sum_after = 0;
	for (size_t i = 0; i < n; i++) {
		sum_before += before[i];
		sum_after += x[i];
		if (i)
			cr_assert_leq(fabs(x[i - 1]), fabs(x[i]), "at %zu: %g then %g", i, x[i - 1], x[i]);
	}
	cr_assert_float_eq(sum_after, sum_before, 1e-6, "the same values, moved");
	double small[] = { -3, 2, -1, 0, 3, -2 };
	cr_assert_eq(stats_sort(small, 6, STATS_BY_MAGNITUDE, a), 0);
	cr_assert(small[0] == 0 && fabs(small[1]) == 1 && fabs(small[3]) == 2 && fabs(small[5]) == 3);
	arena_free(a);
	free(x);
	free(before);
}

/* Whole numbers close together are described from their counts; the same
 * values moved by a half go the sorting way, and every figure moves by the
 * half (or, for the SD, not at all). Odd and even n, with missing values. */
Test(describe, counted_whole_numbers_agree_with_sorted_values)
{
	static const size_t sizes[] = { 1, 2, 1000, 1001 };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		size_t n = sizes[s];
		double *x = malloc(n * sizeof *x), *half = malloc(n * sizeof *half);
		fill_whole(x, n, 0, 31, (unsigned)s + 3);
		if (n > 10)
			x[7] = NAN;
		for (size_t i = 0; i < n; i++)
			half[i] = x[i] + 0.5;
		struct stats_describe c, h;
		cr_assert_eq(stats_describe(x, n, scratch(), &c), 0);
		cr_assert_eq(stats_describe(half, n, scratch(), &h), 0);
		cr_assert_eq(c.n, h.n);
		cr_assert_eq(c.n_missing, h.n_missing);
		NEAR(c.mean + 0.5, h.mean);
		if (c.n > 1)
			NEAR(c.sd, h.sd);
		else
			cr_assert(isnan(c.sd) && c.sd_cannot == h.sd_cannot && c.sd_cannot);
		cr_assert_eq(c.min + 0.5, h.min, "n=%zu", n);
		cr_assert_eq(c.max + 0.5, h.max, "n=%zu", n);
		cr_assert_eq(c.median + 0.5, h.median, "n=%zu", n);
		cr_assert_eq(c.q1 + 0.5, h.q1, "n=%zu", n);
		cr_assert_eq(c.q3 + 0.5, h.q3, "n=%zu", n);
		free(x);
		free(half);
	}
}

Test(describe, four_values_by_hand)
{
	double x[] = { 4, 1, 3, 2 };
	struct stats_describe d;
	cr_assert_eq(stats_describe(x, 4, scratch(), &d), 0);
	cr_expect_eq(d.n, 4);
	cr_expect_eq(d.n_missing, 0);
	NEAR(d.mean, 2.5);
	NEAR(d.sd, sqrt(5.0 / 3));
	NEAR(d.median, 2.5);
	NEAR(d.q1, 1.75);      /* type 7: 1 + 0.75 (2 - 1) */
	NEAR(d.q3, 3.25);
	NEAR(d.min, 1);
	NEAR(d.max, 4);
	cr_expect_null(d.cannot);
	cr_expect_null(d.sd_cannot);
}

Test(describe, quantile_type_7_interpolates)
{
	double x[] = { 10, 20, 30, 40, 50 };
	NEAR(stats_quantile_sorted(x, 5, 0.25), 20);
	NEAR(stats_quantile_sorted(x, 5, 0.1), 14);     /* 10 + 0.4 * 10 */
	NEAR(stats_quantile_sorted(x, 5, 1), 50);
	NEAR(stats_quantile_sorted(x, 1, 0.75), 10);
}

Test(describe, missing_values_are_counted_not_used)
{
	double x[] = { NAN, 6, INFINITY, 2, NAN };
	struct stats_describe d;
	cr_assert_eq(stats_describe(x, 5, scratch(), &d), 0);
	cr_expect_eq(d.n, 2);
	cr_expect_eq(d.n_missing, 3);
	NEAR(d.mean, 4);
	NEAR(d.sd, sqrt(8));
}

Test(describe, one_value_has_no_sd)
{
	double x[] = { NAN, 7 };
	struct stats_describe d;
	cr_assert_eq(stats_describe(x, 2, scratch(), &d), 0);
	NEAR(d.mean, 7);
	NEAR(d.median, 7);
	cr_expect_null(d.cannot);
	cr_expect(says_cannot(d.sd_cannot));
	cr_expect(isnan(d.sd));
}

Test(describe, nothing_present_cannot_be_described)
{
	double x[] = { NAN, NAN };
	struct stats_describe d;
	cr_assert_eq(stats_describe(x, 2, scratch(), &d), 0);
	cr_expect_eq(d.n, 0);
	cr_expect_eq(d.n_missing, 2);
	cr_expect(says_cannot(d.cannot));
	cr_expect(isnan(d.mean) && isnan(d.median) && isnan(d.sd));
	cr_assert_eq(stats_describe(NULL, 0, scratch(), &d), 0);
	cr_expect(says_cannot(d.cannot));
}

Test(describe, constant_values_have_sd_zero)
{
	double x[] = { 3, 3, 3 };
	struct stats_describe d;
	cr_assert_eq(stats_describe(x, 3, scratch(), &d), 0);
	cr_expect_eq(d.sd, 0);
	cr_expect_null(d.sd_cannot);
}

/* ---- distributions ------------------------------------------------------ */

Test(distributions, signrank_counts_subsets)
{
	double lo, hi;
	/* n = 4: 16 sign patterns; sums <= 3 come from {}, {1}, {2}, {3}, {1,2} */
	cr_assert_eq(stats_signrank_tails(4, 3, &lo, &hi), 0);
	NEAR(lo, 5.0 / 16);
	NEAR(hi, 1 - 3.0 / 16);    /* not below 3: all but {}, {1}, {2} */
	cr_assert_eq(stats_signrank_tails(4, 10, &lo, &hi), 0);
	NEAR(lo, 1);
	NEAR(hi, 1.0 / 16);
	for (double v = 0; v < 55; v++) {     /* the two tails cover everything once */
		double lo2, hi2;
		cr_assert_eq(stats_signrank_tails(10, v, &lo, &hi), 0);
		cr_assert_eq(stats_signrank_tails(10, v + 1, &lo2, &hi2), 0);
		NEAR(lo + hi2, 1);
	}
	cr_expect_lt(stats_signrank_tails(STATS_SIGNRANK_EXACT_MAX, 1, &lo, &hi), 0);
}

Test(distributions, t_tails_match_r_far_out)
{
	/* GSL's tdist switches to Cornish-Fisher above 30 df; ours does not */
	cr_expect_float_eq(stats_pt(-15, 31, true), 4.6381743132604292e-16, 1e-9 * 4.6e-16,
			   "R: pt(-15, 31)");
	cr_expect_float_eq(stats_pt(15, 31, false), 4.6381743132604292e-16, 1e-9 * 4.6e-16);
	cr_expect_float_eq(stats_pt(-40, 199, true), 2.1697292834645765e-97, 1e-9 * 2.2e-97,
			   "R: pt(-40, 199)");
	cr_expect_float_eq(stats_pt(2.1, 4, true), 0.94817335684119897, 1e-12, "R: pt(2.1, 4)");
	NEAR(stats_pt(0, 7, true), 0.5);
	NEAR(stats_pt(INFINITY, 7, true), 1);
}

Test(distributions, noncentral_t_reduces_and_reflects)
{
	NEAR(stats_pnt(1.3, 7, 0), stats_pt(1.3, 7, true));
	NEAR(stats_pnt(-1.1, 12, -0.8), 1 - stats_pnt(1.1, 12, 0.8));
	cr_expect_float_eq(stats_pnt(1, 10, 1), 0.49024005139543136, 1e-12,
			   "R: pt(1, 10, 1)");
}

Test(distributions, ncp_interval_puts_t_at_the_percentiles)
{
	double lo, hi;
	cr_assert_eq(stats_ncp_interval(2.5, 9, 0.95, &lo, &hi), 0);
	cr_expect_lt(lo, 2.5);
	cr_expect_gt(hi, 2.5);
	cr_expect_float_eq(stats_pnt(2.5, 9, lo), 0.975, 1e-10);
	cr_expect_float_eq(stats_pnt(2.5, 9, hi), 0.025, 1e-10);
	cr_expect_lt(stats_ncp_interval(NAN, 9, 0.95, &lo, &hi), 0);
}

/* ---- paired change ------------------------------------------------------ */

/* x2 - x1 = 1, 2, 3: mean 2, SD 1, t = 2 sqrt(3) on 2 df, where
 * P(T > t) = (1 - t / sqrt(t^2 + 2)) / 2. */
Test(paired, three_pairs_by_hand)
{
	double x1[] = { 1, 2, 3 }, x2[] = { 2, 4, 6 };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x2, 3, scratch(), &p), 0);
	cr_expect_eq(p.n, 3);
	NEAR(p.t.mean, 2);
	NEAR(p.t.sd, 1);
	NEAR(p.t.t, 2 * sqrt(3));
	NEAR(p.t.df, 2);
	NEAR(p.t.p, 1 - sqrt(12.0 / 14));
	double half = stats_qt(0.975, 2) / sqrt(3);
	NEAR(p.t.ci_lo, 2 - half);
	NEAR(p.t.ci_hi, 2 + half);
	cr_expect_null(p.t.cannot);
	/* ranks 1, 2, 3, all positive: V = 6, P(V >= 6) = 1/8 */
	cr_expect(p.wilcoxon.exact);
	NEAR(p.wilcoxon.v, 6);
	NEAR(p.wilcoxon.p, 0.25);
	NEAR(p.d_z.estimate, 2);
	NEAR(p.d_av.estimate, 2 / 1.5);           /* SDs 1 and 2 */
	NEAR(p.hedges_j, 1 - 3.0 / 7);
	NEAR(p.g_z.estimate, 2 * (1 - 3.0 / 7));
	NEAR(p.g_av.estimate, 2 / 1.5 * (1 - 3.0 / 7));
	cr_expect_lt(p.d_z.ci_lo, 2);
	cr_expect_gt(p.d_z.ci_hi, 2);
	NEAR(p.d_av.ci_lo, p.d_z.ci_lo / 1.5);    /* rescaled by SD_diff / SD_av */
	NEAR(p.g_z.ci_hi, p.d_z.ci_hi * p.hedges_j);
}

Test(paired, incomplete_pairs_are_left_out)
{
	double x1[] = { 1, NAN, 2, 3, 8 }, x2[] = { 2, 5, 4, 6, NAN };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x2, 5, scratch(), &p), 0);
	cr_expect_eq(p.n, 3);
	cr_expect_eq(p.n_incomplete, 2);
	NEAR(p.t.mean, 2);
	NEAR(p.before.mean, 2);
	NEAR(p.after.mean, 4);
}

Test(paired, two_pairs_test_but_no_hedges)
{
	double x1[] = { 1, 4 }, x2[] = { 3, 5 };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x2, 2, scratch(), &p), 0);
	cr_expect_null(p.t.cannot);
	NEAR(p.t.df, 1);
	cr_expect_null(p.d_z.cannot);
	cr_expect_null(p.d_z.ci_cannot);
	cr_expect(isnan(p.hedges_j));
	cr_expect(says_cannot(p.g_z.cannot));
	cr_expect(says_cannot(p.g_av.cannot));
	cr_expect(isnan(p.g_z.estimate));
	/* differences 2 and 1: V = 3, exact; P(V >= 3) = 1/4 */
	cr_expect(p.wilcoxon.exact);
	NEAR(p.wilcoxon.p, 0.5);
}

Test(paired, one_pair_cannot_be_tested)
{
	double x1[] = { 1, NAN }, x2[] = { 3, 2 };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x2, 2, scratch(), &p), 0);
	cr_expect_eq(p.n, 1);
	cr_expect(says_cannot(p.t.cannot));
	cr_expect(isnan(p.t.p) && isnan(p.t.ci_lo));
	cr_expect(says_cannot(p.d_z.cannot));
	cr_expect(says_cannot(p.d_av.cannot));
	cr_expect(isnan(p.d_av.estimate));
}

Test(paired, no_pairs_at_all)
{
	struct stats_paired p;
	cr_assert_eq(stats_paired(NULL, NULL, 0, scratch(), &p), 0);
	cr_expect_eq(p.n, 0);
	cr_expect(says_cannot(p.t.cannot));
	cr_expect(says_cannot(p.wilcoxon.cannot));
	cr_expect(says_cannot(p.diff.cannot));
}

Test(paired, equal_changes_have_no_spread)
{
	double x1[] = { 1, 5, 9, 2 }, x2[] = { 4, 8, 12, 5 };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x2, 4, scratch(), &p), 0);
	cr_expect(says_cannot(p.t.cannot));
	cr_expect(says_cannot(p.d_z.cannot));
	/* d_av has a value, but its interval leans on d_z's */
	cr_expect_null(p.d_av.cannot);
	NEAR(p.d_av.estimate, 3 / p.before.sd);
	cr_expect(says_cannot(p.d_av.ci_cannot));
	cr_expect(isnan(p.d_av.ci_lo));
	/* every |difference| tied: normal approximation */
	cr_expect(p.wilcoxon.ties);
	cr_expect_not(p.wilcoxon.exact);
	cr_expect_null(p.wilcoxon.cannot);
}

Test(paired, constant_columns)
{
	double x1[] = { 5, 5, 5 }, x2[] = { 7, 7, 7 };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x2, 3, scratch(), &p), 0);
	cr_expect(says_cannot(p.d_av.cannot));
	cr_expect(says_cannot(p.g_av.cannot));
	cr_expect(says_cannot(p.t.cannot));
}

Test(paired, all_zero_differences)
{
	double x1[] = { 1, 2, 3 };
	struct stats_paired p;
	cr_assert_eq(stats_paired(x1, x1, 3, scratch(), &p), 0);
	cr_expect_eq(p.wilcoxon.n_zero, 3);
	cr_expect(says_cannot(p.wilcoxon.cannot));
	cr_expect(isnan(p.wilcoxon.p));
	cr_expect(says_cannot(p.t.cannot));
}

/* ---- Wilcoxon: exact or approximate ------------------------------------- */

/* Whole-number differences are ranked from their counts; the same times
 * 1.5 are not all whole, so they are sorted, and the ranks, V and p are
 * the same: with ties and zeros (normal approximation) and without (exact). */
/* ---- paired change from counts ------------------------------------------ */

static void same_number(double a, double b, const char *what, size_t n)
{
	if (isnan(b))
		cr_assert(isnan(a), "%s, n=%zu: %.17g, expected NaN", what, n, a);
	else
		cr_assert_float_eq(a, b, 1e-12 * (1 + fabs(b)), "%s, n=%zu: %.17g, expected %.17g",
				   what, n, a, b);
}

static void same_describe(const struct stats_describe *a, const struct stats_describe *b, size_t n)
{
	cr_assert_eq(a->n, b->n);
	same_number(a->mean, b->mean, "mean", n);
	same_number(a->sd, b->sd, "sd", n);
	same_number(a->median, b->median, "median", n);
	same_number(a->q1, b->q1, "q1", n);
	same_number(a->q3, b->q3, "q3", n);
	same_number(a->min, b->min, "min", n);
	same_number(a->max, b->max, "max", n);
	cr_assert_eq(a->cannot, b->cannot, "n=%zu", n);
	cr_assert_eq(a->sd_cannot, b->sd_cannot, "n=%zu", n);
}

static void same_effect(const struct stats_effect *a, const struct stats_effect *b, size_t n)
{
	same_number(a->estimate, b->estimate, "effect", n);
	same_number(a->ci_lo, b->ci_lo, "effect ci_lo", n);
	same_number(a->ci_hi, b->ci_hi, "effect ci_hi", n);
	cr_assert_eq(a->cannot, b->cannot, "n=%zu", n);
	cr_assert_eq(a->ci_cannot, b->ci_cannot, "n=%zu", n);
}

/* Counts x into c over [lo, lo + span), span wider than the values. */
static void count_into(const double *x, size_t n, long lo, size_t span, struct stats_counts *c)
{
	*c = (struct stats_counts){ lo, span, calloc(span, sizeof(size_t)) };
	for (size_t i = 0; i < n; i++)
		c->count[(long)x[i] - lo]++;
}

/* stats_paired_counted against stats_paired on the same pairs, counted
 * with empty room at both ends (as a row of a larger table is). */
static void counted_as_paired(const double *x1, const double *x2, size_t n)
{
	struct stats_paired want, got;
	cr_assert_eq(stats_paired(x1, x2, n, scratch(), &want), 0);
	double *d = malloc((n + 1) * sizeof *d);
	for (size_t i = 0; i < n; i++)
		d[i] = x2[i] - x1[i];
	struct stats_paired_counts pc = { .n = n };
	count_into(x1, n, -40, 100, &pc.before);
	count_into(x2, n, -50, 120, &pc.after);
	count_into(d, n, -90, 200, &pc.change);
	stats_paired_counted(&pc, &got);
	cr_assert_eq(got.n, want.n);
	cr_assert_eq(got.n_incomplete, 0);
	same_describe(&got.before, &want.before, n);
	same_describe(&got.after, &want.after, n);
	same_describe(&got.diff, &want.diff, n);
	same_number(got.t.mean, want.t.mean, "t mean", n);
	same_number(got.t.sd, want.t.sd, "t sd", n);
	same_number(got.t.se, want.t.se, "t se", n);
	same_number(got.t.t, want.t.t, "t", n);
	same_number(got.t.df, want.t.df, "df", n);
	same_number(got.t.p, want.t.p, "t p", n);
	same_number(got.t.ci_lo, want.t.ci_lo, "ci_lo", n);
	same_number(got.t.ci_hi, want.t.ci_hi, "ci_hi", n);
	cr_assert_eq(got.t.cannot, want.t.cannot, "n=%zu", n);
	const struct stats_signed_rank *gw = &got.wilcoxon, *ww = &want.wilcoxon;
	same_number(gw->v, ww->v, "V", n);
	same_number(gw->p, ww->p, "Wilcoxon p", n);
	cr_assert_eq(gw->exact, ww->exact, "n=%zu", n);
	cr_assert_eq(gw->ties, ww->ties, "n=%zu", n);
	cr_assert_eq(gw->n_nonzero, ww->n_nonzero, "n=%zu", n);
	cr_assert_eq(gw->n_zero, ww->n_zero, "n=%zu", n);
	cr_assert_eq(gw->cannot, ww->cannot, "n=%zu", n);
	same_number(got.hedges_j, want.hedges_j, "J", n);
	same_effect(&got.d_z, &want.d_z, n);
	same_effect(&got.d_av, &want.d_av, n);
	same_effect(&got.g_z, &want.g_z, n);
	same_effect(&got.g_av, &want.g_av, n);
	free(d);
	free(pc.before.count);
	free(pc.after.count);
	free(pc.change.count);
}

Test(paired, counted_pairs_agree_with_the_pairs_themselves)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 10, 49, 50, 200, 5001 };
	double *x1 = malloc(5001 * sizeof *x1), *x2 = malloc(5001 * sizeof *x2);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		size_t n = sizes[k];
		fill_whole(x1, n, 0, 31, (unsigned)k + 11);      /* a questionnaire's totals */
		fill_whole(x2, n, 0, 31, (unsigned)k + 101);
		counted_as_paired(x1, x2, n);
		for (size_t i = 0; i < n; i++)           /* no change at all */
			x2[i] = x1[i];
		counted_as_paired(x1, x2, n);
		for (size_t i = 0; i < n; i++)           /* the same change: no spread */
			x2[i] = x1[i] + 3;
		counted_as_paired(x1, x2, n);
		if (n < 50) {                            /* untied, no zeros: the exact p */
			for (size_t i = 0; i < n; i++) {
				x1[i] = 10;
				x2[i] = 10 + (i % 2 ? -1.0 : 1.0) * (double)(i + 1);
			}
			counted_as_paired(x1, x2, n);
		}
	}
	free(x1);
	free(x2);
}

Test(signed_rank, counted_ranks_agree_with_sorted_ones)
{
	size_t n = 5000;
	double *d = malloc(n * sizeof *d), *scaled = malloc(n * sizeof *scaled);
	fill_whole(d, n, -9, 24, 11);
	for (int round = 0; round < 2; round++) {
		size_t m = round ? 30 : n;
		if (round)
			for (size_t i = 0; i < m; i++)
				d[i] = (double)((i % 3 ? 1 : -1) * (long)(i + 1));
		for (size_t i = 0; i < m; i++)
			scaled[i] = d[i] * 1.5;
		struct stats_signed_rank c, s;
		cr_assert_eq(stats_signed_rank_test(d, m, scratch(), &c), 0);
		cr_assert_eq(stats_signed_rank_test(scaled, m, scratch(), &s), 0);
		cr_assert_eq(c.v, s.v, "n=%zu: V %g and %g", m, c.v, s.v);
		cr_assert_eq(c.p, s.p, "n=%zu", m);
		cr_assert_eq(c.ties, s.ties);
		cr_assert_eq(c.exact, s.exact);
		cr_assert_eq(c.exact, round == 1);
		cr_assert_eq(c.n_zero, s.n_zero);
		cr_assert_eq(c.n_nonzero, s.n_nonzero);
	}
	free(d);
	free(scaled);
}

Test(signed_rank, ties_use_the_corrected_normal)
{
	/* |d| 1, 2, 2, 3 ranks 1, 2.5, 2.5, 4, all positive: V = 10;
	 * var = 4*5*9/24 - (2^3 - 2)/48; z = (10 - 5 - 0.5) / sqrt(var) */
	double d[] = { 1, 2, 2, 3 };
	struct stats_signed_rank r;
	cr_assert_eq(stats_signed_rank_test(d, 4, scratch(), &r), 0);
	cr_expect(r.ties);
	cr_expect_not(r.exact);
	NEAR(r.v, 10);
	NEAR(r.p, 2 * stats_pnorm(4.5 / sqrt(7.375), false));
	cr_expect_float_eq(r.p, 0.097512538178109592, 1e-12,
			   "R: wilcox.test(c(1, 2, 2, 3))$p.value");
}

Test(signed_rank, zeros_are_dropped_and_force_the_approximation)
{
	double d[] = { 0, -1, 2, 3, 0 };
	struct stats_signed_rank r;
	cr_assert_eq(stats_signed_rank_test(d, 5, scratch(), &r), 0);
	cr_expect_eq(r.n_zero, 2);
	cr_expect_eq(r.n_nonzero, 3);
	cr_expect_not(r.exact);
	NEAR(r.v, 5);                   /* ranks 2 + 3 */
	/* z = 5 - 3 = 2, corrected 1.5, sd = sqrt(3*4*7/24) */
	NEAR(r.p, 2 * stats_pnorm(1.5 / sqrt(3.5), false));
}

Test(signed_rank, exact_below_50_approximate_from_50)
{
	double d[50];
	struct stats_signed_rank r;
	for (int i = 0; i < 50; i++)
		d[i] = (i % 3 ? 1 : -1) * (i + 1.5);
	cr_assert_eq(stats_signed_rank_test(d, 49, scratch(), &r), 0);
	cr_expect(r.exact);
	cr_expect_not(r.ties);
	cr_assert_eq(stats_signed_rank_test(d, 50, scratch(), &r), 0);
	cr_expect_not(r.exact);
}

Test(signed_rank, exact_two_sided_p_is_twice_the_smaller_tail)
{
	/* all 6 positive: V = 21 = max, p = 2 / 64; one negative rank 1: V = 20,
	 * P(V >= 20) = 2/64, p = 4/64; V in the middle caps at 1 */
	double all_up[] = { 1, 2, 3, 4, 5, 6 }, one_down[] = { -1, 2, 3, 4, 5, 6 };
	double middle[] = { 1, -2, 3, -4, -5, 6 };   /* V = 10, mean 10.5 */
	struct stats_signed_rank r;
	cr_assert_eq(stats_signed_rank_test(all_up, 6, scratch(), &r), 0);
	NEAR(r.p, 2.0 / 64);
	cr_assert_eq(stats_signed_rank_test(one_down, 6, scratch(), &r), 0);
	NEAR(r.v, 20);
	NEAR(r.p, 4.0 / 64);
	cr_assert_eq(stats_signed_rank_test(middle, 6, scratch(), &r), 0);
	NEAR(r.v, 10);
	cr_expect_leq(r.p, 1);
	double lo, hi;
	cr_assert_eq(stats_signrank_tails(6, 10, &lo, &hi), 0);
	NEAR(r.p, fmin(1, 2 * fmin(lo, hi)));
}

/* ---- reliable change ---------------------------------------------------- */

/* SD 5, reliability 0.84: SE = 2, S_diff = 2 sqrt(2), smallest reliable
 * change 1.96 * 2 sqrt(2) = 5.54 points. */
static const struct stats_rc_scale rses_like = { 5, 0.84, true, true, 12 };

Test(change, constants_by_hand)
{
	struct stats_rc_summary s;
	stats_reliable_change(&rses_like, NULL, NULL, 0, NULL, &s);
	cr_expect_null(s.cannot);
	NEAR(s.se_measurement, 2);
	NEAR(s.s_diff, 2 * sqrt(2));
	NEAR(s.smallest_reliable_change, 1.96 * 2 * sqrt(2));
	cr_expect_eq(s.n, 0);
}

Test(change, classifies_and_counts)
{
	double x1[] = { 10, 10, 16, 13, NAN, 10 };
	double x2[] = { 16, 15, 10, 19, 20, 10 };
	struct stats_rc_person people[6];
	struct stats_rc_summary s;
	stats_reliable_change(&rses_like, x1, x2, 6, people, &s);
	cr_expect_eq(people[0].class, STATS_RC_IMPROVED);    /* +6 > 5.54 */
	NEAR(people[0].rci, 6 / (2 * sqrt(2)));
	cr_expect(people[0].clinically_significant);         /* 10 -> 16 crosses 12 */
	cr_expect_eq(people[1].class, STATS_RC_NO_CHANGE);   /* +5 < 5.54 */
	cr_expect_eq(people[2].class, STATS_RC_WORSE);
	cr_expect_eq(people[3].class, STATS_RC_IMPROVED);
	cr_expect_not(people[3].clinically_significant);     /* began above 12 */
	cr_expect_eq(people[4].class, STATS_RC_MISSING);
	cr_expect(isnan(people[4].rci));
	cr_expect_eq(people[5].class, STATS_RC_NO_CHANGE);
	cr_expect_eq(s.n, 5);
	cr_expect_eq(s.n_missing, 1);
	cr_expect_eq(s.improved, 2);
	cr_expect_eq(s.no_change, 2);
	cr_expect_eq(s.worse, 1);
	cr_expect_eq(s.clinically_significant, 1);
}

Test(change, lower_is_better_turns_direction)
{
	struct stats_rc_scale anxiety = { 5, 0.84, false, true, 5 };
	struct stats_rc_person up = stats_rc_classify(&anxiety, 2 * sqrt(2), 2, 9);
	struct stats_rc_person down = stats_rc_classify(&anxiety, 2 * sqrt(2), 9, 2);
	cr_expect_eq(up.class, STATS_RC_WORSE);
	cr_expect_eq(down.class, STATS_RC_IMPROVED);
	cr_expect(down.clinically_significant);
	/* ending exactly on the cut-off is not across it */
	struct stats_rc_person at = stats_rc_classify(&anxiety, 2 * sqrt(2), 11, 5);
	cr_expect_eq(at.class, STATS_RC_IMPROVED);
	cr_expect_not(at.clinically_significant);
}

Test(change, without_cutoff_nothing_is_clinically_significant)
{
	struct stats_rc_scale plain = { 5, 0.84, true, false, 0 };
	double x1[] = { -20 }, x2[] = { 20 };
	struct stats_rc_summary s;
	stats_reliable_change(&plain, x1, x2, 1, NULL, &s);
	cr_expect_eq(s.improved, 1);
	cr_expect_eq(s.clinically_significant, 0);
}

Test(change, unusable_constants_cannot_be_computed)
{
	struct stats_rc_scale bad[] = {
		{ 5, 1, true, false, 0 },      /* no measurement error */
		{ 0, 0.8, true, false, 0 },
		{ 5, -0.1, true, false, 0 },
		{ NAN, 0.8, true, false, 0 },
		{ 5, 0.8, true, true, NAN },
	};
	double x1[] = { 1 }, x2[] = { 30 };
	struct stats_rc_person person;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct stats_rc_summary s;
		stats_reliable_change(&bad[i], x1, x2, 1, &person, &s);
		cr_expect(says_cannot(s.cannot), "case %zu", i);
		cr_expect(isnan(s.smallest_reliable_change));
		cr_expect_eq(s.improved, 0);
		cr_expect_eq(person.class, STATS_RC_MISSING);
	}
}
