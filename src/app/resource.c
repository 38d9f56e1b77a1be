/* resource.c - the network's directory of community resources (see
 * resource.h). */
#include "resource.h"

#include "organisation.h"

#include "../base/ids.h"
#include "../base/utf8.h"

#include <string.h>

static int require_coordinator(const struct actor *actor, herr *e)
{
	if (!actor || !actor_runs_network(actor))
		return herr_set(e, ERR_DENIED, NULL,
				"Only the network's coordinators can change the directory of resources.");
	return 0;
}

static size_t chars(const char *s)
{
	return s ? utf8_length(s, strlen(s)) : 0;
}

static bool given(const char *s)
{
	return s && *s;
}

static bool has_line_break(const char *s)
{
	return s && strpbrk(s, "\r\n\t") != NULL;
}

/* ---- categories ----------------------------------------------------- */

int resource_categories(db *d, arena *a, struct resource_category **ret, size_t *ret_n, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT id, slug, name FROM resource_category ORDER BY position, id");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the resource categories.");
	size_t cap = 16, n = 0;
	struct resource_category *list = arena_alloc(a, cap * sizeof *list);
	int rc;
	while (list && (rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct resource_category *bigger = arena_alloc(a, 2 * cap * sizeof *list);
			if (bigger)
				memcpy(bigger, list, n * sizeof *list);
			list = bigger;
			cap *= 2;
			if (!list)
				break;
		}
		list[n].id = db_col_int64(st, 0);
		list[n].slug = arena_strdup(a, db_col_text(st, 1));
		list[n].name = arena_strdup(a, db_col_text(st, 2));
		n++;
	}
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the resource categories.");
	*ret = list;
	*ret_n = n;
	return 0;
}

int resource_category_find(db *d, arena *a, const char *slug, struct resource_category *ret,
			   herr *e)
{
	if (!given(slug))
		return herr_set(e, ERR_INVALID, "category", "Choose a category from the list.");
	db_stmt *st = db_prepare(d, "SELECT id, slug, name FROM resource_category WHERE slug = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the resource categories.");
	db_bind_text(st, 1, slug);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->id = db_col_int64(st, 0);
		ret->slug = arena_strdup(a, db_col_text(st, 1));
		ret->name = arena_strdup(a, db_col_text(st, 2));
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the resource categories.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_INVALID, "category",
				"There is no category \"%.60s\"; choose a category from the list.", slug);
	return 0;
}

/* ---- contact details ------------------------------------------------ */

int resource_phone_ok(const char *phone)
{
	if (!phone)
		return 0;
	int digits = 0;
	for (const char *p = phone; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '+' && p == phone)
			continue;
		else if (!strchr(" ()-.", *p))
			return 0;
	}
	return digits >= 3 && digits <= 20;
}

int resource_email_ok(const char *email)
{
	if (!email)
		return 0;
	const char *at = strchr(email, '@');
	if (!at || at == email || strchr(at + 1, '@'))
		return 0;
	const char *domain = at + 1;
	const char *dot = strchr(domain, '.');
	if (!dot || dot == domain || dot[1] == '\0' || domain[strlen(domain) - 1] == '.')
		return 0;
	for (const char *p = email; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>\"(),;:\\[]", *p) || (unsigned char)*p == 0x7F)
			return 0;
	return 1;
}

/* ---- checking input ------------------------------------------------- */

static int check_text(const char *s, size_t max, const char *field, const char *label, herr *e)
{
	if (chars(s) > max)
		return herr_set(e, ERR_INVALID, field, "Please keep %s to %zu characters or fewer.", label,
				max);
	return 0;
}

static int check_contact(const struct resource_input *in, herr *e)
{
	if (given(in->phone) && (chars(in->phone) > RESOURCE_PHONE_MAX || !resource_phone_ok(in->phone)))
		return herr_set(e, ERR_INVALID, "phone",
				"Enter the phone number with its digits, such as 0800 123 4567 or "
				"+44 20 7946 0000.");
	if (given(in->email) && (chars(in->email) > RESOURCE_EMAIL_MAX || !resource_email_ok(in->email)))
		return herr_set(e, ERR_INVALID, "email",
				"Enter the email address in the form name@example.org.");
	if (given(in->website) &&
	    (chars(in->website) > RESOURCE_WEBSITE_MAX || !organisation_web_address_ok(in->website)))
		return herr_set(e, ERR_INVALID, "website",
				"Enter the website as a full address starting with https:// "
				"(or http://), such as https://example.org.");
	return 0;
}

