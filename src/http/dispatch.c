/* dispatch.c - the request pipeline, from a received request to the bytes
 * of its response, without knowing the HTTP library: decode and check the
 * path, query, cookies and body; take a database connection; run the
 * session layer; route; apply the route's flags (login, roles, CSRF); run
 * the handler; turn an empty error into the error page; add the headers
 * every response carries; gzip.  A handler only ever sees a request whose
 * fields passed every check here.  Error pages never show internals: the
 * messages below are the only words a client gets. */
#include "http_int.h"
#include "form.h"
#include "router.h"
#include "session.h"
#include "../core/arena.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feat/people/people.h"

#define ZLIB_CONST
#include <zlib.h>

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; object-src 'none'; base-uri 'self'; " \
	"form-action 'self'; frame-ancestors 'none'"

#define MSG_CSRF	"the form has expired or came from another site; reload the page and try again"
#define MSG_TEXT	"the form contains text that is not valid UTF-8 or has control characters"
#define MSG_MALFORMED	"the request is malformed"
#define MSG_BADFORM	"the form data is malformed"
#define MSG_TOOBIG	"the form or one of its files is too large"

int
http_conn_init(struct http_conn *c, struct app *app, const char *raw_uri)
{
	size_t		 limit = REQ_ARENA_MAX;
	const char	*q;
	char		*query;
	int		 rc = 0;

	if (app->cfg)
		limit += (size_t)app->cfg->body_max + (size_t)app->cfg->upload_max;
	c->req.app = app;
	c->req.arena = arena_new(limit);
	c->req.conn = c;
	c->req.method = "GET";
	c->req.remote_addr = "";
	buf_init(&c->resp.body, RESP_BODY_MAX);
	c->start_ms = now_ms();
	if (!raw_uri || raw_uri[0] != '/') {
		raw_uri = "/";
		rc = -1;
	}
	q = strchr(raw_uri, '?');
	c->raw_path = q ? arena_strndup(c->req.arena, raw_uri, (size_t)(q - raw_uri)) :
			  arena_strdup(c->req.arena, raw_uri);
	query = arena_strdup(c->req.arena, q ? q + 1 : "");
	if (query)	/* a fragment is never sent by browsers; drop one if it is */
		query[strcspn(query, "#")] = '\0';
	c->req.query = query;
	if (!c->raw_path || !c->req.query) {	/* a target past the arena cap */
		c->raw_path = "/";
		c->req.query = "";
		rc = -1;
	}
	c->req.path = c->raw_path;
	return rc;
}

void
http_conn_set_method(struct http_conn *c, const char *method)
{
	char *m = arena_strdup(c->req.arena, method);

	c->req.method = m ? m : "GET";
}

void
http_conn_release(struct http_conn *c)
{
	resp_headers_free(&c->resp);
	buf_release(&c->resp.body);
	free(c->out_free);
	c->out_free = NULL;
	arena_free(c->req.arena);
	c->req.arena = NULL;
}

int
http_conn_add_header(struct http_conn *c, const char *name, const char *value)
{
	struct kv	*kv = arena_alloc(c->req.arena, sizeof(*kv));
	struct kv	**tail = &c->headers;

	if (!kv)
		return -1;
	kv->name = arena_strdup(c->req.arena, name);
	kv->value = arena_strdup(c->req.arena, value ? value : "");
	if (!kv->name || !kv->value)
		return -1;
	kv->len = strlen(kv->value);
	while (*tail)
		tail = &(*tail)->next;
	*tail = kv;
	return 0;
}

size_t
http_body_cap(const struct app *app, const char *content_type)
{
	size_t cap = (size_t)app->cfg->body_max;

	if (form_type_is(content_type, "multipart/form-data"))
		cap += (size_t)app->cfg->upload_max;
	return cap;
}

/* Record the message for the error page and return status. */
static int
fail(struct http_conn *c, int status, const char *message)
{
	c->err_msg = message;
	return status;
}

