/* feeds.c - the programme written out as feeds: iCalendar (libical), frab
 * schedule XML (libxml2's text writer) and schedule JSON (jansson).  Reads
 * the programme with agenda_load() and the event with event_get();
 * the personal feed tokens' rules live here too (their SQL is in
 * feeds_store.c).  It never writes the programme. */
#include "feeds.h"
#include "feeds_store.h"
#include "../agenda/agenda.h"
#include "../event/event.h"
#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/log.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libical/ical.h>
#include <libxml/xmlwriter.h>
#include <sodium.h>

/* A C string as libxml2 wants it (BAD_CAST drops const). */
#define XC(s) ((const xmlChar *)(s))

/* The namespace every feed UUID is hashed under: changing it changes every
 * guid a conference app has stored, so it never changes. */
static const char uuid_namespace[] = "colead feeds uuid namespace 1";

/* A stable UUID for kind and id: a keyed BLAKE2b hash laid out as a
 * version 5 UUID. */
void
feeds_uuid(const char *kind, int64_t id, char uuid[37])
{
	unsigned char	 h[16];
	char		 in[96];
	int		 n;

	n = snprintf(in, sizeof(in), "%s:%" PRId64, kind, id);
	crypto_generichash(h, sizeof(h), (const unsigned char *)in, (size_t)n,
			   (const unsigned char *)uuid_namespace, sizeof(uuid_namespace) - 1);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	snprintf(uuid, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
		 h[10], h[11], h[12], h[13], h[14], h[15]);
}

/* What every feed needs: the event, the programme, and the zone. */
struct feed {
	struct event	 e;
	struct agenda	 ag;
	const char	*tz;
	const char	*acronym;
};

/* Load the event and programme (with person_id's marks when > 0). */
static enum app_err
feed_load(struct app *app, struct db *db, struct arena *a, int64_t person_id, struct feed *f)
{
	enum app_err	 rc;
	char		*ac, *p;

	rc = event_get(db, a, app->event_id, &f->e);
	if (rc != E_OK)
		return rc;
	rc = agenda_load(app, db, a, &f->ag);
	if (rc == E_OK && person_id > 0)
		rc = agenda_personal(app, db, person_id, &f->ag, 0);
	if (rc != E_OK)
		return rc;
	f->tz = f->e.timezone && *f->e.timezone ? f->e.timezone : "Europe/London";
	/* The acronym: the slug in lower case, [a-z0-9_] only, 4+ long. */
	ac = arena_printf(a, "%s____", f->e.slug && *f->e.slug ? f->e.slug : "event");
	if (!ac)
		return E_INTERNAL;
	for (p = ac; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (!isalnum((unsigned char)*p) || (unsigned char)*p > 127)
			*p = '_';
	}
	p = ac + strlen(ac);
	while (p - ac > 4 && p[-1] == '_')
		*--p = '\0';
	f->acronym = ac;
	return E_OK;
}

/* Is session s in a person's feed (starred, a seat or waiting)? */
static int
personal_pick(const struct agenda_session *s)
{
	return s->starred || s->signup != SIGNUP_NONE;
}

/* The speakers of s as "A, B" into the arena ("" if none). */
static const char *
speaker_names(struct arena *a, const struct agenda *ag, const struct agenda_session *s)
{
	const struct agenda_speaker	*sp;
	const char			*out = "";
	size_t				 i;

	for (i = 0; i < s->nspeakers; i++) {
		sp = agenda_find_speaker(ag, s->speaker_ids[i]);
		if (!sp)
			continue;
		out = arena_printf(a, "%s%s%s", out, *out ? ", " : "", sp->name);
		if (!out)
			return "";
	}
	return out;
}

