/* people_import.c - the rules of the attendee import: reading a CSV file
 * of name, email, partnership, role and optional job title, giving every
 * row an outcome (new, update, unchanged, or an error with its reason),
 * keeping the file between preview and confirmation, and importing it in
 * one transaction.  Reads and writes only through people_store.c; knows
 * nothing of HTTP.  It never writes anything while a row is an error. */
#include "people.h"
#include "people_store.h"
#include "../../core/arena.h"
#include "../../core/log.h"
#include "../../core/str.h"
#include "../../core/utf8.h"
#include "../../db/db.h"

#include <sodium.h>

#define JOB_MAX_CHARS	200
#define UPLOAD_TTL	(24 * 3600)

/* A set of the emails seen so far in a file: open addressing over arena
 * slots, each remembering the row the email was first on. */
struct seen {
	const char	**keys;
	int		 *rows;
	size_t		  cap;
};

static size_t
seen_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The row an email was first seen on, or 0 after recording it for row. */
static int
seen_add(struct seen *s, const char *key, int row)
{
	size_t i = seen_hash(key) & (s->cap - 1);

	while (s->keys[i]) {
		if (strcmp(s->keys[i], key) == 0)
			return s->rows[i];
		i = (i + 1) & (s->cap - 1);
	}
	s->keys[i] = key;
	s->rows[i] = row;
	return 0;
}

/* Edit distance between two short strings, ASCII case ignored. */
static size_t
distance(const char *x, const char *y)
{
	size_t	nx = strlen(x), ny = strlen(y), i, j, prev[128], cur[128];

	if (nx >= 127 || ny >= 127)
		return SIZE_MAX;
	for (j = 0; j <= ny; j++)
		prev[j] = j;
	for (i = 1; i <= nx; i++) {
		cur[0] = i;
		for (j = 1; j <= ny; j++) {
			size_t cost = tolower((unsigned char)x[i - 1]) ==
			    tolower((unsigned char)y[j - 1]) ? 0 : 1;
			size_t best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, sizeof(size_t) * (ny + 1));
	}
	return prev[ny];
}

/* Does name contain word as a case-insensitive substring? */
static int
contains_ci(const char *name, const char *word)
{
	size_t n = strlen(word);

	if (n < 3)
		return 0;
	for (; *name; name++)
		if (strncasecmp(name, word, n) == 0)
			return 1;
	return 0;
}

/* The partnership a cell names (exact, case ignored), or 0 with the
 * closest name in *suggest. */
static int64_t
partnership_match(const struct people_partnership *ps, size_t n, const char *cell,
		  const char **suggest)
{
	size_t	i, best = SIZE_MAX, d, len = strlen(cell);

	*suggest = NULL;
	for (i = 0; i < n; i++)
		if (str_case_eq(ps[i].name, cell))
			return ps[i].id;
	for (i = 0; i < n; i++) {
		d = distance(ps[i].name, cell);
		if (d < best && d <= len / 3 + 2) {
			best = d;
			*suggest = ps[i].name;
		}
	}
	for (i = 0; !*suggest && i < n; i++)
		if (contains_ci(ps[i].name, cell))
			*suggest = ps[i].name;
	return 0;
}

/* Roles from a cell like "participant" or "participant; lead"; 0 if any
 * is unknown.  Empty means participant. */
static unsigned
roles_parse(struct arena *a, const char *cell)
{
	char		*copy = arena_strdup(a, cell), *p, *q;
	unsigned	 roles = 0, r;
	size_t		 n;

	if (!copy)
		return 0;
	if (!*copy)
		return ROLE_PARTICIPANT;
	for (p = copy; p; p = q) {
		const char *w = p;

		q = strpbrk(p, ";|");
		if (q)
			*q++ = '\0';
		n = strlen(w);
		str_trim(&w, &n);
		w = arena_strndup(a, w, n);
		w = w ? str_lower(a, w) : NULL;
		r = w ? role_from_name(w) : 0;
		if (!r)
			return 0;
		roles |= r;
	}
	return roles;
}

/* A trimmed, NUL-terminated copy of field i (or "" if absent). */
static char *
cell(struct arena *a, const struct people_csv_row *r, int i)
{
	const char	*p;
	size_t		 n;

	if (i >= r->nfields || i >= 32)
		return arena_strdup(a, "");
	p = r->fields[i];
	n = r->lens[i];
	str_trim(&p, &n);
	return arena_strndup(a, p, n);
}

