/* membership.c - joining, leaving, requests, invitations to groups, roles,
 * and the permission check every group action goes through
 * (see membership.h). */
#include "membership.h"

#include <string.h>

const char *member_role_name(enum member_role r)
{
	switch (r) {
	case ROLE_MEMBER: return "member";
	case ROLE_PEER_WORKER: return "peer_worker";
	case ROLE_FACILITATOR: return "facilitator";
	default: return "none";
	}
}

enum member_role member_role_parse(const char *s)
{
	if (!s) return ROLE_NONE;
	if (!strcmp(s, "member")) return ROLE_MEMBER;
	if (!strcmp(s, "peer_worker")) return ROLE_PEER_WORKER;
	if (!strcmp(s, "facilitator")) return ROLE_FACILITATOR;
	return ROLE_NONE;
}

static enum member_status status_parse(const char *s)
{
	if (!s) return MEMBER_NONE;
	if (!strcmp(s, "active")) return MEMBER_ACTIVE;
	if (!strcmp(s, "requested")) return MEMBER_REQUESTED;
	if (!strcmp(s, "declined")) return MEMBER_DECLINED;
	if (!strcmp(s, "left")) return MEMBER_LEFT;
	return MEMBER_NONE;
}

int membership_standing(db *d, int64_t group_id, const struct actor *actor,
			struct standing *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	db_stmt *st = db_prepare(d,
		"SELECT g.status, m.status, m.role FROM peer_group g "
		"LEFT JOIN membership m ON m.group_id = g.id AND m.person_id = ? "
		"WHERE g.id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group.");
	db_bind_int64(st, 1, actor ? actor->person_id : 0);
	db_bind_int64(st, 2, group_id);
	int rc = db_step(st);
	static const char *const statuses[] = { "forming", "active", "paused", "closed" };
	if (rc == DB_ROW) {
		const char *gs = db_col_text(st, 0);
		ret->group_status = "active";
		for (size_t i = 0; i < 4; i++)
			if (gs && !strcmp(gs, statuses[i]))
				ret->group_status = statuses[i];
		ret->status = status_parse(db_col_text(st, 1));
		if (ret->status == MEMBER_ACTIVE)
			ret->role = member_role_parse(db_col_text(st, 2));
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
	ret->group_id = group_id;
	ret->is_closed = !strcmp(ret->group_status, "closed");
	ret->is_member = ret->role != ROLE_NONE;
	ret->can_manage = (actor && actor_runs_network(actor)) ||
			  ret->role == ROLE_FACILITATOR || ret->role == ROLE_PEER_WORKER;
	ret->can_see_members = ret->is_member || ret->can_manage;
	return 0;
}

int membership_require_manager(const struct standing *st, herr *e)
{
	if (!st->can_manage)
		return herr_set(e, ERR_DENIED, NULL,
				"Only this group's facilitators and the network's coordinators can do this.");
	if (st->is_closed)
		return herr_set(e, ERR_CONFLICT, NULL,
				"This group is closed, so it cannot be changed. A coordinator can reopen it.");
	return 0;
}

int membership_require_member(const struct standing *st, herr *e)
{
	if (!st->can_see_members)
		return herr_set(e, ERR_DENIED, NULL, "Only members of this group can see this.");
	return 0;
}
