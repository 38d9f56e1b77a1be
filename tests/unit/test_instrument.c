/* test_instrument.c - questionnaires as data (src/app/instrument.c): every
 * validation error with its message naming the file and the field; scoring
 * with reversed items, sum and mean, prorating allowed and refused, filler
 * items, subscales and the ONS questions scored one by one; the built-in
 * instruments and the registry with a network's own directory. Also the CSV
 * reader (src/base/csv.c) and the checks of `hearth analyse`'s rows
 * (src/app/analysis.c). */
#include <criterion/criterion.h>

#include "app/analysis.h"
#include "app/instrument.h"
#include "base/arena.h"
#include "base/csv.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A licensed-style example (invented items): seven items of which one is a
 * filler, q2 reversed, a prorated total and two subscales. */
static const char *const EXAMPLE =
	"{\"id\": \"test-scale\", \"name\": \"Test scale\", \"version\": \"1\","
	" \"licence\": \"for tests\", \"citation\": \"none\", \"constructs\": [\"hope\"],"
	" \"validated\": false, \"instructions\": \"Answer each.\","
	" \"options\": [{\"label\": \"No\", \"value\": 1}, {\"label\": \"A little\", \"value\": 2},"
	"   {\"label\": \"Mostly\", \"value\": 3}, {\"label\": \"Yes\", \"value\": 4}],"
	" \"items\": [{\"id\": \"q1\", \"text\": \"One\"}, {\"id\": \"q2\", \"text\": \"Two\"},"
	"   {\"id\": \"q3\", \"text\": \"Three\"}, {\"id\": \"q4\", \"text\": \"Four\"},"
	"   {\"id\": \"f1\", \"text\": \"Filler\", \"filler\": true},"
	"   {\"id\": \"q5\", \"text\": \"Five\"}, {\"id\": \"q6\", \"text\": \"Six\"}],"
	" \"reverse\": [\"q2\"],"
	" \"scales\": ["
	"   {\"id\": \"total\", \"name\": \"Total\", \"items\": [\"q1\", \"q2\", \"q3\", \"q4\", \"q5\", \"q6\"],"
	"    \"rule\": \"sum\", \"higher_is_better\": true, \"prorate_max_missing\": 0.2,"
	"    \"reliable_change\": {\"sd\": 4, \"reliability\": 0.8, \"source\": \"invented\"},"
	"    \"cutoff\": {\"value\": 12.5, \"source\": \"invented\"}},"
	"   {\"id\": \"agency\", \"name\": \"Agency\", \"items\": [\"q1\", \"q2\", \"q3\"], \"rule\": \"mean\"},"
	"   {\"id\": \"pathways\", \"name\": \"Pathways\", \"items\": [\"q4\", \"q5\", \"q6\"]}]}";

static arena *A;

static void setup(void)
{
	A = arena_new(64 * 1024);
}

static void teardown(void)
{
	arena_free(A);
}

static const struct instrument *parse_ok(const char *json)
{
	const struct instrument *in = NULL;
	herr e = { 0 };
	int rc = instrument_parse(json, strlen(json), "t.json", A, &in, &e);
	cr_assert_eq(rc, 0, "parse: %s", e.message);
	return in;
}

/* The example with one change: the JSON value at a path ("items/2/id",
 * "scales/0/reliable_change/reliability") set to the JSON text value, or
 * removed when value is NULL. */
static char *example_with(const char *path, const char *value)
{
	json_t *doc = json_loads(EXAMPLE, 0, NULL);
	cr_assert(doc);
	char buf[200];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *parent = doc;
	char *save = NULL, *part = strtok_r(buf, "/", &save), *next;
	while ((next = strtok_r(NULL, "/", &save))) {
		parent = json_is_array(parent) ? json_array_get(parent, strtoul(part, NULL, 10))
					       : json_object_get(parent, part);
		cr_assert(parent, "no %s in the example", part);
		part = next;
	}
	json_t *v = value ? json_loads(value, JSON_DECODE_ANY, NULL) : NULL;
	cr_assert(!value || v, "bad JSON in the test: %s", value);
	if (json_is_array(parent)) {
		size_t i = strtoul(part, NULL, 10);
		if (v)
			json_array_set_new(parent, i, v);
		else
			json_array_remove(parent, i);
	} else if (v)
		json_object_set_new(parent, part, v);
	else
		json_object_del(parent, part);
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	return text;
}

