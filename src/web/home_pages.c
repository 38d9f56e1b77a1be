/* home_pages.c - the front page. (The group directory takes it over when
 * groups arrive.) */
#include "form.h"
#include "view.h"

static int home(wreq *r)
{
	json_t *model = json_pack("{s:s}", "network_name",
				  r->site->network_name ? r->site->network_name : "Hearth");
	if (query_param(r, "logged_out") && !r->want_json)
		json_object_set_new(model, "notice", json_string("You have logged out."));
	return web_page(r, 200, "home", r->site->network_name ? r->site->network_name : "Hearth",
			model);
}

const struct web_route home_routes[] = {
	{ M_GET, "/", home, ACCESS_PUBLIC },
	{ 0 }
};
