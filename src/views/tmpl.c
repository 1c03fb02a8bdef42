/* tmpl.c - the Mustache engine: compiles templates into a flat array of
 * nodes once, at start-up, and renders them against a tv context.  It
 * implements the spec's required modules (interpolation, sections,
 * inverted sections, comments, partials, set delimiters) including
 * standalone lines and partial indentation; it has no lambdas and no
 * template inheritance.  It must never write a plain string unescaped in a
 * strict set: only TV_HTML values pass raw, and only through {{{x}}} or
 * {{&x}}.  Rendering only reads the set, so one set serves every thread.
 *
 * Compiled form: each template is a node array.  A section node's body is
 * the nodes after it up to `end`, so rendering is a loop over a range that
 * recurses only into section bodies and partials.  Every source line that
 * survives standalone-line removal starts with an N_LINE node, which writes
 * the indentation of the standalone partial being rendered (nothing at top
 * level): that is how "prepend the indentation to each line of the
 * partial" is done without recompiling the partial per indentation. */
#include <inttypes.h>

#include "tmpl.h"
#include "../core/log.h"

#define TMPL_MAX_DEPTH		64	/* partial recursion while rendering */
#define TMPL_MAX_NESTING	64	/* sections inside sections in one template */
#define TMPL_MAX_DELIM		16	/* bytes in a custom delimiter */

enum node_kind {
	N_TEXT,		/* literal text p[0..n) */
	N_LINE,		/* start of a source line: write the current indentation */
	N_VAR,		/* {{x}}: escaped */
	N_RAW,		/* {{{x}}} or {{&x}}: raw if allowed, else escaped */
	N_SECTION,	/* {{#x}}: body is nodes (this, end) */
	N_INVERTED,	/* {{^x}}: body is nodes (this, end) */
	N_PARTIAL	/* {{>x}}: p[0..n) is its indentation when standalone */
};

struct node {
	enum node_kind	 kind;
	int		 line;
	size_t		 end;		/* sections: index just past the body */
	const char	*p;		/* text, or a standalone partial's indentation */
	size_t		 n;
	char		*name;		/* names: dotted parts separated by NULs; partial: its name */
	size_t		 nparts;	/* 0: the implicit iterator "." */
	int		 standalone;	/* partials: the tag was alone on its line */
	long		 partial;	/* partials: template index once resolved, else -1 */
};

struct tmpl {
	char		*name;
	char		*src;		/* the copy text nodes point into */
	struct node	*nodes;
	size_t		 n;
};

struct tmpl_set {
	int		 strict;
	struct tmpl	*t;
	size_t		 n;
	size_t		 cap;
};

/* Tokens: the first compile pass, before standalone lines are removed. */
enum tok_kind { T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL, T_COMMENT, T_DELIM };

struct tok {
	enum tok_kind	 kind;
	const char	*p;		/* text, or the tag's trimmed content */
	size_t		 n;
	int		 line;
	int		 removed;	/* text on a standalone line */
	int		 standalone;	/* a tag alone on its line */
	const char	*ind;		/* standalone partial: whitespace before it */
	size_t		 indn;
};

struct parse {
	const char	*name;
	const char	*src;
	size_t		 len;
	struct tok	*toks;
	size_t		 ntok;
	size_t		 cap;
	struct node	*nodes;
	size_t		 nnodes;
	size_t		 ncap;
	char		*err;
};

