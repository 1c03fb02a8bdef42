/* live_svg.c - the presenter screen's pictures as SVG made here, so they
 * are safe to write raw into a page: poll results (bars for choices and
 * the 1-5 scale, a word cloud), the wall's word cloud (drawn by the
 * survey's themes code) and the QR code to join a room.  Every
 * piece of text that came from a person goes through buf_add_html.  No
 * SQL and no decisions about who sees what (live.c hands over a tally
 * that is already right for the viewer). */
#include "live.h"
#include "../survey/survey.h"
#include "../../core/arena.h"

#include <qrencode.h>

#define BAR_W		1000
#define BAR_ROW		70
#define CLOUD_W		1000
#define CLOUD_LINE	1.35
#define BAR_LINE_CHARS	50	/* characters of a choice per line above its bar, at 32px */
#define BAR_LINES	2	/* lines of a choice at most */
#define BAR_LINE_H	40	/* their height */

/* Copy the buffer into the arena (NULL if too big). */
static char *
finish(struct arena *a, struct buf *b)
{
	char *s = b->toobig ? NULL : arena_strndup(a, b->data, b->len);

	buf_release(b);
	return s;
}

/* "1 answer", "2 answers". */
static const char *
answers_word(int64_t n)
{
	return n == 1 ? "answer" : "answers";
}

/* The byte offset in s (n bytes) after at most chars characters from
 * byte from; *got: how many characters that is. */
static size_t
chars_end(const char *s, size_t n, size_t from, size_t chars, size_t *got)
{
	size_t i = from, c = 0;

	while (i < n && c < chars) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		c++;
	}
	*got = c;
	return i;
}

/* A choice's label above its bar: up to BAR_LINES lines of at most
 * BAR_LINE_CHARS characters, broken at spaces where there is one; what is
 * left after the last line is cut at a character boundary with an
 * ellipsis.  The whole choice is always in a <title> (a tooltip, and what
 * a screen reader reads).  y: the first line's baseline.  Returns how many
 * lines it took. */
static int
bar_label(struct buf *b, const char *label, int y)
{
	size_t	 n = strlen(label), at = 0, end, got;
	int	 line;

	for (line = 0; line < BAR_LINES && at < n; line++) {
		int last = line == BAR_LINES - 1;

		end = chars_end(label, n, at, BAR_LINE_CHARS, &got);
		if (end < n && !last) {
			size_t sp = end;

			while (sp > at && label[sp] != ' ')
				sp--;
			if (sp > at)
				end = sp;	/* break at the last space that fits */
		} else if (end < n) {
			/* leave room for the ellipsis: one character fewer */
			end = chars_end(label, n, at, got - 1, &got);
			while (end > at && label[end - 1] == ' ')
				end--;
		}
		buf_addf(b, "<text x=\"0\" y=\"%d\" class=\"live-label\">", y + line * BAR_LINE_H);
		if (line == 0) {
			buf_adds(b, "<title>");
			buf_add_html(b, label, n);
			buf_adds(b, "</title>");
		}
		buf_add_html(b, label + at, end - at);
		if (last && end < n)
			buf_adds(b, "\xE2\x80\xA6");	/* U+2026 HORIZONTAL ELLIPSIS */
		buf_adds(b, "</text>");
		at = end;
		while (at < n && label[at] == ' ')
			at++;
	}
	return line ? line : 1;
}

/* Bars: one row per choice, its label above a bar as long as its share
 * of the largest count, and the count after the bar; the 1-5 scale keeps
 * each value left of its bar, and its average below. */
static void
bars(struct buf *b, const struct live_poll *p, const struct live_tally *t)
{
	struct buf	 body;
	int64_t		 max = 1;
	int		 k, y = 0, scale = p->kind == LIVE_SCALE;
	int		 x = scale ? 80 : 0;	/* where a bar starts */

	for (k = 0; k < p->noptions; k++)
		if (t->counts[k] > max)
			max = t->counts[k];
	buf_init(&body, 64u << 10);
	for (k = 0; k < p->noptions; k++) {
		int64_t	w = t->counts[k] * (BAR_W - x - 240) / max;	/* room for "1234 (100%)" */
		int	pct = t->total ? (int)(t->counts[k] * 100 / t->total) : 0;

		if (scale)
			buf_addf(&body, "<text x=\"0\" y=\"%d\" class=\"live-label\">%s</text>",
				 y + 42, p->options[k]);
		else
			y += bar_label(&body, p->options[k], y + 32) * BAR_LINE_H;
		buf_addf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%" PRId64 "\" height=\"50\" "
			 "class=\"live-bar\"/><text x=\"%" PRId64 "\" y=\"%d\" class=\"live-count\">"
			 "%" PRId64 " (%d%%)</text>", x, y + 8, w, x + 10 + w, y + 42, t->counts[k], pct);
		y += BAR_ROW;
	}
	if (scale) {
		buf_addf(&body, "<text x=\"0\" y=\"%d\" class=\"live-label\">average %.1f</text>",
			 y + 35, t->average);
		y += 50;
	}
	buf_addf(b, "<svg class=\"live-chart\" viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" "
		 "aria-labelledby=\"live-chart-%" PRId64 "\" xmlns=\"http://www.w3.org/2000/svg\">"
		 "<title id=\"live-chart-%" PRId64 "\">", BAR_W, y + 10, p->id, p->id);
	buf_add_html(b, p->question, strlen(p->question));
	buf_addf(b, ": %" PRId64 " %s</title>", t->total, answers_word(t->total));
	buf_add(b, body.data, body.len);
	buf_adds(b, "</svg>");
	buf_release(&body);
}

