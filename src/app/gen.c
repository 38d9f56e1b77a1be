/* gen.c - the load generator (see gen.h): plans a synthetic network in
 * memory from a seed, then writes it through the store in large
 * transactions. Stages, each its own random stream so that one can change
 * without moving the others: tags and organisations, people, groups with
 * their members, then per group its history (meetings and attendance), its
 * agreement, threads and next agenda. */
#include "gen.h"

#include "checkin.h"
#include "demo.h"
#include "instrument.h"
#include "meeting.h"
#include "network.h"
#include "password.h"
#include "schedule.h"

#include "../base/arena.h"
#include "../base/ids.h"
#include "../base/rng.h"
#include "../store/search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)
#define BATCH_ROWS 50000            /* rows per transaction */
#define N_TAGS (sizeof tag_names / sizeof tag_names[0])
#define MAX_OCCURRENCES 200

/* ---- the network's words ----------------------------------------------------- */

static const char *const tag_names[] = {
	"Mental health", "Women only", "Men only", "Maternal mental health", "Young adults",
	"Older people", "LGBTQ+", "Carers", "Bereavement", "Anxiety", "Depression",
	"Bipolar", "Hearing voices", "Eating difficulties", "Self-harm", "Long-term illness",
	"Chronic pain", "Neurodivergent", "Recovery", "Dads", "Refugees and asylum seekers",
	"Creative", "Walking", "Online",
};

static const char *const themes[] = {
	"wellbeing", "peer support", "recovery", "walk and talk", "crafts and chat",
	"coffee and conversation", "hearing voices", "new parents", "carers' circle",
	"bereavement support", "men's shed", "women's circle", "anxiety support",
	"mood support", "creative writing", "gardening",
};

struct town {
	const char *name;
	double lat, lon;
};

static const struct town towns[] = {
	{ "London", 51.507, -0.128 }, { "Birmingham", 52.486, -1.890 },
	{ "Manchester", 53.480, -2.242 }, { "Leeds", 53.801, -1.549 },
	{ "Sheffield", 53.381, -1.470 }, { "Bristol", 51.455, -2.588 },
	{ "Liverpool", 53.408, -2.991 }, { "Newcastle", 54.978, -1.618 },
	{ "Nottingham", 52.954, -1.158 }, { "Leicester", 52.637, -1.135 },
	{ "Glasgow", 55.864, -4.252 }, { "Edinburgh", 55.953, -3.188 },
	{ "Cardiff", 51.481, -3.179 }, { "Swansea", 51.621, -3.944 },
	{ "Belfast", 54.597, -5.930 }, { "Plymouth", 50.376, -4.143 },
	{ "Exeter", 50.718, -3.534 }, { "Norwich", 52.630, 1.297 },
	{ "Cambridge", 52.205, 0.122 }, { "Oxford", 51.752, -1.258 },
	{ "Brighton", 50.822, -0.137 }, { "Southampton", 50.910, -1.404 },
	{ "Hull", 53.746, -0.336 }, { "York", 53.960, -1.087 },
	{ "Aberdeen", 57.150, -2.094 }, { "Dundee", 56.462, -2.971 },
	{ "Inverness", 57.478, -4.225 }, { "Carlisle", 54.893, -2.936 },
	{ "Lancaster", 54.047, -2.801 }, { "Preston", 53.763, -2.703 },
	{ "Stoke-on-Trent", 53.003, -2.179 }, { "Derby", 52.922, -1.477 },
	{ "Coventry", 52.406, -1.520 }, { "Wolverhampton", 52.587, -2.129 },
	{ "Ipswich", 52.057, 1.148 }, { "Canterbury", 51.280, 1.079 },
	{ "Bournemouth", 50.720, -1.880 }, { "Gloucester", 51.864, -2.244 },
	{ "Hereford", 52.056, -2.716 }, { "Lincoln", 53.230, -0.540 },
	{ "Sunderland", 54.906, -1.381 }, { "Middlesbrough", 54.574, -1.235 },
	{ "Bradford", 53.795, -1.759 }, { "Huddersfield", 53.645, -1.785 },
	{ "Blackpool", 53.817, -3.036 }, { "Truro", 50.263, -5.051 },
	{ "Wrexham", 53.046, -2.993 }, { "Bangor", 53.228, -4.129 },
	{ "Stirling", 56.117, -3.936 }, { "Dumfries", 55.070, -3.605 },
};

static const char *const first_names[] = {
	"Amina", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hamza", "Isla", "Jon",
	"Kiran", "Lena", "Mo", "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
	"Uma", "Vik", "Wren", "Yusuf", "Zara", "Alex", "Bea", "Cal", "Dana", "Eli",
};

