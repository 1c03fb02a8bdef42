/* tmpl.h - the Mustache engine.  Templates are compiled once (at start-up)
 * into a set; rendering walks the compiled form against a tv context.  It
 * implements the Mustache spec's required modules (interpolation, sections,
 * inverted sections, comments, partials, set delimiters) and passes the
 * official spec suite.
 *
 * In a strict set (what colead serves) {{{x}}} and {{& x}} write a value
 * raw only if it is TV_HTML; any other value is escaped anyway.  A
 * non-strict set behaves exactly as the spec says (used by the spec test). */
#ifndef COLEAD_TMPL_H
#define COLEAD_TMPL_H

#include "../core/core.h"
#include "../core/buf.h"
#include "tv.h"

struct tmpl_set;

struct tmpl_set	*tmpl_set_new(int strict);
void		 tmpl_set_free(struct tmpl_set *s);
/* Compile src under name (later the name partials refer to).  Returns 0,
 * or -1 with a message "NAME:LINE: what" in *err (malloc'd). */
int		 tmpl_add(struct tmpl_set *s, const char *name, const char *src, size_t len, char **err);
/* After all templates are added: check every partial referenced exists
 * (when require_partials) .  -1 with *err naming the first missing one. */
int		 tmpl_check(struct tmpl_set *s, int require_partials, char **err);
int		 tmpl_has(const struct tmpl_set *s, const char *name);
/* Render name against ctx, appending to out.  Missing partials render as
 * nothing (spec); recursion is capped at 64 levels.  -1 if no such template
 * or out became toobig. */
int		 tmpl_render(const struct tmpl_set *s, const char *name, const struct tv *ctx, struct buf *out);

/* Load every embedded template (src/views/templates/NAME.mustache, named
 * NAME) into a strict set and check partials.  NULL with *err on any
 * syntax error or missing partial: start-up fails. */
struct tmpl_set	*views_load(char **err);

#endif
