-- Strong authentication (issue #7): TOTP, recovery codes, WebAuthn credentials, the tenant's MFA
-- policy, and used WebAuthn challenges. Portable between PostgreSQL and H2 (MODE=PostgreSQL):
-- times are epoch seconds.
-- INVARIANT: every table is keyed by tenant_id first, and every query names it.
-- TOTP secrets are encrypted with the master key (AES-GCM, bound to tenant and user); recovery
-- codes are stored only as their keyed hash (HMAC-SHA-256).

create table mfa_settings (
  tenant_id        varchar(63)   not null references tenant(id) on delete cascade,
  policy           varchar(20)   not null,        -- off | optional | required | groups
  required_groups  varchar(2000) default '' not null,  -- space-separated, policy groups
  required_roles   varchar(2000) default '' not null,  -- space-separated, policy groups
  rp_id            varchar(253),                  -- null: the issuer's host
  origins          varchar(4000) default '' not null,  -- space-separated; empty: the issuer's
  updated_at       bigint        not null,
  primary key (tenant_id)
);

create table mfa_totp (
  tenant_id   varchar(63)  not null references tenant(id) on delete cascade,
  user_id     varchar(64)  not null,
  secret_enc  varchar(500) not null,
  confirmed   boolean      not null default false,
  last_step   bigint       not null default -1,   -- the last time step accepted: no replay
  created_at  bigint       not null,
  primary key (tenant_id, user_id)
);

create table mfa_recovery_code (
  tenant_id   varchar(63) not null references tenant(id) on delete cascade,
  user_id     varchar(64) not null,
  code_hash   varchar(64) not null,
  created_at  bigint      not null,
  used_at     bigint,
  primary key (tenant_id, user_id, code_hash)
);

create table webauthn_credential (
  tenant_id        varchar(63)   not null references tenant(id) on delete cascade,
  credential_id    varchar(1400) not null,         -- base64url
  user_id          varchar(64)   not null,
  name             varchar(100)  not null,
  attested_data    varchar(8000) not null,         -- attestedCredentialData, base64url
  sign_count       bigint        not null,
  uv_initialized   boolean       not null,
  backup_eligible  boolean       not null,
  backup_state     boolean       not null,
  transports       varchar(200)  default '' not null,
  created_at       bigint        not null,
  last_used_at     bigint,
  primary key (tenant_id, credential_id)
);
create index webauthn_credential_user on webauthn_credential (tenant_id, user_id);

-- Challenges are stateless (sealed with the master key's HMAC) until used: a used one is
-- recorded here so that it is accepted once.
create table webauthn_challenge_used (
  tenant_id       varchar(63) not null,
  challenge_hash  varchar(64) not null,
  expires_at      bigint      not null,
  primary key (tenant_id, challenge_hash)
);
create index webauthn_challenge_used_expiry on webauthn_challenge_used (expires_at);