static const char *const formats[] = { "in_person", "in_person", "in_person", "online", "hybrid" };
static const char *const accesses[] = { "open", "open", "open", "approval", "invite" };
static const char *const facilitations[] = { "peer_led", "peer_led", "co_facilitated", "staff_led" };
static const char *const weekdays[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

static const char *const thread_titles[] = {
	"Anyone walking to the venue from the station?", "Ideas for the summer outing",
	"Something that helped me this week", "Can anyone share a lift on Thursday?",
	"Books and podcasts that helped", "Quiet space at the next meeting?",
};
static const char *const replies[] = {
	"I can do that, see you there.", "Thank you for sharing this.",
	"Same here, it really helps to hear it.", "Count me in.",
	"Happy to help if you need it.", "Lovely idea.",
};
static const char *const agenda_titles[] = {
	"Planning the summer outing", "How we welcome newcomers", "Reviewing our ground rules",
	"Sharing what helped this month", "Choosing a new venue", "A visit from the housing advice service",
};

/* ---- the plan ------------------------------------------------------------------ */

/* The big tables are written through bulk loads (COPY on PostgreSQL), one
 * per table, begun in this order: parents before the tables that refer to
 * them (see db_bulk in db.h). */
enum { BULK_PERSON, BULK_MEMBERSHIP, BULK_MEETING, BULK_ATTENDANCE, BULK_POST, BULK_CONSENT,
       BULK_CHECKIN, BULK_ANSWER, N_BULKS };

static const struct {
	const char *table, *columns;
} bulk_tables[N_BULKS] = {
	[BULK_PERSON] = { "person", "id, email, display_name, password_hash, is_admin, created_at, "
				    "updated_at, password_changed_at" },
	[BULK_MEMBERSHIP] = { "membership", "group_id, person_id, role, status, joined_at, "
					    "created_at, updated_at" },
	[BULK_MEETING] = { "meeting", "id, group_id, occurrence_key, kind, status, starts_at, ends_at, "
				      "facilitated_by_peer, attendance_count, closed_at, created_at, "
				      "updated_at" },
	[BULK_ATTENDANCE] = { "attendance", "meeting_id, person_id, status, newcomer, recorded_by, "
					    "recorded_at" },
	[BULK_POST] = { "post", "id, group_id, thread_id, kind, title, body_md, author_id, reply_count, "
				"last_activity_at, created_at, updated_at" },
	[BULK_CONSENT] = { "checkin_consent", "person_id, take_part, group_learning, network_reports, "
					      "share_with_facilitator, asked_at, changed_at" },
	[BULK_CHECKIN] = { "checkin", "id, person_id, group_id, instrument_id, started_at, updated_at, "
				      "finished_at" },
	[BULK_ANSWER] = { "checkin_answer", "checkin_id, item_id, value" },
};

struct gen_member {
	int32_t person;             /* index into the plan's people */
	float rate;                 /* chance of coming to a meeting */
	int64_t joined_at;
	char role;                  /* 'm' member, 'f' facilitator */
};

struct gen_group {
	int64_t id;
	struct gen_member *members;
	int32_t n, cap;
	int town;                   /* -1: online only */
	int theme;
	char rrule[64];
	char start[32];
	int duration;
	int tags[3];
	int n_tags;
	int format, access, facilitation;
};

struct plan {
	const struct gen_options *o;
	int64_t now, history_from;
	const char *zone;
	char password_hash[PASSWORD_HASH_SIZE];
	int64_t *person_ids;
	int64_t tag_ids[N_TAGS];
	int64_t *org_ids;
	int64_t n_orgs;
	struct gen_group *groups;
	int64_t coordinator_id;
	struct gen_summary *sum;
	int64_t rows_in_batch;
	const struct instrument *rse;   /* the check-ins' questionnaire */
	unsigned char *consent;         /* per person: enum consent_state */
	db_bulk *bulk[N_BULKS];
};

/* Where a person stands with check-ins, decided in the first group met. */
enum consent_state { NOT_ASKED_YET, TAKES_PART, SAID_NO, NEVER_ASKED, CHECKED_IN };

static void progress(const struct plan *p, const char *stage, int64_t done, int64_t total)
{
	if (p->o->progress)
		p->o->progress(stage, done, total, p->o->progress_arg);
}

static int fail(db *d, herr *e, int rc, const char *what)
{
	return herr_set(e, rc ? rc : ERR_DB, NULL, "Could not %s: %s", what, db_errmsg(d));
}

static int step_done(db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Counts a written row; every BATCH_ROWS rows, commits and begins again, so
 * a load of millions of rows takes few transactions but none is huge. */
static int row_written(db *d, struct plan *p)
{
	if (++p->rows_in_batch < BATCH_ROWS)
		return 0;
	p->rows_in_batch = 0;
	int rc = db_commit(d);
	return rc ? rc : db_begin_write(d);
}

/* A skewed group size weight: most groups small, a few large drop-ins. */
static double size_weight(struct rng *r)
{
	return exp(0.8 * rng_normal(r));
}

static void plan_group_shape(struct plan *p, int64_t g, struct rng *r)
{
	struct gen_group *gg = &p->groups[g];
	gg->format = rng_below(r, (int)(sizeof formats / sizeof *formats));
	gg->town = strcmp(formats[gg->format], "online") == 0 ? -1
		 : rng_below(r, (int)(sizeof towns / sizeof *towns));
	gg->theme = rng_below(r, (int)(sizeof themes / sizeof *themes));
	gg->access = rng_below(r, (int)(sizeof accesses / sizeof *accesses));
	gg->facilitation = rng_below(r, (int)(sizeof facilitations / sizeof *facilitations));
	const char *day = RNG_PICK(r, weekdays);
	switch (rng_below(r, 4)) {
	case 0:
		snprintf(gg->rrule, sizeof gg->rrule, "FREQ=WEEKLY;INTERVAL=2;BYDAY=%s", day);
		break;
	case 1:
		snprintf(gg->rrule, sizeof gg->rrule, "FREQ=MONTHLY;BYDAY=%d%s", 1 + rng_below(r, 3), day);
		break;
	default:
		snprintf(gg->rrule, sizeof gg->rrule, "FREQ=WEEKLY;BYDAY=%s", day);
	}
	static const int hours[] = { 10, 11, 13, 14, 18, 19 };
	char date[16];
	schedule_format_local(p->history_from - 7 * DAY_MS, p->zone, "%Y-%m-%d", date, sizeof date);
	snprintf(gg->start, sizeof gg->start, "%sT%02d:%s", date, RNG_PICK(r, hours),
		 rng_chance(r, 0.5) ? "00" : "30");
	gg->duration = rng_chance(r, 0.7) ? 90 : 120;
	gg->n_tags = 1 + rng_below(r, 3);
	for (int k = 0; k < gg->n_tags; k++)
		gg->tags[k] = rng_below(r, (int)N_TAGS);
}

static int add_member(struct gen_group *g, int32_t person, float rate, int64_t joined_at)
{
	for (int32_t i = 0; i < g->n; i++)
		if (g->members[i].person == person)
			return 0;
	if (g->n == g->cap) {
		int32_t cap = g->cap ? g->cap * 2 : 16;
		struct gen_member *m = realloc(g->members, (size_t)cap * sizeof *m);
		if (!m)
			return ERR_NOMEM;
		g->members = m;
		g->cap = cap;
	}
	g->members[g->n++] = (struct gen_member){ person, rate, joined_at, 'm' };
	return 0;
}

/* Puts each person in one to three groups, drawn by the groups' skewed
 * weights (a cumulative table and a binary search). */
static int plan_memberships(struct plan *p)
{
	int64_t ng = p->o->groups;
	double *cum = malloc((size_t)ng * sizeof *cum);
	if (!cum)
		return ERR_NOMEM;
	struct rng r = rng_seeded(p->o->seed, 2);
	double total = 0;
	for (int64_t g = 0; g < ng; g++)
		cum[g] = (total += size_weight(&r));
	int rc = 0;
	for (int64_t i = 0; !rc && i < p->o->members; i++) {
		int n = 1 + rng_chance(&r, 0.3) + rng_chance(&r, 0.1);
		for (int k = 0; !rc && k < n; k++) {
			double x = rng_unit(&r) * total;
			int64_t lo = 0, hi = ng - 1;
			while (lo < hi) {
				int64_t mid = (lo + hi) / 2;
				if (cum[mid] < x)
					lo = mid + 1;
				else
					hi = mid;
			}
			float rate = (float)(0.1 + 0.8 * rng_unit(&r) * rng_unit(&r) + 0.1 * rng_unit(&r));
			int64_t joined = rng_chance(&r, 0.6) ? p->history_from - rng_between(&r, 0, 365) * DAY_MS
							     : rng_between(&r, p->history_from, p->now);
			rc = add_member(&p->groups[lo], (int32_t)i, rate, joined);
		}
	}
	/* The two longest-standing members facilitate. */
	for (int64_t g = 0; g < ng; g++) {
		struct gen_group *gg = &p->groups[g];
		for (int k = 0; k < 2 && k < gg->n; k++) {
			int32_t best = k;
			for (int32_t i = k + 1; i < gg->n; i++)
				if (gg->members[i].joined_at < gg->members[best].joined_at)
					best = i;
			struct gen_member t = gg->members[k];
			gg->members[k] = gg->members[best];
			gg->members[best] = t;
			gg->members[k].role = 'f';
		}
	}
	/* person1 facilitates their first group, so that the benchmarks have
	 * a known login that may record attendance. */
	for (int64_t g = 0; g < ng; g++) {
		struct gen_group *gg = &p->groups[g];
		for (int32_t i = 0; i < gg->n; i++)
			if (gg->members[i].person == 0) {
				gg->members[i].role = 'f';
				g = ng;
				break;
			}
	}
	free(cum);
	return rc;
}

/* ---- writing ------------------------------------------------------------------- */

static int write_tags_and_organisations(db *d, struct plan *p, herr *e)
{
	int64_t now = p->now;
	for (size_t t = 0; t < N_TAGS; t++) {
		char slug[64];
		size_t k = 0;
		for (const char *c = tag_names[t]; *c && k + 1 < sizeof slug; c++)
			if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
				slug[k++] = *c;
			else if (*c >= 'A' && *c <= 'Z')
				slug[k++] = (char)(*c - 'A' + 'a');
			else if (k && slug[k - 1] != '-')
				slug[k++] = '-';
		slug[k] = '\0';
		db_stmt *st = db_prepare(d, "INSERT INTO tag (id, slug, name, created_at) VALUES (?, ?, ?, ?)");
		if (!st)
			return fail(d, e, ERR_DB, "save the tags");
		p->tag_ids[t] = id_new();
		db_bind_int64(st, 1, p->tag_ids[t]);
		db_bind_text(st, 2, slug);
		db_bind_text(st, 3, tag_names[t]);
		db_bind_int64(st, 4, now);
		int rc = step_done(st);
		if (rc)
			return fail(d, e, rc, "save the tags");
	}
	p->n_orgs = p->o->groups / 40 + 1;
	p->org_ids = calloc((size_t)p->n_orgs, sizeof *p->org_ids);
	if (!p->org_ids)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	for (int64_t i = 0; i < p->n_orgs; i++) {
		char name[96];
		snprintf(name, sizeof name, "%s Peer Support Trust %lld",
			 towns[i % (int64_t)(sizeof towns / sizeof *towns)].name, (long long)i + 1);
		db_stmt *st = db_prepare(d,
			"INSERT INTO organisation (id, name, description, is_host, created_at, updated_at) "
			"VALUES (?, ?, ?, 1, ?, ?)");
		if (!st)
			return fail(d, e, ERR_DB, "save the organisations");
		p->org_ids[i] = id_new();
		db_bind_int64(st, 1, p->org_ids[i]);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, "A community organisation that hosts peer support groups.");
		db_bind_int64(st, 4, now);
		db_bind_int64(st, 5, now);
		int rc = step_done(st);
		if (rc)
			return fail(d, e, rc, "save the organisations");
	}
	return 0;
}

static int insert_person(struct plan *p, int64_t id, const char *email, const char *name,
			 int64_t since)
{
	db_bulk *b = p->bulk[BULK_PERSON];
	db_bulk_int64(b, id);
	db_bulk_text(b, email);
	db_bulk_text(b, name);
	db_bulk_text(b, p->password_hash);
	db_bulk_int64(b, 0);
	db_bulk_int64(b, since);
	db_bulk_int64(b, since);
	db_bulk_int64(b, since);
	return db_bulk_row_end(b);
}

static int write_people(db *d, struct plan *p, herr *e)
{
	struct rng r = rng_seeded(p->o->seed, 3);
	p->coordinator_id = id_new();
	int rc = insert_person(p, p->coordinator_id, "gen@" GEN_EMAIL_DOMAIN, "Generated coordinator",
			       p->history_from);
	if (!rc) {
		db_stmt *st = db_prepare(d, "INSERT INTO person_role (person_id, role) VALUES (?, 'coordinator')");
		if (!st)
			return fail(d, e, ERR_DB, "save the coordinator");
		db_bind_int64(st, 1, p->coordinator_id);
		rc = step_done(st);
	}
	for (int64_t i = 0; !rc && i < p->o->members; i++) {
		char email[64], name[64];
		snprintf(email, sizeof email, "person%lld@" GEN_EMAIL_DOMAIN, (long long)i + 1);
		snprintf(name, sizeof name, "%s %c.", RNG_PICK(&r, first_names), 'A' + rng_below(&r, 26));
		p->person_ids[i] = id_new();
		rc = insert_person(p, p->person_ids[i], email, name,
				   p->history_from - rng_between(&r, 0, 400) * DAY_MS);
		if (!rc)
			rc = row_written(d, p);
		if (i % 100000 == 0)
			progress(p, "people", i, p->o->members);
	}
	p->sum->people = p->o->members + 1;
	return rc ? fail(d, e, rc, "save the people") : 0;
}

static int write_group_row(db *d, struct plan *p, int64_t g, struct rng *r, herr *e)
{
	struct gen_group *gg = &p->groups[g];
	char name[128], purpose[400], venue[96], address[160];
	const char *town = gg->town >= 0 ? towns[gg->town].name : "Online";
	snprintf(name, sizeof name, "%s %s group %lld", town, themes[gg->theme], (long long)g + 1);
	name[0] = (char)(name[0] >= 'a' && name[0] <= 'z' ? name[0] - 32 : name[0]);
	snprintf(purpose, sizeof purpose,
		 "A peer-led %s group in %s: we meet to share what helps, listen to each other "
		 "and find our way together. Everyone is welcome as they are.",
		 themes[gg->theme], town);
	snprintf(venue, sizeof venue, "%s Community Centre", town);
	snprintf(address, sizeof address, "%d High Street, %s", 1 + rng_below(r, 200), town);
	bool in_person = gg->town >= 0;
	double lat = in_person ? towns[gg->town].lat + (rng_unit(r) - 0.5) * 0.1 : 0;
	double lon = in_person ? towns[gg->town].lon + (rng_unit(r) - 0.5) * 0.15 : 0;
	struct schedule s = { gg->rrule, gg->start, gg->duration, p->zone };
	db_stmt *st = db_prepare(d,
		"INSERT INTO peer_group (id, name, purpose, who_for, format, access, facilitation, status, "
		"venue_name, venue_address, latitude, longitude, online_link, rrule, schedule_start, "
		"duration_minutes, meeting_days, host_org_id, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return fail(d, e, ERR_DB, "save a group");
	gg->id = id_new();
	db_bind_int64(st, 1, gg->id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, purpose);
	db_bind_text(st, 4, "Anyone who would like peer support.");
	db_bind_text(st, 5, formats[gg->format]);
	db_bind_text(st, 6, accesses[gg->access]);
	db_bind_text(st, 7, facilitations[gg->facilitation]);
	if (in_person) {
		db_bind_text(st, 8, venue);
		db_bind_text(st, 9, address);
		db_bind_double(st, 10, lat);
		db_bind_double(st, 11, lon);
	} else {
		db_bind_null(st, 8);
		db_bind_null(st, 9);
		db_bind_null(st, 10);
		db_bind_null(st, 11);
	}
	if (strcmp(formats[gg->format], "in_person") != 0)
		db_bind_text(st, 12, "https://meet.example.org/hearth-gen");
	else
		db_bind_null(st, 12);
	db_bind_text(st, 13, gg->rrule);
	db_bind_text(st, 14, gg->start);
	db_bind_int64(st, 15, gg->duration);
	db_bind_int64(st, 16, schedule_weekdays(&s));
	db_bind_int64(st, 17, p->org_ids[g % p->n_orgs]);
	db_bind_int64(st, 18, p->history_from - 30 * DAY_MS);
	db_bind_int64(st, 19, p->history_from - 30 * DAY_MS);
	int rc = step_done(st);
	if (!rc) rc = db_search_place_group(d, gg->id, formats[gg->format], "active", in_person, lat, lon);
	for (int k = 0; !rc && k < gg->n_tags; k++) {
		bool repeat = false;
		for (int j = 0; j < k; j++)
			repeat |= gg->tags[j] == gg->tags[k];
		if (repeat)
			continue;
		db_stmt *t = db_prepare(d, "INSERT INTO group_tag (group_id, tag_id) VALUES (?, ?)");
		if (!t)
			return fail(d, e, ERR_DB, "tag a group");
		db_bind_int64(t, 1, gg->id);
		db_bind_int64(t, 2, p->tag_ids[gg->tags[k]]);
		rc = step_done(t);
	}
	if (!rc) {
		char place[300];
		snprintf(place, sizeof place, "%s %s%s", in_person ? venue : "", in_person ? address : "",
			 strcmp(formats[gg->format], "in_person") != 0 ? " online" : "");
		rc = db_search_index_group(d, gg->id, name, purpose, "Anyone who would like peer support.",
					   place);
	}
	return rc ? fail(d, e, rc, "save a group") : 0;
}

static int write_memberships(db *d, struct plan *p, int64_t g, herr *e)
{
	struct gen_group *gg = &p->groups[g];
	int rc = 0;
	for (int32_t i = 0; !rc && i < gg->n; i++) {
		const struct gen_member *m = &gg->members[i];
		db_bulk *b = p->bulk[BULK_MEMBERSHIP];
		db_bulk_int64(b, gg->id);
		db_bulk_int64(b, p->person_ids[m->person]);
		db_bulk_text(b, m->role == 'f' ? "facilitator" : "member");
		db_bulk_text(b, "active");
		db_bulk_int64(b, m->joined_at);
		db_bulk_int64(b, m->joined_at);
		db_bulk_int64(b, m->joined_at);
		if (!(rc = db_bulk_row_end(b)))
			rc = row_written(d, p);
	}
	p->sum->memberships += gg->n;
	return rc ? fail(d, e, rc, "save the memberships") : 0;
}

static int64_t facilitator_of(const struct plan *p, const struct gen_group *gg)
{
	return gg->n ? p->person_ids[gg->members[0].person] : p->coordinator_id;
}

/* Who came to one meeting: 'p' present, 'a' apologies, 0 not recorded
 * (members who had not joined yet are never recorded). Returns how many came. */
static int decide_attendance(const struct gen_group *gg, const struct occurrence *o, struct rng *r,
			     char *status)
{
	int present = 0;
	for (int32_t i = 0; i < gg->n; i++) {
		const struct gen_member *m = &gg->members[i];
		status[i] = 0;
		if (m->joined_at > o->starts_at)
			continue;
		if (rng_chance(r, m->rate))
			status[i] = 'p', present++;
		else if (rng_chance(r, 0.15))
			status[i] = 'a';
	}
	return present;
}

static int insert_closed_meeting(struct plan *p, const struct gen_group *gg, int64_t id,
				 const struct occurrence *o, int present)
{
	db_bulk *b = p->bulk[BULK_MEETING];
	db_bulk_int64(b, id);
	db_bulk_int64(b, gg->id);
	db_bulk_text(b, o->key);
	db_bulk_text(b, "scheduled");
	db_bulk_text(b, "closed");
	db_bulk_int64(b, o->starts_at);
	db_bulk_int64(b, o->ends_at);
	db_bulk_int64(b, 1);
	db_bulk_int64(b, present);
	db_bulk_int64(b, o->ends_at + 3600000);
	db_bulk_int64(b, o->starts_at - 28 * DAY_MS);
	db_bulk_int64(b, o->ends_at + 3600000);
	return db_bulk_row_end(b);
}

/* One held, closed meeting of the group's history and who came. */
static int write_past_meeting(db *d, struct plan *p, struct gen_group *gg, const struct occurrence *o,
			      struct rng *r, char *status, herr *e)
{
	int64_t id = id_new(), recorder = facilitator_of(p, gg);
	int present = decide_attendance(gg, o, r, status);
	int rc = insert_closed_meeting(p, gg, id, o, present);
	if (rc || (rc = row_written(d, p)))
		return fail(d, e, rc, "save a meeting");
	p->sum->meetings++;
	for (int32_t i = 0; !rc && i < gg->n; i++) {
		if (!status[i])
			continue;
		db_bulk *b = p->bulk[BULK_ATTENDANCE];
		db_bulk_int64(b, id);
		db_bulk_int64(b, p->person_ids[gg->members[i].person]);
		db_bulk_text(b, status[i] == 'p' ? "present" : "apologies");
		db_bulk_int64(b, 0);
		db_bulk_int64(b, recorder);
		db_bulk_int64(b, o->ends_at + 3600000);
		if (!(rc = db_bulk_row_end(b)))
			rc = row_written(d, p);
		p->sum->attendance++;
	}
	return rc ? fail(d, e, rc, "save the attendance") : 0;
}

static int write_history(db *d, struct plan *p, struct gen_group *gg, struct rng *r, herr *e)
{
	struct schedule s = { gg->rrule, gg->start, gg->duration, p->zone };
	struct occurrence occ[MAX_OCCURRENCES];
	int n = schedule_expand(&s, p->history_from, p->now - 3 * 3600000, occ, MAX_OCCURRENCES, e);
	if (n < 0)
		return n;
	char *status = malloc(gg->n ? (size_t)gg->n : 1);
	if (!status)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int rc = 0;
	for (int i = 0; !rc && i < n; i++)
		rc = write_past_meeting(d, p, gg, &occ[i], r, status, e);
	free(status);
	return rc;
}

static int write_agreement(db *d, struct plan *p, struct gen_group *gg, herr *e)
{
	static const char aims[] =
		"To meet as equals, share what helps and support each other between meetings.";
	static const char rules[] =
		"There is space for everyone to speak.\n"
		"Share only what you are comfortable with, and keep others' stories in the room.\n"
		"Challenge the view, not the person.\n"
		"It is fine to step out at any time.";
	int64_t at = p->history_from;
	db_stmt *st = db_prepare(d,
		"INSERT INTO group_agreement (group_id, version, aims, rules, value_ids, threshold, "
		"updated_at) VALUES (?, 1, ?, ?, '1,2,3,4,5,6', 3, ?)");
	if (!st)
		return fail(d, e, ERR_DB, "save an agreement");
	db_bind_int64(st, 1, gg->id);
	db_bind_text(st, 2, aims);
	db_bind_text(st, 3, rules);
	db_bind_int64(st, 4, at);
	int rc = step_done(st);
	if (!rc) {
		if (!(st = db_prepare(d,
			"INSERT INTO agreement_version (group_id, version, aims, rules, value_ids, change_note, "
			"ratified_by, ratified_at) VALUES (?, 1, ?, ?, '1,2,3,4,5,6', ?, ?, ?)")))
			return fail(d, e, ERR_DB, "save an agreement");
		db_bind_int64(st, 1, gg->id);
		db_bind_text(st, 2, aims);
		db_bind_text(st, 3, rules);
		db_bind_text(st, 4, "Our first agreement.");
		db_bind_int64(st, 5, facilitator_of(p, gg));
		db_bind_int64(st, 6, at);
		rc = step_done(st);
	}
	if (rc)
		return fail(d, e, rc, "save an agreement");
	p->sum->agreements++;
	return 0;
}

static int insert_post(struct plan *p, int64_t id, int64_t group_id, int64_t thread_id,
		       const char *kind, const char *title, const char *body, int64_t author,
		       int replies_n, int64_t at)
{
	db_bulk *b = p->bulk[BULK_POST];
	db_bulk_int64(b, id);
	db_bulk_int64(b, group_id);
	if (thread_id)
		db_bulk_int64(b, thread_id);
	else
		db_bulk_null(b);
	db_bulk_text(b, kind);
	db_bulk_text(b, title);
	db_bulk_text(b, body);
	db_bulk_int64(b, author);
	db_bulk_int64(b, replies_n);
	db_bulk_int64(b, at);
	db_bulk_int64(b, at);
	db_bulk_int64(b, at);
	return db_bulk_row_end(b);
}

/* A few threads, each with a few replies from other members. */
static int write_threads(db *d, struct plan *p, struct gen_group *gg, struct rng *r, herr *e)
{
	if (!gg->n)
		return 0;
	int threads = rng_below(r, 4), rc = 0;
	for (int t = 0; !rc && t < threads; t++) {
		int64_t thread = id_new(), at = rng_between(r, p->history_from, p->now - DAY_MS);
		int n_replies = rng_below(r, 5);
		const char *title = RNG_PICK(r, thread_titles);
		rc = insert_post(p, thread, gg->id, 0, rng_chance(r, 0.3) ? "ask" : "discussion", title,
				 "I wondered what everyone thought about this.",
				 p->person_ids[gg->members[rng_below(r, gg->n)].person], n_replies, at);
		for (int k = 0; !rc && k < n_replies; k++)
			rc = insert_post(p, id_new(), gg->id, thread, "reply", NULL, RNG_PICK(r, replies),
					 p->person_ids[gg->members[rng_below(r, gg->n)].person], 0,
					 at + (k + 1) * 3600000LL);
		p->sum->posts += 1 + n_replies;
	}
	return rc ? fail(d, e, rc, "save a thread") : 0;
}

/* Member-proposed items for the group's next meeting. */
static int write_next_agenda(db *d, struct plan *p, struct gen_group *gg, struct rng *r, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT id FROM meeting WHERE group_id = ? AND status = 'scheduled' AND starts_at > ? "
		"ORDER BY starts_at LIMIT 1");
	if (!q)
		return fail(d, e, ERR_DB, "find the next meeting");
	db_bind_int64(q, 1, gg->id);
	db_bind_int64(q, 2, p->now);
	int rc = db_step(q);
	int64_t meeting = rc == DB_ROW ? db_col_int64(q, 0) : 0;
	db_reset(q);
	if (rc < 0)
		return fail(d, e, rc, "find the next meeting");
	int items = meeting && gg->n ? rng_below(r, 4) : 0;
	for (int k = 0; k < items; k++) {
		db_stmt *st = db_prepare(d,
			"INSERT INTO agenda_item (id, meeting_id, group_id, title, why, proposer_id, "
			"position, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)");
		if (!st)
			return fail(d, e, ERR_DB, "save an agenda item");
		db_bind_int64(st, 1, id_new());
		db_bind_int64(st, 2, meeting);
		db_bind_int64(st, 3, gg->id);
		db_bind_text(st, 4, RNG_PICK(r, agenda_titles));
		db_bind_text(st, 5, "A few of us talked about this last time.");
		db_bind_int64(st, 6, p->person_ids[gg->members[rng_below(r, gg->n)].person]);
		db_bind_int64(st, 7, k + 1);
		db_bind_int64(st, 8, p->now - DAY_MS);
		db_bind_int64(st, 9, p->now - DAY_MS);
		if ((rc = step_done(st)))
			return fail(d, e, rc, "save an agenda item");
		p->sum->agenda_items++;
	}
	return 0;
}

/* ---- check-ins ------------------------------------------------------------- */

#define CHECKIN_EVERY_DAYS 42

static int write_offering(db *d, struct plan *p, const struct gen_group *gg)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO checkin_offering (id, group_id, instrument_id, at_joining, every_weeks, "
		"created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id_new());
	db_bind_int64(st, 2, gg->id);
	db_bind_text(st, 3, p->rse->id);
	db_bind_int64(st, 4, CHECKIN_EVERY_DAYS / 7);
	db_bind_int64(st, 5, p->history_from);
	db_bind_int64(st, 6, p->history_from);
	return step_done(st);
}

static int write_consent(struct plan *p, int64_t person_id, bool yes, struct rng *r, int64_t at)
{
	db_bulk *b = p->bulk[BULK_CONSENT];
	db_bulk_int64(b, person_id);
	db_bulk_bool(b, yes);
	db_bulk_bool(b, yes && rng_chance(r, 0.85));
	db_bulk_bool(b, yes && rng_chance(r, 0.7));
	db_bulk_bool(b, yes && rng_chance(r, 0.2));
	db_bulk_int64(b, at);
	db_bulk_int64(b, at);
	return db_bulk_row_end(b);
}

static int write_checkin(db *d, struct plan *p, const struct gen_group *gg, int64_t person_id,
			 int64_t at, double level, struct rng *r)
{
	int64_t id = id_new();
	db_bulk *b = p->bulk[BULK_CHECKIN];
	db_bulk_int64(b, id);
	db_bulk_int64(b, person_id);
	db_bulk_int64(b, gg->id);
	db_bulk_text(b, p->rse->id);
	db_bulk_int64(b, at);
	db_bulk_int64(b, at + 300000);
	db_bulk_int64(b, at + 300000);
	int rc = db_bulk_row_end(b);
	for (size_t i = 0; !rc && i < p->rse->n_items; i++) {
		b = p->bulk[BULK_ANSWER];
		db_bulk_int64(b, id);
		db_bulk_text(b, p->rse->items[i].id);
		db_bulk_int64(b, instrument_answer_at_level(p->rse, i, level + 0.125 * rng_normal(r)));
		if (!(rc = db_bulk_row_end(b)))
			rc = row_written(d, p);
		p->sum->checkin_answers++;
	}
	p->sum->checkins++;
	return rc;
}

/* One member's check-ins every six weeks from when they joined (or the
 * start of the history), with a believable course: most much the same,
 * many a little better, some worse. */
static int write_member_checkins(db *d, struct plan *p, const struct gen_group *gg,
				 const struct gen_member *m, struct rng *r)
{
	double level = 0.35 + 0.3 * rng_unit(r), kind = rng_unit(r);
	double gain = kind < 0.45 ? 0.1 + 0.15 * rng_unit(r) : kind < 0.85 ? 0 : -0.1 * rng_unit(r);
	int64_t from = m->joined_at > p->history_from ? m->joined_at : p->history_from;
	from += rng_between(r, 0, 14) * DAY_MS;
	int64_t span = p->now - from;
	int rc = 0;
	for (int64_t t = from; !rc && t < p->now - DAY_MS; t += CHECKIN_EVERY_DAYS * DAY_MS)
		rc = write_checkin(d, p, gg, p->person_ids[m->person], t,
				   level + gain * (double)(t - from) / (double)(span ? span : 1), r);
	return rc;
}

/* Consent is asked once per person, in the first of their groups met here;
 * those who take part check in with that group. */
static int write_checkins(db *d, struct plan *p, const struct gen_group *gg, struct rng *r, herr *e)
{
	if (!p->rse)
		return 0;
	int rc = write_offering(d, p, gg);
	for (int32_t i = 0; !rc && i < gg->n; i++) {
		const struct gen_member *m = &gg->members[i];
		unsigned char *state = &p->consent[m->person];
		if (*state == NOT_ASKED_YET) {
			double x = rng_unit(r);
			*state = x < 0.3 ? TAKES_PART : x < 0.45 ? SAID_NO : NEVER_ASKED;
			if (*state != NEVER_ASKED)
				rc = write_consent(p, p->person_ids[m->person], *state == TAKES_PART, r,
						   m->joined_at > p->history_from ? m->joined_at : p->history_from);
			if (!rc && *state == TAKES_PART) {
				rc = write_member_checkins(d, p, gg, m, r);
				*state = CHECKED_IN;
			}
		}
	}
	return rc ? fail(d, e, rc, "save the check-ins") : 0;
}

static int write_group(db *d, struct plan *p, int64_t g, herr *e)
{
	struct gen_group *gg = &p->groups[g];
	struct rng r = rng_seeded(p->o->seed, 1000 + (uint64_t)g);
	int rc = write_group_row(d, p, g, &r, e);
	if (!rc) rc = write_memberships(d, p, g, e);
	if (!rc) rc = write_history(d, p, gg, &r, e);
	if (!rc && (rc = db_bulk_send_unsent(d)))
		rc = fail(d, e, rc, "save a group's members, meetings and attendance");
	if (!rc) rc = meeting_ensure_scheduled(d, gg->id, true, e);
	if (!rc) rc = write_agreement(d, p, gg, e);
	if (!rc) rc = write_threads(d, p, gg, &r, e);
	if (!rc) rc = write_next_agenda(d, p, gg, &r, e);
	if (!rc) rc = write_checkins(d, p, gg, &r, e);
	if (!rc) rc = row_written(d, p) ? fail(d, e, ERR_DB, "save a group") : 0;
	p->sum->groups++;
	return rc;
}

/* ---- the build ------------------------------------------------------------------ */

int gen_check_options(const struct gen_options *o, herr *e)
{
	if (o->groups < 1 || o->groups > 100000)
		return herr_set(e, ERR_INVALID, "groups", "--groups must be between 1 and 100000.");
	if (o->members < 1 || o->members > 10000000)
		return herr_set(e, ERR_INVALID, "members", "--members must be between 1 and 10000000.");
	if (o->months < 0 || o->months > 36)
		return herr_set(e, ERR_INVALID, "months", "--months must be between 0 and 36.");
	if (!o->password || strlen(o->password) < 8)
		return herr_set(e, ERR_INVALID, "password", "The password must have at least 8 characters.");
	return 0;
}

static void free_plan(struct plan *p)
{
	if (p->groups)
		for (int64_t g = 0; g < p->o->groups; g++)
			free(p->groups[g].members);
	free(p->groups);
	free(p->person_ids);
	free(p->org_ids);
	free(p->consent);
}

static int plan_network(struct plan *p, herr *e)
{
	p->groups = calloc((size_t)p->o->groups, sizeof *p->groups);
	p->person_ids = calloc((size_t)p->o->members, sizeof *p->person_ids);
	p->consent = calloc((size_t)p->o->members, 1);
	p->rse = instrument_find("rosenberg-self-esteem");
	if (!p->groups || !p->person_ids || !p->consent)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory planning the network.");
	struct rng r = rng_seeded(p->o->seed, 1);
	for (int64_t g = 0; g < p->o->groups; g++)
		plan_group_shape(p, g, &r);
	if (plan_memberships(p))
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory planning the memberships.");
	return password_hash(p->o->password, p->password_hash, e);
}

/* A load that can be rerun needs no durability until it is done: SQLite
 * stops syncing for this connection (and keeps more pages in memory), and
 * PostgreSQL stops waiting for the WAL flush on commit. */
static int relax_durability(db *d)
{
	return db_exec_script(d, db_backend_of(d) == DB_POSTGRES
		? "SET synchronous_commit = off"
		: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144");
}

static int begin_bulks(db *d, struct plan *p, herr *e)
{
	for (int i = 0; i < N_BULKS; i++)
		if (!(p->bulk[i] = db_bulk_begin(d, bulk_tables[i].table, bulk_tables[i].columns)))
			return fail(d, e, ERR_DB, "prepare the database for a load");
	return 0;
}

/* Sends the rows not sent yet and ends the bulk loads (after a failure,
 * only ends them); returns rc, or the first failure when rc is 0. */
static int finish_bulks(struct plan *p, int rc)
{
	for (int i = 0; i < N_BULKS; i++) {
		int r = db_bulk_finish(p->bulk[i]);
		p->bulk[i] = NULL;
		if (!rc)
			rc = r;
	}
	return rc;
}

static int write_network(db *d, struct plan *p, herr *e)
{
	int rc = relax_durability(d);
	if (rc)
		return fail(d, e, rc, "prepare the database for a load");
	rc = db_begin_write(d);
	if (rc)
		return fail(d, e, rc, "start writing");
	rc = begin_bulks(d, p, e);
	if (!rc) rc = write_tags_and_organisations(d, p, e);
	if (!rc) rc = write_people(d, p, e);
	for (int64_t g = 0; !rc && g < p->o->groups; g++) {
		rc = write_group(d, p, g, e);
		if (g % 500 == 0)
			progress(p, "groups", g, p->o->groups);
	}
	if (!rc && (rc = finish_bulks(p, 0)))
		rc = fail(d, e, rc, "finish writing");
	if (!rc && (rc = db_commit(d)))
		rc = fail(d, e, rc, "finish writing");
	if (rc) {
		db_rollback(d);
		finish_bulks(p, rc);
	}
	return rc;
}

int gen_build(db *d, const struct gen_options *o, struct gen_summary *ret, herr *e)
{
	int rc = gen_check_options(o, e);
	if (rc)
		return rc;
	rc = demo_database_in_use(d, e);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return herr_set(e, ERR_CONFLICT, NULL,
				"The database already holds people or groups; the generator needs a fresh one.");
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	memset(ret, 0, sizeof *ret);
	struct plan p = { .o = o, .sum = ret, .now = time_now_ms() };
	p.history_from = p.now - (int64_t)o->months * 30 * DAY_MS;
	p.zone = network_time_zone(d, a);
	rc = plan_network(&p, e);
	if (!rc)
		rc = write_network(d, &p, e);
	if (!rc)   /* the check-ins went in by bulk load, without their scores */
		rc = checkin_scores_fill(d, e);
	free_plan(&p);
	arena_free(a);
	return rc;
}
