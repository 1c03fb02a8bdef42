/* blog.c - the rules of the blog: what a valid post is, when it is public
 * (not a draft, and its publication time has come), the Atom feed and the
 * JSON list of public posts, and the demo's welcome post.  Reads and
 * writes only through blog_store.c; knows nothing of HTTP.  It must never
 * put a post's Markdown anywhere but through markdown_html. */
#include "blog.h"
#include "../event/event.h"
#include "blog_store.h"
#include "../demo/demo.h"
#include "../people/people.h"
#include "../site/site.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../core/utf8.h"
#include "../../db/db.h"
#include "../../views/markdown.h"

#include <libxml/xmlwriter.h>

/* libxml2 takes const xmlChar * for the text it writes. */
#define XC(s)	((const xmlChar *)(s))

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

char *
blog_slugify(struct arena *a, const char *text)
{
	char	*s = arena_alloc(a, BLOG_SLUG_MAX + 1);
	size_t	 n = 0;
	int	 dash = 0;

	if (!s)
		return NULL;
	for (; text && *text && n < BLOG_SLUG_MAX; text++) {
		unsigned char c = (unsigned char)*text;

		if (isascii(c) && isalnum(c)) {
			if (dash && n > 0 && n + 1 < BLOG_SLUG_MAX)
				s[n++] = '-';
			s[n++] = (char)tolower(c);
			dash = 0;
		} else if (c != '\'') {
			dash = 1;
		}
	}
	s[n] = '\0';
	return s;
}

int
blog_slug_ok(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > BLOG_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Check one line of text (a title): 1..max characters, no controls.
 * NULL if fine, else the message. */
static const char *
line_check(const char *s, size_t max, int required)
{
	size_t n = strlen(s), chars = utf8_len(s, n);

	if (chars == (size_t)-1 || utf8_has_controls(s, n, 1))
		return "this contains characters that are not allowed";
	if (required && chars == 0)
		return "this cannot be empty";
	if (chars > max)
		return max == BLOG_TITLE_MAX ? "use at most 200 characters" : "use at most 500 characters";
	return NULL;
}

enum app_err
blog_post_check(struct arena *a, struct post *p, struct post_errors *e)
{
	size_t	 n;
	char	*slug;

	if (!p->title)
		p->title = "";
	if (!p->summary)
		p->summary = "";
	if (!p->body)
		p->body = "";
	if (!p->slug)
		p->slug = "";
	if (!e->title)
		e->title = line_check(p->title, BLOG_TITLE_MAX, 1);
	if (!e->summary)
		e->summary = line_check(p->summary, BLOG_SUMMARY_MAX, 0);
	n = strlen(p->body);
	if (!e->body && n > BLOG_BODY_MAX)
		e->body = "the text is too long: use at most 100 KB";
	else if (!e->body && (!utf8_valid(p->body, n) || utf8_has_controls(p->body, n, 0)))
		e->body = "the text contains characters that are not allowed";
	if (!e->slug) {
		slug = *p->slug ? str_lower(a, p->slug) : blog_slugify(a, p->title);
		if (!slug)
			return E_TOOBIG;
		if (strlen(slug) > BLOG_SLUG_MAX)
			e->slug = "use at most 80 characters";
		else if (*slug && !blog_slug_ok(slug))
			e->slug = "use only letters a-z, digits and single dashes, not at either end";
		else if (!*slug && !e->title)
			e->slug = "choose an address for the post: letters a-z, digits and dashes";
		p->slug = slug;
	}
	if (e->title || e->slug || e->summary || e->body || e->published_at)
		return E_INVALID;
	return E_OK;
}

enum app_err
blog_post_save(struct app *app, struct db *db, struct arena *a, int64_t author_id,
	       struct post *p, struct post_errors *e)
{
	int64_t		now = now_unix();
	enum app_err	rc;

	rc = blog_post_check(a, p, e);
	if (rc != E_OK)
		return rc;
	if (!p->draft && p->published_at == 0)
		p->published_at = now;
	if (p->id)
		rc = blog_store_update(db, app->event_id, p, now);
	else
		rc = blog_store_add(db, app->event_id, author_id, p, now, &p->id);
	if (rc == E_CONFLICT) {
		e->slug = "another post already has this address: choose another";
		return E_INVALID;
	}
	return rc;
}

enum app_err
blog_post_delete(struct app *app, struct db *db, int64_t id)
{
	return blog_store_delete(db, app->event_id, id);
}

enum app_err
blog_post_get(struct app *app, struct db *db, struct arena *a, int64_t id, struct post *p)
{
	return blog_store_get(db, a, app->event_id, id, p);
}

int
blog_post_public(const struct post *p, int64_t now)
{
	return !p->draft && p->published_at > 0 && p->published_at <= now;
}

enum app_err
blog_post_by_slug(struct app *app, struct db *db, struct arena *a, const char *slug,
		  int all, struct post *p)
{
	enum app_err rc;

	if (!blog_slug_ok(slug))
		return E_NOTFOUND;
	rc = blog_store_by_slug(db, a, app->event_id, slug, p);
	if (rc == E_OK && !all && !blog_post_public(p, now_unix()))
		return E_NOTFOUND;	/* a draft is not there for readers */
	return rc;
}

enum app_err
blog_posts(struct app *app, struct db *db, struct arena *a, int all, size_t limit,
	   struct post **out, size_t *n)
{
	int64_t lim = limit ? (int64_t)limit : INT64_MAX;

	return blog_store_list(db, a, app->event_id, all ? 0 : now_unix(), lim, out, n);
}

int
blog_time_parse(const char *s, int64_t *out)
{
	int		y, mo, d, h, mi, sec = 0, used = 0;
	struct tm	tm, back;
	time_t		t;

	if (!s || !*s) {
		*out = 0;
		return 0;
	}
	if (strlen(s) != 16 && strlen(s) != 19)
		return -1;
	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5 ||
	    used != 16)
		return -1;
	if (s[16] && (s[16] != ':' || sscanf(s + 17, "%2d", &sec) != 1 ||
	    !isdigit((unsigned char)s[17]) || !isdigit((unsigned char)s[18])))
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    h < 0 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d)
		return -1;	/* 31 April and the like */
	*out = (int64_t)t;
	return 0;
}

