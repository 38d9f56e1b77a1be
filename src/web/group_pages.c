/* group_pages.c - a group's public page (what it is, how it meets, its
 * next meetings, how to join), and the forms coordinators and facilitators
 * use to create and change groups, and coordinators to change a group's
 * status. Every page has its JSON face under /api/v1/. */
#include "community_pages.h"
#include "form.h"
#include "view.h"

#include "../app/agreement.h"
#include "../app/group.h"
#include "../app/meeting.h"
#include "../app/membership.h"
#include "../app/network.h"
#include "../app/organisation.h"
#include "../app/schedule.h"
#include "../app/tag.h"
#include "../base/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- showing a group -------------------------------------------------------- */

static json_t *org_json(const struct group_org *o)
{
	return json_org_ref(o->id, o->name, o->website);
}

static json_t *schedule_json(const struct group *g, const char *zone)
{
	if (!g->rrule)
		return json_null();
	struct schedule s = { g->rrule, g->schedule_start, g->duration_minutes, zone };
	char text[160] = "";
	if (schedule_describe(&s, text, sizeof text) != 0)
		text[0] = '\0';
	return json_pack("{s:s, s:s, s:i, s:s, s:s}", "rrule", g->rrule,
			 "schedule_start", g->schedule_start ? g->schedule_start : "",
			 "duration_minutes", g->duration_minutes, "time_zone", zone, "text", text);
}

/* The venue, unless the group meets only online: never an invented place. */
static json_t *venue_json(const struct group *g)
{
	if (!strcmp(g->format, "online") ||
	    !(g->venue_name || g->venue_address || g->venue_access || g->has_location))
		return json_null();
	json_t *v = json_pack("{s:o, s:o, s:o}", "name", json_str_or_null(g->venue_name),
			      "address", json_str_or_null(g->venue_address),
			      "access_notes", json_str_or_null(g->venue_access));
	if (g->has_location)
		json_object_set_new(v, "location", json_pack("{s:f, s:f}", "latitude", g->latitude,
							     "longitude", g->longitude));
	return v;
}

/* Whether the viewer may see the online link, as the group chose. */
static bool link_visible(const wreq *r, const struct group *g, const struct standing *st)
{
	if (!strcmp(g->link_visibility, "everyone"))
		return true;
	if (!strcmp(g->link_visibility, "signed_in"))
		return r->user.person_id != 0;
	return st->is_member || st->can_manage;
}

static json_t *online_json(wreq *r, const struct group *g, const struct standing *st)
{
	if (!strcmp(g->format, "in_person"))
		return json_null();
	bool visible = link_visible(r, g, st);
	const char *note = NULL;
	if (!g->online_link)
		note = "The link for joining online has not been added yet.";
	else if (!visible && !strcmp(g->link_visibility, "signed_in"))
		note = "Log in to see the link for joining online.";
	else if (!visible)
		note = "The link for joining online is shared with the group's members.";
	return json_pack("{s:o, s:s, s:o}",
		"link", json_str_or_null(visible ? g->online_link : NULL),
		"visibility", g->link_visibility,
		"note", json_str_or_null(note));
}

/* The base model of a group, for every viewer; online_link only when the
 * group's choice lets this viewer see it. */
static json_t *group_json(wreq *r, const struct group *g, const char *zone,
			  const struct standing *st)
{
	json_t *partners = json_array();
	for (size_t i = 0; i < g->n_partners; i++)
		json_array_append_new(partners, org_json(&g->partners[i]));
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
			 " s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}",
		"id", json_id(g->id),
		"url", arena_printf(r->arena, "/groups/%lld", (long long)g->id),
		"name", g->name,
		"purpose", g->purpose,
		"who_for", g->who_for ? g->who_for : "",
		"format", g->format,
		"format_text", group_format_text(g->format),
		"access", g->access,
		"access_text", group_access_text(g->access),
		"facilitation", g->facilitation,
		"facilitation_text", group_facilitation_text(g->facilitation),
		"status", g->status,
		"status_text", group_status_text(g->status),
		"meets_online", strcmp(g->format, "in_person") != 0,
		"meets_in_person", strcmp(g->format, "online") != 0,
		"is_paused", !strcmp(g->status, "paused"),
		"is_forming", !strcmp(g->status, "forming"),
		"is_closed", !strcmp(g->status, "closed"),
		"venue", venue_json(g),
		"online", online_json(r, g, st),
		"schedule", schedule_json(g, zone),
		"host", g->host.id ? org_json(&g->host) : json_null(),
		"partners", partners,
		"tags", json_tags(g->tags, g->n_tags),
		"meeting_days", g->meeting_days,
		"next_meeting_at", json_time(g->next_meeting_at),
		"next_meeting_text", json_local_time(zone, g->next_meeting_at, "%A %-d %B %Y, %H:%M"),
		"created_at", json_time(g->created_at),
		"updated_at", json_time(g->updated_at));
}

