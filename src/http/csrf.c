/* csrf.c - stateless CSRF tokens (see csrf.h). */
#include "csrf.h"

#include <sodium.h>
#include <string.h>

void csrf_token_for(const unsigned char secret[32], const char *binding,
		    char out[CSRF_TOKEN_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, secret, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"csrf|", 5);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)binding, strlen(binding));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, CSRF_TOKEN_CHARS + 1, mac, sizeof mac);
}

bool csrf_token_valid(const unsigned char secret[32], const char *binding, const char *token)
{
	if (!binding || !*binding || !token || strlen(token) != CSRF_TOKEN_CHARS)
		return false;
	char expected[CSRF_TOKEN_CHARS + 1];
	csrf_token_for(secret, binding, expected);
	return sodium_memcmp(expected, token, CSRF_TOKEN_CHARS) == 0;
}
