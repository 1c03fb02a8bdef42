/* server.c - the only file that knows libmicrohttpd.  It starts the daemon
 * (a thread pool on epoll, bound to --listen), turns each connection's
 * request into a struct http_conn, accumulates the body under its cap,
 * hands the request to the pipeline (dispatch.c) and sends what comes
 * back, parking event streams (resp_stream) without a thread while they
 * have nothing to send, and requests whose handler answers later
 * (resp_later) until req_resume(); it writes the access log, and on SIGTERM or SIGINT stops accepting,
 * lets requests in flight finish and returns.  It must not make decisions
 * about requests beyond the sizes it accepts: everything else is the
 * pipeline's. */
#include "http_int.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../feat/live/live.h"
#include "../feat/live/live_hub.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

/*
 * libmicrohttpd's per-connection pool: the read buffer (half the pool at
 * first), header records, response headers, write buffer.  It lives as
 * long as the connection, so for a parked event stream it is most of what
 * the stream costs: libmicrohttpd zeroes the unused read buffer when it
 * shrinks it, so about half the pool is resident.  12 KB holds a request
 * with 8 KB of headers (REQ_HEADERS_MAX, answered 431 past it) with room
 * to spare; up to ~11 KB are still read, and a ~12 KB header block makes
 * libmicrohttpd answer 431 (or, just below that, hang up) on its own.
 */
#ifndef CONN_MEMORY
#define CONN_MEMORY	(12u << 10)
#endif
#define CONN_TIMEOUT	60		/* seconds an idle connection is kept */
#define DISCARD_MAX	(64u << 20)	/* body bytes read and dropped after a 413 before hanging up */
#define DRAIN_MS	10000		/* how long shutdown waits for requests in flight */

/* libmicrohttpd's per-request state: the pipeline's view plus what only
 * the adapter needs. */
struct srv_req {
	struct http_conn c;
	struct buf	 body;		/* capped at http_body_cap() */
	int		 called;	/* the access handler has run once */
	int		 bad_target;	/* not an origin-form request target */
	int		 toobig;	/* the body passed its cap: dropping the rest */
	int		 headers_lost;	/* the arena could not hold the headers */
	int		 streaming;	/* answered with an event stream */
	size_t		 discarded;
	struct MHD_Connection *mhd;	/* for parking an event stream */
	char		*log_method, *log_path;	/* a stream's, once its arena is gone */
	char		 addr[INET6_ADDRSTRLEN];
};

static atomic_int	in_flight;
static pthread_mutex_t	later_lock = PTHREAD_MUTEX_INITIALIZER;	/* every http_conn's later_state */
static atomic_int	starting;	/* libmicrohttpd's messages matter more then */

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing libmicrohttpd tells us
 * about a request, with the request target exactly as sent.  What this
 * returns is the request's state from then on; the completed callback
 * frees it even if the access handler never runs. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct app	*app = cls;
	struct srv_req	*r = xcalloc(1, sizeof(*r));
	char		*q;

	(void)conn;
	atomic_fetch_add(&in_flight, 1);
	r->bad_target = http_conn_init(&r->c, app, uri) < 0;
	buf_init(&r->body, 1);
	/*
	 * The pipeline parses the query from its own copy, under its own
	 * limits.  Left alone, libmicrohttpd would split it too, into records
	 * in the connection's pool, and a target of ~1000 short fields runs
	 * that pool dry and leaves the request unanswered.  The target sits in
	 * the connection's read buffer, which libmicrohttpd itself cuts at the
	 * '?' right after this returns; ending the string just past the '?'
	 * leaves it no arguments to split.
	 */
	if ((q = strchr(uri, '?')) != NULL)
		q[1] = '\0';
	return r;
}

/* MHD_OPTION_UNESCAPE_CALLBACK: leave everything as sent.  The pipeline
 * decodes the path itself, segment by segment, so "%2F" stays inside one
 * segment. */
static size_t
no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

