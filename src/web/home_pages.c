/* home_pages.c - the front page: a short welcome from the network above the
 * group directory, so the first thing anyone sees is how to find a group. */
#include "directory_pages.h"
#include "view.h"

static int home(wreq *r)
{
	return directory_respond(r, true);
}

const struct web_route home_routes[] = {
	{ M_GET, "/", home, ACCESS_PUBLIC },
	{ 0 }
};
