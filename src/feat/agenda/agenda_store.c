/* agenda_store.c - every SQL statement of the agenda feature: days, rooms,
 * tracks, speakers and their photos, sessions and their speakers, stars,
 * sign-ups and the waiting list, the schedule version and what each person
 * last saw.  No rules live here (who may, what is valid): agenda.c decides,
 * this file reads and writes. */
#include "agenda_store.h"
#include "../../core/arena.h"
#include "../../db/db.h"

static const char sql_days[] =
	"SELECT id, day, title FROM agenda_days WHERE event_id = $1 ORDER BY day, id";
static const char sql_rooms[] =
	"SELECT id, name, position FROM agenda_rooms WHERE event_id = $1"
	" ORDER BY position, id";
static const char sql_tracks[] =
	"SELECT id, name FROM agenda_tracks WHERE event_id = $1 ORDER BY name, id";
static const char sql_speakers[] =
	"SELECT id, COALESCE(person_id, 0), name, affiliation, bio,"
	" CASE WHEN photo IS NULL THEN 0 ELSE 1 END"
	" FROM agenda_speakers WHERE event_id = $1 ORDER BY name, id";
static const char sql_sessions[] =
	"SELECT s.id, s.day_id, COALESCE(s.room_id, 0), COALESCE(s.track_id, 0),"
	" s.kind, s.title, s.description, s.start_min, s.end_min, s.capacity,"
	" s.changed_version,"
	" (SELECT COUNT(*) FROM agenda_signups g WHERE g.session_id = s.id AND g.status = 'seat'),"
	" (SELECT COUNT(*) FROM agenda_signups g WHERE g.session_id = s.id AND g.status = 'waiting')"
	" FROM agenda_sessions s JOIN agenda_days d ON d.id = s.day_id"
	" LEFT JOIN agenda_rooms r ON r.id = s.room_id"
	" WHERE s.event_id = $1"
	" ORDER BY d.day, s.start_min, COALESCE(r.position, -1), s.id";
static const char sql_session_speakers[] =
	"SELECT ss.session_id, ss.speaker_id FROM agenda_session_speakers ss"
	" JOIN agenda_sessions s ON s.id = ss.session_id"
	" JOIN agenda_speakers sp ON sp.id = ss.speaker_id"
	" WHERE s.event_id = $1 ORDER BY ss.session_id, sp.name, sp.id";
static const char sql_version[] =
	"SELECT version FROM agenda_versions WHERE event_id = $1";
static const char sql_version_bump[] =
	"INSERT INTO agenda_versions (event_id, version) VALUES ($1, 1)"
	" ON CONFLICT (event_id) DO UPDATE SET version = agenda_versions.version + 1"
	" RETURNING version";
static const char sql_seen_get[] =
	"SELECT version FROM agenda_seen WHERE event_id = $1 AND person_id = $2";
static const char sql_seen_set[] =
	"INSERT INTO agenda_seen (event_id, person_id, version) VALUES ($1, $2, $3)"
	" ON CONFLICT (event_id, person_id) DO UPDATE SET version = excluded.version";
static const char sql_stars_of[] =
	"SELECT st.session_id FROM agenda_stars st"
	" JOIN agenda_sessions s ON s.id = st.session_id"
	" WHERE s.event_id = $1 AND st.person_id = $2";
static const char sql_signups_of[] =
	"SELECT g.session_id, g.status,"
	" (SELECT COUNT(*) FROM agenda_signups w WHERE w.session_id = g.session_id"
	"  AND w.status = 'waiting' AND w.id <= g.id)"
	" FROM agenda_signups g JOIN agenda_sessions s ON s.id = g.session_id"
	" WHERE s.event_id = $1 AND g.person_id = $2";
static const char sql_star_add[] =
	"INSERT INTO agenda_stars (session_id, person_id) VALUES ($1, $2)"
	" ON CONFLICT DO NOTHING";
static const char sql_star_remove[] =
	"DELETE FROM agenda_stars WHERE session_id = $1 AND person_id = $2";
static const char sql_session_lock[] =
	"UPDATE agenda_sessions SET capacity = capacity"
	" WHERE id = $2 AND event_id = $1 RETURNING capacity";
