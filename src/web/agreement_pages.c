/* agreement_pages.c - a group's agreement page (its aims, ground rules and
 * values, the suggested changes with their agree and ratify buttons, the
 * history of versions, and the managers' settings), the forms behind it,
 * the network's list of values (/values) and the network's starting
 * template for agreements (/network/agreement-template). */
#include "form.h"
#include "view.h"

#include "../app/agreement.h"
#include "../app/membership.h"
#include "../app/value.h"
#include "../base/ids.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the request ------------------------------------------- */

/* A list field: a JSON array of strings, or one string (form fields that
 * repeat arrive as an array). Lines of a string are separate items when
 * by_line, else the string is one item. */
static int read_strings(wreq *r, const char *name, bool by_line, const char ***ret, size_t *ret_n,
			herr *e)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	*ret_n = 0;
	size_t count = json_is_array(v) ? json_array_size(v) : 1;
	if (count > 1000)
		return herr_set(e, ERR_INVALID, name, "The list \"%s\" is too long.", name);
	const char **out = arena_alloc(r->arena, (count + 1) * sizeof *out);
	if (!out)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	*ret = out;
	if (!v || json_is_null(v))
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
		if (!json_is_string(item))
			return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be text or a list of text.",
					name);
		const char *s = json_string_value(item);
		if (by_line && !json_is_array(v)) {
			size_t k;
			const char **lines;
			if (agreement_rules_split(r->arena, s, &lines, &k))
				return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
			*ret = lines;
			*ret_n = k;
			return 0;
		}
		if (*s || by_line)
			out[n++] = s;
	}
	*ret_n = n;
	return 0;
}

/* The "values" field as ids; a malformed or unknown id is the app's 422. */
static int read_value_ids(wreq *r, int64_t **ret, size_t *ret_n, herr *e)
{
	const char **list;
	size_t n;
	int rc = read_strings(r, "values", false, &list, &n, e);
	if (rc)
		return rc;
	int64_t *ids = arena_alloc(r->arena, (n + 1) * sizeof *ids);
	if (!ids)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < n; i++)
		if (!id_parse(list[i], &ids[i]))
			return herr_set(e, ERR_INVALID, "values",
					"One of the values chosen is not on the network's list; "
					"choose from the list.");
	*ret = ids;
	*ret_n = n;
	return 0;
}

/* The aims, rules and values of an agreement (or the template) as sent. */
static int read_agreement_text(wreq *r, struct agreement_text *in, herr *e)
{
	int rc = form_text(r, "aims", "the group's aims", FIELD_OPTIONAL, AGREEMENT_AIMS_MAX, &in->aims, e);
	if (!rc)
		rc = read_strings(r, "rules", true, &in->rules, &in->n_rules, e);
	if (!rc)
		rc = read_value_ids(r, &in->value_ids, &in->n_values, e);
	return rc;
}

/* ---- building the page --------------------------------------------- */

static json_t *values_of(const struct value *all, size_t n_all, const int64_t *ids, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n_all; i++)
		for (size_t j = 0; j < n; j++)
			if (all[i].id == ids[j])
				json_array_append_new(list, json_pack("{s:o, s:s, s:s}",
					"id", json_id(all[i].id), "name", all[i].name,
					"description", all[i].description));
	return list;
}

static json_t *rules_json(const struct agreement_text *t)
{
	json_t *list = json_array();
	for (size_t i = 0; i < t->n_rules; i++)
		json_array_append_new(list, json_string(t->rules[i]));
	return list;
}

static json_t *text_json(const struct agreement_text *t, const struct value *all, size_t n_all)
{
	return json_pack("{s:s, s:o, s:o}", "aims", t->aims ? t->aims : "", "rules", rules_json(t),
			 "values", values_of(all, n_all, t->value_ids, t->n_values));
}

