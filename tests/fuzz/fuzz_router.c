/* fuzz_router.c - libFuzzer driver for the route matcher (src/http/
 * router.h).  The input's first byte picks a method, the rest is the raw
 * path; it is matched against a test table mixing literals, parameters and
 * a prefix route, and against the server's real tables (router_match).
 * Checked: a route that matches really has that method (or HEAD on GET),
 * its parameters are acceptable text, and a match is never also a method
 * mismatch; router_allowed() runs on the same path. */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/http/form.h"
#include "../../src/http/router.h"

#include <string.h>

/* A handler that is never run: matching only needs the table. */
static enum http_status
h(struct req *r, struct resp *s)
{
	(void)r;
	(void)s;
	return HTTP_OK;
}

static const struct route table[] = {
	{ "GET",  "/",				h, 0 },
	{ "GET",  "/sessions/:id",		h, 0 },
	{ "GET",  "/sessions/new",		h, 0 },
	{ "POST", "/sessions/:id/star",		h, ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/live/:id/questions/:qid",	h, 0 },
	{ "GET",  "/files/*",			h, ROUTE_PREFIX },
	{ "GET",  "/files/special",		h, 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct route *const tables[] = { table };

/* Check one match result. */
static void
check(const struct route *r, const char *method, struct kv *params, int mismatch)
{
	struct kv *kv;

	if (!r)
		return;
	CHECK(!mismatch);
	CHECK(!strcmp(r->method, method) ||
	      (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")));
	for (kv = params; kv; kv = kv->next) {
		CHECK(kv->name && kv->value);
		CHECK(form_text_ok(kv->value, strlen(kv->value), 1));
	}
}

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "PUT" };
	struct arena		*a;
	const struct route	*r;
	struct kv		*params = NULL;
	const char		*method;
	char			*path;
	int			 mismatch = 0;

	if (size < 1)
		return 0;
	a = arena_new(FUZZ_ARENA);
	method = methods[data[0] % 4];
	path = arena_strndup(a, (const char *)data + 1, size - 1);
	CHECK(path);
	r = router_match_in(tables, 1, method, path, a, &params, &mismatch);
	check(r, method, params, mismatch);
	(void)router_allowed_in(tables, 1, path, a);
	params = NULL;
	r = router_match(method, path, a, &params, &mismatch);
	check(r, method, params, mismatch);
	(void)router_allowed(path, a);
	arena_free(a);
	return 0;
}
