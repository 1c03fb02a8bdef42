/* live_http.c - the live room's pages, fragments, JSON and event streams:
 * the room list and join by code, the participant's room (ask, upvote,
 * vote), the moderator's page, the presenter screen, the pre-convention
 * wall and its moderation.  Thin: reads the
 * request, calls live.c, fills template values, renders or redirects.
 * Fragments (?part=NAME) render one partial of a page without the layout,
 * for live.js to swap in.  No SQL and no HTML strings here (SVG comes from
 * live_svg.c, pages from templates). */
#include "live.h"
#include "live_hub.h"
#include "../agenda/agenda.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/str.h"
#include "../../http/http.h"
#include "../../http/sse.h"
#include "../../views/tmpl.h"
#include "../../views/tv.h"

/* The room named by :id, or an error status. */
static enum http_status
load_room(struct req *req, struct live_room *r)
{
	int64_t		 id;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = live_room_get(req->app, req->db, req->arena, id, r);
	return rc == E_OK ? HTTP_OK : http_status_for(rc);
}

/* How an action went: its failure's status (422 for bad input), or, when
 * it went through, {"ok":true} for a script and else on to where. */
static enum http_status
done(struct req *req, struct resp *resp, enum app_err rc, const char *where)
{
	if (rc != E_OK)
		return http_status_for(rc);
	if (req_wants_json(req)) {
		buf_adds(&resp->body, "{\"ok\":true}");
		return resp_json(resp, HTTP_OK);
	}
	return resp_redirect(resp, where);
}

/* A question list into a template list. */
static void
question_values(struct tv *list, const struct live_question *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tv *m = tv_list_add_map(list);

		tv_set_int(m, "id", q[i].id);
		tv_set_str(m, "body", q[i].body);
		if (q[i].asker)
			tv_set_str(m, "asker", q[i].asker);
		tv_set_bool(m, "mine", q[i].mine);
		tv_set_bool(m, "anonymous", q[i].anonymous);
		tv_set_int(m, "votes", q[i].votes);
		tv_set_bool(m, "votes_one", q[i].votes == 1);
		tv_set_bool(m, "voted", q[i].voted);
		tv_set_bool(m, "answered", q[i].answered);
		tv_set_bool(m, "pinned", q[i].pinned);
		tv_set_bool(m, "pending", strcmp(q[i].state, "pending") == 0);
	}
}

/* A poll and the viewer's view of its results into map m. */
static enum app_err
poll_values(struct req *req, struct tv *m, const struct live_poll *p)
{
	struct live_tally	 t;
	struct tv		*opts, *words;
	char			*svg;
	size_t			 i;
	int			 k;
	enum app_err		 rc;

	rc = live_tally(req->app, req->db, req->arena, req->person, p, &t);
	if (rc != E_OK)
		return rc;
	tv_set_int(m, "id", p->id);
	tv_set_str(m, "question", p->question);
	tv_set_str(m, "kind", live_kind_name(p->kind));
	tv_set_bool(m, "single", p->kind == LIVE_SINGLE);
	tv_set_bool(m, "multi", p->kind == LIVE_MULTI);
	tv_set_bool(m, "scale", p->kind == LIVE_SCALE);
	tv_set_bool(m, "words", p->kind == LIVE_WORDS);
	tv_set_bool(m, "text", p->kind == LIVE_TEXT);
	tv_set_bool(m, "choices", p->kind == LIVE_SINGLE || p->kind == LIVE_MULTI ||
		    p->kind == LIVE_SCALE);
	tv_set_str(m, "state", p->state);
	tv_set_bool(m, "draft", strcmp(p->state, "draft") == 0);
	tv_set_bool(m, "open", strcmp(p->state, "open") == 0);
	tv_set_bool(m, "closed", strcmp(p->state, "closed") == 0);
	tv_set_bool(m, "revealed", p->revealed);
	tv_set_bool(m, "voted", t.voted);
	tv_set_str(m, "my_text", t.my_text ? t.my_text : "");
	opts = tv_set_list(m, "options");
	for (k = 0; k < p->noptions; k++) {
		struct tv *o = tv_list_add_map(opts);

		tv_set_int(o, "index", k);
		tv_set_int(o, "value", k + 1);
		tv_set_str(o, "label", p->options[k]);
		tv_set_bool(o, "checked", p->kind == LIVE_SCALE ? t.my_value == k + 1 :
			    (t.my_choices & ((int64_t)1 << k)) != 0);
		tv_set_int(o, "count", t.counts[k]);
	}
	tv_set_bool(m, "results_visible", t.visible);
	tv_set_int(m, "total", t.total);
	tv_set_bool(m, "total_one", t.total == 1);
	svg = live_results_svg(req->arena, p, &t);
	if (svg)
		tv_set_html(m, "svg", svg);
	words = tv_set_list(m, "answers");
	for (i = 0; p->kind == LIVE_TEXT && i < t.nwords; i++)
		tv_list_add_str(words, t.words[i].word);
	return E_OK;
}

/* The room's wall into v.wall (when some question feeds it): the approved
 * cards (the first `shown` of them; all feed the word cloud), the
 * questions they answer, how many there are. */
