/* agenda_pages.c - a meeting's negotiated agenda (capability C4): the page
 * listing its items in order with their support, proposer and why, with
 * forms by role; and the changes: propose, support, take back support,
 * withdraw, and the managers' move, time, merge, defer, outcome and
 * agreement. Members and managers read; app/agenda.c checks who may do
 * what. Every answer has its JSON face under /api/v1/. */
#include "form.h"
#include "view.h"

#include "../app/agenda.h"
#include "../base/ids.h"

#include <string.h>

/* ---- view models ----------------------------------------------------------- */

static const char *agenda_path(wreq *r, int64_t meeting_id)
{
	return arena_printf(r->arena, "/meetings/%lld/agenda", (long long)meeting_id);
}

static const char *state_text(const char *state)
{
	if (!strcmp(state, "discussed")) return "Discussed";
	if (!strcmp(state, "deferred")) return "Deferred";
	if (!strcmp(state, "dropped")) return "Dropped";
	return "On the agenda";
}

static json_t *item_json(wreq *r, const struct agenda_item *it)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_id(it->id));
	json_object_set_new(o, "meeting_id", json_id(it->meeting_id));
	json_object_set_new(o, "path", json_string(arena_printf(r->arena, "/agenda-items/%lld",
								   (long long)it->id)));
	json_object_set_new(o, "title", json_string(it->title));
	json_object_set_new(o, "why", json_string(it->why));
	json_object_set_new(o, "proposer_name", json_string(it->proposer_name));
	json_object_set_new(o, "is_mine", json_boolean(it->is_mine));
	json_object_set_new(o, "position", json_integer(it->position));
	json_object_set_new(o, "minutes", it->minutes ? json_integer(it->minutes) : json_null());
	json_object_set_new(o, "state", json_string(it->state));
	json_object_set_new(o, "state_text", json_string(state_text(it->state)));
	json_object_set_new(o, "is_open", json_boolean(!strcmp(it->state, "open")));
	json_object_set_new(o, "supporters", json_integer(it->supporters));
	json_object_set_new(o, "i_support", json_boolean(it->i_support));
	json_object_set_new(o, "carried_from", it->carried_from ? json_id(it->carried_from) : json_null());
	json_object_set_new(o, "carried_to", it->carried_to ? json_id(it->carried_to) : json_null());
	return o;
}

/* The other open items, for the merge menu of item i. */
static json_t *merge_options(const struct agenda *ag, size_t i)
{
	json_t *list = json_array();
	for (size_t j = 0; j < ag->n_items; j++)
		if (j != i && !strcmp(ag->items[j].state, "open"))
			json_array_append_new(list, json_pack("{s:o, s:s}", "id", json_id(ag->items[j].id),
							      "title", ag->items[j].title));
	return list;
}

static json_t *agenda_model(wreq *r, const struct agenda *ag)
{
	json_t *items = json_array();
	for (size_t i = 0; i < ag->n_items; i++) {
		json_t *o = item_json(r, &ag->items[i]);
		json_object_set_new(o, "is_first", json_boolean(i == 0));
		json_object_set_new(o, "is_last", json_boolean(i + 1 == ag->n_items));
		if (ag->can_manage) {
			json_t *opts = merge_options(ag, i);
			json_object_set_new(o, "can_merge", json_boolean(json_array_size(opts) > 0));
			json_object_set_new(o, "merge_options", opts);
		}
		json_array_append_new(items, o);
	}
	json_t *later = json_array();
	for (size_t i = 0; i < ag->n_later; i++)
		json_array_append_new(later, json_pack("{s:o, s:o}", "id", json_id(ag->later[i].id),
						       "when_text", json_time_text(ag->later[i].starts_at)));
	json_t *agreed = json_null();
	if (ag->agreed_at)
		agreed = json_pack("{s:o, s:o, s:s}", "at", json_time(ag->agreed_at),
				   "at_text", json_time_text(ag->agreed_at), "by", ag->agreed_by_name);
	json_t *meeting = json_pack("{s:o, s:s, s:o, s:o, s:o, s:s, s:b, s:b}",
		"id", json_id(ag->meeting_id),
		"path", arena_printf(r->arena, "/meetings/%lld", (long long)ag->meeting_id),
		"starts_at", json_time(ag->starts_at), "ends_at", json_time(ag->ends_at),
		"when_text", json_time_text(ag->starts_at),
		"status", ag->meeting_status ? ag->meeting_status : "",
		"is_upcoming", ag->is_upcoming, "has_started", ag->has_started);
	json_t *group = json_group(r, ag->group_id, ag->group_name);
	return json_pack("{s:o, s:o, s:o, s:o, s:i, s:o, s:b, s:{s:b, s:b, s:b}, s:{s:i, s:i, s:i, s:i}, s:s}",
		"meeting", meeting, "group", group, "items", items, "agreed", agreed,
		"total_minutes", ag->total_minutes, "later_meetings", later,
		"has_items", ag->n_items > 0,
		"can", "propose", ag->can_propose, "manage", ag->can_manage, "mark", ag->can_mark,
		"limits", "title_max", AGENDA_TITLE_MAX, "why_max", AGENDA_WHY_MAX,
		"minutes_min", AGENDA_MINUTES_MIN, "minutes_max", AGENDA_MINUTES_MAX,
		"path", agenda_path(r, ag->meeting_id));
}

