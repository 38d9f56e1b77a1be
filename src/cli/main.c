/* main.c - the `hearth` command: parses argv and runs one command (init,
 * serve, user, migrate, demo, routes, version, help). Settings: defaults <
 * --config INI file < HEARTH_DATABASE / HEARTH_LISTEN < flags. Exit codes:
 * 0 success, 1 failure, 2 wrong usage. */
#include "cli.h"
#include "config.h"

#include "../app/demo.h"
#include "../app/instrument.h"
#include "../app/mailer.h"
#include "../app/invitation.h"
#include "../app/network.h"
#include "../app/person.h"
#include "../app/person_role.h"
#include "../app/settings.h"
#include "../base/ids.h"
#include "../base/log.h"
#include "../http/openapi.h"
#include "../http/server.h"
#include "../store/db.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*run)(struct config *c, int argc, char **argv);
	const char *summary;
	const char *usage;
};

static const struct command *find_command(const char *name);

/* A password that is easy to type from a terminal: 4 groups of 5. */
static void generate_password(char out[24])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	int k = 0;
	for (int g = 0; g < 4; g++) {
		for (int j = 0; j < 5; j++)
			out[k++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		out[k++] = g < 3 ? '-' : '\0';
	}
}

static int read_password_stdin(char *out, size_t size)
{
	if (!fgets(out, (int)size, stdin))
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

/* ---- migrate -------------------------------------------------------- */

static int migrate_database(db *d, herr *e)
{
	int applied = db_migrate(d, e);
	if (applied < 0)
		return applied;
	unsigned char secret[SETTINGS_SECRET_BYTES];
	if (settings_secret(d, secret))
		return herr_set(e, ERR_DB, NULL, "Could not create the server secret: %s", db_errmsg(d));
	sodium_memzero(secret, sizeof secret);
	return applied;
}

static int cmd_migrate(struct config *c, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("migrate", "unexpected argument \"%s\"", argv[1]);
	herr e;
	herr_clear(&e);
	db *d = cli_open_db(c, "migrate", &e);
	if (!d)
		return EXIT_FAILURE;
	int applied = migrate_database(d, &e);
	int version = db_schema_version(d);
	db_close(d);
	/* Check-ins finished before their scores were stored are scored here,
	 * once (it takes a while on a large network), not when serve starts. */
	if (applied < 0 || instrument_registry_load(c->instruments_dir, &e) ||
	    cli_fill_checkin_scores(c, "migrate", &e))
		return cli_fail("migrate", &e);
	printf("Applied %d migration%s; the database is at schema version %d.\n",
	       applied, applied == 1 ? "" : "s", version);
	return 0;
}

/* ---- init ----------------------------------------------------------- */

static int create_account(db *d, const char *email, const char *name, const char *password,
			  bool admin, int64_t *ret_id, herr *e)
{
	arena *a = arena_new(1024);
	struct person_new in = { .email = email, .display_name = name, .password = password,
				 .is_admin = admin };
	int rc = person_create(d, a, &in, ret_id, e);
	arena_free(a);
	return rc;
}

static int cmd_init(struct config *c, int argc, char **argv)
{
	const char *email = "admin@example.org", *name = "Administrator", *pwfile = NULL, *v;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--admin-email")))
			email = v;
		else if ((v = cli_flag_value(argc, argv, &i, "--admin-name")))
			name = v;
		else if ((v = cli_flag_value(argc, argv, &i, "--admin-password-file")))
			pwfile = v;
		else
			return cli_usage_error("init", "unknown argument \"%s\"", argv[i]);
	}
	herr e;
	herr_clear(&e);
	db *d = cli_open_db(c, "init", &e);
	if (!d)
		return EXIT_FAILURE;
	int rc = migrate_database(d, &e);
	int64_t people = 0;
	if (rc >= 0 && (rc = person_count(d, &people)) < 0)
		herr_set(&e, rc, NULL, "Could not count accounts: %s", db_errmsg(d));
	if (rc >= 0 && people > 0) {
		printf("The database %s is ready (it already has accounts; none was added).\n",
		       db_url_is_postgres(c->database) ? "(PostgreSQL)" : c->database);
		db_close(d);
		return 0;
	}
	char password[256];
	if (rc >= 0) {
		if (pwfile) {
			FILE *f = strcmp(pwfile, "-") ? fopen(pwfile, "r") : stdin;
			if (!f || !fgets(password, sizeof password, f))
				rc = herr_set(&e, ERR_NOTFOUND, NULL, "Cannot read a password from %s", pwfile);
			if (f && f != stdin)
				fclose(f);
			password[strcspn(password, "\r\n")] = '\0';
		} else
			generate_password(password);
	}
	int64_t id;
	if (rc >= 0)
		rc = create_account(d, email, name, password, true, &id, &e);
	db_close(d);
	if (rc < 0)
		return cli_fail("init", &e);
	printf("Created the database %s with an administrator account.\n"
	       "  email:    %s\n", db_url_is_postgres(c->database) ? "(PostgreSQL)" : c->database, email);
	if (!pwfile)
		printf("  password: %s\n(Shown once: keep it safe, and change it after you log in.)\n",
		       password);
	sodium_memzero(password, sizeof password);
	return 0;
}

