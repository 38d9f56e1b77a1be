/* community.h - a group's life in the wider community (capability C4):
 * community events and outings it plans, the connections it makes with
 * organisations and people around it, and signposting recorded as counts by
 * resource category with no personal details.
 *
 * Who may do what: members and managers of a group read all three (see
 * community_overview); managers (facilitators, peer support workers,
 * coordinators, admins) record them; nothing changes in a closed group.
 * Anyone may see a group's upcoming events on its public page.
 *
 * Rules about time (local dates and times are in the network's zone):
 *   - an event is planned ahead: it must start later than now;
 *   - a connection is something that happened: its date is today or before;
 *   - signposting is recorded against one of the group's meetings that has
 *     started (not a cancelled one), with a count from 1 to 100. */
#ifndef HEARTH_COMMUNITY_H
#define HEARTH_COMMUNITY_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"
#include "membership.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_TITLE_MAX 120
#define EVENT_PLACE_MAX 200
#define EVENT_DESCRIPTION_MAX 2000
#define CONNECTION_WITH_MAX 120
#define CONNECTION_NOTE_MAX 500
#define SIGNPOST_COUNT_MAX 100
#define COMMUNITY_LIST_MAX 200

struct community_event {
	int64_t id, group_id;
	const char *group_name;     /* filled by community_upcoming_events */
	const char *title, *place, *description;
	int64_t starts_at;          /* UTC ms */
	int64_t created_at;
};

struct community_event_input {
	const char *title;
	const char *date;           /* local "YYYY-MM-DD" */
	const char *time;           /* local "HH:MM" */
	const char *place;
	const char *description;
};

/* The kinds of connection, in the order forms offer them. */
extern const char *const community_connection_kinds[];   /* NULL-terminated */
/* "Referral", "Joint activity", ... for a kind's name; NULL if unknown. */
const char *community_connection_kind_label(const char *kind);

struct community_connection {
	int64_t id;
	int64_t organisation_id;        /* 0 when with someone not on the list */
	const char *with;               /* the organisation's name, or the free text */
	const char *kind;               /* referral, joint_activity, visit, speaker, other */
	const char *date;               /* "YYYY-MM-DD" */
	const char *note;
	int64_t created_at;
};

struct community_connection_input {
	int64_t organisation_id;        /* 0: use with */
	const char *with;               /* free text when not an organisation */
	const char *kind;
	const char *date;               /* the "connected_on" field */
	const char *note;
};

/* Signposting totals: how many people, in all, to each category. */
struct signpost_total {
	const char *category_slug, *category_name;
	int64_t people;
};

struct signpost_input {
	int64_t meeting_id;
	const char *category;           /* a resource category's slug */
	int count;                      /* 1 to SIGNPOST_COUNT_MAX */
};

/* 1 when s is a real date "YYYY-MM-DD". */
int community_date_ok(const char *s);

/* Managers only (ERR_DENIED; ERR_CONFLICT in a closed group). Errors about
 * input are ERR_INVALID naming the field. */
int community_event_add(db *d, const struct standing *st, int64_t person_id,
			const struct community_event_input *in, int64_t *ret_id, herr *e);
int community_connection_add(db *d, const struct standing *st, int64_t person_id,
			     const struct community_connection_input *in, int64_t *ret_id, herr *e);
int community_signpost_add(db *d, const struct standing *st, int64_t person_id,
			   const struct signpost_input *in, herr *e);

/* What members see: upcoming events (soonest first), connections (latest
 * first) and signposting totals by category (the network's order, only
 * categories with people). ERR_DENIED unless a member or manager. */
struct community_overview {
	struct community_event *events;
	size_t n_events;
	struct community_connection *connections;
	size_t n_connections;
	struct signpost_total *totals;
	size_t n_totals;
	int64_t people_signposted;
};
int community_overview_get(db *d, arena *a, const struct standing *st,
			   struct community_overview *ret, herr *e);

/* The group's events starting after now, soonest first, at most max; for
 * its public page (no permission needed: the public page is public). */
int community_upcoming_events(db *d, arena *a, int64_t group_id, size_t max,
			      struct community_event **ret, size_t *ret_n, herr *e);

/* A meeting signposting can be recorded against. */
struct community_meeting {
	int64_t id;
	int64_t starts_at;
};
/* The group's meetings that have started and were not cancelled, latest
 * first, at most max. */
int community_signpost_meetings(db *d, arena *a, int64_t group_id, size_t max,
				struct community_meeting **ret, size_t *ret_n, herr *e);

#endif
