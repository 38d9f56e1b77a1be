/* reliability.h - how well a questionnaire's items hold together: Cronbach's
 * alpha (raw and standardised), alpha if each item is dropped, the corrected
 * item-total correlation, and McDonald's omega total from a one-factor
 * minimum-residual factor analysis. Each figure is matched against R's psych
 * package (psych::alpha and psych::fa(nfactors = 1, fm = "minres")); the
 * formulas and tolerances are in docs/statistics.md.
 *
 * Input is a people x items matrix, row-major, one row per person: x[p * items
 * + i] is person p's answer to item i, NaN when unanswered (an infinity counts
 * as unanswered too). Reverse-keyed items must already be reversed by the
 * caller (min + max - value): this file does not guess keys (psych::alpha's
 * check.keys is not used).
 *
 * Missing answers are handled pairwise, as psych::alpha does by default (its
 * use = "pairwise"): each covariance uses the people who answered both items,
 * each variance everyone who answered the item, and the correlation matrix is
 * cov2cor of that covariance matrix. Nobody is thrown out for one missing
 * answer.
 *
 * An item with fewer than two answers or with no variance (everyone gave the
 * same answer) is dropped before anything is computed, as psych::alpha does
 * (it warns "had no variance and was deleted"); it is marked dropped and its
 * figures say why they are missing.
 *
 * Pure numerics: no I/O. Scratch memory and the results live in the caller's
 * arena; the one allocation outside it is GSL's eigen workspace, made and
 * freed within stats_minres(). */
#ifndef HEARTH_STATS_RELIABILITY_H
#define HEARTH_STATS_RELIABILITY_H

#include "../base/arena.h"

#include <stdbool.h>
#include <stddef.h>

/* Psych's lower bound on a uniqueness in minres (optim's lower = 0.005). */
#define STATS_MIN_UNIQUENESS 0.005

struct stats_reliability_item {
	bool dropped;                   /* fewer than two answers, or no variance */
	/* The corrected item-total correlation (psych's r.drop): the item
	 * against the sum of the other items. */
	double r_drop;
	const char *r_drop_cannot;      /* why r_drop cannot be computed, or NULL */
	double alpha_raw_if_dropped, alpha_std_if_dropped;
	const char *if_dropped_cannot;  /* why they cannot be computed, or NULL */
	/* One-factor minres loading and uniqueness (1 - loading^2, as psych's fa
	 * reports it); NaN when the item is dropped or omega_cannot is set. */
	double loading, uniqueness;
};

struct stats_reliability {
	size_t people, items;           /* the matrix given */
	size_t items_used;              /* items not dropped */
	struct stats_reliability_item *item;    /* [items], in the arena */

	double alpha_raw, alpha_std;
	const char *alpha_cannot;       /* "cannot be computed: ..." or NULL */

	double omega_total;             /* (sum L)^2 / ((sum L)^2 + sum uniquenesses) */
	const char *omega_cannot;       /* "cannot be computed: ..." or NULL */
	int omega_iterations;           /* of the minres iteration */
};

/* Computes every figure above for the people x items matrix x. Figures that
 * cannot be computed are NaN and have their reason in alpha_cannot,
 * omega_cannot, item[i].r_drop_cannot or item[i].if_dropped_cannot (static
 * strings); a dropped item's reasons say why it was left out. The results
 * live in the arena. Returns 0, or ERR_NOMEM when the arena cannot grow. */
int stats_reliability(const double *x, size_t people, size_t items, arena *a,
			struct stats_reliability *ret);

/* The one-factor minimum-residual solution of a correlation matrix r (k x k,
 * row-major, ones on the diagonal, no NaN), as psych::fa(r, nfactors = 1,
 * fm = "minres"): writes k loadings (their sum made positive) to ret_loadings
 * and returns NULL, or returns the reason it cannot be computed (fewer than
 * three items; a Heywood case, where a uniqueness reaches psych's lower bound
 * of 0.005 and psych's own answer is not a reproducible minimum). scratch
 * holds stats_minres_scratch(k) doubles. */
const char *stats_minres(const double *r, size_t k, double *scratch, double *ret_loadings,
			 int *ret_iterations);
size_t stats_minres_scratch(size_t k);

#endif
