// security_lib.js - what the security tests (security_*.test.js,
// crash.test.js, tests/browser/xss.test.js) share: the list of routes as
// `colead routes` prints it, a demo database with one person per role, a
// plausible value for every :param of a pattern on that database, and a
// signed-in client per role.  It starts servers only through lib.js, and
// reads the demo database only with the sqlite3 CLI (or psql).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	BIN, coleadOk, freshDatabase, addUser, loggedIn, psql, SLOW,
} = require('./lib.js');

// Every route: [{ method, pattern, flags: Set, key: 'METHOD PATTERN' }].
function routes() {
	const r = coleadOk(['routes']);
	const out = [];
	for (const line of r.stdout.split('\n')) {
		if (!line.trim())
			continue;
		const m = /^(\S+) (\S+) (\S+)$/.exec(line);
		if (!m)
			throw new Error(`colead routes printed a line that is not "METHOD PATTERN FLAGS": ${line}`);
		const flags = new Set(m[3] === '-' ? [] : m[3].split(','));
		out.push({ method: m[1], pattern: m[2], flags, key: `${m[1]} ${m[2]}` });
	}
	if (out.length < 10)
		throw new Error(`colead routes printed only ${out.length} routes`);
	return out;
}

// The people of the security tests, one per role.  Partnership names come
// from data/partnerships.csv (which the demo loads).
const PARTNERSHIP_A = 'RISE';
const PARTNERSHIP_B = 'Active Cumbria';
const PASSWORD = 'a long enough test password';
const ROLES = {
	partA: { email: 'part-a@example.org', name: 'Pat A Participant', role: 'participant', partnership: PARTNERSHIP_A },
	partB: { email: 'part-b@example.org', name: 'Pam B Participant', role: 'participant', partnership: PARTNERSHIP_B },
	lead: { email: 'lead-a@example.org', name: 'Lee A Lead', role: 'lead', partnership: PARTNERSHIP_A },
	facilitator: { email: 'fac@example.org', name: 'Fay Facilitator', role: 'facilitator', partnership: PARTNERSHIP_B },
	speaker: { email: 'speaker@example.org', name: 'Sam Speaker', role: 'speaker', partnership: PARTNERSHIP_B },
	organiser: { email: 'org@example.org', name: 'Oli Organiser', role: 'organiser', partnership: PARTNERSHIP_A },
};
// Someone with every role: passes any role check, so the CSRF check is reached.
const EVERYONE = { email: 'all@example.org', name: 'Alex Allroles', role: 'organiser', partnership: PARTNERSHIP_A,
	more: ['facilitator', 'speaker', 'participant', 'lead'] };

// Create a demo database (`colead demo --force`, stopped once it listens),
// then add the people of ROLES and EVERYONE.  Returns { url, dir, file,
// drop() }; file is the SQLite file (or null on PostgreSQL).
async function demoDatabase(kind = 'sqlite') {
	const db = freshDatabase(kind);
	await new Promise((resolve, reject) => {
		const proc = spawn(BIN, ['demo', '--db', db.url, '--force', '--listen', '127.0.0.1:0'],
			{ cwd: db.dir, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`colead demo did not listen:\n${err}`)); },
			60000 * SLOW);
		proc.stdout.on('data', (d) => {
			out += d;
			if (/^listening on /m.test(out))
				proc.kill('SIGTERM');
		});
		proc.stderr.on('data', (d) => { err += d; });
		proc.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (/^listening on /m.test(out) && (code === 0 || signal === 'SIGTERM'))
				resolve();
			else
				reject(new Error(`colead demo exited ${code === null ? signal : code} before listening:\n${err}`));
		});
	});
	for (const u of [...Object.values(ROLES), EVERYONE]) {
		addUser(db.url, { ...u, password: PASSWORD });
		for (const r of u.more || [])
			coleadOk(['user', 'role', u.email, r, '--db', db.url]);
	}
	db.file = kind === 'sqlite' ? db.url.slice('sqlite:'.length) : null;
	return db;
}

