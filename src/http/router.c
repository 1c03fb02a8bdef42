/* router.c - the route matcher (router.h): which route answers a method
 * and a raw path, with the path's parameters decoded.  A pure function over
 * the tables it is given: no server, no allocation except the parameters
 * it returns.  It must stay linear in the path length per route, and must
 * never treat a decoded "/" (%2F) as a separator. */
#include "router.h"
#include "form.h"
#include "../core/arena.h"
#include "../core/str.h"

#include <ctype.h>

/* Kinds of pattern segment, in increasing specificity. */
enum seg_kind { SEG_STAR = 1, SEG_PARAM = 2, SEG_LIT = 3 };

/* A cursor over "/"-separated segments of a pattern or path. */
struct segs {
	const char	*p;	/* next segment starts here (after its '/') */
	const char	*end;
};

/* Start a cursor on s (which begins with '/'). */
static void
segs_init(struct segs *s, const char *str, size_t n)
{
	s->p = str + 1;
	s->end = str + n;
	if (n == 1)		/* "/" has no segments */
		s->p = s->end + 1;
}

/* The next segment in *seg and *len; 0 when there are no more. */
static int
segs_next(struct segs *s, const char **seg, size_t *len)
{
	const char *slash;

	if (s->p > s->end)
		return 0;
	slash = memchr(s->p, '/', (size_t)(s->end - s->p));
	*seg = s->p;
	*len = slash ? (size_t)(slash - s->p) : (size_t)(s->end - s->p);
	s->p = slash ? slash + 1 : s->end + 1;
	return 1;
}

/* The kind of pattern segment seg (with the route's flags, since "*" is
 * only a tail in a ROUTE_PREFIX route). */
static enum seg_kind
seg_kind(const char *seg, size_t len, unsigned flags)
{
	if (len && seg[0] == ':')
		return SEG_PARAM;
	if (len == 1 && seg[0] == '*' && (flags & ROUTE_PREFIX))
		return SEG_STAR;
	return SEG_LIT;
}

/* Value of one hex digit (already checked). */
static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10);
}

/* Does the raw path segment, percent-decoded, equal the literal lit?
 * Decodes on the fly without allocating; a malformed escape never
 * matches. */
static int
seg_eq_decoded(const char *seg, size_t len, const char *lit, size_t lit_len)
{
	size_t i, j = 0;

	for (i = 0; i < len; i++, j++) {
		int c = (unsigned char)seg[i];

		if (c == '%') {
			if (len - i < 3 || !isxdigit((unsigned char)seg[i + 1]) ||
			    !isxdigit((unsigned char)seg[i + 2]))
				return 0;
			c = hexval((unsigned char)seg[i + 1]) << 4 |
			    hexval((unsigned char)seg[i + 2]);
			i += 2;
		}
		if (j >= lit_len || (unsigned char)lit[j] != c)
			return 0;
	}
	return j == lit_len;
}

/* Is the raw segment "." or ".." once decoded ("%2e" included)? */
static int
seg_is_dots(const char *seg, size_t len)
{
	return seg_eq_decoded(seg, len, ".", 1) || seg_eq_decoded(seg, len, "..", 2);
}

/* Does the raw path have a segment that can match nothing (empty, "." or
 * "..")?  The root "/" is fine. */
static int
path_has_bad_segment(const char *path, size_t n)
{
	struct segs	 s;
	const char	*seg;
	size_t		 len;

	segs_init(&s, path, n);
	while (segs_next(&s, &seg, &len))
		if (len == 0 || seg_is_dots(seg, len))
			return 1;
	return 0;
}

/* Does pattern (of a route with flags) match the raw path?  Parameters
 * are not decoded here, only the literals compared. */
static int
pattern_matches(const char *pattern, unsigned flags, const char *path, size_t n)
{
	struct segs	 ps, xs;
	const char	*pseg, *xseg;
	size_t		 plen, xlen;

	segs_init(&ps, pattern, strlen(pattern));
	segs_init(&xs, path, n);
	for (;;) {
		int have_p = segs_next(&ps, &pseg, &plen);
		int have_x;

		if (have_p && seg_kind(pseg, plen, flags) == SEG_STAR)
			return segs_next(&xs, &xseg, &xlen);	/* one or more left */
		have_x = segs_next(&xs, &xseg, &xlen);
		if (!have_p || !have_x)
			return have_p == have_x;
		switch (seg_kind(pseg, plen, flags)) {
		case SEG_LIT:
			if (!seg_eq_decoded(xseg, xlen, pseg, plen))
				return 0;
			break;
		case SEG_PARAM:
			break;	/* non-empty: path_has_bad_segment checked */
		case SEG_STAR:
			BUG("star segment handled above");
		}
	}
}

