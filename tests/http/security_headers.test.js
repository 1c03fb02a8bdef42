// security_headers.test.js - every route of `colead routes`, asked by a
// visitor and by a person with every role, answers with the security
// headers: a Content-Security-Policy without 'unsafe-inline' that forbids
// framing, X-Content-Type-Options, Referrer-Policy, a charset on text, no
// version in Server, no CORS; error pages too.  With
// --base-url https://example.org the answers also carry HSTS and the
// session cookie is the __Host- one, Secure.  A route added to the server
// is covered without touching this file.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, csrfFrom } = require('./lib.js');
const sec = require('./security_lib.js');

// The headers every response must carry; returns a list of what is wrong.
function headerProblems(h, tls) {
	const bad = [];
	const csp = h.get('content-security-policy') || '';
	if (!csp)
		bad.push('no Content-Security-Policy');
	if (/unsafe-inline|unsafe-eval/.test(csp))
		bad.push(`CSP allows unsafe code: ${csp}`);
	if (!/frame-ancestors 'none'|frame-ancestors 'self'/.test(csp))
		bad.push('CSP has no frame-ancestors');
	if (!/default-src 'self'|default-src 'none'/.test(csp))
		bad.push('CSP has no default-src');
	if (/script-src[^;]*\*/.test(csp))
		bad.push('CSP allows scripts from anywhere');
	if ((h.get('x-content-type-options') || '') !== 'nosniff')
		bad.push('no X-Content-Type-Options: nosniff');
	if (!/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/.test(h.get('referrer-policy') || ''))
		bad.push(`Referrer-Policy is '${h.get('referrer-policy')}'`);
	if (/\d/.test(h.get('server') || '') || h.get('x-powered-by'))
		bad.push(`the server names its version: ${h.get('server') || h.get('x-powered-by')}`);
	const ct = h.get('content-type') || '';
	if (/^text\/(?!event-stream)/.test(ct) && !/charset=utf-8/i.test(ct))	/* an event stream is UTF-8 by definition */
		bad.push(`text without a charset: ${ct}`);
	if (h.get('access-control-allow-origin'))
		bad.push(`CORS opened: ${h.get('access-control-allow-origin')}`);
	const hsts = h.get('strict-transport-security');
	if (tls && !/max-age=\d{7,}/.test(hsts || ''))
		bad.push(`no HSTS of at least 4 months under TLS (got '${hsts}')`);
	if (!tls && hsts)
		bad.push('HSTS sent without TLS');
	return bad;
}

async function everyRoute(srv, db, tls) {
	const values = sec.paramValues(db);
	const list = sec.routes();
	const visitor = new Client(srv.url);
	const everyone = new Client(srv.url);
	const origin = tls ? 'https://example.org' : srv.url;
	const login = await everyone.get('/login');
	const r = await everyone.post('/login', { _csrf: csrfFrom(login.text), email: sec.EVERYONE.email,
		password: sec.PASSWORD }, { headers: { origin } });
	assert.equal(r.status, 303, 'the person with every role signs in');
	const problems = [];
	let asked = 0;
	for (const rt of list) {
		const p = sec.fill(rt.pattern, values);
		for (const [who, c] of [['visitor', visitor], ['everyone', everyone]]) {
			if (rt.method === 'POST' && rt.key === 'POST /logout')
				continue;	/* would end the session the others use; asked below */
			const res = await sec.probe(c, rt.method, p, {}, { origin });
			asked++;
			for (const b of headerProblems(res.headers, tls))
				problems.push(`${rt.key} (${p}) as ${who} -> ${res.status}: ${b}`);
		}
	}
	for (const [m, p] of [['GET', '/no/such/page'], ['PUT', '/'], ['GET', '/static/../../etc/passwd'], ['GET', '/%ff']]) {
		const res = await sec.probe(visitor, m, p);
		asked++;
		for (const b of headerProblems(res.headers, tls))
			problems.push(`${m} ${p} -> ${res.status}: ${b}`);
	}
	const out = await sec.probe(everyone, 'POST', '/logout', { _csrf: csrfFrom((await everyone.get('/account')).text) }, { origin });
	for (const b of headerProblems(out.headers, tls))
		problems.push(`POST /logout -> ${out.status}: ${b}`);
	assert.deepEqual(problems, [], `responses without the security headers:\n${problems.join('\n')}`);
	return asked;
}

test.describe('security headers on every route', () => {
	let db;
	test.before(async () => { db = await sec.demoDatabase('sqlite'); });
	test.after(() => db && db.drop());

	test('every_route_answers_with_csp_nosniff_referrer_policy_and_no_hsts_over_http', async (t) => {
		const srv = await startServer(t, { dbUrl: db.url });
		const n = await everyRoute(srv, db, false);
		t.diagnostic(`${n} responses checked`);
	});

	test('with_an_https_base_url_every_route_sends_hsts_and_the_host_cookie_is_secure', async (t) => {
		const srv = await startServer(t, { dbUrl: db.url, args: ['--base-url', 'https://example.org'] });
		const c = new Client(srv.url);
		const page = await c.get('/login');
		const pre = page.setCookies.join('\n');
		const r = await c.post('/login', { _csrf: csrfFrom(page.text), email: sec.EVERYONE.email, password: sec.PASSWORD },
			{ headers: { origin: 'https://example.org' } });
		assert.equal(r.status, 303);
		const sc = r.setCookies.find((s) => /^__Host-colead=/.test(s));
		assert.ok(sc, `the session cookie is __Host-colead (got ${JSON.stringify(r.setCookies)}; before: ${pre})`);
		assert.match(sc, /;\s*Secure/i);
		assert.match(sc, /;\s*Path=\//i);
		assert.match(sc, /;\s*HttpOnly/i);
		assert.doesNotMatch(sc, /;\s*Domain=/i, 'a __Host- cookie has no Domain');
		for (const s of r.setCookies.concat(page.setCookies))
			assert.match(s, /;\s*Secure/i, `every cookie is Secure under TLS: ${s}`);
		const n = await everyRoute(srv, db, true);
		t.diagnostic(`${n} responses checked`);
	});

	test('after_login_next_never_sends_the_browser_to_another_site', async (t) => {
		const srv = await startServer(t, { dbUrl: db.url });
		for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '/%2F%2Fevil.example']) {
			const c = new Client(srv.url);
			const page = await c.get('/login');
			const r = await c.post('/login', { _csrf: csrfFrom(page.text), email: sec.EVERYONE.email, password: sec.PASSWORD, next });
			assert.equal(r.status, 303);
			const to = new URL(r.location, srv.url);
			assert.equal(to.origin, new URL(srv.url).origin, `next=${next} redirected to ${r.location}`);
			assert.match(r.location, /^\/(?![\/\\])/, `next=${next} gave Location ${r.location}`);
		}
	});
});
