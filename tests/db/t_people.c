/* t_people.c - the people feature against a real database: adding people,
 * signing in and out, throttling, sessions expiring, one-time links and
 * password changes.  Runs on SQLite and, when COLEAD_TEST_PG names a
 * server, again on a fresh PostgreSQL database. */
#include "../../src/core/arena.h"
#include "../../src/core/buf.h"
#include "../../src/core/cfg.h"
#include "../../src/core/str.h"
#include "../../src/db/db.h"
#include "../../src/feat/event/event.h"
#include "../../src/feat/people/people.h"

#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"

/* A fresh email per call, so tests never collide on one database. */
static const char *
fresh_email(struct fixture *f, const char *who)
{
	static int n;

	return arena_printf(f->a, "%s.%d.%d@example.org", who, (int)getpid(), ++n);
}

static int64_t
count_people(struct fixture *f)
{
	static const char	 sql[] = "SELECT COUNT(*) FROM people";
	struct db_stmt		*st = db_prepare(f->db, sql);
	int64_t			 n = -1;

	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}

static void
add_refuses_bad_input_and_writes_nothing(void **state)
{
	struct fixture	*f = *state;
	const char	*why = NULL, *email = fresh_email(f, "dup");
	int64_t		 id, before;

	before = count_people(f);
	assert_int_equal(people_add(&f->app, f->db, "Ann", "not-an-email", NULL,
	    ROLE_PARTICIPANT, NULL, &id, &why), E_INVALID);
	assert_string_equal(why, "this is not a valid email address");
	assert_int_equal(people_add(&f->app, f->db, "", email, NULL, 0, NULL, &id, &why),
	    E_INVALID);
	assert_int_equal(people_add(&f->app, f->db, "Bad\x01Name", email, NULL, 0, NULL,
	    &id, &why), E_INVALID);
	assert_int_equal(people_add(&f->app, f->db, "Ann", email, "No Such Partnership",
	    ROLE_PARTICIPANT, NULL, &id, &why), E_INVALID);
	assert_string_equal(why, "no partnership has that name");
	assert_int_equal(people_add(&f->app, f->db, "Ann", email, NULL, ROLE_PARTICIPANT,
	    "short", &id, &why), E_INVALID);
	assert_int_equal(count_people(f), before);

	assert_int_equal(people_add(&f->app, f->db, "Ann", email, NULL, ROLE_PARTICIPANT,
	    NULL, &id, &why), E_OK);
	assert_int_equal(people_add(&f->app, f->db, "Ann Again", email, NULL,
	    ROLE_PARTICIPANT, NULL, &id, &why), E_CONFLICT);
	assert_int_equal(count_people(f), before + 1);
	assert_false(db_in_tx(f->db));
}

static void
email_is_normalised(void **state)
{
	struct fixture	*f = *state;
	const char	*why;
	char		*out;

	assert_int_equal(people_email_normalise(f->a, "  Ann.Lee@Example.ORG ", &out, &why), E_OK);
	assert_string_equal(out, "ann.lee@example.org");
	assert_int_equal(people_email_normalise(f->a, "a@b", &out, &why), E_INVALID);
	assert_int_equal(people_email_normalise(f->a, "a b@c.org", &out, &why), E_INVALID);
	assert_int_equal(people_email_normalise(f->a, "a@@c.org", &out, &why), E_INVALID);
	assert_int_equal(people_email_normalise(f->a, "", &out, &why), E_INVALID);
}

