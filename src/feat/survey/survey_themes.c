/* survey_themes.c - themes drawn from free-text answers: words and
 * two-word phrases counted with stop-words left out, and a word cloud
 * drawn as SVG.  Pure functions over text: no database, no HTTP.  Every
 * word written into the SVG goes through buf_add_html. */
#include "survey.h"
#include "../../core/arena.h"
#include "../../core/buf.h"

#define WORD_MAX	40	/* longer "words" are not themes */

static const char *const stop_words[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an",
	"and", "any", "are", "around", "as", "at", "be", "because", "been", "before",
	"being", "below", "best", "better", "between", "both", "but", "by", "can",
	"could", "did", "do", "does", "doing", "done", "down", "during", "each",
	"else", "even", "every", "few", "for", "from", "further", "get", "getting",
	"got", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
	"his", "how", "however", "i", "i'd", "i'm", "i've", "if", "in", "into", "is",
	"it", "it's", "its", "itself", "just", "know", "learn", "less", "like",
	"lot", "lots", "made", "make", "many", "may", "me", "more", "most", "much",
	"must", "my", "myself", "need", "new", "no", "nor", "not", "now", "of",
	"off", "on", "once", "one", "only", "or", "other", "others", "our", "ours",
	"ourselves", "out", "over", "own", "really", "same", "see", "seen", "she",
	"should", "so", "some", "such", "than", "that", "that's", "the", "their",
	"theirs", "them", "themselves", "then", "there", "these", "they", "thing",
	"things", "think", "this", "those", "through", "to", "too", "two", "under",
	"until", "up", "us", "use", "very", "want", "was", "way", "we", "we're",
	"we've", "well", "were", "what", "when", "where", "which", "while", "who",
	"whom", "why", "will", "with", "within", "without", "would", "you", "your",
	"yours", "yourself", "able", "across", "still", "there's", "day", "days",
	"wanted", "something", "someone", "went", "year", "years", "last", "first",
	"months", "three", "back", "never", "instead", "became", "kept", "let",
};

/* Is w (NUL-terminated, lower case) a stop-word?  A linear scan: a few
 * hundred comparisons per word is cheap next to the database. */
static int
is_stop(const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stop_words); i++)
		if (strcmp(stop_words[i], w) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Is byte c part of a word?  Letters, digits, apostrophes and any
 * non-ASCII byte (letters of other scripts and accents). */
static int
word_byte(unsigned char c)
{
	return isalnum(c) || c == '\'' || c >= 0x80;
}

struct tokens {
	struct arena	 *a;
	const char	**items;
	size_t		  n, cap;
};

static void
tokens_add(struct tokens *t, const char *s)
{
	const char **bigger;

	if (!s)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		bigger = arena_alloc(t->a, t->cap * sizeof(*bigger));
		if (!bigger)
			return;
		if (t->n)
			memcpy(bigger, t->items, t->n * sizeof(*bigger));
		t->items = bigger;
	}
	t->items[t->n++] = s;
}

/* Add the words and two-word phrases of one text. */
static void
tokenise(struct tokens *t, const char *text)
{
	char		 w[WORD_MAX + 1], prev[WORD_MAX + 1] = "";
	const char	*p = text;
	size_t		 n, i;
	int		 digits;

	while (*p) {
		while (*p && !word_byte((unsigned char)*p))
			p++;
		for (n = 0, digits = 1; *p && word_byte((unsigned char)*p); p++, n++) {
			if (n < WORD_MAX)
				w[n] = (char)tolower((unsigned char)*p);
			if (!isdigit((unsigned char)*p))
				digits = 0;
		}
		if (!n)
			break;
		if (n > WORD_MAX) {
			prev[0] = '\0';
			continue;
		}
		w[n] = '\0';
		while (n && w[n - 1] == '\'')
			w[--n] = '\0';		/* trailing quote marks */
		if (n > 2 && strcmp(w + n - 2, "'s") == 0)
			w[n -= 2] = '\0';
		for (i = 0; w[i] == '\''; i++)
			;
		if (i) {
			memmove(w, w + i, n - i + 1);	/* leading quote marks */
			n -= i;
		}
		if (n < 3 || digits || is_stop(w)) {
			prev[0] = '\0';
			continue;
		}
		tokens_add(t, arena_strdup(t->a, w));
		if (prev[0])
			tokens_add(t, arena_printf(t->a, "%s %s", prev, w));
		memcpy(prev, w, n + 1);
	}
}

