/* server.h - `hearth serve`: the libmicrohttpd daemon with its epoll thread
 * pool (one thread per core), each thread with its own database connection.
 * Connection timeout, connection limit, per-address limit and per-connection
 * memory limit are always set. Runs until SIGTERM or SIGINT, then stops
 * accepting, lets requests in flight finish (up to 10 s) and returns. */
#ifndef HEARTH_SERVER_H
#define HEARTH_SERVER_H

#include "../base/err.h"
#include "../web/web.h"

#include <stdbool.h>
#include <stddef.h>

struct server_options {
	const char *database_url;
	const char *listen;              /* "127.0.0.1:8080", "[::1]:8080" */
	int threads;                     /* 0: one per core */
	unsigned connection_limit;       /* default 1024 */
	unsigned per_address_limit;      /* default 64 */
	unsigned timeout_seconds;        /* default 30 */
	size_t connection_memory;        /* default 16 KiB (zeroed between requests) */
	unsigned password_hash_concurrency; /* argon2id at once; 0: half the cores, at least 1 */
	size_t max_form_bytes;           /* default 64 KiB */
	size_t max_json_bytes;           /* default 64 KiB */
	size_t page_cache_bytes;         /* default 8 MiB; 0 turns the page cache off */
	bool search_cache;               /* default on: members share search answers */
	bool trust_proxy;                /* take the client address from X-Forwarded-For */
	struct web_site site;            /* filled further by server_run (secret, version) */
};

void server_options_defaults(struct server_options *o);
/* Parses "host:port" into a socket address description; for messages. */
int server_parse_listen(const char *listen, char *host, size_t host_size, int *port, herr *e);
int server_run(struct server_options *o, herr *e);

#endif
