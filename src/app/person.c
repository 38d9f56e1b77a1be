/* person.c - accounts: creating them, checking passwords, profiles
 * (see person.h). */
#include "person.h"

#include "../base/ids.h"
#include "../base/utf8.h"
#include "invitation.h"
#include "password.h"

#include <ctype.h>
#include <string.h>

int person_normalise_email(arena *a, const char *email, const char **ret, herr *e)
{
	size_t n = email ? strlen(email) : 0;
	if (n == 0)
		return herr_set(e, ERR_INVALID, "email", "Enter your email address.");
	if (n > PERSON_EMAIL_MAX)
		return herr_set(e, ERR_INVALID, "email", "That email address is too long.");
	const char *at = strchr(email, '@');
	bool shape_ok = at && at != email && strchr(at + 1, '@') == NULL &&
			strchr(at + 1, '.') && at[1] != '.' && email[n - 1] != '.';
	for (size_t i = 0; shape_ok && i < n; i++) {
		unsigned char c = (unsigned char)email[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',')
			shape_ok = false;
	}
	if (!shape_ok || !utf8_valid(email, n))
		return herr_set(e, ERR_INVALID, "email",
				"Enter an email address like name@example.org.");
	char *lower = arena_strndup(a, email, n);
	if (!lower)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*ret = lower;
	return 0;
}

int person_check_display_name(const char *name, herr *e)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0)
		return herr_set(e, ERR_INVALID, "display_name",
				"Enter the name you would like others to see. A first name "
				"or a made-up name is fine.");
	if (!utf8_valid_text(name, n) || strpbrk(name, "\r\n\t"))
		return herr_set(e, ERR_BADREQ, "display_name",
				"The name holds characters that cannot be shown.");
	if (utf8_length(name, n) > PERSON_NAME_MAX)
		return herr_set(e, ERR_INVALID, "display_name",
				"Please keep the name to %d characters or fewer.", PERSON_NAME_MAX);
	return 0;
}

int person_check_pronouns(const char *pronouns, herr *e)
{
	size_t n = pronouns ? strlen(pronouns) : 0;
	if (n && (!utf8_valid_text(pronouns, n) || strpbrk(pronouns, "\r\n\t")))
		return herr_set(e, ERR_BADREQ, "pronouns",
				"The pronouns hold characters that cannot be shown.");
	if (utf8_length(pronouns ? pronouns : "", n) > PERSON_PRONOUNS_MAX)
		return herr_set(e, ERR_INVALID, "pronouns",
				"Please keep pronouns to %d characters or fewer.", PERSON_PRONOUNS_MAX);
	return 0;
}

int person_check_access_needs(const char *access_needs, herr *e)
{
	size_t n = access_needs ? strlen(access_needs) : 0;
	if (n && !utf8_valid_text(access_needs, n))
		return herr_set(e, ERR_BADREQ, "access_needs",
				"The access needs hold characters that cannot be shown.");
	if (utf8_length(access_needs ? access_needs : "", n) > PERSON_ACCESS_NEEDS_MAX)
		return herr_set(e, ERR_INVALID, "access_needs",
				"Please keep access needs to %d characters or fewer.",
				PERSON_ACCESS_NEEDS_MAX);
	return 0;
}

/* The profile fields a person without an account is made with and any
 * person can change. */
static int check_profile(const char *display_name, const char *pronouns,
			 const char *access_needs, herr *e)
{
	int rc = person_check_display_name(display_name, e);
	if (rc == 0)
		rc = person_check_pronouns(pronouns, e);
	if (rc == 0)
		rc = person_check_access_needs(access_needs, e);
	return rc;
}

/* Ends person_create's own transaction (own_tx); inside the caller's
 * transaction, passes rc on and leaves the ending to the caller. */
static int finish(db *d, bool own_tx, int rc)
{
	return own_tx ? db_finish(d, rc) : rc;
}

