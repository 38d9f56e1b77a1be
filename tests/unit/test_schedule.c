/* test_schedule.c - schedules (src/app/schedule.c): RRULE checks with their
 * messages, expansion (weekly, every n weeks, monthly on the nth and last
 * weekday, UNTIL), daylight-saving changes in Europe/London and
 * America/New_York, descriptions, local times; and meetings materialised
 * from schedules with the changes facilitators make to them
 * (src/app/meeting.c, src/app/action.c) on a fresh database: suite
 * "meeting_sqlite" always, "meeting_postgres" when HEARTH_TEST_PG_URL is
 * set (inside a schema of its own), skipped otherwise. */
#include <criterion/criterion.h>

#include "app/action.h"
#include "app/group.h"
#include "app/meeting.h"
#include "app/network.h"
#include "app/schedule.h"
#include "app/settings.h"
#include "base/arena.h"
#include "base/ids.h"
#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LONDON "Europe/London"
#define NEW_YORK "America/New_York"
#define HOUR_MS (60LL * 60 * 1000)
#define DAY_MS (24 * HOUR_MS)

/* ---- helpers ----------------------------------------------------------------- */

static int64_t utc(const char *local, const char *zone)
{
	int64_t ms = 0;
	herr e = { 0 };
	int rc = schedule_local_to_utc(local, zone, &ms, &e);
	cr_assert_eq(rc, 0, "local_to_utc(%s, %s): %s", local, zone, e.message);
	return ms;
}

static const char *iso(int64_t ms)
{
	static char out[4][32];
	static int i;
	char *s = out[i++ % 4];
	time_format_iso(ms, s);
	return s;
}

/* Expands rrule from start_local over [from, until) local times. */
static int expand(const char *rrule, const char *start, const char *zone, const char *from,
		  const char *until, struct occurrence *out, size_t max)
{
	struct schedule s = { rrule, start, 90, zone };
	herr e = { 0 };
	int n = schedule_expand(&s, utc(from, zone), utc(until, zone), out, max, &e);
	cr_assert_geq(n, 0, "expand %s: %s", rrule, e.message);
	return n;
}

static void keys_are(const struct occurrence *o, int n, const char *const want[])
{
	int k = 0;
	while (want[k])
		k++;
	cr_assert_eq(n, k, "%d occurrences, wanted %d (first %s)", n, k, n ? o[0].key : "-");
	for (int i = 0; i < n; i++)
		cr_expect_str_eq(o[i].key, want[i], "occurrence %d", i);
}

/* schedule_check fails on field with a message holding `words`. */
static void check_fails(const char *rrule, const char *start, int minutes, const char *zone,
			const char *field, const char *words)
{
	struct schedule s = { rrule, start, minutes, zone };
	herr e = { 0 };
	int rc = schedule_check(&s, &e);
	cr_assert_eq(rc, ERR_INVALID, "%s was accepted", rrule ? rrule : "(null)");
	cr_expect_str_eq(e.field, field, "%s: field", rrule);
	cr_expect(strstr(e.message, words) != NULL, "%s: message \"%s\" lacks \"%s\"", rrule,
		  e.message, words);
}

static void describes(const char *rrule, const char *start, int minutes, const char *want)
{
	struct schedule s = { rrule, start, minutes, LONDON };
	char out[160];
	cr_assert_eq(schedule_describe(&s, out, sizeof out), 0, "%s", rrule);
	cr_expect_str_eq(out, want);
}

/* ---- rules that are refused ------------------------------------------------------ */

Test(schedule_check, accepts_the_supported_rules)
{
	static const char *const ok[] = {
		"FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
		"FREQ=WEEKLY;INTERVAL=8;BYDAY=MO,TH", "FREQ=MONTHLY;BYDAY=1TU",
		"FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=1TU,3TU",
		"FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215", "FREQ=WEEKLY;UNTIL=20261215T180000Z",
		"freq=weekly;byday=tu", NULL,
	};
	for (int i = 0; ok[i]; i++) {
		struct schedule s = { ok[i], "2026-01-06T18:30", 90, LONDON };
		herr e = { 0 };
		cr_expect_eq(schedule_check(&s, &e), 0, "%s: %s", ok[i], e.message);
	}
}

