/* t_form.c - unit tests for the form parsers (src/http/form.c): query
 * strings and urlencoded bodies, multipart/form-data bodies with files,
 * the boundary parameter, media types, and the text check that turns bad
 * fields into a 422. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/http/form.h"

#include <setjmp.h>
#include <cmocka.h>

static struct arena *A;

static int
setup(void **state)
{
	(void)state;
	A = arena_new(64u << 20);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(A);
	A = NULL;
	return 0;
}

static size_t
count(const struct kv *kv)
{
	size_t n = 0;

	for (; kv; kv = kv->next)
		n++;
	return n;
}

static const struct kv *
nth(const struct kv *kv, size_t i)
{
	while (kv && i--)
		kv = kv->next;
	assert_non_null(kv);
	return kv;
}

static enum app_err
urlenc(const char *s, struct kv **out)
{
	*out = NULL;
	return form_parse_urlencoded(A, s, strlen(s), out);
}

static void
urlencoded_decodes_plus_and_escapes(void **state)
{
	struct kv *kv;

	(void)state;
	assert_int_equal(urlenc("a=1&name=Ann+Smith&city=K%C3%B8benhavn&sym=%2B%26%3D", &kv), E_OK);
	assert_int_equal(count(kv), 4);
	assert_string_equal(nth(kv, 0)->name, "a");
	assert_string_equal(nth(kv, 0)->value, "1");
	assert_string_equal(nth(kv, 1)->value, "Ann Smith");
	assert_string_equal(nth(kv, 2)->value, "K\xc3\xb8" "benhavn");
	assert_string_equal(nth(kv, 3)->value, "+&=");
	assert_int_equal(nth(kv, 3)->len, 3);
	/* names are decoded too */
	assert_int_equal(urlenc("first+name=x&a%5Bb%5D=y", &kv), E_OK);
	assert_string_equal(nth(kv, 0)->name, "first name");
	assert_string_equal(nth(kv, 1)->name, "a[b]");
}

static void
urlencoded_refuses_bad_escapes(void **state)
{
	struct kv *kv;

	(void)state;
	assert_int_equal(urlenc("a=%G0", &kv), E_INVALID);
	assert_int_equal(urlenc("a=%4", &kv), E_INVALID);
	assert_int_equal(urlenc("a=%", &kv), E_INVALID);
	assert_int_equal(urlenc("a%=1", &kv), E_INVALID);
	assert_int_equal(urlenc("ok=1&b=%zz", &kv), E_INVALID);
	/* a name decoding to NUL cannot be a C string */
	assert_int_equal(urlenc("a%00b=1", &kv), E_INVALID);
	/* a NUL in a value is kept (and refused later by the text check) */
	assert_int_equal(urlenc("a=x%00y", &kv), E_OK);
	assert_int_equal(kv->len, 3);
	assert_non_null(form_check_fields(kv));
}

static void
urlencoded_empty_values_missing_equals_and_empty_pairs(void **state)
{
	struct kv *kv;

	(void)state;
	assert_int_equal(urlenc("a=&b&&c=3&=orphan&", &kv), E_OK);
	assert_int_equal(count(kv), 3);
	assert_string_equal(nth(kv, 0)->name, "a");
	assert_string_equal(nth(kv, 0)->value, "");
	assert_int_equal(nth(kv, 0)->len, 0);
	assert_string_equal(nth(kv, 1)->name, "b");
	assert_string_equal(nth(kv, 1)->value, "");
	assert_string_equal(nth(kv, 2)->value, "3");
	assert_int_equal(urlenc("", &kv), E_OK);
	assert_null(kv);
	assert_int_equal(urlenc("&&&", &kv), E_OK);
	assert_null(kv);
	/* '=' inside a value belongs to the value */
	assert_int_equal(urlenc("q=a=b", &kv), E_OK);
	assert_string_equal(kv->value, "a=b");
}

static void
urlencoded_keeps_duplicates_in_order(void **state)
{
	struct kv *kv;

	(void)state;
	assert_int_equal(urlenc("tag=a&x=1&tag=b&tag=c", &kv), E_OK);
	assert_int_equal(count(kv), 4);
	assert_string_equal(nth(kv, 0)->value, "a");
	assert_string_equal(nth(kv, 2)->value, "b");
	assert_string_equal(nth(kv, 3)->value, "c");
}

