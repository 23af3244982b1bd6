package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class SessionStoresOnPostgresTest extends SessionStoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