Test(schedule_check, refuses_unsupported_rules_naming_rrule)
{
	const char *start = "2026-01-06T18:30";
	check_fails("", start, 90, LONDON, "rrule", "how often");
	check_fails(NULL, start, 90, LONDON, "rrule", "how often");
	check_fails("garbage", start, 90, LONDON, "rrule", "could not be read");
	check_fails("FREQ=WEEKLY;BYDAY=XX", start, 90, LONDON, "rrule", "could not be read");
	check_fails("FREQ=WEEKLY;FOO=1", start, 90, LONDON, "rrule", "could not be read");
	check_fails("RRULE:FREQ=WEEKLY", start, 90, LONDON, "rrule", "RRULE:");
	check_fails("FREQ=WEEKLY;BYDAY=TU<script>", start, 90, LONDON, "rrule", "can only hold");
	check_fails("FREQ=DAILY", start, 90, LONDON, "rrule", "Only weekly");
	check_fails("FREQ=YEARLY;BYDAY=1TU", start, 90, LONDON, "rrule", "Only weekly");
	check_fails("FREQ=WEEKLY;COUNT=3", start, 90, LONDON, "rrule", "COUNT");
	check_fails("FREQ=WEEKLY;BYHOUR=9", start, 90, LONDON, "rrule", "BYHOUR");
	check_fails("FREQ=WEEKLY;BYMINUTE=15", start, 90, LONDON, "rrule", "BYHOUR");
	check_fails("FREQ=MONTHLY;BYMONTHDAY=1", start, 90, LONDON, "rrule", "Only BYDAY");
	check_fails("FREQ=WEEKLY;BYMONTH=1", start, 90, LONDON, "rrule", "Only BYDAY");
	check_fails("FREQ=MONTHLY;BYDAY=1TU;BYSETPOS=1", start, 90, LONDON, "rrule", "Only BYDAY");
	check_fails("FREQ=WEEKLY;WKST=SU;BYDAY=TU", start, 90, LONDON, "rrule", "WKST");
	check_fails("FREQ=WEEKLY;INTERVAL=9;BYDAY=TU", start, 90, LONDON, "rrule", "every 8 weeks");
	check_fails("FREQ=WEEKLY;BYDAY=1TU", start, 90, LONDON, "rrule", "without a number");
	check_fails("FREQ=MONTHLY;BYDAY=5TU", start, 90, LONDON, "rrule", "1, 2, 3, 4 or -1");
	check_fails("FREQ=MONTHLY;BYDAY=-2TU", start, 90, LONDON, "rrule", "1, 2, 3, 4 or -1");
	check_fails("FREQ=MONTHLY;BYDAY=TU", start, 90, LONDON, "rrule", "1, 2, 3, 4 or -1");
	check_fails("FREQ=MONTHLY", start, 90, LONDON, "rrule", "which weekday");
	check_fails("FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU", start, 90, LONDON, "rrule", "INTERVAL");
	check_fails("FREQ=WEEKLY;BYDAY=TU;UNTIL=20251231", start, 90, LONDON, "rrule", "before");
	char longer[300];
	memset(longer, 'A', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	check_fails(longer, start, 90, LONDON, "rrule", "too long");
}

Test(schedule_check, refuses_bad_start_length_and_zone)
{
	const char *rule = "FREQ=WEEKLY;BYDAY=TU";
	check_fails(rule, "2026-01-06", 90, LONDON, "schedule_start", "for example");
	check_fails(rule, "2026-02-30T18:30", 90, LONDON, "schedule_start", "for example");
	check_fails(rule, "2026-01-06T24:00", 90, LONDON, "schedule_start", "for example");
	check_fails(rule, "2026-01-06 18:30", 90, LONDON, "schedule_start", "for example");
	check_fails(rule, "1999-01-05T18:30", 90, LONDON, "schedule_start", "between the years");
	check_fails(rule, NULL, 90, LONDON, "schedule_start", "for example");
	check_fails(rule, "2026-01-06T18:30", 10, LONDON, "duration_minutes", "between 15 minutes");
	check_fails(rule, "2026-01-06T18:30", 721, LONDON, "duration_minutes", "12 hours");
	check_fails(rule, "2026-01-06T18:30", 90, "Mars/Olympus", "time_zone", "Europe/London");
	check_fails(rule, "2026-01-06T18:30", 90, "", "time_zone", "Europe/London");
	check_fails(rule, "2026-01-06T18:30", 90, "../../../etc/passwd", "time_zone", "not one");
}

Test(schedule_check, dates_and_clock_times)
{
	herr e = { 0 };
	cr_expect_eq(schedule_check_date("2028-02-29", "due_date", &e), 0);
	cr_expect_eq(schedule_check_date("2026-02-29", "due_date", &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "due_date");
	cr_expect_eq(schedule_check_date("2026-1-5", "date", &e), ERR_INVALID);
	cr_expect_eq(schedule_check_date("2026-01-05x", "date", &e), ERR_INVALID);
	cr_expect_eq(schedule_check_date(NULL, "date", &e), ERR_INVALID);
	cr_expect_eq(schedule_check_clock("00:00", "time", &e), 0);
	cr_expect_eq(schedule_check_clock("23:59", "time", &e), 0);
	cr_expect_eq(schedule_check_clock("24:00", "time", &e), ERR_INVALID);
	cr_expect_eq(schedule_check_clock("9:30", "time", &e), ERR_INVALID);
	cr_expect_eq(schedule_check_clock("09:60", "time", &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "time");
}

Test(schedule_check, zones)
{
	cr_expect(schedule_zone_known(LONDON));
	cr_expect(schedule_zone_known(NEW_YORK));
	cr_expect(schedule_zone_known("UTC"));
	cr_expect(!schedule_zone_known("Mars/Olympus"));
	cr_expect(!schedule_zone_known(""));
	cr_expect(!schedule_zone_known(NULL));
}

/* ---- expansion -------------------------------------------------------------------- */

Test(schedule_expand, weekly)
{
	struct occurrence o[16];
	int n = expand("FREQ=WEEKLY;BYDAY=TU", "2026-01-06T18:30", LONDON, "2026-01-01T00:00",
		       "2026-02-01T00:00", o, 16);
	keys_are(o, n, (const char *const[]){ "2026-01-06T18:30", "2026-01-13T18:30",
		 "2026-01-20T18:30", "2026-01-27T18:30", NULL });
	cr_expect_str_eq(iso(o[0].starts_at), "2026-01-06T18:30:00Z");
	cr_expect_eq(o[0].ends_at - o[0].starts_at, 90 * 60000);
}

Test(schedule_expand, weekly_on_two_days_and_without_byday)
{
	struct occurrence o[16];
	int n = expand("FREQ=WEEKLY;BYDAY=MO,TH", "2026-01-05T10:00", LONDON, "2026-01-01T00:00",
		       "2026-01-16T00:00", o, 16);
	keys_are(o, n, (const char *const[]){ "2026-01-05T10:00", "2026-01-08T10:00",
		 "2026-01-12T10:00", "2026-01-15T10:00", NULL });
	n = expand("FREQ=WEEKLY", "2026-01-07T19:00", LONDON, "2026-01-01T00:00",
		   "2026-01-22T00:00", o, 16);
	keys_are(o, n, (const char *const[]){ "2026-01-07T19:00", "2026-01-14T19:00",
		 "2026-01-21T19:00", NULL });
}

Test(schedule_expand, fortnightly)
{
	struct occurrence o[16];
	int n = expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-01-06T18:30", LONDON,
		       "2026-01-01T00:00", "2026-03-01T00:00", o, 16);
	keys_are(o, n, (const char *const[]){ "2026-01-06T18:30", "2026-01-20T18:30",
		 "2026-02-03T18:30", "2026-02-17T18:30", NULL });
}

Test(schedule_expand, every_four_weeks)
{
	struct occurrence o[16];
	int n = expand("FREQ=WEEKLY;INTERVAL=4;BYDAY=WE", "2026-01-07T14:00", LONDON,
		       "2026-01-01T00:00", "2026-05-01T00:00", o, 16);
	keys_are(o, n, (const char *const[]){ "2026-01-07T14:00", "2026-02-04T14:00",
		 "2026-03-04T14:00", "2026-04-01T14:00", "2026-04-29T14:00", NULL });
}

Test(schedule_expand, window_starts_later_keeping_the_phase)
{
	struct occurrence o[16];
	int n = expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-01-06T18:30", LONDON,
		       "2026-02-04T00:00", "2026-03-04T00:00", o, 16);
	keys_are(o, n, (const char *const[]){ "2026-02-17T18:30", "2026-03-03T18:30", NULL });
}

Test(schedule_expand, monthly_nth_weekday)
{
	/* Tuesdays of February 2026: 3, 10, 17, 24. */
	static const char *const want[] = { "2026-02-03T18:30", "2026-02-10T18:30",
					    "2026-02-17T18:30", "2026-02-24T18:30" };
	for (int nth = 1; nth <= 4; nth++) {
		char rule[64];
		snprintf(rule, sizeof rule, "FREQ=MONTHLY;BYDAY=%dTU", nth);
		struct occurrence o[4];
		int n = expand(rule, "2026-02-01T18:30", LONDON, "2026-02-01T00:00",
			       "2026-03-01T00:00", o, 4);
		cr_assert_eq(n, 1, "%s: %d", rule, n);
		cr_expect_str_eq(o[0].key, want[nth - 1], "%s", rule);
	}
}

Test(schedule_expand, monthly_first_and_third)
{
	struct occurrence o[8];
	int n = expand("FREQ=MONTHLY;BYDAY=1TU,3TU", "2026-01-01T18:30", LONDON, "2026-01-01T00:00",
		       "2026-03-01T00:00", o, 8);
	keys_are(o, n, (const char *const[]){ "2026-01-06T18:30", "2026-01-20T18:30",
		 "2026-02-03T18:30", "2026-02-17T18:30", NULL });
}

Test(schedule_expand, monthly_last_weekday)
{
	struct occurrence o[8];
	int n = expand("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-01T10:00", LONDON, "2026-01-01T00:00",
		       "2026-06-01T00:00", o, 8);
	keys_are(o, n, (const char *const[]){ "2026-01-30T10:00", "2026-02-27T10:00",
		 "2026-03-27T10:00", "2026-04-24T10:00", "2026-05-29T10:00", NULL });
}

Test(schedule_expand, start_that_does_not_fit_the_rule_is_not_a_meeting)
{
	struct occurrence o[4];
	/* 5 January 2026 is a Monday; the group meets on Tuesdays. */
	int n = expand("FREQ=WEEKLY;BYDAY=TU", "2026-01-05T18:30", LONDON, "2026-01-01T00:00",
		       "2026-01-14T00:00", o, 4);
	keys_are(o, n, (const char *const[]){ "2026-01-06T18:30", "2026-01-13T18:30", NULL });
	n = expand("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-05T18:30", LONDON, "2026-01-01T00:00",
		   "2026-02-01T00:00", o, 4);
	keys_are(o, n, (const char *const[]){ "2026-01-30T18:30", NULL });
}

Test(schedule_expand, until_a_date_and_until_a_utc_time)
{
	struct occurrence o[8];
	int n = expand("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260119", "2026-01-05T18:30", LONDON,
		       "2026-01-01T00:00", "2026-03-01T00:00", o, 8);
	keys_are(o, n, (const char *const[]){ "2026-01-05T18:30", "2026-01-12T18:30",
		 "2026-01-19T18:30", NULL });
	n = expand("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260112T183000Z", "2026-01-05T18:30", LONDON,
		   "2026-01-01T00:00", "2026-03-01T00:00", o, 8);
	keys_are(o, n, (const char *const[]){ "2026-01-05T18:30", "2026-01-12T18:30", NULL });
}

Test(schedule_expand, stops_at_max)
{
	struct occurrence o[3];
	int n = expand("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "2026-01-01T09:00", LONDON,
		       "2026-01-01T00:00", "2027-01-01T00:00", o, 3);
	cr_expect_eq(n, 3);
}

Test(schedule_expand, refuses_a_bad_rule)
{
	struct schedule s = { "FREQ=DAILY", "2026-01-06T18:30", 90, LONDON };
	struct occurrence o[4];
	herr e = { 0 };
	cr_expect_eq(schedule_expand(&s, 0, INT64_MAX, o, 4, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "rrule");
}

/* ---- daylight saving -------------------------------------------------------------- */

Test(schedule_dst, london_last_sunday_of_march)
{
	/* BST starts on Sunday 29 March 2026: 18:30 stays 18:30 local. */
	struct occurrence o[4];
	int n = expand("FREQ=WEEKLY;BYDAY=TU", "2026-03-17T18:30", LONDON, "2026-03-17T00:00",
		       "2026-04-01T00:00", o, 4);
	keys_are(o, n, (const char *const[]){ "2026-03-17T18:30", "2026-03-24T18:30",
		 "2026-03-31T18:30", NULL });
	cr_expect_str_eq(iso(o[1].starts_at), "2026-03-24T18:30:00Z");
	cr_expect_str_eq(iso(o[2].starts_at), "2026-03-31T17:30:00Z");
	cr_expect_str_eq(iso(o[2].ends_at), "2026-03-31T19:00:00Z");
	/* And a meeting on the very Sunday of the change. */
	n = expand("FREQ=WEEKLY;BYDAY=SU", "2026-03-22T18:30", LONDON, "2026-03-22T00:00",
		   "2026-03-30T00:00", o, 4);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(iso(o[0].starts_at), "2026-03-22T18:30:00Z");
	cr_expect_str_eq(iso(o[1].starts_at), "2026-03-29T17:30:00Z");
}

Test(schedule_dst, london_last_sunday_of_october)
{
	/* BST ends on Sunday 25 October 2026. */
	struct occurrence o[4];
	int n = expand("FREQ=WEEKLY;BYDAY=TU", "2026-10-13T18:30", LONDON, "2026-10-13T00:00",
		       "2026-10-28T00:00", o, 4);
	keys_are(o, n, (const char *const[]){ "2026-10-13T18:30", "2026-10-20T18:30",
		 "2026-10-27T18:30", NULL });
	cr_expect_str_eq(iso(o[1].starts_at), "2026-10-20T17:30:00Z");
	cr_expect_str_eq(iso(o[2].starts_at), "2026-10-27T18:30:00Z");
	n = expand("FREQ=WEEKLY;BYDAY=SU", "2026-10-18T18:30", LONDON, "2026-10-18T00:00",
		   "2026-10-26T00:00", o, 4);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(iso(o[0].starts_at), "2026-10-18T17:30:00Z");
	cr_expect_str_eq(iso(o[1].starts_at), "2026-10-25T18:30:00Z");
}

Test(schedule_dst, new_york)
{
	/* US daylight time 2026: from Sunday 8 March to Sunday 1 November; the
	 * last Sundays of March and October fall inside it. */
	struct occurrence o[8];
	int n = expand("FREQ=WEEKLY;BYDAY=TU", "2026-03-03T18:30", NEW_YORK, "2026-03-01T00:00",
		       "2026-03-11T00:00", o, 8);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(iso(o[0].starts_at), "2026-03-03T23:30:00Z");
	cr_expect_str_eq(iso(o[1].starts_at), "2026-03-10T22:30:00Z");
	n = expand("FREQ=MONTHLY;BYDAY=-1SU", "2026-03-01T18:30", NEW_YORK, "2026-03-01T00:00",
		   "2026-11-01T00:00", o, 8);
	cr_assert_eq(n, 8);
	cr_expect_str_eq(o[0].key, "2026-03-29T18:30");
	cr_expect_str_eq(iso(o[0].starts_at), "2026-03-29T22:30:00Z");
	cr_expect_str_eq(o[7].key, "2026-10-25T18:30");
	cr_expect_str_eq(iso(o[7].starts_at), "2026-10-25T22:30:00Z");
	n = expand("FREQ=WEEKLY;BYDAY=TU", "2026-10-27T18:30", NEW_YORK, "2026-10-27T00:00",
		   "2026-11-04T00:00", o, 8);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(iso(o[0].starts_at), "2026-10-27T22:30:00Z");
	cr_expect_str_eq(iso(o[1].starts_at), "2026-11-03T23:30:00Z");
}

/* ---- local times ------------------------------------------------------------------ */

Test(schedule_local, round_trips)
{
	static const char *const locals[] = { "2026-01-06T18:30", "2026-03-28T23:59",
		"2026-03-29T03:00", "2026-06-21T12:00", "2026-10-24T23:30", "2026-10-25T12:00",
		"2026-12-31T23:59", "2028-02-29T09:15", NULL };
	static const char *const zones[] = { LONDON, NEW_YORK, "UTC", "Australia/Sydney", NULL };
	for (int z = 0; zones[z]; z++)
		for (int i = 0; locals[i]; i++) {
			char back[32];
			int64_t ms = utc(locals[i], zones[z]);
			cr_assert_eq(schedule_format_local(ms, zones[z], "%Y-%m-%dT%H:%M", back,
							   sizeof back), 0);
			cr_expect_str_eq(back, locals[i], "%s in %s", locals[i], zones[z]);
		}
	cr_expect_str_eq(iso(utc("2026-07-01T12:00", LONDON)), "2026-07-01T11:00:00Z");
	cr_expect_str_eq(iso(utc("2026-07-01T12:00", NEW_YORK)), "2026-07-01T16:00:00Z");
}

Test(schedule_local, refuses_bad_input)
{
	int64_t ms;
	herr e = { 0 };
	cr_expect_eq(schedule_local_to_utc("yesterday", LONDON, &ms, &e), ERR_INVALID);
	cr_expect_eq(schedule_local_to_utc("2026-01-06T18:30", "Nowhere", &ms, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "time_zone");
}

Test(schedule_local, format_local)
{
	char out[64];
	int64_t ms = utc("2026-01-06T18:30", LONDON);
	cr_assert_eq(schedule_format_local(ms, LONDON, "%A %-d %B %Y, %H:%M", out, sizeof out), 0);
	cr_expect_str_eq(out, "Tuesday 6 January 2026, 18:30");
	ms = utc("2026-07-04T09:05", LONDON);
	cr_assert_eq(schedule_format_local(ms, LONDON, "%a %d %b %Y %H:%M", out, sizeof out), 0);
	cr_expect_str_eq(out, "Sat 04 Jul 2026 09:05");
	cr_assert_eq(schedule_format_local(ms, NEW_YORK, "%A %H:%M", out, sizeof out), 0);
	cr_expect_str_eq(out, "Saturday 04:05");
	cr_assert_eq(schedule_format_local(ms, LONDON, "%j", out, sizeof out), 0);
	cr_expect_str_eq(out, "185");
	cr_expect_eq(schedule_format_local(ms, "Nowhere", "%A", out, sizeof out), ERR_INVALID);
	cr_expect_str_eq(out, "");
	cr_expect_eq(schedule_format_local(ms, LONDON, "%A %B", out, 4), ERR_TOOBIG);
}

/* Formatting remembers each zone's offset per minute (schedule.c): asked
 * again, across the spring-forward minute and for another zone at the same
 * instant, it must give what libical gives the first time. */
Test(schedule_local, format_local_remembers_offsets_by_zone_and_minute)
{
	/* 2026-03-29 01:00 UTC: London goes from 00:59 GMT to 02:00 BST. */
	int64_t before = 1774745940000LL, at = before + 60000, later = at + 30000;
	char out[32];
	for (int round = 0; round < 2; round++) {
		cr_assert_eq(schedule_format_local(before, LONDON, "%H:%M", out, sizeof out), 0);
		cr_expect_str_eq(out, "00:59", "round %d", round);
		cr_assert_eq(schedule_format_local(at, LONDON, "%H:%M", out, sizeof out), 0);
		cr_expect_str_eq(out, "02:00", "round %d", round);
		cr_assert_eq(schedule_format_local(later, LONDON, "%H:%M:%S", out, sizeof out), 0);
		cr_expect_str_eq(out, "02:00:30", "round %d", round);
		cr_assert_eq(schedule_format_local(at, NEW_YORK, "%H:%M", out, sizeof out), 0);
		cr_expect_str_eq(out, "21:00", "round %d: the same minute in another zone", round);
		cr_assert_eq(schedule_format_local(-1, LONDON, "%Y-%m-%d %H:%M:%S", out, sizeof out), 0);
		cr_expect_str_eq(out, "1970-01-01 00:59:59", "round %d: before 1970 (BST all year then)", round);
	}
}

/* ---- descriptions ----------------------------------------------------------------- */

Test(schedule_describe, plain_english)
{
	describes("FREQ=WEEKLY;BYDAY=TU", "2026-01-06T18:30", 90, "Every Tuesday, 18:30 to 20:00");
	describes("FREQ=WEEKLY", "2026-01-07T10:00", 60, "Every Wednesday, 10:00 to 11:00");
	describes("FREQ=WEEKLY;BYDAY=MO,TH", "2026-01-05T10:00", 60,
		  "Every Monday and Thursday, 10:00 to 11:00");
	describes("FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-01-05T10:00", 60,
		  "Every Monday, Wednesday and Friday, 10:00 to 11:00");
	describes("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-01-06T18:30", 90,
		  "Every 2 weeks on Tuesday, 18:30 to 20:00");
	describes("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-30T10:00", 90,
		  "On the last Friday of each month, 10:00 to 11:30");
	describes("FREQ=MONTHLY;BYDAY=1TU,3TU", "2026-01-06T19:00", 120,
		  "On the first and third Tuesday of each month, 19:00 to 21:00");
	describes("FREQ=MONTHLY;BYDAY=2MO,4TH", "2026-01-12T19:00", 60,
		  "On the second Monday and the fourth Thursday of each month, 19:00 to 20:00");
	describes("FREQ=WEEKLY;BYDAY=FR;UNTIL=20261218", "2026-01-02T22:30", 120,
		  "Every Friday, 22:30 to 00:30, until 18 December 2026");
	describes("FREQ=WEEKLY;BYDAY=FR;UNTIL=20260703T230000Z", "2026-01-02T18:00", 60,
		  "Every Friday, 18:00 to 19:00, until 4 July 2026");
	struct schedule bad = { "FREQ=DAILY", "2026-01-06T18:30", 90, LONDON };
	char out[64];
	cr_expect_neq(schedule_describe(&bad, out, sizeof out), 0);
}

Test(schedule_weekdays, bits_monday_1_to_sunday_64)
{
	struct schedule s = { "FREQ=WEEKLY;BYDAY=MO,SU", "2026-01-05T10:00", 60, LONDON };
	cr_expect_eq(schedule_weekdays(&s), 1 | 64);
	s.rrule = "FREQ=MONTHLY;BYDAY=-1FR";
	cr_expect_eq(schedule_weekdays(&s), 16);
	s.rrule = "FREQ=WEEKLY";   /* 5 January 2026 is a Monday */
	cr_expect_eq(schedule_weekdays(&s), 1);
	s.rrule = "FREQ=DAILY";
	cr_expect_eq(schedule_weekdays(&s), 0);
}

/* Several threads expanding in several zones at once: libical is guarded. */
static void *expand_many(void *arg)
{
	const char *zone = arg;
	for (int i = 0; i < 50; i++) {
		struct schedule s = { "FREQ=WEEKLY;BYDAY=TU", "2026-01-06T18:30", 90, zone };
		struct occurrence o[60];
		herr e = { 0 };
		int64_t from = 1767225600000LL; /* 2026-01-01 */
		if (schedule_expand(&s, from, from + 365 * DAY_MS, o, 60, &e) != 52)
			return (void *)1;
		char out[64];
		if (schedule_format_local(o[10].starts_at, zone, "%H:%M", out, sizeof out) ||
		    strcmp(out, "18:30") != 0)
			return (void *)1;
	}
	return NULL;
}

Test(schedule_threads, concurrent_use_is_safe)
{
	static const char *const zones[] = { LONDON, NEW_YORK, "Europe/Paris", "Asia/Tokyo",
					     "America/Chicago", "Pacific/Auckland" };
	pthread_t t[6];
	for (int i = 0; i < 6; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, expand_many, (void *)zones[i]), 0);
	for (int i = 0; i < 6; i++) {
		void *bad;
		pthread_join(t[i], &bad);
		cr_expect_null(bad, "thread for %s failed", zones[i]);
	}
}

/* ---- meetings on a database ------------------------------------------------------- */

static db *g_db;
static char g_dir[64], g_path[128], g_schema[64];
static enum db_backend g_backend;
static arena *g_arena;
static int64_t g_group, g_alice, g_bob, g_carol, g_sam;
static struct actor g_facilitator, g_member, g_outsider, g_admin;

static void exec_ok(const char *sql)
{
	cr_assert_eq(db_exec_script(g_db, sql), 0, "%s: %s", sql, db_errmsg(g_db));
}

static int64_t add_person(const char *name, bool admin)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO person (id, display_name, is_admin, created_at, updated_at) "
		"VALUES (?, ?, ?, 0, 0)");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_bool(st, 3, admin);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return id;
}

