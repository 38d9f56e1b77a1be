/* sort.c - radix sort of doubles (see sort.h). */
#include "sort.h"

#include "../base/err.h"

#include <stdint.h>
#include <string.h>

#define SMALL 64   /* below this, insertion sort is quicker */

/* An unsigned key whose order is the wanted order of the doubles: for the
 * value, flip every bit of a negative number and the sign bit of a positive
 * one; for the magnitude, drop the sign. */
static uint64_t key_of(double x, enum stats_order by)
{
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	if (by == STATS_BY_MAGNITUDE)
		return u & ~(UINT64_C(1) << 63);
	return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static void insertion_sort(double *x, size_t n, enum stats_order by)
{
	for (size_t i = 1; i < n; i++) {
		double v = x[i];
		uint64_t k = key_of(v, by);
		size_t j = i;
		for (; j > 0 && key_of(x[j - 1], by) > k; j--)
			x[j] = x[j - 1];
		x[j] = v;
	}
}

int stats_sort(double *x, size_t n, enum stats_order by, arena *scratch)
{
	if (n < SMALL) {
		insertion_sort(x, n, by);
		return 0;
	}
	struct arena_mark mark = arena_mark(scratch);
	uint64_t *keys = arena_alloc_uninit(scratch, 2 * n * sizeof *keys);
	double *spare = arena_alloc_uninit(scratch, n * sizeof *spare);
	size_t (*counts)[256] = arena_alloc_uninit(scratch, 8 * sizeof *counts);
	if (!keys || !spare || !counts) {
		arena_rewind(scratch, mark);
		return ERR_NOMEM;
	}
	memset(counts, 0, 8 * sizeof *counts);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = keys[i] = key_of(x[i], by);
		for (int b = 0; b < 8; b++)
			counts[b][(k >> (8 * b)) & 0xFF]++;
	}
	uint64_t *k_from = keys, *k_to = keys + n;
	double *v_from = x, *v_to = spare;
	for (int b = 0; b < 8; b++) {
		size_t *c = counts[b];
		if (c[(k_from[0] >> (8 * b)) & 0xFF] == n)
			continue;   /* every key has the same byte here */
		size_t at = 0;
		for (int d = 0; d < 256; d++) {
			size_t here = c[d];
			c[d] = at;
			at += here;
		}
		for (size_t i = 0; i < n; i++) {
			size_t to = c[(k_from[i] >> (8 * b)) & 0xFF]++;
			k_to[to] = k_from[i];
			v_to[to] = v_from[i];
		}
		uint64_t *kt = k_from; k_from = k_to; k_to = kt;
		double *vt = v_from; v_from = v_to; v_to = vt;
	}
	if (v_from != x)
		memcpy(x, v_from, n * sizeof *x);
	arena_rewind(scratch, mark);
	return 0;
}
