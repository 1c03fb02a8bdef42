/* t_live.c - the live room against a real database: rooms and join
 * codes, asking (with approval and anonymity), upvotes counted once,
 * moderation, polls of every kind through their states, one ballot per
 * person replaced on a change, tallies shown only when they may be, and
 * the replay behind Last-Event-ID never bringing back a hidden question
 * or an anonymous asker.  Runs on SQLite and, when COLEAD_TEST_PG names a
 * server, again on a fresh PostgreSQL database, where it also checks what
 * instances tell each other (live_share.c): references only, sent on
 * COMMIT, rendered by the receiver for each audience, its own ignored. */
#include "../../src/core/arena.h"
#include "../../src/core/cfg.h"
#include "../../src/core/log.h"
#include "../../src/core/str.h"
#include "../../src/db/db.h"
#include "../../src/feat/agenda/agenda.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/live/live.h"
#include "../../src/feat/live/live_hub.h"
#include "../../src/feat/live/live_share.h"
#include "../../src/feat/live/live_store.h"
#include "../../src/feat/people/people.h"
#include "../../src/feat/survey/survey.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>

#define FIXTURE_PER_TEST	/* every test gets a fresh fixture (T below) */
#define FIXTURE_MORE	\
	struct person	 org, fac, ann, bob, spk, nobody; \
	int64_t		 room;
#include "fixture.h"

/* A person with one role (none when role is 0). */
static void
add_person(struct fixture *f, struct person *p, const char *who, unsigned role)
{
	static int	 n;
	const char	*why = "";
	char		*email = arena_printf(f->a, "live.%d.%d@example.org", (int)getpid(), ++n);

	memset(p, 0, sizeof(*p));
	assert_int_equal(people_add(&f->app, f->db, who, email, NULL, role, NULL, &p->id, &why), E_OK);
	p->name = who;
	p->roles = role;
}

/* Everyone the tests act as, and a room. */
static int
fill(struct fixture *f)
{
	const char *why = "";

	add_person(f, &f->org, "Olu Organiser", ROLE_ORGANISER);
	add_person(f, &f->fac, "Fay Facilitator", ROLE_FACILITATOR);
	add_person(f, &f->ann, "Ann Participant", ROLE_PARTICIPANT);
	add_person(f, &f->bob, "Bob Participant", ROLE_PARTICIPANT);
	add_person(f, &f->spk, "Sam Speaker", ROLE_SPEAKER);
	add_person(f, &f->nobody, "Nia Norole", 0);
	return live_room_add(&f->app, f->db, "Opening keynote", 0, &f->room, &why) == E_OK ? 0 : -1;
}

static void
rooms_have_codes_and_titles_are_checked(void **state)
{
	struct fixture		*f = *state;
	struct live_room	 r, byc, *list;
	const char		*why = NULL;
	char			 lower[16];
	size_t			 n, i;
	int64_t			 id;

	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	assert_string_equal(r.title, "Opening keynote");
	assert_int_equal(strlen(r.code), 5);
	for (i = 0; r.code[i]; i++)
		lower[i] = (char)tolower((unsigned char)r.code[i]);
	lower[i] = '\0';
	assert_int_equal(live_room_by_code(&f->app, f->db, f->a, lower, &byc), E_OK);
	assert_int_equal(byc.id, f->room);
	assert_int_equal(live_room_by_code(&f->app, f->db, f->a, "NOPE1", &byc), E_NOTFOUND);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room + 999, &r), E_NOTFOUND);
	assert_int_equal(live_room_add(&f->app, f->db, "   ", 0, &id, &why), E_INVALID);
	assert_non_null(why);
	assert_int_equal(live_room_add(&f->app, f->db, arena_printf(f->a, "%0201d", 7), 0, &id, &why),
			 E_INVALID);
	assert_int_equal(live_rooms(&f->app, f->db, f->a, &list, &n), E_OK);
	assert_true(n >= 1);
}

static void
ask_checks_text_and_membership(void **state)
{
	struct fixture	*f = *state;
	const char	*why = NULL;
	int64_t		 id;

	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "  ", 0, &id, &why), E_INVALID);
	assert_string_equal(why, "write a question first");
	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room,
				  arena_printf(f->a, "%0501d", 1), 0, &id, &why), E_INVALID);
	assert_int_equal(live_ask(&f->app, f->db, &f->nobody, f->room, "hello?", 0, &id, &why),
			 E_FORBIDDEN);
	assert_int_equal(live_ask(&f->app, f->db, NULL, f->room, "hello?", 0, &id, &why), E_FORBIDDEN);
	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room + 999, "hello?", 0, &id, &why),
			 E_NOTFOUND);
}

/* Find question id in a list; NULL if absent. */
static const struct live_question *
find(const struct live_question *q, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (q[i].id == id)
			return &q[i];
	return NULL;
}

static void
anonymous_asker_is_hidden_from_participants_only(void **state)
{
	struct fixture			*f = *state;
	const struct live_question	*q;
	struct live_question		*list;
	const char			*why;
	size_t				 n;
	int64_t				 id;

	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, " Why anonymous? ", 1, &id, &why), E_OK);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->bob, f->room, 0, 0, &list, &n), E_OK);
	q = find(list, n, id);
	assert_non_null(q);
	assert_string_equal(q->body, "Why anonymous?");
	assert_null(q->asker);
	assert_false(q->mine);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->ann, f->room, 0, 0, &list, &n), E_OK);
	q = find(list, n, id);
	assert_true(q->mine);
	assert_null(q->asker);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->fac, f->room, 0, 0, &list, &n), E_OK);
	q = find(list, n, id);
	assert_string_equal(q->asker, "Ann Participant");
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->spk, f->room, 0, 0, &list, &n), E_OK);
	assert_null(find(list, n, id)->asker);
}

