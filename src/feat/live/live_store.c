/* live_store.c - every SQL statement of the live feature: rooms, their
 * event log, questions and upvotes, polls and ballots, the pre-convention
 * wall.  No rules live here (who may, who sees what): live.c decides, this
 * file reads and writes.  The wall reads the survey's answers in place
 * (they are its subject) but writes only the live_wall tables, and never
 * selects an author's name or email.  One exception to "no rules": a
 * person's data export (live_store_person_json) shows the text of a
 * question they upvoted only while it is shown to participants. */
#include "live_store.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../db/db.h"

#include <inttypes.h>
#include <string.h>

#define ROOM_COLS \
	"r.id, r.title, r.code, COALESCE(r.session_id, 0), r.need_approval," \
	" COALESCE(r.current_poll_id, 0)," \
	" (SELECT COALESCE(MAX(e.id), 0) FROM live_events e WHERE e.room_id = r.id)," \
	" r.screen, (SELECT COUNT(*) FROM live_wall_feeds f WHERE f.room_id = r.id)"

static const char sql_room_add[] =
	"INSERT INTO live_rooms (event_id, title, code, session_id, created_at)"
	" VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_room_get[] =
	"SELECT " ROOM_COLS " FROM live_rooms r WHERE r.event_id = $1 AND r.id = $2";
static const char sql_room_by_code[] =
	"SELECT " ROOM_COLS " FROM live_rooms r WHERE r.event_id = $1 AND r.code = $2";
static const char sql_room_by_session[] =
	"SELECT " ROOM_COLS " FROM live_rooms r WHERE r.event_id = $1 AND r.session_id = $2"
	" ORDER BY r.id LIMIT 1";
static const char sql_rooms[] =
	"SELECT " ROOM_COLS " FROM live_rooms r WHERE r.event_id = $1 ORDER BY r.id LIMIT 500";
static const char sql_room_approval[] =
	"UPDATE live_rooms SET need_approval = $2 WHERE id = $1";
static const char sql_room_current[] =
	"UPDATE live_rooms SET current_poll_id = $2 WHERE id = $1";
static const char sql_room_screen[] =
	"UPDATE live_rooms SET screen = $2 WHERE id = $1";
static const char sql_event_add[] =
	"INSERT INTO live_events (room_id, kind, ref_id, created_at)"
	" VALUES ($1, $2, $3, $4) RETURNING id";
static const char sql_events[] =
	"SELECT id, kind, ref_id FROM live_events WHERE room_id = $1 AND id > $2"
	" ORDER BY id LIMIT $3";

#define Q_COLS \
	"q.id, q.room_id, q.body, p.name, q.anonymous, q.state, q.answered, q.pinned," \
	" (SELECT COUNT(*) FROM live_upvotes u WHERE u.question_id = q.id)," \
	" (SELECT COUNT(*) FROM live_upvotes u WHERE u.question_id = q.id AND u.person_id = $3)," \
	" q.created_at, q.person_id"

static const char sql_q_add[] =
	"INSERT INTO live_questions (room_id, person_id, body, anonymous, state, created_at)"
	" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_q_get[] =
	"SELECT " Q_COLS " FROM live_questions q JOIN people p ON p.id = q.person_id"
	" WHERE q.room_id = $1 AND q.id = $2";
static const char sql_q_list_top[] =
	"SELECT " Q_COLS " FROM live_questions q JOIN people p ON p.id = q.person_id"
	" WHERE q.room_id = $1 AND (q.state = $2 OR q.state = $4)"
	" ORDER BY q.pinned DESC, 9 DESC, q.id DESC LIMIT 500";
static const char sql_q_list_new[] =
	"SELECT " Q_COLS " FROM live_questions q JOIN people p ON p.id = q.person_id"
	" WHERE q.room_id = $1 AND (q.state = $2 OR q.state = $4)"
	" ORDER BY q.pinned DESC, q.id DESC LIMIT 500";
static const char sql_q_state[] =
	"UPDATE live_questions SET state = $2 WHERE id = $1";
static const char sql_q_answered[] =
	"UPDATE live_questions SET answered = $2 WHERE id = $1";
static const char sql_q_pinned[] =
	"UPDATE live_questions SET pinned = $2 WHERE id = $1";
static const char sql_upvote[] =
	"INSERT INTO live_upvotes (question_id, person_id) VALUES ($1, $2)"
	" ON CONFLICT DO NOTHING RETURNING question_id";

#define POLL_COLS "id, room_id, kind, question, options, state, revealed"