static int
cmp_term(const void *x, const void *y)
{
	const struct survey_term *a = x, *b = y;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->text, b->text);
}

size_t
survey_themes(struct arena *a, const char *const *texts, size_t ntexts,
	      struct survey_term *out, size_t max)
{
	struct tokens		 t;
	struct survey_term	*all;
	size_t			 i, j, nall = 0, k;

	memset(&t, 0, sizeof(t));
	t.a = a;
	for (i = 0; i < ntexts; i++)
		if (texts[i])
			tokenise(&t, texts[i]);
	if (!t.n || !max)
		return 0;
	qsort(t.items, t.n, sizeof(*t.items), cmp_str);
	all = arena_alloc(a, t.n * sizeof(*all));
	if (!all)
		return 0;
	for (i = 0; i < t.n; i = j) {
		for (j = i + 1; j < t.n && strcmp(t.items[i], t.items[j]) == 0; j++)
			;
		/* A phrase is a theme only when several people used it. */
		if (strchr(t.items[i], ' ') && j - i < 2)
			continue;
		all[nall].text = t.items[i];
		all[nall].count = j - i;
		nall++;
	}
	qsort(all, nall, sizeof(*all), cmp_term);
	k = nall < max ? nall : max;
	memcpy(out, all, k * sizeof(*out));
	return k;
}

/* Colours with at least 4.5:1 contrast on white. */
static const char *const cloud_colours[] = { "#0b5e5a", "#1f2d3d", "#8a3b12", "#4b3f8f" };

void
survey_cloud_svg(struct buf *b, const struct survey_term *t, size_t n)
{
	const double	 width = 800, gap = 14;
	double		 size[128], w[128], x, y, line_w, line_h;
	size_t		 i, start, end, max = 1, min = (size_t)-1, chars;
	const char	*p;

	if (n > ARRAY_SIZE(size))
		n = ARRAY_SIZE(size);
	for (i = 0; i < n; i++) {
		if (t[i].count > max)
			max = t[i].count;
		if (t[i].count < min)
			min = t[i].count;
	}
	for (i = 0; i < n; i++) {
		size[i] = 14 + (max > min ? 34.0 * (double)(t[i].count - min) / (double)(max - min) : 10);
		for (chars = 0, p = t[i].text; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		w[i] = 0.58 * size[i] * (double)chars;
	}
	/* First pass: the height, so the viewBox fits. */
	y = 0;
	for (start = 0; start < n; start = end) {
		line_w = 0;
		line_h = 0;
		for (end = start; end < n && (end == start || line_w + gap + w[end] <= width); end++) {
			line_w += (end > start ? gap : 0) + w[end];
			if (size[end] > line_h)
				line_h = size[end];
		}
		y += line_h * 1.3;
	}
	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
	    "class=\"word-cloud\" role=\"img\" aria-labelledby=\"cloud-title\">"
	    "<title id=\"cloud-title\">Word cloud of the most frequent words and phrases</title>",
	    width, y + 10);
	y = 0;
	for (start = 0; start < n; start = end) {
		line_w = 0;
		line_h = 0;
		for (end = start; end < n && (end == start || line_w + gap + w[end] <= width); end++) {
			line_w += (end > start ? gap : 0) + w[end];
			if (size[end] > line_h)
				line_h = size[end];
		}
		y += line_h * 1.3;
		x = (width - line_w) / 2;
		if (x < 0)
			x = 0;
		for (i = start; i < end; i++) {
			buf_addf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"%.0f\" fill=\"%s\">",
			    x, y - line_h * 0.25, size[i], cloud_colours[i % ARRAY_SIZE(cloud_colours)]);
			buf_add_html(b, t[i].text, strlen(t[i].text));
			buf_adds(b, "</text>");
			x += w[i] + gap;
		}
	}
	buf_adds(b, "</svg>");
}
