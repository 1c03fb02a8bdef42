/* session.h - what the session layer offers features: the CSRF token that
 * goes with a session cookie.  The layer itself (resolving the cookie to a
 * person, the pre-session cookie, the flash message) runs inside the
 * adapter before every handler; see docs/internals/http.md. */
#ifndef COLEAD_HTTP_SESSION_H
#define COLEAD_HTTP_SESSION_H

#include "http.h"

#define PRE_SESSION_COOKIE	"colead_pre"
#define FLASH_COOKIE		"colead_flash"
#define FLASH_MAX		300	/* bytes of the encoded cookie value */
#define CSRF_FIELD		"_csrf"
#define CSRF_HEADER		"X-CSRF-Token"

/* The CSRF token for forms of a request signed in with session_token (the
 * session cookie's value): base64url(HMAC-SHA-256(app->secret, "s:" +
 * token)), in req->arena.  A login handler that has just set a new session
 * cookie uses it to put the right token on the page it renders.  NULL only
 * if the arena is full. */
const char	*csrf_token_for_session(struct req *req, const char *session_token);

#endif
