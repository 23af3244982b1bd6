package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class TransactionsOnPostgresTest extends TransactionsContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
