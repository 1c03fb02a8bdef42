/* pagecache.c - rendered pages kept for visitors.  Every visitor sees the
 * same agenda and home page, so the page is rendered once per schedule
 * version and copied out to each of them.  What surrounds the page (the
 * menu, the latest posts, the event's details) can change without the
 * version changing: the handlers that save those clear the cache, and an
 * entry older than PAGE_CACHE_TTL is a miss all the same, for changes
 * made by another instance or the command line, and for what moves with
 * the clock.  A handful of slots, a linear search and one lock: there
 * are only a few such pages. */
#include "http.h"
#include "../core/log.h"

#include <pthread.h>

static pthread_mutex_t	 cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char	*key;
	int64_t	 version;
	int64_t	 at;		/* when it was put, unix seconds */
	char	*data;
	size_t	 len;
} cache[PAGE_CACHE_SLOTS];

/* Copy the cached page for key into out if it is of this version and fresh. */
int
page_cache_get(const char *key, int64_t version, struct buf *out)
{
	int	 hit = 0;
	size_t	 i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < PAGE_CACHE_SLOTS; i++) {
		if (cache[i].key && strcmp(cache[i].key, key) == 0) {
			if (cache[i].version == version &&
			    now_unix() - cache[i].at < PAGE_CACHE_TTL) {
				buf_add(out, cache[i].data, cache[i].len);
				hit = !out->toobig;
			}
			break;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

/* Keep a copy of a page (replacing the key's older one). */
void
page_cache_put(const char *key, int64_t version, const char *data, size_t len)
{
	size_t	 i, slot = PAGE_CACHE_SLOTS;
	char	*copy = xmalloc(len + 1);

	memcpy(copy, data, len);
	copy[len] = '\0';
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < PAGE_CACHE_SLOTS; i++) {
		if (cache[i].key && strcmp(cache[i].key, key) == 0) {
			slot = i;
			break;
		}
		if (!cache[i].key && slot == PAGE_CACHE_SLOTS)
			slot = i;
	}
	if (slot == PAGE_CACHE_SLOTS) {
		free(copy);	/* full: pages beyond the slots are not cached */
	} else {
		if (!cache[slot].key)
			cache[slot].key = xstrdup(key);
		free(cache[slot].data);
		cache[slot].data = copy;
		cache[slot].len = len;
		cache[slot].version = version;
		cache[slot].at = now_unix();
	}
	pthread_mutex_unlock(&cache_lock);
}

/* Forget every page: what surrounds them changed (the event's details). */
void
page_cache_clear(void)
{
	size_t i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < PAGE_CACHE_SLOTS; i++) {
		free(cache[i].data);
		free(cache[i].key);
		cache[i].data = NULL;
		cache[i].key = NULL;
		cache[i].len = 0;
	}
	pthread_mutex_unlock(&cache_lock);
}
