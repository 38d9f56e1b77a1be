/* openapi.h - the OpenAPI 3.1 description of Hearth's JSON API, made from
 * the route tables themselves: every route's method and path with its
 * {parameters}, its access level (as security and a note), a tag for its
 * area, and the notes kept beside each route (struct web_doc in web/web.h):
 * summary, query, request and response schemas, extra statuses. Served at
 * /api/v1/openapi.json (and /openapi.json); `hearth routes` prints the same
 * routes one per line. Because the document is built from the tables the
 * router uses, a route cannot be missing from it. */
#ifndef HEARTH_OPENAPI_H
#define HEARTH_OPENAPI_H

#include "../base/err.h"
#include "../web/web.h"

#include <jansson.h>
#include <stdio.h>

/* GET /openapi.json; listed by http_route_tables (ops.c). */
extern const struct web_route openapi_routes[];

/* Every route table the server answers from, NULL-terminated, in the
 * router's order: the page files' tables, then the operational endpoints
 * (as server.c collects them). */
const struct web_route *const *openapi_route_tables(void);

/* "public", "signed_in", "coordinator", "admin" or "nobody". */
const char *openapi_access_name(int access);

/* The document for tables as a new JSON object the caller owns. Fails
 * (ERR_INVALID, naming the route) when a route's notes hold a schema that
 * cannot be read, or when a route can never be reached because another
 * route with the same method matches its path first. */
int openapi_document(const struct web_route *const tables[], json_t **ret, herr *e);

/* A schema as written in a web_doc (JSON Schema text or the compact field
 * list) as JSON Schema: a new object the caller owns. */
int openapi_schema(const char *text, json_t **ret, herr *e);

/* Writes "METHOD PATH ACCESS" for each method of each route, one a line. */
void openapi_print_routes(FILE *out, const struct web_route *const tables[]);

#endif
