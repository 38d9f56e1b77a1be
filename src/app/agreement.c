/* agreement.c - a group's agreement, its versions and suggested changes
 * (see agreement.h). */
#include "agreement.h"

#include "../base/ids.h"
#include "../base/utf8.h"
#include "network.h"
#include "schedule.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rules that need no database ------------------------------------ */

int agreement_needed(int threshold, int agree_count)
{
	if (threshold < 1)
		threshold = 1;
	return agree_count >= threshold ? 0 : threshold - agree_count;
}

bool agreement_review_due(const char *review_date, const char *today)
{
	return review_date && *review_date && today && strcmp(review_date, today) <= 0;
}

int agreement_next_version(int current)
{
	return current < 0 ? 1 : current + 1;
}

static int check_field(const char *s, const char *field, const char *what, bool required,
		       size_t max, herr *e)
{
	size_t n = s ? strlen(s) : 0;
	if (strspn(s ? s : "", " \t\r\n") == n)   /* empty, or only spaces */
		return required ? herr_set(e, ERR_INVALID, field, "Enter %s.", what) : 0;
	if (!utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, field, "The %s holds characters that cannot be accepted.",
				field);
	if (utf8_length(s, n) > max)
		return herr_set(e, ERR_INVALID, field, "Please keep %s to %zu characters or fewer.",
				what, max);
	return 0;
}

int agreement_check_text(const struct agreement_text *t, herr *e)
{
	int rc = check_field(t->aims, "aims", "the group's aims", true, AGREEMENT_AIMS_MAX, e);
	if (rc)
		return rc;
	if (t->n_rules > AGREEMENT_RULES_MAX)
		return herr_set(e, ERR_INVALID, "rules",
				"Please keep to %d ground rules or fewer.", AGREEMENT_RULES_MAX);
	for (size_t i = 0; i < t->n_rules; i++) {
		const char *r = t->rules[i];
		if (!r || !*r)
			return herr_set(e, ERR_INVALID, "rules", "Ground rule %zu is empty.", i + 1);
		if (strpbrk(r, "\r\n"))
			return herr_set(e, ERR_INVALID, "rules",
					"Ground rule %zu runs over more than one line.", i + 1);
		if ((rc = check_field(r, "rules", "each ground rule", true, AGREEMENT_RULE_MAX, e)))
			return rc;
	}
	if (t->n_values > AGREEMENT_VALUES_MAX)
		return herr_set(e, ERR_INVALID, "values", "Please adopt %d values or fewer.",
				AGREEMENT_VALUES_MAX);
	return 0;
}

const char *agreement_rules_join(arena *a, const char *const *rules, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(rules[i]) + 1;
	char *out = arena_alloc(a, len);
	if (!out)
		return NULL;
	char *p = out;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(rules[i]);
		memcpy(p, rules[i], k);
		p += k;
		if (i + 1 < n)
			*p++ = '\n';
	}
	*p = '\0';
	return out;
}