static json_t *suggestion_json(wreq *r, const struct agreement_suggestion *s,
			       const struct agreement *cur, const struct standing *st,
			       const struct value *all, size_t n_all)
{
	bool open = !strcmp(s->status, "open");
	bool current = s->base_version == cur->version;
	int needed = agreement_needed(cur->threshold, s->agree_count);
	json_t *o = text_json(&s->text, all, n_all);
	json_object_update_missing_new(o, json_pack(
		"{s:o, s:o, s:i, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:i, s:i, s:b, s:b, s:b, s:b, s:b, s:s}",
		"id", json_id(s->id), "author", json_str_or_null(s->author_name),
		"base_version", s->base_version, "reason", s->reason ? s->reason : "",
		"status", s->status,
		"created_at", json_time(s->created_at), "created_text", json_time_text(s->created_at),
		"path", arena_printf(r->arena, "/agreement-suggestions/%lld", (long long)s->id),
		"decided_at", s->decided_at ? json_time(s->decided_at) : json_null(),
		"decided_text", s->decided_at ? json_time_text(s->decided_at) : json_null(),
		"agree_count", s->agree_count, "needed", open ? needed : 0,
		"is_open", open, "is_current", current,
		"i_agree", s->viewer_agrees, "mine", s->author_id && s->author_id == r->user.person_id,
		"can_ratify", open && current && needed == 0 && st->can_manage && !st->is_closed,
		"status_text", !strcmp(s->status, "open") ? "Open"
			: !strcmp(s->status, "ratified") ? "Ratified"
			: !strcmp(s->status, "withdrawn") ? "Withdrawn" : "Declined"));
	if (!r->want_json) {
		json_object_set_new(o, "can_agree", json_boolean(open && st->is_member && !st->is_closed &&
								 !s->viewer_agrees));
		json_object_set_new(o, "can_withdraw", json_boolean(open && !st->is_closed &&
			s->author_id && s->author_id == r->user.person_id));
		json_object_set_new(o, "needs_more", json_boolean(open && needed > 0));
		json_object_set_new(o, "can_decline", json_boolean(open && st->can_manage && !st->is_closed));
		/* Managers see Ratify on every open suggestion; too early, the
		 * page says how many more must agree. */
		json_object_set_new(o, "show_ratify", json_boolean(open && current && st->can_manage &&
								   !st->is_closed));
	}
	return o;
}

static json_t *version_json(const struct agreement_version *v, const struct value *all, size_t n_all)
{
	json_t *o = text_json(&v->text, all, n_all);
	json_object_update_missing_new(o, json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}",
		"version", v->version, "change_note", v->change_note ? v->change_note : "",
		"suggested_by", json_str_or_null(v->suggested_by),
		"ratified_by", json_str_or_null(v->ratified_by),
		"ratified_at", json_time(v->ratified_at), "ratified_text", json_time_text(v->ratified_at)));
	return o;
}

/* The value choices of the suggestion form, ticked as in ids. */
static json_t *value_choices(const struct value *all, size_t n_all, const int64_t *ids, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n_all; i++) {
		bool on = false;
		for (size_t j = 0; j < n; j++)
			on = on || all[i].id == ids[j];
		json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:b}", "id", json_id(all[i].id),
			"name", all[i].name, "description", all[i].description, "adopted", on));
	}
	return list;
}

static const char *agreement_notice(wreq *r)
{
	static const struct { const char *key, *text; } notices[] = {
		{ "welcome", "Welcome to the group. This is the agreement its members have made "
			     "together; please take a moment to read it." },
		{ "suggested", "Your suggestion is saved. You count as agreeing with it; the group "
			       "can now agree with it too." },
		{ "agreed", "Your agreement is recorded." },
		{ "ratified", "The suggestion is ratified: it is now the group's agreement." },
		{ "withdrawn", "Your suggestion is withdrawn." },
		{ "declined", "The suggestion is declined; the agreement is unchanged." },
		{ "settings", "The agreement's settings are saved." },
		{ "started", "The agreement is started from the network's template. Members can "
			     "now suggest changes to make it the group's own." },
	};
	if (r->want_json)
		return NULL;
	for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++)
		if (query_param(r, notices[i].key))
			return notices[i].text;
	return NULL;
}

