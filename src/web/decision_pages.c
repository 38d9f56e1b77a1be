/* decision_pages.c - a group's decisions: the list (with those due for
 * review) and the form to open one, a decision's page (the question, the
 * ballot form, the tally, closing it and its outcome), and the forms
 * behind them. The rules and the tally live in app/decision.c. */
#include "form.h"
#include "view.h"

#include "../app/decision.h"
#include "../app/membership.h"
#include "../app/network.h"
#include "../app/schedule.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the request ------------------------------------------- */

/* A yes/no field: a JSON boolean, or "1"/"on"/"true"/"yes" and
 * "0"/"off"/"false"/"no"/"" from a form. Absent gives fallback. */
static int read_flag(wreq *r, const char *name, bool fallback, bool *ret, herr *e)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	if (!v || json_is_null(v)) {
		*ret = fallback;
		return 0;
	}
	if (json_is_boolean(v)) {
		*ret = json_is_true(v);
		return 0;
	}
	const char *s = json_string_value(v);
	static const char *const yes[] = { "1", "on", "true", "yes" }, *const no[] = { "0", "off", "false", "no", "" };
	for (size_t i = 0; s && i < 4; i++)
		if (!strcmp(s, yes[i]))
			return *ret = true, 0;
	for (size_t i = 0; s && i < 5; i++)
		if (!strcmp(s, no[i]))
			return *ret = false, 0;
	return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be true or false.", name);
}

/* A whole number field, from JSON or a form; absent or empty gives
 * fallback; anything else not a number is -1 (the app's 422). */
static int read_number(wreq *r, const char *name, int fallback, int *ret, herr *e)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
		*ret = fallback;
		return 0;
	}
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		*ret = n < -1000 || n > 1000 ? -1 : (int)n;
		return 0;
	}
	if (!json_is_string(v))
		return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be a whole number.", name);
	const char *s = json_string_value(v);
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	*ret = errno || end == s || *end || n < -1000 || n > 1000 ? -1 : (int)n;
	return 0;
}

/* The "options" field: a JSON array of strings, or text one option a
 * line (blank lines skipped). */
static int read_options(wreq *r, const char ***ret, size_t *ret_n, herr *e)
{
	json_t *v = r->body ? json_object_get(r->body, "options") : NULL;
	*ret_n = 0;
	size_t cap = DECISION_OPTIONS_MAX + 2;
	const char **out = arena_alloc(r->arena, cap * sizeof *out);
	if (!out)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	*ret = out;
	if (!v || json_is_null(v))
		return 0;
	size_t n = 0;
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return herr_set(e, ERR_BADREQ, "options", "Each option must be text.");
			if (n == cap)
				return herr_set(e, ERR_INVALID, "options", "Give at most %d options.", DECISION_OPTIONS_MAX);
			out[n++] = json_string_value(item);
		}
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s) {
			const char *end = strchr(s, '\n');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
				len--;
			while (len && *s == ' ')
				s++, len--;
			if (len) {
				if (n == cap)
					return herr_set(e, ERR_INVALID, "options", "Give at most %d options.", DECISION_OPTIONS_MAX);
				out[n++] = arena_strndup(r->arena, s, len);
			}
			if (!end)
				break;
			s = end + 1;
		}
	} else
		return herr_set(e, ERR_BADREQ, "options", "The options must be text or a list of text.");
	*ret_n = n;
	return 0;
}

/* The answer named s for a single-answer kind; -1 when it is not one. */
static int answer_parse(enum decision_kind kind, const char *s)
{
	for (int i = 0; s && i < 4; i++) {
		const char *name = decision_answer_name(kind, i);
		if (*name && !strcmp(name, s))
			return i;
	}
	return -1;
}

/* One mark of a time poll or dot vote from a JSON value or form text. */
static int mark_of(enum decision_kind kind, json_t *v)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		return n < -1000 || n > 1000 ? -1 : (int)n;
	}
	if (v && !json_is_string(v))
		return -1;
	const char *s = json_string_value(v);
	if (!s || !*s)
		return kind == DECISION_DOT_VOTE ? 0 : -1;
	if (kind == DECISION_TIME_POLL)
		return answer_parse(kind, s);
	char *end;
	long n = strtol(s, &end, 10);
	return *end || n < 0 || n > 1000 ? -1 : (int)n;
}

