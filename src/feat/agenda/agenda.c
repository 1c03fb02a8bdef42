/* agenda.c - the agenda feature's rules: what a valid day, room, track,
 * speaker or session is, the clash warnings of the editor, the schedule
 * version every change bumps, stars, and sign-ups that never overbook and
 * promote the waiting list in order.  Returns enum app_err; the SQL is in
 * agenda_store.c and the pages in agenda_http.c. */
#include "agenda_store.h"
#include "../event/event.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

#include <pthread.h>
#include <sodium.h>

const struct agenda_kind agenda_kinds[] = {
	{ "keynote",		"Keynote" },
	{ "workshop",		"Workshop" },
	{ "peer-learning",	"Peer learning" },
	{ "dragons-den",	"Dragon's Den" },
	{ "plenary",		"Plenary" },
	{ "break",		"Break" },
};
const size_t agenda_nkinds = ARRAY_SIZE(agenda_kinds);

/* The English label of a session kind. */
const char *
agenda_kind_label(const char *key)
{
	size_t i;

	for (i = 0; key && i < agenda_nkinds; i++) {
		if (strcmp(agenda_kinds[i].key, key) == 0)
			return agenda_kinds[i].label;
	}
	return NULL;
}

/* Lookups in a loaded agenda: linear, as a programme holds dozens of rows. */
const struct agenda_day *
agenda_find_day(const struct agenda *ag, int64_t id)
{
	size_t i;

	for (i = 0; i < ag->ndays; i++) {
		if (ag->days[i].id == id)
			return &ag->days[i];
	}
	return NULL;
}

/* The room with this id, or NULL. */
const struct agenda_room *
agenda_find_room(const struct agenda *ag, int64_t id)
{
	size_t i;

	for (i = 0; i < ag->nrooms; i++) {
		if (ag->rooms[i].id == id)
			return &ag->rooms[i];
	}
	return NULL;
}

/* The track with this id, or NULL. */
static const struct agenda_track *
find_track(const struct agenda *ag, int64_t id)
{
	size_t i;

	for (i = 0; i < ag->ntracks; i++) {
		if (ag->tracks[i].id == id)
			return &ag->tracks[i];
	}
	return NULL;
}

/* The speaker with this id, or NULL. */
const struct agenda_speaker *
agenda_find_speaker(const struct agenda *ag, int64_t id)
{
	size_t i;

	for (i = 0; i < ag->nspeakers; i++) {
		if (ag->speakers[i].id == id)
			return &ag->speakers[i];
	}
	return NULL;
}

/* The session with this id, or NULL. */
struct agenda_session *
agenda_find_session(const struct agenda *ag, int64_t id)
{
	size_t i;

	for (i = 0; i < ag->nsessions; i++) {
		if (ag->sessions[i].id == id)
			return &ag->sessions[i];
	}
	return NULL;
}

/* Read the whole programme, then give each session its day, room and track names. */
enum app_err
agenda_load(struct app *app, struct db *db, struct arena *a, struct agenda *ag)
{
	const struct agenda_day		*d;
	const struct agenda_room	*r;
	const struct agenda_track	*t;
	struct agenda_session		*s;
	enum app_err			 rc;
	size_t				 i;

	memset(ag, 0, sizeof(*ag));
	rc = agenda_store_version(db, app->event_id, &ag->version);
	if (rc == E_OK)
		rc = agenda_store_days(db, a, app->event_id, ag);
	if (rc == E_OK)
		rc = agenda_store_rooms(db, a, app->event_id, ag);
	if (rc == E_OK)
		rc = agenda_store_tracks(db, a, app->event_id, ag);
	if (rc == E_OK)
		rc = agenda_store_speakers(db, a, app->event_id, ag);
	if (rc == E_OK)
		rc = agenda_store_sessions(db, a, app->event_id, ag);
	if (rc == E_OK)
		rc = agenda_store_session_speakers(db, a, app->event_id, ag);
	if (rc != E_OK)
		return E_INTERNAL;
	for (i = 0; i < ag->nsessions; i++) {
		s = &ag->sessions[i];
		d = agenda_find_day(ag, s->day_id);
		r = agenda_find_room(ag, s->room_id);
		t = find_track(ag, s->track_id);
		s->date = d ? d->date : "";
		s->room = r ? r->name : "";
		s->track = t ? t->name : "";
	}
	return E_OK;
}