/* ---- user ----------------------------------------------------------- */

static int cmd_user_add(struct config *c, int argc, char **argv)
{
	const char *email = NULL, *name = NULL, *v;
	bool admin = false, from_stdin = false;
	unsigned roles = 0;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--name")))
			name = v;
		else if ((v = cli_flag_value(argc, argv, &i, "--role"))) {
			unsigned bit = person_role_parse(v);
			if (!bit)
				return cli_usage_error("user add", "unknown role \"%s\" (the roles are "
						   "coordinator, safeguarding_lead, peer_researcher and "
						   "commissioner)", v);
			roles |= bit;
		} else if (!strcmp(argv[i], "--admin"))
			admin = true;
		else if (!strcmp(argv[i], "--password-stdin"))
			from_stdin = true;
		else if (argv[i][0] == '-')
			return cli_usage_error("user add", "unknown option \"%s\"", argv[i]);
		else if (!email)
			email = argv[i];
		else
			return cli_usage_error("user add", "unexpected argument \"%s\"", argv[i]);
	}
	if (!email)
		return cli_usage_error("user add", "%s", "give the person's email address");
	if (!name)
		name = email;
	char password[256];
	if (from_stdin) {
		if (read_password_stdin(password, sizeof password))
			return cli_usage_error("user add", "%s", "no password on standard input");
	} else
		generate_password(password);
	herr e;
	herr_clear(&e);
	db *d = cli_open_db(c, "user add", &e);
	if (!d)
		return EXIT_FAILURE;
	int64_t id;
	int rc = db_begin_write(d);
	if (rc)
		herr_set(&e, rc, NULL, "The database is busy: %s", db_errmsg(d));
	if (!rc)
		rc = create_account(d, email, name, password, admin, &id, &e);
	for (int i = 0; !rc && i < PERSON_ROLE_COUNT; i++)
		if (roles & (1u << i))
			rc = person_role_grant(d, id, person_role_names[i], &e);
	if (!rc && (rc = db_commit(d)))
		herr_set(&e, rc, NULL, "Could not save the account: %s", db_errmsg(d));
	if (rc)
		db_rollback(d);
	db_close(d);
	if (rc)
		return cli_fail("user add", &e);
	printf("Added %s%s (id %lld).\n", email, admin ? " as an administrator" : "", (long long)id);
	for (int i = 0; i < PERSON_ROLE_COUNT; i++)
		if (roles & (1u << i))
			printf("  role: %s\n", person_role_names[i]);
	if (!from_stdin)
		printf("  password: %s\n", password);
	sodium_memzero(password, sizeof password);
	return 0;
}

