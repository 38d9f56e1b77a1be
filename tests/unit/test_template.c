/* test_template.c - unit tests for the mustache-subset template engine
 * (src/render/template.c): output, escaping, lookup, sections, partials,
 * standalone lines, compile errors and concurrent rendering. */
#include <criterion/criterion.h>

#include "base/buf.h"
#include "base/err.h"
#include "render/template.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Compiles src as "t", renders it with the model given as JSON text and
 * returns the output (caller frees). Fails the test on any error. */
static char *render_src(const char *src, const char *model_json)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	cr_assert_not_null(s);
	int rc = tmpl_set_add(s, "t", src, strlen(src), &e);
	cr_assert_eq(rc, 0, "compile failed: %s", e.message);
	json_error_t jerr;
	json_t *model = json_loads(model_json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	cr_assert_not_null(model, "bad test model: %s", jerr.text);
	buf out = BUF_INIT;
	rc = tmpl_render(s, "t", model, &out, &e);
	cr_assert_eq(rc, 0, "render failed: %s", e.message);
	json_decref(model);
	tmpl_set_free(s);
	return buf_take(&out);
}

static void expect(const char *src, const char *model_json, const char *want)
{
	char *got = render_src(src, model_json);
	cr_expect_str_eq(got, want, "template %s\ngot  [%s]\nwant [%s]", src, got, want);
	free(got);
}

/* Compiles src as "t" and returns the code; the message goes to e. */
static int compile_err(const char *src, herr *e)
{
	tmpl_set *s = tmpl_set_new();
	herr_clear(e);
	int rc = tmpl_set_add(s, "t", src, strlen(src), e);
	cr_expect_not(tmpl_set_has(s, "t") && rc != 0, "a failed add left a template");
	tmpl_set_free(s);
	return rc;
}

static void expect_invalid(const char *src, const char *fragment)
{
	herr e;
	int rc = compile_err(src, &e);
	cr_expect_eq(rc, ERR_INVALID, "%s: expected ERR_INVALID, got %d", src, rc);
	cr_expect_neq(strstr(e.message, fragment), NULL,
		"%s: message \"%s\" lacks \"%s\"", src, e.message, fragment);
}

/* ---- text and values ---- */

Test(template, plain_text)
{
	expect("", "{}", "");
	expect("Hello, world.\n", "{}", "Hello, world.\n");
	expect("a { b } c {x} }}", "{}", "a { b } c {x} }}");
}

Test(template, values_of_each_type)
{
	expect("[{{s}}|{{i}}|{{neg}}|{{r}}|{{tenth}}|{{t}}|{{f}}|{{n}}|{{o}}|{{a}}]",
		"{\"s\":\"str\",\"i\":42,\"neg\":-7,\"r\":2.5,\"tenth\":0.1,\"t\":true,"
		"\"f\":false,\"n\":null,\"o\":{\"x\":1},\"a\":[1,2]}",
		"[str|42|-7|2.5|0.1|true||||]");
	expect("{{big}} {{third}}", "{\"big\":9007199254740993,\"third\":0.3333333333333333}",
		"9007199254740993 0.3333333333333333");
}

Test(template, whitespace_inside_tags)
{
	expect("{{ name }}|{{{ name }}}|{{& name}}|{{# on }}y{{/ on }}", "{\"name\":\"n\",\"on\":true}",
		"n|n|n|y");
}

Test(template, missing_values_render_empty)
{
	expect("[{{nope}}][{{a.b.c}}][{{{nope}}}]", "{\"a\":{}}", "[][][]");
	expect("x{{a}}y", "null", "xy");
}

Test(template, escaping_in_text)
{
	expect("<p>{{v}}</p>", "{\"v\":\"& < > \\\" ' `\"}",
		"<p>&amp; &lt; &gt; &quot; &#39; &#96;</p>");
}

Test(template, escaping_in_quoted_attributes)
{
	expect("<a title=\"{{v}}\" data-x='{{v}}'>", "{\"v\":\"&<>\\\"'`\"}",
		"<a title=\"&amp;&lt;&gt;&quot;&#39;&#96;\" data-x='&amp;&lt;&gt;&quot;&#39;&#96;'>");
	expect("<a href=\"/p/{{id}}\" class=\"{{#on}}on{{/on}}\">", "{\"id\":7,\"on\":true}",
		"<a href=\"/p/7\" class=\"on\">");
}

Test(template, raw_values)
{
	expect("{{{h}}}|{{&h}}|{{h}}", "{\"h\":\"<b>&'\"}", "<b>&'|<b>&'|&lt;b&gt;&amp;&#39;");
}

