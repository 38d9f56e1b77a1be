/* instrument.c - questionnaires as data: parsing and validating instrument
 * files, the process-wide registry, and scoring (see instrument.h; the file
 * format is documented in docs/instruments.md). */
#include "instrument.h"

#include "../base/embedded.h"
#include "../base/file.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The built-in instruments (the .json files in instruments/), made by tools/embed.py in
 * meson.build like the templates. */
extern const struct embedded_file hearth_instruments[];
extern const size_t hearth_instruments_count;

#define OPTION_VALUE_MAX 1000   /* option values are 0..1000; -1 means unanswered */
#define PATH_MAX_CHARS 96

/* ---- errors --------------------------------------------------------- */

struct parse {
	const char *name;   /* what errors call the file */
	arena *a;
	herr *e;
};

/* Fails with "NAME: FIELD: PROBLEM". */
__attribute__((format(printf, 3, 4)))
static int bad(struct parse *p, const char *field, const char *fmt, ...)
{
	char problem[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	return herr_set(p->e, ERR_INVALID, NULL, "%s: %s: %s", p->name, field, problem);
}

/* "items[3]" + "id" = "items[3].id"; a top-level field has no prefix. */
static const char *field_path(char *out, const char *prefix, const char *name)
{
	if (snprintf(out, PATH_MAX_CHARS, "%s%s%s", prefix, *prefix ? "." : "", name) >= PATH_MAX_CHARS)
		strcpy(out + PATH_MAX_CHARS - 4, "...");
	return out;
}

static const char *index_path(char *out, const char *prefix, size_t i)
{
	if (snprintf(out, PATH_MAX_CHARS, "%s[%zu]", prefix, i) >= PATH_MAX_CHARS)
		strcpy(out + PATH_MAX_CHARS - 4, "...");
	return out;
}

/* ---- the shape of each object ---------------------------------------- */

enum field_type { F_STRING, F_BOOL, F_INT, F_NUMBER, F_ARRAY, F_OBJECT };

struct field_spec {
	const char *name;
	enum field_type type;
	bool required;
};

static bool has_type(const json_t *v, enum field_type t)
{
	switch (t) {
	case F_STRING: return json_is_string(v);
	case F_BOOL: return json_is_boolean(v);
	case F_INT: return json_is_integer(v);
	case F_NUMBER: return json_is_number(v);
	case F_ARRAY: return json_is_array(v);
	case F_OBJECT: return json_is_object(v);
	}
	return false;
}

static const char *type_wanted(enum field_type t)
{
	static const char *const words[] = { "should be text (a string)", "should be true or false",
		"should be a whole number", "should be a number", "should be a list", "should be an object" };
	return words[t];
}

/* Refuses a value that is not an object, any field the specs do not name,
 * a missing required field and a field of the wrong type. */
static int check_object(struct parse *p, const json_t *obj, const char *path,
			const struct field_spec *specs, size_t n)
{
	if (!json_is_object(obj))
		return bad(p, *path ? path : "(top level)", "should be an object");
	char f[PATH_MAX_CHARS];
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		size_t i = 0;
		while (i < n && strcmp(specs[i].name, key))
			i++;
		if (i == n)
			return bad(p, field_path(f, path, key), "unknown field");
	}
	for (size_t i = 0; i < n; i++) {
		v = json_object_get(obj, specs[i].name);
		if (!v && specs[i].required)
			return bad(p, field_path(f, path, specs[i].name), "missing (required)");
		if (v && !has_type(v, specs[i].type))
			return bad(p, field_path(f, path, specs[i].name), "%s", type_wanted(specs[i].type));
	}
	return 0;
}

/* A copy of a string field in the arena; "" when absent. Refuses an empty
 * string when nonempty is asked for. */
