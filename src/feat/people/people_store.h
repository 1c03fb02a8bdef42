/* people_store.h - the people feature's data access (people_store.c holds
 * every SQL statement).  Private to the feature: other features call
 * people.h.  Strings returned are allocated in the arena passed. */
#ifndef COLEAD_PEOPLE_STORE_H
#define COLEAD_PEOPLE_STORE_H

#include "people.h"

struct db;
struct arena;

struct session_row {
	int64_t		 id;
	int64_t		 created_at;
	int64_t		 last_seen;
};

/* Person and the hash of their password (NULL if none set), by email. */
enum app_err	people_store_login_row(struct db *db, struct arena *a, const char *email,
			int64_t *person_id, char **hash);
enum app_err	people_store_get(struct db *db, struct arena *a, int64_t event_id,
			int64_t person_id, struct person *p);
enum app_err	people_store_by_email(struct db *db, struct arena *a, int64_t event_id,
			const char *email, struct person *p);
/* New person; E_CONFLICT if the email is taken. */
enum app_err	people_store_add(struct db *db, const char *name, const char *email,
			const char *job_title, int64_t partnership_id, int64_t now, int64_t *id);
enum app_err	people_store_set_password(struct db *db, int64_t person_id, const char *hash, int64_t now);
unsigned	people_store_roles(struct db *db, int64_t event_id, int64_t person_id);
enum app_err	people_store_role_add(struct db *db, int64_t event_id, int64_t person_id, const char *role);
enum app_err	people_store_role_remove(struct db *db, int64_t event_id, int64_t person_id, const char *role);
/* Call fn for each person with a role in the event (or every person when
 * event_id is 0), ordered by name. */
enum app_err	people_store_each(struct db *db, struct arena *a, int64_t event_id,
			void (*fn)(void *arg, const struct person *p), void *arg);
int64_t		people_store_count(struct db *db);

int64_t		people_store_failures(struct db *db, const char *key, int64_t since);
enum app_err	people_store_failure_add(struct db *db, const char *key, int64_t at);
enum app_err	people_store_failures_clear(struct db *db, const char *key, int64_t before);

enum app_err	people_store_session_add(struct db *db, int64_t person_id, const char *token_hash,
			int64_t now, int64_t *id);
/* The live (not ended) session with this token hash, and its person. */
enum app_err	people_store_session_get(struct db *db, struct arena *a, const char *token_hash,
			struct session_row *s, int64_t *person_id);
enum app_err	people_store_session_touch(struct db *db, int64_t session_id, int64_t now);
enum app_err	people_store_session_end(struct db *db, int64_t session_id, int64_t now);
enum app_err	people_store_sessions_end_all(struct db *db, int64_t person_id, int64_t now);

enum app_err	people_store_token_add(struct db *db, int64_t person_id, const char *token_hash,
			const char *purpose, int64_t now, int64_t expires);
/* The person a usable (unused, unexpired) token belongs to. */
enum app_err	people_store_token_get(struct db *db, const char *token_hash, int64_t now,
			int64_t *person_id, char *purpose, size_t purpose_len);
/* Mark a usable token used; E_NOTFOUND if it was not usable (so two
 * concurrent uses cannot both succeed). */
enum app_err	people_store_token_use(struct db *db, const char *token_hash, int64_t now,
			int64_t *person_id);

enum app_err	people_store_partnership_add(struct db *db, const char *name, const char *region,
			const char *area, int64_t now, int64_t *id);
enum app_err	people_store_partnership_find(struct db *db, const char *name, int64_t *id);

/* What an import compares a row against: the person with this email. */
struct import_existing {
	int64_t		 id;
	const char	*name;
	const char	*job_title;
	int64_t		 partnership_id;
	unsigned	 roles;
};
enum app_err	people_store_import_get(struct db *db, struct arena *a, int64_t event_id,
			const char *email, struct import_existing *e);
enum app_err	people_store_update(struct db *db, int64_t id, const char *name,
			const char *job_title, int64_t partnership_id);
enum app_err	people_store_partnerships(struct db *db, struct arena *a, int64_t event_id,
			struct people_partnership **out, size_t *n);
enum app_err	people_store_partnership_rename(struct db *db, int64_t id, const char *name);
/* Move people of `from` to `into`, then delete `from`. */
enum app_err	people_store_partnership_merge(struct db *db, int64_t from, int64_t into);
enum app_err	people_store_of_partnership(struct db *db, struct arena *a, int64_t event_id,
			int64_t partnership_id,
			void (*fn)(void *arg, const struct person *p), void *arg);

enum app_err	people_store_upload_add(struct db *db, const char *id, int64_t event_id,
			int64_t person_id, const char *filename, const void *data, size_t n,
			int64_t now);
/* The kept file with this id, made by person_id for event_id. */
enum app_err	people_store_upload_get(struct db *db, struct arena *a, const char *id,
			int64_t event_id, int64_t person_id, const void **data, size_t *n,
			const char **filename);
enum app_err	people_store_upload_delete(struct db *db, const char *id);
enum app_err	people_store_uploads_expire(struct db *db, int64_t before);

/* People of the event with no password yet, by name (arena array). */
enum app_err	people_store_pending(struct db *db, struct arena *a, int64_t event_id,
			struct invite **out, size_t *n);
/* Unused invitations of the person stop working. */
enum app_err	people_store_invites_revoke(struct db *db, int64_t person_id, int64_t now);
enum app_err	people_store_invited(struct db *db, int64_t person_id, int64_t now);
enum app_err	people_store_consent(struct db *db, int64_t person_id, int64_t now);

enum app_err	people_store_listing_get(struct db *db, struct arena *a, int64_t person_id,
			int *listed, const char **job_title);
enum app_err	people_store_listing_set(struct db *db, int64_t person_id, int listed,
			const char *job_title);
enum app_err	people_store_directory(struct db *db, struct arena *a, int64_t event_id,
			struct people_listing **out, size_t *n);
/* Account facts for the personal-data export, as JSON members into b. */
enum app_err	people_store_data_json(struct db *db, int64_t event_id, int64_t person_id,
			struct buf *b);
/* Remove sign-ins, links, roles and uploads; overwrite identifying fields. */
enum app_err	people_store_erase(struct db *db, int64_t person_id);

#endif
