/* form.h - reading fields from a request body (an HTML form or a JSON
 * object) with validation: the right type, well-formed UTF-8 text without
 * control characters, a length limit, and no fields the handler does not
 * know. Every failure fills a herr naming the field. Also what was sent,
 * to show again in a form that did not validate. */
#ifndef HEARTH_FORM_H
#define HEARTH_FORM_H

#include "web.h"

#include <stdbool.h>

enum { FIELD_OPTIONAL = 0, FIELD_REQUIRED = 1 };

/* ERR_BADREQ naming the first body field not in allowed (NULL-terminated).
 * The "csrf" field of forms is always allowed. */
int form_only_fields(wreq *r, const char *const allowed[], herr *e);
/* Reads a text field. A missing or empty optional field gives "" . A JSON
 * value that is not a string is ERR_BADREQ. max_chars counts code points.
 * label names the field to people in a sentence: "your email address". */
int form_text(wreq *r, const char *name, const char *label, int required, size_t max_chars,
	      const char **ret, herr *e);
/* Reads a whole number from min to max (min >= 0): a JSON integer, or a
 * form's digits. An absent, null or empty field gives dflt. */
int form_int(wreq *r, const char *name, const char *label, int min, int max, int dflt,
	     int *ret, herr *e);
/* The same for a field that must be sent: absent, null or empty is
 * ERR_INVALID ("Enter <label>."). */
int form_int_required(wreq *r, const char *name, const char *label, int min, int max,
		      int *ret, herr *e);
/* What was sent in fields (NULL-terminated), to show again in a form that
 * did not validate: text as it came, numbers (JSON) as they came, nothing
 * else. The caller owns the new object. */
json_t *form_echo(wreq *r, const char *const fields[]);
/* A query-string parameter, or NULL. */
const char *query_param(wreq *r, const char *name);
/* The query's page number (1 when not sent): a whole number from 1 to max,
 * or a 400 naming "page". */
int query_page(wreq *r, int max, int *ret, herr *e);
/* A "find by name" text from the query's name ("" when not sent): valid
 * text of at most max_chars characters, or a 400 naming it. */
int query_find(wreq *r, const char *name, size_t max_chars, const char **ret, herr *e);

#endif
