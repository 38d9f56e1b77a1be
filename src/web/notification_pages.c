/* notification_pages.c - how a person hears about their groups
 * (/account/notifications: every post, a daily or weekly digest, or
 * nothing, for all groups and per group) and the one-click unsubscribe
 * that every email links to (/unsubscribe?t=TOKEN, RFC 8058). */
#include "form.h"
#include "view.h"

#include "../app/notification.h"
#include "../base/ids.h"

#include <string.h>

static const char *const CHOICES[] = { "every", "daily", "weekly", "none", NULL };

/* [{value, label, checked}] for a radio group or a select. */
static json_t *choices_json(const char *current, bool with_default)
{
	json_t *list = json_array();
	if (with_default)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", "default",
			"label", notification_choice_label("default"), "checked", !strcmp(current, "default")));
	for (int i = 0; CHOICES[i]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", CHOICES[i],
			"label", notification_choice_label(CHOICES[i]), "checked", !strcmp(current, CHOICES[i])));
	return list;
}

/* The page's model: {notifications: {choice, chosen, email_on, groups}},
 * with the radio and select lists for HTML. */
static int prefs_model(wreq *r, json_t **ret, herr *e)
{
	struct notification_prefs p;
	int rc = notification_prefs_get(r->db, r->arena, r->user.person_id, &p, e);
	if (rc)
		return rc;
	json_t *groups = json_array();
	for (size_t i = 0; i < p.n_groups; i++) {
		json_t *g = json_pack("{s:o, s:s, s:s}", "group_id", json_id(p.groups[i].group_id),
				      "name", p.groups[i].group_name, "choice", p.groups[i].choice);
		if (!r->want_json)
			json_object_set_new(g, "choices", choices_json(p.groups[i].choice, true));
		json_array_append_new(groups, g);
	}
	json_t *n = json_pack("{s:s, s:b, s:b, s:o}", "choice", p.choice, "chosen", p.chosen,
			      "email_on", notification_delivery_on(), "groups", groups);
	json_t *model = json_pack("{s:o}", "notifications", n);
	if (!r->want_json) {
		json_object_set_new(n, "choices", choices_json(p.choice, false));
		json_object_set_new(n, "has_groups", json_boolean(p.n_groups > 0));
		if (query_param(r, "saved"))
			json_object_set_new(model, "notice", json_string("Your choice is saved."));
	}
	*ret = model;
	return 0;
}

static int prefs_show(wreq *r)
{
	json_t *model;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (prefs_model(r, &model, &e))
		return web_fail(r, &e);
	return web_page(r, 200, "notifications", "How you hear about your groups", model);
}

static int prefs_submit(wreq *r)
{
	static const char *const fields[] = { "choice", "group_id", NULL };
	const char *choice = NULL, *group = NULL;
	int64_t group_id = 0;
	struct actor me = web_actor(r);
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "choice", "how you want to hear", FIELD_REQUIRED, 16, &choice, &e);
	if (!rc) rc = form_text(r, "group_id", "the group", FIELD_OPTIONAL, 24, &group, &e);
	if (!rc && *group && !id_parse(group, &group_id))
		rc = herr_set(&e, ERR_INVALID, "group_id", "Choose one of your groups.");
	if (!rc)
		rc = group_id ? notification_set_group_choice(r->db, &me, group_id, choice, &e)
			      : notification_set_choice(r->db, &me, choice, &e);
	json_t *model = NULL;
	herr e2;
	herr_clear(&e2);
	if (rc) {
		if (r->want_json || prefs_model(r, &model, &e2))
			return web_fail(r, &e);
		return web_form_fail(r, "notifications", "How you hear about your groups", model, &e);
	}
	if (prefs_model(r, &model, &e2))
		return web_fail(r, &e2);
	return web_redirect(r, "/account/notifications?saved=1", 200, model);
}

/* ---- unsubscribe ---------------------------------------------------------- */

/* The person the request's token (query "t", or a form field "t") names,
 * or 0 after answering 400 with a page that says what to do. */
