/* t_themes.c - themes from free text: stop-words left out, words and
 * repeated two-word phrases counted and ranked, and the word cloud's SVG
 * escaping every word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/feat/survey/survey.h"

static void
frequent_words_and_phrases_rank_first_without_stop_words(void **state)
{
	static const char *const texts[] = {
		"We built trust with the council and shared purpose.",
		"Shared purpose kept partners together; trust grew.",
		"Trust, trust and more TRUST.",
		"The and of to a",
	};
	struct arena		*a = arena_new(0);
	struct survey_term	 t[10];
	size_t			 n, i;
	int			 phrase = 0;

	(void)state;
	n = survey_themes(a, texts, 4, t, 10);
	assert_true(n >= 3);
	assert_string_equal(t[0].text, "trust");
	assert_int_equal(t[0].count, 5);
	for (i = 0; i < n; i++) {
		assert_string_not_equal(t[i].text, "the");
		assert_string_not_equal(t[i].text, "and");
		if (strcmp(t[i].text, "shared purpose") == 0) {
			phrase = 1;
			assert_int_equal(t[i].count, 2);
		}
		/* a phrase said once is not a theme */
		assert_string_not_equal(t[i].text, "council shared");
	}
	assert_true(phrase);
	assert_int_equal(survey_themes(a, texts, 4, t, 1), 1);
	arena_free(a);
}

static void
word_cloud_escapes_every_word(void **state)
{
	struct survey_term	t[2] = { { "<script>", 3 }, { "a&b\"c", 1 } };
	struct buf		b;

	(void)state;
	buf_init(&b, 0);
	survey_cloud_svg(&b, t, 2);
	assert_non_null(strstr(b.data, "<svg"));
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;"));
	assert_non_null(strstr(b.data, "a&amp;b&quot;c"));
	assert_non_null(strstr(b.data, "</svg>"));
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frequent_words_and_phrases_rank_first_without_stop_words),
		cmocka_unit_test(word_cloud_escapes_every_word),
	};

	return cmocka_run_group_tests_name("themes", tests, NULL, NULL);
}
