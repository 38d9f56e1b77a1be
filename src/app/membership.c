/* membership.c - joining, leaving, requests, invitations to groups, roles,
 * and the permission check every group action goes through
 * (see membership.h). */
#include "membership.h"

#include "../base/ids.h"
#include "../base/utf8.h"
#include "group_invite.h"
#include "person.h"

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

const char *member_role_label(enum member_role r)
{
	switch (r) {
	case ROLE_MEMBER: return "Member";
	case ROLE_PEER_WORKER: return "Peer support worker";
	case ROLE_FACILITATOR: return "Facilitator";
	default: return "";
	}
}

const char *member_status_name(enum member_status s)
{
	switch (s) {
	case MEMBER_ACTIVE: return "active";
	case MEMBER_REQUESTED: return "requested";
	case MEMBER_DECLINED: return "declined";
	case MEMBER_LEFT: return "left";
	default: return "none";
	}
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

void membership_standing_of(int64_t group_id, const char *group_status, const char *member_status,
			    const char *member_role, const struct actor *actor, struct standing *ret)
{
	static const char *const statuses[] = { "forming", "active", "paused", "closed" };
	memset(ret, 0, sizeof *ret);
	ret->group_id = group_id;
	ret->group_status = "active";
	for (size_t i = 0; i < 4; i++)
		if (group_status && !strcmp(group_status, statuses[i]))
			ret->group_status = statuses[i];
	ret->status = status_parse(member_status);
	if (ret->status == MEMBER_ACTIVE)
		ret->role = member_role_parse(member_role);
	ret->is_closed = !strcmp(ret->group_status, "closed");
	ret->is_member = ret->role != ROLE_NONE;
	ret->can_manage = (actor && actor_runs_network(actor)) ||
			  ret->role == ROLE_FACILITATOR || ret->role == ROLE_PEER_WORKER;
	ret->can_see_members = ret->is_member || ret->can_manage;
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
	if (rc == DB_ROW)
		membership_standing_of(group_id, db_col_text(st, 0), db_col_text(st, 1),
				       db_col_text(st, 2), actor, ret);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
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

bool membership_is_active(db *d, int64_t group_id, int64_t person_id)
{
	db_stmt *st = db_prepare(d,
		"SELECT 1 FROM membership WHERE group_id = ? AND person_id = ? AND status = 'active'");
	if (!st)
		return false;
	db_bind_int64(st, 1, group_id);
	db_bind_int64(st, 2, person_id);
	bool found = db_step(st) == DB_ROW;
	db_reset(st);
	return found;
}

/* What lists of members read, from membership m joined with person p. */
#define MEMBER_COLUMNS \
	"p.id, p.display_name, p.pronouns, m.role, m.status, p.email IS NOT NULL, m.message, " \
	"p.access_needs, m.joined_at FROM membership m JOIN person p ON p.id = m.person_id "

/* A page's members: of the group, with the status, names holding the pattern. */
#define MEMBER_FILTER \
	"WHERE m.group_id = ? AND m.status = ? AND LOWER(p.display_name) LIKE ? ESCAPE '!' "

static int read_members(db_stmt *q, arena *a, const struct standing *st, struct member **ret,
			size_t *ret_n, herr *e);

/* Who may see the list of members with status. */
static int may_list(const struct standing *st, enum member_status status, herr *e)
{
	return status == MEMBER_REQUESTED
		? (st->can_manage ? 0 : herr_set(e, ERR_DENIED, NULL,
			"Only this group's facilitators can see requests to join."))
		: membership_require_member(st, e);
}

int membership_list(db *d, arena *a, const struct standing *st, enum member_status status,
		    struct member **ret, size_t *ret_n, herr *e)
{
	int rc = may_list(st, status, e);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d,
		"SELECT " MEMBER_COLUMNS
		"WHERE m.group_id = ? AND m.status = ? ORDER BY p.display_name, p.id LIMIT 1000");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not list the members.");
	db_bind_int64(q, 1, st->group_id);
	db_bind_text(q, 2, status == MEMBER_REQUESTED ? "requested" : "active");
	return read_members(q, a, st, ret, ret_n, e);
}

/* The rows of q (MEMBER_COLUMNS) as members, in the arena. */
static int read_members(db_stmt *q, arena *a, const struct standing *st, struct member **ret,
			size_t *ret_n, herr *e)
{
	int rc = 0;
	size_t n = 0, cap = 0;
	struct member *list = NULL;
	while ((list = arena_grow(a, list, n, &cap, sizeof *list)) &&
	       (rc = db_step(q)) == DB_ROW) {
		struct member *m = &list[n++];
		m->person_id = db_col_int64(q, 0);
		m->display_name = arena_strdup(a, db_col_text(q, 1));
		m->pronouns = arena_strdup(a, db_col_text(q, 2));
		m->role = member_role_parse(db_col_text(q, 3));
		m->status = status_parse(db_col_text(q, 4));
		m->has_account = db_col_bool(q, 5);
		m->message = st->can_manage ? arena_strdup(a, db_col_text(q, 6)) : NULL;
		m->access_needs = st->can_manage ? arena_strdup(a, db_col_text(q, 7)) : NULL;
		m->joined_at = db_col_int64(q, 8);
	}
	db_reset(q);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not list the members.");
	*ret = list;
	*ret_n = n;
	return 0;
}

const char *membership_find_pattern(arena *a, const char *find)
{
	size_t n = strlen(find);
	char *p = arena_alloc(a, 2 * n + 3), *o = p;
	if (!p)
		return NULL;
	*o++ = '%';
	for (const char *c = find; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '!')
			*o++ = '!';
		*o++ = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* Binds a page query's group, status and name pattern, in that order. */
static void bind_member_filter(db_stmt *q, const struct standing *st, const char *state,
			       const char *pattern)
{
	db_bind_int64(q, 1, st->group_id);
	db_bind_text(q, 2, state);
	db_bind_text(q, 3, pattern);
}

int membership_list_page(db *d, arena *a, const struct standing *st, enum member_status status,
			 const char *find, int offset, int limit, struct member **ret,
			 size_t *ret_n, int *ret_total, herr *e)
{
	*ret_total = 0;
	int rc = may_list(st, status, e);
	const char *pattern = rc ? NULL : membership_find_pattern(a, find ? find : "");
	if (rc)
		return rc;
	if (!pattern)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	const char *state = status == MEMBER_REQUESTED ? "requested" : "active";
	db_stmt *c = db_prepare(d, "SELECT COUNT(*) FROM membership m JOIN person p ON "
		"p.id = m.person_id " MEMBER_FILTER);
	db_stmt *q = db_prepare(d, "SELECT " MEMBER_COLUMNS MEMBER_FILTER
		"ORDER BY p.display_name, p.id LIMIT ? OFFSET ?");
	if (!c || !q)
		return herr_set(e, ERR_DB, NULL, "Could not list the members.");
	bind_member_filter(c, st, state, pattern);
	if ((rc = db_step(c)) == DB_ROW)
		*ret_total = (int)db_col_int64(c, 0);
	db_reset(c);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not count the members.");
	bind_member_filter(q, st, state, pattern);
	db_bind_int64(q, 4, limit);
	db_bind_int64(q, 5, offset < 0 ? 0 : offset);
	return read_members(q, a, st, ret, ret_n, e);
}

/* ---- joining and leaving ------------------------------------------- */

int membership_group_door(db *d, arena *a, int64_t group_id, struct group_door *ret, herr *e)
{
	db_stmt *q = db_prepare(d, "SELECT name, access, status FROM peer_group WHERE id = ?");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the group.");
	db_bind_int64(q, 1, group_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		ret->id = group_id;
		ret->name = arena_strdup(a, db_col_text(q, 0));
		ret->access = arena_strdup(a, db_col_text(q, 1));
		ret->status = arena_strdup(a, db_col_text(q, 2));
	}
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
	if (!ret->name || !ret->access || !ret->status)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	return 0;
}

bool membership_group_open_to_new(const struct group_door *g)
{
	return strcmp(g->status, "paused") != 0 && strcmp(g->status, "closed") != 0;
}

static int check_message(const char *message, herr *e)
{
	size_t n = message ? strlen(message) : 0;
	if (n && !utf8_valid_text(message, n))
		return herr_set(e, ERR_BADREQ, "message",
				"The message holds characters that cannot be shown.");
	if (utf8_length(message ? message : "", n) > MEMBERSHIP_MESSAGE_MAX)
		return herr_set(e, ERR_INVALID, "message",
				"Please keep the message to %d characters or fewer.",
				MEMBERSHIP_MESSAGE_MAX);
	return 0;
}

/* Rolls back the caller's write transaction on failure; commits on success. */
static int end_write(db *d, int rc, herr *e)
{
	bool steps_ok = rc == 0;
	rc = db_finish(d, rc);
	if (steps_ok && rc)
		return herr_set(e, rc, NULL, "Could not save the change; please try again.");
	return rc;
}

static int begin_write(db *d, herr *e)
{
	int rc = db_begin_write(d);
	return rc ? herr_set(e, rc, NULL, "The database is busy; please try again.") : 0;
}

/* Binds ?1 to ?6 of both of save_membership's statements: status, message,
 * joined_at, updated_at, group_id, person_id. */
static void bind_membership(db_stmt *q, int64_t group_id, int64_t person_id,
			    enum member_status status, const char *message, int64_t now)
{
	db_bind_text(q, 1, member_status_name(status));
	db_bind_text(q, 2, message && *message ? message : NULL);
	if (status == MEMBER_ACTIVE)
		db_bind_int64(q, 3, now);
	else
		db_bind_null(q, 3);
	db_bind_int64(q, 4, now);
	db_bind_int64(q, 5, group_id);
	db_bind_int64(q, 6, person_id);
}

/* Writes person_id's membership of group_id: updates the row a past
 * request or membership left, else makes one. */
static int save_membership(db *d, int64_t group_id, int64_t person_id, enum member_status status,
			   const char *message, herr *e)
{
	int64_t now = time_now_ms();
	db_stmt *q = db_prepare(d,
		"UPDATE membership SET role = 'member', status = ?, message = ?, joined_at = ?, "
		"updated_at = ? WHERE group_id = ? AND person_id = ?");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not save the membership.");
	bind_membership(q, group_id, person_id, status, message, now);
	int rc = db_step(q);
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the membership.");
	if (db_changes(d) == 1)
		return 0;
	q = db_prepare(d,
		"INSERT INTO membership (status, message, joined_at, updated_at, group_id, person_id, "
		"role, created_at) VALUES (?, ?, ?, ?, ?, ?, 'member', ?)");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not save the membership.");
	bind_membership(q, group_id, person_id, status, message, now);
	db_bind_int64(q, 7, now);
	rc = db_step(q);
	db_reset(q);
	if (rc == ERR_CONFLICT)   /* the same person joining twice at once */
		return herr_set(e, ERR_CONFLICT, NULL, "You are already a member of this group.");
	return rc < 0 ? herr_set(e, rc, NULL, "Could not save the membership.") : 0;
}

/* Decides what joining g makes of someone not yet in it, using an invite
 * when one is needed or given. */
static int join_decision(db *d, const struct group_door *g, const char *invite,
			 enum member_status *ret_status, herr *e)
{
	bool has_invite = invite && *invite;
	if (!strcmp(g->access, "open")) {
		*ret_status = MEMBER_ACTIVE;
		return 0;
	}
	if (!has_invite && !strcmp(g->access, "approval")) {
		*ret_status = MEMBER_REQUESTED;
		return 0;
	}
	if (!has_invite)
		return herr_set(e, ERR_DENIED, "invite",
				"%.120s welcomes new members by invitation. If you would like to "
				"join, ask one of its facilitators for an invite link.", g->name);
	int64_t invite_id;
	int rc = group_invite_check(d, g->id, invite, &invite_id, e);
	if (rc == 0)
		rc = group_invite_use(d, invite_id, e);
	if (rc == 0)
		*ret_status = MEMBER_ACTIVE;
	return rc;
}

int membership_join(db *d, arena *a, int64_t group_id, const struct actor *actor,
		    const char *message, const char *invite, enum member_status *ret_status,
		    herr *e)
{
	if (!actor || !actor->person_id)
		return herr_set(e, ERR_UNAUTH, NULL, "Please log in to join a group.");
	int rc = check_message(message, e);
	if (rc || (rc = begin_write(d, e)))
		return rc;
	struct standing st;
	struct group_door g;
	enum member_status status = MEMBER_NONE;
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = membership_group_door(d, a, group_id, &g, e);
	if (!rc && st.status == MEMBER_ACTIVE)
		rc = herr_set(e, ERR_CONFLICT, NULL, "You are already a member of this group.");
	if (!rc && st.status == MEMBER_REQUESTED)
		rc = herr_set(e, ERR_CONFLICT, NULL,
			      "You have already asked to join this group. Its facilitators will "
			      "answer soon; your request is on your page.");
	if (!rc && !membership_group_open_to_new(&g))
		rc = herr_set(e, ERR_CONFLICT, NULL,
			      "%.120s is not taking new members just now.", g.name);
	if (!rc)
		rc = join_decision(d, &g, invite, &status, e);
	if (!rc)
		rc = save_membership(d, group_id, actor->person_id, status,
				     status == MEMBER_REQUESTED ? message : NULL, e);
	if ((rc = end_write(d, rc, e)))
		return rc;
	*ret_status = status;
	return 0;
}

/* Active facilitators and peer support workers of group_id. */
static int count_managers(db *d, int64_t group_id, int64_t *ret_n, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT COUNT(*) FROM membership WHERE group_id = ? AND status = 'active' "
		"AND role IN ('facilitator', 'peer_worker')");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not count the facilitators.");
	db_bind_int64(q, 1, group_id);
	int rc = db_step(q);
	if (rc == DB_ROW)
		*ret_n = db_col_int64(q, 0);
	db_reset(q);
	return rc == DB_ROW ? 0 : herr_set(e, rc < 0 ? rc : ERR_DB, NULL,
					   "Could not count the facilitators.");
}

/* Sets the status of person_id's membership when it is now from_status;
 * ERR_CONFLICT (with conflict_message) when it is not. */
static int change_status(db *d, int64_t group_id, int64_t person_id, const char *from_status,
			 enum member_status to, const char *conflict_message, herr *e)
{
	int64_t now = time_now_ms();
	db_stmt *q = db_prepare(d,
		"UPDATE membership SET status = ?, role = 'member', message = NULL, "
		"joined_at = ?, updated_at = ? "
		"WHERE group_id = ? AND person_id = ? AND status = ?");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not save the change.");
	db_bind_text(q, 1, member_status_name(to));
	if (to == MEMBER_ACTIVE)
		db_bind_int64(q, 2, now);
	else
		db_bind_null(q, 2);
	db_bind_int64(q, 3, now);
	db_bind_int64(q, 4, group_id);
	db_bind_int64(q, 5, person_id);
	db_bind_text(q, 6, from_status);
	int rc = db_step(q);
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the change.");
	if (db_changes(d) != 1)
		return herr_set(e, ERR_CONFLICT, NULL, "%s", conflict_message);
	return 0;
}

int membership_leave(db *d, int64_t group_id, const struct actor *actor,
		     bool *ret_no_manager_left, herr *e)
{
	if (!actor || !actor->person_id)
		return herr_set(e, ERR_UNAUTH, NULL, "Please log in first.");
	int rc = begin_write(d, e);
	if (rc)
		return rc;
	struct standing st;
	int64_t managers_left = 1;
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc && st.is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL,
			      "This group is closed, so nothing in it changes any more.");
	if (!rc && st.status != MEMBER_ACTIVE && st.status != MEMBER_REQUESTED)
		rc = herr_set(e, ERR_CONFLICT, NULL, "You are not a member of this group.");
	bool was_manager = st.role == ROLE_FACILITATOR || st.role == ROLE_PEER_WORKER;
	if (!rc)
		rc = change_status(d, group_id, actor->person_id,
				   st.status == MEMBER_ACTIVE ? "active" : "requested", MEMBER_LEFT,
				   "You are not a member of this group.", e);
	if (!rc && was_manager)
		rc = count_managers(d, group_id, &managers_left, e);
	if ((rc = end_write(d, rc, e)))
		return rc;
	*ret_no_manager_left = was_manager && managers_left == 0;
	return 0;
}