/* Status for a form parser's error: like http_status_for, E_INVALID is
 * 422 (the fields cannot be processed), E_TOOBIG 413. */
static int
parse_fail(struct http_conn *c, enum app_err rc)
{
	if (rc == E_TOOBIG)
		return fail(c, HTTP_TOO_LARGE, MSG_TOOBIG);
	return fail(c, HTTP_UNPROCESSABLE, MSG_BADFORM);
}

/* Parse the body of a POST by its Content-Type into req->form and
 * req->uploads.  Returns 0, or an error status. */
static int
parse_body(struct http_conn *c)
{
	struct req		*req = &c->req;
	const char		*ct = req_header(req, "Content-Type");
	const struct upload	*u;
	enum app_err		 rc;

	if (strcmp(req->method, "POST") != 0)
		return 0;	/* a body on GET means nothing here */
	if (form_type_is(ct, "application/x-www-form-urlencoded")) {
		rc = form_parse_urlencoded(req->arena, c->body ? c->body : "", c->body_len,
					   &req->form);
	} else if (form_type_is(ct, "multipart/form-data")) {
		char *boundary = form_boundary(req->arena, ct);

		if (!boundary)
			return fail(c, HTTP_UNPROCESSABLE, MSG_BADFORM);
		rc = form_parse_multipart(req->arena, boundary, c->body ? c->body : "",
					  c->body_len, (size_t)req->app->cfg->upload_max,
					  &req->form, &req->uploads);
	} else if (c->body_len == 0) {
		return 0;
	} else {
		return fail(c, 415, "this address accepts form submissions only");
	}
	if (rc != E_OK)
		return parse_fail(c, rc);
	if (form_check_fields(req->form))
		return fail(c, HTTP_UNPROCESSABLE, MSG_TEXT);
	for (u = req->uploads; u; u = u->next)
		if (!form_text_ok(u->field, strlen(u->field), 1) ||
		    !form_text_ok(u->filename, strlen(u->filename), 1) ||
		    !form_text_ok(u->content_type, strlen(u->content_type), 1))
			return fail(c, HTTP_UNPROCESSABLE, MSG_TEXT);
	return 0;
}

/* Parse every Cookie header and the query string.  Returns 0 or an error
 * status. */
static int
parse_cookies_query(struct http_conn *c)
{
	struct req	*req = &c->req;
	const struct kv	*h;
	enum app_err	 rc;

	for (h = c->headers; h; h = h->next)
		if (str_case_eq(h->name, "Cookie") &&
		    cookie_parse(req->arena, h->value, &req->cookies) < 0)
			return fail(c, 431, "the request headers are too large");
	rc = form_parse_urlencoded(req->arena, req->query, strlen(req->query), &req->qs);
	if (rc == E_TOOBIG)
		return fail(c, 414, "the address is too long");
	if (rc != E_OK)
		return fail(c, HTTP_UNPROCESSABLE, MSG_BADFORM);
	if (form_check_fields(req->qs))
		return fail(c, HTTP_UNPROCESSABLE, MSG_TEXT);
	return 0;
}

/* Has the signed-in person one of the roles the route's flags ask for?
 * ROLE_X == ROUTE_X >> 2 (people.h). */
static int
has_role(const struct req *req, unsigned flags)
{
	unsigned want = (flags & ROUTE_ROLES) >> 2;

	return req->person && (req->person->roles & want) != 0;
}

/* Send a visitor to the login page, to come back to this page after. */
static int
to_login(struct http_conn *c)
{
	struct req	*req = &c->req;
	struct buf	 b;
	const char	*loc;

	buf_init(&b, 4096);
	buf_adds(&b, "/login?next=");
	buf_add_urlenc(&b, req->path, strlen(req->path));
	if (strcmp(req->method, "GET") == 0 && *req->query) {
		buf_adds(&b, "%3F");
		buf_add_urlenc(&b, req->query, strlen(req->query));
	}
	loc = b.toobig ? "/login" : arena_strdup(req->arena, b.data);
	buf_release(&b);
	return resp_redirect(&c->resp, loc ? loc : "/login");
}

