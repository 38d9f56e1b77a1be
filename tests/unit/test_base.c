/* test_base.c - unit tests for the dependency-free helpers in src/base/:
 * the arena (arena.c), dense numbers for ids (idmap.c), the growable buffer and HTML escaping (buf.c), ids,
 * the clock and randomness (ids.c), UTF-8 validation (utf8.c) and error
 * codes (err.c); and db_finish(), the store's transaction ending (db.c). */
#include <criterion/criterion.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/ids.h"
#include "base/idmap.h"
#include "base/small_blocks.h"
#include "base/utf8.h"
#include "store/db.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void init_sodium(void)
{
	cr_assert_geq(sodium_init(), 0);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

/* ---- arena ---------------------------------------------------------- */

Test(arena, alloc_is_zeroed_and_aligned)
{
	arena *a = arena_new(1024);
	cr_assert_not_null(a);
	for (size_t n = 1; n <= 200; n++) {
		unsigned char *p = arena_alloc(a, n);
		cr_assert_not_null(p);
		cr_expect_eq((uintptr_t)p % 16, 0, "size %zu not 16-byte aligned", n);
		cr_expect(all_zero(p, n), "size %zu not zeroed", n);
		memset(p, 0xAA, n);   /* dirty it so reuse after reset is tested */
	}
	arena_reset(a);
	for (size_t n = 1; n <= 200; n++) {
		unsigned char *p = arena_alloc(a, n);
		cr_assert_not_null(p);
		cr_expect_eq((uintptr_t)p % 16, 0);
		cr_expect(all_zero(p, n), "size %zu not zeroed after reset", n);
	}
	arena_free(a);
}

Test(arena, zero_size_alloc_and_default_block_size)
{
	arena *a = arena_new(0);   /* 0 picks the default block size */
	cr_assert_not_null(a);
	void *p = arena_alloc(a, 0);
	void *q = arena_alloc(a, 1);
	cr_assert_not_null(p);
	cr_assert_not_null(q);
	cr_expect_eq((uintptr_t)q % 16, 0);
	/* 10 000 bytes fit in the default block without a new one */
	unsigned char *big = arena_alloc(a, 10000);
	cr_assert_not_null(big);
	cr_expect(all_zero(big, 10000));
	arena_free(a);
}

Test(arena, many_allocations_cross_blocks_without_overlap)
{
	enum { COUNT = 10000, SIZE = 40 };
	arena *a = arena_new(256);   /* a handful of allocations per block */
	cr_assert_not_null(a);
	static unsigned char *ptrs[COUNT];
	for (size_t i = 0; i < COUNT; i++) {
		ptrs[i] = arena_alloc(a, SIZE);
		cr_assert_not_null(ptrs[i]);
		cr_assert_eq((uintptr_t)ptrs[i] % 16, 0);
		cr_assert(all_zero(ptrs[i], SIZE), "allocation %zu not zeroed", i);
		memset(ptrs[i], (int)(i % 251) + 1, SIZE);
	}
	for (size_t i = 0; i < COUNT; i++)
		for (size_t k = 0; k < SIZE; k++)
			cr_assert_eq(ptrs[i][k], (unsigned char)((i % 251) + 1),
				     "allocation %zu was overwritten at byte %zu", i, k);
	/* used counts rounded sizes: 40 -> 48 */
	cr_expect_eq(arena_used(a), (size_t)COUNT * 48);
	arena_free(a);
}

Test(arena, large_allocation_beyond_block_size)
{
	arena *a = arena_new(256);
	cr_assert_not_null(a);
	char *small = arena_strdup(a, "before");
	size_t big_n = 1 << 20;
	unsigned char *big = arena_alloc(a, big_n);
	cr_assert_not_null(big);
	cr_expect_eq((uintptr_t)big % 16, 0);
	cr_expect(all_zero(big, big_n));
	memset(big, 0x5A, big_n);
	char *after = arena_strdup(a, "after");
	cr_assert_not_null(after);
	cr_expect_str_eq(small, "before");
	cr_expect_str_eq(after, "after");
	cr_expect_eq(big[0], 0x5A);
	cr_expect_eq(big[big_n - 1], 0x5A);
	cr_expect_geq(arena_used(a), big_n);
	/* a second large one, then a reset that frees them */
	cr_assert_not_null(arena_alloc(a, 3 * big_n));
	arena_reset(a);
	cr_expect_eq(arena_used(a), 0);
	unsigned char *again = arena_alloc(a, big_n);
	cr_assert_not_null(again);
	cr_expect(all_zero(again, big_n));
	arena_free(a);
}

Test(arena, strdup_strndup)
{
	arena *a = arena_new(64);
	cr_assert_not_null(a);
	cr_expect_null(arena_strdup(a, NULL));
	char *s = arena_strdup(a, "hello, world");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "hello, world");
	char *e = arena_strdup(a, "");
	cr_assert_not_null(e);
	cr_expect_str_eq(e, "");

	/* strndup copies exactly n bytes and terminates, even from an
	 * unterminated source */
	const char raw[5] = { 'a', 'b', 'c', 'd', 'e' };
	char *t = arena_strndup(a, raw, 3);
	cr_assert_not_null(t);
	cr_expect_str_eq(t, "abc");
	char *full = arena_strndup(a, raw, sizeof raw);
	cr_assert_not_null(full);
	cr_expect_str_eq(full, "abcde");
	char *zero = arena_strndup(a, raw, 0);
	cr_assert_not_null(zero);
	cr_expect_str_eq(zero, "");

	/* a string longer than the block */
	char longer[1000];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	char *l = arena_strdup(a, longer);
	cr_assert_not_null(l);
	cr_expect_str_eq(l, longer);
	cr_expect_str_eq(s, "hello, world");
	arena_free(a);
}

