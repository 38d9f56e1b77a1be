/* query.h - parsing what arrives in a URL: percent-decoding of the path,
 * application/x-www-form-urlencoded query strings, and the Cookie header.
 * Every decoded string must be valid UTF-8 without NUL or other control
 * characters, or the request is refused with 400. */
#ifndef HEARTH_QUERY_H
#define HEARTH_QUERY_H

#include "../base/arena.h"
#include "../base/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Decodes %XX escapes (and '+' as space when plus_is_space) of s[0..n) into
 * the arena. ERR_BADREQ for a broken escape, NUL, a control character or
 * invalid UTF-8. */
int url_decode(arena *a, const char *s, size_t n, bool plus_is_space, char **ret, herr *e);
/* Parses "a=1&b=two+words" into obj (string values; a repeated key becomes
 * an array of strings). */
int query_parse(arena *a, const char *s, size_t n, json_t *obj, herr *e);
/* The value of cookie name in a Cookie header, in the arena, or NULL. */
const char *cookie_value(arena *a, const char *header, const char *name);

#endif
