/* arena.c - region allocator: memory comes from chained blocks and is all
 * given back at once by arena_free().  Allocation past the limit returns
 * NULL rather than growing, so request-driven growth is capped.  Not
 * thread-safe: an arena belongs to one request or subscriber. */
#include "arena.h"

#define ARENA_BLOCK	(16u * 1024)
#define ARENA_ALIGN	16

struct block {
	struct block	*prev;
	size_t		 size;	/* usable bytes after the header */
	size_t		 used;
	/* data follows, aligned */
};

struct defer {
	void		(*fn)(void *);
	void		*arg;
	struct defer	*next;
};

struct arena {
	struct block	*top;
	struct defer	*defers;
	size_t		 limit;
	size_t		 total;	/* bytes of blocks allocated */
	size_t		 used;	/* bytes handed out */
};

#define BLOCK_HDR ((sizeof(struct block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

static unsigned char *
block_data(struct block *b)
{
	return (unsigned char *)b + BLOCK_HDR;
}

struct arena *
arena_new(size_t limit)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	a->limit = limit;
	return a;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block	*b = a->top;
	size_t		 need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void		*p;

	if (need < n)
		return NULL;	/* overflow */
	if (!need)
		need = ARENA_ALIGN;
	if (a->limit && (need > a->limit || a->used > a->limit - need))
		return NULL;
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK / 2 ? need : ARENA_BLOCK;

		b = xmalloc(BLOCK_HDR + size);
		b->size = size;
		b->used = 0;
		if (a->top && need > ARENA_BLOCK / 2) {
			/* a big one-off: slot it under the current block so
			 * the current block's free space is not wasted */
			b->prev = a->top->prev;
			a->top->prev = b;
		} else {
			b->prev = a->top;
			a->top = b;
		}
		a->total += size;
	}
	p = block_data(b) + b->used;
	b->used += need;
	a->used += need;
	memset(p, 0, need);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct defer *d = xmalloc(sizeof(*d));

	d->fn = fn;
	d->arg = arg;
	d->next = a->defers;
	a->defers = d;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}

void
arena_free(struct arena *a)
{
	struct block	*b;
	struct defer	*d;

	if (!a)
		return;
	while ((d = a->defers)) {
		a->defers = d->next;
		d->fn(d->arg);
		free(d);
	}
	while ((b = a->top)) {
		a->top = b->prev;
		free(b);
	}
	free(a);
}
