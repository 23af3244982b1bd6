package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class StoresOnH2Test extends StoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
