/* meeting.c - meetings of a group (see meeting.h): materialising the
 * schedule into meeting records, listing them, reading one with everything
 * recorded on it, and the changes facilitators make: cancel, restore, move,
 * one-offs, attendance, who facilitated, roles, minutes and the closing
 * record. Actions are in action.c. */
#include "meeting.h"

#include "network.h"

#include "../base/ids.h"
#include "../base/utf8.h"
#include "schedule.h"
#include "settings.h"
#include "tx.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS (24LL * 60 * 60 * 1000)
#define ZONE_CHARS 65
/* Weekly on every day for the whole horizon is 7 * 12 = 84 meetings. */
#define OCCURRENCES_MAX 128

/* ---- small helpers ------------------------------------------------------ */

static int db_failed(herr *e, int rc, const char *what)
{
	return herr_set(e, rc < 0 && rc != ERR_CONFLICT ? rc : ERR_DB, NULL,
			"Could not %s; please try again.", what);
}

/* Runs a prepared write statement to its end. */
static int step_done(db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Ends a read of rows from q: rc is the last db_step() result, still
 * DB_ROW when the loop stopped because the arena ran out. */
static int rows_done(db_stmt *q, int rc, const char *what, herr *e)
{
	db_reset(q);
	if (rc < 0)
		return db_failed(e, rc, what);
	return rc == DB_ROW ? herr_set(e, ERR_NOMEM, NULL, "Out of memory.") : 0;
}

/* The network's time zone (network.c) copied into a buffer. */
static void network_zone(db *d, char out[ZONE_CHARS])
{
	arena *a = arena_new(256);
	const char *zone = a ? network_time_zone(d, a) : network_default_zone();
	snprintf(out, ZONE_CHARS, "%s", zone);
	arena_free(a);
}

static char *copy_text(arena *a, db_stmt *st, int col)
{
	return arena_strdup(a, db_col_text(st, col));
}

/* The display name of a person, for messages; "Someone" when unknown. */
static void person_name(db *d, int64_t person_id, char *out, size_t size)
{
	snprintf(out, size, "Person %lld", (long long)person_id);
	db_stmt *st = db_prepare(d, "SELECT display_name FROM person WHERE id = ?");
	if (!st)
		return;
	db_bind_int64(st, 1, person_id);
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		snprintf(out, size, "%s", db_col_text(st, 0));
	db_reset(st);
}

static bool person_exists(db *d, int64_t person_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM person WHERE id = ?");
	if (!st)
		return false;
	db_bind_int64(st, 1, person_id);
	bool found = db_step(st) == DB_ROW;
	db_reset(st);
	return found;
}

/* The status recorded for person_id at meeting_id, into out ("" if none). */
static void attendance_status(db *d, int64_t meeting_id, int64_t person_id, char out[16])
{
	out[0] = '\0';
	db_stmt *st = db_prepare(d,
		"SELECT status FROM attendance WHERE meeting_id = ? AND person_id = ?");
	if (!st)
		return;
	db_bind_int64(st, 1, meeting_id);
	db_bind_int64(st, 2, person_id);
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		snprintf(out, 16, "%s", db_col_text(st, 0));
	db_reset(st);
}

/* Text a person typed for a notice or themes: trimmed of surrounding
 * spaces by the caller's form; here only checked. */
static int check_text(const char *s, const char *field, const char *label, bool required,
		      size_t max_chars, herr *e)
{
	size_t n = s ? strlen(s) : 0;
	if (required && n == 0)
		return herr_set(e, ERR_INVALID, field, "Enter %s.", label);
	if (n && !utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, field,
				"What was sent for %s holds characters that cannot be accepted.",
				label);
	if (n && utf8_length(s, n) > max_chars)
		return herr_set(e, ERR_INVALID, field,
				"Please keep %s to %zu characters or fewer.", label, max_chars);
	return 0;
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* ---- the next meeting, kept on the group for the directory ------------- */

static int refresh_next_meeting(db *d, int64_t group_id, int64_t now, int64_t scheduled_until)
{
	db_stmt *q = db_prepare(d,
		"SELECT MIN(starts_at) FROM meeting WHERE group_id = ? AND status <> 'cancelled' "
		"AND starts_at > ?");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, group_id);
	db_bind_int64(q, 2, now);
	int rc = db_step(q);
	bool has_next = rc == DB_ROW && !db_col_is_null(q, 0);
	int64_t next = has_next ? db_col_int64(q, 0) : 0;
	db_reset(q);
	if (rc < 0)
		return rc;
	db_stmt *u;
	if (scheduled_until) {
		u = db_prepare(d,
			"UPDATE peer_group SET next_meeting_at = ?, scheduled_until = ? WHERE id = ?");
		if (!u)
			return ERR_DB;
		db_bind_int64(u, 2, scheduled_until);
		db_bind_int64(u, 3, group_id);
	} else {
		u = db_prepare(d, "UPDATE peer_group SET next_meeting_at = ? WHERE id = ?");
		if (!u)
			return ERR_DB;
		db_bind_int64(u, 2, group_id);
	}
	if (has_next)
		db_bind_int64(u, 1, next);
	else
		db_bind_null(u, 1);
	return step_done(u);
}

/* ---- materialising the schedule ----------------------------------------- */

struct group_schedule {
	char rrule[256];
	char start[32];
	int duration;
	char status[16];
	int64_t scheduled_until;
	int64_t next_meeting_at;
	bool has_schedule;
};

static int read_group_schedule(db *d, int64_t group_id, struct group_schedule *g, herr *e)
{
	memset(g, 0, sizeof *g);
	db_stmt *q = db_prepare(d,
		"SELECT rrule, schedule_start, duration_minutes, status, scheduled_until, "
		"next_meeting_at FROM peer_group WHERE id = ?");
	if (!q)
		return db_failed(e, ERR_DB, "read the group's schedule");
	db_bind_int64(q, 1, group_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		const char *rrule = db_col_text(q, 0), *start = db_col_text(q, 1);
		g->has_schedule = rrule && *rrule && start && *start &&
				  strlen(rrule) < sizeof g->rrule && strlen(start) < sizeof g->start;
		if (g->has_schedule) {
			snprintf(g->rrule, sizeof g->rrule, "%s", rrule);
			snprintf(g->start, sizeof g->start, "%s", start);
		}
		g->duration = (int)db_col_int64(q, 2);
		snprintf(g->status, sizeof g->status, "%s", db_col_text(q, 3) ? db_col_text(q, 3) : "");
		g->scheduled_until = db_col_int64(q, 4);
		g->next_meeting_at = db_col_int64(q, 5);
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, rc, "read the group's schedule");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
	return 0;
}

static int insert_occurrence(db *d, int64_t group_id, const struct occurrence *o, int64_t now)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO meeting (id, group_id, occurrence_key, kind, status, starts_at, ends_at, "
		"created_at, updated_at) VALUES (?, ?, ?, 'scheduled', 'scheduled', ?, ?, ?, ?) "
		"ON CONFLICT (group_id, occurrence_key) DO NOTHING");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id_new());
	db_bind_int64(st, 2, group_id);
	db_bind_text(st, 3, o->key);
	db_bind_int64(st, 4, o->starts_at);
	db_bind_int64(st, 5, o->ends_at);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, now);
	return step_done(st);
}

