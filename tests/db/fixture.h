/* fixture.h - what the feature store tests (tests/db/t_*.c, but t_db.c,
 * which tests the database layer itself) share: the app opened on a
 * migrated database for each group of tests, and running the same tests on
 * SQLite and again on a fresh PostgreSQL database when COLEAD_TEST_PG
 * names a server.  Include it once, from the test program, after the
 * program's own includes.
 *
 * A test file that needs more in its fixture defines FIXTURE_MORE (member
 * declarations) before including this, and passes a fill function to
 * store_tests_run() that sets them up after the database is open:
 *
 *	#define FIXTURE_MORE	struct agenda ag;
 *	#include "fixture.h"
 *	...
 *	return store_tests_run("feeds", tests, ARRAY_SIZE(tests), NULL, 0, fill);
 *
 * The fixture is made once per group of tests; a file whose tests each
 * need a fresh one defines FIXTURE_PER_TEST and lists its tests with
 * cmocka_unit_test_setup_teardown(test, setup, teardown). */
#ifndef COLEAD_TESTS_DB_FIXTURE_H
#define COLEAD_TESTS_DB_FIXTURE_H

#include "../../src/core/arena.h"
#include "../../src/core/cfg.h"
#include "../../src/db/db.h"
#include "../../src/feat/event/event.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <unistd.h>

struct fixture {
	struct cfg	 cfg;
	struct app	 app;
	struct db	*db;
	struct arena	*a;	/* for the tests' own allocations; freed at teardown */
#ifdef FIXTURE_MORE
	FIXTURE_MORE
#endif
};

static const char	*backend_url;	/* the database the current group runs on */
static int		(*fixture_fill)(struct fixture *f);

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof(*f));
	char		*err = NULL;

	*state = f;
	if (cfg_init(&f->cfg, &err) < 0)
		return -1;
	f->app.cfg = &f->cfg;
	f->db = db_open(backend_url, &err);
	if (!f->db) {
		fprintf(stderr, "cannot open '%s': %s\n", backend_url, err);
		return -1;
	}
	if (db_migrate(f->db) < 0 || event_app_init(&f->app, f->db) != E_OK)
		return -1;
	f->a = arena_new(0);
	if (fixture_fill && fixture_fill(f) < 0) {
		fprintf(stderr, "cannot fill the fixture on '%s'\n", backend_url);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	db_close(f->db);
	free(f->app.event_name);
	cfg_release(&f->cfg);
	free(f);
	return 0;
}

/* A new, empty PostgreSQL database on the server of url, named after the
 * test program and this process: its URL (malloc'd).  Exits on failure. */
static char *
pg_fresh(const char *url, const char *name)
{
	struct db	*db;
	char		*err = NULL, *db_name, *sql, *out, *slash;

	db = db_open(url, &err);
	if (!db) {
		fprintf(stderr, "cannot open '%s': %s\n", url, err);
		exit(1);
	}
	db_name = xprintf("colead_%s_%d", name, (int)getpid());
	sql = xprintf("DROP DATABASE IF EXISTS %s", db_name);
	db_exec(db, sql);
	free(sql);
	sql = xprintf("CREATE DATABASE %s", db_name);
	if (db_exec(db, sql) < 0)
		exit(1);
	free(sql);
	db_close(db);
	slash = strrchr(url, '/');
	out = xprintf("%.*s/%s", (int)(slash - url), url, db_name);
	free(db_name);
	return out;
}

/* Remove a SQLite database file and its WAL companions. */
static void
sqlite_remove(const char *path)
{
	char *p;

	unlink(path);
	p = xprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xprintf("%s-shm", path);
	unlink(p);
	free(p);
}

/* Run one group of tests on the database at url. */
static int
run_group(const char *name, const char *backend, const char *url,
	  const struct CMUnitTest *tests, size_t n)
{
	char	*group = xprintf("%s on %s", name, backend);
	int	 fails;

	backend_url = url;
	printf("backend: %s\n", backend);
#ifdef FIXTURE_PER_TEST
	fails = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
#else
	fails = _cmocka_run_group_tests(group, tests, n, setup, teardown);
#endif
	free(group);
	return fails;
}

/* Run tests on a throwaway SQLite file, then on a fresh PostgreSQL
 * database if COLEAD_TEST_PG is set, followed there by pg_tests (npg of
 * them; none is NULL, 0), which only make sense on PostgreSQL; fill (may
 * be NULL) completes each fixture.  The exit status for main: 0 when
 * everything passed. */
static int
store_tests_run(const char *name, const struct CMUnitTest *tests, size_t n,
		const struct CMUnitTest *pg_tests, size_t npg, int (*fill)(struct fixture *f))
{
	const char	*pg = getenv("COLEAD_TEST_PG");
	char		 path[] = "/tmp/colead-t-store-XXXXXX";
	char		*url;
	int		 fails = 0, fd;

	if (sodium_init() < 0)
		return 1;
	fixture_fill = fill;
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	unlink(path);
	url = xprintf("sqlite:%s", path);
	fails += run_group(name, "sqlite", url, tests, n);
	free(url);
	sqlite_remove(path);
	if (pg && *pg) {
		url = pg_fresh(pg, name);
		fails += run_group(name, "postgresql", url, tests, n);
		if (npg) {
			char *what = xprintf("%s (PostgreSQL only)", name);

			fails += run_group(what, "postgresql", url, pg_tests, npg);
			free(what);
		}
		free(url);
	} else {
		printf("backend: postgresql skipped (COLEAD_TEST_PG is not set)\n");
	}
	return fails ? 1 : 0;
}

#endif
