/* t_agenda.c - the agenda feature against a real database: days, rooms,
 * tracks, speakers with photos, sessions with their checks and clash
 * warnings, the schedule version and "changed since you last looked",
 * stars, sign-ups with the waiting list, the JSON API bodies, the page
 * cache and the demo programme.  Runs on SQLite and, when COLEAD_TEST_PG
 * names a server, again on a fresh PostgreSQL database. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/core/cfg.h"
#include "../../src/db/db.h"
#include "../../src/feat/agenda/agenda.h"
#include "../../src/feat/agenda/agenda_store.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/people/people.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"

/* A new participant; returns their id. */
static int64_t
person(struct fixture *f, const char *who)
{
	static int	 n;
	const char	*why = NULL;
	int64_t		 id = 0;
	char		*email = arena_printf(f->a, "%s.%d.%d@example.org", who, (int)getpid(), ++n);

	assert_int_equal(people_add(&f->app, f->db, who, email, NULL, ROLE_PARTICIPANT, NULL,
	    &id, &why), E_OK);
	return id;
}

/* A day, a room or two and a track, fresh for each test (dates differ). */
struct base {
	int64_t	 day, room1, room2, track;
	char	 date[32];
};

static void
base_new(struct fixture *f, struct base *b)
{
	static int		 n;
	struct agenda_errors	 e;
	char			*name;

	n++;
	snprintf(b->date, sizeof(b->date), "2027-04-%02d", n % 28 + 1);
	assert_int_equal(agenda_day_save(&f->app, f->db, 0, b->date, "A day", &e, &b->day), E_OK);
	name = arena_printf(f->a, "Room A %d", n);
	assert_int_equal(agenda_room_save(&f->app, f->db, 0, name, "1", &e, &b->room1), E_OK);
	name = arena_printf(f->a, "Room B %d", n);
	assert_int_equal(agenda_room_save(&f->app, f->db, 0, name, "2", &e, &b->room2), E_OK);
	name = arena_printf(f->a, "Track %d", n);
	assert_int_equal(agenda_track_save(&f->app, f->db, 0, name, &e, &b->track), E_OK);
}

/* Fill a session input for the base day. */
static void
input(struct fixture *f, struct agenda_session_input *in, const struct base *b,
      int64_t room, const char *start, const char *end, const char *capacity)
{
	memset(in, 0, sizeof(*in));
	in->title = "A session";
	in->description = "What it is about.\n\nSecond paragraph.";
	in->kind = "workshop";
	in->day_id = arena_printf(f->a, "%" PRId64, b->day);
	in->room_id = room ? arena_printf(f->a, "%" PRId64, room) : "";
	in->track_id = arena_printf(f->a, "%" PRId64, b->track);
	in->start = start;
	in->end = end;
	in->capacity = capacity;
}

static int64_t
session_new(struct fixture *f, const struct base *b, int64_t room, const char *start,
	    const char *end, const char *capacity)
{
	struct agenda_session_input	 in;
	struct agenda_errors		 e;
	struct agenda_warnings		 w;
	int64_t				 id = 0;

	input(f, &in, b, room, start, end, capacity);
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_OK);
	return id;
}

static int64_t
count_sessions(struct fixture *f)
{
	static const char	 sql[] = "SELECT COUNT(*) FROM agenda_sessions";
	struct db_stmt		*st = db_prepare(f->db, sql);
	int64_t			 n = -1;

	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}