static json_t *meetings_json(wreq *r, const struct group *g, const char *zone)
{
	json_t *list = json_array();
	struct meeting_summary *m = NULL;
	size_t n = 0;
	herr e;
	herr_clear(&e);
	/* A schedule that fails to materialise still lists what exists. */
	if (meeting_ensure_scheduled_seen(r->db, g->id, g->scheduled_until, g->next_meeting_at, &e))
		herr_clear(&e);
	if (meeting_list_upcoming_ensured(r->db, r->arena, g->id, time_now_ms(), 4, &m, &n, &e))
		return list;
	for (size_t i = 0; i < n; i++) {
		bool cancelled = m[i].status && !strcmp(m[i].status, "cancelled");
		json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b, s:o, s:o, s:o}",
			"id", json_id(m[i].id),
			"starts_at", json_time(m[i].starts_at),
			"starts_text", json_local_time(zone, m[i].starts_at, "%A %-d %B %Y, %H:%M"),
			"ends_at", json_time(m[i].ends_at),
			"ends_text", json_local_time(zone, m[i].ends_at, "%H:%M"),
			"status", m[i].status ? m[i].status : "scheduled",
			"cancelled", cancelled,
			"moved", m[i].moved_from != 0,
			"moved_from", json_time(m[i].moved_from),
			"moved_from_text", json_local_time(zone, m[i].moved_from, "%A %-d %B %Y, %H:%M"),
			"notice", json_str_or_null(m[i].notice)));
	}
	return list;
}

/* How this viewer can join, from the group's access and their standing. */
static json_t *join_json(wreq *r, const struct group *g, const struct standing *st)
{
	bool closed = st->is_closed, signed_in = r->user.person_id != 0;
	bool member = st->status == MEMBER_ACTIVE, requested = st->status == MEMBER_REQUESTED;
	bool may_ask = !closed && !member && !requested;
	bool invite = !strcmp(g->access, "invite");
	return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:s}",
		"is_member", member,
		"requested", requested,
		"open", may_ask && signed_in && !strcmp(g->access, "open"),
		"approval", may_ask && signed_in && !strcmp(g->access, "approval"),
		"invite", may_ask && invite,
		"log_in_first", may_ask && !signed_in && !invite,
		"login_url", arena_printf(r->arena, "/login?next=/groups/%lld", (long long)g->id));
}

/* What members (and managers) find from the group page: the agreement, and
 * whether it is due for review, so new members read it when they join. */
static json_t *member_links_json(wreq *r, const struct standing *st)
{
	struct agreement ag;
	herr e;
	herr_clear(&e);
	bool has = false, due = false;
	if (agreement_get(r->db, r->arena, st, &ag, &e) == 0) {
		has = ag.version > 0;
		due = ag.due_for_review;
	}
	return json_pack("{s:b, s:b}", "has_agreement", has, "agreement_due", due);
}

static json_t *status_choices(const char *current)
{
	static const char *const values[] = { "forming", "active", "paused", "closed" };
	json_t *list = json_array();
	for (int i = 0; i < 4; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", values[i],
			"label", group_status_text(values[i]), "selected", !strcmp(values[i], current)));
	return list;
}

static const char *group_notice(wreq *r)
{
	if (r->want_json)
		return NULL;
	if (query_param(r, "created"))
		return "The group is created.";
	if (query_param(r, "saved"))
		return "Your changes to the group are saved.";
	if (query_param(r, "status_changed"))
		return "The group's status is changed.";
	if (query_param(r, "joined"))
		return "Welcome! You are now a member of this group. Please take a moment to "
		       "read the group agreement below: it says what the group is for and "
		       "how its members look after each other.";
	return NULL;
}