/* The page model: the agenda plus what only the HTML needs. */
static json_t *page_model(wreq *r, const struct agenda *ag)
{
	json_t *m = agenda_model(r, ag);
	json_object_set_new(m, "has_later", json_boolean(ag->n_later > 0));
	return m;
}

/* The agenda model for meeting_id as the signed-in person sees it, or NULL
 * (with e filled). */
static json_t *load_model(wreq *r, int64_t meeting_id, herr *e)
{
	struct agenda ag;
	struct actor me = web_actor(r);
	if (agenda_get(r->db, r->arena, &me, meeting_id, &ag, e))
		return NULL;
	json_t *m = page_model(r, &ag);
	json_object_set_new(m, "form", json_object());
	return m;
}

static const char *page_title(json_t *m)
{
	json_t *g = json_object_get(m, "group");
	return json_string_value(json_object_get(g, "name"));
}

/* ---- reading input --------------------------------------------------------- */

/* An id sent in field name (a string of digits); 422 naming it otherwise. */
static int read_id(wreq *r, const char *name, const char *label, int64_t *ret, herr *e)
{
	const char *s = "";
	int rc = form_text(r, name, label, FIELD_REQUIRED, 24, &s, e);
	if (!rc && !id_parse(s, ret))
		rc = herr_set(e, ERR_INVALID, name, "Choose %s.", label);
	return rc;
}

/* ---- answers ---------------------------------------------------------------- */

/* After a change to item_id: HTML goes back to the agenda of the meeting
 * it is on now; JSON gets the item. */
static int item_changed(wreq *r, int64_t item_id, int status)
{
	struct agenda_item it;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (agenda_item_get(r->db, r->arena, &me, item_id, &it, &e))
		return web_fail(r, &e);
	const char *to = arena_printf(r->arena, "%s#item-%lld", agenda_path(r, it.meeting_id),
				      (long long)item_id);
	return web_redirect(r, to, status, json_pack("{s:o}", "item", item_json(r, &it)));
}

/* A refused change. A person who may read the agenda sees it again with
 * the message (tied to the item's field when there is one); anyone else,
 * and JSON, gets the error. */
static int change_failed(wreq *r, int64_t meeting_id, int64_t item_id, herr *e)
{
	if (r->want_json || e->code == ERR_DENIED || e->code == ERR_NOTFOUND ||
	    e->code == ERR_UNAUTH || e->code <= ERR_DB)
		return web_fail(r, e);
	herr ignore;
	herr_clear(&ignore);
	json_t *m = meeting_id ? load_model(r, meeting_id, &ignore) : NULL;
	if (!m)
		return web_fail(r, e);
	herr shown = *e;
	if (item_id && e->field) {
		json_t *it;
		size_t i;
		json_array_foreach(json_object_get(m, "items"), i, it)
			if (!strcmp(json_string_value(json_object_get(it, "id")),
				    arena_printf(r->arena, "%lld", (long long)item_id)))
				json_object_set_new(it, "item_errors", json_pack("{s:s}", e->field, e->message));
		shown.field = arena_printf(r->arena, "%s-%lld", e->field, (long long)item_id);
	}
	return web_form_fail(r, "agenda", page_title(m), m, &shown);
}

