/* search_cache.h - the directory's answers (which groups, in what order,
 * how many in all), shared by everyone who asks the same question while
 * the data stays the same.
 *
 * The page cache (src/http/page_cache.c) keeps whole pages for visitors;
 * a member's directory page is made afresh for them (their name, their
 * form token), but the groups it lists are everyone's. Finding them is
 * most of the page's cost, and it grows with the matches: a word common to
 * 630 of 10,000 groups is ranked over all 630 to show the first 20. This
 * cache keeps the answer under the data's generation (db_data_generation:
 * any change anywhere outdates every answer), so a question asked again
 * costs a lookup; the groups' details are still read afresh for the page.
 *
 * The table is direct-mapped by the question's hash (a new answer replaces
 * whatever shared its slot), SEARCH_CACHE_SLOTS answers of a few hundred
 * bytes, behind one mutex held for a copy. */
#ifndef HEARTH_SEARCH_CACHE_H
#define HEARTH_SEARCH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEARCH_CACHE_SLOTS 256
#define SEARCH_CACHE_KEY_MAX 768    /* longer questions are not kept */
#define SEARCH_CACHE_IDS 20         /* GROUP_PAGE_SIZE */

struct search_answer {
	int64_t ids[SEARCH_CACHE_IDS];
	double km[SEARCH_CACHE_IDS];    /* distances, for a search near a place */
	size_t n;
	int64_t total;
};

/* Whether answers are kept at all (on from the start; `[server]
 * search_cache = false` turns it off, for measuring a search's own cost). */
void search_cache_use(bool on);

/* On a hit (the same question, kept at this generation) copies the answer
 * into ret and returns true. Off, always false, and nothing is counted. */
bool search_cache_get(const char *question, uint64_t generation, struct search_answer *ret);

/* Keeps an answer worked out at generation. */
void search_cache_put(const char *question, uint64_t generation, const struct search_answer *a);

/* Forgets every answer (tests; the end of serving). */
void search_cache_clear(void);

/* How many questions were answered from the cache and how many afresh,
 * since the process started (for /metrics). */
void search_cache_counts(uint64_t *hits, uint64_t *misses);

#endif