/* After a change of schedule, length or time zone, an occurrence that is
 * still in the schedule but untouched takes its new times. */
static int retime_occurrence(db *d, int64_t group_id, const struct occurrence *o, int64_t now)
{
	db_stmt *st = db_prepare(d,
		"UPDATE meeting SET starts_at = ?, ends_at = ?, updated_at = ? "
		"WHERE group_id = ? AND occurrence_key = ? AND status = 'scheduled' "
		"AND moved_from IS NULL AND starts_at > ? AND (starts_at <> ? OR ends_at <> ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, o->starts_at);
	db_bind_int64(st, 2, o->ends_at);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, group_id);
	db_bind_text(st, 5, o->key);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, o->starts_at);
	db_bind_int64(st, 8, o->ends_at);
	return step_done(st);
}

static bool key_in(const struct occurrence *occ, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (key && strcmp(occ[i].key, key) == 0)
			return true;
	return false;
}

/* Deletes future scheduled meetings with nothing recorded on them that the
 * schedule no longer holds (or that lie beyond the horizon). */
static int remove_unscheduled(db *d, int64_t group_id, const struct occurrence *occ, int n,
			      int64_t now, int64_t horizon_end)
{
	db_stmt *q = db_prepare(d,
		"SELECT m.id, m.occurrence_key, m.starts_at FROM meeting m "
		"WHERE m.group_id = ? AND m.kind = 'scheduled' AND m.status = 'scheduled' "
		"AND m.starts_at > ? AND m.moved_from IS NULL AND m.notice IS NULL "
		"AND m.minutes_md IS NULL AND m.closed_at IS NULL "
		"AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = m.id) "
		"AND NOT EXISTS (SELECT 1 FROM meeting_facilitator f WHERE f.meeting_id = m.id) "
		"AND NOT EXISTS (SELECT 1 FROM meeting_role r WHERE r.meeting_id = m.id) "
		"AND NOT EXISTS (SELECT 1 FROM action_item x WHERE x.meeting_id = m.id) "
		"ORDER BY m.starts_at LIMIT 1000");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, group_id);
	db_bind_int64(q, 2, now);
	int64_t doomed[1000];
	size_t nd = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW && nd < 1000) {
		const char *key = db_col_text(q, 1);
		if (db_col_int64(q, 2) >= horizon_end || !key_in(occ, n, key))
			doomed[nd++] = db_col_int64(q, 0);
	}
	db_reset(q);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < nd; i++) {
		db_stmt *del = db_prepare(d, "DELETE FROM meeting WHERE id = ?");
		if (!del)
			return ERR_DB;
		db_bind_int64(del, 1, doomed[i]);
		if ((rc = step_done(del)))
			return rc;
	}
	return 0;
}

static bool schedule_fresh(const struct group_schedule *g, int64_t now)
{
	int64_t wanted = now + (MEETING_HORIZON_DAYS - 7) * DAY_MS;
	return g->scheduled_until >= wanted && (g->next_meeting_at == 0 || g->next_meeting_at > now);
}

static int materialise(db *d, int64_t group_id, const struct group_schedule *g, bool force,
		       int64_t now, herr *e)
{
	int64_t horizon_end = now + MEETING_HORIZON_DAYS * DAY_MS;
	struct occurrence occ[OCCURRENCES_MAX];
	int n = 0;
	bool meets = !strcmp(g->status, "active") || !strcmp(g->status, "forming");
	if (g->has_schedule && meets) {
		char zone[ZONE_CHARS];
		network_zone(d, zone);
		struct schedule s = { g->rrule, g->start, g->duration, zone };
		/* From a meeting's length ago, so one in progress exists too. */
		n = schedule_expand(&s, now - (int64_t)g->duration * 60000, horizon_end, occ,
				    OCCURRENCES_MAX, e);
		if (n < 0) {
			if (force)
				return n;
			n = 0;   /* a stored schedule that no longer reads: list what exists */
			herr_clear(e);
		}
	}
	int rc = 0;
	for (int i = 0; !rc && i < n; i++) {
		rc = insert_occurrence(d, group_id, &occ[i], now);
		if (!rc && force)
			rc = retime_occurrence(d, group_id, &occ[i], now);
	}
	if (!rc && force)
		rc = remove_unscheduled(d, group_id, occ, n, now, horizon_end);
	if (!rc)
		rc = refresh_next_meeting(d, group_id, now, horizon_end);
	return rc ? db_failed(e, rc, "schedule the group's meetings") : 0;
}

int meeting_ensure_scheduled(db *d, int64_t group_id, bool force, herr *e)
{
	struct group_schedule g;
	int64_t now = time_now_ms();
	int rc = read_group_schedule(d, group_id, &g, e);
	if (rc || (!force && schedule_fresh(&g, now)))
		return rc;
	bool own;
	if ((rc = tx_begin(d, &own, e)))
		return rc;
	/* Read again under the write lock: another request may have done it. */
	rc = read_group_schedule(d, group_id, &g, e);
	if (!rc && (force || !schedule_fresh(&g, now)))
		rc = materialise(d, group_id, &g, force, now, e);
	return tx_end(d, own, rc, e);
}

int meeting_ensure_scheduled_seen(db *d, int64_t group_id, int64_t scheduled_until,
				  int64_t next_meeting_at, herr *e)
{
	struct group_schedule seen = { .scheduled_until = scheduled_until,
				       .next_meeting_at = next_meeting_at };
	if (schedule_fresh(&seen, time_now_ms()))
		return 0;
	return meeting_ensure_scheduled(d, group_id, false, e);
}

/* ---- lists ---------------------------------------------------------------- */

#define SUMMARY_COLUMNS \
	"m.id, m.group_id, g.name, m.starts_at, m.ends_at, m.status, m.kind, " \
	"m.moved_from, m.notice "

static void read_summary(db_stmt *q, arena *a, struct meeting_summary *m)
{
	m->id = db_col_int64(q, 0);
	m->group_id = db_col_int64(q, 1);
	m->group_name = copy_text(a, q, 2);
	m->starts_at = db_col_int64(q, 3);
	m->ends_at = db_col_int64(q, 4);
	m->status = copy_text(a, q, 5);
	m->kind = copy_text(a, q, 6);
	m->moved_from = db_col_int64(q, 7);
	m->notice = copy_text(a, q, 8);
}

/* Reads every row of q (bound, not yet stepped) into an arena array; at
 * most max rows (the rest are counted in *ret_more). */
