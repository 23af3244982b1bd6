package dev.gatehouse.server.store;

import java.util.function.Supplier;

/**
 * Runs work atomically: the store port ({@link Jdbc} implements it) that lets a feature commit a
 * state change and the events describing it together (the transactional outbox) without
 * depending on JDBC, as services must not.
 */
public interface Transactions {

  /** Work in no transaction of its own: for tests and stores that are not transactional. */
  Transactions NONE = new Transactions() {
    @Override
    public <T> T transactionally(Supplier<T> work) {
      return work.get();
    }
  };

  /** Runs {@code work} in one transaction: every store call in it commits, or none does. */
  <T> T transactionally(Supplier<T> work);
}
