/* db.c - the database interface of db.h, the part that is the same on both
 * backends: checking a --db URL (and keeping passwords out of messages),
 * choosing the backend, the per-connection statement cache keyed by SQL
 * address, sticky bind and step errors, transaction state, the migrations
 * runner over the embedded sql/ files, and the per-thread connection pool.
 * It must not talk to SQLite or libpq itself: that is db_sqlite.c and
 * db_pg.c, reached through struct db_ops (db_impl.h). */
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>

#include "db_impl.h"
#include "../core/buf.h"
#include "../core/embed.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../core/utf8.h"

#define SNIPPET_MAX	72

/* The first words of a statement, on one line, for log messages. */
static const char *
sql_snippet(const char *sql, char *out, size_t n)
{
	size_t	 i = 0;
	int	 space = 0;

	while (*sql && isspace((unsigned char)*sql))
		sql++;
	for (; *sql && i + 4 < n; sql++) {
		unsigned char c = (unsigned char)*sql;

		if (isspace(c) || c < 0x20) {
			space = 1;
			continue;
		}
		if (space && i > 0)
			out[i++] = ' ';
		space = 0;
		out[i++] = (char)c;
	}
	if (*sql && i + 3 < n) {
		out[i++] = '.';
		out[i++] = '.';
		out[i++] = '.';
	}
	out[i] = '\0';
	return out;
}

void
db_set_err(struct db *db, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 n;

	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
	va_end(ap);
	/* Database messages often end in a newline; logs want one line. */
	n = strlen(db->errmsg);
	while (n > 0 && isspace((unsigned char)db->errmsg[n - 1]))
		db->errmsg[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (db->errmsg[i] == '\n' || db->errmsg[i] == '\t')
			db->errmsg[i] = ' ';
}

/* ---- passwords in URLs ---- */

#define MAX_SECRETS 8

/* Where the passwords are in a URL: the password of user:password@host,
 * and the value of every password= parameter (URL query or key=value
 * connection string).  Offsets into url. */
struct secrets {
	size_t	off[MAX_SECRETS];
	size_t	len[MAX_SECRETS];
	int	n;
};

static void
find_secrets(const char *url, struct secrets *sx)
{
	const char	*s, *end, *at = NULL, *colon, *p;

	sx->n = 0;
	s = strstr(url, "://");
	if (s) {
		s += 3;
		end = s + strcspn(s, "/?#");
		for (p = s; p < end; p++)
			if (*p == '@')
				at = p;
		if (at) {
			colon = memchr(s, ':', (size_t)(at - s));
			if (colon && at > colon + 1) {
				sx->off[sx->n] = (size_t)(colon + 1 - url);
				sx->len[sx->n] = (size_t)(at - colon - 1);
				sx->n++;
			}
		}
	}
	for (p = url; *p && sx->n < MAX_SECRETS; p++) {
		size_t n;

		if (strncasecmp(p, "password", 8) != 0)
			continue;
		if (p > url && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		s = p + 8;
		while (*s == ' ')
			s++;
		if (*s != '=')
			continue;
		s++;
		while (*s == ' ')
			s++;
		if (*s == '\'') {	/* key='quoted value' */
			const char *q = strchr(s + 1, '\'');

			n = q ? (size_t)(q - s) + 1 : strlen(s);
		} else {
			n = strcspn(s, "& \t#");
		}
		if (n > 0) {
			sx->off[sx->n] = (size_t)(s - url);
			sx->len[sx->n] = n;
			sx->n++;
		}
		p = s + n - 1;
		if (!*p)
			break;
	}
}

char *
db_url_redact(const char *url)
{
	struct secrets	 sx;
	struct buf	 b;
	size_t		 pos = 0;

	find_secrets(url, &sx);
	buf_init(&b, 0);
	/* find_secrets yields spans in order except that the userinfo one
	 * comes first and precedes every parameter; overlap cannot happen. */
	for (int i = 0; i < sx.n; i++) {
		if (sx.off[i] < pos)
			continue;
		buf_add(&b, url + pos, sx.off[i] - pos);
		buf_adds(&b, "***");
		pos = sx.off[i] + sx.len[i];
	}
	buf_adds(&b, url + pos);
	return buf_detach(&b, NULL);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %XX-decode p[0..n) into a new string; bad escapes are kept as they are. */
static char *
pct_decode(const char *p, size_t n)
{
	char	*out = xmalloc(n + 1);
	size_t	 i, j = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n &&
		    hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
			out[j++] = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
			i += 2;
		} else {
			out[j++] = p[i];
		}
	}
	out[j] = '\0';
	return out;
}

/* s with every occurrence of needle replaced by "***"; frees s. */
static char *
replace_all(char *s, const char *needle)
{
	struct buf	 b;
	const char	*p, *q;
	size_t		 n = strlen(needle);

	if (n == 0 || !strstr(s, needle))
		return s;
	buf_init(&b, 0);
	for (p = s; (q = strstr(p, needle)) != NULL; p = q + n) {
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, "***");
	}
	buf_adds(&b, p);
	free(s);
	return buf_detach(&b, NULL);
}

