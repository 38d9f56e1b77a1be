/* test_disclosure.c - disclosure control (src/stats/disclosure.c): which
 * counts and figures are hidden under the threshold, secondary suppression
 * in rows, in columns and in one-way lists, a case only the whole-table check
 * catches, tables where nothing need be hidden, and a seeded sweep of random
 * tables checked by an independent method (linear algebra over the totals:
 * a hidden cell can be worked out exactly when its unit vector lies in the
 * span of the shown totals' equations). */
#include <criterion/criterion.h>

#include "base/err.h"
#include "stats/disclosure.h"

#include <math.h>
#include <string.h>

#define T DISCLOSURE_DEFAULT_THRESHOLD
#define MAX_CELLS 36

static arena *a;

static void setup(void)
{
	a = arena_new(1 << 12);
}

static void teardown(void)
{
	arena_free(a);
}

TestSuite(disclosure, .init = setup, .fini = teardown);

/* ---- an independent check: can a hidden cell be derived? ------------------ */

/* The rank of the m x n matrix in rows (changed in place). */
static size_t rank_of(double *m, size_t rows, size_t n)
{
	size_t rank = 0;
	for (size_t col = 0; col < n && rank < rows; col++) {
		size_t pivot = rank;
		for (size_t r = rank; r < rows; r++)
			if (fabs(m[r * n + col]) > fabs(m[pivot * n + col]))
				pivot = r;
		if (fabs(m[pivot * n + col]) < 1e-9)
			continue;
		for (size_t c = 0; c < n; c++) {
			double t = m[rank * n + c];
			m[rank * n + c] = m[pivot * n + c];
			m[pivot * n + c] = t;
		}
		for (size_t r = 0; r < rows; r++) {
			if (r == rank)
				continue;
			double f = m[r * n + col] / m[rank * n + col];
			for (size_t c = 0; c < n; c++)
				m[r * n + c] -= f * m[rank * n + c];
		}
		rank++;
	}
	return rank;
}

/* Adds the equation "the sum of the hidden cells among these equals a known
 * number" for a total the reader sees (one that is not itself under the
 * threshold, as disclosure.h asks of the caller). */
static size_t equation(const long *counts, const bool *hidden, size_t cells, size_t first,
		       size_t step, size_t len, double *m, size_t n)
{
	long total = 0;
	for (size_t k = 0, i = first; k < len; k++, i += step)
		total += counts[i];
	if (disclosure_count_hidden(total, T))
		return n;
	for (size_t k = 0, i = first; k < len; k++, i += step)
		m[n * cells + i] = hidden[i];
	return n + 1;
}

/* The equations a reader has: one per row total (when there is more than one
 * column) and column total (when more than one row), and the grand total;
 * shown cells are known, so only hidden cells' columns matter. Returns how
 * many rows were written (one spare row is left for the probe). */
static size_t equations(const long *counts, size_t rows, size_t cols, const bool *hidden,
			double *m)
{
	size_t cells = rows * cols, n = 0;
	memset(m, 0, sizeof(double) * (rows + cols + 2) * cells);
	for (size_t r = 0; cols > 1 && r < rows; r++)
		n = equation(counts, hidden, cells, r * cols, 1, cols, m, n);
	for (size_t c = 0; rows > 1 && c < cols; c++)
		n = equation(counts, hidden, cells, c, cols, rows, m, n);
	return equation(counts, hidden, cells, 0, 1, cells, m, n);
}

static bool derivable(const long *counts, size_t rows, size_t cols, const bool *hidden,
		      size_t cell)
{
	size_t cells = rows * cols;
	double m[(2 * 6 + 2) * MAX_CELLS], probe[(2 * 6 + 2) * MAX_CELLS];
	size_t n = equations(counts, rows, cols, hidden, m);
	memcpy(probe, m, sizeof(double) * n * cells);
	memset(probe + n * cells, 0, sizeof(double) * cells);
	probe[n * cells + cell] = 1;
	return rank_of(probe, n + 1, cells) == rank_of(m, n, cells);
}

static void assert_safe(const long *counts, size_t rows, size_t cols, long threshold,
			const bool *hidden)
{
	for (size_t i = 0; i < rows * cols; i++) {
		if (disclosure_count_hidden(counts[i], threshold))
			cr_assert(hidden[i], "cell %zu (%ld) is under the threshold", i, counts[i]);
		if (hidden[i])
			cr_assert(!derivable(counts, rows, cols, hidden, i),
				  "hidden cell %zu (%ld) follows from the totals", i, counts[i]);
	}
}

static void suppress(const long *counts, size_t rows, size_t cols, long threshold, bool *hidden)
{
	cr_assert_eq(disclosure_suppress(counts, rows, cols, threshold, a, hidden), 0);
	assert_safe(counts, rows, cols, threshold, hidden);
}

static void assert_hidden(const bool *hidden, size_t cells, const char *expected)
{
	for (size_t i = 0; i < cells; i++)
		cr_assert_eq(hidden[i], expected[i] == 'x', "cell %zu: expected %s", i, expected);
}

/* ---- single counts and figures ---------------------------------------------- */

