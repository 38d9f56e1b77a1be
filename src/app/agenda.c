/* agenda.c - negotiated agendas (see agenda.h): proposing and supporting
 * items, the managers' shaping (order, time, merge, defer, agreement),
 * outcomes after the meeting, and carrying deferred items over. */
#include "agenda.h"

#include "meeting.h"
#include "membership.h"
#include "network.h"
#include "schedule.h"
#include "tx.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <stdio.h>
#include <string.h>

#define STATE_CHARS 16

/* ---- small helpers ------------------------------------------------------ */

static int db_failed(herr *e, const char *what)
{
	return herr_set(e, ERR_DB, NULL, "Could not %s; please try again.", what);
}

/* Runs a prepared write statement to its end. */
static int step_done(db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* s without the spaces, tabs and line breaks around it: *ret_n bytes from
 * the pointer returned. */
static const char *trimmed(const char *s, size_t *ret_n)
{
	if (!s)
		s = "";
	while (*s && strchr(" \t\r\n", *s))
		s++;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	*ret_n = n;
	return s;
}

/* Checks text a person typed, ignoring the blank space around it. */
static int check_text(const char *s, const char *field, const char *label, size_t max_chars,
		      herr *e)
{
	size_t n;
	s = trimmed(s, &n);
	if (n == 0)
		return herr_set(e, ERR_INVALID, field, "Enter %s.", label);
	if (!utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, field,
				"What was sent for %s holds characters that cannot be accepted.", label);
	if (utf8_length(s, n) > max_chars)
		return herr_set(e, ERR_INVALID, field,
				"Please keep %s to %zu characters or fewer.", label, max_chars);
	return 0;
}

/* ---- reading one meeting or item ---------------------------------------- */

struct meet_ref {
	int64_t id;
	int64_t group_id;
	int64_t starts_at;
	char status[STATE_CHARS];
};

static int load_meeting(db *d, int64_t meeting_id, struct meet_ref *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	db_stmt *q = db_prepare(d, "SELECT group_id, starts_at, status FROM meeting WHERE id = ?");
	if (!q)
		return db_failed(e, "read the meeting");
	db_bind_int64(q, 1, meeting_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		ret->id = meeting_id;
		ret->group_id = db_col_int64(q, 0);
		ret->starts_at = db_col_int64(q, 1);
		snprintf(ret->status, sizeof ret->status, "%s", db_col_text(q, 2) ? db_col_text(q, 2) : "");
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, "read the meeting");
	return rc == DB_ROW ? 0 : herr_set(e, ERR_NOTFOUND, NULL, "There is no such meeting.");
}

static bool meeting_upcoming(const struct meet_ref *m, int64_t now)
{
	return is(m->status, "scheduled") && m->starts_at > now;
}

/* "the meeting on Tuesday 6 January 2026 at 18:30" in the network's zone. */
static void meeting_name(db *d, const struct meet_ref *m, char *out, size_t size)
{
	char when[64] = "";
	arena *a = arena_new(256);
	const char *zone = a ? network_time_zone(d, a) : network_default_zone();
	if (schedule_format_local(m->starts_at, zone, "%A %-d %B %Y at %H:%M", when, sizeof when))
		when[0] = '\0';
	arena_free(a);
	snprintf(out, size, "the meeting on %s", when[0] ? when : "that date");
}

/* ERR_CONFLICT naming the meeting unless it is upcoming. */
static int require_upcoming(db *d, const struct meet_ref *m, const char *field, herr *e)
{
	if (meeting_upcoming(m, time_now_ms()))
		return 0;
	char name[128];
	meeting_name(d, m, name, sizeof name);
	if (is(m->status, "cancelled"))
		return herr_set(e, ERR_CONFLICT, field,
				"%s is cancelled; its agenda cannot change.", name);
	return herr_set(e, ERR_CONFLICT, field,
			"%s has already started; its agenda can no longer change.", name);
}

struct item_ref {
	int64_t id;
	int64_t meeting_id;
	int64_t group_id;
	int64_t proposer_id;
	char state[STATE_CHARS];
};

static int load_item(db *d, int64_t item_id, struct item_ref *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	db_stmt *q = db_prepare(d,
		"SELECT meeting_id, group_id, proposer_id, state FROM agenda_item WHERE id = ?");
	if (!q)
		return db_failed(e, "read the agenda item");
	db_bind_int64(q, 1, item_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		ret->id = item_id;
		ret->meeting_id = db_col_int64(q, 0);
		ret->group_id = db_col_int64(q, 1);
		ret->proposer_id = db_col_int64(q, 2);
		snprintf(ret->state, sizeof ret->state, "%s", db_col_text(q, 3) ? db_col_text(q, 3) : "");
	}
	db_reset(q);
	if (rc < 0)
		return db_failed(e, "read the agenda item");
	return rc == DB_ROW ? 0 : herr_set(e, ERR_NOTFOUND, NULL, "There is no such agenda item.");
}

/* The actor's standing in group_id, requiring a member (or manager) and,
 * for changes, a group that is not closed. */
static int require_member_of(db *d, const struct actor *actor, int64_t group_id,
			     struct standing *st, herr *e)
{
	int rc = membership_standing(d, group_id, actor, st, e);
	if (!rc) rc = membership_require_member(st, e);
	if (!rc && st->is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL, "This group is closed; its agendas no longer change.");
	return rc;
}

static int require_manager_of(db *d, const struct actor *actor, int64_t group_id, herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc && !st.can_manage && st.can_see_members)
		return herr_set(e, ERR_DENIED, NULL,
				"Only the group's facilitators, peer support workers and coordinators "
				"can shape the agenda.");
	if (!rc) rc = membership_require_manager(&st, e);
	return rc;
}