static int get_text(struct parse *p, const json_t *obj, const char *path, const char *name,
		    bool nonempty, const char **ret)
{
	const char *s = json_string_value(json_object_get(obj, name));
	char f[PATH_MAX_CHARS];
	if (nonempty && (!s || !*s))
		return bad(p, field_path(f, path, name), "should not be empty");
	if (!(*ret = arena_strdup(p->a, s ? s : "")))
		return herr_set(p->e, ERR_NOMEM, NULL, "Out of memory");
	return 0;
}

static bool get_bool(const json_t *obj, const char *name, bool dflt)
{
	const json_t *v = json_object_get(obj, name);
	return v ? json_is_true(v) : dflt;
}

static bool id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > INSTRUMENT_ID_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* An id field: [a-z0-9-], 1 to INSTRUMENT_ID_MAX characters. */
static int check_id(struct parse *p, const char *field, const char *s)
{
	if (!id_valid(s))
		return bad(p, field, "\"%.*s\" is not a valid id (use 1 to %d characters from a-z, 0-9 "
			   "and -)", 60, s, INSTRUMENT_ID_MAX);
	return 0;
}

/* ---- options -------------------------------------------------------- */

static const struct field_spec option_fields[] = {
	{ "label", F_STRING, true },
	{ "value", F_INT, true },
};

/* Parses an options list at path into the arena, with the smallest and
 * largest value. */
static int parse_options(struct parse *p, const json_t *arr, const char *path,
			 const struct instrument_option **ret, size_t *ret_n, int *ret_min, int *ret_max)
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return bad(p, path, "needs at least two options");
	struct instrument_option *opts = arena_alloc(p->a, n * sizeof *opts);
	if (!opts)
		return herr_set(p->e, ERR_NOMEM, NULL, "Out of memory");
	char at[PATH_MAX_CHARS], f[PATH_MAX_CHARS];
	int min = OPTION_VALUE_MAX, max = 0, rc;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		index_path(at, path, i);
		if ((rc = check_object(p, o, at, option_fields, 2)))
			return rc;
		if ((rc = get_text(p, o, at, "label", true, &opts[i].label)))
			return rc;
		json_int_t v = json_integer_value(json_object_get(o, "value"));
		if (v < 0 || v > OPTION_VALUE_MAX)
			return bad(p, field_path(f, at, "value"), "should be from 0 to %d, not %lld",
				   OPTION_VALUE_MAX, (long long)v);
		for (size_t j = 0; j < i; j++)
			if (opts[j].value == v)
				return bad(p, field_path(f, at, "value"), "duplicate value %lld (also %s[%zu])",
					   (long long)v, path, j);
		opts[i].value = (int)v;
		min = opts[i].value < min ? opts[i].value : min;
		max = opts[i].value > max ? opts[i].value : max;
	}
	*ret = opts;
	*ret_n = n;
	*ret_min = min;
	*ret_max = max;
	return 0;
}

/* ---- items ---------------------------------------------------------- */

static const struct field_spec item_fields[] = {
	{ "id", F_STRING, true },
	{ "text", F_STRING, true },
	{ "reverse", F_BOOL, false },
	{ "filler", F_BOOL, false },
	{ "options", F_ARRAY, false },
};

struct shared_options {
	const struct instrument_option *list;   /* NULL when the file has none */
	size_t n;
	int min, max;
};

static int parse_item(struct parse *p, const json_t *o, const char *at,
		      const struct shared_options *shared, struct instrument_item *it)
{
	char f[PATH_MAX_CHARS];
	int rc = check_object(p, o, at, item_fields, sizeof item_fields / sizeof item_fields[0]);
	if (!rc)
		rc = get_text(p, o, at, "id", false, &it->id);
	if (!rc)
		rc = check_id(p, field_path(f, at, "id"), it->id);
	if (!rc)
		rc = get_text(p, o, at, "text", true, &it->text);
	if (rc)
		return rc;
	it->reverse = get_bool(o, "reverse", false);
	it->filler = get_bool(o, "filler", false);
	const json_t *own = json_object_get(o, "options");
	if (own)
		return parse_options(p, own, field_path(f, at, "options"), &it->options,
				     &it->n_options, &it->min, &it->max);
	if (!shared->list)
		return bad(p, field_path(f, at, "options"),
			   "missing (required when the file has no shared \"options\")");
	it->options = shared->list;
	it->n_options = shared->n;
	it->min = shared->min;
	it->max = shared->max;
	return 0;
}

