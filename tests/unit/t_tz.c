/* t_tz.c - the venue's clock (event_tz.c): local date and minute from an
 * instant and back, in London with its summer time, in zones west and
 * south of it and with a half-hour offset, across the spring gap and the
 * autumn overlap, past midnight, and with names the system does not know. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/feat/event/event.h"

#include <time.h>

/* A UTC unix time from its parts. */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

/* Local date and minute in tz at t must be date and minute. */
static void
local_is(const char *tz, int64_t t, const char *date, int minute)
{
	char	 d[11];
	int	 m = -1;

	event_local_time(tz, t, d, &m);
	assert_string_equal(d, date);
	assert_int_equal(m, minute);
}

/* date at minute in tz must be instant t with offset off (minutes east). */
static void
instant_is(const char *tz, const char *date, int minute, int64_t t, int off)
{
	int o = -9999;

	assert_int_equal(event_unix_time(tz, date, minute, &o), t);
	assert_int_equal(o, off);
}

static void
london_knows_summer_time(void **state)
{
	(void)state;
	local_is("Europe/London", utc(2027, 3, 11, 9, 40), "2027-03-11", 9 * 60 + 40);
	local_is("Europe/London", utc(2027, 7, 1, 12, 0), "2027-07-01", 13 * 60);
	instant_is("Europe/London", "2027-03-11", 9 * 60, utc(2027, 3, 11, 9, 0), 0);
	instant_is("Europe/London", "2027-07-01", 9 * 60 + 30, utc(2027, 7, 1, 8, 30), 60);
	/* The day after the autumn change is back on GMT. */
	instant_is("Europe/London", "2027-11-01", 0, utc(2027, 11, 1, 0, 0), 0);
	/* The change itself: 01:00 UTC on the last Sunday of March and October. */
	local_is("Europe/London", utc(2027, 3, 28, 0, 59), "2027-03-28", 59);
	local_is("Europe/London", utc(2027, 3, 28, 1, 0), "2027-03-28", 2 * 60);
	local_is("Europe/London", utc(2027, 10, 31, 0, 59), "2027-10-31", 60 + 59);
	local_is("Europe/London", utc(2027, 10, 31, 1, 0), "2027-10-31", 60);
	/* 01:30 does not happen on the spring day: read with summer time. */
	instant_is("Europe/London", "2027-03-28", 90, utc(2027, 3, 28, 0, 30), 60);
	/* It happens twice on the autumn day: the second one. */
	instant_is("Europe/London", "2027-10-31", 90, utc(2027, 10, 31, 1, 30), 0);
}

static void
zones_elsewhere_use_their_own_rules(void **state)
{
	(void)state;
	/* New York: summer time from the second Sunday of March (14 March 2027). */
	instant_is("America/New_York", "2027-03-11", 9 * 60, utc(2027, 3, 11, 14, 0), -300);
	instant_is("America/New_York", "2027-03-15", 9 * 60, utc(2027, 3, 15, 13, 0), -240);
	local_is("America/New_York", utc(2027, 3, 12, 2, 30), "2027-03-11", 21 * 60 + 30);
	/* Sydney: summer in March, winter in July. */
	instant_is("Australia/Sydney", "2027-03-11", 9 * 60, utc(2027, 3, 10, 22, 0), 660);
	instant_is("Australia/Sydney", "2027-07-01", 9 * 60, utc(2027, 6, 30, 23, 0), 600);
	local_is("Australia/Sydney", utc(2027, 6, 30, 23, 0), "2027-07-01", 9 * 60);
	/* Half an hour. */
	instant_is("Asia/Kolkata", "2027-03-11", 9 * 60, utc(2027, 3, 11, 3, 30), 330);
	local_is("Asia/Kolkata", utc(2027, 3, 11, 3, 30), "2027-03-11", 9 * 60);
	instant_is("UTC", "2027-07-01", 9 * 60, utc(2027, 7, 1, 9, 0), 0);
}

static void
round_trips_hold_through_a_whole_year(void **state)
{
	static const char *const zones[] = {
		"Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"
	};
	int64_t	 t, back;
	char	 d[11];
	int	 m, off;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		for (t = utc(2027, 1, 1, 0, 0); t < utc(2028, 1, 1, 0, 0); t += 3600 * 7 + 60 * 13) {
			event_local_time(zones[i], t, d, &m);
			back = event_unix_time(zones[i], d, m, &off);
			/* In an autumn overlap the local time stands for two
			 * instants an hour apart: either is a fair reading. */
			assert_true(back == t - t % 60 || back == t - t % 60 - 3600 ||
			    back == t - t % 60 + 3600);
		}
}

static void
midnight_and_bad_input(void **state)
{
	int off;

	(void)state;
	/* 24:00 is the next day's midnight; sessions may run past it. */
	instant_is("Europe/London", "2027-03-11", 24 * 60, utc(2027, 3, 12, 0, 0), 0);
	instant_is("Europe/London", "2027-03-11", 25 * 60 + 30, utc(2027, 3, 12, 1, 30), 0);
	assert_int_equal(event_unix_time("Europe/London", "not a date", 0, &off), -1);
	assert_int_equal(event_unix_time("Europe/London", "2027-13-01", 0, &off), -1);
	assert_int_equal(event_unix_time("Europe/London", "2027-03-11x", 0, &off), -1);
	assert_int_equal(event_unix_time("Europe/London", "2027-03-11", -1, &off), -1);
	assert_int_equal(event_unix_time("Europe/London", NULL, 0, &off), -1);
}

static void
only_known_zones_are_known(void **state)
{
	(void)state;
	assert_true(event_tz_known("Europe/London"));
	assert_true(event_tz_known("America/New_York"));
	assert_true(event_tz_known("UTC"));
	assert_false(event_tz_known("Europe/Atlantis"));
	assert_false(event_tz_known(""));
	assert_false(event_tz_known(NULL));
	assert_false(event_tz_known("../../etc/passwd"));
	assert_false(event_tz_known("Europe/London/../../../etc/passwd"));
	/* An unknown zone reads as UTC rather than failing a page. */
	local_is("Europe/Atlantis", utc(2027, 7, 1, 12, 0), "2027-07-01", 12 * 60);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(london_knows_summer_time),
		cmocka_unit_test(zones_elsewhere_use_their_own_rules),
		cmocka_unit_test(round_trips_hold_through_a_whole_year),
		cmocka_unit_test(midnight_and_bad_input),
		cmocka_unit_test(only_known_zones_are_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
