/* event.c - rules for events (valid names, slugs and dates, how dates
 * read) and the start-up preparation of an instance.  SQL lives in
 * event_store.c. */
#include "event.h"
#include "event_store.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

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

enum app_err
event_create(struct db *db, const struct event *e, int64_t *id, const char **why)
{
	const char	*p;
	int		 y1, m1, d1, y2, m2, d2;
	size_t		 n;

	n = e->name ? strlen(e->name) : 0;
	if (!n || n > 200 || !utf8_valid(e->name, n) || utf8_has_controls(e->name, n, 1)) {
		*why = "give the event a name of up to 200 characters";
		return E_INVALID;
	}
	for (p = e->slug ? e->slug : ""; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			break;
	if (!e->slug || !*e->slug || *p || strlen(e->slug) > 64) {
		*why = "the short name may use only a-z, 0-9 and '-'";
		return E_INVALID;
	}
	if (date_parse(e->starts_on, &y1, &m1, &d1) < 0 ||
	    date_parse(e->ends_on, &y2, &m2, &d2) < 0) {
		*why = "dates are written YYYY-MM-DD";
		return E_INVALID;
	}
	if (strcmp(e->ends_on, e->starts_on) < 0) {
		*why = "the event cannot end before it starts";
		return E_INVALID;
	}
	return event_store_add(db, e, now_unix(), id);
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
