/* survey_demo.c - the demo convention's pre-convention questions and
 * answers from about three quarters of the demo participants, written for
 * colead so the dashboard, themes and word cloud have something real to
 * show.  Runs inside the demo's transaction; writes only through the
 * survey store and the people feature's public header. */
#include "survey.h"
#include "survey_store.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/log.h"

/* Pieces of an answer to the first question; combined by position so
 * that neighbours in a partnership rarely say the same thing. */
static const char *const example_openers[] = {
	"Last year",
	"During the pandemic",
	"In our county",
	"A couple of years ago",
	"When our funding changed",
	"On a recent project",
	"In my first year in the role",
	"Earlier this year",
};

static const char *const examples[] = {
	"our partnership, the county council and three housing associations pooled their budgets to run free activity sessions on estates where few people were active",
	"a head teacher, a public health lead and a local football club agreed one shared goal for children's activity and stopped competing for the same small grants",
	"we handed the design of a walking programme over to the community group that had asked for it, and our job became removing obstacles rather than running things",
	"the NHS trust, two charities and our team met every fortnight with no formal agreement, just trust, and got a social prescribing pathway working in three months",
	"a district council officer chaired our steering group instead of us, which changed who felt ownership and brought in partners we had struggled to reach",
	"we sat down with the police, youth services and a boxing gym to agree what success looked like for young people, before anyone talked about money",
	"our board let a small working group of partners decide how to spend a fund, and the decisions were better because the people closest to the problem made them",
	"the leisure trust shared its data with us and the university, and together we found where inactivity was highest instead of each guessing on our own",
	"we joined up with the mental health network to train volunteers, sharing skills across organisations that had never worked together before",
	"a faith group, a parks team and our coaches co-designed sessions for older women, and the women themselves shaped the timetable and the venue",
	"we stepped back from leading a physical activity strategy and let the local authority lead, while we connected people and brought evidence",
	"five partners wrote a shared purpose statement on one page, and it settled arguments for the next two years because we kept coming back to it",
	"our lead officer spent months building relationships with the disability forum before asking for anything, and that trust made a joint bid possible",
	"the clinical commissioning group and our team swapped staff for a week so each side understood the other's pressures",
	"we used appreciative inquiry with schools, starting from what already worked, and teachers brought ideas we would never have thought of",
	"partners agreed to share credit for results rather than count them separately, and the reporting became honest about what we had achieved together",
};

static const char *const reflections[] = {
	"It showed me that collaboration is about giving up some control.",
	"What made it work was honest conversation about what each of us needed.",
	"The shared purpose kept us together when things got difficult.",
	"I learned that relationships come before agreements.",
	"It took longer than planned, but the results lasted.",
	"Nobody could have done it alone, and everyone knew it.",
	"The biggest change was listening to communities first.",
	"Trust grew because we delivered small wins early on.",
	"",
	"It changed how I think about leadership in my own team.",
};

static const char *const wishes[] = {
	"How to build trust quickly with partners who have been let down before.",
	"Practical ways to share leadership without losing accountability.",
	"How other partnerships measure shared results with their partners.",
	"How to have difficult conversations with partners about money and credit.",
	"Ways to involve communities in decisions, not just consult them.",
	"How to keep a shared purpose alive when people move on.",
	"What good facilitation looks like when I am not the one in charge.",
	"How to influence the health system when we have no formal power.",
	"Tools for reflective practice that I can use with my team every week.",
	"How to use data with partners to tell a story about impact.",
	"How to let go of control and still feel confident about results.",
	"What the Quest collaborative leadership module expects from us.",
	"How board members can support collaborative leadership, not block it.",
	"How to get started with appreciative inquiry in my county.",
	"Ideas for connecting schools, clubs and health partners around children's activity.",
	"How other partnerships handled conflict between partners.",
	"How to build a partnership vision that partners actually own.",
	"How to make the case for collaboration to funders who want quick results.",
	"Ways to look after my own resilience while leading change.",
	"How peer learning between partnerships can continue after the convention.",
};

struct demo_people {
	int64_t	*ids;
	size_t	 n, cap;
	struct arena *a;
};

static void
collect(void *arg, const struct person *p)
{
	struct demo_people	*d = arg;
	int64_t			*bigger;

	if (!p->partnership_id)
		return;		/* staff: no partnership, no answers */
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 512;
		bigger = arena_alloc(d->a, d->cap * sizeof(*bigger));
		if (!bigger)
			return;
		if (d->n)
			memcpy(bigger, d->ids, d->n * sizeof(*bigger));
		d->ids = bigger;
	}
	d->ids[d->n++] = p->id;
}

int
survey_demo(struct app *app, struct db *db, struct arena *a)
{
	struct question_set	 s;
	struct demo_people	 d;
	int64_t			 now = now_unix();
	size_t			 i;
	char			*text;
	const char		*r;

	if (survey_ensure(app, db) != E_OK ||
	    survey_store_set_get(db, a, app->event_id, "pre", &s) != E_OK ||
	    survey_store_questions(db, a, s.id, 0, &s.q, &s.nq) != E_OK || s.nq < 2)
		return error("cannot make the demo's pre-convention questions");
	memset(&d, 0, sizeof(d));
	d.a = a;
	if (people_each(app, db, a, collect, &d) != E_OK)
		return error("cannot list the demo participants");
	for (i = 0; i < d.n; i++) {
		if (i % 4 == 3)
			continue;	/* about a quarter have not answered yet */
		r = reflections[(i / 3) % ARRAY_SIZE(reflections)];
		text = arena_printf(a, "%s %s.%s%s",
		    example_openers[(i / 2) % ARRAY_SIZE(example_openers)],
		    examples[(i * 7) % ARRAY_SIZE(examples)], *r ? " " : "", r);
		if (!text || survey_store_answer_put(db, s.q[0].id, d.ids[i], text,
		    now - (int64_t)(i * 3571 % 1209600)) != E_OK)
			return error("cannot add a demo answer");
		if (i % 9 == 5)
			continue;	/* a few answered only the first question */
		if (survey_store_answer_put(db, s.q[1].id, d.ids[i],
		    wishes[(i * 3 + i / 20) % ARRAY_SIZE(wishes)],
		    now - (int64_t)(i * 2713 % 1209600)) != E_OK)
			return error("cannot add a demo answer");
	}
	return 0;
}
