/* community_pages.c - the wider community: the network's directory of
 * community resources (/resources: the public list, filtered by category
 * and paged, and the coordinators' forms to add, change and remove a
 * resource), and a group's community page (/groups/{id}/community: its
 * events and outings, the connections it makes and its signposting
 * totals, with the managers' forms to record them), and the upcoming
 * events on the group's public page. */
#include "community_pages.h"
#include "form.h"
#include "view.h"

#include "../app/community.h"
#include "../app/membership.h"
#include "../app/network.h"
#include "../app/organisation.h"
#include "../app/resource.h"
#include "../base/ids.h"

#include <string.h>

/* ---- building the page --------------------------------------------- */

static json_t *resource_json(wreq *r, const struct resource *x)
{
	return json_pack("{s:o, s:s, s:{s:s, s:s}, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:s}",
		"id", json_id(x->id), "name", x->name,
		"category", "slug", x->category_slug, "name", x->category_name,
		"description", x->description ? x->description : "",
		"phone", json_str_or_null(x->phone), "email", json_str_or_null(x->email),
		"website", json_str_or_null(x->website),
		"opening_times", x->opening_times ? x->opening_times : "",
		"address", x->address ? x->address : "",
		"organisation", x->organisation_id
			? json_pack("{s:o, s:s}", "id", json_id(x->organisation_id),
				    "name", x->organisation_name ? x->organisation_name : "")
			: json_null(),
		"created_at", json_time(x->created_at), "updated_at", json_time(x->updated_at),
		"edit_path", arena_printf(r->arena, "/resources/%lld/edit", (long long)x->id),
		"delete_path", arena_printf(r->arena, "/resources/%lld/delete", (long long)x->id));
}

static json_t *category_choices(const struct resource_category *list, size_t n, const char *chosen)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "slug", list[i].slug,
			"name", list[i].name, "selected", chosen && !strcmp(chosen, list[i].slug)));
	return a;
}

static json_t *organisation_choices(const struct organisation *list, size_t n, int64_t chosen)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:s, s:b}", "id", json_id(list[i].id),
			"name", list[i].name, "selected", list[i].id == chosen));
	return a;
}

static const struct web_notice resource_notices[] = {
	{ "added", "The resource is added to the directory." },
	{ "saved", "Your changes are saved." },
	{ "removed", "The resource is removed from the directory." },
	{ NULL, NULL },
};

/* The page number from the query: 1 when absent; ERR_INVALID otherwise
 * unless a whole number from 1 to 100000. */
static int read_page(wreq *r, int *ret, herr *e)
{
	const char *s = query_param(r, "page");
	*ret = 1;
	if (!s || !*s)
		return 0;
	long n = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || n > 100000)
			return herr_set(e, ERR_INVALID, "page", "The page is a whole number from 1.");
		n = n * 10 + (*p - '0');
	}
	if (n < 1 || n > 100000)
		return herr_set(e, ERR_INVALID, "page", "The page is a whole number from 1.");
	*ret = (int)n;
	return 0;
}

static const char *page_link(wreq *r, const char *slug, int page)
{
	if (slug && *slug)
		return arena_printf(r->arena, "/resources?category=%s&page=%d", slug, page);
	return arena_printf(r->arena, "/resources?page=%d", page);
}

static int resources_show(wreq *r)
{
	herr e;
	herr_clear(&e);
	const char *slug = query_param(r, "category");
	struct resource_category *cats;
	struct resource *list;
	size_t n_cats, n;
	int64_t total = 0;
	int page;
	int rc = read_page(r, &page, &e);
	if (!rc) rc = resource_categories(r->db, r->arena, &cats, &n_cats, &e);
	if (!rc) rc = resource_list(r->db, r->arena, slug, page, &list, &n, &total, &e);
	if (rc)
		return web_fail(r, &e);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, resource_json(r, &list[i]));
	int64_t pages = (total + RESOURCE_PAGE_SIZE - 1) / RESOURCE_PAGE_SIZE;
	json_t *model = json_pack("{s:o, s:o, s:o, s:i, s:I, s:I}",
		"resources", items, "categories", category_choices(cats, n_cats, slug),
		"category", json_str_or_null(slug && *slug ? slug : NULL),
		"page", page, "pages", (json_int_t)(pages ? pages : 1), "total", (json_int_t)total);
	if (!r->want_json) {
		if (page > 1)
			json_object_set_new(model, "previous_page", json_string(page_link(r, slug, page - 1)));
		if (page < pages)
			json_object_set_new(model, "next_page", json_string(page_link(r, slug, page + 1)));
		web_add_notice(r, model, resource_notices);
	}
	return web_page(r, 200, "resources", "Community resources", model);
}

