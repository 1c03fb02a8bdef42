/* demo.c - builds the demo convention from the embedded partnership list
 * (data/partnerships.csv) and fictional people.  It writes only through
 * other features' public headers, never their stores; everything happens
 * in one transaction so a failure leaves an empty database. */
#include "demo.h"
#include "../blog/blog.h"
#include "../event/event.h"
#include "../people/people.h"
#include "../survey/survey.h"
#include "../agenda/agenda.h"
#include "../live/live.h"
#include "../../core/arena.h"
#include "../../core/embed.h"
#include "../../core/log.h"
#include "../../db/db.h"

#define DEMO_PARTICIPANTS 280

static const char demo_intro[] =
	"Collaborative leadership means working across the edges of our own "
	"organisations to achieve things none of us could achieve alone. "
	"For two days in March, staff and board members from all 43 Active "
	"Partnerships come together to explore what that looks like in practice.\n\n"
	"Expect fewer slides and more conversation: keynotes on real leadership "
	"journeys, peer-learning groups that pair people who want to learn "
	"something with people who have done it, workshops on reflective "
	"practice and appreciative inquiry, and time as a partnership to shape "
	"your collaborative-leadership vision for the next twelve months \u2013 "
	"before other partnerships test it in our Dragon's Den.\n\n"
	"Before you arrive, think about two things: an example of collaborative "
	"leadership in action that you have seen or been part of, and one thing "
	"you would most like to learn while you are here.";

static const char *const first_names[] = {
	"Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farid", "Grace", "Harry",
	"Imogen", "Jack", "Kavita", "Liam", "Maya", "Nathan", "Olivia", "Priya",
	"Quentin", "Rosa", "Samuel", "Tara", "Usman", "Victoria", "Will", "Yasmin",
	"Zoe", "Adam", "Bethany", "Callum", "Deborah", "Ethan", "Fiona", "George",
	"Hannah", "Isaac", "Jasmine", "Kieran", "Leah", "Mohammed", "Niamh", "Owen",
};

static const char *const last_names[] = {
	"Ahmed", "Bennett", "Clarke", "Davies", "Evans", "Fletcher", "Green",
	"Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Morris", "Nowak", "Okafor",
	"Patel", "Quinn", "Roberts", "Singh", "Taylor", "Underwood", "Vaughan",
	"Walsh", "Young", "Zielinski", "Armstrong", "Brooks", "Carter", "Dixon",
	"Ellis", "Foster", "Gill", "Hart", "Jackson", "Kaur", "Lambert", "Mistry",
};

static const struct {
	const char *name, *email;
	unsigned role;
} staff[] = {
	{ "Morgan Ellis",	DEMO_ORGANISER_EMAIL,		ROLE_ORGANISER },
	{ "Priya Natarajan",	"programme@example.org",	ROLE_ORGANISER },
	{ "Femi Adeyemi",	"femi.facilitator@example.org",	ROLE_FACILITATOR },
	{ "Rachel Holt",	"rachel.facilitator@example.org", ROLE_FACILITATOR },
	{ "Tom Kerridge-Lowe",	"tom.facilitator@example.org",	ROLE_FACILITATOR },
	{ "Sian Pritchard",	"sian.facilitator@example.org",	ROLE_FACILITATOR },
	{ "Dr Helen Marsh",	"helen.speaker@example.org",	ROLE_SPEAKER },
	{ "Marcus Osei",	"marcus.speaker@example.org",	ROLE_SPEAKER },
	{ "Joanna Whitfield",	"joanna.speaker@example.org",	ROLE_SPEAKER },
};

struct partnership {
	char	*name;
	char	*slug;	/* for email domains */
};

