/* people_pages.c - for administrators: the people with accounts and the
 * network roles they hold (coordinator, safeguarding lead, peer researcher,
 * commissioner), with a form to set them. Being an administrator is not on
 * this page: it is set from the command line only. */
#include "form.h"
#include "view.h"

#include "../app/person_role.h"

#include <stdlib.h>
#include <string.h>

static json_t *roles_json(unsigned roles)
{
	json_t *list = json_array();
	for (int i = 0; i < PERSON_ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(list, json_string(person_role_names[i]));
	return list;
}

/* For the checkboxes: every role, with whether this person holds it. */
static json_t *role_choices(unsigned roles)
{
	json_t *list = json_array();
	for (int i = 0; i < PERSON_ROLE_COUNT; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
			"value", person_role_names[i], "label", person_role_label(1u << i),
			"checked", (roles & (1u << i)) != 0));
	return list;
}

static json_t *roles_text(unsigned roles)
{
	char text[128] = "";
	for (int i = 0; i < PERSON_ROLE_COUNT; i++)
		if (roles & (1u << i)) {
			if (text[0])
				strcat(text, ", ");
			strcat(text, person_role_label(1u << i));
		}
	return json_string(text);
}

static json_t *listing_json(wreq *r, const struct person_listing *p)
{
	json_t *o = json_pack("{s:o, s:s, s:o, s:b, s:o, s:o}",
		"id", json_id(p->id),
		"display_name", p->display_name ? p->display_name : "",
		"email", json_str_or_null(p->email),
		"is_admin", p->is_admin,
		"roles", roles_json(p->roles),
		"created_at", json_time(p->created_at));
	if (!r->want_json) {
		json_object_set_new(o, "role_choices", role_choices(p->roles));
		json_object_set_new(o, "roles_text", roles_text(p->roles));
	}
	return o;
}

/* ?page=N, from 1; ERR_INVALID for anything else. */
static int page_param(wreq *r, int *ret, herr *e)
{
	const char *s = query_param(r, "page");
	if (!s || !*s) {
		*ret = 1;
		return 0;
	}
	char *end;
	long n = strtol(s, &end, 10);
	if (*end || end == s || s[0] < '0' || s[0] > '9' || n < 1 || n > 1000000)
		return herr_set(e, ERR_INVALID, "page", "The page number must be a whole number from 1.");
	*ret = (int)n;
	return 0;
}

static int people_show(wreq *r)
{
	struct actor me = web_actor(r);
	struct person_listing *list;
	size_t n;
	bool more;
	int page = 1;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (page_param(r, &page, &e) ||
	    person_role_list_people(r->db, r->arena, &me, page, &list, &n, &more, &e))
		return web_fail(r, &e);
	json_t *people = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(people, listing_json(r, &list[i]));
	json_t *model = json_pack("{s:o, s:i, s:i, s:b}", "people", people, "page", page,
				  "page_size", PEOPLE_PAGE_SIZE, "has_next", more);
	if (more)
		json_object_set_new(model, "next_page", json_integer(page + 1));
	if (page > 1)
		json_object_set_new(model, "prev_page", json_integer(page - 1));
	if (query_param(r, "saved") && !r->want_json)
		json_object_set_new(model, "notice", json_string("The roles are saved."));
	return web_page(r, 200, "people", "People and roles", model);
}

/* The "roles" field: one name (a form with one box ticked), several (a
 * form sends one field per ticked box; JSON an array), or none. */
static int read_roles(wreq *r, unsigned *ret, herr *e)
{
	json_t *v = json_object_get(r->body, "roles");
	unsigned roles = 0;
	if (!v || json_is_null(v)) {
		*ret = 0;
		return 0;
	}
	if (json_is_string(v)) {
		if (!(roles = person_role_parse(json_string_value(v))))
			return herr_set(e, ERR_INVALID, "roles",
					"\"%.40s\" is not a network role.", json_string_value(v));
		*ret = roles;
		return 0;
	}
	if (!json_is_array(v))
		return herr_set(e, ERR_BADREQ, "roles", "The roles must be a list of role names.");
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		unsigned bit = json_is_string(item) ? person_role_parse(json_string_value(item)) : 0;
		if (!bit)
			return herr_set(e, ERR_INVALID, "roles",
					"Each role must be one of coordinator, safeguarding_lead, "
					"peer_researcher and commissioner.");
		roles |= bit;
	}
	*ret = roles;
	return 0;
}

static int people_roles_submit(wreq *r)
{
	static const char *const fields[] = { "roles", "page", NULL };
	struct actor me = web_actor(r);
	const char *page = NULL;
	int64_t id;
	unsigned roles = 0, saved = 0;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (web_param_id(r, "id", &id))
		return 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "page", "the page to return to", FIELD_OPTIONAL, 7, &page, &e);
	if (!rc) rc = read_roles(r, &roles, &e);
	if (!rc) rc = person_role_set(r->db, &me, id, roles, &e);
	if (!rc) rc = person_role_get(r->db, id, &saved, &e);
	if (rc)
		return web_fail(r, &e);
	int back = page ? atoi(page) : 1;
	const char *to = back > 1 ? arena_printf(r->arena, "/admin/people?page=%d&saved=1", back)
				  : "/admin/people?saved=1";
	return web_redirect(r, to, 200,
			    json_pack("{s:{s:o, s:o}}", "person", "id", json_id(id),
				      "roles", roles_json(saved)));
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc people_show_doc = {
	.summary = "People with accounts and their network roles",
	.query = "page:integer",
	.response = "people!:object[] page!:integer page_size!:integer has_next!:boolean",
};
static const struct web_doc people_roles_doc = {
	.summary = "Set a person's network roles",
	.description = "The roles sent replace the person's roles; none removes them all.",
	.request = "roles:coordinator|safeguarding_lead|peer_researcher|commissioner[] page:string",
	.response = "person!:object",
};

const struct web_route people_routes[] = {
	{ M_GET, "/admin/people", people_show, ACCESS_ADMIN, &people_show_doc },
	{ M_POST, "/admin/people/{id}/roles", people_roles_submit, ACCESS_ADMIN, &people_roles_doc },
	{ 0 }
};
