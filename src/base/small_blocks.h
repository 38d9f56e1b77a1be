/* small_blocks.h - a per-thread cache of freed small malloc blocks, for
 * jansson's many short-lived values (json_set_alloc_funcs in
 * http/server.c).
 *
 * A signed-in page builds its model as jansson values: hundreds of small
 * strings, objects and hash buckets made and freed in every request. glibc
 * keeps only 7 freed blocks of each size per thread (its tcache); the rest
 * go to its shared bins, to be sorted and merged again on the next
 * request (a fifth of a directory page's time in malloc and free). This
 * keeps up to 1,024 freed blocks of each size up to 1,032 bytes, and at
 * most 1 MiB in all, for the thread that freed them.
 *
 * The blocks are ordinary malloc blocks: one from small_blocks_alloc may be
 * given to free() (as json_dumps' text is) and any malloc block to
 * small_blocks_free, so values made before the functions were installed
 * are fine. A thread's blocks go back to malloc when it ends. */
#ifndef HEARTH_SMALL_BLOCKS_H
#define HEARTH_SMALL_BLOCKS_H

#include <stddef.h>

void *small_blocks_alloc(size_t n);
void small_blocks_free(void *p);
/* How many freed blocks this thread keeps now. */
size_t small_blocks_kept(void);
/* Gives this thread's kept blocks back to malloc now. */
void small_blocks_release(void);

#endif
