package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class TransactionsOnH2Test extends TransactionsContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
