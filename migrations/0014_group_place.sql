-- 0014_group_place.sql - a 2-D index of where groups meet, for "groups near
-- me" (issue 6): the search reads only the groups in the box around the
-- person, however many groups the network has.
--
-- A group has a place when it meets in person (format other than 'online'),
-- is not closed, and has both coordinates; src/store/search.c keeps the
-- index in step with the row (db_search_place_group) and holds the SQL that
-- queries it (db_search_place_sql).
-- @sqlite
-- An R*Tree of points (min = max): id is the group's id.
CREATE VIRTUAL TABLE group_place USING rtree(id, min_lat, max_lat, min_lon, max_lon);
INSERT INTO group_place (id, min_lat, max_lat, min_lon, max_lon)
	SELECT id, latitude, latitude, longitude, longitude FROM peer_group
	WHERE format <> 'online' AND status <> 'closed'
	AND latitude IS NOT NULL AND longitude IS NOT NULL;
-- @postgres
-- GiST over the row's own point (x = longitude, y = latitude); PostgreSQL
-- keeps it in step itself. A NULL coordinate gives a NULL point, never found.
CREATE INDEX peer_group_place ON peer_group USING GIST (point(longitude, latitude));
-- @both