/* ---- the form ------------------------------------------------------ */

/* Adds the menus of resource categories and of organisations to model,
 * with category and organisation_id chosen; a menu that cannot be read is
 * left empty. */
static void add_resource_menus(wreq *r, json_t *model, const char *category,
			       int64_t organisation_id)
{
	struct resource_category *cats = NULL;
	struct organisation *orgs = NULL;
	size_t n_cats = 0, n_orgs = 0;
	herr e;
	herr_clear(&e);
	if (resource_categories(r->db, r->arena, &cats, &n_cats, &e))
		n_cats = 0;
	if (organisation_list_names(r->db, r->arena, &orgs, &n_orgs, &e))
		n_orgs = 0;
	json_object_set_new(model, "categories", category_choices(cats, n_cats, category));
	json_object_set_new(model, "organisations", organisation_choices(orgs, n_orgs, organisation_id));
}

static json_t *form_model(wreq *r, int64_t id, const struct resource_input *in, const char *org_text)
{
	bool is_new = id == 0;
	json_t *model = json_pack("{s:b, s:s, s:o, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}}",
		"is_new", is_new,
		"action", is_new ? "/resources" : arena_printf(r->arena, "/resources/%lld/edit", (long long)id),
		"resource_id", is_new ? json_null() : json_id(id),
		"form", "name", in->name ? in->name : "", "description", in->description ? in->description : "",
		"phone", in->phone ? in->phone : "", "email", in->email ? in->email : "",
		"website", in->website ? in->website : "",
		"opening_times", in->opening_times ? in->opening_times : "",
		"address", in->address ? in->address : "", "organisation_id", org_text ? org_text : "");
	add_resource_menus(r, model, in->category, in->organisation_id);
	return model;
}

static const char *form_title(int64_t id)
{
	return id ? "Change a resource" : "Add a resource";
}

static int read_resource(wreq *r, struct resource_input *in, const char **org_text, herr *e)
{
	static const char *const fields[] = { "name", "category", "description", "phone", "email",
		"website", "opening_times", "address", "organisation_id", NULL };
	*org_text = "";
	int rc = form_only_fields(r, fields, e);
	if (!rc) rc = form_text(r, "name", "the resource's name", FIELD_REQUIRED, RESOURCE_NAME_MAX, &in->name, e);
	if (!rc) rc = form_text(r, "category", "the category", FIELD_REQUIRED, 60, &in->category, e);
	if (!rc) rc = form_text(r, "description", "the description", FIELD_OPTIONAL, RESOURCE_DESCRIPTION_MAX, &in->description, e);
	if (!rc) rc = form_text(r, "phone", "the phone number", FIELD_OPTIONAL, RESOURCE_PHONE_MAX, &in->phone, e);
	if (!rc) rc = form_text(r, "email", "the email address", FIELD_OPTIONAL, RESOURCE_EMAIL_MAX, &in->email, e);
	if (!rc) rc = form_text(r, "website", "the website address", FIELD_OPTIONAL, RESOURCE_WEBSITE_MAX, &in->website, e);
	if (!rc) rc = form_text(r, "opening_times", "the opening times", FIELD_OPTIONAL, RESOURCE_OPENING_MAX, &in->opening_times, e);
	if (!rc) rc = form_text(r, "address", "the address or area", FIELD_OPTIONAL, RESOURCE_ADDRESS_MAX, &in->address, e);
	if (!rc) rc = form_text(r, "organisation_id", "the organisation", FIELD_OPTIONAL, 30, org_text, e);
	if (!rc && **org_text && !id_parse(*org_text, &in->organisation_id))
		rc = herr_set(e, ERR_INVALID, "organisation_id",
			      "That organisation is not in the network's list; choose one from the list.");
	return rc;
}

static json_t *saved_resource(wreq *r, int64_t id)
{
	struct resource x;
	herr e;
	herr_clear(&e);
	if (resource_get(r->db, r->arena, id, &x, &e))
		return NULL;
	return json_pack("{s:o}", "resource", resource_json(r, &x));
}

static int resource_new_form(wreq *r)
{
	struct resource_input in = { 0 };
	return web_page(r, 200, "resource_form", form_title(0), form_model(r, 0, &in, ""));
}

