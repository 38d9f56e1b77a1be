/* community.c - a group's community events, connections and signposting
 * (see community.h). */
#include "community.h"

#include "network.h"
#include "resource.h"
#include "schedule.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <stdio.h>
#include <string.h>

const char *const community_connection_kinds[] = {
	"referral", "joint_activity", "visit", "speaker", "other", NULL
};
static const char *const kind_labels[] = {
	"Referral", "Joint activity", "Visit", "Speaker", "Other", NULL
};

const char *community_connection_kind_label(const char *kind)
{
	for (size_t i = 0; kind && community_connection_kinds[i]; i++)
		if (!strcmp(kind, community_connection_kinds[i]))
			return kind_labels[i];
	return NULL;
}

static size_t chars(const char *s)
{
	return s ? utf8_length(s, strlen(s)) : 0;
}

static bool given(const char *s)
{
	return s && *s;
}

static bool one_line(const char *s)
{
	return !s || !strpbrk(s, "\r\n\t");
}

static int too_long(const char *s, size_t max, const char *field, const char *label, herr *e)
{
	if (chars(s) > max)
		return herr_set(e, ERR_INVALID, field, "Please keep %s to %zu characters or fewer.", label,
				max);
	return 0;
}

int community_date_ok(const char *s)
{
	int y, m, d;
	char extra;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

static int clock_ok(const char *s)
{
	return s && strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
	       s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') < 24;
}

/* The network's local date today, "YYYY-MM-DD". */
static int today(db *d, char out[static 11])
{
	arena *a = arena_new(256);
	if (!a)
		return ERR_NOMEM;
	int rc = schedule_format_local(time_now_ms(), network_time_zone(d, a), "%Y-%m-%d", out, 11);
	arena_free(a);
	return rc ? ERR_INTERNAL : 0;
}

/* Runs a prepared write to its end. */
static int finish_write(db_stmt *st, const char *what, herr *e)
{
	int rc = st ? db_step(st) : ERR_DB;
	if (st)
		db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the %s.", what);
	return 0;
}

/* Ends the write transaction of a save: commits when rc is 0, else rolls
 * back; a failure that said nothing yet says "Could not save the <what>.". */
static int end_save(db *d, int rc, const char *what, herr *e)
{
	rc = db_finish(d, rc);
	if (rc && e && !e->message[0])
		herr_set(e, rc, NULL, "Could not save the %s.", what);
	return rc;
}

/* ---- events ----------------------------------------------------------- */

static int check_event(db *d, const struct community_event_input *in, int64_t *ret_starts, herr *e)
{
	if (!given(in->title))
		return herr_set(e, ERR_INVALID, "title", "Enter a title for the event.");
	if (!one_line(in->title))
		return herr_set(e, ERR_INVALID, "title", "The title is one line of text.");
	int rc = too_long(in->title, EVENT_TITLE_MAX, "title", "the title", e);
	if (!rc) rc = too_long(in->place, EVENT_PLACE_MAX, "place", "the place", e);
	if (!rc) rc = too_long(in->description, EVENT_DESCRIPTION_MAX, "description", "the description", e);
	if (rc)
		return rc;
	if (!community_date_ok(in->date))
		return herr_set(e, ERR_INVALID, "date",
				"Enter the event's date as year-month-day, for example 2026-12-05.");
	if (!clock_ok(in->time))
		return herr_set(e, ERR_INVALID, "time",
				"Enter the event's start time as hours:minutes, for example 14:30.");
	char local[17];
	snprintf(local, sizeof local, "%sT%s", in->date, in->time);
	arena *a = arena_new(256);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	herr ignored;
	herr_clear(&ignored);
	rc = schedule_local_to_utc(local, network_time_zone(d, a), ret_starts, &ignored);
	arena_free(a);
	if (rc)
		return herr_set(e, ERR_INVALID, "date", "The event's date and time could not be understood.");
	if (*ret_starts <= time_now_ms())
		return herr_set(e, ERR_INVALID, "date",
				"The event's date and time have passed; events are added before they happen.");
	return 0;
}

int community_event_add(db *d, const struct standing *st, int64_t person_id,
			const struct community_event_input *in, int64_t *ret_id, herr *e)
{
	int64_t starts = 0, id = id_new();
	int rc = membership_require_manager(st, e);
	if (!rc) rc = check_event(d, in, &starts, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not save the event.");
	db_stmt *s = db_prepare(d,
		"INSERT INTO community_event (id, group_id, title, starts_at, place, description, "
		"created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (s) {
		db_bind_int64(s, 1, id);
		db_bind_int64(s, 2, st->group_id);
		db_bind_text(s, 3, in->title);
		db_bind_int64(s, 4, starts);
		db_bind_text(s, 5, in->place ? in->place : "");
		db_bind_text(s, 6, in->description ? in->description : "");
		db_bind_int64(s, 7, person_id);
		db_bind_int64(s, 8, time_now_ms());
	}
	rc = end_save(d, finish_write(s, "event", e), "event", e);
	if (!rc)
		*ret_id = id;
	return rc;
}

/* ---- connections ------------------------------------------------------ */

/* Fills *ret_name with organisation id's name; ERR_INVALID when none. */
static int organisation_name(db *d, arena *a, int64_t id, const char **ret_name, herr *e)
{
	db_stmt *s = db_prepare(d, "SELECT name FROM organisation WHERE id = ?");
	if (!s)
		return herr_set(e, ERR_DB, NULL, "Could not read the organisations.");
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*ret_name = arena_strdup(a, db_col_text(s, 0));
	db_reset(s);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the organisations.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_INVALID, "organisation_id",
				"That organisation is not in the network's list; choose one from the list "
				"or write who it was with.");
	return 0;
}

static int check_connection(db *d, const struct community_connection_input *in, herr *e)
{
	if (!in->organisation_id && !given(in->with))
		return herr_set(e, ERR_INVALID, "with",
				"Say who the connection was with: choose an organisation or write a name.");
	if (in->organisation_id && given(in->with))
		return herr_set(e, ERR_INVALID, "with",
				"Choose an organisation or write who it was with, not both.");
	if (!one_line(in->with))
		return herr_set(e, ERR_INVALID, "with", "Who it was with is one line of text.");
	int rc = too_long(in->with, CONNECTION_WITH_MAX, "with", "who it was with", e);
	if (!rc) rc = too_long(in->note, CONNECTION_NOTE_MAX, "note", "the note", e);
	if (rc)
		return rc;
	if (!community_connection_kind_label(in->kind))
		return herr_set(e, ERR_INVALID, "kind",
				"Choose what kind of connection it was: referral, joint activity, visit, "
				"speaker or other.");
	if (!community_date_ok(in->date))
		return herr_set(e, ERR_INVALID, "connected_on",
				"Enter the date as year-month-day, for example 2026-11-20.");
	char now[11];
	if (today(d, now))
		return herr_set(e, ERR_INTERNAL, NULL, "Could not work out today's date.");
	if (strcmp(in->date, now) > 0)
		return herr_set(e, ERR_INVALID, "connected_on",
				"The date is in the future; record a connection once it has been made.");
	return 0;
}

int community_connection_add(db *d, const struct standing *st, int64_t person_id,
			     const struct community_connection_input *in, int64_t *ret_id, herr *e)
{
	int64_t id = id_new();
	int rc = membership_require_manager(st, e);
	if (!rc) rc = check_connection(d, in, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not save the connection.");
	arena *a = arena_new(256);
	const char *name = NULL;
	rc = !a ? herr_set(e, ERR_NOMEM, NULL, "Out of memory.")
		: in->organisation_id ? organisation_name(d, a, in->organisation_id, &name, e) : 0;
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"INSERT INTO community_connection (id, group_id, organisation_id, with_text, kind, "
			"connected_on, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
		if (s) {
			db_bind_int64(s, 1, id);
			db_bind_int64(s, 2, st->group_id);
			if (in->organisation_id)
				db_bind_int64(s, 3, in->organisation_id);
			else
				db_bind_null(s, 3);
			db_bind_text(s, 4, in->organisation_id ? "" : in->with);
			db_bind_text(s, 5, in->kind);
			db_bind_text(s, 6, in->date);
			db_bind_text(s, 7, in->note ? in->note : "");
			db_bind_int64(s, 8, person_id);
			db_bind_int64(s, 9, time_now_ms());
		}
		rc = finish_write(s, "connection", e);
	}
	arena_free(a);
	rc = end_save(d, rc, "connection", e);
	if (!rc)
		*ret_id = id;
	return rc;
}

/* ---- signposting ------------------------------------------------------ */

/* The meeting must be the group's, not cancelled, and have started. */
static int check_meeting(db *d, int64_t group_id, int64_t meeting_id, herr *e)
{
	db_stmt *s = db_prepare(d, "SELECT status, starts_at FROM meeting WHERE id = ? AND group_id = ?");
	if (!s)
		return herr_set(e, ERR_DB, NULL, "Could not read the meeting.");
	db_bind_int64(s, 1, meeting_id);
	db_bind_int64(s, 2, group_id);
	int rc = db_step(s);
	bool cancelled = rc == DB_ROW && !strcmp(db_col_text(s, 0), "cancelled");
	int64_t starts = rc == DB_ROW ? db_col_int64(s, 1) : 0;
	db_reset(s);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the meeting.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_INVALID, "meeting_id",
				"Choose one of this group's meetings from the list.");
	if (cancelled)
		return herr_set(e, ERR_INVALID, "meeting_id",
				"That meeting was cancelled; choose a meeting that took place.");
	if (starts > time_now_ms())
		return herr_set(e, ERR_INVALID, "meeting_id",
				"That meeting has not happened yet; record signposting at or after the meeting.");
	return 0;
}

