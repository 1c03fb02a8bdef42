// html_validity.test.js - every public page of the demo convention (home,
// agenda, each session, speakers and each speaker, blog and each post,
// each static page, login) and, signed in as an organiser, every organiser
// form of the agenda, the blog and the static pages, plus the personal
// calendar feed page and the opening keynote's live room (participant
// page, moderator page, wall moderation, presenter screen in both modes),
// run through the Nu HTML Checker (npm vnu-jar, Java)
// in one go: the test fails on any error it reports, printed as
// "page: line:column message".  Needs Java 17 (java on PATH or
// /usr/bin/java).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startServer, Client, csrfFrom, loggedIn, ROOT } = require('./lib.js');
const sec = require('./security_lib.js');

const VNU = path.join(ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

// GET p as c and return its HTML; the page must answer 200.
async function html(c, p) {
	const r = await c.get(p);
	assert.equal(r.status, 200, `GET ${p}`);
	assert.match(r.headers.get('content-type'), /^text\/html/, `GET ${p} is HTML`);
	return r.text;
}

test('every public page and organiser form is valid HTML (Nu checker)', async (t) => {
	const db = await sec.demoDatabase('sqlite');
	t.after(() => db.drop());
	const srv = await startServer(t, { dbUrl: db.url });
	const visitor = new Client(srv.url);
	const org = await loggedIn(srv.url, sec.ROLES.organiser.email, sec.PASSWORD);
	const part = await loggedIn(srv.url, sec.ROLES.partA.email, sec.PASSWORD);

	const agenda = JSON.parse((await visitor.get('/api/agenda')).text);
	const sessions = agenda.days.flatMap((d) => d.sessions);
	const speakers = JSON.parse((await visitor.get('/api/speakers')).text).speakers;
	const posts = JSON.parse((await visitor.get('/api/posts')).text);
	const pageSlugs = sec.sql(db, 'SELECT slug FROM pages ORDER BY id').split('\n').filter(Boolean);
	const pageIds = sec.sql(db, 'SELECT id FROM pages ORDER BY id').split('\n').filter(Boolean);
	assert.ok(sessions.length && speakers.length && posts.length && pageSlugs.length, 'the demo has content');

	const pub = ['/', '/agenda', '/speakers', '/blog', '/login',
		...sessions.map((s) => `/sessions/${s.id}`),
		...speakers.map((s) => `/speakers/${s.id}`),
		...posts.map((p) => `/blog/${p.slug}`),
		...pageSlugs.map((s) => `/pages/${s}`)];
	const mine = ['/my-agenda', '/my-agenda/feed'];
	const orgPages = ['/agenda/edit',
		'/agenda/edit/days/new', `/agenda/edit/days/${agenda.days[0].id}`,
		'/agenda/edit/rooms/new', `/agenda/edit/rooms/${agenda.rooms[0].id}`,
		'/agenda/edit/tracks/new', `/agenda/edit/tracks/${agenda.tracks[0].id}`,
		'/agenda/edit/speakers/new', `/agenda/edit/speakers/${speakers[0].id}`,
		'/agenda/edit/sessions/new', `/agenda/edit/sessions/${sessions[1].id}`,
		'/admin/event', '/admin/pages', '/admin/pages/new', ...pageIds.map((id) => `/admin/pages/${id}`),
		'/admin/blog', '/admin/blog/new', ...posts.map((p) => `/admin/blog/${p.id}`)];

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-vnu-'));
	t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
	const files = new Map();	// file -> what it is
	let n = 0;
	const save = (what, text) => {
		const f = path.join(dir, `page-${++n}.html`);
		fs.writeFileSync(f, text);
		files.set(f, what);
	};
	for (const p of pub)
		save(`visitor ${p}`, await html(visitor, p));
	for (const p of mine)
		save(`participant ${p}`, await html(part, p));
	// The feed page right after making an address shows it.
	const made = await part.post('/my-agenda/feed', { _csrf: csrfFrom(await html(part, '/my-agenda/feed')) });
	assert.equal(made.status, 200);
	save('participant POST /my-agenda/feed', made.text);
	for (const p of orgPages)
		save(`organiser ${p}`, await html(org, p));
	const room = sec.sql(db, 'SELECT id FROM live_rooms ORDER BY id LIMIT 1').split('\n')[0];
	save(`participant /live/${room}`, await html(part, `/live/${room}`));
	for (const p of [`/live/${room}/moderate`, `/live/${room}/moderate/wall`, `/live/${room}/present`])
		save(`organiser ${p}`, await html(org, p));
	const wall = await org.post(`/live/${room}/moderate/screen`,
		{ _csrf: csrfFrom(await html(org, `/live/${room}/moderate`)), mode: 'wall' });
	assert.equal(wall.status, 303);
	save(`organiser /live/${room}/present (wall)`, await html(org, `/live/${room}/present`));

	// A canary the checker must flag, so a checker that silently checks
	// nothing cannot pass this test.
	const canary = path.join(dir, 'canary.html');
	fs.writeFileSync(canary, '<!DOCTYPE html><html lang="en"><head><title>c</title></head>' +
		'<body><span foo="1">c</span></body></html>');

	const java = fs.existsSync('/usr/bin/java') ? '/usr/bin/java' : 'java';
	const r = spawnSync(java, ['-jar', VNU, '--errors-only', '--format', 'json', canary, ...files.keys()],
		{ encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300000 });
	assert.notEqual(r.stderr, undefined, `could not run ${java}: ${r.error}`);
	let report;
	try {
		report = JSON.parse(r.stderr || r.stdout);
	} catch (e) {
		assert.fail(`vnu printed no JSON (exit ${r.status}): ${r.stderr} ${r.stdout} ${r.error || ''}`);
	}
	const bad = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
	const file = (m) => decodeURIComponent((m.url || '').replace(/^file:/, ''));
	assert.ok(bad.some((m) => file(m) === canary), 'the checker flags the canary page');
	const errors = bad.filter((m) => file(m) !== canary)
		.map((m) => {
			const f = file(m);
			return `${files.get(f) || f}: ${m.lastLine || '?'}:${m.firstColumn || m.lastColumn || '?'} ${m.message}` +
				(m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : '');
		});
	t.diagnostic(`${files.size} pages checked`);
	assert.deepEqual(errors, [], `the Nu checker found ${errors.length} errors:\n${errors.join('\n')}`);
});
