/* fuzz_urlencoded.c - libFuzzer driver for form_parse_urlencoded()
 * (src/http/form.h), the parser of query strings and urlencoded bodies.
 * Properties checked besides memory safety: every field it returns has a
 * non-empty name, a value NUL-terminated at its length, and no more than
 * FORM_FIELDS_MAX fields come back; form_check_fields() runs over them. */
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
	size_t		 n = 0;

	(void)form_parse_urlencoded(a, (const char *)data, size, &list);
	for (kv = list; kv; kv = kv->next) {
		CHECK(kv->name && kv->name[0] != '\0');
		CHECK(kv->value && kv->value[kv->len] == '\0');
		CHECK(kv->len <= size);
		n++;
	}
	CHECK(n <= FORM_FIELDS_MAX);
	(void)form_check_fields(list);
	arena_free(a);
	return 0;
}
