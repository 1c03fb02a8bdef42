/* t_db.c - tests of the database layer (src/db/): every test runs on
 * SQLite (a fresh temporary file each) and, when COLEAD_TEST_PG holds a
 * postgresql:// URL (tests/pg.sh start makes one), again on PostgreSQL in a
 * fresh schema each, dropped afterwards, so runs never see each other's
 * tables.  Prints which backends ran.  It must not depend on any feature's
 * tables except through the real embedded migrations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <unistd.h>

#include "../../src/db/db.h"
#include "../../src/db/db_impl.h"
#include "../../src/core/embed.h"
#include "../../src/core/log.h"

/* One backend under test: how to make and drop a fresh, empty database. */
struct backend {
	const char	*name;
	enum db_kind	 kind;
	char		*(*fresh)(void);		/* a URL, malloc'd */
	void		 (*drop)(const char *url);
};

static const struct backend	*be;		/* the one running now */
static int			 serial;	/* names fresh databases */

/* ---- SQLite: a file in $TMPDIR ---- */

static char *
sqlite_fresh(void)
{
	const char	*dir = getenv("TMPDIR");
	char		*url;

	url = xprintf("sqlite:%s/t_db-%d-%d.db", dir && *dir ? dir : "/tmp",
	    (int)getpid(), ++serial);
	unlink(url + strlen("sqlite:"));
	return url;
}

static void
sqlite_drop(const char *url)
{
	const char	*path = url + strlen("sqlite:");
	char		*p;

	unlink(path);
	p = xprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xprintf("%s-shm", path);
	unlink(p);
	free(p);
}

/* ---- PostgreSQL: a schema of its own, reached through search_path ---- */

static const char	*pg_base;	/* COLEAD_TEST_PG */
static struct db	*pg_admin;	/* creates and drops the schemas */

static char *
schema_of(const char *url)
{
	const char *p = strstr(url, "search_path%3D");

	assert_non_null(p);
	return xstrdup(p + strlen("search_path%3D"));
}

static char *
pg_fresh(void)
{
	char	*schema, *sql;
	char	*url;

	schema = xprintf("t_db_%d_%d", (int)getpid(), ++serial);
	sql = xprintf("DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
	    schema, schema);
	assert_int_equal(db_exec(pg_admin, sql), 0);
	url = xprintf("%s%coptions=-c%%20search_path%%3D%s", pg_base,
	    strchr(pg_base, '?') ? '&' : '?', schema);
	free(sql);
	free(schema);
	return url;
}

static void
pg_drop(const char *url)
{
	char *schema = schema_of(url), *sql;

	sql = xprintf("DROP SCHEMA IF EXISTS %s CASCADE", schema);
	db_exec(pg_admin, sql);
	free(sql);
	free(schema);
}

static const struct backend sqlite_backend = {
	"sqlite", DB_SQLITE, sqlite_fresh, sqlite_drop
};
static const struct backend pg_backend = {
	"postgresql", DB_PG, pg_fresh, pg_drop
};

/* ---- per-test state ---- */

struct t {
	char		*url;
	struct db	*db;
};

static int
setup(void **state)
{
	struct t	*t = xcalloc(1, sizeof(*t));
	char		*err = NULL;

	t->url = be->fresh();
	t->db = db_open(t->url, &err);
	if (!t->db)
		fail_msg("db_open '%s': %s", t->url, err);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	db_close(t->db);
	be->drop(t->url);
	free(t->url);
	free(t);
	return 0;
}

/* Open a second connection to the test's database. */
static struct db *
reopen(struct t *t)
{
	char		*err = NULL;
	struct db	*db = db_open(t->url, &err);

	if (!db)
		fail_msg("db_open '%s': %s", t->url, err);
	return db;
}

/* The single integer a query returns (sql must be a literal). */
static int64_t
one_int(struct db *db, const char *sql)
{
	struct db_stmt	*st = db_prepare(db, sql);
	int64_t		 v;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	v = db_col_int(st, 0);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);
	return v;
}

/* ---- URLs (no database needed) ---- */

/* db_url_check's message for url, which must be refused. */
static char *
refused(const char *url)
{
	char *err = NULL;

	assert_int_equal(db_url_check(url, &err), -1);
	assert_non_null(err);
	return err;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

static void
assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("'%s' contains '%s'", hay, needle);
}

static void
url_check_accepts_the_two_schemes(void **state)
{
	static const char *good[] = {
		"sqlite:colead.db", "sqlite:/var/lib/colead/colead.db",
		"sqlite::memory:", "postgresql://user@host/colead",
		"postgres://host:5433/colead", "postgresql://u:pw@127.0.0.1/db",
		"postgresql://", "postgresql:///colead?host=/run/postgresql",
	};
	char *err;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		err = (char *)1;
		if (db_url_check(good[i], &err) != 0)
			fail_msg("'%s' refused: %s", good[i], err);
		assert_null(err);
	}
}

static void
url_check_explains_what_is_wrong(void **state)
{
	char *err;

	(void)state;
	err = refused("");
	assert_string_equal(err, "empty database URL: use sqlite:PATH or postgresql://...");
	free(err);
	err = refused("colead.db");
	assert_string_equal(err, "unknown database URL 'colead.db': use sqlite:PATH or postgresql://...");
	free(err);
	err = refused("sqlite:");
	assert_contains(err, "empty path");
	free(err);
	err = refused("sqlite:///tmp/x.db");
	assert_contains(err, "write sqlite:PATH");
	free(err);
	err = refused("mysql://root:topsecret@db/colead");
	assert_contains(err, "unknown database URL 'mysql://root:***@db/colead'");
	assert_lacks(err, "topsecret");
	free(err);
	err = refused("host=db password=topsecret");
	assert_contains(err, "unknown database URL");
	assert_lacks(err, "topsecret");
	free(err);
	err = refused("postgresql://u:topsecret@h/db?nosuchoption=1");
	assert_contains(err, "bad database URL 'postgresql://u:***@h/db?nosuchoption=1'");
	assert_contains(err, "nosuchoption");
	assert_lacks(err, "topsecret");
	free(err);
	err = refused("sqlite:a\nb");
	assert_contains(err, "control character");
	free(err);
}

