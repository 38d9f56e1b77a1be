/* community_pages.h - what other pages borrow from community_pages.c: the
 * group's upcoming community events for its public page. */
#ifndef HEARTH_COMMUNITY_PAGES_H
#define HEARTH_COMMUNITY_PAGES_H

#include "web.h"

/* Adds "community_events" (the group's next few events, soonest first) and,
 * for HTML, "has_community_events" to model (the group object of the group
 * page's model). */
void community_add_group_events(wreq *r, json_t *model, int64_t group_id, const char *zone);

#endif
