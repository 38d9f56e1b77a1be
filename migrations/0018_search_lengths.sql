-- 0018_search_lengths.sql - a counter of changes to the directory's
-- full-text index (issue 6), so that each SQLite connection can keep every
-- group's length in tokens and rank a search by words without looking the
-- length of each match up (hearth_bm25 in src/store/search_rank.c); it reads
-- the lengths again when the counter has moved.
--
-- src/store/search.c adds one with every group it indexes or removes, in the
-- same transaction; the status trigger of migration 0016 does too, now.
-- @sqlite
CREATE TABLE search_index_state (
	only INTEGER PRIMARY KEY CHECK (only = 1),
	version INTEGER NOT NULL
);
INSERT INTO search_index_state (only, version) VALUES (1, 1);
DROP TRIGGER peer_group_search_status;
CREATE TRIGGER peer_group_search_status AFTER UPDATE OF status ON peer_group
	WHEN old.status IS NOT new.status
BEGIN
	UPDATE group_fts SET status = new.status WHERE rowid = new.id;
	UPDATE search_index_state SET version = version + 1;
END;
-- @postgres
-- Nothing: PostgreSQL ranks with ts_rank over the row's own tsvector.
-- @both