/* The agreement page's model for the actor in st's group g; NULL with e
 * filled when they may not see it. */
static json_t *agreement_model(wreq *r, const struct standing *st, const struct group_door *g,
			       herr *e)
{
	struct agreement cur;
	struct value *all = NULL;
	size_t n_all = 0, n_sug = 0, n_ver = 0;
	struct agreement_suggestion *sug = NULL;
	struct agreement_version *ver = NULL;
	if (agreement_get(r->db, r->arena, st, &cur, e) ||
	    value_list(r->db, r->arena, &all, &n_all, e) ||
	    agreement_suggestions(r->db, r->arena, g->id, r->user.person_id, &sug, &n_sug, e) ||
	    agreement_versions(r->db, r->arena, g->id, &ver, &n_ver, e))
		return NULL;
	json_t *agreement = text_json(&cur.text, all, n_all);
	json_object_update_missing_new(agreement, json_pack("{s:i, s:b, s:i, s:o, s:b}",
		"version", cur.version, "exists", cur.version > 0, "threshold", cur.threshold,
		"review_date", json_str_or_null(cur.review_date), "due_for_review", cur.due_for_review));
	json_t *suggestions = json_array(), *versions = json_array();
	for (size_t i = 0; i < n_sug; i++)
		json_array_append_new(suggestions, suggestion_json(r, &sug[i], &cur, st, all, n_all));
	for (size_t i = 0; i < n_ver; i++)
		json_array_append_new(versions, version_json(&ver[i], all, n_all));
	bool can_change = st->can_manage && !st->is_closed;
	json_t *model = json_pack("{s:{s:o, s:s, s:s}, s:o, s:o, s:o, s:b, s:b, s:b, s:b}",
		"group", "id", json_id(g->id), "name", g->name,
		"path", arena_printf(r->arena, "/groups/%lld", (long long)g->id),
		"agreement", agreement, "suggestions", suggestions, "versions", versions,
		"can_manage", can_change, "can_suggest", st->is_member && !st->is_closed,
		"can_start", can_change && cur.version == 0, "is_closed", st->is_closed);
	if (query_param(r, "welcome"))
		json_object_set_new(model, "welcome", json_true());
	const char *notice = agreement_notice(r);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (!r->want_json) {
		json_object_set_new(model, "value_choices",
				    value_choices(all, n_all, cur.text.value_ids, cur.text.n_values));
		json_object_set_new(model, "form", json_pack("{s:s, s:s, s:i, s:s}",
			"aims", cur.text.aims ? cur.text.aims : "",
			"rules", agreement_rules_join(r->arena, cur.text.rules, cur.text.n_rules),
			"threshold", cur.threshold, "review_date", cur.review_date ? cur.review_date : ""));
		json_object_set_new(model, "has_suggestions", json_boolean(n_sug > 0));
		json_object_set_new(model, "has_versions", json_boolean(n_ver > 0));
		json_object_set_new(model, "has_rules", json_boolean(cur.text.n_rules > 0));
		json_object_set_new(model, "has_values", json_boolean(cur.text.n_values > 0));
		json_object_set_new(model, "aims_max", json_integer(AGREEMENT_AIMS_MAX));
		json_object_set_new(model, "reason_max", json_integer(AGREEMENT_REASON_MAX));
		struct agreement_template tmpl;
		herr ignored;
		if (cur.version == 0 && can_change &&
		    agreement_template_get(r->db, r->arena, &tmpl, &ignored) == 0) {
			json_object_set_new(model, "template", text_json(&tmpl.text, all, n_all));
			json_object_set_new(model, "template_has_values", json_boolean(tmpl.text.n_values > 0));
		}
	}
	return model;
}

static const char *agreement_title(wreq *r, const struct group_door *g)
{
	return arena_printf(r->arena, "The agreement of %s", g->name);
}

/* The group of the route's {id} and the actor's standing in it; on failure
 * the answer is ready. The answer is personal either way. */
static int load_group(wreq *r, struct standing *st, struct group_door *g)
{
	r->personal = true;
	return web_member_group(r, st, g);
}

