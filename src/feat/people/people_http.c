/* people_http.c - the people feature's pages: sign in and out, the
 * account page with password change, and one-time password links.  Thin:
 * reads the form, calls people.c, fills template values, renders or
 * redirects.  No SQL and no HTML strings here. */
#include "people.h"
#include "../../core/arena.h"
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

	tv_set_str(v, "name", p->name);
	tv_set_str(v, "email", p->email);
	tv_set_str(v, "partnership", p->partnership);
	tv_set_str(v, "roles", p->roles ? role_names(req->arena, p->roles) : NULL);
	errors = tv_set_map(v, "errors");
	if (field && message)
		tv_set_str(errors, field, message);
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
	enum app_err	 rc;

	rc = people_token_check(req->app, req->db, req->arena, token, &p);
	if (rc == E_NOTFOUND)
		return link_gone(req, resp);
	if (rc != E_OK)
		return http_status_for(rc);
	if (!str_eq(pw ? pw : "", confirm ? confirm : ""))
		return link_form(req, resp, HTTP_UNPROCESSABLE, &p, "confirm",
		    "The two passwords are not the same.");
	rc = people_token_use(req->app, req->db, req->arena, token, pw ? pw : "", &session, &why);
	if (rc == E_INVALID)
		return link_form(req, resp, HTTP_UNPROCESSABLE, &p, "password", why);
	if (rc == E_NOTFOUND)
		return link_gone(req, resp);
	if (rc != E_OK)
		return http_status_for(rc);
	resp_cookie(req, resp, http_session_cookie(req->app), session, req->app->cfg->session_max);
	return resp_redirect_flash(req, resp, "/", "ok", "Your password is set. Welcome!");
}

const struct route people_routes[] = {
	{ "GET",  "/login",		login_get,		0 },
	{ "POST", "/login",		login_post,		ROUTE_CSRF },
	{ "POST", "/logout",		logout_post,		ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/account",		account_get,		ROUTE_LOGIN },
	{ "POST", "/account/password",	account_password,	ROUTE_LOGIN | ROUTE_CSRF },
	{ "GET",  "/password/:token",	link_get,		0 },
	{ "POST", "/password/:token",	link_post,		ROUTE_CSRF },
	{ NULL, NULL, NULL, 0 }
};
