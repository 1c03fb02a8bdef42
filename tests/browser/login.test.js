// login.test.js - a person signs in and out in a real browser: from the
// home page through "Log in", a wrong password, the right one, their name
// in the header, the account page, and "Log out" in the header.  On a
// 375 px phone with JavaScript off, the menu opens (a <details>) and the
// whole sign-in still works.  Every page visited must pass axe-core's WCAG
// 2.1 A and AA rules, load without console or CSP errors, and is
// screenshotted into tests/artifacts/.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, ORGANISER } = require('../http/lib.js');
const { launch, openPage, A11y, screenshot } = require('./lib.js');

const WRONG = 'The email address or password is not right.';

let srv, chrome;

test.before(async () => {
	srv = await startServer({ users: [ORGANISER] });
	chrome = await launch();
});

test.after(async () => {
	if (chrome)
		await chrome.close();
	if (srv)
		await srv.cleanup();
});

// The first visible element a locator matches.
function visible(locator) {
	return locator.filter({ visible: true }).first();
}

test('organiser_logs_in_and_out_from_the_header', async () => {
	const a11y = new A11y();
	const { context, page, problems } = await openPage(chrome.browser);
	try {
		let r = await page.goto(srv.url + '/');
		assert.equal(r.status(), 200);
		await a11y.check(page, 'home (visitor)');
		await screenshot(page, 'desktop-1-home');

		await visible(page.getByRole('link', { name: 'Log in', exact: true })).click();
		await page.waitForURL(/\/login(\?|$)/);
		await a11y.check(page, 'login form');
		await screenshot(page, 'desktop-2-login');

		// A wrong password: the form again, with the message.
		await page.getByLabel('Email address').fill(ORGANISER.email);
		await page.getByLabel('Password', { exact: true }).fill('not my password at all');
		await page.getByRole('button', { name: 'Log in' }).click();
		await assert.doesNotReject(page.getByText(WRONG).waitFor(), 'the wrong-password message shows');
		await a11y.check(page, 'login form with an error');
		await screenshot(page, 'desktop-3-login-error');

		await page.getByLabel('Email address').fill(ORGANISER.email);
		await page.getByLabel('Password', { exact: true }).fill(ORGANISER.password);
		await page.getByRole('button', { name: 'Log in' }).click();
		await page.waitForURL(srv.url + '/');
		await visible(page.getByText(ORGANISER.name)).waitFor();
		assert.equal(await visible(page.getByRole('link', { name: 'Log in', exact: true })).count(), 0,
			'no "Log in" link while signed in');
		await a11y.check(page, 'home (signed in)');
		await screenshot(page, 'desktop-4-signed-in');

		r = await page.goto(srv.url + '/account');
		assert.equal(r.status(), 200);
		await visible(page.getByText(ORGANISER.email)).waitFor();
		await a11y.check(page, 'account');
		await screenshot(page, 'desktop-5-account');

		await visible(page.getByRole('button', { name: 'Log out' })).click();
		await page.waitForURL(srv.url + '/');
		await visible(page.getByRole('link', { name: 'Log in', exact: true })).waitFor();
		assert.equal(await page.getByText(ORGANISER.name).count(), 0, 'the name is gone after logout');
		await a11y.check(page, 'home (after logout)');
		await screenshot(page, 'desktop-6-logged-out');

		r = await page.goto(srv.url + '/no/such/page');
		assert.equal(r.status(), 404);
		await a11y.check(page, '404 page');
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, [], 'no console errors, CSP violations or failed loads');
	a11y.assertClean();
});

test('phone_menu_and_login_work_without_javascript', async () => {
	const a11y = new A11y();
	const phone = { viewport: { width: 375, height: 740 }, javaScriptEnabled: false, isMobile: true, hasTouch: true };
	const { context, page, problems } = await openPage(chrome.browser, phone);
	const openMenu = async (p) => {
		await p.locator('details.nav-phone > summary').click();
	};
	try {
		const r = await page.goto(srv.url + '/');
		assert.equal(r.status(), 200);
		const menu = page.locator('details.nav-phone');
		const summary = menu.locator('summary');
		await summary.waitFor();
		assert.ok(await summary.isVisible(), 'the menu button shows on a phone');
		assert.equal(await menu.getAttribute('open'), null, 'the menu starts closed');
		const links = menu.locator('a');
		assert.ok(await links.count() > 0, 'the menu has links');
		assert.equal(await links.first().isVisible(), false, 'closed menu hides its links');
		await screenshot(page, 'phone-1-home');

		await summary.click();
		const loginLink = menu.getByRole('link', { name: 'Log in', exact: true });
		await loginLink.waitFor({ state: 'visible' });
		for (let i = 0; i < await links.count(); i++)
			assert.ok(await links.nth(i).isVisible(), `menu link ${i} shows once opened`);
		await screenshot(page, 'phone-2-menu-open');
		await a11y.checkTwin(chrome.browser, page, 'home, phone, menu open', openMenu);

		await loginLink.click();
		await page.waitForURL(/\/login(\?|$)/);
		await a11y.checkTwin(chrome.browser, page, 'login form, phone');
		await page.getByLabel('Email address').fill(ORGANISER.email);
		await page.getByLabel('Password', { exact: true }).fill(ORGANISER.password);
		await page.getByRole('button', { name: 'Log in' }).click();
		await page.waitForURL(srv.url + '/');

		await summary.click();
		await menu.getByText(ORGANISER.name).waitFor({ state: 'visible' });
		await screenshot(page, 'phone-3-signed-in-menu');
		await a11y.checkTwin(chrome.browser, page, 'home, phone, signed in, menu open', openMenu);

		await menu.getByRole('button', { name: 'Log out' }).click();
		await page.waitForURL(srv.url + '/');
		await summary.click();
		await menu.getByRole('link', { name: 'Log in', exact: true }).waitFor({ state: 'visible' });
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, [], 'no console errors, CSP violations or failed loads');
	a11y.assertClean();
});
