/* tv.c - template values: a tree of maps, lists and scalars built by
 * handlers and read by the Mustache engine.  Every node, key and string
 * lives in the arena the tree was created with, so a request's values die
 * with its arena.  Maps are arrays of (key, value) pairs kept in insertion
 * order; setting a key again replaces its value in place.  This file does
 * no escaping and no rendering: that is tmpl.c's job.
 *
 * When the arena refuses an allocation (its limit is reached) the operation
 * is dropped and logged, and the functions that return a child return
 * NULL; every function accepts NULL where a map or list is expected and
 * then does nothing, so a handler never crashes on a full arena. */
#include "tv.h"
#include "../core/arena.h"
#include "../core/log.h"

struct tv {
	enum tv_kind	 kind;
	int		 full;		/* containers: a value was dropped (logged once) */
	struct arena	*a;
	union {
		int		 b;
		int64_t		 i;
		double		 r;
		struct {
			const char	*p;	/* NUL-terminated copy */
			size_t		 n;
		} s;
		struct {
			const char	**keys;	/* maps only */
			struct tv	**vals;
			size_t		 n;
			size_t		 cap;
		} c;
	} u;
};

/* Log a value dropped from container c (once per container: a loop
 * filling a list must not flood the log). */
static void
tv_full(struct tv *c)
{
	if (c && c->full)
		return;
	if (c)
		c->full = 1;
	error("template values: arena limit reached, value dropped");
}

/* A new node of kind in arena a, or NULL if the arena is full. */
static struct tv *
tv_alloc(struct arena *a, enum tv_kind kind)
{
	struct tv	*v;

	if (!a)
		return NULL;
	v = arena_alloc(a, sizeof(*v));
	if (!v)
		return NULL;
	v->kind = kind;
	v->a = a;
	return v;
}

struct tv *
tv_new(struct arena *a)
{
	struct tv	*v = tv_alloc(a, TV_MAP);

	if (!v && a)
		tv_full(NULL);
	return v;
}

struct tv *
tv_new_list(struct arena *a)
{
	struct tv	*v = tv_alloc(a, TV_LIST);

	if (!v && a)
		tv_full(NULL);
	return v;
}

/* Make room for one more entry in a map or list; 0, or -1 if the arena is
 * full.  The old arrays stay in the arena until it is freed: doubling keeps
 * that waste below the live size. */
static int
tv_grow(struct tv *c)
{
	const char	**keys = NULL;
	struct tv	**vals;
	size_t		 cap;

	if (c->u.c.n < c->u.c.cap)
		return 0;
	cap = c->u.c.cap ? c->u.c.cap * 2 : 8;
	vals = arena_alloc(c->a, cap * sizeof(*vals));
	if (vals && c->kind == TV_MAP)
		keys = arena_alloc(c->a, cap * sizeof(*keys));
	if (!vals || (c->kind == TV_MAP && !keys))
		return -1;
	if (c->u.c.n) {
		memcpy(vals, c->u.c.vals, c->u.c.n * sizeof(*vals));
		if (keys)
			memcpy(keys, c->u.c.keys, c->u.c.n * sizeof(*keys));
	}
	c->u.c.vals = vals;
	c->u.c.keys = keys;
	c->u.c.cap = cap;
	return 0;
}

/* Store v under key in map, replacing an earlier value of the same key.
 * Does nothing if map is not a map; a NULL v is a failed allocation. */
static void
map_put(struct tv *map, const char *key, struct tv *v)
{
	size_t	 i;
	char	*k;

	if (!map || map->kind != TV_MAP || !key)
		return;
	if (!v) {
		tv_full(map);
		return;
	}
	for (i = 0; i < map->u.c.n; i++) {
		if (strcmp(map->u.c.keys[i], key) == 0) {
			map->u.c.vals[i] = v;
			return;
		}
	}
	k = arena_strdup(map->a, key);
	if (!k || tv_grow(map) < 0) {
		tv_full(map);
		return;
	}
	map->u.c.keys[map->u.c.n] = k;
	map->u.c.vals[map->u.c.n++] = v;
}

/* Append v to list; does nothing if list is not a list; a NULL v is a
 * failed allocation. */
static void
list_put(struct tv *list, struct tv *v)
{
	if (!list || list->kind != TV_LIST)
		return;
	if (!v || tv_grow(list) < 0) {
		tv_full(list);
		return;
	}
	list->u.c.vals[list->u.c.n++] = v;
}

