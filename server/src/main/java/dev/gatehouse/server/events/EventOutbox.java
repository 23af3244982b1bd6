package dev.gatehouse.server.events;

import java.util.List;

/**
 * The transactional outbox of events for other systems (decision log now; audit and security
 * events later): rows written here are published to Redis Streams and webhooks by issue #6.
 */
public interface EventOutbox {

  /** One event: its tenant, type (e.g. {@code policy.decision}), JSON payload and time. */
  record Event(String tenantId, String type, String payload, long createdAt) {}

  /** Appends events, in one batch. */
  void append(List<Event> events);
}