static void
login_resolve_logout(void **state)
{
	struct fixture	*f = *state;
	const char	*why, *email = fresh_email(f, "login");
	char		*token = NULL;
	struct person	*p = NULL;
	int64_t		 id, sid = 0;

	assert_int_equal(people_add(&f->app, f->db, "Lena Login", email, NULL,
	    ROLE_ORGANISER, "a long enough password", &id, &why), E_OK);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "wrong password!!",
	    "10.0.0.1", &token), E_UNAUTH);
	assert_int_equal(people_login(&f->app, f->db, f->a, "nobody@example.org",
	    "a long enough password", "10.0.0.1", &token), E_UNAUTH);
	assert_int_equal(people_login(&f->app, f->db, f->a, email,
	    "a long enough password", "10.0.0.1", &token), E_OK);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, token, &p, &sid), E_OK);
	assert_string_equal(p->name, "Lena Login");
	assert_int_equal(p->roles, ROLE_ORGANISER);
	assert_int_equal(people_logout(&f->app, f->db, sid), E_OK);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, token, &p, &sid), E_UNAUTH);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, "forged", &p, &sid), E_UNAUTH);
}

static void
login_throttles_account_even_with_right_password(void **state)
{
	struct fixture	*f = *state;
	const char	*why, *email = fresh_email(f, "throttle");
	char		*token;
	int64_t		 id;
	int		 i;

	f->cfg.login_max_fail = 3;
	assert_int_equal(people_add(&f->app, f->db, "Theo", email, NULL, ROLE_PARTICIPANT,
	    "the right password", &id, &why), E_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(people_login(&f->app, f->db, f->a, email, "not the password",
		    "10.0.0.2", &token), E_UNAUTH);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the right password",
	    "10.0.0.3", &token), E_TOOMANY);
	f->cfg.login_max_fail = 5;
}

static void
login_throttles_address_across_accounts(void **state)
{
	struct fixture	*f = *state;
	const char	*why, *email = fresh_email(f, "addr");
	char		*token, addr[32];
	int64_t		 id;
	int		 i;

	snprintf(addr, sizeof(addr), "10.9.%d.%d", (int)(getpid() % 250), 7);
	f->cfg.login_max_fail_ip = 3;
	assert_int_equal(people_add(&f->app, f->db, "Ada", email, NULL, ROLE_PARTICIPANT,
	    "the right password", &id, &why), E_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(people_login(&f->app, f->db, f->a, fresh_email(f, "guess"),
		    "whatever password", addr, &token), E_UNAUTH);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the right password",
	    addr, &token), E_TOOMANY);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the right password",
	    "10.8.0.1", &token), E_OK);
	f->cfg.login_max_fail_ip = 30;
}

static void
idle_and_old_sessions_end(void **state)
{
	struct fixture	*f = *state;
	const char	*why, *email = fresh_email(f, "idle");
	char		*token;
	struct person	*p;
	int64_t		 id, sid;

	assert_int_equal(people_add(&f->app, f->db, "Ida", email, NULL, ROLE_PARTICIPANT,
	    "the right password", &id, &why), E_OK);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the right password",
	    "10.0.1.1", &token), E_OK);
	f->cfg.session_idle = -1;	/* every session is idle past its limit */
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, token, &p, &sid), E_UNAUTH);
	f->cfg.session_idle = 259200;
	/* ended for good, not just refused while the limit was low */
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, token, &p, &sid), E_UNAUTH);

	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the right password",
	    "10.0.1.1", &token), E_OK);
	f->cfg.session_max = -1;
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, token, &p, &sid), E_UNAUTH);
	f->cfg.session_max = 1209600;
}