/* Record the first compile error as "NAME:LINE: message"; returns -1. */
static int ATTR_PRINTF(3, 4)
perr(struct parse *ps, int line, const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;

	if (ps->err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->err = xprintf("%s:%d: %s", ps->name, line, msg);
	return -1;
}

static void
add_tok(struct parse *ps, enum tok_kind kind, const char *p, size_t n, int line)
{
	struct tok	*t;

	if (ps->ntok == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->toks = xrealloc(ps->toks, ps->cap * sizeof(*ps->toks));
	}
	t = &ps->toks[ps->ntok++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->p = p;
	t->n = n;
	t->line = line;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t
count_lines(const char *p, size_t n)
{
	size_t	 k = 0;

	while (n > 0) {
		const char *nl = memchr(p, '\n', n);

		if (!nl)
			break;
		k++;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	return k;
}

/* A variable or section name: "." or dot-separated non-empty parts, with
 * no white space.  Partial names may hold dots ("a.b" is one name). */
static int
valid_name(const char *p, size_t n, int dotted)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (is_space(p[i]))
			return 0;
	if (!dotted || (n == 1 && p[0] == '.'))
		return 1;
	if (p[0] == '.' || p[n - 1] == '.')
		return 0;
	for (i = 1; i < n; i++)
		if (p[i] == '.' && p[i - 1] == '.')
			return 0;
	return 1;
}

/* Parse "{{=<% %>=}}" content (already trimmed) into the two delimiters. */
static int
set_delims(struct parse *ps, int line, const char *p, size_t n,
	   char *otag, size_t *on, char *ctag, size_t *cn)
{
	size_t	 a, b, c;

	for (a = 0; a < n && !is_space(p[a]); a++)
		;
	for (b = a; b < n && is_space(p[b]); b++)
		;
	for (c = b; c < n && !is_space(p[c]); c++)
		;
	if (a == 0 || b == a || c == b || c != n)
		return perr(ps, line, "bad delimiter tag '%.*s'", (int)(n > 40 ? 40 : n), p);
	if (memchr(p, '=', a) || memchr(p + b, '=', c - b))
		return perr(ps, line, "delimiters must not contain '='");
	if (a > TMPL_MAX_DELIM || c - b > TMPL_MAX_DELIM)
		return perr(ps, line, "delimiter longer than %d bytes", TMPL_MAX_DELIM);
	memcpy(otag, p, a);
	*on = a;
	memcpy(ctag, p + b, c - b);
	*cn = c - b;
	return 0;
}

/* Pass one: split the source into text tokens (each ending at most at one
 * newline) and tags, honouring delimiter changes. */
static int
tokenize(struct parse *ps)
{
	const char	*src = ps->src;
	size_t		 len = ps->len, pos = 0, on = 2, cn = 2;
	char		 otag[TMPL_MAX_DELIM] = "{{", ctag[TMPL_MAX_DELIM] = "}}";
	char		 close[TMPL_MAX_DELIM + 1];
	int		 line = 1;

	while (pos < len) {
		const char	*t = memmem(src + pos, len - pos, otag, on);
		const char	*end, *c;
		size_t		 tpos = t ? (size_t)(t - src) : len, p, closen, cnt;
		enum tok_kind	 kind;
		int		 tagline;

		while (pos < tpos) {
			const char *nl = memchr(src + pos, '\n', tpos - pos);
			size_t e = nl ? (size_t)(nl - src) + 1 : tpos;

			add_tok(ps, T_TEXT, src + pos, e - pos, line);
			if (nl)
				line++;
			pos = e;
		}
		if (!t)
			break;
		tagline = line;
		p = tpos + on;
		if (p >= len)
			return perr(ps, tagline, "unclosed tag");
		kind = T_VAR;
		switch (src[p]) {
		case '#': kind = T_SECTION; break;
		case '^': kind = T_INVERTED; break;
		case '/': kind = T_CLOSE; break;
		case '>': kind = T_PARTIAL; break;
		case '!': kind = T_COMMENT; break;
		case '=': kind = T_DELIM; break;
		case '{': kind = T_RAW; break;
		case '&': kind = T_RAW; break;
		default: break;
		}
		if (kind != T_VAR)
			p++;
		closen = 0;
		if (src[p - 1] == '{' && kind == T_RAW)
			close[closen++] = '}';
		else if (kind == T_DELIM)
			close[closen++] = '=';
		memcpy(close + closen, ctag, cn);
		closen += cn;
		end = memmem(src + p, len - p, close, closen);
		if (!end)
			return perr(ps, tagline, "unclosed tag");
		cnt = (size_t)(end - src) - p;
		c = src + p;
		line += (int)count_lines(src + tpos, (size_t)(end - src) + closen - tpos);
		pos = (size_t)(end - src) + closen;
		while (cnt > 0 && is_space(*c)) {
			c++;
			cnt--;
		}
		while (cnt > 0 && is_space(c[cnt - 1]))
			cnt--;
		switch (kind) {
		case T_COMMENT:
			break;
		case T_DELIM:
			if (set_delims(ps, tagline, c, cnt, otag, &on, ctag, &cn) < 0)
				return -1;
			break;
		case T_PARTIAL:
			if (!valid_name(c, cnt, 0))
				return perr(ps, tagline, "bad partial name '%.*s'",
				    (int)(cnt > 40 ? 40 : cnt), c);
			break;
		case T_TEXT:
		case T_VAR:
		case T_RAW:
		case T_SECTION:
		case T_INVERTED:
		case T_CLOSE:
			if (cnt == 0)
				return perr(ps, tagline, "empty tag");
			if (!valid_name(c, cnt, 1))
				return perr(ps, tagline, "bad name '%.*s'",
				    (int)(cnt > 40 ? 40 : cnt), c);
			break;
		}
		add_tok(ps, kind, c, cnt, tagline);
	}
	return 0;
}

/* Is a text token blank: spaces and tabs, then optionally "\n" or "\r\n"? */
static int
blank(const struct tok *t)
{
	size_t	 n = t->n, i;

	if (n > 0 && t->p[n - 1] == '\n') {
		n--;
		if (n > 0 && t->p[n - 1] == '\r')
			n--;
	}
	for (i = 0; i < n; i++)
		if (t->p[i] != ' ' && t->p[i] != '\t')
			return 0;
	return 1;
}

/* Pass two: a line holding one section, inverted, close, partial, comment
 * or delimiter tag and otherwise only blanks is "standalone": its blanks
 * and line ending are removed, and a partial keeps the leading blanks as
 * its indentation.  Lines end only at newlines in text, so a multi-line
 * comment can still be standalone. */
static void
mark_standalone(struct parse *ps)
{
	size_t	 i = 0, j, k, tag;
	int	 ntags, ok;

	while (i < ps->ntok) {
		for (j = i; j < ps->ntok; j++) {
			const struct tok *t = &ps->toks[j];

			if (t->kind == T_TEXT && t->n > 0 && t->p[t->n - 1] == '\n') {
				j++;
				break;
			}
		}
		ntags = 0;
		ok = 1;
		tag = i;
		for (k = i; k < j && ok; k++) {
			const struct tok *t = &ps->toks[k];

			if (t->kind == T_TEXT) {
				ok = blank(t);
			} else {
				ntags++;
				tag = k;
				ok = t->kind != T_VAR && t->kind != T_RAW;
			}
		}
		if (ok && ntags == 1) {
			struct tok *t = &ps->toks[tag];

			t->standalone = 1;
			if (tag > i) {
				t->ind = ps->toks[i].p;
				t->indn = (size_t)(ps->toks[tag - 1].p + ps->toks[tag - 1].n - t->ind);
			}
			for (k = i; k < j; k++)
				if (ps->toks[k].kind == T_TEXT)
					ps->toks[k].removed = 1;
		}
		i = j;
	}
}

static struct node *
add_node(struct parse *ps, enum node_kind kind, int line)
{
	struct node	*nd;

	if (ps->nnodes == ps->ncap) {
		ps->ncap = ps->ncap ? ps->ncap * 2 : 64;
		ps->nodes = xrealloc(ps->nodes, ps->ncap * sizeof(*ps->nodes));
	}
	nd = &ps->nodes[ps->nnodes++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->line = line;
	nd->partial = -1;
	return nd;
}

/* Store a dotted name as NUL-separated parts ("." has no parts). */
static void
set_name(struct node *nd, const char *p, size_t n)
{
	size_t	 i;

	nd->name = xstrndup(p, n);
	if (n == 1 && p[0] == '.')
		return;
	nd->nparts = 1;
	for (i = 0; i < n; i++) {
		if (nd->name[i] == '.') {
			nd->name[i] = '\0';
			nd->nparts++;
		}
	}
}

static const char *
tok_kind_tag(enum tok_kind k)
{
	return k == T_INVERTED ? "^" : "#";
}

/* Pass three: nodes from tokens, with sections matched to their close
 * tags and an N_LINE before every surviving source line. */
static int
build(struct parse *ps)
{
	size_t	 open[TMPL_MAX_NESTING];	/* node index of each open section */
	size_t	 opentok[TMPL_MAX_NESTING];	/* and its token */
	size_t	 depth = 0, i, k;
	int	 line_start = 1;

	for (i = 0; i < ps->ntok; i++) {
		const struct tok	*t = &ps->toks[i];
		struct node		*nd;

		if (line_start && !t->standalone) {
			/* The line's one standalone tag may come later. */
			int standalone = 0;

			for (k = i; k < ps->ntok; k++) {
				const struct tok *u = &ps->toks[k];

				if (u->kind != T_TEXT) {
					standalone = u->standalone;
					break;
				}
				if (u->n > 0 && u->p[u->n - 1] == '\n')
					break;
			}
			if (!standalone)
				add_node(ps, N_LINE, t->line);
		}
		line_start = t->kind == T_TEXT && t->n > 0 && t->p[t->n - 1] == '\n';
		switch (t->kind) {
		case T_TEXT:
			if (!t->removed && t->n > 0) {
				nd = add_node(ps, N_TEXT, t->line);
				nd->p = t->p;
				nd->n = t->n;
			}
			break;
		case T_VAR:
		case T_RAW:
			nd = add_node(ps, t->kind == T_VAR ? N_VAR : N_RAW, t->line);
			set_name(nd, t->p, t->n);
			break;
		case T_SECTION:
		case T_INVERTED:
			if (depth == TMPL_MAX_NESTING)
				return perr(ps, t->line, "sections nested deeper than %d",
				    TMPL_MAX_NESTING);
			nd = add_node(ps, t->kind == T_SECTION ? N_SECTION : N_INVERTED, t->line);
			set_name(nd, t->p, t->n);
			open[depth] = ps->nnodes - 1;
			opentok[depth++] = i;
			break;
		case T_CLOSE:
			if (depth == 0)
				return perr(ps, t->line, "close tag '%.*s' without an open section",
				    (int)(t->n > 40 ? 40 : t->n), t->p);
			{
				const struct tok *o = &ps->toks[opentok[depth - 1]];

				if (o->n != t->n || memcmp(o->p, t->p, t->n) != 0)
					return perr(ps, t->line,
					    "close tag '%.*s' does not match '%s%.*s' opened on line %d",
					    (int)(t->n > 40 ? 40 : t->n), t->p, tok_kind_tag(o->kind),
					    (int)(o->n > 40 ? 40 : o->n), o->p, o->line);
			}
			ps->nodes[open[--depth]].end = ps->nnodes;
			break;
		case T_PARTIAL:
			nd = add_node(ps, N_PARTIAL, t->line);
			nd->name = xstrndup(t->p, t->n);
			nd->standalone = t->standalone;
			nd->p = t->ind;
			nd->n = t->indn;
			break;
		case T_COMMENT:
		case T_DELIM:
			break;
		}
	}
	if (depth > 0) {
		const struct tok *o = &ps->toks[opentok[depth - 1]];

		return perr(ps, o->line, "unclosed section '%s%.*s'", tok_kind_tag(o->kind),
		    (int)(o->n > 40 ? 40 : o->n), o->p);
	}
	return 0;
}

static void
nodes_free(struct node *nodes, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(nodes[i].name);
	free(nodes);
}

static long
find_tmpl(const struct tmpl_set *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i].name, name) == 0)
			return (long)i;
	return -1;
}

struct tmpl_set *
tmpl_set_new(int strict)
{
	struct tmpl_set	*s = xcalloc(1, sizeof(*s));

	s->strict = strict;
	return s;
}

void
tmpl_set_free(struct tmpl_set *s)
{
	size_t	 i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		nodes_free(s->t[i].nodes, s->t[i].n);
		free(s->t[i].src);
		free(s->t[i].name);
	}
	free(s->t);
	free(s);
}

