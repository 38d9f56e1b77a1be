/* group.c - creating, changing, reading and finding groups (see group.h). */
#include "group.h"

#include "../base/buf.h"
#include "../base/ids.h"
#include "../base/utf8.h"
#include "../store/search.h"
#include "../store/stamp.h"
#include "meeting.h"
#include "membership.h"
#include "network.h"
#include "organisation.h"
#include "schedule.h"
#include "search_cache.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- choices and their words ---------------------------------------------- */

static const char *const formats[] = { "in_person", "online", "hybrid", NULL };
static const char *const accesses[] = { "open", "approval", "invite", NULL };
static const char *const facilitations[] = { "peer_led", "co_facilitated", "staff_led", NULL };
static const char *const statuses[] = { "forming", "active", "paused", "closed", NULL };
static const char *const visibilities[] = { "everyone", "signed_in", "members", NULL };

static int index_of(const char *const list[], const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* The word for value from a table parallel to list, or "". */
static const char *word_for(const char *const list[], const char *const words[], const char *value)
{
	int i = index_of(list, value);
	return i < 0 ? "" : words[i];
}

const char *group_format_text(const char *format)
{
	static const char *const w[] = { "In person", "Online", "Hybrid (in person and online)" };
	return word_for(formats, w, format);
}

const char *group_access_text(const char *access)
{
	static const char *const w[] = { "Open: anyone can join",
		"Ask to join: a facilitator welcomes each new member",
		"By invitation from the group's facilitators" };
	return word_for(accesses, w, access);
}

const char *group_facilitation_text(const char *facilitation)
{
	static const char *const w[] = { "Peer-led: run by members who share the experience",
		"Co-facilitated: peers and staff run it together",
		"Staff-led: run by the host organisation's staff" };
	return word_for(facilitations, w, facilitation);
}

const char *group_status_text(const char *status)
{
	static const char *const w[] = { "Starting soon", "Meeting regularly", "Paused", "Closed" };
	return word_for(statuses, w, status);
}

const char *group_short_purpose(arena *a, const char *purpose)
{
	if (!purpose)
		return "";
	size_t n = strlen(purpose);
	if (utf8_length(purpose, n) <= GROUP_SHORT_PURPOSE)
		return purpose;
	/* Byte offset of the cut, on a code point boundary. */
	size_t cut = 0, count = 0;
	while (cut < n && count < GROUP_SHORT_PURPOSE) {
		cut++;
		while (cut < n && ((unsigned char)purpose[cut] & 0xC0) == 0x80)
			cut++;
		count++;
	}
	size_t space = cut;
	while (space > 0 && purpose[space] != ' ' && purpose[space] != '\n')
		space--;
	if (space > cut / 2)
		cut = space;
	while (cut > 0 && strchr(" \n\r\t,.;:", purpose[cut - 1]))
		cut--;
	return arena_printf(a, "%.*s…", (int)cut, purpose);
}

/* ---- checking input -------------------------------------------------------- */

static size_t chars(const char *s)
{
	return s ? utf8_length(s, strlen(s)) : 0;
}

static bool given(const char *s)
{
	return s && *s;
}

static int check_length(const char *value, size_t max, const char *field, const char *label,
			herr *e)
{
	if (chars(value) > max)
		return herr_set(e, ERR_INVALID, field, "Please keep %s to %zu characters or fewer.",
				label, max);
	return 0;
}

static int check_texts(const struct group_input *in, herr *e)
{
	if (!given(in->name))
		return herr_set(e, ERR_INVALID, "name", "Enter the group's name.");
	if (strpbrk(in->name, "\r\n\t"))
		return herr_set(e, ERR_INVALID, "name", "The group's name is one line of text.");
	if (!given(in->purpose))
		return herr_set(e, ERR_INVALID, "purpose",
				"Say in a sentence or two what the group is for.");
	int rc = check_length(in->name, GROUP_NAME_MAX, "name", "the name", e);
	if (!rc) rc = check_length(in->purpose, GROUP_PURPOSE_MAX, "purpose", "what the group is for", e);
	if (!rc) rc = check_length(in->who_for, GROUP_WHO_FOR_MAX, "who_for", "who the group is for", e);
	if (!rc) rc = check_length(in->venue_name, GROUP_VENUE_NAME_MAX, "venue_name", "the venue's name", e);
	if (!rc) rc = check_length(in->venue_address, GROUP_VENUE_ADDRESS_MAX, "venue_address", "the address", e);
	if (!rc) rc = check_length(in->venue_access, GROUP_VENUE_ACCESS_MAX, "venue_access", "the accessibility notes", e);
	if (!rc && given(in->venue_name) && strpbrk(in->venue_name, "\r\n\t"))
		rc = herr_set(e, ERR_INVALID, "venue_name", "The venue's name is one line of text.");
	return rc;
}

static int check_choices(const struct group_input *in, herr *e)
{
	if (index_of(formats, in->format) < 0)
		return herr_set(e, ERR_INVALID, "format",
				"Choose how the group meets: in_person, online or hybrid.");
	if (index_of(accesses, in->access) < 0)
		return herr_set(e, ERR_INVALID, "access",
				"Choose how people join: open, approval or invite.");
	if (index_of(facilitations, in->facilitation) < 0)
		return herr_set(e, ERR_INVALID, "facilitation",
				"Choose who facilitates: peer_led, co_facilitated or staff_led.");
	if (index_of(visibilities, in->link_visibility) < 0)
		return herr_set(e, ERR_INVALID, "link_visibility",
				"Choose who can see the online link: everyone, signed_in or members.");
	if (given(in->status) && (index_of(statuses, in->status) < 0 || !strcmp(in->status, "closed")))
		return herr_set(e, ERR_INVALID, "status",
				"A new group's status is forming, active or paused.");
	return 0;
}

/* An online group has no venue: never an invented address. An in-person
 * group has no online link. */
static int check_place(const struct group_input *in, herr *e)
{
	bool online = !strcmp(in->format, "online"), in_person = !strcmp(in->format, "in_person");
	if (online) {
		static const char why[] = "A group that meets only online has no venue. Leave this "
					  "empty, or choose hybrid if it also meets in person.";
		if (given(in->venue_name))
			return herr_set(e, ERR_INVALID, "venue_name", why);
		if (given(in->venue_address))
			return herr_set(e, ERR_INVALID, "venue_address", why);
		if (given(in->venue_access))
			return herr_set(e, ERR_INVALID, "venue_access", why);
		if (in->has_latitude || in->has_longitude)
			return herr_set(e, ERR_INVALID, in->has_latitude ? "latitude" : "longitude", why);
	}
	if (in->has_latitude != in->has_longitude)
		return herr_set(e, ERR_INVALID, in->has_latitude ? "longitude" : "latitude",
				"Give both the latitude and the longitude of the venue, or neither.");
	if (in->has_latitude && !(isfinite(in->latitude) && in->latitude >= -90 && in->latitude <= 90))
		return herr_set(e, ERR_INVALID, "latitude",
				"The latitude must be between -90 and 90 degrees.");
	if (in->has_longitude &&
	    !(isfinite(in->longitude) && in->longitude >= -180 && in->longitude <= 180))
		return herr_set(e, ERR_INVALID, "longitude",
				"The longitude must be between -180 and 180 degrees.");
	if (given(in->online_link)) {
		if (in_person)
			return herr_set(e, ERR_INVALID, "online_link",
					"A group that meets only in person has no online link. "
					"Leave this empty, or choose hybrid.");
		if (chars(in->online_link) > GROUP_LINK_MAX)
			return herr_set(e, ERR_INVALID, "online_link",
					"Please keep the online link to %d characters or fewer.",
					GROUP_LINK_MAX);
		if (!organisation_web_address_ok(in->online_link))
			return herr_set(e, ERR_INVALID, "online_link",
					"Enter the online link as a full address starting with "
					"https:// (or http://).");
	}
	return 0;
}

static int check_schedule(const struct group_input *in, const char *time_zone, herr *e)
{
	int minutes = in->duration_minutes ? in->duration_minutes : GROUP_DEFAULT_DURATION;
	if (given(in->rrule) != given(in->schedule_start))
		return herr_set(e, ERR_INVALID, given(in->rrule) ? "schedule_start" : "rrule",
				given(in->rrule)
				? "Give the date and time of the first meeting as well as how often the group meets."
				: "Say how often the group meets as well as when it first meets.");
	if (!given(in->rrule)) {
		if (minutes < 15 || minutes > 720)
			return herr_set(e, ERR_INVALID, "duration_minutes",
					"A meeting lasts between 15 and 720 minutes.");
		return 0;
	}
	if (chars(in->rrule) > GROUP_RRULE_MAX)
		return herr_set(e, ERR_INVALID, "rrule", "That schedule rule is too long to be one "
				"this network supports.");
	struct schedule s = { in->rrule, in->schedule_start, minutes, time_zone };
	return schedule_check(&s, e);
}

int group_check(const struct group_input *in, const char *time_zone, herr *e)
{
	int rc = check_texts(in, e);
	if (!rc) rc = check_choices(in, e);
	if (!rc) rc = check_place(in, e);
	if (!rc && in->n_tags > GROUP_TAGS_MAX)
		rc = herr_set(e, ERR_INVALID, "tags", "Choose at most %d tags.", GROUP_TAGS_MAX);
	if (!rc && in->n_partners > GROUP_PARTNERS_MAX)
		rc = herr_set(e, ERR_INVALID, "partner_ids", "Choose at most %d partner organisations.",
			      GROUP_PARTNERS_MAX);
	if (!rc) rc = check_schedule(in, time_zone, e);
	return rc;
}

/* ---- the schedule form's choices ------------------------------------------- */

static const char *const weekdays[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU", NULL };

static const struct {
	const char *choice;
	const char *rule;          /* the weekday ("TU") follows */
} frequencies[] = {
	{ "weekly", "FREQ=WEEKLY;BYDAY=" },
	{ "every_2_weeks", "FREQ=WEEKLY;INTERVAL=2;BYDAY=" },
	{ "every_3_weeks", "FREQ=WEEKLY;INTERVAL=3;BYDAY=" },
	{ "every_4_weeks", "FREQ=WEEKLY;INTERVAL=4;BYDAY=" },
	{ "monthly_1", "FREQ=MONTHLY;BYDAY=1" },
	{ "monthly_2", "FREQ=MONTHLY;BYDAY=2" },
	{ "monthly_3", "FREQ=MONTHLY;BYDAY=3" },
	{ "monthly_4", "FREQ=MONTHLY;BYDAY=4" },
	{ "monthly_last", "FREQ=MONTHLY;BYDAY=-1" },
};
#define N_FREQUENCIES (sizeof frequencies / sizeof frequencies[0])

int group_rrule_from_choice(arena *a, const char *frequency, const char *weekday,
			    const char **ret_rrule, herr *e)
{
	size_t f = 0;
	while (f < N_FREQUENCIES && !(frequency && !strcmp(frequency, frequencies[f].choice)))
		f++;
	if (f == N_FREQUENCIES)
		return herr_set(e, ERR_INVALID, "frequency",
				"Choose how often the group meets from the list.");
	if (index_of(weekdays, weekday) < 0)
		return herr_set(e, ERR_INVALID, "weekday", "Choose the day of the week the group meets.");
	char *rule = arena_printf(a, "%s%s", frequencies[f].rule, weekday);
	if (!rule)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	*ret_rrule = rule;
	return 0;
}

bool group_choice_from_rrule(const char *rrule, char frequency[16], char weekday[3])
{
	if (!rrule)
		return false;
	for (size_t f = 0; f < N_FREQUENCIES; f++) {
		for (int w = 0; weekdays[w]; w++) {
			char rule[64];
			snprintf(rule, sizeof rule, "%s%s", frequencies[f].rule, weekdays[w]);
			if (strcmp(rule, rrule) == 0) {
				snprintf(frequency, 16, "%s", frequencies[f].choice);
				snprintf(weekday, 3, "%s", weekdays[w]);
				return true;
			}
		}
	}
	return false;
}

/* ---- writing ---------------------------------------------------------------- */

static void bind_text_or_null(db_stmt *st, int idx, const char *s)
{
	if (given(s))
		db_bind_text(st, idx, s);
	else
		db_bind_null(st, idx);
}

static void bind_id_or_null(db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int64(st, idx, id);
	else
		db_bind_null(st, idx);
}

/* Runs a statement that returns nothing; 0 or a negative ERR_*. */
static int step_done(db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* True when a row with this id exists (sql selects by one id). */
static int row_exists(db *d, const char *sql, int64_t id, bool *ret)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	*ret = rc == DB_ROW;
	return 0;
}

static const char insert_partner_sql[] = "INSERT INTO group_partner (group_id, org_id) VALUES (?, ?)";

/* Tag ids for the input's slugs, without repeats. */
static int resolve_tags(db *d, arena *a, const struct group_input *in, int64_t *ids,
			size_t *ret_n, herr *e)
{
	size_t n = 0;
	for (size_t i = 0; i < in->n_tags; i++) {
		if (!given(in->tags[i]))
			continue;
		struct tag t;
		int rc = tag_find(d, a, in->tags[i], "tags", &t, e);
		if (rc)
			return rc;
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= ids[k] == t.id;
		if (!seen)
			ids[n++] = t.id;
	}
	*ret_n = n;
	return 0;
}

static int check_organisations(db *d, const struct group_input *in, herr *e)
{
	static const char sql[] = "SELECT 1 FROM organisation WHERE id = ?";
	bool ok = true;
	int rc = 0;
	if (in->host_org_id && (rc = row_exists(d, sql, in->host_org_id, &ok)) == 0 && !ok)
		return herr_set(e, ERR_INVALID, "host_org_id",
				"There is no such host organisation; choose one from the list.");
	for (size_t i = 0; !rc && i < in->n_partners; i++)
		if ((rc = row_exists(d, sql, in->partner_ids[i], &ok)) == 0 && !ok)
			return herr_set(e, ERR_INVALID, "partner_ids",
					"There is no such partner organisation; choose from the list.");
	return rc ? herr_set(e, rc, NULL, "Could not check the organisations.") : 0;
}

/* Binds the columns a group's form sets, in the order both insert_row and
 * update_row name them: ?1 to ?18, name to host_org_id. */
static void bind_form_columns(db_stmt *st, const struct group_input *in, int days)
{
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->purpose);
	db_bind_text(st, 3, in->who_for ? in->who_for : "");
	db_bind_text(st, 4, in->format);
	db_bind_text(st, 5, in->access);
	db_bind_text(st, 6, in->facilitation);
	bind_text_or_null(st, 7, in->venue_name);
	bind_text_or_null(st, 8, in->venue_address);
	bind_text_or_null(st, 9, in->venue_access);
	if (in->has_latitude) {
		db_bind_double(st, 10, in->latitude);
		db_bind_double(st, 11, in->longitude);
	} else {
		db_bind_null(st, 10);
		db_bind_null(st, 11);
	}
	bind_text_or_null(st, 12, in->online_link);
	db_bind_text(st, 13, in->link_visibility);
	bind_text_or_null(st, 14, in->rrule);
	bind_text_or_null(st, 15, in->schedule_start);
	db_bind_int64(st, 16, in->duration_minutes ? in->duration_minutes : GROUP_DEFAULT_DURATION);
	db_bind_int64(st, 17, days);
	bind_id_or_null(st, 18, in->host_org_id);
}

static int insert_row(db *d, int64_t id, const struct group_input *in, int days)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO peer_group (name, purpose, who_for, format, access, facilitation, "
		"venue_name, venue_address, venue_access, latitude, longitude, online_link, "
		"link_visibility, rrule, schedule_start, duration_minutes, meeting_days, host_org_id, "
		"id, status, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	int64_t now = time_now_ms();
	bind_form_columns(st, in, days);
	db_bind_int64(st, 19, id);
	db_bind_text(st, 20, given(in->status) ? in->status : "forming");
	db_bind_int64(st, 21, now);
	db_bind_int64(st, 22, now);
	return step_done(st);
}

static int update_row(db *d, int64_t id, const struct group_input *in, int days)
{
	db_stmt *st = db_prepare(d,
		"UPDATE peer_group SET name = ?, purpose = ?, who_for = ?, format = ?, access = ?, "
		"facilitation = ?, venue_name = ?, venue_address = ?, venue_access = ?, latitude = ?, "
		"longitude = ?, online_link = ?, link_visibility = ?, rrule = ?, schedule_start = ?, "
		"duration_minutes = ?, meeting_days = ?, host_org_id = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	bind_form_columns(st, in, days);
	db_bind_int64(st, 19, time_now_ms());
	db_bind_int64(st, 20, id);
	return step_done(st);
}

/* Replaces the rows of a (group_id, other_id) link table. */
static int replace_links(db *d, const char *delete_sql, const char *insert_sql, int64_t group_id,
			 const int64_t *ids, size_t n)
{
	db_stmt *st = db_prepare(d, delete_sql);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	int rc = step_done(st);
	for (size_t i = 0; !rc && i < n; i++) {
		bool repeat = false;
		for (size_t k = 0; k < i; k++)
			repeat |= ids[k] == ids[i];
		if (repeat)
			continue;
		if (!(st = db_prepare(d, insert_sql)))
			return ERR_DB;
		db_bind_int64(st, 1, group_id);
		db_bind_int64(st, 2, ids[i]);
		rc = step_done(st);
	}
	return rc;
}

/* Puts the group's current words into the search index and its place into
 * the 2-D index of places. */
static int index_group(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d,
		"SELECT name, purpose, who_for, venue_name, venue_address, format, status, "
		"latitude, longitude FROM peer_group WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc < 0 ? rc : ERR_NOTFOUND;
	}
	buf place = BUF_INIT;
	const char *venue = db_col_text(st, 3), *address = db_col_text(st, 4);
	const char *format = db_col_text(st, 5);
	buf_printf(&place, "%s %s%s", venue ? venue : "", address ? address : "",
		   format && strcmp(format, "in_person") != 0 ? " online" : "");
	char *name = strdup(db_col_text(st, 0) ? db_col_text(st, 0) : "");
	char *purpose = strdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
	char *who_for = strdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
	char listed_format[16], status[16];
	snprintf(listed_format, sizeof listed_format, "%s", format ? format : "");
	snprintf(status, sizeof status, "%s", db_col_text(st, 6) ? db_col_text(st, 6) : "");
	bool has_place = !db_col_is_null(st, 7) && !db_col_is_null(st, 8);
	double latitude = db_col_double(st, 7), longitude = db_col_double(st, 8);
	db_reset(st);
	rc = (!name || !purpose || !who_for || place.oom) ? ERR_NOMEM
		: db_search_index_group(d, id, name, purpose, who_for, place.data);
	if (!rc)
		rc = db_search_place_group(d, id, listed_format, status, has_place, latitude, longitude);
	free(name);
	free(purpose);
	free(who_for);
	buf_free(&place);
	return rc;
}

static int weekdays_of(const struct group_input *in, const char *zone)
{
	if (!given(in->rrule))
		return 0;
	struct schedule s = { in->rrule, in->schedule_start,
			      in->duration_minutes ? in->duration_minutes : GROUP_DEFAULT_DURATION, zone };
	return schedule_weekdays(&s);
}

/* Writes the group's row, links, index and meetings; inside a transaction. */
static int save_group(db *d, arena *a, int64_t id, bool is_new, const struct group_input *in,
		      const char *zone, herr *e)
{
	int64_t *tag_ids = arena_alloc(a, (in->n_tags + 1) * sizeof *tag_ids);
	size_t n_tags = 0;
	if (!tag_ids)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int rc = resolve_tags(d, a, in, tag_ids, &n_tags, e);
	if (!rc) rc = check_organisations(d, in, e);
	if (rc)
		return rc;
	int days = weekdays_of(in, zone);
	rc = is_new ? insert_row(d, id, in, days) : update_row(d, id, in, days);
	if (!rc)
		rc = replace_links(d, "DELETE FROM group_tag WHERE group_id = ?",
				   "INSERT INTO group_tag (group_id, tag_id) VALUES (?, ?)",
				   id, tag_ids, n_tags);
	if (!rc)
		rc = replace_links(d, "DELETE FROM group_partner WHERE group_id = ?",
				   insert_partner_sql, id, in->partner_ids, in->n_partners);
	if (!rc)
		rc = index_group(d, id);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the group.");
	return meeting_ensure_scheduled(d, id, true, e);
}

/* Commits, or rolls back when rc says something failed. */
static int finish(db *d, int rc, herr *e)
{
	bool steps_ok = rc == 0;
	rc = db_finish(d, rc);
	if (steps_ok && rc)
		return herr_set(e, rc, NULL, "Could not save the group; please try again.");
	return rc;
}

int group_create(db *d, arena *a, const struct actor *actor, const struct group_input *in,
		 int64_t *ret_id, herr *e)
{
	if (!actor || !actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "Only the network's coordinators can create groups.");
	const char *zone = network_time_zone(d, a);
	int rc = group_check(in, zone, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not save the group; please try again.");
	int64_t id = id_new();
	rc = finish(d, save_group(d, a, id, true, in, zone, e), e);
	if (!rc)
		*ret_id = id;
	return rc;
}

int group_update(db *d, arena *a, const struct actor *actor, int64_t id,
		 const struct group_input *in, herr *e)
{
	const char *zone = network_time_zone(d, a);
	int rc = db_begin_write(d);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the group; please try again.");
	/* Who may change it is decided inside the transaction, so a group
	 * closed a moment ago stays closed. */
	struct standing st;
	rc = membership_standing(d, id, actor, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc) rc = group_check(in, zone, e);
	if (!rc) rc = save_group(d, a, id, false, in, zone, e);
	return finish(d, rc, e);
}

/* ---- the host and partners, one at a time ----------------------------------- */

/* Reads one whole number (0 for NULL or no row) by sql, whose ?1 is a
 * and, when b is not 0, ?2 is b. */
static int read_id_by(db *d, const char *sql, int64_t a, int64_t b, int64_t *ret)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, a);
	if (b)
		db_bind_int64(st, 2, b);
	int rc = db_step(st);
	*ret = rc == DB_ROW && !db_col_is_null(st, 0) ? db_col_int64(st, 0) : 0;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int write_host(db *d, int64_t group_id, int64_t org_id)
{
	db_stmt *st = db_prepare(d, "UPDATE peer_group SET host_org_id = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	bind_id_or_null(st, 1, org_id);
	db_bind_int64(st, 2, time_now_ms());
	db_bind_int64(st, 3, group_id);
	return step_done(st);
}

/* Runs sql, a change to group_partner whose ?1 is the group and ?2 the
 * organisation, then marks the group changed when a row was touched. */
static int write_partner(db *d, const char *sql, int64_t group_id, int64_t org_id, bool *changed)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, group_id);
	db_bind_int64(st, 2, org_id);
	int rc = step_done(st);
	*changed = !rc && db_changes(d) > 0;
	if (rc || !*changed)
		return rc;
	if (!(st = db_prepare(d, "UPDATE peer_group SET updated_at = ? WHERE id = ?")))
		return ERR_DB;
	db_bind_int64(st, 1, time_now_ms());
	db_bind_int64(st, 2, group_id);
	return step_done(st);
}

