/* t_tmpl.c - the Mustache engine against the official spec suite
 * (SHARED_DIR/conformance/mustache, every required module, in a non-strict
 * set), then colead's strict-mode rules, compile errors, partial checks,
 * the recursion cap, the embedded templates (views_load) and the pages
 * view_render and view_error build from them.  A spec file
 * is one test: every case in it runs, each failure is printed with its
 * name, expected and actual output, and the test fails if any case did. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include "../../src/views/tmpl.h"
#include "../../src/views/tv.h"
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/http/http.h"
#include "../../src/feat/people/people.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/site/site.h"
#include "../../src/core/cfg.h"
#include "../../src/db/db.h"

#ifndef SHARED_DIR
#define SHARED_DIR "../shared"
#endif

/* Convert JSON into template values.  json_add_* put one JSON value under
 * a key of a map or at the end of a list. */
static void json_fill_map(struct tv *map, json_t *obj);
static void json_fill_list(struct tv *list, json_t *arr);

static void
json_set(struct tv *map, const char *key, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_fill_map(tv_set_map(map, key), j);
		break;
	case JSON_ARRAY:
		json_fill_list(tv_set_list(map, key), j);
		break;
	case JSON_STRING:
		tv_set_strn(map, key, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		tv_set_int(map, key, json_integer_value(j));
		break;
	case JSON_REAL:
		tv_set_real(map, key, json_real_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		tv_set_bool(map, key, json_is_true(j));
		break;
	case JSON_NULL:
		tv_set_null(map, key);
		break;
	}
}

static void
json_add(struct tv *list, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_fill_map(tv_list_add_map(list), j);
		break;
	case JSON_ARRAY:
		json_fill_list(tv_list_add_list(list), j);
		break;
	case JSON_STRING:
		tv_list_add_str(list, json_string_value(j));
		break;
	case JSON_INTEGER:
		tv_list_add_int(list, json_integer_value(j));
		break;
	case JSON_REAL:
		tv_list_add_real(list, json_real_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		tv_list_add_bool(list, json_is_true(j));
		break;
	case JSON_NULL:
		tv_list_add_null(list);
		break;
	}
}

static void
json_fill_map(struct tv *map, json_t *obj)
{
	const char	*key;
	json_t		*val;

	json_object_foreach(obj, key, val)
		json_set(map, key, val);
}

static void
json_fill_list(struct tv *list, json_t *arr)
{
	size_t	 i;
	json_t	*val;

	json_array_foreach(arr, i, val)
		json_add(list, val);
}

/* Any JSON value as a context: scalars go through a one-item list. */
static const struct tv *
json_to_tv(struct arena *a, json_t *j)
{
	struct tv	*list;

	if (json_is_object(j)) {
		struct tv *map = tv_new(a);

		json_fill_map(map, j);
		return map;
	}
	list = tv_new_list(a);
	json_add(list, j);
	return tv_at(list, 0);
}

/* Run every case of one spec file; returns the number that failed. */
static int
run_spec_file(const char *file)
{
	char		 path[512];
	json_error_t	 jerr;
	json_t		*root, *tests, *tc;
	size_t		 i;
	int		 failed = 0;

	snprintf(path, sizeof(path), "%s/conformance/mustache/%s", SHARED_DIR, file);
	root = json_load_file(path, 0, &jerr);
	if (!root)
		fail_msg("cannot load '%s': %s", path, jerr.text);
	tests = json_object_get(root, "tests");
	assert_true(json_is_array(tests));
	assert_true(json_array_size(tests) > 0);
	json_array_foreach(tests, i, tc) {
		const char	*name = json_string_value(json_object_get(tc, "name"));
		json_t		*tmpl = json_object_get(tc, "template");
		json_t		*expected = json_object_get(tc, "expected");
		json_t		*partials = json_object_get(tc, "partials");
		struct arena	*a = arena_new(0);
		struct tmpl_set	*s = tmpl_set_new(0);
		struct buf	 out;
		char		*err = NULL;
		const char	*pname;
		json_t		*pval;
		int		 ok = 1;

		buf_init(&out, 0);
		json_object_foreach(partials, pname, pval) {
			if (tmpl_add(s, pname, json_string_value(pval),
			    json_string_length(pval), &err) < 0) {
				ok = 0;
				break;
			}
		}
		if (ok && tmpl_add(s, "__test", json_string_value(tmpl),
		    json_string_length(tmpl), &err) < 0)
			ok = 0;
		if (ok && tmpl_check(s, 0, &err) < 0)
			ok = 0;
		if (ok && tmpl_render(s, "__test", json_to_tv(a, json_object_get(tc, "data")), &out) < 0) {
			err = strdup("render failed");
			ok = 0;
		}
		if (ok && (out.len != json_string_length(expected) ||
		    memcmp(out.data, json_string_value(expected), out.len) != 0)) {
			print_message("%s: '%s': expected [%s] got [%s]\n", file, name,
			    json_string_value(expected), out.data);
			failed++;
		} else if (!ok) {
			print_message("%s: '%s': %s\n", file, name, err ? err : "error");
			failed++;
		}
		free(err);
		buf_release(&out);
		tmpl_set_free(s);
		arena_free(a);
	}
	json_decref(root);
	return failed;
}

static void
spec_comments(void **state)
{
	(void)state;
	assert_int_equal(run_spec_file("comments.json"), 0);
}

static void
spec_delimiters(void **state)
{
	(void)state;
	assert_int_equal(run_spec_file("delimiters.json"), 0);
}

static void
spec_interpolation(void **state)
{
	(void)state;
	assert_int_equal(run_spec_file("interpolation.json"), 0);
}

static void
spec_inverted(void **state)
{
	(void)state;
	assert_int_equal(run_spec_file("inverted.json"), 0);
}

static void
spec_partials(void **state)
{
	(void)state;
	assert_int_equal(run_spec_file("partials.json"), 0);
}

static void
spec_sections(void **state)
{
	(void)state;
	assert_int_equal(run_spec_file("sections.json"), 0);
}

/* Compile src as "t" in a fresh set of the given strictness and render
 * it against ctx; returns the output (malloc'd) or NULL on any error. */
static char *
render_one(int strict, const char *src, const struct tv *ctx)
{
	struct tmpl_set	*s = tmpl_set_new(strict);
	struct buf	 out;
	char		*err = NULL, *res = NULL;

	buf_init(&out, 0);
	if (tmpl_add(s, "t", src, strlen(src), &err) < 0) {
		print_message("compile: %s\n", err);
		goto out;
	}
	if (tmpl_render(s, "t", ctx, &out) < 0)
		goto out;
	res = buf_detach(&out, NULL);
out:
	free(err);
	buf_release(&out);
	tmpl_set_free(s);
	return res;
}

/* The error message tmpl_add gives for src, or NULL if it compiled. */
static char *
compile_error(const char *name, const char *src)
{
	struct tmpl_set	*s = tmpl_set_new(1);
	char		*err = NULL;

	if (tmpl_add(s, name, src, strlen(src), &err) == 0)
		assert_null(err);
	tmpl_set_free(s);
	return err;
}

static void
strict_escapes_script_in_double_and_triple(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a);
	char		*out;

	(void)state;
	tv_set_str(v, "x", "<script>alert('x')</script>");
	out = render_one(1, "{{x}}|{{{x}}}|{{&x}}", v);
	assert_non_null(out);
	assert_string_equal(out,
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;|"
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;|"
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	assert_null(strstr(out, "<script"));
	free(out);
	/* The same template in a non-strict set writes it raw, as the spec says. */
	out = render_one(0, "{{{x}}}", v);
	assert_string_equal(out, "<script>alert('x')</script>");
	free(out);
	arena_free(a);
}

static void
strict_html_value_is_raw_only_in_triple(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a);
	struct tv	*list;
	char		*out;

	(void)state;
	tv_set_html(v, "h", "<em>hi</em>");
	list = tv_set_list(v, "items");
	tv_list_add_html(list, "<b>1</b>");
	tv_list_add_str(list, "<b>2</b>");
	out = render_one(1, "{{{h}}} {{&h}} {{h}} {{#items}}[{{{.}}}]{{/items}}", v);
	assert_non_null(out);
	assert_string_equal(out, "<em>hi</em> <em>hi</em> &lt;em&gt;hi&lt;/em&gt; "
	    "[<b>1</b>][&lt;b&gt;2&lt;/b&gt;]");
	free(out);
	arena_free(a);
}