/* The ballot of the request: "answer" and "reason" for a proposal or
 * sense check; "marks" (a JSON list) or option1, option2, ... (a form)
 * for a time poll or dot vote. */
static int read_ballot(wreq *r, const struct decision *dec, struct decision_ballot *b, herr *e)
{
	memset(b, 0, sizeof *b);
	int rc = form_text(r, "reason", "the reason", FIELD_OPTIONAL, DECISION_REASON_MAX, &b->reason, e);
	if (rc)
		return rc;
	int *marks = arena_alloc(r->arena, (DECISION_OPTIONS_MAX + 1) * sizeof *marks);
	if (!marks)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	b->marks = marks;
	if (dec->kind == DECISION_PROPOSAL || dec->kind == DECISION_SENSE_CHECK) {
		json_t *v = json_object_get(r->body, "answer");
		if (v && !json_is_string(v))
			return herr_set(e, ERR_BADREQ, "answer", "The answer must be text, such as \"%s\".",
					decision_answer_name(dec->kind, 0));
		marks[0] = answer_parse(dec->kind, json_string_value(v));
		if (marks[0] < 0)
			return herr_set(e, ERR_INVALID, "answer", "Choose one of the answers.");
		b->n_marks = 1;
		return 0;
	}
	json_t *list = json_object_get(r->body, "marks");
	if (list && !json_is_array(list))
		return herr_set(e, ERR_BADREQ, "marks", "The marks must be a list, one for each option.");
	if (list) {
		if (json_array_size(list) > DECISION_OPTIONS_MAX)
			return herr_set(e, ERR_INVALID, "marks", "Mark each of the %zu options.", dec->n_options);
		for (size_t i = 0; i < json_array_size(list); i++)
			marks[b->n_marks++] = mark_of(dec->kind, json_array_get(list, i));
		return 0;
	}
	for (size_t i = 0; i < dec->n_options; i++) {
		char name[32];
		snprintf(name, sizeof name, "option%zu", i + 1);
		marks[b->n_marks++] = mark_of(dec->kind, json_object_get(r->body, name));
	}
	return 0;
}

/* ---- building the pages -------------------------------------------- */

static const char *kind_label(enum decision_kind k)
{
	static const char *const labels[] = { "Proposal", "Sense check", "Time poll", "Dot vote" };
	return (unsigned)k < 4 ? labels[k] : "Decision";
}

static json_t *summary_json(wreq *r, const struct decision *d)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
		"id", json_id(d->id), "path", arena_printf(r->arena, "/decisions/%lld", (long long)d->id),
		"title", d->title, "kind", decision_kind_name(d->kind), "kind_label", kind_label(d->kind),
		"anonymous", d->anonymous, "hide_results", d->hide_results, "is_closed", d->is_closed,
		"closes_at", json_time(d->closes_at), "closes_text", json_time_text(d->closes_at),
		"closed_at", d->is_closed ? json_time(d->closed_at) : json_null(),
		"closed_text", d->is_closed ? json_time_text(d->closed_at) : json_null(),
		"outcome", json_str_or_null(d->outcome), "review_date", json_str_or_null(d->review_date),
		"opened_by", json_str_or_null(d->opener_name), "due_for_review", d->due_for_review);
}

static json_t *list_model(wreq *r, const struct standing *st, const struct group_door *g, herr *e)
{
	struct decision *list;
	size_t n;
	if (decision_list(r->db, r->arena, st, &list, &n, e))
		return NULL;
	json_t *open = json_array(), *closed = json_array(), *due = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(list[i].is_closed ? closed : open, summary_json(r, &list[i]));
		if (list[i].due_for_review)
			json_array_append_new(due, summary_json(r, &list[i]));
	}
	json_t *model = json_pack("{s:o, s:o, s:o, s:o, s:b}",
		"group", json_group(r, g->id, g->name),
		"open", open, "closed", closed, "due_for_review", due,
		"can_open", st->is_member && !st->is_closed);
	if (!r->want_json) {
		json_object_set_new(model, "has_open", json_boolean(json_array_size(open) > 0));
		json_object_set_new(model, "has_closed", json_boolean(json_array_size(closed) > 0));
		json_object_set_new(model, "has_due", json_boolean(json_array_size(due) > 0));
		json_object_set_new(model, "form", json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
			"title", "", "description", "", "options", "", "closes_at", "", "dots", DECISION_DOTS_DEFAULT,
			"kind", "proposal", "block_needs_reason", 1, "anonymous", 0, "hide_results", 0,
			"kind_proposal", 1, "kind_sense_check", 0, "kind_time_poll", 0, "kind_dot_vote", 0));
		json_object_set_new(model, "options_max", json_integer(DECISION_OPTIONS_MAX));
		if (query_param(r, "closed_group"))
			json_object_set_new(model, "notice", json_string("This group is closed."));
	}
	return model;
}