/*
 * The schedule version, remembered for AGENDA_VERSION_TTL_MS so that a
 * visitor's cached page is checked without a query per request.  This
 * process's own writes forget it as they commit (version_forget); another
 * instance's writes are seen within the TTL.  A reader that queried before
 * a forget does not store what it read: the generation tells.
 */
static pthread_mutex_t	 version_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t		 version_event, version_value = -1, version_at_ms;
static uint64_t		 version_gen;

static void
version_forget(void)
{
	pthread_mutex_lock(&version_lock);
	version_value = -1;
	version_gen++;
	pthread_mutex_unlock(&version_lock);
}

int64_t
agenda_version(struct app *app, struct db *db)
{
	int64_t		 v, now = now_ms();
	uint64_t	 gen;

	pthread_mutex_lock(&version_lock);
	if (version_value >= 0 && version_event == app->event_id &&
	    now - version_at_ms < AGENDA_VERSION_TTL_MS) {
		v = version_value;
		pthread_mutex_unlock(&version_lock);
		return v;
	}
	gen = version_gen;
	pthread_mutex_unlock(&version_lock);
	if (agenda_store_version(db, app->event_id, &v) != E_OK)
		return -1;
	pthread_mutex_lock(&version_lock);
	if (gen == version_gen) {
		version_event = app->event_id;
		version_value = v;
		version_at_ms = now;
	}
	pthread_mutex_unlock(&version_lock);
	return v;
}

int
agenda_person_speaks(struct app *app, struct db *db, int64_t session_id, int64_t person_id)
{
	int64_t n = 0;

	if (session_id <= 0 || person_id <= 0)
		return 0;
	if (agenda_store_person_speaks(db, app->event_id, session_id, person_id, &n) != E_OK)
		return 0;
	return n > 0;
}

/* Row callbacks of agenda_personal. */
static void
mark_star(void *arg, int64_t session_id, int64_t v)
{
	struct agenda_session *s = agenda_find_session(arg, session_id);

	if (s)
		s->starred = v != 0;
}

/* A sign-up row: 1 a seat, else minus the waiting position. */
static void
mark_signup(void *arg, int64_t session_id, int64_t v)
{
	struct agenda_session *s = agenda_find_session(arg, session_id);

	if (!s)
		return;
	if (v > 0) {
		s->signup = SIGNUP_SEAT;
	} else {
		s->signup = SIGNUP_WAITING;
		s->wait_position = -v;
	}
}

/* Stars, sign-ups and "changed since last seen" for one person. */
enum app_err
agenda_personal(struct app *app, struct db *db, int64_t person_id, struct agenda *ag,
		int mark_seen)
{
	int64_t		 seen = 0;
	enum app_err	 rc;
	size_t		 i;

	rc = agenda_store_stars_of(db, app->event_id, person_id, mark_star, ag);
	if (rc == E_OK)
		rc = agenda_store_signups_of(db, app->event_id, person_id, mark_signup, ag);
	if (rc == E_OK) {
		rc = agenda_store_seen_get(db, app->event_id, person_id, &seen);
		if (rc == E_NOTFOUND) {
			seen = -1;	/* never looked: nothing is "new" */
			rc = E_OK;
		}
	}
	if (rc != E_OK)
		return E_INTERNAL;
	for (i = 0; seen >= 0 && i < ag->nsessions; i++)
		ag->sessions[i].changed = ag->sessions[i].changed_version > seen;
	if (mark_seen && seen != ag->version &&
	    agenda_store_seen_set(db, app->event_id, person_id, ag->version) != E_OK)
		return E_INTERNAL;
	return E_OK;
}

/* "09:30" for a minute of the day. */
char *
agenda_hhmm(struct arena *a, int minute)
{
	if (minute < 0)
		minute = 0;
	return arena_printf(a, "%02d:%02d", minute / 60 % 24, minute % 60);
}

