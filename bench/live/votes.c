/* votes.c - durable votes per second through colead's own vote path
 * (live_vote: the rules, the statement and the group commit), from many
 * threads at once, against SQLite's raw batched-commit rate on the same
 * disk in the same run (bench/live/run.sh, scenario c).  Links
 * libcolead.a; it creates its own databases under DIR and never touches
 * another.  Prints "votes_per_second raw_per_second".
 *
 *   votes DIR THREADS VOTES */
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
	int		 failed;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One thread: its own connection, every step-th voter. */
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

		if (live_vote(w->app, db, &p, w->room, w->poll, (int64_t)1 << (i % 4), 0, NULL, &why) != E_OK)
			w->failed++;
	}
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

int
main(int argc, char **argv)
{
	struct cfg	 cfg;
	struct app	 app;
	struct db	*db;
	struct worker	*w;
	char		*err = NULL, *url, *raw;
	const char	*why = "";
	int64_t		 room, poll, *ids, n, i;
	int		 threads, failed = 0;
	double		 t0, t1, rate;

	if (argc != 4 || sodium_init() < 0) {
		fprintf(stderr, "usage: votes DIR THREADS VOTES\n");
		return 2;
	}
	threads = atoi(argv[2]);
	n = atoll(argv[3]);
	memset(&app, 0, sizeof(app));
	if (cfg_init(&cfg, &err) < 0)
		return 1;
	app.cfg = &cfg;
	url = xprintf("sqlite:%s/votes.db", argv[1]);
	db = db_open(url, &err);
	if (!db || db_migrate(db) < 0 || event_app_init(&app, db) != E_OK)
		return 1;
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
	{
		struct person org = { .id = ids[0], .roles = ROLE_ORGANISER };

		if (live_poll_add(&app, db, &org, room, "single", "Bench?", "A\nB\nC\nD", &poll, &why) != E_OK ||
		    live_poll_action(&app, db, &org, room, poll, "open") != E_OK)
			return 1;
	}
	w = xcalloc((size_t)threads, sizeof(*w));
	t0 = now_s();
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ .app = &app, .url = url, .room = room, .poll = poll,
			.first = i, .step = threads, .last = n, .ids = ids };
		pthread_create(&w[i].t, NULL, run, &w[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].t, NULL);
		failed += w[i].failed;
	}
	t1 = now_s();
	raw = xprintf("%s/raw.db", argv[1]);
	rate = raw_rate(raw, (long)n);
	printf("%.0f %.0f %d\n", (double)n / (t1 - t0), rate, failed);
	db_close(db);
	free(raw);
	free(url);
	free(ids);
	free(w);
	free(app.event_name);
	cfg_release(&cfg);
	return failed ? 1 : 0;
}
