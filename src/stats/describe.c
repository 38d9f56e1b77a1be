/* describe.c - n, missing, mean, SD, median, quartiles, min and max of one
 * set of scores. See describe.h. */
#include "describe.h"
#include "sort.h"

#include "../base/err.h"

#include <math.h>
#include <stdlib.h>

static const char no_values[] = "cannot be computed: there are no values";
static const char one_value[] =
	"cannot be computed: a standard deviation needs at least 2 values";

/* Like R's mean: the sum divided by n, then corrected by the mean of the
 * residuals, so rounding in the first pass does not stay in the result. */
double stats_mean(const double *x, size_t n)
{
	long double sum = 0, resid = 0;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	long double m = sum / n;
	for (size_t i = 0; i < n; i++)
		resid += x[i] - m;
	return (double)(m + resid / n);
}

double stats_sd(const double *x, size_t n, double mean)
{
	long double ss = 0;
	if (n < 2)
		return NAN;
	for (size_t i = 0; i < n; i++)
		ss += ((long double)x[i] - mean) * ((long double)x[i] - mean);
	return sqrt((double)(ss / (n - 1)));
}

double stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	double index = (double)(n - 1) * p;   /* 0-based; R's is 1 + this */
	size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
	double q = sorted[lo];
	double h = index - (double)lo;
	if (index > (double)lo && sorted[hi] != q)
		q = (1 - h) * q + h * sorted[hi];   /* R's exact expression */
	return q;
}

/* Copies the finite values of x into out; returns how many. */
static size_t present_values(const double *x, size_t len, double *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (isfinite(x[i]))
			out[n++] = x[i];
	return n;
}

static void describe_nothing(struct stats_describe *d)
{
	d->mean = d->median = d->q1 = d->q3 = d->min = d->max = d->sd = NAN;
	d->cannot = no_values;
	d->sd_cannot = no_values;
}

/* The value at 0-based place i in the sorted order of the counted sample. */
static double counted_at(const struct stats_counts *c, size_t i)
{
	size_t seen = 0;
	for (size_t k = 0; k < c->span; k++) {
		seen += c->count[k];
		if (i < seen)
			return (double)(c->lo + (long)k);
	}
	return NAN;   /* i past the end: not reached */
}

/* stats_quantile_sorted's type 7, from the counts. */
static double counted_quantile(const struct stats_counts *c, size_t n, double p)
{
	double index = (double)(n - 1) * p;
	size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
	double q = counted_at(c, lo), above = counted_at(c, hi);
	double h = index - (double)lo;
	if (index > (double)lo && above != q)
		q = (1 - h) * q + h * above;
	return q;
}

/* Everything but n from the counts, each figure as the sorted path
 * computes it: the mean's sum and residuals and the SD's squares in long
 * double, a value's terms taken count times at once. */
static void describe_counted(const struct stats_counts *c, struct stats_describe *d)
{
	long double sum = 0, resid = 0, ss = 0;
	for (size_t k = 0; k < c->span; k++)
		sum += (long double)c->count[k] * (long double)(c->lo + (long)k);
	long double m = sum / d->n;
	for (size_t k = 0; k < c->span; k++)
		resid += (long double)c->count[k] * ((long double)(c->lo + (long)k) - m);
	d->mean = (double)(m + resid / d->n);
	for (size_t k = 0; k < c->span; k++) {
		long double dev = (long double)(c->lo + (long)k) - d->mean;
		ss += (long double)c->count[k] * dev * dev;
	}
	d->sd = d->n < 2 ? NAN : sqrt((double)(ss / (d->n - 1)));
	d->min = (double)c->lo;
	d->max = (double)(c->lo + (long)c->span - 1);
	double mid[2] = { counted_at(c, (d->n - 1) / 2), counted_at(c, d->n / 2) };
	d->median = d->n % 2 ? mid[1] : stats_mean(mid, 2);
	d->q1 = counted_quantile(c, d->n, 0.25);
	d->q3 = counted_quantile(c, d->n, 0.75);
}

/* Sorts v (n of them) for the order statistics. */
static int describe_sorted(double *v, arena *scratch, struct stats_describe *d)
{
	d->mean = stats_mean(v, d->n);
	d->sd = stats_sd(v, d->n, d->mean);
	if (stats_sort(v, d->n, STATS_BY_VALUE, scratch))
		return ERR_NOMEM;
	d->min = v[0];
	d->max = v[d->n - 1];
	d->median = d->n % 2 ? v[d->n / 2] : stats_mean(v + d->n / 2 - 1, 2);
	d->q1 = stats_quantile_sorted(v, d->n, 0.25);
	d->q3 = stats_quantile_sorted(v, d->n, 0.75);
	return 0;
}

void stats_describe_counts(const struct stats_counts *c, size_t n, struct stats_describe *ret)
{
	struct stats_describe d = { .n = n };
	struct stats_counts present = *c;   /* from the least value there to the greatest */
	while (present.span && !present.count[0]) {
		present.lo++;
		present.count++;
		present.span--;
	}
	while (present.span && !present.count[present.span - 1])
		present.span--;
	if (n == 0 || !present.span)
		describe_nothing(&d);
	else
		describe_counted(&present, &d);
	if (n == 1)
		d.sd_cannot = one_value;
	*ret = d;
}

int stats_describe(const double *x, size_t len, arena *scratch, struct stats_describe *ret)
{
	struct stats_describe d = { 0 };
	struct arena_mark mark = arena_mark(scratch);
	double *v = arena_alloc_uninit(scratch, (len ? len : 1) * sizeof *v);
	if (!v)
		return ERR_NOMEM;
	d.n = present_values(x, len, v);
	d.n_missing = len - d.n;
	int rc = 0;
	struct stats_counts counts;
	if (d.n == 0)
		describe_nothing(&d);
	else if ((rc = stats_count_whole(v, d.n, scratch, &counts)) == 0)
		describe_counted(&counts, &d);
	else if (rc > 0)
		rc = describe_sorted(v, scratch, &d);
	if (d.n == 1)
		d.sd_cannot = one_value;
	arena_rewind(scratch, mark);
	if (rc < 0)
		return rc;
	*ret = d;
	return 0;
}
