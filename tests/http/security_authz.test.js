// security_authz.test.js - the authorization matrix: every route of
// `colead routes`, asked by every kind of person (a visitor; participants
// of two different partnerships; a partnership lead; a facilitator; a
// speaker; an organiser) on the demo convention, must answer exactly the
// status the MATRIX below says.  Refusals are 303 to /login (pages) or 401
// (JSON) for a visitor and 403 for a wrong role; a route missing from the
// matrix fails the test, so a new route needs a row here (and a thought
// about who may use it).  POST routes are sent a valid CSRF token and an
// otherwise empty form: an allowed role gets the form's own answer (422,
// 303, 404...), a refused one the refusal, and the person is still signed
// in afterwards.  Private objects (one's own data) are checked in the
// second test.
//
// To write rows for new routes: COLEAD_MATRIX_RECORD=1 node --test
// tests/http/security_authz.test.js prints the observed rows; read each
// before pasting it in, since recording believes whatever the server does.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, csrfFrom, pageText } = require('./lib.js');
const sec = require('./security_lib.js');

const WHO = ['visitor', 'partA', 'partB', 'lead', 'facilitator', 'speaker', 'organiser'];

// Expected status per person, in the order of WHO.
// L = 303 to /login?next=..., U = 401 (JSON), F = 403.
const L = 'L', U = 401, F = 403;
const MATRIX = {
	'GET /login': [200, 303, 303, 303, 303, 303, 303],
	'GET /account': [L, 200, 200, 200, 200, 200, 200],
	'GET /password/:token': [404, 404, 404, 404, 404, 404, 404],
	'GET /people/import': [L, F, F, F, F, F, 200],
	'GET /people/import/:id': [L, F, F, F, F, F, 404],
	'GET /people/invitations': [L, F, F, F, F, F, 200],
	'GET /account/data.json': [U, 200, 200, 200, 200, 200, 200],
	'GET /directory': [L, 200, 200, 200, 200, 200, 200],
	'GET /people/:id/erase': [L, F, F, F, F, F, 200],
	'GET /partnerships': [L, 200, 200, 200, 200, 200, 200],
	'GET /partnerships/:id': [L, 200, 200, 200, 200, 200, 200],
	'GET /': [200, 200, 200, 200, 200, 200, 200],
	'GET /pages/:slug': [200, 200, 200, 200, 200, 200, 200],
	'GET /admin/event': [L, F, F, F, F, F, 200],
	'GET /admin/pages': [L, F, F, F, F, F, 200],
	'GET /admin/pages/new': [L, F, F, F, F, F, 200],
	'GET /admin/pages/:id': [L, F, F, F, F, F, 200],
	'GET /blog': [200, 200, 200, 200, 200, 200, 200],
	'GET /blog/:slug': [200, 200, 200, 200, 200, 200, 200],
	'GET /blog.atom': [200, 200, 200, 200, 200, 200, 200],
	'GET /api/posts': [200, 200, 200, 200, 200, 200, 200],
	'GET /admin/blog': [L, F, F, F, F, F, 200],
	'GET /admin/blog/new': [L, F, F, F, F, F, 200],
	'GET /admin/blog/:id': [L, F, F, F, F, F, 200],
	'GET /agenda': [200, 200, 200, 200, 200, 200, 200],
	'GET /sessions/:id': [200, 200, 200, 200, 200, 200, 200],
	'GET /my-agenda': [L, 200, 200, 200, 200, 200, 200],
	'GET /speakers': [200, 200, 200, 200, 200, 200, 200],
	'GET /speakers/:id': [200, 200, 200, 200, 200, 200, 200],
	'GET /speakers/:id/photo': [404, 404, 404, 404, 404, 404, 404],
	'GET /api/agenda': [200, 200, 200, 200, 200, 200, 200],
	'GET /api/sessions/:id': [200, 200, 200, 200, 200, 200, 200],
	'GET /api/speakers': [200, 200, 200, 200, 200, 200, 200],
	'GET /agenda/edit': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/days/new': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/days/:id': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/rooms/new': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/rooms/:id': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/tracks/new': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/tracks/:id': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/speakers/new': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/speakers/:id': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/sessions/new': [L, F, F, F, F, F, 200],
	'GET /agenda/edit/sessions/:id': [L, F, F, F, F, F, 200],
	'GET /questions': [L, 303, 303, 303, 303, 303, 303],
	'GET /questions/:set': [L, 200, 200, 200, 200, 200, 200],
	'GET /survey': [L, F, F, F, F, F, 200],
	'GET /survey/answers': [L, F, F, F, F, F, 200],
	'GET /survey/answers.json': [U, F, F, F, F, F, 200],
	'GET /survey/themes': [L, F, F, F, F, F, 200],
	'GET /survey/export.csv': [L, F, F, F, F, F, 200],
	'GET /survey/export.xlsx': [L, F, F, F, F, F, 200],
	'GET /survey/sets/:set': [L, F, F, F, F, F, 200],
	'GET /live': [L, 200, 200, 200, 200, 200, 200],
	'GET /join': [L, 200, 200, 200, 200, 200, 200],
	'GET /join/:code': [L, 303, 303, 303, 303, 303, 303],
	'GET /live/:id': [L, 200, 200, 200, 200, 200, 200],
	'GET /live/:id/questions.json': [U, 200, 200, 200, 200, 200, 200],
	'GET /live/:id/events': [U, 200, 200, 200, 200, 200, 200],
	'GET /live/:id/moderate': [L, F, F, F, 200, F, 200],
	'GET /live/:id/moderate/events': [U, F, F, F, 200, F, 200],
	'GET /live/:id/present': [L, F, F, F, 200, F, 200],
	// the pre-convention wall: approved answers for anyone in the event;
	// choosing and approving them for moderators only.
	'GET /live/:id/wall.json': [U, 200, 200, 200, 200, 200, 200],
	'GET /live/:id/moderate/wall': [L, F, F, F, 200, F, 200],
	// feeds (src/feat/feeds): public programme feeds; a personal calendar
	// only through its secret token (a made-up one is 404).
	'GET /agenda.ics': [200, 200, 200, 200, 200, 200, 200],
	'GET /schedule.xml': [200, 200, 200, 200, 200, 200, 200],
	'GET /schedule.json': [200, 200, 200, 200, 200, 200, 200],
	'GET /my-agenda/ics/:token': [404, 404, 404, 404, 404, 404, 404],
	'GET /my-agenda/feed': [L, 200, 200, 200, 200, 200, 200],
	'GET /static/*': [200, 200, 200, 200, 200, 200, 200],
	'GET /favicon.ico': [404, 404, 404, 404, 404, 404, 404],
	'POST /login': [U, U, U, U, U, U, U],
	'POST /account/password': [L, 422, 422, 422, 422, 422, 422],
	'POST /password/:token': [404, 404, 404, 404, 404, 404, 404],
	'POST /people/import': [L, F, F, F, F, F, 422],
	'POST /people/import/:id': [L, F, F, F, F, F, 404],
	'POST /people/invitations': [L, F, F, F, F, F, 200],
	'POST /people/invitations.csv': [L, F, F, F, F, F, 200],
	'POST /people/invitations/email': [L, F, F, F, F, F, 303],
	'POST /account/directory': [L, 303, 303, 303, 303, 303, 303],
	'POST /people/:id/erase': [L, F, F, F, F, F, 303],
	'POST /partnerships': [L, F, F, F, F, F, 422],
	'POST /partnerships/:id/rename': [L, F, F, F, F, F, 422],
	'POST /partnerships/:id/merge': [L, F, F, F, F, F, 422],
	'POST /admin/event': [L, F, F, F, F, F, 422],
	'POST /admin/pages/order': [L, F, F, F, F, F, 303],
	'POST /admin/pages/new': [L, F, F, F, F, F, 422],
	'POST /admin/pages/:id': [L, F, F, F, F, F, 422],
	'POST /admin/pages/:id/delete': [L, F, F, F, F, F, 303],
	'POST /admin/blog/new': [L, F, F, F, F, F, 422],
	'POST /admin/blog/:id': [L, F, F, F, F, F, 422],
	'POST /admin/blog/:id/delete': [L, F, F, F, F, F, 303],
	'POST /sessions/:id/star': [L, 303, 303, 303, 303, 303, 303],
	'POST /sessions/:id/signup': [L, 303, 303, 303, 303, 303, 303],
	'POST /sessions/:id/withdraw': [L, 303, 303, 303, 303, 303, 303],
	'POST /agenda/edit/days/new': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/days/:id': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/days/:id/delete': [L, F, F, F, F, F, 303],
	'POST /agenda/edit/rooms/new': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/rooms/:id': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/rooms/:id/delete': [L, F, F, F, F, F, 303],
	'POST /agenda/edit/tracks/new': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/tracks/:id': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/tracks/:id/delete': [L, F, F, F, F, F, 303],
	'POST /agenda/edit/speakers/new': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/speakers/:id': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/speakers/:id/delete': [L, F, F, F, F, F, 303],
	'POST /agenda/edit/sessions/new': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/sessions/:id': [L, F, F, F, F, F, 422],
	'POST /agenda/edit/sessions/:id/delete': [L, F, F, F, F, F, 303],
	'POST /questions/:set': [L, 422, 422, 422, 422, 422, 422],
	'POST /survey/sets/:set': [L, F, F, F, F, F, 422],
	'POST /survey/sets/:set/questions': [L, F, F, F, F, F, 422],
	'POST /survey/questions/:id': [L, F, F, F, F, F, 422],
	'POST /live': [L, F, F, F, 422, F, 422],
	'POST /live/:id/ask': [L, 422, 422, 422, 422, 422, 422],
	'POST /live/:id/questions/:qid/upvote': [L, 303, 303, 303, 303, 303, 303],
	'POST /live/:id/polls/:pid/vote': [L, 409, 409, 409, 409, 409, 409],
	'POST /live/:id/moderate/settings': [L, F, F, F, 303, F, 303],
	'POST /live/:id/moderate/questions/:qid': [L, F, F, F, 422, F, 422],
	'POST /live/:id/moderate/polls': [L, F, F, F, 422, F, 422],
	'POST /live/:id/moderate/polls/:pid': [L, F, F, F, 422, F, 422],
	'POST /live/:id/moderate/next': [L, F, F, F, 303, F, 303],
	'POST /live/:id/moderate/screen': [L, F, F, F, 422, F, 422],
	'POST /live/:id/moderate/wall': [L, F, F, F, 303, F, 303],
	'POST /live/:id/moderate/wall/feeds': [L, F, F, F, 303, F, 303],
	'POST /live/:id/moderate/wall/:wid': [L, F, F, F, 422, F, 422],
	'POST /my-agenda/feed': [L, 200, 200, 200, 200, 200, 200],
	'POST /my-agenda/feed/revoke': [L, 303, 303, 303, 303, 303, 303],
	'POST /logout': [L, 303, 303, 303, 303, 303, 303],
};

