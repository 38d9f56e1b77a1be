/* group_organisation_pages.c - a group's host and partner organisations on
 * a page of their own: what they are now, each with a button to remove it,
 * and a "find an organisation" box whose results can be made the host or
 * added as partners. It serves networks with too many organisations for the
 * group's form to list (GROUP_FORM_ORGS_LISTED_MAX in group_pages.c), and
 * the same people who may edit the group use it. JSON under /api/v1/. */
#include "form.h"
#include "view.h"

#include "../app/group.h"
#include "../app/membership.h"
#include "../app/organisation.h"
#include "../base/ids.h"

#include <string.h>

#define ORGS_FOUND_MAX 20    /* organisations a search shows */
#define ORGS_FIND_MAX 100    /* characters of the text to find */

static bool is_partner(const struct group *g, int64_t org_id)
{
	for (size_t i = 0; i < g->n_partners; i++)
		if (g->partners[i].id == org_id)
			return true;
	return false;
}

/* The organisations whose name holds the query's find (the first
 * ORGS_FOUND_MAX by name when there is none), each saying whether it is
 * the host or a partner already. */
static int add_found(wreq *r, json_t *model, const struct group *g, herr *e)
{
	const char *find;
	struct organisation *orgs;
	size_t n;
	int rc = query_find(r, "find", ORGS_FIND_MAX, &find, e);
	if (!rc) rc = organisation_find(r->db, r->arena, find, ORGS_FOUND_MAX, &orgs, &n, e);
	if (rc)
		return rc;
	json_t *found = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_org_ref(orgs[i].id, orgs[i].name, orgs[i].website);
		json_object_set_new(o, "is_host", json_boolean(orgs[i].id == g->host.id));
		json_object_set_new(o, "is_partner", json_boolean(is_partner(g, orgs[i].id)));
		json_array_append_new(found, o);
	}
	json_object_set_new(model, "find", json_string(find));
	json_object_set_new(model, "organisations", found);
	if (!r->want_json) {
		json_object_set_new(model, "has_found", json_boolean(n > 0));
		json_object_set_new(model, "may_be_more", json_boolean(n == ORGS_FOUND_MAX));
		json_object_set_new(model, "found_max", json_integer(ORGS_FOUND_MAX));
	}
	return 0;
}

/* The page's model: the group, its host and partners, and what was found. */
static json_t *page_model(wreq *r, const struct group *g, herr *e)
{
	json_t *partners = json_array();
	for (size_t i = 0; i < g->n_partners; i++)
		json_array_append_new(partners, json_org_ref(g->partners[i].id, g->partners[i].name,
							 g->partners[i].website));
	json_t *model = json_pack("{s:o, s:o, s:o, s:i}",
		"group", json_group(r, g->id, g->name),
		"host", g->host.id ? json_org_ref(g->host.id, g->host.name, g->host.website) : json_null(),
		"partners", partners,
		"partners_max", GROUP_PARTNERS_MAX);
	if (!r->want_json) {
		json_object_set_new(model, "has_partners", json_boolean(g->n_partners > 0));
		json_object_set_new(model, "action", json_string(arena_printf(r->arena,
				    "/groups/%lld/organisations", (long long)g->id)));
	}
	if (add_found(r, model, g, e)) {
		json_decref(model);
		return NULL;
	}
	return model;
}

/* The group of the route's {id}, for one of its managers: 404, 403 or 409
 * otherwise, as the group's edit form answers. */
