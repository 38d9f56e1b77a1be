/* config.c - defaults, INI file and environment (see config.h). */
#include "config.h"

#include "../app/schedule.h"

#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static json_t *default_crisis_lines(void)
{
	return json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]",
		"name", "Samaritans", "contact", "116 123",
		"detail", "free, any time, day or night",
		"name", "NHS 111", "contact", "111, option 2",
		"detail", "for urgent mental health help",
		"name", "Emergency services", "contact", "999",
		"detail", "if a life is at risk now");
}

int config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->strings = arena_new(4096);
	if (!c->strings)
		return ERR_NOMEM;
	server_options_defaults(&c->server);
	mailer_options_defaults(&c->mail);
	c->database = "hearth.db";
	c->time_zone = "Europe/London";
	c->server.site.open_signup = true;
	c->server.site.crisis_lines = default_crisis_lines();
	return 0;
}

void config_free(struct config *c)
{
	json_decref(c->server.site.crisis_lines);
	arena_free(c->strings);
	memset(c, 0, sizeof *c);
}

struct load_state {
	struct config *c;
	const char *path;
	herr *e;
	bool crisis_replaced;
	int failed;
};

static bool parse_bool(const char *v, bool *ret)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"))
		*ret = true;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") || !strcasecmp(v, "off"))
		*ret = false;
	else
		return false;
	return true;
}

static bool parse_uint(const char *v, long min, long max, long *ret)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max)
		return false;
	*ret = n;
	return true;
}

/* "Samaritans | 116 123 | free, any time" */
static bool add_crisis_line(struct load_state *st, const char *v)
{
	char copy[512];
	snprintf(copy, sizeof copy, "%s", v);
	char *parts[3] = { NULL, NULL, NULL };
	char *save = NULL;
	int n = 0;
	for (char *p = strtok_r(copy, "|", &save); p && n < 3; p = strtok_r(NULL, "|", &save)) {
		while (*p == ' ')
			p++;
		char *end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			*--end = '\0';
		parts[n++] = p;
	}
	if (n < 2)
		return false;
	if (!st->crisis_replaced) {
		json_array_clear(st->c->server.site.crisis_lines);
		st->crisis_replaced = true;
	}
	json_array_append_new(st->c->server.site.crisis_lines,
		json_pack("{s:s, s:s, s:s}", "name", parts[0], "contact", parts[1],
			  "detail", parts[2] ? parts[2] : ""));
	return true;
}

#define KEY(s, k) (strcmp(section, s) == 0 && strcmp(name, k) == 0)

