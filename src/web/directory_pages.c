/* directory_pages.c - the group directory: finding groups by words, tag,
 * day, format, distance and status, sorted and paged, as a page with a
 * GET search form (works without JavaScript) or as JSON. */
#include "directory_pages.h"
#include "form.h"
#include "view.h"

#include "../app/group.h"
#include "../app/network.h"
#include "../app/tag.h"
#include "../base/buf.h"
#include "../base/ids.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Groups whose next meeting has passed, brought up to date per request. */
#define DIRECTORY_REFRESH_PER_REQUEST 16

/* The values of a query parameter that may be repeated (arena). */
static void query_values(wreq *r, const char *name, const char *const **ret, size_t *ret_n)
{
	json_t *v = r->query ? json_object_get(r->query, name) : NULL;
	*ret = NULL;
	*ret_n = 0;
	if (json_is_string(v)) {
		const char **one = arena_alloc(r->arena, sizeof *one);
		if (one) {
			one[0] = json_string_value(v);
			*ret = one;
			*ret_n = 1;
		}
	} else if (json_is_array(v)) {
		size_t n = json_array_size(v), k = 0;
		const char **list = arena_alloc(r->arena, (n + 1) * sizeof *list);
		for (size_t i = 0; list && i < n; i++)
			if (json_is_string(json_array_get(v, i)))
				list[k++] = json_string_value(json_array_get(v, i));
		*ret = list;
		*ret_n = list ? k : 0;
	}
}

/* A query parameter given once; a repeated one reads as its last value. */
static const char *query_one(wreq *r, const char *name)
{
	const char *const *list;
	size_t n;
	query_values(r, name, &list, &n);
	return n ? list[n - 1] : NULL;
}

static void read_question(wreq *r, struct group_query_text *in)
{
	memset(in, 0, sizeof *in);
	in->q = query_one(r, "q");
	query_values(r, "tag", &in->tags, &in->n_tags);
	query_values(r, "day", &in->days, &in->n_days);
	query_values(r, "format", &in->formats, &in->n_formats);
	query_values(r, "status", &in->statuses, &in->n_statuses);
	in->near = query_one(r, "near");
	in->radius_km = query_one(r, "radius_km");
	in->sort = query_one(r, "sort");
	in->page = query_one(r, "page");
}

/* ---- links to other pages of results ------------------------------------- */

/* "/groups?<the same question>&page=N" (arena). */
static const char *page_url(wreq *r, int page)
{
	static const char *const keys[] = { "q", "tag", "day", "format", "status", "near",
					     "radius_km", "sort", NULL };
	buf b = BUF_INIT;
	buf_puts(&b, "/groups?");
	for (size_t k = 0; keys[k]; k++) {
		const char *const *list;
		size_t n;
		query_values(r, keys[k], &list, &n);
		for (size_t i = 0; i < n; i++) {
			if (!list[i][0])
				continue;
			buf_printf(&b, "%s=", keys[k]);
			web_put_query_value(&b, list[i]);
			buf_putc(&b, '&');
		}
	}
	buf_printf(&b, "page=%d", page);
	const char *url = b.oom ? NULL : arena_strdup(r->arena, b.data);
	buf_free(&b);
	return url;
}

/* ---- the model -------------------------------------------------------------- */

/* Where a group meets, in words: its venue, "Online", or both. */
/* An address typed on several lines, as one line: "12 Mill Lane, Riverside". */
static const char *one_line(arena *a, const char *text)
{
	if (!text || !strpbrk(text, "\r\n"))
		return text;
	buf b = BUF_INIT;
	for (const char *p = text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			while (b.len && b.data[b.len - 1] == ' ')
				b.len--;
			if (b.len && b.data[b.len - 1] != ',')
				buf_putc(&b, ',');
			buf_putc(&b, ' ');
			while (p[1] == ' ' || p[1] == '\r' || p[1] == '\n')
				p++;
		} else
			buf_putc(&b, *p);
	}
	const char *out = b.oom ? text : arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return out;
}

static const char *place_text(wreq *r, const struct group_hit *h)
{
	if (!strcmp(h->format, "online"))
		return "Online";
	const char *address = one_line(r->arena, h->venue_address);
	const char *venue = h->venue_name ? h->venue_name : address;
	if (h->venue_name && address)
		venue = arena_printf(r->arena, "%s, %s", h->venue_name, address);
	if (!venue)
		venue = "Venue to be confirmed";
	return !strcmp(h->format, "hybrid") ? arena_printf(r->arena, "%s, and online", venue) : venue;
}

