/* metrics.h - counters for /metrics in the Prometheus text format:
 * requests by route and status, a latency histogram, open connections.
 * Lock-free (atomic adds), safe from every worker thread. */
#ifndef HEARTH_METRICS_H
#define HEARTH_METRICS_H

#include "../base/buf.h"

#include <stdint.h>

#define METRICS_MAX_ROUTES 256

/* Names the route slots: call once before serving. name is kept. */
int metrics_route_slot(const char *name);
void metrics_record(int slot, int status, int64_t microseconds);
void metrics_connection_opened(void);
void metrics_connection_closed(void);
int64_t metrics_open_connections(void);
void metrics_render(buf *out);

#endif