static void
strict_escapes_attribute_quotes(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a);
	char		*out;

	(void)state;
	tv_set_str(v, "t", "x\" onmouseover='alert(1)' a=`b`");
	out = render_one(1, "<a title=\"{{t}}\" data-x='{{t}}'>", v);
	assert_non_null(out);
	assert_string_equal(out,
	    "<a title=\"x&quot; onmouseover&#61;&#39;alert(1)&#39; a&#61;&#96;b&#96;\" "
	    "data-x='x&quot; onmouseover&#61;&#39;alert(1)&#39; a&#61;&#96;b&#96;'>");
	free(out);
	arena_free(a);
}

static void
strict_numbers_and_booleans_interpolate(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a);
	char		*out;

	(void)state;
	tv_set_int(v, "i", -42);
	tv_set_real(v, "r", 0.1 + 0.2);
	tv_set_real(v, "q", 2.5);
	tv_set_bool(v, "b", 1);
	tv_set_null(v, "n");
	out = render_one(1, "{{i}} {{r}} {{q}} {{b}} [{{n}}] [{{missing}}]", v);
	assert_string_equal(out, "-42 0.30000000000000004 2.5 true [] []");
	free(out);
	arena_free(a);
}

static void
falsey_values_skip_sections(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a);
	char		*out;

	(void)state;
	tv_set_str(v, "empty", "");
	tv_set_int(v, "zero", 0);
	tv_set_list(v, "none");
	tv_set_map(v, "obj");
	out = render_one(1, "{{#empty}}E{{/empty}}{{^empty}}e{{/empty}}"
	    "{{#zero}}Z{{/zero}}{{^zero}}z{{/zero}}"
	    "{{#none}}N{{/none}}{{^none}}n{{/none}}"
	    "{{#obj}}O{{/obj}}{{^obj}}o{{/obj}}", v);
	assert_string_equal(out, "eznO");
	free(out);
	arena_free(a);
}

