/* router.h - matching a request's method and path against the route
 * tables.  Pure functions (no server, no globals except the tables that
 * routes.c lists), so the matcher is unit-tested and fuzzed on its own.
 *
 * Patterns are made of "/"-separated segments: a literal ("agenda"), a
 * parameter (":id", one non-empty segment, its value percent-decoded), and,
 * for a route with ROUTE_PREFIX, a last segment "*" that matches the rest
 * of the path (one or more segments; its decoded value is the parameter
 * "*").  The pattern "/" matches only the path "/".  Empty segments ("//",
 * a trailing "/") and "." or ".." segments match nothing.  When several
 * routes match, the most specific wins whatever the table order: compared
 * segment by segment from the left, a literal beats a parameter, which
 * beats a "*" tail.  HEAD is answered by GET routes. */
#ifndef COLEAD_HTTP_ROUTER_H
#define COLEAD_HTTP_ROUTER_H

#include "../core/core.h"
#include "http.h"

struct arena;

#define ROUTER_PATH_MAX	4096	/* longer raw paths match nothing */

/* Match method and the raw (still percent-encoded) path against ntables
 * route tables, each ending with a NULL method.  Returns the route, with
 * its parameters in *params (in a); or NULL, with *method_mismatch set to 1
 * when some route has this path but another method (405), else 0 (404).
 * A parameter whose decoded value is not acceptable text (bad escape,
 * invalid UTF-8, control characters) makes its route not match. */
const struct route *router_match_in(const struct route *const *tables, size_t ntables,
				    const char *method, const char *path,
				    struct arena *a, struct kv **params,
				    int *method_mismatch);

/* The methods the routes matching path accept, as an Allow header value
 * ("GET, HEAD, POST"), in a; NULL if none. */
char		*router_allowed_in(const struct route *const *tables, size_t ntables,
				   const char *path, struct arena *a);

/* The same over every feature's table (routes.c). */
const struct route *router_match(const char *method, const char *path, struct arena *a,
				 struct kv **params, int *method_mismatch);
char		*router_allowed(const char *path, struct arena *a);

#endif
