/* ops.c - operational endpoints: /healthz for load balancers and monitors,
 * /metrics for Prometheus. They live in http/ because they report on the
 * server itself. */
#include "ops.h"

#include "metrics.h"
#include "page_cache.h"
#include "openapi.h"
#include "../app/search_cache.h"

#include <pthread.h>
#include "../web/view.h"

static int healthz(wreq *r)
{
	bool db_ok = db_ping(r->db) == 0;
	r->want_json = true;
	return web_page(r, db_ok ? 200 : 503, NULL, NULL,
			json_pack("{s:s, s:s, s:s}", "status", db_ok ? "ok" : "unavailable",
				  "database", db_ok ? "ok" : "unreachable",
				  "backend", db_backend_name(r->db)));
}

static int metrics(wreq *r)
{
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_reset(&r->out);
	metrics_render(&r->out);
	page_cache_metrics(&r->out);
	uint64_t hits, misses;
	search_cache_counts(&hits, &misses);
	buf_printf(&r->out, "# HELP hearth_search_cache_hits_total Directory searches answered from "
			    "the search cache.\n"
			    "# TYPE hearth_search_cache_hits_total counter\n"
			    "hearth_search_cache_hits_total %llu\n"
			    "# HELP hearth_search_cache_misses_total Directory searches worked out afresh.\n"
			    "# TYPE hearth_search_cache_misses_total counter\n"
			    "hearth_search_cache_misses_total %llu\n",
		   (unsigned long long)hits, (unsigned long long)misses);
	return 0;
}

/* What the API description says about these routes (http/openapi.c). */
static const struct web_doc healthz_doc = {
	.summary = "Whether the server and its database are up",
	.description = "503 with status \"unavailable\" when the database cannot be reached.",
	.response = "status!:ok|unavailable database!:ok|unreachable backend!:string",
	.errors = "503",
};
static const struct web_doc metrics_doc = {
	.summary = "Metrics in the Prometheus text format", .response = "text/plain",
};

const struct web_route ops_routes[] = {
	{ M_GET, "/healthz", healthz, ACCESS_PUBLIC, &healthz_doc },
	{ M_GET, "/metrics", metrics, ACCESS_PUBLIC, &metrics_doc },
	{ 0 }
};

#define MAX_TABLES 64

static const struct web_route *all_tables[MAX_TABLES];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void collect_all_tables(void)
{
	size_t n = 0;
	for (size_t i = 0; web_route_tables[i] && n < MAX_TABLES - 3; i++)
		all_tables[n++] = web_route_tables[i];
	all_tables[n++] = ops_routes;
	all_tables[n++] = openapi_routes;
	all_tables[n] = NULL;
}

const struct web_route *const *http_route_tables(void)
{
	pthread_once(&tables_once, collect_all_tables);
	return all_tables;
}
