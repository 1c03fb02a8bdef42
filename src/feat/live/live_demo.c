/* live_demo.c - the demo convention's live rooms: the opening keynote,
 * the chief executive's reflections and a peer-learning session, each
 * with questions (some anonymous, one waiting for approval, one
 * answered), upvotes and polls of every kind with ballots, so every live
 * screen has something to show; the opening keynote's wall shows the
 * pre-convention answers (survey_demo runs first), some approved, some
 * waiting, one rejected.  Runs inside the demo's transaction, so it
 * writes through the store (the domain functions open transactions of
 * their own).  Words are the project's own. */
#include "live.h"
#include "../agenda/agenda.h"
#include "live_store.h"
#include "../people/people.h"
#include "../survey/survey.h"
#include "../../core/arena.h"
#include "../../core/log.h"

#define DEMO_VOTERS	120

/* Collect the ids of people in the event (people_each callback; it
 * lists them by name, so the voters are a mix of staff and participants). */
struct voters {
	int64_t	 id[DEMO_VOTERS];
	int	 n;
};

static void
collect(void *arg, const struct person *p)
{
	struct voters *v = arg;

	if (v->n < DEMO_VOTERS)
		v->id[v->n++] = p->id;
}

static const struct {
	const char	*title;
	const char	*session;	/* the agenda session it is linked to */
	int		 need_approval;
	const char	*questions[5];
} rooms[] = {
	{ "Opening keynote: leading across boundaries",
	  "Leading beyond the edges of your organisation", 0, {
		"How do we keep a shared purpose alive when every partner reports to a different board?",
		"What is the first thing you would stop doing to make room for collaboration?",
		"Which results should we measure together rather than apart?",
		"How do you build trust quickly with a partner you have never worked with?",
		"Where have you seen a partnership fail, and what did it teach you?" } },
	{ "Reflections from Sport England's chief executive",
	  "Reflections from Sport England's chief executive", 1, {
		"What does success look like for the network in twelve months?",
		"How will funding reward partnerships that share credit?",
		"What support is there for smaller partnerships with fewer staff?",
		NULL, NULL } },
	{ "Peer learning: what works in our places",
	  "Peer learning: working with health partners", 0, {
		"Who has joined up with health services well, and how?",
		"How do you involve young people in setting priorities?",
		NULL, NULL, NULL } },
};

/* One poll with ballots from the first `count` voters. */
static int
demo_poll(struct db *db, int64_t room, const char *kind, const char *question,
	  const char *options, const char *state, const struct voters *v, int count,
	  int64_t *id)
{
	static const char *const words[] = { "Trust", "trust ", "shared purpose", "Listening",
		"courage", "Shared  Purpose", "patience", "listening", "trust" };
	static const char *const ideas[] = {
		"Ask the county's public health lead what they need from us this year, before we say what we offer",
		"Share our participation data with partners every quarter",
		"Open our next board meeting with residents' stories, not the figures",
		"Listen more than I talk at the next network meeting",
		"Invite the housing associations to plan the summer programme with us",
		"Stop writing bids alone",
		"Book a walk with the district council's leisure officer",
		"Ask young people to score our plan before the board sees it",
		"Put one shared outcome on every partner's agenda",
		"Find out who else is already working on the estate we target",
		"Say thank you in public to the partners who carried the last project",
		"Try the appreciative questions from today with my own team" };
	/* choices and 1-5 values spread unevenly, as a room's would be */
	static const unsigned char pick[] = { 2, 1, 2, 0, 3, 2, 1, 2, 4, 1, 2, 0, 2, 1, 3, 2, 0, 2, 1, 2 };
	static const unsigned char scale[] = { 4, 3, 4, 5, 3, 4, 2, 4, 3, 5, 4, 1, 3, 4 };
	int64_t	 now = now_unix();
	int	 i, nopt = 1;
	const char *o;

	for (o = options; *o; o++)
		nopt += *o == '\n';
	if (live_store_poll_add(db, room, kind, question, options, now, id) != E_OK ||
	    live_store_poll_state(db, *id, "draft", "open") != E_OK)
		return -1;
	for (i = 0; i < count && i < v->n; i++) {
		const char	*w = strcmp(kind, "text") == 0 ? ideas[i % ARRAY_SIZE(ideas)] :
				     words[i % ARRAY_SIZE(words)];
		char		 key[64];
		int64_t		 choices = (int64_t)1 << (pick[i % ARRAY_SIZE(pick)] % nopt);

		live_word_key(w, key, sizeof(key));
		if (strcmp(kind, "multi") == 0)
			choices |= (int64_t)1 << (pick[(i * 7 + 3) % ARRAY_SIZE(pick)] % nopt);
		if (live_store_vote(db, *id, v->id[i], choices, scale[i % ARRAY_SIZE(scale)],
				    strcmp(kind, "words") == 0 || strcmp(kind, "text") == 0 ? w : "",
				    strcmp(kind, "words") == 0 ? key : "",
				    now) != E_OK)
			return -1;
	}
	if (strcmp(state, "open") != 0 && live_store_poll_state(db, *id, "open", state) != E_OK)
		return -1;
	return 0;
}

