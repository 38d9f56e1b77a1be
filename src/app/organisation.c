/* organisation.c - the host charity and its partners (see organisation.h). */
#include "organisation.h"
#include "membership.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <string.h>
#include <strings.h>

static int require_coordinator(const struct actor *actor, herr *e)
{
	if (!actor || !actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL,
				"Only the network's coordinators can change organisations.");
	return 0;
}

int organisation_web_address_ok(const char *url)
{
	size_t skip;
	if (!url)
		return 0;
	if (strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else
		return 0;
	const char *host = url + skip;
	size_t host_len = strcspn(host, "/?#");
	if (host_len == 0 || host[0] == '@' || host[0] == ':' || host[0] == '.')
		return 0;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
		    *p == '`' || (unsigned char)*p == 0x7F)
			return 0;
	return 1;
}

/* A single line of text for a name; returns true when s spans lines. */
static bool has_line_break(const char *s)
{
	return s && strpbrk(s, "\r\n\t") != NULL;
}

static size_t chars(const char *s)
{
	return s ? utf8_length(s, strlen(s)) : 0;
}

int organisation_check(const struct organisation_input *in, herr *e)
{
	if (!in->name || !*in->name)
		return herr_set(e, ERR_INVALID, "name", "Enter the organisation's name.");
	if (has_line_break(in->name))
		return herr_set(e, ERR_INVALID, "name", "The organisation's name is one line of text.");
	if (chars(in->name) > ORG_NAME_MAX)
		return herr_set(e, ERR_INVALID, "name",
				"Please keep the organisation's name to %d characters or fewer.", ORG_NAME_MAX);
	if (chars(in->description) > ORG_DESCRIPTION_MAX)
		return herr_set(e, ERR_INVALID, "description",
				"Please keep the description to %d characters or fewer.", ORG_DESCRIPTION_MAX);
	if (in->website && *in->website) {
		if (chars(in->website) > ORG_WEBSITE_MAX)
			return herr_set(e, ERR_INVALID, "website",
					"Please keep the website address to %d characters or fewer.",
					ORG_WEBSITE_MAX);
		if (!organisation_web_address_ok(in->website))
			return herr_set(e, ERR_INVALID, "website",
					"Enter the website as a full address starting with https:// "
					"(or http://), such as https://example.org.");
	}
	return 0;
}

/* Checks that a coordinator asks and that in passes organisation_check,
 * then prepares sql, an insert or update whose ?1 to ?4 are the name,
 * description, website and is_host of in, and binds those; the caller binds
 * the rest and calls run_write. */
static int prepare_write(db *d, const char *sql, const struct actor *actor,
			 const struct organisation_input *in, db_stmt **ret_st, herr *e)
{
	int rc = require_coordinator(actor, e);
	if (!rc) rc = organisation_check(in, e);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not save the organisation.");
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->description ? in->description : "");
	db_bind_text(st, 3, in->website && *in->website ? in->website : NULL);
	db_bind_bool(st, 4, in->is_host);
	*ret_st = st;
	return 0;
}

/* Runs a statement from prepare_write; a name another organisation has is
 * ERR_CONFLICT on the name field. */
static int run_write(db_stmt *st, const struct organisation_input *in, herr *e)
{
	int rc = db_step(st);
	db_reset(st);
	if (rc == ERR_CONFLICT)
		return herr_set(e, ERR_CONFLICT, "name",
				"There is already an organisation called \"%.80s\".", in->name);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the organisation.");
	return 0;
}

int organisation_create(db *d, const struct actor *actor, const struct organisation_input *in,
			int64_t *ret_id, herr *e)
{
	db_stmt *st;
	int rc = prepare_write(d,
		"INSERT INTO organisation (name, description, website, is_host, id, created_at, "
		"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", actor, in, &st, e);
	if (rc)
		return rc;
	int64_t id = id_new(), now = time_now_ms();
	db_bind_int64(st, 5, id);
	db_bind_int64(st, 6, now);
	db_bind_int64(st, 7, now);
	if ((rc = run_write(st, in, e)))
		return rc;
	*ret_id = id;
	return 0;
}

int organisation_update(db *d, const struct actor *actor, int64_t id,
			const struct organisation_input *in, herr *e)
{
	db_stmt *st;
	int rc = prepare_write(d,
		"UPDATE organisation SET name = ?, description = ?, website = ?, is_host = ?, "
		"updated_at = ? WHERE id = ?", actor, in, &st, e);
	if (rc)
		return rc;
	db_bind_int64(st, 5, time_now_ms());
	db_bind_int64(st, 6, id);
	if ((rc = run_write(st, in, e)))
		return rc;
	if (db_changes(d) == 0)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such organisation.");
	return 0;
}

