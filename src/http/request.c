/* request.c - the life of one HTTP request: read the URL and body within
 * limits, find the route, work out who is asking, check CSRF and access,
 * call the page handler, and send its answer with the security headers every
 * response carries. */
#define _GNU_SOURCE  /* memmem */
#include "http_internal.h"

#include "csrf.h"
#include "metrics.h"
#include "page_cache.h"
#include "query.h"
#include "router.h"
#include "static_files.h"
#include "../app/session.h"
#include "../base/ids.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../web/view.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum body_kind { BODY_NONE, BODY_FORM, BODY_JSON };

/* One field of a form body, assembled from the post processor's chunks. */
struct form_field {
	char *key;
	buf value;
	struct form_field *next;
};

struct request {
	arena *arena;
	const char *raw_uri;
	struct timespec start;
	bool started;
	enum body_kind body_kind;
	struct MHD_PostProcessor *pp;
	struct form_field *fields, *last_field;
	buf json;
	size_t body_bytes, body_limit;
	herr body_error;             /* code != 0 when the body was refused */
	wreq w;
	int metrics_slot;
	/* The page cache (page_cache.h), for answers the same for every visitor. */
	bool shareable;
	const char *cache_key;
	uint64_t cache_generation;
	int64_t cache_minute;
};

#define SESSION_COOKIE(secure) ((secure) ? "__Host-hearth_session" : "hearth_session")
#define PRE_COOKIE(secure) ((secure) ? "__Host-hearth_pre" : "hearth_pre")

void *request_begin(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *rq = calloc(1, sizeof *rq);
	if (!rq)
		return NULL;
	rq->arena = arena_new(16384);
	if (!rq->arena) {
		free(rq);
		return NULL;
	}
	rq->raw_uri = arena_strdup(rq->arena, uri);
	clock_gettime(CLOCK_MONOTONIC, &rq->start);
	rq->metrics_slot = http_state.notfound_slot;
	__atomic_fetch_add(&http_state.inflight, 1, __ATOMIC_RELAXED);
	return rq;
}

static void free_fields(struct request *rq)
{
	for (struct form_field *f = rq->fields; f;) {
		struct form_field *next = f->next;
		buf_free(&f->value);
		free(f);
		f = next;
	}
	rq->fields = rq->last_field = NULL;
}

void request_end(void *cls, struct MHD_Connection *conn, void **con_cls,
		 enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *con_cls;
	if (!rq)
		return;
	if (rq->pp)
		MHD_destroy_post_processor(rq->pp);
	free_fields(rq);
	buf_free(&rq->json);
	buf_free(&rq->w.out);
	json_decref(rq->w.query);
	json_decref(rq->w.body);
	arena_free(rq->arena);
	free(rq);
	*con_cls = NULL;
	__atomic_fetch_sub(&http_state.inflight, 1, __ATOMIC_RELAXED);
}

/* ---- reading the body ---------------------------------------------- */

static enum MHD_Result on_form_field(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *filename, const char *content_type,
				     const char *transfer_encoding, const char *data,
				     uint64_t off, size_t size)
{
	struct request *rq = cls;
	if (filename) {
		herr_set(&rq->body_error, ERR_UNSUPPORTED, NULL,
			 "Files cannot be uploaded here.");
		return MHD_NO;
	}
	struct form_field *f = rq->last_field;
	if (off == 0 || !f || strcmp(f->key, key) != 0) {
		f = calloc(1, sizeof *f);
		if (!f || !(f->key = arena_strdup(rq->arena, key))) {
			free(f);
			return MHD_NO;
		}
		if (rq->last_field)
			rq->last_field->next = f;
		else
			rq->fields = f;
		rq->last_field = f;
	}
	buf_append(&f->value, data, size);
	return f->value.oom ? MHD_NO : MHD_YES;
}

