package dev.gatehouse.server.events;

import dev.gatehouse.server.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventSink} that queues events in memory and writes them to another sink in batches on
 * one background thread, for events too frequent to cost a database write each on the request
 * path ({@code token.issued} at thousands a second, policy decisions).
 *
 * <p>Nothing is dropped while the process lives. The queue is bounded: when the writer falls
 * behind (the database is slow or down) and the queue is full, {@link #append} blocks the request
 * until there is room, for at most the wait bound; past it the request fails with a {@link
 * StoreException} (a 503 the client retries) and the event is not taken, so that what the caller
 * does next (issue a token, answer a decision) does not happen without its event. A batch the
 * writer cannot write is retried, with a growing pause, until it is written: it is never discarded.
 *
 * <p>What a crash can lose is what is queued: at most {@code capacity} events, and in steady state
 * the events of the last {@link #LINGER_NANOS} (10 ms) and of the batch being written (the writer
 * lets a batch fill for that long, then takes everything queued, so the queue is about one commit
 * deep). {@link #close} writes what is queued before it returns.
 * docs/events.md gives the numbers.
 */
public final class EventQueue implements EventSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
  private static final int BATCH = 1_000;
  private static final long MAX_RETRY_PAUSE_MS = 2_000;
  /**
   * How long the writer lets a batch fill after its first event. Each write is one transaction,
   * and a commit costs far more than a row: without this, a writer that loops as fast as it can
   * commits every one or two events at a few thousand events a second, and the commits are most
   * of what an event costs. 10 ms makes batches of tens to hundreds of events at that rate.
   */
  static final long LINGER_NANOS = 10_000_000L;

  private final EventSink target;
  private final BlockingQueue<EventOutbox.Event> queue;
  private final long maxWaitNanos;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong waited = new AtomicLong();
  private final LongConsumer onWritten;
  private final LongConsumer onRefused;
  private final Thread writer;
  private volatile boolean closed;
  private volatile boolean stalled;
  private volatile boolean writing;
  private volatile boolean abandoned;
  private long lastWarning;

  public EventQueue(EventSink target, int capacity, Duration maxWait, String name) {
    this(target, capacity, maxWait, name, n -> { }, n -> { });
  }

  /**
   * A queue of {@code capacity} events in front of {@code target}, written by a thread called
   * {@code name}; a full queue holds callers for at most {@code maxWait}. {@code onWritten} and
   * {@code onRefused} are told how many events each batch wrote and each refusal turned away (for
   * metrics).
   */
  public EventQueue(EventSink target, int capacity, Duration maxWait, String name,
      LongConsumer onWritten, LongConsumer onRefused) {
    this.target = target;
    this.onWritten = onWritten;
    this.onRefused = onRefused;
    this.maxWaitNanos = maxWait.toNanos();
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofPlatform().daemon().name("gatehouse-events-" + name).start(this::drain);
  }

  /**
   * Queues the events, waiting for room while the queue is full, at most the wait bound in all.
   *
   * @throws StoreException when the queue stayed full for the whole bound, or is closed; events
   *     of {@code events} queued before the failure stay queued
   */
  @Override
  public void append(List<EventOutbox.Event> events) {
    long deadline = 0;
    for (EventOutbox.Event e : events) {
      if (closed) {
        refuse(1, "event queue closed");
      }
      if (queue.offer(e)) {
        continue;
      }
      // Full: back-pressure. The caller waits; its request is slowed, not its event lost.
      waited.incrementAndGet();
      if (deadline == 0) {
        deadline = System.nanoTime() + maxWaitNanos;
      }
      try {
        if (!queue.offer(e, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          refuse(1, "event writer behind: queue full");
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        refuse(1, "interrupted while waiting for the event queue");
      }
    }
  }

  private void refuse(int n, String why) {
    refused.addAndGet(n);
    onRefused.accept(n);
    throw StoreException.overloaded(why);
  }

  /** Events turned away (their requests failed with 503) because the queue stayed full. */
  public long refused() {
    return refused.get();
  }

  /** How many appends found the queue full and had to wait. */
  public long waits() {
    return waited.get();
  }

  /** Events queued and not yet written. */
  public int depth() {
    return queue.size();
  }

  /** Whether the last write failed and the writer is retrying (the target is down). */
  public boolean stalled() {
    return stalled;
  }

  /** Waits until everything queued so far has been written, at most {@code timeout}. */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while ((!queue.isEmpty() || writing) && System.nanoTime() < deadline) {
        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      return queue.isEmpty() && !writing;
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
        writing = true;
        batch.add(first);
        linger();
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        // close() interrupts only to give up on a target that stays down; the loop ends when the
        // queue is empty
      } finally {
        batch.clear();
        synchronized (this) {
          writing = false;
          notifyAll();
        }
      }
    }
  }

  /** Lets more events queue behind the first, unless closing or a full batch is there already. */
  private void linger() {
    long until = System.nanoTime() + LINGER_NANOS;
    long left;
    while (!closed && queue.size() < BATCH - 1 && (left = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, Math.min(left, 2_000_000L));
    }
  }

  /** Writes the batch, retrying until it is written or the queue is closed and given up on. */
  private void write(List<EventOutbox.Event> batch) {
    long pause = 50;
    while (true) {
      try {
        target.append(batch);
        onWritten.accept(batch.size());
        stalled = false;
        return;
      } catch (RuntimeException e) {
        stalled = true;
        long now = System.nanoTime();
        if (now - lastWarning > 10_000_000_000L) {
          lastWarning = now;
          LOG.warn("writing {} events failed, retrying (requests wait when the queue is full): {}",
              batch.size(), e.toString());
        }
        if (closed && abandoned) {
          LOG.error("{} events could not be written before shutdown and are lost",
              batch.size() + queue.size());
          queue.clear();
          return;
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          // close() gave up waiting: the next failure logs and clears (see above)
        }
        pause = Math.min(MAX_RETRY_PAUSE_MS, pause * 2);
      }
    }
  }

  /**
   * Stops taking events and writes what is queued; waits up to 10 s for a target that is down, then
   * logs how many events it has to give up.
   */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
      if (writer.isAlive()) {
        abandoned = true;
        writer.interrupt();
        writer.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