static const char sql_poll_add[] =
	"INSERT INTO live_polls (room_id, kind, question, options, state, created_at)"
	" VALUES ($1, $2, $3, $4, 'draft', $5) RETURNING id";
static const char sql_poll_get[] =
	"SELECT " POLL_COLS " FROM live_polls WHERE room_id = $1 AND id = $2";
static const char sql_polls[] =
	"SELECT " POLL_COLS " FROM live_polls WHERE room_id = $1 ORDER BY id LIMIT 500";
static const char sql_poll_state[] =
	"UPDATE live_polls SET state = $3 WHERE id = $1 AND state = $2 RETURNING id";
static const char sql_poll_revealed[] =
	"UPDATE live_polls SET revealed = $2 WHERE id = $1";
static const char sql_vote[] =
	"INSERT INTO live_ballots (poll_id, person_id, choices, value, text, word_key, voted_at)"
	" SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS INTEGER),"
	" CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS BIGINT)"
	" WHERE EXISTS (SELECT 1 FROM live_polls WHERE id = $1 AND state = 'open')"
	" ON CONFLICT (poll_id, person_id) DO UPDATE SET choices = excluded.choices,"
	" value = excluded.value, text = excluded.text, word_key = excluded.word_key,"
	" voted_at = excluded.voted_at"
	" RETURNING poll_id";
/* sql_vote for LIVE_VOTES_ROWS rows: the poll (all rows share it) is
 * checked once, rows are bound as $1..$7 for the first, $8..$14 for the
 * next, and so on. */
#define VOTE_ROW(p, who, c, v, t, k, at) "(CAST($" #p " AS BIGINT), CAST($" #who " AS BIGINT)," \
	" CAST($" #c " AS BIGINT), CAST($" #v " AS INTEGER), CAST($" #t " AS TEXT)," \
	" CAST($" #k " AS TEXT), CAST($" #at " AS BIGINT))"
static const char sql_votes[] =
	"INSERT INTO live_ballots (poll_id, person_id, choices, value, text, word_key, voted_at)"
	" SELECT column1, column2, column3, column4, column5, column6, column7 FROM (VALUES "
	VOTE_ROW(1, 2, 3, 4, 5, 6, 7) ","
	VOTE_ROW(8, 9, 10, 11, 12, 13, 14) ","
	VOTE_ROW(15, 16, 17, 18, 19, 20, 21) ","
	VOTE_ROW(22, 23, 24, 25, 26, 27, 28) ","
	VOTE_ROW(29, 30, 31, 32, 33, 34, 35) ","
	VOTE_ROW(36, 37, 38, 39, 40, 41, 42) ","
	VOTE_ROW(43, 44, 45, 46, 47, 48, 49) ","
	VOTE_ROW(50, 51, 52, 53, 54, 55, 56)
	") AS v WHERE EXISTS (SELECT 1 FROM live_polls WHERE id = CAST($1 AS BIGINT) AND state = 'open')"
	" ON CONFLICT (poll_id, person_id) DO UPDATE SET choices = excluded.choices,"
	" value = excluded.value, text = excluded.text, word_key = excluded.word_key,"
	" voted_at = excluded.voted_at"
	" RETURNING poll_id";
static const char sql_ballots[] =
	"SELECT choices, value FROM live_ballots WHERE poll_id = $1";
static const char sql_words[] =
	"SELECT word_key, COUNT(*) FROM live_ballots WHERE poll_id = $1 AND word_key <> ''"
	" GROUP BY word_key ORDER BY 2 DESC, 1 LIMIT $2";
static const char sql_texts[] =
	"SELECT text FROM live_ballots WHERE poll_id = $1 AND text <> ''"
	" ORDER BY voted_at DESC, person_id LIMIT $2";
static const char sql_my_ballot[] =
	"SELECT choices, value, text FROM live_ballots WHERE poll_id = $1 AND person_id = $2";

/* An answer edited after the decision on it is pending again. */
#define WALL_STATE \
	"(CASE WHEN w.state <> 'pending' AND a.value <> w.answer THEN 'pending'" \
	" ELSE w.state END)"
#define WALL_COLS \
	"w.id, w.question_id, q.prompt, a.value, pa.name, " WALL_STATE
#define WALL_FROM \
	" FROM live_wall w" \
	" JOIN live_wall_feeds f ON f.room_id = w.room_id AND f.question_id = w.question_id" \
	" JOIN answers a ON a.question_id = w.question_id AND a.person_id = w.person_id" \
	" JOIN questions q ON q.id = w.question_id" \
	" JOIN people p ON p.id = w.person_id" \
	" LEFT JOIN partnerships pa ON pa.id = p.partnership_id"

