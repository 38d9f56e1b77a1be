/* moderation.h - safety in conversation (capability C8): anyone who can
 * see a post reports it with a reason; the group's managers (and
 * coordinators, for every group) see reported posts in a moderation queue
 * and act on a post: hide, restore, lock (no more replies) or unlock. Every
 * action is reversible and recorded with who took it, when and why (a
 * reason is required); an action closes the post's open reports.
 *
 * Refusals change nothing: a reason that is empty or over 500 characters
 * (ERR_INVALID), a reader who cannot see the post (ERR_DENIED), an action
 * by someone who does not manage the group (ERR_DENIED), an action that
 * changes nothing, such as hiding a hidden post or locking a reply
 * (ERR_CONFLICT), anything in a closed group (ERR_CONFLICT). Reporters are
 * not named in the queue: people report more freely when it is safe to. */
#ifndef HEARTH_MODERATION_H
#define HEARTH_MODERATION_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"
#include "post.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MODERATION_REASON_MAX 500    /* characters */
#define MODERATION_QUEUE_MAX 200     /* open reports listed */
#define MODERATION_LOG_MAX 50        /* recent actions listed */

/* One open report, with the post it is about. */
struct moderation_report {
	int64_t id;
	const char *reason;
	int64_t created_at;
	struct post post;
	const char *group_name;
};

/* One recorded action. */
struct moderation_entry {
	int64_t post_id;
	int64_t group_id;
	const char *action;       /* hide, restore, lock, unlock */
	const char *reason;
	const char *actor_name;
	int64_t created_at;
};

struct moderation_queue {
	int64_t group_id;         /* 0 for the whole network */
	const char *group_name;   /* "" for the whole network */
	struct moderation_report *reports;   /* oldest first */
	size_t n_reports;
	struct moderation_entry *log;        /* newest first */
	size_t n_log;
};

/* True for hide, restore, lock and unlock. */
bool moderation_action_valid(const char *action);

/* The actor reports post_id (field reason). */
int moderation_report(db *d, const struct actor *actor, int64_t post_id, const char *reason,
		      int64_t *ret_id, herr *e);
/* A manager of the post's group takes action on it (fields action, reason). */
int moderation_act(db *d, const struct actor *actor, int64_t post_id, const char *action,
		   const char *reason, herr *e);
/* The queue of group_id, for its managers. */
int moderation_queue_group(db *d, arena *a, const struct actor *actor, int64_t group_id,
			   struct moderation_queue *ret, herr *e);
/* The queue of every group, for coordinators and admins. */
int moderation_queue_network(db *d, arena *a, const struct actor *actor,
			     struct moderation_queue *ret, herr *e);

#endif