static int resource_create_submit(wreq *r)
{
	struct resource_input in = { 0 };
	struct actor actor = web_actor(r);
	const char *org_text = "";
	int64_t id = 0;
	herr e;
	herr_clear(&e);
	int rc = read_resource(r, &in, &org_text, &e);
	if (!rc) rc = resource_create(r->db, &actor, &in, &id, &e);
	if (rc)
		return web_form_fail(r, "resource_form", form_title(0), form_model(r, 0, &in, org_text), &e);
	return web_redirect(r, "/resources?added=1", 201, r->want_json ? saved_resource(r, id) : NULL);
}

static int resource_edit_form(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct resource x;
	herr e;
	herr_clear(&e);
	if (resource_get(r->db, r->arena, id, &x, &e))
		return web_fail(r, &e);
	struct resource_input in = { x.name, x.category_slug, x.description, x.phone, x.email,
		x.website, x.opening_times, x.address, x.organisation_id };
	const char *org_text = x.organisation_id
		? arena_printf(r->arena, "%lld", (long long)x.organisation_id) : "";
	return web_page(r, 200, "resource_form", form_title(id), form_model(r, id, &in, org_text));
}

static int resource_edit_submit(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct resource_input in = { 0 };
	struct resource x;
	struct actor actor = web_actor(r);
	const char *org_text = "";
	herr e;
	herr_clear(&e);
	if (resource_get(r->db, r->arena, id, &x, &e))
		return web_fail(r, &e);
	int rc = read_resource(r, &in, &org_text, &e);
	if (!rc) rc = resource_update(r->db, &actor, id, &in, &e);
	if (rc)
		return web_form_fail(r, "resource_form", form_title(id), form_model(r, id, &in, org_text), &e);
	return web_redirect(r, "/resources?saved=1", 200, r->want_json ? saved_resource(r, id) : NULL);
}

static int resource_delete_submit(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct actor actor = web_actor(r);
	herr e;
	herr_clear(&e);
	static const char *const none[] = { NULL };
	int rc = form_only_fields(r, none, &e);
	if (!rc) rc = resource_delete(r->db, &actor, id, &e);
	if (rc)
		return web_fail(r, &e);
	return web_redirect(r, "/resources?removed=1", 200, NULL);
}

/* ---- a group's community page --------------------------------------- */

#define EVENT_TIME_FORMAT "%A %-d %B %Y, %H:%M"
#define UPCOMING_ON_GROUP_PAGE 5

static json_t *event_json(const struct community_event *x, const char *zone)
{
	return json_pack("{s:o, s:s, s:o, s:o, s:s, s:s}", "id", json_id(x->id), "title", x->title,
		"starts_at", json_time(x->starts_at),
		"starts_text", json_local_time(zone, x->starts_at, EVENT_TIME_FORMAT),
		"place", x->place ? x->place : "", "description", x->description ? x->description : "");
}

static json_t *events_json(const struct community_event *list, size_t n, const char *zone)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, event_json(&list[i], zone));
	return a;
}

void community_add_group_events(wreq *r, json_t *model, int64_t group_id, const char *zone)
{
	struct community_event *list = NULL;
	size_t n = 0;
	herr e;
	herr_clear(&e);
	if (community_upcoming_events(r->db, r->arena, group_id, UPCOMING_ON_GROUP_PAGE, &list, &n, &e))
		n = 0;
	json_object_set_new(model, "community_events", events_json(list, n, zone));
	if (!r->want_json)
		json_object_set_new(model, "has_community_events", json_boolean(n > 0));
}

static json_t *connection_json(const struct community_connection *x)
{
	const char *label = community_connection_kind_label(x->kind);
	return json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:s}", "id", json_id(x->id),
		"with", x->with ? x->with : "",
		"organisation_id", x->organisation_id ? json_id(x->organisation_id) : json_null(),
		"kind", x->kind, "kind_text", label ? label : x->kind, "date", x->date,
		"note", x->note ? x->note : "");
}

static json_t *signposting_json(const struct community_overview *o)
{
	json_t *list = json_array();
	for (size_t i = 0; i < o->n_totals; i++)
		json_array_append_new(list, json_pack("{s:{s:s, s:s}, s:I}",
			"category", "slug", o->totals[i].category_slug, "name", o->totals[i].category_name,
			"people", (json_int_t)o->totals[i].people));
	return json_pack("{s:I, s:o}", "people", (json_int_t)o->people_signposted, "by_category", list);
}