static long find_item(const struct instrument_item *items, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i].id, id))
			return (long)i;
	return -1;
}

static int parse_items(struct parse *p, const json_t *arr, const struct shared_options *shared,
		       struct instrument *in)
{
	size_t n = json_array_size(arr);
	if (n == 0)
		return bad(p, "items", "needs at least one item");
	struct instrument_item *items = arena_alloc(p->a, n * sizeof *items);
	if (!items)
		return herr_set(p->e, ERR_NOMEM, NULL, "Out of memory");
	char at[PATH_MAX_CHARS], f[PATH_MAX_CHARS];
	for (size_t i = 0; i < n; i++) {
		int rc = parse_item(p, json_array_get(arr, i), index_path(at, "items", i), shared, &items[i]);
		if (rc)
			return rc;
		long j = find_item(items, i, items[i].id);
		if (j >= 0)
			return bad(p, field_path(f, at, "id"), "duplicate item id \"%s\" (also items[%ld])",
				   items[i].id, j);
	}
	in->items = items;
	in->n_items = n;
	return 0;
}

/* The top-level "reverse" list: item ids scored as (min + max - value). */
static int apply_reverse_list(struct parse *p, const json_t *arr, struct instrument *in)
{
	struct instrument_item *items = (struct instrument_item *)in->items;
	char at[PATH_MAX_CHARS];
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *v = json_array_get(arr, i);
		index_path(at, "reverse", i);
		if (!json_is_string(v))
			return bad(p, at, "%s", type_wanted(F_STRING));
		long j = find_item(items, in->n_items, json_string_value(v));
		if (j < 0)
			return bad(p, at, "no item \"%.60s\"", json_string_value(v));
		items[j].reverse = true;
	}
	return 0;
}

/* ---- scales --------------------------------------------------------- */

static const struct field_spec scale_fields[] = {
	{ "id", F_STRING, true },
	{ "name", F_STRING, true },
	{ "items", F_ARRAY, true },
	{ "rule", F_STRING, false },
	{ "higher_is_better", F_BOOL, false },
	{ "prorate_max_missing", F_NUMBER, false },
	{ "reliable_change", F_OBJECT, false },
	{ "cutoff", F_OBJECT, false },
};

static const struct field_spec reliable_change_fields[] = {
	{ "sd", F_NUMBER, true },
	{ "reliability", F_NUMBER, true },
	{ "source", F_STRING, true },
};

static const struct field_spec cutoff_fields[] = {
	{ "value", F_NUMBER, true },
	{ "source", F_STRING, true },
};

/* The scale's items, as indices: each must exist, be scored (not a filler)
 * and appear once. */
static int parse_scale_items(struct parse *p, const json_t *arr, const char *at,
			     const struct instrument *in, struct instrument_scale *s)
{
	char path[PATH_MAX_CHARS], f[PATH_MAX_CHARS];
	field_path(path, at, "items");
	size_t n = json_array_size(arr);
	if (n == 0)
		return bad(p, path, "needs at least one item");
	size_t *idx = arena_alloc(p->a, n * sizeof *idx);
	if (!idx)
		return herr_set(p->e, ERR_NOMEM, NULL, "Out of memory");
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(arr, i);
		index_path(f, path, i);
		if (!json_is_string(v))
			return bad(p, f, "%s", type_wanted(F_STRING));
		long j = find_item(in->items, in->n_items, json_string_value(v));
		if (j < 0)
			return bad(p, f, "no item \"%.60s\"", json_string_value(v));
		if (in->items[j].filler)
			return bad(p, f, "\"%s\" is a filler item, which is never scored", in->items[j].id);
		for (size_t k = 0; k < i; k++)
			if (idx[k] == (size_t)j)
				return bad(p, f, "\"%s\" is listed twice", in->items[j].id);
		idx[i] = (size_t)j;
	}
	s->items = idx;
	s->n_items = n;
	return 0;
}

