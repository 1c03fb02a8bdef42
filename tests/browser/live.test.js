// live.test.js - the live room in two real browsers at once.  An organiser
// on a desktop opens a room, adds a poll, opens it and reveals its results,
// and puts the presenter screen up; a participant on a 375 px phone joins
// with the room's code, asks a question, upvotes it and answers the poll.
// The presenter screen shows the new question, its vote and the new tally
// within one second each, without a reload.  On the demo convention the
// presenter screen fills a 1920x1080, 1280x720 and 1024x768 display
// without scrolling (a poll with the top questions, the wall, a poll's
// open-text answers), leaving out whole the questions, cards and answers
// that do not fit.  Every page visited passes
// axe-core's WCAG 2.1 A and AA rules and loads without console or CSP
// errors; screenshots go to tests/artifacts/.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, ORGANISER, PARTICIPANT } = require('../http/lib.js');
const { launch, openPage, signIn, A11y, screenshot, startDemo } = require('./lib.js');

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

test('presenter_shows_a_phone_question_vote_and_tally_within_a_second', async () => {
	const a11y = new A11y();
	const org = await openPage(chrome.browser);
	const phone = await openPage(chrome.browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
	try {
		const op = org.page, pp = phone.page;

		/* the organiser opens a room and a poll */
		await signIn(op, srv.url, ORGANISER, '/live');
		await a11y.check(op, 'live rooms (organiser)');
		await op.getByLabel('Title').fill('Opening keynote');
		await op.getByRole('button', { name: 'Open the room' }).click();
		await op.waitForURL(/\/live\/\d+\/moderate$/);
		const room = /\/live\/(\d+)\/moderate$/.exec(op.url())[1];
		await op.getByLabel('Kind').selectOption('single');
		await op.getByRole('textbox', { name: 'Question' }).fill('Which principle matters most today?');
		await op.getByLabel(/^Choices/).fill('Shared purpose\nRelationships and trust\nShared results');
		await op.getByRole('button', { name: 'Add the poll as a draft' }).click();
		await op.getByRole('button', { name: /^Open/ }).click();
		await op.getByRole('button', { name: /^Reveal results/ }).click();
		await op.getByText('results shown').waitFor();
		await a11y.check(op, 'moderator page');
		await screenshot(op, 'live-1-moderate');
		const code = await op.locator('hgroup strong').first().textContent();

		await op.goto(`${srv.url}/live/${room}/present`);
		await op.getByRole('heading', { name: 'Which principle matters most today?' }).waitFor();
		await a11y.check(op, 'presenter screen');
		await screenshot(op, 'live-2-presenter-before');

		/* the participant joins from a phone with the code */
		await signIn(pp, srv.url, PARTICIPANT, '/join');
		await a11y.check(pp, 'join form (phone)');
		await pp.getByLabel('Join code').fill(code.toLowerCase());
		await pp.getByRole('button', { name: 'Join' }).click();
		await pp.waitForURL(`${srv.url}/live/${room}`);
		await a11y.check(pp, 'room (phone)');
		await screenshot(pp, 'live-3-phone-room');

		await pp.getByLabel('Your question').fill('How do we keep partners on board after the convention?');
		await pp.getByRole('button', { name: 'Ask', exact: true }).click();
		await pp.getByText('your question is up').waitFor();
		let t0 = Date.now();
		await op.getByText('How do we keep partners on board after the convention?').waitFor({ timeout: 1000 });
		const askMs = Date.now() - t0;
		await a11y.check(pp, 'room after asking (phone)');

		await pp.getByRole('button', { name: /^Upvote/ }).click();
		await pp.getByText('1 vote, including yours').waitFor();
		t0 = Date.now();
		await op.locator('.live-top-votes', { hasText: '1 vote' }).waitFor({ timeout: 1000 });
		const upvoteMs = Date.now() - t0;

		await pp.getByLabel('Relationships and trust').check();
		await pp.getByRole('button', { name: 'Send my answer' }).click();
		await pp.getByText('your vote is in').waitFor();
		t0 = Date.now();
		await op.locator('.live-total-n', { hasText: /^1$/ }).waitFor({ timeout: 1000 });
		const tallyMs = Date.now() - t0;
		await op.locator('svg.live-chart text', { hasText: '1 (100%)' }).waitFor({ timeout: 2000 });
		assert.match(op.url(), new RegExp(`/live/${room}/present$`), 'the presenter screen never reloaded');
		await a11y.check(pp, 'room after voting (phone)');
		await screenshot(pp, 'live-4-phone-voted');
		await a11y.check(op, 'presenter screen with the new question and tally');
		await screenshot(op, 'live-5-presenter-after');
		console.log(`presenter updated: question ${askMs} ms, upvote ${upvoteMs} ms, tally ${tallyMs} ms`);

		/* the facilitator's key closes the poll, the phone sees it closed */
		await op.keyboard.press('c');
		await pp.getByText('This poll is closed.').waitFor({ timeout: 2000 });
		await a11y.check(pp, 'room with the poll closed (phone)');

		assert.deepEqual([...org.problems, ...phone.problems], []);
		a11y.assertClean();
	} finally {
		await org.context.close();
		await phone.context.close();
	}
});

test('participant_without_javascript_asks_upvotes_and_votes_by_forms', async () => {
	const a11y = new A11y();
	const org = await openPage(chrome.browser);
	const phone = await openPage(chrome.browser, { viewport: { width: 375, height: 812 }, javaScriptEnabled: false });
	try {
		const op = org.page, pp = phone.page;

		await signIn(op, srv.url, ORGANISER, '/live');
		await op.getByLabel('Title').fill('Reflections without scripts');
		await op.getByRole('button', { name: 'Open the room' }).click();
		await op.waitForURL(/\/live\/\d+\/moderate$/);
		const room = /\/live\/(\d+)\/moderate$/.exec(op.url())[1];
		await op.getByLabel('Kind').selectOption('scale');
		await op.getByRole('textbox', { name: 'Question' }).fill('How ready do you feel?');
		await op.getByRole('button', { name: 'Add the poll as a draft' }).click();
		await op.getByRole('button', { name: /^Open/ }).click();

		await signIn(pp, srv.url, PARTICIPANT, `/live/${room}`);
		await pp.getByLabel('Your question').fill('Can we see the slides afterwards?');
		await pp.getByLabel(/Ask anonymously/).check();
		await pp.getByRole('button', { name: 'Ask', exact: true }).click();
		await pp.getByText('Can we see the slides afterwards?').waitFor();
		await pp.getByText('You asked this (anonymously)').waitFor();
		await pp.getByRole('button', { name: /^Upvote/ }).click();
		await pp.getByText('1 vote, including yours').waitFor();
		await pp.getByLabel('4').check();
		await pp.getByRole('button', { name: 'Send my answer' }).click();
		await pp.getByText('your vote is in').waitFor();
		assert.equal(await pp.getByLabel('4').isChecked(), true, 'the page shows the answer given');
		await a11y.checkTwin(chrome.browser, pp, 'room after voting without JavaScript (phone)');
		await screenshot(pp, 'live-6-phone-no-js');

		assert.deepEqual([...org.problems, ...phone.problems], []);
		a11y.assertClean();
	} finally {
		await org.context.close();
		await phone.context.close();
	}
});

// What of the presenter screen lies outside the display, and which of the
// lists' items are cut by their list's edge (shown in part).
async function overflow(page) {
	return page.evaluate(() => {
		const out = [];
		const de = document.documentElement;
		if (de.scrollHeight > window.innerHeight + 1 || de.scrollWidth > window.innerWidth + 1)
			out.push(`the page scrolls: ${de.scrollWidth}x${de.scrollHeight} in ${window.innerWidth}x${window.innerHeight}`);
		for (const sel of ['.live-title', '.live-screen h2', '.live-keys', '.live-qr', '.live-code']) {
			const e = document.querySelector(sel);
			if (!e)
				continue;
			const b = e.getBoundingClientRect();
			if (b.bottom > window.innerHeight + 1 || b.right > window.innerWidth + 1)
				out.push(`${sel} ends at ${Math.round(b.right)},${Math.round(b.bottom)}`);
		}
		for (const list of document.querySelectorAll('.live-top, .live-cards-big, .live-answers')) {
			const l = list.getBoundingClientRect();
			for (const li of list.children) {
				const b = li.getBoundingClientRect();
				const inside = b.left >= l.left - 1 && b.right <= l.right + 1 && b.top >= l.top - 1 && b.bottom <= l.bottom + 1;
				const outside = b.left >= l.right - 1 || b.top >= l.bottom - 1;
				if (!inside && !outside)
					out.push(`${list.className} item "${li.textContent.trim().slice(0, 40)}" is cut`);
			}
		}
		return out;
	});
}

test('presenter_screen_fits_the_display_without_scrolling', async (t) => {
	const url = await startDemo(t);
	const a11y = new A11y();
	const organiser = { email: 'organiser@example.org', password: 'collaborate-2027' };
	for (const [width, height] of [[1920, 1080], [1280, 720], [1024, 768]]) {
		const { context, page, problems } = await openPage(chrome.browser, { viewport: { width, height } });
		try {
			await signIn(page, url, organiser, '/live/1/present');
			await page.getByRole('heading', { name: 'Top questions' }).waitFor();
			const shown = await page.locator('.live-top > li').evaluateAll((lis) => lis.filter((li) => {
				const b = li.getBoundingClientRect(), l = li.parentElement.getBoundingClientRect();
				return b.left < l.right;
			}).length);
			assert.ok(shown >= 1, `${width}x${height}: no question shown below the poll`);
			assert.deepEqual(await overflow(page), [], `${width}x${height}, poll and questions`);
			const join = await page.locator('.live-join').textContent();
			assert.match(join.replace(/\s+/g, ' '), new RegExp(`Join at ${url.replace('http://', '')}/join/[A-Z0-9]+ `), 'the address without its scheme');
			if (width === 1920) {
				await a11y.check(page, 'presenter screen, demo keynote');
				await screenshot(page, 'live-fit-1-poll-1080p');
			}
			// the wall, and back
			await page.keyboard.press('w');
			await page.getByRole('heading', { name: 'Before the convention, you told us' }).waitFor();
			assert.ok(await page.locator('.live-cards-big > li').count() > 3, 'a full wall');
			assert.deepEqual(await overflow(page), [], `${width}x${height}, wall`);
			if (width === 1920) {
				await a11y.check(page, 'presenter screen, demo wall');
				await screenshot(page, 'live-fit-2-wall-1080p');
			}
			await page.keyboard.press('w');
			await page.getByRole('heading', { name: 'Top questions' }).waitFor();
			// thirty-six open-text answers, revealed, in the second room
			if (width === 1920) {
				await page.goto(`${url}/live/2/moderate`);
				await page.locator('.live-poll-card', { hasText: 'What will you do differently on Monday morning?' })
					.getByRole('button', { name: /^Make current/ }).click();
				await page.getByText(/current/).first().waitFor();
			}
			await page.goto(`${url}/live/2/present`);
			await page.getByRole('heading', { name: 'What will you do differently on Monday morning?' }).waitFor();
			assert.ok(await page.locator('.live-answers > li').count() > 20, 'many answers');
			assert.deepEqual(await overflow(page), [], `${width}x${height}, open text`);
			if (width === 1920)
				await screenshot(page, 'live-fit-3-text-1080p');
		} finally {
			await context.close();
		}
		assert.deepEqual(problems, []);
	}

	// the longest of everything: a 200-byte title, a 300-byte poll
	// question with twelve 100-byte choices, five 500-byte questions
	const words = (n, seed) => Array.from({ length: 400 }, (_, i) => ['shared', 'partners', 'county', 'outcomes',
		'together', 'residents', 'leadership', 'active'][(i * 7 + seed) % 8]).join(' ').slice(0, n).trim();
	const { context, page, problems } = await openPage(chrome.browser, { viewport: { width: 1280, height: 720 } });
	try {
		await signIn(page, url, organiser, '/live');
		await page.getByLabel('Title').fill(words(200, 1));
		await page.getByRole('button', { name: 'Open the room' }).click();
		await page.waitForURL(/\/live\/\d+\/moderate$/);
		const room = /\/live\/(\d+)\/moderate$/.exec(page.url())[1];
		await page.getByLabel('Kind').selectOption('single');
		await page.getByRole('textbox', { name: 'Question' }).fill(words(300, 2));
		await page.getByLabel(/^Choices/).fill(Array.from({ length: 12 }, (_, i) => `${i + 1} ${words(97, i)}`).join('\n'));
		await page.getByRole('button', { name: 'Add the poll as a draft' }).click();
		await page.getByRole('button', { name: /^Open/ }).click();
		await page.getByRole('button', { name: /^Reveal results/ }).click();
		await page.getByText('results shown').waitFor();
		await page.goto(`${url}/live/${room}`);
		for (let i = 0; i < 5; i++) {
			await page.getByLabel('Your question').fill(`${i + 1} ${words(497, i)}?`);
			await page.getByRole('button', { name: 'Ask', exact: true }).click();
			await page.getByText(`${i + 1} ${words(40, i)}`).first().waitFor();
		}
		for (const [width, height] of [[1280, 720], [1920, 1080]]) {
			await page.setViewportSize({ width, height });
			await page.goto(`${url}/live/${room}/present`);
			await page.getByRole('heading', { name: 'Top questions' }).waitFor();
			assert.deepEqual(await overflow(page), [], `${width}x${height}, the longest of everything`);
		}
		await screenshot(page, 'live-fit-4-longest-1080p');
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, []);
	a11y.assertClean();
});
