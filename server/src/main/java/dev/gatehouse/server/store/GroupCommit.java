package dev.gatehouse.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Writes rows that each request must see committed before it answers, many requests' rows to a
 * transaction: a request hands its row over and waits; one writer thread takes every row waiting,
 * writes them in one transaction and tells each request that its row is committed (or why not).
 * While it commits, the next requests' rows gather for the next transaction.
 *
 * <p>Durability is the request's own: it answers only after its row committed, as with a
 * transaction of its own. What changes is the cost: a commit (a round trip and, on PostgreSQL, a
 * WAL flush) is shared by every row of the batch. An opaque token, one row each, was 330 µs of the
 * server's CPU and 2,900 tokens a second on PostgreSQL with a commit each.
 *
 * <p>A batch that fails is written again one row at a time, so one bad row (a duplicate key) fails
 * only its own request. A request waits at most {@code maxWait}, then fails with a {@link
 * StoreException} (503); its row may still be written later, as a timed-out commit may be.
 */
public final class GroupCommit<T> implements AutoCloseable {

  private static final int BATCH = 500;

  private record Pending<T>(T row, CompletableFuture<Void> done) {}

  private final Consumer<List<T>> write;
  private final long maxWaitNanos;
  private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  /**
   * Batches for {@code write} (which writes its rows in one transaction, or throws), on a thread
   * named {@code gatehouse-<name>}.
   */
  public GroupCommit(String name, java.time.Duration maxWait, Consumer<List<T>> write) {
    this.write = write;
    this.maxWaitNanos = maxWait.toNanos();
    this.writer = Thread.ofPlatform().daemon().name("gatehouse-" + name).start(this::run);
  }

  /**
   * Returns once {@code row} is committed.
   *
   * @throws StoreException when it could not be written (as {@code write} failed), or not within
   *     the wait bound
   */
  public void submit(T row) {
    if (closed) {
      throw StoreException.overloaded("closing");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending<>(row, done));
    try {
      done.get(maxWaitNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw StoreException.overloaded("the database did not commit in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.overloaded("interrupted while waiting for the database");
    }
  }

  private void run() {
    List<Pending<T>> batch = new ArrayList<>(BATCH);
    List<T> rows = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        batch.forEach(p -> rows.add(p.row()));
        try {
          write.accept(rows);
          batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException e) {
          if (batch.size() == 1) {
            first.done().completeExceptionally(e);
          } else {
            for (Pending<T> p : batch) {  // one by one: only a bad row fails its request
              try {
                write.accept(List.of(p.row()));
                p.done().complete(null);
              } catch (RuntimeException one) {
                p.done().completeExceptionally(one);
              }
            }
          }
        }
      } catch (InterruptedException e) {
        // close(): the loop ends when the queue is empty
      } finally {
        batch.clear();
        rows.clear();
      }
    }
  }

  /** Writes what is waiting, then stops. */
  @Override
  public void close() {
    closed = true;
    writer.interrupt();
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
