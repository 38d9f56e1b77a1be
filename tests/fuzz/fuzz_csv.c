/* fuzz_csv.c - libFuzzer driver for the CSV reader (src/base/csv.c) that
 * `hearth analyse` reads its input with. Run:
 *   clang -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_csv.c \
 *     src/base/csv.c src/base/arena.c src/base/buf.c src/base/err.c src/base/utf8.c
 *   ./a.out tests/fuzz/corpus/csv
 * Every field of every record must be a NUL-terminated string, and record
 * lines must never go down. */
#include "base/arena.h"
#include "base/csv.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(16 * 1024);
	struct csv_record *recs;
	size_t n;
	herr e;
	if (a && csv_parse((const char *)data, size, "f.csv", a, &recs, &n, &e) == 0) {
		size_t line = 0;
		for (size_t i = 0; i < n; i++) {
			if (recs[i].line < line || recs[i].n_fields == 0)
				__builtin_trap();
			line = recs[i].line;
			for (size_t j = 0; j < recs[i].n_fields; j++)
				if (strlen(recs[i].fields[j]) > size)
					__builtin_trap();
		}
	}
	arena_free(a);
	return 0;
}