static const char sql_signup_get[] =
	"SELECT status FROM agenda_signups WHERE session_id = $1 AND person_id = $2";
static const char sql_seats_taken[] =
	"SELECT COUNT(*) FROM agenda_signups WHERE session_id = $1 AND status = 'seat'";
static const char sql_signup_add[] =
	"INSERT INTO agenda_signups (session_id, person_id, status, created_at)"
	" VALUES ($1, $2, $3, $4)";
static const char sql_signup_remove[] =
	"DELETE FROM agenda_signups WHERE session_id = $1 AND person_id = $2"
	" RETURNING id";
static const char sql_promote_first[] =
	"UPDATE agenda_signups SET status = 'seat' WHERE id ="
	" (SELECT id FROM agenda_signups WHERE session_id = $1 AND status = 'waiting'"
	"  ORDER BY id LIMIT 1) RETURNING person_id";
static const char sql_day_add[] =
	"INSERT INTO agenda_days (event_id, day, title) VALUES ($1, $2, $3) RETURNING id";
static const char sql_day_update[] =
	"UPDATE agenda_days SET day = $3, title = $4 WHERE id = $2 AND event_id = $1"
	" RETURNING id";
static const char sql_day_delete[] =
	"DELETE FROM agenda_days WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_day_sessions[] =
	"SELECT COUNT(*) FROM agenda_sessions WHERE day_id = $1";
static const char sql_room_add[] =
	"INSERT INTO agenda_rooms (event_id, name, position) VALUES ($1, $2, $3) RETURNING id";
static const char sql_room_update[] =
	"UPDATE agenda_rooms SET name = $3, position = $4 WHERE id = $2 AND event_id = $1"
	" RETURNING id";
static const char sql_room_delete[] =
	"DELETE FROM agenda_rooms WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_track_add[] =
	"INSERT INTO agenda_tracks (event_id, name) VALUES ($1, $2) RETURNING id";
static const char sql_track_update[] =
	"UPDATE agenda_tracks SET name = $3 WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_track_delete[] =
	"DELETE FROM agenda_tracks WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_owns_day[] =
	"SELECT id FROM agenda_days WHERE id = $2 AND event_id = $1";
static const char sql_owns_room[] =
	"SELECT id FROM agenda_rooms WHERE id = $2 AND event_id = $1";
static const char sql_owns_track[] =
	"SELECT id FROM agenda_tracks WHERE id = $2 AND event_id = $1";
static const char sql_owns_speaker[] =
	"SELECT id FROM agenda_speakers WHERE id = $2 AND event_id = $1";
static const char sql_owns_session[] =
	"SELECT id FROM agenda_sessions WHERE id = $2 AND event_id = $1";
static const char sql_session_add[] =
	"INSERT INTO agenda_sessions (event_id, day_id, room_id, track_id, kind, title,"
	" description, start_min, end_min, capacity, changed_version)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
static const char sql_session_update[] =
	"UPDATE agenda_sessions SET day_id = $3, room_id = $4, track_id = $5, kind = $6,"
	" title = $7, description = $8, start_min = $9, end_min = $10, capacity = $11,"
	" changed_version = $12 WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_session_delete[] =
	"DELETE FROM agenda_sessions WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_session_speakers_clear[] =
	"DELETE FROM agenda_session_speakers WHERE session_id = $1";
static const char sql_session_speaker_add[] =
	"INSERT INTO agenda_session_speakers (session_id, speaker_id) VALUES ($1, $2)"
	" ON CONFLICT DO NOTHING";
static const char sql_room_clashes[] =
	"SELECT title FROM agenda_sessions WHERE event_id = $1 AND id <> $2"
	" AND day_id = $3 AND room_id = $4 AND start_min < $6 AND end_min > $5"
	" ORDER BY start_min, id";
static const char sql_speaker_clashes[] =
	"SELECT s.title FROM agenda_sessions s"
	" JOIN agenda_session_speakers ss ON ss.session_id = s.id"
	" WHERE s.event_id = $1 AND s.id <> $2 AND s.day_id = $3 AND ss.speaker_id = $4"
	" AND s.start_min < $6 AND s.end_min > $5 ORDER BY s.start_min, s.id";
