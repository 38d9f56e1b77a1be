/* checkin_pages.c - check-ins (capability C5) for people: a member's
 * choices (consent), the check-in form, their own scores over time as a
 * chart, a table and words, and who has read their answers; a group's
 * check-ins page (what it offers and, for its facilitators, its figures
 * under disclosure control), its offering settings and the answers a member
 * chose to share (each read logged); the network's figures for
 * coordinators, with the disclosure threshold. */
#include "form.h"
#include "view.h"

#include "../app/access_log.h"
#include "../app/checkin.h"
#include "../app/consent.h"
#include "../app/meeting.h"
#include "../app/membership.h"
#include "../app/outcome.h"
#include "../base/ids.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ACCESS_LOG_SHOWN 50
#define NOT_AN_OPTION (INT_MIN + 1)   /* a sent answer that is no whole number */

/* ---- small helpers ---------------------------------------------------------- */

static const char *group_path(wreq *r, int64_t group_id, const char *rest)
{
	return arena_printf(r->arena, "/groups/%lld%s", (long long)group_id, rest ? rest : "");
}

/* A score as people read it: whole numbers without decimals. */
static const char *score_text(wreq *r, double x)
{
	if (!isfinite(x))
		return "";
	if (fabs(x - round(x)) < 1e-9)
		return arena_printf(r->arena, "%.0f", x);
	return arena_printf(r->arena, "%.1f", x);
}

static json_t *real_or_null(double x, bool hidden)
{
	return hidden || !isfinite(x) ? json_null() : json_real(x);
}

static json_t *count_or_null(long n, bool hidden)
{
	return hidden ? json_null() : json_integer(n);
}

static void add_notice(wreq *r, json_t *model, const char *const pairs[])
{
	for (size_t i = 0; !r->want_json && pairs[i]; i += 2)
		if (query_param(r, pairs[i])) {
			json_object_set_new(model, "notice", json_string(pairs[i + 1]));
			return;
		}
}

/* A yes/no field: a ticked checkbox ("1", "on", "yes", "true") or a JSON
 * boolean; absent or "0"/"no"/"false"/"" is no. */
static int read_yes_no(wreq *r, const char *name, bool *ret, herr *e)
{
	static const char *const yes[] = { "1", "on", "yes", "true", NULL };
	static const char *const no[] = { "0", "off", "no", "false", "", NULL };
	json_t *v = json_object_get(r->body, name);
	*ret = false;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v)) {
		*ret = json_is_true(v);
		return 0;
	}
	for (size_t i = 0; json_is_string(v) && yes[i]; i++)
		if (!strcmp(json_string_value(v), yes[i]))
			return (*ret = true), 0;
	for (size_t i = 0; json_is_string(v) && no[i]; i++)
		if (!strcmp(json_string_value(v), no[i]))
			return 0;
	return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be yes or no (true or false).", name);
}

static json_t *consent_json(const struct consent *c)
{
	return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:o, s:o}",
		"asked", c->asked, "take_part", c->take_part, "group_learning", c->group_learning,
		"network_reports", c->network_reports, "share_with_facilitator", c->share_with_facilitator,
		"withdrawn", c->withdrawn_at != 0,
		"asked_at", c->asked ? json_time(c->asked_at) : json_null(),
		"changed_at", c->asked ? json_time(c->changed_at) : json_null(),
		"withdrawn_at", c->withdrawn_at ? json_time(c->withdrawn_at) : json_null(),
		"changed_text", c->asked ? json_time_text(c->changed_at) : json_null());
}

/* ---- scores over time (the member's own, or shared with a facilitator) ----- */

#define CHART_W 600
#define CHART_H 220
#define CHART_LEFT 44
#define CHART_RIGHT 16
#define CHART_TOP 16
#define CHART_BOTTOM 36

struct series {
	const struct checkin_record *rec[256];
	double score[256];
	size_t n;
};

static double chart_x(size_t i, size_t n)
{
	double w = CHART_W - CHART_LEFT - CHART_RIGHT;
	return CHART_LEFT + (n < 2 ? w / 2 : w * (double)i / (double)(n - 1));
}

static double chart_y(const struct instrument_scale *s, double v)
{
	double h = CHART_H - CHART_TOP - CHART_BOTTOM;
	double span = s->max - s->min;
	return CHART_TOP + (span > 0 ? (s->max - v) / span * h : h / 2);
}

/* The chart's drawing as numbers the template places in an inline SVG. */
static json_t *chart_json(wreq *r, const struct instrument_scale *s, const struct series *se)
{
	buf line = { 0 };
	json_t *dots = json_array(), *grid = json_array();
	for (size_t i = 0; i < se->n; i++) {
		double x = chart_x(i, se->n), y = chart_y(s, se->score[i]);
		buf_printf(&line, "%s%.1f,%.1f", i ? " " : "", x, y);
		json_array_append_new(dots, json_pack("{s:s, s:s}", "cx", arena_printf(r->arena, "%.1f", x),
						      "cy", arena_printf(r->arena, "%.1f", y)));
	}
	double marks[3] = { s->min, (s->min + s->max) / 2, s->max };
	for (int k = 0; k < 3; k++) {
		const char *y = arena_printf(r->arena, "%.1f", chart_y(s, marks[k]));
		json_array_append_new(grid, json_pack("{s:s, s:s, s:s}", "y", y,
			"label_y", arena_printf(r->arena, "%.1f", chart_y(s, marks[k]) + 4),
			"label", score_text(r, marks[k])));
	}
	json_t *chart = json_pack("{s:i, s:i, s:s, s:o, s:o, s:i, s:i, s:i, s:s, s:s, s:s}",
		"width", CHART_W, "height", CHART_H,
		"line", arena_strdup(r->arena, line.data ? line.data : ""), "dots", dots, "grid", grid,
		"x_left", CHART_LEFT, "x_right", CHART_W - CHART_RIGHT, "label_y", CHART_H - 10,
		"first_x", arena_printf(r->arena, "%.1f", chart_x(0, se->n)),
		"last_x", arena_printf(r->arena, "%.1f", chart_x(se->n ? se->n - 1 : 0, se->n)),
		"baseline_y", arena_printf(r->arena, "%.1f", (double)(CHART_H - CHART_BOTTOM)));
	buf_free(&line);
	return chart;
}

