/* people.h - people, partnerships, per-event roles, passwords and
 * sessions: the public interface of the people feature.  Other features
 * and the HTTP layer call these; only people_store.c holds its SQL. */
#ifndef COLEAD_PEOPLE_H
#define COLEAD_PEOPLE_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct db;

/* Roles are per event.  Each ROLE_X equals ROUTE_X >> 2 (http.h), so a
 * route's role flags test directly against a person's roles. */
enum role {
	ROLE_ORGANISER		= 1 << 0,
	ROLE_FACILITATOR	= 1 << 1,
	ROLE_SPEAKER		= 1 << 2,
	ROLE_PARTICIPANT	= 1 << 3,
	ROLE_LEAD		= 1 << 4
};

/* "organiser" -> ROLE_ORGANISER; 0 for an unknown name. */
unsigned	 role_from_name(const char *name);
const char	*role_name(unsigned role);	/* one bit; NULL if not exactly one known bit */
/* "organiser, participant" for a set of bits, in the arena. */
char		*role_names(struct arena *a, unsigned roles);

struct person {
	int64_t		 id;
	const char	*name;
	const char	*email;
	int64_t		 partnership_id;	/* 0: none */
	const char	*partnership;		/* its name, NULL if none */
	unsigned	 roles;			/* in app->event_id */
};

/* Passwords: 12 to 1024 bytes of valid UTF-8, never truncated; hashed with
 * Argon2id.  people_password_check returns E_INVALID with a message for
 * the form in *why (static text). */
#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024
enum app_err	 people_password_check(const char *pw, const char **why);

/* Sessions.  The cookie holds a 256-bit random token (base64url); only its
 * hash is stored.  resolve: the person behind a cookie token, or E_UNAUTH
 * if the token is unknown, revoked, idle past cfg.session_idle or older
 * than cfg.session_max.  It refreshes last_seen at most once a minute. */
enum app_err	 people_session_resolve(struct app *app, struct db *db, struct arena *a,
				const char *token, struct person **out, int64_t *session_id);

/* Log in with email and password from client address addr.  On success a
 * new session is created, *token (arena) is the cookie value.  E_UNAUTH
 * for a wrong email or password (the same answer for both), E_TOOMANY
 * when this account or address has failed too often recently (failures
 * are kept in the database so the limit holds across instances). */
enum app_err	 people_login(struct app *app, struct db *db, struct arena *a,
			const char *email, const char *password, const char *addr,
			char **token);
/* End one session (logout). */
enum app_err	 people_logout(struct app *app, struct db *db, int64_t session_id);

/* Checks for names and email addresses typed into forms, the CLI and
 * imports.  The email is trimmed and lower-cased into *out (arena).  On
 * E_INVALID *why is a message for the person (static text). */
enum app_err	 people_name_check(const char *name, const char **why);
enum app_err	 people_email_normalise(struct arena *a, const char *in, char **out, const char **why);

/* Add a person (and a role in app->event_id when role is non-zero, and a
 * password when password is non-NULL) in one transaction.  partnership may
 * be NULL or must name an existing partnership.  E_INVALID with *why;
 * E_CONFLICT if the email is taken.  Inside a transaction the caller
 * opened, it joins it (the caller commits or rolls back). */
enum app_err	 people_add(struct app *app, struct db *db, const char *name, const char *email,
			const char *partnership, unsigned role, const char *password,
			int64_t *id, const char **why);
/* Give or take a role in app->event_id. */
enum app_err	 people_role_set(struct app *app, struct db *db, int64_t person_id,
			unsigned role, int on);
enum app_err	 people_find_email(struct app *app, struct db *db, struct arena *a,
			const char *email, struct person *p);
enum app_err	 people_get(struct app *app, struct db *db, struct arena *a,
			int64_t person_id, struct person *p);
/* Every person with a role in the event, by name. */
enum app_err	 people_each(struct app *app, struct db *db, struct arena *a,
			void (*fn)(void *arg, const struct person *p), void *arg);

/* One-time links to set a password ("reset": valid a day; "invite": two
 * weeks).  *token (arena) goes into the link /password/TOKEN; only its hash
 * is stored. */
enum app_err	 people_token_new(struct app *app, struct db *db, struct arena *a,
			int64_t person_id, const char *purpose, char **token);
/* The person a still-usable link belongs to (for showing the form). */
enum app_err	 people_token_check(struct app *app, struct db *db, struct arena *a,
			const char *token, struct person *p);
/* Use a link: set the password, end every session of the person, start
 * a new one (*session_token, arena).  E_NOTFOUND if the link is unknown,
 * used or expired; E_INVALID with *why for a bad password. */
enum app_err	 people_token_use(struct app *app, struct db *db, struct arena *a,
			const char *token, const char *password, char **session_token,
			const char **why);
/* Change one's own password: the current one must match.  Every session
 * ends; a new one is started for this browser (*session_token). */
enum app_err	 people_password_change(struct app *app, struct db *db, struct arena *a,
			int64_t person_id, const char *current, const char *password,
			char **session_token, const char **why);

/* Partnerships. */
enum app_err	 people_partnership_add(struct app *app, struct db *db, const char *name,
			const char *region, const char *area, int64_t *id);

/* `colead user ...`: add, list, reset, role.  Returns the exit status
 * (0 ok, 1 failure, 2 usage). */
int		 people_cli_user(struct app *app, struct db *db, int argc, char **argv);

#endif