static void
syntax_errors_name_template_and_line(void **state)
{
	char	*err;

	(void)state;
	err = compile_error("people/login", "<p>\n{{#items}}\n{{name}}\n");
	assert_non_null(err);
	assert_string_equal(err, "people/login:2: unclosed section '#items'");
	free(err);

	err = compile_error("t", "{{#a}}\n{{^b}}\n{{/a}}\n{{/b}}");
	assert_non_null(err);
	assert_string_equal(err, "t:3: close tag 'a' does not match '^b' opened on line 2");
	free(err);

	err = compile_error("t", "one\ntwo {{name\nthree");
	assert_non_null(err);
	assert_string_equal(err, "t:2: unclosed tag");
	free(err);

	err = compile_error("t", "{{{x}}");
	assert_non_null(err);
	assert_string_equal(err, "t:1: unclosed tag");
	free(err);

	err = compile_error("t", "x\n{{/a}}");
	assert_non_null(err);
	assert_string_equal(err, "t:2: close tag 'a' without an open section");
	free(err);

	err = compile_error("t", "{{=<% %>=}}\n<%a b%>");
	assert_non_null(err);
	assert_string_equal(err, "t:2: bad name 'a b'");
	free(err);

	err = compile_error("t", "{{= x =}}");
	assert_non_null(err);
	assert_string_equal(err, "t:1: bad delimiter tag 'x'");
	free(err);

	err = compile_error("t", "{{a..b}} {{}}");
	assert_non_null(err);
	assert_string_equal(err, "t:1: bad name 'a..b'");
	free(err);

	/* Errors leave a set usable, and a bad template is not added. */
	{
		struct tmpl_set	*s = tmpl_set_new(1);

		err = NULL;
		assert_int_equal(tmpl_add(s, "bad", "{{#x}}", 6, &err), -1);
		free(err);
		assert_false(tmpl_has(s, "bad"));
		assert_int_equal(tmpl_add(s, "good", "ok", 2, NULL), 0);
		assert_true(tmpl_has(s, "good"));
		err = NULL;
		assert_int_equal(tmpl_add(s, "good", "again", 5, &err), -1);
		assert_string_equal(err, "good:1: a template with this name already exists");
		free(err);
		tmpl_set_free(s);
	}
}