/* The words under the chart: where the score went and whether that is more
 * than the measurement's own wobble. */
static const char *change_words(wreq *r, const struct instrument_scale *s, const struct series *se)
{
	/* "Self-esteem" reads "your self-esteem score" inside a sentence. */
	char *name = arena_strdup(r->arena, s->name);
	if (name[0] >= 'A' && name[0] <= 'Z' && name[1] >= 'a' && name[1] <= 'z')
		name[0] = (char)(name[0] - 'A' + 'a');
	if (se->n == 1)
		return arena_printf(r->arena, "Your first %s score was %s, on a scale from %s to %s.",
				    name, score_text(r, se->score[0]), score_text(r, s->min), score_text(r, s->max));
	double x1 = se->score[0], x2 = se->score[se->n - 1];
	const char *went = x1 == x2 ? arena_printf(r->arena, "Your %s score is %s, the same as when you started.",
						   name, score_text(r, x2))
				    : arena_printf(r->arena, "Your %s score went from %s to %s.", name,
						   score_text(r, x1), score_text(r, x2));
	const char *direction = s->higher_is_better ? "" : " On this one, lower scores are better.";
	double size = outcome_reliable_change_size(s);
	if (!size)
		return arena_printf(r->arena, "%s%s This questionnaire does not publish how much its scores "
				    "wobble on their own, so we cannot say whether a change this size is "
				    "more than that.", went, direction);
	enum outcome_rc rc = outcome_reliable_change(s, x1, x2);
	const char *verdict = rc == RC_IMPROVED ? "Your change is bigger than that: a real improvement."
			    : rc == RC_WORSE ? "Your change is bigger than that: things look harder than "
					       "when you started. Your group and the crisis lines on every page "
					       "are there if you want them."
					     : "Your change is within that wobble so far.";
	return arena_printf(r->arena, "%s%s Changes of more than %s on this scale are bigger than the "
			    "measurement's own wobble. %s", went, direction, score_text(r, size), verdict);
}

static json_t *scale_history_json(wreq *r, const struct instrument *in, size_t s,
				  const struct checkin_record *recs, size_t n)
{
	struct series se = { .n = 0 };
	for (size_t i = 0; i < n && se.n < 256; i++) {
		if (recs[i].in != in || !recs[i].scored[s])
			continue;
		se.rec[se.n] = &recs[i];
		se.score[se.n++] = recs[i].scores[s];
	}
	if (!se.n)
		return NULL;
	const struct instrument_scale *sc = &in->scales[s];
	json_t *points = json_array();
	for (size_t i = 0; i < se.n; i++)
		json_array_append_new(points, json_pack("{s:o, s:o, s:o, s:s, s:s}",
			"checkin_id", json_id(se.rec[i]->id), "at", json_time(se.rec[i]->finished_at),
			"at_text", json_time_text(se.rec[i]->finished_at), "group_name", se.rec[i]->group_name,
			"score_text", score_text(r, se.score[i])));
	for (size_t i = 0; i < se.n; i++)
		json_object_set_new(json_array_get(points, i), "score", json_real(se.score[i]));
	double size = outcome_reliable_change_size(sc);
	return json_pack("{s:s, s:s, s:f, s:f, s:b, s:o, s:o, s:s, s:o, s:s, s:s}",
		"id", sc->id, "name", sc->name, "min", sc->min, "max", sc->max,
		"higher_is_better", sc->higher_is_better, "points", points,
		"reliable_change", size > 0 ? json_real(size) : json_null(),
		"words", change_words(r, sc, &se), "chart", chart_json(r, sc, &se),
		"chart_id", arena_printf(r->arena, "chart-%s-%s", in->id, sc->id),
		"range_text", arena_printf(r->arena, "from %s to %s", score_text(r, sc->min),
					   score_text(r, sc->max)));
}

/* Every instrument the records hold, with each scale's history. */
static json_t *history_json(wreq *r, const struct checkin_record *recs, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i && recs[i].in == recs[i - 1].in)
			continue;
		const struct instrument *in = recs[i].in;
		json_t *scales = json_array();
		for (size_t s = 0; s < in->n_scales; s++) {
			json_t *h = scale_history_json(r, in, s, recs, n);
			if (h)
				json_array_append_new(scales, h);
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:o}", "id", in->id, "name", in->name,
						      "validated", in->validated, "scales", scales));
	}
	return list;
}

/* ---- the member's own pages -------------------------------------------------------- */

static json_t *due_json(wreq *r, const struct checkin_due *d, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}",
			"group_id", json_id(d[i].group_id), "group_name", d[i].group_name ? d[i].group_name : "",
			"instrument_id", d[i].in->id, "instrument_name", d[i].in->name,
			"why", checkin_due_text(d[i].why),
			"path", group_path(r, d[i].group_id, arena_printf(r->arena, "/check-ins/%s", d[i].in->id))));
	return list;
}

static json_t *access_json(wreq *r, const struct access_entry *l, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:s, s:o, s:o}",
			"reader_id", l[i].reader_id ? json_id(l[i].reader_id) : json_null(),
			"reader_name", l[i].reader_name, "what", l[i].what, "reason", l[i].reason,
			"read_at", json_time(l[i].read_at), "read_text", json_time_text(l[i].read_at)));
	return list;
}

