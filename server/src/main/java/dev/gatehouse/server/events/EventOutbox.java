package dev.gatehouse.server.events;

import java.util.List;

/**
 * The transactional outbox of events for other systems: audit, security, sign-in and token
 * events, and the decision log. Rows are written in the transaction of the change they record;
 * the outbox relay publishes them to Redis Streams and the webhook worker delivers them.
 */
public interface EventOutbox extends EventSink {

  /** One event: its tenant, type (e.g. {@code policy.decision}), JSON payload and time. */
  record Event(String tenantId, String type, String payload, long createdAt) {}

  /** An event as stored, with its outbox id (increasing: the order of appends). */
  record Stored(long id, String tenantId, String type, String payload, long createdAt) {}

  /** The oldest events not yet published, at most {@code limit}. */
  List<Stored> unpublished(int limit);

  /**
   * Hands the oldest unpublished events (at most {@code limit}) to {@code publisher}, then marks
   * them published. Nodes relaying at once take different events, so that under normal operation
   * each event is published once; a crash between the two steps publishes it again (consumers
   * drop it by its id). Returns how many were published.
   */
  default int publish(int limit, java.util.function.Consumer<List<Stored>> publisher, long now) {
    List<Stored> batch = unpublished(limit);
    if (!batch.isEmpty()) {
      publisher.accept(batch);
      markPublished(batch.stream().map(Stored::id).toList(), now);
    }
    return batch.size();
  }

  /** Marks events as published. */
  void markPublished(List<Long> ids, long now);

  /** A tenant's events after {@code afterId}, oldest first, at most {@code limit}. */
  List<Stored> after(String tenantId, long afterId, int limit);

  /** The newest event id of a tenant, 0 when it has none. */
  long latestId(String tenantId);

  /** Deletes events created before {@code before} (published or not: retention is a limit). */
  int purge(long before);
}