static enum app_err
wall_values(struct req *req, struct tv *v, const struct live_room *r, size_t shown)
{
	struct live_wall_card	*c;
	struct tv		*w, *cards, *prompts;
	char			*cloud;
	size_t			 n, i, j;
	int64_t			 total;
	enum app_err		 rc;

	tv_set_bool(v, "wall_screen", r->wall_screen);
	if (!r->wall_feeds)
		return E_OK;
	rc = live_wall_list(req->app, req->db, req->arena, req->person, r->id, "approved",
			    LIVE_LIST_MAX, &c, &n, &total);
	if (rc != E_OK)
		return rc;
	w = tv_set_map(v, "wall");
	tv_set_int(w, "count", total);
	tv_set_bool(w, "count_one", total == 1);
	tv_set_bool(w, "empty", n == 0);
	tv_set_bool(w, "more", n > shown);
	cards = tv_set_list(w, "cards");
	for (i = 0; i < n && i < shown; i++) {
		struct tv *m = tv_list_add_map(cards);

		tv_set_int(m, "id", c[i].id);
		tv_set_str(m, "answer", c[i].answer);
		tv_set_str(m, "partnership", c[i].partnership);
	}
	prompts = tv_set_list(w, "prompts");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && c[j].question_id != c[i].question_id; j++)
			;
		if (j == i)
			tv_list_add_str(prompts, c[i].prompt);
	}
	cloud = live_wall_cloud_svg(req->arena, c, n);
	if (cloud)
		tv_set_html(w, "cloud", cloud);
	return E_OK;
}

/* Everything the room, moderator and presenter pages show. */
static enum app_err
room_values(struct req *req, struct tv *v, const struct live_room *r, int by_new,
	    int with_polls)
{
	struct live_question	*q;
	struct live_poll	 p, *polls;
	size_t			 n, i;
	enum app_err		 rc;

	tv_set_int(v, "room_id", r->id);
	tv_set_str(v, "room_title", r->title);
	tv_set_str(v, "code", r->code);
	tv_set_int(v, "last_event_id", r->last_event_id);
	tv_set_bool(v, "need_approval", r->need_approval);
	tv_set_bool(v, "by_new", by_new);
	tv_set_str(v, "sort", by_new ? "new" : "top");
	tv_set_bool(v, "moderator", live_can_moderate(req->person));
	tv_set_bool(v, "has_wall", r->wall_feeds > 0);
	rc = live_questions(req->app, req->db, req->arena, req->person, r->id, by_new, 0, &q, &n);
	if (rc != E_OK)
		return rc;
	question_values(tv_set_list(v, "questions"), q, n);
	tv_set_bool(v, "no_questions", n == 0);
	if (r->current_poll_id &&
	    live_poll_get(req->app, req->db, req->arena, r->id, r->current_poll_id, &p) == E_OK &&
	    (rc = poll_values(req, tv_set_map(v, "poll"), &p)) != E_OK)
		return rc;
	if (!with_polls)
		return E_OK;
	rc = live_questions(req->app, req->db, req->arena, req->person, r->id, 0, 1, &q, &n);
	if (rc != E_OK)
		return rc;
	question_values(tv_set_list(v, "queue"), q, n);
	tv_set_bool(v, "queue_empty", n == 0);
	rc = live_polls(req->app, req->db, req->arena, r->id, &polls, &n);
	if (rc != E_OK)
		return rc;
	{
		struct tv *list = tv_set_list(v, "polls");

		for (i = 0; i < n; i++) {
			struct tv *m = tv_list_add_map(list);

			if ((rc = poll_values(req, m, &polls[i])) != E_OK)
				return rc;
			tv_set_bool(m, "current", polls[i].id == r->current_poll_id);
		}
	}
	return E_OK;
}

/* ?part=NAME asks for one fragment: render template live/part_NAME alone. */
static enum http_status
render_part(struct req *req, struct resp *resp, const char *page, const char *const *parts,
	    size_t nparts, struct tv *v, const char *title)
{
	const char	*part = req_query(req, "part");
	size_t		 i;

	if (!part)
		return view_render(req, resp, page, title, v);
	for (i = 0; i < nparts; i++)
		if (strcmp(part, parts[i]) == 0) {
			char *name = arena_printf(req->arena, "live/part_%s", part);

			tv_set_str(v, "csrf", req->csrf);
			if (!name || tmpl_render(req->app->views, name, v, &resp->body) < 0)
				return HTTP_INTERNAL;
			resp->content_type = "text/html; charset=utf-8";
			return HTTP_OK;
		}
	return HTTP_NOT_FOUND;
}

/* A room page with an error for one field, keeping what was typed. */
static enum http_status
room_page(struct req *req, struct resp *resp, const struct live_room *r, int status,
	  const char *field, const char *why, const char *typed)
{
	struct tv	*v = tv_new(req->arena);
	static const char *const parts[] = { "questions", "poll", "results", "wall" };
	enum app_err	 rc;

	rc = room_values(req, v, r, str_eq(req_query(req, "sort"), "new"), 0);
	/* the wall (and its word cloud) only where it is shown: not for the
	 * fragments a tally refetches several times a second */
	if (rc == E_OK && (!req_query(req, "part") || str_eq(req_query(req, "part"), "wall")))
		rc = wall_values(req, v, r, LIVE_LIST_MAX);
	if (rc != E_OK)
		return http_status_for(rc);
	if (field) {
		tv_set_str(tv_set_map(v, "errors"), field, why);
		tv_set_str(v, "typed", typed);
	}
	resp->status = status;
	return render_part(req, resp, "live/room", parts, ARRAY_SIZE(parts), v, r->title);
}

