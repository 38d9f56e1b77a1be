/* password.c - password rules, the common-password list and argon2id
 * hashing, at most a few hashes at once (see password.h). */
#include "password.h"

#include "../base/embedded.h"
#include "../base/utf8.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

/* ---- the gate: argon2id computations at once -------------------------
 * Each one holds crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB) for its whole
 * run, so a burst of logins would otherwise multiply that by the worker
 * threads. Those over the limit wait their turn (a login is slower, never
 * refused). libsodium maps the 64 MiB with mmap and unmaps it after each
 * hash, so the memory goes back to the system at once. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free = PTHREAD_COND_INITIALIZER;
static unsigned gate_limit, gate_busy;

static unsigned default_concurrency(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores > 2 ? (unsigned)(cores / 2) : 1;
}

void password_set_concurrency(unsigned n)
{
	pthread_mutex_lock(&gate_lock);
	gate_limit = n ? n : default_concurrency();
	pthread_cond_broadcast(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

static void gate_enter(void)
{
	pthread_mutex_lock(&gate_lock);
	if (!gate_limit)
		gate_limit = default_concurrency();
	while (gate_busy >= gate_limit)
		pthread_cond_wait(&gate_free, &gate_lock);
	gate_busy++;
	pthread_mutex_unlock(&gate_lock);
}

static void gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_busy--;
	pthread_cond_signal(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

/* crypto_pwhash_str and crypto_pwhash_str_verify through the gate. */
static int gated_hash(char out[PASSWORD_HASH_SIZE], const char *pw, size_t len)
{
	gate_enter();
	int rc = crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	gate_leave();
	return rc;
}

static int gated_verify(const char *hash, const char *pw)
{
	gate_enter();
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	gate_leave();
	return rc;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE], herr *e)
{
	if (gated_hash(out, pw, strlen(pw)) != 0)
		return herr_set(e, ERR_NOMEM, NULL, "The server is too busy to set a password; "
				"please try again in a moment.");
	return 0;
}

bool password_verify(const char *hash, const char *pw)
{
	return hash && gated_verify(hash, pw) == 0;
}

/* A hash made once with the same limits: verifying against it costs what a
 * real verify costs. */
static char dummy_hash[PASSWORD_HASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	static const char words[] = "hearth dummy password";
	if (gated_hash(dummy_hash, words, sizeof words - 1) != 0)
		dummy_hash[0] = '\0';
}

void password_verify_dummy(const char *pw)
{
	pthread_once(&dummy_once, make_dummy_hash);
	if (gated_verify(dummy_hash, pw) == 0)
		return;  /* the outcome does not matter; the time spent does */
}
