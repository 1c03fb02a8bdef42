/* t_router.c - unit tests for the route matcher (src/http/router.c):
 * literal versus parameter precedence whatever the table order, decoded
 * parameters, method mismatch and Allow, prefix routes, trailing slashes,
 * dot segments, empty segments and very long paths.  Runs on test tables
 * with dummy handlers, never on the real ones. */
#include "../../src/core/arena.h"
#include "../../src/http/router.h"

#include <setjmp.h>
#include <cmocka.h>

static enum http_status h_a(struct req *r, struct resp *s) { (void)r; (void)s; return HTTP_OK; }
static enum http_status h_b(struct req *r, struct resp *s) { (void)r; (void)s; return HTTP_OK; }
static enum http_status h_c(struct req *r, struct resp *s) { (void)r; (void)s; return HTTP_OK; }

/* Param routes first on purpose: table order must not decide. */
static const struct route feature_a[] = {
	{ "GET",  "/sessions/:id",		h_a, 0 },
	{ "GET",  "/sessions/:id/:tab",		h_a, 0 },
	{ "POST", "/sessions/:id/star",		h_a, ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/",				h_a, 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct route feature_b[] = {
	{ "GET",  "/sessions/new",		h_b, 0 },
	{ "GET",  "/sessions/:id/star",		h_b, 0 },
	{ "GET",  "/blog/:slug",		h_b, 0 },
	{ "GET",  "/files/*",			h_b, ROUTE_PREFIX },
	{ "GET",  "/files/special",		h_c, 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct route *const tables[] = { feature_a, feature_b };

struct fixture {
	struct arena	*a;
	struct kv	*params;
	int		 mismatch;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->a = arena_new(1 << 20);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	free(f);
	return 0;
}

static const struct route *
match(struct fixture *f, const char *method, const char *path)
{
	return router_match_in(tables, ARRAY_SIZE(tables), method, path, f->a,
			       &f->params, &f->mismatch);
}

static const char *
param(const struct fixture *f, const char *name)
{
	const struct kv *kv;

	for (kv = f->params; kv; kv = kv->next)
		if (strcmp(kv->name, name) == 0)
			return kv->value;
	return NULL;
}

static void
literal_beats_param_in_any_table_order(void **state)
{
	struct fixture		*f = *state;
	const struct route	*r;

	r = match(f, "GET", "/sessions/new");
	assert_ptr_equal(r, &feature_b[0]);
	assert_null(f->params);

	r = match(f, "GET", "/sessions/42");
	assert_ptr_equal(r, &feature_a[0]);
	assert_string_equal(param(f, "id"), "42");

	/* /sessions/:id/star (b) beats /sessions/:id/:tab (a) */
	r = match(f, "GET", "/sessions/42/star");
	assert_ptr_equal(r, &feature_b[1]);
	r = match(f, "GET", "/sessions/42/notes");
	assert_ptr_equal(r, &feature_a[1]);
	assert_string_equal(param(f, "tab"), "notes");
}

static void
literal_beats_prefix_route(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(match(f, "GET", "/files/special"), &feature_b[4]);
	assert_ptr_equal(match(f, "GET", "/files/other"), &feature_b[3]);
}

static void
params_are_percent_decoded(void **state)
{
	struct fixture *f = *state;

	assert_non_null(match(f, "GET", "/blog/caf%C3%A9%20time"));
	assert_string_equal(param(f, "slug"), "caf\xc3\xa9 time");
	/* '+' is not a space in a path */
	assert_non_null(match(f, "GET", "/blog/a+b"));
	assert_string_equal(param(f, "slug"), "a+b");
	/* an encoded slash stays inside the segment */
	assert_non_null(match(f, "GET", "/blog/a%2Fb"));
	assert_string_equal(param(f, "slug"), "a/b");
	/* an encoded literal still matches the literal */
	assert_ptr_equal(match(f, "GET", "/sessions/%6Eew"), &feature_b[0]);
}

static void
bad_params_do_not_match(void **state)
{
	struct fixture *f = *state;

	assert_null(match(f, "GET", "/blog/%zz"));
	assert_null(match(f, "GET", "/blog/%C3"));	/* invalid UTF-8 */
	assert_null(match(f, "GET", "/blog/a%00b"));	/* NUL */
	assert_null(match(f, "GET", "/blog/a%0Ab"));	/* newline */
	assert_null(match(f, "GET", "/blog/%"));
}

static void
method_mismatch_is_reported(void **state)
{
	struct fixture	*f = *state;
	char		*allow;

	assert_null(match(f, "DELETE", "/sessions/42"));
	assert_int_equal(f->mismatch, 1);
	assert_null(match(f, "POST", "/nowhere"));
	assert_int_equal(f->mismatch, 0);
	/* POST and GET share /sessions/:id/star */
	assert_ptr_equal(match(f, "POST", "/sessions/7/star"), &feature_a[2]);
	assert_string_equal(param(f, "id"), "7");
	allow = router_allowed_in(tables, ARRAY_SIZE(tables), "/sessions/7/star", f->a);
	assert_string_equal(allow, "GET, HEAD, POST");
	allow = router_allowed_in(tables, ARRAY_SIZE(tables), "/blog/x", f->a);
	assert_string_equal(allow, "GET, HEAD");
	assert_null(router_allowed_in(tables, ARRAY_SIZE(tables), "/nowhere", f->a));
}

static void
head_is_answered_by_get(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(match(f, "HEAD", "/blog/x"), &feature_b[2]);
	assert_ptr_equal(match(f, "HEAD", "/sessions/1/star"), &feature_b[1]);
	assert_ptr_equal(match(f, "HEAD", "/"), &feature_a[3]);
}

static void
prefix_route_takes_the_rest(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(match(f, "GET", "/files/css/site.css"), &feature_b[3]);
	assert_string_equal(param(f, "*"), "css/site.css");
	assert_ptr_equal(match(f, "GET", "/files/a%20b/c"), &feature_b[3]);
	assert_string_equal(param(f, "*"), "a b/c");
	/* the tail must not be empty */
	assert_null(match(f, "GET", "/files"));
	assert_null(match(f, "GET", "/files/"));
}

static void
trailing_slash_and_empty_segments_match_nothing(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(match(f, "GET", "/"), &feature_a[3]);
	assert_null(match(f, "GET", "/sessions/42/"));
	assert_null(match(f, "GET", "/sessions//42"));
	assert_null(match(f, "GET", "//sessions/42"));
	assert_null(match(f, "GET", "/sessions/"));
	assert_int_equal(f->mismatch, 0);
	assert_null(match(f, "GET", "//"));
	assert_null(match(f, "GET", ""));
	assert_null(match(f, "GET", "sessions/42"));
}

static void
dot_segments_match_nothing(void **state)
{
	struct fixture *f = *state;

	assert_null(match(f, "GET", "/files/../etc/passwd"));
	assert_null(match(f, "GET", "/files/%2e%2e/etc/passwd"));
	assert_null(match(f, "GET", "/files/%2E./x"));
	assert_null(match(f, "GET", "/files/./x"));
	assert_null(match(f, "GET", "/blog/.."));
	assert_null(match(f, "GET", "/sessions/../sessions/new"));
	/* dots inside a name are fine */
	assert_non_null(match(f, "GET", "/files/site.min.css"));
	assert_non_null(match(f, "GET", "/blog/...more"));
}

static void
very_long_paths_are_refused_without_harm(void **state)
{
	struct fixture	*f = *state;
	size_t		 n = ROUTER_PATH_MAX + 100, i;
	char		*p = malloc(n + 1);

	p[0] = '/';
	memcpy(p + 1, "files/", 6);
	for (i = 7; i < n; i++)
		p[i] = (i % 2) ? 'a' : '/';
	p[n] = '\0';
	assert_null(match(f, "GET", p));
	/* just under the cap: many segments under a prefix route */
	p[ROUTER_PATH_MAX] = '\0';
	if (p[ROUTER_PATH_MAX - 1] == '/')
		p[ROUTER_PATH_MAX - 1] = 'z';
	assert_ptr_equal(match(f, "GET", p), &feature_b[3]);
	assert_int_equal(strlen(param(f, "*")), ROUTER_PATH_MAX - 7);
	/* one huge segment */
	memset(p + 1, 'x', ROUTER_PATH_MAX - 1);
	p[ROUTER_PATH_MAX] = '\0';
	assert_null(match(f, "GET", p));
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(literal_beats_param_in_any_table_order, setup, teardown),
		cmocka_unit_test_setup_teardown(literal_beats_prefix_route, setup, teardown),
		cmocka_unit_test_setup_teardown(params_are_percent_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_params_do_not_match, setup, teardown),
		cmocka_unit_test_setup_teardown(method_mismatch_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(head_is_answered_by_get, setup, teardown),
		cmocka_unit_test_setup_teardown(prefix_route_takes_the_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(trailing_slash_and_empty_segments_match_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(dot_segments_match_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(very_long_paths_are_refused_without_harm, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