static void
urlencoded_appends_to_an_existing_list(void **state)
{
	struct kv *kv = NULL;

	(void)state;
	assert_int_equal(form_parse_urlencoded(A, "a=1", 3, &kv), E_OK);
	assert_int_equal(form_parse_urlencoded(A, "b=2", 3, &kv), E_OK);
	assert_int_equal(count(kv), 2);
	assert_string_equal(nth(kv, 1)->name, "b");
}

static void
urlencoded_caps_field_count_and_size(void **state)
{
	struct buf	 b;
	struct kv	*kv;
	size_t		 i;
	char		*big;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < FORM_FIELDS_MAX; i++)
		buf_addf(&b, "f%zu=%zu&", i, i);
	assert_int_equal(urlenc(b.data, &kv), E_OK);
	assert_int_equal(count(kv), FORM_FIELDS_MAX);
	buf_adds(&b, "one=more");
	assert_int_equal(urlenc(b.data, &kv), E_TOOBIG);
	buf_release(&b);

	/* a hundred thousand empty pairs cost nothing and are not fields */
	big = malloc(100001);
	memset(big, '&', 100000);
	big[100000] = '\0';
	assert_int_equal(urlenc(big, &kv), E_OK);
	assert_null(kv);
	free(big);

	big = malloc(FORM_FIELD_MAX + 4);
	memcpy(big, "v=", 2);
	memset(big + 2, 'x', FORM_FIELD_MAX + 1);
	big[FORM_FIELD_MAX + 3] = '\0';
	assert_int_equal(urlenc(big, &kv), E_TOOBIG);
	big[FORM_FIELD_MAX + 2] = '\0';		/* exactly the cap */
	assert_int_equal(urlenc(big, &kv), E_OK);
	assert_int_equal(kv->len, FORM_FIELD_MAX);
	big[0] = 'x';				/* now a name over the cap */
	big[1] = 'x';
	big[FORM_FIELD_MAX + 1] = '=';
	assert_int_equal(urlenc(big, &kv), E_TOOBIG);
	free(big);
}

static void
urlencoded_full_arena_is_toobig(void **state)
{
	struct arena	*small = arena_new(256);
	struct kv	*kv = NULL;
	const char	*s = "a=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			     "&b=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
			     "&c=cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

	(void)state;
	assert_int_equal(form_parse_urlencoded(small, s, strlen(s), &kv), E_TOOBIG);
	arena_free(small);
}

static void
text_check_refuses_bad_utf8_and_controls(void **state)
{
	(void)state;
	assert_true(form_text_ok("caf\xc3\xa9", 5, 1));
	assert_true(form_text_ok("line\r\nnext\ttab", 14, 0));
	assert_false(form_text_ok("line\nnext", 9, 1));
	assert_false(form_text_ok("a\tb", 3, 1));
	assert_false(form_text_ok("a\0b", 3, 0));
	assert_false(form_text_ok("\xc3", 1, 0));
	assert_false(form_text_ok("\xed\xa0\x80", 3, 0));	/* surrogate */
	assert_false(form_text_ok("\xc0\xaf", 2, 0));		/* overlong */
	assert_false(form_text_ok("bell\a", 5, 0));
	assert_false(form_text_ok("del\x7f", 4, 0));
	assert_true(form_text_ok("", 0, 0));
}

static void
check_fields_names_the_bad_one(void **state)
{
	struct kv *kv;

	(void)state;
	assert_int_equal(urlenc("a=fine&b=multi%0D%0Aline&c=%FF", &kv), E_OK);
	assert_ptr_equal(form_check_fields(kv), nth(kv, 2));
	assert_int_equal(urlenc("a=fine&b%0A=x", &kv), E_OK);
	assert_ptr_equal(form_check_fields(kv), nth(kv, 1));
	assert_int_equal(urlenc("a=fine&b=%E2%82%AC", &kv), E_OK);
	assert_null(form_check_fields(kv));
}

