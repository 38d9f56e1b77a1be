/* analyse_cmd.c - `hearth analyse CSV --instrument ID [--json]`: an
 * evaluator's analysis of answers kept outside the server, with the same
 * statistics engine (src/app/analysis.c does the work; this file reads the
 * file and prints a readable summary or JSON). Needs no database.
 *
 * `hearth analyse --network [--by tag|period|tag,period] [--json]`: the
 * network's figures from the database, exactly as coordinators see them
 * (outcome_for_network_splits), for operators and the benchmark
 * (bench/analysis.sh); both splits come from one reading of the check-ins. */
#include "cli.h"

#include "../app/analysis.h"
#include "../app/checkin.h"
#include "../app/outcome.h"
#include "../base/csv.h"
#include "../base/file.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ----------------------------------------------------------- */

/* v to two decimals, or "-" when it could not be computed. */
static const char *num(char out[32], double v)
{
	if (isfinite(v))
		snprintf(out, 32, "%.2f", v);
	else
		snprintf(out, 32, "-");
	return out;
}

static const char *pval(char out[32], double p)
{
	if (!isfinite(p))
		return num(out, p);
	snprintf(out, 32, p < 0.001 ? "< 0.001" : "%.3f", p);
	return out;
}

static void print_describe(const char *label, const struct stats_describe *d)
{
	char a[32], b[32], c[32], q1[32], q3[32], lo[32], hi[32];
	printf("  %-9s n %zu", label, d->n);
	if (d->n_missing)
		printf(" (%zu not scored)", d->n_missing);
	if (d->cannot) {
		printf(": %s\n", d->cannot);
		return;
	}
	printf(", mean %s, SD %s, median %s, quartiles %s to %s, range %s to %s\n", num(a, d->mean),
	       d->sd_cannot ? "-" : num(b, d->sd), num(c, d->median), num(q1, d->q1), num(q3, d->q3),
	       num(lo, d->min), num(hi, d->max));
}

static void print_effect(const char *name, const struct stats_effect *x)
{
	char v[32], lo[32], hi[32];
	if (x->cannot) {
		printf("    %s: %s\n", name, x->cannot);
		return;
	}
	printf("    %s %s", name, num(v, x->estimate));
	if (x->ci_cannot)
		printf(" (95%% CI %s)\n", x->ci_cannot);
	else
		printf(" (95%% CI %s to %s)\n", num(lo, x->ci_lo), num(hi, x->ci_hi));
}

static void print_change(const struct stats_paired *p)
{
	char a[32], b[32], c[32], d[32], pv[32];
	printf("  Change from baseline to latest, %zu %s with both scores:\n", p->n,
	       p->n == 1 ? "person" : "people");
	if (p->t.cannot)
		printf("    mean change and t-test: %s\n", p->t.cannot);
	else
		printf("    mean change %s (95%% CI %s to %s); paired t(%g) = %s, p %s%s\n",
		       num(a, p->t.mean), num(b, p->t.ci_lo), num(c, p->t.ci_hi), p->t.df,
		       num(d, p->t.t), p->t.p < 0.001 ? "" : "= ", pval(pv, p->t.p));
	if (p->wilcoxon.cannot)
		printf("    Wilcoxon signed-rank: %s\n", p->wilcoxon.cannot);
	else
		printf("    Wilcoxon signed-rank V = %g, p %s%s (%s)\n", p->wilcoxon.v,
		       p->wilcoxon.p < 0.001 ? "" : "= ", pval(pv, p->wilcoxon.p),
		       p->wilcoxon.exact ? "exact" : "normal approximation");
	print_effect("d_z", &p->d_z);
	print_effect("d_av", &p->d_av);
	print_effect("g_z", &p->g_z);
	print_effect("g_av", &p->g_av);
}

static void print_rc(const struct instrument_scale *sc, const struct stats_rc_summary *rc)
{
	char a[32];
	if (rc->cannot) {
		printf("  Reliable change: %s\n", rc->cannot);
		return;
	}
	printf("  Reliable change (reference SD %g, reliability %g: changes of more than %s are\n"
	       "    bigger than the measurement's own wobble): %zu improved, %zu no reliable change, "
	       "%zu worse", sc->ref_sd, sc->reliability, num(a, rc->smallest_reliable_change),
	       rc->improved, rc->no_change, rc->worse);
	if (sc->has_cutoff)
		printf("; %zu clinically significant (cut-off %g)", rc->clinically_significant, sc->cutoff);
	printf("\n");
}

