/* fuzz_csv.c - libFuzzer driver for the CSV reader and writer of the
 * attendee import (src/feat/people/people_csv.c, declared in people.h).
 * The input is a whole uploaded file.  Checked: rows come numbered from 1
 * upwards, no more than the row cap; each kept field is NUL-terminated at
 * its length; and every field written back with people_csv_cell() is one
 * quoted cell that a spreadsheet cannot take for a formula. */
#include "fuzz.h"
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/feat/people/people.h"

#include <string.h>

#define ROWS_MAX	500

/* A cell as people_csv_cell() wrote it into b. */
static void
check_cell(const struct buf *b)
{
	const char *c = b->data;

	if (*c == ',')
		c++;
	CHECK(c[0] == '"');
	CHECK(!strchr("=+-@\t\r", c[1]) || c[1] == '\0');
	CHECK(b->data[b->len - 1] == '"');
}

/* libFuzzer calls this once per input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = arena_new(FUZZ_ARENA);
	struct people_csv_row	*rows = NULL, *r;
	const char		*why = NULL;
	size_t			 nrows = 0, seen = 0;
	struct buf		 b;
	int			 i, kept, last = 0;
	enum app_err		 rc;

	buf_init(&b, 8u << 20);
	rc = people_csv_parse(a, data, size, ROWS_MAX, &rows, &nrows, &why);
	CHECK(rc != E_INVALID || why != NULL);
	for (r = rows; r; r = r->next) {
		CHECK(r->row > last);
		last = r->row;
		kept = r->nfields < 32 ? r->nfields : 32;
		for (i = 0; i < kept; i++) {
			CHECK(r->fields[i][r->lens[i]] == '\0');
			buf_reset(&b);
			people_csv_cell(&b, r->fields[i], r->lens[i], i == 0);
			if (!b.toobig)
				check_cell(&b);
		}
		seen++;
	}
	CHECK(seen <= ROWS_MAX);
	buf_release(&b);
	arena_free(a);
	return 0;
}