int community_signpost_add(db *d, const struct standing *st, int64_t person_id,
			   const struct signpost_input *in, herr *e)
{
	int rc = membership_require_manager(st, e);
	if (rc)
		return rc;
	if (in->count < 1 || in->count > SIGNPOST_COUNT_MAX)
		return herr_set(e, ERR_INVALID, "count",
				"Enter how many people as a whole number from 1 to %d.", SIGNPOST_COUNT_MAX);
	arena *a = arena_new(256);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct resource_category c;
	if ((rc = db_begin_write(d))) {
		arena_free(a);
		return herr_set(e, rc, NULL, "Could not save the signposting.");
	}
	rc = resource_category_find(d, a, in->category, &c, e);
	if (!rc) rc = check_meeting(d, st->group_id, in->meeting_id, e);
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"INSERT INTO community_signpost (id, group_id, meeting_id, category_id, people, "
			"created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (s) {
			db_bind_int64(s, 1, id_new());
			db_bind_int64(s, 2, st->group_id);
			db_bind_int64(s, 3, in->meeting_id);
			db_bind_int64(s, 4, c.id);
			db_bind_int64(s, 5, in->count);
			db_bind_int64(s, 6, person_id);
			db_bind_int64(s, 7, time_now_ms());
		}
		rc = finish_write(s, "signposting", e);
	}
	arena_free(a);
	return end_save(d, rc, "signposting", e);
}

