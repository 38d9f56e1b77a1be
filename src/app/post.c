/* post.c - a group's conversation: announcements, threads and replies in
 * Markdown, the stream that lists them with the group's shared minutes,
 * and muting. Who may do what is asked of membership_standing(); see
 * post.h for the rules. */
#include "post.h"

#include "notification.h"
#include "outbox.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <ctype.h>
#include <string.h>

/* ---- kinds and text ------------------------------------------------------- */

bool post_kind_valid(const char *kind)
{
	return kind && (!strcmp(kind, "announcement") || !strcmp(kind, "discussion") ||
			!strcmp(kind, "offer") || !strcmp(kind, "ask"));
}

const char *post_kind_label(const char *kind)
{
	if (!kind) return "";
	if (!strcmp(kind, "announcement")) return "Announcement";
	if (!strcmp(kind, "offer")) return "Offer of help";
	if (!strcmp(kind, "ask")) return "Ask for help";
	if (!strcmp(kind, "reply")) return "Reply";
	return "Discussion";
}

/* Checks text a person typed, ignoring the blank space around it. */
static int check_text(const char *s, const char *field, const char *label, size_t max_chars,
		      herr *e)
{
	size_t n = s ? strlen(s) : 0;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return herr_set(e, ERR_INVALID, field, "Enter %s.", label);
	if (!utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, field,
				"What was sent for %s holds characters that cannot be accepted.", label);
	if (utf8_length(s, n) > max_chars)
		return herr_set(e, ERR_INVALID, field,
				"Please keep %s to %zu characters or fewer.", label, max_chars);
	return 0;
}

/* ---- reading posts ---------------------------------------------------------- */

#define POST_COLUMNS \
	"SELECT p.id, p.group_id, p.thread_id, p.kind, p.title, p.body_md, p.author_id, " \
	"a.display_name, p.is_hidden, p.is_locked, p.reply_count, p.last_activity_at, " \
	"p.created_at, CASE WHEN m.person_id IS NULL THEN 0 ELSE 1 END " \
	"FROM post p LEFT JOIN person a ON a.id = p.author_id " \
	"LEFT JOIN post_mute m ON m.post_id = p.id AND m.person_id = ? "

/* Copies the row of POST_COLUMNS into ret; the body only for readers who
 * may see it. */
static void read_post(db_stmt *st, arena *a, const struct actor *actor, bool manager,
		      struct post *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->id = db_col_int64(st, 0);
	ret->group_id = db_col_int64(st, 1);
	ret->thread_id = db_col_int64(st, 2);
	ret->kind = arena_strdup(a, db_col_text(st, 3));
	ret->title = arena_strdup(a, db_col_text(st, 4) ? db_col_text(st, 4) : "");
	ret->is_hidden = db_col_bool(st, 8);
	ret->body_md = (!ret->is_hidden || manager) ? arena_strdup(a, db_col_text(st, 5)) : NULL;
	ret->author_id = db_col_int64(st, 6);
	ret->author_name = arena_strdup(a, db_col_text(st, 7) ? db_col_text(st, 7) : "Someone who has left");
	ret->is_locked = db_col_bool(st, 9);
	ret->reply_count = (int)db_col_int64(st, 10);
	ret->last_activity_at = db_col_int64(st, 11);
	ret->created_at = db_col_int64(st, 12);
	ret->is_muted = db_col_bool(st, 13);
	ret->is_mine = actor->person_id && ret->author_id == actor->person_id;
}

static int db_failed(herr *e)
{
	return herr_set(e, ERR_DB, NULL, "The conversation could not be read or saved; please try again.");
}

/* Reads the rows of a prepared POST_COLUMNS statement into an arena array. */
static int read_posts(db_stmt *st, arena *a, const struct actor *actor, bool manager, size_t max,
		      struct post **ret, size_t *ret_n, herr *e)
{
	struct post *list = arena_alloc(a, sizeof *list * (max ? max : 1));
	size_t n = 0;
	int rc = DB_DONE;
	while (n < max && (rc = db_step(st)) == DB_ROW)
		read_post(st, a, actor, manager, &list[n++]);
	db_reset(st);
	if (rc < 0)
		return db_failed(e);
	*ret = list;
	*ret_n = n;
	return 0;
}

