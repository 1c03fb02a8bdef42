// security_csrf.test.js - every POST route of `colead routes` checks CSRF:
// asked by a signed-in person holding every role (so no login or role
// check answers first), with no _csrf field, with a wrong one, and with
// the right one but a foreign Origin (or Referer), it answers 403 with the
// CSRF message and changes nothing.  A POST route without the csrf flag
// fails the test unless it is listed below with the reason.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, csrfFrom, pageText } = require('./lib.js');
const sec = require('./security_lib.js');

const CSRF_MSG = /the form has expired or came from another site/;

// POST routes allowed to skip the flag, with why.  Keep it empty if you can.
const NO_CSRF = {};

test.describe('CSRF on every state-changing route', () => {
	let db, srv, c, token, values, list;
	test.before(async () => {
		db = await sec.demoDatabase('sqlite');
		srv = await startServer({ dbUrl: db.url });
		c = new Client(srv.url);
		const page = await c.get('/login');
		const r = await c.post('/login', { _csrf: csrfFrom(page.text), email: sec.EVERYONE.email, password: sec.PASSWORD });
		assert.equal(r.status, 303);
		token = csrfFrom((await c.get('/account')).text);
		values = sec.paramValues(db);
		list = sec.routes();
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
		if (db)
			db.drop();
	});

	test('every_post_route_has_the_csrf_flag', () => {
		const missing = list.filter((r) => r.method === 'POST' && !r.flags.has('csrf') && !(r.key in NO_CSRF));
		assert.deepEqual(missing.map((r) => r.key), [], 'POST routes without ROUTE_CSRF');
		for (const r of list)
			assert.ok(r.method === 'GET' || r.method === 'POST', `${r.key}: only GET and POST routes exist`);
	});

	test('every_post_route_refuses_a_missing_a_wrong_and_a_foreign_origin_token_with_403', async (t) => {
		const problems = [];
		let asked = 0;
		const counts = () => sec.sql(db, 'SELECT (SELECT COUNT(*) FROM posts) || \',\' || (SELECT COUNT(*) FROM pages) || \',\' || ' +
			'(SELECT COUNT(*) FROM people) || \',\' || (SELECT COUNT(*) FROM partnerships) || \',\' || (SELECT COUNT(*) FROM live_rooms)');
		const before = counts();
		for (const rt of list.filter((r) => r.method === 'POST')) {
			const p = sec.fill(rt.pattern, values);
			const tries = [
				['no token', {}, {}],
				['empty token', { _csrf: '' }, {}],
				['wrong token', { _csrf: token.slice(0, -4) + 'AAAA' }, {}],
				['another token', { _csrf: 'x'.repeat(token.length) }, {}],
				['foreign Origin', { _csrf: token }, { origin: 'https://evil.example' }],
				['null Origin', { _csrf: token }, { origin: 'null' }],
				['foreign Referer', { _csrf: token }, { origin: null, referer: 'https://evil.example/form' }],
			];
			for (const [what, form, headers] of tries) {
				/* origin: null sends no Origin at all (lib.js Client) */
				const res = await c.request('POST', p, { form: { ...form, title: 'csrf', name: 'csrf', body: 'csrf' },
					headers });
				asked++;
				if (res.status !== 403 || !CSRF_MSG.test(pageText(res.text)))
					problems.push(`${rt.key} (${p}) with ${what}: ${res.status} ${pageText(res.text).slice(0, 120)}`);
			}
		}
		assert.deepEqual(problems, [], `POST routes that did not refuse a forged request:\n${problems.join('\n')}`);
		assert.equal(counts(), before, 'no refused request changed the database');
		const still = await c.get('/account');
		assert.equal(still.status, 200, 'the session survived every refused request');
		t.diagnostic(`${asked} forged requests refused`);
	});
});
