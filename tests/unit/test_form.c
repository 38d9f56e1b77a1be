/* test_form.c - unit tests for validated reading of body fields (text and
 * whole numbers) and query parameters, and the echo of what was sent
 * (src/web/form.c), on a wreq built by hand as the http layer builds it:
 * body is a JSON object, of form fields (strings, or arrays for a repeated
 * field) or a JSON body (any values). */
#include <criterion/criterion.h>

#include "base/arena.h"
#include "base/err.h"
#include "web/form.h"
#include "web/web.h"

#include <jansson.h>
#include <string.h>

static wreq r;

static void setup(void)
{
	memset(&r, 0, sizeof r);
	r.arena = arena_new(0);
	cr_assert_not_null(r.arena);
}

static void teardown(void)
{
	json_decref(r.body);
	json_decref(r.query);
	arena_free(r.arena);
}

TestSuite(form_text, .init = setup, .fini = teardown);
TestSuite(form_only_fields, .init = setup, .fini = teardown);
TestSuite(form_int, .init = setup, .fini = teardown);
TestSuite(form_echo, .init = setup, .fini = teardown);
TestSuite(query_param, .init = setup, .fini = teardown);

static void set_body(const char *json, bool is_json)
{
	json_error_t jerr;
	json_decref(r.body);
	r.body = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	cr_assert_not_null(r.body, "bad test JSON: %s", jerr.text);
	cr_assert(json_is_object(r.body));
	r.body_is_json = is_json;
}

/* form_text on field name; fails the test unless it succeeds with want. */
static void text_is(const char *name, int required, size_t max, const char *want)
{
	const char *got = NULL;
	herr e;
	herr_clear(&e);
	int rc = form_text(&r, name, "the field", required, max, &got, &e);
	cr_assert_eq(rc, 0, "%s refused: %s", name, e.message);
	cr_assert_not_null(got);
	cr_expect_str_eq(got, want);
}

/* form_text on field name; expects code, the field named and the output
 * left alone. */
static void text_fails(const char *name, int required, size_t max, int code)
{
	const char *got = "untouched";
	herr e;
	herr_clear(&e);
	int rc = form_text(&r, name, "your email address", required, max, &got, &e);
	cr_expect_eq(rc, code, "%s gave %d (%s)", name, rc, e.message);
	cr_expect_eq(e.code, code);
	cr_assert_not_null(e.field, "no field named for %s", name);
	cr_expect_str_eq(e.field, name);
	cr_expect_neq(e.message[0], '\0');
	cr_expect_str_eq(got, "untouched", "the output was written on failure");
}

/* ---- form_text ----------------------------------------------------- */

Test(form_text, required_present)
{
	set_body("{\"email\":\"ann@example.org\"}", true);
	text_is("email", FIELD_REQUIRED, 254, "ann@example.org");
	set_body("{\"email\":\"ann@example.org\"}", false);
	text_is("email", FIELD_REQUIRED, 254, "ann@example.org");
}

Test(form_text, required_missing_or_empty)
{
	set_body("{\"other\":\"x\"}", true);
	text_fails("email", FIELD_REQUIRED, 254, ERR_INVALID);
	herr e;
	const char *got;
	cr_expect_eq(form_text(&r, "email", "your email address", FIELD_REQUIRED, 254, &got, &e),
		     ERR_INVALID);
	cr_expect(strstr(e.message, "your email address") != NULL,
		  "the label is in the message: %s", e.message);

	set_body("{\"email\":\"\"}", false);
	text_fails("email", FIELD_REQUIRED, 254, ERR_INVALID);
	set_body("{\"email\":null}", true);
	text_fails("email", FIELD_REQUIRED, 254, ERR_INVALID);
}

Test(form_text, optional_missing_or_empty_gives_empty)
{
	set_body("{\"other\":\"x\"}", true);
	text_is("nickname", FIELD_OPTIONAL, 50, "");
	set_body("{\"nickname\":\"\"}", false);
	text_is("nickname", FIELD_OPTIONAL, 50, "");
	set_body("{\"nickname\":null}", true);
	text_is("nickname", FIELD_OPTIONAL, 50, "");
	set_body("{\"nickname\":\"Ren\"}", true);
	text_is("nickname", FIELD_OPTIONAL, 50, "Ren");
}

