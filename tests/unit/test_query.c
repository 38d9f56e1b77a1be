/* test_query.c - unit tests for what arrives in a URL (src/http/query.c):
 * percent-decoding, query strings and the Cookie header. Every decoded
 * string must be valid UTF-8 text, or the request is refused with 400. */
#include <criterion/criterion.h>

#include "base/arena.h"
#include "base/err.h"
#include "http/query.h"

#include <jansson.h>
#include <string.h>

static arena *a;

static void setup(void)
{
	a = arena_new(0);
	cr_assert_not_null(a);
}

static void teardown(void)
{
	arena_free(a);
}

TestSuite(url_decode, .init = setup, .fini = teardown);
TestSuite(query_parse, .init = setup, .fini = teardown);
TestSuite(cookie_value, .init = setup, .fini = teardown);

/* ---- url_decode ---------------------------------------------------- */

static void decodes(const char *in, bool plus_is_space, const char *want)
{
	char *out = NULL;
	herr e;
	herr_clear(&e);
	int rc = url_decode(a, in, strlen(in), plus_is_space, &out, &e);
	cr_assert_eq(rc, 0, "\"%s\" refused: %s", in, e.message);
	cr_assert_not_null(out);
	cr_expect_str_eq(out, want, "\"%s\" decoded to \"%s\"", in, out);
}

static void refuses(const char *in, size_t n, bool plus_is_space)
{
	char *out = (char *)"untouched";
	herr e;
	herr_clear(&e);
	int rc = url_decode(a, in, n, plus_is_space, &out, &e);
	cr_expect_eq(rc, ERR_BADREQ, "\"%.*s\" gave %d", (int)n, in, rc);
	cr_expect_eq(e.code, ERR_BADREQ);
	cr_expect_neq(e.message[0], '\0', "no message for \"%.*s\"", (int)n, in);
	cr_expect_str_eq(out, "untouched", "the output was written on failure");
}

#define REFUSES(lit, plus) refuses(lit, sizeof lit - 1, plus)

Test(url_decode, escapes)
{
	decodes("%41", false, "A");
	decodes("%4a%4A", false, "JJ");
	decodes("a%42c", true, "aBc");
	decodes("%2F", false, "/");
	decodes("%2f", false, "/");
	decodes("%25", false, "%");
	decodes("%2541", false, "%41");    /* decoded once only */
	decodes("%20", false, " ");
	decodes("", false, "");
	decodes("/account/sessions", false, "/account/sessions");
}

Test(url_decode, plus)
{
	decodes("a+b", true, "a b");
	decodes("a+b", false, "a+b");
	decodes("+++", true, "   ");
	decodes("%2B", true, "+");    /* an escaped plus is a plus */
	decodes("%2B", false, "+");
}

Test(url_decode, broken_escapes)
{
	REFUSES("%4", false);
	REFUSES("%G1", false);
	REFUSES("%1G", false);
	REFUSES("%", false);
	REFUSES("abc%", false);
	REFUSES("abc%4", true);
	REFUSES("%%41", false);
	REFUSES("% 41", false);
	REFUSES("%-1", false);
	REFUSES("%+1", true);
}

Test(url_decode, only_the_given_length)
{
	char *out = NULL;
	herr e;
	/* "%41" cut to "%4": broken, even though the byte after is a digit */
	cr_expect_eq(url_decode(a, "%41", 2, false, &out, &e), ERR_BADREQ);
	cr_assert_eq(url_decode(a, "abc%41", 3, false, &out, &e), 0);
	cr_expect_str_eq(out, "abc");
}

Test(url_decode, nul_and_controls_refused)
{
	REFUSES("%00", false);
	REFUSES("a%00b", false);
	REFUSES("%01", false);
	REFUSES("%1F", false);
	REFUSES("%1b", false);
	REFUSES("%7F", false);
	REFUSES("x\x01y", false);   /* a raw control byte too */
	REFUSES("a\0b", false);     /* a raw NUL inside the given length */
}

