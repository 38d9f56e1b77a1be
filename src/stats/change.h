/* change.h - reliable and clinically significant change per person, after
 * Jacobson and Truax (1991).
 *
 * From a scale's reference standard deviation SD and reliability r:
 *   SE     = SD sqrt(1 - r)        the standard error of measurement
 *   S_diff = sqrt(2) SE            the standard error of a difference
 *   RCI    = (x2 - x1) / S_diff
 * A change is reliable when |RCI| > 1.96; it is an improvement or a
 * worsening according to whether higher scores are better on the scale. The
 * smallest reliable change in score units is 1.96 S_diff: "changes of more
 * than this are bigger than the measurement's own wobble".
 *
 * Clinically significant change, where the scale has a cut-off: the person
 * started on the unwell side of it, ended strictly on the well side, and
 * reliably improved. A score exactly at the cut-off counts as not yet across
 * (published cut-offs are usually half-points).
 *
 * People with either score missing (NaN or infinite) are counted apart and
 * classified STATS_RC_MISSING. */
#ifndef HEARTH_STATS_CHANGE_H
#define HEARTH_STATS_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#define STATS_RC_Z 1.96

struct stats_rc_scale {
	double sd;                /* reference SD, > 0 */
	double reliability;       /* 0 <= r < 1 */
	bool higher_is_better;
	bool has_cutoff;
	double cutoff;            /* used when has_cutoff */
};

enum stats_rc_class {
	STATS_RC_MISSING = 0,
	STATS_RC_IMPROVED,
	STATS_RC_NO_CHANGE,
	STATS_RC_WORSE,
};

struct stats_rc_person {
	enum stats_rc_class class;
	double change;            /* x2 - x1; NaN when missing */
	double rci;               /* NaN when missing */
	bool clinically_significant;   /* only ever true with a cut-off */
};

struct stats_rc_summary {
	double se_measurement;    /* SE */
	double s_diff;
	double smallest_reliable_change;  /* 1.96 S_diff, in score units */
	size_t n;                 /* people with both scores */
	size_t n_missing;
	size_t improved, no_change, worse;
	size_t clinically_significant;    /* 0 without a cut-off */
	const char *cannot;       /* NULL, or why nothing could be computed */
};

/* The reason the scale's constants cannot give a reliable change index, or
 * NULL when they can. */
const char *stats_rc_scale_problem(const struct stats_rc_scale *scale);

/* Classifies one person's change x1 -> x2 given s_diff (> 0). */
struct stats_rc_person stats_rc_classify(const struct stats_rc_scale *scale,
					 double s_diff, double x1, double x2);

/* Classifies the len people (x1[i] -> x2[i]) into ret_people (len entries;
 * may be NULL when only the counts are wanted) and counts them in ret. When
 * the scale's constants are unusable ret->cannot says why, the constants are
 * NaN and every person is left STATS_RC_MISSING. Allocates nothing. */
void stats_reliable_change(const struct stats_rc_scale *scale,
			   const double *x1, const double *x2, size_t len,
			   struct stats_rc_person *ret_people,
			   struct stats_rc_summary *ret);

#endif
