// agenda.test.js - the programme in a real browser.  An organiser builds a
// session with a speaker through the forms (day, rooms, track, speaker
// with a photo, session), meeting the refusals on the way (a photo that is
// not an image, a session that ends before it starts, a room clash to
// confirm), and the session appears on the public pages.  Then, on a
// 375 px phone, a visitor reads the agenda, a session and the speakers
// without sideways scrolling, and a participant signs up and stars a
// session into "my agenda".  Every page visited must pass axe-core's WCAG
// 2.1 A and AA rules and load without console or CSP errors; screenshots
// go to tests/artifacts/.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, ORGANISER, PARTICIPANT } = require('../http/lib.js');
const { launch, openPage, A11y, screenshot } = require('./lib.js');

const PNG = Buffer.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
	0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 40, 0, 0, 0, 30, 8, 2, 0, 0, 0,
	0x12, 0x34, 0x56, 0x78,
	0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

let srv, chrome;

test.before(async () => {
	srv = await startServer({ users: [ORGANISER, PARTICIPANT] });
	chrome = await launch();
});

test.after(async () => {
	if (chrome)
		await chrome.close();
	if (srv)
		await srv.cleanup();
});

async function logIn(page, who) {
	await page.goto(srv.url + '/login');
	await page.getByLabel('Email address').fill(who.email);
	await page.getByLabel('Password', { exact: true }).fill(who.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL(srv.url + '/');
}

// No sideways scrolling at this width.
async function fits(page, width, label) {
	const sw = await page.evaluate('document.documentElement.scrollWidth');
	assert.ok(sw <= width, `${label}: scrollWidth ${sw} > ${width}`);
}

test('organiser_builds_a_session_with_a_speaker_through_the_forms', async () => {
	const a11y = new A11y();
	const { context, page, problems } = await openPage(chrome.browser);
	try {
		await logIn(page, ORGANISER);
		await page.goto(srv.url + '/agenda/edit');
		await a11y.check(page, 'agenda editor (empty)');

		await page.getByRole('link', { name: 'Add a day' }).click();
		await a11y.check(page, 'day form');
		await page.getByLabel('Date').fill('2027-03-11');
		await page.getByLabel('Title (optional)').fill('Day one');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(srv.url + '/agenda/edit');

		for (const room of ['Main Hall', 'Trent Room']) {
			await page.getByRole('link', { name: 'Add a room' }).click();
			await page.getByLabel('Name').fill(room);
			await page.getByLabel('Column in the agenda grid').fill(room === 'Main Hall' ? '1' : '2');
			await a11y.check(page, 'room form');
			await page.getByRole('button', { name: 'Save' }).click();
			await page.waitForURL(srv.url + '/agenda/edit');
		}
		await page.getByRole('link', { name: 'Add a track' }).click();
		await page.getByLabel('Name').fill('Leadership journeys');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(srv.url + '/agenda/edit');

		// A speaker whose "photo" is not an image: refused next to the field.
		await page.getByRole('link', { name: 'Add a speaker' }).click();
		await a11y.check(page, 'speaker form');
		await page.getByLabel('Name').fill('Helen Example');
		await page.getByLabel('Role or organisation (optional)').fill('Researcher');
		await page.getByLabel('Biography').fill('Studies how partners learn together.');
		await page.getByLabel(/^Photo/).setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text') });
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByText('The photo is not a PNG, JPEG or WebP image.').waitFor();
		assert.equal(await page.getByLabel(/^Photo/).getAttribute('aria-invalid'), 'true');
		await a11y.check(page, 'speaker form, not an image');
		await screenshot(page, 'agenda-desktop-1-photo-refused');
		await page.getByLabel(/^Photo/).setInputFiles({ name: 'helen.png', mimeType: 'image/png', buffer: PNG });
		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(/\/speakers\/\d+$/);
		await a11y.check(page, 'speaker page');

		// A session that ends before it starts: the error is next to "Ends".
		await page.goto(srv.url + '/agenda/edit/sessions/new');
		await a11y.check(page, 'session form');
		await page.getByLabel('Title').fill('Leading beyond your organisation');
		await page.getByLabel('Kind').selectOption({ label: 'Keynote' });
		await page.getByLabel('Starts (HH:MM)').fill('10:00');
		await page.getByLabel('Ends (HH:MM)').fill('09:00');
		await page.getByLabel('Room').selectOption({ label: 'Main Hall' });
		await page.getByLabel('Track').selectOption({ label: 'Leadership journeys' });
		await page.getByLabel('Helen Example').check();
		await page.getByRole('button', { name: 'Save the session' }).click();
		await page.getByText('The session must end after it starts.').waitFor();
		assert.equal(await page.getByLabel('Ends (HH:MM)').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.getByLabel('Title').inputValue(), 'Leading beyond your organisation', 'input kept');
		await a11y.check(page, 'session form, ends before it starts');
		await screenshot(page, 'agenda-desktop-2-ends-before-starts');
		await page.getByLabel('Ends (HH:MM)').fill('10:45');
		await page.getByRole('button', { name: 'Save the session' }).click();
		await page.waitForURL(/\/sessions\/\d+$/);
		await page.getByRole('heading', { name: 'Leading beyond your organisation' }).waitFor();
		await a11y.check(page, 'session page (organiser)');

		// A second session in the same room at the same time: a warning to confirm.
		await page.goto(srv.url + '/agenda/edit/sessions/new');
		await page.getByLabel('Title').fill('Overlapping workshop');
		await page.getByLabel('Starts (HH:MM)').fill('10:30');
		await page.getByLabel('Ends (HH:MM)').fill('11:30');
		await page.getByLabel('Room').selectOption({ label: 'Main Hall' });
		await page.getByRole('button', { name: 'Save the session' }).click();
		await page.getByText("The room 'Main Hall' is already used by 'Leading beyond your organisation' at an overlapping time.").waitFor();
		await a11y.check(page, 'session form, room clash');
		await screenshot(page, 'agenda-desktop-3-room-clash');
		await page.getByLabel('Room').selectOption({ label: 'Trent Room' });
		await page.getByLabel('Places (leave empty when anyone can come without signing up)').fill('2');
		await page.getByRole('button', { name: 'Save the session' }).click();
		await page.waitForURL(/\/sessions\/\d+$/);

		await page.goto(srv.url + '/agenda/edit');
		await a11y.check(page, 'agenda editor (filled)');
		// The edit forms of existing things, with their Delete buttons.
		for (const [name, label] of [
			['Thursday 11 March 2027', 'day edit form'],
			['Main Hall', 'room edit form'],
			['Leadership journeys', 'track edit form'],
			['Helen Example', 'speaker edit form'],
			['Leading beyond your organisation', 'session edit form'],
		]) {
			await page.goto(srv.url + '/agenda/edit');
			await page.locator('main').getByRole('link', { name, exact: true }).click();
			await page.waitForURL(/\/agenda\/edit\/[a-z]+\/\d+$/);
			await page.getByRole('button', { name: /^Delete/ }).waitFor();
			await a11y.check(page, label);
		}

		// The public agenda shows it, as a grid with rooms as columns.
		await page.goto(srv.url + '/agenda');
		await page.getByRole('link', { name: 'Leading beyond your organisation' }).waitFor();
		assert.ok(await page.locator('.agenda-rooms').isVisible(), 'room columns on a wide screen');
		await a11y.check(page, 'agenda (organiser, wide)');
		await screenshot(page, 'agenda-desktop-4-grid');
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, [], 'no console errors, CSP violations or failed loads');
	a11y.assertClean();
});

test('phone_reads_the_agenda_and_a_session_without_sideways_scrolling', async () => {
	const a11y = new A11y();
	const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
	const { context, page, problems } = await openPage(chrome.browser, phone);
	try {
		let r = await page.goto(srv.url + '/agenda');
		assert.equal(r.status(), 200);
		await page.getByRole('link', { name: 'Leading beyond your organisation' }).waitFor();
		assert.equal(await page.locator('.agenda-rooms').isVisible(), false, 'a list, not columns, on a phone');
		await fits(page, 375, 'agenda');
		await a11y.check(page, 'agenda (phone)');
		await screenshot(page, 'agenda-phone-1-agenda');

		await page.getByRole('link', { name: 'Leading beyond your organisation' }).click();
		await page.waitForURL(/\/sessions\/\d+$/);
		await page.getByText('10:00 to 10:45').waitFor();
		await page.getByRole('link', { name: 'Helen Example' }).waitFor();
		await fits(page, 375, 'session');
		await a11y.check(page, 'session (phone, visitor)');
		await screenshot(page, 'agenda-phone-2-session');

		await page.getByRole('link', { name: 'Helen Example' }).click();
		await page.waitForURL(/\/speakers\/\d+$/);
		await page.getByRole('img', { name: 'Photo of Helen Example' }).waitFor();
		await fits(page, 375, 'speaker');
		await a11y.check(page, 'speaker (phone)');
		r = await page.goto(srv.url + '/speakers');
		assert.equal(r.status(), 200);
		await fits(page, 375, 'speakers');
		await a11y.check(page, 'speakers (phone)');
		await screenshot(page, 'agenda-phone-3-speakers');

		// A participant signs up for the session with places and stars it.
		await logIn(page, PARTICIPANT);
		await page.goto(srv.url + '/agenda');
		await page.getByRole('link', { name: 'Overlapping workshop' }).click();
		await page.waitForURL(/\/sessions\/\d+$/);
		await page.getByRole('button', { name: 'Sign up' }).click();
		await page.getByText('You have a place in this session.').first().waitFor();
		await page.getByRole('button', { name: 'Add to my agenda' }).click();
		await page.getByRole('button', { name: 'Remove from my agenda' }).waitFor();
		await fits(page, 375, 'session (signed up)');
		await a11y.check(page, 'session (phone, signed up)');
		await screenshot(page, 'agenda-phone-4-signed-up');
		await page.goto(srv.url + '/my-agenda');
		await page.getByRole('link', { name: 'Overlapping workshop' }).waitFor();
		await fits(page, 375, 'my agenda');
		await a11y.check(page, 'my agenda (phone)');
		await screenshot(page, 'agenda-phone-5-my-agenda');
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, [], 'no console errors, CSP violations or failed loads');
	a11y.assertClean();
});
