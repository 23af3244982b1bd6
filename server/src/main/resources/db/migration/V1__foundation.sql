-- Tenants, signing keys, OAuth clients and token state.
-- Portable between PostgreSQL and H2 (MODE=PostgreSQL): times are epoch seconds in BIGINT.
-- INVARIANT: every table but tenant is keyed by tenant_id first, and every query names it.

create table tenant (
  id            varchar(63)  primary key,
  display_name  varchar(200) not null,
  created_at    bigint       not null
);

create table signing_key (
  tenant_id       varchar(63)   not null references tenant(id) on delete cascade,
  kid             varchar(64)   not null,
  alg             varchar(10)   not null,
  state           varchar(10)   not null,   -- next | active | retired
  public_jwk      varchar(4000) not null,
  private_key_enc varchar(8000) not null,   -- AES-GCM under the master key, base64url
  created_at      bigint        not null,
  retired_at      bigint,
  publish_until   bigint,
  primary key (tenant_id, kid)
);
create index signing_key_state on signing_key (tenant_id, alg, state);

create table oauth_client (
  tenant_id         varchar(63)    not null references tenant(id) on delete cascade,
  client_id         varchar(64)    not null,
  name              varchar(200)   not null,
  client_type       varchar(16)    not null,  -- confidential | public
  auth_method       varchar(32)    not null,  -- client_secret_basic | client_secret_post | private_key_jwt | none
  secret_hash       varchar(64),              -- HMAC-SHA-256, base64url; null without a secret
  grant_types       varchar(500)   not null,  -- space-separated
  scopes            varchar(2000)  not null,  -- space-separated
  token_format      varchar(10)    not null,  -- jwt | opaque
  access_token_alg  varchar(10)    not null,  -- ES256 | RS256 | EdDSA (JWT access tokens)
  access_token_ttl  integer        not null,  -- seconds
  jwks              varchar(20000),           -- registered public keys for private_key_jwt
  audience          varchar(2000)  not null,  -- space-separated aud of its access tokens
  created_at        bigint         not null,
  primary key (tenant_id, client_id)
);

create table opaque_token (
  tenant_id   varchar(63)   not null references tenant(id) on delete cascade,
  token_hash  varchar(64)   not null,
  jti         varchar(64)   not null,
  client_id   varchar(64)   not null,
  subject     varchar(255)  not null,
  scope       varchar(2000) not null,
  issued_at   bigint        not null,
  expires_at  bigint        not null,
  revoked     boolean       not null default false,
  primary key (tenant_id, token_hash)
);
create index opaque_token_expiry on opaque_token (expires_at);

create table revoked_jwt (
  tenant_id   varchar(63) not null references tenant(id) on delete cascade,
  jti         varchar(64) not null,
  expires_at  bigint      not null,
  primary key (tenant_id, jti)
);
create index revoked_jwt_expiry on revoked_jwt (expires_at);

-- RFC 7523 §3: "The JWT MAY contain a jti claim ... the authorization server MAY ensure that
-- JWTs are not replayed by maintaining the set of used jti values". We do.
create table used_client_assertion (
  tenant_id   varchar(63)  not null references tenant(id) on delete cascade,
  client_id   varchar(64)  not null,
  jti         varchar(256) not null,
  expires_at  bigint       not null,
  primary key (tenant_id, client_id, jti)
);
