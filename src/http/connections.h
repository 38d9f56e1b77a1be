/* connections.h - the open connections of `hearth serve`, watched so that
 * load and slow clients cannot take the server away from everyone else.
 *
 * libmicrohttpd alone falls short in two ways, both shown by
 * tests/system/load.test.mjs:
 * - at its connection limit a worker stops accepting, so surplus clients
 *   wait in the kernel's listen queue with no answer at all; here they are
 *   accepted and closed at once (the client reads end-of-file);
 * - its timeout measures idleness only, so a client trickling a byte a
 *   second holds its connection for ever; here a request (line, headers
 *   and body) must arrive whole within the timeout of the connection
 *   opening or of the previous answer, or the connection is closed.
 * Both are logged with no address: a slow request as one line, refusals
 * as one line a second at most, with their count. */
#ifndef HEARTH_CONNECTIONS_H
#define HEARTH_CONNECTIONS_H

#include "../base/err.h"

#include <microhttpd.h>
#include <stddef.h>

/* Starts the watcher thread; limit is the most connections open at once,
 * request_seconds the time a request may take to arrive. */
int connections_start(unsigned limit, unsigned request_seconds, herr *e);
/* Stops the watcher thread (after the daemon has stopped). */
void connections_stop(void);

/* MHD callbacks: the accept policy, the connection notifier, the log. */
enum MHD_Result connections_accept(void *cls, const struct sockaddr *addr, socklen_t len);
void connections_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode toe);
void connections_log_library(void *cls, const char *format, va_list ap);

/* From the access handler, before the request's own code runs: a call
 * with no body bytes after the first means the request has arrived whole. */
void connections_request_call(struct MHD_Connection *conn, size_t upload_size);
/* From the completion callback: the next request's time starts now. */
void connections_request_done(struct MHD_Connection *conn);

#endif
