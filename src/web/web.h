/* web.h - what a page handler sees and gives back.
 *
 * The http/ layer turns a libmicrohttpd request into a wreq (method, path
 * parameters, query, body fields, the signed-in person), finds the route,
 * checks who may call it and the CSRF token, and calls the handler. The
 * handler builds a view model (json_t) and hands it to web_page(), which
 * answers with HTML from a template or, for Accept: application/json and
 * /api/v1/, the same model as JSON: one handler, two faces.
 *
 * Routes are declared beside their handlers, in a table per file:
 *
 *   const struct web_route account_routes[] = {
 *       { M_GET,  "/account", account_show, ACCESS_SIGNED_IN },
 *       ...
 *       { 0 }
 *   };
 *
 * The access field is deny-by-default: a route that leaves it 0
 * (ACCESS_NOBODY) cannot be called by anyone. Per-object permissions are
 * checked again in app/. A fifth field may point at a note for the API
 * description (struct web_doc, below; see docs/api.md). */
#ifndef HEARTH_WEB_H
#define HEARTH_WEB_H

#include "../app/actor.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum web_method { M_GET = 1, M_POST = 2, M_PUT = 4, M_PATCH = 8, M_DELETE = 16 };

enum web_access {
	ACCESS_NOBODY = 0,    /* the default: nobody may call the route */
	ACCESS_PUBLIC,        /* anyone, signed in or not */
	ACCESS_SIGNED_IN,     /* any signed-in person */
	ACCESS_COORDINATOR,   /* network coordinators and administrators */
	ACCESS_ADMIN,         /* instance administrators */
};

typedef struct wreq wreq;
typedef int (*web_handler)(wreq *r);

/* What the API description (http/openapi.c, served at /api/v1/openapi.json)
 * says about a route beyond its method, path and access, kept beside the
 * route table. Every field may be left out. A schema is JSON Schema as JSON
 * text (' may stand for ", to read well in C), or a compact list of an
 * object's fields, "name!:type ...", where ! marks a required field and the
 * type is string, integer, number, boolean, id (an id as a string), time
 * (ISO 8601), date (YYYY-MM-DD), clock (HH:MM), email, uri, object, array,
 * numeric (a number or its text), any, or a|b|c (one of these strings),
 * with [] after it for a list and ? when it may be null. A response may
 * instead be a media type such as "text/plain" for a body that is not JSON. */
struct web_doc {
	const char *summary;      /* one line: "Log in" */
	const char *description;  /* who may do it, what happens; optional */
	const char *tag;          /* the area; by default from the path */
	const char *query;        /* query parameters, as a field list */
	const char *request;      /* the body's schema */
	int status;               /* the success status; 0 means 200 */
	const char *response;     /* the JSON answer's schema */
	const char *errors;       /* statuses beyond the usual ones: "409 429" */
};

struct web_route {
	int method;
	const char *pattern;     /* "/account/sessions/{id}/end" */
	web_handler handler;
	int access;
	const struct web_doc *doc;   /* for the API description; may be NULL */
	bool csrf_exempt;            /* no form token: only for a POST that carries its own
	                                proof (an HMAC token in the URL), as mail clients
	                                send RFC 8058 one-click unsubscribes */
	bool same_for_visitors;      /* a GET whose answer to anyone not signed in is
	                                the same for all of them: the page cache may
	                                keep it (src/http/page_cache.h) */
};

#define WEB_MAX_PARAMS 4
#define WEB_MAX_HEADERS 8

/* The signed-in person, if any (person_id == 0 when anonymous). */
struct web_user {
	int64_t person_id;
	int64_t session_id;
	bool is_admin;
	bool is_coordinator;
	const char *display_name;
	const char *email;
};

/* Settings the pages need, read once at startup (see cli/config.h). */
struct web_site {
	const char *network_name;
	bool open_signup;
	bool secure_cookies;        /* TLS, or behind a TLS proxy */
	json_t *crisis_lines;       /* array of {name, contact, detail}; shared, read-only */
	const unsigned char *secret;   /* 32 bytes, for CSRF tokens */
	int session_idle_seconds;
	int session_absolute_seconds;
	int login_account_failures;    /* failures before an account is slowed */
	int login_address_failures;    /* failures before an address is slowed */
	const char *static_version;    /* for cache-busting asset URLs */
};

struct wreq {
	/* the request */
	arena *arena;               /* freed when the response is queued */
	db *db;                     /* this worker thread's connection */
	const struct web_site *site;
	int method;
	const char *path;           /* without the /api/v1 prefix */
	const struct web_route *route;
	const char *param_names[WEB_MAX_PARAMS];
	const char *param_values[WEB_MAX_PARAMS];
	int nparams;
	json_t *query;              /* object of strings */
	json_t *body;               /* object: form fields (strings) or a JSON body */
	bool body_is_json;
	bool want_json;             /* Accept: application/json or /api/v1/ */
	const char *client_ip;
	const char *user_agent;
	struct web_user user;
	const char *csrf_token;     /* the token forms must carry */
	const char *time_zone;      /* the network's, read on first use (view.c) */

	/* the response, filled by the handler through view.c */
	int status;
	buf out;
	const char *content_type;
	const char *location;                 /* for redirects */
	const char *header_names[WEB_MAX_HEADERS];
	const char *header_values[WEB_MAX_HEADERS];
	int nheaders;
	bool personal;                        /* Cache-Control: no-store */
	const char *new_session_token;        /* set the session cookie to this */
	bool clear_session_cookie;
};

/* The signed-in person as the domain layer sees them. */
static inline struct actor web_actor(const wreq *r)
{
	return (struct actor){ r->user.person_id, r->user.is_admin, r->user.is_coordinator };
}

/* The route tables of every page file, NULL-terminated (routes.c). */
extern const struct web_route *const web_route_tables[];

/* Path parameter {name} of the matched route, or NULL. */
const char *web_param(const wreq *r, const char *name);
/* Path parameter {name} as an id; on a malformed id answers 404 and
 * returns ERR_NOTFOUND. */
int web_param_id(wreq *r, const char *name, int64_t *ret_id);

#endif