static void add_member(int64_t group, int64_t person, const char *role)
{
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO membership (group_id, person_id, role, status, joined_at, created_at, "
		"updated_at) VALUES (?, ?, ?, 'active', 0, 0, 0)");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_int64(st, 1, group);
	db_bind_int64(st, 2, person);
	db_bind_text(st, 3, role);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
}

static int64_t add_group(const char *rrule, const char *start)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO peer_group (id, name, purpose, format, access, facilitation, status, "
		"rrule, schedule_start, duration_minutes, created_at, updated_at) VALUES "
		"(?, 'Tuesday Circle', 'Support', 'in_person', 'open', 'peer_led', 'active', ?, ?, "
		"90, 0, 0)");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, rrule);
	db_bind_text(st, 3, start);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return id;
}

/* A local "YYYY-MM-DDTHH:MM" days from now at hh:mm in London. */
static const char *local_in_days(int days, const char *hhmm)
{
	static char out[8][32];
	static int i;
	char *s = out[i++ % 8];
	char date[16];
	schedule_format_local(time_now_ms() + days * DAY_MS, LONDON, "%Y-%m-%d", date, sizeof date);
	snprintf(s, 32, "%sT%s", date, hhmm);
	return s;
}

static const char *date_in_days(int days)
{
	static char out[8][16];
	static int i;
	char *s = out[i++ % 8];
	schedule_format_local(time_now_ms() + days * DAY_MS, LONDON, "%Y-%m-%d", s, 16);
	return s;
}

