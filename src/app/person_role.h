/* person_role.h - the roles a person holds across the whole network
 * (table person_role): coordinator, safeguarding lead, peer researcher and
 * commissioner. Being an administrator is not one of them: that is the
 * person.is_admin flag, set only from the command line.
 *
 * Roles travel as a bit set (PERSON_ROLE_*) between functions, and as their
 * names ("coordinator", ...) in the database, forms and JSON. Only
 * administrators may change them (person_role_set checks the actor). */
#ifndef HEARTH_PERSON_ROLE_H
#define HEARTH_PERSON_ROLE_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	PERSON_ROLE_COORDINATOR = 1,
	PERSON_ROLE_SAFEGUARDING_LEAD = 2,
	PERSON_ROLE_PEER_RESEARCHER = 4,
	PERSON_ROLE_COMMISSIONER = 8,
};
#define PERSON_ROLE_COUNT 4
#define PERSON_ROLE_ALL 15u

#define PEOPLE_PAGE_SIZE 50

/* The role names, in the order pages show them. */
extern const char *const person_role_names[PERSON_ROLE_COUNT];
/* "Coordinator", "Safeguarding lead", ... for people to read. */
const char *person_role_label(unsigned role_bit);
/* The bit for a role name, or 0 when there is no such role. */
unsigned person_role_parse(const char *name);

/* Gives or takes away one role; giving a role held already, or taking one
 * not held, changes nothing and succeeds. ERR_INVALID for an unknown role,
 * ERR_NOTFOUND when there is no such person. No permission check: for the
 * command line, which is trusted, and for person_role_set. */
int person_role_grant(db *d, int64_t person_id, const char *role, herr *e);
int person_role_revoke(db *d, int64_t person_id, const char *role, herr *e);
/* The bit set of person_id's roles. */
int person_role_get(db *d, int64_t person_id, unsigned *ret_roles, herr *e);
/* Sets person_id's roles to exactly roles, in one write transaction.
 * Administrators only (ERR_DENIED otherwise); the person must have an
 * account (ERR_NOTFOUND otherwise). */
int person_role_set(db *d, const struct actor *actor, int64_t person_id, unsigned roles,
		    herr *e);

/* One person with an account, as the administrators' list shows them. */
struct person_listing {
	int64_t id;
	const char *display_name;
	const char *email;
	bool is_admin;
	unsigned roles;
	int64_t created_at;
};

/* People with accounts by display name, PEOPLE_PAGE_SIZE to a page (page
 * counts from 1), in the arena; ret_more tells whether a later page has
 * anyone on it. Administrators only. */
int person_role_list_people(db *d, arena *a, const struct actor *actor, int page,
			    struct person_listing **ret, size_t *ret_n, bool *ret_more, herr *e);

#endif
