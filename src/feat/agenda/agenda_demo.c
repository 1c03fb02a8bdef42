/* agenda_demo.c - the demo convention's programme: two days in March 2027,
 * rooms, tracks, fictional speakers and the sessions the convention is
 * built around.  It runs inside the demo's transaction (demo.c), so it
 * writes through agenda_store.c directly and never begins or commits.
 * The descriptions are the demo's own words; no real person is named. */
#include "agenda_store.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/log.h"

static const char *const demo_rooms[] = {
	"Main Hall", "Trent Room", "Soar Room", "Charnwood Room",
};

static const char *const demo_tracks[] = {
	"Leadership journeys", "Learning together", "Partnership vision", "Practice skills",
};

static const struct {
	const char *name, *affiliation, *email, *bio;
} demo_speakers[] = {
	{ "Dr Helen Marsh", "Researcher in systems leadership", "helen.speaker@example.org",
	  "Helen has spent fifteen years studying how public services, charities and "
	  "community groups learn to work as one system. She is most interested in the "
	  "small, everyday choices that build trust between organisations." },
	{ "Marcus Osei", "Chief executive of a county Active Partnership", "marcus.speaker@example.org",
	  "Marcus moved from running sports programmes to convening a whole county's "
	  "partners around getting inactive people moving. He talks candidly about what "
	  "he had to unlearn on the way." },
	{ "Joanna Whitfield", "Coach and facilitator", "joanna.speaker@example.org",
	  "Joanna helps leadership teams make time to think. She trained as a youth worker "
	  "and now teaches reflective practice to people who say they are too busy for it." },
	{ "Samir Haddad", "Organisational development consultant", "",
	  "Samir uses appreciative inquiry to help partnerships start from what already "
	  "works. He has facilitated community conversations in towns across the Midlands." },
};

enum { D1 = 0, D2 = 1 };
enum { NOROOM = -1, HALL = 0, TRENT, SOAR, CHARN };
enum { NOTRACK = -1, JOURNEYS = 0, LEARNING, VISION, SKILLS };