/* Adds a partner the group does not have yet, within GROUP_PARTNERS_MAX. */
static int add_partner(db *d, int64_t group_id, int64_t org_id, bool *changed, herr *e)
{
	int64_t found = 0, n = 0;
	int rc = read_id_by(d, "SELECT org_id FROM group_partner WHERE group_id = ? AND org_id = ?",
			    group_id, org_id, &found);
	if (!rc) rc = read_id_by(d, "SELECT COUNT(*) FROM group_partner WHERE group_id = ?",
				 group_id, 0, &n);
	if (rc)
		return herr_set(e, rc, NULL, "Could not change the partners.");
	if (found)
		return 0;
	if (n >= GROUP_PARTNERS_MAX)
		return herr_set(e, ERR_INVALID, "organisation_id", "A group has at most %d partner "
				"organisations; remove one before adding another.", GROUP_PARTNERS_MAX);
	rc = write_partner(d, insert_partner_sql, group_id, org_id, changed);
	return rc ? herr_set(e, rc, NULL, "Could not change the partners.") : 0;
}

/* The change itself, inside the caller's transaction. */
static int apply_org_change(db *d, int64_t group_id, enum group_org_change change, int64_t org_id,
			    bool *changed, herr *e)
{
	int64_t host = 0;
	int rc = 0;
	if (change == GROUP_ORG_PARTNER)
		return add_partner(d, group_id, org_id, changed, e);
	if (change == GROUP_ORG_REMOVE_PARTNER)
		rc = write_partner(d, "DELETE FROM group_partner WHERE group_id = ? AND org_id = ?",
				   group_id, org_id, changed);
	else if (!(rc = read_id_by(d, "SELECT host_org_id FROM peer_group WHERE id = ?",
				   group_id, 0, &host))) {
		*changed = change == GROUP_ORG_HOST ? host != org_id : host == org_id;
		if (*changed)
			rc = write_host(d, group_id, change == GROUP_ORG_HOST ? org_id : 0);
	}
	return rc ? herr_set(e, rc, NULL, "Could not change the group's organisations.") : 0;
}