/* A meeting row put straight into the database, starting at starts. */
static int64_t add_meeting_at(int64_t starts, const char *status)
{
	int64_t id = id_new();
	db_stmt *st = db_prepare(g_db,
		"INSERT INTO meeting (id, group_id, kind, status, starts_at, ends_at, created_at, "
		"updated_at) VALUES (?, ?, 'one_off', ?, ?, ?, 0, 0)");
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, g_group);
	db_bind_text(st, 3, status);
	db_bind_int64(st, 4, starts);
	db_bind_int64(st, 5, starts + 90 * 60000);
	cr_assert_eq(db_step(st), DB_DONE, "%s", db_errmsg(g_db));
	db_reset(st);
	return id;
}

static int64_t count_rows(const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(g_db, sql);
	cr_assert_not_null(st, "%s", db_errmsg(g_db));
	db_bind_int64(st, 1, id);
	cr_assert_eq(db_step(st), DB_ROW, "%s", db_errmsg(g_db));
	int64_t n = db_col_int64(st, 0);
	db_reset(st);
	return n;
}

static void make_network(void)
{
	g_arena = arena_new(0);
	herr e = { 0 };
	cr_assert_geq(db_migrate(g_db, &e), 0, "db_migrate: %s", e.message);
	g_alice = add_person("Alice", false);
	g_bob = add_person("Bob", false);
	g_carol = add_person("Carol", false);
	g_sam = add_person("Sam", false);
	int64_t admin = add_person("Ada", true);
	/* Meets on today's weekday, starting two weeks ago, at 23:58: still to
	 * come for nearly all of today. */
	g_group = add_group("FREQ=WEEKLY", local_in_days(-14, "23:58"));
	add_member(g_group, g_alice, "facilitator");
	add_member(g_group, g_bob, "member");
	add_member(g_group, g_sam, "member");
	g_facilitator = (struct actor){ g_alice, false, false };
	g_member = (struct actor){ g_bob, false, false };
	g_outsider = (struct actor){ g_carol, false, false };
	g_admin = (struct actor){ admin, true, false };
}

