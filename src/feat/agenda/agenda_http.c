/* agenda_http.c - the agenda feature's pages and JSON: the public agenda
 * (a time grid by day), session, speaker and speaker-photo pages, "my
 * agenda", stars and sign-ups, the organisers' editor for days, rooms,
 * tracks, speakers and sessions, and /api/agenda, /api/sessions/:id,
 * /api/speakers.  Thin: reads the request, calls agenda.c, fills template
 * values, renders or redirects.  No SQL and no HTML strings here. */
#include "agenda.h"
#include "../live/live.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/str.h"
#include "../../http/http.h"
#include "../../views/tv.h"

/* Rooms the time grid lays out as columns (colead.css has classes for
 * this many); with more, the agenda is a list on every screen. */
#define GRID_ROOMS_MAX 6

/* Split plain text into paragraphs on blank lines, into list. */
static void
add_paragraphs(struct tv *list, struct arena *a, const char *text)
{
	const char *p = text ? text : "", *end;

	while (*p) {
		while (*p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		end = strstr(p, "\n\n");
		if (!end)
			end = strstr(p, "\r\n\r\n");
		if (!end)
			end = p + strlen(p);
		tv_list_add_str(list, arena_strndup(a, p, (size_t)(end - p)));
		p = end;
	}
}

/* The grid column of a room (1-based), 0 for none. */
static int
room_col(const struct agenda *ag, int64_t room_id)
{
	size_t i;

	for (i = 0; room_id && i < ag->nrooms; i++) {
		if (ag->rooms[i].id == room_id)
			return (int)i + 1;
	}
	return 0;
}

/* The values of one session for the agenda, session and my-agenda pages. */
static void
session_values(struct req *req, struct tv *m, const struct agenda *ag,
	       const struct agenda_session *s)
{
	const struct agenda_speaker	*sp;
	struct tv			*list, *x;
	size_t				 i;
	int				 col = room_col(ag, s->room_id);

	tv_set_int(m, "id", s->id);
	tv_set_str(m, "title", s->title);
	tv_set_str(m, "kind", s->kind);
	tv_set_str(m, "kind_label", agenda_kind_label(s->kind));
	tv_set_str(m, "start", agenda_hhmm(req->arena, s->start_min));
	tv_set_str(m, "end", agenda_hhmm(req->arena, s->end_min));
	tv_set_str(m, "date", s->date);
	tv_set_str(m, "day_label", agenda_day_label(req->arena, s->date));
	tv_set_str(m, "room", *s->room ? s->room : NULL);
	tv_set_str(m, "track", *s->track ? s->track : NULL);
	tv_set_int(m, "col", col);
	tv_set_bool(m, "span", col == 0 || col > GRID_ROOMS_MAX);
	add_paragraphs(tv_set_list(m, "description"), req->arena, s->description);
	list = tv_set_list(m, "speakers");
	for (i = 0; i < s->nspeakers; i++) {
		sp = agenda_find_speaker(ag, s->speaker_ids[i]);
		if (!sp)
			continue;
		x = tv_list_add_map(list);
		tv_set_int(x, "id", sp->id);
		tv_set_str(x, "name", sp->name);
		tv_set_bool(x, "last", i + 1 == s->nspeakers);
	}
	tv_set_bool(m, "has_speakers", s->nspeakers > 0);
	if (s->capacity > 0) {
		x = tv_set_map(m, "places");
		tv_set_int(x, "capacity", s->capacity);
		tv_set_int(x, "taken", s->seats_taken);
		tv_set_int(x, "left", s->capacity > s->seats_taken ? s->capacity - s->seats_taken : 0);
		tv_set_bool(x, "full", s->seats_taken >= s->capacity);
		tv_set_int(x, "waiting", s->waiting);
	}
	tv_set_bool(m, "starred", s->starred);
	tv_set_bool(m, "has_seat", s->signup == SIGNUP_SEAT);
	tv_set_bool(m, "is_waiting", s->signup == SIGNUP_WAITING);
	tv_set_int(m, "wait_position", s->wait_position);
	tv_set_bool(m, "signed_up", s->signup != SIGNUP_NONE);
	tv_set_bool(m, "changed", s->changed);
}

/* The agenda's days with their sessions grouped by start time.  keep:
 * which sessions to show (NULL: all). */
static size_t
days_values(struct req *req, struct tv *v, const struct agenda *ag,
	    int (*keep)(const struct agenda_session *s))
{
	struct tv			*days = tv_set_list(v, "days"), *d, *slots = NULL, *slot, *list = NULL, *rooms;
	const struct agenda_session	*s;
	size_t				 i, j, shown = 0;
	int				 last_start;
	int				 grid = ag->nrooms > 0 && ag->nrooms <= GRID_ROOMS_MAX;

	for (i = 0; i < ag->ndays; i++) {
		d = NULL;
		last_start = -1;
		for (j = 0; j < ag->nsessions; j++) {
			s = &ag->sessions[j];
			if (s->day_id != ag->days[i].id || (keep && !keep(s)))
				continue;
			if (!d) {
				d = tv_list_add_map(days);
				tv_set_int(d, "id", ag->days[i].id);
				tv_set_str(d, "date", ag->days[i].date);
				tv_set_str(d, "label", agenda_day_label(req->arena, ag->days[i].date));
				tv_set_str(d, "title", *ag->days[i].title ? ag->days[i].title : NULL);
				tv_set_str(d, "grid_class", grid ? arena_printf(req->arena,
				    "rooms-%zu", ag->nrooms) : "rooms-list");
				rooms = tv_set_list(d, "rooms");
				for (size_t k = 0; grid && k < ag->nrooms; k++) {
					struct tv *r = tv_list_add_map(rooms);

					tv_set_str(r, "name", ag->rooms[k].name);
					tv_set_int(r, "col", (int64_t)k + 1);
				}
				tv_set_bool(d, "grid", grid && !keep);
				slots = tv_set_list(d, "slots");
			}
			if (s->start_min != last_start) {
				slot = tv_list_add_map(slots);
				tv_set_str(slot, "start", agenda_hhmm(req->arena, s->start_min));
				tv_set_str(slot, "slot_id", arena_printf(req->arena, "t-%" PRId64 "-%d",
				    ag->days[i].id, s->start_min));
				list = tv_set_list(slot, "sessions");
				last_start = s->start_min;
			}
			session_values(req, tv_list_add_map(list), ag, s);
			shown++;
		}
	}
	return shown;
}

/* Load the agenda, with the person's stars and sign-ups when signed in. */
static enum app_err
load(struct req *req, struct agenda *ag, int mark_seen)
{
	enum app_err rc = agenda_load(req->app, req->db, req->arena, ag);

	if (rc == E_OK && req->person)
		rc = agenda_personal(req->app, req->db, req->person->id, ag, mark_seen);
	return rc;
}

/* Is the requesting person an organiser of the event? */
static int
is_organiser(const struct req *req)
{
	return req->person && (req->person->roles & ROLE_ORGANISER);
}

/* GET /agenda: every day of the programme; visitors get the cached copy. */
static enum http_status
agenda_page(struct req *req, struct resp *resp)
{
	struct agenda	 ag;
	struct tv	*v;
	size_t		 i, changed = 0;
	int		 cacheable = !req->person && !req->flash;
	enum app_err	 rc;
	enum http_status st;

	/* Visitors all see the same page: served from the cache while the
	 * schedule version is unchanged. */
	if (cacheable && page_cache_get(req->path, agenda_version(req->app, req->db), &resp->body)) {
		resp->content_type = "text/html; charset=utf-8";
		return HTTP_OK;
	}
	rc = load(req, &ag, 1);
	if (rc != E_OK)
		return http_status_for(rc);
	v = tv_new(req->arena);
	for (i = 0; i < ag.nsessions; i++)
		changed += ag.sessions[i].changed != 0;
	tv_set_int(v, "changed_count", (int64_t)changed);
	tv_set_bool(v, "changed_one", changed == 1);
	tv_set_bool(v, "organiser", is_organiser(req));
	tv_set_bool(v, "empty", days_values(req, v, &ag, NULL) == 0);
	st = view_render(req, resp, "agenda/index", "Agenda", v);
	if (cacheable && st == HTTP_OK && !resp->body.toobig)
		page_cache_put(req->path, ag.version, resp->body.data, resp->body.len);
	return st;
}

/* A session id from the path, in the loaded agenda; NULL if absent. */
static struct agenda_session *
path_session(struct req *req, const struct agenda *ag)
{
	int64_t id;

	if (req_param_int(req, "id", &id) < 0)
		return NULL;
	return agenda_find_session(ag, id);
}

/* GET /sessions/:id: one session with places, sign-up and star buttons. */
static enum http_status
session_page(struct req *req, struct resp *resp)
{
	struct agenda		 ag;
	struct agenda_session	*s;
	struct tv		*v;
	enum app_err		 rc;

	rc = load(req, &ag, 0);
	if (rc != E_OK)
		return http_status_for(rc);
	s = path_session(req, &ag);
	if (!s)
		return view_error(req, resp, HTTP_NOT_FOUND, "There is no such session in the agenda.");
	v = tv_new(req->arena);
	session_values(req, tv_set_map(v, "session"), &ag, s);
	tv_set_bool(v, "organiser", is_organiser(req));
	tv_set_bool(v, "signed_in", req->person != NULL);
	tv_set_str(v, "login_next", arena_printf(req->arena, "/login?next=/sessions/%" PRId64, s->id));
	if (req->person) {	/* live rooms are for people signed in */
		struct live_room r;

		rc = live_room_for_session(req->app, req->db, req->arena, s->id, &r);
		if (rc != E_OK && rc != E_NOTFOUND)
			return http_status_for(rc);
		if (rc == E_OK) {
			struct tv *m = tv_set_map(v, "live");

			tv_set_int(m, "id", r.id);
			tv_set_str(m, "code", r.code);
			tv_set_bool(v, "presenter", live_may_present(req->app, req->db, req->person, &r));
		}
	}
	return view_render(req, resp, "agenda/session", s->title, v);
}

/* Where to go back to after a star or sign-up: the page the form was on
 * when it is one of ours, else the session page. */
static const char *
back_to(struct req *req, int64_t id)
{
	const char *back = req_form(req, "back");

	if (str_eq(back, "/agenda") || str_eq(back, "/my-agenda"))
		return back;
	return arena_printf(req->arena, "/sessions/%" PRId64, id);
}

/* POST /sessions/:id/star: star=1 adds the session to my agenda, star=0 removes it. */
static enum http_status
star_post(struct req *req, struct resp *resp)
{
	int64_t		 id;
	int		 on = !str_eq(req_form(req, "star"), "0");
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = agenda_star(req->app, req->db, req->person->id, id, on);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, back_to(req, id), "ok",
	    on ? "Added to your agenda." : "Removed from your agenda.");
}