static int read_summaries(db_stmt *q, arena *a, size_t max, struct meeting_summary **ret,
			  size_t *ret_n, bool *ret_more, herr *e)
{
	struct meeting_summary *list = NULL;
	size_t n = 0, cap = 0;
	bool more = false;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		if (n == max) {
			more = true;
			break;
		}
		if (!(list = arena_grow(a, list, n, &cap, sizeof *list)))
			break;
		memset(&list[n], 0, sizeof *list);
		read_summary(q, a, &list[n++]);
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, rc, "list the meetings");
	if (rc == DB_ROW && !more)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	*ret = list;
	*ret_n = n;
	if (ret_more)
		*ret_more = more;
	return 0;
}

static int clamp_limit(int limit)
{
	return limit < 1 ? 1 : limit > 200 ? 200 : limit;
}

int meeting_list_upcoming(db *d, arena *a, int64_t group_id, int64_t from_ms, int limit,
			  struct meeting_summary **ret, size_t *ret_n, herr *e)
{
	int rc;
	if (!db_in_transaction(d) && (rc = meeting_ensure_scheduled(d, group_id, false, e)))
		return rc;
	return meeting_list_upcoming_ensured(d, a, group_id, from_ms, limit, ret, ret_n, e);
}

int meeting_list_upcoming_ensured(db *d, arena *a, int64_t group_id, int64_t from_ms, int limit,
				  struct meeting_summary **ret, size_t *ret_n, herr *e)
{
	limit = clamp_limit(limit);
	db_stmt *q = db_prepare(d,
		"SELECT " SUMMARY_COLUMNS "FROM meeting m JOIN peer_group g ON g.id = m.group_id "
		"WHERE m.group_id = ? AND m.ends_at > ? ORDER BY m.starts_at, m.id LIMIT ?");
	if (!q)
		return db_failed(e, ERR_DB, "list the meetings");
	db_bind_int64(q, 1, group_id);
	db_bind_int64(q, 2, from_ms);
	db_bind_int64(q, 3, limit);
	return read_summaries(q, a, (size_t)limit, ret, ret_n, NULL, e);
}

/* Materialises the schedules of the active memberships' groups that need
 * it, from the state membership_list_mine read with them; at most 64 in a
 * request, as each is a write. */
static int ensure_person_groups(db *d, const struct my_membership *mine, size_t n, herr *e)
{
	int done = 0;
	for (size_t i = 0; i < n && done < 64; i++) {
		if (mine[i].status != MEMBER_ACTIVE)
			continue;
		struct group_schedule seen = { .scheduled_until = mine[i].scheduled_until,
					       .next_meeting_at = mine[i].next_meeting_at };
		if (schedule_fresh(&seen, time_now_ms()))
			continue;
		int rc = meeting_ensure_scheduled(d, mine[i].group_id, false, e);
		if (rc)
			return rc;
		done++;
	}
	return 0;
}

int meeting_list_upcoming_for_person(db *d, arena *a, int64_t person_id,
				     const struct my_membership *mine, size_t n_mine,
				     int64_t from_ms, int limit, struct meeting_summary **ret,
				     size_t *ret_n, herr *e)
{
	int rc;
	if (!db_in_transaction(d) && (rc = ensure_person_groups(d, mine, n_mine, e)))
		return rc;
	limit = clamp_limit(limit);
	db_stmt *q = db_prepare(d,
		"SELECT " SUMMARY_COLUMNS "FROM meeting m JOIN peer_group g ON g.id = m.group_id "
		"JOIN membership ms ON ms.group_id = m.group_id AND ms.person_id = ? "
		"AND ms.status = 'active' "
		"WHERE m.ends_at > ? ORDER BY m.starts_at, m.id LIMIT ?");
	if (!q)
		return db_failed(e, ERR_DB, "list your meetings");
	db_bind_int64(q, 1, person_id);
	db_bind_int64(q, 2, from_ms);
	db_bind_int64(q, 3, limit);
	return read_summaries(q, a, (size_t)limit, ret, ret_n, NULL, e);
}

int meeting_group_get(db *d, arena *a, const struct actor *actor, int64_t group_id,
		      struct meeting_group *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	int rc = membership_standing(d, group_id, actor, &ret->standing, e);
	if (!rc) rc = membership_require_member(&ret->standing, e);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d,
		"SELECT name, status, format, venue_name, venue_address, venue_access, online_link "
		"FROM peer_group WHERE id = ?");
	if (!q)
		return db_failed(e, ERR_DB, "read the group");
	db_bind_int64(q, 1, group_id);
	rc = db_step(q);
	if (rc == DB_ROW) {
		ret->id = group_id;
		ret->name = copy_text(a, q, 0);
		ret->status = copy_text(a, q, 1);
		ret->format = copy_text(a, q, 2);
		ret->venue_name = copy_text(a, q, 3);
		ret->venue_address = copy_text(a, q, 4);
		ret->venue_access = copy_text(a, q, 5);
		ret->online_link = copy_text(a, q, 6);
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, rc, "read the group");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
	return 0;
}

int meeting_list_for_group(db *d, arena *a, const struct actor *actor, int64_t group_id,
			   bool past, int offset, int limit, struct meeting_summary **ret,
			   size_t *ret_n, bool *ret_more, herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (!rc && !db_in_transaction(d))
		rc = meeting_ensure_scheduled(d, group_id, false, e);
	if (rc)
		return rc;
	limit = clamp_limit(limit);
	if (offset < 0)
		offset = 0;
	db_stmt *q = past
		? db_prepare(d, "SELECT " SUMMARY_COLUMNS
			"FROM meeting m JOIN peer_group g ON g.id = m.group_id "
			"WHERE m.group_id = ? AND m.ends_at <= ? "
			"ORDER BY m.starts_at DESC, m.id DESC LIMIT ? OFFSET ?")
		: db_prepare(d, "SELECT " SUMMARY_COLUMNS
			"FROM meeting m JOIN peer_group g ON g.id = m.group_id "
			"WHERE m.group_id = ? AND m.ends_at > ? "
			"ORDER BY m.starts_at, m.id LIMIT ? OFFSET ?");
	if (!q)
		return db_failed(e, ERR_DB, "list the meetings");
	db_bind_int64(q, 1, group_id);
	db_bind_int64(q, 2, time_now_ms());
	db_bind_int64(q, 3, limit + 1);
	db_bind_int64(q, 4, offset);
	return read_summaries(q, a, (size_t)limit, ret, ret_n, ret_more, e);
}

/* ---- one meeting ---------------------------------------------------------- */

