/* decision.c - a group's decisions: which ballots are valid for each kind
 * and the tally of those cast (pure: no I/O, no allocation), then opening,
 * voting, closing and the outcome in the database (see decision.h for how
 * anonymous ballots are kept apart from people). */
#include "decision.h"

#include "../base/ids.h"
#include "../base/utf8.h"
#include "network.h"
#include "schedule.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "proposal", "sense_check", "time_poll", "dot_vote" };

static const char *const proposal_names[] = { "agree", "abstain", "disagree", "block" };
static const char *const proposal_labels[] = { "Agree", "Abstain", "Disagree", "Block" };
static const char *const sense_names[] = { "happy", "concerns", "cant" };
static const char *const sense_labels[] = { "Happy", "Have concerns", "Can't go along" };
static const char *const poll_names[] = { "yes", "if_need_be", "no" };
static const char *const poll_labels[] = { "Yes", "If need be", "No" };

const char *decision_kind_name(enum decision_kind k)
{
	return (unsigned)k < 4 ? kind_names[k] : "proposal";
}

int decision_kind_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

/* How many answers a single-answer kind has; 3 marks for a time poll. */
static int answers_of(enum decision_kind k)
{
	return k == DECISION_PROPOSAL ? 4 : 3;
}

static const char *answer_from(const char *const names[], const char *const labels[],
			       bool label, enum decision_kind k, int i)
{
	(void)k;
	return label ? labels[i] : names[i];
}

static const char *answer_text(enum decision_kind k, int i, bool label)
{
	if (i < 0 || i >= answers_of(k) || k == DECISION_DOT_VOTE)
		return "";
	if (k == DECISION_PROPOSAL)
		return answer_from(proposal_names, proposal_labels, label, k, i);
	if (k == DECISION_SENSE_CHECK)
		return answer_from(sense_names, sense_labels, label, k, i);
	return answer_from(poll_names, poll_labels, label, k, i);
}

const char *decision_answer_name(enum decision_kind k, int i)
{
	return answer_text(k, i, false);
}

const char *decision_answer_label(enum decision_kind k, int i)
{
	return answer_text(k, i, true);
}

size_t decision_rows_of(const struct decision_rules *rules)
{
	if (rules->kind == DECISION_PROPOSAL || rules->kind == DECISION_SENSE_CHECK)
		return (size_t)answers_of(rules->kind);
	return rules->n_options > DECISION_ROWS_MAX ? DECISION_ROWS_MAX : rules->n_options;
}

