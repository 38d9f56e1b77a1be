/* test_email.c - email: building the RFC 5322 message (src/render/email.c:
 * headers, RFC 2047 subjects and names, base64 UTF-8 parts, the RFC 8058
 * unsubscribe headers, CR/LF injection refused or folded away), digest
 * grouping and due times (src/app/digest.c), the outbox's backoff, claim
 * and give-up (src/app/outbox.c), unsubscribe tokens and who hears about a
 * new post (src/app/notification.c). */
#include <criterion/criterion.h>

#include "app/digest.h"
#include "app/notification.h"
#include "app/outbox.h"
#include "app/post.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/ids.h"
#include "render/email.h"
#include "fixture.h"

#include <string.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

static int b64val(char c)
{
	const char *set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(set, c) : NULL;
	return p ? (int)(p - set) : -1;
}

/* Decodes base64 text (line breaks skipped) into out (NUL-terminated). */
static void b64decode(const char *in, size_t n, buf *out)
{
	unsigned v = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int d = b64val(in[i]);
		if (d < 0)
			continue;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)((v >> bits) & 0xff));
		}
	}
	buf_putc(out, '\0');
}

static struct email_message sample(void)
{
	return (struct email_message){
		.from_name = "Sheffield Peer Network", .from_addr = "hearth@example.org",
		.to_name = "Mo", .to_addr = "mo@example.org",
		.subject = "[Walking group] Saturday walk", .text = "Hello all,\nsee you there.\n",
		.html = "<p>Hello all</p>", .date_ms = 1795000000000LL,
		.message_id = "123.abc@example.org", .boundary = "hearth-b1",
		.unsubscribe_url = "https://hearth.example.org/unsubscribe?t=1.ab",
	};
}

static char *build(const struct email_message *m)
{
	buf out = BUF_INIT;
	herr e;
	herr_clear(&e);
	cr_assert_eq(email_build(m, &out, &e), 0, "%s", e.message);
	return buf_take(&out);
}

/* The header block (up to the blank line). */
static char *headers_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	cr_assert_not_null(end);
	return strndup(msg, (size_t)(end - msg) + 2);
}

/* Decodes every encoded-word of the Subject header, folded lines joined. */
static void subject_decoded(const char *hdrs, buf *out)
{
	const char *s = strstr(hdrs, "\r\nSubject: ");
	cr_assert_not_null(s);
	s += 11;
	for (;;) {
		const char *w = strstr(s, "=?UTF-8?B?");
		const char *eol = strstr(s, "\r\n");
		if (!w || w > eol)
			break;
		w += 10;
		const char *q = strstr(w, "?=");
		buf part = BUF_INIT;
		b64decode(w, (size_t)(q - w), &part);
		buf_puts(out, part.data);
		buf_free(&part);
		s = q + 2;
		if (strncmp(s, "\r\n ", 3) == 0)
			s += 3;
	}
}

/* ---- the message ---------------------------------------------------------- */

Test(email, headers_and_parts)
{
	struct email_message m = sample();
	char *msg = build(&m);
	char *h = headers_of(msg);
	cr_assert(strstr(h, "From: Sheffield Peer Network <hearth@example.org>\r\n"), "%s", h);
	cr_assert(strstr(h, "\r\nTo: Mo <mo@example.org>\r\n"));
	cr_assert(strstr(h, "\r\nSubject: [Walking group] Saturday walk\r\n"));
	cr_assert(strstr(h, "\r\nDate: "), "%s", h);
	cr_assert(strstr(h, " +0000\r\n"));
	cr_assert(strstr(h, "\r\nMessage-ID: <123.abc@example.org>\r\n"));
	cr_assert(strstr(h, "\r\nMIME-Version: 1.0\r\n"));
	cr_assert(strstr(h, "\r\nContent-Type: multipart/alternative; boundary=\"hearth-b1\"\r\n"));
	cr_assert(strstr(msg, "--hearth-b1\r\nContent-Type: text/plain; charset=UTF-8\r\n"
			      "Content-Transfer-Encoding: base64\r\n"));
	cr_assert(strstr(msg, "--hearth-b1\r\nContent-Type: text/html; charset=UTF-8\r\n"));
	cr_assert(strstr(msg, "\r\n--hearth-b1--\r\n"));
	/* every line ends in CRLF and none is longer than 998 */
	for (const char *p = msg; *p;) {
		const char *nl = strchr(p, '\n');
		cr_assert_not_null(nl);
		cr_assert(nl > p && nl[-1] == '\r');
		cr_assert_lt(nl - p, 998);
		p = nl + 1;
	}
	free(h);
	free(msg);
}

