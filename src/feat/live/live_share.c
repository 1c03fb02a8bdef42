/* live_share.c - passing live changes between colead instances on one
 * PostgreSQL database (see live_share.h and docs/internals/sse.md).  Two
 * kinds of notification on LIVE_CHANNEL, each starting with the sending
 * instance's id (16 hex digits, random per process):
 *
 *	ID e ROOM EVENT KIND REF	an event of live_events, sent inside the
 *					transaction that inserts it
 *	ID t KEY KEY ...		coalesced keys touched on that
 *					instance's last tick, sent after commit
 *
 * The listener thread renders events with live_republish() and marks keys
 * dirty with live_touch_remote().  It must never carry content from one
 * instance to another (so privacy is decided by the renderer alone), nor
 * publish what its own instance sent. */
#include "live_share.h"
#include "live.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../db/db.h"

#include <sodium.h>

#define ID_LEN	16	/* hex digits of an instance id */

struct live_share {
	struct app	*app;
	struct live_hub	*hub;
	char		*url;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;		/* wakes a napping listener to stop */
	int		 stopping;	/* under lock */
};

static pthread_once_t	 self_once = PTHREAD_ONCE_INIT;
static char		 self[ID_LEN + 1];

/* This process's instance id: random, so two instances (even on one
 * host, or a restarted one) never take each other's notifications for
 * their own. */
static void
self_init(void)
{
	unsigned char	r[ID_LEN / 2];
	size_t		i;

	if (sodium_init() < 0)
		BUG("cannot start libsodium");
	randombytes_buf(r, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		snprintf(self + 2 * i, 3, "%02x", r[i]);
}

static const char *
instance(void)
{
	pthread_once(&self_once, self_init);
	return self;
}

enum app_err
live_share_event(struct db *db, int64_t room_id, const char *kind, int64_t ref_id,
		 int64_t event_id)
{
	char payload[128];

	if (db_kind(db) != DB_PG)
		return E_OK;	/* one process: its hub has seen it all */
	snprintf(payload, sizeof(payload), "%s e %" PRId64 " %" PRId64 " %s %" PRId64,
		 instance(), room_id, event_id, kind, ref_id);
	return db_notify(db, LIVE_CHANNEL, payload) < 0 ? E_INTERNAL : E_OK;
}

/* As many keys as fit in one notification each time. */
void
live_share_keys(struct live_share *s, char (*keys)[LIVE_TOPIC_MAX], size_t n)
{
	char		 payload[DB_NOTIFY_MAX + 1];
	struct db	*db;
	size_t		 len, head, i, k;

	if (!s || n == 0 || !(db = db_pool_get(s->app->dbs)))
		return;
	head = len = (size_t)snprintf(payload, sizeof(payload), "%s t", instance());
	for (i = 0; i < n; i++) {
		k = strlen(keys[i]);
		if (len + 1 + k > DB_NOTIFY_MAX) {
			if (db_notify(db, LIVE_CHANNEL, payload) < 0)
				log_warn("live: other instances will show some tallies late");
			len = head;
		}
		payload[len++] = ' ';
		memcpy(payload + len, keys[i], k + 1);
		len += k;
	}
	if (len > head && db_notify(db, LIVE_CHANNEL, payload) < 0)
		log_warn("live: other instances will show some tallies late");
}

/* "ID t KEY KEY ...": mark each key dirty here, without sharing it again. */
static void
take_keys(struct live_share *s, const char *p)
{
	char key[LIVE_TOPIC_MAX];

	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n > 0 && n < sizeof(key) &&
		    (str_starts(p, "q:") || str_starts(p, "poll:"))) {
			memcpy(key, p, n);
			key[n] = '\0';
			live_touch_remote(s->hub, key);
		}
		p += n;
	}
}

/* One notification: another instance's event or keys; our own, and
 * anything not understood, are left alone. */
