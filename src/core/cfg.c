/* cfg.c - the configuration table (cfg.h): one row per option drives its
 * default, environment variable, flag, help text and --print-config.  Only
 * parses and checks types and ranges; what a value means is the caller's. */
#include "cfg.h"
#include "str.h"

#define OPT(n, e, t, f, d, h, lo, hi) \
	{ n, e, t, offsetof(struct cfg, f), d, h, lo, hi }

const struct cfg_opt cfg_opts[] = {
	OPT("db", "COLEAD_DB", CFG_STR, db, "sqlite:colead.db",
	    "database: sqlite:PATH or postgresql://USER@HOST/NAME", 0, 0),
	OPT("listen", "COLEAD_LISTEN", CFG_STR, listen, "127.0.0.1:8080",
	    "address and port to serve on; port 0 picks a free one", 0, 0),
	OPT("base-url", "COLEAD_BASE_URL", CFG_STR, base_url, "",
	    "public URL of the site (https:// turns on secure cookies and HSTS)", 0, 0),
	OPT("threads", "COLEAD_THREADS", CFG_INT, threads, "4",
	    "worker threads serving requests", 1, 256),
	OPT("body-max", "COLEAD_BODY_MAX", CFG_INT, body_max, "1048576",
	    "largest request body accepted, in bytes (413 past it)", 1024, 1073741824),
	OPT("upload-max", "COLEAD_UPLOAD_MAX", CFG_INT, upload_max, "5242880",
	    "largest uploaded file, in bytes", 1024, 1073741824),
	OPT("session-idle", "COLEAD_SESSION_IDLE", CFG_INT, session_idle, "259200",
	    "seconds without a request before a sign-in ends", 60, 31536000),
	OPT("session-max", "COLEAD_SESSION_MAX", CFG_INT, session_max, "1209600",
	    "seconds after signing in when a sign-in ends regardless", 60, 31536000),
	OPT("login-max-fail", "COLEAD_LOGIN_MAX_FAIL", CFG_INT, login_max_fail, "5",
	    "failed logins per account within the window before it is throttled", 1, 1000),
	OPT("login-max-fail-ip", "COLEAD_LOGIN_MAX_FAIL_IP", CFG_INT, login_max_fail_ip, "30",
	    "failed logins per client address within the window before it is throttled", 1, 100000),
	OPT("login-window", "COLEAD_LOGIN_WINDOW", CFG_INT, login_window, "900",
	    "seconds that failed logins count against the limits", 10, 86400),
	OPT("post-rate", "COLEAD_POST_RATE", CFG_INT, post_rate, "120",
	    "form submissions per minute per signed-in person (429 past it; 0: no limit)", 0, 1000000),
	OPT("log-level", "COLEAD_LOG_LEVEL", CFG_STR, log_level, "info",
	    "debug, info, warn or error", 0, 0),
	OPT("access-log", "COLEAD_ACCESS_LOG", CFG_INT, access_log, "1",
	    "1: one line per request on stderr; 0: none", 0, 1),
	OPT("smtp-url", "COLEAD_SMTP_URL", CFG_STR, smtp_url, "",
	    "mail server for invitations: smtp://HOST:PORT or smtps://USER:PASSWORD@HOST", 0, 0),
	OPT("smtp-from", "COLEAD_SMTP_FROM", CFG_STR, smtp_from, "",
	    "sender address of the emails colead sends", 0, 0),
	{ NULL, NULL, CFG_STR, 0, NULL, NULL, 0, 0 }
};