static int read_attendance(db *d, arena *a, struct meeting *m, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT a.person_id, p.display_name, a.status, a.newcomer FROM attendance a "
		"JOIN person p ON p.id = a.person_id WHERE a.meeting_id = ? "
		"ORDER BY p.display_name, a.person_id");
	if (!q)
		return db_failed(e, ERR_DB, "read the attendance");
	db_bind_int64(q, 1, m->s.id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		m->attendance = arena_grow(a, m->attendance, m->n_attendance, &cap,
					   sizeof *m->attendance);
		if (!m->attendance)
			break;
		struct meeting_attendee *at = &m->attendance[m->n_attendance++];
		at->person_id = db_col_int64(q, 0);
		at->display_name = copy_text(a, q, 1);
		at->status = copy_text(a, q, 2);
		at->newcomer = db_col_bool(q, 3);
		if (at->status && !strcmp(at->status, "present")) {
			m->present++;
			m->newcomers += at->newcomer;
		} else if (at->status && !strcmp(at->status, "apologies")) {
			m->apologies++;
		} else {
			m->absent++;
		}
	}
	return rows_done(q, rc, "read the attendance", e);
}

static int read_facilitators(db *d, arena *a, struct meeting *m, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT f.person_id, p.display_name FROM meeting_facilitator f "
		"JOIN person p ON p.id = f.person_id WHERE f.meeting_id = ? "
		"ORDER BY p.display_name, f.person_id");
	if (!q)
		return db_failed(e, ERR_DB, "read who facilitated");
	db_bind_int64(q, 1, m->s.id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		m->facilitators = arena_grow(a, m->facilitators, m->n_facilitators, &cap,
					     sizeof *m->facilitators);
		if (!m->facilitators)
			break;
		struct meeting_person *f = &m->facilitators[m->n_facilitators++];
		f->person_id = db_col_int64(q, 0);
		f->display_name = copy_text(a, q, 1);
	}
	return rows_done(q, rc, "read who facilitated", e);
}

static int read_roles(db *d, arena *a, struct meeting *m, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT r.person_id, p.display_name, r.role FROM meeting_role r "
		"JOIN person p ON p.id = r.person_id WHERE r.meeting_id = ? "
		"ORDER BY p.display_name, r.person_id, r.role");
	if (!q)
		return db_failed(e, ERR_DB, "read the roles");
	db_bind_int64(q, 1, m->s.id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		if (!(m->roles = arena_grow(a, m->roles, m->n_roles, &cap, sizeof *m->roles)))
			break;
		struct meeting_role_taken *r = &m->roles[m->n_roles++];
		r->person_id = db_col_int64(q, 0);
		r->display_name = copy_text(a, q, 1);
		r->role = copy_text(a, q, 2);
	}
	return rows_done(q, rc, "read the roles", e);
}

static int read_meeting_row(db *d, arena *a, int64_t meeting_id, struct meeting *m, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT " SUMMARY_COLUMNS ", m.occurrence_key, m.facilitated_by_peer, m.minutes_md, "
		"m.minutes_updated_at, p.display_name, m.attendance_count, m.themes, m.closed_at "
		"FROM meeting m JOIN peer_group g ON g.id = m.group_id "
		"LEFT JOIN person p ON p.id = m.minutes_by WHERE m.id = ?");
	if (!q)
		return db_failed(e, ERR_DB, "read the meeting");
	db_bind_int64(q, 1, meeting_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		read_summary(q, a, &m->s);
		m->occurrence_key = copy_text(a, q, 9);
		m->facilitated_by_peer = db_col_is_null(q, 10) ? -1 : db_col_bool(q, 10);
		m->minutes_md = copy_text(a, q, 11);
		m->minutes_updated_at = db_col_int64(q, 12);
		m->minutes_by_name = copy_text(a, q, 13);
		m->attendance_count = db_col_is_null(q, 14) ? -1 : (int)db_col_int64(q, 14);
		m->themes = copy_text(a, q, 15);
		m->closed_at = db_col_int64(q, 16);
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, rc, "read the meeting");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such meeting.");
	return 0;
}

/* Why change `what` cannot be made to a meeting in this state now, or 0. */
static int check_timing(const char *status, int64_t starts_at, int64_t ends_at,
			enum meeting_change what, int64_t now, herr *e)
{
	bool cancelled = !strcmp(status, "cancelled");
	bool closed = !strcmp(status, "closed");
	switch (what) {
	case MEETING_CHANGE_DATE:
		if (cancelled)
			return herr_set(e, ERR_CONFLICT, NULL,
					"This meeting is cancelled. Restore it first if it is to go ahead.");
		if (closed || starts_at <= now)
			return herr_set(e, ERR_CONFLICT, NULL,
					"This meeting has already started, so it can no longer be "
					"cancelled or moved.");
		return 0;
	case MEETING_CHANGE_RESTORE:
		if (!cancelled)
			return herr_set(e, ERR_CONFLICT, NULL, "This meeting is not cancelled.");
		if (starts_at <= now)
			return herr_set(e, ERR_CONFLICT, NULL,
					"This meeting's time has passed, so it cannot be restored. "
					"Add a one-off meeting instead.");
		return 0;
	case MEETING_CHANGE_RECORD:
	case MEETING_CHANGE_HELD:
		if (cancelled)
			return herr_set(e, ERR_CONFLICT, NULL,
					"This meeting was cancelled, so nothing can be recorded on it.");
		if (now > ends_at + MEETING_RECORD_DAYS * DAY_MS)
			return herr_set(e, ERR_CONFLICT, NULL,
					"This meeting ended more than %d days ago. Attendance, roles, "
					"minutes and actions can be recorded for %d days after a meeting.",
					MEETING_RECORD_DAYS, MEETING_RECORD_DAYS);
		if (what == MEETING_CHANGE_HELD && starts_at > now)
			return herr_set(e, ERR_CONFLICT, NULL,
					"This meeting has not started yet. Who came, who facilitated, "
					"roles and the closing record can be recorded once it has.");
		return 0;
	}
	return herr_set(e, ERR_INTERNAL, NULL, "Unknown change.");
}

/* Members see how many came and their own record, not who else came or
 * did not: the counts stay as they are. */
static void keep_own_attendance(struct meeting *m, int64_t person_id)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n_attendance; i++)
		if (m->attendance[i].person_id == person_id)
			m->attendance[k++] = m->attendance[i];
	m->n_attendance = k;
}

