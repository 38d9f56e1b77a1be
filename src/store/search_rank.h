/* search_rank.h - the directory's relevance rank on SQLite: an FTS5
 * auxiliary function, hearth_bm25(group_fts, weights...), registered on
 * each connection the store opens (and on the query-plan checker's). It
 * gives exactly what FTS5's bm25() gives, but takes each group's length
 * from a table the connection keeps (read again after the index changes:
 * search_index_state, bumped by src/store/search.c) rather than with a
 * look-up per match; search_rank.c says why. Smaller is better. */
#ifndef HEARTH_SEARCH_RANK_H
#define HEARTH_SEARCH_RANK_H

#include <sqlite3.h>

#define SEARCH_RANK_FUNCTION "hearth_bm25"

/* Registers hearth_bm25 on conn; returns an SQLite result code. */
int search_rank_register(sqlite3 *conn);

#endif
