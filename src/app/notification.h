/* notification.h - how each person hears about their groups' conversation
 * (capability C4, clear communication), and who hears about a new post.
 *
 * A person chooses "every" (an email for each post), "daily" or "weekly"
 * (a digest), or "none"; a choice for one group overrides it there. Until
 * someone chooses, nothing is sent (privacy first: an email address given to
 * sign in is not consent to mail).
 *
 * Who hears about a new post, announcement or reply: the group's active
 * members (by membership standing; not people who left, asked or were
 * declined) whose choice there is "every", never its author, never someone
 * who muted the thread, never someone without an email address. With no
 * relay configured (notification_set_delivery(false), the default) nothing
 * is queued at all.
 *
 * The unsubscribe token in every email is an HMAC of the person's id and
 * its purpose under the server secret: it needs no sign-in and cannot be
 * forged or turned to another person. */
#ifndef HEARTH_NOTIFICATION_H
#define HEARTH_NOTIFICATION_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOTIFICATION_TOKEN_MAX 96   /* "<id>.<64 hex>" and its NUL */

/* "every", "daily", "weekly", "none". */
bool notification_choice_valid(const char *choice);
/* "Every post", "A daily digest", "A weekly digest", "Nothing". */
const char *notification_choice_label(const char *choice);

struct notification_group_choice {
	int64_t group_id;
	const char *group_name;
	const char *choice;        /* a choice, or "default" to follow the person's */
};

struct notification_prefs {
	const char *choice;        /* "none" until chosen */
	bool chosen;               /* the person has made a choice */
	struct notification_group_choice *groups;   /* their active groups, by name */
	size_t n_groups;
};

int notification_prefs_get(db *d, arena *a, int64_t person_id, struct notification_prefs *ret,
			   herr *e);
/* Sets the actor's own choice (field "choice"); ERR_INVALID naming it when
 * it is not one of the four. */
int notification_set_choice(db *d, const struct actor *actor, const char *choice, herr *e);
/* Sets the actor's choice for one group they are an active member of
 * ("default" removes it). ERR_NOTFOUND for no such group, ERR_DENIED when
 * not a member, ERR_INVALID naming "choice". */
int notification_set_group_choice(db *d, const struct actor *actor, int64_t group_id,
				  const char *choice, herr *e);
/* Everything to "none" for person_id: their choice and every group's.
 * ERR_NOTFOUND when the account is gone. */
int notification_unsubscribe(db *d, int64_t person_id, herr *e);

/* The token for person_id's unsubscribe link. */
void notification_token(const unsigned char secret[32], int64_t person_id,
			char out[NOTIFICATION_TOKEN_MAX]);
/* Whether token is one notification_token made; fills *ret_person_id. */
bool notification_token_check(const unsigned char secret[32], const char *token,
			      int64_t *ret_person_id);

/* Whether email is queued at all (a relay is configured). Process-wide. */
void notification_set_delivery(bool on);
bool notification_delivery_on(void);

/* Queues an email for each person who hears about post_id (in group_id,
 * thread thread_id or 0 for a new thread, written by author_id), inside the
 * caller's write transaction. Does nothing when delivery is off. */
int notification_post_created(db *d, int64_t post_id, int64_t group_id, int64_t thread_id,
			      int64_t author_id, herr *e);
/* Whether person_id still hears about every post in group_id's thread
 * thread_id (for the mailer, at the time it sends). */
bool notification_hears_every(db *d, int64_t person_id, int64_t group_id, int64_t thread_id);

#endif