/* Write one access-log line for a finished request. */
static void
access_log(struct srv_req *r)
{
	struct http_conn	*c = &r->c;
	char			 when[32];
	struct buf		 path;
	const char		*p;
	size_t			 bytes = strcmp(c->req.method, "HEAD") == 0 ? 0 : c->out_len;

	if (r->streaming)
		bytes = (size_t)live_sub_sent(c->stream);

	buf_init(&path, 2048);
	for (p = c->raw_path; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
			buf_addf(&path, "\\x%02x", ch);
		else
			buf_addc(&path, (char)ch);
	}
	if (path.toobig)
		buf_adds(&path, "...");
	time_iso8601(now_unix(), when, sizeof(when));
	fprintf(stderr, "%s %s %s \"%s\" %d %zu %lldms\n", when, r->addr,
		c->req.method, path.data, c->status, bytes,
		(long long)(now_ms() - c->start_ms));
	buf_release(&path);
}

/* MHD_OPTION_NOTIFY_COMPLETED: the response has gone (or the connection
 * broke); free everything the request had. */
static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode why)
{
	struct app	*app = cls;
	struct srv_req	*r = *con_cls;

	(void)conn;
	if (!r)
		return;
	if (app->cfg->access_log && r->called) {
		if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->c.status)
			r->c.status = 499;	/* the client went away first */
		access_log(r);
	}
	buf_release(&r->body);
	live_sub_free(r->c.stream);	/* unsubscribes: no wake-up can reach r after this */
	r->c.stream = NULL;
	free(r->log_method);
	free(r->log_path);
	http_conn_release(&r->c);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* MHD_get_connection_values callback: copy one request header. */
static enum MHD_Result
add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct srv_req *r = cls;

	(void)kind;
	if (http_conn_add_header(&r->c, key, value) < 0) {
		r->headers_lost = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* An event stream has nothing to send: park the connection (hub lock
 * held, see live_sub_read).  Suspending from the content reader is what
 * libmicrohttpd allows; a parked connection costs no thread and no
 * polling. */
static void
stream_park(void *arg)
{
	struct srv_req *r = arg;

	MHD_suspend_connection(r->mhd);
}

/* A parked stream has something only libmicrohttpd can send, or must end
 * (hub lock held, any thread): resuming is thread-safe and goes through
 * the daemon's ITC. */
static void
stream_wake(void *arg)
{
	struct srv_req *r = arg;

	MHD_resume_connection(r->mhd);
}

/* MHD_ContentReaderCallback of an event stream: what the subscriber has
 * waiting, or park; end of stream when the hub cut it or stopped. */
static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct srv_req	*r = cls;
	long		 n;

	(void)pos;
	n = live_sub_read(r->c.stream, buf, max, stream_park, r);
	if (n < 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return (ssize_t)n;
}

/* Let the hub write to a parked stream's socket itself: libmicrohttpd
 * calls the content reader only once everything before has gone out, and
 * leaves a suspended connection's socket alone, so while the stream is
 * parked the bytes the hub writes follow the ones libmicrohttpd sent.
 * Small events are not to wait for an acknowledgement (Nagle). */
static void
stream_socket(struct MHD_Connection *conn, struct live_sub *s)
{
	const union MHD_ConnectionInfo	*ci;
	int				 one = 1;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci || ci->connect_fd == MHD_INVALID_SOCKET)
		return;
	(void)setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	live_sub_set_socket(s, ci->connect_fd);
}

