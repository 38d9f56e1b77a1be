/* router.h - finds the route for a method and path among the route tables
 * declared beside the page handlers (web.h). Patterns are literal segments
 * and {name} segments that match one non-empty segment; the first matching
 * route wins. A trailing slash is not the same path. */
#ifndef HEARTH_ROUTER_H
#define HEARTH_ROUTER_H

#include "../base/arena.h"
#include "../web/web.h"

enum router_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_WRONG_METHOD };

struct route_match {
	const struct web_route *route;
	int nparams;
	const char *names[WEB_MAX_PARAMS];
	const char *values[WEB_MAX_PARAMS];   /* in the arena */
	int allowed;                           /* methods the path takes, on WRONG_METHOD */
};

/* tables is NULL-terminated; each table ends with a route whose pattern is
 * NULL. HEAD is matched as GET. */
enum router_result router_match(const struct web_route *const tables[], int method,
				const char *path, arena *a, struct route_match *ret);
/* "GET, HEAD, POST" for a set of M_* bits, into out. */
void router_allow_header(int methods, char *out, size_t size);
/* M_* bit for a method name, 0 for one Hearth does not serve. */
int router_method_bit(const char *name);

#endif
