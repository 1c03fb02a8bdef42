/* t_blog.c - the blog and the site's pages against a real database:
 * checking and saving posts, drafts and future posts hidden from readers,
 * slugs unique per event, lists newest first, the Atom feed well-formed
 * with absolute links, the JSON list, pages and the menu order, and the
 * demo content.  Runs on SQLite and, when COLEAD_TEST_PG names a server,
 * again on a fresh PostgreSQL database. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/core/cfg.h"
#include "../../src/core/log.h"
#include "../../src/db/db.h"
#include "../../src/feat/blog/blog.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/site/site.h"

#include <setjmp.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <sodium.h>

#include "fixture.h"

/* A slug no other test uses on this database. */
static const char *
fresh_slug(struct fixture *f, const char *what)
{
	static int n;

	return arena_printf(f->a, "%s-%d-%d", what, (int)getpid(), ++n);
}

/* A post with the given slug, title and state. */
static struct post
post_of(const char *slug, const char *title, int draft, int64_t published_at)
{
	struct post p;

	memset(&p, 0, sizeof(p));
	p.slug = slug;
	p.title = title;
	p.summary = "A summary.";
	p.body = "Some *Markdown* with <script>alert(1)</script> and [bad](javascript:alert(1)).";
	p.draft = draft;
	p.published_at = published_at;
	return p;
}

static void
post_check_refuses_bad_fields(void **state)
{
	struct fixture		*f = *state;
	struct post_errors	 e;
	struct post		 p;
	char			*big;

	memset(&e, 0, sizeof(e));
	p = post_of("", "Hello, World: 2027!", 1, 0);
	assert_int_equal(blog_post_check(f->a, &p, &e), E_OK);
	assert_string_equal(p.slug, "hello-world-2027");

	p = post_of("Mixed-Case", "T", 1, 0);
	assert_int_equal(blog_post_check(f->a, &p, &e), E_OK);
	assert_string_equal(p.slug, "mixed-case");

	memset(&e, 0, sizeof(e));
	p = post_of("bad slug!", "", 1, 0);
	assert_int_equal(blog_post_check(f->a, &p, &e), E_INVALID);
	assert_non_null(e.title);
	assert_non_null(e.slug);
	assert_null(e.body);

	memset(&e, 0, sizeof(e));
	big = arena_alloc(f->a, BLOG_BODY_MAX + 2);
	memset(big, 'x', BLOG_BODY_MAX + 1);
	p = post_of("ok", "Title", 1, 0);
	p.body = big;
	assert_int_equal(blog_post_check(f->a, &p, &e), E_INVALID);
	assert_string_equal(e.body, "the text is too long: use at most 100 KB");
	big[BLOG_BODY_MAX] = '\0';
	memset(&e, 0, sizeof(e));
	assert_int_equal(blog_post_check(f->a, &p, &e), E_OK);

	memset(&e, 0, sizeof(e));
	big = arena_alloc(f->a, 802);
	memset(big, 'y', 801);
	p = post_of(big, "Title\nwith a newline", 1, 0);
	p.summary = big;
	assert_int_equal(blog_post_check(f->a, &p, &e), E_INVALID);
	assert_non_null(e.title);
	assert_string_equal(e.slug, "use at most 80 characters");
	assert_string_equal(e.summary, "use at most 500 characters");

	memset(&e, 0, sizeof(e));
	p = post_of("ok", "Title", 1, 0);
	p.body = "bell\x07";
	assert_int_equal(blog_post_check(f->a, &p, &e), E_INVALID);
	assert_non_null(e.body);
}

