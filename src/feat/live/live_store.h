/* live_store.h - the live feature's data access (live_store.c holds every
 * SQL statement).  Private to the feature: other code calls live.h.  No
 * rules here: rows come back as stored (askers included) and live.c
 * decides what a viewer sees.  Strings are allocated in the arena passed. */
#ifndef COLEAD_LIVE_STORE_H
#define COLEAD_LIVE_STORE_H

#include "live.h"

struct live_event_row {
	int64_t		 id;
	const char	*kind;		/* "question", "poll", "wall" or "screen" */
	int64_t		 ref_id;
};

/* A question as stored: q->asker is always the asker's name. */
struct live_question_row {
	struct live_question q;
	int64_t		 person_id;
};

/* A ballot as stored (for the tally). */
struct live_ballot_row {
	int64_t		 choices;
	int		 value;
};

enum app_err	live_store_room_add(struct db *db, int64_t event_id, const char *title,
			const char *code, int64_t session_id, int64_t now, int64_t *id);	/* E_CONFLICT: code taken */
enum app_err	live_store_room_get(struct db *db, struct arena *a, int64_t event_id,
			int64_t id, struct live_room *r);
/* The first room linked to an agenda session; E_NOTFOUND if none. */
enum app_err	live_store_room_by_session(struct db *db, struct arena *a, int64_t event_id,
			int64_t session_id, struct live_room *r);
enum app_err	live_store_room_by_code(struct db *db, struct arena *a, int64_t event_id,
			const char *code, struct live_room *r);
enum app_err	live_store_rooms(struct db *db, struct arena *a, int64_t event_id,
			struct live_room **out, size_t *n);
enum app_err	live_store_room_approval(struct db *db, int64_t room_id, int on);
enum app_err	live_store_room_current(struct db *db, int64_t room_id, int64_t poll_id);
enum app_err	live_store_room_screen(struct db *db, int64_t room_id, const char *screen);
/* Append to the room's event log; *id is the SSE event id. */
enum app_err	live_store_event_add(struct db *db, int64_t room_id, const char *kind,
			int64_t ref_id, int64_t now, int64_t *id);
/* Events after since_id, oldest first, at most max. */
enum app_err	live_store_events(struct db *db, struct arena *a, int64_t room_id,
			int64_t since_id, size_t max, struct live_event_row **out, size_t *n);

enum app_err	live_store_q_add(struct db *db, int64_t room_id, int64_t person_id,
			const char *body, int anonymous, const char *state, int64_t now, int64_t *id);
/* One question with its vote count and whether viewer_id upvoted it. */
enum app_err	live_store_q_get(struct db *db, struct arena *a, int64_t room_id,
			int64_t id, int64_t viewer_id, struct live_question_row *out);
/* Questions of a room in the given states ("visible", or "pending" and
 * "visible" when with_pending; only "pending" when pending_only). */
enum app_err	live_store_q_list(struct db *db, struct arena *a, int64_t room_id,
			int64_t viewer_id, int with_pending, int pending_only, int by_new,
			struct live_question_row **out, size_t *n);
enum app_err	live_store_q_state(struct db *db, int64_t id, const char *state);
enum app_err	live_store_q_answered(struct db *db, int64_t id, int on);
enum app_err	live_store_q_pinned(struct db *db, int64_t id, int on);
/* Add an upvote; *added 0 if the person had already upvoted. */
enum app_err	live_store_upvote(struct db *db, int64_t question_id, int64_t person_id, int *added);

enum app_err	live_store_poll_add(struct db *db, int64_t room_id, const char *kind,
			const char *question, const char *options, int64_t now, int64_t *id);
enum app_err	live_store_poll_get(struct db *db, struct arena *a, int64_t room_id,
			int64_t id, struct live_poll *p);
enum app_err	live_store_polls(struct db *db, struct arena *a, int64_t room_id,
			struct live_poll **out, size_t *n);
