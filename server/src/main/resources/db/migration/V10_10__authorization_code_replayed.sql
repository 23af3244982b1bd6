-- A replay of an authorization code is recorded on its row before the replay reads what was
-- issued from it, and the exchange that spent the code records what it issued only if no replay
-- came first: whichever of the two is second sees the other, so the tokens issued from a
-- replayed code are always revoked (RFC 6749 §4.1.2), even when the replay races the exchange.
-- Expand only: a new column with a default, so nodes of the previous version keep working
-- against this schema during a rolling upgrade. Portable between PostgreSQL and H2.
alter table authorization_code add column replayed boolean not null default false;
