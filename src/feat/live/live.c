/* live.c - the live room's rules: who may ask, upvote, vote, moderate and
 * drive polls; what is valid; what each viewer may see (askers of
 * anonymous questions, hidden questions, unrevealed results); the JSON of
 * events; publishing to the hub only after COMMIT.  No SQL here
 * (live_store.c) and no HTML (templates, live_svg.c). */
#include "live.h"
#include "live_hub.h"
#include "live_share.h"
#include "live_store.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../core/utf8.h"
#include "../../db/db.h"
#include "../agenda/agenda.h"
#include "../people/people.h"
#include "../survey/survey.h"

#include <semaphore.h>
#include <sodium.h>

#define CODE_LEN	5
#define CODE_CHARS	"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"	/* no 0/O, 1/I */
#define WORDS_SHOWN	60
#define TEXTS_SHOWN	100

static void	 poll_forget(int64_t id);

static const char *const kind_names[] = { "single", "multi", "scale", "words", "text" };

const char *
live_kind_name(enum live_poll_kind k)
{
	return (unsigned)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "text";
}

int
live_kind_from_name(const char *name, enum live_poll_kind *k)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(kind_names); i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*k = (enum live_poll_kind)i;
			return 0;
		}
	return -1;
}

int
live_can_moderate(const struct person *p)
{
	return p && (p->roles & (ROLE_ORGANISER | ROLE_FACILITATOR)) != 0;
}

int
live_may_present(struct app *app, struct db *db, const struct person *p,
		 const struct live_room *r)
{
	if (live_can_moderate(p))
		return 1;
	return p && (p->roles & ROLE_SPEAKER) && r->session_id > 0 &&
	    agenda_person_speaks(app, db, r->session_id, p->id);
}

/* Anyone with a role in the event may join a room. */
static int
member(const struct person *p)
{
	return p && p->roles != 0;
}