static void
days_rooms_tracks_are_checked_and_unique(void **state)
{
	struct fixture		*f = *state;
	struct agenda_errors	 e;
	struct agenda		 ag;
	struct base		 b;
	int64_t			 id = 0;
	char			 longname[AGENDA_NAME_MAX + 2];

	base_new(f, &b);
	assert_int_equal(agenda_day_save(&f->app, f->db, 0, "2027-02-30", "", &e, &id), E_INVALID);
	assert_non_null(agenda_error_for(&e, "date"));
	assert_int_equal(agenda_day_save(&f->app, f->db, 0, "next week", "", &e, &id), E_INVALID);
	assert_int_equal(agenda_day_save(&f->app, f->db, 0, b.date, "", &e, &id), E_INVALID);
	assert_string_equal(agenda_error_for(&e, "date"), "There is already a day with this date.");
	assert_int_equal(agenda_room_save(&f->app, f->db, 0, "", "", &e, &id), E_INVALID);
	assert_non_null(agenda_error_for(&e, "name"));
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(agenda_track_save(&f->app, f->db, 0, longname, &e, &id), E_INVALID);
	assert_int_equal(agenda_room_save(&f->app, f->db, 0, "Line\nbreak", "", &e, &id), E_INVALID);
	assert_int_equal(agenda_room_save(&f->app, f->db, 0, "Ok room", "-4", &e, &id), E_INVALID);
	assert_non_null(agenda_error_for(&e, "position"));

	assert_int_equal(agenda_room_save(&f->app, f->db, b.room1, "Renamed room", "7", &e, &id), E_OK);
	assert_int_equal(agenda_track_save(&f->app, f->db, b.track, "Renamed track", &e, &id), E_OK);
	assert_int_equal(agenda_day_save(&f->app, f->db, b.day, b.date, "New title", &e, &id), E_OK);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_string_equal(agenda_find_room(&ag, b.room1)->name, "Renamed room");
	assert_int_equal(agenda_find_room(&ag, b.room1)->position, 7);
	assert_string_equal(agenda_find_day(&ag, b.day)->title, "New title");

	/* A day with sessions cannot go; rooms and tracks can (sessions keep going). */
	id = session_new(f, &b, b.room2, "09:00", "10:00", "");
	assert_int_equal(agenda_day_delete(&f->app, f->db, b.day), E_CONFLICT);
	assert_int_equal(agenda_room_delete(&f->app, f->db, b.room2), E_OK);
	assert_int_equal(agenda_track_delete(&f->app, f->db, b.track), E_OK);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_find_session(&ag, id)->room_id, 0);
	assert_int_equal(agenda_find_session(&ag, id)->track_id, 0);
	assert_int_equal(agenda_session_delete(&f->app, f->db, id), E_OK);
	assert_int_equal(agenda_session_delete(&f->app, f->db, id), E_NOTFOUND);
	assert_int_equal(agenda_day_delete(&f->app, f->db, b.day), E_OK);
	assert_int_equal(agenda_room_delete(&f->app, f->db, 999999), E_NOTFOUND);
}

static void
session_that_ends_before_it_starts_is_refused(void **state)
{
	struct fixture			*f = *state;
	struct agenda_session_input	 in;
	struct agenda_errors		 e;
	struct agenda_warnings		 w;
	struct base			 b;
	int64_t				 id = 0, before;

	base_new(f, &b);
	before = count_sessions(f);
	input(f, &in, &b, b.room1, "11:00", "10:30", "");
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_INVALID);
	assert_string_equal(agenda_error_for(&e, "end"), "The session must end after it starts.");
	input(f, &in, &b, b.room1, "25:00", "10:30", "x");
	in.kind = "party";
	in.title = "";
	in.day_id = "99999";
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_INVALID);
	assert_non_null(agenda_error_for(&e, "start"));
	assert_non_null(agenda_error_for(&e, "capacity"));
	assert_non_null(agenda_error_for(&e, "kind"));
	assert_non_null(agenda_error_for(&e, "title"));
	assert_non_null(agenda_error_for(&e, "day"));
	assert_int_equal(count_sessions(f), before);
}

