/* account_pages.c - sign-up, login, logout, the account page, sessions and
 * password change: the pages a person uses to look after their account. */
#include "form.h"
#include "view.h"

#include "../app/invitation.h"
#include "../app/login_limit.h"
#include "../app/password.h"
#include "../app/person.h"
#include "../app/session.h"

#include <string.h>
#include <strings.h>

static json_t *person_json(const struct person *p)
{
	return json_pack("{s:o, s:o, s:s, s:o, s:o, s:b, s:o, s:o}",
		"id", json_id(p->id),
		"email", json_str_or_null(p->email),
		"display_name", p->display_name ? p->display_name : "",
		"pronouns", json_str_or_null(p->pronouns),
		"access_needs", json_str_or_null(p->access_needs),
		"is_admin", p->is_admin,
		"created_at", json_time(p->created_at),
		"created_text", json_time_text(p->created_at));
}

static struct session_limits limits_of(const wreq *r)
{
	return (struct session_limits){ r->site->session_idle_seconds,
					r->site->session_absolute_seconds };
}

/* Where to go after logging in: only a path on this site, never elsewhere. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n\t") || strlen(next) > 512)
		return "/account";
	return next;
}

/* Signs the person in on this request: a new session, a new cookie. Any
 * session the browser held before is ended (rotation at login). */
static int sign_in(wreq *r, int64_t person_id, herr *e)
{
	if (r->user.session_id)
		session_end(r->db, r->user.person_id, r->user.session_id, NULL);
	char *token = arena_alloc(r->arena, SESSION_TOKEN_CHARS + 1);
	int64_t session_id;
	if (!token)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int rc = session_start(r->db, person_id, r->client_ip, r->user_agent, token, &session_id, e);
	if (rc)
		return rc;
	r->new_session_token = token;
	r->user.person_id = person_id;
	r->user.session_id = session_id;
	return 0;
}

/* ---- sign-up ------------------------------------------------------- */

/* The invitation named in the request, if any; ERR_NOTFOUND for a bad one. */
static int find_invitation(wreq *r, const char *token, struct invitation *inv, herr *e)
{
	memset(inv, 0, sizeof *inv);
	if (!token || !*token)
		return 0;
	return invitation_find(r->db, r->arena, token, inv, e);
}

static json_t *signup_model(wreq *r, const char *invite, const struct invitation *inv)
{
	return json_pack("{s:b, s:s?, s:o, s:i, s:i}",
		"open_signup", r->site->open_signup,
		"invite", invite && *invite ? invite : NULL,
		"invite_email", json_str_or_null(inv ? inv->email : NULL),
		"password_min", PASSWORD_MIN_CHARS, "password_max", PASSWORD_MAX_CHARS);
}

static int signup_form(wreq *r)
{
	if (r->user.person_id)
		return web_redirect(r, "/account", 200, NULL);
	const char *invite = query_param(r, "invite");
	struct invitation inv;
	herr e;
	herr_clear(&e);
	if (find_invitation(r, invite, &inv, &e))
		return web_fail(r, &e);
	if (!r->site->open_signup && !inv.id)
		return web_error(r, ERR_DENIED,
			"This network welcomes new members by invitation. Ask a facilitator "
			"or coordinator for an invitation link.");
	json_t *model = signup_model(r, invite, &inv);
	json_object_set_new(model, "form", json_pack("{s:o}", "email", json_str_or_null(inv.email)));
	return web_page(r, 200, "signup", "Create an account", model);
}

