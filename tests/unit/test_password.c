/* test_password.c - unit tests for the password rules and argon2id hashing
 * (src/app/password.c): length in code points, the embedded common-password
 * list, the person's own email or name, broken UTF-8, and a hash/verify
 * round trip. Hashing costs about 0.1 s a call, so only a few are made. */
#include <criterion/criterion.h>

#include "app/password.h"
#include "base/err.h"

#include <sodium.h>
#include <string.h>

static void init_sodium(void)
{
	cr_assert_geq(sodium_init(), 0);
}

TestSuite(password, .init = init_sodium);

/* Checks pw with field "password" and no email or name; returns the code
 * and, on failure, checks the herr names the field. */
static int check(const char *pw)
{
	herr e;
	herr_clear(&e);
	int rc = password_check_rules(pw, NULL, NULL, "password", &e);
	if (rc) {
		cr_expect_eq(e.code, rc);
		cr_expect_str_eq(e.field, "password");
		cr_expect_neq(e.message[0], '\0');
	}
	return rc;
}

/* n copies of unit, in a static buffer. */
static const char *repeat(const char *unit, size_t n)
{
	static char out[2048];
	size_t len = strlen(unit);
	cr_assert_lt(len * n, sizeof out);
	for (size_t i = 0; i < n; i++)
		memcpy(out + i * len, unit, len);
	out[len * n] = '\0';
	return out;
}

Test(password, length_limits)
{
	cr_expect_eq(check("kq3v9zx"), ERR_INVALID, "7 characters");
	cr_expect_eq(check("kq3v9zxw"), 0, "8 characters");
	cr_expect_eq(check(""), ERR_INVALID, "empty");
	cr_expect_eq(check(repeat("kq3v", 32)), 0, "128 characters");
	char pw129[130];
	strcpy(pw129, repeat("kq3v", 32));
	strcat(pw129, "z");
	cr_expect_eq(check(pw129), ERR_INVALID, "129 characters");
	cr_expect_eq(check(repeat("kq3v", 200)), ERR_INVALID, "800 characters");
}

Test(password, length_counts_code_points)
{
	const char *e8 = repeat("\xc3\xa9", 8);   /* 8 characters, 16 bytes */
	cr_expect_eq(strlen(e8), 16);
	cr_expect_eq(check(e8), 0, "8 x e-acute is 8 characters");
	cr_expect_eq(check(repeat("\xc3\xa9", 7)), ERR_INVALID, "7 x e-acute (14 bytes)");
	cr_expect_eq(check(repeat("\xf0\x9f\x98\x80", 4)), ERR_INVALID,
		     "4 emoji are 4 characters (16 bytes)");
	cr_expect_eq(check(repeat("\xf0\x9f\x98\x80", 8)), 0, "8 emoji");
	cr_expect_eq(check(repeat("\xc3\xa9", 128)), 0, "128 x e-acute (256 bytes)");
	cr_expect_eq(check(repeat("\xc3\xa9", 129)), ERR_INVALID, "129 x e-acute");
	cr_expect_eq(check(repeat("\xf0\x9f\x98\x80", 128)), 0, "128 emoji (512 bytes)");
	cr_expect_eq(check(repeat("\xf0\x9f\x98\x80", 129)), ERR_INVALID, "129 emoji");
}

Test(password, any_characters_no_composition_rules)
{
	cr_expect_eq(check("correct horse battery staple"), 0);
	cr_expect_eq(check("alllowercase"), 0);
	cr_expect_eq(check("        "), 0, "eight spaces are eight characters");
	cr_expect_eq(check("\xe5\xaf\x86\xe7\xa0\x81\xe3\x81\xaf\xe9\x95\xb7\xe3\x81\x84\xe6\x96\xb9\xe3\x81\x8c\xe8\x89\xaf\xe3\x81\x84"), 0,
		     "Japanese text, 9 characters");
}

