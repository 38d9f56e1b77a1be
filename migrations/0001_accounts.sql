-- 0001_accounts.sql - people, their sign-in sessions, login limits,
-- invitations and network-wide settings.
--
-- Plain SQL for SQLite and PostgreSQL alike: ids are BIGINT made by the
-- program (on SQLite "BIGINT PRIMARY KEY" becomes the rowid alias), times are
-- BIGINT Unix milliseconds (UTC), flags are INTEGER 0/1, text is TEXT.

-- Network-wide settings, and the server secret, as key/value text.
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Everyone Hearth knows about. People without an account (added by a
-- facilitator) have no email and no password. email is stored lower-cased,
-- so the UNIQUE constraint is case-insensitive in effect.
CREATE TABLE person (
	id BIGINT PRIMARY KEY,
	email TEXT UNIQUE,
	display_name TEXT NOT NULL,
	pronouns TEXT,
	password_hash TEXT,
	is_admin INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	password_changed_at BIGINT
);

-- Signed-in sessions. Only a hash of the cookie token is stored; ended_at is
-- set by logout or by ending the session from the sessions page.
CREATE TABLE session (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ended_at BIGINT,
	user_agent TEXT,
	ip TEXT
);
CREATE INDEX session_person ON session(person_id);

-- Failed sign-ins counted per account ("acct:<email>") and per address
-- ("addr:<ip>"), with the time until which further attempts wait.
CREATE TABLE login_limit (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start BIGINT NOT NULL,
	locked_until BIGINT NOT NULL
);

-- Invitations to create an account. Only a hash of the token is stored.
CREATE TABLE invitation (
	id BIGINT PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	email TEXT,
	created_by BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	used_by BIGINT REFERENCES person(id) ON DELETE SET NULL
);