static json_t *kind_choices(const char *chosen)
{
	json_t *a = json_array();
	for (size_t i = 0; community_connection_kinds[i]; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", community_connection_kinds[i],
			"label", community_connection_kind_label(community_connection_kinds[i]),
			"selected", chosen && !strcmp(chosen, community_connection_kinds[i])));
	return a;
}

static json_t *meeting_choices(wreq *r, int64_t group_id, const char *zone, const char *chosen)
{
	struct community_meeting *list = NULL;
	size_t n = 0;
	herr e;
	herr_clear(&e);
	if (community_signpost_meetings(r->db, r->arena, group_id, 30, &list, &n, &e))
		n = 0;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *id = arena_printf(r->arena, "%lld", (long long)list[i].id);
		json_array_append_new(a, json_pack("{s:s, s:o, s:b}", "id", id,
			"text", json_local_time(zone, list[i].starts_at, EVENT_TIME_FORMAT),
			"selected", chosen && !strcmp(chosen, id)));
	}
	return a;
}

/* The choices the managers' forms offer, and what was sent (form). */
static void add_form_choices(wreq *r, json_t *model, const struct standing *st, const char *zone,
			     json_t *form)
{
	const char *org = json_string_value(json_object_get(form, "organisation_id"));
	int64_t org_id = 0;
	if (org && !id_parse(org, &org_id))
		org_id = 0;
	add_resource_menus(r, model, json_string_value(json_object_get(form, "category")), org_id);
	json_object_set_new(model, "kinds", kind_choices(json_string_value(json_object_get(form, "kind"))));
	json_object_set_new(model, "meetings", meeting_choices(r, st->group_id, zone,
		json_string_value(json_object_get(form, "meeting_id"))));
	json_object_set_new(model, "form", form);
}

static const struct web_notice community_notices[] = {
	{ "event", "The event is added." },
	{ "connection", "The connection is recorded." },
	{ "signposted", "The signposting is recorded." },
	{ NULL, NULL },
};

/* The page's model; NULL after answering with an error. which names the
 * form that failed ("event", "connection", "signpost") or is NULL. */
static json_t *community_model(wreq *r, int64_t group_id, struct standing *st, const char *which,
			       herr *e)
{
	struct actor actor = web_actor(r);
	struct community_overview o;
	if (membership_standing(r->db, group_id, &actor, st, e) ||
	    community_overview_get(r->db, r->arena, st, &o, e)) {
		web_fail(r, e);
		return NULL;
	}
	const char *zone = network_time_zone(r->db, r->arena);
	json_t *connections = json_array();
	for (size_t i = 0; i < o.n_connections; i++)
		json_array_append_new(connections, connection_json(&o.connections[i]));
	json_t *model = json_pack("{s:{s:o}, s:o, s:o, s:o, s:b, s:b}",
		"group", "id", json_id(group_id),
		"events", events_json(o.events, o.n_events, zone), "connections", connections,
		"signposting", signposting_json(&o), "can_manage", st->can_manage && !st->is_closed,
		"is_closed", st->is_closed);
	if (!r->want_json) {
		static const char *const fields[] = { "title", "date", "time", "place", "description",
			"organisation_id", "with", "kind", "connected_on", "note", "meeting_id", "category",
			"count", NULL };
		json_object_set_new(model, "has_connections", json_boolean(o.n_connections > 0));
		json_object_set_new(model, "has_signposting", json_boolean(o.n_totals > 0));
		json_object_set_new(model, "group_path", json_string(arena_printf(r->arena, "/groups/%lld",
			(long long)group_id)));
		add_form_choices(r, model, st, zone, which ? form_echo(r, fields) : json_object());
		if (which)
			json_object_set_new(model, arena_printf(r->arena, "failed_%s", which), json_true());
		web_add_notice(r, model, community_notices);
	}
	return model;
}

static int community_show(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct standing st;
	herr e;
	herr_clear(&e);
	json_t *model = community_model(r, id, &st, NULL, &e);
	return model ? web_page(r, 200, "community", "The group in the community", model) : 0;
}

/* Answers a refused form: the page again with the errors (or the error
 * alone when the person may not see the page). */
static int community_form_fail(wreq *r, int64_t group_id, const char *which, const herr *e)
{
	if (r->want_json || e->code == ERR_DENIED || e->code == ERR_NOTFOUND || e->code == ERR_UNAUTH)
		return web_fail(r, e);
	struct standing st;
	herr e2;
	herr_clear(&e2);
	json_t *model = community_model(r, group_id, &st, which, &e2);
	return model ? web_form_fail(r, "community", "The group in the community", model, e) : 0;
}

