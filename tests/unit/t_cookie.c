/* t_cookie.c - unit tests for cookies both ways: parsing the Cookie
 * header (src/http/cookie.c), tolerant of spaces and junk, and setting
 * them with resp_cookie / resp_redirect_flash (src/http/req.c): the
 * attributes, Secure over TLS, replacement of a cookie set twice, refusal
 * of values that could break the header, and the flash size cap. */
#include "../../src/core/arena.h"
#include "../../src/core/cfg.h"
#include "../../src/http/form.h"
#include "../../src/http/http_int.h"
#include "../../src/http/session.h"

#include <setjmp.h>
#include <cmocka.h>

static struct arena *A;

static int
setup(void **state)
{
	(void)state;
	A = arena_new(1 << 20);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

static const char *
get(const struct kv *kv, const char *name)
{
	for (; kv; kv = kv->next)
		if (strcmp(kv->name, name) == 0)
			return kv->value;
	return NULL;
}

static size_t
count(const struct kv *kv)
{
	size_t n = 0;

	for (; kv; kv = kv->next)
		n++;
	return n;
}

static void
parses_plain_pairs(void **state)
{
	struct kv *kv = NULL;

	(void)state;
	assert_int_equal(cookie_parse(A, "colead=abc; colead_pre=x-y_z", &kv), 0);
	assert_int_equal(count(kv), 2);
	assert_string_equal(get(kv, "colead"), "abc");
	assert_string_equal(get(kv, "colead_pre"), "x-y_z");
	assert_int_equal(kv->len, 3);
}

static void
tolerates_spaces_quotes_and_junk(void **state)
{
	struct kv *kv = NULL;

	(void)state;
	assert_int_equal(cookie_parse(A, "  a = 1 ;b=2;;; junk ; =orphan; c=\"quoted\";d=; e==x", &kv), 0);
	assert_string_equal(get(kv, "a"), "1");
	assert_string_equal(get(kv, "b"), "2");
	assert_string_equal(get(kv, "c"), "quoted");
	assert_string_equal(get(kv, "d"), "");
	assert_string_equal(get(kv, "e"), "=x");
	assert_null(get(kv, "junk"));
	assert_null(get(kv, ""));
	assert_int_equal(count(kv), 5);
	kv = NULL;
	assert_int_equal(cookie_parse(A, "", &kv), 0);
	assert_null(kv);
	assert_int_equal(cookie_parse(A, ";;;", &kv), 0);
	assert_null(kv);
}

static void
keeps_values_undecoded_and_duplicates_in_order(void **state)
{
	struct kv *kv = NULL;

	(void)state;
	assert_int_equal(cookie_parse(A, "f=ok%7Chello%20there; f=second", &kv), 0);
	assert_string_equal(get(kv, "f"), "ok%7Chello%20there");	/* first wins */
	assert_int_equal(count(kv), 2);
	/* a second Cookie header appends */
	assert_int_equal(cookie_parse(A, "g=3", &kv), 0);
	assert_int_equal(count(kv), 3);
}

static void
drops_pairs_that_are_not_text(void **state)
{
	struct kv *kv = NULL;

	(void)state;
	assert_int_equal(cookie_parse(A, "bad=\xff\xfe; ctl=a\x01" "b; tab\tname=1; ok=1", &kv), 0);
	assert_int_equal(count(kv), 1);
	assert_string_equal(get(kv, "ok"), "1");
}

static void
stops_at_the_cookie_cap(void **state)
{
	struct buf	 b;
	struct kv	*kv = NULL;
	int		 i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < COOKIES_MAX + 50; i++)
		buf_addf(&b, "c%d=%d; ", i, i);
	assert_int_equal(cookie_parse(A, b.data, &kv), 0);
	assert_int_equal(count(kv), COOKIES_MAX);
	buf_release(&b);
}

static void
full_arena_is_an_error(void **state)
{
	struct arena	*small = arena_new(64);
	struct kv	*kv = NULL;

	(void)state;
	assert_int_equal(cookie_parse(small, "aaaaaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb; "
					     "cccccccccccccccc=dddddddddddddddddddddddddddddddddddd", &kv), -1);
	arena_free(small);
}

/* A request and response as the adapter would have them. */
struct rr {
	struct cfg	 cfg;
	struct app	 app;
	struct req	 req;
	struct resp	 resp;
};

static void
rr_init(struct rr *x, int tls)
{
	memset(x, 0, sizeof(*x));
	x->app.cfg = &x->cfg;
	x->app.tls = tls;
	x->req.app = &x->app;
	x->req.arena = A;
	x->req.method = "GET";
	buf_init(&x->resp.body, 0);
}

static void
rr_release(struct rr *x)
{
	resp_headers_free(&x->resp);
	buf_release(&x->resp.body);
}

/* The value of the n-th (0-based) response header called name. */
static const char *
header(const struct resp *resp, const char *name, int n)
{
	const struct resp_header *h;

	for (h = resp->headers; h; h = h->next)
		if (strcmp(h->name, name) == 0 && n-- == 0)
			return h->value;
	return NULL;
}

