/* openapi.c - the OpenAPI 3.1 document of the JSON API, built once from the
 * route tables the router uses and the notes beside each route (see
 * openapi.h), served at /api/v1/openapi.json; and the route list that
 * `hearth routes` prints. */
#include "openapi.h"

#include "http_internal.h"
#include "ops.h"
#include "router.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../web/view.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0"
#endif


/* ---- the routes ------------------------------------------------------ */

const struct web_route *const *openapi_route_tables(void)
{
	return http_route_tables();
}

const char *openapi_access_name(int access)
{
	switch (access) {
	case ACCESS_PUBLIC: return "public";
	case ACCESS_SIGNED_IN: return "signed_in";
	case ACCESS_COORDINATOR: return "coordinator";
	case ACCESS_ADMIN: return "admin";
	default: return "nobody";
	}
}

static const struct { int bit; const char *upper, *lower; } methods[] = {
	{ M_GET, "GET", "get" }, { M_POST, "POST", "post" }, { M_PUT, "PUT", "put" },
	{ M_PATCH, "PATCH", "patch" }, { M_DELETE, "DELETE", "delete" },
};
#define N_METHODS (sizeof methods / sizeof methods[0])

void openapi_print_routes(FILE *out, const struct web_route *const tables[])
{
	for (size_t t = 0; tables[t]; t++)
		for (const struct web_route *r = tables[t]; r->pattern; r++)
			for (size_t m = 0; m < N_METHODS; m++)
				if (r->method & methods[m].bit)
					fprintf(out, "%s %s %s\n", methods[m].upper, r->pattern,
						openapi_access_name(r->access));
}

/* ---- schemas as written beside the routes ----------------------------- */

static json_t *named_type(const char *t, size_t n)
{
	static const struct { const char *name, *schema; } types[] = {
		{ "string", "{\"type\":\"string\"}" },
		{ "integer", "{\"type\":\"integer\"}" },
		{ "number", "{\"type\":\"number\"}" },
		{ "boolean", "{\"type\":\"boolean\"}" },
		{ "id", "{\"type\":\"string\",\"pattern\":\"^[1-9][0-9]{0,18}$\"}" },
		{ "time", "{\"type\":\"string\",\"format\":\"date-time\"}" },
		{ "date", "{\"type\":\"string\",\"format\":\"date\"}" },
		{ "clock", "{\"type\":\"string\",\"pattern\":\"^[0-9]{2}:[0-9]{2}$\"}" },
		{ "email", "{\"type\":\"string\",\"format\":\"email\"}" },
		{ "uri", "{\"type\":\"string\",\"format\":\"uri-reference\"}" },
		{ "object", "{\"type\":\"object\"}" },
		{ "array", "{\"type\":\"array\"}" },
		{ "numeric", "{\"type\":[\"number\",\"string\"]}" },
		{ "any", "{}" },
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strlen(types[i].name) == n && !memcmp(types[i].name, t, n))
			return json_loads(types[i].schema, 0, NULL);
	return NULL;
}

/* "a|b|c": one of these strings. */
static json_t *enum_type(const char *t, size_t n)
{
	json_t *values = json_array();
	const char *p = t, *end = t + n;
	while (p <= end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *stop = bar ? bar : end;
		if (stop == p) {
			json_decref(values);
			return NULL;
		}
		json_array_append_new(values, json_stringn(p, (size_t)(stop - p)));
		p = stop + 1;
	}
	return json_pack("{s:s, s:o}", "type", "string", "enum", values);
}

/* A type of the compact notation: a name or an enum, then [] for a list,
 * then ? when null is allowed. */
static json_t *compact_type(const char *t, size_t n)
{
	bool nullable = n > 0 && t[n - 1] == '?';
	if (nullable)
		n--;
	bool list = n > 2 && t[n - 2] == '[' && t[n - 1] == ']';
	if (list)
		n -= 2;
	json_t *s = memchr(t, '|', n) ? enum_type(t, n) : named_type(t, n);
	if (!s)
		return NULL;
	if (list)
		s = json_pack("{s:s, s:o}", "type", "array", "items", s);
	if (nullable)
		s = json_pack("{s:[o, {s:s}]}", "anyOf", s, "type", "null");
	return s;
}

