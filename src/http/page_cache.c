/* page_cache.c - the anonymous page cache (see page_cache.h). */
#include "page_cache.h"

#include "../store/stamp.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *key;
	char *content_type;
	char *body;
	size_t len;
	size_t bytes;           /* everything this entry holds, for the budget */
	uint64_t generation;
	int64_t minute;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *slots[PAGE_CACHE_SLOTS];
static size_t max_bytes, used_bytes, kept;
static uint64_t hits, misses;

void page_cache_start(size_t bytes)
{
	__atomic_store_n(&max_bytes, bytes, __ATOMIC_RELAXED);
}

static void drop(size_t slot)
{
	struct entry *e = slots[slot];
	if (!e)
		return;
	used_bytes -= e->bytes;
	kept--;
	free(e);
	slots[slot] = NULL;
}

void page_cache_stop(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++)
		drop(i);
	__atomic_store_n(&max_bytes, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock);
}

bool page_cache_on(void)
{
	return __atomic_load_n(&max_bytes, __ATOMIC_RELAXED) > 0;
}

int page_cache_generation(db *d, uint64_t *ret)
{
	return db_data_generation(d, ret);
}

/* FNV-1a over the key, folded onto the slots. */
static size_t slot_of(const char *key)
{
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = key; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return (size_t)(h % PAGE_CACHE_SLOTS);
}

bool page_cache_get(const char *key, uint64_t gen, int64_t minute, arena *a, buf *body,
		    const char **content_type)
{
	size_t slot = slot_of(key);
	bool hit = false;
	pthread_mutex_lock(&lock);
	const struct entry *e = slots[slot];
	if (e && e->generation == gen && e->minute == minute && strcmp(e->key, key) == 0) {
		buf_append(body, e->body, e->len);
		*content_type = arena_strdup(a, e->content_type);
		hit = !body->oom && *content_type;
	}
	pthread_mutex_unlock(&lock);
	__atomic_add_fetch(hit ? &hits : &misses, 1, __ATOMIC_RELAXED);
	return hit;
}

/* One allocation holds the entry, its key, its content type and the page. */
static struct entry *entry_new(const char *key, const char *content_type, const char *body,
			       size_t len)
{
	size_t klen = strlen(key) + 1, clen = strlen(content_type) + 1;
	size_t bytes = sizeof(struct entry) + klen + clen + len;
	struct entry *e = malloc(bytes);
	if (!e)
		return NULL;
	e->key = (char *)(e + 1);
	e->content_type = e->key + klen;
	e->body = e->content_type + clen;
	memcpy(e->key, key, klen);
	memcpy(e->content_type, content_type, clen);
	memcpy(e->body, body, len);
	e->len = len;
	e->bytes = bytes;
	return e;
}

void page_cache_put(const char *key, uint64_t gen, int64_t minute, const char *content_type,
		    const char *body, size_t len)
{
	if (!page_cache_on() || strlen(key) > PAGE_CACHE_KEY_MAX || !content_type)
		return;
	struct entry *e = entry_new(key, content_type, body, len);
	if (!e)
		return;
	e->generation = gen;
	e->minute = minute;
	size_t slot = slot_of(key);
	pthread_mutex_lock(&lock);
	drop(slot);
	/* One page may take at most an eighth of the room, so a few large
	 * pages cannot crowd out the rest. */
	bool fits = e->bytes <= max_bytes / 8 && used_bytes + e->bytes <= max_bytes;
	if (fits) {
		slots[slot] = e;
		used_bytes += e->bytes;
		kept++;
	}
	pthread_mutex_unlock(&lock);
	if (!fits)
		free(e);
}

void page_cache_metrics(buf *out)
{
	pthread_mutex_lock(&lock);
	size_t n = kept, bytes = used_bytes;
	pthread_mutex_unlock(&lock);
	buf_printf(out, "# HELP hearth_page_cache_hits_total Anonymous pages served from the page cache.\n"
			"# TYPE hearth_page_cache_hits_total counter\n"
			"hearth_page_cache_hits_total %llu\n"
			"# HELP hearth_page_cache_misses_total Cacheable anonymous pages made afresh.\n"
			"# TYPE hearth_page_cache_misses_total counter\n"
			"hearth_page_cache_misses_total %llu\n"
			"# HELP hearth_page_cache_pages Pages held in the page cache.\n"
			"# TYPE hearth_page_cache_pages gauge\n"
			"hearth_page_cache_pages %zu\n"
			"# HELP hearth_page_cache_bytes Bytes held in the page cache.\n"
			"# TYPE hearth_page_cache_bytes gauge\n"
			"hearth_page_cache_bytes %zu\n",
		   (unsigned long long)__atomic_load_n(&hits, __ATOMIC_RELAXED),
		   (unsigned long long)__atomic_load_n(&misses, __ATOMIC_RELAXED), n, bytes);
}