static void
upvote_counts_once_and_only_on_visible_questions(void **state)
{
	struct fixture		*f = *state;
	struct live_question	*list;
	const char		*why;
	size_t			 n;
	int64_t			 id;
	int			 i;

	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "Vote for me", 0, &id, &why), E_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(live_upvote(&f->app, f->db, &f->bob, f->room, id), E_OK);
	assert_int_equal(live_upvote(&f->app, f->db, &f->ann, f->room, id), E_OK);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->bob, f->room, 0, 0, &list, &n), E_OK);
	assert_int_equal(find(list, n, id)->votes, 2);
	assert_true(find(list, n, id)->voted);
	assert_int_equal(live_upvote(&f->app, f->db, &f->nobody, f->room, id), E_FORBIDDEN);
	assert_int_equal(live_upvote(&f->app, f->db, &f->bob, f->room, id + 999), E_NOTFOUND);
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, id, "hide"), E_OK);
	assert_int_equal(live_upvote(&f->app, f->db, &f->bob, f->room, id), E_NOTFOUND);
}

static void
approval_queue_holds_questions_until_approved(void **state)
{
	struct fixture		*f = *state;
	struct live_question	*list;
	const char		*why;
	size_t			 n;
	int64_t			 id, mine;

	assert_int_equal(live_set_approval(&f->app, f->db, &f->ann, f->room, 1), E_FORBIDDEN);
	assert_int_equal(live_set_approval(&f->app, f->db, &f->fac, f->room, 1), E_OK);
	assert_int_equal(live_ask(&f->app, f->db, &f->bob, f->room, "Held back?", 0, &id, &why), E_OK);
	assert_int_equal(live_ask(&f->app, f->db, &f->org, f->room, "Organiser asks", 0, &mine, &why), E_OK);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->ann, f->room, 0, 0, &list, &n), E_OK);
	assert_null(find(list, n, id));
	assert_non_null(find(list, n, mine));	/* moderators skip the queue */
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->ann, f->room, 0, 1, &list, &n),
			 E_FORBIDDEN);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->fac, f->room, 0, 1, &list, &n), E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id);
	assert_int_equal(live_upvote(&f->app, f->db, &f->ann, f->room, id), E_NOTFOUND);
	assert_int_equal(live_moderate(&f->app, f->db, &f->ann, f->room, id, "approve"), E_FORBIDDEN);
	assert_int_equal(live_moderate(&f->app, f->db, &f->fac, f->room, id, "approve"), E_OK);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->ann, f->room, 0, 0, &list, &n), E_OK);
	assert_non_null(find(list, n, id));
}

static void
moderation_pins_answers_and_hides_for_good(void **state)
{
	struct fixture		*f = *state;
	struct live_question	*list;
	const char		*why;
	size_t			 n;
	int64_t			 a, b;

	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "First", 0, &a, &why), E_OK);
	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "Second", 0, &b, &why), E_OK);
	assert_int_equal(live_upvote(&f->app, f->db, &f->bob, f->room, a), E_OK);
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, b, "pin"), E_OK);
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, a, "answer"), E_OK);
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, a, "explode"), E_INVALID);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->bob, f->room, 0, 0, &list, &n), E_OK);
	assert_int_equal(list[0].id, b);	/* pinned first despite fewer votes */
	assert_true(list[0].pinned);
	assert_true(find(list, n, a)->answered);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->bob, f->room, 1, 0, &list, &n), E_OK);
	assert_int_equal(list[0].id, b);
	assert_int_equal(list[1].id, a);	/* newest first after the pinned */
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, a, "hide"), E_OK);
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, a, "approve"), E_NOTFOUND);
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->bob, f->room, 0, 0, &list, &n), E_OK);
	assert_null(find(list, n, a));
	assert_int_equal(live_questions(&f->app, f->db, f->a, &f->org, f->room, 0, 0, &list, &n), E_OK);
	assert_null(find(list, n, a));	/* gone from every screen */
}

static void
poll_add_checks_kind_question_and_choices(void **state)
{
	struct fixture	*f = *state;
	const char	*why = NULL;
	int64_t		 id;

	assert_int_equal(live_poll_add(&f->app, f->db, &f->ann, f->room, "single", "Q", "a\nb", &id, &why),
			 E_FORBIDDEN);
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "pie", "Q", "", &id, &why), E_INVALID);
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "single", " ", "a\nb", &id, &why),
			 E_INVALID);
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "single", "Q", "only one", &id, &why),
			 E_INVALID);
	assert_string_equal(why, "give between 2 and 12 choices, one per line");
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "multi", "Q",
				       "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13", &id, &why), E_INVALID);
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "single", "Q",
				       arena_printf(f->a, "ok\n%0101d", 3), &id, &why), E_INVALID);
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "single", "Q",
				       "\r\n Yes \r\n\r\nNo\n", &id, &why), E_OK);
	{
		struct live_poll p;

		assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, id, &p), E_OK);
		assert_int_equal(p.noptions, 2);
		assert_string_equal(p.options[0], "Yes");
		assert_string_equal(p.options[1], "No");
		assert_string_equal(p.state, "draft");
	}
}

static void
poll_states_move_forward_only(void **state)
{
	struct fixture		*f = *state;
	struct live_room	 r;
	const char		*why;
	int64_t			 id;

	assert_int_equal(live_poll_add(&f->app, f->db, &f->fac, f->room, "scale", "How ready?", "", &id, &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, id, 0, 3, NULL, &why), E_CLOSED);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->ann, f->room, id, "open"), E_FORBIDDEN);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->fac, f->room, id, "close"), E_CONFLICT);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->fac, f->room, id, "open"), E_OK);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	assert_int_equal(r.current_poll_id, id);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, id, 0, 3, NULL, &why), E_OK);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->fac, f->room, id, "close"), E_OK);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->fac, f->room, id, "open"), E_CONFLICT);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->fac, f->room, id, "dance"), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, id, 0, 4, NULL, &why), E_CLOSED);
}

/* An open poll of kind with options, by the organiser. */
static int64_t
open_poll(struct fixture *f, const char *kind, const char *options)
{
	const char	*why;
	int64_t		 id;

	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, kind, "Question?", options, &id, &why), E_OK);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->org, f->room, id, "open"), E_OK);
	return id;
}

