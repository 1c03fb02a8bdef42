/* cookie.c - parsing the Cookie request header (form.h).  Browsers send
 * "a=1; b=2", but anything may arrive, so the parser skips what it cannot
 * read rather than refusing the request: a broken cookie must not lock a
 * visitor out of the site.  It never percent-decodes (a cookie value is
 * opaque) and never allocates beyond COOKIES_MAX pairs. */
#include "form.h"
#include "../core/arena.h"
#include "../core/str.h"

int
cookie_parse(struct arena *a, const char *header, struct kv **list)
{
	struct kv	**tail = list;
	size_t		 count = 0;
	const char	*p = header;

	while (*tail) {
		tail = &(*tail)->next;
		count++;
	}
	while (*p && count < COOKIES_MAX) {
		size_t		 len = strcspn(p, ";");
		const char	*eq = memchr(p, '=', len);
		const char	*name = p, *value;
		size_t		 name_len, value_len;
		struct kv	*kv;

		p += len;
		if (*p == ';')
			p++;
		if (!eq)
			continue;
		name_len = (size_t)(eq - name);
		value = eq + 1;
		value_len = len - name_len - 1;
		str_trim(&name, &name_len);
		str_trim(&value, &value_len);
		if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
			value++;
			value_len -= 2;
		}
		if (!name_len || !form_text_ok(name, name_len, 1) ||
		    !form_text_ok(value, value_len, 0) ||
		    memchr(value, '\r', value_len) || memchr(value, '\n', value_len))
			continue;
		kv = arena_alloc(a, sizeof(*kv));
		if (!kv)
			return -1;
		kv->name = arena_strndup(a, name, name_len);
		kv->value = arena_strndup(a, value, value_len);
		if (!kv->name || !kv->value)
			return -1;
		kv->len = value_len;
		*tail = kv;
		tail = &kv->next;
		count++;
	}
	return 0;
}
