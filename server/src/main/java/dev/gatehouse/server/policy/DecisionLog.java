package dev.gatehouse.server.policy;

import dev.gatehouse.server.events.EventOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes decision events to the {@link EventOutbox}, sampled, off the request path.
 *
 * <p>A decision must not wait for a database write: events go to a bounded queue that one
 * background thread drains in batches. When the queue is full (the database is slower than the
 * decisions), events are dropped and counted in {@code gatehouse.policy.decision.log.dropped}
 * rather than slowing or failing decisions; the decision itself is never affected.
 */
public final class DecisionLog implements AutoCloseable {

  /** The event type of a decision. */
  public static final String TYPE = "policy.decision";

  private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
  private static final int QUEUE = 50_000;
  private static final int BATCH = 1_000;

  private final EventOutbox outbox;
  private final double sampleRate;
  private final BlockingQueue<EventOutbox.Event> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Counter dropped;
  private final Counter written;
  private final Thread writer;
  private volatile boolean closed;

  /** A log writing a {@code sampleRate} fraction (0 to 1) of decisions to {@code outbox}. */
  public DecisionLog(EventOutbox outbox, double sampleRate, MeterRegistry registry) {
    this.outbox = outbox;
    this.sampleRate = sampleRate;
    this.dropped = Counter.builder("gatehouse.policy.decision.log.dropped")
        .description("decision events dropped because the outbox writer fell behind")
        .register(registry);
    this.written = Counter.builder("gatehouse.policy.decision.log.written")
        .description("decision events written to the event outbox").register(registry);
    this.writer = Thread.ofPlatform().daemon().name("gatehouse-decision-log").start(this::drain);
  }

  /** Whether this decision is to be logged: draws the sample. */
  public boolean sampled() {
    return sampleRate >= 1.0
        || (sampleRate > 0 && ThreadLocalRandom.current().nextDouble() < sampleRate);
  }

  /** Queues an event; never blocks. */
  public void append(EventOutbox.Event event) {
    if (closed || !queue.offer(event)) {
      dropped.increment();
    }
  }

  private void drain() {
    List<EventOutbox.Event> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        EventOutbox.Event first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        outbox.append(batch);
        written.increment(batch.size());
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        dropped.increment(batch.size());
        LOG.warn("writing {} decision events failed: {}", batch.size(), e.getMessage());
      } finally {
        batch.clear();
      }
    }
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
