// agenda.test.js - the programme through the real server: the public
// agenda, session and speaker pages and the JSON API; who may do what
// (visitors, participants, organisers, CSRF); an organiser building a
// programme through the forms (day, room, track, speaker with a photo,
// session with a speaker) and the bad input the forms refuse (a session
// that ends before it starts, a room clash, an upload that is not an
// image, over-long text); stars and "my agenda"; what changed since a
// person last looked; the cached page for visitors; and 100 concurrent
// sign-ups for a 20-seat session.  Runs on SQLite, and again on
// PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, psql, backends,
	ORGANISER, PARTICIPANT,
} = require('./lib.js');

// A 40 x 30 PNG header: what the server decodes to check a photo.
const PNG = Buffer.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
	0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 40, 0, 0, 0, 30, 8, 2, 0, 0, 0,
	0x12, 0x34, 0x56, 0x78,
	0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

// A multipart/form-data body: fields { name: value } and files
// [{ field, filename, type, data }].
function multipart(fields, files) {
	const boundary = '----agenda' + crypto.randomBytes(8).toString('hex');
	const parts = [];
	for (const [k, v] of Object.entries(fields))
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
	for (const f of files) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
		parts.push(f.data, Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// GET a form page for its CSRF token, then POST fields to action.
async function submit(c, page, action, fields) {
	const g = await c.get(page);
	assert.equal(g.status, 200, `GET ${page}: ${pageText(g.text).slice(0, 300)}`);
	return c.post(action, { _csrf: csrfFrom(g.text), ...fields });
}

async function json(c, p) {
	const r = await c.get(p);
	assert.equal(r.status, 200, `GET ${p}`);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	return JSON.parse(r.text);
}

// Build a small programme as the organiser: one day, two rooms, a track.
async function basics(org, date) {
	let r = await submit(org, '/agenda/edit/days/new', '/agenda/edit/days/new', { date, title: 'Test day' });
	assert.equal(r.status, 303, pageText(r.text).slice(0, 500));
	for (const name of [`Hall ${date}`, `Annex ${date}`]) {
		r = await submit(org, '/agenda/edit/rooms/new', '/agenda/edit/rooms/new', { name, position: '1' });
		assert.equal(r.status, 303);
	}
	r = await submit(org, '/agenda/edit/tracks/new', '/agenda/edit/tracks/new', { name: `Track ${date}` });
	assert.equal(r.status, 303);
	const ag = await json(org, '/api/agenda');
	return {
		day: ag.days.find((d) => d.date === date).id,
		hall: ag.rooms.find((x) => x.name === `Hall ${date}`).id,
		annex: ag.rooms.find((x) => x.name === `Annex ${date}`).id,
		track: ag.tracks.find((x) => x.name === `Track ${date}`).id,
	};
}

// Create a session through the form; returns the response.
function newSession(org, fields) {
	return submit(org, '/agenda/edit/sessions/new', '/agenda/edit/sessions/new', {
		kind: 'workshop', description: 'About it.', capacity: '', track: '', ...fields,
	});
}

// Sign-ins for n participants written straight into the database: the
// account rows, a participant role and a session whose cookie token we
// know.  (Creating 100 passwords through the CLI would spend a minute on
// Argon2; the login form itself is tested in auth.test.js.)
function seedParticipants(srv, kind, n, tag) {
	const now = Math.floor(Date.now() / 1000);
	const tokens = [];
	const sql = [];
	for (let i = 0; i < n; i++) {
		const token = crypto.randomBytes(32).toString('base64url');
		const hash = crypto.createHash('sha256').update(token).digest('hex');
		const email = `${tag}${i}@example.org`;
		tokens.push(token);
		sql.push(`INSERT INTO people (name, email, created_at) VALUES ('Seat ${tag} ${i}', '${email}', ${now});`);
		sql.push(`INSERT INTO roles (event_id, person_id, role) SELECT (SELECT MIN(id) FROM events), id, 'participant' FROM people WHERE email = '${email}';`);
		sql.push(`INSERT INTO sessions (person_id, token_hash, created_at, last_seen) SELECT id, '${hash}', ${now}, ${now} FROM people WHERE email = '${email}';`);
	}
	const script = 'BEGIN;\n' + sql.join('\n') + '\nCOMMIT;\n';
	if (kind === 'pg') {
		psql(srv.db, script);
	} else {
		const r = spawnSync('sqlite3', [srv.db.replace(/^sqlite:/, '')], { input: script, encoding: 'utf8' });
		assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
	}
	return tokens.map((t) => {
		const c = new Client(srv.url);
		c.setCookie('colead', t);
		return c;
	});
}

for (const db of backends()) {
	test.describe(`agenda on ${db}`, () => {
		let srv, org, ben;
		test.before(async () => {
			// More workers than cores, so sign-ups really do run side by side.
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT], args: ['--threads', '16'] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			ben = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('empty_agenda_is_public_and_says_so', async () => {
			const r = await new Client(srv.url).get('/agenda');
			assert.equal(r.status, 200);
			assert.match(pageText(r.text), /Agenda/);
			for (const p of ['/speakers', '/api/agenda', '/api/speakers']) {
				const x = await new Client(srv.url).get(p);
				assert.equal(x.status, 200, p);
			}
		});

		test('visitors_and_participants_are_refused_the_editor', async () => {
			const v = new Client(srv.url);
			let r = await v.get('/agenda/edit');
			assert.equal(r.status, 303);
			assert.match(r.location, /^\/login\?next=/);
			r = await v.get('/my-agenda');
			assert.equal(r.status, 303);
			assert.match(r.location, /^\/login\?next=%2Fmy-agenda/);
			r = await ben.get('/agenda/edit');
			assert.equal(r.status, 403);
			r = await ben.get('/agenda/edit/sessions/new');
			assert.equal(r.status, 403);
			const page = await ben.get('/account');
			r = await ben.post('/agenda/edit/days/new', { _csrf: csrfFrom(page.text), date: '2030-01-01' });
			assert.equal(r.status, 403);
			// A visitor posting a star is sent to log in; no CSRF token is refused.
			r = await v.post('/sessions/1/star', { star: '1' });
			assert.ok(r.status === 303 || r.status === 403, `visitor star: ${r.status}`);
			r = await org.post('/agenda/edit/days/new', { date: '2030-01-02' });
			assert.equal(r.status, 403, 'no CSRF token');
			const ag = await json(org, '/api/agenda');
			assert.ok(!ag.days.some((d) => d.date.startsWith('2030')), 'nothing was created');
		});

		test('organiser_creates_a_session_with_a_speaker_and_it_is_public', async () => {
			const b = await basics(org, '2027-03-11');
			const up = multipart({
				_csrf: csrfFrom((await org.get('/agenda/edit/speakers/new')).text),
				name: 'Priya Example', affiliation: 'Test Partnership', bio: 'Leads things.\n\nAnd learns.',
				email: '',
			}, [{ field: 'photo', filename: 'me.png', type: 'image/png', data: PNG }]);
			let r = await org.request('POST', '/agenda/edit/speakers/new', { body: up.body, contentType: up.contentType });
			assert.equal(r.status, 303, pageText(r.text).slice(0, 500));
			const sp = Number(/^\/speakers\/(\d+)$/.exec(r.location)[1]);

			r = await newSession(org, {
				title: 'Leading across boundaries', kind: 'keynote', day: String(b.day), room: String(b.hall),
				track: String(b.track), start: '10:00', end: '10:45', speaker: String(sp),
			});
			assert.equal(r.status, 303, pageText(r.text).slice(0, 800));
			const sid = Number(/^\/sessions\/(\d+)$/.exec(r.location)[1]);

			const v = new Client(srv.url);
			const agenda = pageText((await v.get('/agenda')).text);
			assert.match(agenda, /Leading across boundaries/);
			assert.match(agenda, /Priya Example/);
			assert.match(agenda, /Thursday 11 March 2027/);
			const page = await v.get(`/sessions/${sid}`);
			assert.equal(page.status, 200);
			const text = pageText(page.text);
			assert.match(text, /Leading across boundaries/);
			assert.match(text, /10:00 to 10:45/);
			assert.match(text, new RegExp(`Hall 2027-03-11`));
			assert.match(text, /Keynote/);
			assert.match(text, /Open to everyone/);
			assert.match(page.text, new RegExp(`href="/speakers/${sp}"`));
			const spk = await v.get(`/speakers/${sp}`);
			assert.match(pageText(spk.text), /Leads things\. And learns\./);
			assert.match(pageText(spk.text), /Leading across boundaries/);
			const photo = await v.get(`/speakers/${sp}/photo`);
			assert.equal(photo.status, 200);
			assert.equal(photo.headers.get('content-type'), 'image/png');
			assert.equal(photo.headers.get('x-content-type-options'), 'nosniff');
			const bytes = Buffer.from(await (await fetch(`${srv.url}/speakers/${sp}/photo`)).arrayBuffer());
			assert.ok(bytes.equals(PNG), 'the photo comes back byte for byte');

			const api = await json(v, `/api/sessions/${sid}`);
			assert.equal(api.title, 'Leading across boundaries');
			assert.equal(api.start, '2027-03-11T10:00');
			assert.equal(api.room.name, 'Hall 2027-03-11');
			assert.equal(api.speakers[0].name, 'Priya Example');
			assert.equal(api.speakers[0].photo, `/speakers/${sp}/photo`);
			const all = await json(v, '/api/speakers');
			assert.deepEqual(all.speakers.find((s) => s.id === sp).sessions, [sid]);
			const missing = await v.get('/api/sessions/999999');
			assert.equal(missing.status, 404);
			assert.match(missing.headers.get('content-type'), /^application\/json/);
			assert.equal((await v.get('/sessions/999999')).status, 404);
			assert.equal((await v.get('/speakers/999999')).status, 404);
			assert.equal((await v.get('/speakers/999999/photo')).status, 404);
		});

		test('session_that_ends_before_it_starts_is_refused_next_to_the_field', async () => {
			const b = await basics(org, '2027-03-12');
			const before = await json(org, '/api/agenda');
			const r = await newSession(org, {
				title: 'Backwards', day: String(b.day), room: String(b.hall), start: '11:00', end: '10:30',
			});
			assert.equal(r.status, 422);
			assert.match(r.text, /<input[^>]*id="s-end"[^>]*aria-invalid="true"[^>]*aria-describedby="s-end-error"/);
			assert.match(r.text, /<small class="field-error" id="s-end-error">The session must end after it starts\.<\/small>/);
			assert.match(r.text, /value="Backwards"/, 'the typed title is kept');
			const after = await json(org, '/api/agenda');
			assert.deepEqual(after, before, 'nothing changed');
		});

		test('over_long_and_bad_fields_are_422', async () => {
			const b = await basics(org, '2027-03-13');
			let r = await newSession(org, {
				title: 'x'.repeat(201), day: String(b.day), room: '', start: '09:00', end: '10:00',
			});
			assert.equal(r.status, 422);
			assert.match(pageText(r.text), /too long/);
			r = await newSession(org, { title: 'Bad time', day: String(b.day), start: '9am', end: '10:00', capacity: '-3' });
			assert.equal(r.status, 422);
			assert.match(r.text, /id="s-start-error"/);
			assert.match(r.text, /id="s-capacity-error"/);
			r = await submit(org, '/agenda/edit/days/new', '/agenda/edit/days/new', { date: '2027-02-31' });
			assert.equal(r.status, 422);
			assert.match(r.text, /id="f-date-error"/);
		});

		test('room_clash_warns_and_saves_only_when_confirmed', async () => {
			const b = await basics(org, '2027-03-14');
			let r = await newSession(org, { title: 'First in hall', day: String(b.day), room: String(b.hall), start: '09:00', end: '10:00' });
			assert.equal(r.status, 303);
			const fields = { title: 'Second in hall', day: String(b.day), room: String(b.hall), start: '09:30', end: '10:30' };
			r = await newSession(org, fields);
			assert.equal(r.status, 422);
			const text = pageText(r.text);
			assert.match(text, /Check these clashes before saving/);
			assert.match(text, /The room 'Hall 2027-03-14' is already used by 'First in hall' at an overlapping time\./);
			assert.match(r.text, /name="confirm"/);
			let ag = await json(org, '/api/agenda');
			assert.ok(!JSON.stringify(ag).includes('Second in hall'), 'not saved without confirming');
			r = await newSession(org, { ...fields, confirm: '1' });
			assert.equal(r.status, 303);
			ag = await json(org, '/api/agenda');
			assert.ok(JSON.stringify(ag).includes('Second in hall'), 'saved once confirmed');
		});

		test('upload_that_is_not_an_image_is_refused', async () => {
			const before = (await json(org, '/api/speakers')).speakers.length;
			for (const file of [
				{ field: 'photo', filename: 'x.png', type: 'image/png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>') },
				{ field: 'photo', filename: 'x.jpg', type: 'image/jpeg', data: PNG },
			]) {
				const up = multipart({
					_csrf: csrfFrom((await org.get('/agenda/edit/speakers/new')).text),
					name: 'Not A Photo', affiliation: '', bio: '', email: '',
				}, [file]);
				const r = await org.request('POST', '/agenda/edit/speakers/new', { body: up.body, contentType: up.contentType });
				assert.equal(r.status, 422);
				assert.match(r.text, /<input[^>]*id="sp-photo"[^>]*aria-invalid="true"/);
				assert.match(pageText(r.text), /not a PNG, JPEG or WebP image|does not match its contents/);
				assert.match(r.text, /value="Not A Photo"/);
			}
			assert.equal((await json(org, '/api/speakers')).speakers.length, before);
		});

		test('stars_fill_my_agenda_and_changes_are_marked_once', async () => {
			const b = await basics(org, '2027-03-15');
			let r = await newSession(org, { title: 'Starry session', day: String(b.day), room: String(b.annex), start: '14:00', end: '15:00' });
			const sid = Number(/^\/sessions\/(\d+)$/.exec(r.location)[1]);
			// Ben looks at the agenda: nothing is "changed" for him yet.
			assert.doesNotMatch(pageText((await ben.get('/agenda')).text), /Changed since you last looked/);
			r = await ben.post(`/sessions/${sid}/star`, { star: '1' });
			assert.equal(r.status, 403, 'a star without the CSRF token is refused');
			r = await ben.post(`/sessions/${sid}/signup`, {});
			assert.equal(r.status, 403, 'a sign-up without the CSRF token is refused');
			assert.doesNotMatch(pageText((await ben.get('/my-agenda')).text), /Starry session/);
			r = await submit(ben, `/sessions/${sid}`, `/sessions/${sid}/star`, { star: '1' });
			assert.equal(r.status, 303);
			assert.equal(r.location, `/sessions/${sid}`);
			assert.match(pageText((await ben.get('/my-agenda')).text), /Starry session/);
			assert.match(pageText((await ben.get(`/sessions/${sid}`)).text), /Remove from my agenda/);

			r = await submit(org, `/agenda/edit/sessions/${sid}`, `/agenda/edit/sessions/${sid}`, {
				title: 'Starry session, moved', kind: 'workshop', day: String(b.day), room: String(b.annex),
				track: '', start: '14:30', end: '15:30', capacity: '', description: '',
			});
			assert.equal(r.status, 303, pageText(r.text).slice(0, 500));
			let page = pageText((await ben.get('/agenda')).text);
			assert.match(page, /One session has changed since you last looked/);
			assert.match(page, /Starry session, moved Track|Starry session, moved.*Changed since you last looked/);
			page = pageText((await ben.get('/agenda')).text);
			assert.doesNotMatch(page, /Changed since you last looked/, 'marked only until seen');

			r = await submit(ben, `/sessions/${sid}`, `/sessions/${sid}/star`, { star: '0' });
			assert.equal(r.status, 303);
			assert.doesNotMatch(pageText((await ben.get('/my-agenda')).text), /Starry session/);
		});

		test('visitors_get_the_cached_page_until_the_schedule_changes', async () => {
			const b = await basics(org, '2027-03-16');
			const v = new Client(srv.url);
			const one = await v.get('/agenda');
			const two = await v.get('/agenda');
			assert.equal(one.text, two.text);
			const r = await newSession(org, { title: 'Fresh cached session', day: String(b.day), room: String(b.hall), start: '08:00', end: '08:30' });
			assert.equal(r.status, 303);
			const three = await v.get('/agenda');
			assert.match(pageText(three.text), /Fresh cached session/);
			// A signed-in person never gets the visitors' copy.
			assert.match(pageText((await ben.get('/agenda')).text), /Signed in as/);
		});

		test('a_change_made_through_another_instance_reaches_visitors_within_a_second', async () => {
			const b = await basics(org, '2027-03-19');
			const other = await startServer({ dbUrl: srv.db });
			try {
				const v = new Client(srv.url);
				assert.doesNotMatch(pageText((await v.get('/agenda')).text), /Made elsewhere/);
				const org2 = await loggedIn(other.url, ORGANISER.email, ORGANISER.password);
				const r = await newSession(org2, { title: 'Made elsewhere', day: String(b.day), room: String(b.hall), start: '07:00', end: '07:30' });
				assert.equal(r.status, 303);
				const t0 = Date.now();
				let seen = false;
				while (!seen && Date.now() - t0 < 3000) {
					seen = /Made elsewhere/.test(pageText((await v.get('/agenda')).text));
					if (!seen)
						await new Promise((res) => setTimeout(res, 100));
				}
				const ms = Date.now() - t0;
				assert.ok(seen, 'the first instance shows the change');
				assert.ok(ms < 1600, `within a second (and a poll) of the commit: ${ms} ms`);
			} finally {
				await other.cleanup();
			}
		});

		test('100_concurrent_signups_for_20_seats_leave_80_waiting_in_order', async () => {
			const b = await basics(org, '2027-03-17');
			let r = await newSession(org, {
				title: 'Twenty seats', day: String(b.day), room: String(b.hall), start: '09:00', end: '10:00', capacity: '20',
			});
			assert.equal(r.status, 303);
			const sid = Number(/^\/sessions\/(\d+)$/.exec(r.location)[1]);
			const people = seedParticipants(srv, db, 100, `c${db}`);
			const tokens = await Promise.all(people.map(async (c) => {
				const g = await c.get(`/sessions/${sid}`);
				assert.equal(g.status, 200);
				assert.match(pageText(g.text), /Sign up/);
				return csrfFrom(g.text);
			}));
			const answers = await Promise.all(people.map((c, i) => c.post(`/sessions/${sid}/signup`, { _csrf: tokens[i] })));
			for (const a of answers)
				assert.equal(a.status, 303);
			const api = await json(org, `/api/sessions/${sid}`);
			assert.equal(api.seats_taken, 20);
			assert.equal(api.waiting, 80);
			assert.equal(api.seats_left, 0);

			// Each person's state, read from their session page.
			async function states() {
				return Promise.all(people.map(async (c) => {
					const t = pageText((await c.get(`/sessions/${sid}`)).text);
					const m = /waiting list, number (\d+)/.exec(t);
					if (m)
						return Number(m[1]);
					return /You have a place/.test(t) ? 0 : -1;
				}));
			}
			const s1 = await states();
			assert.equal(s1.filter((x) => x === 0).length, 20);
			assert.equal(s1.filter((x) => x < 0).length, 0, 'everyone has a place or a number');
			const queue = s1.filter((x) => x > 0).sort((x, y) => x - y);
			assert.deepEqual(queue, Array.from({ length: 80 }, (_, i) => i + 1), 'positions 1..80, each once');

			// A seat holder withdraws: the first in line gets the seat, the rest move up.
			const leaver = s1.indexOf(0);
			const first = s1.indexOf(1);
			const g = await people[leaver].get(`/sessions/${sid}`);
			r = await people[leaver].post(`/sessions/${sid}/withdraw`, { _csrf: csrfFrom(g.text) });
			assert.equal(r.status, 303);
			const s2 = await states();
			assert.equal(s2[first], 0, 'the first in line now has a place');
			assert.equal(s2[leaver], -1, 'the leaver has neither');
			assert.equal(s2.filter((x) => x === 0).length, 20);
			assert.match(pageText((await people[leaver].get(`/sessions/${sid}`)).text), /Sign up|Join the waiting list/);
			for (let i = 0; i < people.length; i++) {
				if (i !== leaver && i !== first && s1[i] > 1)
					assert.equal(s2[i], s1[i] - 1, 'everyone else moved up one');
			}
			const after = await json(org, `/api/sessions/${sid}`);
			assert.equal(after.seats_taken, 20);
			assert.equal(after.waiting, 79);

			// Signing up twice is refused without a second row.
			const again = await people[first].get(`/sessions/${sid}`);
			assert.doesNotMatch(pageText(again.text), /Join the waiting list|Sign up/);
			r = await people[first].post(`/sessions/${sid}/signup`, { _csrf: csrfFrom(again.text) });
			assert.equal(r.status, 303);
			assert.equal((await json(org, `/api/sessions/${sid}`)).seats_taken, 20);
		});

		test('organiser_deletes_a_session_and_it_is_gone', async () => {
			const b = await basics(org, '2027-03-18');
			let r = await newSession(org, { title: 'Short lived', day: String(b.day), room: String(b.hall), start: '09:00', end: '10:00' });
			const sid = Number(/^\/sessions\/(\d+)$/.exec(r.location)[1]);
			r = await submit(org, `/agenda/edit/sessions/${sid}`, `/agenda/edit/sessions/${sid}/delete`, {});
			assert.equal(r.status, 303);
			assert.equal((await new Client(srv.url).get(`/sessions/${sid}`)).status, 404);
			r = await submit(org, `/agenda/edit/days/${b.day}`, `/agenda/edit/days/${b.day}/delete`, {});
			assert.equal(r.status, 303);
			assert.ok(!(await json(org, '/api/agenda')).days.some((d) => d.id === b.day));
		});
	});
}
