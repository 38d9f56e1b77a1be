/* schedule.h - a group's schedule: an RFC 5545 recurrence (RRULE) with a
 * local start time and a length, in the network's IANA time zone, expanded
 * with libical so that 18:30 stays 18:30 across daylight-saving changes.
 *
 * Supported: FREQ=WEEKLY (INTERVAL=n for every n weeks, BYDAY=one or more
 * days) and FREQ=MONTHLY with BYDAY=nDD (1TU = first Tuesday, -1FR = last
 * Friday), optionally ending with UNTIL (a date, or a UTC date-time); not
 * COUNT, BYHOUR/BYMINUTE/BYSECOND or other BY* parts. start_local is
 * "YYYY-MM-DDTHH:MM": the schedule begins on that date, at that local time;
 * its first meeting is the first date on or after it that fits the rule.
 *
 * Thread-safe: libical is only ever called under this file's lock. */
#ifndef HEARTH_SCHEDULE_H
#define HEARTH_SCHEDULE_H

#include "../base/err.h"

#include <stddef.h>
#include <stdint.h>

struct schedule {
	const char *rrule;          /* "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" */
	const char *start_local;    /* "2026-01-06T18:30" */
	int duration_minutes;       /* 15 to 720 */
	const char *time_zone;      /* "Europe/London" */
};

struct occurrence {
	char key[17];               /* local start as scheduled: "YYYY-MM-DDTHH:MM" */
	int64_t starts_at;          /* UTC ms */
	int64_t ends_at;
};

/* Checks a schedule; errors name the field ("rrule", "schedule_start",
 * "duration_minutes", "time_zone") and say what is wrong in plain words. */
int schedule_check(const struct schedule *s, herr *e);
/* The weekdays the schedule meets on, Monday 1 ... Sunday 64 (for search). */
int schedule_weekdays(const struct schedule *s);
/* Writes up to max occurrences that start at or after from_ms and before
 * until_ms, in order, into out; returns how many, or a negative ERR_*. */
int schedule_expand(const struct schedule *s, int64_t from_ms, int64_t until_ms,
		    struct occurrence *out, size_t max, herr *e);
/* Converts a local "YYYY-MM-DDTHH:MM" in time_zone to UTC ms. */
int schedule_local_to_utc(const char *local, const char *time_zone, int64_t *ret_ms, herr *e);
/* Formats UTC ms in time_zone with strftime-style fmt into out, computing
 * the local time with libical (never the process time zone): with
 * "%A %-d %B %Y, %H:%M", "Tuesday 6 January 2026, 18:30". Names are English.
 * %Z and %z are not meaningful. 0, ERR_INVALID for an unknown zone (out is
 * then ""), or ERR_TOOBIG when out is too small. */
int schedule_format_local(int64_t ms, const char *time_zone, const char *fmt, char *out, size_t size);
/* A person-readable description: "Every Tuesday, 18:30 to 20:00", "Every 2
 * weeks on Tuesday, 18:30 to 20:00", "On the last Friday of each month,
 * 10:00 to 11:30", with ", until 15 December 2026" when the rule ends. */
int schedule_describe(const struct schedule *s, char *out, size_t size);
/* 1 when zone names a time zone libical knows ("UTC" included). */
int schedule_zone_known(const char *zone);
/* Checks a local date "YYYY-MM-DD" (a real date, years 2000 to 2100) and a
 * clock time "HH:MM" (24-hour); errors name field. */
int schedule_check_date(const char *date, const char *field, herr *e);
int schedule_check_clock(const char *hhmm, const char *field, herr *e);

#endif
