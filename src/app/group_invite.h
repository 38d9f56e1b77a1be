/* group_invite.h - invite links to a group, for groups that welcome new
 * members by invitation (and, as a way round the waiting, for groups that
 * need approval).
 *
 * A facilitator makes a link /groups/{id}/join?invite=TOKEN. The token is
 * random (128 bits), shown once and stored only as its SHA-256 hash, like
 * account invitations (invitation.h). A link works until it expires
 * (GROUP_INVITE_DAYS by default), is revoked, or has been used max_uses
 * times (0: no limit). */
#ifndef HEARTH_GROUP_INVITE_H
#define HEARTH_GROUP_INVITE_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "membership.h"

#include <stdbool.h>
#include <stdint.h>

#define GROUP_INVITE_TOKEN_CHARS 32
#define GROUP_INVITE_DAYS 30
#define GROUP_INVITE_MAX_DAYS 365
#define GROUP_INVITE_MAX_USES 1000

struct group_invite {
	int64_t id;
	int64_t group_id;
	const char *created_by_name;   /* NULL when that person is gone */
	int64_t created_at;
	int64_t expires_at;
	int max_uses;                  /* 0: no limit */
	int uses;
	int64_t revoked_at;            /* 0 unless revoked */
};

/* Whether token has the shape of an invite token (it may still be unknown). */
bool group_invite_token_well_formed(const char *token);
/* Whether the link still lets people in at time now. */
bool group_invite_usable(const struct group_invite *v, int64_t now);

/* Makes an invite link to st's group, valid for days days (1 to
 * GROUP_INVITE_MAX_DAYS; 0 means GROUP_INVITE_DAYS) and max_uses uses (0 to
 * GROUP_INVITE_MAX_USES; 0: no limit). Managers only (st). Writes the token,
 * shown once, into ret_token. */
int group_invite_create(db *d, const struct standing *st, int64_t created_by, int days,
			int max_uses, char ret_token[GROUP_INVITE_TOKEN_CHARS + 1],
			int64_t *ret_id, herr *e);
/* Revokes invite_id of st's group: ERR_NOTFOUND when it is not one of the
 * group's, ERR_CONFLICT when already revoked. Managers only. */
int group_invite_revoke(db *d, const struct standing *st, int64_t invite_id, herr *e);
/* The group's invite links, newest first (at most 50), in the arena.
 * Managers only. */
int group_invite_list(db *d, arena *a, const struct standing *st,
		      struct group_invite **ret, size_t *ret_n, herr *e);

/* Checks token for group_id without using it: ERR_NOTFOUND (field
 * "invite") when it is malformed, unknown or for another group; ERR_DENIED
 * with a kind message when it has expired, was revoked or is used up. */
int group_invite_check(db *d, int64_t group_id, const char *token, int64_t *ret_id, herr *e);
/* Counts one use of invite_id, inside the caller's write transaction;
 * ERR_DENIED when it stopped being usable in the meantime. */
int group_invite_use(db *d, int64_t invite_id, herr *e);

#endif
