/* survey_http.c - the survey feature's pages: a person's questions (the
 * pre-convention set after setting a password, the feedback set after
 * the convention), and for organisers the dashboard, the answers, the
 * themes, exports and the question-set editor.  Thin: reads the request,
 * calls survey.c, fills template values, renders or redirects.  No SQL and
 * no HTML strings here (the word cloud's SVG comes from survey_themes.c). */
#include "survey.h"
#include "../people/people.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/str.h"
#include "../../http/http.h"
#include "../../views/tv.h"

#define THEMES_MAX 40

/* The set named in the path or query: "pre" unless "feedback". */
static const char *
set_slug(struct req *req)
{
	const char *s = req_param(req, "set");

	if (!s)
		s = req_query(req, "set");
	if (!s)
		s = req_form(req, "set");
	return str_eq(s, "feedback") ? "feedback" : "pre";
}

/* An integer query field; 0 when absent or not a number. */
static int64_t
query_int(struct req *req, const char *name)
{
	const char	*s = req_query(req, name);
	int64_t		 v = 0;

	if (!s || str_to_i64(s, strlen(s), &v) < 0 || v < 0)
		return 0;
	return v;
}

/* "2027-03-12" for a unix time, "" for 0. */
static const char *
date_text(struct req *req, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		out[16];

	if (!t || !gmtime_r(&tt, &tm) || !strftime(out, sizeof(out), "%Y-%m-%d", &tm))
		return "";
	return arena_strdup(req->arena, out);
}

