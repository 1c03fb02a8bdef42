/* feeds_store.c - every SQL statement of the feeds feature: the personal
 * feed tokens.  No rules live here (who may, what a token looks like):
 * feeds.c decides, this file reads and writes. */
#include "feeds_store.h"
#include "../../db/db.h"

static const char sql_token_set[] =
	"INSERT INTO feed_tokens (event_id, person_id, token_hash, created_at)"
	" VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (event_id, person_id) DO UPDATE"
	" SET token_hash = excluded.token_hash, created_at = excluded.created_at";
static const char sql_token_delete[] =
	"DELETE FROM feed_tokens WHERE event_id = $1 AND person_id = $2";
static const char sql_token_get[] =
	"SELECT created_at FROM feed_tokens WHERE event_id = $1 AND person_id = $2";
static const char sql_token_person[] =
	"SELECT person_id FROM feed_tokens WHERE event_id = $1 AND token_hash = $2";

/* Insert or replace the person's one token for the event. */
enum app_err
feeds_store_token_set(struct db *db, int64_t event_id, int64_t person_id,
		      const char *token_hash, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_token_set);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, token_hash);
	db_bind_int(st, 4, now);
	return db_run(st);
}

/* Remove the person's token; no row is not an error. */
enum app_err
feeds_store_token_delete(struct db *db, int64_t event_id, int64_t person_id)
{
	struct db_stmt *st = db_prepare(db, sql_token_delete);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	return db_run(st);
}

/* Whether the person has a token, and when it was made. */
enum app_err
feeds_store_token_get(struct db *db, int64_t event_id, int64_t person_id,
		      int *has, int64_t *created_at)
{
	struct db_stmt	*st = db_prepare(db, sql_token_get);
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	*created_at = 0;
	rc = db_run_int(st, created_at);
	*has = rc == E_OK;
	return rc == E_NOTFOUND ? E_OK : rc;
}

/* The owner of a token hash in the event. */
enum app_err
feeds_store_token_person(struct db *db, int64_t event_id, const char *token_hash,
			 int64_t *person_id)
{
	struct db_stmt *st = db_prepare(db, sql_token_person);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, token_hash);
	return db_run_int(st, person_id);
}
