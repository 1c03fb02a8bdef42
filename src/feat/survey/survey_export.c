/* survey_export.c - answers as CSV and as an XLSX workbook
 * (libxlsxwriter).  CSV cells go through people_csv_cell, which stops a
 * spreadsheet from running an answer as a formula; XLSX cells are written
 * as strings, never as formulas.  No database, no HTTP. */
#include "survey.h"
#include "../people/people.h"
#include "../../core/buf.h"
#include "../../core/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

static const char *const columns[] = {
	"partnership", "name", "email", "question", "answer", "updated (UTC)"
};

/* "2027-03-01 09:30" for a unix time. */
static void
when_text(int64_t t, char *out, size_t n)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M", &tm))
		snprintf(out, n, "%s", "");
}

void
survey_export_csv(struct buf *b, const struct survey_row *r, size_t n)
{
	char	when[32];
	size_t	i, c;

	for (c = 0; c < ARRAY_SIZE(columns); c++)
		people_csv_cell(b, columns[c], strlen(columns[c]), c == 0);
	buf_adds(b, "\r\n");
	for (i = 0; i < n; i++) {
		const char *cells[6];

		when_text(r[i].updated_at, when, sizeof(when));
		cells[0] = r[i].partnership ? r[i].partnership : "";
		cells[1] = r[i].name ? r[i].name : "";
		cells[2] = r[i].email ? r[i].email : "";
		cells[3] = r[i].prompt ? r[i].prompt : "";
		cells[4] = r[i].value ? r[i].value : "";
		cells[5] = when;
		for (c = 0; c < ARRAY_SIZE(cells); c++)
			people_csv_cell(b, cells[c], strlen(cells[c]), c == 0);
		buf_adds(b, "\r\n");
	}
}

/* Read a whole file into b; -1 (logged) on failure. */
static int
slurp(const char *path, struct buf *b)
{
	char	chunk[65536];
	ssize_t	got;
	int	fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)got);
	close(fd);
	if (got < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	return b->toobig ? error("the spreadsheet is too big") : 0;
}

int
survey_export_xlsx(struct buf *b, const struct survey_row *r, size_t n)
{
	char			 path[] = "/tmp/colead-export-XXXXXX";
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*bold;
	char			 when[32];
	size_t			 i, c;
	int			 fd, rc = -1;

	fd = mkstemp(path);
	if (fd < 0)
		return error("cannot make a temporary file: %s", strerror(errno));
	close(fd);
	wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		return error("cannot start a workbook in '%s'", path);
	}
	ws = workbook_add_worksheet(wb, "Answers");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (c = 0; c < ARRAY_SIZE(columns); c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, columns[c], bold);
	for (i = 0; i < n && i < 1000000; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);

		when_text(r[i].updated_at, when, sizeof(when));
		worksheet_write_string(ws, row, 0, r[i].partnership ? r[i].partnership : "", NULL);
		worksheet_write_string(ws, row, 1, r[i].name ? r[i].name : "", NULL);
		worksheet_write_string(ws, row, 2, r[i].email ? r[i].email : "", NULL);
		worksheet_write_string(ws, row, 3, r[i].prompt ? r[i].prompt : "", NULL);
		worksheet_write_string(ws, row, 4, r[i].value ? r[i].value : "", NULL);
		worksheet_write_string(ws, row, 5, when, NULL);
	}
	worksheet_set_column(ws, 0, 2, 24, NULL);
	worksheet_set_column(ws, 3, 4, 60, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		error("cannot write the workbook '%s'", path);
	else
		rc = slurp(path, b);
	unlink(path);
	return rc;
}