char *
db_url_scrub(const char *url, const char *msg)
{
	struct secrets	 sx;
	char		*out = xstrdup(msg);

	find_secrets(url, &sx);
	for (int i = 0; i < sx.n; i++) {
		const char	*p = url + sx.off[i];
		size_t		 n = sx.len[i];
		char		*raw, *dec;

		if (n >= 2 && p[0] == '\'' && p[n - 1] == '\'') {
			p++;
			n -= 2;
		}
		raw = xstrndup(p, n);
		dec = pct_decode(p, n);
		out = replace_all(out, raw);
		out = replace_all(out, dec);
		free(raw);
		free(dec);
	}
	return out;
}

/* ---- URLs and connections ---- */

/* Only the scheme and the shape are checked here; libpq parses a
 * postgresql:// URL fully (db_pg_url_check).  Messages quote the URL with
 * its passwords redacted. */
int
db_url_check(const char *url, char **err)
{
	const char *path;

	*err = NULL;
	if (!url || !*url) {
		*err = xstrdup("empty database URL: use sqlite:PATH or postgresql://...");
		return -1;
	}
	for (const char *p = url; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*err = xstrdup("database URL contains a control character");
			return -1;
		}
	}
	if (str_starts(url, "sqlite:")) {
		path = url + strlen("sqlite:");
		if (str_starts(path, "//")) {
			*err = xprintf("database URL '%s': write sqlite:PATH, "
			    "e.g. sqlite:colead.db or sqlite:/var/lib/colead/colead.db",
			    url);
			return -1;
		}
		if (!*path) {
			*err = xstrdup("empty path in database URL 'sqlite:': "
			    "use sqlite:PATH, e.g. sqlite:colead.db");
			return -1;
		}
		return 0;
	}
	if (str_starts(url, "postgresql://") || str_starts(url, "postgres://"))
		return db_pg_url_check(url, err);
	{
		char *red = db_url_redact(url);

		*err = xprintf("unknown database URL '%s': "
		    "use sqlite:PATH or postgresql://...", red);
		free(red);
	}
	return -1;
}

enum db_kind
db_url_kind(const char *url)
{
	if (str_starts(url, "postgresql://") || str_starts(url, "postgres://"))
		return DB_PG;
	return DB_SQLITE;
}

/* Check the URL, let the backend connect, then set up the shared head. */
struct db *
db_open(const char *url, char **err)
{
	struct db *db;

	if (db_url_check(url, err) < 0)
		return NULL;
	if (str_starts(url, "sqlite:"))
		db = db_sqlite_open(url + strlen("sqlite:"), err);
	else
		db = db_pg_open(url, err);
	if (!db)
		return NULL;
	db->ncache = 64;
	db->cache = xcalloc(db->ncache, sizeof(*db->cache));
	db->nstmts = 0;
	db->in_tx = 0;
	db->tx_failed = 0;
	return db;
}

