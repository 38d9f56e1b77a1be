/* meeting_pages.c - a group's meetings (capability C3): the list of past
 * and upcoming meetings with a form for one-offs, a meeting's page (when,
 * where, notice, attendance, roles, minutes, actions and the closing
 * record) with its facilitators' forms, and the pages for recording
 * attendance, who facilitated and roles, and minutes. Members read; the
 * group's managers write (app/meeting.c checks both). Every page has its
 * JSON face under /api/v1/. */
#include "form.h"
#include "view.h"

#include "../app/action.h"
#include "../app/meeting.h"
#include "../app/network.h"
#include "../app/membership.h"
#include "../app/schedule.h"
#include "../base/ids.h"

#include <stdlib.h>
#include <string.h>

#define PAST_PAGE_SIZE 20
#define UPCOMING_LIMIT 30
#define PAGE_MAX 10000
#define ROLL_PAGE_SIZE 20     /* people a page of the attendance form */
#define OWNER_CHOICES 25      /* people offered as an action's owner at once */

/* ---- small helpers -------------------------------------------------------- */

static json_t *local_text(const char *zone, int64_t ms, const char *fmt)
{
	char s[96];
	if (ms <= 0 || schedule_format_local(ms, zone, fmt, s, sizeof s))
		return json_null();
	return json_string(s);
}

/* "Tuesday 6 January 2026, 18:30 to 20:00" in the network's zone. */
static json_t *when_text(const char *zone, int64_t starts, int64_t ends)
{
	char a[64], b[16], c[16], d[16];
	if (schedule_format_local(starts, zone, "%A %-d %B %Y, %H:%M", a, sizeof a) ||
	    schedule_format_local(ends, zone, "%H:%M", b, sizeof b) ||
	    schedule_format_local(starts, zone, "%Y-%m-%d", c, sizeof c) ||
	    schedule_format_local(ends, zone, "%Y-%m-%d", d, sizeof d))
		return json_null();
	if (strcmp(c, d) != 0 &&
	    schedule_format_local(ends, zone, "%A %-d %B %Y, %H:%M", b, sizeof b) == 0) {
		char both[160];
		snprintf(both, sizeof both, "%s to %s", a, b);
		return json_string(both);
	}
	char both[96];
	snprintf(both, sizeof both, "%s to %s", a, b);
	return json_string(both);
}

static const char *meeting_path(wreq *r, int64_t id, const char *suffix)
{
	return arena_printf(r->arena, "/meetings/%lld%s", (long long)id, suffix);
}

static const char *group_path(wreq *r, int64_t id, const char *suffix)
{
	return arena_printf(r->arena, "/groups/%lld%s", (long long)id, suffix);
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

static const char *status_text(const char *status)
{
	if (is(status, "cancelled"))
		return "Cancelled";
	if (is(status, "closed"))
		return "Closed (record written)";
	return "Scheduled";
}

/* For HTML, a field of one of several forms on a page is named
 * "<form>_<field>", so its error sits beside the right input. */
static void name_field_for_form(wreq *r, const char *form, herr *e)
{
	if (!r->want_json && e->field)
		e->field = arena_printf(r->arena, "%s_%s", form, e->field);
}

/* An id from a JSON string (or integer) or a form field; 0 when empty. */
static int form_id(wreq *r, const char *name, const char *label, int64_t *ret, herr *e)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	*ret = 0;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*ret = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && id_parse(json_string_value(v), ret))
		return 0;
	return herr_set(e, ERR_BADREQ, name, "What was sent for %s is not an id.", label);
}

/* ---- view models ------------------------------------------------------------ */

static json_t *summary_json(wreq *r, const char *zone, const struct meeting_summary *m)
{
	json_t *o = json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:s}",
		"id", json_id(m->id),
		"group_id", json_id(m->group_id),
		"group_name", m->group_name ? m->group_name : "",
		"group_path", group_path(r, m->group_id, ""),
		"starts_at", json_time(m->starts_at),
		"ends_at", json_time(m->ends_at),
		"when_text", when_text(zone, m->starts_at, m->ends_at),
		"status", m->status ? m->status : "scheduled",
		"status_text", status_text(m->status),
		"kind", m->kind ? m->kind : "scheduled",
		"moved_from", json_time(m->moved_from),
		"moved_from_text", local_text(zone, m->moved_from, "%A %-d %B %Y, %H:%M"),
		"notice", json_str_or_null(m->notice),
		"path", meeting_path(r, m->id, ""));
	json_object_set_new(o, "is_cancelled", json_boolean(is(m->status, "cancelled")));
	json_object_set_new(o, "is_closed", json_boolean(is(m->status, "closed")));
	json_object_set_new(o, "is_one_off", json_boolean(is(m->kind, "one_off")));
	return o;
}

static json_t *group_json(wreq *r, const struct meeting_group *g)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}",
		"id", json_id(g->id),
		"name", g->name ? g->name : "",
		"status", g->status ? g->status : "",
		"path", group_path(r, g->id, ""),
		"meetings_path", group_path(r, g->id, "/meetings"),
		"members_path", group_path(r, g->id, "/members"));
}

/* Where the meeting happens. Members see the online link (the meeting
 * pages are for members only). */
static json_t *place_json(const struct meeting_group *g)
{
	bool online = is(g->format, "online") || is(g->format, "hybrid");
	bool in_person = is(g->format, "in_person") || is(g->format, "hybrid");
	return json_pack("{s:s, s:b, s:b, s:o, s:o, s:o, s:o}",
		"format", g->format ? g->format : "",
		"online", online, "in_person", in_person,
		"venue_name", json_str_or_null(in_person ? g->venue_name : NULL),
		"venue_address", json_str_or_null(in_person ? g->venue_address : NULL),
		"venue_access", json_str_or_null(in_person ? g->venue_access : NULL),
		"online_link", json_str_or_null(online ? g->online_link : NULL));
}

static json_t *attendance_json(const struct meeting *m)
{
	json_t *list = json_array();
	for (size_t i = 0; i < m->n_attendance; i++) {
		const struct meeting_attendee *a = &m->attendance[i];
		json_array_append_new(list, json_person(a->person_id, a->display_name,
			json_pack("{s:s, s:b}", "status", a->status ? a->status : "",
				  "newcomer", a->newcomer)));
	}
	return list;
}

static json_t *people_json(const struct meeting_person *p, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_person(p[i].person_id, p[i].display_name, NULL));
	return list;
}

/* "Alice, Bob and Chen". */
static json_t *names_text(const struct meeting_person *p, size_t n)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, i == n - 1 ? " and " : ", ");
		buf_puts(&b, p[i].display_name ? p[i].display_name : "");
	}
	json_t *s = json_stringn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

static json_t *roles_json(const struct meeting *m)
{
	json_t *list = json_array();
	for (size_t i = 0; i < m->n_roles; i++)
		json_array_append_new(list, json_person(m->roles[i].person_id,
			m->roles[i].display_name,
			json_pack("{s:s}", "role", m->roles[i].role ? m->roles[i].role : "")));
	return list;
}

static json_t *actions_json(wreq *r, const char *zone, const struct meeting *m, bool manager)
{
	json_t *list = json_array();
	for (size_t i = 0; i < m->n_actions; i++) {
		const struct action_item *x = &m->actions[i];
		json_t *o = json_pack("{s:o, s:s, s:o, s:o, s:o, s:b, s:o, s:o}",
			"id", json_id(x->id),
			"description", x->description ? x->description : "",
			"owner_id", x->owner_id ? json_id(x->owner_id) : json_null(),
			"owner_name", json_str_or_null(x->owner_name),
			"due_date", json_str_or_null(x->due_date),
			"done", x->done_at != 0,
			"done_at", json_time(x->done_at),
			"done_text", local_text(zone, x->done_at, "%-d %B %Y"));
		if (manager) {
			json_object_set_new(o, "done_path", json_string(arena_printf(r->arena,
				"/actions/%lld/done", (long long)x->id)));
			json_object_set_new(o, "undo_path", json_string(arena_printf(r->arena,
				"/actions/%lld/undo", (long long)x->id)));
		}
		json_array_append_new(list, o);
	}
	return list;
}