static void scale_range(const struct instrument *in, struct instrument_scale *s)
{
	double lo = 0, hi = 0;
	for (size_t i = 0; i < s->n_items; i++) {
		lo += in->items[s->items[i]].min;
		hi += in->items[s->items[i]].max;
	}
	if (s->rule == RULE_MEAN) {
		lo /= (double)s->n_items;
		hi /= (double)s->n_items;
	}
	s->min = lo;
	s->max = hi;
}

static int parse_rule(struct parse *p, const json_t *o, const char *at, struct instrument_scale *s)
{
	char f[PATH_MAX_CHARS];
	const char *rule = json_string_value(json_object_get(o, "rule"));
	if (!rule || !strcmp(rule, "sum"))
		s->rule = RULE_SUM;
	else if (!strcmp(rule, "mean"))
		s->rule = RULE_MEAN;
	else
		return bad(p, field_path(f, at, "rule"), "should be \"sum\" or \"mean\", not \"%.40s\"", rule);
	const json_t *share = json_object_get(o, "prorate_max_missing");
	s->prorate_max_missing = share ? json_number_value(share) : 0;
	if (!(s->prorate_max_missing >= 0 && s->prorate_max_missing < 1))
		return bad(p, field_path(f, at, "prorate_max_missing"),
			   "should be a share from 0 up to (not including) 1, not %g", s->prorate_max_missing);
	return 0;
}

static int parse_reliable_change(struct parse *p, const json_t *o, const char *at,
				 struct instrument_scale *s)
{
	char path[PATH_MAX_CHARS], f[PATH_MAX_CHARS];
	field_path(path, at, "reliable_change");
	int rc = check_object(p, o, path, reliable_change_fields, 3);
	if (rc)
		return rc;
	s->ref_sd = json_number_value(json_object_get(o, "sd"));
	s->reliability = json_number_value(json_object_get(o, "reliability"));
	if (!(s->ref_sd > 0) || !isfinite(s->ref_sd))
		return bad(p, field_path(f, path, "sd"), "should be more than 0, not %g", s->ref_sd);
	if (!(s->reliability > 0 && s->reliability < 1))
		return bad(p, field_path(f, path, "reliability"),
			   "should be between 0 and 1 (not including either), not %g", s->reliability);
	const char *source = json_string_value(json_object_get(o, "source"));
	if (!*source)
		return bad(p, field_path(f, path, "source"), "should not be empty");
	return 0;
}

static int parse_cutoff(struct parse *p, const json_t *o, const char *at, struct instrument_scale *s)
{
	char path[PATH_MAX_CHARS], f[PATH_MAX_CHARS];
	field_path(path, at, "cutoff");
	int rc = check_object(p, o, path, cutoff_fields, 2);
	if (rc)
		return rc;
	s->cutoff = json_number_value(json_object_get(o, "value"));
	if (!(s->cutoff >= s->min && s->cutoff <= s->max))
		return bad(p, field_path(f, path, "value"), "%g is outside the scale's range %g to %g",
			   s->cutoff, s->min, s->max);
	if (!*json_string_value(json_object_get(o, "source")))
		return bad(p, field_path(f, path, "source"), "should not be empty");
	s->has_cutoff = true;
	return 0;
}

static int parse_scale(struct parse *p, const json_t *o, const char *at, const struct instrument *in,
		       struct instrument_scale *s)
{
	char f[PATH_MAX_CHARS];
	int rc = check_object(p, o, at, scale_fields, sizeof scale_fields / sizeof scale_fields[0]);
	if (!rc)
		rc = get_text(p, o, at, "id", false, &s->id);
	if (!rc)
		rc = check_id(p, field_path(f, at, "id"), s->id);
	if (!rc)
		rc = get_text(p, o, at, "name", true, &s->name);
	if (!rc)
		rc = parse_scale_items(p, json_object_get(o, "items"), at, in, s);
	if (!rc)
		rc = parse_rule(p, o, at, s);
	if (rc)
		return rc;
	s->higher_is_better = get_bool(o, "higher_is_better", true);
	scale_range(in, s);
	const json_t *v = json_object_get(o, "reliable_change");
	if (v && (rc = parse_reliable_change(p, v, at, s)))
		return rc;
	v = json_object_get(o, "cutoff");
	return v ? parse_cutoff(p, v, at, s) : 0;
}