/* Free the cached statements (warning about any still handed out), roll
 * back an open transaction, and let the backend disconnect. */
void
db_close(struct db *db)
{
	char snip[SNIPPET_MAX];

	if (!db)
		return;
	for (size_t i = 0; i < db->ncache; i++) {
		struct db_stmt *st = db->cache[i], *next;

		for (; st; st = next) {
			next = st->next;
			if (st->busy)
				log_warn("db: closing with a statement not finalized: %s",
				    sql_snippet(st->sql, snip, sizeof(snip)));
			db->ops->stmt_free(st);
		}
	}
	free(db->cache);
	if (db->in_tx)
		db->ops->rollback(db);
	db->ops->close(db);
}

enum db_kind
db_kind(const struct db *db)
{
	return db->kind;
}

const char *
db_errmsg(struct db *db)
{
	return db->errmsg;
}

/* ---- the statement cache ---- */

static size_t
stmt_bucket(const char *sql, size_t n)
{
	uint64_t h = (uint64_t)(uintptr_t)sql;

	h ^= h >> 29;
	h *= UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 32) & (n - 1);
}

/* Double the buckets once chains would average more than two. */
static void
cache_grow(struct db *db)
{
	struct db_stmt	**nc;
	size_t		  nn = db->ncache * 2;

	nc = xcalloc(nn, sizeof(*nc));
	for (size_t i = 0; i < db->ncache; i++) {
		struct db_stmt *st = db->cache[i], *next;

		for (; st; st = next) {
			size_t b = stmt_bucket(st->sql, nn);

			next = st->next;
			st->next = nc[b];
			nc[b] = st;
		}
	}
	free(db->cache);
	db->cache = nc;
	db->ncache = nn;
}

/* FNV-1a of the SQL text: a cached statement whose text changed under the
 * same address was prepared from a string that was not static. */
static uint64_t
text_hash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* Look sql up by address; reset a cached statement or have the backend
 * prepare a new one.  Refused inside a failed transaction, as PostgreSQL
 * would. */
struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt	*st;
	size_t		 b = stmt_bucket(sql, db->ncache);
	uint64_t	 h = text_hash(sql);
	char		 snip[SNIPPET_MAX];

	if (db->in_tx && db->tx_failed) {
		error("db: cannot prepare in a transaction that already failed: %s",
		    sql_snippet(sql, snip, sizeof(snip)));
		return NULL;
	}
	for (st = db->cache[b]; st; st = st->next)
		if (st->sql == sql)
			break;
	if (st) {
		if (st->busy)
			BUG("db_prepare of a statement not yet finalized: %s",
			    sql_snippet(sql, snip, sizeof(snip)));
		if (st->sqlhash != h)
			BUG("SQL text changed under the same address: db_prepare "
			    "needs a static string: %s", sql_snippet(sql, snip, sizeof(snip)));
		if (db->ops->stmt_reset(st) < 0)
			goto fail;
	} else {
		st = db->ops->stmt_new(db, sql);
		if (!st)
			goto fail;
		st->db = db;
		st->sql = sql;
		st->sqlhash = h;
		st->next = db->cache[b];
		db->cache[b] = st;
		if (++db->nstmts > db->ncache * 2)
			cache_grow(db);
	}
	st->busy = 1;
	st->failed = 0;
	st->state = ST_READY;
	st->has_row = 0;
	return st;

fail:
	if (db->in_tx)
		db->tx_failed = 1;
	error("db: cannot prepare '%s': %s", sql_snippet(sql, snip, sizeof(snip)),
	    db->errmsg);
	return NULL;
}

/* Whether a bind may go ahead; a NULL statement (a failed db_prepare) and
 * an already failed one are silently skipped: the failure is reported by
 * db_step and db_finalize. */
