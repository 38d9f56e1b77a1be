/* meeting.h - meetings: occurrences of a group's schedule and one-offs,
 * with attendance, who facilitated, roles taken, minutes, actions and a
 * closing record (capability C3).
 *
 * Meetings exist as records from the moment they are scheduled:
 * meeting_ensure_scheduled() materialises the schedule's occurrences up to a
 * horizon (and is cheap when already done), so attendance always belongs to a
 * real meeting. Per-date changes (cancel, move) change that record.
 *
 * Who may do what: members of the group (and its managers) read meetings,
 * with their attendance, roles, minutes and actions; only managers
 * (facilitators, peer support workers, coordinators, admins: see
 * membership_require_manager) change them, and nothing in a closed group
 * changes (409). Time rules, each a 409 with the reason:
 *   - cancelling, moving and restoring are for meetings still to come;
 *   - attendance, minutes and actions can be recorded until
 *     MEETING_RECORD_DAYS after the meeting ended; who was present and who
 *     facilitated, roles and the closing record once it has started
 *     (apologies can be given in advance);
 *   - a closed meeting can still be corrected within that window: closing
 *     is a summary, not a lock, so a late apology or a typo in the minutes
 *     can be put right; closing again updates the closing record.
 * A cancelled meeting takes no records until it is restored. */
#ifndef HEARTH_MEETING_H
#define HEARTH_MEETING_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "action.h"
#include "actor.h"
#include "membership.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEETING_HORIZON_DAYS 84   /* scheduled meetings exist this far ahead */
#define MEETING_RECORD_DAYS 30    /* records can be written this long after */
#define MEETING_NOTICE_MAX 500    /* characters, each of these */
#define MEETING_THEMES_MAX 500
#define MEETING_MINUTES_MAX 20000
#define MEETING_ROLE_MAX 40
#define MEETING_ENTRIES_MAX 500   /* attendance or roles in one request */
#define MEETING_COUNT_MAX 10000   /* the closing record's head count */


struct meeting_summary {
	int64_t id;
	int64_t group_id;
	const char *group_name;
	int64_t starts_at;
	int64_t ends_at;
	const char *status;        /* scheduled, cancelled, closed */
	const char *kind;          /* scheduled, one_off */
	int64_t moved_from;        /* 0 unless moved */
	const char *notice;        /* for members: why it was cancelled or moved */
};


/* Makes the meeting records of group_id's schedule up to now + horizon, and
 * updates peer_group.next_meeting_at. Call after a group's schedule changes
 * (with force, which also removes future scheduled meetings that no longer
 * fit the schedule and have nothing recorded) and before listing. Runs in
 * the caller's write transaction if one is open. */
int meeting_ensure_scheduled(db *d, int64_t group_id, bool force, herr *e);
/* meeting_ensure_scheduled without force, for a caller that has just read
 * the group's scheduled_until and next_meeting_at (group_get): when its
 * meetings already reach far enough ahead nothing is read again. */
int meeting_ensure_scheduled_seen(db *d, int64_t group_id, int64_t scheduled_until,
				  int64_t next_meeting_at, herr *e);
/* The next meetings of group_id not yet ended at from_ms (cancelled ones
 * included, with their notice), at most limit, in the arena. Public data:
 * no permission check. Materialises the schedule first when called outside
 * a transaction. */
int meeting_list_upcoming(db *d, arena *a, int64_t group_id, int64_t from_ms, int limit,
			  struct meeting_summary **ret, size_t *ret_n, herr *e);
/* The same list for a caller that has materialised the schedule already
 * (meeting_ensure_scheduled_seen): one statement. */
int meeting_list_upcoming_ensured(db *d, arena *a, int64_t group_id, int64_t from_ms, int limit,
				  struct meeting_summary **ret, size_t *ret_n, herr *e);
/* The next meetings (not yet ended at from_ms) of all of person_id's
 * active groups, for /me. mine is what membership_list_mine read for the
 * same person: called outside a transaction, it first materialises the
 * schedules of those groups that need it, without reading them again. */
int meeting_list_upcoming_for_person(db *d, arena *a, int64_t person_id,
				     const struct my_membership *mine, size_t n_mine,
				     int64_t from_ms, int limit, struct meeting_summary **ret,
				     size_t *ret_n, herr *e);

