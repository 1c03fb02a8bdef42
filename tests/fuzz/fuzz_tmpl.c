/* fuzz_tmpl.c - libFuzzer driver for the Mustache compiler and renderer
 * (src/views/tmpl.h).  The input is compiled as a template of a strict set
 * (what colead serves) next to two fixed partials, then, if it compiled,
 * rendered against a context full of hostile text.  Checked: compiling
 * either succeeds or gives an error message; a hostile value never reaches
 * the output unescaped (the marker tag appears only if the template itself
 * wrote it), and the output buffer's cap is honoured.  The input's name
 * holds a space, so it cannot name itself as a partial and recurse. */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/views/tmpl.h"
#include "../../src/views/tv.h"

#include <string.h>

#define MARK	"<x-hostile"
#define OUT_MAX	(1u << 20)

static const char partial_p[] = "<p>{{name}}</p>{{#list}}[{{.}}]{{/list}}{{{name}}}";
static const char partial_q[] = "{{>p}}{{#map}}{{>p}}{{/map}}";

/* The context: every kind of value, the strings hostile. */
static struct tv *
context(struct arena *a)
{
	struct tv *v = tv_new(a), *l, *m;

	tv_set_str(v, "name", MARK " onload=\"alert(1)\">'&");
	tv_set_html(v, "safe", "<b>fine</b>");
	tv_set_int(v, "n", -42);
	tv_set_real(v, "r", 1.5);
	tv_set_bool(v, "yes", 1);
	tv_set_bool(v, "no", 0);
	tv_set_null(v, "nothing");
	l = tv_set_list(v, "list");
	tv_list_add_str(l, MARK ">1");
	tv_list_add_int(l, 2);
	tv_list_add_bool(l, 1);
	m = tv_list_add_map(l);
	tv_set_str(m, "name", MARK ">inner");
	m = tv_set_map(v, "map");
	tv_set_str(m, "name", "</script>" MARK ">");
	tv_set_list(m, "empty");
	return v;
}

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set	*s = tmpl_set_new(1);
	struct arena	*a = arena_new(FUZZ_ARENA);
	struct buf	 out;
	char		*err = NULL;
	char		*src;
	int		 rc;

	buf_init(&out, OUT_MAX);
	CHECK(tmpl_add(s, "p", partial_p, strlen(partial_p), &err) == 0);
	CHECK(tmpl_add(s, "q", partial_q, strlen(partial_q), &err) == 0);
	rc = tmpl_add(s, "fuzz input", (const char *)data, size, &err);
	if (rc < 0) {
		CHECK(err != NULL);
		goto out;
	}
	if (tmpl_check(s, 0, &err) < 0)
		goto out;
	rc = tmpl_render(s, "fuzz input", context(a), &out);
	CHECK(out.len <= OUT_MAX);
	CHECK(out.data[out.len] == '\0');
	src = arena_strndup(a, (const char *)data, size);
	if (rc == 0 && src && !memmem(data, size, "x-hostile", 9) && strlen(src) == size)
		CHECK(!strstr(out.data, MARK));
out:
	free(err);
	buf_release(&out);
	arena_free(a);
	tmpl_set_free(s);
	return 0;
}
