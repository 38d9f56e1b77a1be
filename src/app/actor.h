/* actor.h - who is acting, as the domain sees them: the person (0 when
 * anonymous) and the network-wide roles they hold. Every app/ function that
 * checks permission takes one; web/ builds it from the signed-in user. */
#ifndef HEARTH_ACTOR_H
#define HEARTH_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

struct actor {
	int64_t person_id;      /* 0: not signed in */
	bool is_admin;
	bool is_coordinator;
};

static inline bool actor_runs_network(const struct actor *a)
{
	return a->person_id && (a->is_admin || a->is_coordinator);
}

#endif