static const char sql_speaker_add[] =
	"INSERT INTO agenda_speakers (event_id, person_id, name, affiliation, bio)"
	" VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_speaker_update[] =
	"UPDATE agenda_speakers SET person_id = $3, name = $4, affiliation = $5, bio = $6"
	" WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_speaker_photo_set[] =
	"UPDATE agenda_speakers SET photo = $3, photo_type = $4, photo_name = $5,"
	" photo_width = $6, photo_height = $7 WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_speaker_photo_clear[] =
	"UPDATE agenda_speakers SET photo = NULL, photo_type = NULL, photo_name = NULL,"
	" photo_width = 0, photo_height = 0 WHERE id = $2 AND event_id = $1 RETURNING id";
static const char sql_speaker_photo[] =
	"SELECT photo, photo_type FROM agenda_speakers"
	" WHERE id = $2 AND event_id = $1 AND photo IS NOT NULL";
static const char sql_person_speaks[] =
	"SELECT COUNT(*) FROM agenda_session_speakers ss"
	" JOIN agenda_speakers sp ON sp.id = ss.speaker_id"
	" WHERE ss.session_id = $1 AND sp.person_id = $2 AND sp.event_id = $3";
static const char sql_speaker_delete[] =
	"DELETE FROM agenda_speakers WHERE id = $2 AND event_id = $1 RETURNING id";

/* A column's text copied into the arena ("" for NULL). */
static const char *
col_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? arena_strndup(a, s, db_col_len(st, col)) : "";
}

/* Make room for one more element of size sz in an arena array. */
static void *
grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t sz)
{
	void *p;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	p = arena_alloc(a, *cap * sz);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, arr, n * sz);
	return p;
}

enum app_err
agenda_store_days(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag)
{
	struct db_stmt	*st = db_prepare(db, sql_days);
	size_t		 cap = 0;
	int		 rc;

	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		ag->days = grow(a, ag->days, ag->ndays, &cap, sizeof(*ag->days));
		if (!ag->days)
			break;
		ag->days[ag->ndays].id = db_col_int(st, 0);
		ag->days[ag->ndays].date = col_dup(a, st, 1);
		ag->days[ag->ndays].title = col_dup(a, st, 2);
		ag->ndays++;
	}
	if (rc == DB_ROW) {
		db_finalize(st);
		return E_INTERNAL;
	}
	return db_done(st, rc);
}

enum app_err
agenda_store_rooms(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag)
{
	struct db_stmt	*st = db_prepare(db, sql_rooms);
	size_t		 cap = 0;
	int		 rc;

	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		ag->rooms = grow(a, ag->rooms, ag->nrooms, &cap, sizeof(*ag->rooms));
		if (!ag->rooms)
			break;
		ag->rooms[ag->nrooms].id = db_col_int(st, 0);
		ag->rooms[ag->nrooms].name = col_dup(a, st, 1);
		ag->rooms[ag->nrooms].position = db_col_int(st, 2);
		ag->nrooms++;
	}
	if (rc == DB_ROW) {
		db_finalize(st);
		return E_INTERNAL;
	}
	return db_done(st, rc);
}

enum app_err
agenda_store_tracks(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag)
{
	struct db_stmt	*st = db_prepare(db, sql_tracks);
	size_t		 cap = 0;
	int		 rc;

	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		ag->tracks = grow(a, ag->tracks, ag->ntracks, &cap, sizeof(*ag->tracks));
		if (!ag->tracks)
			break;
		ag->tracks[ag->ntracks].id = db_col_int(st, 0);
		ag->tracks[ag->ntracks].name = col_dup(a, st, 1);
		ag->ntracks++;
	}
	if (rc == DB_ROW) {
		db_finalize(st);
		return E_INTERNAL;
	}
	return db_done(st, rc);
}

enum app_err
agenda_store_speakers(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag)
{
	struct db_stmt		*st = db_prepare(db, sql_speakers);
	struct agenda_speaker	*sp;
	size_t			 cap = 0;
	int			 rc;

	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		ag->speakers = grow(a, ag->speakers, ag->nspeakers, &cap, sizeof(*ag->speakers));
		if (!ag->speakers)
			break;
		sp = &ag->speakers[ag->nspeakers++];
		sp->id = db_col_int(st, 0);
		sp->person_id = db_col_int(st, 1);
		sp->name = col_dup(a, st, 2);
		sp->affiliation = col_dup(a, st, 3);
		sp->bio = col_dup(a, st, 4);
		sp->has_photo = (int)db_col_int(st, 5);
	}
	if (rc == DB_ROW) {
		db_finalize(st);
		return E_INTERNAL;
	}
	return db_done(st, rc);
}