/* Minutes after midnight of "H:MM", "HH:MM" or "HH.MM"; -1 otherwise. */
int
agenda_parse_hhmm(const char *s)
{
	int h = 0, m = 0, i = 0, digits = 0;

	if (!s)
		return -1;
	while (s[i] >= '0' && s[i] <= '9' && digits < 2) {
		h = h * 10 + (s[i++] - '0');
		digits++;
	}
	if (digits == 0 || (s[i] != ':' && s[i] != '.'))
		return -1;
	i++;
	if (!(s[i] >= '0' && s[i] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 2])
		return -1;
	m = (s[i] - '0') * 10 + (s[i + 1] - '0');
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "Thursday 11 March 2027" for a date. */
char *
agenda_day_label(struct arena *a, const char *date)
{
	static const char *const wd[] = { "Thursday", "Friday", "Saturday", "Sunday",
	    "Monday", "Tuesday", "Wednesday" };
	static const char *const mon[] = { "January", "February", "March", "April", "May",
	    "June", "July", "August", "September", "October", "November", "December" };
	int64_t	 days, w;
	int	 y, m, d;

	if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return arena_strdup(a, date ? date : "");
	days = days_from_civil(y, m, d);	/* 1970-01-01 was a Thursday */
	w = days % 7;
	if (w < 0)
		w += 7;
	return arena_printf(a, "%s %d %s %d", wd[w], d, mon[m - 1], y);
}

/* The sessions on now and the ones starting next (for the home page). */
enum app_err
agenda_now_next(struct app *app, struct db *db, struct arena *a, int64_t unix_now,
		struct agenda *ag, struct agenda_session ***now, struct agenda_session ***next)
{
	struct event		 e;
	const char		*tz = "Europe/London";
	char			 date[11];
	int			 minute, c;
	size_t			 i, nn = 0, nx = 0;
	struct agenda_session	*s, *first = NULL;
	enum app_err		 rc;

	rc = agenda_load(app, db, a, ag);
	if (rc != E_OK)
		return rc;
	if (event_get(db, a, app->event_id, &e) == E_OK && e.timezone && *e.timezone)
		tz = e.timezone;
	event_local_time(tz, unix_now, date, &minute);
	*now = arena_alloc(a, (ag->nsessions + 1) * sizeof(**now));
	*next = arena_alloc(a, (ag->nsessions + 1) * sizeof(**next));
	if (!*now || !*next)
		return E_INTERNAL;
	for (i = 0; i < ag->nsessions; i++) {
		s = &ag->sessions[i];
		c = strcmp(s->date, date);
		if (c == 0 && s->start_min <= minute && minute < s->end_min)
			(*now)[nn++] = s;
		else if (!first && (c > 0 || (c == 0 && s->start_min > minute)))
			first = s;	/* sessions are in time order */
	}
	for (i = 0; first && i < ag->nsessions; i++) {
		s = &ag->sessions[i];
		if (strcmp(s->date, first->date) == 0 && s->start_min == first->start_min)
			(*next)[nx++] = s;
	}
	(*now)[nn] = NULL;
	(*next)[nx] = NULL;
	return E_OK;
}

/* ---- participants ---- */

/* Star or unstar a session of the event. */
enum app_err
agenda_star(struct app *app, struct db *db, int64_t person_id, int64_t session_id, int on)
{
	enum app_err rc;

	rc = agenda_store_owns(db, "session", app->event_id, session_id);
	if (rc != E_OK)
		return rc;
	if (on)
		return agenda_store_star_add(db, session_id, person_id);
	return agenda_store_star_remove(db, session_id, person_id);
}

/* Sign up: lock the session row, then a seat if one is free, else the waiting list. */
enum app_err
agenda_signup(struct app *app, struct db *db, int64_t person_id, int64_t session_id,
	      enum agenda_signup *out)
{
	int64_t		 capacity = 0, taken = 0;
	int		 seat = 0;
	enum app_err	 rc;

	*out = SIGNUP_NONE;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	/* The row lock serialises every sign-up and withdrawal of this
	 * session (PostgreSQL); SQLite's BEGIN IMMEDIATE already does. */
	rc = agenda_store_session_lock(db, app->event_id, session_id, &capacity);
	if (rc == E_OK && capacity <= 0)
		rc = E_CLOSED;
	if (rc == E_OK) {
		rc = agenda_store_signup_get(db, session_id, person_id, &seat);
		if (rc == E_OK)
			rc = E_CONFLICT;
		else if (rc == E_NOTFOUND)
			rc = E_OK;
	}
	if (rc == E_OK)
		rc = agenda_store_seats_taken(db, session_id, &taken);
	if (rc == E_OK) {
		seat = taken < capacity;
		rc = agenda_store_signup_add(db, session_id, person_id, seat, now_unix());
	}
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		return rc;
	}
	*out = seat ? SIGNUP_SEAT : SIGNUP_WAITING;
	return E_OK;
}

