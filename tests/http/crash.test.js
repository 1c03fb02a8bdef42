// crash.test.js - crash safety: acknowledged writes survive the server
// being killed with SIGKILL at random moments.  Rounds of: start colead on
// the same database, sign in (sessions are writes), write blog posts as an
// organiser and sign up for / star agenda sessions as fast as it answers,
// then SIGKILL it after a random 100-800 ms.  Afterwards every write the
// server acknowledged (a 303) is there exactly once, no write is there
// twice, every acknowledged session still signs its cookie in, and the
// database passes its integrity check (SQLite: PRAGMA integrity_check with
// the sqlite3 CLI; PostgreSQL when COLEAD_TEST_PG is set: the rows are
// read back and amcheck-free catalog checks run).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, csrfFrom, login, startServer, waitExit, backends } = require('./lib.js');
const sec = require('./security_lib.js');

const ROUNDS = Number(process.env.COLEAD_CRASH_ROUNDS || 22);
const ORG = sec.ROLES.organiser, PART = sec.ROLES.partA;
const NO_RATE = ['--post-rate', '0'];	/* hundreds of posts a minute, on purpose */

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

for (const kind of backends()) {
	test(`acknowledged_writes_survive_${ROUNDS}_sigkills_on_${kind}`, async (t) => {
		const db = await sec.demoDatabase(kind);
		t.after(() => db.drop());
		const acked = [];		// blog post slugs answered 303
		const tried = [];		// every slug sent
		const sessions = [];		// cookies of acknowledged sign-ins
		const sessionIds = new Set(sec.sql(db, 'SELECT id FROM agenda_sessions ORDER BY id LIMIT 6').split('\n').filter(Boolean));
		let kills = 0, n = 0;
		// Sign in once before the rounds; the sessions live in the database.
		const first = await startServer({ dbUrl: db.url, args: NO_RATE });
		const org = await sec.clients(first.url).then((c) => c.organiser);
		const part = new Client(first.url);
		assert.equal((await login(part, PART.email, sec.PASSWORD)).status, 303);
		const token = csrfFrom((await org.get('/admin/blog/new')).text);
		const ptoken = csrfFrom((await part.get('/account')).text);
		sessions.push(org.cookie('colead'), part.cookie('colead'));
		await first.cleanup();
		for (let round = 0; round < ROUNDS; round++) {
			const srv = await startServer({ dbUrl: db.url, args: NO_RATE });
			const killAt = 100 + Math.floor(Math.random() * 700);
			let alive = true;
			org.base = part.base = srv.url;
			const poster = async (w) => {
				try {
					while (alive) {
						const slug = `crash-${round}-${w}-${n++}`;
						tried.push(slug);
						const r = await org.post('/admin/blog/new', { _csrf: token, title: `Crash ${slug}`, slug,
							summary: 'crash test', body: `written in round ${round}`, status: 'draft', published_at: '', action: 'save' });
						if (r.status !== 303)
							throw new Error(`POST /admin/blog/new answered ${r.status}`);
						acked.push(slug);
					}
				} catch (e) {
					if (alive)
						throw e;	/* a failure before the kill is a real one */
				}
			};
			const signer = async () => {
				try {
					while (alive) {
						const c = new Client(srv.url);
						const r = await login(c, ORG.email, sec.PASSWORD);
						if (r.status !== 303)
							throw new Error(`sign-in answered ${r.status}`);
						sessions.push(c.cookie('colead'));
						for (const id of sessionIds)
							await part.post(`/sessions/${id}/star`, { _csrf: ptoken });
					}
				} catch (e) {
					if (alive)
						throw e;
				}
			};
			const writers = [poster(0), poster(1), signer()];
			await sleep(killAt);
			alive = false;
			srv.proc.kill('SIGKILL');
			const ex = await waitExit(srv.proc, 10000);
			assert.ok(ex && ex.signal === 'SIGKILL', `round ${round}: the server died of SIGKILL`);
			kills++;
			await Promise.all(writers);
			if (/AddressSanitizer|runtime error:/.test(srv.stderr))
				assert.fail(`sanitizer report before the kill:\n${srv.stderr}`);
		}
		assert.ok(acked.length > ROUNDS, `enough writes were acknowledged (${acked.length})`);

		// What is in the database now.
		const rows = sec.sql(db, "SELECT slug FROM posts WHERE slug LIKE 'crash-%'").split('\n').filter(Boolean);
		const count = new Map();
		for (const s of rows)
			count.set(s, (count.get(s) || 0) + 1);
		const lost = acked.filter((s) => !count.has(s));
		const twice = [...count].filter(([, c]) => c > 1).map(([s]) => s);
		const unknown = rows.filter((s) => !tried.includes(s));
		assert.deepEqual(lost, [], 'acknowledged posts missing after the kills');
		assert.deepEqual(twice, [], 'posts stored twice');
		assert.deepEqual(unknown, [], 'posts nobody sent');
		if (db.file)
			assert.equal(sec.sql(db, 'PRAGMA integrity_check'), 'ok', 'SQLite integrity check');
		else
			assert.equal(sec.sql(db, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'"), '0');
		const stars = sec.sql(db, 'SELECT COUNT(*) FROM (SELECT person_id, session_id, COUNT(*) AS c FROM agenda_stars GROUP BY person_id, session_id) x WHERE c > 1');
		assert.equal(stars, '0', 'no agenda star is stored twice');

		// Every acknowledged sign-in still holds: its cookie opens /account.
		const srv = await startServer(t, { dbUrl: db.url, args: NO_RATE });
		let good = 0;
		for (const cookie of sessions) {
			const c = new Client(srv.url);
			c.setCookie('colead', cookie);
			const r = await c.get('/account');
			assert.equal(r.status, 200, `an acknowledged session (${cookie.slice(0, 8)}...) survived`);
			good++;
		}
		t.diagnostic(`${kills} SIGKILLs survived; ${acked.length} posts acknowledged of ${tried.length} sent; ${good} sessions checked`);
	});
}