/* POST /sessions/:id/signup: a place, or a place on the waiting list. */
static enum http_status
signup_post(struct req *req, struct resp *resp)
{
	enum agenda_signup	 got;
	int64_t			 id;
	enum app_err		 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = agenda_signup(req->app, req->db, req->person->id, id, &got);
	if (rc == E_CONFLICT)
		return resp_redirect_flash(req, resp, back_to(req, id), "error",
		    "You are already signed up for this session.");
	if (rc == E_CLOSED)
		return resp_redirect_flash(req, resp, back_to(req, id), "error",
		    "This session is open to everyone: there is no need to sign up.");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, back_to(req, id), "ok", got == SIGNUP_SEAT
	    ? "You have a place in this session."
	    : "The session is full: you are on the waiting list, and will get a place if one frees up.");
}

/* POST /sessions/:id/withdraw: give up a place or leave the waiting list. */
static enum http_status
withdraw_post(struct req *req, struct resp *resp)
{
	int64_t		 id, promoted;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = agenda_withdraw(req->app, req->db, req->person->id, id, &promoted);
	if (rc == E_NOTFOUND)
		return resp_redirect_flash(req, resp, back_to(req, id), "error",
		    "You were not signed up for this session.");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, back_to(req, id), "ok",
	    "You are no longer signed up for this session.");
}

