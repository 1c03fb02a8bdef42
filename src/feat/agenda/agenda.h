/* agenda.h - the convention's programme: days, rooms, tracks, speakers and
 * sessions; stars ("my agenda"), sign-ups with a waiting list, the schedule
 * version and what changed since a person last looked.  This is the public
 * interface: pages, the JSON API, the demo and later features (calendar
 * feeds, schedule exports) read the programme through agenda_load() and
 * friends.  Only agenda_store.c holds SQL; nothing here knows about HTTP.
 *
 * Times: a session has a day (a date, local to the venue) and start and
 * end minutes after local midnight.  Every function works on
 * app->event_id.  Strings returned live in the arena passed. */
#ifndef COLEAD_AGENDA_H
#define COLEAD_AGENDA_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct db;
struct buf;

/* Field length caps (bytes); longer input is E_INVALID (422). */
#define AGENDA_NAME_MAX		200
#define AGENDA_TEXT_MAX		8000
#define AGENDA_CAPACITY_MAX	100000
/* Largest speaker photo accepted (also capped by cfg.upload_max). */
#define AGENDA_PHOTO_MAX	(2u << 20)
#define AGENDA_PHOTO_DIM_MAX	6000

struct agenda_day {
	int64_t		 id;
	const char	*date;		/* YYYY-MM-DD */
	const char	*title;		/* "" if none */
};

struct agenda_room {
	int64_t		 id;
	const char	*name;
	int64_t		 position;	/* column order, then id */
};

struct agenda_track {
	int64_t		 id;
	const char	*name;
};

struct agenda_speaker {
	int64_t		 id;
	int64_t		 person_id;	/* 0: not linked to an account */
	const char	*name;
	const char	*affiliation;	/* "" if none */
	const char	*bio;		/* plain text, paragraphs on blank lines */
	int		 has_photo;
};

/* What a signed-in person has to do with a session (agenda_personal). */
enum agenda_signup { SIGNUP_NONE = 0, SIGNUP_SEAT, SIGNUP_WAITING };

struct agenda_session {
	int64_t		 id;
	int64_t		 day_id;
	int64_t		 room_id;	/* 0: none (e.g. a break everywhere) */
	int64_t		 track_id;	/* 0: none */
	const char	*kind;		/* one of agenda_kinds[].key */
	const char	*title;
	const char	*description;
	int		 start_min, end_min;	/* minutes after local midnight; end > start */
	int64_t		 capacity;	/* 0: open to all, no sign-up */
	int64_t		 seats_taken;
	int64_t		 waiting;	/* people on the waiting list */
	int64_t		 changed_version;	/* schedule version of its last change */
	/* Filled by agenda_load from the tables above (NULL/"" if none). */
	const char	*date;
	const char	*room;
	const char	*track;
	int64_t		*speaker_ids;
	size_t		 nspeakers;
	/* Filled by agenda_personal; zero otherwise. */
	int		 starred;
	enum agenda_signup signup;
	int64_t		 wait_position;	/* 1 = first in line, when SIGNUP_WAITING */
	int		 changed;	/* changed since the person last looked */
};

/* The whole programme of the event, ordered: days by date; rooms by
 * position then id; tracks and speakers by name; sessions by date, start,
 * room position, id. */
struct agenda {
	struct agenda_day	*days;
	size_t			 ndays;
	struct agenda_room	*rooms;
	size_t			 nrooms;
	struct agenda_track	*tracks;
	size_t			 ntracks;
	struct agenda_speaker	*speakers;
	size_t			 nspeakers;
	struct agenda_session	*sessions;
	size_t			 nsessions;
	int64_t			 version;	/* schedule version */
};

/* The session kinds, in display order: key (stored) and label. */
struct agenda_kind {
	const char	*key;
	const char	*label;
};
extern const struct agenda_kind agenda_kinds[];
extern const size_t agenda_nkinds;
/* The label of a kind key; NULL if unknown. */
const char	*agenda_kind_label(const char *key);