static int parse_scales(struct parse *p, const json_t *arr, struct instrument *in)
{
	size_t n = json_array_size(arr);
	if (n == 0)
		return bad(p, "scales", "needs at least one scale");
	struct instrument_scale *scales = arena_alloc(p->a, n * sizeof *scales);
	if (!scales)
		return herr_set(p->e, ERR_NOMEM, NULL, "Out of memory");
	char at[PATH_MAX_CHARS], f[PATH_MAX_CHARS];
	for (size_t i = 0; i < n; i++) {
		int rc = parse_scale(p, json_array_get(arr, i), index_path(at, "scales", i), in, &scales[i]);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(scales[j].id, scales[i].id))
				return bad(p, field_path(f, at, "id"),
					   "duplicate scale id \"%s\" (also scales[%zu])", scales[i].id, j);
	}
	in->scales = scales;
	in->n_scales = n;
	return 0;
}

/* ---- the whole file ------------------------------------------------- */

static const struct field_spec instrument_fields[] = {
	{ "id", F_STRING, true },
	{ "name", F_STRING, true },
	{ "version", F_STRING, true },
	{ "licence", F_STRING, true },
	{ "citation", F_STRING, true },
	{ "constructs", F_ARRAY, true },
	{ "validated", F_BOOL, true },
	{ "instructions", F_STRING, false },
	{ "options", F_ARRAY, false },
	{ "items", F_ARRAY, true },
	{ "reverse", F_ARRAY, false },
	{ "scales", F_ARRAY, true },
};

static int parse_constructs(struct parse *p, const json_t *arr, struct instrument *in)
{
	size_t n = json_array_size(arr);
	if (n == 0)
		return bad(p, "constructs", "needs at least one construct");
	const char **list = arena_alloc(p->a, n * sizeof *list);
	if (!list)
		return herr_set(p->e, ERR_NOMEM, NULL, "Out of memory");
	char at[PATH_MAX_CHARS];
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		index_path(at, "constructs", i);
		if (!s)
			return bad(p, at, "%s", type_wanted(F_STRING));
		if (!*s)
			return bad(p, at, "should not be empty");
		list[i] = arena_strdup(p->a, s);
	}
	in->constructs = list;
	in->n_constructs = n;
	return 0;
}

static int parse_header(struct parse *p, const json_t *root, struct instrument *in)
{
	int rc = get_text(p, root, "", "id", false, &in->id);
	if (!rc)
		rc = check_id(p, "id", in->id);
	if (!rc)
		rc = get_text(p, root, "", "name", true, &in->name);
	if (!rc)
		rc = get_text(p, root, "", "version", true, &in->version);
	if (!rc)
		rc = get_text(p, root, "", "licence", true, &in->licence);
	if (!rc)
		rc = get_text(p, root, "", "citation", true, &in->citation);
	if (!rc)
		rc = get_text(p, root, "", "instructions", false, &in->instructions);
	if (!rc)
		rc = parse_constructs(p, json_object_get(root, "constructs"), in);
	in->validated = get_bool(root, "validated", false);
	return rc;
}