void
live_word_key(const char *in, char *out, size_t outsz)
{
	size_t	 n = 0;
	int	 space = 0;

	assert(outsz > 0);
	while (*in && isspace((unsigned char)*in))
		in++;
	for (; *in && n + 1 < outsz; in++) {
		unsigned char c = (unsigned char)*in;

		if (isspace(c)) {
			space = 1;
			continue;
		}
		if (space && n + 2 < outsz)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

void
live_topic(char *out, size_t n, int64_t room_id, int moderators)
{
	snprintf(out, n, "%s:%" PRId64, moderators ? "mod" : "room", room_id);
}

/* Trimmed copy of s in the arena; *len its length in bytes. */
static char *
trimmed(struct arena *a, const char *s, size_t *len)
{
	const char	*p = s ? s : "";
	size_t		 n = strlen(p);

	str_trim(&p, &n);
	*len = n;
	return arena_strndup(a, p, n);
}

enum app_err
live_room_add(struct app *app, struct db *db, const char *title, int64_t session_id,
	      int64_t *id, const char **why)
{
	struct arena	*a = arena_new(4096);
	char		*t, code[CODE_LEN + 1];
	size_t		 n;
	int		 tries, i;
	enum app_err	 rc = E_INVALID;

	t = trimmed(a, title, &n);
	if (!t || n == 0) {
		*why = "give the room a title";
		goto out;
	}
	if (n > LIVE_TITLE_MAX || utf8_has_controls(t, n, 1)) {
		*why = "the title is too long (200 characters at most, on one line)";
		goto out;
	}
	for (tries = 0; tries < 8; tries++) {
		for (i = 0; i < CODE_LEN; i++)
			code[i] = CODE_CHARS[randombytes_uniform(sizeof(CODE_CHARS) - 1)];
		code[CODE_LEN] = '\0';
		rc = live_store_room_add(db, app->event_id, t, code, session_id, now_unix(), id);
		if (rc != E_CONFLICT || db_in_tx(db))
			break;
	}
out:
	arena_free(a);
	return rc;
}

enum app_err
live_room_get(struct app *app, struct db *db, struct arena *a, int64_t id, struct live_room *r)
{
	return live_store_room_get(db, a, app->event_id, id, r);
}

enum app_err
live_room_by_code(struct app *app, struct db *db, struct arena *a, const char *code,
		  struct live_room *r)
{
	char	 up[16];
	size_t	 i;

	if (!code || strlen(code) >= sizeof(up))
		return E_NOTFOUND;
	for (i = 0; code[i]; i++)
		up[i] = (char)toupper((unsigned char)code[i]);
	up[i] = '\0';
	return live_store_room_by_code(db, a, app->event_id, up, r);
}

enum app_err
live_room_for_session(struct app *app, struct db *db, struct arena *a, int64_t session_id,
		      struct live_room *r)
{
	if (session_id <= 0)
		return E_NOTFOUND;
	return live_store_room_by_session(db, a, app->event_id, session_id, r);
}

enum app_err
live_rooms(struct app *app, struct db *db, struct arena *a, struct live_room **out, size_t *n)
{
	return live_store_rooms(db, a, app->event_id, out, n);
}

/* Append one question as JSON, for a moderator (asker always named) or for
 * everyone else (an anonymous asker is null). */
static void
json_question(struct buf *b, const struct live_question_row *r, int moderator)
{
	const struct live_question *q = &r->q;

	buf_addf(b, "{\"id\":%" PRId64 ",\"body\":", q->id);
	buf_add_json_str(b, q->body, strlen(q->body));
	buf_adds(b, ",\"asker\":");
	if (q->asker && (moderator || !q->anonymous))
		buf_add_json_str(b, q->asker, strlen(q->asker));
	else
		buf_adds(b, "null");
	buf_addf(b, ",\"anonymous\":%d,\"state\":\"%s\",\"answered\":%d,\"pinned\":%d,"
		 "\"votes\":%" PRId64 "}", q->anonymous ? 1 : 0,
		 strcmp(q->state, "pending") == 0 ? "pending" : "visible",
		 q->answered ? 1 : 0, q->pinned ? 1 : 0, q->votes);
}

/* Append one SSE event (id 0: none) with data from b2. */
static void
sse_event(struct buf *out, int64_t id, const char *event, const struct buf *data)
{
	if (id > 0)
		buf_addf(out, "id: %" PRId64 "\n", id);
	buf_addf(out, "event: %s\ndata: %s\n\n", event, data->data);
}

/* Render question row r for one audience into event name and JSON: a
 * hidden question (and a pending one, for everyone but moderators) is a
 * "remove" carrying only its id. */
static const char *
question_event(struct buf *data, const struct live_question_row *r, int moderator)
{
	const char *state = r->q.state;

	if (strcmp(state, "hidden") == 0 || (!moderator && strcmp(state, "visible") != 0)) {
		buf_addf(data, "{\"id\":%" PRId64 "}", r->q.id);
		return "remove";
	}
	json_question(data, r, moderator);
	return "question";
}

/* Record a change of room_id (kind and the id of what changed) in
 * live_events, inside the caller's transaction, and tell the other
 * instances, whose notification goes out only if that transaction commits.
 * *ev is the event's id, for publishing after COMMIT and for replay. */
static enum app_err
event_record(struct db *db, int64_t room_id, const char *kind, int64_t ref_id, int64_t *ev)
{
	enum app_err rc = live_store_event_add(db, room_id, kind, ref_id, now_unix(), ev);

	if (rc == E_OK)
		rc = live_share_event(db, room_id, kind, ref_id, *ev);
	return rc;
}

/* How a change reads for one audience (moderator or not): into data, the
 * event's name, or NULL when there is nothing to send. */
typedef const char *(*render_fn)(struct db *db, struct arena *a, struct buf *data,
				 int64_t room_id, int64_t id, int moderator);

/* Publish what render makes of id (as it is now) to both of room_id's
 * audiences, as live event event_id. */
static void
publish_both(struct app *app, struct db *db, int64_t room_id, int64_t id, int64_t event_id,
	     render_fn render)
{
	struct arena	*a = arena_new(1u << 20);
	struct buf	 data;
	char		 topic[LIVE_TOPIC_MAX];
	const char	*ev;
	int		 mod;

	buf_init(&data, 64u << 10);
	for (mod = 0; mod < 2; mod++) {
		buf_reset(&data);
		ev = render(db, a, &data, room_id, id, mod);
		live_topic(topic, sizeof(topic), room_id, mod);
		if (ev && !data.toobig)
			live_publish(app->live, topic, event_id, ev, data.data, data.len);
	}
	buf_release(&data);
	arena_free(a);
}

/* render_fn of a question: question_event of it as it is now. */
static const char *
question_render(struct db *db, struct arena *a, struct buf *data, int64_t room_id, int64_t qid,
		int moderator)
{
	struct live_question_row r;

	if (live_store_q_get(db, a, room_id, qid, 0, &r) != E_OK)
		return NULL;
	return question_event(data, &r, moderator);
}

/* Publish question qid of room (as it is now) to both audiences.  Other
 * instances do the same when live_share.c hears of it (live_republish). */
static void
publish_question(struct app *app, struct db *db, int64_t room_id, int64_t qid, int64_t event_id)
{
	publish_both(app, db, room_id, qid, event_id, question_render);
}

/* Append a poll's state event JSON. */
static void
json_poll(struct buf *b, const struct live_poll *p, int64_t current)
{
	buf_addf(b, "{\"id\":%" PRId64 ",\"kind\":\"%s\",\"state\":\"%s\",\"revealed\":%d,"
		 "\"current\":%d,\"question\":", p->id, live_kind_name(p->kind), p->state,
		 p->revealed ? 1 : 0, p->id == current);
	buf_add_json_str(b, p->question, strlen(p->question));
	buf_adds(b, "}");
}

/* Append a tally event JSON as the viewer may see it. */
static void
json_tally(struct buf *b, const struct live_poll *p, const struct live_tally *t)
{
	size_t	i;
	int	k;

	buf_addf(b, "{\"poll\":%" PRId64 ",\"total\":%" PRId64, p->id, t->total);
	if (!t->visible) {
		buf_adds(b, ",\"hidden\":1}");
		return;
	}
	buf_adds(b, ",\"counts\":[");
	for (k = 0; k < p->noptions; k++)
		buf_addf(b, "%s%" PRId64, k ? "," : "", t->counts[k]);
	buf_addf(b, "],\"average\":%.2f,\"words\":[", t->average);
	for (i = 0; i < t->nwords; i++) {
		buf_adds(b, i ? ",{\"w\":" : "{\"w\":");
		buf_add_json_str(b, t->words[i].word, strlen(t->words[i].word));
		buf_addf(b, ",\"n\":%" PRId64 "}", t->words[i].n);
	}
	buf_adds(b, "]}");
}

/* Publish a poll's state change to both audiences, and (touch) mark its
 * tally: not for another instance's change, whose tally that instance
 * shares itself. */
static void
publish_poll(struct app *app, struct db *db, int64_t room_id, int64_t poll_id, int64_t event_id,
	     int touch)
{
	struct arena	*a = arena_new(1u << 20);
	struct live_poll p;
	struct live_room r;
	struct buf	 data;
	char		 topic[LIVE_TOPIC_MAX];
	int		 mod;

	buf_init(&data, 64u << 10);
	if (live_store_poll_get(db, a, room_id, poll_id, &p) == E_OK &&
	    live_store_room_get(db, a, app->event_id, room_id, &r) == E_OK) {
		json_poll(&data, &p, r.current_poll_id);
		for (mod = 0; mod < 2; mod++) {
			live_topic(topic, sizeof(topic), room_id, mod);
			live_publish(app->live, topic, event_id, "poll", data.data, data.len);
		}
	}
	snprintf(topic, sizeof(topic), "poll:%" PRId64 ":%" PRId64, room_id, poll_id);
	if (touch)
		live_touch(app->live, topic);
	buf_release(&data);
	arena_free(a);
}

enum app_err
live_set_approval(struct app *app, struct db *db, const struct person *who, int64_t room_id,
		  int on)
{
	struct arena	*a = arena_new(1u << 16);
	struct live_room r;
	enum app_err	 rc;

	if (!live_can_moderate(who))
		rc = E_FORBIDDEN;
	else if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) == E_OK)
		rc = live_store_room_approval(db, room_id, on);
	arena_free(a);
	return rc;
}