static const struct {
	int		 day, room, track;
	const char	*start, *end, *kind, *title;
	int		 capacity;
	int		 speakers[2];	/* 1-based index into demo_speakers, 0 = none */
	const char	*description;
} demo_sessions[] = {
	{ D1, NOROOM, NOTRACK, "09:00", "09:30", "break", "Arrival, registration and coffee", 0, { 0, 0 },
	  "Collect your badge, find your partnership's table and meet the people around you." },
	{ D1, HALL, JOURNEYS, "09:30", "10:15", "plenary", "Opening: your questions for the two days", 0, { 0, 0 },
	  "We begin with the two questions we asked you to think about before arriving: an "
	  "example of collaborative leadership in action that you have seen or been part of, "
	  "and the one thing you most want to learn here. Your answers shape the rest of the "
	  "programme." },
	{ D1, HALL, JOURNEYS, "10:15", "11:00", "keynote", "Leading beyond the edges of your organisation", 0, { 1, 0 },
	  "Why no single organisation can shift levels of physical activity alone, and what "
	  "changes when leaders start measuring themselves by what the whole system achieves. "
	  "Stories from places where partners stopped competing and started learning together." },
	{ D1, NOROOM, NOTRACK, "11:00", "11:20", "break", "Morning break", 0, { 0, 0 },
	  "Tea, coffee and fruit in the atrium." },
	{ D1, TRENT, LEARNING, "11:20", "12:30", "peer-learning", "Peer learning: working with health partners", 30, { 0, 0 },
	  "Small groups pair people who want to learn something with people who have already "
	  "done it. This circle looks at building relationships with the NHS and public health." },
	{ D1, SOAR, LEARNING, "11:20", "12:30", "peer-learning", "Peer learning: communities leading change", 30, { 0, 0 },
	  "A peer circle on handing power to communities: what it took, what went wrong, and "
	  "what you would do differently next time." },
	{ D1, CHARN, LEARNING, "11:20", "12:30", "peer-learning", "Peer learning: leading from the middle", 30, { 0, 0 },
	  "For people without a senior title who lead anyway: influencing without authority, "
	  "and getting permission to try new things." },
	{ D1, NOROOM, NOTRACK, "12:30", "13:30", "break", "Lunch", 0, { 0, 0 },
	  "Lunch in the atrium. Tables are marked by region if you want to meet neighbours." },
	{ D1, HALL, JOURNEYS, "13:30", "14:15", "keynote", "From programmes to partnership: a personal journey", 0, { 2, 0 },
	  "A frank account of moving from delivering projects to convening a county: the "
	  "habits that had to go, the relationships that made the difference, and the "
	  "moments when it nearly did not work." },
	{ D1, TRENT, SKILLS, "14:15", "15:45", "workshop", "Reflective practice for busy leaders", 40, { 3, 0 },
	  "Practical ways to build reflection into a working week: structured conversations, "
	  "learning logs and action learning sets. Come ready to try them on a real challenge." },
	{ D1, SOAR, SKILLS, "14:15", "15:45", "workshop", "Appreciative inquiry in practice", 40, { 4, 0 },
	  "Start from what is already working. A hands-on introduction to the discover, dream, "
	  "design and deliver cycle, with examples from community conversations." },
	{ D1, NOROOM, NOTRACK, "15:45", "16:00", "break", "Afternoon break", 0, { 0, 0 },
	  "A short break before the partnership sessions." },
	{ D1, HALL, VISION, "16:00", "17:00", "workshop", "Your partnership's 12-month vision, part one", 0, { 0, 0 },
	  "Each partnership sits together to gather what it has heard and learned today, and "
	  "begins to sketch its collaborative-leadership vision for the year ahead." },
	{ D1, HALL, NOTRACK, "17:00", "17:20", "plenary", "Day one reflections", 0, { 0, 0 },
	  "A short look back at the day, and a question to sleep on." },

	{ D2, HALL, NOTRACK, "09:00", "09:30", "plenary", "Morning check-in", 0, { 0, 0 },
	  "What stayed with you overnight? A quick round of conversation to start the day." },
	{ D2, HALL, VISION, "09:30", "10:45", "workshop", "Your partnership's 12-month vision, part two", 0, { 0, 0 },
	  "Partnerships finish their vision: what you will do differently, with whom, and how "
	  "you will know it is working. Facilitators move between tables to help." },
	{ D2, NOROOM, NOTRACK, "10:45", "11:00", "break", "Morning break", 0, { 0, 0 },
	  "Tea and coffee; last chance to polish your pitch." },
	{ D2, TRENT, VISION, "11:00", "12:30", "dragons-den", "Dragon's Den: north and midlands partnerships", 0, { 0, 0 },
	  "Each partnership presents its vision to a panel drawn from other partnerships, who "
	  "ask the hard questions: is it collaborative, is it realistic, who is missing?" },
	{ D2, SOAR, VISION, "11:00", "12:30", "dragons-den", "Dragon's Den: south and east partnerships", 0, { 0, 0 },
	  "The same challenge for the second group: a friendly but searching panel, and "
	  "practical advice to take home." },
	{ D2, NOROOM, NOTRACK, "12:30", "13:30", "break", "Lunch", 0, { 0, 0 },
	  "Lunch in the atrium." },
	{ D2, TRENT, SKILLS, "13:30", "14:30", "workshop", "Reflective practice: making it stick", 40, { 3, 0 },
	  "A follow-on session for anyone who wants to turn reflection into a team habit "
	  "after the convention." },
	{ D2, SOAR, SKILLS, "13:30", "14:30", "workshop", "Appreciative inquiry with your partners", 40, { 4, 0 },
	  "Plan an appreciative conversation with your own partners back home, and practise "
	  "the questions that open it up." },
	{ D2, HALL, JOURNEYS, "14:30", "15:15", "keynote", "Reflections from Sport England's chief executive", 0, { 0, 0 },
	  "Sport England's chief executive shares personal reflections on collaborative "
	  "leadership and what it means for the national picture, followed by questions "
	  "from the floor." },
	{ D2, HALL, NOTRACK, "15:15", "16:00", "plenary", "Closing: commitments for the year ahead", 0, { 1, 2 },
	  "Each partnership names one commitment for the next twelve months. We close with "
	  "how the year of practice, peer support and follow-up will work." },
};