/* The counts of everyone's attendance at m. */
static json_t *attendance_summary_json(const struct meeting *m)
{
	return json_pack("{s:i, s:i, s:i, s:i}", "present", m->present, "apologies",
			 m->apologies, "absent", m->absent, "newcomers", m->newcomers);
}

static json_t *meeting_json(wreq *r, const char *zone, const struct meeting *m)
{
	bool manager = m->group.standing.can_manage;
	json_t *o = summary_json(r, zone, &m->s);
	json_object_set_new(o, "occurrence_key", json_str_or_null(m->occurrence_key));
	json_object_set_new(o, "place", place_json(&m->group));
	json_object_set_new(o, "facilitated_by_peer", m->facilitated_by_peer < 0 ? json_null()
			    : json_boolean(m->facilitated_by_peer));
	json_object_set_new(o, "facilitated_by_peer_text", json_string(
		m->facilitated_by_peer < 0 ? "not recorded" : m->facilitated_by_peer ? "yes" : "no"));
	json_object_set_new(o, "facilitators", people_json(m->facilitators, m->n_facilitators));
	json_object_set_new(o, "facilitators_text", names_text(m->facilitators, m->n_facilitators));
	json_object_set_new(o, "attendance", attendance_json(m));
	json_object_set_new(o, "attendance_summary", attendance_summary_json(m));
	json_object_set_new(o, "roles", roles_json(m));
	json_object_set_new(o, "minutes_md", json_str_or_null(m->minutes_md));
	json_object_set_new(o, "minutes_html", json_markdown(m->minutes_md));
	json_object_set_new(o, "minutes_updated_at", json_time(m->minutes_updated_at));
	json_object_set_new(o, "minutes_updated_text",
			    local_text(zone, m->minutes_updated_at, "%-d %B %Y, %H:%M"));
	json_object_set_new(o, "minutes_by", json_str_or_null(m->minutes_by_name));
	json_object_set_new(o, "actions", actions_json(r, zone, m, manager));
	json_object_set_new(o, "attendance_count", m->attendance_count < 0 ? json_null()
			    : json_integer(m->attendance_count));
	json_object_set_new(o, "themes", json_str_or_null(m->themes));
	json_object_set_new(o, "closed_at", json_time(m->closed_at));
	json_object_set_new(o, "has_started", json_boolean(m->has_started));
	return o;
}

/* What the actor may do with the meeting now. */
static json_t *abilities_json(const struct meeting *m)
{
	const struct standing *st = &m->group.standing;
	return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
		"see_attendance", st->can_manage,
		"manage", st->can_manage && !st->is_closed,
		"change_date", m->can_change_date,
		"restore", m->can_restore,
		"record", m->can_record,
		"record_held", m->can_record_held,
		"group_closed", st->is_closed);
}

/* Whom the managers' "add an action" form offers as its owner: at most
 * OWNER_CHOICES of the group, by name, narrowed by the query's
 * owner_find, and how many match in all; none for anyone else. */
static int owner_choices(wreq *r, const struct meeting *m, const char *find,
			 struct meeting_roll_row **ret, size_t *ret_n, int *ret_total, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	*ret_total = 0;
	if (!m->group.standing.can_manage || r->want_json)
		return 0;
	return meeting_roll_page(r->db, r->arena, m, find, 0, OWNER_CHOICES, ret, ret_n,
				 ret_total, e);
}

static const char *meeting_title(wreq *r, const char *zone, const struct meeting *m)
{
	char day[48];
	if (schedule_format_local(m->s.starts_at, zone, "%-d %B %Y", day, sizeof day))
		day[0] = '\0';
	return arena_printf(r->arena, "Meeting of %s on %s", m->group.name ? m->group.name : "a group",
			    day);
}

/* The meeting id, as the actor may see it, and the network's time zone.
 * With what (say "record attendance") the page is for the group's managers
 * only; others are told they can see them (it) on the meeting's page. */
static int load_meeting(wreq *r, int64_t id, const char *what, const char *them,
			struct meeting *m, const char **ret_zone, herr *e)
{
	struct actor me = web_actor(r);
	*ret_zone = network_time_zone(r->db, r->arena);
	int rc = meeting_get(r->db, r->arena, &me, id, m, e);
	if (!rc && what && !m->group.standing.can_manage)
		rc = herr_set(e, ERR_DENIED, NULL,
			      "Only this group's facilitators and the network's coordinators can "
			      "%s. You can see %s on the meeting's page.", what, them);
	return rc;
}

/* Errors answered on their own, not beside a form's field. */
static bool fails_alone(const wreq *r, const herr *e)
{
	return r->want_json || e->code == ERR_DENIED || e->code == ERR_NOTFOUND;
}

/* A form of one of a meeting's pages being shown again: its error, and
 * what was typed: for the minutes page the minutes, for the meeting's page
 * the values of its managers' forms (the model takes them over). */
struct form_again {
	const herr *error;
	const char *minutes;
	json_t *form;
};

/* Builds the model and title of one of a meeting's pages; again is NULL
 * for a first showing. */
typedef int meeting_model_fn(wreq *r, int64_t id, const struct form_again *again, json_t **ret,
			     const char **ret_title, herr *e);

/* GET of one of a meeting's pages. */
static int meeting_page_show(wreq *r, meeting_model_fn *model, const char *tmpl)
{
	int64_t id;
	json_t *m;
	const char *title;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	r->personal = true;
	if (model(r, id, NULL, &m, &title, &e))
		return web_fail(r, &e);
	return web_page(r, 200, tmpl, title, m);
}

/* A form of one of a meeting's pages did not validate: the page again,
 * with the error by its field. */
static int meeting_page_again(wreq *r, int64_t id, meeting_model_fn *model, const char *tmpl,
			      const struct form_again *again)
{
	json_t *m;
	const char *title;
	herr e2;
	herr_clear(&e2);
	if (model(r, id, again, &m, &title, &e2))
		return web_fail(r, again->error);
	return web_form_fail(r, tmpl, title, m, again->error);
}

static const struct web_notice meeting_notices[] = {
	{ "added", "The meeting is added." },
	{ "cancelled", "The meeting is cancelled. Members see your note." },
	{ "restored", "The meeting is back on." },
	{ "moved", "The meeting is moved. Members see your note." },
	{ "attendance", "Attendance is saved." },
	{ "roles", "Who facilitated and the roles taken are saved." },
	{ "minutes", "The minutes are saved." },
	{ "action", "The action is added." },
	{ "action_done", "The action is ticked off." },
	{ "action_undone", "The action is open again." },
	{ "closed", "The meeting's record is saved." },
	{ NULL, NULL },
};

/* The whole model of a meeting's page, with the notice of a change just
 * made when shown for the first time. */
