/* admin_pages.c - pages for instance administrators: invitations for
 * networks where sign-up is by invitation. */
#include "form.h"
#include "view.h"

#include "../app/invitation.h"
#include "../app/person.h"

static json_t *invitation_json(const struct invitation *v)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}",
		"id", json_id(v->id),
		"email", json_str_or_null(v->email),
		"created_at", json_time(v->created_at),
		"expires_at", json_time(v->expires_at),
		"expires_text", json_time_text(v->expires_at),
		"used", v->used_at != 0);
}

static json_t *invitations_model(wreq *r, herr *e)
{
	struct invitation *list;
	size_t n;
	if (invitation_list(r->db, r->arena, &list, &n, e))
		return NULL;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, invitation_json(&list[i]));
	return json_pack("{s:o}", "invitations", items);
}

static int invitations_show(wreq *r)
{
	herr e;
	herr_clear(&e);
	r->personal = true;
	json_t *model = invitations_model(r, &e);
	if (!model)
		return web_fail(r, &e);
	return web_page(r, 200, "invitations", "Invitations", model);
}

static int invitation_create_submit(wreq *r)
{
	static const char *const fields[] = { "email", NULL };
	const char *email = NULL;
	char token[INVITATION_TOKEN_CHARS + 1];
	int64_t id;
	herr e;
	herr_clear(&e);
	r->personal = true;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "email", "the email address", FIELD_OPTIONAL, PERSON_EMAIL_MAX, &email, &e);
	if (!rc) rc = invitation_create(r->db, r->arena, r->user.person_id, email, token, &id, &e);
	json_t *model = rc ? NULL : invitations_model(r, &e);
	if (!model) {
		/* Keep showing the list beside the error; an empty one if even
		 * that cannot be read. */
		herr list_error;
		herr_clear(&list_error);
		json_t *shown = invitations_model(r, &list_error);
		if (!shown)
			shown = json_pack("{s:[]}", "invitations");
		json_object_set_new(shown, "form", json_pack("{s:s?}", "email", email));
		return web_form_fail(r, "invitations", "Invitations", shown, &e);
	}
	const char *path = arena_printf(r->arena, "/signup?invite=%s", token);
	json_object_set_new(model, "created", json_pack("{s:o, s:s, s:o}", "id", json_id(id),
		"path", path, "email", json_str_or_null(email)));
	return web_page(r, 201, "invitations", "Invitations", model);
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc invitations_show_doc = {
	.summary = "Sign-up invitations", .response = "invitations!:object[]",
};
static const struct web_doc invitation_create_doc = {
	.summary = "Make a sign-up invitation, optionally for one email address",
	.description = "created.path holds the link with its token: the only time it is shown.",
	.request = "email:email", .status = 201,
	.response = "invitations!:object[] created!:object",
};

const struct web_route admin_routes[] = {
	{ M_GET, "/admin/invitations", invitations_show, ACCESS_ADMIN, &invitations_show_doc },
	{ M_POST, "/admin/invitations", invitation_create_submit, ACCESS_ADMIN, &invitation_create_doc },
	{ 0 }
};
