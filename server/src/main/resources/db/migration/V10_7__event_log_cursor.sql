-- The event log is append-only: each reader (the Redis Stream relay, the webhook dispatcher) keeps
-- one cursor row, the last event id it has handled, instead of updating every event row
-- (published_at, dispatched_at). Those columns stay for nodes of the previous version during a
-- rolling upgrade, which still set them (and may publish or dispatch an event a second time:
-- delivery is at least once, consumers drop duplicates by event id).
create table event_cursor (
  name     varchar(64) primary key,
  last_id  bigint      not null
);
insert into event_cursor (name, last_id) values ('redis-stream', coalesce(
  (select min(id) - 1 from event_outbox where published_at is null),
  (select max(id) from event_outbox), 0));
insert into event_cursor (name, last_id) values ('webhooks', coalesce(
  (select min(id) - 1 from event_outbox where dispatched_at is null),
  (select max(id) from event_outbox), 0));
drop index event_outbox_unpublished;
drop index event_outbox_undispatched;
-- Retention deletes a range of ids (found by a binary search on the primary key), not by time.
drop index event_outbox_created;