static void
one_time_link_works_once(void **state)
{
	struct fixture	*f = *state;
	const char	*why = NULL, *email = fresh_email(f, "link");
	char		*token, *session, *token2;
	struct person	 p, *pp;
	int64_t		 id, sid;

	assert_int_equal(people_add(&f->app, f->db, "Lin", email, NULL, ROLE_PARTICIPANT,
	    NULL, &id, &why), E_OK);
	assert_int_equal(people_token_new(&f->app, f->db, f->a, id, "invite", &token), E_OK);
	assert_int_equal(people_token_check(&f->app, f->db, f->a, token, &p), E_OK);
	assert_string_equal(p.email, email);
	/* a bad password leaves the link usable */
	assert_int_equal(people_token_use(&f->app, f->db, f->a, token, "too short", &session,
	    &why), E_INVALID);
	assert_int_equal(people_token_use(&f->app, f->db, f->a, token, "a fine new password",
	    &session, &why), E_OK);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, session, &pp, &sid), E_OK);
	assert_int_equal(pp->id, id);
	assert_int_equal(people_token_use(&f->app, f->db, f->a, token, "another password!",
	    &session, &why), E_NOTFOUND);
	assert_int_equal(people_token_check(&f->app, f->db, f->a, token, &p), E_NOTFOUND);
	assert_int_equal(people_token_check(&f->app, f->db, f->a, "../../etc", &p), E_NOTFOUND);
	assert_int_equal(people_token_new(&f->app, f->db, f->a, id, "reset", &token2), E_OK);
	assert_string_not_equal(token, token2);
}

static void
password_change_ends_other_sessions(void **state)
{
	struct fixture	*f = *state;
	const char	*why = NULL, *email = fresh_email(f, "change");
	char		*t1, *t2, *fresh;
	struct person	*p;
	int64_t		 id, sid;

	assert_int_equal(people_add(&f->app, f->db, "Cho", email, NULL, ROLE_PARTICIPANT,
	    "the first password", &id, &why), E_OK);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the first password",
	    "10.0.2.1", &t1), E_OK);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the first password",
	    "10.0.2.2", &t2), E_OK);
	assert_int_equal(people_password_change(&f->app, f->db, f->a, id, "not it at all",
	    "the second password", &fresh, &why), E_FORBIDDEN);
	assert_int_equal(people_password_change(&f->app, f->db, f->a, id, "the first password",
	    "short", &fresh, &why), E_INVALID);
	assert_int_equal(people_password_change(&f->app, f->db, f->a, id, "the first password",
	    "the second password", &fresh, &why), E_OK);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, t1, &p, &sid), E_UNAUTH);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, t2, &p, &sid), E_UNAUTH);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, fresh, &p, &sid), E_OK);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the first password",
	    "10.0.2.3", &t1), E_UNAUTH);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "the second password",
	    "10.0.2.3", &t1), E_OK);
}

static void
password_rules(void **state)
{
	const char	*why;
	char		 long_pw[2000];

	(void)state;
	assert_int_equal(people_password_check("eleven char", &why), E_INVALID);
	assert_int_equal(people_password_check("twelve chars", &why), E_OK);
	/* 12 characters, counted as characters rather than bytes */
	assert_int_equal(people_password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", &why),
	    E_INVALID);
	memset(long_pw, 'x', 1024);
	long_pw[1024] = '\0';
	assert_int_equal(people_password_check(long_pw, &why), E_OK);
	long_pw[1024] = 'x';
	long_pw[1025] = '\0';
	assert_int_equal(people_password_check(long_pw, &why), E_INVALID);
	assert_int_equal(people_password_check("not\xffvalid utf8", &why), E_INVALID);
	assert_int_equal(role_from_name("organiser"), ROLE_ORGANISER);
	assert_int_equal(role_from_name("wizard"), 0);
}

/* A partnership with a name unique to this run; its name in the arena. */
static const char *
fresh_partnership(struct fixture *f, const char *stem, int64_t *id)
{
	static int	 n;
	const char	*name = arena_printf(f->a, "%s %d %d", stem, (int)getpid(), ++n);

	assert_int_equal(people_partnership_add(&f->app, f->db, name, "East", "", id), E_OK);
	return name;
}

/* The import row whose record number is row. */
static const struct import_row *
row_of(const struct import_report *r, int row)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].row == row)
			return &r->rows[i];
	fail_msg("no row %d in the report", row);
	return NULL;
}

