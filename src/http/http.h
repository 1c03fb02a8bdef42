/* http.h - what handlers see of HTTP: the request, the response, route
 * tables.  Only http/server.c includes libmicrohttpd; everything else works
 * on these structures.  A request owns an arena that lives until its
 * response has been sent: everything a handler allocates for the request
 * comes from req->arena. */
#ifndef COLEAD_HTTP_H
#define COLEAD_HTTP_H

#include "../core/core.h"
#include "../core/buf.h"
#include "../app.h"

struct arena;
struct db;
struct tv;
struct person;
struct live_sub;

enum http_status {
	HTTP_OK = 200,
	HTTP_CREATED = 201,
	HTTP_NO_CONTENT = 204,
	HTTP_NOT_MODIFIED = 304,
	HTTP_SEE_OTHER = 303,
	HTTP_BAD_REQUEST = 400,
	HTTP_UNAUTHORIZED = 401,
	HTTP_FORBIDDEN = 403,
	HTTP_NOT_FOUND = 404,
	HTTP_METHOD_NOT_ALLOWED = 405,
	HTTP_CONFLICT = 409,
	HTTP_TOO_LARGE = 413,
	HTTP_UNPROCESSABLE = 422,
	HTTP_TOO_MANY = 429,
	HTTP_INTERNAL = 500,
	HTTP_UNAVAILABLE = 503
};

/* One name=value pair: a form field, query field, cookie or path param.
 * Values are decoded, NUL-terminated, valid UTF-8 (the adapter refuses a
 * request whose fields are not, with 422). */
struct kv {
	const char	*name;
	const char	*value;
	size_t		 len;
	struct kv	*next;
};

/* One uploaded file from a multipart/form-data body. */
struct upload {
	const char	*field;
	const char	*filename;	/* as sent; never use it as a path */
	const char	*content_type;	/* as sent; check the bytes instead */
	const unsigned char *data;
	size_t		 len;
	struct upload	*next;
};

struct req {
	struct app	*app;
	struct arena	*arena;
	struct db	*db;		/* this worker's connection */
	const char	*method;	/* "GET", "POST", ... ("HEAD" runs the GET route) */
	const char	*path;		/* decoded path, no query */
	const char	*query;		/* raw query string, "" if none */
	const char	*remote_addr;	/* client address, for throttling and logs */
	struct kv	*params;	/* :name parts of the route pattern */
	struct kv	*qs;		/* query string fields */
	struct kv	*form;		/* urlencoded or multipart fields */
	struct upload	*uploads;
	struct kv	*cookies;
	const struct route *route;
	void		*conn;		/* adapter private */

	/* Filled by the session layer before the handler runs. */
	struct person	*person;	/* NULL for a visitor */
	int64_t		 session_id;	/* 0 for a visitor */
	const char	*csrf;		/* token for forms on this response */
	const char	*flash;		/* one-time message carried over a redirect */
	const char	*flash_kind;	/* "ok" or "error" */
};

struct resp_header {
	const char	*name;
	const char	*value;
	struct resp_header *next;
};

struct resp {
	int		 status;
	const char	*content_type;	/* default "text/html; charset=utf-8" */
	struct buf	 body;		/* capped; toobig becomes a 500 */
	struct resp_header *headers;
	const char	*cache;		/* Cache-Control; default "no-store" for pages */
	int		 no_gzip;
};

/* Route flags: what every route of a kind needs, so a handler cannot forget
 * it.  Role flags are any-of: ROUTE_ORGANISER | ROUTE_FACILITATOR lets
 * either in.  A role flag implies ROUTE_LOGIN. */
enum route_flags {
	ROUTE_LOGIN		= 1 << 0,	/* signed in, else redirect to /login (pages) or 401 */
	ROUTE_CSRF		= 1 << 1,	/* valid CSRF token and same Origin, else 403 */
	ROUTE_ORGANISER		= 1 << 2,
	ROUTE_FACILITATOR	= 1 << 3,
	ROUTE_SPEAKER		= 1 << 4,
	ROUTE_PARTICIPANT	= 1 << 5,
	ROUTE_LEAD		= 1 << 6,
	ROUTE_JSON		= 1 << 7,	/* errors answered as JSON, not the error page */
	ROUTE_PREFIX		= 1 << 8	/* pattern's last segment "*" matches the rest (static files) */
};
#define ROUTE_ROLES (ROUTE_ORGANISER | ROUTE_FACILITATOR | ROUTE_SPEAKER | ROUTE_PARTICIPANT | ROUTE_LEAD)

typedef enum http_status (*route_fn)(struct req *req, struct resp *resp);

