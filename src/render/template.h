/* template.h - a small mustache-style template engine over jansson values.
 *
 * Syntax (a subset of Mustache, https://mustache.github.io/mustache.5.html):
 *   {{name}}  {{a.b.c}}  {{.}}   value, HTML-escaped (& < > " ' `)
 *   {{{name}}}                   value, raw: rare, and easy to grep for
 *   {{#name}}...{{/name}}        section: for each element of a non-empty
 *                                array (pushed as the context); once with an
 *                                object pushed; once for any other truthy
 *                                value. false, null, missing, "", 0 and []
 *                                are falsy.
 *   {{^name}}...{{/name}}        inverted section: once when falsy
 *   {{>partial}}                 another template of the same set, rendered
 *                                with the current context
 *   {{! comment }}
 * Names are looked up from the innermost context outwards (dotted names
 * resolve their first part that way, the rest inside it). Strings render as
 * they are, integers and reals in decimal, true as "true"; null, missing,
 * false, objects and arrays render as nothing. A standalone section, inverted,
 * closing, partial or comment tag (alone on its line) removes that line.
 *
 * Templates are compiled once (at startup, from sources built into the
 * binary) and rendered many times, from any number of threads at once. */
#ifndef HEARTH_TEMPLATE_H
#define HEARTH_TEMPLATE_H

#include "../base/buf.h"
#include "../base/err.h"

#include <jansson.h>
#include <stddef.h>

typedef struct tmpl_set tmpl_set;

tmpl_set *tmpl_set_new(void);
void tmpl_set_free(tmpl_set *s);   /* accepts NULL */

/* Compiles src under name (e.g. "login" for templates/login.html). On a
 * syntax error (unclosed or mismatched section, unclosed tag, empty name,
 * "{{" inside an unquoted attribute value) returns ERR_INVALID and fills e
 * with the template's name, line and problem. */
int tmpl_set_add(tmpl_set *s, const char *name, const char *src, size_t len, herr *e);
bool tmpl_set_has(const tmpl_set *s, const char *name);

/* Renders template name with model as the root context, appending to out.
 * Returns ERR_NOTFOUND for an unknown template or partial (e names it), and
 * ERR_INVALID if partials nest deeper than 32 (a partial that includes
 * itself). */
int tmpl_render(const tmpl_set *s, const char *name, json_t *model, buf *out, herr *e);

#endif