static void
media_type_ignores_case_and_parameters(void **state)
{
	(void)state;
	assert_true(form_type_is("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"));
	assert_true(form_type_is("Application/X-WWW-Form-URLEncoded; charset=UTF-8",
				 "application/x-www-form-urlencoded"));
	assert_true(form_type_is(" multipart/form-data ; boundary=x", "multipart/form-data"));
	assert_false(form_type_is("multipart/form-datax", "multipart/form-data"));
	assert_false(form_type_is("text/plain", "multipart/form-data"));
	assert_false(form_type_is(NULL, "text/plain"));
}

static void
boundary_is_parsed_quoted_or_not(void **state)
{
	(void)state;
	assert_string_equal(form_boundary(A, "multipart/form-data; boundary=----WebKitFormBoundaryx7"),
			    "----WebKitFormBoundaryx7");
	assert_string_equal(form_boundary(A, "multipart/form-data;boundary=\"a b:c\""), "a b:c");
	assert_string_equal(form_boundary(A, "multipart/form-data; charset=utf-8; BOUNDARY=xyz"), "xyz");
	assert_string_equal(form_boundary(A, "multipart/form-data; boundary=\"q=x\"; charset=utf-8"), "q=x");
	assert_null(form_boundary(A, "multipart/form-data; boundary=\"q;x\""));	/* ';' is no bchar */
	assert_string_equal(form_boundary(A, "multipart/form-data; boundary = spaced "), "spaced");
	assert_null(form_boundary(A, "multipart/form-data"));
	assert_null(form_boundary(A, "multipart/form-data; boundary="));
	assert_null(form_boundary(A, "multipart/form-data; boundary=\"\""));
	assert_null(form_boundary(A, "multipart/form-data; boundary=\"unterminated"));
	assert_null(form_boundary(A, "multipart/form-data; boundary=bad\x01" "char"));
	assert_null(form_boundary(A, "multipart/form-data; boundary=\"ends in space \""));
	assert_null(form_boundary(A, "multipart/form-data; boundary="
		"12345678901234567890123456789012345678901234567890123456789012345678901"));
	assert_non_null(form_boundary(A, "multipart/form-data; boundary="
		"1234567890123456789012345678901234567890123456789012345678901234567890"));
	assert_null(form_boundary(A, NULL));
}

/* Parse body (n bytes) with boundary "XyZ". */
static enum app_err
mp(const char *body, size_t n, size_t file_max, struct kv **fields, struct upload **ups)
{
	*fields = NULL;
	*ups = NULL;
	return form_parse_multipart(A, "XyZ", body, n, file_max, fields, ups);
}

#define MP(s, max, f, u) mp((s), sizeof(s) - 1, (max), (f), (u))

static void
multipart_reads_fields(void **state)
{
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"title\"\r\n"
		"\r\n"
		"Hello, world\r\n"
		"--XyZ\r\n"
		"content-disposition: FORM-DATA; NAME=notes\r\n"
		"\r\n"
		"line one\r\nline two\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"empty\"\r\n"
		"\r\n"
		"\r\n"
		"--XyZ--\r\n";
	struct kv	*f;
	struct upload	*u;

	(void)state;
	assert_int_equal(MP(body, 1000, &f, &u), E_OK);
	assert_null(u);
	assert_int_equal(count(f), 3);
	assert_string_equal(nth(f, 0)->name, "title");
	assert_string_equal(nth(f, 0)->value, "Hello, world");
	assert_string_equal(nth(f, 1)->name, "notes");
	assert_string_equal(nth(f, 1)->value, "line one\r\nline two");
	assert_string_equal(nth(f, 2)->value, "");
	assert_int_equal(nth(f, 2)->len, 0);
}

