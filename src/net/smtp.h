/* smtp.h - handing one finished message to the network's SMTP relay with
 * libcurl (smtp:// or smtps://, optional STARTTLS and login). The layer
 * below app/: it knows nothing of people or posts, only of an envelope and
 * bytes. Call smtp_global_init() once at start-up, before any thread. */
#ifndef HEARTH_SMTP_H
#define HEARTH_SMTP_H

#include "../base/err.h"

#include <stdbool.h>
#include <stddef.h>

struct smtp_relay {
	const char *url;          /* "smtp://127.0.0.1:2525", "smtps://mail.example.org" */
	const char *username;     /* NULL or "" for no login */
	const char *password;
	bool starttls;            /* insist on STARTTLS for smtp:// */
	long timeout_seconds;     /* for the whole exchange; 0: 30 */
};

/* curl_global_init, once, before threads start. 0 or ERR_INTERNAL. */
int smtp_global_init(void);

/* Sends message (len bytes, CRLF line ends, headers included) from
 * from_addr to to_addr. On return *ret_reply holds the relay's last reply
 * code (250 on success; 0 when it never answered). A refusal or a broken
 * connection is ERR_CONFLICT, with a message that names neither the
 * addresses nor the content (fit for the log). Thread-safe. */
int smtp_send(const struct smtp_relay *relay, const char *from_addr, const char *to_addr,
	      const char *message, size_t len, long *ret_reply, herr *e);

#endif
