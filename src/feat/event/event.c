/* event.c - rules for events (valid names, slugs and dates, how dates
 * read) and the start-up preparation of an instance.  SQL lives in
 * event_store.c. */
#include "event.h"
#include "event_store.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

#include <pthread.h>
#include <sodium.h>

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* Parse YYYY-MM-DD; -1 unless it is a real calendar date. */
static int
date_parse(const char *s, int *y, int *m, int *d)
{
	static const int	mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int			n = 0;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) != 3 || n != 10)
		return -1;
	if (*y < 2000 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return -1;
	if (*m == 2 && *d == 29 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0))
		return -1;
	return 0;
}

enum app_err
event_get(struct db *db, struct arena *a, int64_t id, struct event *e)
{
	return event_store_get(db, a, id, e);
}

enum app_err
event_first(struct db *db, struct arena *a, struct event *e)
{
	int64_t		id;
	enum app_err	rc = event_store_first_id(db, &id);

	if (rc != E_OK)
		return rc;
	return event_store_get(db, a, id, e);
}

int
event_any(struct db *db)
{
	int64_t		id;
	enum app_err	rc = event_store_first_id(db, &id);

	if (rc == E_NOTFOUND)
		return 0;
	return rc == E_OK ? 1 : -1;
}

/*
 * The event's name, which every page's layout, the Atom feed and the mails
 * show.  Kept in memory so a page does not read it; read again after
 * EVENT_NAME_TTL seconds, so a rename made through another instance shows
 * within that time, and replaced at once by this process's own rename.
 */
static pthread_mutex_t	 name_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t		 name_event, name_at;
static char		*name_text;

static void
name_remember(int64_t event_id, const char *name)
{
	char *copy = xstrdup(name);

	pthread_mutex_lock(&name_lock);
	free(name_text);
	name_text = copy;
	name_event = event_id;
	name_at = now_unix();
	pthread_mutex_unlock(&name_lock);
}

const char *
event_name(struct app *app, struct db *db, struct arena *a)
{
	struct event	 e;
	const char	*out = NULL;

	pthread_mutex_lock(&name_lock);
	if (name_text && name_event == app->event_id && now_unix() - name_at < EVENT_NAME_TTL)
		out = arena_strdup(a, name_text);
	pthread_mutex_unlock(&name_lock);
	if (out)
		return out;
	if (db && event_get(db, a, app->event_id, &e) == E_OK) {
		name_remember(app->event_id, e.name);
		return e.name;
	}
	return app->event_name ? app->event_name : "colead";
}

/* Is s (may be NULL) text of at most max characters?  multiline allows
 * line breaks. */
static int
text_ok(const char *s, size_t max, int multiline)
{
	size_t n = s ? strlen(s) : 0;

	if (!n)
		return 1;
	return utf8_valid(s, n) && utf8_len(s, n) <= max && !utf8_has_controls(s, n, !multiline);
}

int
event_check(const struct event *e, struct event_errors *err)
{
	int	 y1, m1, d1, y2, m2, d2, bad = 0;
	size_t	 n = e->name ? strlen(e->name) : 0;

	memset(err, 0, sizeof(*err));
	if (!n || !text_ok(e->name, EVENT_NAME_MAX, 0))
		err->name = "Give the event a name of up to 200 characters.";
	if (!text_ok(e->tagline, EVENT_NAME_MAX, 0))
		err->tagline = "Keep the tagline to one line of up to 200 characters.";
	if (!text_ok(e->intro, EVENT_INTRO_MAX, 1))
		err->intro = "Keep the introduction to 5,000 characters of text.";
	if (!text_ok(e->venue, EVENT_NAME_MAX, 0))
		err->venue = "Keep the venue to one line of up to 200 characters.";
	if (!text_ok(e->venue_address, EVENT_NAME_MAX, 0))
		err->venue_address = "Keep the address to one line of up to 200 characters.";
	if (date_parse(e->starts_on, &y1, &m1, &d1) < 0)
		err->starts_on = "Write the first day as YYYY-MM-DD, for example 2027-03-11.";
	if (date_parse(e->ends_on, &y2, &m2, &d2) < 0)
		err->ends_on = "Write the last day as YYYY-MM-DD, for example 2027-03-12.";
	else if (!err->starts_on && strcmp(e->ends_on, e->starts_on) < 0)
		err->ends_on = "The event cannot end before it starts.";
	if (e->timezone && !event_tz_known(e->timezone))
		err->timezone = "Give a time zone by its name in the time zone database, "
				"such as Europe/London.";
	bad = err->name || err->tagline || err->intro || err->venue || err->venue_address ||
	      err->starts_on || err->ends_on || err->timezone;
	return bad ? -1 : 0;
}

