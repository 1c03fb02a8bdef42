// event.test.js - the organisers' form for the event's details: who may
// see and use it, what a save changes (the home page at once, every page's
// header, the feeds' time zone and times), and the bad input it refuses
// with a message beside the field and nothing changed.  Runs on SQLite,
// and again on PostgreSQL when COLEAD_TEST_PG is set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	startServer, Client, csrfFrom, pageText, loggedIn, backends,
	ORGANISER, PARTICIPANT,
} = require('./lib.js');

const GOOD = {
	name: 'Leading Together 2027',
	tagline: 'Two days of working it out together',
	starts_on: '2027-03-11',
	ends_on: '2027-03-12',
	timezone: 'Europe/London',
	venue: 'The Assembly Rooms',
	venue_address: '1 Market Street, Leicester',
	intro: 'First paragraph about the days.\n\nSecond paragraph about what follows.',
};

for (const db of backends()) {
	test.describe(`event details on ${db}`, () => {
		let srv, org, ben;
		test.before(async () => {
			srv = await startServer({ db, users: [ORGANISER, PARTICIPANT] });
			org = await loggedIn(srv.url, ORGANISER.email, ORGANISER.password);
			ben = await loggedIn(srv.url, PARTICIPANT.email, PARTICIPANT.password);
		});
		test.after(async () => {
			if (srv)
				await srv.cleanup();
		});

		async function save(fields) {
			const g = await org.get('/admin/event');
			assert.equal(g.status, 200);
			return org.post('/admin/event', { _csrf: csrfFrom(g.text), ...fields });
		}

		test('only_organisers_reach_the_form', async () => {
			const v = await new Client(srv.url).get('/admin/event');
			assert.equal(v.status, 303, 'a visitor is sent to log in');
			assert.match(v.location, /^\/login/);
			assert.equal((await ben.get('/admin/event')).status, 403);
			const token = csrfFrom((await ben.get('/account')).text);
			const r = await ben.post('/admin/event', { _csrf: token, ...GOOD, name: 'Taken over' });
			assert.equal(r.status, 403);
			assert.doesNotMatch(pageText((await new Client(srv.url).get('/')).text), /Taken over/);
			const page = await org.get('/account');
			assert.match(page.text, /href="\/admin\/event"/, 'the organiser tools link to it');
			assert.doesNotMatch((await ben.get('/account')).text, /href="\/admin\/event"/);
		});

		test('a_save_shows_at_once_on_the_home_page_and_in_every_header', async () => {
			const visitor = new Client(srv.url);
			await visitor.get('/');	// the visitors' copy is now cached
			const r = await save(GOOD);
			assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
			assert.equal(r.location, '/admin/event');
			const after = await org.get('/admin/event');
			assert.match(pageText(after.text), /The event details are saved/);
			assert.match(after.text, /value="Leading Together 2027"/);
			const home = pageText((await visitor.get('/')).text);
			for (const want of ['Leading Together 2027', 'Two days of working it out together',
				'11–12 March 2027', 'The Assembly Rooms', '1 Market Street, Leicester',
				'First paragraph about the days.', 'Second paragraph about what follows.'])
				assert.ok(home.includes(want), `the home page shows "${want}"`);
			const other = await visitor.get('/agenda');
			assert.match(other.text, /<title>[^<]*Leading Together 2027/, 'the page title carries the new name');
			const atom = await visitor.get('/blog.atom');
			assert.match(atom.text, /Leading Together 2027/);
		});

		test('the_time_zone_moves_the_feeds', async () => {
			const g = await org.get('/agenda/edit/days/new');
			let r = await org.post('/agenda/edit/days/new', { _csrf: csrfFrom(g.text), date: '2027-03-11', title: 'Day one' });
			assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
			r = await save({ ...GOOD, timezone: 'America/New_York' });
			assert.equal(r.status, 303);
			const js = JSON.parse((await new Client(srv.url).get('/schedule.json')).text);
			assert.equal(js.schedule.conference.time_zone_name, 'America/New_York');
			assert.match(js.schedule.conference.days[0].day_start, /-0[45]:00$/, 'days start at New York time');
			const before = JSON.parse((await new Client(srv.url).get('/schedule.json')).text);
			assert.equal(before.schedule.conference.days[0].day_start.slice(0, 10), '2027-03-11');
			r = await save(GOOD);
			assert.equal(r.status, 303);
			const back = JSON.parse((await new Client(srv.url).get('/schedule.json')).text);
			assert.equal(back.schedule.conference.time_zone_name, 'Europe/London');
		});

		test('bad_input_is_refused_beside_its_field_and_changes_nothing', async () => {
			let r = await save(GOOD);
			assert.equal(r.status, 303);
			const cases = [
				[{ name: '' }, 'Give the event a name'],
				[{ name: 'x'.repeat(201) }, 'Give the event a name of up to 200 characters'],
				[{ ends_on: '2027-03-10' }, 'The event cannot end before it starts'],
				[{ starts_on: '2027-02-30' }, 'Write the first day as YYYY-MM-DD'],
				[{ ends_on: 'next Friday' }, 'Write the last day as YYYY-MM-DD'],
				[{ timezone: 'Europe/Atlantis' }, 'Give a time zone by its name'],
				[{ timezone: '../../etc/passwd' }, 'Give a time zone by its name'],
				[{ tagline: 't'.repeat(201) }, 'Keep the tagline to one line'],
				[{ venue: 'v'.repeat(201) }, 'Keep the venue to one line'],
				[{ intro: 'y'.repeat(5001) }, 'Keep the introduction to 5,000 characters'],
			];
			for (const [change, message] of cases) {
				r = await save({ ...GOOD, name: 'Should not stick', ...change });
				assert.equal(r.status, 422, `${JSON.stringify(change).slice(0, 60)}: ${r.status}`);
				const text = pageText(r.text);
				assert.ok(text.includes(message), `says "${message}"`);
				assert.match(r.text, /aria-invalid="true"/, 'the field is marked');
				const home = pageText((await new Client(srv.url).get('/')).text);
				assert.ok(home.includes('Leading Together 2027') && !home.includes('Should not stick'),
					'nothing changed');
			}
			// Without a token, nothing either.
			r = await org.post('/admin/event', { ...GOOD, name: 'No token' });
			assert.equal(r.status, 403);
			assert.doesNotMatch(pageText((await new Client(srv.url).get('/')).text), /No token/);
		});

		test('markup_in_the_details_is_shown_as_text', async () => {
			const r = await save({ ...GOOD, name: '<script>alert(1)</script> Convention',
				intro: '<b>bold</b> and [a link](javascript:alert(1))' });
			assert.equal(r.status, 303);
			const home = await new Client(srv.url).get('/');
			assert.doesNotMatch(home.text, /<script>alert/);
			assert.match(home.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Convention/);
			assert.match(home.text, /&lt;b&gt;bold&lt;\/b&gt;/);
			assert.doesNotMatch(home.text, /href="javascript:/);
			assert.equal((await save(GOOD)).status, 303);
		});
	});
}