static void
missing_partial_fails_check(void **state)
{
	struct tmpl_set	*s = tmpl_set_new(1);
	struct buf	 out;
	char		*err = NULL;
	const char	*page = "a\n  {{> parts/nope }}\nb";

	(void)state;
	assert_int_equal(tmpl_add(s, "page", page, strlen(page), &err), 0);
	assert_int_equal(tmpl_check(s, 1, &err), -1);
	assert_non_null(err);
	assert_string_equal(err, "page:2: no template 'parts/nope' for this partial");
	free(err);
	err = NULL;
	/* Without require_partials the spec's rule holds: it renders as nothing. */
	assert_int_equal(tmpl_check(s, 0, &err), 0);
	buf_init(&out, 0);
	assert_int_equal(tmpl_render(s, "page", NULL, &out), 0);
	assert_string_equal(out.data, "a\nb");
	/* Adding it later satisfies the check. */
	assert_int_equal(tmpl_add(s, "parts/nope", "P\n", 2, &err), 0);
	assert_int_equal(tmpl_check(s, 1, &err), 0);
	buf_reset(&out);
	assert_int_equal(tmpl_render(s, "page", NULL, &out), 0);
	assert_string_equal(out.data, "a\n  P\nb");
	buf_release(&out);
	tmpl_set_free(s);
}

static void
recursive_partial_is_capped(void **state)
{
	struct tmpl_set	*s = tmpl_set_new(1);
	struct buf	 out;
	size_t		 i;

	(void)state;
	assert_int_equal(tmpl_add(s, "loop", "x{{>loop}}", 10, NULL), 0);
	assert_int_equal(tmpl_add(s, "ind", " {{>ind}}\n", 10, NULL), 0);
	assert_int_equal(tmpl_check(s, 1, NULL), 0);
	buf_init(&out, 0);
	assert_int_equal(tmpl_render(s, "loop", NULL, &out), 0);
	/* The template itself plus 64 levels of partials. */
	assert_int_equal(out.len, 65);
	for (i = 0; i < out.len; i++)
		assert_int_equal(out.data[i], 'x');
	buf_reset(&out);
	/* A standalone self-include: indentation grows, then stops. */
	assert_int_equal(tmpl_render(s, "ind", NULL, &out), 0);
	buf_release(&out);
	tmpl_set_free(s);
}

static void
render_fails_when_output_too_big(void **state)
{
	struct tmpl_set	*s = tmpl_set_new(1);
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a), *list = tv_set_list(v, "l");
	struct buf	 out;
	int		 i;

	(void)state;
	for (i = 0; i < 100; i++)
		tv_list_add_int(list, i);
	assert_int_equal(tmpl_add(s, "t", "{{#l}}{{.}},{{/l}}", 18, NULL), 0);
	buf_init(&out, 64);
	assert_int_equal(tmpl_render(s, "t", v, &out), -1);
	assert_true(out.toobig);
	buf_release(&out);
	buf_init(&out, 0);
	assert_int_equal(tmpl_render(s, "nosuch", v, &out), -1);
	assert_int_equal(tmpl_render(s, "t", v, &out), 0);
	assert_true(strncmp(out.data, "0,1,2,", 6) == 0);
	buf_release(&out);
	tmpl_set_free(s);
	arena_free(a);
}

/* Render an embedded template with a set from views_load. */
static char *
render_view(struct tmpl_set *s, const char *name, const struct tv *v)
{
	struct buf	 out;

	buf_init(&out, 0);
	assert_int_equal(tmpl_render(s, name, v, &out), 0);
	return buf_detach(&out, NULL);
}

