/* views.c - start-up loading of the templates built into the binary
 * (src/views/templates/NAME.mustache, embedded as NAME) into one strict
 * set.  A syntax error or a partial naming no template fails here, so a
 * broken template stops the boot instead of a page.  It renders nothing. */
#include "tmpl.h"
#include "../core/embed.h"
#include "../core/str.h"

struct tmpl_set *
views_load(char **err)
{
	struct tmpl_set		*s = tmpl_set_new(1);
	const struct embed_file	*f;
	char			*name = NULL;
	int			 rc = -1;

	for (f = embed_templates; f->name; f++) {
		size_t n = strlen(f->name);

		/* The build names them without the suffix; accept it anyway. */
		if (str_ends(f->name, ".mustache"))
			n -= strlen(".mustache");
		name = xstrndup(f->name, n);
		if (tmpl_add(s, name, (const char *)f->data, f->len, err) < 0)
			goto out;
		free(name);
		name = NULL;
	}
	if (tmpl_check(s, 1, err) < 0)
		goto out;
	rc = 0;
out:
	free(name);
	if (rc < 0) {
		tmpl_set_free(s);
		s = NULL;
	}
	return s;
}