static int require_open_item(const struct item_ref *it, herr *e)
{
	if (is(it->state, "open"))
		return 0;
	return herr_set(e, ERR_CONFLICT, NULL, "This item is no longer open on the agenda (it is %s).",
			it->state);
}

/* Opens an item of an upcoming meeting for a manager's change. */
static int item_for_shaping(db *d, const struct actor *actor, int64_t item_id,
			    struct item_ref *it, struct meet_ref *m, herr *e)
{
	int rc = load_item(d, item_id, it, e);
	if (!rc) rc = require_manager_of(d, actor, it->group_id, e);
	if (!rc) rc = require_open_item(it, e);
	if (!rc) rc = load_meeting(d, it->meeting_id, m, e);
	if (!rc) rc = require_upcoming(d, m, NULL, e);
	return rc;
}

/* ---- changing the list -------------------------------------------------- */

static int unagree(db *d, int64_t meeting_id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM agenda_agreement WHERE meeting_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, meeting_id);
	return step_done(st);
}

static int next_position(db *d, int64_t meeting_id, int *ret)
{
	db_stmt *q = db_prepare(d,
		"SELECT COALESCE(MAX(position), 0) FROM agenda_item WHERE meeting_id = ?");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, meeting_id);
	int rc = db_step(q);
	*ret = rc == DB_ROW ? (int)db_col_int64(q, 0) + 1 : 1;
	db_reset(q);
	return rc < 0 ? rc : 0;
}

/* The listed items of meeting_id in order, as ids (at most AGENDA_ITEMS_MAX). */
static int listed_ids(db *d, int64_t meeting_id, int64_t *ids, size_t *n)
{
	*n = 0;
	db_stmt *q = db_prepare(d,
		"SELECT id FROM agenda_item WHERE meeting_id = ? AND state NOT IN ('withdrawn', 'merged') "
		"ORDER BY position, id");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, meeting_id);
	int rc;
	while ((rc = db_step(q)) == DB_ROW && *n < AGENDA_ITEMS_MAX)
		ids[(*n)++] = db_col_int64(q, 0);
	db_reset(q);
	return rc < 0 ? rc : 0;
}

/* Writes positions 1..n in the order of ids. */
static int write_positions(db *d, const int64_t *ids, size_t n)
{
	db_stmt *st = db_prepare(d, "UPDATE agenda_item SET position = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	int64_t now = time_now_ms();
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(st, 1, (int64_t)i + 1);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, ids[i]);
		int rc = step_done(st);
		if (rc)
			return rc;
	}
	return 0;
}

/* Puts item_id at position (1-based, clamped) among its meeting's items and
 * numbers them all again. */
