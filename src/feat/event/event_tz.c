/* event_tz.c - the venue's clock.  Sessions are stored as a local date and
 * minute of the day at the venue; the home page's "on now", the feeds and
 * the schedule exports need them as instants and back.  The rules of each
 * time zone (offsets, summer time, their history) come from the system's
 * time zone database through libical, whose zone cache is thread-safe; a
 * zone name is an IANA name such as "Europe/London".  "UTC" is always
 * known, also on a system without the database. */
#include "event.h"
#include "../../core/log.h"

#include <libical/ical.h>

/* The zone for name, or NULL if the system does not know it. */
static icaltimezone *
zone_of(const char *name)
{
	if (!name || !*name || strlen(name) > EVENT_TZ_MAX)
		return NULL;
	if (strcmp(name, "UTC") == 0)
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(name);
}

int
event_tz_known(const char *name)
{
	return zone_of(name) != NULL;
}

/* The zone for name, falling back to UTC (logged once per process) for a
 * name the system does not know, so pages still show times. */
static icaltimezone *
zone_or_utc(const char *name)
{
	static int	 warned;
	icaltimezone	*z = zone_of(name);

	if (z)
		return z;
	if (!warned) {
		warned = 1;
		log_warn("time zone '%s' is not known here (is tzdata installed?): using UTC",
		    name ? name : "");
	}
	return icaltimezone_get_utc_timezone();
}

void
event_local_time(const char *tz, int64_t unix_time, char date[11], int *minute)
{
	struct icaltimetype t;

	t = icaltime_from_timet_with_zone((time_t)unix_time, 0, zone_or_utc(tz));
	snprintf(date, 11, "%04d-%02d-%02d", t.year, t.month, t.day);
	*minute = t.hour * 60 + t.minute;
}

int64_t
event_unix_time(const char *tz, const char *date, int minute, int *offset_min)
{
	icaltimezone		*z = zone_or_utc(tz);
	struct icaltimetype	 t = icaltime_null_time();
	int			 y, m, d, n = 0, dst = 0;
	int64_t			 u;

	if (!date || strlen(date) != 10 ||
	    sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31 || minute < 0 || minute > 48 * 60)
		return -1;
	t.year = y;
	t.month = m;
	t.day = d;
	t.hour = minute / 60;
	t.minute = minute % 60;
	t = icaltime_normalize(t);	/* 24:00 is the next day's 00:00 */
	t.zone = z;
	u = (int64_t)icaltime_as_timet_with_zone(t, z);
	*offset_min = icaltimezone_get_utc_offset(z, &t, &dst) / 60;
	return u;
}
