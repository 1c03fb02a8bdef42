/* core.c - allocation wrappers that abort on exhaustion, BUG(), and the
 * names of app_err.  Nothing here may allocate on behalf of untrusted input
 * without a cap set by the caller. */
#include "core.h"

static void ATTR_NORETURN
oom(size_t n)
{
	fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* printf into a new malloc'd string. */
char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		BUG("bad format '%s'", fmt);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

const char *
app_err_name(enum app_err e)
{
	switch (e) {
	case E_OK:		return "ok";
	case E_INTERNAL:	return "internal";
	case E_INVALID:		return "invalid";
	case E_UNAUTH:		return "unauth";
	case E_FORBIDDEN:	return "forbidden";
	case E_NOTFOUND:	return "notfound";
	case E_CONFLICT:	return "conflict";
	case E_CLOSED:		return "closed";
	case E_TOOMANY:		return "toomany";
	case E_TOOBIG:		return "toobig";
	}
	return "unknown";
}
