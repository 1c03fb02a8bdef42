/* routes.c - the list of every route table the server answers from, and
 * the matcher over it.  Kept apart from router.c so the matcher itself
 * links into unit tests without pulling in every feature.  Adding a
 * feature: declare its table in routes.h and list it here; order does not
 * matter (the most specific pattern wins). */
#include "router.h"
#include "routes.h"

static const struct route *const tables[] = {
	people_routes,
	site_routes,
	static_routes,
};

const struct route *
router_match(const char *method, const char *path, struct arena *a,
	     struct kv **params, int *method_mismatch)
{
	return router_match_in(tables, ARRAY_SIZE(tables), method, path, a,
			       params, method_mismatch);
}

char *
router_allowed(const char *path, struct arena *a)
{
	return router_allowed_in(tables, ARRAY_SIZE(tables), path, a);
}