static void print_reliability(const struct stats_reliability *r)
{
	char a[32], b[32];
	printf("  Reliability of the baseline answers (%zu people, %zu of %zu items used):\n",
	       r->people, r->items_used, r->items);
	if (r->alpha_cannot)
		printf("    Cronbach's alpha: %s\n", r->alpha_cannot);
	else
		printf("    Cronbach's alpha %s (standardised %s)\n", num(a, r->alpha_raw), num(b, r->alpha_std));
	if (r->omega_cannot)
		printf("    McDonald's omega total: %s\n", r->omega_cannot);
	else
		printf("    McDonald's omega total %s\n", num(a, r->omega_total));
}

static void print_text(const struct analysis_result *r)
{
	const struct instrument *in = r->in;
	printf("%s (%s): %zu rows, %zu people\n", in->name, in->id, r->rows, r->people);
	if (!in->validated)
		printf("This measure is not validated: read its figures as a guide only.\n");
	for (size_t s = 0; s < in->n_scales; s++) {
		const struct analysis_scale *a = &r->scales[s];
		const struct instrument_scale *sc = a->scale;
		printf("\n%s (%s; %g to %g, %s is better)\n", sc->name, sc->id, sc->min, sc->max,
		       sc->higher_is_better ? "higher" : "lower");
		print_describe("Baseline:", &a->baseline);
		print_describe("Latest:", &a->latest);
		print_change(&a->change);
		if (a->has_rc)
			print_rc(sc, &a->rc);
		else
			printf("  Reliable change: the instrument gives no reference SD and reliability\n");
		if (a->has_reliability)
			print_reliability(&a->reliability);
	}
}

/* ---- JSON ----------------------------------------------------------- */

/* A number, or null when it could not be computed (JSON has no NaN). */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jreason(const char *why)
{
	return why ? json_string(why) : json_null();
}

static json_t *json_describe(const struct stats_describe *d)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"n", (json_int_t)d->n, "n_missing", (json_int_t)d->n_missing,
		"mean", jnum(d->cannot ? NAN : d->mean), "sd", jnum(d->sd_cannot ? NAN : d->sd),
		"median", jnum(d->median), "q1", jnum(d->q1), "q3", jnum(d->q3),
		"min", jnum(d->min), "max", jnum(d->max),
		"cannot", jreason(d->cannot), "sd_cannot", jreason(d->sd_cannot));
}

static json_t *json_effect(const struct stats_effect *x)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "estimate", jnum(x->estimate),
		"ci_lo", jnum(x->ci_lo), "ci_hi", jnum(x->ci_hi), "cannot", jreason(x->cannot),
		"ci_cannot", jreason(x->ci_cannot));
}

static json_t *json_change(const struct stats_paired *p)
{
	return json_pack("{s:I, s:I, s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}, "
			 "s:{s:o, s:o, s:b, s:b, s:I, s:I, s:o}, s:o, s:o, s:o, s:o}",
		"n", (json_int_t)p->n, "n_incomplete", (json_int_t)p->n_incomplete,
		"difference", json_describe(&p->diff),
		"t_test", "mean", jnum(p->t.mean), "sd", jnum(p->t.sd), "se", jnum(p->t.se),
		"ci_lo", jnum(p->t.ci_lo), "ci_hi", jnum(p->t.ci_hi), "t", jnum(p->t.t),
		"df", jnum(p->t.df), "p", jnum(p->t.p), "cannot", jreason(p->t.cannot),
		"wilcoxon", "v", jnum(p->wilcoxon.v), "p", jnum(p->wilcoxon.p),
		"exact", p->wilcoxon.exact, "ties", p->wilcoxon.ties,
		"n_nonzero", (json_int_t)p->wilcoxon.n_nonzero, "n_zero", (json_int_t)p->wilcoxon.n_zero,
		"cannot", jreason(p->wilcoxon.cannot),
		"d_z", json_effect(&p->d_z), "d_av", json_effect(&p->d_av),
		"g_z", json_effect(&p->g_z), "g_av", json_effect(&p->g_av));
}

static json_t *json_rc(const struct stats_rc_summary *rc)
{
	return json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
		"se_measurement", jnum(rc->se_measurement), "s_diff", jnum(rc->s_diff),
		"smallest_reliable_change", jnum(rc->smallest_reliable_change),
		"n", (json_int_t)rc->n, "n_missing", (json_int_t)rc->n_missing,
		"improved", (json_int_t)rc->improved, "no_change", (json_int_t)rc->no_change,
		"worse", (json_int_t)rc->worse,
		"clinically_significant", (json_int_t)rc->clinically_significant,
		"cannot", jreason(rc->cannot));
}

