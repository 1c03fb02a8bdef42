/* t_survey.c - the survey feature against a real database: the default
 * pre-convention questions, answers checked and replaced, choice and scale
 * questions, open and closed sets, editing questions, completion by
 * partnership, answer listings and exports.  Runs on SQLite and, when
 * COLEAD_TEST_PG names a server, again on a fresh PostgreSQL database. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/core/cfg.h"
#include "../../src/db/db.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/people/people.h"
#include "../../src/feat/survey/survey.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"

/* A fresh email per call, so tests never collide on one database. */
static const char *
fresh_email(struct fixture *f, const char *who)
{
	static int n;

	return arena_printf(f->a, "%s.%d.%d@example.org", who, (int)getpid(), ++n);
}

/* A participant in a new partnership of their own unless pname is given. */
static int64_t
participant(struct fixture *f, const char *name, const char *pname)
{
	const char	*why = NULL;
	int64_t		 id;

	assert_int_equal(people_add(&f->app, f->db, name, fresh_email(f, "p"), pname,
	    ROLE_PARTICIPANT, NULL, &id, &why), E_OK);
	return id;
}

static const char *
fresh_partnership(struct fixture *f, int64_t *id)
{
	static int	 n;
	const char	*name = arena_printf(f->a, "Survey Partnership %d %d", (int)getpid(), ++n);

	assert_int_equal(people_partnership_add(&f->app, f->db, name, "", "", id), E_OK);
	return name;
}

/* An input answering question i with the single value vals[i]. */
static struct survey_input *
input(struct fixture *f, const char *const *vals, size_t n)
{
	struct survey_input	*in = arena_alloc(f->a, sizeof(*in));
	size_t			 i;

	in->values = arena_alloc(f->a, sizeof(*in->values) * n);
	in->nvalues = arena_alloc(f->a, sizeof(*in->nvalues) * n);
	for (i = 0; i < n; i++) {
		in->values[i] = arena_alloc(f->a, sizeof(char *));
		in->values[i][0] = vals[i];
		in->nvalues[i] = vals[i] ? 1 : 0;
	}
	return in;
}

static void
pre_set_starts_with_the_two_questions_once(void **state)
{
	struct fixture		*f = *state;
	struct question_set	 s;

	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", 0, &s), E_OK);
	assert_int_equal(s.nq, 2);
	assert_int_equal(s.q[0].kind, Q_LONG);
	assert_int_equal(s.q[1].kind, Q_TEXT);
	assert_true(s.q[0].required && s.q[1].required);
	assert_non_null(strstr(s.q[0].prompt, "collaborative leadership"));
	assert_int_equal(survey_ensure(&f->app, f->db), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", 0, &s), E_OK);
	assert_int_equal(s.nq, 2);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "feedback", 0, &s), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "nope", 0, &s), E_NOTFOUND);
	assert_false(db_in_tx(f->db));
}

static void
answers_are_checked_and_can_be_changed(void **state)
{
	struct fixture		*f = *state;
	struct question_set	 s;
	const char		*why[2], *ok[2] = { "We pooled budgets with the council.", "Trust" };
	const char		*missing[2] = { "", "Trust" };
	char			*huge = arena_alloc(f->a, 600);
	const char		*toolong[2] = { "fine", huge };
	int64_t			 me = participant(f, "Alex Answer", NULL), future;

	memset(huge, 'x', 599);
	/* the test event is dated today, so its questions closed at midnight:
	 * keep them open for this test */
	assert_int_equal(survey_date("2199-01-01", &future), 0);
	assert_int_equal(survey_set_edit(&f->app, f->db, "pre", "Before", "", 0, future, &why[0]), E_OK);
	assert_true(survey_reminder(&f->app, f->db, me));
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", me, &s), E_OK);
	assert_true(s.open);
	assert_null(s.q[0].answer);
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, missing, 2), why),
	    E_INVALID);
	assert_string_equal(why[0], "answer this question");
	assert_null(why[1]);
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, toolong, 2), why),
	    E_INVALID);
	assert_non_null(why[1]);
	assert_true(survey_reminder(&f->app, f->db, me));
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, ok, 2), why), E_OK);
	assert_false(survey_reminder(&f->app, f->db, me));
	ok[1] = "  Sharing credit  ";
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, ok, 2), why), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", me, &s), E_OK);
	assert_string_equal(s.q[1].answer, "Sharing credit");
	assert_false(db_in_tx(f->db));
}

