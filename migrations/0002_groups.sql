-- 0002_groups.sql - groups, organisations, tags, membership and meetings
-- (capabilities C1-C3), and full-text search of the directory.
--
-- Lines between "-- @sqlite" / "-- @postgres" and "-- @both" run only on that
-- backend (see src/store/migrate.c); everything else is shared SQL.

-- Roles a person holds across the network (admin is person.is_admin):
-- coordinator, safeguarding_lead, peer_researcher, commissioner.
CREATE TABLE person_role (
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	PRIMARY KEY (person_id, role)
);

-- Access needs are private to the facilitators of the person's groups.
-- added_by is set for people without an account, added by a facilitator.
ALTER TABLE person ADD COLUMN access_needs TEXT;
ALTER TABLE person ADD COLUMN added_by BIGINT;

-- The host charity and its partners.
CREATE TABLE organisation (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	website TEXT,
	is_host INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- The network's list of topic and identity tags.
CREATE TABLE tag (
	id BIGINT PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

-- A group ("group" is an SQL keyword). Times of the schedule are local to
-- the network's time zone: schedule_start is "YYYY-MM-DDTHH:MM", rrule an
-- RFC 5545 RRULE value such as "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU".
-- meeting_days is a bit set of the weekdays it meets (Monday 1 ... Sunday 64),
-- kept for search by day; next_meeting_at is kept for the directory.
CREATE TABLE peer_group (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	purpose TEXT NOT NULL,
	who_for TEXT NOT NULL DEFAULT '',
	format TEXT NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
	access TEXT NOT NULL CHECK (access IN ('open', 'approval', 'invite')),
	facilitation TEXT NOT NULL CHECK (facilitation IN ('peer_led', 'co_facilitated', 'staff_led')),
	status TEXT NOT NULL CHECK (status IN ('forming', 'active', 'paused', 'closed')),
	venue_name TEXT,
	venue_address TEXT,
	venue_access TEXT,
	latitude DOUBLE PRECISION,
	longitude DOUBLE PRECISION,
	online_link TEXT,
	link_visibility TEXT NOT NULL DEFAULT 'members'
		CHECK (link_visibility IN ('everyone', 'signed_in', 'members')),
	rrule TEXT,
	schedule_start TEXT,
	duration_minutes INTEGER NOT NULL DEFAULT 90,
	meeting_days INTEGER NOT NULL DEFAULT 0,
	host_org_id BIGINT REFERENCES organisation(id) ON DELETE SET NULL,
	scheduled_until BIGINT NOT NULL DEFAULT 0,
	next_meeting_at BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX peer_group_status_next ON peer_group (status, next_meeting_at);
CREATE INDEX peer_group_latitude ON peer_group (latitude);
CREATE INDEX peer_group_name ON peer_group (name);

CREATE TABLE group_partner (
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, org_id)
);
CREATE INDEX group_partner_org ON group_partner (org_id);

CREATE TABLE group_tag (
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	tag_id BIGINT NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, tag_id)
);
CREATE INDEX group_tag_tag ON group_tag (tag_id, group_id);

-- A person's place in a group. role: member, facilitator or peer_worker.
-- status: active, requested (awaiting approval), declined, left.
CREATE TABLE membership (
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'facilitator', 'peer_worker')),
	status TEXT NOT NULL CHECK (status IN ('active', 'requested', 'declined', 'left')),
	message TEXT,
	joined_at BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (group_id, person_id)
);
CREATE INDEX membership_person ON membership (person_id, status);
CREATE INDEX membership_group_status ON membership (group_id, status);

-- Invite links for invite-only groups; the token is stored hashed.
CREATE TABLE group_invite (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	max_uses INTEGER NOT NULL DEFAULT 0,
	uses INTEGER NOT NULL DEFAULT 0,
	revoked_at BIGINT
);
CREATE INDEX group_invite_group ON group_invite (group_id);

-- A meeting: an occurrence of the schedule (occurrence_key is its local start
-- as scheduled, "YYYY-MM-DDTHH:MM", even after a move) or a one-off
-- (occurrence_key NULL). status: scheduled, cancelled, closed.
CREATE TABLE meeting (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	occurrence_key TEXT,
	kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'one_off')),
	status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'closed')),
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	moved_from BIGINT,
	notice TEXT,
	facilitated_by_peer INTEGER,
	minutes_md TEXT,
	minutes_updated_at BIGINT,
	minutes_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	attendance_count INTEGER,
	themes TEXT,
	closed_at BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (group_id, occurrence_key)
);
CREATE INDEX meeting_group_starts ON meeting (group_id, starts_at);
CREATE INDEX meeting_starts ON meeting (starts_at);

-- Who facilitated a meeting.
CREATE TABLE meeting_facilitator (
	meeting_id BIGINT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	PRIMARY KEY (meeting_id, person_id)
);

-- status: present, apologies, absent. newcomer: their first time.
CREATE TABLE attendance (
	meeting_id BIGINT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	status TEXT NOT NULL CHECK (status IN ('present', 'apologies', 'absent')),
	newcomer INTEGER NOT NULL DEFAULT 0,
	recorded_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX attendance_person ON attendance (person_id);

-- Roles members took on at a meeting (welcomer, note-taker, facilitator, or
-- the group's own names for them).
CREATE TABLE meeting_role (
	meeting_id BIGINT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	PRIMARY KEY (meeting_id, person_id, role)
);

-- Actions agreed at meetings; due_date is a local "YYYY-MM-DD".
CREATE TABLE action_item (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	meeting_id BIGINT REFERENCES meeting(id) ON DELETE SET NULL,
	description TEXT NOT NULL,
	owner_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	due_date TEXT,
	done_at BIGINT,
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX action_item_group ON action_item (group_id, done_at);
CREATE INDEX action_item_meeting ON action_item (meeting_id);

-- Full-text search of the directory: name, purpose, who it is for, place.
-- @sqlite
CREATE VIRTUAL TABLE group_fts USING fts5(name, purpose, who_for, place,
	tokenize = 'unicode61 remove_diacritics 2');
-- @postgres
ALTER TABLE peer_group ADD COLUMN search_doc tsvector;
CREATE INDEX peer_group_search ON peer_group USING GIN (search_doc);
-- @both
