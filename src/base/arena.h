/* arena.h - a region allocator: many allocations, one free.
 *
 * Every request gets one arena; nothing on the request path frees objects one
 * at a time. Memory from arena_alloc() is zeroed and 16-byte aligned, and is
 * owned by the arena: it lives until arena_reset() or arena_free(). */
#ifndef HEARTH_ARENA_H
#define HEARTH_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(size_t block_size);
void arena_free(arena *a);               /* accepts NULL */
void arena_reset(arena *a);              /* keeps the first block for reuse */
size_t arena_used(const arena *a);       /* bytes handed out since the last reset */

/* Returns NULL only when the system is out of memory. */
void *arena_alloc(arena *a, size_t n);
/* As arena_alloc, but the memory is not zeroed: for scratch arrays that are
 * written before they are read, where zeroing a million doubles costs as
 * much as sorting them. */
void *arena_alloc_uninit(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);             /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);  /* always NUL-terminated */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

/* Room for one more element in an array kept in the arena, for building a
 * list whose length is not known ahead:
 *
 *   size_t n = 0, cap = 0;
 *   struct item *list = NULL;
 *   while (more()) {
 *       if (!(list = arena_grow(a, list, n, &cap, sizeof *list)))
 *           break;   // out of memory
 *       list[n++] = next();
 *   }
 *
 * (Calling it before each step instead makes an empty list an empty array
 * rather than NULL.)
 *
 * list holds n elements of elem_size bytes in room for *cap (n <= *cap).
 * Returns list itself while n < *cap; otherwise a new array with twice the
 * room (16 elements when *cap is 0) holding a copy of the n elements, the
 * rest zeroed, and sets *cap to that room. The old array stays in the arena
 * until arena_reset() or arena_free(). Returns NULL, leaving *cap alone, when
 * out of memory or when the new size would overflow size_t. */
void *arena_grow(arena *a, void *list, size_t n, size_t *cap, size_t elem_size);

/* A point in an arena to come back to, for scratch memory inside a longer
 * job: arena_rewind returns everything allocated since arena_mark (blocks
 * made since go back to malloc), so a computation over a million values
 * does not keep its scratch until the request ends. Marks nest; rewinding
 * past a later mark invalidates it. */
struct arena_mark {
	void *block;
	size_t used, total;
};
struct arena_mark arena_mark(const arena *a);
void arena_rewind(arena *a, struct arena_mark m);

#endif