static int meeting_page_model(wreq *r, int64_t id, const struct form_again *again, json_t **ret,
			      const char **ret_title, herr *e)
{
	json_t *form = again ? again->form : NULL;
	struct meeting m;
	const char *zone;
	const char *owner_find;
	struct meeting_roll_row *members = NULL;
	size_t n = 0;
	int n_match = 0;
	int rc = query_find(r, "owner_find", MEETING_FIND_MAX, &owner_find, e);
	if (!rc) rc = load_meeting(r, id, NULL, NULL, &m, &zone, e);
	if (!rc) rc = owner_choices(r, &m, owner_find, &members, &n, &n_match, e);
	if (rc) {
		json_decref(form);
		return rc;
	}
	const char *chosen = form ? json_string_value(json_object_get(form, "action_owner_id")) : NULL;
	json_t *owners = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_person(members[i].person_id, members[i].display_name, NULL);
		const char *id_text = json_string_value(json_object_get(o, "person_id"));
		json_object_set_new(o, "selected", json_boolean(chosen && !strcmp(chosen, id_text)));
		json_array_append_new(owners, o);
	}
	char date[16] = "", clock[8] = "";
	schedule_format_local(m.s.starts_at, zone, "%Y-%m-%d", date, sizeof date);
	schedule_format_local(m.s.starts_at, zone, "%H:%M", clock, sizeof clock);
	if (!form)
		form = json_object();
	if (!json_object_get(form, "move_date"))
		json_object_set_new(form, "move_date", json_string(date));
	if (!json_object_get(form, "move_time"))
		json_object_set_new(form, "move_time", json_string(clock));
	if (!json_object_get(form, "close_attendance_count"))
		json_object_set_new(form, "close_attendance_count",
				    json_integer(m.attendance_count >= 0 ? m.attendance_count : m.present));
	if (!json_object_get(form, "close_themes"))
		json_object_set_new(form, "close_themes", json_string(m.themes ? m.themes : ""));
	json_t *model = json_pack("{s:o, s:o, s:o}",
		"meeting", meeting_json(r, zone, &m),
		"group", group_json(r, &m.group),
		"can", abilities_json(&m));
	if (!r->want_json) {
		json_object_set_new(model, "owners", owners);
		json_object_set_new(model, "owner_find", json_string(owner_find));
		json_object_set_new(model, "owners_shown", json_integer((json_int_t)n));
		json_object_set_new(model, "owners_total", json_integer(n_match));
		json_object_set_new(model, "owners_more", json_boolean((size_t)n_match > n));
		json_object_set_new(model, "show_owner_find",
				    json_boolean((size_t)n_match > n || owner_find[0]));
		json_object_set_new(model, "list_attendance",
				    json_boolean(m.n_attendance <= ROLL_PAGE_SIZE));
		json_object_set_new(model, "form", form);
		json_object_set_new(model, "has_attendance",
				    json_boolean(m.present + m.apologies + m.absent > 0));
		json_object_set_new(model, "has_attendance_list", json_boolean(m.n_attendance > 0));
		json_object_set_new(model, "has_roles", json_boolean(m.n_roles > 0 || m.n_facilitators > 0));
		json_object_set_new(model, "has_actions", json_boolean(m.n_actions > 0));
		json_object_set_new(model, "has_role_list", json_boolean(m.n_roles > 0));
		json_object_set_new(model, "meeting_date", json_string(date));
		if (!again)
			web_add_notice(r, model, meeting_notices);
	} else {
		json_decref(owners);
		json_decref(form);
	}
	*ret = model;
	*ret_title = meeting_title(r, zone, &m);
	return 0;
}

static int meeting_show(wreq *r)
{
	return meeting_page_show(r, meeting_page_model, "meeting");
}

/* After a change: the meeting again, as JSON, or a redirect with a notice. */
static int meeting_changed(wreq *r, int64_t id, const char *notice_param, int json_status)
{
	herr e;
	herr_clear(&e);
	const char *to = arena_printf(r->arena, "/meetings/%lld?%s=1", (long long)id, notice_param);
	if (!r->want_json)
		return web_redirect(r, to, json_status, NULL);
	json_t *model;
	const char *title;
	if (meeting_page_model(r, id, NULL, &model, &title, &e))
		return web_fail(r, &e);
	json_t *body = json_pack("{s:O}", "meeting", json_object_get(model, "meeting"));
	json_decref(model);
	return web_redirect(r, to, json_status, body);
}

/* A change from a form on the meeting's page failed: the page again with
 * the error beside the form's field, or the error as JSON. */
static int meeting_form_failed(wreq *r, int64_t id, const char *form_name, json_t *form, herr *e)
{
	if (fails_alone(r, e)) {
		json_decref(form);
		return web_fail(r, e);
	}
	name_field_for_form(r, form_name, e);
	return meeting_page_again(r, id, meeting_page_model, "meeting",
				  &(struct form_again){ e, NULL, form });
}

/* ---- cancel, restore, move ---------------------------------------------------- */

/* Cancel (or restore) the meeting, with an optional note for members. */
static int cancel_or_restore(wreq *r, bool cancel)
{
	static const char *const fields[] = { "notice", NULL };
	const char *form = cancel ? "cancel" : "restore";
	int64_t id;
	const char *notice = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "notice", cancel ? "a note telling members why"
				: "the note for members", FIELD_OPTIONAL, MEETING_NOTICE_MAX, &notice, &e);
	if (!rc) rc = cancel ? meeting_cancel(r->db, &me, id, notice, &e)
			     : meeting_restore(r->db, &me, id, notice, &e);
	if (rc)
		return meeting_form_failed(r, id, form, json_pack("{s:s}",
			arena_printf(r->arena, "%s_notice", form), notice), &e);
	return meeting_changed(r, id, cancel ? "cancelled" : "restored", 200);
}

static int meeting_cancel_submit(wreq *r)
{
	return cancel_or_restore(r, true);
}

static int meeting_restore_submit(wreq *r)
{
	return cancel_or_restore(r, false);
}

static int meeting_move_submit(wreq *r)
{
	static const char *const fields[] = { "date", "time", "notice", NULL };
	int64_t id;
	const char *date = "", *time = "", *notice = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "date", "the new date", FIELD_REQUIRED, 10, &date, &e);
	if (!rc) rc = form_text(r, "time", "the new start time", FIELD_REQUIRED, 5, &time, &e);
	if (!rc) rc = form_text(r, "notice", "a note telling members about the move",
				FIELD_OPTIONAL, MEETING_NOTICE_MAX, &notice, &e);
	if (!rc) rc = meeting_move(r->db, &me, id, date, time, notice, &e);
	if (rc)
		return meeting_form_failed(r, id, "move", json_pack("{s:s, s:s, s:s}",
			"move_date", date, "move_time", time, "move_notice", notice), &e);
	return meeting_changed(r, id, "moved", 200);
}

/* ---- closing record and actions ------------------------------------------------ */

static int meeting_close_submit(wreq *r)
{
	static const char *const fields[] = { "attendance_count", "themes", NULL };
	int64_t id;
	int count = -1;
	const char *themes = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	json_t *sent = r->body ? json_object_get(r->body, "attendance_count") : NULL;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "themes", "the themes", FIELD_OPTIONAL, MEETING_THEMES_MAX,
				&themes, &e);
	if (!rc) rc = form_int(r, "attendance_count", "how many people came", 0, MEETING_COUNT_MAX,
			       -1, &count, &e);
	if (!rc) rc = meeting_close(r->db, &me, id, count, themes, &e);
	if (rc) {
		json_t *form = json_pack("{s:s}", "close_themes", themes);
		if (json_is_string(sent))
			json_object_set(form, "close_attendance_count", sent);
		return meeting_form_failed(r, id, "close", form, &e);
	}
	return meeting_changed(r, id, "closed", 200);
}

