/* checkin.c - offerings, what is due, and answering check-ins (see
 * checkin.h). */
#include "checkin.h"

#include "access_log.h"
#include "consent.h"
#include "settings.h"

#include "../base/ids.h"

#include <stdlib.h>
#include <string.h>

/* ---- offerings -------------------------------------------------------- */

/* Each list is read in one statement, grown in the arena as it goes: a
 * COUNT(*) first would be a second round trip on PostgreSQL. */
static int offering_meetings(db *d, arena *a, struct checkin_offering *o, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT m.meeting_id FROM checkin_offering_meeting m JOIN meeting g "
				    "ON g.id = m.meeting_id WHERE m.offering_id = ? ORDER BY g.starts_at");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	db_bind_int64(st, 1, o->id);
	size_t n = 0, cap = 0;
	int64_t *ids = NULL;
	int rc = 0;
	while ((ids = arena_grow(a, ids, n, &cap, sizeof *ids)) && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int64(st, 0);
	db_reset(st);
	if (!ids)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group's check-ins.");
	o->meeting_ids = ids;
	o->n_meetings = n;
	return 0;
}

int checkin_offerings(db *d, arena *a, int64_t group_id, struct checkin_offering **ret,
		      size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	db_stmt *st = db_prepare(d, "SELECT id, instrument_id, at_joining, every_weeks FROM checkin_offering "
				    "WHERE group_id = ? ORDER BY instrument_id");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's check-ins.");
	db_bind_int64(st, 1, group_id);
	size_t n = 0, cap = 0;
	struct checkin_offering *list = NULL;
	int rc = 0;
	while ((list = arena_grow(a, list, n, &cap, sizeof *list)) && (rc = db_step(st)) == DB_ROW) {
		struct checkin_offering *o = &list[n++];
		o->id = db_col_int64(st, 0);
		o->group_id = group_id;
		o->instrument_id = arena_strdup(a, db_col_text(st, 1));
		o->in = instrument_find(o->instrument_id);
		o->at_joining = db_col_bool(st, 2);
		o->every_weeks = (int)db_col_int64(st, 3);
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group's check-ins.");
	for (size_t i = 0; i < n; i++)
		if ((rc = offering_meetings(d, a, &list[i], e)))
			return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

/* Steps st once: the first column of its row as an id, 0 when there is no
 * row (or it is NULL), or a negative ERR_*. Resets st. */
static int64_t step_id(db_stmt *st)
{
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : rc < 0 ? rc : 0;
	db_reset(st);
	return id;
}

static int64_t offering_id(db *d, int64_t group_id, const char *instrument_id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM checkin_offering WHERE group_id = ? AND instrument_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	db_bind_text(st, 2, instrument_id);
	return step_id(st);
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

int checkin_due_in_groups(db *d, arena *a, int64_t person_id, int64_t now,
			  const struct my_membership *mine, size_t nm, struct checkin_due **ret,
			  size_t *ret_n, herr *e)
{
	*ret = NULL;
	*ret_n = 0;
	size_t ninst;
	instrument_all(&ninst);
	struct checkin_due *list = arena_alloc(a, (nm * ninst + 1) * sizeof *list);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; !rc && i < nm; i++)
		if (mine[i].status == MEMBER_ACTIVE)
			rc = due_in_group(d, a, person_id, now, &mine[i], list, &n, e);
	if (rc)
		return rc;
	*ret = list;
	*ret_n = n;
	return 0;
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
	return checkin_due_in_groups(d, a, person_id, now, mine, nm, ret, ret_n, e);
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
	return step_id(st);
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

/* True for a pair whose person's consent lets it count in the network's
 * figures (checkin_pair.counts_in_network; migration 0017 keeps it so as
 * the consent changes): the one place the program writes the rule. */
#define CONSENTS_TO_NETWORK(person) \
	"EXISTS (SELECT 1 FROM checkin_consent k WHERE k.person_id = " person " AND " \
	"k.take_part = 1 AND k.network_reports = 1)"

/* Takes a finished check-in's score on one scale (scored false: none) into
 * the person's pair for the group (table checkin_pair): the first score
 * becomes the baseline, a later one the latest. Check-ins must come in the
 * order they were finished. */
static int note_pair(db *d, int64_t checkin_id, int64_t person_id, int64_t group_id,
		     int64_t finished_at, const char *instrument_id, const char *scale_id,
		     bool scored, double score)
{
	/* SET's right-hand sides all read the row as it was. A new pair
	 * counts in the network's figures as its person's consent says; the
	 * consent's triggers keep that in step afterwards (migration 0017). */
	db_stmt *st = db_prepare(d,
		"INSERT INTO checkin_pair (person_id, group_id, instrument_id, scale_id, first_checkin_id, "
		"first_score, latest_at, counts_in_network) VALUES (?, ?, ?, ?, ?, ?, ?, "
		"CASE WHEN " CONSENTS_TO_NETWORK("?") " THEN 1 ELSE 0 END) "
		"ON CONFLICT (person_id, group_id, instrument_id, scale_id) DO UPDATE SET "
		"latest_at = excluded.latest_at, "
		"first_checkin_id = COALESCE(checkin_pair.first_checkin_id, excluded.first_checkin_id), "
		"first_score = CASE WHEN checkin_pair.first_checkin_id IS NULL THEN excluded.first_score "
		"ELSE checkin_pair.first_score END, "
		"last_checkin_id = CASE WHEN checkin_pair.first_checkin_id IS NULL OR "
		"excluded.first_checkin_id IS NULL THEN checkin_pair.last_checkin_id "
		"ELSE excluded.first_checkin_id END, "
		"last_score = CASE WHEN checkin_pair.first_checkin_id IS NULL OR "
		"excluded.first_checkin_id IS NULL THEN checkin_pair.last_score ELSE excluded.first_score END");
	if (st) {
		db_bind_int64(st, 1, person_id);
		db_bind_int64(st, 2, group_id);
		db_bind_text(st, 3, instrument_id);
		db_bind_text(st, 4, scale_id);
		if (scored) {
			db_bind_int64(st, 5, checkin_id);
			db_bind_double(st, 6, score);
		} else {
			db_bind_null(st, 5);
			db_bind_null(st, 6);
		}
		db_bind_int64(st, 7, finished_at);
		db_bind_int64(st, 8, person_id);
	}
	return step_write(st);
}

/* A finished check-in to score: its answers by item (INSTRUMENT_MISSING
 * where none). */
struct unscored {
	int64_t id, person_id, group_id, finished_at;
	const struct instrument *in;    /* NULL when its file is no longer loaded */
	int *answers;
};

/* Scores u and adds a row per scale of its instrument (score NULL where the
 * answers give none) to b, a bulk load of checkin_score; scores and scored
 * have room for the instrument's scales. */
static int add_scores(db_bulk *b, const struct unscored *u, double *scores, bool *scored)
{
	instrument_score(u->in, u->answers, scores, scored);
	int rc = 0;
	for (size_t s = 0; !rc && s < u->in->n_scales; s++) {
		db_bulk_int64(b, u->id);
		db_bulk_text(b, u->in->scales[s].id);
		db_bulk_text(b, u->in->id);
		db_bulk_int64(b, u->person_id);
		db_bulk_int64(b, u->group_id);
		db_bulk_int64(b, u->finished_at);
		if (scored[s])
			db_bulk_double(b, scores[s]);
		else
			db_bulk_null(b);
		rc = db_bulk_row_end(b);
	}
	return rc;
}

#define SCORE_COLUMNS "checkin_id, scale_id, instrument_id, person_id, group_id, finished_at, score"

/* Stores the scores of a check-in finished now, for the figures
 * (outcome.c), and takes them into the person's pairs (it is their
 * latest). */
static int finish_scores(db *d, const struct unscored *u)
{
	double *scores = malloc((u->in->n_scales + 1) * sizeof *scores);
	bool *scored = malloc((u->in->n_scales + 1) * sizeof *scored);
	db_bulk *b = scores && scored ? db_bulk_begin(d, "checkin_score", SCORE_COLUMNS) : NULL;
	int rc = b ? add_scores(b, u, scores, scored) : ERR_NOMEM;
	int sent = db_bulk_finish(b);
	if (!rc)
		rc = sent;
	for (size_t s = 0; !rc && s < u->in->n_scales; s++)
		rc = note_pair(d, u->id, u->person_id, u->group_id, u->finished_at, u->in->id,
			       u->in->scales[s].id, scored[s], scores[s]);
	free(scores);
	free(scored);
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
	if (!rc && action == CHECKIN_FINISH)
		rc = finish_scores(d, &(struct unscored){ id, person_id, group_id, now, in, (int *)answers });
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

size_t checkin_scale_index(const struct instrument *in, const char *scale_id)
{
	for (size_t s = 0; scale_id && s < in->n_scales; s++)
		if (!strcmp(in->scales[s].id, scale_id))
			return s;
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

/* ---- stored scores ---------------------------------------------------------- */

#define FILL_CHUNK 2000     /* check-ins read, scored and written per transaction */

/* The largest id among the next FILL_CHUNK finished check-ins after `after`
 * (0 when there are none). */
static int64_t fill_chunk_end(db *d, int64_t after)
{
	db_stmt *st = db_prepare(d, "SELECT MAX(id) FROM (SELECT id FROM checkin WHERE id > ? AND "
				    "finished_at IS NOT NULL ORDER BY id LIMIT 2000) AS chunk");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, after);
	return step_id(st);
}

/* Reads the finished check-ins with ids in (lo, hi] that have no stored
 * scores, with their answers, into list (room for FILL_CHUNK). */
static int read_unscored(db *d, arena *a, int64_t lo, int64_t hi, struct unscored *list, size_t *ret_n)
{
	db_stmt *st = db_prepare(d,
		"SELECT c.id, c.person_id, c.group_id, c.finished_at, c.instrument_id, a.item_id, a.value "
		"FROM checkin c JOIN checkin_answer a ON a.checkin_id = c.id WHERE c.id > ? AND c.id <= ? "
		"AND c.finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin_score s "
		"WHERE s.checkin_id = c.id) ORDER BY c.id");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, lo);
	db_bind_int64(st, 2, hi);
	size_t n = 0;
	int rc;
	struct unscored *u = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!u || u->id != db_col_int64(st, 0)) {
			if (n == FILL_CHUNK)
				break;
			u = &list[n++];
			*u = (struct unscored){ db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2),
						db_col_int64(st, 3), instrument_find(db_col_text(st, 4)), NULL };
			if (u->in && !(u->answers = arena_alloc(a, u->in->n_items * sizeof *u->answers))) {
				rc = ERR_NOMEM;
				break;
			}
			for (size_t i = 0; u->in && i < u->in->n_items; i++)
				u->answers[i] = INSTRUMENT_MISSING;
		}
		size_t k = u->in ? checkin_item_index(u->in, db_col_text(st, 5)) : (size_t)-1;
		if (k != (size_t)-1)
			u->answers[k] = (int)db_col_int64(st, 6);
	}
	db_reset(st);
	*ret_n = n;
	return rc < 0 ? rc : 0;
}