static int load_group(wreq *r, int64_t id, struct group *g, herr *e)
{
	struct actor actor = web_actor(r);
	struct standing st;
	int rc = group_get_with_standing(r->db, r->arena, id, &actor, g, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	return rc;
}

static const char *page_title(wreq *r, const struct group *g)
{
	return arena_printf(r->arena, "Organisations of %s", g->name);
}

static int group_organisations_page(wreq *r)
{
	static const struct web_notice notices[] = {
		{ "host", "The host organisation is changed." },
		{ "partner", "The partner organisation is added." },
		{ "remove_host", "The group has no host organisation now." },
		{ "remove_partner", "The partner organisation is removed." },
		{ "unchanged", "Nothing needed changing: it was already so." },
		{ NULL, NULL }
	};
	int64_t id;
	if (web_param_id(r, "id", &id))
		return 0;
	struct group g;
	herr e;
	herr_clear(&e);
	json_t *model = NULL;
	if (load_group(r, id, &g, &e) || !(model = page_model(r, &g, &e)))
		return web_fail(r, &e);
	web_add_notice(r, model, notices);
	return web_page(r, 200, "group_organisations", page_title(r, &g), model);
}

static const char *const actions[] = { "host", "partner", "remove_host", "remove_partner", NULL };

/* The change the body asks for: its action and organisation_id. */
static int read_change(wreq *r, enum group_org_change *ret_change, int64_t *ret_org, herr *e)
{
	static const char *const fields[] = { "action", "organisation_id", NULL };
	static const enum group_org_change changes[] = { GROUP_ORG_HOST, GROUP_ORG_PARTNER,
		GROUP_ORG_REMOVE_HOST, GROUP_ORG_REMOVE_PARTNER };
	const char *action = NULL, *org = NULL;
	int rc = form_only_fields(r, fields, e);
	if (!rc) rc = form_text(r, "action", "what to do", FIELD_REQUIRED, 20, &action, e);
	if (!rc) rc = form_text(r, "organisation_id", "the organisation", FIELD_REQUIRED, 30, &org, e);
	if (rc)
		return rc;
	for (size_t i = 0; actions[i]; i++)
		if (!strcmp(actions[i], action)) {
			*ret_change = changes[i];
			if (!id_parse(org, ret_org))
				return herr_set(e, ERR_INVALID, "organisation_id",
						"There is no such organisation; choose one from the list.");
			return 0;
		}
	return herr_set(e, ERR_INVALID, "action",
			"Choose what to do: host, partner, remove_host or remove_partner.");
}

static int group_organisations_submit(wreq *r)
{
	int64_t id, org_id = 0;
	if (web_param_id(r, "id", &id))
		return 0;
	struct group g;
	struct actor actor = web_actor(r);
	enum group_org_change change = GROUP_ORG_HOST;
	bool changed = false;
	herr e;
	herr_clear(&e);
	if (load_group(r, id, &g, &e))
		return web_fail(r, &e);
	int rc = read_change(r, &change, &org_id, &e);
	if (!rc) rc = group_change_organisation(r->db, &actor, id, change, org_id, &changed, &e);
	if (rc) {
		herr ignored;
		herr_clear(&ignored);
		json_t *model = page_model(r, &g, &ignored);
		return model ? web_form_fail(r, "group_organisations", page_title(r, &g), model, &e)
			     : web_fail(r, &e);
	}
	herr_clear(&e);
	json_t *saved = NULL;
	if (r->want_json && (group_get(r->db, r->arena, id, &g, &e) || !(saved = page_model(r, &g, &e))))
		return web_fail(r, &e);
	if (saved)
		json_object_set_new(saved, "changed", json_boolean(changed));
	return web_redirect(r, arena_printf(r->arena, "/groups/%lld/organisations?%s=1",
					    (long long)id, changed ? actions[change] : "unchanged"),
			    200, saved);
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc group_organisations_doc = {
	.summary = "A group's host and partner organisations, and organisations found by name",
	.description = "The group's facilitators and peer support workers, coordinators and "
		       "admins. organisations holds at most 20 whose name contains find (any "
		       "case), by name; without find, the first 20 by name.",
	.query = "find:string",
	.response = "group!:object host:object? partners!:object[] partners_max!:integer "
		    "find!:string organisations!:object[]",
};
static const struct web_doc group_organisations_change_doc = {
	.summary = "Make an organisation a group's host or partner, or remove it",
	.description = "The group's facilitators and peer support workers, coordinators and "
		       "admins. Adding a partner the group has already, or removing one it does "
		       "not have, changes nothing (changed is false). At most 20 partners.",
	.request = "action!:host|partner|remove_host|remove_partner organisation_id!:id",
	.response = "group!:object host:object? partners!:object[] changed!:boolean",
};

const struct web_route group_organisation_routes[] = {
	{ M_GET, "/groups/{id}/organisations", group_organisations_page, ACCESS_SIGNED_IN,
	  &group_organisations_doc },
	{ M_POST, "/groups/{id}/organisations", group_organisations_submit, ACCESS_SIGNED_IN,
	  &group_organisations_change_doc },
	{ 0 }
};
