/* search.h - full-text search of the group directory and the distance
 * arithmetic behind "groups near me", kept behind the store so that the
 * rest of Hearth never writes dialect-specific SQL.
 *
 * SQLite keeps the text in the FTS5 table group_fts (rowid = group id);
 * PostgreSQL keeps a tsvector in peer_group.search_doc built with the
 * 'simple' configuration (no stemming, no stop words, like FTS5's unicode61).
 *
 * What a person types is never passed as query syntax: it is cut into words
 * of letters and digits, each word is quoted, all words must match, and the
 * last word also matches as a prefix (so "walk" finds "walking" as it is
 * typed). Each backend gets that same meaning in its own syntax:
 *   FTS5:     {name purpose who_for place} : ("men" "walking"*)
 *   tsquery:  'men' & 'walking':*
 * The FTS5 table also holds each group's status in a column of its own,
 * which typed words never match (migrations/0016_search_status.sql).
 *
 * A search query composes its SQL from the constant fragments below (with
 * db_sql_intern) and binds the built query where the fragments put "?". */
#ifndef HEARTH_SEARCH_H
#define HEARTH_SEARCH_H

#include "../base/arena.h"
#include "db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEARCH_MAX_WORDS 8           /* words after the eighth are ignored */
#define SEARCH_MAX_WORD_BYTES 64     /* a longer word is cut */
#define SEARCH_QUERY_MAX 1024        /* room for any built query */

enum search_dialect { SEARCH_FTS5, SEARCH_TSQUERY };

enum search_dialect db_search_dialect(const db *d);

/* Builds the query for typed text in dialect into out (NUL-terminated,
 * size >= SEARCH_QUERY_MAX is always enough). Returns the number of words
 * used: 0 when the text holds nothing searchable (only punctuation or
 * spaces), in which case out is "". */
int db_search_query(enum search_dialect dialect, const char *typed, char *out, size_t size);

/* Puts a group's words into the index, replacing what was there; place is
 * the venue's name and address (and "online" for groups that meet online).
 * Runs in the caller's transaction. */
int db_search_index_group(db *d, int64_t id, const char *name, const char *purpose,
			  const char *who_for, const char *place);
/* Takes a group out of the index and out of the places (a closed group is
 * never found). */
int db_search_remove_group(db *d, int64_t id);

/* SQL fragments for a query over "peer_group g" (constants, for composing):
 *   join   goes after "FROM peer_group g" ("" when none is needed);
 *   match  a condition, true for groups matching the bound query (1 "?");
 *   rank   an expression over matched rows, smaller for better matches
 *          (db_search_rank_params() "?" to bind the same query to). */
const char *db_search_join_sql(const db *d);
const char *db_search_match_sql(const db *d);
const char *db_search_rank_sql(const db *d);
int db_search_rank_params(const db *d);

/* SQLite only: the directory's most common question, words in the default
 * statuses, from the index alone. Every group matching query (built by
 * db_search_query) whose status is forming or active (or paused too, with
 * with_paused), with its rank (as db_search_rank_sql: smaller is better),
 * in the index's order, in the arena; no row of peer_group is read.
 * ERR_INVALID on PostgreSQL, whose index is a column of the row. */
struct search_hit {
	int64_t id;
	double rank;
};
int db_search_rank_listed(db *d, arena *a, const char *query, bool with_paused,
			  struct search_hit **ret, size_t *ret_n);

/* ---- places: the 2-D index behind "groups near me" ----------------------- */

/* A group has a place in the index when it meets in person (its format is
 * not "online"), is not closed, and has both coordinates; otherwise it has
 * none. SQLite keeps the points in the R*Tree group_place (id = group id);
 * on PostgreSQL a GiST index on point(longitude, latitude) of peer_group
 * follows the row by itself (migrations/0014_group_place.sql).
 *
 * Puts the group's place into the index or takes it out, from the values
 * just written to its row (has_place false: no coordinates). Call it
 * wherever a group's format, status or coordinates are written. Runs in
 * the caller's transaction. */
int db_search_place_group(db *d, int64_t id, const char *format, const char *status,
			  bool has_place, double latitude, double longitude);

/* SQL fragments for a query over groups near a place (constants, for
 * composing):
 *   from   " FROM ... peer_group g ...", in place of " FROM peer_group g",
 *          reading the 2-D index first (on SQLite a CROSS JOIN from the
 *          R*Tree, so that the planner never walks every listed group);
 *   match  a condition, true for groups whose place lies in a box: binds
 *          four doubles, the box's west, south, east and north edges in
 *          degrees, in that order. It may let through points a hair
 *          outside the box (the R*Tree keeps 32-bit floats, rounded
 *          outwards), so callers measure the exact distance after. */
const char *db_search_place_from_sql(const db *d);
const char *db_search_place_sql(const db *d);

/* ---- distance ---------------------------------------------------------- */

#define SEARCH_EARTH_RADIUS_KM 6371.0088   /* the mean radius (IUGG) */

/* Great-circle distance in km between two points given in degrees
 * (haversine formula). */
double search_distance_km(double lat1, double lon1, double lat2, double lon2);

/* The latitude/longitude box that holds every point within radius_km of
 * (lat, lon): an indexed prefilter before the exact distance. When the
 * circle reaches a pole or crosses the 180th meridian, every longitude is
 * in the box (all_longitudes), and only latitude narrows the search. */
struct search_box {
	double min_lat, max_lat;
	double min_lon, max_lon;
	bool all_longitudes;
};
void search_box_around(double lat, double lon, double radius_km, struct search_box *ret);
bool search_box_holds(const struct search_box *b, double lat, double lon);

#endif