/* Is line (n bytes) one of the lines of set? */
static int
has_line(const char *set, const char *line, size_t n)
{
	const char *p = set, *e;

	while (p && *p) {
		e = strchr(p, '\n');
		if ((size_t)(e ? e - p : (ptrdiff_t)strlen(p)) == n && strncmp(p, line, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Template values for one question and the answer shown in it. */
static void
question_values(struct tv *m, const struct question *q, const char *why)
{
	struct tv	*opts;
	const char	*p, *e;
	size_t		 n;
	int		 i;

	tv_set_int(m, "id", q->id);
	tv_set_str(m, "prompt", q->prompt);
	tv_set_str(m, "kind", survey_kind_name(q->kind));
	tv_set_bool(m, "required", q->required);
	tv_set_bool(m, "is_text", q->kind == Q_TEXT);
	tv_set_bool(m, "is_long", q->kind == Q_LONG);
	tv_set_bool(m, "is_single", q->kind == Q_SINGLE);
	tv_set_bool(m, "is_multi", q->kind == Q_MULTI);
	tv_set_bool(m, "is_scale", q->kind == Q_SCALE);
	tv_set_str(m, "answer", q->answer ? q->answer : "");
	tv_set_str(m, "choices_text", q->choices);
	if (why)
		tv_set_str(m, "error", why);
	opts = tv_set_list(m, "options");
	if (q->kind == Q_SCALE) {
		for (i = 1; i <= 5; i++) {
			struct tv *o = tv_list_add_map(opts);

			tv_setf(o, "value", "%d", i);
			tv_setf(o, "n", "%d", i);
			tv_set_bool(o, "checked", q->answer && q->answer[0] == '0' + i && !q->answer[1]);
		}
	} else if (q->kind == Q_SINGLE || q->kind == Q_MULTI) {
		for (p = q->choices, i = 0; p && *p; i++) {
			struct tv *o = tv_list_add_map(opts);

			e = strchr(p, '\n');
			n = e ? (size_t)(e - p) : strlen(p);
			tv_set_strn(o, "value", p, n);
			tv_setf(o, "n", "%d", i + 1);
			tv_set_bool(o, "checked", q->answer && has_line(q->answer, p, n));
			p = e ? e + 1 : NULL;
		}
	}
}

static enum http_status
questions_page(struct req *req, struct resp *resp, int status, struct question_set *s,
	       const char **why)
{
	struct tv	*v = tv_new(req->arena), *list;
	size_t		 i, answered = 0;

	tv_set_str(v, "slug", s->slug);
	tv_set_str(v, "title", s->title);
	tv_set_str(v, "intro", s->intro);
	tv_set_bool(v, "open", s->open);
	tv_set_bool(v, "has_errors", why != NULL);
	list = tv_set_list(v, "questions");
	for (i = 0; i < s->nq; i++) {
		question_values(tv_list_add_map(list), &s->q[i], why ? why[i] : NULL);
		answered += s->q[i].answer != NULL;
	}
	tv_set_bool(v, "empty", s->nq == 0);
	tv_set_bool(v, "done", s->nq && answered == s->nq);
	resp->status = status;
	return view_render(req, resp, "survey/questions", s->title, v);
}

static enum http_status
questions_home(struct req *req, struct resp *resp)
{
	(void)req;
	return resp_redirect(resp, "/questions/pre");
}

static enum http_status
questions_get(struct req *req, struct resp *resp)
{
	struct question_set	s;
	enum app_err		rc;

	rc = survey_load(req->app, req->db, req->arena, req_param(req, "set"), req->person->id, &s);
	if (rc != E_OK)
		return http_status_for(rc);
	return questions_page(req, resp, HTTP_OK, &s, NULL);
}

static enum http_status
questions_post(struct req *req, struct resp *resp)
{
	struct question_set	 s;
	struct survey_input	 in;
	const struct kv		*kv;
	const char		**why;
	char			 name[32];
	size_t			 i, k;
	enum app_err		 rc;

	rc = survey_load(req->app, req->db, req->arena, req_param(req, "set"), req->person->id, &s);
	if (rc != E_OK)
		return http_status_for(rc);
	in.values = arena_alloc(req->arena, sizeof(*in.values) * (s.nq + 1));
	in.nvalues = arena_alloc(req->arena, sizeof(*in.nvalues) * (s.nq + 1));
	why = arena_alloc(req->arena, sizeof(*why) * (s.nq + 1));
	if (!in.values || !in.nvalues || !why)
		return HTTP_TOO_LARGE;
	for (i = 0; i < s.nq; i++) {
		snprintf(name, sizeof(name), "q%" PRId64, s.q[i].id);
		for (k = 0, kv = req->form; kv; kv = kv->next)
			k += str_eq(kv->name, name);
		in.values[i] = arena_alloc(req->arena, sizeof(char *) * (k + 1));
		if (!in.values[i])
			return HTTP_TOO_LARGE;
		for (k = 0, kv = req->form; kv; kv = kv->next)
			if (str_eq(kv->name, name))
				in.values[i][k++] = kv->value;
		in.nvalues[i] = k;
	}
	rc = survey_answer(req->app, req->db, req->arena, &s, req->person->id, &in, why);
	if (rc == E_CLOSED)
		return resp_redirect_flash(req, resp, arena_printf(req->arena, "/questions/%s", s.slug),
		    "error", "These questions are closed: answers can no longer be changed.");
	if (rc == E_INVALID) {
		/* Show what the person typed, next to what was wrong. */
		for (i = 0; i < s.nq; i++) {
			struct buf b;

			buf_init(&b, 1 << 20);
			for (k = 0; k < in.nvalues[i]; k++) {
				if (k)
					buf_addc(&b, '\n');
				buf_adds(&b, in.values[i][k]);
			}
			s.q[i].answer = arena_strdup(req->arena, b.data);
			buf_release(&b);
		}
		return questions_page(req, resp, HTTP_UNPROCESSABLE, &s, why);
	}
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/questions/%s", s.slug), "ok",
	    "Thank you: your answers are saved. You can change them while the questions are open.");
}

/* ---- organisers ---- */

static enum http_status
dashboard(struct req *req, struct resp *resp)
{
	struct survey_completion *c;
	struct tv		 *v = tv_new(req->arena), *list, *m, *who;
	const char		 *slug = set_slug(req);
	size_t			  n, i, j, done = 0, total = 0;
	enum app_err		  rc;

	rc = survey_completion(req->app, req->db, req->arena, slug, &c, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "partnerships");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", c[i].partnership_id);
		tv_set_str(m, "name", c[i].partnership ? c[i].partnership : "No partnership");
		tv_set_int(m, "done", (int64_t)c[i].done);
		tv_set_int(m, "total", (int64_t)c[i].total);
		tv_set_int(m, "percent", c[i].total ? (int64_t)(c[i].done * 100 / c[i].total) : 0);
		tv_set_bool(m, "complete", c[i].done == c[i].total);
		who = tv_set_list(m, "waiting");
		for (j = 0; j < c[i].npeople; j++)
			if (!c[i].people[j].done)
				tv_list_add_str(who, c[i].people[j].name);
		done += c[i].done;
		total += c[i].total;
	}
	tv_set_int(v, "done", (int64_t)done);
	tv_set_int(v, "total", (int64_t)total);
	tv_set_str(v, "slug", slug);
	tv_set_bool(v, "is_pre", str_eq(slug, "pre"));
	return view_render(req, resp, "survey/dashboard", "Questions dashboard", v);
}

/* Filter choices for the answers and themes pages. */
static void
filter_values(struct req *req, struct tv *v, const struct question_set *s,
	      int64_t partnership_id, int64_t question_id)
{
	struct people_partnership	*ps;
	struct tv			*list, *m;
	size_t				 n = 0, i;

	list = tv_set_list(v, "question_opts");
	for (i = 0; i < s->nq; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", s->q[i].id);
		tv_set_str(m, "prompt", s->q[i].prompt);
		tv_set_bool(m, "selected", s->q[i].id == question_id);
	}
	list = tv_set_list(v, "partnership_opts");
	if (people_partnerships(req->app, req->db, req->arena, &ps, &n) != E_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ps[i].id);
		tv_set_str(m, "name", ps[i].name);
		tv_set_bool(m, "selected", ps[i].id == partnership_id);
	}
	tv_set_str(v, "slug", s->slug);
	tv_set_int(v, "partnership", partnership_id);
	tv_set_int(v, "question", question_id);
}

static enum http_status
answers_get(struct req *req, struct resp *resp)
{
	struct question_set	 s;
	struct survey_row	*r;
	struct tv		*v = tv_new(req->arena), *list, *m;
	int64_t			 pid = query_int(req, "partnership"), qid = query_int(req, "question");
	size_t			 n, i;
	enum app_err		 rc;

	rc = survey_load(req->app, req->db, req->arena, set_slug(req), 0, &s);
	if (rc == E_OK)
		rc = survey_rows(req->app, req->db, req->arena, s.slug, pid, qid, &r, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	filter_values(req, v, &s, pid, qid);
	list = tv_set_list(v, "answers");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "prompt", r[i].prompt);
		tv_set_str(m, "name", r[i].name);
		tv_set_str(m, "partnership", r[i].partnership);
		tv_set_str(m, "value", r[i].value);
	}
	tv_set_int(v, "count", (int64_t)n);
	return view_render(req, resp, "survey/answers", "Answers", v);
}

