/* search.c - full-text search of the directory on both backends, and the
 * distance arithmetic for "near" searches (see search.h). */
#include "search.h"
#include "search_rank.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum search_dialect db_search_dialect(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES ? SEARCH_TSQUERY : SEARCH_FTS5;
}

/* ---- turning typed text into a query ----------------------------------- */

/* The FTS5 columns typed words may match: not the status column. */
#define FTS_TEXT_COLUMNS "{name purpose who_for place}"

/* Decodes one UTF-8 code point at s (n bytes left); returns its length, or
 * 1 with *cp = 0xFFFD for a broken sequence (treated as a separator). */
static size_t next_code_point(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
		   : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 0 || len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned v = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = v;
	return len;
}

/* Letters and digits make words; everything else separates them. Outside
 * ASCII, the punctuation and space blocks separate and the rest (letters of
 * every script) joins, which is all a search box needs. */
static bool is_word_code_point(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp <= 0xBF)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;   /* ª µ º */
	if (cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD || cp == 0xFEFF)
		return false;
	if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20))
		return false;
	return true;
}

struct word {
	const char *start;
	size_t len;
};

/* Finds up to SEARCH_MAX_WORDS words in typed. */
static size_t split_words(const char *typed, struct word *words)
{
	const unsigned char *s = (const unsigned char *)(typed ? typed : "");
	size_t n = strlen((const char *)s), i = 0, count = 0;
	while (i < n && count < SEARCH_MAX_WORDS) {
		unsigned cp;
		size_t len = next_code_point(s + i, n - i, &cp);
		if (!is_word_code_point(cp)) {
			i += len;
			continue;
		}
		size_t start = i, end = i;
		while (i < n) {
			len = next_code_point(s + i, n - i, &cp);
			if (!is_word_code_point(cp))
				break;
			i += len;
			if (i - start <= SEARCH_MAX_WORD_BYTES)
				end = i;   /* cut long words on a code point boundary */
		}
		words[count++] = (struct word){ (const char *)s + start, end - start };
	}
	return count;
}

/* Appends the word, ASCII letters lowercased; words hold no quote, backslash
 * or operator character, so quoting them is enough to make them plain terms
 * in both syntaxes. */
