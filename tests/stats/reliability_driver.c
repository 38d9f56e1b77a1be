/* reliability_driver.c - runs the statistics engine's reliability figures
 * (src/stats/reliability.c) on a CSV of item answers and prints them as one
 * JSON object, for tests/stats/reliability.sh to compare with R's psych.
 *
 *   reliability_driver FILE.csv
 *
 * FILE.csv has a header line naming the items and then one line per person,
 * one field per item; "NA" or an empty field is a missing answer. A figure
 * that cannot be computed is printed as null with its reason beside it
 * ("<name>_cannot"). */
#include "json_print.h"
#include "stats/reliability.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 10000
#define MAX_ITEMS 64

/* Parses one field ending at ',' or the line's end: a number, or NaN for
 * "NA" or nothing. Returns the end of the field, or NULL when it is not a
 * number. */
static const char *parse_field(const char *s, double *ret)
{
	size_t len = strcspn(s, ",\r\n");
	char *end;
	if (len == 0 || (len == 2 && strncmp(s, "NA", 2) == 0)) {
		*ret = NAN;
		return s + len;
	}
	*ret = strtod(s, &end);
	return end == s + len ? end : NULL;
}

static size_t count_fields(const char *line)
{
	size_t n = 1;
	for (; *line && *line != '\n' && *line != '\r'; line++)
		n += *line == ',';
	return n;
}

/* Reads the answers into x (people x items, row-major); exits on a bad line. */
static size_t read_answers(FILE *f, double *x, size_t *ret_items)
{
	char line[4096];
	size_t n = 0;
	if (!fgets(line, sizeof line, f) || (*ret_items = count_fields(line)) > MAX_ITEMS) {
		fprintf(stderr, "no header, or more than %d items\n", MAX_ITEMS);
		exit(2);
	}
	while (n < MAX_ROWS && fgets(line, sizeof line, f)) {
		const char *s = line;
		for (size_t i = 0; i < *ret_items; i++) {
			s = parse_field(s, &x[n * *ret_items + i]);
			if (!s || (i + 1 < *ret_items && *s++ != ',')) {
				fprintf(stderr, "bad line %zu: %s", n + 2, line);
				exit(2);
			}
		}
		n++;
	}
	return n;
}

static void print_item(const struct stats_reliability_item *it, const char *sep)
{
	printf("{\"dropped\": %s, ", it->dropped ? "true" : "false");
	json_reason("r_drop", it->r_drop_cannot);
	json_reason("if_dropped", it->if_dropped_cannot);
	json_num("r_drop", it->r_drop, ", ");
	json_num("alpha_raw_if_dropped", it->alpha_raw_if_dropped, ", ");
	json_num("alpha_std_if_dropped", it->alpha_std_if_dropped, ", ");
	json_num("loading", it->loading, ", ");
	json_num("uniqueness", it->uniqueness, "}");
	printf("%s", sep);
}

int main(int argc, char **argv)
{
	FILE *f = argc == 2 ? fopen(argv[1], "r") : NULL;
	if (!f) {
		fprintf(stderr, "usage: reliability_driver FILE.csv\n");
		return 2;
	}
	double *x = malloc(sizeof *x * MAX_ROWS * MAX_ITEMS);
	arena *a = arena_new(1 << 16);
	if (!x || !a)
		return 1;
	size_t items = 0, people = read_answers(f, x, &items);
	fclose(f);
	struct stats_reliability r;
	if (stats_reliability(x, people, items, a, &r) != 0)
		return 1;
	printf("{\"people\": %zu, \"items\": %zu, \"items_used\": %zu, ", r.people, r.items,
	       r.items_used);
	json_reason("alpha", r.alpha_cannot);
	json_reason("omega", r.omega_cannot);
	json_num("alpha_raw", r.alpha_raw, ", ");
	json_num("alpha_std", r.alpha_std, ", ");
	json_num("omega_total", r.omega_total, ", ");
	printf("\"omega_iterations\": %d, \"item\": [", r.omega_iterations);
	for (size_t i = 0; i < items; i++)
		print_item(&r.item[i], i + 1 < items ? ", " : "");
	printf("]}\n");
	arena_free(a);
	free(x);
	return 0;
}
