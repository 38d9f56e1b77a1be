/* sort.h - putting numbers in order, fast, for the quantiles and ranks of
 * large samples (a network's check-ins: hundreds of thousands of scores).
 *
 * An LSD radix sort over the bits of IEEE-754 doubles, one byte at a time,
 * skipping every byte on which all the keys agree: scores are usually small
 * whole numbers or simple fractions, whose low mantissa bytes are all zero,
 * so most of the eight passes are skipped. Linear in n, where qsort is
 * n log n with a function call per comparison. Whole numbers close
 * together (a questionnaire's totals, and their changes) are counted
 * instead, in two passes. Small inputs use insertion sort. Values must be
 * finite (callers drop missing values first). */
#ifndef HEARTH_STATS_SORT_H
#define HEARTH_STATS_SORT_H

#include "../base/arena.h"

#include <stddef.h>

enum stats_order {
	STATS_BY_VALUE,       /* -2 < -1 < 0 < 1 */
	STATS_BY_MAGNITUDE,   /* by |x|: 0 < -1, 1 < -2 (ties in any order) */
};

/* Sorts x[0..n) in place; scratch space (about 32 bytes a value) comes from
 * scratch and goes back to it before returning. ERR_NOMEM when it cannot
 * be had (x is then unchanged). */
int stats_sort(double *x, size_t n, enum stats_order by, arena *scratch);

/* A sample of whole numbers close together (fewer than 4096 apart, no
 * negative zero): a questionnaire's totals, and their changes. Counting
 * them gives everything sorting would, in one pass. */
struct stats_counts {
	long lo;                /* the least value */
	size_t span;            /* greatest - least + 1 */
	size_t *count;          /* count[k]: how many equal lo + k */
};

/* Counts x[0..n) (n >= 1) into ret, its array from scratch (the caller
 * rewinds); 1 when x is not such a sample (nothing kept), ERR_NOMEM. */
int stats_count_whole(const double *x, size_t n, arena *scratch, struct stats_counts *ret);

#endif