static int group_show(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct actor actor = web_actor(r);
	struct standing st;
	struct group g;
	herr e;
	herr_clear(&e);
	if (group_get_with_standing(r->db, r->arena, id, &actor, &g, &st, &e))
		return web_fail(r, &e);
	/* A closed group is gone for everyone but those who manage it. */
	if (st.is_closed && !st.can_manage)
		return web_error(r, ERR_NOTFOUND, "There is no such group.");
	const char *zone = network_time_zone(r->db, r->arena);
	json_t *group = group_json(r, &g, zone, &st);
	json_object_set_new(group, "next_meetings", meetings_json(r, &g, zone));
	community_add_group_events(r, group, id, zone);
	json_t *model = json_pack("{s:o, s:o, s:{s:b, s:b, s:b}}",
		"group", group,
		"join", join_json(r, &g, &st),
		"viewer", "signed_in", r->user.person_id != 0, "can_manage", st.can_manage,
		"can_change_status", actor_runs_network(&actor));
	if (!r->want_json) {
		json_t *gm = json_object_get(model, "group");
		json_object_set_new(model, "has_tags", json_boolean(g.n_tags > 0));
		json_object_set_new(model, "has_partners", json_boolean(g.n_partners > 0));
		json_object_set_new(model, "has_meetings",
				    json_boolean(json_array_size(json_object_get(gm, "next_meetings")) > 0));
		json_object_set_new(model, "time_zone", json_string(zone));
	}
	if (st.can_see_members)
		json_object_set_new(model, "member_links", member_links_json(r, &st));
	const char *notice = group_notice(r);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (actor_runs_network(&actor) && !r->want_json)
		json_object_set_new(model, "statuses", status_choices(g.status));
	return web_page(r, 200, "group", g.name, model);
}

/* ---- the form's fields -------------------------------------------------------- */

#define GROUP_FORM_ORGS_LISTED_MAX 30   /* organisations the form lists; more: their own page */

/* Everything the form shows, as text (what was typed, or the saved group). */
struct group_form {
	const char *name, *purpose, *who_for, *format, *access, *facilitation, *status;
	const char *venue_name, *venue_address, *venue_access, *latitude, *longitude;
	const char *online_link, *link_visibility;
	const char *frequency, *weekday, *first_date, *start_time, *duration_minutes;
	const char *rrule, *schedule_start, *current_rrule;
	const char *host_org_id;
	const char **tags;
	size_t n_tags;
	const char **partner_ids;
	size_t n_partners;
};

static const char *const form_fields[] = {
	"name", "purpose", "who_for", "format", "access", "facilitation", "status",
	"venue_name", "venue_address", "venue_access", "latitude", "longitude", "online_link",
	"link_visibility", "frequency", "weekday", "first_date", "start_time", "duration_minutes",
	"rrule", "schedule_start", "tags", "host_org_id", "partner_ids", NULL
};