static void
open_errors_never_show_the_password(void **state)
{
	char		*err = NULL;
	struct db	*db;

	(void)state;
	/* Port 1 on loopback: refused at once, no server needed. */
	db = db_open("postgresql://alice:hunter2@127.0.0.1:1/colead", &err);
	assert_null(db);
	assert_non_null(err);
	assert_contains(err, "cannot connect to 'postgresql://alice:***@127.0.0.1:1/colead'");
	assert_lacks(err, "hunter2");
	free(err);
	err = NULL;
	db = db_open("postgresql://127.0.0.1:1/colead?password=s3cr%65t&user=bob", &err);
	assert_null(db);
	assert_lacks(err, "s3cr%65t");
	assert_lacks(err, "s3cret");
	assert_contains(err, "password=***&user=bob");
	free(err);
	err = NULL;
	db = db_open("sqlite:/nonexistent-dir-for-t_db/x.db", &err);
	assert_null(db);
	assert_contains(err, "cannot open database '/nonexistent-dir-for-t_db/x.db'");
	free(err);
	err = NULL;
	db = db_open("oracle://x", &err);
	assert_null(db);
	assert_contains(err, "unknown database URL 'oracle://x'");
	free(err);
}

/* ---- on each backend ---- */

static void
open_reports_its_kind(void **state)
{
	struct t	*t = *state;
	struct db	*db2;

	assert_int_equal(db_kind(t->db), be->kind);
	assert_int_equal(db_in_tx(t->db), 0);
	db2 = reopen(t);
	assert_int_equal(db_kind(db2), be->kind);
	db_close(db2);
	db_close(NULL);
	assert_int_equal(one_int(t->db, "SELECT 1 + 2"), 3);
}

static void
exec_runs_a_script(void **state)
{
	struct t *t = *state;

	assert_int_equal(db_exec(t->db,
	    "CREATE TABLE s (x BIGINT NOT NULL);\n"
	    "INSERT INTO s (x) VALUES (1);\n"
	    "-- a comment between statements\n"
	    "INSERT INTO s (x) VALUES (2);"), 0);
	assert_int_equal(one_int(t->db, "SELECT SUM(x) FROM s"), 3);
	assert_int_equal(db_exec(t->db, "INSERT INTO nosuchtable VALUES (1)"), -1);
	assert_contains(db_errmsg(t->db), "nosuchtable");
	assert_int_equal(db_exec(t->db, "SELEC 1"), -1);
}

static const char sql_cols_insert[] =
	"INSERT INTO c (id, n, s, b, z) VALUES ($1, $2, $3, $4, $5)";
static const char sql_cols_select[] =
	"SELECT id, n, s, b, z FROM c ORDER BY id";

static void
columns_round_trip(void **state)
{
	static const char	 utf8[] = "Zo\xc3\xab \xe2\x80\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89";
	static const unsigned char blob[] = { 0x00, 0xff, 0x01, 0x00, 'x', 0x80, 0x5c, 0x27 };
	struct t		*t = *state;
	struct db_stmt		*st;

	assert_int_equal(db_exec(t->db, "CREATE TABLE c (id BIGINT PRIMARY KEY, "
	    "n BIGINT, s TEXT, b BYTEA, z TEXT)"), 0);

	st = db_prepare(t->db, sql_cols_insert);
	assert_non_null(st);
	db_bind_int(st, 1, 1);
	db_bind_int(st, 2, INT64_MAX);
	db_bind_text(st, 3, utf8);
	db_bind_blob(st, 4, blob, sizeof(blob));
	db_bind_null(st, 5);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);

	st = db_prepare(t->db, sql_cols_insert);
	db_bind_int(st, 1, 2);
	db_bind_int(st, 2, INT64_MIN);
	db_bind_textn(st, 3, "prefix-and-more", 6);
	db_bind_blob(st, 4, NULL, 0);
	db_bind_text(st, 5, NULL);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);

	st = db_prepare(t->db, sql_cols_select);
	assert_non_null(st);
	assert_int_equal(db_ncols(st), 5);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_true(db_col_int(st, 1) == INT64_MAX);
	assert_string_equal(db_col_text(st, 2), utf8);
	assert_int_equal(db_col_len(st, 2), strlen(utf8));
	assert_int_equal(db_col_len(st, 3), sizeof(blob));
	assert_memory_equal(db_col_text(st, 3), blob, sizeof(blob));
	assert_false(db_col_is_null(st, 3));
	assert_true(db_col_is_null(st, 4));
	assert_null(db_col_text(st, 4));
	assert_int_equal(db_col_len(st, 4), 0);
	assert_int_equal(db_col_int(st, 4), 0);
	assert_string_equal(db_col_text(st, 1), "9223372036854775807");

	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_true(db_col_int(st, 1) == INT64_MIN);
	assert_string_equal(db_col_text(st, 2), "prefix");
	assert_false(db_col_is_null(st, 3));
	assert_int_equal(db_col_len(st, 3), 0);
	assert_non_null(db_col_text(st, 3));
	assert_true(db_col_is_null(st, 4));

	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);
}

static const char sql_ph_insert[] =
	"INSERT INTO p (a, b, c) VALUES ($2, $1, $2)";
static const char sql_ph_select[] =
	"SELECT b, a, c FROM p WHERE c = $2 AND b = $1 AND a = $2";