Test(template, values_are_not_reinterpreted)
{
	expect("{{v}}|{{{v}}}", "{\"v\":\"{{x}}{{#x}}{{>t}}\",\"x\":\"BAD\"}",
		"{{x}}{{#x}}{{&gt;t}}|{{x}}{{#x}}{{>t}}");
}

Test(template, strings_with_nul_bytes)
{
	char *got = render_src("[{{v}}]", "{\"v\":\"a\\u0000<\"}");
	cr_expect_eq(memcmp(got, "[a\0&lt;]", 9), 0);
	free(got);
}

/* ---- lookup ---- */

Test(template, dotted_names)
{
	expect("{{a.b.c}} {{a.b}} {{a.x.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep  ");
	/* The first part is searched outwards, the rest only inside it. */
	expect("{{#inner}}{{a.b}}|{{c}}{{/inner}}",
		"{\"a\":{\"b\":\"outer\"},\"c\":\"C\",\"inner\":{\"a\":{}}}", "|C");
}

Test(template, dot_is_the_current_context)
{
	expect("{{#names}}<li>{{.}}</li>{{/names}}", "{\"names\":[\"ann\",\"<bo>\",\"cy\"]}",
		"<li>ann</li><li>&lt;bo&gt;</li><li>cy</li>");
	expect("{{#n}}{{.}}{{/n}}", "{\"n\":[1,2.5,true]}", "12.5true");
	expect("{{.}}", "\"root\"", "root");
}

/* ---- sections ---- */

Test(template, sections_over_values)
{
	const char *model = "{\"arr\":[{\"x\":1},{\"x\":2}],\"obj\":{\"x\":\"o\"},\"yes\":true,"
		"\"no\":false,\"nil\":null,\"empty\":[],\"es\":\"\",\"zero\":0,\"rzero\":0.0,"
		"\"str\":\"s\",\"num\":3,\"eo\":{}}";
	expect("{{#arr}}[{{x}}]{{/arr}}", model, "[1][2]");
	expect("{{#obj}}[{{x}}]{{/obj}}", model, "[o]");
	expect("{{#yes}}Y{{/yes}}", model, "Y");
	expect("{{#no}}N{{/no}}", model, "");
	expect("{{#nil}}N{{/nil}}", model, "");
	expect("{{#missing}}N{{/missing}}", model, "");
	expect("{{#empty}}N{{/empty}}", model, "");
	expect("{{#es}}N{{/es}}", model, "");
	expect("{{#zero}}N{{/zero}}", model, "");
	expect("{{#rzero}}N{{/rzero}}", model, "");
	expect("{{#str}}[{{.}}]{{/str}}", model, "[s]");
	expect("{{#num}}[{{.}}]{{/num}}", model, "[3]");
	expect("{{#eo}}E{{/eo}}", model, "E");
}

Test(template, inverted_sections)
{
	const char *model = "{\"arr\":[1],\"yes\":true,\"no\":false,\"nil\":null,\"empty\":[],"
		"\"es\":\"\",\"zero\":0,\"obj\":{}}";
	expect("{{^arr}}x{{/arr}}{{^yes}}x{{/yes}}{{^obj}}x{{/obj}}", model, "");
	expect("{{^no}}a{{/no}}{{^nil}}b{{/nil}}{{^empty}}c{{/empty}}{{^es}}d{{/es}}"
		"{{^zero}}e{{/zero}}{{^missing}}f{{/missing}}", model, "abcdef");
	expect("{{#items}}<li>{{.}}</li>{{/items}}{{^items}}<p>None yet.</p>{{/items}}",
		"{\"items\":[]}", "<p>None yet.</p>");
}

Test(template, nested_sections_with_outer_lookup)
{
	expect("{{#groups}}{{name}}:{{#members}}[{{name}}@{{group_tag}}/{{site}}]{{/members}};{{/groups}}",
		"{\"site\":\"H\",\"groups\":[{\"name\":\"G1\",\"group_tag\":\"g1\",\"members\":"
		"[{\"name\":\"ann\"},{\"name\":\"bo\"}]},{\"name\":\"G2\",\"group_tag\":\"g2\","
		"\"members\":[]}]}",
		"G1:[ann@g1/H][bo@g1/H];G2:;");
	/* An inner key hides the outer one only where it exists. */
	expect("{{#a}}{{x}}{{#b}}{{x}}{{/b}}{{/a}}{{x}}",
		"{\"x\":1,\"a\":{\"x\":2,\"b\":{\"y\":0}}}", "221");
	expect("{{#a}}{{#a}}{{.}}{{/a}}{{/a}}", "{\"a\":[\"p\",\"q\"]}", "pqpq");
}