static json_t *json_reliability(const struct instrument *in, const struct instrument_scale *sc,
				const struct stats_reliability *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < r->items; i++) {
		const struct stats_reliability_item *it = &r->item[i];
		json_array_append_new(items, json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
			"item", in->items[sc->items[i]].id, "dropped", it->dropped,
			"r_drop", jnum(it->r_drop), "r_drop_cannot", jreason(it->r_drop_cannot),
			"alpha_raw_if_dropped", jnum(it->alpha_raw_if_dropped),
			"alpha_std_if_dropped", jnum(it->alpha_std_if_dropped),
			"if_dropped_cannot", jreason(it->if_dropped_cannot), "loading", jnum(it->loading)));
	}
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "people", (json_int_t)r->people,
		"items_used", (json_int_t)r->items_used, "alpha_raw", jnum(r->alpha_raw),
		"alpha_std", jnum(r->alpha_std), "alpha_cannot", jreason(r->alpha_cannot),
		"omega_total", jnum(r->omega_total), "omega_cannot", jreason(r->omega_cannot),
		"items", items);
}

static json_t *json_scale(const struct instrument *in, const struct analysis_scale *a)
{
	const struct instrument_scale *sc = a->scale;
	return json_pack("{s:s, s:s, s:f, s:f, s:b, s:I, s:I, s:o, s:o, s:o, s:o, s:o}",
		"id", sc->id, "name", sc->name, "min", sc->min, "max", sc->max,
		"higher_is_better", sc->higher_is_better, "people", (json_int_t)a->people,
		"people_followed", (json_int_t)a->people_followed,
		"baseline", json_describe(&a->baseline), "latest", json_describe(&a->latest),
		"change", json_change(&a->change),
		"reliable_change", a->has_rc ? json_rc(&a->rc) : json_null(),
		"reliability", a->has_reliability ? json_reliability(in, sc, &a->reliability) : json_null());
}

/* Prints doc (taking it; NULL when it could not be made: -1). */
static int print_doc(json_t *doc)
{
	if (!doc)
		return -1;
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
	return 0;
}

static int print_json(const struct analysis_result *r)
{
	json_t *scales = json_array();
	for (size_t s = 0; s < r->in->n_scales; s++)
		json_array_append_new(scales, json_scale(r->in, &r->scales[s]));
	json_t *doc = json_pack("{s:{s:s, s:s, s:s, s:b}, s:I, s:I, s:o}",
		"instrument", "id", r->in->id, "name", r->in->name, "version", r->in->version,
		"validated", r->in->validated, "rows", (json_int_t)r->rows,
		"people", (json_int_t)r->people, "scales", scales);
	return print_doc(doc);
}

/* ---- the network's figures from the database --------------------------- */

/* A count as shown: null when disclosure control hides it. */
static json_t *jcount(long n, bool hidden)
{
	return hidden ? json_null() : json_integer(n);
}

static json_t *json_network_row(const struct outcome_change *r)
{
	bool hidden = r->figure_hidden;
	return json_pack("{s:s, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
		"label", r->label, "n", jcount(r->n, r->n_hidden), "hidden", hidden,
		"has_rc", r->has_rc, "baseline_mean", jnum(hidden ? NAN : r->baseline_mean),
		"latest_mean", jnum(hidden ? NAN : r->latest_mean),
		"improved", jcount(r->rc[RC_IMPROVED], !r->has_rc || r->rc_hidden[RC_IMPROVED]),
		"no_reliable_change", jcount(r->rc[RC_NONE], !r->has_rc || r->rc_hidden[RC_NONE]),
		"worse", jcount(r->rc[RC_WORSE], !r->has_rc || r->rc_hidden[RC_WORSE]),
		"change", hidden ? json_null() : json_change(&r->test));
}

static const char *split_name(enum outcome_split by)
{
	return by == OUTCOME_BY_TAG ? "tag" : "period";
}

