/* post_pages.c - a group's conversation (capability C4, clear
 * communication): the stream (announcements pinned on top, threads by
 * latest activity, muted threads collapsed, links to shared minutes), a
 * thread with its replies, and the changes: start a thread or an
 * announcement, reply, mute and unmute. Members and managers only;
 * app/post.c checks who may do what. Every answer has its JSON face under
 * /api/v1/. */
#include "form.h"
#include "view.h"

#include "../app/post.h"

#include <string.h>

/* ---- view models ----------------------------------------------------------- */

static const char *post_path(wreq *r, int64_t id)
{
	return arena_printf(r->arena, "/posts/%lld", (long long)id);
}

static const char *stream_path(wreq *r, int64_t group_id)
{
	return arena_printf(r->arena, "/groups/%lld/stream", (long long)group_id);
}

/* A post as the JSON shows it and the templates read it. The author's
 * role is never shown: a facilitator's reply looks like anyone's. */
static json_t *post_json(wreq *r, const struct post *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_id(p->id));
	json_object_set_new(o, "group_id", json_id(p->group_id));
	json_object_set_new(o, "thread_id", p->thread_id ? json_id(p->thread_id) : json_null());
	json_object_set_new(o, "path", json_string(post_path(r, p->id)));
	json_object_set_new(o, "kind", json_string(p->kind));
	json_object_set_new(o, "kind_text", json_string(post_kind_label(p->kind)));
	json_object_set_new(o, "is_announcement", json_boolean(!strcmp(p->kind, "announcement")));
	json_object_set_new(o, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(o, "body_md", json_str_or_null(p->body_md));
	json_object_set_new(o, "body_html", json_markdown(p->body_md));
	json_object_set_new(o, "author", json_person(p->author_id, p->author_name, NULL));
	json_object_set_new(o, "is_mine", json_boolean(p->is_mine));
	json_object_set_new(o, "is_hidden", json_boolean(p->is_hidden));
	json_object_set_new(o, "is_locked", json_boolean(p->is_locked));
	json_object_set_new(o, "created_at", json_time(p->created_at));
	json_object_set_new(o, "created_text", json_time_text(p->created_at));
	if (!p->thread_id) {
		json_object_set_new(o, "is_muted", json_boolean(p->is_muted));
		json_object_set_new(o, "reply_count", json_integer(p->reply_count));
		json_object_set_new(o, "last_activity_at", json_time(p->last_activity_at));
		json_object_set_new(o, "last_activity_text", json_time_text(p->last_activity_at));
	}
	return o;
}

static json_t *group_json(wreq *r, int64_t id, const char *name)
{
	json_t *g = json_group(r, id, name);
	json_object_set_new(g, "stream_path", json_string(stream_path(r, id)));
	return g;
}

static json_t *limits_json(void)
{
	return json_pack("{s:i, s:i, s:i}", "title_max", POST_TITLE_MAX, "body_max", POST_BODY_MAX,
			 "reply_max", POST_REPLY_MAX);
}

static json_t *stream_model(wreq *r, const struct post_stream *s)
{
	json_t *announcements = json_array(), *threads = json_array(), *minutes = json_array();
	for (size_t i = 0; i < s->n_threads; i++)
		json_array_append_new(!strcmp(s->threads[i].kind, "announcement") ? announcements : threads,
				      post_json(r, &s->threads[i]));
	for (size_t i = 0; i < s->n_minutes; i++)
		json_array_append_new(minutes, json_pack("{s:o, s:s, s:o, s:o}",
			"meeting_id", json_id(s->minutes[i].meeting_id),
			"path", arena_printf(r->arena, "/meetings/%lld/minutes", (long long)s->minutes[i].meeting_id),
			"starts_at", json_time(s->minutes[i].starts_at),
			"when_text", json_time_text(s->minutes[i].starts_at)));
	json_t *m = json_pack("{s:o, s:o, s:o, s:o, s:{s:b, s:b, s:b}, s:o, s:s}",
		"group", group_json(r, s->group_id, s->group_name),
		"announcements", announcements, "threads", threads, "minutes", minutes,
		"can", "post", s->can_post, "announce", s->can_announce, "moderate", s->can_moderate,
		"limits", limits_json(), "path", stream_path(r, s->group_id));
	json_object_set_new(m, "has_announcements", json_boolean(json_array_size(announcements) > 0));
	json_object_set_new(m, "has_threads", json_boolean(json_array_size(threads) > 0));
	json_object_set_new(m, "has_minutes", json_boolean(json_array_size(minutes) > 0));
	json_object_set_new(m, "moderation_path", json_string(arena_printf(r->arena,
		"/groups/%lld/moderation", (long long)s->group_id)));
	return m;
}