static void setup_sqlite(void)
{
	g_backend = DB_SQLITE;
	snprintf(g_dir, sizeof g_dir, "/tmp/hearth-test-meeting-XXXXXX");
	cr_assert_not_null(mkdtemp(g_dir));
	snprintf(g_path, sizeof g_path, "%s/test.db", g_dir);
	herr e = { 0 };
	g_db = db_open(g_path, &e);
	cr_assert_not_null(g_db, "%s", e.message);
	make_network();
}

static void setup_postgres(void)
{
	const char *url = getenv("HEARTH_TEST_PG_URL");
	if (!url || !*url)
		cr_skip_test("HEARTH_TEST_PG_URL is not set");
	g_backend = DB_POSTGRES;
	herr e = { 0 };
	g_db = db_open(url, &e);
	cr_assert_not_null(g_db, "%s", e.message);
	snprintf(g_schema, sizeof g_schema, "hearth_test_m%ld_%u", (long)getpid(), (unsigned)rand());
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s; SET search_path TO %s", g_schema, g_schema);
	exec_ok(sql);
	make_network();
}

static void teardown(void)
{
	arena_free(g_arena);
	g_arena = NULL;
	if (!g_db)
		return;
	db_rollback(g_db);
	if (g_backend == DB_POSTGRES) {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", g_schema);
		db_exec_script(g_db, sql);
	} else {
		static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
		char path[160];
		for (size_t i = 0; i < 4; i++) {
			snprintf(path, sizeof path, "%s%s", g_path, suffixes[i]);
			unlink(path);
		}
		rmdir(g_dir);
	}
	db_close(g_db);
	g_db = NULL;
}

#define MEETING_TEST(name)                                                              \
	static void name(void);                                                         \
	Test(meeting_sqlite, name, .fini = teardown) { setup_sqlite(); name(); }        \
	Test(meeting_postgres, name, .fini = teardown) { setup_postgres(); name(); }    \
	static void name(void)

/* The first meeting of the group still to start. */
static struct meeting_summary first_upcoming(void)
{
	struct meeting_summary *list;
	size_t n;
	herr e = { 0 };
	int64_t now = time_now_ms();
	cr_assert_eq(meeting_list_upcoming(g_db, g_arena, g_group, now, 5, &list, &n, &e),
		     0, "%s", e.message);
	cr_assert_gt(n, 1);
	return list[0].starts_at > now ? list[0] : list[1];
}

static void fails_with(int rc, const herr *e, int code, const char *words)
{
	cr_assert_eq(rc, code, "wanted %d, got %d: %s", code, rc, e->message);
	cr_expect(strstr(e->message, words) != NULL, "message \"%s\" lacks \"%s\"", e->message, words);
}

MEETING_TEST(ensure_materialises_the_schedule_once)
{
	herr e = { 0 };
	cr_assert_eq(meeting_ensure_scheduled(g_db, g_group, false, &e), 0, "%s", e.message);
	int64_t n = count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group);
	cr_expect(n == 12 || n == 13, "%lld meetings", (long long)n);
	struct schedule s = { "FREQ=WEEKLY", local_in_days(-14, "23:58"), 90, LONDON };
	struct occurrence o[20];
	int64_t now = time_now_ms();
	int want = schedule_expand(&s, now - 90 * 60000, now + MEETING_HORIZON_DAYS * DAY_MS, o, 20, &e);
	cr_expect_eq(n, want);
	int64_t next = count_rows("SELECT next_meeting_at FROM peer_group WHERE id = ?", g_group);
	cr_expect_eq(next, o[0].starts_at > now ? o[0].starts_at : o[1].starts_at);
	cr_expect_geq(count_rows("SELECT scheduled_until FROM peer_group WHERE id = ?", g_group),
		      now + (MEETING_HORIZON_DAYS - 1) * DAY_MS);
	/* Again: nothing new. */
	cr_assert_eq(meeting_ensure_scheduled(g_db, g_group, false, &e), 0, "%s", e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), n);
	cr_expect_eq(count_rows("SELECT COUNT(DISTINCT occurrence_key) FROM meeting WHERE group_id = ?",
				g_group), n);
}

/* /me's meetings for person_id, with the memberships read as /me reads them. */
static size_t upcoming_for(int64_t person_id, struct meeting_summary **list)
{
	struct my_membership *mine;
	size_t n_mine, n;
	herr e = { 0 };
	cr_assert_eq(membership_list_mine(g_db, g_arena, person_id, &mine, &n_mine, &e), 0, "%s",
		     e.message);
	cr_assert_eq(meeting_list_upcoming_for_person(g_db, g_arena, person_id, mine, n_mine,
						      time_now_ms(), 3, list, &n, &e), 0, "%s",
		     e.message);
	return n;
}

MEETING_TEST(a_persons_meetings_are_materialised_from_their_memberships)
{
	struct meeting_summary *list;
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), 0);
	cr_expect_eq(upcoming_for(g_carol, &list), 0);   /* not a member: nothing made */
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), 0);
	cr_assert_eq(upcoming_for(g_bob, &list), 3);
	cr_expect_str_eq(list[0].group_name, "Tuesday Circle");
	int64_t n = count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group);
	cr_expect(n == 12 || n == 13, "%lld meetings", (long long)n);
	cr_expect_eq(upcoming_for(g_bob, &list), 3);   /* fresh now: nothing more */
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), n);
}

MEETING_TEST(ensure_seen_trusts_the_group_it_was_given)
{
	herr e = { 0 };
	int64_t now = time_now_ms();
	/* Told the meetings reach far enough ahead, it reads and makes nothing. */
	cr_assert_eq(meeting_ensure_scheduled_seen(g_db, g_group, now + MEETING_HORIZON_DAYS * DAY_MS,
						   0, &e), 0, "%s", e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), 0);
	/* As group_get reads a group never scheduled: it materialises. */
	struct group g;
	cr_assert_eq(group_get(g_db, g_arena, g_group, &g, &e), 0, "%s", e.message);
	cr_expect_eq(g.scheduled_until, 0);
	cr_assert_eq(meeting_ensure_scheduled_seen(g_db, g_group, g.scheduled_until, g.next_meeting_at,
						   &e), 0, "%s", e.message);
	int64_t n = count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group);
	cr_expect(n == 12 || n == 13, "%lld meetings", (long long)n);
	cr_assert_eq(group_get(g_db, g_arena, g_group, &g, &e), 0, "%s", e.message);
	cr_expect_geq(g.scheduled_until, now + (MEETING_HORIZON_DAYS - 1) * DAY_MS);
	cr_expect_gt(g.next_meeting_at, now);
	/* The list without ensuring is the list with it. */
	struct meeting_summary *a, *b;
	size_t na, nb;
	cr_assert_eq(meeting_list_upcoming(g_db, g_arena, g_group, now, 5, &a, &na, &e), 0, "%s",
		     e.message);
	cr_assert_eq(meeting_list_upcoming_ensured(g_db, g_arena, g_group, now, 5, &b, &nb, &e), 0,
		     "%s", e.message);
	cr_assert_eq(na, nb);
	for (size_t i = 0; i < na; i++)
		cr_expect_eq(a[i].id, b[i].id);
}

MEETING_TEST(time_zone_inside_a_transaction_is_read_afresh)
{
	/* The thread keeps the zone it read for pages (network.h)... */
	cr_expect_str_eq(network_time_zone(g_db, g_arena), LONDON);
	/* ...but a transaction changing it, or writing meetings, sees its own. */
	cr_assert_eq(db_begin_write(g_db), 0);
	cr_assert_eq(settings_set(g_db, "time_zone", NEW_YORK), 0);
	cr_expect_str_eq(network_time_zone(g_db, g_arena), NEW_YORK);
	cr_assert_eq(db_rollback(g_db), 0);
	cr_expect_str_eq(network_time_zone(g_db, g_arena), LONDON);
}

