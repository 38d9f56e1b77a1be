/* checkin.h - check-ins (capability C5): which questionnaires a group
 * offers and when, what is due for a person now, and answering one.
 *
 * A group's managers (facilitators, peer support workers) and the network's
 * coordinators choose its offerings: an instrument, asked at joining (the
 * baseline), then every n weeks and/or at chosen meetings. A member who
 * takes part (consent.h) is invited when one is due; the invitation never
 * blocks anything. A check-in can be saved half-done, finished, or skipped.
 * Every refusal changes nothing: no consent is 409, a group that does not
 * offer the instrument is 422 (field "instrument"), an answer that is not
 * one of the item's options is 422 naming the item. */
#ifndef HEARTH_CHECKIN_H
#define HEARTH_CHECKIN_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"
#include "instrument.h"
#include "membership.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHECKIN_MAX_EVERY_WEEKS 52
#define CHECKIN_MEETING_WINDOW_MS (7LL * 24 * 60 * 60 * 1000)   /* due for a week after a chosen meeting */
#define CHECKIN_WEEK_MS (7LL * 24 * 60 * 60 * 1000)

struct checkin_offering {
	int64_t id;
	int64_t group_id;
	const char *instrument_id;
	const struct instrument *in;     /* NULL when the file is no longer loaded */
	bool at_joining;
	int every_weeks;                 /* 0: not on a cycle */
	int64_t *meeting_ids;            /* chosen meetings */
	size_t n_meetings;
};

/* group_id's offerings, by instrument id, in the arena. Anyone who may see
 * the group's members may read them (the caller checks). */
int checkin_offerings(db *d, arena *a, int64_t group_id, struct checkin_offering **ret,
		      size_t *ret_n, herr *e);
/* Adds or changes an offering (managers only; ERR_CONFLICT for a closed
 * group). ERR_INVALID: "instrument" not loaded, "every_weeks" out of 0-52. */
int checkin_offering_set(db *d, const struct standing *st, const char *instrument_id,
			 bool at_joining, int every_weeks, herr *e);
/* Stops offering an instrument (answers already given stay). ERR_NOTFOUND
 * when it is not offered. */
int checkin_offering_remove(db *d, const struct standing *st, const char *instrument_id, herr *e);
/* Asks an offered instrument at one of the group's meetings (chosen true)
 * or no longer (false). ERR_INVALID (field "meeting_id") when the meeting
 * is not the group's. */
int checkin_offering_choose_meeting(db *d, const struct standing *st, const char *instrument_id,
				    int64_t meeting_id, bool chosen, herr *e);

/* Why a check-in is due, or CHECKIN_NOT_DUE. */
enum checkin_due_reason {
	CHECKIN_NOT_DUE = 0,
	CHECKIN_DUE_BASELINE,     /* never answered or skipped: the first */
	CHECKIN_DUE_CONTINUE,     /* one is half-done */
	CHECKIN_DUE_INTERVAL,     /* every n weeks, and n weeks have passed */
	CHECKIN_DUE_MEETING,      /* a chosen meeting happened since the last */
};

/* The due rule, without the database: last_done is when the person last
 * finished or skipped this instrument in this group (0 for never);
 * meeting_starts are the chosen meetings' start times. */
enum checkin_due_reason checkin_due_rule(bool at_joining, int every_weeks, int64_t last_done,
					 bool half_done, const int64_t *meeting_starts,
					 size_t n_meetings, int64_t now);
const char *checkin_due_text(enum checkin_due_reason why);

struct checkin_due {
	int64_t group_id;
	const char *group_name;
	const struct instrument *in;
	enum checkin_due_reason why;
};

/* What is due for person_id now across their active groups (nothing when
 * they do not take part), in the arena. */
int checkin_due_for_person(db *d, arena *a, int64_t person_id, int64_t now,
			   struct checkin_due **ret, size_t *ret_n, herr *e);

