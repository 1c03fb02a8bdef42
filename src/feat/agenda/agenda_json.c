/* agenda_json.c - the public programme as JSON for /api/agenda,
 * /api/sessions/:id and /api/speakers, and the cache of rendered agenda
 * pages for visitors.  Every text value goes through buf_add_json_str;
 * nothing personal (stars, sign-ups, linked accounts) is ever written
 * here, and the cache only ever holds pages rendered for visitors. */
#include "agenda.h"
#include "../../core/buf.h"
#include "../../core/log.h"

/* "key": "value" with the value escaped. */
static void
jstr(struct buf *b, const char *key, const char *value)
{
	buf_addf(b, "\"%s\":", key);
	buf_add_json_str(b, value ? value : "", value ? strlen(value) : 0);
}

/* "2027-03-11T09:30" for a date and a minute. */
static void
jtime(struct buf *b, const char *key, const char *date, int minute)
{
	buf_addf(b, "\"%s\":\"", key);
	buf_add_html(b, date, strlen(date));	/* digits and dashes only */
	buf_addf(b, "T%02d:%02d\"", minute / 60 % 24, minute % 60);
}

/* One speaker object (no account link, no email); with !close the
 * object is left open for more members. */
static void
speaker_obj(struct buf *b, const struct agenda_speaker *sp, int close)
{
	buf_addf(b, "{\"id\":%" PRId64 ",", sp->id);
	jstr(b, "name", sp->name);
	buf_addc(b, ',');
	jstr(b, "affiliation", sp->affiliation);
	buf_addc(b, ',');
	jstr(b, "bio", sp->bio);
	buf_addc(b, ',');
	if (sp->has_photo)
		buf_addf(b, "\"photo\":\"/speakers/%" PRId64 "/photo\"", sp->id);
	else
		buf_adds(b, "\"photo\":null");
	buf_addf(b, ",\"url\":\"/speakers/%" PRId64 "\"%s", sp->id, close ? "}" : "");
}

/* One session object, its speakers inline. */
static void
session_obj(struct buf *b, const struct agenda *ag, const struct agenda_session *s)
{
	const struct agenda_speaker	*sp;
	size_t				 i, n = 0;

	buf_addf(b, "{\"id\":%" PRId64 ",", s->id);
	jstr(b, "title", s->title);
	buf_addc(b, ',');
	jstr(b, "kind", s->kind);
	buf_addc(b, ',');
	jstr(b, "kind_label", agenda_kind_label(s->kind));
	buf_addc(b, ',');
	jstr(b, "description", s->description);
	buf_addc(b, ',');
	jstr(b, "day", s->date);
	buf_addc(b, ',');
	jtime(b, "start", s->date, s->start_min);
	buf_addc(b, ',');
	jtime(b, "end", s->date, s->end_min);
	buf_addc(b, ',');
	if (s->room_id) {
		buf_addf(b, "\"room\":{\"id\":%" PRId64 ",", s->room_id);
		jstr(b, "name", s->room);
		buf_adds(b, "},");
	} else {
		buf_adds(b, "\"room\":null,");
	}
	if (s->track_id) {
		buf_addf(b, "\"track\":{\"id\":%" PRId64 ",", s->track_id);
		jstr(b, "name", s->track);
		buf_adds(b, "},");
	} else {
		buf_adds(b, "\"track\":null,");
	}
	if (s->capacity > 0)
		buf_addf(b, "\"capacity\":%" PRId64 ",\"seats_taken\":%" PRId64
		    ",\"seats_left\":%" PRId64 ",\"waiting\":%" PRId64 ",",
		    s->capacity, s->seats_taken,
		    s->capacity > s->seats_taken ? s->capacity - s->seats_taken : 0, s->waiting);
	else
		buf_adds(b, "\"capacity\":null,");
	buf_adds(b, "\"speakers\":[");
	for (i = 0; i < s->nspeakers; i++) {
		sp = agenda_find_speaker(ag, s->speaker_ids[i]);
		if (!sp)
			continue;
		if (n++)
			buf_addc(b, ',');
		speaker_obj(b, sp, 1);
	}
	buf_addf(b, "],\"url\":\"/sessions/%" PRId64 "\"}", s->id);
}

/* GET /api/agenda's body: days with their sessions, then rooms and tracks. */
void
agenda_json(struct buf *out, const struct agenda *ag)
{
	size_t i, j, n;

	buf_addf(out, "{\"version\":%" PRId64 ",\"days\":[", ag->version);
	for (i = 0; i < ag->ndays; i++) {
		if (i)
			buf_addc(out, ',');
		buf_addf(out, "{\"id\":%" PRId64 ",", ag->days[i].id);
		jstr(out, "date", ag->days[i].date);
		buf_addc(out, ',');
		jstr(out, "title", ag->days[i].title);
		buf_adds(out, ",\"sessions\":[");
		for (j = 0, n = 0; j < ag->nsessions; j++) {
			if (ag->sessions[j].day_id != ag->days[i].id)
				continue;
			if (n++)
				buf_addc(out, ',');
			session_obj(out, ag, &ag->sessions[j]);
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, "],\"rooms\":[");
	for (i = 0; i < ag->nrooms; i++) {
		buf_addf(out, "%s{\"id\":%" PRId64 ",", i ? "," : "", ag->rooms[i].id);
		jstr(out, "name", ag->rooms[i].name);
		buf_addc(out, '}');
	}
	buf_adds(out, "],\"tracks\":[");
	for (i = 0; i < ag->ntracks; i++) {
		buf_addf(out, "%s{\"id\":%" PRId64 ",", i ? "," : "", ag->tracks[i].id);
		jstr(out, "name", ag->tracks[i].name);
		buf_addc(out, '}');
	}
	buf_adds(out, "]}");
}

/* One session's object. */
enum app_err
agenda_session_json(struct buf *out, const struct agenda *ag, int64_t id)
{
	const struct agenda_session *s = agenda_find_session(ag, id);

	if (!s)
		return E_NOTFOUND;
	session_obj(out, ag, s);
	return E_OK;
}

/* Every speaker with the ids of their sessions. */
void
agenda_speakers_json(struct buf *out, const struct agenda *ag)
{
	const struct agenda_session	*s;
	size_t				 i, j, k, n;

	buf_adds(out, "{\"speakers\":[");
	for (i = 0; i < ag->nspeakers; i++) {
		if (i)
			buf_addc(out, ',');
		speaker_obj(out, &ag->speakers[i], 0);
		buf_adds(out, ",\"sessions\":[");
		for (j = 0, n = 0; j < ag->nsessions; j++) {
			s = &ag->sessions[j];
			for (k = 0; k < s->nspeakers; k++) {
				if (s->speaker_ids[k] != ag->speakers[i].id)
					continue;
				buf_addf(out, "%s%" PRId64, n++ ? "," : "", s->id);
				break;
			}
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, "]}");
}
