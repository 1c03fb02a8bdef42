/* render.c - pages: a view rendered inside the layout (view_render) and
 * the error page (view_error).  It fills the values every page shares
 * (event name, menu, signed-in person, CSRF token, flash) and nothing
 * else; handlers bring their own values.  It must never write anything
 * unescaped that did not come from a compiled template, and the error page
 * must never show internals: only the status, its reason phrase and the
 * message the caller chose for users. */
#include "http.h"
#include "../core/arena.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../feat/event/event.h"
#include "../feat/people/people.h"
#include "../feat/survey/survey.h"
#include "../feat/site/site.h"
#include "../views/tmpl.h"
#include "../views/tv.h"

/* The main menu: only pages that exist.  An entry with signed_in set is
 * shown to signed-in people only.  Each feature adds its entry here when
 * its pages land.  The entry with no href stands for the site's pages
 * flagged "in menu", in their menu order (site_pages). */
static const struct {
	const char	*href;
	const char	*label;
	int		 signed_in;
} nav_items[] = {
	{ "/",		"Home",		0 },
	{ "/agenda",	"Agenda",	0 },
	{ "/speakers",	"Speakers",	0 },
	{ "/blog",	"Blog",		0 },
	{ NULL,		NULL,		0 },	/* the site's menu pages go here */
	{ "/questions",	"Questions",	1 },
	{ "/live",	"Live",		1 },
	{ "/account",	"Your account",	1 },
};