static int
bind_start(struct db_stmt *st, int idx)
{
	char snip[SNIPPET_MAX];

	if (!st || st->failed)
		return 0;
	assert(st->busy);
	if (st->state != ST_READY) {
		db_set_err(st->db, "bind after db_step");
	} else if (idx < 1) {
		db_set_err(st->db, "parameters are numbered from $1");
	} else {
		return 1;
	}
	st->failed = 1;
	error("db: cannot bind $%d: %s (in '%s')", idx, st->db->errmsg,
	    sql_snippet(st->sql, snip, sizeof(snip)));
	return 0;
}

static void
bind_done(struct db_stmt *st, int idx, int rc)
{
	char snip[SNIPPET_MAX];

	if (rc == 0)
		return;
	st->failed = 1;
	error("db: cannot bind $%d: %s (in '%s')", idx, st->db->errmsg,
	    sql_snippet(st->sql, snip, sizeof(snip)));
}

void
db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	if (bind_start(st, idx))
		bind_done(st, idx, st->db->ops->bind_int(st, idx, v));
}

void
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		db_bind_null(st, idx);
	else
		db_bind_textn(st, idx, s, strlen(s));
}

/* Text must be UTF-8 without NUL bytes: PostgreSQL refuses anything else,
 * so SQLite is held to the same rule and both backends agree. */
void
db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t n)
{
	int rc;

	if (!bind_start(st, idx))
		return;
	if (!s) {
		rc = st->db->ops->bind_null(st, idx);
	} else if (memchr(s, '\0', n)) {
		db_set_err(st->db, "text contains a NUL byte");
		rc = -1;
	} else if (!utf8_valid(s, n)) {
		db_set_err(st->db, "text is not valid UTF-8");
		rc = -1;
	} else {
		rc = st->db->ops->bind_text(st, idx, s, n);
	}
	bind_done(st, idx, rc);
}

void
db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	if (!bind_start(st, idx))
		return;
	if (!p && n == 0)
		p = "";
	bind_done(st, idx, st->db->ops->bind_blob(st, idx, p, n));
}

void
db_bind_null(struct db_stmt *st, int idx)
{
	if (bind_start(st, idx))
		bind_done(st, idx, st->db->ops->bind_null(st, idx));
}

/* Advance, keeping the statement's and the transaction's failure state;
 * logs every failure (a constraint at info level: users cause those). */
int
db_step(struct db_stmt *st)
{
	struct db	*db;
	char		 snip[SNIPPET_MAX];
	int		 rc;

	if (!st)
		return DB_ERROR;
	assert(st->busy);
	db = st->db;
	if (st->failed)
		return DB_ERROR;
	if (st->state == ST_DONE)
		return DB_DONE;
	if (db->in_tx && db->tx_failed) {
		db_set_err(db, "an earlier statement of this transaction failed");
		st->failed = 1;
		st->state = ST_DONE;
		error("db: %s; roll back first (in '%s')", db->errmsg,
		    sql_snippet(st->sql, snip, sizeof(snip)));
		return DB_ERROR;
	}
	rc = db->ops->step(st);
	st->state = ST_RUNNING;
	st->has_row = rc == DB_ROW;
	if (rc == DB_ROW)
		return rc;
	st->state = ST_DONE;
	if (rc == DB_DONE)
		return rc;
	st->failed = 1;
	if (db->in_tx)
		db->tx_failed = 1;
	if (rc == DB_CONSTRAINT) {
		log_info("db: constraint refused '%s': %s",
		    sql_snippet(st->sql, snip, sizeof(snip)), db->errmsg);
		return DB_CONSTRAINT;
	}
	error("db: '%s' failed: %s", sql_snippet(st->sql, snip, sizeof(snip)),
	    db->errmsg);
	return DB_ERROR;
}

/* Whether column col of the current row may be read; a misuse is a sticky
 * error of the statement. */
static int
col_ok(struct db_stmt *st, int col)
{
	char snip[SNIPPET_MAX];

	if (!st)
		return 0;
	if (st->has_row && col >= 0 && col < st->db->ops->ncols(st))
		return 1;
	if (!st->failed) {
		st->failed = 1;
		error("db: no column %d %s (in '%s')", col,
		    st->has_row ? "in this row" : "without a current row",
		    sql_snippet(st->sql, snip, sizeof(snip)));
	}
	return 0;
}

