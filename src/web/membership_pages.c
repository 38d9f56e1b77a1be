/* membership_pages.c - joining and leaving a group, and the group's members
 * page: who is in it, and for its facilitators the requests to join, the
 * invite links, adding someone without an account and setting roles. */
#include "form.h"
#include "view.h"

#include "../app/group_invite.h"
#include "../app/membership.h"
#include "../app/person.h"
#include "../base/ids.h"

#include <stdio.h>
#include <string.h>

#define MEMBERS_PAGE_SIZE 25    /* members a page of the list */
#define MEMBERS_PAGE_MAX 10000
#define MEMBERS_FIND_MAX 100    /* characters of a "find a member" filter */

/* ---- reading the request ------------------------------------------- */

/* An invite's limit on uses: empty or 0 is no limit, so people are asked
 * for 1 or more. */
static int form_max_uses(wreq *r, int *ret, herr *e)
{
	if (form_int(r, "max_uses", "the number of uses", 0, GROUP_INVITE_MAX_USES, 0, ret, e))
		return herr_set(e, ERR_INVALID, "max_uses",
				"Enter the number of uses as a whole number from 1 to %d.",
				GROUP_INVITE_MAX_USES);
	return 0;
}

/* What a handler about one group works from: the group of the route's
 * {id} (what the join pages need to know of it), the actor and their
 * standing in it, and the error being answered. */
struct group_call {
	struct group_door g;
	struct standing st;
	struct actor me;
	herr e;
};

/* Fills c for the route's {id}. On failure the answer is ready (404 for a
 * bad id, or what c->e says). */
static int load_group(wreq *r, struct group_call *c)
{
	int64_t id;
	herr_clear(&c->e);
	c->me = web_actor(r);
	if (web_param_id(r, "id", &id))
		return ERR_NOTFOUND;
	int rc = membership_standing(r->db, id, &c->me, &c->st, &c->e);
	if (!rc)
		rc = membership_group_door(r->db, r->arena, id, &c->g, &c->e);
	if (rc)
		web_fail(r, &c->e);
	return rc;
}

static const char *group_path(wreq *r, const struct group_door *g, const char *suffix)
{
	return arena_printf(r->arena, "/groups/%lld%s", (long long)g->id, suffix);
}

static json_t *group_json(wreq *r, const struct group_door *g)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}",
		"id", json_id(g->id), "name", g->name, "access", g->access, "status", g->status,
		"path", group_path(r, g, ""), "members_path", group_path(r, g, "/members"));
}

/* A member as others see them: names and pronouns only. Managers also see
 * whether they have an account, when they joined and their access needs. */
static json_t *member_json(wreq *r, const struct member *m, bool manager)
{
	json_t *o = json_person(m->person_id, m->display_name,
		json_pack("{s:o, s:s, s:s, s:s, s:b}",
			"pronouns", json_str_or_null(m->pronouns),
			"role", member_role_name(m->role),
			"role_text", member_role_label(m->role),
			"status", member_status_name(m->status),
			"is_me", m->person_id == r->user.person_id));
	if (!manager)
		return o;
	json_object_set_new(o, "has_account", json_boolean(m->has_account));
	json_object_set_new(o, "access_needs", json_str_or_null(m->access_needs));
	json_object_set_new(o, "joined_at", json_time(m->joined_at));
	json_object_set_new(o, "joined_text", json_time_text(m->joined_at));
	if (m->status == MEMBER_REQUESTED)
		json_object_set_new(o, "message", json_str_or_null(m->message));
	return o;
}

static json_t *role_options(enum member_role current)
{
	static const enum member_role roles[] = { ROLE_MEMBER, ROLE_FACILITATOR, ROLE_PEER_WORKER };
	json_t *list = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
			"value", member_role_name(roles[i]), "label", member_role_label(roles[i]),
			"selected", roles[i] == current));
	return list;
}

