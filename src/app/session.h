/* session.h - signed-in sessions (OWASP ASVS 3).
 *
 * A session is a 256-bit random token given to the browser in a cookie; the
 * database keeps only its SHA-256 hash, so a copy of the database does not
 * sign anyone in. A session ends at logout, when its owner ends it, after the
 * idle limit (no request for 30 minutes by default) or the absolute limit
 * (12 hours by default). */
#ifndef HEARTH_SESSION_H
#define HEARTH_SESSION_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>
#include <stdint.h>

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_CHARS (2 * SESSION_TOKEN_BYTES)

struct session_limits {
	int idle_seconds;
	int absolute_seconds;
};

struct session_info {
	int64_t id;
	int64_t person_id;
	int64_t created_at;
	int64_t last_seen_at;
	const char *user_agent;
	const char *ip;
};

/* The signed-in person behind a live session. */
struct session_user {
	int64_t session_id;
	int64_t person_id;
	bool is_admin;
	bool is_coordinator;        /* holds the network's coordinator role */
	const char *display_name;
	const char *email;
};

/* Starts a session; writes the token (SESSION_TOKEN_CHARS hex + NUL) that
 * only the browser will hold. */
int session_start(db *d, int64_t person_id, const char *ip, const char *user_agent,
		  char ret_token[SESSION_TOKEN_CHARS + 1], int64_t *ret_session_id, herr *e);
/* Finds the live session for token, or ERR_UNAUTH when there is none, it has
 * ended or it is past a limit (then it is ended). Notes the request time,
 * at most once a minute to spare the database writes. */
int session_resolve(db *d, arena *a, const char *token, const struct session_limits *lim,
		    struct session_user *ret, herr *e);
/* Ends one of person_id's sessions; ERR_NOTFOUND if it is not theirs or has
 * already ended. */
int session_end(db *d, int64_t person_id, int64_t session_id, herr *e);
/* Ends all of person_id's sessions but keep_id (0 ends them all). */
int session_end_others(db *d, int64_t person_id, int64_t keep_id, herr *e);
/* The live sessions of person_id, newest first, in the arena. */
int session_list(db *d, arena *a, int64_t person_id, const struct session_limits *lim,
		 struct session_info **ret, size_t *ret_n, herr *e);
/* Hashes a token for storage or lookup: 64 hex chars + NUL. Account
 * invitations and group invite links store their tokens the same way. */
void session_hash_token(const char *token, char out[65]);
/* Whether token is exactly chars lowercase hex digits, the shape of every
 * token Hearth makes (sessions, invitations, invite links); one of that
 * shape may still be unknown. */
bool session_hex_token_well_formed(const char *token, size_t chars);
/* Whether token has the shape of a session token. */
bool session_token_well_formed(const char *token);

#endif
