/* digest.c - a person's digest: grouping by group and thread, gathering
 * from the database, and when digests fall due (see digest.h). */
#include "digest.h"

#include "notification.h"
#include "outbox.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- grouping (pure) ------------------------------------------------------ */

static int by_group_then_time(const void *pa, const void *pb)
{
	const struct digest_item *a = *(const struct digest_item *const *)pa;
	const struct digest_item *b = *(const struct digest_item *const *)pb;
	int c = strcmp(a->group_name ? a->group_name : "", b->group_name ? b->group_name : "");
	if (c) return c;
	if (a->group_id != b->group_id) return a->group_id < b->group_id ? -1 : 1;
	if (a->created_at != b->created_at) return a->created_at < b->created_at ? -1 : 1;
	return a->post_id < b->post_id ? -1 : a->post_id > b->post_id;
}

/* Builds one group's threads from its items (sorted by time), in order of
 * each thread's first item. */
static int build_group(arena *a, const struct digest_item **items, size_t n, struct digest_group *g)
{
	g->group_id = items[0]->group_id;
	g->name = items[0]->group_name;
	g->n_posts = n;
	g->threads = arena_alloc(a, sizeof *g->threads * n);
	if (!g->threads)
		return ERR_NOMEM;
	g->n_threads = 0;
	for (size_t i = 0; i < n; i++) {
		struct digest_thread *t = NULL;
		for (size_t k = 0; k < g->n_threads && !t; k++)
			if (g->threads[k].thread_id == items[i]->thread_id)
				t = &g->threads[k];
		if (!t) {
			t = &g->threads[g->n_threads++];
			t->thread_id = items[i]->thread_id;
			t->title = items[i]->thread_title;
			t->n_items = 0;
			t->items = arena_alloc(a, sizeof *t->items * n);
			if (!t->items)
				return ERR_NOMEM;
		}
		t->items[t->n_items++] = items[i];
	}
	return 0;
}

int digest_build(arena *a, const struct digest_item *items, size_t n, struct digest *ret)
{
	memset(ret, 0, sizeof *ret);
	if (n == 0)
		return 0;
	const struct digest_item **sorted = arena_alloc(a, sizeof *sorted * n);
	ret->groups = arena_alloc(a, sizeof *ret->groups * n);
	if (!sorted || !ret->groups)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &items[i];
	qsort(sorted, n, sizeof *sorted, by_group_then_time);
	size_t start = 0;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && sorted[i]->group_id == sorted[start]->group_id)
			continue;
		int rc = build_group(a, sorted + start, i - start, &ret->groups[ret->n_groups++]);
		if (rc)
			return rc;
		start = i;
	}
	ret->n_posts = n;
	return 0;
}

/* ---- gathering ------------------------------------------------------------ */

int digest_gather(db *d, arena *a, int64_t person_id, const char *period, int64_t since,
		  int64_t until, struct digest_item **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT p.id, p.group_id, g.name, COALESCE(p.thread_id, p.id), COALESCE(t.title, p.title), "
		"p.kind, au.display_name, p.body_md, p.created_at "
		"FROM post p JOIN peer_group g ON g.id = p.group_id "
		"JOIN membership m ON m.group_id = p.group_id AND m.person_id = ? AND m.status = 'active' "
		"LEFT JOIN post t ON t.id = p.thread_id "
		"LEFT JOIN person au ON au.id = p.author_id "
		"LEFT JOIN notification_group_pref gp ON gp.person_id = m.person_id AND gp.group_id = p.group_id "
		"LEFT JOIN notification_pref np ON np.person_id = m.person_id "
		"WHERE COALESCE(gp.choice, np.choice, 'none') = ? "
		"AND p.created_at >= ? AND p.created_at < ? AND p.is_hidden = 0 "
		"AND (t.id IS NULL OR t.is_hidden = 0) "
		"AND (p.author_id IS NULL OR p.author_id <> ?) "
		"AND NOT EXISTS (SELECT 1 FROM post_mute mu WHERE mu.person_id = ? "
		"AND mu.post_id = COALESCE(p.thread_id, p.id)) "
		"ORDER BY p.created_at, p.id LIMIT 500");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "The digest could not be read.");
	db_bind_int64(st, 1, person_id);
	db_bind_text(st, 2, period);
	db_bind_int64(st, 3, since);
	db_bind_int64(st, 4, until);
	db_bind_int64(st, 5, person_id);
	db_bind_int64(st, 6, person_id);
	struct digest_item *list = arena_alloc(a, sizeof *list * DIGEST_ITEMS_MAX);
	size_t n = 0;
	int rc = list ? DB_DONE : ERR_NOMEM;
	while (list && n < DIGEST_ITEMS_MAX && (rc = db_step(st)) == DB_ROW) {
		struct digest_item *it = &list[n++];
		it->post_id = db_col_int64(st, 0);
		it->group_id = db_col_int64(st, 1);
		it->group_name = arena_strdup(a, db_col_text(st, 2));
		it->thread_id = db_col_int64(st, 3);
		it->thread_title = arena_strdup(a, db_col_text(st, 4) ? db_col_text(st, 4) : "");
		it->kind = arena_strdup(a, db_col_text(st, 5));
		it->author_name = arena_strdup(a, db_col_text(st, 6) ? db_col_text(st, 6)
								     : "Someone who has left");
		it->body_md = arena_strdup(a, db_col_text(st, 7));
		it->created_at = db_col_int64(st, 8);
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc == ERR_NOMEM ? ERR_NOMEM : ERR_DB, NULL, "The digest could not be read.");
	*ret = list;
	*ret_n = n;
	return 0;
}

