package dev.gatehouse.server;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic purge of expired state. Each purge runs in its own {@code try}: one that fails (its
 * table locked, the database briefly away) does not skip the others for that cycle.
 */
final class Housekeeping implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final ScheduledExecutorService executor;
  private final List<Module.Purge> purges;

  Housekeeping(List<Module.Purge> purges) {
    this.purges = List.copyOf(purges);
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-housekeeping");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs every purge every ten minutes, the first a minute from now. */
  Housekeeping schedule() {
    executor.scheduleWithFixedDelay(this::runOnce, 1, 10, TimeUnit.MINUTES);
    return this;
  }

  /** Schedules a gauge refresh on the same thread; its failures are logged at debug only. */
  Housekeeping refresh(Module.Refresh r) {
    executor.scheduleWithFixedDelay(() -> {
      try {
        r.run().run();
      } catch (RuntimeException e) {
        LOG.debug("refreshing {} failed: {}", r.what(), e.toString());
      }
    }, r.initialDelay().toMillis(), r.period().toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Runs every purge once; returns how many failed. */
  int runOnce() {
    int failed = 0;
    for (Module.Purge purge : purges) {
      try {
        purge.run().run();
      } catch (RuntimeException e) {
        failed++;
        LOG.warn("purging {} failed: {}", purge.what(), e.getMessage());
      }
    }
    return failed;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