static void form_defaults(struct group_form *f)
{
	memset(f, 0, sizeof *f);
	f->name = f->purpose = f->who_for = f->venue_name = f->venue_address = "";
	f->venue_access = f->latitude = f->longitude = f->online_link = "";
	f->frequency = f->weekday = f->first_date = f->start_time = "";
	f->rrule = f->schedule_start = f->host_org_id = "";
	f->format = "in_person";
	f->access = "open";
	f->facilitation = "peer_led";
	f->status = "forming";
	f->link_visibility = "members";
	f->duration_minutes = "90";
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void form_from_group(wreq *r, const struct group *g, struct group_form *f)
{
	form_defaults(f);
	f->name = g->name;
	f->purpose = g->purpose;
	f->who_for = or_empty(g->who_for);
	f->format = g->format;
	f->access = g->access;
	f->facilitation = g->facilitation;
	f->status = g->status;
	f->venue_name = or_empty(g->venue_name);
	f->venue_address = or_empty(g->venue_address);
	f->venue_access = or_empty(g->venue_access);
	if (g->has_location) {
		f->latitude = arena_printf(r->arena, "%.10g", g->latitude);
		f->longitude = arena_printf(r->arena, "%.10g", g->longitude);
	}
	f->online_link = or_empty(g->online_link);
	f->link_visibility = g->link_visibility;
	f->duration_minutes = arena_printf(r->arena, "%d", g->duration_minutes);
	f->rrule = or_empty(g->rrule);
	f->schedule_start = or_empty(g->schedule_start);
	if (g->rrule) {
		char frequency[16], weekday[3];
		if (group_choice_from_rrule(g->rrule, frequency, weekday)) {
			f->frequency = arena_strdup(r->arena, frequency);
			f->weekday = arena_strdup(r->arena, weekday);
		} else {
			f->frequency = "current";
			f->current_rrule = g->rrule;
		}
	}
	if (g->schedule_start && strlen(g->schedule_start) >= 16) {
		f->first_date = arena_strndup(r->arena, g->schedule_start, 10);
		f->start_time = arena_strndup(r->arena, g->schedule_start + 11, 5);
	}
	f->host_org_id = g->host.id ? arena_printf(r->arena, "%lld", (long long)g->host.id) : "";
	f->tags = arena_alloc(r->arena, (g->n_tags + 1) * sizeof *f->tags);
	for (size_t i = 0; f->tags && i < g->n_tags; i++)
		f->tags[f->n_tags++] = g->tags[i].slug;
	f->partner_ids = arena_alloc(r->arena, (g->n_partners + 1) * sizeof *f->partner_ids);
	for (size_t i = 0; f->partner_ids && i < g->n_partners; i++)
		f->partner_ids[f->n_partners++] = arena_printf(r->arena, "%lld",
							       (long long)g->partners[i].id);
}

static bool body_has(wreq *r, const char *name)
{
	return r->body && json_object_get(r->body, name) != NULL;
}

/* The fields a JSON body may also send as numbers. */
static bool numeric_field(const char *name)
{
	return !strcmp(name, "latitude") || !strcmp(name, "longitude") ||
	       !strcmp(name, "duration_minutes");
}

/* Reads one field into *slot when the body has it: text, null (none), or
 * for numeric fields a JSON number. */
static int read_scalar(wreq *r, const char *name, const char **slot, herr *e)
{
	json_t *v = json_object_get(r->body, name);
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*slot = "";
		return 0;
	}
	if (json_is_number(v) && !numeric_field(name))
		return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be text.", name);
	if (json_is_integer(v)) {
		*slot = arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (json_is_real(v)) {
		*slot = arena_printf(r->arena, "%.17g", json_real_value(v));
		return 0;
	}
	return form_text(r, name, name, FIELD_OPTIONAL, 0, slot, e);
}

/* Reads a list field: repeated form fields, a comma list, or a JSON array
 * of strings. */
static int read_list(wreq *r, const char *name, const char ***slot, size_t *n, herr *e)
{
	json_t *v = json_object_get(r->body, name);
	*n = 0;
	size_t count = json_is_array(v) ? json_array_size(v) : 1;
	const char **list = arena_alloc(r->arena, (count + 1) * sizeof *list);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	*slot = list;
	if (!v || json_is_null(v))
		return 0;
	for (size_t i = 0; i < count; i++) {
		json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
		if (!json_is_string(item))
			return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be a list of text.", name);
		const char *s = json_string_value(item);
		while (*s) {
			size_t len = strcspn(s, ",");
			const char *start = s, *end = s + len;
			while (start < end && *start == ' ')
				start++;
			while (end > start && end[-1] == ' ')
				end--;
			if (end > start) {
				const char **bigger = arena_alloc(r->arena, (*n + 2) * sizeof *list);
				if (!bigger)
					return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
				memcpy(bigger, list, *n * sizeof *list);
				list = bigger;
				list[(*n)++] = arena_strndup(r->arena, start, (size_t)(end - start));
				*slot = list;
			}
			s += len;
			if (*s == ',')
				s++;
		}
	}
	return 0;
}

/* Lays the body's fields over f. For an HTML form an absent list means
 * nothing is ticked; for JSON it means "leave as it is", and so it does for
 * the partners when the form did not list the organisations (orgs_listed). */
static int form_from_body(wreq *r, struct group_form *f, bool orgs_listed, herr *e)
{
	struct { const char *name; const char **slot; } scalars[] = {
		{ "name", &f->name }, { "purpose", &f->purpose }, { "who_for", &f->who_for },
		{ "format", &f->format }, { "access", &f->access }, { "facilitation", &f->facilitation },
		{ "status", &f->status }, { "venue_name", &f->venue_name },
		{ "venue_address", &f->venue_address }, { "venue_access", &f->venue_access },
		{ "latitude", &f->latitude }, { "longitude", &f->longitude },
		{ "online_link", &f->online_link }, { "link_visibility", &f->link_visibility },
		{ "frequency", &f->frequency }, { "weekday", &f->weekday },
		{ "first_date", &f->first_date }, { "start_time", &f->start_time },
		{ "duration_minutes", &f->duration_minutes }, { "rrule", &f->rrule },
		{ "schedule_start", &f->schedule_start }, { "host_org_id", &f->host_org_id },
	};
	int rc = form_only_fields(r, form_fields, e);
	for (size_t i = 0; !rc && i < sizeof scalars / sizeof scalars[0]; i++)
		rc = read_scalar(r, scalars[i].name, scalars[i].slot, e);
	if (!rc && (body_has(r, "tags") || !r->body_is_json))
		rc = read_list(r, "tags", &f->tags, &f->n_tags, e);
	if (!rc && (body_has(r, "partner_ids") || (!r->body_is_json && orgs_listed)))
		rc = read_list(r, "partner_ids", &f->partner_ids, &f->n_partners, e);
	return rc;
}

/* The schedule from the form's simple choices (frequency, weekday, first
 * date, time), or as sent (rrule, schedule_start). */
static int schedule_from_form(wreq *r, struct group_form *f, struct group_input *in, herr *e)
{
	in->rrule = f->rrule;
	in->schedule_start = f->schedule_start;
	if (body_has(r, "rrule") || body_has(r, "schedule_start") || !body_has(r, "frequency"))
		return 0;
	if (!*f->frequency) {
		in->rrule = in->schedule_start = "";
		return 0;
	}
	int rc = 0;
	if (strcmp(f->frequency, "current") != 0)
		rc = group_rrule_from_choice(r->arena, f->frequency, f->weekday, &in->rrule, e);
	if (!rc && !*f->first_date)
		rc = herr_set(e, ERR_INVALID, "first_date", "Enter the date of the first meeting.");
	if (!rc && !*f->start_time)
		rc = herr_set(e, ERR_INVALID, "start_time", "Enter the time meetings start, such as 18:30.");
	if (!rc && (strlen(f->first_date) != 10 || strlen(f->start_time) != 5))
		rc = herr_set(e, ERR_INVALID, strlen(f->first_date) != 10 ? "first_date" : "start_time",
			      strlen(f->first_date) != 10
			      ? "Enter the date of the first meeting as year-month-day, such as 2026-03-03."
			      : "Enter the time as hours and minutes, such as 18:30.");
	if (!rc)
		in->schedule_start = arena_printf(r->arena, "%sT%s", f->first_date, f->start_time);
	return rc;
}

static int parse_coordinate(const char *text, const char *field, const char *what, bool *has,
			    double *value, herr *e)
{
	*has = false;
	if (!*text)
		return 0;
	if (!group_parse_decimal(text, value))
		return herr_set(e, ERR_INVALID, field,
				"Enter the %s as a decimal number of degrees, such as %s.", what,
				!strcmp(field, "latitude") ? "53.4808" : "-2.2426");
	*has = true;
	return 0;
}

static int input_from_form(wreq *r, struct group_form *f, struct group_input *in, herr *e)
{
	memset(in, 0, sizeof *in);
	in->name = f->name;
	in->purpose = f->purpose;
	in->who_for = f->who_for;
	in->format = f->format;
	in->access = f->access;
	in->facilitation = f->facilitation;
	in->status = f->status;
	in->venue_name = f->venue_name;
	in->venue_address = f->venue_address;
	in->venue_access = f->venue_access;
	in->online_link = f->online_link;
	in->link_visibility = f->link_visibility;
	in->tags = f->tags;
	in->n_tags = f->n_tags;
	int rc = parse_coordinate(f->latitude, "latitude", "latitude", &in->has_latitude,
				  &in->latitude, e);
	if (!rc) rc = parse_coordinate(f->longitude, "longitude", "longitude", &in->has_longitude,
				       &in->longitude, e);
	if (!rc && *f->duration_minutes) {
		const char *p = f->duration_minutes;
		if (strspn(p, "0123456789") != strlen(p) || strlen(p) > 5)
			rc = herr_set(e, ERR_INVALID, "duration_minutes",
				      "Give the length of a meeting in whole minutes, such as 90.");
		else
			in->duration_minutes = atoi(p) ? atoi(p) : -1;
	}
	if (!rc && *f->host_org_id && !id_parse(f->host_org_id, &in->host_org_id))
		rc = herr_set(e, ERR_INVALID, "host_org_id", "Choose the host organisation from the list.");
	int64_t *partners = arena_alloc(r->arena, (f->n_partners + 1) * sizeof *partners);
	if (!rc && !partners)
		rc = herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; !rc && i < f->n_partners; i++)
		if (!id_parse(f->partner_ids[i], &partners[i]))
			rc = herr_set(e, ERR_INVALID, "partner_ids",
				      "Choose the partner organisations from the list.");
	in->partner_ids = partners;
	in->n_partners = f->n_partners;
	if (!rc)
		rc = schedule_from_form(r, f, in, e);
	return rc;
}

