/* form.h - parsers for what a client sends as fields: query strings and
 * application/x-www-form-urlencoded bodies, multipart/form-data bodies,
 * and Cookie headers.  Pure functions over a buffer into an arena, with no
 * knowledge of the HTTP library, so they can be unit-tested and fuzzed.
 * They do not decide what is acceptable text: form_text_ok() does that, and
 * the adapter refuses a request whose fields fail it. */
#ifndef COLEAD_HTTP_FORM_H
#define COLEAD_HTTP_FORM_H

#include "../core/core.h"
#include "http.h"

struct arena;

#define FORM_FIELDS_MAX		1000		/* fields (and files) in one query or body */
#define FORM_FIELD_MAX		(1u << 20)	/* bytes in one field name or value */
#define FORM_BOUNDARY_MAX	70		/* RFC 2046 */
#define FORM_PART_HEADERS_MAX	8192		/* bytes of headers in one multipart part */
#define COOKIES_MAX		200		/* cookies kept from one request */

/* Parse "a=1&b=two+words&c=%C3%A9" into *out (appended in order; decoded,
 * NUL-terminated, in a).  '+' is a space; empty pairs ("a=1&&b=2") and
 * pairs with an empty name are skipped; a pair without '=' has the value
 * "".  Duplicate names are all kept, in order.
 * Returns E_OK, E_INVALID for a malformed %-escape or a name decoding to
 * a NUL byte (names are C strings), or E_TOOBIG past
 * FORM_FIELDS_MAX fields, FORM_FIELD_MAX bytes in a name or value, or when
 * the arena is full.  On error *out holds the fields parsed so far. */
enum app_err	 form_parse_urlencoded(struct arena *a, const char *p, size_t n, struct kv **out);

/* Parse a multipart/form-data body delimited by boundary (without the
 * leading "--").  Plain fields go to *fields (values copied into a,
 * NUL-terminated); parts with a filename parameter go to *uploads, whose
 * data points INTO body: the body must outlive the uploads.  A file input
 * left empty (filename "" and no bytes) is skipped.  Part names and
 * filenames are taken as sent (not decoded).
 * Returns E_OK; E_INVALID for a malformed body (no opening or closing
 * delimiter, a part without a form-data Content-Disposition and a name,
 * header lines with control characters or without a colon, repeated
 * parameters); E_TOOBIG for a file over file_max, a field over
 * FORM_FIELD_MAX, more than FORM_FIELDS_MAX parts, part headers over
 * FORM_PART_HEADERS_MAX, or a full arena. */
enum app_err	 form_parse_multipart(struct arena *a, const char *boundary,
				      const char *body, size_t n, size_t file_max,
				      struct kv **fields, struct upload **uploads);

/* Is content_type's media type `type` (case-insensitive, parameters
 * ignored)?  NULL content_type is never a match. */
int		 form_type_is(const char *content_type, const char *type);

/* The boundary parameter of a multipart Content-Type, quoted or not, in a;
 * NULL if absent, empty, longer than FORM_BOUNDARY_MAX or made of
 * characters RFC 2046 does not allow. */
char		*form_boundary(struct arena *a, const char *content_type);

/* Is p[0..n) acceptable text for a field?  Valid UTF-8 without NUL or
 * control characters; a value (is_name 0) may hold tab, CR and LF, a name
 * none of them. */
int		 form_text_ok(const char *p, size_t n, int is_name);

/* The first field of list whose name or value is not form_text_ok, or
 * NULL when all are fine. */
const struct kv	*form_check_fields(const struct kv *list);

/* Parse one Cookie header ("a=1; b=2") and append the pairs to *list.
 * Tolerant: spaces around names and values are dropped, a value in double
 * quotes loses them, pairs without '=' or with an empty name are skipped,
 * and so are pairs that are not acceptable text (form_text_ok).  Values
 * are not percent-decoded.  Stops after COOKIES_MAX pairs in the list.
 * Returns 0, or -1 if the arena is full. */
int		 cookie_parse(struct arena *a, const char *header, struct kv **list);

#endif
