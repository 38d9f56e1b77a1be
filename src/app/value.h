/* value.h - the network's list of values that groups may adopt in their
 * agreements (capability C4). Seeded with the six peer support values;
 * coordinators and admins add the network's own (such as trust). */
#ifndef HEARTH_VALUE_H
#define HEARTH_VALUE_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VALUE_NAME_MAX 60           /* characters */
#define VALUE_DESCRIPTION_MAX 300   /* characters */

struct value {
	int64_t id;
	const char *name;
	const char *description;
};

/* Every value, in the network's order, in the arena. */
int value_list(db *d, arena *a, struct value **ret, size_t *ret_n, herr *e);
/* Adds a value (coordinators and admins only, else ERR_DENIED). Errors name
 * the fields "name" (required; ERR_CONFLICT when the network has it already)
 * and "description". */
int value_add(db *d, const struct actor *actor, const char *name, const char *description,
	      int64_t *ret_id, herr *e);
/* Whether id is one of the network's values. */
bool value_exists(db *d, int64_t id);

#endif
