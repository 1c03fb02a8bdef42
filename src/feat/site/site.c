/* site.c - the rules of the site's static pages: what a valid page is,
 * the menu order, and the demo's pages (venue, accessibility, code of
 * conduct).  Reads and writes only through site_store.c; knows nothing of
 * HTTP. */
#include "site.h"
#include "site_store.h"
#include "../blog/blog.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

enum app_err
site_page_check(struct arena *a, struct page *p, struct page_errors *e)
{
	size_t	 n, chars;
	char	*slug;

	if (!p->title)
		p->title = "";
	if (!p->body)
		p->body = "";
	if (!p->slug)
		p->slug = "";
	n = strlen(p->title);
	chars = utf8_len(p->title, n);
	if (!e->title && (chars == (size_t)-1 || utf8_has_controls(p->title, n, 1)))
		e->title = "this contains characters that are not allowed";
	else if (!e->title && chars == 0)
		e->title = "this cannot be empty";
	else if (!e->title && chars > SITE_TITLE_MAX)
		e->title = "use at most 100 characters";
	n = strlen(p->body);
	if (!e->body && n > SITE_BODY_MAX)
		e->body = "the text is too long: use at most 100 KB";
	else if (!e->body && (!utf8_valid(p->body, n) || utf8_has_controls(p->body, n, 0)))
		e->body = "the text contains characters that are not allowed";
	if (!e->menu_order && (p->menu_order < 0 || p->menu_order > SITE_ORDER_MAX))
		e->menu_order = "use a whole number from 0 to 9999";
	if (!e->slug) {
		slug = *p->slug ? str_lower(a, p->slug) : blog_slugify(a, p->title);
		if (!slug)
			return E_TOOBIG;
		if (strlen(slug) > BLOG_SLUG_MAX)
			e->slug = "use at most 80 characters";
		else if (*slug && !blog_slug_ok(slug))
			e->slug = "use only letters a-z, digits and single dashes, not at either end";
		else if (!*slug && !e->title)
			e->slug = "choose an address for the page: letters a-z, digits and dashes";
		p->slug = slug;
	}
	if (e->title || e->slug || e->body || e->menu_order)
		return E_INVALID;
	return E_OK;
}

enum app_err
site_page_save(struct app *app, struct db *db, struct arena *a, struct page *p,
	       struct page_errors *e)
{
	enum app_err rc = site_page_check(a, p, e);

	if (rc != E_OK)
		return rc;
	if (p->id)
		rc = site_store_update(db, app->event_id, p, now_unix());
	else
		rc = site_store_add(db, app->event_id, p, now_unix(), &p->id);
	if (rc == E_CONFLICT) {
		e->slug = "another page already has this address: choose another";
		return E_INVALID;
	}
	return rc;
}

enum app_err
site_page_delete(struct app *app, struct db *db, int64_t id)
{
	return site_store_delete(db, app->event_id, id);
}

enum app_err
site_page_get(struct app *app, struct db *db, struct arena *a, int64_t id, struct page *p)
{
	return site_store_get(db, a, app->event_id, id, p);
}

enum app_err
site_page_by_slug(struct app *app, struct db *db, struct arena *a, const char *slug,
		  struct page *p)
{
	if (!blog_slug_ok(slug))
		return E_NOTFOUND;
	return site_store_by_slug(db, a, app->event_id, slug, p);
}

enum app_err
site_pages(struct app *app, struct db *db, struct arena *a, int menu_only,
	   struct page **out, size_t *n)
{
	return site_store_list(db, a, app->event_id, menu_only, out, n);
}

enum app_err
site_menu_order(struct app *app, struct db *db, const int64_t *ids, const int64_t *orders,
		size_t n)
{
	enum app_err	rc = E_OK;
	size_t		i;

	for (i = 0; i < n; i++)
		if (orders[i] < 0 || orders[i] > SITE_ORDER_MAX)
			return E_INVALID;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	for (i = 0; i < n && rc == E_OK; i++)
		rc = site_store_set_order(db, app->event_id, ids[i], orders[i]);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		db_rollback(db);
	return rc;
}

