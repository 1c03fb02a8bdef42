/* db_sqlite.c - the SQLite backend of db.h: one sqlite3 handle per struct
 * db, opened in WAL mode with foreign keys on, synchronous=FULL and a busy
 * timeout; statements prepared once and kept by db.c's cache; $1..$n bound
 * by name so a number may appear several times and in any order.  It only
 * does what db.c asks through struct db_ops: no caching, logging or
 * transaction bookkeeping here. */
#include <sqlite3.h>

#include "db_impl.h"
#include "../core/log.h"

#define BUSY_TIMEOUT_MS	5000

struct sqlite_db {
	struct db	 base;		/* first: a struct db * points here */
	sqlite3		*h;
	int		 memory;	/* ":memory:": no WAL to expect */
};

struct sqlite_stmt {
	struct db_stmt	 base;		/* first */
	sqlite3_stmt	*h;
};

static const struct db_ops sqlite_ops;

static sqlite3 *
handle(struct db *db)
{
	return ((struct sqlite_db *)db)->h;
}

static sqlite3_stmt *
stmt_handle(struct db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->h;
}

/* Turn a failed SQLite call into an enum db_rc, keeping its message. */
static int
fail(struct db *db, int rc)
{
	db_set_err(db, "%s", sqlite3_errmsg(handle(db)));
	return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERROR;
}

static int
sqlite_exec(struct db *db, const char *sql)
{
	char	*msg = NULL;
	int	 rc;

	rc = sqlite3_exec(handle(db), sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return 0;
	db_set_err(db, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERROR;
}

/* Switch to WAL; the answer is the mode now in force. */
static int
set_wal(struct sqlite_db *s)
{
	sqlite3_stmt	*st = NULL;
	const char	*mode;
	int		 rc;

	rc = sqlite3_prepare_v2(s->h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_set_err(&s->base, "%s", sqlite3_errmsg(s->h));
		sqlite3_finalize(st);
		return -1;
	}
	mode = (const char *)sqlite3_column_text(st, 0);
	if (!s->memory && (!mode || strcmp(mode, "wal") != 0))
		log_warn("db: sqlite journal mode is '%s', not 'wal'",
		    mode ? mode : "?");
	sqlite3_finalize(st);
	return 0;
}

struct db *
db_sqlite_open(const char *path, char **err)
{
	struct sqlite_db	*s;
	sqlite3			*h = NULL;
	int			 rc;

	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		*err = xprintf("cannot open database '%s': %s", path,
		    h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	s->base.kind = DB_SQLITE;
	s->h = h;
	s->memory = strcmp(path, ":memory:") == 0;
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	/* The first statement reads the file: "file is not a database"
	 * shows up here rather than at open. */
	if (sqlite_exec(&s->base, "PRAGMA foreign_keys=ON") < 0 ||
	    set_wal(s) < 0 ||
	    sqlite_exec(&s->base, "PRAGMA synchronous=FULL") < 0) {
		*err = xprintf("cannot open database '%s': %s", path, s->base.errmsg);
		sqlite3_close_v2(h);
		free(s);
		return NULL;
	}
	return &s->base;
}

static void
sqlite_close(struct db *db)
{
	sqlite3_close_v2(handle(db));
	free(db);
}

/* Whether text holds anything but white space, ';' and comments. */
static int
more_sql(struct db *db, const char *tail)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' ||
	    *tail == ';')
		tail++;
	if (!*tail)
		return 0;
	rc = sqlite3_prepare_v2(handle(db), tail, -1, &st, NULL);
	sqlite3_finalize(st);
	return rc != SQLITE_OK || st != NULL;
}

static struct db_stmt *
sqlite_stmt_new(struct db *db, const char *sql)
{
	struct sqlite_stmt	*s;
	sqlite3_stmt		*h = NULL;
	const char		*tail = NULL;
	int			 rc;

	rc = sqlite3_prepare_v3(handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &h, &tail);
	if (rc != SQLITE_OK) {
		fail(db, rc);
		return NULL;
	}
	if (!h) {
		db_set_err(db, "no statement in the SQL");
		return NULL;
	}
	if (tail && more_sql(db, tail)) {
		/* PostgreSQL refuses this too; use db_exec for scripts. */
		db_set_err(db, "more than one statement in the SQL");
		sqlite3_finalize(h);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->h = h;
	return &s->base;
}

static int
sqlite_stmt_reset(struct db_stmt *st)
{
	sqlite3_reset(stmt_handle(st));
	sqlite3_clear_bindings(stmt_handle(st));
	return 0;
}

/* Reset at once so a finished SELECT holds no read snapshot open. */
static void
sqlite_stmt_release(struct db_stmt *st)
{
	sqlite3_reset(stmt_handle(st));
	sqlite3_clear_bindings(stmt_handle(st));
}

static void
sqlite_stmt_free(struct db_stmt *st)
{
	sqlite3_finalize(stmt_handle(st));
	free(st);
}

/* SQLite's index for "$idx", or 0 with a message if the SQL has none. */
static int
param(struct db_stmt *st, int idx)
{
	char	name[16];
	int	i;

	snprintf(name, sizeof(name), "$%d", idx);
	i = sqlite3_bind_parameter_index(stmt_handle(st), name);
	if (i == 0)
		db_set_err(st->db, "no parameter $%d in the statement", idx);
	return i;
}

static int
bound(struct db_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	db_set_err(st->db, "%s", sqlite3_errstr(rc));
	return -1;
}

static int
sqlite_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	int i = param(st, idx);

	return i ? bound(st, sqlite3_bind_int64(stmt_handle(st), i, v)) : -1;
}

static int
sqlite_bind_text(struct db_stmt *st, int idx, const char *s, size_t n)
{
	int i = param(st, idx);

	return i ? bound(st, sqlite3_bind_text64(stmt_handle(st), i, s, n,
	    SQLITE_TRANSIENT, SQLITE_UTF8)) : -1;
}

static int
sqlite_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	int i = param(st, idx);

	return i ? bound(st, sqlite3_bind_blob64(stmt_handle(st), i, p, n,
	    SQLITE_TRANSIENT)) : -1;
}