/* A unix time as a libical UTC time. */
static struct icaltimetype
ical_utc(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* The programme (or a person's part of it) as iCalendar. */
enum app_err
feeds_ical(struct app *app, struct db *db, struct arena *a, const char *base,
	   int64_t person_id, struct buf *out)
{
	struct feed		 f;
	icalcomponent		*cal = NULL, *ev;
	icalproperty		*xp;
	struct agenda_session	*s;
	const char		*speakers, *desc;
	char			*text = NULL;
	int64_t			 start, end, now = now_unix();
	int			 off;
	size_t			 i;
	enum app_err		 rc;

	rc = feed_load(app, db, a, person_id, &f);
	if (rc != E_OK)
		goto out;
	rc = E_INTERNAL;
	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
				  icalproperty_new_prodid("-//colead//feeds//EN"),
				  icalproperty_new_version("2.0"),
				  icalproperty_new_calscale("GREGORIAN"),
				  icalproperty_new_method(ICAL_METHOD_PUBLISH),
				  (void *)0);
	if (!cal)
		goto out;
	xp = icalproperty_new_x(person_id > 0 ?
				arena_printf(a, "%s: my agenda", f.e.name) : f.e.name);
	icalproperty_set_x_name(xp, "X-WR-CALNAME");
	icalcomponent_add_property(cal, xp);
	for (i = 0; i < f.ag.nsessions; i++) {
		s = &f.ag.sessions[i];
		if (person_id > 0 && !personal_pick(s))
			continue;
		start = event_unix_time(f.tz, s->date, s->start_min, &off);
		end = event_unix_time(f.tz, s->date, s->end_min, &off);
		if (start < 0 || end < 0)
			continue;
		speakers = speaker_names(a, &f.ag, s);
		desc = *speakers ? arena_printf(a, "With %s.\n\n%s", speakers, s->description) :
				   s->description;
		ev = icalcomponent_vanew(ICAL_VEVENT_COMPONENT,
			icalproperty_new_uid(arena_printf(a, "session-%" PRId64 "@%s", s->id, f.acronym)),
			icalproperty_new_dtstamp(ical_utc(now)),
			icalproperty_new_dtstart(ical_utc(start)),
			icalproperty_new_dtend(ical_utc(end)),
			icalproperty_new_summary(s->title),
			icalproperty_new_description(desc ? desc : ""),
			icalproperty_new_url(arena_printf(a, "%s/sessions/%" PRId64, base, s->id)),
			(void *)0);
		if (!ev)
			goto out;
		if (s->room && *s->room)
			icalcomponent_add_property(ev, icalproperty_new_location(s->room));
		if (s->track && *s->track)
			icalcomponent_add_property(ev, icalproperty_new_categories(s->track));
		icalcomponent_add_component(cal, ev);
	}
	text = icalcomponent_as_ical_string_r(cal);
	if (!text)
		goto out;
	buf_adds(out, text);
	rc = out->toobig ? E_INTERNAL : E_OK;
out:
	free(text);
	if (cal)
		icalcomponent_free(cal);
	return rc;
}

/* A local time with its UTC offset: "2027-03-11T09:30:00+00:00". */
static char *
iso_local(struct arena *a, const char *tz, const char *date, int minute)
{
	int	 off;

	if (event_unix_time(tz, date, minute, &off) < 0)
		return NULL;
	if (minute >= 1440)
		minute = 1439;
	return arena_printf(a, "%sT%02d:%02d:00%c%02d:%02d", date, minute / 60, minute % 60,
			    off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
}

/* "01:30" for a number of minutes. */
static char *
hours_minutes(struct arena *a, int minutes)
{
	return arena_printf(a, "%02d:%02d", minutes / 60, minutes % 60);
}

/* A session's slug: acronym-id-title, [a-z0-9-] only. */
static char *
session_slug(struct arena *a, const char *acronym, const struct agenda_session *s)
{
	char		 t[48];
	size_t		 n = 0;
	const char	*p;

	for (p = s->title; *p && n < sizeof(t) - 1; p++) {
		if (isalnum((unsigned char)*p) && (unsigned char)*p < 128)
			t[n++] = (char)tolower((unsigned char)*p);
		else if (n > 0 && t[n - 1] != '-')
			t[n++] = '-';
	}
	while (n > 0 && t[n - 1] == '-')
		n--;
	t[n] = '\0';
	return arena_printf(a, "%s-%" PRId64 "%s%s", acronym, s->id, n ? "-" : "-session", t);
}

/* The room name a session is listed under ("All rooms" for none). */
static const char *
room_name(const struct agenda_session *s)
{
	return s->room && *s->room ? s->room : "All rooms";
}

/* The first start and last end of a day's sessions, minutes (09:00-18:00
 * for an empty day). */
static void
day_span(const struct agenda *ag, const struct agenda_day *d, int *first, int *last)
{
	size_t	 i;

	*first = 24 * 60;
	*last = 0;
	for (i = 0; i < ag->nsessions; i++) {
		if (ag->sessions[i].day_id != d->id)
			continue;
		if (ag->sessions[i].start_min < *first)
			*first = ag->sessions[i].start_min;
		if (ag->sessions[i].end_min > *last)
			*last = ag->sessions[i].end_min;
	}
	if (*first >= *last) {
		*first = 9 * 60;
		*last = 18 * 60;
	}
}

/* Write one element with text content. */
static int
xml_el(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElement(w, XC(name), XC(text ? text : ""));
}

/* One <event> of schedule.xml. */
static int
xml_event(xmlTextWriterPtr w, struct arena *a, const struct feed *f, const char *base,
	  const struct agenda_session *s)
{
	const struct agenda_speaker	*sp;
	char				 guid[37];
	size_t				 i;
	int				 r = 0;

	feeds_uuid("session", s->id, guid);
	r |= xmlTextWriterStartElement(w, XC("event")) < 0;
	r |= xmlTextWriterWriteFormatAttribute(w, XC("id"), "%" PRId64, s->id) < 0;
	r |= xmlTextWriterWriteAttribute(w, XC("guid"), XC(guid)) < 0;
	r |= xml_el(w, "date", iso_local(a, f->tz, s->date, s->start_min)) < 0;
	r |= xml_el(w, "start", agenda_hhmm(a, s->start_min)) < 0;
	r |= xml_el(w, "duration", hours_minutes(a, s->end_min - s->start_min)) < 0;
	r |= xml_el(w, "room", room_name(s)) < 0;
	r |= xml_el(w, "slug", session_slug(a, f->acronym, s)) < 0;
	r |= xml_el(w, "url", arena_printf(a, "%s/sessions/%" PRId64, base, s->id)) < 0;
	r |= xml_el(w, "title", s->title) < 0;
	r |= xml_el(w, "subtitle", "") < 0;
	r |= xml_el(w, "track", s->track ? s->track : "") < 0;
	r |= xml_el(w, "type", s->kind) < 0;
	r |= xml_el(w, "language", "en") < 0;
	r |= xml_el(w, "abstract", s->description) < 0;
	r |= xml_el(w, "description", s->description) < 0;
	r |= xmlTextWriterStartElement(w, XC("recording")) < 0;
	r |= xml_el(w, "license", "") < 0;
	r |= xml_el(w, "optout", "true") < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterStartElement(w, XC("persons")) < 0;
	for (i = 0; i < s->nspeakers; i++) {
		sp = agenda_find_speaker(&f->ag, s->speaker_ids[i]);
		if (!sp)
			continue;
		r |= xmlTextWriterStartElement(w, XC("person")) < 0;
		r |= xmlTextWriterWriteFormatAttribute(w, XC("id"), "%" PRId64, sp->id) < 0;
		r |= xmlTextWriterWriteString(w, XC(sp->name)) < 0;
		r |= xmlTextWriterEndElement(w) < 0;
	}
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterStartElement(w, XC("links")) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterStartElement(w, XC("attachments")) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	return r ? -1 : 0;
}

/* The rooms sessions of day d are listed under, in agenda order, with
 * "All rooms" last when used: names into names[] (n returned). */
static size_t
day_rooms(const struct agenda *ag, const struct agenda_day *d, const char **names)
{
	size_t	 i, j, n = 0;
	int	 none = 0;

	for (j = 0; j < ag->nrooms; j++)
		for (i = 0; i < ag->nsessions; i++)
			if (ag->sessions[i].day_id == d->id && ag->sessions[i].room_id == ag->rooms[j].id) {
				names[n++] = ag->rooms[j].name;
				break;
			}
	for (i = 0; i < ag->nsessions; i++)
		if (ag->sessions[i].day_id == d->id && !ag->sessions[i].room_id)
			none = 1;
	if (none)
		names[n++] = "All rooms";
	return n;
}

/* The guid of the room called name (id 0 for "All rooms"). */
static void
room_guid(const struct agenda *ag, const char *name, char guid[37])
{
	size_t	 i;

	for (i = 0; i < ag->nrooms; i++)
		if (strcmp(ag->rooms[i].name, name) == 0) {
			feeds_uuid("room", ag->rooms[i].id, guid);
			return;
		}
	feeds_uuid("room", 0, guid);
}

/* The programme as schedule.xml. */
enum app_err
feeds_schedule_xml(struct app *app, struct db *db, struct arena *a, const char *base,
		   struct buf *out)
{
	struct feed			 f;
	xmlBufferPtr			 xb = NULL;
	xmlTextWriterPtr		 w = NULL;
	const struct agenda_day		*d;
	const struct agenda_session	*s;
	const char			**rooms;
	char				 rguid[37];
	size_t				 i, j, k, nr;
	int				 r = 0, first, last;
	enum app_err			 rc;

	rc = feed_load(app, db, a, 0, &f);
	if (rc != E_OK)
		return rc;
	rc = E_INTERNAL;
	rooms = arena_alloc(a, (f.ag.nrooms + 1) * sizeof(*rooms));
	if (!rooms || !(xb = xmlBufferCreate()) || !(w = xmlNewTextWriterMemory(xb, 0)))
		goto out;
	r |= xmlTextWriterSetIndent(w, 1) < 0;
	r |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	r |= xmlTextWriterStartElement(w, XC("schedule")) < 0;
	r |= xmlTextWriterStartElement(w, XC("generator")) < 0;
	r |= xmlTextWriterWriteAttribute(w, XC("name"), XC("colead")) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xml_el(w, "url", arena_printf(a, "%s/schedule.xml", base)) < 0;
	r |= xml_el(w, "version", arena_printf(a, "%" PRId64, f.ag.version)) < 0;
	r |= xmlTextWriterStartElement(w, XC("conference")) < 0;
	r |= xml_el(w, "acronym", f.acronym) < 0;
	r |= xml_el(w, "title", f.e.name) < 0;
	r |= xml_el(w, "start", f.e.starts_on) < 0;
	r |= xml_el(w, "end", f.e.ends_on) < 0;
	r |= xml_el(w, "days", arena_printf(a, "%zu", f.ag.ndays)) < 0;
	r |= xml_el(w, "timeslot_duration", "00:15") < 0;
	r |= xml_el(w, "base_url", arena_printf(a, "%s/", base)) < 0;
	r |= xml_el(w, "url", arena_printf(a, "%s/agenda", base)) < 0;
	r |= xml_el(w, "time_zone_name", f.tz) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	for (i = 0; i < f.ag.ndays; i++) {
		d = &f.ag.days[i];
		day_span(&f.ag, d, &first, &last);
		r |= xmlTextWriterStartElement(w, XC("day")) < 0;
		r |= xmlTextWriterWriteFormatAttribute(w, XC("index"), "%zu", i + 1) < 0;
		r |= xmlTextWriterWriteAttribute(w, XC("date"), XC(d->date)) < 0;
		r |= xmlTextWriterWriteAttribute(w, XC("start"),
			XC(iso_local(a, f.tz, d->date, first))) < 0;
		r |= xmlTextWriterWriteAttribute(w, XC("end"),
			XC(iso_local(a, f.tz, d->date, last))) < 0;
		nr = day_rooms(&f.ag, d, rooms);
		for (j = 0; j < nr; j++) {
			r |= xmlTextWriterStartElement(w, XC("room")) < 0;
			r |= xmlTextWriterWriteAttribute(w, XC("name"), XC(rooms[j])) < 0;
			room_guid(&f.ag, rooms[j], rguid);
			r |= xmlTextWriterWriteAttribute(w, XC("guid"), XC(rguid)) < 0;
			for (k = 0; k < f.ag.nsessions; k++) {
				s = &f.ag.sessions[k];
				if (s->day_id != d->id || strcmp(room_name(s), rooms[j]) != 0)
					continue;
				r |= xml_event(w, a, &f, base, s) < 0;
			}
			r |= xmlTextWriterEndElement(w) < 0;
		}
		r |= xmlTextWriterEndElement(w) < 0;
	}
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	w = NULL;
	if (r)
		goto out;
	buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	rc = out->toobig ? E_INTERNAL : E_OK;
out:
	if (w)
		xmlFreeTextWriter(w);
	if (xb)
		xmlBufferFree(xb);
	return rc;
}

/* Set key of obj to a new string (an empty one for NULL). */
static void
js(json_t *obj, const char *key, const char *val)
{
	json_object_set_new(obj, key, json_string(val ? val : ""));
}

/* One event object of schedule.json. */
static json_t *
json_event(struct arena *a, const struct feed *f, const char *base, const struct agenda_session *s)
{
	const struct agenda_speaker	*sp;
	json_t				*ev = json_object(), *persons = json_array(), *p, *links, *l;
	char				 guid[37];
	size_t				 i;

	feeds_uuid("session", s->id, guid);
	js(ev, "guid", guid);
	json_object_set_new(ev, "id", json_integer(s->id));
	js(ev, "date", iso_local(a, f->tz, s->date, s->start_min));
	js(ev, "start", agenda_hhmm(a, s->start_min));
	js(ev, "duration", hours_minutes(a, s->end_min - s->start_min));
	js(ev, "room", room_name(s));
	js(ev, "slug", session_slug(a, f->acronym, s));
	js(ev, "url", arena_printf(a, "%s/sessions/%" PRId64, base, s->id));
	js(ev, "title", s->title);
	js(ev, "subtitle", "");
	json_object_set_new(ev, "track", s->track && *s->track ? json_string(s->track) : json_null());
	js(ev, "type", s->kind);
	js(ev, "language", "en");
	js(ev, "abstract", s->description);
	js(ev, "description", s->description);
	js(ev, "recording_license", "");
	json_object_set_new(ev, "do_not_record", json_true());
	for (i = 0; i < s->nspeakers; i++) {
		sp = agenda_find_speaker(&f->ag, s->speaker_ids[i]);
		if (!sp)
			continue;
		p = json_object();
		json_object_set_new(p, "id", json_integer(sp->id));
		js(p, "public_name", sp->name);
		json_array_append_new(persons, p);
	}
	json_object_set_new(ev, "persons", persons);
	links = json_array();
	l = json_object();
	js(l, "url", arena_printf(a, "%s/sessions/%" PRId64, base, s->id));
	js(l, "title", "Session page");
	js(l, "type", "web");
	json_array_append_new(links, l);
	json_object_set_new(ev, "links", links);
	json_object_set_new(ev, "attachments", json_array());
	return ev;
}

/* The programme as schedule.json. */
enum app_err
feeds_schedule_json(struct app *app, struct db *db, struct arena *a, const char *base,
		    struct buf *out)
{
	struct feed			 f;
	json_t				*root = NULL, *sch, *conf, *days, *day, *drooms, *list, *rooms, *room;
	json_t				*tracks, *t;
	const struct agenda_day		*d;
	const struct agenda_session	*s;
	const char			**names;
	char				 guid[37], *text = NULL;
	size_t				 i, j, k, nr;
	int				 first, last, none = 0;
	enum app_err			 rc;

	rc = feed_load(app, db, a, 0, &f);
	if (rc != E_OK)
		return rc;
	rc = E_INTERNAL;
	names = arena_alloc(a, (f.ag.nrooms + 1) * sizeof(*names));
	if (!names)
		goto out;
	root = json_object();
	js(root, "$schema", "https://c3voc.de/schedule/schema.json");
	t = json_object();
	js(t, "name", "colead");
	json_object_set_new(root, "generator", t);
	sch = json_object();
	json_object_set_new(root, "schedule", sch);
	js(sch, "version", arena_printf(a, "%" PRId64, f.ag.version));
	js(sch, "base_url", arena_printf(a, "%s/", base));
	conf = json_object();
	json_object_set_new(sch, "conference", conf);
	js(conf, "acronym", f.acronym);
	js(conf, "title", f.e.name);
	js(conf, "start", f.e.starts_on);
	js(conf, "end", f.e.ends_on);
	json_object_set_new(conf, "daysCount", json_integer((json_int_t)f.ag.ndays));
	js(conf, "timeslot_duration", "00:15");
	js(conf, "time_zone_name", f.tz);
	js(conf, "url", arena_printf(a, "%s/agenda", base));
	rooms = json_array();
	for (i = 0; i < f.ag.nrooms; i++) {
		room = json_object();
		js(room, "name", f.ag.rooms[i].name);
		feeds_uuid("room", f.ag.rooms[i].id, guid);
		js(room, "guid", guid);
		json_array_append_new(rooms, room);
	}
	for (i = 0; i < f.ag.nsessions; i++)
		none |= f.ag.sessions[i].room_id == 0;
	if (none) {
		room = json_object();
		js(room, "name", "All rooms");
		feeds_uuid("room", 0, guid);
		js(room, "guid", guid);
		json_array_append_new(rooms, room);
	}
	json_object_set_new(conf, "rooms", rooms);
	tracks = json_array();
	for (i = 0; i < f.ag.ntracks; i++) {
		t = json_object();
		js(t, "name", f.ag.tracks[i].name);
		json_array_append_new(tracks, t);
	}
	json_object_set_new(conf, "tracks", tracks);
	days = json_array();
	json_object_set_new(conf, "days", days);
	for (i = 0; i < f.ag.ndays; i++) {
		d = &f.ag.days[i];
		day_span(&f.ag, d, &first, &last);
		day = json_object();
		json_object_set_new(day, "index", json_integer((json_int_t)i + 1));
		js(day, "date", d->date);
		js(day, "day_start", iso_local(a, f.tz, d->date, first));
		js(day, "day_end", iso_local(a, f.tz, d->date, last));
		drooms = json_object();
		nr = day_rooms(&f.ag, d, names);
		for (j = 0; j < nr; j++) {
			list = json_array();
			for (k = 0; k < f.ag.nsessions; k++) {
				s = &f.ag.sessions[k];
				if (s->day_id == d->id && strcmp(room_name(s), names[j]) == 0)
					json_array_append_new(list, json_event(a, &f, base, s));
			}
			json_object_set_new(drooms, names[j], list);
		}
		json_object_set_new(day, "rooms", drooms);
		json_array_append_new(days, day);
	}
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!text)
		goto out;
	buf_adds(out, text);
	rc = out->toobig ? E_INTERNAL : E_OK;
out:
	free(text);
	json_decref(root);
	return rc;
}

/* ---- personal feed tokens ---- */

#define TOKEN_RAW	32
#define TOKEN_HASH_HEX	(crypto_hash_sha256_BYTES * 2 + 1)

/* The hex SHA-256 under which a token is stored; -1 for a string that
 * cannot be one of ours (43 base64url characters), never looked up. */
static int
token_digest(const char *tok, char hash[TOKEN_HASH_HEX])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];
	size_t		 n = tok ? strlen(tok) : 0, i;

	if (n != FEEDS_TOKEN_LEN - 1)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)tok[i]) && tok[i] != '-' && tok[i] != '_')
			return -1;
	crypto_hash_sha256(h, (const unsigned char *)tok, n);
	sodium_bin2hex(hash, TOKEN_HASH_HEX, h, sizeof(h));
	return 0;
}

