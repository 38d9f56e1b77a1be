/* fuzz_query.c - libFuzzer driver for what arrives in a URL
 * (src/http/query.c): the input is decoded as a path (url_decode without
 * '+'), parsed as a query string (query_parse) and read as a Cookie header
 * (cookie_value), and each result is checked against the promises in
 * query.h. Run:
 *   clang -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_query.c \
 *     src/http/query.c src/base/arena.c src/base/err.c src/base/utf8.c -ljansson
 *   ./a.out tests/fuzz/corpus/query
 */
#include "base/arena.h"
#include "base/err.h"
#include "base/utf8.h"
#include "http/query.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* Decoded text must be what query.h promises: valid UTF-8, no NUL, no
 * control characters but tab, LF and CR. */
static bool is_text(const char *s, size_t n)
{
	return utf8_valid_text(s, n) && !memchr(s, '\0', n);
}

static void check_decode(arena *a, const char *s, size_t n, bool plus_is_space)
{
	char *out = (char *)"unset";
	herr e;
	herr_clear(&e);
	int rc = url_decode(a, s, n, plus_is_space, &out, &e);
	if (rc == 0) {
		size_t len = strlen(out);
		CHECK(len <= n);
		CHECK(is_text(out, len));
		/* no '%' in, no escapes: the text comes out unchanged (but '+') */
		if (!memchr(s, '%', n) && (!plus_is_space || !memchr(s, '+', n)))
			CHECK(len == n && memcmp(out, s, n) == 0);
	} else {
		CHECK(rc == ERR_BADREQ);
		CHECK(e.code == ERR_BADREQ);
		CHECK(strcmp(out, "unset") == 0);
	}
}

static void check_string(json_t *v)
{
	CHECK(json_is_string(v));
	CHECK(is_text(json_string_value(v), json_string_length(v)));
}

static void check_query(arena *a, const char *s, size_t n)
{
	json_t *obj = json_object();
	if (!obj)
		return;
	herr e;
	herr_clear(&e);
	int rc = query_parse(a, s, n, obj, &e);
	CHECK(rc == 0 || rc == ERR_BADREQ);
	if (rc == 0) {
		const char *key;
		json_t *v;
		json_object_foreach(obj, key, v) {
			CHECK(key[0] != '\0');
			CHECK(is_text(key, strlen(key)));
			if (json_is_array(v)) {
				CHECK(json_array_size(v) >= 2);
				size_t i;
				json_t *item;
				json_array_foreach(v, i, item)
					check_string(item);
			} else {
				check_string(v);
			}
		}
	}
	json_decref(obj);
}

static void check_cookie(arena *a, const char *header, const char *name)
{
	const char *v = cookie_value(a, header, name);
	if (!v)
		return;
	size_t vlen = strlen(v);
	CHECK(!strchr(v, ';'));
	/* the value is a piece of the header, just after "name=" */
	const char *p = header;
	bool found = false;
	size_t nlen = strlen(name);
	while ((p = strstr(p, name)) != NULL) {
		if (p[nlen] == '=' && strncmp(p + nlen + 1, v, vlen) == 0 &&
		    (p == header || p[-1] == ' ' || p[-1] == ';')) {
			found = true;
			break;
		}
		p++;
	}
	CHECK(found);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(1024);
	if (!a)
		return 0;
	const char *s = (const char *)data;
	check_decode(a, s, size, false);
	check_decode(a, s, size, true);
	check_query(a, s, size);

	/* cookie_value reads a C string: the header ends at the first NUL */
	char *header = malloc(size + 1);
	if (header) {
		memcpy(header, data, size);
		header[size] = '\0';
		check_cookie(a, header, "hearth_session");
		check_cookie(a, header, "a");
		free(header);
	}
	arena_free(a);
	return 0;
}
