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
/* Checks the fields (name, slug, dates in order) and inserts; E_INVALID
 * with *why, E_CONFLICT for a taken slug. */
enum app_err	event_create(struct db *db, const struct event *e, int64_t *id, const char **why);
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