/* A fresh 256-bit token replaces any earlier one. */
enum app_err
feeds_token_new(struct app *app, struct db *db, struct arena *a, int64_t person_id, char **token)
{
	unsigned char	 raw[TOKEN_RAW];
	char		 tok[FEEDS_TOKEN_LEN], hash[TOKEN_HASH_HEX];
	enum app_err	 rc;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(tok, sizeof(tok), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	if (token_digest(tok, hash) < 0)
		BUG("feed token '%s' has the wrong shape", tok);
	rc = feeds_store_token_set(db, app->event_id, person_id, hash, now_unix());
	if (rc == E_OK && !(*token = arena_strdup(a, tok)))
		rc = E_INTERNAL;
	sodium_memzero(tok, sizeof(tok));
	return rc;
}

/* Revoking removes the hash: the URL answers 404 from then on. */
enum app_err
feeds_token_revoke(struct app *app, struct db *db, int64_t person_id)
{
	return feeds_store_token_delete(db, app->event_id, person_id);
}

/* Whether the person has a live token, and since when. */
enum app_err
feeds_token_status(struct app *app, struct db *db, int64_t person_id, int *has, int64_t *since)
{
	return feeds_store_token_get(db, app->event_id, person_id, has, since);
}

/* A malformed token is E_NOTFOUND without touching the database. */
enum app_err
feeds_token_person(struct app *app, struct db *db, const char *token, int64_t *person_id)
{
	char	 hash[TOKEN_HASH_HEX];

	if (token_digest(token, hash) < 0)
		return E_NOTFOUND;
	return feeds_store_token_person(db, app->event_id, hash, person_id);
}
