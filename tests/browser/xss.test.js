// xss.test.js - the cross-site-scripting battery.  Hostile strings are
// stored through every text input the signed-in organiser (who has every
// role) and a participant can reach: every POST form found on every page,
// filled with a different payload per field, plus names given through the
// CLI.  Then every page of `colead routes` and every same-site link found
// from them is rendered in Chromium, as the organiser and as a visitor,
// twice: once with the page's own CSP (a securitypolicyviolation for a
// script means a payload got into the page as code) and once with the CSP
// bypassed (so an injected script would really run).  Any dialog, any
// call of the __xss trap the payloads aim at, any script error from a
// payload, any on* attribute or javascript: URL in the DOM fails the test.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, coleadOk } = require('../http/lib.js');
const sec = require('../http/security_lib.js');
const { launch } = require('./lib.js');

const PAYLOADS = [
	'<script>__xss(1)</script>',
	'"><img src=x onerror=__xss(2)>',
	"'><svg onload=__xss(3)>",
	'javascript:__xss(4)',
	'[click me](javascript:__xss(5)) [data](data:text/html,<script>__xss(5)</script>)',
	'<a href="javascript:__xss(6)">six</a>',
	'{{csrf}} {{{flash}}} {{>layout}} {{=<% %>=}}',
	'</textarea><script>__xss(8)</script>',
	'</title><script>__xss(9)</script>',
	'" autofocus onfocus=__xss(10) x="',
	'<iframe srcdoc="<script>parent.__xss(11)</script>"></iframe>',
	'![x](x" onerror="__xss(12))',
	'<details open ontoggle=__xss(13)>',
	'\u2028\u2029</script><script>__xss(14)</script>',
	'<img src=x onerror=alert(15)>',
	'[a](JaVaScRiPt:__xss(16)) [b]( java\tscript:__xss(16)) [c](&#106;avascript:__xss(16))',
	'<math><mtext><table><mglyph><style><img src=x onerror=__xss(17)>',
	'&lt;script&gt;__xss(18)&lt;/script&gt;',
	'%3Cscript%3E__xss(19)%3C%2Fscript%3E',
	'<a href=" &#14;javascript:__xss(20)">twenty</a>',
	'<<script>script>__xss(21)<</script>/script>',
	'<svg><script>__xss(22)</script></svg>',
	'"-__xss(23)-"\';__xss(23);//',
	'<object data="javascript:__xss(24)"></object><embed src="javascript:__xss(24)">',
	'<form action="javascript:__xss(25)"><button>go</button></form>',
	'<base href="javascript:__xss(26)//">',
	'<meta http-equiv="refresh" content="0;url=javascript:__xss(27)">',
	'<style>*{background:url("javascript:__xss(28)")}</style>',
];

// Pages rendered per crawl (the crawl follows links breadth first, so the
// routes themselves come first).
const PAGES_MAX = Number(process.env.COLEAD_XSS_PAGES || 80);

// Form actions not to submit: they end sessions, destroy data the other
// forms need, send mail, or want files.
const SKIP_ACTION = /logout|delete|erase|merge|password|invitations|import|order$|\/next$|directory/;

// Fields that must hold a well-formed value for the form to be accepted.
function fieldText(k) {
	return (name, type) => {
		if (!/^(text|textarea|search)$/.test(type))
			return undefined;
		if (/slug/i.test(name))
			return `xss-${k}-${Math.floor(Math.random() * 1e6)}`;
		const hour = String(5 + (k % 15)).padStart(2, '0');
		if (name === 'start')
			return `${hour}:05`;	/* agenda sessions: early, so rooms are free */
		if (name === 'end')
			return `${hour}:50`;
		if (name === 'capacity')
			return '10';
		if (/code|date|time|start|end|_at$|capacity|order|position|url|email|phone|day|room|track|minutes|seats/i.test(name))
			return undefined;
		return PAYLOADS[k % PAYLOADS.length];
	};
}

// Every <form method="post"> of html: [{ action, start }].
function postForms(html) {
	const out = [];
	for (const m of html.matchAll(/<form\b[^>]*>/gi)) {
		if (!/method="post"/i.test(m[0]))
			continue;
		const a = /action="([^"]*)"/i.exec(m[0]);
		out.push({ action: a ? a[1].replace(/&amp;/g, '&') : null, tag: m[0] });
	}
	return out;
}

