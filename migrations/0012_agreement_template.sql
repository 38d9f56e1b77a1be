-- 0012_agreement_template.sql - the network's starting template for group
-- agreements as coordinators edit it (capability C4): the aims a group
-- starts with, its ground rules (one a line, as in group_agreement) and the
-- values it suggests (ids, comma-separated). One row, id 1, once someone
-- edits the template; until then the built-in template serves (the ground
-- rules of agreement_template_rule, see 0005, and the aims in agreement.h).
CREATE TABLE network_agreement_template (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	aims TEXT NOT NULL,
	rules TEXT NOT NULL,
	value_ids TEXT NOT NULL,
	updated_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	updated_at BIGINT NOT NULL
);
