/* votes.c - durable votes per second through colead's own vote path
 * (live_vote_submit: the rules, the statement, the writer's group commit,
 * a vote counted only when its completion says it is committed), from
 * THREADS threads keeping IN-FLIGHT votes outstanding between them as the
 * server's workers do with parked requests, against SQLite's raw
 * batched-commit rate (100 rows per COMMIT) on the same disk.  The two
 * take turns, ROUNDS times; each colead round is a fresh poll.  Links
 * libcolead.a; it creates its own databases under DIR and never touches
 * another.  Prints each round and the median ratio.
 *
 *   votes DIR THREADS VOTES [IN-FLIGHT [ROUNDS]] */
#include "../../src/core/arena.h"
#include "../../src/core/cfg.h"
#include "../../src/db/db.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/live/live.h"
#include "../../src/feat/people/people.h"

#include <sqlite3.h>
#include <sodium.h>

struct worker {
	pthread_t	 t;
	struct app	*app;
	const char	*url;
	int64_t		 room, poll, first, step, last;
	int64_t		*ids;
	int		 window;	/* votes this thread keeps in flight */
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 inflight, waiting;
	int		 failed;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A vote is durable (or failed): one less in flight; wake the thread once
 * half its window is free, not on every vote. */
static void
voted(void *arg, enum app_err rc)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	if (rc != E_OK)
		w->failed++;
	w->inflight--;
	if (w->waiting && (w->inflight <= w->window / 2 || w->inflight == 0)) {
		w->waiting = 0;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
}

/* One thread, as one of the server's workers: its own connection for the
 * rules' reads, every step-th voter, each vote submitted through
 * live_vote_submit() and acknowledged by its completion, at most window
 * votes in flight (as parked HTTP requests would be). */
static void *
run(void *arg)
{
	struct worker	*w = arg;
	char		*err = NULL;
	struct db	*db = db_open(w->url, &err);
	int64_t		 i;

	if (!db) {
		w->failed = 1;
		return NULL;
	}
	for (i = w->first; i < w->last; i += w->step) {
		struct person	 p = { .id = w->ids[i], .roles = ROLE_PARTICIPANT };
		const char	*why;
		enum app_err	 rc;

		pthread_mutex_lock(&w->lock);
		while (w->inflight >= w->window) {
			w->waiting = 1;
			pthread_cond_wait(&w->cond, &w->lock);
		}
		w->inflight++;
		pthread_mutex_unlock(&w->lock);
		rc = live_vote_submit(w->app, db, &p, w->room, w->poll, (int64_t)1 << (i % 4), 0,
				      NULL, &why, voted, w);
		if (rc != E_OK)
			voted(w, rc);
	}
	pthread_mutex_lock(&w->lock);
	while (w->inflight > 0) {
		w->waiting = 1;
		pthread_cond_wait(&w->cond, &w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	db_close(db);
	return NULL;
}

/* SQLite alone: rows shaped like a ballot, 100 per COMMIT. */
static double
raw_rate(const char *path, long rows)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	double		 t0, t1;
	long		 i;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE ballots (poll_id BIGINT, person_id BIGINT, choices BIGINT,"
			 " value INTEGER, text TEXT, word_key TEXT, voted_at BIGINT,"
			 " PRIMARY KEY (poll_id, person_id))", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO ballots VALUES (1, ?1, 1, 0, '', '', 0)"
			       " ON CONFLICT (poll_id, person_id) DO UPDATE SET choices = excluded.choices",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	t0 = now_s();
	for (i = 0; i < rows; i++) {
		if (i % 100 == 0)
			sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_int64(st, 1, i);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 0;
		sqlite3_reset(st);
		if (i % 100 == 99 || i == rows - 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	t1 = now_s();
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (double)rows / (t1 - t0);
}

/* One round through colead: a fresh poll opened, every voter votes once.
 * Returns votes per second; failures added to *failed. */
static double
colead_rate(struct app *app, struct db *db, const char *url, int64_t room, int64_t *ids,
	    int64_t n, int threads, int inflight, int *failed)
{
	struct person	 org = { .id = ids[0], .roles = ROLE_ORGANISER };
	struct worker	*w = xcalloc((size_t)threads, sizeof(*w));
	const char	*why;
	int64_t		 poll;
	double		 t0, t1;
	int		 i;

	if (live_poll_add(app, db, &org, room, "single", "Bench?", "A\nB\nC\nD", &poll, &why) != E_OK ||
	    live_poll_action(app, db, &org, room, poll, "open") != E_OK) {
		free(w);
		(*failed)++;
		return 0;
	}
	t0 = now_s();
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ .app = app, .url = url, .room = room, .poll = poll,
			.first = i, .step = threads, .last = n, .ids = ids,
			.window = inflight / threads };
		pthread_mutex_init(&w[i].lock, NULL);
		pthread_cond_init(&w[i].cond, NULL);
		pthread_create(&w[i].t, NULL, run, &w[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].t, NULL);
		*failed += w[i].failed;
		pthread_mutex_destroy(&w[i].lock);
		pthread_cond_destroy(&w[i].cond);
	}
	t1 = now_s();
	free(w);
	return (double)n / (t1 - t0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct cfg	 cfg;
	struct app	 app;
	struct db	*db;
	char		*err = NULL, *url, *raw;
	const char	*why = "";
	int64_t		 room, *ids, n, i;
	int		 threads, inflight, rounds, r, failed = 0;
	double		 ours, theirs, ratio[16];

	if (argc < 4 || argc > 6 || sodium_init() < 0) {
		fprintf(stderr, "usage: votes DIR THREADS VOTES [IN-FLIGHT [ROUNDS]]\n");
		return 2;
	}
	threads = atoi(argv[2]);
	n = atoll(argv[3]);
	inflight = argc >= 5 ? atoi(argv[4]) : threads;
	rounds = argc >= 6 ? atoi(argv[5]) : 3;
	if (threads < 1 || n < 1 || inflight < threads || rounds < 1 || rounds > 16)
		return 2;
	memset(&app, 0, sizeof(app));
	if (cfg_init(&cfg, &err) < 0)
		return 1;
	app.cfg = &cfg;
	url = xprintf("sqlite:%s/votes.db", argv[1]);
	db = db_open(url, &err);
	if (!db || db_migrate(db) < 0 || event_app_init(&app, db) != E_OK)
		return 1;
	app.dbs = db_pool_new(url);	/* as the server: the vote writer takes its connection here */
	ids = xcalloc((size_t)n, sizeof(*ids));
	if (db_begin(db) < 0)
		return 1;
	for (i = 0; i < n; i++) {
		char email[64];

		snprintf(email, sizeof(email), "voter%" PRId64 "@example.org", i);
		if (people_add(&app, db, "Voter", email, NULL, ROLE_PARTICIPANT, NULL, &ids[i], &why) != E_OK)
			return 1;
	}
	if (db_commit(db) < 0 || live_room_add(&app, db, "Bench", 0, &room, &why) != E_OK)
		return 1;
	/* colead and SQLite alone take turns, so a busy moment of the
	 * machine falls on both */
	for (r = 0; r < rounds; r++) {
		ours = colead_rate(&app, db, url, room, ids, n, threads, inflight, &failed);
		raw = xprintf("%s/raw-%d.db", argv[1], r);
		theirs = raw_rate(raw, (long)n);
		free(raw);
		ratio[r] = theirs > 0 ? ours / theirs : 0;
		printf("round %d: colead %.0f votes/s, sqlite %.0f rows/s, ratio %.2f\n", r + 1, ours,
		       theirs, ratio[r]);
		fflush(stdout);
	}
	qsort(ratio, (size_t)rounds, sizeof(ratio[0]), cmp_double);
	printf("median ratio %.2f (%d threads, %d votes in flight, %" PRId64 " votes a round, "
	       "%d failed)\n", ratio[rounds / 2], threads, inflight, n, failed);
	live_votes_stop();
	db_close(db);
	db_pool_free(app.dbs);
	free(url);
	free(ids);
	free(app.event_name);
	cfg_release(&cfg);
	return failed ? 1 : 0;
}
