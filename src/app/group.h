/* group.h - groups (capability C1): what a group is for and who it is for,
 * how it meets (format, venue, online link, schedule), how people join,
 * who facilitates, its host and partner organisations and tags, its status,
 * and the directory search that finds groups.
 *
 * Permissions: coordinators and admins create groups and change their
 * status; a group's facilitators and peer support workers (and
 * coordinators) edit it, as membership_standing() decides. A closed group
 * cannot be edited (409) until a coordinator reopens it.
 *
 * Saving a group keeps the search index (store/search.h) and the group's
 * meeting records (meeting_ensure_scheduled) in the same transaction. */
#ifndef HEARTH_GROUP_H
#define HEARTH_GROUP_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"
#include "membership.h"
#include "tag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GROUP_NAME_MAX 120           /* characters */
#define GROUP_PURPOSE_MAX 2000
#define GROUP_WHO_FOR_MAX 1000
#define GROUP_VENUE_NAME_MAX 200
#define GROUP_VENUE_ADDRESS_MAX 500
#define GROUP_VENUE_ACCESS_MAX 2000
#define GROUP_LINK_MAX 500
#define GROUP_RRULE_MAX 200
#define GROUP_TAGS_MAX 20
#define GROUP_PARTNERS_MAX 20
#define GROUP_DEFAULT_DURATION 90    /* minutes */
#define GROUP_SHORT_PURPOSE 160      /* characters shown in the directory */

/* An organisation as a group shows it. */
struct group_org {
	int64_t id;                  /* 0: none */
	const char *name;
	const char *website;
};

struct group {
	int64_t id;
	const char *name;
	const char *purpose;
	const char *who_for;         /* "" when not said */
	const char *format;          /* in_person, online, hybrid */
	const char *access;          /* open, approval, invite */
	const char *facilitation;    /* peer_led, co_facilitated, staff_led */
	const char *status;          /* forming, active, paused, closed */
	const char *venue_name;      /* NULL when none */
	const char *venue_address;
	const char *venue_access;
	bool has_location;
	double latitude, longitude;
	const char *online_link;     /* NULL when none; show as link_visibility allows */
	const char *link_visibility; /* everyone, signed_in, members */
	const char *rrule;           /* NULL when there is no regular schedule */
	const char *schedule_start;  /* local "YYYY-MM-DDTHH:MM" */
	int duration_minutes;
	int meeting_days;            /* Monday 1 ... Sunday 64 */
	int64_t next_meeting_at;     /* UTC ms, 0 when none */
	int64_t scheduled_until;     /* meetings are materialised up to here (meeting.h) */
	struct group_org host;
	struct group_org *partners;
	size_t n_partners;
	struct tag *tags;
	size_t n_tags;
	int64_t created_at, updated_at;
};

/* What a coordinator or facilitator sends to create or change a group. All
 * text is as typed; "" means none. */
struct group_input {
	const char *name;
	const char *purpose;
	const char *who_for;
	const char *format;
	const char *access;
	const char *facilitation;
	const char *status;          /* creating only: forming (default), active, paused */
	const char *venue_name;
	const char *venue_address;
	const char *venue_access;
	bool has_latitude, has_longitude;
	double latitude, longitude;
	const char *online_link;
	const char *link_visibility;
	const char *rrule;           /* both or neither of rrule and schedule_start */
	const char *schedule_start;
	int duration_minutes;        /* 0: the default */
	const char *const *tags;     /* slugs */
	size_t n_tags;
	int64_t host_org_id;         /* 0: none */
	const int64_t *partner_ids;
	size_t n_partners;
};

/* Checks everything that needs no database: lengths, choices, coordinates,
 * the online link, venue against format, and the schedule in time_zone.
 * Errors name the field ("name", "latitude", "rrule", ...) and say what to
 * do. */
int group_check(const struct group_input *in, const char *time_zone, herr *e);

/* Coordinators and admins. Unknown tags are ERR_INVALID naming "tags"
 * ("There is no tag called ..."), unknown organisations naming
 * "host_org_id" or "partner_ids". */
int group_create(db *d, arena *a, const struct actor *actor, const struct group_input *in,
		 int64_t *ret_id, herr *e);
/* The group's managers (membership_standing). in->status is ignored. */
int group_update(db *d, arena *a, const struct actor *actor, int64_t id,
		 const struct group_input *in, herr *e);
/* One change to a group's host or partners, for networks with too many
 * organisations to list in the group's form. */
enum group_org_change {
	GROUP_ORG_HOST,           /* make org the host (in place of any other) */
	GROUP_ORG_PARTNER,        /* add org to the partners */
	GROUP_ORG_REMOVE_HOST,    /* org is no longer the host */
	GROUP_ORG_REMOVE_PARTNER, /* org is no longer a partner */
};
/* The group's managers, as group_update. An unknown organisation is
 * ERR_INVALID naming "organisation_id", and so is a partner past
 * GROUP_PARTNERS_MAX. A change that is already so (a partner added twice,
 * removing one that is not there) changes nothing and is not an error:
 * *ret_changed says whether anything changed. */
int group_change_organisation(db *d, const struct actor *actor, int64_t group_id,
			      enum group_org_change change, int64_t org_id, bool *ret_changed,
			      herr *e);
/* Coordinators and admins: forming, active, paused or closed. Closing takes
 * the group out of the directory; reopening puts it back and schedules its
 * meetings again. */
int group_set_status(db *d, arena *a, const struct actor *actor, int64_t id, const char *status,
		     herr *e);
/* The whole group (host, partners, tags) in the arena; ERR_NOTFOUND. It
 * does not check who may see it: a closed group is for its managers only. */