/* Sessions in "my agenda": starred or signed up. */
static int
keep_mine(const struct agenda_session *s)
{
	return s->starred || s->signup != SIGNUP_NONE;
}

/* GET /my-agenda: the sessions the person starred or signed up for. */
static enum http_status
my_agenda(struct req *req, struct resp *resp)
{
	struct agenda	 ag;
	struct tv	*v;
	enum app_err	 rc;

	rc = load(req, &ag, 0);
	if (rc != E_OK)
		return http_status_for(rc);
	v = tv_new(req->arena);
	tv_set_bool(v, "empty", days_values(req, v, &ag, keep_mine) == 0);
	return view_render(req, resp, "agenda/my", "My agenda", v);
}

/* One speaker's values; with sessions, the sessions they speak in. */
static void
speaker_values(struct req *req, struct tv *m, const struct agenda *ag,
	       const struct agenda_speaker *sp, int sessions)
{
	const struct agenda_session	*s;
	struct tv			*list;
	size_t				 i, k;

	tv_set_int(m, "id", sp->id);
	tv_set_str(m, "name", sp->name);
	tv_set_str(m, "affiliation", *sp->affiliation ? sp->affiliation : NULL);
	tv_set_bool(m, "has_photo", sp->has_photo);
	add_paragraphs(tv_set_list(m, "bio"), req->arena, sp->bio);
	if (!sessions)
		return;
	list = tv_set_list(m, "sessions");
	for (i = 0; i < ag->nsessions; i++) {
		s = &ag->sessions[i];
		for (k = 0; k < s->nspeakers; k++) {
			if (s->speaker_ids[k] == sp->id) {
				session_values(req, tv_list_add_map(list), ag, s);
				break;
			}
		}
	}
}

/* GET /speakers: every speaker. */
static enum http_status
speakers_page(struct req *req, struct resp *resp)
{
	struct agenda	 ag;
	struct tv	*v, *list;
	size_t		 i;
	enum app_err	 rc;

	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc != E_OK)
		return http_status_for(rc);
	v = tv_new(req->arena);
	list = tv_set_list(v, "speakers");
	for (i = 0; i < ag.nspeakers; i++)
		speaker_values(req, tv_list_add_map(list), &ag, &ag.speakers[i], 0);
	tv_set_bool(v, "empty", ag.nspeakers == 0);
	return view_render(req, resp, "agenda/speakers", "Speakers", v);
}

