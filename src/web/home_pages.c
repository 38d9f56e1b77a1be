/* home_pages.c - the front page: a short welcome from the network above the
 * group directory, so the first thing anyone sees is how to find a group. */
#include "directory_pages.h"
#include "view.h"

static int home(wreq *r)
{
	return directory_respond(r, true);
}

/* What the API description says about this route (http/openapi.c). */
static const struct web_doc home_doc = {
	.summary = "The front page: a welcome above the group directory",
	.description = "The same search as GET /groups.",
	.tag = "Directory",
	.query = "q:string tag:string[] day:string[] format:string[] status:string[] "
		 "near:string radius_km:number sort:relevance|distance|next|name page:integer",
	.response = "groups!:object[] total!:integer page!:integer pages!:integer "
		    "per_page!:integer prev_url:string? next_url:string? query:object",
};

const struct web_route home_routes[] = {
	{ M_GET, "/", home, ACCESS_PUBLIC, &home_doc,
	  .same_for_visitors = true },
	{ 0 }
};
