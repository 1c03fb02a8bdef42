-- 0004 people and survey: consent and directory on people, invitations,
-- attendee-import uploads kept between preview and confirmation, question
-- sets, questions and answers.  SQLite version; 0004_people_survey.pg.sql
-- is the same schema for PostgreSQL (ids and bytes differ).

ALTER TABLE people ADD COLUMN consent_at BIGINT;		-- privacy notice accepted
ALTER TABLE people ADD COLUMN invited_at BIGINT;		-- last invitation link made
ALTER TABLE people ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;	-- opted in to the directory

CREATE TABLE import_uploads (
	id		TEXT PRIMARY KEY,			-- random, in the preview's confirm form
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	filename	TEXT NOT NULL DEFAULT '',
	data		BLOB NOT NULL,
	created_at	BIGINT NOT NULL
);

CREATE TABLE question_sets (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	slug		TEXT NOT NULL,				-- 'pre' or 'feedback'
	title		TEXT NOT NULL,
	intro		TEXT NOT NULL DEFAULT '',
	opens_at	BIGINT NOT NULL DEFAULT 0,		-- 0: open now
	closes_at	BIGINT NOT NULL DEFAULT 0,		-- 0: until the convention starts (pre) / never
	UNIQUE (event_id, slug)
);

CREATE TABLE questions (
	id		INTEGER PRIMARY KEY,
	set_id		BIGINT NOT NULL REFERENCES question_sets(id) ON DELETE CASCADE,
	position	BIGINT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('text', 'long', 'single', 'multi', 'scale')),
	prompt		TEXT NOT NULL,
	help		TEXT NOT NULL DEFAULT '',
	choices		TEXT NOT NULL DEFAULT '',		-- one per line for single/multi
	required	INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX questions_set ON questions(set_id, position);

CREATE TABLE answers (
	question_id	BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	value		TEXT NOT NULL,				-- multi: one choice per line
	updated_at	BIGINT NOT NULL,
	PRIMARY KEY (person_id, question_id)
);
CREATE INDEX answers_question ON answers(question_id);
