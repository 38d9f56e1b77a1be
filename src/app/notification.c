/* notification.c - each person's choice of how they hear, who hears about
 * a new post, and unsubscribe tokens (see notification.h). */
#include "notification.h"

#include "membership.h"
#include "outbox.h"

#include "../base/ids.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_bool delivery_on;

void notification_set_delivery(bool on)
{
	atomic_store(&delivery_on, on);
}

bool notification_delivery_on(void)
{
	return atomic_load(&delivery_on);
}

bool notification_choice_valid(const char *c)
{
	return c && (!strcmp(c, "every") || !strcmp(c, "daily") || !strcmp(c, "weekly") ||
		     !strcmp(c, "none"));
}

const char *notification_choice_label(const char *c)
{
	if (!c) return "Nothing";
	if (!strcmp(c, "every")) return "Every post";
	if (!strcmp(c, "daily")) return "A daily digest";
	if (!strcmp(c, "weekly")) return "A weekly digest";
	if (!strcmp(c, "default")) return "As my choice above";
	return "Nothing";
}

static int db_failed(herr *e)
{
	return herr_set(e, ERR_DB, NULL, "Your email choices could not be read or saved; please try again.");
}

static int invalid_choice(herr *e, bool allow_default)
{
	return herr_set(e, ERR_INVALID, "choice",
			allow_default
			? "Choose every post, a daily digest, a weekly digest, nothing, or the same as your "
			  "choice for all groups."
			: "Choose every post, a daily digest, a weekly digest or nothing.");
}

/* ---- reading ------------------------------------------------------------- */

int notification_prefs_get(db *d, arena *a, int64_t person_id, struct notification_prefs *ret,
			   herr *e)
{
	memset(ret, 0, sizeof *ret);
	ret->choice = "none";
	db_stmt *st = db_prepare(d, "SELECT choice FROM notification_pref WHERE person_id = ?");
	if (!st)
		return db_failed(e);
	db_bind_int64(st, 1, person_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->choice = arena_strdup(a, db_col_text(st, 0));
		ret->chosen = true;
	}
	db_reset(st);
	if (rc < 0)
		return db_failed(e);
	st = db_prepare(d,
		"SELECT g.id, g.name, gp.choice FROM membership m JOIN peer_group g ON g.id = m.group_id "
		"LEFT JOIN notification_group_pref gp ON gp.person_id = m.person_id AND gp.group_id = g.id "
		"WHERE m.person_id = ? AND m.status = 'active' ORDER BY g.name, g.id LIMIT 200");
	if (!st)
		return db_failed(e);
	db_bind_int64(st, 1, person_id);
	ret->groups = arena_alloc(a, sizeof *ret->groups * 200);
	if (!ret->groups) {
		db_reset(st);
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	}
	while ((rc = db_step(st)) == DB_ROW && ret->n_groups < 200) {
		struct notification_group_choice *g = &ret->groups[ret->n_groups++];
		g->group_id = db_col_int64(st, 0);
		g->group_name = arena_strdup(a, db_col_text(st, 1));
		g->choice = arena_strdup(a, db_col_text(st, 2) ? db_col_text(st, 2) : "default");
	}
	db_reset(st);
	return rc < 0 ? db_failed(e) : 0;
}

/* ---- choosing ------------------------------------------------------------- */

/* Writes the person's own choice. A digest window starts when the digest is
 * first chosen (kept when it already runs), so the first digest holds what
 * came after the choice, not the group's whole past. */
static int write_choice(db *d, int64_t person_id, const char *choice, int64_t now)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO notification_pref (person_id, choice, daily_since, weekly_since, updated_at) "
		"VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET choice = excluded.choice, "
		"updated_at = excluded.updated_at");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	db_bind_text(st, 2, choice);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, now);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Moves a digest window's start to now when that digest was not running
 * before for the person (so a newly chosen digest starts now). */