const struct cfg_opt *
cfg_find(const char *name)
{
	const struct cfg_opt *o;

	for (o = cfg_opts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* Store value into the field o describes; -1 with *err if it is bad. */
static int
cfg_apply(struct cfg *c, const struct cfg_opt *o, const char *value, const char *from, char **err)
{
	char *field = (char *)c + o->offset;

	if (o->type == CFG_STR) {
		char **s = (char **)(void *)field;

		if (strcmp(o->name, "log-level") == 0 &&
		    !str_eq(value, "debug") && !str_eq(value, "info") &&
		    !str_eq(value, "warn") && !str_eq(value, "error")) {
			*err = xprintf("%s: log level '%s' is not one of debug, info, warn, error",
			    from, value);
			return -1;
		}
		free(*s);
		*s = xstrdup(value);
	} else {
		int64_t v;

		if (str_to_i64(value, strlen(value), &v) < 0) {
			*err = xprintf("%s: '%s' is not a whole number", from, value);
			return -1;
		}
		if (v < o->min || v > o->max) {
			*err = xprintf("%s: %" PRId64 " is out of range (%" PRId64 " to %" PRId64 ")",
			    from, v, o->min, o->max);
			return -1;
		}
		*(int64_t *)(void *)field = v;
	}
	return 0;
}

int
cfg_init(struct cfg *c, char **err)
{
	const struct cfg_opt	*o;
	char			 from[64];

	memset(c, 0, sizeof(*c));
	for (o = cfg_opts; o->name; o++) {
		snprintf(from, sizeof(from), "default of --%s", o->name);
		if (cfg_apply(c, o, o->def, from, err) < 0)
			BUG("%s", *err);
	}
	for (o = cfg_opts; o->name; o++) {
		const char *v = getenv(o->env);

		if (v && cfg_apply(c, o, v, o->env, err) < 0)
			return -1;
	}
	return 0;
}

int
cfg_set(struct cfg *c, const char *name, const char *value, char **err)
{
	const struct cfg_opt	*o = cfg_find(name);
	char			 from[64];

	if (!o) {
		*err = xprintf("unknown option '--%s'", name);
		return -1;
	}
	snprintf(from, sizeof(from), "--%s", name);
	return cfg_apply(c, o, value, from, err);
}

void
cfg_release(struct cfg *c)
{
	const struct cfg_opt *o;

	for (o = cfg_opts; o->name; o++)
		if (o->type == CFG_STR) {
			char **s = (char **)(void *)((char *)c + o->offset);

			free(*s);
			*s = NULL;
		}
}

/* The database (or mail server) URL with any password replaced by "***", for printing:
 * both the user:password@ form and a password= query parameter. */
static void
print_value(FILE *out, const struct cfg_opt *o, const char *s)
{
	const char	*scheme, *at, *colon, *p;
	size_t		 i = 0, n = strlen(s);

	if ((strcmp(o->name, "db") != 0 && strcmp(o->name, "smtp-url") != 0) ||
	    !(scheme = strstr(s, "://"))) {
		fprintf(out, "%s\n", s);
		return;
	}
	at = strchr(scheme + 3, '@');
	colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	while (i < n) {
		if (colon && s + i == colon) {
			fputs(":***", out);
			i = (size_t)(at - s);
			continue;
		}
		p = s + i;
		if (i > 0 && (p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0) {
			fputs("password=***", out);
			while (i < n && s[i] != '&')
				i++;
			continue;
		}
		fputc(s[i++], out);
	}
	fputc('\n', out);
}

void
cfg_print(const struct cfg *c, FILE *out)
{
	const struct cfg_opt *o;

	for (o = cfg_opts; o->name; o++) {
		const char *field = (const char *)c + o->offset;

		fprintf(out, "%s = ", o->name);
		if (o->type == CFG_STR)
			print_value(out, o, *(char *const *)(const void *)field);
		else
			fprintf(out, "%" PRId64 "\n", *(const int64_t *)(const void *)field);
	}
}

void
cfg_usage(FILE *out)
{
	const struct cfg_opt *o;

	fprintf(out, "Options (each also read from its environment variable):\n");
	for (o = cfg_opts; o->name; o++)
		fprintf(out, "  --%-18s %s\n  %-20s [%s; default %s]\n", o->name,
		    o->help, "", o->env, *o->def ? o->def : "none");
}
