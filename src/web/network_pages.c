/* network_pages.c - what coordinators keep for the whole network: the
 * organisations (the host charity and its partners), the list of tags, and
 * the network's time zone. The lists are public; changes are for
 * coordinators. */
#include "form.h"
#include "view.h"

#include "../app/network.h"
#include "../app/organisation.h"
#include "../app/tag.h"
#include "../base/ids.h"

#include <string.h>

/* A yes/no field: a ticked checkbox ("1", "on", "yes", "true") or a JSON
 * boolean; absent is no. */
static int read_flag(wreq *r, const char *name, bool *ret, herr *e)
{
	json_t *v = json_object_get(r->body, name);
	*ret = false;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v)) {
		*ret = json_is_true(v);
		return 0;
	}
	if (json_is_string(v)) {
		static const char *const yes[] = { "1", "on", "yes", "true" };
		static const char *const no[] = { "0", "off", "no", "false", "" };
		for (size_t i = 0; i < 4; i++) {
			if (!strcmp(json_string_value(v), yes[i])) {
				*ret = true;
				return 0;
			}
		}
		for (size_t i = 0; i < 5; i++)
			if (!strcmp(json_string_value(v), no[i]))
				return 0;
	}
	return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be yes or no (true or false).", name);
}

/* ---- organisations ----------------------------------------------------------- */

static json_t *org_groups_json(wreq *r, const struct org_group *list, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:s, s:s}", "id", json_id(list[i].id),
			"name", list[i].name,
			"url", arena_printf(r->arena, "/groups/%lld", (long long)list[i].id)));
	return a;
}

static json_t *organisation_json(wreq *r, const struct organisation *o)
{
	return json_pack("{s:o, s:s, s:s, s:o, s:b, s:o, s:o, s:b, s:b, s:o, s:o}",
		"id", json_id(o->id),
		"name", o->name,
		"description", o->description ? o->description : "",
		"website", json_str_or_null(o->website),
		"is_host", o->is_host,
		"hosts", org_groups_json(r, o->hosts, o->n_hosts),
		"partners", org_groups_json(r, o->partners, o->n_partners),
		"has_hosts", o->n_hosts > 0,
		"has_partners", o->n_partners > 0,
		"created_at", json_time(o->created_at),
		"updated_at", json_time(o->updated_at));
}

static int organisations_show(wreq *r)
{
	static const struct web_notice notices[] = {
		{ "added", "The organisation is added." },
		{ "saved", "Your changes are saved." },
		{ NULL, NULL },
	};
	struct organisation *list;
	size_t n;
	herr e;
	herr_clear(&e);
	if (organisation_list(r->db, r->arena, &list, &n, &e))
		return web_fail(r, &e);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, organisation_json(r, &list[i]));
	json_t *model = json_pack("{s:o}", "organisations", items);
	web_add_notice(r, model, notices);
	return web_page(r, 200, "organisations", "Organisations", model);
}

static json_t *org_form_model(wreq *r, int64_t id, const struct organisation_input *in)
{
	bool is_new = id == 0;
	return json_pack("{s:b, s:s, s:o, s:{s:s, s:s, s:s, s:b}}",
		"is_new", is_new,
		"action", is_new ? "/organisations"
				 : arena_printf(r->arena, "/organisations/%lld/edit", (long long)id),
		"organisation_id", is_new ? json_null() : json_id(id),
		"form", "name", in->name ? in->name : "",
		"description", in->description ? in->description : "",
		"website", in->website ? in->website : "", "is_host", in->is_host);
}

static const char *org_form_title(int64_t id)
{
	return id ? "Change an organisation" : "Add an organisation";
}

static int organisation_new_form(wreq *r)
{
	struct organisation_input in = { 0 };
	return web_page(r, 200, "organisation_form", org_form_title(0), org_form_model(r, 0, &in));
}

static int read_organisation(wreq *r, struct organisation_input *in, herr *e)
{
	static const char *const fields[] = { "name", "description", "website", "is_host", NULL };
	int rc = form_only_fields(r, fields, e);
	if (!rc) rc = form_text(r, "name", "the organisation's name", FIELD_REQUIRED, ORG_NAME_MAX, &in->name, e);
	if (!rc) rc = form_text(r, "description", "the description", FIELD_OPTIONAL, ORG_DESCRIPTION_MAX, &in->description, e);
	if (!rc) rc = form_text(r, "website", "the website address", FIELD_OPTIONAL, ORG_WEBSITE_MAX, &in->website, e);
	if (!rc) rc = read_flag(r, "is_host", &in->is_host, e);
	return rc;
}