/* Expects the example with the change to be refused with exactly msg. */
static void refused(const char *path, const char *value, const char *msg)
{
	char *text = example_with(path, value);
	const struct instrument *in = NULL;
	herr e = { 0 };
	int rc = instrument_parse(text, strlen(text), "t.json", A, &in, &e);
	free(text);
	cr_expect_eq(rc, ERR_INVALID, "%s = %s was accepted", path, value ? value : "(removed)");
	cr_expect_str_eq(e.message, msg, "%s = %s", path, value ? value : "(removed)");
}

TestSuite(instrument_parse, .init = setup, .fini = teardown);

Test(instrument_parse, the_example_loads_with_its_parts)
{
	const struct instrument *in = parse_ok(EXAMPLE);
	cr_assert_str_eq(in->id, "test-scale");
	cr_assert_eq(in->n_items, 7);
	cr_assert_eq(in->n_scales, 3);
	cr_assert(!in->validated);
	cr_assert(in->items[1].reverse && !in->items[0].reverse);
	cr_assert(in->items[4].filler);
	cr_assert_eq(in->items[0].min, 1);
	cr_assert_eq(in->items[0].max, 4);
	cr_assert_eq(in->scales[0].rule, RULE_SUM);
	cr_assert_eq(in->scales[0].min, 6);
	cr_assert_eq(in->scales[0].max, 24);
	cr_assert_eq(in->scales[1].rule, RULE_MEAN);
	cr_assert_eq(in->scales[1].min, 1);
	cr_assert_eq(in->scales[1].max, 4);
	cr_assert_eq(in->scales[2].rule, RULE_SUM, "sum is the default rule");
	cr_assert(in->scales[2].higher_is_better, "higher is better by default");
	cr_assert_eq(in->scales[2].prorate_max_missing, 0, "no prorating by default");
	cr_assert_float_eq(in->scales[0].ref_sd, 4, 1e-12);
	cr_assert_float_eq(in->scales[0].reliability, 0.8, 1e-12);
	cr_assert(in->scales[0].has_cutoff && !in->scales[1].has_cutoff);
	cr_assert_eq(in->scales[1].ref_sd, 0);
	cr_assert_str_eq(in->source, "t.json");
}

Test(instrument_parse, not_json_names_the_line)
{
	const struct instrument *in = NULL;
	herr e = { 0 };
	cr_assert_eq(instrument_parse("{\n\"id\": }", 9, "t.json", A, &in, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "t.json: line 2"), "%s", e.message);
	cr_assert_eq(instrument_parse("[1]", 3, "t.json", A, &in, &e), ERR_INVALID);
	cr_assert_str_eq(e.message, "t.json: (top level): should be an object");
}

Test(instrument_parse, unknown_fields_at_every_level)
{
	refused("colour", "\"blue\"", "t.json: colour: unknown field");
	refused("items/2/colour", "1", "t.json: items[2].colour: unknown field");
	refused("options/1/colour", "1", "t.json: options[1].colour: unknown field");
	refused("scales/1/colour", "1", "t.json: scales[1].colour: unknown field");
	refused("scales/0/reliable_change/colour", "1",
		"t.json: scales[0].reliable_change.colour: unknown field");
	refused("scales/0/cutoff/colour", "1", "t.json: scales[0].cutoff.colour: unknown field");
}

Test(instrument_parse, missing_required_fields)
{
	const char *const top[] = { "id", "name", "version", "licence", "citation", "constructs",
				    "validated", "items", "scales" };
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
		char msg[100];
		snprintf(msg, sizeof msg, "t.json: %s: missing (required)", top[i]);
		refused(top[i], NULL, msg);
	}
	refused("items/3/text", NULL, "t.json: items[3].text: missing (required)");
	refused("items/0/id", NULL, "t.json: items[0].id: missing (required)");
	refused("scales/2/items", NULL, "t.json: scales[2].items: missing (required)");
	refused("scales/0/reliable_change/source", NULL,
		"t.json: scales[0].reliable_change.source: missing (required)");
	refused("options", NULL, "t.json: items[0].options: missing (required when the file has no "
		"shared \"options\")");
}