/* If path ends in "/" and the same path without it has a GET route,
 * redirect there (301).  Returns 0 when it does not apply. */
static int
trailing_slash(struct http_conn *c)
{
	struct req	*req = &c->req;
	size_t		 n = strlen(c->raw_path);
	struct kv	*params;
	int		 mismatch;
	char		*p, *loc;

	if (n < 2 || c->raw_path[n - 1] != '/' ||
	    (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0))
		return 0;
	while (n > 1 && c->raw_path[n - 1] == '/')
		n--;
	p = arena_strndup(req->arena, c->raw_path, n);
	if (!p || !router_match("GET", p, req->arena, &params, &mismatch))
		return 0;
	loc = *req->query ? arena_printf(req->arena, "%s?%s", p, req->query) : p;
	if (!loc)
		return 0;
	resp_redirect(&c->resp, loc);
	return 301;
}

static int	checked(struct http_conn *c, int status);

/* Everything between a received request and its status. */
static int
run(struct http_conn *c)
{
	struct req		*req = &c->req;
	struct resp		*resp = &c->resp;
	const struct route	*route;
	char			*path;
	size_t			 n = strlen(c->raw_path);
	int			 mismatch, status;
	unsigned		 flags;

	if (n > ROUTER_PATH_MAX)
		return fail(c, 414, "the address is too long");
	if (str_urldecode(req->arena, c->raw_path, n, 0, &path, &n) < 0 ||
	    !form_text_ok(path, n, 1))
		return fail(c, HTTP_BAD_REQUEST, MSG_MALFORMED);
	req->path = path;
	route = router_match(req->method, c->raw_path, req->arena, &req->params, &mismatch);
	req->route = route;
	flags = route ? route->flags : 0;
	if ((status = parse_cookies_query(c)))
		return status;
	if (route && (status = parse_body(c)))
		return status;

	if (!(flags & ROUTE_BARE)) {
		req->db = db_pool_get(req->app->dbs);
		if (!req->db)
			return fail(c, HTTP_UNAVAILABLE,
				    "the site cannot reach its database just now; try again in a minute");
		if (session_run(req, resp) < 0)
			return fail(c, HTTP_INTERNAL, NULL);
	}

	if (!route) {
		if (mismatch) {
			const char *allow = router_allowed(c->raw_path, req->arena);

			if (allow)
				resp_header(resp, "Allow", allow);
			return fail(c, HTTP_METHOD_NOT_ALLOWED, "this address does not accept that method");
		}
		if ((status = trailing_slash(c)))
			return status;
		return fail(c, HTTP_NOT_FOUND, "there is no page at this address");
	}

	if ((flags & (ROUTE_LOGIN | ROUTE_ROLES)) && !req->person) {
		if (req_wants_json(req))
			return fail(c, HTTP_UNAUTHORIZED, "sign in first");
		return to_login(c);
	}
	if ((flags & ROUTE_ROLES) && !has_role(req, flags))
		return fail(c, HTTP_FORBIDDEN, "your role does not give access to this page");
	if ((flags & ROUTE_CSRF) && !csrf_check(req))
		return fail(c, HTTP_FORBIDDEN, MSG_CSRF);
	if ((flags & ROUTE_CSRF) && !http_rate_ok(req->session_id, req->app->cfg->post_rate, now_unix())) {
		resp_header(resp, "Retry-After", "60");
		return fail(c, HTTP_TOO_MANY, "you have sent a lot in the last minute; wait a minute and try again");
	}

	status = route->fn(req, resp);
	if (c->later)
		return status;
	return checked(c, status);
}

/* A JSON error body: {"error": "..."}. */
static void
json_error(struct resp *resp, int status, const char *message)
{
	const char *m = message ? message : http_reason(status);

	resp->content_type = "application/json";
	buf_adds(&resp->body, "{\"error\":");
	buf_add_json_str(&resp->body, m, strlen(m));
	buf_adds(&resp->body, "}");
}

