/* view.c - one handler, two faces: a view model rendered as an HTML page
 * inside the shared layout, or returned as JSON; and the view-model pieces
 * pages share (see view.h). */
#include "view.h"

#include "form.h"

#include "../base/embedded.h"
#include "../base/ids.h"
#include "../app/membership.h"
#include "../app/network.h"
#include "../app/schedule.h"
#include "../app/tag.h"
#include "../render/markdown.h"
#include "../render/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static tmpl_set *templates;

int view_init(herr *e)
{
	templates = tmpl_set_new();
	if (!templates)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (const struct embedded_file *f = hearth_templates; f->name; f++) {
		char name[64];
		snprintf(name, sizeof name, "%s", f->name);
		char *dot = strrchr(name, '.');
		if (dot)
			*dot = '\0';
		int rc = tmpl_set_add(templates, name, (const char *)f->data, f->len, e);
		if (rc)
			return rc;
	}
	return 0;
}

void view_free(void)
{
	tmpl_set_free(templates);
	templates = NULL;
}

void web_add_notice(wreq *r, json_t *model, const struct web_notice notices[])
{
	if (r->want_json)
		return;
	for (size_t i = 0; notices[i].param; i++)
		if (query_param(r, notices[i].param)) {
			json_object_set_new(model, "notice", json_string(notices[i].text));
			return;
		}
}

int web_member_group(wreq *r, struct standing *st, struct group_door *g)
{
	int64_t id;
	herr e;
	herr_clear(&e);
	if (web_param_id(r, "id", &id))
		return ERR_NOTFOUND;
	struct actor me = web_actor(r);
	int rc = membership_standing(r->db, id, &me, st, &e);
	if (!rc)
		rc = membership_group_door(r->db, r->arena, id, g, &e);
	if (!rc)
		rc = membership_require_member(st, &e);
	if (rc)
		web_fail(r, &e);
	return rc;
}

json_t *json_id(int64_t id)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)id);
	return json_string(s);
}

json_t *json_time(int64_t ms)
{
	if (ms <= 0)
		return json_null();
	char s[32];
	time_format_iso(ms, s);
	return json_string(s);
}

static __thread wreq *current_request;

void view_begin_request(wreq *r)
{
	current_request = r;
}

void view_end_request(void)
{
	current_request = NULL;
}

json_t *json_time_text(int64_t ms)
{
	if (ms <= 0)
		return json_null();
	wreq *r = current_request;
	const char *zone = network_default_zone();
	if (r && r->db) {
		if (!r->time_zone)
			r->time_zone = network_time_zone(r->db, r->arena);
		zone = r->time_zone;
	}
	char s[64];
	if (schedule_format_local(ms, zone, "%-d %b %Y, %H:%M", s, sizeof s) != 0)
		return json_null();
	return json_string(s);
}

json_t *json_local_time(const char *zone, int64_t ms, const char *fmt)
{
	char text[80];
	if (ms <= 0)
		return json_null();
	if (schedule_format_local(ms, zone, fmt, text, sizeof text) != 0)
		return json_time_text(ms);
	return json_string(text);
}

json_t *json_group(wreq *r, int64_t group_id, const char *name)
{
	return json_pack("{s:o, s:s, s:s}", "id", json_id(group_id), "name", name ? name : "",
			 "path", arena_printf(r->arena, "/groups/%lld", (long long)group_id));
}

json_t *json_person(int64_t person_id, const char *display_name, json_t *more)
{
	json_t *o = json_pack("{s:o, s:s}", "person_id", json_id(person_id),
			      "display_name", display_name ? display_name : "");
	if (more)
		json_object_update_new(o, more);
	return o;
}

json_t *json_tags(const struct tag *tags, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:o, s:s, s:s}", "id", json_id(tags[i].id),
			"slug", tags[i].slug ? tags[i].slug : "", "name", tags[i].name ? tags[i].name : ""));
	return list;
}

json_t *json_markdown(const char *md)
{
	if (!md || !*md)
		return json_null();
	buf out = BUF_INIT;
	herr e;
	herr_clear(&e);
	json_t *html = markdown_to_html(md, strlen(md), 3, &out, &e) == 0
		? json_stringn(out.data ? out.data : "", out.len) : json_null();
	buf_free(&out);
	return html;
}

json_t *json_str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *json_org_ref(int64_t id, const char *name, const char *website)
{
	return json_pack("{s:o, s:s, s:o}", "id", json_id(id), "name", name ? name : "",
			 "website", json_str_or_null(website));
}

void web_put_query_value(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == ',')
			buf_putc(b, (char)*p);
		else if (*p == ' ')
			buf_putc(b, '+');
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

const char *web_paged_path(wreq *r, const char *base, int page, const char *find)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s?page=%d", base, page);
	if (find && find[0]) {
		buf_puts(&b, "&find=");
		web_put_query_value(&b, find);
	}
	const char *path = b.oom ? NULL : arena_strdup(r->arena, b.data);
	buf_free(&b);
	return path;
}

void web_add_header(wreq *r, const char *name, const char *value)
{
	if (r->nheaders == WEB_MAX_HEADERS)
		return;
	r->header_names[r->nheaders] = name;
	r->header_values[r->nheaders] = arena_strdup(r->arena, value);
	r->nheaders++;
}

