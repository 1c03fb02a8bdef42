/* blog_http.c - the blog's pages: the public index and post pages, the
 * Atom feed, GET /api/posts, and the organisers' forms to write, preview,
 * publish and delete posts.  Thin: reads the form, calls blog.c, fills
 * template values, renders or redirects.  No SQL and no HTML strings here;
 * Markdown reaches a page only through markdown_html. */
#include "blog.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../http/http.h"
#include "../../views/markdown.h"
#include "../../views/tv.h"

/* The site's absolute URL without a trailing slash, for the feed and the
 * API: cfg.base_url, else the request's Host (when it looks like a host
 * name, else "localhost"). */
static const char *
site_base(struct req *req)
{
	const char	*b = req->app->cfg ? req->app->cfg->base_url : NULL;
	const char	*host = req_header(req, "Host"), *h;
	size_t		 n;

	if (b && *b) {
		n = strlen(b);
		while (n > 0 && b[n - 1] == '/')
			n--;
		return arena_strndup(req->arena, b, n);
	}
	for (h = host; h && *h; h++)
		if (!isalnum((unsigned char)*h) && !strchr(".-:[]", *h))
			break;
	if (!host || !*host || *h || strlen(host) > 255)
		host = "localhost";
	return arena_printf(req->arena, "%s://%s", req->app->tls ? "https" : "http", host);
}

/* Is the requesting person an organiser (who sees drafts)? */
static int
is_organiser(const struct req *req)
{
	return req->person && (req->person->roles & ROLE_ORGANISER);
}

/* The values a template shows for one post (not its body). */
static void
post_values(struct tv *m, struct arena *a, const struct post *p)
{
	tv_set_int(m, "id", p->id);
	tv_set_str(m, "slug", p->slug);
	tv_set_str(m, "title", p->title);
	tv_set_str(m, "summary", *p->summary ? p->summary : NULL);
	tv_set_str(m, "author", p->author);
	tv_set_bool(m, "draft", p->draft);
	tv_set_bool(m, "scheduled", !p->draft && p->published_at > now_unix());
	tv_set_str(m, "date", p->published_at ? blog_date_text(a, p->published_at) : NULL);
	tv_set_str(m, "datetime", p->published_at ? blog_time_rfc3339(a, p->published_at) : NULL);
}

/* GET /blog: the public posts, or every post for an organiser. */
static enum http_status
blog_index(struct req *req, struct resp *resp)
{
	struct post	*posts = NULL;
	struct tv	*v = tv_new(req->arena), *list;
	size_t		 n = 0, i;
	enum app_err	 rc;

	rc = blog_posts(req->app, req->db, req->arena, is_organiser(req), 0, &posts, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "posts");
	for (i = 0; i < n; i++)
		post_values(tv_list_add_map(list), req->arena, &posts[i]);
	tv_set_bool(v, "organiser", is_organiser(req));
	return view_render(req, resp, "blog/index", "Blog", v);
}

/* GET /blog/SLUG: one post; a draft or a post due later is 404 for
 * anyone but an organiser. */
static enum http_status
blog_show(struct req *req, struct resp *resp)
{
	struct post	 p;
	struct tv	*v = tv_new(req->arena);
	const char	*html;
	enum app_err	 rc;

	rc = blog_post_by_slug(req->app, req->db, req->arena, req_param(req, "slug"),
	    is_organiser(req), &p);
	if (rc != E_OK)
		return http_status_for(rc);
	html = markdown_html(req->arena, p.body, strlen(p.body));
	if (!html)
		return HTTP_INTERNAL;
	post_values(tv_set_map(v, "post"), req->arena, &p);
	tv_set_html(v, "body_html", html);
	tv_set_bool(v, "organiser", is_organiser(req));
	return view_render(req, resp, "blog/post", p.title, v);
}

