-- 0004_groups_extra.sql - indexes the directory and the organisations page
-- need beyond 0002: the groups an organisation hosts (also used when an
-- organisation is deleted and its groups' host_org_id is cleared).
CREATE INDEX peer_group_host ON peer_group (host_org_id);
