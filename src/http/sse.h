/* sse.h - Server-Sent-Event wire format: framing an event and reading a
 * Last-Event-ID header.  Pure functions, unit-tested (tests/unit/t_sse.c);
 * the parking of streams lives in server.c, the topics in
 * feat/live/live_hub.h.  resp_stream() (http.h) is implemented in sse.c. */
#ifndef COLEAD_HTTP_SSE_H
#define COLEAD_HTTP_SSE_H

#include "../core/core.h"
#include "../core/buf.h"

/* Parse a Last-Event-ID value: 1 to 18 ASCII digits, optionally
 * surrounded by spaces.  0 with *id set; -1 (and *id = 0) for anything
 * else, which means "start from now". */
int	sse_last_event_id(const char *s, int64_t *id);

/* Append one event: "id: ID" (when id > 0), "event: EVENT" (when event is
 * non-empty), one "data: " line per line of data (CR, LF and CRLF all end
 * a line), then a blank line.  event must not contain CR or LF (BUG). */
void	sse_frame(struct buf *b, int64_t id, const char *event, const char *data, size_t n);

#endif
