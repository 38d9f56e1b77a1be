/* test_router.c - unit tests for path matching (src/http/router.c) against a
 * local route table: literal paths, {name} parameters, first match wins
 * across tables, 404 versus 405 with the Allow methods, HEAD as GET, and the
 * Allow header text. */
#include <criterion/criterion.h>

#include "base/arena.h"
#include "http/router.h"
#include "web/web.h"

#include <string.h>

static int h_home(wreq *r) { (void)r; return 0; }
static int h_account(wreq *r) { (void)r; return 0; }
static int h_account_post(wreq *r) { (void)r; return 0; }
static int h_account_put(wreq *r) { (void)r; return 0; }
static int h_item(wreq *r) { (void)r; return 0; }
static int h_item_delete(wreq *r) { (void)r; return 0; }
static int h_item_new(wreq *r) { (void)r; return 0; }
static int h_two(wreq *r) { (void)r; return 0; }
static int h_dup_a(wreq *r) { (void)r; return 0; }
static int h_dup_b(wreq *r) { (void)r; return 0; }
static int h_only_b(wreq *r) { (void)r; return 0; }
static int h_four(wreq *r) { (void)r; return 0; }
static int h_five(wreq *r) { (void)r; return 0; }

static const struct web_route table_a[] = {
	{ M_GET, "/", h_home, ACCESS_PUBLIC },
	{ M_GET, "/account", h_account, ACCESS_SIGNED_IN },
	{ M_POST, "/account", h_account_post, ACCESS_SIGNED_IN },
	{ M_GET | M_POST, "/items/{id}", h_item, ACCESS_PUBLIC },
	{ M_DELETE, "/items/{id}", h_item_delete, ACCESS_ADMIN },
	{ M_GET, "/items/new", h_item_new, ACCESS_PUBLIC },   /* shadowed by /items/{id} */
	{ M_GET, "/a/{x}/b/{y}", h_two, ACCESS_PUBLIC },
	{ M_GET, "/dup", h_dup_a, ACCESS_PUBLIC },
	{ M_GET, "/p/{a}/{b}/{c}/{d}", h_four, ACCESS_PUBLIC },
	{ M_GET, "/q/{a}/{b}/{c}/{d}/{e}", h_five, ACCESS_PUBLIC },   /* too many params */
	{ 0 }
};

static const struct web_route table_b[] = {
	{ M_PUT, "/account", h_account_put, ACCESS_SIGNED_IN },
	{ M_GET, "/dup", h_dup_b, ACCESS_PUBLIC },
	{ M_GET, "/only-b", h_only_b, ACCESS_PUBLIC },
	{ 0 }
};

static const struct web_route *const tables[] = { table_a, table_b, NULL };

static arena *a;

static void setup(void)
{
	a = arena_new(0);
	cr_assert_not_null(a);
}

static void teardown(void)
{
	arena_free(a);
}

TestSuite(router, .init = setup, .fini = teardown);

static enum router_result match(int method, const char *path, struct route_match *m)
{
	memset(m, 0x5A, sizeof *m);   /* the router must fill every field */
	return router_match(tables, method, path, a, m);
}

static void expect_found(int method, const char *path, web_handler handler)
{
	struct route_match m;
	cr_assert_eq(match(method, path, &m), ROUTE_FOUND, "%s not found", path);
	cr_assert_not_null(m.route);
	cr_expect_eq(m.route->handler, handler, "%s went to the wrong handler", path);
}

static void expect_not_found(int method, const char *path)
{
	struct route_match m;
	cr_expect_eq(match(method, path, &m), ROUTE_NOT_FOUND, "%s matched", path);
	cr_expect_null(m.route);
	cr_expect_eq(m.allowed, 0);
	cr_expect_eq(m.nparams, 0);
}

