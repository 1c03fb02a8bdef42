/* live_hub.c - topics, refcounted messages and subscribers behind the
 * Server-Sent-Event streams (see live_hub.h).  One mutex guards the
 * subscriber list, every queue and every refcount: publishing walks the
 * list once and costs a pointer per subscriber, never a copy.  The hub's
 * thread sends keep-alives and runs the coalesced flushes, and hands the
 * keys touched here to live_share.c for the other instances; its sender
 * threads write new events to parked subscribers' sockets.  It must not
 * know HTTP, must never call a flush function under its lock, and must
 * never hold the lock across a send. */
#include "live_hub.h"
#include "live_share.h"
#include "../../core/log.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* A subscriber's connection: running (the adapter reads it), parked (its
 * connection suspended: nobody reads it until an event comes), or being
 * flushed (still suspended, on the senders' list or being written to by
 * one sender). */
enum { SUB_RUNNING, SUB_PARKED, SUB_FLUSHING };

struct live_msg {
	int		 refs;		/* under the hub's lock */
	int64_t		 id;		/* the event id, 0 for none */
	char		 key[LIVE_TOPIC_MAX];	/* id 0: topic, event, object; a newer one replaces it */
	size_t		 len;
	char		 data[];
};

/* One subscriber: a single exact allocation, plus the replay text until
 * it has gone out.  (Not an arena: an arena's first block is 16 KB, which
 * would be most of what a parked stream is allowed to cost.) */
struct live_sub {
	struct live_hub	*hub;
	struct live_sub	*prev, *next;
	char		 topic[LIVE_SUB_TOPICS][LIVE_TOPIC_MAX];
	struct live_msg	*queue[LIVE_SUB_QUEUE];
	unsigned	 head, count;	/* ring */
	size_t		 off;		/* bytes of queue[head] already sent */
	char		*prefix;
	size_t		 prefix_len, prefix_off;
	int64_t		 skip_id;
	int		 state, over;
	int		 fd;		/* written to directly while parked; -1: never */
	struct live_sub	*flush_next;	/* SUB_FLUSHING: the senders' list */
	int		 in_send;	/* a sender is writing queued bytes: keep them */
	int		 freeing;	/* live_sub_free waits for the sender to let go */
	uint64_t	 sent;		/* bytes gone out, either way */
	void		(*wake)(void *);
	void		*wake_arg;
};

/* A key to render: since when, whether it was touched again since the
 * last tick, and whether it was touched here (not only by another
 * instance) since the other instances were last told. */
struct dirty {
	char		 key[LIVE_TOPIC_MAX];
	int64_t		 since_ms;
	int		 touched;
	int		 local;
};

struct live_hub {
	struct app	*app;
	live_flush_fn	 flush;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	pthread_t	 thread;
	int		 running, stopping;
	pthread_cond_t	 send_cond;	/* the senders have subscribers to flush */
	pthread_cond_t	 sent_cond;	/* a sender let go of a subscriber being freed */
	pthread_t	 sender[LIVE_SENDERS];
	int		 sending;	/* how many senders run */
	struct live_sub	*flush_head, *flush_tail;	/* SUB_FLUSHING, in order */
	struct live_sub	*subs;
	size_t		 nsubs;
	struct dirty	*dirty;
	size_t		 ndirty;
	struct live_share *share;	/* NULL: one instance (SQLite) */
};

/* A framed message with one reference (the caller's). */
static struct live_msg *
msg_new(int64_t id, const char *event, const char *data, size_t n)
{
	size_t		 cap = n + strlen(event) + 64;
	struct live_msg	*m = xmalloc(sizeof(*m) + cap);
	int		 k;

	m->refs = 1;
	m->id = id;
	m->key[0] = '\0';
	if (id > 0)
		k = snprintf(m->data, cap, "id: %" PRId64 "\nevent: %s\ndata: ", id, event);
	else if (*event)
		k = snprintf(m->data, cap, "event: %s\ndata: ", event);
	else
		k = 0;
	m->len = (size_t)k;
	memcpy(m->data + m->len, data, n);
	m->len += n;
	if (*event) {
		memcpy(m->data + m->len, "\n\n", 2);
		m->len += 2;
	}
	return m;
}

