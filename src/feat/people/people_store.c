/* people_store.c - every SQL statement of the people feature: people,
 * roles, sessions, login failures, one-time password tokens and
 * partnerships.  No rules live here (who may, what is valid): people.c
 * decides, this file reads and writes. */
#include "people_store.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../db/db.h"

static const char sql_login_row[] =
	"SELECT id, password_hash FROM people WHERE email = $1";
static const char sql_get[] =
	"SELECT p.id, p.name, p.email, COALESCE(p.partnership_id, 0), pa.name"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.id = $1";
static const char sql_by_email[] =
	"SELECT p.id, p.name, p.email, COALESCE(p.partnership_id, 0), pa.name"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.email = $1";
static const char sql_add[] =
	"INSERT INTO people (name, email, job_title, partnership_id, created_at)"
	" VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_set_password[] =
	"UPDATE people SET password_hash = $2, password_at = $3 WHERE id = $1";
static const char sql_roles[] =
	"SELECT role FROM roles WHERE event_id = $1 AND person_id = $2";
static const char sql_role_add[] =
	"INSERT INTO roles (event_id, person_id, role) VALUES ($1, $2, $3)"
	" ON CONFLICT DO NOTHING";
static const char sql_role_remove[] =
	"DELETE FROM roles WHERE event_id = $1 AND person_id = $2 AND role = $3";
static const char sql_each_event[] =
	"SELECT p.id, p.name, p.email, COALESCE(p.partnership_id, 0), pa.name"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.id IN (SELECT person_id FROM roles WHERE event_id = $1)"
	" ORDER BY p.name, p.id";
static const char sql_each_all[] =
	"SELECT p.id, p.name, p.email, COALESCE(p.partnership_id, 0), pa.name"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" ORDER BY p.name, p.id";
static const char sql_count[] =
	"SELECT COUNT(*) FROM people";
static const char sql_failures[] =
	"SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2";
static const char sql_failure_add[] =
	"INSERT INTO login_failures (key, at) VALUES ($1, $2)";
static const char sql_failures_clear[] =
	"DELETE FROM login_failures WHERE key = $1 OR at < $2";
static const char sql_session_add[] =
	"INSERT INTO sessions (person_id, token_hash, created_at, last_seen)"
	" VALUES ($1, $2, $3, $3) RETURNING id";
static const char sql_session_get[] =
	"SELECT id, person_id, created_at, last_seen FROM sessions"
	" WHERE token_hash = $1 AND ended_at IS NULL";
static const char sql_session_touch[] =
	"UPDATE sessions SET last_seen = $2 WHERE id = $1";
static const char sql_session_end[] =
	"UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL";
static const char sql_sessions_end_all[] =
	"UPDATE sessions SET ended_at = $2 WHERE person_id = $1 AND ended_at IS NULL";
static const char sql_token_add[] =
	"INSERT INTO password_tokens (person_id, token_hash, purpose, created_at, expires_at)"
	" VALUES ($1, $2, $3, $4, $5)";
static const char sql_token_get[] =
	"SELECT person_id, purpose FROM password_tokens"
	" WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
static const char sql_token_use[] =
	"UPDATE password_tokens SET used_at = $2"
	" WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
	" RETURNING person_id";
static const char sql_partnership_add[] =
	"INSERT INTO partnerships (name, region, area, created_at)"
	" VALUES ($1, $2, $3, $4) RETURNING id";
static const char sql_partnership_find[] =
	"SELECT id FROM partnerships WHERE name = $1";

static const char sql_import_get[] =
	"SELECT id, name, job_title, COALESCE(partnership_id, 0) FROM people WHERE email = $1";
static const char sql_update[] =
	"UPDATE people SET name = $2, job_title = $3, partnership_id = $4 WHERE id = $1";
static const char sql_partnerships[] =
	"SELECT pa.id, pa.name, pa.region, pa.area,"
	" (SELECT COUNT(*) FROM people p WHERE p.partnership_id = pa.id"
	"  AND p.id IN (SELECT person_id FROM roles WHERE event_id = $1))"
	" FROM partnerships pa ORDER BY pa.name, pa.id";
static const char sql_partnership_rename[] =
	"UPDATE partnerships SET name = $2 WHERE id = $1";
static const char sql_partnership_move[] =
	"UPDATE people SET partnership_id = $2 WHERE partnership_id = $1";
static const char sql_partnership_delete[] =
	"DELETE FROM partnerships WHERE id = $1";
