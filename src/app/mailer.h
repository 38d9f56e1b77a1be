/* mailer.h - the background mailer `hearth serve` runs beside the web
 * workers: one thread with its own database connection that wakes every
 * poll_ms (or at once when a post is queued, outbox_wake), queues the
 * digests that have fallen due, claims due outbox rows, composes each
 * email (render/email.h) and hands it to the relay (net/smtp.h). A failed
 * send is retried with exponential backoff and logged (the outbox id and
 * the relay's reply code, never an address or a body); after max_attempts
 * it is given up with an error in the log. No request ever waits on it.
 *
 * With no relay configured the mailer is not started and nothing is queued
 * (notification_set_delivery(false)). */
#ifndef HEARTH_MAILER_H
#define HEARTH_MAILER_H

#include "../base/err.h"
#include "../net/smtp.h"

#include <stdbool.h>

struct mailer_options {
	const char *database_url;
	struct smtp_relay relay;      /* relay.url NULL or "": no email at all */
	const char *from_addr;        /* the envelope and From address */
	const char *from_name;        /* the network's name */
	const char *public_url;       /* "https://hearth.example.org", for links */
	int poll_ms;                  /* default 5000 */
	int retry_base_ms;            /* first wait after a failure; default 60000 */
	int max_attempts;             /* default 8 */
	int digest_hour;              /* local hour digests fall due; default 8 */
};

void mailer_options_defaults(struct mailer_options *o);
/* Whether o names a relay (and so email is on). */
bool mailer_configured(const struct mailer_options *o);
/* Checks the options a configured mailer needs (from_addr a plain address,
 * public_url http(s)://...); errors name the setting. */
int mailer_check(const struct mailer_options *o, herr *e);

struct mailer;
/* Starts the thread (o is copied; its strings must outlive the mailer).
 * NULL with e filled when the thread cannot start. */
struct mailer *mailer_start(const struct mailer_options *o, herr *e);
/* Asks the thread to stop, waits for the message in hand, frees. NULL ok. */
void mailer_stop(struct mailer *m);

#endif