static int cmd_user_invite(struct config *c, int argc, char **argv)
{
	const char *email = argc > 1 ? argv[1] : NULL;
	if (argc > 2)
		return cli_usage_error("user invite", "unexpected argument \"%s\"", argv[2]);
	herr e;
	herr_clear(&e);
	db *d = cli_open_db(c, "user invite", &e);
	if (!d)
		return EXIT_FAILURE;
	arena *a = arena_new(1024);
	char token[INVITATION_TOKEN_CHARS + 1];
	int64_t id;
	int rc = invitation_create(d, a, 0, email, token, &id, &e);
	arena_free(a);
	db_close(d);
	if (rc)
		return cli_fail("user invite", &e);
	printf("Invitation made%s%s; valid for %d days. Send this link:\n  /signup?invite=%s\n",
	       email ? " for " : "", email ? email : "", INVITATION_DAYS, token);
	return 0;
}

static int cmd_user(struct config *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("user", "%s", "say what to do: add or invite");
	if (!strcmp(argv[1], "add"))
		return cmd_user_add(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "invite"))
		return cmd_user_invite(c, argc - 1, argv + 1);
	return cli_usage_error("user", "unknown subcommand \"%s\"", argv[1]);
}

/* ---- serve ---------------------------------------------------------- */

static int cmd_serve(struct config *c, int argc, char **argv)
{
	const char *v;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--listen")))
			c->server.listen = v;
		else if ((v = cli_flag_value(argc, argv, &i, "--threads"))) {
			c->server.threads = atoi(v);
			if (c->server.threads < 0 || c->server.threads > 256)
				return cli_usage_error("serve", "--threads must be 0 to 256, not \"%s\"", v);
		} else if (!strcmp(argv[i], "--quiet"))
			log_set_quiet(true);
		else
			return cli_usage_error("serve", "unknown argument \"%s\"", argv[i]);
	}
	c->server.database_url = c->database;
	herr e;
	herr_clear(&e);
	if (instrument_registry_load(c->instruments_dir, &e) || cli_fill_checkin_scores(c, "serve", &e))
		return cli_fail("serve", &e);
	struct mailer *mailer;   /* before the server's threads: curl_global_init */
	if (cli_mailer_start(c, &mailer, &e))
		return cli_fail("serve", &e);
	int rc = server_run(&c->server, &e);
	mailer_stop(mailer);
	if (rc)
		return cli_fail("serve", &e);
	return 0;
}

/* ---- routes --------------------------------------------------------- */

/* Every route the server answers, "METHOD PATH ACCESS" one a line, or with
 * --openapi the API description served at /api/v1/openapi.json. Fails when
 * a route's notes cannot be read or a route can never be reached, so the
 * tests catch it. Needs no database. */
static int cmd_routes(struct config *c, int argc, char **argv)
{
	bool openapi = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--openapi"))
			openapi = true;
		else
			return cli_usage_error("routes", "unknown argument \"%s\"", argv[i]);
	}
	const struct web_route *const *tables = openapi_route_tables();
	json_t *doc;
	herr e;
	herr_clear(&e);
	if (openapi_document(tables, &doc, &e))
		return cli_fail("routes", &e);
	if (openapi)
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	else
		openapi_print_routes(stdout, tables);
	if (openapi)
		putchar('\n');
	json_decref(doc);
	return 0;
}

/* ---- demo ---------------------------------------------------------- */

/* The first bytes of every SQLite database file. */
static bool is_sqlite_file(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[16] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	return n == sizeof head && memcmp(head, magic, sizeof head) == 0;
}

/* Deletes a SQLite database and the files beside it (WAL, shared memory,
 * journal). Only for a file that is_sqlite_file() recognised. */
static int remove_sqlite_database(const char *path)
{
	static const char *const suffixes[] = { "-wal", "-shm", "-journal", "" };
	char name[4096];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		if (snprintf(name, sizeof name, "%s%s", path, suffixes[i]) >= (int)sizeof name)
			return -1;
		if (unlink(name) != 0 && errno != ENOENT)
			return -1;
	}
	return 0;
}

/* 1 when the PostgreSQL schema the URL leads to holds any table, 0 when it
 * holds none, or a negative ERR_*. */
static int postgres_schema_has_tables(db *d)
{
	db_stmt *st = db_prepare(d,
		"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()");
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	return rc < 0 ? rc : n > 0;
}

/* Drops the current schema with everything in it and makes it again,
 * empty. Only for a schema that holds Hearth's tables (schema_migration). */
