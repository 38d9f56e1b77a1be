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

#endif