/* Drop one reference; the last one frees.  Hub lock held. */
static void
msg_unref(struct live_msg *m)
{
	if (--m->refs == 0)
		free(m);
}

/* Hand a parked subscriber back to the adapter, which reads it next.
 * Hub lock held. */
static void
sub_wake(struct live_sub *s)
{
	if (s->state == SUB_PARKED && s->wake) {
		s->state = SUB_RUNNING;
		s->wake(s->wake_arg);
	}
}

/* An event arrived for s.  Returns 0 when nothing is to be done (s is
 * running and reads it anyway, or someone is flushing it already), 1 when
 * the caller must wake it (still under the hub's lock), 2 when the caller
 * must hand it to the senders (flush_add): a parked subscriber with a
 * socket is written to directly, which spares the adapter a resume, a
 * read and a suspend per event.  Hub lock held. */
static int
sub_unpark(struct live_sub *s)
{
	if (s->state != SUB_PARKED || !s->wake)
		return 0;
	if (s->fd >= 0 && s->hub->sending) {
		s->state = SUB_FLUSHING;
		return 2;
	}
	s->state = SUB_RUNNING;
	return 1;
}

/* Queue m for s, or cut s when it lags too far.  A state message (no id,
 * a key) replaces an older one with the same key that has not started to
 * go out: a slow stream gets the newest tally, not every one.  Returns
 * what sub_unpark says is to be done.  Hub lock held. */
static int
sub_push(struct live_sub *s, struct live_msg *m)
{
	unsigned i;

	if (s->over)
		return 0;
	for (i = 0; m->key[0] && i < s->count; i++) {
		unsigned	 k = (s->head + i) % LIVE_SUB_QUEUE;
		struct live_msg	*old = s->queue[k];

		if (old->key[0] && strcmp(old->key, m->key) == 0 && (i > 0 || s->off == 0) &&
		    !s->in_send) {
			s->queue[k] = m;
			m->refs++;
			msg_unref(old);
			return sub_unpark(s);
		}
	}
	if (s->count == LIVE_SUB_QUEUE) {
		s->over = 1;	/* it reconnects and replays from its last id */
	} else {
		s->queue[(s->head + s->count) % LIVE_SUB_QUEUE] = m;
		s->count++;
		m->refs++;
	}
	return sub_unpark(s);
}

/* Does s listen to topic (NULL: every stream)? */
static int
sub_wants(const struct live_sub *s, const char *topic)
{
	int i;

	if (!topic)
		return 1;
	for (i = 0; i < LIVE_SUB_TOPICS; i++)
		if (s->topic[i][0] && strcmp(s->topic[i], topic) == 0)
			return 1;
	return 0;
}

/* The bytes s has waiting, without taking them: up to max bytes as at
 * most niov pieces (the replay, then queued messages; those already in
 * the replay are left out).  Returns how many bytes.  Hub lock held. */
static size_t
sub_peek(struct live_sub *s, struct iovec *iov, int *niov, size_t max)
{
	size_t	 n = 0, k;
	unsigned i;
	int	 cap = *niov, c = 0;

	if (s->prefix_off < s->prefix_len && c < cap && n < max) {
		k = s->prefix_len - s->prefix_off;
		k = k < max - n ? k : max - n;
		iov[c].iov_base = s->prefix + s->prefix_off;
		iov[c++].iov_len = k;
		n += k;
	}
	for (i = 0; i < s->count && c < cap && n < max; i++) {
		struct live_msg	*m = s->queue[(s->head + i) % LIVE_SUB_QUEUE];
		size_t			 off = i == 0 ? s->off : 0;

		if (off == 0 && m->id > 0 && m->id <= s->skip_id)
			continue;	/* already in the replay */
		k = m->len - off;
		k = k < max - n ? k : max - n;
		iov[c].iov_base = m->data + off;
		iov[c++].iov_len = k;
		n += k;
	}
	*niov = c;
	return n;
}

/* Take the first n bytes sub_peek gave: they have gone out.  Messages
 * left out as already replayed are dropped on the way.  Hub lock held. */
