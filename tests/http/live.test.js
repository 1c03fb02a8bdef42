// live.test.js - the live room through the real server: who may reach
// which page, fragment, JSON and event stream; asking, upvoting and voting
// with bad input, CSRF and closed polls (also closed by another instance,
// caught by the ballot's INSERT); one person's 50 concurrent votes
// counted once; a hidden question never coming back in any response; an
// anonymous asker never named to a participant in any response (page,
// fragment, JSON, live event, Last-Event-ID replay); one's data export
// holding one's own questions, upvotes and poll answers and nobody else's.
// Runs on SQLite, and again on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, backends, sqlBehind, speakerSession, sse, streamFor, csrf,
	ORGANISER, PARTICIPANT,
} = require('./lib.js');

const FACILITATOR = { email: 'fay@example.org', name: 'Fay Facilitator', role: 'facilitator', password: 'facilitate with care' };
const ASKER = { email: 'zelda.quill@example.org', name: 'Zelda Quillfeather', role: 'participant', password: 'a very long secret 7' };
const SPEAKER = { email: 'sam@example.org', name: 'Sam Speaker', role: 'speaker', password: 'speak clearly please' };

// A new room made by the organiser (linked to an agenda session when
// session is given); returns its id and code.
async function newRoom(org, title, session) {
	const t = await csrf(org, '/live');
	const r = await org.post('/live', { _csrf: t, title, session: session ? String(session) : '' });
	assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
	const id = Number(/^\/live\/(\d+)\/moderate$/.exec(r.location)[1]);
	const page = await org.get(`/live/${id}`);
	const code = /Join code <strong>([A-Z0-9]+)<\/strong>/.exec(page.text)[1];
	return { id, code };
}

async function ask(c, room, body, anonymous) {
	const t = await csrf(c, `/live/${room}`);
	const form = { _csrf: t, body };
	if (anonymous)
		form.anonymous = '1';
	return c.post(`/live/${room}/ask`, form);
}

async function questions(c, room) {
	const r = await c.get(`/live/${room}/questions.json`);
	assert.equal(r.status, 200);
	return JSON.parse(r.text);
}

// A poll added and opened by the moderator; returns its id.
async function openPoll(mod, room, kind, question, options = '') {
	const t = await csrf(mod, `/live/${room}/moderate`);
	let r = await mod.post(`/live/${room}/moderate/polls`, { _csrf: t, kind, question, options },
		{ headers: { accept: 'application/json' } });
	assert.equal(r.status, 201, r.text);
	const id = JSON.parse(r.text).id;
	r = await mod.post(`/live/${room}/moderate/polls/${id}`, { _csrf: t, action: 'open' });
	assert.equal(r.status, 303);
	return id;
}