Test(instrument_parse, wrong_types)
{
	refused("validated", "\"yes\"", "t.json: validated: should be true or false");
	refused("name", "3", "t.json: name: should be text (a string)");
	refused("items", "{}", "t.json: items: should be a list");
	refused("items/1", "\"q2\"", "t.json: items[1]: should be an object");
	refused("items/1/reverse", "1", "t.json: items[1].reverse: should be true or false");
	refused("options/0/value", "\"1\"", "t.json: options[0].value: should be a whole number");
	refused("options/0/value", "1.5", "t.json: options[0].value: should be a whole number");
	refused("scales/0/prorate_max_missing", "\"a fifth\"",
		"t.json: scales[0].prorate_max_missing: should be a number");
	refused("scales/0/reliable_change", "[]", "t.json: scales[0].reliable_change: should be an object");
	refused("constructs/0", "7", "t.json: constructs[0]: should be text (a string)");
	refused("reverse/0", "2", "t.json: reverse[0]: should be text (a string)");
}

Test(instrument_parse, duplicate_item_ids)
{
	refused("items/3/id", "\"q2\"", "t.json: items[3].id: duplicate item id \"q2\" (also items[1])");
}

Test(instrument_parse, options_without_values_or_with_duplicates)
{
	refused("options/2/value", NULL, "t.json: options[2].value: missing (required)");
	refused("options/2/value", "2", "t.json: options[2].value: duplicate value 2 (also options[1])");
	refused("options", "[{\"label\": \"Only\", \"value\": 1}]", "t.json: options: needs at least two options");
	refused("options/0/value", "-1", "t.json: options[0].value: should be from 0 to 1000, not -1");
	refused("items/0/options", "[{\"label\": \"A\", \"value\": 0}, {\"label\": \"B\"}]",
		"t.json: items[0].options[1].value: missing (required)");
}

Test(instrument_parse, reverse_naming_no_item)
{
	refused("reverse", "[\"q1\", \"q9\"]", "t.json: reverse[1]: no item \"q9\"");
}

Test(instrument_parse, scales_naming_missing_or_filler_items)
{
	refused("scales/1/items/2", "\"q9\"", "t.json: scales[1].items[2]: no item \"q9\"");
	refused("scales/2/items/0", "\"f1\"",
		"t.json: scales[2].items[0]: \"f1\" is a filler item, which is never scored");
	refused("scales/2/items/0", "\"q5\"", "t.json: scales[2].items[1]: \"q5\" is listed twice");
	refused("scales/2/items", "[]", "t.json: scales[2].items: needs at least one item");
	refused("scales/2/id", "\"agency\"", "t.json: scales[2].id: duplicate scale id \"agency\" (also scales[1])");
	refused("scales/1/rule", "\"median\"", "t.json: scales[1].rule: should be \"sum\" or \"mean\", not \"median\"");
}

Test(instrument_parse, prorate_share_must_be_in_zero_to_one)
{
	refused("scales/0/prorate_max_missing", "1",
		"t.json: scales[0].prorate_max_missing: should be a share from 0 up to (not including) 1, not 1");
	refused("scales/0/prorate_max_missing", "-0.1",
		"t.json: scales[0].prorate_max_missing: should be a share from 0 up to (not including) 1, not -0.1");
	free(example_with("scales/0/prorate_max_missing", "0"));
}

Test(instrument_parse, reliability_must_be_inside_zero_and_one)
{
	char want[200];
	const char *const bad[] = { "0", "1", "1.2", "-0.5" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(want, sizeof want, "t.json: scales[0].reliable_change.reliability: should be "
			 "between 0 and 1 (not including either), not %s", bad[i]);
		refused("scales/0/reliable_change/reliability", bad[i], want);
	}
	refused("scales/0/reliable_change/sd", "0",
		"t.json: scales[0].reliable_change.sd: should be more than 0, not 0");
	refused("scales/0/cutoff/value", "30",
		"t.json: scales[0].cutoff.value: 30 is outside the scale's range 6 to 24");
}

