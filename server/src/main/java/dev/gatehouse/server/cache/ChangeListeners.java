package dev.gatehouse.server.cache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who to tell when a service changes something others may have cached: the wiring registers the
 * {@link InvalidationBus} here, so services know nothing of Redis.
 */
public final class ChangeListeners {

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  public void add(Consumer<String> listener) {
    listeners.add(listener);
  }

  /**
   * Tells the listeners that {@code key} changed: at once, or when a transaction is open on this
   * thread, once it commits (never before: others would reload the old state).
   */
  public void fire(String key) {
    dev.gatehouse.server.store.Jdbc.afterCommit(() -> listeners.forEach(l -> l.accept(key)));
  }
}
