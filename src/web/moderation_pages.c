/* moderation_pages.c - safety in conversation (capability C8): reporting a
 * post with a reason; the moderation queue of a group (its managers) and
 * of the whole network (coordinators), with the audit of recent actions;
 * and the actions on a post (hide, restore, lock, unlock), each with a
 * reason. app/moderation.c checks who may do what. Every answer has its
 * JSON face under /api/v1/. */
#include "form.h"
#include "view.h"

#include "../app/moderation.h"

#include <string.h>

/* ---- view models ----------------------------------------------------------- */

static const char *action_text(const char *action)
{
	if (!strcmp(action, "hide")) return "Hidden";
	if (!strcmp(action, "restore")) return "Restored";
	if (!strcmp(action, "lock")) return "Locked";
	return "Unlocked";
}

/* A short excerpt of a post's text for the queue (plain text, escaped by
 * the template). */
static const char *excerpt(wreq *r, const char *md)
{
	if (!md)
		return "";
	size_t n = strlen(md);
	if (n <= 280)
		return md;
	size_t cut = 280;
	while (cut > 0 && ((unsigned char)md[cut] & 0xC0) == 0x80)   /* not inside a character */
		cut--;
	return arena_printf(r->arena, "%.*s…", (int)cut, md);
}

static json_t *report_json(wreq *r, const struct moderation_report *rep)
{
	const struct post *p = &rep->post;
	int64_t thread = p->thread_id ? p->thread_id : p->id;
	return json_pack("{s:o, s:s, s:o, s:o, s:{s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}, s:o}",
		"id", json_id(rep->id), "reason", rep->reason,
		"created_at", json_time(rep->created_at),
		"created_text", json_time_text(rep->created_at),
		"post",
		"id", json_id(p->id), "thread_id", p->thread_id ? json_id(p->thread_id) : json_null(),
		"path", arena_printf(r->arena, "/posts/%lld#post-%lld", (long long)thread, (long long)p->id),
		"title", p->title ? p->title : "", "excerpt", excerpt(r, p->body_md),
		"author_name", p->author_name ? p->author_name : "",
		"moderate_path", arena_printf(r->arena, "/posts/%lld/moderate", (long long)p->id),
		"is_hidden", p->is_hidden, "is_locked", p->is_locked, "is_thread", p->thread_id == 0,
		"group", json_group(r, p->group_id, rep->group_name));
}

static json_t *queue_model(wreq *r, const struct moderation_queue *q)
{
	json_t *reports = json_array(), *log = json_array();
	for (size_t i = 0; i < q->n_reports; i++)
		json_array_append_new(reports, report_json(r, &q->reports[i]));
	for (size_t i = 0; i < q->n_log; i++) {
		const struct moderation_entry *m = &q->log[i];
		json_t *o = json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:o}",
			"post_id", json_id(m->post_id), "group_id", json_id(m->group_id),
			"action", m->action, "action_text", action_text(m->action), "reason", m->reason,
			"by", m->actor_name, "at", json_time(m->created_at));
		json_object_set_new(o, "at_text", json_time_text(m->created_at));
		json_object_set_new(o, "post_path", json_string(arena_printf(r->arena, "/posts/%lld",
									    (long long)m->post_id)));
		json_array_append_new(log, o);
	}
	json_t *group = q->group_id ? json_group(r, q->group_id, q->group_name) : json_null();
	json_t *m = json_pack("{s:o, s:o, s:o, s:b, s:b, s:b, s:i}", "group", group,
		"reports", reports, "log", log, "has_reports", q->n_reports > 0,
		"has_log", q->n_log > 0, "is_network", q->group_id == 0,
		"reason_max", MODERATION_REASON_MAX);
	return m;
}

static const char *queue_title(const struct moderation_queue *q)
{
	return q->group_id ? q->group_name : "Moderation";
}

/* ---- handlers ------------------------------------------------------------------ */

static int group_queue_show(wreq *r)
{
	int64_t id;
	struct moderation_queue q;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	if (moderation_queue_group(r->db, r->arena, &me, id, &q, &e))
		return web_fail(r, &e);
	r->personal = true;
	return web_page(r, 200, "moderation", queue_title(&q), queue_model(r, &q));
}

static int network_queue_show(wreq *r)
{
	struct moderation_queue q;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (moderation_queue_network(r->db, r->arena, &me, &q, &e))
		return web_fail(r, &e);
	r->personal = true;
	return web_page(r, 200, "moderation", queue_title(&q), queue_model(r, &q));
}