/* The arena of a container, or NULL for NULL (so callers stay NULL-safe). */
static struct arena *
arena_of(const struct tv *c)
{
	return c ? c->a : NULL;
}

/* A string node holding a copy of s[0..n); kind is TV_STR or TV_HTML. */
static struct tv *
tv_mkstr(struct arena *a, enum tv_kind kind, const char *s, size_t n)
{
	struct tv	*v;
	char		*copy;

	if (!s)
		return tv_alloc(a, TV_NULL);
	v = tv_alloc(a, kind);
	if (!v)
		return NULL;
	copy = arena_strndup(a, s, n);
	if (!copy)
		return NULL;
	v->u.s.p = copy;
	v->u.s.n = n;
	return v;
}

static struct tv *
tv_mkint(struct arena *a, int64_t i)
{
	struct tv	*v = tv_alloc(a, TV_INT);

	if (v)
		v->u.i = i;
	return v;
}

static struct tv *
tv_mkreal(struct arena *a, double r)
{
	struct tv	*v = tv_alloc(a, TV_REAL);

	if (v)
		v->u.r = r;
	return v;
}

static struct tv *
tv_mkbool(struct arena *a, int b)
{
	struct tv	*v = tv_alloc(a, TV_BOOL);

	if (v)
		v->u.b = !!b;
	return v;
}

void
tv_set_str(struct tv *map, const char *key, const char *s)
{
	map_put(map, key, tv_mkstr(arena_of(map), TV_STR, s, s ? strlen(s) : 0));
}

void
tv_set_strn(struct tv *map, const char *key, const char *s, size_t n)
{
	map_put(map, key, tv_mkstr(arena_of(map), TV_STR, s, n));
}

void
tv_set_html(struct tv *map, const char *key, const char *safe_html)
{
	map_put(map, key, tv_mkstr(arena_of(map), TV_HTML, safe_html,
	    safe_html ? strlen(safe_html) : 0));
}

void
tv_set_int(struct tv *map, const char *key, int64_t v)
{
	map_put(map, key, tv_mkint(arena_of(map), v));
}

void
tv_set_real(struct tv *map, const char *key, double v)
{
	map_put(map, key, tv_mkreal(arena_of(map), v));
}

void
tv_set_bool(struct tv *map, const char *key, int v)
{
	map_put(map, key, tv_mkbool(arena_of(map), v));
}

void
tv_set_null(struct tv *map, const char *key)
{
	map_put(map, key, tv_alloc(arena_of(map), TV_NULL));
}

struct tv *
tv_set_map(struct tv *map, const char *key)
{
	struct tv	*child;

	if (!map || map->kind != TV_MAP)
		return NULL;
	child = tv_alloc(map->a, TV_MAP);
	map_put(map, key, child);
	return child;
}

struct tv *
tv_set_list(struct tv *map, const char *key)
{
	struct tv	*child;

	if (!map || map->kind != TV_MAP)
		return NULL;
	child = tv_alloc(map->a, TV_LIST);
	map_put(map, key, child);
	return child;
}

/* Attach v itself (not a copy); a NULL v sets TV_NULL. */
void
tv_set_tv(struct tv *map, const char *key, struct tv *v)
{
	if (!v)
		v = tv_alloc(arena_of(map), TV_NULL);
	map_put(map, key, v);
}

/* Format into the map's arena and store as a plain (escaped) string. */
void
tv_setf(struct tv *map, const char *key, const char *fmt, ...)
{
	va_list	 ap, ap2;
	char	*s;
	int	 n;

	if (!map || map->kind != TV_MAP)
		return;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	s = arena_alloc(map->a, (size_t)n + 1);
	if (!s) {
		va_end(ap2);
		tv_full(map);
		return;
	}
	vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	tv_set_strn(map, key, s, (size_t)n);
}

struct tv *
tv_list_add_map(struct tv *list)
{
	struct tv	*child;

	if (!list || list->kind != TV_LIST)
		return NULL;
	child = tv_alloc(list->a, TV_MAP);
	list_put(list, child);
	return child;
}

struct tv *
tv_list_add_list(struct tv *list)
{
	struct tv	*child;

	if (!list || list->kind != TV_LIST)
		return NULL;
	child = tv_alloc(list->a, TV_LIST);
	list_put(list, child);
	return child;
}

void
tv_list_add_str(struct tv *list, const char *s)
{
	list_put(list, tv_mkstr(arena_of(list), TV_STR, s, s ? strlen(s) : 0));
}