enum app_err
agenda_store_sessions(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag)
{
	struct db_stmt		*st = db_prepare(db, sql_sessions);
	struct agenda_session	*s;
	size_t			 cap = 0;
	int			 rc;

	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		ag->sessions = grow(a, ag->sessions, ag->nsessions, &cap, sizeof(*ag->sessions));
		if (!ag->sessions)
			break;
		s = &ag->sessions[ag->nsessions++];
		memset(s, 0, sizeof(*s));
		s->id = db_col_int(st, 0);
		s->day_id = db_col_int(st, 1);
		s->room_id = db_col_int(st, 2);
		s->track_id = db_col_int(st, 3);
		s->kind = col_dup(a, st, 4);
		s->title = col_dup(a, st, 5);
		s->description = col_dup(a, st, 6);
		s->start_min = (int)db_col_int(st, 7);
		s->end_min = (int)db_col_int(st, 8);
		s->capacity = db_col_int(st, 9);
		s->changed_version = db_col_int(st, 10);
		s->seats_taken = db_col_int(st, 11);
		s->waiting = db_col_int(st, 12);
	}
	if (rc == DB_ROW) {
		db_finalize(st);
		return E_INTERNAL;
	}
	return db_done(st, rc);
}

enum app_err
agenda_store_session_speakers(struct db *db, struct arena *a, int64_t event_id,
			      struct agenda *ag)
{
	struct db_stmt		*st = db_prepare(db, sql_session_speakers);
	struct agenda_session	*s;
	int64_t			 sid, *ids;
	size_t			 i;
	int			 rc;

	db_bind_int(st, 1, event_id);
	while ((rc = db_step(st)) == DB_ROW) {
		sid = db_col_int(st, 0);
		s = NULL;
		for (i = 0; i < ag->nsessions; i++) {
			if (ag->sessions[i].id == sid) {
				s = &ag->sessions[i];
				break;
			}
		}
		if (!s)
			continue;
		ids = arena_alloc(a, (s->nspeakers + 1) * sizeof(*ids));
		if (!ids)
			break;
		if (s->nspeakers)
			memcpy(ids, s->speaker_ids, s->nspeakers * sizeof(*ids));
		ids[s->nspeakers++] = db_col_int(st, 1);
		s->speaker_ids = ids;
	}
	if (rc == DB_ROW) {
		db_finalize(st);
		return E_INTERNAL;
	}
	return db_done(st, rc);
}

enum app_err
agenda_store_version(struct db *db, int64_t event_id, int64_t *version)
{
	struct db_stmt	*st = db_prepare(db, sql_version);
	enum app_err	 rc;

	db_bind_int(st, 1, event_id);
	rc = db_run_int(st, version);
	if (rc == E_NOTFOUND) {
		*version = 0;
		rc = E_OK;
	}
	return rc;
}

enum app_err
agenda_store_version_bump(struct db *db, int64_t event_id, int64_t *version)
{
	struct db_stmt *st = db_prepare(db, sql_version_bump);

	db_bind_int(st, 1, event_id);
	return db_run_int(st, version);
}

enum app_err
agenda_store_seen_get(struct db *db, int64_t event_id, int64_t person_id, int64_t *version)
{
	struct db_stmt *st = db_prepare(db, sql_seen_get);

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	return db_run_int(st, version);
}

enum app_err
agenda_store_seen_set(struct db *db, int64_t event_id, int64_t person_id, int64_t version)
{
	struct db_stmt *st = db_prepare(db, sql_seen_set);

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	db_bind_int(st, 3, version);
	return db_run(st);
}

enum app_err
agenda_store_stars_of(struct db *db, int64_t event_id, int64_t person_id,
		      void (*fn)(void *arg, int64_t session_id, int64_t v), void *arg)
{
	struct db_stmt	*st = db_prepare(db, sql_stars_of);
	int		 rc;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	while ((rc = db_step(st)) == DB_ROW)
		fn(arg, db_col_int(st, 0), 1);
	return db_done(st, rc);
}

