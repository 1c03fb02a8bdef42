/* db.h - the one database interface; backends for SQLite (db_sqlite.c) and
 * PostgreSQL through libpq (db_pg.c).  SQL is written once with $1..$n
 * placeholders in the subset both run; SQLite binds them by name, so
 * "WHERE b = $2 AND a = $1" works on both.  Where PostgreSQL cannot infer a
 * parameter's type, write CAST($1 AS BIGINT) / CAST($1 AS TEXT).
 *
 * A struct db is one connection, used by one thread at a time.  Statements
 * are prepared once per connection and cached by the address of their SQL
 * text, which must therefore be a static string (store files keep them as
 * `static const char sql_x[]`).  Nothing here knows about HTTP. */
#ifndef COLEAD_DB_H
#define COLEAD_DB_H

#include "../core/core.h"

enum db_kind { DB_SQLITE, DB_PG };

enum db_rc {
	DB_ROW = 1,		/* a row is ready: read it with db_col_* */
	DB_DONE = 0,		/* no more rows; the statement ran to completion */
	DB_ERROR = -1,		/* failed; logged with the database's message */
	DB_CONSTRAINT = -2,	/* a UNIQUE / FOREIGN KEY / CHECK constraint refused it */
	DB_UNSUPPORTED = -3	/* this backend cannot do it (SQLite: listening) */
};

struct db;
struct db_stmt;

/* Check a --db URL without connecting: "sqlite:PATH" (PATH may be
 * ":memory:") or "postgresql://..." / "postgres://...".  -1 with a message
 * (malloc'd) in *err. */
int		 db_url_check(const char *url, char **err);
/* Which backend a URL names (only the scheme is looked at: check it first). */
enum db_kind	 db_url_kind(const char *url);
/* Connect.  SQLite: WAL, foreign keys on, a busy timeout, synchronous=FULL
 * so an acknowledged COMMIT survives a crash.  NULL with *err set
 * (malloc'd, never containing a password) on failure. */
struct db	*db_open(const char *url, char **err);
void		 db_close(struct db *db);		/* NULL is fine */
enum db_kind	 db_kind(const struct db *db);

/* Prepare (or take from the connection's cache) a statement for a static
 * SQL string.  NULL on error (logged).  The statement is reset and its
 * bindings cleared; give it back with db_finalize() before preparing the
 * same SQL again on this connection. */
struct db_stmt	*db_prepare(struct db *db, const char *sql);
/* Bind $idx (1-based).  Errors are sticky on the statement and reported by
 * db_step()/db_finalize(). */
void		 db_bind_int(struct db_stmt *st, int idx, int64_t v);
void		 db_bind_text(struct db_stmt *st, int idx, const char *s);	/* NULL binds NULL */
void		 db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t n);
void		 db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n);
void		 db_bind_null(struct db_stmt *st, int idx);
/* Run or advance.  Returns enum db_rc. */
int		 db_step(struct db_stmt *st);
/* Columns, 0-based, of the current row.  Text stays valid until the next
 * db_step() or db_finalize(); NULL for SQL NULL.  Blobs: db_col_text and
 * db_col_len give the raw bytes. */
int64_t		 db_col_int(struct db_stmt *st, int col);
const char	*db_col_text(struct db_stmt *st, int col);
size_t		 db_col_len(struct db_stmt *st, int col);
int		 db_col_is_null(struct db_stmt *st, int col);
int		 db_ncols(struct db_stmt *st);
/* Give the statement back to the cache.  Returns 0, or -1 if any bind or
 * step failed since it was prepared. */
int		 db_finalize(struct db_stmt *st);

/* Finishing a statement, as every store does.  All three finalize st
 * (which may be NULL from a failed db_prepare) and turn what happened into
 * an app_err: DB_CONSTRAINT is E_CONFLICT, any failure E_INTERNAL.
 * db_done: rc is the last db_step result (DB_DONE or DB_ROW when the
 * caller read what it wanted).  db_run: step a statement that returns no
 * rows (or rows nobody reads) to completion.  db_run_int: the first column
 * of the first row into *out (COUNT, RETURNING id); E_NOTFOUND when there
 * was no row. */