static const char *agreement_path(wreq *r, int64_t group_id, const char *query)
{
	return arena_printf(r->arena, "/groups/%lld/agreement%s", (long long)group_id, query);
}

static int agreement_show(wreq *r)
{
	struct standing st;
	struct group_door g;
	if (load_group(r, &st, &g))
		return 0;
	herr e;
	herr_clear(&e);
	json_t *model = agreement_model(r, &st, &g, &e);
	if (!model)
		return web_fail(r, &e);
	return web_page(r, 200, "agreement", agreement_title(r, &g), model);
}

/* Re-shows a page whose model has a "form" (and "value_choices") with the
 * fields in echo as they were sent, the values ticked as sent when
 * tick_values, and the error e tied to its field. */
static int text_form_fail(wreq *r, const char *tmpl, const char *title, json_t *model,
			  const char *const echo[], bool tick_values, const herr *e)
{
	json_object_update_new(json_object_get(model, "form"), form_echo(r, echo));
	const char **picked;
	size_t n;
	herr ignored;
	if (tick_values && read_strings(r, "values", false, &picked, &n, &ignored) == 0) {
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(model, "value_choices"), i, c) {
			const char *id = json_string_value(json_object_get(c, "id"));
			bool on = false;
			for (size_t j = 0; j < n; j++)
				on = on || (id && !strcmp(id, picked[j]));
			json_object_set_new(c, "adopted", json_boolean(on));
		}
	}
	return web_form_fail(r, tmpl, title, model, e);
}

/* Re-shows the agreement page with one of its forms as it was sent and the
 * error e tied to its field (JSON, or when the page cannot be built: the
 * error alone). */
static int agreement_form_fail(wreq *r, const struct standing *st, const struct group_door *g,
			       const char *const echo[], bool tick_values, const herr *e)
{
	herr e2;
	herr_clear(&e2);
	json_t *model = r->want_json ? NULL : agreement_model(r, st, g, &e2);
	if (!model)
		return web_fail(r, e);
	return text_form_fail(r, "agreement", agreement_title(r, g), model, echo, tick_values, e);
}

static int suggestion_submit(wreq *r)
{
	struct standing st;
	struct group_door g;
	if (load_group(r, &st, &g))
		return 0;
	herr e;
	herr_clear(&e);
	static const char *const fields[] = { "aims", "rules", "values", "reason", NULL };
	struct agreement_text in = { 0 };
	const char *reason = NULL;
	struct actor me = web_actor(r);
	int64_t id = 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "reason", "why you suggest this change", FIELD_OPTIONAL, AGREEMENT_REASON_MAX, &reason, &e);
	if (!rc) rc = read_agreement_text(r, &in, &e);
	if (!rc) rc = agreement_suggest(r->db, &me, g.id, &in, reason, &id, &e);
	if (rc && e.field && rc != ERR_BADREQ)
		return agreement_form_fail(r, &st, &g, (const char *const[]){ "aims", "reason", "rules", NULL },
					   true, &e);
	if (rc)
		return web_fail(r, &e);
	json_t *out = json_pack("{s:{s:o, s:s, s:s}}", "suggestion", "id", json_id(id),
		"status", "open", "path", arena_printf(r->arena, "/agreement-suggestions/%lld", (long long)id));
	return web_redirect(r, agreement_path(r, g.id, "?suggested=1"), 201, out);
}

/* What a button on a suggestion does. */
enum suggestion_act { ACT_AGREE, ACT_RATIFY, ACT_WITHDRAW, ACT_DECLINE };

/* The answer to a suggestion's button once act has been done to suggestion
 * id: for JSON what changed, for a browser the agreement page with a
 * notice. */