/* GET /blog.atom: the Atom feed of the public posts. */
static enum http_status
blog_feed(struct req *req, struct resp *resp)
{
	enum app_err rc;

	rc = blog_atom(req->app, req->db, req->arena, site_base(req), &resp->body);
	if (rc != E_OK)
		return http_status_for(rc);
	resp->content_type = "application/atom+xml; charset=utf-8";
	/* Shared caches may keep it only when its links do not come from
	 * the request's Host header. */
	if (req->app->cfg && req->app->cfg->base_url && *req->app->cfg->base_url)
		resp->cache = "public, max-age=300";
	resp->status = HTTP_OK;
	return HTTP_OK;
}

/* GET /api/posts: the public posts as JSON (docs/api.md). */
static enum http_status
api_posts(struct req *req, struct resp *resp)
{
	enum app_err rc;

	rc = blog_json(req->app, req->db, req->arena, site_base(req), &resp->body);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_json(resp, HTTP_OK);
}

/* GET /admin/blog: every post, drafts first, with edit links. */
static enum http_status
admin_list(struct req *req, struct resp *resp)
{
	struct post	*posts = NULL;
	struct tv	*v = tv_new(req->arena), *list;
	size_t		 n = 0, i;
	enum app_err	 rc;

	rc = blog_posts(req->app, req->db, req->arena, 1, 0, &posts, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "posts");
	for (i = 0; i < n; i++)
		post_values(tv_list_add_map(list), req->arena, &posts[i]);
	tv_set_bool(v, "any", n > 0);
	return view_render(req, resp, "blog/admin", "Manage posts", v);
}

/* The post form, with the errors next to their fields and, when preview
 * is set, the rendered Markdown beside it. */
static enum http_status
post_form(struct req *req, struct resp *resp, int status, const struct post *p,
	  const char *when, const struct post_errors *e, int preview)
{
	struct tv	*v = tv_new(req->arena), *m, *errs;
	const char	*html;

	m = tv_set_map(v, "post");
	tv_set_int(m, "id", p->id);
	tv_set_str(m, "title", p->title ? p->title : "");
	tv_set_str(m, "slug", p->slug ? p->slug : "");
	tv_set_str(m, "summary", p->summary ? p->summary : "");
	tv_set_str(m, "body", p->body ? p->body : "");
	tv_set_str(m, "published_at", when);
	tv_set_bool(m, "draft", p->draft);
	tv_set_str(v, "action", p->id ? arena_printf(req->arena, "/admin/blog/%" PRId64, p->id)
	    : "/admin/blog/new");
	tv_set_bool(v, "editing", p->id != 0);
	errs = tv_set_map(v, "errors");
	if (e) {
		tv_set_str(errs, "title", e->title);
		tv_set_str(errs, "slug", e->slug);
		tv_set_str(errs, "summary", e->summary);
		tv_set_str(errs, "body", e->body);
		tv_set_str(errs, "published_at", e->published_at);
		tv_set_bool(v, "has_errors", e->title || e->slug || e->summary || e->body ||
		    e->published_at);
	}
	if (preview && !(e && e->body)) {
		html = markdown_html(req->arena, p->body ? p->body : "", p->body ? strlen(p->body) : 0);
		if (!html)
			return HTTP_INTERNAL;
		tv_set_html(v, "preview_html", html);
		tv_set_bool(v, "preview", 1);
	}
	resp->status = status;
	return view_render(req, resp, "blog/form", p->id ? "Edit post" : "New post", v);
}

/* GET /admin/blog/new: an empty form for a draft. */
static enum http_status
admin_new(struct req *req, struct resp *resp)
{
	struct post p;

	memset(&p, 0, sizeof(p));
	p.draft = 1;
	return post_form(req, resp, HTTP_OK, &p, "", NULL, 0);
}

