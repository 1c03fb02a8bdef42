// lib.js - shared helpers for the browser tests: launch Debian's Chromium
// through playwright-core (headless, sandbox off, no network chatter, a
// fresh profile per launch), open pages that record every console error,
// failed request and Content-Security-Policy violation, run axe-core
// (WCAG 2.0/2.1 A and AA) on a page and say readably what it found, save
// screenshots to tests/artifacts/, and start the demo convention.
//
// It must not talk to anything but the colead server under test on
// 127.0.0.1, and it never loosens the page's CSP: axe is injected through
// the DevTools protocol (page.evaluate), which the page's policy does not
// govern, so a page that breaks its own policy still shows up as broken.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');
const { waitExit, BIN, SLOW } = require('../http/lib.js');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const ARGS = [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage',
];

// Launch Chromium with a fresh profile directory of our own, removed when
// the browser closes.  Returns { browser, close() }.  launch() gives every
// context it makes a clean slate; the profile directory holds Chromium's
// own state and is never reused.
async function launch() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-chromium-'));
	let browser;
	try {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ARGS,
			env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile, HOME: profile },
			timeout: 60000,
		});
	} catch (e) {
		fs.rmSync(profile, { recursive: true, force: true });
		throw e;
	}
	return {
		browser,
		async close() {
			try {
				await browser.close();
			} finally {
				fs.rmSync(profile, { recursive: true, force: true });
			}
		},
	};
}

// A new context and page that record what went wrong while loading.
// opts: playwright context options (viewport, javaScriptEnabled, ...).
// Returns { context, page, problems } where problems is a list of strings.
async function openPage(browser, opts = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', ...opts });
	const page = await context.newPage();
	page.setDefaultTimeout(15000);
	const problems = [];
	page.on('console', (msg) => {
		// Failed loads are judged by the response handler below, which
		// knows a page may be a 4xx on purpose; Chromium logs those too.
		if (msg.type() === 'error' && !/^Failed to load resource: the server responded/.test(msg.text()))
			problems.push(`console error on ${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
	page.on('requestfailed', (req) => {
		const f = req.failure();
		// A navigation cut short by the next one is not a failure.
		if (f && !/ERR_ABORTED/.test(f.errorText))
			problems.push(`request failed: ${req.method()} ${req.url()}: ${f.errorText}`);
	});
	page.on('response', (res) => {
		const u = new URL(res.url());
		// Sub-resources (CSS, JS, images) must all load; pages may be 4xx on purpose.
		if (res.status() >= 400 && res.request().resourceType() !== 'document')
			problems.push(`${res.status()} for ${u.pathname}`);
	});
	return { context, page, problems };
}

// The readable form of axe's violations.
function formatViolations(label, violations) {
	const lines = [`${violations.length} accessibility violation(s) on ${label}:`];
	for (const v of violations) {
		lines.push(`  [${v.impact}] ${v.id}: ${v.help}  (${v.helpUrl})`);
		for (const n of v.nodes.slice(0, 5)) {
			lines.push(`      at ${n.target.join(' ')}`);
			lines.push(`         ${n.html.slice(0, 160).replace(/\s+/g, ' ')}`);
			if (n.failureSummary)
				lines.push(...n.failureSummary.split('\n').map((s) => `         ${s}`));
		}
		if (v.nodes.length > 5)
			lines.push(`      ... and ${v.nodes.length - 5} more`);
	}
	return lines.join('\n');
}

// Run axe-core on the page as it is now.  Returns the list of violations
// (empty when clean) and prints them when there are any.
async function axe(page, label) {
	const has = await page.evaluate('typeof window.axe === "object"');
	if (!has)
		await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate(async (tags) => {
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
		}));
	}, AXE_TAGS);
	if (result.length)
		console.log(formatViolations(label || page.url(), result));
	return result;
}

// Collects axe results over a whole test, so every page is checked and all
// their violations are reported together at the end.
class A11y {
	constructor() {
		this.found = [];
		this.pages = 0;
	}

	async check(page, label) {
		const v = await axe(page, label);
		this.pages++;
		if (v.length)
			this.found.push(formatViolations(label || page.url(), v));
		return v;
	}

	// For a page of a javaScriptEnabled: false context (see axeTwin).
	async checkTwin(browser, page, label, prepare) {
		const v = await axeTwin(browser, page, label, prepare);
		this.pages++;
		if (v.length)
			this.found.push(formatViolations(`${label} (no-JavaScript page, checked in a twin)`, v));
		return v;
	}

	// Throw with every violation seen, if any.
	assertClean() {
		if (this.found.length)
			throw new Error(`axe found violations on ${this.found.length} of ${this.pages} page(s):\n${this.found.join('\n')}`);
	}
}

// axe cannot run inside a javaScriptEnabled: false context: with
// Chromium 156 and playwright-core 1.57 the first timer axe sets closes the
// page (seen with plain CDP Runtime.evaluate too).  So a page from such a
// context is checked in a twin: a JS-enabled context with the same
// viewport and cookies, at the same URL, after prepare(page) has replayed
// what the test did there (opening a menu).  The markup is what the server
// sent either way; only scripts differ.
async function axeTwin(browser, page, label, prepare) {
	const ctx = page.context();
	const state = await ctx.storageState();
	const twin = await browser.newContext({ viewport: page.viewportSize(), locale: 'en-GB', storageState: state });
	try {
		const p = await twin.newPage();
		await p.goto(page.url());
		if (prepare)
			await prepare(p);
		return await axe(p, `${label} (checked in a JavaScript-enabled twin)`);
	} finally {
		await twin.close();
	}
}

// Save a full-page screenshot as tests/artifacts/NAME.png.
async function screenshot(page, name) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const file = path.join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

// Sign page in as who ({ email, password }) at base through the login
// form, landing on next.
async function signIn(page, base, who, next) {
	await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
	await page.getByLabel('Email address').fill(who.email);
	await page.getByLabel('Password', { exact: true }).fill(who.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL(base + next);
}

// `colead demo` on a fresh SQLite file, stopped (and checked) by t.after;
// resolves its base URL.
async function startDemo(t) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-demo-'));
	const proc = spawn(BIN, ['demo', '--db', `sqlite:${path.join(dir, 'demo.db')}`, '--listen', '127.0.0.1:0'],
		{ cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '', err = '';
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { err += d; });
	t.after(async () => {
		proc.kill('SIGTERM');
		const r = await waitExit(proc, 10000 * SLOW);
		fs.rmSync(dir, { recursive: true, force: true });
		assert.ok(r && r.code === 0, `colead demo exited ${r ? r.code : 'late'}\n${err.slice(-2000)}`);
		assert.doesNotMatch(err, /AddressSanitizer|runtime error:/);
	});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`colead demo did not start:\n${err}`)), 60000 * SLOW);
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			out += d;
			const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		proc.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`colead demo exited ${code}:\n${err}`));
		});
	});
}

module.exports = { launch, openPage, signIn, startDemo, axe, axeTwin, A11y, screenshot, formatViolations, ARTIFACTS, CHROMIUM, AXE_TAGS };
