/* organisation.h - the host charity and its partner organisations: who
 * hosts each group and who works with it (capability C1, and the "wider
 * community" of C4). Coordinators keep the list; anyone may read it. */
#ifndef HEARTH_ORGANISATION_H
#define HEARTH_ORGANISATION_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ORG_NAME_MAX 120
#define ORG_DESCRIPTION_MAX 2000
#define ORG_WEBSITE_MAX 500
#define ORG_LIST_MAX 500

/* A group as an organisation's list shows it. */
struct org_group {
	int64_t id;
	const char *name;
};

struct organisation {
	int64_t id;
	const char *name;
	const char *description;
	const char *website;       /* NULL when none */
	bool is_host;
	int64_t created_at, updated_at;
	/* Groups it hosts and partners, not closed; filled by
	 * organisation_list only. */
	struct org_group *hosts;
	size_t n_hosts;
	struct org_group *partners;
	size_t n_partners;
};

struct organisation_input {
	const char *name;
	const char *description;
	const char *website;       /* "" or NULL for none; http(s) only */
	bool is_host;
};

/* Checks input; errors name the field ("name", "description", "website"). */
int organisation_check(const struct organisation_input *in, herr *e);
/* Coordinators and admins only. ERR_CONFLICT naming "name" when another
 * organisation has the name. */
int organisation_create(db *d, const struct actor *actor, const struct organisation_input *in,
			int64_t *ret_id, herr *e);
int organisation_update(db *d, const struct actor *actor, int64_t id,
			const struct organisation_input *in, herr *e);
int organisation_get(db *d, arena *a, int64_t id, struct organisation *ret, herr *e);
/* Every organisation, hosts first then by name, with their groups. */
int organisation_list(db *d, arena *a, struct organisation **ret, size_t *ret_n, herr *e);
/* The same list without the groups (for the choices of a form). */
int organisation_list_names(db *d, arena *a, struct organisation **ret, size_t *ret_n, herr *e);

/* How many organisations the network has. */
int organisation_count(db *d, int64_t *ret, herr *e);
/* At most limit organisations (without their groups) whose name holds find
 * in any case ("" for all), by name, in the arena. */
int organisation_find(db *d, arena *a, const char *find, int limit, struct organisation **ret,
		      size_t *ret_n, herr *e);

/* 1 when url is an absolute http:// or https:// address with a host and
 * no spaces; the rule for websites and online meeting links. */
int organisation_web_address_ok(const char *url);

#endif