/* Fill the body of an error response: the error page, or JSON for a JSON
 * request; a bare page if even the error page cannot be rendered. */
static void
error_body(struct http_conn *c, int status, const char *message)
{
	struct req	*req = &c->req;
	struct resp	*resp = &c->resp;
	const char	*reason = http_reason(status);

	buf_reset(&resp->body);
	c->fixed = NULL;
	c->fixed_len = 0;
	c->fixed_gzip = 0;
	resp->cache = NULL;
	if (req_wants_json(req) || form_type_is(resp->content_type, "application/json")) {
		json_error(resp, status, message);
		return;
	}
	resp->content_type = NULL;
	view_error(req, resp, status, message);
	if (resp->body.len && !resp->body.toobig)
		return;
	buf_reset(&resp->body);
	resp->content_type = "text/html; charset=utf-8";
	buf_addf(&resp->body, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<title>%d %s</title></head><body><h1>%s</h1>", status, reason, reason);
	if (message) {
		buf_adds(&resp->body, "<p>");
		buf_add_html(&resp->body, message, strlen(message));
		buf_adds(&resp->body, "</p>");
	}
	buf_adds(&resp->body, "</body></html>\n");
}

/* A handler's status and body checked, as run() does for every handler. */
static int
checked(struct http_conn *c, int status)
{
	struct req	*req = &c->req;
	struct resp	*resp = &c->resp;

	if (resp->body.toobig) {
		error("response of '%s %s' is over %u bytes", req->method, req->path,
		      (unsigned)resp->body.max);
		return fail(c, HTTP_INTERNAL, NULL);
	}
	if (status < 100 || status > 599) {
		error("handler of '%s %s' returned status %d", req->method, req->path, status);
		return fail(c, HTTP_INTERNAL, NULL);
	}
	return status;
}

void
http_dispatch(struct http_conn *c)
{
	int status = run(c);

	if (c->later)
		return;		/* answered by http_dispatch_later() */
	if (status >= 400 && c->resp.body.len == 0 && !c->fixed)
		error_body(c, status, c->err_msg);
	http_finish(c, status);
}

void
http_dispatch_later(struct http_conn *c)
{
	enum http_status	(*finish)(struct req *, struct resp *, void *) = c->later;
	int			 status;

	assert(finish);
	c->later = NULL;
	status = checked(c, finish(&c->req, &c->resp, c->later_arg));
	if (status >= 400 && c->resp.body.len == 0 && !c->fixed)
		error_body(c, status, c->err_msg);
	http_finish(c, status);
}

enum http_status
resp_later(struct req *req, enum http_status (*finish)(struct req *req, struct resp *resp,
	   void *arg), void *arg)
{
	struct http_conn *c = req->conn;

	c->later = finish;
	c->later_arg = arg;
	return HTTP_OK;
}

void
http_answer_error(struct http_conn *c, int status, const char *message)
{
	error_body(c, status, message);
	http_finish(c, status);
}

/* Does the parameter list p[0..end) (after a coding's ';') say q=0? */
static int
q_is_zero(const char *p, const char *end)
{
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *pe = semi ? semi : end;

		while (p < pe && (*p == ' ' || *p == '\t'))
			p++;
		if (pe - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			if (p == pe || *p != '0')
				return 0;
			p++;
			if (p < pe && *p == '.')
				for (p++; p < pe && *p == '0'; p++)
					;
			while (p < pe && (*p == ' ' || *p == '\t'))
				p++;
			return p == pe;
		}
		p = semi ? semi + 1 : end;
	}
	return 0;
}

int
http_accepts_gzip(const char *ae)
{
	const char	*p = ae;
	int		 star = 0;

	if (!ae)
		return 0;
	while (*p) {
		size_t		 len = strcspn(p, ",");
		const char	*tok = p, *end = p + len, *semi;
		size_t		 tl;
		int		 refused;

		p = *end == ',' ? end + 1 : end;
		semi = memchr(tok, ';', len);
		tl = semi ? (size_t)(semi - tok) : len;
		str_trim(&tok, &tl);
		refused = semi && q_is_zero(semi + 1, end);
		if (tl == 4 && strncasecmp(tok, "gzip", 4) == 0)
			return !refused;	/* named: that decides */
		if (tl == 1 && tok[0] == '*')
			star = !refused;
	}
	return star;
}