static enum http_status
answers_json(struct req *req, struct resp *resp)
{
	struct survey_row	*r;
	int64_t			 pid = query_int(req, "partnership"), qid = query_int(req, "question");
	size_t			 n, i;
	enum app_err		 rc;

	rc = survey_rows(req->app, req->db, req->arena, set_slug(req), pid, qid, &r, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	buf_adds(&resp->body, "{\"answers\":[");
	for (i = 0; i < n; i++) {
		buf_addf(&resp->body, "%s{\"question_id\":%" PRId64 ",\"person_id\":%" PRId64 ",\"question\":",
		    i ? "," : "", r[i].question_id, r[i].person_id);
		buf_add_json_str(&resp->body, r[i].prompt, strlen(r[i].prompt));
		buf_adds(&resp->body, ",\"name\":");
		buf_add_json_str(&resp->body, r[i].name, strlen(r[i].name));
		buf_adds(&resp->body, ",\"partnership\":");
		if (r[i].partnership)
			buf_add_json_str(&resp->body, r[i].partnership, strlen(r[i].partnership));
		else
			buf_adds(&resp->body, "null");
		buf_adds(&resp->body, ",\"answer\":");
		buf_add_json_str(&resp->body, r[i].value, strlen(r[i].value));
		buf_adds(&resp->body, "}");
	}
	buf_adds(&resp->body, "]}");
	return resp_json(resp, HTTP_OK);
}

static enum http_status
themes_get(struct req *req, struct resp *resp)
{
	struct question_set	 s;
	struct survey_row	*r;
	struct survey_term	 terms[THEMES_MAX];
	struct tv		*v = tv_new(req->arena), *list, *m;
	const char		**texts;
	int64_t			 pid = query_int(req, "partnership"), qid = query_int(req, "question");
	struct buf		 svg;
	size_t			 n, i, k, nt = 0;
	enum app_err		 rc;

	rc = survey_load(req->app, req->db, req->arena, set_slug(req), 0, &s);
	if (rc == E_OK)
		rc = survey_rows(req->app, req->db, req->arena, s.slug, pid, qid, &r, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	texts = arena_alloc(req->arena, sizeof(*texts) * (n + 1));
	if (!texts)
		return HTTP_TOO_LARGE;
	for (i = 0; i < n; i++) {
		/* Only free text makes themes: choices and scales are counts. */
		for (k = 0; k < s.nq; k++)
			if (s.q[k].id == r[i].question_id &&
			    (s.q[k].kind == Q_TEXT || s.q[k].kind == Q_LONG))
				texts[nt++] = r[i].value;
	}
	n = survey_themes(req->arena, texts, nt, terms, THEMES_MAX);
	filter_values(req, v, &s, pid, qid);
	list = tv_set_list(v, "terms");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "text", terms[i].text);
		tv_set_int(m, "count", (int64_t)terms[i].count);
	}
	tv_set_int(v, "answers", (int64_t)nt);
	if (n) {
		buf_init(&svg, 1 << 20);
		survey_cloud_svg(&svg, terms, n);
		if (!svg.toobig)
			tv_set_html(v, "cloud", svg.data);
		buf_release(&svg);
	}
	return view_render(req, resp, "survey/themes", "Themes", v);
}

