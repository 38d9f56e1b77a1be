/* smtp.c - one message to the SMTP relay with libcurl (see smtp.h). */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

int smtp_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : ERR_INTERNAL;
}

struct upload {
	const char *data;
	size_t len, sent;
};

/* libcurl asks for the message in pieces; it does the dot-stuffing and the
 * final "." itself. */
static size_t read_piece(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct upload *u = userp;
	size_t room = size * nmemb, left = u->len - u->sent;
	size_t n = left < room ? left : room;
	memcpy(ptr, u->data + u->sent, n);
	u->sent += n;
	return n;
}

int smtp_send(const struct smtp_relay *relay, const char *from_addr, const char *to_addr,
	      const char *message, size_t len, long *ret_reply, herr *e)
{
	*ret_reply = 0;
	CURL *c = curl_easy_init();
	if (!c)
		return herr_set(e, ERR_NOMEM, NULL, "Could not start an SMTP session.");
	char from[300], to[300];
	snprintf(from, sizeof from, "<%s>", from_addr);
	snprintf(to, sizeof to, "<%s>", to_addr);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct upload u = { message, len, 0 };
	long timeout = relay->timeout_seconds > 0 ? relay->timeout_seconds : 30;
	curl_easy_setopt(c, CURLOPT_URL, relay->url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_piece);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);        /* we run in a thread */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (relay->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (relay->username && *relay->username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, relay->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, relay->password ? relay->password : "");
	}
	CURLcode res = rcpt ? curl_easy_perform(c) : CURLE_OUT_OF_MEMORY;
	long reply = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
	*ret_reply = reply;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (res == CURLE_OK)
		return 0;
	return herr_set(e, ERR_CONFLICT, NULL, "The relay did not take the message (%s, reply %ld).",
			curl_easy_strerror(res), reply);
}