int resource_check(const struct resource_input *in, herr *e)
{
	if (!given(in->name))
		return herr_set(e, ERR_INVALID, "name", "Enter the resource's name.");
	if (has_line_break(in->name))
		return herr_set(e, ERR_INVALID, "name", "The resource's name is one line of text.");
	int rc = check_text(in->name, RESOURCE_NAME_MAX, "name", "the name", e);
	if (!rc && !given(in->category))
		rc = herr_set(e, ERR_INVALID, "category", "Choose a category from the list.");
	if (!rc) rc = check_text(in->description, RESOURCE_DESCRIPTION_MAX, "description",
				 "the description", e);
	if (!rc) rc = check_text(in->opening_times, RESOURCE_OPENING_MAX, "opening_times",
				 "the opening times", e);
	if (!rc) rc = check_text(in->address, RESOURCE_ADDRESS_MAX, "address", "the address or area", e);
	if (!rc) rc = check_contact(in, e);
	return rc;
}

/* An organisation_id that is 0 or names an organisation. */
static int check_organisation(db *d, int64_t id, herr *e)
{
	if (!id)
		return 0;
	db_stmt *st = db_prepare(d, "SELECT 1 FROM organisation WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the organisations.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the organisations.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_INVALID, "organisation_id",
				"That organisation is not in the network's list; choose one from the list.");
	return 0;
}

/* Checks who asks and what they send; fills the category's id. */
static int check_write(db *d, arena *a, const struct actor *actor, const struct resource_input *in,
		       int64_t *ret_category, herr *e)
{
	struct resource_category c;
	int rc = require_coordinator(actor, e);
	if (!rc) rc = resource_check(in, e);
	if (!rc) rc = resource_category_find(d, a, in->category, &c, e);
	if (!rc) rc = check_organisation(d, in->organisation_id, e);
	if (!rc)
		*ret_category = c.id;
	return rc;
}

static void bind_or_null(db_stmt *st, int idx, const char *s)
{
	db_bind_text(st, idx, given(s) ? s : NULL);
}

/* Binds ?1 to ?9 of an insert or update: the input's fields in order. */
static void bind_input(db_stmt *st, const struct resource_input *in, int64_t category_id)
{
	db_bind_text(st, 1, in->name);
	db_bind_int64(st, 2, category_id);
	db_bind_text(st, 3, in->description ? in->description : "");
	bind_or_null(st, 4, in->phone);
	bind_or_null(st, 5, in->email);
	bind_or_null(st, 6, in->website);
	db_bind_text(st, 7, in->opening_times ? in->opening_times : "");
	db_bind_text(st, 8, in->address ? in->address : "");
	if (in->organisation_id)
		db_bind_int64(st, 9, in->organisation_id);
	else
		db_bind_null(st, 9);
}

static int run_write(db *d, db_stmt *st, herr *e)
{
	int rc = st ? db_step(st) : ERR_DB;
	if (st)
		db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save the resource.");
	return 0;
}