int64_t
db_col_int(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->ops->col_int(st, col) : 0;
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->ops->col_text(st, col) : NULL;
}

size_t
db_col_len(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->ops->col_len(st, col) : 0;
}

int
db_col_is_null(struct db_stmt *st, int col)
{
	return col_ok(st, col) ? st->db->ops->col_is_null(st, col) : 1;
}

int
db_ncols(struct db_stmt *st)
{
	return st ? st->db->ops->ncols(st) : 0;
}

/* Drop the run's result and hand the statement back to the cache. */
int
db_finalize(struct db_stmt *st)
{
	if (!st)
		return -1;
	assert(st->busy);
	st->db->ops->stmt_release(st);
	st->busy = 0;
	st->has_row = 0;
	st->state = ST_DONE;
	return st->failed ? -1 : 0;
}

/* Finalize st and say what its last step meant for the caller. */
enum app_err
db_done(struct db_stmt *st, int rc)
{
	int frc = db_finalize(st);

	if (rc == DB_CONSTRAINT)
		return E_CONFLICT;
	if (rc < 0 || frc < 0)
		return E_INTERNAL;
	return E_OK;
}

/* Step st to completion, ignoring any rows. */
enum app_err
db_run(struct db_stmt *st)
{
	int rc;

	while ((rc = db_step(st)) == DB_ROW)
		;
	return db_done(st, rc);
}

enum app_err
db_run_id(struct db *db, const char *sql, int64_t v)
{
	struct db_stmt *st = db_prepare(db, sql);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, v);
	return db_run(st);
}

/* The first column of the first row, then run to completion. */
enum app_err
db_row(struct db_stmt *st)
{
	int rc = db_step(st);

	if (rc == DB_ROW)
		return E_OK;
	if (rc == DB_DONE)
		return db_finalize(st) < 0 ? E_INTERNAL : E_NOTFOUND;
	return db_done(st, rc);
}

enum app_err
db_run_int(struct db_stmt *st, int64_t *out)
{
	enum app_err	 e = db_row(st);
	int		 rc;

	if (e != E_OK)
		return e;
	*out = db_col_int(st, 0);
	while ((rc = db_step(st)) == DB_ROW)
		;
	return db_done(st, rc);
}

/* ---- transactions and scripts ---- */

int
db_begin(struct db *db)
{
	if (db->in_tx)
		BUG("db_begin inside a transaction");
	if (db->ops->begin(db) < 0)
		return error("db: cannot begin a transaction: %s", db->errmsg);
	db->in_tx = 1;
	db->tx_failed = 0;
	return 0;
}

/* A transaction in which a statement failed is rolled back instead, on
 * both backends, since PostgreSQL would do so anyway. */
int
db_commit(struct db *db)
{
	if (!db->in_tx)
		BUG("db_commit without a transaction");
	db->in_tx = 0;
	if (db->tx_failed) {
		db->tx_failed = 0;
		db->ops->rollback(db);
		db_set_err(db, "a statement of the transaction failed: rolled back");
		return error("db: commit refused: %s", db->errmsg);
	}
	if (db->ops->commit(db) < 0)
		return error("db: commit failed, rolled back: %s", db->errmsg);
	return 0;
}

int
db_rollback(struct db *db)
{
	if (!db->in_tx)
		return 0;
	db->in_tx = 0;
	db->tx_failed = 0;
	if (db->ops->rollback(db) < 0)
		return error("db: rollback failed: %s", db->errmsg);
	return 0;
}

int
db_in_tx(const struct db *db)
{
	return db->in_tx;
}

/* A script goes straight to the backend: nothing is cached. */
int
db_exec(struct db *db, const char *sql)
{
	char snip[SNIPPET_MAX];

	if (db->in_tx && db->tx_failed) {
		db_set_err(db, "an earlier statement of this transaction failed");
		return error("db: %s; roll back first (in '%s')", db->errmsg,
		    sql_snippet(sql, snip, sizeof(snip)));
	}
	if (db->ops->exec(db, sql) < 0) {
		if (db->in_tx)
			db->tx_failed = 1;
		return error("db: '%s' failed: %s",
		    sql_snippet(sql, snip, sizeof(snip)), db->errmsg);
	}
	return 0;
}