test('no_stored_payload_runs_on_any_page', async (t) => {
	const db = await sec.demoDatabase('sqlite');
	t.after(() => db.drop());
	// Names are text inputs too (the CLI and the import).
	for (let i = 0; i < 4; i++)
		coleadOk(['user', 'add', `xss${i}@example.org`, '--name', PAYLOADS[i * 5 % PAYLOADS.length].slice(0, 100),
			'--role', 'participant', '--password-stdin', '--db', db.url], { input: `${sec.PASSWORD}\n` });
	const srv = await startServer(t, { dbUrl: db.url, args: ['--post-rate', '0'] });	/* many forms a minute */
	const who = await sec.clients(srv.url);
	const values = sec.paramValues(db);
	const list = sec.routes();
	const gets = list.filter((r) => r.method === 'GET' && !r.flags.has('bare') && !r.flags.has('prefix'));

	// Store: every POST form on every page the organiser-of-all and a
	// participant can open, several times with different payloads.
	let stored = 0, refused = 0, k = 0;
	const refusedAt = new Set();
	const formsSeen = new Set();
	for (const [name, c] of [['everyone', who.everyone], ['partA', who.partA]]) {
		for (const rt of gets) {
			const p = sec.fill(rt.pattern, values);
			const page = await sec.probe(c, 'GET', p);
			if (page.status !== 200 || !/text\/html/.test(page.headers.get('content-type') || ''))
				continue;
			for (const f of postForms(page.text)) {
				const action = f.action || p;
				if (SKIP_ACTION.test(action))
					continue;
				formsSeen.add(`${name} ${action}`);
				for (let round = 0; round < 2; round++, k++) {
					const fresh = await sec.probe(c, 'GET', p);
					let form;
					try {
						form = sec.fillForm(fresh.text, fieldText(k), f.tag);
					} catch (e) {
						continue;
					}
					if (!form.some(([, v]) => PAYLOADS.includes(v)))
						break;	/* no text field: nothing to store */
					const r = await sec.probe(c, 'POST', action, form);
					assert.ok(r.status < 500, `POST ${action} with payloads answered ${r.status}`);
					if (r.status === 303 || r.status === 200) {
						stored++;
					} else {
						refused++;
						refusedAt.add(`${action} ${r.status}`);
					}
				}
			}
		}
	}
	t.diagnostic(`${PAYLOADS.length} payloads; ${formsSeen.size} forms; ${stored} submissions stored, ${refused} refused (${[...refusedAt].join(', ')})`);
	assert.ok(stored >= 10, `enough payloads were stored (${stored})`);

	// Render: every GET route and the same-site links found from them.
	const chrome = await launch();
	t.after(() => chrome.close());
	const problems = [];
	let rendered = 0;
	const crawl = async (label, cookies, bypassCSP) => {
		const context = await chrome.browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
		if (cookies)
			await context.addCookies(cookies);
		await context.addInitScript(() => {
			window.__xssHits = [];
			window.__xss = (n) => { window.__xssHits.push(n); };
			document.addEventListener('securitypolicyviolation', (e) => {
				if (/^script-src/.test(e.effectiveDirective || e.violatedDirective))
					window.__xssHits.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'}: ${e.sample || ''}`);
			});
		});
		const page = await context.newPage();
		page.setDefaultTimeout(15000);
		page.on('dialog', async (d) => {
			problems.push(`${label}: a dialog opened on ${page.url()}: ${d.message()}`);
			await d.dismiss().catch(() => {});
		});
		page.on('pageerror', (e) => {
			if (/__xss|alert/.test(e.message))
				problems.push(`${label}: payload code ran on ${page.url()}: ${e.message}`);
		});
		const queue = gets.map((r) => sec.fill(r.pattern, values));
		const seen = new Set();
		while (queue.length && seen.size < PAGES_MAX) {
			const p = queue.shift();
			if (seen.has(p) || /\/events$|\.xlsx$|\.csv$|\/logout/.test(p))
				continue;
			seen.add(p);
			let res;
			try {
				res = await page.goto(srv.url + p, { waitUntil: 'load' });
			} catch (e) {
				if (!/ERR_ABORTED|download/i.test(e.message))
					problems.push(`${label}: cannot open ${p}: ${e.message}`);
				continue;
			}
			rendered++;
			await page.waitForTimeout(20);
			const found = await page.evaluate(() => {
				const bad = [...(window.__xssHits || [])].map(String);
				for (const el of document.querySelectorAll('*')) {
					for (const a of el.attributes) {
						if (/^on/i.test(a.name))
							bad.push(`<${el.localName} ${a.name}="${a.value.slice(0, 40)}">`);
						if (/^(href|src|action|formaction|data|srcdoc)$/i.test(a.name) &&
						    /^\s*(javascript|data|vbscript):|<script/i.test(a.value))
							bad.push(`<${el.localName} ${a.name}="${a.value.slice(0, 60)}">`);
					}
					if (el.localName === 'script' && /__xss|alert/.test(el.textContent))
						bad.push(`<script>${el.textContent.slice(0, 60)}</script>`);
					if (/^(iframe|object|embed|base|meta)$/.test(el.localName) && el.closest('main'))
						bad.push(`<${el.localName}> inside the page content`);
				}
				const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
				return { bad, links };
			}).catch((e) => ({ bad: [], links: [], err: e.message }));
			for (const b of found.bad)
				problems.push(`${label}: ${p} (${res ? res.status() : '?'}): ${b}`);
			for (const l of found.links)
				if (l.startsWith('/') && !l.startsWith('//') && !l.startsWith('/static/'))
					queue.push(l.split('#')[0]);
		}
		await context.close();
	};
	const jar = (c) => [...c.jar].map(([name, value]) => ({ name, value, url: srv.url }));
	await crawl('organiser, CSP on', jar(who.everyone), false);
	await crawl('organiser, CSP bypassed', jar(who.everyone), true);
	await crawl('visitor, CSP bypassed', null, true);
	await crawl('participant, CSP bypassed', jar(who.partA), true);
	t.diagnostic(`${rendered} page renders checked`);
	assert.deepEqual(problems, [], `payloads that reached a page as code:\n${problems.join('\n')}`);
});
