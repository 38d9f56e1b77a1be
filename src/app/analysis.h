/* analysis.h - an evaluator's analysis of one instrument's answers over time,
 * as `hearth analyse` runs it on a CSV file (capability C5).
 *
 * The data is one row per person and time point: a "person" column (any
 * text), a "time" column (a whole number such as a week, or an ISO date
 * YYYY-MM-DD; one kind throughout) and one column per item, named by the
 * item's id; an empty cell is an unanswered item. Every answer must be one
 * of the item's option values. Errors (ERR_INVALID) name the line and the
 * column: "NAME: line 4, column "rse3": "7" is not one of the item's values
 * (0, 1, 2, 3)", and nothing is analysed.
 *
 * For each scale: each person's baseline is their first time point and their
 * latest their last one after it. The result holds descriptives of the
 * scores at baseline and at the latest time, the paired change from one to
 * the other (t-test, Wilcoxon signed-rank test, d_z, d_av and Hedges' g with
 * their intervals), the reliable change counts when the scale has reference
 * constants, and the reliability (alpha, omega) of the baseline answers for
 * scales of two or more items. Pure logic: no I/O, no disclosure control
 * (the evaluator holds the data already). */
#ifndef HEARTH_ANALYSIS_H
#define HEARTH_ANALYSIS_H

#include "instrument.h"

#include "../base/arena.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../stats/change.h"
#include "../stats/describe.h"
#include "../stats/paired.h"
#include "../stats/reliability.h"

#include <stdbool.h>
#include <stdint.h>

/* One person's answers at one time point. */
struct analysis_row {
	const char *person;
	int64_t time;           /* the number given, or days since 1970-01-01 for a date */
	const int *answers;     /* [instrument n_items], INSTRUMENT_MISSING when empty */
	size_t line;            /* in the file, for messages */
};

struct analysis_data {
	const struct instrument *in;
	const struct analysis_row *rows;
	size_t n_rows;
	bool time_is_date;
};

/* Checks CSV records (the first is the header) against the instrument and
 * turns them into rows in the arena. name is what errors call the file.
 * Refuses a missing person or time column, an unknown or repeated column, a
 * row with more or fewer fields than the header, a time that is neither a
 * whole number nor a date (or of the other kind than the rows before), the
 * same person and time twice, a non-numeric answer and an answer that is not
 * among the item's options. */
int analysis_read(const struct instrument *in, const struct csv_record *recs, size_t n,
		  const char *name, arena *a, struct analysis_data *ret, herr *e);

struct analysis_scale {
	const struct instrument_scale *scale;
	size_t people;                      /* everyone in the file */
	size_t people_followed;             /* with a time point after their baseline */
	struct stats_describe baseline;     /* the scores at baseline (missing: not scored) */
	struct stats_describe latest;       /* at the latest time, for people followed up */
	struct stats_paired change;         /* latest - baseline, complete pairs */
	bool has_rc;                        /* the scale has reliable-change constants */
	struct stats_rc_summary rc;
	bool has_reliability;               /* two or more items */
	struct stats_reliability reliability;     /* of the baseline answers, reversed items reversed */
};

struct analysis_result {
	const struct instrument *in;
	size_t rows, people;
	struct analysis_scale *scales;      /* [in->n_scales], in the arena */
};

/* Scores every row and computes the figures above, in the arena. Returns 0,
 * or ERR_NOMEM. */
int analysis_run(const struct analysis_data *d, arena *a, struct analysis_result *ret, herr *e);

#endif
