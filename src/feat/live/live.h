/* live.h - the live room: per-room Q&A with upvotes, moderation and
 * anonymous asking; polls (single and multiple choice, 1-5 scale, word
 * cloud, open text) with draft/open/closed states and hidden results; the
 * presenter screen's values; the events that feed Server-Sent-Event
 * streams.  A room is keyed by its own id and join code; it may name an
 * agenda session (linked later, never required).
 *
 * Who sees what: a moderator (organiser or facilitator) sees every
 * question that is not hidden, with its asker; everyone else sees visible
 * questions only, and the asker of an anonymous question is never named
 * to them (only "you" to the asker).  Results of a poll are shown to
 * non-moderators only once revealed.  Every function that returns data
 * takes the requesting person and applies these rules itself.
 *
 * The pre-convention wall: a moderator chooses which pre-convention
 * questions feed a room's wall and approves or rejects each answer; the
 * approved ones are shown as cards and a word cloud.  A card names the
 * author's partnership, never the author (the survey tells people their
 * answers are shared back without their names), to moderators too. */
#ifndef COLEAD_LIVE_H
#define COLEAD_LIVE_H

#include "../../core/core.h"
#include "../../core/buf.h"
#include "../../app.h"

struct arena;
struct db;
struct person;

#define LIVE_TITLE_MAX		200	/* bytes of a room title */
#define LIVE_QUESTION_MAX	500	/* bytes of a question */
#define LIVE_POLL_Q_MAX		300	/* bytes of a poll's question */
#define LIVE_OPTION_MAX		100	/* bytes of one choice */
#define LIVE_OPTIONS_MAX	12	/* choices of a poll */
#define LIVE_WORD_MAX		40	/* bytes of a word-cloud answer */
#define LIVE_TEXT_MAX		500	/* bytes of an open-text answer */
#define LIVE_LIST_MAX		500	/* questions or polls listed at once */
#define LIVE_REPLAY_MAX		200	/* events replayed on reconnect */
#define LIVE_WALL_SHOWN		12	/* newest approved cards on the presenter screen */
#define LIVE_TOP_SHOWN		5	/* top questions on the presenter screen */
#define LIVE_TOP_WITH_POLL	3	/* ... below the current poll */
#define LIVE_WALL_QUEUE		50	/* answers in the moderators' queue at once ("approve all shown") */

struct live_room {
	int64_t		 id;
	const char	*title;
	const char	*code;		/* join code */
	int64_t		 session_id;	/* agenda session, 0 if none */
	int		 need_approval;
	int64_t		 current_poll_id;	/* 0 if none */
	int64_t		 last_event_id;	/* the room's newest event */
	int		 wall_screen;	/* the presenter screen shows the wall */
	int64_t		 wall_feeds;	/* questions feeding the wall (0: no wall) */
};

struct live_question {
	int64_t		 id;
	int64_t		 room_id;
	const char	*body;
	const char	*asker;		/* NULL when this viewer may not see it */
	int		 mine;		/* the viewer asked it */
	int		 anonymous;
	const char	*state;		/* "pending", "visible" or "hidden" */
	int		 answered, pinned;
	int64_t		 votes;
	int		 voted;		/* the viewer upvoted it */
	int64_t		 created_at;
};

enum live_poll_kind { LIVE_SINGLE, LIVE_MULTI, LIVE_SCALE, LIVE_WORDS, LIVE_TEXT };

struct live_poll {
	int64_t		 id;
	int64_t		 room_id;
	enum live_poll_kind kind;
	const char	*question;
	const char	*options[LIVE_OPTIONS_MAX];
	int		 noptions;	/* scale: 5 ("1".."5") */
	const char	*state;		/* "draft", "open" or "closed" */
	int		 revealed;
};

struct live_word {
	const char	*word;
	int64_t		 n;
};

/* A poll's results and the viewer's own ballot. */
struct live_tally {
	int64_t		 total;		/* ballots */
	int64_t		 counts[LIVE_OPTIONS_MAX];	/* per choice; scale: per value 1..5 */
	double		 average;	/* scale */
	struct live_word *words;	/* words (merged) or open texts, most frequent first */
	size_t		 nwords;
	int		 visible;	/* the viewer may see the results */
	int		 voted;		/* the viewer has a ballot */
	int64_t		 my_choices;	/* bit i: choice i */
	int		 my_value;
	const char	*my_text;
};

/* One answer on (or waiting for) a room's wall.  No person in it. */
struct live_wall_card {
	int64_t		 id;		/* the wall entry, not the answer or its author */
	int64_t		 question_id;
	const char	*prompt;
	const char	*answer;
	const char	*partnership;	/* the author's, NULL if none */
	const char	*state;		/* "pending" (also: edited since the decision), "approved", "rejected" */
	int64_t		 version;	/* of the answer's text (> 0): what a decision is made on */
};

/* A pre-convention question that may feed a wall (free text only). */
struct live_wall_feed {
	int64_t		 question_id;
	const char	*prompt;
	int		 fed;		/* it feeds this room's wall */
};

