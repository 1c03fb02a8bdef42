/* people_cli.c - `colead user add|list|reset|role`: account
 * administration from the command line, for the first organiser and for
 * when the web is not at hand.  Parses its own arguments, calls people.c,
 * prints results; exit status 0 ok, 1 failure, 2 usage. */
#include "people.h"
#include "../../core/arena.h"
#include "../../core/cfg.h"
#include "../../core/str.h"
#include "../../db/db.h"

static const char usage[] =
	"usage: colead user add EMAIL --name NAME [--role ROLE] [--partnership NAME] [--password-stdin]\n"
	"       colead user list\n"
	"       colead user reset EMAIL\n"
	"       colead user role EMAIL ROLE [--remove]\n"
	"Roles: organiser, facilitator, speaker, participant, lead.\n"
	"A reset prints a one-time link to set a password (valid for a day).\n";

/* Print "colead user: WHAT 'ARG'" (ARG may be NULL) and the usage. */
static int
fail_usage(const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, "colead user: %s '%s'\n%s", what, arg, usage);
	else
		fprintf(stderr, "colead user: %s\n%s", what, usage);
	return 2;
}

/* The site's address for links: --base-url, else http://LISTEN. */
static char *
site_url(struct app *app, struct arena *a)
{
	const char *b = app->cfg->base_url;

	if (b && *b) {
		size_t n = strlen(b);

		while (n && b[n - 1] == '/')
			n--;
		return arena_strndup(a, b, n);
	}
	return arena_printf(a, "http://%s", app->cfg->listen);
}

/* Read a password from stdin: one line, newline removed. */
static char *
read_password(struct arena *a)
{
	char	buf[PASSWORD_MAX + 2];
	size_t	n;

	if (!fgets(buf, sizeof(buf), stdin))
		return arena_strdup(a, "");
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return arena_strdup(a, buf);
}

static int
cmd_add(struct app *app, struct db *db, struct arena *a, int argc, char **argv)
{
	const char	*email = NULL, *name = NULL, *role = NULL, *partnership = NULL;
	const char	*why = "";
	char		*pw = NULL;
	unsigned	 bits = 0;
	int64_t		 id;
	int		 i, pw_stdin = 0;
	enum app_err	 rc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--role") && i + 1 < argc)
			role = argv[++i];
		else if (!strcmp(argv[i], "--partnership") && i + 1 < argc)
			partnership = argv[++i];
		else if (!strcmp(argv[i], "--password-stdin"))
			pw_stdin = 1;
		else if (argv[i][0] == '-')
			return fail_usage("unknown or incomplete option", argv[i]);
		else if (!email)
			email = argv[i];
		else
			return fail_usage("unexpected argument", argv[i]);
	}
	if (!email)
		return fail_usage("add needs an EMAIL", NULL);
	if (!name)
		return fail_usage("add needs --name NAME", NULL);
	if (role && !(bits = role_from_name(role)))
		return fail_usage("unknown role", role);
	if (pw_stdin)
		pw = read_password(a);
	rc = people_add(app, db, name, email, partnership, bits, pw, &id, &why);
	if (rc == E_INVALID || rc == E_CONFLICT) {
		fprintf(stderr, "colead user: cannot add '%s': %s\n", email, why);
		return 1;
	}
	if (rc != E_OK) {
		fprintf(stderr, "colead user: cannot add '%s': database error\n", email);
		return 1;
	}
	printf("added %s (id %" PRId64 ")%s%s\n", email, id, bits ? " as " : "", bits ? role : "");
	return 0;
}

static void
print_person(void *arg, const struct person *p)
{
	struct arena *a = arg;

	printf("%-6" PRId64 " %-40s %-30s %s\n", p->id, p->email, p->name,
	    p->partnership ? p->partnership : "-");
	(void)a;
}

static int
cmd_list(struct app *app, struct db *db, struct arena *a)
{
	printf("%-6s %-40s %-30s %s\n", "id", "email", "name", "partnership");
	if (people_each(app, db, a, print_person, a) != E_OK) {
		fprintf(stderr, "colead user: cannot list people: database error\n");
		return 1;
	}
	return 0;
}

static int
cmd_reset(struct app *app, struct db *db, struct arena *a, int argc, char **argv)
{
	struct person	 p;
	char		*token;
	enum app_err	 rc;

	if (argc != 1)
		return fail_usage("reset needs exactly one EMAIL", NULL);
	rc = people_find_email(app, db, a, argv[0], &p);
	if (rc == E_NOTFOUND) {
		fprintf(stderr, "colead user: no one has the email address '%s'\n", argv[0]);
		return 1;
	}
	if (rc == E_OK)
		rc = people_token_new(app, db, a, p.id, "reset", &token);
	if (rc != E_OK) {
		fprintf(stderr, "colead user: cannot make a link: database error\n");
		return 1;
	}
	printf("One-time link for %s (valid for 24 hours):\n%s/password/%s\n",
	    p.email, site_url(app, a), token);
	return 0;
}

static int
cmd_role(struct app *app, struct db *db, struct arena *a, int argc, char **argv)
{
	struct person	p;
	unsigned	bits;
	int		on = 1;
	enum app_err	rc;

	if (argc == 3 && !strcmp(argv[2], "--remove"))
		on = 0;
	else if (argc != 2)
		return fail_usage("role needs EMAIL ROLE [--remove]", NULL);
	if (!(bits = role_from_name(argv[1])))
		return fail_usage("unknown role", argv[1]);
	rc = people_find_email(app, db, a, argv[0], &p);
	if (rc == E_NOTFOUND) {
		fprintf(stderr, "colead user: no one has the email address '%s'\n", argv[0]);
		return 1;
	}
	if (rc == E_OK)
		rc = people_role_set(app, db, p.id, bits, on);
	if (rc != E_OK) {
		fprintf(stderr, "colead user: cannot change the role: database error\n");
		return 1;
	}
	printf("%s %s %s\n", p.email, on ? "is now" : "is no longer", argv[1]);
	return 0;
}

int
people_cli_user(struct app *app, struct db *db, int argc, char **argv)
{
	struct arena	*a = arena_new(0);
	int		 rc;

	if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help")) {
		fputs(usage, argc < 1 ? stderr : stdout);
		rc = argc < 1 ? 2 : 0;
	} else if (!strcmp(argv[0], "add")) {
		rc = cmd_add(app, db, a, argc - 1, argv + 1);
	} else if (!strcmp(argv[0], "list")) {
		rc = argc == 1 ? cmd_list(app, db, a) : fail_usage("unexpected argument", argv[1]);
	} else if (!strcmp(argv[0], "reset")) {
		rc = cmd_reset(app, db, a, argc - 1, argv + 1);
	} else if (!strcmp(argv[0], "role")) {
		rc = cmd_role(app, db, a, argc - 1, argv + 1);
	} else {
		rc = fail_usage("unknown command", argv[0]);
	}
	arena_free(a);
	return rc;
}
