/* routes.h - every route table the server answers from.  Each feature
 * defines its table in src/feat/<name>/<name>_http.c (static handlers,
 * one exported `const struct route <name>_routes[]` ending with a NULL
 * method); adding a feature means one line here and one in routes.c. */
#ifndef COLEAD_HTTP_ROUTES_H
#define COLEAD_HTTP_ROUTES_H

#include "http.h"

extern const struct route people_routes[];
extern const struct route site_routes[];
extern const struct route static_routes[];	/* http/static.c */

#endif