/* GET /speakers/:id: a speaker with their biography and sessions. */
static enum http_status
speaker_page(struct req *req, struct resp *resp)
{
	struct agenda			 ag;
	const struct agenda_speaker	*sp;
	struct tv			*v;
	int64_t				 id;
	enum app_err			 rc;

	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc != E_OK)
		return http_status_for(rc);
	sp = req_param_int(req, "id", &id) < 0 ? NULL : agenda_find_speaker(&ag, id);
	if (!sp)
		return view_error(req, resp, HTTP_NOT_FOUND, "There is no such speaker.");
	v = tv_new(req->arena);
	speaker_values(req, tv_set_map(v, "speaker"), &ag, sp, 1);
	tv_set_bool(v, "organiser", is_organiser(req));
	return view_render(req, resp, "agenda/speaker", sp->name, v);
}

/* GET /speakers/:id/photo: the stored image with its checked content type. */
static enum http_status
speaker_photo(struct req *req, struct resp *resp)
{
	const unsigned char	*data;
	const char		*type;
	size_t			 len;
	int64_t			 id;
	enum app_err		 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = agenda_speaker_photo(req->app, req->db, req->arena, id, &data, &len, &type);
	if (rc != E_OK)
		return http_status_for(rc);
	buf_add(&resp->body, data, len);
	resp->content_type = type;
	resp->cache = "public, max-age=300";
	return HTTP_OK;
}

/* ---- JSON ---- */

/* GET /api/agenda: the whole programme as JSON. */
static enum http_status
api_agenda(struct req *req, struct resp *resp)
{
	struct agenda	ag;
	enum app_err	rc = agenda_load(req->app, req->db, req->arena, &ag);

	if (rc != E_OK)
		return http_status_for(rc);
	agenda_json(&resp->body, &ag);
	return resp_json(resp, HTTP_OK);
}

/* GET /api/sessions/:id: one session as JSON. */
static enum http_status
api_session(struct req *req, struct resp *resp)
{
	struct agenda	ag;
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc == E_OK)
		rc = agenda_session_json(&resp->body, &ag, id);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_json(resp, HTTP_OK);
}

/* GET /api/speakers: the speakers and their session ids as JSON. */
static enum http_status
api_speakers(struct req *req, struct resp *resp)
{
	struct agenda	ag;
	enum app_err	rc = agenda_load(req->app, req->db, req->arena, &ag);

	if (rc != E_OK)
		return http_status_for(rc);
	agenda_speakers_json(&resp->body, &ag);
	return resp_json(resp, HTTP_OK);
}

/* ---- the editor ---- */

/* GET /agenda/edit: the organisers' overview of everything in the programme. */
static enum http_status
edit_index(struct req *req, struct resp *resp)
{
	struct agenda	 ag;
	struct tv	*v, *list, *m;
	size_t		 i;
	enum app_err	 rc;

	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc != E_OK)
		return http_status_for(rc);
	v = tv_new(req->arena);
	tv_set_int(v, "version", ag.version);
	list = tv_set_list(v, "days");
	for (i = 0; i < ag.ndays; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ag.days[i].id);
		tv_set_str(m, "label", agenda_day_label(req->arena, ag.days[i].date));
		tv_set_str(m, "title", ag.days[i].title);
	}
	list = tv_set_list(v, "rooms");
	for (i = 0; i < ag.nrooms; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ag.rooms[i].id);
		tv_set_str(m, "name", ag.rooms[i].name);
		tv_set_int(m, "position", ag.rooms[i].position);
	}
	list = tv_set_list(v, "tracks");
	for (i = 0; i < ag.ntracks; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ag.tracks[i].id);
		tv_set_str(m, "name", ag.tracks[i].name);
	}
	list = tv_set_list(v, "speakers");
	for (i = 0; i < ag.nspeakers; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ag.speakers[i].id);
		tv_set_str(m, "name", ag.speakers[i].name);
		tv_set_str(m, "affiliation", ag.speakers[i].affiliation);
	}
	list = tv_set_list(v, "sessions");
	for (i = 0; i < ag.nsessions; i++)
		session_values(req, tv_list_add_map(list), &ag, &ag.sessions[i]);
	tv_set_bool(v, "no_days", ag.ndays == 0);
	return view_render(req, resp, "agenda/edit", "Edit the agenda", v);
}

/* An id from the path for an edit form: 0 for "new", -1 for junk. */
static int64_t
edit_id(struct req *req)
{
	int64_t id;

	if (!req_param(req, "id"))
		return 0;
	if (req_param_int(req, "id", &id) < 0 || id <= 0)
		return -1;
	return id;
}

/* One field of a simple form. */
static void
field(struct tv *list, const char *name, const char *label, const char *type,
      const char *value, const char *error, const char *hint, int required)
{
	struct tv *f = tv_list_add_map(list);

	tv_set_str(f, "name", name);
	tv_set_str(f, "label", label);
	tv_set_str(f, "type", type);
	tv_set_str(f, "value", value ? value : "");
	tv_set_str(f, "error", error);
	tv_set_str(f, "hint", hint);
	tv_set_bool(f, "required", required);
}

