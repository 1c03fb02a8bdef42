// people_import.test.js - the attendee import and invitations through the
// real server: who may reach them, every class of row error named with its
// reason, nothing imported while errors remain, confirmation in one go,
// re-importing the same file changing nothing, invitation links (shown,
// downloaded as CSV, used once, with consent to the privacy notice), and
// the partnership pages.  Runs on SQLite, and on PostgreSQL when
// COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, backends, ORGANISER, PARTICIPANT,
} = require('./lib.js');

const OTHER_ORGANISER = { email: 'olu@example.org', name: 'Olu Organiser', role: 'organiser', password: 'second organiser pw' };

// POST a CSV file to /people/import as multipart/form-data, as a browser
// does.  Returns the response.
async function upload(c, csv, filename = 'people.csv', csrf) {
	if (csrf === undefined)
		csrf = csrfFrom((await c.get('/people/import')).text);
	const boundary = '----colead' + Math.random().toString(16).slice(2);
	const parts = [];
	if (csrf !== null)
		parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`);
	parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
		'Content-Type: text/csv\r\n\r\n');
	const body = Buffer.concat([
		Buffer.from(parts.join('')),
		Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	return c.request('POST', '/people/import', { body, contentType: `multipart/form-data; boundary=${boundary}` });
}

// The confirm form's action in a preview page, or null.
function confirmAction(html) {
	const m = /<form method="post" action="(\/people\/import\/[0-9a-f]{32})"/.exec(html);
	return m ? m[1] : null;
}

async function addPartnership(c, name) {
	const page = await c.get('/partnerships');
	const r = await c.post('/partnerships', { _csrf: csrfFrom(page.text), name });
	assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
	return Number(/\/partnerships\/(\d+)/.exec(r.location)[1]);
}

for (const db of backends()) {
	test.describe(`attendee import on ${db}`, () => {
		let srv, org, alpha;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT, OTHER_ORGANISER] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			alpha = await addPartnership(org, 'Active Alphashire');
			await addPartnership(org, 'Active Betashire');
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('visitors_are_sent_to_login_and_participants_refused', async () => {
			const v = new Client(srv.url);
			const r = await v.get('/people/import');
			assert.equal(r.status, 303);
			assert.match(r.location, /^\/login\?next=/);
			const p = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
			for (const path of ['/people/import', '/people/invitations', '/people/import/' + 'a'.repeat(32)])
				assert.equal((await p.get(path)).status, 403, path);
			const csrf = csrfFrom((await p.get('/account')).text);
			for (const path of ['/people/invitations', '/people/invitations.csv', '/partnerships',
				`/partnerships/${alpha}/rename`, `/partnerships/${alpha}/merge`, '/people/import/' + 'a'.repeat(32)])
				assert.equal((await p.post(path, { _csrf: csrf, name: 'x', into: '1' })).status, 403, path);
			assert.equal((await upload(p, 'a,b@c.org,,participant\n', 'x.csv', csrf)).status, 403);
		});

		test('upload_without_csrf_is_refused', async () => {
			const r = await upload(org, 'Ann,ann@example.org,,participant\n', 'x.csv', null);
			assert.equal(r.status, 403);
		});

		test('every_error_class_is_named_and_nothing_is_imported', async () => {
			const csv = Buffer.concat([
				Buffer.from('name,email,partnership,role,job title\n' +
					'Good Person,good.person@example.org,Active Alphashire,participant,Officer\n' +
					'Bad Mail,not-an-email,Active Alphashire,participant\n' +
					'Typo Person,typo@example.org,Activ Alphashir,participant\n' +
					'Good Twice,GOOD.PERSON@example.org,,participant\n' +
					'Role Less,role@example.org,,wizard\n' +
					'Too,few\n'),
				Buffer.from([0x43, 0x61, 0x66, 0xe9]),
				Buffer.from(' Owner,enc@example.org,,participant\n'),
			]);
			const r = await upload(org, csv);
			assert.equal(r.status, 422);
			const text = pageText(r.text);
			assert.match(text, /1 new/);
			assert.match(text, /6 with errors/);
			assert.match(text, /invalid email 'not-an-email'/);
			assert.match(text, /unknown partnership 'Activ Alphashir' – did you mean “Active Alphashire”\?/);
			assert.match(text, /duplicate email 'good\.person@example\.org': also on row 2/);
			assert.match(text, /unknown role 'wizard'/);
			assert.match(text, /wrong number of columns: 2/);
			assert.match(text, /bad encoding/);
			assert.equal(confirmAction(r.text), null, 'no confirm button while errors remain');
			const inv = pageText((await org.get('/people/invitations')).text);
			assert.doesNotMatch(inv, /good\.person@example\.org/);
		});

		test('whole_file_problems_are_shown_next_to_the_file_field', async () => {
			for (const [csv, why] of [['', /Choose a CSV file/], ['a,"b\n', /quote/], ['name,email\n', /no rows/]]) {
				const r = await upload(org, csv);
				assert.equal(r.status, 422);
				assert.match(r.text, /aria-invalid="true" aria-describedby="file-error"/);
				assert.match(pageText(r.text), why);
			}
		});

		test('clean_file_imports_on_confirmation_and_again_changes_nothing', async () => {
			const csv = 'Cara New,cara@example.org,Active Alphashire,participant,Coach\n' +
				'Dev New,dev@example.org,Active Betashire,participant;lead\n' +
				`Ben Renamed,${PARTICIPANT.email},Active Alphashire,participant\n`;
			const r = await upload(org, csv);
			assert.equal(r.status, 200, pageText(r.text).slice(0, 500));
			assert.match(pageText(r.text), /2 new ?, 1 to update, 0 unchanged, 0 with errors/);
			const action = confirmAction(r.text);
			assert.ok(action);
			// another organiser cannot confirm this upload
			const other = await loggedIn(srv.url, OTHER_ORGANISER.email, OTHER_ORGANISER.password);
			const stolen = await other.post(action, { _csrf: csrfFrom((await other.get('/people/import')).text) });
			assert.equal(stolen.status, 404);
			const ok = await org.post(action, { _csrf: csrfFrom(r.text) });
			assert.equal(ok.status, 303);
			assert.equal(ok.location, '/people/invitations');
			const inv = await org.get('/people/invitations');
			assert.match(pageText(inv.text), /Imported 3 rows: 2 new, 1 updated, 0 unchanged/);
			assert.match(pageText(inv.text), /cara@example\.org/);
			const again = await org.post(action, { _csrf: csrfFrom(r.text) });
			assert.equal(again.status, 404, 'an upload is imported once');

			const r2 = await upload(org, csv);
			assert.equal(r2.status, 200);
			assert.match(pageText(r2.text), /0 new ?, 0 to update, 3 unchanged/);
			const ok2 = await org.post(confirmAction(r2.text), { _csrf: csrfFrom(r2.text) });
			assert.equal(ok2.status, 303);
			const inv2 = await org.get('/people/invitations');
			assert.match(pageText(inv2.text), /Imported 3 rows: 0 new, 0 updated, 3 unchanged/);

			const part = await org.get(`/partnerships/${alpha}`);
			assert.match(pageText(part.text), /Ben Renamed/);
			assert.match(pageText(part.text), /Cara New/);
		});

		test('invitation_link_sets_password_with_consent_and_works_once', async () => {
			await upload(org, 'Erin Invite,erin@example.org,Active Alphashire,participant\n').then(async (r) => {
				assert.equal(r.status, 200);
				assert.equal((await org.post(confirmAction(r.text), { _csrf: csrfFrom(r.text) })).status, 303);
			});
			const page = await org.get('/people/invitations');
			const csv = await org.post('/people/invitations.csv', { _csrf: csrfFrom(page.text) });
			assert.equal(csv.status, 200);
			assert.match(csv.headers.get('content-type'), /^text\/csv/);
			assert.match(csv.headers.get('content-disposition'), /attachment/);
			const line = csv.text.split('\r\n').find((l) => l.includes('erin@example.org'));
			assert.ok(line, csv.text.slice(0, 500));
			const link = /\/password\/[A-Za-z0-9_-]+/.exec(line)[0];

			// the HTML list shows fresh links too, and makes the CSV's stop working
			const shown = await org.post('/people/invitations', { _csrf: csrfFrom(page.text) });
			assert.equal(shown.status, 200);
			assert.match(shown.text, /value="http:\/\/127\.0\.0\.1:\d+\/password\/[A-Za-z0-9_-]+"/);
			assert.equal((await new Client(srv.url).get(link)).status, 404, 'an older link stops working');
			const fresh = new RegExp(`Link for Erin Invite</label><input type="text" readonly id="link-\\d+" value="http://[^"]+(/password/[A-Za-z0-9_-]+)"`).exec(shown.text)[1];

			const c = new Client(srv.url);
			const form = await c.get(fresh);
			assert.equal(form.status, 200);
			assert.match(form.text, /name="consent"/);
			const no = await c.post(fresh, { _csrf: csrfFrom(form.text), password: 'erins long password', confirm: 'erins long password' });
			assert.equal(no.status, 422);
			assert.match(pageText(no.text), /privacy notice/);
			const yes = await c.post(fresh, { _csrf: csrfFrom(no.text), password: 'erins long password', confirm: 'erins long password', consent: 'yes' });
			assert.equal(yes.status, 303);
			assert.equal(yes.location, '/questions');
			assert.equal((await c.get('/account')).status, 200);
			const twice = await new Client(srv.url).get(fresh);
			assert.equal(twice.status, 404);
			const twicePost = await new Client(srv.url).post(fresh, { _csrf: csrfFrom(form.text), password: 'another long password', confirm: 'another long password', consent: 'yes' });
			assert.ok(twicePost.status === 404 || twicePost.status === 403, `second use answers ${twicePost.status}`);
			const inv = pageText((await org.get('/people/invitations')).text);
			assert.doesNotMatch(inv, /erin@example\.org/, 'no longer waiting for an invitation');
		});

		test('partnerships_can_be_renamed_and_merged_by_organisers', async () => {
			const gamma = await addPartnership(org, 'Active Gammashire');
			const delta = await addPartnership(org, 'Active Deltashire');
			let page = await org.get(`/partnerships/${gamma}`);
			const dup = await org.post(`/partnerships/${gamma}/rename`, { _csrf: csrfFrom(page.text), name: 'Active Deltashire' });
			assert.equal(dup.status, 422);
			assert.match(pageText(dup.text), /another partnership has that name/);
			const long = await org.post(`/partnerships/${gamma}/rename`, { _csrf: csrfFrom(page.text), name: 'x'.repeat(201) });
			assert.equal(long.status, 422);
			const ok = await org.post(`/partnerships/${gamma}/rename`, { _csrf: csrfFrom(page.text), name: 'Active Gamma Valley' });
			assert.equal(ok.status, 303);
			page = await org.get(`/partnerships/${gamma}`);
			assert.match(pageText(page.text), /Active Gamma Valley/);
			const self = await org.post(`/partnerships/${gamma}/merge`, { _csrf: csrfFrom(page.text), into: String(gamma) });
			assert.equal(self.status, 422);
			const merged = await org.post(`/partnerships/${gamma}/merge`, { _csrf: csrfFrom(page.text), into: String(delta) });
			assert.equal(merged.status, 303);
			assert.equal((await org.get(`/partnerships/${gamma}`)).status, 404);
			assert.equal((await org.get('/partnerships/999999')).status, 404);
			const p = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
			assert.equal((await p.get('/partnerships')).status, 200, 'participants can see the list');
			assert.doesNotMatch((await p.get(`/partnerships/${delta}`)).text, /Merge into/);
		});
	});
}

