/* db_pg.c - the PostgreSQL backend of db.h, through libpq: one PGconn per
 * struct db; each SQL text prepared once per connection (PQprepare under a
 * generated name) and run with PQexecPrepared, parameters as text (types
 * inferred by the server) except blobs, sent as binary bytea; the whole
 * result is fetched and db_step walks its rows.  A broken connection is
 * re-opened at the next statement outside a transaction.  Like
 * db_sqlite.c it only does what db.c asks: no caching, logging of
 * statement errors or transaction bookkeeping here, and no message it
 * returns may carry the password of the URL.  LISTEN and the wait for
 * notifications are here too: libpq's own socket is polled, so a
 * notification wakes the waiter at once. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <unistd.h>
#include <libpq-fe.h>

#include "db_impl.h"
#include "../core/log.h"

#define BYTEAOID	17	/* pg_type.oid of bytea (catalog/pg_type_d.h) */

struct pg_db {
	struct db	 base;		/* first: a struct db * points here */
	PGconn		*conn;
	char		*url;		/* to scrub messages of its password */
	unsigned	 gen;		/* bumped by every reconnection */
	unsigned	 next_id;	/* for statement names */
	int		 listening;	/* a LISTEN was run ... */
	unsigned	 listen_gen;	/* ... on this generation of the connection */
};

struct pg_stmt {
	struct db_stmt	 base;		/* first */
	char		 name[32];	/* prepared-statement name on the server */
	unsigned	 gen;		/* connection generation it was prepared on */
	int		 nparams;
	int		 nfields;
	char		**values;	/* bound parameters; NULL is SQL NULL */
	int		*lengths;
	int		*formats;	/* 1 for a binary (bytea) parameter */
	PGresult	*res;		/* the whole result of this run */
	int		 row, nrows;
	char		**dec;		/* bytea cells of this row, decoded */
	size_t		*declen;
};

static const struct db_ops pg_ops;

static struct pg_db *
pg(struct db *db)
{
	return (struct pg_db *)db;
}

