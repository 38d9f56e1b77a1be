/* routes.c - the list of every page file's route table, and path
 * parameters. To add pages: declare `const struct web_route x_routes[]`
 * beside the handlers and list it here. */
#include "view.h"

#include "../base/ids.h"

#include <string.h>

extern const struct web_route home_routes[];
extern const struct web_route account_routes[];
extern const struct web_route admin_routes[];
extern const struct web_route meeting_routes[];
extern const struct web_route agenda_routes[];
extern const struct web_route membership_routes[];
extern const struct web_route people_routes[];
extern const struct web_route me_routes[];
extern const struct web_route directory_routes[];
extern const struct web_route group_routes[];
extern const struct web_route group_organisation_routes[];
extern const struct web_route network_routes[];
extern const struct web_route agreement_routes[];
extern const struct web_route decision_routes[];
extern const struct web_route post_routes[];
extern const struct web_route moderation_routes[];
extern const struct web_route community_routes[];
extern const struct web_route checkin_routes[];
extern const struct web_route notification_routes[];

const struct web_route *const web_route_tables[] = {
	home_routes,
	account_routes,
	admin_routes,
	meeting_routes,
	agenda_routes,
	membership_routes,
	people_routes,
	me_routes,
	directory_routes,
	group_routes,
	group_organisation_routes,
	network_routes,
	agreement_routes,
	decision_routes,
	post_routes,
	moderation_routes,
	community_routes,
	checkin_routes,
	notification_routes,
	NULL
};

const char *web_param(const wreq *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

int web_param_id(wreq *r, const char *name, int64_t *ret_id)
{
	if (id_parse(web_param(r, name), ret_id))
		return 0;
	web_error(r, ERR_NOTFOUND, "There is nothing at this address.");
	return ERR_NOTFOUND;
}
