/* view.h - answering a request: a page, JSON, a redirect or an error.
 *
 * Handlers build a view model (json_t) and pass it here; the model is the
 * page's data and nothing else. For JSON the model is the body. For HTML the
 * model is rendered with templates/<tmpl>.html and placed inside
 * templates/layout.html; the templates also see, beside the model's keys:
 *   _user   {display_name, is_admin} when signed in
 *   _csrf   the token every form carries in a hidden "csrf" field
 *   _site   {network_name, open_signup, crisis_lines[], static_version}
 *   _title  the page title
 * The answering functions take ownership of the model they are given and
 * return 0 (the response is ready), so a handler can end with
 * `return web_page(...)`.
 *
 * Also what many pages build the same way: a notice after a redirect, the
 * group of a members-only page, and view-model pieces (ids, times, people,
 * groups, Markdown, tags). */
#ifndef HEARTH_VIEW_H
#define HEARTH_VIEW_H

#include "web.h"

/* Compiles the templates built into the binary; once, at startup. */
int view_init(herr *e);
void view_free(void);

/* Marks r as the request this thread is answering (for json_time_text);
 * view_end_request() forgets it. */
void view_begin_request(wreq *r);
void view_end_request(void);

int web_page(wreq *r, int status, const char *tmpl, const char *title, json_t *model);
/* HTML: 303 See Other to `to`. JSON: json_model (may be NULL for {"ok":true})
 * with json_status. */
int web_redirect(wreq *r, const char *to, int json_status, json_t *json_model);
/* An error: the status comes from e->code; HTML gets the error page, JSON
 * gets {"error":{"code","message","field"}}. Adds Retry-After on ERR_LIMIT. */
int web_fail(wreq *r, const herr *e);
int web_error(wreq *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A form that did not validate: HTML re-renders tmpl with the model plus
 * "errors" [{field, message}] and "field_errors" {field: message}, at the
 * error's status; JSON gets the error object. */
int web_form_fail(wreq *r, const char *tmpl, const char *title, json_t *model, const herr *e);
void web_add_header(wreq *r, const char *name, const char *value);

/* A page's one-time message after a change redirected to it ("?saved=1"):
 * sets model's "notice" to the text of the first of notices (ending with
 * { NULL, NULL }) whose parameter the query carries. Nothing for JSON. */
struct web_notice {
	const char *param;
	const char *text;
};
void web_add_notice(wreq *r, json_t *model, const struct web_notice notices[]);

/* For pages only a group's members see: the group of the route's {id}
 * (its door) and the actor's standing in it. On failure (no such group, or
 * not a member: 404 or 403) the answer is ready and the code is returned. */
struct standing;
struct group_door;
int web_member_group(wreq *r, struct standing *st, struct group_door *g);

/* JSON helpers for view models: ids as strings (they exceed 2^53), times as
 * ISO 8601 UTC strings. */
json_t *json_id(int64_t id);
json_t *json_time(int64_t ms);
json_t *json_str_or_null(const char *s);
/* An organisation as groups show it: {id, name, website (or null)}. */
json_t *json_org_ref(int64_t id, const char *name, const char *website);
/* Appends s to b as one value of a URL query (form encoding: space as +). */
void web_put_query_value(buf *b, const char *s);
/* base with "?page=N", and "&find=..." when find is not empty (encoded),
 * in the request's arena: the links between pages of a list. */
const char *web_paged_path(wreq *r, const char *base, int page, const char *find);
/* A time for people to read, in the network's time zone: "26 Nov 2026, 13:05"
 * (the zone of the request this thread is answering; see view_begin_request). */
json_t *json_time_text(int64_t ms);
/* A time for people to read in the given zone, in strftime's fmt; null for
 * no time (ms <= 0), json_time_text's form when the zone cannot be used. */
json_t *json_local_time(const char *zone, int64_t ms, const char *fmt);
/* A group as pages link to it: {id, name, path}. */
json_t *json_group(wreq *r, int64_t group_id, const char *name);
/* A person as pages name them, {person_id, display_name}, followed by the
 * keys of more (taken over; may be NULL). */
json_t *json_person(int64_t person_id, const char *display_name, json_t *more);
/* Markdown a person wrote as safe HTML (raw HTML and unsafe links dropped,
 * headings from h3 down, for a page's own sections); null for no text or
 * when it cannot be rendered. */
json_t *json_markdown(const char *md);
/* Tags as [{id, slug, name}]. */
struct tag;
json_t *json_tags(const struct tag *tags, size_t n);

#endif
