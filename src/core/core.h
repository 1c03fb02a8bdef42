/* core.h - what every colead source file includes first: the standard
 * headers it always needs (any system header declaring a banned function
 * must be included here, before banned.h), the allocation wrappers that abort on out of
 * memory, BUG(), and banned.h.  Knows nothing about HTTP or SQL. */
#ifndef COLEAD_CORE_H
#define COLEAD_CORE_H

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "err.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN __attribute__((noreturn))
#define ATTR_UNUSED __attribute__((unused))
#else
#define ATTR_PRINTF(f, a)
#define ATTR_NORETURN
#define ATTR_UNUSED
#endif

/* Allocation that never returns NULL: on exhaustion the process logs and
 * aborts, so callers do not check.  Growth driven by untrusted input must
 * be capped by the caller instead (arena limit, buf.max). */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xprintf(const char *fmt, ...) ATTR_PRINTF(1, 2);	/* malloc'd */

/* A broken invariant: logs file and line and aborts. */
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
void	bug_fl(const char *file, int line, const char *fmt, ...)
	ATTR_PRINTF(3, 4) ATTR_NORETURN;

#include "banned.h"

#endif