static int parse_root(struct parse *p, const json_t *root, struct instrument *in)
{
	int rc = check_object(p, root, "", instrument_fields,
			      sizeof instrument_fields / sizeof instrument_fields[0]);
	if (!rc)
		rc = parse_header(p, root, in);
	struct shared_options shared = { 0 };
	const json_t *opts = json_object_get(root, "options");
	if (!rc && opts)
		rc = parse_options(p, opts, "options", &shared.list, &shared.n, &shared.min, &shared.max);
	if (!rc)
		rc = parse_items(p, json_object_get(root, "items"), &shared, in);
	const json_t *rev = json_object_get(root, "reverse");
	if (!rc && rev)
		rc = apply_reverse_list(p, rev, in);
	if (!rc)
		rc = parse_scales(p, json_object_get(root, "scales"), in);
	return rc;
}

int instrument_parse(const char *json, size_t len, const char *name, arena *a,
		     const struct instrument **ret, herr *e)
{
	struct parse p = { name, a, e };
	json_error_t jerr;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return herr_set(e, ERR_INVALID, NULL, "%s: line %d, column %d: not valid JSON: %s",
				name, jerr.line, jerr.column, jerr.text);
	struct instrument *in = arena_alloc(a, sizeof *in);
	int rc = in ? parse_root(&p, root, in) : herr_set(e, ERR_NOMEM, NULL, "Out of memory");
	json_decref(root);
	if (rc)
		return rc;
	in->source = arena_strdup(a, name);
	*ret = in;
	return 0;
}

int instrument_load_file(const char *path, arena *a, const struct instrument **ret, herr *e)
{
	char *text;
	size_t len;
	int rc = file_read_all(path, a, &text, &len, e);
	return rc ? rc : instrument_parse(text, len, path, a, ret, e);
}

/* ---- the registry --------------------------------------------------- */

struct registry {
	arena *a;
	const struct instrument **list;
	size_t n, cap;
};

static struct registry registry;
static bool registry_loaded;
static pthread_once_t builtins_once = PTHREAD_ONCE_INIT;

static int by_id(const void *x, const void *y)
{
	const struct instrument *const *a = x, *const *b = y;
	return strcmp((*a)->id, (*b)->id);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int registry_add(struct registry *r, const struct instrument *in, herr *e)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->list[i]->id, in->id))
			return herr_set(e, ERR_CONFLICT, NULL, "%s: id: \"%s\" is already the id of %s",
					in->source, in->id, r->list[i]->source);
	const struct instrument **list = arena_grow(r->a, r->list, r->n, &r->cap, sizeof *list);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory");
	list[r->n++] = in;
	r->list = list;
	return 0;
}

static int load_builtins(struct registry *r, herr *e)
{
	for (size_t i = 0; i < hearth_instruments_count; i++) {
		const struct embedded_file *f = &hearth_instruments[i];
		char name[128];
		snprintf(name, sizeof name, "instruments/%s", f->name);
		const struct instrument *in;
		int rc = instrument_parse((const char *)f->data, f->len, name, r->a, &in, e);
		if (!rc)
			((struct instrument *)in)->source = "built-in";
		if (rc || (rc = registry_add(r, in, e)))
			return rc;
	}
	qsort(r->list, r->n, sizeof *r->list, by_id);
	return 0;
}

