/* moderation.c - reports of posts, the moderation queue and the actions
 * (hide, restore, lock, unlock) with their audit rows. See moderation.h
 * for the rules. */
#include "moderation.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <ctype.h>
#include <string.h>

bool moderation_action_valid(const char *action)
{
	return action && (!strcmp(action, "hide") || !strcmp(action, "restore") ||
			  !strcmp(action, "lock") || !strcmp(action, "unlock"));
}

static int db_failed(herr *e)
{
	return herr_set(e, ERR_DB, NULL, "Moderation could not be read or saved; please try again.");
}

static int check_reason(const char *s, const char *label, herr *e)
{
	size_t n = s ? strlen(s) : 0;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return herr_set(e, ERR_INVALID, "reason", "Enter %s.", label);
	if (!utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, "reason",
				"What was sent for %s holds characters that cannot be accepted.", label);
	if (utf8_length(s, n) > MODERATION_REASON_MAX)
		return herr_set(e, ERR_INVALID, "reason", "Please keep %s to %d characters or fewer.",
				label, MODERATION_REASON_MAX);
	return 0;
}

static int run_write(db_stmt *st, herr *e)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

int moderation_report(db *d, const struct actor *actor, int64_t post_id, const char *reason,
		      int64_t *ret_id, herr *e)
{
	int rc = check_reason(reason, "why you are reporting this post", e);
	if (rc)
		return rc;
	arena *a = arena_new(1024);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct post p;
	struct standing st;
	int64_t id = id_new();
	rc = db_begin_write(d);
	if (rc) {
		arena_free(a);
		return db_failed(e);
	}
	rc = post_locate(d, a, actor, post_id, &p, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (!rc && st.is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL, "This group is closed: its posts can no longer be reported.");
	if (!rc) {
		db_stmt *s = db_prepare(d, "INSERT INTO post_report (id, post_id, group_id, reporter_id, "
					   "reason, is_open, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
		if (!s) {
			rc = db_failed(e);
		} else {
			db_bind_int64(s, 1, id);
			db_bind_int64(s, 2, post_id);
			db_bind_int64(s, 3, p.group_id);
			db_bind_int64(s, 4, actor->person_id);
			db_bind_text(s, 5, reason);
			db_bind_int64(s, 6, time_now_ms());
			rc = run_write(s, e);
		}
	}
	arena_free(a);
	rc = db_finish(d, rc);
	if (!rc && ret_id)
		*ret_id = id;
	return rc;
}

/* Whether action would change p; ERR_CONFLICT saying why not. */
static int check_action_applies(const struct post *p, const char *action, herr *e)
{
	if (!strcmp(action, "hide") && p->is_hidden)
		return herr_set(e, ERR_CONFLICT, "action", "This post is already hidden.");
	if (!strcmp(action, "restore") && !p->is_hidden)
		return herr_set(e, ERR_CONFLICT, "action", "This post is not hidden: there is nothing to restore.");
	if ((!strcmp(action, "lock") || !strcmp(action, "unlock")) && p->thread_id)
		return herr_set(e, ERR_CONFLICT, "action", "Only a whole thread can be locked or unlocked.");
	if (!strcmp(action, "lock") && p->is_locked)
		return herr_set(e, ERR_CONFLICT, "action", "This thread is already locked.");
	if (!strcmp(action, "unlock") && !p->is_locked)
		return herr_set(e, ERR_CONFLICT, "action", "This thread is not locked.");
	return 0;
}

static int apply_action(db *d, int64_t post_id, const char *action, int64_t now, herr *e)
{
	db_stmt *s;
	if (!strcmp(action, "hide") || !strcmp(action, "restore"))
		s = db_prepare(d, "UPDATE post SET is_hidden = ?, updated_at = ? WHERE id = ?");
	else
		s = db_prepare(d, "UPDATE post SET is_locked = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return db_failed(e);
	db_bind_bool(s, 1, !strcmp(action, "hide") || !strcmp(action, "lock"));
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, post_id);
	return run_write(s, e);
}

static int record_action(db *d, const struct actor *actor, const struct post *p,
			 const char *action, const char *reason, int64_t now, herr *e)
{
	db_stmt *s = db_prepare(d, "INSERT INTO moderation_action (id, post_id, group_id, action, "
				   "reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return db_failed(e);
	db_bind_int64(s, 1, id_new());
	db_bind_int64(s, 2, p->id);
	db_bind_int64(s, 3, p->group_id);
	db_bind_text(s, 4, action);
	db_bind_text(s, 5, reason);
	db_bind_int64(s, 6, actor->person_id);
	db_bind_int64(s, 7, now);
	int rc = run_write(s, e);
	if (rc)
		return rc;
	s = db_prepare(d, "UPDATE post_report SET is_open = 0, closed_at = ? WHERE post_id = ? AND is_open = 1");
	if (!s)
		return db_failed(e);
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, p->id);
	return run_write(s, e);
}

int moderation_act(db *d, const struct actor *actor, int64_t post_id, const char *action,
		   const char *reason, herr *e)
{
	if (!moderation_action_valid(action))
		return herr_set(e, ERR_INVALID, "action", "Choose an action: hide, restore, lock or unlock.");
	int rc = check_reason(reason, "the reason for this action", e);
	if (rc)
		return rc;
	arena *a = arena_new(1024);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct post p;
	struct standing st;
	int64_t now = time_now_ms();
	rc = db_begin_write(d);
	if (rc) {
		arena_free(a);
		return db_failed(e);
	}
	rc = post_locate(d, a, actor, post_id, &p, &st, e);
	if (!rc && !st.can_manage)
		rc = herr_set(e, ERR_DENIED, NULL, "Only the group's facilitators, peer support workers "
						   "and coordinators moderate its conversation.");
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc) rc = check_action_applies(&p, action, e);
	if (!rc) rc = apply_action(d, post_id, action, now, e);
	if (!rc) rc = record_action(d, actor, &p, action, reason, now, e);
	arena_free(a);
	return db_finish(d, rc);
}

/* ---- the queue ------------------------------------------------------------------ */

#define REPORT_COLUMNS \
	"SELECT r.id, r.reason, r.created_at, p.id, p.group_id, p.thread_id, p.kind, p.title, " \
	"p.body_md, p.author_id, a.display_name, p.is_hidden, p.is_locked, g.name " \
	"FROM post_report r JOIN post p ON p.id = r.post_id JOIN peer_group g ON g.id = r.group_id " \
	"LEFT JOIN person a ON a.id = p.author_id "

#define LOG_COLUMNS \
	"SELECT m.post_id, m.group_id, m.action, m.reason, pe.display_name, m.created_at " \
	"FROM moderation_action m LEFT JOIN person pe ON pe.id = m.actor_id "

static int read_reports(db_stmt *st, arena *a, struct moderation_queue *ret, herr *e)
{
	ret->reports = arena_alloc(a, sizeof *ret->reports * MODERATION_QUEUE_MAX);
	int rc = DB_DONE;
	while (ret->n_reports < MODERATION_QUEUE_MAX && (rc = db_step(st)) == DB_ROW) {
		struct moderation_report *r = &ret->reports[ret->n_reports++];
		r->id = db_col_int64(st, 0);
		r->reason = arena_strdup(a, db_col_text(st, 1));
		r->created_at = db_col_int64(st, 2);
		r->post.id = db_col_int64(st, 3);
		r->post.group_id = db_col_int64(st, 4);
		r->post.thread_id = db_col_int64(st, 5);
		r->post.kind = arena_strdup(a, db_col_text(st, 6));
		r->post.title = arena_strdup(a, db_col_text(st, 7) ? db_col_text(st, 7) : "");
		r->post.body_md = arena_strdup(a, db_col_text(st, 8));
		r->post.author_id = db_col_int64(st, 9);
		r->post.author_name = arena_strdup(a, db_col_text(st, 10) ? db_col_text(st, 10)
									  : "Someone who has left");
		r->post.is_hidden = db_col_bool(st, 11);
		r->post.is_locked = db_col_bool(st, 12);
		r->group_name = arena_strdup(a, db_col_text(st, 13));
	}
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

static int read_log(db_stmt *st, arena *a, struct moderation_queue *ret, herr *e)
{
	ret->log = arena_alloc(a, sizeof *ret->log * MODERATION_LOG_MAX);
	int rc = DB_DONE;
	while (ret->n_log < MODERATION_LOG_MAX && (rc = db_step(st)) == DB_ROW) {
		struct moderation_entry *m = &ret->log[ret->n_log++];
		m->post_id = db_col_int64(st, 0);
		m->group_id = db_col_int64(st, 1);
		m->action = arena_strdup(a, db_col_text(st, 2));
		m->reason = arena_strdup(a, db_col_text(st, 3));
		m->actor_name = arena_strdup(a, db_col_text(st, 4) ? db_col_text(st, 4) : "Someone who has left");
		m->created_at = db_col_int64(st, 5);
	}
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

int moderation_queue_group(db *d, arena *a, const struct actor *actor, int64_t group_id,
			   struct moderation_queue *ret, herr *e)
{
	struct standing st;
	memset(ret, 0, sizeof *ret);
	int rc = db_begin_read(d);
	if (rc)
		return db_failed(e);
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc && !st.can_manage)
		rc = herr_set(e, ERR_DENIED, NULL, "Only the group's facilitators, peer support workers "
						   "and coordinators see its moderation queue.");
	db_stmt *s = NULL;
	if (!rc && !(s = db_prepare(d, REPORT_COLUMNS "WHERE r.group_id = ? AND r.is_open = 1 "
						     "ORDER BY r.created_at, r.id LIMIT 200")))
		rc = db_failed(e);
	if (!rc) {
		db_bind_int64(s, 1, group_id);
		rc = read_reports(s, a, ret, e);
	}
	if (!rc && !(s = db_prepare(d, LOG_COLUMNS "WHERE m.group_id = ? ORDER BY m.created_at DESC, m.id DESC LIMIT 50")))
		rc = db_failed(e);
	if (!rc) {
		db_bind_int64(s, 1, group_id);
		rc = read_log(s, a, ret, e);
	}
	if (!rc) {
		s = db_prepare(d, "SELECT name FROM peer_group WHERE id = ?");
		ret->group_name = "";
		if (s) {
			db_bind_int64(s, 1, group_id);
			if (db_step(s) == DB_ROW)
				ret->group_name = arena_strdup(a, db_col_text(s, 0));
			db_reset(s);
		}
		ret->group_id = group_id;
	}
	db_rollback(d);
	return rc;
}

int moderation_queue_network(db *d, arena *a, const struct actor *actor,
			     struct moderation_queue *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	ret->group_name = "";
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "Only coordinators see the network's moderation queue.");
	int rc = db_begin_read(d);
	if (rc)
		return db_failed(e);
	db_stmt *s = db_prepare(d, REPORT_COLUMNS "WHERE r.is_open = 1 ORDER BY r.created_at, r.id");
	if (!s)
		rc = db_failed(e);
	if (!rc) rc = read_reports(s, a, ret, e);
	if (!rc && !(s = db_prepare(d, LOG_COLUMNS "ORDER BY m.created_at DESC, m.id DESC LIMIT 50")))
		rc = db_failed(e);
	if (!rc) rc = read_log(s, a, ret, e);
	db_rollback(d);
	return rc;
}
