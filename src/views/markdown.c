/* markdown.c - Markdown to safe HTML over md4c-html.  md4c renders with
 * raw HTML disabled, so every '<' in its output opens a tag md4c wrote
 * itself and user text is always escaped; this file then checks the
 * address of every <a href> and <img src> md4c produced and drops those
 * whose scheme is not allowed.  It must not pass any HTML of the author's
 * through, and must not try to parse HTML in general: it only reads the
 * tags md4c-html 0.4 is known to write. */
#include "markdown.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/log.h"

#include <md4c-html.h>

#define MD_PARSER_FLAGS	(MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | \
			 MD_FLAG_PERMISSIVEAUTOLINKS)

/* md4c's output callback: append to the buffer. */
static void
md_out(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	buf_add(userdata, text, size);
}

/* Is c one of the characters a browser strips from the ends of a URL
 * (C0 controls and space) or removes inside it (tab, CR, LF)? */
static int
url_blank(unsigned char c)
{
	return c <= 0x20;
}

/* What the start of url says about its scheme: 1 allowed (or surely no
 * scheme: a '/', '?' or '#' comes first), 0 a scheme we refuse, -1 not
 * decided yet (no ':', '/', '?' or '#' in these n bytes). */
static int
url_verdict(const char *url, size_t n)
{
	char	 scheme[16];
	size_t	 i, k = 0;
	int	 first = 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];

		/* Leading blanks are skipped; inside, a browser drops tab and
		 * newlines, and a space cannot be part of a scheme: treat any
		 * blank as invisible. */
		if (url_blank(c))
			continue;
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (c == ':') {
			if (first)
				return 0;	/* ":x" - nothing a page needs */
			scheme[k] = '\0';
			return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
			    strcmp(scheme, "mailto") == 0;
		}
		first = 0;
		if (k < sizeof(scheme) - 1)
			scheme[k++] = (char)tolower(c);
		else
			scheme[0] = '!';	/* too long to be one we allow */
	}
	return -1;
}

int
markdown_url_ok(const char *url, size_t n)
{
	return url_verdict(url, n) != 0;	/* no colon at all: a relative reference */
}

/* Decode the attribute value md4c wrote (it escapes only '&' as "&amp;",
 * percent-encoding the rest) into what a browser reads, in out (at most
 * outmax - 1 bytes).  -1 for anything else that looks like a character
 * reference, or a value too long to check: callers make it inert. */
static int
attr_decode(const char *p, size_t n, char *out, size_t outmax, size_t *outlen)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (k + 1 >= outmax)
			return -1;
		if (p[i] == '&') {
			if (n - i >= 5 && memcmp(p + i, "&amp;", 5) == 0) {
				out[k++] = '&';
				i += 4;
				continue;
			}
			return -1;
		}
		out[k++] = p[i];
	}
	out[k] = '\0';
	*outlen = k;
	return 0;
}

/* At p (n bytes left) md4c wrote a tag starting with tag + attr, e.g.
 * "<a" + " href=\"".  Copy the tag start to out, then the attribute only if
 * its address is allowed; return how many input bytes were consumed. */
static size_t
filter_attr(struct buf *out, const char *p, size_t n, const char *tag, const char *attr)
{
	size_t		 tn = strlen(tag), an = strlen(attr), vlen, dlen, ulen;
	const char	*v, *q;
	char		 local[1024];
	int		 verdict = 0;

	/* The value runs to the next '"' (md4c percent-encodes '"' in URLs). */
	v = p + tn + an;
	q = memchr(v, '"', n - tn - an);
	if (!q) {
		buf_add(out, p, tn);	/* cannot happen with md4c: keep the tag, drop the rest */
		return n;
	}
	vlen = (size_t)(q - v);
	/* The scheme is decided by the first characters, so a prefix is
	 * checked; when the value is longer than the prefix, it must decide
	 * (a long run of blanks must not hide a scheme). */
	dlen = vlen < sizeof(local) - 16 ? vlen : sizeof(local) - 16;
	if (attr_decode(v, dlen, local, sizeof(local), &ulen) == 0) {
		verdict = url_verdict(local, ulen);
		if (verdict < 0)
			verdict = dlen == vlen;
	}
	if (verdict == 1) {
		buf_add(out, p, (size_t)(q + 1 - p));
		return (size_t)(q + 1 - p);
	}
	buf_add(out, p, tn);	/* "<a" or "<img": the address is dropped */
	return (size_t)(q + 1 - p);
}

/* Copy md4c's output html to out, making disallowed addresses inert. */
static void
filter_links(struct buf *out, const char *html, size_t n)
{
	static const char a_tag[] = "<a", a_attr[] = " href=\"";
	static const char img_tag[] = "<img", img_attr[] = " src=\"";
	size_t	 i = 0, start;

	while (i < n) {
		start = i;
		while (i < n && html[i] != '<')
			i++;
		buf_add(out, html + start, i - start);
		if (i >= n)
			break;
		if (n - i > 9 && memcmp(html + i, "<a href=\"", 9) == 0)
			i += filter_attr(out, html + i, n - i, a_tag, a_attr);
		else if (n - i > 10 && memcmp(html + i, "<img src=\"", 10) == 0)
			i += filter_attr(out, html + i, n - i, img_tag, img_attr);
		else
			buf_addc(out, html[i++]);
	}
}

char *
markdown_html(struct arena *a, const char *md, size_t n)
{
	struct buf	 raw, safe;
	size_t		 cap;
	char		*res = NULL, *copy = NULL;

	if (n > (SIZE_MAX - 65536) / 64) {
		error("markdown of %zu bytes is too long to render", n);
		return NULL;
	}
	cap = n * 64 + 65536;
	buf_init(&raw, cap);
	buf_init(&safe, cap);
	/* md4c 0.4.8 reads the byte just past its input (found by
	 * tests/fuzz/fuzz_markdown, regress/crash-*): hand it a copy whose
	 * terminating NUL that read finds and stops at. */
	copy = xmalloc(n + 1);
	memcpy(copy, md, n);
	copy[n] = '\0';
	if (n > UINT32_MAX || md_html(copy, (MD_SIZE)n, md_out, &raw, MD_PARSER_FLAGS, 0) != 0) {
		error("cannot render markdown (%zu bytes)", n);
		goto out;
	}
	if (raw.toobig) {
		error("rendered markdown is over %zu bytes", cap);
		goto out;
	}
	filter_links(&safe, raw.data, raw.len);
	if (safe.toobig) {
		error("rendered markdown is over %zu bytes", cap);
		goto out;
	}
	res = arena_strndup(a, safe.data, safe.len);
	if (!res)
		error("no room for rendered markdown (%zu bytes)", safe.len);
out:
	free(copy);
	buf_release(&raw);
	buf_release(&safe);
	return res;
}
