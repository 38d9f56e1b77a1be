/* ops.c - operational endpoints: /healthz for load balancers and monitors,
 * /metrics for Prometheus. They live in http/ because they report on the
 * server itself. */
#include "ops.h"

#include "metrics.h"
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
	return 0;
}

const struct web_route ops_routes[] = {
	{ M_GET, "/healthz", healthz, ACCESS_PUBLIC },
	{ M_GET, "/metrics", metrics, ACCESS_PUBLIC },
	{ 0 }
};