/* The meeting an item is on (0 when it cannot be read). */
static int64_t meeting_of(wreq *r, int64_t item_id)
{
	struct agenda_item it;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	return agenda_item_get(r->db, r->arena, &me, item_id, &it, &e) ? 0 : it.meeting_id;
}

/* ---- handlers ----------------------------------------------------------------- */

static int agenda_show(wreq *r)
{
	int64_t id;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	json_t *m = load_model(r, id, &e);
	if (!m)
		return web_fail(r, &e);
	r->personal = true;
	return web_page(r, 200, "agenda", page_title(m), m);
}

static int item_add_submit(wreq *r)
{
	static const char *const fields[] = { "title", "why", NULL };
	int64_t id, item_id = 0;
	const char *title = "", *why = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "title", "a title for the item", FIELD_OPTIONAL,
				AGENDA_TITLE_MAX, &title, &e);
	if (!rc) rc = form_text(r, "why", "a few words on why", FIELD_OPTIONAL, AGENDA_WHY_MAX,
				&why, &e);
	if (!rc) rc = agenda_propose(r->db, &me, id, title, why, &item_id, &e);
	if (!rc)
		return item_changed(r, item_id, 201);
	if (r->want_json || e.code == ERR_DENIED || e.code == ERR_NOTFOUND || e.code <= ERR_DB)
		return web_fail(r, &e);
	herr ignore;
	herr_clear(&ignore);
	json_t *m = load_model(r, id, &ignore);
	if (!m)
		return web_fail(r, &e);
	json_object_set_new(m, "form", json_pack("{s:s, s:s}", "title", title ? title : "",
						 "why", why ? why : ""));
	return web_form_fail(r, "agenda", page_title(m), m, &e);
}

/* Support, take back support, withdraw: an item and no fields. */
static int simple_item_change(wreq *r, int (*change)(wreq *, int64_t, herr *))
{
	static const char *const fields[] = { NULL };
	int64_t id;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = change(r, id, &e);
	if (rc)
		return change_failed(r, meeting_of(r, id), id, &e);
	return item_changed(r, id, 200);
}

static int do_support(wreq *r, int64_t id, herr *e)
{
	struct actor me = web_actor(r);
	return agenda_support(r->db, &me, id, true, e);
}

static int do_unsupport(wreq *r, int64_t id, herr *e)
{
	struct actor me = web_actor(r);
	return agenda_support(r->db, &me, id, false, e);
}

static int do_withdraw(wreq *r, int64_t id, herr *e)
{
	struct actor me = web_actor(r);
	return agenda_withdraw(r->db, &me, id, e);
}

static int support_submit(wreq *r)
{
	return simple_item_change(r, do_support);
}

static int unsupport_submit(wreq *r)
{
	return simple_item_change(r, do_unsupport);
}

static int withdraw_submit(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	int64_t meeting = meeting_of(r, id);
	static const char *const fields[] = { NULL };
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = do_withdraw(r, id, &e);
	if (rc)
		return change_failed(r, meeting, id, &e);
	if (r->want_json)
		return web_redirect(r, "/", 200, json_pack("{s:s}", "state", "withdrawn"));
	return web_redirect(r, agenda_path(r, meeting), 200, NULL);
}

static int move_submit(wreq *r)
{
	static const char *const fields[] = { "direction", "position", NULL };
	int64_t id;
	const char *direction = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	bool by_position = r->body && json_object_get(r->body, "position") &&
			   !json_object_get(r->body, "direction");
	if (!rc && by_position) {
		int pos = 0;
		rc = form_int_required(r, "position", "the position (1 is first)", 1, AGENDA_ITEMS_MAX, &pos, &e);
		if (!rc) rc = agenda_set_position(r->db, &me, id, pos, &e);
	} else if (!rc) {
		rc = form_text(r, "direction", "up or down", FIELD_OPTIONAL, 8, &direction, &e);
		if (!rc) rc = agenda_move(r->db, &me, id, direction, &e);
	}
	if (rc)
		return change_failed(r, meeting_of(r, id), id, &e);
	return item_changed(r, id, 200);
}