int group_change_organisation(db *d, const struct actor *actor, int64_t group_id,
			      enum group_org_change change, int64_t org_id, bool *ret_changed,
			      herr *e)
{
	bool known = false, changed = false;
	int rc = db_begin_write(d);
	if (rc)
		return herr_set(e, rc, NULL, "Could not save the group; please try again.");
	/* As group_update: who may change it is decided inside the transaction. */
	struct standing st;
	rc = membership_standing(d, group_id, actor, &st, e);
	if (!rc) rc = membership_require_manager(&st, e);
	if (!rc && (rc = row_exists(d, "SELECT 1 FROM organisation WHERE id = ?", org_id, &known)))
		rc = herr_set(e, rc, NULL, "Could not check the organisation.");
	if (!rc && !known)
		rc = herr_set(e, ERR_INVALID, "organisation_id",
			      "There is no such organisation; choose one from the list.");
	if (!rc) rc = apply_org_change(d, group_id, change, org_id, &changed, e);
	rc = finish(d, rc, e);
	if (!rc)
		*ret_changed = changed;
	return rc;
}

static int read_status(db *d, int64_t id, char out[16], herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT status FROM peer_group WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, 16, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
	return 0;
}

static int write_status(db *d, int64_t id, const char *status)
{
	db_stmt *st = db_prepare(d, "UPDATE peer_group SET status = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, status);
	db_bind_int64(st, 2, time_now_ms());
	db_bind_int64(st, 3, id);
	return step_done(st);
}

int group_set_status(db *d, arena *a, const struct actor *actor, int64_t id, const char *status,
		     herr *e)
{
	if (!actor || !actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL,
				"Only the network's coordinators can change a group's status.");
	if (index_of(statuses, status) < 0)
		return herr_set(e, ERR_INVALID, "status",
				"Choose a status: forming, active, paused or closed.");
	char old[16];
	int rc = db_begin_write(d);
	if (rc)
		return herr_set(e, rc, NULL, "Could not change the status; please try again.");
	rc = read_status(d, id, old, e);
	if (rc || !strcmp(old, status))
		return finish(d, rc, e);
	rc = write_status(d, id, status);
	if (!rc)
		rc = !strcmp(status, "closed") ? db_search_remove_group(d, id) : index_group(d, id);
	if (rc)
		rc = herr_set(e, rc, NULL, "Could not change the status.");
	else if (strcmp(status, "closed") != 0)
		rc = meeting_ensure_scheduled(d, id, true, e);
	return finish(d, rc, e);
}

/* ---- reading ----------------------------------------------------------------- */

static const char *text_or_null(arena *a, db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return s && *s ? arena_strdup(a, s) : NULL;
}

/* The group's partners and tags in one statement (each list is a round
 * trip on PostgreSQL): partners first, each list by name, then id. */
static int read_partners_and_tags(db *d, arena *a, struct group *g, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT 0, o.id, o.name, o.website FROM group_partner gp "
		"JOIN organisation o ON o.id = gp.org_id WHERE gp.group_id = ? "
		"UNION ALL SELECT 1, t.id, t.name, t.slug FROM group_tag gt "
		"JOIN tag t ON t.id = gt.tag_id WHERE gt.group_id = ? ORDER BY 1, 3, 2");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's partners and tags.");
	db_bind_int64(st, 1, g->id);
	db_bind_int64(st, 2, g->id);
	size_t partners_cap = GROUP_PARTNERS_MAX * 2, tags_cap = 0;
	g->partners = arena_alloc(a, partners_cap * sizeof *g->partners);
	g->n_partners = 0;
	g->tags = arena_alloc(a, sizeof *g->tags);   /* an empty list is not NULL */
	g->n_tags = 0;
	int rc = 0;
	while (g->partners && g->tags && (rc = db_step(st)) == DB_ROW) {
		bool partner = db_col_int64(st, 0) == 0;
		if (partner && g->n_partners < partners_cap) {
			g->partners[g->n_partners++] = (struct group_org){ db_col_int64(st, 1),
				arena_strdup(a, db_col_text(st, 2)), text_or_null(a, st, 3) };
		} else if (!partner && g->n_tags < TAG_LIST_MAX &&
			   (g->tags = arena_grow(a, g->tags, g->n_tags, &tags_cap, sizeof *g->tags))) {
			g->tags[g->n_tags++] = (struct tag){ .id = db_col_int64(st, 1),
				.slug = arena_strdup(a, db_col_text(st, 3)),
				.name = arena_strdup(a, db_col_text(st, 2)) };
		}
	}
	db_reset(st);
	if (!g->partners || !g->tags)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	return rc < 0 ? herr_set(e, rc, NULL, "Could not read the group's partners and tags.") : 0;
}