Test(form_text, no_body)
{
	r.body = NULL;
	text_is("nickname", FIELD_OPTIONAL, 50, "");
	text_fails("email", FIELD_REQUIRED, 50, ERR_INVALID);
}

Test(form_text, non_string_value_is_bad_request)
{
	static const char *const bodies[] = {
		"{\"email\":42}", "{\"email\":1.5}", "{\"email\":true}", "{\"email\":false}",
		"{\"email\":[]}", "{\"email\":[\"a\"]}", "{\"email\":{}}",
		"{\"email\":{\"x\":\"y\"}}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		set_body(bodies[i], true);
		text_fails("email", FIELD_OPTIONAL, 254, ERR_BADREQ);
		text_fails("email", FIELD_REQUIRED, 254, ERR_BADREQ);
	}
	/* a repeated form field arrives as an array of strings */
	set_body("{\"email\":[\"a@example.org\",\"b@example.org\"]}", false);
	text_fails("email", FIELD_REQUIRED, 254, ERR_BADREQ);
}

Test(form_text, control_characters_refused)
{
	static const char *const bodies[] = {
		"{\"f\":\"a\\u0001b\"}", "{\"f\":\"\\u001b[31m\"}", "{\"f\":\"\\u007f\"}",
		"{\"f\":\"back\\bspace\"}", "{\"f\":\"\\f\"}", "{\"f\":\"\\u000b\"}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		set_body(bodies[i], true);
		text_fails("f", FIELD_OPTIONAL, 0, ERR_BADREQ);
	}
	/* tab, LF and CR are text */
	set_body("{\"f\":\"line one\\r\\nline two\\tend\"}", true);
	text_is("f", FIELD_REQUIRED, 0, "line one\r\nline two\tend");
}

Test(form_text, nul_inside_value_refused)
{
	json_decref(r.body);
	r.body = json_object();
	json_object_set_new(r.body, "f", json_stringn("a\0b", 3));
	r.body_is_json = true;
	text_fails("f", FIELD_OPTIONAL, 0, ERR_BADREQ);
	json_object_set_new(r.body, "g", json_stringn("\0", 1));
	text_fails("g", FIELD_OPTIONAL, 0, ERR_BADREQ);
}

Test(form_text, broken_utf8_refused)
{
	json_decref(r.body);
	r.body = json_object();
	/* jansson would refuse these; build them unchecked as a hostile
	 * caller of the API could */
	json_object_set_new(r.body, "f", json_stringn_nocheck("ab\xff", 3));
	json_object_set_new(r.body, "g", json_stringn_nocheck("\xc0\x80", 2));
	r.body_is_json = false;
	text_fails("f", FIELD_OPTIONAL, 0, ERR_BADREQ);
	text_fails("g", FIELD_OPTIONAL, 0, ERR_BADREQ);
}

Test(form_text, max_chars_counts_code_points)
{
	set_body("{\"n\":\"h\\u00e9llo\"}", true);   /* 5 characters, 6 bytes */
	text_is("n", FIELD_REQUIRED, 5, "h\xc3\xa9llo");
	text_fails("n", FIELD_REQUIRED, 4, ERR_INVALID);
	set_body("{\"n\":\"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\"}", true);  /* 3 emoji, 12 bytes */
	text_is("n", FIELD_REQUIRED, 3, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	text_fails("n", FIELD_REQUIRED, 2, ERR_INVALID);
	/* 0 means no limit */
	char big[3000];
	strcpy(big, "{\"n\":\"");
	memset(big + 6, 'x', 2000);
	strcpy(big + 2006, "\"}");
	set_body(big, true);
	const char *got = NULL;
	herr e;
	cr_assert_eq(form_text(&r, "n", "the name", FIELD_REQUIRED, 0, &got, &e), 0);
	cr_expect_eq(strlen(got), 2000);
	cr_expect_eq(form_text(&r, "n", "the name", FIELD_REQUIRED, 1999, &got, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "n");
	cr_expect(strstr(e.message, "1999") != NULL, "the limit is in the message: %s", e.message);
}

Test(form_text, null_herr_allowed)
{
	set_body("{\"email\":42}", true);
	const char *got = NULL;
	cr_expect_eq(form_text(&r, "email", "your email", FIELD_REQUIRED, 10, &got, NULL),
		     ERR_BADREQ);
}

/* ---- form_only_fields ---------------------------------------------- */

static const char *const login_fields[] = { "email", "password", NULL };

Test(form_only_fields, known_fields_pass)
{
	herr e;
	herr_clear(&e);
	set_body("{\"email\":\"a@example.org\",\"password\":\"pw\"}", true);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), 0);
	set_body("{\"email\":\"a@example.org\"}", false);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), 0, "a subset is fine");
	set_body("{}", true);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), 0);
	static const char *const none[] = { NULL };
	cr_expect_eq(form_only_fields(&r, none, &e), 0);
}