static json_t *network_json(const struct outcome_network *n)
{
	json_t *scales = json_array();
	for (size_t i = 0; i < n->n_scales; i++) {
		const struct outcome_scale *os = &n->scales[i];
		json_t *rows = json_array();
		for (size_t k = 0; k < os->n_rows; k++)
			json_array_append_new(rows, json_network_row(&os->rows[k]));
		json_array_append_new(scales, json_pack("{s:s, s:s, s:s, s:b, s:f, s:o, s:o}",
			"instrument_id", os->in->id, "scale_id", os->in->scales[os->scale].id,
			"scale_name", os->in->scales[os->scale].name,
			"higher_is_better", os->in->scales[os->scale].higher_is_better,
			"smallest_reliable_change", outcome_reliable_change_size(&os->in->scales[os->scale]),
			"all", json_network_row(&os->all), "rows", rows));
	}
	return json_pack("{s:s, s:I, s:o, s:o}", "by", split_name(n->split),
		"threshold", (json_int_t)n->threshold,
		"participants", jcount(n->participants, n->participants_hidden), "scales", scales);
}

/* One split's document as it is; several as {"splits": [document, ...]}. */
static int print_network_json(const struct outcome_network *n, size_t n_splits)
{
	if (n_splits == 1)
		return print_doc(network_json(n));
	json_t *splits = json_array();
	for (size_t k = 0; k < n_splits; k++)
		json_array_append_new(splits, network_json(&n[k]));
	return print_doc(json_pack("{s:o}", "splits", splits));
}

static void print_network_row(const struct outcome_change *r)
{
	char a[32], b[32], c[32], lo[32], hi[32], pv[32];
	printf("  %-24s ", r->label);
	if (r->n_hidden)
		printf("n hidden");
	else
		printf("n %ld", r->n);
	if (r->figure_hidden) {
		printf(": figures hidden (fewer people than the threshold)\n");
		return;
	}
	printf(", baseline %s, latest %s, change %s", num(a, r->baseline_mean), num(b, r->latest_mean),
	       num(c, r->mean_change));
	if (r->cannot)
		printf(" (%s)", r->cannot);
	else
		printf(" (95%% CI %s to %s, p %s%s)", num(lo, r->ci_lo), num(hi, r->ci_hi),
		       r->test.t.p < 0.001 ? "" : "= ", pval(pv, r->test.t.p));
	if (r->has_rc) {
		char k[3][32];
		for (int i = 0; i < 3; i++)
			snprintf(k[i], sizeof k[i], r->rc_hidden[i] ? "hidden" : "%ld", r->rc[i]);
		printf("; reliably improved %s, no reliable change %s, worse %s", k[RC_IMPROVED],
		       k[RC_NONE], k[RC_WORSE]);
	}
	printf("\n");
}

static void print_network_split(const struct outcome_network *n)
{
	for (size_t i = 0; i < n->n_scales; i++) {
		const struct outcome_scale *os = &n->scales[i];
		if (!os->all.n)
			continue;
		printf("\n%s: %s (%s)\n", os->in->name, os->in->scales[os->scale].name,
		       os->in->scales[os->scale].id);
		print_network_row(&os->all);
		printf(" by %s:\n", n->split == OUTCOME_BY_TAG ? "group tag" : "quarter of the latest check-in");
		for (size_t k = 0; k < os->n_rows; k++)
			print_network_row(&os->rows[k]);
	}
}

static void print_network_text(const struct outcome_network *n, size_t n_splits)
{
	printf("The network's check-in figures: ");
	if (n->participants_hidden)
		printf("fewer people than the threshold (%ld) take part\n", n->threshold);
	else
		printf("%ld people with consented check-ins (threshold %ld)\n", n->participants, n->threshold);
	for (size_t k = 0; k < n_splits; k++)
		print_network_split(&n[k]);
}

int cli_fill_checkin_scores(struct config *c, const char *cmd, herr *e)
{
	db *d = cli_open_db(c, cmd, e);
	if (!d)
		return ERR_DB;
	/* A database not migrated yet has no table for the scores. */
	int rc = db_schema_version(d) < CHECKIN_SCORES_SCHEMA ? 0 : checkin_scores_fill(d, e);
	db_close(d);
	return rc;
}

/* The command line is the operator, who holds the database itself: the
 * coordinator's view, under the same disclosure control. */
static int analyse_network(struct config *c, const enum outcome_split *by, size_t n_by, bool json,
			   arena *a, herr *e)
{
	static const struct actor operator = { .person_id = -1, .is_admin = true };
	int rc = instrument_registry_load(c->instruments_dir, e);
	db *d = rc ? NULL : cli_open_db(c, "analyse", e);
	if (!d)
		return rc ? rc : ERR_DB;
	struct outcome_network n[2];
	rc = db_schema_version(d) < CHECKIN_SCORES_SCHEMA
		? herr_set(e, ERR_CONFLICT, NULL, "the database's schema is older than this hearth: "
			   "run `hearth migrate` first")
		: checkin_scores_fill(d, e);
	if (!rc)
		rc = outcome_for_network_splits(d, a, &operator, by, n_by, n, e);
	db_close(d);
	if (rc)
		return rc;
	if (json)
		return print_network_json(n, n_by) ? herr_set(e, ERR_NOMEM, NULL, "Out of memory") : 0;
	print_network_text(n, n_by);
	return 0;
}

