/* markdown.h - Markdown (CommonMark, with cmark) to HTML that is safe to
 * put in a page: raw HTML is dropped, links and images keep only http:,
 * https: and mailto: addresses or addresses on this site (javascript:,
 * data:, vbscript:, file: and the like are unlinked), broken UTF-8 becomes
 * U+FFFD, and headings are moved down so that text written by people never
 * makes a second h1 on the page. */
#ifndef HEARTH_MARKDOWN_H
#define HEARTH_MARKDOWN_H

#include "../base/buf.h"
#include "../base/err.h"

#include <stddef.h>

#define MARKDOWN_MAX_BYTES (256 * 1024)

/* Appends the HTML for md (len bytes) to out. heading_top is the level
 * (1 to 6) a "# heading" becomes; deeper headings follow it, at most h6.
 * ERR_TOOBIG when len exceeds MARKDOWN_MAX_BYTES, ERR_NOMEM. Thread-safe. */
int markdown_to_html(const char *md, size_t len, int heading_top, buf *out, herr *e);

#endif