static void
embedded_templates_load_and_layout_is_safe(void **state)
{
	struct tmpl_set	*s;
	struct arena	*a = arena_new(0);
	struct tv	*v = tv_new(a), *nav, *item, *person;
	char		*err = NULL, *out;

	(void)state;
	s = views_load(&err);
	if (!s)
		fail_msg("views_load: %s", err);
	assert_true(tmpl_has(s, "layout"));
	assert_true(tmpl_has(s, "error"));
	assert_true(tmpl_has(s, "partials/nav"));

	tv_set_str(v, "title", "Agenda <2027>");
	tv_set_str(v, "event_name", "Convention & Co");
	tv_set_html(v, "body", "<h1>Body</h1>");
	tv_set_str(v, "csrf", "tok\"en");
	tv_set_str(v, "path", "/agenda");
	nav = tv_set_list(v, "nav");
	item = tv_list_add_map(nav);
	tv_set_str(item, "href", "/");
	tv_set_str(item, "label", "Home");
	tv_set_bool(item, "current", 0);
	item = tv_list_add_map(nav);
	tv_set_str(item, "href", "/agenda");
	tv_set_str(item, "label", "Agenda");
	tv_set_bool(item, "current", 1);
	out = render_view(s, "layout", v);
	assert_true(strncmp(out, "<!doctype html>\n<html lang=\"en-GB\"", 34) == 0);
	assert_non_null(strstr(out, "<title>Agenda &lt;2027&gt; · Convention &amp; Co</title>"));
	assert_non_null(strstr(out, "<main id=\"main\""));
	assert_non_null(strstr(out, "href=\"#main\""));
	assert_non_null(strstr(out, "<h1>Body</h1>"));
	assert_non_null(strstr(out, "<a href=\"/agenda\" aria-current=\"page\">Agenda</a>"));
	assert_non_null(strstr(out, "<a href=\"/\">Home</a>"));
	assert_non_null(strstr(out, "<details"));
	assert_non_null(strstr(out, "href=\"/login\""));
	assert_null(strstr(out, "/logout"));
	assert_null(strstr(out, "style="));
	assert_null(strstr(out, "<style"));
	assert_null(strstr(out, "<script>"));
	assert_null(strstr(out, "{{"));
	free(out);

	person = tv_set_map(v, "person");
	tv_set_str(person, "name", "Ann <b>");
	item = tv_set_map(v, "flash");
	tv_set_str(item, "kind", "ok");
	tv_set_str(item, "message", "Saved <now>");
	out = render_view(s, "layout", v);
	assert_non_null(strstr(out, "Signed in as Ann &lt;b&gt;"));
	assert_non_null(strstr(out, "action=\"/logout\""));
	assert_non_null(strstr(out, "<input type=\"hidden\" name=\"_csrf\" value=\"tok&quot;en\">"));
	assert_non_null(strstr(out, "Saved &lt;now&gt;"));
	assert_null(strstr(out, "href=\"/login\""));
	free(out);

	v = tv_new(a);
	tv_set_int(v, "status", 404);
	tv_set_str(v, "reason", "Not Found");
	tv_set_str(v, "message", "No <such> page");
	out = render_view(s, "error", v);
	assert_non_null(strstr(out, "Not Found</h1>"));
	assert_non_null(strstr(out, "404"));
	assert_non_null(strstr(out, "No &lt;such&gt; page"));
	free(out);

	tmpl_set_free(s);
	arena_free(a);
}

/* A request as the HTTP adapter fills it, with the real embedded views. */
struct page_fixture {
	struct app	 app;
	struct req	 req;
	struct resp	 resp;
	struct person	 person;
};

static void
page_setup(struct page_fixture *f)
{
	static char	 event_name[] = "Leading Together 2027";
	char		*err = NULL;

	memset(f, 0, sizeof(*f));
	f->app.views = views_load(&err);
	if (!f->app.views)
		fail_msg("views_load: %s", err);
	f->app.event_name = event_name;
	f->req.app = &f->app;
	f->req.arena = arena_new(0);
	f->req.method = "GET";
	f->req.path = "/account/password";
	buf_init(&f->resp.body, 0);
}

static void
page_teardown(struct page_fixture *f)
{
	buf_release(&f->resp.body);
	arena_free(f->req.arena);
	tmpl_set_free(f->app.views);
}

