/* str.c - parsing helpers over slices and C strings; see str.h.  Nothing
 * here allocates except into an arena the caller passes. */
#include "str.h"
#include "arena.h"

#include <ctype.h>
#include <errno.h>

int
str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int
str_case_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

int
str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

void
str_trim(const char **p, size_t *n)
{
	while (*n && isspace((unsigned char)(*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

int
str_to_i64(const char *p, size_t n, int64_t *out)
{
	uint64_t	v = 0;
	int		neg = 0;
	size_t		i = 0;

	if (n && p[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 19)
		return -1;
	for (; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
str_urldecode(struct arena *a, const char *p, size_t n, int plus_is_space,
	      char **out, size_t *outlen)
{
	char	*d = arena_alloc(a, n + 1);
	size_t	 i, j = 0;

	if (!d)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] == '%') {
			int hi, lo;

			if (n - i < 3)
				return -1;
			hi = hexval(p[i + 1]);
			lo = hexval(p[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (p[i] == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = p[i];
		}
	}
	d[j] = '\0';
	*out = d;
	if (outlen)
		*outlen = j;
	return 0;
}

int
str_ct_eq(const void *a, const void *b, size_t n)
{
	const unsigned char	*x = a, *y = b;
	unsigned char		 d = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

char *
str_lower(struct arena *a, const char *s)
{
	char	*d = arena_strdup(a, s);
	char	*p;

	if (!d)
		return NULL;
	for (p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}
