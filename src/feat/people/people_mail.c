/* people_mail.c - sending invitation emails through the mail server named
 * by --smtp-url (libcurl's SMTP).  Only addresses that passed
 * people_email_normalise and the configured sender reach the envelope and
 * headers, so no header can be injected; names appear only in the body.
 * It never stores a link: the caller made the tokens and passes them in. */
#include "people.h"
#include "../event/event.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/cfg.h"
#include "../../core/log.h"

#include <curl/curl.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct payload {
	const char	*p;
	size_t		 left;
};

/* libcurl asks for the next piece of the message. */
static size_t
read_payload(char *out, size_t size, size_t nmemb, void *arg)
{
	struct payload	*pl = arg;
	size_t		 n = size * nmemb;

	if (n > pl->left)
		n = pl->left;
	memcpy(out, pl->p, n);
	pl->p += n;
	pl->left -= n;
	return n;
}

/* The message for one invitation, CRLF line ends, into b. */
static void
compose(struct buf *b, const struct cfg *cfg, const char *event, const struct invite *inv,
	const char *link)
{
	char		date[64];
	struct tm	tm;
	time_t		now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_addf(b, "Date: %s\r\n", date);
	buf_addf(b, "From: <%s>\r\n", cfg->smtp_from);
	buf_addf(b, "To: <%s>\r\n", inv->email);
	buf_adds(b, "Subject: Your invitation to the convention\r\n");
	buf_adds(b, "MIME-Version: 1.0\r\n");
	buf_adds(b, "Content-Type: text/plain; charset=utf-8\r\n");
	buf_adds(b, "Content-Transfer-Encoding: 8bit\r\n\r\n");
	buf_addf(b, "Hello %s,\r\n\r\n", inv->name);
	buf_addf(b, "You are invited to %s. Follow this link to set your password\r\n", event);
	buf_adds(b, "and answer two short questions before the convention:\r\n\r\n");
	buf_addf(b, "%s\r\n\r\n", link);
	buf_adds(b, "The link works once, for two weeks. If it has expired, ask the\r\n");
	buf_adds(b, "organisers for a new one.\r\n");
}

int
people_mail_ready(const struct app *app)
{
	return app->cfg && app->cfg->smtp_url && *app->cfg->smtp_url &&
	    app->cfg->smtp_from && *app->cfg->smtp_from;
}

enum app_err
people_invite_mail(struct app *app, const struct invite *inv, size_t n, const char *base,
		   size_t *sent)
{
	struct curl_slist	*rcpt;
	struct payload		 pl;
	struct buf		 msg, link;
	CURL			*curl;
	CURLcode		 res;
	char			 from[300], to[300];
	const char		*name;
	struct arena		*a;
	size_t			 i;

	*sent = 0;
	if (!people_mail_ready(app))
		return E_CLOSED;
	a = arena_new(0);
	name = event_name(app, NULL, a);
	pthread_once(&curl_once, curl_start);
	snprintf(from, sizeof(from), "<%s>", app->cfg->smtp_from);
	buf_init(&msg, 64 * 1024);
	buf_init(&link, 4096);
	for (i = 0; i < n; i++) {
		if (!inv[i].token)
			continue;
		buf_reset(&link);
		buf_addf(&link, "%s/password/%s", base, inv[i].token);
		buf_reset(&msg);
		compose(&msg, app->cfg, name, &inv[i], link.data);
		curl = curl_easy_init();
		if (!curl) {
			error("cannot start libcurl");
			break;
		}
		snprintf(to, sizeof(to), "<%s>", inv[i].email);
		rcpt = curl_slist_append(NULL, to);
		pl.p = msg.data;
		pl.left = msg.len;
		curl_easy_setopt(curl, CURLOPT_URL, app->cfg->smtp_url);
		curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
		curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
		curl_easy_setopt(curl, CURLOPT_READDATA, &pl);
		curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
		res = curl_easy_perform(curl);
		if (res == CURLE_OK)
			(*sent)++;
		else
			log_warn("cannot send the invitation to '%s': %s", inv[i].email,
			    curl_easy_strerror(res));
		curl_slist_free_all(rcpt);
		curl_easy_cleanup(curl);
	}
	buf_release(&msg);
	buf_release(&link);
	arena_free(a);
	return E_OK;
}