static int suggestion_done(wreq *r, enum suggestion_act act, int64_t id, int64_t group_id,
			   bool already, int version)
{
	static const char *const status[] = { "open", "ratified", "withdrawn", "declined" };
	static const char *const notice[] = { "?agreed=1", "?ratified=1", "?withdrawn=1", "?declined=1" };
	json_t *out = act == ACT_AGREE
		? json_pack("{s:o, s:b, s:b}", "suggestion_id", json_id(id), "agreed", 1, "already", already)
		: json_pack("{s:o, s:s}", "suggestion_id", json_id(id), "status", status[act]);
	if (act == ACT_RATIFY)
		json_object_set_new(out, "version", json_integer(version));
	return web_redirect(r, agreement_path(r, group_id, notice[act]), 200, out);
}

/* A suggestion that cannot be ratified yet (e): the agreement page of
 * group_id again, saying why. */
static int ratify_refused(wreq *r, int64_t group_id, const herr *e)
{
	struct standing st;
	struct group_door g;
	herr e2;
	herr_clear(&e2);
	struct actor me = web_actor(r);
	if (membership_standing(r->db, group_id, &me, &st, &e2) ||
	    membership_group_door(r->db, r->arena, group_id, &g, &e2))
		return web_fail(r, e);
	return agreement_form_fail(r, &st, &g, (const char *const[]){ NULL }, false, e);
}

/* A button on the suggestion of the route's {id}: a form with no fields. */
static int suggestion_submit_act(wreq *r, enum suggestion_act act)
{
	int64_t id, group_id = 0;
	r->personal = true;
	if (web_param_id(r, "id", &id))
		return 0;
	herr e;
	herr_clear(&e);
	struct actor me = web_actor(r);
	bool already = false;
	int version = 0;
	int rc = form_only_fields(r, (const char *const[]){ NULL }, &e);
	if (!rc) {
		switch (act) {
		case ACT_AGREE: rc = agreement_agree(r->db, &me, id, &group_id, &already, &e); break;
		case ACT_RATIFY: rc = agreement_ratify(r->db, &me, id, &group_id, &version, &e); break;
		case ACT_WITHDRAW: rc = agreement_withdraw(r->db, &me, id, &group_id, &e); break;
		case ACT_DECLINE: rc = agreement_decline(r->db, &me, id, &group_id, &e); break;
		}
	}
	if (rc == ERR_INVALID && act == ACT_RATIFY && group_id)
		return ratify_refused(r, group_id, &e);
	if (rc)
		return web_fail(r, &e);
	return suggestion_done(r, act, id, group_id, already, version);
}

static int agree_submit(wreq *r) { return suggestion_submit_act(r, ACT_AGREE); }
static int ratify_submit(wreq *r) { return suggestion_submit_act(r, ACT_RATIFY); }
static int withdraw_submit(wreq *r) { return suggestion_submit_act(r, ACT_WITHDRAW); }
static int decline_submit(wreq *r) { return suggestion_submit_act(r, ACT_DECLINE); }

static int settings_submit(wreq *r)
{
	struct standing st;
	struct group_door g;
	if (load_group(r, &st, &g))
		return 0;
	herr e;
	herr_clear(&e);
	static const char *const fields[] = { "threshold", "review_date", NULL };
	struct actor me = web_actor(r);
	int threshold = AGREEMENT_THRESHOLD_DEFAULT;
	const char *review_date = NULL;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_int(r, "threshold", "how many members must agree", 1,
			       AGREEMENT_THRESHOLD_MAX, AGREEMENT_THRESHOLD_DEFAULT, &threshold, &e);
	if (!rc) rc = form_text(r, "review_date", "the review date", FIELD_OPTIONAL, 10, &review_date, &e);
	if (!rc) rc = agreement_set_settings(r->db, &me, g.id, threshold, review_date, &e);
	if (rc && e.field && rc != ERR_BADREQ)
		return agreement_form_fail(r, &st, &g, fields, false, &e);
	if (rc)
		return web_fail(r, &e);
	json_t *out = json_pack("{s:i, s:o}", "threshold", threshold,
				"review_date", json_str_or_null(review_date && *review_date ? review_date : NULL));
	return web_redirect(r, agreement_path(r, g.id, "?settings=1"), 200, out);
}

