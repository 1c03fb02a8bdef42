// feeds.test.js - the programme's feeds through the real server, on a demo
// database: the public iCalendar feed (/agenda.ics) parses with ical.js
// and holds every session at the right UTC time; schedule.xml passes
// xmllint against the c3voc XSD and schedule.json passes ajv against the
// c3voc JSON schema, both listing every session; the personal calendar
// feed holds only the sessions its owner starred or signed up for, is
// reachable only with its secret token, stops working when replaced or
// revoked, and its page needs a login and a CSRF token.  Runs on SQLite,
// and again on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const ICAL = require('ical.js');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const { startServer, Client, csrfFrom, pageText, loggedIn, backends } = require('./lib.js');
const { demoDatabase, ROLES, PASSWORD } = require('./security_lib.js');

const SCHEMAS = path.resolve(__dirname, '../../../shared/conformance/schedule');

// Every session of the demo programme, from the JSON API.
async function allSessions(c) {
	const r = await c.get('/api/agenda');
	assert.equal(r.status, 200);
	return JSON.parse(r.text).days.flatMap((d) => d.sessions);
}

// The VEVENTs of an iCalendar text, as { uid, start (Date), summary, url }.
function vevents(text) {
	const cal = new ICAL.Component(ICAL.parse(text));
	assert.equal(cal.name, 'vcalendar');
	assert.equal(cal.getFirstPropertyValue('version'), '2.0');
	assert.ok(cal.getFirstPropertyValue('prodid'), 'the calendar has a PRODID');
	return cal.getAllSubcomponents('vevent').map((v) => {
		const e = new ICAL.Event(v);
		return {
			uid: e.uid, summary: e.summary, location: e.location,
			start: e.startDate.toJSDate(), end: e.endDate.toJSDate(),
			url: v.getFirstPropertyValue('url'),
			stamp: v.getFirstPropertyValue('dtstamp'),
		};
	});
}

// The session ids in a feed, from UIDs "session-<id>@...".
function uidIds(events) {
	return events.map((e) => {
		const m = /^session-(\d+)@/.exec(e.uid);
		assert.ok(m, `UID ${e.uid} is session-<id>@...`);
		return Number(m[1]);
	}).sort((a, b) => a - b);
}

// A form's CSRF token from a page.
async function csrfOf(c, page) {
	const r = await c.get(page);
	assert.equal(r.status, 200, `GET ${page}`);
	return csrfFrom(r.text);
}

// Make a personal feed as c; returns its token.
async function makeFeed(c) {
	const r = await c.post('/my-agenda/feed', { _csrf: await csrfOf(c, '/my-agenda/feed') });
	assert.equal(r.status, 200, pageText(r.text).slice(0, 300));
	const m = /\/my-agenda\/ics\/([A-Za-z0-9_-]{43})"/.exec(r.text);
	assert.ok(m, 'the page shows the new feed address');
	return m[1];
}

