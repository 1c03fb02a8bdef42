/* t_sse.c - unit tests for the Server-Sent-Event machinery without a
 * server: Last-Event-ID parsing and event framing (src/http/sse.c), and
 * the live hub (src/feat/live/live_hub.c): topics, one shared message per
 * publish, queues, parking and waking, the replay prefix and duplicate
 * skipping, cutting a subscriber that lags, coalescing of dirty keys,
 * stopping, and writing to a parked subscriber's socket directly (over a
 * socket pair: the bytes arrive without a wake-up; a full socket or a
 * closed peer hands the stream back to the adapter; a stream freed while
 * a sender writes to it is waited for). */
#include "../../src/core/buf.h"
#include "../../src/feat/live/live_hub.h"
#include "../../src/http/sse.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

static void
last_event_id_accepts_digits_only(void **state)
{
	int64_t id;

	(void)state;
	assert_int_equal(sse_last_event_id("42", &id), 0);
	assert_int_equal(id, 42);
	assert_int_equal(sse_last_event_id(" 7 ", &id), 0);
	assert_int_equal(id, 7);
	assert_int_equal(sse_last_event_id("999999999999999999", &id), 0);
	assert_int_equal(id, 999999999999999999LL);
	assert_int_equal(sse_last_event_id("9999999999999999999", &id), -1);
	assert_int_equal(id, 0);
	assert_int_equal(sse_last_event_id("", &id), -1);
	assert_int_equal(sse_last_event_id(NULL, &id), -1);
	assert_int_equal(sse_last_event_id("-1", &id), -1);
	assert_int_equal(sse_last_event_id("12a", &id), -1);
	assert_int_equal(sse_last_event_id("1 2", &id), -1);
	assert_int_equal(sse_last_event_id("0x10", &id), -1);
}

static void
frame_splits_lines_into_data_fields(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	sse_frame(&b, 5, "question", "{\"a\":1}", 7);
	assert_string_equal(b.data, "id: 5\nevent: question\ndata: {\"a\":1}\n\n");
	buf_reset(&b);
	sse_frame(&b, 0, "", "one\ntwo\r\nthree\rfour", 19);
	assert_string_equal(b.data, "data: one\ndata: two\ndata: three\ndata: four\n\n");
	buf_reset(&b);
	sse_frame(&b, 0, "tally", "", 0);
	assert_string_equal(b.data, "event: tally\ndata: \n\n");
	buf_release(&b);
}

/* Read everything waiting for s into a NUL-terminated string. */
static long
drain(struct live_sub *s, char *out, size_t n)
{
	long got = 0, k = 0;

	while ((size_t)got < n - 1 && (k = live_sub_read(s, out + got, n - 1 - (size_t)got, NULL, NULL)) > 0)
		got += k;
	out[got] = '\0';
	return k < 0 && got == 0 ? -1 : got;
}

static atomic_int wakes;	/* counted by the senders' threads too */

static void
count_wake(void *arg)
{
	(void)arg;
	wakes++;
}

static void
publish_reaches_only_the_topics_subscribed(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*room = live_sub_new(h, "room:1", NULL);
	struct live_sub	*mod = live_sub_new(h, "mod:1", "room:1");
	struct live_sub	*other = live_sub_new(h, "room:2", NULL);
	char		 out[512];

	(void)state;
	assert_int_equal(live_hub_count(h), 3);
	live_publish(h, "room:1", 9, "question", "{\"id\":1}", 8);
	live_publish(h, "mod:1", 10, "question", "{\"id\":2}", 8);
	drain(room, out, sizeof(out));
	assert_string_equal(out, "id: 9\nevent: question\ndata: {\"id\":1}\n\n");
	drain(mod, out, sizeof(out));
	assert_string_equal(out, "id: 9\nevent: question\ndata: {\"id\":1}\n\n"
			    "id: 10\nevent: question\ndata: {\"id\":2}\n\n");
	assert_int_equal(drain(other, out, sizeof(out)), 0);
	live_sub_free(room);
	live_sub_free(mod);
	live_sub_free(other);
	assert_int_equal(live_hub_count(h), 0);
	live_hub_free(h);
}