static void
view_render_wraps_page_in_layout(void **state)
{
	struct page_fixture	 f;
	struct tv		*v;
	const char		*out;

	(void)state;
	page_setup(&f);
	v = tv_new(f.req.arena);
	tv_set_str(v, "status", "ignored");
	assert_int_equal(view_render(&f.req, &f.resp, "error", "Day <1>", v), HTTP_OK);
	assert_int_equal(f.resp.status, 200);
	assert_string_equal(f.resp.content_type, "text/html; charset=utf-8");
	out = f.resp.body.data;
	assert_non_null(strstr(out, "<title>Day &lt;1&gt; · Leading Together 2027</title>"));
	assert_non_null(strstr(out, "<a href=\"/\">Home</a>"));
	/* a visitor is not offered the signed-in entries */
	assert_null(strstr(out, "href=\"/account\""));
	assert_non_null(strstr(out, "Error ignored"));
	assert_non_null(strstr(out, "href=\"/login\""));
	assert_null(strstr(out, "flash flash-"));

	/* Signed in, with a flash, and a status chosen by the handler. */
	f.person.name = "Sam O'Neil";
	f.person.roles = ROLE_ORGANISER;
	f.req.person = &f.person;
	f.req.csrf = "abc123";
	f.req.flash = "Saved <it>";
	f.req.flash_kind = "error";
	f.req.path = "/";
	f.resp.status = HTTP_UNPROCESSABLE;
	assert_int_equal(view_render(&f.req, &f.resp, "error", NULL, NULL), HTTP_UNPROCESSABLE);
	out = f.resp.body.data;
	assert_non_null(strstr(out, "<title>Leading Together 2027</title>"));
	assert_non_null(strstr(out, "Signed in as Sam O&#39;Neil"));
	assert_non_null(strstr(out, "<input type=\"hidden\" name=\"_csrf\" value=\"abc123\">"));
	assert_non_null(strstr(out, "<p class=\"flash flash-error\" role=\"status\">Saved &lt;it&gt;</p>"));
	assert_non_null(strstr(out, "<a href=\"/\" aria-current=\"page\">Home</a>"));
	assert_non_null(strstr(out, "<a href=\"/account\">Your account</a>"));
	f.req.path = "/account/password";
	assert_int_equal(view_render(&f.req, &f.resp, "error", NULL, NULL), HTTP_UNPROCESSABLE);
	out = f.resp.body.data;
	assert_non_null(strstr(out, "<a href=\"/account\" aria-current=\"page\">Your account</a>"));
	/* The body was replaced, not appended to. */
	assert_int_equal(strstr(out + 1, "<!doctype") == NULL, 1);

	assert_int_equal(view_render(&f.req, &f.resp, "no/such", NULL, NULL), HTTP_INTERNAL);
	assert_int_equal(f.resp.body.len, 0);
	page_teardown(&f);
}

static void
view_render_gives_page_the_shared_values(void **state)
{
	struct page_fixture	 f;
	struct tmpl_set		*views;
	struct tv		*v;
	const char		*form = "<input name=\"_csrf\" value=\"{{csrf}}\">"
				    "{{person.name}}|{{event_name}}|{{title}}";

	(void)state;
	page_setup(&f);
	views = f.app.views;
	f.app.views = tmpl_set_new(1);
	assert_int_equal(tmpl_add(f.app.views, "layout", "[{{{body}}}]", 12, NULL), 0);
	assert_int_equal(tmpl_add(f.app.views, "form", form, strlen(form), NULL), 0);
	f.person.name = "Ann";
	f.req.person = &f.person;
	f.req.csrf = "t0k";
	assert_int_equal(view_render(&f.req, &f.resp, "form", "Edit", NULL), HTTP_OK);
	assert_string_equal(f.resp.body.data,
	    "[<input name=\"_csrf\" value=\"t0k\">Ann|Leading Together 2027|Edit]");
	/* A handler's own value of the same name wins in its page. */
	v = tv_new(f.req.arena);
	tv_set_str(v, "title", "mine");
	assert_int_equal(view_render(&f.req, &f.resp, "form", "Edit", v), HTTP_OK);
	assert_string_equal(f.resp.body.data,
	    "[<input name=\"_csrf\" value=\"t0k\">Ann|Leading Together 2027|mine]");
	tmpl_set_free(f.app.views);
	f.app.views = views;
	page_teardown(&f);
}

static void
view_error_shows_reason_and_escaped_message(void **state)
{
	struct page_fixture	 f;
	struct tmpl_set		*views;
	const char		*out;

	(void)state;
	page_setup(&f);
	assert_int_equal(view_error(&f.req, &f.resp, 404, "No <b>such</b> session"), HTTP_NOT_FOUND);
	assert_int_equal(f.resp.status, 404);
	out = f.resp.body.data;
	assert_non_null(strstr(out, "<title>Not Found · Leading Together 2027</title>"));
	assert_non_null(strstr(out, ">Not Found</h1>"));
	assert_non_null(strstr(out, "Error 404"));
	assert_non_null(strstr(out, "No &lt;b&gt;such&lt;/b&gt; session"));
	assert_null(strstr(out, "<b>such"));

	assert_int_equal(view_error(&f.req, &f.resp, 500, NULL), HTTP_INTERNAL);
	assert_non_null(strstr(f.resp.body.data, ">Internal Server Error</h1>"));
	assert_null(strstr(f.resp.body.data, "error-message"));

	/* Without views it still answers, in plain text. */
	views = f.app.views;
	f.app.views = NULL;
	assert_int_equal(view_error(&f.req, &f.resp, 503, "x"), HTTP_UNAVAILABLE);
	assert_string_equal(f.resp.body.data, "503 Service Unavailable\n");
	assert_string_equal(f.resp.content_type, "text/plain; charset=utf-8");
	f.app.views = views;
	page_teardown(&f);
}

