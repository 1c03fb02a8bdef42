// onboarding.test.js - from a spreadsheet to answers, in a real browser:
// an organiser uploads a 300-row CSV with three bad rows, sees each named
// with its reason, fixes the file and imports it, and makes invitation
// links; an invited participant follows one, sets a password (accepting
// the privacy notice), lands on the pre-convention questions and answers
// both; the organiser's dashboard then shows them as done and their words
// among the themes.  Every page visited must pass axe-core's WCAG 2.1 A
// and AA rules and load without console or CSP errors; screenshots go to
// tests/artifacts/.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, loggedIn, csrfFrom, ORGANISER } = require('../http/lib.js');
const { launch, openPage, A11y, ARTIFACTS } = require('./lib.js');

const PARTNERSHIPS = ['Active Northmoor', 'Active Southvale', 'Active Eastwick'];
let srv, chrome, dir;

test.before(async () => {
	srv = await startServer({ users: [ORGANISER] });
	chrome = await launch();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-onboarding-'));
	// Setup through HTTP: the partnerships, and questions open past today
	// (the test event is dated today, so they would have closed at midnight).
	const org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
	for (const name of PARTNERSHIPS) {
		const page = await org.get('/partnerships');
		const r = await org.post('/partnerships', { _csrf: csrfFrom(page.text), name });
		assert.equal(r.status, 303);
	}
	const ed = await org.get('/survey/sets/pre');
	const r = await org.post('/survey/sets/pre', {
		_csrf: csrfFrom(ed.text), title: 'Before the convention', intro: '', opens: '', closes: '2199-01-01',
	});
	assert.equal(r.status, 303);
});

test.after(async () => {
	if (chrome)
		await chrome.close();
	if (srv)
		await srv.cleanup();
	if (dir)
		fs.rmSync(dir, { recursive: true, force: true });
});

// A screenshot of what the window shows (the invitation list is 300 rows
// long: a full-page shot of it is slow and says no more).
async function screenshot(page, name) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), timeout: 60000 });
}

// 300 people; with bad, rows 41, 152 and 287 are broken.
function csvFile(name, bad) {
	const lines = ['name,email,partnership,role,job title'];
	for (let i = 1; i <= 300; i++) {
		let email = `person${i}@example.org`, part = PARTNERSHIPS[i % 3], role = 'participant';
		if (bad && i === 41)
			email = 'person41-at-example.org';
		if (bad && i === 152)
			part = 'Active Southvail';
		if (bad && i === 287)
			role = 'dragon';
		const who = i === 1 ? 'Robin Invitee' : `Person ${i}`;
		lines.push(`${who},${email},${part},${role},Officer ${i}`);
	}
	const file = path.join(dir, name);
	fs.writeFileSync(file, lines.join('\n') + '\n');
	return file;
}