static void put_word(char *out, size_t size, size_t *used, const struct word *w)
{
	for (size_t i = 0; i < w->len && *used + 1 < size; i++) {
		char c = w->start[i];
		out[(*used)++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[*used] = '\0';
}

static void put_text(char *out, size_t size, size_t *used, const char *text)
{
	size_t n = strlen(text);
	if (*used + n >= size)
		n = size - *used - 1;
	memcpy(out + *used, text, n);
	*used += n;
	out[*used] = '\0';
}

int db_search_query(enum search_dialect dialect, const char *typed, char *out, size_t size)
{
	struct word words[SEARCH_MAX_WORDS];
	size_t count = split_words(typed, words), used = 0;
	if (size == 0)
		return 0;
	out[0] = '\0';
	if (dialect == SEARCH_FTS5 && count)
		put_text(out, size, &used, FTS_TEXT_COLUMNS " : (");
	for (size_t i = 0; i < count; i++) {
		bool last = i + 1 == count;
		if (dialect == SEARCH_FTS5) {
			/* "word" is a one-term phrase; "word"* a prefix query. */
			put_text(out, size, &used, i ? " \"" : "\"");
			put_word(out, size, &used, &words[i]);
			put_text(out, size, &used, last ? "\"*" : "\"");
		} else {
			/* 'word' is a quoted lexeme; :* asks for a prefix match. */
			put_text(out, size, &used, i ? " & '" : "'");
			put_word(out, size, &used, &words[i]);
			put_text(out, size, &used, last ? "':*" : "'");
		}
	}
	if (dialect == SEARCH_FTS5 && count)
		put_text(out, size, &used, ")");
	return (int)count;
}

/* ---- keeping the index ------------------------------------------------- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Runs sql, a statement with one "?" for a group id. */
static int exec_for_group(db *d, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Counts a change to the FTS5 index, for the connections that keep its
 * lengths (search_rank.h). */
static int count_index_change(db *d)
{
	return db_exec(d, "UPDATE search_index_state SET version = version + 1");
}

/* Replaces the group's words only; its place is kept apart. */
static int index_sqlite(db *d, int64_t id, const char *name, const char *purpose,
			const char *who_for, const char *place)
{
	int rc = exec_for_group(d, "DELETE FROM group_fts WHERE rowid = ?", id);
	if (!rc)
		rc = count_index_change(d);
	if (rc)
		return rc;
	/* The status comes from the row itself (a trigger follows it after). */
	db_stmt *st = db_prepare(d, "INSERT INTO group_fts (rowid, name, purpose, who_for, place, status) "
				    "VALUES (?, ?, ?, ?, ?, (SELECT status FROM peer_group WHERE id = ?))");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, or_empty(name));
	db_bind_text(st, 3, or_empty(purpose));
	db_bind_text(st, 4, or_empty(who_for));
	db_bind_text(st, 5, or_empty(place));
	db_bind_int64(st, 6, id);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* The name weighs most, then purpose and who it is for, then the place. */
static int index_postgres(db *d, int64_t id, const char *name, const char *purpose,
			  const char *who_for, const char *place)
{
	db_stmt *st = db_prepare(d,
		"UPDATE peer_group SET search_doc = "
		"setweight(to_tsvector('simple', CAST(? AS TEXT)), 'A') || "
		"setweight(to_tsvector('simple', CAST(? AS TEXT)), 'B') || "
		"setweight(to_tsvector('simple', CAST(? AS TEXT)), 'B') || "
		"setweight(to_tsvector('simple', CAST(? AS TEXT)), 'C') "
		"WHERE id = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, or_empty(name));
	db_bind_text(st, 2, or_empty(purpose));
	db_bind_text(st, 3, or_empty(who_for));
	db_bind_text(st, 4, or_empty(place));
	db_bind_int64(st, 5, id);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int db_search_index_group(db *d, int64_t id, const char *name, const char *purpose,
			  const char *who_for, const char *place)
{
	if (db_backend_of(d) == DB_POSTGRES)
		return index_postgres(d, id, name, purpose, who_for, place);
	return index_sqlite(d, id, name, purpose, who_for, place);
}

int db_search_remove_group(db *d, int64_t id)
{
	if (db_backend_of(d) == DB_POSTGRES)
		return exec_for_group(d, "UPDATE peer_group SET search_doc = NULL WHERE id = ?", id);
	int rc = exec_for_group(d, "DELETE FROM group_fts WHERE rowid = ?", id);
	if (!rc)
		rc = count_index_change(d);
	return rc ? rc : exec_for_group(d, "DELETE FROM group_place WHERE id = ?", id);
}

/* ---- keeping the places ------------------------------------------------ */

static bool has_listed_place(const char *format, const char *status, bool has_place)
{
	return has_place && format && strcmp(format, "online") != 0 &&
	       status && strcmp(status, "closed") != 0;
}

/* A point is a box of no size: min = max on both axes. */
int db_search_place_group(db *d, int64_t id, const char *format, const char *status,
			  bool has_place, double latitude, double longitude)
{
	if (db_backend_of(d) == DB_POSTGRES)
		return 0;   /* the GiST index is over the row's own columns */
	int rc = exec_for_group(d, "DELETE FROM group_place WHERE id = ?", id);
	if (rc || !has_listed_place(format, status, has_place))
		return rc;
	db_stmt *st = db_prepare(d, "INSERT INTO group_place (id, min_lat, max_lat, min_lon, max_lon) "
				    "VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_double(st, 2, latitude);
	db_bind_double(st, 3, latitude);
	db_bind_double(st, 4, longitude);
	db_bind_double(st, 5, longitude);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- fragments for composed queries ------------------------------------ */

const char *db_search_join_sql(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES ? ""
		: " JOIN group_fts ON group_fts.rowid = g.id";
}

const char *db_search_match_sql(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES
		? "g.search_doc @@ to_tsquery('simple', CAST(? AS TEXT))"
		: "group_fts MATCH ?";
}

/* bm25 (hearth_bm25 gives its numbers: search_rank.h) is smaller for
 * better matches; ts_rank larger, hence the minus. The status column weighs
 * nothing. */
#define FTS_RANK SEARCH_RANK_FUNCTION "(group_fts, 10.0, 4.0, 4.0, 2.0, 0.0)"

const char *db_search_rank_sql(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES
		? "(-ts_rank(g.search_doc, to_tsquery('simple', CAST(? AS TEXT))))"
		: FTS_RANK;
}

int db_search_rank_listed(db *d, arena *a, const char *query, bool with_paused,
			  struct search_hit **ret, size_t *ret_n)
{
	if (db_backend_of(d) != DB_SQLITE)
		return ERR_INVALID;
	char match[SEARCH_QUERY_MAX + 64];
	/* Closed groups leave the index; one closed by hand keeps its row. */
	int len = snprintf(match, sizeof match, "(%s) NOT status : (%s)", query,
			   with_paused ? "closed" : "paused OR closed");
	if (len < 0 || (size_t)len >= sizeof match)
		return ERR_INVALID;
	db_stmt *st = db_prepare(d, "SELECT rowid, " FTS_RANK " FROM group_fts WHERE group_fts MATCH ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, match);
	size_t n = 0, cap = 0;
	struct search_hit *hits = NULL;
	int rc = 0;
	while ((hits = arena_grow(a, hits, n, &cap, sizeof *hits)) && (rc = db_step(st)) == DB_ROW)
		hits[n++] = (struct search_hit){ db_col_int64(st, 0), db_col_double(st, 1) };
	db_reset(st);
	if (!hits)
		return ERR_NOMEM;
	if (rc < 0)
		return rc;
	*ret = hits;
	*ret_n = n;
	return 0;
}

int db_search_rank_params(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES ? 1 : 0;
}

const char *db_search_place_from_sql(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES ? " FROM peer_group g"
		: " FROM group_place gp CROSS JOIN peer_group g ON g.id = gp.id";
}

/* West, south, east, north. On SQLite the R*Tree returns the boxes that
 * overlap the query box, and a point's box overlaps it exactly when the
 * point is in it. On PostgreSQL the GiST index on point(longitude,
 * latitude) answers "<@ box" (the expression must match the index's). */
const char *db_search_place_sql(const db *d)
{
	return db_backend_of(d) == DB_POSTGRES
		? "point(g.longitude, g.latitude) <@ box("
		  "point(CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION)), "
		  "point(CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION)))"
		: "gp.max_lon >= ? AND gp.max_lat >= ? AND gp.min_lon <= ? AND gp.min_lat <= ?";
}

/* ---- distance ---------------------------------------------------------- */

static double radians(double deg)
{
	return deg * (M_PI / 180.0);
}

static double degrees(double rad)
{
	return rad * (180.0 / M_PI);
}

double search_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = radians(lat2 - lat1), dlon = radians(lon2 - lon1);
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) * sin(dlon / 2);
	if (h > 1.0)
		h = 1.0;   /* rounding near antipodes */
	return 2.0 * SEARCH_EARTH_RADIUS_KM * asin(sqrt(h));
}

void search_box_around(double lat, double lon, double radius_km, struct search_box *ret)
{
	double angle = radius_km / SEARCH_EARTH_RADIUS_KM;   /* radians of arc */
	double dlat = degrees(angle);
	ret->min_lat = lat - dlat;
	ret->max_lat = lat + dlat;
	ret->all_longitudes = true;
	ret->min_lon = -180.0;
	ret->max_lon = 180.0;
	if (ret->min_lat <= -90.0 || ret->max_lat >= 90.0) {
		/* A pole is inside the circle: every longitude is near. */
		if (ret->min_lat < -90.0)
			ret->min_lat = -90.0;
		if (ret->max_lat > 90.0)
			ret->max_lat = 90.0;
		return;
	}
	/* The widest longitude span of the circle (at the latitude where the
	 * circle touches its meridians), not simply angle / cos(lat). */
	double s = sin(angle) / cos(radians(lat));
	if (s >= 1.0)
		return;
	double dlon = degrees(asin(s));
	if (lon - dlon < -180.0 || lon + dlon > 180.0)
		return;   /* crosses the 180th meridian: latitude alone narrows */
	ret->min_lon = lon - dlon;
	ret->max_lon = lon + dlon;
	ret->all_longitudes = false;
}

bool search_box_holds(const struct search_box *b, double lat, double lon)
{
	if (lat < b->min_lat || lat > b->max_lat)
		return false;
	return b->all_longitudes || (lon >= b->min_lon && lon <= b->max_lon);
}
