/* live_hub.h - the live hub: topics ("room:42", "mod:42") fanned out to
 * Server-Sent-Event subscribers.  A message is framed once, refcounted, and
 * shared by every subscriber that queues it; each subscriber is one small
 * allocation with a short queue of message references.  Publishers call it only
 * after COMMIT.  Changes that come in bursts (tallies, upvote counts) are
 * not published one by one: live_touch() marks a key dirty and the hub's
 * own thread renders it once it has been quiet for a tick (so the last
 * change goes out at once), and while touches keep coming at most every
 * LIVE_BUSY_MS, or less often with many streams, where each render costs
 * a write to every one of them (LIVE_BUSY_US_PER_SUB).  With PostgreSQL the hub also
 * starts live_share.c, which brings other instances' changes in and tells
 * them about this one's touched keys.  The hub knows no
 * HTTP: the adapter reads a subscriber's bytes with live_sub_read() and
 * parks the connection when it returns 0; while it is parked the hub
 * writes new events to its socket itself, and wakes the adapter through
 * the callback it registered only when the socket is full or the stream
 * ends. */
#ifndef COLEAD_LIVE_HUB_H
#define COLEAD_LIVE_HUB_H

#include "../../core/core.h"
#include "../../app.h"

#define LIVE_TICK_MS		25	/* how often dirty keys are looked at */
#define LIVE_BUSY_MS		125	/* a key touched without pause: rendered this often, */
#define LIVE_BUSY_US_PER_SUB	100	/* or every this much per stream, if longer (10,000: 1 s) */
#define LIVE_SENDERS		2	/* threads writing to parked streams' sockets */
#define LIVE_KEEPALIVE_S	15	/* a comment to every stream this often */
#define LIVE_SUB_QUEUE		64	/* messages a slow subscriber may lag behind; past it, cut */
#define LIVE_SUB_TOPICS		2
#define LIVE_TOPIC_MAX		48
#define LIVE_SUB_PREFIX_MAX	(8u << 10)	/* replay text a subscriber may hold */
#define LIVE_DIRTY_MAX		4096	/* distinct dirty keys per tick; past it, the oldest wait */

struct live_hub;
struct live_sub;

/* Renders one dirty key (e.g. "poll:7") and publishes what it gives;
 * called on the hub's thread, never under the hub's lock. */
typedef void (*live_flush_fn)(struct app *app, const char *key);

/* Start a hub and its thread (keep-alives, coalescing) and, when app's
 * database is PostgreSQL, the listener for other instances' changes
 * (live_share.h).  flush may be NULL (nothing is ever dirty then); app
 * may be NULL (tests: nothing is shared). */
struct live_hub	*live_hub_new(struct app *app, live_flush_fn flush);
/* End every stream (each reads end-of-stream next), refuse new ones, stop
 * the threads (the listener within LIVE_SHARE_WAIT_MS).  Safe to call
 * twice.  Subscribers are still freed by their owners with
 * live_sub_free(). */
void		 live_hub_stop(struct live_hub *h);
/* Stop and free the hub.  If a subscriber is still alive (a stream that
 * outlived the server's drain) the hub is left allocated for it, with a
 * warning.  NULL is fine. */
void		 live_hub_free(struct live_hub *h);

/* Queue one event for every subscriber of topic (NULL: every stream, as
 * for a "reload"): framed as
 * "id: ID\nevent: EVENT\ndata: DATA\n\n" (no id line when id is 0).  data
 * must be one line (JSON from buf_add_json_str is).  An event without an
 * id is state (a tally): one still queued for a subscriber with the same
 * topic, event and first JSON member ({"poll":7) is replaced, not
 * followed.  A subscriber whose queue is
 * full is cut (it reconnects with Last-Event-ID).  NULL h is a
 * no-op, so code paths without a server (CLI, tests) may call it. */
void		 live_publish(struct live_hub *h, const char *topic, int64_t id,
			const char *event, const char *data, size_t n);
/* Send every stream a comment line now (the hub's thread does it every
 * LIVE_KEEPALIVE_S): it keeps proxies from timing the stream out, and a
 * write to a client that went away is how its stream is noticed.  NULL
 * is fine. */
void		 live_keepalive(struct live_hub *h);
/* Mark key dirty: the flush function runs for it on the next tick.  Call
 * it only after the change committed.  live_touch is for changes made
 * here: on the next tick the key is also sent to the other instances.
 * live_touch_remote is for a key another instance sent: flushed here, not
 * sent back. */
void		 live_touch(struct live_hub *h, const char *key);
void		 live_touch_remote(struct live_hub *h, const char *key);
/* How many subscribers are connected (for tests and the bench). */
size_t		 live_hub_count(struct live_hub *h);

/* A new subscriber to up to LIVE_SUB_TOPICS topics (NULL ends the list
 * early).  NULL if the hub is stopping.  Its memory (one allocation, and
 * the replay text until it has been sent) is freed by live_sub_free. */
struct live_sub	*live_sub_new(struct live_hub *h, const char *topic1, const char *topic2);
/* Bytes to send before anything queued (the replay); copied, and freed
 * once sent.  Queued events with a non-zero id <= skip_id are dropped as
 * already replayed.  -1 if longer than LIVE_SUB_PREFIX_MAX. */
int		 live_sub_prefix(struct live_sub *s, const char *p, size_t n, int64_t skip_id);
/* The adapter's wake-up, called under the hub's lock once per parking
 * when the subscriber has something the adapter must send (an event,
 * with no socket to write it to directly; what a direct write left over)
 * or must end (cut, the client gone, the hub stopping).  The connection,
 * being suspended, cannot end before it is woken.  It must not call back
 * into the hub. */
void		 live_sub_set_wake(struct live_sub *s, void (*wake)(void *), void *arg);
/* The socket the subscriber's bytes go to, exactly as live_sub_read gives
 * them (so the response must be neither chunked nor compressed).  While
 * the subscriber is parked, a publisher writes new events to it directly
 * without blocking, and wakes the adapter only for what the socket could
 * not take.  Without it (or with -1) every event is a wake-up. */
void		 live_sub_set_socket(struct live_sub *s, int fd);
/* Copy up to max waiting bytes into dst.  Returns n > 0; 0 if nothing
 * waits, in which case park(arg) has been called under the hub's lock (so
 * no wake-up can slip between the check and the parking); -1 when the
 * stream is over (cut, or the hub stopped). */
long		 live_sub_read(struct live_sub *s, char *dst, size_t max,
			void (*park)(void *), void *arg);
/* How many bytes have gone out (read by the adapter or written to the
 * socket), for the access log. */
uint64_t	 live_sub_sent(struct live_sub *s);
/* Unsubscribe, drop queued references, free it.  NULL is fine. */
void		 live_sub_free(struct live_sub *s);

#endif