/* ---- the form page ------------------------------------------------------------- */

static json_t *choices(const char *const values[], const char *const labels[], size_t n,
		       const char *current, const char *prefix, wreq *r)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "value", values[i],
			"label", labels[i], "id", arena_printf(r->arena, "%s-%s", prefix, values[i]),
			"selected", current && !strcmp(current, values[i])));
	return list;
}

static bool listed(const char **list, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], value))
			return true;
	return false;
}

/* Whether the form lists the network's organisations: with more than
 * GROUP_FORM_ORGS_LISTED_MAX it would be too long to read or send (pages
 * stay under 30 KB), so the host and partners are chosen on the group's
 * organisations page (group_organisation_pages.c) instead. */
static bool orgs_listed(wreq *r)
{
	int64_t n = 0;
	herr e;
	herr_clear(&e);
	return organisation_count(r->db, &n, &e) != 0 || n <= GROUP_FORM_ORGS_LISTED_MAX;
}

/* The network's tags and organisations, ticked as in f; the organisations
 * only when orgs_listed says so. */
static void add_reference_lists(wreq *r, json_t *model, const struct group_form *f)
{
	herr e;
	herr_clear(&e);
	struct tag *tags = NULL;
	size_t n_tags = 0;
	json_t *tag_items = json_array();
	if (tag_list_names(r->db, r->arena, &tags, &n_tags, &e) == 0)
		for (size_t i = 0; i < n_tags; i++)
			json_array_append_new(tag_items, json_pack("{s:s, s:s, s:s, s:b}",
				"value", tags[i].slug, "label", tags[i].name,
				"id", arena_printf(r->arena, "tags-%lld", (long long)tags[i].id),
				"checked", listed(f->tags, f->n_tags, tags[i].slug)));
	struct organisation *orgs = NULL;
	size_t n_orgs = 0;
	json_t *org_list = json_array();
	bool listed_here = orgs_listed(r);
	if (listed_here && organisation_list_names(r->db, r->arena, &orgs, &n_orgs, &e) == 0)
		for (size_t i = 0; i < n_orgs; i++) {
			const char *id = arena_printf(r->arena, "%lld", (long long)orgs[i].id);
			json_array_append_new(org_list, json_pack("{s:s, s:s, s:s, s:b, s:b}",
				"value", id, "label", orgs[i].name,
				"id", arena_printf(r->arena, "partner_ids-%s", id),
				"host_selected", !strcmp(f->host_org_id, id),
				"checked", listed(f->partner_ids, f->n_partners, id)));
		}
	json_object_set_new(model, "tags", tag_items);
	json_object_set_new(model, "has_tags", json_boolean(n_tags > 0));
	json_object_set_new(model, "organisations", org_list);
	json_object_set_new(model, "has_organisations", json_boolean(n_orgs > 0));
	json_object_set_new(model, "organisations_elsewhere", json_boolean(!listed_here));
}