static int fill_chunk(db *d, int64_t lo, int64_t hi)
{
	arena *a = arena_new(64 * 1024);
	struct unscored *list = a ? arena_alloc(a, FILL_CHUNK * sizeof *list) : NULL;
	size_t n = 0;
	int rc = list ? db_begin_write(d) : ERR_NOMEM;
	if (!rc)
		rc = read_unscored(d, a, lo, hi, list, &n);
	db_bulk *b = rc ? NULL : db_bulk_begin(d, "checkin_score", SCORE_COLUMNS);
	if (!rc && !b)
		rc = ERR_DB;
	for (size_t i = 0; !rc && i < n; i++) {
		const struct instrument *in = list[i].in;
		double *scores = in ? arena_alloc(a, (in->n_scales + 1) * sizeof *scores) : NULL;
		bool *scored = in ? arena_alloc(a, (in->n_scales + 1) * sizeof *scored) : NULL;
		if (in && (!scores || !scored))
			rc = ERR_NOMEM;
		else if (in)
			rc = add_scores(b, &list[i], scores, scored);
	}
	int sent = db_bulk_finish(b);
	if (!rc)
		rc = sent;
	if (list)
		rc = db_finish(d, rc);
	arena_free(a);
	return rc;
}

/* The person id ending the next chunk of in's stored scores after person
 * `after` (0 when there are none). */
