/* action.c - actions agreed at meetings, with an owner and a due date
 * (see action.h). */
#include "action.h"
#include "network.h"

#include "../base/ids.h"
#include "../base/utf8.h"
#include "meeting.h"
#include "membership.h"
#include "schedule.h"

#include <stdio.h>
#include <string.h>

static int check_new_action(const struct action_new *in, herr *e)
{
	size_t n = in->description ? strlen(in->description) : 0;
	if (n == 0)
		return herr_set(e, ERR_INVALID, "description", "Enter what is to be done.");
	if (!utf8_valid_text(in->description, n))
		return herr_set(e, ERR_BADREQ, "description",
				"The description holds characters that cannot be accepted.");
	if (utf8_length(in->description, n) > ACTION_DESCRIPTION_MAX)
		return herr_set(e, ERR_INVALID, "description",
				"Please keep the description to %d characters or fewer.",
				ACTION_DESCRIPTION_MAX);
	if (in->owner_id <= 0)
		return herr_set(e, ERR_INVALID, "owner_id", "Choose who will do it.");
	if (in->due_date && *in->due_date)
		return schedule_check_date(in->due_date, "due_date", e);
	return 0;
}

/* The due date may not come before the local date of the meeting. */
static int check_due_date(db *d, const struct meeting_ref *m, const char *due, herr *e)
{
	if (!due || !*due)
		return 0;
	arena *a = arena_new(256);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	char day[16];
	int rc = schedule_format_local(m->starts_at, network_time_zone(d, a), "%Y-%m-%d", day,
				       sizeof day);
	arena_free(a);
	if (rc)
		return herr_set(e, ERR_INTERNAL, NULL, "Could not work out the meeting's date.");
	if (strcmp(due, day) < 0)
		return herr_set(e, ERR_INVALID, "due_date",
				"The due date is before the meeting (%s); choose that day or later.", day);
	return 0;
}