static const char sql_of_partnership[] =
	"SELECT p.id, p.name, p.email, COALESCE(p.partnership_id, 0), pa.name"
	" FROM people p JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.partnership_id = $2"
	" AND p.id IN (SELECT person_id FROM roles WHERE event_id = $1)"
	" ORDER BY p.name, p.id";
static const char sql_upload_add[] =
	"INSERT INTO import_uploads (id, event_id, person_id, filename, data, created_at)"
	" VALUES ($1, $2, $3, $4, $5, $6)";
static const char sql_upload_get[] =
	"SELECT data, filename FROM import_uploads"
	" WHERE id = $1 AND event_id = $2 AND person_id = $3";
static const char sql_upload_delete[] =
	"DELETE FROM import_uploads WHERE id = $1";
static const char sql_uploads_expire[] =
	"DELETE FROM import_uploads WHERE created_at < $1";
static const char sql_pending[] =
	"SELECT p.id, p.name, p.email, pa.name, COALESCE(p.invited_at, 0)"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.password_hash IS NULL"
	" AND p.id IN (SELECT person_id FROM roles WHERE event_id = $1)"
	" ORDER BY p.name, p.id";
static const char sql_invites_revoke[] =
	"UPDATE password_tokens SET used_at = $2"
	" WHERE person_id = $1 AND purpose = 'invite' AND used_at IS NULL";
static const char sql_invited[] =
	"UPDATE people SET invited_at = $2 WHERE id = $1";
static const char sql_consent[] =
	"UPDATE people SET consent_at = $2 WHERE id = $1";

static const char sql_listing_get[] =
	"SELECT listed, job_title FROM people WHERE id = $1";
static const char sql_listing_set[] =
	"UPDATE people SET listed = $2, job_title = $3 WHERE id = $1";
static const char sql_directory[] =
	"SELECT p.id, p.name, pa.name, p.job_title"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.listed = 1 AND p.id IN (SELECT person_id FROM roles WHERE event_id = $1)"
	" ORDER BY p.name, p.id";
static const char sql_data_person[] =
	"SELECT p.name, p.email, p.job_title, pa.name, p.created_at, p.password_at,"
	" COALESCE(p.consent_at, 0), COALESCE(p.invited_at, 0), p.listed"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id WHERE p.id = $1";
static const char sql_data_sessions[] =
	"SELECT created_at, last_seen, COALESCE(ended_at, 0) FROM sessions"
	" WHERE person_id = $1 ORDER BY created_at";
static const char sql_data_tokens[] =
	"SELECT purpose, created_at, expires_at, COALESCE(used_at, 0) FROM password_tokens"
	" WHERE person_id = $1 ORDER BY created_at";
static const char sql_erase_sessions[] =
	"DELETE FROM sessions WHERE person_id = $1";
static const char sql_erase_tokens[] =
	"DELETE FROM password_tokens WHERE person_id = $1";
static const char sql_erase_roles[] =
	"DELETE FROM roles WHERE person_id = $1";
static const char sql_erase_failures[] =
	"DELETE FROM login_failures WHERE key = 'acct:' || (SELECT email FROM people WHERE id = $1)";
static const char sql_erase_uploads[] =
	"DELETE FROM import_uploads WHERE person_id = $1";
static const char sql_erase_person[] =
	"UPDATE people SET name = 'Erased person', email = 'erased-' || CAST(id AS TEXT) || '@invalid',"
	" job_title = '', partnership_id = NULL, password_hash = NULL, password_at = 0,"
	" consent_at = NULL, invited_at = NULL, listed = 0 WHERE id = $1 RETURNING id";

static char *
col_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? arena_strndup(a, s, db_col_len(st, col)) : NULL;
}

/* Fill p from columns id, name, email, partnership_id, partnership. */
static void
person_row(struct arena *a, struct db_stmt *st, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->name = col_dup(a, st, 1);
	p->email = col_dup(a, st, 2);
	p->partnership_id = db_col_int(st, 3);
	p->partnership = col_dup(a, st, 4);
}

/* Run a person query: E_NOTFOUND if no row. */
static enum app_err
one_person(struct arena *a, struct db_stmt *st, struct person *p)
{
	enum app_err rc = db_row(st);

	if (rc != E_OK)
		return rc;
	person_row(a, st, p);
	return db_done(st, DB_DONE);
}