static void
multipart_keeps_binary_file_bytes(void **state)
{
	/* the file holds NUL, CR LF, a line that starts like the delimiter
	 * ("--XyZabc" and "--XyZ" followed by junk) and high bytes */
	static const char file[] =
		"\x00\x01\xff\r\n--XyZabc\r\n--XyZ junk\r\n\r\n\xfe\x00end";
	struct buf	 b;
	struct kv	*f;
	struct upload	*u;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "preamble to ignore\r\n--XyZ\r\n"
		 "Content-Disposition: form-data; name=\"doc\"; filename=\"r\xc3\xa9sum\xc3\xa9.bin\"\r\n"
		 "Content-Type: application/octet-stream\r\n\r\n");
	buf_add(&b, file, sizeof(file) - 1);
	buf_adds(&b, "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nok"
		 "\r\n--XyZ--\r\nepilogue to ignore");
	assert_int_equal(mp(b.data, b.len, 1000, &f, &u), E_OK);
	assert_non_null(u);
	assert_null(u->next);
	assert_string_equal(u->field, "doc");
	assert_string_equal(u->filename, "r\xc3\xa9sum\xc3\xa9.bin");
	assert_string_equal(u->content_type, "application/octet-stream");
	assert_int_equal(u->len, sizeof(file) - 1);
	assert_memory_equal(u->data, file, sizeof(file) - 1);
	/* the upload points into the body, not a copy */
	assert_true((const char *)u->data > b.data && (const char *)u->data < b.data + b.len);
	assert_int_equal(count(f), 1);
	assert_string_equal(f->value, "ok");
	buf_release(&b);
}

static void
multipart_skips_an_empty_file_input(void **state)
{
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n"
		"\r\n"
		"\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"plain\"; filename=\"a.txt\"\r\n"
		"\r\n"
		"text\r\n"
		"--XyZ--";
	struct kv	*f;
	struct upload	*u;

	(void)state;
	assert_int_equal(MP(body, 1000, &f, &u), E_OK);
	assert_null(f);
	assert_non_null(u);
	assert_null(u->next);
	assert_string_equal(u->field, "plain");
	assert_string_equal(u->content_type, "application/octet-stream");	/* default */
	assert_int_equal(u->len, 4);
}

static void
multipart_with_quoted_boundary_from_content_type(void **state)
{
	static const char body[] =
		"--a b:c\r\n"
		"Content-Disposition: form-data; name=\"x\"\r\n\r\n"
		"1\r\n"
		"--a b:c--\r\n";
	char		*bd = form_boundary(A, "multipart/form-data; boundary=\"a b:c\"");
	struct kv	*f = NULL;
	struct upload	*u = NULL;

	(void)state;
	assert_non_null(bd);
	assert_int_equal(form_parse_multipart(A, bd, body, sizeof(body) - 1, 10, &f, &u), E_OK);
	assert_string_equal(f->value, "1");
}

