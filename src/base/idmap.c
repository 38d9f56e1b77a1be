/* idmap.c - dense numbers for ids (see idmap.h). */
#include "idmap.h"

#include "err.h"

#include <stdlib.h>

/* Fibonacci hashing: the multiply spreads ids that differ only in their low
 * or high bits (ours carry a clock above random bits) over every slot. */
static size_t slot_of(int64_t id, size_t mask)
{
	uint64_t h = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h ^ (h >> 32)) & mask;
}

static long probe(const struct idmap *m, int64_t id, size_t *ret_slot)
{
	size_t s = slot_of(id, m->mask);
	while (m->slots[s]) {
		uint32_t k = m->slots[s] - 1;
		if (m->ids[k] == id)
			return (long)k;
		s = (s + 1) & m->mask;
	}
	*ret_slot = s;
	return -1;
}

/* Doubles the table (64 slots at first) and the room for ids, which is
 * half the slots. */
static int grow(struct idmap *m)
{
	size_t slots = m->mask ? 2 * (m->mask + 1) : 64;
	if (slots / 2 > UINT32_MAX - 1)
		return ERR_NOMEM;
	uint32_t *table = calloc(slots, sizeof *table);
	int64_t *ids = table ? realloc(m->ids, slots / 2 * sizeof *ids) : NULL;
	if (!ids) {
		free(table);
		return ERR_NOMEM;
	}
	m->ids = ids;
	for (size_t k = 0; k < m->n; k++) {
		size_t s = slot_of(ids[k], slots - 1);
		while (table[s])
			s = (s + 1) & (slots - 1);
		table[s] = (uint32_t)k + 1;
	}
	free(m->slots);
	m->slots = table;
	m->mask = slots - 1;
	return 0;
}

int idmap_number(struct idmap *m, int64_t id, uint32_t *ret)
{
	size_t s = 0;
	long k = m->mask ? probe(m, id, &s) : -1;
	if (k >= 0) {
		*ret = (uint32_t)k;
		return 0;
	}
	if (2 * (m->n + 1) > (m->mask ? m->mask + 1 : 0)) {
		int rc = grow(m);
		if (rc)
			return rc;
		probe(m, id, &s);
	}
	m->ids[m->n] = id;
	m->slots[s] = (uint32_t)m->n + 1;
	*ret = (uint32_t)m->n++;
	return 0;
}

long idmap_find(const struct idmap *m, int64_t id)
{
	size_t s;
	return m->mask ? probe(m, id, &s) : -1;
}

void idmap_free(struct idmap *m)
{
	free(m->ids);
	free(m->slots);
	*m = (struct idmap){ 0 };
}