static json_t *saved_organisation(wreq *r, int64_t id, herr *e)
{
	struct organisation o;
	if (organisation_get(r->db, r->arena, id, &o, e))
		return NULL;
	return json_pack("{s:o}", "organisation", organisation_json(r, &o));
}

static int organisation_create_submit(wreq *r)
{
	struct organisation_input in = { 0 };
	struct actor actor = web_actor(r);
	int64_t id = 0;
	herr e;
	herr_clear(&e);
	int rc = read_organisation(r, &in, &e);
	if (!rc) rc = organisation_create(r->db, &actor, &in, &id, &e);
	if (rc)
		return web_form_fail(r, "organisation_form", org_form_title(0),
				     org_form_model(r, 0, &in), &e);
	return web_redirect(r, "/organisations?added=1", 201,
			    r->want_json ? saved_organisation(r, id, &e) : NULL);
}

static int organisation_edit_form(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct organisation o;
	herr e;
	herr_clear(&e);
	if (organisation_get(r->db, r->arena, id, &o, &e))
		return web_fail(r, &e);
	struct organisation_input in = { o.name, o.description, o.website, o.is_host };
	return web_page(r, 200, "organisation_form", org_form_title(id), org_form_model(r, id, &in));
}

static int organisation_edit_submit(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct organisation_input in = { 0 };
	struct organisation o;
	struct actor actor = web_actor(r);
	herr e;
	herr_clear(&e);
	if (organisation_get(r->db, r->arena, id, &o, &e))
		return web_fail(r, &e);
	int rc = read_organisation(r, &in, &e);
	if (!rc) rc = organisation_update(r->db, &actor, id, &in, &e);
	if (rc)
		return web_form_fail(r, "organisation_form", org_form_title(id),
				     org_form_model(r, id, &in), &e);
	return web_redirect(r, "/organisations?saved=1", 200,
			    r->want_json ? saved_organisation(r, id, &e) : NULL);
}

/* ---- tags --------------------------------------------------------------------- */

static json_t *tag_json(wreq *r, const struct tag *t)
{
	return json_pack("{s:o, s:s, s:s, s:I, s:s}", "id", json_id(t->id), "slug", t->slug,
			 "name", t->name, "group_count", (json_int_t)t->group_count,
			 "url", arena_printf(r->arena, "/groups?tag=%s", t->slug));
}

static json_t *tags_model(wreq *r, herr *e)
{
	struct tag *list;
	size_t n;
	if (tag_list(r->db, r->arena, &list, &n, e))
		return NULL;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, tag_json(r, &list[i]));
	return json_pack("{s:o}", "tags", items);
}

static int tags_show(wreq *r)
{
	static const struct web_notice notices[] = {
		{ "added", "The tag is added." },
		{ "removed", "The tag is removed." },
		{ NULL, NULL },
	};
	herr e;
	herr_clear(&e);
	json_t *model = tags_model(r, &e);
	if (!model)
		return web_fail(r, &e);
	web_add_notice(r, model, notices);
	return web_page(r, 200, "tags", "Tags", model);
}

static int tag_create_submit(wreq *r)
{
	static const char *const fields[] = { "name", NULL };
	const char *name = NULL;
	struct actor actor = web_actor(r);
	struct tag t;
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "name", "a name for the tag", FIELD_REQUIRED, TAG_NAME_MAX, &name, &e);
	if (!rc) rc = tag_create(r->db, r->arena, &actor, name, &t, &e);
	if (rc) {
		herr ignored;
		json_t *model = tags_model(r, &ignored);
		if (!model)
			model = json_pack("{s:[]}", "tags");
		json_object_set_new(model, "form", json_pack("{s:s}", "name", name ? name : ""));
		return web_form_fail(r, "tags", "Tags", model, &e);
	}
	return web_redirect(r, "/tags?added=1", 201, json_pack("{s:o}", "tag", tag_json(r, &t)));
}

static int tag_delete_submit(wreq *r)
{
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct actor actor = web_actor(r);
	herr e;
	herr_clear(&e);
	if (form_only_fields(r, (const char *const[]){ NULL }, &e) ||
	    tag_delete(r->db, &actor, id, &e))
		return web_fail(r, &e);
	return web_redirect(r, "/tags?removed=1", 200, NULL);
}

