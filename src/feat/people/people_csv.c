/* people_csv.c - reading CSV files with libcsv into rows of fields, and
 * writing CSV cells that a spreadsheet cannot mistake for a formula.  Used
 * by the attendee import, the invitation download and the survey exports.
 * It knows nothing of what the columns mean and never touches the
 * database; fields are kept as raw bytes (the caller checks the encoding). */
#include "people.h"
#include "../../core/arena.h"
#include "../../core/buf.h"

#include <csv.h>

#define CSV_MAX_FIELDS	32	/* fields kept per row; more are only counted */

struct csv_state {
	struct arena	*a;
	struct people_csv_row *head, *tail;
	size_t		 nrows, max_rows;
	char		*fields[CSV_MAX_FIELDS];
	size_t		 lens[CSV_MAX_FIELDS];
	int		 nfields;
	int		 full;		/* arena or row cap reached */
};

/* libcsv: one field ended. */
static void
on_field(void *s, size_t n, void *arg)
{
	struct csv_state *st = arg;

	if (st->full)
		return;
	if (st->nfields < CSV_MAX_FIELDS) {
		st->fields[st->nfields] = arena_strndup(st->a, s ? s : "", s ? n : 0);
		st->lens[st->nfields] = s ? n : 0;
		if (!st->fields[st->nfields])
			st->full = 1;
	}
	st->nfields++;
}

/* libcsv: one row ended. */
static void
on_row(int c, void *arg)
{
	struct csv_state	*st = arg;
	struct people_csv_row	*r;
	int			 i, keep;

	(void)c;
	if (st->full)
		goto out;
	if (st->nrows >= st->max_rows) {
		st->full = 1;
		goto out;
	}
	keep = st->nfields < CSV_MAX_FIELDS ? st->nfields : CSV_MAX_FIELDS;
	r = arena_alloc(st->a, sizeof(*r));
	if (!r || !(r->fields = arena_alloc(st->a, sizeof(char *) * (size_t)(keep + 1))) ||
	    !(r->lens = arena_alloc(st->a, sizeof(size_t) * (size_t)(keep + 1)))) {
		st->full = 1;
		goto out;
	}
	for (i = 0; i < keep; i++) {
		r->fields[i] = st->fields[i];
		r->lens[i] = st->lens[i];
	}
	r->nfields = st->nfields;
	r->row = (int)st->nrows + 1;
	if (st->tail)
		st->tail->next = r;
	else
		st->head = r;
	st->tail = r;
	st->nrows++;
out:
	st->nfields = 0;
}

enum app_err
people_csv_parse(struct arena *a, const void *data, size_t n, size_t max_rows,
		 struct people_csv_row **rows, size_t *nrows, const char **why)
{
	struct csv_parser	 p;
	struct csv_state	 st;
	const unsigned char	*s = data;
	enum app_err		 rc = E_OK;

	memset(&st, 0, sizeof(st));
	st.a = a;
	st.max_rows = max_rows;
	*rows = NULL;
	*nrows = 0;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;		/* a byte-order mark from a spreadsheet */
		n -= 3;
	}
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
		return E_INTERNAL;
	if (csv_parse(&p, s, n, on_field, on_row, &st) != n ||
	    csv_fini(&p, on_field, on_row, &st) != 0) {
		*why = "the file is not valid CSV: check the quote marks (a quote not closed, or text after a closing quote)";
		rc = E_INVALID;
	} else if (st.full) {
		*why = "the file has too many rows";
		rc = E_TOOBIG;
	}
	csv_free(&p);
	if (rc == E_OK) {
		*rows = st.head;
		*nrows = st.nrows;
	}
	return rc;
}

void
people_csv_cell(struct buf *b, const char *s, size_t n, int first)
{
	size_t i;

	if (!first)
		buf_addc(b, ',');
	buf_addc(b, '"');
	if (n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r'))
		buf_addc(b, '\'');	/* read as text, never as a formula */
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}