static struct pg_stmt *
pst(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* Keep the connection's latest message, without any password in it. */
static void
conn_err(struct pg_db *p, const char *what)
{
	const char	*m = PQerrorMessage(p->conn);
	char		*clean = db_url_scrub(p->url, m && *m ? m : "unknown error");

	db_set_err(&p->base, "%s%s", what, clean);
	free(clean);
}

/* Keep a failed result's message; DB_CONSTRAINT for SQLSTATE class 23
 * (integrity constraint violation), else DB_ERROR.  The DETAIL part is
 * left out: it quotes the row's values, and logs should not hold them. */
static int
res_err(struct pg_db *p, PGresult *res)
{
	const char *state, *msg;

	if (!res) {
		conn_err(p, "");
		return DB_ERROR;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (!msg)
		msg = PQresultErrorMessage(res);
	if (!msg || !*msg)
		msg = PQerrorMessage(p->conn);
	db_set_err(&p->base, "%s [%s]", msg, state ? state : "no sqlstate");
	return state && strncmp(state, "23", 2) == 0 ? DB_CONSTRAINT : DB_ERROR;
}

/* NOTICEs and WARNINGs from the server go to our log, not stderr. */
static void
notice(void *arg, const char *msg)
{
	size_t n = strlen(msg);

	(void)arg;
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	log_warn("db: postgresql says: %.*s", (int)n, msg);
}

/* Settings every session needs: quiet NOTICEs, UTF-8, bytea as hex. */
static int
session_setup(struct pg_db *p)
{
	PGresult	*res;
	int		 rc = 0;

	PQsetNoticeProcessor(p->conn, notice, NULL);
	res = PQexec(p->conn, "SET client_min_messages TO warning; "
	    "SET client_encoding TO 'UTF8'; SET bytea_output TO 'hex'");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = res_err(p, res);
	PQclear(res);
	return rc < 0 ? -1 : 0;
}

int
db_pg_url_check(const char *url, char **err)
{
	PQconninfoOption	*opts;
	char			*msg = NULL, *red, *clean;
	size_t			 n;

	opts = PQconninfoParse(url, &msg);
	if (opts) {
		PQconninfoFree(opts);
		return 0;
	}
	red = db_url_redact(url);
	clean = db_url_scrub(url, msg ? msg : "out of memory");
	n = strlen(clean);
	while (n > 0 && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	*err = xprintf("bad database URL '%s': %s", red, clean);
	free(red);
	free(clean);
	PQfreemem(msg);
	return -1;
}

/* TCP keep-alives on every connection, so a server that vanished
 * without closing (a failover, a dropped network) is noticed within about
 * a minute, not the kernel's two hours: the live listener waits on its
 * connection for as long as nothing is said.  They come before the URL,
 * whose own settings override them. */
static const char *const keep_keys[] = {
	"keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "dbname", NULL
};

struct db *
db_pg_open(const char *url, char **err)
{
	const char	*vals[] = { "1", "30", "10", "3", url, NULL };
	struct pg_db	*p = xcalloc(1, sizeof(*p));
	char		*red;

	p->base.ops = &pg_ops;
	p->base.kind = DB_PG;
	p->url = xstrdup(url);
	p->conn = PQconnectdbParams(keep_keys, vals, 1);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		conn_err(p, "");
		goto fail;
	}
	if (session_setup(p) < 0)
		goto fail;
	return &p->base;

fail:
	red = db_url_redact(url);
	*err = xprintf("cannot connect to '%s': %s", red, p->base.errmsg);
	free(red);
	PQfinish(p->conn);
	free(p->url);
	free(p);
	return NULL;
}

static void
pg_close(struct db *db)
{
	PQfinish(pg(db)->conn);
	free(pg(db)->url);
	free(db);
}

/* Re-open a broken connection, but never inside a transaction: that one is
 * lost and the caller must see it fail.  0 if the connection is usable. */
static int
alive(struct pg_db *p)
{
	if (PQstatus(p->conn) == CONNECTION_OK)
		return 0;
	if (p->base.in_tx) {
		db_set_err(&p->base, "the connection to the server was lost");
		return -1;
	}
	log_warn("db: connection to postgresql lost, reconnecting");
	PQreset(p->conn);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		conn_err(p, "cannot reconnect: ");
		return -1;
	}
	p->gen++;
	return session_setup(p);
}

/* Prepare st's SQL on the current connection. */
static int
server_prepare(struct pg_db *p, struct pg_stmt *s)
{
	PGresult	*res;
	int		 rc = 0;

	snprintf(s->name, sizeof(s->name), "colead_%u", p->next_id++);
	res = PQprepare(p->conn, s->name, s->base.sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = res_err(p, res);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	res = PQdescribePrepared(p->conn, s->name);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = res_err(p, res);
		PQclear(res);
		return rc;
	}
	s->nparams = PQnparams(res);
	s->nfields = PQnfields(res);
	PQclear(res);
	s->gen = p->gen;
	return 0;
}

static void
clear_row(struct pg_stmt *s)
{
	if (!s->dec)
		return;
	for (int i = 0; i < s->nfields; i++) {
		free(s->dec[i]);
		s->dec[i] = NULL;
	}
}

/* Forget the result and the bindings of the last run. */
static void
clear_run(struct pg_stmt *s)
{
	clear_row(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	for (int i = 0; i < s->nparams; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
}

/* Size the per-parameter and per-column arrays after a (re)prepare. */
static void
size_arrays(struct pg_stmt *s)
{
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->dec);
	free(s->declen);
	s->values = xcalloc((size_t)s->nparams, sizeof(*s->values));
	s->lengths = xcalloc((size_t)s->nparams, sizeof(*s->lengths));
	s->formats = xcalloc((size_t)s->nparams, sizeof(*s->formats));
	s->dec = xcalloc((size_t)s->nfields, sizeof(*s->dec));
	s->declen = xcalloc((size_t)s->nfields, sizeof(*s->declen));
}

static struct db_stmt *
pg_stmt_new(struct db *db, const char *sql)
{
	struct pg_stmt *s;

	if (alive(pg(db)) < 0)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->base.sql = sql;
	s->row = -1;
	if (server_prepare(pg(db), s) < 0) {
		free(s);
		return NULL;
	}
	size_arrays(s);
	return &s->base;
}

static int
pg_stmt_reset(struct db_stmt *st)
{
	struct pg_stmt	*s = pst(st);
	struct pg_db	*p = pg(st->db);

	clear_run(s);
	if (alive(p) < 0)
		return -1;
	if (s->gen != p->gen) {
		if (server_prepare(p, s) < 0)
			return -1;
		size_arrays(s);
	}
	return 0;
}

static void
pg_stmt_release(struct db_stmt *st)
{
	clear_run(pst(st));
}

static void
pg_stmt_free(struct db_stmt *st)
{
	struct pg_stmt *s = pst(st);

	clear_run(s);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->dec);
	free(s->declen);
	free(s);
}

/* Make room to bind $idx: its old value dropped.  -1 if out of range. */
static int
slot(struct db_stmt *st, int idx)
{
	struct pg_stmt *s = pst(st);

	if (idx > s->nparams) {
		db_set_err(st->db, "no parameter $%d in the statement", idx);
		return -1;
	}
	free(s->values[idx - 1]);
	s->values[idx - 1] = NULL;
	s->lengths[idx - 1] = 0;
	s->formats[idx - 1] = 0;
	return 0;
}

static int
pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	if (slot(st, idx) < 0)
		return -1;
	pst(st)->values[idx - 1] = xprintf("%" PRId64, v);
	return 0;
}

