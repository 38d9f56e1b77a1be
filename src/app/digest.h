/* digest.h - a person's daily or weekly digest (capability C4, clear
 * communication: "digests instead of floods"): what happened in their
 * groups since their last digest, grouped by group and, within a group, by
 * thread, so one busy conversation reads as one item with its replies.
 *
 * What goes in (digest_gather): posts and replies in the groups where the
 * person is an active member and their choice for that group is the
 * digest's period, made in the digest's window, not by the person, not
 * hidden, not in a hidden thread or one the person muted.
 *
 * When: a daily digest is due at a fixed local hour (default 08:00) in the
 * network's time zone; a weekly one at that hour on Mondays. */
#ifndef HEARTH_DIGEST_H
#define HEARTH_DIGEST_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_ITEMS_MAX 500     /* posts in one digest; the rest are counted */

struct digest_item {
	int64_t post_id;
	int64_t group_id;
	const char *group_name;
	int64_t thread_id;          /* the thread's opening post (itself for one) */
	const char *thread_title;
	const char *kind;           /* announcement, discussion, offer, ask, reply */
	const char *author_name;
	const char *body_md;
	int64_t created_at;
};

struct digest_thread {
	int64_t thread_id;
	const char *title;
	const struct digest_item **items;   /* oldest first */
	size_t n_items;
};

struct digest_group {
	int64_t group_id;
	const char *name;
	struct digest_thread *threads;      /* by first activity in the window */
	size_t n_threads;
	size_t n_posts;
};

struct digest {
	struct digest_group *groups;        /* by name, then id */
	size_t n_groups;
	size_t n_posts;
};

/* Groups items (any order) by group and thread, in the arena; items must
 * outlive ret. Pure: no database, no clock. */
int digest_build(arena *a, const struct digest_item *items, size_t n, struct digest *ret);

/* The posts person_id's period ("daily" or "weekly") digest holds for
 * [since, until), oldest first, at most DIGEST_ITEMS_MAX. */
int digest_gather(db *d, arena *a, int64_t person_id, const char *period, int64_t since,
		  int64_t until, struct digest_item **ret, size_t *ret_n, herr *e);

/* The latest moment at or before now when a period digest falls due: the
 * hour (0 to 23) on the local day (daily) or the local Monday (weekly) in
 * zone. ERR_INVALID for an unknown zone. */
int digest_due_at(const char *period, int64_t now, const char *zone, int hour, int64_t *ret_ms);

/* For everyone with a digest chosen whose window reaches a due moment (or,
 * with force, now): queues the digest in the outbox when it holds
 * something, and moves the window on. *ret_queued counts digests queued.
 * Does nothing while delivery is off (notification.h). */
int digest_queue_due(db *d, int64_t now, const char *zone, int hour, bool force,
		     int *ret_queued, herr *e);

#endif