static void
import_names_every_error_and_writes_nothing(void **state)
{
	struct fixture			*f = *state;
	struct import_report		 r;
	const struct import_row		*x;
	const char			*why = NULL, *pname, *filename;
	char				*csv, *id, *typo;
	int64_t				 pid, before = count_people(f);

	pname = fresh_partnership(f, "Active Testshire", &pid);
	typo = arena_strdup(f->a, pname);
	typo[3] = 'x';					/* "Actxve Testshire ..." */
	csv = arena_printf(f->a,
	    "name,email,partnership,role,job title\n"
	    "Ann Good,%s,%s,participant,Officer\n"		/* 2 new */
	    "Bad Mail,not-an-email,%s,participant\n"		/* 3 invalid email */
	    "Typo Person,%s,%s,participant\n"			/* 4 unknown partnership */
	    "Ann Twice,%s,,participant\n"			/* 5 duplicate of row 2 */
	    "Role Less,%s,,wizard\n"				/* 6 unknown role */
	    "Too,Few\n"						/* 7 column count */
	    "Caf\xe9 Owner,%s,,participant\n",			/* 8 bad encoding */
	    fresh_email(f, "imp-good"), pname, pname, fresh_email(f, "imp-typo"), typo,
	    "IMP-GOOD-PLACEHOLDER", fresh_email(f, "imp-role"), fresh_email(f, "imp-enc"));
	/* the duplicate must be the same address as row 2, in other case */
	{
		const char	*good = strstr(csv, "Ann Good,") + 9;
		size_t		 n = strcspn(good, ",");
		char		*dup = strstr(csv, "IMP-GOOD-PLACEHOLDER");
		char		*upper = str_lower(f->a, arena_strndup(f->a, good, n));

		upper[0] = (char)toupper((unsigned char)upper[0]);
		csv = arena_printf(f->a, "%.*s%s%s", (int)(dup - csv), csv, upper,
		    dup + strlen("IMP-GOOD-PLACEHOLDER"));
	}
	assert_int_equal(people_import_check(&f->app, f->db, f->a, csv, strlen(csv), &r, &why), E_OK);
	assert_true(r.header);
	assert_int_equal(r.nrows, 7);
	assert_int_equal(r.counts[IMPORT_NEW], 1);
	assert_int_equal(r.counts[IMPORT_ERROR], 6);
	assert_int_equal(row_of(&r, 2)->outcome, IMPORT_NEW);
	assert_non_null(strstr(row_of(&r, 3)->error, "invalid email"));
	x = row_of(&r, 4);
	assert_non_null(strstr(x->error, "unknown partnership"));
	assert_string_equal(x->suggest, pname);
	assert_non_null(strstr(row_of(&r, 5)->error, "duplicate email"));
	assert_non_null(strstr(row_of(&r, 5)->error, "row 2"));
	assert_non_null(strstr(row_of(&r, 6)->error, "unknown role"));
	assert_non_null(strstr(row_of(&r, 7)->error, "wrong number of columns"));
	assert_non_null(strstr(row_of(&r, 8)->error, "bad encoding"));

	assert_int_equal(people_import_stage(&f->app, f->db, f->a, 1, "bad.csv", csv, strlen(csv),
	    &id), E_OK);
	assert_int_equal(people_import_preview(&f->app, f->db, f->a, id, 1, &r, &filename, &why), E_OK);
	assert_string_equal(filename, "bad.csv");
	assert_int_equal(people_import_confirm(&f->app, f->db, f->a, id, 1, &r, &why), E_INVALID);
	assert_int_equal(r.counts[IMPORT_ERROR], 6);
	assert_int_equal(count_people(f), before);
	assert_false(db_in_tx(f->db));

	assert_int_equal(people_import_check(&f->app, f->db, f->a, "", 0, &r, &why), E_INVALID);
	assert_int_equal(people_import_check(&f->app, f->db, f->a, "a,\"b\n", 5, &r, &why), E_INVALID);
}

