/* csrf.c - cross-site request forgery defence for ROUTE_CSRF routes: a
 * token bound to the session (or, for a visitor, to the pre-session
 * cookie) by an HMAC under the app secret, compared in constant time, and
 * a check that the Origin (or Referer) names this site.  It never trusts a
 * token it cannot recompute and never stores tokens. */
#include "http_int.h"
#include "session.h"
#include "../core/arena.h"
#include "../core/str.h"

#include <sodium.h>

char *
csrf_token(struct req *req, const char *prefix, const char *value)
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	size_t				 len = sodium_base64_ENCODED_LEN(sizeof(mac),
						sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char				*out = arena_alloc(req->arena, len);

	if (!out)
		return NULL;
	crypto_auth_hmacsha256_init(&st, req->app->secret, sizeof(req->app->secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix, strlen(prefix));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)value, strlen(value));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, len, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(&st, sizeof(st));
	return out;
}

const char *
csrf_token_for_session(struct req *req, const char *session_token)
{
	return csrf_token(req, "s:", session_token);
}

/* Split url ("scheme://authority/...") into its scheme and authority
 * slices, dropping a default port (80 for http, 443 for https).  -1 if it
 * does not have that shape. */
static int
origin_parts(const char *url, size_t n, const char **scheme, size_t *slen,
	     const char **auth, size_t *alen)
{
	const char *sep = memmem(url, n, "://", 3);
	const char *a, *e;

	if (!sep || sep == url)
		return -1;
	*scheme = url;
	*slen = (size_t)(sep - url);
	a = sep + 3;
	e = a;
	while (e < url + n && *e != '/' && *e != '?' && *e != '#')
		e++;
	if (e == a)
		return -1;
	*auth = a;
	*alen = (size_t)(e - a);
	if (*slen == 4 && strncasecmp(url, "http", 4) == 0 &&
	    *alen > 3 && memcmp(e - 3, ":80", 3) == 0)
		*alen -= 3;
	else if (*slen == 5 && strncasecmp(url, "https", 5) == 0 &&
		 *alen > 4 && memcmp(e - 4, ":443", 4) == 0)
		*alen -= 4;
	return 0;
}

/* Do two origins (or URLs) have the same scheme and authority? */
static int
same_origin(const char *x, size_t xn, const char *y, size_t yn)
{
	const char	*xs, *xa, *ys, *ya;
	size_t		 xsl, xal, ysl, yal;

	if (origin_parts(x, xn, &xs, &xsl, &xa, &xal) < 0 ||
	    origin_parts(y, yn, &ys, &ysl, &ya, &yal) < 0)
		return 0;
	return xsl == ysl && strncasecmp(xs, ys, xsl) == 0 &&
	       xal == yal && strncasecmp(xa, ya, xal) == 0;
}

int
csrf_origin_ok(const struct req *req, const char *origin)
{
	const char	*host = req_header(req, "Host");
	const char	*base = req->app->cfg ? req->app->cfg->base_url : NULL;
	char		 own[512];
	int		 n;

	if (host && *host && !strpbrk(host, "/?#@")) {
		n = snprintf(own, sizeof(own), "%s://%s", req->app->tls ? "https" : "http", host);
		if (n > 0 && (size_t)n < sizeof(own) &&
		    same_origin(origin, strlen(origin), own, (size_t)n))
			return 1;
	}
	if (base && *base && same_origin(origin, strlen(origin), base, strlen(base)))
		return 1;
	return 0;
}

int
csrf_check(struct req *req)
{
	const char	*tok = req_form(req, CSRF_FIELD);
	const char	*origin;
	size_t		 len;

	if (!tok)
		tok = req_header(req, CSRF_HEADER);
	if (!req->csrf || !tok)
		return 0;
	len = strlen(req->csrf);
	if (strlen(tok) != len || sodium_memcmp(tok, req->csrf, len) != 0)
		return 0;
	origin = req_header(req, "Origin");
	if (!origin)
		origin = req_header(req, "Referer");
	return origin ? csrf_origin_ok(req, origin) : 1;
}
