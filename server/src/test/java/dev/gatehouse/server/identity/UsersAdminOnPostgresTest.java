package dev.gatehouse.server.identity;

import dev.gatehouse.server.testing.TestDatabase;

class UsersAdminOnPostgresTest extends UsersAdminContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
