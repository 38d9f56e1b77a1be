/* schedule.c - a group's schedule (see schedule.h): checking an RRULE
 * against what Hearth supports, expanding it into occurrences with libical
 * in the network's time zone, converting between local times and UTC, and
 * describing it in plain English.
 *
 * libical is not thread-safe here: loading a builtin time zone, and the
 * lazy expansion of a zone's changes on conversion, both write shared state.
 * Every libical call in this file runs under ical_lock. Nothing here touches
 * the process time zone (no setenv("TZ"), no localtime): the server is
 * multi-threaded and the network's zone is a setting, not the host's. */
#include "schedule.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define RRULE_MAX_CHARS 200
#define ZONE_MAX_CHARS 64
#define WEEKLY_INTERVAL_MAX 8
#define DURATION_MIN 15
#define DURATION_MAX 720
#define YEAR_MIN 2000
#define YEAR_MAX 2100
/* Guards against a rule that never reaches the window (it cannot happen
 * with the rules schedule_check accepts and years 2000-2100, but a loop
 * bound costs nothing). */
#define ITERATIONS_MAX 100000

static pthread_mutex_t ical_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ical_once = PTHREAD_ONCE_INIT;

static void ical_init(void)
{
	icalerror_set_errors_are_fatal(0);
}

static void lock_ical(void)
{
	pthread_once(&ical_once, ical_init);
	pthread_mutex_lock(&ical_lock);
}

static void unlock_ical(void)
{
	pthread_mutex_unlock(&ical_lock);
}

static const char *const weekday_names[8] = {
	"", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};

/* ---- local dates and times ------------------------------------------ */

struct local_time {
	int year, month, day, hour, minute;
};

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at s. */
static bool read_digits(const char *s, int n, int *ret)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

static bool parse_date(const char *s, struct local_time *t)
{
	return s && strlen(s) >= 10 && read_digits(s, 4, &t->year) && s[4] == '-' &&
	       read_digits(s + 5, 2, &t->month) && s[7] == '-' && read_digits(s + 8, 2, &t->day) &&
	       t->month >= 1 && t->month <= 12 && t->day >= 1 &&
	       t->day <= days_in_month(t->year, t->month);
}

static bool parse_clock(const char *s, struct local_time *t)
{
	return s && strlen(s) == 5 && read_digits(s, 2, &t->hour) && s[2] == ':' &&
	       read_digits(s + 3, 2, &t->minute) && t->hour <= 23 && t->minute <= 59;
}

int schedule_check_date(const char *date, const char *field, herr *e)
{
	struct local_time t;
	if (!date || strlen(date) != 10 || !parse_date(date, &t))
		return herr_set(e, ERR_INVALID, field,
				"Enter the date as year-month-day, for example 2026-03-17.");
	if (t.year < YEAR_MIN || t.year > YEAR_MAX)
		return herr_set(e, ERR_INVALID, field,
				"Enter a date between the years %d and %d.", YEAR_MIN, YEAR_MAX);
	return 0;
}

int schedule_check_clock(const char *hhmm, const char *field, herr *e)
{
	struct local_time t;
	if (!parse_clock(hhmm, &t))
		return herr_set(e, ERR_INVALID, field,
				"Enter the time on the 24-hour clock as hours:minutes, for example 18:30.");
	return 0;
}

/* "YYYY-MM-DDTHH:MM"; errors name field. */
static int parse_local(const char *s, const char *field, struct local_time *t, herr *e)
{
	if (!s || strlen(s) != 16 || !parse_date(s, t) || s[10] != 'T' || !parse_clock(s + 11, t))
		return herr_set(e, ERR_INVALID, field,
				"Enter the date and time as year-month-day and hours:minutes, "
				"for example 2026-01-06T18:30.");
	if (t->year < YEAR_MIN || t->year > YEAR_MAX)
		return herr_set(e, ERR_INVALID, field,
				"Enter a date between the years %d and %d.", YEAR_MIN, YEAR_MAX);
	return 0;
}

/* 1 Sunday ... 7 Saturday, as libical counts (Zeller-free: Sakamoto). */
static int weekday_of(int y, int m, int d)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	if (m < 3)
		y -= 1;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7 + 1;
}

/* ---- time zones (callers hold ical_lock) ----------------------------- */