static int action_add_submit(wreq *r)
{
	static const char *const fields[] = { "description", "owner_id", "due_date", NULL };
	int64_t id, action_id;
	struct action_new in = { "", 0, "" };
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "description", "what is to be done", FIELD_REQUIRED,
				ACTION_DESCRIPTION_MAX, &in.description, &e);
	if (!rc) rc = form_id(r, "owner_id", "who will do it", &in.owner_id, &e);
	if (!rc) rc = form_text(r, "due_date", "the due date", FIELD_OPTIONAL, 10, &in.due_date, &e);
	if (!rc) rc = action_add(r->db, &me, id, &in, &action_id, &e);
	if (rc)
		return meeting_form_failed(r, id, "action", json_pack("{s:s, s:s, s:o}",
			"action_description", in.description ? in.description : "",
			"action_due_date", in.due_date ? in.due_date : "",
			"action_owner_id", in.owner_id ? json_id(in.owner_id) : json_string("")), &e);
	return meeting_changed(r, id, "action", 201);
}

static int action_tick(wreq *r, bool done)
{
	int64_t id, meeting_id = 0;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	if (form_only_fields(r, (const char *const[]){ NULL }, &e) ||
	    action_set_done(r->db, &me, id, done, &meeting_id, &e))
		return web_fail(r, &e);
	if (!meeting_id)
		return web_redirect(r, "/me", 200, NULL);
	return meeting_changed(r, meeting_id, done ? "action_done" : "action_undone", 200);
}

static int action_done_submit(wreq *r)
{
	return action_tick(r, true);
}

static int action_undo_submit(wreq *r)
{
	return action_tick(r, false);
}

/* ---- a group's meetings ----------------------------------------------------------- */

static json_t *summaries_json(wreq *r, const char *zone, const struct meeting_summary *list,
			      size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, summary_json(r, zone, &list[i]));
	return a;
}

static int meetings_model(wreq *r, int64_t group_id, int page, json_t *form, json_t **ret,
			  const char **ret_title, herr *e)
{
	struct actor me = web_actor(r);
	struct meeting_group g;
	struct meeting_summary *up, *past;
	size_t nup, npast;
	bool more_up, more_past;
	const char *zone = network_time_zone(r->db, r->arena);
	int rc = meeting_group_get(r->db, r->arena, &me, group_id, &g, e);
	if (!rc) rc = meeting_list_for_group(r->db, r->arena, &me, group_id, false, 0,
					     UPCOMING_LIMIT, &up, &nup, &more_up, e);
	if (!rc) rc = meeting_list_for_group(r->db, r->arena, &me, group_id, true,
					     (page - 1) * PAST_PAGE_SIZE, PAST_PAGE_SIZE, &past,
					     &npast, &more_past, e);
	if (rc) {
		json_decref(form);
		return rc;
	}
	bool manage = g.standing.can_manage && !g.standing.is_closed;
	json_t *model = json_pack("{s:o, s:o, s:o, s:i, s:b, s:b, s:b}",
		"group", group_json(r, &g),
		"upcoming", summaries_json(r, zone, up, nup),
		"past", summaries_json(r, zone, past, npast),
		"page", page, "has_more_past", more_past, "has_more_upcoming", more_up,
		"can_manage", manage);
	if (!r->want_json) {
		char today[16] = "";
		schedule_format_local(time_now_ms(), zone, "%Y-%m-%d", today, sizeof today);
		json_object_set_new(model, "today", json_string(today));
		json_object_set_new(model, "form", form ? form : json_object());
		json_object_set_new(model, "has_upcoming", json_boolean(nup > 0));
		json_object_set_new(model, "has_past", json_boolean(npast > 0));
		if (more_past)
			json_object_set_new(model, "older_path", json_string(arena_printf(r->arena,
				"/groups/%lld/meetings?page=%d#past", (long long)group_id, page + 1)));
		if (page > 1)
			json_object_set_new(model, "newer_path", json_string(arena_printf(r->arena,
				"/groups/%lld/meetings?page=%d#past", (long long)group_id, page - 1)));
	} else {
		json_decref(form);
	}
	*ret = model;
	*ret_title = arena_printf(r->arena, "Meetings of %s", g.name ? g.name : "the group");
	return 0;
}

static int meetings_index(wreq *r)
{
	int64_t group_id;
	int page;
	json_t *model;
	const char *title;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &group_id))
		return 0;
	r->personal = true;
	if (query_page(r, PAGE_MAX, &page, &e) ||
	    meetings_model(r, group_id, page, NULL, &model, &title, &e))
		return web_fail(r, &e);
	return web_page(r, 200, "meetings", title, model);
}

static int one_off_submit(wreq *r)
{
	static const char *const fields[] = { "date", "start_time", "end_time", "notice", NULL };
	int64_t group_id, id;
	struct meeting_new in = { "", "", "", "" };
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &group_id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "date", "the date", FIELD_REQUIRED, 10, &in.date, &e);
	if (!rc) rc = form_text(r, "start_time", "the start time", FIELD_REQUIRED, 5,
				&in.start_time, &e);
	if (!rc) rc = form_text(r, "end_time", "the end time", FIELD_REQUIRED, 5, &in.end_time, &e);
	if (!rc) rc = form_text(r, "notice", "the note for members", FIELD_OPTIONAL,
				MEETING_NOTICE_MAX, &in.notice, &e);
	if (!rc) rc = meeting_add_one_off(r->db, &me, group_id, &in, &id, &e);
	if (!rc)
		return meeting_changed(r, id, "added", 201);
	if (fails_alone(r, &e))
		return web_fail(r, &e);
	json_t *model;
	const char *title;
	herr e2;
	herr_clear(&e2);
	json_t *form = json_pack("{s:s, s:s, s:s, s:s}", "date", in.date, "start_time",
				 in.start_time, "end_time", in.end_time, "notice", in.notice);
	if (meetings_model(r, group_id, 1, form, &model, &title, &e2))
		return web_fail(r, &e);
	return web_form_fail(r, "meetings", title, model, &e);
}

/* ---- attendance --------------------------------------------------------------------- */

