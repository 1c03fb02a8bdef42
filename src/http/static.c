/* static.c - the files built into the binary (embed_static: static/ and the
 * vendored npm assets) served under /static/NAME, and /favicon.ico.  At
 * start-up each file gets its content type, a strong ETag (a hash of its
 * bytes) and, for text, a gzip copy, so a request costs a lookup and no
 * copying.  Lookup is by exact name in the table: no file system path is
 * ever built from the request, so no traversal is possible.  These routes
 * are ROUTE_BARE: no database, no session, no cookies. */
#include "http_int.h"
#include "../core/embed.h"
#include "../core/log.h"
#include "../core/str.h"

#include <pthread.h>
#include <sodium.h>

#define STATIC_CACHE	"public, max-age=3600"
#define ETAG_BYTES	16

struct static_file {
	const char		*name;
	const unsigned char	*data;
	size_t			 len;
	const char		*type;
	char			 etag[2 * ETAG_BYTES + 3];	/* "hex" */
	char			 etag_gz[2 * ETAG_BYTES + 6];	/* "hex-gz" */
	unsigned char		*gz;	/* NULL if not worth it */
	size_t			 gz_len;
};

static struct static_file	*files;
static size_t			 nfiles;
static pthread_once_t		 files_once = PTHREAD_ONCE_INIT;

/* Content type by file extension. */
static const char *
type_for(const char *name)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} types[] = {
		{ ".css",	"text/css; charset=utf-8" },
		{ ".js",	"application/javascript; charset=utf-8" },
		{ ".mjs",	"application/javascript; charset=utf-8" },
		{ ".json",	"application/json" },
		{ ".map",	"application/json" },
		{ ".svg",	"image/svg+xml" },
		{ ".png",	"image/png" },
		{ ".jpg",	"image/jpeg" },
		{ ".jpeg",	"image/jpeg" },
		{ ".gif",	"image/gif" },
		{ ".webp",	"image/webp" },
		{ ".ico",	"image/x-icon" },
		{ ".woff2",	"font/woff2" },
		{ ".woff",	"font/woff" },
		{ ".txt",	"text/plain; charset=utf-8" },
		{ ".html",	"text/html; charset=utf-8" },
		{ ".xml",	"application/xml" },
		{ ".xsd",	"application/xml" },
		{ ".pdf",	"application/pdf" },
		{ ".webmanifest", "application/manifest+json" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (str_ends(name, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* Build the table: once, from whichever thread gets here first. */
static void
build_table(void)
{
	const struct embed_file	*e;
	size_t			 i;

	if (sodium_init() < 0)
		BUG("libsodium cannot start");
	for (e = embed_static; e->name; e++)
		nfiles++;
	files = xcalloc(nfiles ? nfiles : 1, sizeof(*files));
	for (i = 0, e = embed_static; e->name; e++, i++) {
		struct static_file	*f = &files[i];
		unsigned char		 h[ETAG_BYTES];
		char			 hex[2 * ETAG_BYTES + 1];

		f->name = e->name;
		f->data = e->data;
		f->len = e->len;
		f->type = type_for(e->name);
		crypto_generichash(h, sizeof(h), e->data, e->len, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		snprintf(f->etag, sizeof(f->etag), "\"%s\"", hex);
		snprintf(f->etag_gz, sizeof(f->etag_gz), "\"%s-gz\"", hex);
		if (http_compressible(f->type) && f->len >= 256) {
			if (http_gzip(f->data, f->len, 9, &f->gz, &f->gz_len) < 0) {
				f->gz = NULL;
			} else if (f->gz_len >= f->len) {
				free(f->gz);
				f->gz = NULL;
			}
		}
	}
}

void
static_init(void)
{
	pthread_once(&files_once, build_table);
}

/* The file called name exactly, or NULL. */
static const struct static_file *
find(const char *name)
{
	size_t i;

	static_init();
	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

/* Does If-None-Match list (inm) name either representation of f?  Weak
 * comparison, as RFC 9110 asks for If-None-Match. */
static int
etag_matches(const char *inm, const struct static_file *f)
{
	const char *p = inm;

	while (*p) {
		size_t		 len = strcspn(p, ",");
		const char	*t = p;

		p += len;
		if (*p == ',')
			p++;
		str_trim(&t, &len);
		if (len == 1 && t[0] == '*')
			return 1;
		if (len > 2 && t[0] == 'W' && t[1] == '/') {
			t += 2;
			len -= 2;
		}
		if ((len == strlen(f->etag) && memcmp(t, f->etag, len) == 0) ||
		    (len == strlen(f->etag_gz) && memcmp(t, f->etag_gz, len) == 0))
			return 1;
	}
	return 0;
}

/* Answer with file f (or 304 if the client has it). */
static enum http_status
send_file(struct req *req, struct resp *resp, const struct static_file *f)
{
	struct http_conn	*c = req->conn;
	const char		*inm = req_header(req, "If-None-Match");
	int			 gz = f->gz && http_accepts_gzip(req_header(req, "Accept-Encoding"));

	resp->content_type = f->type;
	resp->cache = STATIC_CACHE;
	resp_header(resp, "ETag", gz ? f->etag_gz : f->etag);
	if (f->gz)
		resp_header(resp, "Vary", "Accept-Encoding");
	if (inm && etag_matches(inm, f))
		return HTTP_NOT_MODIFIED;
	if (c) {
		c->fixed = gz ? f->gz : f->data;
		c->fixed_len = gz ? f->gz_len : f->len;
		c->fixed_gzip = gz;
	} else {
		buf_add(&resp->body, f->data, f->len);	/* outside the adapter */
	}
	return HTTP_OK;
}

/* GET /static/NAME */
static enum http_status
static_get(struct req *req, struct resp *resp)
{
	const char			*name = req_param(req, "*");
	const struct static_file	*f = name ? find(name) : NULL;

	if (!f)
		return HTTP_NOT_FOUND;
	return send_file(req, resp, f);
}

/* GET /favicon.ico: the embedded one if there is one. */
static enum http_status
favicon(struct req *req, struct resp *resp)
{
	const struct static_file *f = find("favicon.ico");

	if (!f)
		f = find("img/favicon.ico");
	if (!f)
		return HTTP_NOT_FOUND;
	return send_file(req, resp, f);
}

const struct route static_routes[] = {
	{ "GET", "/static/*",	static_get,	ROUTE_PREFIX | ROUTE_BARE },
	{ "GET", "/favicon.ico", favicon,	ROUTE_BARE },
	{ NULL, NULL, NULL, 0 }
};
