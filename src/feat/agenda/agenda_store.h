/* agenda_store.h - the agenda feature's data access (agenda_store.c holds
 * every SQL statement).  Private to the feature: other features call
 * agenda.h.  No rules here: agenda.c decides what is valid and who may.
 * Strings returned are allocated in the arena passed. */
#ifndef COLEAD_AGENDA_STORE_H
#define COLEAD_AGENDA_STORE_H

#include "agenda.h"

/* Whole-programme reads, into ag (arrays in the arena). */
enum app_err	agenda_store_days(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag);
enum app_err	agenda_store_rooms(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag);
enum app_err	agenda_store_tracks(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag);
enum app_err	agenda_store_speakers(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag);
enum app_err	agenda_store_sessions(struct db *db, struct arena *a, int64_t event_id, struct agenda *ag);
/* Fill each session's speaker_ids (sessions already loaded). */
enum app_err	agenda_store_session_speakers(struct db *db, struct arena *a, int64_t event_id,
			struct agenda *ag);

/* Schedule version: get (0 when never bumped), bump (returns the new one). */
enum app_err	agenda_store_version(struct db *db, int64_t event_id, int64_t *version);
enum app_err	agenda_store_version_bump(struct db *db, int64_t event_id, int64_t *version);
enum app_err	agenda_store_seen_get(struct db *db, int64_t event_id, int64_t person_id, int64_t *version);
enum app_err	agenda_store_seen_set(struct db *db, int64_t event_id, int64_t person_id, int64_t version);

/* Personal state: calls fn(arg, session_id, value) per row. */
enum app_err	agenda_store_stars_of(struct db *db, int64_t event_id, int64_t person_id,
			void (*fn)(void *arg, int64_t session_id, int64_t v), void *arg);
/* value: 1 seat, else the waiting position (>= 1) negated. */
enum app_err	agenda_store_signups_of(struct db *db, int64_t event_id, int64_t person_id,
			void (*fn)(void *arg, int64_t session_id, int64_t v), void *arg);
enum app_err	agenda_store_star_add(struct db *db, int64_t session_id, int64_t person_id);
enum app_err	agenda_store_star_remove(struct db *db, int64_t session_id, int64_t person_id);

/* Sign-ups.  lock: takes the session's row lock (PostgreSQL) and reads its
 * capacity; E_NOTFOUND if not in the event. */
enum app_err	agenda_store_session_lock(struct db *db, int64_t event_id, int64_t session_id,
			int64_t *capacity);
/* The person's sign-up: E_NOTFOUND if none; *seat 1 for a seat. */
enum app_err	agenda_store_signup_get(struct db *db, int64_t session_id, int64_t person_id, int *seat);
enum app_err	agenda_store_seats_taken(struct db *db, int64_t session_id, int64_t *n);
enum app_err	agenda_store_signup_add(struct db *db, int64_t session_id, int64_t person_id,
			int seat, int64_t now);
enum app_err	agenda_store_signup_remove(struct db *db, int64_t session_id, int64_t person_id);
/* Give the first person waiting a seat: *person_id, or E_NOTFOUND if
 * nobody waits. */
enum app_err	agenda_store_promote_first(struct db *db, int64_t session_id, int64_t *person_id);

/* Editing.  add/update return E_CONFLICT on a UNIQUE clash. */
enum app_err	agenda_store_day_add(struct db *db, int64_t event_id, const char *date,
			const char *title, int64_t *id);
enum app_err	agenda_store_day_update(struct db *db, int64_t event_id, int64_t id,
			const char *date, const char *title);
enum app_err	agenda_store_day_delete(struct db *db, int64_t event_id, int64_t id);
enum app_err	agenda_store_day_sessions(struct db *db, int64_t id, int64_t *n);
enum app_err	agenda_store_room_add(struct db *db, int64_t event_id, const char *name,
			int64_t position, int64_t *id);
enum app_err	agenda_store_room_update(struct db *db, int64_t event_id, int64_t id,
			const char *name, int64_t position);
enum app_err	agenda_store_room_delete(struct db *db, int64_t event_id, int64_t id);
enum app_err	agenda_store_track_add(struct db *db, int64_t event_id, const char *name, int64_t *id);
enum app_err	agenda_store_track_update(struct db *db, int64_t event_id, int64_t id, const char *name);
enum app_err	agenda_store_track_delete(struct db *db, int64_t event_id, int64_t id);

/* Is id a day / room / track / speaker of the event?  E_NOTFOUND if not. */
enum app_err	agenda_store_owns(struct db *db, const char *what, int64_t event_id, int64_t id);

struct agenda_session_row {
	int64_t		 day_id, room_id, track_id;
	const char	*kind, *title, *description;
	int64_t		 start_min, end_min, capacity;
};
enum app_err	agenda_store_session_add(struct db *db, int64_t event_id,
			const struct agenda_session_row *r, int64_t version, int64_t *id);
enum app_err	agenda_store_session_update(struct db *db, int64_t event_id, int64_t id,
			const struct agenda_session_row *r, int64_t version);
enum app_err	agenda_store_session_delete(struct db *db, int64_t event_id, int64_t id);
enum app_err	agenda_store_session_speakers_set(struct db *db, int64_t session_id,
			const int64_t *ids, size_t n);
/* Sessions other than `self` that overlap [start, end) on the day in the
 * room: fn(arg, title) per clash. */
enum app_err	agenda_store_room_clashes(struct db *db, struct arena *a, int64_t event_id,
			int64_t self, int64_t day_id, int64_t room_id, int64_t start, int64_t end,
			void (*fn)(void *arg, const char *title), void *arg);
/* Sessions other than `self` overlapping [start, end) on the day with the
 * speaker: fn(arg, title) per clash. */
enum app_err	agenda_store_speaker_clashes(struct db *db, struct arena *a, int64_t event_id,
			int64_t self, int64_t day_id, int64_t speaker_id, int64_t start, int64_t end,
			void (*fn)(void *arg, const char *title), void *arg);

enum app_err	agenda_store_speaker_add(struct db *db, int64_t event_id, int64_t person_id,
			const char *name, const char *affiliation, const char *bio, int64_t *id);
enum app_err	agenda_store_speaker_update(struct db *db, int64_t event_id, int64_t id,
			int64_t person_id, const char *name, const char *affiliation, const char *bio);
enum app_err	agenda_store_speaker_photo_set(struct db *db, int64_t event_id, int64_t id,
			const struct agenda_photo *p, const char *name);
enum app_err	agenda_store_speaker_photo_clear(struct db *db, int64_t event_id, int64_t id);
enum app_err	agenda_store_speaker_photo(struct db *db, struct arena *a, int64_t event_id,
			int64_t id, const unsigned char **data, size_t *len, const char **type);
enum app_err	agenda_store_speaker_delete(struct db *db, int64_t event_id, int64_t id);
/* How many of the session's speakers are linked to person_id's account. */
enum app_err	agenda_store_person_speaks(struct db *db, int64_t event_id, int64_t session_id,
			int64_t person_id, int64_t *n);

#endif