static int place_item(db *d, int64_t meeting_id, int64_t item_id, int position)
{
	int64_t ids[AGENDA_ITEMS_MAX];
	size_t n;
	int rc = listed_ids(d, meeting_id, ids, &n);
	if (rc)
		return rc;
	size_t at = n;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == item_id)
			at = i;
	if (at == n)
		return 0;
	memmove(ids + at, ids + at + 1, (n - at - 1) * sizeof *ids);
	size_t to = position < 1 ? 0 : (size_t)position - 1;
	if (to > n - 1)
		to = n - 1;
	memmove(ids + to + 1, ids + to, (n - 1 - to) * sizeof *ids);
	ids[to] = item_id;
	return write_positions(d, ids, n);
}

/* item_id's place (1-based, 0 when not listed) and how many are listed. */
static int position_of(db *d, int64_t meeting_id, int64_t item_id, int *ret, size_t *ret_n)
{
	int64_t ids[AGENDA_ITEMS_MAX];
	size_t n;
	int rc = listed_ids(d, meeting_id, ids, &n);
	*ret = 0;
	*ret_n = n;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == item_id)
			*ret = (int)i + 1;
	return rc;
}

static int renumber(db *d, int64_t meeting_id)
{
	int64_t ids[AGENDA_ITEMS_MAX];
	size_t n;
	int rc = listed_ids(d, meeting_id, ids, &n);
	return rc ? rc : write_positions(d, ids, n);
}

static int set_state(db *d, int64_t item_id, const char *state, int64_t by)
{
	db_stmt *st = db_prepare(d,
		"UPDATE agenda_item SET state = ?, outcome_by = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, state);
	if (by)
		db_bind_int64(st, 2, by);
	else
		db_bind_null(st, 2);
	db_bind_int64(st, 3, time_now_ms());
	db_bind_int64(st, 4, item_id);
	return step_done(st);
}

static bool supports(db *d, int64_t item_id, int64_t person_id)
{
	db_stmt *q = db_prepare(d, "SELECT 1 FROM agenda_support WHERE item_id = ? AND person_id = ?");
	if (!q)
		return false;
	db_bind_int64(q, 1, item_id);
	db_bind_int64(q, 2, person_id);
	bool found = db_step(q) == DB_ROW;
	db_reset(q);
	return found;
}

static int add_support(db *d, int64_t item_id, int64_t person_id)
{
	if (!person_id || supports(d, item_id, person_id))
		return 0;
	db_stmt *st = db_prepare(d,
		"INSERT INTO agenda_support (item_id, person_id, created_at) VALUES (?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, item_id);
	db_bind_int64(st, 2, person_id);
	db_bind_int64(st, 3, time_now_ms());
	return step_done(st);
}

/* Copies from's supporters to to (those not already there). */
static int copy_support(db *d, int64_t from, int64_t to)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO agenda_support (item_id, person_id, created_at) "
		"SELECT CAST(? AS BIGINT), s.person_id, CAST(? AS BIGINT) FROM agenda_support s "
		"WHERE s.item_id = ? AND s.person_id NOT IN "
		"(SELECT t.person_id FROM agenda_support t WHERE t.item_id = ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, to);
	db_bind_int64(st, 2, time_now_ms());
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, to);
	return step_done(st);
}

/* ---- carry-over ---------------------------------------------------------- */

/* Items still open at a closed or cancelled meeting become deferred. */
static int defer_left_open(db *d, int64_t group_id)
{
	db_stmt *st = db_prepare(d,
		"UPDATE agenda_item SET state = 'deferred', updated_at = ? "
		"WHERE group_id = ? AND state = 'open' AND meeting_id IN "
		"(SELECT id FROM meeting WHERE group_id = ? AND status IN ('closed', 'cancelled'))");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, time_now_ms());
	db_bind_int64(st, 2, group_id);
	db_bind_int64(st, 3, group_id);
	return step_done(st);
}

/* The group's first upcoming meeting starting after after_ms, or 0. */
static int64_t next_upcoming(db *d, int64_t group_id, int64_t after_ms, int64_t now)
{
	db_stmt *q = db_prepare(d,
		"SELECT id FROM meeting WHERE group_id = ? AND status = 'scheduled' "
		"AND starts_at > ? AND starts_at > ? ORDER BY starts_at, id LIMIT 1");
	if (!q)
		return 0;
	db_bind_int64(q, 1, group_id);
	db_bind_int64(q, 2, after_ms);
	db_bind_int64(q, 3, now);
	int64_t id = db_step(q) == DB_ROW ? db_col_int64(q, 0) : 0;
	db_reset(q);
	return id;
}

