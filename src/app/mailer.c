/* mailer.c - the background mailer: queues due digests, claims due outbox
 * rows, composes each email and sends it through the relay (see mailer.h). */
#include "mailer.h"

#include "digest.h"
#include "network.h"
#include "notification.h"
#include "outbox.h"
#include "post.h"
#include "schedule.h"
#include "settings.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/ids.h"
#include "../base/log.h"
#include "../render/email.h"
#include "../render/markdown.h"
#include "../store/db.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_CHECK_MS (60 * 1000)
#define LEASE_MS (5 * 60 * 1000)

struct mailer {
	struct mailer_options o;
	pthread_t thread;
	atomic_bool stopping;
	db *db;
	unsigned char secret[SETTINGS_SECRET_BYTES];
	bool have_secret;
};

void mailer_options_defaults(struct mailer_options *o)
{
	memset(o, 0, sizeof *o);
	o->poll_ms = 5000;
	o->retry_base_ms = 60000;
	o->max_attempts = 8;
	o->digest_hour = 8;
	o->relay.timeout_seconds = 20;
}

bool mailer_configured(const struct mailer_options *o)
{
	return o->relay.url && *o->relay.url;
}

int mailer_check(const struct mailer_options *o, herr *e)
{
	if (!email_address_plain(o->from_addr))
		return herr_set(e, ERR_INVALID, "smtp_from",
				"[mail] smtp_from must be a plain address such as hearth@example.org "
				"when smtp_url is set.");
	if (!o->public_url || (strncmp(o->public_url, "http://", 7) && strncmp(o->public_url, "https://", 8)))
		return herr_set(e, ERR_INVALID, "public_url",
				"[mail] public_url must be the address people reach Hearth at, such as "
				"https://hearth.example.org, when smtp_url is set.");
	return 0;
}

/* ---- composing ---------------------------------------------------------- */

struct composed {
	const char *subject;
	buf text;
	buf html;
};

/* Appends up to max characters of md on one line (runs of white space made
 * one space), with "..." when cut. */
static void excerpt(buf *out, const char *md, size_t max)
{
	size_t chars = 0;
	bool space = false;
	const unsigned char *p = (const unsigned char *)(md ? md : "");
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	for (; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
			space = true;
			continue;
		}
		if ((*p & 0xc0) != 0x80) {
			if (chars + (space ? 1 : 0) >= max) {
				buf_puts(out, "...");
				return;
			}
			if (space) {
				buf_putc(out, ' ');
				chars++;
			}
			chars++;
			space = false;
		}
		buf_putc(out, (char)*p);
	}
}

static void html_text(buf *out, const char *s)
{
	buf_html_escape(out, s ? s : "", s ? strlen(s) : 0);
}