static void
drafts_are_hidden_until_published(void **state)
{
	struct fixture		*f = *state;
	struct post_errors	 e;
	struct post		 p, got;
	const char		*slug = fresh_slug(f, "draft");
	int64_t			 before = now_unix();

	memset(&e, 0, sizeof(e));
	p = post_of(slug, "A draft", 1, 0);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	assert_true(p.id > 0);
	assert_int_equal(p.published_at, 0);
	assert_int_equal(blog_post_by_slug(&f->app, f->db, f->a, slug, 0, &got), E_NOTFOUND);
	assert_int_equal(blog_post_by_slug(&f->app, f->db, f->a, slug, 1, &got), E_OK);
	assert_string_equal(got.title, "A draft");
	assert_true(got.draft);
	assert_int_equal(blog_post_get(&f->app, f->db, f->a, p.id, &got), E_OK);
	assert_string_equal(got.body, p.body);

	/* Publishing without a time publishes now. */
	p.draft = 0;
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	assert_true(p.published_at >= before && p.published_at <= now_unix());
	assert_int_equal(blog_post_by_slug(&f->app, f->db, f->a, slug, 0, &got), E_OK);
	assert_false(got.draft);
	assert_true(blog_post_public(&got, now_unix()));

	/* A published post due later is not public yet. */
	p.published_at = now_unix() + 86400;
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	assert_int_equal(blog_post_by_slug(&f->app, f->db, f->a, slug, 0, &got), E_NOTFOUND);
	assert_int_equal(blog_post_by_slug(&f->app, f->db, f->a, "no such slug", 1, &got), E_NOTFOUND);
}

static void
slugs_are_unique_and_delete_works(void **state)
{
	struct fixture		*f = *state;
	struct post_errors	 e;
	struct post		 a, b, got;
	const char		*sa = fresh_slug(f, "first"), *sb = fresh_slug(f, "second");

	memset(&e, 0, sizeof(e));
	a = post_of(sa, "First", 0, now_unix() - 10);
	b = post_of(sa, "Second", 0, now_unix() - 5);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &a, &e), E_OK);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &b, &e), E_INVALID);
	assert_non_null(e.slug);
	assert_int_equal(b.id, 0);
	memset(&e, 0, sizeof(e));
	b.slug = sb;
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &b, &e), E_OK);
	/* Renaming onto a taken slug is refused and changes nothing. */
	b.slug = sa;
	b.title = "Renamed";
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &b, &e), E_INVALID);
	assert_non_null(e.slug);
	assert_int_equal(blog_post_get(&f->app, f->db, f->a, b.id, &got), E_OK);
	assert_string_equal(got.slug, sb);
	assert_string_equal(got.title, "Second");
	assert_false(db_in_tx(f->db));

	memset(&e, 0, sizeof(e));
	got.id = 999999;
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &got, &e), E_NOTFOUND);
	assert_int_equal(blog_post_delete(&f->app, f->db, a.id), E_OK);
	assert_int_equal(blog_post_delete(&f->app, f->db, a.id), E_NOTFOUND);
	assert_int_equal(blog_post_get(&f->app, f->db, f->a, a.id, &got), E_NOTFOUND);
}

static void
lists_are_newest_first_and_public_only(void **state)
{
	struct fixture		*f = *state;
	struct post_errors	 e;
	struct post		 p, *list;
	const char		*old = fresh_slug(f, "old"), *new = fresh_slug(f, "new");
	const char		*draft = fresh_slug(f, "hidden"), *later = fresh_slug(f, "later");
	size_t			 n, i, pos_old = 0, pos_new = 0;
	int			 seen_old = 0, seen_new = 0;

	memset(&e, 0, sizeof(e));
	p = post_of(old, "Old", 0, now_unix() - 7200);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	p = post_of(new, "New", 0, now_unix() - 60);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	p = post_of(draft, "Hidden", 1, now_unix() - 60);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	p = post_of(later, "Later", 0, now_unix() + 3600);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);

	assert_int_equal(blog_posts(&f->app, f->db, f->a, 0, 0, &list, &n), E_OK);
	for (i = 0; i < n; i++) {
		assert_true(blog_post_public(&list[i], now_unix()));
		assert_string_not_equal(list[i].slug, draft);
		assert_string_not_equal(list[i].slug, later);
		if (strcmp(list[i].slug, old) == 0)
			seen_old = 1, pos_old = i;
		if (strcmp(list[i].slug, new) == 0)
			seen_new = 1, pos_new = i;
		if (i)
			assert_true(list[i - 1].published_at >= list[i].published_at);
	}
	assert_true(seen_old && seen_new && pos_new < pos_old);

	assert_int_equal(blog_posts(&f->app, f->db, f->a, 1, 0, &list, &n), E_OK);
	for (i = 0, seen_old = 0; i < n; i++)
		seen_old += strcmp(list[i].slug, draft) == 0 || strcmp(list[i].slug, later) == 0;
	assert_int_equal(seen_old, 2);

	assert_int_equal(blog_posts(&f->app, f->db, f->a, 0, 1, &list, &n), E_OK);
	assert_int_equal(n, 1);
}

