package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class UserCredentialStoresOnH2Test extends UserCredentialStoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