/* The programme's sessions for the new room form's choice, the one with
 * id chosen selected.  -1 if the programme cannot be read. */
static int
session_choices(struct req *req, struct tv *v, int64_t chosen)
{
	struct agenda	 ag;
	struct tv	*list = tv_set_list(v, "sessions");
	size_t		 i;

	if (agenda_load(req->app, req->db, req->arena, &ag) != E_OK)
		return -1;
	for (i = 0; i < ag.nsessions; i++) {
		const struct agenda_session	*x = &ag.sessions[i];
		struct tv			*m;

		if (str_eq(x->kind, "break"))
			continue;
		m = tv_list_add_map(list);
		tv_set_int(m, "id", x->id);
		tv_setf(m, "label", "%s, %s: %s", agenda_day_label(req->arena, x->date),
			agenda_hhmm(req->arena, x->start_min), x->title);
		tv_set_bool(m, "selected", x->id == chosen);
	}
	return 0;
}

/* GET /live: the rooms, the join form and, for moderators, a new room. */
static enum http_status
rooms_get(struct req *req, struct resp *resp)
{
	struct tv		*v = tv_new(req->arena), *list;
	struct live_room	*rooms;
	size_t			 n, i;
	enum app_err		 rc;

	rc = live_rooms(req->app, req->db, req->arena, &rooms, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "rooms");
	for (i = 0; i < n; i++) {
		struct tv *m = tv_list_add_map(list);

		tv_set_int(m, "id", rooms[i].id);
		tv_set_str(m, "title", rooms[i].title);
		tv_set_str(m, "code", rooms[i].code);
		tv_set_bool(m, "presenter", live_may_present(req->app, req->db, req->person, &rooms[i]));
	}
	tv_set_bool(v, "no_rooms", n == 0);
	tv_set_bool(v, "moderator", live_can_moderate(req->person));
	if (live_can_moderate(req->person) && session_choices(req, v, 0) < 0)
		return HTTP_INTERNAL;
	return view_render(req, resp, "live/rooms", "Live rooms", v);
}

/* POST /live: open a room (moderators); 422 with the title kept. */
static enum http_status
rooms_post(struct req *req, struct resp *resp)
{
	const char	*title = req_form_trim(req, "title");
	const char	*session = req_form_trim(req, "session");
	const char	*why = NULL, *field = "title";
	int64_t		 id, sid = 0;
	enum app_err	 rc = E_INVALID;
	struct agenda	 ag;

	if (*session && (str_to_i64(session, strlen(session), &sid) < 0 || sid <= 0 ||
	    agenda_load(req->app, req->db, req->arena, &ag) != E_OK ||
	    !agenda_find_session(&ag, sid))) {
		why = "choose a session of the programme, or none";
		field = "session";
	} else {
		rc = live_room_add(req->app, req->db, title, sid, &id, &why);
	}
	if (rc == E_INVALID) {
		struct tv *v = tv_new(req->arena);

		tv_set_str(tv_set_map(v, "errors"), field, why);
		tv_set_str(v, "typed", title);
		tv_set_bool(v, "moderator", 1);
		tv_set_bool(v, "no_rooms", 1);
		if (session_choices(req, v, sid) < 0)
			return HTTP_INTERNAL;
		resp->status = HTTP_UNPROCESSABLE;
		return view_render(req, resp, "live/rooms", "Live rooms", v);
	}
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/live/%" PRId64 "/moderate", id),
				   "ok", "the room is ready");
}

/* GET /join and /join/:code (or ?code=): to the room, or the form with an error. */
static enum http_status
join_get(struct req *req, struct resp *resp)
{
	const char		*code = req_param(req, "code");
	struct live_room	 r;
	struct tv		*v;
	enum app_err		 rc;

	if (!code)
		code = req_query(req, "code");
	if (!code || !*code)
		return view_render(req, resp, "live/join", "Join a room", tv_new(req->arena));
	rc = live_room_by_code(req->app, req->db, req->arena, code, &r);
	if (rc == E_OK)
		return resp_redirect(resp, arena_printf(req->arena, "/live/%" PRId64, r.id));
	if (rc != E_NOTFOUND)
		return http_status_for(rc);
	v = tv_new(req->arena);
	tv_set_str(v, "typed", code);
	tv_set_str(tv_set_map(v, "errors"), "code", "no room has that code; check it and try again");
	resp->status = HTTP_NOT_FOUND;
	return view_render(req, resp, "live/join", "Join a room", v);
}

/* GET /live/:id: the participant's room, or one of its fragments. */
static enum http_status
room_get(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	return room_page(req, resp, &r, HTTP_OK, NULL, NULL, NULL);
}