enum app_err
live_ask(struct app *app, struct db *db, const struct person *who, int64_t room_id,
	 const char *body, int anonymous, int64_t *id, const char **why)
{
	struct arena	*a = arena_new(1u << 16);
	struct live_room r;
	char		*text;
	size_t		 n;
	int64_t		 ev = 0;
	const char	*state;
	enum app_err	 rc;

	*why = NULL;
	if (!member(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		goto out;
	text = trimmed(a, body, &n);
	rc = E_INVALID;
	if (!text || n == 0) {
		*why = "write a question first";
		goto out;
	}
	if (n > LIVE_QUESTION_MAX) {
		*why = "the question is too long (500 characters at most)";
		goto out;
	}
	state = r.need_approval && !live_can_moderate(who) ? "pending" : "visible";
	if (db_begin(db) < 0) {
		rc = E_INTERNAL;
		goto out;
	}
	rc = live_store_q_add(db, room_id, who->id, text, anonymous, state, now_unix(), id);
	if (rc == E_OK)
		rc = event_record(db, room_id, "question", *id, &ev);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		goto out;
	}
	publish_question(app, db, room_id, *id, ev);	/* only after COMMIT */
out:
	arena_free(a);
	return rc;
}

enum app_err
live_upvote(struct app *app, struct db *db, const struct person *who, int64_t room_id,
	    int64_t question_id)
{
	struct arena			*a = arena_new(1u << 16);
	struct live_question_row	 r;
	char				 key[LIVE_TOPIC_MAX];
	int				 added = 0;
	enum app_err			 rc;

	if (!member(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	rc = live_store_q_get(db, a, room_id, question_id, who->id, &r);
	if (rc == E_OK && strcmp(r.q.state, "visible") != 0)
		rc = E_NOTFOUND;
	if (rc == E_OK)
		rc = live_store_upvote(db, question_id, who->id, &added);
	if (rc == E_OK && added) {
		snprintf(key, sizeof(key), "q:%" PRId64 ":%" PRId64, room_id, question_id);
		live_touch(app->live, key);	/* counts come in bursts: coalesced */
	}
out:
	arena_free(a);
	return rc;
}

enum app_err
live_moderate(struct app *app, struct db *db, const struct person *who, int64_t room_id,
	      int64_t question_id, const char *action)
{
	struct arena			*a = arena_new(1u << 16);
	struct live_question_row	 r;
	int64_t				 ev = 0;
	enum app_err			 rc;

	if (!live_can_moderate(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	rc = live_store_q_get(db, a, room_id, question_id, 0, &r);
	if (rc == E_OK && strcmp(r.q.state, "hidden") == 0)
		rc = E_NOTFOUND;
	if (rc != E_OK)
		goto out;
	if (db_begin(db) < 0) {
		rc = E_INTERNAL;
		goto out;
	}
	if (str_eq(action, "approve"))
		rc = live_store_q_state(db, question_id, "visible");
	else if (str_eq(action, "hide"))
		rc = live_store_q_state(db, question_id, "hidden");
	else if (str_eq(action, "answer") || str_eq(action, "unanswer"))
		rc = live_store_q_answered(db, question_id, str_eq(action, "answer"));
	else if (str_eq(action, "pin") || str_eq(action, "unpin"))
		rc = live_store_q_pinned(db, question_id, str_eq(action, "pin"));
	else
		rc = E_INVALID;
	if (rc == E_OK)
		rc = event_record(db, room_id, "question", question_id, &ev);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		goto out;
	}
	publish_question(app, db, room_id, question_id, ev);
out:
	arena_free(a);
	return rc;
}

enum app_err
live_questions(struct app *app, struct db *db, struct arena *a, const struct person *who,
	       int64_t room_id, int by_new, int pending_only, struct live_question **out,
	       size_t *n)
{
	struct live_question_row	*rows;
	struct live_room		 r;
	int				 mod = live_can_moderate(who);
	size_t				 i;
	enum app_err			 rc;

	*n = 0;
	*out = NULL;
	if (!member(who) || (pending_only && !mod))
		return E_FORBIDDEN;
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		return rc;
	rc = live_store_q_list(db, a, room_id, who->id, mod, pending_only, by_new, &rows, n);
	if (rc != E_OK)
		return rc;
	*out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
	if (!*out)
		return E_INTERNAL;
	for (i = 0; i < *n; i++) {
		struct live_question *q = &(*out)[i];

		*q = rows[i].q;
		q->mine = rows[i].person_id == who->id;
		if (q->anonymous && !mod)
			q->asker = NULL;	/* the asker sees "you" from q->mine */
	}
	return E_OK;
}

void
live_json_questions(struct buf *b, const struct live_question *q, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_addf(b, "%s{\"id\":%" PRId64 ",\"body\":", i ? "," : "", q[i].id);
		buf_add_json_str(b, q[i].body, strlen(q[i].body));
		buf_adds(b, ",\"asker\":");
		if (q[i].asker)
			buf_add_json_str(b, q[i].asker, strlen(q[i].asker));
		else
			buf_adds(b, "null");
		buf_addf(b, ",\"mine\":%s,\"state\":\"%s\",\"answered\":%d,\"pinned\":%d,"
			 "\"votes\":%" PRId64 ",\"voted\":%s}", q[i].mine ? "true" : "false",
			 q[i].state, q[i].answered ? 1 : 0, q[i].pinned ? 1 : 0, q[i].votes,
			 q[i].voted ? "true" : "false");
	}
	buf_addc(b, ']');
}

/* Split a textarea of choices into lines: trimmed, blank lines dropped,
 * joined by "\n" into *out (arena).  Returns the count, or -1 for a
 * choice that is too long. */
static int
split_options(struct arena *a, const char *text, char **out)
{
	struct buf	 b;
	const char	*p = text ? text : "";
	int		 count = 0;

	buf_init(&b, 8192);
	while (*p) {
		size_t		 len = strcspn(p, "\r\n");
		const char	*s = p;
		size_t		 n = len;

		p += len;
		while (*p == '\r' || *p == '\n')
			p++;
		str_trim(&s, &n);
		if (!n)
			continue;
		if (n > LIVE_OPTION_MAX) {
			count = -1;
			break;
		}
		if (count)
			buf_addc(&b, '\n');
		buf_add(&b, s, n);
		count++;
	}
	*out = arena_strdup(a, b.data);
	buf_release(&b);
	return count;
}

enum app_err
live_poll_add(struct app *app, struct db *db, const struct person *who, int64_t room_id,
	      const char *kind, const char *question, const char *options, int64_t *id,
	      const char **why)
{
	struct arena		*a = arena_new(1u << 16);
	struct live_room	 r;
	enum live_poll_kind	 k;
	char			*q, *opts = NULL;
	size_t			 n;
	int			 count = 0;
	enum app_err		 rc;

	*why = NULL;
	if (!live_can_moderate(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		goto out;
	rc = E_INVALID;
	if (live_kind_from_name(kind, &k) < 0) {
		*why = "choose a kind of poll";
		goto out;
	}
	q = trimmed(a, question, &n);
	if (!q || n == 0) {
		*why = "write the poll's question";
		goto out;
	}
	if (n > LIVE_POLL_Q_MAX) {
		*why = "the question is too long (300 characters at most)";
		goto out;
	}
	if (k == LIVE_SINGLE || k == LIVE_MULTI) {
		count = split_options(a, options, &opts);
		if (count < 0 || !opts) {
			*why = "a choice is too long (100 characters at most)";
			goto out;
		}
		if (count < 2 || count > LIVE_OPTIONS_MAX) {
			*why = "give between 2 and 12 choices, one per line";
			goto out;
		}
	}
	rc = live_store_poll_add(db, room_id, live_kind_name(k), q, opts ? opts : "",
				 now_unix(), id);
	if (rc == E_OK)
		poll_forget(*id);	/* a cached poll of another database (tests) */
out:
	arena_free(a);
	return rc;
}

enum app_err
live_poll_action(struct app *app, struct db *db, const struct person *who, int64_t room_id,
		 int64_t poll_id, const char *action)
{
	struct arena	*a = arena_new(1u << 16);
	struct live_poll p;
	int64_t		 ev = 0;
	enum app_err	 rc;

	if (!live_can_moderate(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	if ((rc = live_store_poll_get(db, a, room_id, poll_id, &p)) != E_OK)
		goto out;
	if (db_begin(db) < 0) {
		rc = E_INTERNAL;
		goto out;
	}
	if (str_eq(action, "open")) {
		rc = live_store_poll_state(db, poll_id, "draft", "open");
		if (rc == E_OK)
			rc = live_store_room_current(db, room_id, poll_id);
	} else if (str_eq(action, "close")) {
		rc = live_store_poll_state(db, poll_id, "open", "closed");
	} else if (str_eq(action, "reveal") || str_eq(action, "conceal")) {
		rc = live_store_poll_revealed(db, poll_id, str_eq(action, "reveal"));
	} else if (str_eq(action, "show")) {
		rc = live_store_room_current(db, room_id, poll_id);
	} else {
		rc = E_INVALID;
	}
	if (rc == E_OK)
		rc = event_record(db, room_id, "poll", poll_id, &ev);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		goto out;
	}
	poll_forget(poll_id);	/* votes read its state afresh */
	publish_poll(app, db, room_id, poll_id, ev, 1);
out:
	arena_free(a);
	return rc;
}

enum app_err
live_poll_next(struct app *app, struct db *db, const struct person *who, int64_t room_id)
{
	struct arena	*a = arena_new(1u << 20);
	struct live_room r;
	struct live_poll *polls;
	size_t		 n, i, next = 0;
	enum app_err	 rc;

	if (!live_can_moderate(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK ||
	    (rc = live_store_polls(db, a, room_id, &polls, &n)) != E_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (polls[i].id == r.current_poll_id) {
			next = i + 1;
			if (strcmp(polls[i].state, "open") == 0 &&
			    (rc = live_poll_action(app, db, who, room_id, polls[i].id, "close")) != E_OK)
				goto out;
		}
	if (next >= n) {
		rc = E_NOTFOUND;
		goto out;
	}
	rc = live_poll_action(app, db, who, room_id, polls[next].id,
			      strcmp(polls[next].state, "draft") == 0 ? "open" : "show");
out:
	arena_free(a);
	return rc;
}

enum app_err
live_poll_get(struct app *app, struct db *db, struct arena *a, int64_t room_id,
	      int64_t poll_id, struct live_poll *p)
{
	struct live_room r;
	enum app_err	 rc;

	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		return rc;
	return live_store_poll_get(db, a, room_id, poll_id, p);
}

enum app_err
live_polls(struct app *app, struct db *db, struct arena *a, int64_t room_id,
	   struct live_poll **out, size_t *n)
{
	struct live_room r;
	enum app_err	 rc;

	*n = 0;
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		return rc;
	return live_store_polls(db, a, room_id, out, n);
}

/* Votes: one writer thread and group commit.
 *
 * A durable COMMIT costs an fsync, so committing each vote alone caps the
 * rate at the disk's fsyncs per second.  A vote is checked by the thread
 * that casts it (rules, against the poll's cached shape) and queued as a
 * ballot; one writer thread owning its own connection takes everything
 * queued, writes it in one transaction and completes each ballot only
 * after the COMMIT: a vote is acknowledged once it is durable.  While a
 * batch commits, the next one gathers, so batches grow with the load and
 * no voting thread ever hands a commit to another.
 *
 * The writer runs only for the app whose connection pool it was started
 * with (the server's); anything else (the store tests) writes on the
 * caller's connection, one ballot at a time. */
#define BATCH_MAX	1024	/* ballots in one transaction */
#define POLLS_CACHED	256	/* direct-mapped by poll id */

struct ballot {
	int64_t		 room_id, poll_id, person_id, choices, now;
	int		 value;
	enum app_err	 rc;
	void		(*done)(void *arg, enum app_err rc);
	void		*arg;
	struct ballot	*next;
	char		 key[LIVE_WORD_MAX * 4 + 1];
	char		 text[];	/* trimmed; "" when none */
};

static struct {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;		/* the writer waits here for ballots */
	struct ballot	*head, **tail;
	struct app	*app;		/* whose pool the writer writes through */
	pthread_t	 thread;
	int		 running, waiting, stop;
} votes = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, &votes.head,
	    NULL, 0, 0, 0, 0 };

/* What a vote needs to know about a poll.  Kind and choices never change
 * and a closed poll never opens again, so an open or closed poll is cached
 * (drafts are not: another instance may open one).  A poll cached open
 * that another instance closed is caught by the ballot's own INSERT (WHERE
 * the poll is open), so a late vote is E_CLOSED either way. */
struct poll_shape {
	int64_t			 id, room_id;
	enum live_poll_kind	 kind;
	int			 noptions;
	int			 open;
};

static pthread_mutex_t		 polls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct poll_shape	 polls_cached[POLLS_CACHED];

/* Forget poll id (this process changed it, or made it anew). */
static void
poll_forget(int64_t id)
{
	struct poll_shape *s = &polls_cached[(uint64_t)id % POLLS_CACHED];

	pthread_mutex_lock(&polls_lock);
	if (s->id == id)
		s->id = 0;
	pthread_mutex_unlock(&polls_lock);
}

/* The shape of poll id in room room_id: from the cache, else read (and
 * cached unless a draft). */
static enum app_err
poll_shape(struct db *db, int64_t room_id, int64_t id, struct poll_shape *out)
{
	struct poll_shape	*s = &polls_cached[(uint64_t)id % POLLS_CACHED];
	struct arena		*a;
	struct live_poll	 p;
	enum app_err		 rc;

	pthread_mutex_lock(&polls_lock);
	if (id > 0 && s->id == id && s->room_id == room_id) {
		*out = *s;
		pthread_mutex_unlock(&polls_lock);
		return E_OK;
	}
	pthread_mutex_unlock(&polls_lock);
	a = arena_new(1u << 16);
	rc = live_store_poll_get(db, a, room_id, id, &p);
	if (rc == E_OK) {
		*out = (struct poll_shape){ .id = id, .room_id = room_id, .kind = p.kind,
			.noptions = p.noptions, .open = strcmp(p.state, "open") == 0 };
		if (strcmp(p.state, "draft") != 0) {
			pthread_mutex_lock(&polls_lock);
			*s = *out;
			pthread_mutex_unlock(&polls_lock);
		}
	}
	arena_free(a);
	return rc;
}

/* Insert ballot b on its own. */
static void
ballot_insert(struct db *db, struct ballot *b)
{
	b->rc = live_store_vote(db, b->poll_id, b->person_id, b->choices, b->value, b->text,
				b->key, b->now);
}

/* Insert from b on: LIVE_VOTES_ROWS ballots in one statement when the next
 * ones are of one poll by as many different people, else b alone.
 * Returns the first ballot not written. */
static struct ballot *
ballots_insert(struct db *db, struct ballot *b)
{
	struct live_vote_row	 rows[LIVE_VOTES_ROWS];
	struct ballot		*c;
	enum app_err		 rc;
	int			 n = 0, i;

	for (c = b; c && n < LIVE_VOTES_ROWS && c->poll_id == b->poll_id; c = c->next) {
		for (i = 0; i < n && rows[i].person_id != c->person_id; i++)
			;
		if (i < n)
			break;	/* a second vote by one person: it must follow the first */
		rows[n++] = (struct live_vote_row){ .poll_id = c->poll_id,
			.person_id = c->person_id, .choices = c->choices, .now = c->now,
			.value = c->value, .text = c->text, .word_key = c->key };
	}
	if (n < LIVE_VOTES_ROWS) {
		ballot_insert(db, b);
		return b->next;
	}
	rc = live_store_votes(db, rows);
	for (c = b, i = 0; i < n; i++, c = c->next)
		c->rc = rc;
	return c;
}

/* Write a batch: one transaction; if a statement fails (the transaction is
 * then dead), each ballot again on its own.  Sets every ->rc. */
static void
ballots_write(struct db *db, struct ballot *batch)
{
	struct ballot	*b, *next;
	enum app_err	 rc = E_OK;

	if (!batch->next || db_in_tx(db) || db_begin(db) < 0) {
		for (b = batch; b; b = b->next)
			ballot_insert(db, b);
		return;
	}
	for (b = batch; b && rc == E_OK; ) {
		next = ballots_insert(db, b);
		for (; b != next; b = b->next)
			if (b->rc != E_OK && b->rc != E_CLOSED)
				rc = b->rc;
	}
	if (rc == E_OK && db_commit(db) == 0)
		return;
	db_rollback(db);
	for (b = batch; b; b = b->next)
		ballot_insert(db, b);
}

/* After the COMMIT: mark each poll's tally dirty (once per run of ballots
 * for the same poll; the hub coalesces the rest), then complete and free
 * every ballot. */
static void
ballots_done(struct app *app, struct ballot *batch)
{
	struct ballot	*b, *next;
	int64_t		 last = 0;
	char		 key[LIVE_TOPIC_MAX];

	for (b = batch; b; b = b->next)
		if (b->rc == E_OK && b->poll_id != last) {
			last = b->poll_id;
			snprintf(key, sizeof(key), "poll:%" PRId64 ":%" PRId64, b->room_id, b->poll_id);
			live_touch(app->live, key);
		}
	for (b = batch; b; b = next) {
		next = b->next;
		b->done(b->arg, b->rc);
		free(b);
	}
}

/* The writer thread: take what is queued (up to BATCH_MAX), write it in
 * one transaction, complete it; until stopped and drained. */
static void *
votes_run(void *arg)
{
	struct app	*app = arg;
	struct db	*db = NULL;
	struct ballot	*batch, *b;
	size_t		 n;

	pthread_setname_np(pthread_self(), "vote-writer");	/* for top and perf */
	pthread_mutex_lock(&votes.lock);
	for (;;) {
		while (!votes.head && !votes.stop) {
			votes.waiting = 1;
			pthread_cond_wait(&votes.cond, &votes.lock);
			votes.waiting = 0;
		}
		if (!votes.head)
			break;
		batch = votes.head;
		for (b = batch, n = 1; b->next && n < BATCH_MAX; b = b->next)
			n++;
		votes.head = b->next;
		if (!votes.head)
			votes.tail = &votes.head;
		b->next = NULL;
		pthread_mutex_unlock(&votes.lock);
		if (!db)
			db = db_pool_get(app->dbs);	/* logged if it fails; tried again next batch */
		if (db) {
			ballots_write(db, batch);
		} else {
			for (b = batch; b; b = b->next)
				b->rc = E_INTERNAL;
		}
		ballots_done(app, batch);
		pthread_mutex_lock(&votes.lock);
	}
	pthread_mutex_unlock(&votes.lock);
	return NULL;
}

/* Queue b for app's writer (starting it on first use).  0, or -1 when
 * this app has no writer (no pool, another app's, or stopping). */
static int
votes_queue(struct app *app, struct ballot *b)
{
	int ok = 0;

	if (!app->dbs)
		return -1;
	pthread_mutex_lock(&votes.lock);
	if (!votes.app && !votes.stop) {
		votes.app = app;
		if (pthread_create(&votes.thread, NULL, votes_run, app) == 0)
			votes.running = 1;
		else
			error("cannot start the vote writer");
	}
	if (votes.running && votes.app == app && !votes.stop) {
		b->next = NULL;
		*votes.tail = b;
		votes.tail = &b->next;
		if (votes.waiting)
			pthread_cond_signal(&votes.cond);
		ok = 1;
	}
	pthread_mutex_unlock(&votes.lock);
	return ok ? 0 : -1;
}

void
live_votes_stop(void)
{
	int running;

	pthread_mutex_lock(&votes.lock);
	votes.stop = 1;
	running = votes.running;
	votes.running = 0;
	pthread_cond_signal(&votes.cond);
	pthread_mutex_unlock(&votes.lock);
	if (running)
		pthread_join(votes.thread, NULL);	/* it drains the queue first */
	pthread_mutex_lock(&votes.lock);
	votes.app = NULL;
	votes.stop = 0;
	pthread_mutex_unlock(&votes.lock);
}

/* Check a vote against the rules and make its ballot (malloc'd), or say
 * why not. */
static enum app_err
ballot_new(struct db *db, const struct person *who, int64_t room_id, int64_t poll_id,
	   int64_t choices, int value, const char *text, const char **why, struct ballot **out)
{
	struct poll_shape	 p;
	struct ballot		*b;
	const char		*t = text ? text : "";
	size_t			 n = strlen(t);
	int64_t			 all;
	enum app_err		 rc;

	*why = NULL;
	*out = NULL;
	if (!member(who))
		return E_FORBIDDEN;
	if ((rc = poll_shape(db, room_id, poll_id, &p)) != E_OK)
		return rc;
	if (!p.open)
		return E_CLOSED;
	all = ((int64_t)1 << p.noptions) - 1;
	switch (p.kind) {
	case LIVE_SINGLE:
		if (choices <= 0 || (choices & ~all) || (choices & (choices - 1))) {
			*why = "choose one answer";
			return E_INVALID;
		}
		value = 0;
		n = 0;
		break;
	case LIVE_MULTI:
		if (choices <= 0 || (choices & ~all)) {
			*why = "choose at least one answer";
			return E_INVALID;
		}
		value = 0;
		n = 0;
		break;
	case LIVE_SCALE:
		if (value < 1 || value > 5) {
			*why = "choose a value from 1 to 5";
			return E_INVALID;
		}
		choices = 0;
		n = 0;
		break;
	case LIVE_WORDS:
	case LIVE_TEXT:
		str_trim(&t, &n);
		if (n == 0) {
			*why = p.kind == LIVE_WORDS ? "write a word or two" : "write an answer";
			return E_INVALID;
		}
		if (p.kind == LIVE_WORDS && (n > LIVE_WORD_MAX || utf8_has_controls(t, n, 1))) {
			*why = "a word-cloud answer is short: 40 characters at most, one line";
			return E_INVALID;
		}
		if (n > LIVE_TEXT_MAX) {
			*why = "the answer is too long (500 characters at most)";
			return E_INVALID;
		}
		choices = 0;
		value = 0;
		break;
	}
	b = xmalloc(sizeof(*b) + n + 1);
	*b = (struct ballot){ .room_id = room_id, .poll_id = poll_id, .person_id = who->id,
		.choices = choices, .value = value, .now = now_unix() };
	memcpy(b->text, t, n);
	b->text[n] = '\0';
	if (p.kind == LIVE_WORDS)
		live_word_key(b->text, b->key, sizeof(b->key));
	*out = b;
	return E_OK;
}

enum app_err
live_vote_submit(struct app *app, struct db *db, const struct person *who, int64_t room_id,
		 int64_t poll_id, int64_t choices, int value, const char *text, const char **why,
		 void (*done)(void *arg, enum app_err rc), void *arg)
{
	struct ballot	*b;
	enum app_err	 rc;

	rc = ballot_new(db, who, room_id, poll_id, choices, value, text, why, &b);
	if (rc != E_OK)
		return rc;
	b->done = done;
	b->arg = arg;
	if (votes_queue(app, b) == 0)
		return E_OK;
	ballots_write(db, b);	/* no writer: on the caller's connection */
	ballots_done(app, b);
	return E_OK;
}

/* live_vote's completion: hand the result to the waiting thread. */
struct vote_wait {
	sem_t		 sem;
	enum app_err	 rc;
};

static void
vote_woken(void *arg, enum app_err rc)
{
	struct vote_wait *w = arg;

	w->rc = rc;
	sem_post(&w->sem);
}

enum app_err
live_vote(struct app *app, struct db *db, const struct person *who, int64_t room_id,
	  int64_t poll_id, int64_t choices, int value, const char *text, const char **why)
{
	struct vote_wait	 w;
	enum app_err		 rc;

	sem_init(&w.sem, 0, 0);
	rc = live_vote_submit(app, db, who, room_id, poll_id, choices, value, text, why,
			      vote_woken, &w);
	if (rc == E_OK) {
		while (sem_wait(&w.sem) < 0 && errno == EINTR)
			;
		rc = w.rc;
	}
	sem_destroy(&w.sem);
	return rc;
}

enum app_err
live_tally(struct app *app, struct db *db, struct arena *a, const struct person *who,
	   const struct live_poll *p, struct live_tally *t)
{
	struct live_ballot_row	*rows;
	size_t			 n, i;
	int64_t			 sum = 0;
	int			 k;
	enum app_err		 rc;

	(void)app;
	memset(t, 0, sizeof(*t));
	t->visible = p->revealed || live_can_moderate(who);
	if ((rc = live_store_ballots(db, a, p->id, &rows, &n)) != E_OK)
		return rc;
	t->total = (int64_t)n;
	for (i = 0; i < n; i++) {
		if (p->kind == LIVE_SCALE && rows[i].value >= 1 && rows[i].value <= 5) {
			t->counts[rows[i].value - 1]++;
			sum += rows[i].value;
			continue;
		}
		for (k = 0; k < p->noptions; k++)
			if (rows[i].choices & ((int64_t)1 << k))
				t->counts[k]++;
	}
	if (p->kind == LIVE_SCALE && n)
		t->average = (double)sum / (double)n;
	if (p->kind == LIVE_WORDS)
		rc = live_store_words(db, a, p->id, WORDS_SHOWN, &t->words, &t->nwords);
	else if (p->kind == LIVE_TEXT)
		rc = live_store_texts(db, a, p->id, TEXTS_SHOWN, &t->words, &t->nwords);
	if (rc != E_OK)
		return rc;
	if (!t->visible) {
		memset(t->counts, 0, sizeof(t->counts));
		t->average = 0;
		t->words = NULL;
		t->nwords = 0;
	}
	if (who) {
		rc = live_store_my_ballot(db, a, p->id, who->id, &t->my_choices, &t->my_value,
					  &t->my_text);
		t->voted = rc == E_OK;
		if (rc == E_NOTFOUND)
			rc = E_OK;
	}
	return rc;
}

/* The wall.  A card's JSON for one audience: the entry's id, its question
 * and answer and the author's partnership; moderators also get its state.
 * No person is ever in it. */
static void
json_card(struct buf *b, const struct live_wall_card *c, int moderator)
{
	buf_addf(b, "{\"id\":%" PRId64 ",\"question\":%" PRId64 ",\"answer\":", c->id,
		 c->question_id);
	buf_add_json_str(b, c->answer, strlen(c->answer));
	buf_adds(b, ",\"partnership\":");
	if (c->partnership)
		buf_add_json_str(b, c->partnership, strlen(c->partnership));
	else
		buf_adds(b, "null");
	if (moderator)
		buf_addf(b, ",\"state\":\"%s\"", c->state);
	buf_adds(b, "}");
}

void
live_json_wall(struct buf *b, const struct live_wall_card *c, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		json_card(b, &c[i], 0);
	}
	buf_addc(b, ']');
}

/* Render wall entry id for one audience into data: "wall" with the card
 * (everyone: approved ones only; moderators: any state), else "unwall"
 * with only its id (not approved, or gone with its answer or feed). */
static const char *
wall_event(struct db *db, struct arena *a, struct buf *data, int64_t room_id, int64_t id,
	   int moderator)
{
	struct live_wall_card c;

	if (live_store_wall_get(db, a, room_id, id, &c) == E_OK &&
	    (moderator || strcmp(c.state, "approved") == 0)) {
		json_card(data, &c, moderator);
		return "wall";
	}
	buf_addf(data, "{\"id\":%" PRId64 "}", id);
	return "unwall";
}

/* The screen event: what the presenter shows, and whether there is a wall. */
static void
json_screen(struct buf *b, const struct live_room *r)
{
	buf_addf(b, "{\"room\":%" PRId64 ",\"mode\":\"%s\",\"feeds\":%" PRId64 "}", r->id,
		 r->wall_screen ? "wall" : "main", r->wall_feeds);
}

/* Publish wall entry id (event_id from live_events) to both audiences. */
static void
publish_wall(struct app *app, struct db *db, int64_t room_id, int64_t id, int64_t event_id)
{
	publish_both(app, db, room_id, id, event_id, wall_event);
}

/* Publish the room's screen state to both audiences. */
static void
publish_screen(struct app *app, struct db *db, int64_t room_id, int64_t event_id)
{
	struct arena	*a = arena_new(1u << 16);
	struct live_room r;
	struct buf	 data;
	char		 topic[LIVE_TOPIC_MAX];
	int		 mod;

	buf_init(&data, 4096);
	if (live_store_room_get(db, a, app->event_id, room_id, &r) == E_OK) {
		json_screen(&data, &r);
		for (mod = 0; mod < 2; mod++) {
			live_topic(topic, sizeof(topic), room_id, mod);
			live_publish(app->live, topic, event_id, "screen", data.data, data.len);
		}
	}
	buf_release(&data);
	arena_free(a);
}

/* Finish the transaction the caller opened for a room-wide change (rc
 * is how the change went): record a "screen" event in it, commit, and
 * publish only after COMMIT; roll back on any error. */
static enum app_err
screen_change(struct app *app, struct db *db, int64_t room_id, enum app_err rc)
{
	int64_t ev = 0;

	if (rc == E_OK)
		rc = event_record(db, room_id, "screen", room_id, &ev);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		return rc;
	}
	publish_screen(app, db, room_id, ev);	/* only after COMMIT */
	return E_OK;
}

enum app_err
live_wall_feeds(struct app *app, struct db *db, struct arena *a, const struct person *who,
		int64_t room_id, struct live_wall_feed **out, size_t *n)
{
	struct live_room	 r;
	struct question_set	 s;
	int64_t			*fed;
	size_t			 nfed, i, j;
	enum app_err		 rc;

	*n = 0;
	*out = NULL;
	if (!live_can_moderate(who))
		return E_FORBIDDEN;
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK ||
	    (rc = survey_load(app, db, a, "pre", 0, &s)) != E_OK ||
	    (rc = live_store_wall_fed(db, a, room_id, &fed, &nfed)) != E_OK)
		return rc;
	*out = arena_alloc(a, (s.nq ? s.nq : 1) * sizeof(**out));
	if (!*out)
		return E_INTERNAL;
	for (i = 0; i < s.nq; i++) {
		struct live_wall_feed *f;

		if (s.q[i].kind != Q_TEXT && s.q[i].kind != Q_LONG)
			continue;	/* choices and scales are counts, not words for a wall */
		f = &(*out)[(*n)++];
		f->question_id = s.q[i].id;
		f->prompt = s.q[i].prompt;
		f->fed = 0;
		for (j = 0; j < nfed; j++)
			f->fed |= fed[j] == s.q[i].id;
	}
	return E_OK;
}

enum app_err
live_wall_set_feeds(struct app *app, struct db *db, const struct person *who, int64_t room_id,
		    const int64_t *question_ids, size_t n)
{
	struct arena		*a = arena_new(1u << 20);
	struct live_wall_feed	*feeds;
	size_t			 nfeeds, i, j;
	enum app_err		 rc;

	rc = live_wall_feeds(app, db, a, who, room_id, &feeds, &nfeeds);
	for (i = 0; rc == E_OK && i < n; i++) {
		for (j = 0; j < nfeeds && feeds[j].question_id != question_ids[i]; j++)
			;
		if (j == nfeeds)
			rc = E_INVALID;
	}
	if (rc != E_OK)
		goto out;
	if (db_begin(db) < 0) {
		rc = E_INTERNAL;
		goto out;
	}
	rc = live_store_wall_feed_set(db, room_id, question_ids, n);
	if (rc == E_OK)
		rc = live_store_wall_sync(db, room_id);
	rc = screen_change(app, db, room_id, rc);
out:
	arena_free(a);
	return rc;
}

enum app_err
live_wall_list(struct app *app, struct db *db, struct arena *a, const struct person *who,
	       int64_t room_id, const char *state, size_t max, struct live_wall_card **out,
	       size_t *n, int64_t *total)
{
	struct live_room	 r;
	enum app_err		 rc;

	*n = 0;
	*total = 0;
	*out = NULL;
	if (!member(who))
		return E_FORBIDDEN;
	if (!str_eq(state, "approved") && !str_eq(state, "pending") && !str_eq(state, "rejected"))
		return E_INVALID;
	if (!str_eq(state, "approved") && !live_can_moderate(who))
		return E_FORBIDDEN;	/* only approved answers leave the moderators */
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		return rc;
	if (str_eq(state, "pending") && r.wall_feeds &&
	    (rc = live_store_wall_sync(db, room_id)) != E_OK)
		return rc;
	return live_store_wall_list(db, a, room_id, state, max, out, n, total);
}

enum app_err
live_wall_decide(struct app *app, struct db *db, const struct person *who, int64_t room_id,
		 const int64_t *ids, const int64_t *versions, size_t n, const char *action,
		 size_t *decided)
{
	struct arena		*a = arena_new(1u << 20);
	struct live_wall_card	 c;
	struct live_room	 r;
	int64_t			*evs = NULL;
	const char		*state;
	size_t			 i, skipped = 0;
	enum app_err		 rc;

	if (!live_can_moderate(who)) {
		rc = E_FORBIDDEN;
		goto out;
	}
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		goto out;
	if (str_eq(action, "approve"))
		state = "approved";
	else if (str_eq(action, "reject"))
		state = "rejected";
	else {
		rc = E_INVALID;
		goto out;
	}
	evs = arena_alloc(a, (n ? n : 1) * sizeof(*evs));
	if (!evs || db_begin(db) < 0) {
		rc = E_INTERNAL;
		goto out;
	}
	for (i = 0; rc == E_OK && i < n; i++) {
		evs[i] = 0;
		rc = live_store_wall_get(db, a, room_id, ids[i], &c);
		if (rc == E_OK && versions[i] > 0 && versions[i] != c.version) {
			skipped++;	/* edited since the moderator saw it: not this text */
			continue;
		}
		if (rc == E_OK)
			rc = live_store_wall_decide(db, room_id, ids[i], state, c.answer, now_unix());
		if (rc == E_OK)
			rc = event_record(db, room_id, "wall", ids[i], &evs[i]);
	}
	if (rc == E_OK && n == 1 && skipped)
		rc = E_CONFLICT;
	if (rc == E_OK && decided)
		*decided = n - skipped;
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (evs[i])
			publish_wall(app, db, room_id, ids[i], evs[i]);	/* only after COMMIT */
out:
	arena_free(a);
	return rc;
}

#define WALL_PERSON_MAX	64	/* entries of one person's answers: rooms x fed questions */

void
live_wall_answered(struct app *app, struct db *db, int64_t person_id)
{
	struct arena	*a = arena_new(1u << 16);
	int64_t		*rooms, *ids, *evs;
	size_t		 n = 0, i;
	enum app_err	 rc;

	if (db_begin(db) < 0)
		goto out;
	rc = live_store_wall_sync_person(db, person_id);
	if (rc == E_OK)
		rc = live_store_wall_of_person(db, a, person_id, WALL_PERSON_MAX, &rooms, &ids, &n);
	evs = n ? arena_alloc(a, n * sizeof(*evs)) : NULL;
	if (n && !evs)
		rc = E_INTERNAL;
	for (i = 0; rc == E_OK && i < n; i++)
		rc = event_record(db, rooms[i], "wall", ids[i], &evs[i]);
	if (rc == E_OK)
		rc = live_store_wall_drop_gone(db, person_id);	/* their events say "unwall" */
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK) {
		db_rollback(db);
		error("cannot update the walls after person %" PRId64 " answered", person_id);
		goto out;
	}
	for (i = 0; i < n; i++)
		publish_wall(app, db, rooms[i], ids[i], evs[i]);	/* only after COMMIT */
out:
	arena_free(a);
}

enum app_err
live_person_json(struct app *app, struct db *db, int64_t person_id, struct buf *b)
{
	return live_store_person_json(db, app->event_id, person_id, b);
}

enum app_err
live_set_screen(struct app *app, struct db *db, const struct person *who, int64_t room_id,
		const char *mode)
{
	struct arena	*a = arena_new(1u << 16);
	struct live_room r;
	enum app_err	 rc;

	if (!live_can_moderate(who))
		rc = E_FORBIDDEN;
	else if (!str_eq(mode, "wall") && !str_eq(mode, "main"))
		rc = E_INVALID;
	else if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) == E_OK) {
		if (db_begin(db) < 0)
			rc = E_INTERNAL;
		else
			rc = screen_change(app, db, room_id, live_store_room_screen(db, room_id, mode));
	}
	arena_free(a);
	return rc;
}

enum app_err
live_replay(struct app *app, struct db *db, struct arena *a, const struct person *who,
	    int64_t room_id, int moderators, int64_t since_id, struct buf *out, int64_t *last)
{
	struct live_event_row	*ev;
	struct live_room	 r;
	struct buf		 data;
	const char		*name;
	size_t			 n, i;
	int			 mod = moderators != 0;
	enum app_err		 rc;

	*last = since_id;
	if (!member(who) || (mod && !live_can_moderate(who)))
		return E_FORBIDDEN;
	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		return rc;
	if (since_id < 0)
		return E_OK;	/* no Last-Event-ID: from now on */
	rc = live_store_events(db, a, room_id, since_id, LIVE_REPLAY_MAX, &ev, &n);
	if (rc != E_OK)
		return rc;
	buf_init(&data, 64u << 10);
	for (i = 0; i < n && rc == E_OK; i++) {
		buf_reset(&data);
		*last = ev[i].id;
		if (strcmp(ev[i].kind, "question") == 0) {
			struct live_question_row	 q;

			rc = live_store_q_get(db, a, room_id, ev[i].ref_id, 0, &q);
			if (rc == E_NOTFOUND) {
				rc = E_OK;
				continue;
			}
			if (rc == E_OK) {
				name = question_event(&data, &q, mod);
				sse_event(out, ev[i].id, name, &data);
			}
		} else if (strcmp(ev[i].kind, "wall") == 0) {
			name = wall_event(db, a, &data, room_id, ev[i].ref_id, mod);
			sse_event(out, ev[i].id, name, &data);
		} else if (strcmp(ev[i].kind, "screen") == 0) {
			json_screen(&data, &r);
			sse_event(out, ev[i].id, "screen", &data);
		} else if (strcmp(ev[i].kind, "poll") == 0) {
			struct live_poll p;

			rc = live_store_poll_get(db, a, room_id, ev[i].ref_id, &p);
			if (rc == E_NOTFOUND) {
				rc = E_OK;
				continue;
			}
			if (rc == E_OK) {
				json_poll(&data, &p, r.current_poll_id);
				sse_event(out, ev[i].id, "poll", &data);
			}
		}
	}
	buf_release(&data);
	if (rc == E_OK && n == LIVE_REPLAY_MAX)
		buf_adds(out, "event: reload\ndata: {}\n\n");	/* more than a replay: refetch all */
	return rc;
}

enum app_err
live_snapshot(struct app *app, struct db *db, struct arena *a, const struct person *who,
	      int64_t room_id, int moderators, struct buf *out)
{
	struct live_room	 r;
	struct live_poll	 p;
	struct live_tally	 t;
	struct buf		 data;
	enum app_err		 rc;

	if ((rc = live_store_room_get(db, a, app->event_id, room_id, &r)) != E_OK)
		return rc;
	if (!r.current_poll_id)
		return E_OK;
	rc = live_store_poll_get(db, a, room_id, r.current_poll_id, &p);
	if (moderators && !live_can_moderate(who))
		return E_FORBIDDEN;
	if (rc == E_OK)
		rc = live_tally(app, db, a, moderators ? who : NULL, &p, &t);
	if (rc != E_OK)
		return rc == E_NOTFOUND ? E_OK : rc;
	buf_init(&data, 64u << 10);
	json_tally(&data, &p, &t);
	sse_event(out, 0, "tally", &data);
	buf_release(&data);
	return E_OK;
}

/* Publish the tally of poll p (room room_id) to both audiences. */
static void
flush_poll(struct app *app, struct db *db, struct arena *a, int64_t room_id, int64_t poll_id)
{
	static const struct person	 mod_viewer = { .roles = ROLE_ORGANISER };
	struct live_poll		 p;
	struct live_tally		 t;
	struct buf			 data;
	char				 topic[LIVE_TOPIC_MAX];
	int				 mod;

	if (live_store_poll_get(db, a, room_id, poll_id, &p) != E_OK)
		return;
	buf_init(&data, 64u << 10);
	for (mod = 0; mod < 2; mod++) {
		if (live_tally(app, db, a, mod ? &mod_viewer : NULL, &p, &t) != E_OK)
			break;
		buf_reset(&data);
		json_tally(&data, &p, &t);
		live_topic(topic, sizeof(topic), room_id, mod);
		if (!data.toobig)
			live_publish(app->live, topic, 0, "tally", data.data, data.len);
	}
	buf_release(&data);
}

void
live_flush(struct app *app, const char *key)
{
	struct db	*db = db_pool_get(app->dbs);
	struct arena	*a;
	int64_t		 room_id, id;

	if (!db)
		return;
	a = arena_new(4u << 20);
	if (sscanf(key, "q:%" SCNd64 ":%" SCNd64, &room_id, &id) == 2)
		publish_question(app, db, room_id, id, 0);
	else if (sscanf(key, "poll:%" SCNd64 ":%" SCNd64, &room_id, &id) == 2)
		flush_poll(app, db, a, room_id, id);
	arena_free(a);
}

/* Another instance's event, heard by live_share.c: rendered from the
 * database by the same functions as a local one, so each audience gets
 * exactly what it would have got from that instance. */
void
live_republish(struct app *app, struct db *db, int64_t room_id, const char *kind,
	       int64_t ref_id, int64_t event_id)
{
	if (strcmp(kind, "question") == 0)
		publish_question(app, db, room_id, ref_id, event_id);
	else if (strcmp(kind, "poll") == 0)
		publish_poll(app, db, room_id, ref_id, event_id, 0);
	else if (strcmp(kind, "wall") == 0)
		publish_wall(app, db, room_id, ref_id, event_id);
	else if (strcmp(kind, "screen") == 0)
		publish_screen(app, db, room_id, event_id);
}
