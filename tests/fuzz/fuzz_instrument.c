/* fuzz_instrument.c - libFuzzer driver for instrument files
 * (src/app/instrument.c): parses the input and, when it is accepted, scores
 * answers made from the input's own bytes, checking every score lies in its
 * scale's range. Run:
 *   clang -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_instrument.c \
 *     src/app/instrument.c src/base/arena.c src/base/buf.c src/base/err.c \
 *     src/base/file.c src/base/embedded.c -ljansson -lm
 *   ./a.out tests/fuzz/corpus/instrument
 * The driver has no built-in instruments (the registry is not fuzzed). */
#include "app/instrument.h"
#include "base/embedded.h"

#include <stdint.h>
#include <stdlib.h>

const struct embedded_file hearth_instruments[] = { { 0, 0, 0 } };
const size_t hearth_instruments_count = 0;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(16 * 1024);
	const struct instrument *in;
	herr e;
	if (a && instrument_parse((const char *)data, size, "f.json", a, &in, &e) == 0) {
		int *answers = calloc(in->n_items, sizeof *answers);
		double *scores = calloc(in->n_scales, sizeof *scores);
		bool *scored = calloc(in->n_scales, sizeof *scored);
		for (size_t i = 0; answers && i < in->n_items; i++) {
			const struct instrument_item *it = &in->items[i];
			uint8_t b = size ? data[i % size] : 0;
			answers[i] = b % 5 == 0 ? INSTRUMENT_MISSING : it->options[b % it->n_options].value;
		}
		if (answers && scores && scored) {
			instrument_score(in, answers, scores, scored);
			for (size_t s = 0; s < in->n_scales; s++)
				if (scored[s] && (scores[s] < in->scales[s].min - 1e-9 ||
						  scores[s] > in->scales[s].max + 1e-9))
					__builtin_trap();
		}
		free(answers);
		free(scores);
		free(scored);
	}
	arena_free(a);
	return 0;
}