int person_create(db *d, arena *a, const struct person_new *in, int64_t *ret_id, herr *e)
{
	const char *email;
	int rc = person_normalise_email(a, in->email, &email, e);
	if (rc == 0)
		rc = person_check_display_name(in->display_name, e);
	if (rc == 0)
		rc = person_check_pronouns(in->pronouns, e);
	if (rc == 0)
		rc = password_check_rules(in->password ? in->password : "", email,
					  in->display_name, "password", e);
	if (rc)
		return rc;
	char hash[PASSWORD_HASH_SIZE];
	if ((rc = password_hash(in->password, hash, e)))
		return rc;

	bool own_tx = !db_in_transaction(d);
	if (own_tx && (rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "The database is busy; please try again.");
	db_stmt *st = db_prepare(d,
		"INSERT INTO person (id, email, display_name, pronouns, password_hash, "
		"is_admin, created_at, updated_at, password_changed_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return finish(d, own_tx, herr_set(e, ERR_DB, NULL, "Could not save the account."));
	int64_t id = id_new(), now = time_now_ms();
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, in->display_name);
	db_bind_text(st, 4, in->pronouns && *in->pronouns ? in->pronouns : NULL);
	db_bind_text(st, 5, hash);
	db_bind_bool(st, 6, in->is_admin);
	db_bind_int64(st, 7, now);
	db_bind_int64(st, 8, now);
	db_bind_int64(st, 9, now);
	rc = db_step(st);
	db_reset(st);
	sodium_memzero(hash, sizeof hash);
	if (rc == ERR_CONFLICT)
		return finish(d, own_tx, herr_set(e, ERR_CONFLICT, "email",
			"There is already an account with that email address. "
			"You can log in instead."));
	if (rc < 0)
		return finish(d, own_tx, herr_set(e, ERR_DB, NULL, "Could not save the account."));
	if (in->invitation_id && (rc = invitation_use(d, in->invitation_id, id, e)))
		return finish(d, own_tx, rc);
	rc = finish(d, own_tx, 0);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the account.");
	*ret_id = id;
	return 0;
}

int person_create_without_account(db *d, const char *display_name, const char *pronouns,
				  const char *access_needs, int64_t added_by, int64_t *ret_id,
				  herr *e)
{
	int rc = check_profile(display_name, pronouns, access_needs, e);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d,
		"INSERT INTO person (id, display_name, pronouns, access_needs, added_by, "
		"is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not save the person.");
	int64_t id = id_new(), now = time_now_ms();
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, display_name);
	db_bind_text(st, 3, pronouns && *pronouns ? pronouns : NULL);
	db_bind_text(st, 4, access_needs && *access_needs ? access_needs : NULL);
	if (added_by)
		db_bind_int64(st, 5, added_by);
	else
		db_bind_null(st, 5);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, now);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the person.");
	*ret_id = id;
	return 0;
}

static void read_person(db_stmt *st, arena *a, struct person *p)
{
	p->id = db_col_int64(st, 0);
	p->email = arena_strdup(a, db_col_text(st, 1));
	p->display_name = arena_strdup(a, db_col_text(st, 2));
	p->pronouns = arena_strdup(a, db_col_text(st, 3));
	p->is_admin = db_col_bool(st, 4);
	p->created_at = db_col_int64(st, 5);
	p->password_changed_at = db_col_int64(st, 6);
	p->access_needs = arena_strdup(a, db_col_text(st, 7));
}

int person_get(db *d, arena *a, int64_t id, struct person *ret, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, email, display_name, pronouns, is_admin, created_at, "
		"password_changed_at, access_needs FROM person WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the account.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_person(st, a, ret);
	db_reset(st);
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such person.");
	return rc < 0 ? herr_set(e, rc, NULL, "Could not read the account.") : 0;
}

int person_count(db *d, int64_t *ret_count)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM person");
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*ret_count = db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : ERR_DB;
}

/* Reads the id and hash for an email; *ret_hash is NULL when there is no
 * such account or it has no password. */
