/* form.c - parsers for query strings, urlencoded and multipart/form-data
 * bodies (form.h).  Everything here works on a buffer and an arena, never
 * on the connection, and trusts nothing it reads: every loop is bounded by
 * the input length and every count or size by a cap.  It must not decide
 * policy beyond "well-formed and within the caps"; the adapter decides what
 * a bad request gets. */
#include "form.h"
#include "../core/arena.h"
#include "../core/str.h"
#include "../core/utf8.h"

#include <ctype.h>

/* Count a list. */
static size_t
kv_count(const struct kv *kv)
{
	size_t n = 0;

	for (; kv; kv = kv->next)
		n++;
	return n;
}

/* Are all %-escapes in p[0..n) well-formed?  Lets the caller tell a
 * malformed escape (E_INVALID) from a full arena (E_TOOBIG) when
 * str_urldecode fails. */
static int
escapes_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != '%')
			continue;
		if (n - i < 3 || !isxdigit((unsigned char)p[i + 1]) ||
		    !isxdigit((unsigned char)p[i + 2]))
			return 0;
		i += 2;
	}
	return 1;
}

/* Decode one urlencoded component into the arena. */
static enum app_err
decode(struct arena *a, const char *p, size_t n, char **out, size_t *outlen)
{
	if (!escapes_ok(p, n))
		return E_INVALID;
	if (str_urldecode(a, p, n, 1, out, outlen) < 0)
		return E_TOOBIG;
	return E_OK;
}

enum app_err
form_parse_urlencoded(struct arena *a, const char *p, size_t n, struct kv **out)
{
	struct kv	**tail = out;
	size_t		 count = kv_count(*out);
	const char	*end = p + n;

	while (*tail)
		tail = &(*tail)->next;
	while (p < end) {
		const char	*amp = memchr(p, '&', (size_t)(end - p));
		const char	*pair_end = amp ? amp : end;
		const char	*eq = memchr(p, '=', (size_t)(pair_end - p));
		const char	*name_end = eq ? eq : pair_end;
		const char	*val = eq ? eq + 1 : pair_end;
		char		*name, *value;
		size_t		 name_len, value_len;
		struct kv	*kv;
		enum app_err	 rc;

		if (name_end == p) {	/* empty pair or empty name */
			p = amp ? amp + 1 : end;
			continue;
		}
		if ((size_t)(name_end - p) > FORM_FIELD_MAX ||
		    (size_t)(pair_end - val) > FORM_FIELD_MAX)
			return E_TOOBIG;
		if (++count > FORM_FIELDS_MAX)
			return E_TOOBIG;
		rc = decode(a, p, (size_t)(name_end - p), &name, &name_len);
		if (rc == E_OK)
			rc = decode(a, val, (size_t)(pair_end - val), &value, &value_len);
		if (rc != E_OK)
			return rc;
		if (memchr(name, '\0', name_len))
			return E_INVALID;	/* a name is a C string */
		kv = arena_alloc(a, sizeof(*kv));
		if (!kv)
			return E_TOOBIG;
		kv->name = name;
		kv->value = value;
		kv->len = value_len;
		*tail = kv;
		tail = &kv->next;
		p = amp ? amp + 1 : end;
	}
	return E_OK;
}

/* Case-insensitive compare of the slice p[0..n) with the C string s. */
static int
slice_case_eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && strncasecmp(p, s, n) == 0;
}

