/* ops.h - the routes of /healthz and /metrics. */
#ifndef HEARTH_OPS_H
#define HEARTH_OPS_H

#include "../web/web.h"

extern const struct web_route ops_routes[];

#endif