/* Compile src into the set under name.  The source is copied: text nodes
 * point into the copy, which lives as long as the set. */
int
tmpl_add(struct tmpl_set *s, const char *name, const char *src, size_t len, char **err)
{
	struct parse	 ps;
	struct tmpl	*t;
	char		*copy = xmalloc(len + 1);
	int		 rc = -1;

	memcpy(copy, src, len);
	copy[len] = '\0';
	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.len = len;
	ps.src = copy;
	if (find_tmpl(s, name) >= 0) {
		perr(&ps, 1, "a template with this name already exists");
		goto out;
	}
	if (tokenize(&ps) < 0)
		goto out;
	mark_standalone(&ps);
	if (build(&ps) < 0)
		goto out;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->t = xrealloc(s->t, s->cap * sizeof(*s->t));
	}
	t = &s->t[s->n++];
	t->name = xstrdup(name);
	t->src = copy;
	t->nodes = ps.nodes;
	t->n = ps.nnodes;
	copy = NULL;
	ps.nodes = NULL;
	ps.nnodes = 0;
	rc = 0;
out:
	if (rc < 0 && err)
		*err = ps.err;
	else
		free(ps.err);
	free(ps.toks);
	nodes_free(ps.nodes, ps.nnodes);
	free(copy);
	return rc;
}