static int start_submit(wreq *r)
{
	struct standing st;
	struct group_door g;
	if (load_group(r, &st, &g))
		return 0;
	herr e;
	herr_clear(&e);
	struct actor me = web_actor(r);
	int rc = form_only_fields(r, (const char *const[]){ NULL }, &e);
	if (!rc)
		rc = agreement_start(r->db, &me, g.id, &e);
	if (rc)
		return web_fail(r, &e);
	return web_redirect(r, agreement_path(r, g.id, "?started=1"), 201,
			    json_pack("{s:i}", "version", 1));
}

/* ---- the network's values ------------------------------------------ */

static json_t *values_model(wreq *r, herr *e)
{
	struct value *all;
	size_t n;
	if (value_list(r->db, r->arena, &all, &n, e))
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:s}", "id", json_id(all[i].id),
			"name", all[i].name, "description", all[i].description));
	struct actor me = web_actor(r);
	json_t *model = json_pack("{s:o, s:b}", "values", list, "can_add", actor_runs_network(&me));
	if (!r->want_json) {
		json_object_set_new(model, "form", json_object());
		if (query_param(r, "added"))
			json_object_set_new(model, "notice", json_string("The value is added to the list."));
	}
	return model;
}

static int values_show(wreq *r)
{
	herr e;
	herr_clear(&e);
	json_t *model = values_model(r, &e);
	if (!model)
		return web_fail(r, &e);
	return web_page(r, 200, "values", "The network's values", model);
}

static int value_add_submit(wreq *r)
{
	herr e;
	herr_clear(&e);
	r->personal = true;
	static const char *const fields[] = { "name", "description", NULL };
	const char *name = NULL, *description = NULL;
	struct actor me = web_actor(r);
	int64_t id = 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "name", "the value's name", FIELD_OPTIONAL, VALUE_NAME_MAX, &name, &e);
	if (!rc) rc = form_text(r, "description", "the description", FIELD_OPTIONAL, VALUE_DESCRIPTION_MAX, &description, &e);
	if (!rc) rc = value_add(r->db, &me, name, description, &id, &e);
	if (rc && e.field && rc != ERR_BADREQ && !r->want_json) {
		herr e2;
		herr_clear(&e2);
		json_t *model = values_model(r, &e2);
		if (model) {
			json_object_set_new(model, "form", json_pack("{s:s, s:s}", "name", name ? name : "",
				"description", description ? description : ""));
			return web_form_fail(r, "values", "The network's values", model, &e);
		}
	}
	if (rc)
		return web_fail(r, &e);
	json_t *out = json_pack("{s:{s:o, s:s, s:s}}", "value", "id", json_id(id), "name", name,
				"description", description ? description : "");
	return web_redirect(r, "/values?added=1", 201, out);
}

/* ---- the network's template ---------------------------------------- */

#define TEMPLATE_TITLE "The agreement template"
#define TEMPLATE_PATH "/network/agreement-template"

static json_t *template_model(wreq *r, herr *e)
{
	struct agreement_template t;
	struct value *all;
	size_t n_all;
	if (agreement_template_get(r->db, r->arena, &t, e) || value_list(r->db, r->arena, &all, &n_all, e))
		return NULL;
	json_t *tmpl = text_json(&t.text, all, n_all);
	json_object_update_missing_new(tmpl, json_pack("{s:b, s:o, s:o}", "edited", t.edited,
		"updated_by", json_str_or_null(t.updated_by),
		"updated_at", t.updated_at ? json_time(t.updated_at) : json_null()));
	json_t *model = json_pack("{s:o}", "template", tmpl);
	if (!r->want_json) {
		json_object_set_new(tmpl, "updated_text",
				    t.updated_at ? json_time_text(t.updated_at) : json_null());
		json_object_set_new(model, "form", json_pack("{s:s, s:s}", "aims", t.text.aims,
			"rules", agreement_rules_join(r->arena, t.text.rules, t.text.n_rules)));
		json_object_set_new(model, "value_choices",
				    value_choices(all, n_all, t.text.value_ids, t.text.n_values));
		json_object_set_new(model, "for_template", json_true());
		json_object_set_new(model, "aims_max", json_integer(AGREEMENT_AIMS_MAX));
		json_object_set_new(model, "rule_max", json_integer(AGREEMENT_RULE_MAX));
		json_object_set_new(model, "rules_max", json_integer(AGREEMENT_RULES_MAX));
		if (query_param(r, "saved"))
			json_object_set_new(model, "notice", json_string(
				"The template is saved. Groups that start their agreement from now on get it."));
	}
	return model;
}