static bool content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Decides, before any body byte is read, whether the body can be taken. */
static void body_prepare(struct request *rq, struct MHD_Connection *conn)
{
	const struct server_options *o = http_state.opt;
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	bool has_body = (cl && strcmp(cl, "0") != 0) || te;
	if (!has_body && !ct) {
		rq->body_kind = BODY_NONE;
		return;
	}
	if (content_type_is(ct, "application/json")) {
		rq->body_kind = BODY_JSON;
		rq->body_limit = o->max_json_bytes;
	} else if (content_type_is(ct, "application/x-www-form-urlencoded") ||
		   content_type_is(ct, "multipart/form-data")) {
		rq->body_kind = BODY_FORM;
		rq->body_limit = o->max_form_bytes;
		rq->pp = MHD_create_post_processor(conn, 8192, on_form_field, rq);
		if (!rq->pp)
			herr_set(&rq->body_error, ERR_BADREQ, NULL,
				 "The form could not be read (a multipart form needs its boundary).");
	} else if (!has_body) {
		rq->body_kind = BODY_NONE;
		return;
	} else {
		herr_set(&rq->body_error, ERR_UNSUPPORTED, NULL,
			 "Send forms as application/x-www-form-urlencoded or multipart/form-data, "
			 "or data as application/json.");
		return;
	}
	if (cl && strtoull(cl, NULL, 10) > rq->body_limit)
		herr_set(&rq->body_error, ERR_TOOBIG, NULL,
			 "That is more than this server accepts at once (%zu KiB).",
			 rq->body_limit / 1024);
}

static void body_feed(struct request *rq, const char *data, size_t size)
{
	if (rq->body_error.code)
		return;  /* keep reading to the end, but keep nothing */
	rq->body_bytes += size;
	if (rq->body_bytes > rq->body_limit) {
		herr_set(&rq->body_error, ERR_TOOBIG, NULL,
			 "That is more than this server accepts at once (%zu KiB).",
			 rq->body_limit / 1024);
		return;
	}
	if (rq->body_kind == BODY_JSON)
		buf_append(&rq->json, data, size);
	else if (rq->body_kind == BODY_FORM && MHD_post_process(rq->pp, data, size) != MHD_YES &&
		 !rq->body_error.code)
		herr_set(&rq->body_error, ERR_BADREQ, NULL, "The form data is malformed.");
}

/* Turns the collected body into rq->w.body, checking every string. */
static int body_finish(struct request *rq, herr *e)
{
	wreq *w = &rq->w;
	w->body = json_object();
	if (rq->body_kind == BODY_JSON) {
		json_error_t jerr;
		json_t *v = json_loadb(rq->json.data ? rq->json.data : "", rq->json.len,
				       JSON_REJECT_DUPLICATES, &jerr);
		if (!v)
			return herr_set(e, ERR_BADREQ, NULL, "The JSON body is not valid: %s.", jerr.text);
		if (!json_is_object(v)) {
			json_decref(v);
			return herr_set(e, ERR_BADREQ, NULL, "The JSON body must be an object.");
		}
		json_decref(w->body);
		w->body = v;
		w->body_is_json = true;
		return 0;
	}
	if (rq->body_kind != BODY_FORM)
		return 0;
	if (rq->pp) {
		enum MHD_Result ok = MHD_destroy_post_processor(rq->pp);
		rq->pp = NULL;
		if (ok != MHD_YES)
			return herr_set(e, ERR_BADREQ, NULL, "The form data ended too early.");
	}
	for (struct form_field *f = rq->fields; f; f = f->next) {
		const char *value = f->value.data ? f->value.data : "";
		if (!utf8_valid(f->key, strlen(f->key)) || memchr(value, '\0', f->value.len) ||
		    !utf8_valid_text(value, f->value.len))
			return herr_set(e, ERR_BADREQ, NULL,
					"The form holds text that is not valid UTF-8, or control characters.");
		json_t *old = json_object_get(w->body, f->key);
		json_t *s = json_stringn(value, f->value.len);
		if (!old)
			json_object_set_new(w->body, f->key, s);
		else if (json_is_array(old))
			json_array_append_new(old, s);
		else
			json_object_set_new(w->body, f->key, json_pack("[O, o]", old, s));
	}
	return 0;
}

/* ---- who is asking ------------------------------------------------- */

static const char *client_address(struct request *rq, struct MHD_Connection *conn)
{
	if (http_state.opt->trust_proxy) {
		const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
		if (xff) {
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			while (*last == ' ')
				last++;
			if (*last && strlen(last) < 64)
				return arena_strdup(rq->arena, last);
		}
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "unknown";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof text);
	}
	return arena_strdup(rq->arena, text);
}

