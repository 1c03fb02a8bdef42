/* survey.c - the rules of the survey feature: which question sets an
 * event has and when they are open, what a valid question and a valid
 * answer are, completion by partnership.  Reads and writes only through
 * survey_store.c; knows nothing of HTTP. */
#include "survey.h"
#include "survey_store.h"
#include "../event/event.h"
#include "../live/live.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

static const char *const kind_names[] = { "text", "long", "single", "multi", "scale" };

/* The two questions every convention starts with. */
static const char pre_q1[] =
	"Describe a moment when you saw collaborative leadership at work: "
	"people from different organisations achieving something together.";
static const char pre_q2[] =
	"What is the one thing you most want to learn during the two days?";

int
survey_kind_from_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(kind_names); i++)
		if (strcmp(kind_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
survey_kind_name(enum question_kind k)
{
	return (size_t)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "text";
}

int
survey_date(const char *s, int64_t *out)
{
	struct tm	tm;
	int		y, m, d;
	char		extra;

	*out = 0;
	if (!s || !*s)
		return 0;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
	    y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* Commit if rc is E_OK (and we opened the transaction), else roll back. */
static enum app_err
finish(struct db *db, int own, enum app_err rc)
{
	if (!own)
		return rc;
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		db_rollback(db);
	return rc;
}

enum app_err
survey_ensure(struct app *app, struct db *db)
{
	struct arena		*a = arena_new(1 << 20);
	struct question_set	 s;
	struct event		 e;
	int64_t			 id, opens = 0, qid;
	int			 own = !db_in_tx(db);
	enum app_err		 rc;

	if (own && db_begin(db) < 0) {
		arena_free(a);
		return E_INTERNAL;
	}
	rc = survey_store_set_get(db, a, app->event_id, "pre", &s);
	if (rc == E_NOTFOUND) {
		rc = survey_store_set_add(db, app->event_id, "pre", "Before the convention",
		    "Two questions to help us shape the two days. Your answers are shared "
		    "back, without your name, as themes on the first morning.", 0, 0, &id);
		if (rc == E_OK)
			rc = survey_store_question_add(db, id, "long", pre_q1, "", 1, &qid);
		if (rc == E_OK)
			rc = survey_store_question_add(db, id, "text", pre_q2, "", 1, &qid);
	}
	if (rc == E_OK)
		rc = survey_store_set_get(db, a, app->event_id, "feedback", &s);
	if (rc == E_NOTFOUND) {
		if (event_get(db, a, app->event_id, &e) == E_OK &&
		    survey_date(e.ends_on, &opens) == 0 && opens)
			opens += 24 * 3600;
		rc = survey_store_set_add(db, app->event_id, "feedback", "Feedback",
		    "Tell us how the convention went for you.", opens, 0, &id);
	}
	arena_free(a);
	return finish(db, own, rc);
}

/* When the pre-convention set stops taking answers by default: the first
 * day of the convention, at midnight UTC. */
static int64_t
convention_start(struct app *app, struct db *db, struct arena *a)
{
	struct event	e;
	int64_t		t = 0;

	if (event_get(db, a, app->event_id, &e) == E_OK)
		survey_date(e.starts_on, &t);
	return t;
}

enum app_err
survey_load(struct app *app, struct db *db, struct arena *a,
	    const char *slug, int64_t person_id, struct question_set *s)
{
	int64_t		now = now_unix(), closes;
	enum app_err	rc;

	rc = survey_store_set_get(db, a, app->event_id, slug, s);
	if (rc == E_NOTFOUND && (str_eq(slug, "pre") || str_eq(slug, "feedback"))) {
		rc = survey_ensure(app, db);
		if (rc == E_CONFLICT)
			rc = E_OK;	/* another request made it first */
		if (rc == E_OK)
			rc = survey_store_set_get(db, a, app->event_id, slug, s);
	}
	if (rc != E_OK)
		return rc;
	rc = survey_store_questions(db, a, s->id, person_id, &s->q, &s->nq);
	closes = s->closes_at;
	if (!closes && str_eq(s->slug, "pre"))
		closes = convention_start(app, db, a);
	s->open = (!s->opens_at || now >= s->opens_at) && (!closes || now < closes);
	return rc;
}

/* Is line (n bytes) one of the question's choices? */
static int
is_choice(const char *choices, const char *v, size_t n)
{
	const char	*p = choices, *e;
	size_t		 len;

	while (p && *p) {
		e = strchr(p, '\n');
		len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Check one question's input; the value to store into *out ("" to remove). */
static const char *
check_answer(struct arena *a, const struct question *q, const char **vals, size_t nvals,
	     const char **out)
{
	struct buf	 b;
	const char	*v = nvals ? vals[0] : "";
	size_t		 n = strlen(v), i, j, chars;
	int		 dup;

	*out = "";
	if (q->kind == Q_TEXT || q->kind == Q_LONG) {
		str_trim(&v, &n);
		chars = utf8_len(v, n);
		if (chars == (size_t)-1 || utf8_has_controls(v, n, q->kind == Q_TEXT))
			return "use letters, numbers and punctuation only";
		if (chars > (q->kind == Q_TEXT ? SURVEY_TEXT_MAX : SURVEY_LONG_MAX))
			return q->kind == Q_TEXT ? "use at most 500 characters"
			    : "use at most 5,000 characters";
		*out = arena_strndup(a, v, n);
	} else if (q->kind == Q_SINGLE) {
		if (n && !is_choice(q->choices, v, n))
			return "choose one of the options";
		*out = v;
	} else if (q->kind == Q_SCALE) {
		if (n && (n != 1 || v[0] < '1' || v[0] > '5'))
			return "choose a number from 1 to 5";
		*out = v;
	} else {
		buf_init(&b, 64 * 1024);
		for (i = 0; i < nvals; i++) {
			if (!*vals[i])
				continue;
			if (!is_choice(q->choices, vals[i], strlen(vals[i]))) {
				buf_release(&b);
				return "choose from the options";
			}
			for (dup = 0, j = 0; j < i; j++)
				dup |= str_eq(vals[i], vals[j]);
			if (dup)
				continue;
			if (b.len)
				buf_addc(&b, '\n');
			buf_adds(&b, vals[i]);
		}
		*out = arena_strdup(a, b.data);
		buf_release(&b);
	}
	if (!*out)
		return "the answer is too long";
	if (q->required && !**out)
		return "answer this question";
	return NULL;
}

enum app_err
survey_answer(struct app *app, struct db *db, struct arena *a,
	      struct question_set *s, int64_t person_id,
	      const struct survey_input *in, const char **why)
{
	const char	**vals;
	int64_t		  now = now_unix();
	size_t		  i;
	int		  bad = 0;
	enum app_err	  rc = E_OK;

	if (!s->open)
		return E_CLOSED;
	vals = arena_alloc(a, sizeof(*vals) * (s->nq + 1));
	if (!vals)
		return E_TOOBIG;
	for (i = 0; i < s->nq; i++) {
		why[i] = check_answer(a, &s->q[i], in->values[i], in->nvalues[i], &vals[i]);
		bad |= why[i] != NULL;
	}
	if (bad)
		return E_INVALID;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	for (i = 0; rc == E_OK && i < s->nq; i++) {
		if (*vals[i])
			rc = survey_store_answer_put(db, s->q[i].id, person_id, vals[i], now);
		else
			rc = survey_store_answer_delete(db, s->q[i].id, person_id);
		if (rc == E_OK)
			s->q[i].answer = *vals[i] ? vals[i] : NULL;
	}
	rc = finish(db, 1, rc);
	if (rc == E_OK)
		live_wall_answered(app, db, person_id);	/* walls showing these answers */
	return rc;
}

int
survey_reminder(struct app *app, struct db *db, int64_t person_id)
{
	struct question_set	 s;
	struct arena		*a;
	int			 open;

	if (survey_store_pending(db, app->event_id, person_id) <= 0)
		return 0;
	/* Only people with questions left get here: is there still time? */
	a = arena_new(1 << 20);
	open = survey_load(app, db, a, "pre", 0, &s) == E_OK && s.open;
	arena_free(a);
	return open;
}

/* One-line text of 1..max characters. */
static int
line_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, chars = utf8_len(s ? s : "", n);

	return chars != (size_t)-1 && chars >= 1 && chars <= max && !utf8_has_controls(s, n, 1);
}

enum app_err
survey_set_edit(struct app *app, struct db *db, const char *slug,
		const char *title, const char *intro, int64_t opens_at,
		int64_t closes_at, const char **why)
{
	struct arena		*a = arena_new(1 << 20);
	struct question_set	 s;
	size_t			 n = intro ? strlen(intro) : 0;
	enum app_err		 rc;

	if (!line_ok(title, 200)) {
		*why = "enter a title of at most 200 characters";
		rc = E_INVALID;
	} else if (utf8_len(intro ? intro : "", n) > 2000 || utf8_has_controls(intro ? intro : "", n, 0)) {
		*why = "the introduction: at most 2,000 characters";
		rc = E_INVALID;
	} else if (opens_at && closes_at && closes_at <= opens_at) {
		*why = "the closing date must come after the opening date";
		rc = E_INVALID;
	} else {
		rc = survey_load(app, db, a, slug, 0, &s);
		if (rc == E_OK)
			rc = survey_store_set_update(db, s.id, title, intro ? intro : "",
			    opens_at, closes_at);
	}
	arena_free(a);
	return rc;
}

/* Normalise a choices text: trimmed non-empty lines, \n separated. */
static enum app_err
question_check(struct arena *a, const char *kind, const char *prompt, const char *choices,
	       char **clean, const char **why)
{
	struct buf	 b;
	const char	*p = choices ? choices : "", *e, *l;
	size_t		 n, count = 0;
	int		 k = survey_kind_from_name(kind);

	if (k < 0) {
		*why = "choose a kind of question";
		return E_INVALID;
	}
	if (!line_ok(prompt, SURVEY_PROMPT_MAX)) {
		*why = "enter the question: at most 500 characters on one line";
		return E_INVALID;
	}
	buf_init(&b, 16 * 1024);
	while (*p) {
		e = strchr(p, '\n');
		n = e ? (size_t)(e - p) : strlen(p);
		l = p;
		str_trim(&l, &n);
		if (n) {
			if (utf8_has_controls(l, n, 1) || !utf8_valid(l, n) || n > 200) {
				buf_release(&b);
				*why = "each choice: one line of at most 200 characters";
				return E_INVALID;
			}
			if (b.len)
				buf_addc(&b, '\n');
			buf_add(&b, l, n);
			count++;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	if ((k == Q_SINGLE || k == Q_MULTI) && (count < 2 || count > SURVEY_CHOICES_MAX)) {
		buf_release(&b);
		*why = "give between 2 and 20 choices, one per line";
		return E_INVALID;
	}
	*clean = arena_strdup(a, (k == Q_SINGLE || k == Q_MULTI) ? b.data : "");
	buf_release(&b);
	return *clean ? E_OK : E_TOOBIG;
}

enum app_err
survey_question_add(struct app *app, struct db *db, const char *slug,
		    const char *kind, const char *prompt, const char *choices,
		    int required, const char **why)
{
	struct arena		*a = arena_new(1 << 20);
	struct question_set	 s;
	char			*clean = NULL;
	int64_t			 id;
	enum app_err		 rc;

	rc = question_check(a, kind, prompt, choices, &clean, why);
	if (rc == E_OK)
		rc = survey_load(app, db, a, slug, 0, &s);
	if (rc == E_OK)
		rc = survey_store_question_add(db, s.id, kind, prompt, clean, required, &id);
	arena_free(a);
	return rc;
}

enum app_err
survey_question_edit(struct app *app, struct db *db, int64_t id,
		     const char *kind, const char *prompt, const char *choices,
		     int required, const char **why)
{
	struct arena	*a = arena_new(1 << 20);
	char		*clean = NULL;
	enum app_err	 rc;

	rc = question_check(a, kind, prompt, choices, &clean, why);
	if (rc == E_OK)
		rc = survey_store_question_update(db, app->event_id, id, kind, prompt, clean,
		    required);
	arena_free(a);
	return rc;
}

enum app_err
survey_question_delete(struct app *app, struct db *db, int64_t id)
{
	return survey_store_question_delete(db, app->event_id, id);
}

struct progress {
	struct arena		 *a;
	struct survey_completion *arr;
	size_t			  n, cap;
	int64_t			  required;
	int			  full;
};

static void
on_progress(void *arg, int64_t person_id, const char *name, int64_t partnership_id,
	    const char *partnership, int64_t required_done, int64_t answered)
{
	struct progress		 *pr = arg;
	struct survey_completion *c;
	struct survey_who	 *w, *bigger;
	int			  done = pr->required ? required_done >= pr->required : answered > 0;

	if (pr->full)
		return;
	if (!pr->n || pr->arr[pr->n - 1].partnership_id != partnership_id) {
		if (pr->n == pr->cap) {
			struct survey_completion *nb;

			pr->cap = pr->cap ? pr->cap * 2 : 64;
			nb = arena_alloc(pr->a, pr->cap * sizeof(*nb));
			if (!nb) {
				pr->full = 1;
				return;
			}
			if (pr->n)
				memcpy(nb, pr->arr, pr->n * sizeof(*nb));
			pr->arr = nb;
		}
		c = &pr->arr[pr->n++];
		memset(c, 0, sizeof(*c));
		c->partnership_id = partnership_id;
		c->partnership = partnership;
	}
	c = &pr->arr[pr->n - 1];
	/* people arrays grow by doubling at powers of two */
	if ((c->npeople & (c->npeople - 1)) == 0) {
		bigger = arena_alloc(pr->a, (c->npeople ? c->npeople * 2 : 8) * sizeof(*bigger));
		if (!bigger) {
			pr->full = 1;
			return;
		}
		if (c->npeople)
			memcpy(bigger, c->people, c->npeople * sizeof(*bigger));
		c->people = bigger;
	}
	w = &c->people[c->npeople++];
	w->person_id = person_id;
	w->name = name;
	w->done = done;
	c->total++;
	c->done += done != 0;
}

enum app_err
survey_completion(struct app *app, struct db *db, struct arena *a,
		  const char *slug, struct survey_completion **out, size_t *n)
{
	struct question_set	s;
	struct progress		pr;
	size_t			i;
	enum app_err		rc;

	memset(&pr, 0, sizeof(pr));
	*out = NULL;
	*n = 0;
	rc = survey_load(app, db, a, slug, 0, &s);
	if (rc != E_OK)
		return rc;
	pr.a = a;
	for (i = 0; i < s.nq; i++)
		pr.required += s.q[i].required;
	rc = survey_store_progress(db, a, app->event_id, s.id, on_progress, &pr);
	if (rc == E_OK && pr.full)
		rc = E_TOOBIG;
	*out = pr.arr;
	*n = pr.n;
	return rc;
}

enum app_err
survey_rows(struct app *app, struct db *db, struct arena *a,
	    const char *slug, int64_t partnership_id, int64_t question_id,
	    struct survey_row **out, size_t *n)
{
	struct question_set	s;
	enum app_err		rc;

	*out = NULL;
	*n = 0;
	rc = survey_store_set_get(db, a, app->event_id, slug, &s);
	if (rc == E_NOTFOUND && (str_eq(slug, "pre") || str_eq(slug, "feedback")))
		return E_OK;
	if (rc != E_OK)
		return rc;
	return survey_store_rows(db, a, s.id, partnership_id, question_id, out, n);
}

enum app_err
survey_person_json(struct app *app, struct db *db, int64_t person_id, struct buf *b)
{
	return survey_store_person_json(db, app->event_id, person_id, b);
}

enum app_err
survey_forget(struct app *app, struct db *db, int64_t person_id)
{
	(void)app;
	return survey_store_forget(db, person_id);
}

void
survey_forgotten(struct app *app, struct db *db, int64_t person_id)
{
	live_wall_answered(app, db, person_id);
}