/* POST /live/:id/ask: ask; 422 with the text kept, else back to the room. */
static enum http_status
ask_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	const char		*body = req_form(req, "body"), *why = NULL;
	int64_t			 qid;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	rc = live_ask(req->app, req->db, req->person, r.id, body,
		      str_eq(req_form(req, "anonymous"), "1"), &qid, &why);
	if (rc == E_INVALID)
		return room_page(req, resp, &r, HTTP_UNPROCESSABLE, "body", why, body ? body : "");
	if (rc != E_OK)
		return http_status_for(rc);
	if (req_wants_json(req)) {
		buf_addf(&resp->body, "{\"id\":%" PRId64 "}", qid);
		return resp_json(resp, HTTP_CREATED);
	}
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/live/%" PRId64, r.id), "ok",
				   r.need_approval && !live_can_moderate(req->person) ?
				   "thank you: your question will appear once a moderator approves it" :
				   "thank you: your question is up");
}

/* POST /live/:id/questions/:qid/upvote: upvote once. */
static enum http_status
upvote_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	int64_t			 qid;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (req_param_int(req, "qid", &qid) < 0)
		return HTTP_NOT_FOUND;
	rc = live_upvote(req->app, req->db, req->person, r.id, qid);
	return done(req, resp, rc, arena_printf(req->arena, "/live/%" PRId64 "#q%" PRId64, r.id, qid));
}

/* A vote's answer, once its outcome is known. */
static enum http_status
vote_answer(struct req *req, struct resp *resp, struct live_room *r, enum app_err rc,
	    const char *why, const char *text)
{
	if (req_wants_json(req)) {
		if (rc == E_OK) {
			buf_adds(&resp->body, "{\"ok\":true}");
			return resp_json(resp, HTTP_OK);
		}
		if (rc == E_INVALID) {
			buf_adds(&resp->body, "{\"error\":");
			buf_add_json_str(&resp->body, why, strlen(why));
			buf_adds(&resp->body, "}");
			return resp_json(resp, HTTP_UNPROCESSABLE);
		}
		return http_status_for(rc);
	}
	if (rc == E_INVALID)
		return room_page(req, resp, r, HTTP_UNPROCESSABLE, "vote", why, text ? text : "");
	if (rc == E_CLOSED)
		return room_page(req, resp, r, HTTP_CONFLICT, "vote",
				 "this poll is closed: your vote was not counted", "");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/live/%" PRId64 "#poll", r->id),
				   "ok", "your vote is in; you can change it until the poll closes");
}

/* A vote handed to the vote writer, in the request's arena. */
struct vote_later {
	struct req		*req;
	struct live_room	 room;
	enum app_err		 rc;
};

/* The writer's completion (its thread): the vote is committed, or not. */
static void
vote_landed(void *arg, enum app_err rc)
{
	struct vote_later *v = arg;

	v->rc = rc;
	req_resume(v->req);
}

/* Back on the request's thread: answer. */
static enum http_status
vote_finish(struct req *req, struct resp *resp, void *arg)
{
	struct vote_later *v = arg;

	return vote_answer(req, resp, &v->room, v->rc, NULL, NULL);
}

/* POST /live/:id/polls/:pid/vote: vote or change one's vote; 409 once
 * closed.  The answer waits for the vote's COMMIT without holding a
 * worker thread (resp_later). */
static enum http_status
vote_post(struct req *req, struct resp *resp)
{
	struct vote_later	*v = arena_alloc(req->arena, sizeof(*v));
	enum http_status	 s;
	const struct kv		*f;
	const char		*why = NULL, *text = req_form(req, "text");
	int64_t			 pid, choices = 0, k;
	int64_t			 value = 0;
	enum app_err		 rc;

	if (!v)
		return HTTP_INTERNAL;
	v->req = req;
	if ((s = load_room(req, &v->room)) != HTTP_OK)
		return s;
	if (req_param_int(req, "pid", &pid) < 0)
		return HTTP_NOT_FOUND;
	for (f = req->form; f; f = f->next)
		if (strcmp(f->name, "choice") == 0) {
			if (str_to_i64(f->value, f->len, &k) < 0 || k < 0 || k >= LIVE_OPTIONS_MAX)
				choices = -1;
			else if (choices >= 0)
				choices |= (int64_t)1 << k;
		}
	if (req_form(req, "value")) {
		const char *vs = req_form(req, "value");

		if (str_to_i64(vs, strlen(vs), &value) < 0 || value < 0 || value > 5)
			value = -1;
	}
	rc = live_vote_submit(req->app, req->db, req->person, v->room.id, pid, choices, (int)value,
			      text, &why, vote_landed, v);
	if (rc == E_OK)
		return resp_later(req, vote_finish, v);
	return vote_answer(req, resp, &v->room, rc, why, text);
}

