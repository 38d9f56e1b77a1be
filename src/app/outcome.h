/* outcome.h - what check-ins add up to beyond the person themselves: a
 * group's figures (how many take part, each scale's change from baseline to
 * the latest check-in with its 95% confidence interval, reliable change
 * counts) and the network's (the same by group tag and by period), always
 * under disclosure control (src/stats/disclosure.h): a count under the
 * network's threshold, or any figure from fewer people, is hidden, and
 * tables get secondary suppression.
 *
 * Only answers whose person consents today count: their group's learning
 * for group figures, the network's reports for network figures. Someone who
 * withdraws leaves every figure from then on. Never a ranking of groups.
 *
 * The figures read the scores stored as check-ins finish (checkin.h): a
 * group's from table checkin_score, one row per check-in and scale; the
 * network's from checkin_pair, one row per person, group and scale with the
 * baseline and latest score, so a network of a million members is read in
 * one index scan of its pairs rather than its answers; the scan holds only
 * the pairs whose person's consent lets them count (counts_in_network, kept
 * in step with the consent by triggers: migrations/0017_pair_consent.sql). */
#ifndef HEARTH_OUTCOME_H
#define HEARTH_OUTCOME_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../stats/paired.h"
#include "../store/db.h"
#include "actor.h"
#include "instrument.h"
#include "membership.h"

#include <stdbool.h>
#include <stddef.h>

#define OUTCOME_THRESHOLD_MIN 3
#define OUTCOME_THRESHOLD_MAX 100

/* The network's disclosure threshold (settings key "disclosure_threshold";
 * DISCLOSURE_DEFAULT_THRESHOLD until a coordinator sets it). */
long outcome_threshold(db *d);
/* Coordinators and admins only; ERR_INVALID (field "threshold") outside
 * OUTCOME_THRESHOLD_MIN..MAX. */
int outcome_set_threshold(db *d, const struct actor *actor, long threshold, herr *e);

/* Reliable change of one person, by the scale's Jacobson-Truax constants. */
enum outcome_rc { RC_NONE = 0, RC_IMPROVED, RC_WORSE };

/* A scale's change from baseline to latest over a set of people. */
struct outcome_change {
	const char *label;          /* the row's name: a tag, a period, "All" */
	long n;                     /* people with a baseline and a later score */
	bool n_hidden;
	bool figure_hidden;         /* the means and the interval */
	double baseline_mean, latest_mean, mean_change, ci_lo, ci_hi;
	const char *cannot;         /* why the interval could not be computed */
	bool has_rc;                /* the scale publishes reliable-change constants */
	long rc[3];                 /* indexed by enum outcome_rc */
	bool rc_hidden[3];
	struct stats_paired test;   /* every paired figure (t, Wilcoxon, effect
				     * sizes); unset when figure_hidden */
};

struct outcome_scale {
	const struct instrument *in;
	size_t scale;               /* index into in->scales */
	struct outcome_change all;
	struct outcome_change *rows;    /* by tag or by period (network only) */
	size_t n_rows;
};

struct outcome_group {
	long threshold;
	long participants;          /* people counted in the figures */
	bool participants_hidden;
	struct outcome_scale *scales;
	size_t n_scales;
};

/* The figures of st's group (its managers only; ERR_DENIED otherwise),
 * over the instruments it offers, in the arena. */
int outcome_for_group(db *d, arena *a, const struct standing *st, struct outcome_group *ret,
		      herr *e);

enum outcome_split { OUTCOME_BY_TAG, OUTCOME_BY_PERIOD };

struct outcome_network {
	enum outcome_split split;
	long threshold;
	long participants;          /* people with a consented finished check-in of
				     * a loaded instrument */
	bool participants_hidden;
	struct outcome_scale *scales;   /* rows by the split asked for */
	size_t n_scales;
};

/* The network's figures (coordinators and admins; ERR_DENIED otherwise),
 * every loaded instrument, rows by group tag or by calendar quarter of the
 * latest check-in, in the arena. */
int outcome_for_network(db *d, arena *a, const struct actor *actor, enum outcome_split split,
			struct outcome_network *ret, herr *e);

/* The same for several splits from one reading of the check-ins: rets[k]
 * (n_splits of them) by splits[k]. The row of all groups is worked out once
 * and shared. */
int outcome_for_network_splits(db *d, arena *a, const struct actor *actor,
			       const enum outcome_split *splits, size_t n_splits,
			       struct outcome_network *rets, herr *e);

/* The smallest change on the scale that is bigger than the measurement's
 * own wobble (1.96 S_diff); 0 when the scale publishes no constants. */
double outcome_reliable_change_size(const struct instrument_scale *s);
/* How one person's change x1 -> x2 on s classes (RC_NONE without constants). */
enum outcome_rc outcome_reliable_change(const struct instrument_scale *s, double x1, double x2);

#endif
