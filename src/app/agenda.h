/* agenda.h - negotiated agendas (capability C4): members propose items for
 * an upcoming meeting of their group and support them; the group's managers
 * shape the agenda (order, time, merge, defer) and agree it; after the
 * meeting starts they mark each item discussed, deferred or dropped, and
 * deferred items carry over to the next upcoming meeting.
 *
 * Rules (each refusal changes nothing):
 *   - "upcoming" means scheduled (not cancelled or closed) and not yet
 *     started. Proposing, supporting, withdrawing and shaping are for items
 *     of upcoming meetings (else 409 naming the meeting's state);
 *   - who: members and managers (membership_require_member) propose and
 *     support; only the proposer withdraws; managers (facilitators, peer
 *     support workers, coordinators, admins) shape, agree and mark
 *     outcomes; nothing in a closed group changes (409);
 *   - support is once per person and idempotent: supporting again, or
 *     taking back support not given, succeeds and changes nothing. A
 *     proposer may support their own item (it counts like anyone's);
 *   - merging B into A: B's supporters, and B's proposer, support A; B
 *     becomes merged;
 *   - any change to a meeting's items (a new, withdrawn, moved, timed,
 *     merged, deferred or carried-over item) takes back its agreement: the
 *     managers agree it again;
 *   - carry-over (agenda_carry_over, run before every read and change of a
 *     group's agendas): an item still open at a meeting that was closed or
 *     cancelled becomes deferred; every deferred item not yet carried is
 *     copied (with its supporters) to the end of the group's next upcoming
 *     meeting after it. With no such meeting yet it waits, and is carried
 *     when one exists. Items open at a meeting that has ended but is not
 *     closed stay open: the managers can still mark them. */
#ifndef HEARTH_AGENDA_H
#define HEARTH_AGENDA_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENDA_TITLE_MAX 120    /* characters */
#define AGENDA_WHY_MAX 500
#define AGENDA_MINUTES_MIN 1
#define AGENDA_MINUTES_MAX 180
#define AGENDA_ITEMS_MAX 200    /* items listed for one meeting */

struct agenda_item {
	int64_t id;
	int64_t meeting_id;
	const char *title;
	const char *why;
	int64_t proposer_id;          /* 0 when the person was removed */
	const char *proposer_name;
	int position;                 /* 1, 2, ... among the meeting's items */
	int minutes;                  /* time allotted; 0 when not set */
	const char *state;            /* open, discussed, deferred, dropped */
	int64_t carried_from;         /* 0 unless carried over */
	int64_t carried_to;           /* 0 unless carried on */
	int supporters;
	bool i_support;
	bool is_mine;
};

/* A later meeting an item can be deferred to. */
struct agenda_meeting {
	int64_t id;
	int64_t starts_at;
};

struct agenda {
	int64_t meeting_id;
	int64_t group_id;
	const char *group_name;
	int64_t starts_at, ends_at;
	const char *meeting_status;   /* scheduled, cancelled, closed */
	bool is_upcoming;             /* scheduled and not yet started */
	bool has_started;
	int64_t agreed_at;            /* 0 when not agreed */
	const char *agreed_by_name;
	struct agenda_item *items;    /* by position (withdrawn, merged left out) */
	size_t n_items;
	int total_minutes;
	struct agenda_meeting *later; /* for managers: upcoming meetings after this */
	size_t n_later;
	bool can_propose;             /* members and managers, upcoming, group open */
	bool can_manage;              /* shape and agree: managers, upcoming */
	bool can_mark;                /* outcomes: managers, once started */
};

/* Carries over deferred items of group_id (see above), in the caller's
 * write transaction if one is open, else in its own. */
int agenda_carry_over(db *d, int64_t group_id, int64_t now_ms, herr *e);

/* The agenda of meeting_id for a member or manager of its group (after
 * carrying over); ERR_NOTFOUND, ERR_DENIED for others. In the arena. */
int agenda_get(db *d, arena *a, const struct actor *actor, int64_t meeting_id,
	       struct agenda *ret, herr *e);
/* One item as agenda_get shows it; ret_meeting_id says where it is now. */
int agenda_item_get(db *d, arena *a, const struct actor *actor, int64_t item_id,
		    struct agenda_item *ret, herr *e);

/* Proposes an item (fields "title", 1..AGENDA_TITLE_MAX characters, and
 * "why", 1..AGENDA_WHY_MAX) at the end of an upcoming meeting's agenda. */
int agenda_propose(db *d, const struct actor *actor, int64_t meeting_id, const char *title,
		   const char *why, int64_t *ret_id, herr *e);
/* Adds (on) or takes back (!on) the actor's support; idempotent. */
int agenda_support(db *d, const struct actor *actor, int64_t item_id, bool on, herr *e);
/* The proposer takes their item off the agenda. */
int agenda_withdraw(db *d, const struct actor *actor, int64_t item_id, herr *e);
/* Managers: moves an item one place "up" or "down" (field "direction"); at
 * the top or bottom already it stays (no error). */
int agenda_move(db *d, const struct actor *actor, int64_t item_id, const char *direction,
		herr *e);
/* Managers: puts an item at position (1 = first; beyond the end = last;
 * field "position"). */
int agenda_set_position(db *d, const struct actor *actor, int64_t item_id, int position,
			herr *e);
/* Managers: minutes allotted, AGENDA_MINUTES_MIN..MAX (field "minutes"). */
int agenda_set_time(db *d, const struct actor *actor, int64_t item_id, int minutes, herr *e);
/* Managers: merges item_id into into_id (field "into"): both open, on the
 * same meeting, not the same item. */
int agenda_merge(db *d, const struct actor *actor, int64_t item_id, int64_t into_id, herr *e);
/* Managers: moves an item of an upcoming meeting to a later upcoming meeting
 * of the same group (field "to_meeting"), at the end of its agenda. */
int agenda_defer(db *d, const struct actor *actor, int64_t item_id, int64_t to_meeting,
		 herr *e);
/* Managers, once the meeting has started: "discussed", "deferred" or
 * "dropped" (field "outcome") for an open item; deferred items carry over
 * at once when an upcoming meeting exists. */
int agenda_set_outcome(db *d, const struct actor *actor, int64_t item_id, const char *outcome,
		       herr *e);
/* Managers: agrees an upcoming meeting's agenda (again: records who and
 * when anew). */
int agenda_agree(db *d, const struct actor *actor, int64_t meeting_id, herr *e);

#endif
