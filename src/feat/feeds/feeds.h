/* feeds.h - the programme as machine-readable feeds: the event's iCalendar
 * feed (/agenda.ics), a person's own iCalendar feed behind a secret,
 * revocable URL, and the schedule in the frab/pretalx "schedule.xml" and
 * "schedule.json" formats that conference apps read.  Everything here reads
 * the programme through agenda_load(); it never writes the agenda.  Only
 * feeds_store.c holds SQL; nothing here knows about HTTP. */
#ifndef COLEAD_FEEDS_H
#define COLEAD_FEEDS_H

#include "../../core/core.h"
#include "../../app.h"

struct arena;
struct db;
struct buf;

/* Length of a personal feed token (base64url of 32 random bytes) + NUL. */
#define FEEDS_TOKEN_LEN	44

/* The event's programme as an iCalendar document into out: one VEVENT per
 * session (UTC times; UID session-<id>@<event slug>), each with a link to
 * its page under base (the site's absolute URL, no trailing slash).  With
 * person_id > 0 only the sessions that person starred or has a seat or a
 * waiting-list place in.  E_INTERNAL on failure. */
enum app_err	 feeds_ical(struct app *app, struct db *db, struct arena *a, const char *base,
			int64_t person_id, struct buf *out);
/* The programme as frab schedule XML (valid against the c3voc
 * schedule.xml.xsd) into out. */
enum app_err	 feeds_schedule_xml(struct app *app, struct db *db, struct arena *a,
			const char *base, struct buf *out);
/* The programme as frab/pretalx schedule JSON (valid against the c3voc
 * schedule.schema.json) into out. */
enum app_err	 feeds_schedule_json(struct app *app, struct db *db, struct arena *a,
			const char *base, struct buf *out);

/* A stable UUID (version 5 layout) for a kind ("session", "room") and id,
 * into uuid[37]. */
void		 feeds_uuid(const char *kind, int64_t id, char uuid[37]);

/* ---- personal feed tokens ---- */

/* Create or replace person_id's feed token: *token (arena) is the secret
 * to put in the URL; only its hash is kept, so an older URL stops working. */
enum app_err	 feeds_token_new(struct app *app, struct db *db, struct arena *a,
			int64_t person_id, char **token);
/* Revoke person_id's feed token (E_OK if they had none). */
enum app_err	 feeds_token_revoke(struct app *app, struct db *db, int64_t person_id);
/* Does person_id have a live feed token?  *since is when it was made. */
enum app_err	 feeds_token_status(struct app *app, struct db *db, int64_t person_id,
			int *has, int64_t *since);
/* The person a presented token belongs to.  E_NOTFOUND for an unknown,
 * revoked or malformed token. */
enum app_err	 feeds_token_person(struct app *app, struct db *db, const char *token,
			int64_t *person_id);

#endif