static int64_t pair_chunk_end(db *d, const char *instrument_id, int64_t after)
{
	db_stmt *st = db_prepare(d, "SELECT MAX(person_id) FROM (SELECT person_id FROM checkin_score "
				    "WHERE instrument_id = ? AND person_id > ? ORDER BY instrument_id, "
				    "person_id LIMIT 5000) AS chunk");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, instrument_id);
	db_bind_int64(st, 2, after);
	return step_id(st);
}

/* One person's baseline and latest on one scale in one group, while their
 * stored scores are read in the order the check-ins were finished. */
struct pair_state {
	bool seen;                  /* a check-in of the instrument was finished */
	int64_t first_id, last_id;  /* 0: none yet */
	double first, last;
};

/* Adds the pairs of (person, group) to b, a bulk load of checkin_pair. */
static int add_pairs(db_bulk *b, const struct instrument *in, int64_t person_id, int64_t group_id,
		     int64_t latest_at, const struct pair_state *ps)
{
	int rc = 0;
	for (size_t s = 0; !rc && s < in->n_scales; s++) {
		if (!ps[s].seen)
			continue;
		db_bulk_int64(b, person_id);
		db_bulk_int64(b, group_id);
		db_bulk_text(b, in->id);
		db_bulk_text(b, in->scales[s].id);
		ps[s].first_id ? db_bulk_int64(b, ps[s].first_id) : db_bulk_null(b);
		ps[s].first_id ? db_bulk_double(b, ps[s].first) : db_bulk_null(b);
		ps[s].last_id ? db_bulk_int64(b, ps[s].last_id) : db_bulk_null(b);
		ps[s].last_id ? db_bulk_double(b, ps[s].last) : db_bulk_null(b);
		db_bulk_int64(b, latest_at);
		rc = db_bulk_row_end(b);
	}
	return rc;
}

