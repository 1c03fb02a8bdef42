/* cfg.h - colead's configuration: one table drives the defaults, the
 * command-line flags (--name VALUE), the COLEAD_* environment variables,
 * --help text and --print-config.  Precedence: flag > environment >
 * default.  Knows nothing of what the values mean beyond their type. */
#ifndef COLEAD_CFG_H
#define COLEAD_CFG_H

#include "core.h"

struct cfg {
	char	*db;			/* sqlite:PATH or postgresql://... */
	char	*listen;		/* HOST:PORT; port 0 picks a free one */
	char	*base_url;		/* public URL; https:// turns on Secure cookies and HSTS */
	int64_t	 threads;		/* worker threads */
	int64_t	 body_max;		/* request body cap, bytes */
	int64_t	 upload_max;		/* one uploaded file's cap, bytes */
	int64_t	 session_idle;		/* seconds without a request before a session ends */
	int64_t	 session_max;		/* seconds after login when a session ends regardless */
	int64_t	 login_max_fail;	/* failed logins per account per window before throttling */
	int64_t	 login_max_fail_ip;	/* failed logins per client address per window */
	int64_t	 login_window;		/* seconds */
	int64_t	 post_rate;		/* state-changing requests per minute per session (0: no limit) */
	char	*log_level;		/* debug, info, warn, error */
	int64_t	 access_log;		/* 1: one line per request on stderr */
	char	*smtp_url;		/* smtp://HOST:PORT or smtps://...; "" = no email */
	char	*smtp_from;		/* sender address of emails colead sends */
};

enum cfg_type { CFG_STR, CFG_INT };

struct cfg_opt {
	const char	*name;		/* flag name without dashes, e.g. "listen" */
	const char	*env;		/* e.g. "COLEAD_LISTEN" */
	enum cfg_type	 type;
	size_t		 offset;	/* into struct cfg */
	const char	*def;		/* default, as text */
	const char	*help;
	int64_t		 min, max;	/* CFG_INT range */
};

extern const struct cfg_opt cfg_opts[];

/* Fill c with defaults, then the environment.  Returns 0, or -1 with a
 * message in err (malloc'd) for a bad environment value. */
int	cfg_init(struct cfg *c, char **err);
/* Apply one option by name ("listen"); -1 with err set if unknown or bad. */
int	cfg_set(struct cfg *c, const char *name, const char *value, char **err);
/* Is this a configuration option name? */
const struct cfg_opt *cfg_find(const char *name);
void	cfg_release(struct cfg *c);
/* Write "name = value" lines (what --print-config shows). */
void	cfg_print(const struct cfg *c, FILE *out);
/* Write the option list for --help. */
void	cfg_usage(FILE *out);

#endif
