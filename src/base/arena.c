/* arena.c - the region allocator behind every request (see arena.h). */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;   /* the block being filled */
	struct block *first;  /* kept across resets */
	size_t block_size;
	size_t total;
};

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block))
		return NULL;
	struct block *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *arena_new(size_t block_size)
{
	arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->block_size = block_size ? block_size : 16384;
	a->first = a->head = block_new(a->block_size);
	if (!a->first) {
		free(a);
		return NULL;
	}
	return a;
}

static void free_blocks_after_first(arena *a)
{
	struct block *b = a->head;
	while (b && b != a->first) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
}

void arena_free(arena *a)
{
	if (!a)
		return;
	free_blocks_after_first(a);
	free(a->first);
	free(a);
}

void arena_reset(arena *a)
{
	free_blocks_after_first(a);
	a->head = a->first;
	a->first->used = 0;
	a->first->next = NULL;
	a->total = 0;
}

struct arena_mark arena_mark(const arena *a)
{
	return (struct arena_mark){ a->head, a->head->used, a->total };
}

void arena_rewind(arena *a, struct arena_mark m)
{
	while (a->head != m.block && a->head != a->first) {
		struct block *next = a->head->next;
		free(a->head);
		a->head = next;
	}
	a->head->used = m.used;
	a->total = m.total;
}

size_t arena_used(const arena *a)
{
	return a->total;
}

void *arena_alloc_uninit(arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n)
		return NULL;
	struct block *b = a->head;
	if (b->size - b->used < need) {
		size_t size = need > a->block_size ? need : a->block_size;
		b = block_new(size);
		if (!b)
			return NULL;
		b->next = a->head;  /* newest first; the first block is last */
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_alloc(arena *a, size_t n)
{
	void *p = arena_alloc_uninit(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *arena_grow(arena *a, void *list, size_t n, size_t *cap, size_t elem_size)
{
	if (list && n < *cap)
		return list;
	if (*cap > SIZE_MAX / 2)
		return NULL;
	size_t room = *cap ? *cap * 2 : 16;
	if (elem_size && room > SIZE_MAX / elem_size)
		return NULL;
	void *fresh = arena_alloc(a, room * elem_size);
	if (!fresh)
		return NULL;
	if (list && n)
		memcpy(fresh, list, n * elem_size);
	*cap = room;
	return fresh;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
