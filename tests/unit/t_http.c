/* t_http.c - unit tests for the adapter's pieces that need no server or
 * database: CSRF tokens and the Origin/Referer check, gzip negotiation,
 * the headers every response gets (http_finish), static files through
 * the pipeline (ETag, 304, gzip, 404 with the fallback error page), and
 * the app_err to status mapping. */
#include "../../src/core/arena.h"
#include "../../src/core/cfg.h"
#include "../../src/core/embed.h"
#include "../../src/core/str.h"
#include "../../src/http/http_int.h"
#include "../../src/http/session.h"

#include <setjmp.h>
#include <cmocka.h>
#include <zlib.h>

struct env {
	struct cfg	 cfg;
	struct app	 app;
};

static struct env *
env_new(int tls, const char *base_url)
{
	struct env *e = calloc(1, sizeof(*e));

	e->cfg.body_max = 1 << 20;
	e->cfg.upload_max = 1 << 20;
	e->cfg.base_url = (char *)(uintptr_t)base_url;
	e->app.cfg = &e->cfg;
	e->app.tls = tls;
	memset(e->app.secret, 7, sizeof(e->app.secret));
	return e;
}

/* A connection for method uri with headers given as "Name", "value"
 * pairs ending with NULL. */
static struct http_conn *
conn_new(struct env *e, const char *method, const char *uri, ...)
{
	struct http_conn	*c = calloc(1, sizeof(*c));
	va_list			 ap;
	const char		*n;

	assert_int_equal(http_conn_init(c, &e->app, uri), 0);
	http_conn_set_method(c, method);
	va_start(ap, uri);
	while ((n = va_arg(ap, const char *)))
		assert_int_equal(http_conn_add_header(c, n, va_arg(ap, const char *)), 0);
	va_end(ap);
	return c;
}

static void
conn_free(struct http_conn *c)
{
	http_conn_release(c);
	free(c);
}

