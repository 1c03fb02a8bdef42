/* people_store.c - every SQL statement of the people feature: people,
 * roles, sessions, login failures, one-time password tokens and
 * partnerships.  No rules live here (who may, what is valid): people.c
 * decides, this file reads and writes. */
#include "people_store.h"
#include "../../core/arena.h"
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

/* Finish a statement that should have run to completion: E_OK, or
 * E_CONFLICT / E_INTERNAL by what the step said. */
static enum app_err
done(struct db_stmt *st, int rc)
{
	int frc = db_finalize(st);

	if (rc == DB_CONSTRAINT)
		return E_CONFLICT;
	if (rc < 0 || frc < 0)
		return E_INTERNAL;
	return E_OK;
}

/* Run a statement with no result rows. */
static enum app_err
run(struct db_stmt *st)
{
	int rc = db_step(st);

	return done(st, rc == DB_ROW ? DB_DONE : rc);
}

/* Run a statement whose single row holds one integer (COUNT, RETURNING). */
static enum app_err
run_int(struct db_stmt *st, int64_t *out)
{
	int rc = db_step(st);

	if (rc == DB_ROW) {
		*out = db_col_int(st, 0);
		rc = db_step(st);
		return done(st, rc == DB_ROW ? DB_DONE : rc);
	}
	if (rc == DB_DONE) {
		db_finalize(st);
		return E_NOTFOUND;
	}
	return done(st, rc);
}

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
	int rc = db_step(st);

	if (rc == DB_ROW) {
		person_row(a, st, p);
		return done(st, DB_DONE);
	}
	if (rc == DB_DONE) {
		db_finalize(st);
		return E_NOTFOUND;
	}
	return done(st, rc);
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
	rc = db_step(st);
	if (rc == DB_ROW) {
		*person_id = db_col_int(st, 0);
		*hash = col_dup(a, st, 1);
		return done(st, DB_DONE);
	}
	if (rc == DB_DONE) {
		db_finalize(st);
		return E_NOTFOUND;
	}
	return done(st, rc);
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
	return run_int(st, id);
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
	return run(st);
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
	return run(st);
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
	return run(st);
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
	return done(st, rc);
}

int64_t
people_store_count(struct db *db)
{
	struct db_stmt	*st = db_prepare(db, sql_count);
	int64_t		 n = -1;

	if (!st || run_int(st, &n) != E_OK)
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
	if (run_int(st, &n) != E_OK)
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
	return run(st);
}

enum app_err
people_store_failures_clear(struct db *db, const char *key, int64_t before)
{
	struct db_stmt *st = db_prepare(db, sql_failures_clear);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, before);
	return run(st);
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
	return run_int(st, id);
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
	rc = db_step(st);
	if (rc == DB_ROW) {
		s->id = db_col_int(st, 0);
		*person_id = db_col_int(st, 1);
		s->created_at = db_col_int(st, 2);
		s->last_seen = db_col_int(st, 3);
		return done(st, DB_DONE);
	}
	if (rc == DB_DONE) {
		db_finalize(st);
		return E_NOTFOUND;
	}
	return done(st, rc);
}

enum app_err
people_store_session_touch(struct db *db, int64_t session_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_session_touch);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, now);
	return run(st);
}

enum app_err
people_store_session_end(struct db *db, int64_t session_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_session_end);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, now);
	return run(st);
}

enum app_err
people_store_sessions_end_all(struct db *db, int64_t person_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_sessions_end_all);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, person_id);
	db_bind_int(st, 2, now);
	return run(st);
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
	return run(st);
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
	rc = db_step(st);
	if (rc == DB_ROW) {
		*person_id = db_col_int(st, 0);
		snprintf(purpose, purpose_len, "%s", db_col_text(st, 1));
		return done(st, DB_DONE);
	}
	if (rc == DB_DONE) {
		db_finalize(st);
		return E_NOTFOUND;
	}
	return done(st, rc);
}

enum app_err
people_store_token_use(struct db *db, const char *token_hash, int64_t now, int64_t *person_id)
{
	struct db_stmt *st = db_prepare(db, sql_token_use);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	return run_int(st, person_id);
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
	return run_int(st, id);
}

enum app_err
people_store_partnership_find(struct db *db, const char *name, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_partnership_find);

	if (!st)
		return E_INTERNAL;
	db_bind_text(st, 1, name);
	return run_int(st, id);
}
