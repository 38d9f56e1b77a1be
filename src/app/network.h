/* network.h - settings of the network as a whole that the domain needs:
 * its IANA time zone, in which schedules are read and meetings are shown.
 *
 * The zone lives in the settings table (key "time_zone") so every web node
 * sees the same one; until a coordinator sets it, the default is used
 * ("Europe/London", or what the program set with network_set_default_zone
 * from its configuration at startup). */
#ifndef HEARTH_NETWORK_H
#define HEARTH_NETWORK_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#define NETWORK_DEFAULT_TIME_ZONE "Europe/London"
#define NETWORK_ZONE_MAX 64

/* Sets the zone used while no "time_zone" setting is stored; call once at
 * startup, before serving. zone must live as long as the process. */
void network_set_default_zone(const char *zone);
const char *network_default_zone(void);

/* The network's time zone: the stored setting, or the default. The string
 * is in the arena (or static); never NULL. Outside a transaction each
 * thread reads it at most every NETWORK_ZONE_RECHECK_MS, and again at once
 * after this process commits any write (db_local_writes): nearly every page
 * shows times, and on PostgreSQL each read is a round trip. A change made
 * through this server shows on the next page; one made by another node or
 * the command line within the interval. Inside a transaction (materialising
 * meetings, changing the zone) it is always read afresh. */
#define NETWORK_ZONE_RECHECK_MS 100
const char *network_time_zone(db *d, arena *a);

/* Changes the network's time zone (coordinators and admins only) and, in the
 * same transaction, re-materialises the future meetings of every group that
 * is not closed, so their times follow the new zone. Errors name the field
 * "time_zone". */
int network_set_time_zone(db *d, const struct actor *actor, const char *zone, herr *e);

#endif
