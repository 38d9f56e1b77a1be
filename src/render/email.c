/* email.c - building one email as RFC 5322 text (see email.h). */
#include "email.h"

#include <string.h>
#include <time.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends base64 of n bytes, without line breaks. */
static void base64(buf *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n) v |= p[i + 2];
		char q[4] = { b64[(v >> 18) & 63], b64[(v >> 12) & 63],
			      i + 1 < n ? b64[(v >> 6) & 63] : '=', i + 2 < n ? b64[v & 63] : '=' };
		buf_append(out, q, 4);
	}
}

void email_base64_lines(buf *out, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i += 57) {   /* 57 bytes make 76 characters */
		base64(out, p + i, n - i < 57 ? n - i : 57);
		buf_puts(out, "\r\n");
	}
}

int email_address_plain(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n == 0 || n > 254 || !at || at == s || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const char *p = s; *p; p++)
		if (*p <= ' ' || *p >= 127 || strchr("\"<>(),;:[]\\", *p))
			return 0;
	return 1;
}

/* Whether every byte is printable ASCII (with space) and nothing in it
 * could be read as an encoded-word; phrase additionally keeps to the
 * characters a display name may hold unquoted. */
static int plain_text(const char *s, int phrase)
{
	if (strstr(s, "=?"))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < ' ' || *p >= 127)
			return 0;
		if (phrase && !(*p == ' ' || *p == '.' || *p == '-' || *p == '\'' ||
				(*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
			return 0;
	}
	return 1;
}

/* The length of the UTF-8 sequence that starts with byte c (1 for a stray
 * continuation byte, so the walk always advances). */
static size_t utf8_seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Appends s as encoded-words of at most 39 bytes each (52 characters of
 * base64, 64 with the markers, so even the first line with "Subject: "
 * stays within RFC 2047's 76), never splitting a character, folded with
 * CRLF SP; control characters become spaces. */
static void encoded_words(buf *out, const char *s)
{
	size_t n = strlen(s);
	unsigned char chunk[44];
	size_t i = 0, k = 0;
	int first = 1;
	while (i <= n) {
		size_t len = i < n ? utf8_seq_len((unsigned char)s[i]) : 0;
		if (i + len > n)
			len = n - i;
		if (i == n || k + len > 39) {
			if (k > 0 || first) {
				if (!first)
					buf_puts(out, "\r\n ");
				buf_puts(out, "=?UTF-8?B?");
				base64(out, chunk, k);
				buf_puts(out, "?=");
				first = 0;
			}
			k = 0;
			if (i == n)
				break;
		}
		for (size_t j = 0; j < len; j++) {
			unsigned char c = (unsigned char)s[i + j];
			chunk[k++] = (c < ' ' || c == 127) ? ' ' : c;
		}
		i += len;
	}
}

static void header_text(buf *out, const char *text, int phrase)
{
	if (!text)
		text = "";
	if (plain_text(text, phrase))
		buf_puts(out, text);
	else
		encoded_words(out, text);
}

void email_header_text(buf *out, const char *text)
{
	header_text(out, text, 0);
}

/* "Name <addr>" or "addr". */
static void mailbox(buf *out, const char *name, const char *addr)
{
	if (name && *name) {
		header_text(out, name, 1);
		buf_puts(out, " ");
	}
	buf_printf(out, "<%s>", addr);
}

static int token_plain(const char *s, const char *extra)
{
	if (!s || !*s || strlen(s) > 900)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z') || strchr(extra, *p)))
			return 0;
	return 1;
}

static void rfc5322_date(buf *out, int64_t ms)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		   months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* One part of the multipart body: its headers, then its text in base64
 * with "\n" made "\r\n" first, so the decoded part has proper line ends. */
static void part(buf *out, const char *boundary, const char *type, const char *text)
{
	buf_printf(out, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n", boundary, type);
	buf crlf = BUF_INIT;
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			buf_putc(&crlf, '\r');
		buf_putc(&crlf, *p);
	}
	if (crlf.oom)
		out->oom = true;
	email_base64_lines(out, crlf.data ? crlf.data : "", crlf.len);
	buf_free(&crlf);
}

int email_build(const struct email_message *m, buf *out, herr *e)
{
	if (!email_address_plain(m->from_addr))
		return herr_set(e, ERR_INVALID, "from", "The sender's address is not a plain address.");
	if (!email_address_plain(m->to_addr))
		return herr_set(e, ERR_INVALID, "to", "The recipient's address is not a plain address.");
	if (!token_plain(m->message_id, "@.-_+") || !strchr(m->message_id, '@'))
		return herr_set(e, ERR_INVALID, "message_id", "The Message-ID is not in its plain form.");
	if (!token_plain(m->boundary, "-_.") || strlen(m->boundary) > 69)
		return herr_set(e, ERR_INVALID, "boundary", "The MIME boundary is not in its plain form.");
	if (m->unsubscribe_url && !token_plain(m->unsubscribe_url, ":/?=&.-_~%+[]@"))
		return herr_set(e, ERR_INVALID, "unsubscribe_url",
				"The unsubscribe address is not in its plain form.");
	buf_puts(out, "From: ");
	mailbox(out, m->from_name, m->from_addr);
	buf_puts(out, "\r\nTo: ");
	mailbox(out, m->to_name, m->to_addr);
	buf_puts(out, "\r\nSubject: ");
	header_text(out, m->subject, 0);
	buf_puts(out, "\r\nDate: ");
	rfc5322_date(out, m->date_ms);
	buf_printf(out, "\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", m->message_id);
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	if (m->unsubscribe_url)
		buf_printf(out, "List-Unsubscribe: <%s>\r\n"
				"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", m->unsubscribe_url);
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", m->boundary);
	buf_puts(out, "This is a message in MIME format, with a plain and an HTML version.\r\n\r\n");
	part(out, m->boundary, "text/plain", m->text);
	part(out, m->boundary, "text/html", m->html);
	buf_printf(out, "--%s--\r\n", m->boundary);
	if (out->oom)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	return 0;
}