static void read_row(db_stmt *st, arena *a, struct organisation *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int64(st, 0);
	o->name = arena_strdup(a, db_col_text(st, 1));
	o->description = arena_strdup(a, db_col_text(st, 2));
	o->website = arena_strdup(a, db_col_text(st, 3));
	o->is_host = db_col_bool(st, 4);
	o->created_at = db_col_int64(st, 5);
	o->updated_at = db_col_int64(st, 6);
}

int organisation_get(db *d, arena *a, int64_t id, struct organisation *ret, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, name, description, website, is_host, created_at, updated_at "
		"FROM organisation WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the organisation.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, a, ret);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the organisation.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such organisation.");
	return 0;
}

#define ORG_GROUPS_SHOWN 100   /* per organisation and kind, on its list */

/* Reads up to ORG_GROUPS_SHOWN (id, name) rows for one organisation. */
static int read_groups(db *d, arena *a, const char *sql, int64_t org_id,
		       struct org_group **ret, size_t *ret_n)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, org_id);
	struct org_group *list = arena_alloc(a, ORG_GROUPS_SHOWN * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < ORG_GROUPS_SHOWN && (rc = db_step(st)) == DB_ROW)
		list[n++] = (struct org_group){ db_col_int64(st, 0), arena_strdup(a, db_col_text(st, 1)) };
	db_reset(st);
	if (!list)
		return ERR_NOMEM;
	if (rc < 0)
		return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

/* Fills an organisation's hosted and partnered groups that are not closed
 * (indexes peer_group_host and group_partner_org). */
static int attach_groups(db *d, arena *a, struct organisation *o, herr *e)
{
	int rc = read_groups(d, a,
		"SELECT id, name FROM peer_group WHERE host_org_id = ? AND status <> 'closed' "
		"ORDER BY name, id LIMIT 100", o->id, &o->hosts, &o->n_hosts);
	if (!rc)
		rc = read_groups(d, a,
			"SELECT g.id, g.name FROM group_partner gp JOIN peer_group g ON g.id = gp.group_id "
			"WHERE gp.org_id = ? AND g.status <> 'closed' ORDER BY g.name, g.id LIMIT 100",
			o->id, &o->partners, &o->n_partners);
	if (rc)
		return herr_set(e, rc, NULL, "Could not read the organisations' groups.");
	return 0;
}

/* Reads up to max rows of st, prepared and bound, into a new list; resets
 * st. */
static int read_rows(db_stmt *st, arena *a, size_t max, struct organisation **ret,
		     size_t *ret_n, herr *e)
{
	struct organisation *list = arena_alloc(a, (max ? max : 1) * sizeof *list);
	size_t n = 0;
	int rc = 0;
	while (list && n < max && (rc = db_step(st)) == DB_ROW)
		read_row(st, a, &list[n++]);
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the organisations.");
	*ret = list;
	*ret_n = n;
	return 0;
}

/* Reads every organisation; with_groups adds what each hosts and partners. */
static int list_organisations(db *d, arena *a, bool with_groups, struct organisation **ret,
			      size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, name, description, website, is_host, created_at, updated_at "
		"FROM organisation ORDER BY is_host DESC, name, id LIMIT 500");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the organisations.");
	struct organisation *list;
	size_t n;
	int rc = read_rows(st, a, ORG_LIST_MAX, &list, &n, e);
	if (rc)
		return rc;
	for (size_t i = 0; with_groups && i < n; i++)
		if ((rc = attach_groups(d, a, &list[i], e)))
			return rc;
	*ret = list;
	*ret_n = n;
	return 0;
}

int organisation_list(db *d, arena *a, struct organisation **ret, size_t *ret_n, herr *e)
{
	return list_organisations(d, a, true, ret, ret_n, e);
}

int organisation_list_names(db *d, arena *a, struct organisation **ret, size_t *ret_n, herr *e)
{
	return list_organisations(d, a, false, ret, ret_n, e);
}

int organisation_count(db *d, int64_t *ret, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM organisation");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not count the organisations.");
	int rc = db_step(st);
	if (rc == DB_ROW)
		*ret = db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : herr_set(e, rc < 0 ? rc : ERR_DB, NULL,
					   "Could not count the organisations.");
}

/* The pattern is lower-cased in C and the name by LOWER(), which both
 * databases agree on for ASCII; '!' escapes % and _ in what was typed. */
int organisation_find(db *d, arena *a, const char *find, int limit, struct organisation **ret,
		      size_t *ret_n, herr *e)
{
	const char *pattern = membership_find_pattern(a, find ? find : "");
	if (!pattern)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	db_stmt *st = db_prepare(d,
		"SELECT id, name, description, website, is_host, created_at, updated_at "
		"FROM organisation WHERE LOWER(name) LIKE ? ESCAPE '!' ORDER BY name, id LIMIT ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the organisations.");
	db_bind_text(st, 1, pattern);
	db_bind_int64(st, 2, limit);
	return read_rows(st, a, limit > 0 ? (size_t)limit : 0, ret, ret_n, e);
}
