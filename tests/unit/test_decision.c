/* test_decision.c - the rules of a group's decisions (src/app/decision.c):
 * which ballots are valid for each of the four kinds (answers and marks in
 * range, dots within the allowance, a reason for a block where required),
 * and the tallies of all four kinds, including that an anonymous tally
 * never names a voter and that hidden results show only how many voted
 * until the decision closes. */
#include <criterion/criterion.h>

#include "app/decision.h"

#include <string.h>

#define BALLOT1(answer, why, who) \
	((struct decision_ballot){ .marks = (const int[]){ answer }, .n_marks = 1, \
				   .reason = (why), .voter = (who) })

Test(decision_ballot, proposal_answers_in_range)
{
	struct decision_rules r = { .kind = DECISION_PROPOSAL, .block_needs_reason = true };
	herr e;
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(PROPOSAL_AGREE, NULL, NULL), &e), 0);
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(4, NULL, NULL), &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "answer");
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(-1, NULL, NULL), &e), ERR_INVALID);
}

Test(decision_ballot, block_needs_a_reason_when_required)
{
	struct decision_rules r = { .kind = DECISION_PROPOSAL, .block_needs_reason = true };
	herr e;
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(PROPOSAL_BLOCK, NULL, NULL), &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "reason");
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(PROPOSAL_BLOCK, "", NULL), &e), ERR_INVALID);
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(PROPOSAL_BLOCK, "unsafe", NULL), &e), 0);
	r.block_needs_reason = false;
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(PROPOSAL_BLOCK, NULL, NULL), &e), 0);
}

Test(decision_ballot, sense_check_has_three_answers)
{
	struct decision_rules r = { .kind = DECISION_SENSE_CHECK };
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(SENSE_CANT, NULL, NULL), NULL), 0);
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(3, NULL, NULL), NULL), ERR_INVALID);
}

Test(decision_ballot, time_poll_marks_every_option)
{
	struct decision_rules r = { .kind = DECISION_TIME_POLL, .n_options = 3 };
	herr e;
	struct decision_ballot ok = { .marks = (const int[]){ 0, 1, 2 }, .n_marks = 3 };
	struct decision_ballot short_ = { .marks = (const int[]){ 0, 1 }, .n_marks = 2 };
	struct decision_ballot bad = { .marks = (const int[]){ 0, 3, 2 }, .n_marks = 3 };
	cr_assert_eq(decision_ballot_check(&r, &ok, &e), 0);
	cr_assert_eq(decision_ballot_check(&r, &short_, &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "marks");
	cr_assert_eq(decision_ballot_check(&r, &bad, &e), ERR_INVALID);
}

Test(decision_ballot, dot_vote_within_the_allowance)
{
	struct decision_rules r = { .kind = DECISION_DOT_VOTE, .n_options = 3, .dots = 3 };
	herr e;
	struct decision_ballot ok = { .marks = (const int[]){ 2, 0, 1 }, .n_marks = 3 };
	struct decision_ballot few = { .marks = (const int[]){ 1, 0, 0 }, .n_marks = 3 };
	struct decision_ballot many = { .marks = (const int[]){ 2, 1, 1 }, .n_marks = 3 };
	struct decision_ballot neg = { .marks = (const int[]){ -1, 2, 1 }, .n_marks = 3 };
	cr_assert_eq(decision_ballot_check(&r, &ok, &e), 0);
	cr_assert_eq(decision_ballot_check(&r, &few, &e), 0, "not every dot need be spent");
	cr_assert_eq(decision_ballot_check(&r, &many, &e), ERR_INVALID);
	cr_assert(strstr(e.message, "3 dots"));
	cr_assert_eq(decision_ballot_check(&r, &neg, &e), ERR_INVALID);
}

Test(decision_ballot, reason_length_is_limited)
{
	struct decision_rules r = { .kind = DECISION_PROPOSAL };
	static char long_reason[DECISION_REASON_MAX + 2];
	memset(long_reason, 'x', DECISION_REASON_MAX + 1);
	herr e;
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(0, long_reason, NULL), &e), ERR_INVALID);
	cr_assert_str_eq(e.field, "reason");
	long_reason[DECISION_REASON_MAX] = 0;
	cr_assert_eq(decision_ballot_check(&r, &BALLOT1(0, long_reason, NULL), &e), 0);
}

Test(decision_tally, proposal_counts_and_block)
{
	struct decision_rules r = { .kind = DECISION_PROPOSAL, .block_needs_reason = true };
	struct decision_ballot b[] = {
		BALLOT1(PROPOSAL_AGREE, NULL, "Ana"), BALLOT1(PROPOSAL_AGREE, "good", "Ben"),
		BALLOT1(PROPOSAL_ABSTAIN, NULL, "Cai"), BALLOT1(PROPOSAL_BLOCK, "unsafe", "Dee"),
		BALLOT1(PROPOSAL_BLOCK, NULL, "Eve"),   /* invalid: skipped */
	};
	struct decision_tally t;
	struct decision_reason why[5];
	decision_tally(&r, b, 5, &t, why);
	cr_assert_eq(t.voters, 4);
	cr_assert_eq(t.n_rows, 4);
	cr_assert_eq(t.rows[PROPOSAL_AGREE].counts[0], 2);
	cr_assert_eq(t.rows[PROPOSAL_ABSTAIN].counts[0], 1);
	cr_assert_eq(t.rows[PROPOSAL_DISAGREE].counts[0], 0);
	cr_assert_eq(t.rows[PROPOSAL_BLOCK].counts[0], 1);
	cr_assert(t.blocked);
	cr_assert_eq(t.leading, PROPOSAL_AGREE);
	cr_assert_eq(t.n_reasons, 2);
	cr_assert_str_eq(why[1].reason, "unsafe");
	cr_assert_str_eq(why[1].voter, "Dee");
	cr_assert_eq(why[1].answer, PROPOSAL_BLOCK);
}

