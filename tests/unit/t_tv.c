/* t_tv.c - template values: maps keep insertion order and replace a key
 * in place, lists append, strings are copied into the arena, readers
 * convert as documented, truthiness follows Mustache, and every function
 * is harmless on NULL (what a full arena hands back). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/views/tv.h"
#include "../../src/core/arena.h"

static void
map_keeps_insertion_order_and_replaces_in_place(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*m = tv_new(a);
	char		 key[16];
	int		 i;

	(void)state;
	assert_int_equal(tv_kind(m), TV_MAP);
	tv_set_str(m, "b", "one");
	tv_set_int(m, "a", 2);
	tv_set_bool(m, "c", 1);
	tv_set_str(m, "b", "three");
	assert_int_equal(tv_count(m), 3);
	assert_string_equal(tv_key_at(m, 0), "b");
	assert_string_equal(tv_key_at(m, 1), "a");
	assert_string_equal(tv_key_at(m, 2), "c");
	assert_null(tv_key_at(m, 3));
	assert_string_equal(tv_str(tv_val_at(m, 0)), "three");
	assert_string_equal(tv_str(tv_get(m, "b")), "three");
	assert_int_equal(tv_int(tv_get(m, "a")), 2);
	assert_null(tv_get(m, "zz"));
	/* A key set to another kind changes kind. */
	tv_set_null(m, "a");
	assert_int_equal(tv_kind(tv_get(m, "a")), TV_NULL);
	assert_non_null(tv_get(m, "a"));
	/* Growth past the first allocation keeps everything. */
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		tv_set_int(m, key, i);
	}
	assert_int_equal(tv_count(m), 103);
	assert_string_equal(tv_key_at(m, 102), "k99");
	assert_int_equal(tv_int(tv_get(m, "k57")), 57);
	arena_free(a);
}

static void
strings_are_copied(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*m = tv_new(a);
	char		 src[] = "hello world";

	(void)state;
	tv_set_str(m, "s", src);
	tv_set_strn(m, "n", src, 5);
	tv_set_html(m, "h", "<b>x</b>");
	tv_setf(m, "f", "%s-%d", "id", 42);
	tv_set_str(m, "z", NULL);
	src[0] = 'J';
	assert_string_equal(tv_str(tv_get(m, "s")), "hello world");
	assert_string_equal(tv_str(tv_get(m, "n")), "hello");
	assert_int_equal(tv_kind(tv_get(m, "h")), TV_HTML);
	assert_string_equal(tv_str(tv_get(m, "h")), "<b>x</b>");
	assert_int_equal(tv_kind(tv_get(m, "f")), TV_STR);
	assert_string_equal(tv_str(tv_get(m, "f")), "id-42");
	assert_int_equal(tv_kind(tv_get(m, "z")), TV_NULL);
	assert_null(tv_str(tv_get(m, "z")));
	arena_free(a);
}

static void
lists_and_nesting(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*m = tv_new(a), *l, *inner, *child, *other;
	size_t		 i;

	(void)state;
	l = tv_set_list(m, "items");
	assert_int_equal(tv_kind(l), TV_LIST);
	for (i = 0; i < 20; i++)
		tv_list_add_int(l, (int64_t)i * 10);
	tv_list_add_str(l, "s");
	tv_list_add_html(l, "<i>");
	tv_list_add_real(l, 1.5);
	tv_list_add_bool(l, 0);
	tv_list_add_null(l);
	child = tv_list_add_map(l);
	tv_set_str(child, "name", "c");
	inner = tv_list_add_list(l);
	tv_list_add_int(inner, 7);
	assert_int_equal(tv_count(l), 27);
	assert_int_equal(tv_int(tv_at(l, 19)), 190);
	assert_string_equal(tv_str(tv_at(l, 20)), "s");
	assert_int_equal(tv_kind(tv_at(l, 21)), TV_HTML);
	assert_true(tv_real(tv_at(l, 22)) == 1.5);
	assert_int_equal(tv_kind(tv_at(l, 23)), TV_BOOL);
	assert_int_equal(tv_kind(tv_at(l, 24)), TV_NULL);
	assert_string_equal(tv_str(tv_get(tv_at(l, 25), "name")), "c");
	assert_int_equal(tv_int(tv_at(tv_at(l, 26), 0)), 7);
	assert_null(tv_at(l, 27));
	assert_null(tv_at(m, 0));	/* not a list */

	/* Attaching shares the value rather than copying it. */
	other = tv_new(a);
	tv_set_tv(other, "kid", child);
	tv_set_str(child, "name", "changed");
	assert_string_equal(tv_str(tv_get(tv_get(other, "kid"), "name")), "changed");
	tv_list_add_tv(inner, child);
	assert_ptr_equal(tv_at(inner, 1), child);
	tv_set_tv(other, "none", NULL);
	assert_int_equal(tv_kind(tv_get(other, "none")), TV_NULL);

	/* Map setters do nothing on a list, list appenders nothing on a map. */
	tv_set_str(l, "x", "y");
	tv_list_add_str(m, "y");
	assert_int_equal(tv_count(l), 27);
	assert_null(tv_get(m, "x"));
	assert_null(tv_set_map(l, "x"));
	assert_null(tv_list_add_map(m));
	arena_free(a);
}