Test(arena, printf)
{
	arena *a = arena_new(64);
	cr_assert_not_null(a);
	char *s = arena_printf(a, "%d-%s-%c", 42, "meeting", 'x');
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "42-meeting-x");
	cr_expect_str_eq(arena_printf(a, "%s", ""), "");
	/* longer than the block size */
	char *l = arena_printf(a, "%0500d|%s", 7, "end");
	cr_assert_not_null(l);
	cr_expect_eq(strlen(l), 504);
	cr_expect_eq(l[0], '0');
	cr_expect_str_eq(l + 499, "7|end");
	cr_expect_str_eq(s, "42-meeting-x");
	arena_free(a);
}

Test(arena, reset_and_used)
{
	arena *a = arena_new(128);
	cr_assert_not_null(a);
	cr_expect_eq(arena_used(a), 0);
	arena_alloc(a, 1);
	cr_expect_eq(arena_used(a), 16);
	arena_alloc(a, 17);
	cr_expect_eq(arena_used(a), 48);
	for (int i = 0; i < 100; i++)
		cr_assert_not_null(arena_alloc(a, 100));   /* many blocks */
	arena_reset(a);
	cr_expect_eq(arena_used(a), 0);
	char *s = arena_strdup(a, "still works");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "still works");
	arena_reset(a);
	arena_reset(a);   /* twice in a row is harmless */
	cr_expect_eq(arena_used(a), 0);
	arena_free(a);
}

Test(arena, free_null)
{
	arena_free(NULL);
}

/* arena.h: "Returns NULL only when the system is out of memory". A request
 * no system can satisfy must give NULL, not a block whose size computation
 * wrapped around. */
Test(arena, absurd_size_returns_null)
{
	arena *a = arena_new(256);
	cr_assert_not_null(a);
	cr_expect_null(arena_alloc(a, SIZE_MAX));
	cr_expect_null(arena_alloc(a, SIZE_MAX - 15));   /* header + size wraps to 16 */
	cr_expect_null(arena_alloc(a, SIZE_MAX - 31));   /* header + size wraps to 0 */
	cr_expect_null(arena_alloc(a, SIZE_MAX - 47));
	arena_free(a);
}

/* A list built one element at a time keeps every element, doubles its room
 * from 16, and hands back the same array while there is room. */
Test(arena, grow_builds_a_list)
{
	arena *a = arena_new(256);
	cr_assert_not_null(a);
	size_t n = 0, cap = 0;
	int *list = NULL;
	for (int i = 0; i < 1000; i++) {
		int *before = list;
		size_t cap_before = cap;
		list = arena_grow(a, list, n, &cap, sizeof *list);
		cr_assert_not_null(list);
		if (before && n < cap_before) {
			cr_expect_eq(list, before);
			cr_expect_eq(cap, cap_before);
		} else {
			cr_expect_eq(cap, cap_before ? 2 * cap_before : 16);
			cr_expect((uintptr_t)list % 16 == 0);
			cr_expect(all_zero(list + n, (cap - n) * sizeof *list));
		}
		list[n++] = i;
	}
	cr_expect_eq(cap, 1024);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(list[i], i, "element %d lost in a move", i);
	/* A caller that starts from a room it already knows. */
	size_t known = 8;
	long *other = arena_grow(a, NULL, 0, &known, sizeof *other);
	cr_assert_not_null(other);
	cr_expect_eq(known, 16);
	arena_free(a);
}

/* A room or size past SIZE_MAX gives NULL and leaves the room as it was. */
Test(arena, grow_refuses_overflow)
{
	arena *a = arena_new(256);
	cr_assert_not_null(a);
	char one[16] = { 0 };
	size_t cap = SIZE_MAX / 2 + 1;
	cr_expect_null(arena_grow(a, one, cap, &cap, 1));
	cr_expect_eq(cap, SIZE_MAX / 2 + 1);
	cap = SIZE_MAX / 64;   /* doubles without wrapping, times 64 bytes wraps */
	cr_expect_null(arena_grow(a, one, cap, &cap, 64));
	cr_expect_eq(cap, SIZE_MAX / 64);
	/* the arena still works */
	cap = 0;
	cr_expect_not_null(arena_grow(a, NULL, 0, &cap, 64));
	cr_expect_eq(cap, 16);
	arena_free(a);
}

