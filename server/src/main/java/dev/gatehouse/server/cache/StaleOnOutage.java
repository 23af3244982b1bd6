package dev.gatehouse.server.cache;

import com.github.benmanes.caffeine.cache.CacheLoader;
import dev.gatehouse.server.store.StoreException;
import java.util.function.Function;

/**
 * A cache loader that keeps serving what it has while the database is down: a refresh that meets
 * an outage keeps the old value (and tries again at the next refresh) instead of failing.
 *
 * <p>Used with {@code refreshAfterWrite} for data that changes through admin writes, which cannot
 * happen while the database is down (tenants, clients, keys): a node keeps authenticating clients
 * and signing tokens through an outage. A first load, with nothing to fall back on, still fails.
 */
public final class StaleOnOutage<K, V> implements CacheLoader<K, V> {

  private final Function<K, V> load;

  private StaleOnOutage(Function<K, V> load) {
    this.load = load;
  }

  public static <K, V> CacheLoader<K, V> loader(Function<K, V> load) {
    return new StaleOnOutage<>(load);
  }

  @Override
  public V load(K key) {
    return load.apply(key);
  }

  @Override
  public V reload(K key, V oldValue) {
    try {
      return load.apply(key);
    } catch (StoreException e) {
      if (e.outage()) {
        return oldValue;
      }
      throw e;
    }
  }
}