static enum http_status
export_csv(struct req *req, struct resp *resp)
{
	struct survey_row	*r;
	size_t			 n;
	enum app_err		 rc;

	rc = survey_rows(req->app, req->db, req->arena, set_slug(req), query_int(req, "partnership"),
	    query_int(req, "question"), &r, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	survey_export_csv(&resp->body, r, n);
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(resp, "Content-Disposition", "attachment; filename=\"answers.csv\"");
	resp->status = HTTP_OK;
	return HTTP_OK;
}

static enum http_status
export_xlsx(struct req *req, struct resp *resp)
{
	struct survey_row	*r;
	size_t			 n;
	enum app_err		 rc;

	rc = survey_rows(req->app, req->db, req->arena, set_slug(req), query_int(req, "partnership"),
	    query_int(req, "question"), &r, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	if (survey_export_xlsx(&resp->body, r, n) < 0)
		return HTTP_INTERNAL;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(resp, "Content-Disposition", "attachment; filename=\"answers.xlsx\"");
	resp->no_gzip = 1;
	resp->status = HTTP_OK;
	return HTTP_OK;
}

/* The question-set editor; field/why mark one form's error. */
static enum http_status
editor_page(struct req *req, struct resp *resp, int status, int64_t qid, const char *field,
	    const char *why)
{
	struct question_set	 s;
	struct tv		*v = tv_new(req->arena), *list, *m, *kinds, *k;
	size_t			 i;
	int			 j;
	enum app_err		 rc;

	rc = survey_load(req->app, req->db, req->arena, set_slug(req), 0, &s);
	if (rc != E_OK)
		return http_status_for(rc);
	tv_set_str(v, "slug", s.slug);
	tv_set_str(v, "title", field && str_eq(field, "title") ? req_form_trim(req, "title") : s.title);
	tv_set_str(v, "intro", s.intro);
	tv_set_str(v, "opens", date_text(req, s.opens_at));
	tv_set_str(v, "closes", date_text(req, s.closes_at));
	tv_set_bool(v, "is_pre", str_eq(s.slug, "pre"));
	if (field && !qid)
		tv_set_str(tv_set_map(v, "errors"), field, why);
	list = tv_set_list(v, "questions");
	for (i = 0; i < s.nq; i++) {
		m = tv_list_add_map(list);
		question_values(m, &s.q[i], NULL);
		if (qid == s.q[i].id && why)
			tv_set_str(m, "error", why);
		kinds = tv_set_list(m, "kinds");
		for (j = Q_TEXT; j <= Q_SCALE; j++) {
			k = tv_list_add_map(kinds);
			tv_set_str(k, "name", survey_kind_name((enum question_kind)j));
			tv_set_bool(k, "selected", (int)s.q[i].kind == j);
		}
	}
	kinds = tv_set_list(v, "kinds");
	for (j = Q_TEXT; j <= Q_SCALE; j++) {
		k = tv_list_add_map(kinds);
		tv_set_str(k, "name", survey_kind_name((enum question_kind)j));
		tv_set_bool(k, "selected", str_eq(req_form(req, "kind"), survey_kind_name((enum question_kind)j)));
	}
	if (field && str_eq(field, "new")) {
		tv_set_str(v, "new_prompt", req_form_trim(req, "prompt"));
		tv_set_str(v, "new_choices", req_form(req, "choices"));
	}
	resp->status = status;
	return view_render(req, resp, "survey/edit", "Edit questions", v);
}

static enum http_status
editor_get(struct req *req, struct resp *resp)
{
	return editor_page(req, resp, HTTP_OK, 0, NULL, NULL);
}

static enum http_status
editor_set(struct req *req, struct resp *resp)
{
	const char	*why = NULL;
	int64_t		 opens, closes;
	enum app_err	 rc;

	if (survey_date(req_form_trim(req, "opens"), &opens) < 0 ||
	    survey_date(req_form_trim(req, "closes"), &closes) < 0)
		return editor_page(req, resp, HTTP_UNPROCESSABLE, 0, "dates",
		    "Write dates as YYYY-MM-DD, or leave them empty.");
	rc = survey_set_edit(req->app, req->db, set_slug(req), req_form_trim(req, "title"),
	    req_form_trim(req, "intro"), opens, closes, &why);
	if (rc == E_INVALID)
		return editor_page(req, resp, HTTP_UNPROCESSABLE, 0, "title", why);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/survey/sets/%s", set_slug(req)),
	    "ok", "Saved.");
}

static enum http_status
editor_add(struct req *req, struct resp *resp)
{
	const char	*why = NULL;
	enum app_err	 rc;

	rc = survey_question_add(req->app, req->db, set_slug(req), req_form(req, "kind"),
	    req_form_trim(req, "prompt"), req_form(req, "choices"),
	    str_eq(req_form(req, "required"), "yes"), &why);
	if (rc == E_INVALID)
		return editor_page(req, resp, HTTP_UNPROCESSABLE, 0, "new", why);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/survey/sets/%s", set_slug(req)),
	    "ok", "Question added.");
}

