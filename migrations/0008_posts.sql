-- 0008_posts.sql - clear communication and safety in conversation
-- (capabilities C4 and C8): a group's announcements and threads, their
-- replies, who muted which thread, reports of posts, and the audit of
-- moderation actions (who hid, restored, locked or unlocked what, and why).
--
-- A thread's opening post has thread_id NULL and a kind: announcement,
-- discussion, offer (of help) or ask (for help); a reply has kind reply and
-- the thread's id. last_activity_at orders the stream.
CREATE TABLE post (
	id BIGINT PRIMARY KEY,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	thread_id BIGINT REFERENCES post(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('announcement', 'discussion', 'offer', 'ask', 'reply')),
	title TEXT,
	body_md TEXT NOT NULL,
	author_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	is_hidden INTEGER NOT NULL DEFAULT 0,
	is_locked INTEGER NOT NULL DEFAULT 0,
	reply_count INTEGER NOT NULL DEFAULT 0,
	last_activity_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX post_group_threads ON post (group_id, thread_id, last_activity_at);
CREATE INDEX post_thread ON post (thread_id, created_at);

-- A thread a person muted: collapsed in their stream.
CREATE TABLE post_mute (
	post_id BIGINT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (post_id, person_id)
);
CREATE INDEX post_mute_person ON post_mute (person_id);

-- A report of a post, open until a moderation action on the post.
CREATE TABLE post_report (
	id BIGINT PRIMARY KEY,
	post_id BIGINT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	reporter_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	reason TEXT NOT NULL,
	is_open INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	closed_at BIGINT
);
CREATE INDEX post_report_group_open ON post_report (group_id, is_open, created_at);
CREATE INDEX post_report_open ON post_report (is_open, created_at);
CREATE INDEX post_report_post ON post_report (post_id);

-- The audit of moderation: every action, who took it, when and why.
CREATE TABLE moderation_action (
	id BIGINT PRIMARY KEY,
	post_id BIGINT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES peer_group(id) ON DELETE CASCADE,
	action TEXT NOT NULL CHECK (action IN ('hide', 'restore', 'lock', 'unlock')),
	reason TEXT NOT NULL,
	actor_id BIGINT REFERENCES person(id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX moderation_action_group ON moderation_action (group_id, created_at);
CREATE INDEX moderation_action_post ON moderation_action (post_id, created_at);
