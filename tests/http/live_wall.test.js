// live_wall.test.js - the pre-convention wall through the real server:
// who may choose its questions, approve and reject answers and switch the
// presenter screen (a participant gets 403, a visitor the login page or
// 401, a form without its CSRF token 403); unknown rooms, entries and
// questions are 404 or 422 with nothing changed; approving and rejecting
// reach the room's event stream at once; an answer that is waiting,
// rejected or edited since its approval never appears in any participant's
// or presenter's response (page, fragment, JSON, live event, Last-Event-ID
// replay), and no response of the wall names a person; an approved answer
// whose author empties it or is erased leaves every screen at once.  Runs on SQLite,
// and again on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, addUser, backends, speakerSession, sse, streamFor, csrf, sqlBehind,
	ORGANISER,
} = require('./lib.js');

const PARTNERSHIP = 'Active Wallshire';
const FACILITATOR = { email: 'fay@example.org', name: 'Fay Facilitator', role: 'facilitator', password: 'facilitate with care' };
const SPEAKER = { email: 'sam@example.org', name: 'Sam Speaker', role: 'speaker', password: 'speak clearly please' };
const BEN = { email: 'ben@example.org', name: 'Ben Quillington', role: 'participant', password: 'staple paper clip 42', partnership: PARTNERSHIP };
const CLEO = { email: 'cleo@example.org', name: 'Cleo Marchbanks', role: 'participant', password: 'cleos password 123', partnership: PARTNERSHIP };
const DINA = { email: 'dina@example.org', name: 'Dina Okonkwo-Smith', role: 'participant', password: 'dinas password 1234' };
const NAMES = [BEN, CLEO, DINA].flatMap((u) => u.name.split(' '));

const APPROVED = 'Wall-approved: the county pooled budgets with three housing associations';
const REJECTED = 'Wall-rejected: my colleague Cleo Marchbanks at 07700 900123 did it all';
const WAITING = 'Wall-waiting: partners met every fortnight without a formal agreement';

// Answer the two pre-convention questions as c.
async function answer(c, first, second) {
	const page = await c.get('/questions/pre');
	const [q1, q2] = [...new Set([...page.text.matchAll(/name="(q\d+)"/g)].map((m) => m[1]))];
	const r = await c.post('/questions/pre', { _csrf: csrfFrom(page.text), [q1]: first, [q2]: second });
	assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
}

// The wall's queue as the moderator sees it: [{ id, v, text }] in order.
async function queue(mod, room) {
	const r = await mod.get(`/live/${room}/moderate/wall?part=wallqueue`);
	assert.equal(r.status, 200);
	const waiting = r.text.split('id="approved-heading"')[0];
	return [...waiting.matchAll(/<li id="ww(\d+)" class="live-q">\s*<p class="live-q-body">([^<]*)<\/p>[\s\S]*?name="v" value="(\d+)"/g)]
		.map((m) => ({ id: Number(m[1]), text: m[2], v: m[3] }));
}