static void
sub_take(struct live_sub *s, size_t n)
{
	size_t k;

	s->sent += n;
	if (s->prefix_off < s->prefix_len) {
		k = s->prefix_len - s->prefix_off;
		k = k < n ? k : n;
		s->prefix_off += k;
		n -= k;
		if (s->prefix_off == s->prefix_len) {
			free(s->prefix);	/* sent: a parked stream keeps only its queue */
			s->prefix = NULL;
			s->prefix_len = s->prefix_off = 0;
		}
	}
	while (s->count && (s->prefix_len == 0)) {
		struct live_msg *m = s->queue[s->head];

		if (s->off == 0 && m->id > 0 && m->id <= s->skip_id) {
			k = m->len;
		} else if (n == 0) {
			break;
		} else {
			k = m->len - s->off;
			k = k < n ? k : n;
			n -= k;
		}
		s->off += k;
		if (s->off < m->len)
			break;
		msg_unref(m);
		s->head = (s->head + 1) % LIVE_SUB_QUEUE;
		s->count--;
		s->off = 0;
	}
}

/* Drop everything queued for s.  Hub lock held. */
static void
sub_clear(struct live_sub *s)
{
	while (s->count) {
		msg_unref(s->queue[s->head]);
		s->head = (s->head + 1) % LIVE_SUB_QUEUE;
		s->count--;
	}
	s->off = 0;
}

/* Write what s has waiting straight to its socket, without blocking.  s
 * is SUB_FLUSHING: its connection is suspended, so the adapter does not
 * touch the socket, and no other publisher flushes it.  When everything
 * went out it is parked again; otherwise (the socket's buffer is full,
 * the client went away, or the stream is over) it is handed back to the
 * adapter, which sends the rest when the socket can take it, or ends the
 * stream.  Hub lock held, and released for the send itself: meanwhile
 * publishers may add to s's queue but not replace what is being sent
 * (in_send), and live_sub_free waits for the send to end; s is then let
 * go of at once. */