static void
changing_a_vote_replaces_it_and_counts_once(void **state)
{
	struct fixture		*f = *state;
	struct live_poll	 p;
	struct live_tally	 t;
	const char		*why;
	int64_t			 id = open_poll(f, "single", "Red\nGreen\nBlue");

	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, id, 1 << 0, 0, NULL, &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, id, 1 << 2, 0, NULL, &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, id, 1 << 2, 0, NULL, &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, id, 3, 0, NULL, &why), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, id, 1 << 3, 0, NULL, &why), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, id, 0, 0, NULL, &why), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->nobody, f->room, id, 1, 0, NULL, &why), E_FORBIDDEN);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, id, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &p, &t), E_OK);
	assert_true(t.visible);
	assert_int_equal(t.total, 2);
	assert_int_equal(t.counts[0], 0);
	assert_int_equal(t.counts[2], 2);
	/* a participant sees only the number until the results are revealed */
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->ann, &p, &t), E_OK);
	assert_false(t.visible);
	assert_int_equal(t.total, 2);
	assert_int_equal(t.counts[2], 0);
	assert_true(t.voted);
	assert_int_equal(t.my_choices, 1 << 2);
	assert_int_equal(live_poll_action(&f->app, f->db, &f->org, f->room, id, "reveal"), E_OK);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, id, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->ann, &p, &t), E_OK);
	assert_true(t.visible);
	assert_int_equal(t.counts[2], 2);
}

/* Completions of votes submitted to the writer. */
struct landed {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 n, ok, closed;
};

static void
landed(void *arg, enum app_err rc)
{
	struct landed *l = arg;

	pthread_mutex_lock(&l->lock);
	l->n++;
	l->ok += rc == E_OK;
	l->closed += rc == E_CLOSED;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

/* Votes through the writer thread (as the server casts them): each
 * completes once, after its COMMIT; a second vote by the same person in
 * the same batch replaces the first; rows written LIVE_VOTES_ROWS at a
 * time land only while the poll is open. */
static void
votes_through_the_writer_land_once_each(void **state)
{
	enum { N = LIVE_VOTES_ROWS + 8 };
	struct fixture		*f = *state;
	struct person		 p[N];
	struct live_vote_row	 rows[LIVE_VOTES_ROWS];
	struct live_poll	 poll;
	struct live_tally	 t;
	struct landed		 l = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	const char		*why;
	int64_t			 id, other;
	int			 i;

	for (i = 0; i < N; i++)
		add_person(f, &p[i], "Voter", ROLE_PARTICIPANT);
	id = open_poll(f, "single", "Yes\nNo");
	f->app.dbs = db_pool_new(backend_url);
	for (i = 0; i < N; i++)
		assert_int_equal(live_vote_submit(&f->app, f->db, &p[i], f->room, id, 1 << (i % 2), 0,
						  NULL, &why, landed, &l), E_OK);
	assert_int_equal(live_vote_submit(&f->app, f->db, &p[0], f->room, id, 1 << 1, 0, NULL, &why,
					  landed, &l), E_OK);
	assert_int_equal(live_vote_submit(&f->app, f->db, &p[0], f->room, id, 1 << 5, 0, NULL, &why,
					  landed, &l), E_INVALID);
	pthread_mutex_lock(&l.lock);
	while (l.n < N + 1)
		pthread_cond_wait(&l.cond, &l.lock);
	pthread_mutex_unlock(&l.lock);
	assert_int_equal(l.ok, N + 1);
	live_votes_stop();
	db_pool_free(f->app.dbs);
	f->app.dbs = NULL;
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, id, &poll), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &poll, &t), E_OK);
	assert_int_equal(t.total, N);
	assert_int_equal(t.counts[0], N / 2 - 1);
	assert_int_equal(t.counts[1], N / 2 + 1);

	/* many rows in one statement: all while open, none once closed */
	other = open_poll(f, "single", "Yes\nNo");
	for (i = 0; i < LIVE_VOTES_ROWS; i++)
		rows[i] = (struct live_vote_row){ .poll_id = other, .person_id = p[i].id,
			.choices = 1, .now = 1, .text = "", .word_key = "" };
	assert_int_equal(live_store_votes(f->db, rows), E_OK);
	rows[0].choices = 2;
	assert_int_equal(live_store_votes(f->db, rows), E_OK);	/* replaced, not added */
	assert_int_equal(live_poll_action(&f->app, f->db, &f->org, f->room, other, "close"), E_OK);
	rows[0].choices = 1;
	assert_int_equal(live_store_votes(f->db, rows), E_CLOSED);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, other, &poll), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &poll, &t), E_OK);
	assert_int_equal(t.total, LIVE_VOTES_ROWS);
	assert_int_equal(t.counts[0], LIVE_VOTES_ROWS - 1);
	assert_int_equal(t.counts[1], 1);
	/* and a vote cast now is refused at once */
	assert_int_equal(live_vote(&f->app, f->db, &p[0], f->room, other, 1, 0, NULL, &why), E_CLOSED);
}

static void
multi_and_scale_tallies(void **state)
{
	struct fixture		*f = *state;
	struct live_poll	 p;
	struct live_tally	 t;
	const char		*why;
	int64_t			 multi = open_poll(f, "multi", "A\nB\nC"), scale = open_poll(f, "scale", "");

	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, multi, 3, 0, NULL, &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, multi, 6, 0, NULL, &why), E_OK);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, multi, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->fac, &p, &t), E_OK);
	assert_int_equal(t.counts[0], 1);
	assert_int_equal(t.counts[1], 2);
	assert_int_equal(t.counts[2], 1);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, scale, 0, 6, NULL, &why), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, scale, 0, 0, NULL, &why), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, scale, 0, 2, NULL, &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, scale, 0, 5, NULL, &why), E_OK);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, scale, &p), E_OK);
	assert_int_equal(p.noptions, 5);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->fac, &p, &t), E_OK);
	assert_int_equal(t.counts[1], 1);
	assert_int_equal(t.counts[4], 1);
	assert_true(t.average > 3.49 && t.average < 3.51);
}