/* GET /live/:id/questions.json: the questions as this person may see them. */
static enum http_status
questions_json(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	struct live_question	*q;
	enum http_status	 s;
	size_t			 n;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	rc = live_questions(req->app, req->db, req->arena, req->person, r.id,
			    str_eq(req_query(req, "sort"), "new"), 0, &q, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	live_json_questions(&resp->body, q, n);
	return resp_json(resp, HTTP_OK);
}

/* An event stream of room r for this viewer: subscribe first, then
 * replay what changed after Last-Event-ID (or ?since=) and the current
 * tally, so nothing committed in between is lost (duplicates are dropped
 * by id). */
static enum http_status
stream(struct req *req, struct resp *resp, int moderators)
{
	struct live_room	 r;
	struct live_sub		*sub;
	struct buf		 pre;
	enum http_status	 s;
	char			 topic[LIVE_TOPIC_MAX];
	int64_t			 since = -1, last = 0;
	const char		*hdr = req_header(req, "Last-Event-ID");
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (moderators && !live_can_moderate(req->person))
		return HTTP_FORBIDDEN;
	if (sse_last_event_id(hdr ? hdr : req_query(req, "since"), &since) < 0)
		since = -1;	/* none, or not a number: from now on */
	live_topic(topic, sizeof(topic), r.id, moderators);
	sub = live_sub_new(req->app->live, topic, NULL);
	if (!sub)
		return HTTP_UNAVAILABLE;
	buf_init(&pre, LIVE_SUB_PREFIX_MAX);
	buf_adds(&pre, "retry: 2000\n\n");
	rc = live_replay(req->app, req->db, req->arena, req->person, r.id, moderators, since,
			 &pre, &last);
	if (rc == E_OK)
		rc = live_snapshot(req->app, req->db, req->arena, req->person, r.id, moderators, &pre);
	if (rc != E_OK || pre.toobig || live_sub_prefix(sub, pre.data, pre.len, last > 0 ? last : 0) < 0) {
		/* too much to replay: a fresh start; the page reload shows the state */
		buf_reset(&pre);
		pre.toobig = 0;
		buf_adds(&pre, "retry: 2000\n\nevent: reload\ndata: {}\n\n");
		live_sub_prefix(sub, pre.data, pre.len, 0);
	}
	buf_release(&pre);
	if (rc != E_OK && rc != E_INTERNAL) {
		live_sub_free(sub);
		return http_status_for(rc);
	}
	return resp_stream(req, resp, sub);
}

/* GET /live/:id/events: the room's event stream. */
static enum http_status
events_get(struct req *req, struct resp *resp)
{
	return stream(req, resp, 0);
}

/* GET /live/:id/moderate/events: the moderators' event stream. */
static enum http_status
mod_events_get(struct req *req, struct resp *resp)
{
	return stream(req, resp, 1);
}

/* How many answers wait for the wall, and what the screen shows. */
static enum app_err
wall_status_values(struct req *req, struct tv *v, const struct live_room *r)
{
	struct live_wall_card	*c;
	size_t			 n;
	int64_t			 waiting = 0, approved = 0;
	enum app_err		 rc;

	tv_set_bool(v, "wall_screen", r->wall_screen);
	if (r->wall_feeds) {
		rc = live_wall_list(req->app, req->db, req->arena, req->person, r->id, "pending",
				    0, &c, &n, &waiting);
		if (rc == E_OK)
			rc = live_wall_list(req->app, req->db, req->arena, req->person, r->id,
					    "approved", 0, &c, &n, &approved);
		if (rc != E_OK)
			return rc;
	}
	tv_set_int(v, "wall_waiting", waiting);
	tv_set_int(v, "wall_approved", approved);
	return E_OK;
}

/* GET /live/:id/moderate: the moderator's page, or one of its fragments. */
static enum http_status
moderate_get(struct req *req, struct resp *resp)
{
	static const char *const parts[] = { "queue", "modquestions", "polls", "wallstatus" };
	struct live_room	 r;
	struct tv		*v;
	enum http_status	 s;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	v = tv_new(req->arena);
	rc = room_values(req, v, &r, 0, 1);
	/* not for the fragments question and tally events refetch */
	if (rc == E_OK && (!req_query(req, "part") || str_eq(req_query(req, "part"), "wallstatus")))
		rc = wall_status_values(req, v, &r);
	if (rc != E_OK)
		return http_status_for(rc);
	return render_part(req, resp, "live/moderate", parts, ARRAY_SIZE(parts), v,
			   arena_printf(req->arena, "Moderate: %s", r.title));
}

/* Back to the moderator page, or wherever the form says (the presenter). */
static const char *
back(struct req *req, const struct live_room *r)
{
	const char *to = req_form(req, "back");

	if (str_eq(to, "present"))
		return arena_printf(req->arena, "/live/%" PRId64 "/present", r->id);
	return arena_printf(req->arena, "/live/%" PRId64 "/moderate", r->id);
}

/* POST /live/:id/moderate/settings: hold questions for approval, or not. */
static enum http_status
settings_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	rc = live_set_approval(req->app, req->db, req->person, r.id,
			       str_eq(req_form(req, "need_approval"), "1"));
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, back(req, &r), "ok", "settings saved");
}

/* POST /live/:id/moderate/questions/:qid: approve, answer, pin or hide. */
static enum http_status
moderate_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	int64_t			 qid;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (req_param_int(req, "qid", &qid) < 0)
		return HTTP_NOT_FOUND;
	rc = live_moderate(req->app, req->db, req->person, r.id, qid, req_form(req, "action"));
	return done(req, resp, rc, back(req, &r));
}