/* The form for a day, room or track. */
static enum http_status
simple_form(struct req *req, struct resp *resp, int status, const char *kind, int64_t id,
	    const char *a_val, const char *b_val, const struct agenda_errors *errs)
{
	struct tv	*v = tv_new(req->arena), *fields;
	const char	*heading;

	fields = tv_set_list(v, "fields");
	if (strcmp(kind, "days") == 0) {
		heading = id ? "Edit a day" : "Add a day";
		field(fields, "date", "Date", "date", a_val, agenda_error_for(errs, "date"),
		    "As YYYY-MM-DD, for example 2027-03-11.", 1);
		field(fields, "title", "Title (optional)", "text", b_val,
		    agenda_error_for(errs, "title"), NULL, 0);
	} else if (strcmp(kind, "rooms") == 0) {
		heading = id ? "Edit a room" : "Add a room";
		field(fields, "name", "Name", "text", a_val, agenda_error_for(errs, "name"), NULL, 1);
		field(fields, "position", "Column in the agenda grid", "number", b_val,
		    agenda_error_for(errs, "position"), "Rooms are shown left to right by this number.", 0);
	} else {
		heading = id ? "Edit a track" : "Add a track";
		field(fields, "name", "Name", "text", a_val, agenda_error_for(errs, "name"), NULL, 1);
	}
	tv_set_str(v, "heading", heading);
	tv_set_str(v, "action", id ? arena_printf(req->arena, "/agenda/edit/%s/%" PRId64, kind, id)
	    : arena_printf(req->arena, "/agenda/edit/%s/new", kind));
	if (id)
		tv_set_str(v, "delete_action", arena_printf(req->arena,
		    "/agenda/edit/%s/%" PRId64 "/delete", kind, id));
	resp->status = status;
	return view_render(req, resp, "agenda/edit_simple", heading, v);
}

/* The kind in a path "/agenda/edit/KIND/...". */
static const char *
path_kind(const struct req *req)
{
	const char *p = req->path + strlen("/agenda/edit/");

	if (str_starts(p, "days/"))
		return "days";
	if (str_starts(p, "rooms/"))
		return "rooms";
	return "tracks";
}

/* GET /agenda/edit/{days,rooms,tracks}/(new|:id): the form, empty or filled. */
static enum http_status
simple_get(struct req *req, struct resp *resp)
{
	const char	*kind = path_kind(req);
	int64_t		 id = edit_id(req);
	struct agenda	 ag;
	size_t		 i;
	enum app_err	 rc;

	if (id < 0)
		return HTTP_NOT_FOUND;
	if (id == 0)
		return simple_form(req, resp, HTTP_OK, kind, 0, "", "", NULL);
	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc != E_OK)
		return http_status_for(rc);
	if (strcmp(kind, "days") == 0) {
		const struct agenda_day *d = agenda_find_day(&ag, id);

		if (d)
			return simple_form(req, resp, HTTP_OK, kind, id, d->date, d->title, NULL);
	} else if (strcmp(kind, "rooms") == 0) {
		const struct agenda_room *r = agenda_find_room(&ag, id);

		if (r)
			return simple_form(req, resp, HTTP_OK, kind, id, r->name,
			    arena_printf(req->arena, "%" PRId64, r->position), NULL);
	} else {
		for (i = 0; i < ag.ntracks; i++) {
			if (ag.tracks[i].id == id)
				return simple_form(req, resp, HTTP_OK, kind, id, ag.tracks[i].name, "", NULL);
		}
	}
	return HTTP_NOT_FOUND;
}

/* POST /agenda/edit/{days,rooms,tracks}/(new|:id): save, or the form again with errors. */
static enum http_status
simple_post(struct req *req, struct resp *resp)
{
	const char		*kind = path_kind(req);
	int64_t			 id = edit_id(req), out = 0;
	struct agenda_errors	 errs;
	const char		*a_val, *b_val = "";
	enum app_err		 rc;

	if (id < 0)
		return HTTP_NOT_FOUND;
	if (strcmp(kind, "days") == 0) {
		a_val = req_form_trim(req, "date");
		b_val = req_form_trim(req, "title");
		rc = agenda_day_save(req->app, req->db, id, a_val, b_val, &errs, &out);
	} else if (strcmp(kind, "rooms") == 0) {
		a_val = req_form_trim(req, "name");
		b_val = req_form_trim(req, "position");
		rc = agenda_room_save(req->app, req->db, id, a_val, b_val, &errs, &out);
	} else {
		a_val = req_form_trim(req, "name");
		rc = agenda_track_save(req->app, req->db, id, a_val, &errs, &out);
	}
	if (rc == E_INVALID)
		return simple_form(req, resp, HTTP_UNPROCESSABLE, kind, id, a_val, b_val, &errs);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, "/agenda/edit", "ok", "Saved.");
}

