/* stamp.h - a cheap question to the database: "may anything have changed
 * since I last asked?", for caches above the store (the page cache in
 * src/http/page_cache.c, the directory's answers in src/app/group.c) that
 * must never serve what a write has outdated.
 *
 * The stamp is per connection and changes whenever data visible to it may
 * have changed, by this connection or by anyone else:
 *   SQLite      PRAGMA data_version (commits by other connections and other
 *               processes) mixed with total_changes() (this connection's
 *               own rows, which data_version leaves out);
 *   PostgreSQL  the current snapshot (xmin:xmax:in-progress list), which
 *               moves with every transaction that writes anywhere in the
 *               cluster: the same snapshot sees the same data.
 * It can change when nothing a reader would notice did (a rolled-back
 * write, a write to another table); it never stays the same across a
 * committed change. */
#ifndef HEARTH_STAMP_H
#define HEARTH_STAMP_H

#include "db.h"

#include <stdbool.h>
#include <stdint.h>

/* Sets *ret to the connection's current stamp. One small query. */
int db_change_stamp(db *d, uint64_t *ret);

/* How many writes this process has committed, on any of its connections:
 * a write transaction, or a statement other than a SELECT run outside one.
 * A cache that asks db_change_stamp only now and then (it is a round trip
 * on PostgreSQL) asks again as soon as this moves, so the process's own
 * changes are never served stale. */
uint64_t db_local_writes(void);

/* When a thread last read something it keeps a copy of: its copy is
 * fresh while this process has committed no write since (db_local_writes,
 * taken before the read) and fewer than max_age_ms have passed on the
 * monotonic clock. Take db_read_mark_now() before reading, keep it once
 * the read succeeded. A zeroed mark is never fresh. */
struct db_read_mark {
	uint64_t writes;
	int64_t at_ms;
	bool held;
};
struct db_read_mark db_read_mark_now(void);
bool db_read_mark_fresh(const struct db_read_mark *m, int64_t max_age_ms);

/* The data's generation, process-wide, for caches: it moves whenever any
 * worker's stamp moves, so an entry kept under an older generation is
 * outdated. Asked on SQLite every time (two calls inside the process); on
 * PostgreSQL, a round trip, at most every STAMP_PG_RECHECK_MS per thread
 * and at once after any write this process commits (db_local_writes):
 * this server's changes show at once, another node's or psql's within the
 * interval. Call it before reading anything the cached thing is made from,
 * with the thread's one connection. */
#define STAMP_PG_RECHECK_MS 100
int db_data_generation(db *d, uint64_t *ret);

#endif
