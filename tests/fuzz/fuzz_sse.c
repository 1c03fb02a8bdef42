/* fuzz_sse.c - libFuzzer driver for the Server-Sent-Event wire format
 * (src/http/sse.h): the Last-Event-ID reader, and the framer that writes
 * what subscribers of the live room receive.  The input is both the header
 * value and the data of one event (both cut at a NUL).  Checked: an accepted id
 * is positive-or-zero and made of the header's digits; a framed event is
 * only "id:", "event:" and "data:" lines ended by one blank line, so no
 * data can forge a field or a second event. */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/http/sse.h"

#include <string.h>

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new(FUZZ_ARENA);
	char		*s = arena_strndup(a, (const char *)data, size);
	struct buf	 b;
	int64_t		 id = -1;
	const char	*p, *nl;
	size_t		 lines = 0, blank = 0;

	CHECK(s);
	if (sse_last_event_id(s, &id) == 0)
		CHECK(id >= 0 && strpbrk(s, "0123456789"));
	else
		CHECK(id == 0);

	buf_init(&b, 16u << 20);
	sse_frame(&b, 7, "vote", s, strlen(s));	/* data never holds a NUL */
	CHECK(!b.toobig);
	for (p = b.data; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		CHECK(nl);	/* every line ended */
		CHECK(!memchr(p, '\r', (size_t)(nl - p)));
		if (nl == p) {
			blank++;
			CHECK(nl[1] == '\0');	/* the blank line ends the event */
		} else {
			CHECK(!strncmp(p, "id: ", 4) || !strncmp(p, "event: ", 7) ||
			      !strncmp(p, "data: ", 6));
		}
		lines++;
	}
	CHECK(blank == 1 && lines >= 3);
	buf_release(&b);
	arena_free(a);
	return 0;
}