/* Where a form on a post goes back to: the thread it is in. */
static const char *back_to_post(wreq *r, int64_t post_id)
{
	struct post p;
	struct standing st;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (post_locate(r->db, r->arena, &me, post_id, &p, &st, &e))
		return "/";
	return arena_printf(r->arena, "/posts/%lld#post-%lld",
			    (long long)(p.thread_id ? p.thread_id : p.id), (long long)post_id);
}

static int report_submit(wreq *r)
{
	static const char *const fields[] = { "reason", NULL };
	int64_t id, report_id = 0;
	const char *reason = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "reason", "why you are reporting this post", FIELD_OPTIONAL,
				MODERATION_REASON_MAX, &reason, &e);
	if (!rc) rc = moderation_report(r->db, &me, id, reason, &report_id, &e);
	if (rc)
		return web_fail(r, &e);
	const char *to = arena_printf(r->arena, "%s", back_to_post(r, id));
	return web_redirect(r, to, 201, json_pack("{s:{s:o, s:o, s:s}}", "report", "id", json_id(report_id),
						  "post_id", json_id(id), "state", "open"));
}

static int moderate_submit(wreq *r)
{
	static const char *const fields[] = { "action", "reason", NULL };
	int64_t id;
	const char *action = "", *reason = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "action", "the action", FIELD_OPTIONAL, 10, &action, &e);
	if (!rc) rc = form_text(r, "reason", "the reason for this action", FIELD_OPTIONAL,
				MODERATION_REASON_MAX, &reason, &e);
	if (!rc) rc = moderation_act(r->db, &me, id, action, reason, &e);
	if (rc)
		return web_fail(r, &e);
	struct post p;
	struct standing st;
	if (post_locate(r->db, r->arena, &me, id, &p, &st, &e))
		return web_fail(r, &e);
	return web_redirect(r, back_to_post(r, id), 200,
			    json_pack("{s:{s:o, s:b, s:b}, s:s}", "post", "id", json_id(p.id),
				      "is_hidden", p.is_hidden, "is_locked", p.is_locked, "action", action));
}

/* ---- routes ------------------------------------------------------------------- */

#define QUEUE_RESPONSE "group!:object? reports!:object[] log!:object[] has_reports!:boolean " \
	"has_log!:boolean is_network!:boolean reason_max!:integer"

static const struct web_doc group_queue_doc = {
	.summary = "A group's moderation queue: its open reports and recent actions",
	.description = "The group's facilitators, peer support workers, coordinators and admins. "
		       "Reporters are not named.",
	.tag = "Moderation", .response = QUEUE_RESPONSE,
};
static const struct web_doc network_queue_doc = {
	.summary = "The network's moderation queue: open reports and recent actions in every group",
	.description = "Coordinators and admins. Reporters are not named.",
	.tag = "Moderation", .response = QUEUE_RESPONSE,
};
static const struct web_doc report_doc = {
	.summary = "Report a post to the group's facilitators, with a reason",
	.description = "Anyone who can see the post (the group's members and managers). reason "
		       "1 to 500 characters. 409 in a closed group.",
	.tag = "Moderation", .request = "reason!:string", .status = 201,
	.response = "report!:object", .errors = "409 422",
};
static const struct web_doc moderate_doc = {
	.summary = "Hide, restore, lock or unlock a post, with a reason (recorded)",
	.description = "The group's facilitators, peer support workers, coordinators and admins. "
		       "Lock and unlock are for threads. Each action is recorded with who, when "
		       "and why, and closes the post's open reports. 409 when the action changes "
		       "nothing or the group is closed.",
	.tag = "Moderation", .request = "action!:hide|restore|lock|unlock reason!:string",
	.response = "post!:object action!:string", .errors = "409 422",
};

const struct web_route moderation_routes[] = {
	{ M_GET, "/groups/{id}/moderation", group_queue_show, ACCESS_SIGNED_IN, &group_queue_doc },
	{ M_GET, "/moderation", network_queue_show, ACCESS_COORDINATOR, &network_queue_doc },
	{ M_POST, "/posts/{id}/report", report_submit, ACCESS_SIGNED_IN, &report_doc },
	{ M_POST, "/posts/{id}/moderate", moderate_submit, ACCESS_SIGNED_IN, &moderate_doc },
	{ 0 }
};