/* Copies deferred item (id) to meeting `to` as a new open item. */
static int carry_one(db *d, int64_t id, int64_t to)
{
	int pos;
	int rc = next_position(d, to, &pos);
	if (rc)
		return rc;
	int64_t copy = id_new(), now = time_now_ms();
	db_stmt *st = db_prepare(d,
		"INSERT INTO agenda_item (id, meeting_id, group_id, title, why, proposer_id, "
		"proposer_was_manager, position, minutes, state, carried_from, created_at, updated_at) "
		"SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), group_id, title, why, proposer_id, "
		"proposer_was_manager, CAST(? AS BIGINT), minutes, 'open', id, CAST(? AS BIGINT), "
		"CAST(? AS BIGINT) FROM agenda_item WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, copy);
	db_bind_int64(st, 2, to);
	db_bind_int64(st, 3, pos);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, id);
	if ((rc = step_done(st)) || (rc = copy_support(d, id, copy)))
		return rc;
	st = db_prepare(d, "UPDATE agenda_item SET carried_to = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, copy);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, id);
	if ((rc = step_done(st)))
		return rc;
	return unagree(d, to);
}

static int carry_deferred(db *d, int64_t group_id, int64_t now)
{
	int64_t ids[AGENDA_ITEMS_MAX], starts[AGENDA_ITEMS_MAX];
	size_t n = 0;
	db_stmt *q = db_prepare(d,
		"SELECT i.id, m.starts_at FROM agenda_item i JOIN meeting m ON m.id = i.meeting_id "
		"WHERE i.group_id = ? AND i.state = 'deferred' AND i.carried_to IS NULL "
		"ORDER BY m.starts_at, i.position, i.id");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, group_id);
	int rc;
	while ((rc = db_step(q)) == DB_ROW && n < AGENDA_ITEMS_MAX) {
		ids[n] = db_col_int64(q, 0);
		starts[n++] = db_col_int64(q, 1);
	}
	db_reset(q);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int64_t to = next_upcoming(d, group_id, starts[i], now);
		if (to && (rc = carry_one(d, ids[i], to)))
			return rc;
	}
	return 0;
}

int agenda_carry_over(db *d, int64_t group_id, int64_t now_ms, herr *e)
{
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	if (meeting_ensure_scheduled(d, group_id, false, e) ||
	    defer_left_open(d, group_id) || carry_deferred(d, group_id, now_ms))
		rc = db_failed(e, "carry over the deferred agenda items");
	return tx_end(d, own, rc, e);
}

/* ---- reading ------------------------------------------------------------- */

static void read_item_row(db_stmt *q, arena *a, int64_t me, struct agenda_item *it)
{
	it->id = db_col_int64(q, 0);
	it->meeting_id = db_col_int64(q, 1);
	it->title = arena_strdup(a, db_col_text(q, 2));
	it->why = arena_strdup(a, db_col_text(q, 3));
	it->proposer_id = db_col_int64(q, 4);
	it->proposer_name = arena_strdup(a, db_col_text(q, 5) ? db_col_text(q, 5) : "Someone who has left");
	it->position = (int)db_col_int64(q, 6);
	it->minutes = (int)db_col_int64(q, 7);
	it->state = arena_strdup(a, db_col_text(q, 8));
	it->carried_from = db_col_int64(q, 9);
	it->carried_to = db_col_int64(q, 10);
	it->supporters = (int)db_col_int64(q, 11);
	it->i_support = db_col_int64(q, 12) > 0;
	it->is_mine = me && it->proposer_id == me;
}

#define ITEM_COLUMNS \
	"SELECT i.id, i.meeting_id, i.title, i.why, i.proposer_id, p.display_name, i.position, " \
	"i.minutes, i.state, i.carried_from, i.carried_to, " \
	"(SELECT COUNT(*) FROM agenda_support s WHERE s.item_id = i.id), " \
	"(SELECT COUNT(*) FROM agenda_support s WHERE s.item_id = i.id AND s.person_id = ?) " \
	"FROM agenda_item i LEFT JOIN person p ON p.id = i.proposer_id "

