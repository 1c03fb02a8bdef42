// blog.test.js - the blog and the site's pages in a real browser: an
// organiser signs in, writes a post through the forms, previews it, sees
// a mistake refused, publishes it, and finds it on the public blog and the
// home page; adds a static page that joins the menu; a post holding a
// <script> and a javascript: link runs nothing and links nowhere; and on a
// 375 px phone without JavaScript the blog, a post and a page read without
// sideways scrolling.  Every page visited must pass axe-core's WCAG 2.1 A
// and AA rules and load without console or CSP errors.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, ORGANISER } = require('../http/lib.js');
const { launch, openPage, A11y, screenshot, startDemo } = require('./lib.js');

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

async function signIn(page) {
	await page.goto(srv.url + '/login');
	await page.getByLabel('Email address').fill(ORGANISER.email);
	await page.getByLabel('Password', { exact: true }).fill(ORGANISER.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL(srv.url + '/');
}

test('organiser_previews_and_publishes_a_post_that_appears_on_blog_and_home', async () => {
	const a11y = new A11y();
	const { context, page, problems } = await openPage(chrome.browser);
	try {
		await signIn(page);
		await visible(page.getByRole('link', { name: 'Blog', exact: true })).click();
		await page.waitForURL(srv.url + '/blog');
		await a11y.check(page, 'blog index (organiser, empty)');
		await page.getByRole('link', { name: 'Manage posts' }).click();
		await page.waitForURL(srv.url + '/admin/blog');
		await a11y.check(page, 'manage posts (empty)');
		await page.getByRole('link', { name: 'Write a new post' }).click();
		await page.waitForURL(srv.url + '/admin/blog/new');
		await a11y.check(page, 'new post form');

		// A mistake first: no title.  The form comes back with the error.
		await page.getByLabel('Text', { exact: true }).fill('Body without a title');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByText('this cannot be empty').waitFor();
		assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.getByLabel('Text', { exact: true }).inputValue(), 'Body without a title',
			'the text is kept');
		await a11y.check(page, 'post form with an error');

		await page.getByLabel('Title').fill('See you in Loughborough');
		await page.getByLabel('Summary').fill('Three things to know before you travel.');
		await page.getByLabel('Text', { exact: true }).fill(
			'## Before you come\n\nBring **comfortable shoes** and your answers to the two questions.\n\n' +
			'- Registration opens at 8:30\n- The [venue page](/pages/venue) has directions\n');
		await page.getByLabel('Published').check();
		await page.getByRole('button', { name: 'Preview' }).click();
		const preview = page.locator('section.preview');
		await preview.waitFor();
		assert.equal(await preview.locator('strong').textContent(), 'comfortable shoes');
		assert.equal(await preview.getByRole('heading', { name: 'Before you come' }).count(), 1);
		assert.equal(await page.getByLabel('Title').inputValue(), 'See you in Loughborough', 'the form is kept');
		assert.ok(await page.getByLabel('Published').isChecked(), 'the status is kept');
		await a11y.check(page, 'post form with the preview');
		await screenshot(page, 'blog-1-preview');

		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(srv.url + '/admin/blog');
		await page.getByText('The post is saved and published.').waitFor();
		await a11y.check(page, 'manage posts (one post)');

		// A visitor (a fresh context) sees it on the blog and the home page.
		const visitorCtx = await openPage(chrome.browser);
		try {
			const v = visitorCtx.page;
			await v.goto(srv.url + '/');
			const latest = v.locator('section.latest-posts');
			await latest.getByRole('link', { name: 'See you in Loughborough' }).waitFor();
			await a11y.check(v, 'home with latest posts');
			await v.goto(srv.url + '/blog');
			await v.getByText('Three things to know before you travel.').waitFor();
			await a11y.check(v, 'blog index');
			await v.getByRole('link', { name: 'See you in Loughborough' }).click();
			await v.waitForURL(srv.url + '/blog/see-you-in-loughborough');
			await v.getByRole('heading', { level: 1, name: 'See you in Loughborough' }).waitFor();
			assert.equal(await v.locator('.post-body strong').textContent(), 'comfortable shoes');
			await a11y.check(v, 'post page');
			await screenshot(v, 'blog-2-post');
		} finally {
			await visitorCtx.context.close();
		}
		assert.deepEqual(visitorCtx.problems, []);

		// A static page in the menu.
		await page.goto(srv.url + '/admin/pages');
		await a11y.check(page, 'manage pages (empty)');
		await page.getByRole('link', { name: 'Add a page' }).click();
		await a11y.check(page, 'new page form');
		await page.getByLabel('Menu order').fill('99999');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByText('use a whole number from 0 to 9999').waitFor();
		assert.equal(await page.getByLabel('Menu order').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');
		await a11y.check(page, 'page form with errors');
		await page.getByLabel('Title').fill('Venue');
		await page.getByLabel('Text', { exact: true }).fill('We meet at the **Riverside Conference Centre**.');
		await page.getByLabel('Show in the main menu').check();
		await page.getByLabel('Menu order', { exact: true }).fill('10');
		await page.getByRole('button', { name: 'Preview' }).click();
		await page.locator('section.preview strong').waitFor();
		await a11y.check(page, 'page form with the preview');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(srv.url + '/admin/pages');
		await a11y.check(page, 'manage pages (one page)');
		await page.getByLabel('Menu order of Venue').fill('-1');
		await page.getByRole('button', { name: 'Save the menu order' }).click();
		await page.getByText('use a whole number from 0 to 9999').waitFor();
		await a11y.check(page, 'menu order with an error');
		await page.getByLabel('Menu order of Venue').fill('5');
		await page.getByRole('button', { name: 'Save the menu order' }).click();
		await page.getByText('The menu order is saved.').waitFor();
		await visible(page.getByRole('link', { name: 'Venue', exact: true })).click();
		await page.waitForURL(srv.url + '/pages/venue');
		await page.getByText('Riverside Conference Centre').waitFor();
		await a11y.check(page, 'static page');
		await page.getByRole('link', { name: 'Edit this page' }).click();
		await a11y.check(page, 'edit page form');
		await page.goto(srv.url + '/admin/blog');
		await page.getByRole('link', { name: /Edit/ }).first().click();
		await a11y.check(page, 'edit post form');

		// The event's details, from the organiser tools on the account page.
		await page.goto(srv.url + '/account');
		await page.getByRole('link', { name: 'Event details' }).click();
		await page.waitForURL(srv.url + '/admin/event');
		await a11y.check(page, 'event details form');
		await page.getByLabel('Last day').fill('2020-01-01');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByText('The event cannot end before it starts.').waitFor();
		assert.equal(await page.getByLabel('Last day').getAttribute('aria-invalid'), 'true');
		await a11y.check(page, 'event details form with an error');
		await page.getByLabel('Last day').fill('2027-03-12');
		await page.getByLabel('Venue', { exact: true }).fill('Riverside Conference Centre');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByText('The event details are saved.').waitFor();
		await page.goto(srv.url + '/');
		await page.locator('.venue', { hasText: 'Riverside Conference Centre' }).waitFor();
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, [], 'no console errors, CSP violations or failed loads');
	a11y.assertClean();
});

test('script_and_javascript_link_in_a_post_do_nothing', async () => {
	const a11y = new A11y();
	const { context, page, problems } = await openPage(chrome.browser);
	const dialogs = [];
	page.on('dialog', async (d) => {
		dialogs.push(d.message());
		await d.dismiss();
	});
	try {
		await signIn(page);
		await page.goto(srv.url + '/admin/blog/new');
		await page.getByLabel('Title').fill('Hostile input');
		await page.getByLabel('Text', { exact: true }).fill(
			'<script>alert("script ran")</script>\n\n[press me](javascript:alert("link ran")) ' +
			'<img src=x onerror=alert("img ran")>\n');
		await page.getByLabel('Published').check();
		await page.getByRole('button', { name: 'Preview' }).click();
		await page.locator('section.preview').waitFor();
		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(srv.url + '/admin/blog');
		await page.goto(srv.url + '/blog/hostile-input');
		const body = page.locator('.post-body');
		await body.getByText('<script>alert("script ran")</script>').waitFor();
		assert.equal(await body.locator('script').count(), 0);
		assert.equal(await body.locator('img').count(), 0);
		const words = body.getByText('press me');
		assert.equal(await words.getAttribute('href'), null, 'the javascript: link has no address');
		await words.click();
		await page.waitForTimeout(200);
		await a11y.check(page, 'post with hostile input');
	} finally {
		await context.close();
	}
	assert.deepEqual(dialogs, [], 'no script ran');
	assert.deepEqual(problems, []);
	a11y.assertClean();
});

test('blog_post_and_page_fit_a_phone_without_javascript', async () => {
	const a11y = new A11y();
	const phone = { viewport: { width: 375, height: 740 }, javaScriptEnabled: false, isMobile: true, hasTouch: true };
	const { context, page, problems } = await openPage(chrome.browser, phone);
	try {
		for (const p of ['/blog', '/blog/see-you-in-loughborough', '/pages/venue', '/']) {
			const r = await page.goto(srv.url + p);
			assert.equal(r.status(), 200, p);
			const width = await page.evaluate('document.documentElement.scrollWidth');
			assert.ok(width <= 375, `${p} is ${width} px wide`);
			await a11y.checkTwin(chrome.browser, page, `${p} on a phone`);
		}
		await page.locator('details.nav-phone > summary').click();
		await page.locator('details.nav-phone').getByRole('link', { name: 'Venue' }).click();
		await page.waitForURL(srv.url + '/pages/venue');
		await screenshot(page, 'blog-3-phone-page');
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, []);
	a11y.assertClean();
});

test('demo_post_and_pages_are_in_the_menu_and_accessible', async (t) => {
	const url = await startDemo(t);
	const a11y = new A11y();
	const { context, page, problems } = await openPage(chrome.browser);
	try {
		await page.goto(url + '/');
		const menu = page.locator('.nav-wide');
		const labels = await menu.getByRole('link').allTextContents();
		const at = (l) => labels.indexOf(l);
		assert.ok(at('Blog') >= 0 && at('Blog') < at('Venue') && at('Venue') < at('Accessibility') &&
			at('Accessibility') < at('Code of conduct'), `menu order: ${labels.join(', ')}`);
		await page.locator('section.latest-posts').getByRole('link', { name: 'Why collaborative leadership?' }).waitFor();
		await a11y.check(page, 'demo home');
		await screenshot(page, 'blog-4-demo-home');
		await page.locator('section.latest-posts').getByRole('link', { name: 'Why collaborative leadership?' }).click();
		await page.getByRole('heading', { name: 'Two questions to bring' }).waitFor();
		await a11y.check(page, 'demo welcome post');
		for (const [label, text] of [['Venue', 'Canal Street, Loughborough'], ['Accessibility', 'hearing loop'],
			['Code of conduct', 'If something goes wrong']]) {
			await menu.getByRole('link', { name: label, exact: true }).click();
			await page.getByText(text).first().waitFor();
			await a11y.check(page, `demo page ${label}`);
		}
		await page.goto(url + '/blog');
		await a11y.check(page, 'demo blog');
	} finally {
		await context.close();
	}
	assert.deepEqual(problems, []);
	a11y.assertClean();
});
