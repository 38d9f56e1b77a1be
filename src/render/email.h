/* email.h - one email as RFC 5322 text: From, To, Subject, Date,
 * Message-ID, MIME multipart/alternative with a text/plain and a text/html
 * part (UTF-8, base64), and the RFC 8058 one-click unsubscribe headers.
 *
 * Header injection is impossible by construction: addresses and the
 * Message-ID are refused (ERR_INVALID) when they hold anything outside
 * their plain form (so no CR, LF, '<', '>', '"', ',' or space); names and
 * the subject, which people write, have every control character (CR and LF
 * among them) folded into a space, and are sent as RFC 2047 encoded-words
 * when they are not plain printable ASCII. Bodies are base64, so nothing in
 * them can end the headers or a part.
 *
 * A pure function: the caller gives the time, the boundary and the
 * Message-ID, so the same input always builds the same bytes. */
#ifndef HEARTH_EMAIL_H
#define HEARTH_EMAIL_H

#include "../base/buf.h"
#include "../base/err.h"

#include <stdint.h>

struct email_message {
	const char *from_name;       /* "Sheffield Peer Network"; may be NULL */
	const char *from_addr;       /* "hearth@example.org" */
	const char *to_name;         /* may be NULL */
	const char *to_addr;
	const char *subject;
	const char *text;            /* the text/plain part, UTF-8, "\n" line ends */
	const char *html;            /* the text/html part: a whole document */
	int64_t date_ms;             /* Unix ms, written in UTC */
	const char *message_id;      /* "id@host", without the angle brackets */
	const char *boundary;        /* the MIME boundary: letters, digits, "-_." */
	const char *unsubscribe_url; /* https://.../unsubscribe?t=...; may be NULL */
};

/* Appends the message, with CRLF line ends, to out. ERR_INVALID (naming
 * the field: "to", "from", "message_id", "boundary", "unsubscribe_url")
 * when an address or token is not in its plain form; ERR_NOMEM. */
int email_build(const struct email_message *m, buf *out, herr *e);

/* Whether s is an address Hearth will write into a header and give to the
 * relay: local@domain, printable ASCII without space, quotes, angle
 * brackets, commas or semicolons, at most 254 bytes. */
int email_address_plain(const char *s);

/* Appends text as a header value: unchanged when printable ASCII, else as
 * RFC 2047 "=?UTF-8?B?...?=" words folded onto continuation lines; control
 * characters become spaces. For display names and subjects. */
void email_header_text(buf *out, const char *text);

/* Appends base64 of n bytes of data in lines of 76 characters, each ending
 * in CRLF. */
void email_base64_lines(buf *out, const void *data, size_t n);

#endif
