/* decision.h - a group's decisions (capability C4): the four kinds of
 * question a group can put to itself, what a valid ballot is for each, and
 * the tally of the ballots cast.
 *
 * Kinds and their answers:
 *   proposal     agree / abstain / disagree / block, each with an optional
 *                reason; a decision may require a reason for a block.
 *   sense check  happy / have concerns / can't go along: a softer reading
 *                of the room before a proposal (a "can't go along" is not a
 *                block: it tells the group the idea needs more work).
 *   time poll    several options (date-times); each voter marks every
 *                option yes / if need be / no.
 *   dot vote     several options; each voter spreads up to N dots (default
 *                3) across them, several on one option if they wish.
 *
 * The tally is a pure function over ballots (no I/O), so it is unit-tested
 * on its own. It never carries who voted when the decision is anonymous,
 * and carries no counts or reasons while results are hidden and the
 * decision is still open. */
#ifndef HEARTH_DECISION_H
#define HEARTH_DECISION_H
#include "../base/err.h"
#include <stdbool.h>
#include <stddef.h>

enum decision_kind {
	DECISION_PROPOSAL = 0,
	DECISION_SENSE_CHECK,
	DECISION_TIME_POLL,
	DECISION_DOT_VOTE,
};

enum { PROPOSAL_AGREE = 0, PROPOSAL_ABSTAIN, PROPOSAL_DISAGREE, PROPOSAL_BLOCK };
enum { SENSE_HAPPY = 0, SENSE_CONCERNS, SENSE_CANT };
enum { POLL_YES = 0, POLL_IF_NEED_BE, POLL_NO };

#define DECISION_OPTIONS_MAX 20     /* options of a time poll or dot vote */
#define DECISION_DOTS_DEFAULT 3
#define DECISION_DOTS_MAX 20
#define DECISION_REASON_MAX 1000    /* characters of a ballot's reason */

/* One person's ballot. marks holds:
 *   proposal, sense check: one mark, the answer (PROPOSAL_*, SENSE_*);
 *   time poll: one mark per option (POLL_*);
 *   dot vote: one mark per option, the dots put on it.
 * voter is who cast it, for an open (not anonymous) decision; NULL when
 * anonymous. reason is optional text (proposals and sense checks). */
struct decision_ballot {
	const int *marks;
	size_t n_marks;
	const char *reason;
	const char *voter;
};

/* What a decision asks, as the tally and ballot check need it. */
struct decision_rules {
	enum decision_kind kind;
	size_t n_options;            /* time poll and dot vote; else ignored */
	int dots;                    /* dot vote: dots each voter has */
	bool block_needs_reason;     /* proposal */
	bool anonymous;
	bool hide_results;           /* until closed */
	bool closed;
};

/* One row of a tally: an answer (proposal, sense check) or an option (time
 * poll, dot vote). counts[] per answer: proposal and sense check use
 * counts[0] only; a time poll counts yes / if need be / no; a dot vote
 * counts dots in counts[0]. score orders rows: the count itself, a time
 * poll's yes*2 + if need be. */
struct decision_row {
	int counts[3];
	int score;
};

/* A reason given with a ballot: the answer it came with, and who gave it
 * (NULL when anonymous). */
struct decision_reason {
	int answer;
	const char *reason;
	const char *voter;
};

#define DECISION_ROWS_MAX DECISION_OPTIONS_MAX

struct decision_tally {
	int voters;                  /* ballots cast; always shown */
	bool hidden;                 /* rows and reasons withheld until closed */
	size_t n_rows;
	struct decision_row rows[DECISION_ROWS_MAX];
	int leading;                 /* row with the highest score; -1 on a tie or none */
	bool blocked;                /* proposal: someone blocked */
	size_t n_reasons;            /* reasons[] is the caller's, n_ballots long */
};

/* Number of answers of a proposal (4) or sense check (3); for a poll or
 * dot vote, the number of options. */
size_t decision_rows_of(const struct decision_rules *rules);

/* "proposal", "sense_check", "time_poll", "dot_vote"; and back (-1 when
 * unknown). */
const char *decision_kind_name(enum decision_kind k);
int decision_kind_parse(const char *s);
/* The label of answer i of a proposal, sense check or time poll mark. */
const char *decision_answer_name(enum decision_kind k, int i);   /* "agree" */
const char *decision_answer_label(enum decision_kind k, int i);  /* "Agree" */

/* ERR_INVALID (field "answer", "marks" or "reason") unless b is a valid
 * ballot under rules: answers and marks in range, dots within the voter's
 * allowance, a reason for a block where one is required, and a reason no
 * longer than DECISION_REASON_MAX characters. */
int decision_ballot_check(const struct decision_rules *rules, const struct decision_ballot *b,
			  herr *e);

/* Counts ballots[0..n) under rules into ret. Ballots that fail
 * decision_ballot_check are skipped. reasons (may be NULL) receives, in
 * ballot order, each reason given, with the voter dropped when anonymous;
 * it must have room for n. When results are hidden and the decision is
 * open, only voters is filled. */
