/* survey.h - question sets (the pre-convention questions, the post-event
 * feedback), each person's answers, completion by partnership, themes
 * drawn from the answers, and exports: the public interface of the survey
 * feature.  Only survey_store.c holds its SQL; nothing here knows HTTP. */
#ifndef COLEAD_SURVEY_H
#define COLEAD_SURVEY_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct buf;
struct db;

enum question_kind { Q_TEXT, Q_LONG, Q_SINGLE, Q_MULTI, Q_SCALE };

#define SURVEY_TEXT_MAX		500	/* characters in a short answer */
#define SURVEY_LONG_MAX		5000	/* characters in a long answer */
#define SURVEY_PROMPT_MAX	500
#define SURVEY_CHOICES_MAX	20

/* "text", "long", "single", "multi", "scale"; -1 for anything else. */
int		 survey_kind_from_name(const char *name);
const char	*survey_kind_name(enum question_kind k);

struct question {
	int64_t		 id;
	int64_t		 position;
	enum question_kind kind;
	const char	*prompt;
	const char	*help;
	const char	*choices;	/* one per line (single, multi) */
	int		 required;
	const char	*answer;	/* the person's answer (multi: one per line), NULL if none */
};

struct question_set {
	int64_t		 id;
	const char	*slug;		/* "pre" or "feedback" */
	const char	*title;
	const char	*intro;
	int64_t		 opens_at;	/* unix; 0: open now */
	int64_t		 closes_at;	/* unix; 0: pre closes when the convention starts, feedback never */
	struct question	*q;
	size_t		 nq;
	int		 open;		/* answers are accepted now */
};

/* Make the two sets of the event if they are missing: "pre" with the two
 * pre-convention questions, "feedback" opening after the last day.
 * Joins the caller's transaction when one is open. */
enum app_err	 survey_ensure(struct app *app, struct db *db);
/* A set with its questions in order, and person_id's answers (0: none).
 * E_NOTFOUND for an unknown slug. */
enum app_err	 survey_load(struct app *app, struct db *db, struct arena *a,
			const char *slug, int64_t person_id, struct question_set *s);

/* Answers given in a form: for question i of the set, values[i] holds
 * nvalues[i] strings (several only for Q_MULTI). */
struct survey_input {
	const char	***values;
	size_t		 *nvalues;
};
/* Check and save a person's answers to a set, replacing earlier ones, in
 * one transaction.  E_CLOSED when the set is not open; E_INVALID with
 * why[i] (static text) for each bad question, nothing written.  An empty
 * optional answer removes the earlier one.  After COMMIT, live walls fed
 * by these questions are told (live_wall_answered): an edited answer
 * leaves them until a moderator approves it again. */
enum app_err	 survey_answer(struct app *app, struct db *db, struct arena *a,
			struct question_set *s, int64_t person_id,
			const struct survey_input *in, const char **why);

/* "YYYY-MM-DD" as unix seconds at midnight UTC; "" is 0.  -1 if bad. */
int		 survey_date(const char *s, int64_t *out);

/* Does the person still have required pre-convention questions to answer
 * while they are open?  One indexed query for everyone who has answered;
 * a few more for those who have not.  0 on error. */
int		 survey_reminder(struct app *app, struct db *db, int64_t person_id);

/* Organisers: set and question editing.  Dates are unix seconds (0 for
 * none).  E_INVALID with *why. */
enum app_err	 survey_set_edit(struct app *app, struct db *db, const char *slug,
			const char *title, const char *intro, int64_t opens_at,
			int64_t closes_at, const char **why);
enum app_err	 survey_question_add(struct app *app, struct db *db, const char *slug,
			const char *kind, const char *prompt, const char *choices,
			int required, const char **why);
enum app_err	 survey_question_edit(struct app *app, struct db *db, int64_t id,
			const char *kind, const char *prompt, const char *choices,
			int required, const char **why);
enum app_err	 survey_question_delete(struct app *app, struct db *db, int64_t id);

/* Completion of the pre-convention set among participants. */
struct survey_who {
	int64_t		 person_id;
	const char	*name;
	int		 done;
};
struct survey_completion {
	int64_t		 partnership_id;	/* 0: no partnership */
	const char	*partnership;
	size_t		 done, total;
	struct survey_who *people;
	size_t		 npeople;
};
enum app_err	 survey_completion(struct app *app, struct db *db, struct arena *a,
			const char *slug, struct survey_completion **out, size_t *n);

/* One answer, for the dashboard and exports. */
struct survey_row {
	int64_t		 question_id;
	const char	*prompt;
	int64_t		 person_id;
	const char	*name, *email, *partnership;
	const char	*value;
	int64_t		 updated_at;
};
/* Answers to a set, filtered by partnership and question (0: all). */
enum app_err	 survey_rows(struct app *app, struct db *db, struct arena *a,
			const char *slug, int64_t partnership_id, int64_t question_id,
			struct survey_row **out, size_t *n);

/* Themes: terms and two-word phrases, stop-words left out, by frequency. */
struct survey_term {
	const char	*text;
	size_t		 count;
};
/* The top `max` terms of the given texts (arena array, most frequent first). */
size_t		 survey_themes(struct arena *a, const char *const *texts, size_t ntexts,
			struct survey_term *out, size_t max);
/* A word-cloud SVG of the terms into b; every word escaped. */
void		 survey_cloud_svg(struct buf *b, const struct survey_term *t, size_t n);

/* Exports of rows: CSV (formula cells neutralised) and XLSX bytes (in b).
 * -1 (logged) if the spreadsheet cannot be written. */
void		 survey_export_csv(struct buf *b, const struct survey_row *r, size_t n);
int		 survey_export_xlsx(struct buf *b, const struct survey_row *r, size_t n);

/* Personal data: append to b the JSON member "answers":[...] with every
 * answer the person gave (set, question, answer, time). */
enum app_err	 survey_person_json(struct app *app, struct db *db, int64_t person_id,
			struct buf *b);
/* Remove every answer of the person (for people_erase; joins its
 * transaction). */
enum app_err	 survey_forget(struct app *app, struct db *db, int64_t person_id);
/* After the transaction that forgot them committed: the walls that showed
 * the person's answers drop them on every screen. */
void		 survey_forgotten(struct app *app, struct db *db, int64_t person_id);

/* Demo: the pre-convention set with answers from most participants,
 * inside the demo's transaction.  -1 (logged) on failure. */
int		 survey_demo(struct app *app, struct db *db, struct arena *a);

#endif