static int my_checkins_show(wreq *r)
{
	static const char *const notices[] = {
		"finished", "Thank you: your check-in is saved. Your scores are below.",
		"saved", "Your answers so far are saved. Come back to finish whenever you like.",
		"skipped", "That is fine: this check-in is skipped. You will be asked again next time.",
		"withdrawn", "You have withdrawn from check-ins. You will not be asked again, and your "
			     "answers no longer count in any group or network figures.",
		"chosen", "Your choices are saved.", NULL };
	int64_t me = r->user.person_id;
	struct consent c;
	struct checkin_due *due = NULL;
	struct checkin_record *recs;
	struct access_entry *log;
	size_t nd = 0, nr, nl;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (consent_get(r->db, me, &c, &e) ||
	    checkin_due_for_person(r->db, r->arena, me, time_now_ms(), &due, &nd, &e) ||
	    checkin_list_finished(r->db, r->arena, me, 0, &recs, &nr, &e) ||
	    access_log_for_subject(r->db, r->arena, me, ACCESS_LOG_SHOWN, &log, &nl, &e))
		return web_fail(r, &e);
	json_t *model = json_pack("{s:o, s:o, s:o, s:o}", "consent", consent_json(&c),
		"due", due_json(r, due, nd), "instruments", history_json(r, recs, nr),
		"access_log", access_json(r, log, nl));
	if (!r->want_json) {
		json_object_set_new(model, "has_history", json_boolean(nr > 0));
		json_object_set_new(model, "has_due", json_boolean(nd > 0));
		json_object_set_new(model, "has_access_log", json_boolean(nl > 0));
		add_notice(r, model, notices);
	}
	return web_page(r, 200, "checkins_mine", "Your check-ins", model);
}

static json_t *consent_model(wreq *r, const struct consent *c, const struct consent_choice *shown)
{
	struct consent_choice now = { c->take_part, c->group_learning, c->network_reports,
				      c->share_with_facilitator };
	if (!shown)
		shown = &now;
	return json_pack("{s:o, s:{s:b, s:b, s:b, s:b, s:b}}", "consent", consent_json(c),
		"form", "take_part", shown->take_part, "not_take_part", c->asked && !shown->take_part,
		"group_learning", shown->group_learning, "network_reports", shown->network_reports,
		"share_with_facilitator", shown->share_with_facilitator);
}

static int consent_show(wreq *r)
{
	struct consent c;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (consent_get(r->db, r->user.person_id, &c, &e))
		return web_fail(r, &e);
	return web_page(r, 200, "checkin_consent", "Check-ins: your choices", consent_model(r, &c, NULL));
}

static int consent_submit(wreq *r)
{
	static const char *const fields[] = { "take_part", "group_learning", "network_reports",
					      "share_with_facilitator", NULL };
	struct consent_choice ch = { 0 };
	struct consent c;
	herr e;
	herr_clear(&e);
	r->personal = true;
	int rc = form_only_fields(r, fields, &e);
	if (!rc && !json_object_get(r->body, "take_part"))
		rc = herr_set(&e, ERR_INVALID, "take_part", "Choose whether you would like to take part in check-ins.");
	if (!rc) rc = read_yes_no(r, "take_part", &ch.take_part, &e);
	if (!rc) rc = read_yes_no(r, "group_learning", &ch.group_learning, &e);
	if (!rc) rc = read_yes_no(r, "network_reports", &ch.network_reports, &e);
	if (!rc) rc = read_yes_no(r, "share_with_facilitator", &ch.share_with_facilitator, &e);
	if (!rc) rc = consent_set(r->db, r->user.person_id, &ch, &e);
	if (rc) {
		herr ignored;
		if (consent_get(r->db, r->user.person_id, &c, &ignored))
			c = (struct consent){ 0 };
		return web_form_fail(r, "checkin_consent", "Check-ins: your choices",
				     consent_model(r, &c, &ch), &e);
	}
	consent_get(r->db, r->user.person_id, &c, &e);
	return web_redirect(r, "/me/check-ins?chosen=1", 200, json_pack("{s:o}", "consent", consent_json(&c)));
}

static int consent_withdraw_submit(wreq *r)
{
	struct consent c;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (form_only_fields(r, (const char *const[]){ NULL }, &e) ||
	    consent_withdraw(r->db, r->user.person_id, &e) ||
	    consent_get(r->db, r->user.person_id, &c, &e))
		return web_fail(r, &e);
	return web_redirect(r, "/me/check-ins?withdrawn=1", 200,
			    json_pack("{s:o}", "consent", consent_json(&c)));
}

/* ---- the check-in form ---------------------------------------------------------- */

/* The group in the path, its name, and the actor's standing; answers with
 * an error itself (returning non-zero) when there is none. */
static int load_group(wreq *r, int64_t *ret_id, const char **ret_name, struct standing *st)
{
	struct actor actor = web_actor(r);
	struct group_door door;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", ret_id))
		return ERR_NOTFOUND;
	if (membership_standing(r->db, *ret_id, &actor, st, &e) ||
	    membership_group_door(r->db, r->arena, *ret_id, &door, &e))
		return web_fail(r, &e), e.code;
	*ret_name = door.name;
	return 0;
}

static json_t *form_items_json(wreq *r, const struct instrument *in, const int *answers)
{
	json_t *items = json_array();
	for (size_t i = 0; i < in->n_items; i++) {
		const struct instrument_item *it = &in->items[i];
		json_t *options = json_array();
		for (size_t k = 0; k < it->n_options; k++)
			json_array_append_new(options, json_pack("{s:s, s:i, s:s, s:b}",
				"label", it->options[k].label, "value", it->options[k].value,
				"input_id", arena_printf(r->arena, "%s-%zu", it->id, k),
				"checked", answers && answers[i] == it->options[k].value));
		json_array_append_new(items, json_pack("{s:s, s:I, s:s, s:o, s:o}", "id", it->id,
			"number", (json_int_t)(i + 1), "text", it->text, "options", options,
			"answer", answers && answers[i] != INSTRUMENT_MISSING && answers[i] != NOT_AN_OPTION
				  ? json_integer(answers[i]) : json_null()));
	}
	return items;
}

static json_t *checkin_form_model(wreq *r, int64_t gid, const char *group_name,
				  const struct instrument *in, const int *answers, int64_t open_id)
{
	return json_pack("{s:{s:o, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s, s:b}, s:o, s:o, s:s}",
		"group", "id", json_id(gid), "name", group_name, "path", group_path(r, gid, NULL),
		"instrument", "id", in->id, "name", in->name, "instructions", in->instructions ? in->instructions : "",
		"licence", in->licence ? in->licence : "", "citation", in->citation ? in->citation : "",
		"validated", in->validated,
		"items", form_items_json(r, in, answers), "open_checkin_id", open_id ? json_id(open_id) : json_null(),
		"action", group_path(r, gid, arena_printf(r->arena, "/check-ins/%s", in->id)));
}