/* Send what the pipeline left in r->c. */
static enum MHD_Result
send_response(struct MHD_Connection *conn, struct srv_req *r)
{
	struct http_conn		*c = &r->c;
	struct MHD_Response		*mr;
	const struct resp_header	*h;
	enum MHD_Result			 ret;
	int				 streaming = c->stream && c->status == HTTP_OK &&
		strcmp(c->req.method, "GET") == 0;

	if (streaming) {
		live_sub_set_wake(c->stream, stream_wake, r);
		stream_socket(conn, c->stream);
		r->streaming = 1;
		mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stream_read, r, NULL);
		/* not chunked (the stream ends when the connection closes), so
		 * that the hub may write events to the socket as they are */
		if (mr)
			MHD_set_response_options(mr, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT, MHD_RO_END);
	} else {
		mr = MHD_create_response_from_buffer(c->out_len, (void *)(uintptr_t)c->out,
						     MHD_RESPMEM_PERSISTENT);
	}
	if (!mr) {
		error("cannot create a response");
		return MHD_NO;
	}
	for (h = c->resp.headers; h; h = h->next)
		if (MHD_add_response_header(mr, h->name, h->value) != MHD_YES)
			error("cannot add response header '%s'", h->name);
	ret = MHD_queue_response(conn, (unsigned)c->status, mr);
	MHD_destroy_response(mr);
	if (streaming) {
		/* a stream lives on for hours: keep only what the access log
		 * needs and give the request's memory back now */
		r->log_method = xstrdup(c->req.method);
		r->log_path = xstrdup(c->raw_path);
		c->req.method = r->log_method;
		c->raw_path = r->log_path;
		http_conn_release(c);
	}
	return ret;
}

/* Answer r at once with an error (before the pipeline runs). */
static enum MHD_Result
answer_error(struct MHD_Connection *conn, struct srv_req *r, int status, const char *msg)
{
	http_answer_error(&r->c, status, msg);
	return send_response(conn, r);
}

/* The client's address as text into r->addr. */
static void
remote_addr(struct MHD_Connection *conn, struct srv_req *r)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	snprintf(r->addr, sizeof(r->addr), "-");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !(sa = ci->client_addr))
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  r->addr, sizeof(r->addr));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  r->addr, sizeof(r->addr));
}

/* The first call for a request: headers are in.  Returns MHD_YES to go on
 * (the answer comes on a later call, which keeps the connection alive),
 * or whatever queueing an early error gave. */
static enum MHD_Result
first_call(struct MHD_Connection *conn, struct srv_req *r, const char *method)
{
	struct app	*app = r->c.req.app;
	const struct kv	*h;
	size_t		 total = 0, nheaders = 0, cap;
	const char	*cl;

	r->called = 1;
	r->mhd = conn;
	remote_addr(conn, r);
	r->c.req.remote_addr = r->addr;
	http_conn_set_method(&r->c, method);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, r);
	if (r->headers_lost)
		return answer_error(conn, r, 431, "the request headers are too large");
	for (h = r->c.headers; h; h = h->next) {
		total += strlen(h->name) + h->len + 4;
		nheaders++;
	}
	if (total > REQ_HEADERS_MAX || nheaders > REQ_NHEADERS_MAX)
		return answer_error(conn, r, 431, "the request headers are too large");
	if (r->bad_target)
		return answer_error(conn, r, HTTP_BAD_REQUEST, "the request is malformed");
	cap = http_body_cap(app, req_header(&r->c.req, "Content-Type"));
	cl = req_header(&r->c.req, "Content-Length");
	if (cl) {
		int64_t n;

		if (str_to_i64(cl, strlen(cl), &n) < 0 || n < 0)
			return answer_error(conn, r, HTTP_BAD_REQUEST, "the request is malformed");
		if ((uint64_t)n > cap) {
			const char *expect = req_header(&r->c.req, "Expect");

			/* A client waiting for "100 Continue" sends nothing
			 * more, and one announcing an absurd body is not
			 * worth reading: answer now.  Any other is most likely
			 * sending already, and answering before its body is
			 * read would have the connection reset under the
			 * answer: read and drop the body, then say 413. */
			if ((uint64_t)n > DISCARD_MAX || (expect && str_case_eq(expect, "100-continue")))
				return answer_error(conn, r, HTTP_TOO_LARGE,
						    "the request is larger than this site accepts");
			r->toobig = 1;
		}
	}
	buf_init(&r->body, cap);
	return MHD_YES;
}

