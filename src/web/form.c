/* form.c - validated reading of body fields and query parameters
 * (see form.h). */
#include "form.h"

#include "../base/utf8.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int form_only_fields(wreq *r, const char *const allowed[], herr *e)
{
	const char *key;
	json_t *value;
	json_object_foreach(r->body, key, value) {
		bool known = !r->body_is_json && strcmp(key, "csrf") == 0;
		for (size_t i = 0; !known && allowed[i]; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known)
			return herr_set(e, ERR_BADREQ, NULL,
					"The field \"%.60s\" is not one this form takes.", key);
	}
	return 0;
}

int form_text(wreq *r, const char *name, const char *label, int required, size_t max_chars,
	      const char **ret, herr *e)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	if (v && json_is_null(v))
		v = NULL;
	if (v && !json_is_string(v))
		return herr_set(e, ERR_BADREQ, name, "The field \"%s\" must be text.", name);
	const char *s = v ? json_string_value(v) : "";
	size_t n = v ? json_string_length(v) : 0;
	if (strlen(s) != n || !utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, name,
				"What was sent for %s holds characters that cannot be "
				"accepted (control characters or broken UTF-8).", label);
	if (required && n == 0)
		return herr_set(e, ERR_INVALID, name, "Enter %s.", label);
	if (max_chars && utf8_length(s, n) > max_chars)
		return herr_set(e, ERR_INVALID, name, "Please keep %s to %zu characters or fewer.",
				label, max_chars);
	*ret = s;
	return 0;
}

/* Whether the body leaves field name out, null or empty (nothing sent). */
static bool field_unsent(wreq *r, const char *name)
{
	json_t *v = r->body ? json_object_get(r->body, name) : NULL;
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

/* The whole number sent in field name, which is there: a JSON integer or a
 * form's digits, from min to max. */
static int sent_int(wreq *r, const char *name, const char *label, int min, int max, int *ret,
		    herr *e)
{
	json_t *v = json_object_get(r->body, name);
	long long n = LLONG_MIN;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		errno = 0;
		n = strtoll(s, &end, 10);
		if (errno || end == s || *end || s[0] < '0' || s[0] > '9')
			n = LLONG_MIN;
	}
	if (n < min || n > max)
		return herr_set(e, ERR_INVALID, name, "Enter %s as a whole number from %d to %d.",
				label, min, max);
	*ret = (int)n;
	return 0;
}

int form_int(wreq *r, const char *name, const char *label, int min, int max, int dflt,
	     int *ret, herr *e)
{
	if (field_unsent(r, name)) {
		*ret = dflt;
		return 0;
	}
	return sent_int(r, name, label, min, max, ret, e);
}

int form_int_required(wreq *r, const char *name, const char *label, int min, int max,
		      int *ret, herr *e)
{
	if (field_unsent(r, name))
		return herr_set(e, ERR_INVALID, name, "Enter %s.", label);
	return sent_int(r, name, label, min, max, ret, e);
}

json_t *form_echo(wreq *r, const char *const fields[])
{
	json_t *form = json_object();
	for (size_t i = 0; fields[i]; i++) {
		json_t *v = r->body ? json_object_get(r->body, fields[i]) : NULL;
		if (json_is_string(v) || json_is_integer(v))
			json_object_set(form, fields[i], v);
	}
	return form;
}

const char *query_param(wreq *r, const char *name)
{
	json_t *v = r->query ? json_object_get(r->query, name) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int query_page(wreq *r, int max, int *ret, herr *e)
{
	const char *p = query_param(r, "page");
	*ret = 1;
	if (!p)
		return 0;
	char *end;
	errno = 0;
	long n = strtol(p, &end, 10);
	if (errno || end == p || *end || p[0] < '1' || p[0] > '9' || n > max)
		return herr_set(e, ERR_BADREQ, "page",
				"The page number must be a whole number from 1 to %d.", max);
	*ret = (int)n;
	return 0;
}

int query_find(wreq *r, const char *name, size_t max_chars, const char **ret, herr *e)
{
	const char *find = query_param(r, name);
	*ret = find ? find : "";
	if (!utf8_valid_text(*ret, strlen(*ret)))
		return herr_set(e, ERR_BADREQ, name,
				"The name to find holds characters that cannot be accepted.");
	if (utf8_length(*ret, strlen(*ret)) > max_chars)
		return herr_set(e, ERR_BADREQ, name,
				"Please keep the name to find to %zu characters or fewer.", max_chars);
	return 0;
}