/* The group and the person's standing in it, for a POST. */
static int posted_group(wreq *r, int64_t *ret_id, struct standing *st, herr *e)
{
	struct actor actor = web_actor(r);
	if (web_param_id(r, "id", ret_id))
		return ERR_NOTFOUND;
	if (membership_standing(r->db, *ret_id, &actor, st, e)) {
		web_fail(r, e);
		return e->code;
	}
	return 0;
}

static const char *community_path(wreq *r, int64_t group_id, const char *notice)
{
	return arena_printf(r->arena, "/groups/%lld/community?%s=1", (long long)group_id, notice);
}

static int event_submit(wreq *r)
{
	static const char *const fields[] = { "title", "date", "time", "place", "description", NULL };
	struct community_event_input in = { 0 };
	struct standing st;
	int64_t gid, id = 0;
	herr e;
	herr_clear(&e);
	if (posted_group(r, &gid, &st, &e))
		return 0;
	int rc = membership_require_manager(&st, &e);
	if (!rc) rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "title", "the title", FIELD_REQUIRED, EVENT_TITLE_MAX, &in.title, &e);
	if (!rc) rc = form_text(r, "date", "the date", FIELD_REQUIRED, 10, &in.date, &e);
	if (!rc) rc = form_text(r, "time", "the start time", FIELD_REQUIRED, 5, &in.time, &e);
	if (!rc) rc = form_text(r, "place", "the place", FIELD_OPTIONAL, EVENT_PLACE_MAX, &in.place, &e);
	if (!rc) rc = form_text(r, "description", "the description", FIELD_OPTIONAL, EVENT_DESCRIPTION_MAX, &in.description, &e);
	if (!rc) rc = community_event_add(r->db, &st, r->user.person_id, &in, &id, &e);
	if (rc)
		return community_form_fail(r, gid, "event", &e);
	return web_redirect(r, community_path(r, gid, "event"), 201,
			    json_pack("{s:{s:o}}", "event", "id", json_id(id)));
}

static int connection_submit(wreq *r)
{
	static const char *const fields[] = { "organisation_id", "with", "kind", "connected_on", "note", NULL };
	struct community_connection_input in = { 0 };
	struct standing st;
	const char *org = "";
	int64_t gid, id = 0;
	herr e;
	herr_clear(&e);
	if (posted_group(r, &gid, &st, &e))
		return 0;
	int rc = membership_require_manager(&st, &e);
	if (!rc) rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "organisation_id", "the organisation", FIELD_OPTIONAL, 30, &org, &e);
	if (!rc && *org && !id_parse(org, &in.organisation_id))
		rc = herr_set(&e, ERR_INVALID, "organisation_id",
			      "That organisation is not in the network's list; choose one from the list.");
	if (!rc) rc = form_text(r, "with", "who it was with", FIELD_OPTIONAL, CONNECTION_WITH_MAX, &in.with, &e);
	if (!rc) rc = form_text(r, "kind", "the kind of connection", FIELD_REQUIRED, 30, &in.kind, &e);
	if (!rc) rc = form_text(r, "connected_on", "the date", FIELD_REQUIRED, 10, &in.date, &e);
	if (!rc) rc = form_text(r, "note", "the note", FIELD_OPTIONAL, CONNECTION_NOTE_MAX, &in.note, &e);
	if (!rc) rc = community_connection_add(r->db, &st, r->user.person_id, &in, &id, &e);
	if (rc)
		return community_form_fail(r, gid, "connection", &e);
	return web_redirect(r, community_path(r, gid, "connection"), 201,
			    json_pack("{s:{s:o}}", "connection", "id", json_id(id)));
}

static int signpost_submit(wreq *r)
{
	static const char *const fields[] = { "meeting_id", "category", "count", NULL };
	struct signpost_input in = { 0 };
	struct standing st;
	const char *meeting = "";
	int64_t gid;
	herr e;
	herr_clear(&e);
	if (posted_group(r, &gid, &st, &e))
		return 0;
	int rc = membership_require_manager(&st, &e);
	if (!rc) rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "meeting_id", "the meeting", FIELD_REQUIRED, 30, &meeting, &e);
	if (!rc && !id_parse(meeting, &in.meeting_id))
		rc = herr_set(&e, ERR_INVALID, "meeting_id", "Choose one of this group's meetings from the list.");
	if (!rc) rc = form_text(r, "category", "the category", FIELD_REQUIRED, 60, &in.category, &e);
	if (!rc) rc = form_int(r, "count", "how many people", 0, 1000000, 0, &in.count, &e);
	if (!rc) rc = community_signpost_add(r->db, &st, r->user.person_id, &in, &e);
	if (rc)
		return community_form_fail(r, gid, "signpost", &e);
	return web_redirect(r, community_path(r, gid, "signposted"), 201, NULL);
}