/* The handler answers later (resp_later): park the connection until
 * req_resume(), unless that already happened.  Returns 1 when the answer
 * can be made now.  Parking from the access handler is what
 * libmicrohttpd allows; it calls the access handler again once resumed. */
static int
answer_later(struct MHD_Connection *conn, struct srv_req *r)
{
	int done;

	pthread_mutex_lock(&later_lock);
	done = r->c.later_state == LATER_DONE;
	if (!done) {
		r->c.later_state = LATER_PARKED;
		MHD_suspend_connection(conn);
	}
	pthread_mutex_unlock(&later_lock);
	return done;
}

void
req_resume(struct req *req)
{
	struct srv_req	*r = (struct srv_req *)(void *)req->conn;	/* c is its first member */
	int		 parked;

	pthread_mutex_lock(&later_lock);
	parked = r->c.later_state == LATER_PARKED;
	r->c.later_state = LATER_DONE;
	if (parked)
		MHD_resume_connection(r->mhd);	/* thread-safe: through the daemon's ITC */
	pthread_mutex_unlock(&later_lock);
}

/* The access handler: called once when the headers are in, once per chunk
 * of body, and once more when the request is complete. */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **con_cls)
{
	struct srv_req *r = *con_cls;

	(void)cls;
	(void)url;
	(void)version;
	if (!r)
		return MHD_NO;	/* cannot happen: on_uri always runs first */
	if (!r->called)
		return first_call(conn, r, method);
	if (*upload_data_size) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (r->toobig) {
			/* libmicrohttpd cannot answer in the middle of a
			 * body: drop it, answer at the end, hang up if the
			 * client keeps sending */
			r->discarded += n;
			return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
		}
		if (n > r->body.max - r->body.len) {
			r->toobig = 1;
			r->discarded = n;
			buf_release(&r->body);
			return MHD_YES;
		}
		buf_add(&r->body, upload_data, n);
		return MHD_YES;
	}
	if (r->c.later) {
		/* resumed: the work the handler handed off is done */
		http_dispatch_later(&r->c);
		return send_response(conn, r);
	}
	if (r->toobig)
		return answer_error(conn, r, HTTP_TOO_LARGE,
				    "the request is larger than this site accepts");
	r->c.body = r->body.len ? r->body.data : NULL;
	r->c.body_len = r->body.len;
	http_dispatch(&r->c);
	if (r->c.later && !answer_later(conn, r))
		return MHD_YES;	/* parked; req_resume() brings us back here */
	if (r->c.later)
		http_dispatch_later(&r->c);
	return send_response(conn, r);
}

/* libmicrohttpd's own messages go to our log. */
static void mhd_log(void *cls, const char *fmt, va_list ap) ATTR_PRINTF(2, 0);
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_msg(atomic_load(&starting) ? LOG_WARN : LOG_DEBUG, "libmicrohttpd: %s", msg);
}

/* Parse cfg.listen ("HOST:PORT", "[V6]:PORT", ":PORT") into an address.
 * *host is the host part as written (malloc'd, brackets kept for IPv6).
 * Returns 0, or -1 with the reason logged. */