Test(instrument_parse, ids_are_short_lowercase_letters_digits_and_dashes)
{
	refused("id", "\"Test_Scale\"", "t.json: id: \"Test_Scale\" is not a valid id (use 1 to 40 "
		"characters from a-z, 0-9 and -)");
	refused("id", "\"\"", "t.json: id: \"\" is not a valid id (use 1 to 40 characters from a-z, 0-9 and -)");
	refused("items/0/id", "\"q 1\"", "t.json: items[0].id: \"q 1\" is not a valid id (use 1 to 40 "
		"characters from a-z, 0-9 and -)");
	refused("scales/0/id", "\"Total\"", "t.json: scales[0].id: \"Total\" is not a valid id (use 1 "
		"to 40 characters from a-z, 0-9 and -)");
	char long_id[INSTRUMENT_ID_MAX + 4];
	memset(long_id + 1, 'a', INSTRUMENT_ID_MAX + 1);
	long_id[0] = '"';
	long_id[INSTRUMENT_ID_MAX + 2] = '"';
	long_id[INSTRUMENT_ID_MAX + 3] = '\0';
	char want[200];
	snprintf(want, sizeof want, "t.json: id: %s is not a valid id (use 1 to 40 characters from "
		 "a-z, 0-9 and -)", long_id);
	refused("id", long_id, want);
	long_id[INSTRUMENT_ID_MAX + 1] = '"';   /* exactly INSTRUMENT_ID_MAX: fine */
	long_id[INSTRUMENT_ID_MAX + 2] = '\0';
	char *text = example_with("id", long_id);
	parse_ok(text);
	free(text);
}

/* ---- scoring -------------------------------------------------------- */

TestSuite(instrument_score, .init = setup, .fini = teardown);

#define M INSTRUMENT_MISSING

Test(instrument_score, reverses_sums_and_averages)
{
	const struct instrument *in = parse_ok(EXAMPLE);
	/*               q1 q2 q3 q4 f1 q5 q6 */
	int answers[] = { 3, 1, 3, 2, 4, 3, 4 };
	double s[3];
	bool ok[3];
	cr_assert_eq(instrument_score(in, answers, s, ok), 3);
	/* q2 = 1 reversed is 1 + 4 - 1 = 4 */
	cr_assert_float_eq(s[0], 3 + 4 + 3 + 2 + 3 + 4, 1e-12);
	cr_assert_float_eq(s[1], (3 + 4 + 3) / 3.0, 1e-12);
	cr_assert_float_eq(s[2], 2 + 3 + 4, 1e-12);
}

Test(instrument_score, fillers_are_never_scored)
{
	const struct instrument *in = parse_ok(EXAMPLE);
	int a1[] = { 2, 2, 2, 2, 1, 2, 2 }, a2[] = { 2, 2, 2, 2, 4, 2, 2 }, a3[] = { 2, 2, 2, 2, M, 2, 2 };
	double s1[3], s2[3], s3[3];
	bool ok1[3], ok2[3], ok3[3];
	instrument_score(in, a1, s1, ok1);
	instrument_score(in, a2, s2, ok2);
	instrument_score(in, a3, s3, ok3);
	for (int i = 0; i < 3; i++) {
		cr_assert(ok1[i] && ok2[i] && ok3[i], "scale %d", i);
		cr_assert_float_eq(s1[i], s2[i], 1e-12);
		cr_assert_float_eq(s1[i], s3[i], 1e-12, "an unanswered filler is not a missing item");
	}
	cr_assert_float_eq(s1[0], 2 * 5 + 3, 1e-12);   /* q2 = 2 reversed is 3 */
}

