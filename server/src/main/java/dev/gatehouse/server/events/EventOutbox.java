package dev.gatehouse.server.events;

import java.util.List;

/**
 * The transactional outbox of events for other systems (decision log now; audit and security
 * events later): rows written here are published to Redis Streams and webhooks by issue #6.
 */
public interface EventOutbox extends EventSink {

  /** One event: its tenant, type (e.g. {@code policy.decision}), JSON payload and time. */
  record Event(String tenantId, String type, String payload, long createdAt) {}

  /** An event as stored, with its outbox id (increasing: the order of appends). */
  record Stored(long id, String tenantId, String type, String payload, long createdAt) {}

  /** The oldest events not yet published, at most {@code limit}. */
  List<Stored> unpublished(int limit);

  /** Marks events as published. */
  void markPublished(List<Long> ids, long now);

  /** A tenant's events after {@code afterId}, oldest first, at most {@code limit}. */
  List<Stored> after(String tenantId, long afterId, int limit);

  /** The newest event id of a tenant, 0 when it has none. */
  long latestId(String tenantId);

  /** Deletes events created before {@code before} (published or not: retention is a limit). */
  int purge(long before);
}