/* Personal data: what one person put into the event's live rooms. */
static const char sql_my_questions[] =
	"SELECT r.title, q.body, q.anonymous, q.state, q.answered, q.created_at"
	" FROM live_questions q JOIN live_rooms r ON r.id = q.room_id"
	" WHERE q.person_id = $2 AND r.event_id = $1 ORDER BY q.id";
static const char sql_my_upvotes[] =
	"SELECT r.title, CASE WHEN q.state = 'visible' THEN q.body ELSE '' END"
	" FROM live_upvotes u JOIN live_questions q ON q.id = u.question_id"
	" JOIN live_rooms r ON r.id = q.room_id"
	" WHERE u.person_id = $2 AND r.event_id = $1 ORDER BY q.id";
static const char sql_my_ballots[] =
	"SELECT p.id, p.room_id, p.kind, p.question, p.options, p.state, p.revealed,"
	" r.title, b.choices, b.value, b.text, b.voted_at"
	" FROM live_ballots b JOIN live_polls p ON p.id = b.poll_id"
	" JOIN live_rooms r ON r.id = p.room_id"
	" WHERE b.person_id = $2 AND r.event_id = $1 ORDER BY b.voted_at, p.id";

static const char sql_wall_fed[] =
	"SELECT question_id FROM live_wall_feeds WHERE room_id = $1 ORDER BY question_id LIMIT 100";
static const char sql_wall_unfeed[] =
	"DELETE FROM live_wall_feeds WHERE room_id = $1";
static const char sql_wall_feed[] =
	"INSERT INTO live_wall_feeds (room_id, question_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
static const char sql_wall_sync[] =
	"INSERT INTO live_wall (room_id, question_id, person_id, state)"
	" SELECT f.room_id, a.question_id, a.person_id, 'pending'"
	" FROM live_wall_feeds f JOIN answers a ON a.question_id = f.question_id"
	" WHERE f.room_id = $1 AND NOT EXISTS (SELECT 1 FROM live_wall w"
	"  WHERE w.room_id = f.room_id AND w.question_id = a.question_id"
	"  AND w.person_id = a.person_id)"
	" ON CONFLICT DO NOTHING";
static const char sql_wall_sync_person[] =
	"INSERT INTO live_wall (room_id, question_id, person_id, state)"
	" SELECT f.room_id, a.question_id, a.person_id, 'pending'"
	" FROM live_wall_feeds f JOIN answers a ON a.question_id = f.question_id"
	" WHERE a.person_id = $1 AND NOT EXISTS (SELECT 1 FROM live_wall w"
	"  WHERE w.room_id = f.room_id AND w.question_id = a.question_id"
	"  AND w.person_id = a.person_id)"
	" ON CONFLICT DO NOTHING";
static const char sql_wall_of_person[] =
	"SELECT room_id, id FROM live_wall WHERE person_id = $1 ORDER BY id LIMIT $2";
static const char sql_wall_drop_gone[] =
	"DELETE FROM live_wall WHERE person_id = $1 AND NOT EXISTS (SELECT 1 FROM answers a"
	" WHERE a.person_id = live_wall.person_id AND a.question_id = live_wall.question_id)";
static const char sql_wall_newest[] =
	"SELECT " WALL_COLS WALL_FROM " WHERE w.room_id = $1 AND " WALL_STATE " = $2"
	" ORDER BY w.decided_at DESC, w.id DESC LIMIT $3";
static const char sql_wall_oldest[] =
	"SELECT " WALL_COLS WALL_FROM " WHERE w.room_id = $1 AND " WALL_STATE " = $2"
	" ORDER BY q.position, q.id, a.updated_at, w.id LIMIT $3";
static const char sql_wall_count[] =
	"SELECT COUNT(*)" WALL_FROM " WHERE w.room_id = $1 AND " WALL_STATE " = $2";
static const char sql_wall_get[] =
	"SELECT " WALL_COLS WALL_FROM " WHERE w.room_id = $1 AND w.id = $2";
static const char sql_wall_decide[] =
	"UPDATE live_wall SET state = $3, answer = $4, decided_at = $5"
	" WHERE room_id = $1 AND id = $2 RETURNING id";

/* A column's text copied into the arena ("" for NULL). */
static char *
col_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char	*s = db_col_text(st, col);
	char		*d = arena_strndup(a, s ? s : "", s ? db_col_len(st, col) : 0);

	return d ? d : (char *)(uintptr_t)"";
}

