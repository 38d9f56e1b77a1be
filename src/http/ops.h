/* ops.h - the routes of /healthz and /metrics. */
#ifndef HEARTH_OPS_H
#define HEARTH_OPS_H

#include "../web/web.h"

extern const struct web_route ops_routes[];

/* Every route the server answers: the page files' tables (web/routes.c),
 * then /healthz, /metrics and /openapi.json. NULL-terminated; built once. */
const struct web_route *const *http_route_tables(void);

#endif
