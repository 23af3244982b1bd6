package dev.gatehouse.server.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventSink} that queues events in memory and writes them to another sink in batches on
 * one background thread, for events too frequent to cost a database write each on the request
 * path ({@code token.issued} at thousands a second).
 *
 * <p>At most once: events still queued when the process dies are lost, and when the queue is full
 * (the database is slower than the requests) new events are dropped and counted rather than
 * slowing or failing requests. {@link #close} writes what is queued.
 */
public final class EventQueue implements EventSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
  private static final int BATCH = 1_000;

  private final EventSink target;
  private final BlockingQueue<EventOutbox.Event> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final LongConsumer onWritten;
  private final LongConsumer onDropped;
  private final Thread writer;
  private volatile boolean closed;

  public EventQueue(EventSink target, int capacity, String name) {
    this(target, capacity, name, n -> { }, n -> { });
  }

  /**
   * A queue of {@code capacity} events in front of {@code target}, written by a thread called
   * {@code name}, telling {@code onWritten} and {@code onDropped} how many events each batch
   * wrote or lost (for metrics).
   */
  public EventQueue(EventSink target, int capacity, String name, LongConsumer onWritten,
      LongConsumer onDropped) {
    this.target = target;
    this.onWritten = onWritten;
    this.onDropped = onDropped;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofPlatform().daemon().name("gatehouse-events-" + name).start(this::drain);
  }

  /** Queues the events; never blocks. */
  @Override
  public void append(List<EventOutbox.Event> events) {
    for (EventOutbox.Event e : events) {
      if (closed || !queue.offer(e)) {
        onDropped.accept(1);
        if (dropped.incrementAndGet() % 10_000 == 1) {
          LOG.warn("event queue full: {} events dropped so far", dropped.get());
        }
      }
    }
  }

  /** Events dropped because the queue was full or closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Waits until everything queued so far has been handed to the target (for tests). */
  public void flush() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!queue.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50);
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
        target.append(batch);
        onWritten.accept(batch.size());
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        dropped.addAndGet(batch.size());
        onDropped.accept(batch.size());
        LOG.warn("writing {} queued events failed: {}", batch.size(), e.getMessage());
      } finally {
        batch.clear();
      }
    }
  }

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
