/* resource.h - the network's directory of community resources (the "wider
 * community" of capability C4): places people can be signposted to, such as
 * housing advice, benefits, employment, arts, sport and crisis lines, each
 * filed under one category from the network's seeded list, with contact
 * details, opening times and an area, and optionally linked to a partner
 * organisation. Anyone may read the directory; coordinators keep it. */
#ifndef HEARTH_RESOURCE_H
#define HEARTH_RESOURCE_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RESOURCE_NAME_MAX 120
#define RESOURCE_DESCRIPTION_MAX 2000
#define RESOURCE_PHONE_MAX 40
#define RESOURCE_EMAIL_MAX 254
#define RESOURCE_WEBSITE_MAX 500
#define RESOURCE_OPENING_MAX 200
#define RESOURCE_ADDRESS_MAX 300
#define RESOURCE_PAGE_SIZE 50

struct resource_category {
	int64_t id;
	const char *slug;      /* "housing-advice" */
	const char *name;      /* "Housing advice" */
};

struct resource {
	int64_t id;
	const char *name;
	int64_t category_id;
	const char *category_slug, *category_name;
	const char *description;
	const char *phone, *email, *website;   /* NULL when none */
	const char *opening_times;
	const char *address;
	int64_t organisation_id;               /* 0 when none */
	const char *organisation_name;         /* NULL when none */
	int64_t created_at, updated_at;
};

struct resource_input {
	const char *name;
	const char *category;        /* a category's slug */
	const char *description;
	const char *phone, *email, *website;   /* "" or NULL for none */
	const char *opening_times;
	const char *address;
	int64_t organisation_id;     /* 0 for none */
};

/* The categories, in the network's order. */
int resource_categories(db *d, arena *a, struct resource_category **ret, size_t *ret_n, herr *e);
/* The category with slug; ERR_INVALID naming "category" (and the slug)
 * when there is none. */
int resource_category_find(db *d, arena *a, const char *slug, struct resource_category *ret,
			   herr *e);

/* 1 when phone is a telephone number as people write it: digits with
 * spaces, brackets, dashes and dots, an optional leading +, 3 to 20 digits. */
int resource_phone_ok(const char *phone);
/* 1 when email looks like an address: one @, a local part, a domain with
 * a dot, and no spaces or angle brackets. */
int resource_email_ok(const char *email);

/* Checks input without the database; errors name the field ("name",
 * "category", "description", "phone", "email", "website", "opening_times",
 * "address"). */
int resource_check(const struct resource_input *in, herr *e);
/* Coordinators and admins only. An unknown category or organisation is
 * ERR_INVALID naming the field. */
int resource_create(db *d, const struct actor *actor, const struct resource_input *in,
		    int64_t *ret_id, herr *e);
int resource_update(db *d, const struct actor *actor, int64_t id, const struct resource_input *in,
		    herr *e);
int resource_delete(db *d, const struct actor *actor, int64_t id, herr *e);
int resource_get(db *d, arena *a, int64_t id, struct resource *ret, herr *e);
/* One page (from 1) of the directory, by category order then name; only
 * category slug's resources when slug is not NULL or "" (an unknown slug is
 * ERR_INVALID naming "category"). *ret_total is the count of all matching. */
int resource_list(db *d, arena *a, const char *slug, int page, struct resource **ret,
		  size_t *ret_n, int64_t *ret_total, herr *e);

#endif