struct route {
	const char	*method;	/* "GET" or "POST" (forms); NULL ends a table */
	const char	*pattern;	/* "/sessions/:id/star" */
	route_fn	 fn;
	unsigned	 flags;
};

/* Request helpers.  Lookups return NULL when absent. */
const char	*req_param(const struct req *req, const char *name);
int		 req_param_int(const struct req *req, const char *name, int64_t *out);	/* -1 if absent or not an integer */
const char	*req_query(const struct req *req, const char *name);
const char	*req_form(const struct req *req, const char *name);
/* A form field trimmed of surrounding white space; "" if absent. */
const char	*req_form_trim(const struct req *req, const char *name);
const struct upload *req_upload(const struct req *req, const char *field);
const char	*req_cookie(const struct req *req, const char *name);
const char	*req_header(const struct req *req, const char *name);
/* Is the request asking for JSON (Accept or a ROUTE_JSON route)? */
int		 req_wants_json(const struct req *req);

/* Response helpers. */
void		 resp_header(struct resp *resp, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/, and Secure when the app
 * is served over TLS.  max_age < 0: session cookie; 0: delete. */
void		 resp_cookie(struct req *req, struct resp *resp, const char *name, const char *value, int64_t max_age);
/* 303 to a local path (must start with "/" and not "//"). */
enum http_status resp_redirect(struct resp *resp, const char *location);
/* Redirect carrying a one-time flash message shown on the next page. */
enum http_status resp_redirect_flash(struct req *req, struct resp *resp, const char *location, const char *kind, const char *msg);
/* Send a JSON body already built in resp->body. */
enum http_status resp_json(struct resp *resp, enum http_status status);
/* Answer with a Server-Sent-Event stream fed by sub (live_hub.h):
 * text/event-stream, no gzip, no caching.  The adapter owns sub from here
 * and frees it when the stream ends; the connection costs no worker while
 * nothing is waiting (http/sse.c).  Returns HTTP_OK. */
enum http_status resp_stream(struct req *req, struct resp *resp, struct live_sub *sub);

/* Answer later: the handler has handed work to another thread (which
 * calls req_resume(req) exactly once when it is done, possibly before
 * this returns) and returns what this returns.  The connection is parked
 * without a worker thread meanwhile; then finish(req, resp, arg) runs on
 * the request's own thread and answers as a handler would.  Until then
 * nothing but that other thread's req_resume() may touch req or resp, and
 * arg must live in req->arena or longer.  Returns HTTP_OK. */
enum http_status resp_later(struct req *req, enum http_status (*finish)(struct req *req,
			    struct resp *resp, void *arg), void *arg);
/* The work behind resp_later() is done: any thread, once (server.c). */
void		 req_resume(struct req *req);

/* The one place app_err becomes an HTTP status (a switch without default). */
enum http_status http_status_for(enum app_err e);
const char	*http_reason(int status);

/* Render template `name` inside the page layout into resp (status 200
 * unless resp->status was set).  The layout adds the event name, menu,
 * the signed-in person, the CSRF token, and the flash.  `title` is the
 * page title (escaped).  v may be NULL. */
enum http_status view_render(struct req *req, struct resp *resp, const char *name, const char *title, struct tv *v);
/* Render the error page for status with an optional plain message. */
enum http_status view_error(struct req *req, struct resp *resp, int status, const char *message);

/* Rendered pages kept for visitors (pagecache.c), keyed by a name (the
 * path, or a key that also covers what the page shows besides the
 * programme) and the schedule version.  get copies a hit into out and
 * returns 1; 0 on a miss (an entry of another version, or older than
 * PAGE_CACHE_TTL seconds, is a miss: the layout around the page, such as
 * the site's menu, may change without the schedule changing).  put
 * replaces the entry for key.  Thread-safe; at most PAGE_CACHE_SLOTS
 * pages are kept (past them, pages are not cached). */
#define PAGE_CACHE_SLOTS	16
#define PAGE_CACHE_TTL		10
int		 page_cache_get(const char *key, int64_t version, struct buf *out);
void		 page_cache_put(const char *key, int64_t version, const char *data, size_t len);
/* Forget every kept page (this process's only: others age out within
 * PAGE_CACHE_TTL). */
void		 page_cache_clear(void);

/* Cookie names: the session cookie is "__Host-colead" over TLS, else
 * "colead". */
const char	*http_session_cookie(const struct app *app);

/* Serve until SIGTERM/SIGINT: requests in flight finish, then the server
 * stops.  Prints "listening on http://HOST:PORT" (the real port when 0 was
 * asked) as the first line on stdout.  Returns 0, or -1 if it could not
 * start. */
int		 http_serve(struct app *app);

#endif