/* ---- reading ----------------------------------------------------------- */

struct meeting_group {
	int64_t id;
	const char *name;
	const char *status;           /* forming, active, paused, closed */
	const char *format;           /* in_person, online, hybrid */
	const char *venue_name, *venue_address, *venue_access;
	const char *online_link;
	struct standing standing;     /* the actor's standing in the group */
};

/* The group as its meeting pages show it, for an actor who may read its
 * meetings (membership_require_member). */
int meeting_group_get(db *d, arena *a, const struct actor *actor, int64_t group_id,
		      struct meeting_group *ret, herr *e);
/* A page of group_id's meetings for a reader: with past, those that have
 * ended, newest first; otherwise those not yet ended, soonest first.
 * *ret_more tells whether another page follows. */
int meeting_list_for_group(db *d, arena *a, const struct actor *actor, int64_t group_id,
			   bool past, int offset, int limit, struct meeting_summary **ret,
			   size_t *ret_n, bool *ret_more, herr *e);

struct meeting_attendee {
	int64_t person_id;
	const char *display_name;
	const char *status;           /* present, apologies, absent */
	bool newcomer;
};

struct meeting_person {
	int64_t person_id;
	const char *display_name;
};

struct meeting_role_taken {
	int64_t person_id;
	const char *display_name;
	const char *role;
};

struct meeting {
	struct meeting_summary s;
	struct meeting_group group;
	const char *occurrence_key;   /* NULL for a one-off */
	int facilitated_by_peer;      /* 1, 0, or -1 when not recorded */
	const char *minutes_md;       /* NULL when none */
	int64_t minutes_updated_at;
	const char *minutes_by_name;
	int attendance_count;         /* the closing record; -1 when not closed */
	const char *themes;
	int64_t closed_at;
	/* Managers get everyone's attendance; members only their own (the
	 * counts below are of everyone, for both). */
	struct meeting_attendee *attendance;   /* by name */
	size_t n_attendance;
	int present, apologies, absent, newcomers;
	struct meeting_person *facilitators;
	size_t n_facilitators;
	struct meeting_role_taken *roles;      /* by name, then role */
	size_t n_roles;
	struct action_item *actions;
	size_t n_actions;
	/* what the actor may do now (all false for readers) */
	bool can_change_date;         /* cancel or move: a future scheduled meeting */
	bool can_restore;             /* a future cancelled meeting */
	bool can_record;              /* attendance, minutes, actions */
	bool can_record_held;         /* roles, facilitators, closing record */
	bool has_started;
};

/* The meeting with everything recorded on it, for a member or manager of
 * its group; ERR_NOTFOUND, ERR_DENIED for others. */
int meeting_get(db *d, arena *a, const struct actor *actor, int64_t meeting_id,
		struct meeting *ret, herr *e);

#define MEETING_FIND_MAX 100      /* characters of a "find a member" filter */

/* One person on the attendance form: an active member of the group, or
 * someone recorded at the meeting who has since left. */
struct meeting_roll_row {
	int64_t person_id;
	const char *display_name;
	const char *pronouns;         /* NULL when not given */
	const char *status;           /* as recorded, or NULL */
	bool newcomer;
	bool member;                  /* still an active member */
};

/* A page of m's attendance form for its managers (m as meeting_get gave
 * it): at most limit people from offset, by name, those whose name
 * contains find (any case; "" for everyone), and in *ret_total how many
 * match in all. ERR_DENIED for anyone who may not manage the group. */
int meeting_roll_page(db *d, arena *a, const struct meeting *m, const char *find, int offset,
		      int limit, struct meeting_roll_row **ret, size_t *ret_n, int *ret_total,
		      herr *e);

/* ---- changing ---------------------------------------------------------- */

/* What a change needs of a meeting (see the rules above). */
enum meeting_change {
	MEETING_CHANGE_DATE,      /* cancel or move: scheduled, still to come */
	MEETING_CHANGE_RESTORE,   /* un-cancel: cancelled, still to come */
	MEETING_CHANGE_RECORD,    /* attendance, minutes, actions */
	MEETING_CHANGE_HELD,      /* roles, facilitators, closing: has started */
};

