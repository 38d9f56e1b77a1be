/* err.h - the one shape of failure across Hearth.
 *
 * Functions that can fail return 0 or a negative ERR_* code. When a person
 * should be told something, the callee also fills a herr: a message they can
 * act on and, for form input, the field it is about. Library code does not
 * log; the edge (an HTTP handler or a CLI command) logs once and maps the code
 * to an HTTP status or an exit code. */
#ifndef HEARTH_ERR_H
#define HEARTH_ERR_H

#include <stdarg.h>

enum {
	ERR_OK = 0,
	ERR_INVALID = -1,    /* the input is well-formed but not acceptable: 422 */
	ERR_BADREQ = -2,     /* the input is malformed: 400 */
	ERR_NOTFOUND = -3,   /* 404 */
	ERR_CONFLICT = -4,   /* already exists, or the state forbids it: 409 */
	ERR_DENIED = -5,     /* signed in but not allowed: 403 */
	ERR_UNAUTH = -6,     /* not signed in, or wrong credentials: 401 */
	ERR_LIMIT = -7,      /* too many attempts: 429 */
	ERR_TOOBIG = -8,     /* 413 */
	ERR_DB = -9,         /* the database failed: 500 */
	ERR_NOMEM = -10,     /* 500 */
	ERR_INTERNAL = -11,  /* 500 */
	ERR_UNSUPPORTED = -12, /* 415 */
	ERR_METHOD = -13,    /* 405 */
};

typedef struct herr {
	int code;
	const char *field;    /* static string naming the input field, or NULL */
	int retry_after;      /* seconds, with ERR_LIMIT */
	char message[256];    /* for the person; never holds secrets */
} herr;

/* Records the failure in e (which may be NULL) and returns code. */
int herr_set(herr *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void herr_clear(herr *e);
const char *err_name(int code);      /* "invalid", "not_found", ... */
int err_http_status(int code);

#endif