/* Characters (not bytes) of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int check_single_answer(const struct decision_rules *rules, const struct decision_ballot *b,
			       herr *e)
{
	int answers = answers_of(rules->kind);
	if (b->n_marks != 1 || b->marks[0] < 0 || b->marks[0] >= answers)
		return herr_set(e, ERR_INVALID, "answer", "Choose one of the %d answers.", answers);
	if (rules->kind == DECISION_PROPOSAL && b->marks[0] == PROPOSAL_BLOCK &&
	    rules->block_needs_reason && (!b->reason || !*b->reason))
		return herr_set(e, ERR_INVALID, "reason",
				"This decision asks for a reason with a block: say why you block it, "
				"so the group can work on it.");
	return 0;
}

static int check_marks(const struct decision_rules *rules, const struct decision_ballot *b, herr *e)
{
	if (b->n_marks != rules->n_options || rules->n_options == 0)
		return herr_set(e, ERR_INVALID, "marks",
				"Mark each of the %zu options.", rules->n_options);
	int dots = 0;
	for (size_t i = 0; i < b->n_marks; i++) {
		int m = b->marks[i];
		if (rules->kind == DECISION_TIME_POLL && (m < 0 || m > POLL_NO))
			return herr_set(e, ERR_INVALID, "marks",
					"Mark option %zu yes, if need be or no.", i + 1);
		if (rules->kind == DECISION_DOT_VOTE && (m < 0 || m > rules->dots))
			return herr_set(e, ERR_INVALID, "marks",
					"Put from 0 to %d dots on option %zu.", rules->dots, i + 1);
		dots += m;
	}
	if (rules->kind == DECISION_DOT_VOTE && dots > rules->dots)
		return herr_set(e, ERR_INVALID, "marks",
				"You have %d dots to spread, and placed %d: take some off.",
				rules->dots, dots);
	return 0;
}

int decision_ballot_check(const struct decision_rules *rules, const struct decision_ballot *b,
			  herr *e)
{
	if (!b->marks && b->n_marks)
		return herr_set(e, ERR_INVALID, "answer", "Choose an answer.");
	if (b->reason && utf8_chars(b->reason) > DECISION_REASON_MAX)
		return herr_set(e, ERR_INVALID, "reason",
				"Keep the reason to %d characters.", DECISION_REASON_MAX);
	if (rules->kind == DECISION_PROPOSAL || rules->kind == DECISION_SENSE_CHECK)
		return check_single_answer(rules, b, e);
	if (rules->kind == DECISION_TIME_POLL || rules->kind == DECISION_DOT_VOTE)
		return check_marks(rules, b, e);
	return herr_set(e, ERR_INVALID, "kind", "Unknown kind of decision.");
}

static void count_ballot(const struct decision_rules *rules, const struct decision_ballot *b,
			 struct decision_tally *t)
{
	if (rules->kind == DECISION_PROPOSAL || rules->kind == DECISION_SENSE_CHECK) {
		t->rows[b->marks[0]].counts[0]++;
		t->rows[b->marks[0]].score++;
		return;
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		if (rules->kind == DECISION_TIME_POLL) {
			t->rows[i].counts[b->marks[i]]++;
			t->rows[i].score += b->marks[i] == POLL_YES ? 2 : b->marks[i] == POLL_IF_NEED_BE;
		} else {
			t->rows[i].counts[0] += b->marks[i];
			t->rows[i].score += b->marks[i];
		}
	}
}

/* The row with the strictly highest score above zero, else -1. */
static int leading_row(const struct decision_tally *t)
{
	int best = -1, best_score = 0;
	bool tie = false;
	for (size_t i = 0; i < t->n_rows; i++) {
		if (t->rows[i].score > best_score) {
			best = (int)i;
			best_score = t->rows[i].score;
			tie = false;
		} else if (t->rows[i].score == best_score && best_score > 0)
			tie = true;
	}
	return tie ? -1 : best;
}

void decision_tally(const struct decision_rules *rules, const struct decision_ballot *ballots,
		    size_t n, struct decision_tally *ret, struct decision_reason *reasons)
{
	memset(ret, 0, sizeof *ret);
	ret->leading = -1;
	bool hidden = rules->hide_results && !rules->closed;
	for (size_t i = 0; i < n; i++)
		if (decision_ballot_check(rules, &ballots[i], NULL) == 0)
			ret->voters++;
	if (hidden) {
		ret->hidden = true;
		return;
	}
	ret->n_rows = decision_rows_of(rules);
	for (size_t i = 0; i < n; i++) {
		const struct decision_ballot *b = &ballots[i];
		if (decision_ballot_check(rules, b, NULL))
			continue;
		count_ballot(rules, b, ret);
		if (reasons && b->reason && *b->reason) {
			reasons[ret->n_reasons++] = (struct decision_reason){
				.answer = b->n_marks == 1 ? b->marks[0] : -1,
				.reason = b->reason,
				.voter = rules->anonymous ? NULL : b->voter,
			};
		}
	}
	ret->leading = leading_row(ret);
	ret->blocked = rules->kind == DECISION_PROPOSAL && ret->rows[PROPOSAL_BLOCK].counts[0] > 0;
}

/* ---- decisions in the database ----------------------------------- */

struct decision_rules decision_rules_of(const struct decision *d)
{
	return (struct decision_rules){
		.kind = d->kind, .n_options = d->n_options, .dots = d->dots,
		.block_needs_reason = d->block_needs_reason, .anonymous = d->anonymous,
		.hide_results = d->hide_results, .closed = d->is_closed,
	};
}

static size_t text_chars(const char *s)
{
	return s ? utf8_length(s, strlen(s)) : 0;
}