static int
resolve_listen(const char *listen, struct sockaddr_storage *ss, char **host)
{
	struct addrinfo	 hints, *res = NULL;
	const char	*colon, *h, *port;
	char		*hostname = NULL;
	int		 rc;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			return error("cannot parse --listen '%s': want [ADDRESS]:PORT", listen);
		hostname = xstrndup(listen + 1, (size_t)(close - listen - 1));
		*host = xstrndup(listen, (size_t)(close - listen + 1));
		port = close + 2;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return error("cannot parse --listen '%s': want HOST:PORT", listen);
		hostname = xstrndup(listen, (size_t)(colon - listen));
		*host = xstrdup(*hostname ? hostname : "0.0.0.0");
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    atoi(port) > 65535) {
		free(hostname);
		free(*host);
		*host = NULL;
		return error("cannot parse --listen '%s': bad port", listen);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE | AI_ADDRCONFIG;
	h = *hostname ? hostname : NULL;
	rc = getaddrinfo(h, port, &hints, &res);
	if (rc != 0 && (hints.ai_flags & AI_ADDRCONFIG)) {
		hints.ai_flags &= ~AI_ADDRCONFIG;	/* e.g. only loopback is up */
		rc = getaddrinfo(h, port, &hints, &res);
	}
	free(hostname);
	if (rc != 0 || !res) {
		free(*host);
		*host = NULL;
		return error("cannot resolve --listen '%s': %s", listen, gai_strerror(rc));
	}
	/* prefer IPv4 for names such as "localhost" */
	{
		struct addrinfo *ai, *pick = res;

		for (ai = res; ai; ai = ai->ai_next)
			if (ai->ai_family == AF_INET) {
				pick = ai;
				break;
			}
		memcpy(ss, pick->ai_addr, pick->ai_addrlen);
	}
	freeaddrinfo(res);
	return 0;
}

/* How many connections to accept: event streams stay open, so the
 * library's default (about a thousand) is far too low; take what the
 * open-files limit allows, less a margin for the database and logs. */
static unsigned
connection_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1000;
	return rl.rlim_cur > 1000 ? (unsigned)(rl.rlim_cur - 100) : 900;
}

/* Start the daemon on addr with the flags that suit it. */
static struct MHD_Daemon *
start_daemon(struct app *app, const struct sockaddr_storage *ss, unsigned extra)
{
	const struct sockaddr	*sa = (const struct sockaddr *)ss;
	uint16_t		 port = sa->sa_family == AF_INET6 ?
		ntohs(((const struct sockaddr_in6 *)(const void *)ss)->sin6_port) :
		ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
	unsigned		 flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | extra;

	if (sa->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, port, NULL, NULL, on_request, app,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg->threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
		MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, app,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		MHD_OPTION_END);
}

int
http_serve(struct app *app)
{
	struct sockaddr_storage		 ss;
	char				*host = NULL;
	struct MHD_Daemon		*d = NULL;
	const union MHD_DaemonInfo	*info;
	sigset_t			 set, old;
	MHD_socket			 lsock;
	int				 sig = 0, rc = -1;
	int64_t				 deadline;

	if (sodium_init() < 0)
		return error("cannot start libsodium");
	if (!app->cfg || !app->cfg->listen)
		return error("nothing to listen on");
	memset(&ss, 0, sizeof(ss));
	if (resolve_listen(app->cfg->listen, &ss, &host) < 0)
		return -1;
	static_init();
	if (!app->live)
		app->live = live_hub_new(app, live_flush);

	/* Block the signals before the daemon's threads exist, so they
	 * inherit the mask and only sigwait() below sees them. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);

	atomic_store(&starting, 1);
	d = start_daemon(app, &ss, MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ?
			 MHD_USE_EPOLL : MHD_USE_AUTO);
	atomic_store(&starting, 0);
	if (!d) {
		error("cannot listen on '%s'", app->cfg->listen);
		goto out;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u\n", host, info ? (unsigned)info->port : 0u);
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		;
	log_info("%s: stopping; waiting for requests in flight",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT");
	lsock = MHD_quiesce_daemon(d);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	live_hub_stop(app->live);	/* every event stream ends; parked ones are woken */
	deadline = now_ms() + DRAIN_MS;
	while (atomic_load(&in_flight) > 0 && now_ms() < deadline) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	if (atomic_load(&in_flight) > 0)
		log_warn("%d requests still in flight after %d ms; closing them",
			 atomic_load(&in_flight), DRAIN_MS);
	rc = 0;
out:
	live_hub_stop(app->live);
	if (d)
		MHD_stop_daemon(d);
	live_votes_stop();	/* writes what is queued; it marks tallies on the hub */
	live_hub_free(app->live);
	app->live = NULL;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(host);
	return rc;
}