static void html_open(buf *h, const char *title)
{
	buf_puts(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
	html_text(h, title);
	buf_puts(h, "</title></head>\n<body>\n");
}

/* The footer every email carries: why it came, where to change it, and
 * the one-click way out. */
static void footer(struct composed *c, const char *why, const char *base, const char *unsub)
{
	buf_printf(&c->text, "\n-- \n%s\nChange how you hear: %s/account/notifications\n"
			     "Stop all email from us: %s\n", why, base, unsub);
	buf_puts(&c->html, "<hr>\n<p>");
	html_text(&c->html, why);
	buf_puts(&c->html, "</p>\n<p><a href=\"");
	html_text(&c->html, base);
	buf_puts(&c->html, "/account/notifications\">Change how you hear</a> · <a href=\"");
	html_text(&c->html, unsub);
	buf_puts(&c->html, "\">Stop all email from us</a></p>\n</body></html>\n");
}

struct post_mail {
	int64_t group_id, thread_id;
	const char *kind, *title, *body, *author, *group_name, *thread_title;
	bool hidden;
};

static int read_post_mail(db *d, arena *a, int64_t post_id, struct post_mail *ret)
{
	db_stmt *st = db_prepare(d,
		"SELECT p.group_id, COALESCE(p.thread_id, p.id), p.kind, p.title, p.body_md, "
		"au.display_name, g.name, COALESCE(t.title, p.title), "
		"CASE WHEN p.is_hidden = 1 OR COALESCE(t.is_hidden, 0) = 1 THEN 1 ELSE 0 END "
		"FROM post p JOIN peer_group g ON g.id = p.group_id LEFT JOIN post t ON t.id = p.thread_id "
		"LEFT JOIN person au ON au.id = p.author_id WHERE p.id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, post_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->group_id = db_col_int64(st, 0);
		ret->thread_id = db_col_int64(st, 1);
		ret->kind = arena_strdup(a, db_col_text(st, 2));
		ret->title = arena_strdup(a, db_col_text(st, 3) ? db_col_text(st, 3) : "");
		ret->body = arena_strdup(a, db_col_text(st, 4));
		ret->author = arena_strdup(a, db_col_text(st, 5) ? db_col_text(st, 5) : "Someone who has left");
		ret->group_name = arena_strdup(a, db_col_text(st, 6));
		ret->thread_title = arena_strdup(a, db_col_text(st, 7) ? db_col_text(st, 7) : "");
		ret->hidden = db_col_bool(st, 8);
	}
	db_reset(st);
	return rc < 0 ? rc : rc == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* One post's email; *ret_skip when there is nothing to send any more (the
 * post hidden or gone, the person's choice changed, the thread muted). */
static int compose_post(struct mailer *m, arena *a, const struct outbox_item *it,
			const char *unsub, struct composed *c, bool *ret_skip)
{
	struct post_mail p;
	int rc = read_post_mail(m->db, a, it->post_id, &p);
	if (rc == ERR_NOTFOUND || (!rc && (p.hidden ||
		    !notification_hears_every(m->db, it->person_id, p.group_id, p.thread_id)))) {
		*ret_skip = true;
		return 0;
	}
	if (rc)
		return rc;
	bool reply = !strcmp(p.kind, "reply");
	const char *base = m->o.public_url;
	c->subject = arena_printf(a, "[%s] %s%s%s", p.group_name, reply ? "Re: " : "",
				  !strcmp(p.kind, "announcement") ? "Announcement: " : "", p.thread_title);
	const char *lead = arena_printf(a, reply ? "%s replied in %s:" : "%s posted in %s:", p.author,
					p.group_name);
	const char *link = arena_printf(a, "%s/posts/%" PRId64, base, it->post_id);
	buf_printf(&c->text, "%s\n\n%s%s\n\n%s\n\nRead it and reply: %s\n", lead,
		   reply ? "Re: " : "", p.thread_title, p.body, link);
	html_open(&c->html, c->subject);
	buf_puts(&c->html, "<p>");
	html_text(&c->html, lead);
	buf_puts(&c->html, "</p>\n<h1>");
	html_text(&c->html, p.thread_title);
	buf_puts(&c->html, "</h1>\n");
	herr e;
	herr_clear(&e);
	if (markdown_to_html(p.body, strlen(p.body), 2, &c->html, &e))
		return e.code;
	buf_puts(&c->html, "\n<p><a href=\"");
	html_text(&c->html, link);
	buf_puts(&c->html, "\">Read it and reply</a></p>\n");
	footer(c, arena_printf(a, "You get an email for every post in %s because you chose to.", p.group_name),
	       base, unsub);
	return 0;
}

static int compose_digest(struct mailer *m, arena *a, const struct outbox_item *it, const char *zone,
			  const char *unsub, struct composed *c, bool *ret_skip)
{
	struct digest_item *items;
	size_t n;
	herr e;
	herr_clear(&e);
	int rc = digest_gather(m->db, a, it->person_id, it->period, it->since_at, it->until_at, &items, &n, &e);
	struct digest dg;
	if (!rc) rc = digest_build(a, items, n, &dg);
	if (rc)
		return rc;
	if (dg.n_posts == 0) {
		*ret_skip = true;
		return 0;
	}
	bool daily = !strcmp(it->period, "daily");
	const char *base = m->o.public_url;
	c->subject = arena_printf(a, "Your %s digest: %zu new post%s in %zu group%s", daily ? "daily" : "weekly",
				  dg.n_posts, dg.n_posts == 1 ? "" : "s", dg.n_groups, dg.n_groups == 1 ? "" : "s");
	buf_printf(&c->text, "%s\n", c->subject);
	html_open(&c->html, c->subject);
	buf_puts(&c->html, "<h1>");
	html_text(&c->html, c->subject);
	buf_puts(&c->html, "</h1>\n");
	for (size_t g = 0; g < dg.n_groups; g++) {
		const struct digest_group *gr = &dg.groups[g];
		buf_printf(&c->text, "\n== %s ==\n", gr->name);
		buf_puts(&c->html, "<h2>");
		html_text(&c->html, gr->name);
		buf_puts(&c->html, "</h2>\n");
		for (size_t t = 0; t < gr->n_threads; t++) {
			const struct digest_thread *th = &gr->threads[t];
			const char *link = arena_printf(a, "%s/posts/%" PRId64, base, th->thread_id);
			buf_printf(&c->text, "\n* %s (%zu new)\n  %s\n", th->title, th->n_items, link);
			buf_puts(&c->html, "<h3><a href=\"");
			html_text(&c->html, link);
			buf_puts(&c->html, "\">");
			html_text(&c->html, th->title);
			buf_printf(&c->html, "</a> (%zu new)</h3>\n<ul>\n", th->n_items);
			for (size_t i = 0; i < th->n_items; i++) {
				const struct digest_item *x = th->items[i];
				char when[64];
				if (schedule_format_local(x->created_at, zone, "%a %-d %b, %H:%M", when, sizeof when))
					snprintf(when, sizeof when, "earlier");
				buf ex = BUF_INIT;
				excerpt(&ex, x->body_md, 200);
				buf_printf(&c->text, "  - %s, %s: %s\n", x->author_name, when, ex.data ? ex.data : "");
				buf_puts(&c->html, "<li><strong>");
				html_text(&c->html, x->author_name);
				buf_printf(&c->html, "</strong>, %s: ", when);
				html_text(&c->html, ex.data);
				buf_puts(&c->html, "</li>\n");
				buf_free(&ex);
			}
			buf_puts(&c->html, "</ul>\n");
		}
	}
	footer(c, daily ? "You get a daily digest because you chose one." :
			  "You get a weekly digest because you chose one.", base, unsub);
	return 0;
}

/* ---- sending -------------------------------------------------------------- */

static int read_recipient(db *d, arena *a, int64_t person_id, const char **ret_email,
			  const char **ret_name)
{
	db_stmt *st = db_prepare(d, "SELECT email, display_name FROM person WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	int rc = db_step(st);
	*ret_email = NULL;
	if (rc == DB_ROW && db_col_text(st, 0)) {
		*ret_email = arena_strdup(a, db_col_text(st, 0));
		*ret_name = arena_strdup(a, db_col_text(st, 1));
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static const char *domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at ? at + 1 : "localhost";
}

/* One log line about outbox row id: its id and the relay's reply code,
 * then one or two more pairs (k2 may be NULL). Never an address or a body. */
static void log_result(const char *level, const char *event, int64_t id, long reply,
		       const char *k, const char *v, const char *k2, const char *v2)
{
	char ids[24], rs[24];
	snprintf(ids, sizeof ids, "%" PRId64, id);
	snprintf(rs, sizeof rs, "%ld", reply);
	log_event(level, event, "outbox_id", ids, "reply", rs, k, v, k2, v2, NULL);
}

/* Composes and sends one claimed item, and records how it went. */
static void deliver(struct mailer *m, arena *a, const struct outbox_item *it, const char *zone)
{
	const char *to = NULL, *name = NULL;
	struct composed c = { NULL, BUF_INIT, BUF_INIT };
	bool skip = false;
	herr e;
	herr_clear(&e);
	int64_t now = time_now_ms();
	int rc = read_recipient(m->db, a, it->person_id, &to, &name);
	if (!rc && (!to || !email_address_plain(to)))
		skip = true;
	char token[NOTIFICATION_TOKEN_MAX];
	notification_token(m->secret, it->person_id, token);
	const char *unsub = arena_printf(a, "%s/unsubscribe?t=%s", m->o.public_url, token);
	if (!rc && !skip)
		rc = !strcmp(it->kind, "post") ? compose_post(m, a, it, unsub, &c, &skip)
					      : compose_digest(m, a, it, zone, unsub, &c, &skip);
	buf msg = BUF_INIT;
	if (!rc && !skip) {
		char rnd[17];
		random_hex(rnd, 8);
		struct email_message em = {
			.from_name = m->o.from_name, .from_addr = m->o.from_addr,
			.to_name = name, .to_addr = to, .subject = c.subject,
			.text = c.text.data, .html = c.html.data, .date_ms = now,
			.message_id = arena_printf(a, "%" PRId64 ".%s@%s", it->id, rnd, domain_of(m->o.from_addr)),
			.boundary = arena_printf(a, "hearth-%s", rnd), .unsubscribe_url = unsub,
		};
		rc = c.text.oom || c.html.oom ? ERR_NOMEM : email_build(&em, &msg, &e);
	}
	long reply = 0;
	if (rc) {
		log_result("error", "mail_compose_failed", it->id, 0, "error", err_name(rc), NULL, NULL);
		skip = true;   /* composing again would fail again */
	} else if (!skip) {
		rc = smtp_send(&m->o.relay, m->o.from_addr, to, msg.data, msg.len, &reply, &e);
	}
	buf_free(&msg);
	buf_free(&c.text);
	buf_free(&c.html);
	herr_clear(&e);
	now = time_now_ms();
	if (skip || !rc) {
		if (outbox_mark_done(m->db, it->id, skip ? "skipped" : "sent", reply, now, &e))
			log_result("error", "mail_record_failed", it->id, reply, "error", "db", NULL, NULL);
		else if (!skip)
			log_result("info", "mail_sent", it->id, reply, "kind", it->kind, NULL, NULL);
		return;
	}
	bool gave_up = false;
	int64_t next = 0;
	if (outbox_mark_failed(m->db, it, reply, now, m->o.retry_base_ms, m->o.max_attempts, &gave_up,
			       &next, &e)) {
		log_result("error", "mail_record_failed", it->id, reply, "error", "db", NULL, NULL);
		return;
	}
	char attempt[16], wait[24];
	snprintf(attempt, sizeof attempt, "%d", it->attempts + 1);
	snprintf(wait, sizeof wait, "%" PRId64, next - now);
	if (gave_up)
		log_result("error", "mail_gave_up", it->id, reply, "attempts", attempt, NULL, NULL);
	else
		log_result("warning", "mail_failed", it->id, reply, "attempt", attempt, "retry_in_ms", wait);
}

/* One round: due digests (at most once a minute), then due rows. Returns
 * how many rows were claimed. */
static size_t round_once(struct mailer *m, int64_t *next_digest_check)
{
	arena *a = arena_new(16384);
	if (!a)
		return 0;
	herr e;
	herr_clear(&e);
	const char *zone = network_time_zone(m->db, a);
	int64_t now = time_now_ms();
	if (now >= *next_digest_check) {
		int queued = 0;
		if (digest_queue_due(m->db, now, zone, m->o.digest_hour, false, &queued, &e))
			log_event("error", "digest_queue_failed", "error", err_name(e.code), NULL);
		*next_digest_check = now + DIGEST_CHECK_MS;
	}
	struct outbox_item *items;
	size_t n = 0;
	if (outbox_claim(m->db, a, now, LEASE_MS, OUTBOX_CLAIM_MAX, &items, &n, &e))
		log_event("error", "mail_claim_failed", "error", err_name(e.code), NULL);
	for (size_t i = 0; i < n && !atomic_load(&m->stopping); i++)
		deliver(m, a, &items[i], zone);
	arena_free(a);
	return n;
}

/* Opens the mailer's own connection and reads the secret; false (logged)
 * when the database cannot be reached yet. */
static bool connect_db(struct mailer *m)
{
	if (m->db && m->have_secret)
		return true;
	herr e;
	herr_clear(&e);
	if (!m->db && !(m->db = db_open(m->o.database_url, &e))) {
		log_event("error", "mailer_db_failed", NULL);
		return false;
	}
	m->have_secret = settings_secret(m->db, m->secret) == 0;
	return m->have_secret;
}

static void *run(void *arg)
{
	struct mailer *m = arg;
	int64_t next_digest_check = 0;
	log_event("info", "mailer_started", NULL);
	while (!atomic_load(&m->stopping)) {
		size_t n = connect_db(m) ? round_once(m, &next_digest_check) : 0;
		if (n < OUTBOX_CLAIM_MAX && !atomic_load(&m->stopping))
			outbox_wait(m->o.poll_ms);
	}
	db_close(m->db);
	sodium_memzero(m->secret, sizeof m->secret);
	return NULL;
}

struct mailer *mailer_start(const struct mailer_options *o, herr *e)
{
	struct mailer *m = calloc(1, sizeof *m);
	if (!m) {
		herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
		return NULL;
	}
	m->o = *o;
	if (m->o.poll_ms < 10)
		m->o.poll_ms = 10;
	if (m->o.max_attempts < 1)
		m->o.max_attempts = 1;
	atomic_init(&m->stopping, false);
	if (pthread_create(&m->thread, NULL, run, m)) {
		free(m);
		herr_set(e, ERR_INTERNAL, NULL, "Could not start the mailer thread.");
		return NULL;
	}
	return m;
}

void mailer_stop(struct mailer *m)
{
	if (!m)
		return;
	atomic_store(&m->stopping, true);
	outbox_wake();
	pthread_join(m->thread, NULL);
	free(m);
}
