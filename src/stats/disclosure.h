/* disclosure.h - statistical disclosure control for every figure shown to
 * anyone other than the person it is about (a group's page, the network's
 * reports, a commissioner's report): small counts are hidden, and so is any
 * figure computed from fewer people than the network's threshold.
 *
 * The rules (docs/statistics.md, "Disclosure control"):
 * - a count c is hidden when 0 < c < threshold. A 0 is shown: it says that
 *   nobody is in the cell, and hiding every 0 would hide most of a small
 *   table; the threshold (default 10) is the network's setting;
 * - a figure computed from n people (a mean, a change, an alpha) is hidden
 *   when n < threshold, and always when n is 0;
 * - secondary suppression: a table is shown with its row and column totals,
 *   so a hidden cell must not be derivable from them. A line (row or column)
 *   with exactly one hidden cell gets its next smallest cell hidden too, and
 *   this is repeated, together with a check of the whole table (a hidden cell
 *   can also be worked out from several lines' totals together), until no
 *   hidden cell's value follows from the totals.
 *
 * Pure numerics, no I/O; scratch memory comes from the caller's arena. */
#ifndef HEARTH_STATS_DISCLOSURE_H
#define HEARTH_STATS_DISCLOSURE_H

#include "../base/arena.h"

#include <stdbool.h>
#include <stddef.h>

#define DISCLOSURE_DEFAULT_THRESHOLD 10

/* Whether a count of people is too small to show on its own (0 < count <
 * threshold). Use it for totals and for single counts. */
bool disclosure_count_hidden(long count, long threshold);

/* Whether a figure computed from n people is hidden (n < threshold or n is
 * 0). */
bool disclosure_figure_hidden(size_t n, long threshold);

/* Decides which cells of a rows x cols table of counts (row-major, each >= 0)
 * to hide, writing hidden[rows * cols]: primary suppression by
 * disclosure_count_hidden(), then secondary suppression so that no hidden cell
 * can be worked out from the row totals, the column totals and the grand
 * total, all assumed shown. A table with one column is a one-way list shown
 * with its grand total only (its "row totals" would be the cells themselves);
 * likewise a table with one row. The caller hides any total for which
 * disclosure_count_hidden() is true; that never reveals a hidden cell.
 * Returns 0, or ERR_NOMEM, in which case every cell is hidden. */
int disclosure_suppress(const long *counts, size_t rows, size_t cols, long threshold,
			arena *a, bool *hidden);

#endif
