-- When each JWT was revoked (epoch milliseconds, the revoking node's wall clock), so that every
-- node can keep a copy of the revocation list current by reading only the rows revoked since its
-- last read, instead of asking the database once per introspected token.
-- Expand only: a nullable column, so nodes of the previous version keep inserting rows without
-- it during a rolling upgrade (those rows are read on every poll until they expire). Portable
-- between PostgreSQL and H2 (MODE=PostgreSQL).
alter table revoked_jwt add column revoked_at bigint;
create index revoked_jwt_revoked_at on revoked_jwt (revoked_at);
