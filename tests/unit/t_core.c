/* t_core.c - unit tests for src/core: arena limits, buf caps and the
 * escaping appenders, slice parsing, UTF-8 checks and the configuration
 * table. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/core/cfg.h"
#include "../../src/core/str.h"
#include "../../src/core/utf8.h"

#include <setjmp.h>
#include <cmocka.h>

static void
arena_refuses_past_limit(void **state)
{
	struct arena	*a = arena_new(1000);
	void		*p;

	(void)state;
	p = arena_alloc(a, 900);
	assert_non_null(p);
	assert_null(arena_alloc(a, 200));
	assert_non_null(arena_alloc(a, 50));
	assert_null(arena_alloc(a, SIZE_MAX));
	arena_free(a);
}

static int deferred_order[3], ndeferred;

static void
note(void *arg)
{
	deferred_order[ndeferred++] = (int)(intptr_t)arg;
}

static void
arena_runs_defers_newest_first(void **state)
{
	struct arena	*a = arena_new(0);
	char		*big;

	(void)state;
	ndeferred = 0;
	arena_defer(a, note, (void *)1);
	arena_defer(a, note, (void *)2);
	big = arena_alloc(a, 100000);	/* a block of its own */
	assert_non_null(big);
	memset(big, 'x', 100000);
	assert_string_equal(arena_printf(a, "%d-%s", 7, "x"), "7-x");
	arena_free(a);
	assert_int_equal(ndeferred, 2);
	assert_int_equal(deferred_order[0], 2);
	assert_int_equal(deferred_order[1], 1);
}

static void
buf_caps_and_sticks(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(b.data, "");
	buf_adds(&b, "12345");
	buf_adds(&b, "6789");		/* would pass 8 */
	assert_true(b.toobig);
	assert_string_equal(b.data, "12345");
	buf_adds(&b, "a");		/* sticky: dropped too */
	assert_string_equal(b.data, "12345");
	buf_reset(&b);
	assert_false(b.toobig);
	buf_addf(&b, "%d", 42);
	assert_string_equal(b.data, "42");
	buf_release(&b);
	assert_string_equal(b.data, "");
}

static void
buf_html_escapes_every_dangerous_character(void **state)
{
	struct buf	 b;
	const char	*in = "<a href=\"x\" onclick='y'>&`</a>";

	(void)state;
	buf_init(&b, 0);
	buf_add_html(&b, in, strlen(in));
	assert_string_equal(b.data,
	    "&lt;a href&#61;&quot;x&quot; onclick&#61;&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;");
	buf_release(&b);
}

static void
buf_json_is_one_safe_line(void **state)
{
	struct buf	b;
	const char	in[] = "a\"b\\c\n</script>\xe2\x80\xa8\x01\xff";

	(void)state;
	buf_init(&b, 0);
	buf_add_json_str(&b, in, sizeof(in) - 1);
	assert_string_equal(b.data,
	    "\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u2028\\u0001\\ufffd\"");
	assert_null(strchr(b.data, '\n'));
	buf_release(&b);
}

static void
buf_urlenc_keeps_unreserved(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_add_urlenc(&b, "/a b?c=d&e~f", 12);
	assert_string_equal(b.data, "%2Fa%20b%3Fc%3Dd%26e~f");
	buf_release(&b);
}