/* Turn "Active Kent and Medway" into "active-kent-and-medway". */
static char *
slugify(struct arena *a, const char *name)
{
	char	*s = arena_alloc(a, strlen(name) + 1), *d = s;
	int	 dash = 0;

	for (; *name; name++) {
		if (isalnum((unsigned char)*name)) {
			if (dash && d != s)
				*d++ = '-';
			*d++ = (char)tolower((unsigned char)*name);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	*d = '\0';
	return s;
}

/* Split one CSV line of plain (unquoted) fields on commas, in place. */
static int
split(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, ',');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

/* Add the partnerships from data/partnerships.csv; returns how many. */
static int
add_partnerships(struct app *app, struct db *db, struct arena *a, struct partnership *out, int max)
{
	const struct embed_file	*f = embed_find(embed_data, "partnerships.csv");
	char			*text, *line, *next, *fld[3];
	int			 n = 0, first = 1;
	int64_t			 id;

	if (!f)
		return error("the demo partnership list is missing from the build");
	text = arena_strndup(a, (const char *)f->data, f->len);
	for (line = text; line && *line && n < max; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (first) {
			first = 0;
			continue;
		}
		if (split(line, fld, 3) != 3)
			return error("bad line in the demo partnership list: '%s'", line);
		if (people_partnership_add(app, db, fld[0], fld[1], fld[2], &id) != E_OK)
			return error("cannot add partnership '%s'", fld[0]);
		out[n].name = fld[0];
		out[n].slug = slugify(a, fld[0]);
		n++;
	}
	return n;
}

/* The whole demo, inside the caller's transaction. */
static int
fill(struct app *app, struct db *db, struct arena *a)
{
	struct partnership	 parts[64];
	struct event		 e = {
		.slug = "convention-2027",
		.name = "Active Partnerships Convention 2027",
		.tagline = "Collaborative leadership: two days together, a year of practice",
		.intro = demo_intro,
		.venue = "Riverside Conference Centre",
		.venue_address = "Canal Street, Loughborough",
		.starts_on = "2027-03-11",
		.ends_on = "2027-03-12",
		.timezone = "Europe/London",
	};
	const char		*why = "";
	int64_t			 id;
	int			 n, i;

	if (event_create(db, &e, &app->event_id, &why) != E_OK)
		return error("cannot create the demo event: %s", why);
	free(app->event_name);
	app->event_name = xstrdup(e.name);
	n = add_partnerships(app, db, a, parts, (int)ARRAY_SIZE(parts));
	if (n <= 0)
		return -1;
	for (i = 0; i < (int)ARRAY_SIZE(staff); i++) {
		const char *pw = strcmp(staff[i].email, DEMO_ORGANISER_EMAIL) == 0
		    ? DEMO_ORGANISER_PASSWORD : NULL;

		if (people_add(app, db, staff[i].name, staff[i].email, NULL,
		    staff[i].role, pw, &id, &why) != E_OK)
			return error("cannot add '%s': %s", staff[i].email, why);
	}
	for (i = 0; i < DEMO_PARTICIPANTS; i++) {
		const struct partnership *p = &parts[i % n];
		const char *first = first_names[i % ARRAY_SIZE(first_names)];
		const char *last = last_names[(i * 7 + i / ARRAY_SIZE(first_names)) % ARRAY_SIZE(last_names)];
		char *name = arena_printf(a, "%s %s", first, last);
		char *email = arena_printf(a, "%s.%s.%d@%s.example.org", first, last, i, p->slug);

		if (people_add(app, db, name, email, p->name, ROLE_PARTICIPANT, NULL,
		    &id, &why) != E_OK)
			return error("cannot add '%s': %s", email, why);
		if (i < n && people_role_set(app, db, id, ROLE_LEAD, 1) != E_OK)
			return error("cannot make '%s' a lead", email);
	}
	if (blog_demo(app, db, a) < 0)
		return -1;
	if (agenda_demo(app, db, a) < 0)
		return -1;
	if (survey_demo(app, db, a) < 0)
		return -1;
	if (live_demo(app, db, a) < 0)
		return -1;
	return 0;
}

int
demo_create(struct app *app, struct db *db)
{
	struct arena	*a = arena_new(0);
	int		 rc;

	if (db_begin(db) < 0) {
		arena_free(a);
		return -1;
	}
	rc = fill(app, db, a);
	if (rc == 0 && db_commit(db) < 0)
		rc = -1;
	if (rc < 0)
		db_rollback(db);
	arena_free(a);
	return rc;
}