/* Body values sent for person_id in a form being shown again. */
static const char *sent_value(wreq *r, const char *prefix, int64_t person_id)
{
	if (!r->body || r->body_is_json)
		return NULL;
	char key[48];
	snprintf(key, sizeof key, "%s%lld", prefix, (long long)person_id);
	json_t *v = json_object_get(r->body, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Puts error on a person's row when it is about that row's field
 * ("<prefix><person_id>"). */
static void add_row_error(json_t *row, const herr *error, const char *prefix, int64_t person_id)
{
	char key[48];
	snprintf(key, sizeof key, "%s%lld", prefix, (long long)person_id);
	if (error && error->field && !strcmp(error->field, key))
		json_object_set_new(row, "error", json_string(error->message));
}

static json_t *row_json(wreq *r, const struct meeting_roll_row *row, bool resend,
			const herr *error)
{
	const char *status = row->status;
	bool newcomer = row->newcomer;
	if (resend) {
		status = sent_value(r, "status_", row->person_id);
		newcomer = sent_value(r, "newcomer_", row->person_id) != NULL;
	}
	json_t *o = json_person(row->person_id, row->display_name,
		json_pack("{s:o, s:o, s:b, s:b, s:b, s:b, s:b, s:b}",
			"pronouns", json_str_or_null(row->pronouns),
			"status", json_str_or_null(status),
			"newcomer", newcomer,
			"is_present", is(status, "present"),
			"is_apologies", is(status, "apologies"),
			"is_absent", is(status, "absent"),
			"member", row->member,
			"recorded", row->status != NULL));
	add_row_error(o, error, "status_", row->person_id);
	return o;
}

/* Which page of the attendance or roles form, and whose names it is
 * narrowed to. */
struct roll_query {
	int page;
	const char *find;       /* "" for everyone */
};

static int roll_query_read(wreq *r, struct roll_query *q, herr *e)
{
	int rc = query_page(r, PAGE_MAX, &q->page, e);
	if (!rc) rc = query_find(r, "find", MEETING_FIND_MAX, &q->find, e);
	return rc;
}

/* The address of page of a meeting's form (suffix "/attendance" or
 * "/roles"), with the same find. */
static const char *roll_path(wreq *r, int64_t id, const char *suffix,
			     const struct roll_query *q, int page)
{
	return web_paged_path(r, meeting_path(r, id, suffix), page, q->find);
}

/* One page of the people of a meeting's attendance or roles form. */
struct roll {
	struct meeting m;
	const char *zone;
	struct roll_query q;
	struct meeting_roll_row *rows;
	size_t n;
	int total, pages;
};

/* The meeting for its managers (what and them as for load_meeting) and
 * the page of its people the query asks for. */
static int roll_load(wreq *r, int64_t id, const char *what, const char *them, struct roll *ro,
		     herr *e)
{
	int rc = roll_query_read(r, &ro->q, e);
	if (!rc) rc = load_meeting(r, id, what, them, &ro->m, &ro->zone, e);
	if (!rc) rc = meeting_roll_page(r->db, r->arena, &ro->m, ro->q.find,
					(ro->q.page - 1) * ROLL_PAGE_SIZE, ROLL_PAGE_SIZE,
					&ro->rows, &ro->n, &ro->total, e);
	ro->pages = !rc && ro->total > 0 ? (ro->total + ROLL_PAGE_SIZE - 1) / ROLL_PAGE_SIZE : 1;
	if (!rc && ro->q.page > ro->pages)
		rc = herr_set(e, ERR_BADREQ, "page", "There is no page %d: the list has %d page%s.",
			      ro->q.page, ro->pages, ro->pages == 1 ? "" : "s");
	return rc;
}

/* What the page's model says of its paging, and for the web page its
 * links, its "find a member" form and where its form saves to: a list of
 * one page saves back to the meeting, as it always did; a page of
 * several comes back to itself, so the next can follow. */
static void roll_add_paging(wreq *r, int64_t id, const char *suffix, const struct roll *ro,
			    const char *label, json_t *model)
{
	const struct roll_query *q = &ro->q;
	bool paged = ro->pages > 1 || q->find[0];
	json_object_set_new(model, "paging", json_pack("{s:i, s:i, s:i, s:i, s:s, s:o, s:o}",
		"page", q->page, "pages", ro->pages, "per_page", ROLL_PAGE_SIZE, "total", ro->total,
		"find", q->find,
		"prev_path", q->page > 1 ? json_string(roll_path(r, id, suffix, q, q->page - 1))
					 : json_null(),
		"next_path", q->page < ro->pages
			? json_string(roll_path(r, id, suffix, q, q->page + 1)) : json_null()));
	if (r->want_json)
		return;
	json_object_set_new(model, "form_path", json_string(paged
		? roll_path(r, id, suffix, q, q->page) : meeting_path(r, id, suffix)));
	json_object_set_new(model, "several_pages", json_boolean(ro->pages > 1));
	json_object_set_new(model, "paged", json_boolean(paged));
	json_object_set_new(model, "show_find", json_boolean(paged));
	json_object_set_new(model, "find_action", json_string(meeting_path(r, id, suffix)));
	json_object_set_new(model, "pager_label", json_string(label));
}

/* Saved from a page of a form of several (or a narrowed one): back to
 * that page with the notice. */
static int roll_saved(wreq *r, int64_t id, const char *suffix, const struct roll_query *q,
		      const char *notice)
{
	const char *to = arena_printf(r->arena, "%s&%s=1", roll_path(r, id, suffix, q, q->page),
				      notice);
	return web_redirect(r, to, 200, NULL);
}

/* Whether a form was sent from a page of several (or a narrowed one). */
static bool sent_from_page(wreq *r)
{
	return !r->want_json && (query_param(r, "page") || query_param(r, "find"));
}

/* One page of the attendance form, with the counts of the whole meeting. */
static int attendance_model(wreq *r, int64_t id, const struct form_again *again, json_t **ret,
			    const char **ret_title, herr *e)
{
	struct roll ro;
	int rc = roll_load(r, id, "record attendance", "it", &ro, e);
	if (rc)
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < ro.n; i++)
		json_array_append_new(list, row_json(r, &ro.rows[i], again != NULL,
						     again ? again->error : NULL));
	json_t *model = json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:b}",
		"meeting", summary_json(r, ro.zone, &ro.m.s),
		"group", group_json(r, &ro.m.group),
		"people", list,
		"attendance_summary", attendance_summary_json(&ro.m),
		"can", abilities_json(&ro.m),
		"has_people", ro.n > 0,
		"has_started", ro.m.has_started);
	roll_add_paging(r, id, "/attendance", &ro, "Pages of the attendance list", model);
	if (!r->want_json && !again)
		web_add_notice(r, model, meeting_notices);
	*ret = model;
	*ret_title = arena_printf(r->arena, "Attendance: %s", meeting_title(r, ro.zone, &ro.m));
	return 0;
}

static int attendance_show(wreq *r)
{
	return meeting_page_show(r, attendance_model, "meeting_attendance");
}

/* "status_<id>" and "newcomer_<id>": the id after the prefix, or 0. */
static int64_t field_person(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);
	int64_t id;
	if (strncmp(key, prefix, n) != 0 || !id_parse(key + n, &id))
		return 0;
	return id;
}

static int attendance_from_form(wreq *r, struct attendance_in **ret, size_t *ret_n, herr *e)
{
	size_t cap = json_object_size(r->body) + 1, n = 0;
	struct attendance_in *in = arena_alloc(r->arena, cap * sizeof *in);
	if (!in)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	const char *key;
	json_t *v;
	json_object_foreach(r->body, key, v) {
		int64_t pid;
		if (!strcmp(key, "csrf"))
			continue;
		if (!json_is_string(v))
			return herr_set(e, ERR_BADREQ, NULL,
					"The field \"%.60s\" was sent more than once.", key);
		if ((pid = field_person(key, "status_"))) {
			in[n++] = (struct attendance_in){ pid, json_string_value(v), false,
				arena_strdup(r->arena, key) };
		} else if (!field_person(key, "newcomer_")) {
			return herr_set(e, ERR_BADREQ, NULL,
					"The field \"%.60s\" is not one this form takes.", key);
		}
	}
	json_object_foreach(r->body, key, v) {
		int64_t pid = field_person(key, "newcomer_");
		if (!pid)
			continue;
		size_t i = 0;
		while (i < n && in[i].person_id != pid)
			i++;
		if (i == n)
			return herr_set(e, ERR_INVALID, arena_printf(r->arena, "status_%lld",
					(long long)pid),
					"Mark them as present to record that they came for the first time.");
		in[i].newcomer = true;
	}
	*ret = in;
	*ret_n = n;
	return 0;
}

static int attendance_from_json(wreq *r, struct attendance_in **ret, size_t *ret_n, herr *e)
{
	static const char *const fields[] = { "attendance", NULL };
	int rc = form_only_fields(r, fields, e);
	if (rc)
		return rc;
	json_t *list = json_object_get(r->body, "attendance");
	if (!json_is_array(list))
		return herr_set(e, ERR_BADREQ, "attendance",
				"Send \"attendance\" as a list of {person_id, status, newcomer}.");
	size_t n = json_array_size(list);
	if (n > MEETING_ENTRIES_MAX)
		return herr_set(e, ERR_INVALID, "attendance", "Record at most %d people at a time.",
				MEETING_ENTRIES_MAX);
	struct attendance_in *in = arena_alloc(r->arena, (n + 1) * sizeof *in);
	if (!in)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(list, i), *v;
		const char *k;
		if (!json_is_object(item))
			return herr_set(e, ERR_BADREQ, "attendance",
					"Each entry of \"attendance\" must be an object.");
		json_object_foreach(item, k, v)
			if (strcmp(k, "person_id") && strcmp(k, "status") && strcmp(k, "newcomer"))
				return herr_set(e, ERR_BADREQ, "attendance",
						"An attendance entry takes person_id, status and "
						"newcomer, not \"%.40s\".", k);
		json_t *pid = json_object_get(item, "person_id");
		json_t *status = json_object_get(item, "status");
		json_t *newcomer = json_object_get(item, "newcomer");
		if (!json_is_string(pid) || !id_parse(json_string_value(pid), &in[i].person_id))
			return herr_set(e, ERR_BADREQ, "attendance",
					"Each entry needs a person_id: an id as a string.");
		if (!json_is_string(status))
			return herr_set(e, ERR_BADREQ, "attendance",
					"Each entry needs a status: present, apologies or absent.");
		if (newcomer && !json_is_boolean(newcomer) && !json_is_null(newcomer))
			return herr_set(e, ERR_BADREQ, "attendance", "newcomer must be true or false.");
		in[i].status = json_string_value(status);
		in[i].newcomer = json_is_true(newcomer);
		in[i].field = "attendance";
	}
	*ret = in;
	*ret_n = n;
	return 0;
}