MEETING_TEST(force_follows_a_changed_schedule_keeping_what_was_recorded)
{
	herr e = { 0 };
	cr_assert_eq(meeting_ensure_scheduled(g_db, g_group, false, &e), 0, "%s", e.message);
	struct meeting_summary *list;
	size_t n;
	cr_assert_eq(meeting_list_upcoming(g_db, g_arena, g_group, time_now_ms() + DAY_MS, 3, &list,
					   &n, &e), 0, "%s", e.message);
	cr_assert_eq(n, 3);
	/* Bob gives apologies for one, another is cancelled. */
	struct attendance_in bob = { g_bob, "apologies", false, NULL };
	cr_assert_eq(meeting_record_attendance(g_db, &g_facilitator, list[0].id, &bob, 1, &e), 0,
		     "%s", e.message);
	cr_assert_eq(meeting_cancel(g_db, &g_facilitator, list[1].id, "Venue closed", &e), 0, "%s",
		     e.message);
	/* The group moves to meeting every 2 weeks, on another day. */
	exec_ok("UPDATE peer_group SET rrule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR,SA,SU'");
	db_stmt *st = db_prepare(g_db, "UPDATE peer_group SET schedule_start = ?");
	db_bind_text(st, 1, local_in_days(1, "10:00"));
	cr_assert_eq(db_step(st), DB_DONE);
	db_reset(st);
	cr_assert_eq(meeting_ensure_scheduled(g_db, g_group, true, &e), 0, "%s", e.message);
	/* Kept: the one with apologies, the cancelled one; gone: list[2]. */
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE id = ?", list[0].id), 1);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE id = ?", list[1].id), 1);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE id = ?", list[2].id), 0);
	int64_t at10 = count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ? AND "
				  "occurrence_key LIKE '%T10:00'", g_group);
	cr_expect_geq(at10, 30, "%lld at 10:00", (long long)at10);
	/* A schedule the group can no longer have is refused under force. */
	exec_ok("UPDATE peer_group SET rrule = 'FREQ=DAILY'");
	cr_expect_eq(meeting_ensure_scheduled(g_db, g_group, true, &e), ERR_INVALID);
	cr_expect_str_eq(e.field, "rrule");
	/* Without force, a broken stored schedule still lists what exists. */
	cr_expect_eq(meeting_ensure_scheduled(g_db, g_group, false, &e), 0, "%s", e.message);
}

MEETING_TEST(paused_group_schedules_nothing)
{
	herr e = { 0 };
	exec_ok("UPDATE peer_group SET status = 'paused'");
	cr_assert_eq(meeting_ensure_scheduled(g_db, g_group, true, &e), 0, "%s", e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), 0);
	cr_expect(count_rows("SELECT COUNT(*) FROM peer_group WHERE id = ? AND next_meeting_at IS NULL",
			     g_group) == 1);
	cr_expect_eq(meeting_ensure_scheduled(g_db, 12345, false, &e), ERR_NOTFOUND);
}

MEETING_TEST(cancel_restore_and_move)
{
	herr e = { 0 };
	struct meeting_summary m = first_upcoming();
	fails_with(meeting_cancel(g_db, &g_facilitator, m.id, "", &e), &e, ERR_INVALID, "why");
	cr_expect_str_eq(e.field, "notice");
	fails_with(meeting_cancel(g_db, &g_member, m.id, "Ill", &e), &e, ERR_DENIED, "facilitators");
	fails_with(meeting_cancel(g_db, &g_outsider, m.id, "Ill", &e), &e, ERR_DENIED, "facilitators");
	fails_with(meeting_cancel(g_db, &g_facilitator, 999, "Ill", &e), &e, ERR_NOTFOUND, "no such");
	cr_assert_eq(meeting_cancel(g_db, &g_facilitator, m.id, "Venue closed for repairs", &e), 0,
		     "%s", e.message);
	cr_expect_neq(count_rows("SELECT next_meeting_at FROM peer_group WHERE id = ?", g_group),
		      m.starts_at);
	fails_with(meeting_cancel(g_db, &g_facilitator, m.id, "Again", &e), &e, ERR_CONFLICT,
		   "cancelled");
	struct attendance_in bob = { g_bob, "apologies", false, NULL };
	fails_with(meeting_record_attendance(g_db, &g_facilitator, m.id, &bob, 1, &e), &e,
		   ERR_CONFLICT, "cancelled");
	cr_assert_eq(meeting_restore(g_db, &g_admin, m.id, "", &e), 0, "%s", e.message);
	cr_expect_eq(count_rows("SELECT next_meeting_at FROM peer_group WHERE id = ?", g_group),
		     m.starts_at);
	fails_with(meeting_restore(g_db, &g_facilitator, m.id, "", &e), &e, ERR_CONFLICT, "not cancelled");

	/* Moves: into the past refused; to tomorrow 19:00 kept as the same occurrence. */
	fails_with(meeting_move(g_db, &g_facilitator, m.id, date_in_days(-1), "19:00", "Moved", &e),
		   &e, ERR_INVALID, "still to come");
	cr_expect_str_eq(e.field, "date");
	fails_with(meeting_move(g_db, &g_facilitator, m.id, "2026-13-01", "19:00", "Moved", &e), &e,
		   ERR_INVALID, "year-month-day");
	fails_with(meeting_move(g_db, &g_facilitator, m.id, date_in_days(1), "7pm", "Moved", &e), &e,
		   ERR_INVALID, "24-hour");
	cr_expect_str_eq(e.field, "time");
	fails_with(meeting_move(g_db, &g_facilitator, m.id, date_in_days(1), "19:00", "", &e), &e,
		   ERR_INVALID, "move");
	cr_assert_eq(meeting_move(g_db, &g_facilitator, m.id, date_in_days(1), "19:00",
				  "Moved to Wednesday this week", &e), 0, "%s", e.message);
	struct meeting got;
	cr_assert_eq(meeting_get(g_db, g_arena, &g_member, m.id, &got, &e), 0, "%s", e.message);
	cr_expect_eq(got.s.moved_from, m.starts_at);
	cr_expect_eq(got.s.starts_at, utc(local_in_days(1, "19:00"), LONDON));
	cr_expect_eq(got.s.ends_at - got.s.starts_at, 90 * 60000);
	cr_expect_str_eq(got.s.notice, "Moved to Wednesday this week");
	cr_expect_not_null(got.occurrence_key);
	/* Forcing the schedule neither recreates the old slot nor drops the move. */
	cr_assert_eq(meeting_ensure_scheduled(g_db, g_group, true, &e), 0, "%s", e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ? AND starts_at = "
				"(SELECT moved_from FROM meeting WHERE moved_from IS NOT NULL)", g_group), 0);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE id = ?", m.id), 1);
}

MEETING_TEST(one_off_meetings)
{
	herr e = { 0 };
	int64_t id;
	struct meeting_new in = { date_in_days(3), "14:00", "16:00", "Summer picnic" };
	fails_with(meeting_add_one_off(g_db, &g_member, g_group, &in, &id, &e), &e, ERR_DENIED,
		   "facilitators");
	struct meeting_new past = { date_in_days(-1), "14:00", "16:00", NULL };
	fails_with(meeting_add_one_off(g_db, &g_facilitator, g_group, &past, &id, &e), &e,
		   ERR_INVALID, "past");
	cr_expect_str_eq(e.field, "date");
	struct meeting_new backwards = { date_in_days(3), "16:00", "14:00", NULL };
	fails_with(meeting_add_one_off(g_db, &g_facilitator, g_group, &backwards, &id, &e), &e,
		   ERR_INVALID, "after the start");
	cr_expect_str_eq(e.field, "end_time");
	struct meeting_new same = { date_in_days(3), "16:00", "16:00", NULL };
	fails_with(meeting_add_one_off(g_db, &g_facilitator, g_group, &same, &id, &e), &e,
		   ERR_INVALID, "after the start");
	int64_t before = count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group);
	cr_assert_eq(meeting_add_one_off(g_db, &g_facilitator, g_group, &in, &id, &e), 0, "%s",
		     e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting WHERE group_id = ?", g_group), before + 1);
	struct meeting got;
	cr_assert_eq(meeting_get(g_db, g_arena, &g_member, id, &got, &e), 0, "%s", e.message);
	cr_expect_str_eq(got.s.kind, "one_off");
	cr_expect_null(got.occurrence_key);
	cr_expect_eq(got.s.ends_at - got.s.starts_at, 2 * HOUR_MS);
	cr_expect_str_eq(got.s.notice, "Summer picnic");
	/* Today is allowed, even at an hour already past. */
	struct meeting_new today = { date_in_days(0), "00:00", "00:30", NULL };
	cr_expect_eq(meeting_add_one_off(g_db, &g_facilitator, g_group, &today, &id, &e), 0, "%s",
		     e.message);
	exec_ok("UPDATE peer_group SET status = 'closed'");
	fails_with(meeting_add_one_off(g_db, &g_facilitator, g_group, &in, &id, &e), &e,
		   ERR_CONFLICT, "closed");
	fails_with(meeting_add_one_off(g_db, &g_admin, g_group, &in, &id, &e), &e, ERR_CONFLICT,
		   "closed");
}