/* The names of dir's *.json files, sorted, in the arena. */
static int list_json_files(const char *dir, arena *a, char ***ret, size_t *ret_n, herr *e)
{
	DIR *d = opendir(dir);
	if (!d)
		return herr_set(e, ERR_NOTFOUND, NULL, "The instruments directory %s cannot be read: %s",
				dir, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		if (!(names = arena_grow(a, names, n, &cap, sizeof *names))) {
			closedir(d);
			return herr_set(e, ERR_NOMEM, NULL, "Out of memory");
		}
		names[n++] = arena_printf(a, "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	*ret = names;
	*ret_n = n;
	return 0;
}

static int load_directory(struct registry *r, const char *dir, herr *e)
{
	char **files = NULL;
	size_t n = 0;
	int rc = list_json_files(dir, r->a, &files, &n, e);
	size_t first = r->n;
	for (size_t i = 0; !rc && i < n; i++) {
		const struct instrument *in;
		rc = instrument_load_file(files[i], r->a, &in, e);
		if (!rc)
			rc = registry_add(r, in, e);
	}
	if (!rc && r->n > first)
		qsort(r->list + first, r->n - first, sizeof *r->list, by_id);
	return rc;
}

int instrument_registry_load(const char *dir, herr *e)
{
	struct registry r = { arena_new(64 * 1024), NULL, 0, 0 };
	if (!r.a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory");
	int rc = load_builtins(&r, e);
	if (!rc && dir && *dir)
		rc = load_directory(&r, dir, e);
	if (rc) {
		arena_free(r.a);
		return rc;
	}
	arena_free(registry.a);
	registry = r;
	registry_loaded = true;
	return 0;
}

/* Code that reads the registry before start-up filled it (a unit test, a
 * command that needs no configuration) gets the built-ins. */
static void load_builtins_once(void)
{
	if (!registry_loaded)
		instrument_registry_load(NULL, NULL);
}

const struct instrument *instrument_find(const char *id)
{
	pthread_once(&builtins_once, load_builtins_once);
	for (size_t i = 0; id && i < registry.n; i++)
		if (!strcmp(registry.list[i]->id, id))
			return registry.list[i];
	return NULL;
}

const struct instrument *const *instrument_all(size_t *ret_n)
{
	pthread_once(&builtins_once, load_builtins_once);
	*ret_n = registry.n;
	return registry.list;
}

/* ---- scoring -------------------------------------------------------- */

bool instrument_value_allowed(const struct instrument_item *item, int value)
{
	for (size_t i = 0; i < item->n_options; i++)
		if (item->options[i].value == value)
			return true;
	return false;
}

static double scored_value(const struct instrument_item *it, int value)
{
	return it->reverse ? (double)(it->min + it->max - value) : (double)value;
}

/* One scale's score; false when too many items are missing. An answer that
 * is not one of the item's options counts as missing. */
static bool score_scale(const struct instrument *in, const struct instrument_scale *s,
			const int *answers, double *ret)
{
	double total = 0;
	size_t answered = 0;
	for (size_t i = 0; i < s->n_items; i++) {
		const struct instrument_item *it = &in->items[s->items[i]];
		int v = answers[s->items[i]];
		if (v == INSTRUMENT_MISSING || !instrument_value_allowed(it, v))
			continue;
		total += scored_value(it, v);
		answered++;
	}
	size_t missing = s->n_items - answered;
	if (answered == 0)
		return false;
	if (missing > 0 && !((double)missing / (double)s->n_items <= s->prorate_max_missing + 1e-12))
		return false;
	double mean = total / (double)answered;
	*ret = s->rule == RULE_MEAN ? mean : mean * (double)s->n_items;
	return true;
}

size_t instrument_score(const struct instrument *in, const int *answers, double *scores, bool *scored)
{
	size_t n = 0;
	for (size_t s = 0; s < in->n_scales; s++) {
		scores[s] = 0;
		scored[s] = score_scale(in, &in->scales[s], answers, &scores[s]);
		n += scored[s];
	}
	return n;
}

/* Whether item i belongs to a scale on which lower is better. */
static bool in_lower_is_better_scale(const struct instrument *in, size_t i)
{
	for (size_t s = 0; s < in->n_scales; s++)
		for (size_t k = 0; k < in->scales[s].n_items; k++)
			if (in->scales[s].items[k] == i && !in->scales[s].higher_is_better)
				return true;
	return false;
}

int instrument_answer_at_level(const struct instrument *in, size_t i, double level)
{
	const struct instrument_item *it = &in->items[i];
	bool better_high = it->reverse == in_lower_is_better_scale(in, i);
	double f = level < 0 ? 0 : level > 1 ? 1 : level;
	double want = better_high ? it->min + f * (it->max - it->min) : it->max - f * (it->max - it->min);
	int best = it->options[0].value;
	for (size_t o = 1; o < it->n_options; o++)
		if (fabs(it->options[o].value - want) < fabs(best - want))
			best = it->options[o].value;
	return best;
}
