/* outbox.c - email waiting to be sent: enqueue, claim, mark done or failed
 * with backoff (see outbox.h). */
#include "outbox.h"

#include "../base/ids.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

static int db_failed(herr *e)
{
	return herr_set(e, ERR_DB, NULL, "The outbox could not be read or saved.");
}

int outbox_enqueue(db *d, const struct outbox_item *item, int64_t now, herr *e)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO mail_outbox (id, person_id, kind, post_id, period, since_at, until_at, "
		"status, attempts, next_attempt_at, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)");
	if (!st)
		return db_failed(e);
	bool post = !strcmp(item->kind, "post");
	db_bind_int64(st, 1, id_new());
	db_bind_int64(st, 2, item->person_id);
	db_bind_text(st, 3, post ? "post" : "digest");
	if (post) {
		db_bind_int64(st, 4, item->post_id);
		db_bind_null(st, 5);
		db_bind_null(st, 6);
		db_bind_null(st, 7);
	} else {
		db_bind_null(st, 4);
		db_bind_text(st, 5, item->period);
		db_bind_int64(st, 6, item->since_at);
		db_bind_int64(st, 7, item->until_at);
	}
	db_bind_int64(st, 8, now);
	db_bind_int64(st, 9, now);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

/* Takes row id for the lease unless another mailer took it first: true
 * when this caller now holds it. */
static int take(db *d, int64_t id, int64_t now, int64_t lease_ms, bool *ret_taken)
{
	db_stmt *st = db_prepare(d,
		"UPDATE mail_outbox SET status = 'sending', next_attempt_at = ? "
		"WHERE id = ? AND status IN ('pending', 'sending') AND next_attempt_at <= ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, now + lease_ms);
	db_bind_int64(st, 2, id);
	db_bind_int64(st, 3, now);
	int rc = db_step(st);
	db_reset(st);
	*ret_taken = rc >= 0 && db_changes(d) == 1;
	return rc < 0 ? rc : 0;
}

int outbox_claim(db *d, arena *a, int64_t now, int64_t lease_ms, size_t max,
		 struct outbox_item **ret, size_t *ret_n, herr *e)
{
	if (max > OUTBOX_CLAIM_MAX)
		max = OUTBOX_CLAIM_MAX;
	struct outbox_item *list = arena_alloc(a, sizeof *list * (max ? max : 1));
	size_t n = 0;
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	/* Candidates first, without a transaction, so an idle poll never takes
	 * SQLite's write lock; take() then claims each one only if no other
	 * mailer did meanwhile. */
	db_stmt *st = db_prepare(d,
		"SELECT id, person_id, kind, post_id, period, since_at, until_at, attempts "
		"FROM mail_outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? "
		"ORDER BY next_attempt_at, id LIMIT 20");
	int rc = st ? 0 : ERR_DB;
	if (st) {
		db_bind_int64(st, 1, now);
		while (n < max && (rc = db_step(st)) == DB_ROW) {
			struct outbox_item *it = &list[n++];
			it->id = db_col_int64(st, 0);
			it->person_id = db_col_int64(st, 1);
			it->kind = arena_strdup(a, db_col_text(st, 2));
			it->post_id = db_col_int64(st, 3);
			it->period = db_col_text(st, 4) ? arena_strdup(a, db_col_text(st, 4)) : NULL;
			it->since_at = db_col_int64(st, 5);
			it->until_at = db_col_int64(st, 6);
			it->attempts = (int)db_col_int64(st, 7);
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc || n == 0) {
		*ret = list;
		*ret_n = 0;
		return rc ? db_failed(e) : 0;
	}
	if (db_begin_write(d))
		return db_failed(e);
	size_t kept = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		bool taken = false;
		rc = take(d, list[i].id, now, lease_ms, &taken);
		if (taken)
			list[kept++] = list[i];
	}
	if (db_finish(d, rc))
		return db_failed(e);
	*ret = list;
	*ret_n = kept;
	return 0;
}

int outbox_mark_done(db *d, int64_t id, const char *status, long reply, int64_t now, herr *e)
{
	db_stmt *st = db_prepare(d,
		"UPDATE mail_outbox SET status = ?, last_reply = ?, done_at = ?, attempts = attempts + 1 "
		"WHERE id = ?");
	if (!st)
		return db_failed(e);
	db_bind_text(st, 1, !strcmp(status, "sent") ? "sent" : "skipped");
	db_bind_int64(st, 2, reply);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

int64_t outbox_backoff_ms(int attempt, int64_t base_ms)
{
	if (attempt < 1)
		attempt = 1;
	if (base_ms < 1)
		base_ms = 1;
	int64_t wait = base_ms;
	for (int i = 1; i < attempt && wait < OUTBOX_BACKOFF_CAP_MS; i++)
		wait *= 2;
	return wait < OUTBOX_BACKOFF_CAP_MS ? wait : OUTBOX_BACKOFF_CAP_MS;
}

int outbox_mark_failed(db *d, const struct outbox_item *item, long reply, int64_t now,
		       int64_t base_ms, int max_attempts, bool *ret_gave_up, int64_t *ret_next_at,
		       herr *e)
{
	int attempt = item->attempts + 1;
	bool give_up = attempt >= max_attempts;
	int64_t next = now + outbox_backoff_ms(attempt, base_ms);
	db_stmt *st = db_prepare(d,
		"UPDATE mail_outbox SET status = ?, attempts = ?, last_reply = ?, next_attempt_at = ?, "
		"done_at = ? WHERE id = ?");
	if (!st)
		return db_failed(e);
	db_bind_text(st, 1, give_up ? "failed" : "pending");
	db_bind_int64(st, 2, attempt);
	db_bind_int64(st, 3, reply);
	db_bind_int64(st, 4, give_up ? now : next);
	if (give_up)
		db_bind_int64(st, 5, now);
	else
		db_bind_null(st, 5);
	db_bind_int64(st, 6, item->id);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return db_failed(e);
	*ret_gave_up = give_up;
	*ret_next_at = give_up ? 0 : next;
	return 0;
}

int outbox_count(db *d, struct outbox_counts *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	db_stmt *st = db_prepare(d, "SELECT status, COUNT(*) FROM mail_outbox GROUP BY status");
	if (!st)
		return db_failed(e);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *s = db_col_text(st, 0);
		int64_t n = db_col_int64(st, 1);
		if (!strcmp(s, "sent")) ret->sent += n;
		else if (!strcmp(s, "skipped")) ret->skipped += n;
		else if (!strcmp(s, "failed")) ret->failed += n;
		else ret->pending += n;
	}
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

/* ---- waking the mailer ------------------------------------------------ */

static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond = PTHREAD_COND_INITIALIZER;
static bool wake_pending;

void outbox_wake(void)
{
	pthread_mutex_lock(&wake_lock);
	wake_pending = true;
	pthread_cond_broadcast(&wake_cond);
	pthread_mutex_unlock(&wake_lock);
}

void outbox_wait(int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&wake_lock);
	while (!wake_pending)
		if (pthread_cond_timedwait(&wake_cond, &wake_lock, &until))
			break;
	wake_pending = false;
	pthread_mutex_unlock(&wake_lock);
}
