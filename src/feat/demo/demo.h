/* demo.h - the demo convention: everything `colead demo` puts into a new
 * database so every screen has something meaningful on it. */
#ifndef COLEAD_DEMO_H
#define COLEAD_DEMO_H

#include "../../core/core.h"
#include "../../app.h"

struct db;

#define DEMO_ORGANISER_EMAIL	"organiser@example.org"
#define DEMO_ORGANISER_PASSWORD	"collaborate-2027"

/* Fill an empty, migrated database with the demo convention in one
 * transaction: the event, the 43 partnerships, an organiser (whose login is
 * above), facilitators, speakers and about 280 participants with a lead
 * in each partnership.  Returns 0, or -1 (logged) leaving nothing
 * behind. */
int	demo_create(struct app *app, struct db *db);

#endif