static void
read_parks_when_empty_and_publish_wakes_once(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s = live_sub_new(h, "room:1", NULL);
	char		 out[256];

	(void)state;
	wakes = 0;
	live_sub_set_wake(s, count_wake, NULL);
	live_publish(h, "room:1", 1, "poll", "{}", 2);
	assert_int_equal(wakes, 0);	/* not parked: nobody to wake */
	assert_true(live_sub_read(s, out, sizeof(out), NULL, NULL) > 0);
	assert_int_equal(live_sub_read(s, out, sizeof(out), NULL, NULL), 0);	/* parks */
	live_publish(h, "room:1", 2, "poll", "{}", 2);
	live_publish(h, "room:1", 3, "poll", "{}", 2);
	assert_int_equal(wakes, 1);
	drain(s, out, sizeof(out));
	assert_string_equal(out, "id: 2\nevent: poll\ndata: {}\n\nid: 3\nevent: poll\ndata: {}\n\n");
	live_sub_free(s);
	live_hub_free(h);
}

static void
reads_in_small_pieces_keep_the_bytes_in_order(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s = live_sub_new(h, "room:1", NULL);
	char		 out[256];
	long		 got = 0, k;

	(void)state;
	live_sub_prefix(s, "retry: 2000\n\n", 13, 0);
	live_publish(h, "room:1", 4, "tally", "{\"n\":1}", 7);
	while ((k = live_sub_read(s, out + got, 3, NULL, NULL)) > 0)
		got += k;
	out[got] = '\0';
	assert_string_equal(out, "retry: 2000\n\nid: 4\nevent: tally\ndata: {\"n\":1}\n\n");
	live_sub_free(s);
	live_hub_free(h);
}

static void
replayed_ids_are_not_sent_twice(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s = live_sub_new(h, "room:1", NULL);
	char		 out[512];

	(void)state;
	/* published between subscribing and reading the replay */
	live_publish(h, "room:1", 7, "question", "{\"id\":7}", 8);
	live_publish(h, "room:1", 0, "tally", "{}", 2);
	live_sub_prefix(s, "id: 7\nevent: question\ndata: {\"id\":7}\n\n", 38, 7);
	live_publish(h, "room:1", 8, "question", "{\"id\":8}", 8);
	drain(s, out, sizeof(out));
	assert_string_equal(out, "id: 7\nevent: question\ndata: {\"id\":7}\n\n"
			    "event: tally\ndata: {}\n\n"
			    "id: 8\nevent: question\ndata: {\"id\":8}\n\n");
	live_sub_free(s);
	live_hub_free(h);
}

static void
lagging_subscriber_is_cut_others_continue(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*slow = live_sub_new(h, "room:1", NULL);
	struct live_sub	*fast = live_sub_new(h, "room:1", NULL);
	char		 out[4096];
	int		 i;

	(void)state;
	for (i = 1; i <= LIVE_SUB_QUEUE + 1; i++) {
		live_publish(h, "room:1", i, "q", "{}", 2);
		drain(fast, out, sizeof(out));
	}
	assert_true(drain(slow, out, sizeof(out)) > 0);	/* what it had queued */
	assert_int_equal(live_sub_read(slow, out, sizeof(out), NULL, NULL), -1);
	live_publish(h, "room:1", 100, "q", "{}", 2);
	assert_true(drain(fast, out, sizeof(out)) > 0);
	live_sub_free(slow);
	live_sub_free(fast);
	live_hub_free(h);
}

static void
freeing_with_queued_messages_releases_them(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*a = live_sub_new(h, "room:1", NULL);
	struct live_sub	*b = live_sub_new(h, "room:1", NULL);
	char		 out[256];

	(void)state;
	live_publish(h, "room:1", 1, "q", "{}", 2);	/* one message, two references */
	live_sub_free(a);				/* drops one */
	drain(b, out, sizeof(out));			/* the other: freed here (ASan checks) */
	assert_string_equal(out, "id: 1\nevent: q\ndata: {}\n\n");
	live_sub_free(b);
	live_hub_free(h);
}

