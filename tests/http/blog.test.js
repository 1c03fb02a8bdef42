// blog.test.js - the blog and the site's pages through the real server:
// an organiser previews and publishes a post through the forms and it
// shows on the blog, the home page, the Atom feed (well-formed, checked
// with xmllint) and GET /api/posts; drafts are 404 for visitors and
// participants; a <script> and a javascript: link in a post are inert;
// every organiser route refuses visitors (to /login), participants (403)
// and forged forms (403); over-long fields are 422 and change nothing;
// static pages appear in the menu in their menu order.  Runs on SQLite,
// and again on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, backends, ORGANISER, PARTICIPANT,
} = require('./lib.js');

// Is text well-formed XML?  xmllint --noout reads it on stdin.
function xmllint(text) {
	const r = spawnSync('xmllint', ['--noout', '-'], { input: text, encoding: 'utf8' });
	if (r.error)
		throw r.error;
	return { ok: r.status === 0, errors: r.stderr };
}

// GET a form page and post it with its CSRF token and the fields given.
async function submit(client, formPath, action, fields) {
	const page = await client.get(formPath);
	assert.equal(page.status, 200, `GET ${formPath}`);
	return client.post(action, { _csrf: csrfFrom(page.text), ...fields });
}

// The main menu's links, as [href, label].
function menu(html) {
	const nav = /<div class="nav-wide">([\s\S]*?)<\/div>/.exec(html);
	assert.ok(nav, 'the page has the wide menu');
	return [...nav[1].matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
}

for (const db of backends()) {
	test.describe(`blog on ${db}`, () => {
		let srv, org, part, visitor;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			part = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
			visitor = new Client(srv.url);
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('organiser_previews_then_publishes_and_the_post_appears_everywhere', async () => {
			const fields = {
				title: 'Hello from the team', slug: '', summary: 'A first word.',
				body: 'We are **delighted**.\n\n- one\n- two\n', status: 'published', published_at: '',
			};
			const preview = await submit(org, '/admin/blog/new', '/admin/blog/new', { ...fields, action: 'preview' });
			assert.equal(preview.status, 200);
			assert.match(preview.text, /<strong>delighted<\/strong>/, 'the preview shows the rendered Markdown');
			assert.match(preview.text, /Preview \(not saved yet\)/);
			assert.match(preview.text, /<textarea id="body"[^>]*>We are \*\*delighted\*\*\./, 'the form keeps the text');
			assert.equal((await visitor.get('/blog/hello-from-the-team')).status, 404, 'preview saves nothing');

			const saved = await org.post('/admin/blog/new', { _csrf: csrfFrom(preview.text), ...fields, action: 'save' });
			assert.equal(saved.status, 303, pageText(saved.text).slice(0, 300));
			assert.equal(saved.location, '/admin/blog');

			const post = await visitor.get('/blog/hello-from-the-team');
			assert.equal(post.status, 200);
			assert.match(post.text, /<h1>Hello from the team<\/h1>/);
			assert.match(post.text, /<strong>delighted<\/strong>/);
			assert.match(pageText(post.text), /Ada Organiser/, 'the author is named');

			const index = await visitor.get('/blog');
			assert.match(index.text, /<a href="\/blog\/hello-from-the-team">Hello from the team<\/a>/);
			const home = await visitor.get('/');
			assert.match(home.text, /Latest posts/);
			assert.match(home.text, /<a href="\/blog\/hello-from-the-team">Hello from the team<\/a>/);

			const api = await visitor.get('/api/posts');
			assert.equal(api.status, 200);
			assert.match(api.headers.get('content-type'), /^application\/json/);
			const posts = JSON.parse(api.text);
			const p = posts.find((x) => x.slug === 'hello-from-the-team');
			assert.ok(p, 'the post is in the API');
			assert.equal(p.title, 'Hello from the team');
			assert.equal(p.url, `${srv.url}/blog/hello-from-the-team`);
			assert.match(p.body_html, /<strong>delighted<\/strong>/);
			assert.match(p.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		});

		test('atom_feed_is_wellformed_with_absolute_links', async () => {
			const r = await visitor.get('/blog.atom');
			assert.equal(r.status, 200);
			assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
			assert.equal(r.headers.get('cache-control'), 'no-store', 'links from Host: not for shared caches');
			const lint = xmllint(r.text);
			assert.ok(lint.ok, `xmllint: ${lint.errors}`);
			assert.ok(r.text.includes(`<feed xml:base="${srv.url}/" xmlns="http://www.w3.org/2005/Atom">`));
			assert.ok(r.text.includes(`<link rel="self" type="application/atom+xml" href="${srv.url}/blog.atom"/>`));
			for (const m of r.text.matchAll(/href="([^"]*)"/g))
				assert.match(m[1], /^http:\/\/127\.0\.0\.1:\d+\//, `absolute link ${m[1]}`);
			assert.match(r.text, /<title>Hello from the team<\/title>/);
			// The linter must be able to fail.
			assert.equal(xmllint('<feed><entry></feed>').ok, false);
		});

		test('drafts_are_404_for_visitors_and_participants_but_shown_to_organisers', async () => {
			const r = await submit(org, '/admin/blog/new', '/admin/blog/new', {
				title: 'Secret plans', slug: 'secret-plans', summary: '', body: 'Not yet.',
				status: 'draft', published_at: '', action: 'save',
			});
			assert.equal(r.status, 303);
			assert.equal((await visitor.get('/blog/secret-plans')).status, 404);
			assert.equal((await part.get('/blog/secret-plans')).status, 404);
			const seen = await org.get('/blog/secret-plans');
			assert.equal(seen.status, 200);
			assert.match(pageText(seen.text), /Draft: only organisers can see this post/);
			for (const c of [visitor, part]) {
				assert.doesNotMatch((await c.get('/blog')).text, /Secret plans/);
				assert.doesNotMatch((await c.get('/')).text, /Secret plans/);
			}
			assert.match((await org.get('/blog')).text, /Secret plans/);
			assert.doesNotMatch((await visitor.get('/blog.atom')).text, /Secret plans/);
			assert.doesNotMatch((await visitor.get('/api/posts')).text, /Secret plans/);

			// A published post with a later time waits too.
			const later = await submit(org, '/admin/blog/new', '/admin/blog/new', {
				title: 'Coming soon', slug: 'coming-soon', body: 'Later.', status: 'published',
				published_at: '2099-01-01T09:00', action: 'save',
			});
			assert.equal(later.status, 303);
			assert.equal((await visitor.get('/blog/coming-soon')).status, 404);
			assert.equal((await org.get('/blog/coming-soon')).status, 200);
		});

		test('script_and_javascript_link_in_a_post_are_inert', async () => {
			const body = 'Hi <script>alert("x")</script> there.\n\n[click me](javascript:alert(1)) ' +
				'[also](JaVaScRiPt:alert(2)) ![img](data:image/png;base64,AAAA) <vbscript:msgbox(1)> ' +
				'[fine](https://example.org/)\n\n<img src=x onerror=alert(3)>\n';
			const r = await submit(org, '/admin/blog/new', '/admin/blog/new', {
				title: 'Bad input <b>bold</b>', slug: 'bad-input', summary: '<i>sum</i>', body,
				status: 'published', published_at: '', action: 'save',
			});
			assert.equal(r.status, 303);
			const page = await visitor.get('/blog/bad-input');
			assert.equal(page.status, 200);
			const main = /<main[\s\S]*<\/main>/.exec(page.text)[0];
			assert.doesNotMatch(main, /<script/i, 'no script element');
			assert.match(main, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;|&lt;script&gt;alert\("x"\)&lt;\/script&gt;/);
			assert.doesNotMatch(main, /href="[^"]*script:/i, 'no javascript: or vbscript: link');
			assert.doesNotMatch(main, /src="data:/i, 'no data: image');
			assert.doesNotMatch(main, /<img[^>]*onerror/i);
			assert.match(main, /<a>click me<\/a>/, 'the words stay, as inert text');
			assert.match(main, /<a href="https:\/\/example\.org\/">fine<\/a>/);
			assert.match(main, /<h1>Bad input &lt;b&gt;bold&lt;\/b&gt;<\/h1>/);
			const feed = await visitor.get('/blog.atom');
			assert.ok(xmllint(feed.text).ok);
			assert.doesNotMatch(feed.text, /<script/i);
			assert.doesNotMatch(feed.text, /href=&quot;javascript/i);
		});

		test('organiser_routes_refuse_visitors_and_participants', async () => {
			const gets = ['/admin/blog', '/admin/blog/new', '/admin/blog/1', '/admin/pages',
				'/admin/pages/new', '/admin/pages/1'];
			const posts = ['/admin/blog/new', '/admin/blog/1', '/admin/blog/1/delete',
				'/admin/pages/new', '/admin/pages/1', '/admin/pages/1/delete', '/admin/pages/order'];
			const token = csrfFrom((await part.get('/account')).text);
			const vtoken = csrfFrom((await visitor.get('/login')).text);
			for (const p of gets) {
				const v = await visitor.get(p);
				assert.equal(v.status, 303, `visitor GET ${p}`);
				assert.match(v.location, /^\/login\?next=/);
				assert.equal((await part.get(p)).status, 403, `participant GET ${p}`);
			}
			for (const p of posts) {
				const v = await visitor.post(p, { _csrf: vtoken, title: 'x', body: 'x', action: 'save' });
				assert.equal(v.status, 303, `visitor POST ${p}`);
				assert.match(v.location, /^\/login/);
				const pr = await part.post(p, { _csrf: token, title: 'x', body: 'x', action: 'save' });
				assert.equal(pr.status, 403, `participant POST ${p}`);
			}
			assert.doesNotMatch((await visitor.get('/blog')).text, /<a href="\/blog\/x">/);
		});

		test('organiser_posts_without_a_valid_csrf_token_are_refused', async () => {
			const edit = await org.get('/admin/blog');
			const id = /href="\/admin\/blog\/(\d+)"/.exec(edit.text)[1];
			const pid = await (async () => {
				const r = await submit(org, '/admin/pages/new', '/admin/pages/new', {
					title: 'Csrf page', slug: 'csrf-page', body: 'x', menu_order: '5', action: 'save',
				});
				assert.equal(r.status, 303);
				return /href="\/admin\/pages\/(\d+)"/.exec((await org.get('/admin/pages')).text)[1];
			})();
			const posts = ['/admin/blog/new', `/admin/blog/${id}`, `/admin/blog/${id}/delete`,
				'/admin/pages/new', `/admin/pages/${pid}`, `/admin/pages/${pid}/delete`, '/admin/pages/order'];
			for (const p of posts) {
				for (const tok of [undefined, 'forged-token-forged-token-forged-token-xxxx']) {
					const form = { title: 'Hijacked', slug: 'hijacked', body: 'x', action: 'save', [`order_${pid}`]: '1' };
					if (tok)
						form._csrf = tok;
					const r = await org.post(p, form);
					assert.equal(r.status, 403, `POST ${p} with ${tok ? 'a forged' : 'no'} token`);
				}
				// The right token from another site (Origin) is refused too.
				const good = csrfFrom((await org.get('/admin/blog/new')).text);
				const r = await org.post(p, { _csrf: good, title: 'Hijacked', action: 'save' },
					{ headers: { origin: 'http://evil.example' } });
				assert.equal(r.status, 403, `POST ${p} from another origin`);
			}
			assert.equal((await org.get('/blog/hijacked')).status, 404);
			assert.equal((await org.get(`/admin/blog/${id}`)).status, 200, 'the post was not deleted');
			assert.equal((await org.get('/pages/csrf-page')).status, 200, 'the page was not deleted');
		});

		test('over_long_fields_are_422_and_change_nothing', async () => {
			const base = { title: 'Fine', slug: 'too-long-test', summary: '', body: 'ok', status: 'published', published_at: '', action: 'save' };
			const cases = [
				['title', 'x'.repeat(201), /use at most 200 characters/],
				['summary', 'y'.repeat(501), /use at most 500 characters/],
				['slug', 'a'.repeat(81), /use at most 80 characters/],
				['body', 'z'.repeat(102401), /use at most 100 KB/],
				['published_at', 'next tuesday', /use a date and time/],
				['slug', 'Not A Slug!', /letters a-z/],
				['title', '', /cannot be empty/],
			];
			for (const [field, value, why] of cases) {
				for (const action of ['save', 'preview']) {
					const r = await submit(org, '/admin/blog/new', '/admin/blog/new', { ...base, [field]: value, action });
					assert.equal(r.status, 422, `${field} (${action})`);
					assert.match(pageText(r.text), why);
					assert.match(r.text, /aria-invalid="true"/);
				}
			}
			assert.equal((await org.get('/blog/too-long-test')).status, 404, 'nothing was saved');
			// A slug another post has: 422 on the form, not a server error.
			const dup = await submit(org, '/admin/blog/new', '/admin/blog/new', { ...base, slug: 'hello-from-the-team' });
			assert.equal(dup.status, 422);
			assert.match(pageText(dup.text), /another post already has this address/);
			// Pages too.
			const pbase = { title: 'P', slug: 'p-long', body: 'x', menu_order: '1', action: 'save' };
			for (const [field, value] of [['title', 'x'.repeat(101)], ['body', 'z'.repeat(102401)],
				['menu_order', '10000'], ['menu_order', 'first']]) {
				const r = await submit(org, '/admin/pages/new', '/admin/pages/new', { ...pbase, [field]: value });
				assert.equal(r.status, 422, `page ${field}`);
			}
			assert.equal((await org.get('/pages/p-long')).status, 404);
		});

		test('pages_appear_in_the_menu_in_menu_order', async () => {
			for (const [title, slug, order, inMenu] of [['Venue', 'venue', '20', '1'], ['Access', 'access', '10', '1'], ['Hidden', 'hidden', '1', '']]) {
				const form = { title, slug, body: `About **${title}**.`, menu_order: order, action: 'save' };
				if (inMenu)
					form.in_menu = inMenu;
				const r = await submit(org, '/admin/pages/new', '/admin/pages/new', form);
				assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
			}
			const page = await visitor.get('/pages/venue');
			assert.equal(page.status, 200);
			assert.match(page.text, /<strong>Venue<\/strong>/);
			assert.equal((await visitor.get('/pages/hidden')).status, 200, 'a page out of the menu still has its address');
			assert.equal((await visitor.get('/pages/nope')).status, 404);

			let links = menu((await visitor.get('/')).text).map((l) => l[0]);
			assert.deepEqual(links.filter((h) => /^\/(blog|pages\/(venue|access|hidden))$/.test(h)),
				['/blog', '/pages/access', '/pages/venue']);

			// Reorder from the list: venue first.
			const list = await org.get('/admin/pages');
			const tbody = /<tbody>[\s\S]*<\/tbody>/.exec(list.text)[0];
			const idOf = (slug) => new RegExp(`<a href="/pages/${slug}">[^\\n]*\\n[^\\n]*\\n<input[^>]*name="order_(\\d+)"`).exec(tbody)[1];
			const bad = await org.post('/admin/pages/order', { _csrf: csrfFrom(list.text), [`order_${idOf('venue')}`]: '-3' });
			assert.equal(bad.status, 422);
			assert.match(bad.text, /aria-invalid="true"/);
			const r = await org.post('/admin/pages/order', {
				_csrf: csrfFrom(list.text), [`order_${idOf('venue')}`]: '1', [`order_${idOf('access')}`]: '2',
			});
			assert.equal(r.status, 303);
			links = menu((await visitor.get('/blog')).text).map((l) => l[0]);
			assert.deepEqual(links.filter((h) => /^\/pages\/(venue|access)$/.test(h)), ['/pages/venue', '/pages/access']);
		});

		test('organiser_edits_and_deletes_a_post', async () => {
			const list = await org.get('/admin/blog');
			const id = new RegExp('<a href="/blog/hello-from-the-team">[\\s\\S]*?href="/admin/blog/(\\d+)"').exec(list.text)[1];
			const form = await org.get(`/admin/blog/${id}`);
			assert.equal(form.status, 200);
			assert.match(form.text, /value="Hello from the team"/);
			const r = await org.post(`/admin/blog/${id}`, {
				_csrf: csrfFrom(form.text), title: 'Hello again', slug: 'hello-from-the-team',
				summary: '', body: 'Edited.', status: 'published', published_at: '2026-01-01T10:00', action: 'save',
			});
			assert.equal(r.status, 303);
			assert.match((await visitor.get('/blog/hello-from-the-team')).text, /Hello again/);
			assert.equal((await org.get('/admin/blog/999999')).status, 404);
			const del = await org.post(`/admin/blog/${id}/delete`, { _csrf: csrfFrom(form.text) });
			assert.equal(del.status, 303);
			assert.equal((await visitor.get('/blog/hello-from-the-team')).status, 404);
			assert.equal((await org.post(`/admin/blog/${id}/delete`, { _csrf: csrfFrom(form.text) })).status, 404);
		});

		// Visitors get a kept copy of the home page (and the agenda); what
		// an organiser saves here shows on it at the next request, not
		// PAGE_CACHE_TTL seconds later.
		test('visitors_kept_home_page_follows_posts_and_pages_at_once', async () => {
			const home = async () => (await visitor.get('/')).text;
			await home();	// kept from here on
			assert.equal(await home(), await home(), 'the kept copy is served');
			let r = await submit(org, '/admin/blog/new', '/admin/blog/new', {
				title: 'Fresh news', slug: 'fresh-news', summary: '', body: 'Now.',
				status: 'published', published_at: '', action: 'save',
			});
			assert.equal(r.status, 303);
			assert.match(await home(), /<a href="\/blog\/fresh-news">Fresh news<\/a>/, 'a new post at once');
			await visitor.get('/agenda');
			r = await submit(org, '/admin/pages/new', '/admin/pages/new', {
				title: 'Travel', slug: 'travel', body: 'By train.', menu_order: '5', in_menu: '1', action: 'save',
			});
			assert.equal(r.status, 303);
			assert.ok(menu(await home()).some(([h]) => h === '/pages/travel'), 'a new menu page on the home page');
			assert.ok(menu((await visitor.get('/agenda')).text).some(([h]) => h === '/pages/travel'), 'and on the agenda');
			const list = await org.get('/admin/blog');
			const id = /<a href="\/blog\/fresh-news">[\s\S]*?href="\/admin\/blog\/(\d+)"/.exec(list.text);
			assert.ok(id, 'the post is listed for the organiser');
			const form = await org.get(`/admin/blog/${id[1]}`);
			r = await org.post(`/admin/blog/${id[1]}/delete`, { _csrf: csrfFrom(form.text) });
			assert.equal(r.status, 303);
			assert.doesNotMatch(await home(), /Fresh news/, 'a deleted post at once');
		});
	});
}

test('feed_and_api_links_use_the_base_url', async (t) => {
	const srv = await startServer(t, { args: ['--base-url', 'http://events.example.org/'], users: [ORGANISER] });
	const org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
	const form = await org.get('/admin/blog/new');
	// Behind a proxy the Origin is the public one.
	const r = await org.post('/admin/blog/new', {
		_csrf: csrfFrom(form.text), title: 'Based', slug: 'based', body: 'x', status: 'published', action: 'save',
	});
	assert.equal(r.status, 303);
	const feed = await new Client(srv.url).get('/blog.atom');
	assert.ok(xmllint(feed.text).ok);
	assert.equal(feed.headers.get('cache-control'), 'public, max-age=300');
	assert.ok(feed.text.includes('<id>http://events.example.org/blog/based</id>'));
	assert.ok(feed.text.includes('href="http://events.example.org/blog.atom"'));
	const api = JSON.parse((await new Client(srv.url).get('/api/posts')).text);
	assert.equal(api[0].url, 'http://events.example.org/blog/based');
});