/* ---- the command ---------------------------------------------------- */

/* An instrument by id, or a file when the argument names one. */
static int find_instrument(struct config *c, const char *which, arena *a,
			   const struct instrument **ret, herr *e)
{
	size_t len = strlen(which);
	if (strchr(which, '/') || (len > 5 && !strcmp(which + len - 5, ".json")))
		return instrument_load_file(which, a, ret, e);
	int rc = instrument_registry_load(c->instruments_dir, e);
	if (rc)
		return rc;
	if (!(*ret = instrument_find(which)))
		return herr_set(e, ERR_NOTFOUND, NULL, "there is no instrument \"%s\" (`hearth "
				"instruments list` shows them)", which);
	return 0;
}

static int analyse_file(struct config *c, const char *path, const char *which, bool json, arena *a,
			herr *e)
{
	const struct instrument *in;
	char *text;
	size_t len, n;
	struct csv_record *recs;
	struct analysis_data data;
	struct analysis_result result;
	int rc = find_instrument(c, which, a, &in, e);
	if (!rc)
		rc = file_read_all(path, a, &text, &len, e);
	if (!rc)
		rc = csv_parse(text, len, path, a, &recs, &n, e);
	if (!rc)
		rc = analysis_read(in, recs, n, path, a, &data, e);
	if (!rc)
		rc = analysis_run(&data, a, &result, e);
	if (rc)
		return rc;
	if (json)
		return print_json(&result) ? herr_set(e, ERR_NOMEM, NULL, "Out of memory") : 0;
	print_text(&result);
	return 0;
}

/* --by's list, "tag", "period" or both ("tag,period"), into by[]; the
 * usage error's exit status when it names something else or a split twice. */
static int parse_splits(const char *list, enum outcome_split by[2], size_t *n)
{
	*n = 0;
	const char *at = list;
	for (;;) {
		size_t len = strcspn(at, ",");
		enum outcome_split one;
		if (len == 3 && !strncmp(at, "tag", 3))
			one = OUTCOME_BY_TAG;
		else if (len == 6 && !strncmp(at, "period", 6))
			one = OUTCOME_BY_PERIOD;
		else
			return cli_usage_error("analyse", "--by must be \"tag\", \"period\" or "
					       "\"tag,period\", not \"%s\"", list);
		for (size_t k = 0; k < *n; k++)
			if (by[k] == one)
				return cli_usage_error("analyse", "--by names \"%s\" twice", split_name(one));
		by[(*n)++] = one;
		if (!at[len])
			return 0;
		at += len + 1;
	}
}

int cmd_analyse(struct config *c, int argc, char **argv)
{
	const char *path = NULL, *which = NULL, *by = NULL, *v;
	bool json = false, network = false;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--instrument")))
			which = v;
		else if ((v = cli_flag_value(argc, argv, &i, "--by")))
			by = v;
		else if (!strcmp(argv[i], "--network"))
			network = true;
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("analyse", "unknown option \"%s\"", argv[i]);
		else if (!path)
			path = argv[i];
		else
			return cli_usage_error("analyse", "unexpected argument \"%s\"", argv[i]);
	}
	if (network && (path || which))
		return cli_usage_error("analyse", "%s", "--network reads the database: give no CSV file "
				       "and no --instrument with it");
	if (by && !network)
		return cli_usage_error("analyse", "%s", "--by goes with --network");
	enum outcome_split splits[2] = { OUTCOME_BY_TAG };
	size_t n_splits = 1;
	int usage = by ? parse_splits(by, splits, &n_splits) : 0;
	if (usage)
		return usage;
	if (!network && !path)
		return cli_usage_error("analyse", "%s", "give the CSV file to analyse (or --network)");
	if (!network && !which)
		return cli_usage_error("analyse", "%s", "say which instrument with --instrument ID");
	herr e;
	herr_clear(&e);
	arena *a = arena_new(256 * 1024);
	int rc = !a	  ? herr_set(&e, ERR_NOMEM, NULL, "Out of memory")
		 : network ? analyse_network(c, splits, n_splits, json, a, &e)
			   : analyse_file(c, path, which, json, a, &e);
	arena_free(a);
	return rc ? cli_fail("analyse", &e) : 0;
}
