/* err.h - the outcomes a user can cause, shared by every layer.  Bugs are
 * assert()/BUG(), out of memory aborts in xmalloc; everything else a
 * function can report to its caller is one of these. */
#ifndef COLEAD_ERR_H
#define COLEAD_ERR_H

enum app_err {
	E_OK = 0,
	E_INTERNAL,	/* system or library failure, already logged */
	E_INVALID,	/* the input is not acceptable (422) */
	E_UNAUTH,	/* needs a signed-in person (401 / redirect to login) */
	E_FORBIDDEN,	/* signed in, but not allowed (403) */
	E_NOTFOUND,	/* no such thing, or not visible to this person (404) */
	E_CONFLICT,	/* clashes with the current state (409) */
	E_CLOSED,	/* no longer open for this (409) */
	E_TOOMANY,	/* throttled (429) */
	E_TOOBIG	/* over a size limit (413) */
};

/* A short lower-case name for logs and tests: "invalid", "notfound", ... */
const char *app_err_name(enum app_err e);

#endif