/* Resolve every partial reference to a template index so rendering does
 * not look names up; with require_partials an unknown one is an error. */
int
tmpl_check(struct tmpl_set *s, int require_partials, char **err)
{
	size_t	 i, j;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->t[i].n; j++) {
			struct node *nd = &s->t[i].nodes[j];

			if (nd->kind != N_PARTIAL)
				continue;
			nd->partial = find_tmpl(s, nd->name);
			if (nd->partial < 0 && require_partials) {
				if (err)
					*err = xprintf("%s:%d: no template '%s' for this partial",
					    s->t[i].name, nd->line, nd->name);
				return -1;
			}
		}
	}
	return 0;
}

int
tmpl_has(const struct tmpl_set *s, const char *name)
{
	return find_tmpl(s, name) >= 0;
}

/* Rendering. */

struct frame {
	const struct tv		*v;
	const struct frame	*up;
};

/* The indentation of nested standalone partials, outermost last. */
struct indent {
	const char		*p;
	size_t			 n;
	const struct indent	*up;
};

struct render {
	const struct tmpl_set	*s;
	struct buf		*out;
};

/* Look a name up: "." is the top of the context stack; otherwise the
 * first part is searched for down the stack, and the remaining parts only
 * inside what it found. */
static const struct tv *
resolve(const struct node *nd, const struct frame *f)
{
	const struct tv	*v = NULL;
	const char	*part = nd->name;
	size_t		 k;

	if (nd->nparts == 0)
		return f ? f->v : NULL;
	for (; f; f = f->up) {
		if (tv_kind(f->v) == TV_MAP && (v = tv_get(f->v, part)) != NULL)
			break;
	}
	for (k = 1; v && k < nd->nparts; k++) {
		part += strlen(part) + 1;
		v = tv_get(v, part);
	}
	return v;
}

