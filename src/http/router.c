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

/* Matches path against pattern; fills names/values for {name} segments. */
static bool pattern_matches(const char *pattern, const char *path, arena *a,
			    struct route_match *m)
{
	const char *p = pattern, *s = path;
	m->nparams = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t seg = strcspn(s, "/");
			if (!close || seg == 0 || m->nparams == WEB_MAX_PARAMS)
				return false;
			m->names[m->nparams] = arena_strndup(a, p + 1, (size_t)(close - p - 1));
			m->values[m->nparams] = arena_strndup(a, s, seg);
			m->nparams++;
			p = close + 1;
			s += seg;
		} else if (*p++ != *s++)
			return false;
	}
	return *p == '\0' && *s == '\0';
}

enum router_result router_match(const struct web_route *const tables[], int method,
				const char *path, arena *a, struct route_match *ret)
{
	int allowed = 0;
	struct route_match m;
	for (size_t t = 0; tables[t]; t++) {
		for (const struct web_route *r = tables[t]; r->pattern; r++) {
			memset(&m, 0, sizeof m);
			if (!pattern_matches(r->pattern, path, a, &m))
				continue;
			if (r->method & method) {
				m.route = r;
				*ret = m;
				return ROUTE_FOUND;
			}
			allowed |= r->method;
		}
	}
	memset(ret, 0, sizeof *ret);
	ret->allowed = allowed;
	return allowed ? ROUTE_WRONG_METHOD : ROUTE_NOT_FOUND;
}