/* POST /live/:id/moderate/polls: add a draft poll; 422 with the form kept. */
static enum http_status
poll_add_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	const char		*why = NULL;
	int64_t			 pid;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	rc = live_poll_add(req->app, req->db, req->person, r.id, req_form(req, "kind"),
			   req_form(req, "question"), req_form(req, "options"), &pid, &why);
	if (rc == E_INVALID) {
		struct tv	*v = tv_new(req->arena), *f;

		if ((rc = room_values(req, v, &r, 0, 1)) != E_OK ||
		    (rc = wall_status_values(req, v, &r)) != E_OK)
			return http_status_for(rc);
		tv_set_str(tv_set_map(v, "errors"), "poll", why);
		f = tv_set_map(v, "typed");
		tv_set_str(f, "question", req_form(req, "question"));
		tv_set_str(f, "options", req_form(req, "options"));
		tv_set_str(f, "kind", req_form(req, "kind"));
		resp->status = HTTP_UNPROCESSABLE;
		return view_render(req, resp, "live/moderate", r.title, v);
	}
	if (rc != E_OK)
		return http_status_for(rc);
	if (req_wants_json(req)) {
		buf_addf(&resp->body, "{\"id\":%" PRId64 "}", pid);
		return resp_json(resp, HTTP_CREATED);
	}
	return resp_redirect_flash(req, resp, back(req, &r), "ok", "poll added as a draft");
}

/* POST /live/:id/moderate/polls/:pid: open, close, reveal, conceal, show. */
static enum http_status
poll_action_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	int64_t			 pid;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (req_param_int(req, "pid", &pid) < 0)
		return HTTP_NOT_FOUND;
	rc = live_poll_action(req->app, req->db, req->person, r.id, pid, req_form(req, "action"));
	return done(req, resp, rc, back(req, &r));
}

/* POST /live/:id/moderate/next: close the current poll, open the next. */
static enum http_status
next_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	rc = live_poll_next(req->app, req->db, req->person, r.id);
	if (rc == E_NOTFOUND)
		return resp_redirect_flash(req, resp, back(req, &r), "error", "there is no next poll");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect(resp, back(req, &r));
}

/* The join address as the presenter screen prints it: without its
 * scheme (a phone's browser adds it), as join_host and join_path so the
 * line may break between them. */
static void
join_values(struct tv *v, const char *url)
{
	const char	*p = strstr(url, "://");
	const char	*slash;

	p = p ? p + 3 : url;
	slash = strchr(p, '/');
	tv_set_strn(v, "join_host", p, slash ? (size_t)(slash - p) : strlen(p));
	tv_set_str(v, "join_path", slash ? slash : "");
}

/* GET /live/:id/present: the presenter screen, or its fragment. */
static enum http_status
present_get(struct req *req, struct resp *resp)
{
	static const char *const parts[] = { "screen" };
	struct live_room	 r;
	struct tv		*v;
	enum http_status	 s;
	const char		*host = req_header(req, "Host");
	const char		*base = req->app->cfg->base_url;
	char			*url, *qr;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (!live_may_present(req->app, req->db, req->person, &r))
		return HTTP_FORBIDDEN;	/* a speaker, but not in this room's session */
	v = tv_new(req->arena);
	rc = room_values(req, v, &r, 0, 0);
	tv_set_bool(v, "wall_screen", r.wall_screen);
	if (rc == E_OK && r.wall_screen)
		rc = wall_values(req, v, &r, LIVE_WALL_SHOWN);
	if (rc != E_OK)
		return http_status_for(rc);
	if (base && *base)
		url = arena_printf(req->arena, "%s%sjoin/%s", base,
				   str_ends(base, "/") ? "" : "/", r.code);
	else
		url = arena_printf(req->arena, "http://%s/join/%s", host ? host : "localhost", r.code);
	if (url)
		join_values(v, url);
	qr = url ? live_qr_svg(req->arena, url) : NULL;
	if (qr)
		tv_set_html(v, "qr", qr);
	{
		/* the top questions: fewer below a poll, so that both fit */
		const struct tv *all = tv_get(v, "questions");
		struct tv	*top = tv_new_list(req->arena);
		size_t		 i, max = tv_get(v, "poll") ? LIVE_TOP_WITH_POLL : LIVE_TOP_SHOWN;

		for (i = 0; all && i < tv_count(all) && i < max; i++)
			tv_list_add_tv(top, (struct tv *)(uintptr_t)tv_at(all, i));
		tv_set_tv(v, "top", top);
	}
	return render_part(req, resp, "live/present", parts, ARRAY_SIZE(parts), v,
			   arena_printf(req->arena, "Presenting: %s", r.title));
}

/* Cards into a template list: id, answer, partnership, version. */
static void
card_values(struct tv *list, const struct live_wall_card *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tv *m = tv_list_add_map(list);

		tv_set_int(m, "id", c[i].id);
		tv_set_str(m, "prompt", c[i].prompt);
		tv_set_str(m, "answer", c[i].answer);
		tv_set_str(m, "partnership", c[i].partnership);
		tv_set_int(m, "version", c[i].version);
	}
}