/* The group row, its host, and the actor's membership in one statement:
 * a page that needs both (the group page, its forms) reads the group once. */
static int read_group(db *d, arena *a, int64_t id, const struct actor *actor, struct group *ret,
		      struct standing *ret_standing, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT g.id, g.name, g.purpose, g.who_for, g.format, g.access, g.facilitation, "
		"g.status, g.venue_name, g.venue_address, g.venue_access, g.latitude, g.longitude, "
		"g.online_link, g.link_visibility, g.rrule, g.schedule_start, g.duration_minutes, "
		"g.meeting_days, g.next_meeting_at, g.host_org_id, o.name, o.website, g.created_at, "
		"g.updated_at, g.scheduled_until, m.status, m.role FROM peer_group g "
		"LEFT JOIN organisation o ON o.id = g.host_org_id "
		"LEFT JOIN membership m ON m.group_id = g.id AND m.person_id = ? WHERE g.id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the group.");
	db_bind_int64(st, 1, actor ? actor->person_id : 0);
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	struct group *g = ret;
	if (rc == DB_ROW) {
		memset(g, 0, sizeof *g);
		g->id = db_col_int64(st, 0);
		g->name = arena_strdup(a, db_col_text(st, 1));
		g->purpose = arena_strdup(a, db_col_text(st, 2));
		g->who_for = arena_strdup(a, db_col_text(st, 3) ? db_col_text(st, 3) : "");
		g->format = arena_strdup(a, db_col_text(st, 4));
		g->access = arena_strdup(a, db_col_text(st, 5));
		g->facilitation = arena_strdup(a, db_col_text(st, 6));
		g->status = arena_strdup(a, db_col_text(st, 7));
		g->venue_name = text_or_null(a, st, 8);
		g->venue_address = text_or_null(a, st, 9);
		g->venue_access = text_or_null(a, st, 10);
		g->has_location = !db_col_is_null(st, 11) && !db_col_is_null(st, 12);
		g->latitude = db_col_double(st, 11);
		g->longitude = db_col_double(st, 12);
		g->online_link = text_or_null(a, st, 13);
		g->link_visibility = arena_strdup(a, db_col_text(st, 14));
		g->rrule = text_or_null(a, st, 15);
		g->schedule_start = text_or_null(a, st, 16);
		g->duration_minutes = (int)db_col_int64(st, 17);
		g->meeting_days = (int)db_col_int64(st, 18);
		g->next_meeting_at = db_col_int64(st, 19);
		g->host.id = db_col_int64(st, 20);
		g->host.name = text_or_null(a, st, 21);
		g->host.website = text_or_null(a, st, 22);
		g->created_at = db_col_int64(st, 23);
		g->updated_at = db_col_int64(st, 24);
		g->scheduled_until = db_col_int64(st, 25);
		if (!g->host.name)
			g->host.id = 0;
		if (ret_standing)
			membership_standing_of(id, g->status, db_col_text(st, 26), db_col_text(st, 27),
					       actor, ret_standing);
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such group.");
	return read_partners_and_tags(d, a, g, e);
}