static json_t *invite_json(const struct group_invite *v, int64_t now)
{
	const char *state = v->revoked_at ? "revoked"
		: v->expires_at <= now ? "expired"
		: (v->max_uses && v->uses >= v->max_uses) ? "used_up" : "usable";
	const char *state_text = !strcmp(state, "revoked") ? "Revoked"
		: !strcmp(state, "expired") ? "Expired"
		: !strcmp(state, "used_up") ? "Used up" : "Working";
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:s, s:s, s:b}",
		"id", json_id(v->id),
		"created_by", json_str_or_null(v->created_by_name),
		"created_at", json_time(v->created_at),
		"created_text", json_time_text(v->created_at),
		"expires_at", json_time(v->expires_at),
		"expires_text", json_time_text(v->expires_at),
		"max_uses", v->max_uses, "uses", v->uses,
		"state", state, "state_text", state_text,
		"usable", group_invite_usable(v, now));
}

/* ---- the members page ---------------------------------------------- */

/* A page of the members (by name, MEMBERS_PAGE_SIZE at a time, those
 * whose name holds the query's find), with the links to the pages beside
 * it and the whole count. */
static int add_members(wreq *r, json_t *model, const struct standing *st, herr *e)
{
	struct member *list;
	size_t n;
	int page, total;
	const char *find;
	int rc = query_page(r, MEMBERS_PAGE_MAX, &page, e);
	if (!rc) rc = query_find(r, "find", MEMBERS_FIND_MAX, &find, e);
	if (!rc) rc = membership_list_page(r->db, r->arena, st, MEMBER_ACTIVE, find,
					   (page - 1) * MEMBERS_PAGE_SIZE, MEMBERS_PAGE_SIZE, &list,
					   &n, &total, e);
	int pages = total > 0 ? (total + MEMBERS_PAGE_SIZE - 1) / MEMBERS_PAGE_SIZE : 1;
	if (!rc && page > pages)
		rc = herr_set(e, ERR_BADREQ, "page", "There is no page %d: the list has %d page%s.",
			      page, pages, pages == 1 ? "" : "s");
	if (rc)
		return rc;
	const char *base = arena_printf(r->arena, "/groups/%lld/members", (long long)st->group_id);
	json_object_set_new(model, "paging", json_pack("{s:i, s:i, s:i, s:i, s:s, s:o, s:o}",
		"page", page, "pages", pages, "per_page", MEMBERS_PAGE_SIZE, "total", total,
		"find", find,
		"prev_path", page > 1 ? json_string(web_paged_path(r, base, page - 1, find))
				      : json_null(),
		"next_path", page < pages ? json_string(web_paged_path(r, base, page + 1, find))
					  : json_null()));
	if (!r->want_json) {
		json_object_set_new(model, "several_pages", json_boolean(pages > 1));
		json_object_set_new(model, "show_find", json_boolean(pages > 1 || find[0]));
		json_object_set_new(model, "find_action", json_string(arena_printf(r->arena,
				    "%s#members", base)));
		json_object_set_new(model, "pager_label", json_string("Pages of the members list"));
	}
	bool show_forms = st->can_manage && !st->is_closed;
	json_t *members = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *m = member_json(r, &list[i], st->can_manage);
		if (show_forms && !r->want_json)
			json_object_set_new(m, "role_options", role_options(list[i].role));
		json_array_append_new(members, m);
	}
	json_object_set_new(model, "members", members);
	json_object_set_new(model, "member_count", json_integer(total));
	return 0;
}

static int add_manager_lists(wreq *r, json_t *model, const struct standing *st, herr *e)
{
	struct member *list;
	size_t n;
	int rc = membership_list(r->db, r->arena, st, MEMBER_REQUESTED, &list, &n, e);
	if (rc)
		return rc;
	json_t *requests = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(requests, member_json(r, &list[i], true));
	json_object_set_new(model, "requests", requests);

	struct group_invite *invites;
	if ((rc = group_invite_list(r->db, r->arena, st, &invites, &n, e)))
		return rc;
	int64_t now = time_now_ms();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, invite_json(&invites[i], now));
	json_object_set_new(model, "invites", items);
	if (!r->want_json) {
		json_object_set_new(model, "has_requests", json_boolean(json_array_size(requests) > 0));
		json_object_set_new(model, "has_invites", json_boolean(n > 0));
	}
	return 0;
}