static int answer_request(db *d, int64_t group_id, const struct actor *actor, int64_t person_id,
			  enum member_status to, herr *e)
{
	int rc = begin_write(d, e);
	if (rc)
		return rc;
	struct standing st;
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (!rc)
		rc = change_status(d, group_id, person_id, "requested", to,
				   "There is no request to join from this person waiting for an "
				   "answer: it may have been answered or withdrawn already.", e);
	return end_write(d, rc, e);
}

int membership_approve(db *d, int64_t group_id, const struct actor *actor,
		       int64_t person_id, herr *e)
{
	return answer_request(d, group_id, actor, person_id, MEMBER_ACTIVE, e);
}

int membership_decline(db *d, int64_t group_id, const struct actor *actor,
		       int64_t person_id, herr *e)
{
	return answer_request(d, group_id, actor, person_id, MEMBER_DECLINED, e);
}

int membership_add_without_account(db *d, int64_t group_id, const struct actor *actor,
				   const char *display_name, const char *pronouns,
				   const char *access_needs, int64_t *ret_person_id, herr *e)
{
	int rc = begin_write(d, e);
	if (rc)
		return rc;
	struct standing st;
	int64_t person_id = 0;
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (!rc)
		rc = person_create_without_account(d, display_name, pronouns, access_needs,
						   actor->person_id, &person_id, e);
	if (!rc)
		rc = save_membership(d, group_id, person_id, MEMBER_ACTIVE, NULL, e);
	if ((rc = end_write(d, rc, e)))
		return rc;
	*ret_person_id = person_id;
	return 0;
}