void
tv_list_add_html(struct tv *list, const char *safe_html)
{
	list_put(list, tv_mkstr(arena_of(list), TV_HTML, safe_html,
	    safe_html ? strlen(safe_html) : 0));
}

void
tv_list_add_int(struct tv *list, int64_t v)
{
	list_put(list, tv_mkint(arena_of(list), v));
}

void
tv_list_add_real(struct tv *list, double v)
{
	list_put(list, tv_mkreal(arena_of(list), v));
}

void
tv_list_add_bool(struct tv *list, int v)
{
	list_put(list, tv_mkbool(arena_of(list), v));
}

void
tv_list_add_null(struct tv *list)
{
	list_put(list, tv_alloc(arena_of(list), TV_NULL));
}

void
tv_list_add_tv(struct tv *list, struct tv *v)
{
	if (!v)
		v = tv_alloc(arena_of(list), TV_NULL);
	list_put(list, v);
}

/* Reading.  A NULL value reads as TV_NULL. */
enum tv_kind
tv_kind(const struct tv *v)
{
	return v ? v->kind : TV_NULL;
}

const struct tv *
tv_get(const struct tv *map, const char *key)
{
	size_t	 i;

	if (!map || map->kind != TV_MAP || !key)
		return NULL;
	for (i = 0; i < map->u.c.n; i++)
		if (strcmp(map->u.c.keys[i], key) == 0)
			return map->u.c.vals[i];
	return NULL;
}

size_t
tv_count(const struct tv *v)
{
	if (!v || (v->kind != TV_LIST && v->kind != TV_MAP))
		return 0;
	return v->u.c.n;
}

const struct tv *
tv_at(const struct tv *list, size_t i)
{
	if (!list || list->kind != TV_LIST || i >= list->u.c.n)
		return NULL;
	return list->u.c.vals[i];
}

const char *
tv_str(const struct tv *v)
{
	if (!v || (v->kind != TV_STR && v->kind != TV_HTML))
		return NULL;
	return v->u.s.p;
}

/* Numbers convert between integer and real; booleans read as 0 or 1;
 * anything else is 0. */
int64_t
tv_int(const struct tv *v)
{
	switch (tv_kind(v)) {
	case TV_INT:
		return v->u.i;
	case TV_REAL:
		return (int64_t)v->u.r;
	case TV_BOOL:
		return v->u.b;
	case TV_NULL:
	case TV_STR:
	case TV_HTML:
	case TV_LIST:
	case TV_MAP:
		break;
	}
	return 0;
}

double
tv_real(const struct tv *v)
{
	switch (tv_kind(v)) {
	case TV_INT:
		return (double)v->u.i;
	case TV_REAL:
		return v->u.r;
	case TV_BOOL:
		return v->u.b;
	case TV_NULL:
	case TV_STR:
	case TV_HTML:
	case TV_LIST:
	case TV_MAP:
		break;
	}
	return 0;
}

/* Truthiness as Mustache sections see it (JavaScript's !!value): false
 * for NULL, false, 0, an empty string and an empty list; true otherwise,
 * including an empty map. */
int
tv_bool(const struct tv *v)
{
	switch (tv_kind(v)) {
	case TV_NULL:
		return 0;
	case TV_BOOL:
		return v->u.b;
	case TV_INT:
		return v->u.i != 0;
	case TV_REAL:
		return v->u.r != 0 && v->u.r == v->u.r;
	case TV_STR:
	case TV_HTML:
		return v->u.s.n != 0;
	case TV_LIST:
		return v->u.c.n != 0;
	case TV_MAP:
		return 1;
	}
	return 0;
}

const char *
tv_key_at(const struct tv *map, size_t i)
{
	if (!map || map->kind != TV_MAP || i >= map->u.c.n)
		return NULL;
	return map->u.c.keys[i];
}

const struct tv *
tv_val_at(const struct tv *map, size_t i)
{
	if (!map || map->kind != TV_MAP || i >= map->u.c.n)
		return NULL;
	return map->u.c.vals[i];
}

int
tv_complete(const struct tv *v)
{
	size_t i;

	if (!v)
		return 0;
	if (v->kind != TV_MAP && v->kind != TV_LIST)
		return 1;
	if (v->full)
		return 0;
	for (i = 0; i < v->u.c.n; i++)
		if (!tv_complete(v->u.c.vals[i]))
			return 0;
	return 1;
}
