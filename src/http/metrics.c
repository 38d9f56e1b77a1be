/* metrics.c - request counters and latency histogram (see metrics.h). */
#include "metrics.h"

#include <stdio.h>
#include <string.h>

static const int statuses[] = { 200, 201, 204, 303, 304, 400, 401, 403, 404, 405,
				409, 413, 415, 422, 429, 500, 503 };
#define NSTATUS (int)(sizeof statuses / sizeof statuses[0])
#define OTHER_STATUS NSTATUS

static const double bucket_seconds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
					 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define NBUCKETS (int)(sizeof bucket_seconds / sizeof bucket_seconds[0])

static const char *route_names[METRICS_MAX_ROUTES];
static int nroutes;
static uint64_t requests[METRICS_MAX_ROUTES][NSTATUS + 1];
static uint64_t buckets[NBUCKETS + 1];
static uint64_t latency_count;
static uint64_t latency_sum_us;
static int64_t open_connections;

int metrics_route_slot(const char *name)
{
	for (int i = 0; i < nroutes; i++)   /* the same pointer, usually: a route's pattern */
		if (route_names[i] == name)
			return i;
	for (int i = 0; i < nroutes; i++)
		if (strcmp(route_names[i], name) == 0)
			return i;
	if (nroutes == METRICS_MAX_ROUTES)
		return METRICS_MAX_ROUTES - 1;
	route_names[nroutes] = name;
	return nroutes++;
}

static int status_slot(int status)
{
	for (int i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	return OTHER_STATUS;
}

void metrics_record(int slot, int status, int64_t us)
{
	if (slot < 0 || slot >= METRICS_MAX_ROUTES)
		return;
	__atomic_fetch_add(&requests[slot][status_slot(status)], 1, __ATOMIC_RELAXED);
	int b = 0;
	while (b < NBUCKETS && (double)us / 1e6 > bucket_seconds[b])
		b++;
	__atomic_fetch_add(&buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&latency_count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&latency_sum_us, (uint64_t)(us > 0 ? us : 0), __ATOMIC_RELAXED);
}

void metrics_connection_opened(void)
{
	__atomic_fetch_add(&open_connections, 1, __ATOMIC_RELAXED);
}

void metrics_connection_closed(void)
{
	__atomic_fetch_sub(&open_connections, 1, __ATOMIC_RELAXED);
}

int64_t metrics_open_connections(void)
{
	return __atomic_load_n(&open_connections, __ATOMIC_RELAXED);
}

void metrics_render(buf *out)
{
	buf_puts(out, "# HELP hearth_http_requests_total HTTP requests answered, by route and status.\n"
		      "# TYPE hearth_http_requests_total counter\n");
	for (int r = 0; r < nroutes; r++)
		for (int s = 0; s <= NSTATUS; s++) {
			uint64_t n = __atomic_load_n(&requests[r][s], __ATOMIC_RELAXED);
			if (!n)
				continue;
			char code[8] = "other";
			if (s != OTHER_STATUS)
				snprintf(code, sizeof code, "%d", statuses[s]);
			buf_printf(out, "hearth_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
				   route_names[r], code, (unsigned long long)n);
		}
	buf_puts(out, "# HELP hearth_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE hearth_http_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (int b = 0; b < NBUCKETS; b++) {
		cumulative += __atomic_load_n(&buckets[b], __ATOMIC_RELAXED);
		buf_printf(out, "hearth_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   bucket_seconds[b], (unsigned long long)cumulative);
	}
	cumulative += __atomic_load_n(&buckets[NBUCKETS], __ATOMIC_RELAXED);
	buf_printf(out, "hearth_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		   (unsigned long long)cumulative);
	buf_printf(out, "hearth_http_request_duration_seconds_sum %.6f\n",
		   (double)__atomic_load_n(&latency_sum_us, __ATOMIC_RELAXED) / 1e6);
	buf_printf(out, "hearth_http_request_duration_seconds_count %llu\n",
		   (unsigned long long)__atomic_load_n(&latency_count, __ATOMIC_RELAXED));
	buf_printf(out, "# HELP hearth_http_open_connections Connections open now.\n"
			"# TYPE hearth_http_open_connections gauge\n"
			"hearth_http_open_connections %lld\n",
		   (long long)metrics_open_connections());
}
