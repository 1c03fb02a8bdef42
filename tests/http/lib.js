// lib.js - helpers for colead's HTTP tests (and the browser tests): run the
// real binary ($COLEAD_BIN, default build/colead) on a fresh database in a
// temporary directory, talk to it with a small cookie-keeping client, pull
// CSRF tokens out of forms, log in.  Every server started here is stopped
// when its test ends, and its exit is checked: a non-zero exit or a
// sanitizer report in its stderr fails the test that started it.
//
// It must not reach anything but 127.0.0.1, and it never reuses a database:
// each server gets its own SQLite file or its own PostgreSQL database
// (created in the cluster named by COLEAD_TEST_PG, see tests/pg.sh).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(ROOT, process.env.COLEAD_BIN || 'build/colead');
const PG = process.env.COLEAD_TEST_PG || '';

// Sanitizer builds are several times slower: give them more time.
const SLOW = /san/.test(path.basename(path.dirname(BIN))) ||
	/asan|ubsan/i.test(process.env.ASAN_OPTIONS || '') ? 3 : 1;
const START_TIMEOUT = 20000 * SLOW;
const STOP_TIMEOUT = 10000 * SLOW;

const SANITIZER_REPORT = /(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)/;

// Every child still running and every temporary directory, cleaned up if
// this test process exits early or is stopped (tests/run.sh stops a whole
// run with SIGTERM; Ctrl-C sends SIGINT).
const live = new Set();
const tempDirs = new Set();
function killAll() {
	for (const child of live) {
		try { child.kill('SIGKILL'); } catch (e) { /* already gone */ }
	}
	for (const d of tempDirs)
		fs.rmSync(d, { recursive: true, force: true });
}
process.on('exit', killAll);
for (const [sig, n] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]]) {
	process.once(sig, () => {
		killAll();
		process.exit(128 + n);
	});
}

function makeTempDir() {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-http-'));
	tempDirs.add(d);
	return d;
}

function removeTempDir(d) {
	fs.rmSync(d, { recursive: true, force: true });
	tempDirs.delete(d);
}

// Run the colead binary to completion.  Returns { status, signal, stdout,
// stderr } as text; `input` is written to its stdin.
function colead(args, opts = {}) {
	const r = spawnSync(BIN, args, {
		input: opts.input === undefined ? '' : opts.input,
		env: { ...process.env, ...(opts.env || {}) },
		cwd: opts.cwd || ROOT,
		encoding: 'utf8',
		timeout: opts.timeout || 60000 * SLOW,
		maxBuffer: 16 * 1024 * 1024,
	});
	if (r.error)
		throw new Error(`cannot run ${BIN} ${args.join(' ')}: ${r.error.message}`);
	return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// Like colead(), but throws with its output unless it exited 0.
function coleadOk(args, opts) {
	const r = colead(args, opts);
	if (r.status !== 0)
		throw new Error(`colead ${args.join(' ')} exited ${r.status}${r.signal ? ' (' + r.signal + ')' : ''}:\n${r.stdout}${r.stderr}`);
	return r;
}

function hasPg() {
	return PG !== '';
}

// Run SQL on the test cluster's maintenance database with psql.
function psql(url, sql) {
	const r = spawnSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
		encoding: 'utf8', timeout: 30000,
	});
	if (r.error || r.status !== 0)
		throw new Error(`psql failed on ${sql}: ${r.error ? r.error.message : r.stderr}`);
	return r.stdout;
}

// Run SQL on a server's database behind its back, as another instance
// would change it; returns what the client printed.
function sqlBehind(dbUrl, text) {
	if (!dbUrl.startsWith('sqlite:'))
		return psql(dbUrl, text);
	const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', dbUrl.slice('sqlite:'.length), text],
		{ encoding: 'utf8', timeout: 30000 });
	if (r.error || r.status !== 0)
		throw new Error(`sqlite3 failed on ${text}: ${r.error ? r.error.message : r.stderr}`);
	return r.stdout;
}