/* POST /agenda/edit/KIND/:id/delete: delete a day, room, track, speaker or session. */
static enum http_status
delete_post(struct req *req, struct resp *resp)
{
	const char	*p = req->path + strlen("/agenda/edit/");
	int64_t		 id;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	if (str_starts(p, "days/"))
		rc = agenda_day_delete(req->app, req->db, id);
	else if (str_starts(p, "rooms/"))
		rc = agenda_room_delete(req->app, req->db, id);
	else if (str_starts(p, "tracks/"))
		rc = agenda_track_delete(req->app, req->db, id);
	else if (str_starts(p, "speakers/"))
		rc = agenda_speaker_delete(req->app, req->db, id);
	else
		rc = agenda_session_delete(req->app, req->db, id);
	if (rc == E_CONFLICT)
		return resp_redirect_flash(req, resp, "/agenda/edit", "error",
		    "That day still has sessions: move or delete them first.");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, "/agenda/edit", "ok", "Deleted.");
}

/* The session editor form, from in (as typed or as stored). */
static enum http_status
session_form(struct req *req, struct resp *resp, int status, int64_t id,
	     const struct agenda *ag, const struct agenda_session_input *in,
	     const struct agenda_errors *errs, const struct agenda_warnings *warn)
{
	struct tv	*v = tv_new(req->arena), *list, *m, *e;
	const char	*heading = id ? "Edit a session" : "Add a session";
	size_t		 i, k;
	char		*sel;

	tv_set_str(v, "heading", heading);
	tv_set_str(v, "action", id ? arena_printf(req->arena, "/agenda/edit/sessions/%" PRId64, id)
	    : "/agenda/edit/sessions/new");
	if (id)
		tv_set_str(v, "delete_action", arena_printf(req->arena,
		    "/agenda/edit/sessions/%" PRId64 "/delete", id));
	tv_set_str(v, "title", in->title);
	tv_set_str(v, "description", in->description);
	tv_set_str(v, "start", in->start);
	tv_set_str(v, "end", in->end);
	tv_set_str(v, "capacity", in->capacity);
	list = tv_set_list(v, "kinds");
	for (i = 0; i < agenda_nkinds; i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "value", agenda_kinds[i].key);
		tv_set_str(m, "label", agenda_kinds[i].label);
		tv_set_bool(m, "selected", str_eq(in->kind, agenda_kinds[i].key));
	}
	list = tv_set_list(v, "days");
	for (i = 0; i < ag->ndays; i++) {
		m = tv_list_add_map(list);
		sel = arena_printf(req->arena, "%" PRId64, ag->days[i].id);
		tv_set_str(m, "value", sel);
		tv_set_str(m, "label", agenda_day_label(req->arena, ag->days[i].date));
		tv_set_bool(m, "selected", str_eq(in->day_id, sel));
	}
	list = tv_set_list(v, "rooms");
	for (i = 0; i < ag->nrooms; i++) {
		m = tv_list_add_map(list);
		sel = arena_printf(req->arena, "%" PRId64, ag->rooms[i].id);
		tv_set_str(m, "value", sel);
		tv_set_str(m, "label", ag->rooms[i].name);
		tv_set_bool(m, "selected", str_eq(in->room_id, sel));
	}
	list = tv_set_list(v, "tracks");
	for (i = 0; i < ag->ntracks; i++) {
		m = tv_list_add_map(list);
		sel = arena_printf(req->arena, "%" PRId64, ag->tracks[i].id);
		tv_set_str(m, "value", sel);
		tv_set_str(m, "label", ag->tracks[i].name);
		tv_set_bool(m, "selected", str_eq(in->track_id, sel));
	}
	list = tv_set_list(v, "speakers");
	for (i = 0; i < ag->nspeakers; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ag->speakers[i].id);
		tv_set_str(m, "name", ag->speakers[i].name);
		for (k = 0; k < in->nspeakers; k++) {
			if (in->speaker_ids[k] == ag->speakers[i].id)
				tv_set_bool(m, "checked", 1);
		}
	}
	tv_set_bool(v, "has_speakers", ag->nspeakers > 0);
	e = tv_set_map(v, "errors");
	for (i = 0; errs && i < errs->n; i++)
		tv_set_str(e, errs->field[i], errs->message[i]);
	tv_set_bool(v, "has_errors", errs && errs->n > 0);
	list = tv_set_list(v, "warnings");
	for (i = 0; warn && i < warn->n; i++)
		tv_list_add_str(list, warn->text[i]);
	tv_set_bool(v, "has_warnings", warn && warn->n > 0);
	resp->status = status;
	return view_render(req, resp, "agenda/edit_session", heading, v);
}

