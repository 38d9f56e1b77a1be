/* form.c - validated reading of body fields and query parameters
 * (see form.h). */
#include "form.h"

#include "../base/utf8.h"

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

const char *query_param(wreq *r, const char *name)
{
	json_t *v = r->query ? json_object_get(r->query, name) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}