static int answer_json(wreq *r, int status, json_t *body)
{
	r->status = status;
	r->content_type = "application/json";
	buf_reset(&r->out);
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12));
	json_decref(body);
	if (!text)
		return ERR_NOMEM;
	buf_puts(&r->out, text);
	buf_putc(&r->out, '\n');
	free(text);
	return r->out.oom ? ERR_NOMEM : 0;
}

/* The extra keys HTML templates see beside the page's own model. */
static void add_layout_keys(wreq *r, json_t *ctx, const char *title)
{
	const struct web_site *site = r->site;
	if (r->user.person_id)
		json_object_set_new(ctx, "_user", json_pack("{s:s?, s:b, s:b}",
			"display_name", r->user.display_name, "is_admin", r->user.is_admin,
			"is_coordinator", r->user.is_coordinator || r->user.is_admin));
	if (r->csrf_token)
		json_object_set_new(ctx, "_csrf", json_string(r->csrf_token));
	json_t *s = json_pack("{s:s, s:b, s:s}",
		"network_name", site && site->network_name ? site->network_name : "Hearth",
		"open_signup", site ? site->open_signup : false,
		"static_version", site && site->static_version ? site->static_version : "0");
	if (site && site->crisis_lines)
		json_object_set(s, "crisis_lines", site->crisis_lines);
	json_object_set_new(ctx, "_site", s);
	json_object_set_new(ctx, "_title", json_string(title ? title : ""));
}

static int answer_html(wreq *r, int status, const char *tmpl, const char *title, json_t *model)
{
	json_t *ctx = json_object();
	json_object_update(ctx, model);
	json_decref(model);
	add_layout_keys(r, ctx, title);

	herr e;
	herr_clear(&e);
	buf body = BUF_INIT;
	int rc = tmpl_render(templates, tmpl, ctx, &body, &e);
	if (rc == 0) {
		/* The body is the renderer's own output: the model's strings
		 * (jansson checked each as it was made) and the templates' text,
		 * so it is valid UTF-8 already and is not checked again. */
		json_object_set_new(ctx, "_body",
				    json_stringn_nocheck(body.data ? body.data : "", body.len));
		buf_reset(&r->out);
		rc = tmpl_render(templates, "layout", ctx, &r->out, &e);
	}
	buf_free(&body);
	json_decref(ctx);
	if (rc)
		return rc;
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	return r->out.oom ? ERR_NOMEM : 0;
}

int web_page(wreq *r, int status, const char *tmpl, const char *title, json_t *model)
{
	if (!model)
		return ERR_NOMEM;
	if (r->want_json)
		return answer_json(r, status, model);
	return answer_html(r, status, tmpl, title, model);
}

int web_redirect(wreq *r, const char *to, int json_status, json_t *json_model)
{
	if (r->want_json)
		return answer_json(r, json_status, json_model ? json_model : json_pack("{s:b}", "ok", 1));
	json_decref(json_model);
	r->status = 303;
	r->location = arena_strdup(r->arena, to);
	r->content_type = "text/plain; charset=utf-8";
	buf_reset(&r->out);
	buf_puts(&r->out, "See Other\n");
	return 0;
}

static json_t *error_object(const herr *e)
{
	json_t *err = json_pack("{s:s, s:s}", "code", err_name(e->code),
				"message", e->message[0] ? e->message : "Something went wrong.");
	if (e->field)
		json_object_set_new(err, "field", json_string(e->field));
	return err;
}

static void add_retry_after(wreq *r, const herr *e)
{
	if (e->code == ERR_LIMIT && e->retry_after > 0) {
		char s[16];
		snprintf(s, sizeof s, "%d", e->retry_after);
		web_add_header(r, "Retry-After", s);
	}
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Something in the request was not right";
	case 401: return "Please log in";
	case 403: return "You cannot do that here";
	case 404: return "Page not found";
	case 405: return "That action is not available here";
	case 409: return "That clashes with something already there";
	case 413: return "That was too much to send at once";
	case 415: return "That kind of data is not accepted here";
	case 422: return "Please check what you entered";
	case 429: return "Please wait a moment";
	default: return "Something went wrong on our side";
	}
}

int web_fail(wreq *r, const herr *e)
{
	int status = err_http_status(e->code);
	add_retry_after(r, e);
	if (r->want_json)
		return answer_json(r, status, json_pack("{s:o}", "error", error_object(e)));
	json_t *model = json_pack("{s:i, s:s, s:s}", "status", status,
		"heading", status_title(status),
		"message", e->message[0] ? e->message : "Please try again in a moment.");
	return answer_html(r, status, "error", status_title(status), model);
}

int web_error(wreq *r, int code, const char *fmt, ...)
{
	herr e;
	herr_clear(&e);
	e.code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	return web_fail(r, &e);
}

int web_form_fail(wreq *r, const char *tmpl, const char *title, json_t *model, const herr *e)
{
	int status = err_http_status(e->code);
	if (r->want_json || status >= 500) {
		json_decref(model);
		return web_fail(r, e);
	}
	add_retry_after(r, e);
	json_t *item = json_pack("{s:s, s:s}", "field", e->field ? e->field : "",
				 "message", e->message);
	json_object_set_new(model, "errors", json_pack("[o]", item));
	json_object_set_new(model, "has_errors", json_true());
	json_t *fields = json_object();
	if (e->field)
		json_object_set_new(fields, e->field, json_string(e->message));
	json_object_set_new(model, "field_errors", fields);
	return answer_html(r, status, tmpl, title, model);
}