static bool name_char(char c)
{
	return islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_';
}

/* Reads "name!:type name2:type ..." into properties and required names. */
static int compact_fields(const char *text, json_t *props, json_t *required, herr *e)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *name = p;
		while (name_char(*p))
			p++;
		size_t name_len = (size_t)(p - name);
		bool req = *p == '!';
		if (req)
			p++;
		if (!name_len || *p != ':')
			return herr_set(e, ERR_INVALID, NULL,
					"a field must be written name:type or name!:type, near \"%.30s\"", name);
		const char *type = ++p;
		while (*p && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
		json_t *s = compact_type(type, (size_t)(p - type));
		if (!s)
			return herr_set(e, ERR_INVALID, NULL, "unknown type \"%.*s\"",
					(int)(p - type), type);
		char *key = strndup(name, name_len);
		if (!key) {
			json_decref(s);
			return herr_set(e, ERR_NOMEM, NULL, "out of memory");
		}
		json_object_set_new(props, key, s);
		if (req)
			json_array_append_new(required, json_string(key));
		free(key);
	}
	return 0;
}

/* closed: no fields beyond those listed (request bodies: handlers refuse
 * unknown fields); answers may carry more. */
static int schema_of(const char *text, bool closed, json_t **ret, herr *e)
{
	*ret = NULL;
	const char *p = text;
	while (*p == ' ' || *p == '\n')
		p++;
	if (*p == '{') {
		/* Single quotes may stand for double ones, so schemas read well
		 * inside C strings. */
		char *text_json = strdup(p);
		if (!text_json)
			return herr_set(e, ERR_NOMEM, NULL, "out of memory");
		for (char *q = text_json; *q; q++)
			if (*q == '\'')
				*q = '"';
		json_error_t jerr;
		json_t *s = json_loads(text_json, JSON_REJECT_DUPLICATES, &jerr);
		free(text_json);
		if (!s || !json_is_object(s)) {
			json_decref(s);
			return herr_set(e, ERR_INVALID, NULL, "the schema is not a JSON object: %s",
					jerr.text);
		}
		*ret = s;
		return 0;
	}
	json_t *props = json_object(), *required = json_array();
	int rc = compact_fields(text, props, required, e);
	if (rc) {
		json_decref(props);
		json_decref(required);
		return rc;
	}
	json_t *s = json_pack("{s:s, s:o}", "type", "object", "properties", props);
	if (json_array_size(required))
		json_object_set_new(s, "required", required);
	else
		json_decref(required);
	if (closed)
		json_object_set_new(s, "additionalProperties", json_false());
	*ret = s;
	return 0;
}

int openapi_schema(const char *text, json_t **ret, herr *e)
{
	return schema_of(text ? text : "", true, ret, e);
}

/* ---- the parts of the document ---------------------------------------- */

/* The statuses an operation may answer with besides success, and what
 * they mean; each is a shared response in components. */
static const struct { int status; const char *name, *text; } error_kinds[] = {
	{ 400, "BadRequest", "The request is malformed: broken JSON, a field of the wrong "
	  "type, or a field this operation does not take (error.field names it)." },
	{ 401, "Unauthorized", "Not signed in, or the session has ended. Log in with "
	  "POST /login and send the session cookie." },
	{ 403, "Forbidden", "Signed in but not allowed to do this here; or a write from "
	  "another origin (JSON) or without the form's csrf token." },
	{ 404, "NotFound", "There is no such thing (or the id is malformed)." },
	{ 409, "Conflict", "The state of things forbids it: already a member, a closed "
	  "group, a meeting long past, and so on. error.message says which." },
	{ 413, "TooBig", "The body is larger than the server accepts at once (64 KiB)." },
	{ 415, "Unsupported", "The body is neither application/json nor a form." },
	{ 422, "Invalid", "A value is well-formed but not acceptable; error.field names "
	  "the field and error.message says what would be." },
	{ 429, "TooMany", "Too many attempts: wait for the number of seconds in Retry-After." },
	{ 503, "Unavailable", "The database cannot be reached just now." },
};
#define N_ERROR_KINDS (sizeof error_kinds / sizeof error_kinds[0])