static int
sqlite_bind_null(struct db_stmt *st, int idx)
{
	int i = param(st, idx);

	return i ? bound(st, sqlite3_bind_null(stmt_handle(st), i)) : -1;
}

static int
sqlite_step(struct db_stmt *st)
{
	int rc = sqlite3_step(stmt_handle(st));

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return fail(st->db, rc);
}

static int64_t
sqlite_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_handle(st), col);
}

/* Text, or a blob's bytes (SQLite adds a NUL after them too). */
static const char *
sqlite_col_text(struct db_stmt *st, int col)
{
	const unsigned char *p;

	if (sqlite3_column_type(stmt_handle(st), col) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(stmt_handle(st), col);
	return p ? (const char *)p : "";
}

static size_t
sqlite_col_len(struct db_stmt *st, int col)
{
	if (sqlite3_column_type(stmt_handle(st), col) == SQLITE_NULL)
		return 0;
	/* Text first, then its length, as SQLite's documentation advises. */
	sqlite3_column_text(stmt_handle(st), col);
	return (size_t)sqlite3_column_bytes(stmt_handle(st), col);
}

static int
sqlite_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(stmt_handle(st), col) == SQLITE_NULL;
}

static int
sqlite_ncols(struct db_stmt *st)
{
	return sqlite3_column_count(stmt_handle(st));
}

/* IMMEDIATE: take the write lock now, waiting up to the busy timeout, so
 * two writers never deadlock upgrading a read lock. */
static int
sqlite_begin(struct db *db)
{
	return sqlite_exec(db, "BEGIN IMMEDIATE");
}

static int
sqlite_commit(struct db *db)
{
	int rc = sqlite_exec(db, "COMMIT");

	if (rc < 0 && !sqlite3_get_autocommit(handle(db))) {
		char keep[DB_ERRMSG_MAX];

		memcpy(keep, db->errmsg, sizeof(keep));
		sqlite_exec(db, "ROLLBACK");
		memcpy(db->errmsg, keep, sizeof(keep));
	}
	return rc < 0 ? -1 : 0;
}

/* Some errors (a full disk, say) end the transaction inside SQLite;
 * rolling back then is a no-op, not a failure. */
static int
sqlite_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(handle(db)))
		return 0;
	return sqlite_exec(db, "ROLLBACK") < 0 ? -1 : 0;
}

static const struct db_ops sqlite_ops = {
	.close = sqlite_close,
	.stmt_new = sqlite_stmt_new,
	.stmt_reset = sqlite_stmt_reset,
	.stmt_release = sqlite_stmt_release,
	.stmt_free = sqlite_stmt_free,
	.bind_int = sqlite_bind_int,
	.bind_text = sqlite_bind_text,
	.bind_blob = sqlite_bind_blob,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.col_int = sqlite_col_int,
	.col_text = sqlite_col_text,
	.col_len = sqlite_col_len,
	.col_is_null = sqlite_col_is_null,
	.ncols = sqlite_ncols,
	.exec = sqlite_exec,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
};