static const char *list_title(wreq *r, const struct group_door *g)
{
	return arena_printf(r->arena, "Decisions of %s", g->name);
}

static int decisions_show(wreq *r)
{
	struct standing st;
	struct group_door g;
	r->personal = true;
	if (web_member_group(r, &st, &g))
		return 0;
	herr e;
	herr_clear(&e);
	json_t *model = list_model(r, &st, &g, &e);
	if (!model)
		return web_fail(r, &e);
	return web_page(r, 200, "decisions", list_title(r, &g), model);
}

/* Re-shows the list with the opening form as it was sent. */
static int open_fail(wreq *r, const struct standing *st, const struct group_door *g, const herr *e)
{
	herr e2;
	herr_clear(&e2);
	json_t *model = r->want_json ? NULL : list_model(r, st, g, &e2);
	if (!model)
		return web_fail(r, e);
	json_t *form = json_object_get(model, "form");
	static const char *const echo[] = { "title", "description", "options", "closes_at", "dots", "kind", NULL };
	json_object_update_new(form, form_echo(r, echo));
	const char *kind = json_string_value(json_object_get(r->body, "kind"));
	static const char *const kinds[] = { "proposal", "sense_check", "time_poll", "dot_vote" };
	for (size_t i = 0; kind && i < 4; i++)
		json_object_set_new(form, arena_printf(r->arena, "kind_%s", kinds[i]),
				    json_boolean(!strcmp(kind, kinds[i])));
	static const char *const flags[] = { "block_needs_reason", "anonymous", "hide_results" };
	for (size_t i = 0; i < 3; i++) {
		bool on = false;
		herr ignored;
		read_flag(r, flags[i], false, &on, &ignored);
		json_object_set_new(form, flags[i], json_boolean(on));
	}
	return web_form_fail(r, "decisions", list_title(r, g), model, e);
}

static int decision_open_submit(wreq *r)
{
	struct standing st;
	struct group_door g;
	r->personal = true;
	if (web_member_group(r, &st, &g))
		return 0;
	herr e;
	herr_clear(&e);
	static const char *const fields[] = { "kind", "title", "description", "options", "dots", "closes_at",
					      "anonymous", "hide_results", "block_needs_reason", NULL };
	struct decision_new in = { .dots = DECISION_DOTS_DEFAULT };
	const char *kind = NULL, *closes = NULL;
	struct actor me = web_actor(r);
	int64_t id = 0;
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "kind", "the kind of decision", FIELD_REQUIRED, 20, &kind, &e);
	if (!rc) rc = form_text(r, "title", "the title", FIELD_REQUIRED, DECISION_TITLE_MAX, &in.title, &e);
	if (!rc) rc = form_text(r, "description", "the description", FIELD_OPTIONAL, DECISION_DESCRIPTION_MAX, &in.description, &e);
	if (!rc) rc = read_options(r, (const char ***)&in.options, &in.n_options, &e);
	if (!rc) rc = read_number(r, "dots", DECISION_DOTS_DEFAULT, &in.dots, &e);
	/* a form's unticked box is absent: off; through the API absent is the default, on */
	if (!rc) rc = read_flag(r, "block_needs_reason", r->body_is_json, &in.block_needs_reason, &e);
	if (!rc) rc = read_flag(r, "anonymous", false, &in.anonymous, &e);
	if (!rc) rc = read_flag(r, "hide_results", false, &in.hide_results, &e);
	if (!rc) rc = form_text(r, "closes_at", "the closing time", FIELD_REQUIRED, 16, &closes, &e);
	if (!rc) {
		in.kind = decision_kind_parse(kind);
		if (schedule_local_to_utc(closes, network_time_zone(r->db, r->arena), &in.closes_at, NULL))
			rc = herr_set(&e, ERR_INVALID, "closes_at",
				      "Give the closing time as a date and time, such as 2027-01-31T18:30.");
	}
	if (!rc) rc = decision_open(r->db, &me, g.id, &in, &id, &e);
	if (rc && e.field && rc != ERR_BADREQ)
		return open_fail(r, &st, &g, &e);
	if (rc)
		return web_fail(r, &e);
	const char *path = arena_printf(r->arena, "/decisions/%lld", (long long)id);
	json_t *out = json_pack("{s:{s:o, s:s, s:s}}", "decision", "id", json_id(id),
				"kind", decision_kind_name(in.kind), "path", path);
	return web_redirect(r, arena_printf(r->arena, "%s?opened=1", path), 201, out);
}

