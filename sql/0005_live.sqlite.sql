-- 0005 live: live rooms, questions and upvotes, polls and ballots, the
-- event log behind Server-Sent Events.  SQLite version; 0005_live.pg.sql
-- differs only in how an id column generates its values.

CREATE TABLE live_rooms (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id),
	title		TEXT NOT NULL,
	code		TEXT NOT NULL UNIQUE,		-- short join code, e.g. "K7QF"
	session_id	BIGINT,				-- an agenda session, linked later; no foreign key on purpose
	need_approval	INTEGER NOT NULL DEFAULT 0,	-- questions wait in the moderator queue
	current_poll_id	BIGINT,				-- the poll the room and presenter show
	created_at	BIGINT NOT NULL
);

CREATE TABLE live_questions (
	id		INTEGER PRIMARY KEY,
	room_id		BIGINT NOT NULL REFERENCES live_rooms(id),
	person_id	BIGINT NOT NULL REFERENCES people(id),
	body		TEXT NOT NULL,
	anonymous	INTEGER NOT NULL DEFAULT 0,	-- hidden from other participants only
	state		TEXT NOT NULL CHECK (state IN ('pending', 'visible', 'hidden')),
	answered	INTEGER NOT NULL DEFAULT 0,
	pinned		INTEGER NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL
);
CREATE INDEX live_questions_room ON live_questions(room_id, state);

CREATE TABLE live_upvotes (
	question_id	BIGINT NOT NULL REFERENCES live_questions(id),
	person_id	BIGINT NOT NULL REFERENCES people(id),
	PRIMARY KEY (question_id, person_id)
);

CREATE TABLE live_polls (
	id		INTEGER PRIMARY KEY,
	room_id		BIGINT NOT NULL REFERENCES live_rooms(id),
	kind		TEXT NOT NULL CHECK (kind IN ('single', 'multi', 'scale', 'words', 'text')),
	question	TEXT NOT NULL,
	options		TEXT NOT NULL DEFAULT '',	-- choice labels, one per line
	state		TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
	revealed	INTEGER NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL
);
CREATE INDEX live_polls_room ON live_polls(room_id);

-- One ballot per person per poll; a new vote before the close replaces it.
CREATE TABLE live_ballots (
	poll_id		BIGINT NOT NULL REFERENCES live_polls(id),
	person_id	BIGINT NOT NULL REFERENCES people(id),
	choices		BIGINT NOT NULL DEFAULT 0,	-- bit i: choice i (single, multi)
	value		INTEGER NOT NULL DEFAULT 0,	-- 1..5 (scale)
	text		TEXT NOT NULL DEFAULT '',	-- words and open text
	word_key	TEXT NOT NULL DEFAULT '',	-- text folded for the word cloud
	voted_at	BIGINT NOT NULL,
	PRIMARY KEY (poll_id, person_id)
);

-- What changed in a room, in commit order; the ids are the SSE event ids.
-- Only references are kept: a replay renders the object as it is now, so a
-- hidden question or an anonymous asker never comes back through it.
CREATE TABLE live_events (
	id		INTEGER PRIMARY KEY,
	room_id		BIGINT NOT NULL REFERENCES live_rooms(id),
	kind		TEXT NOT NULL,			-- 'question' or 'poll'
	ref_id		BIGINT NOT NULL,
	created_at	BIGINT NOT NULL
);
CREATE INDEX live_events_room ON live_events(room_id, id);