Test(form_only_fields, csrf_allowed_for_forms_only)
{
	herr e;
	herr_clear(&e);
	set_body("{\"email\":\"a@example.org\",\"csrf\":\"token\"}", false);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), 0, "form with csrf: %s", e.message);

	set_body("{\"email\":\"a@example.org\",\"csrf\":\"token\"}", true);
	herr_clear(&e);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), ERR_BADREQ, "JSON with csrf");
	cr_expect_eq(e.code, ERR_BADREQ);
	cr_expect(strstr(e.message, "csrf") != NULL, "message: %s", e.message);

	/* a handler that asks for "csrf" in JSON may have it */
	static const char *const with_csrf[] = { "email", "csrf", NULL };
	cr_expect_eq(form_only_fields(&r, with_csrf, &e), 0);
}

Test(form_only_fields, unknown_field_refused)
{
	herr e;
	herr_clear(&e);
	set_body("{\"email\":\"a@example.org\",\"is_admin\":true}", true);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), ERR_BADREQ);
	cr_expect_eq(e.code, ERR_BADREQ);
	cr_expect(strstr(e.message, "is_admin") != NULL, "message: %s", e.message);

	set_body("{\"email\":\"a\",\"Email\":\"b\"}", false);   /* names are exact */
	herr_clear(&e);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), ERR_BADREQ);
	cr_expect(strstr(e.message, "Email") != NULL, "message: %s", e.message);

	static const char *const none[] = { NULL };
	set_body("{\"x\":\"1\"}", false);
	cr_expect_eq(form_only_fields(&r, none, &e), ERR_BADREQ);
	set_body("{\"csrf\":\"t\"}", false);
	cr_expect_eq(form_only_fields(&r, none, &e), 0);
}

Test(form_only_fields, long_unknown_name_message_bounded)
{
	char json[1100];
	strcpy(json, "{\"");
	memset(json + 2, 'k', 1000);
	strcpy(json + 1002, "\":1}");
	set_body(json, true);
	herr e;
	herr_clear(&e);
	cr_expect_eq(form_only_fields(&r, login_fields, &e), ERR_BADREQ);
	cr_expect_lt(strlen(e.message), sizeof e.message);
	cr_expect(strstr(e.message, "kkkk") != NULL);
}

Test(form_only_fields, no_body)
{
	herr e;
	r.body = NULL;
	cr_expect_eq(form_only_fields(&r, login_fields, &e), 0);
}

/* ---- form_int ------------------------------------------------------ */

/* form_int on field name, 0 to 100 with default -1; fails the test unless
 * it succeeds with want. */
static void int_is(const char *name, int want)
{
	int got = 12345;
	herr e;
	herr_clear(&e);
	int rc = form_int(&r, name, "the count", 0, 100, -1, &got, &e);
	cr_assert_eq(rc, 0, "%s refused: %s", name, e.message);
	cr_expect_eq(got, want, "%s gave %d", name, got);
}

static void int_fails(const char *name)
{
	int got = 12345;
	herr e;
	herr_clear(&e);
	cr_expect_eq(form_int(&r, name, "the count", 0, 100, -1, &got, &e), ERR_INVALID, "%s", name);
	cr_assert_not_null(e.field);
	cr_expect_str_eq(e.field, name);
	cr_expect_str_eq(e.message, "Enter the count as a whole number from 0 to 100.");
	cr_expect_eq(got, 12345, "the output was written on failure");
}

Test(form_int, digits_and_integers)
{
	set_body("{\"a\":\"0\",\"b\":\"100\",\"c\":\"007\"}", false);
	int_is("a", 0);
	int_is("b", 100);
	int_is("c", 7);
	set_body("{\"a\":42,\"b\":0}", true);
	int_is("a", 42);
	int_is("b", 0);
}