static json_t *hit_json(wreq *r, const struct group_hit *h, const char *zone, int64_t now)
{
	int64_t next = h->next_meeting_at >= now ? h->next_meeting_at : 0;
	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o}",
		"id", json_id(h->id),
		"name", h->name,
		"url", arena_printf(r->arena, "/groups/%lld", (long long)h->id),
		"purpose", group_short_purpose(r->arena, h->purpose),
		"format", h->format,
		"format_text", group_format_text(h->format),
		"online_only", !strcmp(h->format, "online"),
		"place", place_text(r, h),
		"status", h->status,
		"status_text", group_status_text(h->status),
		"paused", !strcmp(h->status, "paused"),
		"forming", !strcmp(h->status, "forming"),
		"access", json_string(h->access),
		"tags", json_tags(h->tags, h->n_tags),
		"next_meeting_at", json_time(next),
		"next_meeting_text", json_local_time(zone, next, "%a %-d %b %Y, %H:%M"));
	json_object_set_new(o, "has_tags", json_boolean(h->n_tags > 0));
	if (h->has_distance) {
		double km = round(h->distance_km * 10) / 10;
		json_object_set_new(o, "distance_km", json_real(km));
		json_object_set_new(o, "distance_text", json_string(arena_printf(r->arena,
			km < 1 ? "under 1 km away" : "%.1f km away", km)));
	}
	return o;
}

static const char *sort_name(enum group_sort s)
{
	switch (s) {
	case GROUP_SORT_NAME: return "name";
	case GROUP_SORT_RELEVANCE: return "relevance";
	case GROUP_SORT_DISTANCE: return "distance";
	default: return "next";
	}
}

/* The question as understood, for the JSON face and the form. */
static json_t *question_json(const struct group_query *q)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	static const char *const formats[] = { "in_person", "online", "hybrid" };
	static const char *const statuses[] = { "forming", "active", "paused" };
	json_t *tags = json_array(), *d = json_array(), *f = json_array(), *s = json_array();
	for (size_t i = 0; i < q->n_tags; i++)
		json_array_append_new(tags, json_string(q->tags[i]));
	for (int i = 0; i < 7; i++)
		if (q->days & (1 << i))
			json_array_append_new(d, json_string(days[i]));
	for (int i = 0; i < 3; i++) {
		if (q->formats & (1 << i))
			json_array_append_new(f, json_string(formats[i]));
		if (q->statuses & (1 << i))
			json_array_append_new(s, json_string(statuses[i]));
	}
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:i}",
		"q", json_str_or_null(q->text), "tags", tags, "days", d, "formats", f,
		"statuses", s, "sort", sort_name(q->sort), "page", q->page);
	if (q->near) {
		json_object_set_new(o, "near", json_pack("{s:f, s:f}", "latitude", q->latitude,
							 "longitude", q->longitude));
		json_object_set_new(o, "radius_km", json_real(q->radius_km));
	} else {
		json_object_set_new(o, "near", json_null());
		json_object_set_new(o, "radius_km", json_null());
	}
	return o;
}

/* True when value is among the (comma-split) values of parameter name. */
static bool query_has(wreq *r, const char *name, const char *value)
{
	const char *const *list;
	size_t n;
	query_values(r, name, &list, &n);
	for (size_t i = 0; i < n; i++) {
		const char *p = list[i];
		size_t len = strlen(value);
		while (*p) {
			while (*p == ' ')
				p++;
			size_t item = strcspn(p, ",");
			size_t trimmed = item;
			while (trimmed && p[trimmed - 1] == ' ')
				trimmed--;
			if (trimmed == len && !strncmp(p, value, len))
				return true;
			p += item;
			if (*p == ',')
				p++;
		}
	}
	return false;
}

static json_t *options(wreq *r, const char *param, const char *const values[],
		       const char *const labels[], size_t n, int default_bits)
{
	const char *const *given;
	size_t n_given;
	query_values(r, param, &given, &n_given);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}",
			"value", values[i], "label", labels[i],
			"id", arena_printf(r->arena, "%s-%s", param, values[i]),
			"checked", n_given ? query_has(r, param, values[i]) : (default_bits >> i) & 1));
	return list;
}

/* What the search form needs to show the choices and what was chosen;
 * HTML only (the JSON face carries the question as understood). */
static json_t *form_json(wreq *r)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	static const char *const day_labels[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
						  "Friday", "Saturday", "Sunday" };
	static const char *const formats[] = { "in_person", "online", "hybrid" };
	static const char *const format_labels[] = { "In person", "Online", "Hybrid (both)" };
	static const char *const statuses[] = { "forming", "active", "paused" };
	static const char *const status_labels[] = { "Starting soon", "Meeting regularly",
						     "Paused (taking a break)" };
	static const char *const sorts[] = { "", "next", "name", "relevance", "distance" };
	static const char *const sort_labels[] = { "Best for my search", "Next meeting first",
		"Name, A to Z", "Best match for my words", "Nearest first" };
	const char *sort = query_one(r, "sort");
	json_t *sort_list = json_array();
	for (size_t i = 0; i < 5; i++)
		json_array_append_new(sort_list, json_pack("{s:s, s:s, s:b}", "value", sorts[i],
			"label", sort_labels[i], "selected", !strcmp(sort ? sort : "", sorts[i])));
	struct tag *tags = NULL;
	size_t n_tags = 0;
	herr e;
	herr_clear(&e);
	json_t *tag_items = json_array();
	if (tag_list_names(r->db, r->arena, &tags, &n_tags, &e) == 0)
		for (size_t i = 0; i < n_tags; i++)
			json_array_append_new(tag_items, json_pack("{s:s, s:s, s:s, s:b}",
				"value", tags[i].slug, "label", tags[i].name,
				"id", arena_printf(r->arena, "tag-%lld", (long long)tags[i].id),
				"checked", query_has(r, "tag", tags[i].slug)));
	const char *q = query_one(r, "q"), *near = query_one(r, "near");
	const char *radius = query_one(r, "radius_km");
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o}",
		"q", q ? q : "", "near", near ? near : "", "radius_km", radius ? radius : "",
		"days", options(r, "day", days, day_labels, 7, 0),
		"formats", options(r, "format", formats, format_labels, 3, 0),
		"statuses", options(r, "status", statuses, status_labels, 3, 3),
		"has_tags", n_tags > 0,
		"tags", tag_items,
		"sorts", sort_list);
}

