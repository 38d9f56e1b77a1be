-- 0013_plan_indexes: indexes asked for by tests/plans (every query reaches a
-- large table through an index).
-- @both
-- The network moderation log, newest first.
CREATE INDEX moderation_action_created ON moderation_action (created_at, id);
