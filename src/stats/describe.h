/* describe.h - descriptive statistics of one set of scores: how many, how
 * many missing, mean, standard deviation, median, quartiles, least and
 * greatest, matching R's mean, sd, median, quantile (type 7, R's default),
 * min and max.
 *
 * A missing value is NaN; infinities count as missing too (a score is never
 * infinite). A statistic that needs more values than there are is not
 * computed: its reason field says why ("cannot be computed: ...") and its
 * number is NaN, which must never be shown without the reason. */
#ifndef HEARTH_STATS_DESCRIBE_H
#define HEARTH_STATS_DESCRIBE_H

#include "../base/arena.h"

#include <stddef.h>

struct stats_describe {
	size_t n;              /* values present */
	size_t n_missing;      /* values missing (NaN or infinite) */
	double mean;           /* these six need n >= 1 */
	double median;
	double q1, q3;         /* 25th and 75th percentiles, R's type 7 */
	double min, max;
	double sd;             /* standard deviation, divisor n - 1; n >= 2 */
	const char *cannot;    /* NULL, or why nothing could be computed */
	const char *sd_cannot; /* NULL, or why the SD could not be computed */
};

/* Describes the len values of x, taking scratch memory (about 40 bytes a
 * value) from the caller's arena and rewinding it before returning; ret
 * owns nothing. Returns 0, or ERR_NOMEM (ret then
 * untouched). */
int stats_describe(const double *x, size_t len, arena *scratch, struct stats_describe *ret);

struct stats_counts;

/* As stats_describe, of a sample already counted (sort.h): n values, none
 * missing, each figure as stats_describe works it out for whole numbers.
 * The counts may have zeros at either end. */
void stats_describe_counts(const struct stats_counts *c, size_t n, struct stats_describe *ret);

/* The p-quantile (0 <= p <= 1) of n >= 1 values already sorted ascending, by
 * R's type 7: linear interpolation between order statistics at
 * 1 + (n - 1) p. */
double stats_quantile_sorted(const double *sorted, size_t n, double p);

/* The arithmetic mean and the SD (divisor n - 1) of n finite values, in two
 * passes as R does; the SD is NaN when n < 2. */
double stats_mean(const double *x, size_t n);
double stats_sd(const double *x, size_t n, double mean);

#endif