static int insert_action(db *d, int64_t id, const struct meeting_ref *m, const struct action_new *in,
			 int64_t created_by)
{
	int64_t now = time_now_ms();
	db_stmt *st = db_prepare(d,
		"INSERT INTO action_item (id, group_id, meeting_id, description, owner_id, due_date, "
		"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, m->group_id);
	db_bind_int64(st, 3, m->id);
	db_bind_text(st, 4, in->description);
	db_bind_int64(st, 5, in->owner_id);
	db_bind_text(st, 6, in->due_date && *in->due_date ? in->due_date : NULL);
	if (created_by)
		db_bind_int64(st, 7, created_by);
	else
		db_bind_null(st, 7);
	db_bind_int64(st, 8, now);
	db_bind_int64(st, 9, now);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Commits the transaction a change opened, or rolls it back when rc says a
 * step failed (that step has filled e). */
static int end_write(db *d, int rc, herr *e)
{
	bool steps_ok = rc == 0;
	rc = db_finish(d, rc);
	if (steps_ok && rc)
		return herr_set(e, ERR_DB, NULL, "Could not save the action; please try again.");
	return rc;
}

int action_add(db *d, const struct actor *actor, int64_t meeting_id, const struct action_new *in,
	       int64_t *ret_id, herr *e)
{
	struct meeting_ref m;
	int64_t id = id_new();
	int rc = check_new_action(in, e);
	if (rc)
		return rc;
	if (db_begin_write(d))
		return herr_set(e, ERR_DB, NULL, "Could not start saving; please try again.");
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_RECORD, &m, e);
	if (!rc && !membership_is_active(d, m.group_id, in->owner_id))
		rc = herr_set(e, ERR_INVALID, "owner_id",
			      "The person chosen to do it is not a member of this group.");
	if (!rc) rc = check_due_date(d, &m, in->due_date, e);
	if (!rc && insert_action(d, id, &m, in, actor->person_id))
		rc = herr_set(e, ERR_DB, NULL, "Could not save the action; please try again.");
	if ((rc = end_write(d, rc, e)))
		return rc;
	*ret_id = id;
	return 0;
}

static int mark_done(db *d, int64_t action_id, bool done)
{
	int64_t now = time_now_ms();
	db_stmt *u;
	if (done) {
		/* Ticking twice keeps the first time it was done. */
		u = db_prepare(d, "UPDATE action_item SET done_at = COALESCE(done_at, ?), "
				  "updated_at = ? WHERE id = ?");
		if (!u)
			return ERR_DB;
		db_bind_int64(u, 1, now);
		db_bind_int64(u, 2, now);
		db_bind_int64(u, 3, action_id);
	} else {
		u = db_prepare(d, "UPDATE action_item SET done_at = NULL, updated_at = ? WHERE id = ?");
		if (!u)
			return ERR_DB;
		db_bind_int64(u, 1, now);
		db_bind_int64(u, 2, action_id);
	}
	int rc = db_step(u);
	db_reset(u);
	return rc < 0 ? rc : 0;
}

int action_set_done(db *d, const struct actor *actor, int64_t action_id, bool done,
		    int64_t *ret_meeting_id, herr *e)
{
	if (db_begin_write(d))
		return herr_set(e, ERR_DB, NULL, "Could not start saving; please try again.");
	int64_t group_id = 0, meeting_id = 0;
	db_stmt *q = db_prepare(d, "SELECT group_id, meeting_id FROM action_item WHERE id = ?");
	int rc = q ? 0 : ERR_DB;
	if (q) {
		db_bind_int64(q, 1, action_id);
		rc = db_step(q);
		if (rc == DB_ROW) {
			group_id = db_col_int64(q, 0);
			meeting_id = db_col_int64(q, 1);
		}
		db_reset(q);
	}
	if (rc < 0)
		rc = herr_set(e, ERR_DB, NULL, "Could not read the action; please try again.");
	else if (rc == DB_DONE)
		rc = herr_set(e, ERR_NOTFOUND, NULL, "There is no such action.");
	else
		rc = 0;
	struct standing st;
	if (!rc) rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc && mark_done(d, action_id, done))
		rc = herr_set(e, ERR_DB, NULL, "Could not save the action; please try again.");
	if ((rc = end_write(d, rc, e)))
		return rc;
	if (ret_meeting_id)
		*ret_meeting_id = meeting_id;
	return 0;
}

int action_list_for_meeting(db *d, arena *a, int64_t meeting_id, struct action_item **ret,
			    size_t *ret_n, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT x.id, x.group_id, x.meeting_id, x.description, x.owner_id, p.display_name, "
		"x.due_date, x.done_at, x.created_at FROM action_item x "
		"LEFT JOIN person p ON p.id = x.owner_id WHERE x.meeting_id = ? "
		"ORDER BY CASE WHEN x.done_at IS NULL THEN 0 ELSE 1 END, "
		"CASE WHEN x.due_date IS NULL THEN 1 ELSE 0 END, x.due_date, x.id LIMIT 500");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the actions; please try again.");
	db_bind_int64(q, 1, meeting_id);
	struct action_item *list = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		if (!(list = arena_grow(a, list, n, &cap, sizeof *list)))
			break;
		struct action_item *x = &list[n++];
		x->id = db_col_int64(q, 0);
		x->group_id = db_col_int64(q, 1);
		x->meeting_id = db_col_int64(q, 2);
		x->description = arena_strdup(a, db_col_text(q, 3));
		x->owner_id = db_col_int64(q, 4);
		x->owner_name = arena_strdup(a, db_col_text(q, 5));
		x->due_date = arena_strdup(a, db_col_text(q, 6));
		x->done_at = db_col_int64(q, 7);
		x->created_at = db_col_int64(q, 8);
	}
	db_reset(q);
	if (rc < 0)
		return herr_set(e, ERR_DB, NULL, "Could not read the actions; please try again.");
	if (rc == DB_ROW)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	*ret = list;
	*ret_n = n;
	return 0;
}