static void
sub_flush(struct live_hub *h, struct live_sub *s)
{
	struct iovec	 iov[LIVE_SUB_QUEUE + 1];
	struct msghdr	 mh;
	size_t		 n;
	ssize_t		 k;
	int		 niov, err = 0, full = 0;

	while (!full) {
		niov = (int)(sizeof(iov) / sizeof(iov[0]));
		n = sub_peek(s, iov, &niov, SIZE_MAX);
		if (n == 0) {
			sub_take(s, 0);	/* left-out replayed messages */
			break;
		}
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = (size_t)niov;
		s->in_send = 1;
		pthread_mutex_unlock(&h->lock);
		k = sendmsg(s->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (k < 0)
			err = errno;
		pthread_mutex_lock(&h->lock);
		s->in_send = 0;
		if (s->freeing) {
			pthread_cond_broadcast(&h->sent_cond);
			return;	/* its adapter is done with it: no wake-up */
		}
		if (k < 0 && err == EINTR)
			continue;
		if (k < 0 && err != EAGAIN && err != EWOULDBLOCK) {
			s->over = 1;	/* gone: the adapter ends it */
			sub_clear(s);
			break;
		}
		if (k > 0)
			sub_take(s, (size_t)k);
		full = k < 0 || (size_t)k < n;
	}
	if (!full && !s->over) {
		s->state = SUB_PARKED;
		return;
	}
	s->state = SUB_RUNNING;
	s->wake(s->wake_arg);
}

/* Hand s (just made SUB_FLUSHING) to the sender.  Hub lock held. */
static void
flush_add(struct live_hub *h, struct live_sub *s)
{
	s->flush_next = NULL;
	if (h->flush_tail)
		h->flush_tail->flush_next = s;
	else
		h->flush_head = s;
	h->flush_tail = s;
}

/* Take s off the senders' list.  Hub lock held. */
static void
flush_remove(struct live_hub *h, struct live_sub *s)
{
	struct live_sub *p, *prev = NULL;

	for (p = h->flush_head; p && p != s; p = p->flush_next)
		prev = p;
	if (!p)
		return;
	if (prev)
		prev->flush_next = s->flush_next;
	else
		h->flush_head = s->flush_next;
	if (h->flush_tail == s)
		h->flush_tail = prev;
	s->flush_next = NULL;
}

/* Queue m for every subscriber of topic.  Parked ones are woken under the
 * hub's lock: a subscriber parks under it too (live_sub_read), so a
 * wake-up can never fall between its finding the queue empty and its
 * connection being suspended.  Parked ones with a socket go to the
 * senders' list instead: the publisher does not wait for 10,000 sends,
 * and a newer state published while the senders are still at work
 * replaces the older one in the queues they have not reached yet, so it
 * goes out in the same pass. */
static void
fan_out(struct live_hub *h, const char *topic, struct live_msg *m)
{
	struct live_sub	*s;
	int		 listed = 0;

	pthread_mutex_lock(&h->lock);
	for (s = h->subs; s; s = s->next) {
		if (!sub_wants(s, topic))
			continue;
		switch (sub_push(s, m)) {
		case 1:
			s->wake(s->wake_arg);
			break;
		case 2:
			flush_add(h, s);
			listed = 1;
			break;
		}
	}
	msg_unref(m);
	if (listed)
		pthread_cond_broadcast(&h->send_cond);
	pthread_mutex_unlock(&h->lock);
}

/* A sender's thread: flush the listed subscribers in order, until the
 * hub stops and the list is empty.  The hub's lock is not held during a
 * send, so the senders work side by side and publishers, touches and
 * readers never wait for one.  Without senders (none could be started,
 * or they have stopped) parked subscribers are woken instead. */
static void *
sender_main(void *arg)
{
	struct live_hub	*h = arg;
	struct live_sub	*s;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		while (!h->flush_head && !h->stopping)
			pthread_cond_wait(&h->send_cond, &h->lock);
		if (!(s = h->flush_head))
			break;	/* stopping, nothing left */
		h->flush_head = s->flush_next;
		if (!h->flush_head)
			h->flush_tail = NULL;
		sub_flush(h, s);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

void
live_publish(struct live_hub *h, const char *topic, int64_t id, const char *event,
	     const char *data, size_t n)
{
	struct live_msg *m;

	if (!h)
		return;
	m = msg_new(id, event, data, n);
	if (id == 0 && topic && *event) {
		/* the object is named by the data's first member: {"poll":7 */
		size_t k = strcspn(data, ",}");

		snprintf(m->key, sizeof(m->key), "%.16s/%.10s/%.*s", topic, event,
			 (int)(k < n ? k : n), data);
	}
	fan_out(h, topic, m);
}

void
live_keepalive(struct live_hub *h)
{
	static const char comment[] = ": keep-alive\n\n";

	if (h)
		fan_out(h, NULL, msg_new(0, "", comment, sizeof(comment) - 1));
}

/* Mark key dirty; local says whether to tell the other instances. */
static void
touch(struct live_hub *h, const char *key, int local)
{
	size_t i;

	if (!h || strlen(key) >= LIVE_TOPIC_MAX)
		return;
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->ndirty; i++)
		if (strcmp(h->dirty[i].key, key) == 0)
			break;
	if (i < h->ndirty) {
		h->dirty[i].touched = 1;
	} else if (h->ndirty < LIVE_DIRTY_MAX) {
		snprintf(h->dirty[i].key, LIVE_TOPIC_MAX, "%s", key);
		h->dirty[i].since_ms = now_ms();
		h->dirty[i].touched = 1;
		h->dirty[i].local = 0;
		h->ndirty++;
	}
	if (i < h->ndirty && local)
		h->dirty[i].local = 1;
	pthread_mutex_unlock(&h->lock);
}

void
live_touch(struct live_hub *h, const char *key)
{
	touch(h, key, 1);
}

void
live_touch_remote(struct live_hub *h, const char *key)
{
	touch(h, key, 0);
}

size_t
live_hub_count(struct live_hub *h)
{
	size_t n;

	if (!h)
		return 0;
	pthread_mutex_lock(&h->lock);
	n = h->nsubs;
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* Take from h->dirty the keys due now into keys: quiet for a whole tick
 * (the burst is over: its last state goes out at once), or busy for longer
 * than the busy period.  The others stay, marked untouched.  Hub lock
 * held.  Returns how many were taken. */
static size_t
take_due(struct live_hub *h, char (*keys)[LIVE_TOPIC_MAX])
{
	int64_t	 now = now_ms();
	int64_t	 busy = (int64_t)h->nsubs * LIVE_BUSY_US_PER_SUB / 1000;
	size_t	 i, n = 0, kept = 0;

	if (busy < LIVE_BUSY_MS)
		busy = LIVE_BUSY_MS;
	for (i = 0; i < h->ndirty; i++) {
		struct dirty *d = &h->dirty[i];

		if (!d->touched || now - d->since_ms >= busy) {
			memcpy(keys[n++], d->key, LIVE_TOPIC_MAX);
			continue;
		}
		d->touched = 0;
		h->dirty[kept++] = *d;
	}
	h->ndirty = kept;
	return n;
}

/* Take into mine the keys touched here since the last tick, to tell the
 * other instances (each tick, whether or not they are due for rendering
 * here: every instance coalesces for its own streams).  Hub lock held.
 * Returns how many. */
static size_t
take_local(struct live_hub *h, char (*mine)[LIVE_TOPIC_MAX])
{
	size_t i, n = 0;

	for (i = 0; h->share && i < h->ndirty; i++)
		if (h->dirty[i].local) {
			memcpy(mine[n++], h->dirty[i].key, LIVE_TOPIC_MAX);
			h->dirty[i].local = 0;
		}
	return n;
}

/* The hub's thread: every LIVE_TICK_MS tell the other instances which keys
 * were touched here and render the dirty keys that are due; every
 * LIVE_KEEPALIVE_S send a comment to every stream (which is also how a
 * parked connection whose client went away is noticed). */
static void *
hub_main(void *arg)
{
	struct live_hub	*h = arg;
	char		(*keys)[LIVE_TOPIC_MAX] = xmalloc(LIVE_DIRTY_MAX * LIVE_TOPIC_MAX);
	char		(*mine)[LIVE_TOPIC_MAX] = xmalloc(LIVE_DIRTY_MAX * LIVE_TOPIC_MAX);
	int64_t		 next_ka = now_ms() + LIVE_KEEPALIVE_S * 1000;
	size_t		 i, n, nmine;

	pthread_mutex_lock(&h->lock);
	while (!h->stopping) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += LIVE_TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&h->cond, &h->lock, &ts);
		if (h->stopping)
			break;
		nmine = take_local(h, mine);
		n = take_due(h, keys);
		pthread_mutex_unlock(&h->lock);
		live_share_keys(h->share, mine, nmine);	/* first: theirs is the longer way */
		for (i = 0; i < n && h->flush; i++)
			h->flush(h->app, keys[i]);
		if (now_ms() >= next_ka) {
			live_keepalive(h);
			next_ka = now_ms() + LIVE_KEEPALIVE_S * 1000;
		}
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	free(keys);
	free(mine);
	return NULL;
}

struct live_hub *
live_hub_new(struct app *app, live_flush_fn flush)
{
	struct live_hub	*h = xcalloc(1, sizeof(*h));
	int		 i;

	h->app = app;
	h->flush = flush;
	h->dirty = xcalloc(LIVE_DIRTY_MAX, sizeof(*h->dirty));
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	pthread_cond_init(&h->send_cond, NULL);
	pthread_cond_init(&h->sent_cond, NULL);
	h->share = live_share_new(app, h);	/* before the thread, which reads it */
	if (pthread_create(&h->thread, NULL, hub_main, h) != 0)
		error("cannot start the live hub's thread");
	else
		h->running = 1;
	for (i = 0; i < LIVE_SENDERS; i++) {
		if (pthread_create(&h->sender[h->sending], NULL, sender_main, h) != 0)
			error("cannot start the live hub's sender");
		else
			h->sending++;
	}
	return h;
}

void
live_hub_stop(struct live_hub *h)
{
	struct live_sub	*s;
	int		 i, join, senders;

	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = 1;
	for (s = h->subs; s; s = s->next) {
		s->over = 1;
		sub_wake(s);	/* parked ones; the sender wakes those on its list */
	}
	pthread_cond_signal(&h->cond);
	pthread_cond_broadcast(&h->send_cond);
	join = h->running;
	h->running = 0;
	senders = h->sending;
	pthread_mutex_unlock(&h->lock);
	if (join)
		pthread_join(h->thread, NULL);
	for (i = 0; i < senders; i++)
		pthread_join(h->sender[i], NULL);	/* once their list is empty */
	pthread_mutex_lock(&h->lock);
	h->sending = 0;
	pthread_mutex_unlock(&h->lock);
	/* After the hub's thread, which uses it.  The listener may still
	 * publish meanwhile: every stream is over, so that goes nowhere. */
	live_share_free(h->share);
	h->share = NULL;
}

void
live_hub_free(struct live_hub *h)
{
	if (!h)
		return;
	live_hub_stop(h);
	if (h->nsubs) {
		/* a stream outlived the server's drain: leave the hub to it */
		log_warn("live hub: %zu streams still open at exit", h->nsubs);
		return;
	}
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->cond);
	pthread_cond_destroy(&h->send_cond);
	pthread_cond_destroy(&h->sent_cond);
	free(h->dirty);
	free(h);
}

