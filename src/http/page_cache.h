/* page_cache.h - answers to anonymous GETs that are the same for every
 * visitor (a group's public page, the directory), kept in memory so that
 * the next visitor costs a lookup and a copy rather than a dozen queries and
 * a render. This is what lets one small machine take a burst of newcomers
 * following a link to one group.
 *
 * What may be kept (request.c decides): routes marked same_for_visitors,
 * asked for with GET by someone with no session cookie, answered 200 with no
 * cookie, redirect or extra header, and holding no form token. A signed-in
 * person is never served from here.
 *
 * An entry is good while both hold:
 *   - the database has not changed. Each cacheable request first asks its
 *     worker's connection for its change stamp (store/stamp.h); a worker that
 *     sees its stamp move bumps the cache's generation, which outdates every
 *     entry at once. On SQLite the stamp is asked on every request, so a
 *     write through this server or by another process is seen by the next
 *     request. On PostgreSQL it is a round trip, asked at most every
 *     STAMP_PG_RECHECK_MS per worker, and at once after any write this
 *     process commits: this server's own changes are seen by the next
 *     request, those of another server or psql within the interval;
 *   - the clock is in the same minute as when the page was made: pages show
 *     times to the minute, and "next meeting" moves on as meetings start.
 *
 * The table is direct-mapped by the key's hash (a new page replaces
 * whatever shared its slot) and holds at most max_bytes. One mutex guards
 * it; a hit holds it for one copy. */
#ifndef HEARTH_PAGE_CACHE_H
#define HEARTH_PAGE_CACHE_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "../store/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_CACHE_SLOTS 1024
#define PAGE_CACHE_KEY_MAX 512   /* longer addresses are not kept */

/* Turns the cache on with room for max_bytes of pages (0 leaves it off).
 * Call before serving; page_cache_stop() frees every entry. */
void page_cache_start(size_t max_bytes);
void page_cache_stop(void);
bool page_cache_on(void);

/* Checks d's change stamp and returns, in *ret, the generation a page made
 * now belongs to (db_data_generation). Call before reading anything for
 * the page. */
int page_cache_generation(db *d, uint64_t *ret);

/* On a hit, appends the page to body, sets *content_type (copied into a)
 * and returns true. */
bool page_cache_get(const char *key, uint64_t generation, int64_t minute, arena *a,
		    buf *body, const char **content_type);

/* Keeps a page made at generation in minute (when it fits). */
void page_cache_put(const char *key, uint64_t generation, int64_t minute,
		    const char *content_type, const char *body, size_t len);

/* Prometheus lines: hits, misses, pages kept and their bytes. */
void page_cache_metrics(buf *out);

#endif
