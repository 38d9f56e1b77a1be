/* action.h - actions agreed at a meeting: what is to be done, who will do
 * it (a member of the group) and by when, ticked off when done (part of
 * capability C3). Actions belong to the group and remember the meeting that
 * agreed them. Adding one is a change to that meeting (see meeting.h for
 * when a meeting can still be changed); ticking one off or undoing the tick
 * is a change to the group, allowed at any time while the group is open.
 * Only the group's managers (facilitators, peer workers, coordinators,
 * admins) write; members read them on the meeting's page. */
#ifndef HEARTH_ACTION_H
#define HEARTH_ACTION_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACTION_DESCRIPTION_MAX 500   /* characters */

struct action_item {
	int64_t id;
	int64_t group_id;
	int64_t meeting_id;            /* 0 when its meeting was deleted */
	const char *description;
	int64_t owner_id;              /* 0 when the owner's record was erased */
	const char *owner_name;
	const char *due_date;          /* "YYYY-MM-DD" (local), or NULL */
	int64_t done_at;               /* 0 while open */
	int64_t created_at;
};

struct action_new {
	const char *description;       /* required */
	int64_t owner_id;              /* required: an active member of the group */
	const char *due_date;          /* optional "YYYY-MM-DD", not before the meeting */
};

/* Adds an action to meeting_id; *ret_id is its id. Errors name the fields
 * "description", "owner_id" and "due_date". */
int action_add(db *d, const struct actor *actor, int64_t meeting_id, const struct action_new *in,
	       int64_t *ret_id, herr *e);
/* Ticks an action off (done) or undoes the tick; *ret_meeting_id (may be
 * NULL) is its meeting, so the caller can go back there. */
int action_set_done(db *d, const struct actor *actor, int64_t action_id, bool done,
		    int64_t *ret_meeting_id, herr *e);
/* The actions agreed at meeting_id, open ones first, then by due date, in
 * the arena. The caller has checked that the actor may read the meeting. */
int action_list_for_meeting(db *d, arena *a, int64_t meeting_id, struct action_item **ret,
			    size_t *ret_n, herr *e);

#endif