/* Finds the signed-in person from the session cookie, and the CSRF token
 * forms must carry. Makes a pre-session cookie for visitors who have none. */
static int identify(struct request *rq, struct MHD_Connection *conn, const char **ret_binding,
		    const char **ret_new_pre)
{
	wreq *w = &rq->w;
	bool secure = w->site->secure_cookies;
	const char *cookies = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	const char *token = cookie_value(rq->arena, cookies, SESSION_COOKIE(secure));
	*ret_new_pre = NULL;
	if (token) {
		struct session_limits lim = { w->site->session_idle_seconds,
					      w->site->session_absolute_seconds };
		struct session_user u;
		herr e;
		herr_clear(&e);
		int rc = session_resolve(w->db, rq->arena, token, &lim, &u, &e);
		if (rc == 0) {
			w->user = (struct web_user){ u.person_id, u.session_id, u.is_admin,
						     u.is_coordinator, u.display_name, u.email };
			*ret_binding = token;
			return 0;
		}
		if (rc != ERR_UNAUTH)
			return rc;
		w->clear_session_cookie = true;  /* ended or expired: forget it */
	}
	const char *pre = cookie_value(rq->arena, cookies, PRE_COOKIE(secure));
	if (!pre || !session_token_well_formed(pre)) {
		char *fresh = arena_alloc(rq->arena, SESSION_TOKEN_CHARS + 1);
		if (!fresh)
			return ERR_NOMEM;
		random_hex(fresh, SESSION_TOKEN_BYTES);
		*ret_new_pre = fresh;
		*ret_binding = NULL;   /* a brand-new visitor cannot have a valid token yet */
		pre = fresh;
		char *csrf = arena_alloc(rq->arena, CSRF_TOKEN_CHARS + 1);
		if (!csrf)
			return ERR_NOMEM;
		csrf_token_for(w->site->secret, pre, csrf);
		w->csrf_token = csrf;
		return 0;
	}
	*ret_binding = pre;
	return 0;
}

/* ---- responding ---------------------------------------------------- */

static void add_security_headers(struct MHD_Response *resp, const wreq *w, bool cacheable)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
		"default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
		"form-action 'self'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (w->site && w->site->secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (!cacheable)
		MHD_add_response_header(resp, "Cache-Control",
			(w->personal || w->user.person_id) ? "no-store" : "no-cache");
}

static void add_cookie(struct request *rq, struct MHD_Response *resp, const char *name,
		       const char *value, int max_age)
{
	bool secure = rq->w.site->secure_cookies;
	char *c = arena_printf(rq->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
			       name, value, secure ? "; Secure" : "",
			       max_age == 0 ? "; Max-Age=0" : "");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, c);
}

static double elapsed_ms(const struct request *rq)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - rq->start.tv_sec) * 1e3 +
	       (double)(now.tv_nsec - rq->start.tv_nsec) / 1e6;
}

static void log_request(struct request *rq, const char *method, int status, size_t bytes)
{
	double ms = elapsed_ms(rq);
	metrics_record(rq->metrics_slot, status, (int64_t)(ms * 1000));
	char st[8], dur[16], size[24];
	snprintf(st, sizeof st, "%d", status);
	snprintf(dur, sizeof dur, "%.2f", ms);
	snprintf(size, sizeof size, "%zu", bytes);
	/* The route pattern, never the raw path or query: those can carry
	 * tokens and names. No addresses either. */
	const char *route = rq->w.route ? rq->w.route->pattern : "-";
	log_event("info", "request", "method", method, "route", route, "status", st,
		  "ms", dur, "bytes", size, "json", rq->w.want_json ? "1" : "0", NULL);
}

