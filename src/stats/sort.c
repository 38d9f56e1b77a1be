/* sort.c - radix sort of doubles (see sort.h). */
#include "sort.h"

#include "../base/err.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SMALL 64   /* below this, insertion sort is quicker */
#define COUNTED_SPAN 4096   /* whole numbers this close together are counted */

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

/* The whole number that orders x (itself, or its size), or false when x
 * is not one that counting can place: a fraction, a negative zero (which
 * sorts before a positive one), or too large. */
static bool whole_key(double x, enum stats_order by, int32_t *key)
{
	double v = by == STATS_BY_MAGNITUDE ? fabs(x) : x;
	if (!(v > -1e9 && v < 1e9) || v != (double)(int32_t)v || (v == 0 && signbit(v)))
		return false;
	*key = (int32_t)v;
	return true;
}

/* The keys of x[0..n) into key (whole_key), and their least and
 * greatest; false when one is not whole or they span COUNTED_SPAN or more. */
static bool whole_keys(const double *x, size_t n, enum stats_order by, int32_t *key,
		       int32_t *ret_lo, int32_t *ret_hi)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	for (size_t i = 0; i < n; i++) {
		if (!whole_key(x[i], by, &key[i]))
			return false;
		lo = key[i] < lo ? key[i] : lo;
		hi = key[i] > hi ? key[i] : hi;
	}
	*ret_lo = lo;
	*ret_hi = hi;
	return n && (int64_t)hi - lo < COUNTED_SPAN;
}

/* The keys of x (whole_key by `by`) into *ret_key and how many of each
 * into ret, both in scratch, which the caller rewinds; ret->count[-1] is a
 * 0, so that the counts become each key's first place in one pass. 1 when
 * x is not such a sample (nothing kept), ERR_NOMEM. */
static int count_whole(const double *x, size_t n, enum stats_order by, arena *scratch,
		       int32_t **ret_key, struct stats_counts *ret)
{
	struct arena_mark mark = arena_mark(scratch);
	int32_t *key = arena_alloc_uninit(scratch, (n ? n : 1) * sizeof *key);
	int32_t lo, hi;
	if (!key)
		return ERR_NOMEM;
	if (!whole_keys(x, n, by, key, &lo, &hi)) {
		arena_rewind(scratch, mark);
		return 1;
	}
	size_t span = (size_t)(hi - lo) + 1;
	size_t *count = arena_alloc(scratch, (span + 1) * sizeof *count);
	if (!count) {
		arena_rewind(scratch, mark);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		count[key[i] - lo + 1]++;
	*ret_key = key;
	*ret = (struct stats_counts){ .lo = lo, .span = span, .count = count + 1 };
	return 0;
}

int stats_count_whole(const double *x, size_t n, arena *scratch, struct stats_counts *ret)
{
	int32_t *key;
	return count_whole(x, n, STATS_BY_VALUE, scratch, &key, ret);
}

/* A stable counting sort, when every key is a whole number and they span
 * fewer than COUNTED_SPAN: scores and their changes usually are (a sum of
 * item answers), and then three light passes beat the radix sort's.
 * 1 when x is not like that (x untouched), 0 when sorted, ERR_NOMEM. */
static int counting_sort(double *x, size_t n, enum stats_order by, arena *scratch)
{
	struct arena_mark mark = arena_mark(scratch);
	int32_t *key;
	struct stats_counts c;
	int rc = count_whole(x, n, by, scratch, &key, &c);
	double *spare = rc ? NULL : arena_alloc_uninit(scratch, n * sizeof *spare);
	if (!rc && !spare)
		rc = ERR_NOMEM;
	if (!rc) {
		size_t *at = c.count - 1;
		for (size_t d = 1; d <= c.span; d++)
			at[d] += at[d - 1];
		for (size_t i = 0; i < n; i++)
			spare[at[key[i] - c.lo]++] = x[i];
		memcpy(x, spare, n * sizeof *x);
	}
	arena_rewind(scratch, mark);
	return rc;
}

int stats_sort(double *x, size_t n, enum stats_order by, arena *scratch)
{
	if (n < SMALL) {
		insertion_sort(x, n, by);
		return 0;
	}
	int counted = counting_sort(x, n, by, scratch);
	if (counted <= 0)
		return counted;
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