static int check_option(int kind, size_t i, const char *label, herr *e)
{
	if (!label || !*label || text_chars(label) > DECISION_OPTION_MAX)
		return herr_set(e, ERR_INVALID, "options",
				"Option %zu must be 1 to %d characters.", i + 1, DECISION_OPTION_MAX);
	if (kind != DECISION_TIME_POLL)
		return 0;
	char date[11], clock[6];
	if (strlen(label) != 16 || label[10] != 'T')
		return herr_set(e, ERR_INVALID, "options",
				"Give option %zu as a date and time, such as 2027-01-31T18:30.", i + 1);
	memcpy(date, label, 10), date[10] = 0;
	memcpy(clock, label + 11, 5), clock[5] = 0;
	if (schedule_check_date(date, "options", e) || schedule_check_clock(clock, "options", e))
		return herr_set(e, ERR_INVALID, "options",
				"Option %zu is not a real date and time: give it as 2027-01-31T18:30.",
				i + 1);
	return 0;
}

static int check_new(const struct decision_new *in, herr *e)
{
	if (in->kind < 0 || in->kind > DECISION_DOT_VOTE)
		return herr_set(e, ERR_INVALID, "kind",
				"Choose the kind of decision: proposal, sense check, time poll or dot vote.");
	if (!in->title || !*in->title || text_chars(in->title) > DECISION_TITLE_MAX)
		return herr_set(e, ERR_INVALID, "title",
				"Give the decision a title of 1 to %d characters.", DECISION_TITLE_MAX);
	if (text_chars(in->description) > DECISION_DESCRIPTION_MAX)
		return herr_set(e, ERR_INVALID, "description",
				"Keep the description to %d characters.", DECISION_DESCRIPTION_MAX);
	bool has_options = in->kind == DECISION_TIME_POLL || in->kind == DECISION_DOT_VOTE;
	if (has_options && (in->n_options < 2 || in->n_options > DECISION_OPTIONS_MAX))
		return herr_set(e, ERR_INVALID, "options",
				"Give from 2 to %d options, one a line.", DECISION_OPTIONS_MAX);
	if (!has_options && in->n_options)
		return herr_set(e, ERR_INVALID, "options",
				"Only a time poll or a dot vote has options: leave them empty.");
	for (size_t i = 0; i < in->n_options; i++) {
		int rc = check_option(in->kind, i, in->options[i], e);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(in->options[j], in->options[i]))
				return herr_set(e, ERR_INVALID, "options",
						"Option %zu is the same as option %zu.", i + 1, j + 1);
	}
	if (in->kind == DECISION_DOT_VOTE && (in->dots < 1 || in->dots > DECISION_DOTS_MAX))
		return herr_set(e, ERR_INVALID, "dots",
				"Give each voter from 1 to %d dots.", DECISION_DOTS_MAX);
	if (in->closes_at <= time_now_ms())
		return herr_set(e, ERR_INVALID, "closes_at", "The closing time must be in the future.");
	return 0;
}