/* GET /agenda/edit/sessions/(new|:id): the session form. */
static enum http_status
session_edit_get(struct req *req, struct resp *resp)
{
	struct agenda			 ag;
	struct agenda_session_input	 in;
	const struct agenda_session	*s = NULL;
	int64_t				 id = edit_id(req);
	enum app_err			 rc;

	if (id < 0)
		return HTTP_NOT_FOUND;
	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc != E_OK)
		return http_status_for(rc);
	memset(&in, 0, sizeof(in));
	in.kind = "workshop";
	in.title = in.description = in.start = in.end = in.capacity = "";
	in.day_id = ag.ndays ? arena_printf(req->arena, "%" PRId64, ag.days[0].id) : "";
	in.room_id = in.track_id = "";
	if (id) {
		s = agenda_find_session(&ag, id);
		if (!s)
			return HTTP_NOT_FOUND;
		in.kind = s->kind;
		in.title = s->title;
		in.description = s->description;
		in.start = agenda_hhmm(req->arena, s->start_min);
		in.end = agenda_hhmm(req->arena, s->end_min);
		in.capacity = s->capacity ? arena_printf(req->arena, "%" PRId64, s->capacity) : "";
		in.day_id = arena_printf(req->arena, "%" PRId64, s->day_id);
		in.room_id = s->room_id ? arena_printf(req->arena, "%" PRId64, s->room_id) : "";
		in.track_id = s->track_id ? arena_printf(req->arena, "%" PRId64, s->track_id) : "";
		in.speaker_ids = s->speaker_ids;
		in.nspeakers = s->nspeakers;
	}
	return session_form(req, resp, HTTP_OK, id, &ag, &in, NULL, NULL);
}

/* POST /agenda/edit/sessions/(new|:id): save, or the form again with errors or clash warnings. */
static enum http_status
session_edit_post(struct req *req, struct resp *resp)
{
	struct agenda			 ag;
	struct agenda_session_input	 in;
	struct agenda_errors		 errs;
	struct agenda_warnings		 warn;
	const struct kv			*f;
	int64_t				 id = edit_id(req), out = 0, *ids, sid;
	size_t				 n = 0, cap = 0;
	enum app_err			 rc;

	if (id < 0)
		return HTTP_NOT_FOUND;
	memset(&in, 0, sizeof(in));
	in.title = req_form_trim(req, "title");
	in.description = req_form_trim(req, "description");
	in.kind = req_form_trim(req, "kind");
	in.day_id = req_form_trim(req, "day");
	in.room_id = req_form_trim(req, "room");
	in.track_id = req_form_trim(req, "track");
	in.start = req_form_trim(req, "start");
	in.end = req_form_trim(req, "end");
	in.capacity = req_form_trim(req, "capacity");
	in.confirmed = str_eq(req_form(req, "confirm"), "1");
	for (f = req->form; f; f = f->next)
		cap += strcmp(f->name, "speaker") == 0;
	ids = arena_alloc(req->arena, (cap + 1) * sizeof(*ids));
	if (!ids)
		return HTTP_TOO_LARGE;
	for (f = req->form; f; f = f->next) {
		if (strcmp(f->name, "speaker") != 0)
			continue;
		if (str_to_i64(f->value, f->len, &sid) < 0)
			sid = -1;
		ids[n++] = sid;
	}
	in.speaker_ids = ids;
	in.nspeakers = n;
	rc = agenda_session_save(req->app, req->db, req->arena, id, &in, &errs, &warn, &out);
	if (rc == E_OK)
		return resp_redirect_flash(req, resp, arena_printf(req->arena,
		    "/sessions/%" PRId64, out), "ok", "The session is saved.");
	if (rc != E_INVALID && rc != E_CONFLICT)
		return http_status_for(rc);
	if (agenda_load(req->app, req->db, req->arena, &ag) != E_OK)
		return HTTP_INTERNAL;
	return session_form(req, resp, HTTP_UNPROCESSABLE, id, &ag, &in,
	    rc == E_INVALID ? &errs : NULL, rc == E_CONFLICT ? &warn : NULL);
}

/* The speaker editor form. */
static enum http_status
speaker_form(struct req *req, struct resp *resp, int status, int64_t id, const char *name,
	     const char *affiliation, const char *bio, const char *email, int has_photo,
	     const struct agenda_errors *errs)
{
	struct tv	*v = tv_new(req->arena), *e;
	const char	*heading = id ? "Edit a speaker" : "Add a speaker";
	size_t		 i;

	tv_set_str(v, "heading", heading);
	tv_set_str(v, "action", id ? arena_printf(req->arena, "/agenda/edit/speakers/%" PRId64, id)
	    : "/agenda/edit/speakers/new");
	if (id) {
		tv_set_str(v, "delete_action", arena_printf(req->arena,
		    "/agenda/edit/speakers/%" PRId64 "/delete", id));
		tv_set_int(v, "id", id);
	}
	tv_set_str(v, "name", name);
	tv_set_str(v, "affiliation", affiliation);
	tv_set_str(v, "bio", bio);
	tv_set_str(v, "email", email);
	tv_set_bool(v, "has_photo", has_photo);
	e = tv_set_map(v, "errors");
	for (i = 0; errs && i < errs->n; i++)
		tv_set_str(e, errs->field[i], errs->message[i]);
	resp->status = status;
	return view_render(req, resp, "agenda/edit_speaker", heading, v);
}