/* ---- network settings ------------------------------------------------------------ */

static json_t *network_model(wreq *r, const char *shown)
{
	const char *zone = network_time_zone(r->db, r->arena);
	return json_pack("{s:s, s:s, s:{s:s}}", "time_zone", zone,
			 "default_time_zone", network_default_zone(),
			 "form", "time_zone", shown ? shown : zone);
}

static int network_show(wreq *r)
{
	static const struct web_notice notices[] = {
		{ "saved", "The network's settings are saved." },
		{ NULL, NULL },
	};
	json_t *model = network_model(r, NULL);
	web_add_notice(r, model, notices);
	return web_page(r, 200, "network", "Network settings", model);
}

static int network_submit(wreq *r)
{
	static const char *const fields[] = { "time_zone", NULL };
	const char *zone = NULL;
	struct actor actor = web_actor(r);
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "time_zone", "the network's time zone", FIELD_REQUIRED,
				NETWORK_ZONE_MAX, &zone, &e);
	if (!rc) rc = network_set_time_zone(r->db, &actor, zone, &e);
	if (rc)
		return web_form_fail(r, "network", "Network settings", network_model(r, zone), &e);
	return web_redirect(r, "/network?saved=1", 200,
			    json_pack("{s:{s:s}}", "network", "time_zone", zone));
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc organisations_show_doc = {
	.summary = "The network's organisations: the host charity and its partners",
	.response = "organisations!:object[]",
};
static const struct web_doc organisation_create_doc = {
	.summary = "Add an organisation",
	.request = "name!:string description:string website:uri is_host:boolean",
	.status = 201, .response = "organisation!:object", .errors = "409",
};
static const struct web_doc organisation_new_doc = {
	.summary = "What the form for a new organisation needs",
	.response = "is_new!:boolean form!:object",
};
static const struct web_doc organisation_edit_form_doc = {
	.summary = "What the form for changing an organisation needs",
	.response = "is_new!:boolean organisation_id!:id form!:object",
};
static const struct web_doc organisation_edit_doc = {
	.summary = "Change an organisation",
	.request = "name!:string description:string website:uri is_host:boolean",
	.response = "organisation!:object",
};
static const struct web_doc tags_show_doc = {
	.summary = "The network's tags, with how many groups carry each",
	.response = "tags!:object[]",
};
static const struct web_doc tag_create_doc = {
	.summary = "Add a tag", .request = "name!:string",
	.status = 201, .response = "tag!:object", .errors = "409",
};
static const struct web_doc tag_delete_doc = {
	.summary = "Remove a tag (groups lose it)", .response = "ok!:boolean",
};
static const struct web_doc network_show_doc = {
	.summary = "The network's settings: its time zone",
	.response = "time_zone!:string default_time_zone!:string",
};
static const struct web_doc network_submit_doc = {
	.summary = "Change the network's time zone (an IANA name such as Europe/London)",
	.request = "time_zone!:string", .response = "network!:object",
};

const struct web_route network_routes[] = {
	{ M_GET, "/organisations", organisations_show, ACCESS_PUBLIC, &organisations_show_doc,
	  .same_for_visitors = true },
	{ M_POST, "/organisations", organisation_create_submit, ACCESS_COORDINATOR, &organisation_create_doc },
	{ M_GET, "/organisations/new", organisation_new_form, ACCESS_COORDINATOR, &organisation_new_doc },
	{ M_GET, "/organisations/{id}/edit", organisation_edit_form, ACCESS_COORDINATOR, &organisation_edit_form_doc },
	{ M_POST, "/organisations/{id}/edit", organisation_edit_submit, ACCESS_COORDINATOR, &organisation_edit_doc },
	{ M_GET, "/tags", tags_show, ACCESS_PUBLIC, &tags_show_doc,
	  .same_for_visitors = true },
	{ M_POST, "/tags", tag_create_submit, ACCESS_COORDINATOR, &tag_create_doc },
	{ M_POST, "/tags/{id}/delete", tag_delete_submit, ACCESS_COORDINATOR, &tag_delete_doc },
	{ M_GET, "/network", network_show, ACCESS_COORDINATOR, &network_show_doc },
	{ M_POST, "/network", network_submit, ACCESS_COORDINATOR, &network_submit_doc },
	{ 0 }
};