/* Give free seats of a session to the people waiting, first come first
 * served, inside the caller's transaction (the session row is locked). */
static enum app_err
fill_seats(struct db *db, int64_t session_id, int64_t capacity, int64_t *first_promoted)
{
	int64_t		 taken = 0, who = 0;
	enum app_err	 rc;

	rc = agenda_store_seats_taken(db, session_id, &taken);
	while (rc == E_OK && taken < capacity) {
		rc = agenda_store_promote_first(db, session_id, &who);
		if (rc == E_NOTFOUND)
			return E_OK;
		if (rc == E_OK && first_promoted && !*first_promoted)
			*first_promoted = who;
		taken++;
	}
	return rc;
}

/* Withdraw: lock the session row, remove the sign-up, give a freed seat to the first waiting. */
enum app_err
agenda_withdraw(struct app *app, struct db *db, int64_t person_id, int64_t session_id,
		int64_t *promoted)
{
	int64_t		 capacity = 0;
	int		 seat = 0;
	enum app_err	 rc;

	*promoted = 0;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = agenda_store_session_lock(db, app->event_id, session_id, &capacity);
	if (rc == E_OK)
		rc = agenda_store_signup_get(db, session_id, person_id, &seat);
	if (rc == E_OK)
		rc = agenda_store_signup_remove(db, session_id, person_id);
	if (rc == E_OK && seat)
		rc = fill_seats(db, session_id, capacity, promoted);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		*promoted = 0;
	}
	return rc;
}

/* ---- organisers ---- */

/* The error message recorded for a field, or NULL. */
const char *
agenda_error_for(const struct agenda_errors *e, const char *field)
{
	size_t i;

	for (i = 0; e && i < e->n; i++) {
		if (strcmp(e->field[i], field) == 0)
			return e->message[i];
	}
	return NULL;
}

/* Record an error for a field (the first one per field wins). */
static void
add_error(struct agenda_errors *e, const char *field, const char *message)
{
	if (e->n >= AGENDA_ERRORS_MAX || agenda_error_for(e, field))
		return;
	e->field[e->n] = field;
	e->message[e->n] = message;
	e->n++;
}

/* Check a typed text: required, byte cap, valid UTF-8, no control
 * characters (nor line breaks when single_line).  Adds an error. */
static void
check_text(struct agenda_errors *e, const char *field, const char *s, size_t max,
	   int required, int single_line, const char *what)
{
	size_t n = s ? strlen(s) : 0;

	(void)what;
	if (required && n == 0)
		add_error(e, field, "This field is required.");
	else if (n > max)
		add_error(e, field, max <= AGENDA_NAME_MAX ? "This is too long: at most 200 characters."
		    : "This is too long: at most 8000 characters.");
	else if (n && (!utf8_valid(s, n) || utf8_has_controls(s, n, single_line)))
		add_error(e, field, "This holds characters that are not allowed here.");
}

/* Parse an id typed into a select: "" is 0 when optional.  -1 on junk. */
static int64_t
parse_id(const char *s, int optional)
{
	int64_t	 v = 0;
	char	*end;

	if (!s || !*s)
		return optional ? 0 : -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	return v;
}

/* Is s a real calendar date written YYYY-MM-DD? */
static int
valid_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	}
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 1;
}

/* A write of the editor: begin, the change, bump the version, commit. */
static enum app_err
finish(struct db *db, enum app_err rc, int64_t event_id)
{
	int64_t v;

	if (rc == E_OK)
		rc = agenda_store_version_bump(db, event_id, &v);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		db_rollback(db);
	else
		version_forget();
	return rc;
}

/* Clash callbacks: one warning per clashing session. */
struct clash_ctx {
	struct arena		*a;
	struct agenda_warnings	*w;
	const char		*who;	/* room or speaker name */
	int			 room;
};