enum app_err
agenda_store_signups_of(struct db *db, int64_t event_id, int64_t person_id,
			void (*fn)(void *arg, int64_t session_id, int64_t v), void *arg)
{
	struct db_stmt	*st = db_prepare(db, sql_signups_of);
	const char	*status;
	int		 rc;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, person_id);
	while ((rc = db_step(st)) == DB_ROW) {
		status = db_col_text(st, 1);
		if (status && strcmp(status, "seat") == 0)
			fn(arg, db_col_int(st, 0), 1);
		else
			fn(arg, db_col_int(st, 0), -db_col_int(st, 2));
	}
	return db_done(st, rc);
}

/* Run a statement binding two integers and no result rows. */
static enum app_err
run_2(struct db *db, const char *sql, int64_t a, int64_t b)
{
	struct db_stmt *st = db_prepare(db, sql);

	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	return db_run(st);
}

/* Run a statement binding two integers and returning one row: E_NOTFOUND
 * if it touched nothing. */
static enum app_err
run_2_int(struct db *db, const char *sql, int64_t a, int64_t b, int64_t *out)
{
	struct db_stmt	*st = db_prepare(db, sql);
	int64_t		 dummy;

	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	return db_run_int(st, out ? out : &dummy);
}

enum app_err
agenda_store_star_add(struct db *db, int64_t session_id, int64_t person_id)
{
	return run_2(db, sql_star_add, session_id, person_id);
}

enum app_err
agenda_store_star_remove(struct db *db, int64_t session_id, int64_t person_id)
{
	return run_2(db, sql_star_remove, session_id, person_id);
}

enum app_err
agenda_store_session_lock(struct db *db, int64_t event_id, int64_t session_id,
			  int64_t *capacity)
{
	return run_2_int(db, sql_session_lock, event_id, session_id, capacity);
}

enum app_err
agenda_store_signup_get(struct db *db, int64_t session_id, int64_t person_id, int *seat)
{
	struct db_stmt	*st = db_prepare(db, sql_signup_get);
	const char	*status;
	int		 rc;

	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, person_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		status = db_col_text(st, 0);
		*seat = status && strcmp(status, "seat") == 0;
		return db_done(st, DB_DONE);
	}
	if (rc == DB_DONE)
		return db_finalize(st) < 0 ? E_INTERNAL : E_NOTFOUND;
	return db_done(st, rc);
}

enum app_err
agenda_store_seats_taken(struct db *db, int64_t session_id, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_seats_taken);

	db_bind_int(st, 1, session_id);
	return db_run_int(st, n);
}

enum app_err
agenda_store_signup_add(struct db *db, int64_t session_id, int64_t person_id, int seat,
			int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_signup_add);

	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, seat ? "seat" : "waiting");
	db_bind_int(st, 4, now);
	return db_run(st);
}

enum app_err
agenda_store_signup_remove(struct db *db, int64_t session_id, int64_t person_id)
{
	return run_2_int(db, sql_signup_remove, session_id, person_id, NULL);
}

enum app_err
agenda_store_promote_first(struct db *db, int64_t session_id, int64_t *person_id)
{
	struct db_stmt *st = db_prepare(db, sql_promote_first);

	db_bind_int(st, 1, session_id);
	return db_run_int(st, person_id);
}

enum app_err
agenda_store_day_add(struct db *db, int64_t event_id, const char *date, const char *title,
		     int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_day_add);

	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, title);
	return db_run_int(st, id);
}

enum app_err
agenda_store_day_update(struct db *db, int64_t event_id, int64_t id, const char *date,
			const char *title)
{
	struct db_stmt	*st = db_prepare(db, sql_day_update);
	int64_t		 got;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, date);
	db_bind_text(st, 4, title);
	return db_run_int(st, &got);
}

enum app_err
agenda_store_day_delete(struct db *db, int64_t event_id, int64_t id)
{
	return run_2_int(db, sql_day_delete, event_id, id, NULL);
}

enum app_err
agenda_store_day_sessions(struct db *db, int64_t id, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_day_sessions);

	db_bind_int(st, 1, id);
	return db_run_int(st, n);
}

