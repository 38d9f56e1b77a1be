/* stamp.c - the change stamp of a connection (see stamp.h). */
#include "stamp.h"

#include "db_internal.h"

#include <time.h>

static uint64_t local_writes;

void stamp_note_local_write(void)
{
	__atomic_add_fetch(&local_writes, 1, __ATOMIC_SEQ_CST);
}

uint64_t db_local_writes(void)
{
	return __atomic_load_n(&local_writes, __ATOMIC_SEQ_CST);
}

/* FNV-1a: a 64-bit digest of the PostgreSQL snapshot text. Two different
 * snapshots share a digest with odds of about 2^-64. */
static uint64_t digest(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The one value of a one-row statement: a number, or the digest of a text.
 * The statements are literals, so each stays prepared (the pragma as a
 * table-valued function would be prepared anew on every call). */
static int read_value(db *d, const char *sql, bool text, uint64_t *ret)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*ret = text ? digest(db_col_text(st, 0)) : (uint64_t)db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

/* On SQLite the two counters are mixed so that either one moving moves the
 * stamp (multiplying by an odd number is one-to-one modulo 2^64). */
int db_change_stamp(db *d, uint64_t *ret)
{
	if (db_backend_of(d) == DB_POSTGRES)
		return read_value(d, "SELECT CAST(pg_current_snapshot() AS TEXT)", true, ret);
	uint64_t version, changes;
	int rc = read_value(d, "PRAGMA data_version", false, &version);
	if (!rc)
		rc = read_value(d, "SELECT total_changes()", false, &changes);
	if (!rc)
		*ret = version * 0x9E3779B97F4A7C15ULL ^ changes;
	return rc;
}

/* ---- the data's generation --------------------------------------------------- */

static uint64_t generation = 1;

static int64_t monotonic_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct db_read_mark db_read_mark_now(void)
{
	return (struct db_read_mark){ db_local_writes(), monotonic_ms(), true };
}

bool db_read_mark_fresh(const struct db_read_mark *m, int64_t max_age_ms)
{
	int64_t age = monotonic_ms() - m->at_ms;
	return m->held && m->writes == db_local_writes() && age >= 0 && age < max_age_ms;
}

/* The stamp this thread's connection showed last time (one connection per
 * worker thread), and when it was asked. */
static _Thread_local uint64_t seen_stamp;
static _Thread_local struct db_read_mark asked;

int db_data_generation(db *d, uint64_t *ret)
{
	/* The generation before the stamp: had another worker moved it after
	 * this one asked its stamp, a page made from this connection's older
	 * view would be kept under the newer generation. Read first, a move
	 * after it only makes this answer older than need be. */
	uint64_t gen = __atomic_load_n(&generation, __ATOMIC_SEQ_CST);
	/* On SQLite the stamp is two calls inside the process: asked every
	 * time; on PostgreSQL a round trip, asked again after the interval or
	 * at once after this process writes. */
	if (db_backend_of(d) != DB_POSTGRES || !db_read_mark_fresh(&asked, STAMP_PG_RECHECK_MS)) {
		struct db_read_mark now = db_read_mark_now();   /* before asking */
		uint64_t stamp;
		int rc = db_change_stamp(d, &stamp);
		if (rc)
			return rc;
		if (!asked.held || stamp != seen_stamp) {
			gen = __atomic_add_fetch(&generation, 1, __ATOMIC_SEQ_CST);
			seen_stamp = stamp;
		}
		asked = now;
	}
	*ret = gen;
	return 0;
}
