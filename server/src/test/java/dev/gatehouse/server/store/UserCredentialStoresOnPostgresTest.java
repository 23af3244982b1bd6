package dev.gatehouse.server.store;

import dev.gatehouse.server.testing.TestDatabase;

class UserCredentialStoresOnPostgresTest extends UserCredentialStoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