static int insert_decision(db *d, const struct actor *actor, int64_t group_id, int64_t id,
			   const struct decision_new *in)
{
	char key_hex[65] = "";
	if (in->anonymous) {
		unsigned char key[32];
		randombytes_buf(key, sizeof key);
		sodium_bin2hex(key_hex, sizeof key_hex, key, sizeof key);
	}
	db_stmt *st = db_prepare(d,
		"INSERT INTO decision (id, group_id, opened_by, kind, title, description, dots, "
		"block_needs_reason, anonymous, hide_results, voter_key, closes_at, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, group_id);
	db_bind_int64(st, 3, actor->person_id);
	db_bind_text(st, 4, decision_kind_name(in->kind));
	db_bind_text(st, 5, in->title);
	db_bind_text(st, 6, in->description ? in->description : "");
	db_bind_int64(st, 7, in->kind == DECISION_DOT_VOTE ? in->dots : DECISION_DOTS_DEFAULT);
	db_bind_bool(st, 8, in->kind == DECISION_PROPOSAL && in->block_needs_reason);
	db_bind_bool(st, 9, in->anonymous);
	db_bind_bool(st, 10, in->hide_results);
	db_bind_text(st, 11, in->anonymous ? key_hex : NULL);
	db_bind_int64(st, 12, in->closes_at);
	db_bind_int64(st, 13, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	sodium_memzero(key_hex, sizeof key_hex);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < in->n_options; i++) {
		st = db_prepare(d, "INSERT INTO decision_option (decision_id, position, label) VALUES (?, ?, ?)");
		if (!st)
			return ERR_DB;
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, in->options[i]);
		rc = db_step(st);
		db_reset(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A write the actor may make in st's group: members and managers, and not
 * in a closed group. */
static int require_member_write(const struct standing *st, herr *e)
{
	int rc = membership_require_member(st, e);
	if (rc)
		return rc;
	if (st->is_closed)
		return herr_set(e, ERR_CONFLICT, NULL, "This group is closed: its decisions can no longer change.");
	return 0;
}

int decision_open(db *d, const struct actor *actor, int64_t group_id,
		  const struct decision_new *in, int64_t *ret_id, herr *e)
{
	struct standing st;
	int rc = membership_standing(d, group_id, actor, &st, e);
	if (rc)
		return rc;
	if ((rc = require_member_write(&st, e)) || (rc = check_new(in, e)))
		return rc;
	if (db_begin_write(d))
		return herr_set(e, ERR_DB, NULL, "Could not save the decision; please try again.");
	int64_t id = id_new();
	rc = db_finish(d, insert_decision(d, actor, group_id, id, in));
	if (rc)
		return herr_set(e, ERR_DB, NULL, "Could not save the decision; please try again.");
	*ret_id = id;
	return 0;
}

/* Closes, as of their closing time, the decisions of group_id (or the one
 * decision id when id is not 0) that are past it; the keys of anonymous
 * ones are deleted with it. */
static int close_due(db *d, int64_t group_id, int64_t id)
{
	db_stmt *st = id
		? db_prepare(d, "UPDATE decision SET closed_at = closes_at, voter_key = NULL "
				"WHERE id = ? AND closed_at IS NULL AND closes_at <= ?")
		: db_prepare(d, "UPDATE decision SET closed_at = closes_at, voter_key = NULL "
				"WHERE group_id = ? AND closed_at IS NULL AND closes_at <= ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id ? id : group_id);
	db_bind_int64(st, 2, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

#define DECISION_COLUMNS \
	"SELECT d.id, d.group_id, d.opened_by, o.display_name, d.kind, d.title, d.description, " \
	"d.dots, d.block_needs_reason, d.anonymous, d.hide_results, d.closes_at, d.closed_at, " \
	"d.outcome, w.display_name, d.outcome_at, d.review_date, d.created_at " \
	"FROM decision d LEFT JOIN person o ON o.id = d.opened_by " \
	"LEFT JOIN person w ON w.id = d.outcome_by "

static void read_row(db_stmt *st, arena *a, const char *today, struct decision *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int64(st, 0);
	r->group_id = db_col_int64(st, 1);
	r->opened_by = db_col_int64(st, 2);
	r->opener_name = arena_strdup(a, db_col_text(st, 3));
	int kind = decision_kind_parse(db_col_text(st, 4));
	r->kind = kind < 0 ? DECISION_PROPOSAL : (enum decision_kind)kind;
	r->title = arena_strdup(a, db_col_text(st, 5));
	r->description = arena_strdup(a, db_col_text(st, 6));
	r->dots = (int)db_col_int64(st, 7);
	r->block_needs_reason = db_col_bool(st, 8);
	r->anonymous = db_col_bool(st, 9);
	r->hide_results = db_col_bool(st, 10);
	r->closes_at = db_col_int64(st, 11);
	r->closed_at = db_col_int64(st, 12);
	r->is_closed = !db_col_is_null(st, 12);
	r->outcome = arena_strdup(a, db_col_text(st, 13));
	r->outcome_by_name = arena_strdup(a, db_col_text(st, 14));
	r->outcome_at = db_col_int64(st, 15);
	r->review_date = arena_strdup(a, db_col_text(st, 16));
	r->created_at = db_col_int64(st, 17);
	r->due_for_review = r->review_date && today && strcmp(r->review_date, today) <= 0;
}

static int read_options(db *d, arena *a, struct decision *r)
{
	db_stmt *st = db_prepare(d, "SELECT label FROM decision_option WHERE decision_id = ? ORDER BY position");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, r->id);
	const char **list = arena_alloc(a, (DECISION_OPTIONS_MAX + 1) * sizeof *list);
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && list && n < DECISION_OPTIONS_MAX)
		list[n++] = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	if (rc < 0 || !list)
		return rc < 0 ? rc : ERR_NOMEM;
	r->options = list;
	r->n_options = n;
	return 0;
}

/* The network's local date today, "YYYY-MM-DD", in the arena. */
static const char *local_today(db *d, arena *a)
{
	char *out = arena_alloc(a, 11);
	if (!out || schedule_format_local(time_now_ms(), network_time_zone(d, a), "%Y-%m-%d", out, 11))
		return NULL;
	return out;
}

int decision_list(db *d, arena *a, const struct standing *st, struct decision **ret,
		  size_t *ret_n, herr *e)
{
	int rc = membership_require_member(st, e);
	if (rc)
		return rc;
	if (close_due(d, st->group_id, 0))
		return herr_set(e, ERR_DB, NULL, "Could not read the group's decisions.");
	const char *today = local_today(d, a);
	db_stmt *q = db_prepare(d, DECISION_COLUMNS "WHERE d.group_id = ? ORDER BY d.created_at DESC, d.id DESC");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the group's decisions.");
	db_bind_int64(q, 1, st->group_id);
	struct decision *list = NULL;
	size_t n = 0, cap = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		list = arena_grow(a, list, n + 1, &cap, sizeof *list);
		if (!list) {
			rc = ERR_NOMEM;
			break;
		}
		read_row(q, a, today, &list[n++]);
	}
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the group's decisions.");
	*ret = list;
	*ret_n = n;
	return 0;
}

/* Reads decision id with no permission check; ERR_NOTFOUND when none. */
static int read_decision(db *d, arena *a, int64_t id, struct decision *ret)
{
	int rc = close_due(d, 0, id);
	if (rc)
		return rc;
	db_stmt *q = db_prepare(d, DECISION_COLUMNS "WHERE d.id = ?");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, id);
	rc = db_step(q);
	if (rc == DB_ROW)
		read_row(q, a, NULL, ret);
	db_reset(q);
	if (rc == DB_DONE)
		return ERR_NOTFOUND;
	if (rc < 0)
		return rc;
	if (ret->review_date) {
		const char *today = local_today(d, a);
		ret->due_for_review = today && strcmp(ret->review_date, today) <= 0;
	}
	return read_options(d, a, ret);
}

int decision_get(db *d, arena *a, const struct actor *actor, int64_t id,
		 struct decision *ret, struct standing *ret_st, herr *e)
{
	int rc = read_decision(d, a, id, ret);
	if (rc == ERR_NOTFOUND)
		return herr_set(e, rc, NULL, "There is no such decision.");
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the decision.");
	if ((rc = membership_standing(d, ret->group_id, actor, ret_st, e)))
		return rc;
	return membership_require_member(ret_st, e);
}

/* Marks as text: "2,0,1"; and back, into the arena. */
static const char *marks_text(arena *a, const int *marks, size_t n)
{
	char *out = arena_alloc(a, n * 12 + 1);
	if (!out)
		return NULL;
	size_t len = 0;
	out[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, 12, i ? ",%d" : "%d", marks[i]);
	return out;
}

static int marks_parse(arena *a, const char *s, int **ret, size_t *ret_n)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	int *marks = arena_alloc(a, n * sizeof *marks);
	if (!marks)
		return ERR_NOMEM;
	size_t k = 0;
	const char *p = s;
	while (*p && k < n) {
		char *end;
		marks[k++] = (int)strtol(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
		if (end == p && !*end)
			break;
	}
	*ret = marks;
	*ret_n = *s ? k : 0;
	return 0;
}

int decision_ballots(db *d, arena *a, const struct decision *dec,
		     struct decision_ballot **ret, size_t *ret_n, herr *e)
{
	db_stmt *q = db_prepare(d,
		"SELECT b.marks, b.reason, p.display_name FROM decision_ballot b "
		"LEFT JOIN person p ON p.id = b.person_id WHERE b.decision_id = ? ORDER BY b.voter");
	if (!q)
		return herr_set(e, ERR_DB, NULL, "Could not read the votes.");
	db_bind_int64(q, 1, dec->id);
	struct decision_ballot *list = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(q)) == DB_ROW) {
		list = arena_grow(a, list, n + 1, &cap, sizeof *list);
		int *marks = NULL;
		if (!list || marks_parse(a, db_col_text(q, 0), &marks, &list[n].n_marks)) {
			rc = ERR_NOMEM;
			break;
		}
		list[n].marks = marks;
		list[n].reason = arena_strdup(a, db_col_text(q, 1));
		list[n].voter = dec->anonymous ? NULL : arena_strdup(a, db_col_text(q, 2));
		n++;
	}
	db_reset(q);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the votes.");
	*ret = list;
	*ret_n = n;
	return 0;
}