/* The group's host and partners as text, and the address of the page that
 * changes them, for the form of an existing group. */
static void add_current_orgs(wreq *r, json_t *model, const struct group *g)
{
	json_t *partners = json_array();
	for (size_t i = 0; i < g->n_partners; i++)
		json_array_append_new(partners, org_json(&g->partners[i]));
	json_object_set_new(model, "current_host", g->host.id ? org_json(&g->host) : json_null());
	json_object_set_new(model, "current_partners", partners);
	if (!r->want_json)
		json_object_set_new(model, "has_current_partners", json_boolean(g->n_partners > 0));
	json_object_set_new(model, "organisations_path", json_string(arena_printf(r->arena,
			    "/groups/%lld/organisations", (long long)g->id)));
}

static json_t *form_model(wreq *r, bool is_new, int64_t id, const struct group_form *f)
{
	static const char *const formats[] = { "in_person", "online", "hybrid" };
	static const char *const format_labels[] = { "In person", "Online only",
						     "Hybrid: in person and online at once" };
	static const char *const accesses[] = { "open", "approval", "invite" };
	static const char *const access_labels[] = { "Open: anyone can join",
		"Ask to join: a facilitator welcomes each new member", "By invitation only" };
	static const char *const facilitations[] = { "peer_led", "co_facilitated", "staff_led" };
	static const char *const facilitation_labels[] = {
		"Peer-led: run by members who share the experience",
		"Co-facilitated: peers and staff together", "Staff-led" };
	static const char *const visibilities[] = { "everyone", "signed_in", "members" };
	static const char *const visibility_labels[] = { "Everyone",
		"People who are logged in", "Members of this group only" };
	static const char *const frequencies[] = { "", "weekly", "every_2_weeks", "every_3_weeks",
		"every_4_weeks", "monthly_1", "monthly_2", "monthly_3", "monthly_4", "monthly_last" };
	static const char *const frequency_labels[] = { "No regular meetings yet", "Every week",
		"Every 2 weeks", "Every 3 weeks", "Every 4 weeks", "Monthly, on the first",
		"Monthly, on the second", "Monthly, on the third", "Monthly, on the fourth",
		"Monthly, on the last" };
	static const char *const weekdays[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };
	static const char *const weekday_labels[] = { "Monday", "Tuesday", "Wednesday",
		"Thursday", "Friday", "Saturday", "Sunday" };
	static const char *const statuses[] = { "forming", "active", "paused" };
	static const char *const status_labels[] = { "Forming: starting soon",
		"Active: meeting regularly", "Paused: taking a break" };
	json_t *frequency_list = choices(frequencies, frequency_labels, 10, f->frequency, "frequency", r);
	if (f->current_rrule || !strcmp(f->frequency, "current"))
		json_array_insert_new(frequency_list, 1, json_pack("{s:s, s:s, s:s, s:b}",
			"value", "current", "label", arena_printf(r->arena,
				"Keep the current schedule (%s)", f->current_rrule ? f->current_rrule : f->rrule),
			"id", "frequency-current", "selected", !strcmp(f->frequency, "current")));
	json_t *form = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"name", f->name, "purpose", f->purpose, "who_for", f->who_for,
		"venue_name", f->venue_name, "venue_address", f->venue_address,
		"venue_access", f->venue_access, "latitude", f->latitude, "longitude", f->longitude,
		"online_link", f->online_link, "first_date", f->first_date,
		"start_time", f->start_time, "duration_minutes", f->duration_minutes,
		"rrule", f->rrule, "schedule_start", f->schedule_start, "host_org_id", f->host_org_id);
	json_t *model = json_pack("{s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
		"is_new", is_new,
		"action", is_new ? "/groups" : arena_printf(r->arena, "/groups/%lld/edit", (long long)id),
		"group_id", is_new ? json_null() : json_id(id),
		"form", form,
		"formats", choices(formats, format_labels, 3, f->format, "format", r),
		"accesses", choices(accesses, access_labels, 3, f->access, "access", r),
		"facilitations", choices(facilitations, facilitation_labels, 3, f->facilitation,
					 "facilitation", r),
		"visibilities", choices(visibilities, visibility_labels, 3, f->link_visibility,
					"link_visibility", r),
		"frequencies", frequency_list,
		"no_host", !*f->host_org_id);
	json_object_set_new(model, "weekdays", choices(weekdays, weekday_labels, 7, f->weekday, "weekday", r));
	if (is_new)
		json_object_set_new(model, "statuses", choices(statuses, status_labels, 3, f->status, "status", r));
	add_reference_lists(r, model, f);
	return model;
}