int membership_set_role(db *d, int64_t group_id, const struct actor *actor,
			int64_t person_id, const char *role, herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (rc)
		return rc;
	enum member_role r = member_role_parse(role);
	if (r == ROLE_NONE)
		return herr_set(e, ERR_INVALID, "role",
				"Choose a role in the group: member, facilitator or peer support worker.");
	if ((rc = begin_write(d, e)))
		return rc;
	db_stmt *q = db_prepare(d,
		"UPDATE membership SET role = ?, updated_at = ? "
		"WHERE group_id = ? AND person_id = ? AND status = 'active'");
	if (!q)
		return end_write(d, herr_set(e, ERR_DB, NULL, "Could not save the role."), e);
	db_bind_text(q, 1, member_role_name(r));
	db_bind_int64(q, 2, time_now_ms());
	db_bind_int64(q, 3, group_id);
	db_bind_int64(q, 4, person_id);
	rc = db_step(q);
	db_reset(q);
	if (rc < 0)
		rc = herr_set(e, rc, NULL, "Could not save the role.");
	else if (db_changes(d) != 1)
		rc = herr_set(e, ERR_NOTFOUND, NULL,
			      "That person is not a member of this group, so they cannot have a "
			      "role in it.");
	else
		rc = 0;
	return end_write(d, rc, e);
}

