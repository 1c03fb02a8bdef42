/* fuzz_markdown.c - libFuzzer driver for the Markdown wrapper (src/views/
 * markdown.h), which turns posts, pages and session descriptions into
 * HTML put raw into pages.  Input that is not valid UTF-8 is skipped (the
 * HTTP layer refuses it before Markdown sees it).  Checked: the output is
 * NUL-terminated; it holds no tag but the ones Markdown makes (no <script,
 * <iframe, <svg, <style, on*= handlers outside text); every href= and src=
 * value, entity-decoded as a browser would, passes markdown_url_ok(). */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/core/utf8.h"
#include "../../src/views/markdown.h"

#include <ctype.h>
#include <string.h>

/* Decode the character references of an attribute value the way a browser
 * does for the few forms md4c writes: &amp; &lt; &gt; &quot; &#N; &#xN;. */
static size_t
attr_decode(const char *p, size_t n, char *out, size_t cap)
{
	size_t	 i = 0, o = 0;

	while (i < n && o + 4 < cap) {
		if (p[i] != '&') {
			out[o++] = p[i++];
			continue;
		}
		if (!strncmp(p + i, "&amp;", 5)) { out[o++] = '&'; i += 5; }
		else if (!strncmp(p + i, "&lt;", 4)) { out[o++] = '<'; i += 4; }
		else if (!strncmp(p + i, "&gt;", 4)) { out[o++] = '>'; i += 4; }
		else if (!strncmp(p + i, "&quot;", 6)) { out[o++] = '"'; i += 6; }
		else if (p[i + 1] == '#') {
			unsigned long	 c;
			char		*end;
			int		 hex = i + 2 < n && (p[i + 2] == 'x' || p[i + 2] == 'X');

			c = strtoul(p + i + 2 + hex, &end, hex ? 16 : 10);
			if (*end == ';' && c > 0 && c < 128) {
				out[o++] = (char)c;
				i = (size_t)(end - p) + 1;
			} else {
				out[o++] = p[i++];
			}
		} else {
			out[o++] = p[i++];
		}
	}
	out[o] = '\0';
	return o;
}

/* Check every value of attribute attr (" href=\"") in html. */
static void
check_urls(const char *html, const char *attr)
{
	static char	 dec[1 << 16];
	const char	*p = html, *end;
	size_t		 n;

	while ((p = strstr(p, attr))) {
		p += strlen(attr);
		end = strchr(p, '"');
		CHECK(end);
		n = attr_decode(p, (size_t)(end - p), dec, sizeof(dec));
		if (!markdown_url_ok(dec, n)) {
			fprintf(stderr, "unsafe address in output: %.*s\n", (int)(end - p), p);
			abort();
		}
		p = end;
	}
}

/* Is tag (lower case, with "<") somewhere in html, in any case? */
static int
has_tag(const char *html, const char *tag)
{
	size_t		 n = strlen(tag);
	const char	*p;

	for (p = html; (p = strchr(p, '<')); p++)
		if (!strncasecmp(p, tag, n))
			return 1;
	return 0;
}

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const bad[] = {
		"<script", "<iframe", "<svg", "<style", "<object", "<embed",
		"<form", "<input", "<base", "<meta", "<link",
	};
	struct arena	*a;
	char		*html;
	size_t		 i;

	(void)markdown_url_ok((const char *)data, size);
	if (!utf8_valid((const char *)data, size))
		return 0;
	a = arena_new(FUZZ_ARENA);
	html = markdown_html(a, (const char *)data, size);
	if (html) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			CHECK(!has_tag(html, bad[i]));
		check_urls(html, " href=\"");	/* the space: "src=\"" also ends "bvsrc=\"" */
		check_urls(html, " src=\"");
	}
	arena_free(a);
	return 0;
}