/* A word cloud: words in order of frequency, sized by their count, laid
 * out in lines (an estimate of the width, no font metrics). */
static void
cloud(struct buf *b, const struct live_poll *p, const struct live_tally *t)
{
	struct buf	 body;
	int64_t		 max = 1;
	double		 x = 0, y = 0, line = 0;
	size_t		 i;

	for (i = 0; i < t->nwords; i++)
		if (t->words[i].n > max)
			max = t->words[i].n;
	buf_init(&body, 1u << 20);
	for (i = 0; i < t->nwords; i++) {
		const char	*w = t->words[i].word;
		double		 size = 28 + 72.0 * (double)t->words[i].n / (double)max;
		double		 width = size * 0.6 * (double)strlen(w) + size * 0.6;

		if (x > 0 && x + width > CLOUD_W) {
			y += line;
			x = 0;
			line = 0;
		}
		if (size * CLOUD_LINE > line)
			line = size * CLOUD_LINE;
		buf_addf(&body, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"%.0f\" class=\"live-word\">",
			 x, y + size, size);
		buf_add_html(&body, w, strlen(w));
		buf_addf(&body, "<title>%" PRId64 "</title></text>", t->words[i].n);
		x += width;
	}
	buf_addf(b, "<svg class=\"live-chart\" viewBox=\"0 0 %d %.0f\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" "
		 "aria-labelledby=\"live-chart-%" PRId64 "\" xmlns=\"http://www.w3.org/2000/svg\">"
		 "<title id=\"live-chart-%" PRId64 "\">", CLOUD_W, y + line + 10, p->id, p->id);
	buf_add_html(b, p->question, strlen(p->question));
	buf_addf(b, ": %" PRId64 " %s</title>", t->total, answers_word(t->total));
	buf_add(b, body.data, body.len);
	buf_adds(b, "</svg>");
	buf_release(&body);
}

char *
live_results_svg(struct arena *a, const struct live_poll *p, const struct live_tally *t)
{
	struct buf b;

	if (!t->visible || p->kind == LIVE_TEXT)
		return NULL;
	buf_init(&b, 2u << 20);
	if (p->kind == LIVE_WORDS)
		cloud(&b, p, t);
	else
		bars(&b, p, t);
	return finish(a, &b);
}

/* The wall's cloud is the survey's own (survey_themes.c): the same
 * stop-words and phrases as the organisers' themes page. */
#define WALL_TERMS	40

char *
live_wall_cloud_svg(struct arena *a, const struct live_wall_card *c, size_t n)
{
	struct survey_term	 terms[WALL_TERMS];
	const char		**texts = arena_alloc(a, (n ? n : 1) * sizeof(*texts));
	struct buf		 b;
	size_t			 i, k;

	if (!texts)
		return NULL;
	for (i = 0; i < n; i++)
		texts[i] = c[i].answer;
	k = survey_themes(a, texts, n, terms, WALL_TERMS);
	if (!k)
		return NULL;
	buf_init(&b, 1u << 20);
	survey_cloud_svg(&b, terms, k);
	return finish(a, &b);
}

char *
live_qr_svg(struct arena *a, const char *text)
{
	QRcode	*qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	struct buf b;
	int	 x, y, w;

	if (!qr)
		return NULL;
	w = qr->width;
	buf_init(&b, 1u << 20);
	buf_addf(&b, "<svg class=\"live-qr\" viewBox=\"-4 -4 %d %d\" role=\"img\" "
		 "aria-labelledby=\"live-qr-title\" shape-rendering=\"crispEdges\" "
		 "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"live-qr-title\">QR code for ",
		 w + 8, w + 8);
	buf_add_html(&b, text, strlen(text));
	buf_addf(&b, "</title><rect x=\"-4\" y=\"-4\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		 "<path fill=\"#000\" d=\"", w + 8, w + 8);
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				buf_addf(&b, "M%d %dh1v1h-1z", x, y);
	buf_adds(&b, "\"/></svg>");
	QRcode_free(qr);
	return finish(a, &b);
}