int resource_create(db *d, const struct actor *actor, const struct resource_input *in,
		    int64_t *ret_id, herr *e)
{
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int64_t category_id = 0, id = id_new(), now = time_now_ms();
	int rc = db_begin_write(d);
	if (rc)
		rc = herr_set(e, rc, NULL, "Could not save the resource.");
	else {
		rc = check_write(d, a, actor, in, &category_id, e);
		if (!rc) {
			db_stmt *st = db_prepare(d,
				"INSERT INTO community_resource (name, category_id, description, phone, email, "
				"website, opening_times, address, organisation_id, id, created_at, updated_at) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
			if (st) {
				bind_input(st, in, category_id);
				db_bind_int64(st, 10, id);
				db_bind_int64(st, 11, now);
				db_bind_int64(st, 12, now);
			}
			rc = run_write(d, st, e);
		}
		rc = db_finish(d, rc);
		if (rc && e && !e->message[0])
			herr_set(e, rc, NULL, "Could not save the resource.");
	}
	arena_free(a);
	if (!rc)
		*ret_id = id;
	return rc;
}

/* ERR_NOTFOUND unless resource id exists. */
static int require_resource(db *d, int64_t id, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM community_resource WHERE id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the resource.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the resource.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such resource in the directory.");
	return 0;
}

int resource_update(db *d, const struct actor *actor, int64_t id, const struct resource_input *in,
		    herr *e)
{
	arena *a = arena_new(4096);
	if (!a)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int64_t category_id = 0;
	int rc = db_begin_write(d);
	if (rc)
		rc = herr_set(e, rc, NULL, "Could not save the resource.");
	else {
		rc = require_coordinator(actor, e);
		if (!rc) rc = require_resource(d, id, e);
		if (!rc) rc = check_write(d, a, actor, in, &category_id, e);
		if (!rc) {
			db_stmt *st = db_prepare(d,
				"UPDATE community_resource SET name = ?, category_id = ?, description = ?, "
				"phone = ?, email = ?, website = ?, opening_times = ?, address = ?, "
				"organisation_id = ?, updated_at = ? WHERE id = ?");
			if (st) {
				bind_input(st, in, category_id);
				db_bind_int64(st, 10, time_now_ms());
				db_bind_int64(st, 11, id);
			}
			rc = run_write(d, st, e);
		}
		rc = db_finish(d, rc);
		if (rc && e && !e->message[0])
			herr_set(e, rc, NULL, "Could not save the resource.");
	}
	arena_free(a);
	return rc;
}

int resource_delete(db *d, const struct actor *actor, int64_t id, herr *e)
{
	int rc = require_coordinator(actor, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return herr_set(e, rc, NULL, "Could not remove the resource.");
	rc = require_resource(d, id, e);
	if (!rc) {
		db_stmt *st = db_prepare(d, "DELETE FROM community_resource WHERE id = ?");
		if (st)
			db_bind_int64(st, 1, id);
		rc = run_write(d, st, e);
	}
	rc = db_finish(d, rc);
	if (rc && e && !e->message[0])
		herr_set(e, rc, NULL, "Could not remove the resource.");
	return rc;
}

/* ---- reading -------------------------------------------------------- */

#define RESOURCE_COLUMNS \
	"r.id, r.name, r.category_id, c.slug, c.name, r.description, r.phone, r.email, r.website, " \
	"r.opening_times, r.address, r.organisation_id, o.name, r.created_at, r.updated_at " \
	"FROM community_resource r JOIN resource_category c ON c.id = r.category_id " \
	"LEFT JOIN organisation o ON o.id = r.organisation_id "

static void read_row(db_stmt *st, arena *a, struct resource *r)
{
	r->id = db_col_int64(st, 0);
	r->name = arena_strdup(a, db_col_text(st, 1));
	r->category_id = db_col_int64(st, 2);
	r->category_slug = arena_strdup(a, db_col_text(st, 3));
	r->category_name = arena_strdup(a, db_col_text(st, 4));
	r->description = arena_strdup(a, db_col_text(st, 5));
	r->phone = arena_strdup(a, db_col_text(st, 6));
	r->email = arena_strdup(a, db_col_text(st, 7));
	r->website = arena_strdup(a, db_col_text(st, 8));
	r->opening_times = arena_strdup(a, db_col_text(st, 9));
	r->address = arena_strdup(a, db_col_text(st, 10));
	r->organisation_id = db_col_int64(st, 11);
	r->organisation_name = arena_strdup(a, db_col_text(st, 12));
	r->created_at = db_col_int64(st, 13);
	r->updated_at = db_col_int64(st, 14);
}

int resource_get(db *d, arena *a, int64_t id, struct resource *ret, herr *e)
{
	db_stmt *st = db_prepare(d, "SELECT " RESOURCE_COLUMNS "WHERE r.id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the resource.");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, a, ret);
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the resource.");
	if (rc != DB_ROW)
		return herr_set(e, ERR_NOTFOUND, NULL, "There is no such resource in the directory.");
	return 0;
}

static int count_resources(db *d, int64_t category_id, int64_t *ret, herr *e)
{
	db_stmt *st = db_prepare(d, category_id
		? "SELECT COUNT(*) FROM community_resource WHERE category_id = ?"
		: "SELECT COUNT(*) FROM community_resource");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the directory.");
	if (category_id)
		db_bind_int64(st, 1, category_id);
	int rc = db_step(st);
	*ret = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the directory.");
	return 0;
}

int resource_list(db *d, arena *a, const char *slug, int page, struct resource **ret,
		  size_t *ret_n, int64_t *ret_total, herr *e)
{
	struct resource_category c = { 0 };
	int rc = given(slug) ? resource_category_find(d, a, slug, &c, e) : 0;
	if (page < 1)
		page = 1;
	if (!rc) rc = count_resources(d, c.id, ret_total, e);
	if (rc)
		return rc;
	db_stmt *st = db_prepare(d, c.id
		? "SELECT " RESOURCE_COLUMNS "WHERE r.category_id = ? "
		  "ORDER BY c.position, r.name, r.id LIMIT ? OFFSET ?"
		: "SELECT " RESOURCE_COLUMNS "WHERE r.category_id <> ? "
		  "ORDER BY c.position, r.name, r.id LIMIT ? OFFSET ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read the directory.");
	db_bind_int64(st, 1, c.id);
	db_bind_int64(st, 2, RESOURCE_PAGE_SIZE);
	db_bind_int64(st, 3, (int64_t)(page - 1) * RESOURCE_PAGE_SIZE);
	struct resource *list = arena_alloc(a, RESOURCE_PAGE_SIZE * sizeof *list);
	size_t n = 0;
	while (list && n < RESOURCE_PAGE_SIZE && (rc = db_step(st)) == DB_ROW)
		read_row(st, a, &list[n++]);
	db_reset(st);
	if (!list)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read the directory.");
	*ret = list;
	*ret_n = n;
	return 0;
}
