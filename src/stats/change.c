/* change.c - Jacobson and Truax's reliable change index and clinically
 * significant change, per person and counted. See change.h. */
#include "change.h"

#include <math.h>

const char *stats_rc_scale_problem(const struct stats_rc_scale *scale)
{
	if (!isfinite(scale->sd) || !(scale->sd > 0))
		return "cannot be computed: the scale's reference standard deviation must be more than 0";
	if (!isfinite(scale->reliability) || scale->reliability < 0)
		return "cannot be computed: the scale's reliability must be between 0 and 1";
	if (scale->reliability >= 1)
		return "cannot be computed: a reliability of 1 means no measurement error, so any change at all would count as reliable";
	if (scale->has_cutoff && !isfinite(scale->cutoff))
		return "cannot be computed: the scale's cut-off is not a number";
	return NULL;
}

/* Whether score a is strictly on the well side of the cut-off. */
static bool well_side(const struct stats_rc_scale *scale, double a)
{
	return scale->higher_is_better ? a > scale->cutoff : a < scale->cutoff;
}

struct stats_rc_person stats_rc_classify(const struct stats_rc_scale *scale,
					 double s_diff, double x1, double x2)
{
	struct stats_rc_person p = { STATS_RC_MISSING, NAN, NAN, false };
	if (!isfinite(x1) || !isfinite(x2))
		return p;
	p.change = x2 - x1;
	p.rci = p.change / s_diff;
	double better = scale->higher_is_better ? p.rci : -p.rci;
	p.class = better > STATS_RC_Z ? STATS_RC_IMPROVED
		: better < -STATS_RC_Z ? STATS_RC_WORSE : STATS_RC_NO_CHANGE;
	p.clinically_significant = scale->has_cutoff && p.class == STATS_RC_IMPROVED
		&& !well_side(scale, x1) && well_side(scale, x2);
	return p;
}

static void count_person(const struct stats_rc_person *p, struct stats_rc_summary *s)
{
	switch (p->class) {
	case STATS_RC_MISSING: s->n_missing++; return;
	case STATS_RC_IMPROVED: s->improved++; break;
	case STATS_RC_NO_CHANGE: s->no_change++; break;
	case STATS_RC_WORSE: s->worse++; break;
	}
	s->n++;
	if (p->clinically_significant)
		s->clinically_significant++;
}

void stats_reliable_change(const struct stats_rc_scale *scale,
			   const double *x1, const double *x2, size_t len,
			   struct stats_rc_person *ret_people,
			   struct stats_rc_summary *ret)
{
	struct stats_rc_summary s = { 0 };
	s.cannot = stats_rc_scale_problem(scale);
	if (s.cannot) {
		s.se_measurement = s.s_diff = s.smallest_reliable_change = NAN;
		s.n_missing = len;
		for (size_t i = 0; ret_people && i < len; i++)
			ret_people[i] = (struct stats_rc_person){ STATS_RC_MISSING, NAN, NAN, false };
		*ret = s;
		return;
	}
	s.se_measurement = scale->sd * sqrt(1 - scale->reliability);
	s.s_diff = sqrt(2) * s.se_measurement;
	s.smallest_reliable_change = STATS_RC_Z * s.s_diff;
	for (size_t i = 0; i < len; i++) {
		struct stats_rc_person p = stats_rc_classify(scale, s.s_diff, x1[i], x2[i]);
		count_person(&p, &s);
		if (ret_people)
			ret_people[i] = p;
	}
	*ret = s;
}
