/* bench_markdown.c - pathological Markdown at the largest post a person
 * may save (BLOG_BODY_MAX, 100 KB) must render in under 100 ms: deep
 * nesting of quotes and lists, long runs of emphasis and brackets,
 * unclosed code spans, many link references, a wide table.  Each input is
 * rendered three times and the least CPU time counts (the machine is shared);
 * sanitizer builds get three times the budget.  Run by `make test` (the
 * fuzz stage of tests/run.sh); exit status 1 when an input is too slow or
 * does not render.  It measures, it does not fuzz. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/feat/blog/blog.h"
#include "../../src/views/markdown.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define BUDGET_MS	100.0

#if defined(__SANITIZE_ADDRESS__)
#define SLOWDOWN	3.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOWDOWN	3.0
#endif
#endif
#ifndef SLOWDOWN
#define SLOWDOWN	1.0
#endif

/* Fill b with unit repeated to just under max bytes, then tail. */
static void
repeat(struct buf *b, const char *unit, const char *tail, size_t max)
{
	size_t u = strlen(unit), t = strlen(tail);

	buf_reset(b);
	while (b->len + u + t <= max)
		buf_adds(b, unit);
	buf_adds(b, tail);
}

/* Milliseconds of CPU this thread has used. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);	/* CPU time: a busy machine does not inflate it */
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Render each case three times; 1 if any is too slow or fails. */
int
main(void)
{
	static const struct {
		const char *name, *unit, *tail;
	} cases[] = {
		{ "nested quotes", ">", " deep\n" },
		{ "nested lists", "- ", "x\n" },
		{ "nested lists by line", "  - a\n", "\n" },
		{ "emphasis run", "*a", "\n" },
		{ "open emphasis", "*", "a\n" },
		{ "strong and under", "**_", "x\n" },
		{ "brackets", "[", "x\n" },
		{ "link chains", "[a](", "\n" },
		{ "images in links", "[![", "\n" },
		{ "backticks", "`a", "\n" },
		{ "code span runs", "``` ", "\n" },
		{ "entities", "&amp;&#1;&#x41;", "\n" },
		{ "autolinks", "http://a.b/ www.c.d ", "\n" },
		{ "link references", "[r]: /u\n[r] ", "\n" },
		{ "wide table", "| a ", "|\n|-|\n" },
		{ "table rows", "|a|b|\n|-|-|\n", "\n" },
		{ "html-looking text", "<a href=", "\n" },
		{ "strikethrough", "~~a", "\n" },
		{ "headings", "# a\n", "\n" },
		{ "plain prose", "The convention meets in Leeds. ", "\n" },
	};
	struct buf	 b;
	size_t		 i;
	int		 k, bad = 0;
	double		 budget = BUDGET_MS * SLOWDOWN, worst = 0;

	buf_init(&b, BLOG_BODY_MAX + 64);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double best = 1e9;

		repeat(&b, cases[i].unit, cases[i].tail, BLOG_BODY_MAX);
		for (k = 0; k < 3; k++) {
			struct arena	*a = arena_new(0);
			double		 t0 = now_ms(), t;
			char		*html = markdown_html(a, b.data, b.len);

			t = now_ms() - t0;
			if (!html) {
				printf("FAIL  %-22s does not render\n", cases[i].name);
				bad = 1;
			}
			arena_free(a);
			if (t < best)
				best = t;
		}
		if (best > worst)
			worst = best;
		printf("%s  %-22s %7zu bytes  %7.1f ms\n", best > budget ? "SLOW" : "ok  ",
		    cases[i].name, b.len, best);
		if (best > budget)
			bad = 1;
	}
	printf("worst %.1f ms of a %.0f ms budget\n", worst, budget);
	buf_release(&b);
	return bad;
}
