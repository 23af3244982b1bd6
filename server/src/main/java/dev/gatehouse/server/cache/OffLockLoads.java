package dev.gatehouse.server.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.store.PoolShare;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Cache loads that run outside the cache's locks.
 *
 * <p>A synchronous Caffeine cache computes a missing entry inside {@code
 * ConcurrentHashMap.compute}, holding the lock of the entry's bin, and stalling any resize of the
 * table, for as long as the load takes. The loads of the token path read the database: while it
 * is slow (a flood, a lock, a failover) one load held up every request whose key shared its bin
 * and every request that helped a resize. The chaos suite's introspection flood showed a hundred
 * request threads queued in {@code compute} behind loads that waited for a connection. An async
 * cache keeps a future in the map instead; the load runs on a virtual thread of its own, and the
 * callers of the same key share it.
 *
 * <p>{@link #EXECUTOR} carries the caller's {@link PoolShare} to the loading thread, so that a
 * load counts against the share of the request that needed it, and the caller's trace and log
 * context. Inside a transaction the load runs on the caller's thread, as a synchronous cache
 * would: it joins the transaction and sees the caller's own uncommitted rows.
 */
public final class OffLockLoads {

  /** Runs a cache's loads and refreshes; see the class comment. */
  public static final Executor EXECUTOR = command -> {
    if (Jdbc.inTransaction()) {
      command.run();
      return;
    }
    PoolShare share = PoolShare.current();
    // The request's trace and log context go with it: the load's statements are its spans.
    Runnable traced = Context.current().wrap(command);
    java.util.Map<String, String> mdc = MDC.getCopyOfContextMap();
    Runnable load = mdc == null ? traced : () -> {
      MDC.setContextMap(mdc);
      try {
        traced.run();
      } finally {
        MDC.clear();
      }
    };
    Thread.ofVirtual().name("cache-load").start(share == null ? load : () -> share.run(load));
  };

  private OffLockLoads() {}

  /** The value of {@code key}, loaded by the cache's loader when missing. */
  public static <K, V> V get(AsyncLoadingCache<K, V> cache, K key) {
    return join(cache.get(key));
  }

  /** The value of {@code key}, loaded by {@code load} when missing. */
  public static <K, V> V get(AsyncCache<K, V> cache, K key,
      Function<? super K, ? extends V> load) {
    return join(cache.get(key, load));
  }

  /** The value of a load, its failure rethrown as it was thrown. */
  static <V> V join(CompletableFuture<V> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