/* The instrument this group offers under {instrument}; else answers 404
 * (the form page) and returns NULL. */
static const struct instrument *offered_instrument(wreq *r, int64_t gid, herr *e)
{
	const char *id = web_param(r, "instrument");
	const struct instrument *in = id ? instrument_find(id) : NULL;
	struct checkin_offering *offers;
	size_t n;
	if (in && !checkin_offerings(r->db, r->arena, gid, &offers, &n, e))
		for (size_t i = 0; i < n; i++)
			if (offers[i].in == in)
				return in;
	herr_set(e, ERR_NOTFOUND, "instrument", "This group does not offer that check-in.");
	return NULL;
}

static int checkin_form_show(wreq *r)
{
	int64_t gid, open_id = 0;
	const char *name;
	struct standing st;
	struct consent c;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (load_group(r, &gid, &name, &st))
		return 0;
	if (!st.is_member)
		return web_error(r, ERR_DENIED, "Check-ins are for the group's members.");
	if (consent_get(r->db, r->user.person_id, &c, &e) || consent_require_taking_part(&c, &e))
		return web_fail(r, &e);
	const struct instrument *in = offered_instrument(r, gid, &e);
	if (!in)
		return web_fail(r, &e);
	int *answers = arena_alloc(r->arena, (in->n_items + 1) * sizeof *answers);
	if (checkin_open_answers(r->db, r->user.person_id, gid, in, answers, &open_id, &e))
		return web_fail(r, &e);
	return web_page(r, 200, "checkin_form", in->name, checkin_form_model(r, gid, name, in, answers, open_id));
}

/* Reads one answer per item (absent or empty: unanswered); a value that is
 * no whole number becomes NOT_AN_OPTION for the domain to refuse by name. */
static int read_answers(wreq *r, const struct instrument *in, int *answers, enum checkin_action *action,
			herr *e)
{
	const char **allowed = arena_alloc(r->arena, (in->n_items + 2) * sizeof *allowed);
	for (size_t i = 0; i < in->n_items; i++)
		allowed[i] = in->items[i].id;
	allowed[in->n_items] = "action";
	int rc = form_only_fields(r, allowed, e);
	const char *act = NULL;
	if (!rc) rc = form_text(r, "action", "what to do", FIELD_OPTIONAL, 10, &act, e);
	if (rc)
		return rc;
	if (!act || !*act || !strcmp(act, "finish"))
		*action = CHECKIN_FINISH;
	else if (!strcmp(act, "save"))
		*action = CHECKIN_SAVE;
	else if (!strcmp(act, "skip"))
		*action = CHECKIN_SKIP;
	else
		return herr_set(e, ERR_INVALID, "action", "The action is finish, save or skip.");
	for (size_t i = 0; i < in->n_items; i++) {
		json_t *v = json_object_get(r->body, in->items[i].id);
		answers[i] = INSTRUMENT_MISSING;
		if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
			continue;
		answers[i] = NOT_AN_OPTION;
		if (json_is_integer(v) && json_integer_value(v) > INT_MIN + 1 && json_integer_value(v) < INT_MAX)
			answers[i] = (int)json_integer_value(v);
		else if (json_is_string(v)) {
			char *end;
			long x = strtol(json_string_value(v), &end, 10);
			if (!*end && end != json_string_value(v) && x > INT_MIN + 1 && x < INT_MAX)
				answers[i] = (int)x;
		}
	}
	return 0;
}

static int checkin_form_submit(wreq *r)
{
	int64_t gid, id = 0;
	const char *name;
	struct standing st;
	struct actor actor = web_actor(r);
	enum checkin_action action = CHECKIN_FINISH;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (load_group(r, &gid, &name, &st))
		return 0;
	const char *iid = web_param(r, "instrument");
	const struct instrument *in = iid ? instrument_find(iid) : NULL;
	int *answers = in ? arena_alloc(r->arena, (in->n_items + 1) * sizeof *answers) : NULL;
	int rc = in ? read_answers(r, in, answers, &action, &e) : 0;
	if (!rc) rc = checkin_submit(r->db, &st, &actor, iid, answers, in ? in->n_items : 0, action, &id, &e);
	if (rc) {
		if (!in || r->want_json || e.code != ERR_INVALID)
			return web_fail(r, &e);
		return web_form_fail(r, "checkin_form", in->name,
				     checkin_form_model(r, gid, name, in, answers, 0), &e);
	}
	const char *to = action == CHECKIN_FINISH ? "/me/check-ins?finished=1"
		       : action == CHECKIN_SAVE ? "/me/check-ins?saved=1" : "/me/check-ins?skipped=1";
	const char *state = action == CHECKIN_FINISH ? "finished" : action == CHECKIN_SAVE ? "saved" : "skipped";
	return web_redirect(r, to, 200, json_pack("{s:{s:o, s:s, s:s}}", "checkin", "id", json_id(id),
						  "instrument_id", in->id, "state", state));
}

/* ---- a group's check-ins -------------------------------------------------------- */

static const char *schedule_text(wreq *r, const struct checkin_offering *o)
{
	const char *join = o->at_joining ? "when someone joins" : NULL;
	const char *every = o->every_weeks == 1 ? "every week"
			  : o->every_weeks > 1 ? arena_printf(r->arena, "every %d weeks", o->every_weeks) : NULL;
	const char *meetings = o->n_meetings == 1 ? "at one chosen meeting"
			     : o->n_meetings ? arena_printf(r->arena, "at %zu chosen meetings", o->n_meetings) : NULL;
	const char *parts[3] = { join, every, meetings };
	buf b = { 0 };
	size_t k = 0;
	for (int i = 0; i < 3; i++)
		if (parts[i])
			buf_printf(&b, "%s%s", k++ ? ", then " : "", parts[i]);
	const char *text = arena_strdup(r->arena, k ? b.data : "not asked on a schedule");
	buf_free(&b);
	return arena_printf(r->arena, "Asked %s.", text);
}