static int postgres_reset_schema(db *d)
{
	return db_exec_script(d,
		"DO $$ DECLARE s text := current_schema(); BEGIN "
		"EXECUTE format('DROP SCHEMA %I CASCADE', s); "
		"EXECUTE format('CREATE SCHEMA %I', s); END $$");
}

static int demo_refuse(const char *database)
{
	fprintf(stderr,
		"hearth demo: the database %s is not empty, so no demo was made and nothing was\n"
		"changed. The demo network needs a fresh database: give another --database,\n"
		"or add --force to delete everything in this one and start again.\n", database);
	return EXIT_FAILURE;
}

/* Makes sure the SQLite file at path is absent or empty, deleting it when
 * forced. Returns 0, or an exit code. */
static int demo_clear_sqlite(const char *path, bool force)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || sb.st_size == 0)
		return 0;
	if (!force)
		return demo_refuse(path);
	if (!S_ISREG(sb.st_mode) || !is_sqlite_file(path)) {
		fprintf(stderr, "hearth demo: %s is not a SQLite database, so --force will not delete "
			"it. Give another --database.\n", path);
		return EXIT_FAILURE;
	}
	if (remove_sqlite_database(path)) {
		fprintf(stderr, "hearth demo: cannot delete %s: %s\n", path, strerror(errno));
		return EXIT_FAILURE;
	}
	return 0;
}

/* Makes sure the PostgreSQL schema is empty, resetting it when forced (only
 * when it is Hearth's). Reopens *d after a reset, so no statement prepared
 * against the old tables survives. Returns 0, or an exit code. */
static int demo_clear_postgres(struct config *c, db **d, bool force, herr *e)
{
	int has = postgres_schema_has_tables(*d);
	if (has < 0) {
		fprintf(stderr, "hearth demo: cannot read the database: %s\n", db_errmsg(*d));
		return EXIT_FAILURE;
	}
	if (!has)
		return 0;
	if (!force)
		return demo_refuse("(PostgreSQL)");
	if (db_schema_version(*d) <= 0) {
		fprintf(stderr, "hearth demo: the PostgreSQL schema holds tables that are not Hearth's, "
			"so --force will not drop them. Use a database of its own for the demo.\n");
		return EXIT_FAILURE;
	}
	if (postgres_reset_schema(*d)) {
		fprintf(stderr, "hearth demo: cannot empty the schema: %s\n", db_errmsg(*d));
		return EXIT_FAILURE;
	}
	db_close(*d);
	*d = cli_open_db(c, "demo", e);
	return *d ? 0 : EXIT_FAILURE;
}

/* Reads one line (the password every demo login gets) from path or "-". */
static int read_password_file(const char *path, char *out, size_t size)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	bool ok = f && fgets(out, (int)size, f);
	if (f && f != stdin)
		fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static bool parse_seed(const char *s, uint64_t *ret)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

static void print_demo_summary(const char *where, uint64_t seed, const struct demo_summary *s,
			       double seconds)
{
	printf("Created the demo network in %s (seed %llu):\n"
	       "  %lld organisations, %lld tags, %lld groups, %lld people (%lld without an account),\n"
	       "  %lld memberships and %lld requests to join,\n"
	       "  %lld past meetings (%lld cancelled) with %lld attendance records,\n"
	       "  %lld roles taken, %lld sets of minutes and %lld actions,\n"
	       "  %lld meetings scheduled ahead.\n"
	       "It took %.1f seconds.\n\n",
	       where, (unsigned long long)seed,
	       (long long)s->organisations, (long long)s->tags, (long long)s->groups,
	       (long long)s->people, (long long)s->people_without_account,
	       (long long)s->memberships, (long long)s->requests,
	       (long long)s->past_meetings, (long long)s->cancelled_meetings,
	       (long long)s->attendance, (long long)s->roles_taken, (long long)s->minutes,
	       (long long)s->actions, (long long)s->upcoming_meetings, seconds);
}