/* Marks the new pairs of the people in (lo, hi] whose consent lets them
 * count in the network's figures (as note_pair does for one pair). */
static int pairs_count_as_consented(db *d, const struct instrument *in, int64_t lo, int64_t hi)
{
	db_stmt *st = db_prepare(d, "UPDATE checkin_pair SET counts_in_network = 1 WHERE person_id > ? "
				    "AND person_id <= ? AND instrument_id = ? AND "
				    CONSENTS_TO_NETWORK("checkin_pair.person_id"));
	if (st) {
		db_bind_int64(st, 1, lo);
		db_bind_int64(st, 2, hi);
		db_bind_text(st, 3, in->id);
	}
	return step_write(st);
}

/* Makes the pairs of the people in (lo, hi] from their stored scores, read
 * in the order the check-ins were finished: per group and scale, the first
 * scored check-in is the baseline, the last later one the latest (as
 * note_pair keeps them while check-ins finish). */
static int pair_chunk(db *d, const struct instrument *in, int64_t lo, int64_t hi)
{
	struct pair_state *ps = calloc(in->n_scales + 1, sizeof *ps);
	db_stmt *st = db_prepare(d, "SELECT checkin_id, person_id, group_id, finished_at, scale_id, score "
				    "FROM checkin_score WHERE instrument_id = ? AND person_id > ? AND "
				    "person_id <= ? ORDER BY instrument_id, person_id, group_id, finished_at, "
				    "checkin_id, scale_id");
	int rc = !ps ? ERR_NOMEM : !st ? ERR_DB : db_begin_write(d);
	db_bulk *b = rc ? NULL : db_bulk_begin(d, "checkin_pair", "person_id, group_id, instrument_id, "
					       "scale_id, first_checkin_id, first_score, last_checkin_id, "
					       "last_score, latest_at");
	if (!rc && !b)
		rc = ERR_DB;
	int64_t person = 0, group = 0, latest_at = 0;
	if (!rc) {
		db_bind_text(st, 1, in->id);
		db_bind_int64(st, 2, lo);
		db_bind_int64(st, 3, hi);
		while ((rc = db_step(st)) == DB_ROW) {
			if (db_col_int64(st, 1) != person || db_col_int64(st, 2) != group) {
				if (person && (rc = add_pairs(b, in, person, group, latest_at, ps)))
					break;
				memset(ps, 0, (in->n_scales + 1) * sizeof *ps);
				person = db_col_int64(st, 1);
				group = db_col_int64(st, 2);
			}
			latest_at = db_col_int64(st, 3);
			size_t s = checkin_scale_index(in, db_col_text(st, 4));
			if (s == (size_t)-1)
				continue;
			struct pair_state *x = &ps[s];
			x->seen = true;
			if (db_col_is_null(st, 5))
				continue;
			if (!x->first_id) {
				x->first_id = db_col_int64(st, 0);
				x->first = db_col_double(st, 5);
			} else {
				x->last_id = db_col_int64(st, 0);
				x->last = db_col_double(st, 5);
			}
		}
		db_reset(st);
		rc = rc < 0 ? rc : person ? add_pairs(b, in, person, group, latest_at, ps) : 0;
	}
	int sent = db_bulk_finish(b);
	if (!rc)
		rc = sent;
	if (!rc)
		rc = pairs_count_as_consented(d, in, lo, hi);
	if (ps && st)
		rc = db_finish(d, rc);
	free(ps);
	return rc;
}