Test(url_decode, whitespace_controls_allowed)
{
	decodes("%09", false, "\t");
	decodes("a%0Ab", false, "a\nb");
	decodes("%0D%0A", false, "\r\n");
}

Test(url_decode, utf8)
{
	decodes("%C3%A9", false, "\xc3\xa9");
	decodes("caf%c3%a9", true, "caf\xc3\xa9");
	decodes("%E2%82%AC", false, "\xe2\x82\xac");
	decodes("%F0%9F%98%80", false, "\xf0\x9f\x98\x80");
	decodes("caf\xc3\xa9", false, "caf\xc3\xa9");   /* raw UTF-8 passes */
	REFUSES("%FF", false);
	REFUSES("%C3", false);              /* truncated */
	REFUSES("%C3%28", false);           /* bad continuation */
	REFUSES("%E2%82", false);
	REFUSES("%C0%80", false);           /* overlong NUL */
	REFUSES("%C0%AF", false);           /* overlong '/' */
	REFUSES("%ED%A0%80", false);        /* surrogate */
	REFUSES("%F4%90%80%80", false);     /* above U+10FFFF */
	REFUSES("%80", false);              /* stray continuation */
	REFUSES("\xff", false);             /* raw invalid byte */
}

Test(url_decode, null_herr_allowed)
{
	char *out = NULL;
	cr_expect_eq(url_decode(a, "%zz", 3, false, &out, NULL), ERR_BADREQ);
	cr_expect_null(out);
}

/* ---- query_parse --------------------------------------------------- */