#define DEMO_WALL_SHOWN	40	/* answers looked at by the demo's moderator */

/* Feed the room's wall from the first pre-convention question and decide
 * on the oldest answers: most approved, one rejected, the rest waiting. */
static int
demo_wall(struct app *app, struct db *db, struct arena *a, int64_t room)
{
	struct question_set	 s;
	struct live_wall_card	*c;
	size_t			 n, i;
	int64_t			 total, ev;

	if (survey_load(app, db, a, "pre", 0, &s) != E_OK || s.nq < 1)
		return error("cannot find the demo's pre-convention questions");
	if (live_store_wall_feed_set(db, room, &s.q[0].id, 1) != E_OK ||
	    live_store_wall_sync(db, room) != E_OK ||
	    live_store_wall_list(db, a, room, "pending", DEMO_WALL_SHOWN, &c, &n, &total) != E_OK)
		return -1;
	for (i = 0; i < n; i++) {
		const char *state = i % 3 == 2 ? NULL : i == 4 ? "rejected" : "approved";

		if (!state)
			continue;	/* left in the queue */
		if (live_store_wall_decide(db, room, c[i].id, state, c[i].answer,
					   now_unix() - (int64_t)(n - i)) != E_OK ||
		    live_store_event_add(db, room, "wall", c[i].id, now_unix(), &ev) != E_OK)
			return -1;
	}
	return 0;
}

int
live_demo(struct app *app, struct db *db, struct arena *a)
{
	struct voters	*v = arena_alloc(a, sizeof(*v));
	const char	*why = "";
	struct agenda	 ag;
	int64_t		 room, qid, pid, ev, sid;
	size_t		 r, i;
	int		 q, k, added;

	if (!v || people_each(app, db, a, collect, v) != E_OK)
		return error("cannot list the demo participants");
	if (v->n < 10)
		return 0;
	if (agenda_load(app, db, a, &ag) != E_OK)
		return error("cannot read the demo programme");
	for (r = 0; r < ARRAY_SIZE(rooms); r++) {
		for (sid = 0, i = 0; i < ag.nsessions; i++)
			if (strcmp(ag.sessions[i].title, rooms[r].session) == 0)
				sid = ag.sessions[i].id;
		if (live_room_add(app, db, rooms[r].title, sid, &room, &why) != E_OK)
			return error("cannot add the demo room '%s': %s", rooms[r].title, why);
		if (rooms[r].need_approval && live_store_room_approval(db, room, 1) != E_OK)
			return -1;
		for (q = 0; q < 5 && rooms[r].questions[q]; q++) {
			const char *state = rooms[r].need_approval && q == 2 ? "pending" : "visible";

			if (live_store_q_add(db, room, v->id[q * 3], rooms[r].questions[q], q % 2,
					     state, now_unix(), &qid) != E_OK ||
			    live_store_event_add(db, room, "question", qid, now_unix(), &ev) != E_OK)
				return -1;
			for (k = 0; k < 30 - q * 6 && k < v->n; k++)
				if (live_store_upvote(db, qid, v->id[(k + q) % v->n], &added) != E_OK)
					return -1;
			if (q == 4 && live_store_q_answered(db, qid, 1) != E_OK)
				return -1;
		}
		if (r == 0) {
			if (demo_wall(app, db, a, room) < 0)
				return error("cannot make the demo's wall");
			if (demo_poll(db, room, "single", "Which principle does your partnership find hardest?",
				      "It's personal\nEnabling and facilitative\nRelationships and trust\n"
				      "Shared purpose\nShared results", "closed", v, 90, &pid) < 0 ||
			    live_store_poll_revealed(db, pid, 1) != E_OK ||
			    demo_poll(db, room, "words", "One word for collaborative leadership",
				      "", "open", v, 100, &pid) < 0 ||
			    live_store_poll_revealed(db, pid, 1) != E_OK ||
			    live_store_room_current(db, room, pid) != E_OK ||
			    live_store_poll_add(db, room, "scale",
						"How ready is your partnership to share results with others?",
						"", now_unix(), &pid) != E_OK)
				return -1;
		} else if (r == 1) {
			if (demo_poll(db, room, "text", "What will you do differently on Monday morning?",
				      "", "closed", v, 36, &pid) < 0 ||
			    live_store_poll_revealed(db, pid, 1) != E_OK ||
			    demo_poll(db, room, "scale", "How confident are you about the year ahead?",
				      "", "open", v, 70, &pid) < 0 ||
			    live_store_room_current(db, room, pid) != E_OK)
				return -1;
		} else {
			if (demo_poll(db, room, "multi", "Which partners do you work with most?",
				      "Health\nEducation\nLocal councils\nCharities", "open", v, 40, &pid) < 0 ||
			    live_store_room_current(db, room, pid) != E_OK ||
			    live_store_poll_add(db, room, "text", "What will you try first back home?",
						"", now_unix(), &pid) != E_OK)
				return -1;
		}
	}
	return 0;
}
