/* survey_store.h - the survey feature's data access (survey_store.c holds
 * every SQL statement).  Private to the feature: others call survey.h.
 * Strings returned are allocated in the arena passed. */
#ifndef COLEAD_SURVEY_STORE_H
#define COLEAD_SURVEY_STORE_H

#include "survey.h"

/* A set's own fields (not its questions); E_NOTFOUND if absent. */
enum app_err	survey_store_set_get(struct db *db, struct arena *a, int64_t event_id,
			const char *slug, struct question_set *s);
enum app_err	survey_store_set_add(struct db *db, int64_t event_id, const char *slug,
			const char *title, const char *intro, int64_t opens_at,
			int64_t closes_at, int64_t *id);
enum app_err	survey_store_set_update(struct db *db, int64_t id, const char *title,
			const char *intro, int64_t opens_at, int64_t closes_at);
/* Questions of a set in order, with person_id's answers (0: none). */
enum app_err	survey_store_questions(struct db *db, struct arena *a, int64_t set_id,
			int64_t person_id, struct question **out, size_t *n);
enum app_err	survey_store_question_add(struct db *db, int64_t set_id, const char *kind,
			const char *prompt, const char *choices, int required, int64_t *id);
/* Change or remove a question of one of the event's sets; E_NOTFOUND
 * for a question of another event. */
enum app_err	survey_store_question_update(struct db *db, int64_t event_id, int64_t id,
			const char *kind, const char *prompt, const char *choices, int required);
enum app_err	survey_store_question_delete(struct db *db, int64_t event_id, int64_t id);
enum app_err	survey_store_answer_put(struct db *db, int64_t question_id, int64_t person_id,
			const char *value, int64_t now);
enum app_err	survey_store_answer_delete(struct db *db, int64_t question_id, int64_t person_id);
/* Required questions of the event's "pre" set the person has not answered. */
int64_t		survey_store_pending(struct db *db, int64_t event_id, int64_t person_id);
/* Each participant of the event: partnership, name, and how many of the
 * set's required questions and of all its questions they answered. */
enum app_err	survey_store_progress(struct db *db, struct arena *a, int64_t event_id,
			int64_t set_id,
			void (*fn)(void *arg, int64_t person_id, const char *name,
				int64_t partnership_id, const char *partnership,
				int64_t required_done, int64_t answered),
			void *arg);
enum app_err	survey_store_rows(struct db *db, struct arena *a, int64_t set_id,
			int64_t partnership_id, int64_t question_id,
			struct survey_row **out, size_t *n);
/* The person's answers as a JSON member "answers":[...] into b. */
enum app_err	survey_store_person_json(struct db *db, int64_t event_id, int64_t person_id,
			struct buf *b);
enum app_err	survey_store_forget(struct db *db, int64_t person_id);

#endif
