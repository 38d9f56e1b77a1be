/* settings.h - network-wide settings kept in the database (so every web
 * node sees the same), and the server secret that CSRF tokens are made with. */
#ifndef HEARTH_SETTINGS_H
#define HEARTH_SETTINGS_H

#include "../base/arena.h"
#include "../store/db.h"

#define SETTINGS_SECRET_BYTES 32

/* The value for key (arena), or NULL when unset. */
const char *settings_get(db *d, arena *a, const char *key);
int settings_set(db *d, const char *key, const char *value);
/* Reads the server secret, making and storing one on first use. */
int settings_secret(db *d, unsigned char out[SETTINGS_SECRET_BYTES]);

#endif
