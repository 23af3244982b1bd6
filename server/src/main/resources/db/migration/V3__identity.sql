-- Users, groups and roles per tenant (issue #4).
-- INVARIANT: every row is keyed by tenant_id first, and every query names it.

create table app_user (
  tenant_id       varchar(63)   not null references tenant(id) on delete cascade,
  id              varchar(64)   not null,
  username        varchar(254)  not null,   -- stored as entered; unique case-insensitively
  username_key    varchar(254)  not null,   -- lower-cased username, for lookups and uniqueness
  email           varchar(254),
  email_verified  boolean       not null default false,
  display_name    varchar(200),
  password_hash   varchar(500),             -- PHC string; bcrypt/PBKDF2 imports until next login
  disabled        boolean       not null default false,
  attributes      varchar(20000) not null,  -- JSON object of custom attributes
  created_at      bigint        not null,
  updated_at      bigint        not null,
  primary key (tenant_id, id),
  unique (tenant_id, username_key)
);
create index app_user_email on app_user (tenant_id, email);

create table user_group (
  tenant_id   varchar(63)  not null references tenant(id) on delete cascade,
  name        varchar(128) not null,
  parent      varchar(128),
  description varchar(500),
  created_at  bigint       not null,
  primary key (tenant_id, name)
);

create table group_member (
  tenant_id   varchar(63)  not null,
  group_name  varchar(128) not null,
  user_id     varchar(64)  not null,
  primary key (tenant_id, group_name, user_id),
  foreign key (tenant_id, group_name) references user_group (tenant_id, name) on delete cascade,
  foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
);
create index group_member_user on group_member (tenant_id, user_id);

create table user_role (
  tenant_id   varchar(63)  not null,
  user_id     varchar(64)  not null,
  role        varchar(128) not null,
  primary key (tenant_id, user_id, role),
  foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
);

create table password_policy (
  tenant_id          varchar(63) primary key references tenant(id) on delete cascade,
  min_length         integer     not null,
  refuse_common      boolean     not null
);