static json_t *members_model(wreq *r, const struct standing *st, const struct group_door *g,
			     herr *e)
{
	json_t *model = json_pack("{s:o, s:{s:s, s:s}, s:b, s:b, s:b, s:i, s:i, s:i}",
		"group", group_json(r, g),
		"me", "status", member_status_name(st->status), "role", member_role_name(st->role),
		"can_manage", st->can_manage,
		"can_change", st->can_manage && !st->is_closed,
		"can_leave", st->is_member && !st->is_closed,
		"invite_days", GROUP_INVITE_DAYS, "invite_max_days", GROUP_INVITE_MAX_DAYS,
		"invite_max_uses", GROUP_INVITE_MAX_USES);
	int rc = add_members(r, model, st, e);
	if (!rc && st->can_manage)
		rc = add_manager_lists(r, model, st, e);
	if (rc) {
		json_decref(model);
		return NULL;
	}
	return model;
}

static const char *members_title(wreq *r, const struct group_door *g)
{
	return arena_printf(r->arena, "Members of %s", g->name);
}

static const char *done_notice(const char *done)
{
	static const struct { const char *key, *text; } notices[] = {
		{ "added", "They are added to the group." },
		{ "approved", "The request is approved: they are a member now." },
		{ "declined", "The request is declined. They can ask again later." },
		{ "role", "Their role is saved." },
		{ "revoked", "The invite link is revoked: it no longer lets anyone in." },
	};
	for (size_t i = 0; done && i < sizeof notices / sizeof notices[0]; i++)
		if (!strcmp(done, notices[i].key))
			return notices[i].text;
	return NULL;
}

static int members_show(wreq *r)
{
	struct group_call c;
	r->personal = true;
	if (load_group(r, &c))
		return 0;
	if (membership_require_member(&c.st, &c.e))
		return web_fail(r, &c.e);
	json_t *model = members_model(r, &c.st, &c.g, &c.e);
	if (!model)
		return web_fail(r, &c.e);
	const char *notice = done_notice(query_param(r, "done"));
	if (notice && !r->want_json)
		json_object_set_new(model, "notice", json_string(notice));
	return web_page(r, 200, "members", members_title(r, &c.g), model);
}

/* A manager's form on the members page did not validate: the page again,
 * with the error by its field and what was typed (form). Refusals that are
 * not about a field get the error page. */
static int members_form_fail(wreq *r, const struct standing *st, const struct group_door *g,
			     json_t *form, const herr *e)
{
	herr e2;
	herr_clear(&e2);
	bool about_input = e->field && (e->code == ERR_INVALID || e->code == ERR_BADREQ);
	json_t *model = about_input ? members_model(r, st, g, &e2) : NULL;
	if (!model) {
		json_decref(form);
		return web_fail(r, e);
	}
	json_object_set_new(model, "form", form ? form : json_object());
	return web_form_fail(r, "members", members_title(r, g), model, e);
}

/* Loads the group and checks that the actor may manage it; the answer is
 * ready when it returns non-zero. */
static int load_managed_group(wreq *r, struct group_call *c)
{
	int rc = load_group(r, c);
	if (rc)
		return rc;
	if ((rc = membership_require_manager(&c->st, &c->e)))
		web_fail(r, &c->e);
	return rc;
}

/* After a change to one member: the members page with a notice (done), or
 * the member as JSON at json_status. */
static int member_changed(wreq *r, struct group_call *c, int64_t person_id, const char *done,
			  int json_status)
{
	struct member m;
	if (membership_get(r->db, r->arena, &c->st, &c->me, person_id, &m, &c->e))
		return web_fail(r, &c->e);
	return web_redirect(r, group_path(r, &c->g, arena_printf(r->arena, "/members?done=%s", done)),
			    json_status, json_pack("{s:o}", "member", member_json(r, &m, true)));
}