/* Fill r from ROOM_COLS. */
static void
room_row(struct arena *a, struct db_stmt *st, struct live_room *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	r->title = col_dup(a, st, 1);
	r->code = col_dup(a, st, 2);
	r->session_id = db_col_int(st, 3);
	r->need_approval = (int)db_col_int(st, 4);
	r->current_poll_id = db_col_int(st, 5);
	r->last_event_id = db_col_int(st, 6);
	r->wall_screen = strcmp(db_col_text(st, 7) ? db_col_text(st, 7) : "", "wall") == 0;
	r->wall_feeds = db_col_int(st, 8);
}

/* Run a one-room query. */
static enum app_err
one_room(struct arena *a, struct db_stmt *st, struct live_room *r)
{
	enum app_err rc = db_row(st);

	if (rc != E_OK)
		return rc;
	room_row(a, st, r);
	return db_done(st, DB_DONE);
}

enum app_err
live_store_room_add(struct db *db, int64_t event_id, const char *title, const char *code,
		    int64_t session_id, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_room_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, code);
	if (session_id > 0)
		db_bind_int(st, 4, session_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, now);
	return db_run_int(st, id);
}

enum app_err
live_store_room_get(struct db *db, struct arena *a, int64_t event_id, int64_t id,
		    struct live_room *r)
{
	struct db_stmt *st = db_prepare(db, sql_room_get);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	return one_room(a, st, r);
}

enum app_err
live_store_room_by_code(struct db *db, struct arena *a, int64_t event_id, const char *code,
			struct live_room *r)
{
	struct db_stmt *st = db_prepare(db, sql_room_by_code);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, code);
	return one_room(a, st, r);
}

enum app_err
live_store_room_by_session(struct db *db, struct arena *a, int64_t event_id, int64_t session_id,
			   struct live_room *r)
{
	struct db_stmt *st = db_prepare(db, sql_room_by_session);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, session_id);
	return one_room(a, st, r);
}

enum app_err
live_store_rooms(struct db *db, struct arena *a, int64_t event_id, struct live_room **out,
		 size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_rooms);
	int		 rc;

	*n = 0;
	*out = arena_alloc(a, LIVE_LIST_MAX * sizeof(**out));
	if (!st || !*out) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW && *n < LIVE_LIST_MAX)
		room_row(a, st, &(*out)[(*n)++]);
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}

enum app_err
live_store_room_approval(struct db *db, int64_t room_id, int on)
{
	struct db_stmt *st = db_prepare(db, sql_room_approval);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, on ? 1 : 0);
	return db_run(st);
}

enum app_err
live_store_room_current(struct db *db, int64_t room_id, int64_t poll_id)
{
	struct db_stmt *st = db_prepare(db, sql_room_current);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, poll_id);
	return db_run(st);
}

enum app_err
live_store_room_screen(struct db *db, int64_t room_id, const char *screen)
{
	struct db_stmt *st = db_prepare(db, sql_room_screen);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_text(st, 2, screen);
	return db_run(st);
}

enum app_err
live_store_event_add(struct db *db, int64_t room_id, const char *kind, int64_t ref_id,
		     int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_event_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_text(st, 2, kind);
	db_bind_int(st, 3, ref_id);
	db_bind_int(st, 4, now);
	return db_run_int(st, id);
}

enum app_err
live_store_events(struct db *db, struct arena *a, int64_t room_id, int64_t since_id,
		  size_t max, struct live_event_row **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_events);
	int		 rc;

	*n = 0;
	*out = arena_alloc(a, (max ? max : 1) * sizeof(**out));
	if (!st || !*out) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, since_id);
	db_bind_int(st, 3, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		struct live_event_row *e = &(*out)[(*n)++];

		e->id = db_col_int(st, 0);
		e->kind = col_dup(a, st, 1);
		e->ref_id = db_col_int(st, 2);
	}
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}

enum app_err
live_store_q_add(struct db *db, int64_t room_id, int64_t person_id, const char *body,
		 int anonymous, const char *state, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_q_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, body);
	db_bind_int(st, 4, anonymous ? 1 : 0);
	db_bind_text(st, 5, state);
	db_bind_int(st, 6, now);
	return db_run_int(st, id);
}

/* Fill q from Q_COLS. */
static void
q_row(struct arena *a, struct db_stmt *st, struct live_question_row *r)
{
	struct live_question *q = &r->q;

	memset(r, 0, sizeof(*r));
	q->id = db_col_int(st, 0);
	q->room_id = db_col_int(st, 1);
	q->body = col_dup(a, st, 2);
	q->asker = col_dup(a, st, 3);
	q->anonymous = (int)db_col_int(st, 4);
	q->state = col_dup(a, st, 5);
	q->answered = (int)db_col_int(st, 6);
	q->pinned = (int)db_col_int(st, 7);
	q->votes = db_col_int(st, 8);
	q->voted = db_col_int(st, 9) > 0;
	q->created_at = db_col_int(st, 10);
	r->person_id = db_col_int(st, 11);
}