Test(instrument_score, prorates_within_the_allowed_share)
{
	const struct instrument *in = parse_ok(EXAMPLE);
	/* One of six missing (0.17 <= 0.2): the mean of the five answered times six. */
	int one[] = { 3, 1, 3, 3, M, 3, M };
	double s[3];
	bool ok[3];
	instrument_score(in, one, s, ok);
	cr_assert(ok[0]);
	cr_assert_float_eq(s[0], (3 + 4 + 3 + 3 + 3) / 5.0 * 6, 1e-12);
	/* The pathways subscale does not prorate: q6 missing means no score. */
	cr_assert(!ok[2]);
	cr_assert(ok[1]);
	/* Two of six missing (0.33 > 0.2): no total. */
	int two[] = { 3, M, 3, 3, 2, 3, M };
	cr_assert_eq(instrument_score(in, two, s, ok), 0);
	cr_assert(!ok[0] && !ok[1] && !ok[2]);
	/* Nothing answered: nothing scored, even where prorating is allowed. */
	int none[] = { M, M, M, M, M, M, M };
	cr_assert_eq(instrument_score(in, none, s, ok), 0);
}

Test(instrument_score, prorating_off_means_no_score_when_any_item_is_missing)
{
	char *text = example_with("scales/0/prorate_max_missing", "0");
	const struct instrument *in = parse_ok(text);
	free(text);
	int one[] = { 3, 1, 3, 3, 2, 3, M };
	double s[3];
	bool ok[3];
	instrument_score(in, one, s, ok);
	cr_assert(!ok[0]);
}

Test(instrument_score, prorating_a_mean_scale_is_the_mean_of_the_answered)
{
	char *text = example_with("scales/1/prorate_max_missing", "0.4");
	const struct instrument *in = parse_ok(text);
	free(text);
	int a[] = { 4, M, 2, 1, 1, 1, 1 };
	double s[3];
	bool ok[3];
	instrument_score(in, a, s, ok);
	cr_assert(ok[1]);
	cr_assert_float_eq(s[1], 3, 1e-12);
}

Test(instrument_score, per_item_option_lists_and_allowed_values)
{
	const struct instrument *in = parse_ok(EXAMPLE);
	cr_assert(instrument_value_allowed(&in->items[0], 4));
	cr_assert(!instrument_value_allowed(&in->items[0], 0));
	cr_assert(!instrument_value_allowed(&in->items[0], 5));
}

/* ---- the built-in instruments and the registry ---------------------- */

TestSuite(instrument_builtin, .init = setup, .fini = teardown);

Test(instrument_builtin, rosenberg_scores_zero_to_thirty_with_five_reversed)
{
	const struct instrument *in = instrument_find("rosenberg-self-esteem");
	cr_assert(in);
	cr_assert_str_eq(in->source, "built-in");
	cr_assert(in->validated);
	cr_assert_eq(in->n_items, 10);
	cr_assert_eq(in->n_scales, 1);
	for (size_t i = 0; i < 10; i++) {
		bool reversed = i + 1 == 2 || i + 1 == 5 || i + 1 == 6 || i + 1 == 8 || i + 1 == 9;
		cr_assert_eq(in->items[i].reverse, reversed, "item %zu", i + 1);
		cr_assert_eq(in->items[i].n_options, 4);
		cr_assert_str_eq(in->items[i].options[0].label, "Strongly agree");
		cr_assert_eq(in->items[i].options[0].value, 3);
		cr_assert_str_eq(in->items[i].options[3].label, "Strongly disagree");
		cr_assert_eq(in->items[i].options[3].value, 0);
	}
	const struct instrument_scale *t = &in->scales[0];
	cr_assert_eq(t->min, 0);
	cr_assert_eq(t->max, 30);
	cr_assert(t->higher_is_better);
	cr_assert(!t->has_cutoff);
	cr_assert(t->ref_sd > 0 && t->reliability > 0 && t->reliability < 1);
	double s;
	bool ok;
	/* "Strongly agree" to every statement: 3 on each positive one, 0 on each reversed. */
	int agree[10] = { 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 };
	instrument_score(in, agree, &s, &ok);
	cr_assert(ok);
	cr_assert_float_eq(s, 15, 1e-12);
	/* Agreeing strongly with the positive, disagreeing strongly with the negative: 30. */
	int best[10] = { 3, 0, 3, 3, 0, 0, 3, 0, 0, 3 };
	instrument_score(in, best, &s, &ok);
	cr_assert_float_eq(s, 30, 1e-12);
	int worst[10] = { 0, 3, 0, 0, 3, 3, 0, 3, 3, 0 };
	instrument_score(in, worst, &s, &ok);
	cr_assert_float_eq(s, 0, 1e-12);
	int missing[10] = { 3, 0, 3, 3, 0, 0, 3, 0, 0, M };
	cr_assert_eq(instrument_score(in, missing, &s, &ok), 0, "no prorating for the Rosenberg");
}

