/* site_http.c - the public home page (the event's name, dates, venue,
 * introduction, latest blog posts and the five principles of
 * collaborative leadership the convention is built around), the static
 * pages, and the organisers' forms for the event's details, pages and the
 * menu order.  Thin:
 * loads, fills values, renders or redirects.  No SQL and no HTML strings
 * here; Markdown reaches a page only through markdown_html. */
#include "site.h"
#include "../agenda/agenda.h"
#include "../blog/blog.h"
#include "../event/event.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../http/http.h"
#include "../../views/markdown.h"
#include "../../views/tv.h"


#define HOME_POSTS	3	/* latest posts shown on the home page */

/* The five aspects of collaborative leadership, in the convention's order.
 * Every vision section, rubric criterion and journal tag refers to one. */
static const struct {
	const char *key, *title, *summary;
} principles[] = {
	{ "personal", "It's personal",
	  "Knowing what drives you gives you the energy and resilience to lead change." },
	{ "enabling", "Enabling and facilitative",
	  "Create the conditions for others: connect people, share skills, build knowledge together." },
	{ "trust", "Relationships and trust",
	  "Change travels through relationships, and collaboration starts from trust rather than contracts." },
	{ "purpose", "Shared purpose",
	  "Find and name the purpose everyone is working towards, and see your part in it." },
	{ "results", "Shared results",
	  "Be accountable for meaningful change, learning and adapting alongside partners." },
};

/* Split plain text into paragraphs on blank lines. */
static void
add_paragraphs(struct tv *list, struct arena *a, const char *text)
{
	const char *p = text, *end;

	while (*p) {
		while (*p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		end = strstr(p, "\n\n");
		if (!end)
			end = p + strlen(p);
		tv_list_add_str(list, arena_strndup(a, p, (size_t)(end - p)));
		p = end;
	}
}

/* The latest public posts for the home page: -1 on a database error. */
static int
latest_posts(struct req *req, struct tv *v)
{
	struct post	*posts = NULL;
	struct tv	*list, *m;
	size_t		 n = 0, i;

	if (blog_posts(req->app, req->db, req->arena, 0, HOME_POSTS, &posts, &n) != E_OK)
		return -1;
	list = tv_set_list(v, "posts");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "slug", posts[i].slug);
		tv_set_str(m, "title", posts[i].title);
		tv_set_str(m, "summary", *posts[i].summary ? posts[i].summary : NULL);
		tv_set_str(m, "date", blog_date_text(req->arena, posts[i].published_at));
		tv_set_str(m, "datetime", blog_time_rfc3339(req->arena, posts[i].published_at));
	}
	tv_set_bool(v, "has_posts", n > 0);
	return 0;
}

/* Fill list with the sessions of a NULL-terminated array: title, link,
 * times, room, and the date when it is not today. */
static void
now_next_values(struct req *req, struct tv *list, struct agenda_session **ss,
		const char *today)
{
	struct tv *m;

	for (; ss && *ss; ss++) {
		const struct agenda_session *s = *ss;

		m = tv_list_add_map(list);
		tv_set_int(m, "id", s->id);
		tv_set_str(m, "title", s->title);
		tv_setf(m, "start", "%02d:%02d", s->start_min / 60, s->start_min % 60);
		tv_setf(m, "end", "%02d:%02d", s->end_min / 60, s->end_min % 60);
		tv_set_str(m, "room", s->room && *s->room ? s->room : NULL);
		if (s->date && strcmp(s->date, today) != 0) {
			struct event e = { .starts_on = s->date, .ends_on = s->date };

			tv_set_str(m, "date", event_dates_text(req->arena, &e));
		}
	}
}

/* "On now" and "Next" from the agenda; nothing when the programme is
 * empty or over. */
static int
now_next(struct req *req, struct event *e, struct tv *v)
{
	struct agenda		  ag;
	struct agenda_session	**now = NULL, **next = NULL;
	char			  today[11];
	int			  minute;
	int64_t			  t = now_unix();

	if (agenda_now_next(req->app, req->db, req->arena, t, &ag, &now, &next) != E_OK)
		return -1;
	event_local_time(e->timezone, t, today, &minute);
	tv_set_bool(v, "has_now", now && now[0]);
	tv_set_bool(v, "has_next", next && next[0]);
	now_next_values(req, tv_set_list(v, "now"), now, today);
	now_next_values(req, tv_set_list(v, "next"), next, today);
	return 0;
}

/* GET /: the home page.  Visitors without a flash message all see the
 * same page, so theirs is rendered once and kept (page_cache), without a
 * query, for PAGE_CACHE_TTL seconds: what is on now moves with the clock,
 * and another instance's (or the command line's) new post or event
 * details show within that time.  This process forgets it at once when
 * the programme changes (the key's version), and when its organisers
 * save the event details, a post or a page. */
