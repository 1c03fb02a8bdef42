/* ratelimit.c - a per-person cap on state-changing requests: at most
 * cfg.post_rate ROUTE_CSRF requests per minute per session, counted in
 * memory in this process (fixed one-minute windows), 429 past it.  It
 * bounds what one signed-in account (or a script holding its cookie) can
 * write, whatever the feature.  It is deliberately forgetful: a slot is
 * shared by sessions whose ids collide and is simply taken over, which
 * can only reset a count, never refuse someone for another's requests.
 * It knows nothing of routes or features and never touches the database. */
#include "http_int.h"
#include "../core/core.h"

#include <pthread.h>

#define RATE_SLOTS	4096	/* sessions tracked at once */

struct rate_slot {
	int64_t		 session_id;
	int64_t		 minute;	/* unix time / 60 of the window */
	unsigned	 count;
};

static struct rate_slot	slots[RATE_SLOTS];
static pthread_mutex_t	rate_lock = PTHREAD_MUTEX_INITIALIZER;

int
http_rate_ok(int64_t session_id, int64_t per_minute, int64_t now)
{
	struct rate_slot	*s;
	int64_t			 minute = now / 60;
	int			 ok;

	if (per_minute <= 0 || session_id <= 0)
		return 1;	/* no limit, or a visitor (login has its own throttle) */
	pthread_mutex_lock(&rate_lock);
	s = &slots[(uint64_t)session_id % RATE_SLOTS];
	if (s->session_id != session_id || s->minute != minute) {
		s->session_id = session_id;
		s->minute = minute;
		s->count = 0;
	}
	ok = s->count < (uint64_t)per_minute;
	if (ok)
		s->count++;
	pthread_mutex_unlock(&rate_lock);
	return ok;
}