static json_t *thread_model(wreq *r, const struct post_thread *t)
{
	json_t *replies = json_array();
	for (size_t i = 0; i < t->n_replies; i++)
		json_array_append_new(replies, post_json(r, &t->replies[i]));
	json_t *m = json_pack("{s:o, s:o, s:o, s:{s:b, s:b}, s:o}",
		"group", group_json(r, t->head.group_id, t->group_name),
		"thread", post_json(r, &t->head), "replies", replies,
		"can", "reply", t->can_reply, "moderate", t->can_moderate, "limits", limits_json());
	json_object_set_new(m, "has_replies", json_boolean(t->n_replies > 0));
	return m;
}

static json_t *load_stream(wreq *r, int64_t group_id, herr *e)
{
	struct post_stream s;
	struct actor me = web_actor(r);
	if (post_stream_get(r->db, r->arena, &me, group_id, &s, e))
		return NULL;
	json_t *m = stream_model(r, &s);
	json_object_set_new(m, "form", json_pack("{s:b}", "kind_discussion", 1));
	return m;
}

static json_t *load_thread(wreq *r, int64_t post_id, herr *e)
{
	struct post_thread t;
	struct actor me = web_actor(r);
	if (post_thread_get(r->db, r->arena, &me, post_id, &t, e))
		return NULL;
	json_t *m = thread_model(r, &t);
	json_object_set_new(m, "form", json_object());
	return m;
}

static const char *stream_title(json_t *m)
{
	return json_string_value(json_object_get(json_object_get(m, "group"), "name"));
}

static const char *thread_title(json_t *m)
{
	return json_string_value(json_object_get(json_object_get(m, "thread"), "title"));
}

/* Whether a refusal is shown on the page again (a form that did not
 * validate) rather than as an error page. */
static bool shown_on_form(const wreq *r, const herr *e)
{
	return !r->want_json && (e->code == ERR_INVALID || e->code == ERR_BADREQ ||
				 e->code == ERR_CONFLICT || (e->code == ERR_DENIED && e->field));
}

/* ---- handlers ------------------------------------------------------------------ */

static int stream_show(wreq *r)
{
	int64_t id;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	json_t *m = load_stream(r, id, &e);
	if (!m)
		return web_fail(r, &e);
	r->personal = true;
	return web_page(r, 200, "posts", stream_title(m), m);
}

static int thread_add_submit(wreq *r)
{
	static const char *const fields[] = { "kind", "title", "body", NULL };
	int64_t id, post_id = 0;
	const char *kind = "", *title = "", *body = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "kind", "the kind of post", FIELD_OPTIONAL, 20, &kind, &e);
	if (!rc) rc = form_text(r, "title", "a title", FIELD_OPTIONAL, POST_TITLE_MAX, &title, &e);
	if (!rc) rc = form_text(r, "body", "what you want to say", FIELD_OPTIONAL, POST_BODY_MAX, &body, &e);
	if (!rc) rc = post_create_thread(r->db, &me, id, kind, title, body, &post_id, &e);
	if (!rc) {
		json_t *t = load_thread(r, post_id, &e);
		if (!t)
			return web_fail(r, &e);
		return web_redirect(r, post_path(r, post_id), 201, t);
	}
	if (!shown_on_form(r, &e))
		return web_fail(r, &e);
	herr ignore;
	herr_clear(&ignore);
	json_t *m = load_stream(r, id, &ignore);
	if (!m)
		return web_fail(r, &e);
	json_t *form = json_pack("{s:s, s:s, s:s}", "kind", kind ? kind : "", "title", title ? title : "",
				 "body", body ? body : "");
	const char *k = kind && *kind ? kind : "discussion";
	json_object_set_new(form, arena_printf(r->arena, "kind_%s", post_kind_valid(k) ? k : "discussion"),
			    json_true());
	json_object_set_new(m, "form", form);
	return web_form_fail(r, "posts", stream_title(m), m, &e);
}

static int thread_show(wreq *r)
{
	int64_t id;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	json_t *m = load_thread(r, id, &e);
	if (!m)
		return web_fail(r, &e);
	r->personal = true;
	return web_page(r, 200, "post", thread_title(m), m);
}

static int reply_submit(wreq *r)
{
	static const char *const fields[] = { "body", NULL };
	int64_t id, reply_id = 0;
	const char *body = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "body", "your reply", FIELD_OPTIONAL, POST_REPLY_MAX, &body, &e);
	if (!rc) rc = post_reply(r->db, &me, id, body, &reply_id, &e);
	if (!rc) {
		struct post_thread t;
		if (post_thread_get(r->db, r->arena, &me, reply_id, &t, &e))
			return web_fail(r, &e);
		json_t *reply = json_null();
		for (size_t i = 0; i < t.n_replies; i++)
			if (t.replies[i].id == reply_id)
				reply = post_json(r, &t.replies[i]);
		const char *to = arena_printf(r->arena, "%s#post-%lld", post_path(r, id), (long long)reply_id);
		return web_redirect(r, to, 201, json_pack("{s:o}", "reply", reply));
	}
	if (!shown_on_form(r, &e))
		return web_fail(r, &e);
	herr ignore;
	herr_clear(&ignore);
	json_t *m = load_thread(r, id, &ignore);
	if (!m)
		return web_fail(r, &e);
	json_object_set_new(m, "form", json_pack("{s:s}", "body", body ? body : ""));
	return web_form_fail(r, "post", thread_title(m), m, &e);
}