// What a status in the table means for a response.
function matches(want, res) {
	if (want === L)
		return res.status === 303 && /^\/login(\?|$)/.test(res.location || '');
	return res.status === want;
}

function shown(res) {
	if (res.status === 303 && /^\/login(\?|$)/.test(res.location || ''))
		return 'L';
	if (res.status === 401)
		return 'U';
	if (res.status === 403)
		return 'F';
	return String(res.status);
}

test.describe('authorization matrix', () => {
	let db, srv, who, values, list, tokens;
	test.before(async () => {
		db = await sec.demoDatabase('sqlite');
		srv = await startServer({ dbUrl: db.url });
		const c = await sec.clients(srv.url);
		who = { visitor: new Client(srv.url), ...c };
		tokens = {};
		tokens.visitor = csrfFrom((await who.visitor.get('/login')).text);
		for (const w of WHO.slice(1))
			tokens[w] = csrfFrom((await who[w].get('/account')).text);
		values = sec.paramValues(db);
		list = sec.routes();
	});
	test.after(async () => {
		if (srv)
			await srv.cleanup();
		if (db)
			db.drop();
	});

	test('every_route_answers_each_role_exactly_as_the_matrix_says', async (t) => {
		const record = process.env.COLEAD_MATRIX_RECORD === '1';
		const problems = [], rows = [];
		// GETs first, then POSTs; POST /logout last, as it ends sessions.
		const order = [...list.filter((r) => r.method !== 'POST'),
			...list.filter((r) => r.method === 'POST' && r.key !== 'POST /logout'),
			...list.filter((r) => r.key === 'POST /logout')];
		let asked = 0;
		for (const rt of order) {
			const want = MATRIX[rt.key];
			if (!want && !record) {
				problems.push(`route ${rt.key} is not in the authorization matrix`);
				continue;
			}
			const p = sec.fill(rt.pattern, values);
			const got = [];
			for (let i = 0; i < WHO.length; i++) {
				const res = await sec.probe(who[WHO[i]], rt.method, p,
					rt.method === 'POST' ? { _csrf: tokens[WHO[i]] } : undefined);
				asked++;
				got.push(shown(res));
				if (res.status >= 500)
					problems.push(`${rt.key} (${p}) as ${WHO[i]}: ${res.status} ${pageText(res.text).slice(0, 100)}`);
				else if (want && !matches(want[i], res))
					problems.push(`${rt.key} (${p}) as ${WHO[i]}: wanted ${want[i]}, got ${shown(res)} ${res.location || ''}`);
			}
			rows.push(`\t'${rt.key}': [${got.join(', ')}],`);
		}
		for (const key of Object.keys(MATRIX))
			if (!list.some((r) => r.key === key))
				problems.push(`the matrix has a row for ${key}, which colead routes does not list`);
		if (record)
			process.stderr.write(rows.join('\n') + '\n');
		t.diagnostic(`${list.length} routes x ${WHO.length} people = ${asked} requests`);
		assert.deepEqual(problems, [], problems.join('\n'));
		// Everyone who was signed in was signed out only by POST /logout.
		for (const w of WHO.slice(1)) {
			const r = await who[w].get('/account');
			assert.ok(matches(L, r), `${w} is signed out after POST /logout`);
		}
	});
	test('private_objects_are_shown_only_to_their_owner', async () => {
		const { partA, partB, organiser } = await sec.clients(srv.url);	/* the matrix signed everyone out */
		const A = sec.ROLES.partA, B = sec.ROLES.partB;
		// One's own data export holds oneself, not another person.
		const da = await partA.get('/account/data.json');
		assert.equal(da.status, 200);
		assert.match(da.text, new RegExp(A.email.replace('.', '\\.')));
		assert.doesNotMatch(da.text, new RegExp(B.email.replace('.', '\\.')), "A's data export does not hold B");
		// The directory lists only people who opted in: B has not.
		const dir = await partA.get('/directory');
		assert.equal(dir.status, 200);
		assert.doesNotMatch(pageText(dir.text), new RegExp(B.name), 'B is not in the directory without opting in');
		assert.doesNotMatch(dir.text, new RegExp(B.email.replace('.', '\\.')), "the directory never shows B's email");
		// Survey answers: what A wrote is shown back to A, never to B.
		const marker = `private-answer-${Date.now()}`;
		const q = await partA.get(`/questions/${values.set}`);
		assert.equal(q.status, 200);
		const form = sec.fillForm(q.text, () => marker, 'action="/questions/');
		assert.ok(form.some(([, v]) => v === marker), 'the question set has a free-text question');
		const sent = await partA.post(`/questions/${values.set}`, form);
		assert.ok([200, 303].includes(sent.status), `answers saved: ${sent.status} ${pageText(sent.text).slice(0, 200)}`);
		assert.match((await partA.get(`/questions/${values.set}`)).text, new RegExp(marker), 'A sees their own answer');
		assert.doesNotMatch((await partB.get(`/questions/${values.set}`)).text, new RegExp(marker), "B does not see A's answer");
		assert.doesNotMatch((await partB.get('/account/data.json')).text, new RegExp(marker), "B's data export does not hold A's answer");
		const ans = await organiser.get('/survey/answers');
		assert.equal(ans.status, 200, 'organisers read the answers');
		// A personal calendar feed: its secret address opens A's calendar
		// to anyone holding it, never appears to B, and dies when revoked.
		const fp = await partA.get('/my-agenda/feed');
		const made = await partA.post('/my-agenda/feed', { _csrf: csrfFrom(fp.text) });
		assert.equal(made.status, 200);
		const m = /id="feed-url"[^>]*value="([^"]+)"/.exec(made.text) || /value="([^"]*\/my-agenda\/ics\/[^"]+)"/.exec(made.text);
		assert.ok(m, 'the new feed address is shown once');
		const feedPath = new URL(m[1].replace(/&amp;/g, '&'), srv.url).pathname;
		const byB = await partB.get(feedPath);
		assert.equal(byB.status, 200, 'the address itself is the key, whoever holds it');
		assert.match(byB.text, /BEGIN:VCALENDAR/);
		assert.doesNotMatch((await partB.get('/my-agenda/feed')).text, new RegExp(feedPath.split('/').pop()), "B never sees A's feed address");
		const rv = await partA.post('/my-agenda/feed/revoke', { _csrf: csrfFrom((await partA.get('/my-agenda/feed')).text) });
		assert.equal(rv.status, 303);
		assert.equal((await partB.get(feedPath)).status, 404, 'a revoked address opens nothing');
	});
});