static int
pg_bind_text(struct db_stmt *st, int idx, const char *str, size_t n)
{
	if (slot(st, idx) < 0)
		return -1;
	pst(st)->values[idx - 1] = xstrndup(str, n);
	return 0;
}

static int
pg_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	struct pg_stmt *s = pst(st);

	if (slot(st, idx) < 0)
		return -1;
	if (n > INT32_MAX) {
		db_set_err(st->db, "blob of %zu bytes is too big", n);
		return -1;
	}
	s->values[idx - 1] = xmalloc(n);
	if (n)
		memcpy(s->values[idx - 1], p, n);
	s->lengths[idx - 1] = (int)n;
	s->formats[idx - 1] = 1;
	return 0;
}

static int
pg_bind_null(struct db_stmt *st, int idx)
{
	return slot(st, idx);
}

static int
pg_step(struct db_stmt *st)
{
	struct pg_stmt	*s = pst(st);
	struct pg_db	*p = pg(st->db);

	if (st->state == ST_READY) {
		PGresult *res;

		res = PQexecPrepared(p->conn, s->name, s->nparams,
		    (const char *const *)s->values, s->lengths, s->formats, 0);
		switch (PQresultStatus(res)) {
		case PGRES_TUPLES_OK:
			s->nrows = PQntuples(res);
			break;
		case PGRES_COMMAND_OK:
		case PGRES_EMPTY_QUERY:
			s->nrows = 0;
			break;
		default: {
			int rc = res_err(p, res);

			PQclear(res);
			return rc;
		}
		}
		s->res = res;
		s->row = -1;
	}
	clear_row(s);
	if (s->row < s->nrows)
		s->row++;
	return s->row < s->nrows ? DB_ROW : DB_DONE;
}

static int
is_bytea(struct pg_stmt *s, int col)
{
	return PQftype(s->res, col) == BYTEAOID;
}

/* A bytea cell of the current row as raw bytes, decoded once per row and
 * NUL-terminated like SQLite's. */
static const char *
bytea(struct pg_stmt *s, int col)
{
	unsigned char	*raw;
	size_t		 n = 0;

	if (s->dec[col])
		return s->dec[col];
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &n);
	if (!raw)
		BUG("PQunescapeBytea failed");
	s->dec[col] = xmalloc(n + 1);
	memcpy(s->dec[col], raw, n);
	s->dec[col][n] = '\0';
	s->declen[col] = n;
	PQfreemem(raw);
	return s->dec[col];
}

static int
pg_col_is_null(struct db_stmt *st, int col)
{
	return PQgetisnull(pst(st)->res, pst(st)->row, col);
}

/* Integers arrive as text; booleans as "t"/"f"; a numeric with a fraction
 * keeps its integer part, as SQLite's conversion does. */
static int64_t
pg_col_int(struct db_stmt *st, int col)
{
	const char *v;

	if (pg_col_is_null(st, col))
		return 0;
	v = PQgetvalue(pst(st)->res, pst(st)->row, col);
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *
pg_col_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = pst(st);

	if (pg_col_is_null(st, col))
		return NULL;
	if (is_bytea(s, col))
		return bytea(s, col);
	return PQgetvalue(s->res, s->row, col);
}

static size_t
pg_col_len(struct db_stmt *st, int col)
{
	struct pg_stmt *s = pst(st);

	if (pg_col_is_null(st, col))
		return 0;
	if (is_bytea(s, col)) {
		bytea(s, col);
		return s->declen[col];
	}
	return (size_t)PQgetlength(s->res, s->row, col);
}

static int
pg_ncols(struct db_stmt *st)
{
	struct pg_stmt *s = pst(st);

	return s->res ? PQnfields(s->res) : s->nfields;
}

/* A script, perhaps of several statements; PostgreSQL stops at the first
 * error and reports it. */
static int
pg_exec(struct db *db, const char *sql)
{
	struct pg_db	*p = pg(db);
	PGresult	*res;
	int		 rc = 0;

	if (alive(p) < 0)
		return -1;
	res = PQexec(p->conn, sql);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		break;
	default:
		rc = res_err(p, res);
		break;
	}
	PQclear(res);
	return rc;
}