int group_get(db *d, arena *a, int64_t id, struct group *ret, herr *e)
{
	return read_group(d, a, id, NULL, ret, NULL, e);
}

int group_get_with_standing(db *d, arena *a, int64_t id, const struct actor *actor,
			    struct group *ret, struct standing *ret_standing, herr *e)
{
	return read_group(d, a, id, actor, ret, ret_standing, e);
}

/* ---- the directory's question ------------------------------------------------ */

/* Splits each value on commas into trimmed, non-empty items (arena). */
static int split_values(arena *a, const char *const *values, size_t n, const char ***ret,
			size_t *ret_n)
{
	size_t cap = 0;
	for (size_t i = 0; i < n; i++)
		for (const char *p = values[i] ? values[i] : ""; *p; p++)
			cap += *p == ',';
	cap += n + 1;
	const char **items = arena_alloc(a, cap * sizeof *items);
	if (!items)
		return ERR_NOMEM;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = values[i] ? values[i] : "";
		while (*p) {
			size_t len = strcspn(p, ",");
			const char *start = p, *end = p + len;
			while (start < end && isspace((unsigned char)*start))
				start++;
			while (end > start && isspace((unsigned char)end[-1]))
				end--;
			if (end > start)
				items[count++] = arena_strndup(a, start, (size_t)(end - start));
			p += len;
			if (*p == ',')
				p++;
		}
	}
	*ret = items;
	*ret_n = count;
	return 0;
}

/* A decimal number with nothing else: digits, one point, an optional sign
 * (strtod alone would also take "nan", "inf" and hexadecimal). */
bool group_parse_decimal(const char *s, double *ret)
{
	while (isspace((unsigned char)*s))
		s++;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	bool digits = false, point = false;
	for (; *p && !isspace((unsigned char)*p); p++) {
		if (isdigit((unsigned char)*p))
			digits = true;
		else if (*p == '.' && !point)
			point = true;
		else
			return false;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (!digits || *p || p - s > 40)
		return false;
	*ret = strtod(s, NULL);
	return isfinite(*ret);
}

static int parse_near(const char *near, struct group_query *q, herr *e)
{
	static const char how[] = "Give the place as latitude,longitude in decimal degrees, "
				  "such as near=53.4808,-2.2426.";
	const char *comma = strchr(near, ',');
	char lat_text[48];
	if (!comma || strchr(comma + 1, ',') || (size_t)(comma - near) >= sizeof lat_text)
		return herr_set(e, ERR_BADREQ, "near", how);
	snprintf(lat_text, sizeof lat_text, "%.*s", (int)(comma - near), near);
	if (!group_parse_decimal(lat_text, &q->latitude) || !group_parse_decimal(comma + 1, &q->longitude))
		return herr_set(e, ERR_BADREQ, "near", how);
	if (q->latitude < -90 || q->latitude > 90)
		return herr_set(e, ERR_INVALID, "near",
				"The latitude (the first number) must be between -90 and 90.");
	if (q->longitude < -180 || q->longitude > 180)
		return herr_set(e, ERR_INVALID, "near",
				"The longitude (the second number) must be between -180 and 180.");
	q->near = true;
	return 0;
}

static int parse_radius(const char *text, struct group_query *q, herr *e)
{
	q->radius_km = GROUP_RADIUS_DEFAULT_KM;
	if (!given(text))
		return 0;
	double km;
	if (!group_parse_decimal(text, &km) || km <= 0 || km > GROUP_RADIUS_MAX_KM)
		return herr_set(e, ERR_INVALID, "radius_km",
				"Give the distance as a number of kilometres above 0 and at most %g.",
				GROUP_RADIUS_MAX_KM);
	q->radius_km = km;
	return 0;
}

static int parse_page(const char *text, struct group_query *q, herr *e)
{
	q->page = 1;
	if (!given(text))
		return 0;
	const char *p = text;
	if (*p == '-' || *p == '+')
		p++;
	if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 12)
		return herr_set(e, ERR_BADREQ, "page", "The page must be a whole number, such as 2.");
	long long n = strtoll(text, NULL, 10);
	if (n < 1)
		return herr_set(e, ERR_INVALID, "page", "Pages are numbered from 1.");
	if (n > GROUP_PAGE_MAX)
		return herr_set(e, ERR_INVALID, "page", "There are not that many pages.");
	q->page = (int)n;
	return 0;
}

static int parse_days(arena *a, const struct group_query_text *in, struct group_query *q, herr *e)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	const char **items;
	size_t n;
	if (split_values(a, in->days, in->n_days, &items, &n))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < n; i++) {
		int bit = -1;
		for (int k = 0; k < 7; k++)
			if (!strcasecmp(items[i], names[k]))
				bit = k;
		if (bit < 0)
			return herr_set(e, ERR_INVALID, "day",
					"There is no day called \"%.20s\": use mon, tue, wed, thu, fri, "
					"sat or sun.", items[i]);
		q->days |= 1 << bit;
	}
	return 0;
}

/* Reads a list of choices into bits (bit i for list[i]); field names it. */
static int parse_choice_bits(arena *a, const char *const *values, size_t n_values,
			     const char *const list[], const char *field, const char *what,
			     int *ret_bits, herr *e)
{
	const char **items;
	size_t n;
	if (split_values(a, values, n_values, &items, &n))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < n; i++) {
		int k = index_of(list, items[i]);
		if (k < 0)
			return herr_set(e, ERR_INVALID, field, "There is no %s called \"%.20s\".",
					what, items[i]);
		*ret_bits |= 1 << k;
	}
	return 0;
}

static int parse_statuses(arena *a, const struct group_query_text *in, struct group_query *q,
			  herr *e)
{
	const char **items;
	size_t n;
	if (split_values(a, in->statuses, in->n_statuses, &items, &n))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i], "closed"))
			return herr_set(e, ERR_INVALID, "status",
					"Closed groups are not listed in the directory.");
	static const char *const listed[] = { "forming", "active", "paused", NULL };
	int rc = parse_choice_bits(a, in->statuses, in->n_statuses, listed, "status", "status",
				   &q->statuses, e);
	if (!rc && !q->statuses)
		q->statuses = GROUP_STATUS_FORMING | GROUP_STATUS_ACTIVE;
	return rc;
}

static int parse_tags(arena *a, const struct group_query_text *in, struct group_query *q, herr *e)
{
	const char **items;
	size_t n;
	if (split_values(a, in->tags, in->n_tags, &items, &n))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < q->n_tags; k++)
			seen |= !strcmp(q->tags[k], items[i]);
		if (seen)
			continue;
		if (q->n_tags == GROUP_QUERY_TAGS_MAX)
			return herr_set(e, ERR_INVALID, "tag", "Choose at most %d tags.",
					GROUP_QUERY_TAGS_MAX);
		q->tags[q->n_tags++] = items[i];
	}
	return 0;
}

static int parse_text(arena *a, const char *text, struct group_query *q, herr *e)
{
	if (!given(text))
		return 0;
	if (chars(text) > GROUP_QUERY_TEXT_MAX)
		return herr_set(e, ERR_INVALID, "q", "Please keep the search words to %d characters "
				"or fewer.", GROUP_QUERY_TEXT_MAX);
	const char *start = text, *end = text + strlen(text);
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	q->text = end > start ? arena_strndup(a, start, (size_t)(end - start)) : NULL;
	return 0;
}