static json_t *offerings_json(wreq *r, int64_t gid, const struct checkin_offering *o, size_t n,
			      const struct checkin_due *due, size_t nd)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!o[i].in)
			continue;
		const char *why = NULL;
		for (size_t k = 0; k < nd; k++)
			if (due[k].group_id == gid && due[k].in == o[i].in)
				why = checkin_due_text(due[k].why);
		json_t *meetings = json_array();
		for (size_t m = 0; m < o[i].n_meetings; m++)
			json_array_append_new(meetings, json_id(o[i].meeting_ids[m]));
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:i, s:o, s:s, s:b, s:o, s:s}",
			"instrument_id", o[i].instrument_id, "name", o[i].in->name, "at_joining", o[i].at_joining,
			"every_weeks", o[i].every_weeks, "meeting_ids", meetings, "schedule_text", schedule_text(r, &o[i]),
			"due", why != NULL, "due_text", json_str_or_null(why),
			"path", group_path(r, gid, arena_printf(r->arena, "/check-ins/%s", o[i].instrument_id))));
	}
	return list;
}

static const char *ci_text(wreq *r, const struct outcome_change *c)
{
	if (c->figure_hidden)
		return "Hidden: fewer people than the network's threshold have both a first and a later check-in.";
	if (c->cannot || !isfinite(c->ci_lo))
		return arena_printf(r->arena, "Average change %s; its uncertainty %s.", score_text(r, c->mean_change),
				    c->cannot ? c->cannot : "cannot be computed");
	return arena_printf(r->arena, "Average change %+.1f (95%% confidence interval %+.1f to %+.1f).",
			    c->mean_change, c->ci_lo, c->ci_hi);
}

static json_t *change_json(wreq *r, const struct outcome_change *c)
{
	json_t *o = json_pack("{s:s, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:s, s:b}",
		"label", c->label ? c->label : "", "n", count_or_null(c->n, c->n_hidden),
		"n_hidden", c->n_hidden, "hidden", c->figure_hidden,
		"baseline_mean", real_or_null(c->baseline_mean, c->figure_hidden),
		"latest_mean", real_or_null(c->latest_mean, c->figure_hidden),
		"mean_change", real_or_null(c->mean_change, c->figure_hidden),
		"ci_lo", real_or_null(c->ci_lo, c->figure_hidden || c->cannot),
		"ci_hi", real_or_null(c->ci_hi, c->figure_hidden || c->cannot),
		"text", ci_text(r, c), "has_rc", c->has_rc);
	static const char *const keys[3] = { "no_reliable_change", "improved", "worse" };
	for (int k = 0; k < 3; k++) {
		bool hide = c->rc_hidden[k] || !c->has_rc;
		json_object_set_new(o, keys[k], count_or_null(c->rc[k], hide));
		json_object_set_new(o, arena_printf(r->arena, "%s_text", keys[k]),
				    json_string(hide ? (c->has_rc ? "hidden" : "—") : arena_printf(r->arena, "%ld", c->rc[k])));
	}
	json_object_set_new(o, "n_text", json_string(c->n_hidden ? "fewer than the threshold"
							       : arena_printf(r->arena, "%ld", c->n)));
	if (!c->figure_hidden) {
		json_object_set_new(o, "baseline_text", json_string(arena_printf(r->arena, "%.1f", c->baseline_mean)));
		json_object_set_new(o, "latest_text", json_string(arena_printf(r->arena, "%.1f", c->latest_mean)));
		json_object_set_new(o, "change_text", json_string(c->cannot || !isfinite(c->ci_lo)
			? arena_printf(r->arena, "%+.1f (uncertainty cannot be computed)", c->mean_change)
			: arena_printf(r->arena, "%+.1f (%+.1f to %+.1f)", c->mean_change, c->ci_lo, c->ci_hi)));
	}
	return o;
}

static json_t *scales_json(wreq *r, const struct outcome_scale *s, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *rows = json_array();
		for (size_t k = 0; k < s[i].n_rows; k++)
			json_array_append_new(rows, change_json(r, &s[i].rows[k]));
		const struct instrument_scale *sc = &s[i].in->scales[s[i].scale];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:b}",
			"instrument_id", s[i].in->id, "instrument_name", s[i].in->name,
			"scale_id", sc->id, "scale_name", sc->name, "higher_is_better", sc->higher_is_better,
			"all", change_json(r, &s[i].all), "rows", rows, "has_rows", s[i].n_rows > 0));
	}
	return list;
}

static json_t *group_figures_json(wreq *r, const struct outcome_group *g)
{
	return json_pack("{s:I, s:o, s:b, s:s, s:o}", "threshold", (json_int_t)g->threshold,
		"participants", count_or_null(g->participants, g->participants_hidden),
		"participants_hidden", g->participants_hidden,
		"participants_text", g->participants_hidden ? "fewer than the threshold"
							    : arena_printf(r->arena, "%ld", g->participants),
		"scales", scales_json(r, g->scales, g->n_scales));
}

static json_t *sharers_json(wreq *r, int64_t gid, const struct checkin_sharer *s, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_person(s[i].person_id, s[i].display_name,
			json_pack("{s:s}", "path", group_path(r, gid, arena_printf(r->arena,
				"/check-ins/people/%lld", (long long)s[i].person_id)))));
	return list;
}