static const char *form_title(bool is_new)
{
	return is_new ? "Add a group" : "Change the group";
}

/* Sends the form back with the error tied to the field the person sees:
 * the schedule's rrule and start come from the frequency and date fields. */
static int form_fail(wreq *r, bool is_new, int64_t id, const struct group_form *f,
		     const struct group *g, herr *e)
{
	if (!r->body_is_json && body_has(r, "frequency") && e->field) {
		if (!strcmp(e->field, "rrule"))
			e->field = "frequency";
		else if (!strcmp(e->field, "schedule_start"))
			e->field = "first_date";
	}
	json_t *model = form_model(r, is_new, id, f);
	if (g)
		add_current_orgs(r, model, g);
	return web_form_fail(r, "group_form", form_title(is_new), model, e);
}

static int group_new_form(wreq *r)
{
	struct group_form f;
	form_defaults(&f);
	return web_page(r, 200, "group_form", form_title(true), form_model(r, true, 0, &f));
}

static json_t *saved_group_json(wreq *r, int64_t id, herr *e)
{
	struct group g;
	struct actor actor = web_actor(r);
	struct standing st;
	if (group_get_with_standing(r->db, r->arena, id, &actor, &g, &st, e))
		return NULL;
	return json_pack("{s:o}", "group", group_json(r, &g, network_time_zone(r->db, r->arena), &st));
}

static int group_create_submit(wreq *r)
{
	struct group_form f;
	struct group_input in;
	struct actor actor = web_actor(r);
	int64_t id = 0;
	herr e;
	herr_clear(&e);
	form_defaults(&f);
	int rc = form_from_body(r, &f, orgs_listed(r), &e);
	if (!rc) rc = input_from_form(r, &f, &in, &e);
	if (!rc) rc = group_create(r->db, r->arena, &actor, &in, &id, &e);
	if (rc)
		return form_fail(r, true, 0, &f, NULL, &e);
	json_t *saved = r->want_json ? saved_group_json(r, id, &e) : NULL;
	return web_redirect(r, arena_printf(r->arena, "/groups/%lld?created=1", (long long)id), 201,
			    saved);
}

/* The group as its manager may change it, and the form filled from it:
 * 404, 403 or 409 otherwise. */
static int load_for_manager(wreq *r, int64_t id, struct group *g, struct group_form *f, herr *e)
{
	struct actor actor = web_actor(r);
	struct standing st;
	int rc = group_get_with_standing(r->db, r->arena, id, &actor, g, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc)
		form_from_group(r, g, f);
	return rc;
}

static int group_edit_form(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct group g;
	struct group_form f;
	herr e;
	herr_clear(&e);
	if (load_for_manager(r, id, &g, &f, &e))
		return web_fail(r, &e);
	json_t *model = form_model(r, false, id, &f);
	json_object_set_new(model, "group_name", json_string(g.name));
	add_current_orgs(r, model, &g);
	return web_page(r, 200, "group_form", form_title(false), model);
}