/* The spec's escaping, for non-strict sets: exactly & " < >. */
static void
add_spec_escaped(struct buf *b, const char *p, size_t n)
{
	size_t	 i, run = 0;

	for (i = 0; i < n; i++) {
		const char *rep;

		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		default: continue;
		}
		buf_add(b, p + run, i - run);
		buf_adds(b, rep);
		run = i + 1;
	}
	buf_add(b, p + run, n - run);
}

/* The shortest decimal form that reads back as the same double. */
static void
add_real(struct buf *b, double r)
{
	char	 tmp[40];
	int	 prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, r);
		if (strtod(tmp, NULL) == r)
			break;
	}
	buf_adds(b, tmp);
}

/* Interpolate v.  Lists and maps interpolate as nothing. */
static void
write_value(const struct render *r, const struct tv *v, int raw)
{
	const char	*s;

	switch (tv_kind(v)) {
	case TV_NULL:
	case TV_LIST:
	case TV_MAP:
		return;
	case TV_BOOL:
		buf_adds(r->out, tv_bool(v) ? "true" : "false");
		return;
	case TV_INT:
		buf_addf(r->out, "%" PRId64, tv_int(v));
		return;
	case TV_REAL:
		add_real(r->out, tv_real(v));
		return;
	case TV_STR:
	case TV_HTML:
		s = tv_str(v);
		if (raw && (tv_kind(v) == TV_HTML || !r->s->strict))
			buf_adds(r->out, s);
		else if (r->s->strict)
			buf_add_html(r->out, s, strlen(s));
		else
			add_spec_escaped(r->out, s, strlen(s));
		return;
	}
}