static enum http_status
home(struct req *req, struct resp *resp)
{
	struct event	 e;
	struct tv	*v = tv_new(req->arena), *list, *m;
	size_t		 i;
	int		 cacheable = !req->person && !req->flash;
	int64_t		 version = 0;
	enum http_status st;
	enum app_err	 rc;

	if (cacheable) {
		version = agenda_version(req->app, req->db);
		if (page_cache_get("home", version, &resp->body)) {
			resp->status = HTTP_OK;
			resp->content_type = "text/html; charset=utf-8";
			return HTTP_OK;
		}
	}
	rc = event_get(req->db, req->arena, req->app->event_id, &e);
	if (rc != E_OK)
		return http_status_for(rc);
	tv_set_str(v, "name", e.name);
	tv_set_str(v, "tagline", *e.tagline ? e.tagline : NULL);
	tv_set_str(v, "dates", event_dates_text(req->arena, &e));
	tv_set_str(v, "venue", *e.venue ? e.venue : NULL);
	tv_set_str(v, "venue_address", *e.venue_address ? e.venue_address : NULL);
	add_paragraphs(tv_set_list(v, "intro"), req->arena, e.intro);
	tv_set_bool(v, "has_intro", *e.intro != '\0');
	list = tv_set_list(v, "principles");
	for (i = 0; i < ARRAY_SIZE(principles); i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "key", principles[i].key);
		tv_set_str(m, "title", principles[i].title);
		tv_set_str(m, "summary", principles[i].summary);
	}
	if (req->person)
		tv_set_str(v, "first_name", req->person->name);
	if (latest_posts(req, v) < 0 || now_next(req, &e, v) < 0)
		return HTTP_INTERNAL;
	st = view_render(req, resp, "site/home", e.name, v);
	if (cacheable && st == HTTP_OK && !resp->body.toobig)
		page_cache_put("home", version, resp->body.data, resp->body.len);
	return st;
}

/* Is the requesting person an organiser (who gets edit links)? */
static int
is_organiser(const struct req *req)
{
	return req->person && (req->person->roles & ROLE_ORGANISER);
}

/* GET /pages/SLUG: one static page. */
static enum http_status
page_show(struct req *req, struct resp *resp)
{
	struct page	 p;
	struct tv	*v = tv_new(req->arena);
	const char	*html;
	enum app_err	 rc;

	rc = site_page_by_slug(req->app, req->db, req->arena, req_param(req, "slug"), &p);
	if (rc != E_OK)
		return http_status_for(rc);
	html = markdown_html(req->arena, p.body, strlen(p.body));
	if (!html)
		return HTTP_INTERNAL;
	tv_set_str(v, "page_title", p.title);
	tv_set_int(v, "page_id", p.id);
	tv_set_html(v, "body_html", html);
	tv_set_bool(v, "organiser", is_organiser(req));
	return view_render(req, resp, "site/page", p.title, v);
}

/* The organisers' list of pages with the menu order form; bad_id names
 * the page whose order field was refused (its input is shown again with
 * the message), 0 for none. */
static enum http_status
pages_list(struct req *req, struct resp *resp, int status, int64_t bad_id)
{
	struct page	*pages = NULL;
	struct tv	*v = tv_new(req->arena), *list, *m;
	size_t		 n = 0, i;
	enum app_err	 rc;

	rc = site_pages(req->app, req->db, req->arena, 0, &pages, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "pages");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", pages[i].id);
		tv_set_str(m, "slug", pages[i].slug);
		tv_set_str(m, "title", pages[i].title);
		tv_set_bool(m, "in_menu", pages[i].in_menu);
		tv_set_int(m, "menu_order", pages[i].menu_order);
		if (pages[i].id == bad_id) {
			tv_set_str(m, "order_value", req_form_trim(req,
			    arena_printf(req->arena, "order_%" PRId64, bad_id)));
			tv_set_str(m, "error", "use a whole number from 0 to 9999");
		}
	}
	tv_set_bool(v, "any", n > 0);
	resp->status = status;
	return view_render(req, resp, "site/admin", "Manage pages", v);
}

/* GET /admin/pages: every page with the menu order form. */
static enum http_status
admin_pages(struct req *req, struct resp *resp)
{
	return pages_list(req, resp, HTTP_OK, 0);
}