static icaltimezone *zone_locked(const char *zone)
{
	if (!zone || !*zone || strlen(zone) > ZONE_MAX_CHARS)
		return NULL;
	if (!strcmp(zone, "UTC"))
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(zone);
}

int schedule_zone_known(const char *zone)
{
	lock_ical();
	int known = zone_locked(zone) != NULL;
	unlock_ical();
	return known;
}

static struct icaltimetype ical_local(const struct local_time *t, icaltimezone *tz)
{
	struct icaltimetype it = icaltime_null_time();
	it.year = t->year;
	it.month = t->month;
	it.day = t->day;
	it.hour = t->hour;
	it.minute = t->minute;
	it.is_date = 0;
	icaltime_set_timezone(&it, tz);
	return it;
}

static int64_t utc_ms_locked(struct icaltimetype it, icaltimezone *tz)
{
	return (int64_t)icaltime_as_timet_with_zone(it, tz) * 1000;
}

int schedule_local_to_utc(const char *local, const char *time_zone, int64_t *ret_ms, herr *e)
{
	struct local_time t;
	int rc = parse_local(local, "schedule_start", &t, e);
	if (rc)
		return rc;
	lock_ical();
	icaltimezone *tz = zone_locked(time_zone);
	int64_t ms = tz ? utc_ms_locked(ical_local(&t, tz), tz) : 0;
	unlock_ical();
	if (!tz)
		return herr_set(e, ERR_INVALID, "time_zone",
				"The time zone \"%.64s\" is not one Hearth knows; use a name "
				"such as Europe/London.", time_zone ? time_zone : "");
	*ret_ms = ms;
	return 0;
}

/* The local wall-clock time of UTC ms in tz, as a struct tm (for strftime:
 * English names, because the process keeps the C locale). */
/* Each thread remembers the zone's UTC offset for the minutes it has
 * formatted: an offset changes only at a transition, and transitions fall
 * on whole minutes, so the offset found for one second of a minute holds for
 * all of it. Pages show the same meeting times request after request; the
 * memo spares libical (and its lock, which every worker would queue on). */
#define OFFSET_MEMO_SLOTS 256
#define ZONE_NAME_MAX 64

struct offset_memo {
	int64_t minute;             /* Unix time / 60 */
	int offset;                 /* seconds east of UTC */
	char zone[ZONE_NAME_MAX];   /* "" when the slot is empty */
};

static _Thread_local struct offset_memo offset_memo[OFFSET_MEMO_SLOTS];

/* A minute's slot, by Fibonacci hashing: the minute itself modulo 256
 * would put a weekly meeting's times (10,080 minutes apart) in only 8
 * slots, so a page of twelve weeks evicted its own offsets every time. */
_Static_assert(OFFSET_MEMO_SLOTS == 256, "memo_slot keeps the top 8 bits");

static struct offset_memo *memo_slot(int64_t minute)
{
	return &offset_memo[((uint64_t)minute * 0x9E3779B97F4A7C15ULL) >> 56];
}

/* The zone's offset at secs through libical, or false for an unknown zone. */
static bool offset_from_ical(time_t secs, const char *time_zone, int *ret)
{
	lock_ical();
	icaltimezone *tz = zone_locked(time_zone);
	struct icaltimetype it = icaltime_null_time();
	if (tz)
		it = icaltime_from_timet_with_zone(secs, 0, tz);
	unlock_ical();
	if (!tz)
		return false;
	struct tm wall = { .tm_year = it.year - 1900, .tm_mon = it.month - 1, .tm_mday = it.day,
			   .tm_hour = it.hour, .tm_min = it.minute, .tm_sec = it.second };
	*ret = (int)(timegm(&wall) - secs);
	return true;
}

static bool zone_offset(time_t secs, const char *time_zone, int *ret)
{
	int64_t minute = (int64_t)(secs >= 0 ? secs / 60 : (secs - 59) / 60);
	bool memorable = strlen(time_zone) < ZONE_NAME_MAX;
	struct offset_memo *m = memo_slot(minute);
	if (memorable && m->minute == minute && !strcmp(m->zone, time_zone)) {
		*ret = m->offset;
		return true;
	}
	if (!offset_from_ical(secs, time_zone, ret))
		return false;
	if (memorable) {
		m->minute = minute;
		m->offset = *ret;
		snprintf(m->zone, sizeof m->zone, "%s", time_zone);
	}
	return true;
}

