/* server.c - the daemon: options, the thread pool with one database
 * connection per worker thread, and a clean stop on SIGTERM/SIGINT
 * (see server.h). One request's life is in request.c. */
#include "http_internal.h"

#include "connections.h"
#include "metrics.h"
#include "ops.h"
#include "page_cache.h"
#include "static_files.h"
#include "../app/password.h"
#include "../app/search_cache.h"
#include "../app/settings.h"
#include "../base/log.h"
#include "../base/small_blocks.h"
#include "../web/view.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct http_state http_state;

static unsigned char server_secret[SETTINGS_SECRET_BYTES];

void server_options_defaults(struct server_options *o)
{
	memset(o, 0, sizeof *o);
	o->listen = "127.0.0.1:8080";
	o->connection_limit = 1024;
	o->per_address_limit = 64;
	o->timeout_seconds = 30;
	o->connection_memory = 16 * 1024;
	o->page_cache_bytes = 8 * 1024 * 1024;
	o->search_cache = true;
	o->max_form_bytes = 64 * 1024;
	o->max_json_bytes = 64 * 1024;
	o->site.network_name = "Hearth";
	o->site.session_idle_seconds = 30 * 60;
	o->site.session_absolute_seconds = 12 * 60 * 60;
	o->site.login_account_failures = 5;
	o->site.login_address_failures = 20;
}

/* ---- one database connection per worker thread -------------------- */

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void close_thread_db(void *p)
{
	db_close(p);
}

static void make_db_key(void)
{
	pthread_key_create(&db_key, close_thread_db);
}

db *server_thread_db(herr *e)
{
	pthread_once(&db_key_once, make_db_key);
	db *d = pthread_getspecific(db_key);
	if (d)
		return d;
	d = db_open(http_state.opt->database_url, e);
	if (d)
		pthread_setspecific(db_key, d);
	else
		log_event("error", "database_open_failed", "message", e ? e->message : "", NULL);
	return d;
}

/* ---- listening address -------------------------------------------- */

int server_parse_listen(const char *listen, char *host, size_t host_size, int *port, herr *e)
{
	const char *colon;
	size_t hlen;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':')
			return herr_set(e, ERR_INVALID, "listen", "Write an IPv6 address as [::1]:8080.");
		hlen = (size_t)(close - listen - 1);
		listen++;
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return herr_set(e, ERR_INVALID, "listen",
					"Give the address to listen on as host:port, e.g. 127.0.0.1:8080.");
		hlen = (size_t)(colon - listen);
	}
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || p < 0 || p > 65535 || colon[1] == '\0')
		return herr_set(e, ERR_INVALID, "listen", "The port must be a number from 0 to 65535.");
	if (hlen == 0 || hlen >= host_size)
		return herr_set(e, ERR_INVALID, "listen", "The host part of the address is missing or too long.");
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	*port = (int)p;
	return 0;
}

/* ---- requests, as connections.c sees them ---------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	connections_request_call(conn, *upload_data_size);
	return request_handle(cls, conn, url, method, version, upload_data, upload_data_size,
			      con_cls);
}

static void on_request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
				 enum MHD_RequestTerminationCode toe)
{
	request_end(cls, conn, con_cls, toe);
	connections_request_done(conn);
}

static void collect_tables(void)
{
	const struct web_route *const *all_tables = http_route_tables();
	http_state.tables = all_tables;
	for (size_t t = 0; all_tables[t]; t++)
		for (const struct web_route *r = all_tables[t]; r->pattern; r++)
			metrics_route_slot(r->pattern);
	http_state.static_slot = metrics_route_slot("/static/{file}");
	http_state.notfound_slot = metrics_route_slot("unmatched");
}

/* Reads what every node must agree on from the database: the secret. */
static int load_site_state(struct server_options *o, herr *e)
{
	db *d = db_open(o->database_url, e);
	if (!d)
		return e ? e->code : ERR_DB;
	int known = db_schema_latest(), have = db_schema_version(d);
	int rc = 0;
	if (have < known)
		rc = herr_set(e, ERR_INVALID, NULL,
			      "The database is at schema version %d but this program needs %d. "
			      "Run `hearth migrate` first.", have, known);
	else if (settings_secret(d, server_secret))
		rc = herr_set(e, ERR_DB, NULL, "Could not read the server secret: %s", db_errmsg(d));
	db_close(d);
	o->site.secret = server_secret;
	o->site.static_version = static_files_version();
	return rc;
}

