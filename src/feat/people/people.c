/* people.c - the rules of the people feature: what a valid name, email
 * and password are, how sign-in, sessions, throttling and one-time
 * password links work.  Reads and writes only through people_store.c;
 * knows nothing of HTTP. */
#include "people.h"
#include "people_store.h"
#include "../../core/arena.h"
#include "../../core/cfg.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

#include <sodium.h>

#define TOKEN_BYTES	32
#define TOKEN_B64	64	/* base64url of 32 bytes is 43 characters */
#define HASH_HEX	(crypto_hash_sha256_BYTES * 2 + 1)
#define NAME_MAX_CHARS	200
#define EMAIL_MAX	254

static const struct {
	unsigned	 bit;
	const char	*name;
} role_table[] = {
	{ ROLE_ORGANISER,	"organiser" },
	{ ROLE_FACILITATOR,	"facilitator" },
	{ ROLE_SPEAKER,		"speaker" },
	{ ROLE_PARTICIPANT,	"participant" },
	{ ROLE_LEAD,		"lead" },
};

unsigned
role_from_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(role_table); i++)
		if (strcmp(role_table[i].name, name) == 0)
			return role_table[i].bit;
	return 0;
}

const char *
role_name(unsigned role)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(role_table); i++)
		if (role_table[i].bit == role)
			return role_table[i].name;
	return NULL;
}

char *
role_names(struct arena *a, unsigned roles)
{
	char	out[128] = "";
	size_t	i, n = 0;

	for (i = 0; i < ARRAY_SIZE(role_table); i++)
		if (roles & role_table[i].bit)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
			    n ? ", " : "", role_table[i].name);
	return arena_strdup(a, out);
}

enum app_err
people_password_check(const char *pw, const char **why)
{
	size_t n = pw ? strlen(pw) : 0;

	if (!utf8_valid(pw ? pw : "", n)) {
		*why = "the password contains bytes that are not valid text";
		return E_INVALID;
	}
	if (utf8_len(pw ? pw : "", n) < PASSWORD_MIN) {
		*why = "the password must have at least 12 characters";
		return E_INVALID;
	}
	if (n > PASSWORD_MAX) {
		*why = "the password must have at most 1024 bytes";
		return E_INVALID;
	}
	return E_OK;
}

enum app_err
people_name_check(const char *name, const char **why)
{
	size_t n = name ? strlen(name) : 0, chars;

	chars = utf8_len(name ? name : "", n);
	if (chars == (size_t)-1 || utf8_has_controls(name, n, 1)) {
		*why = "the name contains characters that are not allowed";
		return E_INVALID;
	}
	if (chars == 0) {
		*why = "enter a name";
		return E_INVALID;
	}
	if (chars > NAME_MAX_CHARS) {
		*why = "use at most 200 characters";
		return E_INVALID;
	}
	return E_OK;
}

enum app_err
people_email_normalise(struct arena *a, const char *in, char **out, const char **why)
{
	const char	*p = in ? in : "", *at, *dot;
	size_t		 n = strlen(p), i;
	char		*e;

	str_trim(&p, &n);
	if (!n) {
		*why = "enter an email address";
		return E_INVALID;
	}
	if (n > EMAIL_MAX || !utf8_valid(p, n)) {
		*why = "this is not a valid email address";
		return E_INVALID;
	}
	e = arena_strndup(a, p, n);
	if (!e)
		return E_TOOBIG;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)e[i];

		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' ||
		    c == ',' || c == ';' || c == '\\') {
			*why = "this is not a valid email address";
			return E_INVALID;
		}
		e[i] = (char)tolower(c);
	}
	at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@') || !(dot = strrchr(at, '.')) ||
	    dot == at + 1 || !dot[1] || strstr(at, "..")) {
		*why = "this is not a valid email address";
		return E_INVALID;
	}
	*out = e;
	return E_OK;
}