int group_get(db *d, arena *a, int64_t id, struct group *ret, herr *e);
/* group_get and membership_standing for actor together, from one read of
 * the group. The caller checks the standing before showing anything. */
int group_get_with_standing(db *d, arena *a, int64_t id, const struct actor *actor,
			    struct group *ret, struct standing *ret_standing, herr *e);

/* ---- words for people ---------------------------------------------------- */

const char *group_format_text(const char *format);           /* "In person" */
const char *group_access_text(const char *access);           /* "Open to all" */
const char *group_facilitation_text(const char *facilitation); /* "Peer-led" */
const char *group_status_text(const char *status);           /* "Paused" */
/* The first GROUP_SHORT_PURPOSE characters of purpose, cut at a space with
 * an ellipsis when longer, in the arena. */
const char *group_short_purpose(arena *a, const char *purpose);

/* Reads a plain decimal number ("53.4808", "-2.2426"), as typed into a
 * form: digits, at most one point and a sign; no exponent, hexadecimal,
 * "nan" or "inf". */
bool group_parse_decimal(const char *s, double *ret);

/* ---- the schedule form's simple choices ---------------------------------- */

/* frequency: weekly, every_2_weeks, every_3_weeks, every_4_weeks,
 * monthly_1 ... monthly_4, monthly_last; weekday: MO ... SU. Makes the
 * RRULE ("FREQ=MONTHLY;BYDAY=-1FR"), in the arena. Errors name
 * "frequency" or "weekday". */
int group_rrule_from_choice(arena *a, const char *frequency, const char *weekday,
			    const char **ret_rrule, herr *e);
/* The inverse, for showing a schedule in the form: false when rrule is not
 * one of the simple choices (it was set through the API). */
bool group_choice_from_rrule(const char *rrule, char frequency[16], char weekday[3]);

/* ---- the directory ------------------------------------------------------- */

#define GROUP_PAGE_SIZE 20
#define GROUP_QUERY_TAGS_MAX 10
#define GROUP_QUERY_TEXT_MAX 200
#define GROUP_RADIUS_MAX_KM 500.0
#define GROUP_RADIUS_DEFAULT_KM 10.0
#define GROUP_PAGE_MAX 100000
#define GROUP_NEAR_CANDIDATES_MAX 10000

enum { GROUP_FORMAT_IN_PERSON = 1, GROUP_FORMAT_ONLINE = 2, GROUP_FORMAT_HYBRID = 4 };
enum { GROUP_STATUS_FORMING = 1, GROUP_STATUS_ACTIVE = 2, GROUP_STATUS_PAUSED = 4 };
enum group_sort { GROUP_SORT_NEXT, GROUP_SORT_NAME, GROUP_SORT_RELEVANCE, GROUP_SORT_DISTANCE };

/* The directory's question as it arrives (query parameters). Each list
 * holds the values of a repeated parameter; each value may also be a comma
 * list ("mon,thu"). NULL or "" means not given. */
struct group_query_text {
	const char *q;
	const char *const *tags; size_t n_tags;
	const char *const *days; size_t n_days;          /* mon ... sun */
	const char *const *formats; size_t n_formats;    /* in_person, online, hybrid */
	const char *const *statuses; size_t n_statuses;  /* forming, active, paused */
	const char *near;                                /* "53.48,-2.24" */
	const char *radius_km;
	const char *sort;                                /* relevance, distance, next, name */
	const char *page;
};

/* The directory's question, checked. */
struct group_query {
	const char *text;            /* NULL: no words */
	const char *tags[GROUP_QUERY_TAGS_MAX];   /* slugs */
	size_t n_tags;
	int days;                    /* weekday bits; 0: any day */
	int formats;                 /* GROUP_FORMAT_* bits; 0: any */
	int statuses;                /* GROUP_STATUS_* bits; never 0 after parsing */
	bool near;
	double latitude, longitude, radius_km;
	enum group_sort sort;
	int page;                    /* from 1 */
};

/* Checks and reads the question; strings in the arena. Malformed values
 * (page "x", near "abc") are ERR_BADREQ, values out of range or unknown
 * (day "funday", radius 0, latitude 91) ERR_INVALID; each names its field. */
int group_query_parse(arena *a, const struct group_query_text *in, struct group_query *ret,
		      herr *e);

/* A group as a directory result shows it. */
struct group_hit {
	int64_t id;
	const char *name;
	const char *purpose;
	const char *format;
	const char *status;
	const char *access;
	const char *venue_name;      /* NULL when none */
	const char *venue_address;
	int64_t next_meeting_at;     /* 0 when none */
	bool has_distance;
	double distance_km;
	struct tag *tags;
	size_t n_tags;
};

struct group_results {
	struct group_hit *hits;      /* at most GROUP_PAGE_SIZE */
	size_t n;
	int64_t total;               /* matches on all pages */
	int page, pages;
};

/* Runs the directory search: tags must exist (ERR_INVALID naming "tag");
 * closed groups are never found; online-only groups are left out of
 * distance searches. */
int group_search(db *d, arena *a, const struct group_query *q, struct group_results *ret,
		 herr *e);
/* Brings next_meeting_at up to date for at most max groups whose next
 * meeting has passed (their meetings are made further ahead), so the
 * directory's "next meeting" stays true without a background job. Cheap
 * when nothing is stale (one indexed range read); call it outside a
 * transaction. Returns how many groups it refreshed, or a negative ERR_*. */
int group_refresh_next_meetings(db *d, int max, herr *e);
/* How the database would run the search's main query (SQLite's EXPLAIN
 * QUERY PLAN details, or PostgreSQL's EXPLAIN), one step a line, in the
 * arena: for tests and benchmarks that check every search uses an index. */
int group_search_plan(db *d, arena *a, const struct group_query *q, const char **ret_plan,
		      herr *e);

#endif
