/* site_store.c - every SQL statement of the site feature: static pages by
 * id, by slug and in menu order, inserted, updated, reordered and deleted.
 * No rules live here (what is valid is decided in site.c). */
#include "site_store.h"
#include "../../core/arena.h"
#include "../../db/db.h"

#define PAGE_COLS "id, slug, title, body, in_menu, menu_order FROM pages"

static const char sql_add[] =
	"INSERT INTO pages (event_id, slug, title, body, in_menu, menu_order, created_at, updated_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
	" ON CONFLICT (event_id, slug) DO NOTHING RETURNING id";
static const char sql_update[] =
	"UPDATE pages SET slug = $3, title = $4, body = $5, in_menu = $6, menu_order = $7,"
	" updated_at = $8 WHERE id = $1 AND event_id = $2 RETURNING id";
static const char sql_delete[] =
	"DELETE FROM pages WHERE id = $1 AND event_id = $2 RETURNING id";
static const char sql_get[] =
	"SELECT " PAGE_COLS " WHERE id = $1 AND event_id = $2";
static const char sql_by_slug[] =
	"SELECT " PAGE_COLS " WHERE slug = $1 AND event_id = $2";
static const char sql_list[] =
	"SELECT " PAGE_COLS " WHERE event_id = $1 ORDER BY menu_order, title, id";
static const char sql_list_menu[] =
	"SELECT " PAGE_COLS " WHERE event_id = $1 AND in_menu = 1 ORDER BY menu_order, title, id";
static const char sql_set_order[] =
	"UPDATE pages SET menu_order = $3 WHERE id = $1 AND event_id = $2 RETURNING id";

/* Column col of the current row copied into the arena; NULL for SQL NULL. */
static const char *
col_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? arena_strndup(a, s, db_col_len(st, col)) : NULL;
}

/* Fill p from PAGE_COLS; -1 if the arena is full. */
static int
page_row(struct arena *a, struct db_stmt *st, struct page *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->slug = col_dup(a, st, 1);
	p->title = col_dup(a, st, 2);
	p->body = col_dup(a, st, 3);
	p->in_menu = db_col_int(st, 4) != 0;
	p->menu_order = db_col_int(st, 5);
	return p->slug && p->title && p->body ? 0 : -1;
}

static enum app_err
one_page(struct arena *a, struct db_stmt *st, struct page *p)
{
	int rc = db_step(st);

	if (rc == DB_ROW) {
		if (page_row(a, st, p) < 0) {
			db_finalize(st);
			return E_TOOBIG;
		}
		return db_done(st, DB_DONE);
	}
	if (rc == DB_DONE)
		return db_finalize(st) < 0 ? E_INTERNAL : E_NOTFOUND;
	return db_done(st, rc);
}

enum app_err
site_store_add(struct db *db, int64_t event_id, const struct page *p, int64_t now, int64_t *id)
{
	struct db_stmt	*st = db_prepare(db, sql_add);
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, p->slug);
	db_bind_text(st, 3, p->title);
	db_bind_text(st, 4, p->body ? p->body : "");
	db_bind_int(st, 5, p->in_menu ? 1 : 0);
	db_bind_int(st, 6, p->menu_order);
	db_bind_int(st, 7, now);
	rc = db_run_int(st, id);
	return rc == E_NOTFOUND ? E_CONFLICT : rc;
}

enum app_err
site_store_update(struct db *db, int64_t event_id, const struct page *p, int64_t now)
{
	struct db_stmt	*st = db_prepare(db, sql_update);
	int64_t		 id;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, event_id);
	db_bind_text(st, 3, p->slug);
	db_bind_text(st, 4, p->title);
	db_bind_text(st, 5, p->body ? p->body : "");
	db_bind_int(st, 6, p->in_menu ? 1 : 0);
	db_bind_int(st, 7, p->menu_order);
	db_bind_int(st, 8, now);
	return db_run_int(st, &id);
}

enum app_err
site_store_delete(struct db *db, int64_t event_id, int64_t id)
{
	struct db_stmt	*st = db_prepare(db, sql_delete);
	int64_t		 gone;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	return db_run_int(st, &gone);
}

enum app_err
site_store_get(struct db *db, struct arena *a, int64_t event_id, int64_t id, struct page *p)
{
	struct db_stmt *st = db_prepare(db, sql_get);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	return one_page(a, st, p);
}

enum app_err
site_store_by_slug(struct db *db, struct arena *a, int64_t event_id, const char *slug,
		   struct page *p)
{
	struct db_stmt *st = db_prepare(db, sql_by_slug);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, slug);
	db_bind_int(st, 2, event_id);
	return one_page(a, st, p);
}

enum app_err
site_store_list(struct db *db, struct arena *a, int64_t event_id, int menu_only,
		struct page **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, menu_only ? sql_list_menu : sql_list);
	struct page	*arr = NULL, *bigger;
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(a, cap * sizeof(*arr));
			if (!bigger) {
				db_finalize(st);
				return E_TOOBIG;
			}
			if (*n)
				memcpy(bigger, arr, *n * sizeof(*arr));
			arr = bigger;
		}
		if (page_row(a, st, &arr[*n]) < 0) {
			db_finalize(st);
			return E_TOOBIG;
		}
		(*n)++;
	}
	*out = arr;
	return db_done(st, rc);
}

enum app_err
site_store_set_order(struct db *db, int64_t event_id, int64_t id, int64_t order)
{
	struct db_stmt	*st = db_prepare(db, sql_set_order);
	int64_t		 got;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	db_bind_int(st, 3, order);
	return db_run_int(st, &got);
}
