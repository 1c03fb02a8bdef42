/* db_impl.h - private to src/db/: the parts of a connection and a statement
 * every backend shares, and the table of operations a backend provides.
 * db.c does everything that is the same on both databases (URL checks,
 * the statement cache, sticky errors, transaction state, migrations, the
 * pool) and calls a backend only for the database work itself.  Nothing
 * outside src/db/ and its tests includes this file. */
#ifndef COLEAD_DB_IMPL_H
#define COLEAD_DB_IMPL_H

#include "db.h"
#include "../core/embed.h"

/* What a backend does.  Functions returning int give 0 or a negative
 * enum db_rc and, on failure, leave the database's message in db->errmsg
 * (db_set_err); db.c does the logging.  A backend never sees a statement
 * that is not busy or a bind index below 1. */
struct db_ops {
	/* Free everything the connection holds; its statements are already
	 * gone (stmt_free). */
	void		 (*close)(struct db *db);
	/* Prepare sql (NULL on error) or make a cached statement ready for a
	 * new run: no result, every parameter unbound. */
	struct db_stmt	*(*stmt_new)(struct db *db, const char *sql);
	int		 (*stmt_reset)(struct db_stmt *st);
	/* Drop the result of the current run (db_finalize). */
	void		 (*stmt_release)(struct db_stmt *st);
	void		 (*stmt_free)(struct db_stmt *st);
	/* Binds: -1 (message in errmsg) if the parameter is not in the SQL. */
	int		 (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	int		 (*bind_text)(struct db_stmt *st, int idx, const char *s, size_t n);
	int		 (*bind_blob)(struct db_stmt *st, int idx, const void *p, size_t n);
	int		 (*bind_null)(struct db_stmt *st, int idx);
	/* Returns enum db_rc. */
	int		 (*step)(struct db_stmt *st);
	int64_t		 (*col_int)(struct db_stmt *st, int col);
	const char	*(*col_text)(struct db_stmt *st, int col);
	size_t		 (*col_len)(struct db_stmt *st, int col);
	int		 (*col_is_null)(struct db_stmt *st, int col);
	int		 (*ncols)(struct db_stmt *st);
	int		 (*exec)(struct db *db, const char *sql);
	int		 (*begin)(struct db *db);
	/* Commit; on failure the transaction must be gone (rolled back). */
	int		 (*commit)(struct db *db);
	int		 (*rollback)(struct db *db);
	/* LISTEN to a checked channel, and wait for a notification
	 * (db_listen, db_wait_note); NULL on a backend that cannot. */
	int		 (*listen)(struct db *db, const char *channel);
	int		 (*wait_note)(struct db *db, int timeout_ms, struct db_note *note);
};

#define DB_ERRMSG_MAX	512

/* The shared head of every backend's connection (its first member). */
struct db {
	const struct db_ops	*ops;
	enum db_kind		 kind;
	int			 in_tx;
	int			 tx_failed;	/* a statement failed inside the open transaction */
	struct db_stmt		**cache;	/* hash of statements by SQL address */
	size_t			 ncache;	/* buckets, a power of two */
	size_t			 nstmts;
	char			 errmsg[DB_ERRMSG_MAX];
};

enum db_stmt_state { ST_READY, ST_RUNNING, ST_DONE };

/* The shared head of every backend's statement (its first member). */
struct db_stmt {
	struct db		*db;
	const char		*sql;		/* the cache key: compared by address */
	uint64_t		 sqlhash;	/* of the text, to catch a non-static sql */
	struct db_stmt		*next;		/* hash chain */
	int			 busy;		/* handed out by db_prepare, not yet finalized */
	int			 failed;	/* sticky: a bind or a step failed */
	enum db_stmt_state	 state;
	int			 has_row;	/* the last step gave DB_ROW */
};

/* Record the database's message for db_errmsg() (printf-style). */
void	db_set_err(struct db *db, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* msg with every password found in url (user:PASSWORD@ and password=X, raw
 * and percent-decoded) replaced by "***"; malloc'd. */
char	*db_url_scrub(const char *url, const char *msg);
/* url with its passwords replaced by "***", for messages; malloc'd. */
char	*db_url_redact(const char *url);

/* Backends: connect or return NULL with *err set (malloc'd, no password). */
struct db	*db_sqlite_open(const char *path, char **err);
struct db	*db_pg_open(const char *url, char **err);
/* db_url_check for postgresql:// URLs: libpq parses it, nothing connects. */
int		 db_pg_url_check(const char *url, char **err);

/* Test hook: db_migrate() over another table of files (ending with a NULL
 * name) instead of the embedded sql/. */
int	db_migrate_from(struct db *db, const struct embed_file *set);

#endif