static void
newer_state_replaces_queued_state_of_the_same_object(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s = live_sub_new(h, "room:1", NULL);
	char		 out[512];

	(void)state;
	live_publish(h, "room:1", 0, "tally", "{\"poll\":7,\"total\":1}", 20);
	live_publish(h, "room:1", 0, "tally", "{\"poll\":8,\"total\":5}", 20);
	live_publish(h, "room:1", 3, "question", "{\"id\":3}", 8);
	live_publish(h, "room:1", 0, "tally", "{\"poll\":7,\"total\":2}", 20);
	drain(s, out, sizeof(out));
	assert_string_equal(out, "event: tally\ndata: {\"poll\":7,\"total\":2}\n\n"
			    "event: tally\ndata: {\"poll\":8,\"total\":5}\n\n"
			    "id: 3\nevent: question\ndata: {\"id\":3}\n\n");
	live_sub_free(s);
	live_hub_free(h);
}

static char	flushed[16][LIVE_TOPIC_MAX];
static int	nflushed;

static void
record_flush(struct app *app, const char *key)
{
	(void)app;
	if (nflushed < 16)
		snprintf(flushed[nflushed++], LIVE_TOPIC_MAX, "%s", key);
}

static void
touches_are_coalesced_per_key(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, record_flush);
	int		 i;

	(void)state;
	nflushed = 0;
	for (i = 0; i < 1000; i++) {
		live_touch(h, "poll:1:7");
		live_touch(h, "q:1:3");
	}
	usleep((LIVE_TICK_MS * 3 + LIVE_BUSY_MS) * 1000);	/* quiet for a tick, then rendered */
	live_hub_stop(h);
	assert_int_equal(nflushed, 2);
	assert_string_equal(flushed[0], "poll:1:7");
	assert_string_equal(flushed[1], "q:1:3");
	live_hub_free(h);
}

/* Keys another instance sent are flushed here like local ones, and
 * coalesced with them: one render per key and tick. */
static void
remote_touches_are_flushed_and_coalesced_with_local_ones(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, record_flush);
	int		 i;

	(void)state;
	nflushed = 0;
	for (i = 0; i < 100; i++) {
		live_touch_remote(h, "poll:1:7");
		live_touch(h, "poll:1:7");
		live_touch_remote(h, "q:1:4");
	}
	usleep((LIVE_TICK_MS * 3) * 1000);
	live_hub_stop(h);
	assert_int_equal(nflushed, 2);
	assert_string_equal(flushed[0], "poll:1:7");
	assert_string_equal(flushed[1], "q:1:4");
	live_hub_free(h);
}

/* A keep-alive is a comment line and nothing else: a stray byte after it
 * (its C string's NUL, say) would glue itself to the next line's field
 * name, and a browser would drop the next event's type. */
static void
keepalive_is_a_bare_comment_and_the_next_event_keeps_its_type(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s = live_sub_new(h, "room:1", NULL);
	char		 out[256];
	long		 n;

	(void)state;
	live_keepalive(h);
	live_publish(h, "room:1", 0, "question", "{\"id\":1}", 8);
	n = drain(s, out, sizeof(out));
	assert_int_equal(n, 14 + 32);
	assert_string_equal(out, ": keep-alive\n\nevent: question\ndata: {\"id\":1}\n\n");
	live_sub_free(s);
	live_hub_free(h);
}

static void
stop_ends_every_stream_and_refuses_new_ones(void **state)
{
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s = live_sub_new(h, "room:1", NULL);
	char		 out[64];

	(void)state;
	wakes = 0;
	live_sub_set_wake(s, count_wake, NULL);
	assert_int_equal(live_sub_read(s, out, sizeof(out), NULL, NULL), 0);
	live_hub_stop(h);
	assert_int_equal(wakes, 1);
	assert_int_equal(live_sub_read(s, out, sizeof(out), NULL, NULL), -1);
	assert_null(live_sub_new(h, "room:1", NULL));
	live_sub_free(s);
	live_hub_free(h);
}

