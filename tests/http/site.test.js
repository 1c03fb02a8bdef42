// site.test.js - the public home page, the security headers every page
// carries, static files with ETag revalidation, gzip, and a clean exit on
// SIGTERM.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const zlib = require('node:zlib');
const { startServer, Client, pageText, rawRequest, SLOW } = require('./lib.js');

// The event's name as stored, read from the SQLite file behind the server.
function eventName(dbUrl) {
	const r = spawnSync('sqlite3', [dbUrl.replace(/^sqlite:/, ''), 'SELECT name FROM events ORDER BY id LIMIT 1'], { encoding: 'utf8' });
	assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
	return r.stdout.trim();
}

test.describe('public site', () => {
	let srv;
	test.before(async () => {
		srv = await startServer({});
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
	});

	test('home_page_shows_the_event_name', async () => {
		const r = await new Client(srv.url).get('/');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^text\/html;\s*charset=utf-8/i);
		const name = eventName(srv.db);
		assert.ok(name.length > 0, 'the database has an event');
		const text = pageText(r.text);
		assert.ok(text.includes(name), `the page shows "${name}"`);
		assert.match(r.text, new RegExp(`<title>[^<]*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		assert.match(text, /Log in/, 'a visitor is offered to log in');
	});

	test('head_answers_like_get_without_a_body', async () => {
		const r = await rawRequest(srv.url, { method: 'HEAD', path: '/' });
		assert.equal(r.status, 200);
		assert.equal(r.body.length, 0);
		assert.match(r.headers['content-type'], /^text\/html/);
	});

	for (const p of ['/', '/login', '/no/such/page']) {
		test(`security_headers_on_${p}`, async () => {
			const r = await new Client(srv.url).get(p);
			const csp = r.headers.get('content-security-policy');
			assert.ok(csp, 'a Content-Security-Policy');
			assert.doesNotMatch(csp, /unsafe-inline/);
			assert.doesNotMatch(csp, /unsafe-eval/);
			assert.match(csp, /(default-src|script-src)[^;]*'self'/);
			assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
			// The policy forbids inline code: the page must not need any.
			assert.doesNotMatch(r.text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline <script>');
			assert.doesNotMatch(r.text, /\sstyle="/i, 'no inline style attributes');
			assert.doesNotMatch(r.text, /\son[a-z]+="/i, 'no inline event handlers');
		});
	}

	test('static_css_is_served_with_an_etag_and_revalidates_to_304', async () => {
		const c = new Client(srv.url);
		const r = await c.get('/static/css/colead.css');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^text\/css/);
		assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
		assert.ok(r.text.length > 0);
		const etag = r.headers.get('etag');
		assert.ok(etag, 'an ETag');
		assert.match(etag, /^(W\/)?"[^"]+"$/);

		const again = await c.get('/static/css/colead.css', { headers: { 'if-none-match': etag } });
		assert.equal(again.status, 304);
		assert.equal(again.text, '');
		assert.equal(again.headers.get('etag'), etag);

		const changed = await c.get('/static/css/colead.css', { headers: { 'if-none-match': '"not-the-etag"' } });
		assert.equal(changed.status, 200);
		assert.equal(changed.text, r.text);
	});

	test('missing_static_file_is_404', async () => {
		const r = await new Client(srv.url).get('/static/css/no-such-file.css');
		assert.equal(r.status, 404);
		const up = await new Client(srv.url).get('/static/..%2f..%2fetc%2fpasswd');
		assert.equal(up.status, 404);
		assert.doesNotMatch(up.text, /root:/);
	});

	test('big_page_is_gzipped_when_asked', async () => {
		const plain = await rawRequest(srv.url, { path: '/' });
		assert.equal(plain.status, 200);
		assert.equal(plain.headers['content-encoding'], undefined, 'no gzip unless asked');
		assert.ok(plain.body.length > 1500, `the home page is big enough to compress (${plain.body.length} bytes)`);

		const r = await rawRequest(srv.url, { path: '/', headers: { 'accept-encoding': 'gzip' } });
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-encoding'], 'gzip');
		assert.match(r.headers.vary || '', /Accept-Encoding/i);
		assert.ok(r.body.length < plain.body.length, 'smaller on the wire');
		const html = zlib.gunzipSync(r.body).toString('utf8');
		assert.equal(html, plain.body.toString('utf8'), 'the same page after gunzip');
	});

	test('big_static_file_is_gzipped_when_asked', async () => {
		const r = await rawRequest(srv.url, { path: '/static/vendor/pico.min.css', headers: { 'accept-encoding': 'gzip' } });
		assert.equal(r.status, 200);
		assert.equal(r.headers['content-encoding'], 'gzip');
		assert.match(zlib.gunzipSync(r.body).toString('utf8'), /--pico/);
	});
});

test('sigterm_stops_the_server_cleanly', async (t) => {
	const srv = await startServer(t, {});
	assert.equal((await new Client(srv.url).get('/')).status, 200);
	const r = await srv.stop();
	assert.equal(r.code, 0, `exit code ${r.code} signal ${r.signal}`);
	assert.ok(r.ms < 5000 * SLOW, `exited in ${r.ms} ms`);
});