static void
str_parses_integers_strictly(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(str_to_i64("42", 2, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_to_i64("-9223372036854775808", 20, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(str_to_i64("9223372036854775808", 19, &v), -1);
	assert_int_equal(str_to_i64("", 0, &v), -1);
	assert_int_equal(str_to_i64("-", 1, &v), -1);
	assert_int_equal(str_to_i64("12a", 3, &v), -1);
	assert_int_equal(str_to_i64(" 1", 2, &v), -1);
}

static void
str_urldecode_rejects_bad_escapes(void **state)
{
	struct arena	*a = arena_new(0);
	char		*out;
	size_t		 n;

	(void)state;
	assert_int_equal(str_urldecode(a, "a+b%20c%2b", 10, 1, &out, &n), 0);
	assert_string_equal(out, "a b c+");
	assert_int_equal(str_urldecode(a, "a+b", 3, 0, &out, &n), 0);
	assert_string_equal(out, "a+b");
	assert_int_equal(str_urldecode(a, "%00x", 4, 1, &out, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(str_urldecode(a, "%ZZ", 3, 1, &out, &n), -1);
	assert_int_equal(str_urldecode(a, "%4", 2, 1, &out, &n), -1);
	assert_int_equal(str_urldecode(a, "abc%", 4, 1, &out, &n), -1);
	arena_free(a);
}

static void
str_trim_and_compare(void **state)
{
	const char	*p = "  hi there \t\n";
	size_t		 n = strlen(p);

	(void)state;
	str_trim(&p, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(p, "hi there", 8);
	assert_true(str_case_eq("HeLLo", "hello"));
	assert_false(str_case_eq("hello", "hell"));
	assert_true(str_eq(NULL, NULL));
	assert_false(str_eq("a", NULL));
	assert_true(str_ct_eq("abc", "abc", 3));
	assert_false(str_ct_eq("abc", "abd", 3));
}

static void
utf8_is_strict(void **state)
{
	(void)state;
	assert_true(utf8_valid("caf\xc3\xa9", 5));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(utf8_valid("\xc0\xaf", 2));		/* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));	/* past U+10FFFF */
	assert_false(utf8_valid("\xe2\x82", 2));		/* truncated */
	assert_false(utf8_valid("\xff", 1));
	assert_int_equal(utf8_len("caf\xc3\xa9", 5), 4);
	assert_true(utf8_len("\xff", 1) == (size_t)-1);
	assert_true(utf8_has_controls("a\x01", 2, 0));
	assert_false(utf8_has_controls("a\tb\nc", 5, 0));
	assert_true(utf8_has_controls("a\nb", 3, 1));
}

static void
cfg_reads_flags_env_and_ranges(void **state)
{
	struct cfg	 c;
	char		*err = NULL;

	(void)state;
	setenv("COLEAD_THREADS", "3", 1);
	assert_int_equal(cfg_init(&c, &err), 0);
	assert_int_equal(c.threads, 3);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(cfg_set(&c, "listen", "127.0.0.1:0", &err), 0);
	assert_string_equal(c.listen, "127.0.0.1:0");
	assert_int_equal(cfg_set(&c, "threads", "0", &err), -1);
	assert_non_null(strstr(err, "out of range"));
	free(err);
	assert_int_equal(cfg_set(&c, "threads", "many", &err), -1);
	assert_non_null(strstr(err, "'many'"));
	free(err);
	assert_int_equal(cfg_set(&c, "bogus", "1", &err), -1);
	assert_non_null(strstr(err, "'--bogus'"));
	free(err);
	assert_int_equal(cfg_set(&c, "log-level", "loud", &err), -1);
	free(err);
	cfg_release(&c);
	setenv("COLEAD_THREADS", "zero", 1);
	assert_int_equal(cfg_init(&c, &err), -1);
	assert_non_null(strstr(err, "COLEAD_THREADS"));
	free(err);
	cfg_release(&c);
	unsetenv("COLEAD_THREADS");
}

static void
cfg_print_hides_database_password(void **state)
{
	struct cfg	 c;
	char		*err = NULL, out[4096];
	FILE		*f;
	size_t		 n;

	(void)state;
	assert_int_equal(cfg_init(&c, &err), 0);
	assert_int_equal(cfg_set(&c, "db", "postgresql://app:s3cret@db.internal/colead", &err), 0);
	f = tmpfile();
	cfg_print(&c, f);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	assert_null(strstr(out, "s3cret"));
	assert_non_null(strstr(out, "db = postgresql://app:***@db.internal/colead"));
	assert_non_null(strstr(out, "listen = 127.0.0.1:8080"));
	assert_int_equal(cfg_set(&c, "db", "postgresql://app@db/colead?sslmode=require&password=s3cret&x=1", &err), 0);
	f = tmpfile();
	cfg_print(&c, f);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	assert_null(strstr(out, "s3cret"));
	assert_non_null(strstr(out, "db = postgresql://app@db/colead?sslmode=require&password=***&x=1"));
	cfg_release(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_refuses_past_limit),
		cmocka_unit_test(arena_runs_defers_newest_first),
		cmocka_unit_test(buf_caps_and_sticks),
		cmocka_unit_test(buf_html_escapes_every_dangerous_character),
		cmocka_unit_test(buf_json_is_one_safe_line),
		cmocka_unit_test(buf_urlenc_keeps_unreserved),
		cmocka_unit_test(str_parses_integers_strictly),
		cmocka_unit_test(str_urldecode_rejects_bad_escapes),
		cmocka_unit_test(str_trim_and_compare),
		cmocka_unit_test(utf8_is_strict),
		cmocka_unit_test(cfg_reads_flags_env_and_ranges),
		cmocka_unit_test(cfg_print_hides_database_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