static int read_items(db *d, arena *a, int64_t me, struct agenda *ag, herr *e)
{
	db_stmt *q = db_prepare(d, ITEM_COLUMNS
		"WHERE i.meeting_id = ? AND i.state NOT IN ('withdrawn', 'merged') "
		"ORDER BY i.position, i.id");
	if (!q)
		return db_failed(e, "read the agenda");
	db_bind_int64(q, 1, me);
	db_bind_int64(q, 2, ag->meeting_id);
	ag->items = arena_alloc(a, AGENDA_ITEMS_MAX * sizeof *ag->items);
	if (!ag->items) {
		db_reset(q);
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	}
	int rc;
	while ((rc = db_step(q)) == DB_ROW && ag->n_items < AGENDA_ITEMS_MAX) {
		struct agenda_item *it = &ag->items[ag->n_items++];
		read_item_row(q, a, me, it);
		ag->total_minutes += it->minutes;
	}
	db_reset(q);
	return rc < 0 ? db_failed(e, "read the agenda") : 0;
}

static int read_agreement(db *d, arena *a, struct agenda *ag, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT g.agreed_at, p.display_name FROM agenda_agreement g "
		"LEFT JOIN person p ON p.id = g.agreed_by WHERE g.meeting_id = ?");
	if (!q)
		return db_failed(e, "read the agenda");
	db_bind_int64(q, 1, ag->meeting_id);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		ag->agreed_at = db_col_int64(q, 0);
		ag->agreed_by_name = arena_strdup(a, db_col_text(q, 1) ? db_col_text(q, 1) : "a facilitator");
	}
	db_reset(q);
	return rc < 0 ? db_failed(e, "read the agenda") : 0;
}

static int read_later(db *d, arena *a, struct agenda *ag, int64_t now, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT id, starts_at FROM meeting WHERE group_id = ? AND status = 'scheduled' "
		"AND starts_at > ? AND starts_at > ? ORDER BY starts_at, id LIMIT 12");
	if (!q)
		return db_failed(e, "read the later meetings");
	db_bind_int64(q, 1, ag->group_id);
	db_bind_int64(q, 2, ag->starts_at);
	db_bind_int64(q, 3, now);
	ag->later = arena_alloc(a, 12 * sizeof *ag->later);
	int rc;
	while (ag->later && (rc = db_step(q)) == DB_ROW && ag->n_later < 12) {
		ag->later[ag->n_later].id = db_col_int64(q, 0);
		ag->later[ag->n_later++].starts_at = db_col_int64(q, 1);
	}
	db_reset(q);
	return 0;
}

int agenda_get(db *d, arena *a, const struct actor *actor, int64_t meeting_id,
	       struct agenda *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	struct meet_ref m;
	struct standing st;
	int64_t now = time_now_ms();
	int rc = load_meeting(d, meeting_id, &m, e);
	if (!rc) rc = membership_standing(d, m.group_id, actor, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (!rc && !st.is_closed) rc = agenda_carry_over(d, m.group_id, now, e);
	if (rc)
		return rc;
	if (db_begin_read(d))
		return db_failed(e, "read the agenda");
	ret->meeting_id = meeting_id;
	ret->group_id = m.group_id;
	db_stmt *q = db_prepare(d,
		"SELECT m.starts_at, m.ends_at, m.status, g.name FROM meeting m "
		"JOIN peer_group g ON g.id = m.group_id WHERE m.id = ?");
	if (!q)
		rc = db_failed(e, "read the meeting");
	else {
		db_bind_int64(q, 1, meeting_id);
		if (db_step(q) == DB_ROW) {
			ret->starts_at = db_col_int64(q, 0);
			ret->ends_at = db_col_int64(q, 1);
			ret->meeting_status = arena_strdup(a, db_col_text(q, 2));
			ret->group_name = arena_strdup(a, db_col_text(q, 3));
		}
		db_reset(q);
	}
	if (!rc) rc = read_items(d, a, actor->person_id, ret, e);
	if (!rc) rc = read_agreement(d, a, ret, e);
	ret->has_started = ret->starts_at <= now;
	ret->is_upcoming = is(ret->meeting_status, "scheduled") && !ret->has_started;
	bool open = !st.is_closed;
	ret->can_propose = open && ret->is_upcoming;
	ret->can_manage = open && ret->is_upcoming && st.can_manage;
	ret->can_mark = open && st.can_manage && ret->has_started && !is(ret->meeting_status, "cancelled");
	if (!rc && ret->can_manage) rc = read_later(d, a, ret, now, e);
	db_rollback(d);
	return rc;
}

int agenda_item_get(db *d, arena *a, const struct actor *actor, int64_t item_id,
		    struct agenda_item *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	struct item_ref it;
	struct standing st;
	int rc = load_item(d, item_id, &it, e);
	if (!rc) rc = membership_standing(d, it.group_id, actor, &st, e);
	if (!rc) rc = membership_require_member(&st, e);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d, ITEM_COLUMNS "WHERE i.id = ?");
	if (!q)
		return db_failed(e, "read the agenda item");
	db_bind_int64(q, 1, actor->person_id);
	db_bind_int64(q, 2, item_id);
	rc = db_step(q);
	if (rc == DB_ROW)
		read_item_row(q, a, actor->person_id, ret);
	db_reset(q);
	return rc == DB_ROW ? 0 : db_failed(e, "read the agenda item");
}