test.describe('invitations by email', () => {
	const { SMTPServer } = require('smtp-server');
	let srv, smtp, org;
	const inbox = [];
	test.before(async () => {
		smtp = new SMTPServer({
			authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
			onData(stream, session, done) {
				const chunks = [];
				stream.on('data', (c) => chunks.push(c));
				stream.on('end', () => {
					inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom.address, text: Buffer.concat(chunks).toString('utf8') });
					done();
				});
			},
		});
		await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
		const port = smtp.server.address().port;
		srv = await startServer({
			users: [ORGANISER],
			args: ['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-from', 'convention@example.org'],
		});
		org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
		await addPartnership(org, 'Active Mailshire');
		const r = await upload(org, 'Mia Mail,mia@example.org,Active Mailshire,participant\nNed Mail,ned@example.org,,participant\n');
		assert.equal(r.status, 200);
		assert.equal((await org.post(confirmAction(r.text), { _csrf: csrfFrom(r.text) })).status, 303);
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
		if (smtp)
			await new Promise((resolve) => smtp.close(resolve));
	});

	test('organiser_emails_links_that_work_once', async () => {
		const page = await org.get('/people/invitations');
		assert.match(page.text, /Make links and email them/);
		const r = await org.post('/people/invitations/email', { _csrf: csrfFrom(page.text) });
		assert.equal(r.status, 303);
		assert.match(pageText((await org.get('/people/invitations')).text), /Emailed 2 of 2 invitations/);
		assert.equal(inbox.length, 2);
		const mia = inbox.find((m) => m.to.includes('mia@example.org'));
		assert.ok(mia);
		assert.equal(mia.from, 'convention@example.org');
		assert.match(mia.text, /^Subject: Your invitation/m);
		assert.match(mia.text, /Hello Mia Mail/);
		const link = /\/password\/[A-Za-z0-9_-]{43}/.exec(mia.text)[0];
		const c = new Client(srv.url);
		const form = await c.get(link);
		assert.equal(form.status, 200);
		const yes = await c.post(link, { _csrf: csrfFrom(form.text), password: 'mias long password', confirm: 'mias long password', consent: 'yes' });
		assert.equal(yes.status, 303);
		assert.equal((await new Client(srv.url).get(link)).status, 404);
	});

	test('without_a_mail_server_there_is_no_email_button', async () => {
		const plain = await startServer({ users: [ORGANISER] });
		try {
			const o = await loggedIn(plain.url, ORGANISER.email, ORGANISER.password);
			const page = await o.get('/people/invitations');
			assert.doesNotMatch(page.text, /email them/);
			const r = await o.post('/people/invitations/email', { _csrf: csrfFrom(page.text) });
			assert.equal(r.status, 303);
			assert.match(pageText((await o.get('/people/invitations')).text), /No mail server is configured/);
		} finally {
			await plain.cleanup();
		}
	});
});