/* Move a poll from state `from` to `to`; E_CONFLICT if it was not in `from`. */
enum app_err	live_store_poll_state(struct db *db, int64_t id, const char *from, const char *to);
enum app_err	live_store_poll_revealed(struct db *db, int64_t id, int on);
/* Insert or replace a person's ballot, only while the poll is open
 * (checked in the same statement): E_CLOSED otherwise. */
enum app_err	live_store_vote(struct db *db, int64_t poll_id, int64_t person_id,
			int64_t choices, int value, const char *text, const char *word_key,
			int64_t now);
/* A ballot for live_store_votes(). */
struct live_vote_row {
	int64_t		 poll_id, person_id, choices, now;
	int		 value;
	const char	*text, *word_key;
};
#define LIVE_VOTES_ROWS	8
/* live_store_vote for LIVE_VOTES_ROWS ballots of one poll by as many
 * different people, in one statement (a batch's rows cost far less
 * together): all written (E_OK) or, the poll not being open, none
 * (E_CLOSED).  Not more rows: SQLite finds each "$N" by name along a
 * list, so binding costs grow with the square of the parameters (32 rows
 * were slower than 8). */
enum app_err	live_store_votes(struct db *db, const struct live_vote_row *rows);
enum app_err	live_store_ballots(struct db *db, struct arena *a, int64_t poll_id,
			struct live_ballot_row **out, size_t *n);
/* Words merged by key, most frequent first (max of them). */
enum app_err	live_store_words(struct db *db, struct arena *a, int64_t poll_id, size_t max,
			struct live_word **out, size_t *n);
/* Open-text answers, newest first (n = 1 each). */
enum app_err	live_store_texts(struct db *db, struct arena *a, int64_t poll_id, size_t max,
			struct live_word **out, size_t *n);
/* The person's own ballot; E_NOTFOUND if none. */
enum app_err	live_store_my_ballot(struct db *db, struct arena *a, int64_t poll_id,
			int64_t person_id, int64_t *choices, int *value, const char **text);

/* The wall.  These read the survey's answers, questions and the authors'
 * partnerships (never their names) and write only the live_wall tables. */
enum app_err	live_store_wall_fed(struct db *db, struct arena *a, int64_t room_id,
			int64_t **out, size_t *n);
/* Replace the room's feeds with these questions. */
enum app_err	live_store_wall_feed_set(struct db *db, int64_t room_id, const int64_t *qids,
			size_t n);
/* An entry (state "pending") for every answer to a fed question that has none. */
enum app_err	live_store_wall_sync(struct db *db, int64_t room_id);
/* The same for one person's answers, in every room. */
enum app_err	live_store_wall_sync_person(struct db *db, int64_t person_id);
/* The rooms and ids of the person's wall entries, at most max, those
 * whose answer is gone included. */
enum app_err	live_store_wall_of_person(struct db *db, struct arena *a, int64_t person_id,
			size_t max, int64_t **rooms, int64_t **ids, size_t *n);
/* Delete the person's entries whose answer is gone (emptied, or its author
 * erased), once their events are recorded. */
enum app_err	live_store_wall_drop_gone(struct db *db, int64_t person_id);
/* Entries of a fed question in effective state `state`, at most max, and
 * the count in that state. */
enum app_err	live_store_wall_list(struct db *db, struct arena *a, int64_t room_id,
			const char *state, size_t max, struct live_wall_card **out, size_t *n,
			int64_t *total);
/* One entry of the room, whatever its state; E_NOTFOUND if absent or its
 * question no longer feeds the wall. */
enum app_err	live_store_wall_get(struct db *db, struct arena *a, int64_t room_id, int64_t id,
			struct live_wall_card *c);
/* Record a decision made on the answer's text `answer`. */
enum app_err	live_store_wall_decide(struct db *db, int64_t room_id, int64_t id,
			const char *state, const char *answer, int64_t now);

/* Personal data: append to b the JSON member "live":{...} with what the
 * person put into the event's live rooms: their questions (with their
 * state), their upvotes (the question's text while it is shown) and
 * their poll answers. */
enum app_err	live_store_person_json(struct db *db, int64_t event_id, int64_t person_id,
			struct buf *b);

#endif