static enum MHD_Result send_wreq(struct request *rq, struct MHD_Connection *conn,
				 const char *method, const char *new_pre)
{
	wreq *w = &rq->w;
	size_t len = w->out.len;
	char *body = buf_take(&w->out);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	if (w->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, w->content_type);
	if (w->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, w->location);
	for (int i = 0; i < w->nheaders; i++)
		MHD_add_response_header(resp, w->header_names[i], w->header_values[i]);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept, Cookie");
	add_security_headers(resp, w, false);
	bool secure = w->site->secure_cookies;
	if (w->new_session_token)
		add_cookie(rq, resp, SESSION_COOKIE(secure), w->new_session_token, -1);
	else if (w->clear_session_cookie)
		add_cookie(rq, resp, SESSION_COOKIE(secure), "", 0);
	if (new_pre)
		add_cookie(rq, resp, PRE_COOKIE(secure), new_pre, -1);
	int status = w->status ? w->status : 500;
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	log_request(rq, method, status, len);
	return ok;
}

static enum MHD_Result send_static(struct request *rq, struct MHD_Connection *conn,
				   const struct static_file *f, const char *method)
{
	rq->metrics_slot = http_state.static_slot;
	const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	bool fresh = inm && strstr(inm, f->etag);
	struct MHD_Response *resp = fresh
		? MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT)
		: MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, f->content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, f->etag);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=31536000, immutable");
	add_security_headers(resp, &rq->w, true);
	int status = fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	log_request(rq, method, status, fresh ? 0 : f->len);
	return ok;
}

/* ---- the page cache ------------------------------------------------ */

/* A GET of a route whose answer is the same for every visitor, from someone
 * with no session cookie. */
static bool may_share(struct request *rq, struct MHD_Connection *conn, const char *method,
		      const struct web_route *route)
{
	if (!route->same_for_visitors || strcmp(method, "GET") != 0 || !page_cache_on())
		return false;
	const char *cookies = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	return !cookie_value(rq->arena, cookies, SESSION_COOKIE(rq->w.site->secure_cookies));
}

/* Looks for the page in the cache; true when w->out now holds it. Either
 * way, marks the request shareable when the cache can take its answer. */
static bool serve_kept_page(struct request *rq)
{
	wreq *w = &rq->w;
	rq->cache_minute = (int64_t)(time(NULL) / 60);
	rq->cache_key = arena_printf(rq->arena, "%c%s", w->want_json ? 'j' : 'h', rq->raw_uri);
	if (!rq->cache_key || page_cache_generation(w->db, &rq->cache_generation))
		return false;
	rq->shareable = true;
	const char *content_type;
	if (!page_cache_get(rq->cache_key, rq->cache_generation, rq->cache_minute, rq->arena,
			    &w->out, &content_type))
		return false;
	w->content_type = content_type;
	w->status = 200;
	return true;
}

/* Keeps a freshly made answer when it is plainly the same for everyone: a
 * 200 with no cookie, redirect or extra header, for nobody signed in, and
 * holding no form token (a form is bound to its visitor). Such a page needs
 * no pre-session cookie either, so the visitor gets the answer a hit gives. */
static void keep_page(struct request *rq, const char **new_pre)
{
	const wreq *w = &rq->w;
	if (w->status != 200 || w->location || w->nheaders || w->new_session_token ||
	    w->clear_session_cookie || w->personal || w->user.person_id || !w->content_type ||
	    w->out.oom || !w->out.data)
		return;
	if (w->csrf_token && memmem(w->out.data, w->out.len, w->csrf_token, strlen(w->csrf_token)))
		return;
	page_cache_put(rq->cache_key, rq->cache_generation, rq->cache_minute, w->content_type,
		       w->out.data, w->out.len);
	*new_pre = NULL;
}

/* ---- dispatch ------------------------------------------------------ */

