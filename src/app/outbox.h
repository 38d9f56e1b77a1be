/* outbox.h - email waiting to be sent (capability C4, clear
 * communication). A row is an intention, "tell person P about post X" or
 * "send P their daily digest for this window", not a message: the mailer
 * (mailer.h) composes the text when it sends, so no body or address is
 * stored here. Requests only enqueue; they never wait on the relay.
 *
 * A mailer claims due rows (pending, or sending with an expired lease, so
 * a crashed sender's rows come back), sends them, and marks each sent or
 * failed; a failure waits outbox_backoff_ms() before the next attempt, and
 * after max_attempts the row is given up (status failed). Several mailers
 * (several web nodes) may run at once: a row is claimed by one only. */
#ifndef HEARTH_OUTBOX_H
#define HEARTH_OUTBOX_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTBOX_CLAIM_MAX 20          /* rows claimed at once */
#define OUTBOX_BACKOFF_CAP_MS (6LL * 3600 * 1000)

struct outbox_item {
	int64_t id;
	int64_t person_id;
	const char *kind;       /* "post" or "digest" */
	int64_t post_id;        /* kind post */
	const char *period;     /* kind digest: "daily" or "weekly" */
	int64_t since_at, until_at;   /* kind digest: the window, Unix ms */
	int attempts;           /* made before this one */
};

/* Adds a row due now. For kind "post" give post_id; for "digest" period,
 * since_at and until_at. Joins the caller's transaction if one is open. */
int outbox_enqueue(db *d, const struct outbox_item *item, int64_t now, herr *e);

/* Claims up to max due rows for lease_ms (their next_attempt_at moves to
 * now + lease_ms, status sending), in the arena. */
int outbox_claim(db *d, arena *a, int64_t now, int64_t lease_ms, size_t max,
		 struct outbox_item **ret, size_t *ret_n, herr *e);

/* status "sent" or "skipped" (nothing left to say), with the relay's reply
 * code (0 when none). */
int outbox_mark_done(db *d, int64_t id, const char *status, long reply, int64_t now, herr *e);

/* Records a failed attempt (the item's attempts + 1). When that makes
 * max_attempts the row is given up (*ret_gave_up true, status failed);
 * otherwise it is pending again at now + outbox_backoff_ms(attempt, base),
 * written to *ret_next_at. */
int outbox_mark_failed(db *d, const struct outbox_item *item, long reply, int64_t now,
		       int64_t base_ms, int max_attempts, bool *ret_gave_up, int64_t *ret_next_at,
		       herr *e);

/* The wait after failed attempt number attempt (1, 2, ...): base_ms,
 * then doubling, at most OUTBOX_BACKOFF_CAP_MS. */
int64_t outbox_backoff_ms(int attempt, int64_t base_ms);

/* Rows by status, for tests and operators: counts of pending (with
 * sending), sent, skipped and failed. */
struct outbox_counts { int64_t pending, sent, skipped, failed; };
int outbox_count(db *d, struct outbox_counts *ret, herr *e);

/* Wakes a mailer waiting in outbox_wait (after a commit that enqueued). */
void outbox_wake(void);
/* Waits up to ms or until outbox_wake(); for the mailer thread. */
void outbox_wait(int ms);

#endif
