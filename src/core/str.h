/* str.h - small helpers over slices (const char *p, size_t n) and C
 * strings for parsing.  No allocation except where an arena is passed. */
#ifndef COLEAD_STR_H
#define COLEAD_STR_H

#include "core.h"

struct arena;

int	str_eq(const char *a, const char *b);		/* NULL-safe */
int	str_case_eq(const char *a, const char *b);	/* ASCII, NULL-safe */
int	str_starts(const char *s, const char *prefix);
int	str_ends(const char *s, const char *suffix);
/* Trim ASCII white space from both ends of the slice in place. */
void	str_trim(const char **p, size_t *n);
/* Parse a whole decimal int64 (optional leading -); -1 on anything else. */
int	str_to_i64(const char *p, size_t n, int64_t *out);
/* Decode %XX and '+' (when plus_is_space) from p into a new NUL-terminated
 * string in arena; -1 on a malformed escape or if the arena is full. */
int	str_urldecode(struct arena *a, const char *p, size_t n,
		      int plus_is_space, char **out, size_t *outlen);
/* Constant-time comparison of two equal-length byte strings. */
int	str_ct_eq(const void *a, const void *b, size_t n);
/* Lower-case ASCII copy in arena. */
char	*str_lower(struct arena *a, const char *s);

#endif