Test(template, sections_with_the_same_name_nest)
{
	expect("{{#a}}1{{#b}}2{{#a}}3{{/a}}{{/b}}{{/a}}", "{\"a\":true,\"b\":true}", "123");
	expect("{{#a.b}}{{c}}{{/a.b}}", "{\"a\":{\"b\":{\"c\":\"in\"}}}", "in");
}

/* ---- comments and standalone lines ---- */

Test(template, comments)
{
	expect("a{{! a comment }}b", "{}", "ab");
	expect("a{{!\nspans\nlines { x } }}b", "{}", "ab");
	/* A comment ends at the first \"}}\". */
	expect("a{{! {{x}} }}b", "{}", "a }}b");
	expect("a{{!}}b", "{}", "ab");
}

Test(template, standalone_lines_are_removed)
{
	const char *model = "{\"items\":[\"a\",\"b\"]}";
	expect("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", model,
		"<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	expect("x\n{{! note }}\ny\n", "{}", "x\ny\n");
	expect("x\r\n\t{{^items}}\r\nnone\r\n{{/items}} \r\ny", "{}", "x\r\nnone\r\ny");
	/* At the very start and end of the source. */
	expect("{{#items}}\n{{.}}\n{{/items}}", model, "a\nb\n");
}

Test(template, tags_sharing_a_line_are_not_standalone)
{
	expect("  {{#t}}x{{/t}}  \n", "{\"t\":true}", "  x  \n");
	expect("a {{#t}}\nb\n{{/t}}", "{\"t\":true}", "a \nb\n");
	expect("{{#t}} x\n{{/t}}", "{\"t\":true}", " x\n");
	/* Value tags never are. */
	expect("  {{v}}  \n", "{\"v\":1}", "  1  \n");
	expect("a\n{{v}}\nb", "{}", "a\n\nb");
}

/* ---- partials ---- */

Test(template, partials_use_the_current_context)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	const char *page = "<ul>\n{{#people}}\n{{>person}}\n{{/people}}\n</ul>\n";
	const char *person = "<li>{{name}} ({{site}})</li>\n";
	cr_assert_eq(tmpl_set_add(s, "page", page, strlen(page), &e), 0, "%s", e.message);
	cr_assert_eq(tmpl_set_add(s, "person", person, strlen(person), &e), 0, "%s", e.message);
	cr_expect(tmpl_set_has(s, "page"));
	cr_expect(tmpl_set_has(s, "person"));
	cr_expect_not(tmpl_set_has(s, "nobody"));

	json_t *m = json_pack("{s:s, s:[{s:s},{s:s}]}", "site", "H", "people",
		"name", "ann", "name", "<bo>");
	buf out = BUF_INIT;
	cr_assert_eq(tmpl_render(s, "page", m, &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(out.data, "<ul>\n<li>ann (H)</li>\n<li>&lt;bo&gt; (H)</li>\n</ul>\n");
	buf_free(&out);
	json_decref(m);
	tmpl_set_free(s);
}

Test(template, partial_added_after_the_template_that_uses_it)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	cr_assert_eq(tmpl_set_add(s, "a", "[{{>b}}]", 8, &e), 0);
	cr_assert_eq(tmpl_set_add(s, "b", "{{x}}", 5, &e), 0);
	json_t *m = json_pack("{s:i}", "x", 5);
	buf out = BUF_INIT;
	cr_assert_eq(tmpl_render(s, "a", m, &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(out.data, "[5]");
	buf_free(&out);
	json_decref(m);
	tmpl_set_free(s);
}

Test(template, bounded_recursive_partial)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	const char *tree = "{{name}}{{#kids}}({{>tree}}){{/kids}}";
	cr_assert_eq(tmpl_set_add(s, "tree", tree, strlen(tree), &e), 0);
	json_t *m = json_loads("{\"name\":\"r\",\"kids\":[{\"name\":\"a\",\"kids\":[]},"
		"{\"name\":\"b\",\"kids\":[{\"name\":\"c\",\"kids\":[]}]}]}", 0, NULL);
	buf out = BUF_INIT;
	cr_assert_eq(tmpl_render(s, "tree", m, &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(out.data, "r(a)(b(c))");
	buf_free(&out);
	json_decref(m);
	tmpl_set_free(s);
}

Test(template, partial_recursion_limit)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	cr_assert_eq(tmpl_set_add(s, "loop", "x{{>loop}}", 10, &e), 0);
	buf out = BUF_INIT;
	int rc = tmpl_render(s, "loop", NULL, &out, &e);
	cr_expect_eq(rc, ERR_INVALID);
	cr_expect_neq(strstr(e.message, "deeper than 32"), NULL, "%s", e.message);
	cr_expect_neq(strstr(e.message, "\"loop\""), NULL, "%s", e.message);
	buf_free(&out);
	tmpl_set_free(s);
}

Test(template, partial_nesting_of_32_is_allowed)
{
	/* p0 includes p1 ... p31 includes p32: 32 partials deep. */
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	char name[8], src[32];
	for (int i = 0; i <= 33; i++) {
		snprintf(name, sizeof name, "p%d", i);
		if (i == 33)
			snprintf(src, sizeof src, "end");
		else
			snprintf(src, sizeof src, "{{>p%d}}", i + 1);
		cr_assert_eq(tmpl_set_add(s, name, src, strlen(src), &e), 0);
	}
	buf out = BUF_INIT;
	cr_expect_eq(tmpl_render(s, "p1", NULL, &out, &e), 0, "%s", e.message);
	cr_expect_str_eq(out.data, "end");
	buf_reset(&out);
	cr_expect_eq(tmpl_render(s, "p0", NULL, &out, &e), ERR_INVALID);
	buf_free(&out);
	tmpl_set_free(s);
}

Test(template, missing_partial_is_not_found)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	cr_assert_eq(tmpl_set_add(s, "page", "a\n{{>footer}}", 13, &e), 0);
	buf out = BUF_INIT;
	cr_expect_eq(tmpl_render(s, "page", NULL, &out, &e), ERR_NOTFOUND);
	cr_expect_str_eq(e.message, "template \"page\" line 2: partial \"footer\" not found");
	buf_free(&out);
	tmpl_set_free(s);
}

/* ---- errors ---- */

Test(template, unknown_template_is_not_found)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	buf out = BUF_INIT;
	cr_expect_eq(tmpl_render(s, "nope", NULL, &out, &e), ERR_NOTFOUND);
	cr_expect_neq(strstr(e.message, "\"nope\""), NULL, "%s", e.message);
	cr_expect_eq(out.len, 0);
	buf_free(&out);
	tmpl_set_free(s);
}

Test(template, error_unclosed_section)
{
	herr e;
	cr_expect_eq(compile_err("a\n{{#user}}\nb\n", &e), ERR_INVALID);
	cr_expect_str_eq(e.message, "template \"t\" line 2: section \"user\" is not closed");
	expect_invalid("{{#a}}{{#b}}{{/b}}", "section \"a\" is not closed");
	expect_invalid("{{^a}}", "section \"a\" is not closed");
}

Test(template, error_mismatched_close)
{
	herr e;
	cr_expect_eq(compile_err("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", &e), ERR_INVALID);
	cr_expect_str_eq(e.message,
		"template \"t\" line 3: {{/a}} does not match the open section \"b\" (line 2)");
	expect_invalid("x{{/a}}", "closes no open section");
	expect_invalid("{{#a.b}}{{/a}}", "does not match");
}

Test(template, error_unclosed_tag)
{
	herr e;
	cr_expect_eq(compile_err("one\ntwo {{name\nthree", &e), ERR_INVALID);
	cr_expect_str_eq(e.message, "template \"t\" line 2: \"{{\" is not closed by \"}}\"");
	expect_invalid("{{", "not closed");
	expect_invalid("x{{{raw}}", "\"{{{\" is not closed by \"}}}\"");
	expect_invalid("{{! never ends }", "not closed");
	expect_invalid("{{a } b}}", "not a valid name");
}

Test(template, error_empty_or_bad_name)
{
	expect_invalid("{{}}", "empty name");
	expect_invalid("{{  }}", "empty name");
	expect_invalid("{{#}}{{/}}", "empty name");
	expect_invalid("{{{}}}", "empty name");
	expect_invalid("{{>}}", "empty name");
	expect_invalid("{{a b}}", "not a valid name");
	expect_invalid("{{a..b}}", "not a valid name");
	expect_invalid("{{.a}}", "not a valid name");
	expect_invalid("{{a.}}", "not a valid name");
	expect_invalid("{{> a b}}", "not a valid partial name");
	expect_invalid("{{=<% %>=}}", "not supported");
}

Test(template, error_value_in_unquoted_attribute)
{
	herr e;
	cr_expect_eq(compile_err("<p>\n<a href={{x}}>", &e), ERR_INVALID);
	cr_expect_str_eq(e.message, "template \"t\" line 2: {{x}} is inside an HTML tag but not "
		"in a quoted attribute value, where escaping cannot keep it safe");
	expect_invalid("<a href={{{x}}}>", "inside an HTML tag");
	expect_invalid("<a href=/p/{{x}}>", "inside an HTML tag");
	expect_invalid("<input {{x}}>", "inside an HTML tag");
	expect_invalid("<a title=\"q\" href={{x}}>", "inside an HTML tag");
	expect_invalid("<a title='it''s' x={{x}}>", "inside an HTML tag");
	expect_invalid("<a\nhref={{x}}>", "line 2");
	/* Right after "<" a value would name the tag: "<{{x}}" with x = "img src=x
	 * onerror=..." needs no escaped character. */
	expect_invalid("<{{x}}", "inside an HTML tag");
	expect_invalid("<!{{x}}", "inside an HTML tag");
}

Test(template, values_outside_tags_and_in_quotes_are_fine)
{
	expect("<a href=\"{{u}}\" title='{{t}}'>{{t}}</a> a < b {{n}} c > {{n}}",
		"{\"u\":\"/x?a=1&b=2\",\"t\":\"T\",\"n\":1}",
		"<a href=\"/x?a=1&amp;b=2\" title='T'>T</a> a < b 1 c > 1");
	/* A quote inside the other kind of quotes does not end the value. */
	expect("<a title=\"it's {{v}}\" alt='say \"{{v}}\"'>", "{\"v\":\"x\"}",
		"<a title=\"it's x\" alt='say \"x\"'>");
	/* Sections may sit inside a tag: they emit only template text. */
	expect("<input type=\"checkbox\" {{#on}}checked{{/on}}>", "{\"on\":true}",
		"<input type=\"checkbox\" checked>");
	/* Comments, doctype and "a < b" text. */
	expect("<!DOCTYPE html><!-- it's <a href= --> {{v}} 1 < 2 {{v}}", "{\"v\":\"x\"}",
		"<!DOCTYPE html><!-- it's <a href= --> x 1 < 2 x");
}

Test(template, duplicate_name_is_a_conflict)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	cr_assert_eq(tmpl_set_add(s, "a", "1", 1, &e), 0);
	cr_expect_eq(tmpl_set_add(s, "a", "2", 1, &e), ERR_CONFLICT);
	buf out = BUF_INIT;
	cr_assert_eq(tmpl_render(s, "a", NULL, &out, &e), 0);
	cr_expect_str_eq(out.data, "1");
	buf_free(&out);
	tmpl_set_free(s);
}

