/* demo.h - the demo network behind `hearth demo` and `make run`: a
 * believable network of peer support groups in Sheffield, so that a person
 * trying Hearth finds a directory worth searching, groups with six months
 * of history (meetings, attendance, roles, minutes, actions, closing
 * records) and the next weeks scheduled, and one login for each role.
 *
 * Everyone and everything in it is fictional. The network is built through
 * the app API where it allows (organisations, tags, groups, the five
 * logins, people added without an account, network roles, the schedule,
 * cancelling an upcoming meeting, a one-off, apologies in advance, requests
 * to join); history the API rightly refuses to write (meetings, attendance
 * and memberships months in the past) goes in with plain parameterised
 * INSERTs. Then, through the API alone and as the people themselves: group
 * agreements with a ratified change and an open suggestion, agenda items
 * for upcoming meetings, decisions, threads, community resources, events,
 * connections and signposting. The same seed gives the same network
 * (names, groups, who belongs where, who came when, who proposed and voted
 * for what), relative to the day it is built. */
#ifndef HEARTH_DEMO_H
#define HEARTH_DEMO_H

#include "../base/err.h"
#include "../store/db.h"

#include <stdint.h>

#define DEMO_LOGINS 5

/* The logins demo_build makes, in this order: admin, coordinator,
 * facilitator, peer support worker, member. */
struct demo_login {
	const char *role;           /* "admin", "peer support worker", ... */
	const char *email;          /* "coordinator@demo.hearth.example" */
	const char *display_name;
};
extern const struct demo_login demo_logins[DEMO_LOGINS];

struct demo_options {
	uint64_t seed;
	/* The password of each login, in the order of demo_logins; each must
	 * pass the password rules (password.h). */
	const char *passwords[DEMO_LOGINS];
};

/* What was made, counted from the database afterwards. */
struct demo_summary {
	int64_t organisations, tags, groups;
	int64_t people, people_without_account, memberships, requests;
	int64_t past_meetings, cancelled_meetings, upcoming_meetings;
	int64_t attendance, roles_taken, minutes, actions;
};

/* Checks the options without touching a database: each password must pass
 * the password rules (field "password"). demo_build checks them too. */
int demo_check_options(const struct demo_options *opt, herr *e);

/* Whether the database already holds people or groups (0 when not, 1 when
 * it does, or a negative ERR_*). Reads only; the database must be migrated
 * (schema version 2 or later) or empty. */
int demo_database_in_use(db *d, herr *e);

/* Builds the demo network in a migrated database that holds no people or
 * groups (ERR_CONFLICT otherwise), and fills ret. Runs its own write
 * transactions (a few per group), so call it outside one. On failure the
 * network may be half built: the caller starts again on a fresh database. */
int demo_build(db *d, const struct demo_options *opt, struct demo_summary *ret, herr *e);

#endif