static json_t *base_model(wreq *r, bool front_page)
{
	const char *network = r->site && r->site->network_name ? r->site->network_name : "Hearth";
	json_t *model = json_pack("{s:b, s:s}", "front_page", front_page, "network_name", network);
	if (front_page && query_param(r, "logged_out") && !r->want_json)
		json_object_set_new(model, "notice", json_string("You have logged out."));
	if (!r->want_json)
		json_object_set_new(model, "search", form_json(r));
	return model;
}

static const char *title_of(wreq *r, bool front_page)
{
	if (!front_page)
		return "Find a group";
	return r->site && r->site->network_name ? r->site->network_name : "Hearth";
}

int directory_respond(wreq *r, bool front_page)
{
	struct group_query_text in;
	struct group_query q;
	struct group_results res;
	herr e;
	herr_clear(&e);
	read_question(r, &in);
	/* Best effort: a failure here leaves a stale "next meeting" shown,
	 * never a failed search. */
	herr ignored;
	herr_clear(&ignored);
	group_refresh_next_meetings(r->db, DIRECTORY_REFRESH_PER_REQUEST, &ignored);
	int rc = group_query_parse(r->arena, &in, &q, &e);
	if (!rc)
		rc = group_search(r->db, r->arena, &q, &res, &e);
	json_t *model = base_model(r, front_page);
	if (rc) {
		json_object_set_new(model, "groups", json_array());
		return web_form_fail(r, "directory", title_of(r, front_page), model, &e);
	}
	const char *zone = network_time_zone(r->db, r->arena);
	int64_t now = time_now_ms();
	json_t *groups = json_array();
	for (size_t i = 0; i < res.n; i++)
		if (res.hits[i].id && res.hits[i].name)   /* not removed meanwhile */
			json_array_append_new(groups, hit_json(r, &res.hits[i], zone, now));
	json_object_set_new(model, "groups", groups);
	json_object_set_new(model, "query", question_json(&q));
	json_object_set_new(model, "total", json_integer(res.total));
	json_object_set_new(model, "page", json_integer(res.page));
	json_object_set_new(model, "pages", json_integer(res.pages));
	json_object_set_new(model, "per_page", json_integer(GROUP_PAGE_SIZE));
	json_object_set_new(model, "prev_url", res.page > 1 && res.page <= res.pages + 1
		? json_string(page_url(r, res.page > res.pages ? res.pages : res.page - 1)) : json_null());
	json_object_set_new(model, "next_url", res.page < res.pages
		? json_string(page_url(r, res.page + 1)) : json_null());
	json_object_set_new(model, "time_zone", json_string(zone));
	if (!r->want_json) {
		json_object_set_new(model, "total_text", json_string(res.total == 1 ? "1 group"
			: arena_printf(r->arena, "%lld groups", (long long)res.total)));
		json_object_set_new(model, "beyond_last_page", json_boolean(res.page > res.pages));
		json_object_set_new(model, "several_pages", json_boolean(res.pages > 1));
		json_object_set_new(model, "has_groups", json_boolean(res.n > 0));
	}
	return web_page(r, 200, "directory", title_of(r, front_page), model);
}

static int directory_show(wreq *r)
{
	return directory_respond(r, false);
}

/* What the API description says about this route (http/openapi.c). */
static const struct web_doc directory_doc = {
	.summary = "Find groups by words, tag, day, format, status and distance",
	.description = "day is mon to sun, format in_person, online or hybrid, status "
		       "forming, active or paused; each may repeat or be a comma list. near is "
		       "\"latitude,longitude\" with radius_km (default 10). Results are paged, "
		       "20 a page, each with its next meeting.",
	.tag = "Directory",
	.query = "q:string tag:string[] day:string[] format:string[] status:string[] "
		 "near:string radius_km:number sort:relevance|distance|next|name page:integer",
	.response = "groups!:object[] total!:integer page!:integer pages!:integer "
		    "per_page!:integer prev_url:string? next_url:string? query:object",
};

const struct web_route directory_routes[] = {
	{ M_GET, "/groups", directory_show, ACCESS_PUBLIC, &directory_doc,
	  .same_for_visitors = true },
	{ 0 }
};