static const struct { const char *name, *text; } areas[] = {
	{ "Directory", "Finding groups: the front page and the directory search." },
	{ "Account", "Signing up, logging in and out, the account, sessions and password." },
	{ "Me", "A person's own groups, requests and meetings." },
	{ "Groups", "A group's page, and creating and changing groups." },
	{ "Membership", "Joining and leaving, requests, invite links, members and their roles." },
	{ "Meetings", "Meetings, attendance, roles, minutes, actions and closing records." },
	{ "Network", "Organisations, tags and the network's settings." },
	{ "Administration", "For the instance's administrators: people, roles, invitations." },
	{ "Operations", "Health checks and metrics for monitors." },
	{ "API", "This description." },
};

static const char *default_tag(const char *pattern)
{
	static const struct { const char *segment, *tag; } by_segment[] = {
		{ "", "Directory" }, { "signup", "Account" }, { "login", "Account" },
		{ "logout", "Account" }, { "account", "Account" }, { "me", "Me" },
		{ "groups", "Groups" }, { "meetings", "Meetings" }, { "actions", "Meetings" },
		{ "organisations", "Network" }, { "tags", "Network" }, { "network", "Network" },
		{ "admin", "Administration" }, { "healthz", "Operations" },
		{ "metrics", "Operations" }, { "openapi.json", "API" },
	};
	const char *seg = pattern + (pattern[0] == '/');
	size_t n = strcspn(seg, "/");
	for (size_t i = 0; i < sizeof by_segment / sizeof by_segment[0]; i++)
		if (strlen(by_segment[i].segment) == n && !strncmp(seg, by_segment[i].segment, n))
			return by_segment[i].tag;
	return "Other";
}

static const char *access_text(int access)
{
	switch (access) {
	case ACCESS_PUBLIC: return "Anyone, signed in or not.";
	case ACCESS_SIGNED_IN: return "Any signed-in person; rules about the particular group "
				      "or meeting are checked as well (403 when they do not allow it).";
	case ACCESS_COORDINATOR: return "The network's coordinators and administrators.";
	case ACCESS_ADMIN: return "The instance's administrators.";
	default: return "Nobody: this route is switched off.";
	}
}

static json_t *info_json(void)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}",
		"title", "Hearth API",
		"version", HEARTH_VERSION,
		"description",
		"The JSON face of Hearth's pages: every page answers with its view model as JSON "
		"under /api/v1/ (or with Accept: application/json), and every form also takes "
		"a JSON body. Ids are strings of digits; times are ISO 8601 in UTC, with *_text "
		"twins for people to read in the network's time zone. Errors are "
		"{\"error\":{\"code\",\"message\",\"field\"}}. Sign in with POST /login: the "
		"answer sets the session cookie (hearth_session, or __Host-hearth_session over "
		"TLS). Writes with a JSON body must come from this origin (Origin header) or "
		"from a client that sends none; form writes carry the page's csrf field. "
		"See docs/api.md.",
		"license", "name", "AGPL-3.0-or-later", "identifier", "AGPL-3.0-or-later");
}

static json_t *components_json(void)
{
	json_t *responses = json_object();
	for (size_t i = 0; i < N_ERROR_KINDS; i++)
		json_object_set_new(responses, error_kinds[i].name, json_pack(
			"{s:s, s:{s:{s:{s:s}}}}", "description", error_kinds[i].text,
			"content", "application/json", "schema", "$ref", "#/components/schemas/Error"));
	json_t *codes = json_array();
	for (int code = ERR_INVALID; code >= ERR_METHOD; code--)
		json_array_append_new(codes, json_string(err_name(code)));
	json_t *error = json_pack("{s:s, s:[s], s:{s:{s:s, s:[s, s], s:{s:{s:s, s:o}, s:{s:s}, s:{s:s}}}}}",
		"type", "object", "required", "error", "properties", "error",
		"type", "object", "required", "code", "message", "properties",
		"code", "type", "string", "enum", codes,
		"message", "type", "string", "field", "type", "string");
	return json_pack("{s:{s:{s:s, s:s, s:s, s:s}}, s:{s:o}, s:o}",
		"securitySchemes", "session", "type", "apiKey", "in", "cookie",
		"name", "hearth_session",
		"description", "The session cookie POST /login sets (named __Host-hearth_session "
		"when the server runs behind TLS). Sessions end after 30 idle minutes or 12 hours.",
		"schemas", "Error", error,
		"responses", responses);
}

