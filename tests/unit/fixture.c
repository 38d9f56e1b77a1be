/* fixture.c - the shared database fixture of the unit tests (see
 * fixture.h). */
#include <criterion/criterion.h>

#include "fixture.h"

#include "base/err.h"
#include "base/ids.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char g_dir[64];
static char g_path[128];

db *fixture_open_db(const char *name)
{
	cr_assert_geq(sodium_init(), 0);
	snprintf(g_dir, sizeof g_dir, "/tmp/hearth-test-%s-XXXXXX", name);
	cr_assert_not_null(mkdtemp(g_dir));
	snprintf(g_path, sizeof g_path, "%s/test.db", g_dir);
	herr e;
	herr_clear(&e);
	db *d = db_open(g_path, &e);
	cr_assert_not_null(d, "db_open: %s", e.message);
	cr_assert_geq(db_migrate(d, &e), 0, "migrate: %s", e.message);
	return d;
}

const char *fixture_db_path(void)
{
	return g_path;
}

void fixture_close_db(db *d)
{
	db_close(d);
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char path[160];
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s%s", g_path, suffixes[i]);
		unlink(path);
	}
	rmdir(g_dir);
}

int64_t fixture_add_person(db *d, const char *email, const char *name, bool admin)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(d,
		"INSERT INTO person (id, email, display_name, is_admin, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, 1, 1)");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, name);
	db_bind_bool(st, 4, admin);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);
	return id;
}

int64_t fixture_add_group(db *d, const char *name, const char *access, const char *status)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(d,
		"INSERT INTO peer_group (id, name, purpose, format, access, facilitation, status, "
		"created_at, updated_at) VALUES (?, ?, 'To meet', 'online', ?, 'peer_led', ?, 1, 1)");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, access);
	db_bind_text(st, 4, status);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);
	return id;
}

void fixture_add_membership(db *d, int64_t group, int64_t person, const char *role,
			    const char *status)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO membership (group_id, person_id, role, status, joined_at, created_at, "
		"updated_at) VALUES (?, ?, ?, ?, 1, 1, 1)");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	db_bind_int64(st, 1, group);
	db_bind_int64(st, 2, person);
	db_bind_text(st, 3, role);
	db_bind_text(st, 4, status);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);
}

int64_t fixture_add_meeting(db *d, int64_t group, const char *status, int64_t starts)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(d,
		"INSERT INTO meeting (id, group_id, kind, status, starts_at, ends_at, created_at, "
		"updated_at) VALUES (?, ?, 'one_off', ?, ?, ?, 1, 1)");
	cr_assert_not_null(st, "%s", db_errmsg(d));
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, group);
	db_bind_text(st, 3, status);
	db_bind_int64(st, 4, starts);
	db_bind_int64(st, 5, starts + HOUR_MS);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(d));
	db_reset(st);
	return id;
}

struct fixture_circle fixture_add_circle(db *d)
{
	struct fixture_circle c;
	c.fac_id = fixture_add_person(d, "fac@example.org", "Fran", false);
	c.member_id = fixture_add_person(d, "mo@example.org", "Mo", false);
	c.member2_id = fixture_add_person(d, "kit@example.org", "Kit", false);
	c.outsider_id = fixture_add_person(d, "olu@example.org", "Olu", false);
	c.group_id = fixture_add_group(d, "Circle", "open", "active");
	c.closed_group = fixture_add_group(d, "Circle", "open", "closed");
	fixture_add_membership(d, c.group_id, c.fac_id, "facilitator", "active");
	fixture_add_membership(d, c.group_id, c.member_id, "member", "active");
	fixture_add_membership(d, c.group_id, c.member2_id, "member", "active");
	fixture_add_membership(d, c.closed_group, c.member_id, "member", "active");
	return c;
}

int64_t fixture_count(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	cr_assert_not_null(st, "%s", db_errmsg(d));
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(d));
	int64_t n = db_col_int64(st, 0);
	db_reset(st);
	return n;
}
