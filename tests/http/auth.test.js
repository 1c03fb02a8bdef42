// auth.test.js - signing in and out as a person would, through the real
// server: the login form, the session cookie, the account page, logout,
// CSRF and Origin checks, changing a password, and one-time password links.
// Runs on SQLite, and again on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	startServer, Client, csrfFrom, pageText, fieldValue, login, loggedIn,
	backends, ORGANISER, PARTICIPANT,
} = require('./lib.js');

const WRONG = 'The email address or password is not right.';

for (const db of backends()) {
	test.describe(`sign-in on ${db}`, () => {
		let srv;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT] });
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('login_form_has_the_fields_a_person_fills', async () => {
			const c = new Client(srv.url);
			const r = await c.get('/login');
			assert.equal(r.status, 200);
			assert.match(r.headers.get('content-type'), /^text\/html/);
			assert.match(r.text, /<input\b[^>]*name="email"/);
			assert.match(r.text, /<input\b[^>]*type="password"[^>]*name="password"|<input\b[^>]*name="password"[^>]*type="password"/);
			assert.ok(csrfFrom(r.text).length >= 16, 'the CSRF token is long enough to be unguessable');
			assert.notEqual(fieldValue(r.text, 'next'), undefined, 'hidden next field');
			assert.match(pageText(r.text), /Log in/);
		});

		test('right_password_signs_in_and_account_shows_the_name', async () => {
			const c = new Client(srv.url);
			const r = await login(c, ORGANISER.email, ORGANISER.password);
			assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
			assert.equal(r.location, '/');
			const sc = r.setCookies.find((s) => /^colead=/.test(s));
			assert.ok(sc, `a colead session cookie is set (got ${JSON.stringify(r.setCookies)})`);
			assert.match(sc, /;\s*HttpOnly/i);
			assert.match(sc, /;\s*SameSite=Lax/i);
			assert.match(sc, /;\s*Path=\//i);
			assert.doesNotMatch(sc, /;\s*Secure/i, 'no Secure flag on plain http');
			assert.match(sc, /^colead=[^;]{32,}/, 'the session token is long');

			const acct = await c.get('/account');
			assert.equal(acct.status, 200);
			assert.match(pageText(acct.text), new RegExp(ORGANISER.name));
			assert.match(pageText(acct.text), new RegExp(ORGANISER.email.replace('.', '\\.')));
		});

		test('email_is_matched_without_regard_to_case', async () => {
			const c = new Client(srv.url);
			const r = await login(c, ORGANISER.email.toUpperCase(), ORGANISER.password);
			assert.equal(r.status, 303);
		});

		test('login_goes_to_next_when_it_is_a_local_path', async () => {
			const c = new Client(srv.url);
			const page = await c.get('/login?next=%2Faccount');
			assert.equal(page.status, 200);
			assert.equal(fieldValue(page.text, 'next'), '/account');
			const r = await c.post('/login', {
				_csrf: csrfFrom(page.text), next: '/account',
				email: PARTICIPANT.email, password: PARTICIPANT.password,
			});
			assert.equal(r.status, 303);
			assert.equal(r.location, '/account');
		});

		test('login_never_redirects_off_site', async () => {
			for (const next of ['//evil.example/', 'http://evil.example/', '/\\evil.example']) {
				const c = new Client(srv.url);
				const page = await c.get('/login');
				const r = await c.post('/login', {
					_csrf: csrfFrom(page.text), next,
					email: PARTICIPANT.email, password: PARTICIPANT.password,
				});
				assert.equal(r.status, 303);
				assert.ok(r.location.startsWith('/') && !r.location.startsWith('//') &&
				    !r.location.startsWith('/\\'), `next=${next} went to ${r.location}`);
			}
		});

		test('wrong_password_shows_the_form_again_with_a_message', async () => {
			const c = new Client(srv.url);
			const r = await login(c, PARTICIPANT.email, 'not the password at all');
			assert.equal(r.status, 401);
			assert.ok(pageText(r.text).includes(WRONG), pageText(r.text).slice(0, 500));
			assert.match(r.text, /<input\b[^>]*name="password"/);
			assert.equal(fieldValue(r.text, 'email'), PARTICIPANT.email, 'the email is kept');
			assert.doesNotMatch(r.text, /not the password at all/, 'the password is never echoed');
			assert.equal(r.setCookies.filter((s) => /^colead=[^;]+/.test(s) && !/max-age=0/i.test(s)).length, 0);
			const acct = await c.get('/account');
			assert.equal(acct.status, 303);
		});

		test('unknown_email_gets_the_same_answer_as_a_wrong_password', async () => {
			const c = new Client(srv.url);
			const r = await login(c, 'nobody@example.org', 'whatever password 1');
			assert.equal(r.status, 401);
			assert.ok(pageText(r.text).includes(WRONG));
		});

		test('visitor_asking_for_account_is_sent_to_login', async () => {
			const c = new Client(srv.url);
			const r = await c.get('/account');
			assert.equal(r.status, 303);
			assert.equal(r.location, '/login?next=%2Faccount');
		});

		test('logout_ends_the_session_for_good', async () => {
			const c = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
			const old = c.cookie('colead');
			assert.ok(old);
			const acct = await c.get('/account');
			assert.equal(acct.status, 200);
			const r = await c.post('/logout', { _csrf: csrfFrom(acct.text) });
			assert.equal(r.status, 303);
			assert.equal(r.location, '/');
			const home = await c.get('/');
			assert.equal(home.status, 200);
			assert.match(pageText(home.text), /Log in/);

			// The old cookie, replayed, no longer opens the account.
			const replay = new Client(srv.url);
			replay.setCookie('colead', old);
			const again = await replay.get('/account');
			assert.equal(again.status, 303);
			assert.equal(again.location, '/login?next=%2Faccount');
		});

		test('login_without_csrf_token_is_refused', async () => {
			const c = new Client(srv.url);
			await c.get('/login');
			const r = await c.post('/login', { email: ORGANISER.email, password: ORGANISER.password });
			assert.equal(r.status, 403);
			assert.equal((await c.get('/account')).status, 303, 'not signed in');
		});

		test('login_with_wrong_csrf_token_is_refused', async () => {
			const c = new Client(srv.url);
			const page = await c.get('/login');
			const tok = csrfFrom(page.text);
			const bad = tok.slice(0, -2) + (tok.endsWith('AA') ? 'BB' : 'AA');
			const r = await c.post('/login', { _csrf: bad, email: ORGANISER.email, password: ORGANISER.password });
			assert.equal(r.status, 403);
			assert.equal((await c.get('/account')).status, 303, 'not signed in');
		});

		test('login_from_another_origin_is_refused', async () => {
			const c = new Client(srv.url);
			const page = await c.get('/login');
			const r = await c.post('/login',
				{ _csrf: csrfFrom(page.text), email: ORGANISER.email, password: ORGANISER.password },
				{ headers: { origin: 'http://evil.example' } });
			assert.equal(r.status, 403);
			assert.equal((await c.get('/account')).status, 303, 'not signed in');
		});

		test('logout_checks_csrf_and_origin', async () => {
			const c = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			const acct = await c.get('/account');
			const tok = csrfFrom(acct.text);
			let r = await c.post('/logout', {});
			assert.equal(r.status, 403, 'no token');
			r = await c.post('/logout', { _csrf: (tok[0] === 'x' ? 'y' : 'x') + tok.slice(1) });
			assert.equal(r.status, 403, 'wrong token');
			r = await c.post('/logout', { _csrf: tok }, { headers: { origin: 'http://evil.example' } });
			assert.equal(r.status, 403, 'foreign Origin');
			assert.equal((await c.get('/account')).status, 200, 'still signed in after the refused logouts');
		});

		test('csrf_token_of_one_visitor_does_not_work_for_another', async () => {
			const a = new Client(srv.url);
			const tokA = csrfFrom((await a.get('/login')).text);
			const b = new Client(srv.url);
			await b.get('/login');
			const r = await b.post('/login', { _csrf: tokA, email: ORGANISER.email, password: ORGANISER.password });
			assert.equal(r.status, 403);
		});
	});

	test.describe(`passwords on ${db}`, () => {
		const CAROL = { email: 'carol@example.org', name: 'Carol Changer', role: 'participant', password: 'first password 111' };
		const DAN = { email: 'dan@example.org', name: 'Dan Reset', role: 'participant', password: 'dans old password 1' };
		let srv;
		test.before(async () => {
			srv = await startServer({ db, users: [CAROL, DAN] });
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('password_change_checks_then_changes_and_ends_other_sessions', async () => {
			const a = await loggedIn(srv.url, CAROL.email, CAROL.password);
			const other = await loggedIn(srv.url, CAROL.email, CAROL.password);
			assert.equal((await other.get('/account')).status, 200);

			// Too short: 422, the message beside the new-password field.
			let page = await a.get('/account');
			assert.equal(page.status, 200);
			let r = await a.post('/account/password', {
				_csrf: csrfFrom(page.text), current: CAROL.password, password: 'short', confirm: 'short',
			});
			assert.equal(r.status, 422);
			const m = /<input\b[^>]*name="password"[^>]*>\s*<(\w+)\b[^>]*>([^<]+)</.exec(r.text);
			assert.ok(m, 'an error message right after the password field');
			assert.match(m[2], /\S/);
			assert.match(r.text, /<input\b[^>]*name="password"[^>]*aria-invalid="true"/);
			assert.doesNotMatch(r.text, /first password 111/, 'passwords are never echoed');

			// Wrong current password: refused, nothing changes.
			page = await a.get('/account');
			r = await a.post('/account/password', {
				_csrf: csrfFrom(page.text), current: 'not my password 00',
				password: 'second password 222', confirm: 'second password 222',
			});
			assert.ok(r.status === 422 || r.status === 401 || r.status === 403, `wrong current password gave ${r.status}`);
			assert.equal((await login(new Client(srv.url), CAROL.email, 'second password 222')).status, 401);

			// Right change.
			page = await a.get('/account');
			r = await a.post('/account/password', {
				_csrf: csrfFrom(page.text), current: CAROL.password,
				password: 'second password 222', confirm: 'second password 222',
			});
			assert.equal(r.status, 303, pageText(r.text).slice(0, 300));

			const o = await other.get('/account');
			assert.equal(o.status, 303, 'the other session has ended');
			assert.equal(o.location, '/login?next=%2Faccount');
			assert.equal((await login(new Client(srv.url), CAROL.email, CAROL.password)).status, 401, 'old password refused');
			assert.equal((await login(new Client(srv.url), CAROL.email, 'second password 222')).status, 303, 'new password works');
		});

		test('one_time_link_sets_a_password_once', async () => {
			const out = srv.cli(['user', 'reset', DAN.email]);
			assert.equal(out.status, 0, out.stderr);
			const m = /https?:\/\/\S+?(\/password\/[A-Za-z0-9_-]+)/.exec(out.stdout);
			assert.ok(m, `a /password/TOKEN link in: ${out.stdout}`);
			const link = m[1];

			const c = new Client(srv.url);
			const page = await c.get(link);
			assert.equal(page.status, 200);
			assert.match(page.text, /<input\b[^>]*name="password"/);
			assert.match(page.text, /<input\b[^>]*name="confirm"/);

			const bad = await c.post(link, { _csrf: csrfFrom(page.text), password: 'new pass 2024!', confirm: 'different pass 2024!' });
			assert.equal(bad.status, 422, 'a mismatched confirmation is refused');

			const page2 = await c.get(link);
			assert.equal(page2.status, 200, 'the link still works after a refused attempt');
			const r = await c.post(link, { _csrf: csrfFrom(page2.text), password: 'dans new password 2', confirm: 'dans new password 2' });
			assert.equal(r.status, 303);
			const acct = await c.get('/account');
			assert.equal(acct.status, 200, 'signed in after setting the password');
			assert.match(pageText(acct.text), /Dan Reset/);

			const again = await new Client(srv.url).get(link);
			assert.ok(again.status === 404 || again.status === 410, `a used link answers ${again.status}`);
			assert.match(pageText(again.text), /used|expired/i);

			assert.equal((await login(new Client(srv.url), DAN.email, DAN.password)).status, 401);
			assert.equal((await login(new Client(srv.url), DAN.email, 'dans new password 2')).status, 303);
		});

		test('made_up_password_link_is_not_found', async () => {
			const r = await new Client(srv.url).get('/password/' + 'A'.repeat(43));
			assert.ok(r.status === 404 || r.status === 410, `got ${r.status}`);
		});
	});
}