/* The wall moderation page's values: the feeds, the queue, the approved
 * and the rejected answers. */
static enum app_err
wall_mod_values(struct req *req, struct tv *v, const struct live_room *r)
{
	static const struct { const char *state; size_t max; } lists[] = {
		{ "pending", LIVE_WALL_QUEUE }, { "approved", LIVE_LIST_MAX }, { "rejected", LIVE_LIST_MAX },
	};
	struct live_wall_feed	*f;
	struct live_wall_card	*c;
	struct tv		*list;
	size_t			 n, i;
	int64_t			 total;
	enum app_err		 rc;

	tv_set_int(v, "room_id", r->id);
	tv_set_str(v, "room_title", r->title);
	tv_set_str(v, "code", r->code);
	tv_set_int(v, "last_event_id", r->last_event_id);
	tv_set_bool(v, "wall_screen", r->wall_screen);
	tv_set_bool(v, "has_wall", r->wall_feeds > 0);
	tv_set_bool(v, "several_feeds", r->wall_feeds > 1);	/* then each answer names its question */
	rc = live_wall_feeds(req->app, req->db, req->arena, req->person, r->id, &f, &n);
	if (rc != E_OK)
		return rc;
	list = tv_set_list(v, "feeds");
	for (i = 0; i < n; i++) {
		struct tv *m = tv_list_add_map(list);

		tv_set_int(m, "id", f[i].question_id);
		tv_set_str(m, "prompt", f[i].prompt);
		tv_set_bool(m, "fed", f[i].fed);
	}
	tv_set_bool(v, "no_feeds", n == 0);
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		struct tv *m = tv_set_map(v, lists[i].state);

		rc = live_wall_list(req->app, req->db, req->arena, req->person, r->id,
				    lists[i].state, lists[i].max, &c, &n, &total);
		if (rc != E_OK)
			return rc;
		card_values(tv_set_list(m, "cards"), c, n);
		tv_set_int(m, "total", total);
		tv_set_int(m, "shown", (int64_t)n);
		tv_set_bool(m, "empty", n == 0);
		tv_set_bool(m, "more", (int64_t)n < total);
	}
	return E_OK;
}

/* GET /live/:id/moderate/wall: choose the questions, approve the answers. */
static enum http_status
wall_mod_get(struct req *req, struct resp *resp)
{
	static const char *const parts[] = { "wallqueue" };
	struct live_room	 r;
	struct tv		*v;
	enum http_status	 s;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	v = tv_new(req->arena);
	if ((rc = wall_mod_values(req, v, &r)) != E_OK)
		return http_status_for(rc);
	return render_part(req, resp, "live/wall", parts, ARRAY_SIZE(parts), v,
			   arena_printf(req->arena, "Wall: %s", r.title));
}

/* POST /live/:id/moderate/wall/feeds: the questions that feed the wall. */
static enum http_status
wall_feeds_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	const struct kv		*f;
	int64_t			 qids[64];
	size_t			 n = 0;
	int			 bad = 0;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	for (f = req->form; f; f = f->next)
		if (strcmp(f->name, "question") == 0) {
			if (n == ARRAY_SIZE(qids) || str_to_i64(f->value, f->len, &qids[n]) < 0)
				bad = 1;
			else
				n++;
		}
	rc = bad ? E_INVALID : live_wall_set_feeds(req->app, req->db, req->person, r.id, qids, n);
	if (rc == E_INVALID) {
		struct tv *v = tv_new(req->arena);

		if ((rc = wall_mod_values(req, v, &r)) != E_OK)
			return http_status_for(rc);
		tv_set_str(tv_set_map(v, "errors"), "feeds",
			   "choose among the pre-convention questions listed");
		resp->status = HTTP_UNPROCESSABLE;
		return view_render(req, resp, "live/wall", r.title, v);
	}
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/live/%" PRId64 "/moderate/wall",
				   r.id), "ok", n ? "the wall's questions are saved" :
				   "the wall is off: no question feeds it");
}

/* After a wall decision: JSON, or back to the wall page (or the form's
 * "back"). */
static enum http_status
wall_done(struct req *req, struct resp *resp, const struct live_room *r, enum app_err rc)
{
	return done(req, resp, rc, str_eq(req_form(req, "back"), "moderate") ?
			     arena_printf(req->arena, "/live/%" PRId64 "/moderate", r->id) :
			     arena_printf(req->arena, "/live/%" PRId64 "/moderate/wall", r->id));
}

/* POST /live/:id/moderate/wall/:wid: approve or reject one answer, as of
 * the version the moderator saw (v). */
static enum http_status
wall_decide_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	const char		*vs = req_form(req, "v");
	int64_t			 wid, version = 0;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (req_param_int(req, "wid", &wid) < 0)
		return HTTP_NOT_FOUND;
	if (vs && *vs && (str_to_i64(vs, strlen(vs), &version) < 0 || version < 0))
		return HTTP_UNPROCESSABLE;
	return wall_done(req, resp, &r, live_wall_decide(req->app, req->db, req->person, r.id,
							 &wid, &version, 1, req_form(req, "action"),
							 NULL));
}