static void
take_note(struct live_share *s, struct db *db, const char *payload)
{
	char	 from[ID_LEN + 1], kind[16];
	int64_t	 room, ev, ref;
	int	 n = 0;

	if (strspn(payload, "0123456789abcdef") != ID_LEN || payload[ID_LEN] != ' ') {
		log_info("live: ignoring a notification of unknown form");
		return;
	}
	memcpy(from, payload, ID_LEN);
	from[ID_LEN] = '\0';
	if (strcmp(from, instance()) == 0)
		return;		/* published here already, when it committed */
	payload += ID_LEN + 1;
	if (payload[0] == 't' && (payload[1] == ' ' || payload[1] == '\0')) {
		take_keys(s, payload + 1);
		return;
	}
	if (sscanf(payload, "e %" SCNd64 " %" SCNd64 " %15[a-z] %" SCNd64 "%n",
		   &room, &ev, kind, &ref, &n) == 4 && n > 0 && payload[n] == '\0') {
		live_republish(s->app, db, room, kind, ref, ev);
		return;
	}
	log_info("live: ignoring a notification of unknown form");
}

static int
stopping(struct live_share *s)
{
	int stop;

	pthread_mutex_lock(&s->lock);
	stop = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

/* Sleep ms, or less if told to stop. */
static void
nap(struct live_share *s, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	if (!s->stopping)
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	pthread_mutex_unlock(&s->lock);
}

/* The listener: connect, LISTEN, and take notifications until the
 * connection is lost; then again, waiting longer after each failure.
 * Whatever the other instances sent while this one was not listening is
 * lost, so after every (re)connection each stream gets a "reload" and its
 * page refetches everything (at start-up there are no streams yet). */
static void *
listen_main(void *arg)
{
	struct live_share	*s = arg;
	struct db_note		*note = xmalloc(sizeof(*note));
	int			 backoff = LIVE_SHARE_BACKOFF_MS, lost = 0;

	while (!stopping(s)) {
		struct db	*db;
		char		*err = NULL;
		int		 rc = 0;

		db = db_open(s->url, &err);
		if (db && db_listen(db, LIVE_CHANNEL) < 0) {
			err = xprintf("LISTEN failed: %s", db_errmsg(db));
			db_close(db);
			db = NULL;
		}
		if (!db) {
			log_warn("live: cannot hear other instances' changes: %s; "
				 "trying again in %d ms", err, backoff);
			free(err);
			nap(s, backoff);
			backoff = backoff * 2 < LIVE_SHARE_BACKOFF_MAX ?
				  backoff * 2 : LIVE_SHARE_BACKOFF_MAX;
			continue;
		}
		backoff = LIVE_SHARE_BACKOFF_MS;
		if (lost)
			log_info("live: listening to other instances again; streams reload");
		live_publish(s->hub, NULL, 0, "reload", "{}", 2);
		while (!stopping(s)) {
			rc = db_wait_note(db, LIVE_SHARE_WAIT_MS, note);
			if (rc < 0)
				break;
			if (rc == 1)
				take_note(s, db, note->payload);
		}
		if (rc < 0) {
			log_warn("live: lost the connection that hears other instances "
				 "(%s); reconnecting", db_errmsg(db));
			lost = 1;
		}
		db_close(db);
		if (rc < 0)
			nap(s, backoff);
	}
	free(note);
	return NULL;
}

struct live_share *
live_share_new(struct app *app, struct live_hub *h)
{
	struct live_share *s;

	if (!app || !app->cfg || !app->cfg->db || !h ||
	    db_url_kind(app->cfg->db) != DB_PG)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->hub = h;
	s->url = xstrdup(app->cfg->db);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	instance();
	if (pthread_create(&s->thread, NULL, listen_main, s) != 0) {
		error("live: cannot start the thread that hears other instances");
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->cond);
		free(s->url);
		free(s);
		return NULL;
	}
	return s;
}

void
live_share_free(struct live_share *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->url);
	free(s);
}