// One value from the database: sqlite3 CLI on SQLite, psql on PostgreSQL.
function sql(db, query) {
	if (db.file) {
		const r = spawnSync('sqlite3', ['-batch', '-noheader', db.file, query], { encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`sqlite3 ${query}: ${r.stderr}`);
		return r.stdout.trim();
	}
	const r = spawnSync('psql', [db.url, '-X', '-q', '-A', '-t', '-c', query], { encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(`psql ${query}: ${r.stderr}`);
	return r.stdout.trim();
}

// Values for the :params of patterns on a demo database: an id that
// exists (1 when nothing better is known), the first page and post slug,
// a question set, a live room's code.
function paramValues(db) {
	const one = (q, dflt) => {
		try {
			const v = sql(db, q).split('\n')[0];
			return v === '' ? dflt : v;
		} catch (e) {
			return dflt;
		}
	};
	return {
		id: '1', qid: '1', pid: '1', wid: '1',
		slug: one('SELECT slug FROM pages ORDER BY id LIMIT 1', 'about'),
		postslug: one('SELECT slug FROM posts ORDER BY id LIMIT 1', 'welcome'),
		set: one('SELECT slug FROM question_sets ORDER BY id LIMIT 1', 'pre'),
		code: one('SELECT code FROM live_rooms ORDER BY id LIMIT 1', 'ABCD'),
		token: 'not-a-real-token',
		'*': 'css/colead.css',
	};
}

// The path for a pattern, its :params filled from values.
function fill(pattern, values) {
	return pattern.split('/').map((seg) => {
		if (seg === '*')
			return values['*'];
		if (!seg.startsWith(':'))
			return seg;
		const name = seg.slice(1);
		if (name === 'slug' && pattern.startsWith('/blog/'))
			return encodeURIComponent(values.postslug);
		if (!(name in values))
			throw new Error(`no value for :${name} in ${pattern}: add one to paramValues()`);
		return encodeURIComponent(values[name]);
	}).join('/');
}

// A signed-in client per role of ROLES (and 'everyone').
async function clients(base) {
	const c = {};
	for (const [name, u] of Object.entries(ROLES))
		c[name] = await loggedIn(base, u.email, PASSWORD);
	c.everyone = await loggedIn(base, EVERYONE.email, PASSWORD);
	return c;
}

// One request from client (a lib.js Client) that does not wait for the
// body of an event stream: resolves { status, headers, location, text }
// (text '' for a stream).  form: fields sent urlencoded on POST.
async function probe(client, method, p, form, headers = {}) {
	const h = { ...headers };
	const cookies = client.cookieHeader();
	if (cookies)
		h.cookie = cookies;
	let body;
	if (method === 'POST') {
		if (!('origin' in h))
			h.origin = client.base;
		h['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(form || {}).toString();
	}
	const ac = new AbortController();
	const res = await fetch(new URL(p, client.base), { method, headers: h, body, redirect: 'manual', signal: ac.signal });
	let text = '';
	if (/text\/event-stream/.test(res.headers.get('content-type') || ''))
		ac.abort();
	else
		text = await res.text();
	return { status: res.status, headers: res.headers, location: res.headers.get('location'), text };
}

// The fields of the first form in html after `after` (a string that must
// come before it, e.g. 'action="/admin/blog/new"'), filled as a person
// would: hidden fields kept, every text field and textarea set to
// text(name) (or left as is when text returns undefined), the first
// radio, checkbox and option chosen.  Returns [[name, value], ...].
function fillForm(html, text, after = '<form') {
	const start = html.indexOf(after);
	if (start < 0)
		throw new Error(`no form ${after} in the page`);
	const end = html.indexOf('</form>', start);
	const f = html.slice(start, end < 0 ? undefined : end);
	const dec = (v) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
	const out = [], chosen = new Set();
	const attr = (tag, a) => { const m = new RegExp(`\\b${a}="([^"]*)"`).exec(tag); return m ? dec(m[1]) : undefined; };
	for (const m of f.matchAll(/<(input|textarea|select)\b[^>]*>/g)) {
		const tag = m[0], name = attr(tag, 'name');
		if (!name)
			continue;
		const type = (attr(tag, 'type') || (m[1] === 'input' ? 'text' : m[1])).toLowerCase();
		if (type === 'hidden') {
			out.push([name, attr(tag, 'value') || '']);
		} else if (type === 'radio' || type === 'checkbox') {
			if (!chosen.has(name)) {
				chosen.add(name);
				out.push([name, attr(tag, 'value') || 'on']);
			}
		} else if (type === 'select') {
			const rest = f.slice(m.index);
			const o = /<option\b[^>]*\bvalue="([^"]*)"/.exec(rest.slice(0, rest.indexOf('</select>')));
			out.push([name, o ? dec(o[1]) : '']);
		} else if (type === 'file' || type === 'submit' || type === 'button') {
			continue;
		} else {
			const t = text(name, type);
			const v = t !== undefined ? t : attr(tag, 'value') || '';
			out.push([name, v]);
		}
	}
	return out;
}

function tmpdir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = {
	routes, demoDatabase, sql, paramValues, fill, fillForm, clients, probe, tmpdir, psql,
	ROLES, EVERYONE, PASSWORD, PARTNERSHIP_A, PARTNERSHIP_B,
};