/* The menu: Blog after Home, then the site's pages flagged "in menu" in
 * their menu order (read from the database), then the signed-in entries;
 * a page below /blog marks Blog current. */
static void
nav_lists_blog_and_menu_pages_in_order(void **state)
{
	struct page_fixture	 f;
	struct page_errors	 e;
	struct page		 p;
	struct cfg		 cfg;
	char			*err = NULL;
	const char		*out, *home, *blog, *second, *first, *acct;
	static const char *const titles[] = { "Second <b>", "First", "Hidden" };
	size_t			 i;

	(void)state;
	page_setup(&f);
	f.req.path = "/blog/some-post";
	assert_int_equal(view_error(&f.req, &f.resp, 404, NULL), HTTP_NOT_FOUND);
	out = f.resp.body.data;
	assert_non_null(strstr(out, "<a href=\"/blog\" aria-current=\"page\">Blog</a>"));
	assert_null(strstr(out, "/pages/"));	/* no database: no pages, no failure */

	assert_int_equal(cfg_init(&cfg, &err), 0);
	f.app.cfg = &cfg;
	f.req.db = db_open("sqlite::memory:", &err);
	assert_non_null(f.req.db);
	assert_true(db_migrate(f.req.db) > 0);
	f.app.event_name = NULL;	/* event_app_init replaces (frees) it */
	assert_int_equal(event_app_init(&f.app, f.req.db), E_OK);
	for (i = 0; i < ARRAY_SIZE(titles); i++) {
		memset(&p, 0, sizeof(p));
		memset(&e, 0, sizeof(e));
		p.title = titles[i];
		p.in_menu = i < 2;
		p.menu_order = i == 0 ? 20 : 10;
		assert_int_equal(site_page_save(&f.app, f.req.db, f.req.arena, &p, &e), E_OK);
	}
	f.person.name = "Ann";
	f.req.person = &f.person;
	f.req.path = "/pages/first";
	f.resp.status = 0;
	assert_int_equal(view_render(&f.req, &f.resp, "error", NULL, NULL), HTTP_OK);
	out = f.resp.body.data;
	home = strstr(out, "<a href=\"/\">Home</a>");
	blog = strstr(out, "<a href=\"/blog\">Blog</a>");
	first = strstr(out, "<a href=\"/pages/first\" aria-current=\"page\">First</a>");
	second = strstr(out, "<a href=\"/pages/second-b\">Second &lt;b&gt;</a>");
	acct = strstr(out, "<a href=\"/account\">Your account</a>");
	assert_true(home && blog && first && second && acct);
	assert_true(home < blog && blog < first && first < second && second < acct);
	assert_null(strstr(out, "Hidden"));
	db_close(f.req.db);
	free(f.app.event_name);
	f.app.event_name = NULL;
	cfg_release(&cfg);
	page_teardown(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_comments),
		cmocka_unit_test(spec_delimiters),
		cmocka_unit_test(spec_interpolation),
		cmocka_unit_test(spec_inverted),
		cmocka_unit_test(spec_partials),
		cmocka_unit_test(spec_sections),
		cmocka_unit_test(strict_escapes_script_in_double_and_triple),
		cmocka_unit_test(strict_html_value_is_raw_only_in_triple),
		cmocka_unit_test(strict_escapes_attribute_quotes),
		cmocka_unit_test(strict_numbers_and_booleans_interpolate),
		cmocka_unit_test(falsey_values_skip_sections),
		cmocka_unit_test(syntax_errors_name_template_and_line),
		cmocka_unit_test(missing_partial_fails_check),
		cmocka_unit_test(recursive_partial_is_capped),
		cmocka_unit_test(render_fails_when_output_too_big),
		cmocka_unit_test(embedded_templates_load_and_layout_is_safe),
		cmocka_unit_test(view_render_wraps_page_in_layout),
		cmocka_unit_test(view_render_gives_page_the_shared_values),
		cmocka_unit_test(view_error_shows_reason_and_escaped_message),
		cmocka_unit_test(nav_lists_blog_and_menu_pages_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
