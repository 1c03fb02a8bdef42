/* people_http.c - the people feature's pages: sign in and out, the
 * account page with password change, and one-time password links.  Thin:
 * reads the form, calls people.c, fills template values, renders or
 * redirects.  No SQL and no HTML strings here. */
#include "people.h"
#include "../live/live.h"
#include "../survey/survey.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/str.h"
#include "../../http/http.h"
#include "../../views/tv.h"

/* A local path to go to after signing in; "/" for anything else, so the
 * form cannot send a person to another site. */
static const char *
safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n\\"))
		return "/";
	return next;
}

static enum http_status
login_form(struct req *req, struct resp *resp, int status, const char *email,
	   const char *next, const char *message)
{
	struct tv *v = tv_new(req->arena);

	tv_set_str(v, "email", email ? email : "");
	tv_set_str(v, "next", safe_next(next));
	if (message)
		tv_set_str(v, "error", message);
	resp->status = status;
	return view_render(req, resp, "people/login", "Log in", v);
}

static enum http_status
login_get(struct req *req, struct resp *resp)
{
	const char *next = safe_next(req_query(req, "next"));

	if (req->person)
		return resp_redirect(resp, next);
	return login_form(req, resp, HTTP_OK, "", next, NULL);
}

static enum http_status
login_post(struct req *req, struct resp *resp)
{
	const char	*email = req_form_trim(req, "email");
	const char	*password = req_form(req, "password");
	const char	*next = safe_next(req_form(req, "next"));
	char		*token = NULL;
	enum app_err	 rc;

	rc = people_login(req->app, req->db, req->arena, email, password ? password : "",
	    req->remote_addr, &token);
	switch (rc) {
	case E_OK:
		if (req->session_id)
			people_logout(req->app, req->db, req->session_id);
		resp_cookie(req, resp, http_session_cookie(req->app), token,
		    req->app->cfg->session_max);
		return resp_redirect(resp, next);
	case E_UNAUTH:
		return login_form(req, resp, HTTP_UNAUTHORIZED, email, next,
		    "The email address or password is not right.");
	case E_TOOMANY:
		return login_form(req, resp, HTTP_TOO_MANY, email, next,
		    "Too many failed attempts. Wait 15 minutes and try again, "
		    "or ask an organiser for a link to set a new password.");
	case E_INVALID:
	case E_FORBIDDEN:
	case E_NOTFOUND:
	case E_CONFLICT:
	case E_CLOSED:
	case E_TOOBIG:
	case E_INTERNAL:
		break;
	}
	return http_status_for(rc);
}

static enum http_status
logout_post(struct req *req, struct resp *resp)
{
	if (people_logout(req->app, req->db, req->session_id) != E_OK)
		return HTTP_INTERNAL;
	resp_cookie(req, resp, http_session_cookie(req->app), "", 0);
	return resp_redirect_flash(req, resp, "/", "ok", "You have logged out.");
}

static enum http_status
account_page(struct req *req, struct resp *resp, int status, const char *field,
	     const char *message)
{
	struct person	*p = req->person;
	struct tv	*v = tv_new(req->arena), *errors;
	const char	*job = NULL;
	int		 listed = 0;

	tv_set_str(v, "name", p->name);
	tv_set_str(v, "email", p->email);
	tv_set_str(v, "partnership", p->partnership);
	tv_set_str(v, "roles", p->roles ? role_names(req->arena, p->roles) : NULL);
	errors = tv_set_map(v, "errors");
	if (field && message)
		tv_set_str(errors, field, message);
	if (people_listing_get(req->app, req->db, req->arena, p->id, &listed, &job) != E_OK)
		return HTTP_INTERNAL;
	tv_set_bool(v, "listed", field && str_eq(field, "job_title") ?
	    str_eq(req_form(req, "listed"), "yes") : listed);
	tv_set_str(v, "job_title", field && str_eq(field, "job_title") ?
	    req_form_trim(req, "job_title") : job);
	resp->status = status;
	return view_render(req, resp, "people/account", "Your account", v);
}

static enum http_status
account_get(struct req *req, struct resp *resp)
{
	return account_page(req, resp, HTTP_OK, NULL, NULL);
}