static int signup_submit(wreq *r)
{
	static const char *const fields[] = { "email", "display_name", "pronouns", "password",
					      "invite", NULL };
	struct person_new in = { 0 };
	const char *invite = "";
	struct invitation inv;
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "invite", "the invitation", FIELD_OPTIONAL, 64, &invite, &e);
	if (!rc) rc = form_text(r, "email", "your email address", FIELD_REQUIRED, PERSON_EMAIL_MAX, &in.email, &e);
	if (!rc) rc = form_text(r, "display_name", "the name others will see", FIELD_REQUIRED, PERSON_NAME_MAX, &in.display_name, &e);
	if (!rc) rc = form_text(r, "pronouns", "your pronouns", FIELD_OPTIONAL, PERSON_PRONOUNS_MAX, &in.pronouns, &e);
	if (!rc) rc = form_text(r, "password", "a password", FIELD_REQUIRED, 0, &in.password, &e);
	if (!rc) rc = find_invitation(r, invite, &inv, &e);
	if (!rc && !r->site->open_signup && !inv.id)
		rc = herr_set(&e, ERR_DENIED, "invite",
			      "This network welcomes new members by invitation. Ask a "
			      "facilitator or coordinator for an invitation link.");
	if (!rc && inv.email && strcasecmp(inv.email, in.email) != 0)
		rc = herr_set(&e, ERR_INVALID, "email",
			      "This invitation is for a different email address.");
	in.invitation_id = inv.id;
	int64_t id;
	if (!rc)
		rc = person_create(r->db, r->arena, &in, &id, &e);
	if (!rc)
		rc = sign_in(r, id, &e);
	if (rc) {
		json_t *model = signup_model(r, invite, NULL);
		json_object_set_new(model, "form", json_pack("{s:s?, s:s?, s:s?}",
			"email", in.email, "display_name", in.display_name, "pronouns", in.pronouns));
		return web_form_fail(r, "signup", "Create an account", model, &e);
	}
	struct person p;
	if (person_get(r->db, r->arena, id, &p, &e))
		return web_fail(r, &e);
	return web_redirect(r, "/account?welcome=1", 201, json_pack("{s:o}", "person", person_json(&p)));
}

/* ---- login and logout --------------------------------------------- */

static json_t *login_model(const char *next, const char *email)
{
	return json_pack("{s:s?, s:{s:s?}}", "next", next, "form", "email", email);
}

static int login_form(wreq *r)
{
	const char *next = query_param(r, "next");
	if (r->user.person_id)
		return web_redirect(r, safe_next(next), 200, NULL);
	return web_page(r, 200, "login", "Log in", login_model(next, NULL));
}

static struct login_policy policy_of(const wreq *r)
{
	return (struct login_policy){ r->site->login_account_failures,
				      r->site->login_address_failures };
}

static int login_submit(wreq *r)
{
	static const char *const fields[] = { "email", "password", "next", NULL };
	const char *email = NULL, *password = NULL, *next = NULL, *norm = NULL;
	struct login_policy policy = policy_of(r);
	struct person p;
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "next", "the page to return to", FIELD_OPTIONAL, 512, &next, &e);
	if (!rc) rc = form_text(r, "email", "your email address", FIELD_REQUIRED, PERSON_EMAIL_MAX, &email, &e);
	if (!rc) rc = form_text(r, "password", "your password", FIELD_REQUIRED, 0, &password, &e);
	if (!rc) rc = person_normalise_email(r->arena, email, &norm, &e);
	if (!rc) rc = login_limit_check(r->db, norm, r->client_ip, &policy, &e);
	if (!rc) {
		rc = person_authenticate(r->db, r->arena, norm, password, &p, &e);
		if (rc == ERR_UNAUTH)
			login_limit_failed(r->db, norm, r->client_ip, &policy);
	}
	if (!rc) {
		login_limit_succeeded(r->db, norm);
		rc = sign_in(r, p.id, &e);
	}
	if (rc)
		return web_form_fail(r, "login", "Log in", login_model(next, email), &e);
	return web_redirect(r, safe_next(next), 200, json_pack("{s:o}", "person", person_json(&p)));
}

static int logout(wreq *r)
{
	herr e;
	herr_clear(&e);
	session_end(r->db, r->user.person_id, r->user.session_id, &e);
	r->clear_session_cookie = true;
	r->user = (struct web_user){ 0 };
	return web_redirect(r, "/?logged_out=1", 200, NULL);
}

/* ---- the account page ---------------------------------------------- */

static int account_show(wreq *r)
{
	struct person p;
	herr e;
	herr_clear(&e);
	if (person_get(r->db, r->arena, r->user.person_id, &p, &e))
		return web_fail(r, &e);
	r->personal = true;
	json_t *model = json_pack("{s:o}", "person", person_json(&p));
	const char *notice = NULL;
	if (query_param(r, "welcome"))
		notice = "Welcome! Your account is ready.";
	else if (query_param(r, "saved"))
		notice = "Your profile is saved.";
	else if (query_param(r, "password_changed"))
		notice = "Your password is changed, and your other sessions have ended.";
	if (notice && !r->want_json)
		json_object_set_new(model, "notice", json_string(notice));
	return web_page(r, 200, "account", "Your account", model);
}