/* Read the whole programme.  E_INTERNAL on failure. */
enum app_err	 agenda_load(struct app *app, struct db *db, struct arena *a, struct agenda *ag);
/* Lookups inside a loaded agenda; NULL if absent. */
const struct agenda_day		*agenda_find_day(const struct agenda *ag, int64_t id);
const struct agenda_room	*agenda_find_room(const struct agenda *ag, int64_t id);
const struct agenda_speaker	*agenda_find_speaker(const struct agenda *ag, int64_t id);
struct agenda_session		*agenda_find_session(const struct agenda *ag, int64_t id);
/* The schedule version alone, for checking cached pages: one row, and
 * not read again for AGENDA_VERSION_TTL_MS unless this process changed the
 * schedule meanwhile (so another instance's change shows within it).
 * -1 on error. */
#define AGENDA_VERSION_TTL_MS	1000
int64_t		 agenda_version(struct app *app, struct db *db);

/* Fill the personal fields of ag's sessions for person_id: stars,
 * sign-ups, waiting positions and what changed since they last looked.
 * With mark_seen, their last-seen version becomes ag->version.  A person
 * who never looked sees nothing marked as changed. */
enum app_err	 agenda_personal(struct app *app, struct db *db, int64_t person_id,
			struct agenda *ag, int mark_seen);

/* "09:30" for a minute of the day, into the arena. */
char		*agenda_hhmm(struct arena *a, int minute);
/* "Thursday 11 March 2027" for a YYYY-MM-DD date, into the arena (the
 * date itself if it does not parse). */
char		*agenda_day_label(struct arena *a, const char *date);
/* Parse "9:30" / "09:30" into minutes; -1 if not a time of day. */
int		 agenda_parse_hhmm(const char *s);

/* What is on now and next at unix_now, in the event's time zone: the
 * sessions running then and those starting soonest after (all with the
 * same start time; on a later day if nothing more today).  ag is loaded
 * here.  *now / *next point into ag (NULL-terminated arrays
 * of pointers in the arena).  For the home page. */
enum app_err	 agenda_now_next(struct app *app, struct db *db, struct arena *a,
			int64_t unix_now, struct agenda *ag,
			struct agenda_session ***now, struct agenda_session ***next);

/* 1 if person_id's account is linked to one of session_id's speakers, 0
 * if not (or on error, logged). */
int		 agenda_person_speaks(struct app *app, struct db *db, int64_t session_id,
			int64_t person_id);

/* ---- participants ---- */

/* Star or unstar a session.  E_NOTFOUND if the session is not in the event. */
enum app_err	 agenda_star(struct app *app, struct db *db, int64_t person_id,
			int64_t session_id, int on);
/* Sign up for a session with a capacity: a seat if one is free, else the
 * end of the waiting list.  Atomic under concurrent sign-ups on both
 * backends (the session row is locked first).  *out says which.
 * E_NOTFOUND: no such session; E_CLOSED: the session needs no sign-up;
 * E_CONFLICT: already signed up or waiting. */
enum app_err	 agenda_signup(struct app *app, struct db *db, int64_t person_id,
			int64_t session_id, enum agenda_signup *out);
/* Withdraw a sign-up or leave the waiting list.  A freed seat goes to the
 * first person waiting (*promoted is their person id, or 0).
 * E_NOTFOUND if the person was not signed up. */
enum app_err	 agenda_withdraw(struct app *app, struct db *db, int64_t person_id,
			int64_t session_id, int64_t *promoted);

/* ---- organisers ---- */

/* A form's errors: field name -> message (static text), at most a few. */
#define AGENDA_ERRORS_MAX 8
struct agenda_errors {
	const char	*field[AGENDA_ERRORS_MAX];
	const char	*message[AGENDA_ERRORS_MAX];
	size_t		 n;
};
/* The message for field, or NULL. */
const char	*agenda_error_for(const struct agenda_errors *e, const char *field);

/* Clash warnings for a session being saved. */
#define AGENDA_WARNINGS_MAX 16
struct agenda_warnings {
	const char	*text[AGENDA_WARNINGS_MAX];	/* arena */
	size_t		 n;
};

/* A session as typed into the editor (text fields as sent). */
struct agenda_session_input {
	const char	*title, *description, *kind;
	const char	*day_id, *room_id, *track_id;	/* "" for none (room, track) */
	const char	*start, *end;			/* "HH:MM" */
	const char	*capacity;			/* "" or a number */
	const int64_t	*speaker_ids;
	size_t		 nspeakers;
	int		 confirmed;			/* save despite clash warnings */
};

