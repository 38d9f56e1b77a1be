/* directory_pages.h - the group directory as a page, shared by the front
 * page (home_pages.c) and /groups (directory_pages.c). */
#ifndef HEARTH_DIRECTORY_PAGES_H
#define HEARTH_DIRECTORY_PAGES_H

#include "web.h"

#include <stdbool.h>

/* Answers the directory search in r's query string: HTML with the search
 * form and a page of results, or the same model as JSON. front_page adds
 * the network's welcome above it. */
int directory_respond(wreq *r, bool front_page);

#endif