test.describe('directory and personal data', () => {
	let srv, org, ben, cleo;
	const CLEO = { email: 'cleo@example.org', name: 'Cleo Listed', role: 'participant', password: 'cleos password 123' };
	test.before(async () => {
		srv = await startServer({ users: [ORGANISER, PARTICIPANT, CLEO] });
		org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
		ben = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
		cleo = await loggedIn(srv.url, CLEO.email, CLEO.password);
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
	});

	test('only_people_who_opt_in_are_listed', async () => {
		assert.equal((await new Client(srv.url).get('/directory')).status, 303, 'visitors sign in first');
		let d = await ben.get('/directory');
		assert.equal(d.status, 200);
		assert.doesNotMatch(pageText(d.text), /Cleo Listed/);
		const acct = await cleo.get('/account');
		const long = await cleo.post('/account/directory', { _csrf: csrfFrom(acct.text), listed: 'yes', job_title: 'x'.repeat(201) });
		assert.equal(long.status, 422);
		assert.match(long.text, /aria-describedby="job-error"/);
		const ok = await cleo.post('/account/directory', { _csrf: csrfFrom(acct.text), listed: 'yes', job_title: 'Insight Lead' });
		assert.equal(ok.status, 303);
		d = await ben.get('/directory');
		assert.match(pageText(d.text), /Cleo Listed Insight Lead/);
		const table = /<tbody>[\s\S]*<\/tbody>/.exec(d.text)[0];
		assert.doesNotMatch(table, /Ben Participant/, 'not listed without opting in');
		assert.doesNotMatch(d.text, /cleo@example\.org/, 'no email addresses in the directory');
		const out = await cleo.post('/account/directory', { _csrf: csrfFrom(acct.text), job_title: 'Insight Lead' });
		assert.equal(out.status, 303);
		assert.doesNotMatch(pageText((await ben.get('/directory')).text), /Cleo Listed/);
	});

	test('a_person_downloads_their_own_data_only', async () => {
		assert.equal((await new Client(srv.url).get('/account/data.json')).status, 401);
		const r = await ben.get('/account/data.json');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /json/);
		const data = JSON.parse(r.text);
		assert.equal(data.account.email, PARTICIPANT.email);
		assert.deepEqual(data.roles, ['participant']);
		assert.ok(data.sign_ins.length >= 1);
		assert.ok(Array.isArray(data.answers));
		assert.doesNotMatch(r.text, /cleo@example\.org/);
		assert.doesNotMatch(r.text, /argon2|token_hash/i, 'no secrets');
	});

	test('organiser_erases_a_person_and_participants_cannot', async () => {
		const csrf = csrfFrom((await ben.get('/account')).text);
		// find Cleo's id from the export of her own data? use the erase page of each id
		let id = null;
		for (let i = 1; i <= 5 && !id; i++) {
			const p = await org.get(`/people/${i}/erase`);
			if (p.status === 200 && /Cleo Listed/.test(p.text))
				id = i;
		}
		assert.ok(id, 'the erase page names the person');
		assert.equal((await ben.get(`/people/${id}/erase`)).status, 403);
		assert.equal((await ben.post(`/people/${id}/erase`, { _csrf: csrf })).status, 403);
		const page = await org.get(`/people/${id}/erase`);
		assert.match(pageText(page.text), /Removed/);
		assert.match(pageText(page.text), /Anonymised/);
		const r = await org.post(`/people/${id}/erase`, { _csrf: csrfFrom(page.text) });
		assert.equal(r.status, 303);
		assert.equal((await cleo.get('/account')).status, 303, 'her sign-in has ended');
		const c = new Client(srv.url);
		const lp = await c.get('/login');
		assert.equal((await c.post('/login', { _csrf: csrfFrom(lp.text), email: CLEO.email, password: CLEO.password })).status, 401);
		const again = await org.get(`/people/${id}/erase`);
		assert.match(pageText(again.text), /Erased person/);
		assert.doesNotMatch(again.text, /cleo@example\.org/);
		assert.equal((await org.get('/people/999999/erase')).status, 404);
	});
});