static int account_update(wreq *r)
{
	static const char *const fields[] = { "display_name", "pronouns", "access_needs", NULL };
	const char *name = NULL, *pronouns = NULL, *access_needs = NULL;
	herr e;
	herr_clear(&e);
	r->personal = true;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "display_name", "the name others will see", FIELD_REQUIRED, PERSON_NAME_MAX, &name, &e);
	if (!rc) rc = form_text(r, "pronouns", "your pronouns", FIELD_OPTIONAL, PERSON_PRONOUNS_MAX, &pronouns, &e);
	if (!rc) rc = form_text(r, "access_needs", "your access needs", FIELD_OPTIONAL, PERSON_ACCESS_NEEDS_MAX, &access_needs, &e);
	if (!rc) rc = person_update_profile(r->db, r->user.person_id, name, pronouns, access_needs, &e);
	struct person p;
	if (!rc) rc = person_get(r->db, r->arena, r->user.person_id, &p, &e);
	if (rc) {
		struct person shown = { .id = r->user.person_id, .email = r->user.email,
					.display_name = name, .pronouns = pronouns,
					.access_needs = access_needs };
		return web_form_fail(r, "account", "Your account",
				     json_pack("{s:o}", "person", person_json(&shown)), &e);
	}
	return web_redirect(r, "/account?saved=1", 200, json_pack("{s:o}", "person", person_json(&p)));
}

/* ---- sessions ------------------------------------------------------ */

/* "Firefox on Windows" from a User-Agent header: enough for a person to
 * recognise their own devices; the full string stays in the JSON. */
static const char *device_summary(arena *a, const char *ua)
{
	if (!ua || !*ua)
		return "Unknown device";
	static const struct { const char *needle, *name; } browsers[] = {
		{ "Edg/", "Edge" }, { "OPR/", "Opera" }, { "Firefox/", "Firefox" },
		{ "Chrome/", "Chrome" }, { "Safari/", "Safari" }, { "curl/", "curl" },
	}, systems[] = {
		{ "Android", "Android" }, { "iPhone", "iPhone" }, { "iPad", "iPad" },
		{ "Windows", "Windows" }, { "Mac OS X", "Mac" }, { "CrOS", "ChromeOS" },
		{ "Linux", "Linux" },
	};
	const char *browser = NULL, *system = NULL;
	for (size_t i = 0; !browser && i < sizeof browsers / sizeof browsers[0]; i++)
		if (strstr(ua, browsers[i].needle))
			browser = browsers[i].name;
	for (size_t i = 0; !system && i < sizeof systems / sizeof systems[0]; i++)
		if (strstr(ua, systems[i].needle))
			system = systems[i].name;
	if (browser && system)
		return arena_printf(a, "%s on %s", browser, system);
	return browser ? browser : system ? system : "Another browser or app";
}

static int sessions_show(wreq *r)
{
	struct session_limits lim = limits_of(r);
	struct session_info *list;
	size_t n;
	herr e;
	herr_clear(&e);
	if (session_list(r->db, r->arena, r->user.person_id, &lim, &list, &n, &e))
		return web_fail(r, &e);
	r->personal = true;
	json_t *sessions = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(sessions, json_pack("{s:o, s:o, s:o, s:o, s:o, s:s?, s:s, s:s?, s:b}",
			"id", json_id(list[i].id),
			"created_at", json_time(list[i].created_at),
			"created_text", json_time_text(list[i].created_at),
			"last_seen_at", json_time(list[i].last_seen_at),
			"last_seen_text", json_time_text(list[i].last_seen_at),
			"device", list[i].user_agent && *list[i].user_agent ? list[i].user_agent : NULL,
			"device_text", device_summary(r->arena, list[i].user_agent),
			"ip", list[i].ip,
			"current", list[i].id == r->user.session_id));
	json_t *model = json_pack("{s:o}", "sessions", sessions);
	if (query_param(r, "ended") && !r->want_json)
		json_object_set_new(model, "notice", json_string("That session has ended."));
	return web_page(r, 200, "sessions", "Your sessions", model);
}

static int session_end_submit(wreq *r)
{
	int64_t id;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return 0;
	if (form_only_fields(r, (const char *const[]){ NULL }, &e) ||
	    session_end(r->db, r->user.person_id, id, &e))
		return web_fail(r, &e);
	if (id == r->user.session_id) {
		r->clear_session_cookie = true;
		r->user = (struct web_user){ 0 };
		return web_redirect(r, "/login", 200, NULL);
	}
	return web_redirect(r, "/account/sessions?ended=1", 200, NULL);
}

/* ---- password ------------------------------------------------------ */

