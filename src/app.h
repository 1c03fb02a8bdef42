/* app.h - what a handler may reach: configuration, the database pool, the
 * compiled views, and the process-wide secrets.  Built once by main.c and
 * read-only while serving. */
#ifndef COLEAD_APP_H
#define COLEAD_APP_H

#include "core/core.h"
#include "core/cfg.h"

struct db_pool;
struct tmpl_set;
struct live_hub;

struct app {
	struct cfg	*cfg;
	struct db_pool	*dbs;
	struct tmpl_set	*views;
	int64_t		 event_id;	/* the event this instance serves */
	char		*event_name;	/* for the layout; set at start-up */
	unsigned char	 secret[32];	/* HMAC key (CSRF), shared by instances via the database */
	struct live_hub	*live;		/* live updates (feat/live/live_hub.h); NULL outside serve */
	int		 tls;		/* base_url is https: Secure cookies, __Host- prefix, HSTS */
};

#endif
