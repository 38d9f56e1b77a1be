/* csrf.h - tokens against cross-site request forgery (OWASP ASVS 4.2.2).
 *
 * A form's token is an HMAC of the browser's session token (or, before
 * login, of a random pre-session cookie) under the server secret, so it
 * needs no storage, changes when the session rotates, and cannot be made by
 * another site. JSON writes are protected by checking Origin instead. */
#ifndef HEARTH_CSRF_H
#define HEARTH_CSRF_H

#include <stdbool.h>

#define CSRF_TOKEN_CHARS 64

void csrf_token_for(const unsigned char secret[32], const char *binding,
		    char out[CSRF_TOKEN_CHARS + 1]);
bool csrf_token_valid(const unsigned char secret[32], const char *binding, const char *token);

#endif
