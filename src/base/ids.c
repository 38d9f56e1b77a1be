/* ids.c - time-ordered 64-bit ids, the clock and randomness (see ids.h). */
#include "ids.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <time.h>

#define RANDOM_BITS 20

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_id;

int64_t time_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t id_new(void)
{
	int64_t id = (time_now_ms() << RANDOM_BITS) |
		     (int64_t)(randombytes_random() & ((1u << RANDOM_BITS) - 1));
	pthread_mutex_lock(&id_lock);
	if (id <= last_id)
		id = last_id + 1;
	last_id = id;
	pthread_mutex_unlock(&id_lock);
	return id;
}

int64_t id_time_ms(int64_t id)
{
	return id >> RANDOM_BITS;
}

bool id_parse(const char *s, int64_t *ret_id)
{
	if (!s || *s < '1' || *s > '9')
		return false;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		int d = *s - '0';
		if (v > (INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret_id = v;
	return true;
}

void time_format_iso(int64_t ms, char out[static 32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void random_bytes(void *out, size_t n)
{
	randombytes_buf(out, n);
}

void random_hex(char *out, size_t n)
{
	unsigned char raw[64];
	while (n > 0) {
		size_t k = n < sizeof raw ? n : sizeof raw;
		randombytes_buf(raw, k);
		sodium_bin2hex(out, 2 * k + 1, raw, k);
		out += 2 * k;
		n -= k;
	}
	*out = '\0';
}