Test(arena, rewind_returns_what_came_after_the_mark)
{
	arena *a = arena_new(256);
	cr_assert_not_null(a);
	char *kept = arena_strdup(a, "kept");
	size_t used = arena_used(a);
	struct arena_mark m = arena_mark(a);
	for (int i = 0; i < 100; i++)   /* many blocks, some larger than one */
		cr_assert_not_null(arena_alloc(a, i % 10 ? 100 : 4096));
	cr_expect_gt(arena_used(a), used + 100 * 100);
	arena_rewind(a, m);
	cr_expect_eq(arena_used(a), used);
	cr_expect_str_eq(kept, "kept");
	/* the room after the mark is handed out again, zeroed */
	char *again = arena_alloc(a, 16);
	cr_assert_not_null(again);
	cr_expect_eq(again, kept + 16);
	for (int i = 0; i < 16; i++)
		cr_expect_eq(again[i], 0);
	/* nested marks, the inner one first */
	struct arena_mark outer = arena_mark(a);
	cr_assert_not_null(arena_alloc(a, 1000));
	struct arena_mark inner = arena_mark(a);
	cr_assert_not_null(arena_alloc(a, 5000));
	arena_rewind(a, inner);
	arena_rewind(a, outer);
	cr_expect_eq(arena_used(a), used + 16);
	arena_free(a);
}

/* ---- idmap ----------------------------------------------------------------- */

Test(idmap, numbers_ids_in_the_order_first_seen)
{
	struct idmap m = { 0 };
	cr_expect_eq(idmap_find(&m, 42), -1);
	uint32_t k;
	/* ids like ours: a clock in the high bits, so many share their low bits */
	for (int64_t i = 0; i < 100000; i++) {
		cr_assert_eq(idmap_number(&m, (i << 20) | 7, &k), 0);
		cr_assert_eq(k, (uint32_t)i);
	}
	cr_expect_eq(m.n, 100000);
	for (int64_t i = 99999; i >= 0; i--) {
		cr_assert_eq(idmap_number(&m, (i << 20) | 7, &k), 0);   /* seen: same number */
		cr_assert_eq(k, (uint32_t)i);
		cr_assert_eq(idmap_find(&m, (i << 20) | 7), i);
		cr_assert_eq(m.ids[i], (i << 20) | 7);
	}
	cr_expect_eq(m.n, 100000);
	cr_expect_eq(idmap_find(&m, 8), -1);
	cr_expect_eq(idmap_find(&m, -1), -1);
	cr_expect_eq(idmap_find(&m, INT64_MIN), -1);
	cr_assert_eq(idmap_number(&m, INT64_MIN, &k), 0);
	cr_expect_eq(k, 100000);
	idmap_free(&m);
	cr_expect_eq(m.n, 0);
	cr_expect_eq(idmap_find(&m, 7), -1);
}

/* ---- db_finish (store/db.c) --------------------------------------------- */

/* Here rather than in test_store.c because it is the one store helper the
 * app layer's clean-up added; it needs only SQLite. */
static int count_rows(db *d)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM t");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	cr_assert_eq(db_step(st), DB_ROW);
	int n = (int)db_col_int64(st, 0);
	db_reset(st);
	return n;
}

Test(db_finish, commits_on_zero_and_rolls_back_otherwise)
{
	char dir[] = "/tmp/hearth-test-base-XXXXXX", path[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/finish.db", dir);
	herr e = { 0 };
	db *d = db_open(path, &e);
	cr_assert_not_null(d, "db_open: %s", e.message);
	cr_assert_eq(db_exec_script(d, "CREATE TABLE t (x INTEGER)"), 0);

	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(db_exec(d, "INSERT INTO t VALUES (1)"), 0);
	cr_expect_eq(db_finish(d, 0), 0);
	cr_expect_not(db_in_transaction(d));
	cr_expect_eq(count_rows(d), 1);

	/* A step that failed: rolled back, and its code comes back unchanged. */
	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(db_exec(d, "INSERT INTO t VALUES (2)"), 0);
	cr_expect_eq(db_finish(d, ERR_CONFLICT), ERR_CONFLICT);
	cr_expect_not(db_in_transaction(d));
	cr_expect_eq(count_rows(d), 1);

	/* rc 0 but the database saw a failure: the commit's error comes back. */
	cr_assert_eq(db_begin_write(d), 0);
	cr_assert_eq(db_exec(d, "INSERT INTO t VALUES (3)"), 0);
	cr_expect_lt(db_exec(d, "INSERT INTO no_such_table VALUES (1)"), 0);
	cr_expect_lt(db_finish(d, 0), 0);
	cr_expect_not(db_in_transaction(d));
	cr_expect_eq(count_rows(d), 1);

	db_close(d);
	char side[80];
	const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
		unlink(side);
	}
	rmdir(dir);
}