/* ---- reading ---------------------------------------------------------- */

/* Ends a read of rows from s into list (NULL when it could not be
 * allocated); rc is the last db_step() result. Failures say "Could not
 * read <what>.". */
static int rows_read(db_stmt *s, const void *list, int rc, const char *what, herr *e)
{
	db_reset(s);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read %s.", what);
	return 0;
}

int community_upcoming_events(db *d, arena *a, int64_t group_id, size_t max,
			      struct community_event **ret, size_t *ret_n, herr *e)
{
	if (max > COMMUNITY_LIST_MAX)
		max = COMMUNITY_LIST_MAX;
	db_stmt *s = db_prepare(d,
		"SELECT id, title, starts_at, place, description, created_at FROM community_event "
		"WHERE group_id = ? AND starts_at > ? ORDER BY starts_at, id LIMIT ?");
	if (!s)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's events.");
	db_bind_int64(s, 1, group_id);
	db_bind_int64(s, 2, time_now_ms());
	db_bind_int64(s, 3, (int64_t)max);
	struct community_event *list = arena_alloc(a, (max + 1) * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < max && (rc = db_step(s)) == DB_ROW) {
		struct community_event *x = &list[n++];
		x->id = db_col_int64(s, 0);
		x->group_id = group_id;
		x->title = arena_strdup(a, db_col_text(s, 1));
		x->starts_at = db_col_int64(s, 2);
		x->place = arena_strdup(a, db_col_text(s, 3));
		x->description = arena_strdup(a, db_col_text(s, 4));
		x->created_at = db_col_int64(s, 5);
	}
	if ((rc = rows_read(s, list, rc, "the group's events", e)))
		return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

static int read_connections(db *d, arena *a, int64_t group_id, struct community_overview *o,
			    herr *e)
{
	db_stmt *s = db_prepare(d,
		"SELECT c.id, c.organisation_id, o.name, c.with_text, c.kind, c.connected_on, c.note, "
		"c.created_at FROM community_connection c LEFT JOIN organisation o ON o.id = c.organisation_id "
		"WHERE c.group_id = ? ORDER BY c.connected_on DESC, c.created_at DESC LIMIT 200");
	if (!s)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's connections.");
	db_bind_int64(s, 1, group_id);
	struct community_connection *list = arena_alloc(a, COMMUNITY_LIST_MAX * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < COMMUNITY_LIST_MAX && (rc = db_step(s)) == DB_ROW) {
		struct community_connection *x = &list[n++];
		x->id = db_col_int64(s, 0);
		x->organisation_id = db_col_int64(s, 1);
		const char *org = db_col_text(s, 2);
		x->with = arena_strdup(a, org ? org : db_col_text(s, 3));
		x->kind = arena_strdup(a, db_col_text(s, 4));
		x->date = arena_strdup(a, db_col_text(s, 5));
		x->note = arena_strdup(a, db_col_text(s, 6));
		x->created_at = db_col_int64(s, 7);
	}
	if ((rc = rows_read(s, list, rc, "the group's connections", e)))
		return rc;
	o->connections = list;
	o->n_connections = n;
	return 0;
}

static int read_totals(db *d, arena *a, int64_t group_id, struct community_overview *o, herr *e)
{
	db_stmt *s = db_prepare(d,
		"SELECT c.slug, c.name, SUM(p.people) FROM community_signpost p "
		"JOIN resource_category c ON c.id = p.category_id WHERE p.group_id = ? "
		"GROUP BY c.id, c.slug, c.name, c.position ORDER BY c.position, c.id");
	if (!s)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's signposting.");
	db_bind_int64(s, 1, group_id);
	struct signpost_total *list = arena_alloc(a, 64 * sizeof *list);
	size_t n = 0;
	int rc = 0;
	o->people_signposted = 0;
	while (list && n < 64 && (rc = db_step(s)) == DB_ROW) {
		list[n].category_slug = arena_strdup(a, db_col_text(s, 0));
		list[n].category_name = arena_strdup(a, db_col_text(s, 1));
		list[n].people = db_col_int64(s, 2);
		o->people_signposted += list[n].people;
		n++;
	}
	if ((rc = rows_read(s, list, rc, "the group's signposting", e)))
		return rc;
	o->totals = list;
	o->n_totals = n;
	return 0;
}

int community_overview_get(db *d, arena *a, const struct standing *st,
			   struct community_overview *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	int rc = membership_require_member(st, e);
	if (!rc) rc = community_upcoming_events(d, a, st->group_id, COMMUNITY_LIST_MAX, &ret->events,
						&ret->n_events, e);
	if (!rc) rc = read_connections(d, a, st->group_id, ret, e);
	if (!rc) rc = read_totals(d, a, st->group_id, ret, e);
	return rc;
}

int community_signpost_meetings(db *d, arena *a, int64_t group_id, size_t max,
				struct community_meeting **ret, size_t *ret_n, herr *e)
{
	if (max > COMMUNITY_LIST_MAX)
		max = COMMUNITY_LIST_MAX;
	db_stmt *s = db_prepare(d,
		"SELECT id, starts_at FROM meeting WHERE group_id = ? AND starts_at <= ? "
		"AND status <> 'cancelled' ORDER BY starts_at DESC, id LIMIT ?");
	if (!s)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's meetings.");
	db_bind_int64(s, 1, group_id);
	db_bind_int64(s, 2, time_now_ms());
	db_bind_int64(s, 3, (int64_t)max);
	struct community_meeting *list = arena_alloc(a, (max + 1) * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < max && (rc = db_step(s)) == DB_ROW) {
		list[n].id = db_col_int64(s, 0);
		list[n].starts_at = db_col_int64(s, 1);
		n++;
	}
	if ((rc = rows_read(s, list, rc, "the group's meetings", e)))
		return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}