static int template_show(wreq *r)
{
	herr e;
	herr_clear(&e);
	r->personal = true;
	json_t *model = template_model(r, &e);
	if (!model)
		return web_fail(r, &e);
	return web_page(r, 200, "agreement_template", TEMPLATE_TITLE, model);
}

static int template_submit(wreq *r)
{
	herr e;
	herr_clear(&e);
	r->personal = true;
	static const char *const fields[] = { "aims", "rules", "values", NULL };
	struct agreement_text in = { 0 };
	struct actor me = web_actor(r);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = read_agreement_text(r, &in, &e);
	if (!rc) rc = agreement_template_set(r->db, &me, &in, &e);
	if (rc && e.field && rc != ERR_BADREQ && !r->want_json) {
		herr e2;
		herr_clear(&e2);
		json_t *model = template_model(r, &e2);
		if (model)
			return text_form_fail(r, "agreement_template", TEMPLATE_TITLE, model,
					      (const char *const[]){ "aims", "rules", NULL }, true, &e);
	}
	if (rc)
		return web_fail(r, &e);
	json_t *out = r->want_json ? template_model(r, &e) : NULL;
	return web_redirect(r, TEMPLATE_PATH "?saved=1", 200, out);
}

/* ---- routes -------------------------------------------------------- */

static const struct web_doc agreement_show_doc = {
	.summary = "A group's agreement: aims, ground rules, values, suggestions and history",
	.description = "Members and the group's managers. version 0 means none is ratified "
		       "yet. due_for_review is true once the review date has come. welcome=1 "
		       "(where joining leads) greets a new member.",
	.tag = "Agreements", .query = "welcome:string",
	.response = "group!:object agreement!:object suggestions!:object[] versions!:object[] "
		    "can_manage!:boolean can_suggest!:boolean can_start!:boolean is_closed!:boolean "
		    "welcome:boolean",
};
static const struct web_doc suggestion_doc = {
	.summary = "Suggest a change to the group's agreement",
	.description = "Any active member: the whole agreement as they would have it (rules "
		       "as a list, or text one rule a line; values as ids from /values) and "
		       "why. The author counts as agreeing. 422 for empty or oversized text "
		       "or an unknown value; 409 when the group is closed.",
	.tag = "Agreements",
	.request = "aims!:string rules:any values:id[] reason!:string",
	.status = 201, .response = "suggestion!:object",
	.errors = "409 422",
};
static const struct web_doc agree_doc = {
	.summary = "Agree with a suggested change",
	.description = "Any active member, once: agreeing again changes nothing and answers "
		       "200 with already true. 409 when the suggestion is no longer open or "
		       "the group is closed.",
	.tag = "Agreements",
	.response = "suggestion_id!:id agreed!:boolean already!:boolean",
	.errors = "409",
};
static const struct web_doc ratify_doc = {
	.summary = "Ratify a suggested change: it becomes the next version",
	.description = "The group's managers, only when at least the group's threshold of "
		       "active members agree (else 422, saying how many more are needed). 409 "
		       "when it is no longer open, the agreement has changed since it was "
		       "suggested, or the group is closed.",
	.tag = "Agreements",
	.response = "suggestion_id!:id status!:string version!:integer",
	.errors = "409 422",
};
static const struct web_doc withdraw_doc = {
	.summary = "Withdraw one's own suggested change",
	.description = "Its author only; 409 when it is no longer open.",
	.tag = "Agreements",
	.response = "suggestion_id!:id status!:string",
	.errors = "409",
};
static const struct web_doc decline_doc = {
	.summary = "Decline a suggested change",
	.description = "The group's managers; the agreement does not change. 409 when it is "
		       "no longer open or the group is closed.",
	.tag = "Agreements",
	.response = "suggestion_id!:id status!:string",
	.errors = "409",
};
static const struct web_doc settings_doc = {
	.summary = "Set how many members must agree, and the review date",
	.description = "The group's managers. threshold: 1 to 1000 (default 3); review_date: "
		       "a local date, or empty to clear it.",
	.tag = "Agreements", .request = "threshold:numeric review_date:string",
	.response = "threshold!:integer review_date!:date?",
	.errors = "409 422",
};
static const struct web_doc start_doc = {
	.summary = "Start the group's agreement from the network's template",
	.description = "The group's managers, when the group has no agreement yet (else 409): "
		       "version 1 is the network's template as it stands (its aims, ground "
		       "rules and values; see /network/agreement-template).",
	.tag = "Agreements", .status = 201, .response = "version!:integer",
	.errors = "409",
};
static const struct web_doc values_doc = {
	.summary = "The network's list of values groups may adopt",
	.tag = "Agreements",
	.response = "values!:object[] can_add!:boolean",
};
static const struct web_doc value_add_doc = {
	.summary = "Add a value to the network's list",
	.description = "Coordinators and admins. 409 when the network has one of that name.",
	.tag = "Agreements", .request = "name!:string description:string",
	.status = 201, .response = "value!:object",
	.errors = "409 422",
};

