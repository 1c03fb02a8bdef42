// survey.test.js - the questions and the organisers' dashboard through the
// real server: a participant answers the pre-convention questions (errors
// shown next to the fields, answers changeable, the reminder banner gone
// once done); nobody but organisers reaches the dashboard, the answers,
// the themes or the exports by any URL (page, JSON or file); the CSV
// export neutralises formulas; the XLSX export opens with a spreadsheet
// reader; the question editor checks its input; closed questions refuse
// answers.  Runs on SQLite, and on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const ExcelJS = require('exceljs');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, backends, ORGANISER, PARTICIPANT,
} = require('./lib.js');

const OTHER = { email: 'cleo@example.org', name: 'Cleo Other', role: 'participant', password: 'cleos password 123' };
const FORMULA = '=HYPERLINK("http://evil.example","click")';

// The question field names of the questions page: ["q1", "q2", ...].
function questionFields(html) {
	return [...new Set([...html.matchAll(/name="(q\d+)"/g)].map((m) => m[1]))];
}

for (const db of backends()) {
	test.describe(`survey on ${db}`, () => {
		let srv, org, ben;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT, OTHER] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			// The test event is dated today: its questions closed at midnight.
			const ed = await org.get('/survey/sets/pre');
			const r = await org.post('/survey/sets/pre', {
				_csrf: csrfFrom(ed.text), title: 'Before the convention', intro: '', opens: '', closes: '2199-01-01',
			});
			assert.equal(r.status, 303, pageText(r.text).slice(0, 400));
			ben = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		test('participant_sees_a_reminder_until_both_questions_are_answered', async () => {
			const home = await ben.get('/');
			assert.match(pageText(home.text), /You have questions to answer before the convention/);
			assert.equal((await ben.get('/questions')).location, '/questions/pre');
			const page = await ben.get('/questions/pre');
			assert.equal(page.status, 200);
			assert.match(pageText(page.text), /collaborative leadership at work/);
			assert.match(pageText(page.text), /one thing you most want to learn/);
			const [q1, q2] = questionFields(page.text);
			assert.ok(q1 && q2);

			const empty = await ben.post('/questions/pre', { _csrf: csrfFrom(page.text), [q1]: '', [q2]: 'Sharing power' });
			assert.equal(empty.status, 422);
			assert.match(empty.text, new RegExp(`aria-invalid="true" aria-describedby="${q1}-error"`));
			assert.match(pageText(empty.text), /answer this question/);
			assert.match(empty.text, /value="Sharing power"/, 'what was typed is kept');
			const long = await ben.post('/questions/pre', { _csrf: csrfFrom(page.text), [q1]: 'x', [q2]: 'y'.repeat(501) });
			assert.equal(long.status, 422);

			const ok = await ben.post('/questions/pre', {
				_csrf: csrfFrom(page.text), [q1]: FORMULA + ' Our county pooled budgets with the hospital trust.',
				[q2]: 'How to share power with hospital partners',
			});
			assert.equal(ok.status, 303);
			const after = await ben.get('/questions/pre');
			assert.match(pageText(after.text), /Thank you: your answers are saved/);
			assert.match(after.text, /How to share power with hospital partners/);
			assert.doesNotMatch(pageText((await ben.get('/')).text), /You have questions to answer/);
			const changed = await ben.post('/questions/pre', {
				_csrf: csrfFrom(after.text), [q1]: FORMULA, [q2]: 'How to share power with hospital partners',
			});
			assert.equal(changed.status, 303, 'answers can be changed');
		});

		test('visitors_and_participants_cannot_reach_organiser_pages_or_files', async () => {
			const paths = ['/survey', '/survey?set=feedback', '/survey/answers', '/survey/answers?partnership=0&question=0',
				'/survey/themes', '/survey/export.csv', '/survey/export.xlsx', '/survey/sets/pre', '/survey/sets/feedback'];
			const v = new Client(srv.url);
			for (const p of paths) {
				const r = await v.get(p);
				assert.equal(r.status, 303, p);
				assert.match(r.location, /^\/login/);
			}
			const json = await v.get('/survey/answers.json');
			assert.equal(json.status, 401);
			assert.match(json.headers.get('content-type'), /json/);
			assert.equal((await v.get('/questions/pre')).status, 303);
			for (const p of [...paths, '/survey/answers.json']) {
				const r = await ben.get(p);
				assert.equal(r.status, 403, p);
				assert.doesNotMatch(r.text, /pooled budgets/, p);
			}
			const csrf = csrfFrom((await ben.get('/questions/pre')).text);
			for (const p of ['/survey/sets/pre', '/survey/sets/pre/questions', '/survey/questions/1'])
				assert.equal((await ben.post(p, { _csrf: csrf, prompt: 'x', kind: 'text', title: 'x' })).status, 403, p);
			// another participant sees only their own answers on their questions page
			const cleo = await loggedIn(srv.url, OTHER.email, OTHER.password);
			const mine = await cleo.get('/questions/pre');
			assert.doesNotMatch(mine.text, /hospital partners/);
		});

		test('dashboard_shows_who_answered_and_themes_use_their_words', async () => {
			const d = await org.get('/survey');
			assert.equal(d.status, 200);
			assert.match(pageText(d.text), /1 of 2 participants have answered/);
			assert.match(pageText(d.text), /Cleo Other/, 'who has not answered is listed');
			const a = await org.get('/survey/answers');
			assert.match(pageText(a.text), /hospital partners/);
			assert.match(pageText(a.text), /Ben Participant/);
			const t = await org.get('/survey/themes');
			assert.equal(t.status, 200);
			assert.match(t.text, /<svg[^>]*role="img"/);
			assert.match(pageText(t.text), /hospital/);
			assert.doesNotMatch(t.text, /<text[^>]*>[^<]*"/, 'no raw quotes in the cloud');
			const j = await org.get('/survey/answers.json');
			assert.equal(j.status, 200);
			const body = JSON.parse(j.text);
			assert.ok(body.answers.some((x) => /hospital partners/.test(x.answer)));
		});

		test('csv_export_neutralises_formulas_and_xlsx_opens', async () => {
			const csv = await org.get('/survey/export.csv');
			assert.equal(csv.status, 200);
			assert.match(csv.headers.get('content-type'), /^text\/csv/);
			assert.match(csv.headers.get('content-disposition'), /attachment; filename="answers\.csv"/);
			assert.ok(csv.text.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`), csv.text);
			assert.ok(!/(^|,)"=HYPERLINK/m.test(csv.text), 'no cell starts with =');

			const x = await org.request('GET', '/survey/export.xlsx');
			assert.equal(x.status, 200);
			const res = await fetch(new URL('/survey/export.xlsx', srv.url), { headers: { cookie: org.cookieHeader() } });
			const bytes = Buffer.from(await res.arrayBuffer());
			assert.equal(bytes.subarray(0, 2).toString(), 'PK');
			const wb = new ExcelJS.Workbook();
			await wb.xlsx.load(bytes);
			const ws = wb.getWorksheet('Answers');
			assert.ok(ws, 'an Answers sheet');
			assert.equal(ws.getCell('B1').value, 'name');
			const values = [];
			ws.eachRow((row) => values.push(row.getCell(5).value));
			assert.ok(values.includes('How to share power with hospital partners'));
			assert.ok(values.includes(FORMULA), 'the formula is kept as plain text');
			ws.eachRow((row) => row.eachCell((cell) => assert.notEqual(cell.type, ExcelJS.ValueType.Formula)));
		});

		test('question_editor_checks_input_and_adds_questions', async () => {
			const ed = await org.get('/survey/sets/feedback');
			assert.equal(ed.status, 200);
			const csrf = csrfFrom(ed.text);
			const bad = await org.post('/survey/sets/feedback/questions', { _csrf: csrf, kind: 'single', prompt: 'Come again?', choices: 'Only one' });
			assert.equal(bad.status, 422);
			assert.match(bad.text, /aria-describedby="new-error"/);
			assert.match(bad.text, /value="Come again\?"/);
			const long = await org.post('/survey/sets/feedback/questions', { _csrf: csrf, kind: 'text', prompt: 'x'.repeat(501) });
			assert.equal(long.status, 422);
			const ok = await org.post('/survey/sets/feedback/questions', { _csrf: csrf, kind: 'scale', prompt: 'How useful was it?', required: 'yes' });
			assert.equal(ok.status, 303);
			const dates = await org.post('/survey/sets/feedback', { _csrf: csrf, title: 'Feedback', opens: 'soon', closes: '' });
			assert.equal(dates.status, 422);
			assert.match(pageText(dates.text), /YYYY-MM-DD/);
			const open = await org.post('/survey/sets/feedback', { _csrf: csrf, title: 'Feedback', opens: '2001-01-01', closes: '' });
			assert.equal(open.status, 303);
			const f = await ben.get('/questions/feedback');
			assert.match(f.text, /type="radio"[^>]*value="5"/);
			const [q] = questionFields(f.text);
			assert.equal((await ben.post('/questions/feedback', { _csrf: csrfFrom(f.text), [q]: '9' })).status, 422);
			assert.equal((await ben.post('/questions/feedback', { _csrf: csrfFrom(f.text), [q]: '4' })).status, 303);
		});

		test('closed_questions_refuse_answers', async () => {
			const ed = await org.get('/survey/sets/feedback');
			const r = await org.post('/survey/sets/feedback', { _csrf: csrfFrom(ed.text), title: 'Feedback', opens: '2198-01-01', closes: '' });
			assert.equal(r.status, 303);
			const f = await ben.get('/questions/feedback');
			assert.match(pageText(f.text), /closed/);
			const [q] = questionFields(f.text);
			const post = await ben.post('/questions/feedback', { _csrf: csrfFrom(f.text), [q]: '2' });
			assert.equal(post.status, 303);
			const after = await ben.get('/questions/feedback');
			assert.match(pageText(after.text), /answers can no longer be changed/);
			assert.match(after.text, /value="4" checked/, 'the earlier answer stands');
		});
	});
}