enum app_err
live_store_q_get(struct db *db, struct arena *a, int64_t room_id, int64_t id,
		 int64_t viewer_id, struct live_question_row *out)
{
	struct db_stmt	*st = db_prepare(db, sql_q_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, viewer_id);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	q_row(a, st, out);
	return db_done(st, DB_DONE);
}

enum app_err
live_store_q_list(struct db *db, struct arena *a, int64_t room_id, int64_t viewer_id,
		  int with_pending, int pending_only, int by_new,
		  struct live_question_row **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, by_new ? sql_q_list_new : sql_q_list_top);
	int		 rc;

	*n = 0;
	*out = arena_alloc(a, LIVE_LIST_MAX * sizeof(**out));
	if (!st || !*out) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, room_id);
	db_bind_text(st, 2, pending_only ? "pending" : "visible");
	db_bind_int(st, 3, viewer_id);
	db_bind_text(st, 4, with_pending || pending_only ? "pending" : "visible");
	while ((rc = db_step(st)) == DB_ROW && *n < LIVE_LIST_MAX)
		q_row(a, st, &(*out)[(*n)++]);
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}

/* Set one column of a question (statement sql_x with $1 id, $2 value). */
static enum app_err
q_set_int(struct db *db, const char *sql, int64_t id, int64_t v)
{
	struct db_stmt *st = db_prepare(db, sql);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, v);
	return db_run(st);
}

enum app_err
live_store_q_state(struct db *db, int64_t id, const char *state)
{
	struct db_stmt *st = db_prepare(db, sql_q_state);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, state);
	return db_run(st);
}

enum app_err
live_store_q_answered(struct db *db, int64_t id, int on)
{
	return q_set_int(db, sql_q_answered, id, on ? 1 : 0);
}

enum app_err
live_store_q_pinned(struct db *db, int64_t id, int on)
{
	return q_set_int(db, sql_q_pinned, id, on ? 1 : 0);
}

enum app_err
live_store_upvote(struct db *db, int64_t question_id, int64_t person_id, int *added)
{
	struct db_stmt	*st = db_prepare(db, sql_upvote);
	int64_t		 id;
	enum app_err	 rc;

	*added = 0;
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, question_id);
	db_bind_int(st, 2, person_id);
	rc = db_run_int(st, &id);
	if (rc == E_NOTFOUND)
		return E_OK;	/* already upvoted */
	if (rc == E_OK)
		*added = 1;
	return rc;
}

/* Fill p from POLL_COLS; the options text is split into lines. */
static void
poll_row(struct arena *a, struct db_stmt *st, struct live_poll *p)
{
	static const char *const scale[] = { "1", "2", "3", "4", "5" };
	char	*opts;
	int	 k;

	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->room_id = db_col_int(st, 1);
	if (live_kind_from_name(db_col_text(st, 2), &p->kind) < 0)
		p->kind = LIVE_TEXT;
	p->question = col_dup(a, st, 3);
	opts = col_dup(a, st, 4);
	p->state = col_dup(a, st, 5);
	p->revealed = (int)db_col_int(st, 6);
	if (p->kind == LIVE_SCALE) {
		for (k = 0; k < 5; k++)
			p->options[k] = scale[k];
		p->noptions = 5;
		return;
	}
	if (p->kind != LIVE_SINGLE && p->kind != LIVE_MULTI)
		return;
	while (*opts && p->noptions < LIVE_OPTIONS_MAX) {
		char *nl = strchr(opts, '\n');

		if (nl)
			*nl = '\0';
		p->options[p->noptions++] = opts;
		if (!nl)
			break;
		opts = nl + 1;
	}
}

enum app_err
live_store_poll_add(struct db *db, int64_t room_id, const char *kind, const char *question,
		    const char *options, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_poll_add);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, question);
	db_bind_text(st, 4, options);
	db_bind_int(st, 5, now);
	return db_run_int(st, id);
}

enum app_err
live_store_poll_get(struct db *db, struct arena *a, int64_t room_id, int64_t id,
		    struct live_poll *p)
{
	struct db_stmt	*st = db_prepare(db, sql_poll_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, id);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	poll_row(a, st, p);
	return db_done(st, DB_DONE);
}