static const char *
header(const struct resp *resp, const char *name)
{
	const struct resp_header *h;

	for (h = resp->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* Put a valid CSRF token for pre-session value "pre" on c's request. */
static const char *
arm(struct http_conn *c)
{
	c->req.csrf = csrf_token(&c->req, "p:", "pre");
	return c->req.csrf;
}

static void
csrf_tokens_are_bound_to_key_prefix_and_value(void **state)
{
	struct env		*e = env_new(0, "");
	struct http_conn	*c = conn_new(e, "GET", "/", NULL);
	const char		*a = csrf_token(&c->req, "p:", "v");

	(void)state;
	assert_int_equal(strlen(a), 43);
	assert_string_equal(a, csrf_token(&c->req, "p:", "v"));
	assert_string_not_equal(a, csrf_token(&c->req, "s:", "v"));
	assert_string_not_equal(a, csrf_token(&c->req, "p:", "w"));
	assert_string_equal(csrf_token_for_session(&c->req, "v"), csrf_token(&c->req, "s:", "v"));
	e->app.secret[0] ^= 1;
	assert_string_not_equal(a, csrf_token(&c->req, "p:", "v"));
	conn_free(c);
	free(e);
}

static void
csrf_check_wants_the_token_in_field_or_header(void **state)
{
	struct env		*e = env_new(0, "");
	struct http_conn	*c = conn_new(e, "POST", "/x", NULL);
	struct kv		 field = { CSRF_FIELD, NULL, 0, NULL };
	const char		*tok = arm(c);
	char			 copy[64];

	(void)state;
	assert_false(csrf_check(&c->req));		/* nothing sent */
	field.value = tok;
	field.len = strlen(tok);
	c->req.form = &field;
	assert_true(csrf_check(&c->req));
	field.value = "AAAA";
	assert_false(csrf_check(&c->req));		/* wrong, short */
	field.value = csrf_token(&c->req, "s:", "pre");
	assert_false(csrf_check(&c->req));		/* right length, wrong value */
	c->req.form = NULL;
	snprintf(copy, sizeof(copy), "%s", tok);
	conn_free(c);

	/* the header, any case, does as well */
	c = conn_new(e, "POST", "/x", "x-csrf-token", copy, NULL);
	arm(c);
	assert_true(csrf_check(&c->req));
	conn_free(c);
	c = conn_new(e, "POST", "/x", "X-CSRF-Token", "", NULL);
	arm(c);
	assert_false(csrf_check(&c->req));
	conn_free(c);
	free(e);
}

static void
csrf_check_refuses_other_origins(void **state)
{
	static const struct {
		const char	*name, *value;
		int		 ok;
	} cases[] = {
		{ "Origin",	"http://colead.test:8080",		1 },
		{ "Origin",	"HTTP://COLEAD.TEST:8080",		1 },
		{ "Origin",	"http://evil.test",			0 },
		{ "Origin",	"http://colead.test:8080.evil.test",	0 },
		{ "Origin",	"https://colead.test:8080",		0 },	/* scheme differs */
		{ "Origin",	"null",					0 },
		{ "Origin",	"",					0 },
		{ "Origin",	"https://public.example",		1 },	/* base_url */
		{ "Origin",	"https://public.example:443",		1 },
		{ "Referer",	"http://colead.test:8080/login?x=1",	1 },
		{ "Referer",	"http://evil.test/colead.test:8080",	0 },
		{ "Referer",	"https://public.example/a",		1 },
		{ "Referer",	"/relative",				0 },
	};
	struct env	*e = env_new(0, "https://public.example/");
	size_t		 i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct http_conn	*c = conn_new(e, "POST", "/x", "Host", "colead.test:8080",
						      cases[i].name, cases[i].value, NULL);
		struct kv		 field = { CSRF_FIELD, NULL, 0, NULL };

		field.value = arm(c);
		field.len = strlen(field.value);
		c->req.form = &field;
		if (csrf_check(&c->req) != cases[i].ok)
			fail_msg("%s: %s should be %s", cases[i].name, cases[i].value,
				 cases[i].ok ? "accepted" : "refused");
		c->req.form = NULL;
		conn_free(c);
	}
	free(e);
}

static void
csrf_origin_uses_https_behind_tls(void **state)
{
	struct env		*e = env_new(1, "");
	struct http_conn	*c = conn_new(e, "POST", "/x", "Host", "colead.test", NULL);

	(void)state;
	assert_true(csrf_origin_ok(&c->req, "https://colead.test"));
	assert_true(csrf_origin_ok(&c->req, "https://colead.test:443"));
	assert_false(csrf_origin_ok(&c->req, "http://colead.test"));
	conn_free(c);
	free(e);
}

static void
gzip_negotiation(void **state)
{
	(void)state;
	assert_true(http_accepts_gzip("gzip"));
	assert_true(http_accepts_gzip("gzip, deflate, br"));
	assert_true(http_accepts_gzip("br;q=1.0, GZIP;q=0.5"));
	assert_true(http_accepts_gzip("*"));
	assert_true(http_accepts_gzip("gzip;q=0.001"));
	assert_false(http_accepts_gzip(NULL));
	assert_false(http_accepts_gzip(""));
	assert_false(http_accepts_gzip("deflate, br"));
	assert_false(http_accepts_gzip("gzip;q=0"));
	assert_false(http_accepts_gzip("gzip; q=0.000"));
	assert_false(http_accepts_gzip("gzip;q=0, *"));
	assert_false(http_accepts_gzip("x-gzip2"));
	assert_false(http_accepts_gzip("*;q=0"));
}

/* Inflate a gzip body and compare it with want. */
static void
assert_gunzips_to(const void *z, size_t zlen, const char *want, size_t wlen)
{
	z_stream	 zs;
	unsigned char	*out = malloc(wlen + 16);

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)z;
	zs.avail_in = (unsigned)zlen;
	zs.next_out = out;
	zs.avail_out = (unsigned)wlen + 16;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, wlen);
	assert_memory_equal(out, want, wlen);
	inflateEnd(&zs);
	free(out);
}