static void
import_confirms_once_and_reimport_changes_nothing(void **state)
{
	struct fixture		*f = *state;
	struct import_report	 r;
	struct person		 p;
	const char		*why = NULL, *pname, *old = fresh_email(f, "imp-old"), *filename;
	char			*csv, *id, *id2;
	int64_t			 pid, pid2, before, person;

	pname = fresh_partnership(f, "Active Confirmshire", &pid);
	fresh_partnership(f, "Unused", &pid2);
	assert_int_equal(people_add(&f->app, f->db, "Old Name", old, NULL, ROLE_PARTICIPANT,
	    NULL, &person, &why), E_OK);
	before = count_people(f);
	csv = arena_printf(f->a,
	    "New One,%s,%s,participant\n"
	    "New Two,%s,%s,participant;lead,Chair\n"
	    "New Name,%s,%s,participant\n",
	    fresh_email(f, "imp-n1"), pname, fresh_email(f, "imp-n2"), pname, old, pname);
	assert_int_equal(people_import_stage(&f->app, f->db, f->a, 7, "ok.csv", csv, strlen(csv),
	    &id), E_OK);
	assert_int_equal(people_import_preview(&f->app, f->db, f->a, id, 7, &r, &filename, &why), E_OK);
	assert_false(r.header);
	assert_int_equal(r.counts[IMPORT_NEW], 2);
	assert_int_equal(r.counts[IMPORT_UPDATE], 1);
	/* another organiser cannot use this upload */
	assert_int_equal(people_import_confirm(&f->app, f->db, f->a, id, 8, &r, &why), E_NOTFOUND);
	assert_int_equal(people_import_confirm(&f->app, f->db, f->a, "not-hex", 7, &r, &why), E_NOTFOUND);
	assert_int_equal(people_import_confirm(&f->app, f->db, f->a, id, 7, &r, &why), E_OK);
	assert_int_equal(count_people(f), before + 2);
	assert_int_equal(people_get(&f->app, f->db, f->a, person, &p), E_OK);
	assert_string_equal(p.name, "New Name");
	assert_int_equal(p.partnership_id, pid);
	/* the upload is gone once imported */
	assert_int_equal(people_import_confirm(&f->app, f->db, f->a, id, 7, &r, &why), E_NOTFOUND);

	assert_int_equal(people_import_stage(&f->app, f->db, f->a, 7, "ok.csv", csv, strlen(csv),
	    &id2), E_OK);
	assert_int_equal(people_import_confirm(&f->app, f->db, f->a, id2, 7, &r, &why), E_OK);
	assert_int_equal(r.counts[IMPORT_UNCHANGED], 3);
	assert_int_equal(count_people(f), before + 2);
}