/* POST /live/:id/moderate/wall: approve (or reject) every answer the
 * queue showed, given as fields a=ID:VERSION. */
static enum http_status
wall_all_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	const struct kv		*f;
	int64_t			 ids[LIVE_WALL_QUEUE], versions[LIVE_WALL_QUEUE];
	size_t			 n = 0, decided = 0;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	for (f = req->form; f; f = f->next) {
		const char *colon;

		if (strcmp(f->name, "a") != 0)
			continue;
		colon = memchr(f->value, ':', f->len);
		if (n == LIVE_WALL_QUEUE || !colon ||
		    str_to_i64(f->value, (size_t)(colon - f->value), &ids[n]) < 0 ||
		    str_to_i64(colon + 1, f->len - (size_t)(colon + 1 - f->value), &versions[n]) < 0)
			return HTTP_UNPROCESSABLE;
		n++;
	}
	if (!n)
		return resp_redirect_flash(req, resp, arena_printf(req->arena,
					   "/live/%" PRId64 "/moderate/wall", r.id), "error",
					   "nothing was waiting");
	rc = live_wall_decide(req->app, req->db, req->person, r.id, ids, versions, n,
			      req_form(req, "action"), &decided);
	if (rc != E_OK || req_wants_json(req) || decided == n)
		return wall_done(req, resp, &r, rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena,
				   "/live/%" PRId64 "/moderate/wall", r.id), "ok",
				   arena_printf(req->arena, "%zu done; %zu changed since the page "
						"was shown and wait for you again", decided, n - decided));
}

/* POST /live/:id/moderate/screen: the presenter shows the wall or the
 * polls and questions. */
static enum http_status
screen_post(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	enum http_status	 s;
	enum app_err		 rc;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	rc = live_set_screen(req->app, req->db, req->person, r.id, req_form(req, "mode"));
	return done(req, resp, rc, back(req, &r));
}

/* GET /live/:id/wall.json: the approved answers, as anyone may see them. */
static enum http_status
wall_json(struct req *req, struct resp *resp)
{
	struct live_room	 r;
	struct live_wall_card	*c = NULL;
	enum http_status	 s;
	size_t			 n = 0;
	int64_t			 total = 0;
	enum app_err		 rc = E_OK;

	if ((s = load_room(req, &r)) != HTTP_OK)
		return s;
	if (r.wall_feeds)
		rc = live_wall_list(req->app, req->db, req->arena, req->person, r.id, "approved",
				    LIVE_LIST_MAX, &c, &n, &total);
	if (rc != E_OK)
		return http_status_for(rc);
	live_json_wall(&resp->body, c, n);
	return resp_json(resp, HTTP_OK);
}

#define MOD (ROUTE_ORGANISER | ROUTE_FACILITATOR)

const struct route live_routes[] = {
	{ "GET",  "/live",					rooms_get,	ROUTE_LOGIN },
	{ "POST", "/live",					rooms_post,	MOD | ROUTE_CSRF },
	{ "GET",  "/join",					join_get,	ROUTE_LOGIN },
	{ "GET",  "/join/:code",				join_get,	ROUTE_LOGIN },
	{ "GET",  "/live/:id",					room_get,	ROUTE_LOGIN },
	{ "POST", "/live/:id/ask",				ask_post,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "POST", "/live/:id/questions/:qid/upvote",		upvote_post,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "POST", "/live/:id/polls/:pid/vote",			vote_post,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/live/:id/questions.json",			questions_json,	ROUTE_LOGIN | ROUTE_JSON },
	{ "GET",  "/live/:id/events",				events_get,	ROUTE_LOGIN | ROUTE_JSON },
	{ "GET",  "/live/:id/moderate",				moderate_get,	MOD },
	{ "GET",  "/live/:id/moderate/events",			mod_events_get,	MOD | ROUTE_JSON },
	{ "POST", "/live/:id/moderate/settings",		settings_post,	MOD | ROUTE_CSRF },
	{ "POST", "/live/:id/moderate/questions/:qid",		moderate_post,	MOD | ROUTE_CSRF },
	{ "POST", "/live/:id/moderate/polls",			poll_add_post,	MOD | ROUTE_CSRF },
	{ "POST", "/live/:id/moderate/polls/:pid",		poll_action_post, MOD | ROUTE_CSRF },
	{ "POST", "/live/:id/moderate/next",			next_post,	MOD | ROUTE_CSRF },
	{ "GET",  "/live/:id/present",				present_get,	MOD | ROUTE_SPEAKER },
	{ "GET",  "/live/:id/wall.json",			wall_json,	ROUTE_LOGIN | ROUTE_JSON },
	{ "POST", "/live/:id/moderate/screen",			screen_post,	MOD | ROUTE_CSRF },
	{ "GET",  "/live/:id/moderate/wall",			wall_mod_get,	MOD },
	{ "POST", "/live/:id/moderate/wall",			wall_all_post,	MOD | ROUTE_CSRF },
	{ "POST", "/live/:id/moderate/wall/feeds",		wall_feeds_post, MOD | ROUTE_CSRF },
	{ "POST", "/live/:id/moderate/wall/:wid",		wall_decide_post, MOD | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
