/* checkin.c - offerings, what is due, and answering check-ins (see
 * checkin.h). */
#include "checkin.h"

#include "access_log.h"
#include "consent.h"

#include "../base/ids.h"

#include <string.h>

/* ---- offerings -------------------------------------------------------- */

static int offering_meetings(db *d, arena *a, struct checkin_offering *o, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM checkin_offering_meeting WHERE offering_id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	db_bind_int64(st, 1, o->id);
	size_t n = db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	db_reset(st);
	o->meeting_ids = arena_alloc(a, (n ? n : 1) * sizeof *o->meeting_ids);
	o->n_meetings = 0;
	st = db_prepare(d, "SELECT m.meeting_id FROM checkin_offering_meeting m JOIN meeting g "
			   "ON g.id = m.meeting_id WHERE m.offering_id = ? ORDER BY g.starts_at");
	if (!st || !o->meeting_ids)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	db_bind_int64(st, 1, o->id);
	while (o->n_meetings < n && db_step(st) == DB_ROW)
		o->meeting_ids[o->n_meetings++] = db_col_int64(st, 0);
	db_reset(st);
	return 0;
}

int checkin_offerings(db *d, arena *a, int64_t group_id, struct checkin_offering **ret,
		      size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM checkin_offering WHERE group_id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	db_bind_int64(st, 1, group_id);
	size_t cap = db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	db_reset(st);
	struct checkin_offering *list = arena_alloc(a, (cap ? cap : 1) * sizeof *list);
	st = db_prepare(d, "SELECT id, instrument_id, at_joining, every_weeks FROM checkin_offering "
			   "WHERE group_id = ? ORDER BY instrument_id");
	if (!st || !list)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	db_bind_int64(st, 1, group_id);
	size_t n = 0;
	int rc = 0;
	while (n < cap && (rc = db_step(st)) == DB_ROW) {
		struct checkin_offering *o = &list[n++];
		o->id = db_col_int64(st, 0);
		o->group_id = group_id;
		o->instrument_id = arena_strdup(a, db_col_text(st, 1));
		o->in = instrument_find(o->instrument_id);
		o->at_joining = db_col_bool(st, 2);
		o->every_weeks = (int)db_col_int64(st, 3);
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group's check-ins.");
	for (size_t i = 0; i < n; i++)
		if ((rc = offering_meetings(d, a, &list[i], e)))
			return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

static int64_t offering_id(db *d, int64_t group_id, const char *instrument_id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM checkin_offering WHERE group_id = ? AND instrument_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	db_bind_text(st, 2, instrument_id);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : rc < 0 ? rc : 0;
	db_reset(st);
	return id;
}

static int step_write(db_stmt *st)
{
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Ends a write to the group's offerings: commits when rc is 0. */
static int offering_write_done(db *d, int rc, herr *e)
{
	rc = db_finish(d, rc);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the group's check-ins.");
	return 0;
}

/* A manager's offering of instrument_id in st's group: its id in ret_id,
 * else ERR_NOTFOUND (field "instrument"). */
static int managed_offering(db *d, const struct standing *st, const char *instrument_id,
			    int64_t *ret_id, herr *e)
{
	int rc = membership_require_manager(st, e);
	if (rc)
		return rc;
	int64_t id = offering_id(d, st->group_id, instrument_id);
	if (id < 0)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	if (id == 0)
		return herr_set(e, ERR_NOTFOUND, "instrument", "The group does not offer this questionnaire.");
	*ret_id = id;
	return 0;
}

int checkin_offering_set(db *d, const struct standing *st, const char *instrument_id,
			 bool at_joining, int every_weeks, herr *e)
{
	int rc = membership_require_manager(st, e);
	if (rc)
		return rc;
	if (!instrument_id || !instrument_find(instrument_id))
		return herr_set(e, ERR_INVALID, "instrument",
				"Choose one of the network's questionnaires; \"%.60s\" is not one of them.",
				instrument_id ? instrument_id : "");
	if (every_weeks < 0 || every_weeks > CHECKIN_MAX_EVERY_WEEKS)
		return herr_set(e, ERR_INVALID, "every_weeks",
				"Enter how many weeks between check-ins as a whole number from 0 (none) "
				"to %d.", CHECKIN_MAX_EVERY_WEEKS);
	int64_t now = time_now_ms();
	rc = db_begin_write(d);
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"INSERT INTO checkin_offering (id, group_id, instrument_id, at_joining, every_weeks, "
			"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
			"ON CONFLICT (group_id, instrument_id) DO UPDATE SET at_joining = excluded.at_joining, "
			"every_weeks = excluded.every_weeks, updated_at = excluded.updated_at");
		if (s) {
			db_bind_int64(s, 1, id_new());
			db_bind_int64(s, 2, st->group_id);
			db_bind_text(s, 3, instrument_id);
			db_bind_bool(s, 4, at_joining);
			db_bind_int64(s, 5, every_weeks);
			db_bind_int64(s, 6, now);
			db_bind_int64(s, 7, now);
		}
		rc = step_write(s);
	}
	return offering_write_done(d, rc, e);
}

int checkin_offering_remove(db *d, const struct standing *st, const char *instrument_id, herr *e)
{
	int64_t id;
	int rc = managed_offering(d, st, instrument_id, &id, e);
	if (rc)
		return rc;
	rc = db_begin_write(d);
	if (!rc) {
		db_stmt *s = db_prepare(d, "DELETE FROM checkin_offering WHERE id = ?");
		if (s)
			db_bind_int64(s, 1, id);
		rc = step_write(s);
	}
	return offering_write_done(d, rc, e);
}

static bool meeting_of_group(db *d, int64_t meeting_id, int64_t group_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM meeting WHERE id = ? AND group_id = ?");
	if (!st)
		return false;
	db_bind_int64(st, 1, meeting_id);
	db_bind_int64(st, 2, group_id);
	bool yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
}

int checkin_offering_choose_meeting(db *d, const struct standing *st, const char *instrument_id,
				    int64_t meeting_id, bool chosen, herr *e)
{
	int64_t id;
	int rc = managed_offering(d, st, instrument_id, &id, e);
	if (rc)
		return rc;
	if (!meeting_of_group(d, meeting_id, st->group_id))
		return herr_set(e, ERR_INVALID, "meeting_id", "Choose one of this group's meetings.");
	rc = db_begin_write(d);
	if (!rc) {
		db_stmt *s = chosen
			? db_prepare(d, "INSERT INTO checkin_offering_meeting (offering_id, meeting_id) "
					"VALUES (?, ?) ON CONFLICT (offering_id, meeting_id) DO NOTHING")
			: db_prepare(d, "DELETE FROM checkin_offering_meeting WHERE offering_id = ? "
					"AND meeting_id = ?");
		if (s) {
			db_bind_int64(s, 1, id);
			db_bind_int64(s, 2, meeting_id);
		}
		rc = step_write(s);
	}
	return offering_write_done(d, rc, e);
}

/* ---- what is due ---------------------------------------------------------- */

enum checkin_due_reason checkin_due_rule(bool at_joining, int every_weeks, int64_t last_done,
					 bool half_done, const int64_t *meeting_starts,
					 size_t n_meetings, int64_t now)
{
	if (half_done)
		return CHECKIN_DUE_CONTINUE;
	if (!last_done)
		return at_joining ? CHECKIN_DUE_BASELINE : CHECKIN_NOT_DUE;
	if (every_weeks > 0 && now >= last_done + every_weeks * CHECKIN_WEEK_MS)
		return CHECKIN_DUE_INTERVAL;
	for (size_t i = 0; i < n_meetings; i++)
		if (meeting_starts[i] > last_done && meeting_starts[i] <= now &&
		    now <= meeting_starts[i] + CHECKIN_MEETING_WINDOW_MS)
			return CHECKIN_DUE_MEETING;
	/* Not at joining: the first is asked at a chosen meeting or, on a
	 * cycle, straight away. */
	return CHECKIN_NOT_DUE;
}

const char *checkin_due_text(enum checkin_due_reason why)
{
	switch (why) {
	case CHECKIN_DUE_BASELINE: return "Your first check-in";
	case CHECKIN_DUE_CONTINUE: return "You started this one: carry on when you like";
	case CHECKIN_DUE_INTERVAL: return "Time for your regular check-in";
	case CHECKIN_DUE_MEETING: return "Your group asked for a check-in around its recent meeting";
	default: return "";
	}
}

/* When person_id last finished or skipped instrument_id in group_id (0:
 * never), and whether one is half-done. */
static int last_checkin(db *d, int64_t person_id, int64_t group_id, const char *instrument_id,
			int64_t *ret_last, bool *ret_half_done)
{
	db_stmt *st = db_prepare(d,
		"SELECT MAX(COALESCE(finished_at, skipped_at)), "
		"SUM(CASE WHEN finished_at IS NULL AND skipped_at IS NULL THEN 1 ELSE 0 END) "
		"FROM checkin WHERE person_id = ? AND group_id = ? AND instrument_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	db_bind_int64(st, 2, group_id);
	db_bind_text(st, 3, instrument_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*ret_last = db_col_int64(st, 0);
		*ret_half_done = db_col_int64(st, 1) > 0;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int64_t *meeting_starts(db *d, arena *a, const struct checkin_offering *o)
{
	int64_t *starts = arena_alloc(a, (o->n_meetings ? o->n_meetings : 1) * sizeof *starts);
	db_stmt *st = db_prepare(d, "SELECT starts_at FROM meeting WHERE id = ?");
	for (size_t i = 0; starts && st && i < o->n_meetings; i++) {
		db_bind_int64(st, 1, o->meeting_ids[i]);
		starts[i] = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
		db_reset(st);
	}
	return starts;
}

/* Adds what is due in one group to list (room for n_offerings more). */
static int due_in_group(db *d, arena *a, int64_t person_id, int64_t now, const struct my_membership *m,
			struct checkin_due *list, size_t *n, herr *e)
{
	struct checkin_offering *offers;
	size_t no;
	int rc = checkin_offerings(d, a, m->group_id, &offers, &no, e);
	for (size_t i = 0; !rc && i < no; i++) {
		if (!offers[i].in)
			continue;
		int64_t last = 0;
		bool half = false;
		if (last_checkin(d, person_id, m->group_id, offers[i].instrument_id, &last, &half))
			return herr_set(e, ERR_DB, NULL, "Could not read your check-ins.");
		enum checkin_due_reason why = checkin_due_rule(offers[i].at_joining, offers[i].every_weeks,
			last, half, meeting_starts(d, a, &offers[i]), offers[i].n_meetings, now);
		if (why != CHECKIN_NOT_DUE)
			list[(*n)++] = (struct checkin_due){ m->group_id, m->group_name, offers[i].in, why };
	}
	return rc;
}

int checkin_due_for_person(db *d, arena *a, int64_t person_id, int64_t now,
			   struct checkin_due **ret, size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	struct consent c;
	int rc = consent_get(d, person_id, &c, e);
	if (rc || !c.take_part)
		return rc;
	struct my_membership *mine;
	size_t nm;
	if ((rc = membership_list_mine(d, a, person_id, &mine, &nm, e)))
		return rc;
	size_t ninst;
	instrument_all(&ninst);
	struct checkin_due *list = arena_alloc(a, (nm * ninst + 1) * sizeof *list);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	size_t n = 0;
	for (size_t i = 0; !rc && i < nm; i++)
		if (mine[i].status == MEMBER_ACTIVE)
			rc = due_in_group(d, a, person_id, now, &mine[i], list, &n, e);
	if (rc)
		return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

/* ---- answering ----------------------------------------------------------- */

static int check_answers(const struct instrument *in, const int *answers, size_t n_answers,
			 enum checkin_action action, herr *e)
{
	if (n_answers != in->n_items)
		return herr_set(e, ERR_INTERNAL, NULL, "The answers do not match the questionnaire.");
	if (action == CHECKIN_SKIP)
		return 0;
	size_t given = 0;
	for (size_t i = 0; i < in->n_items; i++) {
		if (answers[i] == INSTRUMENT_MISSING)
			continue;
		if (!instrument_value_allowed(&in->items[i], answers[i]))
			return herr_set(e, ERR_INVALID, in->items[i].id,
					"Question %zu (\"%s\"): choose one of the answers given.", i + 1,
					in->items[i].id);
		given++;
	}
	if (action == CHECKIN_FINISH && given == 0)
		return herr_set(e, ERR_INVALID, NULL,
				"Answer at least one question to finish, or choose \"Skip this time\".");
	return 0;
}

/* The half-done check-in's id, 0 for none, or a negative ERR_*. */
static int64_t open_checkin(db *d, int64_t person_id, int64_t group_id, const char *instrument_id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM checkin WHERE person_id = ? AND group_id = ? AND "
				    "instrument_id = ? AND finished_at IS NULL AND skipped_at IS NULL "
				    "ORDER BY started_at DESC LIMIT 1");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, person_id);
	db_bind_int64(st, 2, group_id);
	db_bind_text(st, 3, instrument_id);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : rc < 0 ? rc : 0;
	db_reset(st);
	return id;
}

static int store_answers(db *d, int64_t checkin_id, const struct instrument *in, const int *answers)
{
	db_stmt *st = db_prepare(d, "DELETE FROM checkin_answer WHERE checkin_id = ?");
	if (st)
		db_bind_int64(st, 1, checkin_id);
	int rc = step_write(st);
	for (size_t i = 0; !rc && i < in->n_items; i++) {
		if (answers[i] == INSTRUMENT_MISSING)
			continue;
		st = db_prepare(d, "INSERT INTO checkin_answer (checkin_id, item_id, value) VALUES (?, ?, ?)");
		if (st) {
			db_bind_int64(st, 1, checkin_id);
			db_bind_text(st, 2, in->items[i].id);
			db_bind_int64(st, 3, answers[i]);
		}
		rc = step_write(st);
	}
	return rc;
}

static int write_checkin(db *d, int64_t person_id, int64_t group_id, const struct instrument *in,
			 const int *answers, enum checkin_action action, int64_t *ret_id)
{
	int64_t now = time_now_ms();
	int64_t id = open_checkin(d, person_id, group_id, in->id);
	if (id < 0)
		return (int)id;
	db_stmt *st;
	if (!id) {
		id = id_new();
		st = db_prepare(d, "INSERT INTO checkin (id, person_id, group_id, instrument_id, started_at, "
				   "updated_at) VALUES (?, ?, ?, ?, ?, ?)");
		if (st) {
			db_bind_int64(st, 1, id);
			db_bind_int64(st, 2, person_id);
			db_bind_int64(st, 3, group_id);
			db_bind_text(st, 4, in->id);
			db_bind_int64(st, 5, now);
			db_bind_int64(st, 6, now);
		}
		int rc = step_write(st);
		if (rc)
			return rc;
	}
	int rc;
	if (action == CHECKIN_SKIP) {
		st = db_prepare(d, "DELETE FROM checkin_answer WHERE checkin_id = ?");
		if (st)
			db_bind_int64(st, 1, id);
		rc = step_write(st);
	} else {
		rc = store_answers(d, id, in, answers);
	}
	if (rc)
		return rc;
	st = db_prepare(d, "UPDATE checkin SET updated_at = ?, finished_at = ?, skipped_at = ? WHERE id = ?");
	if (st) {
		db_bind_int64(st, 1, now);
		if (action == CHECKIN_FINISH)
			db_bind_int64(st, 2, now);
		else
			db_bind_null(st, 2);
		if (action == CHECKIN_SKIP)
			db_bind_int64(st, 3, now);
		else
			db_bind_null(st, 3);
		db_bind_int64(st, 4, id);
	}
	rc = step_write(st);
	if (!rc)
		*ret_id = id;
	return rc;
}

int checkin_submit(db *d, const struct standing *st, const struct actor *actor,
		   const char *instrument_id, const int *answers, size_t n_answers,
		   enum checkin_action action, int64_t *ret_id, herr *e)
{
	if (!st->is_member)
		return herr_set(e, ERR_DENIED, NULL, "Check-ins are for the group's members.");
	if (st->is_closed)
		return herr_set(e, ERR_CONFLICT, NULL, "This group is closed, so it asks no check-ins.");
	struct consent c;
	int rc = consent_get(d, actor->person_id, &c, e);
	if (!rc) rc = consent_require_taking_part(&c, e);
	if (rc)
		return rc;
	const struct instrument *in = instrument_id ? instrument_find(instrument_id) : NULL;
	int64_t offered = in ? offering_id(d, st->group_id, in->id) : 0;
	if (offered < 0)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	if (!offered)
		return herr_set(e, ERR_INVALID, "instrument",
				"This group does not offer that questionnaire.");
	if ((rc = check_answers(in, answers, n_answers, action, e)))
		return rc;
	rc = db_begin_write(d);
	if (!rc)
		rc = write_checkin(d, actor->person_id, st->group_id, in, answers, action, ret_id);
	rc = db_finish(d, rc);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save your check-in.");
	return 0;
}

size_t checkin_item_index(const struct instrument *in, const char *item_id)
{
	for (size_t i = 0; item_id && i < in->n_items; i++)
		if (!strcmp(in->items[i].id, item_id))
			return i;
	return (size_t)-1;
}

/* Reads statement rows of (item_id, value) into answers. */
static int read_answers(db *d, int64_t checkin_id, const struct instrument *in, int *answers)
{
	for (size_t i = 0; i < in->n_items; i++)
		answers[i] = INSTRUMENT_MISSING;
	db_stmt *st = db_prepare(d, "SELECT item_id, value FROM checkin_answer WHERE checkin_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, checkin_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		size_t k = checkin_item_index(in, db_col_text(st, 0));
		if (k != (size_t)-1)
			answers[k] = (int)db_col_int64(st, 1);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int checkin_open_answers(db *d, int64_t person_id, int64_t group_id,
			 const struct instrument *in, int *answers, int64_t *ret_id, herr *e)
{
	for (size_t i = 0; i < in->n_items; i++)
		answers[i] = INSTRUMENT_MISSING;
	int64_t id = open_checkin(d, person_id, group_id, in->id);
	int rc = id < 0 ? (int)id : id ? read_answers(d, id, in, answers) : 0;
	if (rc)
		return herr_set(e, rc, NULL, "Could not read your check-in.");
	*ret_id = id;
	return 0;
}

int checkin_list_finished(db *d, arena *a, int64_t person_id, int64_t group_id,
			  struct checkin_record **ret, size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM checkin WHERE person_id = ? AND finished_at IS NOT NULL");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the check-ins.");
	db_bind_int64(st, 1, person_id);
	size_t cap = db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	db_reset(st);
	struct checkin_record *list = arena_alloc(a, (cap ? cap : 1) * sizeof *list);
	st = db_prepare(d, "SELECT c.id, c.group_id, g.name, c.instrument_id, c.finished_at FROM checkin c "
			   "JOIN peer_group g ON g.id = c.group_id WHERE c.person_id = ? "
			   "AND c.finished_at IS NOT NULL ORDER BY c.instrument_id, c.finished_at, c.id");
	if (!st || !list)
		return herr_set(e, ERR_DB, NULL, "Could not read the check-ins.");
	db_bind_int64(st, 1, person_id);
	size_t n = 0;
	int rc = 0;
	while (n < cap && (rc = db_step(st)) == DB_ROW) {
		const struct instrument *in = instrument_find(db_col_text(st, 3));
		if (!in || (group_id && db_col_int64(st, 1) != group_id))
			continue;
		list[n++] = (struct checkin_record){
			.id = db_col_int64(st, 0), .group_id = db_col_int64(st, 1),
			.group_name = arena_strdup(a, db_col_text(st, 2)), .in = in,
			.finished_at = db_col_int64(st, 4),
		};
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the check-ins.");
	for (size_t i = 0; i < n; i++) {
		struct checkin_record *c = &list[i];
		c->answers = arena_alloc(a, c->in->n_items * sizeof *c->answers);
		c->scores = arena_alloc(a, (c->in->n_scales + 1) * sizeof *c->scores);
		c->scored = arena_alloc(a, (c->in->n_scales + 1) * sizeof *c->scored);
		if (!c->answers || !c->scores || !c->scored)
			return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
		if ((rc = read_answers(d, c->id, c->in, c->answers)))
			return herr_set(e, rc, NULL, "Could not read the check-ins.");
		instrument_score(c->in, c->answers, c->scores, c->scored);
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

int checkin_read_shared(db *d, arena *a, const struct standing *st, const struct actor *actor,
			int64_t person_id, struct checkin_record **ret, size_t *ret_n, herr *e)
{
	int rc = membership_require_manager(st, e);
	if (rc && rc != ERR_CONFLICT)   /* a closed group's managers may still read */
		return rc;
	herr_clear(e);
	struct consent c;
	if ((rc = consent_get(d, person_id, &c, e)))
		return rc;
	if (!membership_is_active(d, st->group_id, person_id) || !c.take_part || !c.share_with_facilitator)
		return herr_set(e, ERR_DENIED, NULL,
				"This member has not chosen to share their check-ins with the "
				"group's facilitators, so they are theirs alone.");
	if ((rc = access_log_record(d, actor->person_id, person_id, ACCESS_WHAT_CHECKINS,
				    "A facilitator of their group read the answers they chose to share", e)))
		return rc;
	return checkin_list_finished(d, a, person_id, st->group_id, ret, ret_n, e);
}

int checkin_list_sharers(db *d, arena *a, const struct standing *st,
			 struct checkin_sharer **ret, size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	if (!st->can_manage)
		return herr_set(e, ERR_DENIED, NULL, "Only the group's facilitators can see this.");
	db_stmt *q = db_prepare(d, "SELECT COUNT(*) FROM membership m JOIN checkin_consent k ON "
				   "k.person_id = m.person_id WHERE m.group_id = ? AND m.status = 'active' "
				   "AND k.take_part = 1 AND k.share_with_facilitator = 1");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's members.");
	db_bind_int64(q, 1, st->group_id);
	size_t cap = db_step(q) == DB_ROW ? (size_t)db_col_int64(q, 0) : 0;
	db_reset(q);
	struct checkin_sharer *list = arena_alloc(a, (cap ? cap : 1) * sizeof *list);
	q = db_prepare(d, "SELECT p.id, p.display_name FROM membership m JOIN checkin_consent k ON "
			  "k.person_id = m.person_id JOIN person p ON p.id = m.person_id WHERE m.group_id = ? "
			  "AND m.status = 'active' AND k.take_part = 1 AND k.share_with_facilitator = 1 "
			  "ORDER BY p.display_name, p.id");
	if (!q || !list)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's members.");
	db_bind_int64(q, 1, st->group_id);
	size_t n = 0;
	while (n < cap && db_step(q) == DB_ROW)
		list[n++] = (struct checkin_sharer){ db_col_int64(q, 0), arena_strdup(a, db_col_text(q, 1)) };
	db_reset(q);
	*ret = list;
	*ret_n = n;
	return 0;
}
