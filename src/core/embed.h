/* embed.h - files built into the binary (migrations, templates, static
 * assets).  The tables are generated at build time by tools/embed.c from
 * the source tree; each ends with an entry whose name is NULL.  The data is
 * NUL-terminated (len does not count the NUL). */
#ifndef COLEAD_EMBED_H
#define COLEAD_EMBED_H

#include <stddef.h>

struct embed_file {
	const char		*name;	/* path relative to its root, e.g. "people/login.mustache" */
	const unsigned char	*data;
	size_t			 len;
};

extern const struct embed_file embed_sql[];		/* sql/ */
extern const struct embed_file embed_templates[];	/* src/views/templates/ */
extern const struct embed_file embed_static[];		/* static/ and vendored npm assets */
extern const struct embed_file embed_data[];		/* data/: demo and reference data */

const struct embed_file *embed_find(const struct embed_file *set, const char *name);

#endif