static const char sql_ph_concat[] =
	"SELECT CAST($3 AS TEXT) || CAST($1 AS TEXT) || CAST($2 AS TEXT) || CAST($1 AS TEXT)";

static void
placeholders_bind_by_number(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;

	assert_int_equal(db_exec(t->db, "CREATE TABLE p (a BIGINT, b TEXT, c BIGINT)"), 0);
	st = db_prepare(t->db, sql_ph_insert);
	db_bind_text(st, 1, "x");
	db_bind_int(st, 2, 7);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);

	st = db_prepare(t->db, sql_ph_select);
	db_bind_int(st, 2, 7);		/* bound before $1 on purpose */
	db_bind_text(st, 1, "x");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "x");
	assert_int_equal(db_col_int(st, 1), 7);
	assert_int_equal(db_col_int(st, 2), 7);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);

	st = db_prepare(t->db, sql_ph_concat);
	db_bind_text(st, 3, "c");
	db_bind_text(st, 2, "b");
	db_bind_text(st, 1, "a");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "caba");
	assert_int_equal(db_finalize(st), 0);
}

static const char sql_u_add[] = "INSERT INTO u (k) VALUES ($1)";
static const char sql_child_add[] = "INSERT INTO child (pid) VALUES ($1)";
static const char sql_ck_add[] = "INSERT INTO ck (v, w) VALUES ($1, $2)";

static void
constraints_give_db_constraint(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;

	assert_int_equal(db_exec(t->db,
	    "CREATE TABLE u (k TEXT UNIQUE);"
	    "CREATE TABLE parent (id BIGINT PRIMARY KEY);"
	    "CREATE TABLE child (pid BIGINT REFERENCES parent(id));"
	    "CREATE TABLE ck (v BIGINT CHECK (v > 0), w TEXT NOT NULL);"
	    "INSERT INTO parent (id) VALUES (1)"), 0);

	st = db_prepare(t->db, sql_u_add);
	db_bind_text(st, 1, "same");
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);
	st = db_prepare(t->db, sql_u_add);
	db_bind_text(st, 1, "same");
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	assert_int_equal(db_step(st), DB_ERROR);	/* stays failed */
	assert_int_equal(db_finalize(st), -1);
	assert_true(strlen(db_errmsg(t->db)) > 0);

	st = db_prepare(t->db, sql_child_add);
	db_bind_int(st, 1, 1);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);
	st = db_prepare(t->db, sql_child_add);
	db_bind_int(st, 1, 99);			/* no such parent */
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	assert_int_equal(db_finalize(st), -1);

	st = db_prepare(t->db, sql_ck_add);
	db_bind_int(st, 1, 0);			/* CHECK (v > 0) */
	db_bind_text(st, 2, "w");
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	assert_int_equal(db_finalize(st), -1);
	st = db_prepare(t->db, sql_ck_add);
	db_bind_int(st, 1, 1);
	db_bind_null(st, 2);			/* NOT NULL */
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	assert_int_equal(db_finalize(st), -1);

	assert_int_equal(one_int(t->db, "SELECT COUNT(*) FROM u"), 1);
	assert_int_equal(one_int(t->db, "SELECT COUNT(*) FROM child"), 1);
	assert_int_equal(one_int(t->db, "SELECT COUNT(*) FROM ck"), 0);
}

static const char sql_r_add[] = "INSERT INTO r (k) VALUES ($1) RETURNING id";
static const char sql_r_find[] = "SELECT id FROM r WHERE k = $1";
static const char sql_r_bump[] = "UPDATE r SET n = n + 1 RETURNING id";

static void
run_helpers_map_outcomes_to_app_err(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;
	int64_t		 id = 0, again = 0;

	assert_int_equal(db_exec(t->db, db_kind(t->db) == DB_PG
	    ? "CREATE TABLE r (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	      " k TEXT UNIQUE, n BIGINT NOT NULL DEFAULT 0)"
	    : "CREATE TABLE r (id INTEGER PRIMARY KEY, k TEXT UNIQUE, n BIGINT NOT NULL DEFAULT 0)"), 0);
	st = db_prepare(t->db, sql_r_add);
	db_bind_text(st, 1, "a");
	assert_int_equal(db_run_int(st, &id), E_OK);
	assert_true(id > 0);
	st = db_prepare(t->db, sql_r_add);
	db_bind_text(st, 1, "b");
	assert_int_equal(db_run(st), E_OK);
	st = db_prepare(t->db, sql_r_add);
	db_bind_text(st, 1, "a");
	assert_int_equal(db_run_int(st, &again), E_CONFLICT);
	st = db_prepare(t->db, sql_r_find);
	db_bind_text(st, 1, "a");
	assert_int_equal(db_run_int(st, &again), E_OK);
	assert_int_equal(again, id);
	st = db_prepare(t->db, sql_r_find);
	db_bind_text(st, 1, "nobody");
	assert_int_equal(db_run_int(st, &again), E_NOTFOUND);
	/* a statement returning several rows runs to completion */
	st = db_prepare(t->db, sql_r_bump);
	assert_int_equal(db_run(st), E_OK);
	assert_int_equal(one_int(t->db, "SELECT SUM(n) FROM r"), 2);
	/* db_row: a row to read, then finished by the caller; or none */
	st = db_prepare(t->db, sql_r_find);
	db_bind_text(st, 1, "b");
	assert_int_equal(db_row(st), E_OK);
	assert_true(db_col_int(st, 0) > id);
	assert_int_equal(db_done(st, DB_DONE), E_OK);
	st = db_prepare(t->db, sql_r_find);
	db_bind_text(st, 1, "nobody");
	assert_int_equal(db_row(st), E_NOTFOUND);
	/* a failed prepare is reported, not a crash */
	assert_int_equal(db_run(NULL), E_INTERNAL);
	assert_int_equal(db_run_int(NULL, &again), E_INTERNAL);
	assert_int_equal(db_row(NULL), E_INTERNAL);
}