static int parse_sort(const char *sort, struct group_query *q, herr *e)
{
	if (!given(sort))
		q->sort = q->near ? GROUP_SORT_DISTANCE : q->text ? GROUP_SORT_RELEVANCE : GROUP_SORT_NEXT;
	else if (!strcmp(sort, "next"))
		q->sort = GROUP_SORT_NEXT;
	else if (!strcmp(sort, "name"))
		q->sort = GROUP_SORT_NAME;
	else if (!strcmp(sort, "relevance")) {
		if (!q->text)
			return herr_set(e, ERR_INVALID, "sort",
					"To sort by best match, give some words to search for.");
		q->sort = GROUP_SORT_RELEVANCE;
	} else if (!strcmp(sort, "distance")) {
		if (!q->near)
			return herr_set(e, ERR_INVALID, "sort",
					"To sort by distance, give the place to measure from (near).");
		q->sort = GROUP_SORT_DISTANCE;
	} else
		return herr_set(e, ERR_INVALID, "sort",
				"Sort by relevance, distance, next (the next meeting) or name.");
	return 0;
}

int group_query_parse(arena *a, const struct group_query_text *in, struct group_query *ret,
		      herr *e)
{
	memset(ret, 0, sizeof *ret);
	int rc = parse_text(a, in->q, ret, e);
	if (!rc) rc = parse_tags(a, in, ret, e);
	if (!rc) rc = parse_days(a, in, ret, e);
	if (!rc) rc = parse_choice_bits(a, in->formats, in->n_formats, formats, "format", "format",
					&ret->formats, e);
	if (!rc) rc = parse_statuses(a, in, ret, e);
	if (!rc && given(in->near)) rc = parse_near(in->near, ret, e);
	if (!rc && ret->near) rc = parse_radius(in->radius_km, ret, e);
	if (!rc) rc = parse_sort(in->sort, ret, e);
	if (!rc) rc = parse_page(in->page, ret, e);
	return rc;
}

/* ---- the directory search ----------------------------------------------------- */

/* Values bound to a composed statement, in the order their "?" appear. */
struct bind_value {
	char kind;       /* 't'ext, 'i'nteger, 'd'ouble */
	const char *s;
	int64_t i;
	double f;
};

struct binds {
	int n;
	struct bind_value v[48];
};

static void bind_add_text(struct binds *b, const char *s)
{
	b->v[b->n++] = (struct bind_value){ 't', s, 0, 0 };
}

static void bind_add_int(struct binds *b, int64_t i)
{
	b->v[b->n++] = (struct bind_value){ 'i', NULL, i, 0 };
}

static void bind_add_double(struct binds *b, double f)
{
	b->v[b->n++] = (struct bind_value){ 'd', NULL, 0, f };
}

static void bind_all(db_stmt *st, const struct binds *b)
{
	for (int i = 0; i < b->n; i++) {
		if (b->v[i].kind == 't')
			db_bind_text(st, i + 1, b->v[i].s);
		else if (b->v[i].kind == 'i')
			db_bind_int64(st, i + 1, b->v[i].i);
		else
			db_bind_double(st, i + 1, b->v[i].f);
	}
}

/* " AND g.<column> IN (?, ?, ?)" with the names of the bits set, the
 * first repeated to fill the three places: one statement shape for every
 * choice, so composed statements stay few (each is prepared and cached). */
static void append_choice(buf *sql, struct binds *b, const char *column,
			  const char *const names[], int bits)
{
	const char *chosen[3];
	int n = 0;
	for (int k = 0; names[k] && n < 3; k++)
		if (bits & (1 << k))
			chosen[n++] = names[k];
	if (n == 0)
		return;
	buf_printf(sql, " AND g.%s IN (?, ?, ?)", column);
	for (int i = 0; i < 3; i++)
		bind_add_text(b, chosen[i < n ? i : 0]);
}

/* The question's search state: words, tag ids, the box. */
struct search_plan {
	char words[SEARCH_QUERY_MAX];
	bool has_words;
	int64_t tag_ids[GROUP_QUERY_TAGS_MAX];
	size_t n_tags;
	struct search_box box;
	enum group_sort sort;
};

/* FROM ... WHERE ... for the question, with its bound values. */
static void append_from_where(db *d, const struct group_query *q, const struct search_plan *p,
			      buf *sql, struct binds *b)
{
	buf_puts(sql, q->near ? db_search_place_from_sql(d) : " FROM peer_group g");
	if (p->has_words)
		buf_puts(sql, db_search_join_sql(d));
	buf_puts(sql, " WHERE 1 = 1");
	append_choice(sql, b, "status", statuses, q->statuses);
	if (p->has_words) {
		buf_printf(sql, " AND %s", db_search_match_sql(d));
		bind_add_text(b, p->words);
	}
	if (p->n_tags) {
		/* Groups with every tag: the tag ids are distinct, so a group
		 * matching all of them has that many rows. */
		buf_puts(sql, " AND g.id IN (SELECT gt.group_id FROM group_tag gt WHERE gt.tag_id IN (");
		for (size_t i = 0; i < GROUP_QUERY_TAGS_MAX; i++) {
			buf_puts(sql, i ? ", ?" : "?");
			bind_add_int(b, p->tag_ids[i < p->n_tags ? i : 0]);
		}
		buf_puts(sql, ") GROUP BY gt.group_id HAVING COUNT(*) = ?)");
		bind_add_int(b, (int64_t)p->n_tags);
	}
	if (q->days) {
		buf_puts(sql, " AND (g.meeting_days & CAST(? AS INTEGER)) <> 0");
		bind_add_int(b, q->days);
	}
	append_choice(sql, b, "format", formats, q->formats);
	if (q->near) {
		/* Online-only groups have no place to be near; the 2-D index
		 * finds the box (every longitude when all_longitudes). */
		buf_printf(sql, " AND g.format <> 'online' AND %s", db_search_place_sql(d));
		bind_add_double(b, p->box.all_longitudes ? -180.0 : p->box.min_lon);
		bind_add_double(b, p->box.min_lat);
		bind_add_double(b, p->box.all_longitudes ? 180.0 : p->box.max_lon);
		bind_add_double(b, p->box.max_lat);
	}
}

static void append_order(db *d, const struct search_plan *p, buf *sql, struct binds *b)
{
	switch (p->sort) {
	case GROUP_SORT_RELEVANCE:
		buf_printf(sql, " ORDER BY %s, g.name, g.id", db_search_rank_sql(d));
		for (int i = 0; i < db_search_rank_params(d); i++)
			bind_add_text(b, p->words);
		break;
	case GROUP_SORT_NAME:
	case GROUP_SORT_DISTANCE:   /* distance is sorted in C; ties by name */
		buf_puts(sql, " ORDER BY g.name, g.id");
		break;
	default:
		buf_puts(sql, " ORDER BY g.next_meeting_at ASC NULLS LAST, g.id");
	}
}

/* Prepares a composed statement (interned so the cache keeps it). */
static db_stmt *prepare_composed(db *d, buf *sql)
{
	if (sql->oom)
		return NULL;
	const char *text = db_sql_intern(sql->data);
	return text ? db_prepare(d, text) : NULL;
}