static void
times_parse_and_print(void **state)
{
	struct fixture	*f = *state;
	int64_t		 t;

	assert_int_equal(blog_time_parse("2027-03-11T09:30", &t), 0);
	assert_int_equal(t, 1804757400);
	assert_string_equal(blog_time_input(f->a, t), "2027-03-11T09:30");
	assert_string_equal(blog_time_rfc3339(f->a, t), "2027-03-11T09:30:00Z");
	assert_string_equal(blog_date_text(f->a, t), "11 March 2027");
	assert_int_equal(blog_time_parse("2027-03-11 09:30:15", &t), 0);
	assert_int_equal(t, 1804757415);
	assert_int_equal(blog_time_parse("", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(blog_time_parse("2027-02-30T09:30", &t), -1);
	assert_int_equal(blog_time_parse("2027-03-11", &t), -1);
	assert_int_equal(blog_time_parse("2027-03-11T25:00", &t), -1);
	assert_int_equal(blog_time_parse("11/03/2027 09:30", &t), -1);
	assert_int_equal(blog_time_parse("2027-03-11T09:30x", &t), -1);
}

static void
atom_feed_is_wellformed_with_absolute_links(void **state)
{
	struct fixture		*f = *state;
	struct post_errors	 e;
	struct post		 p;
	struct buf		 out;
	xmlDocPtr		 doc;
	const char		*pub = fresh_slug(f, "feed"), *draft = fresh_slug(f, "feed-draft");

	memset(&e, 0, sizeof(e));
	p = post_of(pub, "Feed & <friends>", 0, now_unix() - 30);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);
	p = post_of(draft, "Secret draft", 1, 0);
	assert_int_equal(blog_post_save(&f->app, f->db, f->a, 0, &p, &e), E_OK);

	buf_init(&out, 0);
	assert_int_equal(blog_atom(&f->app, f->db, f->a, "https://ex.org", &out), E_OK);
	doc = xmlReadMemory(out.data, (int)out.len, "feed.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	assert_non_null(strstr(out.data, "<feed xml:base=\"https://ex.org/\" xmlns=\"http://www.w3.org/2005/Atom\">"));
	assert_non_null(strstr(out.data, arena_printf(f->a, "<id>https://ex.org/blog/%s</id>", pub)));
	assert_non_null(strstr(out.data, "href=\"https://ex.org/blog.atom\""));
	assert_non_null(strstr(out.data, "<title>Feed &amp; &lt;friends&gt;</title>"));
	assert_null(strstr(out.data, "Secret draft"));
	assert_null(strstr(out.data, "<script"));	/* escaped twice over: text in HTML in XML */
	assert_null(strstr(out.data, "javascript:alert(1)\""));
	buf_release(&out);

	buf_init(&out, 0);
	assert_int_equal(blog_json(&f->app, f->db, f->a, "https://ex.org", &out), E_OK);
	assert_true(out.data[0] == '[');
	assert_non_null(strstr(out.data, arena_printf(f->a, "\"url\":\"https://ex.org/blog/%s\"", pub)));
	assert_null(strstr(out.data, "Secret draft"));
	assert_null(strstr(out.data, "<script"));
	buf_release(&out);
}