static int attendance_submit(wreq *r)
{
	int64_t id;
	struct attendance_in *in = NULL;
	size_t n = 0;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	r->personal = true;
	struct roll_query q;
	if (roll_query_read(r, &q, &e))
		return web_fail(r, &e);
	int rc = r->body_is_json ? attendance_from_json(r, &in, &n, &e)
				 : attendance_from_form(r, &in, &n, &e);
	if (!rc) rc = meeting_record_attendance(r->db, &me, id, in, n, &e);
	if (!rc && sent_from_page(r))
		return roll_saved(r, id, "/attendance", &q, "attendance");
	if (!rc)
		return meeting_changed(r, id, "attendance", 200);
	if (fails_alone(r, &e) || e.code == ERR_BADREQ)
		return web_fail(r, &e);
	return meeting_page_again(r, id, attendance_model, "meeting_attendance",
				  &(struct form_again){ &e, NULL, NULL });
}

/* ---- who facilitated, and roles ---------------------------------------------------- */

static json_t *role_rows_json(wreq *r, const struct meeting *m,
			      const struct meeting_roll_row *rows, size_t n, bool resend,
			      const herr *error)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		bool facilitated = false;
		for (size_t j = 0; j < m->n_facilitators; j++)
			facilitated |= m->facilitators[j].person_id == rows[i].person_id;
		buf roles = BUF_INIT;
		for (size_t j = 0; j < m->n_roles; j++)
			if (m->roles[j].person_id == rows[i].person_id) {
				if (roles.len)
					buf_puts(&roles, ", ");
				buf_puts(&roles, m->roles[j].role);
			}
		const char *role_text = roles.data ? roles.data : "";
		if (resend) {
			role_text = sent_value(r, "role_", rows[i].person_id);
			facilitated = false;
			json_t *f = json_object_get(r->body, "facilitator");
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)rows[i].person_id);
			if (json_is_string(f))
				facilitated = !strcmp(json_string_value(f), id);
			size_t k;
			json_t *v;
			if (json_is_array(f))
				json_array_foreach(f, k, v)
					facilitated |= json_is_string(v) && !strcmp(json_string_value(v), id);
		}
		json_t *o = json_person(rows[i].person_id, rows[i].display_name,
			json_pack("{s:b, s:b, s:s}", "present", is(rows[i].status, "present"),
				  "facilitated", facilitated, "roles", role_text ? role_text : ""));
		buf_free(&roles);
		add_row_error(o, error, "role_", rows[i].person_id);
		json_array_append_new(list, o);
	}
	return list;
}

/* One page of the roles form: who facilitated and the roles taken. */
static int roles_model(wreq *r, int64_t id, const struct form_again *again, json_t **ret,
		       const char **ret_title, herr *e)
{
	struct roll ro;
	int rc = roll_load(r, id, "record roles", "them", &ro, e);
	if (rc)
		return rc;
	const struct meeting *m = &ro.m;
	int peer = m->facilitated_by_peer;
	if (again) {
		const char *sent = json_string_value(json_object_get(r->body, "facilitated_by_peer"));
		peer = is(sent, "yes") ? 1 : is(sent, "no") ? 0 : -1;
	}
	json_t *people = role_rows_json(r, m, ro.rows, ro.n, again != NULL,
					again ? again->error : NULL);
	bool any_present = false;
	for (size_t i = 0; i < ro.n; i++)
		any_present |= is(ro.rows[i].status, "present");
	json_t *model = json_pack("{s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:b, s:b, s:b}",
		"meeting", summary_json(r, ro.zone, &m->s),
		"group", group_json(r, &m->group),
		"people", people,
		"can", abilities_json(m),
		"any_present", any_present,
		"others_present", !any_present && m->present > 0,
		"peer_yes", peer == 1, "peer_no", peer == 0, "peer_unknown", peer < 0,
		"has_people", ro.n > 0);
	roll_add_paging(r, id, "/roles", &ro, "Pages of the list of people", model);
	*ret = model;
	*ret_title = arena_printf(r->arena, "Facilitation and roles: %s",
				  meeting_title(r, ro.zone, m));
	return 0;
}

static int roles_show(wreq *r)
{
	return meeting_page_show(r, roles_model, "meeting_roles");
}

/* Splits "welcomer, note-taker" into roles for person_id. */
static int add_roles(wreq *r, int64_t person_id, const char *text, const char *field,
		     struct role_in **list, size_t *n, size_t *cap, herr *e)
{
	const char *p = text;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *s = p, *end = p + len;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > s) {
			if (*n == *cap) {
				size_t bigger = *cap ? *cap * 2 : 16;
				struct role_in *fresh = arena_alloc(r->arena, bigger * sizeof *fresh);
				if (!fresh)
					return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
				if (*list)
					memcpy(fresh, *list, *n * sizeof *fresh);
				*list = fresh;
				*cap = bigger;
			}
			(*list)[(*n)++] = (struct role_in){ person_id,
				arena_strndup(r->arena, s, (size_t)(end - s)), field };
		}
		p += len + (comma ? 1 : 0);
	}
	return 0;
}

/* The ids a form sent in field name (one or several), in the arena; what
 * is the field's meaning, for errors ("a facilitator"). */
static int sent_ids(wreq *r, const char *name, const char *what, const char *err_field,
		    int64_t **ret, size_t *ret_n, herr *e)
{
	json_t *v = json_object_get(r->body, name);
	json_t *all = json_is_array(v) ? v : NULL;
	size_t n = all ? json_array_size(all) : v ? 1 : 0;
	*ret_n = 0;
	if (v && !all && !json_is_string(v))
		return herr_set(e, ERR_BADREQ, err_field, "Bad %s field.", name);
	if (!(*ret = arena_alloc(r->arena, (n + 1) * sizeof **ret)))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t k = 0; k < n; k++) {
		json_t *one = all ? json_array_get(all, k) : v;
		if (!json_is_string(one) || !id_parse(json_string_value(one), &(*ret)[k]))
			return herr_set(e, ERR_BADREQ, err_field, "%s was sent that is not an id.",
					what);
	}
	*ret_n = n;
	return 0;
}