static int time_submit(wreq *r)
{
	static const char *const fields[] = { "minutes", NULL };
	int64_t id;
	int minutes = 0;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_int_required(r, "minutes", "the minutes for the item", AGENDA_MINUTES_MIN,
					AGENDA_MINUTES_MAX, &minutes, &e);
	if (!rc) rc = agenda_set_time(r->db, &me, id, minutes, &e);
	if (rc)
		return change_failed(r, meeting_of(r, id), id, &e);
	return item_changed(r, id, 200);
}

static int merge_submit(wreq *r)
{
	static const char *const fields[] = { "into", NULL };
	int64_t id, into = 0;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = read_id(r, "into", "the item to merge this one into", &into, &e);
	if (!rc) rc = agenda_merge(r->db, &me, id, into, &e);
	if (rc)
		return change_failed(r, meeting_of(r, id), id, &e);
	return item_changed(r, into, 200);
}

static int defer_submit(wreq *r)
{
	static const char *const fields[] = { "to_meeting", NULL };
	int64_t id, to = 0;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int64_t meeting = meeting_of(r, id);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = read_id(r, "to_meeting", "the later meeting", &to, &e);
	if (!rc) rc = agenda_defer(r->db, &me, id, to, &e);
	if (rc)
		return change_failed(r, meeting, id, &e);
	if (r->want_json)
		return item_changed(r, id, 200);
	return web_redirect(r, agenda_path(r, meeting), 200, NULL);
}

static int outcome_submit(wreq *r)
{
	static const char *const fields[] = { "outcome", NULL };
	int64_t id;
	const char *outcome = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "outcome", "what became of the item", FIELD_OPTIONAL, 16,
				&outcome, &e);
	if (!rc) rc = agenda_set_outcome(r->db, &me, id, outcome, &e);
	if (rc)
		return change_failed(r, meeting_of(r, id), id, &e);
	return item_changed(r, id, 200);
}

static int agree_submit(wreq *r)
{
	static const char *const fields[] = { NULL };
	int64_t id;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = agenda_agree(r->db, &me, id, &e);
	if (rc)
		return change_failed(r, id, 0, &e);
	if (!r->want_json)
		return web_redirect(r, agenda_path(r, id), 200, NULL);
	json_t *m = load_model(r, id, &e);
	if (!m)
		return web_fail(r, &e);
	return web_redirect(r, agenda_path(r, id), 200, m);
}

/* ---- routes ------------------------------------------------------------------- */

#define ITEM_RESPONSE "item!:object"