int post_locate(db *d, arena *a, const struct actor *actor, int64_t post_id, struct post *ret,
		struct standing *ret_st, herr *e)
{
	db_stmt *st = db_prepare(d, POST_COLUMNS "WHERE p.id = ?");
	if (!st)
		return db_failed(e);
	db_bind_int64(st, 1, actor->person_id);
	db_bind_int64(st, 2, post_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_post(st, a, actor, true, ret);
	db_reset(st);
	if (rc < 0)
		return db_failed(e);
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such post.");
	rc = membership_standing(d, ret->group_id, actor, ret_st, e);
	if (!rc && ret->is_hidden && !ret_st->can_manage)
		ret->body_md = NULL;
	return rc;
}

static const char *group_name(db *d, arena *a, int64_t group_id)
{
	db_stmt *st = db_prepare(d, "SELECT name FROM peer_group WHERE id = ?");
	const char *name = "";
	if (!st)
		return name;
	db_bind_int64(st, 1, group_id);
	if (db_step(st) == DB_ROW)
		name = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	return name;
}

/* The group's meetings with minutes, or closed, newest first. */
static int read_minutes(db *d, arena *a, int64_t group_id, struct post_stream *ret, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, starts_at FROM meeting WHERE group_id = ? "
		"AND (status = 'closed' OR minutes_md IS NOT NULL) ORDER BY starts_at DESC LIMIT 20");
	if (!st)
		return db_failed(e);
	db_bind_int64(st, 1, group_id);
	ret->minutes = arena_alloc(a, sizeof *ret->minutes * POST_MINUTES_MAX);
	ret->n_minutes = 0;
	int rc = DB_DONE;
	while (ret->n_minutes < POST_MINUTES_MAX && (rc = db_step(st)) == DB_ROW) {
		ret->minutes[ret->n_minutes].meeting_id = db_col_int64(st, 0);
		ret->minutes[ret->n_minutes++].starts_at = db_col_int64(st, 1);
	}
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

int post_stream_get(db *d, arena *a, const struct actor *actor, int64_t group_id,
		    struct post_stream *ret, herr *e)
{
	struct standing st;
	memset(ret, 0, sizeof *ret);
	int rc = db_begin_read(d);
	if (rc)
		return db_failed(e);
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (!rc) {
		db_stmt *s = db_prepare(d, POST_COLUMNS
			"WHERE p.group_id = ? AND p.thread_id IS NULL "
			"ORDER BY CASE WHEN p.kind = 'announcement' THEN 0 ELSE 1 END, "
			"p.last_activity_at DESC, p.id DESC LIMIT 200");
		if (!s) {
			rc = db_failed(e);
		} else {
			db_bind_int64(s, 1, actor->person_id);
			db_bind_int64(s, 2, group_id);
			rc = read_posts(s, a, actor, st.can_manage, POST_THREADS_MAX, &ret->threads,
					&ret->n_threads, e);
		}
	}
	if (!rc) rc = read_minutes(d, a, group_id, ret, e);
	if (!rc) {
		ret->group_id = group_id;
		ret->group_name = group_name(d, a, group_id);
		ret->can_post = !st.is_closed;
		ret->can_announce = !st.is_closed && st.can_manage;
		ret->can_moderate = st.can_manage;
	}
	db_rollback(d);
	return rc;
}

int post_thread_get(db *d, arena *a, const struct actor *actor, int64_t post_id,
		    struct post_thread *ret, herr *e)
{
	struct standing st;
	struct post p;
	memset(ret, 0, sizeof *ret);
	int rc = db_begin_read(d);
	if (rc)
		return db_failed(e);
	rc = post_locate(d, a, actor, post_id, &p, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (!rc && p.thread_id)
		rc = post_locate(d, a, actor, p.thread_id, &p, &st, e);
	if (!rc) {
		ret->head = p;
		db_stmt *s = db_prepare(d, POST_COLUMNS "WHERE p.thread_id = ? ORDER BY p.created_at, p.id LIMIT 1000");
		if (!s) {
			rc = db_failed(e);
		} else {
			db_bind_int64(s, 1, actor->person_id);
			db_bind_int64(s, 2, p.id);
			rc = read_posts(s, a, actor, st.can_manage, POST_REPLIES_MAX, &ret->replies,
					&ret->n_replies, e);
		}
	}
	if (!rc) {
		ret->group_name = group_name(d, a, p.group_id);
		ret->can_reply = !st.is_closed && !p.is_locked;
		ret->can_moderate = st.can_manage;
	}
	db_rollback(d);
	return rc;
}

/* ---- writing ------------------------------------------------------------------ */

/* Whether the actor may write in st's group: a member or manager, and the
 * group not closed. */
static int require_writer(const struct standing *st, herr *e)
{
	int rc = membership_require_member(st, e);
	if (!rc && st->is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL,
			      "This group is closed: its conversation can be read but not added to.");
	return rc;
}

static int insert_post(db *d, int64_t id, int64_t group_id, int64_t thread_id, const char *kind,
		       const char *title, const char *body, int64_t author_id, int64_t now, herr *e)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO post (id, group_id, thread_id, kind, title, body_md, author_id, "
		"last_activity_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_failed(e);
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, group_id);
	if (thread_id)
		db_bind_int64(st, 3, thread_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, title);
	db_bind_text(st, 6, body);
	db_bind_int64(st, 7, author_id);
	db_bind_int64(st, 8, now);
	db_bind_int64(st, 9, now);
	db_bind_int64(st, 10, now);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

int post_create_thread(db *d, const struct actor *actor, int64_t group_id, const char *kind,
		       const char *title, const char *body, int64_t *ret_id, herr *e)
{
	if (!kind || !*kind)
		kind = "discussion";
	if (!post_kind_valid(kind))
		return herr_set(e, ERR_INVALID, "kind",
				"Choose what kind of post this is: a discussion, an offer of help or an ask for help.");
	int rc = check_text(title, "title", "a title", POST_TITLE_MAX, e);
	if (!rc) rc = check_text(body, "body", "what you want to say", POST_BODY_MAX, e);
	if (rc)
		return rc;
	struct standing st;
	rc = db_begin_write(d);
	if (rc)
		return db_failed(e);
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc) rc = require_writer(&st, e);
	if (!rc && !strcmp(kind, "announcement") && !st.can_manage)
		rc = herr_set(e, ERR_DENIED, "kind",
			      "Only the group's facilitators and peer support workers post announcements; "
			      "start a discussion instead.");
	int64_t id = id_new();
	if (!rc) rc = insert_post(d, id, group_id, 0, kind, title, body, actor->person_id,
				  time_now_ms(), e);
	if (!rc) rc = notification_post_created(d, id, group_id, 0, actor->person_id, e);
	rc = db_finish(d, rc);
	if (!rc && notification_delivery_on())
		outbox_wake();
	if (!rc && ret_id)
		*ret_id = id;
	return rc;
}

int post_reply(db *d, const struct actor *actor, int64_t thread_id, const char *body,
	       int64_t *ret_id, herr *e)
{
	int rc = check_text(body, "body", "your reply", POST_REPLY_MAX, e);
	if (rc)
		return rc;
	arena *a = arena_new(1024);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct standing st;
	struct post p;
	int64_t id = id_new(), now = time_now_ms();
	rc = db_begin_write(d);
	if (rc) {
		arena_free(a);
		return db_failed(e);
	}
	rc = post_locate(d, a, actor, thread_id, &p, &st, e);
	if (!rc) rc = require_writer(&st, e);
	if (!rc && p.thread_id)
		rc = herr_set(e, ERR_CONFLICT, NULL, "Reply to the thread, not to one of its replies.");
	if (!rc && p.is_locked)
		rc = herr_set(e, ERR_CONFLICT, NULL,
			      "This thread is locked by the group's facilitators: it takes no more replies.");
	if (!rc) rc = insert_post(d, id, p.group_id, thread_id, "reply", NULL, body,
				  actor->person_id, now, e);
	if (!rc) {
		db_stmt *s = db_prepare(d, "UPDATE post SET reply_count = reply_count + 1, "
					   "last_activity_at = ? WHERE id = ?");
		if (!s) {
			rc = db_failed(e);
		} else {
			db_bind_int64(s, 1, now);
			db_bind_int64(s, 2, thread_id);
			if (db_step(s) < 0)
				rc = db_failed(e);
			db_reset(s);
		}
	}
	if (!rc) rc = notification_post_created(d, id, p.group_id, thread_id, actor->person_id, e);
	arena_free(a);
	rc = db_finish(d, rc);
	if (!rc && notification_delivery_on())
		outbox_wake();
	if (!rc && ret_id)
		*ret_id = id;
	return rc;
}

int post_set_muted(db *d, const struct actor *actor, int64_t thread_id, bool muted, herr *e)
{
	arena *a = arena_new(1024);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct standing st;
	struct post p;
	int rc = db_begin_write(d);
	if (rc) {
		arena_free(a);
		return db_failed(e);
	}
	rc = post_locate(d, a, actor, thread_id, &p, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (!rc && p.thread_id)
		rc = herr_set(e, ERR_CONFLICT, NULL, "Mute the whole thread, not one of its replies.");
	if (!rc) {
		db_stmt *s = muted
			? db_prepare(d, "INSERT INTO post_mute (post_id, person_id, created_at) "
					"SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT) "
					"WHERE NOT EXISTS (SELECT 1 FROM post_mute WHERE post_id = ? "
					"AND person_id = ?)")
			: db_prepare(d, "DELETE FROM post_mute WHERE post_id = ? AND person_id = ?");
		if (!s) {
			rc = db_failed(e);
		} else {
			db_bind_int64(s, 1, thread_id);
			db_bind_int64(s, 2, actor->person_id);
			if (muted) {
				db_bind_int64(s, 3, time_now_ms());
				db_bind_int64(s, 4, thread_id);
				db_bind_int64(s, 5, actor->person_id);
			}
			if (db_step(s) < 0)
				rc = db_failed(e);
			db_reset(s);
		}
	}
	arena_free(a);
	return db_finish(d, rc);
}