static int set_muted(wreq *r, bool muted)
{
	static const char *const fields[] = { NULL };
	int64_t id;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = post_set_muted(r->db, &me, id, muted, &e);
	if (rc)
		return web_fail(r, &e);
	struct post_thread t;
	if (post_thread_get(r->db, r->arena, &me, id, &t, &e))
		return web_fail(r, &e);
	const char *to = arena_printf(r->arena, "%s#post-%lld", stream_path(r, t.head.group_id), (long long)id);
	return web_redirect(r, to, 200, json_pack("{s:o}", "thread", post_json(r, &t.head)));
}

static int mute_submit(wreq *r)
{
	return set_muted(r, true);
}

static int unmute_submit(wreq *r)
{
	return set_muted(r, false);
}

/* ---- routes ------------------------------------------------------------------- */

#define THREAD_RESPONSE "group!:object thread!:object replies!:object[] can!:object " \
	"limits!:object has_replies!:boolean form:object"

static const struct web_doc stream_doc = {
	.summary = "A group's stream: announcements (pinned), threads and shared minutes",
	.description = "The group's members and managers. Announcements come first; threads by "
		       "latest activity, each with is_muted for the caller (muted threads are "
		       "collapsed on the page); minutes links to the group's minuted or closed "
		       "meetings. A hidden post's body is null except for the group's managers.",
	.tag = "Conversation",
	.response = "group!:object announcements!:object[] threads!:object[] minutes!:object[] "
		    "can!:object limits!:object path!:string has_announcements!:boolean "
		    "has_threads!:boolean has_minutes!:boolean moderation_path!:string form:object",
};
static const struct web_doc thread_add_doc = {
	.summary = "Start a thread (a discussion, an offer or ask for help) or an announcement",
	.description = "The group's members and managers; announcements only by its facilitators, "
		       "peer support workers and coordinators (else 403). title 1 to 120 characters, "
		       "body Markdown 1 to 10,000. 409 in a closed group.",
	.tag = "Conversation", .request = "kind:announcement|discussion|offer|ask title!:string body!:string",
	.status = 201, .response = THREAD_RESPONSE, .errors = "409 422",
};
static const struct web_doc thread_show_doc = {
	.summary = "A thread and its replies (the id may be the thread's or a reply's)",
	.description = "The group's members and managers. Replies carry their author's name and "
		       "nothing about their role.",
	.tag = "Conversation", .response = THREAD_RESPONSE,
};
static const struct web_doc reply_doc = {
	.summary = "Reply to a thread",
	.description = "The group's members and managers. body Markdown 1 to 5,000 characters. "
		       "409 when the thread is locked or the group closed.",
	.tag = "Conversation", .request = "body!:string", .status = 201,
	.response = "reply!:object", .errors = "409 422",
};
static const struct web_doc mute_doc = {
	.summary = "Mute a thread for yourself (again: no change)",
	.description = "The group's members and managers. A muted thread is collapsed in your stream.",
	.tag = "Conversation", .request = "{'type':'object','additionalProperties':false}",
	.response = "thread!:object", .errors = "409",
};
static const struct web_doc unmute_doc = {
	.summary = "Unmute a thread for yourself (not muted: no change)",
	.description = "The group's members and managers.",
	.tag = "Conversation", .request = "{'type':'object','additionalProperties':false}",
	.response = "thread!:object", .errors = "409",
};

const struct web_route post_routes[] = {
	{ M_GET, "/groups/{id}/stream", stream_show, ACCESS_SIGNED_IN, &stream_doc },
	{ M_POST, "/groups/{id}/posts", thread_add_submit, ACCESS_SIGNED_IN, &thread_add_doc },
	{ M_GET, "/posts/{id}", thread_show, ACCESS_SIGNED_IN, &thread_show_doc },
	{ M_POST, "/posts/{id}/replies", reply_submit, ACCESS_SIGNED_IN, &reply_doc },
	{ M_POST, "/posts/{id}/mute", mute_submit, ACCESS_SIGNED_IN, &mute_doc },
	{ M_POST, "/posts/{id}/unmute", unmute_submit, ACCESS_SIGNED_IN, &unmute_doc },
	{ 0 }
};