static void
readers_convert_and_truthiness_follows_mustache(void **state)
{
	struct arena	*a = arena_new(0);
	struct tv	*m = tv_new(a);

	(void)state;
	tv_set_real(m, "r", 2.75);
	tv_set_int(m, "i", -3);
	tv_set_bool(m, "t", 5);
	tv_set_str(m, "s", "12");
	assert_int_equal(tv_int(tv_get(m, "r")), 2);
	assert_true(tv_real(tv_get(m, "i")) == -3.0);
	assert_int_equal(tv_int(tv_get(m, "t")), 1);
	assert_int_equal(tv_int(tv_get(m, "s")), 0);
	assert_null(tv_str(tv_get(m, "i")));

	assert_false(tv_bool(NULL));
	assert_int_equal(tv_kind(NULL), TV_NULL);
	tv_set_bool(m, "f", 0);
	tv_set_int(m, "zero", 0);
	tv_set_real(m, "rzero", 0.0);
	tv_set_str(m, "empty", "");
	tv_set_list(m, "nolist");
	tv_set_map(m, "nomap");
	tv_set_null(m, "null");
	assert_false(tv_bool(tv_get(m, "f")));
	assert_false(tv_bool(tv_get(m, "zero")));
	assert_false(tv_bool(tv_get(m, "rzero")));
	assert_false(tv_bool(tv_get(m, "empty")));
	assert_false(tv_bool(tv_get(m, "nolist")));
	assert_false(tv_bool(tv_get(m, "null")));
	assert_true(tv_bool(tv_get(m, "nomap")));
	assert_true(tv_bool(tv_get(m, "i")));
	assert_true(tv_bool(tv_get(m, "s")));
	assert_true(tv_bool(tv_get(m, "t")));
	arena_free(a);
}

static void
null_containers_are_harmless(void **state)
{
	(void)state;
	assert_null(tv_new(NULL));
	tv_set_str(NULL, "a", "b");
	tv_set_int(NULL, "a", 1);
	tv_setf(NULL, "a", "%d", 1);
	tv_set_tv(NULL, "a", NULL);
	assert_null(tv_set_map(NULL, "a"));
	assert_null(tv_set_list(NULL, "a"));
	assert_null(tv_list_add_map(NULL));
	tv_list_add_str(NULL, "x");
	tv_list_add_tv(NULL, NULL);
	assert_int_equal(tv_count(NULL), 0);
	assert_null(tv_get(NULL, "a"));
	assert_null(tv_key_at(NULL, 0));
	assert_null(tv_val_at(NULL, 0));
}

static void
full_arena_drops_values_without_crashing(void **state)
{
	struct arena	*a = arena_new(4096);
	struct tv	*m = tv_new(a), *l, *ok;
	int		 i;

	(void)state;
	assert_non_null(m);
	assert_true(tv_complete(m));
	l = tv_set_list(tv_set_map(m, "outer"), "l");
	for (i = 0; i < 10000; i++)
		tv_list_add_str(l, "a string that takes room in the arena");
	assert_true(tv_count(l) > 0);
	assert_true(tv_count(l) < 10000);
	for (i = 0; i < (int)tv_count(l); i++)
		assert_string_equal(tv_str(tv_at(l, (size_t)i)),
		    "a string that takes room in the arena");
	assert_true(arena_used(a) <= 4096);
	/* The drop deep inside is seen from the top, and from the list. */
	assert_false(tv_complete(m));
	assert_false(tv_complete(l));
	assert_false(tv_complete(NULL));
	arena_free(a);

	a = arena_new(0);
	ok = tv_new(a);
	tv_set_str(ok, "s", "x");
	tv_list_add_int(tv_set_list(tv_set_map(ok, "m"), "l"), 1);
	assert_true(tv_complete(ok));
	assert_true(tv_complete(tv_get(ok, "s")));
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_keeps_insertion_order_and_replaces_in_place),
		cmocka_unit_test(strings_are_copied),
		cmocka_unit_test(lists_and_nesting),
		cmocka_unit_test(readers_convert_and_truthiness_follows_mustache),
		cmocka_unit_test(null_containers_are_harmless),
		cmocka_unit_test(full_arena_drops_values_without_crashing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