static int group_checkins_show(wreq *r)
{
	int64_t gid;
	const char *name;
	struct standing st;
	struct consent c;
	struct checkin_offering *offers;
	struct checkin_due *due;
	size_t no, nd;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (load_group(r, &gid, &name, &st))
		return 0;
	if (membership_require_member(&st, &e) ||
	    consent_get(r->db, r->user.person_id, &c, &e) ||
	    checkin_offerings(r->db, r->arena, gid, &offers, &no, &e) ||
	    checkin_due_for_person(r->db, r->arena, r->user.person_id, time_now_ms(), &due, &nd, &e))
		return web_fail(r, &e);
	json_t *model = json_pack("{s:{s:o, s:s, s:s}, s:{s:b, s:b}, s:o, s:o}",
		"group", "id", json_id(gid), "name", name, "path", group_path(r, gid, NULL),
		"viewer", "can_manage", st.can_manage, "is_member", st.is_member,
		"consent", consent_json(&c), "offerings", offerings_json(r, gid, offers, no, due, nd));
	if (st.can_manage) {
		struct outcome_group g;
		struct checkin_sharer *sh;
		size_t ns;
		if (outcome_for_group(r->db, r->arena, &st, &g, &e) ||
		    checkin_list_sharers(r->db, r->arena, &st, &sh, &ns, &e)) {
			json_decref(model);
			return web_fail(r, &e);
		}
		json_object_set_new(model, "figures", group_figures_json(r, &g));
		json_object_set_new(model, "sharers", sharers_json(r, gid, sh, ns));
		if (!r->want_json)
			json_object_set_new(model, "has_sharers", json_boolean(ns > 0));
	}
	if (!r->want_json) {
		json_object_set_new(model, "has_offerings", json_boolean(no > 0));
		json_object_set_new(model, "can_answer", json_boolean(st.is_member && c.take_part));
	}
	return web_page(r, 200, "checkins_group", arena_printf(r->arena, "Check-ins: %s", name), model);
}

/* ---- offering settings ------------------------------------------------------------ */

#define SETTINGS_MEETINGS 6

/* The group's next meetings, each saying whether offering o is asked at it. */
static json_t *meeting_choices_json(wreq *r, const struct checkin_offering *o,
				    const struct meeting_summary *m, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; o && i < n; i++) {
		bool chosen = false;
		for (size_t k = 0; k < o->n_meetings; k++)
			chosen |= o->meeting_ids[k] == m[i].id;
		json_array_append_new(list, json_pack("{s:o, s:o, s:b}", "meeting_id", json_id(m[i].id),
			"starts_text", json_time_text(m[i].starts_at), "chosen", chosen));
	}
	return list;
}

static json_t *settings_model(wreq *r, int64_t gid, const char *name, herr *e)
{
	struct checkin_offering *offers;
	struct meeting_summary *next;
	size_t no, ni, nm;
	if (checkin_offerings(r->db, r->arena, gid, &offers, &no, e) ||
	    meeting_list_upcoming(r->db, r->arena, gid, time_now_ms(), SETTINGS_MEETINGS, &next, &nm, e))
		return NULL;
	const struct instrument *const *all = instrument_all(&ni);
	json_t *list = json_array();
	for (size_t i = 0; i < ni; i++) {
		const struct checkin_offering *o = NULL;
		for (size_t k = 0; k < no; k++)
			if (offers[k].in == all[i])
				o = &offers[k];
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:b, s:b, s:i, s:s, s:s, s:s}",
			"id", all[i]->id, "name", all[i]->name, "validated", all[i]->validated,
			"offered", o != NULL, "at_joining", o ? o->at_joining : true,
			"every_weeks", o ? o->every_weeks : 0,
			"schedule_text", o ? schedule_text(r, o) : "Not offered.",
			"licence", all[i]->licence ? all[i]->licence : "",
			"citation", all[i]->citation ? all[i]->citation : ""));
		json_object_set_new(json_array_get(list, i), "meetings", meeting_choices_json(r, o, next, nm));
		json_object_set_new(json_array_get(list, i), "has_meetings", json_boolean(o && nm));
	}
	return json_pack("{s:{s:o, s:s, s:s}, s:o, s:o}", "group", "id", json_id(gid), "name", name,
		"path", group_path(r, gid, NULL), "instruments", list,
		"offerings", offerings_json(r, gid, offers, no, NULL, 0));
}

static int checkin_settings_show(wreq *r)
{
	static const char *const notices[] = { "saved", "The group's check-ins are saved.",
					       "removed", "The group no longer offers that check-in.", NULL };
	int64_t gid;
	const char *name;
	struct standing st;
	herr e;
	herr_clear(&e);
	if (load_group(r, &gid, &name, &st))
		return 0;
	json_t *model = NULL;
	if (!st.can_manage)
		return web_error(r, ERR_DENIED, "Only the group's facilitators and the network's "
						"coordinators choose its check-ins.");
	if (!(model = settings_model(r, gid, name, &e)))
		return web_fail(r, &e);
	add_notice(r, model, notices);
	return web_page(r, 200, "checkin_settings", "Check-ins the group offers", model);
}

static int settings_fail(wreq *r, int64_t gid, const char *name, const herr *e)
{
	herr e2;
	herr_clear(&e2);
	json_t *model = r->want_json || e->code == ERR_DENIED ? NULL : settings_model(r, gid, name, &e2);
	if (!model)
		return web_fail(r, e);
	return web_form_fail(r, "checkin_settings", "Check-ins the group offers", model, e);
}

/* The start every offering change shares: the group (answered with an
 * error itself when there is none: ret_answered), a manager of it, only
 * the given fields, and the questionnaire named in "instrument". */
static int read_offering_post(wreq *r, const char *const fields[], int64_t *gid, const char **name,
			      struct standing *st, const char **iid, bool *ret_answered, herr *e)
{
	*ret_answered = load_group(r, gid, name, st) != 0;
	if (*ret_answered)
		return ERR_NOTFOUND;
	int rc = membership_require_manager(st, e);
	if (!rc) rc = form_only_fields(r, fields, e);
	if (!rc) rc = form_text(r, "instrument", "the questionnaire", FIELD_REQUIRED, INSTRUMENT_ID_MAX, iid, e);
	return rc;
}