/* The demo's static pages, in the project's own words.  The venue is
 * fictional. */
static const struct {
	const char	*slug, *title, *body;
	int		 in_menu;
	int64_t		 order;
} demo_pages[] = {
	{ "venue", "Venue",
	  "The convention takes place at the **Riverside Conference Centre**, "
	  "Canal Street, Loughborough. (The venue is made up for this demo.)\n\n"
	  "## Getting there\n\n"
	  "- **By train:** Loughborough station is about fifteen minutes' walk "
	  "away, or a short taxi ride. A shuttle bus will meet the morning trains "
	  "on both days.\n"
	  "- **By car:** parking on site is limited, so please share lifts where "
	  "you can. Blue Badge spaces are kept next to the main entrance.\n"
	  "- **By bike:** there are covered racks beside the canal entrance.\n\n"
	  "## On the day\n\n"
	  "Registration opens at 8:30 in the main foyer. The plenary hall, the "
	  "workshop rooms and the café are all on the ground floor. Free wifi "
	  "details are on your badge.\n\n"
	  "## Staying over\n\n"
	  "A block of rooms is held at two hotels within walking distance; the "
	  "booking link is in your joining instructions.", 1, 10 },
	{ "accessibility", "Accessibility",
	  "We want everyone to be able to take a full part in the convention. "
	  "Tell us what you need when you register, or at any time before the "
	  "event, and we will do our best to arrange it.\n\n"
	  "## At the venue\n\n"
	  "- Step-free access to every room we use, with automatic doors at the "
	  "main entrance.\n"
	  "- Accessible toilets on the ground floor, next to the plenary hall.\n"
	  "- A hearing loop in the plenary hall and in two workshop rooms.\n"
	  "- A quiet room, away from the busy areas, open throughout both days.\n"
	  "- Reserved seating near the front and at the end of rows.\n\n"
	  "## Sessions and materials\n\n"
	  "Keynotes are live-captioned and slides are shared in advance on "
	  "request. Everything on this website, including the live polls and "
	  "questions, works with a screen reader and on a phone, and nothing "
	  "needs a mouse.\n\n"
	  "## Food\n\n"
	  "Every meal has vegetarian, vegan and gluten-free options. Please tell "
	  "us about allergies when you register.", 1, 20 },
	{ "code-of-conduct", "Code of conduct",
	  "The convention works because people are willing to be honest about "
	  "what is hard. That only happens where everyone feels safe, so we ask "
	  "all participants, speakers, facilitators and organisers to follow "
	  "this code, in the rooms and online.\n\n"
	  "## What we expect\n\n"
	  "- Listen generously and assume good intent.\n"
	  "- Challenge ideas, not people. The Dragon's Den is a test of a plan, "
	  "not of the person presenting it.\n"
	  "- Respect confidentiality: stories shared in groups stay there unless "
	  "the person who told them agrees otherwise.\n"
	  "- Make room for others to speak, especially those who have not yet.\n\n"
	  "## What is not acceptable\n\n"
	  "Harassment, intimidation or discrimination of any kind, including "
	  "unwelcome comments about someone's identity, body or background, "
	  "and photographing or recording people who have asked not to be.\n\n"
	  "## If something goes wrong\n\n"
	  "Speak to any member of the organising team (we wear green lanyards) or "
	  "email [conduct@example.org](mailto:conduct@example.org). We will listen, "
	  "act promptly, and keep what you tell us confidential.", 1, 30 },
};

int
site_demo(struct app *app, struct db *db, struct arena *a)
{
	struct page_errors	e;
	struct page		p;
	size_t			i;

	for (i = 0; i < ARRAY_SIZE(demo_pages); i++) {
		memset(&e, 0, sizeof(e));
		memset(&p, 0, sizeof(p));
		p.slug = demo_pages[i].slug;
		p.title = demo_pages[i].title;
		p.body = demo_pages[i].body;
		p.in_menu = demo_pages[i].in_menu;
		p.menu_order = demo_pages[i].order;
		if (site_page_save(app, db, a, &p, &e) != E_OK)
			return error("cannot add the demo page '%s'", demo_pages[i].slug);
	}
	return 0;
}
