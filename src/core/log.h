/* log.h - one line per message on stderr: time, level, text.  Thread-safe;
 * never receives user-controlled text without quoting it (log_quote). */
#ifndef COLEAD_LOG_H
#define COLEAD_LOG_H

#include "core.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void	log_set_level(enum log_level lvl);
void	log_set_quiet(int quiet);	/* 1: drop INFO and below */
void	log_msg(enum log_level lvl, const char *fmt, ...) ATTR_PRINTF(2, 3);
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)

/* Logs at ERROR level and returns -1, so callers can `return error(...)`. */
int	error(const char *fmt, ...) ATTR_PRINTF(1, 2);

/* Current time. */
int64_t	now_unix(void);			/* seconds */
int64_t	now_ms(void);			/* monotonic milliseconds */
/* Format t (UTC) into out as "2027-03-11T09:30:00Z"; out >= 21 bytes. */
void	time_iso8601(int64_t t, char *out, size_t n);

#endif