static int load_credentials(db *d, arena *a, const char *email, int64_t *ret_id,
			    const char **ret_hash)
{
	db_stmt *st = db_prepare(d, "SELECT id, password_hash FROM person WHERE email = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, email);
	int rc = db_step(st);
	*ret_hash = NULL;
	if (rc == DB_ROW) {
		*ret_id = db_col_int64(st, 0);
		*ret_hash = arena_strdup(a, db_col_text(st, 1));
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int person_authenticate(db *d, arena *a, const char *email, const char *password,
			struct person *ret, herr *e)
{
	static const char wrong[] = "That email and password do not match an account. "
				    "Check them and try again.";
	const char *norm;
	if (!password || !*password)
		return herr_set(e, ERR_INVALID, "password", "Enter your password.");
	if (person_normalise_email(a, email, &norm, e))
		return e ? e->code : ERR_INVALID;
	if (strlen(password) > PASSWORD_MAX_CHARS * 4)
		return herr_set(e, ERR_UNAUTH, NULL, wrong);
	int64_t id = 0;
	const char *hash;
	int rc = load_credentials(d, a, norm, &id, &hash);
	if (rc)
		return herr_set(e, rc, NULL, "Could not check the password.");
	if (!hash) {
		password_verify_dummy(password);
		return herr_set(e, ERR_UNAUTH, NULL, wrong);
	}
	if (!password_verify(hash, password))
		return herr_set(e, ERR_UNAUTH, NULL, wrong);
	return person_get(d, a, id, ret, e);
}

int person_set_password(db *d, arena *a, int64_t id, const char *new_password, herr *e)
{
	struct person p;
	int rc = person_get(d, a, id, &p, e);
	if (rc)
		return rc;
	if ((rc = password_check_rules(new_password, p.email, p.display_name, "new_password", e)))
		return rc;
	char hash[PASSWORD_HASH_SIZE];
	if ((rc = password_hash(new_password, hash, e)))
		return rc;
	db_stmt *st = db_prepare(d,
		"UPDATE person SET password_hash = ?, password_changed_at = ?, updated_at = ? "
		"WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not change the password.");
	int64_t now = time_now_ms();
	db_bind_text(st, 1, hash);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, id);
	rc = db_step(st);
	db_reset(st);
	sodium_memzero(hash, sizeof hash);
	return rc < 0 ? herr_set(e, rc, NULL, "Could not change the password.") : 0;
}

int person_change_password(db *d, arena *a, int64_t id, const char *current,
			   const char *new_password, herr *e)
{
	struct person p;
	int rc = person_get(d, a, id, &p, e);
	if (rc)
		return rc;
	if (!current || !*current)
		return herr_set(e, ERR_INVALID, "current_password", "Enter your current password.");
	int64_t found_id;
	const char *hash;
	if ((rc = load_credentials(d, a, p.email ? p.email : "", &found_id, &hash)))
		return herr_set(e, rc, NULL, "Could not check the password.");
	if (!hash || !password_verify(hash, current))
		return herr_set(e, ERR_INVALID, "current_password",
				"That is not your current password.");
	return person_set_password(d, a, id, new_password ? new_password : "", e);
}

int person_update_profile(db *d, int64_t id, const char *display_name,
			  const char *pronouns, const char *access_needs, herr *e)
{
	int rc = check_profile(display_name, pronouns, access_needs, e);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d,
		"UPDATE person SET display_name = ?, pronouns = ?, access_needs = ?, updated_at = ? "
		"WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not save your profile.");
	db_bind_text(st, 1, display_name);
	db_bind_text(st, 2, pronouns && *pronouns ? pronouns : NULL);
	db_bind_text(st, 3, access_needs && *access_needs ? access_needs : NULL);
	db_bind_int64(st, 4, time_now_ms());
	db_bind_int64(st, 5, id);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? herr_set(e, rc, NULL, "Could not save your profile.") : 0;
}