MEETING_TEST(attendance_rules)
{
	herr e = { 0 };
	int64_t held = add_meeting_at(time_now_ms() - 3 * HOUR_MS, "scheduled");
	int64_t long_ago = add_meeting_at(time_now_ms() - 40 * DAY_MS, "scheduled");
	int64_t soon = add_meeting_at(time_now_ms() + 2 * DAY_MS, "scheduled");
	struct attendance_in ok[] = {
		{ g_bob, "present", true, "status_bob" },
		{ g_alice, "present", false, "status_alice" },
		{ g_sam, "apologies", false, "status_sam" },
	};
	fails_with(meeting_record_attendance(g_db, &g_member, held, ok, 3, &e), &e, ERR_DENIED,
		   "facilitators");
	struct attendance_in carol[] = { ok[0], { g_carol, "present", false, "status_carol" } };
	fails_with(meeting_record_attendance(g_db, &g_facilitator, held, carol, 2, &e), &e,
		   ERR_INVALID, "Carol is not a member");
	cr_expect_str_eq(e.field, "status_carol");
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM attendance WHERE meeting_id = ?", held), 0);
	struct attendance_in ghost = { 4242, "present", false, NULL };
	fails_with(meeting_record_attendance(g_db, &g_facilitator, held, &ghost, 1, &e), &e,
		   ERR_INVALID, "no person");
	cr_expect_str_eq(e.field, "attendance");
	struct attendance_in odd = { g_bob, "asleep", false, NULL };
	fails_with(meeting_record_attendance(g_db, &g_facilitator, held, &odd, 1, &e), &e,
		   ERR_INVALID, "present, apologies or absent");
	struct attendance_in twice[] = { ok[0], ok[0] };
	fails_with(meeting_record_attendance(g_db, &g_facilitator, held, twice, 2, &e), &e,
		   ERR_INVALID, "twice");
	struct attendance_in new_apology = { g_bob, "apologies", true, NULL };
	fails_with(meeting_record_attendance(g_db, &g_facilitator, held, &new_apology, 1, &e), &e,
		   ERR_INVALID, "new");
	fails_with(meeting_record_attendance(g_db, &g_facilitator, long_ago, ok, 3, &e), &e,
		   ERR_CONFLICT, "30 days after");
	fails_with(meeting_record_attendance(g_db, &g_facilitator, soon, ok, 3, &e), &e,
		   ERR_CONFLICT, "apologies");
	fails_with(meeting_record_attendance(g_db, &g_facilitator, held, ok, 0, &e), &e,
		   ERR_INVALID, "at least one");
	cr_assert_eq(meeting_record_attendance(g_db, &g_facilitator, soon, &ok[2], 1, &e), 0, "%s",
		     e.message);
	cr_assert_eq(meeting_record_attendance(g_db, &g_facilitator, held, ok, 3, &e), 0, "%s",
		     e.message);
	struct meeting got;
	cr_assert_eq(meeting_get(g_db, g_arena, &g_facilitator, held, &got, &e), 0, "%s", e.message);
	cr_expect_eq(got.n_attendance, 3);
	cr_expect_eq(got.present, 2);
	cr_expect_eq(got.apologies, 1);
	cr_expect_eq(got.newcomers, 1);
	cr_expect_str_eq(got.attendance[0].display_name, "Alice");
	/* A member sees the counts and only their own line. */
	cr_assert_eq(meeting_get(g_db, g_arena, &g_member, held, &got, &e), 0, "%s", e.message);
	cr_expect_eq(got.present, 2);
	cr_assert_eq(got.n_attendance, 1);
	cr_expect_eq(got.attendance[0].person_id, g_bob);
	/* Corrections replace; a person who has since left can still be corrected. */
	exec_ok("UPDATE membership SET status = 'left' WHERE role = 'member' AND person_id IN "
		"(SELECT id FROM person WHERE display_name = 'Sam')");
	struct attendance_in fix = { g_sam, "absent", false, NULL };
	cr_assert_eq(meeting_record_attendance(g_db, &g_facilitator, held, &fix, 1, &e), 0, "%s",
		     e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM attendance WHERE meeting_id = ? AND "
				"status = 'absent'", held), 1);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM attendance WHERE meeting_id = ?", held), 3);
	/* Reading: members yes, others no. */
	fails_with(meeting_get(g_db, g_arena, &g_outsider, held, &got, &e), &e, ERR_DENIED, "members");
	struct actor anonymous = { 0 };
	fails_with(meeting_get(g_db, g_arena, &anonymous, held, &got, &e), &e, ERR_DENIED, "members");
	fails_with(meeting_get(g_db, g_arena, &g_member, 77, &got, &e), &e, ERR_NOTFOUND, "no such");
}

MEETING_TEST(roles_facilitators_minutes_and_closing)
{
	herr e = { 0 };
	int64_t held = add_meeting_at(time_now_ms() - 2 * HOUR_MS, "scheduled");
	struct attendance_in att[] = { { g_bob, "present", false, NULL },
				       { g_alice, "present", false, NULL },
				       { g_sam, "absent", false, NULL } };
	cr_assert_eq(meeting_record_attendance(g_db, &g_facilitator, held, att, 3, &e), 0, "%s",
		     e.message);
	struct role_in roles[] = { { g_bob, "welcomer", "role_bob" }, { g_bob, "note-taker", NULL },
				   { g_alice, "Tea maker", NULL } };
	struct meeting_roles_in in = { .set_facilitators = true,
				       .facilitators = (int64_t[]){ g_alice, g_bob },
				       .n_facilitators = 2, .facilitated_by_peer = 1,
				       .set_roles = true, .roles = roles, .n_roles = 3 };
	struct role_in absent_role = { g_sam, "welcomer", "role_sam" };
	struct meeting_roles_in bad = in;
	bad.roles = &absent_role;
	bad.n_roles = 1;
	fails_with(meeting_set_roles(g_db, &g_facilitator, held, &bad, &e), &e, ERR_INVALID,
		   "Sam is not recorded as present");
	cr_expect_str_eq(e.field, "role_sam");
	/* Nothing changed: the facilitators part was rolled back too. */
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM meeting_facilitator WHERE meeting_id = ?", held), 0);
	struct role_in too_long = { g_bob, "a role with a name much longer than forty characters", NULL };
	bad.roles = &too_long;
	fails_with(meeting_set_roles(g_db, &g_facilitator, held, &bad, &e), &e, ERR_INVALID, "40");
	struct meeting_roles_in outsider = { .set_facilitators = true,
					     .facilitators = (int64_t[]){ g_carol },
					     .n_facilitators = 1, .facilitated_by_peer = 0 };
	fails_with(meeting_set_roles(g_db, &g_facilitator, held, &outsider, &e), &e, ERR_INVALID,
		   "Carol is not a member");
	fails_with(meeting_set_roles(g_db, &g_member, held, &in, &e), &e, ERR_DENIED, "facilitators");
	cr_assert_eq(meeting_set_roles(g_db, &g_facilitator, held, &in, &e), 0, "%s", e.message);
	cr_assert_eq(meeting_set_facilitators(g_db, &g_facilitator, held, (int64_t[]){ g_alice }, 1,
					      1, &e), 0, "%s", e.message);

	char *minutes = malloc(MEETING_MINUTES_MAX + 2);
	memset(minutes, 'm', MEETING_MINUTES_MAX + 1);
	minutes[MEETING_MINUTES_MAX + 1] = '\0';
	fails_with(meeting_save_minutes(g_db, &g_facilitator, held, minutes, &e), &e, ERR_INVALID,
		   "20000");
	cr_expect_str_eq(e.field, "minutes");
	free(minutes);
	cr_assert_eq(meeting_save_minutes(g_db, &g_facilitator, held, "# Check-in\n\nWe *talked*.",
					  &e), 0, "%s", e.message);

	char themes[MEETING_THEMES_MAX + 2];
	memset(themes, 't', sizeof themes - 1);
	themes[sizeof themes - 1] = '\0';
	fails_with(meeting_close(g_db, &g_facilitator, held, -1, themes, &e), &e, ERR_INVALID, "500");
	fails_with(meeting_close(g_db, &g_facilitator, held, -5, "", &e), &e, ERR_INVALID, "how many");
	cr_assert_eq(meeting_close(g_db, &g_facilitator, held, -1, "Sleep; winter", &e), 0, "%s",
		     e.message);

	struct meeting got;
	cr_assert_eq(meeting_get(g_db, g_arena, &g_member, held, &got, &e), 0, "%s", e.message);
	cr_expect_str_eq(got.s.status, "closed");
	cr_expect_eq(got.attendance_count, 2);
	cr_expect_str_eq(got.themes, "Sleep; winter");
	cr_expect_gt(got.closed_at, 0);
	cr_expect_eq(got.facilitated_by_peer, 1);
	cr_expect_eq(got.n_facilitators, 1);
	cr_expect_str_eq(got.facilitators[0].display_name, "Alice");
	cr_expect_eq(got.n_roles, 3);
	cr_expect_str_eq(got.roles[0].display_name, "Alice");
	cr_expect_str_eq(got.minutes_md, "# Check-in\n\nWe *talked*.");
	cr_expect_str_eq(got.minutes_by_name, "Alice");
	cr_expect(!got.can_record, "a member cannot record");
	/* A closed meeting can still be corrected within the window. */
	struct attendance_in late = { g_sam, "apologies", false, NULL };
	cr_expect_eq(meeting_record_attendance(g_db, &g_facilitator, held, &late, 1, &e), 0, "%s",
		     e.message);
	cr_assert_eq(meeting_close(g_db, &g_facilitator, held, 7, "", &e), 0, "%s", e.message);
	cr_assert_eq(meeting_get(g_db, g_arena, &g_facilitator, held, &got, &e), 0, "%s", e.message);
	cr_expect_eq(got.attendance_count, 7);
	cr_expect_null(got.themes);
	cr_expect(got.can_record && got.can_record_held);
	cr_expect(!got.can_change_date);

	/* Roles and closing wait for the meeting to start. */
	int64_t soon = add_meeting_at(time_now_ms() + DAY_MS, "scheduled");
	fails_with(meeting_close(g_db, &g_facilitator, soon, -1, "", &e), &e, ERR_CONFLICT,
		   "not started");
	fails_with(meeting_set_roles(g_db, &g_facilitator, soon, &in, &e), &e, ERR_CONFLICT,
		   "not started");
}

