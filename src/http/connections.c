/* connections.c - the open connections: a clean refusal over the limit and
 * a deadline for each request to arrive (see connections.h). */
#include "connections.h"

#include "metrics.h"
#include "../base/log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* One open connection, from MHD's "started" to its "closed" notification,
 * which comes before MHD closes the socket: while an entry is in the list
 * under the lock, its fd is still this connection's. */
struct watched {
	struct watched *prev, *next;
	int fd;
	int64_t since_ms;        /* connection opened, or the previous answer done */
	unsigned calls;          /* access handler calls for the current request */
	bool arrived;            /* the current request has arrived whole */
	bool closing;            /* shut down here, waiting for MHD to notice */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct watched *head;
static unsigned open_count, reserved, limit;
static int64_t deadline_ms;
static bool stopping;
static pthread_t watcher;
static bool watcher_running;

/* The accept policy and the "started" notification run one after the other
 * on the accepting worker thread. A reservation still held at the next
 * accept means MHD gave up on that connection (out of memory) before it
 * started, so it is reused rather than leaked. */
static _Thread_local bool holds_reservation;

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- refusing over the limit ----------------------------------------- */

/* Refusals are logged at most once a second for each reason, with how many
 * there were, so that a flood of connections does not flood the log too:
 * the first at once, the rest by the watcher when the second is up. */
struct refusals {
	const char *reason;
	unsigned count;
	int64_t logged_ms;
};

static struct refusals by_limit = { "connection_limit", 0, INT64_MIN / 2 };
static struct refusals by_address = { "per_address_limit", 0, INT64_MIN / 2 };

/* Takes the count due for logging now (0 if none); call with the lock. */
static unsigned refusals_due(struct refusals *r, int64_t now)
{
	if (!r->count || now - r->logged_ms < 1000)
		return 0;
	unsigned n = r->count;
	r->count = 0;
	r->logged_ms = now;
	return n;
}

static void log_refusals(const struct refusals *r, unsigned n)
{
	char count[16];
	if (!n)
		return;
	snprintf(count, sizeof count, "%u", n);
	log_event("warning", "connection_refused", "reason", r->reason, "count", count, NULL);
}

static void count_refusal(struct refusals *r)
{
	pthread_mutex_lock(&lock);
	r->count++;
	unsigned n = refusals_due(r, monotonic_ms());
	pthread_mutex_unlock(&lock);
	log_refusals(r, n);
}

enum MHD_Result connections_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	bool refuse = false;
	pthread_mutex_lock(&lock);
	if (!holds_reservation) {
		if (open_count + reserved >= limit)
			refuse = true;
		else {
			reserved++;
			holds_reservation = true;
		}
	}
	pthread_mutex_unlock(&lock);
	if (refuse)
		count_refusal(&by_limit);
	return refuse ? MHD_NO : MHD_YES;
}

static void watch(struct MHD_Connection *conn, void **socket_context)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct watched *w = calloc(1, sizeof *w);
	pthread_mutex_lock(&lock);
	if (holds_reservation) {
		reserved--;
		holds_reservation = false;
	}
	open_count++;
	if (w && info) {
		w->fd = info->connect_fd;
		w->since_ms = monotonic_ms();
		w->next = head;
		if (head)
			head->prev = w;
		head = w;
		*socket_context = w;
	}
	pthread_mutex_unlock(&lock);
	if (!*socket_context)
		free(w);  /* not watched: only its count is kept */
}

static void unwatch(void **socket_context)
{
	struct watched *w = *socket_context;
	pthread_mutex_lock(&lock);
	open_count--;
	if (w) {
		if (w->prev)
			w->prev->next = w->next;
		else
			head = w->next;
		if (w->next)
			w->next->prev = w->prev;
	}
	pthread_mutex_unlock(&lock);
	free(w);
	*socket_context = NULL;
}

void connections_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		metrics_connection_opened();
		watch(conn, socket_context);
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		metrics_connection_closed();
		unwatch(socket_context);
	}
}

/* ---- the deadline for a request to arrive ------------------------------ */

static struct watched *watched_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

void connections_request_call(struct MHD_Connection *conn, size_t upload_size)
{
	struct watched *w = watched_of(conn);
	if (!w)
		return;
	pthread_mutex_lock(&lock);
	if (w->calls++ > 0 && upload_size == 0)
		w->arrived = true;
	pthread_mutex_unlock(&lock);
}

void connections_request_done(struct MHD_Connection *conn)
{
	struct watched *w = watched_of(conn);
	if (!w)
		return;
	pthread_mutex_lock(&lock);
	w->calls = 0;
	w->arrived = false;
	w->since_ms = monotonic_ms();
	pthread_mutex_unlock(&lock);
}

/* Shuts down every connection whose request is overdue; MHD's worker sees
 * the end of the stream and closes it on its own thread. Returns how many
 * were still sending headers and how many a body. */
static void close_overdue(unsigned *in_headers, unsigned *in_body)
{
	int64_t now = monotonic_ms();
	pthread_mutex_lock(&lock);
	for (struct watched *w = head; w; w = w->next) {
		if (w->arrived || w->closing || now - w->since_ms < deadline_ms)
			continue;
		shutdown(w->fd, SHUT_RDWR);
		w->closing = true;
		if (w->calls)
			(*in_body)++;
		else
			(*in_headers)++;
	}
	pthread_mutex_unlock(&lock);
}

static void log_closed(const char *phase, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		log_event("notice", "slow_request_closed", "phase", phase, NULL);
}

static void *watch_deadlines(void *unused)
{
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&wake, &lock, &until);
		if (stopping)
			break;
		pthread_mutex_unlock(&lock);
		unsigned in_headers = 0, in_body = 0;
		close_overdue(&in_headers, &in_body);
		log_closed("headers", in_headers);
		log_closed("body", in_body);
		pthread_mutex_lock(&lock);
		int64_t now = monotonic_ms();
		unsigned over_limit = refusals_due(&by_limit, now);
		unsigned over_address = refusals_due(&by_address, now);
		pthread_mutex_unlock(&lock);
		log_refusals(&by_limit, over_limit);
		log_refusals(&by_address, over_address);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* A request gets the timeout and one second more: an idle keep-alive
 * connection is closed by MHD's own (idle) timeout first and quietly, so
 * only clients that keep sending too slowly reach this deadline. */
int connections_start(unsigned max_open, unsigned request_seconds, herr *e)
{
	limit = max_open;
	deadline_ms = ((int64_t)request_seconds + 1) * 1000;
	stopping = false;
	int rc = pthread_create(&watcher, NULL, watch_deadlines, NULL);
	if (rc)
		return herr_set(e, ERR_INTERNAL, NULL, "Could not start the connection watcher: %s",
				strerror(rc));
	watcher_running = true;
	return 0;
}

void connections_stop(void)
{
	if (!watcher_running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(watcher, NULL);
	watcher_running = false;
}

/* ---- libmicrohttpd's own messages ------------------------------------- */

/* MHD's messages become log lines. Its only refusal left (the limit per
 * address, checked before connections_accept) is a warning like ours; the
 * rest is detail for operators at "info". Only the format is logged, never
 * its arguments: some of them are the raw URL, which can hold a token. */
void connections_log_library(void *cls, const char *format, va_list ap)
{
	char message[256];
	snprintf(message, sizeof message, "%s", format);
	size_t n = strlen(message);
	while (n && (message[n - 1] == '\n' || message[n - 1] == '.'))
		message[--n] = '\0';
	if (strstr(message, "reached connection limit"))
		count_refusal(&by_address);
	else
		log_event("info", "http_library", "message", message, NULL);
}