test('organiser_imports_invites_and_a_participant_answers', async () => {
	const a11y = new A11y();
	const org = await openPage(chrome.browser);
	const guest = await openPage(chrome.browser);
	try {
		const { page } = org;
		await page.goto(srv.url + '/login');
		await page.getByLabel('Email address').fill(ORGANISER.email);
		await page.getByLabel('Password', { exact: true }).fill(ORGANISER.password);
		await page.getByRole('button', { name: 'Log in' }).click();
		await page.waitForURL(srv.url + '/');

		await page.goto(srv.url + '/people/import');
		await a11y.check(page, 'import form');
		await page.getByLabel('CSV file (UTF-8)').setInputFiles(csvFile('people-bad.csv', true));
		await page.getByRole('button', { name: 'Check the file' }).click();
		await page.getByText('3 with errors').waitFor();
		const errors = page.locator('table.import-errors tbody tr');
		assert.equal(await errors.count(), 3);
		// rows are numbered as a spreadsheet shows them: the header is row 1
		assert.match(await errors.nth(0).innerText(), /42[\s\S]*invalid email 'person41-at-example\.org'/);
		assert.match(await errors.nth(1).innerText(), /153[\s\S]*unknown partnership 'Active Southvail'[\s\S]*did you mean “Active Southvale”/);
		assert.match(await errors.nth(2).innerText(), /288[\s\S]*unknown role 'dragon'/);
		assert.equal(await page.getByRole('button', { name: /^Import/ }).count(), 0, 'nothing to confirm');
		await a11y.check(page, 'import preview with errors');
		await screenshot(page, 'onboarding-1-import-errors');

		await page.getByLabel('CSV file (UTF-8)').setInputFiles(csvFile('people-fixed.csv', false));
		await page.getByRole('button', { name: 'Check the file' }).click();
		await page.getByText('300 new').waitFor();
		await a11y.check(page, 'import preview, clean');
		await page.getByRole('button', { name: 'Import 300 rows' }).click();
		await page.waitForURL(srv.url + '/people/invitations');
		await page.getByText('Imported 300 rows: 300 new, 0 updated, 0 unchanged.').waitFor();
		await a11y.check(page, 'invitations');

		await page.getByRole('button', { name: 'Make links and show them' }).click();
		const link = await page.getByLabel('Link for Robin Invitee').inputValue();
		assert.match(link, /\/password\/[A-Za-z0-9_-]{43}$/);
		await a11y.check(page, 'invitation links');
		await screenshot(page, 'onboarding-2-links');

		// The participant, in a browser of their own.
		const g = guest.page;
		await g.goto(link);
		await a11y.check(g, 'set password (invitation)');
		await g.getByLabel('Password', { exact: true }).fill('robins own password');
		await g.getByLabel('Password again').fill('robins own password');
		await g.getByRole('button', { name: 'Set password' }).click();
		await g.getByText('Tick the box to accept the privacy notice.').waitFor();
		await a11y.check(g, 'set password without consent');
		await g.getByLabel('Password', { exact: true }).fill('robins own password');
		await g.getByLabel('Password again').fill('robins own password');
		await g.getByLabel(/I have read the privacy notice/).check();
		await g.getByRole('button', { name: 'Set password' }).click();
		await g.waitForURL(srv.url + '/questions/pre');
		await a11y.check(g, 'questions (empty)');
		await g.getByLabel(/collaborative leadership at work/).fill(
			'Our county brought orienteering clubs, schools and the hospital trust together around one shared purpose.');
		await g.getByLabel(/one thing you most want to learn/).fill('How orienteering partners keep trust when funding changes');
		await g.getByRole('button', { name: 'Save my answers' }).click();
		await g.getByText('Thank you: your answers are saved.').waitFor();
		await a11y.check(g, 'questions (answered)');
		await screenshot(g, 'onboarding-3-answered');
		await g.goto(srv.url + '/');
		assert.equal(await g.getByText('You have questions to answer').count(), 0, 'no reminder once done');

		await page.goto(srv.url + '/survey');
		await page.getByText('1 of 300 participants have answered.').waitFor();
		const row = page.locator('tr', { hasText: PARTNERSHIPS[1] });
		assert.match(await row.innerText(), /1 of 100/);
		await a11y.check(page, 'dashboard');
		await page.getByRole('link', { name: 'Themes' }).click();
		await page.waitForURL(/\/survey\/themes/);
		assert.match(await page.locator('ol.themes').innerText(), /orienteering \(2\)/);
		assert.equal(await page.locator('svg.word-cloud text', { hasText: 'orienteering' }).count(), 1);
		await a11y.check(page, 'themes');
		await screenshot(page, 'onboarding-4-themes');

		// The other organiser pages, and the participant's account and directory.
		for (const [url, label] of [['/survey/answers', 'answers'], ['/survey/sets/pre', 'question editor'],
			['/partnerships', 'partnerships'], ['/account', 'account (organiser)']]) {
			const r = await page.goto(srv.url + url);
			assert.equal(r.status(), 200, url);
			await a11y.check(page, label);
		}
		await page.goto(srv.url + '/partnerships');
		await page.getByRole('link', { name: PARTNERSHIPS[1] }).click();
		await a11y.check(page, 'a partnership');
		await page.getByRole('link', { name: 'erase…' }).first().click();
		await page.getByRole('heading', { name: 'Removed' }).waitFor();
		await a11y.check(page, 'erase confirmation');
		await g.goto(srv.url + '/account');
		await g.getByLabel('Job title').fill('Community Coach');
		await g.getByLabel('List me in the directory').check();
		await g.getByRole('button', { name: 'Save', exact: true }).click();
		await g.getByText('Your directory entry is saved.').waitFor();
		await a11y.check(g, 'account (participant)');
		await g.goto(srv.url + '/directory');
		await g.getByRole('cell', { name: 'Community Coach' }).waitFor();
		await a11y.check(g, 'directory');

		// On a phone the questions page still fits.
		await g.setViewportSize({ width: 375, height: 800 });
		await g.goto(srv.url + '/questions/pre');
		const wide = await g.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(wide <= 375, `the page is ${wide}px wide on a 375px phone`);
		await screenshot(g, 'onboarding-5-phone-questions');

		assert.deepEqual([...org.problems, ...guest.problems], []);
		a11y.assertClean();
	} finally {
		await org.context.close();
		await guest.context.close();
	}
});