static int group_edit_submit(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct group g;
	struct group_form f;
	struct group_input in;
	struct actor actor = web_actor(r);
	herr e;
	herr_clear(&e);
	if (load_for_manager(r, id, &g, &f, &e))
		return web_fail(r, &e);
	int rc = body_has(r, "status")
		? herr_set(&e, ERR_INVALID, "status", "A group's status is changed on its own, "
			   "by a coordinator (POST /groups/%lld/status).", (long long)id)
		: form_from_body(r, &f, orgs_listed(r), &e);
	if (!rc) rc = input_from_form(r, &f, &in, &e);
	if (!rc) rc = group_update(r->db, r->arena, &actor, id, &in, &e);
	if (rc)
		return form_fail(r, false, id, &f, &g, &e);
	json_t *saved = r->want_json ? saved_group_json(r, id, &e) : NULL;
	return web_redirect(r, arena_printf(r->arena, "/groups/%lld?saved=1", (long long)id), 200,
			    saved);
}

static int group_status_submit(wreq *r)
{
	static const char *const fields[] = { "status", NULL };
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct actor actor = web_actor(r);
	const char *status = NULL;
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "status", "the group's status", FIELD_REQUIRED, 20, &status, &e);
	if (!rc) rc = group_set_status(r->db, r->arena, &actor, id, status, &e);
	if (rc)
		return web_fail(r, &e);
	json_t *saved = r->want_json ? saved_group_json(r, id, &e) : NULL;
	return web_redirect(r, arena_printf(r->arena, "/groups/%lld?status_changed=1", (long long)id),
			    200, saved);
}

/* What the API description says about these routes (http/openapi.c). */
#define GROUP_DOC_FIELDS "who_for:string format:in_person|online|hybrid " \
	"access:open|approval|invite facilitation:peer_led|co_facilitated|staff_led " \
	"venue_name:string venue_address:string venue_access:string " \
	"latitude:numeric longitude:numeric online_link:uri " \
	"link_visibility:everyone|signed_in|members frequency:string " \
	"weekday:MO|TU|WE|TH|FR|SA|SU first_date:date start_time:clock " \
	"duration_minutes:numeric rrule:string schedule_start:string tags:string[] " \
	"host_org_id:id partner_ids:id[]"
static const struct web_doc group_new_doc = {
	.summary = "What the form for a new group needs: choices, tags, organisations",
	.response = "is_new!:boolean form!:object tags:object[] organisations:object[]",
};
static const struct web_doc group_create_doc = {
	.summary = "Create a group",
	.description = "The schedule is an RFC 5545 rrule with schedule_start "
		       "(\"2026-01-06T18:30\", in the network's time zone), or the form's "
		       "simple choices: frequency, weekday, first_date and start_time. tags are "
		       "slugs of the network's tags.",
	.request = "name!:string purpose!:string status:forming|active|paused " GROUP_DOC_FIELDS,
	.status = 201, .response = "group!:object",
};
static const struct web_doc group_show_doc = {
	.summary = "A group's page: what it is, how it meets, its next meetings, how to join",
	.description = "A closed group is 404 except for those who manage it. The online "
		       "link is shown as the group chose: to everyone, signed-in people or members.",
	.response = "group!:object join!:object viewer!:object",
};
static const struct web_doc group_edit_form_doc = {
	.summary = "What the form for changing a group needs",
	.description = "The group's facilitators and peer support workers, coordinators "
		       "and admins.",
	.response = "is_new!:boolean group_id!:id form!:object",
};
static const struct web_doc group_edit_doc = {
	.summary = "Change a group",
	.description = "The group's facilitators and peer support workers, coordinators and "
		       "admins. Fields left out keep their value. The status is changed on its own.",
	.request = "name:string purpose:string " GROUP_DOC_FIELDS,
	.response = "group!:object",
};
static const struct web_doc group_status_doc = {
	.summary = "Change a group's status (closing takes it out of the directory)",
	.request = "status!:forming|active|paused|closed", .response = "group!:object",
};
#undef GROUP_DOC_FIELDS

const struct web_route group_routes[] = {
	{ M_GET, "/groups/new", group_new_form, ACCESS_COORDINATOR, &group_new_doc },
	{ M_POST, "/groups", group_create_submit, ACCESS_COORDINATOR, &group_create_doc },
	{ M_GET, "/groups/{id}", group_show, ACCESS_PUBLIC, &group_show_doc,
	  .same_for_visitors = true },
	{ M_GET, "/groups/{id}/edit", group_edit_form, ACCESS_SIGNED_IN, &group_edit_form_doc },
	{ M_POST, "/groups/{id}/edit", group_edit_submit, ACCESS_SIGNED_IN, &group_edit_doc },
	{ M_POST, "/groups/{id}/status", group_status_submit, ACCESS_COORDINATOR, &group_status_doc },
	{ 0 }
};