/* Read from fd until want bytes came or 2 s passed. */
static size_t
read_for(int fd, char *out, size_t want)
{
	size_t	n = 0;
	ssize_t	k;
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	while (n < want && poll(&pf, 1, 2000) > 0) {
		k = read(fd, out + n, want - n);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	return n;
}

/* Wait up to 2 s for wakes to reach n. */
static void
wait_wakes(int n)
{
	int i;

	for (i = 0; i < 400 && wakes < n; i++)
		usleep(5000);
}

/* A hub with one subscriber to room:1 whose socket is sv[0] of a socket
 * pair (the test reads sv[1]), its wake-ups counted in wakes. */
struct pair {
	struct live_hub	*h;
	struct live_sub	*s;
	int		 sv[2];
};

static void
pair_open(struct pair *p)
{
	p->h = live_hub_new(NULL, NULL);
	p->s = live_sub_new(p->h, "room:1", NULL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p->sv), 0);
	wakes = 0;
	live_sub_set_wake(p->s, count_wake, NULL);
}

static void
pair_close(struct pair *p)
{
	live_sub_free(p->s);
	live_hub_free(p->h);
	close(p->sv[0]);
	if (p->sv[1] >= 0)
		close(p->sv[1]);
}

static void
parked_subscriber_with_a_socket_is_written_to_without_waking(void **state)
{
	static const char want[] = "id: 2\nevent: poll\ndata: {}\n\nevent: tally\ndata: {\"poll\":1}\n\n";
	struct pair	 p;
	char		 out[256];
	int		 i;

	(void)state;
	pair_open(&p);
	live_sub_set_socket(p.s, p.sv[0]);
	live_sub_prefix(p.s, "retry: 1\n\n", 11, 0);
	assert_int_equal(live_sub_read(p.s, out, sizeof(out), NULL, NULL), 11);	/* the adapter sends it */
	assert_int_equal(live_sub_read(p.s, out, sizeof(out), NULL, NULL), 0);	/* parks */
	live_publish(p.h, "room:1", 2, "poll", "{}", 2);
	live_publish(p.h, "room:1", 0, "tally", "{\"poll\":1}", 10);
	assert_int_equal(read_for(p.sv[1], out, sizeof(want) - 1), sizeof(want) - 1);
	out[sizeof(want) - 1] = '\0';
	assert_string_equal(out, want);
	assert_int_equal(wakes, 0);
	for (i = 0; i < 400 && live_sub_sent(p.s) < 11 + sizeof(want) - 1; i++)
		usleep(5000);	/* the sender counts once it has the lock back */
	assert_int_equal(live_sub_sent(p.s), 11 + sizeof(want) - 1);
	/* parked again: the next event goes the same way */
	live_publish(p.h, "room:1", 3, "poll", "{}", 2);
	assert_int_equal(read_for(p.sv[1], out, 27), 27);
	assert_memory_equal(out, "id: 3\nevent: poll\ndata: {}\n\n", 27);
	assert_int_equal(wakes, 0);
	pair_close(&p);
}