static void
pages_save_and_menu_order(void **state)
{
	struct fixture		*f = *state;
	struct page_errors	 e;
	struct page		 a, b, c, got, *list;
	int64_t			 ids[2], orders[2];
	size_t			 n, i, pa = 0, pb = 0;
	int			 seen_c = 0;

	memset(&e, 0, sizeof(e));
	memset(&a, 0, sizeof(a));
	a.title = "Venue A";
	a.slug = fresh_slug(f, "venue");
	a.body = "Where we meet.";
	a.in_menu = 1;
	a.menu_order = 10;
	b = a;
	b.title = "Travel B";
	b.slug = fresh_slug(f, "travel");
	b.menu_order = 20;
	c = a;
	c.title = "Hidden C";
	c.slug = fresh_slug(f, "hidden");
	c.in_menu = 0;
	assert_int_equal(site_page_save(&f->app, f->db, f->a, &a, &e), E_OK);
	assert_int_equal(site_page_save(&f->app, f->db, f->a, &b, &e), E_OK);
	assert_int_equal(site_page_save(&f->app, f->db, f->a, &c, &e), E_OK);
	assert_int_equal(site_page_by_slug(&f->app, f->db, f->a, a.slug, &got), E_OK);
	assert_string_equal(got.title, "Venue A");
	assert_int_equal(site_page_by_slug(&f->app, f->db, f->a, "nope", &got), E_NOTFOUND);

	/* A taken slug, a bad order, a long title: refused. */
	got = b;
	got.id = 0;
	assert_int_equal(site_page_save(&f->app, f->db, f->a, &got, &e), E_INVALID);
	assert_non_null(e.slug);
	memset(&e, 0, sizeof(e));
	got.slug = fresh_slug(f, "other");
	got.menu_order = 10000;
	got.title = "0123456789012345678901234567890123456789012345678901234567890123456789"
		    "0123456789012345678901234567890";
	assert_int_equal(site_page_save(&f->app, f->db, f->a, &got, &e), E_INVALID);
	assert_non_null(e.menu_order);
	assert_non_null(e.title);

	assert_int_equal(site_pages(&f->app, f->db, f->a, 1, &list, &n), E_OK);
	for (i = 0; i < n; i++) {
		if (list[i].id == a.id)
			pa = i + 1;
		if (list[i].id == b.id)
			pb = i + 1;
		seen_c |= list[i].id == c.id;
	}
	assert_true(pa && pb && pa < pb);
	assert_false(seen_c);

	/* Reorder: B before A.  An unknown id rolls the whole change back. */
	ids[0] = a.id;
	orders[0] = 5;
	ids[1] = 999999;
	orders[1] = 1;
	assert_int_equal(site_menu_order(&f->app, f->db, ids, orders, 2), E_NOTFOUND);
	assert_int_equal(site_page_get(&f->app, f->db, f->a, a.id, &got), E_OK);
	assert_int_equal(got.menu_order, 10);
	orders[1] = -1;
	assert_int_equal(site_menu_order(&f->app, f->db, ids, orders, 2), E_INVALID);
	ids[1] = b.id;
	orders[0] = 30;
	orders[1] = 1;
	assert_int_equal(site_menu_order(&f->app, f->db, ids, orders, 2), E_OK);
	assert_false(db_in_tx(f->db));
	assert_int_equal(site_pages(&f->app, f->db, f->a, 1, &list, &n), E_OK);
	for (i = 0; i < n; i++) {
		if (list[i].id == a.id)
			pa = i + 1;
		if (list[i].id == b.id)
			pb = i + 1;
	}
	assert_true(pb < pa);

	assert_int_equal(site_page_delete(&f->app, f->db, c.id), E_OK);
	assert_int_equal(site_page_delete(&f->app, f->db, c.id), E_NOTFOUND);
}

static void
demo_adds_the_welcome_post_and_three_menu_pages(void **state)
{
	struct fixture	*f = *state;
	struct post	 p;
	struct page	 pg;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(blog_demo(&f->app, f->db, f->a), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(blog_post_by_slug(&f->app, f->db, f->a, "why-collaborative-leadership",
	    0, &p), E_OK);
	assert_non_null(strstr(p.body, "shared results"));
	assert_int_equal(site_page_by_slug(&f->app, f->db, f->a, "venue", &pg), E_OK);
	assert_non_null(strstr(pg.body, "Riverside Conference Centre"));
	assert_true(pg.in_menu);
	assert_int_equal(site_page_by_slug(&f->app, f->db, f->a, "accessibility", &pg), E_OK);
	assert_int_equal(site_page_by_slug(&f->app, f->db, f->a, "code-of-conduct", &pg), E_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(post_check_refuses_bad_fields),
		cmocka_unit_test(drafts_are_hidden_until_published),
		cmocka_unit_test(slugs_are_unique_and_delete_works),
		cmocka_unit_test(lists_are_newest_first_and_public_only),
		cmocka_unit_test(times_parse_and_print),
		cmocka_unit_test(atom_feed_is_wellformed_with_absolute_links),
		cmocka_unit_test(pages_save_and_menu_order),
		cmocka_unit_test(demo_adds_the_welcome_post_and_three_menu_pages),
	};

	return store_tests_run("blog", tests, ARRAY_SIZE(tests), NULL, 0, NULL);
}