void decision_tally(const struct decision_rules *rules, const struct decision_ballot *ballots,
		    size_t n, struct decision_tally *ret, struct decision_reason *reasons);

/* ---- decisions in the database ---------------------------------------
 *
 * Anonymous decisions: a ballot is keyed by HMAC-SHA-256(voter_key, the
 * voter's id) where voter_key is 32 random bytes made when the decision
 * opens, and it carries no person and no time. While the decision is open
 * the key is needed so a voter can change their vote (voting again
 * replaces the earlier ballot) and see their own; so while open, someone
 * with the database and every member's id could still link ballots to
 * people. When the decision closes the key is deleted, and from then on
 * nothing in the database links a ballot to a person. No page or API ever
 * shows who voted what in an anonymous decision, to anyone, open or
 * closed. The trade-off: changing one's vote after closing is impossible
 * anyway, and a voter can no longer see their own ballot once it closes. */
#include "../base/arena.h"
#include "../store/db.h"
#include "actor.h"
#include "membership.h"
#include <stdint.h>

#define DECISION_TITLE_MAX 200
#define DECISION_DESCRIPTION_MAX 10000
#define DECISION_OPTION_MAX 200      /* characters of one option */
#define DECISION_OUTCOME_MAX 5000

/* What opening a decision needs. options: the labels (a time poll's are
 * local "YYYY-MM-DDTHH:MM"), 2 to DECISION_OPTIONS_MAX for a time poll or
 * dot vote, none for the other kinds. closes_at: UTC ms, in the future. */
struct decision_new {
	int kind;                    /* enum decision_kind, or -1 when unknown */
	const char *title;
	const char *description;     /* Markdown */
	const char *const *options;
	size_t n_options;
	int dots;
	bool block_needs_reason;
	bool anonymous;
	bool hide_results;
	int64_t closes_at;
};

struct decision {
	int64_t id, group_id;
	int64_t opened_by;
	const char *opener_name;     /* NULL when the person is gone */
	enum decision_kind kind;
	const char *title, *description;
	const char **options;
	size_t n_options;
	int dots;
	bool block_needs_reason, anonymous, hide_results;
	int64_t closes_at, closed_at;    /* closed_at 0 while open */
	bool is_closed;
	const char *outcome;         /* NULL until written */
	const char *outcome_by_name;
	int64_t outcome_at;
	const char *review_date;     /* "YYYY-MM-DD" or NULL */
	bool due_for_review;         /* the review date has come */
	int64_t created_at;
};

/* The rules of d, for decision_ballot_check and decision_tally. */
struct decision_rules decision_rules_of(const struct decision *d);

/* The actor opens a decision in group_id: active members and managers;
 * ERR_CONFLICT when the group is closed; ERR_INVALID naming the field for
 * bad input. */
int decision_open(db *d, const struct actor *actor, int64_t group_id,
		  const struct decision_new *in, int64_t *ret_id, herr *e);

/* The decisions of st's group, newest first (members and managers only),
 * in the arena; any past their closing time are closed first. */
int decision_list(db *d, arena *a, const struct standing *st, struct decision **ret,
		  size_t *ret_n, herr *e);

/* Decision id as the actor may see it (members and managers of its group;
 * ERR_NOTFOUND when there is none), closed first if its time has come;
 * ret_st is the actor's standing in its group. */
int decision_get(db *d, arena *a, const struct actor *actor, int64_t id,
		 struct decision *ret, struct standing *ret_st, herr *e);

/* The ballots cast in dec, in the arena; voter names only when the
 * decision is not anonymous. */
int decision_ballots(db *d, arena *a, const struct decision *dec,
		     struct decision_ballot **ret, size_t *ret_n, herr *e);

/* The actor's own ballot in dec, if they have one and it can still be
 * found (an anonymous decision's cannot once it is closed). */
int decision_my_ballot(db *d, arena *a, const struct decision *dec, const struct actor *actor,
		       struct decision_ballot *ret, bool *ret_found);

/* The actor votes in decision id (members and managers of its group);
 * voting again replaces the earlier ballot. ERR_CONFLICT when it is closed
 * or the group is; ERR_INVALID for a ballot decision_ballot_check refuses. */
int decision_vote(db *d, const struct actor *actor, int64_t id, const struct decision_ballot *b,
		  herr *e);

/* Closes decision id early: its opener or a manager of its group.
 * ERR_CONFLICT when already closed. */
int decision_close(db *d, const struct actor *actor, int64_t id, herr *e);

/* Writes (or rewrites) the outcome of closed decision id, with an optional
 * review date "YYYY-MM-DD" (empty or NULL for none): its opener or a
 * manager. ERR_CONFLICT while it is open. */
int decision_set_outcome(db *d, const struct actor *actor, int64_t id, const char *outcome,
			 const char *review_date, herr *e);

#endif
