-- A row of the event log may hold several events of one tenant, type and second (a frame): their
-- ids are id .. id + event_count - 1 and their payloads are the lines of payload. Only a log that
-- is its database's sole writer (embedded H2) writes frames; every other row holds one event.
alter table event_outbox add column event_count int default 1 not null;