enum app_err
people_store_login_row(struct db *db, struct arena *a, const char *email,
		       int64_t *person_id, char **hash)
{
	struct db_stmt	*st = db_prepare(db, sql_login_row);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, email);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	*person_id = db_col_int(st, 0);
	*hash = col_dup(a, st, 1);
	return db_done(st, DB_DONE);
}

enum app_err
people_store_get(struct db *db, struct arena *a, int64_t event_id,
		 int64_t person_id, struct person *p)
{
	struct db_stmt	*st = db_prepare(db, sql_get);
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	rc = one_person(a, st, p);
	if (rc == E_OK)
		p->roles = people_store_roles(db, event_id, p->id);
	return rc;
}

enum app_err
people_store_by_email(struct db *db, struct arena *a, int64_t event_id,
		      const char *email, struct person *p)
{
	struct db_stmt	*st = db_prepare(db, sql_by_email);
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, email);
	rc = one_person(a, st, p);
	if (rc == E_OK)
		p->roles = people_store_roles(db, event_id, p->id);
	return rc;
}

enum app_err
people_store_add(struct db *db, const char *name, const char *email,
		 const char *job_title, int64_t partnership_id, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_add);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, job_title ? job_title : "");
	if (partnership_id)
		db_bind_int(st, 4, partnership_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, now);
	return db_run_int(st, id);
}

enum app_err
people_store_set_password(struct db *db, int64_t person_id, const char *hash, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_set_password);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, now);
	return db_run(st);
}

unsigned
people_store_roles(struct db *db, int64_t event_id, int64_t person_id)
{
	struct db_stmt	*st = db_prepare(db, sql_roles);
	unsigned	 roles = 0;
	int		 rc;

	if (!st)
		return 0;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	while ((rc = db_step(st)) == DB_ROW)
		roles |= role_from_name(db_col_text(st, 0));
	if (db_finalize(st) < 0 || rc < 0)
		return 0;
	return roles;
}

enum app_err
people_store_role_add(struct db *db, int64_t event_id, int64_t person_id, const char *role)
{
	struct db_stmt *st = db_prepare(db, sql_role_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, role);
	return db_run(st);
}

enum app_err
people_store_role_remove(struct db *db, int64_t event_id, int64_t person_id, const char *role)
{
	struct db_stmt *st = db_prepare(db, sql_role_remove);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, role);
	return db_run(st);
}

enum app_err
people_store_each(struct db *db, struct arena *a, int64_t event_id,
		  void (*fn)(void *arg, const struct person *p), void *arg)
{
	struct db_stmt	*st = db_prepare(db, event_id ? sql_each_event : sql_each_all);
	struct person	 p;
	int		 rc;

	if (!st)
		return E_INTERNAL;
	if (event_id)
		db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		person_row(a, st, &p);
		fn(arg, &p);
	}
	return db_done(st, rc);
}

int64_t
people_store_count(struct db *db)
{
	struct db_stmt	*st = db_prepare(db, sql_count);
	int64_t		 n = -1;

	if (!st || db_run_int(st, &n) != E_OK)
		return -1;
	return n;
}

int64_t
people_store_failures(struct db *db, const char *key, int64_t since)
{
	struct db_stmt	*st = db_prepare(db, sql_failures);
	int64_t		 n = -1;

	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, since);
	if (db_run_int(st, &n) != E_OK)
		return -1;
	return n;
}

enum app_err
people_store_failure_add(struct db *db, const char *key, int64_t at)
{
	struct db_stmt *st = db_prepare(db, sql_failure_add);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, at);
	return db_run(st);
}

enum app_err
people_store_failures_clear(struct db *db, const char *key, int64_t before)
{
	struct db_stmt *st = db_prepare(db, sql_failures_clear);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, before);
	return db_run(st);
}

enum app_err
people_store_session_add(struct db *db, int64_t person_id, const char *token_hash,
			 int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_session_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, token_hash);
	db_bind_int(st, 3, now);
	return db_run_int(st, id);
}

enum app_err
people_store_session_get(struct db *db, struct arena *a, const char *token_hash,
			 struct session_row *s, int64_t *person_id)
{
	struct db_stmt	*st = db_prepare(db, sql_session_get);
	int		 rc;

	(void)a;
	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, token_hash);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	s->id = db_col_int(st, 0);
	*person_id = db_col_int(st, 1);
	s->created_at = db_col_int(st, 2);
	s->last_seen = db_col_int(st, 3);
	return db_done(st, DB_DONE);
}