/* The same for a caller that has read the person's consent (they take
 * part) and their memberships already (membership_list_mine): what is due
 * in the active ones. /me reads both for itself. */
int checkin_due_in_groups(db *d, arena *a, int64_t person_id, int64_t now,
			  const struct my_membership *mine, size_t nm, struct checkin_due **ret,
			  size_t *ret_n, herr *e);

enum checkin_action { CHECKIN_SAVE, CHECKIN_FINISH, CHECKIN_SKIP };

/* The actor answers instrument_id in st's group: answers[i] for item i
 * (INSTRUMENT_MISSING when unanswered), n_answers the instrument's item
 * count. SAVE keeps a half-done check-in (continuing the open one if any),
 * FINISH needs at least one answer, SKIP records a skip (answers ignored).
 * Checks, in order: an active member (403), consent (409), offered (422,
 * "instrument"), every answer an option (422, the item's id). */
int checkin_submit(db *d, const struct standing *st, const struct actor *actor,
		   const char *instrument_id, const int *answers, size_t n_answers,
		   enum checkin_action action, int64_t *ret_id, herr *e);

/* The actor's half-done check-in of instrument_id in group_id: fills
 * answers (n_answers = the item count; INSTRUMENT_MISSING where none) and
 * ret_id (0 when there is none). */
int checkin_open_answers(db *d, int64_t person_id, int64_t group_id,
			 const struct instrument *in, int *answers, int64_t *ret_id, herr *e);

/* The index of the item with this id in in->items, or (size_t)-1. */
size_t checkin_item_index(const struct instrument *in, const char *item_id);
/* The index of the scale with this id in in->scales, or (size_t)-1. */
size_t checkin_scale_index(const struct instrument *in, const char *scale_id);

/* A finished check-in with its answers and scores. */
struct checkin_record {
	int64_t id;
	int64_t group_id;
	const char *group_name;
	const struct instrument *in;
	int64_t finished_at;
	int *answers;         /* in->n_items */
	double *scores;       /* in->n_scales */
	bool *scored;
};

/* person_id's finished check-ins (in group_id only, or all when 0) of
 * instruments still loaded, by instrument and time, in the arena. The
 * caller decides who may read them: the person themselves, or
 * checkin_read_shared below. */
int checkin_list_finished(db *d, arena *a, int64_t person_id, int64_t group_id,
			  struct checkin_record **ret, size_t *ret_n, herr *e);

/* A manager of st's group reads person_id's check-ins in that group: only
 * when person_id is a member of it who chose to share with facilitators
 * (else ERR_DENIED, nothing read); the read is written to the access log
 * first (who, whose, when, why). */
int checkin_read_shared(db *d, arena *a, const struct standing *st, const struct actor *actor,
			int64_t person_id, struct checkin_record **ret, size_t *ret_n, herr *e);

/* Members of st's group who chose to share their answers with its
 * facilitators (managers only), as person ids and names. */
struct checkin_sharer {
	int64_t person_id;
	const char *display_name;
};
int checkin_list_sharers(db *d, arena *a, const struct standing *st,
			 struct checkin_sharer **ret, size_t *ret_n, herr *e);

/* Finished check-ins keep their score on each scale (table checkin_score,
 * written by checkin_submit in the same transaction) so the figures need
 * not score every answer again. checkin_scores_fill scores the finished
 * check-ins that have none yet (those made before the table existed, or
 * loaded in bulk by the generator) with the loaded instruments, a chunk per
 * transaction, then records in the settings (key CHECKIN_SCORES_FILLED) that
 * it is done, so later calls return at once. `hearth serve` calls it at
 * start-up. Check-ins of instruments no longer loaded get no scores. */
#define CHECKIN_SCORES_FILLED "checkin_scores_filled"
#define CHECKIN_SCORES_SCHEMA 15    /* the migration that made the tables */
int checkin_scores_fill(db *d, herr *e);

#endif