Test(decision_tally, anonymous_never_names_a_voter)
{
	struct decision_rules r = { .kind = DECISION_PROPOSAL, .anonymous = true };
	/* even if a caller passed names, the tally drops them */
	struct decision_ballot b[] = { BALLOT1(PROPOSAL_DISAGREE, "too soon", "Ana"),
				       BALLOT1(PROPOSAL_AGREE, "yes", NULL) };
	struct decision_tally t;
	struct decision_reason why[2];
	decision_tally(&r, b, 2, &t, why);
	cr_assert_eq(t.voters, 2);
	cr_assert_eq(t.n_reasons, 2);
	cr_assert_null(why[0].voter);
	cr_assert_null(why[1].voter);
	cr_assert_eq(t.leading, -1, "a tie has no leader");
	cr_assert(!t.blocked);
}

Test(decision_tally, hidden_until_closed)
{
	struct decision_rules r = { .kind = DECISION_SENSE_CHECK, .hide_results = true };
	struct decision_ballot b[] = { BALLOT1(SENSE_HAPPY, "fine", "Ana"),
				       BALLOT1(SENSE_CANT, NULL, "Ben") };
	struct decision_tally t;
	struct decision_reason why[2];
	decision_tally(&r, b, 2, &t, why);
	cr_assert(t.hidden);
	cr_assert_eq(t.voters, 2, "how many voted is always shown");
	cr_assert_eq(t.n_rows, 0);
	cr_assert_eq(t.n_reasons, 0);
	r.closed = true;
	decision_tally(&r, b, 2, &t, why);
	cr_assert(!t.hidden);
	cr_assert_eq(t.n_rows, 3);
	cr_assert_eq(t.rows[SENSE_HAPPY].counts[0], 1);
	cr_assert_eq(t.rows[SENSE_CANT].counts[0], 1);
	cr_assert_eq(t.n_reasons, 1);
}

Test(decision_tally, time_poll_scores_yes_over_if_need_be)
{
	struct decision_rules r = { .kind = DECISION_TIME_POLL, .n_options = 3 };
	struct decision_ballot b[] = {
		{ .marks = (const int[]){ POLL_YES, POLL_IF_NEED_BE, POLL_NO }, .n_marks = 3 },
		{ .marks = (const int[]){ POLL_IF_NEED_BE, POLL_YES, POLL_NO }, .n_marks = 3 },
		{ .marks = (const int[]){ POLL_YES, POLL_NO, POLL_YES }, .n_marks = 3 },
	};
	struct decision_tally t;
	decision_tally(&r, b, 3, &t, NULL);
	cr_assert_eq(t.voters, 3);
	cr_assert_eq(t.rows[0].counts[POLL_YES], 2);
	cr_assert_eq(t.rows[0].counts[POLL_IF_NEED_BE], 1);
	cr_assert_eq(t.rows[0].score, 5);
	cr_assert_eq(t.rows[1].score, 3);
	cr_assert_eq(t.rows[2].counts[POLL_NO], 2);
	cr_assert_eq(t.rows[2].score, 2);
	cr_assert_eq(t.leading, 0);
}

Test(decision_tally, dot_vote_sums_dots_anonymous_and_hidden)
{
	struct decision_rules r = { .kind = DECISION_DOT_VOTE, .n_options = 2, .dots = 3,
				    .anonymous = true, .hide_results = true };
	struct decision_ballot b[] = {
		{ .marks = (const int[]){ 3, 0 }, .n_marks = 2 },
		{ .marks = (const int[]){ 1, 2 }, .n_marks = 2 },
		{ .marks = (const int[]){ 2, 2 }, .n_marks = 2 },   /* too many: skipped */
	};
	struct decision_tally t;
	decision_tally(&r, b, 3, &t, NULL);
	cr_assert(t.hidden);
	cr_assert_eq(t.voters, 2);
	r.closed = true;
	decision_tally(&r, b, 3, &t, NULL);
	cr_assert_eq(t.rows[0].counts[0], 4);
	cr_assert_eq(t.rows[1].counts[0], 2);
	cr_assert_eq(t.leading, 0);
}

Test(decision_names, kinds_and_answers)
{
	cr_assert_eq(decision_kind_parse("time_poll"), DECISION_TIME_POLL);
	cr_assert_eq(decision_kind_parse("vote"), -1);
	cr_assert_str_eq(decision_kind_name(DECISION_DOT_VOTE), "dot_vote");
	cr_assert_str_eq(decision_answer_name(DECISION_PROPOSAL, PROPOSAL_BLOCK), "block");
	cr_assert_str_eq(decision_answer_label(DECISION_SENSE_CHECK, SENSE_CANT), "Can't go along");
	cr_assert_str_eq(decision_answer_label(DECISION_TIME_POLL, POLL_IF_NEED_BE), "If need be");
}
