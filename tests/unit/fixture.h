/* fixture.h - what the unit tests on a database share: a fresh, migrated
 * SQLite database in a temporary directory of its own, and rows put
 * straight into it (people, groups, memberships, meetings) so that a test
 * can start from a known network without going through the app's rules.
 * Every function fails the running test (Criterion asserts) instead of
 * returning an error. One database at a time per test process. */
#ifndef HEARTH_TEST_FIXTURE_H
#define HEARTH_TEST_FIXTURE_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

#define HOUR_MS (60LL * 60 * 1000)
#define DAY_MS (24 * HOUR_MS)

/* Opens a new SQLite database in /tmp/hearth-test-NAME-XXXXXX with every
 * migration applied (and libsodium ready for ids). Close it with
 * fixture_close_db, which also removes its files. */
db *fixture_open_db(const char *name);
void fixture_close_db(db *d);
/* The open database's file, for a second connection to it. */
const char *fixture_db_path(void);

/* A person with an account (created and updated at time 1); their id. */
int64_t fixture_add_person(db *d, const char *email, const char *name, bool admin);
/* A peer-led online group with the given name, access (open, approval,
 * invite) and status (forming, active, paused, closed); its id. */
int64_t fixture_add_group(db *d, const char *name, const char *access, const char *status);
/* person's membership of group with role and status (active, pending...). */
void fixture_add_membership(db *d, int64_t group, int64_t person, const char *role,
			    const char *status);
/* A one-off meeting of group from starts (Unix ms) for an hour; its id. */
int64_t fixture_add_meeting(db *d, int64_t group, const char *status, int64_t starts);

/* The small network the agenda and post tests start from: Fran
 * (fac_id) facilitates an open, active group (group_id) where Mo
 * (member_id) and Kit (member2_id) are members; Mo is also a member of a
 * closed group (closed_group); Olu (outsider_id) belongs to neither. */
struct fixture_circle {
	int64_t fac_id, member_id, member2_id, outsider_id, group_id, closed_group;
};
struct fixture_circle fixture_add_circle(db *d);

/* The first column of the one row sql (a literal, no parameters) answers,
 * such as "SELECT COUNT(*) FROM post". */
int64_t fixture_count(db *d, const char *sql);

#endif
