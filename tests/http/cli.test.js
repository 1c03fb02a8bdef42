// cli.test.js - the colead command line as an operator meets it: exit
// codes (0 ok, 1 could not do it, 2 the command was wrong), messages that
// name what was wrong, refusals that change nothing, and --print-config
// (which never shows a password).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { colead, coleadOk, freshDatabase, addUser } = require('./lib.js');

function tmpdir(t) {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'colead-cli-'));
	t.after(() => fs.rmSync(d, { recursive: true, force: true }));
	return d;
}

function migrated(t) {
	const db = freshDatabase('sqlite');
	t.after(() => db.drop());
	coleadOk(['migrate', '--db', db.url]);
	return db;
}

test('version_and_help_exit_0', () => {
	const v = colead(['version']);
	assert.equal(v.status, 0, v.stderr);
	assert.match(v.stdout, /colead\s+\S*\d/);
	const h = colead(['help']);
	assert.equal(h.status, 0, h.stderr);
	assert.match(h.stdout, /serve/);
	assert.match(h.stdout, /migrate/);
	assert.match(h.stdout, /user/);
});

test('unknown_command_exits_2_and_names_it', () => {
	const r = colead(['frobnicate']);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /frobnicate/);
});

test('unknown_flag_exits_2_and_names_it', () => {
	const r = colead(['serve', '--bogus']);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /--bogus/);
});

test('flag_without_its_value_exits_2', () => {
	const r = colead(['serve', '--listen']);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /listen/);
});

test('unknown_role_exits_2_and_adds_nobody', (t) => {
	const db = migrated(t);
	const r = colead(['user', 'add', 'x@example.org', '--name', 'X', '--role', 'wizard',
		'--password-stdin', '--db', db.url], { input: 'a good long password\n' });
	assert.equal(r.status, 2);
	assert.match(r.stderr, /wizard/);
	const list = coleadOk(['user', 'list', '--db', db.url]);
	assert.doesNotMatch(list.stdout, /x@example\.org/);
});

test('user_add_then_list_shows_the_person', (t) => {
	const db = migrated(t);
	addUser(db.url, { email: 'Grace@Example.org', name: 'Grace Hopper', role: 'facilitator', password: 'a good long password' });
	const list = coleadOk(['user', 'list', '--db', db.url]);
	assert.match(list.stdout, /grace@example\.org/i);
	assert.match(list.stdout, /Grace Hopper/);
	assert.doesNotMatch(list.stdout, /a good long password|\$argon2/, 'no password or hash in the list');
	// The same address again is refused.
	const again = colead(['user', 'add', 'grace@example.org', '--name', 'G', '--role', 'participant',
		'--password-stdin', '--db', db.url], { input: 'another long password\n' });
	assert.notEqual(again.status, 0);
	assert.match(again.stderr, /grace@example\.org/i);
});

test('too_short_password_on_stdin_is_refused', (t) => {
	const db = migrated(t);
	const r = colead(['user', 'add', 'h@example.org', '--name', 'H', '--role', 'participant',
		'--password-stdin', '--db', db.url], { input: 'short\n' });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /password/i);
	assert.doesNotMatch(coleadOk(['user', 'list', '--db', db.url]).stdout, /h@example\.org/);
});

test('unsupported_database_url_exits_2', () => {
	const r = colead(['serve', '--db', 'mysql://x']);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /mysql:\/\/x|database URL|--db/i);
});

test('unopenable_sqlite_path_exits_1_with_a_clear_message', () => {
	const r = colead(['serve', '--db', 'sqlite:/nonexistent-dir/x.db', '--listen', '127.0.0.1:0']);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /\/nonexistent-dir\/x\.db/);
	assert.doesNotMatch(r.stdout, /listening on/);
});

test('demo_refuses_to_overwrite_an_existing_file', (t) => {
	const d = tmpdir(t);
	const file = path.join(d, 'precious.db');
	fs.writeFileSync(file, 'not a database, but mine\n');
	const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
	const r = colead(['demo', '--db', `sqlite:${file}`, '--listen', '127.0.0.1:0'], { timeout: 30000 });
	assert.equal(r.status, 2);
	assert.match(r.stderr, /--force/);
	const after = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
	assert.equal(after, before, 'the file is unchanged');
});

test('print_config_shows_settings_but_no_password', () => {
	const r = colead(['serve', '--print-config', '--db', 'postgresql://colead:s3cretPW@db.example/colead']);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /^listen = \S+/m);
	assert.match(r.stdout, /^db = /m);
	assert.doesNotMatch(r.stdout + r.stderr, /s3cretPW/);
	assert.match(r.stdout, /db\.example/, 'the rest of the URL is shown');

	// libpq also takes the password as a query parameter.
	const q = colead(['serve', '--print-config', '--db', 'postgresql://colead@db.example/colead?password=s3cretPW&sslmode=require']);
	assert.equal(q.status, 0, q.stderr);
	assert.doesNotMatch(q.stdout + q.stderr, /s3cretPW/);
});

test('print_config_honours_the_environment_and_flags_win', () => {
	const env = { COLEAD_LISTEN: '127.0.0.1:9123' };
	let r = colead(['serve', '--print-config'], { env });
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /^listen = 127\.0\.0\.1:9123$/m);
	r = colead(['serve', '--print-config', '--listen', '127.0.0.1:9124'], { env });
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /^listen = 127\.0\.0\.1:9124$/m);
});

test('bad_number_in_environment_exits_2', () => {
	const r = colead(['serve', '--print-config'], { env: { COLEAD_THREADS: 'many' } });
	assert.equal(r.status, 2);
	assert.match(r.stderr, /COLEAD_THREADS|threads/);
});

test('migrate_twice_is_harmless', (t) => {
	const db = migrated(t);
	const r = colead(['migrate', '--db', db.url]);
	assert.equal(r.status, 0, r.stderr);
});