/* The voter column for actor in decision id: their id in decimal, or for
 * an anonymous decision the hex HMAC of it under the decision's key (NULL
 * when the key is gone: the decision is closed). */
static const char *voter_of(db *d, arena *a, int64_t id, bool anonymous, int64_t person_id)
{
	if (!anonymous)
		return arena_printf(a, "%lld", (long long)person_id);
	db_stmt *q = db_prepare(d, "SELECT voter_key FROM decision WHERE id = ? AND voter_key IS NOT NULL");
	if (!q)
		return NULL;
	db_bind_int64(q, 1, id);
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
	bool have = false;
	if (db_step(q) == DB_ROW) {
		const char *hex = db_col_text(q, 0);
		size_t len = 0;
		have = hex && sodium_hex2bin(key, sizeof key, hex, strlen(hex), NULL, &len, NULL) == 0 &&
		       len == sizeof key;
	}
	db_reset(q);
	if (!have)
		return NULL;
	char msg[24];
	int n = snprintf(msg, sizeof msg, "%lld", (long long)person_id);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
	sodium_memzero(key, sizeof key);
	char *out = arena_alloc(a, sizeof mac * 2 + 1);
	if (out)
		sodium_bin2hex(out, sizeof mac * 2 + 1, mac, sizeof mac);
	return out;
}

