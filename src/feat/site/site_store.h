/* site_store.h - the site feature's data access (site_store.c holds every
 * SQL statement).  Private to the feature: other features call site.h.
 * Strings returned are allocated in the arena passed. */
#ifndef COLEAD_SITE_STORE_H
#define COLEAD_SITE_STORE_H

#include "site.h"

/* Insert; E_CONFLICT if the event already has a page with this slug. */
enum app_err	site_store_add(struct db *db, int64_t event_id, const struct page *p,
			int64_t now, int64_t *id);
/* E_NOTFOUND for an unknown id, E_CONFLICT for a taken slug. */
enum app_err	site_store_update(struct db *db, int64_t event_id, const struct page *p, int64_t now);
enum app_err	site_store_delete(struct db *db, int64_t event_id, int64_t id);
enum app_err	site_store_get(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			struct page *p);
enum app_err	site_store_by_slug(struct db *db, struct arena *a, int64_t event_id,
			const char *slug, struct page *p);
enum app_err	site_store_list(struct db *db, struct arena *a, int64_t event_id, int menu_only,
			struct page **out, size_t *n);
/* E_NOTFOUND for an unknown id. */
enum app_err	site_store_set_order(struct db *db, int64_t event_id, int64_t id, int64_t order);

#endif
