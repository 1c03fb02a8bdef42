// throttle.test.js - failed logins are throttled per account (5 in 15
// minutes) and per client address (30), and the limit holds even for the
// right password; on PostgreSQL it holds across two instances sharing the
// database.  Each failed attempt costs an Argon2id hash (~0.1 s), so the
// counts here are exactly what the contract needs and no more.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, pageText, login, hasPg } = require('./lib.js');

const WRONG = 'The email address or password is not right.';
const TOO_MANY = /Too many failed attempts/;

function person(i) {
	return { email: `p${i}@example.org`, name: `Person ${i}`, role: 'participant', password: `password number ${i}!` };
}

test('sixth_attempt_on_one_account_is_refused_even_with_the_right_password', async (t) => {
	const victim = person(1), bystander = person(2);
	const srv = await startServer(t, { users: [victim, bystander] });

	for (let i = 1; i <= 5; i++) {
		const r = await login(new Client(srv.url), victim.email, `wrong guess ${i}`);
		assert.equal(r.status, 401, `failure ${i} is an ordinary wrong password`);
		assert.ok(pageText(r.text).includes(WRONG));
	}
	const c = new Client(srv.url);
	const r = await login(c, victim.email, victim.password);
	assert.equal(r.status, 429, 'the right password after 5 failures is still refused');
	assert.match(pageText(r.text), TOO_MANY);
	assert.equal((await c.get('/account')).status, 303, 'and nobody is signed in');

	// The limit is on that account: another person from the same address
	// still gets in.
	const other = await login(new Client(srv.url), bystander.email, bystander.password);
	assert.equal(other.status, 303);
});

test('one_address_failing_on_many_accounts_is_refused_after_30', async (t) => {
	// 8 accounts take 30 failures between them (at most 4 each, under the
	// per-account limit); then a ninth, untouched account is refused too.
	const users = [];
	for (let i = 1; i <= 9; i++)
		users.push(person(i));
	const srv = await startServer(t, { users });

	for (let n = 0; n < 30; n++) {
		const u = users[n % 8];
		const r = await login(new Client(srv.url), u.email, `bad guess ${n}`);
		assert.equal(r.status, 401, `failure ${n + 1} (on ${u.email}) is an ordinary wrong password`);
	}
	const r = await login(new Client(srv.url), users[8].email, users[8].password);
	assert.equal(r.status, 429, 'the 31st attempt from the address is refused');
	assert.match(pageText(r.text), TOO_MANY);
});

test('throttle_holds_across_two_instances_on_postgresql', { skip: hasPg() ? false : 'COLEAD_TEST_PG is not set' }, async (t) => {
	const victim = person(1);
	const a = await startServer({ db: 'pg', users: [victim] });
	let b;
	try {
		b = await startServer({ dbUrl: a.db });
		for (let i = 1; i <= 5; i++) {
			const r = await login(new Client(a.url), victim.email, `wrong guess ${i}`);
			assert.equal(r.status, 401);
		}
		const r = await login(new Client(b.url), victim.email, victim.password);
		assert.equal(r.status, 429, 'the second instance knows of the failures at the first');
		assert.match(pageText(r.text), TOO_MANY);
	} finally {
		if (b)
			await b.cleanup();
		await a.cleanup();
	}
});