static void
word_cloud_merges_case_and_spaces(void **state)
{
	struct fixture		*f = *state;
	struct live_poll	 p;
	struct live_tally	 t;
	const char		*why;
	char			 key[64];
	int64_t			 words = open_poll(f, "words", ""), text = open_poll(f, "text", "");

	live_word_key("  Shared \t  PURPOSE ", key, sizeof(key));
	assert_string_equal(key, "shared purpose");
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, words, 0, 0, "Shared  Purpose", &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->bob, f->room, words, 0, 0, " shared purpose", &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->fac, f->room, words, 0, 0, "Trust", &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->org, f->room, words, 0, 0, "   ", &why), E_INVALID);
	assert_int_equal(live_vote(&f->app, f->db, &f->org, f->room, words, 0, 0,
				   "a sentence that is much too long for a word cloud", &why), E_INVALID);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, words, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &p, &t), E_OK);
	assert_int_equal(t.nwords, 2);
	assert_string_equal(t.words[0].word, "shared purpose");
	assert_int_equal(t.words[0].n, 2);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, text, 0, 0, "Meet more often.", &why), E_OK);
	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, text, 0, 0, "Meet every month.", &why), E_OK);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, text, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &p, &t), E_OK);
	assert_int_equal(t.total, 1);
	assert_string_equal(t.words[0].word, "Meet every month.");
	assert_null(live_results_svg(f->a, &p, &t));	/* text: a list, no chart */
}

static void
results_svg_escapes_text(void **state)
{
	struct fixture		*f = *state;
	struct live_poll	 p;
	struct live_tally	 t;
	const char		*why;
	int64_t			 id;
	char			*svg;

	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "single", "<b>&</b>",
				       "<script>x</script>\n\"quoted\"", &id, &why), E_OK);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, id, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &p, &t), E_OK);
	svg = live_results_svg(f->a, &p, &t);
	assert_non_null(svg);
	assert_null(strstr(svg, "<script>"));
	assert_null(strstr(svg, "<b>"));
	assert_non_null(strstr(svg, "&lt;script&gt;"));
	assert_non_null(strstr(svg, ": 0 answers</title>"));
	svg = live_qr_svg(f->a, "http://example.org/join/ABCDE");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<path"));
}

/* A choice's label goes above its bar: wrapped at a space onto a second
 * line, cut with an ellipsis after that, never inside a character; the
 * whole choice is in the <title>. */
static void
long_bar_labels_wrap_then_are_cut_with_the_whole_text_in_a_title(void **state)
{
	static const char wrapped[] =
		"Partners agree the outcomes first and share the data on them every quarter in public with the town";
	struct fixture		*f = *state;
	struct live_poll	 p;
	struct live_tally	 t;
	const char		*why;
	char			 opts[512], cut[256], want[512], *svg;
	int64_t			 id;
	size_t			 n = 0;
	int			 i;

	/* ten a's, a space, then 55 characters without one: 45 b's, 10 e-acutes */
	n += (size_t)snprintf(cut, sizeof(cut), "aaaaaaaaaa ");
	for (i = 0; i < 45; i++)
		cut[n++] = 'b';
	for (i = 0; i < 10; i++, n += 2)
		memcpy(cut + n, "\xC3\xA9", 2);
	cut[n] = '\0';
	snprintf(opts, sizeof(opts), "Enabling and facilitative leadership\n%s\n%s", wrapped, cut);
	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "single", "Which?", opts,
				       &id, &why), E_OK);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, id, &p), E_OK);
	assert_int_equal(live_tally(&f->app, f->db, f->a, &f->org, &p, &t), E_OK);
	t.total = 1;
	svg = live_results_svg(f->a, &p, &t);
	assert_non_null(svg);
	/* 36 characters: one line, whole */
	assert_non_null(strstr(svg, "<title>Enabling and facilitative leadership</title>"
				    "Enabling and facilitative leadership</text>"));
	/* 98: broken at the last space within 50; the rest fits the second line */
	snprintf(want, sizeof(want), "<title>%s</title>Partners agree the outcomes first and share the</text>", wrapped);
	assert_non_null(strstr(svg, want));
	assert_non_null(strstr(svg, "class=\"live-label\">data on them every quarter in public with the town</text>"));
	/* the second line holds 49 of the 55 and the ellipsis, cut between characters */
	assert_non_null(strstr(svg, "</title>aaaaaaaaaa</text>"));
	memcpy(want, cut + 11, 45 + 2 * 4);
	snprintf(want + 45 + 2 * 4, sizeof(want) - 45 - 2 * 4, "\xE2\x80\xA6</text>");
	assert_non_null(strstr(svg, want));
	assert_non_null(strstr(svg, "Which?: 1 answer</title>"));
}

static void
replay_renders_current_state_for_the_audience(void **state)
{
	struct fixture		*f = *state;
	struct live_room	 r;
	struct buf		 out;
	const char		*why;
	int64_t			 since, hidden, anon, last = -1;

	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	since = r.last_event_id;
	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "Soon hidden", 0, &hidden, &why), E_OK);
	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "Who asked me?", 1, &anon, &why), E_OK);
	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, hidden, "hide"), E_OK);
	buf_init(&out, 0);
	assert_int_equal(live_replay(&f->app, f->db, f->a, &f->bob, f->room, 0, since, &out, &last), E_OK);
	assert_true(last > since);
	assert_null(strstr(out.data, "Soon hidden"));
	assert_non_null(strstr(out.data, "event: remove"));
	assert_non_null(strstr(out.data, "Who asked me?"));
	assert_null(strstr(out.data, "Ann Participant"));
	buf_reset(&out);
	assert_int_equal(live_replay(&f->app, f->db, f->a, &f->bob, f->room, 1, since, &out, &last), E_FORBIDDEN);
	assert_int_equal(live_replay(&f->app, f->db, f->a, &f->org, f->room, 1, since, &out, &last), E_OK);
	assert_null(strstr(out.data, "Soon hidden"));
	assert_non_null(strstr(out.data, "Ann Participant"));
	buf_reset(&out);
	assert_int_equal(live_replay(&f->app, f->db, f->a, &f->bob, f->room, 0, last, &out, &last), E_OK);
	assert_int_equal(out.len, 0);	/* nothing after the newest */
	buf_release(&out);
}

static void
snapshot_hides_unrevealed_counts_from_the_room(void **state)
{
	struct fixture	*f = *state;
	struct buf	 out;
	const char	*why;
	int64_t		 id = open_poll(f, "single", "Yes\nNo");

	assert_int_equal(live_vote(&f->app, f->db, &f->ann, f->room, id, 2, 0, NULL, &why), E_OK);
	buf_init(&out, 0);
	assert_int_equal(live_snapshot(&f->app, f->db, f->a, &f->org, f->room, 0, &out), E_OK);
	assert_non_null(strstr(out.data, "\"hidden\":1"));
	assert_non_null(strstr(out.data, "\"total\":1"));
	buf_reset(&out);
	assert_int_equal(live_snapshot(&f->app, f->db, f->a, &f->org, f->room, 1, &out), E_OK);
	assert_non_null(strstr(out.data, "\"counts\":[0,1]"));
	assert_int_equal(live_snapshot(&f->app, f->db, f->a, &f->ann, f->room, 1, &out), E_FORBIDDEN);
	buf_release(&out);
}