Test(email, unsubscribe_headers)
{
	struct email_message m = sample();
	char *msg = build(&m);
	cr_assert(strstr(msg, "\r\nList-Unsubscribe: <https://hearth.example.org/unsubscribe?t=1.ab>\r\n"));
	cr_assert(strstr(msg, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	free(msg);
	m.unsubscribe_url = NULL;
	msg = build(&m);
	cr_assert_null(strstr(msg, "List-Unsubscribe"));
	free(msg);
}

Test(email, non_ascii_subject_is_encoded_and_folded)
{
	struct email_message m = sample();
	const char *subject = "[Café] Zoë’s walk — “bring water” ☀ and a long tail of words to fold "
			      "over several encoded words, naïve résumé façade";
	m.subject = subject;
	char *msg = build(&m);
	char *h = headers_of(msg);
	cr_assert(strstr(h, "\r\nSubject: =?UTF-8?B?"), "%s", h);
	buf dec = BUF_INIT;
	subject_decoded(h, &dec);
	cr_assert_str_eq(dec.data, subject);
	/* each encoded-word at most 75 characters, each header line at most 78 */
	for (const char *p = h; *p;) {
		const char *nl = strstr(p, "\r\n");
		cr_assert_leq(nl - p, 78, "%.*s", (int)(nl - p), p);
		p = nl + 2;
	}
	buf_free(&dec);
	free(h);
	free(msg);
}

Test(email, non_ascii_names_are_encoded)
{
	struct email_message m = sample();
	m.from_name = "Réseau de pairs";
	m.to_name = "Zoë, \"the\" walker";
	char *msg = build(&m);
	char *h = headers_of(msg);
	cr_assert(strstr(h, "From: =?UTF-8?B?"), "%s", h);
	cr_assert(strstr(h, "?= <hearth@example.org>\r\n"));
	cr_assert(strstr(h, "To: =?UTF-8?B?"), "%s", h);
	cr_assert_null(strstr(h, "\"the\""), "a quote in a name is not written raw");
	free(h);
	free(msg);
}

Test(email, utf8_body_in_base64_with_crlf)
{
	struct email_message m = sample();
	m.text = "Zoë wrote:\n\nWe meet at the café ☕.\n";
	char *msg = build(&m);
	const char *start = strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"
					"Content-Transfer-Encoding: base64\r\n\r\n");
	cr_assert_not_null(start);
	start = strstr(start, "\r\n\r\n") + 4;
	const char *end = strstr(start, "--hearth-b1");
	buf dec = BUF_INIT;
	b64decode(start, (size_t)(end - start), &dec);
	cr_assert_str_eq(dec.data, "Zoë wrote:\r\n\r\nWe meet at the café ☕.\r\n");
	buf_free(&dec);
	free(msg);
}

Test(email, crlf_in_subject_and_names_is_folded_away)
{
	struct email_message m = sample();
	m.subject = "Hello\r\nBcc: everyone@example.org";
	m.to_name = "Mo\r\nX-Injected: yes";
	char *msg = build(&m);
	char *h = headers_of(msg);
	cr_assert_null(strstr(h, "\r\nBcc:"), "%s", h);
	cr_assert_null(strstr(h, "\r\nX-Injected:"), "%s", h);
	buf dec = BUF_INIT;
	subject_decoded(h, &dec);
	cr_assert_str_eq(dec.data, "Hello  Bcc: everyone@example.org");
	buf_free(&dec);
	free(h);
	free(msg);
}

Test(email, crlf_in_addresses_and_urls_is_refused)
{
	struct {
		const char *to, *from, *url, *field;
	} cases[] = {
		{ "mo@example.org\r\nBcc: x@example.org", NULL, NULL, "to" },
		{ "mo@example.org>, <x@example.org", NULL, NULL, "to" },
		{ "no-at-sign", NULL, NULL, "to" },
		{ NULL, "hearth@example.org\nBcc: x@example.org", NULL, "from" },
		{ NULL, NULL, "https://h.example.org/u?t=1\r\nBcc: x", "unsubscribe_url" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct email_message m = sample();
		if (cases[i].to) m.to_addr = cases[i].to;
		if (cases[i].from) m.from_addr = cases[i].from;
		if (cases[i].url) m.unsubscribe_url = cases[i].url;
		buf out = BUF_INIT;
		herr e;
		herr_clear(&e);
		cr_assert_eq(email_build(&m, &out, &e), ERR_INVALID, "case %zu", i);
		cr_assert_str_eq(e.field, cases[i].field);
		cr_assert_eq(out.len, 0, "nothing is written on refusal");
		buf_free(&out);
	}
}

/* ---- digests ---------------------------------------------------------------- */

Test(digest, groups_by_group_then_thread)
{
	struct digest_item items[] = {
		{ .post_id = 5, .group_id = 2, .group_name = "Walking", .thread_id = 50, .thread_title = "Sat",
		  .created_at = 500 },
		{ .post_id = 1, .group_id = 1, .group_name = "Art", .thread_id = 10, .thread_title = "Paint",
		  .created_at = 100 },
		{ .post_id = 3, .group_id = 1, .group_name = "Art", .thread_id = 30, .thread_title = "Clay",
		  .created_at = 300 },
		{ .post_id = 4, .group_id = 1, .group_name = "Art", .thread_id = 10, .thread_title = "Paint",
		  .created_at = 400 },
		{ .post_id = 2, .group_id = 2, .group_name = "Walking", .thread_id = 20, .thread_title = "Sun",
		  .created_at = 200 },
	};
	arena *a = arena_new(4096);
	struct digest d;
	cr_assert_eq(digest_build(a, items, 5, &d), 0);
	cr_assert_eq(d.n_posts, 5);
	cr_assert_eq(d.n_groups, 2);
	cr_assert_str_eq(d.groups[0].name, "Art");
	cr_assert_eq(d.groups[0].n_posts, 3);
	cr_assert_eq(d.groups[0].n_threads, 2);
	cr_assert_str_eq(d.groups[0].threads[0].title, "Paint");     /* first activity 100 */
	cr_assert_eq(d.groups[0].threads[0].n_items, 2);
	cr_assert_eq(d.groups[0].threads[0].items[0]->post_id, 1);
	cr_assert_eq(d.groups[0].threads[0].items[1]->post_id, 4);
	cr_assert_str_eq(d.groups[0].threads[1].title, "Clay");
	cr_assert_str_eq(d.groups[1].name, "Walking");
	cr_assert_eq(d.groups[1].n_threads, 2);
	cr_assert_str_eq(d.groups[1].threads[0].title, "Sun");       /* 200 before 500 */
	cr_assert_str_eq(d.groups[1].threads[1].title, "Sat");
	cr_assert_eq(digest_build(a, items, 0, &d), 0);
	cr_assert_eq(d.n_groups, 0);
	arena_free(a);
}

/* 2026-11-26 (a Thursday) 10:30 in London (GMT) is 10:30 UTC. */
#define THU_1030 1795689000000LL

Test(digest, due_times_in_the_network_zone)
{
	int64_t at;
	cr_assert_eq(digest_due_at("daily", THU_1030, "Europe/London", 8, &at), 0);
	cr_assert_eq(at, THU_1030 - 150 * 60 * 1000LL, "today 08:00");
	cr_assert_eq(digest_due_at("daily", THU_1030, "Europe/London", 11, &at), 0);
	cr_assert_eq(at, THU_1030 + 30 * 60 * 1000LL - DAY_MS, "yesterday 11:00");
	cr_assert_eq(digest_due_at("weekly", THU_1030, "Europe/London", 8, &at), 0);
	cr_assert_eq(at, THU_1030 - 150 * 60 * 1000LL - 3 * DAY_MS, "Monday 08:00");
	/* New York is five hours behind: 05:30 local, so yesterday's 08:00 */
	cr_assert_eq(digest_due_at("daily", THU_1030, "America/New_York", 8, &at), 0);
	cr_assert_eq(at, THU_1030 + 150 * 60 * 1000LL - DAY_MS, "yesterday 08:00 there, 13:00 UTC");
	cr_assert_neq(digest_due_at("daily", THU_1030, "Nowhere/Atlantis", 8, &at), 0);
}

/* ---- the outbox ------------------------------------------------------------ */

Test(outbox, backoff_doubles_to_a_cap)
{
	cr_assert_eq(outbox_backoff_ms(1, 60000), 60000);
	cr_assert_eq(outbox_backoff_ms(2, 60000), 120000);
	cr_assert_eq(outbox_backoff_ms(3, 60000), 240000);
	cr_assert_eq(outbox_backoff_ms(5, 60000), 960000);
	cr_assert_eq(outbox_backoff_ms(40, 60000), OUTBOX_BACKOFF_CAP_MS);
	cr_assert_eq(outbox_backoff_ms(0, 500), 500);
}

static db *g_db;
static struct fixture_circle net;

static void db_setup(void)
{
	g_db = fixture_open_db("email");
	net = fixture_add_circle(g_db);
}

static void db_teardown(void)
{
	notification_set_delivery(false);
	fixture_close_db(g_db);
}

TestSuite(outbox_db, .init = db_setup, .fini = db_teardown);
TestSuite(hearing, .init = db_setup, .fini = db_teardown);

Test(outbox_db, claim_fail_retry_and_give_up)
{
	herr e;
	herr_clear(&e);
	struct outbox_item it = { .person_id = net.member_id, .kind = "post",
				  .post_id = 0 };
	/* a digest row needs no post */
	it.kind = "digest";
	it.period = "daily";
	it.since_at = 1;
	it.until_at = 2;
	cr_assert_eq(outbox_enqueue(g_db, &it, 1000, &e), 0, "%s", e.message);
	arena *a = arena_new(4096);
	struct outbox_item *got;
	size_t n;
	cr_assert_eq(outbox_claim(g_db, a, 999, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 0, "not due yet");
	cr_assert_eq(outbox_claim(g_db, a, 1000, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(got[0].period, "daily");
	cr_assert_eq(outbox_claim(g_db, a, 2000, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 0, "claimed rows are leased");
	struct outbox_item claimed;
	cr_assert_eq(outbox_claim(g_db, a, 6000, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 1, "an expired lease comes back");
	claimed = got[0];
	bool gave_up;
	int64_t next;
	cr_assert_eq(outbox_mark_failed(g_db, &claimed, 451, 7000, 100, 3, &gave_up, &next, &e), 0);
	cr_assert(!gave_up);
	cr_assert_eq(next, 7100);
	cr_assert_eq(outbox_claim(g_db, a, 7099, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 0, "waits for the backoff");
	cr_assert_eq(outbox_claim(g_db, a, 7100, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(got[0].attempts, 1);
	cr_assert_eq(outbox_mark_failed(g_db, &got[0], 550, 8000, 100, 3, &gave_up, &next, &e), 0);
	cr_assert(!gave_up);
	cr_assert_eq(next, 8200, "doubled");
	cr_assert_eq(outbox_claim(g_db, a, 8200, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(outbox_mark_failed(g_db, &got[0], 550, 9000, 100, 3, &gave_up, &next, &e), 0);
	cr_assert(gave_up, "the third failure of three gives up");
	cr_assert_eq(outbox_claim(g_db, a, 99999999, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'failed'"), 1);
	arena_free(a);
}

/* ---- tokens and who hears ---------------------------------------------------- */

Test(hearing, unsubscribe_tokens_cannot_be_forged)
{
	unsigned char secret[32], other[32];
	memset(secret, 7, sizeof secret);
	memset(other, 8, sizeof other);
	char t[NOTIFICATION_TOKEN_MAX];
	notification_token(secret, 123456789, t);
	int64_t who = 0;
	cr_assert(notification_token_check(secret, t, &who));
	cr_assert_eq(who, 123456789);
	cr_assert(!notification_token_check(other, t, &who), "another server's secret");
	char forged[NOTIFICATION_TOKEN_MAX];
	memcpy(forged, t, sizeof forged);
	forged[0] = forged[0] == '1' ? '2' : '1';
	cr_assert(!notification_token_check(secret, forged, &who), "another person's id");
	memcpy(forged, t, sizeof forged);
	forged[strlen(forged) - 1] ^= 1;
	cr_assert(!notification_token_check(secret, forged, &who), "a changed mac");
	cr_assert(!notification_token_check(secret, "", &who));
	cr_assert(!notification_token_check(secret, NULL, &who));
	cr_assert(!notification_token_check(secret, "123.", &who));
}

static void choose(int64_t person, const char *choice)
{
	struct actor a = { .person_id = person };
	herr e;
	herr_clear(&e);
	cr_assert_eq(notification_set_choice(g_db, &a, choice, &e), 0, "%s", e.message);
}

static int64_t post_as(int64_t person)
{
	struct actor a = { .person_id = person };
	herr e;
	herr_clear(&e);
	int64_t id;
	cr_assert_eq(post_create_thread(g_db, &a, net.group_id, "discussion", "Hello", "Body", &id, &e), 0,
		     "%s", e.message);
	return id;
}

Test(hearing, unknown_choice_is_refused_naming_the_field)
{
	struct actor a = { .person_id = net.member_id };
	herr e;
	herr_clear(&e);
	cr_assert_eq(notification_set_choice(g_db, &a, "hourly", &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "choice");
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM notification_pref"), 0);
	herr_clear(&e);
	cr_assert_eq(notification_set_group_choice(g_db, &a, net.group_id, "sometimes", &e), ERR_INVALID);
	herr_clear(&e);
	struct actor out = { .person_id = net.outsider_id };
	cr_assert_eq(notification_set_group_choice(g_db, &out, net.group_id, "every", &e), ERR_DENIED);
}

Test(hearing, every_post_members_but_not_the_author_or_the_unchosen)
{
	notification_set_delivery(true);
	choose(net.member_id, "every");
	choose(net.fac_id, "every");
	choose(net.outsider_id, "every");      /* not a member: hears nothing */
	/* member2 has not chosen: nothing */
	int64_t id = post_as(net.fac_id);
	(void)id;
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM mail_outbox"), 1);
	cr_assert_eq(fixture_count(g_db, "SELECT person_id FROM mail_outbox"), net.member_id);
}

Test(hearing, muted_threads_and_group_overrides)
{
	notification_set_delivery(true);
	choose(net.member_id, "every");
	choose(net.member2_id, "weekly");
	struct actor m2 = { .person_id = net.member2_id }, m1 = { .person_id = net.member_id };
	herr e;
	herr_clear(&e);
	cr_assert_eq(notification_set_group_choice(g_db, &m2, net.group_id, "every", &e), 0, "%s", e.message);
	int64_t thread = post_as(net.fac_id);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM mail_outbox"), 2, "the override counts");
	cr_assert_eq(post_set_muted(g_db, &m1, thread, true, &e), 0, "%s", e.message);
	int64_t reply;
	struct actor fac = { .person_id = net.fac_id };
	cr_assert_eq(post_reply(g_db, &fac, thread, "A reply", &reply, &e), 0, "%s", e.message);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM mail_outbox"), 3, "only member2 hears the reply");
	cr_assert(!notification_hears_every(g_db, net.member_id, net.group_id, thread));
	cr_assert(notification_hears_every(g_db, net.member2_id, net.group_id, thread));
	cr_assert_eq(notification_unsubscribe(g_db, net.member2_id, &e), 0);
	cr_assert(!notification_hears_every(g_db, net.member2_id, net.group_id, thread));
	cr_assert_eq(notification_unsubscribe(g_db, 424242, &e), ERR_NOTFOUND, "an account that is gone");
}

Test(hearing, nothing_is_queued_without_a_relay)
{
	notification_set_delivery(false);
	choose(net.member_id, "every");
	post_as(net.fac_id);
	cr_assert_eq(fixture_count(g_db, "SELECT COUNT(*) FROM mail_outbox"), 0);
}

Test(hearing, digest_queue_groups_what_came_after_the_choice)
{
	notification_set_delivery(true);
	post_as(net.fac_id);                    /* before the choice: not in the digest */
	usleep(3000);
	choose(net.member_id, "daily");
	usleep(3000);
	post_as(net.fac_id);
	post_as(net.member2_id);
	post_as(net.member_id);                 /* their own: not in it */
	herr e;
	herr_clear(&e);
	int queued = -1;
	cr_assert_eq(digest_queue_due(g_db, time_now_ms() + 1, "Europe/London", 8, true, &queued, &e), 0,
		     "%s", e.message);
	cr_assert_eq(queued, 1);
	arena *a = arena_new(4096);
	struct outbox_item *got;
	size_t n;
	cr_assert_eq(outbox_claim(g_db, a, time_now_ms() + 2, 5000, 20, &got, &n, &e), 0);
	cr_assert_eq(n, 1);
	struct digest_item *items;
	size_t k;
	cr_assert_eq(digest_gather(g_db, a, net.member_id, "daily", got[0].since_at, got[0].until_at,
				   &items, &k, &e), 0);
	cr_assert_eq(k, 2);
	cr_assert_eq(digest_queue_due(g_db, time_now_ms() + 3, "Europe/London", 8, true, &queued, &e), 0);
	cr_assert_eq(queued, 0, "the window moved on: nothing new");
	arena_free(a);
}