int agreement_rules_split(arena *a, const char *text, const char ***ret, size_t *ret_n)
{
	size_t cap = 1;
	for (const char *p = text ? text : ""; *p; p++)
		cap += *p == '\n';
	const char **list = arena_alloc(a, (cap + 1) * sizeof *list);
	if (!list)
		return ERR_NOMEM;
	size_t n = 0;
	const char *s = text ? text : "";
	while (*s) {
		size_t len = strcspn(s, "\n");
		const char *start = s, *end = s + len;
		while (start < end && (*start == ' ' || *start == '\t' || *start == '\r'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (end > start) {
			char *item = arena_alloc(a, (size_t)(end - start) + 1);
			if (!item)
				return ERR_NOMEM;
			memcpy(item, start, (size_t)(end - start));
			list[n++] = item;
		}
		s += len;
		if (*s == '\n')
			s++;
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

/* Value ids as "1,2,3", and back. */
static const char *ids_join(arena *a, const int64_t *ids, size_t n)
{
	char *out = arena_alloc(a, n * 21 + 1);
	if (!out)
		return NULL;
	char *p = out;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, i ? ",%lld" : "%lld", (long long)ids[i]);
	*p = '\0';
	return out;
}

static int ids_split(arena *a, const char *text, int64_t **ret, size_t *ret_n)
{
	size_t cap = 1;
	for (const char *p = text ? text : ""; *p; p++)
		cap += *p == ',';
	int64_t *ids = arena_alloc(a, cap * sizeof *ids);
	if (!ids)
		return ERR_NOMEM;
	size_t n = 0;
	const char *s = text ? text : "";
	while (*s) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s)
			break;
		ids[n++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	*ret = ids;
	*ret_n = n;
	return 0;
}

/* The rules and value ids of t as they are stored (in the arena). */
static int text_to_columns(arena *a, const struct agreement_text *t, const char **ret_rules,
			   const char **ret_ids)
{
	*ret_rules = agreement_rules_join(a, t->rules, t->n_rules);
	*ret_ids = ids_join(a, t->value_ids, t->n_values);
	return *ret_rules && *ret_ids ? 0 : ERR_NOMEM;
}

static int text_from_columns(arena *a, db_stmt *st, int col, struct agreement_text *t)
{
	t->aims = arena_strdup(a, db_col_text(st, col) ? db_col_text(st, col) : "");
	int rc = agreement_rules_split(a, db_col_text(st, col + 1), &t->rules, &t->n_rules);
	if (!rc)
		rc = ids_split(a, db_col_text(st, col + 2), &t->value_ids, &t->n_values);
	return rc;
}

/* ---- reading -------------------------------------------------------- */

int agreement_today(db *d, char out[static 11])
{
	arena *a = arena_new(256);
	if (!a)
		return ERR_NOMEM;
	int rc = schedule_format_local(time_now_ms(), network_time_zone(d, a), "%Y-%m-%d", out, 11);
	arena_free(a);
	return rc ? ERR_INTERNAL : 0;
}

/* Reads the row of group_id into ret (defaults when there is none). */
static int read_agreement(db *d, arena *a, int64_t group_id, struct agreement *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->group_id = group_id;
	ret->threshold = AGREEMENT_THRESHOLD_DEFAULT;
	ret->text.aims = "";
	db_stmt *st = db_prepare(d,
		"SELECT version, aims, rules, value_ids, threshold, review_date, updated_at "
		"FROM group_agreement WHERE group_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->version = (int)db_col_int64(st, 0);
		rc = text_from_columns(a, st, 1, &ret->text);
		ret->threshold = (int)db_col_int64(st, 4);
		ret->review_date = arena_strdup(a, db_col_text(st, 5));
		ret->updated_at = db_col_int64(st, 6);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	char today[11];
	if (ret->review_date && agreement_today(d, today) == 0)
		ret->due_for_review = agreement_review_due(ret->review_date, today);
	return 0;
}

int agreement_get(db *d, arena *a, const struct standing *st, struct agreement *ret, herr *e)
{
	int rc = membership_require_member(st, e);
	if (rc)
		return rc;
	if ((rc = read_agreement(d, a, st->group_id, ret)))
		return herr_set(e, rc, NULL, "Could not read the group's agreement.");
	return 0;
}

/* Reads one row of st into the list element at elem (arena a). */
typedef int (*row_reader)(arena *a, db_stmt *st, void *elem);

/* Steps st (its parameters bound) to the end, reading each row into a list
 * of elem_size elements in the arena with read; *ret and *ret_n are set
 * only on success. st is reset either way. */
static int read_rows(arena *a, db_stmt *st, size_t elem_size, row_reader read, void **ret,
		     size_t *ret_n)
{
	size_t n = 0, cap = 0;
	char *list = NULL;
	int rc = 0;
	while ((list = arena_grow(a, list, n, &cap, elem_size)) && (rc = db_step(st)) == DB_ROW) {
		if ((rc = read(a, st, list + n * elem_size)))
			break;
		n++;
	}
	db_reset(st);
	if (!list)
		rc = ERR_NOMEM;
	if (rc < 0)
		return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

static int version_row(arena *a, db_stmt *st, void *elem)
{
	struct agreement_version *v = elem;
	v->version = (int)db_col_int64(st, 0);
	v->change_note = arena_strdup(a, db_col_text(st, 4));
	v->suggested_by = arena_strdup(a, db_col_text(st, 5));
	v->ratified_by = arena_strdup(a, db_col_text(st, 6));
	v->ratified_at = db_col_int64(st, 7);
	return text_from_columns(a, st, 1, &v->text);
}

int agreement_versions(db *d, arena *a, int64_t group_id, struct agreement_version **ret,
		       size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT v.version, v.aims, v.rules, v.value_ids, v.change_note, s.display_name, "
		"r.display_name, v.ratified_at FROM agreement_version v "
		"LEFT JOIN person s ON s.id = v.suggested_by LEFT JOIN person r ON r.id = v.ratified_by "
		"WHERE v.group_id = ? ORDER BY v.version DESC LIMIT 200");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the agreement's history.");
	db_bind_int64(st, 1, group_id);
	int rc = read_rows(a, st, sizeof **ret, version_row, (void **)ret, ret_n);
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the agreement's history.");
	return 0;
}

/* Agreements with suggestion_id from people who are active members of its
 * group. */
static int count_agreeing(db *d, int64_t suggestion_id, int *ret)
{
	db_stmt *st = db_prepare(d,
		"SELECT COUNT(*) FROM agreement_support a JOIN agreement_suggestion s "
		"ON s.id = a.suggestion_id JOIN membership m ON m.group_id = s.group_id "
		"AND m.person_id = a.person_id AND m.status = 'active' WHERE a.suggestion_id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, suggestion_id);
	int rc = db_step(st);
	*ret = rc == DB_ROW ? (int)db_col_int64(st, 0) : 0;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* sql (about one person's agreement with one suggestion) prepared, with
 * suggestion_id and person_id bound to its first two parameters; NULL when
 * it cannot be prepared. */
static db_stmt *support_stmt(db *d, const char *sql, int64_t suggestion_id, int64_t person_id)
{
	db_stmt *st = db_prepare(d, sql);
	if (st) {
		db_bind_int64(st, 1, suggestion_id);
		db_bind_int64(st, 2, person_id);
	}
	return st;
}

static bool has_agreed(db *d, int64_t suggestion_id, int64_t person_id)
{
	db_stmt *st = support_stmt(d,
		"SELECT 1 FROM agreement_support WHERE suggestion_id = ? AND person_id = ?",
		suggestion_id, person_id);
	bool yes = st && db_step(st) == DB_ROW;
	if (st)
		db_reset(st);
	return yes;
}

static int suggestion_row(arena *a, db_stmt *st, void *elem)
{
	struct agreement_suggestion *s = elem;
	s->id = db_col_int64(st, 0);
	s->group_id = db_col_int64(st, 11);
	s->author_id = db_col_int64(st, 1);
	s->author_name = arena_strdup(a, db_col_text(st, 2));
	s->base_version = (int)db_col_int64(st, 3);
	s->reason = arena_strdup(a, db_col_text(st, 7));
	s->status = arena_strdup(a, db_col_text(st, 8));
	s->created_at = db_col_int64(st, 9);
	s->decided_at = db_col_int64(st, 10);
	return text_from_columns(a, st, 4, &s->text);
}

int agreement_suggestions(db *d, arena *a, int64_t group_id, int64_t viewer_id,
			  struct agreement_suggestion **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT s.id, s.author_id, p.display_name, s.base_version, s.aims, s.rules, "
		"s.value_ids, s.reason, s.status, s.created_at, s.decided_at, s.group_id "
		"FROM agreement_suggestion s LEFT JOIN person p ON p.id = s.author_id "
		"WHERE s.group_id = ? ORDER BY CASE WHEN s.status = 'open' THEN 0 ELSE 1 END, "
		"s.created_at DESC, s.id DESC LIMIT 100");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the suggestions.");
	db_bind_int64(st, 1, group_id);
	struct agreement_suggestion *list = NULL;
	size_t n = 0;
	int rc = read_rows(a, st, sizeof *list, suggestion_row, (void **)&list, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		rc = count_agreeing(d, list[i].id, &list[i].agree_count);
		list[i].viewer_agrees = viewer_id && has_agreed(d, list[i].id, viewer_id);
	}
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the suggestions.");
	*ret = list;
	*ret_n = n;
	return 0;
}

/* The built-in template's ground rules (agreement_template_rule), in order. */
static int builtin_rules(db *d, arena *a, struct agreement_text *t)
{
	db_stmt *st = db_prepare(d, "SELECT text FROM agreement_template_rule ORDER BY position");
	if (!st)
		return ERR_DB;
	const char **list = arena_alloc(a, (AGREEMENT_RULES_MAX + 1) * sizeof *list);
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && list && n < AGREEMENT_RULES_MAX)
		list[n++] = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	if (rc < 0 || !list)
		return rc < 0 ? rc : ERR_NOMEM;
	t->rules = list;
	t->n_rules = n;
	return 0;
}

int agreement_template_get(db *d, arena *a, struct agreement_template *ret, herr *e)
{
	memset(ret, 0, sizeof *ret);
	db_stmt *st = db_prepare(d,
		"SELECT t.aims, t.rules, t.value_ids, p.display_name, t.updated_at "
		"FROM network_agreement_template t LEFT JOIN person p ON p.id = t.updated_by "
		"WHERE t.id = 1");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the template.");
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->edited = true;
		rc = text_from_columns(a, st, 0, &ret->text);
		ret->updated_by = arena_strdup(a, db_col_text(st, 3));
		ret->updated_at = db_col_int64(st, 4);
	}
	db_reset(st);
	if (rc >= 0 && !ret->edited) {
		ret->text.aims = AGREEMENT_TEMPLATE_AIMS;
		rc = builtin_rules(d, a, &ret->text);
	}
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the template.");
	return 0;
}

/* ---- changing ------------------------------------------------------- */

/* What a change does inside its write transaction, with a scratch arena;
 * ctx is the change's own arguments. */
typedef int (*locked_fn)(db *d, arena *a, void *ctx, herr *e);

/* Runs locked in a write transaction with a scratch arena, committing when
 * it returns 0 and rolling back otherwise; failure is what to say when the
 * transaction cannot begin. */
static int run_locked(db *d, locked_fn locked, void *ctx, const char *failure, herr *e)
{
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int rc = db_begin_write(d);
	if (rc)
		herr_set(e, rc, NULL, "%s", failure);
	else
		rc = db_finish(d, locked(d, a, ctx, e));
	arena_free(a);
	return rc;
}

static int require_open_group(const struct standing *st, herr *e)
{
	if (st->is_closed)
		return herr_set(e, ERR_CONFLICT, NULL,
				"This group is closed, so its agreement cannot change.");
	return 0;
}

static int require_active_member(const struct standing *st, herr *e)
{
	if (!st->is_member)
		return herr_set(e, ERR_DENIED, NULL,
				"Only members of this group can suggest changes to its agreement "
				"or agree with them.");
	return require_open_group(st, e);
}

/* Makes sure group_id has a row in group_agreement. */
static int ensure_row(db *d, int64_t group_id)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO group_agreement (group_id, threshold, updated_at) "
		"SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT) "
		"WHERE NOT EXISTS (SELECT 1 FROM group_agreement WHERE group_id = ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	db_bind_int64(st, 2, AGREEMENT_THRESHOLD_DEFAULT);
	db_bind_int64(st, 3, time_now_ms());
	db_bind_int64(st, 4, group_id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int check_values_known(db *d, const struct agreement_text *t, herr *e)
{
	for (size_t i = 0; i < t->n_values; i++) {
		for (size_t j = 0; j < i; j++)
			if (t->value_ids[j] == t->value_ids[i])
				return herr_set(e, ERR_INVALID, "values", "A value is chosen twice.");
		if (!value_exists(d, t->value_ids[i]))
			return herr_set(e, ERR_INVALID, "values",
					"One of the values chosen is not on the network's list; "
					"choose from the list.");
	}
	return 0;
}

/* Records that person_id agrees with suggestion_id. */
static int add_support(db *d, int64_t suggestion_id, int64_t person_id)
{
	db_stmt *st = support_stmt(d,
		"INSERT INTO agreement_support (suggestion_id, person_id, created_at) VALUES (?, ?, ?)",
		suggestion_id, person_id);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 3, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int insert_suggestion(db *d, arena *a, int64_t id, int64_t group_id, int64_t author,
			     int base_version, const struct agreement_text *in, const char *reason)
{
	const char *rules, *ids;
	if (text_to_columns(a, in, &rules, &ids))
		return ERR_NOMEM;
	db_stmt *st = db_prepare(d,
		"INSERT INTO agreement_suggestion (id, group_id, author_id, base_version, aims, rules, "
		"value_ids, reason, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, group_id);
	db_bind_int64(st, 3, author);
	db_bind_int64(st, 4, base_version);
	db_bind_text(st, 5, in->aims);
	db_bind_text(st, 6, rules);
	db_bind_text(st, 7, ids);
	db_bind_text(st, 8, reason);
	db_bind_int64(st, 9, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : add_support(d, id, author);
}

struct suggest_args {
	int64_t author_id, group_id, id;
	const struct agreement_text *in;
	const char *reason;
};

static int suggest_locked(db *d, arena *a, void *ctx, herr *e)
{
	struct suggest_args *x = ctx;
	struct agreement cur;
	int rc = check_values_known(d, x->in, e);
	if (rc)
		return rc;
	if ((rc = read_agreement(d, a, x->group_id, &cur)))
		return herr_set(e, rc, NULL, "Could not read the group's agreement.");
	if ((rc = insert_suggestion(d, a, x->id, x->group_id, x->author_id, cur.version, x->in,
				    x->reason)))
		return herr_set(e, rc, NULL, "Could not save the suggestion.");
	return 0;
}

int agreement_suggest(db *d, const struct actor *actor, int64_t group_id,
		      const struct agreement_text *in, const char *reason, int64_t *ret_id,
		      herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = require_active_member(&st, e);
	if (!rc)
		rc = agreement_check_text(in, e);
	if (!rc)
		rc = check_field(reason, "reason", "why you suggest this change", true,
				 AGREEMENT_REASON_MAX, e);
	if (rc)
		return rc;
	struct suggest_args x = { actor->person_id, group_id, id_new(), in, reason };
	rc = run_locked(d, suggest_locked, &x, "Could not save the suggestion.", e);
	if (!rc && ret_id)
		*ret_id = x.id;
	return rc;
}

/* The suggestion's group, author, base version and status. */
struct suggestion_ref {
	int64_t group_id;
	int64_t author_id;
	int base_version;
	char status[16];
};

static int find_suggestion(db *d, int64_t id, struct suggestion_ref *ret, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT group_id, author_id, base_version, status FROM agreement_suggestion WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the suggestion.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->group_id = db_col_int64(st, 0);
		ret->author_id = db_col_int64(st, 1);
		ret->base_version = (int)db_col_int64(st, 2);
		snprintf(ret->status, sizeof ret->status, "%s", db_col_text(st, 3));
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the suggestion.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such suggestion.");
	return 0;
}

/* The suggestion and the actor's standing in its group; a person who may
 * not see the group's agreement is told it is not there. */
static int load_suggestion(db *d, const struct actor *actor, int64_t id,
			   struct suggestion_ref *ref, struct standing *st, herr *e)
{
	int rc = find_suggestion(d, id, ref, e);
	if (!rc)
		rc = membership_standing(d, ref->group_id, actor, st, e);
	if (!rc && !st->can_see_members)
		rc = herr_set(e, ERR_DENIED, NULL, "Only members of this group can see its agreement.");
	return rc;
}

static int require_open_suggestion(const struct suggestion_ref *ref, herr *e)
{
	if (strcmp(ref->status, "open"))
		return herr_set(e, ERR_CONFLICT, NULL, "This suggestion is no longer open (it was %s).",
				ref->status);
	return 0;
}

int agreement_agree(db *d, const struct actor *actor, int64_t suggestion_id,
		    int64_t *ret_group_id, bool *ret_already, herr *e)
{
	struct suggestion_ref ref;
	struct standing st;
	int rc = load_suggestion(d, actor, suggestion_id, &ref, &st, e);
	if (!rc)
		rc = require_active_member(&st, e);
	if (!rc)
		rc = require_open_suggestion(&ref, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not record your agreement.");
	bool already = has_agreed(d, suggestion_id, actor->person_id);
	if (!already && (rc = add_support(d, suggestion_id, actor->person_id)))
		herr_set(e, rc, NULL, "Could not record your agreement.");
	rc = db_finish(d, rc);
	if (!rc) {
		if (ret_group_id)
			*ret_group_id = ref.group_id;
		if (ret_already)
			*ret_already = already;
	}
	return rc;
}

static int set_suggestion_status(db *d, int64_t id, const char *status)
{
	db_stmt *st = db_prepare(d,
		"UPDATE agreement_suggestion SET status = ?, decided_at = ? WHERE id = ? AND status = 'open'");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, status);
	db_bind_int64(st, 2, time_now_ms());
	db_bind_int64(st, 3, id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Writes version `version` of group_id's agreement and makes it current. */
static int write_version(db *d, arena *a, int64_t group_id, int version,
			 const struct agreement_text *t, const char *note, int64_t suggestion_id,
			 int64_t suggested_by, int64_t ratified_by)
{
	const char *rules, *ids;
	if (text_to_columns(a, t, &rules, &ids))
		return ERR_NOMEM;
	int64_t now = time_now_ms();
	int rc = ensure_row(d, group_id);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d,
		"INSERT INTO agreement_version (group_id, version, aims, rules, value_ids, change_note, "
		"suggestion_id, suggested_by, ratified_by, ratified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	db_bind_int64(st, 2, version);
	db_bind_text(st, 3, t->aims);
	db_bind_text(st, 4, rules);
	db_bind_text(st, 5, ids);
	db_bind_text(st, 6, note);
	if (suggestion_id)
		db_bind_int64(st, 7, suggestion_id);
	else
		db_bind_null(st, 7);
	if (suggested_by)
		db_bind_int64(st, 8, suggested_by);
	else
		db_bind_null(st, 8);
	db_bind_int64(st, 9, ratified_by);
	db_bind_int64(st, 10, now);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (!(st = db_prepare(d,
		"UPDATE group_agreement SET version = ?, aims = ?, rules = ?, value_ids = ?, "
		"updated_at = ? WHERE group_id = ?")))
		return ERR_DB;
	db_bind_int64(st, 1, version);
	db_bind_text(st, 2, t->aims);
	db_bind_text(st, 3, rules);
	db_bind_text(st, 4, ids);
	db_bind_int64(st, 5, now);
	db_bind_int64(st, 6, group_id);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The text and reason of suggestion id. */
static int read_suggestion_text(db *d, arena *a, int64_t id, struct agreement_text *t,
				const char **reason)
{
	db_stmt *st = db_prepare(d,
		"SELECT aims, rules, value_ids, reason FROM agreement_suggestion WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		rc = text_from_columns(a, st, 0, t);
		*reason = arena_strdup(a, db_col_text(st, 3));
	} else if (rc == DB_DONE)
		rc = ERR_NOTFOUND;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

struct ratify_args {
	const struct actor *actor;
	int64_t id;
	const struct suggestion_ref *ref;
	int version;                 /* out: the new version */
};

static int ratify_locked(db *d, arena *a, void *ctx, herr *e)
{
	struct ratify_args *x = ctx;
	const struct suggestion_ref *ref = x->ref;
	int64_t id = x->id;
	struct agreement cur;
	int count = 0;
	int rc = read_agreement(d, a, ref->group_id, &cur);
	if (!rc)
		rc = count_agreeing(d, id, &count);
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the group's agreement.");
	if (ref->base_version != cur.version)
		return herr_set(e, ERR_CONFLICT, NULL,
				"The agreement has changed since this was suggested (it was version %d, "
				"it is now version %d); suggest the change again from the current version.",
				ref->base_version, cur.version);
	int more = agreement_needed(cur.threshold, count);
	if (more)
		return herr_set(e, ERR_INVALID, NULL,
				"This suggestion needs %d more member%s to agree before it can be ratified "
				"(%d of %d so far).", more, more == 1 ? "" : "s", count, cur.threshold);
	struct agreement_text t;
	const char *reason = NULL;
	if ((rc = read_suggestion_text(d, a, id, &t, &reason)))
		return herr_set(e, rc, NULL, "Could not read the suggestion.");
	int version = agreement_next_version(cur.version);
	rc = write_version(d, a, ref->group_id, version, &t, reason, id, ref->author_id,
			   x->actor->person_id);
	if (!rc)
		rc = set_suggestion_status(d, id, "ratified");
	if (rc)
		return herr_set(e, rc, NULL, "Could not ratify the suggestion.");
	x->version = version;
	return 0;
}

int agreement_ratify(db *d, const struct actor *actor, int64_t suggestion_id,
		     int64_t *ret_group_id, int *ret_version, herr *e)
{
	struct suggestion_ref ref;
	struct standing st;
	int rc = load_suggestion(d, actor, suggestion_id, &ref, &st, e);
	if (!rc && ret_group_id)
		*ret_group_id = ref.group_id;
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (!rc)
		rc = require_open_suggestion(&ref, e);
	if (rc)
		return rc;
	struct ratify_args x = { actor, suggestion_id, &ref, 0 };
	rc = run_locked(d, ratify_locked, &x, "Could not ratify the suggestion.", e);
	if (!rc && ret_version)
		*ret_version = x.version;
	return rc;
}

/* Marks the open suggestion id withdrawn or declined (status); failure is
 * what to say when the database fails. */
static int close_suggestion(db *d, const struct suggestion_ref *ref, int64_t id, const char *status,
			    const char *failure, herr *e)
{
	int rc = require_open_suggestion(ref, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "%s", failure);
	if ((rc = set_suggestion_status(d, id, status)))
		herr_set(e, rc, NULL, "%s", failure);
	return db_finish(d, rc);
}

int agreement_withdraw(db *d, const struct actor *actor, int64_t suggestion_id,
		       int64_t *ret_group_id, herr *e)
{
	struct suggestion_ref ref;
	struct standing st;
	int rc = load_suggestion(d, actor, suggestion_id, &ref, &st, e);
	if (!rc && ref.author_id != actor->person_id)
		rc = herr_set(e, ERR_DENIED, NULL, "Only the person who made a suggestion can withdraw it.");
	if (!rc)
		rc = require_open_group(&st, e);
	if (!rc)
		rc = close_suggestion(d, &ref, suggestion_id, "withdrawn", "Could not withdraw the suggestion.", e);
	if (!rc && ret_group_id)
		*ret_group_id = ref.group_id;
	return rc;
}

int agreement_decline(db *d, const struct actor *actor, int64_t suggestion_id,
		      int64_t *ret_group_id, herr *e)
{
	struct suggestion_ref ref;
	struct standing st;
	int rc = load_suggestion(d, actor, suggestion_id, &ref, &st, e);
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (!rc)
		rc = close_suggestion(d, &ref, suggestion_id, "declined", "Could not decline the suggestion.", e);
	if (!rc && ret_group_id)
		*ret_group_id = ref.group_id;
	return rc;
}

int agreement_set_settings(db *d, const struct actor *actor, int64_t group_id, int threshold,
			   const char *review_date, herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (rc)
		return rc;
	if (threshold < 1 || threshold > AGREEMENT_THRESHOLD_MAX)
		return herr_set(e, ERR_INVALID, "threshold",
				"Enter how many members must agree as a whole number from 1 to %d.",
				AGREEMENT_THRESHOLD_MAX);
	if (review_date && *review_date && (rc = schedule_check_date(review_date, "review_date", e)))
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not save the settings.");
	rc = ensure_row(d, group_id);
	db_stmt *q = rc ? NULL : db_prepare(d,
		"UPDATE group_agreement SET threshold = ?, review_date = ?, updated_at = ? WHERE group_id = ?");
	if (!rc && !q)
		rc = ERR_DB;
	if (q) {
		db_bind_int64(q, 1, threshold);
		db_bind_text(q, 2, review_date && *review_date ? review_date : NULL);
		db_bind_int64(q, 3, time_now_ms());
		db_bind_int64(q, 4, group_id);
		rc = db_step(q);
		db_reset(q);
		rc = rc < 0 ? rc : 0;
	}
	if (rc)
		herr_set(e, rc, NULL, "Could not save the settings.");
	return db_finish(d, rc);
}

struct start_args {
	const struct actor *actor;
	int64_t group_id;
};

static int start_locked(db *d, arena *a, void *ctx, herr *e)
{
	const struct actor *actor = ((struct start_args *)ctx)->actor;
	int64_t group_id = ((struct start_args *)ctx)->group_id;
	struct agreement cur;
	int rc = read_agreement(d, a, group_id, &cur);
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the group's agreement.");
	if (cur.version != 0)
		return herr_set(e, ERR_CONFLICT, NULL,
				"This group has an agreement already; suggest a change to it instead.");
	struct agreement_template tmpl;
	if ((rc = agreement_template_get(d, a, &tmpl, e)))
		return rc;
	if ((rc = write_version(d, a, group_id, 1, &tmpl.text, "Started from the network's template.",
				0, 0, actor->person_id)))
		return herr_set(e, rc, NULL, "Could not start the agreement.");
	return 0;
}

int agreement_start(db *d, const struct actor *actor, int64_t group_id, herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc)
		rc = membership_require_manager(&st, e);
	if (rc)
		return rc;
	struct start_args x = { actor, group_id };
	return run_locked(d, start_locked, &x, "Could not start the agreement.", e);
}

/* Replaces the one row of network_agreement_template with t. */
static int write_template(db *d, arena *a, const struct agreement_text *t, int64_t person_id)
{
	const char *rules, *ids;
	if (text_to_columns(a, t, &rules, &ids))
		return ERR_NOMEM;
	db_stmt *st = db_prepare(d,
		"INSERT INTO network_agreement_template (id, aims, rules, value_ids, updated_by, updated_at) "
		"VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET aims = excluded.aims, "
		"rules = excluded.rules, value_ids = excluded.value_ids, "
		"updated_by = excluded.updated_by, updated_at = excluded.updated_at");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, t->aims);
	db_bind_text(st, 2, rules);
	db_bind_text(st, 3, ids);
	db_bind_int64(st, 4, person_id);
	db_bind_int64(st, 5, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

struct template_args {
	int64_t person_id;
	const struct agreement_text *in;
};

static int template_locked(db *d, arena *a, void *ctx, herr *e)
{
	struct template_args *x = ctx;
	int rc = check_values_known(d, x->in, e);
	if (!rc && (rc = write_template(d, a, x->in, x->person_id)))
		herr_set(e, rc, NULL, "Could not save the template.");
	return rc;
}

int agreement_template_set(db *d, const struct actor *actor, const struct agreement_text *in,
			   herr *e)
{
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL,
				"Only coordinators and administrators can change the network's template.");
	int rc = agreement_check_text(in, e);
	if (rc)
		return rc;
	struct template_args x = { actor->person_id, in };
	return run_locked(d, template_locked, &x, "Could not save the template.", e);
}
