/* blog.h - the event's blog: posts written in Markdown by organisers,
 * kept as drafts until published, shown from their publication time on,
 * listed on the home page and in an Atom feed.  The public interface of the
 * blog feature; only blog_store.c holds its SQL, and nothing here knows
 * about HTTP. */
#ifndef COLEAD_BLOG_H
#define COLEAD_BLOG_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct buf;
struct db;

/* Limits, enforced by blog_post_check (E_INVALID, 422 on a form). */
#define BLOG_TITLE_MAX		200	/* characters */
#define BLOG_SLUG_MAX		80	/* bytes: a-z 0-9 and '-' */
#define BLOG_SUMMARY_MAX	500	/* characters */
#define BLOG_BODY_MAX		102400	/* bytes of Markdown */

struct post {
	int64_t		 id;		/* 0: not saved yet */
	const char	*slug;
	const char	*title;
	const char	*summary;	/* plain text; may be "" */
	const char	*body;		/* Markdown */
	int		 draft;		/* 1: only organisers see it */
	int64_t		 published_at;	/* unix seconds; public from then on unless a draft */
	int64_t		 created_at;
	int64_t		 updated_at;
	const char	*author;	/* the author's name, NULL if unknown */
};

/* What is wrong with each field of a post form; NULL where nothing is.
 * Messages are static text for the person filling the form. */
struct post_errors {
	const char	*title;
	const char	*slug;
	const char	*summary;
	const char	*body;
	const char	*published_at;
};

/* Check and tidy a post before saving: title and slug required and within
 * the limits above, the slug lower-cased (an empty slug is made from the
 * title), no control characters in single-line fields.  E_INVALID with the
 * messages in *e (zeroed first); E_TOOBIG if the arena is full. */
enum app_err	 blog_post_check(struct arena *a, struct post *p, struct post_errors *e);

/* Save a post (insert when p->id is 0, setting p->id; else update) after
 * blog_post_check.  A post made public without a publication time gets
 * the current time.  E_INVALID with *e filled (also for a slug another post
 * of the event has), E_NOTFOUND for an update of an unknown id. */
enum app_err	 blog_post_save(struct app *app, struct db *db, struct arena *a,
			int64_t author_id, struct post *p, struct post_errors *e);
enum app_err	 blog_post_delete(struct app *app, struct db *db, int64_t id);
/* Any post of the event by id, drafts included (for organisers' forms). */
enum app_err	 blog_post_get(struct app *app, struct db *db, struct arena *a,
			int64_t id, struct post *p);
/* A post by slug as the reader may see it: with all set, drafts and
 * posts due later too; otherwise E_NOTFOUND unless it is public now. */
enum app_err	 blog_post_by_slug(struct app *app, struct db *db, struct arena *a,
			const char *slug, int all, struct post *p);
/* Posts newest first (by publication time, then id): with all, every post
 * (drafts too), else only those public now; at most limit (0: no limit).
 * *out is an array in the arena. */
enum app_err	 blog_posts(struct app *app, struct db *db, struct arena *a, int all,
			size_t limit, struct post **out, size_t *n);
/* Is the post public at time now? */
int		 blog_post_public(const struct post *p, int64_t now);

/* Publication times in forms: "YYYY-MM-DDTHH:MM" (what a datetime-local
 * input sends; a space also works, seconds optional), in UTC.  "" gives 0
 * (meaning "now, when published").  -1 for anything else. */
int		 blog_time_parse(const char *s, int64_t *out);
/* The form value for t ("" for 0), in the arena. */
char		*blog_time_input(struct arena *a, int64_t t);
/* "11 March 2027" for t (UTC), in the arena. */
char		*blog_date_text(struct arena *a, int64_t t);
/* RFC 3339 "2027-03-11T09:30:00Z" for t, in the arena. */
char		*blog_time_rfc3339(struct arena *a, int64_t t);

/* Write the Atom feed of the public posts into out (UTF-8 XML, built with
 * libxml2's xmlTextWriter).  base is the site's absolute URL without a
 * trailing slash ("https://example.org"); every link in the feed starts
 * with it.  E_INTERNAL (logged) if libxml2 fails. */
enum app_err	 blog_atom(struct app *app, struct db *db, struct arena *a, const char *base,
			struct buf *out);
/* The JSON array of the BLOG_JSON_MAX newest public posts for GET
 * /api/posts into out: [{"id", "slug", "title", "summary", "url",
 * "published_at", "author", "body_html"}] (docs/api.md).  E_TOOBIG when
 * the answer outgrows out's cap.
 * NEEDSWORK: pages (?before=) would let a client read past the cap; a
 * blog of ordinary posts stays far below the 16 MB response limit. */
#define BLOG_JSON_MAX		100
enum app_err	 blog_json(struct app *app, struct db *db, struct arena *a, const char *base,
			struct buf *out);

/* The demo's welcome post, inside the caller's transaction; 0 or -1
 * (logged).  Also adds the site's demo pages (site_demo). */
int		 blog_demo(struct app *app, struct db *db, struct arena *a);

/* Make a slug from text: lower-case ASCII letters and digits, other runs
 * become one '-', at most BLOG_SLUG_MAX bytes; "" if nothing is left. */
char		*blog_slugify(struct arena *a, const char *text);
/* Is s a slug as blog_slugify makes them (non-empty, a-z 0-9 '-', no dash
 * at either end, at most BLOG_SLUG_MAX)? */
int		 blog_slug_ok(const char *s);

#endif