static int restart_windows(db *d, int64_t person_id, bool had_daily, bool had_weekly, int64_t now)
{
	db_stmt *st = db_prepare(d,
		"UPDATE notification_pref SET daily_since = CASE WHEN ? = 1 THEN daily_since ELSE ? END, "
		"weekly_since = CASE WHEN ? = 1 THEN weekly_since ELSE ? END WHERE person_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_bool(st, 1, had_daily);
	db_bind_int64(st, 2, now);
	db_bind_bool(st, 3, had_weekly);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, person_id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether any of the person's choices (own or per group) is period. */
static int uses_period(db *d, int64_t person_id, const char *period, bool *ret)
{
	db_stmt *st = db_prepare(d,
		"SELECT 1 FROM notification_pref WHERE person_id = ? AND choice = ? "
		"UNION ALL SELECT 1 FROM notification_group_pref WHERE person_id = ? AND choice = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	db_bind_text(st, 2, period);
	db_bind_int64(st, 3, person_id);
	db_bind_text(st, 4, period);
	int rc = db_step(st);
	db_reset(st);
	*ret = rc == DB_ROW;
	return rc < 0 ? rc : 0;
}

/* Records whether any of the person's choices is a digest, which is what
 * the mailer's search for due digests reads (digest.c). */
static int refresh_wants_digest(db *d, int64_t person_id)
{
	db_stmt *st = db_prepare(d,
		"UPDATE notification_pref SET wants_digest = CASE WHEN choice IN ('daily', 'weekly') "
		"OR EXISTS (SELECT 1 FROM notification_group_pref gp WHERE gp.person_id = ? "
		"AND gp.choice IN ('daily', 'weekly')) THEN 1 ELSE 0 END WHERE person_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	db_bind_int64(st, 2, person_id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Runs change (one of the writes above) between reading which digests ran
 * before and restarting the windows of those that did not. */
static int with_windows(db *d, int64_t person_id, const char *own_choice, int64_t group_id,
			const char *group_choice)
{
	bool daily = false, weekly = false;
	int64_t now = time_now_ms();
	int rc = uses_period(d, person_id, "daily", &daily);
	if (!rc) rc = uses_period(d, person_id, "weekly", &weekly);
	if (!rc && own_choice) rc = write_choice(d, person_id, own_choice, now);
	if (!rc && !own_choice) {
		/* a group's choice needs the person's row for its windows */
		db_stmt *st = db_prepare(d,
			"INSERT INTO notification_pref (person_id, choice, daily_since, weekly_since, updated_at) "
			"VALUES (?, 'none', ?, ?, ?) ON CONFLICT (person_id) DO NOTHING");
		if (!st)
			return ERR_DB;
		db_bind_int64(st, 1, person_id);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, now);
		db_bind_int64(st, 4, now);
		rc = db_step(st) < 0 ? ERR_DB : 0;
		db_reset(st);
		db_stmt *w = !strcmp(group_choice, "default")
			? db_prepare(d, "DELETE FROM notification_group_pref WHERE person_id = ? AND group_id = ?")
			: db_prepare(d, "INSERT INTO notification_group_pref (person_id, group_id, choice, "
					"updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (person_id, group_id) "
					"DO UPDATE SET choice = excluded.choice, updated_at = excluded.updated_at");
		if (!rc && !w)
			rc = ERR_DB;
		if (!rc) {
			db_bind_int64(w, 1, person_id);
			db_bind_int64(w, 2, group_id);
			if (strcmp(group_choice, "default")) {
				db_bind_text(w, 3, group_choice);
				db_bind_int64(w, 4, now);
			}
			rc = db_step(w) < 0 ? ERR_DB : 0;
			db_reset(w);
		}
	}
	if (!rc) rc = restart_windows(d, person_id, daily, weekly, now);
	if (!rc) rc = refresh_wants_digest(d, person_id);
	return rc;
}

int notification_set_choice(db *d, const struct actor *actor, const char *choice, herr *e)
{
	if (!notification_choice_valid(choice))
		return invalid_choice(e, false);
	if (db_begin_write(d))
		return db_failed(e);
	int rc = with_windows(d, actor->person_id, choice, 0, NULL);
	if (rc)
		db_failed(e);
	return db_finish(d, rc);
}

int notification_set_group_choice(db *d, const struct actor *actor, int64_t group_id,
				  const char *choice, herr *e)
{
	if (!choice || (strcmp(choice, "default") && !notification_choice_valid(choice)))
		return invalid_choice(e, true);
	if (db_begin_write(d))
		return db_failed(e);
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc && !st.is_member)
		rc = herr_set(e, ERR_DENIED, NULL,
			      "You can choose how you hear about a group once you are one of its members.");
	if (!rc && with_windows(d, actor->person_id, NULL, group_id, choice))
		rc = db_failed(e);
	return db_finish(d, rc);
}

/* Whether person_id still has an account. */
static int person_exists(db *d, int64_t person_id, bool *ret)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM person WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	int rc = db_step(st);
	db_reset(st);
	*ret = rc == DB_ROW;
	return rc < 0 ? rc : 0;
}

int notification_unsubscribe(db *d, int64_t person_id, herr *e)
{
	if (db_begin_write(d))
		return db_failed(e);
	bool exists = false;
	int rc = person_exists(d, person_id, &exists);
	if (!rc && !exists) {
		db_rollback(d);
		return herr_set(e, ERR_NOTFOUND, NULL,
				"The account this link was for is gone, so nothing will be sent to it.");
	}
	if (!rc) rc = write_choice(d, person_id, "none", time_now_ms());
	if (!rc) {
		db_stmt *st = db_prepare(d, "DELETE FROM notification_group_pref WHERE person_id = ?");
		if (!st) {
			rc = ERR_DB;
		} else {
			db_bind_int64(st, 1, person_id);
			rc = db_step(st) < 0 ? ERR_DB : 0;
			db_reset(st);
		}
	}
	if (!rc) rc = refresh_wants_digest(d, person_id);
	if (rc)
		db_failed(e);
	return db_finish(d, rc);
}

/* ---- unsubscribe tokens -------------------------------------------------- */

static void token_mac(const unsigned char secret[32], int64_t person_id, char hex[65])
{
	char msg[64];
	int n = snprintf(msg, sizeof msg, "unsubscribe|%" PRId64, person_id);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, secret, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, 65, mac, sizeof mac);
}

void notification_token(const unsigned char secret[32], int64_t person_id,
			char out[NOTIFICATION_TOKEN_MAX])
{
	char hex[65];
	token_mac(secret, person_id, hex);
	snprintf(out, NOTIFICATION_TOKEN_MAX, "%" PRId64 ".%s", person_id, hex);
}

bool notification_token_check(const unsigned char secret[32], const char *token,
			      int64_t *ret_person_id)
{
	const char *dot = token ? strchr(token, '.') : NULL;
	if (!dot || dot == token || dot - token > 20 || strlen(dot + 1) != 64)
		return false;
	char idtext[24];
	memcpy(idtext, token, (size_t)(dot - token));
	idtext[dot - token] = '\0';
	int64_t id;
	if (!id_parse(idtext, &id))
		return false;
	char hex[65];
	token_mac(secret, id, hex);
	if (sodium_memcmp(hex, dot + 1, 64) != 0)
		return false;
	*ret_person_id = id;
	return true;
}

/* ---- who hears -------------------------------------------------------------- */

int notification_post_created(db *d, int64_t post_id, int64_t group_id, int64_t thread_id,
			      int64_t author_id, herr *e)
{
	if (!notification_delivery_on())
		return 0;
	db_stmt *st = db_prepare(d,
		"SELECT m.person_id FROM membership m JOIN person pe ON pe.id = m.person_id "
		"LEFT JOIN notification_group_pref gp ON gp.person_id = m.person_id AND gp.group_id = m.group_id "
		"LEFT JOIN notification_pref np ON np.person_id = m.person_id "
		"WHERE m.group_id = ? AND m.status = 'active' AND pe.email IS NOT NULL "
		"AND COALESCE(gp.choice, np.choice, 'none') = 'every' AND m.person_id <> ? "
		"AND NOT EXISTS (SELECT 1 FROM post_mute mu WHERE mu.post_id = ? AND mu.person_id = m.person_id) "
		"ORDER BY m.person_id");
	if (!st)
		return db_failed(e);
	db_bind_int64(st, 1, group_id);
	db_bind_int64(st, 2, author_id);
	db_bind_int64(st, 3, thread_id ? thread_id : post_id);
	int64_t *who = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			int64_t *bigger = realloc(who, sizeof *who * (cap = cap ? cap * 2 : 16));
			if (!bigger) {
				rc = ERR_NOMEM;
				break;
			}
			who = bigger;
		}
		who[n++] = db_col_int64(st, 0);
	}
	db_reset(st);
	int64_t now = time_now_ms();
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct outbox_item item = { .person_id = who[i], .kind = "post", .post_id = post_id };
		rc = outbox_enqueue(d, &item, now, e);
	}
	free(who);
	return rc < 0 ? db_failed(e) : 0;
}

bool notification_hears_every(db *d, int64_t person_id, int64_t group_id, int64_t thread_id)
{
	db_stmt *st = db_prepare(d,
		"SELECT 1 FROM membership m "
		"LEFT JOIN notification_group_pref gp ON gp.person_id = m.person_id AND gp.group_id = m.group_id "
		"LEFT JOIN notification_pref np ON np.person_id = m.person_id "
		"WHERE m.group_id = ? AND m.person_id = ? AND m.status = 'active' "
		"AND COALESCE(gp.choice, np.choice, 'none') = 'every' "
		"AND NOT EXISTS (SELECT 1 FROM post_mute mu WHERE mu.post_id = ? AND mu.person_id = m.person_id)");
	if (!st)
		return false;
	db_bind_int64(st, 1, group_id);
	db_bind_int64(st, 2, person_id);
	db_bind_int64(st, 3, thread_id);
	bool yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
}
