/* disclosure.c - small-number suppression of tables of counts (see
 * disclosure.h for the rules).
 *
 * Secondary suppression works on a graph: one vertex per row total and one
 * per column total (the constraints a reader knows), and one edge per hidden
 * cell between its row and its column. A hidden cell's value follows from the
 * totals exactly when its edge is a bridge of that graph (no cycle of hidden
 * cells runs through it): the edge-vertex incidence matrix of a bipartite
 * graph has the graph's cycles as its null space. A line with exactly one
 * hidden cell is the simplest bridge. In a one-way list the cells' other
 * "totals" are not shown, so those vertices are merged into one free vertex.
 *
 * Each round hides one more cell: first by the line rule (the smallest shown
 * cell of a row or column that has exactly one hidden cell); when no line has
 * one, by the graph test: for the first hidden cell that is still a bridge,
 * the smallest shown cell of its row, else its column, else the table.
 * Rounds end when no hidden cell is a bridge; each hides one more cell, so
 * they do end. The bridge test is O(cells^2) per round, fine for the tables
 * of groups and categories this is for. */
#include "stats/disclosure.h"

#include "base/err.h"

#include <stdint.h>

#define NONE SIZE_MAX

bool disclosure_count_hidden(long count, long threshold)
{
	return count > 0 && count < threshold;
}

bool disclosure_figure_hidden(size_t n, long threshold)
{
	return n == 0 || (threshold > 0 && n < (size_t)threshold);
}

/* ---- the graph of hidden cells --------------------------------------------- */

struct table {
	const long *counts;
	size_t rows, cols;
	bool *hidden;
	size_t *parent;     /* union-find over rows + cols + 1 vertices */
};

/* The vertex of row r and of column c; the free vertex (rows + cols) stands
 * for totals that are not shown. */
static size_t row_vertex(const struct table *t, size_t r)
{
	return t->cols == 1 ? t->rows + t->cols : r;
}

static size_t col_vertex(const struct table *t, size_t c)
{
	return t->rows == 1 ? t->rows + t->cols : t->rows + c;
}

static size_t find(size_t *parent, size_t v)
{
	while (parent[v] != v)
		v = parent[v] = parent[parent[v]];
	return v;
}

/* Whether hidden cell skip's value follows from the totals: its row and
 * column are not joined by the other hidden cells. */
static bool derivable(const struct table *t, size_t skip)
{
	size_t vertices = t->rows + t->cols + 1;
	for (size_t v = 0; v < vertices; v++)
		t->parent[v] = v;
	for (size_t i = 0; i < t->rows * t->cols; i++) {
		if (!t->hidden[i] || i == skip)
			continue;
		size_t a = find(t->parent, row_vertex(t, i / t->cols));
		size_t b = find(t->parent, col_vertex(t, i % t->cols));
		t->parent[a] = b;
	}
	size_t r = row_vertex(t, skip / t->cols), c = col_vertex(t, skip % t->cols);
	return r != c && find(t->parent, r) != find(t->parent, c);
}

static size_t first_derivable(const struct table *t)
{
	for (size_t i = 0; i < t->rows * t->cols; i++)
		if (t->hidden[i] && derivable(t, i))
			return i;
	return NONE;
}

/* ---- choosing the next cell to hide ----------------------------------------- */

/* The smallest shown cell among the n cells first, first + step, ...; NONE
 * when they are all hidden. */
static size_t smallest_shown(const struct table *t, size_t first, size_t step, size_t n)
{
	size_t best = NONE;
	for (size_t k = 0, i = first; k < n; k++, i += step)
		if (!t->hidden[i] && (best == NONE || t->counts[i] < t->counts[best]))
			best = i;
	return best;
}

static size_t hidden_in(const struct table *t, size_t first, size_t step, size_t n)
{
	size_t count = 0;
	for (size_t k = 0, i = first; k < n; k++, i += step)
		count += t->hidden[i];
	return count;
}

/* The smallest shown cell of the n cells first, first + step, ... when
 * exactly one of them is hidden; NONE otherwise. */
static size_t lone_line(const struct table *t, size_t first, size_t step, size_t n)
{
	return hidden_in(t, first, step, n) == 1 ? smallest_shown(t, first, step, n) : NONE;
}

/* The line rule: the smallest shown cell of the first row, then column, that
 * has exactly one hidden cell (rows only when their totals are shown, that is
 * when there is more than one column; likewise columns); NONE when no line
 * has. */
static size_t lone_line_cell(const struct table *t)
{
	size_t next = NONE;
	for (size_t r = 0; t->cols > 1 && r < t->rows && next == NONE; r++)
		next = lone_line(t, r * t->cols, 1, t->cols);
	for (size_t c = 0; t->rows > 1 && c < t->cols && next == NONE; c++)
		next = lone_line(t, c, t->cols, t->rows);
	return next;
}

/* The cell to hide so that cell (a bridge) stops being derivable: the
 * smallest shown cell of its row, else of its column, else of the table. */
static size_t protector(const struct table *t, size_t cell)
{
	size_t next = NONE;
	if (t->cols > 1)
		next = smallest_shown(t, cell / t->cols * t->cols, 1, t->cols);
	if (next == NONE && t->rows > 1)
		next = smallest_shown(t, cell % t->cols, t->cols, t->rows);
	if (next == NONE)
		next = smallest_shown(t, 0, 1, t->rows * t->cols);
	return next;
}

/* The next cell secondary suppression hides, or NONE when no hidden cell can
 * be derived from the totals any more. */
static size_t next_to_hide(const struct table *t)
{
	size_t next = lone_line_cell(t);
	if (next != NONE)
		return next;
	size_t bridge = first_derivable(t);
	return bridge == NONE ? NONE : protector(t, bridge);
}

int disclosure_suppress(const long *counts, size_t rows, size_t cols, long threshold,
			arena *a, bool *hidden)
{
	size_t cells = rows * cols;
	for (size_t i = 0; i < cells; i++)
		hidden[i] = disclosure_count_hidden(counts[i], threshold);
	if (cells == 0)
		return 0;
	struct table t = { counts, rows, cols, hidden,
		arena_alloc(a, (rows + cols + 1) * sizeof *t.parent) };
	if (!t.parent) {
		for (size_t i = 0; i < cells; i++)
			hidden[i] = true;
		return ERR_NOMEM;
	}
	size_t next;
	while ((next = next_to_hide(&t)) != NONE)
		hidden[next] = true;
	return 0;
}