int
http_compressible(const char *type)
{
	static const char *const types[] = {
		"application/json", "image/svg+xml", "application/javascript",
		"application/xml", "application/atom+xml", "text/javascript",
	};
	size_t i;

	if (!type)
		return 1;	/* the default: text/html */
	if (form_type_is(type, "text/event-stream"))
		return 0;	/* a stream is flushed event by event */
	if (strncasecmp(type, "text/", 5) == 0)
		return 1;
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (form_type_is(type, types[i]))
			return 1;
	return 0;
}

int
http_gzip(const void *in, size_t n, int level, unsigned char **out, size_t *outlen)
{
	z_stream	 zs;
	unsigned char	*dst;
	uLong		 bound;
	int		 rc;

	memset(&zs, 0, sizeof(zs));
	if (n > 0xffffffffu)
		return error("cannot gzip %zu bytes at once", n);
	if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return error("cannot start zlib");
	bound = deflateBound(&zs, (uLong)n) + 32;
	dst = xmalloc(bound);
	zs.next_in = in;
	zs.avail_in = (uInt)n;
	zs.next_out = dst;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(dst);
		return error("zlib deflate failed (%d)", rc);
	}
	*out = dst;
	*outlen = zs.total_out;
	return 0;
}

/* Is there a response header called name already? */
static int
has_header(const struct resp *resp, const char *name)
{
	const struct resp_header *h;

	for (h = resp->headers; h; h = h->next)
		if (str_case_eq(h->name, name))
			return 1;
	return 0;
}

/* Add name: value unless a handler already set that header. */
static void
default_header(struct resp *resp, const char *name, const char *value)
{
	if (!has_header(resp, name))
		resp_header(resp, name, value);
}

void
http_finish(struct http_conn *c, int status)
{
	struct req	*req = &c->req;
	struct resp	*resp = &c->resp;
	const char	*type = resp->content_type ? resp->content_type : "text/html; charset=utf-8";
	int		 gz = 0, bodyless = status == 204 || status == 304 || status < 200;

	c->status = status;
	if (c->fixed) {
		c->out = c->fixed;
		c->out_len = c->fixed_len;
		gz = c->fixed_gzip;
	} else {
		c->out = resp->body.data;
		c->out_len = resp->body.len;
	}
	if (bodyless) {
		c->out = "";
		c->out_len = 0;
		gz = 0;
	} else {
		default_header(resp, "Content-Type", type);
	}
	default_header(resp, "Cache-Control", resp->cache ? resp->cache : "no-store");
	default_header(resp, "Content-Security-Policy", CSP);
	default_header(resp, "X-Content-Type-Options", "nosniff");
	default_header(resp, "Referrer-Policy", "same-origin");
	default_header(resp, "X-Frame-Options", "DENY");
	if (req->app && req->app->tls)
		default_header(resp, "Strict-Transport-Security", "max-age=31536000");

	if (!bodyless && !gz && !resp->no_gzip && c->out_len >= GZIP_MIN &&
	    http_compressible(type)) {
		unsigned char	*z;
		size_t		 zlen;

		default_header(resp, "Vary", "Accept-Encoding");
		if (http_accepts_gzip(req_header(req, "Accept-Encoding")) &&
		    http_gzip(c->out, c->out_len, 6, &z, &zlen) == 0) {
			if (zlen < c->out_len) {
				c->out = z;
				c->out_len = zlen;
				c->out_free = z;
				gz = 1;
			} else {
				free(z);
			}
		}
	}
	if (gz) {
		default_header(resp, "Vary", "Accept-Encoding");
		resp_header(resp, "Content-Encoding", "gzip");
	}
}