Test(password, common_refused_case_insensitively)
{
	static const char *const common[] = {
		"12345678", "iloveyou1", "Password123", "password123", "PASSWORD123",
		"ILoveYou1", "pAsSwOrD123", "password1234",
	};
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
		cr_expect_eq(check(common[i]), ERR_INVALID, "\"%s\" accepted", common[i]);
		cr_expect(password_is_common(common[i]), "\"%s\" not common", common[i]);
	}
	cr_expect_not(password_is_common("kq3v9zxw"));
	cr_expect_not(password_is_common(""));
	cr_expect_not(password_is_common("12345678 "), "exact entries only");
	cr_expect_not(password_is_common(repeat("a", 1000)), "very long input");
}

Test(password, own_email_or_name_refused)
{
	const char *email = "river.stone@example.org";
	const char *name = "Margaret Hamilton";
	herr e;
	herr_clear(&e);
	cr_expect_eq(password_check_rules(email, email, name, "new_password", &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "new_password");
	cr_expect_eq(password_check_rules("River.Stone@Example.ORG", email, name, "password", &e),
		     ERR_INVALID, "email, other case");
	cr_expect_eq(password_check_rules(name, email, name, "password", &e), ERR_INVALID);
	cr_expect_eq(password_check_rules("margaret hamilton", email, name, "password", &e),
		     ERR_INVALID, "name, other case");
	cr_expect_eq(password_check_rules("Margaret Hamilton 1969", email, name, "password", &e), 0,
		     "more than the name is fine");
	cr_expect_eq(password_check_rules("kq3v9zxw", email, name, "password", &e), 0);
	cr_expect_eq(password_check_rules(email, NULL, NULL, "password", &e), 0,
		     "no email or name to compare with");
	cr_expect_eq(password_check_rules(name, NULL, name, "password", &e), ERR_INVALID);
	cr_expect_eq(password_check_rules(email, email, NULL, "password", &e), ERR_INVALID);
}

Test(password, broken_utf8_is_bad_request)
{
	static const char *const broken[] = {
		"abcdefgh\xff",
		"\xc0\x80\xc0\x80\xc0\x80\xc0\x80",       /* overlong NULs */
		"abcdefgh\xc3",                           /* truncated */
		"abcd\xed\xa0\x80" "efgh",                /* surrogate */
		"abcdefgh\x80",                           /* stray continuation */
		"\xf4\x90\x80\x80" "abcdefgh",            /* above U+10FFFF */
	};
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++)
		cr_expect_eq(check(broken[i]), ERR_BADREQ, "broken case %zu", i);
	/* checked before the length: a short broken one is malformed, too */
	cr_expect_eq(check("\xff"), ERR_BADREQ);
}

Test(password, null_herr_allowed)
{
	cr_expect_eq(password_check_rules("short", NULL, NULL, "password", NULL), ERR_INVALID);
	cr_expect_eq(password_check_rules("kq3v9zxw", NULL, NULL, "password", NULL), 0);
}

Test(password, hash_and_verify)
{
	const char *pw = "tea with friends on thursdays";
	char hash[PASSWORD_HASH_SIZE];
	herr e;
	herr_clear(&e);
	cr_assert_eq(password_hash(pw, hash, &e), 0, "%s", e.message);
	cr_expect_eq(strncmp(hash, "$argon2id$", 10), 0, "hash is %s", hash);
	cr_expect_lt(strlen(hash), sizeof hash);
	cr_expect(password_verify(hash, pw));
	cr_expect_not(password_verify(hash, "tea with friends on thursday"));
	cr_expect_not(password_verify(hash, ""));
	cr_expect_not(password_verify(NULL, pw));
	cr_expect_not(password_verify("", pw));
	cr_expect_not(password_verify("not a hash", pw));

	/* salted: the same password hashes differently each time */
	char again[PASSWORD_HASH_SIZE];
	cr_assert_eq(password_hash(pw, again, &e), 0);
	cr_expect_str_neq(hash, again);
}

Test(password, hash_non_ascii)
{
	const char *pw = "caf\xc3\xa9 \xf0\x9f\x98\x80 ensemble";
	char hash[PASSWORD_HASH_SIZE];
	herr e;
	cr_assert_eq(password_hash(pw, hash, &e), 0);
	cr_expect(password_verify(hash, pw));
	cr_expect_not(password_verify(hash, "cafe \xf0\x9f\x98\x80 ensemble"));
}

Test(password, verify_dummy_runs)
{
	password_verify_dummy("anything at all");
	password_verify_dummy("");
}