/* The tally as JSON: a row per answer or option. */
static json_t *tally_json(wreq *r, const struct decision *d, const struct decision_ballot *ballots,
			  size_t n)
{
	struct decision_rules rules = decision_rules_of(d);
	struct decision_tally t;
	struct decision_reason *why = arena_alloc(r->arena, (n + 1) * sizeof *why);
	decision_tally(&rules, ballots, n, &t, why);
	json_t *rows = json_array(), *reasons = json_array();
	bool single = d->kind == DECISION_PROPOSAL || d->kind == DECISION_SENSE_CHECK;
	for (size_t i = 0; i < t.n_rows; i++) {
		json_t *row = json_pack("{s:s, s:i, s:b}",
			"label", single ? decision_answer_label(d->kind, (int)i) : d->options[i],
			"score", t.rows[i].score, "leading", (int)i == t.leading);
		if (d->kind == DECISION_TIME_POLL) {
			json_object_set_new(row, "yes", json_integer(t.rows[i].counts[POLL_YES]));
			json_object_set_new(row, "if_need_be", json_integer(t.rows[i].counts[POLL_IF_NEED_BE]));
			json_object_set_new(row, "no", json_integer(t.rows[i].counts[POLL_NO]));
		} else if (d->kind == DECISION_DOT_VOTE)
			json_object_set_new(row, "dots", json_integer(t.rows[i].counts[0]));
		else {
			json_object_set_new(row, "answer", json_string(decision_answer_name(d->kind, (int)i)));
			json_object_set_new(row, "count", json_integer(t.rows[i].counts[0]));
		}
		json_array_append_new(rows, row);
	}
	for (size_t i = 0; why && i < t.n_reasons; i++)
		json_array_append_new(reasons, json_pack("{s:o, s:s, s:o}",
			"answer", why[i].answer >= 0 ? json_string(decision_answer_label(d->kind, why[i].answer)) : json_null(),
			"reason", why[i].reason, "voter", json_str_or_null(why[i].voter)));
	return json_pack("{s:i, s:b, s:o, s:o, s:b}", "voters", t.voters, "hidden", t.hidden,
			 "rows", rows, "reasons", reasons, "blocked", t.blocked);
}

/* The ballot form's choices for the page, ticked as in mine. */
static json_t *ballot_form(wreq *r, const struct decision *d, const struct decision_ballot *mine)
{
	json_t *choices = json_array();
	if (d->kind == DECISION_PROPOSAL || d->kind == DECISION_SENSE_CHECK) {
		int n = d->kind == DECISION_PROPOSAL ? 4 : 3;
		for (int i = 0; i < n; i++)
			json_array_append_new(choices, json_pack("{s:s, s:s, s:b}",
				"value", decision_answer_name(d->kind, i), "label", decision_answer_label(d->kind, i),
				"checked", mine && mine->n_marks == 1 && mine->marks[0] == i));
		return choices;
	}
	for (size_t i = 0; i < d->n_options; i++) {
		int mark = mine && mine->n_marks == d->n_options ? mine->marks[i] : -1;
		json_t *o = json_pack("{s:s, s:s, s:i}", "label", d->options[i],
			"name", arena_printf(r->arena, "option%zu", i + 1), "number", (int)i + 1);
		if (d->kind == DECISION_TIME_POLL) {
			json_t *marks = json_array();
			for (int m = 0; m < 3; m++)
				json_array_append_new(marks, json_pack("{s:s, s:s, s:b}",
					"value", decision_answer_name(d->kind, m),
					"label", decision_answer_label(d->kind, m), "checked", mark == m));
			json_object_set_new(o, "marks", marks);
		} else
			json_object_set_new(o, "dots", json_integer(mark > 0 ? mark : 0));
		json_array_append_new(choices, o);
	}
	return choices;
}