Test(instrument_builtin, ons_questions_are_reported_one_by_one)
{
	const struct instrument *in = instrument_find("ons-personal-wellbeing");
	cr_assert(in);
	cr_assert_eq(in->n_items, 4);
	cr_assert_eq(in->n_scales, 4);
	const char *const ids[] = { "life-satisfaction", "worthwhile", "happiness", "anxiety" };
	for (size_t i = 0; i < 4; i++) {
		cr_assert_str_eq(in->scales[i].id, ids[i]);
		cr_assert_eq(in->scales[i].n_items, 1);
		cr_assert_eq(in->scales[i].min, 0);
		cr_assert_eq(in->scales[i].max, 10);
		cr_assert_eq(in->items[i].n_options, 11);
		cr_assert_eq(in->scales[i].higher_is_better, i != 3, "%s", ids[i]);
	}
	int answers[] = { 7, 8, M, 3 };
	double s[4];
	bool ok[4];
	cr_assert_eq(instrument_score(in, answers, s, ok), 3);
	cr_assert(ok[0] && ok[1] && !ok[2] && ok[3]);
	cr_assert_float_eq(s[0], 7, 1e-12);
	cr_assert_float_eq(s[1], 8, 1e-12);
	cr_assert_float_eq(s[3], 3, 1e-12);
}

static char *temp_dir(void)
{
	static char dir[64];
	snprintf(dir, sizeof dir, "/tmp/hearth-instr-XXXXXX");
	cr_assert(mkdtemp(dir));
	return dir;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
}

