-- 0002 agenda: the convention's programme - days, rooms, tracks, speakers,
-- sessions and their speakers, stars ("my agenda"), sign-ups with a
-- waiting list, the schedule version and what each person last saw.
-- SQLite version; 0002_agenda.pg.sql is the same schema for PostgreSQL
-- (they differ only in how an id column generates its values).

CREATE TABLE agenda_days (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	day		TEXT NOT NULL,			-- YYYY-MM-DD, local to the venue
	title		TEXT NOT NULL DEFAULT '',
	UNIQUE (event_id, day)
);

CREATE TABLE agenda_rooms (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	position	BIGINT NOT NULL DEFAULT 0,	-- column order in the grid
	UNIQUE (event_id, name)
);

CREATE TABLE agenda_tracks (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	UNIQUE (event_id, name)
);

CREATE TABLE agenda_speakers (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id	BIGINT REFERENCES people(id) ON DELETE SET NULL,
	name		TEXT NOT NULL,
	affiliation	TEXT NOT NULL DEFAULT '',
	bio		TEXT NOT NULL DEFAULT '',
	photo		BYTEA,				-- checked image bytes
	photo_type	TEXT,				-- image/png, image/jpeg, image/webp
	photo_name	TEXT,				-- generated, never the uploaded name
	photo_width	BIGINT NOT NULL DEFAULT 0,
	photo_height	BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX agenda_speakers_event ON agenda_speakers(event_id);

CREATE TABLE agenda_sessions (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	day_id		BIGINT NOT NULL REFERENCES agenda_days(id),
	room_id		BIGINT REFERENCES agenda_rooms(id) ON DELETE SET NULL,
	track_id	BIGINT REFERENCES agenda_tracks(id) ON DELETE SET NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('keynote', 'workshop',
				'peer-learning', 'dragons-den', 'plenary', 'break')),
	title		TEXT NOT NULL,
	description	TEXT NOT NULL DEFAULT '',
	start_min	BIGINT NOT NULL,		-- minutes after local midnight
	end_min		BIGINT NOT NULL,
	capacity	BIGINT NOT NULL DEFAULT 0,	-- 0: no sign-up needed
	changed_version	BIGINT NOT NULL DEFAULT 0,	-- schedule version of its last change
	CHECK (end_min > start_min)
);
CREATE INDEX agenda_sessions_day ON agenda_sessions(day_id, start_min);
CREATE INDEX agenda_sessions_event ON agenda_sessions(event_id);

CREATE TABLE agenda_session_speakers (
	session_id	BIGINT NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
	speaker_id	BIGINT NOT NULL REFERENCES agenda_speakers(id) ON DELETE CASCADE,
	PRIMARY KEY (session_id, speaker_id)
);
CREATE INDEX agenda_session_speakers_speaker ON agenda_session_speakers(speaker_id);

CREATE TABLE agenda_stars (
	session_id	BIGINT NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	PRIMARY KEY (session_id, person_id)
);
CREATE INDEX agenda_stars_person ON agenda_stars(person_id);

-- One row per person per session; the id orders the waiting list.
CREATE TABLE agenda_signups (
	id		INTEGER PRIMARY KEY,
	session_id	BIGINT NOT NULL REFERENCES agenda_sessions(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	status		TEXT NOT NULL CHECK (status IN ('seat', 'waiting')),
	created_at	BIGINT NOT NULL,
	UNIQUE (session_id, person_id)
);
CREATE INDEX agenda_signups_status ON agenda_signups(session_id, status, id);
CREATE INDEX agenda_signups_person ON agenda_signups(person_id);

CREATE TABLE agenda_versions (
	event_id	BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	version		BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE agenda_seen (
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	version		BIGINT NOT NULL,
	PRIMARY KEY (event_id, person_id)
);