static enum http_status
account_password(struct req *req, struct resp *resp)
{
	const char	*current = req_form(req, "current");
	const char	*pw = req_form(req, "password");
	const char	*confirm = req_form(req, "confirm");
	const char	*why = NULL;
	char		*token;
	enum app_err	 rc;

	if (!str_eq(pw ? pw : "", confirm ? confirm : ""))
		return account_page(req, resp, HTTP_UNPROCESSABLE, "confirm",
		    "The two new passwords are not the same.");
	rc = people_password_change(req->app, req->db, req->arena, req->person->id,
	    current, pw ? pw : "", &token, &why);
	if (rc == E_FORBIDDEN)
		return account_page(req, resp, HTTP_UNPROCESSABLE, "current", why);
	if (rc == E_INVALID)
		return account_page(req, resp, HTTP_UNPROCESSABLE, "password", why);
	if (rc != E_OK)
		return http_status_for(rc);
	resp_cookie(req, resp, http_session_cookie(req->app), token, req->app->cfg->session_max);
	return resp_redirect_flash(req, resp, "/account", "ok",
	    "Your password has changed. Any other devices have been logged out.");
}

static enum http_status
link_form(struct req *req, struct resp *resp, int status, const struct person *p,
	  const char *field, const char *message)
{
	struct tv *v = tv_new(req->arena), *errors;

	tv_set_str(v, "name", p->name);
	tv_set_str(v, "email", p->email);
	tv_set_str(v, "token", req_param(req, "token"));
	tv_set_bool(v, "invite", people_token_is_invite(req->app, req->db, req_param(req, "token")));
	errors = tv_set_map(v, "errors");
	if (field)
		tv_set_str(errors, field, message);
	resp->status = status;
	return view_render(req, resp, "people/password", "Set your password", v);
}

static enum http_status
link_gone(struct req *req, struct resp *resp)
{
	return view_error(req, resp, HTTP_NOT_FOUND,
	    "This link has already been used or has expired. "
	    "Ask an organiser for a new one.");
}

static enum http_status
link_get(struct req *req, struct resp *resp)
{
	struct person	p;
	enum app_err	rc;

	rc = people_token_check(req->app, req->db, req->arena, req_param(req, "token"), &p);
	if (rc == E_NOTFOUND)
		return link_gone(req, resp);
	if (rc != E_OK)
		return http_status_for(rc);
	return link_form(req, resp, HTTP_OK, &p, NULL, NULL);
}

static enum http_status
link_post(struct req *req, struct resp *resp)
{
	const char	*token = req_param(req, "token");
	const char	*pw = req_form(req, "password");
	const char	*confirm = req_form(req, "confirm");
	const char	*why = NULL;
	char		*session;
	struct person	 p;
	int		 invite, consent;
	enum app_err	 rc;

	rc = people_token_check(req->app, req->db, req->arena, token, &p);
	if (rc == E_NOTFOUND)
		return link_gone(req, resp);
	if (rc != E_OK)
		return http_status_for(rc);
	if (!str_eq(pw ? pw : "", confirm ? confirm : ""))
		return link_form(req, resp, HTTP_UNPROCESSABLE, &p, "confirm",
		    "The two passwords are not the same.");
	invite = people_token_is_invite(req->app, req->db, token);
	consent = str_eq(req_form(req, "consent"), "yes");
	if (invite && !consent)
		return link_form(req, resp, HTTP_UNPROCESSABLE, &p, "consent",
		    "Tick the box to accept the privacy notice.");
	rc = people_token_accept(req->app, req->db, req->arena, token, pw ? pw : "", consent,
	    &session, &why);
	if (rc == E_INVALID)
		return link_form(req, resp, HTTP_UNPROCESSABLE, &p, "password", why);
	if (rc == E_NOTFOUND)
		return link_gone(req, resp);
	if (rc != E_OK)
		return http_status_for(rc);
	resp_cookie(req, resp, http_session_cookie(req->app), session, req->app->cfg->session_max);
	return resp_redirect_flash(req, resp, invite ? "/questions" : "/", "ok",
	    "Your password is set. Welcome!");
}

/* ---- organisers: partnerships, attendee import, invitations ---- */