/* Skip spaces and tabs forward from *p up to end. */
static void
skip_ws(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

int
form_type_is(const char *content_type, const char *type)
{
	const char	*p, *e;
	size_t		 n;

	if (!content_type)
		return 0;
	p = content_type;
	e = p + strcspn(p, ";");
	n = (size_t)(e - p);
	str_trim(&p, &n);
	return slice_case_eq(p, n, type);
}

/* One header parameter: name=value or name="value", from *p to end;
 * advances *p past it and the ';' after it.  Quoted values end at the next
 * '"' (no backslash escapes: browsers percent-encode quotes in names and
 * filenames, and a backslash may be part of a Windows file name).  Returns
 * 0 (name and value set; a bare "token" without '=' gives an empty name),
 * or -1 for an unterminated quote. */
static int
next_param(const char **p, const char *end, const char **name, size_t *name_len,
	   const char **val, size_t *val_len)
{
	const char *q = *p, *ns, *ne;

	skip_ws(&q, end);
	ns = q;
	while (q < end && *q != '=' && *q != ';')
		q++;
	ne = q;
	while (ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'))
		ne--;
	if (q == end || *q == ';') {
		*name = ns;
		*name_len = 0;
		*val = ns;
		*val_len = (size_t)(ne - ns);
		*p = q < end ? q + 1 : end;
		return 0;
	}
	*name = ns;
	*name_len = (size_t)(ne - ns);
	q++;			/* '=' */
	skip_ws(&q, end);
	if (q < end && *q == '"') {
		const char *close = memchr(q + 1, '"', (size_t)(end - q - 1));

		if (!close)
			return -1;
		*val = q + 1;
		*val_len = (size_t)(close - q - 1);
		q = close + 1;
		skip_ws(&q, end);
		while (q < end && *q != ';')	/* junk after the quote */
			q++;
	} else {
		const char *vs = q, *ve;

		while (q < end && *q != ';')
			q++;
		ve = q;
		while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		*val = vs;
		*val_len = (size_t)(ve - vs);
	}
	*p = q < end ? q + 1 : end;
	return 0;
}

/* May c appear in a multipart boundary (RFC 2046 bchars)? */
static int
bchar(int c)
{
	return isalnum(c) || (c && strchr("'()+_,-./:=? ", c) != NULL);
}

char *
form_boundary(struct arena *a, const char *content_type)
{
	const char	*p, *end;
	size_t		 i;

	if (!content_type)
		return NULL;
	end = content_type + strlen(content_type);
	p = memchr(content_type, ';', (size_t)(end - content_type));
	if (!p)
		return NULL;
	p++;
	while (p < end) {
		const char	*name, *val;
		size_t		 name_len, val_len;

		if (next_param(&p, end, &name, &name_len, &val, &val_len) < 0)
			return NULL;
		if (!slice_case_eq(name, name_len, "boundary"))
			continue;
		if (val_len == 0 || val_len > FORM_BOUNDARY_MAX || val[val_len - 1] == ' ')
			return NULL;
		for (i = 0; i < val_len; i++)
			if (!bchar((unsigned char)val[i]))
				return NULL;
		return arena_strndup(a, val, val_len);
	}
	return NULL;
}

int
form_text_ok(const char *p, size_t n, int is_name)
{
	size_t i;

	if (!utf8_valid(p, n))
		return 0;
	if (memchr(p, '\0', n))
		return 0;
	if (utf8_has_controls(p, n, is_name))
		return 0;
	if (is_name)
		for (i = 0; i < n; i++)
			if (p[i] == '\t')
				return 0;
	return 1;
}

const struct kv *
form_check_fields(const struct kv *list)
{
	for (; list; list = list->next)
		if (!form_text_ok(list->name, strlen(list->name), 1) ||
		    !form_text_ok(list->value, list->len, 0))
			return list;
	return NULL;
}

/* What one multipart part's headers said. */
struct part {
	const char	*name;
	size_t		 name_len;
	const char	*filename;	/* NULL: a plain field */
	size_t		 filename_len;
	const char	*type;
	size_t		 type_len;
};

/* Parse a Content-Disposition value into part.  E_INVALID unless it is
 * form-data with a non-empty name and no repeated name or filename. */
static enum app_err
parse_disposition(const char *p, const char *end, struct part *part)
{
	const char	*name, *val;
	size_t		 name_len, val_len;
	int		 first = 1;

	while (p < end) {
		if (next_param(&p, end, &name, &name_len, &val, &val_len) < 0)
			return E_INVALID;
		if (first) {
			if (name_len || !slice_case_eq(val, val_len, "form-data"))
				return E_INVALID;
			first = 0;
		} else if (slice_case_eq(name, name_len, "name")) {
			if (part->name)
				return E_INVALID;
			part->name = val;
			part->name_len = val_len;
		} else if (slice_case_eq(name, name_len, "filename")) {
			if (part->filename)
				return E_INVALID;
			part->filename = val;
			part->filename_len = val_len;
		}
		/* other parameters (filename*, size, ...) are ignored */
	}
	if (first || !part->name || part->name_len == 0)
		return E_INVALID;
	return E_OK;
}

/* Parse the header lines of one part, h[0..n) without the blank line that
 * ends them.  Lines are split at CRLF; any other control character in a
 * line (a lone CR or LF included) is refused, so nothing can smuggle a
 * header inside another. */
static enum app_err
parse_part_headers(const char *h, size_t n, struct part *part)
{
	const char	*end = h + n;
	int		 seen_disp = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)h[i] < 0x20 && h[i] != '\t' && h[i] != '\r' && h[i] != '\n') ||
		    h[i] == 0x7f)
			return E_INVALID;
	while (h < end) {
		const char	*eol = memmem(h, (size_t)(end - h), "\r\n", 2);
		const char	*le = eol ? eol : end;
		const char	*colon, *v;
		size_t		 name_len;

		if (memchr(h, '\r', (size_t)(le - h)) || memchr(h, '\n', (size_t)(le - h)))
			return E_INVALID;
		if (h[0] == ' ' || h[0] == '\t')	/* obsolete line folding */
			return E_INVALID;
		colon = memchr(h, ':', (size_t)(le - h));
		if (!colon || colon == h)
			return E_INVALID;
		name_len = (size_t)(colon - h);
		v = colon + 1;
		skip_ws(&v, le);
		if (slice_case_eq(h, name_len, "Content-Disposition")) {
			enum app_err rc;

			if (seen_disp++)
				return E_INVALID;
			rc = parse_disposition(v, le, part);
			if (rc != E_OK)
				return rc;
		} else if (slice_case_eq(h, name_len, "Content-Type")) {
			const char *ve = le;

			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			part->type = v;
			part->type_len = (size_t)(ve - v);
		}
		h = eol ? eol + 2 : end;
	}
	return seen_disp ? E_OK : E_INVALID;
}