static struct MHD_Daemon *start_daemon(struct server_options *o, herr *e)
{
	char host[128];
	int port;
	int rc = server_parse_listen(o->listen, host, sizeof host, &port, e);
	if (rc)
		return NULL;
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	struct sockaddr *addr;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &v4.sin_addr) == 1)
		addr = (struct sockaddr *)&v4;
	else if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1) {
		addr = (struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		herr_set(e, ERR_INVALID, "listen", "Listen on a numeric address (for example "
			 "127.0.0.1 or ::1), not \"%s\".", host);
		return NULL;
	}
	int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	/* connections_accept enforces connection_limit across all workers; MHD
	 * splits its own limit between them and, at it, stops accepting rather
	 * than refusing, so its limit is set where no one worker reaches it. */
	struct MHD_Daemon *daemon = MHD_start_daemon(flags, (uint16_t)port,
		connections_accept, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, connections_log_library, NULL,
		MHD_OPTION_SOCK_ADDR, addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, (o->connection_limit + 1u) * (unsigned)threads,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_address_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_seconds,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->connection_memory,
		MHD_OPTION_URI_LOG_CALLBACK, request_begin, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_request_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, connections_notify, NULL,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		MHD_OPTION_END);
	if (!daemon)
		herr_set(e, ERR_INTERNAL, "listen", "Could not listen on %s: %s (is another "
			 "program using that port?)", o->listen, strerror(errno));
	return daemon;
}

static void wait_for_inflight(int max_seconds)
{
	for (int i = 0; i < max_seconds * 20; i++) {
		if (__atomic_load_n(&http_state.inflight, __ATOMIC_RELAXED) <= 0)
			return;
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
}

/* Big blocks (a network's check-in figures hold tens of MB for a moment)
 * go back to the system when freed. By default glibc raises its mmap
 * threshold after the first such free and from then on serves big blocks
 * from each worker thread's heap, where they stay resident after the
 * request; a fixed threshold keeps the server at its resting size.
 *
 * Fixing it also fixes the trim threshold at its 128 KiB default, and then
 * every request that freed a few hundred KB of arena blocks handed them
 * back to the kernel (madvise) and faulted them in again on the next: a
 * sixth of the time of a member's /me page. Each heap may keep 4 MiB free. */
static void return_big_blocks(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
#endif
}

int server_run(struct server_options *o, herr *e)
{
	return_big_blocks();
	json_set_alloc_funcs(small_blocks_alloc, small_blocks_free);
	http_state.opt = o;
	static_files_init();
	collect_tables();
	page_cache_start(o->page_cache_bytes);
	search_cache_use(o->search_cache);
	int rc = view_init(e);
	if (!rc)
		rc = load_site_state(o, e);
	if (rc)
		return rc;

	/* Workers inherit this mask, so only sigwait below sees the signals. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	password_set_concurrency(o->password_hash_concurrency);
	if ((rc = connections_start(o->connection_limit, o->timeout_seconds, e)))
		return rc;
	struct MHD_Daemon *daemon = start_daemon(o, e);
	if (!daemon) {
		connections_stop();
		return e ? e->code : ERR_INTERNAL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	char port[8];
	snprintf(port, sizeof port, "%u", info ? info->port : 0);
	log_event("notice", "listening", "listen", o->listen, "port", port,
		  "backend", db_url_is_postgres(o->database_url) ? "postgres" : "sqlite", NULL);

	int sig = 0;
	sigwait(&stop, &sig);
	log_event("notice", "stopping", "signal", sig == SIGTERM ? "TERM" : "INT", NULL);
	MHD_quiesce_daemon(daemon);
	wait_for_inflight(10);
	MHD_stop_daemon(daemon);
	connections_stop();
	page_cache_stop();
	view_free();
	log_event("notice", "stopped", NULL);
	return 0;
}