static json_t *password_model(const wreq *r)
{
	return json_pack("{s:i, s:i, s:s?}", "password_min", PASSWORD_MIN_CHARS,
			 "password_max", PASSWORD_MAX_CHARS, "email", r->user.email);
}

static int password_form(wreq *r)
{
	r->personal = true;
	return web_page(r, 200, "password", "Change your password", password_model(r));
}

static int password_submit(wreq *r)
{
	static const char *const fields[] = { "current_password", "new_password", NULL };
	const char *current = NULL, *fresh = NULL;
	herr e;
	herr_clear(&e);
	r->personal = true;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "current_password", "your current password", FIELD_REQUIRED, 0, &current, &e);
	if (!rc) rc = form_text(r, "new_password", "a new password", FIELD_REQUIRED, 0, &fresh, &e);
	if (!rc) rc = person_change_password(r->db, r->arena, r->user.person_id, current, fresh, &e);
	if (!rc) rc = session_end_others(r->db, r->user.person_id, r->user.session_id, &e);
	if (rc)
		return web_form_fail(r, "password", "Change your password", password_model(r), &e);
	return web_redirect(r, "/account?password_changed=1", 200, NULL);
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc signup_form_doc = {
	.summary = "What the sign-up form needs",
	.description = "403 when the network takes new members by invitation and no "
		       "invitation is given; a signed-in person is sent to their account.",
	.query = "invite:string",
	.response = "open_signup!:boolean invite:string? invite_email:email? "
		    "password_min!:integer password_max!:integer",
	.errors = "403 404 409",
};
static const struct web_doc signup_submit_doc = {
	.summary = "Create an account and sign in",
	.description = "Answers with the new person and sets the session cookie.",
	.request = "email!:email display_name!:string pronouns:string password!:string invite:string",
	.status = 201, .response = "person!:object", .errors = "404 409 429",
};
static const struct web_doc login_form_doc = {
	.summary = "What the login form needs",
	.query = "next:string", .response = "next:string? form:object",
};
static const struct web_doc login_submit_doc = {
	.summary = "Log in",
	.description = "Sets the session cookie (a new session: any the request carried "
		       "ends). Repeated failures are slowed down (429 with Retry-After).",
	.request = "email!:email password!:string next:string",
	.response = "person!:object", .errors = "401 429",
};
static const struct web_doc logout_doc = {
	.summary = "Log out: end this session", .response = "ok!:boolean",
};
static const struct web_doc account_show_doc = {
	.summary = "Your account", .response = "person!:object",
};
static const struct web_doc account_update_doc = {
	.summary = "Change your name, pronouns and access needs",
	.request = "display_name!:string pronouns:string access_needs:string",
	.response = "person!:object",
};
static const struct web_doc sessions_show_doc = {
	.summary = "Your sessions (devices signed in)", .response = "sessions!:object[]",
};
static const struct web_doc session_end_doc = {
	.summary = "End one of your sessions", .response = "ok!:boolean",
};
static const struct web_doc password_form_doc = {
	.summary = "What the password form needs",
	.response = "password_min!:integer password_max!:integer email:email",
};
static const struct web_doc password_submit_doc = {
	.summary = "Change your password",
	.description = "Your other sessions end; this one goes on.",
	.request = "current_password!:string new_password!:string", .response = "ok!:boolean",
};

const struct web_route account_routes[] = {
	{ M_GET, "/signup", signup_form, ACCESS_PUBLIC, &signup_form_doc },
	{ M_POST, "/signup", signup_submit, ACCESS_PUBLIC, &signup_submit_doc },
	{ M_GET, "/login", login_form, ACCESS_PUBLIC, &login_form_doc },
	{ M_POST, "/login", login_submit, ACCESS_PUBLIC, &login_submit_doc },
	{ M_POST, "/logout", logout, ACCESS_SIGNED_IN, &logout_doc },
	{ M_GET, "/account", account_show, ACCESS_SIGNED_IN, &account_show_doc },
	{ M_POST, "/account", account_update, ACCESS_SIGNED_IN, &account_update_doc },
	{ M_GET, "/account/sessions", sessions_show, ACCESS_SIGNED_IN, &sessions_show_doc },
	{ M_POST, "/account/sessions/{id}/end", session_end_submit, ACCESS_SIGNED_IN, &session_end_doc },
	{ M_GET, "/account/password", password_form, ACCESS_SIGNED_IN, &password_form_doc },
	{ M_POST, "/account/password", password_submit, ACCESS_SIGNED_IN, &password_submit_doc },
	{ 0 }
};