static int checkin_settings_submit(wreq *r)
{
	static const char *const fields[] = { "instrument", "at_joining", "every_weeks", NULL };
	int64_t gid;
	const char *name, *iid = NULL;
	struct standing st;
	bool at_joining = false, answered;
	int every = 0;
	herr e;
	herr_clear(&e);
	int rc = read_offering_post(r, fields, &gid, &name, &st, &iid, &answered, &e);
	if (answered)
		return 0;
	if (!rc) rc = read_yes_no(r, "at_joining", &at_joining, &e);
	if (!rc) rc = form_int(r, "every_weeks", "the weeks between check-ins", 0, CHECKIN_MAX_EVERY_WEEKS, 0,
			       &every, &e);
	if (!rc) rc = checkin_offering_set(r->db, &st, iid, at_joining, every, &e);
	if (rc)
		return settings_fail(r, gid, name, &e);
	return web_redirect(r, group_path(r, gid, "/check-in-settings?saved=1"), 200,
			    json_pack("{s:{s:s, s:b, s:i}}", "offering", "instrument_id", iid,
				      "at_joining", at_joining, "every_weeks", every));
}

static int checkin_settings_remove(wreq *r)
{
	static const char *const fields[] = { "instrument", NULL };
	int64_t gid;
	const char *name, *iid = NULL;
	struct standing st;
	bool answered;
	herr e;
	herr_clear(&e);
	int rc = read_offering_post(r, fields, &gid, &name, &st, &iid, &answered, &e);
	if (answered)
		return 0;
	if (!rc) rc = checkin_offering_remove(r->db, &st, iid, &e);
	if (rc)
		return settings_fail(r, gid, name, &e);
	return web_redirect(r, group_path(r, gid, "/check-in-settings?removed=1"), 200, NULL);
}

static int checkin_settings_meeting(wreq *r)
{
	static const char *const fields[] = { "instrument", "meeting_id", "chosen", NULL };
	int64_t gid, mid = 0;
	const char *name, *iid = NULL, *mtext = NULL;
	struct standing st;
	bool chosen = false, answered;
	herr e;
	herr_clear(&e);
	int rc = read_offering_post(r, fields, &gid, &name, &st, &iid, &answered, &e);
	if (answered)
		return 0;
	if (!rc) rc = form_text(r, "meeting_id", "the meeting", FIELD_REQUIRED, 24, &mtext, &e);
	if (!rc && !id_parse(mtext, &mid))
		rc = herr_set(&e, ERR_INVALID, "meeting_id", "Choose one of this group's meetings.");
	if (!rc) rc = read_yes_no(r, "chosen", &chosen, &e);
	if (!rc) rc = checkin_offering_choose_meeting(r->db, &st, iid, mid, chosen, &e);
	if (rc)
		return settings_fail(r, gid, name, &e);
	return web_redirect(r, group_path(r, gid, "/check-in-settings?saved=1"), 200, NULL);
}

/* ---- answers a member chose to share ------------------------------------------------- */

static int shared_checkins_show(wreq *r)
{
	int64_t gid, pid;
	const char *name;
	struct standing st;
	struct actor actor = web_actor(r);
	struct checkin_record *recs;
	size_t n;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (load_group(r, &gid, &name, &st) || web_param_id(r, "person_id", &pid))
		return 0;
	if (checkin_read_shared(r->db, r->arena, &st, &actor, pid, &recs, &n, &e))
		return web_fail(r, &e);
	struct checkin_sharer *sh;
	size_t ns;
	const char *who = "A member";
	if (!checkin_list_sharers(r->db, r->arena, &st, &sh, &ns, &e))
		for (size_t i = 0; i < ns; i++)
			if (sh[i].person_id == pid)
				who = sh[i].display_name;
	json_t *model = json_pack("{s:{s:o, s:s, s:s}, s:o, s:o}",
		"group", "id", json_id(gid), "name", name, "path", group_path(r, gid, NULL),
		"person", json_person(pid, who, NULL), "instruments", history_json(r, recs, n));
	return web_page(r, 200, "checkins_shared", arena_printf(r->arena, "Check-ins %s shared", who), model);
}

/* ---- the network's figures ------------------------------------------------------------ */

static json_t *network_model(wreq *r, enum outcome_split split, herr *e)
{
	struct actor actor = web_actor(r);
	struct outcome_network n;
	if (outcome_for_network(r->db, r->arena, &actor, split, &n, e))
		return NULL;
	return json_pack("{s:s, s:I, s:o, s:b, s:s, s:o, s:b, s:b, s:{s:I}}",
		"by", split == OUTCOME_BY_TAG ? "tag" : "period", "threshold", (json_int_t)n.threshold,
		"participants", count_or_null(n.participants, n.participants_hidden),
		"participants_hidden", n.participants_hidden,
		"participants_text", n.participants_hidden ? "fewer than the threshold"
							   : arena_printf(r->arena, "%ld", n.participants),
		"scales", scales_json(r, n.scales, n.n_scales),
		"by_tag", split == OUTCOME_BY_TAG, "by_period", split == OUTCOME_BY_PERIOD,
		"form", "threshold", (json_int_t)n.threshold);
}

static int network_outcomes_show(wreq *r)
{
	static const char *const notices[] = { "saved", "The threshold is saved.", NULL };
	const char *by = query_param(r, "by");
	herr e;
	herr_clear(&e);
	if (by && strcmp(by, "tag") && strcmp(by, "period"))
		return web_error(r, ERR_INVALID, "Show the figures by \"tag\" or by \"period\".");
	json_t *model = network_model(r, by && !strcmp(by, "period") ? OUTCOME_BY_PERIOD : OUTCOME_BY_TAG, &e);
	if (!model)
		return web_fail(r, &e);
	add_notice(r, model, notices);
	return web_page(r, 200, "outcomes_network", "The network's check-in figures", model);
}

static int network_outcomes_submit(wreq *r)
{
	static const char *const fields[] = { "threshold", NULL };
	struct actor actor = web_actor(r);
	int threshold = 0;
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, fields, &e);
	if (!rc) rc = form_int(r, "threshold", "the threshold", 0, 1000000, -1, &threshold, &e);
	if (!rc && threshold < 0)
		rc = herr_set(&e, ERR_INVALID, "threshold", "Enter the threshold.");
	if (!rc) rc = outcome_set_threshold(r->db, &actor, threshold, &e);
	if (rc) {
		herr e2;
		herr_clear(&e2);
		json_t *model = r->want_json ? NULL : network_model(r, OUTCOME_BY_TAG, &e2);
		return model ? web_form_fail(r, "outcomes_network", "The network's check-in figures", model, &e)
			     : web_fail(r, &e);
	}
	return web_redirect(r, "/network/outcomes?saved=1", 200,
			    json_pack("{s:I}", "threshold", (json_int_t)threshold));
}