static void
room_and_speaker_clashes_warn_until_confirmed(void **state)
{
	struct fixture			*f = *state;
	struct agenda_session_input	 in;
	struct agenda_errors		 e;
	struct agenda_warnings		 w;
	struct agenda			 ag;
	struct base			 b;
	int64_t				 first, sp = 0, id = 0, before, ids[1];

	base_new(f, &b);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "Clash Speaker", "", "",
	    "", NULL, 0, NULL, 0, &e, &sp), E_OK);
	ids[0] = sp;
	input(f, &in, &b, b.room1, "09:00", "10:00", "");
	in.speaker_ids = ids;
	in.nspeakers = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &first), E_OK);
	assert_int_equal(w.n, 0);

	/* Same room, overlapping time. */
	before = count_sessions(f);
	input(f, &in, &b, b.room1, "09:30", "10:30", "");
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_CONFLICT);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.text[0], "is already used by 'A session'"));
	assert_int_equal(count_sessions(f), before);

	/* Other room, same speaker. */
	input(f, &in, &b, b.room2, "09:30", "10:30", "");
	in.speaker_ids = ids;
	in.nspeakers = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_CONFLICT);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.text[0], "'Clash Speaker' is also speaking in"));

	/* Back to back is no clash; confirming saves a clash. */
	input(f, &in, &b, b.room1, "10:00", "11:00", "");
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_OK);
	input(f, &in, &b, b.room1, "09:30", "10:30", "");
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_OK);
	assert_int_equal(w.n, 2);
	assert_int_equal(count_sessions(f), before + 2);

	/* Editing a session does not clash with itself. */
	input(f, &in, &b, b.room1, "09:00", "09:45", "");
	in.speaker_ids = ids;
	in.nspeakers = 1;
	in.title = "Moved";
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, first, &in, &e, &w, &id), E_CONFLICT);
	assert_int_equal(w.n, 1);	/* only the confirmed 09:30 one */
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, first, &in, &e, &w, &id), E_OK);
	assert_int_equal(id, first);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_string_equal(agenda_find_session(&ag, first)->title, "Moved");
	assert_int_equal(agenda_find_session(&ag, first)->nspeakers, 1);
	assert_int_equal(agenda_find_session(&ag, first)->speaker_ids[0], sp);
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 999999, &in, &e, &w, &id), E_NOTFOUND);
}

static void
changes_bump_the_version_and_mark_sessions_changed(void **state)
{
	struct fixture			*f = *state;
	struct agenda_session_input	 in;
	struct agenda_errors		 e;
	struct agenda_warnings		 w;
	struct agenda			 ag;
	struct base			 b;
	int64_t				 s1, s2, id, v0, me = person(f, "Looker");

	base_new(f, &b);
	s1 = session_new(f, &b, b.room1, "09:00", "10:00", "");
	s2 = session_new(f, &b, b.room2, "09:00", "10:00", "");
	v0 = agenda_version(&f->app, f->db);
	assert_true(v0 > 0);

	/* First look: nothing is new; it records the version seen. */
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, me, &ag, 1), E_OK);
	assert_false(agenda_find_session(&ag, s1)->changed);

	input(f, &in, &b, b.room1, "09:15", "10:00", "");
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, s1, &in, &e, &w, &id), E_OK);
	assert_int_equal(agenda_version(&f->app, f->db), v0 + 1);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, me, &ag, 0), E_OK);
	assert_true(agenda_find_session(&ag, s1)->changed);
	assert_false(agenda_find_session(&ag, s2)->changed);
	/* Still marked until the person looks at the agenda. */
	assert_int_equal(agenda_personal(&f->app, f->db, me, &ag, 1), E_OK);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, me, &ag, 1), E_OK);
	assert_false(agenda_find_session(&ag, s1)->changed);
}

/* A small valid PNG header (IHDR 40 x 30) padded with an IEND. */
static const unsigned char png40x30[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 40, 0, 0, 0, 30, 8, 2, 0, 0, 0,
	0x12, 0x34, 0x56, 0x78,
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
};

