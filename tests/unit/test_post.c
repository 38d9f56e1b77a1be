/* test_post.c - a group's conversation and its moderation through the app
 * API (src/app/post.c, src/app/moderation.c) on a fresh SQLite database
 * per test: threads and replies with their limits, announcements for
 * managers only, the stream's order (announcements first), muting per
 * person, a locked thread refusing replies, a hidden post's text kept from
 * members, the audit row of every action, and refusals that change
 * nothing. */
#include <criterion/criterion.h>

#include "app/moderation.h"
#include "app/post.h"
#include "base/arena.h"
#include "base/ids.h"
#include "store/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static db *g_db;
static arena *g_arena;
static char g_dir[64];
static char g_path[128];
static int64_t fac_id, member_id, member2_id, outsider_id, group_id, closed_group;

static int64_t add_person(const char *email, const char *name)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO person (id, email, display_name, is_admin, created_at, updated_at) "
		"VALUES (?, ?, ?, 0, 1, 1)");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, name);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return id;
}

static int64_t add_group(const char *status)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO peer_group (id, name, purpose, format, access, facilitation, status, "
		"created_at, updated_at) VALUES (?, 'Circle', 'To meet', 'online', 'open', 'peer_led', ?, 1, 1)");
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, status);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return id;
}

static void add_membership(int64_t group, int64_t person, const char *role)
{
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO membership (group_id, person_id, role, status, joined_at, created_at, "
		"updated_at) VALUES (?, ?, ?, 'active', 1, 1, 1)");
	db_bind_int64(st, 1, group);
	db_bind_int64(st, 2, person);
	db_bind_text(st, 3, role);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
}

static int64_t count(const char *sql)
{
	db_stmt *st = db_prepare(g_db, sql);
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	cr_assert_eq(db_step(st), DB_ROW);
	int64_t n = db_col_int64(st, 0);
	db_reset(st);
	return n;
}

static void setup(void)
{
	cr_assert_geq(sodium_init(), 0);
	snprintf(g_dir, sizeof g_dir, "/tmp/hearth-test-post-XXXXXX");
	cr_assert_not_null(mkdtemp(g_dir));
	snprintf(g_path, sizeof g_path, "%s/test.db", g_dir);
	herr e;
	herr_clear(&e);
	g_db = db_open(g_path, &e);
	cr_assert_not_null(g_db, "db_open: %s", e.message);
	cr_assert_geq(db_migrate(g_db, &e), 0, "migrate: %s", e.message);
	g_arena = arena_new(8192);
	fac_id = add_person("fac@example.org", "Fran");
	member_id = add_person("mo@example.org", "Mo");
	member2_id = add_person("kit@example.org", "Kit");
	outsider_id = add_person("olu@example.org", "Olu");
	group_id = add_group("active");
	closed_group = add_group("closed");
	add_membership(group_id, fac_id, "facilitator");
	add_membership(group_id, member_id, "member");
	add_membership(group_id, member2_id, "member");
	add_membership(closed_group, member_id, "member");
}

static void teardown(void)
{
	db_close(g_db);
	arena_free(g_arena);
	char path[160];
	const char *suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", g_path, suffixes[i]);
		unlink(path);
	}
	rmdir(g_dir);
}

TestSuite(threads, .init = setup, .fini = teardown);
TestSuite(moderation, .init = setup, .fini = teardown);

static struct actor who(int64_t id)
{
	return (struct actor){ .person_id = id };
}

static int64_t start(int64_t by, const char *kind, const char *title)
{
	struct actor a = who(by);
	int64_t id = 0;
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_create_thread(g_db, &a, group_id, kind, title, "Hello", &id, &e), 0, "%s", e.message);
	return id;
}

static struct post_stream stream_of(int64_t as)
{
	struct actor a = who(as);
	struct post_stream s;
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_stream_get(g_db, g_arena, &a, group_id, &s, &e), 0, "%s", e.message);
	return s;
}

Test(threads, stream_puts_announcements_first_then_latest_activity)
{
	int64_t first = start(member_id, "discussion", "First");
	start(member2_id, "offer", "Second");
	int64_t ann = start(fac_id, "announcement", "Notice");
	/* Activity is ordered by millisecond: let the clock move on, so the
	 * reply is later than "Second" rather than tied with it. */
	usleep(3000);
	struct actor mo = who(member_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_reply(g_db, &mo, first, "Bump", NULL, &e), 0, "%s", e.message);
	struct post_stream s = stream_of(member2_id);
	cr_assert_eq(s.n_threads, 3);
	cr_assert_eq(s.threads[0].id, ann);
	cr_assert_eq(s.threads[1].id, first);
	cr_assert_eq(s.threads[1].reply_count, 1);
	cr_assert_str_eq(s.threads[2].title, "Second");
	cr_assert(!s.can_announce);
}