Test(template, free_accepts_null)
{
	tmpl_set_free(NULL);
}

Test(template, render_appends_to_out)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	cr_assert_eq(tmpl_set_add(s, "t", "{{x}}", 5, &e), 0);
	json_t *m = json_pack("{s:s}", "x", "b");
	buf out = BUF_INIT;
	buf_puts(&out, "a");
	cr_assert_eq(tmpl_render(s, "t", m, &out, &e), 0);
	cr_assert_eq(tmpl_render(s, "t", m, &out, &e), 0);
	cr_expect_str_eq(out.data, "abb");
	buf_free(&out);
	json_decref(m);
	tmpl_set_free(s);
}

/* ---- concurrency ---- */

struct job {
	const tmpl_set *s;
	json_t *model;
	int failures;
};

static const char want_page[] = "<h1>Group &amp; co</h1>\n<li>ann</li>\n<li>&lt;bo&gt;</li>\n";

static void *render_many(void *arg)
{
	struct job *j = arg;
	buf out = BUF_INIT;
	for (int i = 0; i < 2000; i++) {
		buf_reset(&out);
		if (tmpl_render(j->s, "page", j->model, &out, NULL) != 0
			|| strcmp(out.data, want_page) != 0)
			j->failures++;
	}
	buf_free(&out);
	return NULL;
}

Test(template, concurrent_renders_of_one_set)
{
	herr e = { 0 };
	tmpl_set *s = tmpl_set_new();
	const char *page = "<h1>{{title}}</h1>\n{{#people}}\n{{>row}}\n{{/people}}\n";
	const char *row = "<li>{{.}}</li>\n";
	cr_assert_eq(tmpl_set_add(s, "page", page, strlen(page), &e), 0, "%s", e.message);
	cr_assert_eq(tmpl_set_add(s, "row", row, strlen(row), &e), 0, "%s", e.message);
	json_t *m = json_pack("{s:s, s:[s,s]}", "title", "Group & co", "people", "ann", "<bo>");

	struct job jobs[2] = { { s, m, 0 }, { s, m, 0 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	cr_expect_eq(jobs[0].failures, 0);
	cr_expect_eq(jobs[1].failures, 0);
	json_decref(m);
	tmpl_set_free(s);
}