static void
choice_scale_and_optional_questions(void **state)
{
	struct fixture		*f = *state;
	struct question_set	 s;
	struct survey_input	*in;
	const char		*why = NULL, *whys[8];
	const char		*bad_choice[3] = { "Maybe", NULL, NULL };
	const char		*bad_scale[3] = { NULL, NULL, "6" };
	const char		*good[3] = { "Yes", NULL, "4" };
	int64_t			 me = participant(f, "Casey Choice", NULL);

	assert_int_equal(survey_set_edit(&f->app, f->db, "feedback", "Feedback", "", 0, 0, &why), E_OK);
	assert_int_equal(survey_question_add(&f->app, f->db, "feedback", "single", "Would you come again?",
	    "Yes\n No \n\n", 1, &why), E_OK);
	assert_int_equal(survey_question_add(&f->app, f->db, "feedback", "multi", "Which days?",
	    "Day one\nDay two", 0, &why), E_OK);
	assert_int_equal(survey_question_add(&f->app, f->db, "feedback", "scale", "How useful?",
	    "", 0, &why), E_OK);
	assert_int_equal(survey_question_add(&f->app, f->db, "feedback", "single", "One choice?",
	    "Only", 0, &why), E_INVALID);
	assert_int_equal(survey_question_add(&f->app, f->db, "feedback", "poem", "Odd?", "", 0, &why),
	    E_INVALID);
	assert_int_equal(survey_question_add(&f->app, f->db, "feedback", "text", "", "", 0, &why),
	    E_INVALID);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "feedback", me, &s), E_OK);
	assert_int_equal(s.nq, 3);
	assert_string_equal(s.q[0].choices, "Yes\nNo");
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, bad_choice, 3), whys),
	    E_INVALID);
	assert_non_null(whys[0]);
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, bad_scale, 3), whys),
	    E_INVALID);
	assert_non_null(whys[2]);
	in = input(f, good, 3);
	in->values[1] = arena_alloc(f->a, 3 * sizeof(char *));
	in->values[1][0] = "Day two";
	in->values[1][1] = "Day one";
	in->values[1][2] = "Day two";
	in->nvalues[1] = 3;
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, in, whys), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "feedback", me, &s), E_OK);
	assert_string_equal(s.q[1].answer, "Day two\nDay one");
	assert_string_equal(s.q[2].answer, "4");
	/* an optional question left empty removes its answer */
	good[2] = "";
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, good, 3), whys), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "feedback", me, &s), E_OK);
	assert_null(s.q[2].answer);
}

static void
closed_sets_refuse_answers(void **state)
{
	struct fixture		*f = *state;
	struct question_set	 s;
	const char		*why = NULL, *whys[8], *vals[8] = { "Yes" };
	int64_t			 me = participant(f, "Dana Late", NULL), future, past;

	assert_int_equal(survey_date("2199-01-01", &future), 0);
	assert_int_equal(survey_date("2001-01-01", &past), 0);
	assert_int_equal(survey_date("2001-13-01", &past), -1);
	assert_int_equal(survey_date("yesterday", &past), -1);
	assert_int_equal(survey_date("2001-01-01", &past), 0);
	assert_int_equal(survey_set_edit(&f->app, f->db, "feedback", "Feedback", "", future, 0, &why),
	    E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "feedback", me, &s), E_OK);
	assert_false(s.open);
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, me, input(f, vals, s.nq), whys),
	    E_CLOSED);
	assert_int_equal(survey_set_edit(&f->app, f->db, "feedback", "Feedback", "", future, past, &why),
	    E_INVALID);
	assert_int_equal(survey_set_edit(&f->app, f->db, "feedback", "", "", 0, 0, &why), E_INVALID);
	assert_int_equal(survey_set_edit(&f->app, f->db, "pre", "Before", "", 0, past, &why), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", me, &s), E_OK);
	assert_false(s.open);
	assert_false(survey_reminder(&f->app, f->db, me));	/* nothing they can do now */
	assert_int_equal(survey_set_edit(&f->app, f->db, "pre", "Before the convention", "", 0, 0,
	    &why), E_OK);
	/* with no closing date the questions close when the convention starts:
	 * the test event is dated today, so that was at midnight */
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", me, &s), E_OK);
	assert_false(s.open);
	assert_int_equal(survey_set_edit(&f->app, f->db, "feedback", "Feedback", "", 0, 0, &why), E_OK);
}

