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
#include "fixture.h"

#include <string.h>
#include <unistd.h>

static db *g_db;
static arena *g_arena;
/* The people and groups of fixture_add_circle (fixture.h). */
static struct fixture_circle net;

static int64_t count(const char *sql)
{
	return fixture_count(g_db, sql);
}

static void setup(void)
{
	g_db = fixture_open_db("post");
	g_arena = arena_new(8192);
	net = fixture_add_circle(g_db);
}

static void teardown(void)
{
	fixture_close_db(g_db);
	arena_free(g_arena);
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
	cr_assert_eq(post_create_thread(g_db, &a, net.group_id, kind, title, "Hello", &id, &e), 0, "%s", e.message);
	return id;
}

static struct post_stream stream_of(int64_t as)
{
	struct actor a = who(as);
	struct post_stream s;
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_stream_get(g_db, g_arena, &a, net.group_id, &s, &e), 0, "%s", e.message);
	return s;
}

Test(threads, stream_puts_announcements_first_then_latest_activity)
{
	int64_t first = start(net.member_id, "discussion", "First");
	start(net.member2_id, "offer", "Second");
	int64_t ann = start(net.fac_id, "announcement", "Notice");
	/* Activity is ordered by millisecond: let the clock move on, so the
	 * reply is later than "Second" rather than tied with it. */
	usleep(3000);
	struct actor mo = who(net.member_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_reply(g_db, &mo, first, "Bump", NULL, &e), 0, "%s", e.message);
	struct post_stream s = stream_of(net.member2_id);
	cr_assert_eq(s.n_threads, 3);
	cr_assert_eq(s.threads[0].id, ann);
	cr_assert_eq(s.threads[1].id, first);
	cr_assert_eq(s.threads[1].reply_count, 1);
	cr_assert_str_eq(s.threads[2].title, "Second");
	cr_assert(!s.can_announce);
}

Test(threads, refuses_bad_text_and_plain_members_announcing)
{
	struct actor mo = who(net.member_id), olu = who(net.outsider_id);
	herr e;
	herr_clear(&e);
	char big[POST_BODY_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	cr_assert_eq(post_create_thread(g_db, &mo, net.group_id, "discussion", "  ", "x", NULL, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "title");
	cr_assert_eq(post_create_thread(g_db, &mo, net.group_id, "discussion", "t", big, NULL, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "body");
	cr_assert_eq(post_create_thread(g_db, &mo, net.group_id, "gossip", "t", "b", NULL, &e), ERR_INVALID);
	cr_assert_eq(post_create_thread(g_db, &mo, net.group_id, "announcement", "t", "b", NULL, &e), ERR_DENIED);
	cr_assert_eq(post_create_thread(g_db, &olu, net.group_id, "discussion", "t", "b", NULL, &e), ERR_DENIED);
	cr_assert_eq(post_create_thread(g_db, &mo, net.closed_group, "discussion", "t", "b", NULL, &e), ERR_CONFLICT);
	cr_assert_eq(count("SELECT COUNT(*) FROM post"), 0);
}

Test(threads, mute_is_per_person_and_idempotent)
{
	int64_t t = start(net.member_id, "ask", "Walk with me?");
	struct actor kit = who(net.member2_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(post_set_muted(g_db, &kit, t, true, &e), 0, "%s", e.message);
	cr_assert_eq(post_set_muted(g_db, &kit, t, true, &e), 0, "%s", e.message);
	cr_assert_eq(count("SELECT COUNT(*) FROM post_mute"), 1);
	cr_assert(stream_of(net.member2_id).threads[0].is_muted);
	cr_assert(!stream_of(net.member_id).threads[0].is_muted);
	cr_assert_eq(post_set_muted(g_db, &kit, t, false, &e), 0, "%s", e.message);
	cr_assert(!stream_of(net.member2_id).threads[0].is_muted);
}

Test(moderation, lock_refuses_replies_and_is_audited)
{
	int64_t t = start(net.member_id, "discussion", "Heated");
	struct actor fran = who(net.fac_id), mo = who(net.member_id);
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
	int64_t t = start(net.member_id, "discussion", "Oops");
	struct actor fran = who(net.fac_id), kit = who(net.member2_id), olu = who(net.outsider_id);
	herr e;
	herr_clear(&e);
	cr_assert_eq(moderation_report(g_db, &olu, t, "x", NULL, &e), ERR_DENIED);
	cr_assert_eq(moderation_report(g_db, &kit, t, "It names someone", NULL, &e), 0, "%s", e.message);
	struct moderation_queue q;
	cr_assert_eq(moderation_queue_group(g_db, g_arena, &kit, net.group_id, &q, &e), ERR_DENIED);
	cr_assert_eq(moderation_queue_group(g_db, g_arena, &fran, net.group_id, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.n_reports, 1);
	cr_assert_eq(moderation_act(g_db, &fran, t, "hide", "Names someone", &e), 0, "%s", e.message);
	cr_assert_null(stream_of(net.member2_id).threads[0].body_md);
	cr_assert_str_eq(stream_of(net.fac_id).threads[0].body_md, "Hello");
	cr_assert_eq(moderation_queue_group(g_db, g_arena, &fran, net.group_id, &q, &e), 0, "%s", e.message);
	cr_assert_eq(q.n_reports, 0);
	cr_assert_eq(q.n_log, 1);
	cr_assert_str_eq(q.log[0].actor_name, "Fran");
	cr_assert_str_eq(q.log[0].reason, "Names someone");
	cr_assert_eq(moderation_act(g_db, &fran, t, "restore", "Sorted", &e), 0, "%s", e.message);
	cr_assert_str_eq(stream_of(net.member2_id).threads[0].body_md, "Hello");
}
