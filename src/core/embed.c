/* embed.c - lookup in the generated tables of embedded files. */
#include "embed.h"
#include <string.h>

const struct embed_file *
embed_find(const struct embed_file *set, const char *name)
{
	for (; set->name; set++)
		if (strcmp(set->name, name) == 0)
			return set;
	return NULL;
}