/* ---- buf ------------------------------------------------------------ */

Test(buf, append_grows_and_terminates)
{
	buf b = BUF_INIT;
	char chunk[37];
	for (size_t i = 0; i < sizeof chunk; i++)
		chunk[i] = (char)('a' + i % 26);
	size_t total = 0;
	for (int i = 0; i < 3000; i++) {
		buf_append(&b, chunk, sizeof chunk);
		total += sizeof chunk;
		cr_assert_eq(b.len, total);
		cr_assert_geq(b.cap, b.len + 1);
		cr_assert_eq(b.data[b.len], '\0');
	}
	cr_expect_not(b.oom);
	for (size_t i = 0; i < total; i++)
		cr_assert_eq(b.data[i], chunk[i % sizeof chunk], "byte %zu", i);
	buf_append(&b, "", 0);
	cr_expect_eq(b.len, total);
	buf_free(&b);
	cr_expect_null(b.data);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(b.cap, 0);
	buf_free(&b);   /* freeing an empty buffer is harmless */
}

Test(buf, puts_putc_printf)
{
	buf b = BUF_INIT;
	buf_puts(&b, "id=");
	buf_printf(&b, "%d", 12345);
	buf_putc(&b, ';');
	buf_printf(&b, "%s", "");
	cr_expect_str_eq(b.data, "id=12345;");
	cr_expect_eq(b.len, 9);
	/* printf that forces growth past the initial capacity several times */
	buf_printf(&b, "%05000d", 1);
	cr_expect_eq(b.len, 5009);
	cr_expect_eq(strlen(b.data), 5009);
	cr_expect_str_eq(b.data + 5008, "1");
	cr_expect_eq(strncmp(b.data, "id=12345;0000", 13), 0);
	buf_free(&b);
}

Test(buf, printf_on_empty_buffer)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s and %s", "tea", "biscuits");
	cr_assert_not_null(b.data);
	cr_expect_str_eq(b.data, "tea and biscuits");
	buf_free(&b);
}

static char *escaped(const char *s, size_t n)
{
	buf b = BUF_INIT;
	buf_html_escape(&b, s, n);
	return buf_take(&b);
}