static void
full_socket_hands_the_rest_to_the_adapter(void **state)
{
	struct pair	 p;
	char		 data[600], msg[700], got[700], fill[1024];
	size_t		 filled = 0, len, n = 0, k;
	long		 r;
	int		 size = 4096;

	(void)state;
	memset(data, 'x', sizeof(data));
	len = (size_t)snprintf(msg, sizeof(msg), "id: 5\nevent: q\ndata: %.*s\n\n", (int)sizeof(data), data);
	pair_open(&p);
	assert_int_equal(setsockopt(p.sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
	fcntl(p.sv[0], F_SETFL, O_NONBLOCK);
	memset(fill, '.', sizeof(fill));
	for (;;) {		/* until not one more byte fits */
		ssize_t w = write(p.sv[0], fill, filled % 2 ? 1 : sizeof(fill));

		if (w < 0)
			break;
		filled += (size_t)w;
	}
	assert_int_equal(errno, EAGAIN);
	live_sub_set_socket(p.s, p.sv[0]);
	assert_int_equal(live_sub_read(p.s, got, sizeof(got), NULL, NULL), 0);	/* parks */
	live_publish(p.h, "room:1", 5, "q", data, sizeof(data));
	wait_wakes(1);
	assert_int_equal(wakes, 1);
	/* what the socket took, after the filler, then what the adapter reads */
	while (filled > 0 && (k = read_for(p.sv[1], fill, filled > sizeof(fill) ? sizeof(fill) : filled)) > 0)
		filled -= k;
	assert_int_equal(filled, 0);
	fcntl(p.sv[1], F_SETFL, O_NONBLOCK);
	while ((r = read(p.sv[1], got + n, sizeof(got) - n)) > 0)
		n += (size_t)r;
	while (n < len && (r = live_sub_read(p.s, got + n, 100, NULL, NULL)) > 0)
		n += (size_t)r;
	assert_int_equal(n, len);
	assert_memory_equal(got, msg, len);
	pair_close(&p);
}

static void
closed_peer_ends_the_stream(void **state)
{
	struct pair	 p;
	char		 out[64];

	(void)state;
	pair_open(&p);
	close(p.sv[1]);
	p.sv[1] = -1;
	live_sub_set_socket(p.s, p.sv[0]);
	assert_int_equal(live_sub_read(p.s, out, sizeof(out), NULL, NULL), 0);
	live_publish(p.h, "room:1", 1, "q", "{}", 2);	/* EPIPE, no SIGPIPE */
	wait_wakes(1);
	assert_int_equal(wakes, 1);
	assert_int_equal(live_sub_read(p.s, out, sizeof(out), NULL, NULL), -1);
	pair_close(&p);
}

/* Streams end while the senders write to them (a client leaving in the
 * middle of a tally): freeing one waits for a send in progress and takes
 * it off the senders' list if it was not reached yet.  Under the
 * sanitizers, freeing a stream a sender still holds is a use after free. */
static void
freeing_streams_while_senders_write_to_them_is_safe(void **state)
{
	enum { NSUB = 64, ROUNDS = 20 };
	struct live_hub	*h = live_hub_new(NULL, NULL);
	struct live_sub	*s[NSUB];
	int		 sv[NSUB][2], r, i;
	char		 out[4096];

	(void)state;
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < NSUB; i++) {
			s[i] = live_sub_new(h, "room:1", NULL);
			assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]), 0);
			live_sub_set_wake(s[i], count_wake, NULL);
			live_sub_set_socket(s[i], sv[i][0]);
			assert_int_equal(live_sub_read(s[i], out, sizeof(out), NULL, NULL), 0);
		}
		live_publish(h, "room:1", 0, "tally", "{\"poll\":1,\"n\":1}", 16);
		live_publish(h, "room:1", r + 1, "q", "{}", 2);
		for (i = NSUB - 1; i >= 0; i--) {	/* the last listed first */
			live_sub_free(s[i]);
			close(sv[i][0]);
			close(sv[i][1]);
		}
	}
	assert_int_equal(live_hub_count(h), 0);
	live_hub_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(last_event_id_accepts_digits_only),
		cmocka_unit_test(frame_splits_lines_into_data_fields),
		cmocka_unit_test(publish_reaches_only_the_topics_subscribed),
		cmocka_unit_test(read_parks_when_empty_and_publish_wakes_once),
		cmocka_unit_test(reads_in_small_pieces_keep_the_bytes_in_order),
		cmocka_unit_test(replayed_ids_are_not_sent_twice),
		cmocka_unit_test(lagging_subscriber_is_cut_others_continue),
		cmocka_unit_test(freeing_with_queued_messages_releases_them),
		cmocka_unit_test(newer_state_replaces_queued_state_of_the_same_object),
		cmocka_unit_test(touches_are_coalesced_per_key),
		cmocka_unit_test(remote_touches_are_flushed_and_coalesced_with_local_ones),
		cmocka_unit_test(keepalive_is_a_bare_comment_and_the_next_event_keeps_its_type),
		cmocka_unit_test(stop_ends_every_stream_and_refuses_new_ones),
		cmocka_unit_test(parked_subscriber_with_a_socket_is_written_to_without_waking),
		cmocka_unit_test(full_socket_hands_the_rest_to_the_adapter),
		cmocka_unit_test(closed_peer_ends_the_stream),
		cmocka_unit_test(freeing_streams_while_senders_write_to_them_is_safe),
	};

	return cmocka_run_group_tests_name("sse and live hub", tests, NULL, NULL);
}