static const struct web_doc template_doc = {
	.summary = "The network's starting template for group agreements",
	.description = "Coordinators and admins. The aims, ground rules and suggested values "
		       "a group gets when a facilitator starts its agreement from the "
		       "template; edited is false while the built-in template serves.",
	.tag = "Agreements",
	.response = "template!:object",
};
static const struct web_doc template_set_doc = {
	.summary = "Change the network's starting template for group agreements",
	.description = "Coordinators and admins. The whole template: aims, ground rules (a "
		       "list, or text one rule a line) and values (ids from /values). 422 for "
		       "empty or oversized text, too many rules, or an unknown value; nothing "
		       "changes then. Groups that started already keep their agreement.",
	.tag = "Agreements",
	.request = "aims!:string rules:any values:id[]",
	.response = "template!:object",
	.errors = "422",
};

const struct web_route agreement_routes[] = {
	{ M_GET, "/groups/{id}/agreement", agreement_show, ACCESS_SIGNED_IN, &agreement_show_doc },
	{ M_POST, "/groups/{id}/agreement/suggestions", suggestion_submit, ACCESS_SIGNED_IN, &suggestion_doc },
	{ M_POST, "/groups/{id}/agreement/settings", settings_submit, ACCESS_SIGNED_IN, &settings_doc },
	{ M_POST, "/groups/{id}/agreement/start", start_submit, ACCESS_SIGNED_IN, &start_doc },
	{ M_POST, "/agreement-suggestions/{id}/agree", agree_submit, ACCESS_SIGNED_IN, &agree_doc },
	{ M_POST, "/agreement-suggestions/{id}/ratify", ratify_submit, ACCESS_SIGNED_IN, &ratify_doc },
	{ M_POST, "/agreement-suggestions/{id}/withdraw", withdraw_submit, ACCESS_SIGNED_IN, &withdraw_doc },
	{ M_POST, "/agreement-suggestions/{id}/decline", decline_submit, ACCESS_SIGNED_IN, &decline_doc },
	{ M_GET, "/values", values_show, ACCESS_PUBLIC, &values_doc,
	  .same_for_visitors = true },
	{ M_POST, "/values", value_add_submit, ACCESS_COORDINATOR, &value_add_doc },
	{ M_GET, TEMPLATE_PATH, template_show, ACCESS_COORDINATOR, &template_doc },
	{ M_POST, TEMPLATE_PATH, template_submit, ACCESS_COORDINATOR, &template_set_doc },
	{ 0 }
};