/* The site's address for links sent to people: --base-url, else the
 * address this request came to. */
static const char *
site_base(struct req *req)
{
	const char	*base = req->app->cfg->base_url, *host;
	size_t		 n;

	if (base && *base) {
		n = strlen(base);
		while (n && base[n - 1] == '/')
			n--;
		return arena_strndup(req->arena, base, n);
	}
	host = req_header(req, "Host");
	if (!host || !*host || strpbrk(host, "/?#@ "))
		host = "localhost";
	return arena_printf(req->arena, "%s://%s", req->app->tls ? "https" : "http", host);
}

static const char *const outcome_names[] = { "new", "update", "unchanged", "error" };

/* Fill v with an import report: counts and rows (errors first, then up to
 * 100 others, so a 5,000-row preview stays a readable page). */
static void
report_values(struct req *req, struct tv *v, const struct import_report *r)
{
	struct tv	*errs = tv_set_list(v, "errors_list"), *rows = tv_set_list(v, "rows"), *m;
	size_t		 i, shown = 0;

	tv_set_int(v, "n_new", (int64_t)r->counts[IMPORT_NEW]);
	tv_set_int(v, "n_update", (int64_t)r->counts[IMPORT_UPDATE]);
	tv_set_int(v, "n_unchanged", (int64_t)r->counts[IMPORT_UNCHANGED]);
	tv_set_int(v, "n_error", (int64_t)r->counts[IMPORT_ERROR]);
	tv_set_int(v, "n_rows", (int64_t)r->nrows);
	tv_set_bool(v, "has_errors", r->counts[IMPORT_ERROR] != 0);
	tv_set_bool(v, "header", r->header);
	for (i = 0; i < r->nrows; i++) {
		const struct import_row *row = &r->rows[i];

		if (row->outcome != IMPORT_ERROR && shown >= 100)
			continue;
		m = tv_list_add_map(row->outcome == IMPORT_ERROR ? errs : rows);
		if (row->outcome != IMPORT_ERROR)
			shown++;
		tv_set_int(m, "row", row->row);
		tv_set_str(m, "outcome", outcome_names[row->outcome]);
		tv_set_str(m, "name", row->name);
		tv_set_str(m, "email", row->email);
		tv_set_str(m, "partnership", row->partnership);
		tv_set_str(m, "role", row->roles ? role_names(req->arena, row->roles) : row->role);
		tv_set_str(m, "job_title", row->job_title);
		tv_set_str(m, "error", row->error);
		tv_set_str(m, "suggest", row->suggest);
	}
	tv_set_bool(v, "more", r->nrows - r->counts[IMPORT_ERROR] > shown);
	tv_set_int(v, "n_hidden", (int64_t)(r->nrows - r->counts[IMPORT_ERROR] - shown));
}

static enum http_status
import_page(struct req *req, struct resp *resp, int status, const char *file_error,
	    const struct import_report *r, const char *id, const char *filename)
{
	struct tv *v = tv_new(req->arena);

	if (file_error)
		tv_set_str(v, "file_error", file_error);
	if (r) {
		tv_set_bool(v, "report", 1);
		report_values(req, v, r);
		tv_set_str(v, "id", id);
		tv_set_str(v, "filename", filename);
	}
	resp->status = status;
	return view_render(req, resp, "people/import", "Import attendees", v);
}

static enum http_status
import_get(struct req *req, struct resp *resp)
{
	return import_page(req, resp, HTTP_OK, NULL, NULL, NULL, NULL);
}

static enum http_status
import_post(struct req *req, struct resp *resp)
{
	const struct upload	*u = req_upload(req, "file");
	struct import_report	 r;
	const char		*why = NULL;
	char			*id;
	enum app_err		 rc;

	if (!u || !u->len)
		return import_page(req, resp, HTTP_UNPROCESSABLE, "Choose a CSV file to upload.",
		    NULL, NULL, NULL);
	rc = people_import_check(req->app, req->db, req->arena, u->data, u->len, &r, &why);
	if (rc == E_INVALID || rc == E_TOOBIG)
		return import_page(req, resp, HTTP_UNPROCESSABLE, why, NULL, NULL, NULL);
	if (rc == E_OK)
		rc = people_import_stage(req->app, req->db, req->arena, req->person->id,
		    u->filename, u->data, u->len, &id);
	if (rc != E_OK)
		return http_status_for(rc);
	return import_page(req, resp, r.counts[IMPORT_ERROR] ? HTTP_UNPROCESSABLE : HTTP_OK,
	    NULL, &r, id, u->filename);
}