enum app_err
people_store_session_touch(struct db *db, int64_t session_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_session_touch);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, now);
	return db_run(st);
}

enum app_err
people_store_session_end(struct db *db, int64_t session_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_session_end);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, now);
	return db_run(st);
}

enum app_err
people_store_sessions_end_all(struct db *db, int64_t person_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_sessions_end_all);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	db_bind_int(st, 2, now);
	return db_run(st);
}

enum app_err
people_store_token_add(struct db *db, int64_t person_id, const char *token_hash,
		       const char *purpose, int64_t now, int64_t expires)
{
	struct db_stmt *st = db_prepare(db, sql_token_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, token_hash);
	db_bind_text(st, 3, purpose);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, expires);
	return db_run(st);
}

enum app_err
people_store_token_get(struct db *db, const char *token_hash, int64_t now,
		       int64_t *person_id, char *purpose, size_t purpose_len)
{
	struct db_stmt	*st = db_prepare(db, sql_token_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	*person_id = db_col_int(st, 0);
	snprintf(purpose, purpose_len, "%s", db_col_text(st, 1));
	return db_done(st, DB_DONE);
}

enum app_err
people_store_token_use(struct db *db, const char *token_hash, int64_t now, int64_t *person_id)
{
	struct db_stmt *st = db_prepare(db, sql_token_use);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	return db_run_int(st, person_id);
}

enum app_err
people_store_partnership_add(struct db *db, const char *name, const char *region,
			     const char *area, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_partnership_add);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, region ? region : "");
	db_bind_text(st, 3, area ? area : "");
	db_bind_int(st, 4, now);
	return db_run_int(st, id);
}

enum app_err
people_store_partnership_find(struct db *db, const char *name, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_partnership_find);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, name);
	return db_run_int(st, id);
}

enum app_err
people_store_import_get(struct db *db, struct arena *a, int64_t event_id,
			const char *email, struct import_existing *e)
{
	struct db_stmt	*st = db_prepare(db, sql_import_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, email);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	e->id = db_col_int(st, 0);
	e->name = col_dup(a, st, 1);
	e->job_title = col_dup(a, st, 2);
	e->partnership_id = db_col_int(st, 3);
	if ((rc = db_done(st, DB_DONE)) == E_OK)
		e->roles = people_store_roles(db, event_id, e->id);
	return rc;
}

enum app_err
people_store_update(struct db *db, int64_t id, const char *name,
		    const char *job_title, int64_t partnership_id)
{
	struct db_stmt *st = db_prepare(db, sql_update);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, job_title ? job_title : "");
	if (partnership_id)
		db_bind_int(st, 4, partnership_id);
	else
		db_bind_null(st, 4);
	return db_run(st);
}

/* Make room for one more element in an arena array of *cap elements. */
static void *
grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	void *bigger;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	bigger = arena_alloc(a, *cap * size);
	if (bigger && n)
		memcpy(bigger, arr, n * size);
	return bigger;
}

enum app_err
people_store_partnerships(struct db *db, struct arena *a, int64_t event_id,
			  struct people_partnership **out, size_t *n)
{
	struct db_stmt		 *st = db_prepare(db, sql_partnerships);
	struct people_partnership *arr = NULL, *p;
	size_t			  cap = 0;
	int			  rc;

	*n = 0;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!(arr = grow(a, arr, *n, &cap, sizeof(*arr)))) {
			db_finalize(st);
			return E_TOOBIG;
		}
		p = &arr[(*n)++];
		p->id = db_col_int(st, 0);
		p->name = col_dup(a, st, 1);
		p->region = col_dup(a, st, 2);
		p->area = col_dup(a, st, 3);
		p->people = db_col_int(st, 4);
	}
	*out = arr;
	return db_done(st, rc);
}

enum app_err
people_store_partnership_rename(struct db *db, int64_t id, const char *name)
{
	struct db_stmt *st = db_prepare(db, sql_partnership_rename);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, name);
	return db_run(st);
}

enum app_err
people_store_partnership_merge(struct db *db, int64_t from, int64_t into)
{
	struct db_stmt	*st = db_prepare(db, sql_partnership_move);
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, into);
	rc = db_run(st);
	if (rc != E_OK)
		return rc;
	if (!(st = db_prepare(db, sql_partnership_delete)))
		return E_INTERNAL;
	db_bind_int(st, 1, from);
	return db_run(st);
}

