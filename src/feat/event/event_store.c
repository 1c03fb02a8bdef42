/* event_store.c - every SQL statement about events and instance
 * settings.  Rules live in event.c. */
#include "event_store.h"
#include "../../core/arena.h"
#include "../../db/db.h"

static const char sql_get[] =
	"SELECT id, slug, name, tagline, intro, venue, venue_address,"
	" starts_on, ends_on, timezone FROM events WHERE id = $1";
static const char sql_first_id[] =
	"SELECT MIN(id) FROM events";
static const char sql_add[] =
	"INSERT INTO events (slug, name, tagline, intro, venue, venue_address,"
	" starts_on, ends_on, timezone, created_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
static const char sql_update[] =
	"UPDATE events SET name = $2, tagline = $3, intro = $4, venue = $5,"
	" venue_address = $6, starts_on = $7, ends_on = $8, timezone = $9"
	" WHERE id = $1";
static const char sql_setting[] =
	"SELECT value FROM settings WHERE name = $1";
static const char sql_setting_init[] =
	"INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING";

static const char *
col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);

	return arena_strndup(a, s ? s : "", s ? db_col_len(st, i) : 0);
}

enum app_err
event_store_get(struct db *db, struct arena *a, int64_t id, struct event *e)
{
	struct db_stmt	*st = db_prepare(db, sql_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		e->id = db_col_int(st, 0);
		e->slug = col(a, st, 1);
		e->name = col(a, st, 2);
		e->tagline = col(a, st, 3);
		e->intro = col(a, st, 4);
		e->venue = col(a, st, 5);
		e->venue_address = col(a, st, 6);
		e->starts_on = col(a, st, 7);
		e->ends_on = col(a, st, 8);
		e->timezone = col(a, st, 9);
	}
	if (db_finalize(st) < 0 || rc < 0)
		return E_INTERNAL;
	return rc == DB_ROW ? E_OK : E_NOTFOUND;
}

enum app_err
event_store_first_id(struct db *db, int64_t *id)
{
	struct db_stmt	*st = db_prepare(db, sql_first_id);
	int		 rc, null = 1;

	if (!st)
		return E_INTERNAL;
	rc = db_step(st);
	if (rc == DB_ROW && !(null = db_col_is_null(st, 0)))
		*id = db_col_int(st, 0);
	if (db_finalize(st) < 0 || rc < 0)
		return E_INTERNAL;
	return null ? E_NOTFOUND : E_OK;
}

enum app_err
event_store_add(struct db *db, const struct event *e, int64_t now, int64_t *id)
{
	struct db_stmt	*st = db_prepare(db, sql_add);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, e->slug);
	db_bind_text(st, 2, e->name);
	db_bind_text(st, 3, e->tagline ? e->tagline : "");
	db_bind_text(st, 4, e->intro ? e->intro : "");
	db_bind_text(st, 5, e->venue ? e->venue : "");
	db_bind_text(st, 6, e->venue_address ? e->venue_address : "");
	db_bind_text(st, 7, e->starts_on);
	db_bind_text(st, 8, e->ends_on);
	db_bind_text(st, 9, e->timezone ? e->timezone : "Europe/London");
	db_bind_int(st, 10, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	if (db_finalize(st) < 0 && rc >= 0)
		rc = DB_ERROR;
	if (rc == DB_CONSTRAINT)
		return E_CONFLICT;
	return rc == DB_ROW ? E_OK : E_INTERNAL;
}

enum app_err
event_store_update(struct db *db, const struct event *e)
{
	struct db_stmt	*st = db_prepare(db, sql_update);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, e->id);
	db_bind_text(st, 2, e->name);
	db_bind_text(st, 3, e->tagline);
	db_bind_text(st, 4, e->intro);
	db_bind_text(st, 5, e->venue);
	db_bind_text(st, 6, e->venue_address);
	db_bind_text(st, 7, e->starts_on);
	db_bind_text(st, 8, e->ends_on);
	db_bind_text(st, 9, e->timezone);
	return db_run(st);
}

enum app_err
event_store_setting(struct db *db, const char *name, char *out, size_t n)
{
	struct db_stmt	*st = db_prepare(db, sql_setting);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, n, "%s", db_col_text(st, 0));
	if (db_finalize(st) < 0 || rc < 0)
		return E_INTERNAL;
	return rc == DB_ROW ? E_OK : E_NOTFOUND;
}

enum app_err
event_store_setting_init(struct db *db, const char *name, const char *value)
{
	struct db_stmt	*st = db_prepare(db, sql_setting_init);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, value);
	rc = db_step(st);
	if (db_finalize(st) < 0 || rc < 0)
		return E_INTERNAL;
	return E_OK;
}
