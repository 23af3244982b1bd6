package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class SessionStoresOnH2Test extends SessionStoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
