/* markdown.c - safe Markdown rendering with cmark (see markdown.h).
 *
 * cmark's safe mode (the default since 0.29 unless CMARK_OPT_UNSAFE; asked
 * for explicitly for older versions) already replaces raw HTML with a
 * comment and empties javascript:/vbscript:/file: URLs, but it lets
 * data:image URLs through and leaves an empty link behind. Hearth is
 * stricter: after parsing, links whose address is not http:, https:,
 * mailto: or on this site are replaced by their text, and such images by
 * their description. */
#include "markdown.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OPTIONS (CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

/* True for an address with no scheme (on this site) or an allowed one. */
static bool url_is_safe(const char *url)
{
	if (!url)
		return true;
	size_t i = 0;
	while (url[i] && url[i] != ':' && url[i] != '/' && url[i] != '?' && url[i] != '#')
		i++;
	if (url[i] != ':')
		return true;
	static const char *const allowed[] = { "http", "https", "mailto" };
	for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
		if (strlen(allowed[k]) == i && strncasecmp(url, allowed[k], i) == 0)
			return true;
	return false;
}

/* Moves node's children in front of it and frees it. */
static void unwrap(cmark_node *node)
{
	cmark_node *child;
	while ((child = cmark_node_first_child(node)))
		cmark_node_insert_before(node, child);
	cmark_node_free(node);
}

/* Collects the nodes to change first: changing the tree while an iterator
 * walks it is not allowed. */
static int tidy(cmark_node *doc, int heading_top)
{
	size_t n = 0, cap = 0;
	cmark_node **unsafe = NULL;
	cmark_iter *it = cmark_iter_new(doc);
	if (!it)
		return ERR_NOMEM;
	cmark_event_type ev;
	int rc = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(node) + heading_top - 1;
			cmark_node_set_heading_level(node, level > 6 ? 6 : level);
		} else if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) &&
			   !url_is_safe(cmark_node_get_url(node))) {
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				cmark_node **bigger = realloc(unsafe, cap * sizeof *unsafe);
				if (!bigger) {
					rc = ERR_NOMEM;
					break;
				}
				unsafe = bigger;
			}
			unsafe[n++] = node;
		}
	}
	cmark_iter_free(it);
	/* Inner links first, so an outer one never frees an inner one twice
	 * (CommonMark does not nest links, but images may sit in links). */
	while (!rc && n)
		unwrap(unsafe[--n]);
	free(unsafe);
	return rc;
}

int markdown_to_html(const char *md, size_t len, int heading_top, buf *out, herr *e)
{
	if (len > MARKDOWN_MAX_BYTES)
		return herr_set(e, ERR_TOOBIG, NULL, "The text is too long to show (over %d KB).",
				MARKDOWN_MAX_BYTES / 1024);
	if (heading_top < 1)
		heading_top = 1;
	if (heading_top > 6)
		heading_top = 6;
	cmark_node *doc = cmark_parse_document(md ? md : "", md ? len : 0, OPTIONS);
	if (!doc)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	int rc = tidy(doc, heading_top);
	char *html = rc ? NULL : cmark_render_html(doc, OPTIONS);
	cmark_node_free(doc);
	if (!html)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	buf_puts(out, html);
	free(html);
	return out->oom ? herr_set(e, ERR_NOMEM, NULL, "Out of memory.") : 0;
}
