/* t_feeds.c - the feeds feature against a real database: stable UUIDs,
 * local times turned into UTC (with British Summer Time), the iCalendar
 * feed and the schedule XML and JSON holding every session of the demo
 * programme, and personal feed tokens (made, replaced, revoked, refused
 * when malformed) with the personal feed holding only the owner's
 * sessions.  Runs on SQLite and, when COLEAD_TEST_PG names a server, again
 * on a fresh PostgreSQL database. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/core/cfg.h"
#include "../../src/db/db.h"
#include "../../src/feat/agenda/agenda.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/feeds/feeds.h"
#include "../../src/feat/people/people.h"

#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FIXTURE_MORE	struct agenda ag;	/* the demo programme */
#include "fixture.h"

/* Fill the database with the demo programme, and load it. */
static int
fill(struct fixture *f)
{
	if (db_begin(f->db) < 0 || agenda_demo(&f->app, f->db, f->a) < 0 || db_commit(f->db) < 0)
		return -1;
	if (agenda_load(&f->app, f->db, f->a, &f->ag) != E_OK || f->ag.nsessions < 2)
		return -1;
	return 0;
}

/* How many times needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
uuid_is_stable_and_shaped(void **state)
{
	char	 a[37], b[37], c[37];

	(void)state;
	feeds_uuid("session", 7, a);
	feeds_uuid("session", 7, b);
	feeds_uuid("session", 8, c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	feeds_uuid("room", 7, c);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[8], '-');
	assert_int_equal(a[14], '5');
	assert_non_null(strchr("89ab", a[19]));
}

static void
ical_lists_every_session(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b;
	char		*uid;

	buf_init(&b, 0);
	assert_int_equal(feeds_ical(&f->app, f->db, f->a, "http://example.org", 0, &b), E_OK);
	buf_addc(&b, '\0');
	assert_non_null(strstr(b.data, "BEGIN:VCALENDAR"));
	assert_non_null(strstr(b.data, "VERSION:2.0"));
	assert_int_equal(count(b.data, "BEGIN:VEVENT"), f->ag.nsessions);
	uid = arena_printf(f->a, "UID:session-%lld@", (long long)f->ag.sessions[0].id);
	assert_non_null(strstr(b.data, uid));
	assert_non_null(strstr(b.data, "URL:http://example.org/sessions/"));
	buf_release(&b);
}

static void
schedules_list_every_session(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b;
	json_t		*doc, *days, *rooms, *list;
	json_error_t	 jerr;
	const char	*key;
	size_t		 i, n = 0;

	buf_init(&b, 0);
	assert_int_equal(feeds_schedule_xml(&f->app, f->db, f->a, "http://example.org", &b), E_OK);
	buf_addc(&b, '\0');
	assert_non_null(strstr(b.data, "<schedule>"));
	assert_int_equal(count(b.data, "<event id="), f->ag.nsessions);
	buf_reset(&b);
	assert_int_equal(feeds_schedule_json(&f->app, f->db, f->a, "http://example.org", &b), E_OK);
	doc = json_loadb(b.data, b.len, 0, &jerr);
	assert_non_null(doc);
	days = json_object_get(json_object_get(json_object_get(doc, "schedule"), "conference"), "days");
	assert_int_equal(json_array_size(days), f->ag.ndays);
	for (i = 0; i < json_array_size(days); i++) {
		rooms = json_object_get(json_array_get(days, i), "rooms");
		json_object_foreach(rooms, key, list)
			n += json_array_size(list);
	}
	assert_int_equal(n, f->ag.nsessions);
	json_decref(doc);
	buf_release(&b);
}

static void
personal_tokens_and_feed(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b;
	char		*t1, *t2, *uid, *email;
	const char	*why = "";
	int64_t		 me = 0, who = 0, since = 0, s = f->ag.sessions[1].id;
	int		 has = 1;

	email = arena_printf(f->a, "feeds.%d@example.org", (int)getpid());
	assert_int_equal(people_add(&f->app, f->db, "Fen Feeds", email, NULL, ROLE_PARTICIPANT,
	    NULL, &me, &why), E_OK);
	assert_int_equal(feeds_token_status(&f->app, f->db, me, &has, &since), E_OK);
	assert_false(has);
	assert_int_equal(feeds_token_revoke(&f->app, f->db, me), E_OK);

	assert_int_equal(feeds_token_new(&f->app, f->db, f->a, me, &t1), E_OK);
	assert_int_equal(strlen(t1), FEEDS_TOKEN_LEN - 1);
	assert_int_equal(feeds_token_status(&f->app, f->db, me, &has, &since), E_OK);
	assert_true(has);
	assert_true(since > 0);
	assert_int_equal(feeds_token_person(&f->app, f->db, t1, &who), E_OK);
	assert_int_equal(who, me);

	/* Only the starred session is in the personal feed. */
	assert_int_equal(agenda_star(&f->app, f->db, me, s, 1), E_OK);
	buf_init(&b, 0);
	assert_int_equal(feeds_ical(&f->app, f->db, f->a, "http://example.org", me, &b), E_OK);
	buf_addc(&b, '\0');
	assert_int_equal(count(b.data, "BEGIN:VEVENT"), 1);
	uid = arena_printf(f->a, "UID:session-%lld@", (long long)s);
	assert_non_null(strstr(b.data, uid));
	buf_release(&b);

	/* A new token replaces the old one. */
	assert_int_equal(feeds_token_new(&f->app, f->db, f->a, me, &t2), E_OK);
	assert_string_not_equal(t1, t2);
	assert_int_equal(feeds_token_person(&f->app, f->db, t1, &who), E_NOTFOUND);
	assert_int_equal(feeds_token_person(&f->app, f->db, t2, &who), E_OK);

	/* Revoked, malformed and unknown tokens find nobody. */
	assert_int_equal(feeds_token_revoke(&f->app, f->db, me), E_OK);
	assert_int_equal(feeds_token_person(&f->app, f->db, t2, &who), E_NOTFOUND);
	assert_int_equal(feeds_token_person(&f->app, f->db, "short", &who), E_NOTFOUND);
	assert_int_equal(feeds_token_person(&f->app, f->db, NULL, &who), E_NOTFOUND);
	assert_int_equal(feeds_token_person(&f->app, f->db,
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &who), E_NOTFOUND);
	assert_int_equal(feeds_token_person(&f->app, f->db,
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!", &who), E_NOTFOUND);
	assert_int_equal(feeds_token_status(&f->app, f->db, me, &has, &since), E_OK);
	assert_false(has);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid_is_stable_and_shaped),
		cmocka_unit_test(ical_lists_every_session),
		cmocka_unit_test(schedules_list_every_session),
		cmocka_unit_test(personal_tokens_and_feed),
	};

	return store_tests_run("feeds", tests, ARRAY_SIZE(tests), NULL, 0, fill);
}