static int on_ini_value(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	struct config *c = st->c;
	struct server_options *o = &c->server;
	long n;
	bool b;
	const char *copy = arena_strdup(c->strings, value);
	bool ok = true;
	if (KEY("database", "url"))
		c->database = copy;
	else if (KEY("server", "listen"))
		o->listen = copy;
	else if (KEY("server", "threads"))
		ok = parse_uint(value, 0, 256, &n) && ((o->threads = (int)n), true);
	else if (KEY("server", "connection_limit"))
		ok = parse_uint(value, 1, 1000000, &n) && ((o->connection_limit = (unsigned)n), true);
	else if (KEY("server", "per_address_limit"))
		ok = parse_uint(value, 1, 1000000, &n) && ((o->per_address_limit = (unsigned)n), true);
	else if (KEY("server", "password_hash_concurrency"))
		ok = parse_uint(value, 0, 256, &n) && ((o->password_hash_concurrency = (unsigned)n), true);
	else if (KEY("server", "timeout_seconds"))
		ok = parse_uint(value, 1, 3600, &n) && ((o->timeout_seconds = (unsigned)n), true);
	else if (KEY("server", "connection_memory_kib"))
		ok = parse_uint(value, 8, 1024, &n) && ((o->connection_memory = (size_t)n * 1024), true);
	else if (KEY("server", "page_cache_kib"))
		ok = parse_uint(value, 0, 1048576, &n) && ((o->page_cache_bytes = (size_t)n * 1024), true);
	else if (KEY("server", "search_cache"))
		ok = parse_bool(value, &b) && ((o->search_cache = b), true);
	else if (KEY("server", "max_body_kib"))
		ok = parse_uint(value, 1, 65536, &n) &&
		     ((o->max_form_bytes = o->max_json_bytes = (size_t)n * 1024), true);
	else if (KEY("server", "trust_proxy"))
		ok = parse_bool(value, &b) && ((o->trust_proxy = b), true);
	else if (KEY("server", "behind_tls"))
		ok = parse_bool(value, &b) && ((o->site.secure_cookies = b), true);
	else if (KEY("network", "name"))
		o->site.network_name = copy;
	else if (KEY("network", "open_signup"))
		ok = parse_bool(value, &b) && ((o->site.open_signup = b), true);
	else if (KEY("network", "instruments_dir"))
		c->instruments_dir = copy;
	else if (KEY("network", "time_zone"))
		ok = schedule_zone_known(value) && ((c->time_zone = copy), true);
	else if (KEY("session", "idle_minutes"))
		ok = parse_uint(value, 1, 24 * 60, &n) && ((o->site.session_idle_seconds = (int)n * 60), true);
	else if (KEY("session", "idle_seconds"))
		ok = parse_uint(value, 1, 24 * 3600, &n) && ((o->site.session_idle_seconds = (int)n), true);
	else if (KEY("session", "absolute_hours"))
		ok = parse_uint(value, 1, 24 * 30, &n) && ((o->site.session_absolute_seconds = (int)n * 3600), true);
	else if (KEY("login", "account_failures"))
		ok = parse_uint(value, 1, 1000, &n) && ((o->site.login_account_failures = (int)n), true);
	else if (KEY("login", "address_failures"))
		ok = parse_uint(value, 1, 100000, &n) && ((o->site.login_address_failures = (int)n), true);
	else if (KEY("crisis", "line"))
		ok = add_crisis_line(st, value);
	else if (KEY("mail", "smtp_url"))
		c->mail.relay.url = copy;
	else if (KEY("mail", "smtp_from"))
		c->mail.from_addr = copy;
	else if (KEY("mail", "smtp_username"))
		c->mail.relay.username = copy;
	else if (KEY("mail", "smtp_password"))
		c->mail.relay.password = copy;
	else if (KEY("mail", "smtp_starttls"))
		ok = parse_bool(value, &b) && ((c->mail.relay.starttls = b), true);
	else if (KEY("mail", "public_url"))
		c->mail.public_url = copy;
	else if (KEY("mail", "poll_ms"))
		ok = parse_uint(value, 10, 3600000, &n) && ((c->mail.poll_ms = (int)n), true);
	else if (KEY("mail", "retry_base_ms"))
		ok = parse_uint(value, 10, 86400000, &n) && ((c->mail.retry_base_ms = (int)n), true);
	else if (KEY("mail", "max_attempts"))
		ok = parse_uint(value, 1, 100, &n) && ((c->mail.max_attempts = (int)n), true);
	else if (KEY("mail", "digest_hour"))
		ok = parse_uint(value, 0, 23, &n) && ((c->mail.digest_hour = (int)n), true);
	else {
		herr_set(st->e, ERR_INVALID, NULL, "%s: unknown setting \"%s\" in [%s]",
			 st->path, name, section);
		st->failed = 1;
		return 0;
	}
	if (!ok) {
		herr_set(st->e, ERR_INVALID, NULL, "%s: [%s] %s = \"%s\" is not a valid value",
			 st->path, section, name, value);
		st->failed = 1;
		return 0;
	}
	return 1;
}

int config_load_file(struct config *c, const char *path, herr *e)
{
	struct load_state st = { c, path, e, false, 0 };
	int rc = ini_parse(path, on_ini_value, &st);
	if (rc == -1)
		return herr_set(e, ERR_NOTFOUND, NULL, "Cannot open the configuration file %s", path);
	if (st.failed)
		return ERR_INVALID;
	if (rc != 0)
		return herr_set(e, ERR_INVALID, NULL, "%s: line %d is not valid INI", path, rc);
	return 0;
}

void config_apply_env(struct config *c)
{
	const char *v = getenv("HEARTH_DATABASE");
	if (v && *v)
		c->database = arena_strdup(c->strings, v);
	v = getenv("HEARTH_LISTEN");
	if (v && *v)
		c->server.listen = arena_strdup(c->strings, v);
	static const struct { const char *name; size_t offset; } mail_env[] = {
		{ "HEARTH_SMTP_URL", offsetof(struct mailer_options, relay.url) },
		{ "HEARTH_SMTP_FROM", offsetof(struct mailer_options, from_addr) },
		{ "HEARTH_SMTP_USERNAME", offsetof(struct mailer_options, relay.username) },
		{ "HEARTH_SMTP_PASSWORD", offsetof(struct mailer_options, relay.password) },
		{ "HEARTH_PUBLIC_URL", offsetof(struct mailer_options, public_url) },
	};
	for (size_t i = 0; i < sizeof mail_env / sizeof mail_env[0]; i++)
		if ((v = getenv(mail_env[i].name)) && *v)
			*(const char **)((char *)&c->mail + mail_env[i].offset) = arena_strdup(c->strings, v);
}