static enum http_status
import_preview_get(struct req *req, struct resp *resp)
{
	struct import_report	 r;
	const char		*why = NULL, *filename = NULL, *id = req_param(req, "id");
	enum app_err		 rc;

	rc = people_import_preview(req->app, req->db, req->arena, id, req->person->id,
	    &r, &filename, &why);
	if (rc == E_INVALID)
		return import_page(req, resp, HTTP_UNPROCESSABLE, why, NULL, NULL, NULL);
	if (rc != E_OK)
		return http_status_for(rc);
	return import_page(req, resp, r.counts[IMPORT_ERROR] ? HTTP_UNPROCESSABLE : HTTP_OK,
	    NULL, &r, id, filename);
}

static enum http_status
import_confirm(struct req *req, struct resp *resp)
{
	struct import_report	 r;
	const char		*why = NULL, *id = req_param(req, "id");
	enum app_err		 rc;

	rc = people_import_confirm(req->app, req->db, req->arena, id, req->person->id, &r, &why);
	if (rc == E_INVALID && r.nrows)
		return import_page(req, resp, HTTP_UNPROCESSABLE, NULL, &r, id, "");
	if (rc == E_INVALID || rc == E_CONFLICT)
		return import_page(req, resp, HTTP_UNPROCESSABLE, why, NULL, NULL, NULL);
	if (rc == E_NOTFOUND)
		return view_error(req, resp, HTTP_NOT_FOUND,
		    "This upload has already been imported or has expired. Upload the file again.");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, "/people/invitations", "ok",
	    arena_printf(req->arena, "Imported %zu rows: %zu new, %zu updated, %zu unchanged.",
	    r.nrows, r.counts[IMPORT_NEW], r.counts[IMPORT_UPDATE], r.counts[IMPORT_UNCHANGED]));
}

/* Fill a list of invitations; links when tokens were just made. */
static void
invite_values(struct req *req, struct tv *v, const struct invite *inv, size_t n)
{
	struct tv	*list = tv_set_list(v, "people"), *m;
	const char	*base = site_base(req);
	size_t		 i;

	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", inv[i].person_id);
		tv_set_str(m, "name", inv[i].name);
		tv_set_str(m, "email", inv[i].email);
		tv_set_str(m, "partnership", inv[i].partnership);
		tv_set_bool(m, "invited", inv[i].invited_at != 0);
		if (inv[i].token)
			tv_setf(m, "link", "%s/password/%s", base, inv[i].token);
	}
	tv_set_int(v, "count", (int64_t)n);
}

