package dev.gatehouse.server.identity;

import dev.gatehouse.server.testing.TestDatabase;

class UsersAdminOnH2Test extends UsersAdminContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
