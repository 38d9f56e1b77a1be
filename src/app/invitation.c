/* invitation.c - making, finding and using invitations (see invitation.h). */
#include "invitation.h"

#include "../base/ids.h"
#include "person.h"
#include "session.h"

#include <string.h>

int invitation_create(db *d, arena *a, int64_t created_by, const char *email,
		      char ret_token[INVITATION_TOKEN_CHARS + 1], int64_t *ret_id, herr *e)
{
	const char *norm = NULL;
	int rc;
	if (email && *email && (rc = person_normalise_email(a, email, &norm, e)))
		return rc;
	char token[INVITATION_TOKEN_CHARS + 1], hash[65];
	random_hex(token, INVITATION_TOKEN_CHARS / 2);
	session_hash_token(token, hash);
	db_stmt *st = db_prepare(d,
		"INSERT INTO invitation (id, token_hash, email, created_by, created_at, expires_at) "
		"VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not save the invitation.");
	int64_t id = id_new(), now = time_now_ms();
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, norm);
	if (created_by)
		db_bind_int64(st, 4, created_by);
	else
		db_bind_null(st, 4);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, now + (int64_t)INVITATION_DAYS * 86400 * 1000);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the invitation.");
	memcpy(ret_token, token, sizeof token);
	*ret_id = id;
	return 0;
}

int invitation_find(db *d, arena *a, const char *token, struct invitation *ret, herr *e)
{
	static const char gone[] = "This invitation link is not valid: it may have been used "
				   "already or have expired. Ask the person who sent it for a new one.";
	if (!session_hex_token_well_formed(token, INVITATION_TOKEN_CHARS))
		return herr_set(e, ERR_NOTFOUND, "invite", gone);
	char hash[65];
	session_hash_token(token, hash);
	db_stmt *st = db_prepare(d,
		"SELECT id, email, created_at, expires_at FROM invitation "
		"WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not check the invitation.");
	db_bind_text(st, 1, hash);
	db_bind_int64(st, 2, time_now_ms());
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->id = db_col_int64(st, 0);
		ret->email = arena_strdup(a, db_col_text(st, 1));
		ret->created_at = db_col_int64(st, 2);
		ret->expires_at = db_col_int64(st, 3);
		ret->used_at = 0;
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not check the invitation.");
	return rc == DB_ROW ? 0 : herr_set(e, ERR_NOTFOUND, "invite", gone);
}

int invitation_use(db *d, int64_t id, int64_t person_id, herr *e)
{
	db_stmt *st = db_prepare(d,
		"UPDATE invitation SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not use the invitation.");
	db_bind_int64(st, 1, time_now_ms());
	db_bind_int64(st, 2, person_id);
	db_bind_int64(st, 3, id);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not use the invitation.");
	if (db_changes(d) != 1)
		return herr_set(e, ERR_CONFLICT, "invite", "This invitation has just been used.");
	return 0;
}

int invitation_list(db *d, arena *a, struct invitation **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, email, created_at, expires_at, used_at FROM invitation "
		"ORDER BY id DESC LIMIT 50");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not list invitations.");
	struct invitation *list = arena_alloc(a, 50 * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < 50 && (rc = db_step(st)) == DB_ROW) {
		struct invitation *v = &list[n++];
		v->id = db_col_int64(st, 0);
		v->email = arena_strdup(a, db_col_text(st, 1));
		v->created_at = db_col_int64(st, 2);
		v->expires_at = db_col_int64(st, 3);
		v->used_at = db_col_int64(st, 4);
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not list invitations.");
	*ret = list;
	*ret_n = n;
	return 0;
}
