/* gen_cmd.c - `hearth gen`: fills a fresh database with a synthetic network
 * of a given size for the benchmarks (src/app/gen.h, bench/README.md). */
#include "cli.h"

#include "../app/gen.h"
#include "../store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool parse_count(const char *s, int64_t *ret)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || v < 0)
		return false;
	*ret = v;
	return true;
}

static void print_progress(const char *stage, int64_t done, int64_t total, void *arg)
{
	if (*(bool *)arg)
		fprintf(stderr, "hearth gen: %s %lld of %lld\n", stage, (long long)done, (long long)total);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_gen(struct config *c, int argc, char **argv)
{
	bool verbose = false;
	struct gen_options o = { .groups = 100, .members = 1000, .months = 6, .seed = 1,
				 .password = "generated-network",
				 .progress = print_progress, .progress_arg = &verbose };
	int64_t n;
	const char *v;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_flag_value(argc, argv, &i, "--groups")) && parse_count(v, &n))
			o.groups = n;
		else if ((v = cli_flag_value(argc, argv, &i, "--members")) && parse_count(v, &n))
			o.members = n;
		else if ((v = cli_flag_value(argc, argv, &i, "--months")) && parse_count(v, &n))
			o.months = (int)n;
		else if ((v = cli_flag_value(argc, argv, &i, "--seed")) && parse_count(v, &n))
			o.seed = (uint64_t)n;
		else if ((v = cli_flag_value(argc, argv, &i, "--password")))
			o.password = v;
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else
			return cli_usage_error("gen", "unexpected or malformed argument \"%s\"", argv[i]);
	}
	herr e;
	herr_clear(&e);
	if (gen_check_options(&o, &e))
		return cli_usage_error("gen", "%s", e.message);
	db *d = cli_open_db(c, "gen", &e);
	if (!d)
		return EXIT_FAILURE;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct gen_summary s;
	int rc = db_migrate(d, &e) < 0 ? -1 : gen_build(d, &o, &s, &e);
	db_close(d);
	if (rc)
		return cli_fail("gen", &e);
	printf("Generated in %.1f s (seed %llu): %lld groups, %lld people, %lld memberships,\n"
	       "%lld meetings, %lld attendance records, %lld posts, %lld agenda items, %lld agreements,\n"
	       "%lld check-ins with %lld answers.\n"
	       "Sign in as person1@" GEN_EMAIL_DOMAIN " (or any personN) or gen@" GEN_EMAIL_DOMAIN
	       " (coordinator)\nwith the password \"%s\".\n",
	       seconds_since(&t0), (unsigned long long)o.seed, (long long)s.groups, (long long)s.people,
	       (long long)s.memberships, (long long)s.meetings, (long long)s.attendance,
	       (long long)s.posts, (long long)s.agenda_items, (long long)s.agreements,
	       (long long)s.checkins, (long long)s.checkin_answers, o.password);
	return 0;
}