/* ---- notifications ---- */

/* PostgreSQL only: SQLite returns before preparing it. */
static const char sql_notify[] = "SELECT pg_notify($1, $2)";

/* A channel LISTEN can name without quoting and pg_notify() spells the
 * same way: lower-case letters, digits and '_', a letter first. */
static int
channel_ok(const char *ch)
{
	size_t i;

	if (!ch || !islower((unsigned char)ch[0]))
		return 0;
	for (i = 0; ch[i]; i++)
		if (!(islower((unsigned char)ch[i]) || isdigit((unsigned char)ch[i]) ||
		      ch[i] == '_'))
			return 0;
	return i <= DB_CHANNEL_MAX;
}

/* The arguments are checked on both backends, so a payload that
 * PostgreSQL would refuse is found on SQLite too. */
int
db_notify(struct db *db, const char *channel, const char *payload)
{
	struct db_stmt	*st;
	size_t		 n = payload ? strlen(payload) : 0;
	const char	*why = NULL;

	if (!channel_ok(channel))
		why = "bad channel name";
	else if (!payload)
		why = "no payload";
	else if (n > DB_NOTIFY_MAX)
		why = "payload too long";
	else if (!utf8_valid(payload, n))
		why = "payload is not valid UTF-8";
	if (why) {
		db_set_err(db, "cannot notify '%.*s': %s", DB_CHANNEL_MAX,
		    channel ? channel : "", why);
		if (db->in_tx)
			db->tx_failed = 1;
		return error("db: %s", db->errmsg);
	}
	if (db->kind != DB_PG)
		return 0;
	st = db_prepare(db, sql_notify);
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, payload);
	return db_run(st) == E_OK ? 0 : -1;
}

int
db_listen(struct db *db, const char *channel)
{
	if (!db->ops->listen)
		return DB_UNSUPPORTED;
	if (db->in_tx)
		BUG("db_listen inside a transaction");
	if (!channel_ok(channel)) {
		db_set_err(db, "bad channel name");
		return error("db: cannot listen: %s", db->errmsg);
	}
	if (db->ops->listen(db, channel) < 0)
		return error("db: cannot listen to '%s': %s", channel, db->errmsg);
	return 0;
}

int
db_wait_note(struct db *db, int timeout_ms, struct db_note *note)
{
	if (!db->ops->wait_note)
		return DB_UNSUPPORTED;
	if (db->in_tx)
		BUG("db_wait_note inside a transaction");
	return db->ops->wait_note(db, timeout_ms < 0 ? 0 : timeout_ms, note);
}

/* ---- migrations ---- */

enum mig_for { MIG_BOTH, MIG_SQLITE, MIG_PG };

struct mig {
	long			 version;
	enum mig_for		 only;
	const struct embed_file	*file;
};

/* Parse "NNNN_name.sql", "NNNN_name.sqlite.sql" or "NNNN_name.pg.sql". */
static int
mig_parse(const struct embed_file *f, struct mig *m)
{
	const char	*p = f->name;
	size_t		 n = strlen(p), digits = 0, suffix;
	long		 v = 0;

	while (isdigit((unsigned char)p[digits]) && digits < 9)
		v = v * 10 + (p[digits++] - '0');
	if (digits == 0 || p[digits] != '_')
		return error("migration '%s': the name must start with a number "
		    "and '_', as in 0001_people.sql", p);
	if (str_ends(p, ".sqlite.sql")) {
		m->only = MIG_SQLITE;
		suffix = strlen(".sqlite.sql");
	} else if (str_ends(p, ".pg.sql")) {
		m->only = MIG_PG;
		suffix = strlen(".pg.sql");
	} else if (str_ends(p, ".sql")) {
		m->only = MIG_BOTH;
		suffix = strlen(".sql");
	} else {
		return error("migration '%s': the name must end in .sql", p);
	}
	if (n <= digits + 1 + suffix)
		return error("migration '%s': the name needs a word after the number", p);
	m->version = v;
	m->file = f;
	return 0;
}

