package dev.gatehouse.server.policy;

import java.util.List;

/** The outbox of events for other systems: rows written here are published later (issue #6). */
public interface EventOutbox {

  /** One event: its tenant, type (e.g. {@code policy.decision}), JSON payload and time. */
  record Event(String tenantId, String type, String payload, long createdAt) {}

  /** Appends events, in one batch. */
  void append(List<Event> events);
}