/* ---- members' changes ---------------------------------------------------- */

int agenda_propose(db *d, const struct actor *actor, int64_t meeting_id, const char *title,
		   const char *why, int64_t *ret_id, herr *e)
{
	struct meet_ref m;
	struct standing st;
	bool own;
	int rc = load_meeting(d, meeting_id, &m, e);
	if (!rc) rc = require_member_of(d, actor, m.group_id, &st, e);
	if (!rc) rc = check_text(title, "title", "a title for the item", AGENDA_TITLE_MAX, e);
	if (!rc) rc = check_text(why, "why", "a few words on why the group should talk about it",
				 AGENDA_WHY_MAX, e);
	if (rc || (rc = tx_begin(d, &own, e)))
		return rc;
	rc = require_upcoming(d, &m, NULL, e);
	int pos = 0;
	if (!rc && next_position(d, meeting_id, &pos))
		rc = db_failed(e, "add the item");
	if (!rc && pos > AGENDA_ITEMS_MAX)
		rc = herr_set(e, ERR_CONFLICT, NULL, "This agenda is full (%d items).", AGENDA_ITEMS_MAX);
	int64_t id = id_new(), now = time_now_ms();
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"INSERT INTO agenda_item (id, meeting_id, group_id, title, why, proposer_id, "
			"proposer_was_manager, position, state, created_at, updated_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)");
		if (!s)
			rc = db_failed(e, "add the item");
		else {
			db_bind_int64(s, 1, id);
			db_bind_int64(s, 2, meeting_id);
			db_bind_int64(s, 3, m.group_id);
			size_t tn, wn;
			const char *t = trimmed(title, &tn), *w = trimmed(why, &wn);
			db_bind_textn(s, 4, t, tn);
			db_bind_textn(s, 5, w, wn);
			db_bind_int64(s, 6, actor->person_id);
			db_bind_bool(s, 7, st.can_manage);
			db_bind_int64(s, 8, pos);
			db_bind_int64(s, 9, now);
			db_bind_int64(s, 10, now);
			if (step_done(s) || unagree(d, meeting_id))
				rc = db_failed(e, "add the item");
		}
	}
	rc = tx_end(d, own, rc, e);
	if (!rc && ret_id)
		*ret_id = id;
	return rc;
}

int agenda_support(db *d, const struct actor *actor, int64_t item_id, bool on, herr *e)
{
	struct item_ref it;
	struct meet_ref m;
	struct standing st;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = load_item(d, item_id, &it, e);
	if (!rc) rc = require_member_of(d, actor, it.group_id, &st, e);
	if (!rc) rc = require_open_item(&it, e);
	if (!rc) rc = load_meeting(d, it.meeting_id, &m, e);
	if (!rc) rc = require_upcoming(d, &m, NULL, e);
	if (!rc && on && add_support(d, item_id, actor->person_id))
		rc = db_failed(e, "add your support");
	if (!rc && !on) {
		db_stmt *s = db_prepare(d, "DELETE FROM agenda_support WHERE item_id = ? AND person_id = ?");
		if (!s)
			rc = db_failed(e, "take back your support");
		else {
			db_bind_int64(s, 1, item_id);
			db_bind_int64(s, 2, actor->person_id);
			if (step_done(s))
				rc = db_failed(e, "take back your support");
		}
	}
	return tx_end(d, own, rc, e);
}

