-- Per-tenant branding of the hosted pages (issue #4): all optional, validated by the server
-- (colours #rrggbb, addresses https, logos https or a small base64 data:image URI).
alter table tenant add column logo_url varchar(32768);
alter table tenant add column primary_color varchar(7);
alter table tenant add column accent_color varchar(7);
alter table tenant add column support_url varchar(2048);
alter table tenant add column privacy_url varchar(2048);
