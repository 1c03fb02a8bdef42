/* feeds_http.c - the feeds over HTTP: /agenda.ics, /schedule.xml,
 * /schedule.json for everyone, the personal calendar feed behind its
 * secret URL, and the page where a signed-in person makes or revokes that
 * URL.  Thin handlers: read the request, call one feeds.h function, answer.
 * No SQL and no HTML here. */
#include "feeds.h"
#include "../agenda/agenda.h"
#include "../event/event.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../http/http.h"
#include "../../views/tv.h"

#include <ctype.h>
#include <string.h>

/* The site's absolute URL, no trailing slash: the configured base_url,
 * else http(s)://Host when the Host header looks like a host name, else
 * http://localhost. */
static const char *
base_of(struct req *req)
{
	const char	*b = req->app->cfg ? req->app->cfg->base_url : NULL;
	const char	*host = req_header(req, "Host"), *p;
	size_t		 n;

	if (b && *b) {
		n = strlen(b);
		while (n > 0 && b[n - 1] == '/')
			n--;
		return arena_strndup(req->arena, b, n);
	}
	if (!host || !*host || strlen(host) > 255)
		host = "localhost";
	for (p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p)) {
			host = "localhost";
			break;
		}
	return arena_printf(req->arena, "%s://%s", req->app->tls ? "https" : "http", host);
}

/* Answer a feed body built in resp->body with content type ct. */
static enum http_status
feed_answer(struct resp *resp, enum app_err rc, const char *ct, const char *cache)
{
	if (rc != E_OK) {
		buf_reset(&resp->body);
		return http_status_for(rc);
	}
	resp->content_type = ct;
	resp->cache = cache;
	return HTTP_OK;
}

/* GET /agenda.ics: every session as iCalendar. */
static enum http_status
agenda_ics(struct req *req, struct resp *resp)
{
	enum app_err rc = feeds_ical(req->app, req->db, req->arena, base_of(req), 0, &resp->body);

	return feed_answer(resp, rc, "text/calendar; charset=utf-8", "public, max-age=300");
}

/* GET /my-agenda/ics/:token: one person's sessions; 404 for a token that
 * is unknown or revoked. */
static enum http_status
personal_ics(struct req *req, struct resp *resp)
{
	int64_t		 person_id;
	enum app_err	 rc;

	rc = feeds_token_person(req->app, req->db, req_param(req, "token"), &person_id);
	if (rc == E_OK)
		rc = feeds_ical(req->app, req->db, req->arena, base_of(req), person_id, &resp->body);
	if (rc == E_NOTFOUND)
		return view_error(req, resp, HTTP_NOT_FOUND, "There is no such calendar feed.");
	return feed_answer(resp, rc, "text/calendar; charset=utf-8", "private, no-store");
}

/* GET /schedule.xml: the frab schedule XML. */
static enum http_status
schedule_xml(struct req *req, struct resp *resp)
{
	enum app_err rc = feeds_schedule_xml(req->app, req->db, req->arena, base_of(req), &resp->body);

	return feed_answer(resp, rc, "application/xml; charset=utf-8", "public, max-age=300");
}

/* GET /schedule.json: the frab/pretalx schedule JSON. */
static enum http_status
schedule_json(struct req *req, struct resp *resp)
{
	enum app_err rc = feeds_schedule_json(req->app, req->db, req->arena, base_of(req), &resp->body);

	return feed_answer(resp, rc, "application/json; charset=utf-8", "public, max-age=300");
}

/* The feed page, with the new URL when token is not NULL. */
static enum http_status
feed_page(struct req *req, struct resp *resp, const char *token)
{
	struct tv	*v;
	char		 date[11];
	int		 has, minute;
	int64_t		 since;
	enum app_err	 rc;

	rc = feeds_token_status(req->app, req->db, req->person->id, &has, &since);
	if (rc != E_OK)
		return http_status_for(rc);
	v = tv_new(req->arena);
	tv_set_bool(v, "has", has);
	if (has) {
		event_local_time("UTC", since, date, &minute);
		tv_set_str(v, "since", agenda_day_label(req->arena, date));
	}
	if (token)
		tv_setf(v, "url", "%s/my-agenda/ics/%s", base_of(req), token);
	tv_setf(v, "public_url", "%s/agenda.ics", base_of(req));
	return view_render(req, resp, "feeds/feed", "My calendar feed", v);
}

/* GET /my-agenda/feed: whether the person has a feed, and the forms. */
static enum http_status
feed_get(struct req *req, struct resp *resp)
{
	return feed_page(req, resp, NULL);
}

/* POST /my-agenda/feed: make (or replace) the feed URL and show it once;
 * the address is a secret, so it is shown in this answer rather than
 * carried through a redirect. */
static enum http_status
feed_post(struct req *req, struct resp *resp)
{
	char		*token;
	enum app_err	 rc;

	rc = feeds_token_new(req->app, req->db, req->arena, req->person->id, &token);
	if (rc != E_OK)
		return http_status_for(rc);
	return feed_page(req, resp, token);
}

/* POST /my-agenda/feed/revoke: the URL stops working. */
static enum http_status
feed_revoke(struct req *req, struct resp *resp)
{
	enum app_err rc = feeds_token_revoke(req->app, req->db, req->person->id);

	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, "/my-agenda/feed", "ok",
				   "Your calendar feed address was revoked.");
}

const struct route feeds_routes[] = {
	{ "GET",  "/agenda.ics",		agenda_ics,	0 },
	{ "GET",  "/schedule.xml",		schedule_xml,	0 },
	{ "GET",  "/schedule.json",		schedule_json,	0 },
	{ "GET",  "/my-agenda/ics/:token",	personal_ics,	0 },
	{ "GET",  "/my-agenda/feed",		feed_get,	ROUTE_LOGIN },
	{ "POST", "/my-agenda/feed",		feed_post,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "POST", "/my-agenda/feed/revoke",	feed_revoke,	ROUTE_LOGIN | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
