/* cli.h - what every `hearth` command shares: reading flags, reporting a
 * wrong usage or a failure the same way, opening the configured database.
 * Commands that live in their own file (cli/NAME_cmd.c) are declared here and
 * listed in main.c's command table. Exit codes: 0 success, 1 failure, 2
 * wrong usage. */
#ifndef HEARTH_CLI_H
#define HEARTH_CLI_H

#include "config.h"

#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>

#define EXIT_USAGE 2

/* Returns the value of --name VALUE or --name=VALUE at argv[*i], advancing
 * *i; NULL when argv[*i] is not that flag. */
const char *cli_flag_value(int argc, char **argv, int *i, const char *name);
/* Whether --help or -h is among argv[1..]. */
bool cli_wants_help(int argc, char **argv);
/* Prints "hearth CMD: MESSAGE" and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "hearth CMD: " and e's message; returns EXIT_FAILURE. */
int cli_fail(const char *cmd, const herr *e);
/* Opens the configured database, saying on stderr why not. */
db *cli_open_db(struct config *c, const char *cmd, herr *e);

/* Commands in their own files. */
/* instruments_cmd.c: `hearth instruments list | check FILE`. */
int cmd_instruments(struct config *c, int argc, char **argv);
/* analyse_cmd.c: `hearth analyse CSV --instrument ID [--json]` and
 * `hearth analyse --network [--by tag|period] [--json]`. */
int cmd_analyse(struct config *c, int argc, char **argv);
/* analyse_cmd.c: stores the scores of finished check-ins that have none (once
 * after an upgrade; checkin_scores_fill), with the instruments loaded. */
int cli_fill_checkin_scores(struct config *c, const char *cmd, herr *e);
/* gen_cmd.c: `hearth gen`, the synthetic network for the benchmarks. */
int cmd_gen(struct config *c, int argc, char **argv);
/* mail_cmd.c: `hearth mail digest [--now] | status`; and the mailer that
 * `hearth serve` runs when [mail] smtp_url is set (*ret NULL when not). */
int cmd_mail(struct config *c, int argc, char **argv);
struct mailer;
int cli_mailer_start(struct config *c, struct mailer **ret, herr *e);

#endif
