/* http_internal.h - state shared by server.c (the daemon) and request.c (one
 * request's life). Not for other layers. */
#ifndef HEARTH_HTTP_INTERNAL_H
#define HEARTH_HTTP_INTERNAL_H

#include "server.h"

#include <microhttpd.h>

struct http_state {
	struct server_options *opt;
	const struct web_route *const *tables;
	int static_slot, notfound_slot;
	int64_t inflight;                /* requests between start and completion */
};

extern struct http_state http_state;

/* MHD callbacks (request.c). */
void *request_begin(void *cls, const char *uri, struct MHD_Connection *conn);
enum MHD_Result request_handle(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls);
void request_end(void *cls, struct MHD_Connection *conn, void **con_cls,
		 enum MHD_RequestTerminationCode toe);
/* The calling worker thread's database connection, opened on first use. */
db *server_thread_db(herr *e);

#endif