Test(threads, refuses_bad_text_and_plain_members_announcing)
{
	struct actor mo = who(member_id), olu = who(outsider_id);
	herr e;
	herr_clear(&e);
	char big[POST_BODY_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	cr_assert_eq(post_create_thread(g_db, &mo, group_id, "discussion", "  ", "x", NULL, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "title");
	cr_assert_eq(post_create_thread(g_db, &mo, group_id, "discussion", "t", big, NULL, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "body");
	cr_assert_eq(post_create_thread(g_db, &mo, group_id, "gossip", "t", "b", NULL, &e), ERR_INVALID);
	cr_assert_eq(post_create_thread(g_db, &mo, group_id, "announcement", "t", "b", NULL, &e), ERR_DENIED);
	cr_assert_eq(post_create_thread(g_db, &olu, group_id, "discussion", "t", "b", NULL, &e), ERR_DENIED);
	cr_assert_eq(post_create_thread(g_db, &mo, closed_group, "discussion", "t", "b", NULL, &e), ERR_CONFLICT);
	cr_assert_eq(count("SELECT COUNT(*) FROM post"), 0);
}

Test(threads, mute_is_per_person_and_idempotent)
{
	int64_t t = start(member_id, "ask", "Walk with me?");
	struct actor kit = who(member2_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_set_muted(g_db, &kit, t, true, &e), 0, "%s", e.message);
	cr_assert_eq(post_set_muted(g_db, &kit, t, true, &e), 0, "%s", e.message);
	cr_assert_eq(count("SELECT COUNT(*) FROM post_mute"), 1);
	cr_assert(stream_of(member2_id).threads[0].is_muted);
	cr_assert(!stream_of(member_id).threads[0].is_muted);
	cr_assert_eq(post_set_muted(g_db, &kit, t, false, &e), 0, "%s", e.message);
	cr_assert(!stream_of(member2_id).threads[0].is_muted);
}

Test(moderation, lock_refuses_replies_and_is_audited)
{
	int64_t t = start(member_id, "discussion", "Heated");
	struct actor fran = who(fac_id), mo = who(member_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(moderation_act(g_db, &fran, t, "lock", "", &e), ERR_INVALID);
	cr_assert_eq(moderation_act(g_db, &mo, t, "lock", "Mine", &e), ERR_DENIED);
	cr_assert_eq(moderation_act(g_db, &fran, t, "lock", "Cooling off", &e), 0, "%s", e.message);
	cr_assert_eq(moderation_act(g_db, &fran, t, "lock", "Again", &e), ERR_CONFLICT);
	cr_assert_eq(post_reply(g_db, &mo, t, "More", NULL, &e), ERR_CONFLICT);
	cr_assert_eq(count("SELECT COUNT(*) FROM post WHERE thread_id IS NOT NULL"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM moderation_action WHERE action = 'lock'"), 1);
	cr_assert_eq(moderation_act(g_db, &fran, t, "unlock", "Calmer", &e), 0, "%s", e.message);
	cr_assert_eq(post_reply(g_db, &mo, t, "More", NULL, &e), 0, "%s", e.message);
}

Test(moderation, hidden_text_is_kept_from_members_and_reports_close)
{
	int64_t t = start(member_id, "discussion", "Oops");
	struct actor fran = who(fac_id), kit = who(member2_id), olu = who(outsider_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(moderation_report(g_db, &olu, t, "x", NULL, &e), ERR_DENIED);
	cr_assert_eq(moderation_report(g_db, &kit, t, "It names someone", NULL, &e), 0, "%s", e.message);
	struct moderation_queue q;
	cr_assert_eq(moderation_queue_group(g_db, g_arena, &kit, group_id, &q, &e), ERR_DENIED);
	cr_assert_eq(moderation_queue_group(g_db, g_arena, &fran, group_id, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.n_reports, 1);
	cr_assert_eq(moderation_act(g_db, &fran, t, "hide", "Names someone", &e), 0, "%s", e.message);
	cr_assert_null(stream_of(member2_id).threads[0].body_md);
	cr_assert_str_eq(stream_of(fac_id).threads[0].body_md, "Hello");
	cr_assert_eq(moderation_queue_group(g_db, g_arena, &fran, group_id, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.n_reports, 0);
	cr_assert_eq(q.n_log, 1);
	cr_assert_str_eq(q.log[0].actor_name, "Fran");
	cr_assert_str_eq(q.log[0].reason, "Names someone");
	cr_assert_eq(moderation_act(g_db, &fran, t, "restore", "Sorted", &e), 0, "%s", e.message);
	cr_assert_str_eq(stream_of(member2_id).threads[0].body_md, "Hello");
}