enum app_err
people_store_of_partnership(struct db *db, struct arena *a, int64_t event_id,
			    int64_t partnership_id,
			    void (*fn)(void *arg, const struct person *p), void *arg)
{
	struct db_stmt	*st = db_prepare(db, sql_of_partnership);
	struct person	 p;
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, partnership_id);
	while ((rc = db_step(st)) == DB_ROW) {
		person_row(a, st, &p);
		p.roles = 0;
		fn(arg, &p);
	}
	return db_done(st, rc);
}

enum app_err
people_store_upload_add(struct db *db, const char *id, int64_t event_id,
			int64_t person_id, const char *filename, const void *data, size_t n,
			int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_upload_add);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, event_id);
	db_bind_int(st, 3, person_id);
	db_bind_text(st, 4, filename ? filename : "");
	db_bind_blob(st, 5, data, n);
	db_bind_int(st, 6, now);
	return db_run(st);
}

enum app_err
people_store_upload_get(struct db *db, struct arena *a, const char *id,
			int64_t event_id, int64_t person_id, const void **data, size_t *n,
			const char **filename)
{
	struct db_stmt	*st = db_prepare(db, sql_upload_get);
	const char	*d;
	char		*copy;
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, event_id);
	db_bind_int(st, 3, person_id);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	d = db_col_text(st, 0);
	*n = db_col_len(st, 0);
	copy = arena_alloc(a, *n + 1);
	if (!copy) {
		db_finalize(st);
		return E_TOOBIG;
	}
	if (*n)
		memcpy(copy, d, *n);
	*data = copy;
	*filename = col_dup(a, st, 1);
	return db_done(st, DB_DONE);
}

/* Run a statement binding one text parameter. */
static enum app_err
run_text(struct db *db, const char *sql, const char *v)
{
	struct db_stmt *st = db_prepare(db, sql);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, v);
	return db_run(st);
}

/* Run a statement binding two integer parameters. */
static enum app_err
run_ii(struct db *db, const char *sql, int64_t a1, int64_t a2)
{
	struct db_stmt *st = db_prepare(db, sql);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, a1);
	db_bind_int(st, 2, a2);
	return db_run(st);
}

enum app_err
people_store_upload_delete(struct db *db, const char *id)
{
	return run_text(db, sql_upload_delete, id);
}

enum app_err
people_store_uploads_expire(struct db *db, int64_t before)
{
	return db_run_id(db, sql_uploads_expire, before);
}

enum app_err
people_store_pending(struct db *db, struct arena *a, int64_t event_id,
		     struct invite **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_pending);
	struct invite	*arr = NULL, *v;
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!(arr = grow(a, arr, *n, &cap, sizeof(*arr)))) {
			db_finalize(st);
			return E_TOOBIG;
		}
		v = &arr[(*n)++];
		memset(v, 0, sizeof(*v));
		v->person_id = db_col_int(st, 0);
		v->name = col_dup(a, st, 1);
		v->email = col_dup(a, st, 2);
		v->partnership = col_dup(a, st, 3);
		v->invited_at = db_col_int(st, 4);
	}
	*out = arr;
	return db_done(st, rc);
}

enum app_err
people_store_invites_revoke(struct db *db, int64_t person_id, int64_t now)
{
	return run_ii(db, sql_invites_revoke, person_id, now);
}

enum app_err
people_store_invited(struct db *db, int64_t person_id, int64_t now)
{
	return run_ii(db, sql_invited, person_id, now);
}

enum app_err
people_store_consent(struct db *db, int64_t person_id, int64_t now)
{
	return run_ii(db, sql_consent, person_id, now);
}

enum app_err
people_store_listing_get(struct db *db, struct arena *a, int64_t person_id,
			 int *listed, const char **job_title)
{
	struct db_stmt	*st = db_prepare(db, sql_listing_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	*listed = db_col_int(st, 0) != 0;
	*job_title = col_dup(a, st, 1);
	return db_done(st, DB_DONE);
}

enum app_err
people_store_listing_set(struct db *db, int64_t person_id, int listed, const char *job_title)
{
	struct db_stmt *st = db_prepare(db, sql_listing_set);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	db_bind_int(st, 2, listed ? 1 : 0);
	db_bind_text(st, 3, job_title ? job_title : "");
	return db_run(st);
}

enum app_err
people_store_directory(struct db *db, struct arena *a, int64_t event_id,
		       struct people_listing **out, size_t *n)
{
	struct db_stmt		*st = db_prepare(db, sql_directory);
	struct people_listing	*arr = NULL, *l;
	size_t			 cap = 0;
	int			 rc;

	*n = 0;
	*out = NULL;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!(arr = grow(a, arr, *n, &cap, sizeof(*arr)))) {
			db_finalize(st);
			return E_TOOBIG;
		}
		l = &arr[(*n)++];
		l->id = db_col_int(st, 0);
		l->name = col_dup(a, st, 1);
		l->partnership = col_dup(a, st, 2);
		l->job_title = col_dup(a, st, 3);
	}
	*out = arr;
	return db_done(st, rc);
}

