-- 0008 live wall: the pre-convention answers shown back on a live room's
-- presenter screen once a moderator approves them.  SQLite version;
-- 0008_live_wall.pg.sql differs only in how the id column generates its
-- values.
--
-- A room's wall is fed by some questions of the pre-convention set
-- (live_wall_feeds).  Each answer to a fed question gets one row in
-- live_wall per room, made when a moderator first lists the queue: the
-- row's id is what moderators' forms and live events name, so no page
-- ever carries a person's id.  answer is the text the decision was made
-- on: an answer whose text has changed since counts as pending again,
-- whatever state says.  Deleting the answer (its author emptied it, or
-- was erased) deletes the row.

ALTER TABLE live_rooms ADD COLUMN screen TEXT NOT NULL DEFAULT 'main';	-- 'main' or 'wall': what the presenter screen shows

CREATE TABLE live_wall_feeds (
	room_id		BIGINT NOT NULL REFERENCES live_rooms(id),
	question_id	BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	PRIMARY KEY (room_id, question_id)
);

CREATE TABLE live_wall (
	id		INTEGER PRIMARY KEY,
	room_id		BIGINT NOT NULL REFERENCES live_rooms(id),
	question_id	BIGINT NOT NULL,
	person_id	BIGINT NOT NULL,
	state		TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
	answer		TEXT NOT NULL DEFAULT '',		-- answers.value the decision was made on
	decided_at	BIGINT NOT NULL DEFAULT 0,		-- when approved or rejected (the wall's order)
	UNIQUE (room_id, question_id, person_id),
	FOREIGN KEY (person_id, question_id) REFERENCES answers(person_id, question_id) ON DELETE CASCADE
);
CREATE INDEX live_wall_room ON live_wall(room_id, state, decided_at);
CREATE INDEX live_wall_answer ON live_wall(person_id, question_id);
