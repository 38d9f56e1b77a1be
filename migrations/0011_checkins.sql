-- 0011_checkins.sql - consented check-ins (capability C5): each person's
-- consent and its purposes, the questionnaires a group offers and when, the
-- check-ins themselves with one row per answer, and the access log of reads
-- of a person's answers by anyone else.
--
-- Instruments are data files loaded at start-up (src/app/instrument.h), so
-- instrument_id is their text id, not a foreign key. Times are BIGINT Unix ms.

-- One row per person once they have been asked. take_part is the first
-- purpose (answering for their own use); group_learning and network_reports
-- let their answers count in their group's and the network's figures;
-- share_with_facilitator lets their groups' facilitators read their answers
-- (each read is logged). Withdrawing clears every purpose and sets
-- withdrawn_at: no more asks, and their answers leave every figure.
CREATE TABLE checkin_consent (
	person_id BIGINT PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
	take_part INTEGER NOT NULL DEFAULT 0,
	group_learning INTEGER NOT NULL DEFAULT 0,
	network_reports INTEGER NOT NULL DEFAULT 0,
	share_with_facilitator INTEGER NOT NULL DEFAULT 0,
	asked_at BIGINT NOT NULL,
	changed_at BIGINT NOT NULL,
	withdrawn_at BIGINT
);

-- Which instruments a group offers and when: at joining (the baseline),
-- then every n weeks (0: not on a cycle), and at the meetings chosen in
-- checkin_offering_meeting.
CREATE TABLE checkin_offering (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	instrument_id TEXT NOT NULL,
	at_joining INTEGER NOT NULL DEFAULT 1,
	every_weeks INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (group_id, instrument_id)
);

CREATE TABLE checkin_offering_meeting (
	offering_id BIGINT NOT NULL REFERENCES checkin_offering(id) ON DELETE CASCADE,
	meeting_id BIGINT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
	PRIMARY KEY (offering_id, meeting_id)
);
CREATE INDEX checkin_offering_meeting_by_meeting ON checkin_offering_meeting (meeting_id);

-- One check-in: started when first saved, finished or skipped (a skip has
-- no answers), or still half-done (both NULL).
CREATE TABLE checkin (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	instrument_id TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	finished_at BIGINT,
	skipped_at BIGINT
);
CREATE INDEX checkin_by_person ON checkin (person_id, group_id, instrument_id, started_at);
CREATE INDEX checkin_by_group ON checkin (group_id, instrument_id, finished_at);
CREATE INDEX checkin_by_instrument ON checkin (instrument_id, finished_at);

CREATE TABLE checkin_answer (
	checkin_id BIGINT NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
	item_id TEXT NOT NULL,
	value INTEGER NOT NULL,
	PRIMARY KEY (checkin_id, item_id)
);

-- Every read of a person's answers by someone else: who, whose, when, why.
-- Never the answers themselves.
CREATE TABLE access_log (
	id BIGINT PRIMARY KEY,
	reader_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	subject_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	what TEXT NOT NULL,
	reason TEXT NOT NULL,
	read_at BIGINT NOT NULL
);
CREATE INDEX access_log_by_subject ON access_log (subject_id, read_at);
CREATE INDEX access_log_by_reader ON access_log (reader_id, read_at);
