/* demo_checkins.c - the demo network's six months of check-ins (see
 * demo_checkins.h). Each person's answers follow a hidden "how things are"
 * level between 0 and 1 that rises, stays or falls over the months, with
 * noise per question; answers are snapped to each question's options, so
 * every stored value is one the instrument allows. History in the past goes
 * in with plain parameterised INSERTs, as in demo.c. */
#include "demo_checkins.h"

#include "instrument.h"
#include "settings.h"

#include "../base/ids.h"
#include "../base/rng.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DAY (24LL * 60 * 60 * 1000)
#define HISTORY (182 * DAY)
#define RSE "rosenberg-self-esteem"
#define ONS "ons-personal-wellbeing"
#define RSE_EVERY_WEEKS 6
#define ONS_EVERY_WEEKS 8
#define MEMBER_LOGIN "member@demo.hearth.example"

/* One person who may take part: their first group with an account. */
struct candidate {
	int64_t person_id, group_id, joined_at;
	bool is_member_login;
	bool offers_ons;
};

/* A person's story. */
struct story {
	double level, slope;        /* level at the start; change per day */
	bool group_learning, network_reports, share;
	int withdraw_after;         /* check-ins before withdrawing; 0: never */
};

static int exec_bound(db_stmt *st)
{
	if (!st)
		return ERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int offer(db *d, int64_t group_id, const char *instrument, int every_weeks, int64_t now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO checkin_offering (id, group_id, instrument_id, at_joining, "
				    "every_weeks, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)");
	if (st) {
		db_bind_int64(st, 1, id_new());
		db_bind_int64(st, 2, group_id);
		db_bind_text(st, 3, instrument);
		db_bind_int64(st, 4, every_weeks);
		db_bind_int64(st, 5, now - HISTORY);
		db_bind_int64(st, 6, now - HISTORY);
	}
	return exec_bound(st);
}

/* Every group offers the Rosenberg scale; every third also the ONS
 * questions. Fills the candidates' offers_ons afterwards by group. */
static int write_offerings(db *d, int64_t now, int64_t **ret_ons, size_t *ret_n)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM peer_group");
	size_t cap = st && db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	if (st)
		db_reset(st);
	int64_t *groups = calloc(cap + 1, sizeof *groups);
	st = db_prepare(d, "SELECT id FROM peer_group ORDER BY id");
	if (!groups || !st) {
		free(groups);
		return ERR_DB;
	}
	size_t n = 0;
	while (n < cap && db_step(st) == DB_ROW)
		groups[n++] = db_col_int64(st, 0);
	db_reset(st);
	int rc = 0;
	size_t nons = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		rc = offer(d, groups[i], RSE, RSE_EVERY_WEEKS, now);
		if (!rc && i % 3 == 0) {
			rc = offer(d, groups[i], ONS, ONS_EVERY_WEEKS, now);
			groups[nons++] = groups[i];
		}
	}
	*ret_ons = groups;
	*ret_n = nons;
	return rc;
}

static int read_candidates(db *d, const int64_t *ons, size_t nons, struct candidate **ret, size_t *ret_n)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM membership WHERE status = 'active'");
	size_t cap = st && db_step(st) == DB_ROW ? (size_t)db_col_int64(st, 0) : 0;
	if (st)
		db_reset(st);
	struct candidate *list = calloc(cap + 1, sizeof *list);
	st = db_prepare(d, "SELECT m.person_id, m.group_id, m.joined_at, p.email FROM membership m "
			   "JOIN person p ON p.id = m.person_id WHERE m.status = 'active' AND "
			   "p.email IS NOT NULL ORDER BY m.person_id, m.joined_at, m.group_id");
	if (!list || !st) {
		free(list);
		return ERR_DB;
	}
	size_t n = 0;
	while (n < cap && db_step(st) == DB_ROW) {
		int64_t person = db_col_int64(st, 0);
		if (n && list[n - 1].person_id == person)
			continue;   /* their first group only */
		const char *email = db_col_text(st, 3);
		list[n] = (struct candidate){ person, db_col_int64(st, 1), db_col_int64(st, 2),
					      email && !strcmp(email, MEMBER_LOGIN), false };
		for (size_t k = 0; k < nons; k++)
			list[n].offers_ons |= ons[k] == list[n].group_id;
		n++;
	}
	db_reset(st);
	*ret = list;
	*ret_n = n;
	return 0;
}

static int write_checkin(db *d, const struct candidate *c, const struct instrument *in, int64_t at,
			 double level, struct rng *rng, bool skip)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(d, "INSERT INTO checkin (id, person_id, group_id, instrument_id, started_at, "
				    "updated_at, finished_at, skipped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (st) {
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, c->person_id);
		db_bind_int64(st, 3, c->group_id);
		db_bind_text(st, 4, in->id);
		db_bind_int64(st, 5, at);
		db_bind_int64(st, 6, at + 6 * 60 * 1000);
		if (skip) {
			db_bind_null(st, 7);
			db_bind_int64(st, 8, at + 60 * 1000);
		} else {
			db_bind_int64(st, 7, at + 6 * 60 * 1000);
			db_bind_null(st, 8);
		}
	}
	int rc = exec_bound(st);
	for (size_t i = 0; !rc && !skip && i < in->n_items; i++) {
		st = db_prepare(d, "INSERT INTO checkin_answer (checkin_id, item_id, value) VALUES (?, ?, ?)");
		if (st) {
			db_bind_int64(st, 1, id);
			db_bind_text(st, 2, in->items[i].id);
			db_bind_int64(st, 3, instrument_answer_at_level(in, i, level + (rng_unit(rng) - 0.5) * 0.3));
		}
		rc = exec_bound(st);
	}
	return rc;
}

