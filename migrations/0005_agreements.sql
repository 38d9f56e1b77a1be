-- 0005_agreements.sql - shared aims (capability C4): the network's list of
-- values, a group's agreement (aims, ground rules, adopted values) with its
-- ratified versions, suggested changes and the members who agree with them,
-- and the starting template coordinators offer.
--
-- Ground rules are kept as text, one rule a line (a rule holds no line
-- break); adopted values as their ids, comma-separated, in the network's
-- order. review_date is a local date, "YYYY-MM-DD".

-- The network's values. The six peer support values are seeded (ids 1-6).
CREATE TABLE network_value (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL
);
INSERT INTO network_value (id, name, description, position, created_at) VALUES
	(1, 'Experience in common', 'We share something of what we have lived through, and that is where our support comes from.', 1, 0),
	(2, 'Safety', 'The group is a place where people feel physically and emotionally safe, and trust can grow.', 2, 0),
	(3, 'Choice and control', 'Each person decides what they share, how they take part and what support they want.', 3, 0),
	(4, 'Two-way interactions', 'Support flows both ways: everyone gives and everyone receives.', 4, 0),
	(5, 'Human connection', 'We meet as people, with warmth, respect and understanding.', 5, 0),
	(6, 'Freedom to be yourself', 'Nobody has to pretend: people are welcome as they are.', 6, 0);

-- The starting template's ground rules, in order.
CREATE TABLE agreement_template_rule (
	position INTEGER PRIMARY KEY,
	text TEXT NOT NULL
);
INSERT INTO agreement_template_rule (position, text) VALUES
	(1, 'There is space for everyone to speak.'),
	(2, 'Share only what you are comfortable with, and keep others'' stories in the room.'),
	(3, 'Challenge the view, not the person.'),
	(4, 'It is fine to step out at any time.'),
	(5, 'If someone disrupts the group, a facilitator checks in with them kindly, and the group pauses if it needs to.');

-- A group's agreement as it stands: version 0 until one is ratified or
-- started from the template. threshold: how many members must agree with a
-- suggestion before it can be ratified.
CREATE TABLE group_agreement (
	group_id BIGINT PRIMARY KEY REFERENCES peer_group(id) ON DELETE CASCADE,
	version INTEGER NOT NULL DEFAULT 0,
	aims TEXT NOT NULL DEFAULT '',
	rules TEXT NOT NULL DEFAULT '',
	value_ids TEXT NOT NULL DEFAULT '',
	threshold INTEGER NOT NULL DEFAULT 3 CHECK (threshold >= 1),
	review_date TEXT,
	updated_at BIGINT NOT NULL
);

-- Every ratified version, kept: what it said, what changed and why, who
-- suggested it (NULL for the template), who ratified it and when.
CREATE TABLE agreement_version (
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	aims TEXT NOT NULL,
	rules TEXT NOT NULL,
	value_ids TEXT NOT NULL,
	change_note TEXT NOT NULL,
	suggestion_id BIGINT,
	suggested_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	ratified_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	ratified_at BIGINT NOT NULL,
	PRIMARY KEY (group_id, version)
);

-- A suggested change: the whole agreement as the author would have it,
-- against base_version. status: open, ratified, withdrawn, declined.
CREATE TABLE agreement_suggestion (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	author_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	base_version INTEGER NOT NULL,
	aims TEXT NOT NULL,
	rules TEXT NOT NULL,
	value_ids TEXT NOT NULL,
	reason TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('open', 'ratified', 'withdrawn', 'declined')),
	created_at BIGINT NOT NULL,
	decided_at BIGINT
);
CREATE INDEX agreement_suggestion_group ON agreement_suggestion (group_id, status, created_at);

-- Members who agree with a suggestion: one row each.
CREATE TABLE agreement_support (
	suggestion_id BIGINT NOT NULL REFERENCES agreement_suggestion(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (suggestion_id, person_id)
);
