-- 0009_community.sql - the wider community (capability C4): the network's
-- directory of community resources and the categories they are filed
-- under (a resource may name one of the partner organisations), and per
-- group: community events and outings, connections made, and signposting
-- counts by category with no personal details.
--
-- Categories are seeded (ids 1-14); slug is the stable name the API and
-- the filter use. Times are BIGINT Unix ms.

CREATE TABLE resource_category (
	id BIGINT PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL UNIQUE,
	position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO resource_category (id, slug, name, position) VALUES
	(1, 'housing-advice', 'Housing advice', 1),
	(2, 'benefits', 'Benefits', 2),
	(3, 'employment', 'Employment', 3),
	(4, 'arts', 'Arts', 4),
	(5, 'sport', 'Sport', 5),
	(6, 'crisis-lines', 'Crisis lines', 6),
	(7, 'food', 'Food', 7),
	(8, 'debt', 'Debt', 8),
	(9, 'carers', 'Carers', 9),
	(10, 'parenting', 'Parenting', 10),
	(11, 'lgbtq', 'LGBTQ+', 11),
	(12, 'domestic-abuse', 'Domestic abuse', 12),
	(13, 'mental-health', 'Mental health services', 13),
	(14, 'learning', 'Learning and skills', 14);

CREATE TABLE community_resource (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	category_id BIGINT NOT NULL REFERENCES resource_category(id),
	description TEXT NOT NULL DEFAULT '',
	phone TEXT,
	email TEXT,
	website TEXT,
	opening_times TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	organisation_id BIGINT REFERENCES organisation(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX community_resource_by_category ON community_resource (category_id, name);

-- A group's community events and outings; starts_at is UTC ms.
CREATE TABLE community_event (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	starts_at BIGINT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX community_event_by_group ON community_event (group_id, starts_at);

-- Connections a group makes: with a listed organisation or someone named in
-- free text (with_text); kind is one of the fixed list; connected_on is a
-- local date "YYYY-MM-DD".
CREATE TABLE community_connection (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	organisation_id BIGINT REFERENCES organisation(id) ON DELETE SET NULL,
	with_text TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL CHECK (kind IN ('referral', 'joint_activity', 'visit', 'speaker', 'other')),
	connected_on TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX community_connection_by_group ON community_connection (group_id, connected_on);

-- Signposting: how many people were pointed to a category at a meeting.
-- Counts only: never who.
CREATE TABLE community_signpost (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	meeting_id BIGINT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES resource_category(id),
	people INTEGER NOT NULL CHECK (people BETWEEN 1 AND 100),
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX community_signpost_by_group ON community_signpost (group_id, category_id);