static const struct web_notice decision_notices[] = {
	{ "opened", "The decision is open. Members can now take part." },
	{ "voted", "Your vote is saved. You can change it until the decision closes." },
	{ "closed", "The decision is closed. Someone can now write its outcome." },
	{ "outcome", "The outcome is saved." },
	{ NULL, NULL },
};

static json_t *decision_model(wreq *r, const struct decision *d, const struct standing *st, herr *e)
{
	struct decision_ballot *ballots = NULL, mine;
	size_t n = 0;
	bool has_mine = false;
	struct actor me = web_actor(r);
	if (decision_ballots(r->db, r->arena, d, &ballots, &n, e))
		return NULL;
	if (decision_my_ballot(r->db, r->arena, d, &me, &mine, &has_mine))
		has_mine = false;
	json_t *dec = summary_json(r, d);
	json_t *options = json_array();
	for (size_t i = 0; i < d->n_options; i++)
		json_array_append_new(options, json_string(d->options[i]));
	bool steer = st->can_manage || (me.person_id && d->opened_by == me.person_id);
	json_object_update_new(dec, json_pack("{s:s, s:o, s:i, s:b, s:o, s:o, s:o}",
		"description", d->description ? d->description : "", "options", options,
		"dots", d->dots, "block_needs_reason", d->block_needs_reason,
		"outcome_by", json_str_or_null(d->outcome_by_name),
		"outcome_at", d->outcome_at ? json_time(d->outcome_at) : json_null(),
		"outcome_text", d->outcome_at ? json_time_text(d->outcome_at) : json_null()));
	json_t *my_vote = json_null();
	if (has_mine) {
		json_t *marks = json_array();
		for (size_t i = 0; i < mine.n_marks; i++)
			json_array_append_new(marks, json_integer(mine.marks[i]));
		my_vote = json_pack("{s:o, s:o}", "marks", marks, "reason", json_str_or_null(mine.reason));
		if (mine.n_marks == 1 && d->n_options == 0)
			json_object_set_new(my_vote, "answer", json_string(decision_answer_name(d->kind, mine.marks[0])));
	}
	bool can_write = !st->is_closed;
	json_t *model = json_pack("{s:o, s:o, s:o, s:b, s:b, s:b}",
		"decision", dec, "tally", tally_json(r, d, ballots, n), "my_vote", my_vote,
		"can_vote", can_write && !d->is_closed,
		"can_close", can_write && !d->is_closed && steer,
		"can_write_outcome", can_write && d->is_closed && steer);
	json_object_set_new(model, "group", json_pack("{s:o, s:s}", "id", json_id(d->group_id),
		"path", arena_printf(r->arena, "/groups/%lld", (long long)d->group_id)));
	if (!r->want_json) {
		json_object_set_new(dec, "description_html", json_markdown(d->description));
		json_object_set_new(model, "choices", ballot_form(r, d, has_mine ? &mine : NULL));
		json_object_set_new(model, "is_single", json_boolean(d->n_options == 0));
		json_object_set_new(model, "has_reasons", json_boolean(json_array_size(
			json_object_get(json_object_get(model, "tally"), "reasons")) > 0));
		json_object_set_new(model, "is_poll", json_boolean(d->kind == DECISION_TIME_POLL));
		json_object_set_new(model, "is_dots", json_boolean(d->kind == DECISION_DOT_VOTE));
		json_object_set_new(model, "form", json_pack("{s:s, s:s, s:s}",
			"reason", has_mine && mine.reason ? mine.reason : "",
			"outcome", d->outcome ? d->outcome : "", "review_date", d->review_date ? d->review_date : ""));
		web_add_notice(r, model, decision_notices);
	}
	return model;
}

/* The decision of the route's {id} for the actor; on failure the answer
 * is ready. */
static int load_decision(wreq *r, struct decision *d, struct standing *st)
{
	int64_t id;
	r->personal = true;
	if (web_param_id(r, "id", &id))
		return ERR_NOTFOUND;
	herr e;
	herr_clear(&e);
	struct actor me = web_actor(r);
	int rc = decision_get(r->db, r->arena, &me, id, d, st, &e);
	if (rc)
		web_fail(r, &e);
	return rc;
}

