/* password.c - password rules, the common-password list and argon2id
 * hashing (see password.h). */
#include "password.h"

#include "../base/embedded.h"
#include "../base/utf8.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The common-password list, split once into a sorted array for bsearch. */
static char **common_words;
static size_t common_count;
static char *common_storage;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int compare_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_common_words(void)
{
	const struct embedded_file *f = embedded_find(hearth_wordlists, "common-passwords.txt");
	if (!f)
		return;
	common_storage = malloc(f->len + 1);
	if (!common_storage)
		return;
	memcpy(common_storage, f->data, f->len + 1);
	size_t lines = 0;
	for (size_t i = 0; i < f->len; i++)
		lines += common_storage[i] == '\n';
	common_words = malloc((lines + 1) * sizeof *common_words);
	if (!common_words)
		return;
	for (char *save = NULL, *w = strtok_r(common_storage, "\r\n", &save); w;
	     w = strtok_r(NULL, "\r\n", &save))
		common_words[common_count++] = w;
	qsort(common_words, common_count, sizeof *common_words, compare_words);
}

bool password_is_common(const char *pw)
{
	pthread_once(&common_once, load_common_words);
	size_t n = strlen(pw);
	if (n > PASSWORD_MAX_CHARS * 4)
		return false;
	char lower[PASSWORD_MAX_CHARS * 4 + 1];
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)pw[i]);
	const char *key = lower;
	return common_words &&
	       bsearch(&key, common_words, common_count, sizeof *common_words, compare_words);
}

int password_check_rules(const char *pw, const char *email, const char *name,
			 const char *field, herr *e)
{
	size_t bytes = strlen(pw);
	if (!utf8_valid(pw, bytes))
		return herr_set(e, ERR_BADREQ, field, "The password is not valid UTF-8 text.");
	size_t chars = utf8_length(pw, bytes);
	if (chars < PASSWORD_MIN_CHARS)
		return herr_set(e, ERR_INVALID, field,
				"Choose a password of at least %d characters. A few words "
				"together make a good one.", PASSWORD_MIN_CHARS);
	if (chars > PASSWORD_MAX_CHARS)
		return herr_set(e, ERR_INVALID, field,
				"Choose a password of at most %d characters.", PASSWORD_MAX_CHARS);
	if (password_is_common(pw))
		return herr_set(e, ERR_INVALID, field,
				"That password is one of the most common ones, so it is easy "
				"to guess. Please choose another: a few unrelated words work well.");
	if ((email && strcasecmp(pw, email) == 0) || (name && strcasecmp(pw, name) == 0))
		return herr_set(e, ERR_INVALID, field,
				"Please choose a password that is not your email address or name.");
	return 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE], herr *e)
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return herr_set(e, ERR_NOMEM, NULL, "The server is too busy to set a password; "
				"please try again in a moment.");
	return 0;
}

bool password_verify(const char *hash, const char *pw)
{
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* A hash made once with the same limits: verifying against it costs what a
 * real verify costs. */
static char dummy_hash[PASSWORD_HASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	static const char words[] = "hearth dummy password";
	if (crypto_pwhash_str(dummy_hash, words, sizeof words - 1,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

void password_verify_dummy(const char *pw)
{
	pthread_once(&dummy_once, make_dummy_hash);
	if (crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
		return;  /* the outcome does not matter; the time spent does */
}