/* A new random token for a cookie or link (base64url) and the hex SHA-256
 * under which it is stored. */
static void
token_make(char tok[TOKEN_B64], char hash[HASH_HEX])
{
	unsigned char	raw[TOKEN_BYTES], h[crypto_hash_sha256_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(tok, TOKEN_B64, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_hash_sha256(h, (const unsigned char *)tok, strlen(tok));
	sodium_bin2hex(hash, HASH_HEX, h, sizeof(h));
	sodium_memzero(raw, sizeof(raw));
}

/* The stored form of a token presented by a client.  -1 for anything that
 * cannot be one of ours (so it is never looked up). */
static int
token_hash(const char *tok, char hash[HASH_HEX])
{
	unsigned char	h[crypto_hash_sha256_BYTES];
	size_t		n = tok ? strlen(tok) : 0, i;

	if (n != 43)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)tok[i]) && tok[i] != '-' && tok[i] != '_')
			return -1;
	crypto_hash_sha256(h, (const unsigned char *)tok, n);
	sodium_bin2hex(hash, HASH_HEX, h, sizeof(h));
	return 0;
}

/* Argon2id hash of pw into out (crypto_pwhash_STRBYTES). */
static int
password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	if (crypto_pwhash_str_alg(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return error("cannot hash a password: out of memory");
	return 0;
}

/* A hash of a random password, verified against when the email is
 * unknown so that the answer takes as long as for a known one. */
static char		dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t	dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_init(void)
{
	char pw[TOKEN_B64], h[HASH_HEX];

	token_make(pw, h);
	if (password_hash(pw, dummy_hash) < 0)
		BUG("cannot compute the dummy password hash");
}

/* Spend the time a real password check takes, for an unknown account. */
static void
dummy_verify(void)
{
	if (crypto_pwhash_str_verify(dummy_hash, "x", 1) == 0)
		BUG("the dummy hash matched");
}

/* Start a session for person: *token (arena) is the cookie value. */
static enum app_err
session_start(struct db *db, struct arena *a, int64_t person_id, char **token)
{
	char		tok[TOKEN_B64], hash[HASH_HEX];
	int64_t		id;
	enum app_err	rc;

	token_make(tok, hash);
	rc = people_store_session_add(db, person_id, hash, now_unix(), &id);
	if (rc == E_OK && !(*token = arena_strdup(a, tok)))
		rc = E_TOOBIG;
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

enum app_err
people_session_resolve(struct app *app, struct db *db, struct arena *a,
		       const char *token, struct person **out, int64_t *session_id)
{
	struct session_row	 s;
	struct person		*p;
	char			 hash[HASH_HEX];
	int64_t			 person_id, now = now_unix();
	enum app_err		 rc;

	if (token_hash(token, hash) < 0)
		return E_UNAUTH;
	rc = people_store_session_get(db, a, hash, &s, &person_id);
	if (rc == E_NOTFOUND)
		return E_UNAUTH;
	if (rc != E_OK)
		return rc;
	if (now - s.last_seen > app->cfg->session_idle ||
	    now - s.created_at > app->cfg->session_max) {
		people_store_session_end(db, s.id, now);
		return E_UNAUTH;
	}
	if (!(p = arena_alloc(a, sizeof(*p))))
		return E_TOOBIG;
	rc = people_store_get(db, a, app->event_id, person_id, p);
	if (rc == E_NOTFOUND)
		return E_UNAUTH;
	if (rc != E_OK)
		return rc;
	if (now - s.last_seen >= 60 && people_store_session_touch(db, s.id, now) != E_OK)
		return E_INTERNAL;
	*out = p;
	*session_id = s.id;
	return E_OK;
}

/* Record a failed sign-in against the account and the client address. */
static enum app_err
login_failed(struct db *db, const char *acct, const char *addr, int64_t now)
{
	if (people_store_failure_add(db, acct, now) != E_OK ||
	    people_store_failure_add(db, addr, now) != E_OK)
		return E_INTERNAL;
	return E_UNAUTH;
}

enum app_err
people_login(struct app *app, struct db *db, struct arena *a,
	     const char *email_in, const char *password, const char *addr_in,
	     char **token)
{
	const struct cfg	*c = app->cfg;
	const char		*why;
	char			*email, *hash = NULL, *acct, *addr;
	int64_t			 now = now_unix(), person_id = 0, n;
	enum app_err		 rc;

	pthread_once(&dummy_once, dummy_init);
	if (people_email_normalise(a, email_in, &email, &why) != E_OK) {
		dummy_verify();
		return E_UNAUTH;
	}
	acct = arena_printf(a, "acct:%s", email);
	addr = arena_printf(a, "addr:%s", addr_in ? addr_in : "?");
	if (!acct || !addr)
		return E_TOOBIG;
	n = people_store_failures(db, acct, now - c->login_window);
	if (n < 0)
		return E_INTERNAL;
	if (n >= c->login_max_fail)
		return E_TOOMANY;
	n = people_store_failures(db, addr, now - c->login_window);
	if (n < 0)
		return E_INTERNAL;
	if (n >= c->login_max_fail_ip)
		return E_TOOMANY;

	rc = people_store_login_row(db, a, email, &person_id, &hash);
	if (rc != E_OK && rc != E_NOTFOUND)
		return rc;
	if (!password || strlen(password) > PASSWORD_MAX || !hash) {
		dummy_verify();
		return login_failed(db, acct, addr, now);
	}
	if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
		return login_failed(db, acct, addr, now);

	if (crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 1) {
		char fresh[crypto_pwhash_STRBYTES];

		if (password_hash(password, fresh) == 0)
			people_store_set_password(db, person_id, fresh, now);
	}
	if (people_store_failures_clear(db, acct, now - c->login_window) != E_OK)
		return E_INTERNAL;
	return session_start(db, a, person_id, token);
}

enum app_err
people_logout(struct app *app, struct db *db, int64_t session_id)
{
	(void)app;
	return people_store_session_end(db, session_id, now_unix());
}

/* Commit if rc is E_OK, else roll back; returns the final outcome. */
static enum app_err
finish(struct db *db, enum app_err rc)
{
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		db_rollback(db);
	return rc;
}

enum app_err
people_add(struct app *app, struct db *db, const char *name, const char *email_in,
	   const char *partnership, unsigned role, const char *password,
	   int64_t *id, const char **why)
{
	struct arena	*a = arena_new(1 << 20);
	char		*email, hash[crypto_pwhash_STRBYTES];
	int64_t		 pid = 0, now = now_unix();
	int		 own = 0;
	enum app_err	 rc;

	memset(hash, 0, sizeof(hash));
	rc = people_name_check(name, why);
	if (rc == E_OK)
		rc = people_email_normalise(a, email_in, &email, why);
	if (rc == E_OK && role && !role_name(role)) {
		*why = "unknown role";
		rc = E_INVALID;
	}
	if (rc == E_OK && password && (rc = people_password_check(password, why)) == E_OK &&
	    password_hash(password, hash) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		goto out;
	own = !db_in_tx(db);
	if (own && db_begin(db) < 0) {
		rc = E_INTERNAL;
		goto out;
	}
	if (partnership && *partnership) {
		rc = people_store_partnership_find(db, partnership, &pid);
		if (rc == E_NOTFOUND) {
			*why = "no partnership has that name";
			rc = E_INVALID;
		}
	}
	if (rc == E_OK) {
		rc = people_store_add(db, name, email, "", pid, now, id);
		if (rc == E_CONFLICT)
			*why = "someone already has that email address";
	}
	if (rc == E_OK && role)
		rc = people_store_role_add(db, app->event_id, *id, role_name(role));
	if (rc == E_OK && password)
		rc = people_store_set_password(db, *id, hash, now);
	if (own)
		rc = finish(db, rc);
out:
	sodium_memzero(hash, sizeof(hash));
	arena_free(a);
	return rc;
}

enum app_err
people_role_set(struct app *app, struct db *db, int64_t person_id, unsigned role, int on)
{
	const char *name = role_name(role);

	if (!name)
		return E_INVALID;
	return on ? people_store_role_add(db, app->event_id, person_id, name)
		  : people_store_role_remove(db, app->event_id, person_id, name);
}

enum app_err
people_find_email(struct app *app, struct db *db, struct arena *a,
		  const char *email_in, struct person *p)
{
	const char	*why;
	char		*email;

	if (people_email_normalise(a, email_in, &email, &why) != E_OK)
		return E_NOTFOUND;
	return people_store_by_email(db, a, app->event_id, email, p);
}

enum app_err
people_get(struct app *app, struct db *db, struct arena *a, int64_t person_id, struct person *p)
{
	return people_store_get(db, a, app->event_id, person_id, p);
}

enum app_err
people_each(struct app *app, struct db *db, struct arena *a,
	    void (*fn)(void *arg, const struct person *p), void *arg)
{
	return people_store_each(db, a, app->event_id, fn, arg);
}

enum app_err
people_token_new(struct app *app, struct db *db, struct arena *a,
		 int64_t person_id, const char *purpose, char **token)
{
	char		tok[TOKEN_B64], hash[HASH_HEX];
	int64_t		now = now_unix(), ttl;
	enum app_err	rc;

	(void)app;
	if (strcmp(purpose, "reset") == 0)
		ttl = 24 * 3600;
	else if (strcmp(purpose, "invite") == 0)
		ttl = 14 * 24 * 3600;
	else
		BUG("unknown token purpose '%s'", purpose);
	token_make(tok, hash);
	rc = people_store_token_add(db, person_id, hash, purpose, now, now + ttl);
	if (rc == E_OK && !(*token = arena_strdup(a, tok)))
		rc = E_TOOBIG;
	return rc;
}

enum app_err
people_token_check(struct app *app, struct db *db, struct arena *a,
		   const char *token, struct person *p)
{
	char		hash[HASH_HEX], purpose[16];
	int64_t		person_id;
	enum app_err	rc;

	if (token_hash(token, hash) < 0)
		return E_NOTFOUND;
	rc = people_store_token_get(db, hash, now_unix(), &person_id, purpose, sizeof(purpose));
	if (rc != E_OK)
		return rc;
	return people_store_get(db, a, app->event_id, person_id, p);
}

/* Set a new password, end every session of the person and start one for
 * this browser; runs inside the caller's transaction. */
static enum app_err
password_set(struct db *db, struct arena *a, int64_t person_id,
	     const char hash[crypto_pwhash_STRBYTES], char **session_token)
{
	int64_t		now = now_unix();
	enum app_err	rc;

	rc = people_store_set_password(db, person_id, hash, now);
	if (rc == E_OK)
		rc = people_store_sessions_end_all(db, person_id, now);
	if (rc == E_OK)
		rc = session_start(db, a, person_id, session_token);
	return rc;
}

enum app_err
people_token_use(struct app *app, struct db *db, struct arena *a,
		 const char *token, const char *password, char **session_token,
		 const char **why)
{
	char		th[HASH_HEX], hash[crypto_pwhash_STRBYTES];
	int64_t		person_id;
	enum app_err	rc;

	(void)app;
	if (token_hash(token, th) < 0)
		return E_NOTFOUND;
	rc = people_password_check(password, why);
	if (rc != E_OK)
		return rc;
	if (password_hash(password, hash) < 0)
		return E_INTERNAL;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = people_store_token_use(db, th, now_unix(), &person_id);
	if (rc == E_OK)
		rc = password_set(db, a, person_id, hash, session_token);
	sodium_memzero(hash, sizeof(hash));
	return finish(db, rc);
}

enum app_err
people_password_change(struct app *app, struct db *db, struct arena *a,
		       int64_t person_id, const char *current, const char *password,
		       char **session_token, const char **why)
{
	struct person	 p;
	char		*old = NULL, hash[crypto_pwhash_STRBYTES];
	int64_t		 id;
	enum app_err	 rc;

	rc = people_store_get(db, a, app->event_id, person_id, &p);
	if (rc == E_OK)
		rc = people_store_login_row(db, a, p.email, &id, &old);
	if (rc != E_OK)
		return rc;
	if (!old || !current || strlen(current) > PASSWORD_MAX ||
	    crypto_pwhash_str_verify(old, current, strlen(current)) != 0) {
		*why = "the current password is not right";
		return E_FORBIDDEN;
	}
	rc = people_password_check(password, why);
	if (rc != E_OK)
		return rc;
	if (password_hash(password, hash) < 0)
		return E_INTERNAL;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = password_set(db, a, person_id, hash, session_token);
	sodium_memzero(hash, sizeof(hash));
	return finish(db, rc);
}

enum app_err
people_partnership_add(struct app *app, struct db *db, const char *name,
		       const char *region, const char *area, int64_t *id)
{
	const char *why;

	(void)app;
	if (people_name_check(name, &why) != E_OK)
		return E_INVALID;
	return people_store_partnership_add(db, name, region, area, now_unix(), id);
}

enum app_err
people_partnerships(struct app *app, struct db *db, struct arena *a,
		    struct people_partnership **out, size_t *n)
{
	return people_store_partnerships(db, a, app->event_id, out, n);
}

enum app_err
people_partnership_get(struct app *app, struct db *db, struct arena *a,
		       int64_t id, struct people_partnership *out)
{
	struct people_partnership	*all;
	size_t				 n, i;
	enum app_err			 rc;

	rc = people_store_partnerships(db, a, app->event_id, &all, &n);
	if (rc != E_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (all[i].id == id) {
			*out = all[i];
			return E_OK;
		}
	}
	return E_NOTFOUND;
}

enum app_err
people_partnership_rename(struct app *app, struct db *db, int64_t id,
			  const char *name, const char **why)
{
	struct arena			*a = arena_new(1 << 20);
	struct people_partnership	 p;
	enum app_err			 rc;

	rc = people_name_check(name, why);
	if (rc == E_OK)
		rc = people_partnership_get(app, db, a, id, &p);
	if (rc == E_OK) {
		rc = people_store_partnership_rename(db, id, name);
		if (rc == E_CONFLICT)
			*why = "another partnership has that name";
	}
	arena_free(a);
	return rc;
}

enum app_err
people_partnership_merge(struct app *app, struct db *db, int64_t from, int64_t into)
{
	struct arena			*a = arena_new(1 << 20);
	struct people_partnership	 p;
	enum app_err			 rc = E_OK;

	if (from == into)
		rc = E_INVALID;
	if (rc == E_OK)
		rc = people_partnership_get(app, db, a, from, &p);
	if (rc == E_OK)
		rc = people_partnership_get(app, db, a, into, &p);
	arena_free(a);
	if (rc != E_OK)
		return rc;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	return finish(db, people_store_partnership_merge(db, from, into));
}

enum app_err
people_of_partnership(struct app *app, struct db *db, struct arena *a,
		      int64_t partnership_id,
		      void (*fn)(void *arg, const struct person *p), void *arg)
{
	return people_store_of_partnership(db, a, app->event_id, partnership_id, fn, arg);
}

enum app_err
people_invite_list(struct app *app, struct db *db, struct arena *a,
		   struct invite **out, size_t *n)
{
	return people_store_pending(db, a, app->event_id, out, n);
}

enum app_err
people_invite_issue(struct app *app, struct db *db, struct arena *a,
		    struct invite **out, size_t *n)
{
	int64_t		now = now_unix();
	size_t		i;
	char		*tok;
	enum app_err	rc;

	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = people_store_pending(db, a, app->event_id, out, n);
	for (i = 0; rc == E_OK && i < *n; i++) {
		rc = people_store_invites_revoke(db, (*out)[i].person_id, now);
		if (rc == E_OK)
			rc = people_token_new(app, db, a, (*out)[i].person_id, "invite", &tok);
		if (rc == E_OK)
			rc = people_store_invited(db, (*out)[i].person_id, now);
		if (rc == E_OK) {
			(*out)[i].token = tok;
			(*out)[i].invited_at = now;
		}
	}
	return finish(db, rc);
}

int
people_token_is_invite(struct app *app, struct db *db, const char *token)
{
	char	hash[HASH_HEX], purpose[16];
	int64_t	person_id;

	(void)app;
	if (token_hash(token, hash) < 0)
		return 0;
	if (people_store_token_get(db, hash, now_unix(), &person_id, purpose,
	    sizeof(purpose)) != E_OK)
		return 0;
	return strcmp(purpose, "invite") == 0;
}

enum app_err
people_token_accept(struct app *app, struct db *db, struct arena *a,
		    const char *token, const char *password, int consent,
		    char **session_token, const char **why)
{
	char		th[HASH_HEX], hash[crypto_pwhash_STRBYTES], purpose[16];
	int64_t		person_id, now = now_unix();
	enum app_err	rc;

	(void)app;
	if (token_hash(token, th) < 0)
		return E_NOTFOUND;
	rc = people_store_token_get(db, th, now, &person_id, purpose, sizeof(purpose));
	if (rc != E_OK)
		return rc;
	if (strcmp(purpose, "invite") == 0 && !consent) {
		*why = "tick the box to accept the privacy notice";
		return E_INVALID;
	}
	rc = people_password_check(password, why);
	if (rc != E_OK)
		return rc;
	if (password_hash(password, hash) < 0)
		return E_INTERNAL;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = people_store_token_use(db, th, now, &person_id);
	if (rc == E_OK)
		rc = password_set(db, a, person_id, hash, session_token);
	if (rc == E_OK && consent)
		rc = people_store_consent(db, person_id, now);
	sodium_memzero(hash, sizeof(hash));
	return finish(db, rc);
}

enum app_err
people_listing_get(struct app *app, struct db *db, struct arena *a,
		   int64_t person_id, int *listed, const char **job_title)
{
	(void)app;
	return people_store_listing_get(db, a, person_id, listed, job_title);
}

enum app_err
people_listing_set(struct app *app, struct db *db, int64_t person_id,
		   int listed, const char *job_title, const char **why)
{
	size_t n = job_title ? strlen(job_title) : 0, chars;

	(void)app;
	chars = utf8_len(job_title ? job_title : "", n);
	if (chars == (size_t)-1 || chars > NAME_MAX_CHARS ||
	    utf8_has_controls(job_title ? job_title : "", n, 1)) {
		*why = "use at most 200 characters on one line";
		return E_INVALID;
	}
	return people_store_listing_set(db, person_id, listed, job_title);
}

enum app_err
people_directory(struct app *app, struct db *db, struct arena *a,
		 struct people_listing **out, size_t *n)
{
	return people_store_directory(db, a, app->event_id, out, n);
}

enum app_err
people_data_json(struct app *app, struct db *db, struct arena *a,
		 int64_t person_id, struct buf *b)
{
	(void)a;
	return people_store_data_json(db, app->event_id, person_id, b);
}

enum app_err
people_erase(struct app *app, struct db *db, int64_t by, int64_t person_id,
	     enum app_err (*also)(struct app *app, struct db *db, int64_t person_id))
{
	enum app_err rc;

	if (by == person_id)
		return E_FORBIDDEN;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = also ? also(app, db, person_id) : E_OK;
	if (rc == E_OK)
		rc = people_store_erase(db, person_id);
	return finish(db, rc);
}