for (const kind of backends()) test(`feeds on the demo programme (${kind})`, async (t) => {
	const db = await demoDatabase(kind);
	t.after(() => db.drop());
	const srv = await startServer(t, { dbUrl: db.url });
	const visitor = new Client(srv.url);
	const sessions = await allSessions(visitor);
	assert.ok(sessions.length > 10, 'the demo has a programme');
	const ids = sessions.map((s) => s.id).sort((a, b) => a - b);

	await t.test('/agenda.ics parses and lists every session at its UTC time', async () => {
		const r = await visitor.get('/agenda.ics');
		assert.equal(r.status, 200);
		assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
		const evs = vevents(r.text);
		assert.deepEqual(uidIds(evs), ids);
		assert.equal(new Set(evs.map((e) => e.uid)).size, evs.length, 'UIDs are unique');
		for (const s of sessions) {
			const e = evs.find((x) => x.uid.startsWith(`session-${s.id}@`));
			assert.equal(e.summary, s.title);
			assert.equal(e.url, new URL(`/sessions/${s.id}`, srv.url).href);
			// The demo's March dates are on GMT: local time is UTC.
			assert.equal(e.start.toISOString().slice(0, 16), s.start, `start of ${s.id}`);
			assert.equal(e.end.toISOString().slice(0, 16), s.end, `end of ${s.id}`);
			if (s.room)
				assert.equal(e.location, s.room.name);
		}
		const again = vevents((await visitor.get('/agenda.ics')).text);
		assert.deepEqual(again.map((e) => e.uid), evs.map((e) => e.uid), 'UIDs are stable');
	});

	await t.test('/schedule.xml is valid against the c3voc XSD and lists every session', async () => {
		const r = await visitor.get('/schedule.xml');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^application\/xml/);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-feeds-'));
		t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
		const file = path.join(dir, 'schedule.xml');
		fs.writeFileSync(file, r.text);
		const v = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, 'schedule.xml.xsd'), file],
			{ encoding: 'utf8' });
		assert.equal(v.status, 0, `xmllint: ${v.stderr}`);
		const got = [...r.text.matchAll(/<event id="(\d+)" guid="([0-9a-f-]{36})"/g)];
		assert.deepEqual(got.map((m) => Number(m[1])).sort((a, b) => a - b), ids);
		// A schema check that can fail: a broken document is refused.
		fs.writeFileSync(file, r.text.replace(/<event id="\d+"/, '<event'));
		const bad = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, 'schedule.xml.xsd'), file],
			{ encoding: 'utf8' });
		assert.notEqual(bad.status, 0, 'xmllint refuses an event without an id');
	});

	await t.test('/schedule.json is valid against the c3voc JSON schema and lists every session', async () => {
		const r = await visitor.get('/schedule.json');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^application\/json/);
		const doc = JSON.parse(r.text);
		const ajv = new Ajv({ strict: false, allErrors: true });
		ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
		addFormats(ajv);
		ajv.addFormat('color', /^#[0-9a-fA-F]{6}$/);
		const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'schedule.schema.json'), 'utf8')));
		assert.ok(validate(doc), `ajv: ${JSON.stringify(validate.errors, null, 1)}`);
		const events = doc.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat());
		assert.deepEqual(events.map((e) => e.id).sort((a, b) => a - b), ids);
		assert.equal(new Set(events.map((e) => e.guid)).size, events.length, 'guids are unique');
		const again = JSON.parse((await visitor.get('/schedule.json')).text);
		const guids = again.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat()).map((e) => e.guid);
		assert.deepEqual(guids, events.map((e) => e.guid), 'guids are stable');
		assert.equal(validate({ schedule: { version: '1' } }), false, 'the schema refuses a schedule without a conference');
	});

	await t.test('the feed page needs a login, and its forms a CSRF token', async () => {
		let r = await visitor.get('/my-agenda/feed');
		assert.equal(r.status, 303);
		assert.match(r.location, /^\/login/);
		r = await visitor.post('/my-agenda/feed', {});
		assert.equal(r.status, 303);
		const a = await loggedIn(srv.url, ROLES.partA.email, PASSWORD);
		r = await a.post('/my-agenda/feed', {});
		assert.equal(r.status, 403, 'no CSRF token');
		r = await a.post('/my-agenda/feed', { _csrf: 'x'.repeat(43) });
		assert.equal(r.status, 403, 'a wrong CSRF token');
		r = await a.post('/my-agenda/feed/revoke', {});
		assert.equal(r.status, 403, 'revoking without a CSRF token');
		r = await a.get('/my-agenda/feed');
		assert.match(pageText(r.text), /do not have a calendar feed yet/);
	});

	await t.test('the personal feed holds only its owner\'s sessions and only with its token', async () => {
		const a = await loggedIn(srv.url, ROLES.partA.email, PASSWORD);
		const b = await loggedIn(srv.url, ROLES.partB.email, PASSWORD);
		const starred = sessions.find((s) => s.capacity === null && s.room);
		const limited = sessions.find((s) => s.capacity);
		assert.ok(starred && limited, 'the demo has open and limited sessions');
		let r = await a.post(`/sessions/${starred.id}/star`, { _csrf: await csrfOf(a, `/sessions/${starred.id}`) });
		assert.equal(r.status, 303);
		r = await a.post(`/sessions/${limited.id}/signup`, { _csrf: await csrfOf(a, `/sessions/${limited.id}`) });
		assert.equal(r.status, 303);
		const other = sessions.find((s) => s.id !== starred.id && s.id !== limited.id);
		r = await b.post(`/sessions/${other.id}/star`, { _csrf: await csrfOf(b, `/sessions/${other.id}`) });
		assert.equal(r.status, 303);

		const tokA = await makeFeed(a);
		const tokB = await makeFeed(b);
		assert.notEqual(tokA, tokB);
		r = await visitor.get(`/my-agenda/ics/${tokA}`);
		assert.equal(r.status, 200);
		assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
		assert.deepEqual(uidIds(vevents(r.text)), [starred.id, limited.id].sort((x, y) => x - y));
		r = await visitor.get(`/my-agenda/ics/${tokB}`);
		assert.deepEqual(uidIds(vevents(r.text)), [other.id]);

		// Without the token there is nothing to see.
		r = await b.get('/my-agenda/feed');
		assert.ok(!r.text.includes(tokA), 'another person\'s page does not show the address');
		assert.ok(!r.text.includes('/my-agenda/ics/'), 'the address is shown only once, when made');
		for (const bad of ['not-a-real-token', 'A'.repeat(43), tokA.slice(0, 42) + (tokA[42] === 'A' ? 'B' : 'A')]) {
			r = await visitor.get(`/my-agenda/ics/${bad}`);
			assert.equal(r.status, 404, `token ${bad}`);
		}

		// A new address replaces the old one.
		const tokA2 = await makeFeed(a);
		assert.equal((await visitor.get(`/my-agenda/ics/${tokA}`)).status, 404, 'the replaced address is gone');
		assert.equal((await visitor.get(`/my-agenda/ics/${tokA2}`)).status, 200);

		// Revoking: the address answers 404, the other person's still works.
		r = await a.post('/my-agenda/feed/revoke', { _csrf: await csrfOf(a, '/my-agenda/feed') });
		assert.equal(r.status, 303);
		assert.equal(r.location, '/my-agenda/feed');
		assert.equal((await visitor.get(`/my-agenda/ics/${tokA2}`)).status, 404, 'the revoked address is gone');
		assert.equal((await visitor.get(`/my-agenda/ics/${tokB}`)).status, 200);
		r = await a.get('/my-agenda/feed');
		assert.match(pageText(r.text), /do not have a calendar feed yet/);
	});
});
