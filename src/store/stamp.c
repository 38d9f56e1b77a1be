/* stamp.c - the change stamp of a connection (see stamp.h). */
#include "stamp.h"

#include "db_internal.h"

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
