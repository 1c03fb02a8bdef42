/* live_share.h - the live room across several colead instances serving
 * one PostgreSQL database.  Each instance's hub only sees its own
 * commits; this passes the others' on through NOTIFY/LISTEN on the
 * channel LIVE_CHANNEL.  Notifications carry references, never content:
 * the receiving instance reads the rows and renders them for each
 * audience exactly as the sending one did, so who sees what is decided in
 * one place (live.c).  Each payload starts with the sending instance's
 * id, and an instance ignores its own: it has already published them
 * locally, at once.  On SQLite (one process) nothing is sent and nothing
 * listens.  See docs/internals/sse.md. */
#ifndef COLEAD_LIVE_SHARE_H
#define COLEAD_LIVE_SHARE_H

#include "../../core/core.h"
#include "../../app.h"
#include "live_hub.h"

#define LIVE_CHANNEL		"colead_live"
#define LIVE_SHARE_WAIT_MS	200	/* the listener checks for a stop this often */
#define LIVE_SHARE_BACKOFF_MS	100	/* first wait before reconnecting; doubles ... */
#define LIVE_SHARE_BACKOFF_MAX	10000	/* ... up to this */

struct db;
struct live_share;

/* Start the listener thread (its own connection, named "colead[PID]
 * listen colead_live" in pg_stat_activity) when the app's database is
 * PostgreSQL; NULL otherwise (nothing to share).  Remote events and
 * tallies are published to h. */
struct live_share *live_share_new(struct app *app, struct live_hub *h);
/* Stop the listener (within LIVE_SHARE_WAIT_MS) and free it.  NULL is
 * fine.  Call it before the hub stops. */
void		 live_share_free(struct live_share *s);

/* Tell the other instances about live event event_id (kind "question",
 * "poll", "wall" or "screen", ref_id the id of what changed) of room_id.  Call it inside the transaction that
 * inserts the event, so the notification goes out only if and when it
 * commits.  E_OK (also on SQLite, where it sends nothing), or E_INTERNAL
 * (the transaction has then failed). */
enum app_err	 live_share_event(struct db *db, int64_t room_id, const char *kind,
			int64_t ref_id, int64_t event_id);
/* Tell the other instances that the coalesced keys ("q:R:Q", "poll:R:P")
 * changed here; they mark them dirty (live_touch_remote) and render them
 * on their own tick.  Called on the hub's thread once per tick with the
 * keys touched locally, after their changes committed.  A failure is
 * logged: the other instances then show that tally late. */
void		 live_share_keys(struct live_share *s, char (*keys)[LIVE_TOPIC_MAX],
			size_t n);

#endif