static int member_add_submit(wreq *r)
{
	static const char *const fields[] = { "display_name", "pronouns", "access_needs", NULL };
	struct group_call c;
	const char *name = NULL, *pronouns = NULL, *needs = NULL;
	r->personal = true;
	if (load_managed_group(r, &c))
		return 0;
	int64_t person_id;
	int rc = form_only_fields(r, fields, &c.e);
	if (!rc) rc = form_text(r, "display_name", "the name others will see", FIELD_REQUIRED, PERSON_NAME_MAX, &name, &c.e);
	if (!rc) rc = form_text(r, "pronouns", "their pronouns", FIELD_OPTIONAL, PERSON_PRONOUNS_MAX, &pronouns, &c.e);
	if (!rc) rc = form_text(r, "access_needs", "their access needs", FIELD_OPTIONAL, PERSON_ACCESS_NEEDS_MAX, &needs, &c.e);
	if (!rc) rc = membership_add_without_account(r->db, c.g.id, &c.me, name, pronouns, needs, &person_id, &c.e);
	if (rc)
		return members_form_fail(r, &c.st, &c.g, form_echo(r, fields), &c.e);
	return member_changed(r, &c, person_id, "added", 201);
}

static int answer_request(wreq *r, bool approve)
{
	struct group_call c;
	int64_t person_id;
	r->personal = true;
	if (load_group(r, &c) || web_param_id(r, "person_id", &person_id))
		return 0;
	int rc = form_only_fields(r, (const char *const[]){ NULL }, &c.e);
	if (!rc)
		rc = approve ? membership_approve(r->db, c.g.id, &c.me, person_id, &c.e)
			     : membership_decline(r->db, c.g.id, &c.me, person_id, &c.e);
	if (rc)
		return web_fail(r, &c.e);
	return member_changed(r, &c, person_id, approve ? "approved" : "declined", 200);
}

static int request_approve_submit(wreq *r)
{
	return answer_request(r, true);
}

static int request_decline_submit(wreq *r)
{
	return answer_request(r, false);
}

static int member_role_submit(wreq *r)
{
	static const char *const fields[] = { "role", NULL };
	struct group_call c;
	const char *role = NULL;
	int64_t person_id;
	r->personal = true;
	if (load_group(r, &c) || web_param_id(r, "person_id", &person_id))
		return 0;
	int rc = form_only_fields(r, fields, &c.e);
	if (!rc) rc = form_text(r, "role", "a role", FIELD_REQUIRED, 20, &role, &c.e);
	if (!rc) rc = membership_set_role(r->db, c.g.id, &c.me, person_id, role, &c.e);
	if (rc && !c.st.can_manage)
		return web_fail(r, &c.e);
	if (rc)
		return members_form_fail(r, &c.st, &c.g, NULL, &c.e);
	return member_changed(r, &c, person_id, "role", 200);
}

/* ---- invite links -------------------------------------------------- */

/* The new link as the list shows it, plus its path with the token: the
 * only time the token is shown. */
static json_t *created_invite_json(json_t *invites, int64_t id, const char *path)
{
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	json_t *created = NULL;
	for (size_t i = 0; !created && i < json_array_size(invites); i++) {
		json_t *v = json_array_get(invites, i);
		if (!strcmp(json_string_value(json_object_get(v, "id")), idtext))
			created = json_deep_copy(v);
	}
	if (!created)
		created = json_pack("{s:o}", "id", json_id(id));
	json_object_set_new(created, "path", json_string(path));
	return created;
}