static enum http_status
editor_question(struct req *req, struct resp *resp)
{
	const char	*why = NULL, *set = req_form(req, "set");
	int64_t		 id;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	if (str_eq(req_form(req, "delete"), "yes"))
		rc = survey_question_delete(req->app, req->db, id);
	else
		rc = survey_question_edit(req->app, req->db, id, req_form(req, "kind"),
		    req_form_trim(req, "prompt"), req_form(req, "choices"),
		    str_eq(req_form(req, "required"), "yes"), &why);
	if (rc == E_INVALID)
		return editor_page(req, resp, HTTP_UNPROCESSABLE, id, "question", why);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, str_eq(set, "feedback") ? "/survey/sets/feedback"
	    : "/survey/sets/pre", "ok", "Question saved.");
}

const struct route survey_routes[] = {
	{ "GET",  "/questions",			questions_home,	ROUTE_LOGIN },
	{ "GET",  "/questions/:set",		questions_get,	ROUTE_LOGIN },
	{ "POST", "/questions/:set",		questions_post,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/survey",			dashboard,	ROUTE_ORGANISER },
	{ "GET",  "/survey/answers",		answers_get,	ROUTE_ORGANISER },
	{ "GET",  "/survey/answers.json",	answers_json,	ROUTE_ORGANISER | ROUTE_JSON },
	{ "GET",  "/survey/themes",		themes_get,	ROUTE_ORGANISER },
	{ "GET",  "/survey/export.csv",		export_csv,	ROUTE_ORGANISER },
	{ "GET",  "/survey/export.xlsx",	export_xlsx,	ROUTE_ORGANISER },
	{ "GET",  "/survey/sets/:set",		editor_get,	ROUTE_ORGANISER },
	{ "POST", "/survey/sets/:set",		editor_set,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/survey/sets/:set/questions", editor_add,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/survey/questions/:id",	editor_question, ROUTE_ORGANISER | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