static int
pg_begin(struct db *db)
{
	return pg_exec(db, "BEGIN") < 0 ? -1 : 0;
}

/* COMMIT of a transaction the server has already aborted "succeeds" with
 * the tag ROLLBACK: that is a failure here. */
static int
pg_commit(struct db *db)
{
	struct pg_db	*p = pg(db);
	PGresult	*res;
	int		 rc = 0;

	res = PQexec(p->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		res_err(p, res);
		rc = -1;
	} else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		db_set_err(db, "the server rolled the transaction back");
		rc = -1;
	}
	PQclear(res);
	if (rc < 0 && PQtransactionStatus(p->conn) != PQTRANS_IDLE &&
	    PQtransactionStatus(p->conn) != PQTRANS_UNKNOWN) {
		char keep[DB_ERRMSG_MAX];

		memcpy(keep, db->errmsg, sizeof(keep));
		pg_exec(db, "ROLLBACK");
		memcpy(db->errmsg, keep, sizeof(keep));
	}
	return rc;
}

static int
pg_rollback(struct db *db)
{
	PGTransactionStatusType ts = PQtransactionStatus(pg(db)->conn);

	if (ts == PQTRANS_IDLE)
		return 0;
	if (ts == PQTRANS_UNKNOWN) {
		db_set_err(db, "the connection to the server was lost");
		return -1;
	}
	return pg_exec(db, "ROLLBACK") < 0 ? -1 : 0;
}

/* LISTEN, and name the connection so it can be told apart in
 * pg_stat_activity.  The channel was checked (lower-case letters, digits,
 * '_'), so it can be written into the statement, which takes no
 * parameters. */
static int
pg_listen(struct db *db, const char *channel)
{
	struct pg_db	*p = pg(db);
	char		 sql[DB_CHANNEL_MAX + 96];

	snprintf(sql, sizeof(sql), "SET application_name TO 'colead[%ld] listen %s'",
	    (long)getpid(), channel);
	if (pg_exec(db, sql) < 0)
		return -1;
	snprintf(sql, sizeof(sql), "LISTEN \"%s\"", channel);
	if (pg_exec(db, sql) < 0)
		return -1;
	p->listening = 1;
	p->listen_gen = p->gen;
	return 0;
}

/* Take a notification libpq has already read, if any. */
static int
take_note(struct pg_db *p, struct db_note *out)
{
	PGnotify *n = PQnotifies(p->conn);

	if (!n)
		return 0;
	snprintf(out->channel, sizeof(out->channel), "%s", n->relname);
	snprintf(out->payload, sizeof(out->payload), "%s", n->extra ? n->extra : "");
	out->pid = n->be_pid;
	PQfreemem(n);
	return 1;
}

/* Poll libpq's socket until a notification is read or the time is up.  A
 * connection that was lost, or re-opened by alive() since the LISTEN (it
 * listens to nothing now), is an error: the caller must know it missed
 * notifications. */
static int
pg_wait_note(struct db *db, int timeout_ms, struct db_note *out)
{
	struct pg_db	*p = pg(db);
	int64_t		 deadline = now_ms() + timeout_ms;

	if (take_note(p, out))
		return 1;
	for (;;) {
		struct pollfd	pfd;
		int64_t		left;
		int		rc;

		if (PQstatus(p->conn) != CONNECTION_OK ||
		    (p->listening && p->listen_gen != p->gen)) {
			db_set_err(db, "the connection to the server was lost");
			return DB_ERROR;
		}
		if (!PQconsumeInput(p->conn)) {
			conn_err(p, "the connection to the server was lost: ");
			return DB_ERROR;
		}
		if (take_note(p, out))
			return 1;
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		pfd.fd = PQsocket(p->conn);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0) {
			db_set_err(db, "the connection to the server was lost");
			return DB_ERROR;
		}
		rc = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (rc < 0 && errno != EINTR) {
			db_set_err(db, "poll: %s", strerror(errno));
			return DB_ERROR;
		}
	}
}

static const struct db_ops pg_ops = {
	.close = pg_close,
	.stmt_new = pg_stmt_new,
	.stmt_reset = pg_stmt_reset,
	.stmt_release = pg_stmt_release,
	.stmt_free = pg_stmt_free,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_len = pg_col_len,
	.col_is_null = pg_col_is_null,
	.ncols = pg_ncols,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.listen = pg_listen,
	.wait_note = pg_wait_note,
};