MEETING_TEST(actions_with_owners_and_due_dates)
{
	herr e = { 0 };
	int64_t held = add_meeting_at(time_now_ms() - 2 * HOUR_MS, "scheduled");
	int64_t id;
	struct action_new in = { "Book the room for June", g_bob, date_in_days(7) };
	struct action_new no_text = { "", g_bob, NULL };
	fails_with(action_add(g_db, &g_facilitator, held, &no_text, &id, &e), &e, ERR_INVALID,
		   "what is to be done");
	cr_expect_str_eq(e.field, "description");
	struct action_new outsider = { "Tea", g_carol, NULL };
	fails_with(action_add(g_db, &g_facilitator, held, &outsider, &id, &e), &e, ERR_INVALID,
		   "not a member");
	cr_expect_str_eq(e.field, "owner_id");
	struct action_new early = { "Tea", g_bob, date_in_days(-5) };
	fails_with(action_add(g_db, &g_facilitator, held, &early, &id, &e), &e, ERR_INVALID,
		   "before the meeting");
	cr_expect_str_eq(e.field, "due_date");
	struct action_new bad_date = { "Tea", g_bob, "31/12/2026" };
	fails_with(action_add(g_db, &g_facilitator, held, &bad_date, &id, &e), &e, ERR_INVALID,
		   "year-month-day");
	fails_with(action_add(g_db, &g_member, held, &in, &id, &e), &e, ERR_DENIED, "facilitators");
	cr_assert_eq(action_add(g_db, &g_facilitator, held, &in, &id, &e), 0, "%s", e.message);
	struct action_new undated = { "Ask about a ramp", g_alice, NULL };
	int64_t id2;
	cr_assert_eq(action_add(g_db, &g_facilitator, held, &undated, &id2, &e), 0, "%s", e.message);

	int64_t meeting_id = 0;
	fails_with(action_set_done(g_db, &g_member, id, true, &meeting_id, &e), &e, ERR_DENIED,
		   "facilitators");
	fails_with(action_set_done(g_db, &g_facilitator, 31337, true, &meeting_id, &e), &e,
		   ERR_NOTFOUND, "no such");
	cr_assert_eq(action_set_done(g_db, &g_facilitator, id, true, &meeting_id, &e), 0, "%s",
		     e.message);
	cr_expect_eq(meeting_id, held);
	struct meeting got;
	cr_assert_eq(meeting_get(g_db, g_arena, &g_member, held, &got, &e), 0, "%s", e.message);
	cr_assert_eq(got.n_actions, 2);
	cr_expect_str_eq(got.actions[0].description, "Ask about a ramp");   /* open first */
	cr_expect_eq(got.actions[0].done_at, 0);
	cr_expect_str_eq(got.actions[1].owner_name, "Bob");
	cr_expect_gt(got.actions[1].done_at, 0);
	cr_expect_str_eq(got.actions[1].due_date, date_in_days(7));
	cr_assert_eq(action_set_done(g_db, &g_facilitator, id, false, NULL, &e), 0, "%s", e.message);
	cr_expect_eq(count_rows("SELECT COUNT(*) FROM action_item WHERE group_id = ? AND "
				"done_at IS NULL", g_group), 2);
	exec_ok("UPDATE peer_group SET status = 'closed'");
	fails_with(action_set_done(g_db, &g_facilitator, id, true, NULL, &e), &e, ERR_CONFLICT,
		   "closed");
}

MEETING_TEST(lists_for_the_group_and_for_a_person)
{
	herr e = { 0 };
	int64_t past1 = add_meeting_at(time_now_ms() - 10 * DAY_MS, "closed");
	int64_t past2 = add_meeting_at(time_now_ms() - 3 * DAY_MS, "scheduled");
	struct meeting_summary *list;
	size_t n;
	bool more;
	cr_assert_eq(meeting_list_for_group(g_db, g_arena, &g_member, g_group, true, 0, 1, &list, &n,
					    &more, &e), 0, "%s", e.message);
	cr_assert_eq(n, 1);
	cr_expect_eq(list[0].id, past2);
	cr_expect(more);
	cr_assert_eq(meeting_list_for_group(g_db, g_arena, &g_member, g_group, true, 1, 1, &list, &n,
					    &more, &e), 0, "%s", e.message);
	cr_assert_eq(n, 1);
	cr_expect_eq(list[0].id, past1);
	cr_expect(!more);
	cr_assert_eq(meeting_list_for_group(g_db, g_arena, &g_member, g_group, false, 0, 5, &list, &n,
					    &more, &e), 0, "%s", e.message);
	cr_expect_eq(n, 5);
	cr_expect(more);
	cr_expect_str_eq(list[0].group_name, "Tuesday Circle");
	for (size_t i = 1; i < n; i++)
		cr_expect_gt(list[i].starts_at, list[i - 1].starts_at);
	fails_with(meeting_list_for_group(g_db, g_arena, &g_outsider, g_group, true, 0, 5, &list, &n,
					  &more, &e), &e, ERR_DENIED, "members");
	cr_expect_eq(upcoming_for(g_bob, &list), 3);
	cr_expect_eq(upcoming_for(g_carol, &list), 0);
	struct meeting_group g;
	cr_assert_eq(meeting_group_get(g_db, g_arena, &g_member, g_group, &g, &e), 0, "%s", e.message);
	cr_expect_str_eq(g.name, "Tuesday Circle");
	cr_expect(!g.standing.can_manage);
	cr_expect_str_eq(network_time_zone(g_db, g_arena), LONDON);
	exec_ok("INSERT INTO settings (key, value) VALUES ('time_zone', 'America/New_York')");
	cr_expect_str_eq(network_time_zone(g_db, g_arena), NEW_YORK);
	exec_ok("UPDATE settings SET value = 'Not/AZone' WHERE key = 'time_zone'");
	cr_expect_str_eq(network_time_zone(g_db, g_arena), LONDON);
}
