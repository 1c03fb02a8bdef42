/* http_int.h - private to src/http/: the adapter's per-request state and
 * the steps of the request pipeline.  Nothing outside src/http/ includes
 * it, and nothing here names the HTTP library: server.c fills a struct
 * http_conn from libmicrohttpd and sends what the pipeline leaves in it. */
#ifndef COLEAD_HTTP_INT_H
#define COLEAD_HTTP_INT_H

#include "../core/core.h"
#include "../core/buf.h"
#include "http.h"

struct arena;

/* A route flag only the adapter's own routes use: no database connection,
 * no session layer, no cookies set (static files). */
#define ROUTE_BARE	(1u << 16)

#define REQ_ARENA_MAX	(32u << 20)	/* arena cap on top of the body cap */
#define REQ_HEADERS_MAX	(8u << 10)	/* bytes of request headers (431 past it); see CONN_MEMORY */
#define REQ_NHEADERS_MAX 100		/* request header lines (431 past it) */
#define RESP_BODY_MAX	(16u << 20)	/* a handler's response body (500 past it) */
#define GZIP_MIN	1024		/* smaller bodies are sent as they are */

/* One request as the pipeline sees it.  req.conn points back here.  The
 * adapter allocates it, fills the request part, runs http_dispatch() and
 * sends the response part; http_conn_release() frees everything. */
struct http_conn {
	struct req	 req;
	struct resp	 resp;
	struct kv	*headers;	/* request headers in order, names as sent */
	const char	*raw_path;	/* as sent: percent-encoded, no query */
	const char	*body;		/* request body (NULL if none) */
	size_t		 body_len;
	int64_t		 start_ms;
	const char	*err_msg;	/* for the error page, set with the status */

	/* The response as it goes on the wire, set by http_finish(). */
	int		 status;
	const void	*out;		/* bytes to send (not for HEAD) */
	size_t		 out_len;
	const void	*fixed;		/* a handler's body outside resp.body (static files) */
	size_t		 fixed_len;
	int		 fixed_gzip;	/* fixed is already gzip-encoded */
	void		*out_free;	/* malloc'd memory behind out, if any */
	struct live_sub	*stream;	/* resp_stream(): an event stream, freed by the adapter */
	/* resp_later(): finish runs once req_resume() was called */
	enum http_status (*later)(struct req *req, struct resp *resp, void *arg);
	void		*later_arg;
	int		 later_state;	/* enum http_later_state, under the adapter's lock */
};

enum http_later_state { LATER_WAITING, LATER_PARKED, LATER_DONE };

/* Set up c (zeroed by the caller) for one request of app: a fresh arena
 * (limit REQ_ARENA_MAX plus the largest body cap), an empty response,
 * req.conn = c, the method "GET" until http_conn_set_method.  raw_uri (the
 * request target: path and query, percent-encoded) is copied.  Returns 0,
 * or -1 for a target that is not an origin-form path ("/..."): c is still
 * usable (path "/") so the caller can answer 400. */
int	http_conn_init(struct http_conn *c, struct app *app, const char *raw_uri);
void	http_conn_set_method(struct http_conn *c, const char *method);
/* Free what c owns (arena, response headers and body); c itself is the
 * caller's. */
void	http_conn_release(struct http_conn *c);
/* Append a request header (copied into the arena).  -1 if it is full. */
int	http_conn_add_header(struct http_conn *c, const char *name, const char *value);
/* The body cap for a request with this Content-Type: cfg.body_max, plus
 * cfg.upload_max for multipart/form-data. */
size_t	http_body_cap(const struct app *app, const char *content_type);

/* Run the whole pipeline on a received request (c->body set): parse,
 * session, route, flags, handler, error page; then http_finish(). */
/* Run the pipeline for c.  If the handler answers later (c->later set)
 * nothing is finished yet: the adapter parks c until req_resume() and then
 * calls http_dispatch_later(). */
void	http_dispatch(struct http_conn *c);
void	http_dispatch_later(struct http_conn *c);
/* Answer c with status and the error page (or JSON error) saying message
 * (NULL: the reason phrase), then http_finish().  For requests refused
 * before the pipeline runs (body too large, headers too large). */
void	http_answer_error(struct http_conn *c, int status, const char *message);
/* Turn c->resp into what goes on the wire: status, headers (content type,
 * cache, security headers, Vary, Content-Encoding), body, gzip. */
void	http_finish(struct http_conn *c, int status);

/* Does this Accept-Encoding value accept gzip (q > 0)? */
int	http_accepts_gzip(const char *accept_encoding);
/* Is a response of this Content-Type worth compressing? */
int	http_compressible(const char *content_type);
/* gzip-encode in[0..n) at level (1..9) into *out (malloc'd).  Returns 0,
 * or -1 (logged) if zlib failed. */
int	http_gzip(const void *in, size_t n, int level, unsigned char **out, size_t *outlen);

/* The session layer: resolve the session cookie into req->person and
 * req->session_id (clearing a stale cookie), set req->csrf (making the
 * pre-session cookie for a visitor), and take the flash message.  Needs
 * req->db.  Returns 0, or -1 on an internal error (500). */
int	session_run(struct req *req, struct resp *resp);

/* ROUTE_CSRF: does the request carry this response's CSRF token (form
 * field or header) and, if it has an Origin or Referer, come from this
 * site?  1 yes, 0 no. */
int	csrf_check(struct req *req);
/* Does origin ("scheme://host[:port]", or a URL starting so) name this
 * site: the request's own origin (scheme from app->tls, Host header) or
 * the origin of cfg.base_url?  1 yes, 0 no. */
int	csrf_origin_ok(const struct req *req, const char *origin);
/* base64url(HMAC-SHA-256(app->secret, prefix + value)) in the arena. */
char	*csrf_token(struct req *req, const char *prefix, const char *value);

/* The per-person posting limit (ratelimit.c): may session_id make one
 * more state-changing request in the minute of now?  1 yes (and counted),
 * 0 no.  per_minute <= 0 or a visitor (session_id 0) is always yes. */
int	http_rate_ok(int64_t session_id, int64_t per_minute, int64_t now);

/* Build the static-file table (ETags, gzip) once; http_serve calls it
 * before serving, the handler calls it again harmlessly. */
void	static_init(void);

/* Free a response's header list. */
void	resp_headers_free(struct resp *resp);

#endif
