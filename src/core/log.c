/* log.c - one line per message on stderr, serialised by a mutex so lines
 * from worker threads never interleave.  Callers quote user text. */
#include "log.h"

#include <pthread.h>
#include <time.h>

static enum log_level	level = LOG_INFO;
static pthread_mutex_t	log_lock = PTHREAD_MUTEX_INITIALIZER;

void
log_set_level(enum log_level lvl)
{
	level = lvl;
}

void
log_set_quiet(int quiet)
{
	level = quiet ? LOG_WARN : LOG_INFO;
}

static void ATTR_PRINTF(2, 0)
log_v(enum log_level lvl, const char *fmt, va_list ap)
{
	static const char	*names[] = { "debug", "info", "warn", "error" };
	char			 ts[32];

	if (lvl < level)
		return;
	time_iso8601(now_unix(), ts, sizeof(ts));
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s %s: ", ts, names[lvl]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&log_lock);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(lvl, fmt, ap);
	va_end(ap);
}

int
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_ERROR, fmt, ap);
	va_end(ap);
	return -1;
}

int64_t
now_unix(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
time_iso8601(int64_t t, char *out, size_t n)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "?");
}