for (const db of backends()) {
	test.describe(`live room on ${db}`, () => {
		let srv, org, fac, ben, zed, spk, room, session;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT, FACILITATOR, ASKER, SPEAKER] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			fac = await loggedIn(srv.url, FACILITATOR.email, FACILITATOR.password);
			ben = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
			zed = await loggedIn(srv.url, ASKER.email, ASKER.password);
			spk = await loggedIn(srv.url, SPEAKER.email, SPEAKER.password);
			session = await speakerSession(org, '2027-03-11', SPEAKER.email, 'Opening keynote');
			room = await newRoom(org, 'Opening keynote', session);
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('visitor_is_sent_to_login_and_json_and_streams_get_401', async () => {
			const v = new Client(srv.url);
			let r = await v.get(`/live/${room.id}`);
			assert.equal(r.status, 303);
			assert.match(r.location, /^\/login\?next=/);
			r = await v.get(`/live/${room.id}/questions.json`);
			assert.equal(r.status, 401);
			const s = await streamFor(srv.url, `/live/${room.id}/events`, null, {}, 100);
			assert.equal(s.status, 401);
			assert.doesNotMatch(s.headers['content-type'], /event-stream/);
		});

		test('participant_is_refused_moderation_on_every_path', async () => {
			const t = await csrf(ben, `/live/${room.id}`);
			for (const p of [`/live/${room.id}/moderate`, `/live/${room.id}/moderate?part=queue`,
				`/live/${room.id}/present`]) {
				const r = await ben.get(p);
				assert.equal(r.status, 403, p);
			}
			const s = await streamFor(srv.url, `/live/${room.id}/moderate/events`, ben, {}, 100);
			assert.equal(s.status, 403, 'the moderator stream refuses a participant');
			assert.doesNotMatch(s.text, /event:/);
			for (const [p, form] of [
				['/live', { title: 'Mine' }],
				[`/live/${room.id}/moderate/settings`, { need_approval: '1' }],
				[`/live/${room.id}/moderate/polls`, { kind: 'scale', question: 'Q?' }],
				[`/live/${room.id}/moderate/next`, {}],
			]) {
				const r = await ben.post(p, { _csrf: t, ...form });
				assert.equal(r.status, 403, p);
			}
		});

		test('speaker_sees_presenter_screen_but_cannot_moderate', async () => {
			assert.equal((await spk.get(`/live/${room.id}/present`)).status, 200);
			assert.equal((await spk.get(`/live/${room.id}/present?part=screen`)).status, 200);
			assert.equal((await spk.get(`/live/${room.id}/moderate`)).status, 403);
			assert.equal((await fac.get(`/live/${room.id}/moderate`)).status, 200);
		});

		test('a_speaker_presents_only_the_rooms_of_their_own_sessions', async () => {
			const unlinked = await newRoom(org, 'Nobody\'s session');
			const elsewhere = await newRoom(org, 'Another talk',
				await speakerSession(org, '2027-03-12', '', 'Another talk'));
			for (const r of [unlinked, elsewhere]) {
				assert.equal((await spk.get(`/live/${r.id}/present`)).status, 403);
				assert.equal((await spk.get(`/live/${r.id}/present?part=screen`)).status, 403);
				assert.equal((await fac.get(`/live/${r.id}/present`)).status, 200, 'moderators present every room');
			}
			const list = (await spk.get('/live')).text;
			assert.match(list, new RegExp(`href="/live/${room.id}/present"`));
			assert.doesNotMatch(list, new RegExp(`href="/live/${unlinked.id}/present"`));
			assert.doesNotMatch(list, new RegExp(`href="/live/${elsewhere.id}/present"`));
			// The session's page leads to its room (and, for its speaker, to the screen).
			let page = (await spk.get(`/sessions/${session}`)).text;
			assert.match(page, new RegExp(`href="/live/${room.id}"`));
			assert.match(page, new RegExp(`href="/live/${room.id}/present"`));
			assert.ok(page.includes(room.code), 'with the join code');
			page = (await ben.get(`/sessions/${session}`)).text;
			assert.match(page, new RegExp(`href="/live/${room.id}"`));
			assert.doesNotMatch(page, /\/present"/, 'a participant is not offered the screen');
			page = (await new Client(srv.url).get(`/sessions/${session}`)).text;
			assert.doesNotMatch(page, /href="\/live\//, 'visitors are not sent to a room they cannot enter');
		});

		test('a_room_for_a_session_that_is_not_in_the_programme_is_refused', async () => {
			const before = (await org.get('/live')).text.match(/<li><a href="\/live\/\d+">/g).length;
			for (const bad of ['999999', 'abc', '-1']) {
				const r = await org.post('/live', { _csrf: await csrf(org, '/live'), title: 'Ghost room', session: bad });
				assert.equal(r.status, 422, bad);
				assert.match(pageText(r.text), /choose a session of the programme, or none/);
				assert.match(r.text, /id="room-session"[^>]*aria-invalid="true"/);
			}
			const after = (await org.get('/live')).text.match(/<li><a href="\/live\/\d+">/g).length;
			assert.equal(after, before, 'no room was opened');
		});

		test('ask_without_csrf_is_refused_and_changes_nothing', async () => {
			const before = (await questions(ben, room.id)).length;
			const r = await ben.post(`/live/${room.id}/ask`, { body: 'no token here' });
			assert.equal(r.status, 403);
			assert.equal((await questions(ben, room.id)).length, before);
		});

		test('empty_or_long_question_is_422_next_to_the_field_with_input_kept', async () => {
			let r = await ask(ben, room.id, '   ');
			assert.equal(r.status, 422);
			assert.match(r.text, /id="body-error"[^>]*>write a question first/);
			assert.match(r.text, /aria-invalid="true" aria-describedby="body-error"/);
			const long = 'x'.repeat(501);
			r = await ask(ben, room.id, long);
			assert.equal(r.status, 422);
			assert.ok(r.text.includes(long), 'the text typed is kept');
			assert.equal((await questions(ben, room.id)).filter((q) => q.body.startsWith('xxx')).length, 0);
		});

		test('join_code_leads_to_the_room', async () => {
			let r = await ben.get(`/join/${room.code.toLowerCase()}`);
			assert.equal(r.status, 303);
			assert.equal(r.location, `/live/${room.id}`);
			r = await ben.get('/join?code=ZZZZZZ');
			assert.equal(r.status, 404);
			assert.match(r.text, /no room has that code/);
		});

		test('question_upvoted_twice_counts_once_and_streams_live', async () => {
			const s = await sse(srv.url, `/live/${room.id}/events`, ben);
			assert.equal(s.status, 200);
			assert.match(s.headers['content-type'], /^text\/event-stream/);
			assert.equal(s.headers['content-encoding'], undefined);
			const r = await ask(zed, room.id, 'How do we share results?');
			assert.equal(r.status, 303);
			await s.waitFor(/event: question\ndata: [^\n]*How do we share results\?/, 1000);
			const q = (await questions(ben, room.id)).find((x) => x.body === 'How do we share results?');
			const t = await csrf(ben, `/live/${room.id}`);
			for (let i = 0; i < 3; i++) {
				const u = await ben.post(`/live/${room.id}/questions/${q.id}/upvote`, { _csrf: t });
				assert.equal(u.status, 303);
			}
			await s.waitFor(new RegExp(`data: \\{"id":${q.id},[^\\n]*"votes":1\\}`), 1000);
			s.close();
			const after = (await questions(ben, room.id)).find((x) => x.id === q.id);
			assert.equal(after.votes, 1);
			assert.equal(after.voted, true);
		});

		test('fifty_concurrent_votes_by_one_person_count_once', async () => {
			const poll = await openPoll(org, room.id, 'single', 'Pick one', 'Red\nGreen\nBlue');
			const t = await csrf(ben, `/live/${room.id}`);
			const rs = await Promise.all(Array.from({ length: 50 }, (_, i) =>
				ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, choice: String(i % 3) },
					{ headers: { accept: 'application/json' } })));
			for (const r of rs)
				assert.equal(r.status, 200, r.text);
			const s = await streamFor(srv.url, `/live/${room.id}/moderate/events`, org, {}, 300);
			const m = /event: tally\ndata: (\{[^\n]*\})/.exec(s.text);
			assert.ok(m, s.text);
			const tally = JSON.parse(m[1]);
			assert.equal(tally.poll, poll);
			assert.equal(tally.total, 1);
			assert.equal(tally.counts.reduce((a, b) => a + b, 0), 1);
		});

		test('vote_on_a_poll_another_instance_closed_gets_409_from_the_insert', async () => {
			// this server has the poll as open in memory; the ballot's own
			// INSERT finds it closed, and the answer comes after the writer
			const poll = await openPoll(org, room.id, 'single', 'Closed elsewhere?', 'Yes\nNo');
			const t = await csrf(ben, `/live/${room.id}`);
			let r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, choice: '0' });
			assert.equal(r.status, 303);
			sqlBehind(srv.db, `UPDATE live_polls SET state = 'closed' WHERE id = ${poll}`);
			r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, choice: '1' });
			assert.equal(r.status, 409);
			assert.match(r.text, /this poll is closed: your vote was not counted/);
			r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, choice: '1' },
				{ headers: { accept: 'application/json' } });
			assert.equal(r.status, 409);
			const out = sqlBehind(srv.db, `SELECT 'choices=' || choices FROM live_ballots WHERE poll_id = ${poll}`);
			assert.match(out, /choices=1\b/, 'the first vote stands');
			assert.doesNotMatch(out, /choices=2\b/);
		});

		test('vote_on_closed_poll_gets_409_and_bad_vote_422', async () => {
			const poll = await openPoll(org, room.id, 'scale', 'How ready?');
			const t = await csrf(ben, `/live/${room.id}`);
			let r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, value: '9' });
			assert.equal(r.status, 422);
			assert.match(r.text, /id="vote-error"[^>]*>choose a value from 1 to 5/);
			r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, value: '4' });
			assert.equal(r.status, 303);
			const mt = await csrf(org, `/live/${room.id}/moderate`);
			r = await org.post(`/live/${room.id}/moderate/polls/${poll}`, { _csrf: mt, action: 'close' });
			assert.equal(r.status, 303);
			r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, value: '5' });
			assert.equal(r.status, 409);
			assert.match(r.text, /this poll is closed/);
			r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, value: '5' },
				{ headers: { accept: 'application/json' } });
			assert.equal(r.status, 409);
			assert.match(r.headers.get('content-type'), /json/);
			r = await org.post(`/live/${room.id}/moderate/polls/${poll}`, { _csrf: mt, action: 'open' });
			assert.equal(r.status, 409, 'a closed poll does not open again');
		});

		test('hidden_question_never_appears_again_in_any_response', async () => {
			const secret = 'Hide-me-question-7731';
			const live = await sse(srv.url, `/live/${room.id}/events`, ben);
			let r = await ask(zed, room.id, secret);
			assert.equal(r.status, 303);
			await live.waitFor(new RegExp(secret), 1000);
			const q = (await questions(ben, room.id)).find((x) => x.body === secret);
			const mark = /id: (\d+)\nevent: question\ndata: [^\n]*Hide-me/.exec(live.text)[1];
			const mt = await csrf(org, `/live/${room.id}/moderate`);
			r = await org.post(`/live/${room.id}/moderate/questions/${q.id}`, { _csrf: mt, action: 'hide' });
			assert.equal(r.status, 303);
			await live.waitFor(new RegExp(`event: remove\\ndata: \\{"id":${q.id}\\}`), 1000);
			live.close();
			const since = String(Number(mark) - 1);
			const seen = [];
			for (const c of [ben, zed, org, fac])
				for (const p of [`/live/${room.id}`, `/live/${room.id}?part=questions`,
					`/live/${room.id}?sort=new`, `/live/${room.id}/questions.json`])
					seen.push([p, (await c.get(p)).text]);
			for (const c of [org, fac])
				for (const p of [`/live/${room.id}/moderate`, `/live/${room.id}/moderate?part=queue`,
					`/live/${room.id}/moderate?part=modquestions`, `/live/${room.id}/present`,
					`/live/${room.id}/present?part=screen`])
					seen.push([p, (await c.get(p)).text]);
			for (const [c, p] of [[ben, `/live/${room.id}/events`], [org, `/live/${room.id}/events`],
				[org, `/live/${room.id}/moderate/events`]]) {
				const s = await streamFor(srv.url, p, c, { 'last-event-id': since });
				assert.match(s.text, new RegExp(`event: remove\\ndata: \\{"id":${q.id}\\}`), 'the replay removes it');
				seen.push([`${p} replay`, s.text]);
				const s2 = await streamFor(srv.url, `${p}?since=0`, c);
				seen.push([`${p}?since=0`, s2.text]);
			}
			for (const [p, text] of seen)
				assert.ok(!text.includes(secret), `${p} shows the hidden question`);
			const t = await csrf(ben, `/live/${room.id}`);
			r = await ben.post(`/live/${room.id}/questions/${q.id}/upvote`, { _csrf: t });
			assert.equal(r.status, 404);
		});

		test('anonymous_asker_is_never_named_to_a_participant', async () => {
			const own = await newRoom(org, 'Anonymous corner', session);
			const live = await sse(srv.url, `/live/${own.id}/events`, ben);
			const r = await ask(zed, own.id, 'Who is asking this?', true);
			assert.equal(r.status, 303);
			await live.waitFor(/Who is asking this\?/, 1000);
			live.close();
			const texts = [['live event', live.text]];
			for (const p of [`/live/${own.id}`, `/live/${own.id}?part=questions`,
				`/live/${own.id}/questions.json`, `/live/${own.id}?sort=new`])
				texts.push([p, (await ben.get(p)).text]);
			for (const h of [{ 'last-event-id': '0' }, {}])
				texts.push(['replay', (await streamFor(srv.url, `/live/${own.id}/events?since=0`, ben, h)).text]);
			texts.push(['speaker presenter', (await spk.get(`/live/${own.id}/present`)).text]);
			for (const [p, text] of texts) {
				assert.match(text, /Who is asking this\?/, `${p} shows the question`);
				assert.ok(!text.includes(ASKER.name) && !text.includes('Quillfeather'), `${p} names the asker`);
			}
			// the asker sees it is theirs; moderators see who asked
			assert.match((await zed.get(`/live/${own.id}`)).text, /You asked this \(anonymously\)/);
			assert.ok((await org.get(`/live/${own.id}/moderate`)).text.includes(ASKER.name));
			const ms = await streamFor(srv.url, `/live/${own.id}/moderate/events?since=0`, fac);
			assert.ok(ms.text.includes(ASKER.name), 'the moderator stream names the asker');
		});

		test('approval_queue_holds_questions_until_a_moderator_approves', async () => {
			const own = await newRoom(org, 'Held questions');
			const mt = await csrf(fac, `/live/${own.id}/moderate`);
			let r = await fac.post(`/live/${own.id}/moderate/settings`, { _csrf: mt, need_approval: '1' });
			assert.equal(r.status, 303);
			const mod = await sse(srv.url, `/live/${own.id}/moderate/events`, fac);
			const pub = await sse(srv.url, `/live/${own.id}/events`, ben);
			r = await ask(zed, own.id, 'Waiting in line');
			assert.equal(r.status, 303);
			await mod.waitFor(/"state":"pending"/, 1000);
			assert.equal((await questions(ben, own.id)).length, 0);
			assert.match((await fac.get(`/live/${own.id}/moderate?part=queue`)).text, /Waiting in line/);
			const q = JSON.parse(/event: question\ndata: ([^\n]*)/.exec(mod.text)[1]);
			r = await fac.post(`/live/${own.id}/moderate/questions/${q.id}`, { _csrf: mt, action: 'approve' });
			assert.equal(r.status, 303);
			await pub.waitFor(/Waiting in line/, 1000);
			mod.close();
			pub.close();
			assert.equal((await questions(ben, own.id)).length, 1);
			r = await fac.post(`/live/${own.id}/moderate/questions/${q.id}`, { _csrf: mt, action: 'dance' });
			assert.equal(r.status, 422);
		});

		test('poll_form_errors_are_shown_and_results_stay_hidden_until_revealed', async () => {
			const mt = await csrf(org, `/live/${room.id}/moderate`);
			let r = await org.post(`/live/${room.id}/moderate/polls`, { _csrf: mt, kind: 'single', question: 'Only one?', options: 'lonely' });
			assert.equal(r.status, 422);
			assert.match(r.text, /id="poll-error"[^>]*>give between 2 and 12 choices/);
			assert.match(r.text, /Only one\?/);
			const poll = await openPoll(org, room.id, 'words', 'One word');
			const t = await csrf(ben, `/live/${room.id}`);
			r = await ben.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: t, text: 'Trust' });
			assert.equal(r.status, 303);
			r = await zed.post(`/live/${room.id}/polls/${poll}/vote`, { _csrf: await csrf(zed, `/live/${room.id}`), text: ' TRUST ' });
			assert.equal(r.status, 303);
			let page = await ben.get(`/live/${room.id}?part=results`);
			assert.match(page.text, /2<\/span> answers so far/);
			assert.doesNotMatch(page.text, /<svg/);
			r = await org.post(`/live/${room.id}/moderate/polls/${poll}`, { _csrf: mt, action: 'reveal' });
			assert.equal(r.status, 303);
			page = await ben.get(`/live/${room.id}?part=results`);
			assert.match(page.text, /<svg[^>]*role="img"/);
			assert.match(page.text, />trust<title>2<\/title>/, 'the words merge across case and spaces');
		});

		test('data_export_holds_ones_own_questions_upvotes_and_poll_answers_only', async () => {
			const own = await newRoom(org, 'Export corner', session);
			assert.equal((await ask(ben, own.id, 'Export-mine: can partnerships share kit?', true)).status, 303);
			assert.equal((await ask(zed, own.id, 'Export-theirs: who funds the pilot?')).status, 303);
			assert.equal((await ask(zed, own.id, 'Export-hidden: a question hidden later')).status, 303);
			const qs = await questions(ben, own.id);
			const qid = (re) => qs.find((x) => re.test(x.body)).id;
			const t = await csrf(ben, `/live/${own.id}`);
			for (const id of [qid(/Export-theirs/), qid(/Export-hidden/)])
				assert.equal((await ben.post(`/live/${own.id}/questions/${id}/upvote`, { _csrf: t })).status, 303);
			const mt = await csrf(org, `/live/${own.id}/moderate`);
			assert.equal((await org.post(`/live/${own.id}/moderate/questions/${qid(/Export-hidden/)}`,
				{ _csrf: mt, action: 'hide' })).status, 303);
			const multi = await openPoll(org, own.id, 'multi', 'Which matter?', 'Places\nPeople\nMoney');
			assert.equal((await ben.post(`/live/${own.id}/polls/${multi}/vote`, [['_csrf', t], ['choice', '0'], ['choice', '2']])).status, 303);
			const scale = await openPoll(org, own.id, 'scale', 'How sure?');
			assert.equal((await ben.post(`/live/${own.id}/polls/${scale}/vote`, { _csrf: t, value: '4' })).status, 303);
			const text = await openPoll(org, own.id, 'text', 'One idea?');
			assert.equal((await ben.post(`/live/${own.id}/polls/${text}/vote`, { _csrf: t, text: 'Export-idea: walk to school "together"' })).status, 303);

			const r = await ben.get('/account/data.json');
			assert.equal(r.status, 200);
			assert.match(r.headers.get('content-type'), /json/);
			const live = JSON.parse(r.text).live;
			const mine = live.questions.filter((q) => q.room === 'Export corner');
			assert.deepEqual(mine.map((q) => [q.question, q.anonymous, q.state]),
				[['Export-mine: can partnerships share kit?', true, 'visible']]);
			assert.ok(live.questions.every((q) => !/Export-(theirs|hidden)/.test(q.question)), 'only questions Ben asked');
			const ups = live.upvotes.filter((u) => u.room === 'Export corner').map((u) => u.question);
			assert.deepEqual(ups, ['Export-theirs: who funds the pilot?', ''], 'a hidden question keeps its upvote, not its text');
			const answers = Object.fromEntries(live.poll_answers.filter((a) => a.room === 'Export corner').map((a) => [a.poll, [a.kind, a.answer]]));
			assert.deepEqual(answers, {
				'Which matter?': ['multi', ['Places', 'Money']],
				'How sure?': ['scale', 4],
				'One idea?': ['text', 'Export-idea: walk to school "together"'],
			});
			assert.ok(!r.text.includes(ASKER.name) && !r.text.includes(ASKER.email), 'no other asker named');
			const theirs = JSON.parse((await zed.get('/account/data.json')).text).live;
			assert.deepEqual(theirs.questions.filter((q) => q.room === 'Export corner').map((q) => q.question).sort(),
				['Export-hidden: a question hidden later', 'Export-theirs: who funds the pilot?'], 'the asker gets even a hidden one');
			assert.ok(!JSON.stringify(theirs).includes('Export-mine') && !JSON.stringify(theirs).includes('Export-idea'), "nothing of Ben's");
		});
	});
}