static void
next_closes_current_and_opens_the_following_poll(void **state)
{
	struct fixture		*f = *state;
	struct live_room	 r;
	struct live_poll	 p;
	const char		*why;
	int64_t			 first = open_poll(f, "single", "a\nb"), second;

	assert_int_equal(live_poll_add(&f->app, f->db, &f->org, f->room, "scale", "Next?", "", &second, &why), E_OK);
	assert_int_equal(live_poll_next(&f->app, f->db, &f->ann, f->room), E_FORBIDDEN);
	assert_int_equal(live_poll_next(&f->app, f->db, &f->org, f->room), E_OK);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	assert_int_equal(r.current_poll_id, second);
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, first, &p), E_OK);
	assert_string_equal(p.state, "closed");
	assert_int_equal(live_poll_get(&f->app, f->db, f->a, f->room, second, &p), E_OK);
	assert_string_equal(p.state, "open");
	assert_int_equal(live_poll_next(&f->app, f->db, &f->org, f->room), E_NOTFOUND);
}

/* person answers the pre-convention questions (open until 2199). */
static void
answer(struct fixture *f, const struct person *p, const char *q1, const char *q2)
{
	struct question_set	 s;
	struct survey_input	 in;
	const char		*v1[1] = { q1 }, *v2[1] = { q2 }, **vals[2] = { v1, v2 };
	const char		*why[2] = { NULL, NULL }, *w = NULL;
	size_t			 nv[2] = { 1, 1 };
	int64_t			 closes;

	assert_int_equal(survey_date("2199-01-01", &closes), 0);
	assert_int_equal(survey_set_edit(&f->app, f->db, "pre", "Before the convention", "", 0,
					 closes, &w), E_OK);
	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", p->id, &s), E_OK);
	assert_true(s.nq >= 2);
	in.values = vals;
	in.nvalues = nv;
	assert_int_equal(survey_answer(&f->app, f->db, f->a, &s, p->id, &in, why), E_OK);
}

/* The id of the first pre-convention question (the long one). */
static int64_t
first_question(struct fixture *f)
{
	struct question_set s;

	assert_int_equal(survey_load(&f->app, f->db, f->a, "pre", 0, &s), E_OK);
	return s.q[0].id;
}

/* The card of the wall list with this answer text; NULL if absent. */
static const struct live_wall_card *
card(const struct live_wall_card *c, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].answer, text) == 0)
			return &c[i];
	return NULL;
}

static void
wall_feeds_only_free_text_pre_questions_and_only_for_moderators(void **state)
{
	struct fixture		*f = *state;
	struct live_wall_feed	*feeds;
	struct live_room	 r;
	size_t			 n;
	int64_t			 q1 = first_question(f), bad = 999999;

	assert_int_equal(live_wall_feeds(&f->app, f->db, f->a, &f->ann, f->room, &feeds, &n), E_FORBIDDEN);
	assert_int_equal(live_wall_feeds(&f->app, f->db, f->a, &f->fac, f->room, &feeds, &n), E_OK);
	assert_int_equal(n, 2);
	assert_false(feeds[0].fed);
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->ann, f->room, &q1, 1), E_FORBIDDEN);
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->fac, f->room, &bad, 1), E_INVALID);
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->fac, f->room + 999, &q1, 1), E_NOTFOUND);
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->fac, f->room, &q1, 1), E_OK);
	assert_int_equal(live_wall_feeds(&f->app, f->db, f->a, &f->org, f->room, &feeds, &n), E_OK);
	assert_true(feeds[0].fed);
	assert_false(feeds[1].fed);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	assert_int_equal(r.wall_feeds, 1);
	assert_int_equal(live_set_screen(&f->app, f->db, &f->ann, f->room, "wall"), E_FORBIDDEN);
	assert_int_equal(live_set_screen(&f->app, f->db, &f->fac, f->room, "disco"), E_INVALID);
	assert_int_equal(live_set_screen(&f->app, f->db, &f->fac, f->room, "wall"), E_OK);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	assert_true(r.wall_screen);
}

static void
wall_shows_only_approved_answers_one_decision_per_room(void **state)
{
	struct fixture			*f = *state;
	const struct live_wall_card	*ca, *cb;
	struct live_wall_card		*c;
	const char			*why;
	size_t				 n;
	int64_t				 total, q1 = first_question(f), other, id, v;

	answer(f, &f->ann, "Ann's pooled budget story", "Sharing power");
	answer(f, &f->bob, "Bob's fortnightly meetings", "Trust");
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->org, f->room, &q1, 1), E_OK);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->ann, f->room, "pending", 50, &c, &n, &total), E_FORBIDDEN);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->ann, f->room, "rejected", 50, &c, &n, &total), E_FORBIDDEN);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->fac, f->room, "gone", 50, &c, &n, &total), E_INVALID);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->ann, f->room, "approved", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 0);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->fac, f->room, "pending", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	ca = card(c, n, "Ann's pooled budget story");
	cb = card(c, n, "Bob's fortnightly meetings");
	assert_non_null(ca);
	assert_non_null(cb);
	assert_null(card(c, n, "Sharing power"));	/* the other question does not feed it */
	assert_null(ca->partnership);
	assert_string_equal(ca->state, "pending");
	id = ca->id;
	v = ca->version;

	assert_int_equal(live_wall_decide(&f->app, f->db, &f->ann, f->room, &id, &v, 1, "approve", NULL), E_FORBIDDEN);
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->fac, f->room, &id, &v, 1, "dance", NULL), E_INVALID);
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->fac, f->room + 999, &id, &v, 1, "approve", NULL), E_NOTFOUND);
	{
		int64_t ids[2] = { cb->id, 987654 }, vs[2] = { 0, 0 };

		assert_int_equal(live_wall_decide(&f->app, f->db, &f->fac, f->room, ids, vs, 2, "approve", NULL),
				 E_NOTFOUND);	/* one bad id: nothing changes */
	}
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->fac, f->room, &id, &v, 1, "approve", NULL), E_OK);
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->fac, f->room, &id, &v, 1, "approve", NULL), E_OK);
	{
		int64_t bid = cb->id, bv = cb->version;

		assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, &bid, &bv, 1, "reject", NULL), E_OK);
	}
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->ann, f->room, "approved", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_string_equal(c[0].answer, "Ann's pooled budget story");
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->org, f->room, "rejected", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].answer, "Bob's fortnightly meetings");
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->org, f->room, "pending", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 0);

	/* another room keeps its own decisions on the same answers */
	assert_int_equal(live_room_add(&f->app, f->db, "Closing plenary", 0, &other, &why), E_OK);
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->org, other, &q1, 1), E_OK);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->org, other, "pending", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->bob, other, "approved", 50, &c, &n, &total), E_OK);
	assert_int_equal(n, 0);
}