for (const db of backends()) {
	test.describe(`live wall on ${db}`, () => {
		let srv, org, fac, spk, ben, cleo, dina, room, q1;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, FACILITATOR, SPEAKER] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			let r = await org.post('/partnerships', { _csrf: await csrf(org, '/partnerships'), name: PARTNERSHIP, region: '', area: '' });
			assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
			for (const u of [BEN, CLEO, DINA])
				addUser(srv.db, u);
			// The test event is dated today: open its questions until 2199.
			r = await org.post('/survey/sets/pre', {
				_csrf: await csrf(org, '/survey/sets/pre'), title: 'Before the convention', intro: '', opens: '', closes: '2199-01-01',
			});
			assert.equal(r.status, 303);
			fac = await loggedIn(srv.url, FACILITATOR.email, FACILITATOR.password);
			spk = await loggedIn(srv.url, SPEAKER.email, SPEAKER.password);
			ben = await loggedIn(srv.url, BEN.email, BEN.password);
			cleo = await loggedIn(srv.url, CLEO.email, CLEO.password);
			dina = await loggedIn(srv.url, DINA.email, DINA.password);
			await answer(ben, APPROVED, 'How to share power');
			await answer(cleo, REJECTED, 'How to listen');
			await answer(dina, WAITING, 'How to measure together');
			// Sam speaks in the session the room belongs to: the presenter.
			const session = await speakerSession(org, '2027-03-11', SPEAKER.email, 'Opening plenary');
			r = await org.post('/live', { _csrf: await csrf(org, '/live'), title: 'Opening plenary', session: String(session) });
			assert.equal(r.status, 303);
			room = Number(/^\/live\/(\d+)\/moderate$/.exec(r.location)[1]);
			const page = await fac.get(`/live/${room}/moderate/wall`);
			assert.equal(page.status, 200);
			q1 = /name="question" value="(\d+)"/.exec(page.text)[1];
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('visitor_is_sent_to_login_and_wall_json_gets_401', async () => {
			const v = new Client(srv.url);
			let r = await v.get(`/live/${room}/moderate/wall`);
			assert.equal(r.status, 303);
			assert.match(r.location, /^\/login\?next=/);
			r = await v.get(`/live/${room}/wall.json`);
			assert.equal(r.status, 401);
			r = await v.post(`/live/${room}/moderate/wall/feeds`, { question: q1 });
			assert.ok(r.status === 303 || r.status === 403, `a visitor's post: ${r.status}`);
		});

		test('participant_and_speaker_cannot_moderate_the_wall', async () => {
			for (const c of [ben, spk])
				assert.equal((await c.get(`/live/${room}/moderate/wall`)).status, 403);
			const t = await csrf(ben, `/live/${room}`);
			for (const [p, form] of [
				[`/live/${room}/moderate/wall/feeds`, { question: q1 }],
				[`/live/${room}/moderate/screen`, { mode: 'wall' }],
				[`/live/${room}/moderate/wall/1`, { action: 'approve' }],
				[`/live/${room}/moderate/wall`, { action: 'approve', a: '1:1' }],
			]) {
				const r = await ben.post(p, { _csrf: t, ...form });
				assert.equal(r.status, 403, p);
			}
			assert.equal((await fac.get(`/live/${room}/moderate/wall`)).status, 200);
		});

		test('bad_questions_entries_and_actions_are_refused_with_nothing_changed', async () => {
			const t = await csrf(fac, `/live/${room}/moderate/wall`);
			let r = await fac.post(`/live/${room}/moderate/wall/feeds`, { _csrf: t, question: '999999' });
			assert.equal(r.status, 422);
			assert.match(r.text, /id="feeds-error"[^>]*>choose among the pre-convention questions/);
			r = await fac.post(`/live/${room}/moderate/wall/feeds`, { _csrf: t, question: 'abc' });
			assert.equal(r.status, 422);
			assert.equal((await fac.get(`/live/${room}/moderate`)).text.includes('No question feeds this room'), true);
			r = await fac.post(`/live/999999/moderate/wall/feeds`, { _csrf: t, question: q1 });
			assert.equal(r.status, 404);
			r = await fac.post(`/live/${room}/moderate/wall/999999`, { _csrf: t, action: 'approve' });
			assert.equal(r.status, 404);
			r = await fac.post(`/live/${room}/moderate/wall/abc`, { _csrf: t, action: 'approve' });
			assert.equal(r.status, 404);
			r = await fac.post(`/live/${room}/moderate/wall`, { _csrf: t, action: 'approve', a: 'junk' });
			assert.equal(r.status, 422);
			r = await fac.post(`/live/${room}/moderate/screen`, { _csrf: t, mode: 'disco' });
			assert.equal(r.status, 422);
		});

		test('moderator_feeds_the_wall_and_approves_and_rejects_live', async () => {
			const t = await csrf(fac, `/live/${room}/moderate/wall`);
			let r = await fac.post(`/live/${room}/moderate/wall/feeds`, [['_csrf', t], ['question', q1]]);
			assert.equal(r.status, 303);
			const q = await queue(fac, room);
			assert.deepEqual(q.map((x) => x.text).sort(), [APPROVED, REJECTED, WAITING].sort());
			// one question feeds the wall: the answers do not repeat it
			assert.doesNotMatch((await fac.get(`/live/${room}/moderate/wall?part=wallqueue`)).text, /class="live-q-meta">[^<]* · /);
			const id = (text) => q.find((x) => x.text === text);

			// without a CSRF token nothing changes
			r = await fac.post(`/live/${room}/moderate/wall/${id(APPROVED).id}`, { action: 'approve', v: id(APPROVED).v });
			assert.equal(r.status, 403);
			assert.equal((await queue(fac, room)).length, 3);

			const live = await sse(srv.url, `/live/${room}/events`, ben);
			assert.equal(live.status, 200);
			r = await fac.post(`/live/${room}/moderate/wall/${id(APPROVED).id}`, { _csrf: t, action: 'approve', v: id(APPROVED).v });
			assert.equal(r.status, 303);
			await live.waitFor(new RegExp(`id: \\d+\\nevent: wall\\ndata: \\{"id":${id(APPROVED).id},[^\\n]*pooled budgets[^\\n]*"partnership":"${PARTNERSHIP}"\\}`));
			// approved, then rejected: it leaves every screen
			r = await fac.post(`/live/${room}/moderate/wall/${id(REJECTED).id}`, { _csrf: t, action: 'approve', v: id(REJECTED).v },
				{ headers: { accept: 'application/json' } });
			assert.equal(r.status, 200);
			r = await fac.post(`/live/${room}/moderate/wall/${id(REJECTED).id}`, { _csrf: t, action: 'reject', v: id(REJECTED).v });
			assert.equal(r.status, 303);
			await live.waitFor(new RegExp(`event: unwall\\ndata: \\{"id":${id(REJECTED).id}\\}`));
			live.close();
			r = await fac.post(`/live/${room}/moderate/screen`, { _csrf: t, mode: 'wall', back: 'present' });
			assert.equal(r.status, 303);
			assert.equal(r.location, `/live/${room}/present`);
			assert.deepEqual((await queue(fac, room)).map((x) => x.text), [WAITING]);
			const json = JSON.parse((await ben.get(`/live/${room}/wall.json`)).text);
			assert.deepEqual(json.map((c) => c.answer), [APPROVED]);
			assert.equal(json[0].partnership, PARTNERSHIP);
		});

		test('unapproved_rejected_and_edited_answers_never_reach_participants_or_the_presenter', async () => {
			const mark = '0';
			const seen = [];	// [path, text, the viewer (whose own name the layout shows)]
			for (const [c, u] of [[ben, BEN], [cleo, CLEO], [dina, DINA]])
				for (const p of [`/live/${room}`, `/live/${room}?part=wall`, `/live/${room}/wall.json`])
					seen.push([p, (await c.get(p)).text, u]);
			for (const c of [spk, org, fac])
				for (const p of [`/live/${room}/present`, `/live/${room}/present?part=screen`])
					seen.push([p, (await c.get(p)).text]);
			for (const [c, p] of [[ben, `/live/${room}/events`], [spk, `/live/${room}/events`]]) {
				seen.push([`${p} Last-Event-ID`, (await streamFor(srv.url, p, c, { 'last-event-id': mark })).text]);
				seen.push([`${p}?since=0`, (await streamFor(srv.url, `${p}?since=0`, c)).text]);
			}
			for (const [p, text, viewer] of seen) {
				assert.ok(!text.includes('Wall-rejected') && !text.includes('07700'), `${p} shows the rejected answer`);
				assert.ok(!text.includes('Wall-waiting'), `${p} shows an answer still waiting`);
				for (const n of NAMES.filter((x) => !viewer || !viewer.name.includes(x)))
					assert.ok(!text.includes(n), `${p} names ${n}`);
			}
			assert.ok(seen.find(([p]) => p === `/live/${room}/present`)[1].includes('Wall-approved'), 'the presenter shows the wall');
			assert.ok(seen.find(([p]) => p === `/live/${room}/present`)[1].includes('<svg'), 'with its word cloud');
			assert.ok(seen.find(([p]) => p === `/live/${room}`)[1].includes('Wall-approved'), 'participants see the wall');
			// moderators see partnerships, never authors, on their own pages
			// too (the rejected answer's text names Cleo: they see that)
			for (const p of [`/live/${room}/moderate/wall`, `/live/${room}/moderate/events?since=0`]) {
				const text = p.includes('events') ? (await streamFor(srv.url, p, fac)).text : (await fac.get(p)).text;
				for (const n of [BEN, DINA].flatMap((u) => u.name.split(' ')))
					assert.ok(!text.includes(n), `${p} names ${n}`);
			}

			// Ben edits his approved answer: it leaves every screen at once
			// and waits for approval again
			const approvedId = JSON.parse((await dina.get(`/live/${room}/wall.json`)).text)[0].id;
			const live = await sse(srv.url, `/live/${room}/events`, spk);
			const mod = await sse(srv.url, `/live/${room}/moderate/events`, fac);
			await answer(ben, 'Wall-edited: now with a new story', 'How to share power');
			await live.waitFor(new RegExp(`event: unwall\\ndata: \\{"id":${approvedId}\\}`));
			await mod.waitFor(/event: wall\ndata: [^\n]*Wall-edited[^\n]*"state":"pending"/);
			live.close();
			mod.close();
			assert.ok(!live.text.includes('Wall-edited'), 'the room stream never carries the edited text');
			const json = JSON.parse((await dina.get(`/live/${room}/wall.json`)).text);
			assert.deepEqual(json, []);
			assert.ok(!(await spk.get(`/live/${room}/present`)).text.includes('Wall-edited'));
			assert.deepEqual((await queue(fac, room)).map((x) => x.text).sort(), ['Wall-edited: now with a new story', WAITING].sort());
		});

		test('approve_all_approves_only_what_was_shown', async () => {
			const q = await queue(org, room);
			assert.equal(q.length, 2);
			const t = await csrf(org, `/live/${room}/moderate/wall`);
			// one of them changes after the queue was shown: it stays in the queue
			await answer(dina, 'Wall-changed after it was shown', 'How to measure together');
			const form = [['_csrf', t], ['action', 'approve'], ...q.map((x) => ['a', `${x.id}:${x.v}`])];
			const r = await org.post(`/live/${room}/moderate/wall`, form);
			assert.equal(r.status, 303);
			assert.match(pageText((await org.get(r.location)).text), /1 done; 1 changed since the page was shown and wait for you again/);
			const json = JSON.parse((await ben.get(`/live/${room}/wall.json`)).text);
			assert.deepEqual(json.map((c) => c.answer), ['Wall-edited: now with a new story']);
			assert.deepEqual((await queue(org, room)).map((x) => x.text), ['Wall-changed after it was shown']);
		});

		test('approved_answer_leaves_every_screen_when_its_author_empties_it_or_is_erased', async () => {
			// an optional question, so that an answer can be taken back
			let r = await org.post('/survey/sets/pre/questions', {
				_csrf: await csrf(org, '/survey/sets/pre'), kind: 'text', prompt: 'Anything else for the wall?', choices: '',
			});
			assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
			const t = await csrf(fac, `/live/${room}/moderate/wall`);
			const fed = [...(await fac.get(`/live/${room}/moderate/wall`)).text.matchAll(/name="question" value="(\d+)"/g)].map((m) => m[1]);
			const q3 = String(Math.max(...fed.map(Number)));
			r = await fac.post(`/live/${room}/moderate/wall/feeds`, [['_csrf', t], ['question', q1], ['question', q3]]);
			assert.equal(r.status, 303);

			const EVE = { email: 'eve@example.org', name: 'Eve Emptier', role: 'participant', password: 'eves password 12345', partnership: PARTNERSHIP };
			const FRED = { email: 'fred@example.org', name: 'Fred Erased', role: 'participant', password: 'freds password 1234', partnership: PARTNERSHIP };
			const clients = [];
			for (const u of [EVE, FRED]) {
				addUser(srv.db, u);
				clients.push(await loggedIn(srv.url, u.email, u.password));
			}
			const [eve, fred] = clients;
			// every question of the set, in order
			const answerAll = async (c, values) => {
				const page = await c.get('/questions/pre');
				const names = [...new Set([...page.text.matchAll(/name="(q\d+)"/g)].map((m) => m[1]))];
				const res = await c.post('/questions/pre', { _csrf: csrfFrom(page.text), ...Object.fromEntries(names.map((n, i) => [n, values[i] || ''])) });
				assert.equal(res.status, 303, pageText(res.text).slice(0, 300));
			};
			const EMPTIED = 'Wall-emptied: a shared physical activity plan';
			await answerAll(eve, ['Wall-eve: we walked the county together', 'How to start', EMPTIED]);
			await answerAll(fred, ['Wall-erased: a joint bid for a leisure centre', 'How to stop', '']);
			const q = (await queue(fac, room)).filter((x) => /Wall-(emptied|erased)/.test(x.text));
			assert.equal(q.length, 2);
			// two feed it now: each answer names its question
			assert.match((await fac.get(`/live/${room}/moderate/wall?part=wallqueue`)).text,
				/Wall-emptied: a shared physical activity plan<\/p>\s*<p class="live-q-meta">Active Wallshire · Anything else for the wall\?<\/p>/);
			r = await fac.post(`/live/${room}/moderate/wall`, [['_csrf', t], ['action', 'approve'], ...q.map((x) => ['a', `${x.id}:${x.v}`])]);
			assert.equal(r.status, 303);
			const shown = JSON.parse((await ben.get(`/live/${room}/wall.json`)).text);
			const idOf = (re) => shown.find((c) => re.test(c.answer)).id;
			const [emptied, erased] = [idOf(/Wall-emptied/), idOf(/Wall-erased/)];

			const live = await sse(srv.url, `/live/${room}/events`, spk);
			const mod = await sse(srv.url, `/live/${room}/moderate/events`, fac);
			await answerAll(eve, ['Wall-eve: we walked the county together', 'How to start', '']);
			await live.waitFor(new RegExp(`event: unwall\\ndata: \\{"id":${emptied}\\}`));
			await mod.waitFor(new RegExp(`event: unwall\\ndata: \\{"id":${emptied}\\}`));

			let fredId = null;
			for (let i = 1; i <= 20 && !fredId; i++) {
				const p = await org.get(`/people/${i}/erase`);
				if (p.status === 200 && p.text.includes(FRED.name))
					fredId = i;
			}
			assert.ok(fredId, 'the erase page names Fred');
			const page = await org.get(`/people/${fredId}/erase`);
			assert.equal((await org.post(`/people/${fredId}/erase`, { _csrf: csrfFrom(page.text) })).status, 303);
			await live.waitFor(new RegExp(`event: unwall\\ndata: \\{"id":${erased}\\}`));
			await mod.waitFor(new RegExp(`event: unwall\\ndata: \\{"id":${erased}\\}`));
			live.close();
			mod.close();

			// a reconnecting screen is told the same, and shown neither again
			const replay = (await streamFor(srv.url, `/live/${room}/events`, spk, { 'last-event-id': '0' })).text;
			assert.ok(!/Wall-(emptied|erased)/.test(replay), 'the replay shows neither answer');
			assert.match(replay, new RegExp(`event: unwall\\ndata: \\{"id":${erased}\\}`));
			for (const text of [(await ben.get(`/live/${room}/wall.json`)).text, (await spk.get(`/live/${room}/present`)).text,
				(await fac.get(`/live/${room}/moderate/wall`)).text])
				assert.ok(!/Wall-(emptied|erased)/.test(text), 'no page shows them');
			// Eve answers again: a new entry, waiting for approval
			await answerAll(eve, ['Wall-eve: we walked the county together', 'How to start', EMPTIED]);
			assert.ok((await queue(fac, room)).some((x) => x.text === EMPTIED), 'her new answer waits in the queue');
			assert.ok(!(await ben.get(`/live/${room}/wall.json`)).text.includes('Wall-emptied'));

			// deleting the question deletes its wall entries with its answers
			assert.match(sqlBehind(srv.db, `SELECT 'n=' || COUNT(*) FROM live_wall WHERE question_id = ${q3}`), /n=1\b/);
			r = await org.post(`/survey/questions/${q3}`, { _csrf: await csrf(org, '/survey/sets/pre'), delete: 'yes', set: 'pre' });
			assert.equal(r.status, 303);
			assert.match(sqlBehind(srv.db, `SELECT 'n=' || COUNT(*) FROM live_wall WHERE question_id = ${q3}`), /n=0\b/);
		});
	});
}