static void print_demo_logins(char passwords[DEMO_LOGINS][256], const char *pwfile)
{
	printf("Log in as:\n");
	for (int i = 0; i < DEMO_LOGINS; i++)
		printf("  %-20s %-34s password: %s\n", demo_logins[i].role, demo_logins[i].email,
		       pwfile ? "(the one in the password file)" : passwords[i]);
	if (!pwfile)
		printf("The passwords are shown only this once: keep them somewhere safe.\n");
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int cmd_demo(struct config *c, int argc, char **argv)
{
	const char *pwfile = NULL, *v;
	uint64_t seed = 1;
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--seed"))) {
			if (!parse_seed(v, &seed))
				return cli_usage_error("demo", "--seed must be a whole number from 0 up, not \"%s\"", v);
		} else if ((v = cli_flag_value(argc, argv, &i, "--password-file")))
			pwfile = v;
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else
			return cli_usage_error("demo", "unknown argument \"%s\"", argv[i]);
	}
	char passwords[DEMO_LOGINS][256];
	for (int i = 0; i < DEMO_LOGINS; i++) {
		if (!pwfile)
			generate_password(passwords[i]);
		else if (i == 0 && read_password_file(pwfile, passwords[0], sizeof passwords[0])) {
			fprintf(stderr, "hearth demo: cannot read a password from %s\n", pwfile);
			return EXIT_FAILURE;
		} else if (i > 0)
			memcpy(passwords[i], passwords[0], sizeof passwords[0]);
	}
	struct demo_options opt = { .seed = seed };
	for (int i = 0; i < DEMO_LOGINS; i++)
		opt.passwords[i] = passwords[i];
	herr e;
	herr_clear(&e);
	if (demo_check_options(&opt, &e)) {
		fprintf(stderr, "hearth demo: the password from %s will not do: %s\n",
			pwfile ? pwfile : "the generator", e.message);
		return EXIT_FAILURE;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool pg = db_url_is_postgres(c->database);
	const char *where = pg ? "(PostgreSQL)" : c->database;
	int rc = pg ? 0 : demo_clear_sqlite(c->database, force);
	if (rc)
		return rc;
	db *d = cli_open_db(c, "demo", &e);
	if (!d)
		return EXIT_FAILURE;
	if (pg && (rc = demo_clear_postgres(c, &d, force, &e))) {
		db_close(d);
		return rc;
	}
	if (!pg && demo_database_in_use(d, &e) > 0) {   /* a "file:" URI stat() did not see */
		db_close(d);
		return demo_refuse(where);
	}
	struct demo_summary summary;
	rc = migrate_database(d, &e);
	if (rc >= 0)
		rc = demo_build(d, &opt, &summary, &e);
	db_close(d);
	if (rc < 0) {
		sodium_memzero(passwords, sizeof passwords);
		/* Half a demo is no use: a file made here goes, so the next run
		 * starts clean; a PostgreSQL schema needs --force. */
		if (!pg && is_sqlite_file(c->database) && !remove_sqlite_database(c->database))
			fprintf(stderr, "hearth demo: %s (the half-made %s was deleted)\n",
				e.message, c->database);
		else
			fprintf(stderr, "hearth demo: %s%s\n", e.message,
				pg ? " (run it again with --force to start afresh)" : "");
		return EXIT_FAILURE;
	}
	print_demo_summary(where, seed, &summary, seconds_since(&t0));
	print_demo_logins(passwords, pwfile);
	sodium_memzero(passwords, sizeof passwords);
	return 0;
}

/* ---- version and help ---------------------------------------------- */

static int cmd_version(struct config *c, int argc, char **argv)
{
	printf("hearth %s (schema %d, SQLite and PostgreSQL)\n", HEARTH_VERSION, db_schema_latest());
	return 0;
}

static void print_overview(FILE *out)
{
	fprintf(out,
		"hearth - a home for a network of peer-led community support groups\n\n"
		"Usage: hearth [--config FILE] [--database PATH|URL] COMMAND [ARGS]\n\n"
		"Commands:\n");
	for (const struct command *cmd = find_command(NULL); cmd->name; cmd++)
		fprintf(out, "  %-12s %s\n", cmd->name, cmd->summary);
	fprintf(out,
		"\nThe database is a file path (SQLite) or a postgresql:// URL.\n"
		"Settings: --config FILE (INI), then HEARTH_DATABASE and HEARTH_LISTEN,\n"
		"then flags. Run `hearth COMMAND --help` for one command.\n");
}