static enum http_status
invitations_get(struct req *req, struct resp *resp)
{
	struct invite	*inv;
	struct tv	*v = tv_new(req->arena);
	size_t		 n;
	enum app_err	 rc;

	rc = people_invite_list(req->app, req->db, req->arena, &inv, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	invite_values(req, v, inv, n);
	tv_set_bool(v, "mail", people_mail_ready(req->app));
	return view_render(req, resp, "people/invitations", "Invitations", v);
}

static enum http_status
invitations_post(struct req *req, struct resp *resp)
{
	struct invite	*inv;
	struct tv	*v = tv_new(req->arena);
	size_t		 n;
	enum app_err	 rc;

	rc = people_invite_issue(req->app, req->db, req->arena, &inv, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	invite_values(req, v, inv, n);
	tv_set_bool(v, "links", 1);
	tv_set_bool(v, "mail", people_mail_ready(req->app));
	return view_render(req, resp, "people/invitations", "Invitation links", v);
}

static enum http_status
invitations_csv(struct req *req, struct resp *resp)
{
	struct invite	*inv;
	const char	*base = site_base(req), *link;
	size_t		 n, i;
	enum app_err	 rc;

	rc = people_invite_issue(req->app, req->db, req->arena, &inv, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	buf_adds(&resp->body, "\"name\",\"email\",\"partnership\",\"link\"\r\n");
	for (i = 0; i < n; i++) {
		link = arena_printf(req->arena, "%s/password/%s", base, inv[i].token);
		people_csv_cell(&resp->body, inv[i].name, strlen(inv[i].name), 1);
		people_csv_cell(&resp->body, inv[i].email, strlen(inv[i].email), 0);
		people_csv_cell(&resp->body, inv[i].partnership ? inv[i].partnership : "",
		    inv[i].partnership ? strlen(inv[i].partnership) : 0, 0);
		people_csv_cell(&resp->body, link, strlen(link), 0);
		buf_adds(&resp->body, "\r\n");
	}
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(resp, "Content-Disposition", "attachment; filename=\"invitations.csv\"");
	resp->status = HTTP_OK;
	return HTTP_OK;
}

static enum http_status
invitations_email(struct req *req, struct resp *resp)
{
	struct invite	*inv;
	size_t		 n, sent = 0;
	enum app_err	 rc;

	if (!people_mail_ready(req->app))
		return resp_redirect_flash(req, resp, "/people/invitations", "error",
		    "No mail server is configured: copy or download the links instead.");
	rc = people_invite_issue(req->app, req->db, req->arena, &inv, &n);
	if (rc == E_OK)
		rc = people_invite_mail(req->app, inv, n, site_base(req), &sent);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, "/people/invitations", sent == n ? "ok" : "error",
	    arena_printf(req->arena, "Emailed %zu of %zu invitations.%s", sent, n,
	    sent == n ? "" : " The others could not be sent: their new links are not shown; "
	    "make links again to copy them."));
}

/* Partnerships. */

static enum http_status
partnerships_page(struct req *req, struct resp *resp, int status, const char *error)
{
	struct people_partnership	*ps;
	struct tv			*v = tv_new(req->arena), *list, *m;
	size_t				 n, i;
	enum app_err			 rc;

	rc = people_partnerships(req->app, req->db, req->arena, &ps, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "partnerships");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_int(m, "id", ps[i].id);
		tv_set_str(m, "name", ps[i].name);
		tv_set_str(m, "region", ps[i].region);
		tv_set_int(m, "people", ps[i].people);
	}
	tv_set_bool(v, "organiser", (req->person->roles & ROLE_ORGANISER) != 0);
	tv_set_map(v, "errors");
	if (error)
		tv_set_str(tv_set_map(v, "errors"), "name", error);
	tv_set_str(v, "new_name", req_form_trim(req, "name"));
	resp->status = status;
	return view_render(req, resp, "people/partnerships", "Partnerships", v);
}

static enum http_status
partnerships_get(struct req *req, struct resp *resp)
{
	return partnerships_page(req, resp, HTTP_OK, NULL);
}

static enum http_status
partnerships_add(struct req *req, struct resp *resp)
{
	const char	*name = req_form_trim(req, "name"), *why = NULL;
	int64_t		 id;
	enum app_err	 rc;

	rc = people_name_check(name, &why);
	if (rc == E_OK) {
		rc = people_partnership_add(req->app, req->db, name, "", "", &id);
		if (rc == E_CONFLICT)
			why = "a partnership already has that name";
	}
	if (rc == E_INVALID || rc == E_CONFLICT)
		return partnerships_page(req, resp, HTTP_UNPROCESSABLE, why);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/partnerships/%" PRId64, id),
	    "ok", "Partnership added.");
}

struct member_list {
	struct tv	*people, *leads;
	struct app	*app;
	struct db	*db;
	struct arena	*a;
};

static void
add_member(void *arg, const struct person *p)
{
	struct member_list	*ml = arg;
	struct person		 full;
	struct tv		*m;

	if (people_get(ml->app, ml->db, ml->a, p->id, &full) != E_OK)
		full = *p;
	m = tv_list_add_map((full.roles & ROLE_LEAD) ? ml->leads : ml->people);
	tv_set_int(m, "id", full.id);
	tv_set_str(m, "name", full.name);
	tv_set_str(m, "roles", role_names(ml->a, full.roles));
}