static int invite_create_submit(wreq *r)
{
	static const char *const fields[] = { "expires_days", "max_uses", NULL };
	struct group_call c;
	r->personal = true;
	if (load_managed_group(r, &c))
		return 0;
	int days = 0, max_uses = 0;
	char token[GROUP_INVITE_TOKEN_CHARS + 1];
	int64_t id;
	int rc = form_only_fields(r, fields, &c.e);
	if (!rc) rc = form_int(r, "expires_days", "the number of days", 1, GROUP_INVITE_MAX_DAYS, 0, &days, &c.e);
	if (!rc) rc = form_max_uses(r, &max_uses, &c.e);
	if (!rc) rc = group_invite_create(r->db, &c.st, r->user.person_id, days, max_uses, token, &id, &c.e);
	json_t *model = rc ? NULL : members_model(r, &c.st, &c.g, &c.e);
	if (!model)
		return members_form_fail(r, &c.st, &c.g, form_echo(r, fields), &c.e);
	const char *path = arena_printf(r->arena, "/groups/%lld/join?invite=%s",
					(long long)c.g.id, token);
	json_t *created = created_invite_json(json_object_get(model, "invites"), id, path);
	if (r->want_json) {
		json_decref(model);
		return web_page(r, 201, "members", members_title(r, &c.g),
				json_pack("{s:o}", "invite", created));
	}
	json_object_set_new(model, "created_invite", created);
	return web_page(r, 201, "members", members_title(r, &c.g), model);
}

static int invite_revoke_submit(wreq *r)
{
	struct group_call c;
	int64_t invite_id;
	r->personal = true;
	if (load_group(r, &c) || web_param_id(r, "invite_id", &invite_id))
		return 0;
	int rc = form_only_fields(r, (const char *const[]){ NULL }, &c.e);
	if (!rc)
		rc = group_invite_revoke(r->db, &c.st, invite_id, &c.e);
	if (rc)
		return web_fail(r, &c.e);
	return web_redirect(r, group_path(r, &c.g, "/members?done=revoked"), 200,
			    json_pack("{s:b, s:o}", "ok", 1, "revoked", json_id(invite_id)));
}

/* ---- joining ------------------------------------------------------- */

/* What the join page says and offers, given who is asking. */
static const char *join_state(wreq *r, const struct standing *st, const struct group_door *g,
			      bool has_invite)
{
	if (!r->user.person_id)
		return "signed_out";
	if (st->status == MEMBER_ACTIVE)
		return "member";
	if (st->status == MEMBER_REQUESTED)
		return "requested";
	if (!membership_group_open_to_new(g))
		return "not_taking";
	if (!strcmp(g->access, "invite") && !has_invite)
		return "needs_invite";
	return "can_join";
}

static json_t *join_model(wreq *r, const struct standing *st, const struct group_door *g,
			  const char *invite)
{
	bool has_invite = group_invite_token_well_formed(invite);
	const char *state = join_state(r, st, g, has_invite);
	const char *next = arena_printf(r->arena, "/groups/%lld/join%s%s", (long long)g->id,
					has_invite ? "?invite=" : "", has_invite ? invite : "");
	/* The next page, as a query value: the path holds only digits, hex,
	 * '/' and '?=' (the invite is checked to be hex before it gets here). */
	buf enc = BUF_INIT;
	for (const char *p = next; *p; p++) {
		if (*p == '/') buf_puts(&enc, "%2F");
		else if (*p == '?') buf_puts(&enc, "%3F");
		else if (*p == '=') buf_puts(&enc, "%3D");
		else buf_putc(&enc, *p);
	}
	const char *login = arena_printf(r->arena, "/login?next=%s", enc.data ? enc.data : "");
	buf_free(&enc);
	json_t *model = json_pack("{s:o, s:s, s:b, s:b, s:s?, s:s, s:i}",
		"group", group_json(r, g),
		"state", state,
		"needs_approval", !strcmp(g->access, "approval") && !has_invite,
		"by_invite", has_invite,
		"invite", has_invite ? invite : NULL,
		"login_path", login,
		"message_max", MEMBERSHIP_MESSAGE_MAX);
	json_object_set_new(model, arena_printf(r->arena, "state_%s", state), json_true());
	return model;
}

static const char *join_title(wreq *r, const struct group_door *g)
{
	return arena_printf(r->arena, "Join %s", g->name);
}

