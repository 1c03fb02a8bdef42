/* site.h - the public site around the blog and the agenda: static pages
 * written in Markdown by organisers (venue, accessibility, code of
 * conduct...), some of them listed in the main menu in an order the
 * organisers choose.  The public interface of the site feature; only
 * site_store.c holds its SQL, and nothing here knows about HTTP. */
#ifndef COLEAD_SITE_H
#define COLEAD_SITE_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct db;

#define SITE_TITLE_MAX		100	/* characters: it may be a menu label */
#define SITE_BODY_MAX		102400	/* bytes of Markdown */
#define SITE_ORDER_MAX		9999	/* menu_order is 0..SITE_ORDER_MAX */

struct page {
	int64_t		 id;		/* 0: not saved yet */
	const char	*slug;		/* the page is at /pages/SLUG */
	const char	*title;
	const char	*body;		/* Markdown */
	int		 in_menu;	/* 1: listed in the main menu */
	int64_t		 menu_order;	/* smaller first */
};

/* What is wrong with each field of a page form; NULL where nothing is. */
struct page_errors {
	const char	*title;
	const char	*slug;
	const char	*body;
	const char	*menu_order;
};

/* Check and tidy a page: title required (at most SITE_TITLE_MAX
 * characters, one line), slug as blog_slug_ok (made from the title when
 * empty), body at most SITE_BODY_MAX bytes, menu order in range.  Messages
 * already in *e are kept; E_INVALID if any is set afterwards. */
enum app_err	 site_page_check(struct arena *a, struct page *p, struct page_errors *e);
/* Insert (p->id 0; sets it) or update after site_page_check.  E_INVALID
 * with e->slug for a slug another page has; E_NOTFOUND for an unknown id. */
enum app_err	 site_page_save(struct app *app, struct db *db, struct arena *a,
			struct page *p, struct page_errors *e);
enum app_err	 site_page_delete(struct app *app, struct db *db, int64_t id);
enum app_err	 site_page_get(struct app *app, struct db *db, struct arena *a, int64_t id,
			struct page *p);
enum app_err	 site_page_by_slug(struct app *app, struct db *db, struct arena *a,
			const char *slug, struct page *p);
/* Pages in menu order (then title, id); with menu_only, only those in the
 * menu.  *out is an array in the arena. */
enum app_err	 site_pages(struct app *app, struct db *db, struct arena *a, int menu_only,
			struct page **out, size_t *n);
/* Set the menu order of n pages in one transaction: all or nothing.
 * E_INVALID if an order is out of range, E_NOTFOUND if an id is unknown. */
enum app_err	 site_menu_order(struct app *app, struct db *db, const int64_t *ids,
			const int64_t *orders, size_t n);

/* The demo's pages (venue, accessibility, code of conduct), inside the
 * caller's transaction; 0 or -1 (logged). */
int		 site_demo(struct app *app, struct db *db, struct arena *a);

#endif