Test(buf, html_escape_specials)
{
	char *got = escaped("&<>\"'`", 6);
	cr_expect_str_eq(got, "&amp;&lt;&gt;&quot;&#39;&#96;");
	free(got);
	got = escaped("<script>alert('x')</script>", 27);
	cr_expect_str_eq(got, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	free(got);
	got = escaped("a&b", 3);
	cr_expect_str_eq(got, "a&amp;b");
	free(got);
	got = escaped("&&", 2);
	cr_expect_str_eq(got, "&amp;&amp;");
	free(got);
	got = escaped("x\" onmouseover=`y`", 18);
	cr_expect_str_eq(got, "x&quot; onmouseover=&#96;y&#96;");
	free(got);
}

Test(buf, html_escape_plain_text_unchanged)
{
	const char *plain = "Tuesday group, 7pm: caf\xc3\xa9 upstairs / room #2 (all welcome)";
	char *got = escaped(plain, strlen(plain));
	cr_expect_str_eq(got, plain);
	free(got);
	got = escaped("", 0);
	cr_assert_not_null(got);
	cr_expect_str_eq(got, "");
	free(got);
}

Test(buf, html_escape_respects_length)
{
	char *got = escaped("ab<cd>", 3);   /* only "ab<" */
	cr_expect_str_eq(got, "ab&lt;");
	free(got);
	/* appends to what is already there */
	buf b = BUF_INIT;
	buf_puts(&b, "<p>");
	buf_html_escape(&b, "1 < 2", 5);
	buf_puts(&b, "</p>");
	cr_expect_str_eq(b.data, "<p>1 &lt; 2</p>");
	buf_free(&b);
}

Test(buf, take_and_reset)
{
	buf b = BUF_INIT;
	char *empty = buf_take(&b);   /* an empty buffer gives "" to free */
	cr_assert_not_null(empty);
	cr_expect_str_eq(empty, "");
	free(empty);

	buf_puts(&b, "hello");
	char *data = b.data;
	char *got = buf_take(&b);
	cr_expect_eq(got, data);
	cr_expect_str_eq(got, "hello");
	cr_expect_null(b.data);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(b.cap, 0);
	free(got);

	buf_puts(&b, "first content");
	data = b.data;
	size_t cap = b.cap;
	buf_reset(&b);
	cr_expect_eq(b.data, data, "reset keeps the allocation");
	cr_expect_eq(b.cap, cap);
	cr_expect_eq(b.len, 0);
	cr_expect_str_eq(b.data, "");
	buf_puts(&b, "second");
	cr_expect_str_eq(b.data, "second");
	buf_free(&b);

	buf_reset(&b);   /* reset of an empty buffer */
	cr_expect_eq(b.len, 0);
}

/* A reservation no system can satisfy must fail (and set oom), not wrap
 * around the size computation and report success. */
Test(buf, reserve_absurd_size_fails)
{
	buf b = BUF_INIT;
	cr_expect_not(buf_reserve(&b, SIZE_MAX));
	cr_expect(b.oom);
	buf_free(&b);

	buf_puts(&b, "abc");
	cr_expect_not(buf_reserve(&b, SIZE_MAX - 2));
	buf_free(&b);
}

/* ---- ids and time -------------------------------------------------- */

Test(ids, id_new_strictly_increasing, .init = init_sodium)
{
	int64_t prev = id_new();
	cr_assert_gt(prev, 0);
	for (int i = 0; i < 100000; i++) {
		int64_t id = id_new();
		cr_assert_gt(id, prev, "id %d: %lld after %lld", i, (long long)id, (long long)prev);
		prev = id;
	}
}

Test(ids, id_time_close_to_now, .init = init_sodium)
{
	int64_t before = time_now_ms();
	int64_t id = id_new();
	int64_t after = time_now_ms();
	int64_t t = id_time_ms(id);
	cr_expect_geq(t, before);
	cr_expect_leq(t, after + 1);
	/* the clock itself is in milliseconds: after 2020, before 2100 */
	cr_expect_gt(before, INT64_C(1577836800000));
	cr_expect_lt(before, INT64_C(4102444800000));
}

Test(ids, id_parse_accepts)
{
	int64_t v = -1;
	cr_assert(id_parse("1", &v));
	cr_expect_eq(v, 1);
	cr_assert(id_parse("9223372036854775807", &v));
	cr_expect_eq(v, INT64_MAX);
	cr_assert(id_parse("1234567890123", &v));
	cr_expect_eq(v, INT64_C(1234567890123));
	cr_assert(id_parse("10", &v));
	cr_expect_eq(v, 10);
}

Test(ids, id_parse_rejects)
{
	static const char *const bad[] = {
		"", "0", "-1", "01", "1a", " 1", "1 ", "+1", "9223372036854775808",
		"18446744073709551616", "99999999999999999999", "0x10", "1.0", "1e3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v = 77;
		cr_expect_not(id_parse(bad[i], &v), "accepted \"%s\"", bad[i]);
		cr_expect_eq(v, 77, "\"%s\" wrote the output on failure", bad[i]);
	}
	int64_t v = 77;
	cr_expect_not(id_parse(NULL, &v));
	cr_expect_eq(v, 77);
}

Test(ids, time_format_iso)
{
	char out[32];
	time_format_iso(0, out);
	cr_expect_str_eq(out, "1970-01-01T00:00:00Z");
	time_format_iso(INT64_C(1700000000000), out);
	cr_expect_str_eq(out, "2023-11-14T22:13:20Z");
	time_format_iso(INT64_C(1700000000999), out);   /* milliseconds dropped */
	cr_expect_str_eq(out, "2023-11-14T22:13:20Z");
	time_format_iso(INT64_C(1795698000000), out);   /* the header's example */
	cr_expect_str_eq(out, "2026-11-26T13:00:00Z");
	time_format_iso(INT64_C(951782400000), out);    /* leap day 2000 */
	cr_expect_str_eq(out, "2000-02-29T00:00:00Z");
}

static bool is_lower_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

Test(ids, random_hex, .init = init_sodium)
{
	char a[65], b[65];
	random_hex(a, 32);
	random_hex(b, 32);
	cr_expect_eq(strlen(a), 64);
	cr_expect(is_lower_hex(a), "not lowercase hex: %s", a);
	cr_expect_str_neq(a, b);

	/* more than the 64-byte chunk random_hex works in */
	char big[2 * 150 + 1];
	memset(big, 'Z', sizeof big);
	random_hex(big, 150);
	cr_expect_eq(strlen(big), 300);
	cr_expect(is_lower_hex(big));

	/* exactly n: the byte after the NUL is untouched */
	char small[8];
	memset(small, 'Z', sizeof small);
	random_hex(small, 3);
	cr_expect_eq(strlen(small), 6);
	cr_expect_eq(small[7], 'Z');

	char none[2] = { 'Z', 'Z' };
	random_hex(none, 0);
	cr_expect_eq(none[0], '\0');
	cr_expect_eq(none[1], 'Z');
}

Test(ids, random_bytes_fills, .init = init_sodium)
{
	unsigned char x[64] = { 0 }, y[64] = { 0 };
	random_bytes(x, sizeof x);
	random_bytes(y, sizeof y);
	cr_expect_neq(memcmp(x, y, sizeof x), 0);
}

/* ---- utf8 ----------------------------------------------------------- */

struct bytes { const char *s; size_t n; const char *what; };
#define B(lit, what) { lit, sizeof lit - 1, what }

Test(utf8, valid_sequences)
{
	static const struct bytes good[] = {
		B("", "empty"),
		B("plain ASCII text", "ascii"),
		B("\x7f", "DEL is valid UTF-8"),
		B("\xc2\x80", "U+0080, smallest 2-byte"),
		B("\xc3\xa9", "e acute"),
		B("\xdf\xbf", "U+07FF, largest 2-byte"),
		B("\xe0\xa0\x80", "U+0800, smallest 3-byte"),
		B("\xe2\x82\xac", "euro sign"),
		B("\xed\x9f\xbf", "U+D7FF, just below surrogates"),
		B("\xee\x80\x80", "U+E000, just above surrogates"),
		B("\xef\xbf\xbf", "U+FFFF"),
		B("\xf0\x90\x80\x80", "U+10000, smallest 4-byte"),
		B("\xf0\x9f\x98\x80", "emoji"),
		B("\xf4\x8f\xbf\xbf", "U+10FFFF, the largest"),
		B("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80!", "mixed"),
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_expect(utf8_valid(good[i].s, good[i].n), "rejected %s", good[i].what);
}

Test(utf8, invalid_sequences)
{
	static const struct bytes bad[] = {
		B("\xc0\x80", "overlong NUL C0 80"),
		B("\xc1\xbf", "overlong C1 BF"),
		B("\xe0\x80\x80", "overlong E0 80 80"),
		B("\xe0\x9f\xbf", "overlong E0 9F BF"),
		B("\xf0\x80\x80\x80", "overlong F0 80 80 80"),
		B("\xf0\x8f\xbf\xbf", "overlong F0 8F BF BF"),
		B("\xed\xa0\x80", "surrogate U+D800"),
		B("\xed\xbf\xbf", "surrogate U+DFFF"),
		B("\xf4\x90\x80\x80", "U+110000"),
		B("\xf4\xbf\xbf\xbf", "above U+10FFFF"),
		B("\xc3", "truncated 2-byte"),
		B("\xe2\x82", "truncated 3-byte"),
		B("\xf0\x9f\x98", "truncated 4-byte"),
		B("abc\xc3", "truncated at the end"),
		B("\xc3" "a", "2-byte with a bad continuation"),
		B("\xe2" "a\xac", "3-byte with a bad second byte"),
		B("\xe2\x82" "a", "3-byte with a bad third byte"),
		B("\xf0\x9f" "a\x80", "4-byte with a bad third byte"),
		B("\xf0\x9f\x98" "a", "4-byte with a bad fourth byte"),
		B("\x80", "stray continuation 80"),
		B("\xbf", "stray continuation BF"),
		B("a\x80" "b", "stray continuation inside text"),
		B("\xc3\xa9\xa9", "extra continuation after a sequence"),
		B("\xf5\x80\x80\x80", "F5"),
		B("\xf6", "F6"), B("\xf7", "F7"), B("\xf8", "F8"), B("\xf9", "F9"),
		B("\xfa", "FA"), B("\xfb", "FB"), B("\xfc", "FC"), B("\xfd", "FD"),
		B("\xfe", "FE"), B("\xff", "FF"),
		B("\xf8\x88\x80\x80\x80", "5-byte form"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(utf8_valid(bad[i].s, bad[i].n), "accepted %s", bad[i].what);
		cr_expect_not(utf8_valid_text(bad[i].s, bad[i].n), "text accepted %s", bad[i].what);
	}
}

Test(utf8, length_bounds_the_check)
{
	/* only the given bytes are looked at */
	cr_expect_not(utf8_valid("\xc3\xa9", 1));
	cr_expect(utf8_valid("ab\xff", 2));
	cr_expect(utf8_valid("\xe2\x82\xac", 3));
	cr_expect_not(utf8_valid("\xe2\x82\xac", 2));
	/* NUL is valid UTF-8 */
	cr_expect(utf8_valid("a\0b", 3));
}

Test(utf8, valid_text_controls)
{
	cr_expect(utf8_valid_text("", 0));
	cr_expect(utf8_valid_text("line one\nline two\r\n\tindented", 28));
	cr_expect(utf8_valid_text("caf\xc3\xa9", 5));
	cr_expect_not(utf8_valid_text("a\0b", 3), "NUL inside the given length");
	cr_expect(utf8_valid_text("ab\0", 2), "NUL beyond the length is not looked at");
	cr_expect_not(utf8_valid_text("\x01", 1));
	cr_expect_not(utf8_valid_text("x\x1fy", 3));
	cr_expect_not(utf8_valid_text("\x1b[31m", 5), "escape");
	cr_expect_not(utf8_valid_text("\x7f", 1), "DEL");
	cr_expect_not(utf8_valid_text("\x08", 1), "backspace");
	cr_expect_not(utf8_valid_text("\x0b", 1), "vertical tab");
	cr_expect_not(utf8_valid_text("\x0c", 1), "form feed");
	cr_expect(utf8_valid_text("\t", 1));
	cr_expect(utf8_valid_text("\n", 1));
	cr_expect(utf8_valid_text("\r", 1));
	cr_expect(utf8_valid_text(" ~", 2));
}

Test(utf8, length_in_code_points)
{
	cr_expect_eq(utf8_length("", 0), 0);
	cr_expect_eq(utf8_length("abc", 3), 3);
	cr_expect_eq(utf8_length("\xc3\xa9", 2), 1);
	cr_expect_eq(utf8_length("h\xc3\xa9llo", 6), 5);
	cr_expect_eq(utf8_length("\xe2\x82\xac\xf0\x9f\x98\x80", 7), 2);
	cr_expect_eq(utf8_length("\xf4\x8f\xbf\xbf" "a", 5), 2);
	cr_expect_eq(utf8_length("abcdef", 4), 4);
}

/* ---- err ------------------------------------------------------------ */

Test(err, http_status_per_code)
{
	static const struct { int code, status; } want[] = {
		{ ERR_OK, 200 },
		{ ERR_INVALID, 422 }, { ERR_BADREQ, 400 }, { ERR_NOTFOUND, 404 },
		{ ERR_CONFLICT, 409 }, { ERR_DENIED, 403 }, { ERR_UNAUTH, 401 },
		{ ERR_LIMIT, 429 }, { ERR_TOOBIG, 413 }, { ERR_DB, 500 },
		{ ERR_NOMEM, 500 }, { ERR_INTERNAL, 500 }, { ERR_UNSUPPORTED, 415 },
		{ ERR_METHOD, 405 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect_eq(err_http_status(want[i].code), want[i].status,
			     "code %d", want[i].code);
	cr_expect_eq(err_http_status(-99), 500, "unknown codes are internal errors");
	cr_expect_eq(err_http_status(7), 500);
}

Test(err, names)
{
	cr_expect_str_eq(err_name(ERR_OK), "ok");
	cr_expect_str_eq(err_name(ERR_INVALID), "invalid");
	cr_expect_str_eq(err_name(ERR_BADREQ), "bad_request");
	cr_expect_str_eq(err_name(ERR_NOTFOUND), "not_found");
	cr_expect_str_eq(err_name(ERR_CONFLICT), "conflict");
	cr_expect_str_eq(err_name(ERR_DENIED), "forbidden");
	cr_expect_str_eq(err_name(ERR_UNAUTH), "unauthorized");
	cr_expect_str_eq(err_name(ERR_LIMIT), "too_many_requests");
	cr_expect_str_eq(err_name(ERR_TOOBIG), "too_large");
	cr_expect_str_eq(err_name(ERR_DB), "database");
	cr_expect_str_eq(err_name(ERR_NOMEM), "out_of_memory");
	cr_expect_str_eq(err_name(ERR_INTERNAL), "internal");
	cr_expect_str_eq(err_name(ERR_UNSUPPORTED), "unsupported_media_type");
	cr_expect_str_eq(err_name(ERR_METHOD), "method_not_allowed");
	cr_expect_str_eq(err_name(-99), "internal");
	/* every code has its own name, except that unknown ones share "internal" */
	for (int a = ERR_METHOD; a <= ERR_OK; a++)
		for (int b = a + 1; b <= ERR_OK; b++)
			cr_expect_str_neq(err_name(a), err_name(b), "codes %d and %d", a, b);
}

Test(err, herr_set_formats)
{
	herr e;
	herr_clear(&e);
	cr_expect_eq(e.code, 0);
	cr_expect_null(e.field);
	cr_expect_str_eq(e.message, "");
	int rc = herr_set(&e, ERR_INVALID, "email", "Enter %s (%d left).", "your email", 3);
	cr_expect_eq(rc, ERR_INVALID);
	cr_expect_eq(e.code, ERR_INVALID);
	cr_expect_str_eq(e.field, "email");
	cr_expect_str_eq(e.message, "Enter your email (3 left).");
	rc = herr_set(&e, ERR_DB, NULL, "plain");
	cr_expect_eq(rc, ERR_DB);
	cr_expect_null(e.field);
	cr_expect_str_eq(e.message, "plain");
	herr_clear(&e);
	cr_expect_eq(e.code, 0);
	cr_expect_str_eq(e.message, "");
}

Test(err, herr_set_with_null_returns_code)
{
	cr_expect_eq(herr_set(NULL, ERR_NOTFOUND, "x", "nothing %s", "here"), ERR_NOTFOUND);
}

Test(err, herr_set_truncates_safely)
{
	struct { herr e; char canary[64]; } s;
	memset(&s, 0, sizeof s);
	memset(s.canary, 'C', sizeof s.canary);
	char longmsg[2000];
	memset(longmsg, 'm', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = '\0';
	int rc = herr_set(&s.e, ERR_BADREQ, NULL, "start %s end", longmsg);
	cr_expect_eq(rc, ERR_BADREQ);
	cr_expect_eq(strlen(s.e.message), sizeof s.e.message - 1);
	cr_expect_eq(strncmp(s.e.message, "start mmm", 9), 0);
	for (size_t i = 0; i < sizeof s.canary; i++)
		cr_assert_eq(s.canary[i], 'C', "wrote past the message at %zu", i);
}

/* ---- small_blocks ------------------------------------------------------ */

Test(small_blocks, freed_blocks_are_kept_and_given_again)
{
	/* Sizes malloc gives exactly (24 + 16k bytes), so that any allocator
	 * (ASan's too) reports them as they are. */
	enum { N = 100 };
	void *p[N];
	for (size_t size = 24; size <= 1032; size += 16) {
		cr_assert_eq(small_blocks_kept(), 0);
		for (int i = 0; i < N; i++) {
			p[i] = small_blocks_alloc(size);
			cr_assert_not_null(p[i]);
			memset(p[i], 0xAB, size);
		}
		/* malloc may give a block a little larger than asked (a free chunk
		 * too small to split): those are kept under their own size. */
		size_t other_size = 0;
		for (int i = 0; i < N; i++) {
			other_size += malloc_usable_size(p[i]) != size;
			small_blocks_free(p[i]);
		}
		cr_assert_eq(small_blocks_kept(), N, "%zu bytes: every freed block kept", size);
		for (int i = 0; i < N; i++) {
			char *q = small_blocks_alloc(size);
			cr_assert_geq(malloc_usable_size(q), size);
			memset(q, 0xCD, size);
			p[i] = q;
		}
		cr_assert_eq(small_blocks_kept(), other_size,
			     "%zu bytes: every kept block of the size given again", size);
		small_blocks_release();
		for (int i = 0; i < N; i++)
			free(p[i]);
	}
	/* Larger blocks are never kept. */
	void *big = small_blocks_alloc(4096);
	small_blocks_free(big);
	cr_assert_eq(small_blocks_kept(), 0);
	/* At most 1,024 of one size. */
	void *many[1100];
	for (int i = 0; i < 1100; i++)
		many[i] = small_blocks_alloc(40);
	size_t exact = 0;
	for (int i = 0; i < 1100; i++) {
		exact += malloc_usable_size(many[i]) == 40;
		small_blocks_free(many[i]);
	}
	cr_assert_gt(exact, 1024);
	cr_assert_eq(small_blocks_kept(), 1024 + (1100 - exact));
	small_blocks_release();
	/* At most 1 MiB in all: 2,000 blocks of 1,032 bytes would be 2 MB. */
	void *large[2000];
	for (int i = 0; i < 2000; i++)
		large[i] = small_blocks_alloc(1032);
	for (int i = 0; i < 2000; i++)
		small_blocks_free(large[i]);
	cr_assert_leq(small_blocks_kept(), 1024 * 1024 / 1032);
	cr_assert_geq(small_blocks_kept(), 900);
	small_blocks_release();
	cr_assert_eq(small_blocks_kept(), 0);
}

Test(small_blocks, blocks_mix_with_malloc_and_free)
{
	/* One from malloc to small_blocks_free, one from small_blocks_alloc
	 * to free (json_dumps' text), as jansson's users do. */
	char *m = malloc(40);
	cr_assert_not_null(m);
	small_blocks_free(m);
	char *b = small_blocks_alloc(40);
	cr_assert_not_null(b);
	free(b);
	small_blocks_free(NULL);
	small_blocks_release();
}

static void *make_and_free_values(void *unused)
{
	(void)unused;
	for (int i = 0; i < 2000; i++) {
		json_t *v = json_pack("{s:s, s:i, s:[s, s]}", "name", "Tuesday Circle", "n", i,
				      "tags", "carers", "women");
		char *text = json_dumps(v, 0);
		free(text);
		json_decref(v);
	}
	return NULL;
}

Test(small_blocks, jansson_runs_on_them_across_threads)
{
	json_set_alloc_funcs(small_blocks_alloc, small_blocks_free);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, make_and_free_values, NULL), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);   /* each thread's kept blocks go back as it ends */
	make_and_free_values(NULL);
	small_blocks_release();
	json_set_alloc_funcs(malloc, free);
}