static int join_form(wreq *r)
{
	struct group_call c;
	if (load_group(r, &c))
		return 0;
	/* A closed group is gone for everyone but those who manage it, here as
	 * on its own page. */
	if (c.st.is_closed && !c.st.can_manage)
		return web_error(r, ERR_NOTFOUND, "There is no such group.");
	const char *invite = query_param(r, "invite");
	int64_t invite_id;
	if (invite && *invite && group_invite_check(r->db, c.g.id, invite, &invite_id, &c.e))
		return web_fail(r, &c.e);
	r->personal = r->user.person_id != 0;
	return web_page(r, 200, "join", join_title(r, &c.g), join_model(r, &c.st, &c.g, invite));
}

static int join_submit(wreq *r)
{
	static const char *const fields[] = { "message", "invite", NULL };
	struct group_call c;
	const char *message = NULL, *invite = NULL;
	r->personal = true;
	if (load_group(r, &c))
		return 0;
	enum member_status status = MEMBER_NONE;
	int rc = form_only_fields(r, fields, &c.e);
	if (!rc) rc = form_text(r, "invite", "the invite", FIELD_OPTIONAL, 64, &invite, &c.e);
	if (!rc) rc = form_text(r, "message", "your message", FIELD_OPTIONAL, MEMBERSHIP_MESSAGE_MAX, &message, &c.e);
	if (!rc) rc = membership_join(r->db, r->arena, c.g.id, &c.me, message, invite, &status, &c.e);
	if (rc && c.e.field && !strcmp(c.e.field, "message")) {
		json_t *model = join_model(r, &c.st, &c.g, invite);
		json_object_set_new(model, "form", form_echo(r, fields));
		return web_form_fail(r, "join", join_title(r, &c.g), model, &c.e);
	}
	struct member m;
	if (!rc && !(rc = membership_standing(r->db, c.g.id, &c.me, &c.st, &c.e)))
		rc = membership_get(r->db, r->arena, &c.st, &c.me, c.me.person_id, &m, &c.e);
	if (rc)
		return web_fail(r, &c.e);
	json_t *out = json_pack("{s:o, s:o}", "group", group_json(r, &c.g),
				"membership", member_json(r, &m, false));
	if (status == MEMBER_ACTIVE)
		return web_redirect(r, group_path(r, &c.g, "?joined=1"), 201, out);
	return web_redirect(r, "/me?requested=1", 201, out);
}

