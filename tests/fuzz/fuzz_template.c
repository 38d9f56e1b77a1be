/* fuzz_template.c - libFuzzer driver for the template engine: compiles the
 * input as template "t" (next to a fixed partial "p") and, when it compiles,
 * renders it against a small fixed model. Run:
 *   clang -fsanitize=fuzzer,address -Isrc tests/fuzz/fuzz_template.c \
 *     src/render/template.c src/base/buf.c src/base/err.c -ljansson
 *   ./a.out tests/fuzz/corpus/template
 *
 * The model is shaped so that no template can make rendering exponential:
 * the only array with more than one element ("items") holds objects that
 * hide it with an empty "items" of their own, so nesting {{#items}} does
 * not multiply. Nested sections over one value are bounded by the engine's
 * nesting limit; self-including partials by its depth limit. */
#include "base/buf.h"
#include "base/err.h"
#include "render/template.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *model;

static const char model_json[] =
	"{\"name\":\"Ann & <Bo>\",\"n\":42,\"r\":2.5,\"yes\":true,\"no\":false,"
	"\"nil\":null,\"empty\":[],\"es\":\"\",\"zero\":0,\"tpl\":\"{{name}}{{>t}}\","
	"\"obj\":{\"name\":\"inner\",\"deep\":{\"v\":\"'`\\\"\"}},"
	"\"tags\":[\"only\"],"
	"\"items\":[{\"name\":\"a\",\"items\":[]},{\"name\":\"b\",\"items\":[],\"x\":1}]}";

static const char partial[] = "<b title=\"{{name}}\">{{#obj}}{{deep.v}}{{/obj}}</b>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model) {
		model = json_loads(model_json, 0, NULL);
		if (!model)
			__builtin_trap();
	}
	tmpl_set *s = tmpl_set_new();
	if (!s)
		return 0;
	herr e;
	if (tmpl_set_add(s, "p", partial, sizeof partial - 1, &e) != 0)
		__builtin_trap();
	if (tmpl_set_add(s, "t", (const char *)data, size, &e) == 0) {
		buf out = BUF_INIT;
		(void)tmpl_render(s, "t", model, &out, &e);
		buf_free(&out);
	} else if (tmpl_set_has(s, "t")) {
		__builtin_trap();   /* a failed add must leave nothing behind */
	}
	tmpl_set_free(s);
	return 0;
}
