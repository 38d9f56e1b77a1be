/* tag.h - the network's list of topic and identity tags ("Mental health",
 * "Women only", "LGBTQ+"), by which people find groups that share their
 * experience. A tag has a name for people and a slug for addresses
 * (?tag=women-only), made from the name. Coordinators keep the list. */
#ifndef HEARTH_TAG_H
#define HEARTH_TAG_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stddef.h>
#include <stdint.h>

#define TAG_NAME_MAX 40      /* characters */
#define TAG_SLUG_MAX 64      /* bytes */
#define TAG_LIST_MAX 500     /* the network's list is short by nature */

struct tag {
	int64_t id;
	const char *slug;
	const char *name;
	int64_t group_count;   /* groups (not closed) with the tag; tag_list only */
};

/* Makes the slug for a tag name into out (size >= TAG_SLUG_MAX + 1):
 * lowercase ASCII letters and digits, letters of other scripts kept, every
 * run of anything else one "-", none at either end ("LGBTQ+ & allies" is
 * "lgbtq-allies"). ERR_INVALID naming "name" when nothing is left. */
int tag_slug_of(const char *name, char *out, size_t size, herr *e);

/* Coordinators and admins only. ERR_CONFLICT naming "name" when a tag with
 * the same slug exists. */
int tag_create(db *d, arena *a, const struct actor *actor, const char *name,
	       struct tag *ret, herr *e);
/* Removes a tag from the list and from every group (coordinators and admins). */
int tag_delete(db *d, const struct actor *actor, int64_t id, herr *e);
/* Every tag, by name, with how many groups use it; in the arena. */
int tag_list(db *d, arena *a, struct tag **ret, size_t *ret_n, herr *e);
/* Every tag, by name, without counts (cheap: for the choices of a form). */
int tag_list_names(db *d, arena *a, struct tag **ret, size_t *ret_n, herr *e);
/* The tag with this slug: ERR_INVALID naming field when there is none
 * ("There is no tag called ..."). */
int tag_find(db *d, arena *a, const char *slug, const char *field, struct tag *ret, herr *e);
/* A group's own tags come with the group (group_get, in app/group.c). */

#endif