int agenda_withdraw(db *d, const struct actor *actor, int64_t item_id, herr *e)
{
	struct item_ref it;
	struct meet_ref m;
	struct standing st;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = load_item(d, item_id, &it, e);
	if (!rc) rc = require_member_of(d, actor, it.group_id, &st, e);
	if (!rc && (!actor->person_id || it.proposer_id != actor->person_id))
		rc = herr_set(e, ERR_DENIED, NULL, "Only the person who proposed this item can withdraw it.");
	if (!rc) rc = require_open_item(&it, e);
	if (!rc) rc = load_meeting(d, it.meeting_id, &m, e);
	if (!rc) rc = require_upcoming(d, &m, NULL, e);
	if (!rc && (set_state(d, item_id, "withdrawn", actor->person_id) ||
		    renumber(d, it.meeting_id) || unagree(d, it.meeting_id)))
		rc = db_failed(e, "withdraw the item");
	return tx_end(d, own, rc, e);
}

/* ---- managers' changes --------------------------------------------------- */

int agenda_move(db *d, const struct actor *actor, int64_t item_id, const char *direction,
		herr *e)
{
	int delta = is(direction, "up") ? -1 : is(direction, "down") ? 1 : 0;
	if (!delta)
		return herr_set(e, ERR_INVALID, "direction", "Choose whether to move the item up or down.");
	struct item_ref it;
	struct meet_ref m;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = item_for_shaping(d, actor, item_id, &it, &m, e);
	int pos = 0;
	size_t n = 0;
	if (!rc && position_of(d, it.meeting_id, item_id, &pos, &n))
		rc = db_failed(e, "move the item");
	if (!rc && pos + delta >= 1 && (size_t)(pos + delta) <= n &&
	    (place_item(d, it.meeting_id, item_id, pos + delta) || unagree(d, it.meeting_id)))
		rc = db_failed(e, "move the item");
	return tx_end(d, own, rc, e);
}

int agenda_set_position(db *d, const struct actor *actor, int64_t item_id, int position,
			herr *e)
{
	if (position < 1)
		return herr_set(e, ERR_INVALID, "position", "Give a position of 1 or more (1 is first).");
	struct item_ref it;
	struct meet_ref m;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = item_for_shaping(d, actor, item_id, &it, &m, e);
	if (!rc && (place_item(d, it.meeting_id, item_id, position) || unagree(d, it.meeting_id)))
		rc = db_failed(e, "move the item");
	return tx_end(d, own, rc, e);
}

int agenda_set_time(db *d, const struct actor *actor, int64_t item_id, int minutes, herr *e)
{
	if (minutes < AGENDA_MINUTES_MIN || minutes > AGENDA_MINUTES_MAX)
		return herr_set(e, ERR_INVALID, "minutes",
				"Give the time for the item in whole minutes, from %d to %d.",
				AGENDA_MINUTES_MIN, AGENDA_MINUTES_MAX);
	struct item_ref it;
	struct meet_ref m;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = item_for_shaping(d, actor, item_id, &it, &m, e);
	if (!rc) {
		db_stmt *s = db_prepare(d, "UPDATE agenda_item SET minutes = ?, updated_at = ? WHERE id = ?");
		if (!s)
			rc = db_failed(e, "set the time");
		else {
			db_bind_int64(s, 1, minutes);
			db_bind_int64(s, 2, time_now_ms());
			db_bind_int64(s, 3, item_id);
			if (step_done(s) || unagree(d, it.meeting_id))
				rc = db_failed(e, "set the time");
		}
	}
	return tx_end(d, own, rc, e);
}

int agenda_merge(db *d, const struct actor *actor, int64_t item_id, int64_t into_id, herr *e)
{
	struct item_ref it, into;
	struct meet_ref m;
	bool own;
	if (item_id == into_id)
		return herr_set(e, ERR_INVALID, "into", "Choose another item to merge this one into.");
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = item_for_shaping(d, actor, item_id, &it, &m, e);
	if (!rc && load_item(d, into_id, &into, e))
		rc = herr_set(e, ERR_INVALID, "into", "Choose an item on this meeting's agenda to merge into.");
	if (!rc && (into.meeting_id != it.meeting_id || !is(into.state, "open")))
		rc = herr_set(e, ERR_INVALID, "into",
			      "Choose an item still open on this meeting's agenda to merge into.");
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"UPDATE agenda_item SET state = 'merged', merged_into = ?, updated_at = ? WHERE id = ?");
		if (!s)
			rc = ERR_DB;
		else {
			db_bind_int64(s, 1, into_id);
			db_bind_int64(s, 2, time_now_ms());
			db_bind_int64(s, 3, item_id);
			rc = step_done(s);
		}
		if (!rc) rc = copy_support(d, item_id, into_id);
		if (!rc) rc = add_support(d, into_id, it.proposer_id);
		if (!rc) rc = renumber(d, it.meeting_id);
		if (!rc) rc = unagree(d, it.meeting_id);
		if (rc)
			rc = db_failed(e, "merge the items");
	}
	return tx_end(d, own, rc, e);
}