Test(disclosure, counts_under_the_threshold_are_hidden_but_zero_is_not)
{
	cr_assert(!disclosure_count_hidden(0, T));
	cr_assert(disclosure_count_hidden(1, T));
	cr_assert(disclosure_count_hidden(9, T));
	cr_assert(!disclosure_count_hidden(10, T));
	cr_assert(!disclosure_count_hidden(4, 3));
}

Test(disclosure, figures_from_too_few_people_are_hidden)
{
	cr_assert(disclosure_figure_hidden(0, T));
	cr_assert(disclosure_figure_hidden(9, T));
	cr_assert(!disclosure_figure_hidden(10, T));
	cr_assert(!disclosure_figure_hidden(200, T));
	cr_assert(disclosure_figure_hidden(4, 5));
	cr_assert(disclosure_figure_hidden(0, 0));
}

/* ---- tables -------------------------------------------------------------- */

Test(disclosure, nothing_hidden_when_every_cell_is_large_or_zero)
{
	const long counts[] = { 12, 0, 30, 45, 10, 0 };
	bool hidden[6];
	suppress(counts, 2, 3, T, hidden);
	assert_hidden(hidden, 6, "......");
}

/* 5 is hidden; its row then has one hidden cell, so 20 goes; column 0 then
 * has one (15 goes), and column 1 one (25 goes): a 2 x 2 block. */
Test(disclosure, secondary_in_rows_and_columns)
{
	const long counts[] = { 5, 20, 30,
				15, 25, 40 };
	bool hidden[6];
	suppress(counts, 2, 3, T, hidden);
	assert_hidden(hidden, 6, "xx.xx.");
}

Test(disclosure, secondary_down_a_column)
{
	const long counts[] = { 3, 50,
				40, 60,
				45, 70 };
	bool hidden[6];
	suppress(counts, 3, 2, T, hidden);
	assert_hidden(hidden, 6, "xxxx..");
}

/* Two small cells in one row protect each other there, but 4 is alone in its
 * column, so 12 goes; 12 is then alone in its row, so 40 goes, which also
 * keeps 6 company in its column. */
Test(disclosure, two_small_cells_in_a_row)
{
	const long counts[] = { 4, 6, 50,
				30, 20, 60,
				12, 40, 70 };
	bool hidden[9];
	suppress(counts, 3, 3, T, hidden);
	assert_hidden(hidden, 9, "xx....xx.");
}

/* Every row and column has zero or at least two hidden cells, yet cell (1,2)
 * joins two blocks and can be worked out from rows 0-1 minus columns 0-1:
 * only the whole-table check catches it. */
Test(disclosure, a_cell_derivable_from_several_lines)
{
	const long counts[] = { 2, 3, 50, 60,
				4, 5, 6, 70,
				40, 50, 7, 8,
				30, 20, 9, 1 };
	bool hidden[16];
	suppress(counts, 4, 4, T, hidden);
	assert_hidden(hidden, 16, "xx..xxxx..xx..xx");
}

/* A lone small count takes the next smallest with it, as a column or a row;
 * two small counts protect each other. */
Test(disclosure, one_way_list)
{
	const long counts[] = { 12, 4, 30, 15 }, two_small[] = { 12, 4, 30, 3 };
	bool hidden[4];
	suppress(counts, 4, 1, T, hidden);
	assert_hidden(hidden, 4, "xx..");
	suppress(counts, 1, 4, T, hidden);
	assert_hidden(hidden, 4, "xx..");
	suppress(two_small, 4, 1, T, hidden);
	assert_hidden(hidden, 4, ".x.x");
}

Test(disclosure, the_threshold_is_the_networks)
{
	const long counts[] = { 5, 20, 30, 15, 25, 40 };
	bool hidden[6];
	suppress(counts, 2, 3, 5, hidden);
	assert_hidden(hidden, 6, "......");
	suppress(counts, 2, 3, 16, hidden);
	assert_hidden(hidden, 6, "xx.xx.");
}

Test(disclosure, single_cell_and_empty_tables)
{
	const long one[] = { 3 };
	bool hidden[1] = { false };
	suppress(one, 1, 1, T, hidden);
	assert_hidden(hidden, 1, "x");
	cr_assert_eq(disclosure_suppress(one, 0, 0, T, a, hidden), 0);
}

/* A seeded sweep: random tables up to 6 x 6 with zeros, small and large
 * counts; every small count is hidden and no hidden cell follows from the
 * totals, by the linear-algebra check. */
Test(disclosure, random_tables_leave_nothing_derivable)
{
	unsigned long seed = 20261126;
	for (int round = 0; round < 400; round++) {
		long counts[MAX_CELLS];
		bool hidden[MAX_CELLS];
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		size_t rows = 1 + (seed >> 33) % 6, cols = 1 + (seed >> 45) % 6;
		for (size_t i = 0; i < rows * cols; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			unsigned kind = (seed >> 40) % 10;
			counts[i] = kind < 2 ? 0 : kind < 5 ? 1 + (long)((seed >> 20) % 9)
							  : 10 + (long)((seed >> 20) % 50);
		}
		suppress(counts, rows, cols, T, hidden);
	}
}