/* "get_groups_by_id_members" from GET and "/groups/{id}/members". */
static char *operation_id(arena *a, const char *method, const char *pattern)
{
	if (!strcmp(pattern, "/"))
		return arena_printf(a, "%s_root", method);
	buf b = BUF_INIT;
	buf_puts(&b, method);
	for (const char *p = pattern; *p; p++) {
		if (*p == '/')
			buf_putc(&b, '_');
		else if (*p == '{')
			buf_puts(&b, "by_");
		else if (*p == '}')
			continue;
		else
			buf_putc(&b, isalnum((unsigned char)*p) ? *p : '_');
	}
	char *s = arena_strdup(a, b.data ? b.data : method);
	buf_free(&b);
	return s;
}

/* The {name}s of a pattern as path parameters. */
static json_t *path_parameters(const char *pattern)
{
	json_t *list = json_array();
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		if (!close)
			break;
		json_t *name = json_stringn(p + 1, (size_t)(close - p - 1));
		const char *n = json_string_value(name);
		size_t len = strlen(n);
		bool is_id = !strcmp(n, "id") || (len > 3 && !strcmp(n + len - 3, "_id"));
		json_array_append_new(list, json_pack("{s:o, s:s, s:b, s:o}",
			"name", name, "in", "path", "required", 1,
			"schema", is_id ? named_type("id", 2) : named_type("string", 6)));
	}
	return list;
}

static int query_parameters(const char *text, json_t **ret, herr *e)
{
	json_t *props = json_object(), *required = json_array();
	int rc = compact_fields(text, props, required, e);
	json_t *list = json_array();
	const char *key;
	json_t *s;
	json_object_foreach(props, key, s) {
		bool req = false;
		size_t i;
		json_t *r;
		json_array_foreach(required, i, r)
			req |= !strcmp(json_string_value(r), key);
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:O}",
			"name", key, "in", "query", "required", req, "schema", s));
	}
	json_decref(props);
	json_decref(required);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*ret = list;
	return 0;
}

/* False for a status that is not one of error_kinds. */
static bool add_error_status(json_t *responses, long status)
{
	for (size_t i = 0; i < N_ERROR_KINDS; i++)
		if (error_kinds[i].status == status) {
			char key[8];
			snprintf(key, sizeof key, "%d", error_kinds[i].status);
			json_object_set_new(responses, key, json_pack("{s:s+}", "$ref",
				"#/components/responses/", error_kinds[i].name));
			return true;
		}
	return false;
}

static const char *success_text(int status, bool write)
{
	if (!write)
		return status == 204 ? "No content." : "OK.";
	return status == 201 ? "Created (a browser's form gets 303 See Other instead)."
			     : "Done (a browser's form gets 303 See Other instead).";
}

/* The success answer: the doc's schema as JSON, or another media type. */
static int success_response(const struct web_doc *doc, int status, bool write, json_t **ret,
			    herr *e)
{
	const char *text = doc ? doc->response : NULL;
	json_t *content;
	if (text && !strncmp(text, "text/", 5)) {
		content = json_pack("{s:{s:{s:s}}}", text, "schema", "type", "string");
	} else {
		json_t *schema = NULL;
		int rc = text ? schema_of(text, false, &schema, e) : 0;
		if (rc)
			return rc;
		if (!schema)
			schema = json_pack("{s:s}", "type", "object");
		content = json_pack("{s:{s:o}}", "application/json", "schema", schema);
	}
	*ret = json_pack("{s:s, s:o}", "description", success_text(status, write),
			 "content", content);
	return 0;
}

/* The statuses beyond success this operation can answer with: those its
 * method, access and path imply, and those its note adds. */