static void
edited_answer_goes_back_to_the_queue_and_stale_versions_are_refused(void **state)
{
	struct fixture		*f = *state;
	struct live_wall_card	*c;
	size_t			 n;
	int64_t			 total, q1 = first_question(f), id, v;

	answer(f, &f->ann, "First version of my story", "Listening");
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->org, f->room, &q1, 1), E_OK);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->org, f->room, "pending", 50, &c, &n, &total), E_OK);
	assert_non_null(card(c, n, "First version of my story"));
	id = card(c, n, "First version of my story")->id;
	v = card(c, n, "First version of my story")->version;
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, &id, &v, 1, "approve", NULL), E_OK);

	/* the author edits it: off the wall, waiting again, with the new text */
	answer(f, &f->ann, "Second version, with a name in it", "Listening");
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->bob, f->room, "approved", 50, &c, &n, &total), E_OK);
	assert_null(card(c, n, "Second version, with a name in it"));
	assert_null(card(c, n, "First version of my story"));
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->org, f->room, "pending", 50, &c, &n, &total), E_OK);
	assert_non_null(card(c, n, "Second version, with a name in it"));
	assert_int_equal(card(c, n, "Second version, with a name in it")->id, id);

	/* a decision on the version seen before the edit does not approve the new text */
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, &id, &v, 1, "approve", NULL), E_CONFLICT);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->bob, f->room, "approved", 50, &c, &n, &total), E_OK);
	assert_null(card(c, n, "Second version, with a name in it"));

	/* emptying the answer takes it off the wall for good */
	v = 0;
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, &id, &v, 1, "approve", NULL), E_OK);
	assert_int_equal(survey_forget(&f->app, f->db, f->ann.id), E_OK);
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, &id, &v, 1, "approve", NULL), E_NOTFOUND);
}

static void
wall_replay_never_carries_an_unapproved_answer_or_a_person(void **state)
{
	struct fixture		*f = *state;
	struct live_wall_card	*c;
	struct live_room	 r;
	struct buf		 out;
	size_t			 n;
	int64_t			 total, q1 = first_question(f), id, v, since, last;

	answer(f, &f->ann, "Approved then rejected", "x1");
	answer(f, &f->bob, "Approved and kept", "x2");
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &r), E_OK);
	since = r.last_event_id;
	assert_int_equal(live_wall_set_feeds(&f->app, f->db, &f->org, f->room, &q1, 1), E_OK);
	assert_int_equal(live_wall_list(&f->app, f->db, f->a, &f->org, f->room, "pending", 50, &c, &n, &total), E_OK);
	{
		int64_t ids[2] = { card(c, n, "Approved then rejected")->id, card(c, n, "Approved and kept")->id };
		int64_t vs[2] = { 0, 0 };
		size_t	decided = 0;

		assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, ids, vs, 2, "approve",
						  &decided), E_OK);
		assert_int_equal(decided, 2);
		id = ids[0];
	}
	v = 0;
	assert_int_equal(live_wall_decide(&f->app, f->db, &f->org, f->room, &id, &v, 1, "reject", NULL), E_OK);
	buf_init(&out, 0);
	assert_int_equal(live_replay(&f->app, f->db, f->a, &f->bob, f->room, 0, since, &out, &last), E_OK);
	assert_non_null(strstr(out.data, "event: screen"));
	assert_non_null(strstr(out.data, "Approved and kept"));
	assert_null(strstr(out.data, "Approved then rejected"));
	assert_non_null(strstr(out.data, arena_printf(f->a, "event: unwall\ndata: {\"id\":%" PRId64 "}", id)));
	assert_null(strstr(out.data, "Ann Participant"));
	assert_null(strstr(out.data, "Bob Participant"));
	buf_reset(&out);
	assert_int_equal(live_replay(&f->app, f->db, f->a, &f->org, f->room, 1, since, &out, &last), E_OK);
	assert_non_null(strstr(out.data, "\"state\":\"rejected\""));
	assert_null(strstr(out.data, "Ann Participant"));
	buf_release(&out);
}

/* A session on day (id) from start to end, with speaker (0: none). */
static int64_t
agenda_session(struct fixture *f, int64_t day, const char *title, const char *start,
	       const char *end, int64_t speaker)
{
	struct agenda_session_input	 in;
	struct agenda_errors		 e;
	struct agenda_warnings		 w;
	int64_t				 id = 0;

	memset(&in, 0, sizeof(in));
	in.title = title;
	in.description = "";
	in.kind = "keynote";
	in.day_id = arena_printf(f->a, "%" PRId64, day);
	in.room_id = "";
	in.track_id = "";
	in.start = start;
	in.end = end;
	in.capacity = "";
	in.speaker_ids = speaker ? &speaker : NULL;
	in.nspeakers = speaker ? 1 : 0;
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_OK);
	return id;
}