static const char sql_tx_add[] = "INSERT INTO tx (v) VALUES ($1)";
static const char sql_tx_count[] = "SELECT COUNT(*) FROM tx";

static void
tx_add(struct db *db, int64_t v, int want)
{
	struct db_stmt *st = db_prepare(db, sql_tx_add);

	db_bind_int(st, 1, v);
	assert_int_equal(db_step(st), want);
	db_finalize(st);
}

static void
commit_is_visible_to_another_connection(void **state)
{
	struct t	*t = *state;
	struct db	*db2 = reopen(t);

	assert_int_equal(db_exec(t->db, "CREATE TABLE tx (v BIGINT UNIQUE)"), 0);
	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(db_in_tx(t->db), 1);
	tx_add(t->db, 1, DB_DONE);
	tx_add(t->db, 2, DB_DONE);
	assert_int_equal(one_int(t->db, sql_tx_count), 2);
	assert_int_equal(one_int(db2, sql_tx_count), 0);	/* not yet */
	assert_int_equal(db_commit(t->db), 0);
	assert_int_equal(db_in_tx(t->db), 0);
	assert_int_equal(one_int(db2, sql_tx_count), 2);
	db_close(db2);
}

static void
rollback_is_invisible(void **state)
{
	struct t	*t = *state;
	struct db	*db2 = reopen(t);

	assert_int_equal(db_exec(t->db, "CREATE TABLE tx (v BIGINT UNIQUE)"), 0);
	assert_int_equal(db_rollback(t->db), 0);	/* none open: fine */
	assert_int_equal(db_begin(t->db), 0);
	tx_add(t->db, 1, DB_DONE);
	assert_int_equal(db_rollback(t->db), 0);
	assert_int_equal(db_in_tx(t->db), 0);
	assert_int_equal(one_int(t->db, sql_tx_count), 0);
	assert_int_equal(one_int(db2, sql_tx_count), 0);
	db_close(db2);
}

/* PostgreSQL aborts a transaction at its first error; both backends
 * behave so: later statements fail and COMMIT rolls back. */
static void
failed_statement_fails_the_commit(void **state)
{
	struct t	*t = *state;
	struct db	*db2 = reopen(t);

	assert_int_equal(db_exec(t->db, "CREATE TABLE tx (v BIGINT UNIQUE)"), 0);
	tx_add(t->db, 1, DB_DONE);
	assert_int_equal(db_begin(t->db), 0);
	tx_add(t->db, 2, DB_DONE);
	tx_add(t->db, 1, DB_CONSTRAINT);
	tx_add(t->db, 3, DB_ERROR);
	assert_int_equal(db_exec(t->db, "SELECT 1"), -1);
	assert_int_equal(db_commit(t->db), -1);
	assert_int_equal(db_in_tx(t->db), 0);
	assert_int_equal(one_int(t->db, sql_tx_count), 1);
	assert_int_equal(one_int(db2, sql_tx_count), 1);
	/* The connection is usable again. */
	assert_int_equal(db_begin(t->db), 0);
	tx_add(t->db, 4, DB_DONE);
	assert_int_equal(db_commit(t->db), 0);
	assert_int_equal(one_int(db2, sql_tx_count), 2);
	db_close(db2);
}

static const char sql_mig_count[] = "SELECT COUNT(*) FROM schema_migrations";

/* How many embedded migrations apply to this backend. */
static int
embedded_for_backend(void)
{
	const char	*other = be->kind == DB_PG ? ".sqlite.sql" : ".pg.sql";
	int		 n = 0;

	for (const struct embed_file *f = embed_sql; f->name; f++) {
		size_t len = strlen(f->name), olen = strlen(other);

		if (len < olen || strcmp(f->name + len - olen, other) != 0)
			n++;
	}
	return n;
}

static void
migrate_applies_the_embedded_files_once(void **state)
{
	struct t	*t = *state;
	int		 want = embedded_for_backend();

	print_message("%s: %d embedded migration(s) for this backend\n", be->name, want);
	assert_int_equal(db_migrate(t->db), want);
	assert_int_equal(db_migrate(t->db), 0);
	assert_int_equal(one_int(t->db, sql_mig_count), want);
}

/* A private sql/ for the runner: out of order in the table, with a pair of
 * backend-specific files, and a third that needs the first two. */
static const struct embed_file mig_set[] = {
	{ "0003_fill.sql", (const unsigned char *)
	    "INSERT INTO m2 (v) VALUES ('from-3');\nINSERT INTO m1 (x) VALUES (3);", 0 },
	{ "0001_first.sql", (const unsigned char *)
	    "CREATE TABLE m1 (x BIGINT NOT NULL);", 0 },
	{ "0002_ids.pg.sql", (const unsigned char *)
	    "CREATE TABLE m2 (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v TEXT);", 0 },
	{ "0002_ids.sqlite.sql", (const unsigned char *)
	    "CREATE TABLE m2 (id INTEGER PRIMARY KEY, v TEXT);", 0 },
	{ NULL, NULL, 0 }
};

static const struct embed_file mig_bad[] = {
	{ "0001_first.sql", (const unsigned char *)
	    "CREATE TABLE m1 (x BIGINT NOT NULL);", 0 },
	{ "0004_broken.sql", (const unsigned char *)
	    "CREATE TABLE m4 (x BIGINT);\nINSERT INTO m1 (x) VALUES (4);\n"
	    "INSERT INTO nosuchtable VALUES (1);", 0 },
	{ NULL, NULL, 0 }
};

static const struct embed_file mig_fixed[] = {
	{ "0004_fixed.sql", (const unsigned char *)
	    "CREATE TABLE m4 (x BIGINT);\nINSERT INTO m1 (x) VALUES (4);", 0 },
	{ NULL, NULL, 0 }
};

