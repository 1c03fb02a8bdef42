// errors.test.js - what a person sees when a request is wrong: unknown
// pages, wrong methods, bodies that are too big or malformed.  Always an
// HTML page in the site's layout with the right status, never a stack
// trace, SQL or a crash, and a refused request changes nothing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	startServer, Client, csrfFrom, pageText, login, rawRequest, ORGANISER,
} = require('./lib.js');

// Nothing of the implementation may leak into an error page.
function assertNoInternals(html) {
	assert.doesNotMatch(html, /\b(SELECT|INSERT|UPDATE)\b .*\b(FROM|INTO|SET)\b/, 'no SQL');
	assert.doesNotMatch(html, /sqlite|libpq|postgres|ERROR:|\.c:\d+|Traceback|backtrace|Segmentation/i, 'no internals');
}

// The error page is a page of the site: the layout's header and footer.
function assertLayout(html) {
	assert.match(html, /^<!doctype html>/i);
	assert.match(html, /<a class="site-name" href="\/">[^<]+<\/a>/, 'the layout with the event name');
}

test.describe('error pages', () => {
	let srv;
	test.before(async () => {
		srv = await startServer({ users: [ORGANISER] });
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
	});

	test('unknown_page_is_a_404_page_in_the_layout', async () => {
		const r = await new Client(srv.url).get('/no/such/page');
		assert.equal(r.status, 404);
		assert.match(r.headers.get('content-type'), /^text\/html/);
		assertLayout(r.text);
		assert.match(pageText(r.text), /Page not found|Not Found/i);
		assertNoInternals(r.text);
	});

	test('hostile_path_is_escaped_on_the_404_page', async () => {
		const r = await new Client(srv.url).get('/no/%3Cscript%3Ealert(1)%3C/script%3E');
		assert.equal(r.status, 404);
		assert.doesNotMatch(r.text, /<script>alert/);
	});

	test('post_to_a_get_only_page_is_405', async () => {
		const c = new Client(srv.url);
		const home = await c.get('/');
		const r = await c.post('/', { _csrf: csrfFrom((await c.get('/login')).text) });
		assert.equal(home.status, 200);
		assert.equal(r.status, 405);
		assert.match(r.headers.get('allow') || '', /GET/, 'Allow names the methods that work');
		assertLayout(r.text);
		assertNoInternals(r.text);
	});

	test('body_over_one_mebibyte_is_413', async () => {
		const c = new Client(srv.url);
		const page = await c.get('/login');
		const body = `_csrf=${encodeURIComponent(csrfFrom(page.text))}&email=${'a'.repeat(1100 * 1024)}&password=x`;
		const r = await rawRequest(srv.url, {
			method: 'POST', path: '/login', body,
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				'content-length': Buffer.byteLength(body),
				cookie: c.cookieHeader(), origin: srv.url,
			},
		});
		assert.equal(r.status, 413);
		assertNoInternals(r.body.toString());
	});

	const malformed = [
		['bad_percent_escape', (tok) => `_csrf=${tok}&email=%ZZ&password=x`],
		['truncated_percent_escape', (tok) => `_csrf=${tok}&email=ada%4&password=x`],
		['invalid_utf8_bytes', (tok) => Buffer.concat([
			Buffer.from(`_csrf=${tok}&email=`), Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
			Buffer.from('&password=x')])],
		['invalid_utf8_escaped', (tok) => `_csrf=${tok}&email=%C3%28%FF&password=x`],
		['overlong_utf8', (tok) => `_csrf=${tok}&email=%C0%AF&password=x`],
		['nul_byte', (tok) => `_csrf=${tok}&email=ada%00@example.org&password=x`],
	];
	for (const [name, make] of malformed) {
		test(`malformed_body_${name}_is_422`, async () => {
			const c = new Client(srv.url);
			const page = await c.get('/login');
			const tok = encodeURIComponent(csrfFrom(page.text));
			const r = await c.request('POST', '/login', { body: make(tok) });
			assert.equal(r.status, 422, pageText(r.text).slice(0, 300));
			assertNoInternals(r.text);
		});
	}

	test('over_long_email_is_refused_without_error', async () => {
		const c = new Client(srv.url);
		const r = await login(c, 'a'.repeat(10000) + '@example.org', 'whatever password');
		assert.ok(r.status === 401 || r.status === 422, `got ${r.status}`);
		assertNoInternals(r.text);
		assert.ok(r.text.length < 60000, 'the page stays a sane size');
	});

	test('login_still_works_after_the_malformed_requests', async () => {
		const r = await login(new Client(srv.url), ORGANISER.email, ORGANISER.password);
		assert.equal(r.status, 303);
		assert.ok(srv.proc.exitCode === null, 'the server is still running');
	});
});

test('body_over_the_configured_limit_is_413_page', async (t) => {
	const srv = await startServer(t, { users: [ORGANISER], args: ['--body-max', '2048'] });
	const c = new Client(srv.url);
	const page = await c.get('/login');
	const tok = csrfFrom(page.text);

	// Under the limit: an ordinary answer.
	const small = await c.post('/login', { _csrf: tok, email: 'x'.repeat(1000), password: 'y' });
	assert.equal(small.status, 401);

	const r = await c.post('/login', { _csrf: tok, email: 'x'.repeat(4000), password: 'y' });
	assert.equal(r.status, 413);
	assert.match(r.headers.get('content-type') || '', /^text\/html/);
	assert.match(r.text, /<a class="site-name" href="\/">[^<]+<\/a>/, 'the 413 page is in the layout');
	assert.match(pageText(r.text), /too large|too big|Payload Too Large|Content Too Large/i);
	assertNoInternals(r.text);

	// The server is fine afterwards.
	const ok = await login(new Client(srv.url), ORGANISER.email, ORGANISER.password);
	assert.equal(ok.status, 303);
});
