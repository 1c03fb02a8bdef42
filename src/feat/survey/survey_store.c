/* survey_store.c - every SQL statement of the survey feature: question
 * sets, questions, answers, completion and answer listings.  No rules
 * live here (who may, what is valid): survey.c decides, this file reads
 * and writes. */
#include "survey_store.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../db/db.h"

static const char sql_set_get[] =
	"SELECT id, slug, title, intro, opens_at, closes_at FROM question_sets"
	" WHERE event_id = $1 AND slug = $2";
static const char sql_set_add[] =
	"INSERT INTO question_sets (event_id, slug, title, intro, opens_at, closes_at)"
	" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_set_update[] =
	"UPDATE question_sets SET title = $2, intro = $3, opens_at = $4, closes_at = $5"
	" WHERE id = $1";
static const char sql_questions[] =
	"SELECT q.id, q.position, q.kind, q.prompt, q.help, q.choices, q.required, a.value"
	" FROM questions q LEFT JOIN answers a ON a.question_id = q.id AND a.person_id = $2"
	" WHERE q.set_id = $1 ORDER BY q.position, q.id";
static const char sql_question_add[] =
	"INSERT INTO questions (set_id, position, kind, prompt, choices, required)"
	" VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM questions WHERE set_id = $1),"
	" $2, $3, $4, $5) RETURNING id";
static const char sql_question_update[] =
	"UPDATE questions SET kind = $3, prompt = $4, choices = $5, required = $6"
	" WHERE id = $2 AND set_id IN (SELECT id FROM question_sets WHERE event_id = $1)"
	" RETURNING id";
static const char sql_question_delete[] =
	"DELETE FROM questions"
	" WHERE id = $2 AND set_id IN (SELECT id FROM question_sets WHERE event_id = $1)"
	" RETURNING id";
static const char sql_answer_put[] =
	"INSERT INTO answers (question_id, person_id, value, updated_at) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (person_id, question_id) DO UPDATE"
	" SET value = excluded.value, updated_at = excluded.updated_at";
static const char sql_answer_delete[] =
	"DELETE FROM answers WHERE question_id = $1 AND person_id = $2";
static const char sql_pending[] =
	"SELECT COUNT(*) FROM questions q JOIN question_sets s ON s.id = q.set_id"
	" WHERE s.event_id = $1 AND s.slug = 'pre' AND q.required = 1"
	" AND NOT EXISTS (SELECT 1 FROM answers a"
	"  WHERE a.person_id = $2 AND a.question_id = q.id)";
static const char sql_progress[] =
	"SELECT p.id, p.name, COALESCE(p.partnership_id, 0), pa.name,"
	" (SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id"
	"  WHERE a.person_id = p.id AND q.set_id = $2 AND q.required = 1),"
	" (SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id"
	"  WHERE a.person_id = p.id AND q.set_id = $2)"
	" FROM people p LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE p.id IN (SELECT person_id FROM roles WHERE event_id = $1 AND role = 'participant')"
	" ORDER BY pa.name, p.name, p.id";
static const char sql_rows[] =
	"SELECT q.id, q.prompt, p.id, p.name, p.email, pa.name, a.value, a.updated_at"
	" FROM answers a JOIN questions q ON q.id = a.question_id"
	" JOIN people p ON p.id = a.person_id"
	" LEFT JOIN partnerships pa ON pa.id = p.partnership_id"
	" WHERE q.set_id = $1"
	" AND (CAST($2 AS BIGINT) = 0 OR p.partnership_id = $2)"
	" AND (CAST($3 AS BIGINT) = 0 OR q.id = $3)"
	" ORDER BY q.position, q.id, pa.name, p.name, p.id";

static const char sql_person_answers[] =
	"SELECT s.slug, q.prompt, a.value, a.updated_at"
	" FROM answers a JOIN questions q ON q.id = a.question_id"
	" JOIN question_sets s ON s.id = q.set_id"
	" WHERE a.person_id = $2 AND s.event_id = $1 ORDER BY s.slug, q.position, q.id";
static const char sql_forget[] =
	"DELETE FROM answers WHERE person_id = $1";

static char *
col_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? arena_strndup(a, s, db_col_len(st, col)) : NULL;
}

/* Make room for one more element in an arena array of *cap elements. */
static void *
grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	void *bigger;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 32;
	bigger = arena_alloc(a, *cap * size);
	if (bigger && n)
		memcpy(bigger, arr, n * size);
	return bigger;
}

enum app_err
survey_store_set_get(struct db *db, struct arena *a, int64_t event_id,
		     const char *slug, struct question_set *s)
{
	struct db_stmt	*st = db_prepare(db, sql_set_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, slug);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->slug = col_dup(a, st, 1);
	s->title = col_dup(a, st, 2);
	s->intro = col_dup(a, st, 3);
	s->opens_at = db_col_int(st, 4);
	s->closes_at = db_col_int(st, 5);
	return db_done(st, DB_DONE);
}

enum app_err
survey_store_set_add(struct db *db, int64_t event_id, const char *slug,
		     const char *title, const char *intro, int64_t opens_at,
		     int64_t closes_at, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_set_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, slug);
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, intro);
	db_bind_int(st, 5, opens_at);
	db_bind_int(st, 6, closes_at);
	return db_run_int(st, id);
}

enum app_err
survey_store_set_update(struct db *db, int64_t id, const char *title,
			const char *intro, int64_t opens_at, int64_t closes_at)
{
	struct db_stmt *st = db_prepare(db, sql_set_update);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, intro);
	db_bind_int(st, 4, opens_at);
	db_bind_int(st, 5, closes_at);
	return db_run(st);
}