static bool local_tm(int64_t ms, const char *time_zone, struct tm *tm)
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int offset;
	if (!time_zone || !zone_offset(secs, time_zone, &offset))
		return false;
	time_t wall = secs + offset;
	if (!gmtime_r(&wall, tm))
		return false;
	tm->tm_isdst = -1;
	return true;
}

int schedule_format_local(int64_t ms, const char *time_zone, const char *fmt, char *out, size_t size)
{
	struct tm tm;
	if (!size)
		return ERR_INVALID;
	out[0] = '\0';
	if (!local_tm(ms, time_zone, &tm))
		return ERR_INVALID;
	/* The format is the caller's, like strftime's own. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	size_t written = strftime(out, size, fmt, &tm);
#pragma GCC diagnostic pop
	if (written == 0 && *fmt) {
		out[0] = '\0';
		return ERR_TOOBIG;
	}
	return 0;
}

/* ---- rules ----------------------------------------------------------- */

/* What Hearth takes from a checked rule. */
struct rule {
	icalrecurrencetype_frequency freq;
	int interval;
	int ndays;
	int weekday[7];        /* 1 Sunday ... 7 Saturday */
	int position[7];       /* monthly: 1..4 or -1; weekly: 0 */
	bool has_until;
	struct icaltimetype until;
};

static bool array_empty(const short *a)
{
	return a[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

/* Parses and checks rrule (callers hold ical_lock). */
static int rule_parse_locked(const char *rrule, struct rule *ret, struct icalrecurrencetype *ret_ical,
			     herr *e)
{
	memset(ret, 0, sizeof *ret);
	if (!rrule || !*rrule)
		return herr_set(e, ERR_INVALID, "rrule",
				"Enter how often the group meets, for example FREQ=WEEKLY;BYDAY=TU.");
	if (strlen(rrule) > RRULE_MAX_CHARS)
		return herr_set(e, ERR_INVALID, "rrule",
				"The repeat rule is too long; keep it to %d characters.", RRULE_MAX_CHARS);
	if (strncasecmp(rrule, "RRULE:", 6) == 0)
		return herr_set(e, ERR_INVALID, "rrule",
				"Leave out \"RRULE:\" at the start; write just the rule, "
				"as in FREQ=WEEKLY;BYDAY=TU.");
	for (const char *p = rrule; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("=;,-+", *p)))
			return herr_set(e, ERR_INVALID, "rrule",
					"The repeat rule can only hold letters, digits and = ; , - +, "
					"as in FREQ=WEEKLY;BYDAY=TU.");
	icalerror_clear_errno();
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
	bool unreadable = r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR;
	icalerror_clear_errno();
	if (r.rscale) {
		free(r.rscale);
		r.rscale = NULL;
		if (!unreadable)
			return herr_set(e, ERR_INVALID, "rrule",
					"Calendar systems other than the usual one (RSCALE) are not supported.");
	}
	if (unreadable)
		return herr_set(e, ERR_INVALID, "rrule",
				"The repeat rule could not be read. Write it like FREQ=WEEKLY;BYDAY=TU, "
				"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU or FREQ=MONTHLY;BYDAY=-1FR.");
	if (r.freq != ICAL_WEEKLY_RECURRENCE && r.freq != ICAL_MONTHLY_RECURRENCE)
		return herr_set(e, ERR_INVALID, "rrule",
				"Only weekly schedules (FREQ=WEEKLY) and monthly ones on a weekday "
				"(FREQ=MONTHLY;BYDAY=1TU) are supported.");
	if (r.count)
		return herr_set(e, ERR_INVALID, "rrule",
				"A number of meetings (COUNT) is not supported; use UNTIL with the "
				"last date, for example UNTIL=20261215.");
	if (!array_empty(r.by_second) || !array_empty(r.by_minute) || !array_empty(r.by_hour))
		return herr_set(e, ERR_INVALID, "rrule",
				"The time of day comes from the first meeting's start time; remove "
				"BYHOUR, BYMINUTE and BYSECOND from the repeat rule.");
	if (!array_empty(r.by_month_day) || !array_empty(r.by_year_day) ||
	    !array_empty(r.by_week_no) || !array_empty(r.by_month) || !array_empty(r.by_set_pos))
		return herr_set(e, ERR_INVALID, "rrule",
				"Only BYDAY is supported for choosing days (not BYMONTHDAY, BYYEARDAY, "
				"BYWEEKNO, BYMONTH or BYSETPOS).");
	if (r.week_start != ICAL_MONDAY_WEEKDAY && r.week_start != ICAL_NO_WEEKDAY)
		return herr_set(e, ERR_INVALID, "rrule",
				"Weeks start on Monday here; remove WKST from the repeat rule.");
	ret->freq = r.freq;
	ret->interval = r.interval;
	if (r.freq == ICAL_WEEKLY_RECURRENCE && (r.interval < 1 || r.interval > WEEKLY_INTERVAL_MAX))
		return herr_set(e, ERR_INVALID, "rrule",
				"A weekly group can meet every week up to every %d weeks "
				"(INTERVAL=1 to %d).", WEEKLY_INTERVAL_MAX, WEEKLY_INTERVAL_MAX);
	if (r.freq == ICAL_MONTHLY_RECURRENCE && r.interval != 1)
		return herr_set(e, ERR_INVALID, "rrule",
				"A monthly group meets every month; remove INTERVAL from the repeat rule.");
	for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		int wd = (int)icalrecurrencetype_day_day_of_week(r.by_day[i]);
		int pos = icalrecurrencetype_day_position(r.by_day[i]);
		if (wd < 1 || wd > 7)
			return herr_set(e, ERR_INVALID, "rrule", "BYDAY names a day that does not exist.");
		if (r.freq == ICAL_WEEKLY_RECURRENCE && pos != 0)
			return herr_set(e, ERR_INVALID, "rrule",
					"In a weekly rule, name the days without a number (BYDAY=TU); "
					"for \"the first Tuesday\" use FREQ=MONTHLY;BYDAY=1TU.");
		if (r.freq == ICAL_MONTHLY_RECURRENCE && !(pos == -1 || (pos >= 1 && pos <= 4)))
			return herr_set(e, ERR_INVALID, "rrule",
					"In a monthly rule, put 1, 2, 3, 4 or -1 (the last) before each day, "
					"for example BYDAY=1TU or BYDAY=-1FR.");
		for (int j = 0; j < ret->ndays; j++)
			if (ret->weekday[j] == wd && ret->position[j] == pos)
				return herr_set(e, ERR_INVALID, "rrule", "BYDAY names the same day twice.");
		if (ret->ndays == 7)
			return herr_set(e, ERR_INVALID, "rrule", "BYDAY names too many days; at most 7.");
		ret->weekday[ret->ndays] = wd;
		ret->position[ret->ndays] = pos;
		ret->ndays++;
	}
	if (r.freq == ICAL_MONTHLY_RECURRENCE && ret->ndays == 0)
		return herr_set(e, ERR_INVALID, "rrule",
				"Say which weekday of the month, for example FREQ=MONTHLY;BYDAY=1TU "
				"(the first Tuesday) or BYDAY=-1FR (the last Friday).");
	if (!icaltime_is_null_time(r.until)) {
		ret->has_until = true;
		ret->until = r.until;
	}
	if (ret_ical)
		*ret_ical = r;
	return 0;
}

/* Whether a date the iterator produced fits the rule: libical versions
 * differ on whether a start date that does not fit counts as the first
 * occurrence, and Hearth's answer is that it does not. */
static bool date_fits_rule(const struct rule *rl, int y, int m, int d)
{
	if (rl->ndays == 0)
		return true;
	int wd = weekday_of(y, m, d);
	for (int i = 0; i < rl->ndays; i++) {
		if (rl->weekday[i] != wd)
			continue;
		if (rl->position[i] == 0)
			return true;
		if (rl->position[i] == -1 && d + 7 > days_in_month(y, m))
			return true;
		if (rl->position[i] > 0 && (d - 1) / 7 + 1 == rl->position[i])
			return true;
	}
	return false;
}

static int check_duration(int minutes, herr *e)
{
	if (minutes < DURATION_MIN || minutes > DURATION_MAX)
		return herr_set(e, ERR_INVALID, "duration_minutes",
				"A meeting lasts between %d minutes and %d hours.", DURATION_MIN,
				DURATION_MAX / 60);
	return 0;
}

int schedule_check(const struct schedule *s, herr *e)
{
	struct local_time t;
	struct rule rl;
	int rc = parse_local(s->start_local, "schedule_start", &t, e);
	if (!rc) rc = check_duration(s->duration_minutes, e);
	if (rc)
		return rc;
	lock_ical();
	icaltimezone *tz = zone_locked(s->time_zone);
	rc = rule_parse_locked(s->rrule, &rl, NULL, e);
	unlock_ical();
	if (!tz)
		return herr_set(e, ERR_INVALID, "time_zone",
				"The time zone \"%.64s\" is not one Hearth knows; use a name such as "
				"Europe/London.", s->time_zone ? s->time_zone : "");
	if (rc)
		return rc;
	if (rl.has_until) {
		struct icaltimetype u = rl.until;
		int ud = u.year * 10000 + u.month * 100 + u.day;
		int sd = t.year * 10000 + t.month * 100 + t.day;
		if (ud < sd)
			return herr_set(e, ERR_INVALID, "rrule",
					"The schedule ends (UNTIL) before its first meeting (schedule_start).");
	}
	return 0;
}

int schedule_weekdays(const struct schedule *s)
{
	struct local_time t;
	struct rule rl;
	if (parse_local(s->start_local, "schedule_start", &t, NULL))
		return 0;
	lock_ical();
	int rc = rule_parse_locked(s->rrule, &rl, NULL, NULL);
	unlock_ical();
	if (rc)
		return 0;
	int bits = 0;
	if (rl.ndays == 0)
		rl.weekday[rl.ndays++] = weekday_of(t.year, t.month, t.day);
	for (int i = 0; i < rl.ndays; i++) /* Sunday (1) is 64; Monday (2) is 1 */
		bits |= 1 << ((rl.weekday[i] + 5) % 7);
	return bits;
}

static int64_t min_ms(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The first UTC ms after the schedule's end (callers hold ical_lock). */
static int64_t until_bound_locked(const struct icaltimetype *until, icaltimezone *tz)
{
	struct icaltimetype u = *until;
	if (u.is_date) {
		struct local_time end_of_day = { u.year, u.month, u.day, 23, 59 };
		return utc_ms_locked(ical_local(&end_of_day, tz), tz) + 60000;
	}
	if (icaltime_is_utc(u))
		return (int64_t)icaltime_as_timet(u) * 1000 + 1;
	struct local_time local = { u.year, u.month, u.day, u.hour, u.minute };
	return utc_ms_locked(ical_local(&local, tz), tz) + 1;
}

int schedule_expand(const struct schedule *s, int64_t from_ms, int64_t until_ms,
		    struct occurrence *out, size_t max, herr *e)
{
	struct local_time t;
	struct rule rl;
	struct icalrecurrencetype r;
	int rc = schedule_check(s, e);
	if (!rc) rc = parse_local(s->start_local, "schedule_start", &t, e);
	if (rc)
		return rc;
	int64_t duration_ms = (int64_t)s->duration_minutes * 60000;
	size_t n = 0;
	lock_ical();
	icaltimezone *tz = zone_locked(s->time_zone);
	rc = tz ? rule_parse_locked(s->rrule, &rl, &r, e) : ERR_INVALID;
	if (!rc && rl.has_until) {
		/* The end is applied here, not by libical: a DATE means meetings
		 * on that local day still count, whatever time they start. */
		until_ms = min_ms(until_ms, until_bound_locked(&rl.until, tz));
		r.until = icaltime_null_time();
	}
	icalrecur_iterator *it = rc ? NULL : icalrecur_iterator_new(r, ical_local(&t, tz));
	if (!rc && !it)
		rc = herr_set(e, ERR_INTERNAL, "rrule", "The repeat rule could not be expanded.");
	for (int i = 0; it && n < max && i < ITERATIONS_MAX; i++) {
		struct icaltimetype o = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(o))
			break;
		if (!date_fits_rule(&rl, o.year, o.month, o.day))
			continue;
		icaltime_set_timezone(&o, tz);
		int64_t starts = utc_ms_locked(o, tz);
		if (starts >= until_ms)
			break;
		if (starts < from_ms)
			continue;
		struct occurrence *oc = &out[n++];
		snprintf(oc->key, sizeof oc->key, "%04u-%02u-%02uT%02u:%02u",
			 (unsigned)o.year % 10000u, (unsigned)o.month % 100u, (unsigned)o.day % 100u,
			 (unsigned)o.hour % 100u, (unsigned)o.minute % 100u);
		oc->starts_at = starts;
		oc->ends_at = starts + duration_ms;
	}
	if (it)
		icalrecur_iterator_free(it);
	unlock_ical();
	if (rc)
		return rc;
	return (int)n;
}

/* ---- describing ------------------------------------------------------ */

static const char *ordinal_name(int pos)
{
	switch (pos) {
	case 1: return "first";
	case 2: return "second";
	case 3: return "third";
	case 4: return "fourth";
	case -1: return "last";
	default: return "";
	}
}

/* Appends "a, b and c" for the n parts given by part(i). */
static void append_list(char *out, size_t size, int n, const char *(*part)(const struct rule *, int, char *, size_t),
			const struct rule *rl)
{
	for (int i = 0; i < n; i++) {
		char piece[48];
		const char *sep = i == 0 ? "" : i == n - 1 ? " and " : ", ";
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", sep, part(rl, i, piece, sizeof piece));
	}
}

static const char *weekday_part(const struct rule *rl, int i, char *piece, size_t size)
{
	snprintf(piece, size, "%s", weekday_names[rl->weekday[i]]);
	return piece;
}

static const char *monthly_part(const struct rule *rl, int i, char *piece, size_t size)
{
	snprintf(piece, size, "the %s %s", ordinal_name(rl->position[i]),
		 weekday_names[rl->weekday[i]]);
	return piece;
}

/* Monthly days with the same position read better grouped: "the first and
 * third Tuesday" rather than "the first Tuesday and the third Tuesday". */
static bool same_weekday(const struct rule *rl)
{
	for (int i = 1; i < rl->ndays; i++)
		if (rl->weekday[i] != rl->weekday[0])
			return false;
	return true;
}

static const char *position_part(const struct rule *rl, int i, char *piece, size_t size)
{
	snprintf(piece, size, "%s", ordinal_name(rl->position[i]));
	return piece;
}

int schedule_describe(const struct schedule *s, char *out, size_t size)
{
	struct local_time t;
	struct rule rl;
	if (!size)
		return ERR_INVALID;
	out[0] = '\0';
	if (parse_local(s->start_local, "schedule_start", &t, NULL))
		return ERR_INVALID;
	int until_y = 0, until_m = 0, until_d = 0;
	lock_ical();
	int rc = rule_parse_locked(s->rrule, &rl, NULL, NULL);
	icaltimezone *tz = zone_locked(s->time_zone);
	if (!rc && rl.has_until) {
		struct icaltimetype u = rl.until;
		if (!u.is_date && icaltime_is_utc(u) && tz) /* a UTC end: its local date */
			u = icaltime_from_timet_with_zone(icaltime_as_timet(u), 0, tz);
		until_y = u.year, until_m = u.month, until_d = u.day;
	}
	unlock_ical();
	if (rc)
		return rc;
	if (rl.ndays == 0) {
		rl.weekday[0] = weekday_of(t.year, t.month, t.day);
		rl.ndays = 1;
	}
	if (rl.freq == ICAL_WEEKLY_RECURRENCE) {
		if (rl.interval == 1) {
			snprintf(out, size, "Every ");
			append_list(out, size, rl.ndays, weekday_part, &rl);
		} else {
			snprintf(out, size, "Every %d weeks on ", rl.interval);
			append_list(out, size, rl.ndays, weekday_part, &rl);
		}
	} else if (same_weekday(&rl)) {
		snprintf(out, size, "On the ");
		append_list(out, size, rl.ndays, position_part, &rl);
		size_t len = strlen(out);
		snprintf(out + len, size - len, " %s of each month", weekday_names[rl.weekday[0]]);
	} else {
		snprintf(out, size, "On ");
		append_list(out, size, rl.ndays, monthly_part, &rl);
		size_t len = strlen(out);
		snprintf(out + len, size - len, " of each month");
	}
	int end = (t.hour * 60 + t.minute + s->duration_minutes) % (24 * 60);
	size_t len = strlen(out);
	snprintf(out + len, size - len, ", %02d:%02d to %02d:%02d", t.hour, t.minute, end / 60,
		 end % 60);
	if (rl.has_until && until_m >= 1 && until_m <= 12) {
		static const char *const months[] = { "January", "February", "March", "April",
			"May", "June", "July", "August", "September", "October", "November",
			"December" };
		len = strlen(out);
		snprintf(out + len, size - len, ", until %d %s %d", until_d, months[until_m - 1],
			 until_y);
	}
	return strlen(out) + 1 >= size ? ERR_TOOBIG : 0;
}