int meeting_get(db *d, arena *a, const struct actor *actor, int64_t meeting_id,
		struct meeting *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	int rc = read_meeting_row(d, a, meeting_id, ret, e);
	if (!rc) rc = meeting_group_get(d, a, actor, ret->s.group_id, &ret->group, e);
	if (!rc) rc = read_attendance(d, a, ret, e);
	if (!rc) rc = read_facilitators(d, a, ret, e);
	if (!rc) rc = read_roles(d, a, ret, e);
	if (!rc) rc = action_list_for_meeting(d, a, meeting_id, &ret->actions, &ret->n_actions, e);
	if (rc)
		return rc;
	const struct standing *st = &ret->group.standing;
	if (!st->can_manage)
		keep_own_attendance(ret, actor ? actor->person_id : 0);
	int64_t now = time_now_ms();
	bool manager = st->can_manage && !st->is_closed;
	const char *status = ret->s.status ? ret->s.status : "";
	int64_t s = ret->s.starts_at, en = ret->s.ends_at;
	ret->has_started = s <= now;
	ret->can_change_date = manager && !check_timing(status, s, en, MEETING_CHANGE_DATE, now, NULL);
	ret->can_restore = manager && !check_timing(status, s, en, MEETING_CHANGE_RESTORE, now, NULL);
	ret->can_record = manager && !check_timing(status, s, en, MEETING_CHANGE_RECORD, now, NULL);
	ret->can_record_held = manager && !check_timing(status, s, en, MEETING_CHANGE_HELD, now, NULL);
	return 0;
}

/* ---- the attendance form, a page at a time ---------------------------------- */

/* Who can be on the form: the active members and anyone recorded at the
 * meeting who has since left; their names filtered by a LIKE pattern. */
#define ROLL_PEOPLE \
	"FROM (SELECT person_id FROM membership WHERE group_id = ? AND status = 'active' " \
	"UNION SELECT person_id FROM attendance WHERE meeting_id = ?) w " \
	"JOIN person p ON p.id = w.person_id "
#define ROLL_FIND "WHERE LOWER(p.display_name) LIKE ? ESCAPE '!' "

static int roll_count(db *d, const struct meeting *m, const char *pattern, int *ret, herr *e)
{
	db_stmt *q = db_prepare(d, "SELECT COUNT(*) " ROLL_PEOPLE ROLL_FIND);
	if (!q)
		return db_failed(e, ERR_DB, "count the people to record");
	db_bind_int64(q, 1, m->s.group_id);
	db_bind_int64(q, 2, m->s.id);
	db_bind_text(q, 3, pattern);
	int rc = db_step(q);
	*ret = rc == DB_ROW ? (int)db_col_int64(q, 0) : 0;
	db_reset(q);
	return rc < 0 ? db_failed(e, rc, "count the people to record") : 0;
}

int meeting_roll_page(db *d, arena *a, const struct meeting *m, const char *find, int offset,
		      int limit, struct meeting_roll_row **ret, size_t *ret_n, int *ret_total,
		      herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	*ret_total = 0;
	if (!m->group.standing.can_manage)
		return herr_set(e, ERR_DENIED, NULL,
				"Only this group's facilitators and the network's coordinators can "
				"record attendance.");
	const char *pattern = membership_find_pattern(a, find ? find : "");
	if (!pattern)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int rc = roll_count(d, m, pattern, ret_total, e);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d,
		"SELECT p.id, p.display_name, p.pronouns, a.status, a.newcomer, "
		"CASE WHEN EXISTS (SELECT 1 FROM membership ms WHERE ms.group_id = ? "
		"AND ms.person_id = p.id AND ms.status = 'active') THEN 1 ELSE 0 END "
		ROLL_PEOPLE
		"LEFT JOIN attendance a ON a.meeting_id = ? AND a.person_id = p.id "
		ROLL_FIND
		"ORDER BY p.display_name, p.id LIMIT ? OFFSET ?");
	if (!q)
		return db_failed(e, ERR_DB, "read the people to record");
	db_bind_int64(q, 1, m->s.group_id);
	db_bind_int64(q, 2, m->s.group_id);
	db_bind_int64(q, 3, m->s.id);
	db_bind_int64(q, 4, m->s.id);
	db_bind_text(q, 5, pattern);
	db_bind_int64(q, 6, limit);
	db_bind_int64(q, 7, offset < 0 ? 0 : offset);
	size_t cap = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		*ret = arena_grow(a, *ret, *ret_n, &cap, sizeof **ret);
		if (!*ret)
			break;
		struct meeting_roll_row *row = &(*ret)[(*ret_n)++];
		row->person_id = db_col_int64(q, 0);
		row->display_name = copy_text(a, q, 1);
		row->pronouns = copy_text(a, q, 2);
		row->status = copy_text(a, q, 3);
		row->newcomer = !db_col_is_null(q, 4) && db_col_bool(q, 4);
		row->member = db_col_bool(q, 5);
	}
	return rows_done(q, rc, "read the people to record", e);
}

/* ---- changes ---------------------------------------------------------------- */

int meeting_open_for_change(db *d, const struct actor *actor, int64_t meeting_id,
			    enum meeting_change what, struct meeting_ref *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	db_stmt *q = db_prepare(d,
		"SELECT group_id, status, starts_at, ends_at FROM meeting WHERE id = ?");
	if (!q)
		return db_failed(e, ERR_DB, "read the meeting");
	db_bind_int64(q, 1, meeting_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		ret->id = meeting_id;
		ret->group_id = db_col_int64(q, 0);
		snprintf(ret->status, sizeof ret->status, "%s", db_col_text(q, 1) ? db_col_text(q, 1) : "");
		ret->starts_at = db_col_int64(q, 2);
		ret->ends_at = db_col_int64(q, 3);
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, rc, "read the meeting");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such meeting.");
	struct standing st;
	rc = membership_standing(d, ret->group_id, actor, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc) rc = check_timing(ret->status, ret->starts_at, ret->ends_at, what, time_now_ms(), e);
	return rc;
}

static int set_status(db *d, int64_t meeting_id, const char *status, const char *notice)
{
	db_stmt *st = db_prepare(d,
		"UPDATE meeting SET status = ?, notice = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, notice);
	db_bind_int64(st, 3, time_now_ms());
	db_bind_int64(st, 4, meeting_id);
	return step_done(st);
}

int meeting_cancel(db *d, const struct actor *actor, int64_t meeting_id, const char *notice,
		   herr *e)
{
	struct meeting_ref m;
	bool own;
	int rc = check_text(notice, "notice", "a note telling members why it is cancelled", true,
			    MEETING_NOTICE_MAX, e);
	if (rc || (rc = tx_begin(d, &own, e)))
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_DATE, &m, e);
	if (!rc && (rc = set_status(d, meeting_id, "cancelled", notice)))
		rc = db_failed(e, rc, "cancel the meeting");
	if (!rc && (rc = refresh_next_meeting(d, m.group_id, time_now_ms(), 0)))
		rc = db_failed(e, rc, "cancel the meeting");
	return tx_end(d, own, rc, e);
}

int meeting_restore(db *d, const struct actor *actor, int64_t meeting_id, const char *notice,
		    herr *e)
{
	struct meeting_ref m;
	bool own;
	int rc = check_text(notice, "notice", "the note for members", false, MEETING_NOTICE_MAX, e);
	if (rc || (rc = tx_begin(d, &own, e)))
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_RESTORE, &m, e);
	if (!rc && (rc = set_status(d, meeting_id, "scheduled", blank(notice) ? NULL : notice)))
		rc = db_failed(e, rc, "restore the meeting");
	if (!rc && (rc = refresh_next_meeting(d, m.group_id, time_now_ms(), 0)))
		rc = db_failed(e, rc, "restore the meeting");
	return tx_end(d, own, rc, e);
}

