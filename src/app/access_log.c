/* access_log.c - who read whose sensitive data, when and why (see
 * access_log.h). */
#include "access_log.h"

#include "../base/ids.h"

int access_log_record(db *d, int64_t reader_id, int64_t subject_id, const char *what,
		      const char *reason, herr *e)
{
	if (reader_id == subject_id)
		return 0;
	db_stmt *st = db_prepare(d, "INSERT INTO access_log (id, reader_id, subject_id, what, reason, "
				    "read_at) VALUES (?, ?, ?, ?, ?, ?)");
	int rc = st ? 0 : ERR_DB;
	if (st) {
		db_bind_int64(st, 1, id_new());
		db_bind_int64(st, 2, reader_id);
		db_bind_int64(st, 3, subject_id);
		db_bind_text(st, 4, what);
		db_bind_text(st, 5, reason);
		db_bind_int64(st, 6, time_now_ms());
		rc = db_step(st);
		db_reset(st);
	}
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not record this read in the access log, so "
					   "nothing is shown.");
	return 0;
}

int access_log_for_subject(db *d, arena *a, int64_t subject_id, size_t limit,
			   struct access_entry **ret, size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	db_stmt *st = db_prepare(d, "SELECT l.id, l.reader_id, p.display_name, l.what, l.reason, l.read_at "
				    "FROM access_log l LEFT JOIN person p ON p.id = l.reader_id "
				    "WHERE l.subject_id = ? ORDER BY l.read_at DESC, l.id DESC LIMIT ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the access log.");
	db_bind_int64(st, 1, subject_id);
	db_bind_int64(st, 2, (int64_t)limit);
	struct access_entry *list = arena_alloc(a, (limit ? limit : 1) * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < limit && (rc = db_step(st)) == DB_ROW) {
		list[n++] = (struct access_entry){
			.id = db_col_int64(st, 0),
			.reader_id = db_col_int64(st, 1),
			.reader_name = arena_strdup(a, db_col_text(st, 2) ? db_col_text(st, 2)
									  : "Someone whose account is gone"),
			.what = arena_strdup(a, db_col_text(st, 3)),
			.reason = arena_strdup(a, db_col_text(st, 4)),
			.read_at = db_col_int64(st, 5),
		};
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the access log.");
	*ret = list;
	*ret_n = n;
	return 0;
}