/* One clash warning, worded for a room or a speaker. */
static void
add_clash(void *arg, const char *title)
{
	struct clash_ctx *c = arg;

	if (c->w->n >= AGENDA_WARNINGS_MAX)
		return;
	c->w->text[c->w->n++] = c->room
	    ? arena_printf(c->a, "The room '%s' is already used by '%s' at an overlapping time.",
		c->who, title)
	    : arena_printf(c->a, "'%s' is also speaking in '%s' at an overlapping time.",
		c->who, title);
}

/* Check, warn about clashes, then create or update a session in one transaction. */
enum app_err
agenda_session_save(struct app *app, struct db *db, struct arena *a, int64_t id,
		    const struct agenda_session_input *in, struct agenda_errors *errs,
		    struct agenda_warnings *warn, int64_t *out_id)
{
	struct agenda			 ag;
	struct agenda_session_row	 r;
	const struct agenda_speaker	*sp;
	const struct agenda_room	*room = NULL;
	struct clash_ctx		 cc = { a, warn, NULL, 0 };
	int64_t				 cap = 0, v = 0;
	enum app_err			 rc;
	size_t				 i;
	char				*end;

	memset(errs, 0, sizeof(*errs));
	memset(warn, 0, sizeof(*warn));
	memset(&r, 0, sizeof(r));
	rc = agenda_load(app, db, a, &ag);
	if (rc != E_OK)
		return rc;
	if (id && !agenda_find_session(&ag, id))
		return E_NOTFOUND;
	check_text(errs, "title", in->title, AGENDA_NAME_MAX, 1, 1, "title");
	check_text(errs, "description", in->description, AGENDA_TEXT_MAX, 0, 0, "description");
	if (!agenda_kind_label(in->kind))
		add_error(errs, "kind", "Choose the kind of session.");
	r.day_id = parse_id(in->day_id, 0);
	if (r.day_id <= 0 || !agenda_find_day(&ag, r.day_id))
		add_error(errs, "day", "Choose one of the days.");
	r.room_id = parse_id(in->room_id, 1);
	if (r.room_id < 0 || (r.room_id && !(room = agenda_find_room(&ag, r.room_id))))
		add_error(errs, "room", "Choose one of the rooms, or none.");
	r.track_id = parse_id(in->track_id, 1);
	if (r.track_id < 0 || (r.track_id && !find_track(&ag, r.track_id)))
		add_error(errs, "track", "Choose one of the tracks, or none.");
	r.start_min = agenda_parse_hhmm(in->start);
	r.end_min = agenda_parse_hhmm(in->end);
	if (r.start_min < 0)
		add_error(errs, "start", "Give the start time as HH:MM, for example 09:30.");
	if (r.end_min < 0)
		add_error(errs, "end", "Give the end time as HH:MM, for example 10:15.");
	else if (r.start_min >= 0 && r.end_min <= r.start_min)
		add_error(errs, "end", "The session must end after it starts.");
	if (in->capacity && *in->capacity) {
		errno = 0;
		cap = strtoll(in->capacity, &end, 10);
		if (errno || *end || cap < 0 || cap > AGENDA_CAPACITY_MAX)
			add_error(errs, "capacity", "Give the number of places (0 to 100000), or leave it empty.");
	}
	r.capacity = cap;
	for (i = 0; i < in->nspeakers; i++) {
		if (!agenda_find_speaker(&ag, in->speaker_ids[i]))
			add_error(errs, "speakers", "Choose speakers from the list.");
	}
	if (errs->n)
		return E_INVALID;
	r.kind = in->kind;
	r.title = in->title;
	r.description = in->description ? in->description : "";

	/* Clashes: the same room, or the same speaker, at an overlapping time. */
	if (room) {
		cc.who = room->name;
		cc.room = 1;
		rc = agenda_store_room_clashes(db, a, app->event_id, id, r.day_id, r.room_id,
		    r.start_min, r.end_min, add_clash, &cc);
	}
	cc.room = 0;
	for (i = 0; rc == E_OK && i < in->nspeakers; i++) {
		sp = agenda_find_speaker(&ag, in->speaker_ids[i]);
		cc.who = sp->name;
		rc = agenda_store_speaker_clashes(db, a, app->event_id, id, r.day_id,
		    sp->id, r.start_min, r.end_min, add_clash, &cc);
	}
	if (rc != E_OK)
		return E_INTERNAL;
	if (warn->n && !in->confirmed)
		return E_CONFLICT;

	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = agenda_store_version_bump(db, app->event_id, &v);
	if (rc == E_OK && id)
		rc = agenda_store_session_update(db, app->event_id, id, &r, v);
	else if (rc == E_OK)
		rc = agenda_store_session_add(db, app->event_id, &r, v, &id);
	if (rc == E_OK)
		rc = agenda_store_session_speakers_set(db, id, in->speaker_ids, in->nspeakers);
	if (rc == E_OK && r.capacity > 0)
		rc = fill_seats(db, id, r.capacity, NULL);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		return rc == E_NOTFOUND ? E_NOTFOUND : E_INTERNAL;
	}
	version_forget();
	*out_id = id;
	return E_OK;
}