/* Add the demo days, rooms, tracks, speakers and sessions. */
int
agenda_demo(struct app *app, struct db *db, struct arena *a)
{
	static const char *const dates[] = { "2027-03-11", "2027-03-12" };
	static const char *const titles[] = { "Day one: understanding", "Day two: putting it into practice" };
	int64_t				 day_ids[2], room_ids[ARRAY_SIZE(demo_rooms)];
	int64_t				 track_ids[ARRAY_SIZE(demo_tracks)];
	int64_t				 speaker_ids[ARRAY_SIZE(demo_speakers)], ids[2], id, v;
	struct agenda_session_row	 r;
	struct person			 p;
	size_t				 i, n;

	for (i = 0; i < ARRAY_SIZE(dates); i++) {
		if (agenda_store_day_add(db, app->event_id, dates[i], titles[i], &day_ids[i]) != E_OK)
			return error("cannot add the demo day '%s'", dates[i]);
	}
	for (i = 0; i < ARRAY_SIZE(demo_rooms); i++) {
		if (agenda_store_room_add(db, app->event_id, demo_rooms[i], (int64_t)i, &room_ids[i]) != E_OK)
			return error("cannot add the demo room '%s'", demo_rooms[i]);
	}
	for (i = 0; i < ARRAY_SIZE(demo_tracks); i++) {
		if (agenda_store_track_add(db, app->event_id, demo_tracks[i], &track_ids[i]) != E_OK)
			return error("cannot add the demo track '%s'", demo_tracks[i]);
	}
	for (i = 0; i < ARRAY_SIZE(demo_speakers); i++) {
		id = 0;
		if (*demo_speakers[i].email &&
		    people_find_email(app, db, a, demo_speakers[i].email, &p) == E_OK)
			id = p.id;
		if (agenda_store_speaker_add(db, app->event_id, id, demo_speakers[i].name,
		    demo_speakers[i].affiliation, demo_speakers[i].bio, &speaker_ids[i]) != E_OK)
			return error("cannot add the demo speaker '%s'", demo_speakers[i].name);
	}
	if (agenda_store_version_bump(db, app->event_id, &v) != E_OK)
		return error("cannot start the demo schedule version");
	for (i = 0; i < ARRAY_SIZE(demo_sessions); i++) {
		memset(&r, 0, sizeof(r));
		r.day_id = day_ids[demo_sessions[i].day];
		r.room_id = demo_sessions[i].room < 0 ? 0 : room_ids[demo_sessions[i].room];
		r.track_id = demo_sessions[i].track < 0 ? 0 : track_ids[demo_sessions[i].track];
		r.kind = demo_sessions[i].kind;
		r.title = demo_sessions[i].title;
		r.description = demo_sessions[i].description;
		r.start_min = agenda_parse_hhmm(demo_sessions[i].start);
		r.end_min = agenda_parse_hhmm(demo_sessions[i].end);
		r.capacity = demo_sessions[i].capacity;
		if (agenda_store_session_add(db, app->event_id, &r, v, &id) != E_OK)
			return error("cannot add the demo session '%s'", r.title);
		for (n = 0; n < 2 && demo_sessions[i].speakers[n]; n++)
			ids[n] = speaker_ids[demo_sessions[i].speakers[n] - 1];
		if (agenda_store_session_speakers_set(db, id, ids, n) != E_OK)
			return error("cannot add the speakers of '%s'", r.title);
	}
	return 0;
}