static void
photos_are_checked_by_their_bytes(void **state)
{
	static const unsigned char jpeg[] = {
		0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
		0xff, 0xc0, 0, 17, 8, 0, 120, 0, 160, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
		0xff, 0xd9,
	};
	static const unsigned char webp_vp8x[] = {
		'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X',
		10, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 49, 0, 0,
	};
	struct fixture		*f = *state;
	struct agenda_photo	 ph;
	const char		*why = NULL;
	unsigned char		 bad[sizeof(png40x30)];

	(void)f;
	assert_int_equal(agenda_photo_check(png40x30, sizeof(png40x30), "image/png", &ph, &why), E_OK);
	assert_string_equal(ph.type, "image/png");
	assert_int_equal(ph.width, 40);
	assert_int_equal(ph.height, 30);
	assert_int_equal(agenda_photo_check(jpeg, sizeof(jpeg), "image/jpeg", &ph, &why), E_OK);
	assert_int_equal(ph.width, 160);
	assert_int_equal(ph.height, 120);
	assert_int_equal(agenda_photo_check(webp_vp8x, sizeof(webp_vp8x), NULL, &ph, &why), E_OK);
	assert_string_equal(ph.type, "image/webp");
	assert_int_equal(ph.width, 100);
	assert_int_equal(ph.height, 50);
	/* Lies about the type, text, a zero-sized image, a broken header. */
	assert_int_equal(agenda_photo_check(png40x30, sizeof(png40x30), "image/jpeg", &ph, &why), E_INVALID);
	assert_int_equal(agenda_photo_check((const unsigned char *)"hello, world, not an image",
	    26, "image/png", &ph, &why), E_INVALID);
	assert_string_equal(why, "The photo is not a PNG, JPEG or WebP image.");
	memcpy(bad, png40x30, sizeof(bad));
	bad[19] = 0;	/* width 0 */
	assert_int_equal(agenda_photo_check(bad, sizeof(bad), "image/png", &ph, &why), E_INVALID);
	memcpy(bad, png40x30, sizeof(bad));
	bad[12] = 'X';	/* not IHDR */
	assert_int_equal(agenda_photo_check(bad, sizeof(bad), "image/png", &ph, &why), E_INVALID);
	assert_int_equal(agenda_photo_check(jpeg, 12, "image/jpeg", &ph, &why), E_INVALID);
	assert_int_equal(agenda_photo_check(png40x30, 0, "image/png", &ph, &why), E_INVALID);
	assert_int_equal(agenda_photo_check(png40x30, AGENDA_PHOTO_MAX + 1, "image/png", &ph, &why), E_INVALID);

	/* Every truncation and many random corruptions are read safely (the
	 * sanitizer build catches a read past the end): a short image never
	 * passes, and whatever passes has sane dimensions. */
	{
		const unsigned char	*imgs[] = { png40x30, jpeg, webp_vp8x };
		const size_t		 lens[] = { sizeof(png40x30), sizeof(jpeg), sizeof(webp_vp8x) };
		unsigned char		*copy;
		size_t			 k, n, r;

		for (k = 0; k < ARRAY_SIZE(imgs); k++) {
			for (n = 1; n < lens[k]; n++) {
				copy = xmalloc(n);	/* exact size, so ASan sees overreads */
				memcpy(copy, imgs[k], n);
				if (agenda_photo_check(copy, n, NULL, &ph, &why) == E_OK)
					assert_true(ph.width > 0 && ph.height > 0 && n >= 24);
				free(copy);
			}
			for (r = 0; r < 2000; r++) {
				copy = xmalloc(lens[k]);
				memcpy(copy, imgs[k], lens[k]);
				copy[randombytes_uniform((uint32_t)lens[k])] = (unsigned char)randombytes_uniform(256);
				copy[randombytes_uniform((uint32_t)lens[k])] = (unsigned char)randombytes_uniform(256);
				if (agenda_photo_check(copy, lens[k], NULL, &ph, &why) == E_OK)
					assert_true(ph.width >= 1 && ph.width <= AGENDA_PHOTO_DIM_MAX &&
					    ph.height >= 1 && ph.height <= AGENDA_PHOTO_DIM_MAX);
				free(copy);
			}
		}
	}
}

