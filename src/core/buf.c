/* buf.c - the growable string of buf.h.  Every append goes through
 * buf_grow(), which enforces the cap and sets the sticky toobig flag; the
 * escaping appenders are the only sanctioned way user text reaches HTML or
 * JSON. */
#include "buf.h"
#include "utf8.h"

static char buf_empty[1];

void
buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max ? max : BUF_MAX_DEFAULT;
	b->toobig = 0;
}

void
buf_release(struct buf *b)
{
	size_t max = b->max;

	if (b->alloc)
		free(b->data);
	buf_init(b, max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
	if (!b->alloc)
		b->data = buf_empty;
	b->toobig = 0;
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	p = b->alloc ? b->data : xstrdup("");
	buf_init(b, b->max);
	return p;
}

/* Make room for n more bytes plus the NUL; 0 if it fits, -1 (and toobig)
 * if it would pass the cap. */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t want;

	if (!b->max)
		b->max = BUF_MAX_DEFAULT;
	if (b->toobig || n > b->max || b->len > b->max - n) {
		b->toobig = 1;
		return -1;
	}
	want = b->len + n + 1;
	if (want <= b->alloc)
		return 0;
	if (want < 64)
		want = 64;
	if (want < b->alloc * 2)
		want = b->alloc * 2;
	if (want > b->max + 1)
		want = b->max + 1;
	if (b->alloc) {
		b->data = xrealloc(b->data, want);
	} else {
		b->data = xmalloc(want);
		b->data[0] = '\0';
	}
	b->alloc = want;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (!n || buf_grow(b, n) < 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		BUG("bad format '%s'", fmt);
	if (buf_grow(b, (size_t)n) < 0)
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_add_html(struct buf *b, const char *p, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep;

		switch (p[i]) {
		case '&':	rep = "&amp;"; break;
		case '<':	rep = "&lt;"; break;
		case '>':	rep = "&gt;"; break;
		case '"':	rep = "&quot;"; break;
		case '\'':	rep = "&#39;"; break;
		case '`':	rep = "&#96;"; break;
		case '=':	rep = "&#61;"; break;
		default:	continue;
		}
		buf_add(b, p + start, i - start);
		buf_adds(b, rep);
		start = i + 1;
	}
	buf_add(b, p + start, n - start);
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;

	if (p[0] < 0x80)
		len = 1;
	else if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n || !utf8_valid((const char *)p, len))
		return 0;
	return len;
}

void
buf_add_json_str(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;

	buf_addc(b, '"');
	while (i < n) {
		unsigned char	c = p[i];
		size_t		l;

		switch (c) {
		case '"':	buf_adds(b, "\\\""); i++; continue;
		case '\\':	buf_adds(b, "\\\\"); i++; continue;
		case '\n':	buf_adds(b, "\\n"); i++; continue;
		case '\r':	buf_adds(b, "\\r"); i++; continue;
		case '\t':	buf_adds(b, "\\t"); i++; continue;
		case '<':	buf_adds(b, "\\u003c"); i++; continue;
		case '>':	buf_adds(b, "\\u003e"); i++; continue;
		case '&':	buf_adds(b, "\\u0026"); i++; continue;
		default:	break;
		}
		if (c < 0x20 || c == 0x7f) {
			buf_addf(b, "\\u%04x", c);
			i++;
			continue;
		}
		l = utf8_seq(p + i, n - i);
		if (!l) {
			buf_adds(b, "\\ufffd");
			i++;
			continue;
		}
		if (l == 3 && p[i] == 0xe2 && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			buf_adds(b, p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 3;
			continue;
		}
		buf_add(b, p + i, l);
		i += l;
	}
	buf_addc(b, '"');
}

void
buf_add_urlenc(struct buf *b, const char *s, size_t n)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(b, e, 3);
		}
	}
}