/* Is path the menu entry href or a page below it? */
static int
nav_current(const char *path, const char *href)
{
	size_t	 n = strlen(href);

	if (!path)
		return 0;
	if (strcmp(href, "/") == 0)
		return strcmp(path, "/") == 0;
	return strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Add one menu entry to the nav list. */
static void
nav_add(struct req *req, struct tv *nav, const char *href, const char *label)
{
	struct tv *item = tv_list_add_map(nav);

	tv_set_str(item, "href", href);
	tv_set_str(item, "label", label);
	tv_set_bool(item, "current", nav_current(req->path, href));
}

/* The menu for this request, built once per page: the static entries
 * and the site's menu pages (none without a database, as in unit tests,
 * or when they cannot be read: the menu is not worth failing a page). */
static struct tv *
nav_build(struct req *req)
{
	struct tv	*nav = tv_new_list(req->arena);
	struct page	*pages = NULL;
	size_t		 i, k, n = 0;

	for (i = 0; i < ARRAY_SIZE(nav_items); i++) {
		if (nav_items[i].signed_in && !req->person)
			continue;
		if (nav_items[i].href) {
			nav_add(req, nav, nav_items[i].href, nav_items[i].label);
			continue;
		}
		if (!req->db || !req->app ||
		    site_pages(req->app, req->db, req->arena, 1, &pages, &n) != E_OK)
			continue;
		for (k = 0; k < n; k++)
			nav_add(req, nav, arena_printf(req->arena, "/pages/%s", pages[k].slug),
			    pages[k].title);
	}
	return nav;
}

/* Put the values every page shares into map: title, event_name, path,
 * csrf, person, flash and nav (built by nav_build).  With keep, a key map
 * already has is left alone (a handler's own values win in its page
 * template). */
static void
add_shared(struct req *req, struct tv *map, const char *title, int keep, struct tv *nav)
{
	struct tv	*m;
	const char	*event = req->app ? event_name(req->app, req->db, req->arena) : "colead";

#define WANT(key) (!keep || !tv_get(map, (key)))
	/* The home page's title is the event name: do not say it twice. */
	if (title && *title && !str_eq(title, event) && WANT("title"))
		tv_set_str(map, "title", title);
	if (WANT("event_name"))
		tv_set_str(map, "event_name", event);
	if (WANT("path"))
		tv_set_str(map, "path", req->path ? req->path : "/");
	if (req->csrf && WANT("csrf"))
		tv_set_str(map, "csrf", req->csrf);
	if (req->person && WANT("person")) {
		m = tv_set_map(map, "person");
		tv_set_str(m, "name", req->person->name ? req->person->name : "");
		tv_set_bool(m, "organiser", (req->person->roles & ROLE_ORGANISER) != 0);
	}
	if (req->flash && WANT("flash")) {
		m = tv_set_map(map, "flash");
		tv_set_str(m, "kind", str_eq(req->flash_kind, "error") ? "error" : "ok");
		tv_set_str(m, "message", req->flash);
	}
	if (WANT("nav"))
		tv_set_tv(map, "nav", nav);
	/* The survey's reminder banner: layout only, not on its own pages. */
	if (!keep && req->person && (req->person->roles & ROLE_PARTICIPANT) && req->db &&
	    !str_starts(req->path ? req->path : "", "/questions") &&
	    survey_reminder(req->app, req->db, req->person->id))
		tv_set_bool(map, "reminder", 1);
#undef WANT
}

/* Render template name against v into a page body, then the layout around
 * it into resp->body.  The page sees the shared values too (a form needs
 * {{csrf}}), under its own.  -1 (logged) on a missing template, values
 * dropped because the arena was full (tv_complete), or output past the
 * body's cap; resp->body is then empty. */
static int
render_page(struct req *req, struct resp *resp, const char *name, const char *title,
	    struct tv *v)
{
	struct buf	 page;
	struct tv	*lv, *nav;
	int		 rc = -1;

	if (!resp->body.data)
		buf_init(&resp->body, 0);	/* a zeroed resp: start it empty */
	buf_init(&page, resp->body.max);
	buf_reset(&resp->body);
	if (!req->app || !req->app->views || !req->arena) {
		error("cannot render '%s': no views", name);
		goto out;
	}
	nav = nav_build(req);
	add_shared(req, v, title, 1, nav);
	if (!tv_complete(v)) {
		error("cannot render '%s': the request arena is full", name);
		goto out;
	}
	if (tmpl_render(req->app->views, name, v, &page) < 0) {
		error("cannot render '%s'%s", name, page.toobig ? ": page too big" : "");
		goto out;
	}
	lv = tv_new(req->arena);
	if (!lv) {
		error("cannot render '%s': arena full", name);
		goto out;
	}
	add_shared(req, lv, title, 0, nav);
	tv_set_html(lv, "body", page.data);
	if (!tv_complete(lv)) {
		error("cannot render the layout around '%s': the request arena is full", name);
		goto out;
	}
	if (tmpl_render(req->app->views, "layout", lv, &resp->body) < 0) {
		error("cannot render the layout around '%s'%s", name,
		    resp->body.toobig ? ": page too big" : "");
		goto out;
	}
	resp->content_type = "text/html; charset=utf-8";
	rc = 0;
out:
	if (rc < 0)
		buf_reset(&resp->body);
	buf_release(&page);
	return rc;
}

enum http_status
view_render(struct req *req, struct resp *resp, const char *name, const char *title,
	    struct tv *v)
{
	if (!v && req->arena)
		v = tv_new(req->arena);
	if (render_page(req, resp, name, title, v) < 0)
		return HTTP_INTERNAL;
	if (resp->status == 0)
		resp->status = HTTP_OK;
	return (enum http_status)resp->status;
}

/* The error page; when even that cannot be rendered, a plain-text body
 * with the status line's words, so the client still learns what happened. */
enum http_status
view_error(struct req *req, struct resp *resp, int status, const char *message)
{
	const char	*reason = http_reason(status);
	struct tv	*v = req->arena ? tv_new(req->arena) : NULL;

	resp->status = status;
	if (!resp->body.data)
		buf_init(&resp->body, 0);
	if (!reason)
		reason = "Error";
	if (v) {
		tv_set_int(v, "status", status);
		tv_set_str(v, "reason", reason);
		if (message && *message)
			tv_set_str(v, "message", message);
		if (render_page(req, resp, "error", reason, v) == 0)
			return (enum http_status)status;
	}
	buf_reset(&resp->body);
	buf_addf(&resp->body, "%d %s\n", status, reason);
	resp->content_type = "text/plain; charset=utf-8";
	return (enum http_status)status;
}