/* ---- routes ------------------------------------------------------------------------ */

static const struct web_doc my_checkins_doc = {
	.summary = "Your check-ins: your choices, what is due, your scores over time and who read your answers",
	.response = "consent!:object due!:object[] instruments!:object[] access_log!:object[]",
};
static const struct web_doc consent_show_doc = {
	.summary = "Your check-in choices: whether you take part and for which purposes",
	.response = "consent!:object form!:object",
};
static const struct web_doc consent_submit_doc = {
	.summary = "Choose or change whether you take part in check-ins and for which purposes",
	.description = "Purposes beyond taking part need take_part. Any signed-in person, about themselves only.",
	.request = "take_part!:boolean group_learning:boolean network_reports:boolean share_with_facilitator:boolean",
	.response = "consent!:object",
};
static const struct web_doc consent_withdraw_doc = {
	.summary = "Withdraw from check-ins: no more asks, and your answers leave every group and network figure",
	.response = "consent!:object", .errors = "409",
};
static const struct web_doc group_checkins_doc = {
	.summary = "A group's check-ins: what it offers and what is due for you; for its facilitators, its figures under disclosure control",
	.response = "group!:object viewer!:object consent!:object offerings!:object[] figures:object sharers:object[]",
};
static const struct web_doc checkin_form_doc = {
	.summary = "A check-in's questions, with your half-done answers if any",
	.description = "Members who take part, for an instrument their group offers.",
	.response = "group!:object instrument!:object items!:object[] open_checkin_id!:id? action!:string",
	.errors = "409",
};
static const struct web_doc checkin_submit_doc = {
	.summary = "Answer a check-in: finish it, save it half-done, or skip it",
	.description = "One field per item id with the chosen option's value, and action (finish, save, "
		       "skip). Without consent 409; an instrument the group does not offer 422 (instrument); an "
		       "answer outside the options 422 naming the item. Nothing is stored on refusal.",
	.request = "{'type':'object','properties':{'action':{'enum':['finish','save','skip']}},"
		   "'additionalProperties':{'type':['integer','string','null']}}",
	.response = "checkin!:object", .errors = "409",
};
static const struct web_doc checkin_settings_doc = {
	.summary = "The check-ins a group offers and when (for its facilitators and coordinators)",
	.response = "group!:object instruments!:object[] offerings!:object[]",
};
static const struct web_doc checkin_settings_submit_doc = {
	.summary = "Offer a check-in in a group, or change when it is asked",
	.request = "instrument!:string at_joining:boolean every_weeks:integer", .response = "offering!:object",
};
static const struct web_doc checkin_settings_remove_doc = {
	.summary = "Stop offering a check-in in a group (answers already given stay)",
	.request = "instrument!:string", .response = "ok!:boolean",
};
static const struct web_doc checkin_settings_meeting_doc = {
	.summary = "Ask an offered check-in at one of the group's meetings, or no longer",
	.request = "instrument!:string meeting_id!:id chosen:boolean", .response = "ok!:boolean",
};
static const struct web_doc shared_checkins_doc = {
	.summary = "A member's check-ins, when they chose to share them with the group's facilitators",
	.description = "Every read is written to the access log (who, whose, when, why); the member sees it.",
	.response = "group!:object person!:object instruments!:object[]",
};
static const struct web_doc network_outcomes_doc = {
	.summary = "The network's check-in figures by group tag or by period, under disclosure control",
	.query = "by:tag|period",
	.response = "by!:string threshold!:integer participants!:integer? participants_hidden!:boolean scales!:object[]",
};
static const struct web_doc network_outcomes_submit_doc = {
	.summary = "Change the disclosure threshold: the fewest people any figure shown may come from",
	.request = "threshold!:integer", .response = "threshold!:integer",
};

const struct web_route checkin_routes[] = {
	{ M_GET, "/me/check-ins", my_checkins_show, ACCESS_SIGNED_IN, &my_checkins_doc },
	{ M_GET, "/me/check-ins/consent", consent_show, ACCESS_SIGNED_IN, &consent_show_doc },
	{ M_POST, "/me/check-ins/consent", consent_submit, ACCESS_SIGNED_IN, &consent_submit_doc },
	{ M_POST, "/me/check-ins/withdraw", consent_withdraw_submit, ACCESS_SIGNED_IN, &consent_withdraw_doc },
	{ M_GET, "/groups/{id}/check-ins", group_checkins_show, ACCESS_SIGNED_IN, &group_checkins_doc },
	{ M_GET, "/groups/{id}/check-in-settings", checkin_settings_show, ACCESS_SIGNED_IN, &checkin_settings_doc },
	{ M_POST, "/groups/{id}/check-in-settings", checkin_settings_submit, ACCESS_SIGNED_IN, &checkin_settings_submit_doc },
	{ M_POST, "/groups/{id}/check-in-settings/remove", checkin_settings_remove, ACCESS_SIGNED_IN, &checkin_settings_remove_doc },
	{ M_POST, "/groups/{id}/check-in-settings/meetings", checkin_settings_meeting, ACCESS_SIGNED_IN, &checkin_settings_meeting_doc },
	{ M_GET, "/groups/{id}/check-ins/people/{person_id}", shared_checkins_show, ACCESS_SIGNED_IN, &shared_checkins_doc },
	{ M_GET, "/groups/{id}/check-ins/{instrument}", checkin_form_show, ACCESS_SIGNED_IN, &checkin_form_doc },
	{ M_POST, "/groups/{id}/check-ins/{instrument}", checkin_form_submit, ACCESS_SIGNED_IN, &checkin_submit_doc },
	{ M_GET, "/network/outcomes", network_outcomes_show, ACCESS_COORDINATOR, &network_outcomes_doc },
	{ M_POST, "/network/outcomes", network_outcomes_submit, ACCESS_COORDINATOR, &network_outcomes_submit_doc },
	{ 0 }
};
