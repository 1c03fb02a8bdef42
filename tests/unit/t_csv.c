/* t_csv.c - the CSV reader and writer shared by the attendee import and
 * the exports: quoted fields with commas, quotes and newlines, a
 * spreadsheet's byte-order mark, broken quoting refused, the row cap, and
 * cells that a spreadsheet would run as formulas written as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/feat/people/people.h"

static void
quoted_fields_keep_commas_quotes_and_newlines(void **state)
{
	static const char	 in[] = "name,email\r\n\"Lee, Ann\",\"say \"\"hi\"\"\"\n"
				    "\"two\nlines\",x\n";
	struct arena		*a = arena_new(0);
	struct people_csv_row	*r;
	const char		*why = NULL;
	size_t			 n;

	(void)state;
	assert_int_equal(people_csv_parse(a, in, sizeof(in) - 1, 100, &r, &n, &why), E_OK);
	assert_int_equal(n, 3);
	assert_string_equal(r->fields[0], "name");
	r = r->next;
	assert_int_equal(r->row, 2);
	assert_int_equal(r->nfields, 2);
	assert_string_equal(r->fields[0], "Lee, Ann");
	assert_string_equal(r->fields[1], "say \"hi\"");
	r = r->next;
	assert_string_equal(r->fields[0], "two\nlines");
	assert_null(r->next);
	arena_free(a);
}

static void
byte_order_mark_is_skipped_and_bytes_are_kept_raw(void **state)
{
	static const char	 in[] = "\xEF\xBB\xBFname,caf\xE9\n";
	struct arena		*a = arena_new(0);
	struct people_csv_row	*r;
	const char		*why = NULL;
	size_t			 n;

	(void)state;
	assert_int_equal(people_csv_parse(a, in, sizeof(in) - 1, 100, &r, &n, &why), E_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r->fields[0], "name");
	assert_int_equal(r->lens[1], 4);
	assert_memory_equal(r->fields[1], "caf\xE9", 4);
	arena_free(a);
}

static void
unclosed_quote_and_too_many_rows_are_refused(void **state)
{
	static const char	 bad[] = "a,\"b\nc,d\n";
	static const char	 many[] = "a\nb\nc\nd\n";
	struct arena		*a = arena_new(0);
	struct people_csv_row	*r;
	const char		*why = NULL;
	size_t			 n;

	(void)state;
	assert_int_equal(people_csv_parse(a, bad, sizeof(bad) - 1, 100, &r, &n, &why), E_INVALID);
	assert_non_null(strstr(why, "quote"));
	assert_int_equal(people_csv_parse(a, many, sizeof(many) - 1, 3, &r, &n, &why), E_TOOBIG);
	assert_int_equal(people_csv_parse(a, many, sizeof(many) - 1, 4, &r, &n, &why), E_OK);
	assert_int_equal(n, 4);
	arena_free(a);
}

static void
formula_cells_are_written_as_text(void **state)
{
	static const char *const risky[] = { "=1+1", "+44 1234", "-5", "@SUM(A1)", "\tx", "\rx" };
	struct buf	b;
	size_t		i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < sizeof(risky) / sizeof(risky[0]); i++) {
		buf_reset(&b);
		people_csv_cell(&b, risky[i], strlen(risky[i]), 1);
		assert_int_equal(b.data[0], '"');
		assert_int_equal(b.data[1], '\'');
		assert_memory_equal(b.data + 2, risky[i], strlen(risky[i]));
	}
	buf_reset(&b);
	people_csv_cell(&b, "plain", 5, 1);
	people_csv_cell(&b, "say \"so\"", 8, 0);
	people_csv_cell(&b, "", 0, 0);
	assert_string_equal(b.data, "\"plain\",\"say \"\"so\"\"\",\"\"");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoted_fields_keep_commas_quotes_and_newlines),
		cmocka_unit_test(byte_order_mark_is_skipped_and_bytes_are_kept_raw),
		cmocka_unit_test(unclosed_quote_and_too_many_rows_are_refused),
		cmocka_unit_test(formula_cells_are_written_as_text),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