/* Delete a session (its stars, sign-ups and speaker links go with it). */
enum app_err
agenda_session_delete(struct app *app, struct db *db, int64_t id)
{
	if (db_begin(db) < 0)
		return E_INTERNAL;
	return finish(db, agenda_store_session_delete(db, app->event_id, id), app->event_id);
}

/* Create or update a day: a real date, unique in the event. */
enum app_err
agenda_day_save(struct app *app, struct db *db, int64_t id, const char *date, const char *title,
		struct agenda_errors *errs, int64_t *out_id)
{
	enum app_err rc;

	memset(errs, 0, sizeof(*errs));
	if (!valid_date(date))
		add_error(errs, "date", "Give the date as YYYY-MM-DD, for example 2027-03-11.");
	check_text(errs, "title", title, AGENDA_NAME_MAX, 0, 1, "title");
	if (errs->n)
		return E_INVALID;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	if (id) {
		rc = agenda_store_day_update(db, app->event_id, id, date, title ? title : "");
		*out_id = id;
	} else {
		rc = agenda_store_day_add(db, app->event_id, date, title ? title : "", out_id);
	}
	rc = finish(db, rc, app->event_id);
	if (rc == E_CONFLICT) {
		add_error(errs, "date", "There is already a day with this date.");
		return E_INVALID;
	}
	return rc;
}

/* Delete a day that holds no sessions. */
enum app_err
agenda_day_delete(struct app *app, struct db *db, int64_t id)
{
	int64_t		 n = 0;
	enum app_err	 rc;

	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = agenda_store_day_sessions(db, id, &n);
	if (rc == E_OK && n > 0)
		rc = E_CONFLICT;
	if (rc == E_OK)
		rc = agenda_store_day_delete(db, app->event_id, id);
	return finish(db, rc, app->event_id);
}

/* Create or update a room: a name unique in the event and a column number. */
enum app_err
agenda_room_save(struct app *app, struct db *db, int64_t id, const char *name,
		 const char *position, struct agenda_errors *errs, int64_t *out_id)
{
	int64_t		 pos = 0;
	char		*end;
	enum app_err	 rc;

	memset(errs, 0, sizeof(*errs));
	check_text(errs, "name", name, AGENDA_NAME_MAX, 1, 1, "name");
	if (position && *position) {
		errno = 0;
		pos = strtoll(position, &end, 10);
		if (errno || *end || pos < 0 || pos > 1000)
			add_error(errs, "position", "Give a column number from 0 to 1000.");
	}
	if (errs->n)
		return E_INVALID;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	if (id) {
		rc = agenda_store_room_update(db, app->event_id, id, name, pos);
		*out_id = id;
	} else {
		rc = agenda_store_room_add(db, app->event_id, name, pos, out_id);
	}
	rc = finish(db, rc, app->event_id);
	if (rc == E_CONFLICT) {
		add_error(errs, "name", "There is already a room with this name.");
		return E_INVALID;
	}
	return rc;
}

/* Delete a room; its sessions keep going without one. */
enum app_err
agenda_room_delete(struct app *app, struct db *db, int64_t id)
{
	if (db_begin(db) < 0)
		return E_INTERNAL;
	return finish(db, agenda_store_room_delete(db, app->event_id, id), app->event_id);
}

/* Create or update a track: a name unique in the event. */
enum app_err
agenda_track_save(struct app *app, struct db *db, int64_t id, const char *name,
		  struct agenda_errors *errs, int64_t *out_id)
{
	enum app_err rc;