/* Create (id 0) or update a session.  Checks every field (E_INVALID with
 * errs, nothing written); then the clashes: a room already used at an
 * overlapping time that day, or a speaker in another session at an
 * overlapping time.  With clashes and !in->confirmed nothing is written
 * and E_CONFLICT is returned with the warnings.  Every save bumps the
 * schedule version and marks the session changed.  *id is the session's. */
enum app_err	 agenda_session_save(struct app *app, struct db *db, struct arena *a,
			int64_t id, const struct agenda_session_input *in,
			struct agenda_errors *errs, struct agenda_warnings *warn, int64_t *out_id);
enum app_err	 agenda_session_delete(struct app *app, struct db *db, int64_t id);

/* Days, rooms, tracks: create (id 0) or rename; E_INVALID with errs
 * (also a date already used, a name already used). */
enum app_err	 agenda_day_save(struct app *app, struct db *db, int64_t id, const char *date,
			const char *title, struct agenda_errors *errs, int64_t *out_id);
/* E_CONFLICT if sessions are still on that day. */
enum app_err	 agenda_day_delete(struct app *app, struct db *db, int64_t id);
enum app_err	 agenda_room_save(struct app *app, struct db *db, int64_t id, const char *name,
			const char *position, struct agenda_errors *errs, int64_t *out_id);
enum app_err	 agenda_room_delete(struct app *app, struct db *db, int64_t id);
enum app_err	 agenda_track_save(struct app *app, struct db *db, int64_t id, const char *name,
			struct agenda_errors *errs, int64_t *out_id);
enum app_err	 agenda_track_delete(struct app *app, struct db *db, int64_t id);

/* A checked speaker photo (agenda_photo_check). */
struct agenda_photo {
	const unsigned char	*data;
	size_t			 len;
	const char		*type;	/* image/png, image/jpeg, image/webp */
	int			 width, height;
};
/* Check an upload is a PNG, JPEG or WebP image: the declared content type
 * (may be NULL) must be an image type that agrees with the bytes, the size
 * at most AGENDA_PHOTO_MAX, and the header must decode to dimensions of 1
 * to AGENDA_PHOTO_DIM_MAX pixels.  E_INVALID with *why (static text). */
enum app_err	 agenda_photo_check(const unsigned char *data, size_t len,
			const char *declared_type, struct agenda_photo *out, const char **why);

/* Create (id 0) or update a speaker.  photo (may be NULL: keep the
 * current one) is an uploaded file's bytes and declared type, checked with
 * agenda_photo_check and stored under a generated name; remove_photo drops
 * the current one.  person_email, when not "", links the speaker to that
 * person's account.  E_INVALID with errs (field "photo" for a bad image);
 * E_NOTFOUND for an unknown id. */
enum app_err	 agenda_speaker_save(struct app *app, struct db *db, struct arena *a,
			int64_t id, const char *name, const char *affiliation, const char *bio,
			const char *person_email, const unsigned char *photo, size_t photo_len,
			const char *photo_type, int remove_photo,
			struct agenda_errors *errs, int64_t *out_id);
enum app_err	 agenda_speaker_delete(struct app *app, struct db *db, int64_t id);
/* A speaker's photo: bytes and content type in the arena.  E_NOTFOUND if
 * the speaker or photo does not exist. */
enum app_err	 agenda_speaker_photo(struct app *app, struct db *db, struct arena *a,
			int64_t id, const unsigned char **data, size_t *len, const char **type);
/* The email of a speaker's linked account ("" if none), for the editor. */
const char	*agenda_speaker_email(struct app *app, struct db *db, struct arena *a,
			const struct agenda_speaker *sp);

/* The JSON API bodies, appended to out. */
void		 agenda_json(struct buf *out, const struct agenda *ag);
/* E_NOTFOUND when the session is not in ag. */
enum app_err	 agenda_session_json(struct buf *out, const struct agenda *ag, int64_t id);
void		 agenda_speakers_json(struct buf *out, const struct agenda *ag);

/* Fill the demo programme (inside the demo's transaction). */
int		 agenda_demo(struct app *app, struct db *db, struct arena *a);

#endif