/* Local date + time in the network's zone to UTC ms; errors name the date
 * and time fields. */
static int local_start(db *d, const char *date, const char *date_field, const char *time,
		       const char *time_field, int64_t *ret_ms, herr *e)
{
	int rc = schedule_check_date(date, date_field, e);
	if (!rc) rc = schedule_check_clock(time, time_field, e);
	if (rc)
		return rc;
	char zone[ZONE_CHARS], local[32];
	network_zone(d, zone);
	snprintf(local, sizeof local, "%.10sT%.5s", date, time);
	rc = schedule_local_to_utc(local, zone, ret_ms, e);
	if (rc && e)
		e->field = date_field;
	return rc;
}

int meeting_move(db *d, const struct actor *actor, int64_t meeting_id, const char *date,
		 const char *time, const char *notice, herr *e)
{
	struct meeting_ref m;
	int64_t starts;
	bool own;
	int rc = local_start(d, date, "date", time, "time", &starts, e);
	if (!rc) rc = check_text(notice, "notice", "a note telling members about the move", true,
				 MEETING_NOTICE_MAX, e);
	if (!rc && starts <= time_now_ms())
		rc = herr_set(e, ERR_INVALID, "date",
			      "Choose a new date and time that is still to come.");
	if (rc || (rc = tx_begin(d, &own, e)))
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_DATE, &m, e);
	if (!rc && starts == m.starts_at)
		rc = herr_set(e, ERR_INVALID, "date",
			      "The meeting is already at that date and time; choose another.");
	if (!rc) {
		db_stmt *st = db_prepare(d,
			"UPDATE meeting SET moved_from = COALESCE(moved_from, starts_at), "
			"starts_at = ?, ends_at = ?, notice = ?, updated_at = ? WHERE id = ?");
		if (!st)
			rc = ERR_DB;
		else {
			db_bind_int64(st, 1, starts);
			db_bind_int64(st, 2, starts + (m.ends_at - m.starts_at));
			db_bind_text(st, 3, notice);
			db_bind_int64(st, 4, time_now_ms());
			db_bind_int64(st, 5, meeting_id);
			rc = step_done(st);
		}
		if (!rc)
			rc = refresh_next_meeting(d, m.group_id, time_now_ms(), 0);
		if (rc)
			rc = db_failed(e, rc, "move the meeting");
	}
	return tx_end(d, own, rc, e);
}

static int check_one_off(db *d, const struct meeting_new *in, int64_t *ret_start,
			 int64_t *ret_end, herr *e)
{
	int64_t starts, ends;
	int rc = local_start(d, in->date, "date", in->start_time, "start_time", &starts, e);
	if (!rc) rc = schedule_check_clock(in->end_time, "end_time", e);
	if (rc)
		return rc;
	if (strcmp(in->end_time, in->start_time) <= 0)
		return herr_set(e, ERR_INVALID, "end_time",
				"The end time must be after the start time (%s).", in->start_time);
	if ((rc = local_start(d, in->date, "date", in->end_time, "end_time", &ends, e)))
		return rc;
	char zone[ZONE_CHARS], today[16];
	network_zone(d, zone);
	if (schedule_format_local(time_now_ms(), zone, "%Y-%m-%d", today, sizeof today))
		return herr_set(e, ERR_INTERNAL, NULL, "Could not work out today's date.");
	if (strcmp(in->date, today) < 0)
		return herr_set(e, ERR_INVALID, "date",
				"Choose today or a later date; a meeting cannot be added in the past.");
	if (ends - starts < 15 * 60000)
		return herr_set(e, ERR_INVALID, "end_time", "A meeting lasts at least 15 minutes.");
	*ret_start = starts;
	*ret_end = ends;
	return check_text(in->notice, "notice", "the note for members", false, MEETING_NOTICE_MAX, e);
}

int meeting_add_one_off(db *d, const struct actor *actor, int64_t group_id,
			const struct meeting_new *in, int64_t *ret_id, herr *e)
{
	struct standing st;
	int64_t starts = 0, ends = 0, id = id_new(), now = time_now_ms();
	bool own;
	int rc = check_one_off(d, in, &starts, &ends, e);
	if (rc || (rc = tx_begin(d, &own, e)))
		return rc;
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc) {
		db_stmt *ins = db_prepare(d,
			"INSERT INTO meeting (id, group_id, occurrence_key, kind, status, starts_at, "
			"ends_at, notice, created_at, updated_at) "
			"VALUES (?, ?, NULL, 'one_off', 'scheduled', ?, ?, ?, ?, ?)");
		if (!ins)
			rc = ERR_DB;
		else {
			db_bind_int64(ins, 1, id);
			db_bind_int64(ins, 2, group_id);
			db_bind_int64(ins, 3, starts);
			db_bind_int64(ins, 4, ends);
			db_bind_text(ins, 5, blank(in->notice) ? NULL : in->notice);
			db_bind_int64(ins, 6, now);
			db_bind_int64(ins, 7, now);
			rc = step_done(ins);
		}
		if (!rc)
			rc = refresh_next_meeting(d, group_id, now, 0);
		if (rc)
			rc = db_failed(e, rc, "add the meeting");
	}
	rc = tx_end(d, own, rc, e);
	if (!rc)
		*ret_id = id;
	return rc;
}

static bool valid_status(const char *s)
{
	return s && (!strcmp(s, "present") || !strcmp(s, "apologies") || !strcmp(s, "absent"));
}

/* Checks one line of attendance against the group and the meeting. */
static int check_attendee(db *d, const struct meeting_ref *m, const struct attendance_in *a,
			  int64_t now, herr *e)
{
	const char *field = a->field ? a->field : "attendance";
	char name[96], recorded[16];
	if (!valid_status(a->status))
		return herr_set(e, ERR_INVALID, field,
				"Choose present, apologies or absent for each person.");
	if (!person_exists(d, a->person_id))
		return herr_set(e, ERR_INVALID, field,
				"There is no person with the id %lld.", (long long)a->person_id);
	attendance_status(d, m->id, a->person_id, recorded);
	if (!recorded[0] && !membership_is_active(d, m->group_id, a->person_id)) {
		person_name(d, a->person_id, name, sizeof name);
		return herr_set(e, ERR_INVALID, field,
				"%s is not a member of this group. Add them on the group's members "
				"page first, then record their attendance.", name);
	}
	if (strcmp(a->status, "apologies") != 0 && m->starts_at > now) {
		person_name(d, a->person_id, name, sizeof name);
		return herr_set(e, ERR_CONFLICT, field,
				"The meeting has not started yet, so %s can only be recorded as "
				"giving apologies for now.", name);
	}
	if (a->newcomer && strcmp(a->status, "present") != 0) {
		person_name(d, a->person_id, name, sizeof name);
		return herr_set(e, ERR_INVALID, field,
				"%s can only be marked as new if they were present.", name);
	}
	return 0;
}

