-- 0007_decisions.sql - a group's decisions (capability C4): proposals,
-- sense checks, time polls and dot votes, their options, the ballots cast
-- and the outcome statement.
--
-- kind: proposal, sense_check, time_poll, dot_vote (see src/app/decision.h).
-- voter_key is the per-decision random key (hex) of an anonymous decision,
-- used while it is open to key ballots by an HMAC of the voter's id; it is
-- set to NULL when the decision closes, after which no one can tell whose
-- ballot is whose. closed_at is NULL while open (closing is evaluated
-- lazily: a decision past closes_at is closed on the next read).
-- review_date is a local "YYYY-MM-DD" when the group will look at it again.
CREATE TABLE decision (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	opened_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	kind TEXT NOT NULL CHECK (kind IN ('proposal', 'sense_check', 'time_poll', 'dot_vote')),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	dots INTEGER NOT NULL DEFAULT 3,
	block_needs_reason INTEGER NOT NULL DEFAULT 1,
	anonymous INTEGER NOT NULL DEFAULT 0,
	hide_results INTEGER NOT NULL DEFAULT 0,
	voter_key TEXT,
	closes_at BIGINT NOT NULL,
	closed_at BIGINT,
	closed_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	outcome TEXT,
	outcome_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	outcome_at BIGINT,
	review_date TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX decision_group ON decision (group_id, created_at);

-- The options of a time poll (label is a local "YYYY-MM-DDTHH:MM") or a
-- dot vote, numbered from 1.
CREATE TABLE decision_option (
	decision_id BIGINT NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	label TEXT NOT NULL,
	PRIMARY KEY (decision_id, position)
);

-- One ballot per voter. voter is the person's id in decimal for an open
-- decision (person_id set too), or the hex HMAC of it for an anonymous one
-- (person_id NULL, cast_at 0 so timing does not link it either). marks is
-- the ballot's marks as comma-separated integers.
CREATE TABLE decision_ballot (
	decision_id BIGINT NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
	voter TEXT NOT NULL,
	person_id BIGINT REFERENCES person(id) ON DELETE CASCADE,
	marks TEXT NOT NULL,
	reason TEXT,
	cast_at BIGINT NOT NULL,
	PRIMARY KEY (decision_id, voter)
);