enum app_err
live_store_polls(struct db *db, struct arena *a, int64_t room_id, struct live_poll **out,
		 size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_polls);
	int		 rc;

	*n = 0;
	*out = arena_alloc(a, LIVE_LIST_MAX * sizeof(**out));
	if (!st || !*out) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, room_id);
	while ((rc = db_step(st)) == DB_ROW && *n < LIVE_LIST_MAX)
		poll_row(a, st, &(*out)[(*n)++]);
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}

enum app_err
live_store_poll_state(struct db *db, int64_t id, const char *from, const char *to)
{
	struct db_stmt	*st = db_prepare(db, sql_poll_state);
	int64_t		 got;
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	rc = db_run_int(st, &got);
	return rc == E_NOTFOUND ? E_CONFLICT : rc;
}

enum app_err
live_store_poll_revealed(struct db *db, int64_t id, int on)
{
	struct db_stmt *st = db_prepare(db, sql_poll_revealed);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, on ? 1 : 0);
	return db_run(st);
}

enum app_err
live_store_vote(struct db *db, int64_t poll_id, int64_t person_id, int64_t choices,
		int value, const char *text, const char *word_key, int64_t now)
{
	struct db_stmt	*st = db_prepare(db, sql_vote);
	int64_t		 got;
	enum app_err	 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, poll_id);
	db_bind_int(st, 2, person_id);
	db_bind_int(st, 3, choices);
	db_bind_int(st, 4, value);
	db_bind_text(st, 5, text);
	db_bind_text(st, 6, word_key);
	db_bind_int(st, 7, now);
	rc = db_run_int(st, &got);
	return rc == E_NOTFOUND ? E_CLOSED : rc;
}

enum app_err
live_store_votes(struct db *db, const struct live_vote_row *rows)
{
	struct db_stmt	*st = db_prepare(db, sql_votes);
	int		 i, rc, n = 0;

	if (!st)
		return E_INTERNAL;
	for (i = 0; i < LIVE_VOTES_ROWS; i++) {
		const struct live_vote_row *r = &rows[i];

		assert(r->poll_id == rows[0].poll_id);
		db_bind_int(st, 7 * i + 1, r->poll_id);
		db_bind_int(st, 7 * i + 2, r->person_id);
		db_bind_int(st, 7 * i + 3, r->choices);
		db_bind_int(st, 7 * i + 4, r->value);
		db_bind_text(st, 7 * i + 5, r->text);
		db_bind_text(st, 7 * i + 6, r->word_key);
		db_bind_int(st, 7 * i + 7, r->now);
	}
	while ((rc = db_step(st)) == DB_ROW)
		n++;
	if (rc != DB_DONE)
		return db_done(st, rc);
	if (db_finalize(st) < 0)
		return E_INTERNAL;
	return n ? E_OK : E_CLOSED;
}

enum app_err
live_store_ballots(struct db *db, struct arena *a, int64_t poll_id,
		   struct live_ballot_row **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_ballots);
	size_t		 cap = 256;
	int		 rc;

	*n = 0;
	*out = arena_alloc(a, cap * sizeof(**out));
	if (!st || !*out) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, poll_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct live_ballot_row *bigger = arena_alloc(a, 2 * cap * sizeof(**out));

			if (!bigger) {
				db_finalize(st);
				return E_INTERNAL;
			}
			memcpy(bigger, *out, cap * sizeof(**out));
			*out = bigger;
			cap *= 2;
		}
		(*out)[*n].choices = db_col_int(st, 0);
		(*out)[*n].value = (int)db_col_int(st, 1);
		(*n)++;
	}
	return db_done(st, rc);
}

/* Run a (text, count) or (text) query into words. */
static enum app_err
word_rows(struct arena *a, struct db_stmt *st, int64_t poll_id, size_t max,
	  struct live_word **out, size_t *n)
{
	int rc;

	*n = 0;
	*out = arena_alloc(a, (max ? max : 1) * sizeof(**out));
	if (!*out) {
		db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, poll_id);
	db_bind_int(st, 2, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		(*out)[*n].word = col_dup(a, st, 0);
		(*out)[*n].n = db_ncols(st) > 1 ? db_col_int(st, 1) : 1;
		(*n)++;
	}
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}

enum app_err
live_store_words(struct db *db, struct arena *a, int64_t poll_id, size_t max,
		 struct live_word **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_words);

	if (!st)
		return E_INTERNAL;
	return word_rows(a, st, poll_id, max, out, n);
}