static const char sql_mig_rows[] =
	"SELECT version, name, applied_at FROM schema_migrations ORDER BY version";
static const char sql_m2_v[] = "SELECT v FROM m2 WHERE id = 1";
static const char sql_m1_sum[] = "SELECT SUM(x) FROM m1";
static const char sql_m4[] = "SELECT COUNT(*) FROM m4";

static void
migrate_runs_in_order_and_only_once(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;
	int64_t		 now = now_unix();

	assert_int_equal(db_migrate_from(t->db, mig_set), 3);
	assert_int_equal(db_migrate_from(t->db, mig_set), 0);

	st = db_prepare(t->db, sql_mig_rows);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1), "0001_first.sql");
	assert_true(db_col_int(st, 2) >= now - 5 && db_col_int(st, 2) <= now + 60);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_string_equal(db_col_text(st, 1),
	    be->kind == DB_PG ? "0002_ids.pg.sql" : "0002_ids.sqlite.sql");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 3);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);

	st = db_prepare(t->db, sql_m2_v);
	assert_int_equal(db_step(st), DB_ROW);	/* the id was generated */
	assert_string_equal(db_col_text(st, 0), "from-3");
	assert_int_equal(db_finalize(st), 0);
	assert_int_equal(one_int(t->db, sql_m1_sum), 3);
}

static void
migrate_failure_rolls_back_that_file(void **state)
{
	struct t *t = *state;

	assert_int_equal(db_migrate_from(t->db, mig_bad), -1);
	assert_contains(db_errmsg(t->db), "nosuchtable");
	assert_int_equal(db_in_tx(t->db), 0);
	/* 0001 stays applied; nothing of 0004 is left. */
	assert_int_equal(one_int(t->db, sql_mig_count), 1);
	assert_int_equal(one_int(t->db, "SELECT COUNT(*) FROM m1"), 0);
	assert_null(db_prepare(t->db, sql_m4));
	assert_int_equal(db_migrate_from(t->db, mig_fixed), 1);
	assert_int_equal(one_int(t->db, sql_m4), 0);
	assert_int_equal(one_int(t->db, sql_m1_sum), 4);
	assert_int_equal(one_int(t->db, sql_mig_count), 2);
}

static void
migrate_refuses_bad_file_names(void **state)
{
	static const unsigned char sql[] = "SELECT 1;";
	static const struct embed_file no_number[] = {
		{ "first.sql", sql, 0 }, { NULL, NULL, 0 } };
	static const struct embed_file no_word[] = {
		{ "0001_.sql", sql, 0 }, { NULL, NULL, 0 } };
	static const struct embed_file not_sql[] = {
		{ "0001_x.txt", sql, 0 }, { NULL, NULL, 0 } };
	static const struct embed_file twice[] = {
		{ "0001_a.sql", sql, 0 }, { "0001_b.sql", sql, 0 }, { NULL, NULL, 0 } };
	static const struct embed_file both_and_pg[] = {
		{ "0001_a.pg.sql", sql, 0 }, { "0001_a.sql", sql, 0 }, { NULL, NULL, 0 } };
	static const struct embed_file two_pg[] = {
		{ "0001_a.pg.sql", sql, 0 }, { "0001_b.pg.sql", sql, 0 }, { NULL, NULL, 0 } };
	static const struct embed_file pair[] = {
		{ "0001_a.pg.sql", sql, 0 }, { "0001_a.sqlite.sql", sql, 0 },
		{ "0002_b.sqlite.sql", sql, 0 }, { NULL, NULL, 0 } };
	struct t *t = *state;

	assert_int_equal(db_migrate_from(t->db, no_number), -1);
	assert_int_equal(db_migrate_from(t->db, no_word), -1);
	assert_int_equal(db_migrate_from(t->db, not_sql), -1);
	assert_int_equal(db_migrate_from(t->db, twice), -1);
	assert_int_equal(db_migrate_from(t->db, both_and_pg), -1);
	assert_int_equal(db_migrate_from(t->db, two_pg), -1);
	/* A file for one backend only is fine: SQLite gets two, PG one. */
	assert_int_equal(db_migrate_from(t->db, pair), be->kind == DB_PG ? 1 : 2);
}

struct migrator {
	const char	*url;
	int		 rc;
};

static void *
migrate_thread(void *arg)
{
	struct migrator	*m = arg;
	char		*err = NULL;
	struct db	*db = db_open(m->url, &err);

	if (!db) {
		error("t_db: %s", err);
		free(err);
		m->rc = -2;
		return NULL;
	}
	m->rc = db_migrate_from(db, mig_set);
	db_close(db);
	return NULL;
}

static void
migrate_twice_at_once_applies_each_file_once(void **state)
{
	struct t	*t = *state;
	struct migrator	 m[3];
	pthread_t	 th[3];

	for (int i = 0; i < 3; i++) {
		m[i].url = t->url;
		m[i].rc = -3;
		assert_int_equal(pthread_create(&th[i], NULL, migrate_thread, &m[i]), 0);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 3; i++)
		assert_true(m[i].rc >= 0);
	assert_int_equal(m[0].rc + m[1].rc + m[2].rc, 3);
	assert_int_equal(one_int(t->db, sql_mig_count), 3);
	assert_int_equal(one_int(t->db, sql_m1_sum), 3);
}

#define NTHREADS 3

struct worker {
	struct db_pool		*pool;
	pthread_barrier_t	*barrier;
	int			 n;
	struct db		*db;		/* what db_pool_get gave */
	int			 same;		/* a second call gave the same */
	int			 ok;		/* its insert worked */
};

static const char sql_pool_add[] = "INSERT INTO pool (n) VALUES ($1)";

