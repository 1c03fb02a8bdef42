-- 0007 feeds: the secret behind each person's personal calendar feed
-- (/my-agenda/ics/<token>).  Only the hex SHA-256 of the token is kept; a
-- person has at most one live token per event, and replacing or revoking
-- it makes the old URL answer 404.  Same schema on SQLite and PostgreSQL.

CREATE TABLE feed_tokens (
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id	BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	token_hash	TEXT NOT NULL UNIQUE,		-- hex SHA-256 of the token
	created_at	BIGINT NOT NULL,
	PRIMARY KEY (event_id, person_id)
);