/* Find the next delimiter line "\r\n--boundary" at or after p that is
 * really one: followed by "--" (the last) or optional white space and
 * CRLF.  Bytes that merely look like the start of a delimiter inside a
 * file are skipped.  NULL if there is none. */
static const char *
find_delim(const char *p, const char *end, const char *delim, size_t dlen)
{
	while (p < end) {
		const char *d = memmem(p, (size_t)(end - p), delim, dlen);
		const char *q;

		if (!d)
			return NULL;
		q = d + dlen;
		if (end - q >= 2 && q[0] == '-' && q[1] == '-')
			return d;
		skip_ws(&q, end);
		if (end - q >= 2 && q[0] == '\r' && q[1] == '\n')
			return d;
		p = d + 1;
	}
	return NULL;
}

enum app_err
form_parse_multipart(struct arena *a, const char *boundary, const char *body,
		     size_t n, size_t file_max, struct kv **fields, struct upload **uploads)
{
	const char	*end = body + n, *p, *d;
	char		*delim;
	size_t		 blen, dlen, count = 0;
	struct upload	**utail = uploads;
	struct kv	**ftail = fields;

	if (!boundary || !(blen = strlen(boundary)) || blen > FORM_BOUNDARY_MAX)
		return E_INVALID;
	while (*utail)
		utail = &(*utail)->next;
	while (*ftail)
		ftail = &(*ftail)->next;
	/* "\r\n--boundary"; the first delimiter may open the body without
	 * the CRLF */
	delim = arena_printf(a, "\r\n--%s", boundary);
	if (!delim)
		return E_TOOBIG;
	dlen = blen + 4;
	if (n >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((d = find_delim(body, end, delim, dlen)))
		p = d + dlen;
	else
		return E_INVALID;

	for (;;) {
		struct part	 part = { 0 };
		const char	*hend, *content, *next;
		size_t		 len;
		enum app_err	 rc;

		/* p is just after a delimiter */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return E_OK;	/* close delimiter; the epilogue is ignored */
		skip_ws(&p, end);
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return E_INVALID;
		p += 2;
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			hend = p;	/* no headers at all */
		} else {
			size_t limit = (size_t)(end - p);

			if (limit > FORM_PART_HEADERS_MAX + 4)
				limit = FORM_PART_HEADERS_MAX + 4;
			hend = memmem(p, limit, "\r\n\r\n", 4);
			if (!hend)
				return limit == (size_t)(end - p) ? E_INVALID : E_TOOBIG;
		}
		rc = parse_part_headers(p, (size_t)(hend - p), &part);
		if (rc != E_OK)
			return rc;
		content = hend == p ? p + 2 : hend + 4;
		next = find_delim(content, end, delim, dlen);
		if (!next)
			return E_INVALID;	/* no closing delimiter */
		len = (size_t)(next - content);
		p = next + dlen;
		if (++count > FORM_FIELDS_MAX)
			return E_TOOBIG;
		if (part.filename) {
			struct upload *u;

			if (part.filename_len == 0 && len == 0)
				continue;	/* a file input left empty */
			if (len > file_max)
				return E_TOOBIG;
			u = arena_alloc(a, sizeof(*u));
			if (!u)
				return E_TOOBIG;
			u->field = arena_strndup(a, part.name, part.name_len);
			u->filename = arena_strndup(a, part.filename, part.filename_len);
			u->content_type = part.type ?
				arena_strndup(a, part.type, part.type_len) :
				arena_strdup(a, "application/octet-stream");
			if (!u->field || !u->filename || !u->content_type)
				return E_TOOBIG;
			u->data = (const unsigned char *)content;
			u->len = len;
			*utail = u;
			utail = &u->next;
		} else {
			struct kv *kv;

			if (len > FORM_FIELD_MAX)
				return E_TOOBIG;
			kv = arena_alloc(a, sizeof(*kv));
			if (!kv)
				return E_TOOBIG;
			kv->name = arena_strndup(a, part.name, part.name_len);
			kv->value = arena_strndup(a, content, len);
			kv->len = len;
			if (!kv->name || !kv->value)
				return E_TOOBIG;
			*ftail = kv;
			ftail = &kv->next;
		}
	}
}
