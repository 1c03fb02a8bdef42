// security_limits.test.js - the size limits hold at the edge of the
// server, before any handler: a body over --body-max is 413, request
// headers over 8 KB or 100 lines are 431, a path over 4096 bytes is 414,
// more than 1000 form fields or one field over 1 MB is 413, an uploaded
// file over --upload-max is 413, a malformed or non-UTF-8 form is 422;
// and the features' own field limits answer 422 and store nothing; a
// signed-in person posting more than --post-rate forms a minute gets 429.
// Each refusal leaves the server answering normally.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, csrfFrom, rawRequest, pageText } = require('./lib.js');
const sec = require('./security_lib.js');

test.describe('limits', () => {
	let db, srv, org, token;
	test.before(async () => {
		db = await sec.demoDatabase('sqlite');
		srv = await startServer({ dbUrl: db.url, args: ['--body-max', '2000000', '--upload-max', '20000'] });
		org = (await sec.clients(srv.url)).organiser;
		token = csrfFrom((await org.get('/admin/blog/new')).text);
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
		if (db)
			db.drop();
	});

	async function stillFine() {
		const r = await new Client(srv.url).get('/');
		assert.equal(r.status, 200, 'the server still answers after the refusal');
	}

	test('a_body_over_body_max_is_refused_with_413', async () => {
		const r = await rawRequest(srv.url, { method: 'POST', path: '/login',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=' + 'x'.repeat(2100000) });
		assert.equal(r.status, 413);
		const big = await rawRequest(srv.url, { method: 'POST', path: '/login',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '99999999999' }, body: 'a=1' });
		assert.equal(big.status, 413, 'a declared length over the cap is refused at once');
		await stillFine();
	});

	test('a_client_sending_a_too_large_body_at_once_always_reads_the_413', async () => {
		// Its body is read and dropped before the answer, so the answer
		// is never lost to a connection reset under it (20 tries).
		const body = 'a=' + 'x'.repeat(3 * 1024 * 1024);
		for (let i = 0; i < 20; i++) {
			const r = await rawRequest(srv.url, { method: 'POST', path: '/login',
				headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
			assert.equal(r.status, 413, `try ${i + 1}`);
		}
		await stillFine();
	});

	test('a_client_waiting_for_100_continue_gets_413_without_sending_the_body', async () => {
		const net = require('node:net');
		const u = new URL(srv.url);
		const text = await new Promise((resolve, reject) => {
			const sock = net.connect({ host: u.hostname, port: Number(u.port) });
			let got = '';
			sock.setTimeout(5000, () => { sock.destroy(); reject(new Error(`no answer in 5 s: ${got}`)); });
			sock.on('data', (d) => {
				got += d;
				if (/\r\n\r\n/.test(got)) {
					sock.destroy();
					resolve(got);
				}
			});
			sock.on('error', reject);
			sock.write(`POST /login HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
				'Content-Length: 3000000\r\nExpect: 100-continue\r\n\r\n');
		});
		assert.match(text, /^HTTP\/1\.1 413 /, 'no "100 Continue": the refusal at once');
		await stillFine();
	});

	test('request_headers_over_8_kb_or_100_lines_are_refused_with_431', async () => {
		const ok = await rawRequest(srv.url, { path: '/', headers: { 'x-big': 'y'.repeat(7 * 1024) } });
		assert.equal(ok.status, 200);
		for (const kb of [9, 17, 64]) {
			const r = await rawRequest(srv.url, { path: '/', headers: { 'x-big': 'y'.repeat(kb * 1024) } });
			assert.equal(r.status, 431, `${kb} KB of headers`);
		}
		const many = {};
		for (let i = 0; i < 120; i++)
			many[`x-h${i}`] = 'v';
		assert.equal((await rawRequest(srv.url, { path: '/', headers: many })).status, 431);
		const cookie = await rawRequest(srv.url, { path: '/', headers: { cookie: Array.from({ length: 300 }, (_, i) => `c${i}=v`).join('; ') } });
		assert.ok([200, 431].includes(cookie.status), `300 cookies: ${cookie.status}`);
		await stillFine();
	});

	test('a_path_over_4096_bytes_is_414', async () => {
		const r = await rawRequest(srv.url, { path: '/' + 'a'.repeat(5000) });
		assert.equal(r.status, 414);
		await stillFine();
	});

	test('a_query_of_up_to_1000_short_fields_is_answered', async () => {
		const q = await rawRequest(srv.url, { path: '/?' + 'a=1&'.repeat(500) });
		assert.equal(q.status, 200);
	});

	test('more_than_1000_fields_or_one_field_over_1_mb_is_413', async () => {
		const many = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
		const r = await org.request('POST', '/admin/blog/new', { body: `_csrf=${encodeURIComponent(token)}&${many}` });
		assert.equal(r.status, 413);
		const one = await org.request('POST', '/admin/blog/new', { body: `_csrf=${encodeURIComponent(token)}&body=${'x'.repeat((1 << 20) + 10)}` });
		assert.equal(one.status, 413);
		await stillFine();
	});

	test('malformed_or_non_utf8_forms_are_422_and_unknown_types_415', async () => {
		const bad = await org.request('POST', '/admin/blog/new', { body: `_csrf=${encodeURIComponent(token)}&title=%ff%fe` });
		assert.equal(bad.status, 422);
		const ctl = await org.request('POST', '/admin/blog/new', { body: `_csrf=${encodeURIComponent(token)}&title=a%01b` });
		assert.equal(ctl.status, 422);
		const esc = await org.request('POST', '/admin/blog/new', { body: `_csrf=${encodeURIComponent(token)}&title=%zz` });
		assert.equal(esc.status, 422);
		const json = await org.request('POST', '/admin/blog/new', { body: '{"title":"x"}', contentType: 'application/json' });
		assert.equal(json.status, 415);
		const mp = await org.request('POST', '/admin/blog/new', { body: 'nothing', contentType: 'multipart/form-data; boundary=' });
		assert.equal(mp.status, 422);
	});

	test('an_upload_over_upload_max_is_413', async () => {
		const page = await org.get('/people/import');
		const t = csrfFrom(page.text);
		const b = 'XbOuNdArY';
		const file = 'name,email\n' + 'Someone,someone@example.org\n'.repeat(1000);
		const body = `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${t}\r\n` +
			`--${b}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n--${b}--\r\n`;
		const r = await org.request('POST', '/people/import', { body, contentType: `multipart/form-data; boundary=${b}` });
		assert.equal(r.status, 413, pageText(r.text).slice(0, 200));
		await stillFine();
	});

	test('over_long_fields_of_the_features_are_422_and_store_nothing', async () => {
		const before = sec.sql(db, 'SELECT COUNT(*) FROM posts');
		const long = await org.post('/admin/blog/new', { _csrf: token, title: 'x'.repeat(201), slug: 'long-title', body: 'b', status: 'draft' });
		assert.equal(long.status, 422);
		const body = await org.post('/admin/blog/new', { _csrf: token, title: 'Long body', slug: 'long-body', body: 'y'.repeat(102401), status: 'draft' });
		assert.equal(body.status, 422);
		assert.equal(sec.sql(db, 'SELECT COUNT(*) FROM posts'), before, 'nothing stored');
		const pw = await org.post('/account/password', { _csrf: token, current: sec.PASSWORD, password: 'p'.repeat(5000), confirm: 'p'.repeat(5000) });
		assert.equal(pw.status, 422, 'an absurdly long password is refused');
	});
});

test('posting_is_limited_per_person_per_minute_with_429', async (t) => {
	const db = await sec.demoDatabase('sqlite');
	t.after(() => db.drop());
	const srv = await startServer(t, { dbUrl: db.url, args: ['--post-rate', '5'] });
	const { partA, partB } = await sec.clients(srv.url);
	const token = csrfFrom((await partA.get('/account')).text);
	const statuses = [];
	// The window is one clock minute: start early in one.
	if (Date.now() % 60000 > 40000)
		await new Promise((r) => setTimeout(r, 60500 - Date.now() % 60000));
	for (let i = 0; i < 7; i++)
		statuses.push((await partA.post('/sessions/1/star', { _csrf: token })).status);
	const refused = statuses.indexOf(429);
	assert.equal(refused, 5, `the sixth post is refused: ${statuses}`);
	assert.ok(statuses.slice(0, 5).every((s) => s === 303), `the first five pass: ${statuses}`);
	const r = await partA.post('/sessions/1/star', { _csrf: token });
	if (r.status === 429)
		assert.equal(r.headers.get('retry-after'), '60');
	const other = await partB.post('/sessions/1/star', { _csrf: csrfFrom((await partB.get('/account')).text) });
	assert.equal(other.status, 303, 'another person is not limited by the first');
	assert.equal((await partA.get('/my-agenda')).status, 200, 'reading is never limited');
});

// A request target with about 1000 short query fields (under 4 KB) once
// exhausted the server's per-connection pool and was never answered.
test('a_query_with_too_many_fields_is_refused_with_414_not_left_hanging', async () => {
		const db = await sec.demoDatabase('sqlite');
		const srv = await startServer({ dbUrl: db.url });
		try {
			const q = await Promise.race([
				rawRequest(srv.url, { path: '/?' + 'a=1&'.repeat(1100) }),
				new Promise((resolve) => setTimeout(() => resolve({ status: 'no answer in 5 s' }), 5000)),
			]);
			assert.equal(q.status, 414);
		} finally {
			srv.proc.kill('SIGKILL');
			db.drop();
		}
	});
