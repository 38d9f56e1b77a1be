-- 0016_search_status.sql - the directory's full-text index also holds each
-- group's status (issue 6), so that a search by words in the directory's
-- default statuses is answered from the index alone: the matches are
-- ranked there and only the page's groups are read from peer_group
-- (db_search_rank_listed in src/store/search.c), instead of every match
-- being joined to its row to check its status.
--
-- Typed words never match the status column: db_search_query limits them
-- to the text columns. src/store/search.c writes the status with the rest
-- of the row; the trigger keeps it in step when only the status changes,
-- by the application or by hand in the database.
-- @sqlite
DROP TABLE group_fts;
CREATE VIRTUAL TABLE group_fts USING fts5(name, purpose, who_for, place, status,
	tokenize = 'unicode61 remove_diacritics 2');
-- The place as src/app/group.c writes it: venue, address, "online".
INSERT INTO group_fts (rowid, name, purpose, who_for, place, status)
	SELECT id, name, purpose, who_for,
		COALESCE(venue_name, '') || ' ' || COALESCE(venue_address, '') ||
		CASE WHEN format <> 'in_person' THEN ' online' ELSE '' END,
		status
	FROM peer_group WHERE status <> 'closed';
CREATE TRIGGER peer_group_search_status AFTER UPDATE OF status ON peer_group
	WHEN old.status IS NOT new.status
BEGIN
	UPDATE group_fts SET status = new.status WHERE rowid = new.id;
END;
-- @postgres
-- Nothing: the tsvector is a column of peer_group, read with its status.
-- @both
