/* event.h - the convention itself (name, dates, venue, introduction) and
 * the instance's settings, such as the secret shared by every instance.
 * One database may hold several events; an instance serves one
 * (app->event_id). */
#ifndef COLEAD_EVENT_H
#define COLEAD_EVENT_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct db;

struct event {
	int64_t		 id;
	const char	*slug;
	const char	*name;
	const char	*tagline;
	const char	*intro;		/* Markdown-free plain text paragraphs */
	const char	*venue;
	const char	*venue_address;
	const char	*starts_on;	/* YYYY-MM-DD */
	const char	*ends_on;
	const char	*timezone;
};

enum app_err	event_get(struct db *db, struct arena *a, int64_t id, struct event *e);
/* The event with the lowest id; E_NOTFOUND in an empty database. */
enum app_err	event_first(struct db *db, struct arena *a, struct event *e);
/* 1 if the database holds any event, 0 if none, -1 on error. */
int		event_any(struct db *db);
#define EVENT_NAME_MAX	200	/* characters: name, tagline, venue, address */
#define EVENT_INTRO_MAX	5000
#define EVENT_NAME_TTL	10	/* seconds event_name() trusts its copy */

/* What is wrong with each field of an event's details; NULL where
 * nothing is.  Sentences, for the form. */
struct event_errors {
	const char	*name, *tagline, *intro, *venue, *venue_address;
	const char	*starts_on, *ends_on, *timezone;
};

/* Check the editable details: a name, one-line texts within
 * EVENT_NAME_MAX characters, an introduction within EVENT_INTRO_MAX
 * (paragraphs separated by blank lines), real dates with the last not
 * before the first, a time zone the system knows (event_tz_known).  0, or
 * -1 with err filled. */
int		event_check(const struct event *e, struct event_errors *err);
/* Checks the fields (as event_check, and a slug of a-z, 0-9 and '-') and
 * inserts; E_INVALID with *why, E_CONFLICT for a taken slug. */
enum app_err	event_create(struct db *db, const struct event *e, int64_t *id, const char **why);
/* Save the details of the event this instance serves (e->id and e->slug
 * are ignored; empty optional fields are stored empty, an empty time zone
 * as Europe/London).  E_INVALID with err filled, changing nothing. */
enum app_err	event_update(struct app *app, struct db *db, const struct event *e,
			struct event_errors *err);
/* The event's current name, copied into a: kept in memory, read from db
 * (may be NULL) at most every EVENT_NAME_TTL seconds, and changed at once
 * by this process's event_update. */
const char	*event_name(struct app *app, struct db *db, struct arena *a);
/* "11–12 March 2027" (or "30 March – 2 April 2027") into the arena. */
char		*event_dates_text(struct arena *a, const struct event *e);

/* ---- the venue's clock (event_tz.c) ---- */

#define EVENT_TZ_MAX	64	/* longest time zone name accepted */

/* 1 if tz names a time zone this system knows ("UTC", or an IANA name
 * such as "Europe/London" from the time zone database). */
int		event_tz_known(const char *tz);
/* The local date and minute of the day in zone tz at a unix time.  A zone
 * the system does not know is taken as UTC (and logged once). */
void		event_local_time(const char *tz, int64_t unix_time, char date[11], int *minute);
/* The unix time of a local date (YYYY-MM-DD) and minute of the day (up to
 * 48 h, for sessions past midnight) in zone tz; *offset_min is the zone's
 * offset from UTC then, in minutes east.  A local time skipped by a
 * spring change is read with the summer offset (01:30 on the day London
 * changes is 00:30 UTC); one that happens twice in autumn is the second
 * (after the change).  -1 if the date does not parse. */
int64_t		event_unix_time(const char *tz, const char *date, int minute, int *offset_min);

/* Prepare an instance to serve: the first event (creating a placeholder
 * "Convention" dated today when the database has none, so a fresh
 * database serves) and the shared secret (created once, kept in the
 * settings table).  Fills app->event_id, app->event_name, app->secret. */
enum app_err	event_app_init(struct app *app, struct db *db);

#endif
