/* blog_store.h - the blog feature's data access (blog_store.c holds every
 * SQL statement).  Private to the feature: other features call blog.h.
 * Strings returned are allocated in the arena passed. */
#ifndef COLEAD_BLOG_STORE_H
#define COLEAD_BLOG_STORE_H

#include "blog.h"

/* Insert; E_CONFLICT if the event already has a post with this slug. */
enum app_err	blog_store_add(struct db *db, int64_t event_id, int64_t author_id,
			const struct post *p, int64_t now, int64_t *id);
/* Update title, slug, summary, body, draft, published_at; E_NOTFOUND for
 * an unknown id, E_CONFLICT for a slug taken by another post. */
enum app_err	blog_store_update(struct db *db, int64_t event_id, const struct post *p, int64_t now);
enum app_err	blog_store_delete(struct db *db, int64_t event_id, int64_t id);
enum app_err	blog_store_get(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			struct post *p);
enum app_err	blog_store_by_slug(struct db *db, struct arena *a, int64_t event_id,
			const char *slug, struct post *p);
/* Newest first.  public_at > 0: only posts not drafts and published at or
 * before it; 0: every post.  At most limit rows. */
enum app_err	blog_store_list(struct db *db, struct arena *a, int64_t event_id,
			int64_t public_at, int64_t limit, struct post **out, size_t *n);

#endif