static int
mig_cmp(const void *a, const void *b)
{
	const struct mig *x = a, *y = b;

	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	if (x->only != y->only)
		return x->only < y->only ? -1 : 1;
	return strcmp(x->file->name, y->file->name);
}

/* Parse and sort every file of set, checking that each number is used by
 * one file for both backends or by at most one file per backend.  Returns
 * the count, or -1; *out is malloc'd. */
static int
mig_load(const struct embed_file *set, struct mig **out)
{
	struct mig	*m;
	int		 n = 0;

	while (set[n].name)
		n++;
	m = xcalloc((size_t)n, sizeof(*m));
	for (int i = 0; i < n; i++) {
		if (mig_parse(&set[i], &m[i]) < 0) {
			free(m);
			return -1;
		}
	}
	qsort(m, (size_t)n, sizeof(*m), mig_cmp);
	for (int i = 1; i < n; i++) {
		if (m[i].version != m[i - 1].version)
			continue;
		/* Sorted by kind within a number: BOTH < SQLITE < PG. */
		if (m[i - 1].only == MIG_BOTH || m[i].only == m[i - 1].only) {
			error("migrations '%s' and '%s' have the same number",
			    m[i - 1].file->name, m[i].file->name);
			free(m);
			return -1;
		}
	}
	*out = m;
	return n;
}

