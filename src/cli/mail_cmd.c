/* mail_cmd.c - email from the command line: starting the mailer for
 * `hearth serve`, and `hearth mail` for operators (and tests): build the
 * digests that are due now, or all of them at once, and count the outbox. */
#include "cli.h"

#include "../app/digest.h"
#include "../app/mailer.h"
#include "../app/network.h"
#include "../app/notification.h"
#include "../app/outbox.h"
#include "../base/ids.h"
#include "../net/smtp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_mailer_start(struct config *c, struct mailer **ret, herr *e)
{
	*ret = NULL;
	notification_set_delivery(false);
	if (!mailer_configured(&c->mail))
		return 0;
	int rc = mailer_check(&c->mail, e);
	if (rc)
		return rc;
	if (smtp_global_init())
		return herr_set(e, ERR_INTERNAL, NULL, "Could not initialise libcurl for SMTP.");
	c->mail.database_url = c->database;
	if (!c->mail.from_name)
		c->mail.from_name = c->server.site.network_name;
	notification_set_delivery(true);
	*ret = mailer_start(&c->mail, e);
	if (!*ret) {
		notification_set_delivery(false);
		return e->code ? e->code : ERR_INTERNAL;
	}
	return 0;
}

static int mail_digest(struct config *c, int argc, char **argv)
{
	bool now_all = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--now"))
			now_all = true;
		else
			return cli_usage_error("mail", "unknown argument \"%s\"", argv[i]);
	}
	if (!mailer_configured(&c->mail)) {
		printf("No relay is configured ([mail] smtp_url): no digests are built.\n");
		return 0;
	}
	herr e;
	herr_clear(&e);
	db *d = cli_open_db(c, "mail", &e);
	if (!d)
		return EXIT_FAILURE;
	arena *a = arena_new(1024);
	int queued = 0;
	notification_set_delivery(true);
	int rc = a ? digest_queue_due(d, time_now_ms(), network_time_zone(d, a), c->mail.digest_hour,
				      now_all, &queued, &e)
		   : herr_set(&e, ERR_NOMEM, NULL, "Out of memory.");
	arena_free(a);
	db_close(d);
	if (rc)
		return cli_fail("mail", &e);
	printf("%d digest%s queued.\n", queued, queued == 1 ? "" : "s");
	return 0;
}

static int mail_status(struct config *c)
{
	herr e;
	herr_clear(&e);
	db *d = cli_open_db(c, "mail", &e);
	if (!d)
		return EXIT_FAILURE;
	struct outbox_counts n;
	int rc = outbox_count(d, &n, &e);
	db_close(d);
	if (rc)
		return cli_fail("mail", &e);
	printf("pending %lld\nsent %lld\nskipped %lld\nfailed %lld\n", (long long)n.pending,
	       (long long)n.sent, (long long)n.skipped, (long long)n.failed);
	return 0;
}

int cmd_mail(struct config *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("mail", "%s", "say what to do: digest or status");
	if (!strcmp(argv[1], "digest"))
		return mail_digest(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "status") && argc == 2)
		return mail_status(c);
	return cli_usage_error("mail", "unknown subcommand \"%s\"", argv[1]);
}
