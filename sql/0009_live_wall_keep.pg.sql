-- 0009 live wall: a wall entry outlives its answer until the live room
-- has told every screen.  In 0008 deleting an answer (its author emptied
-- it, or was erased) deleted the entry with it, so nothing was left to
-- name in the "unwall" event and open presenter screens kept showing the
-- card until their next wall event.  Now the entry stays, invisible (every
-- read joins the answer), until live_wall_answered() records that event
-- and deletes it.  Deleting a question still deletes its entries.  The
-- SQLite version rebuilds the table instead.

ALTER TABLE live_wall DROP CONSTRAINT live_wall_person_id_question_id_fkey;
ALTER TABLE live_wall ADD FOREIGN KEY (question_id) REFERENCES questions(id) ON DELETE CASCADE;
