/* agreement.h - a group's agreement (capability C4, shared aims): its aims,
 * ground rules and the values it adopts from the network's list (value.h).
 *
 * The agreement changes only by ratification. Any active member suggests a
 * change (the whole agreement as they would have it, with a reason); members
 * agree with it, one agreement each (agreeing again changes nothing and is
 * not an error: the answer says so); the author counts as agreeing. A
 * manager (facilitator, peer support worker, coordinator, admin) ratifies it
 * only when at least `threshold` active members agree, else ERR_INVALID
 * "needs N more"; ratifying makes the next version (1, 2, ...), kept with
 * what changed, who suggested it and when it was ratified. A suggestion made
 * against an older version cannot be ratified (ERR_CONFLICT): suggest again.
 * A manager may instead decline a suggestion; its author may withdraw it.
 * Managers set the threshold (a whole number, default 3) and a review date
 * (a local date; past it, the agreement is "due for review"), and may start
 * a group with no agreement from the network's template. Nothing changes in
 * a closed group (ERR_CONFLICT).
 *
 * The network's template (aims, ground rules, suggested values) is built in
 * until a coordinator or admin edits it; then the edited one is kept in the
 * database, and a group that starts its agreement afterwards gets it. */
#ifndef HEARTH_AGREEMENT_H
#define HEARTH_AGREEMENT_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"
#include "membership.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGREEMENT_AIMS_MAX 2000       /* characters */
#define AGREEMENT_RULE_MAX 200        /* characters of one ground rule */
#define AGREEMENT_RULES_MAX 30        /* ground rules */
#define AGREEMENT_VALUES_MAX 30       /* adopted values */
#define AGREEMENT_REASON_MAX 1000     /* characters */
#define AGREEMENT_THRESHOLD_DEFAULT 3
#define AGREEMENT_THRESHOLD_MAX 1000
/* The built-in template's aims (its ground rules are in migration 0005). */
#define AGREEMENT_TEMPLATE_AIMS "To meet as peers, share what we have lived through, " \
	"listen to each other and support each other."

/* What an agreement says. Strings and arrays are in an arena. */
struct agreement_text {
	const char *aims;
	const char **rules;
	size_t n_rules;
	int64_t *value_ids;
	size_t n_values;
};

struct agreement {
	int64_t group_id;
	int version;                 /* 0: none ratified yet */
	struct agreement_text text;
	int threshold;
	const char *review_date;     /* "YYYY-MM-DD" or NULL */
	bool due_for_review;         /* the review date has come */
	int64_t updated_at;          /* 0 when never set */
};

struct agreement_version {
	int version;
	struct agreement_text text;
	const char *change_note;
	const char *suggested_by;    /* a name, or NULL (the template, or erased) */
	const char *ratified_by;     /* a name, or NULL */
	int64_t ratified_at;
};

/* The network's starting template for agreements. */
struct agreement_template {
	struct agreement_text text;  /* aims, ground rules and suggested values */
	bool edited;                 /* false: the built-in template */
	const char *updated_by;      /* a name, or NULL (built in, or erased) */
	int64_t updated_at;          /* 0 when built in */
};

struct agreement_suggestion {
	int64_t id;
	int64_t group_id;
	int64_t author_id;           /* 0 when erased */
	const char *author_name;
	int base_version;
	struct agreement_text text;
	const char *reason;
	const char *status;          /* open, ratified, withdrawn, declined */
	int64_t created_at;
	int64_t decided_at;
	int agree_count;             /* active members who agree */
	bool viewer_agrees;
};

/* ---- rules that need no database (unit-tested) ---------------------- */

/* How many more members must agree before a suggestion with agree_count
 * agreements can be ratified under threshold; 0 when enough. */
int agreement_needed(int threshold, int agree_count);
/* Whether an agreement with review_date ("YYYY-MM-DD" or NULL) is due for
 * review on the local date today. */
bool agreement_review_due(const char *review_date, const char *today);
/* Checks aims (required), rules (each 1-AGREEMENT_RULE_MAX characters, one
 * line, at most AGREEMENT_RULES_MAX) and the number of values. Errors name
 * the fields "aims", "rules" and "values". */