static void
set_cookie_has_the_safe_attributes(void **state)
{
	struct rr x;

	(void)state;
	rr_init(&x, 0);
	resp_cookie(&x.req, &x.resp, "colead", "tok", -1);
	assert_string_equal(header(&x.resp, "Set-Cookie", 0),
			    "colead=tok; Path=/; HttpOnly; SameSite=Lax");
	resp_cookie(&x.req, &x.resp, "other", "v", 3600);
	assert_string_equal(header(&x.resp, "Set-Cookie", 1),
			    "other=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
	rr_release(&x);

	rr_init(&x, 1);
	resp_cookie(&x.req, &x.resp, "__Host-colead", "", 0);
	assert_string_equal(header(&x.resp, "Set-Cookie", 0),
			    "__Host-colead=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
	rr_release(&x);
}

static void
setting_a_cookie_twice_keeps_the_last(void **state)
{
	struct rr x;

	(void)state;
	rr_init(&x, 0);
	resp_cookie(&x.req, &x.resp, "colead_flash", "", 0);
	resp_cookie(&x.req, &x.resp, "colead", "s", -1);
	resp_cookie(&x.req, &x.resp, "colead_flash", "ok%7Chi", 60);
	assert_string_equal(header(&x.resp, "Set-Cookie", 0),
			    "colead_flash=ok%7Chi; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
	assert_string_equal(header(&x.resp, "Set-Cookie", 1),
			    "colead=s; Path=/; HttpOnly; SameSite=Lax");
	assert_null(header(&x.resp, "Set-Cookie", 2));
	rr_release(&x);
}

static void
cookie_values_that_break_headers_are_refused(void **state)
{
	struct rr x;

	(void)state;
	rr_init(&x, 0);
	resp_cookie(&x.req, &x.resp, "a", "x\r\nSet-Cookie: evil=1", -1);
	resp_cookie(&x.req, &x.resp, "a", "semi;colon", -1);
	resp_cookie(&x.req, &x.resp, "a", "sp ace", -1);
	resp_cookie(&x.req, &x.resp, "bad name", "v", -1);
	resp_cookie(&x.req, &x.resp, "a=b", "v", -1);
	assert_null(x.resp.headers);
	rr_release(&x);
}

static void
flash_is_encoded_and_capped(void **state)
{
	struct rr	 x;
	const char	*sc;
	char		 msg[1000];
	size_t		 vlen;

	(void)state;
	rr_init(&x, 0);
	assert_int_equal(resp_redirect_flash(&x.req, &x.resp, "/account", "ok", "Saved: caf\xc3\xa9 & more"),
			 HTTP_SEE_OTHER);
	assert_string_equal(header(&x.resp, "Location", 0), "/account");
	assert_string_equal(header(&x.resp, "Set-Cookie", 0),
			    "colead_flash=ok%7CSaved%3A%20caf%C3%A9%20%26%20more; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
	rr_release(&x);

	/* a long message of two-byte characters is cut on a character
	 * boundary, the encoded value at most FLASH_MAX bytes */
	rr_init(&x, 0);
	for (vlen = 0; vlen + 2 < sizeof(msg); vlen += 2) {
		msg[vlen] = '\xc3';
		msg[vlen + 1] = '\xa9';
	}
	msg[vlen] = '\0';
	resp_redirect_flash(&x.req, &x.resp, "/", "weird-kind", msg);
	sc = header(&x.resp, "Set-Cookie", 0);
	assert_non_null(sc);
	assert_true(strncmp(sc, "colead_flash=ok%7C", 18) == 0);	/* unknown kind -> ok */
	vlen = strcspn(sc + 13, ";");
	assert_true(vlen <= FLASH_MAX);
	assert_true(vlen > FLASH_MAX - 6);
	assert_true(strncmp(sc + 13 + vlen - 6, "%C3%A9", 6) == 0);
	rr_release(&x);
}

static void
redirects_stay_on_site(void **state)
{
	struct rr x;

	(void)state;
	rr_init(&x, 0);
	resp_redirect(&x.resp, "/ok?x=1");
	resp_redirect(&x.resp, "//evil.example/");
	resp_redirect(&x.resp, "/\\evil.example");
	resp_redirect(&x.resp, "https://evil.example/");
	resp_redirect(&x.resp, "/split\r\nSet-Cookie: a=b");
	assert_string_equal(header(&x.resp, "Location", 0), "/ok?x=1");
	assert_string_equal(header(&x.resp, "Location", 1), "/");
	assert_string_equal(header(&x.resp, "Location", 2), "/");
	assert_string_equal(header(&x.resp, "Location", 3), "/");
	assert_string_equal(header(&x.resp, "Location", 4), "/");
	rr_release(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_plain_pairs),
		cmocka_unit_test(tolerates_spaces_quotes_and_junk),
		cmocka_unit_test(keeps_values_undecoded_and_duplicates_in_order),
		cmocka_unit_test(drops_pairs_that_are_not_text),
		cmocka_unit_test(stops_at_the_cookie_cap),
		cmocka_unit_test(full_arena_is_an_error),
		cmocka_unit_test(set_cookie_has_the_safe_attributes),
		cmocka_unit_test(setting_a_cookie_twice_keeps_the_last),
		cmocka_unit_test(cookie_values_that_break_headers_are_refused),
		cmocka_unit_test(flash_is_encoded_and_capped),
		cmocka_unit_test(redirects_stay_on_site),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
