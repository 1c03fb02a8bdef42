/* routes.c - the list of every route table the server answers from, and
 * the matcher over it.  Kept apart from router.c so the matcher itself
 * links into unit tests without pulling in every feature.  Adding a
 * feature: declare its table in routes.h and list it here; order does not
 * matter (the most specific pattern wins). */
#include "router.h"
#include "routes.h"
#include "http_int.h"

#include <stdio.h>

static const struct route *const tables[] = {
	people_routes,
	site_routes,
	blog_routes,
	agenda_routes,
	survey_routes,
	live_routes,
	feeds_routes,
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

/* One line per route of every table: "METHOD PATTERN FLAGS", the flags as
 * comma-separated lower-case names ("-" for none), so tests can enumerate
 * what the server answers and notice a route missing from their tables. */
void
routes_print(FILE *out)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} names[] = {
		{ ROUTE_LOGIN, "login" }, { ROUTE_CSRF, "csrf" },
		{ ROUTE_ORGANISER, "organiser" }, { ROUTE_FACILITATOR, "facilitator" },
		{ ROUTE_SPEAKER, "speaker" }, { ROUTE_PARTICIPANT, "participant" },
		{ ROUTE_LEAD, "lead" }, { ROUTE_JSON, "json" },
		{ ROUTE_PREFIX, "prefix" }, { ROUTE_BARE, "bare" },
	};
	const struct route	*r;
	size_t			 t, i;
	int			 any;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (r = tables[t]; r->method; r++) {
			fprintf(out, "%s %s ", r->method, r->pattern);
			any = 0;
			for (i = 0; i < ARRAY_SIZE(names); i++) {
				if (!(r->flags & names[i].bit))
					continue;
				fprintf(out, "%s%s", any ? "," : "", names[i].name);
				any = 1;
			}
			fputs(any ? "\n" : "-\n", out);
		}
	}
}
