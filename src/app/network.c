/* network.c - the network's time zone (see network.h). */
#include "network.h"

#include "../store/stamp.h"
#include "meeting.h"
#include "schedule.h"
#include "settings.h"

#include <stdio.h>
#include <string.h>

static const char *default_zone = NETWORK_DEFAULT_TIME_ZONE;

void network_set_default_zone(const char *zone)
{
	if (zone && *zone)
		default_zone = zone;
}

const char *network_default_zone(void)
{
	return default_zone;
}

/* A stored zone this build's libical does not know (set by hand, or
 * removed from tzdata) falls back rather than breaking every page. */
static const char *read_zone(db *d, arena *a)
{
	const char *zone = settings_get(d, a, "time_zone");
	return zone && *zone && strlen(zone) <= NETWORK_ZONE_MAX && schedule_zone_known(zone)
		? zone : default_zone;
}

/* The zone this thread read last, for the pages that only show times. */
static __thread struct {
	char zone[NETWORK_ZONE_MAX + 1];
	struct db_read_mark read;
} seen;

const char *network_time_zone(db *d, arena *a)
{
	/* Inside a transaction the zone may be changing (network_set_time_zone)
	 * or be used to write meetings: always the stored one. */
	if (db_in_transaction(d))
		return read_zone(d, a);
	if (!db_read_mark_fresh(&seen.read, NETWORK_ZONE_RECHECK_MS)) {
		struct db_read_mark now = db_read_mark_now();   /* before the read */
		snprintf(seen.zone, sizeof seen.zone, "%s", read_zone(d, a));
		seen.read = now;
	}
	const char *zone = arena_strdup(a, seen.zone);
	return zone ? zone : default_zone;
}

/* The ids of every group that is not closed, in the arena (the list is
 * read whole before meetings are written). */
static int open_group_ids(db *d, arena *a, int64_t **ret, size_t *ret_n)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM peer_group WHERE status IN ('forming', 'active', 'paused')");
	if (!st)
		return ERR_DB;
	size_t n = 0, cap = 0;
	int64_t *ids = NULL;
	int rc = 0;
	while ((ids = arena_grow(a, ids, n, &cap, sizeof *ids)) && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int64(st, 0);
	db_reset(st);
	if (!ids)
		return ERR_NOMEM;
	if (rc < 0)
		return rc;
	*ret = ids;
	*ret_n = n;
	return 0;
}

int network_set_time_zone(db *d, const struct actor *actor, const char *zone, herr *e)
{
	if (!actor || !actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL,
				"Only the network's coordinators can change its time zone.");
	if (!zone || !*zone)
		return herr_set(e, ERR_INVALID, "time_zone",
				"Enter the network's time zone, such as Europe/London.");
	if (strlen(zone) > NETWORK_ZONE_MAX || !schedule_zone_known(zone))
		return herr_set(e, ERR_INVALID, "time_zone",
				"\"%.64s\" is not a time zone this server knows. Use a name from "
				"the IANA list, such as Europe/London or America/New_York.", zone);
	int rc = db_begin_write(d);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the time zone; please try again.");
	rc = settings_set(d, "time_zone", zone);
	arena *scratch = arena_new(0);   /* the group ids, for this call only */
	int64_t *ids = NULL;
	size_t n = 0;
	if (!rc)
		rc = scratch ? open_group_ids(d, scratch, &ids, &n) : ERR_NOMEM;
	if (rc)
		herr_set(e, rc, NULL, "Could not save the time zone; please try again.");
	/* Future meetings are re-made from each schedule in the new zone. */
	for (size_t i = 0; !rc && i < n; i++)
		rc = meeting_ensure_scheduled(d, ids[i], true, e);
	arena_free(scratch);
	bool steps_ok = rc == 0;
	rc = db_finish(d, rc);
	if (steps_ok && rc)
		herr_set(e, rc, NULL, "Could not save the time zone; please try again.");
	return rc;
}
