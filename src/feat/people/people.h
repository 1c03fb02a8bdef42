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

/* Partnerships, with how many people of the event belong to each. */
struct people_partnership {
	int64_t		 id;
	const char	*name;
	const char	*region;
	const char	*area;
	int64_t		 people;
};
/* Every partnership by name (arena array in *out). */
enum app_err	 people_partnerships(struct app *app, struct db *db, struct arena *a,
			struct people_partnership **out, size_t *n);
enum app_err	 people_partnership_get(struct app *app, struct db *db, struct arena *a,
			int64_t id, struct people_partnership *out);
/* Rename; E_INVALID with *why for a bad name, E_CONFLICT if taken. */
enum app_err	 people_partnership_rename(struct app *app, struct db *db, int64_t id,
			const char *name, const char **why);
/* Move everyone of partnership `from` into `into` and delete `from`, in
 * one transaction.  E_INVALID when they are the same, E_NOTFOUND if
 * either is missing. */
enum app_err	 people_partnership_merge(struct app *app, struct db *db, int64_t from,
			int64_t into);
/* The people of the event in a partnership (fn called per person, by name). */
enum app_err	 people_of_partnership(struct app *app, struct db *db, struct arena *a,
			int64_t partnership_id,
			void (*fn)(void *arg, const struct person *p), void *arg);

/* CSV files (people_csv.c).  A parsed record: fields are the raw bytes,
 * NUL-terminated, possibly not valid UTF-8 (the caller checks). */
struct people_csv_row {
	int		 row;		/* 1-based record number in the file */
	int		 nfields;	/* as found; only the first 32 are kept */
	char		**fields;
	size_t		*lens;
	struct people_csv_row *next;
};
/* Parse a whole CSV file (a leading UTF-8 byte-order mark is skipped) into
 * a list of rows allocated in a.  E_INVALID with *why for broken quoting;
 * E_TOOBIG past max_rows or when the arena is full. */
enum app_err	 people_csv_parse(struct arena *a, const void *data, size_t n, size_t max_rows,
			struct people_csv_row **rows, size_t *nrows, const char **why);
/* Append one quoted CSV cell to b (a comma first unless first).  A cell
 * starting with = + - @ tab or carriage return gets a leading apostrophe,
 * so a spreadsheet shows it as text and never runs it as a formula. */
struct buf;
void		 people_csv_cell(struct buf *b, const char *s, size_t n, int first);

/* Attendee import (people_import.c).  A file has the columns name, email,
 * partnership, role and optionally job title, with or without a header
 * row.  Each row gets an outcome; nothing is written while any row is an
 * error. */
enum import_outcome { IMPORT_NEW, IMPORT_UPDATE, IMPORT_UNCHANGED, IMPORT_ERROR };
#define IMPORT_MAX_ROWS 20000
struct import_row {
	int		 row;		/* record number in the file */
	enum import_outcome outcome;
	const char	*name, *email, *partnership, *role, *job_title;	/* as read (valid UTF-8 or NULL) */
	const char	*error;		/* why, for IMPORT_ERROR */
	const char	*suggest;	/* "did you mean" partnership, or NULL */
	int64_t		 person_id;	/* existing person, 0 for new */
	int64_t		 partnership_id;
	unsigned	 roles;
};
struct import_report {
	struct import_row *rows;
	size_t		 nrows;
	size_t		 counts[4];	/* by enum import_outcome */
	int		 header;	/* the first record was a header */
};
/* Parse and classify a file without writing.  E_INVALID with *why when the
 * file as a whole cannot be read (then r is empty); row problems are
 * E_OK with IMPORT_ERROR rows. */
enum app_err	 people_import_check(struct app *app, struct db *db, struct arena *a,
			const void *data, size_t n, struct import_report *r, const char **why);
/* Keep an uploaded file for its confirmation (one day at most); *id
 * (arena) is a random key that only `by` can use. */
enum app_err	 people_import_stage(struct app *app, struct db *db, struct arena *a,
			int64_t by, const char *filename, const void *data, size_t n, char **id);