static void
questions_can_be_edited_and_deleted(void **state)
{
	struct fixture		*f = *state;
	struct question_set	 s;
	const char		*why = NULL;
	int64_t			 qid;
	size_t			 before;

	assert_int_equal(survey_question_add(&f->app, f->db, "pre", "text", "Your job?", "", 0, &why),
	    E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", 0, &s), E_OK);
	before = s.nq;
	qid = s.q[s.nq - 1].id;
	assert_int_equal(survey_question_edit(&f->app, f->db, qid, "long", "Your role, in words?", "",
	    1, &why), E_OK);
	assert_int_equal(survey_question_edit(&f->app, f->db, qid, "nope", "x", "", 1, &why), E_INVALID);
	assert_int_equal(survey_question_edit(&f->app, f->db, 99999999, "text", "x", "", 1, &why),
	    E_NOTFOUND);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", 0, &s), E_OK);
	assert_string_equal(s.q[s.nq - 1].prompt, "Your role, in words?");
	assert_int_equal(s.q[s.nq - 1].kind, Q_LONG);
	assert_int_equal(survey_question_delete(&f->app, f->db, qid), E_OK);
	assert_int_equal(survey_question_delete(&f->app, f->db, qid), E_NOTFOUND);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", 0, &s), E_OK);
	assert_int_equal(s.nq, before - 1);
}

static void
completion_rows_and_exports(void **state)
{
	struct fixture			*f = *state;
	struct question_set		 s;
	struct survey_completion	*c;
	struct survey_row		*r;
	struct buf			 b;
	const char			*whys[4], *pa, *pb;
	const char			*vals[2] = { "=HYPERLINK(\"http://x\")", "Team work" };
	int64_t				 ia, ib, done, waiting, other, future;
	size_t				 n, i, seen = 0;

	pa = fresh_partnership(f, &ia);
	pb = fresh_partnership(f, &ib);
	done = participant(f, "Erin Done", pa);
	waiting = participant(f, "Finn Waiting", pa);
	other = participant(f, "Gail Other", pb);
	(void)other;
	assert_int_equal(survey_date("2199-01-01", &future), 0);
	assert_int_equal(survey_set_edit(&f->app, f->db, "pre", "Before", "", 0, future, &whys[0]), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", done, &s), E_OK);
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, done, input(f, vals, 2), whys), E_OK);
	assert_int_equal(survey_completion(&f->app, f->db, f->a, "pre", &c, &n), E_OK);
	for (i = 0; i < n; i++) {
		if (c[i].partnership_id == ia) {
			seen++;
			assert_int_equal(c[i].done, 1);
			assert_int_equal(c[i].total, 2);
			assert_int_equal(c[i].npeople, 2);
			assert_true(c[i].people[0].person_id == waiting ? !c[i].people[0].done
			    : c[i].people[0].done);
		}
		if (c[i].partnership_id == ib) {
			seen++;
			assert_int_equal(c[i].done, 0);
		}
	}
	assert_int_equal(seen, 2);
	assert_int_equal(survey_rows(&f->app, f->db, f->a, "pre", ia, 0, &r, &n), E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(survey_rows(&f->app, f->db, f->a, "pre", ia, s.q[1].id, &r, &n), E_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].value, "Team work");
	assert_int_equal(survey_rows(&f->app, f->db, f->a, "pre", ib, 0, &r, &n), E_OK);
	assert_int_equal(n, 0);
	assert_int_equal(survey_rows(&f->app, f->db, f->a, "pre", ia, 0, &r, &n), E_OK);
	buf_init(&b, 0);
	survey_export_csv(&b, r, n);
	assert_non_null(strstr(b.data, "\"'=HYPERLINK(\"\"http://x\"\")\""));
	assert_null(strstr(b.data, ",\"=HYPERLINK"));
	buf_reset(&b);
	assert_int_equal(survey_export_xlsx(&b, r, n), 0);
	assert_true(b.len > 100);
	assert_memory_equal(b.data, "PK", 2);
	buf_reset(&b);
	assert_int_equal(survey_person_json(&f->app, f->db, done, &b), E_OK);
	assert_non_null(strstr(b.data, "\"answers\":[{\"set\":\"pre\""));
	assert_non_null(strstr(b.data, "Team work"));
	buf_reset(&b);
	assert_int_equal(survey_forget(&f->app, f->db, done), E_OK);
	assert_int_equal(survey_person_json(&f->app, f->db, done, &b), E_OK);
	assert_string_equal(b.data, "\"answers\":[]");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pre_set_starts_with_the_two_questions_once),
		cmocka_unit_test(answers_are_checked_and_can_be_changed),
		cmocka_unit_test(choice_scale_and_optional_questions),
		cmocka_unit_test(closed_sets_refuse_answers),
		cmocka_unit_test(questions_can_be_edited_and_deleted),
		cmocka_unit_test(completion_rows_and_exports),
	};

	return store_tests_run("survey", tests, ARRAY_SIZE(tests), NULL, 0, NULL);
}
