package dev.gatehouse.server.policy;

import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.EventQueue;
import dev.gatehouse.server.events.EventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes decision events to the {@link EventOutbox}, sampled, off the request path.
 *
 * <p>A decision does not wait for a database write: events go to a bounded {@link EventQueue}
 * that one background thread drains in batches. A sampled event is never dropped: when the queue
 * is full (the database is slower than the decisions), the decision waits for room, up to the
 * queue's bound, and past it fails with 503 and counts in {@code
 * gatehouse.policy.decision.log.dropped} (the name is kept for dashboards: the event was refused
 * with its decision, not lost after one was answered).
 */
public final class DecisionLog implements AutoCloseable {

  /** The event type of a decision. */
  public static final String TYPE = "policy.decision";

  private static final int QUEUE = 16_384;
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(5);

  private final double sampleRate;
  private final EventQueue queue;

  /** A log writing a {@code sampleRate} fraction (0 to 1) of decisions to {@code outbox}. */
  public DecisionLog(EventSink outbox, double sampleRate, MeterRegistry registry) {
    this.sampleRate = sampleRate;
    Counter dropped = Counter.builder("gatehouse.policy.decision.log.dropped")
        .description("decisions refused (503) because the outbox writer stayed behind")
        .register(registry);
    Counter written = Counter.builder("gatehouse.policy.decision.log.written")
        .description("decision events written to the event outbox").register(registry);
    this.queue = new EventQueue(outbox, QUEUE, WAIT, "decision-log", written::increment,
        dropped::increment);
  }

  /** Whether this decision is to be logged: draws the sample. */
  public boolean sampled() {
    return sampleRate >= 1.0
        || (sampleRate > 0 && ThreadLocalRandom.current().nextDouble() < sampleRate);
  }

  /**
   * Queues an event; blocks while the queue is full, at most 5 s.
   *
   * @throws dev.gatehouse.server.store.StoreException when it stayed full (answered 503)
   */
  public void append(EventOutbox.Event event) {
    queue.append(List.of(event));
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    queue.close();
  }
}
