/* instruments_cmd.c - `hearth instruments list` (the questionnaires this
 * network can offer: the built-in ones and those in its instruments_dir) and
 * `hearth instruments check FILE` (validates a network's own instrument file
 * before it is put in place). Needs no database. */
#include "cli.h"

#include "../app/instrument.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_instrument(const struct instrument *in)
{
	printf("%s  %s (version %s)%s\n", in->id, in->name, in->version,
	       in->validated ? "" : " [not validated]");
	printf("    %zu items; scales:", in->n_items);
	for (size_t s = 0; s < in->n_scales; s++)
		printf("%s %s", s ? "," : "", in->scales[s].id);
	printf("\n    licence: %s\n    source: %s\n", in->licence, in->source);
}

static int instruments_list(struct config *c, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("instruments list", "unexpected argument \"%s\"", argv[1]);
	herr e;
	herr_clear(&e);
	if (instrument_registry_load(c->instruments_dir, &e))
		return cli_fail("instruments list", &e);
	size_t n;
	const struct instrument *const *all = instrument_all(&n);
	for (size_t i = 0; i < n; i++)
		print_instrument(all[i]);
	return 0;
}

static int instruments_check(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("instruments check", "%s", "give the instrument file to check");
	if (argc > 2)
		return cli_usage_error("instruments check", "unexpected argument \"%s\"", argv[2]);
	const char *path = argv[1];
	herr e;
	herr_clear(&e);
	arena *a = arena_new(64 * 1024);
	const struct instrument *in = NULL, *builtin = NULL;
	int rc = a ? instrument_load_file(path, a, &in, &e) : herr_set(&e, ERR_NOMEM, NULL, "Out of memory");
	if (!rc && (builtin = instrument_find(in->id)) && !strcmp(builtin->source, "built-in"))
		rc = herr_set(&e, ERR_CONFLICT, NULL, "%s: id: \"%s\" is already the id of a built-in "
			      "instrument; give yours another id", path, in->id);
	if (!rc)
		printf("%s: ok: %s (%zu item%s, %zu scale%s)\n", path, in->name, in->n_items,
		       in->n_items == 1 ? "" : "s", in->n_scales, in->n_scales == 1 ? "" : "s");
	arena_free(a);
	return rc ? cli_fail("instruments check", &e) : 0;
}

int cmd_instruments(struct config *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("instruments", "%s", "say what to do: list or check FILE");
	if (!strcmp(argv[1], "list"))
		return instruments_list(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return instruments_check(argc - 1, argv + 1);
	return cli_usage_error("instruments", "unknown subcommand \"%s\"", argv[1]);
}
