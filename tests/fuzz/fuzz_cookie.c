/* fuzz_cookie.c - libFuzzer driver for cookie_parse() (src/http/cookie.c),
 * which reads every Cookie header.  The input is the header value (cut at
 * its first NUL, as a header cannot hold one).  Checked: every cookie kept
 * has a non-empty name, both name and value are acceptable text
 * (form_text_ok), and no more than COOKIES_MAX come back. */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/http/form.h"

#include <string.h>

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new(FUZZ_ARENA);
	struct kv	*list = NULL, *kv;
	char		*header = arena_strndup(a, (const char *)data, size);
	size_t		 n = 0;

	CHECK(header);
	(void)cookie_parse(a, header, &list);
	for (kv = list; kv; kv = kv->next) {
		CHECK(kv->name && kv->name[0] != '\0');
		CHECK(kv->value);
		CHECK(form_text_ok(kv->name, strlen(kv->name), 1));
		CHECK(form_text_ok(kv->value, strlen(kv->value), 0));
		n++;
	}
	CHECK(n <= COOKIES_MAX);
	arena_free(a);
	return 0;
}