static int roles_from_form(wreq *r, struct meeting_roles_in *in, herr *e)
{
	struct role_in *roles = NULL;
	size_t n = 0, cap = 0, nf = 0, nshown = 0;
	int64_t *facilitators = NULL, *shown = NULL;
	const char *key;
	json_t *v;
	in->set_facilitators = in->set_roles = true;
	in->facilitated_by_peer = -1;
	int rc = sent_ids(r, "facilitator", "A facilitator", "facilitators", &facilitators, &nf, e);
	if (!rc) rc = sent_ids(r, "shown", "A person of the page", NULL, &shown, &nshown, e);
	if (rc)
		return rc;
	json_object_foreach(r->body, key, v) {
		int64_t pid;
		if (!strcmp(key, "csrf") || !strcmp(key, "facilitator") || !strcmp(key, "shown"))
			continue;
		if (!json_is_string(v))
			return herr_set(e, ERR_BADREQ, NULL,
					"The field \"%.60s\" was sent more than once.", key);
		if (!strcmp(key, "facilitated_by_peer")) {
			const char *s = json_string_value(v);
			if (is(s, "yes") || is(s, "no") || is(s, "unknown") || !*s)
				in->facilitated_by_peer = is(s, "yes") ? 1 : is(s, "no") ? 0 : -1;
			else
				return herr_set(e, ERR_INVALID, "facilitated_by_peer",
						"Choose yes, no or not recorded.");
		} else if ((pid = field_person(key, "role_"))) {
			rc = add_roles(r, pid, json_string_value(v), arena_strdup(r->arena, key),
				       &roles, &n, &cap, e);
			if (rc)
				return rc;
		} else {
			return herr_set(e, ERR_BADREQ, NULL,
					"The field \"%.60s\" is not one this form takes.", key);
		}
	}
	in->facilitators = facilitators;
	in->n_facilitators = nf;
	in->facilitators_field = "facilitators";
	in->roles = roles;
	in->n_roles = n;
	in->scope = shown;
	in->n_scope = nshown;
	return 0;
}

static int roles_from_json(wreq *r, struct meeting_roles_in *in, herr *e)
{
	static const char *const fields[] = { "facilitators", "facilitated_by_peer", "roles", NULL };
	int rc = form_only_fields(r, fields, e);
	if (rc)
		return rc;
	json_t *f = json_object_get(r->body, "facilitators");
	json_t *peer = json_object_get(r->body, "facilitated_by_peer");
	json_t *roles = json_object_get(r->body, "roles");
	in->facilitated_by_peer = -1;
	if (f) {
		if (!json_is_array(f) || json_array_size(f) > MEETING_ENTRIES_MAX)
			return herr_set(e, ERR_BADREQ, "facilitators",
					"Send \"facilitators\" as a list of person ids.");
		int64_t *ids = arena_alloc(r->arena, (json_array_size(f) + 1) * sizeof *ids);
		if (!ids)
			return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
		size_t k;
		json_t *v;
		json_array_foreach(f, k, v)
			if (!json_is_string(v) || !id_parse(json_string_value(v), &ids[k]))
				return herr_set(e, ERR_BADREQ, "facilitators",
						"Each facilitator must be a person id as a string.");
		in->set_facilitators = true;
		in->facilitators = ids;
		in->n_facilitators = json_array_size(f);
		in->facilitators_field = "facilitators";
	}
	if (peer) {
		if (!json_is_boolean(peer) && !json_is_null(peer))
			return herr_set(e, ERR_BADREQ, "facilitated_by_peer",
					"facilitated_by_peer must be true, false or null.");
		in->facilitated_by_peer = json_is_null(peer) ? -1 : json_is_true(peer);
		in->set_facilitators = true;
		if (!f)
			return herr_set(e, ERR_BADREQ, "facilitators",
					"Send \"facilitators\" together with \"facilitated_by_peer\".");
	}
	if (roles) {
		if (!json_is_array(roles) || json_array_size(roles) > MEETING_ENTRIES_MAX)
			return herr_set(e, ERR_BADREQ, "roles",
					"Send \"roles\" as a list of {person_id, role}.");
		struct role_in *list = arena_alloc(r->arena,
						   (json_array_size(roles) + 1) * sizeof *list);
		if (!list)
			return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
		size_t k;
		json_t *v;
		json_array_foreach(roles, k, v) {
			json_t *pid = json_object_get(v, "person_id"), *role = json_object_get(v, "role");
			if (!json_is_object(v) || json_object_size(v) != 2 || !json_is_string(pid) ||
			    !id_parse(json_string_value(pid), &list[k].person_id) || !json_is_string(role))
				return herr_set(e, ERR_BADREQ, "roles",
						"Each role must be {\"person_id\": \"…\", \"role\": \"…\"}.");
			list[k].role = json_string_value(role);
			list[k].field = "roles";
		}
		in->set_roles = true;
		in->roles = list;
		in->n_roles = json_array_size(roles);
	}
	if (!in->set_roles && !in->set_facilitators)
		return herr_set(e, ERR_BADREQ, NULL,
				"Send \"facilitators\" (with \"facilitated_by_peer\") and/or \"roles\".");
	return 0;
}

static int roles_submit(wreq *r)
{
	int64_t id;
	struct meeting_roles_in in = { 0 };
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	r->personal = true;
	struct roll_query q;
	if (roll_query_read(r, &q, &e))
		return web_fail(r, &e);
	int rc = r->body_is_json ? roles_from_json(r, &in, &e) : roles_from_form(r, &in, &e);
	if (!rc) rc = meeting_set_roles(r->db, &me, id, &in, &e);
	if (!rc && sent_from_page(r))
		return roll_saved(r, id, "/roles", &q, "roles");
	if (!rc)
		return meeting_changed(r, id, "roles", 200);
	if (fails_alone(r, &e) || e.code == ERR_BADREQ)
		return web_fail(r, &e);
	return meeting_page_again(r, id, roles_model, "meeting_roles",
				  &(struct form_again){ &e, NULL, NULL });
}

/* ---- minutes -------------------------------------------------------------------------- */

static int minutes_model(wreq *r, int64_t id, const struct form_again *again, json_t **ret,
			 const char **ret_title, herr *e)
{
	struct meeting m;
	const char *zone;
	const char *draft = again ? again->minutes : NULL;
	int rc = load_meeting(r, id, NULL, NULL, &m, &zone, e);
	if (rc)
		return rc;
	json_t *model = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i}",
		"meeting", summary_json(r, zone, &m.s),
		"group", group_json(r, &m.group),
		"can", abilities_json(&m),
		"minutes_md", json_str_or_null(m.minutes_md),
		"minutes_html", json_markdown(m.minutes_md),
		"minutes_updated_text", local_text(zone, m.minutes_updated_at, "%-d %B %Y, %H:%M"),
		"minutes_by", json_str_or_null(m.minutes_by_name),
		"minutes_max", MEETING_MINUTES_MAX);
	if (!r->want_json)
		json_object_set_new(model, "form", json_pack("{s:s}", "minutes",
			draft ? draft : m.minutes_md ? m.minutes_md : ""));
	*ret = model;
	*ret_title = arena_printf(r->arena, "Minutes: %s", meeting_title(r, zone, &m));
	return 0;
}

static int minutes_show(wreq *r)
{
	return meeting_page_show(r, minutes_model, "meeting_minutes");
}

static int minutes_submit(wreq *r)
{
	static const char *const fields[] = { "minutes", NULL };
	int64_t id;
	const char *md = "";
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	r->personal = true;
	/* The length is checked by meeting_save_minutes, with the count. */
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "minutes", "the minutes", FIELD_OPTIONAL, 0, &md, &e);
	if (!rc) rc = meeting_save_minutes(r->db, &me, id, md, &e);
	if (!rc)
		return meeting_changed(r, id, "minutes", 200);
	if (fails_alone(r, &e))
		return web_fail(r, &e);
	return meeting_page_again(r, id, minutes_model, "meeting_minutes",
				  &(struct form_again){ &e, md, NULL });
}

/* What the API description says about these routes (http/openapi.c). The
 * group's members read meetings; its managers (facilitators, peer support
 * workers, coordinators, admins) change them; see app/meeting.h for when. */