static int add_error_responses(json_t *responses, const struct web_route *r, int method,
			       const struct web_doc *doc, herr *e)
{
	bool write = method != M_GET;
	bool params = strchr(r->pattern, '{') != NULL;
	bool query = doc && doc->query;
	if (write || query)
		add_error_status(responses, 400);
	if (r->access == ACCESS_SIGNED_IN || r->access == ACCESS_COORDINATOR ||
	    r->access == ACCESS_ADMIN)
		add_error_status(responses, 401);
	if (r->access != ACCESS_PUBLIC || write)
		add_error_status(responses, 403);
	if (params)
		add_error_status(responses, 404);
	if (write && params)
		add_error_status(responses, 409);
	if (write) {
		add_error_status(responses, 413);
		add_error_status(responses, 415);
	}
	if (write || query)
		add_error_status(responses, 422);
	for (const char *p = doc ? doc->errors : NULL; p && *(p += strspn(p, " "));) {
		char *end;
		long status = strtol(p, &end, 10);
		if (end == p || (*end && *end != ' ') || !add_error_status(responses, status))
			return herr_set(e, ERR_INVALID, NULL, "errors: \"%.20s\" is not a status this "
					"description knows (400 401 403 404 409 413 415 422 429 503)", p);
		p = end;
	}
	return 0;
}

static int request_body(const struct web_doc *doc, json_t **ret, herr *e)
{
	json_t *schema = NULL;
	if (doc && doc->request) {
		int rc = schema_of(doc->request, true, &schema, e);
		if (rc)
			return rc;
	} else if (doc) {
		schema = json_pack("{s:s, s:b}", "type", "object", "additionalProperties", 0);
	} else {
		schema = json_pack("{s:s}", "type", "object");
	}
	*ret = json_pack("{s:b, s:{s:{s:o}, s:{s:{s:s, s:s}}}}",
		"required", doc && doc->request && json_object_get(schema, "required"),
		"content", "application/json", "schema", schema,
		"application/x-www-form-urlencoded", "schema", "type", "object",
		"description", "The same fields as text (a list as repeated fields), with the "
		"csrf field of the page the form came from.");
	return 0;
}

static int operation_json(arena *a, const struct web_route *r, size_t m, json_t **ret, herr *e)
{
	const struct web_doc *doc = r->doc;
	int method = methods[m].bit;
	bool write = method != M_GET;
	const char *summary = doc && doc->summary ? doc->summary
		: arena_printf(a, "%s %s", methods[m].upper, r->pattern);
	const char *desc = arena_printf(a, "%s%sAccess: %s",
		doc && doc->description ? doc->description : "",
		doc && doc->description ? "\n\n" : "", access_text(r->access));
	json_t *op = json_pack("{s:s, s:s, s:s, s:[s], s:s}",
		"operationId", operation_id(a, methods[m].lower, r->pattern),
		"summary", summary,
		"description", desc,
		"tags", doc && doc->tag ? doc->tag : default_tag(r->pattern),
		"x-hearth-access", openapi_access_name(r->access));
	json_object_set_new(op, "security", r->access == ACCESS_PUBLIC
		? json_pack("[{}, {s:[]}]", "session") : json_pack("[{s:[]}]", "session"));
	int rc = 0;
	if (doc && doc->query) {
		json_t *params;
		if (!(rc = query_parameters(doc->query, &params, e)))
			json_object_set_new(op, "parameters", params);
	}
	if (!rc && write) {
		json_t *body;
		if (!(rc = request_body(doc, &body, e)))
			json_object_set_new(op, "requestBody", body);
	}
	int status = doc && doc->status ? doc->status : 200;
	json_t *success = NULL;
	if (!rc)
		rc = success_response(doc, status, write, &success, e);
	if (rc) {
		json_decref(op);
		return rc;
	}
	json_t *responses = json_object();
	char key[8];
	snprintf(key, sizeof key, "%d", status);
	json_object_set_new(responses, key, success);
	json_object_set_new(op, "responses", responses);
	if ((rc = add_error_responses(responses, r, method, doc, e))) {
		json_decref(op);
		return rc;
	}
	*ret = op;
	return 0;
}

/* A route the router would never reach: another route with the same
 * method matches its pattern first. Literal "{x}" segments stand for any
 * value. */
static const struct web_route *shadowing_route(const struct web_route *const tables[],
					       const struct web_route *r, int method, arena *a)
{
	struct route_match m;
	if (router_match(tables, method, r->pattern, a, &m) != ROUTE_FOUND || m.route == r)
		return NULL;
	return m.route;
}

