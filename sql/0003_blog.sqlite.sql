-- 0003 blog: the event's blog posts (Markdown, drafts, a publication
-- time) and its static pages (venue, accessibility, ...), some of which
-- appear in the main menu in menu_order.  SQLite version;
-- 0003_blog.pg.sql differs only in how an id column generates its values.

CREATE TABLE posts (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	slug		TEXT NOT NULL,
	title		TEXT NOT NULL,
	summary		TEXT NOT NULL DEFAULT '',
	body		TEXT NOT NULL DEFAULT '',	-- Markdown
	draft		INTEGER NOT NULL DEFAULT 1,	-- 1: organisers only
	published_at	BIGINT NOT NULL DEFAULT 0,	-- shown from then on when not a draft
	author_id	BIGINT REFERENCES people(id) ON DELETE SET NULL,
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	UNIQUE (event_id, slug)
);
CREATE INDEX posts_published ON posts(event_id, draft, published_at);

CREATE TABLE pages (
	id		INTEGER PRIMARY KEY,
	event_id	BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	slug		TEXT NOT NULL,
	title		TEXT NOT NULL,
	body		TEXT NOT NULL DEFAULT '',	-- Markdown
	in_menu		INTEGER NOT NULL DEFAULT 0,
	menu_order	INTEGER NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	UNIQUE (event_id, slug)
);