const char	*live_kind_name(enum live_poll_kind k);
int		 live_kind_from_name(const char *name, enum live_poll_kind *k);	/* -1 unknown */
/* May this person moderate (organiser or facilitator)?  Drive the
 * presenter screen (the same). */
int		 live_can_moderate(const struct person *p);
/* May this person open room r's presenter screen?  Moderators may open
 * every room's; a speaker only that of a room linked to an agenda session
 * they speak in (their account linked to one of its speakers). */
int		 live_may_present(struct app *app, struct db *db, const struct person *p,
			const struct live_room *r);
/* Fold a word-cloud answer: trimmed, lower-case, runs of white space made
 * one space, into out (at most outsz bytes with the NUL). */
void		 live_word_key(const char *in, char *out, size_t outsz);

/* Rooms.  live_room_add makes a fresh join code; E_INVALID with *why. */
enum app_err	 live_room_add(struct app *app, struct db *db, const char *title,
			int64_t session_id, int64_t *id, const char **why);
enum app_err	 live_room_get(struct app *app, struct db *db, struct arena *a,
			int64_t id, struct live_room *r);
/* The room linked to an agenda session (the first, if several are);
 * E_NOTFOUND if none. */
enum app_err	 live_room_for_session(struct app *app, struct db *db, struct arena *a,
			int64_t session_id, struct live_room *r);
/* The room a join code names (case-insensitive). */
enum app_err	 live_room_by_code(struct app *app, struct db *db, struct arena *a,
			const char *code, struct live_room *r);
enum app_err	 live_rooms(struct app *app, struct db *db, struct arena *a,
			struct live_room **out, size_t *n);
/* Turn "questions need approval" on or off (moderators). */
enum app_err	 live_set_approval(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, int on);

/* Questions.  Ask: any signed-in person with a role in the event; the
 * question waits for approval when the room says so (unless a moderator
 * asks).  E_INVALID with *why for an empty or over-long one. */
enum app_err	 live_ask(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, const char *body, int anonymous, int64_t *id,
			const char **why);
/* Upvote once; a second upvote by the same person changes nothing.
 * E_NOTFOUND unless the question is visible in that room. */
enum app_err	 live_upvote(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, int64_t question_id);
/* Moderate: "approve", "hide", "answer", "unanswer", "pin", "unpin".
 * E_FORBIDDEN for non-moderators, E_INVALID for another action. */
enum app_err	 live_moderate(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, int64_t question_id, const char *action);
/* The questions this viewer may see, pinned first, then by votes
 * (by_new: newest first).  pending_only: the moderator queue. */
enum app_err	 live_questions(struct app *app, struct db *db, struct arena *a,
			const struct person *who, int64_t room_id, int by_new, int pending_only,
			struct live_question **out, size_t *n);

/* Questions from live_questions() as a JSON array (askers as filtered
 * there: null when this viewer may not see them). */
void		 live_json_questions(struct buf *b, const struct live_question *q, size_t n);

/* Polls (moderators create and drive them).  options: one choice per
 * line (single, multi: 2..LIVE_OPTIONS_MAX; ignored for the others). */
enum app_err	 live_poll_add(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, const char *kind, const char *question,
			const char *options, int64_t *id, const char **why);
/* "open" (also makes it the room's current poll), "close", "reveal",
 * "conceal", "show" (make current without opening).  E_CONFLICT for a
 * move the state does not allow (opening a closed poll). */
enum app_err	 live_poll_action(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, int64_t poll_id, const char *action);
/* Move the room on: close its current poll if open, then make the next
 * poll (by creation) current, opening it if it is a draft.  E_NOTFOUND
 * when there is no next poll. */
enum app_err	 live_poll_next(struct app *app, struct db *db, const struct person *who,
			int64_t room_id);
enum app_err	 live_poll_get(struct app *app, struct db *db, struct arena *a,
			int64_t room_id, int64_t poll_id, struct live_poll *p);
enum app_err	 live_polls(struct app *app, struct db *db, struct arena *a,
			int64_t room_id, struct live_poll **out, size_t *n);
/* Vote (or replace one's vote) on an open poll: choices is a bit set
 * (single: exactly one bit), value 1..5, text a word or an answer.
 * E_CLOSED if the poll is not open, E_INVALID with *why. */
enum app_err	 live_vote(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, int64_t poll_id, int64_t choices, int value,
			const char *text, const char **why);
/* The same without waiting: E_OK means the ballot is queued and done(arg,
 * rc) will be called exactly once, from the vote writer's thread (or from
 * this one, before returning, when there is no writer), after its COMMIT
 * or failure; any other result is the answer, and done is not called.
 * Only db is used before returning. */
enum app_err	 live_vote_submit(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, int64_t poll_id, int64_t choices, int value,
			const char *text, const char **why,
			void (*done)(void *arg, enum app_err rc), void *arg);
/* Stop the vote writer once what is queued is written (at shutdown,
 * before the connection pool goes). */
void		 live_votes_stop(void);
/* Results as this viewer may see them (visible = 0 hides the counts). */
enum app_err	 live_tally(struct app *app, struct db *db, struct arena *a,
			const struct person *who, const struct live_poll *p, struct live_tally *t);