static void
invitations_replace_earlier_links_and_record_consent(void **state)
{
	struct fixture	*f = *state;
	struct invite	*inv, *inv2;
	struct person	 p;
	const char	*why = NULL, *email = fresh_email(f, "invitee"), *first = NULL, *second = NULL;
	char		*session;
	size_t		 n, n2, i;
	int64_t		 id;
	struct db_stmt	*st;
	static const char sql[] = "SELECT consent_at FROM people WHERE id = $1";

	assert_int_equal(people_add(&f->app, f->db, "Ivy Invitee", email, NULL, ROLE_PARTICIPANT,
	    NULL, &id, &why), E_OK);
	assert_int_equal(people_invite_list(&f->app, f->db, f->a, &inv, &n), E_OK);
	for (i = 0; i < n; i++)
		if (inv[i].person_id == id)
			assert_int_equal(inv[i].invited_at, 0);
	assert_int_equal(people_invite_issue(&f->app, f->db, f->a, &inv, &n), E_OK);
	for (i = 0; i < n; i++)
		if (inv[i].person_id == id)
			first = inv[i].token;
	assert_non_null(first);
	assert_int_equal(people_invite_issue(&f->app, f->db, f->a, &inv2, &n2), E_OK);
	assert_int_equal(n, n2);
	for (i = 0; i < n2; i++)
		if (inv2[i].person_id == id)
			second = inv2[i].token;
	assert_non_null(second);
	assert_int_equal(people_token_check(&f->app, f->db, f->a, first, &p), E_NOTFOUND);
	assert_int_equal(people_token_check(&f->app, f->db, f->a, second, &p), E_OK);
	assert_true(people_token_is_invite(&f->app, f->db, second));
	assert_int_equal(people_token_accept(&f->app, f->db, f->a, second, "a good password 1", 0,
	    &session, &why), E_INVALID);
	assert_non_null(strstr(why, "privacy"));
	assert_int_equal(people_token_accept(&f->app, f->db, f->a, second, "a good password 1", 1,
	    &session, &why), E_OK);
	assert_false(people_token_is_invite(&f->app, f->db, second));
	assert_int_equal(people_token_accept(&f->app, f->db, f->a, second, "a good password 1", 1,
	    &session, &why), E_NOTFOUND);
	st = db_prepare(f->db, sql);
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int(st, 0) > 0);
	db_finalize(st);
	/* with a password set, the person is no longer waiting for an invitation */
	assert_int_equal(people_invite_list(&f->app, f->db, f->a, &inv, &n), E_OK);
	for (i = 0; i < n; i++)
		assert_int_not_equal(inv[i].person_id, id);
}

struct names {
	int	count;
};

static void
count_member(void *arg, const struct person *p)
{
	(void)p;
	((struct names *)arg)->count++;
}

static void
partnerships_rename_and_merge(void **state)
{
	struct fixture			*f = *state;
	struct people_partnership	 pp;
	struct names			 names = { 0 };
	const char			*why = NULL, *a_name, *b_name;
	int64_t				 a, b, id;

	a_name = fresh_partnership(f, "Merge From", &a);
	b_name = fresh_partnership(f, "Merge Into", &b);
	assert_int_equal(people_add(&f->app, f->db, "Mo Mover", fresh_email(f, "mover"), a_name,
	    ROLE_PARTICIPANT, NULL, &id, &why), E_OK);
	assert_int_equal(people_partnership_rename(&f->app, f->db, a, b_name, &why), E_CONFLICT);
	assert_int_equal(people_partnership_rename(&f->app, f->db, a, "", &why), E_INVALID);
	assert_int_equal(people_partnership_rename(&f->app, f->db, 999999, "Nowhere", &why), E_NOTFOUND);
	assert_int_equal(people_partnership_rename(&f->app, f->db, a,
	    arena_printf(f->a, "%s renamed", a_name), &why), E_OK);
	assert_int_equal(people_partnership_get(&f->app, f->db, f->a, a, &pp), E_OK);
	assert_non_null(strstr(pp.name, "renamed"));
	assert_int_equal(pp.people, 1);
	assert_int_equal(people_partnership_merge(&f->app, f->db, a, a), E_INVALID);
	assert_int_equal(people_partnership_merge(&f->app, f->db, a, 999999), E_NOTFOUND);
	assert_int_equal(people_partnership_merge(&f->app, f->db, a, b), E_OK);
	assert_int_equal(people_partnership_get(&f->app, f->db, f->a, a, &pp), E_NOTFOUND);
	assert_int_equal(people_of_partnership(&f->app, f->db, f->a, b, count_member, &names), E_OK);
	assert_int_equal(names.count, 1);
}

