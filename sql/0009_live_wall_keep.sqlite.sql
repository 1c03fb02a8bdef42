-- 0009 live wall: a wall entry outlives its answer until the live room
-- has told every screen.  In 0008 deleting an answer (its author emptied
-- it, or was erased) deleted the entry with it, so nothing was left to
-- name in the "unwall" event and open presenter screens kept showing the
-- card until their next wall event.  Now the entry stays, invisible (every
-- read joins the answer), until live_wall_answered() records that event
-- and deletes it.  Deleting a question still deletes its entries.
-- SQLite cannot drop a foreign key, so the table is rebuilt;
-- 0009_live_wall_keep.pg.sql alters it.

CREATE TABLE live_wall_new (
	id		INTEGER PRIMARY KEY,
	room_id		BIGINT NOT NULL REFERENCES live_rooms(id),
	question_id	BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL,
	state		TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
	answer		TEXT NOT NULL DEFAULT '',		-- answers.value the decision was made on
	decided_at	BIGINT NOT NULL DEFAULT 0,		-- when approved or rejected (the wall's order)
	UNIQUE (room_id, question_id, person_id)
);
INSERT INTO live_wall_new (id, room_id, question_id, person_id, state, answer, decided_at)
	SELECT id, room_id, question_id, person_id, state, answer, decided_at FROM live_wall;
DROP TABLE live_wall;
ALTER TABLE live_wall_new RENAME TO live_wall;
CREATE INDEX live_wall_room ON live_wall(room_id, state, decided_at);
CREATE INDEX live_wall_answer ON live_wall(person_id, question_id);