static void *
pool_thread(void *arg)
{
	struct worker	*w = arg;
	struct db_stmt	*st;

	w->db = db_pool_get(w->pool);
	w->same = w->db && db_pool_get(w->pool) == w->db;
	/* All hold their connection at once, so the addresses are distinct
	 * only if the connections are. */
	pthread_barrier_wait(w->barrier);
	if (w->db) {
		st = db_prepare(w->db, sql_pool_add);
		db_bind_int(st, 1, w->n);
		w->ok = db_step(st) == DB_DONE;
		w->ok &= db_finalize(st) == 0;
	}
	pthread_barrier_wait(w->barrier);
	return NULL;
}

static void
pool_gives_each_thread_its_own_connection(void **state)
{
	struct t		*t = *state;
	struct db_pool		*pool = db_pool_new(t->url);
	struct worker		 w[NTHREADS];
	pthread_t		 th[NTHREADS];
	pthread_barrier_t	 barrier;
	struct db		*mine;

	assert_int_equal(db_exec(t->db, "CREATE TABLE pool (n BIGINT)"), 0);
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .pool = pool, .barrier = &barrier, .n = i + 1 };
		assert_int_equal(pthread_create(&th[i], NULL, pool_thread, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (int i = 0; i < NTHREADS; i++) {
		assert_non_null(w[i].db);
		assert_true(w[i].same);
		assert_true(w[i].ok);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(w[i].db, w[j].db);
	}
	assert_int_equal(one_int(t->db, "SELECT SUM(n) FROM pool"), 1 + 2 + 3);

	/* This thread gets one too; db_pool_free closes it. */
	mine = db_pool_get(pool);
	assert_non_null(mine);
	assert_ptr_equal(db_pool_get(pool), mine);
	assert_int_equal(one_int(mine, "SELECT COUNT(*) FROM pool"), 3);
	db_pool_free(pool);
	db_pool_free(NULL);
}

static void
pool_get_fails_cleanly(void **state)
{
	struct db_pool *pool = db_pool_new("sqlite:/nonexistent-dir-for-t_db/x.db");

	(void)state;
	assert_null(db_pool_get(pool));
	assert_null(db_pool_get(pool));		/* tries again, fails again */
	db_pool_free(pool);
}

static const char sql_sticky[] = "SELECT CAST($1 AS BIGINT)";

static void
bind_errors_are_sticky(void **state)
{
	static const char	 bad_utf8[] = "caf\xe9";
	struct t		*t = *state;
	struct db_stmt		*st;

	st = db_prepare(t->db, sql_sticky);
	assert_non_null(st);
	db_bind_int(st, 2, 5);		/* there is no $2 */
	db_bind_int(st, 1, 5);		/* good, but too late */
	assert_int_equal(db_step(st), DB_ERROR);
	assert_int_equal(db_finalize(st), -1);

	st = db_prepare(t->db, sql_sticky);
	db_bind_int(st, 0, 5);
	assert_int_equal(db_finalize(st), -1);

	st = db_prepare(t->db, sql_sticky);
	db_bind_text(st, 1, bad_utf8);
	assert_int_equal(db_step(st), DB_ERROR);
	assert_int_equal(db_finalize(st), -1);

	st = db_prepare(t->db, sql_sticky);
	db_bind_textn(st, 1, "1\0002", 3);
	assert_int_equal(db_finalize(st), -1);

	st = db_prepare(t->db, sql_sticky);
	db_bind_int(st, 1, 5);
	assert_int_equal(db_step(st), DB_ROW);
	db_bind_int(st, 1, 6);		/* after a step */
	assert_int_equal(db_finalize(st), -1);

	st = db_prepare(t->db, sql_sticky);
	db_bind_int(st, 1, 5);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 1), 0);	/* no such column */
	assert_int_equal(db_finalize(st), -1);

	/* The next use starts clean. */
	st = db_prepare(t->db, sql_sticky);
	db_bind_int(st, 1, 42);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 42);
	assert_int_equal(db_finalize(st), 0);

	/* A failed prepare gives NULL, which the rest accept and report. */
	st = db_prepare(t->db, "SELECT nothing FROM nowhere");
	assert_null(st);
	db_bind_int(st, 1, 1);
	assert_int_equal(db_step(st), DB_ERROR);
	assert_int_equal(db_finalize(st), -1);
}

static const char sql_cache[] = "SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT)";
static const char sql_done_add[] = "INSERT INTO d (v) VALUES ($1)";

static void
statements_are_cached_and_reset(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st, *st2;

	st = db_prepare(t->db, sql_cache);
	db_bind_int(st, 1, 5);
	db_bind_text(st, 2, "five");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 5);
	assert_int_equal(db_finalize(st), 0);

	st2 = db_prepare(t->db, sql_cache);
	assert_ptr_equal(st2, st);
	/* Bindings were cleared: unbound parameters are NULL. */
	assert_int_equal(db_step(st2), DB_ROW);
	assert_true(db_col_is_null(st2, 0));
	assert_null(db_col_text(st2, 1));
	assert_int_equal(db_step(st2), DB_DONE);
	assert_int_equal(db_finalize(st2), 0);

	/* One statement per db_prepare; scripts go through db_exec. */
	assert_null(db_prepare(t->db, "SELECT 1; SELECT 2"));

	/* DB_DONE stays done: stepping again does not run it again. */
	assert_int_equal(db_exec(t->db, "CREATE TABLE d (v BIGINT)"), 0);
	st = db_prepare(t->db, sql_done_add);
	db_bind_int(st, 1, 1);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);
	assert_int_equal(one_int(t->db, "SELECT COUNT(*) FROM d"), 1);
}

static const char sql_ret_add[] =
	"INSERT INTO r (name) VALUES ($1) RETURNING id";