/* A JSON string member "name":"value" (null for NULL), comma first unless first. */
static void
json_member(struct buf *b, const char *name, const char *v, int first)
{
	buf_addf(b, "%s\"%s\":", first ? "" : ",", name);
	if (v)
		buf_add_json_str(b, v, strlen(v));
	else
		buf_adds(b, "null");
}

enum app_err
people_store_data_json(struct db *db, int64_t event_id, int64_t person_id, struct buf *b)
{
	struct db_stmt	*st = db_prepare(db, sql_data_person);
	unsigned	 roles;
	int		 rc, first;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_finalize(st);
		return rc == DB_DONE ? E_NOTFOUND : E_INTERNAL;
	}
	buf_adds(b, "\"account\":{");
	json_member(b, "name", db_col_text(st, 0), 1);
	json_member(b, "email", db_col_text(st, 1), 0);
	json_member(b, "job_title", db_col_text(st, 2), 0);
	json_member(b, "partnership", db_col_text(st, 3), 0);
	buf_addf(b, ",\"created_at\":%" PRId64 ",\"password_set_at\":%" PRId64
	    ",\"privacy_consent_at\":%" PRId64 ",\"invited_at\":%" PRId64 ",\"in_directory\":%s}",
	    db_col_int(st, 4), db_col_int(st, 5), db_col_int(st, 6), db_col_int(st, 7),
	    db_col_int(st, 8) ? "true" : "false");
	if (db_done(st, DB_DONE) != E_OK)
		return E_INTERNAL;
	roles = people_store_roles(db, event_id, person_id);
	buf_adds(b, ",\"roles\":[");
	for (first = 1, rc = 1; rc <= ROLE_LEAD; rc <<= 1) {
		if (roles & (unsigned)rc) {
			buf_addf(b, "%s\"%s\"", first ? "" : ",", role_name((unsigned)rc));
			first = 0;
		}
	}
	buf_adds(b, "],\"sign_ins\":[");
	if (!(st = db_prepare(db, sql_data_sessions)))
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	for (first = 1; (rc = db_step(st)) == DB_ROW; first = 0)
		buf_addf(b, "%s{\"started_at\":%" PRId64 ",\"last_seen\":%" PRId64 ",\"ended_at\":%" PRId64 "}",
		    first ? "" : ",", db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2));
	if (db_done(st, rc) != E_OK)
		return E_INTERNAL;
	buf_adds(b, "],\"password_links\":[");
	if (!(st = db_prepare(db, sql_data_tokens)))
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	for (first = 1; (rc = db_step(st)) == DB_ROW; first = 0) {
		buf_adds(b, first ? "{" : ",{");
		json_member(b, "purpose", db_col_text(st, 0), 1);
		buf_addf(b, ",\"created_at\":%" PRId64 ",\"expires_at\":%" PRId64 ",\"used_at\":%" PRId64 "}",
		    db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3));
	}
	if (db_done(st, rc) != E_OK)
		return E_INTERNAL;
	buf_adds(b, "]");
	return E_OK;
}

enum app_err
people_store_erase(struct db *db, int64_t person_id)
{
	static const char *const deletes[] = {
		sql_erase_sessions, sql_erase_tokens, sql_erase_roles, sql_erase_uploads,
		sql_erase_failures,
	};
	struct db_stmt	*st;
	int64_t		 got;
	size_t		 i;
	enum app_err	 rc = E_OK;

	for (i = 0; rc == E_OK && i < ARRAY_SIZE(deletes); i++) {
		if (!(st = db_prepare(db, deletes[i])))
			return E_INTERNAL;
		db_bind_int(st, 1, person_id);
		rc = db_run(st);
	}
	if (rc != E_OK)
		return rc;
	if (!(st = db_prepare(db, sql_erase_person)))
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	return db_run_int(st, &got);
}
