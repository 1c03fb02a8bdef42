/* blog_store.c - every SQL statement of the blog feature: posts by id, by
 * slug and in lists, inserted, updated and deleted.  No rules live here
 * (who may, what is valid, what is public is decided in blog.c and passed
 * in as a time); this file reads and writes. */
#include "blog_store.h"
#include "../../core/arena.h"
#include "../../db/db.h"

#define POST_COLS \
	"p.id, p.slug, p.title, p.summary, p.body, p.draft, p.published_at," \
	" p.created_at, p.updated_at, pe.name" \
	" FROM posts p LEFT JOIN people pe ON pe.id = p.author_id"

static const char sql_add[] =
	"INSERT INTO posts (event_id, slug, title, summary, body, draft, published_at,"
	" author_id, created_at, updated_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
	" ON CONFLICT (event_id, slug) DO NOTHING RETURNING id";
static const char sql_update[] =
	"UPDATE posts SET slug = $3, title = $4, summary = $5, body = $6, draft = $7,"
	" published_at = $8, updated_at = $9"
	" WHERE id = $1 AND event_id = $2 RETURNING id";
static const char sql_delete[] =
	"DELETE FROM posts WHERE id = $1 AND event_id = $2 RETURNING id";
static const char sql_get[] =
	"SELECT " POST_COLS " WHERE p.id = $1 AND p.event_id = $2";
static const char sql_by_slug[] =
	"SELECT " POST_COLS " WHERE p.slug = $1 AND p.event_id = $2";
static const char sql_list_all[] =
	"SELECT " POST_COLS " WHERE p.event_id = $1"
	" ORDER BY p.draft DESC, p.published_at DESC, p.id DESC LIMIT CAST($2 AS BIGINT)";
static const char sql_list_public[] =
	"SELECT " POST_COLS " WHERE p.event_id = $1 AND p.draft = 0 AND p.published_at <= $3"
	" ORDER BY p.published_at DESC, p.id DESC LIMIT CAST($2 AS BIGINT)";

/* Column col of the current row copied into the arena; NULL for SQL NULL. */
static const char *
col_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? arena_strndup(a, s, db_col_len(st, col)) : NULL;
}

/* Fill p from the POST_COLS of the current row; -1 if the arena is full. */
static int
post_row(struct arena *a, struct db_stmt *st, struct post *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->slug = col_dup(a, st, 1);
	p->title = col_dup(a, st, 2);
	p->summary = col_dup(a, st, 3);
	p->body = col_dup(a, st, 4);
	p->draft = db_col_int(st, 5) != 0;
	p->published_at = db_col_int(st, 6);
	p->created_at = db_col_int(st, 7);
	p->updated_at = db_col_int(st, 8);
	p->author = col_dup(a, st, 9);
	return p->slug && p->title && p->summary && p->body ? 0 : -1;
}

/* Run a query for at most one post. */
static enum app_err
one_post(struct arena *a, struct db_stmt *st, struct post *p)
{
	int rc = db_step(st);

	if (rc == DB_ROW) {
		if (post_row(a, st, p) < 0) {
			db_finalize(st);
			return E_TOOBIG;
		}
		return db_done(st, DB_DONE);
	}
	if (rc == DB_DONE)
		return db_finalize(st) < 0 ? E_INTERNAL : E_NOTFOUND;
	return db_done(st, rc);
}

/* Bind the fields of p shared by insert and update at $2.. as the
 * statement numbers them: slug, title, summary, body, draft, published_at. */
static void
bind_fields(struct db_stmt *st, int first, const struct post *p)
{
	db_bind_text(st, first, p->slug);
	db_bind_text(st, first + 1, p->title);
	db_bind_text(st, first + 2, p->summary ? p->summary : "");
	db_bind_text(st, first + 3, p->body ? p->body : "");
	db_bind_int(st, first + 4, p->draft ? 1 : 0);
	db_bind_int(st, first + 5, p->published_at);
}

enum app_err
blog_store_add(struct db *db, int64_t event_id, int64_t author_id, const struct post *p,
	       int64_t now, int64_t *id)
{
	struct db_stmt	*st = db_prepare(db, sql_add);
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	bind_fields(st, 2, p);
	if (author_id)
		db_bind_int(st, 8, author_id);
	else
		db_bind_null(st, 8);
	db_bind_int(st, 9, now);
	rc = db_run_int(st, id);
	return rc == E_NOTFOUND ? E_CONFLICT : rc;	/* DO NOTHING: the slug is taken */
}

enum app_err
blog_store_update(struct db *db, int64_t event_id, const struct post *p, int64_t now)
{
	struct db_stmt	*st = db_prepare(db, sql_update);
	int64_t		 id;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, event_id);
	bind_fields(st, 3, p);
	db_bind_int(st, 9, now);
	return db_run_int(st, &id);
}

enum app_err
blog_store_delete(struct db *db, int64_t event_id, int64_t id)
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
blog_store_get(struct db *db, struct arena *a, int64_t event_id, int64_t id, struct post *p)
{
	struct db_stmt *st = db_prepare(db, sql_get);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	return one_post(a, st, p);
}

enum app_err
blog_store_by_slug(struct db *db, struct arena *a, int64_t event_id, const char *slug,
		   struct post *p)
{
	struct db_stmt *st = db_prepare(db, sql_by_slug);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, slug);
	db_bind_int(st, 2, event_id);
	return one_post(a, st, p);
}

enum app_err
blog_store_list(struct db *db, struct arena *a, int64_t event_id, int64_t public_at,
		int64_t limit, struct post **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, public_at > 0 ? sql_list_public : sql_list_all);
	struct post	*arr = NULL, *bigger;
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, limit);
	if (public_at > 0)
		db_bind_int(st, 3, public_at);
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
		if (post_row(a, st, &arr[*n]) < 0) {
			db_finalize(st);
			return E_TOOBIG;
		}
		(*n)++;
	}
	*out = arr;
	return db_done(st, rc);
}
