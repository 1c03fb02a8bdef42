/* buf.h - the one growable string.  `data` is never NULL and always
 * NUL-terminated; every buffer has a cap (`max`): an append past it sets the
 * sticky `toobig` flag and is dropped, so callers append freely and check
 * once at the end.  The only ways user text reaches a page or a JSON body
 * are buf_add_html() and buf_add_json_str(). */
#ifndef COLEAD_BUF_H
#define COLEAD_BUF_H

#include "core.h"

struct buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;		/* 0: data points at a shared empty string */
	size_t	 max;		/* cap on len; never 0 after buf_init */
	int	 toobig;	/* sticky: an append was dropped */
};

#define BUF_MAX_DEFAULT	(16u << 20)

void	buf_init(struct buf *b, size_t max);	/* max 0 = BUF_MAX_DEFAULT */
void	buf_release(struct buf *b);		/* frees, back to the empty state */
void	buf_reset(struct buf *b);		/* len = 0, keeps memory */
/* Hand the data to the caller (malloc'd, NUL-terminated); b is empty after. */
char	*buf_detach(struct buf *b, size_t *len);

void	buf_add(struct buf *b, const void *p, size_t n);
void	buf_adds(struct buf *b, const char *s);
void	buf_addc(struct buf *b, char c);
void	buf_addf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
void	buf_vaddf(struct buf *b, const char *fmt, va_list ap) ATTR_PRINTF(2, 0);

/* HTML text and attribute values: & < > " ' ` = escaped. */
void	buf_add_html(struct buf *b, const char *p, size_t n);
/* A JSON string with its quotes; also escapes < > & and U+2028/9 so one
 * JSON value is safe inside HTML and is one SSE data: line.  Invalid UTF-8
 * is replaced by U+FFFD. */
void	buf_add_json_str(struct buf *b, const char *p, size_t n);
/* Percent-encoding for a URL component (RFC 3986 unreserved kept). */
void	buf_add_urlenc(struct buf *b, const char *p, size_t n);

#endif