/* t as a broken-down UTC time; -1 if it cannot be. */
static int
utc(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	return gmtime_r(&tt, tm) ? 0 : -1;
}

char *
blog_time_input(struct arena *a, int64_t t)
{
	struct tm tm;

	if (t <= 0 || utc(t, &tm) < 0)
		return arena_strdup(a, "");
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min);
}

char *
blog_date_text(struct arena *a, int64_t t)
{
	struct tm tm;

	if (t <= 0 || utc(t, &tm) < 0)
		return arena_strdup(a, "");
	return arena_printf(a, "%d %s %d", tm.tm_mday, month_names[tm.tm_mon], tm.tm_year + 1900);
}

char *
blog_time_rfc3339(struct arena *a, int64_t t)
{
	struct tm tm;

	if (utc(t < 0 ? 0 : t, &tm) < 0)
		return arena_strdup(a, "1970-01-01T00:00:00Z");
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 must be initialised once before threads use it. */
static void
xml_init(void)
{
	xmlInitParser();
}

/* Write <name>text</name>; -1 on a libxml2 failure. */
static int
xml_el(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElement(w, XC(name), XC(text ? text : "")) < 0 ? -1 : 0;
}

/* Write <link rel=".." type=".." href=".."/>. */
static int
xml_link(xmlTextWriterPtr w, const char *rel, const char *type, const char *href)
{
	if (xmlTextWriterStartElement(w, XC("link")) < 0 ||
	    xmlTextWriterWriteAttribute(w, XC("rel"), XC(rel)) < 0 ||
	    (type && xmlTextWriterWriteAttribute(w, XC("type"), XC(type)) < 0) ||
	    xmlTextWriterWriteAttribute(w, XC("href"), XC(href)) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* One <entry> of the feed. */
static int
atom_entry(xmlTextWriterPtr w, struct arena *a, const char *base, const struct post *p)
{
	const char	*url = arena_printf(a, "%s/blog/%s", base, p->slug);
	const char	*html = markdown_html(a, p->body, strlen(p->body));

	if (!url || !html)
		return -1;
	if (xmlTextWriterStartElement(w, XC("entry")) < 0 ||
	    xml_el(w, "id", url) < 0 || xml_el(w, "title", p->title) < 0 ||
	    xml_el(w, "published", blog_time_rfc3339(a, p->published_at)) < 0 ||
	    xml_el(w, "updated", blog_time_rfc3339(a, p->updated_at > p->published_at
	    ? p->updated_at : p->published_at)) < 0 ||
	    xml_link(w, "alternate", "text/html", url) < 0)
		return -1;
	if (p->author && (xmlTextWriterStartElement(w, XC("author")) < 0 ||
	    xml_el(w, "name", p->author) < 0 || xmlTextWriterEndElement(w) < 0))
		return -1;
	if (*p->summary && xml_el(w, "summary", p->summary) < 0)
		return -1;
	if (xmlTextWriterStartElement(w, XC("content")) < 0 ||
	    xmlTextWriterWriteAttribute(w, XC("type"), XC("html")) < 0 ||
	    xmlTextWriterWriteString(w, XC(html)) < 0 ||
	    xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

enum app_err
blog_atom(struct app *app, struct db *db, struct arena *a, const char *base, struct buf *out)
{
	struct post	*posts = NULL;
	size_t		 n = 0, i;
	int64_t		 updated = 0;
	xmlBufferPtr	 xb = NULL;
	xmlTextWriterPtr w = NULL;
	enum app_err	 rc;
	const char	*name = event_name(app, db, a);

	pthread_once(&xml_once, xml_init);
	rc = blog_posts(app, db, a, 0, 50, &posts, &n);
	if (rc != E_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (posts[i].published_at > updated)
			updated = posts[i].published_at;
		if (posts[i].updated_at > updated)
			updated = posts[i].updated_at;
	}
	rc = E_INTERNAL;
	if (!(xb = xmlBufferCreate()) || !(w = xmlNewTextWriterMemory(xb, 0)))
		goto out;
	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, XC("feed"),
	    XC("http://www.w3.org/2005/Atom")) < 0 ||
	    /* relative links in the posts' HTML resolve against the site */
	    xmlTextWriterWriteAttribute(w, XC("xml:base"), XC(arena_printf(a, "%s/", base))) < 0 ||
	    xml_el(w, "id", arena_printf(a, "%s/blog", base)) < 0 ||
	    xml_el(w, "title", arena_printf(a, "%s: blog", name)) < 0 ||
	    xml_el(w, "updated", blog_time_rfc3339(a, updated ? updated : now_unix())) < 0 ||
	    xml_link(w, "self", "application/atom+xml", arena_printf(a, "%s/blog.atom", base)) < 0 ||
	    xml_link(w, "alternate", "text/html", arena_printf(a, "%s/blog", base)) < 0 ||
	    xmlTextWriterStartElement(w, XC("author")) < 0 || xml_el(w, "name", name) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (atom_entry(w, a, base, &posts[i]) < 0)
			goto out;
	if (xmlTextWriterEndDocument(w) < 0)
		goto out;
	xmlFreeTextWriter(w);	/* flushes into xb */
	w = NULL;
	buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	rc = out->toobig ? E_TOOBIG : E_OK;
out:
	if (rc == E_INTERNAL)
		error("cannot write the atom feed with libxml2");
	if (w)
		xmlFreeTextWriter(w);
	if (xb)
		xmlBufferFree(xb);
	return rc;
}

/* "key": followed by a JSON string of s. */
static void
json_field(struct buf *out, const char *key, const char *s, int comma)
{
	buf_addf(out, "%s\"%s\":", comma ? "," : "", key);
	buf_add_json_str(out, s ? s : "", s ? strlen(s) : 0);
}

enum app_err
blog_json(struct app *app, struct db *db, struct arena *a, const char *base, struct buf *out)
{
	struct post	*posts = NULL;
	size_t		 n = 0, i;
	enum app_err	 rc;
	const char	*html;

	rc = blog_posts(app, db, a, 0, BLOG_JSON_MAX, &posts, &n);
	if (rc != E_OK)
		return rc;
	buf_addc(out, '[');
	for (i = 0; i < n; i++) {
		html = markdown_html(a, posts[i].body, strlen(posts[i].body));
		if (!html)
			return E_INTERNAL;
		buf_addf(out, "%s{\"id\":%" PRId64, i ? "," : "", posts[i].id);
		json_field(out, "slug", posts[i].slug, 1);
		json_field(out, "title", posts[i].title, 1);
		json_field(out, "summary", posts[i].summary, 1);
		json_field(out, "url", arena_printf(a, "%s/blog/%s", base, posts[i].slug), 1);
		json_field(out, "published_at", blog_time_rfc3339(a, posts[i].published_at), 1);
		json_field(out, "author", posts[i].author, 1);
		json_field(out, "body_html", html, 1);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
	return out->toobig ? E_TOOBIG : E_OK;
}

/* The demo's welcome post: why the convention is about collaborative
 * leadership, in the project's own words. */
static const char demo_post_body[] =
	"In March we will spend two days together on one idea: that the changes "
	"we want to see in our communities are bigger than any one of our "
	"organisations. This post is a short introduction to why we chose "
	"collaborative leadership as the theme, and what we will do with it.\n\n"
	"## Why this theme\n\n"
	"Getting more people moving is a tangled problem. Whether somebody is "
	"active depends on their friends and family, on how safe their streets "
	"feel, on bus routes, on money, on time and on confidence. No club, "
	"council or charity controls all of that, however well it is run. "
	"Progress comes when many organisations pull in the same direction, and "
	"that asks something different of us: less proving what each of us "
	"achieved alone, more learning together about what works; less waiting "
	"for permission from the top, more leadership from wherever we sit.\n\n"
	"Through Quest, each partnership already describes collaborative "
	"leadership as working across organisational boundaries towards results "
	"we share, making the most of everyone's resources and skills so that "
	"change lasts locally. At the convention we will look at it through five "
	"lenses.\n\n"
	"1. **It's personal.** Knowing why you do this work is what keeps you "
	"going when change is slow. Collaboration is more honest when people "
	"bring their own motivation to it.\n"
	"2. **It's enabling and facilitative.** Hard problems rarely have a "
	"single owner. Part of the job is setting up the conditions for others: "
	"introducing people, passing on skills, building what we know together.\n"
	"3. **It's about relationships and trust.** Partnerships move at the "
	"speed of the relationships inside them. Trust comes first; the "
	"agreements follow. How we behave matters as much as what we deliver.\n"
	"4. **It's about shared purpose.** Nobody has to give up their own "
	"organisation's aims. The task is to find the purpose we hold in "
	"common and to see where our own contribution fits.\n"
	"5. **It's about shared results.** In the end it has to make a "
	"difference to people. We will not always get it right, so we stay "
	"accountable by learning and adjusting with our partners.\n\n"
	"## What the two days hold\n\n"
	"Expect keynotes built around real stories of leading across boundaries, "
	"time with peers from other partnerships, practical sessions on "
	"reflective practice and appreciative inquiry, and a block of time with "
	"your own partnership to shape a twelve-month vision, which colleagues "
	"from other partnerships will then challenge, Dragon's Den style.\n\n"
	"## Two questions to bring\n\n"
	"We will open the convention with your answers, so please think about "
	"them before you travel:\n\n"
	"- an example of collaborative leadership in action that you have seen "
	"or been part of, in your own work, your partnership or anywhere else;\n"
	"- the one thing you most want to learn over the two days.\n\n"
	"Come ready to talk, to listen and to be honest about what is hard. "
	"See you in Loughborough.\n";

int
blog_demo(struct app *app, struct db *db, struct arena *a)
{
	struct post		p = {
		.slug = "why-collaborative-leadership",
		.title = "Why collaborative leadership?",
		.summary = "Why the convention is built around collaborative leadership, "
			   "its five aspects, and two questions to think about before March.",
		.body = demo_post_body,
		.draft = 0,
	};
	struct post_errors	e;
	struct person		author;

	memset(&e, 0, sizeof(e));
	p.published_at = now_unix() - 3600;
	if (people_find_email(app, db, a, DEMO_ORGANISER_EMAIL, &author) != E_OK)
		author.id = 0;
	if (blog_post_save(app, db, a, author.id, &p, &e) != E_OK)
		return error("cannot add the demo blog post");
	return site_demo(app, db, a);
}
