/* tag.c - the network's list of tags (see tag.h). */
#include "tag.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <string.h>

static int require_coordinator(const struct actor *actor, herr *e)
{
	if (!actor || !actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL, "Only the network's coordinators can change the tags.");
	return 0;
}

/* Bytes of a UTF-8 sequence starting with lead byte c (1 for a stray byte). */
static size_t sequence_length(unsigned char c)
{
	return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* True for the general punctuation and space blocks (U+2000-U+206F,
 * starting E2 80/E2 81) and Latin-1 symbols (C2 80-BF), which separate. */
static bool is_separator_sequence(const unsigned char *s, size_t len)
{
	if (len == 2 && s[0] == 0xC2)
		return true;
	if (len == 2 && s[0] == 0xC3 && (s[1] == 0x97 || s[1] == 0xB7))
		return true;   /* × ÷ */
	if (len == 3 && s[0] == 0xE2 && (s[1] == 0x80 || s[1] == 0x81))
		return true;
	if (len == 3 && s[0] == 0xE3 && s[1] == 0x80)
		return true;   /* CJK punctuation */
	return false;
}

int tag_slug_of(const char *name, char *out, size_t size, herr *e)
{
	const unsigned char *s = (const unsigned char *)(name ? name : "");
	size_t n = strlen((const char *)s), used = 0, i = 0;
	bool gap = false;
	size_t limit = size - 1 < TAG_SLUG_MAX ? size - 1 : TAG_SLUG_MAX;
	while (i < n) {
		unsigned char c = s[i];
		size_t len = sequence_length(c);
		if (i + len > n)
			len = n - i;
		bool keep;
		if (c < 0x80)
			keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		else
			keep = len > 1 && !is_separator_sequence(s + i, len);
		if (!keep) {
			gap = used > 0;
			i += len;
			continue;
		}
		if (used + (gap ? 1 : 0) + len > limit)
			break;
		if (gap)
			out[used++] = '-';
		gap = false;
		for (size_t k = 0; k < len; k++) {
			unsigned char b = s[i + k];
			out[used++] = (char)(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
		}
		i += len;
	}
	out[used] = '\0';
	if (used == 0)
		return herr_set(e, ERR_INVALID, "name",
				"Give the tag a name with at least one letter or digit.");
	return 0;
}

static int check_name(const char *name, herr *e)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0)
		return herr_set(e, ERR_INVALID, "name", "Enter a name for the tag.");
	if (!utf8_valid_text(name, n) || strpbrk(name, "\r\n\t"))
		return herr_set(e, ERR_INVALID, "name", "A tag's name is one line of plain text.");
	if (utf8_length(name, n) > TAG_NAME_MAX)
		return herr_set(e, ERR_INVALID, "name",
				"Please keep the tag's name to %d characters or fewer.", TAG_NAME_MAX);
	return 0;
}

int tag_create(db *d, arena *a, const struct actor *actor, const char *name,
	       struct tag *ret, herr *e)
{
	char slug[TAG_SLUG_MAX + 1];
	int rc = require_coordinator(actor, e);
	if (!rc) rc = check_name(name, e);
	if (!rc) rc = tag_slug_of(name, slug, sizeof slug, e);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d, "INSERT INTO tag (id, slug, name, created_at) VALUES (?, ?, ?, ?)");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not save the tag.");
	int64_t id = id_new();
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, slug);
	db_bind_text(st, 3, name);
	db_bind_int64(st, 4, time_now_ms());
	rc = db_step(st);
	db_reset(st);
	if (rc == ERR_CONFLICT)
		return herr_set(e, ERR_CONFLICT, "name",
				"There is already a tag called \"%.60s\" (or one written almost the same way).",
				name);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the tag.");
	if (ret) {
		ret->id = id;
		ret->slug = arena_strdup(a, slug);
		ret->name = arena_strdup(a, name);
		ret->group_count = 0;
	}
	return 0;
}

int tag_delete(db *d, const struct actor *actor, int64_t id, herr *e)
{
	int rc = require_coordinator(actor, e);
	if (rc)
		return rc;
	/* group_tag rows go with it (ON DELETE CASCADE). */
	db_stmt *st = db_prepare(d, "DELETE FROM tag WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not remove the tag.");
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not remove the tag.");
	if (db_changes(d) == 0)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such tag; it may have been removed already.");
	return 0;
}

/* Reads rows of (id, slug, name[, count]) into an arena array. */
static int read_tags(db_stmt *st, arena *a, bool with_count, struct tag **ret, size_t *ret_n,
		     herr *e)
{
	size_t n = 0, cap = 0;
	struct tag *list = NULL;
	int rc = 0;
	while (n < TAG_LIST_MAX && (list = arena_grow(a, list, n, &cap, sizeof *list)) &&
	       (rc = db_step(st)) == DB_ROW) {
		struct tag *t = &list[n++];
		t->id = db_col_int64(st, 0);
		t->slug = arena_strdup(a, db_col_text(st, 1));
		t->name = arena_strdup(a, db_col_text(st, 2));
		t->group_count = with_count ? db_col_int64(st, 3) : 0;
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the tags.");
	*ret = list;
	*ret_n = n;
	return 0;
}

int tag_list(db *d, arena *a, struct tag **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT t.id, t.slug, t.name, "
		"(SELECT COUNT(*) FROM group_tag gt JOIN peer_group g ON g.id = gt.group_id "
		" WHERE gt.tag_id = t.id AND g.status <> 'closed') "
		"FROM tag t ORDER BY t.name, t.id LIMIT 500");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the tags.");
	return read_tags(st, a, true, ret, ret_n, e);
}

int tag_list_names(db *d, arena *a, struct tag **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT id, slug, name FROM tag ORDER BY name, id LIMIT 500");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the tags.");
	return read_tags(st, a, false, ret, ret_n, e);
}

int tag_find(db *d, arena *a, const char *slug, const char *field, struct tag *ret, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT id, slug, name FROM tag WHERE slug = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the tags.");
	db_bind_text(st, 1, slug);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->id = db_col_int64(st, 0);
		ret->slug = arena_strdup(a, db_col_text(st, 1));
		ret->name = arena_strdup(a, db_col_text(st, 2));
		ret->group_count = 0;
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the tags.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_INVALID, field, "There is no tag called \"%.60s\".", slug);
	return 0;
}
