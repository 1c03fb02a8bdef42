/* feeds_store.h - the feeds feature's data access: personal feed tokens
 * (feeds_store.c holds every SQL statement).  Private to the feature:
 * other features call feeds.h. */
#ifndef COLEAD_FEEDS_STORE_H
#define COLEAD_FEEDS_STORE_H

#include "feeds.h"

struct db;

/* Set (insert or replace) a person's token hash for the event. */
enum app_err	feeds_store_token_set(struct db *db, int64_t event_id, int64_t person_id,
			const char *token_hash, int64_t now);
/* Delete a person's token for the event (E_OK if there was none). */
enum app_err	feeds_store_token_delete(struct db *db, int64_t event_id, int64_t person_id);
/* A person's token: *has 0/1 and when it was made. */
enum app_err	feeds_store_token_get(struct db *db, int64_t event_id, int64_t person_id,
			int *has, int64_t *created_at);
/* The person whose token hashes to token_hash; E_NOTFOUND if none. */
enum app_err	feeds_store_token_person(struct db *db, int64_t event_id, const char *token_hash,
			int64_t *person_id);

#endif
