/* fuzz_multipart.c - libFuzzer driver for the multipart/form-data body
 * parser and the Content-Type boundary reader (src/http/form.h).  The
 * input's first line is the Content-Type header value, the rest the body;
 * the boundary comes from form_boundary() like in the adapter, and
 * form_parse_multipart() runs with a small file cap so the too-big paths
 * are reached.  Checked: fields NUL-terminated at their length, uploads
 * lying inside the body and within the cap. */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/http/form.h"

#include <string.h>

#define FILE_CAP	4096

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = arena_new(FUZZ_ARENA);
	const char		*p = (const char *)data;
	const uint8_t		*nl = memchr(data, '\n', size);
	size_t			 hl = nl ? (size_t)(nl - data) : size;
	char			*ct, *boundary;
	const char		*body;
	size_t			 blen;
	struct kv		*fields = NULL, *kv;
	struct upload		*uploads = NULL, *u;

	ct = arena_strndup(a, p, hl);
	body = nl ? (const char *)nl + 1 : p + size;
	blen = nl ? size - hl - 1 : 0;
	CHECK(ct);
	(void)form_type_is(ct, "multipart/form-data");
	boundary = form_boundary(a, ct);
	if (boundary) {
		CHECK(strlen(boundary) > 0 && strlen(boundary) <= FORM_BOUNDARY_MAX);
		(void)form_parse_multipart(a, boundary, body, blen, FILE_CAP, &fields, &uploads);
		for (kv = fields; kv; kv = kv->next)
			CHECK(kv->name && kv->value && kv->value[kv->len] == '\0');
		for (u = uploads; u; u = u->next) {
			CHECK(u->field && u->filename && u->content_type);
			CHECK(u->len <= FILE_CAP);
			CHECK(u->len == 0 || ((const char *)u->data >= body &&
			    (const char *)u->data + u->len <= body + blen));
		}
	}
	arena_free(a);
	return 0;
}