static void
insert_returning_gives_the_new_id(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;
	int64_t		 id1, id2;

	assert_int_equal(db_exec(t->db, be->kind == DB_PG ?
	    "CREATE TABLE r (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT)" :
	    "CREATE TABLE r (id INTEGER PRIMARY KEY, name TEXT)"), 0);
	st = db_prepare(t->db, sql_ret_add);
	db_bind_text(st, 1, "a");
	assert_int_equal(db_step(st), DB_ROW);
	id1 = db_col_int(st, 0);
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_finalize(st), 0);
	st = db_prepare(t->db, sql_ret_add);
	db_bind_text(st, 1, "b");
	assert_int_equal(db_step(st), DB_ROW);
	id2 = db_col_int(st, 0);
	assert_int_equal(db_finalize(st), 0);
	assert_true(id1 > 0);
	assert_true(id2 > id1);
}

static const char sql_pid[] = "SELECT pg_backend_pid()";
static const char sql_kill[] = "SELECT pg_terminate_backend(CAST($1 AS INTEGER))";
static const char sql_gone[] =
	"SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST($1 AS INTEGER)";

/* PostgreSQL only: after the server drops the connection, the statement
 * that finds out fails and the next one reconnects and re-prepares. */
static void
pg_reconnects_after_losing_the_connection(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;
	int64_t		 pid, left = 1;

	pid = one_int(t->db, sql_pid);
	st = db_prepare(pg_admin, sql_kill);
	db_bind_int(st, 1, pid);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_finalize(st), 0);
	/* Termination is asynchronous: wait (up to 5 s) until it is gone. */
	for (int i = 0; i < 100 && left; i++) {
		usleep(50 * 1000);
		st = db_prepare(pg_admin, sql_gone);
		db_bind_int(st, 1, pid);
		assert_int_equal(db_step(st), DB_ROW);
		left = db_col_int(st, 0);
		assert_int_equal(db_finalize(st), 0);
	}
	assert_int_equal(left, 0);
	st = db_prepare(t->db, sql_pid);
	assert_int_equal(db_step(st), DB_ERROR);
	db_finalize(st);
	assert_true(one_int(t->db, sql_pid) != pid);
	assert_true(one_int(t->db, "SELECT 40 + 2") == 42);
}


/* ---- notifications ---- */

/* Bad channels and payloads are refused on both backends, so SQLite
 * catches what PostgreSQL would refuse; a refusal inside a transaction
 * ends it, like any failed statement. */
static void
notify_checks_channel_and_payload(void **state)
{
	struct t	*t = *state;
	char		*big = xmalloc(DB_NOTIFY_MAX + 2);
	char		 longch[DB_CHANNEL_MAX + 2];

	memset(big, 'x', DB_NOTIFY_MAX + 1);
	big[DB_NOTIFY_MAX] = '\0';			/* the largest allowed */
	assert_int_equal(db_notify(t->db, "t_ok", big), 0);
	big[DB_NOTIFY_MAX] = 'x';
	big[DB_NOTIFY_MAX + 1] = '\0';			/* one byte more */
	assert_int_equal(db_notify(t->db, "t_ok", big), -1);
	assert_int_equal(db_notify(t->db, "t_ok", "bad \xff utf-8"), -1);
	assert_int_equal(db_notify(t->db, "t_ok", NULL), -1);
	assert_int_equal(db_notify(t->db, "t_ok", ""), 0);
	memset(longch, 'c', sizeof(longch) - 1);
	longch[sizeof(longch) - 1] = '\0';		/* 64 bytes */
	assert_int_equal(db_notify(t->db, longch, "x"), -1);
	longch[DB_CHANNEL_MAX] = '\0';			/* 63 */
	assert_int_equal(db_notify(t->db, longch, "x"), 0);
	assert_int_equal(db_notify(t->db, "", "x"), -1);
	assert_int_equal(db_notify(t->db, NULL, "x"), -1);
	assert_int_equal(db_notify(t->db, "Upper", "x"), -1);
	assert_int_equal(db_notify(t->db, "1st", "x"), -1);
	assert_int_equal(db_notify(t->db, "a-b", "x"), -1);
	assert_int_equal(db_notify(t->db, "a\"; DROP", "x"), -1);

	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(db_notify(t->db, "t_ok", big), -1);
	assert_int_equal(db_commit(t->db), -1);
	free(big);
}

/* SQLite: one process, nobody to tell; sending is a no-op that succeeds,
 * listening says it is not supported. */
static void
sqlite_notify_is_a_no_op_and_listen_unsupported(void **state)
{
	struct t	*t = *state;
	struct db_note	 note;

	assert_int_equal(db_notify(t->db, "live", "hello"), 0);
	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(db_notify(t->db, "live", "in a transaction"), 0);
	assert_int_equal(db_commit(t->db), 0);
	assert_int_equal(db_listen(t->db, "live"), DB_UNSUPPORTED);
	assert_int_equal(db_wait_note(t->db, 10, &note), DB_UNSUPPORTED);
}

/* Two connections: a notification sent inside a transaction is not seen
 * before COMMIT, is seen right after it, and a rolled-back one never is. */