struct live_sub *
live_sub_new(struct live_hub *h, const char *topic1, const char *topic2)
{
	struct live_sub	*s;

	if (!h)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->hub = h;
	s->fd = -1;
	if (topic1)
		snprintf(s->topic[0], LIVE_TOPIC_MAX, "%s", topic1);
	if (topic2)
		snprintf(s->topic[1], LIVE_TOPIC_MAX, "%s", topic2);
	pthread_mutex_lock(&h->lock);
	if (h->stopping) {
		pthread_mutex_unlock(&h->lock);
		free(s);
		return NULL;
	}
	s->next = h->subs;
	if (h->subs)
		h->subs->prev = s;
	h->subs = s;
	h->nsubs++;
	pthread_mutex_unlock(&h->lock);
	return s;
}

int
live_sub_prefix(struct live_sub *s, const char *p, size_t n, int64_t skip_id)
{
	char *copy, *old;

	if (n > LIVE_SUB_PREFIX_MAX)
		return -1;
	copy = xmalloc(n + 1);
	memcpy(copy, p, n);
	pthread_mutex_lock(&s->hub->lock);
	old = s->prefix;
	s->prefix = copy;
	s->prefix_len = n;
	s->prefix_off = 0;
	s->skip_id = skip_id;
	pthread_mutex_unlock(&s->hub->lock);
	free(old);
	return 0;
}

