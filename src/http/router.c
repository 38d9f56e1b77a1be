/* router.c - matching paths against route patterns (see router.h). */
#include "router.h"

#include <stdio.h>
#include <string.h>

int router_method_bit(const char *name)
{
	if (strcmp(name, "GET") == 0 || strcmp(name, "HEAD") == 0)
		return M_GET;
	if (strcmp(name, "POST") == 0)
		return M_POST;
	if (strcmp(name, "PUT") == 0)
		return M_PUT;
	if (strcmp(name, "PATCH") == 0)
		return M_PATCH;
	if (strcmp(name, "DELETE") == 0)
		return M_DELETE;
	return 0;
}

void router_allow_header(int methods, char *out, size_t size)
{
	static const struct { int bit; const char *names; } list[] = {
		{ M_GET, "GET, HEAD" }, { M_POST, "POST" }, { M_PUT, "PUT" },
		{ M_PATCH, "PATCH" }, { M_DELETE, "DELETE" },
	};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
		if (!(methods & list[i].bit))
			continue;
		int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", list[i].names);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* One {name} segment found while matching: where its name and value are. */
struct span_pair {
	const char *name, *value;
	size_t name_len, value_len;
};

/* Matches path against pattern, noting where the {name} segments are.
 * Nothing is allocated, as almost every pattern tried does not match. */
static bool pattern_matches(const char *pattern, const char *path,
			    struct span_pair found[WEB_MAX_PARAMS], int *ret_n)
{
	const char *p = pattern, *s = path;
	int n = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t seg = strcspn(s, "/");
			if (!close || seg == 0 || n == WEB_MAX_PARAMS)
				return false;
			found[n++] = (struct span_pair){ p + 1, s, (size_t)(close - p - 1), seg };
			p = close + 1;
			s += seg;
		} else if (*p++ != *s++)
			return false;
	}
	*ret_n = n;
	return *p == '\0' && *s == '\0';
}

enum router_result router_match(const struct web_route *const tables[], int method,
				const char *path, arena *a, struct route_match *ret)
{
	int allowed = 0;
	struct span_pair found[WEB_MAX_PARAMS];
	int n;
	memset(ret, 0, sizeof *ret);
	for (size_t t = 0; tables[t]; t++) {
		for (const struct web_route *r = tables[t]; r->pattern; r++) {
			if (!pattern_matches(r->pattern, path, found, &n))
				continue;
			if (!(r->method & method)) {
				allowed |= r->method;
				continue;
			}
			ret->route = r;
			ret->nparams = n;
			for (int i = 0; i < n; i++) {
				ret->names[i] = arena_strndup(a, found[i].name, found[i].name_len);
				ret->values[i] = arena_strndup(a, found[i].value, found[i].value_len);
			}
			return ROUTE_FOUND;
		}
	}
	ret->allowed = allowed;
	return allowed ? ROUTE_WRONG_METHOD : ROUTE_NOT_FOUND;
}