int agenda_defer(db *d, const struct actor *actor, int64_t item_id, int64_t to_meeting,
		 herr *e)
{
	struct item_ref it;
	struct meet_ref m, to;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = item_for_shaping(d, actor, item_id, &it, &m, e);
	if (!rc && load_meeting(d, to_meeting, &to, e))
		rc = herr_set(e, ERR_INVALID, "to_meeting", "Choose a later meeting of this group.");
	if (!rc && (to.group_id != it.group_id || to.starts_at <= m.starts_at || to.id == m.id))
		rc = herr_set(e, ERR_INVALID, "to_meeting", "Choose a later meeting of this group.");
	if (!rc) rc = require_upcoming(d, &to, "to_meeting", e);
	int pos = 0;
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"UPDATE agenda_item SET meeting_id = ?, position = ?, updated_at = ? WHERE id = ?");
		if (next_position(d, to.id, &pos) || !s)
			rc = ERR_DB;
		else {
			db_bind_int64(s, 1, to.id);
			db_bind_int64(s, 2, pos);
			db_bind_int64(s, 3, time_now_ms());
			db_bind_int64(s, 4, item_id);
			rc = step_done(s);
		}
		if (!rc) rc = renumber(d, m.id);
		if (!rc) rc = unagree(d, m.id);
		if (!rc) rc = unagree(d, to.id);
		if (rc)
			rc = db_failed(e, "defer the item");
	}
	return tx_end(d, own, rc, e);
}

int agenda_set_outcome(db *d, const struct actor *actor, int64_t item_id, const char *outcome,
		       herr *e)
{
	if (!is(outcome, "discussed") && !is(outcome, "deferred") && !is(outcome, "dropped"))
		return herr_set(e, ERR_INVALID, "outcome",
				"Choose what became of the item: discussed, deferred or dropped.");
	struct item_ref it;
	struct meet_ref m;
	bool own;
	int64_t now = time_now_ms();
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = load_item(d, item_id, &it, e);
	if (!rc) rc = require_manager_of(d, actor, it.group_id, e);
	if (!rc) rc = load_meeting(d, it.meeting_id, &m, e);
	if (!rc && is(m.status, "cancelled"))
		rc = herr_set(e, ERR_CONFLICT, NULL, "The meeting was cancelled; its items carry over.");
	if (!rc && m.starts_at > now)
		rc = herr_set(e, ERR_CONFLICT, NULL,
			      "The meeting has not started yet; mark items once it has.");
	if (!rc) rc = require_open_item(&it, e);
	if (!rc && set_state(d, item_id, outcome, actor->person_id))
		rc = db_failed(e, "record what became of the item");
	if (!rc && is(outcome, "deferred") && carry_deferred(d, it.group_id, now))
		rc = db_failed(e, "carry the item over");
	return tx_end(d, own, rc, e);
}

int agenda_agree(db *d, const struct actor *actor, int64_t meeting_id, herr *e)
{
	struct meet_ref m;
	bool own;
	int rc = tx_begin(d, &own, e);
	if (rc)
		return rc;
	rc = load_meeting(d, meeting_id, &m, e);
	if (!rc) rc = require_manager_of(d, actor, m.group_id, e);
	if (!rc) rc = require_upcoming(d, &m, NULL, e);
	if (!rc) {
		db_stmt *s = db_prepare(d,
			"INSERT INTO agenda_agreement (meeting_id, agreed_by, agreed_at) VALUES (?, ?, ?)");
		if (unagree(d, meeting_id) || !s)
			rc = db_failed(e, "agree the agenda");
		else {
			db_bind_int64(s, 1, meeting_id);
			db_bind_int64(s, 2, actor->person_id);
			db_bind_int64(s, 3, time_now_ms());
			if (step_done(s))
				rc = db_failed(e, "agree the agenda");
		}
	}
	return tx_end(d, own, rc, e);
}
