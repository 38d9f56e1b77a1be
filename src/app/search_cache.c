/* search_cache.c - the directory's answers, shared (see search_cache.h). */
#include "search_cache.h"

#include <pthread.h>
#include <string.h>

struct entry {
	bool used;
	uint64_t generation;
	char question[SEARCH_CACHE_KEY_MAX];
	struct search_answer answer;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry slots[SEARCH_CACHE_SLOTS];
static uint64_t hits, misses;
static bool off;

void search_cache_use(bool on)
{
	__atomic_store_n(&off, !on, __ATOMIC_RELAXED);
}

/* FNV-1a over the question, folded onto the slots. */
static struct entry *slot_for(const char *question)
{
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = question; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return &slots[h % SEARCH_CACHE_SLOTS];
}

bool search_cache_get(const char *question, uint64_t generation, struct search_answer *ret)
{
	if (__atomic_load_n(&off, __ATOMIC_RELAXED))
		return false;
	if (strlen(question) >= SEARCH_CACHE_KEY_MAX) {
		__atomic_add_fetch(&misses, 1, __ATOMIC_RELAXED);
		return false;
	}
	struct entry *e = slot_for(question);
	pthread_mutex_lock(&lock);
	bool hit = e->used && e->generation == generation && !strcmp(e->question, question);
	if (hit)
		*ret = e->answer;
	pthread_mutex_unlock(&lock);
	__atomic_add_fetch(hit ? &hits : &misses, 1, __ATOMIC_RELAXED);
	return hit;
}

void search_cache_put(const char *question, uint64_t generation, const struct search_answer *a)
{
	size_t len = strlen(question);
	if (__atomic_load_n(&off, __ATOMIC_RELAXED) || len >= SEARCH_CACHE_KEY_MAX || a->n > SEARCH_CACHE_IDS)
		return;
	struct entry *e = slot_for(question);
	pthread_mutex_lock(&lock);
	/* An answer from an older view never replaces a newer one. */
	if (!e->used || generation >= e->generation) {
		e->used = true;
		e->generation = generation;
		memcpy(e->question, question, len + 1);
		e->answer = *a;
	}
	pthread_mutex_unlock(&lock);
}

void search_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}

void search_cache_counts(uint64_t *ret_hits, uint64_t *ret_misses)
{
	*ret_hits = __atomic_load_n(&hits, __ATOMIC_RELAXED);
	*ret_misses = __atomic_load_n(&misses, __ATOMIC_RELAXED);
}
