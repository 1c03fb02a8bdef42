/* tv.h - template values: the data a template is rendered against.  A tree
 * of maps, lists and scalars, allocated in an arena (normally the
 * request's).  Plain strings are always escaped by {{x}} and by {{{x}}}
 * when the set is strict; only values set with tv_set_html /
 * tv_list_add_html are written raw by {{{x}}} - use them for HTML the code
 * produced itself (sanitised Markdown, generated SVG, rendered templates). */
#ifndef COLEAD_TV_H
#define COLEAD_TV_H

#include "../core/core.h"

struct arena;

enum tv_kind { TV_NULL, TV_BOOL, TV_INT, TV_REAL, TV_STR, TV_HTML, TV_LIST, TV_MAP };

struct tv;

struct tv	*tv_new(struct arena *a);		/* an empty map */
struct tv	*tv_new_list(struct arena *a);

/* Map setters.  The key and string values are copied into the arena.  A
 * later set of the same key replaces the earlier one. */
void		 tv_set_str(struct tv *map, const char *key, const char *s);	/* NULL sets TV_NULL */
void		 tv_set_strn(struct tv *map, const char *key, const char *s, size_t n);
void		 tv_set_html(struct tv *map, const char *key, const char *safe_html);
void		 tv_set_int(struct tv *map, const char *key, int64_t v);
void		 tv_set_real(struct tv *map, const char *key, double v);
void		 tv_set_bool(struct tv *map, const char *key, int v);
void		 tv_set_null(struct tv *map, const char *key);
struct tv	*tv_set_map(struct tv *map, const char *key);	/* returns the new child map */
struct tv	*tv_set_list(struct tv *map, const char *key);	/* returns the new child list */
void		 tv_set_tv(struct tv *map, const char *key, struct tv *v);	/* attach an existing value */
void		 tv_setf(struct tv *map, const char *key, const char *fmt, ...) ATTR_PRINTF(3, 4);

/* List appenders. */
struct tv	*tv_list_add_map(struct tv *list);
struct tv	*tv_list_add_list(struct tv *list);
void		 tv_list_add_str(struct tv *list, const char *s);
void		 tv_list_add_html(struct tv *list, const char *safe_html);
void		 tv_list_add_int(struct tv *list, int64_t v);
void		 tv_list_add_real(struct tv *list, double v);
void		 tv_list_add_bool(struct tv *list, int v);
void		 tv_list_add_null(struct tv *list);
void		 tv_list_add_tv(struct tv *list, struct tv *v);

/* Reading (the engine and tests use these). */
enum tv_kind	 tv_kind(const struct tv *v);
const struct tv	*tv_get(const struct tv *map, const char *key);	/* NULL if absent */
size_t		 tv_count(const struct tv *list_or_map);
const struct tv	*tv_at(const struct tv *list, size_t i);
const char	*tv_str(const struct tv *v);	/* TV_STR/TV_HTML text, else NULL */
int64_t		 tv_int(const struct tv *v);
double		 tv_real(const struct tv *v);
int		 tv_bool(const struct tv *v);
/* Map iteration in insertion order: key i and value i. */
const char	*tv_key_at(const struct tv *map, size_t i);
const struct tv	*tv_val_at(const struct tv *map, size_t i);
/* 1 if v exists and nothing was dropped from it or any container inside
 * it because the arena was full; 0 otherwise.  A page built from values
 * that are not complete must not be shown as if it were. */
int		 tv_complete(const struct tv *v);

#endif