enum app_err
live_store_texts(struct db *db, struct arena *a, int64_t poll_id, size_t max,
		 struct live_word **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_texts);

	if (!st)
		return E_INTERNAL;
	return word_rows(a, st, poll_id, max, out, n);
}

enum app_err
live_store_my_ballot(struct db *db, struct arena *a, int64_t poll_id, int64_t person_id,
		     int64_t *choices, int *value, const char **text)
{
	struct db_stmt	*st = db_prepare(db, sql_my_ballot);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, poll_id);
	db_bind_int(st, 2, person_id);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	*choices = db_col_int(st, 0);
	*value = (int)db_col_int(st, 1);
	*text = col_dup(a, st, 2);
	return db_done(st, DB_DONE);
}

/* Append to b, after ,"name": (no comma for the first member), a JSON
 * member's string value from column col. */
static void
json_col(struct buf *b, const char *name, struct db_stmt *st, int col, int first)
{
	const char *s = db_col_text(st, col);

	buf_addf(b, "%s\"%s\":", first ? "" : ",", name);
	buf_add_json_str(b, s ? s : "", s ? db_col_len(st, col) : 0);
}

/* One ballot's answer as JSON: the choices' labels, the scale's value or
 * the text. */
static void
json_ballot_answer(struct buf *b, const struct live_poll *p, struct db_stmt *st)
{
	int64_t	 choices = db_col_int(st, 8);
	int	 k, first = 1;

	switch (p->kind) {
	case LIVE_SINGLE:
	case LIVE_MULTI:
		buf_adds(b, "[");
		for (k = 0; k < p->noptions; k++)
			if (choices & ((int64_t)1 << k)) {
				buf_adds(b, first ? "" : ",");
				buf_add_json_str(b, p->options[k], strlen(p->options[k]));
				first = 0;
			}
		buf_adds(b, "]");
		break;
	case LIVE_SCALE:
		buf_addf(b, "%" PRId64, db_col_int(st, 9));
		break;
	default:
		buf_add_json_str(b, db_col_text(st, 10) ? db_col_text(st, 10) : "",
				 db_col_text(st, 10) ? db_col_len(st, 10) : 0);
		break;
	}
}

enum app_err
live_store_person_json(struct db *db, int64_t event_id, int64_t person_id, struct buf *b)
{
	static const char *const sql[] = { sql_my_questions, sql_my_upvotes, sql_my_ballots };
	static const char *const names[] = { "questions", "upvotes", "poll_answers" };
	struct db_stmt	*st;
	struct live_poll p;
	enum app_err	 err = E_OK;
	int		 i, rc, first;

	buf_adds(b, "\"live\":{");
	for (i = 0; i < 3 && err == E_OK; i++) {
		if (!(st = db_prepare(db, sql[i])))
			return E_INTERNAL;
		db_bind_int(st, 1, event_id);
		db_bind_int(st, 2, person_id);
		buf_addf(b, "%s\"%s\":[", i ? "," : "", names[i]);
		for (first = 1; (rc = db_step(st)) == DB_ROW; first = 0) {
			buf_adds(b, first ? "{" : ",{");
			json_col(b, "room", st, i == 2 ? 7 : 0, 1);
			if (i == 0) {
				json_col(b, "question", st, 1, 0);
				buf_addf(b, ",\"anonymous\":%s", db_col_int(st, 2) ? "true" : "false");
				json_col(b, "state", st, 3, 0);
				buf_addf(b, ",\"answered\":%s,\"asked_at\":%" PRId64,
					 db_col_int(st, 4) ? "true" : "false", db_col_int(st, 5));
			} else if (i == 1) {
				json_col(b, "question", st, 1, 0);	/* "" once no longer shown */
			} else {
				struct arena *a = arena_new(1u << 14);	/* one poll's text */

				poll_row(a, st, &p);
				json_col(b, "poll", st, 3, 0);
				buf_addf(b, ",\"kind\":\"%s\",\"answer\":", live_kind_name(p.kind));
				json_ballot_answer(b, &p, st);
				buf_addf(b, ",\"voted_at\":%" PRId64, db_col_int(st, 11));
				arena_free(a);
			}
			buf_adds(b, "}");
		}
		buf_adds(b, "]");
		err = db_done(st, rc);
	}
	buf_adds(b, "}");
	return err;
}

enum app_err
live_store_wall_fed(struct db *db, struct arena *a, int64_t room_id, int64_t **out, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_wall_fed);
	int		 rc;

	*n = 0;
	*out = arena_alloc(a, 100 * sizeof(**out));
	if (!st || !*out) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, room_id);
	while ((rc = db_step(st)) == DB_ROW && *n < 100)
		(*out)[(*n)++] = db_col_int(st, 0);
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}