struct meeting_ref {
	int64_t id;
	int64_t group_id;
	int64_t starts_at;
	int64_t ends_at;
	char status[16];
};

/* Reads meeting_id and checks that actor may make change `what` to it now:
 * ERR_NOTFOUND, ERR_DENIED, or ERR_CONFLICT with the reason. For use inside
 * a write transaction (action.c uses it too). */
int meeting_open_for_change(db *d, const struct actor *actor, int64_t meeting_id,
			    enum meeting_change what, struct meeting_ref *ret, herr *e);

/* Cancels a meeting still to come; notice (required) tells members why. */
int meeting_cancel(db *d, const struct actor *actor, int64_t meeting_id, const char *notice,
		   herr *e);
/* Takes back a cancellation; notice (optional) replaces the old one. */
int meeting_restore(db *d, const struct actor *actor, int64_t meeting_id, const char *notice,
		    herr *e);
/* Moves a meeting still to come to local date "YYYY-MM-DD" and time
 * "HH:MM" (fields "date" and "time"), keeping its length and occurrence
 * key and remembering where it was (moved_from); notice is required. */
int meeting_move(db *d, const struct actor *actor, int64_t meeting_id, const char *date,
		 const char *time, const char *notice, herr *e);

struct meeting_new {
	const char *date;             /* "YYYY-MM-DD", today or later (local) */
	const char *start_time;       /* "HH:MM" */
	const char *end_time;         /* "HH:MM", after start_time, same day */
	const char *notice;           /* optional: what it is for */
};
/* Adds a one-off meeting to group_id. */
int meeting_add_one_off(db *d, const struct actor *actor, int64_t group_id,
			const struct meeting_new *in, int64_t *ret_id, herr *e);

/* One line of attendance. field is what errors about this line name
 * ("status_123" for a form, "attendance" for JSON); static or caller-owned. */
struct attendance_in {
	int64_t person_id;
	const char *status;           /* present, apologies, absent */
	bool newcomer;                /* their first time; only when present */
	const char *field;
};
/* Records attendance: each line adds or replaces that person's record;
 * people not listed keep theirs. Everyone must be an active member of the
 * group, or already recorded at this meeting (a correction). */
int meeting_record_attendance(db *d, const struct actor *actor, int64_t meeting_id,
			      const struct attendance_in *in, size_t n, herr *e);

struct role_in {
	int64_t person_id;
	const char *role;             /* 1 to MEETING_ROLE_MAX characters */
	const char *field;
};
struct meeting_roles_in {
	bool set_facilitators;
	const int64_t *facilitators;  /* members of the group */
	size_t n_facilitators;
	const char *facilitators_field;
	int facilitated_by_peer;      /* 1, 0, -1 unknown */
	bool set_roles;
	const struct role_in *roles;  /* people recorded present */
	size_t n_roles;
	/* With n_scope > 0 (a page of the form) only these people's facilitation
	 * and roles are replaced, and the others' stay as they are; everyone
	 * named above must be one of them. */
	const int64_t *scope;
	size_t n_scope;
};
/* Replaces, in one transaction, who facilitated (with whether the meeting
 * was peer-facilitated) and/or the roles people took. */
int meeting_set_roles(db *d, const struct actor *actor, int64_t meeting_id,
		      const struct meeting_roles_in *in, herr *e);
/* Shorthand for meeting_set_roles with only the facilitators. */
int meeting_set_facilitators(db *d, const struct actor *actor, int64_t meeting_id,
			     const int64_t *person_ids, size_t n, int facilitated_by_peer,
			     herr *e);
/* Saves the minutes (Markdown, up to MEETING_MINUTES_MAX characters;
 * empty removes them). Field "minutes". */
int meeting_save_minutes(db *d, const struct actor *actor, int64_t meeting_id, const char *md,
			 herr *e);
/* Closes a meeting that has started with a short record: attendance_count
 * (-1: the number recorded present) and themes (optional). Fields
 * "attendance_count" and "themes". */
int meeting_close(db *d, const struct actor *actor, int64_t meeting_id, int attendance_count,
		  const char *themes, herr *e);

#endif