int membership_get(db *d, arena *a, const struct standing *st, const struct actor *actor,
		   int64_t person_id, struct member *ret, herr *e)
{
	bool self = actor && actor->person_id && actor->person_id == person_id;
	if (!self && !st->can_manage)
		return herr_set(e, ERR_DENIED, NULL,
				"Only this group's facilitators can see that.");
	db_stmt *q = db_prepare(d,
		"SELECT p.id, p.display_name, p.pronouns, m.role, m.status, "
		"p.email IS NOT NULL, m.message, p.access_needs, m.joined_at "
		"FROM membership m JOIN person p ON p.id = m.person_id "
		"WHERE m.group_id = ? AND m.person_id = ?");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the membership.");
	db_bind_int64(q, 1, st->group_id);
	db_bind_int64(q, 2, person_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		memset(ret, 0, sizeof *ret);
		ret->person_id = db_col_int64(q, 0);
		ret->display_name = arena_strdup(a, db_col_text(q, 1));
		ret->pronouns = arena_strdup(a, db_col_text(q, 2));
		ret->role = member_role_parse(db_col_text(q, 3));
		ret->status = status_parse(db_col_text(q, 4));
		ret->has_account = db_col_bool(q, 5);
		ret->message = arena_strdup(a, db_col_text(q, 6));
		ret->access_needs = st->can_manage ? arena_strdup(a, db_col_text(q, 7)) : NULL;
		ret->joined_at = db_col_int64(q, 8);
	}
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the membership.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "That person is not in this group.");
	return 0;
}

