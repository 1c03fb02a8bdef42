/* main.c - the colead command: parses the command line and configuration,
 * builds struct app, and hands over to the HTTP server or to a command
 * (demo, migrate, user).  Nothing else lives here: every rule belongs to a
 * feature.  Exit status: 0 ok, 1 runtime failure, 2 usage error. */
#include "app.h"
#include "core/core.h"
#include "core/cfg.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"
#include "feat/demo/demo.h"
#include "feat/event/event.h"
#include "feat/people/people.h"
#include "http/http.h"
#include "http/routes.h"
#include "views/tmpl.h"

#include <sys/stat.h>
#include <libxml/parser.h>
#include <sodium.h>

#ifndef COLEAD_VERSION
#define COLEAD_VERSION "0.1.0"
#endif

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* What the command line said besides configuration. */
struct args {
	const char	*command;
	int		 force, keep, print_config, help;
	int		 argc;		/* the rest, for `user` */
	char		*rest[64];
};

static const char usage_text[] =
	"usage: colead COMMAND [OPTIONS]\n"
	"\n"
	"Commands:\n"
	"  serve     serve the site (the default)\n"
	"  demo      create a database holding the demo convention and serve it\n"
	"            (--force replaces an existing one; --keep serves it if it exists)\n"
	"  migrate   apply database migrations and exit\n"
	"  user      add, list, reset and give roles to accounts ('colead user help')\n"
	"  routes    print every route: METHOD PATTERN FLAGS, one a line\n"
	"  version   print the version\n"
	"  help      print this help\n"
	"\n"
	"Every command takes --print-config (show the settings and exit) and --help.\n"
	"\n";

static void
usage(FILE *out)
{
	fputs(usage_text, out);
	cfg_usage(out);
}

/* Parse argv into c and a; -1 with a message printed on a usage error. */
static int
parse_args(int argc, char **argv, struct cfg *c, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->command = "serve";
	i = 1;
	if (argc > 1 && argv[1][0] != '-') {
		a->command = argv[1];
		i = 2;
	}
	for (; i < argc; i++) {
		char		*arg = argv[i], *err = NULL, *eq;
		const char	*name, *value;
		char		 buf[64];

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			a->help = 1;
			continue;
		}
		if (!strcmp(arg, "--print-config")) {
			a->print_config = 1;
			continue;
		}
		if (!strcmp(a->command, "demo") && !strcmp(arg, "--force")) {
			a->force = 1;
			continue;
		}
		if (!strcmp(a->command, "demo") && !strcmp(arg, "--keep")) {
			a->keep = 1;
			continue;
		}
		if (str_starts(arg, "--")) {
			eq = strchr(arg, '=');
			snprintf(buf, sizeof(buf), "%.*s", eq ? (int)(eq - arg - 2) : (int)strlen(arg + 2), arg + 2);
			name = buf;
			if (cfg_find(name)) {
				if (eq) {
					value = eq + 1;
				} else if (i + 1 < argc) {
					value = argv[++i];
				} else {
					fprintf(stderr, "colead: option '--%s' needs a value\n", name);
					return -1;
				}
				if (cfg_set(c, name, value, &err) < 0) {
					fprintf(stderr, "colead: %s\n", err);
					free(err);
					return -1;
				}
				continue;
			}
		}
		if (!strcmp(a->command, "user") && a->argc < (int)ARRAY_SIZE(a->rest)) {
			a->rest[a->argc++] = arg;
			continue;
		}
		fprintf(stderr, "colead: unknown option '%s' for '%s' (see 'colead help')\n",
		    arg, a->command);
		return -1;
	}
	return 0;
}

/* Open the configured database and bring its schema up to date. */
static struct db *
open_db(struct cfg *c)
{
	struct db	*db;
	char		*err = NULL;

	db = db_open(c->db, &err);
	if (!db) {
		fprintf(stderr, "colead: cannot open the database: %s\n", err ? err : "unknown error");
		free(err);
		return NULL;
	}
	if (db_migrate(db) < 0) {
		fprintf(stderr, "colead: cannot bring the database schema up to date (see the log above)\n");
		db_close(db);
		return NULL;
	}
	return db;
}

/* The file behind a sqlite: URL, or NULL for other databases. */
static const char *
sqlite_path(const char *url)
{
	if (str_starts(url, "sqlite:") && strcmp(url + 7, ":memory:") != 0)
		return url + 7;
	return NULL;
}

