-- Publication state of outbox events (issue #6): set once an event is on the Redis Stream.
alter table event_outbox add column published_at bigint;
create index event_outbox_unpublished on event_outbox (published_at, id);
create index event_outbox_tenant on event_outbox (tenant_id, id);