// A fresh PostgreSQL database in the COLEAD_TEST_PG cluster; returns its
// URL and a function that drops it.
function freshPgDatabase() {
	if (!PG)
		throw new Error('COLEAD_TEST_PG is not set: start PostgreSQL with eval "$(tests/pg.sh start)"');
	const name = `colead_h_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
	psql(PG, `CREATE DATABASE ${name}`);
	const u = new URL(PG);
	u.pathname = '/' + name;
	return {
		url: u.toString(),
		drop() {
			try { psql(PG, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch (e) { /* best effort */ }
		},
	};
}

// Create a database: { url, dir, drop() }.  kind is 'sqlite' or 'pg'.
function freshDatabase(kind = 'sqlite') {
	if (kind !== 'sqlite' && kind !== 'pg')
		throw new Error(`unknown database kind '${kind}'`);
	const dir = makeTempDir();
	if (kind === 'pg') {
		let pg;
		try {
			pg = freshPgDatabase();
		} catch (e) {
			removeTempDir(dir);
			throw e;
		}
		return {
			url: pg.url, dir,
			drop() { pg.drop(); removeTempDir(dir); },
		};
	}
	return {
		url: `sqlite:${path.join(dir, 'colead.db')}`, dir,
		drop() { removeTempDir(dir); },
	};
}

// Add one person with `colead user add`, the password given on stdin.
function addUser(dbUrl, u) {
	const args = ['user', 'add', u.email, '--name', u.name, '--role', u.role || 'participant',
		'--password-stdin', '--db', dbUrl];
	if (u.partnership)
		args.push('--partnership', u.partnership);
	coleadOk(args, { input: u.password + '\n' });
}

// Wait for a child to exit, up to ms; resolves { code, signal } or null.
function waitExit(child, ms) {
	if (child.exitCode !== null || child.signalCode !== null)
		return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(null), ms);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal });
		});
	});
}

// Start `colead serve` on a fresh database.
//
//   const srv = await startServer(t, { db: 'sqlite' | 'pg', users: [...], args: [...] });
//
// users: [{ email, name, role, password, partnership? }], added before the
// server starts.  args: extra flags for `serve` (e.g. ['--body-max', '2048']).
// env: extra environment.  dbUrl: serve an existing database (then nothing
// is created or migrated, and it is not dropped: only the server's working
// directory is removed).  t (a node:test context)
// is optional; when given, the server is stopped and checked after the test.
//
// Returns { url, port, db, dir, proc, stderr, stdout, stop(), cli(args) }.
// stop() sends SIGTERM and resolves { code, signal, ms }; it throws if the
// process did not exit 0 in time or its stderr has a sanitizer report.
async function startServer(t, opts) {
	if (opts === undefined && (t === undefined || typeof t.after !== 'function')) {
		opts = t;
		t = undefined;
	}
	opts = opts || {};
	let database;
	if (opts.dbUrl) {
		const dir = makeTempDir();
		database = { url: opts.dbUrl, dir, drop() { removeTempDir(dir); } };
	} else {
		database = freshDatabase(opts.db || 'sqlite');
		try {
			coleadOk(['migrate', '--db', database.url]);
			for (const u of opts.users || [])
				addUser(database.url, u);
		} catch (e) {
			database.drop();
			throw e;
		}
	}

	const args = ['serve', '--db', database.url, '--listen', '127.0.0.1:0', ...(opts.args || [])];
	const proc = spawn(BIN, args, {
		cwd: database.dir,
		env: { ...process.env, ...(opts.env || {}) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	live.add(proc);
	let stdout = '', stderr = '';
	proc.stdout.setEncoding('utf8');
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { stderr += d; });

	let url;
	try {
		url = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(
				`colead serve printed no "listening on" line in ${START_TIMEOUT} ms; stdout: ${stdout}\nstderr: ${stderr}`)), START_TIMEOUT);
			proc.stdout.on('data', (d) => {
				stdout += d;
				const nl = stdout.indexOf('\n');
				if (nl < 0)
					return;
				clearTimeout(timer);
				const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/.exec(stdout.slice(0, nl));
				if (m && m[2] !== '0')
					resolve(m[1]);
				else
					reject(new Error(`the first line colead serve printed is not "listening on http://127.0.0.1:PORT": ${JSON.stringify(stdout.slice(0, nl))}`));
			});
			proc.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`colead serve exited (${code === null ? signal : code}) before listening:\n${stderr}`));
			});
			proc.once('error', (e) => { clearTimeout(timer); reject(e); });
		});
	} catch (e) {
		proc.kill('SIGKILL');
		await waitExit(proc, 5000);
		live.delete(proc);
		database.drop();
		throw e;
	}

	let stopped = null;
	const srv = {
		url,
		port: Number(new URL(url).port),
		db: database.url,
		dir: database.dir,
		proc,
		get stderr() { return stderr; },
		get stdout() { return stdout; },
		// Run the CLI against this server's database.
		cli(cliArgs, cliOpts) {
			return colead([...cliArgs, '--db', database.url], cliOpts);
		},
		async stop() {
			if (stopped)
				return stopped;
			const t0 = Date.now();
			proc.kill('SIGTERM');
			let r = await waitExit(proc, STOP_TIMEOUT);
			const ms = Date.now() - t0;
			live.delete(proc);
			if (r === null) {
				proc.kill('SIGKILL');
				await waitExit(proc, 5000);
				stopped = { code: null, signal: 'SIGKILL', ms };
				throw new Error(`colead serve did not exit within ${STOP_TIMEOUT} ms of SIGTERM\n${tail(stderr)}`);
			}
			stopped = { ...r, ms };
			if (SANITIZER_REPORT.test(stderr))
				throw new Error(`colead serve reported a sanitizer error:\n${tail(stderr, 60)}`);
			if (r.code !== 0)
				throw new Error(`colead serve exited ${r.code === null ? r.signal : r.code} after SIGTERM\n${tail(stderr)}`);
			return stopped;
		},
	};
	const cleanup = async () => {
		try {
			await srv.stop();
		} finally {
			database.drop();	// with dbUrl: only the working directory
		}
	};
	if (t)
		t.after(cleanup);
	srv.cleanup = cleanup;
	return srv;
}

function tail(text, n = 30) {
	return text.split('\n').slice(-n).join('\n');
}

// ---------------------------------------------------------------- client

// One browser-like visitor: keeps cookies, never follows redirects, and
// sends Origin on POST like a browser does.  Every call resolves
// { status, headers, location, text, setCookies, res }.
class Client {
	constructor(base) {
		this.base = base;
		this.jar = new Map();
	}

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	cookie(name) {
		return this.jar.get(name);
	}

	setCookie(name, value) {
		if (value === undefined || value === null)
			this.jar.delete(name);
		else
			this.jar.set(name, value);
	}

	// Take the Set-Cookie headers of a response into the jar.
	absorb(setCookies) {
		for (const sc of setCookies) {
			const parts = sc.split(';').map((s) => s.trim());
			const eq = parts[0].indexOf('=');
			if (eq < 1)
				continue;
			const name = parts[0].slice(0, eq), value = parts[0].slice(eq + 1);
			let gone = value === '';
			for (const a of parts.slice(1)) {
				const [k, v] = a.split('=');
				if (/^max-age$/i.test(k) && Number(v) <= 0)
					gone = true;
				if (/^expires$/i.test(k) && Date.parse(v) < Date.now())
					gone = true;
			}
			if (gone)
				this.jar.delete(name);
			else
				this.jar.set(name, value);
		}
	}

	// request(method, path, { form, body, headers, contentType })
	// form: an object or [[k, v]] sent urlencoded; body: a string or Buffer
	// sent as is (contentType defaults to urlencoded).
	async request(method, p, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		const cookies = this.cookieHeader();
		if (cookies && !('cookie' in lower(headers)))
			headers.cookie = cookies;
		let body;
		if (opts.form !== undefined) {
			body = new URLSearchParams(opts.form).toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
		} else if (opts.body !== undefined) {
			body = opts.body;
			headers['content-type'] = opts.contentType || 'application/x-www-form-urlencoded';
		}
		if (method === 'POST' && !('origin' in lower(headers)))
			headers.origin = this.base;
		for (const k of Object.keys(headers)) {
			if (headers[k] === null)
				delete headers[k];
		}
		const res = await fetch(new URL(p, this.base), { method, headers, body, redirect: 'manual' });
		const text = await res.text();
		const setCookies = res.headers.getSetCookie();
		this.absorb(setCookies);
		return {
			status: res.status,
			headers: res.headers,
			location: res.headers.get('location'),
			text,
			setCookies,
			res,
		};
	}

	get(p, opts) {
		return this.request('GET', p, opts);
	}

	post(p, form, opts = {}) {
		return this.request('POST', p, { ...opts, form });
	}
}

function lower(obj) {
	const o = {};
	for (const k of Object.keys(obj))
		o[k.toLowerCase()] = obj[k];
	return o;
}

function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|middot);/gi, (m, e) => {
		const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', middot: '\u00b7' };
		if (e[0] === '#')
			return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
		return named[e.toLowerCase()];
	});
}

// The CSRF token of the first form in html: the value of
// <input type="hidden" name="_csrf" value="...">.  Throws if there is none.
function csrfFrom(html) {
	const tags = html.match(/<input\b[^>]*>/gi) || [];
	for (const tag of tags) {
		if (!/\bname\s*=\s*"_csrf"/i.test(tag))
			continue;
		const m = /\bvalue\s*=\s*"([^"]*)"/i.exec(tag);
		if (m && m[1] !== '')
			return decodeEntities(m[1]);
	}
	throw new Error(`no _csrf field in the page:\n${html.slice(0, 2000)}`);
}

// What a person reads on the page: tags dropped, entities decoded, spaces
// squeezed.  Scripts and styles are not text.
function pageText(html) {
	return decodeEntities(html
		.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>/g, ' '))
		.replace(/\s+/g, ' ')
		.trim();
}

// The value of a form field in html (input value), or undefined.
function fieldValue(html, name) {
	const tags = html.match(/<input\b[^>]*>/gi) || [];
	for (const tag of tags) {
		if (new RegExp(`\\bname\\s*=\\s*"${name}"`, 'i').test(tag)) {
			const m = /\bvalue\s*=\s*"([^"]*)"/i.exec(tag);
			return m ? decodeEntities(m[1]) : '';
		}
	}
	return undefined;
}

// GET /login, then POST /login with the form's CSRF token.  Returns the
// POST's response (303 on success).  extra: more form fields (e.g. next).
async function login(client, email, password, extra = {}) {
	const page = await client.get('/login');
	if (page.status !== 200)
		throw new Error(`GET /login answered ${page.status}`);
	return client.post('/login', { _csrf: csrfFrom(page.text), email, password, ...extra });
}

// A client signed in as email; throws unless the login succeeded.
async function loggedIn(base, email, password) {
	const c = new Client(base);
	const r = await login(c, email, password);
	if (r.status !== 303)
		throw new Error(`login as ${email} answered ${r.status}, not 303:\n${pageText(r.text).slice(0, 500)}`);
	return c;
}

// A raw HTTP/1.1 request over a plain socket, for what fetch hides or
// refuses: exact headers and bytes, no automatic Accept-Encoding, and
// bodies the server may refuse before they are sent (a 413 on the headers
// alone).  Like a browser, it stops sending the body once an answer has
// come, so an early answer counts.  Resolves { status, headers (lower-case
// names), body (Buffer, de-chunked) }; rejects when no complete response
// head came back.
function rawRequest(base, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
	const u = new URL(p, base);
	const h = { host: u.host, connection: 'close', ...headers };
	if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length'))
		h['content-length'] = Buffer.byteLength(body);
	let head = `${method} ${u.pathname}${u.search} HTTP/1.1\r\n`;
	for (const [k, v] of Object.entries(h))
		head += `${k}: ${v}\r\n`;
	head += '\r\n';
	return new Promise((resolve, reject) => {
		const chunks = [];
		let writeError = null;
		const sock = net.connect({ host: u.hostname, port: Number(u.port) });
		sock.setTimeout(30000, () => sock.destroy(new Error('no answer in 30 s')));
		sock.on('data', (c) => chunks.push(c));
		sock.on('error', (e) => { writeError = e; });
		sock.on('close', () => {
			const raw = Buffer.concat(chunks);
			const end = raw.indexOf('\r\n\r\n');
			if (end < 0)
				return reject(new Error(`no response from ${method} ${p}${writeError ? ': ' + writeError.message : ''} (${raw.length} bytes)`));
			const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
			if (!m)
				return reject(new Error(`bad status line: ${lines[0]}`));
			const hdrs = {};
			for (const l of lines.slice(1)) {
				const i = l.indexOf(':');
				const k = l.slice(0, i).trim().toLowerCase(), v = l.slice(i + 1).trim();
				hdrs[k] = k in hdrs ? `${hdrs[k]}, ${v}` : v;
			}
			let b = raw.subarray(end + 4);
			if (method === 'HEAD' || m[1] === '304' || m[1] === '204')
				b = Buffer.alloc(0);
			else if (/chunked/i.test(hdrs['transfer-encoding'] || ''))
				b = dechunk(b);
			else if (hdrs['content-length'] !== undefined)
				b = b.subarray(0, Number(hdrs['content-length']));
			resolve({ status: Number(m[1]), headers: hdrs, body: b });
		});
		sock.write(head);
		if (body === undefined)
			return;
		// The body goes in pieces, each after the last has left, so an
		// answer that comes early is read before the server hangs up.
		const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
		let off = 0;
		const pump = () => {
			if (chunks.length || sock.destroyed || off >= buf.length)
				return;
			const piece = buf.subarray(off, off + 65536);
			off += piece.length;
			sock.write(piece, () => setTimeout(pump, 1));
		};
		pump();
	});
}

// The payload of a chunked body.
function dechunk(b) {
	const out = [];
	let i = 0;
	for (;;) {
		const nl = b.indexOf('\r\n', i);
		if (nl < 0)
			break;
		const n = parseInt(b.subarray(i, nl).toString('latin1'), 16);
		if (!(n > 0))
			break;
		out.push(b.subarray(nl + 2, nl + 2 + n));
		i = nl + 2 + n + 2;
	}
	return Buffer.concat(out);
}

// The standard users of the tests.
const ORGANISER = { email: 'ada@example.org', name: 'Ada Organiser', role: 'organiser', password: 'correct horse battery' };
const PARTICIPANT = { email: 'ben@example.org', name: 'Ben Participant', role: 'participant', password: 'staple paper clip 42' };

// Which databases the tests run on: SQLite always, PostgreSQL when the
// suite has one (tests/run.sh starts it).
function backends() {
	return hasPg() ? ['sqlite', 'pg'] : ['sqlite'];
}

// An agenda session on a new day (date) with one speaker, linked to the
// account of speakerEmail ('' for none), made through the organiser's
// forms; returns the session's id.
async function speakerSession(org, date, speakerEmail, title) {
	const form = async (p, fields) => {
		const g = await org.get(p);
		const r = await org.post(p, { _csrf: csrfFrom(g.text), ...fields });
		if (r.status !== 303)
			throw new Error(`POST ${p}: ${r.status} ${pageText(r.text).slice(0, 300)}`);
		return r;
	};
	await form('/agenda/edit/days/new', { date, title: 'Live day' });
	const ag = JSON.parse((await org.get('/api/agenda')).text);
	const day = ag.days.find((d) => d.date === date).id;
	const name = `Speaker of ${title}`;
	await form('/agenda/edit/speakers/new', { name, affiliation: '', bio: '', email: speakerEmail });
	const sp = JSON.parse((await org.get('/api/speakers')).text);
	const speaker = (sp.speakers || sp).find((x) => x.name === name).id;
	const r = await form('/agenda/edit/sessions/new', {
		title, kind: 'keynote', day: String(day), room: '', track: '',
		start: '09:00', end: '10:00', capacity: '', description: '', speaker: String(speaker),
	});
	return Number(/^\/sessions\/(\d+)$/.exec(r.location)[1]);
}

// ---------------------------------------------------------------- streams

// Open an event stream as client; resolves { status, headers, text,
// waitFor(re, ms), close() } once the response head is in.
function sse(base, p, client, headers = {}) {
	return new Promise((resolve, reject) => {
		const req = http.get(new URL(p, base), {
			headers: { cookie: client ? client.cookieHeader() : '', accept: 'text/event-stream', ...headers },
		}, (res) => {
			const s = {
				status: res.statusCode, headers: res.headers, text: '', waiters: [],
				close() { req.destroy(); },
				waitFor(re, ms = 3000) {
					if (re.test(s.text))
						return Promise.resolve(s.text);
					return new Promise((ok, fail) => {
						const w = { re, ok };
						w.timer = setTimeout(() => {
							s.waiters = s.waiters.filter((x) => x !== w);
							fail(new Error(`no ${re} on ${p} within ${ms} ms; got:\n${s.text.slice(-1500)}`));
						}, ms);
						s.waiters.push(w);
					});
				},
			};
			res.setEncoding('utf8');
			res.on('data', (d) => {
				s.text += d;
				for (const w of s.waiters.slice())
					if (w.re.test(s.text)) {
						clearTimeout(w.timer);
						s.waiters = s.waiters.filter((x) => x !== w);
						w.ok(s.text);
					}
			});
			res.on('error', () => {});
			resolve(s);
		});
		req.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
	});
}

// Everything a stream sends within ms (replay and snapshot), then closed.
async function streamFor(base, p, client, headers, ms = 400) {
	const s = await sse(base, p, client, headers);
	await new Promise((r) => setTimeout(r, ms));
	s.close();
	return s;
}

// The CSRF token of the form on page p, as client c sees it.
async function csrf(c, p) {
	const r = await c.get(p);
	if (r.status !== 200)
		throw new Error(`GET ${p}: ${r.status}`);
	return csrfFrom(r.text);
}


module.exports = {
	BIN, ROOT, SLOW, PG,
	colead, coleadOk, hasPg, psql, sqlBehind, freshDatabase, addUser,
	startServer, waitExit, Client, csrfFrom, pageText, fieldValue, decodeEntities,
	login, loggedIn, rawRequest, backends, speakerSession, sse, streamFor, csrf, ORGANISER, PARTICIPANT,
};