/* Give one row its outcome. */
static void
classify(struct app *app, struct db *db, struct arena *a, const struct people_csv_row *cr,
	 const struct people_partnership *ps, size_t nps, struct seen *seen,
	 struct import_row *row)
{
	struct import_existing	 ex;
	const char		*why = NULL;
	char			*email;
	int			 i, first;
	size_t			 n;
	enum app_err		 rc;

	memset(row, 0, sizeof(*row));
	row->row = cr->row;
	row->outcome = IMPORT_ERROR;
	if (cr->nfields != 4 && cr->nfields != 5) {
		row->error = arena_printf(a, "wrong number of columns: %d, expected 4 or 5 "
		    "(name, email, partnership, role, optional job title)", cr->nfields);
		return;
	}
	for (i = 0; i < cr->nfields; i++) {
		if (!utf8_valid(cr->fields[i], cr->lens[i]) ||
		    strlen(cr->fields[i]) != cr->lens[i]) {
			row->error = "bad encoding: this row is not valid UTF-8 text "
			    "(save the file as \"CSV UTF-8\")";
			return;
		}
	}
	row->name = cell(a, cr, 0);
	row->email = cell(a, cr, 1);
	row->partnership = cell(a, cr, 2);
	row->role = cell(a, cr, 3);
	row->job_title = cell(a, cr, 4);
	if (!row->name || !row->email || !row->partnership || !row->role || !row->job_title) {
		row->error = "the file is too big to check";
		return;
	}
	if (people_name_check(row->name, &why) != E_OK) {
		row->error = arena_printf(a, "invalid name: %s", why);
		return;
	}
	if (people_email_normalise(a, row->email, &email, &why) != E_OK) {
		row->error = arena_printf(a, "invalid email '%s': %s", row->email, why);
		return;
	}
	row->email = email;
	first = seen_add(seen, email, cr->row);
	if (first) {
		row->error = arena_printf(a, "duplicate email '%s': also on row %d", email, first);
		return;
	}
	if (*row->partnership) {
		row->partnership_id = partnership_match(ps, nps, row->partnership, &row->suggest);
		if (!row->partnership_id) {
			row->error = arena_printf(a, "unknown partnership '%s'", row->partnership);
			return;
		}
	}
	row->roles = roles_parse(a, row->role);
	if (!row->roles) {
		row->error = arena_printf(a, "unknown role '%s': use organiser, facilitator, "
		    "speaker, participant or lead", row->role);
		return;
	}
	n = strlen(row->job_title);
	if (utf8_len(row->job_title, n) > JOB_MAX_CHARS ||
	    utf8_has_controls(row->job_title, n, 1)) {
		row->error = "job title: use at most 200 characters on one line";
		return;
	}
	rc = people_store_import_get(db, a, app->event_id, email, &ex);
	if (rc == E_NOTFOUND) {
		row->outcome = IMPORT_NEW;
		return;
	}
	if (rc != E_OK) {
		row->error = "the database could not be read";
		return;
	}
	row->person_id = ex.id;
	if (str_eq(ex.name, row->name) && str_eq(ex.job_title, row->job_title) &&
	    ex.partnership_id == row->partnership_id && (ex.roles & row->roles) == row->roles)
		row->outcome = IMPORT_UNCHANGED;
	else
		row->outcome = IMPORT_UPDATE;
}

/* Is this record a header row ("name, email, ...")? */
static int
is_header(const struct people_csv_row *r)
{
	return r->nfields >= 2 && str_case_eq(r->fields[1], "email");
}