int openapi_document(const struct web_route *const tables[], json_t **ret, herr *e)
{
	arena *a = arena_new(16384);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "out of memory");
	json_t *paths = json_object(), *used_tags = json_object();
	int rc = 0;
	for (size_t t = 0; !rc && tables[t]; t++) {
		for (const struct web_route *r = tables[t]; !rc && r->pattern; r++) {
			json_t *item = json_object_get(paths, r->pattern);
			if (!item) {
				item = json_object();
				json_t *params = path_parameters(r->pattern);
				if (json_array_size(params))
					json_object_set_new(item, "parameters", params);
				else
					json_decref(params);
				json_object_set_new(paths, r->pattern, item);
			}
			for (size_t m = 0; !rc && m < N_METHODS; m++) {
				if (!(r->method & methods[m].bit))
					continue;
				const struct web_route *first = shadowing_route(tables, r, methods[m].bit, a);
				if (first) {
					rc = herr_set(e, ERR_INVALID, NULL, "%s %s can never be reached: "
						      "%s %s matches it first", methods[m].upper, r->pattern,
						      methods[m].upper, first->pattern);
					break;
				}
				json_t *op;
				if ((rc = operation_json(a, r, m, &op, e))) {
					char why[sizeof e->message];
					snprintf(why, sizeof why, "%s", e ? e->message : "");
					herr_set(e, rc, NULL, "%s %s: %s", methods[m].upper, r->pattern, why);
					break;
				}
				json_object_set_new(used_tags, json_string_value(json_array_get(
					json_object_get(op, "tags"), 0)), json_true());
				json_object_set_new(item, methods[m].lower, op);
			}
		}
	}
	arena_free(a);
	if (rc) {
		json_decref(paths);
		json_decref(used_tags);
		return rc;
	}
	json_t *tags = json_array();
	for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
		if (json_object_get(used_tags, areas[i].name))
			json_array_append_new(tags, json_pack("{s:s, s:s}", "name", areas[i].name,
							      "description", areas[i].text));
	const char *name;
	json_t *v;
	json_object_foreach(used_tags, name, v) {
		bool known = false;
		for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
			known |= !strcmp(areas[i].name, name);
		if (!known)
			json_array_append_new(tags, json_pack("{s:s}", "name", name));
	}
	json_decref(used_tags);
	*ret = json_pack("{s:s, s:o, s:[{s:s, s:s}], s:o, s:o, s:o}",
		"openapi", "3.1.0",
		"info", info_json(),
		"servers", "url", "/api/v1", "description",
		"The JSON API: the same handlers as the web pages, answering in JSON.",
		"tags", tags,
		"paths", paths,
		"components", components_json());
	return *ret ? 0 : herr_set(e, ERR_NOMEM, NULL, "out of memory");
}

/* ---- serving it ---------------------------------------------------------- */

/* Built once, from the very tables the router answers from. */
static pthread_once_t document_once = PTHREAD_ONCE_INIT;
static char *document_text;
static herr document_error;

static void build_document(void)
{
	const struct web_route *const *tables = http_state.tables ? http_state.tables
								  : openapi_route_tables();
	json_t *doc;
	herr_clear(&document_error);
	if (openapi_document(tables, &doc, &document_error))
		return;
	document_text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!document_text)
		herr_set(&document_error, ERR_NOMEM, NULL, "out of memory");
}

static int openapi_show(wreq *r)
{
	pthread_once(&document_once, build_document);
	if (!document_text)
		return web_error(r, ERR_INTERNAL, "The API description could not be made: %s.",
				 document_error.message);
	r->status = 200;
	r->content_type = "application/json";
	buf_reset(&r->out);
	buf_puts(&r->out, document_text);
	buf_putc(&r->out, '\n');
	return r->out.oom ? ERR_NOMEM : 0;
}

static const struct web_doc openapi_doc = {
	.summary = "This description of the API (OpenAPI 3.1)",
	.tag = "API",
	.response = "openapi!:string info!:object paths!:object components:object",
};

const struct web_route openapi_routes[] = {
	{ M_GET, "/openapi.json", openapi_show, ACCESS_PUBLIC, &openapi_doc },
	{ 0 }
};
