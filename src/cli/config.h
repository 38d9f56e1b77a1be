/* config.h - Hearth's settings: built-in defaults, then an INI file
 * (--config), then the environment (HEARTH_DATABASE, HEARTH_LISTEN), then
 * command-line flags. See docs/configuration.md for every key. */
#ifndef HEARTH_CONFIG_H
#define HEARTH_CONFIG_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../app/mailer.h"
#include "../http/server.h"

struct config {
	arena *strings;                  /* owns every string below */
	const char *database;            /* file path or postgresql:// URL */
	const char *time_zone;           /* IANA name, e.g. Europe/London */
	struct server_options server;    /* includes the site settings */
	const char *instruments_dir;     /* a network's own instrument files; NULL: none */
	struct mailer_options mail;      /* [mail]: the SMTP relay; off without smtp_url */
};

/* Fills defaults; the caller frees with config_free. */
int config_init(struct config *c);
void config_free(struct config *c);
/* Reads an INI file; errors name the file, line and key. */
int config_load_file(struct config *c, const char *path, herr *e);
void config_apply_env(struct config *c);

#endif
