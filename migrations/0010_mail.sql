-- 0010_mail.sql - how people hear about their groups' conversation
-- (capability C4, clear communication): each person's choice (every post,
-- a daily or weekly digest, or nothing), a choice per group that overrides
-- it, and the outbox of email waiting to go to the network's SMTP relay.
--
-- choice is 'every', 'daily', 'weekly' or 'none'; a person with no row has
-- chosen nothing yet and gets no email. daily_since and weekly_since are
-- where the next digest of that kind starts (set when the person chooses,
-- moved on each time a digest is built).
CREATE TABLE notification_pref (
	person_id BIGINT PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
	choice TEXT NOT NULL CHECK (choice IN ('every', 'daily', 'weekly', 'none')),
	daily_since BIGINT NOT NULL,
	weekly_since BIGINT NOT NULL,
	-- 1 when the person's own choice or one for a group is a digest: the
	-- mailer looks only at those (the two indexes below), never at everyone.
	wants_digest INTEGER NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL
);
CREATE INDEX notification_pref_daily ON notification_pref (wants_digest, daily_since);
CREATE INDEX notification_pref_weekly ON notification_pref (wants_digest, weekly_since);

CREATE TABLE notification_group_pref (
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	choice TEXT NOT NULL CHECK (choice IN ('every', 'daily', 'weekly', 'none')),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (person_id, group_id)
);
CREATE INDEX notification_group_pref_group ON notification_group_pref (group_id, choice);

-- One email to one person, as an intention: what it is about (a post, or a
-- digest of a window of time), not its text or address, which the mailer
-- composes when it sends, so a post hidden or a choice changed meanwhile is
-- respected and no message body is stored. status: pending (waiting for
-- next_attempt_at), sending (claimed by a mailer until next_attempt_at),
-- sent, skipped (nothing left to say), failed (gave up after the last
-- attempt). last_reply is the relay's reply code, never its text.
CREATE TABLE mail_outbox (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('post', 'digest')),
	post_id BIGINT REFERENCES post(id) ON DELETE CASCADE,
	period TEXT CHECK (period IN ('daily', 'weekly')),
	since_at BIGINT,
	until_at BIGINT,
	status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_reply INTEGER,
	created_at BIGINT NOT NULL,
	done_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_person ON mail_outbox (person_id);
