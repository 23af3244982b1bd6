package dev.gatehouse.server.events;

import java.util.List;
import java.util.function.Consumer;

/**
 * The event log: security, audit and decision events, appended in the transaction of the change
 * they record, then read by readers (the Redis Stream relay, the webhook dispatcher) that each keep
 * a cursor, the id of the last event they have handled.
 *
 * <p>Append-only: an event row is written once and deleted in ranges when its retention ends;
 * nothing updates it. Reading moves one cursor row per batch instead of marking each event.
 */
public interface EventOutbox extends EventSink {

  /** The cursor of the Redis Stream relay. */
  String REDIS_STREAM = "redis-stream";
  /** The cursor of the webhook dispatcher. */
  String WEBHOOKS = "webhooks";

  /** One event: its tenant, type (e.g. {@code policy.decision}), JSON payload and time. */
  record Event(String tenantId, String type, String payload, long createdAt) {}

  /** An event as stored, with its outbox id (increasing: the order of appends). */
  record Stored(long id, String tenantId, String type, String payload, long createdAt) {}

  /**
   * Hands the events after {@code reader}'s cursor, oldest first, at most {@code limit}, to
   * {@code consumer} and moves the cursor past them, in one transaction: when the consumer throws,
   * the cursor stays and the same events come again (at least once). Only events created before
   * {@code createdBefore} (epoch second) are taken. Nodes reading at once take turns: while one
   * holds the cursor, the others read nothing. Returns how many events the consumer got.
   */
  int consume(String reader, int limit, long createdBefore, Consumer<List<Stored>> consumer);

  /**
   * Moves {@code reader}'s cursor past every event created before {@code createdBefore} without
   * reading them (a reader with nothing to do for any event: webhooks while no tenant has a
   * subscription). Never moves it back. Returns how many ids it stepped over.
   */
  long skip(String reader, long createdBefore);

  /**
   * Hands the oldest events not yet published (at most {@code limit}) to {@code publisher}, then
   * moves the publication cursor past them ({@link #consume} with {@link #REDIS_STREAM}). A crash
   * between the two steps publishes them again (consumers drop them by their id).
   */
  default int publish(int limit, Consumer<List<Stored>> publisher, long now) {
    return consume(REDIS_STREAM, limit, Long.MAX_VALUE, publisher);
  }

  /** A tenant's events after {@code afterId}, oldest first, at most {@code limit}. */
  List<Stored> after(String tenantId, long afterId, int limit);

  /**
   * When the oldest event after {@code reader}'s cursor was created (epoch second), empty when the
   * reader is at the end: how far behind the reader is.
   */
  java.util.OptionalLong oldestUnread(String reader);

  /** The event of a tenant with id {@code id}, if it is (still) there. */
  java.util.Optional<Stored> find(String tenantId, long id);

  /** The newest event id of a tenant, 0 when it has none. */
  long latestId(String tenantId);

  /** Deletes events created before {@code before} (published or not: retention is a limit). */
  int purge(long before);
}