/* GET /agenda/edit/speakers/(new|:id): the speaker form. */
static enum http_status
speaker_edit_get(struct req *req, struct resp *resp)
{
	struct agenda			 ag;
	const struct agenda_speaker	*sp;
	int64_t				 id = edit_id(req);
	enum app_err			 rc;

	if (id < 0)
		return HTTP_NOT_FOUND;
	if (id == 0)
		return speaker_form(req, resp, HTTP_OK, 0, "", "", "", "", 0, NULL);
	rc = agenda_load(req->app, req->db, req->arena, &ag);
	if (rc != E_OK)
		return http_status_for(rc);
	sp = agenda_find_speaker(&ag, id);
	if (!sp)
		return HTTP_NOT_FOUND;
	return speaker_form(req, resp, HTTP_OK, id, sp->name, sp->affiliation, sp->bio,
	    agenda_speaker_email(req->app, req->db, req->arena, sp), sp->has_photo, NULL);
}

/* POST /agenda/edit/speakers/(new|:id) (multipart): save with an optional photo. */
static enum http_status
speaker_edit_post(struct req *req, struct resp *resp)
{
	const struct upload	*up = req_upload(req, "photo");
	const char		*name = req_form_trim(req, "name");
	const char		*affiliation = req_form_trim(req, "affiliation");
	const char		*bio = req_form_trim(req, "bio");
	const char		*email = req_form_trim(req, "email");
	struct agenda_errors	 errs;
	int64_t			 id = edit_id(req), out = 0;
	enum app_err		 rc;

	if (id < 0)
		return HTTP_NOT_FOUND;
	/* A file input left empty sends a part with no name and no bytes. */
	if (up && up->len == 0 && (!up->filename || !*up->filename))
		up = NULL;
	rc = agenda_speaker_save(req->app, req->db, req->arena, id, name, affiliation, bio,
	    email, up ? up->data : NULL, up ? up->len : 0, up ? up->content_type : NULL,
	    str_eq(req_form(req, "remove_photo"), "1"), &errs, &out);
	if (rc == E_INVALID)
		return speaker_form(req, resp, HTTP_UNPROCESSABLE, id, name, affiliation, bio,
		    email, 0, &errs);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/speakers/%" PRId64, out),
	    "ok", "The speaker is saved.");
}

const struct route agenda_routes[] = {
	{ "GET",  "/agenda",				agenda_page,		0 },
	{ "GET",  "/sessions/:id",			session_page,		0 },
	{ "POST", "/sessions/:id/star",			star_post,		ROUTE_LOGIN | ROUTE_CSRF },
	{ "POST", "/sessions/:id/signup",		signup_post,		ROUTE_LOGIN | ROUTE_CSRF },
	{ "POST", "/sessions/:id/withdraw",		withdraw_post,		ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/my-agenda",				my_agenda,		ROUTE_LOGIN },
	{ "GET",  "/speakers",				speakers_page,		0 },
	{ "GET",  "/speakers/:id",			speaker_page,		0 },
	{ "GET",  "/speakers/:id/photo",		speaker_photo,		0 },
	{ "GET",  "/api/agenda",			api_agenda,		ROUTE_JSON },
	{ "GET",  "/api/sessions/:id",			api_session,		ROUTE_JSON },
	{ "GET",  "/api/speakers",			api_speakers,		ROUTE_JSON },
	{ "GET",  "/agenda/edit",			edit_index,		ROUTE_ORGANISER },
	{ "GET",  "/agenda/edit/days/new",		simple_get,		ROUTE_ORGANISER },
	{ "GET",  "/agenda/edit/days/:id",		simple_get,		ROUTE_ORGANISER },
	{ "POST", "/agenda/edit/days/new",		simple_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/days/:id",		simple_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/days/:id/delete",	delete_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/agenda/edit/rooms/new",		simple_get,		ROUTE_ORGANISER },
	{ "GET",  "/agenda/edit/rooms/:id",		simple_get,		ROUTE_ORGANISER },
	{ "POST", "/agenda/edit/rooms/new",		simple_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/rooms/:id",		simple_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/rooms/:id/delete",	delete_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/agenda/edit/tracks/new",		simple_get,		ROUTE_ORGANISER },
	{ "GET",  "/agenda/edit/tracks/:id",		simple_get,		ROUTE_ORGANISER },
	{ "POST", "/agenda/edit/tracks/new",		simple_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/tracks/:id",		simple_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/tracks/:id/delete",	delete_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/agenda/edit/speakers/new",		speaker_edit_get,	ROUTE_ORGANISER },
	{ "GET",  "/agenda/edit/speakers/:id",		speaker_edit_get,	ROUTE_ORGANISER },
	{ "POST", "/agenda/edit/speakers/new",		speaker_edit_post,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/speakers/:id",		speaker_edit_post,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/speakers/:id/delete",	delete_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/agenda/edit/sessions/new",		session_edit_get,	ROUTE_ORGANISER },
	{ "GET",  "/agenda/edit/sessions/:id",		session_edit_get,	ROUTE_ORGANISER },
	{ "POST", "/agenda/edit/sessions/new",		session_edit_post,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/sessions/:id",		session_edit_post,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/agenda/edit/sessions/:id/delete",	delete_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