static int64_t token_person(wreq *r)
{
	const char *t = query_param(r, "t");
	json_t *field = r->body ? json_object_get(r->body, "t") : NULL;
	if ((!t || !*t) && json_is_string(field))
		t = json_string_value(field);
	int64_t person_id = 0;
	if (!notification_token_check(r->site->secret, t, &person_id)) {
		herr e;
		herr_set(&e, ERR_BADREQ, "t",
			 "This unsubscribe link is not complete or not one of ours. Copy the whole link from "
			 "the email, or sign in and choose how you hear at /account/notifications.");
		web_fail(r, &e);
		return 0;
	}
	return person_id;
}

static int unsubscribe_show(wreq *r)
{
	if (!token_person(r))
		return 0;
	json_t *model = json_pack("{s:s, s:b}", "token", query_param(r, "t"), "done", 0);
	return web_page(r, 200, "unsubscribe", "Stop email", model);
}

/* The one POST without a form token: a mail client sends the RFC 8058
 * one-click body (List-Unsubscribe=One-Click) to the URL in the email, and
 * cannot have a token bound to a browser session. The HMAC token in the
 * URL is the proof instead: it names one person, cannot be forged without
 * the server secret, and all it can do is turn email off. */
static int unsubscribe_submit(wreq *r)
{
	static const char *const fields[] = { "t", "List-Unsubscribe", NULL };
	herr e;
	herr_clear(&e);
	if (form_only_fields(r, fields, &e))
		return web_fail(r, &e);
	int64_t person_id = token_person(r);
	if (!person_id)
		return 0;
	if (notification_unsubscribe(r->db, person_id, &e))
		return web_fail(r, &e);
	return web_page(r, 200, "unsubscribe", "Email stopped",
			json_pack("{s:b, s:b}", "done", 1, "unsubscribed", 1));
}

/* ---- routes ------------------------------------------------------------------ */

#define PREFS_RESPONSE "notifications!:object"

static const struct web_doc prefs_show_doc = {
	.summary = "How you hear about your groups",
	.description = "Your choice for all your groups (every, daily, weekly or none; none until "
		       "you choose) and, per group you are an active member of, a choice that "
		       "overrides it (default follows yours). email_on is false when the network "
		       "has no mail relay, and then nothing is sent.",
	.tag = "Notifications", .response = PREFS_RESPONSE,
};
static const struct web_doc prefs_submit_doc = {
	.summary = "Choose how you hear: for all groups, or for one",
	.description = "choice is every, daily, weekly or none (422 naming choice otherwise); with "
		       "group_id it is for that group only, where default also goes back to your "
		       "own choice (403 when you are not its member, 404 for no such group).",
	.tag = "Notifications",
	.request = "choice!:every|daily|weekly|none|default group_id:id",
	.response = PREFS_RESPONSE, .errors = "422",
};
static const struct web_doc unsubscribe_show_doc = {
	.summary = "The page an unsubscribe link opens: a button, nothing changed yet",
	.description = "Anyone with the link from an email (t, an HMAC of the person under the "
		       "server secret; no sign-in). 400 for a token that is not one of ours.",
	.tag = "Notifications", .query = "t!:string",
	.response = "token!:string done!:boolean", .errors = "400",
};
static const struct web_doc unsubscribe_doc = {
	.summary = "Stop all email for the person the token names (RFC 8058 one-click)",
	.description = "The token comes in the query (as in the email's List-Unsubscribe URL) or "
		       "as field t. Needs no sign-in and no form token: the token is the proof. "
		       "Takes the one-click body List-Unsubscribe=One-Click. 400 for a bad token, "
		       "404 when the account it was made for is gone.",
	.tag = "Notifications", .query = "t:string",
	.request = "{'type':'object','additionalProperties':false,'properties':{"
		   "'t':{'type':'string'},'List-Unsubscribe':{'type':'string','enum':['One-Click']}}}",
	.response = "done!:boolean unsubscribed!:boolean", .errors = "400 404",
};

const struct web_route notification_routes[] = {
	{ M_GET, "/account/notifications", prefs_show, ACCESS_SIGNED_IN, &prefs_show_doc },
	{ M_POST, "/account/notifications", prefs_submit, ACCESS_SIGNED_IN, &prefs_submit_doc },
	{ M_GET, "/unsubscribe", unsubscribe_show, ACCESS_PUBLIC, &unsubscribe_show_doc },
	{ M_POST, "/unsubscribe", unsubscribe_submit, ACCESS_PUBLIC, &unsubscribe_doc, .csrf_exempt = true },
	{ 0 }
};