static bool wants_json(struct MHD_Connection *conn, bool api)
{
	if (api)
		return true;
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

/* Splits the raw URI into the decoded path (API prefix removed) and query. */
static int parse_uri(struct request *rq, herr *e)
{
	wreq *w = &rq->w;
	const char *uri = rq->raw_uri ? rq->raw_uri : "/";
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	char *path;
	int rc = url_decode(rq->arena, uri, plen, false, &path, e);
	if (rc)
		return rc;
	if (path[0] != '/')
		return herr_set(e, ERR_BADREQ, NULL, "The address must start with /.");
	if (strncmp(path, "/api/v1/", 8) == 0 || strcmp(path, "/api/v1") == 0) {
		path += 7;
		if (!*path)
			path = "/";
		w->want_json = true;
	}
	w->path = path;
	w->query = json_object();
	if (q && (rc = query_parse(rq->arena, q + 1, strlen(q + 1), w->query, e)))
		return rc;
	return 0;
}

/* A JSON write from a browser must come from this very origin: scheme,
 * host and port. Clients that send no Origin are not browsers, and CSRF
 * needs a browser. */
static int check_origin(struct MHD_Connection *conn, bool secure, herr *e)
{
	const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return herr_set(e, ERR_DENIED, NULL, "Requests from other sites are not accepted.");
	if (!origin)
		return 0;
	const char *scheme = secure ? "https://" : "http://";
	size_t n = strlen(scheme);
	if (!host || strncmp(origin, scheme, n) != 0 || strcmp(origin + n, host) != 0)
		return herr_set(e, ERR_DENIED, NULL, "Requests from other sites are not accepted.");
	return 0;
}

static int check_access(wreq *w, const struct web_route *route, herr *e)
{
	switch (route->access) {
	case ACCESS_PUBLIC:
		return 0;
	case ACCESS_SIGNED_IN:
	case ACCESS_COORDINATOR:
	case ACCESS_ADMIN:
		if (!w->user.person_id)
			return herr_set(e, ERR_UNAUTH, NULL, "Please log in to see this page.");
		if (route->access == ACCESS_ADMIN && !w->user.is_admin)
			return herr_set(e, ERR_DENIED, NULL,
					"Only administrators of this network can do this.");
		if (route->access == ACCESS_COORDINATOR && !w->user.is_admin &&
		    !w->user.is_coordinator)
			return herr_set(e, ERR_DENIED, NULL,
					"Only the network's coordinators can do this.");
		return 0;
	default:
		return herr_set(e, ERR_DENIED, NULL, "Nobody may use this address.");
	}
}

/* Anonymous people asking for a signed-in page in a browser go to the
 * login page and come back afterwards. */
static int redirect_to_login(struct request *rq)
{
	wreq *w = &rq->w;
	buf next = BUF_INIT;
	buf_puts(&next, "/login?next=");
	for (const char *p = w->path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '-' || c == '_' || c == '.')
			buf_putc(&next, (char)c);
		else
			buf_printf(&next, "%%%02X", c);
	}
	int rc = web_redirect(w, next.data ? next.data : "/login", 401, NULL);
	buf_free(&next);
	return rc;
}

