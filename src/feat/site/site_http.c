/* site_http.c - the public home page: the event's name, dates, venue and
 * introduction, and the five principles of collaborative leadership the
 * convention is built around.  Thin: loads the event, fills values,
 * renders. */
#include "../event/event.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../http/http.h"
#include "../../views/tv.h"

/* The five aspects of collaborative leadership, in the convention's order.
 * Every vision section, rubric criterion and journal tag refers to one. */
static const struct {
	const char *key, *title, *summary;
} principles[] = {
	{ "personal", "It's personal",
	  "Knowing what drives you gives you the energy and resilience to lead change." },
	{ "enabling", "Enabling and facilitative",
	  "Create the conditions for others: connect people, share skills, build knowledge together." },
	{ "trust", "Relationships and trust",
	  "Change travels through relationships, and collaboration starts from trust rather than contracts." },
	{ "purpose", "Shared purpose",
	  "Find and name the purpose everyone is working towards, and see your part in it." },
	{ "results", "Shared results",
	  "Be accountable for meaningful change, learning and adapting alongside partners." },
};

/* Split plain text into paragraphs on blank lines. */
static void
add_paragraphs(struct tv *list, struct arena *a, const char *text)
{
	const char *p = text, *end;

	while (*p) {
		while (*p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		end = strstr(p, "\n\n");
		if (!end)
			end = p + strlen(p);
		tv_list_add_str(list, arena_strndup(a, p, (size_t)(end - p)));
		p = end;
	}
}

static enum http_status
home(struct req *req, struct resp *resp)
{
	struct event	 e;
	struct tv	*v = tv_new(req->arena), *list, *m;
	size_t		 i;
	enum app_err	 rc;

	rc = event_get(req->db, req->arena, req->app->event_id, &e);
	if (rc != E_OK)
		return http_status_for(rc);
	tv_set_str(v, "name", e.name);
	tv_set_str(v, "tagline", *e.tagline ? e.tagline : NULL);
	tv_set_str(v, "dates", event_dates_text(req->arena, &e));
	tv_set_str(v, "venue", *e.venue ? e.venue : NULL);
	tv_set_str(v, "venue_address", *e.venue_address ? e.venue_address : NULL);
	add_paragraphs(tv_set_list(v, "intro"), req->arena, e.intro);
	tv_set_bool(v, "has_intro", *e.intro != '\0');
	list = tv_set_list(v, "principles");
	for (i = 0; i < ARRAY_SIZE(principles); i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "key", principles[i].key);
		tv_set_str(m, "title", principles[i].title);
		tv_set_str(m, "summary", principles[i].summary);
	}
	if (req->person)
		tv_set_str(v, "first_name", req->person->name);
	return view_render(req, resp, "site/home", e.name, v);
}

const struct route site_routes[] = {
	{ "GET", "/", home, 0 },
	{ NULL, NULL, NULL, 0 }
};
