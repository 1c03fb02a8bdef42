/* routes.h - every route table the server answers from.  Each feature
 * defines its table in src/feat/<name>/<name>_http.c (static handlers,
 * one exported `const struct route <name>_routes[]` ending with a NULL
 * method); adding a feature means one line here and one in routes.c. */
#ifndef COLEAD_HTTP_ROUTES_H
#define COLEAD_HTTP_ROUTES_H

#include "http.h"

#include <stdio.h>

extern const struct route people_routes[];
extern const struct route site_routes[];
extern const struct route blog_routes[];
extern const struct route agenda_routes[];
extern const struct route survey_routes[];
extern const struct route live_routes[];
extern const struct route feeds_routes[];
extern const struct route static_routes[];	/* http/static.c */

/* Print every route, "METHOD PATTERN FLAGS" a line (`colead routes`). */
void	routes_print(FILE *out);

#endif
