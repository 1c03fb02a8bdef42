-- 0001 foundation: settings, events, partnerships, people, roles, sign-in.
-- SQLite version; 0001_foundation.pg.sql is the same schema for PostgreSQL
-- (they differ only in how an id column generates its values).

CREATE TABLE settings (
	name		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
);

CREATE TABLE events (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	tagline		TEXT NOT NULL DEFAULT '',
	intro		TEXT NOT NULL DEFAULT '',
	venue		TEXT NOT NULL DEFAULT '',
	venue_address	TEXT NOT NULL DEFAULT '',
	starts_on	TEXT NOT NULL,			-- YYYY-MM-DD, local to the venue
	ends_on		TEXT NOT NULL,
	timezone	TEXT NOT NULL DEFAULT 'Europe/London',
	created_at	BIGINT NOT NULL
);

CREATE TABLE partnerships (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,
	region		TEXT NOT NULL DEFAULT '',
	area		TEXT NOT NULL DEFAULT '',
	created_at	BIGINT NOT NULL
);

CREATE TABLE people (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	email		TEXT NOT NULL UNIQUE,		-- stored lower-case
	job_title	TEXT NOT NULL DEFAULT '',
	partnership_id	BIGINT REFERENCES partnerships(id),
	password_hash	TEXT,				-- Argon2id string; NULL until set
	password_at	BIGINT NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL
);
CREATE INDEX people_partnership ON people(partnership_id);

CREATE TABLE roles (
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	role		TEXT NOT NULL CHECK (role IN ('organiser', 'facilitator',
				'speaker', 'participant', 'lead')),
	PRIMARY KEY (event_id, person_id, role)
);
CREATE INDEX roles_person ON roles(person_id);

CREATE TABLE sessions (
	id		INTEGER PRIMARY KEY,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	token_hash	TEXT NOT NULL UNIQUE,		-- hex SHA-256 of the cookie token
	created_at	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	ended_at	BIGINT				-- set at logout or password change
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE login_failures (
	id		INTEGER PRIMARY KEY,
	key		TEXT NOT NULL,			-- 'acct:EMAIL' or 'addr:IP'
	at		BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE password_tokens (
	id		INTEGER PRIMARY KEY,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	token_hash	TEXT NOT NULL UNIQUE,
	purpose		TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
	created_at	BIGINT NOT NULL,
	expires_at	BIGINT NOT NULL,
	used_at		BIGINT
);
CREATE INDEX password_tokens_person ON password_tokens(person_id);