static enum http_status
partnership_page(struct req *req, struct resp *resp, int status, const char *field,
		 const char *error)
{
	struct people_partnership	 p, *ps;
	struct member_list		 ml;
	struct tv			*v = tv_new(req->arena), *others, *m;
	int64_t				 id;
	size_t				 n, i;
	enum app_err			 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = people_partnership_get(req->app, req->db, req->arena, id, &p);
	if (rc == E_OK)
		rc = people_partnerships(req->app, req->db, req->arena, &ps, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	tv_set_int(v, "id", p.id);
	tv_set_str(v, "name", p.name);
	tv_set_str(v, "region", p.region);
	ml.people = tv_set_list(v, "people");
	ml.leads = tv_set_list(v, "leads");
	ml.app = req->app;
	ml.db = req->db;
	ml.a = req->arena;
	rc = people_of_partnership(req->app, req->db, req->arena, id, add_member, &ml);
	if (rc != E_OK)
		return http_status_for(rc);
	tv_set_bool(v, "has_leads", tv_count(ml.leads) != 0);
	tv_set_bool(v, "has_people", tv_count(ml.people) != 0);
	others = tv_set_list(v, "others");
	for (i = 0; i < n; i++) {
		if (ps[i].id == id)
			continue;
		m = tv_list_add_map(others);
		tv_set_int(m, "id", ps[i].id);
		tv_set_str(m, "name", ps[i].name);
	}
	tv_set_bool(v, "organiser", (req->person->roles & ROLE_ORGANISER) != 0);
	tv_set_str(v, "new_name", status == HTTP_OK ? p.name : req_form_trim(req, "name"));
	if (field)
		tv_set_str(tv_set_map(v, "errors"), field, error);
	resp->status = status;
	return view_render(req, resp, "people/partnership", p.name, v);
}

static enum http_status
partnership_get(struct req *req, struct resp *resp)
{
	return partnership_page(req, resp, HTTP_OK, NULL, NULL);
}

static enum http_status
partnership_rename(struct req *req, struct resp *resp)
{
	const char	*why = NULL;
	int64_t		 id;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = people_partnership_rename(req->app, req->db, id, req_form_trim(req, "name"), &why);
	if (rc == E_INVALID || rc == E_CONFLICT)
		return partnership_page(req, resp, HTTP_UNPROCESSABLE, "name", why);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/partnerships/%" PRId64, id),
	    "ok", "Partnership renamed.");
}

static enum http_status
partnership_merge(struct req *req, struct resp *resp)
{
	const char	*into_s = req_form(req, "into");
	int64_t		 id, into;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	if (!into_s || str_to_i64(into_s, strlen(into_s), &into) < 0)
		return partnership_page(req, resp, HTTP_UNPROCESSABLE, "into",
		    "Choose the partnership to merge into.");
	rc = people_partnership_merge(req->app, req->db, id, into);
	if (rc == E_INVALID || rc == E_NOTFOUND)
		return partnership_page(req, resp, HTTP_UNPROCESSABLE, "into",
		    "Choose another existing partnership.");
	if (rc == E_CONFLICT)
		return partnership_page(req, resp, HTTP_CONFLICT, "into",
		    "Other records still refer to this partnership, so it cannot be merged.");
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, arena_printf(req->arena, "/partnerships/%" PRId64, into),
	    "ok", "Partnerships merged.");
}


static enum http_status
account_directory(struct req *req, struct resp *resp)
{
	const char	*why = NULL;
	enum app_err	 rc;

	rc = people_listing_set(req->app, req->db, req->person->id,
	    str_eq(req_form(req, "listed"), "yes"), req_form_trim(req, "job_title"), &why);
	if (rc == E_INVALID)
		return account_page(req, resp, HTTP_UNPROCESSABLE, "job_title", why);
	if (rc != E_OK)
		return http_status_for(rc);
	return resp_redirect_flash(req, resp, "/account", "ok", "Your directory entry is saved.");
}