static void
multipart_without_final_boundary_is_invalid(void **state)
{
	static const char no_close[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\"\r\n\r\n"
		"value that never ends";
	static const char no_delimiter[] =
		"Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
	/* text before the first delimiter is a preamble, not a part */
	static const char preamble_only[] =
		"Content-Disposition: form-data; name=\"a\"\r\n\r\n"
		"x\r\n--XyZ--\r\n";
	static const char cut_headers[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\"\r\n";
	static const char no_crlf_after_delim[] =
		"--XyZjunk\r\n"
		"Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--";
	struct kv	*f;
	struct upload	*u;

	(void)state;
	assert_int_equal(MP(no_close, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(no_delimiter, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(preamble_only, 1000, &f, &u), E_OK);
	assert_null(f);
	assert_int_equal(MP(cut_headers, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(no_crlf_after_delim, 1000, &f, &u), E_INVALID);
	assert_int_equal(mp("", 0, 1000, &f, &u), E_INVALID);
	/* an empty form is fine */
	assert_int_equal(MP("--XyZ--\r\n", 1000, &f, &u), E_OK);
	assert_null(f);
	assert_null(u);
}

static void
multipart_refuses_header_injection(void **state)
{
	/* a bare LF inside a header line would start a new header */
	static const char lf_in_name[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\nContent-Type: text/html\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char cr_in_line[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\"\rX-Evil: 1\r\n\r\n"
		"x\r\n--XyZ--";
	static const char nul_in_name[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\0b\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char folded[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data;\r\n name=\"a\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char no_colon[] =
		"--XyZ\r\n"
		"Content-Disposition form-data; name=\"a\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char two_dispositions[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\"\r\n"
		"Content-Disposition: form-data; name=\"b\"; filename=\"evil\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char two_names[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char not_form_data[] =
		"--XyZ\r\n"
		"Content-Disposition: attachment; name=\"a\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char no_name[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; filename=\"a\"\r\n\r\n"
		"x\r\n--XyZ--";
	static const char no_disposition[] =
		"--XyZ\r\n"
		"Content-Type: text/plain\r\n\r\n"
		"x\r\n--XyZ--";
	struct kv	*f;
	struct upload	*u;

	(void)state;
	assert_int_equal(MP(lf_in_name, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(cr_in_line, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(nul_in_name, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(folded, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(no_colon, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(two_dispositions, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(two_names, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(not_form_data, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(no_name, 1000, &f, &u), E_INVALID);
	assert_int_equal(MP(no_disposition, 1000, &f, &u), E_INVALID);
}

static void
multipart_quoted_parameters_stay_whole(void **state)
{
	/* ';' and "filename=" inside the quoted name do not make a file */
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"a; filename=evil.sh\"\r\n\r\n"
		"x\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\x.txt\"\r\n\r\n"
		"y\r\n"
		"--XyZ--";
	struct kv	*f;
	struct upload	*u;

	(void)state;
	assert_int_equal(MP(body, 1000, &f, &u), E_OK);
	assert_int_equal(count(f), 1);
	assert_string_equal(f->name, "a; filename=evil.sh");
	assert_non_null(u);
	assert_string_equal(u->filename, "C:\\dir\\x.txt");	/* backslashes kept */
}

static void
multipart_over_cap_file_is_toobig(void **state)
{
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n"
		"0123456789\r\n"
		"--XyZ--";
	struct kv	*f;
	struct upload	*u;

	(void)state;
	assert_int_equal(MP(body, 9, &f, &u), E_TOOBIG);
	assert_int_equal(MP(body, 10, &f, &u), E_OK);
	assert_int_equal(u->len, 10);
}

static void
multipart_caps_parts_fields_and_headers(void **state)
{
	struct buf	 b;
	struct kv	*f;
	struct upload	*u;
	size_t		 i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i <= FORM_FIELDS_MAX; i++)
		buf_addf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f%zu\"\r\n\r\n%zu\r\n", i, i);
	buf_adds(&b, "--XyZ--");
	assert_int_equal(mp(b.data, b.len, 1000, &f, &u), E_TOOBIG);
	buf_reset(&b);

	buf_adds(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n");
	for (i = 0; i <= FORM_FIELD_MAX; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\r\n--XyZ--");
	assert_int_equal(mp(b.data, b.len, SIZE_MAX, &f, &u), E_TOOBIG);
	buf_reset(&b);

	buf_adds(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
	for (i = 0; i < FORM_PART_HEADERS_MAX; i++)
		buf_addc(&b, 'p');
	buf_adds(&b, "\r\n\r\nx\r\n--XyZ--");
	assert_int_equal(mp(b.data, b.len, 1000, &f, &u), E_TOOBIG);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urlencoded_decodes_plus_and_escapes),
		cmocka_unit_test(urlencoded_refuses_bad_escapes),
		cmocka_unit_test(urlencoded_empty_values_missing_equals_and_empty_pairs),
		cmocka_unit_test(urlencoded_keeps_duplicates_in_order),
		cmocka_unit_test(urlencoded_appends_to_an_existing_list),
		cmocka_unit_test(urlencoded_caps_field_count_and_size),
		cmocka_unit_test(urlencoded_full_arena_is_toobig),
		cmocka_unit_test(text_check_refuses_bad_utf8_and_controls),
		cmocka_unit_test(check_fields_names_the_bad_one),
		cmocka_unit_test(media_type_ignores_case_and_parameters),
		cmocka_unit_test(boundary_is_parsed_quoted_or_not),
		cmocka_unit_test(multipart_reads_fields),
		cmocka_unit_test(multipart_keeps_binary_file_bytes),
		cmocka_unit_test(multipart_skips_an_empty_file_input),
		cmocka_unit_test(multipart_with_quoted_boundary_from_content_type),
		cmocka_unit_test(multipart_without_final_boundary_is_invalid),
		cmocka_unit_test(multipart_refuses_header_injection),
		cmocka_unit_test(multipart_quoted_parameters_stay_whole),
		cmocka_unit_test(multipart_over_cap_file_is_toobig),
		cmocka_unit_test(multipart_caps_parts_fields_and_headers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
