package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class StoresOnPostgresTest extends StoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