static int count_matches(db *d, const struct group_query *q, const struct search_plan *p,
			 int64_t *ret)
{
	buf sql = BUF_INIT;
	struct binds b = { 0 };
	buf_puts(&sql, "SELECT COUNT(*)");
	append_from_where(d, q, p, &sql, &b);
	db_stmt *st = prepare_composed(d, &sql);
	buf_free(&sql);
	if (!st)
		return ERR_DB;
	bind_all(st, &b);
	int rc = db_step(st);
	*ret = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The ids of one page, in order, without a distance filter. With
 * every_row the statement has no LIMIT and counts its rows as they pass
 * into *ret_total: for a search by words, whose matches are few next to the
 * network, one pass then gives the page and the total, so each match is
 * joined to its group and ranked once rather than again for a COUNT(*). */
static int page_ids(db *d, const struct group_query *q, const struct search_plan *p,
		    bool every_row, int64_t *ids, size_t *ret_n, int64_t *ret_total)
{
	buf sql = BUF_INIT;
	struct binds b = { 0 };
	int64_t from = (int64_t)(q->page - 1) * GROUP_PAGE_SIZE;
	buf_puts(&sql, "SELECT g.id");
	append_from_where(d, q, p, &sql, &b);
	append_order(d, p, &sql, &b);
	if (!every_row) {
		buf_puts(&sql, " LIMIT ? OFFSET ?");
		bind_add_int(&b, GROUP_PAGE_SIZE);
		bind_add_int(&b, from);
		from = 0;
	}
	db_stmt *st = prepare_composed(d, &sql);
	buf_free(&sql);
	if (!st)
		return ERR_DB;
	bind_all(st, &b);
	size_t n = 0;
	int64_t seen = 0;
	int rc;
	while ((every_row || n < GROUP_PAGE_SIZE) && (rc = db_step(st)) == DB_ROW) {
		if (seen++ >= from && n < GROUP_PAGE_SIZE)
			ids[n++] = db_col_int64(st, 0);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	*ret_n = n;
	if (every_row)
		*ret_total = seen;
	return 0;
}

struct candidate {
	int64_t id;
	double km;
	size_t order;    /* position in the SQL order, for stable ties */
};

static int by_distance(const void *x, const void *y)
{
	const struct candidate *a = x, *b = y;
	if (a->km != b->km)
		return a->km < b->km ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Distance search: the box prefilter in SQL (the 2-D index of places), the
 * exact haversine distance here, then the page. Fills the distances of the page. */
static int near_page(db *d, const struct group_query *q, const struct search_plan *p,
		     int64_t *ids, double *km, size_t *ret_n, int64_t *ret_total)
{
	buf sql = BUF_INIT;
	struct binds b = { 0 };
	buf_puts(&sql, "SELECT g.id, g.latitude, g.longitude");
	append_from_where(d, q, p, &sql, &b);
	append_order(d, p, &sql, &b);
	buf_puts(&sql, " LIMIT ?");
	bind_add_int(&b, GROUP_NEAR_CANDIDATES_MAX);
	db_stmt *st = prepare_composed(d, &sql);
	buf_free(&sql);
	if (!st)
		return ERR_DB;
	bind_all(st, &b);
	/* The candidates live only for this call. */
	arena *scratch = arena_new(0);
	size_t cap = 0, n = 0;
	struct candidate *list = NULL;
	int rc = 0;
	while (scratch && (list = arena_grow(scratch, list, n, &cap, sizeof *list)) &&
	       (rc = db_step(st)) == DB_ROW) {
		double lat = db_col_double(st, 1), lon = db_col_double(st, 2);
		double dist = search_distance_km(q->latitude, q->longitude, lat, lon);
		if (dist > q->radius_km)
			continue;
		list[n] = (struct candidate){ db_col_int64(st, 0), dist, n };
		n++;
	}
	db_reset(st);
	if (!list)
		rc = ERR_NOMEM;
	if (rc < 0) {
		arena_free(scratch);
		return rc;
	}
	if (p->sort == GROUP_SORT_DISTANCE)
		qsort(list, n, sizeof *list, by_distance);
	size_t from = (size_t)(q->page - 1) * GROUP_PAGE_SIZE, count = 0;
	for (size_t i = from; i < n && count < GROUP_PAGE_SIZE; i++, count++) {
		ids[count] = list[i].id;
		km[count] = list[i].km;
	}
	arena_free(scratch);
	*ret_n = count;
	*ret_total = (int64_t)n;
	return 0;
}

/* "?, ?, ?" for n placeholders. */
static void append_placeholders(buf *sql, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_puts(sql, i ? ", ?" : "?");
}

/* Fills the hits' fields for ids (in that order). */
static int load_hits(db *d, arena *a, const int64_t *ids, size_t n, struct group_hit *hits)
{
	buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT id, name, purpose, format, status, access, venue_name, "
		       "venue_address, next_meeting_at FROM peer_group WHERE id IN (");
	append_placeholders(&sql, n);
	buf_puts(&sql, ")");
	db_stmt *st = prepare_composed(d, &sql);
	buf_free(&sql);
	if (!st)
		return ERR_DB;
	for (size_t i = 0; i < n; i++)
		db_bind_int64(st, (int)i + 1, ids[i]);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		for (size_t i = 0; i < n; i++) {
			if (ids[i] != id)
				continue;
			struct group_hit *h = &hits[i];
			h->id = id;
			h->name = arena_strdup(a, db_col_text(st, 1));
			h->purpose = arena_strdup(a, db_col_text(st, 2));
			h->format = arena_strdup(a, db_col_text(st, 3));
			h->status = arena_strdup(a, db_col_text(st, 4));
			h->access = arena_strdup(a, db_col_text(st, 5));
			h->venue_name = text_or_null(a, st, 6);
			h->venue_address = text_or_null(a, st, 7);
			h->next_meeting_at = db_col_int64(st, 8);
		}
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Fills the hits' tags with one query for the page. */
static int load_hit_tags(db *d, arena *a, struct group_hit *hits, size_t n)
{
	buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT gt.group_id, t.id, t.slug, t.name FROM group_tag gt "
		       "JOIN tag t ON t.id = gt.tag_id WHERE gt.group_id IN (");
	append_placeholders(&sql, n);
	buf_puts(&sql, ") ORDER BY t.name, t.id");
	db_stmt *st = prepare_composed(d, &sql);
	buf_free(&sql);
	if (!st)
		return ERR_DB;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(st, (int)i + 1, hits[i].id);
		hits[i].tags = arena_alloc(a, GROUP_TAGS_MAX * sizeof *hits[i].tags);
		hits[i].n_tags = 0;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t gid = db_col_int64(st, 0);
		for (size_t i = 0; i < n; i++) {
			struct group_hit *h = &hits[i];
			if (h->id != gid || !h->tags || h->n_tags == GROUP_TAGS_MAX)
				continue;
			h->tags[h->n_tags++] = (struct tag){ db_col_int64(st, 1),
				arena_strdup(a, db_col_text(st, 2)), arena_strdup(a, db_col_text(st, 3)), 0 };
		}
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int plan_search(db *d, arena *a, const struct group_query *q, struct search_plan *p,
		       herr *e)
{
	memset(p, 0, sizeof *p);
	p->has_words = q->text &&
		db_search_query(db_search_dialect(d), q->text, p->words, sizeof p->words) > 0;
	p->sort = q->sort;
	if (p->sort == GROUP_SORT_RELEVANCE && !p->has_words)
		p->sort = GROUP_SORT_NEXT;
	if (p->sort == GROUP_SORT_DISTANCE && !q->near)
		p->sort = GROUP_SORT_NEXT;
	for (size_t i = 0; i < q->n_tags; i++) {
		struct tag t;
		int rc = tag_find(d, a, q->tags[i], "tag", &t, e);
		if (rc)
			return rc;
		p->tag_ids[p->n_tags++] = t.id;
	}
	if (q->near)
		search_box_around(q->latitude, q->longitude, q->radius_km, &p->box);
	return 0;
}

/* The question, as the search cache knows it: every part of q that
 * decides which groups come back, in order (the words last, with their
 * length, so that no text can pass for another part). */
static const char *search_question(arena *a, const struct group_query *q)
{
	buf key = BUF_INIT;
	buf_printf(&key, "days=%d formats=%d statuses=%d sort=%d page=%d", q->days, q->formats,
		   q->statuses, (int)q->sort, q->page);
	if (q->near)
		buf_printf(&key, " near=%a,%a,%a", q->latitude, q->longitude, q->radius_km);
	for (size_t i = 0; i < q->n_tags; i++)
		buf_printf(&key, " tag%zu:%s", strlen(q->tags[i]), q->tags[i]);
	if (q->text)
		buf_printf(&key, " text%zu:%s", strlen(q->text), q->text);
	const char *ret = key.oom ? NULL : arena_strdup(a, key.data);
	buf_free(&key);
	return ret;
}

/* Whether the index alone can answer q (db_search_rank_listed): words in
 * relevance order, no filter but the statuses, and those the default
 * (forming and active) or all three listed ones. */
static bool answered_by_index(db *d, const struct group_query *q, const struct search_plan *p)
{
	int listed = GROUP_STATUS_FORMING | GROUP_STATUS_ACTIVE;
	return db_backend_of(d) == DB_SQLITE && p->has_words && p->sort == GROUP_SORT_RELEVANCE &&
	       !q->near && !p->n_tags && !q->days && !q->formats &&
	       (q->statuses == listed || q->statuses == (listed | GROUP_STATUS_PAUSED));
}

static int by_rank(const void *x, const void *y)
{
	const struct search_hit *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

struct named_hit {
	double rank;
	const char *name;
	int64_t id;
};

/* The composed statement's order: rank, then name (bytes, as SQLite's
 * BINARY collation), then id. */
static int by_rank_name_id(const void *x, const void *y)
{
	const struct named_hit *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

static bool has_ties(const struct search_hit *hits, size_t first, size_t last)
{
	for (size_t i = first + 1; i < last; i++)
		if (hits[i].rank == hits[i - 1].rank)
			return true;
	return false;
}

/* Puts hits[first, last) in the composed statement's order, reading the
 * names of those groups (the ones that share a rank need them): a lookup
 * by id each, in-process on SQLite (the only backend here), which costs
 * less than a second ranked pass over every match would. */
static int order_ties_by_name(db *d, arena *a, struct search_hit *hits, size_t first, size_t last)
{
	size_t n = last - first;
	struct named_hit *named = arena_alloc(a, n * sizeof *named);
	db_stmt *st = db_prepare(d, "SELECT name FROM peer_group WHERE id = ?");
	if (!named)
		return ERR_NOMEM;
	if (!st)
		return ERR_DB;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(st, 1, hits[first + i].id);
		int rc = db_step(st);
		named[i] = (struct named_hit){ hits[first + i].rank,
			arena_strdup(a, rc == DB_ROW && db_col_text(st, 0) ? db_col_text(st, 0) : ""),
			hits[first + i].id };
		db_reset(st);
		if (rc < 0)
			return rc;
		if (!named[i].name)
			return ERR_NOMEM;
	}
	qsort(named, n, sizeof *named, by_rank_name_id);
	for (size_t i = 0; i < n; i++)
		hits[first + i] = (struct search_hit){ named[i].id, named[i].rank };
	return 0;
}

/* A search the index answers alone: every match is ranked there, and
 * only the groups that could be on the page while sharing a rank with
 * its first or last are read from peer_group, for their names. The same
 * page and total as the composed statement, which joins every match to
 * its row before sorting (at 10,000 groups, 630 matches for one word). */
static int page_from_index(db *d, arena *a, const struct group_query *q,
			   const struct search_plan *p, int64_t *ids, size_t *ret_n,
			   int64_t *ret_total)
{
	struct search_hit *hits;
	size_t n;
	int rc = db_search_rank_listed(d, a, p->words, q->statuses & GROUP_STATUS_PAUSED, &hits, &n);
	if (rc)
		return rc;
	*ret_total = (int64_t)n;
	*ret_n = 0;
	size_t from = (size_t)(q->page - 1) * GROUP_PAGE_SIZE;
	if (from >= n)
		return 0;
	qsort(hits, n, sizeof *hits, by_rank);
	size_t to = from + GROUP_PAGE_SIZE < n ? from + GROUP_PAGE_SIZE : n;
	size_t first = from, last = to;
	while (first > 0 && hits[first - 1].rank == hits[from].rank)
		first--;
	while (last < n && hits[last].rank == hits[to - 1].rank)
		last++;
	if (has_ties(hits, first, last) && (rc = order_ties_by_name(d, a, hits, first, last)))
		return rc;
	for (size_t i = from; i < to; i++)
		ids[(*ret_n)++] = hits[i].id;
	return 0;
}

/* Which groups answer q, in order, and how many in all. */
static int search_answer(db *d, arena *a, const struct group_query *q,
			 const struct search_plan *plan, struct search_answer *ret)
{
	*ret = (struct search_answer){ 0 };
	if (q->near)
		return near_page(d, q, plan, ret->ids, ret->km, &ret->n, &ret->total);
	if (answered_by_index(d, q, plan))
		return page_from_index(d, a, q, plan, ret->ids, &ret->n, &ret->total);
	if (plan->has_words)
		return page_ids(d, q, plan, true, ret->ids, &ret->n, &ret->total);
	int rc = count_matches(d, q, plan, &ret->total);
	if (!rc && ret->total > (int64_t)(q->page - 1) * GROUP_PAGE_SIZE)
		rc = page_ids(d, q, plan, false, ret->ids, &ret->n, &ret->total);
	return rc;
}

_Static_assert(SEARCH_CACHE_IDS == GROUP_PAGE_SIZE, "the cache keeps one page of ids");

int group_search(db *d, arena *a, const struct group_query *q, struct group_results *ret,
		 herr *e)
{
	memset(ret, 0, sizeof *ret);
	struct search_plan plan;
	int rc = plan_search(d, a, q, &plan, e);
	if (rc)
		return rc;
	/* The answer may be shared (search_cache.h); without a generation or a
	 * question it is worked out and not kept. */
	uint64_t generation;
	const char *question = db_data_generation(d, &generation) ? NULL : search_question(a, q);
	struct search_answer found;
	if (!question || !search_cache_get(question, generation, &found)) {
		rc = search_answer(d, a, q, &plan, &found);
		if (!rc && question)
			search_cache_put(question, generation, &found);
	}
	size_t n = found.n;
	ret->total = found.total;
	ret->hits = arena_alloc(a, GROUP_PAGE_SIZE * sizeof *ret->hits);
	if (!rc && !ret->hits)
		rc = ERR_NOMEM;
	if (!rc && n) {
		rc = load_hits(d, a, found.ids, n, ret->hits);
		if (!rc)
			rc = load_hit_tags(d, a, ret->hits, n);
	}
	if (rc)
		return herr_set(e, rc, NULL, "Could not search the groups just now; please try again.");
	for (size_t i = 0; i < n; i++) {
		ret->hits[i].has_distance = q->near;
		ret->hits[i].distance_km = q->near ? found.km[i] : 0;
	}
	ret->n = n;
	ret->page = q->page;
	ret->pages = ret->total ? (int)((ret->total + GROUP_PAGE_SIZE - 1) / GROUP_PAGE_SIZE) : 1;
	return 0;
}

#define REFRESH_MAX 64

int group_refresh_next_meetings(db *d, int max, herr *e)
{
	int64_t ids[REFRESH_MAX];
	int n = 0, rc = 0;
	if (max > REFRESH_MAX)
		max = REFRESH_MAX;
	db_stmt *st = db_prepare(d,
		"SELECT id FROM peer_group WHERE status IN ('forming', 'active') "
		"AND next_meeting_at <= ? LIMIT 64");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the groups.");
	db_bind_int64(st, 1, time_now_ms());
	while (n < max && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int64(st, 0);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the groups.");
	for (int i = 0; i < n; i++)
		if ((rc = meeting_ensure_scheduled(d, ids[i], false, e)))
			return rc;
	return n;
}

int group_search_plan(db *d, arena *a, const struct group_query *q, const char **ret_plan,
		      herr *e)
{
	struct search_plan plan;
	int rc = plan_search(d, a, q, &plan, e);
	if (rc)
		return rc;
	bool sqlite = db_backend_of(d) == DB_SQLITE;
	buf sql = BUF_INIT, out = BUF_INIT;
	struct binds b = { 0 };
	buf_puts(&sql, sqlite ? "EXPLAIN QUERY PLAN SELECT g.id" : "EXPLAIN SELECT g.id");
	if (q->near)
		buf_puts(&sql, ", g.latitude, g.longitude");
	append_from_where(d, q, &plan, &sql, &b);
	append_order(d, &plan, &sql, &b);
	buf_puts(&sql, " LIMIT ?");
	bind_add_int(&b, GROUP_PAGE_SIZE);
	db_stmt *st = prepare_composed(d, &sql);
	buf_free(&sql);
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not explain the search: %s", db_errmsg(d));
	bind_all(st, &b);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *line = db_col_text(st, sqlite ? 3 : 0);
		buf_printf(&out, "%s\n", line ? line : "");
	}
	db_reset(st);
	*ret_plan = out.oom ? NULL : arena_strdup(a, out.data ? out.data : "");
	buf_free(&out);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not explain the search.");
	return *ret_plan ? 0 : herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
}
