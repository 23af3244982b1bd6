-- OpenID Connect standard claims and front-channel logout.
-- Expand only: new nullable columns, so nodes of the previous version keep working against this
-- schema during a rolling upgrade (they neither read nor write them). Portable between PostgreSQL
-- and H2 (MODE=PostgreSQL).

-- Standard claims of a user beyond name and email (OpenID Connect Core 1.0 §5.1): the rest of
-- the profile, phone_number(_verified) and address, as a JSON object. Null: none.
alter table app_user add column claims varchar(20000);

-- OpenID Connect Front-Channel Logout 1.0 §2: where the end-session page embeds the client in an
-- iframe, and whether iss and sid are added to that URI. Third-party-initiated login (OpenID
-- Connect Core 1.0 §4): where the server sends a browser to have the client start a sign-in.
alter table oauth_client add column frontchannel_logout_uri varchar(1000);
alter table oauth_client add column frontchannel_logout_session_required boolean;
alter table oauth_client add column initiate_login_uri varchar(1000);
