/* password.h - the password rules and hashing (OWASP ASVS 2.1, 2.4).
 *
 * Rules: 8 to 128 characters (code points, any characters, no composition
 * rules), not on the shipped list of common passwords, not the person's own
 * email or name. Hashing: argon2id via libsodium crypto_pwhash_str with at
 * least the INTERACTIVE limits, a few at a time (password_set_concurrency). */
#ifndef HEARTH_PASSWORD_H
#define HEARTH_PASSWORD_H

#include "../base/err.h"

#include <sodium.h>
#include <stdbool.h>

#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_CHARS 128
#define PASSWORD_HASH_SIZE crypto_pwhash_STRBYTES

/* Checks pw against the rules; email and name may be NULL. field names the
 * form field in the error ("password", "new_password"). */
int password_check_rules(const char *pw, const char *email, const char *name,
			 const char *field, herr *e);
bool password_is_common(const char *pw);
/* Writes the argon2id hash string into out. */
int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE], herr *e);
bool password_verify(const char *hash, const char *pw);
/* At most n argon2id hashes or verifies run at once (each holds 64 MiB);
 * the rest wait. 0, and the default before any call: half the cores, at
 * least one. */
void password_set_concurrency(unsigned n);
/* Burns the same time as a verify, so a missing account is not revealed by
 * a faster answer. */
void password_verify_dummy(const char *pw);

#endif