void
live_sub_set_wake(struct live_sub *s, void (*wake)(void *), void *arg)
{
	pthread_mutex_lock(&s->hub->lock);
	s->wake = wake;
	s->wake_arg = arg;
	pthread_mutex_unlock(&s->hub->lock);
}

void
live_sub_set_socket(struct live_sub *s, int fd)
{
	pthread_mutex_lock(&s->hub->lock);
	s->fd = fd;
	pthread_mutex_unlock(&s->hub->lock);
}

uint64_t
live_sub_sent(struct live_sub *s)
{
	uint64_t n;

	pthread_mutex_lock(&s->hub->lock);
	n = s->sent;
	pthread_mutex_unlock(&s->hub->lock);
	return n;
}

long
live_sub_read(struct live_sub *s, char *dst, size_t max, void (*park)(void *), void *arg)
{
	struct iovec	 iov[LIVE_SUB_QUEUE + 1];
	size_t		 n, k = 0;
	int		 i, niov = (int)(sizeof(iov) / sizeof(iov[0]));
	long		 rc;

	pthread_mutex_lock(&s->hub->lock);
	n = sub_peek(s, iov, &niov, max);
	for (i = 0; i < niov; i++) {
		memcpy(dst + k, iov[i].iov_base, iov[i].iov_len);
		k += iov[i].iov_len;
	}
	sub_take(s, n);
	if (n > 0) {
		rc = (long)n;
	} else if (s->over) {
		rc = -1;
	} else {
		s->state = SUB_PARKED;
		if (park)
			park(arg);
		rc = 0;
	}
	pthread_mutex_unlock(&s->hub->lock);
	return rc;
}

void
live_sub_free(struct live_sub *s)
{
	struct live_hub *h;

	if (!s)
		return;
	h = s->hub;
	pthread_mutex_lock(&h->lock);
	s->freeing = 1;
	while (s->in_send)	/* its bytes are in a sender's hands */
		pthread_cond_wait(&h->sent_cond, &h->lock);
	if (s->state == SUB_FLUSHING)
		flush_remove(h, s);	/* listed, not reached yet */
	if (s->prev)
		s->prev->next = s->next;
	else
		h->subs = s->next;
	if (s->next)
		s->next->prev = s->prev;
	h->nsubs--;
	sub_clear(s);
	pthread_mutex_unlock(&h->lock);
	free(s->prefix);
	free(s);
}
