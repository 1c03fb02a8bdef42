/* status.c - the one place an app_err becomes an HTTP status, and the
 * reason phrases the adapter and the error page use.  The switch has no
 * default so the compiler flags an app_err nobody mapped. */
#include "http.h"

enum http_status
http_status_for(enum app_err e)
{
	switch (e) {
	case E_OK:		return HTTP_OK;
	case E_INTERNAL:	return HTTP_INTERNAL;
	case E_INVALID:		return HTTP_UNPROCESSABLE;
	case E_UNAUTH:		return HTTP_UNAUTHORIZED;
	case E_FORBIDDEN:	return HTTP_FORBIDDEN;
	case E_NOTFOUND:	return HTTP_NOT_FOUND;
	case E_CONFLICT:	return HTTP_CONFLICT;
	case E_CLOSED:		return HTTP_CONFLICT;
	case E_TOOMANY:		return HTTP_TOO_MANY;
	case E_TOOBIG:		return HTTP_TOO_LARGE;
	}
	return HTTP_INTERNAL;	/* not an app_err at all */
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:
		break;
	}
	if (status >= 500)
		return "Server Error";
	if (status >= 400)
		return "Client Error";
	if (status >= 300)
		return "Redirection";
	return "OK";
}
