/* invitation.h - invitations to create an account, for networks that do not
 * allow open sign-up. An administrator makes one (optionally for one email
 * address); the link carries a random token, stored only as a hash, valid
 * for 14 days and for one account. */
#ifndef HEARTH_INVITATION_H
#define HEARTH_INVITATION_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <stdint.h>

#define INVITATION_TOKEN_CHARS 32
#define INVITATION_DAYS 14

struct invitation {
	int64_t id;
	const char *email;     /* NULL: anyone holding the link */
	int64_t created_at;
	int64_t expires_at;
	int64_t used_at;       /* 0 when unused */
};

/* Makes an invitation; writes the token (shown once) into ret_token. */
int invitation_create(db *d, arena *a, int64_t created_by, const char *email,
		      char ret_token[INVITATION_TOKEN_CHARS + 1], int64_t *ret_id, herr *e);
/* Finds a usable invitation for token: ERR_NOTFOUND when unknown, used or
 * expired. */
int invitation_find(db *d, arena *a, const char *token, struct invitation *ret, herr *e);
/* Marks the invitation used by person_id, inside the caller's transaction;
 * ERR_CONFLICT when someone used it first. */
int invitation_use(db *d, int64_t id, int64_t person_id, herr *e);
int invitation_list(db *d, arena *a, struct invitation **ret, size_t *ret_n, herr *e);

#endif
