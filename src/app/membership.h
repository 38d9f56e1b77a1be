/* membership.h - a person's place in a group, and what it lets them do.
 *
 * membership_standing() is the one place that answers "what may this actor
 * do in this group?"; pages and domain functions ask it rather than reading
 * roles themselves. Deny by default: an anonymous actor or a non-member
 * may only read the group's public page. */
#ifndef HEARTH_MEMBERSHIP_H
#define HEARTH_MEMBERSHIP_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stdint.h>

enum member_role { ROLE_NONE = 0, ROLE_MEMBER, ROLE_PEER_WORKER, ROLE_FACILITATOR };
enum member_status { MEMBER_NONE = 0, MEMBER_ACTIVE, MEMBER_REQUESTED, MEMBER_DECLINED, MEMBER_LEFT };

struct standing {
	int64_t group_id;
	const char *group_status;     /* forming, active, paused, closed */
	enum member_status status;    /* the actor's membership */
	enum member_role role;        /* ROLE_NONE unless status is active */
	bool is_member;               /* an active member in any role */
	bool can_manage;              /* facilitator, peer worker, coordinator or admin */
	bool can_see_members;         /* members and managers */
	bool is_closed;               /* the group is closed: nothing changes */
};

/* Fills ret for actor in group_id; ERR_NOTFOUND when there is no such group. */
int membership_standing(db *d, int64_t group_id, const struct actor *actor,
			struct standing *ret, herr *e);
/* Fills ret from what a caller read itself in the same statement as other
 * things (group_get_with_standing): the group's status, and the actor's
 * membership status and role as stored (NULL when there is none). */
void membership_standing_of(int64_t group_id, const char *group_status, const char *member_status,
			    const char *member_role, const struct actor *actor, struct standing *ret);
/* ERR_DENIED (with a message) unless st lets the actor manage the group,
 * ERR_CONFLICT when the group is closed. */
int membership_require_manager(const struct standing *st, herr *e);
/* ERR_DENIED unless the actor is an active member or a manager. */
int membership_require_member(const struct standing *st, herr *e);
/* Whether person_id is an active member of group_id (in any role); false
 * too when the database cannot say. */
bool membership_is_active(db *d, int64_t group_id, int64_t person_id);

/* One member of a group as its lists show them. access_needs is filled only
 * when the list was asked for by a manager. */
struct member {
	int64_t person_id;
	const char *display_name;
	const char *pronouns;
	enum member_role role;
	enum member_status status;
	bool has_account;
	const char *message;        /* a request's message (requests only) */
	const char *access_needs;   /* managers only */
	int64_t joined_at;
};

/* Members of group_id with the given status (MEMBER_ACTIVE or
 * MEMBER_REQUESTED), by display name, in the arena. Checks st: active
 * members need membership_require_member, requests need a manager. */
int membership_list(db *d, arena *a, const struct standing *st, enum member_status status,
		    struct member **ret, size_t *ret_n, herr *e);
/* A page of the same: at most limit from offset, those whose name holds
 * find (any case; "" for all), and in *ret_total how many match in all. */
int membership_list_page(db *d, arena *a, const struct standing *st, enum member_status status,
			 const char *find, int offset, int limit, struct member **ret,
			 size_t *ret_n, int *ret_total, herr *e);
/* A LIKE pattern (escaped with '!') for names holding find, lower-cased as
 * both databases' LOWER() agree on (ASCII), in the arena; NULL when out of
 * memory. */
const char *membership_find_pattern(arena *a, const char *find);

const char *member_role_name(enum member_role r);       /* "member", ... */
enum member_role member_role_parse(const char *s);      /* ROLE_NONE if unknown */
/* "Member", "Facilitator", "Peer support worker", for people to read. */
const char *member_role_label(enum member_role r);
const char *member_status_name(enum member_status s);   /* "active", ... */

/* ---- joining and leaving ---------------------------------------------
 * Each of these checks who may do it (deny by default), validates its
 * input, and changes nothing when it refuses. Errors carry a message for
 * the person and, for input, the field. */

