/* instrument.h - questionnaires as data (capability C5).
 *
 * An instrument is a JSON file (schema: docs/instruments.md): its items and
 * their response options, reverse-scored items, the scales it reports (a
 * total, subscales, or item by item), the scoring and prorating rules, and the
 * constants for reliable change. The instruments shipped with Hearth live in
 * instruments/ and are compiled into the binary; a network adds its own by
 * putting files in its instruments directory (configuration: instruments_dir).
 *
 * Loading validates everything: an error names the file, the field (a JSON
 * path such as "items[3].options") and the problem, and nothing is loaded.
 * The registry is filled once at start-up and read-only afterwards, so any
 * thread may read it without locks. */
#ifndef HEARTH_INSTRUMENT_H
#define HEARTH_INSTRUMENT_H

#include "../base/arena.h"
#include "../base/err.h"

#include <stdbool.h>
#include <stddef.h>

#define INSTRUMENT_MISSING (-1)     /* an unanswered item in an answer array */
#define INSTRUMENT_ID_MAX 40        /* [a-z0-9-], the id used in URLs and the database */

struct instrument_option {
	const char *label;          /* "Strongly agree" */
	int value;                  /* the value stored and scored (before reversing) */
};

struct instrument_item {
	const char *id;             /* unique within the instrument: "rse1" */
	const char *text;           /* the question as the member reads it */
	bool reverse;               /* scored as (min + max - value) */
	bool filler;                /* asked but never scored */
	const struct instrument_option *options;
	size_t n_options;
	int min, max;               /* smallest and largest option value */
};

enum instrument_rule { RULE_SUM, RULE_MEAN };

/* What an instrument reports: its total, a subscale, or (for instruments
 * reported one by one, such as the ONS questions) a single item. */
struct instrument_scale {
	const char *id;             /* "total", "anxiety", ... */
	const char *name;           /* "Self-esteem" */
	const size_t *items;        /* indices into instrument.items */
	size_t n_items;
	enum instrument_rule rule;
	double min, max;            /* the range of the score */
	bool higher_is_better;      /* false for the ONS anxiety question */
	/* Prorating: 0 means no score when any item is missing; otherwise the
	 * largest share of items (0 < share < 1) that may be missing, the score
	 * then being the mean of the answered items scaled to the full length. */
	double prorate_max_missing;
	/* Reliable change (Jacobson and Truax): a reference standard deviation
	 * and reliability; 0 when the instrument does not publish them. */
	double ref_sd, reliability;
	bool has_cutoff;            /* a published clinical cut-off */
	double cutoff;
};

struct instrument {
	const char *id;             /* "rosenberg-self-esteem" */
	const char *name;
	const char *version;
	const char *licence;
	const char *citation;
	const char *const *constructs;  /* "self-esteem", "empowerment", ... */
	size_t n_constructs;
	bool validated;             /* false for a network's own co-produced measure */
	const char *instructions;   /* shown above the questions; may be "" */
	const struct instrument_item *items;
	size_t n_items;
	const struct instrument_scale *scales;
	size_t n_scales;
	const char *source;         /* "built-in" or the file it came from */
};

/* Parses and validates one instrument from JSON text. name is what errors
 * call the file. The instrument lives in the arena. Errors (ERR_INVALID)
 * read "NAME: FIELD: PROBLEM", e.g. "mine.json: reverse[2]: no item "q9"". */
int instrument_parse(const char *json, size_t len, const char *name, arena *a,
		     const struct instrument **ret, herr *e);
/* Reads and parses a file (ERR_NOTFOUND when it cannot be read). */
int instrument_load_file(const char *path, arena *a, const struct instrument **ret, herr *e);

/* Fills the process-wide registry with the built-in instruments and every
 * *.json file in dir (NULL or "" for none). Called once at start-up, before
 * any thread reads it. A network file with a built-in's id is an error. */
int instrument_registry_load(const char *dir, herr *e);
/* The instrument with this id, or NULL. */
const struct instrument *instrument_find(const char *id);
/* Every loaded instrument, built-ins first, each list in id order. */
const struct instrument *const *instrument_all(size_t *ret_n);

/* Whether value is one of the item's options. */
bool instrument_value_allowed(const struct instrument_item *item, int value);
/* The raw answer to item i of someone whose standing on what the item
 * measures is level (0 worst, 1 best): the option nearest it, turned round
 * for reverse-worded items and for items of a lower-is-better scale. For
 * the demo network and the load generator. */
int instrument_answer_at_level(const struct instrument *in, size_t i, double level);
/* Scores one set of answers (answers[i] for items[i], INSTRUMENT_MISSING when
 * unanswered; every other value must be an option). For each scale s,
 * scored[s] says whether a score could be made under the prorating rule and
 * scores[s] holds it. Returns the number of scales scored. */
size_t instrument_score(const struct instrument *in, const int *answers,
			double *scores, bool *scored);

#endif
