-- People sign in (issue #4): browser clients, SSO sessions, authorization codes, refresh tokens,
-- consents. Portable between PostgreSQL and H2 (MODE=PostgreSQL): times are epoch seconds.
-- INVARIANT: every table is keyed by tenant_id first, and every query names it.
-- Secrets the server hands out (session cookies, codes, refresh tokens) are stored only as their
-- keyed hash (HMAC-SHA-256 under the master key).

alter table oauth_client add column redirect_uris varchar(4000) default '' not null;
alter table oauth_client add column post_logout_redirect_uris varchar(4000) default '' not null;
alter table oauth_client add column backchannel_logout_uri varchar(1000);
alter table oauth_client add column id_token_alg varchar(10) default 'RS256' not null;

create table sso_session (
  tenant_id    varchar(63)  not null references tenant(id) on delete cascade,
  sid          varchar(64)  not null,           -- public id: the id_token's sid, admin API
  cookie_hash  varchar(64)  not null,
  user_id      varchar(64)  not null,
  auth_time    bigint       not null,
  amr          varchar(200) not null,           -- space-separated
  acr          varchar(200) not null,
  created_at   bigint       not null,
  expires_at   bigint       not null,
  revoked      boolean      not null default false,
  primary key (tenant_id, sid),
  unique (tenant_id, cookie_hash)
);
create index sso_session_user on sso_session (tenant_id, user_id);
create index sso_session_expiry on sso_session (expires_at);

-- Clients a session signed in to, for back-channel logout.
create table sso_session_client (
  tenant_id  varchar(63) not null,
  sid        varchar(64) not null,
  client_id  varchar(64) not null,
  primary key (tenant_id, sid, client_id),
  foreign key (tenant_id, sid) references sso_session (tenant_id, sid) on delete cascade
);

create table authorization_code (
  tenant_id       varchar(63)   not null references tenant(id) on delete cascade,
  code_hash       varchar(64)   not null,
  client_id       varchar(64)   not null,
  redirect_uri    varchar(1000),                -- null when the request named none
  code_challenge  varchar(128),
  nonce           varchar(500),
  scope           varchar(2000) not null,
  user_id         varchar(64)   not null,
  sid             varchar(64)   not null,
  auth_time       bigint        not null,
  amr             varchar(200)  not null,
  acr             varchar(200)  not null,
  expires_at      bigint        not null,
  used            boolean       not null default false,
  access_token_ref varchar(200),                -- what to revoke when the code is replayed
  refresh_family  varchar(64),
  primary key (tenant_id, code_hash)
);
create index authorization_code_expiry on authorization_code (expires_at);

create table refresh_token (
  tenant_id        varchar(63)   not null references tenant(id) on delete cascade,
  token_hash       varchar(64)   not null,
  family_id        varchar(64)   not null,
  client_id        varchar(64)   not null,
  user_id          varchar(64)   not null,
  scope            varchar(2000) not null,
  sid              varchar(64)   not null,
  auth_time        bigint        not null,
  amr              varchar(200)  not null,
  acr              varchar(200)  not null,
  issued_at        bigint        not null,
  expires_at       bigint        not null,      -- idle limit, never past family_expires_at
  family_expires_at bigint       not null,      -- absolute limit
  rotated          boolean       not null default false,
  revoked          boolean       not null default false,
  primary key (tenant_id, token_hash)
);
create index refresh_token_family on refresh_token (tenant_id, family_id);
create index refresh_token_expiry on refresh_token (family_expires_at);

create table user_consent (
  tenant_id   varchar(63)   not null references tenant(id) on delete cascade,
  user_id     varchar(64)   not null,
  client_id   varchar(64)   not null,
  scope       varchar(2000) not null,
  granted_at  bigint        not null,
  primary key (tenant_id, user_id, client_id)
);
