/* req.c - the request and response helpers of http.h: field lookups,
 * response headers, cookies, redirects, JSON.  They work on struct req and
 * struct resp only; the request headers come from the adapter's struct
 * http_conn behind req->conn.  Nothing here may let a handler put a CR or
 * LF into a header, or redirect off-site. */
#include "http_int.h"
#include "session.h"
#include "../core/arena.h"
#include "../core/log.h"
#include "../core/str.h"

/* The value of the first kv named name in list, or NULL. */
static const struct kv *
kv_find(const struct kv *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

const char *
req_param(const struct req *req, const char *name)
{
	const struct kv *kv = kv_find(req->params, name);

	return kv ? kv->value : NULL;
}

int
req_param_int(const struct req *req, const char *name, int64_t *out)
{
	const struct kv *kv = kv_find(req->params, name);

	if (!kv || str_to_i64(kv->value, kv->len, out) < 0)
		return -1;
	return 0;
}

const char *
req_query(const struct req *req, const char *name)
{
	const struct kv *kv = kv_find(req->qs, name);

	return kv ? kv->value : NULL;
}

const char *
req_form(const struct req *req, const char *name)
{
	const struct kv *kv = kv_find(req->form, name);

	return kv ? kv->value : NULL;
}

const char *
req_form_trim(const struct req *req, const char *name)
{
	const struct kv	*kv = kv_find(req->form, name);
	const char	*p;
	size_t		 n;
	char		*s;

	if (!kv)
		return "";
	p = kv->value;
	n = kv->len;
	str_trim(&p, &n);
	s = arena_strndup(req->arena, p, n);
	return s ? s : "";
}

const struct upload *
req_upload(const struct req *req, const char *field)
{
	const struct upload *u;

	for (u = req->uploads; u; u = u->next)
		if (strcmp(u->field, field) == 0)
			return u;
	return NULL;
}

const char *
req_cookie(const struct req *req, const char *name)
{
	const struct kv *kv = kv_find(req->cookies, name);

	return kv ? kv->value : NULL;
}

const char *
req_header(const struct req *req, const char *name)
{
	const struct http_conn	*c = req->conn;
	const struct kv		*kv;

	if (!c)
		return NULL;
	for (kv = c->headers; kv; kv = kv->next)
		if (str_case_eq(kv->name, name))
			return kv->value;
	return NULL;
}

int
req_wants_json(const struct req *req)
{
	const char *accept;

	if (req->route && (req->route->flags & ROUTE_JSON))
		return 1;
	accept = req_header(req, "Accept");
	return accept && strcasestr(accept, "application/json") != NULL;
}

/* Is s a header name (an RFC 9110 token)? */
static int
header_name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("\"(),/:;<=>?@[\\]{}", *s))
			return 0;
	return 1;
}

/* May s be sent as a header value (no control characters but tab)? */
static int
header_value_ok(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 0;
	return 1;
}

/* A new header node holding copies of name and value. */
static struct resp_header *
header_new(const char *name, const char *value)
{
	size_t			 nl = strlen(name), vl = strlen(value);
	struct resp_header	*h = xmalloc(sizeof(*h) + nl + vl + 2);
	char			*p = (char *)(h + 1);

	memcpy(p, name, nl + 1);
	memcpy(p + nl + 1, value, vl + 1);
	h->name = p;
	h->value = p + nl + 1;
	h->next = NULL;
	return h;
}

void
resp_header(struct resp *resp, const char *name, const char *value)
{
	struct resp_header **tail = &resp->headers;

	if (!header_name_ok(name) || !header_value_ok(value)) {
		error("refusing response header '%s' with a control character or bad name",
		      header_name_ok(name) ? name : "?");
		return;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = header_new(name, value);
}

void
resp_headers_free(struct resp *resp)
{
	struct resp_header *h, *next;

	for (h = resp->headers; h; h = next) {
		next = h->next;
		free(h);
	}
	resp->headers = NULL;
}

/* May c appear in a cookie value (RFC 6265 cookie-octet)? */
static int
cookie_octet(int c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	       (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

void
resp_cookie(struct req *req, struct resp *resp, const char *name,
	    const char *value, int64_t max_age)
{
	struct resp_header	**hp, *h;
	struct buf		 b;
	size_t			 nl = strlen(name);
	const char		*v;

	for (v = value; *v; v++)
		if (!cookie_octet((unsigned char)*v))
			break;
	if (*v || !header_name_ok(name)) {
		error("refusing cookie '%s': bad name or value", header_name_ok(name) ? name : "?");
		return;
	}
	buf_init(&b, 8192);
	buf_addf(&b, "%s=%s; Path=/", name, value);
	if (max_age >= 0)
		buf_addf(&b, "; Max-Age=%lld", (long long)max_age);
	buf_adds(&b, "; HttpOnly; SameSite=Lax");
	if (req->app && req->app->tls)
		buf_adds(&b, "; Secure");
	if (b.toobig) {
		error("refusing cookie '%s': too long", name);
		buf_release(&b);
		return;
	}
	/* a later cookie of the same name replaces the earlier one, so
	 * "delete the old flash" and "set a new flash" cannot both go out */
	h = header_new("Set-Cookie", b.data);
	buf_release(&b);
	for (hp = &resp->headers; *hp; hp = &(*hp)->next) {
		if (str_case_eq((*hp)->name, "Set-Cookie") &&
		    strncmp((*hp)->value, name, nl) == 0 && (*hp)->value[nl] == '=') {
			h->next = (*hp)->next;
			free(*hp);
			*hp = h;
			return;
		}
	}
	*hp = h;
}

/* Is location a path on this site ("/x", not "//host" or "/\host")? */
static int
local_path(const char *location)
{
	return location && location[0] == '/' && location[1] != '/' &&
	       location[1] != '\\' && header_value_ok(location);
}

enum http_status
resp_redirect(struct resp *resp, const char *location)
{
	if (!local_path(location)) {
		log_warn("redirect to a non-local address refused; sending '/' instead");
		location = "/";
	}
	resp_header(resp, "Location", location);
	return HTTP_SEE_OTHER;
}

/* Bytes c takes once percent-encoded by buf_add_urlenc. */
static size_t
urlenc_len(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' ? 1 : 3;
}

enum http_status
resp_redirect_flash(struct req *req, struct resp *resp, const char *location,
		    const char *kind, const char *msg)
{
	struct buf	 b;
	size_t		 used, i = 0, n = strlen(msg);

	if (!str_eq(kind, "ok") && !str_eq(kind, "error"))
		kind = "ok";
	buf_init(&b, FLASH_MAX + 16);
	buf_adds(&b, kind);
	buf_adds(&b, "%7C");	/* '|' */
	used = b.len;
	/* as much of the message as fits, cut on a character boundary */
	while (i < n) {
		size_t cl = 1, enc = 0, k;

		while (i + cl < n && ((unsigned char)msg[i + cl] & 0xc0) == 0x80)
			cl++;
		for (k = 0; k < cl; k++)
			enc += urlenc_len((unsigned char)msg[i + k]);
		if (used + enc > FLASH_MAX)
			break;
		used += enc;
		i += cl;
	}
	buf_add_urlenc(&b, msg, i);
	resp_cookie(req, resp, FLASH_COOKIE, b.data, 60);
	buf_release(&b);
	return resp_redirect(resp, location);
}

enum http_status
resp_json(struct resp *resp, enum http_status status)
{
	resp->content_type = "application/json";
	return status;
}