/* Makes every person's pairs afresh from the stored scores. */
static int pairs_rebuild(db *d)
{
	int rc = db_begin_write(d);
	if (!rc)
		rc = db_finish(d, db_exec(d, "DELETE FROM checkin_pair"));
	size_t ni;
	const struct instrument *const *all = instrument_all(&ni);
	for (size_t i = 0; !rc && i < ni; i++)
		for (int64_t lo = 0, hi; !rc && (hi = pair_chunk_end(d, all[i]->id, lo)) != 0; lo = hi)
			rc = hi < 0 ? (int)hi : pair_chunk(d, all[i], lo, hi);
	return rc;
}

int checkin_scores_fill(db *d, herr *e)
{
	arena *a = arena_new(128);
	const char *done = a ? settings_get(d, a, CHECKIN_SCORES_FILLED) : NULL;
	bool filled = done && !strcmp(done, "1");
	arena_free(a);
	if (filled)
		return 0;
	int rc = 0;
	for (int64_t lo = 0, hi; !rc && (hi = fill_chunk_end(d, lo)) != 0; lo = hi)
		rc = hi < 0 ? (int)hi : fill_chunk(d, lo, hi);
	if (!rc)
		rc = pairs_rebuild(d);
	if (!rc && !(rc = db_begin_write(d)))
		rc = db_finish(d, settings_set(d, CHECKIN_SCORES_FILLED, "1"));
	if (rc)
		return herr_set(e, rc, NULL, "Could not store the scores of earlier check-ins: %s",
				db_errmsg(d));
	return 0;
}