/* The first complaint of err, for callers that say one thing. */
static const char *
first_error(const struct event_errors *err)
{
	const char *const all[] = { err->name, err->tagline, err->intro, err->venue,
	    err->venue_address, err->starts_on, err->ends_on, err->timezone };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i])
			return all[i];
	return NULL;
}

enum app_err
event_create(struct db *db, const struct event *e, int64_t *id, const char **why)
{
	struct event_errors	 err;
	const char		*p;

	if (event_check(e, &err) < 0) {
		*why = first_error(&err);
		return E_INVALID;
	}
	for (p = e->slug ? e->slug : ""; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			break;
	if (!e->slug || !*e->slug || *p || strlen(e->slug) > 64) {
		*why = "the short name may use only a-z, 0-9 and '-'";
		return E_INVALID;
	}
	return event_store_add(db, e, now_unix(), id);
}

enum app_err
event_update(struct app *app, struct db *db, const struct event *e, struct event_errors *err)
{
	struct event	 c = *e;
	enum app_err	 rc;

	c.id = app->event_id;
	c.tagline = c.tagline ? c.tagline : "";
	c.intro = c.intro ? c.intro : "";
	c.venue = c.venue ? c.venue : "";
	c.venue_address = c.venue_address ? c.venue_address : "";
	c.timezone = c.timezone && *c.timezone ? c.timezone : "Europe/London";
	if (event_check(&c, err) < 0)
		return E_INVALID;
	rc = event_store_update(db, &c);
	if (rc == E_OK)
		name_remember(app->event_id, c.name);
	return rc;
}

char *
event_dates_text(struct arena *a, const struct event *e)
{
	int y1, m1, d1, y2, m2, d2;

	if (date_parse(e->starts_on, &y1, &m1, &d1) < 0 ||
	    date_parse(e->ends_on, &y2, &m2, &d2) < 0)
		return arena_strdup(a, "");
	if (y1 == y2 && m1 == m2 && d1 == d2)
		return arena_printf(a, "%d %s %d", d1, months[m1 - 1], y1);
	if (y1 == y2 && m1 == m2)
		return arena_printf(a, "%d\u2013%d %s %d", d1, d2, months[m1 - 1], y1);
	if (y1 == y2)
		return arena_printf(a, "%d %s \u2013 %d %s %d", d1, months[m1 - 1],
		    d2, months[m2 - 1], y1);
	return arena_printf(a, "%d %s %d \u2013 %d %s %d", d1, months[m1 - 1], y1,
	    d2, months[m2 - 1], y2);
}

enum app_err
event_app_init(struct app *app, struct db *db)
{
	struct arena	*a = arena_new(0);
	struct event	 e;
	char		 hex[65], fresh[65], today[11];
	unsigned char	 raw[32];
	size_t		 binlen;
	enum app_err	 rc;

	rc = event_first(db, a, &e);
	if (rc == E_NOTFOUND) {
		const char	*why;
		struct tm	 tm;
		time_t		 t = time(NULL);
		int64_t		 id;

		gmtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		memset(&e, 0, sizeof(e));
		e.slug = "convention";
		e.name = "Convention";
		e.starts_on = today;
		e.ends_on = today;
		rc = event_create(db, &e, &id, &why);
		if (rc == E_OK)
			rc = event_first(db, a, &e);
	}
	if (rc != E_OK)
		goto out;
	app->event_id = e.id;
	free(app->event_name);
	app->event_name = xstrdup(e.name);
	name_remember(e.id, e.name);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(fresh, sizeof(fresh), raw, sizeof(raw));
	rc = event_store_setting_init(db, "secret", fresh);
	if (rc == E_OK)
		rc = event_store_setting(db, "secret", hex, sizeof(hex));
	if (rc == E_OK && (sodium_hex2bin(app->secret, sizeof(app->secret), hex,
	    strlen(hex), NULL, &binlen, NULL) != 0 || binlen != sizeof(app->secret))) {
		error("the stored secret is malformed");
		rc = E_INTERNAL;
	}
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(fresh, sizeof(fresh));
out:
	arena_free(a);
	return rc;
}
