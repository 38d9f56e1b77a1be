-- 0017_pair_consent.sql - each stored pair (checkin_pair) carries whether
-- its person's consent lets it count in the network's figures (issue 6),
-- so that the network's figures read only the pairs that count, through a
-- partial index, instead of reading every pair and every consenting person
-- and walking the two lists side by side.
--
-- counts_in_network is 1 exactly while the person's consent has take_part
-- and network_reports both 1. The program writes it with each new pair
-- (note_pair and pair_chunk in src/app/checkin.c); the triggers below keep
-- it in step with every change of consent, by the program or by hand in the
-- database, in the same transaction as the change. Withdrawing consent thus
-- takes a person's pairs out of the network's figures at once.
ALTER TABLE checkin_pair ADD COLUMN counts_in_network INTEGER NOT NULL DEFAULT 0;
UPDATE checkin_pair SET counts_in_network = 1 WHERE EXISTS (SELECT 1 FROM checkin_consent k
	WHERE k.person_id = checkin_pair.person_id AND k.take_part = 1 AND k.network_reports = 1);

-- The network's figures: an instrument's counted pairs in person order,
-- with the columns the figures read (the check-in ids are left out).
-- counts_in_network is in it too, although always 1 there: without it
-- SQLite does not take the index as covering the query and positions a
-- cursor on the table for every row.
DROP INDEX checkin_pair_network;
CREATE INDEX checkin_pair_network ON checkin_pair (instrument_id, person_id, group_id, scale_id,
	first_score, last_score, latest_at, counts_in_network) WHERE counts_in_network = 1;
-- The figures no longer walk the consenting people.
DROP INDEX checkin_consent_network;
-- @sqlite
CREATE TRIGGER checkin_consent_counts_added AFTER INSERT ON checkin_consent
	WHEN new.take_part = 1 AND new.network_reports = 1
BEGIN
	UPDATE checkin_pair SET counts_in_network = 1 WHERE person_id = new.person_id;
END;
CREATE TRIGGER checkin_consent_counts_changed AFTER UPDATE OF take_part, network_reports
	ON checkin_consent
	WHEN (old.take_part = 1 AND old.network_reports = 1) IS NOT
	     (new.take_part = 1 AND new.network_reports = 1)
BEGIN
	UPDATE checkin_pair SET counts_in_network = (new.take_part = 1 AND new.network_reports = 1)
		WHERE person_id = new.person_id;
END;
CREATE TRIGGER checkin_consent_counts_removed AFTER DELETE ON checkin_consent
BEGIN
	UPDATE checkin_pair SET counts_in_network = 0 WHERE person_id = old.person_id;
END;
-- @postgres
CREATE FUNCTION checkin_consent_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	counts INTEGER := 0;
BEGIN
	IF TG_OP <> 'DELETE' AND NEW.take_part = 1 AND NEW.network_reports = 1 THEN
		counts := 1;
	END IF;
	UPDATE checkin_pair SET counts_in_network = counts
		WHERE person_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.person_id ELSE NEW.person_id END)
		AND counts_in_network <> counts;
	RETURN NULL;
END
$$;
CREATE TRIGGER checkin_consent_counts AFTER INSERT OR UPDATE OF take_part, network_reports OR DELETE
	ON checkin_consent FOR EACH ROW EXECUTE FUNCTION checkin_consent_counts();
-- @both
