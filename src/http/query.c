/* query.c - URL path, query-string and cookie parsing (see query.h). */
#include "query.h"

#include "../base/utf8.h"

#include <string.h>

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int url_decode(arena *a, const char *s, size_t n, bool plus_is_space, char **ret, herr *e)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
			int lo = i + 2 < n ? hex_value(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return herr_set(e, ERR_BADREQ, NULL,
						"The address holds a broken %%-escape.");
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space)
			c = ' ';
		out[len++] = c;
	}
	out[len] = '\0';
	if (!utf8_valid_text(out, len) || memchr(out, '\0', len))
		return herr_set(e, ERR_BADREQ, NULL,
				"The address holds characters that are not valid text (UTF-8).");
	*ret = out;
	return 0;
}

static void add_value(json_t *obj, const char *key, const char *value)
{
	json_t *old = json_object_get(obj, key);
	if (!old)
		json_object_set_new(obj, key, json_string(value));
	else if (json_is_array(old))
		json_array_append_new(old, json_string(value));
	else
		json_object_set_new(obj, key, json_pack("[O, s]", old, value));
}

int query_parse(arena *a, const char *s, size_t n, json_t *obj, herr *e)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
			char *key, *value;
			int rc = url_decode(a, s + i, klen, true, &key, e);
			if (!rc)
				rc = eq ? url_decode(a, eq + 1, (size_t)(s + end - eq - 1), true, &value, e)
					: (value = "", 0);
			if (rc)
				return rc;
			if (*key)
				add_value(obj, key, value);
		}
		i = end + 1;
	}
	return 0;
}

const char *cookie_value(arena *a, const char *header, const char *name)
{
	if (!header)
		return NULL;
	size_t nlen = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=')
			return arena_strndup(a, p + nlen + 1, len - nlen - 1);
		p += len;
	}
	return NULL;
}
