/* session.c - starting, finding, listing and ending sessions, and the token
 * hashing and shape check that invitations and invite links share
 * (see session.h). */
#include "session.h"

#include "../base/ids.h"

#include <sodium.h>
#include <string.h>

#define TOUCH_INTERVAL_MS 60000

void session_hash_token(const char *token, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

bool session_hex_token_well_formed(const char *token, size_t chars)
{
	if (!token || strlen(token) != chars)
		return false;
	for (const char *p = token; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

bool session_token_well_formed(const char *token)
{
	return session_hex_token_well_formed(token, SESSION_TOKEN_CHARS);
}

int session_start(db *d, int64_t person_id, const char *ip, const char *user_agent,
		  char ret_token[SESSION_TOKEN_CHARS + 1], int64_t *ret_session_id, herr *e)
{
	char token[SESSION_TOKEN_CHARS + 1], hash[65];
	random_hex(token, SESSION_TOKEN_BYTES);
	session_hash_token(token, hash);
	db_stmt *st = db_prepare(d,
		"INSERT INTO session (id, person_id, token_hash, created_at, last_seen_at, "
		"user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not start a session.");
	int64_t id = id_new(), now = time_now_ms();
	char agent[201] = "";
	if (user_agent) {
		/* Enough to recognise the device in the list; not a fingerprint. */
		strncpy(agent, user_agent, sizeof agent - 1);
	}
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, person_id);
	db_bind_text(st, 3, hash);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, now);
	db_bind_text(st, 6, agent);
	db_bind_text(st, 7, ip);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not start a session.");
	memcpy(ret_token, token, sizeof token);
	sodium_memzero(token, sizeof token);
	*ret_session_id = id;
	return 0;
}

static bool past_limits(int64_t now, int64_t created, int64_t seen,
			const struct session_limits *lim)
{
	return now - seen > (int64_t)lim->idle_seconds * 1000 ||
	       now - created > (int64_t)lim->absolute_seconds * 1000;
}

static int end_by_id(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "UPDATE session SET ended_at = ? WHERE id = ? AND ended_at IS NULL");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, time_now_ms());
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int touch(db *d, int64_t id, int64_t now)
{
	db_stmt *st = db_prepare(d, "UPDATE session SET last_seen_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int session_resolve(db *d, arena *a, const char *token, const struct session_limits *lim,
		    struct session_user *ret, herr *e)
{
	if (!session_token_well_formed(token))
		return herr_set(e, ERR_UNAUTH, NULL, "Please log in.");
	char hash[65];
	session_hash_token(token, hash);
	db_stmt *st = db_prepare(d,
		"SELECT s.id, s.person_id, s.created_at, s.last_seen_at, p.is_admin, "
		"p.display_name, p.email, "
		"EXISTS (SELECT 1 FROM person_role r WHERE r.person_id = p.id AND r.role = 'coordinator') "
		"FROM session s JOIN person p ON p.id = s.person_id "
		"WHERE s.token_hash = ? AND s.ended_at IS NULL");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not check the session.");
	db_bind_text(st, 1, hash);
	int rc = db_step(st);
	int64_t created = 0, seen = 0;
	if (rc == DB_ROW) {
		ret->session_id = db_col_int64(st, 0);
		ret->person_id = db_col_int64(st, 1);
		created = db_col_int64(st, 2);
		seen = db_col_int64(st, 3);
		ret->is_admin = db_col_bool(st, 4);
		ret->display_name = arena_strdup(a, db_col_text(st, 5));
		ret->email = arena_strdup(a, db_col_text(st, 6));
		ret->is_coordinator = db_col_bool(st, 7);
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not check the session.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_UNAUTH, NULL, "Please log in.");
	int64_t now = time_now_ms();
	if (past_limits(now, created, seen, lim)) {
		end_by_id(d, ret->session_id);
		return herr_set(e, ERR_UNAUTH, NULL,
				"Your session ended after a time without activity. Please log in again.");
	}
	/* Touch often enough that a session in use never looks idle. */
	int64_t interval = (int64_t)lim->idle_seconds * 1000 / 4;
	if (interval > TOUCH_INTERVAL_MS)
		interval = TOUCH_INTERVAL_MS;
	if (now - seen >= interval && (rc = touch(d, ret->session_id, now)))
		return herr_set(e, rc, NULL, "Could not update the session.");
	return 0;
}

int session_end(db *d, int64_t person_id, int64_t session_id, herr *e)
{
	db_stmt *st = db_prepare(d,
		"UPDATE session SET ended_at = ? WHERE id = ? AND person_id = ? AND ended_at IS NULL");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not end the session.");
	db_bind_int64(st, 1, time_now_ms());
	db_bind_int64(st, 2, session_id);
	db_bind_int64(st, 3, person_id);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not end the session.");
	if (db_changes(d) == 0)
		return herr_set(e, ERR_NOTFOUND, NULL,
				"That session has already ended, or is not one of yours.");
	return 0;
}

int session_end_others(db *d, int64_t person_id, int64_t keep_id, herr *e)
{
	db_stmt *st = db_prepare(d,
		"UPDATE session SET ended_at = ? WHERE person_id = ? AND id <> ? AND ended_at IS NULL");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not end the other sessions.");
	db_bind_int64(st, 1, time_now_ms());
	db_bind_int64(st, 2, person_id);
	db_bind_int64(st, 3, keep_id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? herr_set(e, rc, NULL, "Could not end the other sessions.") : 0;
}

int session_list(db *d, arena *a, int64_t person_id, const struct session_limits *lim,
		 struct session_info **ret, size_t *ret_n, herr *e)
{
	int64_t now = time_now_ms();
	db_stmt *st = db_prepare(d,
		"SELECT id, created_at, last_seen_at, user_agent, ip FROM session "
		"WHERE person_id = ? AND ended_at IS NULL AND last_seen_at > ? AND created_at > ? "
		"ORDER BY id DESC LIMIT 100");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not list your sessions.");
	db_bind_int64(st, 1, person_id);
	db_bind_int64(st, 2, now - (int64_t)lim->idle_seconds * 1000);
	db_bind_int64(st, 3, now - (int64_t)lim->absolute_seconds * 1000);
	size_t n = 0, cap = 0;
	struct session_info *list = NULL;
	int rc = 0;
	while ((list = arena_grow(a, list, n, &cap, sizeof *list)) &&
	       (rc = db_step(st)) == DB_ROW) {
		struct session_info *s = &list[n++];
		s->id = db_col_int64(st, 0);
		s->person_id = person_id;
		s->created_at = db_col_int64(st, 1);
		s->last_seen_at = db_col_int64(st, 2);
		s->user_agent = arena_strdup(a, db_col_text(st, 3));
		s->ip = arena_strdup(a, db_col_text(st, 4));
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not list your sessions.");
	*ret = list;
	*ret_n = n;
	return 0;
}