static const struct web_doc meetings_index_doc = {
	.summary = "A group's meetings: upcoming, and past ones a page at a time",
	.description = "The group's members and managers.", .tag = "Meetings",
	.query = "page:integer",
	.response = "group!:object upcoming!:object[] past!:object[] page!:integer "
		    "has_more_past!:boolean can_manage!:boolean",
};
static const struct web_doc one_off_doc = {
	.summary = "Add a one-off meeting (today or later, in the network's time zone)",
	.description = "The group's managers.", .tag = "Meetings",
	.request = "date!:date start_time!:clock end_time!:clock notice:string",
	.status = 201, .response = "meeting!:object",
};
static const struct web_doc meeting_show_doc = {
	.summary = "A meeting: when, where, notice, attendance, roles, minutes, actions",
	.description = "The group's members (who see their own attendance and the counts) "
		       "and managers (who see everyone's). can says what the caller may change now. "
		       "owner_find narrows, on the web page, whom its action form offers as owner.",
	.query = "owner_find:string",
	.response = "meeting!:object group!:object can!:object",
};
static const struct web_doc meeting_cancel_doc = {
	.summary = "Cancel a meeting still to come, with a note members see",
	.description = "The group's managers; 409 once it has started or when cancelled.",
	.request = "notice!:string", .response = "meeting!:object",
};
static const struct web_doc meeting_restore_doc = {
	.summary = "Take back a cancellation",
	.description = "The group's managers; 409 unless cancelled and still to come.",
	.request = "notice:string", .response = "meeting!:object",
};
static const struct web_doc meeting_move_doc = {
	.summary = "Move a meeting still to come to another date and time",
	.description = "The group's managers. The meeting keeps its length.",
	.request = "date!:date time!:clock notice!:string", .response = "meeting!:object",
};
static const struct web_doc attendance_show_doc = {
	.summary = "Who can be marked at a meeting, with what is recorded",
	.description = "The group's managers. people is one page of 20, by name: the active "
		       "members and anyone recorded who has since left; find keeps those whose "
		       "name holds it (any case). paging gives page, pages, per_page, total "
		       "(matching find), find and the paths of the pages before and after; "
		       "attendance_summary counts the whole meeting. A page past the last is a 400.",
	.query = "page:integer find:string",
	.response = "meeting!:object group!:object people!:object[] paging!:object "
		    "attendance_summary!:object can!:object",
};
static const struct web_doc attendance_submit_doc = {
	.summary = "Record attendance: present, apologies or absent",
	.description = "The group's managers. Each line adds or replaces that person's "
		       "record; everyone must be an active member (or already recorded). "
		       "Present and absent once the meeting has started; apologies before.",
	.request = "{'type':'object','required':['attendance'],'additionalProperties':false,"
		   "'properties':{'attendance':{'type':'array','maxItems':500,'items':{"
		   "'type':'object','required':['person_id','status'],'additionalProperties':false,"
		   "'properties':{'person_id':{'type':'string','pattern':'^[1-9][0-9]*$'},"
		   "'status':{'enum':['present','apologies','absent']},"
		   "'newcomer':{'type':['boolean','null']}}}}}}",
	.response = "meeting!:object",
};
static const struct web_doc roles_show_doc = {
	.summary = "Who facilitated a meeting and the roles people took",
	.description = "The group's managers.",
	.response = "meeting!:object group!:object people!:object[] can!:object",
};
static const struct web_doc roles_submit_doc = {
	.summary = "Record who facilitated (and whether by a peer) and the roles taken",
	.description = "The group's managers, once the meeting has started. Roles are for "
		       "people recorded present; each list sent replaces the one recorded.",
	.request = "{'type':'object','additionalProperties':false,'properties':{"
		   "'facilitators':{'type':'array','items':{'type':'string','pattern':'^[1-9][0-9]*$'}},"
		   "'facilitated_by_peer':{'type':['boolean','null']},"
		   "'roles':{'type':'array','maxItems':500,'items':{'type':'object',"
		   "'required':['person_id','role'],'additionalProperties':false,'properties':{"
		   "'person_id':{'type':'string','pattern':'^[1-9][0-9]*$'},"
		   "'role':{'type':'string','minLength':1,'maxLength':40}}}}}}",
	.response = "meeting!:object",
};
static const struct web_doc minutes_show_doc = {
	.summary = "A meeting's minutes (Markdown, and as safe HTML)",
	.description = "The group's members and managers.",
	.response = "meeting!:object group!:object can!:object minutes_md:string? "
		    "minutes_html:string? minutes_max!:integer",
};
static const struct web_doc minutes_submit_doc = {
	.summary = "Save a meeting's minutes (Markdown; empty removes them)",
	.description = "The group's managers, until 30 days after the meeting.",
	.request = "minutes:string", .response = "meeting!:object",
};
static const struct web_doc action_add_doc = {
	.summary = "Add an action: what, who (a member) and by when",
	.description = "The group's managers.",
	.request = "description!:string owner_id!:id due_date:date",
	.status = 201, .response = "meeting!:object",
};
static const struct web_doc meeting_close_doc = {
	.summary = "Close a meeting with a short record: how many came, themes",
	.description = "The group's managers, once it has started; closing again updates "
		       "the record. attendance_count defaults to the number recorded present.",
	.request = "attendance_count:integer themes:string", .response = "meeting!:object",
};
static const struct web_doc action_done_doc = {
	.summary = "Tick an action off", .description = "The group's managers.",
	.tag = "Meetings", .response = "meeting:object",
};
static const struct web_doc action_undo_doc = {
	.summary = "Open a ticked action again", .description = "The group's managers.",
	.tag = "Meetings", .response = "meeting:object",
};

const struct web_route meeting_routes[] = {
	{ M_GET, "/groups/{id}/meetings", meetings_index, ACCESS_SIGNED_IN, &meetings_index_doc },
	{ M_POST, "/groups/{id}/meetings", one_off_submit, ACCESS_SIGNED_IN, &one_off_doc },
	{ M_GET, "/meetings/{id}", meeting_show, ACCESS_SIGNED_IN, &meeting_show_doc },
	{ M_POST, "/meetings/{id}/cancel", meeting_cancel_submit, ACCESS_SIGNED_IN, &meeting_cancel_doc },
	{ M_POST, "/meetings/{id}/restore", meeting_restore_submit, ACCESS_SIGNED_IN, &meeting_restore_doc },
	{ M_POST, "/meetings/{id}/move", meeting_move_submit, ACCESS_SIGNED_IN, &meeting_move_doc },
	{ M_GET, "/meetings/{id}/attendance", attendance_show, ACCESS_SIGNED_IN, &attendance_show_doc },
	{ M_POST, "/meetings/{id}/attendance", attendance_submit, ACCESS_SIGNED_IN, &attendance_submit_doc },
	{ M_GET, "/meetings/{id}/roles", roles_show, ACCESS_SIGNED_IN, &roles_show_doc },
	{ M_POST, "/meetings/{id}/roles", roles_submit, ACCESS_SIGNED_IN, &roles_submit_doc },
	{ M_GET, "/meetings/{id}/minutes", minutes_show, ACCESS_SIGNED_IN, &minutes_show_doc },
	{ M_POST, "/meetings/{id}/minutes", minutes_submit, ACCESS_SIGNED_IN, &minutes_submit_doc },
	{ M_POST, "/meetings/{id}/actions", action_add_submit, ACCESS_SIGNED_IN, &action_add_doc },
	{ M_POST, "/meetings/{id}/close", meeting_close_submit, ACCESS_SIGNED_IN, &meeting_close_doc },
	{ M_POST, "/actions/{id}/done", action_done_submit, ACCESS_SIGNED_IN, &action_done_doc },
	{ M_POST, "/actions/{id}/undo", action_undo_submit, ACCESS_SIGNED_IN, &action_undo_doc },
	{ 0 }
};