static int decision_show(wreq *r)
{
	struct decision d;
	struct standing st;
	if (load_decision(r, &d, &st))
		return 0;
	herr e;
	herr_clear(&e);
	json_t *model = decision_model(r, &d, &st, &e);
	if (!model)
		return web_fail(r, &e);
	return web_page(r, 200, "decision", d.title, model);
}

/* Re-shows the decision page with the error e tied to its field. */
static int decision_form_fail(wreq *r, int64_t id, const herr *e)
{
	struct decision d;
	struct standing st;
	herr e2;
	herr_clear(&e2);
	struct actor me = web_actor(r);
	json_t *model = NULL;
	if (!r->want_json && decision_get(r->db, r->arena, &me, id, &d, &st, &e2) == 0)
		model = decision_model(r, &d, &st, &e2);
	if (!model)
		return web_fail(r, e);
	static const char *const echo[] = { "reason", "outcome", "review_date", NULL };
	json_object_update_new(json_object_get(model, "form"), form_echo(r, echo));
	return web_form_fail(r, "decision", d.title, model, e);
}

static const char *decision_path(wreq *r, int64_t id, const char *query)
{
	return arena_printf(r->arena, "/decisions/%lld%s", (long long)id, query);
}

static int vote_submit(wreq *r)
{
	struct decision d;
	struct standing st;
	if (load_decision(r, &d, &st))
		return 0;
	herr e;
	herr_clear(&e);
	static const char *const fields[] = { "answer", "reason", "marks", "option1", "option2", "option3",
		"option4", "option5", "option6", "option7", "option8", "option9", "option10", "option11",
		"option12", "option13", "option14", "option15", "option16", "option17", "option18",
		"option19", "option20", NULL };
	struct decision_ballot b;
	struct actor me = web_actor(r);
	int rc = form_only_fields(r, fields, &e);
	if (!rc && d.is_closed)
		rc = herr_set(&e, ERR_CONFLICT, NULL, "This decision has closed: votes can no longer be cast or changed.");
	if (!rc) rc = read_ballot(r, &d, &b, &e);
	if (!rc) rc = decision_vote(r->db, &me, d.id, &b, &e);
	if (rc && e.field && rc == ERR_INVALID)
		return decision_form_fail(r, d.id, &e);
	if (rc)
		return web_fail(r, &e);
	return web_redirect(r, decision_path(r, d.id, "?voted=1"), 200,
			    json_pack("{s:o, s:b}", "decision_id", json_id(d.id), "voted", 1));
}

static int close_submit(wreq *r)
{
	int64_t id;
	r->personal = true;
	if (web_param_id(r, "id", &id))
		return 0;
	herr e;
	herr_clear(&e);
	struct actor me = web_actor(r);
	int rc = form_only_fields(r, (const char *const[]){ NULL }, &e);
	if (!rc)
		rc = decision_close(r->db, &me, id, &e);
	if (rc)
		return web_fail(r, &e);
	return web_redirect(r, decision_path(r, id, "?closed=1"), 200,
			    json_pack("{s:o, s:b}", "decision_id", json_id(id), "is_closed", 1));
}

static int outcome_submit(wreq *r)
{
	int64_t id;
	r->personal = true;
	if (web_param_id(r, "id", &id))
		return 0;
	herr e;
	herr_clear(&e);
	static const char *const fields[] = { "outcome", "review_date", NULL };
	const char *outcome = NULL, *review_date = NULL;
	struct actor me = web_actor(r);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_text(r, "outcome", "the outcome", FIELD_OPTIONAL, DECISION_OUTCOME_MAX, &outcome, &e);
	if (!rc) rc = form_text(r, "review_date", "the review date", FIELD_OPTIONAL, 10, &review_date, &e);
	if (!rc) rc = decision_set_outcome(r->db, &me, id, outcome, review_date, &e);
	if (rc && e.field && rc == ERR_INVALID)
		return decision_form_fail(r, id, &e);
	if (rc)
		return web_fail(r, &e);
	return web_redirect(r, decision_path(r, id, "?outcome=1"), 200,
			    json_pack("{s:o, s:s, s:o}", "decision_id", json_id(id), "outcome", outcome,
				      "review_date", json_str_or_null(review_date && *review_date ? review_date : NULL)));
}

