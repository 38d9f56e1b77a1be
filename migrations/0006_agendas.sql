-- 0006_agendas.sql - negotiated agendas (capability C4): items members
-- propose for a meeting, who supports them, and the agreed agenda.
--
-- state: open (on the agenda), withdrawn (by its proposer), merged (into
-- merged_into), and after the meeting discussed, deferred or dropped.
-- A deferred item is copied to the group's next upcoming meeting (the copy's
-- carried_from names it, its carried_to names the copy). proposer_was_manager
-- records whether the proposer managed the group when proposing, for the
-- indicator "share of agenda items proposed by members".
CREATE TABLE agenda_item (
	id BIGINT PRIMARY KEY,
	meeting_id BIGINT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	why TEXT NOT NULL DEFAULT '',
	proposer_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	proposer_was_manager INTEGER NOT NULL DEFAULT 0,
	position INTEGER NOT NULL,
	minutes INTEGER,
	state TEXT NOT NULL CHECK (state IN ('open', 'withdrawn', 'merged', 'discussed', 'deferred', 'dropped')),
	merged_into BIGINT,
	carried_from BIGINT,
	carried_to BIGINT,
	outcome_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX agenda_item_meeting ON agenda_item (meeting_id, position);
CREATE INDEX agenda_item_group_state ON agenda_item (group_id, state);

CREATE TABLE agenda_support (
	item_id BIGINT NOT NULL REFERENCES agenda_item(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (item_id, person_id)
);

-- A meeting's agenda agreed by a manager; any later change to its items
-- removes the row, so the agenda must be agreed again.
CREATE TABLE agenda_agreement (
	meeting_id BIGINT PRIMARY KEY REFERENCES meeting(id) ON DELETE CASCADE,
	agreed_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	agreed_at BIGINT NOT NULL
);