Test(form_int, absent_or_empty_gives_default)
{
	set_body("{\"empty\":\"\",\"none\":null}", true);
	int_is("empty", -1);
	int_is("none", -1);
	int_is("missing", -1);
	json_decref(r.body);
	r.body = NULL;
	int_is("missing", -1);
}

Test(form_int, out_of_range_or_not_a_number)
{
	set_body("{\"big\":\"101\",\"neg\":\"-1\",\"plus\":\"+5\",\"word\":\"ten\","
		 "\"tail\":\"5x\",\"space\":\" 5\",\"huge\":\"99999999999999999999\"}", false);
	int_fails("big");
	int_fails("neg");
	int_fails("plus");
	int_fails("word");
	int_fails("tail");
	int_fails("space");
	int_fails("huge");
	set_body("{\"real\":2.5,\"neg\":-3,\"list\":[1],\"yes\":true}", true);
	int_fails("real");
	int_fails("neg");
	int_fails("list");
	int_fails("yes");
}

Test(form_int, required_refuses_nothing_sent_and_reads_the_rest_alike)
{
	set_body("{\"empty\":\"\",\"none\":null,\"five\":\"5\",\"big\":\"101\"}", false);
	static const char *const unsent[] = { "empty", "none", "missing" };
	for (size_t i = 0; i < 3; i++) {
		int got = 12345;
		herr e;
		herr_clear(&e);
		cr_expect_eq(form_int_required(&r, unsent[i], "the count", 0, 100, &got, &e),
			     ERR_INVALID, "%s", unsent[i]);
		cr_expect_str_eq(e.field, unsent[i]);
		cr_expect_str_eq(e.message, "Enter the count.");
		cr_expect_eq(got, 12345, "the output was written on failure");
	}
	int got = 0;
	herr e;
	herr_clear(&e);
	cr_expect_eq(form_int_required(&r, "five", "the count", 0, 100, &got, &e), 0, "%s", e.message);
	cr_expect_eq(got, 5);
	cr_expect_eq(form_int_required(&r, "big", "the count", 0, 100, &got, &e), ERR_INVALID);
	cr_expect_str_eq(e.message, "Enter the count as a whole number from 0 to 100.");
	cr_expect_eq(got, 5);
}

/* ---- form_echo ----------------------------------------------------- */

Test(form_echo, text_and_numbers_only)
{
	static const char *const fields[] = { "name", "count", "real", "list", "missing", NULL };
	set_body("{\"name\":\"Ann\",\"count\":3,\"real\":1.5,\"list\":[\"a\"],"
		 "\"other\":\"not asked for\"}", true);
	json_t *form = form_echo(&r, fields);
	cr_assert_not_null(form);
	cr_expect_eq(json_object_size(form), 2);
	cr_expect_str_eq(json_string_value(json_object_get(form, "name")), "Ann");
	cr_expect_eq(json_integer_value(json_object_get(form, "count")), 3);
	json_decref(form);
}

Test(form_echo, no_body)
{
	static const char *const fields[] = { "name", NULL };
	r.body = NULL;
	json_t *form = form_echo(&r, fields);
	cr_assert_not_null(form);
	cr_expect_eq(json_object_size(form), 0);
	json_decref(form);
}

/* ---- query_param --------------------------------------------------- */

Test(query_param, strings_only)
{
	r.query = json_loads("{\"next\":\"/account\",\"list\":[\"a\",\"b\"],\"n\":1,\"e\":\"\"}",
			     0, NULL);
	cr_assert_not_null(r.query);
	const char *v = query_param(&r, "next");
	cr_assert_not_null(v);
	cr_expect_str_eq(v, "/account");
	v = query_param(&r, "e");
	cr_assert_not_null(v);
	cr_expect_str_eq(v, "");
	cr_expect_null(query_param(&r, "list"), "a repeated parameter is not one value");
	cr_expect_null(query_param(&r, "n"));
	cr_expect_null(query_param(&r, "missing"));
	cr_expect_null(query_param(&r, "Next"));
}

Test(query_param, no_query)
{
	r.query = NULL;
	cr_expect_null(query_param(&r, "next"));
}