static int dispatch(struct request *rq, struct MHD_Connection *conn, const char *method,
		    const char **ret_new_pre)
{
	wreq *w = &rq->w;
	herr e;
	herr_clear(&e);
	int mbit = router_method_bit(method);
	struct route_match m;
	/* Method bit 0 matches no route, so the answer lists what the path takes. */
	enum router_result found = router_match(http_state.tables, mbit, w->path, rq->arena, &m);
	if (!mbit && found == ROUTE_WRONG_METHOD && strcmp(method, "OPTIONS") == 0) {
		char allow[64];
		router_allow_header(m.allowed, allow, sizeof allow);
		web_add_header(w, "Allow", allow);
		w->status = 204;
		return 0;
	}
	if (found == ROUTE_NOT_FOUND)
		return web_error(w, ERR_NOTFOUND, "There is nothing at this address. "
				 "It may have moved, or the link may be mistyped.");
	if (found == ROUTE_WRONG_METHOD) {
		char allow[64];
		router_allow_header(m.allowed, allow, sizeof allow);
		web_add_header(w, "Allow", allow);
		return web_error(w, ERR_METHOD, "This address does not take %s requests.", method);
	}
	w->route = m.route;
	w->nparams = m.nparams;
	for (int i = 0; i < m.nparams; i++) {
		w->param_names[i] = m.names[i];
		w->param_values[i] = m.values[i];
	}
	w->method = mbit;
	rq->metrics_slot = metrics_route_slot(m.route->pattern);

	if (rq->body_error.code)
		return web_fail(w, &rq->body_error);
	if (may_share(rq, conn, method, m.route) && serve_kept_page(rq))
		return 0;
	/* A GET made afresh reads from one snapshot (see db_snapshot_begin);
	 * request_handle ends it. A kept page needs none. */
	if (mbit == M_GET)
		db_snapshot_begin(w->db);
	if (mbit != M_GET && body_finish(rq, &e))
		return web_fail(w, &e);

	const char *binding = NULL;
	int rc = identify(rq, conn, &binding, ret_new_pre);
	if (rc) {
		herr_set(&e, rc, NULL, "Could not check who you are; please try again.");
		return web_fail(w, &e);
	}
	if (!w->csrf_token && binding) {
		char *csrf = arena_alloc(rq->arena, CSRF_TOKEN_CHARS + 1);
		if (!csrf)
			return ERR_NOMEM;
		csrf_token_for(w->site->secret, binding, csrf);
		w->csrf_token = csrf;
	}
	if (mbit != M_GET && !m.route->csrf_exempt) {
		if (w->body_is_json)
			rc = check_origin(conn, w->site->secure_cookies, &e);
		else {
			json_t *t = json_object_get(w->body, "csrf");
			if (!json_is_string(t) ||
			    !csrf_token_valid(w->site->secret, binding, json_string_value(t)))
				rc = herr_set(&e, ERR_DENIED, "csrf",
					      "This form has expired or did not come from this site. "
					      "Please go back, reload the page and try again.");
		}
		if (rc)
			return web_fail(w, &e);
	}
	if ((rc = check_access(w, m.route, &e))) {
		if (rc == ERR_UNAUTH && !w->want_json && mbit == M_GET)
			return redirect_to_login(rq);
		return web_fail(w, &e);
	}
	rc = m.route->handler(w);
	if (rc < 0 && !w->status) {
		herr_set(&e, rc, NULL, "Something went wrong on our side. Please try again.");
		return web_fail(w, &e);
	}
	if (rq->shareable)
		keep_page(rq, ret_new_pre);
	return 0;
}

static void init_wreq(struct request *rq, struct MHD_Connection *conn, db *d)
{
	wreq *w = &rq->w;
	w->arena = rq->arena;
	w->db = d;
	w->site = &http_state.opt->site;
	w->client_ip = client_address(rq, conn);
	const char *ua = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	w->user_agent = ua && utf8_valid_text(ua, strlen(ua)) ? ua : NULL;
}

enum MHD_Result request_handle(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct request *rq = *con_cls;
	if (!rq)
		return MHD_NO;
	if (!rq->started) {
		rq->started = true;
		herr e;
		herr_clear(&e);
		if (parse_uri(rq, &e)) {
			rq->w.site = &http_state.opt->site;
			rq->w.want_json = wants_json(conn, false);
			rq->w.arena = rq->arena;
			web_fail(&rq->w, &e);
			return send_wreq(rq, conn, method, NULL);
		}
		rq->w.want_json = wants_json(conn, rq->w.want_json);
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			body_prepare(rq, conn);
		if (rq->body_error.code == ERR_TOOBIG || rq->body_error.code == ERR_UNSUPPORTED) {
			/* Answer now rather than read a body we will not take. */
			rq->w.site = &http_state.opt->site;
			rq->w.arena = rq->arena;
			web_fail(&rq->w, &rq->body_error);
			return send_wreq(rq, conn, method, NULL);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		body_feed(rq, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}

	const struct static_file *sf = static_file_for_path(rq->w.path);
	if (sf && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0))
		return send_static(rq, conn, sf, method);

	herr e;
	herr_clear(&e);
	db *d = server_thread_db(&e);
	init_wreq(rq, conn, d);
	const char *new_pre = NULL;
	if (!d) {
		herr_set(&e, ERR_DB, NULL, "The database is not reachable just now. Please try again soon.");
		web_fail(&rq->w, &e);
		rq->w.status = 503;
	} else {
		view_begin_request(&rq->w);
		dispatch(rq, conn, method, &new_pre);
		view_end_request();
		db_snapshot_end(d);
		if (db_in_transaction(d))
			db_rollback(d);   /* a handler that forgot: never leave one open */
	}
	return send_wreq(rq, conn, method, new_pre);
}