static void
speakers_present_only_the_rooms_of_their_sessions(void **state)
{
	struct fixture		*f = *state;
	struct agenda_errors	 e;
	struct live_room	 mine, other, none, found;
	struct person		 pia;
	const char		*why = "";
	char			*email = arena_printf(f->a, "pia.%d@example.org", (int)getpid());
	int64_t			 day, spk, hers, theirs, id;

	memset(&pia, 0, sizeof(pia));
	assert_int_equal(people_add(&f->app, f->db, "Pia Presenter", email, NULL, ROLE_SPEAKER,
				    NULL, &pia.id, &why), E_OK);
	pia.roles = ROLE_SPEAKER;
	assert_int_equal(agenda_day_save(&f->app, f->db, 0, "2027-05-03", "Live day", &e, &day), E_OK);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "Pia Presenter", "", "", email,
					     NULL, 0, NULL, 0, &e, &spk), E_OK);
	hers = agenda_session(f, day, "Her talk", "09:00", "10:00", spk);
	theirs = agenda_session(f, day, "Someone else's talk", "11:00", "12:00", 0);
	assert_int_equal(live_room_add(&f->app, f->db, "Her room", hers, &id, &why), E_OK);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, id, &mine), E_OK);
	assert_int_equal(mine.session_id, hers);
	assert_int_equal(live_room_add(&f->app, f->db, "Their room", theirs, &id, &why), E_OK);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, id, &other), E_OK);
	assert_int_equal(live_room_get(&f->app, f->db, f->a, f->room, &none), E_OK);

	assert_true(live_may_present(&f->app, f->db, &pia, &mine));
	assert_false(live_may_present(&f->app, f->db, &pia, &other));
	assert_false(live_may_present(&f->app, f->db, &pia, &none));
	/* A speaker of nothing here; a participant; nobody signed in. */
	assert_false(live_may_present(&f->app, f->db, &f->spk, &mine));
	assert_false(live_may_present(&f->app, f->db, &f->ann, &mine));
	assert_false(live_may_present(&f->app, f->db, NULL, &mine));
	/* Moderators present every room. */
	assert_true(live_may_present(&f->app, f->db, &f->org, &none));
	assert_true(live_may_present(&f->app, f->db, &f->fac, &other));

	assert_int_equal(live_room_for_session(&f->app, f->db, f->a, hers, &found), E_OK);
	assert_int_equal(found.id, mine.id);
	assert_int_equal(live_room_for_session(&f->app, f->db, f->a, hers + theirs + 1000, &found), E_NOTFOUND);
	assert_int_equal(live_room_for_session(&f->app, f->db, f->a, 0, &found), E_NOTFOUND);
}

#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)

/* ---- several instances (PostgreSQL only) ---- */

#define FOREIGN	"0123456789abcdef"	/* another instance's id */

static pthread_mutex_t	 seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 seen[16][LIVE_TOPIC_MAX];
static int		 nseen;

/* The hub's flush: remember which keys it rendered. */
static void
record_flush(struct app *app, const char *key)
{
	(void)app;
	pthread_mutex_lock(&seen_lock);
	if (nseen < 16 && !str_starts(key, "poll:9:"))
		snprintf(seen[nseen++], LIVE_TOPIC_MAX, "%s", key);
	pthread_mutex_unlock(&seen_lock);
}

static int
times_seen(const char *key)
{
	int i, n = 0;

	pthread_mutex_lock(&seen_lock);
	for (i = 0; i < nseen; i++)
		n += strcmp(seen[i], key) == 0;
	pthread_mutex_unlock(&seen_lock);
	return n;
}

/* A connection listening to what instances tell each other. */
static struct db *
listener(void)
{
	char		*err = NULL;
	struct db	*l = db_open(backend_url, &err);
	struct db_note	 n;

	assert_non_null(l);
	assert_int_equal(db_listen(l, LIVE_CHANNEL), 0);
	while (db_wait_note(l, 0, &n) == 1)
		;
	return l;
}

/* Read what subscriber s has until its text (in out) contains needle, or
 * 3 s passed.  1 if found. */
static int
read_until(struct live_sub *s, struct buf *out, const char *needle)
{
	char	chunk[4096];
	int64_t	deadline = now_ms() + 3000;

	while (!strstr(out->data, needle) && now_ms() < deadline) {
		long n = live_sub_read(s, chunk, sizeof(chunk), NULL, NULL);

		if (n > 0)
			buf_add(out, chunk, (size_t)n);
		else
			usleep(20 * 1000);
	}
	return strstr(out->data, needle) != NULL;
}

/* An ask and a moderation each notify the other instances with ids only,
 * when they commit; a refused one sends nothing. */
static void
pg_events_are_notified_on_commit_with_ids_only(void **state)
{
	struct fixture	*f = *state;
	struct db	*l = listener();
	struct db_note	 n;
	const char	*why = NULL;
	char		 from[17], kind[16];
	int64_t		 qid, room, ev, ev2, ref;
	int		 end = 0;

	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "Who pays for lunch?", 1,
				  &qid, &why), E_OK);
	assert_int_equal(db_wait_note(l, 2000, &n), 1);
	assert_int_equal(sscanf(n.payload, "%16[0-9a-f] e %" SCNd64 " %" SCNd64 " %15s %" SCNd64 "%n",
				from, &room, &ev, kind, &ref, &end), 5);
	assert_int_equal((size_t)end, strlen(n.payload));
	assert_int_equal(room, f->room);
	assert_string_equal(kind, "question");
	assert_int_equal(ref, qid);
	assert_true(ev > 0);
	assert_null(strstr(n.payload, "lunch"));
	assert_null(strstr(n.payload, "Ann"));

	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, " ", 0, &qid, &why), E_INVALID);
	assert_int_equal(db_wait_note(l, 300, &n), 0);

	assert_int_equal(live_moderate(&f->app, f->db, &f->org, f->room, ref, "hide"), E_OK);
	assert_int_equal(db_wait_note(l, 2000, &n), 1);
	assert_int_equal(sscanf(n.payload, "%*16[0-9a-f] e %*d %" SCNd64 " question %" SCNd64,
				&ev2, &qid), 2);
	assert_true(ev2 > ev);
	assert_int_equal(qid, ref);
	db_close(l);
}

/* The listener renders another instance's event for each audience (the
 * anonymous asker named to moderators only), marks its keys dirty without
 * sending them back, ignores its own instance's and what it does not
 * understand; keys touched here go out to the others, split to fit. */