static int cmd_help(struct config *c, int argc, char **argv)
{
	if (argc > 1) {
		const struct command *cmd = find_command(argv[1]);
		if (!cmd)
			return cli_usage_error("help", "unknown command \"%s\"", argv[1]);
		printf("%s\n", cmd->usage);
		return 0;
	}
	print_overview(stdout);
	return 0;
}

static const struct command commands[] = {
	{ "init", cmd_init, "create the database and an administrator account",
	  "Usage: hearth init [--admin-email EMAIL] [--admin-name NAME]\n"
	  "                   [--admin-password-file FILE|-]\n\n"
	  "Creates the database (applying every migration) and, if it has no accounts,\n"
	  "an administrator. Without --admin-password-file a password is generated\n"
	  "and printed once." },
	{ "serve", cmd_serve, "run the web server",
	  "Usage: hearth serve [--listen HOST:PORT] [--threads N] [--quiet]\n\n"
	  "Serves the pages and the JSON API (under /api/v1/) on HOST:PORT, by default\n"
	  "127.0.0.1:8080, with one worker thread per core. Stops cleanly on SIGTERM\n"
	  "or SIGINT, letting requests in flight finish." },
	{ "user", cmd_user, "add people and make invitations",
	  "Usage: hearth user add EMAIL [--name NAME] [--admin] [--role ROLE]...\n"
	  "                       [--password-stdin]\n"
	  "       hearth user invite [EMAIL]\n\n"
	  "add: creates an account; without --password-stdin a password is generated\n"
	  "and printed. --role gives a network role (coordinator, safeguarding_lead,\n"
	  "peer_researcher or commissioner); repeat it for several. invite: makes a sign-up link valid for 14 days (for networks\n"
	  "where open_signup is off), optionally only for EMAIL." },
	{ "migrate", cmd_migrate, "bring the database schema up to date",
	  "Usage: hearth migrate\n\n"
	  "Applies the numbered migrations not yet applied, each in its own\n"
	  "transaction, and records them. Safe to run again." },
	{ "routes", cmd_routes, "list every route, or print the API description",
	  "Usage: hearth routes [--openapi]\n\n"
	  "Prints every route the server answers, one a line: METHOD PATH ACCESS,\n"
	  "where ACCESS is public, signed_in, coordinator, admin or nobody. With\n"
	  "--openapi, prints the OpenAPI 3.1 description served at\n"
	  "/api/v1/openapi.json instead." },
	{ "demo", cmd_demo, "create a demo network to try Hearth with",
	  "Usage: hearth demo [--seed N] [--force] [--password-file FILE|-]\n\n"
	  "Creates a fresh database at --database holding a fictional network of peer\n"
	  "support groups in Sheffield: organisations, tags, fourteen groups, about two\n"
	  "hundred people, six months of meetings and the next weeks scheduled. Prints\n"
	  "one login for each role (admin, coordinator, facilitator, peer support\n"
	  "worker, member) with a password generated for this run, or the password\n"
	  "read from --password-file for all five. The same --seed (default 1) gives\n"
	  "the same network. Refuses a database that is not empty; with --force it\n"
	  "deletes the SQLite file, or drops and recreates the PostgreSQL schema, first." },
	{ "mail", cmd_mail, "build due email digests, or count the outbox",
	  "Usage: hearth mail digest [--now]\n       hearth mail status\n\n"
	  "digest: queues the daily and weekly digests that are due (the serving mailer\n"
	  "does this every minute and sends them); with --now, every digest at once,\n"
	  "whatever the hour. Needs [mail] smtp_url. status: outbox rows by status." },
	{ "gen", cmd_gen, "fill a fresh database with a synthetic network for benchmarks",
	  "Usage: hearth gen [--groups N] [--members N] [--months N] [--seed N]\n"
	  "                  [--password PASSWORD] [--verbose]\n\n"
	  "Creates, in the empty database at --database, a synthetic network of N\n"
	  "groups (default 100) and N members (default 1000) with N months of\n"
	  "meetings and attendance (default 6), agreements, threads and agendas,\n"
	  "for bench/ (see bench/README.md). The same seed gives the same network.\n"
	  "Every generated person can sign in as personN@gen.hearth.example with\n"
	  "PASSWORD (default \"generated-network\"); gen@gen.hearth.example is a\n"
	  "coordinator." },
	{ "instruments", cmd_instruments, "list the questionnaires, or check a network's own file",
	  "Usage: hearth instruments list\n       hearth instruments check FILE\n\n"
	  "list: the built-in questionnaires and those in [network] instruments_dir.\n"
	  "check: validates one instrument file (format: docs/instruments.md) and prints\n"
	  "\"FILE: ok: NAME (N items, M scales)\", or the file, field and problem (exit 1)." },
	{ "analyse", cmd_analyse, "summarise questionnaire answers from a CSV file",
	  "Usage: hearth analyse CSV --instrument ID|FILE [--json]\n"
	  "       hearth analyse --network [--by tag|period|tag,period] [--json]\n\n"
	  "Reads one row per person and time point (columns person, time and the item\n"
	  "ids; time a whole number or YYYY-MM-DD; an empty cell is unanswered) and\n"
	  "prints, for each scale, descriptives at baseline and at the latest time,\n"
	  "the paired change (t-test, Wilcoxon signed-rank, d_z, d_av, g with 95% CIs),\n"
	  "reliable change counts and the reliability (alpha, omega) at baseline.\n"
	  "A bad row stops it with the line and column. Needs no database.\n\n"
	  "With --network it reads the database instead and prints the figures the\n"
	  "network's coordinators see on /network/outcomes (consented check-ins only,\n"
	  "small numbers hidden), all groups and by group tag (default) or by quarter,\n"
	  "with the paired t-test and Wilcoxon test (docs/statistics.md).\n"
	  "--by tag,period gives both from one reading (JSON: {\"splits\": [...]})." },
	{ "version", cmd_version, "print the version", "Usage: hearth version" },
	{ "help", cmd_help, "show help for a command", "Usage: hearth help [COMMAND]" },
	{ NULL, NULL, NULL, NULL }
};

