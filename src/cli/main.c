/* main.c - the `hearth` command: parses argv and runs one command (init,
 * serve, user, migrate, version, help). Settings: defaults < --config INI
 * file < HEARTH_DATABASE / HEARTH_LISTEN < flags. Exit codes: 0 success,
 * 1 failure, 2 wrong usage. */
#include "config.h"

#include "../app/invitation.h"
#include "../app/network.h"
#include "../app/person.h"
#include "../app/person_role.h"
#include "../app/settings.h"
#include "../base/ids.h"
#include "../base/log.h"
#include "../http/server.h"
#include "../store/db.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_USAGE 2

struct command {
	const char *name;
	int (*run)(struct config *c, int argc, char **argv);
	const char *summary;
	const char *usage;
};

static const struct command *find_command(const char *name);

/* ---- flags ---------------------------------------------------------- */

/* Returns the value of --name VALUE or --name=VALUE at argv[*i], advancing
 * *i; NULL when argv[*i] is not that flag. */
static const char *flag_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

__attribute__((format(printf, 2, 3)))
static int usage_error(const char *cmd, const char *fmt, ...)
{
	fprintf(stderr, "hearth %s: ", cmd);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry: hearth %s --help\n", cmd);
	return EXIT_USAGE;
}

static int fail(const char *cmd, const herr *e)
{
	fprintf(stderr, "hearth %s: %s\n", cmd, e->message[0] ? e->message : err_name(e->code));
	return EXIT_FAILURE;
}

static db *open_db(struct config *c, const char *cmd, herr *e)
{
	db *d = db_open(c->database, e);
	if (!d)
		fprintf(stderr, "hearth %s: cannot open the database %s: %s\n", cmd,
			db_url_is_postgres(c->database) ? "(PostgreSQL)" : c->database, e->message);
	return d;
}

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
		return usage_error("migrate", "unexpected argument \"%s\"", argv[1]);
	herr e;
	herr_clear(&e);
	db *d = open_db(c, "migrate", &e);
	if (!d)
		return EXIT_FAILURE;
	int applied = migrate_database(d, &e);
	int version = db_schema_version(d);
	db_close(d);
	if (applied < 0)
		return fail("migrate", &e);
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
		if ((v = flag_value(argc, argv, &i, "--admin-email")))
			email = v;
		else if ((v = flag_value(argc, argv, &i, "--admin-name")))
			name = v;
		else if ((v = flag_value(argc, argv, &i, "--admin-password-file")))
			pwfile = v;
		else
			return usage_error("init", "unknown argument \"%s\"", argv[i]);
	}
	herr e;
	herr_clear(&e);
	db *d = open_db(c, "init", &e);
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
		return fail("init", &e);
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
		if ((v = flag_value(argc, argv, &i, "--name")))
			name = v;
		else if ((v = flag_value(argc, argv, &i, "--role"))) {
			unsigned bit = person_role_parse(v);
			if (!bit)
				return usage_error("user add", "unknown role \"%s\" (the roles are "
						   "coordinator, safeguarding_lead, peer_researcher and "
						   "commissioner)", v);
			roles |= bit;
		} else if (!strcmp(argv[i], "--admin"))
			admin = true;
		else if (!strcmp(argv[i], "--password-stdin"))
			from_stdin = true;
		else if (argv[i][0] == '-')
			return usage_error("user add", "unknown option \"%s\"", argv[i]);
		else if (!email)
			email = argv[i];
		else
			return usage_error("user add", "unexpected argument \"%s\"", argv[i]);
	}
	if (!email)
		return usage_error("user add", "%s", "give the person's email address");
	if (!name)
		name = email;
	char password[256];
	if (from_stdin) {
		if (read_password_stdin(password, sizeof password))
			return usage_error("user add", "%s", "no password on standard input");
	} else
		generate_password(password);
	herr e;
	herr_clear(&e);
	db *d = open_db(c, "user add", &e);
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
		return fail("user add", &e);
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
		return usage_error("user invite", "unexpected argument \"%s\"", argv[2]);
	herr e;
	herr_clear(&e);
	db *d = open_db(c, "user invite", &e);
	if (!d)
		return EXIT_FAILURE;
	arena *a = arena_new(1024);
	char token[INVITATION_TOKEN_CHARS + 1];
	int64_t id;
	int rc = invitation_create(d, a, 0, email, token, &id, &e);
	arena_free(a);
	db_close(d);
	if (rc)
		return fail("user invite", &e);
	printf("Invitation made%s%s; valid for %d days. Send this link:\n  /signup?invite=%s\n",
	       email ? " for " : "", email ? email : "", INVITATION_DAYS, token);
	return 0;
}

static int cmd_user(struct config *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("user", "%s", "say what to do: add or invite");
	if (!strcmp(argv[1], "add"))
		return cmd_user_add(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "invite"))
		return cmd_user_invite(c, argc - 1, argv + 1);
	return usage_error("user", "unknown subcommand \"%s\"", argv[1]);
}

/* ---- serve ---------------------------------------------------------- */

static int cmd_serve(struct config *c, int argc, char **argv)
{
	const char *v;
	for (int i = 1; i < argc; i++) {
		if ((v = flag_value(argc, argv, &i, "--listen")))
			c->server.listen = v;
		else if ((v = flag_value(argc, argv, &i, "--threads"))) {
			c->server.threads = atoi(v);
			if (c->server.threads < 0 || c->server.threads > 256)
				return usage_error("serve", "--threads must be 0 to 256, not \"%s\"", v);
		} else if (!strcmp(argv[i], "--quiet"))
			log_set_quiet(true);
		else
			return usage_error("serve", "unknown argument \"%s\"", argv[i]);
	}
	c->server.database_url = c->database;
	herr e;
	herr_clear(&e);
	if (server_run(&c->server, &e))
		return fail("serve", &e);
	return 0;
}

/* ---- version and help ---------------------------------------------- */

static int cmd_version(struct config *c, int argc, char **argv)
{
	printf("hearth %s (schema %d, SQLite and PostgreSQL)\n", HEARTH_VERSION, db_migrations_known());
	return 0;
}

static void print_overview(FILE *out)
{
	fprintf(out,
		"hearth - a home for a network of peer-led community support groups\n\n"
		"Usage: hearth [--config FILE] [--database PATH|URL] COMMAND [ARGS]\n\n"
		"Commands:\n");
	for (const struct command *cmd = find_command(NULL); cmd->name; cmd++)
		fprintf(out, "  %-9s %s\n", cmd->name, cmd->summary);
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
			return usage_error("help", "unknown command \"%s\"", argv[1]);
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
		if ((v = flag_value(argc, argv, &i, "--config")))
			config_path = v;
		else if ((v = flag_value(argc, argv, &i, "--database")))
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
	} else if (wants_help(argc - i, argv + i)) {
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