	memset(errs, 0, sizeof(*errs));
	check_text(errs, "name", name, AGENDA_NAME_MAX, 1, 1, "name");
	if (errs->n)
		return E_INVALID;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	if (id) {
		rc = agenda_store_track_update(db, app->event_id, id, name);
		*out_id = id;
	} else {
		rc = agenda_store_track_add(db, app->event_id, name, out_id);
	}
	rc = finish(db, rc, app->event_id);
	if (rc == E_CONFLICT) {
		add_error(errs, "name", "There is already a track with this name.");
		return E_INVALID;
	}
	return rc;
}

/* Delete a track; its sessions keep going without one. */
enum app_err
agenda_track_delete(struct app *app, struct db *db, int64_t id)
{
	if (db_begin(db) < 0)
		return E_INTERNAL;
	return finish(db, agenda_store_track_delete(db, app->event_id, id), app->event_id);
}

/* Check and save a speaker, with a checked photo under a generated name. */
enum app_err
agenda_speaker_save(struct app *app, struct db *db, struct arena *a, int64_t id,
		    const char *name, const char *affiliation, const char *bio,
		    const char *person_email, const unsigned char *photo, size_t photo_len,
		    const char *photo_type, int remove_photo,
		    struct agenda_errors *errs, int64_t *out_id)
{
	struct agenda_photo	 ph;
	struct person		 p;
	const char		*why = NULL;
	char			*email = NULL, *fname = NULL;
	unsigned char		 raw[12];
	char			 hex[sizeof(raw) * 2 + 1];
	int64_t			 person_id = 0;
	enum app_err		 rc;

	memset(errs, 0, sizeof(*errs));
	check_text(errs, "name", name, AGENDA_NAME_MAX, 1, 1, "name");
	check_text(errs, "affiliation", affiliation, AGENDA_NAME_MAX, 0, 1, "affiliation");
	check_text(errs, "bio", bio, AGENDA_TEXT_MAX, 0, 0, "bio");
	if (person_email && *person_email) {
		if (people_email_normalise(a, person_email, &email, &why) != E_OK)
			add_error(errs, "email", why);
		else if (people_find_email(app, db, a, email, &p) != E_OK)
			add_error(errs, "email", "No account has this email address.");
		else
			person_id = p.id;
	}
	if (photo && agenda_photo_check(photo, photo_len, photo_type, &ph, &why) != E_OK)
		add_error(errs, "photo", why);
	if (errs->n)
		return E_INVALID;
	if (photo) {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
		fname = arena_printf(a, "speaker-%s.%s", hex,
		    strcmp(ph.type, "image/png") == 0 ? "png" :
		    strcmp(ph.type, "image/jpeg") == 0 ? "jpg" : "webp");
	}
	if (db_begin(db) < 0)
		return E_INTERNAL;
	if (id) {
		rc = agenda_store_speaker_update(db, app->event_id, id, person_id, name,
		    affiliation ? affiliation : "", bio ? bio : "");
	} else {
		rc = agenda_store_speaker_add(db, app->event_id, person_id, name,
		    affiliation ? affiliation : "", bio ? bio : "", &id);
	}
	if (rc == E_OK && photo)
		rc = agenda_store_speaker_photo_set(db, app->event_id, id, &ph, fname);
	else if (rc == E_OK && remove_photo)
		rc = agenda_store_speaker_photo_clear(db, app->event_id, id);
	rc = finish(db, rc, app->event_id);
	if (rc == E_OK)
		*out_id = id;
	return rc;
}

/* Delete a speaker (and their place in sessions). */
enum app_err
agenda_speaker_delete(struct app *app, struct db *db, int64_t id)
{
	if (db_begin(db) < 0)
		return E_INTERNAL;
	return finish(db, agenda_store_speaker_delete(db, app->event_id, id), app->event_id);
}

/* A speaker's stored photo and its content type. */
enum app_err
agenda_speaker_photo(struct app *app, struct db *db, struct arena *a, int64_t id,
		     const unsigned char **data, size_t *len, const char **type)
{
	return agenda_store_speaker_photo(db, a, app->event_id, id, data, len, type);
}

/* The email of the account a speaker is linked to, "" if none. */
const char *
agenda_speaker_email(struct app *app, struct db *db, struct arena *a,
		     const struct agenda_speaker *sp)
{
	struct person p;

	if (!sp || !sp->person_id || people_get(app, db, a, sp->person_id, &p) != E_OK)
		return "";
	return p.email ? p.email : "";
}