static int upsert_attendance(db *d, int64_t meeting_id, const struct attendance_in *a,
			     int64_t recorded_by, int64_t now)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO attendance (meeting_id, person_id, status, newcomer, recorded_by, "
		"recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, person_id) DO UPDATE "
		"SET status = excluded.status, newcomer = excluded.newcomer, "
		"recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, meeting_id);
	db_bind_int64(st, 2, a->person_id);
	db_bind_text(st, 3, a->status);
	db_bind_bool(st, 4, a->newcomer);
	if (recorded_by)
		db_bind_int64(st, 5, recorded_by);
	else
		db_bind_null(st, 5);
	db_bind_int64(st, 6, now);
	return step_done(st);
}

static int touch_meeting(db *d, int64_t meeting_id, int64_t now)
{
	db_stmt *st = db_prepare(d, "UPDATE meeting SET updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, meeting_id);
	return step_done(st);
}

int meeting_record_attendance(db *d, const struct actor *actor, int64_t meeting_id,
			      const struct attendance_in *in, size_t n, herr *e)
{
	struct meeting_ref m;
	int64_t now = time_now_ms();
	bool own;
	if (n == 0)
		return herr_set(e, ERR_INVALID, "attendance",
				"Choose present, apologies or absent for at least one person.");
	if (n > MEETING_ENTRIES_MAX)
		return herr_set(e, ERR_INVALID, "attendance",
				"Record at most %d people at a time.", MEETING_ENTRIES_MAX);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (in[i].person_id == in[j].person_id)
				return herr_set(e, ERR_INVALID, in[i].field ? in[i].field : "attendance",
						"The same person is listed twice.");
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_RECORD, &m, e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = check_attendee(d, &m, &in[i], now, e);
	for (size_t i = 0; !rc && i < n; i++)
		if ((rc = upsert_attendance(d, meeting_id, &in[i], actor->person_id, now)))
			rc = db_failed(e, rc, "record the attendance");
	if (!rc && (rc = touch_meeting(d, meeting_id, now)))
		rc = db_failed(e, rc, "record the attendance");
	return tx_end(d, own, rc, e);
}

/* Whether person_id may be named in in: anyone, or one of its scope. */
static bool in_scope(const struct meeting_roles_in *in, int64_t person_id)
{
	bool found = in->n_scope == 0;
	for (size_t i = 0; !found && i < in->n_scope; i++)
		found = in->scope[i] == person_id;
	return found;
}

static int out_of_scope(herr *e, const char *field)
{
	return herr_set(e, ERR_BADREQ, field,
			"Someone was sent who is not on this page of the form.");
}

/* Removes the meeting's facilitators (or, with roles, its roles): all of
 * them, or those of in's scope. */
static int clear_replaced(db *d, int64_t meeting_id, const struct meeting_roles_in *in,
			  bool roles)
{
	db_stmt *del = in->n_scope == 0
		? (roles ? db_prepare(d, "DELETE FROM meeting_role WHERE meeting_id = ?")
			 : db_prepare(d, "DELETE FROM meeting_facilitator WHERE meeting_id = ?"))
		: (roles ? db_prepare(d, "DELETE FROM meeting_role WHERE meeting_id = ? "
				      "AND person_id = ?")
			 : db_prepare(d, "DELETE FROM meeting_facilitator WHERE meeting_id = ? "
				      "AND person_id = ?"));
	if (!del)
		return ERR_DB;
	int rc = 0;
	for (size_t i = 0; !rc && i < (in->n_scope ? in->n_scope : 1); i++) {
		db_bind_int64(del, 1, meeting_id);
		if (in->n_scope)
			db_bind_int64(del, 2, in->scope[i]);
		rc = step_done(del);
	}
	return rc;
}

static int replace_facilitators(db *d, const struct meeting_ref *m, const struct meeting_roles_in *in,
				herr *e)
{
	const char *field = in->facilitators_field ? in->facilitators_field : "facilitators";
	char name[96], recorded[16];
	if (in->n_facilitators > MEETING_ENTRIES_MAX)
		return herr_set(e, ERR_INVALID, field, "Too many facilitators.");
	if (in->facilitated_by_peer < -1 || in->facilitated_by_peer > 1)
		return herr_set(e, ERR_INVALID, "facilitated_by_peer",
				"Say whether a peer facilitated: yes, no or not recorded.");
	for (size_t i = 0; i < in->n_facilitators; i++) {
		int64_t pid = in->facilitators[i];
		if (!in_scope(in, pid))
			return out_of_scope(e, field);
		if (!person_exists(d, pid))
			return herr_set(e, ERR_INVALID, field,
					"There is no person with the id %lld.", (long long)pid);
		attendance_status(d, m->id, pid, recorded);
		if (!recorded[0] && !membership_is_active(d, m->group_id, pid)) {
			person_name(d, pid, name, sizeof name);
			return herr_set(e, ERR_INVALID, field,
					"%s is not a member of this group, so cannot be recorded as "
					"facilitating.", name);
		}
	}
	int rc = clear_replaced(d, m->id, in, false);
	for (size_t i = 0; !rc && i < in->n_facilitators; i++) {
		db_stmt *ins = db_prepare(d,
			"INSERT INTO meeting_facilitator (meeting_id, person_id) VALUES (?, ?) "
			"ON CONFLICT (meeting_id, person_id) DO NOTHING");
		if (!ins)
			return db_failed(e, ERR_DB, "record who facilitated");
		db_bind_int64(ins, 1, m->id);
		db_bind_int64(ins, 2, in->facilitators[i]);
		rc = step_done(ins);
	}
	if (!rc) {
		db_stmt *up = db_prepare(d,
			"UPDATE meeting SET facilitated_by_peer = ?, updated_at = ? WHERE id = ?");
		if (!up)
			return db_failed(e, ERR_DB, "record who facilitated");
		if (in->facilitated_by_peer < 0)
			db_bind_null(up, 1);
		else
			db_bind_int64(up, 1, in->facilitated_by_peer);
		db_bind_int64(up, 2, time_now_ms());
		db_bind_int64(up, 3, m->id);
		rc = step_done(up);
	}
	return rc ? db_failed(e, rc, "record who facilitated") : 0;
}

static int check_role(db *d, const struct meeting_ref *m, const struct role_in *r, herr *e)
{
	const char *field = r->field ? r->field : "roles";
	char name[96], recorded[16];
	size_t n = r->role ? strlen(r->role) : 0;
	if (n == 0)
		return herr_set(e, ERR_INVALID, field, "Enter the name of the role, such as welcomer.");
	if (!utf8_valid_text(r->role, n) || strpbrk(r->role, "\r\n\t"))
		return herr_set(e, ERR_BADREQ, field, "The role holds characters that cannot be shown.");
	if (utf8_length(r->role, n) > MEETING_ROLE_MAX)
		return herr_set(e, ERR_INVALID, field,
				"Please keep each role to %d characters or fewer.", MEETING_ROLE_MAX);
	attendance_status(d, m->id, r->person_id, recorded);
	if (strcmp(recorded, "present") != 0) {
		if (!person_exists(d, r->person_id))
			return herr_set(e, ERR_INVALID, field,
					"There is no person with the id %lld.", (long long)r->person_id);
		person_name(d, r->person_id, name, sizeof name);
		return herr_set(e, ERR_INVALID, field,
				"%s is not recorded as present at this meeting. Record their "
				"attendance first.", name);
	}
	return 0;
}

static int replace_roles(db *d, const struct meeting_ref *m, const struct meeting_roles_in *in,
			 herr *e)
{
	if (in->n_roles > MEETING_ENTRIES_MAX)
		return herr_set(e, ERR_INVALID, "roles", "Record at most %d roles.", MEETING_ENTRIES_MAX);
	int rc = 0;
	for (size_t i = 0; !rc && i < in->n_roles; i++)
		rc = in_scope(in, in->roles[i].person_id) ? check_role(d, m, &in->roles[i], e)
			: out_of_scope(e, in->roles[i].field ? in->roles[i].field : "roles");
	if (rc)
		return rc;
	rc = clear_replaced(d, m->id, in, true);
	for (size_t i = 0; !rc && i < in->n_roles; i++) {
		db_stmt *ins = db_prepare(d,
			"INSERT INTO meeting_role (meeting_id, person_id, role) VALUES (?, ?, ?) "
			"ON CONFLICT (meeting_id, person_id, role) DO NOTHING");
		if (!ins)
			return db_failed(e, ERR_DB, "record the roles");
		db_bind_int64(ins, 1, m->id);
		db_bind_int64(ins, 2, in->roles[i].person_id);
		db_bind_text(ins, 3, in->roles[i].role);
		rc = step_done(ins);
	}
	if (!rc)
		rc = touch_meeting(d, m->id, time_now_ms());
	return rc ? db_failed(e, rc, "record the roles") : 0;
}

int meeting_set_roles(db *d, const struct actor *actor, int64_t meeting_id,
		      const struct meeting_roles_in *in, herr *e)
{
	struct meeting_ref m;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_HELD, &m, e);
	if (!rc && in->set_facilitators)
		rc = replace_facilitators(d, &m, in, e);
	if (!rc && in->set_roles)
		rc = replace_roles(d, &m, in, e);
	return tx_end(d, own, rc, e);
}