static const struct web_doc agenda_show_doc = {
	.summary = "A meeting's agenda: items in order with support, proposer and why",
	.description = "The group's members and managers. Items withdrawn or merged are left "
		       "out; agreed says who agreed the agenda and when (null when not agreed or "
		       "changed since). can says what the caller may do now.",
	.tag = "Agendas",
	.response = "meeting!:object group!:object items!:object[] agreed!:object? "
		    "total_minutes!:integer later_meetings!:object[] has_items!:boolean "
		    "can!:object limits!:object path!:string form:object has_later:boolean",
};
static const struct web_doc item_add_doc = {
	.summary = "Propose an item for an upcoming meeting",
	.description = "The group's members and managers, for a meeting not yet started or "
		       "cancelled (else 409). title up to 120 characters, why up to 500.",
	.tag = "Agendas", .request = "title!:string why!:string", .status = 201,
	.response = ITEM_RESPONSE, .errors = "409 422",
};
static const struct web_doc support_doc = {
	.summary = "Add your support to an item (again: no change)",
	.description = "The group's members and managers, before the meeting starts. Idempotent: "
		       "supporting twice answers 200 and counts once. Proposers may support their own.",
	.tag = "Agendas", .request = "{'type':'object','additionalProperties':false}",
	.response = ITEM_RESPONSE, .errors = "409",
};
static const struct web_doc unsupport_doc = {
	.summary = "Take back your support for an item (none given: no change)",
	.description = "The group's members and managers, before the meeting starts.",
	.tag = "Agendas", .request = "{'type':'object','additionalProperties':false}",
	.response = ITEM_RESPONSE, .errors = "409",
};
static const struct web_doc withdraw_doc = {
	.summary = "Withdraw an item you proposed",
	.description = "Only its proposer, before the meeting starts.",
	.tag = "Agendas", .request = "{'type':'object','additionalProperties':false}",
	.response = "state!:string", .errors = "409",
};
static const struct web_doc move_doc = {
	.summary = "Move an item up or down the agenda, or to a position",
	.description = "The group's managers, before the meeting starts. Send direction (up or "
		       "down) or position (1 is first).",
	.tag = "Agendas", .request = "direction:up|down position:integer",
	.response = ITEM_RESPONSE, .errors = "409 422",
};
static const struct web_doc time_doc = {
	.summary = "Set the minutes allotted to an item (1 to 180)",
	.description = "The group's managers, before the meeting starts.",
	.tag = "Agendas", .request = "minutes!:numeric",
	.response = ITEM_RESPONSE, .errors = "409 422",
};
static const struct web_doc merge_doc = {
	.summary = "Merge an item into another on the same agenda",
	.description = "The group's managers, before the meeting starts. The merged item's "
		       "supporters and proposer support the item it joins; the answer is that item.",
	.tag = "Agendas", .request = "into!:id",
	.response = ITEM_RESPONSE, .errors = "409 422",
};
static const struct web_doc defer_doc = {
	.summary = "Defer an item to a later upcoming meeting of the group",
	.description = "The group's managers, before the meeting starts; the item goes to the "
		       "end of that meeting's agenda.",
	.tag = "Agendas", .request = "to_meeting!:id",
	.response = ITEM_RESPONSE, .errors = "409 422",
};
static const struct web_doc outcome_doc = {
	.summary = "Mark an item discussed, deferred or dropped, once the meeting has started",
	.description = "The group's managers. A deferred item is carried to the group's next "
		       "upcoming meeting (carried_to), at once or as soon as one exists; items "
		       "still open when a meeting is closed are deferred and carried the same way.",
	.tag = "Agendas", .request = "outcome!:discussed|deferred|dropped",
	.response = ITEM_RESPONSE, .errors = "409 422",
};
static const struct web_doc agree_doc = {
	.summary = "Agree a meeting's agenda (records who and when)",
	.description = "The group's managers, before the meeting starts. Any later change to "
		       "the items takes the agreement back.",
	.tag = "Agendas", .request = "{'type':'object','additionalProperties':false}",
	.response = "meeting!:object group!:object items!:object[] agreed!:object? "
		    "total_minutes!:integer later_meetings!:object[] has_items!:boolean "
		    "can!:object limits!:object path!:string form:object has_later:boolean",
	.errors = "409",
};

const struct web_route agenda_routes[] = {
	{ M_GET, "/meetings/{id}/agenda", agenda_show, ACCESS_SIGNED_IN, &agenda_show_doc },
	{ M_POST, "/meetings/{id}/agenda/items", item_add_submit, ACCESS_SIGNED_IN, &item_add_doc },
	{ M_POST, "/meetings/{id}/agenda/agree", agree_submit, ACCESS_SIGNED_IN, &agree_doc },
	{ M_POST, "/agenda-items/{id}/support", support_submit, ACCESS_SIGNED_IN, &support_doc },
	{ M_POST, "/agenda-items/{id}/unsupport", unsupport_submit, ACCESS_SIGNED_IN, &unsupport_doc },
	{ M_POST, "/agenda-items/{id}/withdraw", withdraw_submit, ACCESS_SIGNED_IN, &withdraw_doc },
	{ M_POST, "/agenda-items/{id}/move", move_submit, ACCESS_SIGNED_IN, &move_doc },
	{ M_POST, "/agenda-items/{id}/time", time_submit, ACCESS_SIGNED_IN, &time_doc },
	{ M_POST, "/agenda-items/{id}/merge", merge_submit, ACCESS_SIGNED_IN, &merge_doc },
	{ M_POST, "/agenda-items/{id}/defer", defer_submit, ACCESS_SIGNED_IN, &defer_doc },
	{ M_POST, "/agenda-items/{id}/outcome", outcome_submit, ACCESS_SIGNED_IN, &outcome_doc },
	{ 0 }
};
