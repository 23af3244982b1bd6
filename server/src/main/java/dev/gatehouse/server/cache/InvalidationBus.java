package dev.gatehouse.server.cache;

import java.util.function.Consumer;

/**
 * Tells the other nodes that something they may hold in memory has changed, so that a change made
 * through one node is seen by all within milliseconds instead of a cache lifetime.
 *
 * <p>The database stays the source of truth: a lost message only delays a change until the cache
 * entry expires or is refreshed. A node never receives its own messages.
 */
public interface InvalidationBus extends AutoCloseable {

  /** Announces that {@code key} of {@code topic} changed (e.g. topic {@code keys}, a tenant id). */
  void publish(String topic, String key);

  /** Calls {@code listener} with the key of each message on {@code topic} from another node. */
  void subscribe(String topic, Consumer<String> listener);

  @Override
  void close();

  /** The bus of a single node: nobody to tell. */
  static InvalidationBus none() {
    return new InvalidationBus() {
      @Override
      public void publish(String topic, String key) {}

      @Override
      public void subscribe(String topic, Consumer<String> listener) {}

      @Override
      public void close() {}
    };
  }
}