Test(router, literal_match)
{
	struct route_match m;
	cr_assert_eq(match(M_GET, "/", &m), ROUTE_FOUND);
	cr_expect_eq(m.route->handler, h_home);
	cr_expect_eq(m.nparams, 0);
	cr_assert_eq(match(M_GET, "/account", &m), ROUTE_FOUND);
	cr_expect_eq(m.route->handler, h_account);
	cr_expect_eq(m.route, &table_a[1]);
	cr_expect_eq(m.nparams, 0);
	expect_found(M_POST, "/account", h_account_post);
	expect_found(M_GET, "/only-b", h_only_b);   /* found in the second table */
}

Test(router, param_captured)
{
	struct route_match m;
	cr_assert_eq(match(M_GET, "/items/42", &m), ROUTE_FOUND);
	cr_expect_eq(m.route->handler, h_item);
	cr_assert_eq(m.nparams, 1);
	cr_expect_str_eq(m.names[0], "id");
	cr_expect_str_eq(m.values[0], "42");

	cr_assert_eq(match(M_POST, "/items/a-b.c%20d", &m), ROUTE_FOUND);
	cr_assert_eq(m.nparams, 1);
	cr_expect_str_eq(m.values[0], "a-b.c%20d", "the router does not decode");

	cr_assert_eq(match(M_DELETE, "/items/7", &m), ROUTE_FOUND);
	cr_expect_eq(m.route->handler, h_item_delete);
	cr_expect_str_eq(m.values[0], "7");
}

Test(router, two_params)
{
	struct route_match m;
	cr_assert_eq(match(M_GET, "/a/one/b/two", &m), ROUTE_FOUND);
	cr_expect_eq(m.route->handler, h_two);
	cr_assert_eq(m.nparams, 2);
	cr_expect_str_eq(m.names[0], "x");
	cr_expect_str_eq(m.values[0], "one");
	cr_expect_str_eq(m.names[1], "y");
	cr_expect_str_eq(m.values[1], "two");
	expect_not_found(M_GET, "/a/one/c/two");
	expect_not_found(M_GET, "/a/one/b");
	expect_not_found(M_GET, "/a/one/b/two/three");
}

Test(router, max_params)
{
	struct route_match m;
	cr_assert_eq(match(M_GET, "/p/1/2/3/4", &m), ROUTE_FOUND);
	cr_assert_eq(m.nparams, WEB_MAX_PARAMS);
	cr_expect_str_eq(m.names[3], "d");
	cr_expect_str_eq(m.values[3], "4");
	/* a pattern with more parameters than a match can hold never matches */
	expect_not_found(M_GET, "/q/1/2/3/4/5");
}

Test(router, first_match_wins)
{
	struct route_match m;
	cr_assert_eq(match(M_GET, "/items/new", &m), ROUTE_FOUND);
	cr_expect_eq(m.route->handler, h_item, "the earlier {id} route comes first");
	cr_expect_str_eq(m.values[0], "new");
	expect_found(M_GET, "/dup", h_dup_a);          /* earlier table first */
	expect_found(M_PUT, "/account", h_account_put); /* later table, other method */
}

Test(router, trailing_slash_is_another_path)
{
	expect_not_found(M_GET, "/account/");
	expect_not_found(M_GET, "/items/42/");
	expect_not_found(M_GET, "/only-b/");
	expect_not_found(M_GET, "//");
}

Test(router, empty_segment_does_not_match_param)
{
	expect_not_found(M_GET, "/items/");
	expect_not_found(M_GET, "/items");
	expect_not_found(M_GET, "/items//");
	expect_not_found(M_GET, "/a//b/y");
	expect_not_found(M_GET, "/a/x/b/");
	expect_not_found(M_GET, "/a//b/");
}

Test(router, param_does_not_span_segments)
{
	expect_not_found(M_GET, "/items/4/2");
	expect_not_found(M_DELETE, "/items/4/2");
}

Test(router, not_found)
{
	expect_not_found(M_GET, "/nope");
	expect_not_found(M_GET, "");
	expect_not_found(M_GET, "/accounts");   /* a longer path */
	expect_not_found(M_GET, "/accoun");     /* a prefix */
	expect_not_found(M_GET, "/Account");    /* case matters */
	expect_not_found(M_GET, "account");
	expect_not_found(M_POST, "/nope");
}