static void
speakers_keep_photos_and_link_accounts(void **state)
{
	struct fixture		*f = *state;
	struct agenda_errors	 e;
	struct agenda		 ag;
	const unsigned char	*data;
	const char		*type, *why = NULL;
	char			*email = arena_printf(f->a, "sp.%d@example.org", (int)getpid());
	size_t			 len;
	int64_t			 id = 0, pid = 0;

	assert_int_equal(people_add(&f->app, f->db, "Spoken Person", email, NULL, ROLE_SPEAKER,
	    NULL, &pid, &why), E_OK);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "Ann Speaker", "Somewhere",
	    "Bio.", "nobody@example.org", NULL, 0, NULL, 0, &e, &id), E_INVALID);
	assert_non_null(agenda_error_for(&e, "email"));
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "Ann Speaker", "Somewhere",
	    "Bio.", "", (const unsigned char *)"GIF89a...", 9, "image/gif", 0, &e, &id), E_INVALID);
	assert_non_null(agenda_error_for(&e, "photo"));
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "", "", "", "", NULL, 0,
	    NULL, 0, &e, &id), E_INVALID);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "Ann Speaker", "Somewhere",
	    "Bio.", email, png40x30, sizeof(png40x30), "image/png", 0, &e, &id), E_OK);
	assert_int_equal(agenda_speaker_photo(&f->app, f->db, f->a, id, &data, &len, &type), E_OK);
	assert_int_equal(len, sizeof(png40x30));
	assert_memory_equal(data, png40x30, len);
	assert_string_equal(type, "image/png");
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_find_speaker(&ag, id)->person_id, pid);
	assert_true(agenda_find_speaker(&ag, id)->has_photo);
	assert_string_equal(agenda_speaker_email(&f->app, f->db, f->a, agenda_find_speaker(&ag, id)), email);

	/* Editing without a photo keeps it; remove_photo drops it. */
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, id, "Ann B Speaker", "", "",
	    "", NULL, 0, NULL, 0, &e, &id), E_OK);
	assert_int_equal(agenda_speaker_photo(&f->app, f->db, f->a, id, &data, &len, &type), E_OK);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, id, "Ann B Speaker", "", "",
	    "", NULL, 0, NULL, 1, &e, &id), E_OK);
	assert_int_equal(agenda_speaker_photo(&f->app, f->db, f->a, id, &data, &len, &type), E_NOTFOUND);
	assert_int_equal(agenda_speaker_delete(&f->app, f->db, id), E_OK);
	assert_int_equal(agenda_speaker_delete(&f->app, f->db, id), E_NOTFOUND);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, id, "Gone", "", "", "", NULL,
	    0, NULL, 0, &e, &id), E_NOTFOUND);
}

static void
signups_fill_seats_then_the_waiting_list_in_order(void **state)
{
	struct fixture		*f = *state;
	struct base		 b;
	struct agenda		 ag;
	enum agenda_signup	 got;
	int64_t			 s, open, p[4], promoted = -1, id;
	struct agenda_session_input	 in;
	struct agenda_errors	 e;
	struct agenda_warnings	 w;
	int			 i;

	base_new(f, &b);
	s = session_new(f, &b, b.room1, "09:00", "10:00", "2");
	open = session_new(f, &b, b.room2, "09:00", "10:00", "");
	for (i = 0; i < 4; i++)
		p[i] = person(f, "Signer");
	assert_int_equal(agenda_signup(&f->app, f->db, p[0], s, &got), E_OK);
	assert_int_equal(got, SIGNUP_SEAT);
	assert_int_equal(agenda_signup(&f->app, f->db, p[0], s, &got), E_CONFLICT);
	assert_int_equal(agenda_signup(&f->app, f->db, p[1], s, &got), E_OK);
	assert_int_equal(got, SIGNUP_SEAT);
	assert_int_equal(agenda_signup(&f->app, f->db, p[2], s, &got), E_OK);
	assert_int_equal(got, SIGNUP_WAITING);
	assert_int_equal(agenda_signup(&f->app, f->db, p[3], s, &got), E_OK);
	assert_int_equal(got, SIGNUP_WAITING);
	assert_int_equal(agenda_signup(&f->app, f->db, p[0], open, &got), E_CLOSED);
	assert_int_equal(agenda_signup(&f->app, f->db, p[0], 999999, &got), E_NOTFOUND);

	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_find_session(&ag, s)->seats_taken, 2);
	assert_int_equal(agenda_find_session(&ag, s)->waiting, 2);
	assert_int_equal(agenda_personal(&f->app, f->db, p[3], &ag, 0), E_OK);
	assert_int_equal(agenda_find_session(&ag, s)->signup, SIGNUP_WAITING);
	assert_int_equal(agenda_find_session(&ag, s)->wait_position, 2);

	/* A seat freed goes to the first in line. */
	assert_int_equal(agenda_withdraw(&f->app, f->db, p[1], s, &promoted), E_OK);
	assert_int_equal(promoted, p[2]);
	assert_int_equal(agenda_withdraw(&f->app, f->db, p[1], s, &promoted), E_NOTFOUND);
	/* Leaving the waiting list promotes nobody. */
	assert_int_equal(agenda_signup(&f->app, f->db, p[1], s, &got), E_OK);
	assert_int_equal(got, SIGNUP_WAITING);
	assert_int_equal(agenda_withdraw(&f->app, f->db, p[3], s, &promoted), E_OK);
	assert_int_equal(promoted, 0);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, p[1], &ag, 0), E_OK);
	assert_int_equal(agenda_find_session(&ag, s)->wait_position, 1);

	/* More places: the waiting list moves up. */
	input(f, &in, &b, b.room1, "09:00", "10:00", "5");
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, s, &in, &e, &w, &id), E_OK);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_find_session(&ag, s)->seats_taken, 3);
	assert_int_equal(agenda_find_session(&ag, s)->waiting, 0);
}