int agreement_check_text(const struct agreement_text *t, herr *e);
/* The rules one a line, and back (blank lines and outer spaces dropped);
 * in the arena. */
const char *agreement_rules_join(arena *a, const char *const *rules, size_t n);
int agreement_rules_split(arena *a, const char *text, const char ***ret, size_t *ret_n);
/* The next version number after current. */
int agreement_next_version(int current);

/* ---- reading -------------------------------------------------------- */

/* The agreement of st's group (members and managers only, else
 * ERR_DENIED), version 0 with the defaults when there is none yet. */
int agreement_get(db *d, arena *a, const struct standing *st, struct agreement *ret, herr *e);
/* Its versions, newest first. The caller has checked the actor may read. */
int agreement_versions(db *d, arena *a, int64_t group_id, struct agreement_version **ret,
		       size_t *ret_n, herr *e);
/* Its suggestions, open ones first then newest first (at most 100);
 * viewer_agrees is about viewer_id. */
int agreement_suggestions(db *d, arena *a, int64_t group_id, int64_t viewer_id,
			  struct agreement_suggestion **ret, size_t *ret_n, herr *e);
/* The network's template as it stands: the one coordinators edited, else
 * the built-in one (AGREEMENT_TEMPLATE_AIMS, the ground rules of migration
 * 0005, no values). Anyone may read it; pages show it to managers. */
int agreement_template_get(db *d, arena *a, struct agreement_template *ret, herr *e);
/* The network's local date today, "YYYY-MM-DD" (out must hold 11 bytes). */
int agreement_today(db *d, char out[static 11]);

/* ---- changing ------------------------------------------------------- */

/* An active member suggests a change to group_id's agreement. Errors name
 * "aims", "rules", "values" (an unknown value is ERR_INVALID) and "reason". */
int agreement_suggest(db *d, const struct actor *actor, int64_t group_id,
		      const struct agreement_text *in, const char *reason, int64_t *ret_id,
		      herr *e);
/* An active member agrees with an open suggestion; *ret_already says they
 * had agreed before (nothing changed). *ret_group_id is its group. */
int agreement_agree(db *d, const struct actor *actor, int64_t suggestion_id,
		    int64_t *ret_group_id, bool *ret_already, herr *e);
/* A manager ratifies an open suggestion with enough agreement; *ret_version
 * is the new version. *ret_group_id is set once the suggestion is found,
 * even when ratifying is refused (so the refusal can be shown on the
 * group's agreement page). */
int agreement_ratify(db *d, const struct actor *actor, int64_t suggestion_id,
		     int64_t *ret_group_id, int *ret_version, herr *e);
/* The author withdraws their open suggestion. */
int agreement_withdraw(db *d, const struct actor *actor, int64_t suggestion_id,
		       int64_t *ret_group_id, herr *e);
/* A manager declines an open suggestion: it stays in the list, marked
 * declined, and changes nothing in the agreement. */
int agreement_decline(db *d, const struct actor *actor, int64_t suggestion_id,
		      int64_t *ret_group_id, herr *e);
/* A manager sets the threshold (1 to AGREEMENT_THRESHOLD_MAX, field
 * "threshold") and the review date (NULL or "" clears it, field
 * "review_date"). */
int agreement_set_settings(db *d, const struct actor *actor, int64_t group_id, int threshold,
			   const char *review_date, herr *e);
/* A manager starts a group that has no agreement yet (else ERR_CONFLICT)
 * from the network's current template (aims, ground rules and values as
 * they stand); that is version 1. */
int agreement_start(db *d, const struct actor *actor, int64_t group_id, herr *e);
/* A coordinator or admin (else ERR_DENIED) replaces the network's template.
 * Checked as a suggestion is: errors name "aims", "rules" and "values" (an
 * unknown or repeated value is ERR_INVALID); nothing changes on refusal. */
int agreement_template_set(db *d, const struct actor *actor, const struct agreement_text *in,
			   herr *e);

#endif
