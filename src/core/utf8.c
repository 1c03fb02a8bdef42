/* utf8.c - strict UTF-8 checks (RFC 3629): no overlong forms, no
 * surrogates, nothing past U+10FFFF. */
#include "utf8.h"

/* Length of the valid sequence at p, 0 if invalid. */
static size_t
seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] > 0x9f)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && p[1] > 0x8f)
			return 0;	/* past U+10FFFF */
		return 4;
	}
	return 0;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, l;

	while (i < n) {
		l = seq(p + i, n - i);
		if (!l)
			return 0;
		i += l;
	}
	return 1;
}

size_t
utf8_len(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, l, count = 0;

	while (i < n) {
		l = seq(p + i, n - i);
		if (!l)
			return (size_t)-1;
		i += l;
		count++;
	}
	return count;
}

int
utf8_has_controls(const char *s, size_t n, int single_line)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t')
			continue;
		if ((c == '\n' || c == '\r') && !single_line)
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}