static const struct command *find_command(const char *name)
{
	if (!name)
		return commands;
	for (const struct command *cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "hearth: cannot initialise libsodium\n");
		return EXIT_FAILURE;
	}
	struct config c;
	if (config_init(&c)) {
		fprintf(stderr, "hearth: out of memory\n");
		return EXIT_FAILURE;
	}
	const char *config_path = NULL, *database = NULL, *v;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--config")))
			config_path = v;
		else if ((v = cli_flag_value(argc, argv, &i, "--database")))
			database = v;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_overview(stdout);
			config_free(&c);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			config_free(&c);
			return cmd_version(NULL, 0, NULL);
		} else {
			fprintf(stderr, "hearth: unknown option \"%s\"\n\n", argv[i]);
			print_overview(stderr);
			config_free(&c);
			return EXIT_USAGE;
		}
	}
	int rc;
	const struct command *cmd = i < argc ? find_command(argv[i]) : NULL;
	if (!cmd) {
		if (i < argc)
			fprintf(stderr, "hearth: unknown command \"%s\"\n\n", argv[i]);
		print_overview(stderr);
		rc = EXIT_USAGE;
	} else if (cli_wants_help(argc - i, argv + i)) {
		printf("%s\n", cmd->usage);
		rc = 0;
	} else {
		herr e;
		herr_clear(&e);
		rc = 0;
		if (config_path && config_load_file(&c, config_path, &e)) {
			fprintf(stderr, "hearth: %s\n", e.message);
			rc = EXIT_FAILURE;
		}
		if (rc == 0) {
			config_apply_env(&c);
			if (database)
				c.database = database;
			network_set_default_zone(c.time_zone);
			rc = cmd->run(&c, argc - i, argv + i);
		}
	}
	config_free(&c);
	return rc;
}