static int write_consent(db *d, const struct candidate *c, const struct story *s, bool yes,
			 int64_t asked_at, int64_t withdrawn_at)
{
	db_stmt *st = db_prepare(d, "INSERT INTO checkin_consent (person_id, take_part, group_learning, "
				    "network_reports, share_with_facilitator, asked_at, changed_at, withdrawn_at) "
				    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (st) {
		bool on = yes && !withdrawn_at;
		db_bind_int64(st, 1, c->person_id);
		db_bind_bool(st, 2, on);
		db_bind_bool(st, 3, on && s->group_learning);
		db_bind_bool(st, 4, on && s->network_reports);
		db_bind_bool(st, 5, on && s->share);
		db_bind_int64(st, 6, asked_at);
		db_bind_int64(st, 7, withdrawn_at ? withdrawn_at : asked_at);
		if (withdrawn_at)
			db_bind_int64(st, 8, withdrawn_at);
		else
			db_bind_null(st, 8);
	}
	return exec_bound(st);
}

static struct story story_for(const struct candidate *c, struct rng *rng)
{
	struct story s = { .level = 0.3 + 0.3 * rng_unit(rng) };
	double kind = c->is_member_login ? 0 : rng_unit(rng);
	double gain = c->is_member_login ? 0.35
		    : kind < 0.45 ? 0.12 + 0.15 * rng_unit(rng)          /* improving */
		    : kind < 0.85 ? (rng_unit(rng) - 0.5) * 0.06          /* much the same */
				  : -(0.06 + 0.1 * rng_unit(rng));        /* harder */
	s.slope = gain / (double)(HISTORY / DAY);
	s.group_learning = c->is_member_login || rng_unit(rng) < 0.85;
	s.network_reports = c->is_member_login || rng_unit(rng) < 0.7;
	s.share = !c->is_member_login && rng_unit(rng) < 0.2;
	s.withdraw_after = !c->is_member_login && rng_unit(rng) < 0.07 ? 2 + (int)(rng_unit(rng) * 2) : 0;
	return s;
}

/* One person's consent and check-ins; nth is their place in the list (ids
 * differ between runs, the order does not). */
static int write_person(db *d, const struct candidate *c, size_t nth, uint64_t seed, int64_t now)
{
	/* seeded per person (by seed and their place in the list), so a
	 * person's story does not depend on anyone else's */
	struct rng rng = { seed * 0x2545F4914F6CDD1DULL + (uint64_t)(nth + 1) * 0x9E3779B97F4A7C15ULL };
	double answer = c->is_member_login ? 1 : rng_unit(&rng);
	if (answer < 0.2)
		return 0;                                 /* never answered the ask */
	struct story s = story_for(c, &rng);
	int64_t start = (c->joined_at > now - HISTORY ? c->joined_at : now - HISTORY) + (int64_t)(rng_unit(&rng) * 10) * DAY;
	if (answer < 0.3 || start >= now - DAY)
		return write_consent(d, c, &s, answer >= 0.3, start, 0);   /* said no, or too new */
	const struct instrument *rse = instrument_find(RSE), *ons = instrument_find(ONS);
	int rc = 0, done = 0;
	int64_t withdrawn = 0;
	for (int64_t t = start; !rc && t < now - DAY; t += RSE_EVERY_WEEKS * 7 * DAY + (int64_t)(rng_unit(&rng) * 6 - 3) * DAY) {
		double level = s.level + s.slope * (double)((t - start) / DAY);
		bool skip = done > 0 && rng_unit(&rng) < 0.08;
		if (done > 0 && !skip && rng_unit(&rng) < 0.1)
			continue;                             /* not answered this time */
		if (rse) rc = write_checkin(d, c, rse, t, level, &rng, skip);
		if (!rc && ons && c->offers_ons && !skip)
			rc = write_checkin(d, c, ons, t + 10 * 60 * 1000, level, &rng, false);
		done += !skip;
		if (s.withdraw_after && done >= s.withdraw_after) {
			withdrawn = t + 2 * DAY < now ? t + 2 * DAY : now;
			break;
		}
	}
	return rc ? rc : write_consent(d, c, &s, true, start - DAY, withdrawn);
}

int demo_checkins_build(db *d, uint64_t seed, int64_t now, herr *e)
{
	int64_t *ons = NULL;
	struct candidate *people = NULL;
	size_t nons = 0, n = 0;
	/* `hearth demo` runs alone before any server thread: load the built-in
	 * instruments if the command has not. */
	if (!instrument_find(RSE) && instrument_registry_load(NULL, e))
		return e->code;
	int rc = db_begin_write(d);
	if (!rc) rc = settings_set(d, "disclosure_threshold", DEMO_CHECKINS_THRESHOLD);
	if (!rc) rc = write_offerings(d, now, &ons, &nons);
	if (!rc) rc = read_candidates(d, ons, nons, &people, &n);
	for (size_t i = 0; !rc && i < n; i++)
		rc = write_person(d, &people[i], i, seed, now);
	rc = db_finish(d, rc);
	free(ons);
	free(people);
	if (rc)
		return herr_set(e, rc, NULL, "Could not write the demo's check-ins: %s", db_errmsg(d));
	return 0;
}