int membership_list_mine(db *d, arena *a, int64_t person_id, struct my_membership **ret,
			 size_t *ret_n, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT m.group_id, g.name, g.status, m.role, m.status, m.joined_at, m.updated_at, "
		"g.scheduled_until, g.next_meeting_at FROM membership m JOIN peer_group g ON g.id = m.group_id "
		"WHERE m.person_id = ? AND m.status IN ('active', 'requested') "
		"ORDER BY g.name, g.id LIMIT 500");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not list your groups.");
	db_bind_int64(q, 1, person_id);
	size_t n = 0, cap = 0;
	struct my_membership *list = NULL;
	int rc = 0;
	while ((list = arena_grow(a, list, n, &cap, sizeof *list)) &&
	       (rc = db_step(q)) == DB_ROW) {
		struct my_membership *m = &list[n++];
		m->group_id = db_col_int64(q, 0);
		m->group_name = arena_strdup(a, db_col_text(q, 1));
		m->group_status = arena_strdup(a, db_col_text(q, 2));
		m->status = status_parse(db_col_text(q, 4));
		m->role = m->status == MEMBER_ACTIVE ? member_role_parse(db_col_text(q, 3)) : ROLE_NONE;
		m->joined_at = db_col_int64(q, 5);
		m->asked_at = m->status == MEMBER_REQUESTED ? db_col_int64(q, 6) : 0;
		m->scheduled_until = db_col_int64(q, 7);
		m->next_meeting_at = db_col_int64(q, 8);
	}
	db_reset(q);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not list your groups.");
	*ret = list;
	*ret_n = n;
	return 0;
}