static void
write_indent(struct buf *b, const struct indent *ind)
{
	if (!ind)
		return;
	write_indent(b, ind->up);
	buf_add(b, ind->p, ind->n);
}

static void render_nodes(const struct render *r, const struct tmpl *t, size_t from,
			 size_t to, const struct frame *f, const struct indent *ind, int depth);

/* Render a standalone or inline partial: a standalone one indents every
 * line of the partial by the outer indentation plus its own. */
static void
render_partial(const struct render *r, const struct node *nd, const struct frame *f,
	       const struct indent *ind, int depth)
{
	struct indent	 mine;
	const struct tmpl *t;
	long		 idx = nd->partial >= 0 ? nd->partial : find_tmpl(r->s, nd->name);

	if (idx < 0 || depth >= TMPL_MAX_DEPTH)
		return;
	t = &r->s->t[idx];
	if (!nd->standalone) {
		ind = NULL;
	} else if (nd->n > 0) {
		mine.p = nd->p;
		mine.n = nd->n;
		mine.up = ind;
		ind = &mine;
	}
	render_nodes(r, t, 0, t->n, f, ind, depth + 1);
}

static void
render_nodes(const struct render *r, const struct tmpl *t, size_t from, size_t to,
	     const struct frame *f, const struct indent *ind, int depth)
{
	size_t	 i = from, k;

	while (i < to && !r->out->toobig) {
		const struct node	*nd = &t->nodes[i];
		const struct tv		*v;
		struct frame		 inner;

		switch (nd->kind) {
		case N_TEXT:
			buf_add(r->out, nd->p, nd->n);
			break;
		case N_LINE:
			write_indent(r->out, ind);
			break;
		case N_VAR:
		case N_RAW:
			write_value(r, resolve(nd, f), nd->kind == N_RAW);
			break;
		case N_SECTION:
			v = resolve(nd, f);
			inner.up = f;
			if (tv_kind(v) == TV_LIST) {
				for (k = 0; k < tv_count(v) && !r->out->toobig; k++) {
					inner.v = tv_at(v, k);
					render_nodes(r, t, i + 1, nd->end, &inner, ind, depth);
				}
			} else if (tv_bool(v)) {
				inner.v = v;
				render_nodes(r, t, i + 1, nd->end, &inner, ind, depth);
			}
			i = nd->end;
			continue;
		case N_INVERTED:
			if (!tv_bool(resolve(nd, f)))
				render_nodes(r, t, i + 1, nd->end, f, ind, depth);
			i = nd->end;
			continue;
		case N_PARTIAL:
			render_partial(r, nd, f, ind, depth);
			break;
		}
		i++;
	}
}

int
tmpl_render(const struct tmpl_set *s, const char *name, const struct tv *ctx, struct buf *out)
{
	struct render	 r;
	struct frame	 root;
	long		 idx = find_tmpl(s, name);

	if (idx < 0)
		return -1;
	r.s = s;
	r.out = out;
	root.v = ctx;
	root.up = NULL;
	render_nodes(&r, &s->t[idx], 0, s->t[idx].n, &root, NULL, 0);
	return out->toobig ? -1 : 0;
}
