/* person_role.c - the network-wide roles people hold, and the
 * administrators' list of people with their roles (see person_role.h). */
#include "person_role.h"

#include <string.h>

const char *const person_role_names[PERSON_ROLE_COUNT] = {
	"coordinator", "safeguarding_lead", "peer_researcher", "commissioner",
};

static const char *const role_labels[PERSON_ROLE_COUNT] = {
	"Coordinator", "Safeguarding lead", "Peer researcher", "Commissioner",
};

const char *person_role_label(unsigned role_bit)
{
	for (int i = 0; i < PERSON_ROLE_COUNT; i++)
		if (role_bit == 1u << i)
			return role_labels[i];
	return "";
}

unsigned person_role_parse(const char *name)
{
	for (int i = 0; name && i < PERSON_ROLE_COUNT; i++)
		if (!strcmp(name, person_role_names[i]))
			return 1u << i;
	return 0;
}

static int unknown_role(herr *e, const char *role)
{
	return herr_set(e, ERR_INVALID, "roles",
			"\"%.40s\" is not a network role. The roles are coordinator, "
			"safeguarding_lead, peer_researcher and commissioner.", role ? role : "");
}

/* ERR_NOTFOUND unless person_id is someone; with want_account, someone
 * who has an account. */
static int check_person(db *d, int64_t person_id, bool want_account, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT email IS NOT NULL FROM person WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the person.");
	db_bind_int64(st, 1, person_id);
	int rc = db_step(st);
	bool has_account = rc == DB_ROW && db_col_bool(st, 0);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the person.");
	if (rc == DB_DONE)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such person.");
	if (want_account && !has_account)
		return herr_set(e, ERR_NOTFOUND, NULL,
				"That person has no account, so they cannot hold a network role.");
	return 0;
}

int person_role_grant(db *d, int64_t person_id, const char *role, herr *e)
{
	if (!person_role_parse(role))
		return unknown_role(e, role);
	int rc = check_person(d, person_id, false, e);
	if (rc)
		return rc;
	/* Granting twice is harmless: the INSERT only happens when missing. */
	db_stmt *st = db_prepare(d,
		"INSERT INTO person_role (person_id, role) SELECT CAST(? AS BIGINT), CAST(? AS TEXT) "
		"WHERE NOT EXISTS (SELECT 1 FROM person_role WHERE person_id = ? AND role = ?)");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not save the role.");
	db_bind_int64(st, 1, person_id);
	db_bind_text(st, 2, role);
	db_bind_int64(st, 3, person_id);
	db_bind_text(st, 4, role);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? herr_set(e, rc, NULL, "Could not save the role.") : 0;
}

int person_role_revoke(db *d, int64_t person_id, const char *role, herr *e)
{
	if (!person_role_parse(role))
		return unknown_role(e, role);
	int rc = check_person(d, person_id, false, e);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d, "DELETE FROM person_role WHERE person_id = ? AND role = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not remove the role.");
	db_bind_int64(st, 1, person_id);
	db_bind_text(st, 2, role);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? herr_set(e, rc, NULL, "Could not remove the role.") : 0;
}

int person_role_get(db *d, int64_t person_id, unsigned *ret_roles, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT role FROM person_role WHERE person_id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the roles.");
	db_bind_int64(st, 1, person_id);
	unsigned roles = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		roles |= person_role_parse(db_col_text(st, 0));
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the roles.");
	*ret_roles = roles;
	return 0;
}

static int require_admin(const struct actor *actor, herr *e)
{
	if (!actor || !actor->person_id || !actor->is_admin)
		return herr_set(e, ERR_DENIED, NULL,
				"Only administrators of this network can change people's roles.");
	return 0;
}

int person_role_set(db *d, const struct actor *actor, int64_t person_id, unsigned roles,
		    herr *e)
{
	int rc = require_admin(actor, e);
	if (rc)
		return rc;
	if (roles & ~PERSON_ROLE_ALL)
		return herr_set(e, ERR_INVALID, "roles", "That is not a network role.");
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "The database is busy; please try again.");
	rc = check_person(d, person_id, true, e);
	for (int i = 0; rc == 0 && i < PERSON_ROLE_COUNT; i++)
		rc = (roles & (1u << i))
			? person_role_grant(d, person_id, person_role_names[i], e)
			: person_role_revoke(d, person_id, person_role_names[i], e);
	bool steps_ok = rc == 0;
	rc = db_finish(d, rc);
	if (steps_ok && rc)
		return herr_set(e, rc, NULL, "Could not save the roles.");
	return rc;
}

/* Adds the roles of the people in list (ids sorted as listed) with one
 * query over the page's id range. */
static int add_roles(db *d, struct person_listing *list, size_t n, herr *e)
{
	if (n == 0)
		return 0;
	int64_t lo = list[0].id, hi = list[n - 1].id;
	db_stmt *st = db_prepare(d,
		"SELECT person_id, role FROM person_role WHERE person_id >= ? AND person_id <= ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the roles.");
	db_bind_int64(st, 1, lo);
	db_bind_int64(st, 2, hi);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		unsigned bit = person_role_parse(db_col_text(st, 1));
		for (size_t i = 0; i < n; i++)
			if (list[i].id == id)
				list[i].roles |= bit;
	}
	db_reset(st);
	return rc < 0 ? herr_set(e, rc, NULL, "Could not read the roles.") : 0;
}

int person_role_list_people(db *d, arena *a, const struct actor *actor, int page,
			    struct person_listing **ret, size_t *ret_n, bool *ret_more, herr *e)
{
	int rc = require_admin(actor, e);
	if (rc)
		return rc;
	if (page < 1 || page > 1000000)
		return herr_set(e, ERR_INVALID, "page", "The page number must be 1 or more.");
	/* By id, which is the order people joined: the primary key keeps each
	 * page cheap however many people there are. */
	db_stmt *st = db_prepare(d,
		"SELECT id, display_name, email, is_admin, created_at FROM person "
		"WHERE email IS NOT NULL ORDER BY id "
		"LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not list people.");
	db_bind_int64(st, 1, PEOPLE_PAGE_SIZE + 1);
	db_bind_int64(st, 2, (int64_t)(page - 1) * PEOPLE_PAGE_SIZE);
	struct person_listing *list = arena_alloc(a, (PEOPLE_PAGE_SIZE + 1) * sizeof *list);
	size_t n = 0;
	bool more = false;
	while (list && (rc = db_step(st)) == DB_ROW) {
		if (n == PEOPLE_PAGE_SIZE) {
			more = true;
			continue;
		}
		struct person_listing *p = &list[n++];
		p->id = db_col_int64(st, 0);
		p->display_name = arena_strdup(a, db_col_text(st, 1));
		p->email = arena_strdup(a, db_col_text(st, 2));
		p->is_admin = db_col_bool(st, 3);
		p->created_at = db_col_int64(st, 4);
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not list people.");
	if ((rc = add_roles(d, list, n, e)))
		return rc;
	*ret = list;
	*ret_n = n;
	*ret_more = more;
	return 0;
}