enum app_err
agenda_store_room_add(struct db *db, int64_t event_id, const char *name, int64_t position,
		      int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_room_add);

	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, name);
	db_bind_int(st, 3, position);
	return db_run_int(st, id);
}

enum app_err
agenda_store_room_update(struct db *db, int64_t event_id, int64_t id, const char *name,
			 int64_t position)
{
	struct db_stmt	*st = db_prepare(db, sql_room_update);
	int64_t		 got;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, name);
	db_bind_int(st, 4, position);
	return db_run_int(st, &got);
}

enum app_err
agenda_store_room_delete(struct db *db, int64_t event_id, int64_t id)
{
	return run_2_int(db, sql_room_delete, event_id, id, NULL);
}

enum app_err
agenda_store_track_add(struct db *db, int64_t event_id, const char *name, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_track_add);

	db_bind_int(st, 1, event_id);
	db_bind_text(st, 2, name);
	return db_run_int(st, id);
}

enum app_err
agenda_store_track_update(struct db *db, int64_t event_id, int64_t id, const char *name)
{
	struct db_stmt	*st = db_prepare(db, sql_track_update);
	int64_t		 got;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, name);
	return db_run_int(st, &got);
}

enum app_err
agenda_store_track_delete(struct db *db, int64_t event_id, int64_t id)
{
	return run_2_int(db, sql_track_delete, event_id, id, NULL);
}

enum app_err
agenda_store_owns(struct db *db, const char *what, int64_t event_id, int64_t id)
{
	const char *sql;

	if (strcmp(what, "day") == 0)
		sql = sql_owns_day;
	else if (strcmp(what, "room") == 0)
		sql = sql_owns_room;
	else if (strcmp(what, "track") == 0)
		sql = sql_owns_track;
	else if (strcmp(what, "speaker") == 0)
		sql = sql_owns_speaker;
	else if (strcmp(what, "session") == 0)
		sql = sql_owns_session;
	else
		BUG("unknown agenda table '%s'", what);
	return run_2_int(db, sql, event_id, id, NULL);
}

/* Bind a nullable id: 0 binds NULL. */
static void
bind_id(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
}

enum app_err
agenda_store_session_add(struct db *db, int64_t event_id, const struct agenda_session_row *r,
			 int64_t version, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_session_add);

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, r->day_id);
	bind_id(st, 3, r->room_id);
	bind_id(st, 4, r->track_id);
	db_bind_text(st, 5, r->kind);
	db_bind_text(st, 6, r->title);
	db_bind_text(st, 7, r->description);
	db_bind_int(st, 8, r->start_min);
	db_bind_int(st, 9, r->end_min);
	db_bind_int(st, 10, r->capacity);
	db_bind_int(st, 11, version);
	return db_run_int(st, id);
}

enum app_err
agenda_store_session_update(struct db *db, int64_t event_id, int64_t id,
			    const struct agenda_session_row *r, int64_t version)
{
	struct db_stmt	*st = db_prepare(db, sql_session_update);
	int64_t		 got;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, r->day_id);
	bind_id(st, 4, r->room_id);
	bind_id(st, 5, r->track_id);
	db_bind_text(st, 6, r->kind);
	db_bind_text(st, 7, r->title);
	db_bind_text(st, 8, r->description);
	db_bind_int(st, 9, r->start_min);
	db_bind_int(st, 10, r->end_min);
	db_bind_int(st, 11, r->capacity);
	db_bind_int(st, 12, version);
	return db_run_int(st, &got);
}

enum app_err
agenda_store_session_delete(struct db *db, int64_t event_id, int64_t id)
{
	return run_2_int(db, sql_session_delete, event_id, id, NULL);
}

enum app_err
agenda_store_session_speakers_set(struct db *db, int64_t session_id, const int64_t *ids,
				  size_t n)
{
	struct db_stmt	*st = db_prepare(db, sql_session_speakers_clear);
	enum app_err	 rc;
	size_t		 i;

	db_bind_int(st, 1, session_id);
	rc = db_run(st);
	for (i = 0; rc == E_OK && i < n; i++)
		rc = run_2(db, sql_session_speaker_add, session_id, ids[i]);
	return rc;
}

