-- 0015_checkin_scores.sql - each finished check-in's scale scores, and each
-- person's baseline and latest score, stored when a check-in is finished
-- (issue 6): a group's figures read one row per check-in per scale, and the
-- network's one row per person per scale, through an index, instead of
-- scoring every answer on every request.
--
-- One row per finished check-in and scale of its instrument; score is NULL
-- when the answers give no score under the scale's prorating rule. The
-- check-in's person, group and finish time are copied here (none of them
-- changes once a check-in is finished) so the indexes below hold rows in the
-- order the figures need them: person, group, time. Erasing a person or a
-- group removes their check-ins and so their scores.
--
-- Scoring rules live in the instrument files, not in the database, so the
-- scores of check-ins finished before this migration are filled in by the
-- program (checkin_scores_fill in src/app/checkin.c: `hearth serve` at
-- start-up, `hearth analyse --network` and `hearth gen`), once, with the
-- pairs below.
CREATE TABLE checkin_score (
	checkin_id BIGINT NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
	scale_id TEXT NOT NULL,
	instrument_id TEXT NOT NULL,
	person_id BIGINT NOT NULL,
	group_id BIGINT NOT NULL,
	finished_at BIGINT NOT NULL,
	score DOUBLE PRECISION,
	PRIMARY KEY (checkin_id, scale_id)
);
-- The network's figures: an instrument's scores by person, group and time.
CREATE INDEX checkin_score_network ON checkin_score
	(instrument_id, person_id, group_id, finished_at, checkin_id, scale_id, score);
-- A group's figures: the same within one group.
CREATE INDEX checkin_score_group ON checkin_score
	(group_id, instrument_id, person_id, finished_at, checkin_id, scale_id, score);

-- Each person's baseline and latest score per group, instrument and scale,
-- kept up to date as check-ins finish, so the network's figures read one
-- row per person and scale. The first finished check-in of the instrument in
-- the group makes the row; the first that gives a score on the scale is the
-- baseline (first_*), the last later one the latest (last_*, NULL until
-- there is one); latest_at is when the latest check-in of the instrument
-- (scored or not) was finished, for the figures by period.
CREATE TABLE checkin_pair (
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	instrument_id TEXT NOT NULL,
	scale_id TEXT NOT NULL,
	first_checkin_id BIGINT,
	first_score DOUBLE PRECISION,
	last_checkin_id BIGINT,
	last_score DOUBLE PRECISION,
	latest_at BIGINT NOT NULL,
	PRIMARY KEY (person_id, group_id, instrument_id, scale_id)
);
-- The network's figures: an instrument's pairs in person order, every
-- column in the index.
CREATE INDEX checkin_pair_network ON checkin_pair (instrument_id, person_id, group_id, scale_id,
	first_checkin_id, first_score, last_checkin_id, last_score, latest_at);
-- Who lets their check-ins count in the network's figures, in person order:
-- the figures walk this list alongside the pairs instead of looking each
-- person's consent up.
CREATE INDEX checkin_consent_network ON checkin_consent (network_reports, take_part, person_id);