static void
pg_notify_is_delivered_on_commit_only(void **state)
{
	struct t	*t = *state;
	struct db	*tx = reopen(t);
	struct db_note	 note;
	char		*big;
	int64_t		 t0;

	assert_int_equal(db_listen(t->db, "t_live"), 0);
	assert_int_equal(db_wait_note(t->db, 0, &note), 0);

	assert_int_equal(db_begin(tx), 0);
	assert_int_equal(db_notify(tx, "t_live", "room:1/7"), 0);
	assert_int_equal(db_wait_note(t->db, 300, &note), 0);	/* not yet */
	t0 = now_ms();
	assert_int_equal(db_commit(tx), 0);
	assert_int_equal(db_wait_note(t->db, 2000, &note), 1);
	assert_true(now_ms() - t0 < 1000);
	assert_string_equal(note.channel, "t_live");
	assert_string_equal(note.payload, "room:1/7");
	assert_true(note.pid > 0);

	assert_int_equal(db_begin(tx), 0);
	assert_int_equal(db_notify(tx, "t_live", "rolled back"), 0);
	assert_int_equal(db_rollback(tx), 0);
	assert_int_equal(db_notify(tx, "t_other", "not listened to"), 0);
	assert_int_equal(db_notify(tx, "t_live", "after"), 0);	/* no transaction: at once */
	assert_int_equal(db_wait_note(t->db, 2000, &note), 1);
	assert_string_equal(note.payload, "after");
	assert_int_equal(db_wait_note(t->db, 200, &note), 0);

	/* The largest payload arrives whole; notifications that came while
	 * the listener ran a statement are kept for the next wait. */
	big = xmalloc(DB_NOTIFY_MAX + 1);
	memset(big, 'y', DB_NOTIFY_MAX);
	big[DB_NOTIFY_MAX] = '\0';
	assert_int_equal(db_notify(tx, "t_live", big), 0);
	usleep(100 * 1000);
	assert_true(one_int(t->db, "SELECT 6 * 7") == 42);
	assert_int_equal(db_wait_note(t->db, 0, &note), 1);
	assert_int_equal(strlen(note.payload), DB_NOTIFY_MAX);
	assert_string_equal(note.payload, big);
	free(big);
	db_close(tx);
}

static const char sql_listener_pid[] =
	"SELECT pid FROM pg_stat_activity WHERE application_name = $1";

/* A listener whose connection the server ends hears of it from
 * db_wait_note at once; it finds the connection by its name. */
static void
pg_wait_note_reports_a_lost_connection(void **state)
{
	struct t	*t = *state;
	struct db_stmt	*st;
	struct db_note	 note;
	char		*name = xprintf("colead[%ld] listen t_lost", (long)getpid());
	int64_t		 pid = 0, t0;

	assert_int_equal(db_listen(t->db, "t_lost"), 0);
	st = db_prepare(pg_admin, sql_listener_pid);
	db_bind_text(st, 1, name);
	assert_int_equal(db_run_int(st, &pid), E_OK);
	assert_true(pid > 0);
	st = db_prepare(pg_admin, sql_kill);
	db_bind_int(st, 1, pid);
	assert_int_equal(db_run(st), E_OK);
	t0 = now_ms();
	assert_int_equal(db_wait_note(t->db, 5000, &note), DB_ERROR);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(db_wait_note(t->db, 0, &note), DB_ERROR);	/* and stays so */
	free(name);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest backend_tests[] = {
	T(open_reports_its_kind),
	T(exec_runs_a_script),
	T(columns_round_trip),
	T(placeholders_bind_by_number),
	T(constraints_give_db_constraint),
	T(run_helpers_map_outcomes_to_app_err),
	T(commit_is_visible_to_another_connection),
	T(rollback_is_invisible),
	T(failed_statement_fails_the_commit),
	T(migrate_applies_the_embedded_files_once),
	T(migrate_runs_in_order_and_only_once),
	T(migrate_failure_rolls_back_that_file),
	T(migrate_refuses_bad_file_names),
	T(migrate_twice_at_once_applies_each_file_once),
	T(pool_gives_each_thread_its_own_connection),
	T(pool_get_fails_cleanly),
	T(bind_errors_are_sticky),
	T(statements_are_cached_and_reset),
	T(insert_returning_gives_the_new_id),
	T(notify_checks_channel_and_payload),
};

static const struct CMUnitTest sqlite_only_tests[] = {
	T(sqlite_notify_is_a_no_op_and_listen_unsupported),
};

static const struct CMUnitTest pg_only_tests[] = {
	T(pg_reconnects_after_losing_the_connection),
	T(pg_notify_is_delivered_on_commit_only),
	T(pg_wait_note_reports_a_lost_connection),
};

static const struct CMUnitTest url_tests[] = {
	cmocka_unit_test(url_check_accepts_the_two_schemes),
	cmocka_unit_test(url_check_explains_what_is_wrong),
	cmocka_unit_test(open_errors_never_show_the_password),
};

int
main(void)
{
	int	 failed = 0;
	char	*err = NULL;

	/* The tests provoke errors on purpose: their log lines only clutter
	 * the output, unless T_DB_VERBOSE is set. */
	if (!getenv("T_DB_VERBOSE"))
		log_set_level((enum log_level)(LOG_ERROR + 1));
	failed += cmocka_run_group_tests_name("db urls", url_tests, NULL, NULL);

	be = &sqlite_backend;
	failed += cmocka_run_group_tests_name("db on sqlite", backend_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("db on sqlite only", sqlite_only_tests,
	    NULL, NULL);

	pg_base = getenv("COLEAD_TEST_PG");
	if (pg_base && *pg_base) {
		pg_admin = db_open(pg_base, &err);
		if (!pg_admin) {
			fprintf(stderr, "t_db: COLEAD_TEST_PG is set but: %s\n", err);
			free(err);
			return 1;
		}
		be = &pg_backend;
		failed += cmocka_run_group_tests_name("db on postgresql",
		    backend_tests, NULL, NULL);
		failed += cmocka_run_group_tests_name("db on postgresql only",
		    pg_only_tests, NULL, NULL);
		db_close(pg_admin);
		printf("t_db: ran on sqlite and postgresql\n");
	} else {
		printf("t_db: ran on sqlite only; postgresql skipped "
		    "(eval \"$(tests/pg.sh start)\" sets COLEAD_TEST_PG)\n");
	}
	return failed ? 1 : 0;
}