/* Run a clash query (both share their parameters) calling fn per title. */
static enum app_err
clashes(struct db *db, const char *sql, struct arena *a, int64_t event_id, int64_t self,
	int64_t day_id, int64_t what, int64_t start, int64_t end,
	void (*fn)(void *arg, const char *title), void *arg)
{
	struct db_stmt	*st = db_prepare(db, sql);
	int		 rc;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, self);
	db_bind_int(st, 3, day_id);
	db_bind_int(st, 4, what);
	db_bind_int(st, 5, start);
	db_bind_int(st, 6, end);
	while ((rc = db_step(st)) == DB_ROW)
		fn(arg, col_dup(a, st, 0));
	return db_done(st, rc);
}

enum app_err
agenda_store_room_clashes(struct db *db, struct arena *a, int64_t event_id, int64_t self,
			  int64_t day_id, int64_t room_id, int64_t start, int64_t end,
			  void (*fn)(void *arg, const char *title), void *arg)
{
	return clashes(db, sql_room_clashes, a, event_id, self, day_id, room_id, start, end,
	    fn, arg);
}

enum app_err
agenda_store_speaker_clashes(struct db *db, struct arena *a, int64_t event_id, int64_t self,
			     int64_t day_id, int64_t speaker_id, int64_t start, int64_t end,
			     void (*fn)(void *arg, const char *title), void *arg)
{
	return clashes(db, sql_speaker_clashes, a, event_id, self, day_id, speaker_id, start,
	    end, fn, arg);
}

enum app_err
agenda_store_speaker_add(struct db *db, int64_t event_id, int64_t person_id, const char *name,
			 const char *affiliation, const char *bio, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, sql_speaker_add);

	db_bind_int(st, 1, event_id);
	bind_id(st, 2, person_id);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, affiliation);
	db_bind_text(st, 5, bio);
	return db_run_int(st, id);
}

enum app_err
agenda_store_speaker_update(struct db *db, int64_t event_id, int64_t id, int64_t person_id,
			    const char *name, const char *affiliation, const char *bio)
{
	struct db_stmt	*st = db_prepare(db, sql_speaker_update);
	int64_t		 got;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	bind_id(st, 3, person_id);
	db_bind_text(st, 4, name);
	db_bind_text(st, 5, affiliation);
	db_bind_text(st, 6, bio);
	return db_run_int(st, &got);
}

enum app_err
agenda_store_speaker_photo_set(struct db *db, int64_t event_id, int64_t id,
			       const struct agenda_photo *p, const char *name)
{
	struct db_stmt	*st = db_prepare(db, sql_speaker_photo_set);
	int64_t		 got;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	db_bind_blob(st, 3, p->data, p->len);
	db_bind_text(st, 4, p->type);
	db_bind_text(st, 5, name);
	db_bind_int(st, 6, p->width);
	db_bind_int(st, 7, p->height);
	return db_run_int(st, &got);
}

enum app_err
agenda_store_speaker_photo_clear(struct db *db, int64_t event_id, int64_t id)
{
	return run_2_int(db, sql_speaker_photo_clear, event_id, id, NULL);
}

enum app_err
agenda_store_speaker_photo(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			   const unsigned char **data, size_t *len, const char **type)
{
	struct db_stmt	*st = db_prepare(db, sql_speaker_photo);
	const char	*p;
	int		 rc;

	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		p = db_col_text(st, 0);
		*len = p ? db_col_len(st, 0) : 0;
		*data = (const unsigned char *)arena_strndup(a, p ? p : "", *len);
		*type = col_dup(a, st, 1);
		if (!*data)
			rc = DB_ERROR;
		else
			rc = DB_DONE;
		return db_done(st, rc);
	}
	if (rc == DB_DONE)
		return db_finalize(st) < 0 ? E_INTERNAL : E_NOTFOUND;
	return db_done(st, rc);
}

enum app_err
agenda_store_speaker_delete(struct db *db, int64_t event_id, int64_t id)
{
	return run_2_int(db, sql_speaker_delete, event_id, id, NULL);
}

enum app_err
agenda_store_person_speaks(struct db *db, int64_t event_id, int64_t session_id,
			   int64_t person_id, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_person_speaks);

	if (!st)
		return E_INTERNAL;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, person_id);
	db_bind_int(st, 3, event_id);
	return db_run_int(st, n);
}
