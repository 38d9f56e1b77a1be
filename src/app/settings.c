/* settings.c - key/value settings and the server secret (see settings.h). */
#include "settings.h"

#include "../base/ids.h"

#include <sodium.h>
#include <string.h>

const char *settings_get(db *d, arena *a, const char *key)
{
	db_stmt *st = db_prepare(d, "SELECT value FROM settings WHERE key = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, key);
	const char *value = NULL;
	if (db_step(st) == DB_ROW)
		value = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	return value;
}

int settings_set(db *d, const char *key, const char *value)
{
	db_stmt *st = db_prepare(d, "UPDATE settings SET value = ? WHERE key = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, value);
	db_bind_text(st, 2, key);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (db_changes(d) > 0)
		return 0;
	st = db_prepare(d, "INSERT INTO settings (key, value) VALUES (?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int settings_secret(db *d, unsigned char out[SETTINGS_SECRET_BYTES])
{
	arena *a = arena_new(256);
	if (!a)
		return ERR_NOMEM;
	int rc = 0;
	const char *hex = settings_get(d, a, "server_secret");
	if (!hex) {
		char fresh[2 * SETTINGS_SECRET_BYTES + 1];
		random_hex(fresh, SETTINGS_SECRET_BYTES);
		/* Two nodes starting at once: the first insert wins, and both
		 * read back the stored one. */
		db_stmt *st = db_prepare(d, "INSERT INTO settings (key, value) VALUES ('server_secret', ?) "
					    "ON CONFLICT (key) DO NOTHING");
		if (st) {
			db_bind_text(st, 1, fresh);
			rc = db_step(st);
			db_reset(st);
		}
		hex = settings_get(d, a, "server_secret");
	}
	size_t len = 0;
	if (rc >= 0 && hex &&
	    sodium_hex2bin(out, SETTINGS_SECRET_BYTES, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == SETTINGS_SECRET_BYTES)
		rc = 0;
	else
		rc = rc < 0 ? rc : ERR_DB;
	arena_free(a);
	return rc;
}