static void
pg_other_instances_changes_reach_this_hub(void **state)
{
	struct fixture	*f = *state;
	struct db	*tx;
	struct live_hub	*h;
	struct live_sub	*pub, *mod;
	struct db_note	 n;
	struct buf	 pubtext, modtext;
	const char	*why = NULL;
	char		 key[LIVE_TOPIC_MAX], *payload, *needle;
	int64_t		 qid, ev;
	int		 i, notes = 0, keys = 0;

	free(f->cfg.db);
	f->cfg.db = xstrdup(backend_url);
	f->app.dbs = db_pool_new(backend_url);
	h = live_hub_new(&f->app, record_flush);
	pub = live_sub_new(h, arena_printf(f->a, "room:%" PRId64, f->room), NULL);
	mod = live_sub_new(h, arena_printf(f->a, "mod:%" PRId64, f->room), NULL);
	buf_init(&pubtext, 1u << 20);
	buf_init(&modtext, 1u << 20);
	assert_true(read_until(pub, &pubtext, "event: reload"));	/* it listens */
	tx = listener();
	nseen = 0;

	/* Asked "elsewhere": app.live is NULL, so only the notification
	 * (with this process's id, ignored) goes out; then the same event as
	 * another instance would send it. */
	assert_int_equal(live_ask(&f->app, f->db, &f->ann, f->room, "Anyone for tea?", 1, &qid,
				  &why), E_OK);
	assert_int_equal(db_wait_note(tx, 2000, &n), 1);
	assert_int_equal(sscanf(n.payload, "%*16[0-9a-f] e %*d %" SCNd64, &ev), 1);
	f->app.live = h;
	payload = arena_printf(f->a, FOREIGN " e %" PRId64 " %" PRId64 " question %" PRId64,
			       f->room, ev, qid);
	assert_int_equal(db_notify(tx, LIVE_CHANNEL, payload), 0);
	needle = arena_printf(f->a, "id: %" PRId64 "\nevent: question\ndata: {\"id\":%" PRId64, ev, qid);
	assert_true(read_until(pub, &pubtext, needle));
	assert_true(read_until(mod, &modtext, needle));
	assert_non_null(strstr(pubtext.data, "\"asker\":null"));
	assert_null(strstr(pubtext.data, "Ann Participant"));
	assert_non_null(strstr(modtext.data, "\"asker\":\"Ann Participant\""));
	assert_int_equal(db_notify(tx, LIVE_CHANNEL, "nonsense"), 0);
	assert_int_equal(db_notify(tx, LIVE_CHANNEL, FOREIGN " e 1 2 question"), 0);

	/* Keys: another instance's are flushed here and not sent back;
	 * ours are flushed once, not again when they come back. */
	payload = arena_printf(f->a, FOREIGN " t q:%" PRId64 ":%" PRId64 " bogus poll:%" PRId64 ":5",
			       f->room, qid, f->room);
	assert_int_equal(db_notify(tx, LIVE_CHANNEL, payload), 0);
	snprintf(key, sizeof(key), "q:%" PRId64 ":777", f->room);
	live_touch(h, key);
	usleep(LIVE_TICK_MS * 5 * 1000);
	assert_int_equal(times_seen(arena_printf(f->a, "q:%" PRId64 ":%" PRId64, f->room, qid)), 1);
	assert_int_equal(times_seen(arena_printf(f->a, "poll:%" PRId64 ":5", f->room)), 1);
	assert_int_equal(times_seen("bogus"), 0);
	assert_int_equal(times_seen(key), 1);
	while (db_wait_note(tx, 200, &n) == 1) {
		if (str_starts(n.payload, FOREIGN) || str_eq(n.payload, "nonsense"))
			continue;	/* what the test sent */
		assert_non_null(strstr(n.payload, key));	/* ours went out ... */
		assert_null(strstr(n.payload, ":5"));		/* ... theirs did not */
	}

	/* 800 keys in one tick do not fit in one notification. */
	for (i = 0; i < 800; i++) {
		snprintf(key, sizeof(key), "poll:9:%d", 1000000 + i);
		live_touch(h, key);
	}
	while (db_wait_note(tx, 1000, &n) == 1) {
		const char *p = n.payload;

		assert_true(strlen(p) <= DB_NOTIFY_MAX);
		assert_null(strstr(p, FOREIGN));
		notes++;
		while ((p = strstr(p, " poll:9:")) != NULL) {
			keys++;
			p++;
		}
	}
	assert_int_equal(keys, 800);
	assert_true(notes >= 2);

	f->app.live = NULL;
	live_sub_free(pub);
	live_sub_free(mod);
	live_hub_free(h);
	db_pool_free(f->app.dbs);
	f->app.dbs = NULL;
	buf_release(&pubtext);
	buf_release(&modtext);
	db_close(tx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(rooms_have_codes_and_titles_are_checked),
		T(ask_checks_text_and_membership),
		T(anonymous_asker_is_hidden_from_participants_only),
		T(upvote_counts_once_and_only_on_visible_questions),
		T(approval_queue_holds_questions_until_approved),
		T(moderation_pins_answers_and_hides_for_good),
		T(poll_add_checks_kind_question_and_choices),
		T(poll_states_move_forward_only),
		T(changing_a_vote_replaces_it_and_counts_once),
		T(votes_through_the_writer_land_once_each),
		T(multi_and_scale_tallies),
		T(word_cloud_merges_case_and_spaces),
		T(results_svg_escapes_text),
		T(long_bar_labels_wrap_then_are_cut_with_the_whole_text_in_a_title),
		T(replay_renders_current_state_for_the_audience),
		T(snapshot_hides_unrevealed_counts_from_the_room),
		T(next_closes_current_and_opens_the_following_poll),
		T(speakers_present_only_the_rooms_of_their_sessions),
		T(wall_feeds_only_free_text_pre_questions_and_only_for_moderators),
		T(wall_shows_only_approved_answers_one_decision_per_room),
		T(edited_answer_goes_back_to_the_queue_and_stale_versions_are_refused),
		T(wall_replay_never_carries_an_unapproved_answer_or_a_person),
	};
	const struct CMUnitTest pg_tests[] = {
		T(pg_events_are_notified_on_commit_with_ids_only),
		T(pg_other_instances_changes_reach_this_hub),
	};

	return store_tests_run("live", tests, ARRAY_SIZE(tests), pg_tests, ARRAY_SIZE(pg_tests), fill);
}
