package dev.gatehouse.server.http;

import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * Runs a request's work on a platform thread while its own virtual thread waits, for the requests
 * whose latency people feel: the hosted sign-in pages.
 *
 * <p>All virtual threads share one first-in, first-out scheduler queue. Under a flood (800
 * connections introspecting at one node, chaos experiment 9) hundreds of connection threads are
 * runnable at once, and a request that parks for each database statement, Redis call and event
 * write went to the back of that queue every time: a password sign-in took 4–10 s per page. On a
 * platform thread the operating system schedules the work beside the carriers, so it queues once
 * to start and once to answer, not once per statement. The Argon2id check, the bulk of a sign-in's
 * CPU, runs there too, without holding a carrier.
 *
 * <p>The caller's log context (MDC) and trace context go with the work; its exceptions come back
 * to the caller as they were thrown. The pool is as large as the class's admission limit, which
 * already bounds how many run at once; idle threads end after a minute.
 */
public final class PlatformLane implements AutoCloseable {

  private final ThreadPoolExecutor pool;

  /** A lane of at most {@code threads} platform threads named {@code name-N}. */
  public PlatformLane(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code work} on a thread of the lane and returns when it has, rethrowing its failure. */
  public void run(Runnable work) {
    Runnable traced = Context.current().wrap(work);
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    Future<?> done = pool.submit(() -> {
      if (mdc != null) {
        MDC.setContextMap(mdc);
      }
      try {
        traced.run();
      } finally {
        MDC.clear();
      }
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get();
          return;
        } catch (InterruptedException e) {
          // The work owns the exchange until it returns: wait for it, then pass the interrupt on.
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