enum app_err
survey_store_questions(struct db *db, struct arena *a, int64_t set_id,
		       int64_t person_id, struct question **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_questions);
	struct question	*arr = NULL, *q;
	size_t		 cap = 0;
	int		 rc, k;

	*n = 0;
	*out = NULL;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, set_id);
	db_bind_int(st, 2, person_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!(arr = grow(a, arr, *n, &cap, sizeof(*arr)))) {
			db_finalize(st);
			return E_TOOBIG;
		}
		q = &arr[(*n)++];
		memset(q, 0, sizeof(*q));
		q->id = db_col_int(st, 0);
		q->position = db_col_int(st, 1);
		k = survey_kind_from_name(db_col_text(st, 2));
		q->kind = k < 0 ? Q_TEXT : (enum question_kind)k;
		q->prompt = col_dup(a, st, 3);
		q->help = col_dup(a, st, 4);
		q->choices = col_dup(a, st, 5);
		q->required = db_col_int(st, 6) != 0;
		q->answer = col_dup(a, st, 7);
	}
	*out = arr;
	return db_done(st, rc);
}

enum app_err
survey_store_question_add(struct db *db, int64_t set_id, const char *kind,
			  const char *prompt, const char *choices, int required, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_question_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, set_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, prompt);
	db_bind_text(st, 4, choices ? choices : "");
	db_bind_int(st, 5, required ? 1 : 0);
	return db_run_int(st, id);
}

enum app_err
survey_store_question_update(struct db *db, int64_t event_id, int64_t id,
			     const char *kind, const char *prompt, const char *choices,
			     int required)
{
	struct db_stmt	*st = db_prepare(db, sql_question_update);
	int64_t		 got;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, prompt);
	db_bind_text(st, 5, choices ? choices : "");
	db_bind_int(st, 6, required ? 1 : 0);
	return db_run_int(st, &got);
}

enum app_err
survey_store_question_delete(struct db *db, int64_t event_id, int64_t id)
{
	struct db_stmt	*st = db_prepare(db, sql_question_delete);
	int64_t		 got;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	return db_run_int(st, &got);
}

enum app_err
survey_store_answer_put(struct db *db, int64_t question_id, int64_t person_id,
			const char *value, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_answer_put);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, question_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, value);
	db_bind_int(st, 4, now);
	return db_run(st);
}

enum app_err
survey_store_answer_delete(struct db *db, int64_t question_id, int64_t person_id)
{
	struct db_stmt *st = db_prepare(db, sql_answer_delete);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, question_id);
	db_bind_int(st, 2, person_id);
	return db_run(st);
}

int64_t
survey_store_pending(struct db *db, int64_t event_id, int64_t person_id)
{
	struct db_stmt	*st = db_prepare(db, sql_pending);
	int64_t		 n = 0;

	if (!st)
		return 0;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	if (db_run_int(st, &n) != E_OK)
		return 0;
	return n;
}

enum app_err
survey_store_progress(struct db *db, struct arena *a, int64_t event_id, int64_t set_id,
		      void (*fn)(void *arg, int64_t person_id, const char *name,
			  int64_t partnership_id, const char *partnership,
			  int64_t required_done, int64_t answered),
		      void *arg)
{
	struct db_stmt	*st = db_prepare(db, sql_progress);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, set_id);
	while ((rc = db_step(st)) == DB_ROW)
		fn(arg, db_col_int(st, 0), col_dup(a, st, 1), db_col_int(st, 2),
		    col_dup(a, st, 3), db_col_int(st, 4), db_col_int(st, 5));
	return db_done(st, rc);
}

enum app_err
survey_store_rows(struct db *db, struct arena *a, int64_t set_id,
		  int64_t partnership_id, int64_t question_id,
		  struct survey_row **out, size_t *n)
{
	struct db_stmt		*st = db_prepare(db, sql_rows);
	struct survey_row	*arr = NULL, *r;
	size_t			 cap = 0;
	int			 rc;

	*n = 0;
	*out = NULL;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, set_id);
	db_bind_int(st, 2, partnership_id);
	db_bind_int(st, 3, question_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!(arr = grow(a, arr, *n, &cap, sizeof(*arr)))) {
			db_finalize(st);
			return E_TOOBIG;
		}
		r = &arr[(*n)++];
		r->question_id = db_col_int(st, 0);
		r->prompt = col_dup(a, st, 1);
		r->person_id = db_col_int(st, 2);
		r->name = col_dup(a, st, 3);
		r->email = col_dup(a, st, 4);
		r->partnership = col_dup(a, st, 5);
		r->value = col_dup(a, st, 6);
		r->updated_at = db_col_int(st, 7);
	}
	*out = arr;
	return db_done(st, rc);
}

enum app_err
survey_store_person_json(struct db *db, int64_t event_id, int64_t person_id, struct buf *b)
{
	struct db_stmt	*st = db_prepare(db, sql_person_answers);
	int		 rc, first;
	int		 c;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	buf_adds(b, "\"answers\":[");
	for (first = 1; (rc = db_step(st)) == DB_ROW; first = 0) {
		static const char *const names[] = { "set", "question", "answer" };

		buf_adds(b, first ? "{" : ",{");
		for (c = 0; c < 3; c++) {
			buf_addf(b, "%s\"%s\":", c ? "," : "", names[c]);
			buf_add_json_str(b, db_col_text(st, c) ? db_col_text(st, c) : "",
			    db_col_len(st, c));
		}
		buf_addf(b, ",\"updated_at\":%" PRId64 "}", db_col_int(st, 3));
	}
	buf_adds(b, "]");
	return db_done(st, rc);
}

enum app_err
survey_store_forget(struct db *db, int64_t person_id)
{
	return db_run_id(db, sql_forget, person_id);
}