static enum http_status
directory_get(struct req *req, struct resp *resp)
{
	struct people_listing	*l;
	struct tv		*v = tv_new(req->arena), *list, *m;
	size_t			 n, i;
	enum app_err		 rc;

	rc = people_directory(req->app, req->db, req->arena, &l, &n);
	if (rc != E_OK)
		return http_status_for(rc);
	list = tv_set_list(v, "people");
	for (i = 0; i < n; i++) {
		m = tv_list_add_map(list);
		tv_set_str(m, "name", l[i].name);
		tv_set_str(m, "partnership", l[i].partnership);
		tv_set_str(m, "job_title", l[i].job_title);
	}
	tv_set_int(v, "count", (int64_t)n);
	return view_render(req, resp, "people/directory", "Directory", v);
}

static enum http_status
account_data(struct req *req, struct resp *resp)
{
	enum app_err rc;

	buf_adds(&resp->body, "{");
	rc = people_data_json(req->app, req->db, req->arena, req->person->id, &resp->body);
	buf_adds(&resp->body, ",");
	if (rc == E_OK)
		rc = survey_person_json(req->app, req->db, req->person->id, &resp->body);
	buf_adds(&resp->body, ",");
	if (rc == E_OK)
		rc = live_person_json(req->app, req->db, req->person->id, &resp->body);
	buf_adds(&resp->body, "}");
	if (rc != E_OK)
		return http_status_for(rc);
	resp_header(resp, "Content-Disposition", "attachment; filename=\"my-data.json\"");
	return resp_json(resp, HTTP_OK);
}

static enum http_status
erase_get(struct req *req, struct resp *resp)
{
	struct person	 p;
	struct tv	*v = tv_new(req->arena);
	int64_t		 id;
	enum app_err	 rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = people_get(req->app, req->db, req->arena, id, &p);
	if (rc != E_OK)
		return http_status_for(rc);
	tv_set_int(v, "id", p.id);
	tv_set_str(v, "name", p.name);
	tv_set_str(v, "email", p.email);
	tv_set_bool(v, "self", p.id == req->person->id);
	return view_render(req, resp, "people/erase", "Erase a person", v);
}

static enum http_status
erase_post(struct req *req, struct resp *resp)
{
	int64_t		id;
	enum app_err	rc;

	if (req_param_int(req, "id", &id) < 0)
		return HTTP_NOT_FOUND;
	rc = people_erase(req->app, req->db, req->person->id, id, survey_forget);
	if (rc != E_OK)
		return http_status_for(rc);
	survey_forgotten(req->app, req->db, id);
	return resp_redirect_flash(req, resp, "/partnerships", "ok",
	    "The person has been erased.");
}

const struct route people_routes[] = {
	{ "GET",  "/login",		login_get,		0 },
	{ "POST", "/login",		login_post,		ROUTE_CSRF },
	{ "POST", "/logout",		logout_post,		ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/account",		account_get,		ROUTE_LOGIN },
	{ "POST", "/account/password",	account_password,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/password/:token",	link_get,		0 },
	{ "POST", "/password/:token",	link_post,		ROUTE_CSRF },
	{ "GET",  "/people/import",	import_get,		ROUTE_ORGANISER },
	{ "POST", "/people/import",	import_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/people/import/:id",	import_preview_get,	ROUTE_ORGANISER },
	{ "POST", "/people/import/:id",	import_confirm,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/people/invitations",	invitations_get,	ROUTE_ORGANISER },
	{ "POST", "/people/invitations",	invitations_post,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/people/invitations.csv",	invitations_csv,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/people/invitations/email",	invitations_email,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/account/directory",	account_directory,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/account/data.json",	account_data,		ROUTE_LOGIN | ROUTE_JSON },
	{ "GET",  "/directory",		directory_get,		ROUTE_LOGIN },
	{ "GET",  "/people/:id/erase",	erase_get,		ROUTE_ORGANISER },
	{ "POST", "/people/:id/erase",	erase_post,		ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/partnerships",	partnerships_get,	ROUTE_LOGIN },
	{ "POST", "/partnerships",	partnerships_add,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "GET",  "/partnerships/:id",	partnership_get,	ROUTE_LOGIN },
	{ "POST", "/partnerships/:id/rename",	partnership_rename,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ "POST", "/partnerships/:id/merge",	partnership_merge,	ROUTE_ORGANISER | ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