static void
stars_make_my_agenda(void **state)
{
	struct fixture	*f = *state;
	struct base	 b;
	struct agenda	 ag;
	int64_t		 s, me = person(f, "Starrer"), other = person(f, "Other");

	base_new(f, &b);
	s = session_new(f, &b, b.room1, "09:00", "10:00", "");
	assert_int_equal(agenda_star(&f->app, f->db, me, s, 1), E_OK);
	assert_int_equal(agenda_star(&f->app, f->db, me, s, 1), E_OK);
	assert_int_equal(agenda_star(&f->app, f->db, me, 999999, 1), E_NOTFOUND);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, me, &ag, 0), E_OK);
	assert_true(agenda_find_session(&ag, s)->starred);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, other, &ag, 0), E_OK);
	assert_false(agenda_find_session(&ag, s)->starred);
	assert_int_equal(agenda_star(&f->app, f->db, me, s, 0), E_OK);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_int_equal(agenda_personal(&f->app, f->db, me, &ag, 0), E_OK);
	assert_false(agenda_find_session(&ag, s)->starred);
}

static void
json_lists_days_sessions_and_speakers(void **state)
{
	struct fixture			*f = *state;
	struct agenda_session_input	 in;
	struct agenda_errors		 e;
	struct agenda_warnings		 w;
	struct agenda			 ag;
	struct base			 b;
	struct buf			 out;
	int64_t				 sp = 0, id = 0, ids[1];

	base_new(f, &b);
	assert_int_equal(agenda_speaker_save(&f->app, f->db, f->a, 0, "Json \"Quote\" <b>", "", "",
	    "", NULL, 0, NULL, 0, &e, &sp), E_OK);
	ids[0] = sp;
	input(f, &in, &b, b.room1, "13:05", "14:00", "12");
	in.title = "Tags <script>";
	in.speaker_ids = ids;
	in.nspeakers = 1;
	in.confirmed = 1;
	assert_int_equal(agenda_session_save(&f->app, f->db, f->a, 0, &in, &e, &w, &id), E_OK);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	buf_init(&out, 0);
	agenda_json(&out, &ag);
	assert_non_null(strstr(out.data, "\"title\":\"Tags \\u003cscript\\u003e\""));
	assert_non_null(strstr(out.data, arena_printf(f->a, "\"start\":\"%sT13:05\"", b.date)));
	assert_null(strstr(out.data, "<"));
	buf_reset(&out);
	assert_int_equal(agenda_session_json(&out, &ag, id), E_OK);
	assert_non_null(strstr(out.data, "\"capacity\":12,\"seats_taken\":0,\"seats_left\":12"));
	assert_non_null(strstr(out.data, "Json \\\"Quote\\\""));
	assert_int_equal(agenda_session_json(&out, &ag, 999999), E_NOTFOUND);
	buf_reset(&out);
	agenda_speakers_json(&out, &ag);
	assert_non_null(strstr(out.data, arena_printf(f->a, "\"sessions\":[%" PRId64 "]", id)));
	buf_release(&out);
}