/* POST /admin/pages/order: order_ID=N for each page listed. */
static enum http_status
admin_order(struct req *req, struct resp *resp)
{
	struct page	*pages = NULL;
	int64_t		*ids, *orders;
	size_t		 n = 0, i, k = 0;
	const char	*val;
	enum app_err	 rc;

	rc = site_pages(req->app, req->db, req->arena, 0, &pages, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	ids = arena_alloc(req->arena, (n + 1) * sizeof(*ids));
	orders = arena_alloc(req->arena, (n + 1) * sizeof(*orders));
	if (!ids || !orders)
		return HTTP_TOO_LARGE;
	for (i = 0; i < n; i++) {
		val = req_form_trim(req, arena_printf(req->arena, "order_%" PRId64, pages[i].id));
		if (!*val)
			continue;	/* not in the form: left as it is */
		if (str_to_i64(val, strlen(val), &orders[k]) < 0 || orders[k] < 0 ||
		    orders[k] > SITE_ORDER_MAX)
			return pages_list(req, resp, HTTP_UNPROCESSABLE, pages[i].id);
		ids[k++] = pages[i].id;
	}
	rc = site_menu_order(req->app, req->db, ids, orders, k);
	if (rc != E_OK)
		return http_status_for(rc);
	page_cache_clear();	/* the menu is on every cached page */
	return resp_redirect_flash(req, resp, "/admin/pages", "ok", "The menu order is saved.");
}

/* The page form, with errors and, when preview is set, the rendered
 * Markdown beside it. */
static enum http_status
page_form(struct req *req, struct resp *resp, int status, const struct page *p,
	  const char *order, const struct page_errors *e, int preview)
{
	struct tv	*v = tv_new(req->arena), *m, *errs;
	const char	*html;

	m = tv_set_map(v, "page");
	tv_set_int(m, "id", p->id);
	tv_set_str(m, "title", p->title ? p->title : "");
	tv_set_str(m, "slug", p->slug ? p->slug : "");
	tv_set_str(m, "body", p->body ? p->body : "");
	tv_set_bool(m, "in_menu", p->in_menu);
	tv_set_str(m, "menu_order", order);
	tv_set_str(v, "action", p->id ? arena_printf(req->arena, "/admin/pages/%" PRId64, p->id)
	    : "/admin/pages/new");
	tv_set_bool(v, "editing", p->id != 0);
	errs = tv_set_map(v, "errors");
	if (e) {
		tv_set_str(errs, "title", e->title);
		tv_set_str(errs, "slug", e->slug);
		tv_set_str(errs, "body", e->body);
		tv_set_str(errs, "menu_order", e->menu_order);
	}
	if (preview && !(e && e->body)) {
		html = markdown_html(req->arena, p->body ? p->body : "", p->body ? strlen(p->body) : 0);
		if (!html)
			return HTTP_INTERNAL;
		tv_set_html(v, "preview_html", html);
		tv_set_bool(v, "preview", 1);
	}
	resp->status = status;
	return view_render(req, resp, "site/form", p->id ? "Edit page" : "New page", v);
}

/* GET /admin/pages/new: an empty page form. */
static enum http_status
admin_page_new(struct req *req, struct resp *resp)
{
	struct page p;

	memset(&p, 0, sizeof(p));
	return page_form(req, resp, HTTP_OK, &p, "0", NULL, 0);
}

/* GET /admin/pages/ID: the form filled with the page. */
static enum http_status
admin_page_edit(struct req *req, struct resp *resp)
{
	struct page	p;
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = site_page_get(req->app, req->db, req->arena, id, &p);
	if (rc != E_OK)
		return http_status_for(rc);
	return page_form(req, resp, HTTP_OK, &p,
	    arena_printf(req->arena, "%" PRId64, p.menu_order), NULL, 0);
}

/* Save or preview the page form; id 0 creates. */
static enum http_status
page_submit(struct req *req, struct resp *resp, int64_t id)
{
	struct page		p;
	struct page_errors	e;
	const char		*order = req_form_trim(req, "menu_order");
	int			 preview = str_eq(req_form(req, "action"), "preview");
	enum app_err		 rc;

	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	p.id = id;
	p.title = req_form_trim(req, "title");
	p.slug = req_form_trim(req, "slug");
	p.body = req_form(req, "body") ? req_form(req, "body") : "";
	p.in_menu = str_eq(req_form(req, "in_menu"), "1");
	if (!*order)
		p.menu_order = 0;
	else if (str_to_i64(order, strlen(order), &p.menu_order) < 0)
		e.menu_order = "use a whole number from 0 to 9999";
	if (preview || e.menu_order) {
		rc = site_page_check(req->arena, &p, &e);
		if (rc != E_OK && rc != E_INVALID)
			return http_status_for(rc);
		return page_form(req, resp, rc == E_OK ? HTTP_OK : HTTP_UNPROCESSABLE, &p, order,
		    &e, preview);
	}
	rc = site_page_save(req->app, req->db, req->arena, &p, &e);
	if (rc == E_INVALID)
		return page_form(req, resp, HTTP_UNPROCESSABLE, &p, order, &e, 0);
	if (rc != E_OK)
		return http_status_for(rc);
	page_cache_clear();	/* the menu is on every cached page */
	return resp_redirect_flash(req, resp, "/admin/pages", "ok", "The page is saved.");
}

/* POST /admin/pages/new: preview or save a new page. */
static enum http_status
admin_page_create(struct req *req, struct resp *resp)
{
	return page_submit(req, resp, 0);
}

/* POST /admin/pages/ID: preview or save changes to a page that exists. */
static enum http_status
admin_page_update(struct req *req, struct resp *resp)
{
	struct page	old;
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = site_page_get(req->app, req->db, req->arena, id, &old);
	if (rc != E_OK)
		return http_status_for(rc);
	return page_submit(req, resp, id);
}

/* POST /admin/pages/ID/delete: delete a page. */
static enum http_status
admin_page_delete(struct req *req, struct resp *resp)
{
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = site_page_delete(req->app, req->db, id);
	if (rc != E_OK)
		return http_status_for(rc);
	page_cache_clear();	/* the menu is on every cached page */
	return resp_redirect_flash(req, resp, "/admin/pages", "ok", "The page is deleted.");
}

/* The event details form, with errors when e is set. */
static enum http_status
event_form(struct req *req, struct resp *resp, int status, const struct event *ev,
	   const struct event_errors *e)
{
	struct tv	*v = tv_new(req->arena), *m, *errs;

	m = tv_set_map(v, "event");
	tv_set_str(m, "name", ev->name ? ev->name : "");
	tv_set_str(m, "tagline", ev->tagline ? ev->tagline : "");
	tv_set_str(m, "intro", ev->intro ? ev->intro : "");
	tv_set_str(m, "venue", ev->venue ? ev->venue : "");
	tv_set_str(m, "venue_address", ev->venue_address ? ev->venue_address : "");
	tv_set_str(m, "starts_on", ev->starts_on ? ev->starts_on : "");
	tv_set_str(m, "ends_on", ev->ends_on ? ev->ends_on : "");
	tv_set_str(m, "timezone", ev->timezone ? ev->timezone : "");
	errs = tv_set_map(v, "errors");
	if (e) {
		tv_set_str(errs, "name", e->name);
		tv_set_str(errs, "tagline", e->tagline);
		tv_set_str(errs, "intro", e->intro);
		tv_set_str(errs, "venue", e->venue);
		tv_set_str(errs, "venue_address", e->venue_address);
		tv_set_str(errs, "starts_on", e->starts_on);
		tv_set_str(errs, "ends_on", e->ends_on);
		tv_set_str(errs, "timezone", e->timezone);
	}
	resp->status = status;
	return view_render(req, resp, "site/event", "Event details", v);
}

/* GET /admin/event: the event's details in a form. */
static enum http_status
admin_event(struct req *req, struct resp *resp)
{
	struct event	e;
	enum app_err	rc;

	rc = event_get(req->db, req->arena, req->app->event_id, &e);
	if (rc != E_OK)
		return http_status_for(rc);
	return event_form(req, resp, HTTP_OK, &e, NULL);
}

/* POST /admin/event: save the event's details.  What visitors were given
 * from the page cache goes, so the home page shows the change at once. */
static enum http_status
admin_event_save(struct req *req, struct resp *resp)
{
	struct event		e;
	struct event_errors	err;
	enum app_err		rc;

	memset(&e, 0, sizeof(e));
	e.name = req_form_trim(req, "name");
	e.tagline = req_form_trim(req, "tagline");
	e.intro = req_form(req, "intro") ? req_form(req, "intro") : "";
	e.venue = req_form_trim(req, "venue");
	e.venue_address = req_form_trim(req, "venue_address");
	e.starts_on = req_form_trim(req, "starts_on");
	e.ends_on = req_form_trim(req, "ends_on");
	e.timezone = req_form_trim(req, "timezone");
	rc = event_update(req->app, req->db, &e, &err);
	if (rc == E_INVALID)
		return event_form(req, resp, HTTP_UNPROCESSABLE, &e, &err);
	if (rc != E_OK)
		return http_status_for(rc);
	page_cache_clear();
	return resp_redirect_flash(req, resp, "/admin/event", "ok", "The event details are saved.");
}

const struct route site_routes[] = {
	{ "GET",  "/",				home,			0 },
	{ "GET",  "/pages/:slug",		page_show,		0 },
	{ "GET",  "/admin/event",		admin_event,		ROUTE_ORGANISER },
	{ "POST", "/admin/event",		admin_event_save,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/admin/pages",		admin_pages,		ROUTE_ORGANISER },
	{ "POST", "/admin/pages/order",		admin_order,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/admin/pages/new",		admin_page_new,		ROUTE_ORGANISER },
	{ "POST", "/admin/pages/new",		admin_page_create,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/admin/pages/:id",		admin_page_edit,	ROUTE_ORGANISER },
	{ "POST", "/admin/pages/:id",		admin_page_update,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/admin/pages/:id/delete",	admin_page_delete,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