/* The wall.  live_wall_feeds: the free-text questions of the
 * pre-convention set, each marked if it feeds the room (moderators).
 * live_wall_set_feeds: feed the room from exactly these questions;
 * E_INVALID for one that is not a free-text pre-convention question. */
enum app_err	 live_wall_feeds(struct app *app, struct db *db, struct arena *a,
			const struct person *who, int64_t room_id,
			struct live_wall_feed **out, size_t *n);
enum app_err	 live_wall_set_feeds(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, const int64_t *question_ids, size_t n);
/* Cards of the room's wall in one state, at most max: "approved" (newest
 * decision first; anyone in the event may list them), "pending" (oldest
 * answer first) or "rejected" (moderators only).  *total: how many are in
 * that state in all.  Listing the pending ones first makes an entry for
 * every answer of a fed question that has none yet. */
enum app_err	 live_wall_list(struct app *app, struct db *db, struct arena *a,
			const struct person *who, int64_t room_id, const char *state, size_t max,
			struct live_wall_card **out, size_t *n, int64_t *total);
/* Approve ("approve") or reject ("reject") wall entries ids[i], each only
 * if its answer is still at version versions[i] (0: as it is now), in one
 * transaction; events are published after COMMIT.  An entry whose answer
 * changed since is left in the queue (E_CONFLICT when it was the only
 * one); an answer whose text changes after the decision is pending
 * again.  *decided (may be NULL): how many were recorded.  E_NOTFOUND
 * for an entry not in the room's wall (nothing changed), E_INVALID for
 * another action. */
enum app_err	 live_wall_decide(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, const int64_t *ids, const int64_t *versions, size_t n,
			const char *action, size_t *decided);
/* The survey calls this after it committed a person's answers, or
 * deleted them all (the person was erased): each answer that feeds a wall
 * gets its entry (pending) if it had none, and an event, so moderators'
 * queues show a new answer and every screen drops an approved answer that
 * was edited; an entry whose answer is gone gets an event that drops it
 * everywhere, and is deleted.  Errors are logged, not returned: the
 * answers are saved either way. */
void		 live_wall_answered(struct app *app, struct db *db, int64_t person_id);
/* Personal data: append to b the JSON member "live":{...}: the person's
 * questions, upvotes and poll answers in this event's rooms. */
enum app_err	 live_person_json(struct app *app, struct db *db, int64_t person_id,
			struct buf *b);
/* What the presenter screen shows: "wall" or "main" (moderators). */
enum app_err	 live_set_screen(struct app *app, struct db *db, const struct person *who,
			int64_t room_id, const char *mode);
/* Cards as a JSON array: id, question, answer, partnership (null). */
void		 live_json_wall(struct buf *b, const struct live_wall_card *c, size_t n);

/* Streams.  The topic of a room ("room:ID", everyone) or of its
 * moderators ("mod:ID").  live_replay appends, as SSE events, the current
 * state of everything that changed after event since_id, rendered for the
 * stream's audience exactly as live events are (moderators: only if who
 * may moderate, else E_FORBIDDEN; a hidden question becomes a "remove");
 * *last is the newest id replayed (since_id when none); since_id < 0
 * replays nothing (a stream starting from now).  live_snapshot
 * appends the current poll's tally for that audience (no id). */
void		 live_topic(char *out, size_t n, int64_t room_id, int moderators);
enum app_err	 live_replay(struct app *app, struct db *db, struct arena *a,
			const struct person *who, int64_t room_id, int moderators,
			int64_t since_id, struct buf *out, int64_t *last);
enum app_err	 live_snapshot(struct app *app, struct db *db, struct arena *a,
			const struct person *who, int64_t room_id, int moderators,
			struct buf *out);
/* The hub's flush (live_hub.h): renders a dirty "q:ID" or "poll:ID" and
 * publishes it to the room's topics. */
void		 live_flush(struct app *app, const char *key);
/* Publish here an event another instance committed (live_share.c): kind
 * "question" or "poll" (anything else is ignored), ref_id its id, read
 * now from db and rendered for both audiences as live_ask,
 * live_moderate and live_poll_action do. */
void		 live_republish(struct app *app, struct db *db, int64_t room_id,
			const char *kind, int64_t ref_id, int64_t event_id);

/* Presenter screen pieces: SVG (safe to write raw; every text escaped). */
char		*live_results_svg(struct arena *a, const struct live_poll *p,
			const struct live_tally *t);
/* The word cloud of the cards' answers (survey_themes, survey_cloud_svg);
 * NULL when there are no themes. */
char		*live_wall_cloud_svg(struct arena *a, const struct live_wall_card *c, size_t n);
/* A QR code of text as SVG; NULL if it cannot be encoded. */
char		*live_qr_svg(struct arena *a, const char *text);

/* Demo rooms, questions, upvotes and polls (inside the demo's
 * transaction).  Returns 0 or -1. */
int		 live_demo(struct app *app, struct db *db, struct arena *a);

#endif