/* Is route a more specific than route b (both matching the same path)? */
static int
more_specific(const struct route *a, const struct route *b)
{
	struct segs	 sa, sb;
	const char	*x, *y;
	size_t		 xl, yl;

	segs_init(&sa, a->pattern, strlen(a->pattern));
	segs_init(&sb, b->pattern, strlen(b->pattern));
	for (;;) {
		int	 ha = segs_next(&sa, &x, &xl);
		int	 hb = segs_next(&sb, &y, &yl);
		int	 ka, kb;

		if (!ha || !hb)
			return ha > hb;
		ka = seg_kind(x, xl, a->flags);
		kb = seg_kind(y, yl, b->flags);
		if (ka != kb)
			return ka > kb;
		if (ka == SEG_STAR)
			return 0;
	}
}

/* Does a route of method rmethod answer a request with method? */
static int
method_matches(const char *rmethod, const char *method)
{
	return strcmp(rmethod, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(rmethod, "GET") == 0);
}

/* Decode a raw parameter value into a; NULL if malformed or not
 * acceptable text. */
static char *
param_value(struct arena *a, const char *raw, size_t n, size_t *outlen)
{
	char *v;

	if (str_urldecode(a, raw, n, 0, &v, outlen) < 0)
		return NULL;
	if (!form_text_ok(v, *outlen, 1))
		return NULL;
	return v;
}

/* Fill *params with route's parameters taken from path.  -1 if one is
 * not acceptable (or the arena is full). */
static int
extract_params(const struct route *r, const char *path, size_t n,
	       struct arena *a, struct kv **params)
{
	struct segs	 ps, xs;
	const char	*pseg, *xseg;
	size_t		 plen, xlen;
	struct kv	**tail = params;

	segs_init(&ps, r->pattern, strlen(r->pattern));
	segs_init(&xs, path, n);
	while (segs_next(&ps, &pseg, &plen)) {
		enum seg_kind	 k = seg_kind(pseg, plen, r->flags);
		struct kv	*kv;
		size_t		 vlen;

		if (k == SEG_STAR) {
			xseg = xs.p;
			xlen = (size_t)(xs.end - xs.p);
		} else if (!segs_next(&xs, &xseg, &xlen)) {
			BUG("pattern matched but path ran out");
		}
		if (k == SEG_LIT)
			continue;
		kv = arena_alloc(a, sizeof(*kv));
		if (!kv)
			return -1;
		kv->name = k == SEG_STAR ? "*" : arena_strndup(a, pseg + 1, plen - 1);
		kv->value = param_value(a, xseg, xlen, &vlen);
		if (!kv->name || !kv->value)
			return -1;
		kv->len = vlen;
		*tail = kv;
		tail = &kv->next;
		if (k == SEG_STAR)
			break;
	}
	return 0;
}

/* Is path something the matcher looks at at all? */
static int
path_ok(const char *path, size_t n)
{
	return n > 0 && n <= ROUTER_PATH_MAX && path[0] == '/' &&
	       !path_has_bad_segment(path, n);
}

const struct route *
router_match_in(const struct route *const *tables, size_t ntables,
		const char *method, const char *path, struct arena *a,
		struct kv **params, int *method_mismatch)
{
	const struct route	*best = NULL, *r;
	size_t			 n = strlen(path), t;
	int			 mismatch = 0;

	*params = NULL;
	*method_mismatch = 0;
	if (!path_ok(path, n))
		return NULL;
	for (t = 0; t < ntables; t++) {
		for (r = tables[t]; r->method; r++) {
			if (!pattern_matches(r->pattern, r->flags, path, n))
				continue;
			if (!method_matches(r->method, method)) {
				mismatch = 1;
				continue;
			}
			if (!best || more_specific(r, best))
				best = r;
		}
	}
	if (!best) {
		*method_mismatch = mismatch;
		return NULL;
	}
	if (extract_params(best, path, n, a, params) < 0) {
		*params = NULL;
		return NULL;
	}
	return best;
}

char *
router_allowed_in(const struct route *const *tables, size_t ntables,
		  const char *path, struct arena *a)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" };
	const struct route	*r;
	size_t			 n = strlen(path), t, i;
	unsigned		 seen = 0;
	char			*out = NULL;

	if (!path_ok(path, n))
		return NULL;
	for (t = 0; t < ntables; t++)
		for (r = tables[t]; r->method; r++)
			if (pattern_matches(r->pattern, r->flags, path, n))
				for (i = 0; i < ARRAY_SIZE(methods); i++)
					if (method_matches(r->method, methods[i]))
						seen |= 1u << i;
	for (i = 0; i < ARRAY_SIZE(methods); i++) {
		if (!(seen & (1u << i)))
			continue;
		out = out ? arena_printf(a, "%s, %s", out, methods[i]) :
			    arena_strdup(a, methods[i]);
		if (!out)
			return NULL;
	}
	return out;
}
