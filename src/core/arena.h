/* arena.h - region allocator; one per request, one per SSE subscriber.
 * Never keep an arena pointer in anything that outlives the request.
 * Allocation past the arena's limit returns NULL: the limit is how growth
 * driven by untrusted input is capped. */
#ifndef COLEAD_ARENA_H
#define COLEAD_ARENA_H

#include "core.h"

struct arena;

struct arena	*arena_new(size_t limit);		/* 0 = unlimited */
void		*arena_alloc(struct arena *a, size_t n);	/* NULL past the limit; 16-aligned, zeroed */
char		*arena_strdup(struct arena *a, const char *s);	/* NULL past the limit */
char		*arena_strndup(struct arena *a, const char *s, size_t n);
char		*arena_printf(struct arena *a, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Run fn(arg) when the arena is freed (newest first). */
void		 arena_defer(struct arena *a, void (*fn)(void *), void *arg);
size_t		 arena_used(const struct arena *a);
void		 arena_free(struct arena *a);		/* runs defers, newest first; NULL is fine */

#endif
