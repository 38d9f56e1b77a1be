/* value.c - the network's list of values (see value.h). */
#include "value.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <string.h>

int value_list(db *d, arena *a, struct value **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, name, description FROM network_value ORDER BY position, name, id");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the network's values.");
	size_t n = 0, cap = 0;
	struct value *list = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct value *bigger = arena_alloc(a, ncap * sizeof *bigger);
			if (!bigger) {
				db_reset(st);
				return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
			}
			if (n)
				memcpy(bigger, list, n * sizeof *list);
			list = bigger;
			cap = ncap;
		}
		list[n].id = db_col_int64(st, 0);
		list[n].name = arena_strdup(a, db_col_text(st, 1));
		list[n].description = arena_strdup(a, db_col_text(st, 2) ? db_col_text(st, 2) : "");
		n++;
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, ERR_DB, NULL, "Could not read the network's values.");
	*ret = list;
	*ret_n = n;
	return 0;
}

bool value_exists(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM network_value WHERE id = ?");
	if (!st)
		return false;
	db_bind_int64(st, 1, id);
	bool found = db_step(st) == DB_ROW;
	db_reset(st);
	return found;
}

static int check_text(const char *s, const char *field, const char *what, bool required,
		      size_t max, herr *e)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return required ? herr_set(e, ERR_INVALID, field, "Enter %s.", what) : 0;
	if (!utf8_valid_text(s, n))
		return herr_set(e, ERR_BADREQ, field, "The %s holds characters that cannot be accepted.",
				field);
	if (utf8_length(s, n) > max)
		return herr_set(e, ERR_INVALID, field, "Please keep %s to %zu characters or fewer.",
				what, max);
	return 0;
}

static bool name_taken(db *d, const char *name)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM network_value WHERE LOWER(name) = LOWER(?)");
	if (!st)
		return false;
	db_bind_text(st, 1, name);
	bool taken = db_step(st) == DB_ROW;
	db_reset(st);
	return taken;
}

static int insert_value(db *d, int64_t id, const char *name, const char *description,
			int64_t by)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO network_value (id, name, description, position, created_by, created_at) "
		"SELECT ?, ?, ?, COALESCE(MAX(position), 0) + 1, ?, ? FROM network_value");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, description ? description : "");
	db_bind_int64(st, 4, by);
	db_bind_int64(st, 5, time_now_ms());
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int value_add(db *d, const struct actor *actor, const char *name, const char *description,
	      int64_t *ret_id, herr *e)
{
	if (!actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL,
				"Only the network's coordinators can add to its list of values.");
	int rc = check_text(name, "name", "the value's name", true, VALUE_NAME_MAX, e);
	if (!rc)
		rc = check_text(description, "description", "the description", false,
				VALUE_DESCRIPTION_MAX, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not save the value.");
	int64_t id = id_new();
	if (name_taken(d, name))
		rc = herr_set(e, ERR_CONFLICT, "name", "The network already has a value called \"%s\".",
			      name);
	else if ((rc = insert_value(d, id, name, description, actor->person_id)))
		rc = herr_set(e, rc, rc == ERR_CONFLICT ? "name" : NULL,
			      rc == ERR_CONFLICT ? "The network already has a value with that name."
						 : "Could not save the value.");
	rc = db_finish(d, rc);
	if (!rc && ret_id)
		*ret_id = id;
	return rc;
}
