/* small_blocks.c - a per-thread cache of freed small malloc blocks (see
 * small_blocks.h). */
#include "small_blocks.h"

#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* glibc hands out chunks of 16-byte steps with 8 bytes of header: a block
 * asked for n bytes can hold max(24, round_up(n + 8, 16) - 8). Class k
 * holds blocks that can hold exactly 24 + 16k bytes. */
#define CLASSES 64                 /* up to 1,032 bytes */
#define KEEP_PER_CLASS 1024        /* at most 1,024 blocks of each class */
#define KEEP_BYTES (1024 * 1024)   /* and 1 MiB in all, per thread */

struct thread_cache {
	void *head[CLASSES];           /* each free block's first word: the next */
	unsigned count[CLASSES];
	size_t bytes;                  /* what the kept blocks hold in all */
	bool registered;               /* the key's destructor will empty it */
};

static __thread struct thread_cache cache;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

/* The class whose blocks hold n bytes with the least to spare (what
 * malloc(n) would give), or -1 beyond the last. */
static size_t holds_of_class(int k)
{
	return 24 + 16 * (size_t)k;
}

static int class_for_size(size_t n)
{
	size_t holds = n + 8 <= 32 ? 24 : ((n + 8 + 15) & ~(size_t)15) - 8;
	size_t k = (holds - 24) / 16;
	return k < CLASSES ? (int)k : -1;
}

/* The class of a block by what it can hold, or -1 when it is in none (a
 * large or mapped block, or an allocator that keeps other sizes). */
static int class_of_block(void *p)
{
	size_t holds = malloc_usable_size(p);
	if (holds < 24 || (holds - 24) % 16 != 0)
		return -1;
	size_t k = (holds - 24) / 16;
	return k < CLASSES ? (int)k : -1;
}

static void empty_cache(void *unused)
{
	(void)unused;
	for (int k = 0; k < CLASSES; k++) {
		while (cache.head[k]) {
			void *p = cache.head[k];
			cache.head[k] = *(void **)p;
			free(p);
		}
		cache.count[k] = 0;
	}
	cache.bytes = 0;
	cache.registered = false;
}

static void make_key(void)
{
	pthread_key_create(&cache_key, empty_cache);
}

/* A thread's first kept block arms the destructor that returns its blocks
 * when it ends (the key's value must be non-NULL for it to run). */
static bool register_thread(void)
{
	pthread_once(&cache_once, make_key);
	if (pthread_setspecific(cache_key, &cache) != 0)
		return false;
	cache.registered = true;
	return true;
}

void *small_blocks_alloc(size_t n)
{
	int k = class_for_size(n);
	if (k >= 0 && cache.head[k]) {
		void *p = cache.head[k];
		cache.head[k] = *(void **)p;
		cache.count[k]--;
		cache.bytes -= holds_of_class(k);
		return p;
	}
	return malloc(n);
}

void small_blocks_free(void *p)
{
	if (!p)
		return;
	int k = class_of_block(p);
	if (k >= 0 && cache.count[k] < KEEP_PER_CLASS && cache.bytes + holds_of_class(k) <= KEEP_BYTES &&
	    (cache.registered || register_thread())) {
		*(void **)p = cache.head[k];
		cache.head[k] = p;
		cache.count[k]++;
		cache.bytes += holds_of_class(k);
		return;
	}
	free(p);
}

size_t small_blocks_kept(void)
{
	size_t n = 0;
	for (int k = 0; k < CLASSES; k++)
		n += cache.count[k];
	return n;
}

void small_blocks_release(void)
{
	empty_cache(NULL);
}
