/* paired_driver.c - runs the statistics engine's paired comparison
 * (src/stats/paired.c) and descriptives on a CSV of pairs and prints every
 * statistic as one JSON object, for tests/stats/paired.sh to compare with R.
 *
 *   paired_driver FILE.csv
 *
 * FILE.csv has a header line and then "x1,x2" per person; "NA" or an empty
 * field is a missing score. A statistic that cannot be computed is printed
 * as null with its reason beside it ("<name>_cannot"). "x1_raw" describes the
 * first column with its missing values; the rest use complete pairs only. */
#include "stats/paired.h"

#include "json_print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 100000

/* Parses one field: a number, or NaN for "NA" / empty. */
static int parse_field(const char *s, double *ret)
{
	char *end;
	while (*s == ' ')
		s++;
	if (*s == '\0' || *s == '\n' || *s == '\r' || strncmp(s, "NA", 2) == 0) {
		*ret = NAN;
		return 0;
	}
	*ret = strtod(s, &end);
	return end == s ? -1 : 0;
}

static size_t read_pairs(FILE *f, double *x1, double *x2)
{
	char line[256];
	size_t n = 0;
	if (!fgets(line, sizeof line, f))   /* header */
		return 0;
	while (n < MAX_ROWS && fgets(line, sizeof line, f)) {
		char *comma = strchr(line, ',');
		if (!comma || parse_field(line, &x1[n]) < 0 ||
		    parse_field(comma + 1, &x2[n]) < 0) {
			fprintf(stderr, "bad line %zu: %s", n + 2, line);
			exit(2);
		}
		n++;
	}
	return n;
}

static void describe(const char *name, const struct stats_describe *d)
{
	printf("\"%s\": {\"n\": %zu, \"n_missing\": %zu, ", name, d->n, d->n_missing);
	json_reason("sd", d->sd_cannot);
	json_reason("all", d->cannot);
	json_num("mean", d->mean, ", ");
	json_num("sd", d->sd, ", ");
	json_num("median", d->median, ", ");
	json_num("q1", d->q1, ", ");
	json_num("q3", d->q3, ", ");
	json_num("min", d->min, ", ");
	json_num("max", d->max, "}, ");
}

static void effect(const char *name, const struct stats_effect *e, const char *sep)
{
	printf("\"%s\": {", name);
	json_reason("estimate", e->cannot);
	json_reason("ci", e->ci_cannot);
	json_num("estimate", e->estimate, ", ");
	json_num("ci_lo", e->ci_lo, ", ");
	json_num("ci_hi", e->ci_hi, "}");
	printf("%s", sep);
}

static void print_paired(const struct stats_paired *p, const struct stats_describe *x1_raw)
{
	printf("{\"n\": %zu, \"n_incomplete\": %zu, ", p->n, p->n_incomplete);
	describe("x1_raw", x1_raw);
	describe("before", &p->before);
	describe("after", &p->after);
	describe("diff", &p->diff);
	printf("\"t\": {");
	json_reason("t", p->t.cannot);
	json_num("mean", p->t.mean, ", ");
	json_num("sd", p->t.sd, ", ");
	json_num("ci_lo", p->t.ci_lo, ", ");
	json_num("ci_hi", p->t.ci_hi, ", ");
	json_num("t", p->t.t, ", ");
	json_num("df", p->t.df, ", ");
	json_num("p", p->t.p, "}, ");
	printf("\"wilcoxon\": {\"exact\": %s, \"ties\": %s, \"n_nonzero\": %zu, \"n_zero\": %zu, ",
	       p->wilcoxon.exact ? "true" : "false", p->wilcoxon.ties ? "true" : "false",
	       p->wilcoxon.n_nonzero, p->wilcoxon.n_zero);
	json_reason("w", p->wilcoxon.cannot);
	json_num("v", p->wilcoxon.v, ", ");
	json_num("p", p->wilcoxon.p, "}, ");
	if (isnan(p->hedges_j))
		json_reason("hedges_j", p->g_z.cannot);
	json_num("hedges_j", p->hedges_j, ", ");
	effect("d_z", &p->d_z, ", ");
	effect("d_av", &p->d_av, ", ");
	effect("g_z", &p->g_z, ", ");
	effect("g_av", &p->g_av, "}\n");
}

int main(int argc, char **argv)
{
	static double x1[MAX_ROWS], x2[MAX_ROWS];
	struct stats_paired p;
	struct stats_describe x1_raw;
	if (argc != 2) {
		fprintf(stderr, "usage: paired_driver FILE.csv\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	size_t n = read_pairs(f, x1, x2);
	fclose(f);
	arena *scratch = arena_new(1 << 20);
	if (!scratch || stats_paired(x1, x2, n, scratch, &p) != 0 ||
	    stats_describe(x1, n, scratch, &x1_raw) != 0) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	print_paired(&p, &x1_raw);
	arena_free(scratch);
	return 0;
}
