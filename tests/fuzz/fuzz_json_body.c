/* fuzz_json_body.c - libFuzzer driver for a JSON request body as the server
 * takes it: jansson parses the input with JSON_REJECT_DUPLICATES (as
 * body_finish in src/http/request.c does) and, when it is an object, the
 * form layer (src/web/form.c) reads it: form_only_fields against a fixed
 * list, then form_text over every key and a few fixed names, as a JSON body
 * and as a form body. Results are checked against the promises in form.h.
 * Run:
 *   clang -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_json_body.c \
 *     src/web/form.c src/base/arena.c src/base/err.c src/base/utf8.c -ljansson
 *   ./a.out tests/fuzz/corpus/json_body
 */
#include "base/arena.h"
#include "base/err.h"
#include "base/utf8.h"
#include "web/form.h"
#include "web/web.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static const char *const allowed[] = { "email", "password", "display_name", NULL };

static void check_text(wreq *r, const char *name, int required, size_t max)
{
	const char *got = "unset";
	herr e;
	herr_clear(&e);
	int rc = form_text(r, name, "the field", required, max, &got, &e);
	json_t *v = json_object_get(r->body, name);
	if (rc == 0) {
		size_t n = strlen(got);
		CHECK(utf8_valid_text(got, n));
		CHECK(!max || utf8_length(got, n) <= max);
		CHECK(!required || n > 0);
		CHECK(v ? (json_is_null(v) ? n == 0 : json_is_string(v)) : n == 0);
		if (v && json_is_string(v))
			CHECK(got == json_string_value(v));
		return;
	}
	CHECK(rc == ERR_BADREQ || rc == ERR_INVALID);
	CHECK(e.code == rc);
	CHECK(e.field == name);           /* every failure names the field */
	CHECK(strcmp(got, "unset") == 0);  /* and leaves the output alone */
	if (v && !json_is_null(v) && !json_is_string(v))
		CHECK(rc == ERR_BADREQ);
}

static void check_only_fields(wreq *r)
{
	herr e;
	herr_clear(&e);
	int rc = form_only_fields(r, allowed, &e);
	bool all_known = true;
	const char *key;
	json_t *v;
	json_object_foreach(r->body, key, v) {
		bool known = !r->body_is_json && strcmp(key, "csrf") == 0;
		for (size_t i = 0; allowed[i]; i++)
			known = known || strcmp(key, allowed[i]) == 0;
		all_known = all_known && known;
	}
	CHECK(all_known ? rc == 0 : rc == ERR_BADREQ);
	if (rc)
		CHECK(e.code == ERR_BADREQ && strlen(e.message) < sizeof e.message);
}

static void read_body(json_t *body, bool is_json, size_t max)
{
	arena *a = arena_new(1024);
	if (!a)
		return;
	wreq r;
	memset(&r, 0, sizeof r);
	r.arena = a;
	r.body = body;
	r.body_is_json = is_json;
	check_only_fields(&r);
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		check_text(&r, key, FIELD_REQUIRED, max);
		check_text(&r, key, FIELD_OPTIONAL, 0);
	}
	for (size_t i = 0; allowed[i]; i++)
		check_text(&r, allowed[i], FIELD_OPTIONAL, max);
	check_text(&r, "csrf", FIELD_REQUIRED, 64);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return 0;
	if (json_is_object(v)) {
		/* the limit varies with the input so short and long ones are hit */
		size_t max = size % 17;
		read_body(v, true, max);
		read_body(v, false, max);
	}
	json_decref(v);
	return 0;
}