static void
every_response_gets_the_security_headers(void **state)
{
	struct env		*e = env_new(0, "");
	struct http_conn	*c = conn_new(e, "GET", "/", NULL);

	(void)state;
	buf_adds(&c->resp.body, "<p>hi</p>");
	http_finish(c, 200);
	assert_int_equal(c->status, 200);
	assert_string_equal(header(&c->resp, "Content-Type"), "text/html; charset=utf-8");
	assert_string_equal(header(&c->resp, "Cache-Control"), "no-store");
	assert_non_null(strstr(header(&c->resp, "Content-Security-Policy"), "script-src 'self'"));
	assert_non_null(strstr(header(&c->resp, "Content-Security-Policy"), "frame-ancestors 'none'"));
	assert_string_equal(header(&c->resp, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(header(&c->resp, "Referrer-Policy"), "same-origin");
	assert_string_equal(header(&c->resp, "X-Frame-Options"), "DENY");
	assert_null(header(&c->resp, "Strict-Transport-Security"));
	assert_null(header(&c->resp, "Content-Encoding"));	/* small */
	assert_int_equal(c->out_len, 9);
	conn_free(c);
	free(e);

	e = env_new(1, "");
	c = conn_new(e, "GET", "/", NULL);
	http_finish(c, 304);
	assert_non_null(header(&c->resp, "Strict-Transport-Security"));
	assert_non_null(header(&c->resp, "Content-Security-Policy"));
	assert_null(header(&c->resp, "Content-Type"));
	assert_int_equal(c->out_len, 0);
	conn_free(c);
	free(e);
}

static void
large_text_is_gzipped_only_when_accepted(void **state)
{
	struct env		*e = env_new(0, "");
	struct http_conn	*c;
	struct buf		 page;
	int			 i;

	(void)state;
	buf_init(&page, 0);
	for (i = 0; i < 400; i++)
		buf_addf(&page, "<li>item %d</li>\n", i);

	c = conn_new(e, "GET", "/", "Accept-Encoding", "gzip, deflate", NULL);
	buf_add(&c->resp.body, page.data, page.len);
	http_finish(c, 200);
	assert_string_equal(header(&c->resp, "Content-Encoding"), "gzip");
	assert_string_equal(header(&c->resp, "Vary"), "Accept-Encoding");
	assert_true(c->out_len < page.len);
	assert_gunzips_to(c->out, c->out_len, page.data, page.len);
	conn_free(c);

	c = conn_new(e, "GET", "/", NULL);
	buf_add(&c->resp.body, page.data, page.len);
	http_finish(c, 200);
	assert_null(header(&c->resp, "Content-Encoding"));
	assert_string_equal(header(&c->resp, "Vary"), "Accept-Encoding");
	assert_int_equal(c->out_len, page.len);
	conn_free(c);

	/* not a text type; and a handler that opts out */
	c = conn_new(e, "GET", "/", "Accept-Encoding", "gzip", NULL);
	c->resp.content_type = "image/png";
	buf_add(&c->resp.body, page.data, page.len);
	http_finish(c, 200);
	assert_null(header(&c->resp, "Content-Encoding"));
	conn_free(c);
	c = conn_new(e, "GET", "/", "Accept-Encoding", "gzip", NULL);
	c->resp.content_type = "application/json";
	c->resp.no_gzip = 1;
	buf_add(&c->resp.body, page.data, page.len);
	http_finish(c, 200);
	assert_null(header(&c->resp, "Content-Encoding"));
	conn_free(c);

	buf_release(&page);
	free(e);
}

static void
handler_headers_win_over_defaults(void **state)
{
	struct env		*e = env_new(0, "");
	struct http_conn	*c = conn_new(e, "GET", "/", NULL);

	(void)state;
	resp_header(&c->resp, "Content-Security-Policy", "default-src 'none'");
	c->resp.cache = "private, max-age=60";
	http_finish(c, 200);
	assert_string_equal(header(&c->resp, "Content-Security-Policy"), "default-src 'none'");
	assert_string_equal(header(&c->resp, "Cache-Control"), "private, max-age=60");
	conn_free(c);
	free(e);
}

/* The first embedded static file worth gzipping, or any. */
static const struct embed_file *
some_static_file(void)
{
	const struct embed_file *f;

	for (f = embed_static; f->name; f++)
		if (str_ends(f->name, ".css") && f->len > 1024)
			return f;
	return embed_static[0].name ? &embed_static[0] : NULL;
}

static void
static_files_have_etags_and_304(void **state)
{
	struct env		*e = env_new(0, "");
	const struct embed_file	*f = some_static_file();
	struct http_conn	*c;
	char			 uri[512], etag[128];

	(void)state;
	if (!f)
		skip();
	snprintf(uri, sizeof(uri), "/static/%s", f->name);
	c = conn_new(e, "GET", uri, NULL);
	http_dispatch(c);
	assert_int_equal(c->status, 200);
	assert_int_equal(c->out_len, f->len);
	assert_memory_equal(c->out, f->data, f->len);
	assert_string_equal(header(&c->resp, "Cache-Control"), "public, max-age=3600");
	assert_non_null(header(&c->resp, "X-Content-Type-Options"));
	assert_null(header(&c->resp, "Set-Cookie"));		/* bare: no session */
	assert_non_null(header(&c->resp, "ETag"));
	snprintf(etag, sizeof(etag), "%s", header(&c->resp, "ETag"));
	assert_int_equal(etag[0], '"');
	conn_free(c);

	c = conn_new(e, "GET", uri, "If-None-Match", etag, NULL);
	http_dispatch(c);
	assert_int_equal(c->status, 304);
	assert_int_equal(c->out_len, 0);
	conn_free(c);

	c = conn_new(e, "GET", uri, "If-None-Match", "\"something-else\"", NULL);
	http_dispatch(c);
	assert_int_equal(c->status, 200);
	conn_free(c);

	if (f->len > 1024) {
		c = conn_new(e, "GET", uri, "Accept-Encoding", "gzip", NULL);
		http_dispatch(c);
		assert_int_equal(c->status, 200);
		assert_string_equal(header(&c->resp, "Content-Encoding"), "gzip");
		assert_string_not_equal(header(&c->resp, "ETag"), etag);
		assert_gunzips_to(c->out, c->out_len, (const char *)f->data, f->len);
		conn_free(c);
	}
	free(e);
}

static void
unknown_static_file_gets_a_404_page(void **state)
{
	struct env		*e = env_new(0, "");
	struct http_conn	*c = conn_new(e, "GET", "/static/no/such.css", NULL);

	(void)state;
	http_dispatch(c);
	assert_int_equal(c->status, 404);
	/* no views here: whatever fallback renders, it says what happened */
	assert_true(strncmp(header(&c->resp, "Content-Type"), "text/", 5) == 0);
	assert_non_null(strstr(c->resp.body.data, "Not Found"));
	assert_string_equal(header(&c->resp, "Cache-Control"), "no-store");
	conn_free(c);

	c = conn_new(e, "GET", "/static/x.css", "Accept", "application/json", NULL);
	http_dispatch(c);
	assert_int_equal(c->status, 404);
	assert_string_equal(header(&c->resp, "Content-Type"), "application/json");
	assert_string_equal(c->resp.body.data, "{\"error\":\"Not Found\"}");
	conn_free(c);
	free(e);
}

static void
app_errors_map_to_statuses(void **state)
{
	(void)state;
	assert_int_equal(http_status_for(E_OK), 200);
	assert_int_equal(http_status_for(E_INTERNAL), 500);
	assert_int_equal(http_status_for(E_INVALID), 422);
	assert_int_equal(http_status_for(E_UNAUTH), 401);
	assert_int_equal(http_status_for(E_FORBIDDEN), 403);
	assert_int_equal(http_status_for(E_NOTFOUND), 404);
	assert_int_equal(http_status_for(E_CONFLICT), 409);
	assert_int_equal(http_status_for(E_CLOSED), 409);
	assert_int_equal(http_status_for(E_TOOMANY), 429);
	assert_int_equal(http_status_for(E_TOOBIG), 413);
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(431), "Request Header Fields Too Large");
	assert_string_equal(http_reason(599), "Server Error");
}

static void
page_cache_is_keyed_by_name_and_version(void **state)
{
	struct buf	 out;
	char		 key[32];
	int		 i;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(page_cache_get("/t-page", 1, &out), 0);
	page_cache_put("/t-page", 1, "page one", 8);
	assert_int_equal(page_cache_get("/t-page", 1, &out), 1);
	assert_string_equal(out.data, "page one");
	buf_reset(&out);
	assert_int_equal(page_cache_get("/t-page", 2, &out), 0);	/* another version */
	assert_int_equal(page_cache_get("/t-other", 1, &out), 0);	/* another page */
	page_cache_put("/t-page", 2, "page two", 8);
	assert_int_equal(page_cache_get("/t-page", 2, &out), 1);
	assert_string_equal(out.data, "page two");
	assert_int_equal(page_cache_get("/t-page", 1, &out), 0);	/* replaced */
	/* Past the slots, pages are simply not kept. */
	for (i = 0; i < PAGE_CACHE_SLOTS + 4; i++) {
		snprintf(key, sizeof(key), "/t-many-%d", i);
		page_cache_put(key, 1, "x", 1);
	}
	buf_reset(&out);
	assert_int_equal(page_cache_get("/t-many-0", 1, &out), 1);
	assert_int_equal(page_cache_get("/t-many-" "30", 1, &out), 0);
	/* A hit that does not fit the caller's buffer is a miss. */
	buf_release(&out);
	buf_init(&out, 4);
	assert_int_equal(page_cache_get("/t-page", 2, &out), 0);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_cache_is_keyed_by_name_and_version),
		cmocka_unit_test(csrf_tokens_are_bound_to_key_prefix_and_value),
		cmocka_unit_test(csrf_check_wants_the_token_in_field_or_header),
		cmocka_unit_test(csrf_check_refuses_other_origins),
		cmocka_unit_test(csrf_origin_uses_https_behind_tls),
		cmocka_unit_test(gzip_negotiation),
		cmocka_unit_test(every_response_gets_the_security_headers),
		cmocka_unit_test(large_text_is_gzipped_only_when_accepted),
		cmocka_unit_test(handler_headers_win_over_defaults),
		cmocka_unit_test(static_files_have_etags_and_304),
		cmocka_unit_test(unknown_static_file_gets_a_404_page),
		cmocka_unit_test(app_errors_map_to_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
