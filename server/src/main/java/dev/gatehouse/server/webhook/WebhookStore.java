package dev.gatehouse.server.webhook;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Storage of webhook subscriptions and deliveries. */
public interface WebhookStore {

  /** A delivery and its state; {@code nextAttemptAt} and {@code updatedAt} in epoch millis. */
  record Delivery(long id, String tenantId, String subscriptionId, long eventId, String status,
      int attempts, long nextAttemptAt, Integer lastStatus, String lastError, long createdAt,
      long updatedAt) {}

  /** An outbox event as a delivery needs it. */
  record Event(long id, String tenantId, String type, String payload, long createdAt) {}

  void insert(Subscription s);

  List<Subscription> list(String tenantId);

  Optional<Subscription> find(String tenantId, String id);

  /** Every subscription of every tenant (the dispatcher's view; a small table). */
  List<Subscription> all();

  boolean delete(String tenantId, String id);

  /**
   * Fans out up to {@code limit} outbox events not yet dispatched: one pending delivery for each
   * subscription {@code matching} returns, then moves the dispatch cursor past them, in one
   * transaction. The cursor is locked with {@code FOR UPDATE SKIP LOCKED}, so nodes dispatching at
   * once take turns instead of doubling the work. Returns how many events were dispatched.
   */
  int dispatch(int limit, Function<Event, List<Subscription>> matching, long nowMillis);

  /**
   * Moves the dispatch cursor past every event created before {@code beforeSecond}: what {@link
   * #dispatch} would do when no subscription exists (the common case, made cheap). A subscription
   * created since then takes no event that old.
   */
  int dispatchNone(long beforeSecond, long nowMillis);

  /**
   * Claims up to {@code limit} due pending deliveries ({@code FOR UPDATE SKIP LOCKED}): counts the
   * attempt and moves {@code next_attempt_at} to {@code leaseUntil}, so no other node takes them
   * while this one delivers; one that dies mid-delivery leaves them to be retried at lease end.
   */
  List<Delivery> claim(int limit, long nowMillis, long leaseUntil);

  /** The event of a delivery, if the outbox still holds it. */
  Optional<Event> event(String tenantId, long eventId);

  void delivered(long id, int httpStatus, long nowMillis);

  void retryAt(long id, long nextAttemptAt, Integer httpStatus, String error, long nowMillis);

  void dead(long id, Integer httpStatus, String error, long nowMillis);

  /** A tenant's deliveries of {@code status} (any when null), newest first, after id cursor. */
  List<Delivery> deliveries(String tenantId, String status, long beforeId, int limit);

  /** Deletes delivered and dead deliveries last changed before {@code beforeMillis}. */
  int purge(long beforeMillis);

  /** Puts a tenant's dead (or any) delivery back to pending with a fresh attempt budget. */
  boolean redeliver(String tenantId, long deliveryId, long nowMillis);
}
