/* session.c - the session layer, run before every handler that is not a
 * static file: the session cookie becomes req->person (people_session_
 * resolve does the looking up; a stale cookie is cleared), every response
 * gets the CSRF token its forms need (for a visitor, bound to a random
 * pre-session cookie made here), and a flash message left by a redirect is
 * taken once.  It must not decide who may do what: route flags do that. */
#include "http_int.h"
#include "session.h"
#include "../core/arena.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../feat/people/people.h"
#include "form.h"

#include <sodium.h>

#define PRE_SESSION_BYTES	32
#define TOKEN_B64_LEN		43	/* base64url of 32 bytes, no padding */

const char *
http_session_cookie(const struct app *app)
{
	return app->tls ? "__Host-colead" : "colead";
}

/* Does s look like 32 bytes in base64url without padding? */
static int
token_shaped(const char *s)
{
	size_t i;

	if (!s || strlen(s) != TOKEN_B64_LEN)
		return 0;
	for (i = 0; i < TOKEN_B64_LEN; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* A new random pre-session value (32 bytes, base64url) in the arena. */
static char *
pre_session_new(struct arena *a)
{
	unsigned char	 raw[PRE_SESSION_BYTES];
	size_t		 len = sodium_base64_ENCODED_LEN(sizeof(raw),
				sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char		*out = arena_alloc(a, len);

	if (!out)
		return NULL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, len, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* Take the flash cookie ("kind|message", percent-encoded) into
 * req->flash, and delete it.  Only for page requests: a JSON or htmx
 * request would swallow a message the person never sees. */
static void
take_flash(struct req *req, struct resp *resp)
{
	const char	*raw = req_cookie(req, FLASH_COOKIE);
	char		*v, *bar;
	size_t		 n;

	if (!raw)
		return;
	if (strcmp(req->method, "GET") != 0 ||
	    req_wants_json(req) || req_header(req, "HX-Request"))
		return;
	resp_cookie(req, resp, FLASH_COOKIE, "", 0);
	if (strlen(raw) > FLASH_MAX || str_urldecode(req->arena, raw, strlen(raw), 0, &v, &n) < 0)
		return;
	bar = strchr(v, '|');
	if (!bar || !form_text_ok(v, n, 0))
		return;
	*bar = '\0';
	if (strcmp(v, "ok") != 0 && strcmp(v, "error") != 0)
		return;
	req->flash_kind = v;
	req->flash = bar + 1;
}

int
session_run(struct req *req, struct resp *resp)
{
	const char	*name = http_session_cookie(req->app);
	const char	*tok = req_cookie(req, name);
	struct person	*person = NULL;
	int64_t		 sid = 0;

	if (tok && *tok) {
		enum app_err rc = people_session_resolve(req->app, req->db, req->arena,
							 tok, &person, &sid);

		switch (rc) {
		case E_OK:
			break;
		case E_UNAUTH:
		case E_NOTFOUND:
		case E_INVALID:
		case E_FORBIDDEN:
		case E_CLOSED:
			/* unknown, expired or revoked: a visitor, and the
			 * cookie goes */
			person = NULL;
			sid = 0;
			resp_cookie(req, resp, name, "", 0);
			break;
		case E_INTERNAL:
		case E_CONFLICT:
		case E_TOOMANY:
		case E_TOOBIG:
			return error("cannot resolve the session (%s)", app_err_name(rc));
		}
	}
	req->person = person;
	req->session_id = sid;
	if (person) {
		req->csrf = csrf_token(req, "s:", tok);
	} else {
		const char *pre = req_cookie(req, PRE_SESSION_COOKIE);

		if (!token_shaped(pre)) {
			pre = pre_session_new(req->arena);
			if (!pre)
				return error("request arena full making the pre-session cookie");
			resp_cookie(req, resp, PRE_SESSION_COOKIE, pre, -1);
		}
		req->csrf = csrf_token(req, "p:", pre);
	}
	if (!req->csrf)
		return error("request arena full making the csrf token");
	take_flash(req, resp);
	return 0;
}