/* Classify a kept file again (the database may have changed). */
enum app_err	 people_import_preview(struct app *app, struct db *db, struct arena *a,
			const char *id, int64_t by, struct import_report *r,
			const char **filename, const char **why);
/* Import a kept file in one transaction: E_INVALID (nothing written, r
 * says why) while any row is an error; E_NOTFOUND for an unknown id.  The
 * kept file is removed on success. */
enum app_err	 people_import_confirm(struct app *app, struct db *db, struct arena *a,
			const char *id, int64_t by, struct import_report *r, const char **why);

/* Invitations: everyone with a role in the event who has not set a
 * password yet. */
struct invite {
	int64_t		 person_id;
	const char	*name, *email, *partnership;
	int64_t		 invited_at;	/* 0: never invited */
	const char	*token;		/* set by people_invite_issue only */
};
enum app_err	 people_invite_list(struct app *app, struct db *db, struct arena *a,
			struct invite **out, size_t *n);
/* A new invitation link for each of them (earlier unused ones stop
 * working), in one transaction.  Tokens are only ever shown here: the
 * database keeps their hashes. */
enum app_err	 people_invite_issue(struct app *app, struct db *db, struct arena *a,
			struct invite **out, size_t *n);
/* Is a mail server configured (--smtp-url and --smtp-from)? */
int		 people_mail_ready(const struct app *app);
/* Email each invitation that has a token, its link being
 * BASE/password/TOKEN.  *sent counts the messages the mail server took;
 * failures are logged.  E_CLOSED when no mail server is configured. */
enum app_err	 people_invite_mail(struct app *app, const struct invite *inv, size_t n,
			const char *base, size_t *sent);
/* Is token a usable invitation (not a reset link)? */
int		 people_token_is_invite(struct app *app, struct db *db, const char *token);
/* people_token_use, and for an invitation also the consent to the privacy
 * notice: E_INVALID with *why when consent is 0 for an invitation. */
enum app_err	 people_token_accept(struct app *app, struct db *db, struct arena *a,
			const char *token, const char *password, int consent,
			char **session_token, const char **why);

/* Directory: people who opted in, with partnership and job title. */
struct people_listing {
	int64_t		 id;
	const char	*name, *partnership, *job_title;
};
/* The person's own directory settings. */
enum app_err	 people_listing_get(struct app *app, struct db *db, struct arena *a,
			int64_t person_id, int *listed, const char **job_title);
/* Opt in or out, with a job title (at most 200 characters, one line);
 * E_INVALID with *why. */
enum app_err	 people_listing_set(struct app *app, struct db *db, int64_t person_id,
			int listed, const char *job_title, const char **why);
/* Everyone of the event who opted in, by name (arena array). */
enum app_err	 people_directory(struct app *app, struct db *db, struct arena *a,
			struct people_listing **out, size_t *n);

/* Personal data.  Append to b the JSON members (no braces) describing
 * everything the people feature holds about the person: account, roles,
 * sign-ins (times only, never tokens or hashes), invitations. */
enum app_err	 people_data_json(struct app *app, struct db *db, struct arena *a,
			int64_t person_id, struct buf *b);
/* Erase a person, in one transaction: password, sign-ins, links, roles
 * and directory listing removed; name, email and job title replaced by
 * placeholders and the partnership cleared, so records other features
 * keep (which refer to the person by id) stay whole but say nothing about
 * who it was.  `also` (may be NULL) runs inside the transaction, for other
 * features to remove their own data (the survey's answers).  E_NOTFOUND
 * for an unknown person, E_FORBIDDEN for oneself. */
enum app_err	 people_erase(struct app *app, struct db *db, int64_t by, int64_t person_id,
			enum app_err (*also)(struct app *app, struct db *db, int64_t person_id));

/* `colead user ...`: add, list, reset, role.  Returns the exit status
 * (0 ok, 1 failure, 2 usage). */
int		 people_cli_user(struct app *app, struct db *db, int argc, char **argv);

#endif
