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
/* ERR_DENIED (with a message) unless st lets the actor manage the group,
 * ERR_CONFLICT when the group is closed. */
int membership_require_manager(const struct standing *st, herr *e);
/* ERR_DENIED unless the actor is an active member or a manager. */
int membership_require_member(const struct standing *st, herr *e);

const char *member_role_name(enum member_role r);       /* "member", ... */
enum member_role member_role_parse(const char *s);      /* ROLE_NONE if unknown */

#endif