static void
directory_lists_only_people_who_opt_in(void **state)
{
	struct fixture		*f = *state;
	struct people_listing	*l;
	const char		*why = NULL, *job = NULL;
	size_t			 n, i;
	int64_t			 id;
	int			 listed = -1, found = 0;

	assert_int_equal(people_add(&f->app, f->db, "Dee Directory", fresh_email(f, "dir"), NULL,
	    ROLE_PARTICIPANT, NULL, &id, &why), E_OK);
	assert_int_equal(people_listing_get(&f->app, f->db, f->a, id, &listed, &job), E_OK);
	assert_int_equal(listed, 0);
	assert_int_equal(people_directory(&f->app, f->db, f->a, &l, &n), E_OK);
	for (i = 0; i < n; i++)
		assert_int_not_equal(l[i].id, id);
	assert_int_equal(people_listing_set(&f->app, f->db, id, 1, "Two\nlines", &why), E_INVALID);
	assert_int_equal(people_listing_set(&f->app, f->db, id, 1, "Data Lead", &why), E_OK);
	assert_int_equal(people_directory(&f->app, f->db, f->a, &l, &n), E_OK);
	for (i = 0; i < n; i++)
		if (l[i].id == id) {
			found = 1;
			assert_string_equal(l[i].job_title, "Data Lead");
		}
	assert_true(found);
}

static void
data_export_and_erase(void **state)
{
	struct fixture	*f = *state;
	struct person	 p, *pp;
	struct buf	 b;
	const char	*why = NULL, *email = fresh_email(f, "erase");
	char		*token;
	int64_t		 id, sid;

	assert_int_equal(people_add(&f->app, f->db, "Eve Erase", email, NULL, ROLE_PARTICIPANT,
	    "eves own password", &id, &why), E_OK);
	assert_int_equal(people_login(&f->app, f->db, f->a, email, "eves own password", "10.0.0.9",
	    &token), E_OK);
	buf_init(&b, 0);
	assert_int_equal(people_data_json(&f->app, f->db, f->a, id, &b), E_OK);
	assert_non_null(strstr(b.data, "\"account\":{\"name\":\"Eve Erase\""));
	assert_non_null(strstr(b.data, "\"roles\":[\"participant\"]"));
	assert_non_null(strstr(b.data, "\"sign_ins\":[{"));
	assert_null(strstr(b.data, "argon2"));
	buf_release(&b);
	assert_int_equal(people_erase(&f->app, f->db, id, id, NULL), E_FORBIDDEN);
	assert_int_equal(people_erase(&f->app, f->db, 1, 99999999, NULL), E_NOTFOUND);
	assert_int_equal(people_erase(&f->app, f->db, 1, id, NULL), E_OK);
	assert_int_equal(people_session_resolve(&f->app, f->db, f->a, token, &pp, &sid), E_UNAUTH);
	assert_int_equal(people_get(&f->app, f->db, f->a, id, &p), E_OK);
	assert_string_equal(p.name, "Erased person");
	assert_null(strstr(p.email, "erase."));
	assert_int_equal(p.roles, 0);
	assert_int_equal(people_find_email(&f->app, f->db, f->a, email, &p), E_NOTFOUND);
	assert_false(db_in_tx(f->db));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_rules),
		cmocka_unit_test(email_is_normalised),
		cmocka_unit_test(add_refuses_bad_input_and_writes_nothing),
		cmocka_unit_test(login_resolve_logout),
		cmocka_unit_test(login_throttles_account_even_with_right_password),
		cmocka_unit_test(login_throttles_address_across_accounts),
		cmocka_unit_test(idle_and_old_sessions_end),
		cmocka_unit_test(one_time_link_works_once),
		cmocka_unit_test(password_change_ends_other_sessions),
		cmocka_unit_test(import_names_every_error_and_writes_nothing),
		cmocka_unit_test(import_confirms_once_and_reimport_changes_nothing),
		cmocka_unit_test(invitations_replace_earlier_links_and_record_consent),
		cmocka_unit_test(partnerships_rename_and_merge),
		cmocka_unit_test(directory_lists_only_people_who_opt_in),
		cmocka_unit_test(data_export_and_erase),
	};

	return store_tests_run("people", tests, ARRAY_SIZE(tests), NULL, 0, NULL);
}
