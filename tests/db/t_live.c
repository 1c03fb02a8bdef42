/* t_live.c - the live room against a real database: rooms and join
 * codes, asking (with approval and anonymity), upvotes counted once,
 * moderation, polls of every kind through their states, one ballot per
 * person replaced on a change, tallies shown only when they may be, and
 * the replay behind Last-Event-ID never bringing back a hidden question
 * or an anonymous asker.  Runs on SQLite and, when COLEAD_TEST_PG names a
 * server, again on a fresh PostgreSQL database. */
#include "../../src/core/arena.h"
#include "../../src/core/cfg.h"
#include "../../src/core/str.h"
#include "../../src/db/db.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/live/live.h"
#include "../../src/feat/live/live_store.h"
#include "../../src/feat/people/people.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>

static const char *backend_url;	/* the database the current group runs on */

struct fixture {
	struct cfg	 cfg;
	struct app	 app;
	struct db	*db;
	struct arena	*a;
	struct person	 org, fac, ann, bob, spk, nobody;
	int64_t		 room;
};

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

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof(*f));
	char		*err = NULL;
	const char	*why = "";

	if (cfg_init(&f->cfg, &err) < 0)
		return -1;
	f->app.cfg = &f->cfg;
	f->db = db_open(backend_url, &err);
	if (!f->db) {
		fprintf(stderr, "cannot open '%s': %s\n", backend_url, err);
		return -1;
	}
	if (db_migrate(f->db) < 0 || event_app_init(&f->app, f->db) != E_OK)
		return -1;
	f->a = arena_new(0);
	add_person(f, &f->org, "Olu Organiser", ROLE_ORGANISER);
	add_person(f, &f->fac, "Fay Facilitator", ROLE_FACILITATOR);
	add_person(f, &f->ann, "Ann Participant", ROLE_PARTICIPANT);
	add_person(f, &f->bob, "Bob Participant", ROLE_PARTICIPANT);
	add_person(f, &f->spk, "Sam Speaker", ROLE_SPEAKER);
	add_person(f, &f->nobody, "Nia Norole", 0);
	if (live_room_add(&f->app, f->db, "Opening keynote", 0, &f->room, &why) != E_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	db_close(f->db);
	free(f->app.event_name);
	cfg_release(&f->cfg);
	free(f);
	return 0;
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
	svg = live_qr_svg(f->a, "http://example.org/join/ABCDE");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<path"));
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

static char *
pg_fresh(const char *url)
{
	static const char	 drop_fmt[] = "DROP DATABASE IF EXISTS %s";
	struct db		*db;
	char			*err = NULL, *name, *sql, *out, *slash;

	db = db_open(url, &err);
	if (!db) {
		fprintf(stderr, "cannot open '%s': %s\n", url, err);
		exit(1);
	}
	name = xprintf("colead_live_%d", (int)getpid());
	sql = xprintf(drop_fmt, name);
	db_exec(db, sql);
	free(sql);
	sql = xprintf("CREATE DATABASE %s", name);
	if (db_exec(db, sql) < 0)
		exit(1);
	free(sql);
	db_close(db);
	slash = strrchr(url, '/');
	out = xprintf("%.*s/%s", (int)(slash - url), url, name);
	free(name);
	return out;
}

#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)

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
		T(replay_renders_current_state_for_the_audience),
		T(snapshot_hides_unrevealed_counts_from_the_room),
		T(next_closes_current_and_opens_the_following_poll),
	};
	const char	*pg = getenv("COLEAD_TEST_PG");
	char		 path[] = "/tmp/colead-t-live-XXXXXX";
	char		*url;
	int		 fails = 0, fd;

	if (sodium_init() < 0)
		return 1;
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	unlink(path);
	url = xprintf("sqlite:%s", path);
	backend_url = url;
	printf("backend: sqlite\n");
	fails += cmocka_run_group_tests_name("live on sqlite", tests, NULL, NULL);
	free(url);
	unlink(path);
	url = xprintf("%s-wal", path);
	unlink(url);
	free(url);
	url = xprintf("%s-shm", path);
	unlink(url);
	free(url);
	if (pg && *pg) {
		url = pg_fresh(pg);
		backend_url = url;
		printf("backend: postgresql\n");
		fails += cmocka_run_group_tests_name("live on postgresql", tests, NULL, NULL);
		free(url);
	} else {
		printf("backend: postgresql skipped (COLEAD_TEST_PG is not set)\n");
	}
	return fails ? 1 : 0;
}