int decision_my_ballot(db *d, arena *a, const struct decision *dec, const struct actor *actor,
		       struct decision_ballot *ret, bool *ret_found)
{
	*ret_found = false;
	if (!actor->person_id)
		return 0;
	const char *voter = voter_of(d, a, dec->id, dec->anonymous, actor->person_id);
	if (!voter)
		return 0;
	db_stmt *q = db_prepare(d, "SELECT marks, reason FROM decision_ballot WHERE decision_id = ? AND voter = ?");
	if (!q)
		return ERR_DB;
	db_bind_int64(q, 1, dec->id);
	db_bind_text(q, 2, voter);
	int rc = db_step(q);
	if (rc == DB_ROW) {
		int *marks = NULL;
		memset(ret, 0, sizeof *ret);
		if (marks_parse(a, db_col_text(q, 0), &marks, &ret->n_marks) == 0) {
			ret->marks = marks;
			ret->reason = arena_strdup(a, db_col_text(q, 1));
			*ret_found = true;
		}
	}
	db_reset(q);
	return rc < 0 ? rc : 0;
}

static int store_ballot(db *d, arena *a, const struct decision *dec, const struct actor *actor,
			const struct decision_ballot *b)
{
	const char *voter = voter_of(d, a, dec->id, dec->anonymous, actor->person_id);
	const char *marks = marks_text(a, b->marks, b->n_marks);
	if (!voter || !marks)
		return ERR_INTERNAL;
	db_stmt *st = db_prepare(d, "DELETE FROM decision_ballot WHERE decision_id = ? AND voter = ?");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, dec->id);
	db_bind_text(st, 2, voter);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	st = db_prepare(d, "INSERT INTO decision_ballot (decision_id, voter, person_id, marks, reason, cast_at) "
			   "VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, dec->id);
	db_bind_text(st, 2, voter);
	if (dec->anonymous)
		db_bind_null(st, 3);
	else
		db_bind_int64(st, 3, actor->person_id);
	db_bind_text(st, 4, marks);
	db_bind_text(st, 5, b->reason && *b->reason ? b->reason : NULL);
	db_bind_int64(st, 6, dec->anonymous ? 0 : time_now_ms());
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Reads decision id for a change by actor inside the caller's write
 * transaction: it must exist and be visible, and its group not closed. */
static int load_for_change(db *d, arena *a, const struct actor *actor, int64_t id,
			   struct decision *dec, struct standing *st, herr *e)
{
	int rc = decision_get(d, a, actor, id, dec, st, e);
	if (!rc && st->is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL, "This group is closed: its decisions can no longer change.");
	return rc;
}

/* Ends a change that began with db_begin_write (committing when rc is 0,
 * rolling back otherwise) and frees its arena a; a failure that said
 * nothing yet says "Could not <what>; please try again.". */
static int finish_change(db *d, arena *a, int rc, const char *what, herr *e)
{
	if (db_in_transaction(d))
		rc = db_finish(d, rc);
	if (rc && !e->message[0])
		herr_set(e, rc, NULL, "Could not %s; please try again.", what);
	arena_free(a);
	return rc;
}

int decision_vote(db *d, const struct actor *actor, int64_t id, const struct decision_ballot *b,
		  herr *e)
{
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct decision dec;
	struct standing st;
	int rc = db_begin_write(d) ? herr_set(e, ERR_DB, NULL, "Could not save your vote; please try again.") : 0;
	if (!rc)
		rc = load_for_change(d, a, actor, id, &dec, &st, e);
	if (!rc && dec.is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL, "This decision has closed: votes can no longer be cast or changed.");
	if (!rc) {
		struct decision_rules rules = decision_rules_of(&dec);
		rc = decision_ballot_check(&rules, b, e);
	}
	if (!rc && store_ballot(d, a, &dec, actor, b))
		rc = herr_set(e, ERR_DB, NULL, "Could not save your vote; please try again.");
	return finish_change(d, a, rc, "save your vote", e);
}

static bool may_steer(const struct decision *dec, const struct standing *st, const struct actor *actor)
{
	return st->can_manage || (actor->person_id && dec->opened_by == actor->person_id);
}

int decision_close(db *d, const struct actor *actor, int64_t id, herr *e)
{
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct decision dec;
	struct standing st;
	int rc = db_begin_write(d) ? herr_set(e, ERR_DB, NULL, "Could not close the decision.") : 0;
	if (!rc)
		rc = load_for_change(d, a, actor, id, &dec, &st, e);
	if (!rc && !may_steer(&dec, &st, actor))
		rc = herr_set(e, ERR_DENIED, NULL, "Only the person who opened this decision, or the group's facilitators, can close it.");
	if (!rc && dec.is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL, "This decision is already closed.");
	if (!rc) {
		db_stmt *q = db_prepare(d, "UPDATE decision SET closed_at = ?, closed_by = ?, voter_key = NULL "
					   "WHERE id = ? AND closed_at IS NULL");
		if (!q)
			rc = ERR_DB;
		else {
			db_bind_int64(q, 1, time_now_ms());
			db_bind_int64(q, 2, actor->person_id);
			db_bind_int64(q, 3, id);
			rc = db_step(q) < 0 ? ERR_DB : 0;
			db_reset(q);
		}
	}
	return finish_change(d, a, rc, "close the decision", e);
}

int decision_set_outcome(db *d, const struct actor *actor, int64_t id, const char *outcome,
			 const char *review_date, herr *e)
{
	if (!outcome || !*outcome || text_chars(outcome) > DECISION_OUTCOME_MAX)
		return herr_set(e, ERR_INVALID, "outcome",
				"Write the outcome in 1 to %d characters.", DECISION_OUTCOME_MAX);
	if (review_date && *review_date && schedule_check_date(review_date, "review_date", e))
		return herr_set(e, ERR_INVALID, "review_date",
				"Give the review date as a real date, such as 2027-01-31, or leave it empty.");
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	struct decision dec;
	struct standing st;
	int rc = db_begin_write(d) ? herr_set(e, ERR_DB, NULL, "Could not save the outcome.") : 0;
	if (!rc)
		rc = load_for_change(d, a, actor, id, &dec, &st, e);
	if (!rc && !may_steer(&dec, &st, actor))
		rc = herr_set(e, ERR_DENIED, NULL, "Only the person who opened this decision, or the group's facilitators, can write its outcome.");
	if (!rc && !dec.is_closed)
		rc = herr_set(e, ERR_CONFLICT, NULL, "The decision is still open: close it before writing the outcome.");
	if (!rc) {
		db_stmt *q = db_prepare(d, "UPDATE decision SET outcome = ?, outcome_by = ?, outcome_at = ?, "
					   "review_date = ? WHERE id = ?");
		if (!q)
			rc = ERR_DB;
		else {
			db_bind_text(q, 1, outcome);
			db_bind_int64(q, 2, actor->person_id);
			db_bind_int64(q, 3, time_now_ms());
			db_bind_text(q, 4, review_date && *review_date ? review_date : NULL);
			db_bind_int64(q, 5, id);
			rc = db_step(q) < 0 ? ERR_DB : 0;
			db_reset(q);
		}
	}
	return finish_change(d, a, rc, "save the outcome", e);
}