static int leave_submit(wreq *r)
{
	struct group_call c;
	r->personal = true;
	if (load_group(r, &c))
		return 0;
	bool no_manager_left = false;
	int rc = form_only_fields(r, (const char *const[]){ NULL }, &c.e);
	if (!rc)
		rc = membership_leave(r->db, c.g.id, &c.me, &no_manager_left, &c.e);
	if (rc)
		return web_fail(r, &c.e);
	json_t *out = json_pack("{s:o, s:s, s:b}", "group", group_json(r, &c.g),
				"status", "left", "no_facilitator_left", no_manager_left);
	if (no_manager_left)
		json_object_set_new(out, "note", json_string(
			"You were the group's last facilitator, so it has none now. The "
			"network's coordinators can ask someone to take it on."));
	return web_redirect(r, no_manager_left ? "/me?left=last_facilitator" : "/me?left=1",
			    200, out);
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc join_form_doc = {
	.summary = "How to join a group, for the person asking",
	.description = "state says where they stand: signed_out, member, requested, "
		       "not_taking, needs_invite or can_join. A bad invite is 404; one that "
		       "has expired, was revoked or is used up is 403.",
	.tag = "Membership", .query = "invite:string",
	.response = "group!:object state!:string needs_approval!:boolean by_invite!:boolean "
		    "login_path!:string message_max!:integer",
	.errors = "403",
};
static const struct web_doc join_doc = {
	.summary = "Join a group, or ask to join",
	.description = "An open group: a member at once. Approval: a request for its "
		       "facilitators (with an optional message), or a member at once with an "
		       "invite. Invite only: needs an invite (403 without). 409 when already "
		       "a member or asking, or when the group is paused or closed.",
	.tag = "Membership", .request = "message:string invite:string",
	.status = 201, .response = "group!:object membership!:object",
};
static const struct web_doc leave_doc = {
	.summary = "Leave a group, or withdraw a request to join",
	.tag = "Membership",
	.response = "group!:object status!:string no_facilitator_left!:boolean note:string",
};
static const struct web_doc members_show_doc = {
	.summary = "A group's members; for its managers also requests and invite links",
	.description = "Members see names and pronouns; the group's facilitators, peer "
		       "support workers, coordinators and admins also see access needs, "
		       "requests to join and invite links. members is one page of 25, by name; "
		       "find keeps those whose name holds it (any case); member_count is how many "
		       "match in all. paging gives page, pages, per_page, total, find and the "
		       "paths of the pages before and after. A page past the last is a 400.",
	.tag = "Membership",
	.query = "page:integer find:string",
	.response = "group!:object me!:object can_manage!:boolean members!:object[] "
		    "member_count!:integer paging!:object requests:object[] invites:object[]",
};
static const struct web_doc member_add_doc = {
	.summary = "Add someone who has no account (\"Sam\")",
	.description = "The group's managers.",
	.tag = "Membership",
	.request = "display_name!:string pronouns:string access_needs:string",
	.status = 201, .response = "member!:object",
};
static const struct web_doc member_role_doc = {
	.summary = "Set a member's role in the group",
	.description = "The group's managers.",
	.tag = "Membership", .request = "role!:member|facilitator|peer_worker",
	.response = "member!:object",
};
static const struct web_doc request_approve_doc = {
	.summary = "Approve a request to join",
	.description = "The group's managers; 409 when no request is waiting from them.",
	.tag = "Membership", .response = "member!:object",
};
static const struct web_doc request_decline_doc = {
	.summary = "Decline a request to join (they may ask again)",
	.description = "The group's managers; 409 when no request is waiting from them.",
	.tag = "Membership", .response = "member!:object",
};
static const struct web_doc invite_create_doc = {
	.summary = "Make an invite link to the group",
	.description = "The group's managers. invite.path holds the link with its token: "
		       "the only time it is shown.",
	.tag = "Membership", .request = "expires_days:integer max_uses:integer",
	.status = 201, .response = "invite!:object",
};
static const struct web_doc invite_revoke_doc = {
	.summary = "Revoke an invite link",
	.description = "The group's managers; 409 when it is already revoked.",
	.tag = "Membership", .response = "ok!:boolean revoked!:id",
};

const struct web_route membership_routes[] = {
	{ M_GET, "/groups/{id}/join", join_form, ACCESS_PUBLIC, &join_form_doc },
	{ M_POST, "/groups/{id}/join", join_submit, ACCESS_SIGNED_IN, &join_doc },
	{ M_POST, "/groups/{id}/leave", leave_submit, ACCESS_SIGNED_IN, &leave_doc },
	{ M_GET, "/groups/{id}/members", members_show, ACCESS_SIGNED_IN, &members_show_doc },
	{ M_POST, "/groups/{id}/members", member_add_submit, ACCESS_SIGNED_IN, &member_add_doc },
	{ M_POST, "/groups/{id}/members/{person_id}/role", member_role_submit, ACCESS_SIGNED_IN, &member_role_doc },
	{ M_POST, "/groups/{id}/requests/{person_id}/approve", request_approve_submit, ACCESS_SIGNED_IN, &request_approve_doc },
	{ M_POST, "/groups/{id}/requests/{person_id}/decline", request_decline_submit, ACCESS_SIGNED_IN, &request_decline_doc },
	{ M_POST, "/groups/{id}/invites", invite_create_submit, ACCESS_SIGNED_IN, &invite_create_doc },
	{ M_POST, "/groups/{id}/invites/{invite_id}/revoke", invite_revoke_submit, ACCESS_SIGNED_IN, &invite_revoke_doc },
	{ 0 }
};
