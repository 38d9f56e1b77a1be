/* cli.c - the helpers every `hearth` command shares (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_flag_value(int argc, char **argv, int *i, const char *name)
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

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	fprintf(stderr, "hearth %s: ", cmd);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry: hearth %s --help\n", cmd);
	return EXIT_USAGE;
}

int cli_fail(const char *cmd, const herr *e)
{
	fprintf(stderr, "hearth %s: %s\n", cmd, e->message[0] ? e->message : err_name(e->code));
	return EXIT_FAILURE;
}

db *cli_open_db(struct config *c, const char *cmd, herr *e)
{
	db *d = db_open(c->database, e);
	if (!d)
		fprintf(stderr, "hearth %s: cannot open the database %s: %s\n", cmd,
			db_url_is_postgres(c->database) ? "(PostgreSQL)" : c->database, e->message);
	return d;
}