static void remove_dir(const char *dir, const char *const *names, size_t n)
{
	char path[256];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

Test(instrument_builtin, registry_adds_a_networks_files_and_refuses_a_clash)
{
	char *dir = temp_dir();
	write_file(dir, "mine.json", EXAMPLE);
	write_file(dir, "notes.txt", "not an instrument");
	herr e = { 0 };
	cr_assert_eq(instrument_registry_load(dir, &e), 0, "%s", e.message);
	size_t n;
	const struct instrument *const *all = instrument_all(&n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(all[0]->id, "ons-personal-wellbeing");
	cr_assert_str_eq(all[1]->id, "rosenberg-self-esteem");
	cr_assert_str_eq(all[2]->id, "test-scale");
	cr_assert(strstr(instrument_find("test-scale")->source, "mine.json"));

	/* A second file with a built-in's id: an error naming the file; the
	 * registry keeps what it had. */
	char *clash = example_with("id", "\"rosenberg-self-esteem\"");
	write_file(dir, "zz.json", clash);
	free(clash);
	cr_assert_eq(instrument_registry_load(dir, &e), ERR_CONFLICT);
	cr_assert(strstr(e.message, "zz.json: id: \"rosenberg-self-esteem\" is already the id of built-in"),
		  "%s", e.message);
	cr_assert(instrument_find("test-scale"));

	/* A bad file stops the load, naming it. */
	write_file(dir, "zz.json", "{\"id\": \"x\"}");
	cr_assert_eq(instrument_registry_load(dir, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "zz.json: name: missing (required)"), "%s", e.message);

	const char *const names[] = { "mine.json", "notes.txt", "zz.json" };
	remove_dir(dir, names, 3);
	cr_assert_eq(instrument_registry_load(dir, &e), ERR_NOTFOUND);
	cr_assert_eq(instrument_registry_load(NULL, &e), 0);
	instrument_all(&n);
	cr_assert_eq(n, 2);
}

/* ---- CSV and the rows of an analysis ------------------------------- */

TestSuite(csv, .init = setup, .fini = teardown);

static int csv(const char *text, struct csv_record **recs, size_t *n, herr *e)
{
	return csv_parse(text, strlen(text), "a.csv", A, recs, n, e);
}

Test(csv, quoting_line_breaks_and_crlf)
{
	struct csv_record *r;
	size_t n;
	herr e = { 0 };
	cr_assert_eq(csv("\xEF\xBB\xBFh1,h2\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\r\nlast,x", &r, &n, &e), 0,
		     "%s", e.message);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(r[0].fields[0], "h1");
	cr_assert_str_eq(r[1].fields[0], "a,b");
	cr_assert_str_eq(r[1].fields[1], "say \"hi\"");
	cr_assert_str_eq(r[2].fields[0], "two\nlines");
	cr_assert_str_eq(r[2].fields[1], "");
	cr_assert_eq(r[3].line, 5, "the line count includes the break inside quotes");
	cr_assert_eq(r[3].n_fields, 2);
}

Test(csv, errors_name_the_line_and_field)
{
	struct csv_record *r;
	size_t n;
	herr e = { 0 };
	cr_assert_eq(csv("a,b\nx,y\"z\n", &r, &n, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "a.csv: line 2, field 2: a \" inside a field"), "%s", e.message);
	cr_assert_eq(csv("a,b\n\"x\"y,z\n", &r, &n, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "a.csv: line 2, field 1: there is text after the closing quote"), "%s", e.message);
	cr_assert_eq(csv("a,b\nx,\"open\n\n", &r, &n, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "a.csv: line 2, field 2: a quoted field that starts here is never closed"),
		  "%s", e.message);
}

static int rows(const char *text, struct analysis_data *d, herr *e)
{
	struct csv_record *r;
	size_t n;
	int rc = csv(text, &r, &n, e);
	cr_assert_eq(rc, 0, "%s", e->message);
	return analysis_read(instrument_find("rosenberg-self-esteem"), r, n, "a.csv", A, d, e);
}

Test(csv, analysis_rows_are_checked_against_the_instrument)
{
	struct analysis_data d;
	herr e = { 0 };
	cr_assert_eq(rows("time,rse2,person\n2,3,b\n1,,b\n\n1,0,a\n", &d, &e), 0, "%s", e.message);
	cr_assert_eq(d.n_rows, 3);
	cr_assert_str_eq(d.rows[0].person, "a");
	cr_assert_eq(d.rows[1].time, 1);
	cr_assert_eq(d.rows[1].answers[1], INSTRUMENT_MISSING);
	cr_assert_eq(d.rows[2].answers[1], 3);
	cr_assert_eq(d.rows[2].answers[0], INSTRUMENT_MISSING, "a column not in the file is unanswered");

	const struct { const char *csv, *msg; } bad[] = {
		{ "person,time,rse1\na,1,2,3\n", "a.csv: line 2: has 4 fields but the header has 3" },
		{ "person,time,rse1\na,1,two\n", "a.csv: line 2, column \"rse1\": \"two\" is not a number "
		  "(leave the cell empty for an unanswered item)" },
		{ "person,time,rse1\na,1,4\n", "a.csv: line 2, column \"rse1\": 4 is not one of the "
		  "item's values (3, 2, 1, 0)" },
		{ "person,time,rse1\na,1,1.5\n", "a.csv: line 2, column \"rse1\": 1.5 is not one of the "
		  "item's values (3, 2, 1, 0)" },
		{ "person,time,rse11\n", "a.csv: line 1, column \"rse11\": not an item of "
		  "rosenberg-self-esteem (the columns are person, time and item ids)" },
		{ "person,time,rse1,rse1\n", "a.csv: line 1, column \"rse1\": appears twice (also column 3)" },
		{ "time,rse1\n", "a.csv: line 1: there is no \"person\" column (the header must name "
		  "person, time and the item ids)" },
		{ "person,rse1\n", "a.csv: line 1: there is no \"time\" column (the header must name "
		  "person, time and the item ids)" },
		{ "person,time\na,soon\n", "a.csv: line 2, column \"time\": \"soon\" is neither a whole "
		  "number nor a date (YYYY-MM-DD)" },
		{ "person,time\na,2026-02-30\n", "a.csv: line 2, column \"time\": \"2026-02-30\" is neither "
		  "a whole number nor a date (YYYY-MM-DD)" },
		{ "person,time\na,2026-01-05\nb,3\n", "a.csv: line 3, column \"time\": \"3\" is a number but "
		  "the rows above give dates" },
		{ "person,time\n,1\n", "a.csv: line 2, column \"person\": empty (every row needs the "
		  "person's code)" },
		{ "person,time\na,1\nb,1\na,1\n", "a.csv: line 4: person \"a\" already has a row for this "
		  "time (line 2)" },
		{ "", "a.csv: the file is empty (it needs a header line: person,time and the item ids)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_eq(rows(bad[i].csv, &d, &e), ERR_INVALID, "%s", bad[i].csv);
		cr_expect_str_eq(e.message, bad[i].msg);
	}
}

Test(csv, analysis_pairs_each_persons_first_and_last_time)
{
	struct analysis_data d;
	herr e = { 0 };
	/* a: 10 -> 20 (time 1 -> 3, time 2 ignored); b: 20 -> 30; c: baseline only. */
	const char *text =
		"person,time,rse1,rse2,rse3,rse4,rse5,rse6,rse7,rse8,rse9,rse10\n"
		"a,3,2,1,2,2,1,1,2,1,1,2\n"
		"a,1,1,2,1,1,2,2,1,2,2,1\n"
		"a,2,0,3,0,0,3,3,0,3,3,0\n"
		"b,1,2,1,2,2,1,1,2,1,1,2\n"
		"b,2,3,0,3,3,0,0,3,0,0,3\n"
		"c,1,3,0,3,3,0,0,3,0,0,3\n";
	cr_assert_eq(rows(text, &d, &e), 0, "%s", e.message);
	struct analysis_result r;
	cr_assert_eq(analysis_run(&d, A, &r, &e), 0);
	cr_assert_eq(r.people, 3);
	const struct analysis_scale *s = &r.scales[0];
	cr_assert_eq(s->people_followed, 2);
	cr_assert_eq(s->baseline.n, 3);
	cr_assert_float_eq(s->baseline.mean, (10 + 20 + 30) / 3.0, 1e-9);
	cr_assert_eq(s->change.n, 2);
	cr_assert_float_eq(s->change.t.mean, 10, 1e-9);
	cr_assert(s->has_rc && s->has_reliability);
	cr_assert_eq(s->rc.improved, 2, "a change of 10 is beyond 1.96 * sqrt(2) * 5.8 * sqrt(0.15)");
}

static size_t item_at(const struct instrument *in, const char *id)
{
	for (size_t i = 0; i < in->n_items; i++)
		if (!strcmp(in->items[i].id, id))
			return i;
	cr_assert_fail("no item %s", id);
	return 0;
}

/* The demo and the generator answer as someone at a level would: the best
 * option for a positively worded item, the lowest raw value for a reversed
 * one, and the lowest for a lower-is-better question such as anxiety. */
Test(instrument_builtin, answers_at_a_level_respect_reversal_and_direction)
{
	const struct instrument *rse = instrument_find("rosenberg-self-esteem");
	const struct instrument *ons = instrument_find("ons-personal-wellbeing");
	cr_assert(rse && ons);
	size_t plain = item_at(rse, "rse1"), reversed = item_at(rse, "rse2");
	cr_assert_eq(instrument_answer_at_level(rse, plain, 1.0), 3);
	cr_assert_eq(instrument_answer_at_level(rse, plain, 0.0), 0);
	cr_assert_eq(instrument_answer_at_level(rse, reversed, 1.0), 0);
	cr_assert_eq(instrument_answer_at_level(rse, reversed, 0.0), 3);
	cr_assert_eq(instrument_answer_at_level(rse, plain, 7.0), 3, "levels are clamped to 0..1");
	size_t anxiety = item_at(ons, "anxiety"), life = item_at(ons, "life-satisfaction");
	cr_assert_eq(instrument_answer_at_level(ons, anxiety, 1.0), 0);
	cr_assert_eq(instrument_answer_at_level(ons, life, 1.0), 10);
	cr_assert_eq(instrument_answer_at_level(ons, life, 0.5), 5);
}
