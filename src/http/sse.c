/* sse.c - the Server-Sent-Event format (sse.h) and resp_stream(), which
 * marks a response as a stream for the adapter.  It must not touch the
 * HTTP library (server.c parks and wakes the connection) nor the hub's
 * internals (live_hub.h is the interface). */
#include "sse.h"
#include "http_int.h"

int
sse_last_event_id(const char *s, int64_t *id)
{
	int64_t	 v = 0;
	int	 digits = 0;

	*id = 0;
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	while (*s >= '0' && *s <= '9') {
		if (++digits > 18)
			return -1;
		v = v * 10 + (*s - '0');
		s++;
	}
	while (*s == ' ')
		s++;
	if (!digits || *s)
		return -1;
	*id = v;
	return 0;
}

void
sse_frame(struct buf *b, int64_t id, const char *event, const char *data, size_t n)
{
	size_t i = 0, start;

	if (strpbrk(event, "\r\n"))
		BUG("an event name with a line break");
	if (id > 0)
		buf_addf(b, "id: %" PRId64 "\n", id);
	if (*event)
		buf_addf(b, "event: %s\n", event);
	do {
		start = i;
		while (i < n && data[i] != '\r' && data[i] != '\n')
			i++;
		buf_adds(b, "data: ");
		buf_add(b, data + start, i - start);
		buf_addc(b, '\n');
		if (i < n && data[i] == '\r' && i + 1 < n && data[i + 1] == '\n')
			i++;
		if (i < n)
			i++;
	} while (i < n);
	buf_addc(b, '\n');
}

enum http_status
resp_stream(struct req *req, struct resp *resp, struct live_sub *sub)
{
	struct http_conn *c = req->conn;

	c->stream = sub;
	resp->content_type = "text/event-stream";
	resp->cache = "no-store";
	resp->no_gzip = 1;
	resp_header(resp, "X-Accel-Buffering", "no");
	return HTTP_OK;
}
