/* markdown.h - Markdown to HTML that is safe to put in a page: a wrapper
 * over md4c-html (CommonMark with tables, strikethrough and permissive
 * autolinks).  Raw HTML is never passed through (MD_FLAG_NOHTML: it shows
 * as text), and a link or image whose address is not http, https, mailto
 * or a relative reference loses that address (javascript:, data:,
 * vbscript: and every other scheme become inert text).  The result may be
 * set with tv_set_html.  It knows nothing of posts, pages or HTTP. */
#ifndef COLEAD_MARKDOWN_H
#define COLEAD_MARKDOWN_H

#include "../core/core.h"

struct arena;

/* Render n bytes of Markdown (need not be NUL-terminated; must be valid
 * UTF-8, which the HTTP layer guarantees for form input) into a
 * NUL-terminated HTML string in arena a.  NULL (logged) if md4c fails or
 * the output does not fit in the arena or in 64 times the input plus
 * 64 KB. */
char	*markdown_html(struct arena *a, const char *md, size_t n);

/* Would a browser, given url (as it reads after attribute decoding), open
 * it with a scheme we allow?  1 for http:, https:, mailto: (any case) and
 * for references without a scheme (/blog, page.html, #top, //host/x);
 * 0 for any other scheme, found the way a browser finds it (leading
 * spaces and control characters skipped, tabs and newlines ignored). */
int	 markdown_url_ok(const char *url, size_t n);

#endif
