-- The claims request parameter (OpenID Connect Core 1.0 §5.5): the claims a client asked for by
-- name, released at the UserInfo endpoint and in the ID token beyond those of its scopes. They
-- stay with the authorization: its code, the refresh tokens of the grant and the opaque access
-- tokens issued from it (JWT access tokens carry them as a claim). Space-separated claim names,
-- as scope; null: none.
-- Expand only: new nullable columns, so nodes of the previous version keep working against this
-- schema during a rolling upgrade. Portable between PostgreSQL and H2 (MODE=PostgreSQL).
alter table authorization_code add column userinfo_claims varchar(1000);
alter table authorization_code add column id_token_claims varchar(1000);
alter table refresh_token add column userinfo_claims varchar(1000);
alter table refresh_token add column id_token_claims varchar(1000);
alter table opaque_token add column userinfo_claims varchar(1000);