/* GET /admin/blog/ID: the form filled with the post. */
static enum http_status
admin_edit(struct req *req, struct resp *resp)
{
	struct post	p;
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = blog_post_get(req->app, req->db, req->arena, id, &p);
	if (rc != E_OK)
		return http_status_for(rc);
	return post_form(req, resp, HTTP_OK, &p, blog_time_input(req->arena, p.published_at),
	    NULL, 0);
}

/* Save or preview the post form; id 0 creates. */
static enum http_status
post_submit(struct req *req, struct resp *resp, int64_t id)
{
	struct post		p;
	struct post_errors	e;
	const char		*when = req_form_trim(req, "published_at");
	int			 preview = str_eq(req_form(req, "action"), "preview");
	const char		*msg;
	enum app_err		 rc;

	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	p.id = id;
	p.title = req_form_trim(req, "title");
	p.slug = req_form_trim(req, "slug");
	p.summary = req_form_trim(req, "summary");
	p.body = req_form(req, "body") ? req_form(req, "body") : "";
	p.draft = !str_eq(req_form(req, "status"), "published");
	if (blog_time_parse(when, &p.published_at) < 0)
		e.published_at = "use a date and time such as 2027-03-11T09:30";
	if (preview) {
		rc = blog_post_check(req->arena, &p, &e);
		if (rc != E_OK && rc != E_INVALID)
			return http_status_for(rc);
		return post_form(req, resp, rc == E_OK ? HTTP_OK : HTTP_UNPROCESSABLE, &p, when,
		    &e, 1);
	}
	if (e.published_at)
		rc = blog_post_check(req->arena, &p, &e);
	else
		rc = blog_post_save(req->app, req->db, req->arena, req->person->id, &p, &e);
	if (rc == E_INVALID)
		return post_form(req, resp, HTTP_UNPROCESSABLE, &p, when, &e, 0);
	if (rc != E_OK)
		return http_status_for(rc);
	page_cache_clear();	/* the home page lists the latest posts */
	if (p.draft)
		msg = "The draft is saved.";
	else if (p.published_at > now_unix())
		msg = arena_printf(req->arena, "The post is saved and will be public from %s UTC.",
		    blog_time_input(req->arena, p.published_at));
	else
		msg = "The post is saved and published.";
	return resp_redirect_flash(req, resp, "/admin/blog", "ok", msg);
}

/* POST /admin/blog/new: preview or save a new post. */
static enum http_status
admin_create(struct req *req, struct resp *resp)
{
	return post_submit(req, resp, 0);
}

/* POST /admin/blog/ID: preview or save changes to a post that exists. */
static enum http_status
admin_update(struct req *req, struct resp *resp)
{
	struct post	old;
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = blog_post_get(req->app, req->db, req->arena, id, &old);
	if (rc != E_OK)
		return http_status_for(rc);
	return post_submit(req, resp, id);
}

/* POST /admin/blog/ID/delete: delete a post. */
static enum http_status
admin_delete(struct req *req, struct resp *resp)
{
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = blog_post_delete(req->app, req->db, id);
	if (rc != E_OK)
		return http_status_for(rc);
	page_cache_clear();
	return resp_redirect_flash(req, resp, "/admin/blog", "ok", "The post is deleted.");
}

const struct route blog_routes[] = {
	{ "GET",  "/blog",			blog_index,	0 },
	{ "GET",  "/blog/:slug",		blog_show,	0 },
	{ "GET",  "/blog.atom",			blog_feed,	0 },
	{ "GET",  "/api/posts",			api_posts,	ROUTE_JSON },
	{ "GET",  "/admin/blog",		admin_list,	ROUTE_ORGANISER },
	{ "GET",  "/admin/blog/new",		admin_new,	ROUTE_ORGANISER },
	{ "POST", "/admin/blog/new",		admin_create,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/admin/blog/:id",		admin_edit,	ROUTE_ORGANISER },
	{ "POST", "/admin/blog/:id",		admin_update,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/admin/blog/:id/delete",	admin_delete,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