/* Parses s into a fresh object and compares it to the JSON text want. */
static void parses(const char *s, const char *want_json)
{
	json_t *obj = json_object();
	herr e;
	herr_clear(&e);
	int rc = query_parse(a, s, strlen(s), obj, &e);
	cr_assert_eq(rc, 0, "\"%s\" refused: %s", s, e.message);
	json_t *want = json_loads(want_json, 0, NULL);
	cr_assert_not_null(want, "bad test JSON %s", want_json);
	char *got = json_dumps(obj, JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect(json_equal(obj, want), "\"%s\" parsed to %s, want %s", s, got, want_json);
	free(got);
	json_decref(want);
	json_decref(obj);
}

static void parse_refused(const char *s)
{
	json_t *obj = json_object();
	herr e;
	herr_clear(&e);
	cr_expect_eq(query_parse(a, s, strlen(s), obj, &e), ERR_BADREQ, "\"%s\" accepted", s);
	cr_expect_eq(e.code, ERR_BADREQ);
	json_decref(obj);
}

Test(query_parse, pairs)
{
	parses("a=1&b=two+words", "{\"a\":\"1\",\"b\":\"two words\"}");
	parses("", "{}");
	parses("next=%2Faccount%3Ftab%3D1", "{\"next\":\"/account?tab=1\"}");
	parses("name=Ren%C3%A9e", "{\"name\":\"Ren\\u00e9e\"}");
}

Test(query_parse, empty_pairs)
{
	parses("&&", "{}");
	parses("&", "{}");
	parses("&&a=1&&b=2&&", "{\"a\":\"1\",\"b\":\"2\"}");
}

Test(query_parse, key_without_equals)
{
	parses("flag", "{\"flag\":\"\"}");
	parses("flag&x=1", "{\"flag\":\"\",\"x\":\"1\"}");
	parses("a=", "{\"a\":\"\"}");
}

Test(query_parse, repeated_key_becomes_array)
{
	parses("k=1&k=2", "{\"k\":[\"1\",\"2\"]}");
	parses("k=1&k=2&k=3&j=x", "{\"k\":[\"1\",\"2\",\"3\"],\"j\":\"x\"}");
	parses("k&k=", "{\"k\":[\"\",\"\"]}");
	parses("k=1&k%3D=2", "{\"k\":\"1\",\"k=\":\"2\"}");
	/* a key encoded differently is still the same key */
	parses("k=1&%6B=2", "{\"k\":[\"1\",\"2\"]}");
}

Test(query_parse, empty_key_skipped)
{
	parses("=x", "{}");
	parses("=x&=y&a=1", "{\"a\":\"1\"}");
	parses("=", "{}");
}

Test(query_parse, encoded_delimiters_in_values)
{
	parses("v=a%26b%3Dc", "{\"v\":\"a&b=c\"}");
	parses("a=1=2", "{\"a\":\"1=2\"}");
	parses("q=%2B1+2", "{\"q\":\"+1 2\"}");
	parses("a%26b=c", "{\"a&b\":\"c\"}");
}

Test(query_parse, broken_input_refused)
{
	parse_refused("a=%zz");
	parse_refused("%zz=1");
	parse_refused("a=1&b=%00");
	parse_refused("a=%FF");
	parse_refused("a=%01");
	parse_refused("a=%");
	parse_refused("%C3=1");
}

Test(query_parse, only_the_given_length)
{
	json_t *obj = json_object();
	herr e;
	cr_assert_eq(query_parse(a, "a=1&b=2", 3, obj, &e), 0);
	cr_expect_eq(json_object_size(obj), 1);
	cr_expect_str_eq(json_string_value(json_object_get(obj, "a")), "1");
	json_decref(obj);
}

/* ---- cookie_value -------------------------------------------------- */

static void cookie_is(const char *header, const char *name, const char *want)
{
	const char *got = cookie_value(a, header, name);
	if (!want) {
		cr_expect_null(got, "\"%s\" in \"%s\" gave \"%s\"", name, header, got);
		return;
	}
	cr_assert_not_null(got, "\"%s\" not found in \"%s\"", name, header);
	cr_expect_str_eq(got, want, "\"%s\" in \"%s\"", name, header);
}

Test(cookie_value, several_cookies)
{
	const char *h = "theme=dark; hearth_session=abc123; lang=en";
	cookie_is(h, "hearth_session", "abc123");
	cookie_is(h, "theme", "dark");
	cookie_is(h, "lang", "en");
	cookie_is("hearth_session=only", "hearth_session", "only");
	cookie_is("a=1;hearth_session=tight;b=2", "hearth_session", "tight");
	cookie_is("  a=1;   hearth_session=spaced  ;b=2", "hearth_session", "spaced  ");
	cookie_is("a=1; hearth_session=x=y==", "hearth_session", "x=y==");
}

Test(cookie_value, missing)
{
	cookie_is("theme=dark; lang=en", "hearth_session", NULL);
	cookie_is("theme=dark;", "hearth_session", NULL);
	cookie_is(";;; ;", "hearth_session", NULL);
	cookie_is("hearth_session", "hearth_session", NULL);   /* no '=' */
}

Test(cookie_value, prefix_collision)
{
	cookie_is("hearth_session2=x", "hearth_session", NULL);
	cookie_is("hearth_session2=x; hearth_session=y", "hearth_session", "y");
	cookie_is("xhearth_session=1", "hearth_session", NULL);
	cookie_is("hearth_sessio=1", "hearth_session", NULL);
	cookie_is("my_hearth_session=1; hearth_session_old=2", "hearth_session", NULL);
	/* a value that looks like the cookie is not the cookie */
	cookie_is("other=hearth_session=evil; hearth_session=good", "hearth_session", "good");
	cookie_is("other=hearth_session=evil", "hearth_session", NULL);
}

Test(cookie_value, empty_and_null_header)
{
	cookie_is("", "hearth_session", NULL);
	cookie_is("   ", "hearth_session", NULL);
	cr_expect_null(cookie_value(a, NULL, "hearth_session"));
}

Test(cookie_value, empty_value_and_duplicates)
{
	cookie_is("hearth_session=", "hearth_session", "");
	cookie_is("hearth_session=; a=1", "hearth_session", "");
	cookie_is("hearth_session=first; hearth_session=second", "hearth_session", "first");
}