static const char sql_mig_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations (\n"
	"	version INTEGER PRIMARY KEY,\n"
	"	name TEXT NOT NULL,\n"
	"	applied_at BIGINT NOT NULL\n"
	")";
static const char sql_mig_has[] =
	"SELECT 1 FROM schema_migrations WHERE version = $1";
static const char sql_mig_add[] =
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
static const char sql_mig_max[] =
	"SELECT MAX(version) FROM schema_migrations";
/* Session-level advisory lock, so two instances starting together on one
 * PostgreSQL database migrate one after the other.  The key spells
 * "colead" in ASCII. */
static const char sql_pg_lock[] = "SELECT pg_advisory_lock(109330211103076)";
static const char sql_pg_unlock[] = "SELECT pg_advisory_unlock(109330211103076)";

/* Run a statement that takes no parameters and wants no rows. */
static int
run_simple(struct db *db, const char *sql)
{
	struct db_stmt	*st = db_prepare(db, sql);
	int		 rc = db_step(st);

	if (db_finalize(st) < 0 || rc < 0)
		return -1;
	return 0;
}

/* Apply one migration in its own transaction unless it is recorded
 * already (by another instance, perhaps, since we looked).  1 if applied,
 * 0 if not needed, -1 on failure. */
static int
mig_apply(struct db *db, const struct mig *m)
{
	struct db_stmt	*st;
	int		 rc, have;

	if (db_begin(db) < 0)
		return -1;
	st = db_prepare(db, sql_mig_has);
	db_bind_int(st, 1, m->version);
	rc = db_step(st);
	have = rc == DB_ROW;
	if (db_finalize(st) < 0)
		goto fail;
	if (have) {
		db_rollback(db);
		return 0;
	}
	if (db_exec(db, (const char *)m->file->data) < 0)
		goto fail;
	st = db_prepare(db, sql_mig_add);
	db_bind_int(st, 1, m->version);
	db_bind_text(st, 2, m->file->name);
	db_bind_int(st, 3, now_unix());
	rc = db_step(st);
	if (db_finalize(st) < 0 || rc != DB_DONE)
		goto fail;
	if (db_commit(db) < 0)
		goto fail;
	log_info("db: applied migration '%s'", m->file->name);
	return 1;

fail:
	error("db: migration '%s' failed: %s", m->file->name, db->errmsg);
	db_rollback(db);
	return -1;
}

/* Apply what set has for this backend and the database lacks: under an
 * advisory lock on PostgreSQL, each file in its own transaction. */
int
db_migrate_from(struct db *db, const struct embed_file *set)
{
	struct db_stmt	*st;
	struct mig	*m = NULL;
	enum mig_for	 mine = db->kind == DB_PG ? MIG_PG : MIG_SQLITE;
	int		 n, applied = 0, locked = 0;
	long		 known = 0;

	if (db->in_tx)
		BUG("db_migrate inside a transaction");
	n = mig_load(set, &m);
	if (n < 0)
		return -1;
	if (db->kind == DB_PG) {
		if (run_simple(db, sql_pg_lock) < 0) {
			applied = -1;
			goto out;
		}
		locked = 1;
	}
	if (db_exec(db, sql_mig_table) < 0) {
		applied = -1;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int rc;

		if (m[i].only != MIG_BOTH && m[i].only != mine)
			continue;
		known = m[i].version;
		rc = mig_apply(db, &m[i]);
		if (rc < 0) {
			applied = -1;
			goto out;
		}
		applied += rc;
	}
	st = db_prepare(db, sql_mig_max);
	if (db_step(st) == DB_ROW && db_col_int(st, 0) > known)
		log_warn("db: the database has migration %" PRId64 ", newer than "
		    "this program knows (%ld): is an older colead running on it?",
		    db_col_int(st, 0), known);
	db_finalize(st);
out:
	if (locked && run_simple(db, sql_pg_unlock) < 0)
		applied = -1;
	free(m);
	return applied;
}

int
db_migrate(struct db *db)
{
	return db_migrate_from(db, embed_sql);
}

/* ---- the pool ---- */

/* One thread's connection; the pool lists them all so db_pool_free can
 * close the ones of threads still alive. */
struct pool_conn {
	struct db_pool		*pool;
	struct db		*db;
	struct pool_conn	*prev, *next;
};

struct db_pool {
	char			*url;
	pthread_key_t		 key;
	pthread_mutex_t		 lock;
	struct pool_conn	*conns;
};

/* Thread exit: close that thread's connection. */
static void
pool_conn_free(void *arg)
{
	struct pool_conn	*c = arg;
	struct db_pool		*p = c->pool;

	pthread_mutex_lock(&p->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		p->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&p->lock);
	db_close(c->db);
	free(c);
}

struct db_pool *
db_pool_new(const char *url)
{
	struct db_pool	*p = xcalloc(1, sizeof(*p));
	int		 rc;

	p->url = xstrdup(url);
	rc = pthread_key_create(&p->key, pool_conn_free);
	if (rc != 0)
		BUG("pthread_key_create: %s", strerror(rc));
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

/* This thread's connection, opened on its first call; a failure is not
 * remembered, so the next call tries again. */
struct db *
db_pool_get(struct db_pool *p)
{
	struct pool_conn	*c = pthread_getspecific(p->key);
	char			*err = NULL;
	struct db		*db;

	if (c)
		return c->db;
	db = db_open(p->url, &err);
	if (!db) {
		error("db: %s", err);
		free(err);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->pool = p;
	c->db = db;
	pthread_mutex_lock(&p->lock);
	c->next = p->conns;
	if (c->next)
		c->next->prev = c;
	p->conns = c;
	pthread_mutex_unlock(&p->lock);
	if (pthread_setspecific(p->key, c) != 0)
		BUG("pthread_setspecific failed");
	return db;
}

/* Close every connection still open; call it after the worker threads
 * have stopped using the pool. */
void
db_pool_free(struct db_pool *p)
{
	struct pool_conn *c, *next;

	if (!p)
		return;
	/* Deleting the key first means no thread exit can run
	 * pool_conn_free any more; every connection left is ours. */
	pthread_key_delete(p->key);
	for (c = p->conns; c; c = next) {
		next = c->next;
		db_close(c->db);
		free(c);
	}
	pthread_mutex_destroy(&p->lock);
	free(p->url);
	free(p);
}