int meeting_set_facilitators(db *d, const struct actor *actor, int64_t meeting_id,
			     const int64_t *person_ids, size_t n, int facilitated_by_peer,
			     herr *e)
{
	struct meeting_roles_in in = {
		.set_facilitators = true, .facilitators = person_ids, .n_facilitators = n,
		.facilitated_by_peer = facilitated_by_peer,
	};
	return meeting_set_roles(d, actor, meeting_id, &in, e);
}

int meeting_save_minutes(db *d, const struct actor *actor, int64_t meeting_id, const char *md,
			 herr *e)
{
	struct meeting_ref m;
	int64_t now = time_now_ms();
	bool own;
	size_t n = md ? strlen(md) : 0;
	if (n && !utf8_valid_text(md, n))
		return herr_set(e, ERR_BADREQ, "minutes",
				"The minutes hold characters that cannot be accepted.");
	if (n && utf8_length(md, n) > MEETING_MINUTES_MAX)
		return herr_set(e, ERR_INVALID, "minutes",
				"The minutes are %zu characters long; please keep them to %d "
				"characters or fewer.", utf8_length(md, n), MEETING_MINUTES_MAX);
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_RECORD, &m, e);
	if (!rc) {
		db_stmt *st = db_prepare(d,
			"UPDATE meeting SET minutes_md = ?, minutes_updated_at = ?, minutes_by = ?, "
			"updated_at = ? WHERE id = ?");
		if (!st)
			rc = ERR_DB;
		else {
			db_bind_text(st, 1, n ? md : NULL);
			db_bind_int64(st, 2, now);
			if (actor->person_id)
				db_bind_int64(st, 3, actor->person_id);
			else
				db_bind_null(st, 3);
			db_bind_int64(st, 4, now);
			db_bind_int64(st, 5, meeting_id);
			rc = step_done(st);
		}
		if (rc)
			rc = db_failed(e, rc, "save the minutes");
	}
	return tx_end(d, own, rc, e);
}

static int count_present(db *d, int64_t meeting_id, int *ret)
{
	db_stmt *q = db_prepare(d,
		"SELECT COUNT(*) FROM attendance WHERE meeting_id = ? AND status = 'present'");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, meeting_id);
	int rc = db_step(q);
	*ret = rc == DB_ROW ? (int)db_col_int64(q, 0) : 0;
	db_reset(q);
	return rc < 0 ? rc : 0;
}

int meeting_close(db *d, const struct actor *actor, int64_t meeting_id, int attendance_count,
		  const char *themes, herr *e)
{
	struct meeting_ref m;
	int64_t now = time_now_ms();
	bool own;
	if (attendance_count < -1 || attendance_count > MEETING_COUNT_MAX)
		return herr_set(e, ERR_INVALID, "attendance_count",
				"Enter how many people came, from 0 to %d.", MEETING_COUNT_MAX);
	int rc = check_text(themes, "themes", "the themes", false, MEETING_THEMES_MAX, e);
	if (rc || (rc = tx_begin(d, &own, e)))
		return rc;
	rc = meeting_open_for_change(d, actor, meeting_id, MEETING_CHANGE_HELD, &m, e);
	if (!rc && attendance_count < 0 && (rc = count_present(d, meeting_id, &attendance_count)))
		rc = db_failed(e, rc, "close the meeting");
	if (!rc) {
		db_stmt *st = db_prepare(d,
			"UPDATE meeting SET status = 'closed', attendance_count = ?, themes = ?, "
			"closed_at = COALESCE(closed_at, ?), updated_at = ? WHERE id = ?");
		if (!st)
			rc = ERR_DB;
		else {
			db_bind_int64(st, 1, attendance_count);
			db_bind_text(st, 2, blank(themes) ? NULL : themes);
			db_bind_int64(st, 3, now);
			db_bind_int64(st, 4, now);
			db_bind_int64(st, 5, meeting_id);
			rc = step_done(st);
		}
		if (rc)
			rc = db_failed(e, rc, "close the meeting");
	}
	return tx_end(d, own, rc, e);
}
