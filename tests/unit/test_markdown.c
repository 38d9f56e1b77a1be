/* test_markdown.c - safe Markdown rendering (src/render/markdown.c): what
 * people write in minutes becomes HTML that cannot run script, load
 * javascript: or data: addresses, or add a second h1 to the page. */
#include <criterion/criterion.h>

#include "render/markdown.h"

#include <stdlib.h>
#include <string.h>

/* Renders md with "#" as h3; the caller frees the result. */
static char *render(const char *md)
{
	buf out = BUF_INIT;
	herr e = { 0 };
	int rc = markdown_to_html(md, strlen(md), 3, &out, &e);
	cr_assert_eq(rc, 0, "markdown_to_html: %s", e.message);
	return buf_take(&out);
}

#define HAS(html, s) cr_expect(strstr(html, s) != NULL, "\"%s\" not in:\n%s", s, html)
#define LACKS(html, s) cr_expect(strstr(html, s) == NULL, "\"%s\" in:\n%s", s, html)

Test(markdown, headings_lists_emphasis_and_links)
{
	char *html = render("# Check-in\n\n## Next time\n\nWe *talked* about **sleep**.\n\n"
			    "- one\n- two\n\n1. first\n\n"
			    "[Mind](https://www.mind.org.uk/) and [the group](/groups/1) "
			    "and <https://example.org/x> and [mail](mailto:a@example.org)\n");
	HAS(html, "<h3>Check-in</h3>");
	HAS(html, "<h4>Next time</h4>");
	LACKS(html, "<h1");
	HAS(html, "<em>talked</em>");
	HAS(html, "<strong>sleep</strong>");
	HAS(html, "<ul>\n<li>one</li>");
	HAS(html, "<ol>\n<li>first</li>");
	HAS(html, "<a href=\"https://www.mind.org.uk/\">Mind</a>");
	HAS(html, "<a href=\"/groups/1\">the group</a>");
	HAS(html, "<a href=\"https://example.org/x\">");
	HAS(html, "<a href=\"mailto:a@example.org\">mail</a>");
	free(html);
}

Test(markdown, deep_headings_stop_at_h6)
{
	char *html = render("#### four\n\n###### six\n");
	HAS(html, "<h6>four</h6>");
	HAS(html, "<h6>six</h6>");
	free(html);
}

Test(markdown, raw_html_is_dropped)
{
	char *html = render("Hello <b onclick=\"x()\">there</b>\n\n<script>alert(1)</script>\n\n"
			    "<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil\"></iframe>\n");
	LACKS(html, "<script");
	LACKS(html, "<b ");
	LACKS(html, "onerror");
	LACKS(html, "onclick");
	LACKS(html, "<iframe");
	LACKS(html, "<img");
	HAS(html, "there");
	free(html);
}

Test(markdown, text_is_escaped)
{
	char *html = render("5 < 6 & \"quotes\" {{template}}\n\n`<script>`\n");
	HAS(html, "5 &lt; 6 &amp; &quot;quotes&quot; {{template}}");
	HAS(html, "<code>&lt;script&gt;</code>");
	free(html);
}

Test(markdown, dangerous_links_are_unlinked)
{
	char *html = render("[click](javascript:alert(1)) [again](JaVaScRiPt:alert(1)) "
			    "[enc](&#106;avascript:alert(1)) [vb](vbscript:msgbox) "
			    "[file](file:///etc/passwd) [data](data:text/html;base64,PHNjcmlwdD4=) "
			    "![pic](data:image/png;base64,iVBORw0KGgo=) <javascript:alert(1)>\n");
	/* The autolink's text stays, as text: nothing to click. */
	HAS(html, "pic javascript:alert(1)</p>");
	LACKS(html, "JaVaScRiPt:");
	LACKS(html, "vbscript:");
	LACKS(html, "file:");
	LACKS(html, "data:");
	LACKS(html, "<a ");
	LACKS(html, "<img");
	HAS(html, "click");
	HAS(html, "again");
	HAS(html, "pic");
	free(html);
}

Test(markdown, image_inside_a_safe_link)
{
	char *html = render("[![logo](data:image/png;base64,AAAA)](https://example.org/)\n");
	HAS(html, "<a href=\"https://example.org/\">logo</a>");
	LACKS(html, "data:");
	free(html);
}

Test(markdown, bad_utf8_becomes_replacement_characters)
{
	char *html = render("caf\xc3 and \xff\xfe and \xed\xa0\x80 end\n");
	HAS(html, "caf\xef\xbf\xbd");
	HAS(html, "end");
	LACKS(html, "\xff");
	free(html);
}

Test(markdown, empty_and_too_big)
{
	buf out = BUF_INIT;
	herr e = { 0 };
	cr_expect_eq(markdown_to_html("", 0, 2, &out, &e), 0);
	cr_expect_eq(out.len, 0);
	cr_expect_eq(markdown_to_html(NULL, 5, 2, &out, &e), 0);
	size_t n = MARKDOWN_MAX_BYTES + 1;
	char *big = malloc(n);
	memset(big, 'a', n);
	cr_expect_eq(markdown_to_html(big, n, 2, &out, &e), ERR_TOOBIG);
	free(big);
	buf_free(&out);
}