static void
times_dates_and_now_next(void **state)
{
	struct fixture		*f = *state;
	struct agenda		 ag;
	struct agenda_session	**now, **next;
	struct base		 b;
	int64_t			 s1, s2;

	assert_int_equal(agenda_parse_hhmm("09:30"), 570);
	assert_int_equal(agenda_parse_hhmm("9.05"), 545);
	assert_int_equal(agenda_parse_hhmm("24:00"), -1);
	assert_int_equal(agenda_parse_hhmm("12:60"), -1);
	assert_int_equal(agenda_parse_hhmm("noon"), -1);
	assert_int_equal(agenda_parse_hhmm("12:3"), -1);
	assert_string_equal(agenda_hhmm(f->a, 545), "09:05");
	assert_string_equal(agenda_day_label(f->a, "2027-03-11"), "Thursday 11 March 2027");
	assert_string_equal(agenda_day_label(f->a, "2027-03-12"), "Friday 12 March 2027");

	base_new(f, &b);	/* a date in April 2027: BST */
	s1 = session_new(f, &b, b.room1, "09:00", "10:00", "");
	s2 = session_new(f, &b, b.room1, "10:30", "11:00", "");
	/* 09:30 local on that day = 08:30 UTC. */
	{
		int		 y, m, d;
		struct tm	 tm;

		sscanf(b.date, "%d-%d-%d", &y, &m, &d);
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		tm.tm_hour = 8;
		tm.tm_min = 30;
		assert_int_equal(agenda_now_next(&f->app, f->db, f->a, (int64_t)timegm(&tm), &ag,
		    &now, &next), E_OK);
	}
	assert_non_null(now[0]);
	assert_int_equal(now[0]->id, s1);
	assert_null(now[1]);
	assert_non_null(next[0]);
	assert_int_equal(next[0]->id, s2);
}

static void
demo_fills_two_days(void **state)
{
	struct fixture	*f = *state;
	struct agenda	 ag;
	size_t		 i, dragons = 0, capped = 0;
	int64_t		 id = 0;
	const char	*why = "";

	assert_int_equal(db_begin(f->db), 0);
	/* The demo links its speakers to these accounts when they exist. */
	if (people_find_email(&f->app, f->db, f->a, "helen.speaker@example.org",
	    &(struct person){ 0 }) != E_OK)
		assert_int_equal(people_add(&f->app, f->db, "Dr Helen Marsh",
		    "helen.speaker@example.org", NULL, ROLE_SPEAKER, NULL, &id, &why), E_OK);
	assert_int_equal(agenda_demo(&f->app, f->db, f->a), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(agenda_load(&f->app, f->db, f->a, &ag), E_OK);
	assert_non_null(agenda_find_day(&ag, ag.days[0].id));
	for (i = 0; i < ag.nsessions; i++) {
		dragons += strcmp(ag.sessions[i].kind, "dragons-den") == 0;
		capped += ag.sessions[i].capacity > 0;
	}
	assert_true(dragons >= 1);
	assert_true(capped >= 3);
	for (i = 0; i < ag.nspeakers; i++) {
		if (strcmp(ag.speakers[i].name, "Dr Helen Marsh") == 0)
			assert_true(ag.speakers[i].person_id > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(days_rooms_tracks_are_checked_and_unique),
		cmocka_unit_test(session_that_ends_before_it_starts_is_refused),
		cmocka_unit_test(room_and_speaker_clashes_warn_until_confirmed),
		cmocka_unit_test(changes_bump_the_version_and_mark_sessions_changed),
		cmocka_unit_test(photos_are_checked_by_their_bytes),
		cmocka_unit_test(speakers_keep_photos_and_link_accounts),
		cmocka_unit_test(signups_fill_seats_then_the_waiting_list_in_order),
		cmocka_unit_test(stars_make_my_agenda),
		cmocka_unit_test(json_lists_days_sessions_and_speakers),
		cmocka_unit_test(times_dates_and_now_next),
		cmocka_unit_test(demo_fills_two_days),
	};

	return store_tests_run("agenda", tests, ARRAY_SIZE(tests), NULL, 0, NULL);
}
