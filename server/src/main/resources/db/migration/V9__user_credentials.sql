-- Credentials belong to a user who must still be active (issue #15, GH-02 and GH-05).
-- Expand only: new nullable columns, indexes and foreign keys; no column is dropped or renamed,
-- so nodes of the previous version keep working against this schema during a rolling upgrade.
-- Portable between PostgreSQL and H2 (MODE=PostgreSQL).

-- SSO sessions and refresh tokens are linked to their user: deleting the user deletes them in
-- the same statement, whichever node or version deletes it. Rows whose user no longer exists
-- (deleted before this migration, when nothing ended their access) cannot satisfy the link; they
-- are credentials of nobody and are removed first.
delete from sso_session where not exists (select 1 from app_user u
  where u.tenant_id = sso_session.tenant_id and u.id = sso_session.user_id);
delete from refresh_token where not exists (select 1 from app_user u
  where u.tenant_id = refresh_token.tenant_id and u.id = refresh_token.user_id);
alter table sso_session add constraint sso_session_app_user foreign key (tenant_id, user_id)
  references app_user (tenant_id, id) on delete cascade;
alter table refresh_token add constraint refresh_token_app_user foreign key (tenant_id, user_id)
  references app_user (tenant_id, id) on delete cascade;

-- The access token issued together with each refresh token (a reference as in
-- authorization_code.access_token_ref: jwt:<jti>:<exp> or opaque:<hash>), so that revoking a
-- refresh token family also revokes the access tokens issued from it (RFC 7009 §2.1). Null for
-- rows written before this migration.
alter table refresh_token add column access_token_ref varchar(200);

-- Finding every credential of one user (disable, delete, password reset) and of one session.
create index refresh_token_user on refresh_token (tenant_id, user_id);
create index refresh_token_session on refresh_token (tenant_id, sid);
create index authorization_code_user on authorization_code (tenant_id, user_id);
create index opaque_token_subject on opaque_token (tenant_id, subject);