/* ---- routes -------------------------------------------------------- */

static const struct web_doc decisions_doc = {
	.summary = "A group's decisions: open, closed, and those due for review",
	.description = "Members and the group's managers. Decisions past their closing time "
		       "are closed when read.",
	.tag = "Decisions",
	.response = "group!:object open!:object[] closed!:object[] due_for_review!:object[] can_open!:boolean",
};
static const struct web_doc open_doc = {
	.summary = "Open a decision in the group",
	.description = "Any active member or manager. kind: proposal (agree / abstain / "
		       "disagree / block), sense_check (happy / concerns / cant: can't go "
		       "along), time_poll (options are local date-times YYYY-MM-DDTHH:MM; "
		       "each voter marks yes / if_need_be / no for each) or dot_vote (each "
		       "voter spreads up to dots, default 3). options: 2 to 20, for a time "
		       "poll or dot vote only, as a list or one a line. closes_at: a local "
		       "date-time in the future. block_needs_reason defaults to true. An "
		       "anonymous decision never shows who voted what, to anyone. 422 for bad "
		       "input; 409 when the group is closed.",
	.tag = "Decisions",
	.request = "kind!:proposal|sense_check|time_poll|dot_vote title!:string description:string "
		   "options:any dots:numeric closes_at!:string anonymous:boolean hide_results:boolean "
		   "block_needs_reason:boolean",
	.status = 201, .response = "decision!:object",
	.errors = "409 422",
};
static const struct web_doc show_doc = {
	.summary = "A decision: the question, the tally and the outcome",
	.description = "Members and the group's managers. While results are hidden the tally "
		       "gives only how many voted. my_vote is the caller's own ballot (an "
		       "anonymous decision's can no longer be found once it closes).",
	.tag = "Decisions",
	.response = "decision!:object tally!:object my_vote!:object? group!:object can_vote!:boolean "
		    "can_close!:boolean can_write_outcome!:boolean",
};
static const struct web_doc vote_doc = {
	.summary = "Vote in a decision; voting again replaces the earlier vote",
	.description = "Members and managers. answer (proposal: agree, abstain, disagree, "
		       "block; sense check: happy, concerns, cant) with an optional reason; or "
		       "marks, one per option (time poll: yes, if_need_be, no; dot vote: dots). "
		       "409 once it has closed; 422 for an answer or marks out of range, or a "
		       "block without a reason where one is required.",
	.tag = "Decisions",
	.request = "answer:string reason:string marks:any[]",
	.response = "decision_id!:id voted!:boolean",
	.errors = "409 422",
};
static const struct web_doc close_doc = {
	.summary = "Close a decision early",
	.description = "Its opener or a manager of the group. 409 when already closed.",
	.tag = "Decisions",
	.response = "decision_id!:id is_closed!:boolean",
	.errors = "409",
};
static const struct web_doc outcome_doc = {
	.summary = "Write the outcome of a closed decision, with an optional review date",
	.description = "Its opener or a manager of the group. review_date: a local "
		       "YYYY-MM-DD, or empty. 409 while it is open; 422 for empty or "
		       "oversized text or a bad date.",
	.tag = "Decisions",
	.request = "outcome!:string review_date:string",
	.response = "decision_id!:id outcome!:string review_date!:date?",
	.errors = "409 422",
};

const struct web_route decision_routes[] = {
	{ M_GET, "/groups/{id}/decisions", decisions_show, ACCESS_SIGNED_IN, &decisions_doc },
	{ M_POST, "/groups/{id}/decisions", decision_open_submit, ACCESS_SIGNED_IN, &open_doc },
	{ M_GET, "/decisions/{id}", decision_show, ACCESS_SIGNED_IN, &show_doc },
	{ M_POST, "/decisions/{id}/vote", vote_submit, ACCESS_SIGNED_IN, &vote_doc },
	{ M_POST, "/decisions/{id}/close", close_submit, ACCESS_SIGNED_IN, &close_doc },
	{ M_POST, "/decisions/{id}/outcome", outcome_submit, ACCESS_SIGNED_IN, &outcome_doc },
	{ 0 }
};
