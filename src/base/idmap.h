/* idmap.h - numbers the distinct ids of a set 0, 1, 2, ... in the order they
 * are first seen, so that what is kept per id can live in plain arrays
 * indexed by number instead of being searched for by id.
 *
 * An open-addressing hash table with linear probing that doubles at half
 * full: a look-up is one multiply and, almost always, one probe. Its memory
 * is malloc'd (for sets too large for a request's arena to keep until the
 * request ends) and returned by idmap_free. A zeroed struct is empty. */
#ifndef HEARTH_IDMAP_H
#define HEARTH_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap {
	int64_t *ids;        /* ids[k]: the id numbered k, for k < n */
	size_t n;
	uint32_t *slots;     /* the hash table: a number + 1, or 0 when empty */
	size_t mask;         /* slots - 1 (a power of two less one), 0 when none */
};

/* Sets *ret to id's number, giving it the next one (n) if it has none yet.
 * Returns 0, or ERR_NOMEM (the map then unchanged). */
int idmap_number(struct idmap *m, int64_t id, uint32_t *ret);
/* id's number, or -1 when it has none. */
long idmap_find(const struct idmap *m, int64_t id);
/* Returns the memory; the map is empty again. */
void idmap_free(struct idmap *m);

#endif