/* ---- when ------------------------------------------------------------------ */

/* The local date "YYYY-MM-DD" days_back days before the local date of ms. */
static int local_date_back(int64_t ms, const char *zone, int days_back, char out[16])
{
	char today[16];
	if (schedule_format_local(ms, zone, "%Y-%m-%d", today, sizeof today))
		return ERR_INVALID;
	struct tm tm = { 0 };
	if (sscanf(today, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return ERR_INVALID;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	time_t t = timegm(&tm) - (time_t)days_back * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
	return 0;
}

static int local_hour_on(int64_t ms, const char *zone, int days_back, int hour, int64_t *ret)
{
	char date[16], local[32];
	if (local_date_back(ms, zone, days_back, date))
		return ERR_INVALID;
	snprintf(local, sizeof local, "%sT%02d:00", date, hour);
	herr e;
	herr_clear(&e);
	return schedule_local_to_utc(local, zone, ret, &e) ? ERR_INVALID : 0;
}

int digest_due_at(const char *period, int64_t now, const char *zone, int hour, int64_t *ret_ms)
{
	bool weekly = period && !strcmp(period, "weekly");
	int back = 0;
	if (weekly) {
		char wd[4];
		if (schedule_format_local(now, zone, "%u", wd, sizeof wd))
			return ERR_INVALID;
		back = atoi(wd) - 1;       /* days since Monday */
	}
	int64_t at;
	if (local_hour_on(now, zone, back, hour, &at))
		return ERR_INVALID;
	if (at > now && local_hour_on(now, zone, back + (weekly ? 7 : 1), hour, &at))
		return ERR_INVALID;
	*ret_ms = at;
	return 0;
}

struct window { int64_t person_id, daily_since, weekly_since; };

/* Queues one person's period digest for [since, until) when it holds a
 * post, and moves the window on; in one transaction. */
static int queue_one(db *d, const struct window *w, const char *period, int64_t since,
		     int64_t until, int64_t now, int *queued, herr *e)
{
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (db_begin_write(d)) {
		arena_free(a);
		return herr_set(e, ERR_DB, NULL, "The digest could not be queued.");
	}
	struct digest_item *items;
	size_t n = 0;
	int rc = digest_gather(d, a, w->person_id, period, since, until, &items, &n, e);
	if (!rc && n > 0) {
		struct outbox_item it = { .person_id = w->person_id, .kind = "digest", .period = period,
					  .since_at = since, .until_at = until };
		rc = outbox_enqueue(d, &it, now, e);
		if (!rc)
			(*queued)++;
	}
	if (!rc) {
		db_stmt *st = !strcmp(period, "daily")
			? db_prepare(d, "UPDATE notification_pref SET daily_since = ? WHERE person_id = ?")
			: db_prepare(d, "UPDATE notification_pref SET weekly_since = ? WHERE person_id = ?");
		if (!st) {
			rc = herr_set(e, ERR_DB, NULL, "The digest could not be queued.");
		} else {
			db_bind_int64(st, 1, until);
			db_bind_int64(st, 2, w->person_id);
			if (db_step(st) < 0)
				rc = herr_set(e, ERR_DB, NULL, "The digest could not be queued.");
			db_reset(st);
		}
	}
	arena_free(a);
	return db_finish(d, rc);
}

int digest_queue_due(db *d, int64_t now, const char *zone, int hour, bool force,
		     int *ret_queued, herr *e)
{
	*ret_queued = 0;
	if (!notification_delivery_on())
		return 0;
	int64_t due[2];
	if (digest_due_at("daily", now, zone, hour, &due[0]) ||
	    digest_due_at("weekly", now, zone, hour, &due[1]))
		return herr_set(e, ERR_INVALID, "time_zone", "The network's time zone is not one Hearth knows.");
	if (force)
		due[0] = due[1] = now;
	db_stmt *st = db_prepare(d,
		"SELECT np.person_id, np.daily_since, np.weekly_since FROM notification_pref np "
		"WHERE np.wants_digest = 1 AND (np.daily_since < ? OR np.weekly_since < ?) "
		"LIMIT 1000");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "The digests could not be read.");
	db_bind_int64(st, 1, due[0]);
	db_bind_int64(st, 2, due[1]);
	struct window *list = malloc(sizeof *list * 1000);
	size_t n = 0;
	int rc = list ? DB_DONE : ERR_NOMEM;
	while (list && (rc = db_step(st)) == DB_ROW)
		list[n++] = (struct window){ db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2) };
	db_reset(st);
	if (rc < 0) {
		free(list);
		return herr_set(e, ERR_DB, NULL, "The digests could not be read.");
	}
	rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if (list[i].daily_since < due[0])
			rc = queue_one(d, &list[i], "daily", list[i].daily_since, due[0], now, ret_queued, e);
		if (!rc && list[i].weekly_since < due[1])
			rc = queue_one(d, &list[i], "weekly", list[i].weekly_since, due[1], now, ret_queued, e);
	}
	free(list);
	return rc;
}