enum app_err
people_import_check(struct app *app, struct db *db, struct arena *a,
		    const void *data, size_t n, struct import_report *r, const char **why)
{
	struct people_csv_row		*rows, *cr;
	struct people_partnership	*ps;
	struct seen			 seen;
	size_t				 nrows, nps, i;
	enum app_err			 rc;

	memset(r, 0, sizeof(*r));
	rc = people_csv_parse(a, data, n, IMPORT_MAX_ROWS + 1, &rows, &nrows, why);
	if (rc == E_TOOBIG)
		*why = "the file has more than 20,000 rows";
	if (rc != E_OK)
		return rc;
	if (rows && is_header(rows)) {
		r->header = 1;
		rows = rows->next;
		nrows--;
	}
	if (nrows == 0) {
		*why = "the file has no rows of people";
		return E_INVALID;
	}
	rc = people_store_partnerships(db, a, app->event_id, &ps, &nps);
	if (rc != E_OK)
		return rc;
	for (seen.cap = 64; seen.cap < nrows * 2; seen.cap *= 2)
		;
	seen.keys = arena_alloc(a, seen.cap * sizeof(*seen.keys));
	seen.rows = arena_alloc(a, seen.cap * sizeof(*seen.rows));
	r->rows = arena_alloc(a, nrows * sizeof(*r->rows));
	if (!seen.keys || !seen.rows || !r->rows)
		return E_TOOBIG;
	for (i = 0, cr = rows; cr; cr = cr->next, i++) {
		classify(app, db, a, cr, ps, nps, &seen, &r->rows[i]);
		r->counts[r->rows[i].outcome]++;
	}
	r->nrows = i;
	return E_OK;
}

enum app_err
people_import_stage(struct app *app, struct db *db, struct arena *a,
		    int64_t by, const char *filename, const void *data, size_t n, char **id)
{
	unsigned char	raw[16];
	char		hex[33];
	int64_t		now = now_unix();
	enum app_err	rc;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	if (!(*id = arena_strdup(a, hex)))
		return E_TOOBIG;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = people_store_uploads_expire(db, now - UPLOAD_TTL);
	if (rc == E_OK)
		rc = people_store_upload_add(db, hex, app->event_id, by, filename, data, n, now);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		db_rollback(db);
	return rc;
}

/* Is id 32 hex digits (so it never reaches SQL as anything odd)? */
static int
id_ok(const char *id)
{
	size_t i;

	for (i = 0; id && id[i]; i++)
		if (!isxdigit((unsigned char)id[i]))
			return 0;
	return id && i == 32;
}

enum app_err
people_import_preview(struct app *app, struct db *db, struct arena *a,
		      const char *id, int64_t by, struct import_report *r,
		      const char **filename, const char **why)
{
	const void	*data;
	size_t		 n;
	enum app_err	 rc;

	memset(r, 0, sizeof(*r));
	if (!id_ok(id))
		return E_NOTFOUND;
	rc = people_store_upload_get(db, a, id, app->event_id, by, &data, &n, filename);
	if (rc != E_OK)
		return rc;
	return people_import_check(app, db, a, data, n, r, why);
}

/* Write one checked row. */
static enum app_err
apply_row(struct app *app, struct db *db, const struct import_row *row, int64_t now)
{
	int64_t		id = row->person_id;
	unsigned	bit;
	enum app_err	rc = E_OK;

	if (row->outcome == IMPORT_NEW)
		rc = people_store_add(db, row->name, row->email, row->job_title,
		    row->partnership_id, now, &id);
	else if (row->outcome == IMPORT_UPDATE)
		rc = people_store_update(db, id, row->name, row->job_title, row->partnership_id);
	else
		return E_OK;
	for (bit = 1; rc == E_OK && bit <= ROLE_LEAD; bit <<= 1)
		if (row->roles & bit)
			rc = people_store_role_add(db, app->event_id, id, role_name(bit));
	return rc;
}

enum app_err
people_import_confirm(struct app *app, struct db *db, struct arena *a,
		      const char *id, int64_t by, struct import_report *r, const char **why)
{
	const char	*filename;
	int64_t		 now = now_unix();
	size_t		 i;
	enum app_err	 rc;

	memset(r, 0, sizeof(*r));
	if (!id_ok(id))
		return E_NOTFOUND;
	if (db_begin(db) < 0)
		return E_INTERNAL;
	rc = people_import_preview(app, db, a, id, by, r, &filename, why);
	if (rc == E_OK && r->counts[IMPORT_ERROR])
		rc = E_INVALID;
	for (i = 0; rc == E_OK && i < r->nrows; i++)
		rc = apply_row(app, db, &r->rows[i], now);
	if (rc == E_CONFLICT)
		*why = "someone else changed the people while this file was checked: try again";
	if (rc == E_OK)
		rc = people_store_upload_delete(db, id);
	if (rc == E_OK && db_commit(db) < 0)
		rc = E_INTERNAL;
	if (rc != E_OK)
		db_rollback(db);
	return rc;
}