enum app_err	 db_done(struct db_stmt *st, int rc);
/* Step st to its first row: E_OK when there is one to read (read it, then
 * finish with db_done(st, DB_DONE)); otherwise st is finished, and the
 * result is E_NOTFOUND for no row, or the failure. */
enum app_err	 db_row(struct db_stmt *st);
enum app_err	 db_run(struct db_stmt *st);
enum app_err	 db_run_int(struct db_stmt *st, int64_t *out);
/* Prepare sql, bind v to $1 and db_run it: the stores' many statements
 * keyed by one id (a DELETE, an INSERT ... SELECT). */
enum app_err	 db_run_id(struct db *db, const char *sql, int64_t v);

/* Transactions.  db_begin takes the write lock at once on SQLite (BEGIN
 * IMMEDIATE) so two writers never deadlock on upgrade.  db_commit returns
 * only when the database has committed; -1 if it did not (the transaction
 * is then rolled back).  Nesting is a bug. */
int		 db_begin(struct db *db);
int		 db_commit(struct db *db);
int		 db_rollback(struct db *db);		/* safe when no transaction is open */
int		 db_in_tx(const struct db *db);

/* Run a script of one or more statements without parameters (migrations). */
int		 db_exec(struct db *db, const char *sql);

/* The last error text from the database, for logs only: never shown. */
const char	*db_errmsg(struct db *db);

/* Apply the embedded migrations of sql/ not yet recorded in the
 * schema_migrations table, each in its own transaction, in number order.
 * Files named NNNN_x.sql run on both; NNNN_x.sqlite.sql / NNNN_x.pg.sql only
 * on their backend.  Returns the number applied, or -1 (logged). */
int		 db_migrate(struct db *db);

/* Notifications between connections: PostgreSQL's NOTIFY and LISTEN.
 * A channel is 1..DB_CHANNEL_MAX bytes of [a-z0-9_], starting with a
 * letter; a payload at most DB_NOTIFY_MAX bytes of UTF-8 without NUL.
 * They are for telling other processes on the same database that
 * something changed, not for carrying the change: a payload should hold
 * ids, and the receiver reads the rows.  Delivery is at most once: a
 * listener whose connection drops misses what was sent meanwhile. */
#define DB_CHANNEL_MAX	63
#define DB_NOTIFY_MAX	7999	/* PostgreSQL refuses 8000 bytes and more */

struct db_note {
	char	channel[DB_CHANNEL_MAX + 1];
	char	payload[DB_NOTIFY_MAX + 1];
	int	pid;		/* server process of the connection that sent it */
};

/* Send payload on channel.  Inside a transaction it is delivered only if
 * and when that transaction commits (and dropped by a rollback); outside,
 * at once.  Identical notifications of one transaction may be delivered
 * once.  -1 (logged) for a bad channel or payload or a failed statement;
 * inside a transaction that failure ends it, as any failed statement does.
 * SQLite: 0 and nothing is sent; there is nobody to tell, since one
 * process serves a SQLite database (after checking the arguments, so a
 * bad payload is caught on either backend). */
int		 db_notify(struct db *db, const char *channel, const char *payload);
/* Start receiving the notifications of channel on this connection (not
 * inside a transaction).  The connection names itself "colead[PID] listen
 * CHANNEL" (pg_stat_activity.application_name) so an operator can tell it
 * from the others.  0, -1 (logged), or DB_UNSUPPORTED on SQLite (not
 * logged: callers check for it). */
int		 db_listen(struct db *db, const char *channel);
/* Wait up to timeout_ms (0: only look) for a notification on a listening
 * connection, outside a transaction.  Notifications that came while the
 * connection ran statements are kept and given first.  1 with *note
 * filled, 0 if none came in time, DB_ERROR (message in db_errmsg, not
 * logged) if the connection was lost: its LISTENs are gone with it, so the
 * caller should close it, open a new one, listen again and assume it
 * missed notifications.  DB_UNSUPPORTED on SQLite. */
int		 db_wait_note(struct db *db, int timeout_ms, struct db_note *note);

/* One connection per worker thread, opened on first use by that thread. */
struct db_pool;
struct db_pool	*db_pool_new(const char *url);
struct db	*db_pool_get(struct db_pool *p);	/* NULL if the connection fails (logged) */
void		 db_pool_free(struct db_pool *p);	/* closes every connection */

#endif
