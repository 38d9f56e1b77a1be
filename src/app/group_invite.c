/* group_invite.c - making, checking, using and revoking invite links to a
 * group (see group_invite.h). */
#include "group_invite.h"

#include "../base/ids.h"
#include "session.h"

#include <string.h>

#define DAY_MS ((int64_t)86400 * 1000)

static const char not_valid[] =
	"This invite link is not valid. Check that the whole link was copied, or ask "
	"the group's facilitator for a new one.";

bool group_invite_usable(const struct group_invite *v, int64_t now)
{
	return !v->revoked_at && v->expires_at > now && (v->max_uses == 0 || v->uses < v->max_uses);
}

bool group_invite_token_well_formed(const char *token)
{
	return session_hex_token_well_formed(token, GROUP_INVITE_TOKEN_CHARS);
}

int group_invite_create(db *d, const struct standing *st, int64_t created_by, int days,
			int max_uses, char ret_token[GROUP_INVITE_TOKEN_CHARS + 1],
			int64_t *ret_id, herr *e)
{
	int rc = membership_require_manager(st, e);
	if (rc)
		return rc;
	if (days == 0)
		days = GROUP_INVITE_DAYS;
	if (days < 1 || days > GROUP_INVITE_MAX_DAYS)
		return herr_set(e, ERR_INVALID, "expires_days",
				"A link can last from 1 to %d days.", GROUP_INVITE_MAX_DAYS);
	if (max_uses < 0 || max_uses > GROUP_INVITE_MAX_USES)
		return herr_set(e, ERR_INVALID, "max_uses",
				"The number of uses can be from 1 to %d, or left empty for no limit.",
				GROUP_INVITE_MAX_USES);
	char token[GROUP_INVITE_TOKEN_CHARS + 1], hash[65];
	random_hex(token, GROUP_INVITE_TOKEN_CHARS / 2);
	session_hash_token(token, hash);
	db_stmt *q = db_prepare(d,
		"INSERT INTO group_invite (id, group_id, token_hash, created_by, created_at, "
		"expires_at, max_uses, uses) VALUES (?, ?, ?, ?, ?, ?, ?, 0)");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not save the invite link.");
	int64_t id = id_new(), now = time_now_ms();
	db_bind_int64(q, 1, id);
	db_bind_int64(q, 2, st->group_id);
	db_bind_text(q, 3, hash);
	if (created_by)
		db_bind_int64(q, 4, created_by);
	else
		db_bind_null(q, 4);
	db_bind_int64(q, 5, now);
	db_bind_int64(q, 6, now + days * DAY_MS);
	db_bind_int64(q, 7, max_uses);
	rc = db_step(q);
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the invite link.");
	memcpy(ret_token, token, sizeof token);
	*ret_id = id;
	return 0;
}

int group_invite_revoke(db *d, const struct standing *st, int64_t invite_id, herr *e)
{
	int rc = membership_require_manager(st, e);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d,
		"SELECT revoked_at FROM group_invite WHERE id = ? AND group_id = ?");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the invite link.");
	db_bind_int64(q, 1, invite_id);
	db_bind_int64(q, 2, st->group_id);
	rc = db_step(q);
	bool revoked = rc == DB_ROW && !db_col_is_null(q, 0);
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the invite link.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "This group has no such invite link.");
	if (revoked)
		return herr_set(e, ERR_CONFLICT, NULL, "This invite link was already revoked.");
	q = db_prepare(d,
		"UPDATE group_invite SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not revoke the invite link.");
	db_bind_int64(q, 1, time_now_ms());
	db_bind_int64(q, 2, invite_id);
	rc = db_step(q);
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not revoke the invite link.");
	if (db_changes(d) != 1)
		return herr_set(e, ERR_CONFLICT, NULL, "This invite link was already revoked.");
	return 0;
}

int group_invite_list(db *d, arena *a, const struct standing *st,
		      struct group_invite **ret, size_t *ret_n, herr *e)
{
	if (!st->can_manage)
		return herr_set(e, ERR_DENIED, NULL,
				"Only this group's facilitators can see its invite links.");
	db_stmt *q = db_prepare(d,
		"SELECT i.id, i.group_id, p.display_name, i.created_at, i.expires_at, "
		"i.max_uses, i.uses, i.revoked_at "
		"FROM group_invite i LEFT JOIN person p ON p.id = i.created_by "
		"WHERE i.group_id = ? ORDER BY i.id DESC LIMIT 50");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not list the invite links.");
	db_bind_int64(q, 1, st->group_id);
	struct group_invite *list = arena_alloc(a, 50 * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < 50 && (rc = db_step(q)) == DB_ROW) {
		struct group_invite *v = &list[n++];
		v->id = db_col_int64(q, 0);
		v->group_id = db_col_int64(q, 1);
		v->created_by_name = arena_strdup(a, db_col_text(q, 2));
		v->created_at = db_col_int64(q, 3);
		v->expires_at = db_col_int64(q, 4);
		v->max_uses = (int)db_col_int64(q, 5);
		v->uses = (int)db_col_int64(q, 6);
		v->revoked_at = db_col_int64(q, 7);
	}
	db_reset(q);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not list the invite links.");
	*ret = list;
	*ret_n = n;
	return 0;
}

int group_invite_check(db *d, int64_t group_id, const char *token, int64_t *ret_id, herr *e)
{
	if (!group_invite_token_well_formed(token))
		return herr_set(e, ERR_NOTFOUND, "invite", not_valid);
	char hash[65];
	session_hash_token(token, hash);
	db_stmt *q = db_prepare(d,
		"SELECT id, group_id, expires_at, max_uses, uses, revoked_at "
		"FROM group_invite WHERE token_hash = ?");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not check the invite link.");
	db_bind_text(q, 1, hash);
	int rc = db_step(q);
	struct group_invite v = { 0 };
	if (rc == DB_ROW) {
		v.id = db_col_int64(q, 0);
		v.group_id = db_col_int64(q, 1);
		v.expires_at = db_col_int64(q, 2);
		v.max_uses = (int)db_col_int64(q, 3);
		v.uses = (int)db_col_int64(q, 4);
		v.revoked_at = db_col_int64(q, 5);
	}
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not check the invite link.");
	if (rc == DB_DONE || v.group_id != group_id)
		return herr_set(e, ERR_NOTFOUND, "invite", not_valid);
	if (v.revoked_at)
		return herr_set(e, ERR_DENIED, "invite",
				"This invite link has been withdrawn by the group's facilitators. "
				"If you would still like to join, ask them for a new one.");
	if (v.expires_at <= time_now_ms())
		return herr_set(e, ERR_DENIED, "invite",
				"This invite link has expired. If you would still like to join, "
				"ask the group's facilitator for a new one.");
	if (v.max_uses && v.uses >= v.max_uses)
		return herr_set(e, ERR_DENIED, "invite",
				"This invite link has been used as many times as it allows. "
				"Ask the group's facilitator for a new one.");
	*ret_id = v.id;
	return 0;
}

int group_invite_use(db *d, int64_t invite_id, herr *e)
{
	db_stmt *q = db_prepare(d,
		"UPDATE group_invite SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL "
		"AND expires_at > ? AND (max_uses = 0 OR uses < max_uses)");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not use the invite link.");
	db_bind_int64(q, 1, invite_id);
	db_bind_int64(q, 2, time_now_ms());
	int rc = db_step(q);
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not use the invite link.");
	if (db_changes(d) != 1)
		return herr_set(e, ERR_DENIED, "invite",
				"This invite link has just stopped working (it was used up, withdrawn "
				"or expired). Ask the group's facilitator for a new one.");
	return 0;
}
