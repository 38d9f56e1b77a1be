/* gen.h - the load generator behind `hearth gen` (DESIGN §8, issue 6): fills
 * an empty database with a synthetic network of a given size, so that the
 * benchmarks in bench/ and the query-plan check measure pages at the scale of
 * a national network (ten thousand groups, a million members).
 *
 * The shapes are realistic rather than uniform: group sizes are skewed (a few
 * large drop-ins, many small circles), people belong to one to three groups,
 * each member has their own attendance rate, groups meet weekly, fortnightly
 * or monthly in towns spread over Great Britain or online, and every group has
 * an agreement, a few threads with replies and agenda items for its next
 * meeting, and offers the Rosenberg scale every six weeks: about a third of
 * the people take part (with their own course over time), some say no, the
 * rest are never asked. The same seed and sizes give the same network (names, groups, who
 * belongs where, who came when); ids and times are new on each run.
 *
 * Everyone generated can sign in with the one password given (its argon2id
 * hash is computed once and shared), as person<N>@gen.hearth.example, N from
 * 1; person1 facilitates the first group they belong to, and
 * gen@gen.hearth.example is a coordinator. The data goes in through the
 * store interface in large transactions; upcoming meetings through
 * meeting_ensure_scheduled, as the server itself makes them. */
#ifndef HEARTH_GEN_H
#define HEARTH_GEN_H

#include "../base/err.h"
#include "../store/db.h"

#include <stdint.h>

#define GEN_EMAIL_DOMAIN "gen.hearth.example"

struct gen_options {
	int64_t groups;             /* 1 to 100,000 */
	int64_t members;            /* 1 to 10,000,000 */
	int months;                 /* of history, 0 to 36 */
	uint64_t seed;
	const char *password;       /* for every generated account */
	/* Called now and then with what is done so far, or NULL. */
	void (*progress)(const char *stage, int64_t done, int64_t total, void *arg);
	void *progress_arg;
};

struct gen_summary {
	int64_t groups, people, memberships, meetings, attendance;
	int64_t posts, agenda_items, agreements;
	int64_t checkins, checkin_answers;
};

/* Checks the sizes (fields "groups", "members", "months", "password"). */
int gen_check_options(const struct gen_options *o, herr *e);
/* Builds the network into d, which must be migrated and hold no people or
 * groups (ERR_CONFLICT otherwise). */
int gen_build(db *d, const struct gen_options *o, struct gen_summary *ret, herr *e);

#endif