/* What the API description says about these routes (http/openapi.c). */
#define RESOURCE_FIELDS "name!:string category!:string description:string phone:string " \
	"email:email website:uri opening_times:string address:string organisation_id:id"
static const struct web_doc resources_show_doc = {
	.summary = "The network's directory of community resources",
	.description = "Anyone may read it. Filter by a category's slug; 50 a page. "
		       "An unknown category is 422.",
	.query = "category:string page:integer",
	.response = "resources!:object[] categories!:object[] category:string? page!:integer "
		    "pages!:integer total!:integer",
};
static const struct web_doc resource_create_doc = {
	.summary = "Add a community resource",
	.description = "Coordinators only. The category is a slug from the list; phone, email "
		       "and website are checked.",
	.request = RESOURCE_FIELDS, .status = 201, .response = "resource!:object",
};
static const struct web_doc resource_new_doc = {
	.summary = "What the form for a new resource needs",
	.response = "is_new!:boolean categories!:object[] organisations!:object[] form!:object",
};
static const struct web_doc resource_edit_form_doc = {
	.summary = "What the form for changing a resource needs",
	.response = "is_new!:boolean resource_id!:id categories!:object[] organisations!:object[] form!:object",
};
static const struct web_doc resource_edit_doc = {
	.summary = "Change a community resource",
	.request = RESOURCE_FIELDS, .response = "resource!:object",
};
static const struct web_doc resource_delete_doc = {
	.summary = "Remove a community resource from the directory",
};

static const struct web_doc community_show_doc = {
	.summary = "A group in the community: its upcoming events, connections and signposting totals",
	.description = "Members and managers of the group.",
	.response = "group!:object events!:object[] connections!:object[] signposting!:object "
		    "can_manage!:boolean is_closed!:boolean",
};
static const struct web_doc event_submit_doc = {
	.summary = "Add a community event or outing to a group",
	.description = "The group's managers. The local date and time must be later than now; "
		       "a closed group is 409.",
	.request = "title!:string date!:date time!:clock place:string description:string",
	.status = 201, .response = "event!:object", .errors = "409",
};
static const struct web_doc connection_submit_doc = {
	.summary = "Record a connection a group made",
	.description = "The group's managers. With a listed organisation or someone named; "
		       "the date is today or before; a closed group is 409.",
	.request = "organisation_id:id with:string kind!:referral|joint_activity|visit|speaker|other "
		   "connected_on!:date note:string",
	.status = 201, .response = "connection!:object", .errors = "409",
};
static const struct web_doc signpost_submit_doc = {
	.summary = "Record how many people were signposted to a category at a meeting",
	.description = "The group's managers. Counts only (1 to 100), never names; the meeting "
		       "is one of the group's that has started; a closed group is 409.",
	.request = "meeting_id!:id category!:string count!:integer",
	.status = 201, .errors = "409",
};

const struct web_route community_routes[] = {
	{ M_GET, "/resources", resources_show, ACCESS_PUBLIC, &resources_show_doc,
	  .same_for_visitors = true },
	{ M_POST, "/resources", resource_create_submit, ACCESS_COORDINATOR, &resource_create_doc },
	{ M_GET, "/resources/new", resource_new_form, ACCESS_COORDINATOR, &resource_new_doc },
	{ M_GET, "/resources/{id}/edit", resource_edit_form, ACCESS_COORDINATOR, &resource_edit_form_doc },
	{ M_POST, "/resources/{id}/edit", resource_edit_submit, ACCESS_COORDINATOR, &resource_edit_doc },
	{ M_POST, "/resources/{id}/delete", resource_delete_submit, ACCESS_COORDINATOR, &resource_delete_doc },
	{ M_GET, "/groups/{id}/community", community_show, ACCESS_SIGNED_IN, &community_show_doc },
	{ M_POST, "/groups/{id}/events", event_submit, ACCESS_SIGNED_IN, &event_submit_doc },
	{ M_POST, "/groups/{id}/connections", connection_submit, ACCESS_SIGNED_IN, &connection_submit_doc },
	{ M_POST, "/groups/{id}/signposting", signpost_submit, ACCESS_SIGNED_IN, &signpost_submit_doc },
	{ 0 }
};
