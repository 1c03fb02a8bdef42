// live_wall.test.js - the pre-convention wall in two real browsers.  A
// participant has answered the pre-convention questions; an organiser
// chooses the question that feeds a room's wall, a facilitator's presenter
// screen in another browser context switches to the wall with the w key,
// and the answer the organiser approves appears on that screen within one
// second without a reload, then leaves it within one second when
// rejected; a participant's phone shows the approved answer on the room
// page.  Every page passes axe-core's WCAG 2.1 A and AA rules and
// loads without console or CSP errors; screenshots go to tests/artifacts/.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, loggedIn, csrfFrom, ORGANISER, PARTICIPANT } = require('../http/lib.js');
const { launch, openPage, signIn, A11y, screenshot } = require('./lib.js');

const FACILITATOR = { email: 'fay@example.org', name: 'Fay Facilitator', role: 'facilitator', password: 'facilitate with care' };
const STORY = 'Our county pooled budgets with three housing associations for free sessions on estates';

let srv, chrome, room;

test.before(async () => {
	srv = await startServer({ users: [ORGANISER, PARTICIPANT, FACILITATOR] });
	chrome = await launch();
	const org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
	// The test event is dated today: open its questions until 2199.
	let r = await org.post('/survey/sets/pre', {
		_csrf: csrfFrom((await org.get('/survey/sets/pre')).text), title: 'Before the convention', intro: '', opens: '', closes: '2199-01-01',
	});
	assert.equal(r.status, 303);
	const ben = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
	const page = await ben.get('/questions/pre');
	const [q1, q2] = [...new Set([...page.text.matchAll(/name="(q\d+)"/g)].map((m) => m[1]))];
	r = await ben.post('/questions/pre', { _csrf: csrfFrom(page.text), [q1]: STORY, [q2]: 'How to share power' });
	assert.equal(r.status, 303);
	r = await org.post('/live', { _csrf: csrfFrom((await org.get('/live')).text), title: 'Opening plenary' });
	assert.equal(r.status, 303);
	room = /^\/live\/(\d+)\/moderate$/.exec(r.location)[1];
});

test.after(async () => {
	if (chrome)
		await chrome.close();
	if (srv)
		await srv.cleanup();
});

test('approved_answer_reaches_the_presenter_wall_within_a_second', async () => {
	const a11y = new A11y();
	const org = await openPage(chrome.browser);
	const screen = await openPage(chrome.browser, { viewport: { width: 1920, height: 1080 } });
	try {
		const op = org.page, sp = screen.page;

		/* the organiser feeds the wall from the first question */
		await signIn(op, srv.url, ORGANISER, `/live/${room}/moderate/wall`);
		await op.getByLabel(/Describe a moment/).check();
		await op.getByRole('button', { name: "Save the wall's questions" }).click();
		await op.getByText("the wall's questions are saved").waitFor();
		await op.getByText(STORY).waitFor();
		await a11y.check(op, 'wall moderation');
		await screenshot(op, 'wall-1-moderate');

		/* the facilitator's presenter screen switches to the wall with w */
		await signIn(sp, srv.url, FACILITATOR, `/live/${room}/present`);
		await sp.getByRole('heading', { name: 'Top questions' }).waitFor();
		await sp.keyboard.press('w');
		await sp.getByRole('heading', { name: 'Before the convention, you told us' }).waitFor({ timeout: 2000 });
		await sp.getByText('The answers appear here as the moderators approve them.').waitFor();
		await a11y.check(sp, 'presenter wall (empty)');

		/* approve: on the screen within a second, no reload */
		const url = sp.url();
		let t0 = Date.now();
		await op.getByRole('button', { name: /^Approve answer/ }).click();
		await sp.locator('.live-card', { hasText: STORY }).waitFor({ timeout: 1000 });
		const approveMs = Date.now() - t0;
		assert.equal(sp.url(), url, 'the presenter screen did not reload');
		await sp.locator('.live-wall-cloud svg').waitFor({ timeout: 1000 });
		await a11y.check(sp, 'presenter wall');
		await screenshot(sp, 'wall-2-presenter');

		/* the participant sees the approved answer on the room page */
		const phone = await openPage(chrome.browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
		try {
			await signIn(phone.page, srv.url, PARTICIPANT, `/live/${room}`);
			await phone.page.getByRole('heading', { name: 'Before the convention: your answers' }).waitFor();
			await phone.page.locator('.live-card', { hasText: STORY }).waitFor();
			await a11y.check(phone.page, 'room with the wall (phone)');
			await screenshot(phone.page, 'wall-3-phone');
			assert.deepEqual(phone.problems, []);
		} finally {
			await phone.context.close();
		}

		/* reject: gone from the screen within a second */
		await op.getByText('On the wall (1)').waitFor();
		t0 = Date.now();
		await op.getByRole('button', { name: /^Take off the wall/ }).click();
		await sp.locator('.live-card', { hasText: STORY }).waitFor({ state: 'detached', timeout: 1000 });
		const rejectMs = Date.now() - t0;
		await a11y.check(op, 'wall moderation after rejecting');
		console.log(`# wall: approve reached the screen in ${approveMs} ms, reject in ${rejectMs} ms`);

		assert.deepEqual([...org.problems, ...screen.problems], []);
		a11y.assertClean();
	} finally {
		await org.context.close();
		await screen.context.close();
	}
});