#define MEMBERSHIP_MESSAGE_MAX 500   /* characters of a request's message */

/* What a person needs to know about a group before joining it. */
struct group_door {
	int64_t id;
	const char *name;
	const char *access;    /* open, approval, invite */
	const char *status;    /* forming, active, paused, closed */
};

/* ERR_NOTFOUND when there is no such group. Strings are in the arena. */
int membership_group_door(db *d, arena *a, int64_t group_id, struct group_door *ret, herr *e);
/* False for a paused or closed group: it is not taking new members. */
bool membership_group_open_to_new(const struct group_door *g);

/* The actor joins group_id, in one write transaction:
 *   access open: an active member (any invite is ignored);
 *   access approval: a request (status requested) with the optional
 *     message, or an active member straight away with a valid invite;
 *   access invite: an active member with a valid invite (field "invite"),
 *     else ERR_DENIED.
 * ERR_CONFLICT when already a member or already asking, or when the group
 * is paused or closed. A declined request, or someone who left, may ask
 * again; a rejoining person comes back as a member (role member).
 * ret_status says what they are now (MEMBER_ACTIVE or MEMBER_REQUESTED). */
int membership_join(db *d, arena *a, int64_t group_id, const struct actor *actor,
		    const char *message, const char *invite, enum member_status *ret_status,
		    herr *e);
/* The actor leaves group_id (or withdraws their request). ERR_CONFLICT
 * when they are neither a member nor asking, or the group is closed.
 * ret_no_manager_left is set when they were its last facilitator or peer
 * support worker (allowed: the people pages say so). */
int membership_leave(db *d, int64_t group_id, const struct actor *actor,
		     bool *ret_no_manager_left, herr *e);

/* A manager answers person_id's request to join: approve makes them an
 * active member, decline marks the request declined (they may ask again).
 * ERR_CONFLICT when there is no request waiting from them. */
int membership_approve(db *d, int64_t group_id, const struct actor *actor,
		       int64_t person_id, herr *e);
int membership_decline(db *d, int64_t group_id, const struct actor *actor,
		       int64_t person_id, herr *e);

/* A manager adds someone who has no account ("Sam"): a new person with a
 * display name, optional pronouns and access needs, added_by the actor,
 * and an active membership, in one write transaction. */
int membership_add_without_account(db *d, int64_t group_id, const struct actor *actor,
				   const char *display_name, const char *pronouns,
				   const char *access_needs, int64_t *ret_person_id, herr *e);
/* A manager sets an active member's role in the group: "member",
 * "facilitator" or "peer_worker" (else ERR_INVALID, field "role").
 * ERR_NOTFOUND when person_id is not an active member. */
int membership_set_role(db *d, int64_t group_id, const struct actor *actor,
			int64_t person_id, const char *role, herr *e);

/* person_id's membership of st's group, whatever its status, for the person
 * themselves or a manager (else ERR_DENIED); ERR_NOTFOUND when there is
 * none. access_needs is filled for managers only. */
int membership_get(db *d, arena *a, const struct standing *st, const struct actor *actor,
		   int64_t person_id, struct member *ret, herr *e);

/* One of a person's groups, for their own page (/me). */
struct my_membership {
	int64_t group_id;
	const char *group_name;
	const char *group_status;
	enum member_role role;
	enum member_status status;     /* MEMBER_ACTIVE or MEMBER_REQUESTED */
	int64_t joined_at;             /* 0 for a request */
	int64_t asked_at;              /* when the request was last made */
	int64_t scheduled_until;       /* the group's, for meeting_list_upcoming_for_person */
	int64_t next_meeting_at;
};

/* person_id's active memberships and pending requests, by group name, in
 * the arena. Only ever about the actor themselves: the caller passes the
 * signed-in person. */
int membership_list_mine(db *d, arena *a, int64_t person_id, struct my_membership **ret,
			 size_t *ret_n, herr *e);

#endif
