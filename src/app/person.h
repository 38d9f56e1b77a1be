/* person.h - people and their accounts.
 *
 * A person has a display name (a pseudonym is welcome), optional pronouns
 * and, when they have an account, an email and a password hash. People
 * without accounts (a facilitator records "Sam" at a meeting) have neither.
 * Emails are stored lower-cased and compared that way. */
#ifndef HEARTH_PERSON_H
#define HEARTH_PERSON_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>
#include <stdint.h>

#define PERSON_NAME_MAX 80       /* characters */
#define PERSON_PRONOUNS_MAX 40
#define PERSON_EMAIL_MAX 254
#define PERSON_ACCESS_NEEDS_MAX 1000

/* Strings point into the arena the function was given. */
struct person {
	int64_t id;
	const char *email;          /* NULL for people without an account */
	const char *display_name;
	const char *pronouns;       /* NULL or "" when not given */
	const char *access_needs;   /* NULL when not given; private to the
				       facilitators of their groups */
	bool is_admin;
	int64_t created_at;
	int64_t password_changed_at;
};

struct person_new {
	const char *email;
	const char *display_name;
	const char *pronouns;
	const char *password;
	bool is_admin;
	int64_t invitation_id;      /* when joining by invitation: used up atomically */
};

/* Checks an email address's shape and writes its lower-cased form (arena). */
int person_normalise_email(arena *a, const char *email, const char **ret, herr *e);
int person_check_display_name(const char *name, herr *e);
int person_check_pronouns(const char *pronouns, herr *e);
/* Access needs: optional, several lines allowed, PERSON_ACCESS_NEEDS_MAX
 * characters at most. */
int person_check_access_needs(const char *access_needs, herr *e);

/* Creates an account after checking every field; hashes the password. Runs
 * in the caller's write transaction if one is open, else in its own.
 * ERR_CONFLICT when the email is taken. */
int person_create(db *d, arena *a, const struct person_new *in, int64_t *ret_id, herr *e);
/* Creates a person without an account (no email, no password), added to a
 * group by a facilitator (added_by). Checks the fields; runs in the caller's
 * write transaction if one is open. */
int person_create_without_account(db *d, const char *display_name, const char *pronouns,
				  const char *access_needs, int64_t added_by, int64_t *ret_id,
				  herr *e);
int person_get(db *d, arena *a, int64_t id, struct person *ret, herr *e);
int person_count(db *d, int64_t *ret_count);
/* Checks email and password. Answers ERR_UNAUTH with one message for both a
 * wrong password and an unknown email, after the same amount of work. */
int person_authenticate(db *d, arena *a, const char *email, const char *password,
			struct person *ret, herr *e);
int person_change_password(db *d, arena *a, int64_t id, const char *current,
			   const char *new_password, herr *e);
int person_set_password(db *d, arena *a, int64_t id, const char *new_password, herr *e);
/* access_needs NULL or "" clears them. */
int person_update_profile(db *d, int64_t id, const char *display_name,
			  const char *pronouns, const char *access_needs, herr *e);

#endif