Test(router, wrong_method_reports_allowed)
{
	struct route_match m;
	cr_expect_eq(match(M_DELETE, "/account", &m), ROUTE_WRONG_METHOD);
	cr_expect_null(m.route);
	cr_expect_eq(m.nparams, 0);
	cr_expect_eq(m.allowed, M_GET | M_POST | M_PUT, "allowed is %d", m.allowed);

	cr_expect_eq(match(M_PATCH, "/items/5", &m), ROUTE_WRONG_METHOD);
	cr_expect_null(m.route);
	/* the bits of every route whose pattern matches, across both routes */
	cr_expect_eq(m.allowed, M_GET | M_POST | M_DELETE, "allowed is %d", m.allowed);

	cr_expect_eq(match(M_POST, "/", &m), ROUTE_WRONG_METHOD);
	cr_expect_eq(m.allowed, M_GET);

	cr_expect_eq(match(M_POST, "/a/1/b/2", &m), ROUTE_WRONG_METHOD);
	cr_expect_eq(m.allowed, M_GET);

	/* an unknown method (bit 0) matches no route, and is a 405 on a known path */
	cr_expect_eq(match(0, "/account", &m), ROUTE_WRONG_METHOD);
	cr_expect_eq(m.allowed, M_GET | M_POST | M_PUT);
	cr_expect_eq(match(0, "/nope", &m), ROUTE_NOT_FOUND);
}

Test(router, head_is_get)
{
	cr_expect_eq(router_method_bit("HEAD"), M_GET);
	expect_found(router_method_bit("HEAD"), "/account", h_account);
	expect_found(router_method_bit("HEAD"), "/items/9", h_item);
}

Test(router, method_bits)
{
	cr_expect_eq(router_method_bit("GET"), M_GET);
	cr_expect_eq(router_method_bit("POST"), M_POST);
	cr_expect_eq(router_method_bit("PUT"), M_PUT);
	cr_expect_eq(router_method_bit("PATCH"), M_PATCH);
	cr_expect_eq(router_method_bit("DELETE"), M_DELETE);
	static const char *const unknown[] = {
		"OPTIONS", "TRACE", "CONNECT", "PROPFIND", "", "get", "Get", "GET ", " GET",
		"GETX", "POS", "head",
	};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		cr_expect_eq(router_method_bit(unknown[i]), 0, "\"%s\" gave a bit", unknown[i]);
}

Test(router, allow_header)
{
	char out[64];
	router_allow_header(M_GET | M_POST, out, sizeof out);
	cr_expect_str_eq(out, "GET, HEAD, POST");
	router_allow_header(M_GET, out, sizeof out);
	cr_expect_str_eq(out, "GET, HEAD");
	router_allow_header(M_POST, out, sizeof out);
	cr_expect_str_eq(out, "POST");
	router_allow_header(M_DELETE | M_PUT, out, sizeof out);
	cr_expect_str_eq(out, "PUT, DELETE");
	router_allow_header(M_GET | M_POST | M_PUT | M_PATCH | M_DELETE, out, sizeof out);
	cr_expect_str_eq(out, "GET, HEAD, POST, PUT, PATCH, DELETE");
	memcpy(out, "junk", 5);
	router_allow_header(0, out, sizeof out);
	cr_expect_str_eq(out, "");
}

Test(router, allow_header_small_buffer_stays_in_bounds)
{
	struct { char out[12]; char canary[16]; } s;
	memset(&s, 'C', sizeof s);
	router_allow_header(M_GET | M_POST | M_PUT, s.out, sizeof s.out);
	cr_expect_lt(strlen(s.out), sizeof s.out);
	cr_expect_eq(strncmp(s.out, "GET, HEAD", 9), 0);
	for (size_t i = 0; i < sizeof s.canary; i++)
		cr_assert_eq(s.canary[i], 'C', "wrote past the buffer at %zu", i);
}