enum app_err
live_store_wall_feed_set(struct db *db, int64_t room_id, const int64_t *qids, size_t n)
{
	struct db_stmt	*st = db_prepare(db, sql_wall_unfeed);
	enum app_err	 rc;
	size_t		 i;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	rc = db_run(st);
	for (i = 0; rc == E_OK && i < n; i++) {
		if (!(st = db_prepare(db, sql_wall_feed)))
			return E_INTERNAL;
		db_bind_int(st, 1, room_id);
		db_bind_int(st, 2, qids[i]);
		rc = db_run(st);
	}
	return rc;
}

enum app_err
live_store_wall_sync(struct db *db, int64_t room_id)
{
	return db_run_id(db, sql_wall_sync, room_id);
}

/* A version of an answer's text for forms: 53 bits of its FNV-1a hash
 * (exact in JSON numbers too).  A moderator's decision names the version
 * seen, so an answer edited in between is never approved unseen. */
static int64_t
text_version(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return (int64_t)(h & ((UINT64_C(1) << 53) - 1)) + 1;
}

/* Fill c from WALL_COLS. */
static void
wall_row(struct arena *a, struct db_stmt *st, struct live_wall_card *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->question_id = db_col_int(st, 1);
	c->prompt = col_dup(a, st, 2);
	c->answer = col_dup(a, st, 3);
	c->partnership = db_col_text(st, 4) ? col_dup(a, st, 4) : NULL;
	c->state = col_dup(a, st, 5);
	c->version = text_version(c->answer);
}

enum app_err
live_store_wall_list(struct db *db, struct arena *a, int64_t room_id, const char *state,
		     size_t max, struct live_wall_card **out, size_t *n, int64_t *total)
{
	struct db_stmt	*st;
	int		 rc;

	*n = 0;
	*total = 0;
	*out = arena_alloc(a, (max ? max : 1) * sizeof(**out));
	if (!*out)
		return E_INTERNAL;
	st = db_prepare(db, strcmp(state, "pending") == 0 ? sql_wall_oldest : sql_wall_newest);
	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_text(st, 2, state);
	db_bind_int(st, 3, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		wall_row(a, st, &(*out)[(*n)++]);
	if ((rc = db_done(st, rc == DB_ROW ? DB_DONE : rc)) != E_OK)
		return rc;
	if (!(st = db_prepare(db, sql_wall_count)))
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_text(st, 2, state);
	return db_run_int(st, total);
}

enum app_err
live_store_wall_get(struct db *db, struct arena *a, int64_t room_id, int64_t id,
		    struct live_wall_card *c)
{
	struct db_stmt	*st = db_prepare(db, sql_wall_get);
	int		 rc;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, id);
	if ((rc = db_row(st)) != E_OK)
		return rc;
	wall_row(a, st, c);
	return db_done(st, DB_DONE);
}

enum app_err
live_store_wall_decide(struct db *db, int64_t room_id, int64_t id, const char *state,
		       const char *answer, int64_t now)
{
	struct db_stmt	*st = db_prepare(db, sql_wall_decide);
	int64_t		 got;

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, state);
	db_bind_text(st, 4, answer);
	db_bind_int(st, 5, now);
	return db_run_int(st, &got);
}

enum app_err
live_store_wall_sync_person(struct db *db, int64_t person_id)
{
	return db_run_id(db, sql_wall_sync_person, person_id);
}

enum app_err
live_store_wall_drop_gone(struct db *db, int64_t person_id)
{
	return db_run_id(db, sql_wall_drop_gone, person_id);
}

enum app_err
live_store_wall_of_person(struct db *db, struct arena *a, int64_t person_id, size_t max,
			  int64_t **rooms, int64_t **ids, size_t *n)
{
	struct db_stmt	*st = db_prepare(db, sql_wall_of_person);
	int		 rc;

	*n = 0;
	*rooms = arena_alloc(a, (max ? max : 1) * sizeof(**rooms));
	*ids = arena_alloc(a, (max ? max : 1) * sizeof(**ids));
	if (!st || !*rooms || !*ids) {
		if (st)
			db_finalize(st);
		return E_INTERNAL;
	}
	db_bind_int(st, 1, person_id);
	db_bind_int(st, 2, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		(*rooms)[*n] = db_col_int(st, 0);
		(*ids)[*n] = db_col_int(st, 1);
		(*n)++;
	}
	return db_done(st, rc == DB_ROW ? DB_DONE : rc);
}
