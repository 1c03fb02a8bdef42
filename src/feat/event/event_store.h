/* event_store.h - SQL for events and settings; private to the feature. */
#ifndef COLEAD_EVENT_STORE_H
#define COLEAD_EVENT_STORE_H

#include "event.h"

enum app_err	event_store_get(struct db *db, struct arena *a, int64_t id, struct event *e);
enum app_err	event_store_first_id(struct db *db, int64_t *id);
enum app_err	event_store_add(struct db *db, const struct event *e, int64_t now, int64_t *id);
/* Store the editable details of event e->id. */
enum app_err	event_store_update(struct db *db, const struct event *e);
/* The value of a setting into out (NUL-terminated); E_NOTFOUND if unset. */
enum app_err	event_store_setting(struct db *db, const char *name, char *out, size_t n);
/* Set it unless already set (first writer wins across instances). */
enum app_err	event_store_setting_init(struct db *db, const char *name, const char *value);

#endif