/* Remove a SQLite database and its WAL files. */
static int
remove_sqlite(const char *path)
{
	static const char	*const suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 name[4096];
	size_t			 i;

	for (i = 0; i < ARRAY_SIZE(suffix); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffix[i]);
		if (unlink(name) < 0 && errno != ENOENT) {
			fprintf(stderr, "colead: cannot remove '%s': %s\n", name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int
serve(struct app *app)
{
	struct db	*db;
	char		*err = NULL;
	int		 rc = EXIT_FAIL;

	if (!(db = open_db(app->cfg)))
		return EXIT_FAIL;
	if (event_app_init(app, db) != E_OK) {
		fprintf(stderr, "colead: cannot prepare the event (see the log above)\n");
		goto out;
	}
	app->views = views_load(&err);
	if (!app->views) {
		fprintf(stderr, "colead: templates: %s\n", err ? err : "cannot load");
		goto out;
	}
	app->dbs = db_pool_new(app->cfg->db);
	if (http_serve(app) == 0)
		rc = EXIT_OK;
	db_pool_free(app->dbs);
	app->dbs = NULL;
	tmpl_set_free(app->views);
	app->views = NULL;
out:
	free(err);
	db_close(db);
	return rc;
}

static int
demo(struct app *app, const struct args *a)
{
	const char	*path = sqlite_path(app->cfg->db);
	struct stat	 st;
	struct db	*db;
	int		 exists = path && stat(path, &st) == 0;

	if (exists && a->keep) {
		fprintf(stderr, "colead: serving the existing demo database '%s' "
		    "(use --force to start afresh)\n", path);
	} else {
		if (exists && !a->force) {
			fprintf(stderr, "colead: '%s' already exists; use --force to "
			    "replace it with a new demo convention\n", path);
			return EXIT_USAGE;
		}
		if (exists && remove_sqlite(path) < 0)
			return EXIT_FAIL;
		if (!(db = open_db(app->cfg)))
			return EXIT_FAIL;
		if (event_any(db) != 0) {
			if (!a->force) {
				fprintf(stderr, "colead: the database already holds an event "
				    "(or cannot be read); use --force to add the demo convention anyway\n");
				db_close(db);
				return EXIT_USAGE;
			}
		}
		if (demo_create(app, db) < 0) {
			fprintf(stderr, "colead: cannot create the demo convention (see the log above)\n");
			db_close(db);
			return EXIT_FAIL;
		}
		db_close(db);
	}
	fprintf(stderr, "Demo organiser login: %s  password: %s\n",
	    DEMO_ORGANISER_EMAIL, DEMO_ORGANISER_PASSWORD);
	return serve(app);
}

int
main(int argc, char **argv)
{
	struct cfg	 c;
	struct args	 a;
	struct app	 app;
	struct db	*db;
	char		*err = NULL;
	int		 rc = EXIT_OK;

	if (cfg_init(&c, &err) < 0) {
		fprintf(stderr, "colead: %s\n", err);
		free(err);
		cfg_release(&c);
		return EXIT_USAGE;
	}
	if (parse_args(argc, argv, &c, &a) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (!strcmp(a.command, "help") || (a.help && strcmp(a.command, "user"))) {
		usage(stdout);
		goto out;
	}
	if (!strcmp(a.command, "version")) {
		printf("colead %s\n", COLEAD_VERSION);
		goto out;
	}
	if (!strcmp(a.command, "routes")) {
		routes_print(stdout);
		goto out;
	}
	if (strcmp(a.command, "serve") && strcmp(a.command, "demo") &&
	    strcmp(a.command, "migrate") && strcmp(a.command, "user")) {
		fprintf(stderr, "colead: unknown command '%s' (see 'colead help')\n", a.command);
		rc = EXIT_USAGE;
		goto out;
	}
	if (a.print_config) {
		cfg_print(&c, stdout);
		goto out;
	}
	if (db_url_check(c.db, &err) < 0) {
		fprintf(stderr, "colead: --db: %s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "colead: cannot initialise libsodium\n");
		rc = EXIT_FAIL;
		goto out;
	}
	xmlInitParser();	/* once, before any thread writes XML */
	log_set_level(!strcmp(c.log_level, "debug") ? LOG_DEBUG :
	    !strcmp(c.log_level, "warn") ? LOG_WARN :
	    !strcmp(c.log_level, "error") ? LOG_ERROR : LOG_INFO);

	memset(&app, 0, sizeof(app));
	app.cfg = &c;
	app.tls = str_starts(c.base_url, "https://");
	if (!strcmp(a.command, "serve")) {
		rc = serve(&app);
	} else if (!strcmp(a.command, "demo")) {
		rc = demo(&app, &a);
	} else if (!strcmp(a.command, "migrate")) {
		if (!(db = open_db(&c))) {
			rc = EXIT_FAIL;
		} else {
			printf("database schema is up to date\n");
			db_close(db);
		}
	} else {
		if (!(db = open_db(&c))) {
			rc = EXIT_FAIL;
		} else {
			static char help[] = "help";

			if (a.help) {
				a.rest[0] = help;
				a.argc = 1;
			}
			if (event_app_init(&app, db) != E_OK)
				rc = EXIT_FAIL;
			else
				rc = people_cli_user(&app, db, a.argc, a.rest);
			db_close(db);
		}
	}
	free(app.event_name);
out:
	xmlCleanupParser();
	free(err);
	cfg_release(&c);
	return rc;
}
