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

/* Check the value of every href= and src= attribute of every tag in html.
 * Attributes are walked tag by tag, as a browser reads them: a value is
 * always double-quoted (md4c escapes a quote inside it), so text such as
 * an image's alt="see href=" is a value, not an attribute. */
static void
check_urls(const char *html)
{
	static char	 dec[1 << 16];
	const char	*p = html, *name, *end;
	size_t		 len, n;

	while ((p = strchr(p, '<'))) {
		p++;
		while (*p && *p != '>' && !isspace((unsigned char)*p))
			p++;		/* the tag's name */
		for (;;) {
			while (isspace((unsigned char)*p) || *p == '/')
				p++;
			if (!*p || *p == '>')
				break;
			name = p;
			while (*p && *p != '=' && *p != '>' && !isspace((unsigned char)*p))
				p++;
			len = (size_t)(p - name);
			if (*p != '=')
				continue;	/* an attribute without a value */
			CHECK(p[1] == '"');
			p += 2;
			end = strchr(p, '"');
			CHECK(end);
			if ((len == 4 && !strncasecmp(name, "href", 4)) ||
			    (len == 3 && !strncasecmp(name, "src", 3))) {
				n = attr_decode(p, (size_t)(end - p), dec, sizeof(dec));
				if (!markdown_url_ok(dec, n)) {
					fprintf(stderr, "unsafe address in output: %.*s\n", (int)(end - p), p);
					abort();
				}
			}
			p = end + 1;
		}
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
		check_urls(html);
	}
	arena_free(a);
	return 0;
}
